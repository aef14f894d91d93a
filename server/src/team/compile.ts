// Team rule specs as engine rules: selection, iteration, conditions (true, false or unknown: an unknown
// condition never fires), where findings point, and the data of their quick fix. Bounded: each rule has a
// step budget per file; a rule that uses it up is stopped and reported (the other rules run).
import { asMap, asScalar, asSeq, deref, items, pair, str, type MapNode, type Node, type Pair } from '../documents/nodes';
import { defineRule, type CloudFormationContext, type ContextFor, type KubernetesContext, type Rule } from '../engine/rule';
import type { Family } from '../kinds';
import { intrinsic, isNoValue, literal } from '../model/intrinsics';
import { containers, isBuiltIn, objectRef, podSpec, podVolumes, type K8sObject } from '../model/kubernetes';
import type { Resource, Template } from '../model/template';
import { BudgetExceeded, evalExpr, MISSING, UNKNOWN, type Val, type Value } from './expr';
import { safeTest } from './regex';
import type { Check, Condition, Segment, TeamRuleSpec, Test } from './spec';

/** Steps (path steps, tests, expression nodes) one rule may take on one file. */
export const RULE_STEP_BUDGET = 2_000_000;
export const TEAM_FIX = 'team-quick-fix';

/** A rule from a team file: the engine rule plus where it came from. */
export interface TeamRule extends Rule {
  team: TeamRuleSpec;
}

type Tri = boolean | undefined;

interface Subject {
  /** The map paths start from: the resource, the object, or the item. */
  root: Node;
  /** The selected resource or object's node (`$resource.` / `$object.` paths). */
  top: MapNode;
  cfn: boolean;
  tpl?: Template;
  res?: Resource;
  obj?: K8sObject;
  item?: Node;
  itemIndex?: number;
  budget: { steps: number };
}

export function compileRule(spec: TeamRuleSpec): TeamRule {
  const families: Family[] = [];
  if (spec.checks.some((c) => c.types)) families.push('cloudformation');
  if (spec.checks.some((c) => c.kinds)) families.push('kubernetes');
  const messages: Record<string, string> = { default: spec.message };
  spec.checks.forEach((c, i) => c.message && (messages[`check${i + 1}`] = c.message));
  const rule = defineRule<Family, string>({
    meta: {
      id: spec.id,
      title: spec.title,
      severity: spec.severity,
      kb: spec.kb,
      appliesTo: families,
      messages,
      description: spec.description,
      fix: spec.fix,
      example: spec.example ?? { fires: '', fixed: '' },
      ...(spec.quickFix ? { fixes: [TEAM_FIX] } : {}),
    },
    check(ctx: ContextFor<Family>) {
      const budget = { steps: RULE_STEP_BUDGET };
      try {
        spec.checks.forEach((c, i) => runCheck(spec, c, c.message ? `check${i + 1}` : 'default', ctx, budget));
      } catch (e) {
        if (e instanceof BudgetExceeded) throw Object.assign(new Error(`team rule ${spec.id} used up its step budget (${RULE_STEP_BUDGET}) on this file and was stopped`), { stepBudget: true });
        throw e;
      }
    },
  });
  return Object.assign(rule, { team: spec });
}

function runCheck(spec: TeamRuleSpec, check: Check, messageId: string, ctx: ContextFor<Family>, budget: { steps: number }): void {
  if (ctx.family === 'cloudformation') {
    if (!check.types) return;
    const c = ctx as CloudFormationContext;
    for (const type of check.types) {
      for (const res of c.template.byType(type)) {
        const base: Subject = { root: res.node, top: res.node, cfn: true, tpl: c.template, res, budget };
        for (const s of subjects(base, check)) fire(spec, check, messageId, s, c, () => values(s, c.name(res)));
      }
    }
    return;
  }
  if (!check.kinds) return;
  const k = ctx as KubernetesContext;
  for (const obj of k.objects) {
    if (!check.kinds.includes(obj.kind)) continue;
    if (check.apiVersions ? !check.apiVersions.includes(obj.apiVersion) : isKnownKind(obj) && !isBuiltIn(obj)) continue;
    const base: Subject = { root: obj.node, top: obj.node, cfn: false, obj, budget };
    for (const s of subjects(base, check)) fire(spec, check, messageId, s, k, () => values(s, objectRef(obj)));
  }
}

