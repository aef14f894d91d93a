// ReadWriteMany claims on an EBS StorageClass: an EBS volume attaches to one node.
import { asScalar, get, items, str } from '../../documents/nodes';
import { defineRule, type Related } from '../../engine/rule';
import { claimClass, claimsOf, EFS_CSI, fargateNamespace, fargateOrigin, isEbsProvisioner } from '../storage';

export default defineRule({
  meta: {
    id: 'k8s-rwx-on-ebs',
    title: 'ReadWriteMany claim on an EBS StorageClass',
    severity: 'error',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'An EBS volume attaches to one node in one Availability Zone, so claims on an EBS StorageClass (`ebs.csi.aws.com`, EKS Auto Mode\'s `ebs.csi.eks.amazonaws.com`, or the deprecated `kubernetes.io/aws-ebs`) use `accessModes: [ReadWriteOnce]`. A `ReadWriteMany` claim on such a class never gets a volume that pods on several nodes can mount: it stays Pending or fails to attach. Storage shared across nodes and AZs is what EFS (`efs.csi.aws.com`) is for; pods on Fargate can use EFS only through a PersistentVolume you create (static provisioning).',
    fix: 'For files that several pods share, use EFS (install the EFS CSI driver and give the file system mount targets in every AZ). Pods on EC2 nodes can claim from a StorageClass with `provisioner: efs.csi.aws.com` and `provisioningMode: efs-ap`; pods on Fargate need a static `PersistentVolume` (`csi: { driver: efs.csi.aws.com, volumeHandle: fs-... }`) that the claim binds to. If only one pod uses the volume, ask for `ReadWriteOnce` (or `ReadWriteOncePod`). EBS Multi-Attach (io1/io2) is only for raw block devices: `volumeMode: Block`, which this rule does not report.',
    messages: {
      rwxOnEbs: '{{claim}} asks for ReadWriteMany from EBS class {{class}}, but an EBS volume attaches to one node',
    },
    details: {
      rwxOnEbs: '{{which}} provisions EBS volumes ({{provisioners}}); an EBS volume attaches to one node in one Availability Zone, so pods on other nodes cannot mount this claim and it stays Pending or fails to attach. {{efsAdvice}} If only one pod uses the volume, ask for ReadWriteOnce.',
    },
    example: {
      fires:
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3\nprovisioner: ebs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  storageClassName: gp3\n  accessModes: [ReadWriteMany]\n  resources:\n    requests: { storage: 10Gi }\n',
      fixed:
        'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: shared-efs\nspec:\n  capacity: { storage: 10Gi }\n  volumeMode: Filesystem\n  accessModes: [ReadWriteMany]\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: efs-static\n  csi:\n    driver: efs.csi.aws.com\n    volumeHandle: fs-0123456789abcdef0\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  storageClassName: efs-static\n  accessModes: [ReadWriteMany]\n  resources:\n    requests: { storage: 10Gi }\n',
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
        const which = sc.viaDefault ? `The default StorageClass ${sc.name}` : `StorageClass ${sc.name}`;
        const fargate = fargateNamespace(ctx, claim.obj);
        const efsAdvice = fargate
          ? `Namespace ${fargate} runs on Fargate (${fargateOrigin(ctx)}), where EFS works only through static provisioning: create a PersistentVolume with csi.driver ${EFS_CSI} and volumeHandle fs-... (or fs-...::fsap-...) and bind this claim to it.`
          : `For storage shared across nodes, use EFS (${EFS_CSI}): a StorageClass with provisioningMode efs-ap for pods on EC2 nodes, or a static PersistentVolume for pods on Fargate.`;
        ctx.report({
          node: rwx,
          messageId: 'rwxOnEbs', values: { claim: claim.label, class: sc.name, which, provisioners, efsAdvice },
          related,
          data: { storageClass: sc.name, provisioners: sc.classes.map((c) => c.provisioner) },
        });
      }
    }
  },
});
