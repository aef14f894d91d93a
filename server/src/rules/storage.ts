// Shared readers for Kubernetes storage: which provisioners and CSI drivers are which back end, the
// claims a manifest makes (PVCs, StatefulSet volumeClaimTemplates, generic ephemeral volumes), and the
// StorageClass a claim ends up with (same file first, then the workspace, then the one default class).
import { asMap, asScalar, get, str, type MapNode, type ScalarNode } from '../documents/nodes';
import { annotations, isBuiltIn, objectRef, podSpec, podVolumes, volumeClaimTemplates, type K8sObject } from '../model/kubernetes';
import type { KubernetesContext } from '../engine/rule';
import type { Platform } from './platforms';

export const EBS_CSI = 'ebs.csi.aws.com';
export const EFS_CSI = 'efs.csi.aws.com';
/** EKS Auto Mode's built-in EBS provisioner (no add-on: Auto Mode runs it). */
export const EBS_AUTO_MODE = 'ebs.csi.eks.amazonaws.com';
/** Mountpoint for Amazon S3's CSI driver (static provisioning only). */
export const MOUNTPOINT_S3 = 's3.csi.aws.com';
export const IN_TREE_EBS = 'kubernetes.io/aws-ebs';
/** Marks a class whose PersistentVolumes are created by hand: it provisions nothing itself. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** The CSI drivers for EKS persistent storage on AWS storage services, with the back end each one serves. */
export const KB_CSI_DRIVERS: Readonly<Record<string, string>> = {
  [EBS_CSI]: 'Amazon EBS',
  [EBS_AUTO_MODE]: 'Amazon EBS (EKS Auto Mode)',
  [EFS_CSI]: 'Amazon EFS',
  'fsx.csi.aws.com': 'FSx for Lustre',
  'fsx.openzfs.csi.aws.com': 'FSx for OpenZFS',
  'csi.trident.netapp.io': 'FSx for NetApp ONTAP (NetApp Trident)',
};

/** The KB drivers as a readable list for messages. */
export const KB_DRIVER_LIST = Object.entries(KB_CSI_DRIVERS).map(([d, what]) => `${what} \`${d}\``).join(', ');

/** EBS, through the CSI driver, EKS Auto Mode's provisioner or the deprecated in-tree plugin. */
export function isEbsProvisioner(provisioner: string): boolean {
  return provisioner === EBS_CSI || provisioner === EBS_AUTO_MODE || provisioner === IN_TREE_EBS;
}

/** A provisioner of AWS storage: EBS (CSI, Auto Mode or in-tree) or one of the KB's CSI drivers. */
export function isAwsProvisioner(provisioner: string): boolean {
  return isEbsProvisioner(provisioner) || Object.hasOwn(KB_CSI_DRIVERS, provisioner);
}

/** Where a provisioner that is not an AWS storage driver comes from, for messages that say what it is. */
export type ProvisionerOrigin = 'other-cloud' | 'node-local' | 'removed' | 'self-run';

/** Provisioners seen in manifests written for other clusters: what each one is (and for another cloud's, whose). */
export const OTHER_PROVISIONERS: Readonly<Record<string, { what: string; origin: ProvisionerOrigin; platform?: Platform }>> = {
  'kubernetes.io/gce-pd': { what: "GCE's in-tree Persistent Disk plugin (removed in 1.28)", origin: 'other-cloud', platform: 'gcp' },
  'pd.csi.storage.gke.io': { what: "Google Cloud's Persistent Disk CSI driver", origin: 'other-cloud', platform: 'gcp' },
  'filestore.csi.storage.gke.io': { what: "Google Cloud's Filestore CSI driver", origin: 'other-cloud', platform: 'gcp' },
  'kubernetes.io/azure-disk': { what: "Azure Disk's in-tree plugin (removed in 1.27)", origin: 'other-cloud', platform: 'azure' },
  'disk.csi.azure.com': { what: 'the Azure Disk CSI driver', origin: 'other-cloud', platform: 'azure' },
  'kubernetes.io/azure-file': { what: "Azure Files' in-tree plugin (removed in 1.30)", origin: 'other-cloud', platform: 'azure' },
  'file.csi.azure.com': { what: 'the Azure Files CSI driver', origin: 'other-cloud', platform: 'azure' },
  'kubernetes.io/vsphere-volume': { what: "vSphere's in-tree plugin (removed in 1.30)", origin: 'other-cloud', platform: 'vsphere' },
  'csi.vsphere.vmware.com': { what: 'the vSphere CSI driver', origin: 'other-cloud', platform: 'vsphere' },
  'kubernetes.io/cinder': { what: "OpenStack Cinder's in-tree plugin (removed in 1.26)", origin: 'other-cloud', platform: 'openstack' },
  'cinder.csi.openstack.org': { what: 'the OpenStack Cinder CSI driver', origin: 'other-cloud', platform: 'openstack' },
  'dobs.csi.digitalocean.com': { what: 'DigitalOcean Block Storage', origin: 'other-cloud', platform: 'digitalocean' },
  'diskplugin.csi.alibabacloud.com': { what: 'the Alibaba Cloud disk CSI driver', origin: 'other-cloud', platform: 'alibaba' },
  'kubernetes.io/glusterfs': { what: 'the GlusterFS in-tree plugin (removed in 1.26)', origin: 'removed' },
  'kubernetes.io/quobyte': { what: 'the Quobyte in-tree plugin (removed in 1.25)', origin: 'removed' },
  'kubernetes.io/storageos': { what: 'the StorageOS in-tree plugin (removed in 1.25)', origin: 'removed' },
  'kubernetes.io/scaleio': { what: 'the ScaleIO in-tree plugin (removed in 1.22)', origin: 'removed' },
  'kubernetes.io/rbd': { what: 'the Ceph RBD in-tree plugin (removed in 1.31)', origin: 'removed' },
  'kubernetes.io/host-path': { what: 'the in-tree hostPath provisioner (single-node test clusters only)', origin: 'node-local' },
  'k8s.io/minikube-hostpath': { what: "minikube's hostPath provisioner", origin: 'node-local' },
  'docker.io/hostpath': { what: "Docker Desktop's hostPath provisioner", origin: 'node-local' },
  'microk8s.io/hostpath': { what: "MicroK8s' hostPath provisioner", origin: 'node-local' },
  'rancher.io/local-path': { what: "Rancher's local-path provisioner (node-local directories)", origin: 'node-local' },
  'openebs.io/local': { what: "OpenEBS's local PV provisioner (node-local disks)", origin: 'node-local' },
};

