// Fargate task definitions with host volumes (a source path on the instance) or Docker volume drivers.
import { asMap, get, pair } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { fargateScenarios, isSetIn, itemsIn, onceEach, pick, TASK_DEFINITION } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-fargate-host-volume',
    title: 'Fargate tasks cannot use host paths or Docker volumes',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    description:
      'On Fargate there is no host you manage, so a task definition that requires `FARGATE` cannot mount a path of the instance: a volume with `Host.SourcePath` fails, as does a `DockerVolumeConfiguration`. Fargate offers bind mounts that only have a name (ephemeral task storage, gone when the task stops) and **Amazon EFS** volumes for data that must persist or be shared between tasks.',
    fix: 'For scratch space, drop `Host` (keep only the volume `Name`, a bind mount in the task\'s ephemeral storage). For data that must outlive the task or be shared, use `EFSVolumeConfiguration` with an `AWS::EFS::FileSystem` that has mount targets in the task subnets.',
    messages: {
      hostPath: '{{volume}} of task definition {{taskDefinition}} mounts a host path, but the task definition requires FARGATE, which has no host to mount from: remove Host.SourcePath for ephemeral task storage, or use an EFS volume (EFSVolumeConfiguration) for persistent shared storage.',
      dockerVolume: '{{volume}} of task definition {{taskDefinition}} uses DockerVolumeConfiguration, which Fargate does not support: use a bind mount with only a name for ephemeral task storage, or an EFS volume (EFSVolumeConfiguration) for persistent shared storage.',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      Volumes:\n        - Name: data\n          Host: { SourcePath: /var/data }\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      Volumes:\n        - Name: data\n          EFSVolumeConfiguration: { FilesystemId: !Ref FileSystem }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const first = onceEach();
      for (const s of fargateScenarios(tpl, td)) {
        for (const volume of itemsIn(get(td.properties, 'Volumes'), s)) {
          const name = literal(get(volume, 'Name'));
          const label = name === undefined ? 'A volume' : `Volume ${name}`;
          const host = pick(get(volume, 'Host'), s);
          const source = host && !isNoValue(host) ? pair(asMap(host), 'SourcePath') : undefined;
          if (source && isSetIn(host, 'SourcePath', s) && first(source.key)) {
            ctx.report({
              node: source.key,
              messageId: 'hostPath', values: { volume: label, taskDefinition: ctx.name(td) },
            });
          }
          const docker = pair(volume, 'DockerVolumeConfiguration');
          if (docker && isSetIn(volume, 'DockerVolumeConfiguration', s) && first(docker.key)) {
            ctx.report({
              node: docker.key,
              messageId: 'dockerVolume', values: { volume: label, taskDefinition: ctx.name(td) },
            });
          }
        }
      }
    }
  },
});
