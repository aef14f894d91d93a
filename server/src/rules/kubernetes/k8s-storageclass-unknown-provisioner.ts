// StorageClasses whose provisioner is no AWS storage driver: another cloud's disk, a node-local dev
// provisioner, an in-tree plugin Kubernetes removed, or one nobody recognises.
import { asScalar, get, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { folderNames, shortName } from '../../engine/workspace';
import { isBuiltIn, isPlaceholder, objectRef } from '../../model/kubernetes';
import { PLATFORMS, platformFolder } from '../platforms';
import { classesNamed, IN_TREE_EBS, isAwsProvisioner, isS3Driver, isSelfRunStorage, KB_CSI_DRIVERS, NO_PROVISIONER, OTHER_PROVISIONERS } from '../storage';

/**
 * Provisioners this rule leaves alone: the AWS drivers; the ones a sharper rule reports
 * (kubernetes.io/aws-ebs: k8s-in-tree-ebs; S3 drivers: k8s-s3-volume); kubernetes.io/no-provisioner,
 * which provisions nothing (the class only groups hand-made PersistentVolumes, whose own sources decide
 * the storage and are checked where they are declared); and storage systems you run on the cluster
 * yourself (Longhorn, Rook/Ceph, Portworx, OpenEBS...), a deliberate choice that works on EKS.
 */
function handledElsewhere(provisioner: string): boolean {
  return Object.hasOwn(KB_CSI_DRIVERS, provisioner) || provisioner === IN_TREE_EBS || provisioner === NO_PROVISIONER || isS3Driver(provisioner) || isSelfRunStorage(provisioner);
}

const AWS_DRIVERS = 'On EKS, match the provisioner to the AWS storage you need: `ebs.csi.aws.com` (or `ebs.csi.eks.amazonaws.com` on Auto Mode) for a volume per pod, `efs.csi.aws.com` for files shared across nodes and AZs (for pods on Fargate, as static PersistentVolumes only), `fsx.csi.aws.com` for FSx for Lustre, `csi.trident.netapp.io` for FSx for NetApp ONTAP.';

export default defineRule({
  meta: {
    id: 'k8s-storageclass-unknown-provisioner',
    title: 'StorageClass provisioner is not an AWS storage driver',
    severity: 'info',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'Storage on EKS is a `StorageClass` backed by a CSI driver for an AWS storage service: Amazon EBS (`ebs.csi.aws.com`, or `ebs.csi.eks.amazonaws.com` on EKS Auto Mode), Amazon EFS (`efs.csi.aws.com`), FSx for Lustre (`fsx.csi.aws.com`), FSx for OpenZFS (`fsx.openzfs.csi.aws.com`) or FSx for NetApp ONTAP through NetApp Trident (`csi.trident.netapp.io`). A class for another provisioner, such as another cloud\'s disk, a minikube or local-path provisioner, or an in-tree plugin Kubernetes has removed, provisions nothing on EKS: claims on it stay `Pending`. It usually means a manifest written for a different cluster. The finding says what the provisioner is. Another cloud\'s class that has an AWS class of the same name beside it in the workspace (an examples repository with one file per platform, such as `gce-pd.yaml` next to `aws-ebs.yaml`) is a per-platform variant, reported as a `hint` that names the AWS one; so is a class in a folder named for the platform whose provisioner it uses (a folder of the file\'s path such as `azure_disk/` or `aks/` for an Azure provisioner, `gce/`, `gcp/` or `gke/` for Google Cloud, `vsphere/`, `openstack/`), as in examples repositories that keep one folder per platform. Storage systems you run on the cluster yourself (Longhorn, Rook/Ceph, Portworx, OpenEBS) are not reported.',
    fix: 'Match the `provisioner` to the AWS back end you need and install its driver (several are EKS add-ons; Auto Mode has EBS built in): `ebs.csi.aws.com` for a volume per pod, `efs.csi.aws.com` for files shared across nodes and AZs, `fsx.csi.aws.com` for high-performance scratch or HPC data, `csi.trident.netapp.io` for FSx for NetApp ONTAP. Pods on Fargate use EFS through static PersistentVolumes only (no StorageClass provisions for them). If the provisioner is a deliberate choice, turn the rule off for the file.',
    messages: {
      otherCloud: '{{object}} is written for {{platform}}: it cannot provision volumes on EKS',
      removed: '{{object}} uses {{what}}: claims on it stay Pending',
      nodeLocal: '{{object}} uses {{name}}: node-local storage for a dev cluster',
      unknownProvisioner: '{{object}} uses provisioner {{provisioner}}, which is not an AWS storage driver',
      platformVariant: '{{object}} is the {{platform}} variant of a class also defined for AWS: use that one on EKS',
      platformFolder: '{{object}} is the {{platform}} variant (folder {{folder}}): use an AWS StorageClass on EKS',
    },
    details: {
      otherCloud: `{{provisioner}} is {{what}}. This class was written for {{platform}}: on EKS no controller answers for {{provisioner}}, so claims on it stay Pending. ${AWS_DRIVERS}`,
      removed: `{{provisioner}} is {{what}}. Kubernetes no longer ships this plugin, so claims on the class stay Pending on any current cluster. ${AWS_DRIVERS}`,
      nodeLocal: `{{provisioner}} is {{what}}. A node-local provisioner keeps each volume on one node's disk: the data is lost when EKS replaces the node and pods cannot move to another node with it. It also has to be installed on the cluster first. ${AWS_DRIVERS}`,
      platformVariant: '{{provisioner}} is {{what}}. StorageClass {{class}} is also defined with {{awsProvisioner}} ({{where}}), so this file is the same class written for {{platform}}: apply the AWS one to EKS clusters and leave this one out.',
      platformFolder: `{{provisioner}} is {{what}}. The file sits in folder {{folder}}, named for {{platform}}, so this is the class written for that platform: on EKS no controller answers for {{provisioner}} and claims on it stay Pending. Apply an AWS StorageClass to EKS clusters instead. ${AWS_DRIVERS}`,
      unknownProvisioner: `Unless {{provisioner}} is a driver you install and run on the cluster yourself, claims on this class stay Pending on EKS. ${AWS_DRIVERS}`,
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
      const known = Object.hasOwn(OTHER_PROVISIONERS, provisioner) ? OTHER_PROVISIONERS[provisioner] : undefined;
      const messageId = !known ? 'unknownProvisioner' : known.origin === 'other-cloud' ? 'otherCloud' : known.origin === 'removed' ? 'removed' : 'nodeLocal';
      // Headlines name the platform, or the provisioner without its note; the details say all of what it is.
      const platform = known?.platform ? PLATFORMS[known.platform].label : 'another platform';
      const values = { object: objectRef(obj), provisioner, what: known?.what ?? provisioner, name: withoutNote(known?.what ?? provisioner), platform };
      // Another cloud's class beside an AWS class of the same name (an examples repo with one file per
      // platform): a variant, not a class meant for EKS, so a hint that names the AWS one.
      const aws = messageId === 'otherCloud' && obj.name ? classesNamed(ctx, obj.name).find((c) => isAwsProvisioner(c.provisioner)) : undefined;
      if (aws) {
        ctx.report({
          node, severity: 'hint',
          messageId: 'platformVariant', values: { ...values, class: obj.name!, awsProvisioner: aws.provisioner, where: aws.uri ? `in ${shortName(aws.uri)}` : 'in this file' },
          data: { provisioner },
        });
        continue;
      }
      // Another cloud's class in a folder named for that cloud (one folder per platform): a variant too.
      const folder = known?.platform && platformFolder(folderNames(ctx.file.uri), known.platform);
      if (folder) {
        ctx.report({ node, severity: 'hint', messageId: 'platformFolder', values: { ...values, folder }, data: { provisioner } });
        continue;
      }
      ctx.report({ node, messageId, values, data: { provisioner } });
    }
  },
});

/** "Rancher's local-path provisioner (node-local directories)" -> "Rancher's local-path provisioner". */
function withoutNote(what: string): string {
  return what.replace(/ \([^)]*\)$/, '');
}
