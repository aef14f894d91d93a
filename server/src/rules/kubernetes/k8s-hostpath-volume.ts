// hostPath volumes that hold application data in pods that can move between nodes.
import { get, pair, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef, podVolumes } from '../../model/kubernetes';

/** Workloads whose pods are not tied to a node. DaemonSets run one pod per node by design and are left out. */
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** Not storage but a handle on the node itself: a socket (container runtime) or a device. */
const NODE_HANDLE_TYPES = new Set(['Socket', 'CharDevice', 'BlockDevice']);

/**
 * Node system locations: kernel interfaces, devices, runtime sockets, host configuration, kubelet and
 * container-runtime state. A pod mounts these to work with the node it runs on, not to keep its data there.
 */
const SYSTEM_PATHS = ['/sys', '/proc', '/dev', '/run', '/var/run', '/etc', '/lib/modules', '/usr/lib/modules', '/usr/src', '/boot', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/log'];

function isSystemPath(path: string): boolean {
  // Windows named pipes (\\.\pipe\containerd-containerd) are the Windows node's sockets.
  if (/^[\\/]{2}\.[\\/]pipe[\\/]/i.test(path)) return true;
  const p = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return SYSTEM_PATHS.some((s) => p === s || p.startsWith(`${s}/`));
}

export default defineRule({
  meta: {
    id: 'k8s-hostpath-volume',
    title: 'hostPath volume for workload data',
    severity: 'warning',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'The KB: a `hostPath` volume only sees the current node\'s disk, so the data is lost or diverges when the pod is rescheduled to another node, it is not shared with replicas on other nodes or in other Availability Zones, and it is not available on Fargate. Durable storage on EKS is claimed through a StorageClass backed by a CSI driver: EBS for a volume per pod, EFS for files shared across nodes and AZs. (DaemonSets, which run on every node on purpose, and mounts of node system paths such as `/var/run/docker.sock`, `/sys` or `/etc` are not reported.)',
    fix: 'Replace the `hostPath` volume with a `persistentVolumeClaim` on an EBS CSI StorageClass (`ebs.csi.aws.com`, `ReadWriteOnce`; in a StatefulSet use `volumeClaimTemplates`) or, for data several pods share, on an EFS CSI StorageClass (`efs.csi.aws.com`, `ReadWriteMany`). For scratch space that may vanish with the pod, use `emptyDir`.',
    messages: {
      hostPath: "Volume {{volume}} of {{object}} is a hostPath: the data stays on one node's disk, is lost or diverges when the pod moves, is not shared across nodes or AZs, and does not exist on Fargate. Claim a PersistentVolume through the EBS CSI driver (one pod) or the EFS CSI driver (shared) instead.",
      hostPathAt: "Volume {{volume}} of {{object}} is a hostPath ({{path}}): the data stays on one node's disk, is lost or diverges when the pod moves, is not shared across nodes or AZs, and does not exist on Fargate. Claim a PersistentVolume through the EBS CSI driver (one pod) or the EFS CSI driver (shared) instead.",
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
      if (!isBuiltIn(obj, ...KINDS)) continue;
      for (const volume of podVolumes(obj)) {
        const source = pair(volume, 'hostPath');
        if (!source) continue;
        const path = str(get(source.value, 'path'));
        const type = str(get(source.value, 'type'));
        if ((type && NODE_HANDLE_TYPES.has(type)) || (path && (isSystemPath(path) || isPlaceholder(path)))) continue;
        ctx.report({
          node: source.key,
          messageId: path ? 'hostPathAt' : 'hostPath',
          values: { volume: str(get(volume, 'name')) ?? '(unnamed)', object: objectRef(obj), path: path ?? '' },
        });
      }
    }
  },
});
