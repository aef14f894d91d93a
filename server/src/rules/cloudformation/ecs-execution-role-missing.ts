// Task definitions whose containers need the task execution role and have none: on Fargate, ECS Managed
// Instances and external instances (ECS Anywhere) for private ECR pulls, awslogs, secrets and registry
// credentials; on EC2 for secrets and registry credentials (the instance profile pulls images and ships logs
// there, but never resolves secrets).
import { defineRule } from '../../engine/rule';
import type { Resource, Template } from '../../model/template';
import { missingExecutionRole, spell, taskRoleOptional, TASK_DEFINITION } from '../ecs';

/**
 * The detail's sentence on the task role: when the task has none and shows no AWS calls, this error stands
 * in for `ecs-task-role-missing`'s info on the same task definition and says that none is needed.
 */
function taskRoleNote(ctx: { readonly template: Template; readonly file: { readonly kind?: string } }, td: Resource, onFargate: boolean): string {
  if (taskRoleOptional(ctx.template, td)) return ` It is not the task role (\`${spell(ctx, 'TaskRoleArn', 'taskRole')}\`), which this task does not need unless its application calls AWS.`;
  return onFargate ? " It is not the task role, which is for the application's own AWS calls." : '';
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
      'The **task execution role** (`ExecutionRoleArn`; `executionRoleArn` in the ECS API, `executionRole` on a CDK task definition) is the role ECS uses to prepare a task: it resolves `Secrets` (and log `SecretOptions`) from Secrets Manager or SSM Parameter Store and private registry credentials (`RepositoryCredentials`) on every launch type, since the EC2 instance profile never does this. On **Fargate**, where there is no instance profile, it also pulls images from private ECR and delivers `awslogs` logs to CloudWatch Logs, and so it does on **ECS Managed Instances** (`MANAGED_INSTANCES`) and on **external instances** (ECS Anywhere, `EXTERNAL`). On EC2 the instance profile can pull private ECR images and ship `awslogs` logs, so those alone need no execution role there. A task definition that needs it and has none is rejected at registration or fails to start.',
    fix: 'Add `ExecutionRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` with the `AmazonECSTaskExecutionRolePolicy` managed policy, plus read access to the specific secrets or parameters the task references (`secretsmanager:GetSecretValue`, `ssm:GetParameters`, and `kms:Decrypt` for a customer managed key). Keep it separate from the task role (`TaskRoleArn`), which is for the application\'s own AWS calls.',
    messages: {
      fargate: 'Fargate task definition {{taskDefinition}} has no {{executionRole}}: {{outcome}}',
      secrets: 'Task definition {{taskDefinition}} uses {{what}} but has no {{executionRole}}',
      external: '{{capacity}} task definition {{taskDefinition}} has no {{executionRole}}: its tasks cannot start',
    },
    details: {
      fargate:
        'On Fargate there is no instance profile: the task execution role does this work, and {{reasons}}. Add {{executionRole}} with a role trusted by `ecs-tasks.amazonaws.com` holding `AmazonECSTaskExecutionRolePolicy` (plus read access to the secrets it uses).{{taskRoleNote}}',
      external:
        'On {{capacity}} the task execution role pulls images from private ECR and delivers `awslogs` logs (the host\'s own role does not do it for tasks), and {{reasons}}. Add {{executionRole}} with a role trusted by `ecs-tasks.amazonaws.com` holding `AmazonECSTaskExecutionRolePolicy` (plus read access to the secrets it uses).{{taskRoleNote}}',
      secrets:
        'Only the task execution role resolves secrets and private registry credentials; the EC2 instance profile does not, so ECS rejects the task definition (or its tasks fail to start): {{reasons}}. Add {{executionRole}} with a role trusted by `ecs-tasks.amazonaws.com` holding `AmazonECSTaskExecutionRolePolicy` and read access to those secrets (`secretsmanager:GetSecretValue`, `ssm:GetParameters`, `kms:Decrypt` for a customer managed key).{{taskRoleNote}}',
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
      const missing = missingExecutionRole(tpl, td);
      if (!missing) continue;
      const { reasons, onFargate, capacity } = missing;
      const joined = reasons.join('; ');
      const what = /secrets/.test(joined) ? (/registry credentials/.test(joined) ? 'secrets and registry credentials' : 'secrets') : 'registry credentials';
      ctx.report({
        node: td.key,
        messageId: onFargate ? 'fargate' : capacity ? 'external' : 'secrets',
        // ECS refuses to register a Fargate task definition that logs with awslogs and has no execution role;
        // the other jobs fail when a task starts.
        values: { taskDefinition: ctx.name(td), executionRole, reasons: joined, what, capacity: capacity ?? '', outcome: /awslogs/.test(joined) ? 'ECS rejects it (awslogs needs one)' : 'its tasks cannot start', taskRoleNote: taskRoleNote(ctx, td, onFargate || !!capacity) },
        data: { fix: 'add-execution-role', resource: td.id },
      });
    }
  },
});
