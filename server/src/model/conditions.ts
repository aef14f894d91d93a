// The CloudFormation condition model: which ways the template's `Fn::If`s can go together, read from its
// `Conditions` section, and the value a node takes in each.
import { asMap, asSeq, deref, get, isNull, items, pair, str, walk, type MapNode, type Node } from '../documents/nodes';
import { intrinsic, isNoValue, literal } from './intrinsics';
import type { Resource, Template } from './template';

// Scenarios: one consistent choice for every `Fn::If` condition, so that a value read under
// `Fn::If [UseFargate, ...]` is only compared with the branch of another value taken under the same
// condition. Conditions are evaluated from the template's `Conditions` section: two conditions that
// compare the same parameter with different values are never true together.

/** A truth value for each condition named by an `Fn::If` in the nodes a scenario was made for. */
export type Scenario = ReadonlyMap<string, boolean>;

const OTHER = '\u0000other';
const MAX_SCENARIO_ENVIRONMENTS = 512;

/** At most this many nodes are written out in a value's key (YAML aliases could expand one exponentially). */
const VALUE_KEY_NODES = 4096;
const NODE_IDS = new WeakMap<Node, number>();
let nextNodeId = 0;

/**
 * The JSON of a value's plain form, used to tell unknown values apart. A value larger than
 * VALUE_KEY_NODES nodes (an alias bomb) is keyed by its node instead: only itself is equal to it.
 */
function valueKey(node: Node | undefined): string {
  const budget = { left: VALUE_KEY_NODES };
  const value = plain(node, budget);
  if (budget.left >= 0) return JSON.stringify(value);
  const n = deref(node) ?? node!;
  let id = NODE_IDS.get(n);
  if (id === undefined) NODE_IDS.set(n, (id = nextNodeId++));
  return `"\u0000node ${id}"`;
}

/** Deeper values (a chain of aliases) are keyed by their node, as too large ones are. */
const VALUE_KEY_DEPTH = 256;

function plain(node: Node | undefined, budget: { left: number }, depth = 0): unknown {
  if (depth > VALUE_KEY_DEPTH) budget.left = -1;
  if (--budget.left < 0) return null;
  const n = deref(node);
  if (!n) return null;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') {
    const out: unknown[] = [];
    for (const item of n.items) {
      out.push(plain(item, budget, depth + 1));
      if (budget.left < 0) break;
    }
    return out;
  }
  const entries: Array<[string, unknown]> = [];
  for (const p of n.pairs) {
    entries.push([String(p.key.value), plain(p.value, budget, depth + 1)]);
    if (budget.left < 0) break;
  }
  return Object.fromEntries(entries);
}

const IF_CONDITIONS = new WeakMap<Node, string[]>();

/**
 * The condition names that `Fn::If`s inside the nodes depend on (each subtree walked once). `text` is
 * the file's text: a subtree whose source has no `If` (nor an alias or an escape, which could hide
 * one) has no `Fn::If`, and is not walked.
 */
function ifConditions(nodes: Array<Node | undefined>, text?: string): Set<string> {
  const out = new Set<string>();
  for (const node of nodes) {
    if (!node) continue;
    let names = IF_CONDITIONS.get(node);
    if (!names && text !== undefined && node.end <= text.length) {
      const source = text.slice(node.start, node.end);
      if (!source.includes('If') && !source.includes('*') && !source.includes('\\')) names = [];
    }
    if (!names) {
      const found = new Set<string>();
      walk(node, (n) => {
        // intrinsic(n)?.name === 'Fn::If', without building the intrinsic for every node of the tree.
        const m = n.kind === 'alias' ? deref(n) : n;
        if (m?.kind !== 'map' || m.pairs.length !== 1 || m.pairs[0].key.value !== 'Fn::If') return;
        const name = str(asSeq(m.pairs[0].value)?.items[0]);
        if (name) found.add(name);
      });
      IF_CONDITIONS.set(node, (names = [...found]));
    }
    for (const name of names) out.add(name);
  }
  return out;
}

