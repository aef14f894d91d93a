// hostPath volumes that hold application data in pods that can move between nodes, and hostPath
// PersistentVolumes (each pod that binds one sees its own node's directory).
import { asMap, get, pair, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef, podVolumes, volumeMounts, writableMounts } from '../../model/kubernetes';

/** Workloads whose pods are not tied to a node. DaemonSets run one pod per node by design and are left out. */
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** Not storage but a handle on the node itself: a socket (container runtime) or a device. */
const NODE_HANDLE_TYPES = new Set(['Socket', 'CharDevice', 'BlockDevice']);

/**
 * Node system locations: kernel interfaces, devices, runtime sockets, host configuration, time zone and CA
 * data, CNI plugins, kubelet and container-runtime state. A pod mounts these to work with the node it runs
 * on, not to keep its data there. So is the node's whole file system (`/`, a node debugger's `chroot /host`).
 */
const SYSTEM_PATHS = ['/sys', '/proc', '/dev', '/run', '/var/run', '/etc', '/lib/modules', '/usr/lib/modules', '/usr/src', '/boot', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/log', '/usr/share/zoneinfo', '/usr/share/ca-certificates', '/opt/cni', '/var/lib/cni'];

function isSystemPath(path: string): boolean {
  // Windows named pipes (\\.\pipe\containerd-containerd) are the Windows node's sockets.
  if (/^[\\/]{2}\.[\\/]pipe[\\/]/i.test(path)) return true;
  const p = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return p === '/' || SYSTEM_PATHS.some((s) => p === s || p.startsWith(`${s}/`));
}

export default defineRule({
  meta: {
    id: 'k8s-hostpath-volume',
    title: 'hostPath volume for workload data',
    severity: 'warning',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'A `hostPath` volume only sees the disk of the node the pod runs on, so the data is lost or diverges when the pod is rescheduled to another node (or EKS replaces the node), and it is not shared with replicas on other nodes or in other Availability Zones. A `PersistentVolume` with a `hostPath` source has the same problem: every pod that binds it sees its own node\'s directory. Durable storage on EKS is claimed through a StorageClass backed by a CSI driver: EBS for a volume per pod, EFS for files shared across nodes and AZs. (DaemonSets, which run on every node on purpose, mounts of node system paths such as `/var/run/docker.sock`, `/sys`, `/etc`, `/usr/share/zoneinfo` or the node\'s whole file system `/`, volumes every container mounts `readOnly`, and PersistentVolumes pinned to a node with `nodeAffinity` are not reported.)',
    fix: 'Replace the `hostPath` volume with a `persistentVolumeClaim` on an EBS CSI StorageClass (`ebs.csi.aws.com`, `ReadWriteOnce`; in a StatefulSet use `volumeClaimTemplates`) or, for data several pods share, on EFS (`efs.csi.aws.com`, `ReadWriteMany`: a StorageClass for pods on EC2 nodes, a static PersistentVolume for pods on Fargate). Replace a `hostPath` PersistentVolume with a `csi` source for one of those drivers. For scratch space that may vanish with the pod, use `emptyDir`.',
    messages: {
      hostPath: "Volume {{volume}} of {{object}} is a hostPath: its data stays on one node's disk",
      hostPathAt: "Volume {{volume}} of {{object}} is a hostPath ({{path}}): its data stays on one node's disk",
      persistentVolume: "{{object}} is a hostPath ({{path}}): each pod sees its own node's directory",
    },
    details: {
      hostPath: 'The data is lost or diverges when the pod moves to another node or the node is replaced, and replicas on other nodes or AZs do not share it. Claim a PersistentVolume through the EBS CSI driver (one pod) or EFS (shared) instead, or use emptyDir for scratch space.',
      hostPathAt: 'The data in {{path}} is lost or diverges when the pod moves to another node or the node is replaced, and replicas on other nodes or AZs do not share it. Claim a PersistentVolume through the EBS CSI driver (one pod) or EFS (shared) instead, or use emptyDir for scratch space.',
      persistentVolume: 'A hostPath PersistentVolume is a directory on whichever node mounts it: pods on other nodes see an empty or different {{path}}, and the data goes when the node is replaced. Give the volume a csi source instead: EBS (ebs.csi.aws.com, one node at a time) or EFS (efs.csi.aws.com, shared across nodes and AZs, and the static option for pods on Fargate).',
    },
    example: {
      fires:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          volumeMounts: [{ name: uploads, mountPath: /uploads }]\n      volumes:\n        - name: uploads\n          hostPath: { path: /data/uploads }\n',
      fixed:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          volumeMounts: [{ name: uploads, mountPath: /uploads }]\n      volumes:\n        - name: uploads\n          persistentVolumeClaim: { claimName: uploads-efs }\n',
    },
  },
  check(ctx) {
    for (const obj of ctx.objects) {
      if (isBuiltIn(obj, 'PersistentVolume')) {
        const spec = get(obj.node, 'spec');
        const source = pair(spec, 'hostPath');
        // Pinned to a node on purpose (a local volume written as hostPath): pods follow the volume.
        if (!source || asMap(get(spec, 'nodeAffinity'))?.pairs.length) continue;
        const path = str(get(source.value, 'path'));
        if (!path || isSystemPath(path) || isPlaceholder(path)) continue;
        ctx.report({ node: source.key, messageId: 'persistentVolume', values: { object: objectRef(obj), path } });
        continue;
      }
      if (!isBuiltIn(obj, ...KINDS)) continue;
      for (const volume of podVolumes(obj)) {
        const source = pair(volume, 'hostPath');
        if (!source) continue;
        const path = str(get(source.value, 'path'));
        const type = str(get(source.value, 'type'));
        if ((type && NODE_HANDLE_TYPES.has(type)) || (path && (isSystemPath(path) || isPlaceholder(path)))) continue;
        // Mounted read-only by every container that mounts it: the pod reads the node's files, it keeps no data there.
        const name = str(get(volume, 'name'));
        if (name && volumeMounts(obj, name).length && !writableMounts(obj, name).length) continue;
        ctx.report({
          node: source.key,
          messageId: path ? 'hostPathAt' : 'hostPath',
          values: { volume: name ?? '(unnamed)', object: objectRef(obj), path: path ?? '' },
        });
      }
    }
  },
});
