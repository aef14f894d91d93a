// Fargate task definitions that pull private images, ship logs or inject secrets without an execution role.
import { asMap, get, type MapNode } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import type { Template } from '../../model/template';
import { containersIn, fargateScenarios, isPrivateEcrImage, isSetIn, itemsIn, pick, TASK_DEFINITION, type Scenario } from '../ecs';

/** Why a container needs the task execution role, in one scenario. */
function needs(tpl: Template, container: MapNode, s: Scenario): string[] {
  const out: string[] = [];
  const image = pick(get(container, 'Image'), s);
  if (image && !isNoValue(image) && isPrivateEcrImage(tpl, image)) out.push('pulls its image from a private ECR repository');
  const log = asMap(pick(get(container, 'LogConfiguration'), s));
  if (literal(pick(get(log, 'LogDriver'), s)) === 'awslogs') out.push('sends logs with the awslogs driver');
  if (itemsIn(get(container, 'Secrets'), s).length || itemsIn(get(log, 'SecretOptions'), s).length) out.push('injects Secrets from Secrets Manager or SSM Parameter Store');
  if (isSetIn(container, 'RepositoryCredentials', s)) out.push('pulls with RepositoryCredentials');
  return out;
}

export default defineRule({
  meta: {
    id: 'ecs-execution-role-missing',
    title: 'Fargate task definition needs an execution role',
    severity: 'error',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-execution-role'],
    description:
      'On Fargate there is no instance profile: the **task execution role** (`ExecutionRoleArn`) does the agent\'s work of pulling images from private ECR, delivering `awslogs` logs to CloudWatch Logs and injecting `Secrets` from Secrets Manager or SSM Parameter Store (and private registry credentials). Without it, a Fargate task that needs any of these fails to start. On EC2 the instance profile can do these jobs, though the execution role is the recommended place there too.',
    fix: 'Add `ExecutionRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` with the `AmazonECSTaskExecutionRolePolicy` managed policy, plus read access to the specific secrets or parameters the task references. Keep it separate from the task role (`TaskRoleArn`), which is for the application\'s own AWS calls.',
    messages: {
      noExecutionRole: 'Task definition {{taskDefinition}} requires FARGATE and has no ExecutionRoleArn, but {{reasons}}: on Fargate the task execution role does this work (there is no instance profile). Add an ExecutionRoleArn with AmazonECSTaskExecutionRolePolicy (plus read access to the secrets it uses).',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      ExecutionRoleArn: !GetAtt ExecutionRole.Arn\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const reasons: string[] = [];
      for (const s of fargateScenarios(tpl, td)) {
        if (isSetIn(td.properties, 'ExecutionRoleArn', s) !== false) continue;
        for (const container of containersIn(td, s)) {
          const why = needs(tpl, container, s);
          if (!why.length) continue;
          const name = literal(pick(get(container, 'Name'), s));
          const text = `${name === undefined ? 'a container' : `container ${name}`} ${why.join(', ')}`;
          if (!reasons.includes(text)) reasons.push(text);
        }
      }
      if (!reasons.length) continue;
      ctx.report({
        node: td.key,
        messageId: 'noExecutionRole', values: { taskDefinition: ctx.name(td), reasons: reasons.join('; ') },
        data: { fix: 'add-execution-role', resource: td.id },
      });
    }
  },
});
