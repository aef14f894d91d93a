// Reading CloudFormation values through intrinsic functions: what a value refers to, and what literal
// strings it can take. Anything that cannot be known (parameters, imports, macros) reads as unknown.
import { asMap, asSeq, deref, get, str, walk, type Node } from '../documents/nodes';

export interface Reference {
  /** Logical id (or pseudo parameter) named by the reference. */
  target: string;
  /** The attribute for `Fn::GetAtt` and `${X.Attr}`. */
  attribute?: string;
  /** The intrinsic node the reference was read from. */
  node: Node;
}

/** The intrinsic function a node is (`Ref`, `Fn::Sub`, ...), if it is a one-key intrinsic map. */
export function intrinsic(node: Node | undefined): { name: string; arg: Node } | undefined {
  const m = asMap(node);
  if (!m || m.pairs.length !== 1) return undefined;
  const name = m.pairs[0].key.value;
  if (typeof name !== 'string' || !(name === 'Ref' || name === 'Condition' || name.startsWith('Fn::'))) return undefined;
  return { name, arg: m.pairs[0].value };
}

export function isNoValue(node: Node | undefined): boolean {
  const i = intrinsic(node);
  return i?.name === 'Ref' && str(i.arg) === 'AWS::NoValue';
}

/**
 * The variables of a `Fn::Sub` template (`${Name}`, `${Res.Attr}`; `${!Literal}` is not one) with where each
 * is written (`start` at the `$`, `end` after the `}`): what `/\$\{([^!}][^}]*)\}/g` finds, read in one pass
 * (that expression takes quadratic time on `${a${a${a...` with no closing brace).
 */
function subVariableSpans(template: string, first = false): Array<{ name: string; start: number; end: number }> {
  const out: Array<{ name: string; start: number; end: number }> = [];
  let close = -1;
  for (let i = 0; ; ) {
    const p = template.indexOf('${', i);
    if (p === -1 || p + 2 >= template.length) break;
    const c = template[p + 2];
    if (c === '!' || c === '}') {
      i = p + 1;
      continue;
    }
    // The first `}` after p + 2; still valid from an earlier search when it lies past p + 2.
    if (close < p + 3) close = template.indexOf('}', p + 3);
    if (close === -1) break;
    out.push({ name: template.slice(p + 2, close), start: p, end: close + 1 });
    if (first) break;
    i = close + 1;
  }
  return out;
}

/** The variables of a `Fn::Sub` template, as written between the braces. */
export function subVariables(template: string, first = false): string[] {
  return subVariableSpans(template, first).map((v) => v.name);
}

/** What one walk of a value finds: its references, and the arguments of its `Fn::ImportValue`s. */
interface Found {
  refs: Reference[];
  imports: Node[];
}

const FOUND = new WeakMap<Node, Found>();

/**
 * Every reference made anywhere inside a value. Remembered per node: a subtree's references never
 * change, and the language server reuses unchanged subtrees from one version of a document to the next.
 */
export function referencesIn(node: Node | undefined): Reference[] {
  return node ? found(node).refs.slice() : [];
}

/**
 * The arguments of the `Fn::ImportValue`s inside a value, in document order (not those inside another
 * one's argument). Found by the same walk as `referencesIn`, and remembered with it.
 */
export function importValuesIn(node: Node | undefined): readonly Node[] {
  return node ? found(node).imports : [];
}

function found(node: Node): Found {
  let f = FOUND.get(node);
  if (!f) FOUND.set(node, (f = findReferences(node)));
  return f;
}

