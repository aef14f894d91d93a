// Task definitions without a task role of their own; the severity follows the risk.
import { asSeq, get } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { literal } from '../../model/intrinsics';
import type { Resource } from '../../model/template';
import { awsCallSigns, canUseHostCredentials, compatibilities, hasProperty, spell, TASK_DEFINITION } from '../ecs';

/** Why the task runs on EC2 capacity, for the detail. */
function ec2Reason(td: Resource, requires: string): string {
  const mode = literal(get(td.properties, 'NetworkMode'));
  const compat = compatibilities(td) ?? [];
  const network = mode ? `, network mode ${mode}` : '';
  if (!compat.length) return `no ${requires}, so it is an EC2 task definition${network}`;
  // Under Fn::If the launch types are alternatives: EC2 is one of them, not listed beside the others.
  const plain = asSeq(get(td.properties, 'RequiresCompatibilities'))?.items.every((i) => literal(i) !== undefined);
  const ec2 = compat.filter((c) => c !== 'FARGATE').join(' or ');
  return plain ? `it lists ${compat.join(', ')}${network}` : `its ${requires} can be ${ec2}, depending on a condition${network}`;
}

export default defineRule({
  meta: {
    id: 'ecs-task-role-missing',
    title: 'ECS task definition has no task role',
    severity: 'warning',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-task-role'],
    description:
      'The **task role** is the IAM role the containers of a task use for AWS calls. It is set in the task definition (`TaskRoleArn`; `taskRoleArn` in the ECS API, `taskRole` on a CDK task definition), so each task gets exactly the permissions it needs, and each ECS service should get a role of its own. Without one, what happens depends on what the containers do and where the task runs:\n\n- on **EC2** (and ECS Anywhere) capacity, an SDK or the AWS CLI in the container falls back to the credentials of the host (the instance role, shared by every task on the instance): a **warning**;\n- when the containers clearly call AWS (an AWS CLI, X-Ray daemon, CloudWatch agent or AWS for Fluent Bit image, or an environment variable naming a queue, table, bucket or secret of the template), the task needs a role of its own to work: a **warning**;\n- otherwise (a Fargate task with no sign of AWS calls) the task simply has no AWS credentials, which is often intended: a **hint**.',
    fix: 'Add `TaskRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com`, holding only what this service needs (in CDK: pass a `taskRole` to the task definition, or grant to `taskDefinition.taskRole`). Create one role per service. On EC2, also keep containers away from the instance role: `awsvpc` mode with `ECS_AWSVPC_BLOCK_IMDS=true`, or an iptables rule (or an IMDSv2 hop limit of 1) for `bridge` mode.',
    messages: {
      hostCredentials: 'Task definition {{taskDefinition}} has no {{taskRole}}: on EC2 its containers can use the instance role',
      awsCalls: 'Task definition {{taskDefinition}} has no {{taskRole}}, but container {{container}} calls AWS ({{sign}})',
      noTaskRole: 'Task definition {{taskDefinition}} has no {{taskRole}}: its tasks get no AWS credentials',
    },
    details: {
      hostCredentials:
        'The task can run on EC2 capacity ({{where}}). Without a task role, an AWS SDK or the AWS CLI in any of its containers finds the instance role through the instance metadata service and acts with the permissions every task on the host shares. Give the task a role of its own with only what it calls ({{how}}), and block container access to instance metadata (`ECS_AWSVPC_BLOCK_IMDS=true` with `awsvpc`, an iptables rule or an IMDSv2 hop limit of 1 with `bridge`).',
      awsCalls:
        'Container {{container}} shows that the task calls AWS APIs ({{sign}}). Without a task role it has no credentials of its own: on Fargate the calls fail; on EC2 they silently use the instance role. Add a role trusted by `ecs-tasks.amazonaws.com` with only the permissions this service needs ({{how}}).',
      noTaskRole:
        'Nothing in the task definition shows AWS calls, and on Fargate a task without a task role has no AWS credentials at all, which can be intended. If the application calls AWS (through an SDK), give it a role of its own ({{how}}), one per service.',
    },
    example: {
      fires: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n',
      fixed: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt AppTaskRole.Arn\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n',
    },
  },
  check(ctx) {
    const taskRole = spell(ctx, 'TaskRoleArn', 'taskRole');
    const how = ctx.file.kind === 'cdk' ? 'pass `taskRole` to the task definition, or grant to `taskDefinition.taskRole`' : `set \`${taskRole}\``;
    for (const td of ctx.template.byType(TASK_DEFINITION)) {
      if (hasProperty(td, 'TaskRoleArn')) continue;
      const base = { node: td.key, data: { fix: 'add-task-role', resource: td.id } };
      const values = { taskDefinition: ctx.name(td), taskRole, how };
      const sign = awsCallSigns(ctx.template, td)[0];
      if (sign) {
        ctx.report({ ...base, messageId: 'awsCalls', values: { ...values, container: sign.container, sign: sign.sign }, severity: 'warning' });
      } else if (canUseHostCredentials(ctx.template, td)) {
        ctx.report({ ...base, messageId: 'hostCredentials', values: { ...values, where: ec2Reason(td, spell(ctx, 'RequiresCompatibilities')) }, severity: 'warning' });
      } else {
        ctx.report({ ...base, messageId: 'noTaskRole', values, severity: 'hint' });
      }
    }
  },
});