class ConditionModel {
  private readonly defs: MapNode | undefined;
  /** Unknowns the conditions depend on, with the values worth trying for each. */
  readonly vars = new Map<string, Set<string>>();

  constructor(private readonly tpl: Template) {
    this.defs = asMap(get(tpl.root, 'Conditions'));
  }

  collect(name: string, seen = new Set<string>()): void {
    if (seen.has(name)) return;
    seen.add(name);
    const def = get(this.defs, name);
    if (!def) this.domain(`c:${name}`, ['1', '0']);
    else this.collectNode(def, seen);
  }

  private collectNode(node: Node | undefined, seen: Set<string>): void {
    const i = intrinsic(node);
    if (!i) return;
    if (i.name === 'Condition') {
      const name = str(i.arg);
      if (name) this.collect(name, seen);
    } else if (i.name === 'Fn::Not' || i.name === 'Fn::And' || i.name === 'Fn::Or') {
      for (const item of items(i.arg)) this.collectNode(item, seen);
    } else if (i.name === 'Fn::Equals') {
      const eq = this.equals(i.arg);
      if (eq?.key) this.domain(eq.key, eq.values);
    } else {
      this.domain(`u:${valueKey(node)}`, ['1', '0']);
    }
  }

  private domain(key: string, values: string[]): void {
    let set = this.vars.get(key);
    if (!set) this.vars.set(key, (set = new Set()));
    for (const v of values) set.add(v);
  }

  /** An `Fn::Equals`: a constant, or an unknown compared with a literal, or two unknowns. */
  private equals(arg: Node): { constant?: boolean; key?: string; values: string[]; literal?: string } | undefined {
    const [a, b] = items(arg);
    if (!a || !b) return undefined;
    const la = literal(a);
    const lb = literal(b);
    if (la !== undefined && lb !== undefined) return { constant: la === lb, values: [] };
    if (la === undefined && lb === undefined) return { key: `b:[${valueKey(a)},${valueKey(b)}]`, values: ['1', '0'] };
    const other = la === undefined ? a : b;
    const lit = (la ?? lb)!;
    const key = `v:${valueKey(other)}`;
    const ref = intrinsic(other);
    const param = ref?.name === 'Ref' ? this.tpl.parameters.get(str(ref.arg) ?? '') : undefined;
    const allowedValues = items(get(param?.node, 'AllowedValues')).map((n) => str(n));
    if (allowedValues.length && allowedValues.every((v) => v !== undefined)) return { key, values: allowedValues as string[], literal: lit };
    return { key, values: [lit, OTHER], literal: lit };
  }

  /** Conditions already evaluated in the current environment (cleared by `reset`): a condition DAG costs its size. */
  private readonly memo = new Map<string, boolean>();

  reset(): void {
    this.memo.clear();
  }

  evaluate(name: string, env: Map<string, string>, depth = 0): boolean {
    const known = this.memo.get(name);
    if (known !== undefined) return known;
    const def = get(this.defs, name);
    if (!def || depth > 50) return env.get(`c:${name}`) === '1';
    const value = this.evalNode(def, env, depth + 1);
    this.memo.set(name, value);
    return value;
  }

  private evalNode(node: Node | undefined, env: Map<string, string>, depth: number): boolean {
    const i = intrinsic(node);
    if (!i) return false;
    switch (i.name) {
      case 'Condition':
        return this.evaluate(str(i.arg) ?? '', env, depth);
      case 'Fn::Not':
        return !this.evalNode(items(i.arg)[0], env, depth);
      case 'Fn::And':
        return items(i.arg).every((c) => this.evalNode(c, env, depth));
      case 'Fn::Or':
        return items(i.arg).some((c) => this.evalNode(c, env, depth));
      case 'Fn::Equals': {
        const eq = this.equals(i.arg);
        if (!eq) return false;
        if (eq.constant !== undefined) return eq.constant;
        const v = env.get(eq.key!);
        return eq.literal === undefined ? v === '1' : v === eq.literal;
      }
      default:
        return env.get(`u:${valueKey(node)}`) === '1';
    }
  }
}