/** Kinds whose built-in API groups are known (model/kubernetes.ts): a custom resource reusing the name is not selected. */
const KNOWN_KINDS = new Set(['Pod', 'Service', 'PersistentVolume', 'PersistentVolumeClaim', 'ReplicationController', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'StorageClass']);
function isKnownKind(obj: K8sObject): boolean {
  return KNOWN_KINDS.has(obj.kind);
}

function subjects(base: Subject, check: Check): Subject[] {
  if (!check.each) return [base];
  let list: Node[];
  if (check.each === 'containers' || check.each === 'initContainers' || check.each === 'volumes') {
    if (base.obj) {
      list = check.each === 'volumes' ? podVolumes(base.obj) : check.each === 'containers' ? containers(base.obj) : items(pair(podSpec(base.obj), 'initContainers')?.value);
    } else {
      const key = check.each === 'volumes' ? 'Volumes' : 'ContainerDefinitions';
      list = check.each === 'initContainers' ? [] : cfnItems(base, ['Properties', key]);
    }
  } else list = base.cfn ? cfnItems(base, check.each) : items(walkPlain(base.root, check.each));
  return list.map((item, itemIndex) => ({ ...base, root: item, item, itemIndex }));
}

/** The items of a list in a template: none when the list (or an item) is an intrinsic we cannot read. */
function cfnItems(base: Subject, path: Segment[]): Node[] {
  const c = resolve(base, base.root, path);
  if (c === UNKNOWN || c.length !== 1 || !c[0]) return [];
  const seq = asSeq(c[0]);
  return seq ? seq.items.filter((i) => !intrinsic(i)) : [];
}

function walkPlain(node: Node | undefined, path: Segment[]): Node | undefined {
  let n = deref(node);
  for (const s of path) n = deref(typeof s === 'number' ? asSeq(n)?.items[s] : pair(n, s)?.value);
  return n;
}

function values(s: Subject, name: string): Record<string, string> {
  const v: Record<string, string> = { resource: name, name };
  if (s.res) Object.assign(v, { id: s.res.id, type: s.res.type, cdkPath: s.res.cdkPath ?? '' });
  if (s.obj) Object.assign(v, { kind: s.obj.kind, objectName: s.obj.name ?? '', namespace: s.obj.namespace ?? '' });
  if (s.item) v.item = str(pair(s.item, 'name')?.value) ?? str(pair(s.item, 'Name')?.value) ?? `#${(s.itemIndex ?? 0) + 1}`;
  return v;
}

function fire(spec: TeamRuleSpec, check: Check, messageId: string, s: Subject, ctx: CloudFormationContext | KubernetesContext, valuesOf: () => Record<string, string>): void {
  if (check.when && evaluate(check.when, s) !== true) return;
  if (check.require && evaluate(check.require, s) !== false) return;
  const vals = valuesOf();
  const { node, value } = where(check, s);
  if (value !== undefined) vals.value = value;
  const data: Record<string, unknown> = {};
  if (spec.quickFix) {
    data.fix = TEAM_FIX;
    data.rule = spec.id;
    if (s.res) data.resource = s.res.id;
    if (s.itemIndex !== undefined) data.item = s.itemIndex;
  }
  (ctx.report as (r: unknown) => void)({ node, messageId, values: vals, data });
}

/** Where a finding points: the report path's key or value; else the key or value the failing condition names; else the subject. */
function where(check: Check, s: Subject): { node: Node; value?: string } {
  const report = check.report ?? defaultReport(check.require ?? check.when);
  if (report) {
    const p = locate(s.root, report.path);
    if (p) {
      const node = report.at === 'value' ? p.value : p.key;
      return { node, value: str(p.value) ?? literal(p.value) };
    }
  }
  return { node: anchor(s) };
}