function findReferences(node: Node): Found {
  const out: Reference[] = [];
  const imports: Node[] = [];
  walk(node, (n) => {
    const i = intrinsic(n);
    if (!i) return;
    if (i.name === 'Ref') {
      const target = str(i.arg);
      if (target) out.push({ target, node: n });
    } else if (i.name === 'Fn::GetAtt') {
      const ga = getAtt(i.arg);
      if (ga) out.push({ ...ga, node: n });
    } else if (i.name === 'Fn::ImportValue') {
      // Its argument's references count (`!ImportValue !Sub '${Env}-Vpc'`), its imports do not.
      imports.push(i.arg);
      for (const r of found(i.arg).refs) out.push(r);
      return false;
    } else if (i.name === 'Fn::Sub') {
      const seq = asSeq(i.arg);
      const template = str(seq ? seq.items[0] : i.arg);
      const locals = asMap(seq?.items[1]);
      if (template) {
        for (const variable of subVariables(template)) {
          const name = variable.trim();
          const dot = name.indexOf('.');
          const target = dot === -1 ? name : name.slice(0, dot);
          if (locals && get(locals, target)) continue;
          out.push({ target, attribute: dot === -1 ? undefined : name.slice(dot + 1), node: n });
        }
      }
      if (seq?.items[1]) for (const r of found(seq.items[1]).refs) out.push(r);
      // Imports anywhere in its argument (`!Sub ['${V}', { V: !ImportValue x }]`).
      for (const part of seq ? seq.items : [i.arg]) for (const a of found(part).imports) imports.push(a);
      return false;
    }
  });
  return { refs: out, imports };
}

function getAtt(arg: Node): { target: string; attribute?: string } | undefined {
  const s = str(arg);
  if (s) {
    const dot = s.indexOf('.');
    return dot === -1 ? { target: s } : { target: s.slice(0, dot), attribute: s.slice(dot + 1) };
  }
  const seq = asSeq(arg);
  const target = str(seq?.items[0]);
  return target ? { target, attribute: str(seq?.items[1]) } : undefined;
}

/** At most this many distinct branches are read from nested `Fn::If`s; beyond, the value is unknown. */
export const MAX_BRANCHES = 64;
/** At most this many `Fn::If` nodes are expanded for one value. */
const MAX_IF_NODES = 1024;

/**
 * The branches a value can take: `Fn::If` splits into both branches (an `AWS::NoValue` branch is
 * dropped, as CloudFormation drops the property); anything else is one branch. A node reached twice
 * (YAML aliases: `!If [C, *a, *a]`) is one branch, so an alias bomb costs its size, not its expansion.
 * Over MAX_BRANCHES branches, the value is unknown: the outer `Fn::If` itself is its only branch (an
 * intrinsic, which readers treat as unknown, like a parameter).
 */
export function branches(node: Node | undefined): Node[] {
  const top = deref(node);
  if (!top) return [];
  if (!isIf(top)) return isNoValue(top) ? [] : [top];
  const out: Node[] = [];
  const seen = new Set<Node>();
  let ifs = 0;
  // Depth first, then-branch before else-branch, without recursion (alias chains can be long).
  const stack: Node[] = [top];
  while (stack.length) {
    const n = deref(stack.pop());
    if (!n || seen.has(n)) continue;
    seen.add(n);
    if (isIf(n)) {
      if (++ifs > MAX_IF_NODES) return [top];
      const seq = asSeq(intrinsic(n)!.arg);
      if (!seq || seq.items.length !== 3) continue;
      stack.push(seq.items[2], seq.items[1]);
      continue;
    }
    if (isNoValue(n)) continue;
    out.push(n);
    if (out.length > MAX_BRANCHES) return [top];
  }
  return out;
}

function isIf(n: Node): boolean {
  return n.kind === 'map' && n.pairs.length === 1 && n.pairs[0].key.value === 'Fn::If';
}

/**
 * The literal strings a value can be, or undefined when any branch is not a literal (a parameter,
 * an import, a computed string): callers must then stay quiet.
 */
