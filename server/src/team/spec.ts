// Team rule files (`.kbhints/rules/*.yaml`): one rule, or a list of rules, per file, read into checked
// specs. Every problem is reported at the offending node (the editor underlines it; the CLI prints its
// line) and only the broken rule is dropped: the others of the file still load. Data only: nothing in a
// rule file runs code.
import { asMap, asScalar, asSeq, deref, type MapNode, type Node, type Scalar } from '../documents/nodes';
import { parseYaml } from '../documents/yaml';
import { SEVERITIES, type Severity } from '../engine/rule';
import { parseExpr, ExprError, type Expr } from './expr';
import { safeRegExp } from './regex';

export interface SpecError {
  start: number;
  end: number;
  message: string;
}

export type Segment = string | number;

export type Test =
  | { kind: 'exists' | 'absent' }
  | { kind: 'equals' | 'notEquals'; value: Scalar; ignoreCase: boolean }
  | { kind: 'in' | 'notIn'; values: Scalar[]; ignoreCase: boolean }
  | { kind: 'matches' | 'notMatches'; re: RegExp }
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { kind: 'contains'; value: Scalar; ignoreCase: boolean };

export type Condition =
  | { op: 'path'; path: Segment[]; test: Test }
  | { op: 'all' | 'any'; items: Condition[] }
  | { op: 'not'; item: Condition }
  /** The resources a value points at (Ref, GetAtt): the condition holds for every one of them. */
  | { op: 'target'; path: Segment[]; types?: string[]; cond: Condition }
  /** Some (or every) item of the list at path satisfies the condition (paths in it start at the item). */
  | { op: 'some' | 'every'; path: Segment[]; cond: Condition }
  /** The template has (or has no) resource of these types. */
  | { op: 'template'; has?: string[]; none?: string[] }
  | { op: 'expr'; expr: Expr; source: string };

export interface Check {
  /** CloudFormation resource types (CDK output and ECS task definitions included). */
  types?: string[];
  /** Kubernetes kinds, and the apiVersions allowed (any built-in one when absent). */
  kinds?: string[];
  apiVersions?: string[];
  /** Iterate the items of a list inside each selected resource or object. */
  each?: Segment[] | 'containers' | 'initContainers' | 'volumes';
  when?: Condition;
  require?: Condition;
  report?: { path: Segment[]; at: 'key' | 'value' };
  message?: string;
}

export interface QuickFix {
  mode: 'set' | 'add';
  path: Segment[];
  value: unknown;
  title?: string;
}

export interface TeamRuleSpec {
  id: string;
  title: string;
  severity: Severity;
  kb: string;
  message: string;
  description: string;
  fix: string;
  checks: Check[];
  quickFix?: QuickFix;
  example?: { fires: string; fixed: string };
  /** The file and where the rule starts in it (for diagnostics and "go to rule"). */
  file: string;
  start: number;
  end: number;
  idNode: { start: number; end: number };
  kbNode: { start: number; end: number };
  /** The rule's text in its file (rule pages show it). */
  source: string;
}

export const TEAM_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
const RULE_KEYS = ['id', 'title', 'severity', 'kb', 'message', 'description', 'fix', 'select', 'each', 'when', 'require', 'report', 'checks', 'quickFix', 'example'];
const CHECK_KEYS = ['select', 'each', 'when', 'require', 'report', 'message'];
const TESTS = ['exists', 'absent', 'equals', 'notEquals', 'in', 'notIn', 'matches', 'notMatches', 'gt', 'gte', 'lt', 'lte', 'contains'];
const MAX_DEPTH = 20;

