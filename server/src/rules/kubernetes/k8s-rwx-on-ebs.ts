// ReadWriteMany claims on an EBS StorageClass: an EBS volume attaches to one node.
import { asScalar, get, items, str } from '../../documents/nodes';
import { defineRule, type Related } from '../../engine/rule';
import { claimClass, claimsOf, EFS_CSI, isEbsProvisioner } from '../storage';

export default defineRule({
  meta: {
    id: 'k8s-rwx-on-ebs',
    title: 'ReadWriteMany claim on an EBS StorageClass',
    severity: 'error',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'The KB: an EBS volume attaches to one node in one Availability Zone, so claims on an EBS StorageClass (`ebs.csi.aws.com`, or the deprecated `kubernetes.io/aws-ebs`) use `accessModes: [ReadWriteOnce]`. A `ReadWriteMany` claim on such a class never gets a volume that pods on several nodes can mount: it stays Pending or fails to attach. Storage shared across nodes and AZs is what EFS (`efs.csi.aws.com`) is for, and EFS is also the option for pods on Fargate.',
    fix: 'For files that several pods share, claim from a StorageClass with `provisioner: efs.csi.aws.com` (install the EFS CSI driver and give the file system mount targets in every AZ). If only one pod uses the volume, ask for `ReadWriteOnce` (or `ReadWriteOncePod`). EBS Multi-Attach (io1/io2) is only for raw block devices: `volumeMode: Block`, which this rule does not report.',
    messages: {
      rwxOnEbs: '{{claim}} asks for ReadWriteMany from {{which}} ({{provisioners}}), but an EBS volume attaches to one node in one Availability Zone, so pods on other nodes cannot mount it. Use a StorageClass with the EFS CSI driver ({{efsCsi}}) for storage shared across nodes, or ReadWriteOnce if one pod uses it.',
    },
    example: {
      fires:
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3\nprovisioner: ebs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  storageClassName: gp3\n  accessModes: [ReadWriteMany]\n  resources:\n    requests: { storage: 10Gi }\n',
      fixed:
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: efs-sc\nprovisioner: efs.csi.aws.com\nparameters:\n  provisioningMode: efs-ap\n  fileSystemId: fs-0123456789abcdef0\n  directoryPerms: "700"\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  storageClassName: efs-sc\n  accessModes: [ReadWriteMany]\n  resources:\n    requests: { storage: 10Gi }\n',
    },
  },
  check(ctx) {
    for (const obj of ctx.objects) {
      for (const claim of claimsOf(obj)) {
        const rwx = items(get(claim.spec, 'accessModes')).map(asScalar).find((n) => str(n) === 'ReadWriteMany');
        if (!rwx) continue;
        // EBS Multi-Attach (io1/io2) serves ReadWriteMany to raw block devices on purpose.
        if (str(get(claim.spec, 'volumeMode')) === 'Block') continue;
        const sc = claimClass(ctx, claim);
        // Quiet unless every known class of that name is EBS: several that disagree cannot be resolved.
        if (!sc || !sc.classes.every((c) => isEbsProvisioner(c.provisioner))) continue;
        const provisioners = [...new Set(sc.classes.map((c) => c.provisioner))].join(' / ');
        const related: Related[] = sc.classes
          .filter((c) => c.node)
          .map((c) => ({ node: c.node!, message: `StorageClass/${sc.name} provisions EBS volumes (${c.provisioner}), which attach to one node.` }));
        const which = sc.viaDefault ? `the default StorageClass ${sc.name}` : `StorageClass ${sc.name}`;
        ctx.report({
          node: rwx,
          messageId: 'rwxOnEbs', values: { claim: claim.label, which, provisioners, efsCsi: EFS_CSI },
          related,
          data: { storageClass: sc.name, provisioners: sc.classes.map((c) => c.provisioner) },
        });
      }
    }
  },
});