/**
 * Every consistent way the `Fn::If`s inside `nodes` can go, keeping only those where the `required`
 * conditions (e.g. the resources' own `Condition`) hold. A single empty scenario when nothing is
 * conditional; undefined when there are too many combinations to try (callers then stay quiet).
 */
export function scenarios(tpl: Template, nodes: Array<Node | undefined>, required: Array<string | undefined> = []): Scenario[] | undefined {
  const req = required.filter((r): r is string => !!r);
  const names = [...new Set([...ifConditions(nodes, tpl.file.text), ...req])];
  if (!names.length) return [new Map()];
  // The answer depends only on the condition names (in this order) and the template's conditions.
  let memo = SCENARIOS.get(tpl);
  if (!memo) SCENARIOS.set(tpl, (memo = new Map()));
  const key = `${names.join('\u0000')}\u0001${req.join('\u0000')}`;
  if (memo.has(key)) return memo.get(key)?.slice();
  const result = computeScenarios(tpl, names, req);
  memo.set(key, result);
  return result?.slice();
}

const SCENARIOS = new WeakMap<Template, Map<string, Scenario[] | undefined>>();

function computeScenarios(tpl: Template, names: string[], req: string[]): Scenario[] | undefined {
  const model = new ConditionModel(tpl);
  for (const n of names) model.collect(n);
  const vars = [...model.vars.entries()].map(([k, v]) => [k, [...v]] as const);
  let total = 1;
  for (const [, values] of vars) {
    total *= values.length;
    if (total > MAX_SCENARIO_ENVIRONMENTS) return undefined;
  }
  const out = new Map<string, Scenario>();
  const env = new Map<string, string>();
  const visit = (index: number) => {
    if (index === vars.length) {
      model.reset();
      const s = new Map(names.map((n) => [n, model.evaluate(n, env)] as const));
      if (req.some((r) => !s.get(r))) return;
      const key = names.map((n) => (s.get(n) ? '1' : '0')).join('');
      if (!out.has(key)) out.set(key, s);
      return;
    }
    const [k, values] = vars[index];
    for (const v of values) {
      env.set(k, v);
      visit(index + 1);
    }
  };
  visit(0);
  return [...out.values()];
}

/**
 * The value a node takes in a scenario: `Fn::If`s are resolved (an `AWS::NoValue` branch comes back as
 * that `Ref` node, see `isNoValue`); undefined when a condition is not part of the scenario.
 */
export function pick(node: Node | undefined, s: Scenario): Node | undefined {
  let n = deref(node);
  for (let depth = 0; n && depth < 50; depth++) {
    const i = intrinsic(n);
    if (i?.name !== 'Fn::If') return n;
    const seq = asSeq(i.arg);
    const cond = str(seq?.items[0]);
    const value = cond === undefined ? undefined : s.get(cond);
    if (!seq || seq.items.length !== 3 || value === undefined) return undefined;
    n = deref(seq.items[value ? 1 : 2]);
  }
  return undefined;
}

/** True when a property is set (not missing, not `AWS::NoValue`) in a scenario; undefined when unknown. */
export function isSetIn(map: Node | undefined, name: string, s: Scenario): boolean | undefined {
  const p = pair(map, name);
  if (!p) return false;
  const v = pick(p.value, s);
  if (!v) return undefined;
  return !isNoValue(v) && !isNull(v);
}

/** The items of a list in a scenario (items that are `AWS::NoValue` dropped, unknown items skipped). */
export function itemsIn(node: Node | undefined, s: Scenario): Node[] {
  const list = pick(node, s);
  if (!list || isNoValue(list)) return [];
  return items(list).map((i) => pick(i, s)).filter((i): i is Node => !!i && !isNoValue(i));
}

/** The resource-level `Condition` of a resource, if it has one. */
export function resourceCondition(res: Resource): string | undefined {
  return str(get(res.node, 'Condition'));
}
