// Kubernetes platforms other than EKS, and the folders (and files) named for them: a manifest under
// `deploy/gke/` or `provider/kind/`, or named `aks-deploy.yaml`, was written for that platform, and what EKS
// would make of it is beside the point.
import { folderNames, shortName } from '../engine/workspace';

/**
 * Each platform's label for messages, and the words a folder named for it contains (`azure_disk`, `gke`,
 * `kind-cluster`). Abbreviations must be a whole word of the folder's name; a longer name may also begin a
 * compound word (`azurefile`). The clouds come first: other clouds' storage provisioners name theirs.
 */
export const PLATFORMS = {
  gcp: { label: 'Google Cloud', names: ['gce', 'gcp', 'gke', 'google'] },
  azure: { label: 'Azure', names: ['azure', 'aks'] },
  vsphere: { label: 'vSphere', names: ['vsphere', 'vmware', 'tanzu'] },
  openstack: { label: 'OpenStack', names: ['openstack', 'cinder'] },
  digitalocean: { label: 'DigitalOcean', names: ['digitalocean', 'doks'] },
  alibaba: { label: 'Alibaba Cloud', names: ['alibaba', 'alibabacloud', 'alicloud', 'aliyun'] },
  oracle: { label: 'Oracle Cloud', names: ['oracle', 'oke'] },
  ibm: { label: 'IBM Cloud', names: ['ibm', 'ibmcloud'] },
  linode: { label: 'Linode', names: ['linode', 'akamai', 'lke'] },
  hetzner: { label: 'Hetzner', names: ['hetzner'] },
  exoscale: { label: 'Exoscale', names: ['exoscale', 'sks'] },
  scaleway: { label: 'Scaleway', names: ['scaleway', 'scw'] },
  local: { label: 'a local cluster', names: ['kind', 'minikube', 'k3d', 'k3s', 'microk8s', 'baremetal', 'metallb'] },
} as const satisfies Record<string, { label: string; names: readonly string[] }>;
export type Platform = keyof typeof PLATFORMS;

function words(folder: string): string[] {
  return folder
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}

function named(folder: string, platform: Platform): boolean {
  const names: readonly string[] = PLATFORMS[platform].names;
  return words(folder).some((word) => names.some((n) => word === n || (n.length >= 5 && word.startsWith(n))));
}

/** The first folder of `folders` named for the platform, if any. */
export function platformFolder(folders: readonly string[], platform: Platform): string | undefined {
  return folders.find((folder) => named(folder, platform));
}

/** Platform names that are also other things (a database, an API vendor): they name a folder, not a file. */
const FOLDER_ONLY = new Set(['oracle', 'google', 'akamai', 'cinder']);

/** Whether a file's own name says it is for the platform (`aks-deploy.yaml`, `values-gke.yaml`). */
function fileNamed(uri: string, platform: Platform): boolean {
  const base = shortName(uri).replace(/\.[^.]*$/, '');
  const names = PLATFORMS[platform].names.filter((n) => !FOLDER_ONLY.has(n));
  return words(base).some((word) => names.some((n) => word === n));
}

/** The first folder of the file's path (or the file itself) named for a platform other than EKS, and that platform. */
export function otherPlatformFolder(uri: string): { folder: string; platform: Platform } | undefined {
  const platforms = Object.keys(PLATFORMS) as Platform[];
  for (const folder of folderNames(uri)) for (const platform of platforms) if (named(folder, platform)) return { folder, platform };
  const file = platforms.find((platform) => fileNamed(uri, platform));
  return file && { folder: shortName(uri), platform: file };
}
