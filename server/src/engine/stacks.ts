// Cross-stack facts: what a CloudFormation template hands to other stacks (outputs, exports, nested-stack
// parameters) and what it does with what it receives (parameters, nested stacks' outputs, imports), as plain
// data the workspace index keeps per file. A rule asks whether some stack of the workspace does a job (scales
// a service, puts a capacity provider on a group, alarms on a policy) with a resource the template hands over.
//
// Decisions (see the rule docs of ecs-service-autoscaling-missing and ecs-capacity-provider-missing):
// - nested stacks are matched by the base name of their `TemplateURL` (`.../ecs-cluster.yaml` matches a
//   workspace file `ecs-cluster.yaml`, or one whose name ends in `_ecs-cluster.yaml`; the closest path wins);
// - a value handed to a stack that is not in the workspace (a nested template not found, an export no
//   workspace file imports, an export name that cannot be read) cannot be ruled out: rules stay quiet;
// - an output that is not exported and whose template no workspace file nests is read by no stack: it does
//   not silence a rule.
import { asMap, asSeq, get, str, type Node } from '../documents/nodes';
import { importValuesIn, intrinsic, literalValues, referencesIn } from '../model/intrinsics';
import type { Template } from '../model/template';
import { shortName } from './image-facts';

/**
 * A source a value is made from: `r:Id` a resource of the template, `p:Name` a parameter, `o:Stack.Output`
 * an output of a nested stack, `i:skeleton` an imported export (its name with unknown parts as `*`).
 */
export type Source = string;

export interface StackFacts {
  uri: string;
  outputs: Array<{ name: string; export?: string; uses: Source[] }>;
  nested: Array<{ id: string; template?: string; parameters: Array<[name: string, uses: Source[]]> }>;
  /** Resources that may do a job for a handed-over value, with what they use. */
  consumers: Array<{ type: string; uses: Source[] }>;
  /** Import skeletons used anywhere in the template. */
  imports: string[];
}

/** Resource types that do one of the jobs rules ask about. */
export const JOB_TYPES = [
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ECS::CapacityProvider',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
];

const SUB_VAR = /\$\{[^!}][^}]*\}/g;

/** A name with every part that cannot be read as `*` (`${AWS::StackName}-Cluster` -> `*-Cluster`). */
export function skeleton(node: Node | undefined): string {
  const values = literalValues(node);
  if (values?.length === 1) return values[0];
  const i = intrinsic(node);
  if (i?.name === 'Fn::Sub') {
    const seq = asSeq(i.arg);
    const template = str(seq ? seq.items[0] : i.arg);
    return template === undefined ? '*' : template.replace(SUB_VAR, '*');
  }
  if (i?.name === 'Fn::Join') {
    const seq = asSeq(i.arg);
    const list = asSeq(seq?.items[1]);
    if (!list) return '*';
    return list.items.map((item) => skeleton(item)).join(str(seq?.items[0]) ?? '');
  }
  return '*';
}

/** True when two name skeletons could name the same export. */
export function skeletonsMatch(a: string, b: string): boolean {
  if (a === '*' || b === '*') return false;
  if (!a.includes('*') && !b.includes('*')) return a === b;
  const head = (s: string) => s.slice(0, s.indexOf('*') === -1 ? s.length : s.indexOf('*'));
  const tail = (s: string) => s.slice(s.lastIndexOf('*') + 1);
  const [ha, hb, ta, tb] = [head(a), head(b), tail(a), tail(b)];
  return (ha.startsWith(hb) || hb.startsWith(ha)) && (ta.endsWith(tb) || tb.endsWith(ta)) && !!(ta || tb);
}

/** The sources a value is made from. */
export function sourcesOf(tpl: Template, node: Node | undefined): Source[] {
  const out = new Set<Source>();
  for (const ref of referencesIn(node)) {
    if (tpl.isParameter(ref.target)) out.add(`p:${ref.target}`);
    const res = tpl.resource(ref.target);
    if (!res) continue;
    if (res.type === 'AWS::CloudFormation::Stack' && ref.attribute?.startsWith('Outputs.')) out.add(`o:${res.id}.${ref.attribute.slice(8)}`);
    else out.add(`r:${res.id}`);
  }
  for (const name of importsIn(node)) out.add(`i:${name}`);
  return [...out];
}

/** The `Fn::ImportValue` name skeletons in a value: its content only, so cached per node (nodes are shared between versions). */
const IMPORTS = new WeakMap<Node, string[]>();

function importsIn(node: Node | undefined): string[] {
  if (!node) return [];
  let names = IMPORTS.get(node);
  if (!names) IMPORTS.set(node, (names = importValuesIn(node).map((arg) => skeleton(arg))));
  return names;
}

