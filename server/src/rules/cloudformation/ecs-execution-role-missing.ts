// Task definitions whose containers need the task execution role and have none: on Fargate for private ECR
// pulls, awslogs, secrets and registry credentials; on EC2 for secrets and registry credentials (the instance
// profile pulls images and ships logs there, but never resolves secrets).
import { asMap, get, type MapNode } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import type { Template } from '../../model/template';
import { compatibilitiesIn, containerDefinitions, containersIn, isFargate, isPrivateEcrImage, isSetIn, itemsIn, pick, resourceCondition, scenarios, spell, TASK_DEFINITION, type Scenario } from '../ecs';

/** Why a container needs the task execution role, in one scenario: jobs only it does, and Fargate-only ones. */
function needs(tpl: Template, container: MapNode, s: Scenario, fargate: boolean): string[] {
  const out: string[] = [];
  const log = asMap(pick(get(container, 'LogConfiguration'), s));
  if (fargate) {
    const image = pick(get(container, 'Image'), s);
    if (image && !isNoValue(image) && isPrivateEcrImage(tpl, image)) out.push('pulls its image from a private ECR repository');
    if (literal(pick(get(log, 'LogDriver'), s)) === 'awslogs') out.push('sends logs with the awslogs driver');
  }
  if (itemsIn(get(container, 'Secrets'), s).length || itemsIn(get(log, 'SecretOptions'), s).length) out.push('injects secrets from Secrets Manager or SSM Parameter Store');
  if (isSetIn(container, 'RepositoryCredentials', s)) out.push('pulls with private registry credentials');
  return out;
}
export default defineRule({
  meta: {
    id: 'ecs-execution-role-missing',
    title: 'Task definition needs an execution role',
    severity: 'error',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-execution-role'],
    description:
      'The **task execution role** (`ExecutionRoleArn`; `executionRoleArn` in the ECS API, `executionRole` on a CDK task definition) is the role ECS uses to prepare a task: it resolves `Secrets` (and log `SecretOptions`) from Secrets Manager or SSM Parameter Store and private registry credentials (`RepositoryCredentials`) on every launch type, since the EC2 instance profile never does this. On **Fargate**, where there is no instance profile, it also pulls images from private ECR and delivers `awslogs` logs to CloudWatch Logs. On EC2 the instance profile can pull private ECR images and ship `awslogs` logs, so those alone need no execution role there. A task definition that needs it and has none is rejected at registration or fails to start.',
    fix: 'Add `ExecutionRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` with the `AmazonECSTaskExecutionRolePolicy` managed policy, plus read access to the specific secrets or parameters the task references (`secretsmanager:GetSecretValue`, `ssm:GetParameters`, and `kms:Decrypt` for a customer managed key). Keep it separate from the task role (`TaskRoleArn`), which is for the application\'s own AWS calls.',
    messages: {
      fargate: 'Fargate task definition {{taskDefinition}} has no {{executionRole}}: its tasks cannot start',
      secrets: 'Task definition {{taskDefinition}} uses {{what}} but has no {{executionRole}}',
    },
    details: {
      fargate:
        'On Fargate there is no instance profile: the task execution role does this work, and {{reasons}}. Add {{executionRole}} with a role trusted by `ecs-tasks.amazonaws.com` holding `AmazonECSTaskExecutionRolePolicy` (plus read access to the secrets it uses). It is not the task role, which is for the application\'s own AWS calls.',
      secrets:
        'Only the task execution role resolves secrets and private registry credentials; the EC2 instance profile does not, so ECS rejects the task definition (or its tasks fail to start): {{reasons}}. Add {{executionRole}} with a role trusted by `ecs-tasks.amazonaws.com` holding `AmazonECSTaskExecutionRolePolicy` and read access to those secrets (`secretsmanager:GetSecretValue`, `ssm:GetParameters`, `kms:Decrypt` for a customer managed key).',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n      ExecutionRoleArn: !GetAtt ExecutionRole.Arn\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const executionRole = spell(ctx, 'ExecutionRoleArn', 'executionRole');
    for (const td of tpl.byType(TASK_DEFINITION)) {
      // Outside Fargate only secrets and registry credentials need the role: skip the scenarios when no container has any.
      if (!isFargate(td) && !containerDefinitions(td).some((c) => ['Secrets', 'RepositoryCredentials'].some((k) => get(c, k)) || get(get(c, 'LogConfiguration'), 'SecretOptions'))) continue;
      const reasons: string[] = [];
      let onFargate = false;
      for (const s of scenarios(tpl, [td.properties], [resourceCondition(td)]) ?? []) {
        if (isSetIn(td.properties, 'ExecutionRoleArn', s) !== false) continue;
        const compat = compatibilitiesIn(td, s);
        if (!compat) continue;
        const fargate = compat.includes('FARGATE');
        for (const container of containersIn(td, s)) {
          const why = needs(tpl, container, s, fargate);
          if (!why.length) continue;
          onFargate ||= fargate;
          const name = literal(pick(get(container, 'Name'), s));
          const text = `${name === undefined ? 'a container' : `container ${name}`} ${why.join(', ')}`;
          if (!reasons.includes(text)) reasons.push(text);
        }
      }
      if (!reasons.length) continue;
      const joined = reasons.join('; ');
      const what = /secrets/.test(joined) ? (/registry credentials/.test(joined) ? 'secrets and registry credentials' : 'secrets') : 'registry credentials';
      ctx.report({
        node: td.key,
        messageId: onFargate ? 'fargate' : 'secrets',
        values: { taskDefinition: ctx.name(td), executionRole, reasons: joined, what },
        data: { fix: 'add-execution-role', resource: td.id },
      });
    }
  },
});