export function literalValues(node: Node | undefined): string[] | undefined {
  const out: string[] = [];
  for (const b of branches(node)) {
    const s = str(b);
    if (s !== undefined) {
      out.push(s);
      continue;
    }
    const text = literalText(b);
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

/** At most this many nested `Fn::Join`s / `Fn::Sub`s are read into one literal (YAML aliases could nest deeper). */
const MAX_LITERAL_DEPTH = 16;

/**
 * The literal text of an intrinsic whose parts are all literal: a `Fn::Sub` without variables (or whose
 * variables are all given literal values in its map), a `Fn::Join` of literal parts. Undefined otherwise.
 */
function literalText(node: Node | undefined, depth = 0): string | undefined {
  const n = deref(node);
  const s = str(n);
  if (s !== undefined) return s;
  const i = intrinsic(n);
  if (!i || depth > MAX_LITERAL_DEPTH) return undefined;
  if (i.name === 'Fn::Sub') {
    const seq = asSeq(i.arg);
    const template = str(seq ? seq.items[0] : i.arg);
    if (template === undefined) return undefined;
    const locals = asMap(seq?.items[1]);
    let text = '';
    let at = 0;
    for (const v of subVariableSpans(template)) {
      const value = locals ? literalText(get(locals, v.name.trim()), depth + 1) : undefined;
      if (value === undefined) return undefined;
      text += template.slice(at, v.start) + value;
      at = v.end;
    }
    return text + template.slice(at);
  }
  if (i.name === 'Fn::Join') {
    const seq = asSeq(i.arg);
    const delimiter = str(seq?.items[0]);
    const list = asSeq(deref(seq?.items[1]));
    if (delimiter === undefined || !list) return undefined;
    const parts: string[] = [];
    for (const item of list.items) {
      const part = literalText(item, depth + 1);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return parts.join(delimiter);
  }
  return undefined;
}

/**
 * The literal start of a value: the whole literal, the text of a `Fn::Sub` before its first variable, or
 * the literal parts of a `Fn::Join` up to the first part that is not literal (`s3://` of
 * `Fn::Join ["", ["s3://", !Ref Bucket, "/data"]]`). One per branch of an `Fn::If`; an empty string when
 * nothing literal leads.
 */
export function literalPrefixes(node: Node | undefined): string[] {
  return branches(node).map((b) => literalPrefix(b));
}

function literalPrefix(node: Node | undefined, depth = 0): string {
  const whole = literalText(node);
  if (whole !== undefined) return whole;
  const i = intrinsic(deref(node));
  if (!i || depth > MAX_LITERAL_DEPTH) return '';
  if (i.name === 'Fn::Sub') {
    const template = str(asSeq(i.arg) ? asSeq(i.arg)!.items[0] : i.arg) ?? '';
    const first = subVariableSpans(template, true)[0];
    return first ? template.slice(0, first.start) : template;
  }
  if (i.name === 'Fn::Join') {
    const seq = asSeq(i.arg);
    const delimiter = str(seq?.items[0]) ?? '';
    const list = asSeq(deref(seq?.items[1]));
    let out = '';
    for (const [k, item] of (list?.items ?? []).entries()) {
      const part = literalText(item, depth + 1);
      if (part === undefined) return out + (k ? delimiter : '') + literalPrefix(item, depth + 1);
      out += (k ? delimiter : '') + part;
    }
    return out;
  }
  return '';
}

/** A value a `Fn::FindInMap` can read from the template's `Mappings`, and where: `AWSRegionToAmi.us-east-1.AMI`. */
export interface MapEntry {
  node: Node;
  path: string;
}

/**
 * The `Mappings` entries a `Fn::FindInMap` can read (`mappings` is the template's `Mappings` section). With a
 * literal map name and keys, the one entry; with `!Ref AWS::Region` as the top-level key, the second key's
 * entry under every top-level key, as the stack can be created in any region the map lists. The
 * `DefaultValue` of `Fn::FindInMapWithDefault` counts when an entry may be missing. Undefined when the value
 * is not a `Fn::FindInMap`, or its map or a key cannot be read (a parameter, a nested intrinsic).
 */
export function findInMapEntries(mappings: Node | undefined, node: Node | undefined): MapEntry[] | undefined {
  const i = intrinsic(deref(node));
  const args = i?.name === 'Fn::FindInMap' ? asSeq(deref(i.arg))?.items : undefined;
  if (!args || args.length < 3) return undefined;
  const name = literal(args[0]);
  const map = name === undefined ? undefined : asMap(get(mappings, name));
  const second = literal(args[2]);
  if (!map || second === undefined) return undefined;
  const top = literal(args[1]);
  const regional = top === undefined && isRegionRef(args[1]);
  if (top === undefined && !regional) return undefined;
  const out: MapEntry[] = [];
  let missing = false;
  for (const p of map.pairs) {
    const key = String(p.key.value);
    if (!regional && key !== top) continue;
    const value = get(p.value, second);
    if (value) out.push({ node: value, path: `${name}.${key}.${second}` });
    else missing = true;
  }
  const fallback = get(args[3], 'DefaultValue');
  if (fallback && (regional || missing || !out.length)) out.push({ node: fallback, path: `${name} DefaultValue` });
  return out.length ? out : undefined;
}

function isRegionRef(node: Node): boolean {
  const i = intrinsic(deref(node));
  return i?.name === 'Ref' && str(i.arg) === 'AWS::Region';
}

/** The single literal string of a value, or undefined when it is not exactly one known literal. */
export function literal(node: Node | undefined): string | undefined {
  const v = literalValues(node);
  return v && v.length === 1 ? v[0] : undefined;
}

/** The logical ids a value points at directly (`Ref X`, `GetAtt X.Y`, either branch of an `Fn::If`). */
export function directTargets(node: Node | undefined): Array<{ target: string; attribute?: string; node: Node }> {
  const out: Array<{ target: string; attribute?: string; node: Node }> = [];
  for (const b of branches(node)) {
    const i = intrinsic(b);
    if (i?.name === 'Ref') {
      const t = str(i.arg);
      if (t) out.push({ target: t, node: b });
    } else if (i?.name === 'Fn::GetAtt') {
      const ga = getAtt(i.arg);
      if (ga) out.push({ ...ga, node: b });
    }
  }
  return out;
}

/**
 * The literal text of a user data value (or any script-like string), read through `Fn::Base64`,
 * `Fn::Sub` (its template, `${...}` placeholders kept as written), `Fn::Join` (literal parts joined by
 * the delimiter; parts that are not literal, such as a `Ref`, read as empty) and both branches of
 * `Fn::If` (joined by a newline). Undefined when no literal text can be read (a parameter, an import).
 * An already base64-encoded literal is returned as written, not decoded.
 */
export function userDataText(node: Node | undefined): string | undefined {
  return readText(node, { chars: MAX_TEXT, nodes: MAX_TEXT_NODES });
}

/** userDataText reads at most this much text and this many nodes (aliases could repeat a part); beyond, unknown. */
const MAX_TEXT = 1_000_000;
const MAX_TEXT_NODES = 10_000;

function readText(node: Node | undefined, budget: { chars: number; nodes: number }): string | undefined {
  const parts: string[] = [];
  for (const b of branches(node)) {
    if (--budget.nodes < 0) return undefined;
    const s = str(b);
    if (s !== undefined) {
      if ((budget.chars -= s.length) < 0) return undefined;
      parts.push(s);
      continue;
    }
    const i = intrinsic(b);
    let text: string | undefined;
    if (i?.name === 'Fn::Base64') {
      text = readText(i.arg, budget);
      if (budget.nodes < 0 || budget.chars < 0) return undefined;
    } else if (i?.name === 'Fn::Sub') {
      const seq = asSeq(i.arg);
      text = str(seq ? seq.items[0] : i.arg);
      if (text !== undefined && (budget.chars -= text.length) < 0) return undefined;
    } else if (i?.name === 'Fn::Join') {
      const seq = asSeq(i.arg);
      const list = asSeq(seq?.items[1]);
      if (list) {
        const pieces: string[] = [];
        for (const item of list.items) {
          pieces.push(readText(item, budget) ?? '');
          if (budget.nodes < 0 || budget.chars < 0) return undefined;
        }
        const delimiter = str(seq?.items[0]) ?? '';
        if ((budget.chars -= delimiter.length * Math.max(0, pieces.length - 1)) < 0) return undefined;
        text = pieces.join(delimiter);
      }
    }
    if (text !== undefined) parts.push(text);
  }
  return parts.length ? parts.join('\n') : undefined;
}