class Reader {
  readonly errors: SpecError[] = [];
  fail(node: { start: number; end: number } | undefined, message: string): undefined {
    this.errors.push({ start: node?.start ?? 0, end: Math.max(node?.end ?? 0, node?.start ?? 0), message });
    return undefined;
  }
  map(node: Node | undefined, what: string): MapNode | undefined {
    const m = asMap(node);
    return m ?? this.fail(node, `${what}: expected a mapping`);
  }
  text(node: Node | undefined, what: string): string | undefined {
    const s = asScalar(node);
    if (!s || s.value === null || typeof s.value === 'object') return this.fail(node, `${what}: expected text`);
    return String(s.value);
  }
  scalar(node: Node | undefined, what: string): Scalar | undefined {
    const s = asScalar(node);
    return s ? s.value : this.fail(node, `${what}: expected a single value (text, number or true/false)`);
  }
  list(node: Node | undefined): Node[] {
    const seq = asSeq(node);
    return seq ? seq.items : node ? [node] : [];
  }
  texts(node: Node | undefined, what: string): string[] | undefined {
    const out: string[] = [];
    for (const i of this.list(node)) {
      const t = this.text(i, what);
      if (t === undefined) return undefined;
      out.push(t);
    }
    return out.length ? out : this.fail(node, `${what}: expected at least one value`);
  }
  keys(map: MapNode, allowed: string[], what: string): Map<string, Node> {
    const out = new Map<string, Node>();
    for (const p of map.pairs) {
      const k = String(p.key.value);
      if (!allowed.includes(k)) this.fail(p.key, `${what}: unknown key '${k}' (expected ${allowed.join(', ')})`);
      else if (out.has(k)) this.fail(p.key, `${what}: '${k}' is given twice`);
      else out.set(k, p.value);
    }
    return out;
  }
  path(node: Node | undefined, what: string): Segment[] | undefined {
    const seq = asSeq(node);
    if (seq) {
      const out: Segment[] = [];
      for (const i of seq.items) {
        const v = asScalar(i)?.value;
        if (typeof v === 'string' || typeof v === 'number') out.push(v);
        else return this.fail(i, `${what}: a path step is a key or an index`);
      }
      return out.length ? out : this.fail(node, `${what}: empty path`);
    }
    const s = this.text(node, what);
    if (s === undefined) return undefined;
    const parsed = parsePath(s);
    return parsed ?? this.fail(node, `${what}: cannot read the path '${s}' (write Properties.Key.Sub, items[0].name, or a list of keys for keys with dots)`);
  }
}

/** `Properties.A.B`, `spec.containers[0].image`, `$resource.Properties.X` -> segments. */
export function parsePath(s: string): Segment[] | undefined {
  const out: Segment[] = [];
  const re = /(?:^|\.)([^.[\]]+)|\[(\d+)\]/y;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? m[1] : Number(m[2]));
    i = re.lastIndex;
  }
  return out.length ? out : undefined;
}

/** Reads the rules of one file. `builtIn`: ids the team may not reuse. */
export function readRuleFile(text: string, file: string, builtIn: ReadonlySet<string>): { rules: TeamRuleSpec[]; errors: SpecError[] } {
  const r = new Reader();
  const { docs, errors } = parseYaml(text);
  for (const e of errors) r.fail(e, `YAML syntax error: ${e.message}`);
  const rules: TeamRuleSpec[] = [];
  for (const d of docs) {
    const root = deref(d.root);
    if (!root) continue;
    const items = root.kind === 'seq' ? root.items : [root];
    for (const item of items) {
      const before = r.errors.length;
      const spec = readRule(r, item, file, builtIn);
      if (spec) spec.source = text.slice(spec.start, spec.end);
      if (spec && r.errors.length === before) {
        if (rules.some((x) => x.id === spec.id)) r.fail(spec.idNode, `rule id '${spec.id}' is given twice in this file`);
        else rules.push(spec);
      }
    }
  }
  return { rules, errors: r.errors };
}

