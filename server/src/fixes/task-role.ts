// ecs-task-role-missing: give the task definition a task role, either a new `AWS::IAM::Role` trusted by
// ecs-tasks.amazonaws.com (inserted right after the task definition) or an existing task role of the
// template that no other task definition uses.
import { asMap, get, items, str } from '../documents/nodes';
import { literalValues } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { getAtt, type Value } from './edit';
import { findingResource, setProperties, type Fix, type FixProvider } from './types';

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
const ROLE = 'AWS::IAM::Role';
const ECS_TASKS = 'ecs-tasks.amazonaws.com';

export const addTaskRole: FixProvider = (ctx) => {
  const tpl = ctx.template;
  const td = findingResource(ctx, TASK_DEFINITION);
  if (!tpl || !td) return [];
  const fixes: Fix[] = [];
  const resources = asMap(get(tpl.root, 'Resources'));
  const tdPair = resources?.pairs.find((p) => p.key === td.key);
  if (resources && tdPair) {
    const name = newRoleId(tpl, td);
    const property = setProperties(ctx, td, [], [['TaskRoleArn', getAtt(name, 'Arn')]]);
    if (property.length) {
      const blank = ctx.file.format === 'yaml' && blankLineAfter(ctx.file.text, ctx.editor.file.lines.lineEnd(ctx.editor.line(Math.max(tdPair.value.end, tdPair.key.end))));
      fixes.push({
        title: `Add a task role: new IAM role ${name} for ${td.id}`,
        preferred: true,
        edits: [...property, ctx.editor.insertPairs(resources, [[name, taskRole()]], tdPair, { blankLineBefore: blank })],
      });
    }
  }
  for (const role of reusableRoles(tpl, td)) {
    const edits = setProperties(ctx, td, [], [['TaskRoleArn', getAtt(role.id, 'Arn')]]);
    if (edits.length) fixes.push({ title: `Use the existing role ${role.id} as the task role of ${td.id}`, edits });
  }
  return fixes;
};

/** A role trusted by ECS tasks, with no permissions yet: the service adds only what it needs. */
function taskRole(): Value {
  return {
    Type: ROLE,
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ECS_TASKS }, Action: 'sts:AssumeRole' }],
      },
    },
  };
}

/** `AppTask` -> `AppTaskRole`, `Api` -> `ApiTaskRole`; numbered when taken. */
function newRoleId(tpl: Template, td: Resource): string {
  const base = `${td.id.replace(/(TaskDefinition|TaskDef|Task)$/, '')}TaskRole`;
  // A line of the text that starts with the id as a key (`  Id:`, `"Id" :`): plain string search (the id is
  // user text: never a regular expression), as /^\s*"?ID"?\s*:/m would find it.
  const text = tpl.file.text;
  const space = (c: string) => /\s/.test(c);
  const lineBreak = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
  const keyAt = (at: number, id: string) => {
    let b = at;
    if (text[b - 1] === '"') b--;
    let brokeLine = false;
    while (b > 0 && space(text[b - 1])) if (lineBreak(text[--b])) brokeLine = true;
    if (b > 0 && !brokeLine) return false;
    let e = at + id.length;
    if (text[e] === '"') e++;
    while (e < text.length && space(text[e])) e++;
    return text[e] === ':';
  };
  const inText = (id: string) => {
    for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) if (keyAt(at, id)) return true;
    return false;
  };
  const taken = (id: string) => tpl.resources.has(id) || tpl.parameters.has(id) || inText(id);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** IAM roles trusted by ecs-tasks.amazonaws.com that no other task definition uses (as task or execution role). */
function reusableRoles(tpl: Template, td: Resource): Resource[] {
  const used = new Set<Resource>();
  for (const other of tpl.byType(TASK_DEFINITION)) {
    for (const prop of ['TaskRoleArn', 'ExecutionRoleArn']) {
      if (other === td && prop === 'TaskRoleArn') continue;
      for (const r of tpl.targets(get(other.properties, prop))) used.add(r);
    }
  }
  return tpl.byType(ROLE).filter((role) => !used.has(role) && trustsEcsTasks(role));
}

function trustsEcsTasks(role: Resource): boolean {
  const doc = get(role.properties, 'AssumeRolePolicyDocument');
  const statements = get(doc, 'Statement');
  const list = items(statements).length ? items(statements) : statements ? [statements] : [];
  return list.some((st) => {
    if ((str(get(st, 'Effect')) ?? 'Allow') !== 'Allow') return false;
    const service = get(get(st, 'Principal'), 'Service');
    const values = items(service).length ? items(service).flatMap((s) => literalValues(s) ?? []) : literalValues(service) ?? [];
    return values.includes(ECS_TASKS);
  });
}

function blankLineAfter(text: string, lineEnd: number): boolean {
  const m = /^\r?\n([ \t]*)\r?\n/.exec(text.slice(lineEnd, lineEnd + 200));
  return !!m;
}
