// Task definitions without a task role of their own.
import { defineRule } from '../../engine/rule';
import { hasProperty, TASK_DEFINITION } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-task-role-missing',
    title: 'ECS task definition has no task role',
    severity: 'warning',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-task-role'],
    description:
      'The **task role** is the IAM role the containers of a task use for AWS calls. It is set in the task definition (`TaskRoleArn`), so each task gets exactly the permissions it needs, and the KB asks for a different role for each ECS service. Without one, code in the task either has no AWS access or falls back to broader credentials (on the EC2 launch type, the instance profile that every task on the host shares).',
    fix: 'Add `TaskRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com`, holding only what this service needs. Create one role per service.',
    messages: {
      noTaskRole: 'Task definition {{taskDefinition}} has no TaskRoleArn: give its tasks an IAM task role of their own (one role per service) with only the permissions they need.',
    },
    example: {
      fires: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n',
      fixed: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt AppTaskRole.Arn\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n',
    },
  },
  check(ctx) {
    for (const td of ctx.template.byType(TASK_DEFINITION)) {
      if (hasProperty(td, 'TaskRoleArn')) continue;
      ctx.report({
        node: td.key,
        messageId: 'noTaskRole', values: { taskDefinition: ctx.name(td) },
        data: { fix: 'add-task-role', resource: td.id },
      });
    }
  },
});
