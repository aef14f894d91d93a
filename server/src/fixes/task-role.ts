// ecs-task-role-missing: give the task definition a task role, either a new `AWS::IAM::Role` trusted by
// ecs-tasks.amazonaws.com (inserted right after the task definition) or an existing task role of the
// template that no other task definition uses.
import { get } from '../documents/nodes';
import type { Resource, Template } from '../model/template';
import { getAtt } from './edit';
import { freeId, insertResourcesAfter, serviceRole, stem, trustsService } from './resources';
import { defineFix, findingResource, setProperties, type Fix } from './types';

export const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
const ROLE = 'AWS::IAM::Role';
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';
export const TASK_DEFINITION_SUFFIX = /(TaskDefinition|TaskDef|Task)$/;

export const addTaskRole = defineFix<{ resource: string; usesCredentials: boolean; windows: boolean }>({
  id: 'add-task-role',
  summary: 'adds `TaskRoleArn` pointing at a new `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com` (inserted after the task definition), or at an existing task role of the template that no other task definition uses. The new role has no policies: for a task that calls AWS, or may through the instance role today, it is not the preferred fix (`--fix` leaves it), since its calls would then be denied until the role is given what they need; nor on Windows container instances, whose agent must be started with `-EnableTaskIAMRole` before tasks with a task role are placed there.',
  provide(ctx) {
    const tpl = ctx.template;
    const td = findingResource(ctx, TASK_DEFINITION);
    if (!tpl || !td) return [];
    const fixes: Fix[] = [];
    // `AppTask` -> `AppTaskRole`, `Api` -> `ApiTaskRole`; numbered when taken.
    const name = freeId(tpl, `${stem(td.id, TASK_DEFINITION_SUFFIX)}TaskRole`);
    const property = setProperties(ctx, td, [], [['TaskRoleArn', getAtt(name, 'Arn')]]);
    const role = insertResourcesAfter(ctx, td, [[name, serviceRole(ECS_TASKS)]]);
    if (property.length && role) {
      // An empty role stops the SDKs from falling back to the instance role: calls that work today would fail.
      const calls = ctx.data.usesCredentials === true;
      const windows = ctx.data.windows === true;
      const note = [calls ? 'no policies yet: grant what its containers call' : '', windows ? 'start the Windows agent with -EnableTaskIAMRole first' : ''].filter(Boolean).join('; ');
      fixes.push({ title: `Add a task role: new IAM role ${name} for ${td.id}${note ? ` (${note})` : ''}`, preferred: !calls && !windows, edits: [...property, role] });
    }
    for (const existing of unusedEcsTaskRoles(tpl, td, 'TaskRoleArn')) {
      const edits = setProperties(ctx, td, [], [['TaskRoleArn', getAtt(existing.id, 'Arn')]]);
      if (edits.length) fixes.push({ title: `Use the existing role ${existing.id} as the task role of ${td.id}`, edits });
    }
    return fixes;
  },
});

/**
 * IAM roles trusted by ecs-tasks.amazonaws.com that no task definition uses (as task or execution role),
 * other than `td` itself through `prop` (the property the fix sets).
 */
export function unusedEcsTaskRoles(tpl: Template, td: Resource, prop: 'TaskRoleArn' | 'ExecutionRoleArn'): Resource[] {
  const used = new Set<Resource>();
  for (const other of tpl.byType(TASK_DEFINITION)) {
    for (const p of ['TaskRoleArn', 'ExecutionRoleArn']) {
      if (other === td && p === prop) continue;
      for (const r of tpl.targets(get(other.properties, p))) used.add(r);
    }
  }
  return tpl.byType(ROLE).filter((role) => !used.has(role) && trustsService(role, ECS_TASKS));
}
