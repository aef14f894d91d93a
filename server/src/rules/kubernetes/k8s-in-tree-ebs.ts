// The deprecated in-tree EBS plugin: the kubernetes.io/aws-ebs provisioner and awsElasticBlockStore volumes.
import { asScalar, get, pair, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, objectRef, podSpec, podVolumes } from '../../model/kubernetes';
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
      'The KB says EKS storage is provisioned through drivers that follow the Container Storage Interface (CSI) specification. For Amazon EBS that is the EBS CSI driver, `ebs.csi.aws.com` (available as an EKS add-on); the in-tree provisioner `kubernetes.io/aws-ebs` and the `awsElasticBlockStore` volume source are deprecated in its favour.',
    fix: 'Install the Amazon EBS CSI driver (the `aws-ebs-csi-driver` EKS add-on) and set the StorageClass `provisioner: ebs.csi.aws.com` (parameters such as `type: gp3` and `encrypted` carry over). Replace an `awsElasticBlockStore` source with a PersistentVolumeClaim on an EBS CSI StorageClass, or, for an existing volume, a PersistentVolume with `csi: { driver: ebs.csi.aws.com, volumeHandle: vol-... }`.',
    messages: {
      inTreeProvisioner: '{{object}} uses the deprecated in-tree provisioner {{inTree}}: install the EBS CSI driver and set provisioner: {{csi}}.',
      inTreePersistentVolume: '{{object}} uses the deprecated in-tree awsElasticBlockStore source: declare the volume with csi: { driver: {{csi}}, volumeHandle: <volume id> } and install the EBS CSI driver.',
      inTreePodVolume: 'Volume {{volume}} of {{object}} uses the deprecated in-tree awsElasticBlockStore source: mount a PersistentVolumeClaim on a StorageClass with provisioner {{csi}} instead.',
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
            messageId: 'inTreeProvisioner', values: { object: objectRef(obj), inTree: IN_TREE_EBS, csi: EBS_CSI },
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
            messageId: 'inTreePersistentVolume', values: { object: objectRef(obj), csi: EBS_CSI },
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
          messageId: 'inTreePodVolume', values: { volume: str(get(volume, 'name')) ?? '(unnamed)', object: objectRef(obj), csi: EBS_CSI },
        });
      }
    }
  },
});