function readRule(r: Reader, node: Node, file: string, builtIn: ReadonlySet<string>): TeamRuleSpec | undefined {
  const map = r.map(node, 'a rule');
  if (!map) return undefined;
  const k = r.keys(map, RULE_KEYS, 'rule');
  const idNode = k.get('id');
  const id = idNode ? r.text(idNode, 'id') : r.fail({ start: map.start, end: map.start }, "a rule needs an 'id' (team/rule-name)");
  if (id !== undefined && !TEAM_ID.test(id)) r.fail(idNode, `id '${id}': a team rule id is 'team/rule-name' (lowercase letters, digits and -), e.g. acme/firelens-logging`);
  if (id !== undefined && builtIn.has(id)) r.fail(idNode, `id '${id}' is a built-in rule`);
  const need = (key: string) => (k.has(key) ? r.text(k.get(key), key) : r.fail({ start: map.start, end: map.start }, `rule ${id ?? ''}: '${key}' is required`));
  const title = need('title');
  const kb = need('kb');
  const message = need('message');
  const sevText = k.has('severity') ? r.text(k.get('severity'), 'severity') : 'warning';
  if (sevText !== undefined && !(SEVERITIES as string[]).includes(sevText)) r.fail(k.get('severity'), `severity: expected ${SEVERITIES.join(', ')}`);
  const description = k.has('description') ? r.text(k.get('description'), 'description') : undefined;
  const fix = k.has('fix') ? r.text(k.get('fix'), 'fix') : undefined;

  const checks: Check[] = [];
  if (k.has('checks')) {
    for (const key of CHECK_KEYS) if (key !== 'message' && k.has(key)) r.fail(k.get(key), `'${key}' goes inside each entry of 'checks' when 'checks' is used`);
    const list = asSeq(k.get('checks'));
    if (!list || !list.items.length) r.fail(k.get('checks'), 'checks: expected a list of { select, each, when, require, report }');
    for (const c of list?.items ?? []) {
      const cm = r.map(c, 'checks entry');
      if (cm) {
        const ck = readCheck(r, r.keys(cm, CHECK_KEYS, 'checks entry'), cm);
        if (ck) checks.push(ck);
      }
    }
  } else {
    const ck = readCheck(r, k, map);
    if (ck) checks.push(ck);
  }

  let quickFix: QuickFix | undefined;
  if (k.has('quickFix')) quickFix = readQuickFix(r, k.get('quickFix')!);
  let example: TeamRuleSpec['example'];
  if (k.has('example')) {
    const em = r.map(k.get('example'), 'example');
    if (em) {
      const ek = r.keys(em, ['fires', 'fixed'], 'example');
      const fires = ek.has('fires') ? r.text(ek.get('fires'), 'example.fires') : undefined;
      const fixed = ek.has('fixed') ? r.text(ek.get('fixed'), 'example.fixed') : undefined;
      example = { fires: fires ?? '', fixed: fixed ?? '' };
    }
  }
  if (id === undefined || title === undefined || kb === undefined || message === undefined || sevText === undefined) return undefined;
  return {
    id,
    title,
    severity: sevText as Severity,
    kb,
    message,
    description: description ?? title,
    fix: fix ?? `See the KB topic \`${kb}\`.`,
    checks,
    quickFix,
    example,
    file,
    start: map.start,
    end: map.end,
    idNode: idNode ?? map,
    kbNode: k.get('kb') ?? map,
    source: '',
  };
}

function readCheck(r: Reader, k: Map<string, Node>, at: MapNode): Check | undefined {
  const check: Check = {};
  const sel = k.get('select');
  if (!sel) return r.fail({ start: at.start, end: at.start }, "a rule needs 'select' (type: AWS::..., or kind: Deployment)");
  const sm = r.map(sel, 'select');
  if (!sm) return undefined;
  const sk = r.keys(sm, ['type', 'kind', 'apiVersion'], 'select');
  if (sk.has('type') === sk.has('kind')) return r.fail(sm, "select: give either 'type' (CloudFormation resource types) or 'kind' (Kubernetes kinds)");
  if (sk.has('type')) {
    check.types = r.texts(sk.get('type'), 'select.type');
    for (const [i, t] of (check.types ?? []).entries()) if (!/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+$|^Custom::/.test(t)) r.fail(r.list(sk.get('type'))[i], `select.type: '${t}' is not a resource type (AWS::Service::Resource)`);
    if (sk.has('apiVersion')) r.fail(sk.get('apiVersion'), 'select.apiVersion goes with kind (Kubernetes)');
  } else {
    check.kinds = r.texts(sk.get('kind'), 'select.kind');
    if (sk.has('apiVersion')) check.apiVersions = r.texts(sk.get('apiVersion'), 'select.apiVersion');
  }
  if (k.has('each')) {
    const e = k.get('each')!;
    const s = asScalar(e)?.value;
    if (s === 'containers' || s === 'initContainers' || s === 'volumes') check.each = s;
    else check.each = r.path(e, 'each');
  }
  if (k.has('when')) check.when = readCondition(r, k.get('when')!, 'when', 0);
  if (k.has('require')) check.require = readCondition(r, k.get('require')!, 'require', 0);
  if (!k.has('when') && !k.has('require') && !check.each) {
    // A bare selector fires on every selected resource: allowed (e.g. "never use this type").
  }
  if (k.has('report')) {
    const rep = k.get('report')!;
    const rm = asMap(rep);
    if (rm) {
      const rk = r.keys(rm, ['path', 'at'], 'report');
      const path = rk.has('path') ? r.path(rk.get('path'), 'report.path') : [];
      const at = rk.has('at') ? r.text(rk.get('at'), 'report.at') : 'key';
      if (at !== 'key' && at !== 'value') r.fail(rk.get('at'), "report.at: expected 'key' or 'value'");
      if (path) check.report = { path, at: at === 'value' ? 'value' : 'key' };
    } else {
      const path = r.path(rep, 'report');
      if (path) check.report = { path, at: 'key' };
    }
  }
  if (k.has('message')) check.message = r.text(k.get('message'), 'message');
  return check;
}

