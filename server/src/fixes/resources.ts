// Shared by the fixes that add resources to a template: free logical ids, inserting new resources after
// the one a finding is about, IAM roles trusted by a service with AWS managed policies.
import { asMap, get, items, str, type Node, type Pair } from '../documents/nodes';
import { intrinsic, literalValues } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { Intrinsic, type TextEdit, type Value } from './edit';
import type { FixContext } from './types';

/** Every name in the template a new logical id must not take: resources, parameters, conditions, mappings, outputs. */
function namesOf(tpl: Template): Set<string> {
  const names = new Set<string>([...tpl.resources.keys(), ...tpl.parameters.keys(), ...tpl.conditions]);
  for (const section of ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs']) {
    for (const p of asMap(get(tpl.root, section))?.pairs ?? []) names.add(String(p.key.value));
  }
  return names;
}

/**
 * A logical id for a new resource: `base` (made alphanumeric, as CloudFormation requires), numbered from 2
 * when taken by the template or by `also` (ids the same fix adds). The chosen id is added to `also`.
 */
export function freeId(tpl: Template, base: string, also: Set<string> = new Set()): string {
  const clean = base.replace(/[^A-Za-z0-9]/g, '') || 'Resource';
  const names = namesOf(tpl);
  const taken = (id: string) => names.has(id) || also.has(id);
  let id = clean;
  for (let i = 2; taken(id); i++) id = `${clean}${i}`;
  also.add(id);
  return id;
}

/** A logical id without a suffix such as `TaskDefinition` (`AppTaskDefinition` -> `App`). */
export function stem(id: string, suffix: RegExp): string {
  return id.replace(suffix, '');
}

/**
 * Inserts new resources right after `res` in `Resources` (with a blank line before them when the file
 * separates resources that way); undefined when `Resources` is not a map the editor can write.
 */
export function insertResourcesAfter(ctx: FixContext<unknown>, res: Resource, entries: Array<[string, Value]>): TextEdit | undefined {
  const tpl = ctx.template;
  const resources = tpl && asMap(get(tpl.root, 'Resources'));
  const after: Pair | undefined = resources?.pairs.find((p) => p.key === res.key);
  if (!resources || !after) return undefined;
  const blank = ctx.file.format === 'yaml' && blankLineAfter(ctx.file.text, ctx.file.lines.lineEnd(ctx.editor.line(Math.max(after.value.end, after.key.end))));
  return ctx.editor.insertPairs(resources, entries, after, { blankLineBefore: blank });
}

function blankLineAfter(text: string, lineEnd: number): boolean {
  return /^\r?\n([ \t]*)\r?\n/.test(text.slice(lineEnd, lineEnd + 200));
}

/** `arn:${AWS::Partition}:iam::aws:policy/<name>`, e.g. `service-role/AmazonECSTaskExecutionRolePolicy`. */
export function awsManagedPolicy(name: string): Value {
  return new Intrinsic('Fn::Sub', `arn:\${AWS::Partition}:iam::aws:policy/${name}`);
}

/** An `AWS::IAM::Role` that `service` (e.g. `ecs-tasks.amazonaws.com`) may assume, with AWS managed policies. */
export function serviceRole(service: string, managedPolicies: string[] = []): Value {
  const properties: { [key: string]: Value } = {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
    },
  };
  if (managedPolicies.length) properties.ManagedPolicyArns = managedPolicies.map(awsManagedPolicy);
  return { Type: 'AWS::IAM::Role', Properties: properties };
}

/** True when a role's trust policy lets `service` assume it. */
export function trustsService(role: Resource, service: string): boolean {
  const statements = get(get(role.properties, 'AssumeRolePolicyDocument'), 'Statement');
  const list = items(statements).length ? items(statements) : statements ? [statements] : [];
  return list.some((st) => {
    if ((str(get(st, 'Effect')) ?? 'Allow') !== 'Allow') return false;
    const principal = get(get(st, 'Principal'), 'Service');
    const values = items(principal).length ? items(principal).flatMap((s) => literalValues(s) ?? []) : literalValues(principal) ?? [];
    return values.includes(service);
  });
}

/** True when a role lists an AWS managed policy whose ARN ends with `/<name>` (written literally or through Sub/Join). */
export function hasManagedPolicy(role: Resource, name: string): boolean {
  const arns = items(get(role.properties, 'ManagedPolicyArns'));
  return arns.some((a) => (literalValues(a) ?? [subText(a)]).some((v) => typeof v === 'string' && v.endsWith(`/${name}`)));
}

/** The template string of a `Fn::Sub` (short or long form), for reading ARNs such as `arn:${AWS::Partition}:...`. */
function subText(node: Node | undefined): string | undefined {
  const i = intrinsic(node);
  if (i?.name !== 'Fn::Sub') return undefined;
  return str(i.arg) ?? str(items(i.arg)[0]);
}

/**
 * A copy of a template value to write elsewhere (e.g. the cluster a service names, inside a new
 * `Fn::Join`): scalars, lists, maps and intrinsics; undefined for aliases, tags we do not write, multi-line
 * strings or anything deeper or larger than a small value.
 */
export function valueOf(node: Node | undefined, budget = { nodes: 50 }, depth = 0): Value | undefined {
  if (!node || depth > 8 || --budget.nodes < 0 || node.tag) return undefined;
  if (node.kind === 'scalar') return typeof node.value === 'string' && /[\r\n]/.test(node.value) ? undefined : node.value;
  if (node.kind === 'seq') {
    const out: Value[] = [];
    for (const i of node.items) {
      const v = valueOf(i, budget, depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (node.kind !== 'map') return undefined;
  const fn = intrinsic(node);
  if (fn) {
    const arg = valueOf(fn.arg, budget, depth + 1);
    return arg === undefined ? undefined : new Intrinsic(fn.name, arg);
  }
  const out: { [key: string]: Value } = {};
  for (const p of node.pairs) {
    const v = valueOf(p.value, budget, depth + 1);
    if (v === undefined || typeof p.key.value !== 'string') return undefined;
    out[p.key.value] = v;
  }
  return out;
}
