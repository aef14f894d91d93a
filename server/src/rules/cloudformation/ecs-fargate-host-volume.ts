// Fargate task definitions with host volumes (a source path on the instance) or Docker volume drivers.
import { asMap, get, pair } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { dropFargateHint, fargateScenarios, isSetIn, itemsIn, onceEach, pick, spell, TASK_DEFINITION } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-fargate-host-volume',
    title: 'Fargate tasks cannot use host paths or Docker volumes',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    fixes: ['drop-fargate'],
    description:
      'On Fargate there is no host you manage, so a task definition that requires `FARGATE` cannot mount a path of the instance: a volume with `Host.SourcePath` fails, as does a `DockerVolumeConfiguration`. Fargate offers bind mounts that only have a name (ephemeral task storage, gone when the task stops) and **Amazon EFS** volumes for data that must persist or be shared between tasks.',
    fix: 'For scratch space, drop `Host` (keep only the volume `Name`, a bind mount in the task\'s ephemeral storage). For data that must outlive the task or be shared, use `EFSVolumeConfiguration` with an `AWS::EFS::FileSystem` that has mount targets in the task subnets.',
    messages: {
      hostPath: '{{volume}} of task definition {{taskDefinition}} mounts a host path, which Fargate cannot provide',
      dockerVolume: '{{volume}} of task definition {{taskDefinition}} uses {{dockerVolume}}, which Fargate does not support',
    },
    details: {
      hostPath: 'The task definition requires FARGATE, and a Fargate task has no host you manage to mount {{sourcePath}} from, so the task definition cannot run there. Remove {{host}} (a volume with only a name is a bind mount in the task\'s ephemeral storage), or use an EFS volume ({{efs}}) for data that must persist or be shared.{{dropFargate}}',
      dockerVolume: 'The task definition requires FARGATE, which does not support Docker volume drivers. Use a volume with only a name for ephemeral task storage, or an EFS volume ({{efs}}) for data that must persist or be shared.{{dropFargate}}',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      Volumes:\n        - Name: data\n          Host: { SourcePath: /var/data }\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      Volumes:\n        - Name: data\n          EFSVolumeConfiguration: { FilesystemId: !Ref FileSystem }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const words = {
      sourcePath: ctx.file.kind === 'ecs-taskdef' ? 'host.sourcePath' : 'Host.SourcePath',
      host: ctx.file.kind === 'cdk' ? '`host` from the volume' : ctx.file.kind === 'ecs-taskdef' ? '`host`' : '`Host`',
      efs: ctx.file.kind === 'cdk' || ctx.file.kind === 'ecs-taskdef' ? '`efsVolumeConfiguration`' : '`EFSVolumeConfiguration`',
      dockerVolume: spell(ctx, 'DockerVolumeConfiguration'),
    };
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const first = onceEach();
      const dropFargate = dropFargateHint(ctx, td);
      const data = dropFargate ? { fix: 'drop-fargate', resource: td.id } : undefined;
      for (const s of fargateScenarios(tpl, td)) {
        for (const volume of itemsIn(get(td.properties, 'Volumes'), s)) {
          const name = literal(get(volume, 'Name'));
          const label = name === undefined ? 'A volume' : `Volume ${name}`;
          const host = pick(get(volume, 'Host'), s);
          const source = host && !isNoValue(host) ? pair(asMap(host), 'SourcePath') : undefined;
          if (source && isSetIn(host, 'SourcePath', s) && first(source.key)) {
            ctx.report({
              node: source.key,
              messageId: 'hostPath', values: { volume: label, taskDefinition: ctx.name(td), ...words, dropFargate }, data,
            });
          }
          const docker = pair(volume, 'DockerVolumeConfiguration');
          if (docker && isSetIn(volume, 'DockerVolumeConfiguration', s) && first(docker.key)) {
            ctx.report({
              node: docker.key,
              messageId: 'dockerVolume', values: { volume: label, taskDefinition: ctx.name(td), ...words, dropFargate }, data,
            });
          }
        }
      }
    }
  },
});