function readCondition(r: Reader, node: Node, what: string, depth: number): Condition | undefined {
  if (depth > MAX_DEPTH) return r.fail(node, `${what}: conditions are nested too deeply`);
  const seq = asSeq(node);
  if (seq) {
    const items = seq.items.map((i, n) => readCondition(r, i, `${what}[${n}]`, depth + 1));
    return items.every((i): i is Condition => !!i) ? { op: 'all', items } : undefined;
  }
  const scalar = asScalar(node);
  if (scalar && typeof scalar.value === 'string') {
    // A bare string is an expression.
    return readExpr(r, node, scalar.value, what);
  }
  const m = r.map(node, `${what}: a condition`);
  if (!m) return undefined;
  const keys = m.pairs.map((p) => String(p.key.value));
  const has = (k: string) => keys.includes(k);
  const val = (k: string) => m.pairs.find((p) => p.key.value === k)!.value;
  const keyNode = (k: string) => m.pairs.find((p) => p.key.value === k)!.key;
  const only = (allowed: string[]) => {
    for (const p of m.pairs) if (!allowed.includes(String(p.key.value))) r.fail(p.key, `${what}: unexpected key '${p.key.value}' here (expected ${allowed.join(', ')})`);
  };
  if (has('all') || has('any')) {
    const op = has('all') ? 'all' : 'any';
    only([op]);
    const list = asSeq(val(op));
    if (!list) return r.fail(val(op), `${what}.${op}: expected a list of conditions`);
    const items = list.items.map((i, n) => readCondition(r, i, `${what}.${op}[${n}]`, depth + 1));
    return items.every((i): i is Condition => !!i) ? { op, items } : undefined;
  }
  if (has('not')) {
    only(['not']);
    const item = readCondition(r, val('not'), `${what}.not`, depth + 1);
    return item && { op: 'not', item };
  }
  if (has('expr')) {
    only(['expr']);
    const s = r.text(val('expr'), `${what}.expr`);
    return s === undefined ? undefined : readExpr(r, val('expr'), s, what);
  }
  if (has('template')) {
    only(['template']);
    const tm = r.map(val('template'), `${what}.template`);
    if (!tm) return undefined;
    const tk = r.keys(tm, ['has', 'none'], `${what}.template`);
    const c: Condition = { op: 'template', has: tk.has('has') ? r.texts(tk.get('has'), 'template.has') : undefined, none: tk.has('none') ? r.texts(tk.get('none'), 'template.none') : undefined };
    return c.has || c.none ? c : r.fail(tm, `${what}.template: expected has: [types] or none: [types]`);
  }
  if (!has('path')) return r.fail(m, `${what}: a condition is { path, <test> }, { path, some | every: <condition> }, { path, target: <condition> }, all, any, not, template or expr`);
  const path = r.path(val('path'), `${what}.path`);
  if (has('some') || has('every')) {
    const op = has('some') ? 'some' : 'every';
    only(['path', op]);
    const cond = readCondition(r, val(op), `${what}.${op}`, depth + 1);
    return path && cond && { op, path, cond };
  }
  if (has('target')) {
    only(['path', 'target', 'targetType']);
    const cond = readCondition(r, val('target'), `${what}.target`, depth + 1);
    const types = has('targetType') ? r.texts(val('targetType'), `${what}.targetType`) : undefined;
    return path && cond && { op: 'target', path, types, cond };
  }
  const tests = keys.filter((k) => TESTS.includes(k));
  only(['path', 'ignoreCase', ...TESTS]);
  if (tests.length !== 1) return r.fail(tests.length ? keyNode(tests[1]) : m, `${what}: give exactly one test (${TESTS.join(', ')})`);
  const t = tests[0];
  const v = val(t);
  const ignoreCase = has('ignoreCase') ? asScalar(val('ignoreCase'))?.value === true : false;
  let test: Test | undefined;
  switch (t) {
    case 'exists':
    case 'absent': {
      const b = asScalar(v)?.value;
      if (typeof b !== 'boolean') return r.fail(v, `${what}.${t}: expected true or false`);
      test = { kind: (t === 'exists') === b ? 'exists' : 'absent' };
      break;
    }
    case 'equals':
    case 'notEquals':
    case 'contains': {
      const s = r.scalar(v, `${what}.${t}`);
      if (s === undefined) return undefined;
      test = { kind: t, value: s, ignoreCase };
      break;
    }
    case 'in':
    case 'notIn': {
      const values: Scalar[] = [];
      for (const i of r.list(v)) {
        const s = r.scalar(i, `${what}.${t}`);
        if (s === undefined) return undefined;
        values.push(s);
      }
      test = { kind: t, values, ignoreCase };
      break;
    }
    case 'matches':
    case 'notMatches': {
      const s = r.text(v, `${what}.${t}`);
      if (s === undefined) return undefined;
      const re = safeRegExp(s, ignoreCase);
      if (typeof re === 'string') return r.fail(v, `${what}.${t}: ${re}`);
      test = { kind: t, re };
      break;
    }
    default: {
      const n = asScalar(v)?.value;
      if (typeof n !== 'number') return r.fail(v, `${what}.${t}: expected a number`);
      test = { kind: t as 'gt', value: n };
    }
  }
  return path && test && { op: "path", path, test };
}

