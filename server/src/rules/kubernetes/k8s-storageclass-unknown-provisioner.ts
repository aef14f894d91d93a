// StorageClasses whose provisioner is none of the CSI drivers the KB lists for EKS.
import { asScalar, get, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef } from '../../model/kubernetes';
import { IN_TREE_EBS, isS3Driver, KB_CSI_DRIVERS, NO_PROVISIONER } from '../storage';

/**
 * Provisioners this rule leaves alone: the KB's drivers; the ones a sharper rule reports
 * (kubernetes.io/aws-ebs: k8s-in-tree-ebs; S3 drivers: k8s-s3-volume); and kubernetes.io/no-provisioner,
 * which provisions nothing: the class only groups hand-made PersistentVolumes, whose own sources decide
 * the storage (often the KB's CSI drivers in static mode) and are checked where they are declared.
 */
function handledElsewhere(provisioner: string): boolean {
  return Object.hasOwn(KB_CSI_DRIVERS, provisioner) || provisioner === IN_TREE_EBS || provisioner === NO_PROVISIONER || isS3Driver(provisioner);
}

export default defineRule({
  meta: {
    id: 'k8s-storageclass-unknown-provisioner',
    title: 'StorageClass provisioner is not a CSI driver the KB covers',
    severity: 'info',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'The KB describes EKS storage as a `StorageClass` backed by a CSI driver for one of the supported back ends: Amazon EBS (`ebs.csi.aws.com`), Amazon EFS (`efs.csi.aws.com`), FSx for Lustre (`fsx.csi.aws.com`) or FSx for NetApp ONTAP through NetApp Trident (`csi.trident.netapp.io`); FSx for OpenZFS (`fsx.openzfs.csi.aws.com`) works the same way. A class for another provisioner (another cloud\'s disk, a local-path or minikube provisioner, GlusterFS...) is outside that guidance and usually means a manifest written for a different cluster.',
    fix: 'Match the `provisioner` to the AWS back end you need and install its driver (several are EKS add-ons): `ebs.csi.aws.com` for a volume per pod, `efs.csi.aws.com` for files shared across nodes and AZs (and on Fargate), `fsx.csi.aws.com` for high-performance scratch or HPC data, `csi.trident.netapp.io` for FSx for NetApp ONTAP. If the provisioner is a deliberate choice, turn the rule off for the file.',
    messages: {
      unknownProvisioner: '{{object}} uses provisioner {{provisioner}}, which is not one of the CSI drivers the KB covers for EKS ({{known}}): pick the driver for the storage you need and install it on the cluster.',
    },
    example: {
      fires: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\nprovisioner: kubernetes.io/gce-pd\nparameters:\n  type: pd-standard\n',
      fixed: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\nparameters:\n  type: gp3\n',
    },
  },
  check(ctx) {
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj, 'StorageClass')) continue;
      const node = asScalar(get(obj.node, 'provisioner'));
      const provisioner = str(node);
      if (!node || !provisioner || isPlaceholder(provisioner) || handledElsewhere(provisioner)) continue;
      ctx.report({
        node,
        messageId: 'unknownProvisioner', values: { object: objectRef(obj), provisioner, known: Object.keys(KB_CSI_DRIVERS).join(', ') },
        data: { provisioner },
      });
    }
  },
});
