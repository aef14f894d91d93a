// The deprecated in-tree EBS plugin: the kubernetes.io/aws-ebs provisioner and awsElasticBlockStore volumes.
import { asScalar, get, pair, str, type Node } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, objectRef, podSpec, podVolumes } from '../../model/kubernetes';
import { ebsMigration, migrationAdvice } from '../ebs-csi';
import { EBS_CSI, IN_TREE_EBS } from '../storage';

export default defineRule({
  meta: {
    id: 'k8s-in-tree-ebs',
    title: 'In-tree EBS plugin instead of the EBS CSI driver',
    severity: 'warning',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    fixes: ['ebs-csi'],
    description:
      'EKS storage is provisioned through drivers that follow the Container Storage Interface (CSI) specification. For Amazon EBS that is the EBS CSI driver, `ebs.csi.aws.com` (the `aws-ebs-csi-driver` EKS add-on; built in as `ebs.csi.eks.amazonaws.com` on EKS Auto Mode). The in-tree `kubernetes.io/aws-ebs` provisioner and the `awsElasticBlockStore` volume source are deprecated: their code was removed in Kubernetes 1.27, and CSI migration hands them to the EBS CSI driver, which has to be installed (from EKS 1.23) or the volumes never attach.',
    fix: 'Install the Amazon EBS CSI driver (the `aws-ebs-csi-driver` EKS add-on) and recreate the StorageClass with `provisioner: ebs.csi.aws.com`. The driver rejects parameters it does not know, so move the in-tree ones: `zone`/`zones` become `allowedTopologies` on `topology.kubernetes.io/zone`, `fsType` becomes `csi.storage.k8s.io/fstype`; `type`, `iopsPerGB`, `encrypted` and `kmsKeyId` carry over. For an existing volume (an `awsElasticBlockStore` source, in a PersistentVolume or inline in a pod), keep its data with a static PersistentVolume with `csi: { driver: ebs.csi.aws.com, volumeHandle: vol-..., fsType: ... }`, `storageClassName: ""` and node affinity on the zone of the volume, and a claim bound to it with `volumeName`; for new data, a PersistentVolumeClaim on an EBS CSI StorageClass.',
    messages: {
      inTreeProvisioner: '{{object}} uses the deprecated in-tree EBS provisioner {{inTree}}',
      inTreePersistentVolume: '{{object}} uses the deprecated in-tree awsElasticBlockStore source',
      inTreePodVolume: 'Volume {{volume}} of {{object}} uses the deprecated in-tree awsElasticBlockStore source',
    },
    details: {
      inTreeProvisioner: 'The in-tree EBS plugin was removed in Kubernetes 1.27; CSI migration sends this class to the EBS CSI driver, which must be installed (the aws-ebs-csi-driver add-on) or claims stay Pending. {{migration}}',
      inTreePersistentVolume: 'The in-tree EBS plugin was removed in Kubernetes 1.27; CSI migration needs the EBS CSI driver installed to attach this volume. Declare it with csi: { driver: {{csi}}, volumeHandle: {{volumeID}}{{fsType}} } instead: the same EBS volume, with its data.',
      inTreePodVolume: 'The in-tree EBS plugin was removed in Kubernetes 1.27, and an inline EBS volume ties the pod to one AZ and one pre-made volume. To keep its data, declare a static PersistentVolume with csi: { driver: {{csi}}, volumeHandle: {{volumeID}}{{fsType}} }, storageClassName: "" and node affinity on the zone of the volume, bind a claim to it with volumeName, and mount the claim (a new claim on an EBS CSI StorageClass would start empty).',
    },
    example: {
      fires: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp2\nprovisioner: kubernetes.io/aws-ebs\nparameters:\n  type: gp2\n',
      fixed: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\nparameters:\n  type: gp3\n',
    },
  },
  check(ctx) {
    for (const obj of ctx.objects) {
      if (isBuiltIn(obj, 'StorageClass')) {
        const provisioner = asScalar(get(obj.node, 'provisioner'));
        if (str(provisioner) === IN_TREE_EBS && provisioner) {
          ctx.report({
            node: provisioner,
            messageId: 'inTreeProvisioner', values: { object: objectRef(obj), inTree: IN_TREE_EBS, csi: EBS_CSI, migration: migrationAdvice(ebsMigration(obj.node)) },
            data: { fix: 'ebs-csi' },
          });
        }
        continue;
      }
      if (isBuiltIn(obj, 'PersistentVolume')) {
        const source = pair(get(obj.node, 'spec'), 'awsElasticBlockStore');
        if (source) {
          ctx.report({
            node: source.key,
            messageId: 'inTreePersistentVolume', values: { object: objectRef(obj), csi: EBS_CSI, ...volumeValues(source.value) },
          });
        }
        continue;
      }
      if (!isBuiltIn(obj) || !podSpec(obj)) continue;
      for (const volume of podVolumes(obj)) {
        const source = pair(volume, 'awsElasticBlockStore');
        if (!source) continue;
        ctx.report({
          node: source.key,
          messageId: 'inTreePodVolume', values: { volume: str(get(volume, 'name')) ?? '(unnamed)', object: objectRef(obj), csi: EBS_CSI, ...volumeValues(source.value) },
        });
      }
    }
  },
});

/** The volume an `awsElasticBlockStore` source names, for the static PersistentVolume the details spell out. */
function volumeValues(source: Node): { volumeID: string; fsType: string } {
  const fsType = str(get(source, 'fsType'));
  return { volumeID: str(get(source, 'volumeID')) ?? '<volume id>', fsType: fsType ? `, fsType: ${fsType}` : '' };
}