function readExpr(r: Reader, node: Node, src: string, what: string): Condition | undefined {
  try {
    return { op: 'expr', expr: parseExpr(src), source: src };
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    // Point inside a plain scalar when the offset maps one to one; else at the whole value.
    const s = asScalar(node);
    const plain = s && !s.quoted && node.end - node.start === src.length;
    return r.fail(plain ? { start: node.start + e.offset, end: Math.min(node.end, node.start + e.offset + 1) } : node, `${what}: expression: ${e.message}`);
  }
}

function readQuickFix(r: Reader, node: Node): QuickFix | undefined {
  const m = r.map(node, 'quickFix');
  if (!m) return undefined;
  const k = r.keys(m, ['set', 'add', 'value', 'title'], 'quickFix');
  if (k.has('set') === k.has('add')) return r.fail(m, "quickFix: give either 'set: <path>' (set a property to the value) or 'add: <path>' (add it when missing)");
  if (!k.has('value')) return r.fail(m, "quickFix: 'value' is required");
  const mode = k.has('set') ? 'set' : 'add';
  const path = r.path(k.get(mode), `quickFix.${mode}`);
  const value = toValue(k.get('value')!, 0);
  if (value === undefined) return r.fail(k.get('value'), 'quickFix.value: expected plain YAML data (no aliases, at most 10 levels)');
  const title = k.has('title') ? r.text(k.get('title'), 'quickFix.title') : undefined;
  return path && { mode, path, value, title };
}

/** A YAML node as plain data (maps, lists, scalars). */
export function toValue(node: Node, depth: number): unknown {
  if (depth > 10 || node.kind === 'alias') return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') {
    const out = node.items.map((i) => toValue(i, depth + 1));
    return out.includes(undefined) ? undefined : out;
  }
  const out: Record<string, unknown> = {};
  for (const p of node.pairs) {
    const v = toValue(p.value, depth + 1);
    if (v === undefined) return undefined;
    out[String(p.key.value)] = v;
  }
  return out;
}