function defaultReport(c: Condition | undefined): { path: Segment[]; at: 'key' | 'value' } | undefined {
  if (!c) return undefined;
  if (c.op === 'path') return { path: c.path, at: c.test.kind === 'exists' || c.test.kind === 'absent' ? 'key' : 'value' };
  if (c.op === 'all' || c.op === 'any') for (const i of c.items) {
    const r = defaultReport(i);
    if (r) return r;
  }
  if (c.op === 'not') return defaultReport(c.item);
  if (c.op === 'target') return { path: c.path, at: 'value' };
  if (c.op === 'some' || c.op === 'every') return { path: c.path, at: 'key' };
  return undefined;
}

/** The pair (or list item, as a pair of itself) a path names, following it as written (no Fn::If). */
function locate(root: Node, path: Segment[]): { key: Node; value: Node } | undefined {
  let node: Node | undefined = root;
  let last: { key: Node; value: Node } | undefined;
  for (const seg of path) {
    if (seg === '$resource' || seg === '$object') continue;
    const n = deref(node);
    if (typeof seg === 'number') {
      const item = asSeq(n)?.items[seg];
      if (!item) return undefined;
      last = { key: item, value: item };
      node = item;
    } else {
      const p: Pair | undefined = pair(n, seg);
      if (!p) return undefined;
      last = p;
      node = p.value;
    }
  }
  return last;
}

function anchor(s: Subject): Node {
  if (s.item) {
    const name = pair(s.item, 'name') ?? pair(s.item, 'Name');
    return name?.value ?? asMap(s.item)?.pairs[0]?.key ?? s.item;
  }
  if (s.res) return s.res.key;
  return s.obj!.kindNode;
}

// ---- conditions ---------------------------------------------------------------------------------

function step(s: Subject): void {
  if (--s.budget.steps < 0) throw new BudgetExceeded('step budget');
}

export function evaluate(c: Condition, s: Subject): Tri {
  step(s);
  switch (c.op) {
    case 'all': {
      let out: Tri = true;
      for (const i of c.items) {
        const v = evaluate(i, s);
        if (v === false) return false;
        if (v === undefined) out = undefined;
      }
      return out;
    }
    case 'any': {
      let out: Tri = false;
      for (const i of c.items) {
        const v = evaluate(i, s);
        if (v === true) return true;
        if (v === undefined) out = undefined;
      }
      return out;
    }
    case 'not': {
      const v = evaluate(c.item, s);
      return v === undefined ? undefined : !v;
    }
    case 'template': {
      if (!s.tpl) return undefined;
      if (c.has && !c.has.some((t) => s.tpl!.byType(t).length)) return false;
      if (c.none && c.none.some((t) => s.tpl!.byType(t).length)) return false;
      return true;
    }
    case 'target': {
      if (!s.tpl) return undefined;
      const cands = resolve(s, s.root, c.path);
      if (cands === UNKNOWN || cands.length !== 1 || !cands[0]) return undefined;
      const targets = s.tpl.targets(cands[0]).filter((t) => !c.types || c.types.includes(t.type));
      // A value that names no resource of the template (a parameter, an import, an ARN): unknown.
      if (!targets.length) return undefined;
      let out: Tri = true;
      for (const t of targets) {
        const v = evaluate(c.cond, { ...s, root: t.node, top: t.node, res: t, item: undefined, itemIndex: undefined });
        if (v === false) return false;
        if (v === undefined) out = undefined;
      }
      return out;
    }
    case 'some':
    case 'every': {
      const cands = resolve(s, s.root, c.path);
      if (cands === UNKNOWN || cands.length !== 1) return undefined;
      const list = cands[0];
      // No list: no item satisfies it (some), and none fails it (every).
      if (!list) return c.op === 'every';
      if (s.cfn && intrinsic(list)) return undefined;
      const seq = asSeq(list);
      if (!seq) return undefined;
      let out: Tri = c.op === 'every';
      for (const item of seq.items) {
        const v = evaluate(c.cond, { ...s, root: item });
        if (v === (c.op === 'some')) return c.op === 'some';
        if (v === undefined) out = undefined;
      }
      return out;
    }
    case 'expr':
      return evalExpr(c.expr, (segs) => readValue(s, segs), s.budget);
    case 'path': {
      const cands = resolve(s, s.root, c.path);
      if (cands === UNKNOWN) return undefined;
      let out: Tri | null = null;
      for (const n of cands) {
        const v = test(c.test, n, s);
        if (out === null) out = v;
        else if (out !== v) return undefined;
      }
      return out ?? undefined;
    }
  }
}

