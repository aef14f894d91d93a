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

const SUB_VAR = /\$\{([^!}][^}]*)\}/g;
const HAS_SUB_VAR = /\$\{[^!}][^}]*\}/;

const REFERENCES = new WeakMap<Node, Reference[]>();

/**
 * Every reference made anywhere inside a value. Remembered per node: a subtree's references never
 * change, and the language server reuses unchanged subtrees from one version of a document to the next.
 */
export function referencesIn(node: Node | undefined): Reference[] {
  if (!node) return [];
  let refs = REFERENCES.get(node);
  if (!refs) REFERENCES.set(node, (refs = findReferences(node)));
  return refs.slice();
}

function findReferences(node: Node): Reference[] {
  const out: Reference[] = [];
  walk(node, (n) => {
    const i = intrinsic(n);
    if (!i) return;
    if (i.name === 'Ref') {
      const target = str(i.arg);
      if (target) out.push({ target, node: n });
    } else if (i.name === 'Fn::GetAtt') {
      const ga = getAtt(i.arg);
      if (ga) out.push({ ...ga, node: n });
    } else if (i.name === 'Fn::Sub') {
      const seq = asSeq(i.arg);
      const template = str(seq ? seq.items[0] : i.arg);
      const locals = asMap(seq?.items[1]);
      if (template) {
        for (const m of template.matchAll(SUB_VAR)) {
          const name = m[1].trim();
          const dot = name.indexOf('.');
          const target = dot === -1 ? name : name.slice(0, dot);
          if (locals && get(locals, target)) continue;
          out.push({ target, attribute: dot === -1 ? undefined : name.slice(dot + 1), node: n });
        }
      }
      if (seq?.items[1]) out.push(...referencesIn(seq.items[1]));
      return false;
    }
  });
  return out;
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

/**
 * The branches a value can take: `Fn::If` splits into both branches (an `AWS::NoValue` branch is
 * dropped, as CloudFormation drops the property); anything else is one branch.
 */
export function branches(node: Node | undefined): Node[] {
  const n = deref(node);
  if (!n) return [];
  const i = intrinsic(n);
  if (i?.name === 'Fn::If') {
    const seq = asSeq(i.arg);
    if (!seq || seq.items.length !== 3) return [];
    return [...branches(seq.items[1]), ...branches(seq.items[2])];
  }
  if (isNoValue(n)) return [];
  return [n];
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
    let unknown = false;
    const text = template.replace(SUB_VAR, (whole, name: string) => {
      const v = locals ? literalText(get(locals, name.trim()), depth + 1) : undefined;
      if (v === undefined) unknown = true;
      return v ?? whole;
    });
    return unknown ? undefined : text;
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
    const at = template.search(HAS_SUB_VAR);
    return at === -1 ? template : template.slice(0, at);
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
  const parts: string[] = [];
  for (const b of branches(node)) {
    const s = str(b);
    if (s !== undefined) {
      parts.push(s);
      continue;
    }
    const i = intrinsic(b);
    let text: string | undefined;
    if (i?.name === 'Fn::Base64') text = userDataText(i.arg);
    else if (i?.name === 'Fn::Sub') {
      const seq = asSeq(i.arg);
      text = str(seq ? seq.items[0] : i.arg);
    } else if (i?.name === 'Fn::Join') {
      const seq = asSeq(i.arg);
      const list = asSeq(seq?.items[1]);
      if (list) text = list.items.map((item) => userDataText(item) ?? '').join(str(seq?.items[0]) ?? '');
    }
    if (text !== undefined) parts.push(text);
  }
  return parts.length ? parts.join('\n') : undefined;
}
