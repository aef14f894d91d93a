// ecs-execution-role-missing: give the task definition an execution role, either a new `AWS::IAM::Role`
// trusted by ecs-tasks.amazonaws.com with AmazonECSTaskExecutionRolePolicy (inserted right after the task
// definition) or an existing execution role of the template that no task definition uses.
import { getAtt } from './edit';
import { freeId, hasManagedPolicy, insertResourcesAfter, serviceRole, stem } from './resources';
import { ECS_TASKS, TASK_DEFINITION, TASK_DEFINITION_SUFFIX, unusedEcsTaskRoles } from './task-role';
import { defineFix, findingResource, setProperties, type Fix } from './types';

export const EXECUTION_POLICY = 'service-role/AmazonECSTaskExecutionRolePolicy';

export const addExecutionRole = defineFix<{ resource: string }>({
  id: 'add-execution-role',
  summary: 'adds `ExecutionRoleArn` pointing at a new `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` with the `AmazonECSTaskExecutionRolePolicy` managed policy (inserted after the task definition), or at an existing execution role of the template that no task definition uses. Secrets the task injects still need read access added to the role.',
  provide(ctx) {
    const tpl = ctx.template;
    const td = findingResource(ctx, TASK_DEFINITION);
    if (!tpl || !td) return [];
    const fixes: Fix[] = [];
    const name = freeId(tpl, `${stem(td.id, TASK_DEFINITION_SUFFIX)}ExecutionRole`);
    const property = setProperties(ctx, td, [], [['ExecutionRoleArn', getAtt(name, 'Arn')]]);
    const role = insertResourcesAfter(ctx, td, [[name, serviceRole(ECS_TASKS, [EXECUTION_POLICY])]]);
    if (property.length && role) {
      fixes.push({ title: `Add an execution role: new IAM role ${name} (AmazonECSTaskExecutionRolePolicy) for ${td.id}`, preferred: true, edits: [...property, role] });
    }
    // An unused role that looks like an execution role: it has the managed policy, or says so in its name.
    for (const existing of unusedEcsTaskRoles(tpl, td, 'ExecutionRoleArn')) {
      if (!hasManagedPolicy(existing, 'AmazonECSTaskExecutionRolePolicy') && !/execution/i.test(existing.id)) continue;
      const edits = setProperties(ctx, td, [], [['ExecutionRoleArn', getAtt(existing.id, 'Arn')]]);
      if (edits.length) fixes.push({ title: `Use the existing role ${existing.id} as the execution role of ${td.id}`, edits });
    }
    return fixes;
  },
});