/**
 * The path of a nested stack's template as its `TemplateURL` gives it (`https://host/infra/ecs-cluster.yaml?x`
 * -> `infra/ecs-cluster.yaml` after the host), when it ends in a readable file name.
 */
function templatePath(node: Node | undefined): string | undefined {
  const text = skeleton(node).split(/[?#]/)[0].replace(/^[a-z0-9]+:\/\/[^/]*\//i, '');
  const base = text.slice(text.lastIndexOf('/') + 1);
  return base && !base.includes('*') && /\.(ya?ml|json|template)$/i.test(base) ? text : undefined;
}

const FACTS = new WeakMap<Template, StackFacts>();

/** What a template hands over and receives (once per template). */
export function stackFacts(tpl: Template): StackFacts {
  const hit = FACTS.get(tpl);
  if (hit) return hit;
  const facts: StackFacts = { uri: tpl.file.uri, outputs: [], nested: [], consumers: [], imports: [] };
  for (const p of asMap(get(tpl.root, 'Outputs'))?.pairs ?? []) {
    if (typeof p.key.value !== 'string') continue;
    const exportName = get(get(p.value, 'Export'), 'Name');
    facts.outputs.push({ name: p.key.value, ...(exportName ? { export: skeleton(exportName) } : {}), uses: sourcesOf(tpl, get(p.value, 'Value')) });
  }
  for (const res of tpl.byType('AWS::CloudFormation::Stack')) {
    const parameters: Array<[string, Source[]]> = [];
    for (const p of asMap(get(res.properties, 'Parameters'))?.pairs ?? []) if (typeof p.key.value === 'string') parameters.push([p.key.value, sourcesOf(tpl, p.value)]);
    facts.nested.push({ id: res.id, template: templatePath(get(res.properties, 'TemplateURL')), parameters });
  }
  for (const res of tpl.resources.values()) {
    const uses = sourcesOf(tpl, res.properties);
    if (JOB_TYPES.includes(res.type)) facts.consumers.push({ type: res.type, uses });
    for (const u of uses) if (u.startsWith('i:') && !facts.imports.includes(u.slice(2))) facts.imports.push(u.slice(2));
  }
  FACTS.set(tpl, facts);
  return facts;
}

export type Verdict = 'yes' | 'no' | 'unknown';

function combine(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('yes')) return 'yes';
  return verdicts.includes('unknown') ? 'unknown' : 'no';
}

/** The files a query reads: every template's facts the workspace knows. */
export interface StackIndex {
  stacks(): Iterable<StackFacts>;
  /** Where queries record what they look up, while the index records a lint's reads (engine/workspace.ts). */
  readonly lookups?: StackLookups;
}

/**
 * What queries looked up in the index: the names nested templates were resolved by, the export names whose
 * importers were searched, and the names of files whose parents (stacks nesting them) were searched. With
 * `lookupsTouch`, this says whether another file's change can change their answers.
 */
export interface StackLookups {
  nested: Set<string>;
  importers: Set<string>;
  parents: Set<string>;
}

export function emptyLookups(): StackLookups {
  return { nested: new Set(), importers: new Set(), parents: new Set() };
}

/** True when a stack whose facts were (or now are) `facts` is one of those the look-ups could have read. */
export function lookupsTouch(lookups: StackLookups, facts: StackFacts): boolean {
  if (nameKeys(facts).some((k) => lookups.nested.has(k))) return true;
  if (lookups.importers.size && facts.imports.some((name) => [...lookups.importers].some((e) => skeletonsMatch(name, e)))) return true;
  return facts.nested.some((n) => n.template !== undefined && lookups.parents.has(shortName(n.template)));
}

/** Per workspace index (while its stacks are the same objects): the stacks by the names `resolve` matches, and those with nested stacks. */
interface SharedIndex {
  stacks: StackFacts[];
  byName: Map<string, StackFacts[]>;
  withNested: StackFacts[];
}

const SHARED = new WeakMap<StackIndex, SharedIndex>();

function sharedIndex(index: StackIndex, stacks: StackFacts[]): SharedIndex {
  const hit = SHARED.get(index);
  if (hit && hit.stacks.length === stacks.length && hit.stacks.every((s, i) => s === stacks[i])) return hit;
  const byName = new Map<string, StackFacts[]>();
  for (const s of stacks)
    for (const k of nameKeys(s)) {
      let list = byName.get(k);
      if (!list) byName.set(k, (list = []));
      list.push(s);
    }
  const shared = { stacks, byName, withNested: stacks.filter((s) => s.nested.length > 0) };
  SHARED.set(index, shared);
  return shared;
}

/** The names a stack's file answers to: its base name and every `_`-suffix of it (`a_b_c.yaml`: also `b_c.yaml`, `c.yaml`). */
function nameKeys(s: StackFacts): string[] {
  const base = shortName(s.uri);
  const keys = [base];
  for (let i = base.indexOf('_'); i >= 0; i = base.indexOf('_', i + 1)) keys.push(base.slice(i + 1));
  return keys;
}


function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Path separators and the `-`/`_` that flattened copies use instead, made one. */
function normalize(path: string): string {
  return path.toLowerCase().replace(/[\\/_-]+/g, '/');
}

const MAX_DEPTH = 8;

/** Answers "does some stack do this job with what a template hands over?" over a workspace's facts. */
export class StackQuery {
  private readonly all: StackFacts[];
  private readonly shared: SharedIndex;
  private readonly resolved = new Map<string, StackFacts | undefined>();

  private readonly lookups: StackLookups | undefined;

  constructor(index: StackIndex, private readonly current: StackFacts) {
    this.lookups = index.lookups;
    const stacks = [...index.stacks()];
    this.shared = sharedIndex(index, stacks);
    this.all = stacks.filter((s) => s.uri !== current.uri);
    this.all.push(current);
  }

  /** The stacks a template path's base name can stand for, in the order of `all` (the current one last). */
  private named(name: string): StackFacts[] {
    this.lookups?.nested.add(name);
    const out = (this.shared.byName.get(name) ?? []).filter((s) => s.uri !== this.current.uri);
    if (nameKeys(this.current).includes(name)) out.push(this.current);
    return out;
  }

  /** The stacks with nested stacks, in the order of `all`. */
  private parents(): StackFacts[] {
    const out = this.shared.withNested.filter((s) => s.uri !== this.current.uri);
    if (this.current.nested.length) out.push(this.current);
    return out;
  }

  /**
   * The workspace file a nested stack's template path stands for: a file of the same base name, or one whose
   * name ends in `_<base name>` (flattened copies); the one whose path agrees most with the template path
   * (`services/web/service.yaml` prefers `services-web_service.yaml`), then the closest to the parent, wins.
   */
  resolve(fromUri: string, path: string | undefined): StackFacts | undefined {
    if (!path) return undefined;
    const key = `${fromUri}\u0000${path}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const name = shortName(path);
    const wanted = normalize(path);
    let best: StackFacts | undefined;
    let score = [-1, -1];
    // Only the stacks whose base name is `name` or ends in `_<name>` (indexed once per workspace state).
    for (const s of this.named(name)) {
      const candidate = [commonSuffix(normalize(s.uri), wanted), commonPrefix(s.uri, fromUri)];
      if (candidate[0] > score[0] || (candidate[0] === score[0] && candidate[1] > score[1])) [best, score] = [s, candidate];
    }
    this.resolved.set(key, best);
    return best;
  }

  /** Whether a resource of `jobTypes` somewhere in the workspace uses what the current template hands over as `resourceId`. */
  handedOver(resourceId: string, jobTypes: readonly string[]): Verdict {
    return this.follow(this.current, `r:${resourceId}`, new Set(jobTypes), 0, true);
  }

  private follow(file: StackFacts, source: Source, job: Set<string>, depth: number, skipOwnConsumers = false): Verdict {
    if (depth > MAX_DEPTH) return 'unknown';
    if (!skipOwnConsumers && file.consumers.some((c) => job.has(c.type) && c.uses.includes(source))) return 'yes';
    const out: Verdict[] = [];
    for (const n of file.nested) {
      for (const [param, uses] of n.parameters) {
        if (!uses.includes(source)) continue;
        const child = this.resolve(file.uri, n.template);
        out.push(child ? this.follow(child, `p:${param}`, job, depth + 1) : 'unknown');
      }
    }
    for (const o of file.outputs) if (o.uses.includes(source)) out.push(this.handedUp(file, o, job, depth + 1));
    return combine(out);
  }

  private handedUp(file: StackFacts, output: StackFacts['outputs'][number], job: Set<string>, depth: number): Verdict {
    const out: Verdict[] = [];
    if (output.export !== undefined) {
      this.lookups?.importers.add(output.export);
      let importers = 0;
      for (const other of this.all) {
        for (const name of other.imports) {
          if (!skeletonsMatch(name, output.export)) continue;
          importers++;
          out.push(this.follow(other, `i:${name}`, job, depth + 1));
        }
      }
      // Exported, but imported by no stack of the workspace (or under a name that cannot be read): some
      // stack elsewhere may import it.
      if (!importers) out.push('unknown');
    }
    if (this.lookups) for (const k of nameKeys(file)) this.lookups.parents.add(k);
    for (const parent of this.parents()) {
      for (const n of parent.nested) {
        if (this.resolve(parent.uri, n.template) !== file) continue;
        out.push(this.follow(parent, `o:${n.id}.${output.name}`, job, depth + 1));
      }
    }
    return combine(out);
  }
}