/**
 * The nodes a path can name, one per branch of the `Fn::If`s on the way (undefined: absent), or UNKNOWN
 * when it goes through a value that cannot be read (a Ref, an import, a computed map).
 */
function resolve(s: Subject, root: Node, path: Segment[]): Array<Node | undefined> | typeof UNKNOWN {
  // The common case first: a plain walk, no Fn::If on the way (no arrays made per step).
  const plain = resolvePlain(s, root, path);
  if (plain !== IF_SEEN) return plain;
  let cands: Array<Node | undefined> = expand(s, root);
  if (cands.length > 64) return UNKNOWN;
  let first = true;
  for (const seg of path) {
    if (first && (seg === '$resource' || seg === '$object')) {
      cands = [s.top];
      first = false;
      continue;
    }
    first = false;
    const next: Array<Node | undefined> = [];
    for (const n of cands) {
      step(s);
      if (!n) {
        next.push(undefined);
        continue;
      }
      if (s.cfn && intrinsic(n)) return UNKNOWN;
      const child = typeof seg === 'number' ? asSeq(n)?.items[seg] : asMap(n) ? pair(n, seg)?.value : undefined;
      next.push(...expand(s, child));
    }
    cands = next;
    if (cands.length > 64) return UNKNOWN;
  }
  return cands;
}

const IF_SEEN: unique symbol = Symbol('if');
const ABSENT: Array<Node | undefined> = [undefined];

function resolvePlain(s: Subject, root: Node, path: Segment[]): Array<Node | undefined> | typeof UNKNOWN | typeof IF_SEEN {
  let n: Node | undefined = root;
  for (let i = 0; i <= path.length; i++) {
    step(s);
    n = deref(n);
    if (!n || (n.kind === 'scalar' && n.value === null)) return ABSENT;
    if (s.cfn && n.kind === 'map' && n.pairs.length === 1) {
      const i2 = intrinsic(n);
      if (i2) {
        if (i2.name === 'Fn::If') return IF_SEEN;
        if (isNoValue(n)) return ABSENT;
        if (i < path.length) return UNKNOWN;
      }
    }
    if (i === path.length) return [n];
    const seg = path[i];
    if (i === 0 && (seg === '$resource' || seg === '$object')) {
      n = s.top;
      continue;
    }
    n = typeof seg === 'number' ? (n.kind === 'seq' ? n.items[seg] : undefined) : n.kind === 'map' ? pair(n, seg)?.value : undefined;
  }
  return [n];
}

/** Both branches of an `Fn::If` (absent for `AWS::NoValue`); a null value reads as absent. */
function expand(s: Subject, node: Node | undefined): Array<Node | undefined> {
  const n = deref(node);
  if (!n || (n.kind === 'scalar' && n.value === null)) return [undefined];
  if (!s.cfn) return [n];
  if (isNoValue(n)) return [undefined];
  const i = intrinsic(n);
  if (i?.name === 'Fn::If') {
    const seq = asSeq(i.arg);
    if (!seq || seq.items.length !== 3) return [n];
    step(s);
    return [...expand(s, seq.items[1]), ...expand(s, seq.items[2])];
  }
  return [n];
}