/**
 * Storage systems you install and run on the cluster yourself (on EC2 nodes' EBS or instance store): a
 * deliberate choice that works on EKS, not a manifest for another cluster.
 */
const SELF_RUN = /^(driver\.longhorn\.io|rook-ceph\..*|.*\.csi\.ceph\.com|pxd\.portworx\.com|kubernetes\.io\/portworx-volume|cstor\.csi\.openebs\.io|.*\.openebs\.io|.*csi\.storageos\.com|csi\.hpe\.com|.*\.purestorage\.com|com\.tuxera\..*|topolvm\.(io|cybozu\.com)|local\.csi\.openebs\.io|.*\.linbit\.com|linstor\.csi\..*)$/;

export function isSelfRunStorage(provisioner: string): boolean {
  return SELF_RUN.test(provisioner) && !Object.hasOwn(OTHER_PROVISIONERS, provisioner);
}

/** A pod's namespace as Kubernetes fills it in (`default` when the manifest sets none). */
export function namespaceOf(obj: K8sObject): string {
  return obj.namespace ?? 'default';
}

/** The Fargate namespace a workload's pods run in, when the environment says its namespace is one. */
export function fargateNamespace(ctx: KubernetesContext, obj: K8sObject): string | undefined {
  const ns = namespaceOf(obj);
  return ctx.environment.eks?.fargateNamespaces?.includes(ns) ? ns : undefined;
}

/** How a message says where the Fargate namespaces come from. */
export function fargateOrigin(ctx: KubernetesContext): string {
  return ctx.environment.origins?.['eks.fargateNamespaces'] ?? 'the environment';
}

// `s3` as the start of a name segment: s3.csi.aws.com, ru.yandex.s3.csi, ch.ctrox.csi.s3-driver, csi-s3, s3fs...
// (but not a number such as s390).
const S3_DRIVER = /(^|[^a-z0-9])s3($|[^0-9])/i;

/** A CSI driver or provisioner that mounts S3 buckets (Mountpoint for S3 and the community S3 drivers). */
export function isS3Driver(driver: string): boolean {
  return S3_DRIVER.test(driver);
}

/** A request for storage: a PersistentVolumeClaim, or a claim template inside a workload. */
export interface Claim {
  obj: K8sObject;
  /** The map holding the claim's `metadata` (the PVC itself, or the template). */
  owner: MapNode;
  spec: MapNode;
  /** How messages name the claim: `PersistentVolumeClaim/data`, `StatefulSet/db volumeClaimTemplate data`. */
  label: string;
}

/** Every claim an object makes: a PVC, a StatefulSet's volumeClaimTemplates, generic ephemeral volumes of a pod template. */
export function claimsOf(obj: K8sObject): Claim[] {
  const out: Claim[] = [];
  const add = (owner: MapNode | undefined, label: string) => {
    const spec = asMap(get(owner, 'spec'));
    if (owner && spec) out.push({ obj, owner, spec, label });
  };
  if (isBuiltIn(obj, 'PersistentVolumeClaim')) add(obj.node, objectRef(obj));
  if (!isBuiltIn(obj) || !podSpec(obj)) return out;
  for (const tpl of volumeClaimTemplates(obj)) {
    add(tpl, `${objectRef(obj)} volumeClaimTemplate ${str(get(get(tpl, 'metadata'), 'name')) ?? '(unnamed)'}`);
  }
  for (const volume of podVolumes(obj)) {
    const tpl = asMap(get(get(volume, 'ephemeral'), 'volumeClaimTemplate'));
    if (tpl) add(tpl, `${objectRef(obj)} ephemeral volume ${str(get(volume, 'name')) ?? '(unnamed)'}`);
  }
  return out;
}

