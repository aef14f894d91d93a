// S3 mounted as a Kubernetes volume: an S3 CSI driver in a PersistentVolume, StorageClass or pod volume.
import { asScalar, at, get, str, type ScalarNode } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef, podSpec, podVolumes } from '../../model/kubernetes';
import { EFS_CSI, isS3Driver } from '../storage';

const ADVICE = `S3 is object storage, not a file system (no in-place writes, renames or locks), and the KB's EKS storage back ends are EBS, EFS and FSx; put files that pods share on EFS (${EFS_CSI}) and read and write objects through the S3 API`;

export default defineRule({
  meta: {
    id: 'k8s-s3-volume',
    title: 'S3 bucket mounted as a Kubernetes volume',
    severity: 'warning',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'The KB lists the back ends for persistent storage on EKS: Amazon EBS, Amazon EFS, FSx for Lustre and FSx for NetApp ONTAP, each through its CSI driver. Amazon S3 is not among them: it is object storage, not a file system, so a bucket mounted through an S3 CSI driver (Mountpoint for S3 `s3.csi.aws.com`, or community drivers such as `ru.yandex.s3.csi`) lacks file-system semantics such as in-place edits, renames and locking. For files that pods on several nodes and AZs share, the KB answer is **Amazon EFS** (`efs.csi.aws.com`), which also works on Fargate.',
    fix: 'Create an EFS file system with mount targets in the cluster\'s subnets, install the EFS CSI driver, and claim a `ReadWriteMany` volume from a StorageClass with `provisioner: efs.csi.aws.com`. Keep S3 for objects that the application reads and writes through the S3 API (with IAM roles for service accounts).',
    messages: {
      storageClass: `{{object}} provisions S3 buckets through {{driver}}: ${ADVICE}.`,
      persistentVolume: `{{object}} mounts an S3 bucket through the CSI driver {{driver}}: ${ADVICE}.`,
      podVolume: `Volume {{volume}} of {{object}} mounts an S3 bucket through the CSI driver {{driver}}: ${ADVICE}.`,
    },
    example: {
      fires: 'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: shared\nspec:\n  capacity: { storage: 10Gi }\n  accessModes: [ReadWriteMany]\n  csi:\n    driver: s3.csi.aws.com\n    volumeHandle: my-bucket\n    volumeAttributes: { bucketName: my-bucket }\n',
      fixed: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: efs-sc\nprovisioner: efs.csi.aws.com\nparameters:\n  provisioningMode: efs-ap\n  fileSystemId: fs-0123456789abcdef0\n  directoryPerms: "700"\n',
    },
  },
  check(ctx) {
    const report = (node: ScalarNode | undefined, messageId: 'storageClass' | 'persistentVolume' | 'podVolume', values: Record<string, string>) => {
      const driver = str(node);
      if (!node || !driver || isPlaceholder(driver) || !isS3Driver(driver)) return;
      ctx.report({ node, messageId, values: { ...values, driver }, data: { driver } });
    };
    for (const obj of ctx.objects) {
      if (isBuiltIn(obj, 'StorageClass')) report(asScalar(get(obj.node, 'provisioner')), 'storageClass', { object: objectRef(obj) });
      else if (isBuiltIn(obj, 'PersistentVolume')) report(asScalar(at(obj.node, 'spec', 'csi', 'driver')), 'persistentVolume', { object: objectRef(obj) });
      else if (isBuiltIn(obj) && podSpec(obj)) {
        for (const volume of podVolumes(obj)) {
          report(asScalar(at(volume, 'csi', 'driver')), 'podVolume', { volume: str(get(volume, 'name')) ?? '(unnamed)', object: objectRef(obj) });
        }
      }
    }
  },
});