/** The scalar text of a value, UNKNOWN for an intrinsic we cannot read, undefined for a map or list. */
function scalarOf(n: Node, s: Subject): string | typeof UNKNOWN | undefined {
  const sc = asScalar(n);
  if (sc) return sc.value === null ? undefined : String(sc.value);
  if (s.cfn && intrinsic(n)) return literal(n) ?? UNKNOWN;
  return undefined;
}

function eq(a: string, b: unknown, ignoreCase: boolean): boolean {
  if (typeof b === 'boolean') return a.toLowerCase() === String(b);
  if (typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  if (b === null) return false;
  return ignoreCase ? a.toLowerCase() === String(b).toLowerCase() : a === String(b);
}

function test(t: Test, n: Node | undefined, s: Subject): Tri {
  step(s);
  if (t.kind === 'exists') return n !== undefined;
  if (t.kind === 'absent') return n === undefined;
  if (t.kind === 'contains') {
    if (!n) return false;
    if (s.cfn && intrinsic(n)) return undefined;
    const seq = asSeq(n);
    if (!seq) return false;
    let unknown = false;
    for (const i of seq.items) {
      const v = scalarOf(deref(i)!, s);
      if (v === UNKNOWN) unknown = true;
      else if (v !== undefined && eq(v, t.value, t.ignoreCase)) return true;
    }
    return unknown ? undefined : false;
  }
  if (!n) return t.kind === 'notEquals' || t.kind === 'notIn' || t.kind === 'notMatches';
  const v = scalarOf(n, s);
  if (v === UNKNOWN) return undefined;
  switch (t.kind) {
    case 'equals':
      return v !== undefined && eq(v, t.value, t.ignoreCase);
    case 'notEquals':
      return v === undefined || !eq(v, t.value, t.ignoreCase);
    case 'in':
      return v !== undefined && t.values.some((x) => eq(v, x, t.ignoreCase));
    case 'notIn':
      return v === undefined || !t.values.some((x) => eq(v, x, t.ignoreCase));
    case 'matches':
    case 'notMatches': {
      if (v === undefined) return t.kind === 'notMatches';
      const m = safeTest(t.re, v);
      return m === undefined ? undefined : t.kind === 'matches' ? m : !m;
    }
    default: {
      if (v === undefined || v.trim() === '' || !Number.isFinite(Number(v))) return false;
      const x = Number(v);
      const limit = (t as { value: number }).value;
      return t.kind === 'gt' ? x > limit : t.kind === 'gte' ? x >= limit : t.kind === 'lt' ? x < limit : x <= limit;
    }
  }
}

/** A path's value as expression data (UNKNOWN through intrinsics or differing Fn::If branches). */
function readValue(s: Subject, segs: Segment[]): Val {
  const c = resolve(s, s.root, segs);
  if (c === UNKNOWN) return UNKNOWN;
  const vals = c.map((n) => (n ? toData(n, s, 0) : MISSING));
  const first = vals[0];
  for (const v of vals) if (JSON.stringify(v) !== JSON.stringify(first) || v === UNKNOWN) return UNKNOWN;
  return first;
}

function toData(node: Node, s: Subject, depth: number): Value | typeof UNKNOWN {
  step(s);
  const n = deref(node);
  if (!n || depth > 20) return UNKNOWN;
  if (n.kind === 'scalar') return n.value;
  if (s.cfn && intrinsic(n)) {
    const l = literal(n);
    return l ?? UNKNOWN;
  }
  if (n.kind === 'seq') {
    const out: Value[] = [];
    for (const i of n.items) {
      const v = toData(i, s, depth + 1);
      if (v === UNKNOWN) return UNKNOWN;
      out.push(v);
    }
    return out;
  }
  const out: Record<string, Value> = {};
  for (const p of (n as MapNode).pairs) {
    const v = toData(p.value, s, depth + 1);
    if (v === UNKNOWN) return UNKNOWN;
    out[String(p.key.value)] = v;
  }
  return out;
}