/**
 * The class a claim asks for: a name, `none` (`storageClassName: ""`, static binding only), or `default`
 * (nothing set: the cluster's default class is filled in). The beta annotation wins over the field, as in
 * Kubernetes itself.
 */
export function requestedClass(claim: Claim): { name: string } | 'none' | 'default' {
  const beta = get(annotations(claim.owner), 'volume.beta.kubernetes.io/storage-class');
  const node = beta ?? get(claim.spec, 'storageClassName');
  const name = str(node);
  if (name === undefined) return 'default';
  return name === '' ? 'none' : { name };
}

/** A StorageClass a claim may resolve to; `node` is its provisioner value when it is in the file being linted. */
export interface ClassFacts {
  name: string;
  provisioner: string;
  node?: ScalarNode;
  /** The file defining it, when that is another file of the workspace. */
  uri?: string;
}

/** The file's StorageClasses, read once per lint (every claim asks): keyed by the lint's object list. */
const IN_FILE_CLASSES = new WeakMap<object, { all: Array<ClassFacts & { isDefault: boolean }>; byName: Map<string, ClassFacts[]> }>();

function inFileIndex(ctx: KubernetesContext): { all: Array<ClassFacts & { isDefault: boolean }>; byName: Map<string, ClassFacts[]> } {
  let index = IN_FILE_CLASSES.get(ctx.objects);
  if (!index) {
    const all = readInFileClasses(ctx);
    const byName = new Map<string, ClassFacts[]>();
    for (const c of all) {
      let list = byName.get(c.name);
      if (!list) byName.set(c.name, (list = []));
      list.push(c);
    }
    IN_FILE_CLASSES.set(ctx.objects, (index = { all, byName }));
  }
  return index;
}

function inFileClasses(ctx: KubernetesContext): Array<ClassFacts & { isDefault: boolean }> {
  return inFileIndex(ctx).all;
}

function readInFileClasses(ctx: KubernetesContext): Array<ClassFacts & { isDefault: boolean }> {
  const out: Array<ClassFacts & { isDefault: boolean }> = [];
  for (const obj of ctx.objects) {
    if (!isBuiltIn(obj, 'StorageClass') || !obj.name) continue;
    const node = asScalar(get(obj.node, 'provisioner'));
    const provisioner = str(node);
    if (!provisioner) continue;
    const ann = annotations(obj.node);
    const isDefault = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((k) => str(get(ann, k)) === 'true');
    out.push({ name: obj.name, provisioner, node, isDefault });
  }
  return out;
}

/** All StorageClasses of that name: from this file (with positions), then from the rest of the workspace. */
export function classesNamed(ctx: KubernetesContext, name: string): ClassFacts[] {
  const here = inFileIndex(ctx).byName.get(name) ?? [];
  const elsewhere = ctx.workspace.storageClasses(name).filter((c) => c.uri !== ctx.file.uri);
  return [...here, ...elsewhere.map((c) => ({ name: c.name, provisioner: c.provisioner, uri: c.uri }))];
}

/**
 * The StorageClass a claim resolves to, with every known definition of that name; undefined when it
 * cannot be known: no class (static binding), a pre-bound or selector-bound claim (no dynamic
 * provisioning), an unknown name, or no single default class.
 */
export function claimClass(ctx: KubernetesContext, claim: Claim): { name: string; viaDefault: boolean; classes: ClassFacts[] } | undefined {
  // A claim bound to a named volume, or selecting volumes by label, is never dynamically provisioned:
  // the pre-created PersistentVolume, not the class's provisioner, decides the storage.
  if (str(get(claim.spec, 'volumeName')) || asMap(get(claim.spec, 'selector'))?.pairs.length) return undefined;
  const requested = requestedClass(claim);
  if (requested === 'none') return undefined;
  let name: string;
  if (requested === 'default') {
    const names = new Set([
      ...inFileClasses(ctx).filter((c) => c.isDefault).map((c) => c.name),
      ...ctx.workspace.defaultStorageClasses().filter((c) => c.uri !== ctx.file.uri).map((c) => c.name),
    ]);
    if (names.size !== 1) return undefined;
    name = [...names][0];
  } else name = requested.name;
  const classes = classesNamed(ctx, name);
  return classes.length ? { name, viaDefault: requested === 'default', classes } : undefined;
}
