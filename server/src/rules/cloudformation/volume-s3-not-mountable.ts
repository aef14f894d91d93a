// Task definition volumes that try to mount an S3 bucket as a file system.
import { asMap, get, pair, type Node } from '../../documents/nodes';
import { literalPrefixes, literalValues } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { propPair, TASK_DEFINITION, volumes } from '../ecs';

const S3_LOCATION = /^(s3:\/\/|arn:aws[a-z-]*:s3:::)|\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com/i;
const S3_DRIVER = /s3/i;

export default defineRule({
  meta: {
    id: 'volume-s3-not-mountable',
    title: 'S3 cannot be mounted as a task volume',
    severity: 'error',
    kb: 'ecs-efs-volumes',
    appliesTo: ['cloudformation'],
    description:
      'S3 is object storage: a bucket cannot be mounted into a task by pointing a host path at `s3://...`, by passing a bucket where an EFS file-system id belongs, or through an s3fs-style Docker volume driver. Two ways are supported: **Amazon EFS** through `EFSVolumeConfiguration`, for storage that tasks share and that outlives them, on EC2 and Fargate; and, for data that already lives in a bucket, **Amazon S3 Files** through `S3FilesVolumeConfiguration` (a file system kept in sync with the bucket; it needs a task role, and at launch ECS supports it on Fargate and ECS Managed Instances only).',
    fix: 'For shared persistent storage, create an `AWS::EFS::FileSystem` (with mount targets in the task subnets) and point the volume\'s `EFSVolumeConfiguration.FilesystemId` at it. To see a bucket\'s data as files, create an S3 Files file system for the bucket and use an `S3FilesVolumeConfiguration` volume with its `FileSystemArn` (and a task role allowed to use it), on Fargate or ECS Managed Instances. Otherwise read and write objects through the S3 API.',
    messages: {
      s3Volume: 'Volume {{volume}} of task definition {{taskDefinition}} {{how}}: S3 cannot be mounted this way',
    },
    details: {
      s3Volume: 'A bucket is not a file system the ECS agent can mount through a host path, an EFS volume or a Docker volume driver. Supported ways: an Amazon EFS file system (`EFSVolumeConfiguration`) for shared persistent storage, or Amazon S3 Files (`S3FilesVolumeConfiguration`, with a task role; Fargate and ECS Managed Instances only) to see the bucket\'s data as files.',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Volumes:\n        - Name: data\n          Host: { SourcePath: s3://my-bucket/data }\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Volumes:\n        - Name: data\n          EFSVolumeConfiguration: { FilesystemId: !Ref FileSystem }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      for (const volume of volumes(td)) {
        const name = literalValues(get(volume, 'Name'))?.[0] ?? 'a volume';
        const problem = (node: Node, what: string) =>
          ctx.report({ node, messageId: 's3Volume', values: { volume: name, taskDefinition: ctx.name(td), how: what } });

        const fsId = propPair(asMap(get(volume, 'EFSVolumeConfiguration')), 'FilesystemId', 'FileSystemId');
        if (fsId) {
          const bucket = tpl.targets(fsId.value).find((r) => r.type === 'AWS::S3::Bucket');
          if (bucket) problem(fsId.value, `mounts S3 bucket ${ctx.name(bucket)} as an EFS file system`);
          else if (literalPrefixes(fsId.value).some((v) => S3_LOCATION.test(v))) problem(fsId.value, 'gives an S3 location as its EFS file system');
        }
        const source = pair(asMap(get(volume, 'Host')), 'SourcePath');
        if (source && literalPrefixes(source.value).some((v) => /^s3:\/\//i.test(v))) problem(source.value, 'uses an S3 URL as a host path');
        const driver = pair(asMap(get(volume, 'DockerVolumeConfiguration')), 'Driver');
        if (literalValues(driver?.value)?.some((v) => S3_DRIVER.test(v))) problem(driver!.value, 'uses an S3 volume driver');
      }
    }
  },
});
