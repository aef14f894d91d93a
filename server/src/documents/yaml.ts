// YAML -> node tree: positions kept, CloudFormation short tags turned into long-form intrinsics,
// aliases kept as pointers, nesting depth bounded. The fast block parser (blockyaml.ts) reads what
// templates and manifests are made of; anything else (and every file with an error) is composed here
// from the `yaml` package's CST, which reports the errors.
import { Composer as YamlComposer, Parser, CST } from 'yaml';
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from './nodes';
import { applyTag, plainValue, trimmedEndLength } from './scalars';
import { parseBlockEntries, parseBlockYaml } from './blockyaml';

export interface SyntaxError {
  start: number;
  end: number;
  message: string;
  /** In what a Helm template rendered with the chart's values, on a line an action wrote to: the values may be at fault. */
  rendered?: true;
}

export interface YamlDoc {
  root: Node | undefined;
  start: number;
  end: number;
  errors: SyntaxError[];
}

export interface ParseLimits {
  maxDepth: number;
  /** `cst` skips the fast block parser (tests compare the two). */
  parser?: 'auto' | 'cst';
}

const DEFAULT_LIMITS: ParseLimits = { maxDepth: 500 };

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type Item = CST.CollectionItem;

class Composer {
  private anchors = new Map<string, Node>();
  errors: SyntaxError[] = [];
  private depth = 0;
  private tooDeep = false;

  constructor(
    private readonly limits: ParseLimits,
    private readonly text: string,
  ) {}

  document(doc: CST.Document): YamlDoc {
    this.anchors = new Map();
    this.errors = [];
    const props = this.props(doc.start);
    const root = doc.value ? this.node(doc.value, props) : undefined;
    // The end is fixed up by parseYaml once the next document's start is known.
    return { root, start: doc.offset, end: doc.offset, errors: this.errors };
  }

  private props(tokens: SourceToken[] | undefined): { tag?: string; anchor?: string; start?: number } {
    const out: { tag?: string; anchor?: string; start?: number } = {};
    if (!tokens) return out;
    for (const t of tokens) {
      if (t.type === 'tag') {
        out.tag = t.source;
        out.start ??= t.offset;
      } else if (t.type === 'anchor') {
        out.anchor = t.source.slice(1);
        out.start ??= t.offset;
      } else if ((t as Token).type === 'error') {
        this.error(t.offset, t.offset + t.source.length, (t as unknown as CST.ErrorToken).message);
      }
    }
    return out;
  }

  private error(start: number, end: number, message: string): void {
    if (this.errors.length < 20) this.errors.push({ start, end: Math.max(end, start + 1), message });
  }

  private node(token: Token, props: { tag?: string; anchor?: string; start?: number }): Node {
    if (this.depth >= this.limits.maxDepth) {
      if (!this.tooDeep) this.error(token.offset, token.offset + 1, `Nesting deeper than ${this.limits.maxDepth} levels is not read.`);
      this.tooDeep = true;
      return { kind: 'scalar', value: null, start: token.offset, end: token.offset };
    }
    this.depth++;
    try {
      let node = this.inner(token);
      if (props.tag) node = this.applyTag(node, props.tag, props.start ?? node.start);
      if (props.anchor) this.anchors.set(props.anchor, node);
      return node;
    } finally {
      this.depth--;
    }
  }

  /**
   * A value: a `{{name}}` written where a value goes (a mustache, sed or Ansible placeholder, a Go template
   * action) is no flow map of a flow map but text filled in before apply, read as a plain scalar of that
   * text (rules see a placeholder: `isPlaceholder`). Keys keep the complex-key error.
   */
  private value(token: Token, props: { tag?: string; anchor?: string; start?: number }): Node {
    if (token.type !== 'flow-collection' || props.tag || props.anchor) return this.node(token, props);
    const end = flowEnd(token);
    const source = this.text.slice(token.offset, end);
    if (!/^\{\{[^\n]*\}\}$/.test(source) || source.indexOf('}}') !== source.length - 2) return this.node(token, props);
    return { kind: 'scalar', value: source, start: token.offset, end };
  }

  private applyTag(node: Node, tag: string, tagStart: number): Node {
    return applyTag(node, tag, tagStart);
  }

  private inner(token: Token): Node {
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        return this.scalar(token);
      case 'alias': {
        const name = token.source.slice(1);
        const target = this.anchors.get(name);
        if (!target) this.error(token.offset, token.offset + token.source.length, `Unknown alias *${name}.`);
        return { kind: 'alias', target, start: token.offset, end: token.offset + token.source.length };
      }
      case 'block-map':
        return this.map(token.items, token.offset);
      case 'block-seq':
        return this.seq(token.items, token.offset);
      case 'flow-collection': {
        const end = flowEnd(token);
        if (!token.end.some((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end')) this.error(token.offset, token.offset + 1, `Missing closing ${token.start.source === '{' ? '}' : ']'}.`);
        if (token.start.source === '{') return this.map(token.items, token.offset, end);
        return this.seq(token.items, token.offset, end);
      }
      case 'error':
        this.error(token.offset, token.offset + token.source.length, token.message);
        return { kind: 'scalar', value: null, start: token.offset, end: token.offset };
      default:
        return { kind: 'scalar', value: null, start: token.offset, end: token.offset };
    }
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar): Node {
    const onError = (offset: number, _code: string, message: string) => this.error(offset, offset + 1, message);
    if (token.type === 'block-scalar') {
      const props = this.props(token.props as SourceToken[]);
      const r = CST.resolveAsScalar(token, false, onError);
      const start = token.offset;
      const node: ScalarNode = { kind: 'scalar', value: r?.value ?? '', quoted: true, start, end: start + sourceLength(token) };
      return props.tag ? this.applyTag(node, props.tag, props.start ?? start) : node;
    }
    this.flowEndErrors(token.end);
    const r = CST.resolveAsScalar(token, false, onError);
    const start = token.offset;
    const end = start + token.source.length;
    if (token.type === 'scalar') return { kind: 'scalar', value: plainValue(r?.value ?? token.source), start, end };
    return { kind: 'scalar', value: r?.value ?? '', quoted: true, start, end };
  }

  private flowEndErrors(tokens: SourceToken[] | undefined): void {
    if (tokens) for (const t of tokens) if ((t as Token).type === 'error') this.error(t.offset, t.offset + t.source.length, (t as unknown as CST.ErrorToken).message);
  }

  private map(itemsIn: Item[], offset: number, flowEnd?: number): MapNode {
    const pairs: Pair[] = [];
    let end = offset;
    for (const item of itemsIn) {
      if (isBlank(item)) continue;
      const keyProps = this.props(item.start);
      const keyToken = item.key;
      const sepProps = this.props(item.sep);
      let key: ScalarNode;
      if (keyToken) {
        const k = this.node(keyToken, keyProps);
        key = k.kind === 'scalar' ? k : { kind: 'scalar', value: '?', start: k.start, end: k.end };
        if (k.kind !== 'scalar') this.error(k.start, k.end, 'Complex keys are not supported.');
      } else if (item.value && !item.sep) {
        // A flow map entry with a value but no key, e.g. `{ a }`: the value is the key.
        const k = this.node(item.value, keyProps);
        key = k.kind === 'scalar' ? k : { kind: 'scalar', value: '?', start: k.start, end: k.end };
        pairs.push({ key, value: { kind: 'scalar', value: null, start: key.end, end: key.end } });
        end = Math.max(end, key.end);
        continue;
      } else {
        const at = item.sep?.[0]?.offset ?? item.start[0]?.offset ?? offset;
        key = { kind: 'scalar', value: null, start: at, end: at };
      }
      let value: Node;
      if (item.value) value = this.value(item.value, sepProps);
      else if (sepProps.tag) value = this.applyTag({ kind: 'scalar', value: null, start: key.end, end: key.end }, sepProps.tag, sepProps.start!);
      else value = { kind: 'scalar', value: null, start: key.end, end: key.end };
      pairs.push({ key, value });
      end = Math.max(end, value.end, key.end);
    }
    return { kind: 'map', pairs, start: offset, end: flowEnd ?? end };
  }

  private seq(itemsIn: Item[], offset: number, flowEnd?: number): SeqNode {
    const out: Node[] = [];
    let end = offset;
    for (const item of itemsIn) {
      if (isBlank(item)) continue;
      const props = this.props(item.start);
      if (item.key !== undefined || item.sep) {
        // `[a: b]` is a one-pair map inside a flow sequence.
        const m = this.map([item], item.key?.offset ?? offset);
        out.push(m);
        end = Math.max(end, m.end);
        continue;
      }
      if (!item.value) {
        const at = item.start[item.start.length - 1]?.offset ?? offset;
        out.push(props.tag ? this.applyTag({ kind: 'scalar', value: null, start: at + 1, end: at + 1 }, props.tag, props.start!) : { kind: 'scalar', value: null, start: at + 1, end: at + 1 });
        continue;
      }
      const v = this.value(item.value, props);
      out.push(v);
      end = Math.max(end, v.end);
    }
    return { kind: 'seq', items: out, start: offset, end: flowEnd ?? end };
  }
}

/**
 * An item made only of separators: a trailing comma in a flow collection (`[a, b, ]`) or a comment
 * line inside a block map. It is not an entry (the CST keeps it to hold the comment or comma).
 */
function isBlank(item: Item): boolean {
  if (item.key || item.sep || item.value) return false;
  for (const t of item.start) if (t.type !== 'comma' && t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') return false;
  return true;
}

function sourceLength(token: CST.BlockScalar): number {
  const header = token.props.reduce((n, t) => n + ('source' in t ? (t as SourceToken).source.length : 0), 0);
  // A block scalar's source keeps its trailing line break; the node ends before it.
  return header + trimmedEndLength(token.source);
}

function flowEnd(token: CST.FlowCollection): number {
  for (const t of token.end) if (t.type === 'flow-map-end' || t.type === 'flow-seq-end') return t.offset + 1;
  const last = token.end[token.end.length - 1];
  return last ? last.offset + last.source.length : token.offset + 1;
}

/** Parses a YAML stream (one or more documents). Never throws on bad input. */
export function parseYaml(text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } {
  return (limits.parser === 'cst' ? undefined : parseYamlFast(text, limits)) ?? parseYamlCst(text, limits);
}

/** The fast block parser alone: undefined where it gives up (then `parseYaml` takes the CST path). */
export function parseYamlFast(text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } | undefined {
  const fast = parseBlockYaml(text, limits.maxDepth);
  if (!fast) return undefined;
  const docs: YamlDoc[] = fast.docs.map((d) => ({ root: d.root, start: d.start, end: d.end, errors: [] }));
  for (const e of fast.errors) (docs.find((d) => e.start >= d.start && e.start < d.end) ?? docs[docs.length - 1])?.errors.push(e);
  if (!fast.aliases && !fast.errors.length) REPARSABLE.set(docs, { text, errors: [] });
  return { docs, errors: fast.errors };
}

// ---- incremental re-parse -----------------------------------------------------------------------

/**
 * Trees that can be re-parsed in part, with the text they were made from: made by the fast parser
 * without an error or alias, or re-parsed from such a tree (then with the errors of re-parsed entries).
 */
const REPARSABLE = new WeakMap<YamlDoc[], { text: string; errors: SyntaxError[] }>();
/**
 * From this size on, an entry the fast parser cannot read (usually one being typed, with an error) is
 * parsed alone by the CST composer, instead of the whole text: its errors stay in it, and the rest of
 * the tree is reused. (A whole-text parse could read an error differently, e.g. let an unclosed quote
 * run past the entry; below this size the whole text is parsed, as the CLI does.)
 */
const LOCAL_CST_MIN_SIZE = 256 * 1024;
/** How many map levels below a document's root a change is narrowed down to (root keys, then e.g. resources). */
const REPARSE_LEVELS = 2;

/**
 * Parses `text`, a new version of the text `previous` was parsed from, by re-parsing only the entry of
 * a block map (a top-level key, or one resource of `Resources`) that holds the change, and reusing
 * every other node: nodes after the change are moved (their offsets shifted in place), the maps on the
 * way down are copied. Undefined when that is not possible (the previous tree came from the CST path
 * or has aliases, the change crosses entries, the new entry does not parse...): parse it all then.
 * A tree is re-parsed at most once: `previous` is no longer valid afterwards.
 */
export function reparseYaml(previous: YamlDoc[], text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } | undefined {
  const known = REPARSABLE.get(previous);
  if (known === undefined || limits.parser === 'cst') return undefined;
  const old = known.text;
  // The changed span: common prefix and suffix.
  const { start, oldEnd, delta } = changedSpan(old, text);
  if (delta === 0 && oldEnd === start) return { docs: previous, errors: known.errors };
  const last = previous.length - 1;
  const docIndex = previous.findIndex((d, j) => d.start < start && (oldEnd < d.end || (j === last && oldEnd === d.end)));
  const doc = previous[docIndex];
  if (!doc || !isBlockMap(doc.root, old)) return undefined;

  // Walk down to the innermost block map entry whose region holds the whole change.
  const path: Array<{ map: MapNode; index: number }> = [];
  let map = doc.root as MapNode;
  let mapEnd = contentLineAfter(old, map.end);
  let target: { map: MapNode; index: number; from: number; to: number; depth: number } | undefined;
  for (let level = 1; level <= REPARSE_LEVELS; level++) {
    const i = entryAt(map, old, start, oldEnd, mapEnd);
    if (i === -1) break;
    const from = lineStart(old, map.pairs[i].key.start);
    const to = i + 1 < map.pairs.length ? lineStart(old, map.pairs[i + 1].key.start) : mapEnd;
    target = { map, index: i, from, to, depth: level };
    path.push({ map, index: i });
    const value = map.pairs[i].value;
    // Go one level deeper when the change is inside the value's own entries (not on the key's line).
    if (level === REPARSE_LEVELS || !isBlockMap(value, old) || start < lineStart(old, (value as MapNode).pairs[0].key.start)) break;
    map = value as MapNode;
    mapEnd = to;
  }
  if (!target) return undefined;
  const col = target.map.pairs[target.index].key.start - target.from;
  const newTo = target.to + delta;
  let pairs = parseBlockEntries(text, target.from, newTo, col, target.depth, limits.maxDepth);
  let entryErrors: SyntaxError[] = [];
  if (!pairs) {
    const local = text.length >= LOCAL_CST_MIN_SIZE ? parseEntriesCst(text, target.from, newTo, col, limits) : undefined;
    if (!local) return undefined;
    ({ pairs, errors: entryErrors } = local);
  }
  // Errors of other entries stay (moved when after the change); those of the re-parsed entry are replaced.
  const errors = [
    ...known.errors.filter((e) => e.start < target!.from),
    ...entryErrors,
    ...known.errors.filter((e) => e.start >= target!.to).map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })),
  ];

  // Rebuild the maps on the path (copies), shift what follows the change.
  let replacement: Pair[] = pairs;
  for (let k = path.length - 1; k >= 0; k--) {
    const { map: m, index } = path[k];
    for (let j = index + 1; j < m.pairs.length; j++) shiftPair(m.pairs[j], delta);
    const newPairs = [...m.pairs.slice(0, index), ...replacement, ...m.pairs.slice(index + 1)];
    // A block map has entries and starts at its first key.
    if (!newPairs.length) return undefined;
    const mapStart = newPairs[0].key.start;
    let end = mapStart;
    for (const p of newPairs) end = Math.max(end, p.key.end, p.value.end);
    const copy: MapNode = { ...m, pairs: newPairs, start: mapStart, end };
    if (k === 0) {
      const docs: YamlDoc[] = previous.map((d, j) => {
        if (j < docIndex) return { ...d, errors: [] };
        if (j === docIndex) return { root: copy, start: d.start, end: d.end + delta, errors: [] };
        if (d.root) shift(d.root, delta);
        return { root: d.root, start: d.start + delta, end: d.end + delta, errors: [] };
      });
      for (const e of errors) (docs.find((d) => e.start >= d.start && e.start < d.end) ?? docs[docs.length - 1]).errors.push(e);
      REPARSABLE.delete(previous);
      REPARSABLE.set(docs, { text, errors });
      return { docs, errors };
    }
    const parentPair = path[k - 1].map.pairs[path[k - 1].index];
    replacement = [{ key: parentPair.key, value: copy }];
  }
  return undefined;
}

/**
 * The entries of a block map at column `col` between the line starts `from` and `to`, read by the CST
 * composer as a document of their own (offsets moved into `text`). Undefined unless they read as one
 * block map with its keys at that column; or when they use anchors or aliases (which could name nodes
 * outside them).
 */
function parseEntriesCst(text: string, from: number, to: number, col: number, limits: ParseLimits): { pairs: Pair[]; errors: SyntaxError[] } | undefined {
  const sub = text.slice(from, to);
  if (/[&*]/.test(sub)) return undefined;
  const { docs, errors } = parseYamlCst(sub, limits);
  if (docs.length !== 1) return undefined;
  const root = docs[0].root;
  if (!isBlockMap(root, sub)) return undefined;
  for (const p of root.pairs) if (p.key.start - lineStart(sub, p.key.start) !== col) return undefined;
  shift(root, from);
  // An error at the very end (e.g. an unclosed quote) stays on the entry's last character, in its region.
  const last = Math.max(from, to - 1);
  return { pairs: root.pairs, errors: errors.map((e) => ({ ...e, start: Math.min(e.start + from, last), end: Math.min(e.end + from, to) })) };
}

/** The span that differs between two texts: [start, oldEnd) in the old one, and the length change. */
function changedSpan(a: string, b: string): { start: number; oldEnd: number; delta: number } {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  // Compare in chunks (string comparison runs natively), then narrow down.
  for (let step = 4096; step >= 1; step >>= 4) {
    while (lo + step <= n && a.slice(lo, lo + step) === b.slice(lo, lo + step)) lo += step;
  }
  while (lo < n && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  let s = 0;
  const max = n - lo;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (s + step <= max && a.slice(a.length - s - step, a.length - s) === b.slice(b.length - s - step, b.length - s)) s += step;
  }
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { start: lo, oldEnd: a.length - s, delta: b.length - a.length };
}

function isBlockMap(node: Node | undefined, text: string): node is MapNode {
  return !!node && node.kind === 'map' && !node.shortTag && node.tag === undefined && node.pairs.length > 0 && text.charCodeAt(node.start) !== 123 && node.pairs[0].key.start === node.start;
}

/** The entry whose region (its key's line up to the next key's line) holds [start, end), or -1. */
function entryAt(map: MapNode, text: string, start: number, end: number, mapEnd: number): number {
  const pairs = map.pairs;
  let lo = 0;
  let hi = pairs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStart(text, pairs[mid].key.start) <= start) lo = mid;
    else hi = mid - 1;
  }
  const from = lineStart(text, pairs[lo].key.start);
  const to = lo + 1 < pairs.length ? lineStart(text, pairs[lo + 1].key.start) : mapEnd;
  return from <= start && (end < to || (end === to && to === text.length)) ? lo : -1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the first line after `offset`'s line that has content (not blank, not only a comment), or the text's end. */
function contentLineAfter(text: string, offset: number): number {
  let p = text.indexOf('\n', offset);
  if (p === -1) return text.length;
  p++;
  for (;;) {
    let i = p;
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 13) c = text.charCodeAt(++i);
    if (i >= text.length) return text.length;
    if (c !== 10 && c !== 35) return p;
    const nl = text.indexOf('\n', i);
    if (nl === -1) return text.length;
    p = nl + 1;
  }
}

function shiftPair(p: Pair, delta: number): void {
  shift(p.key, delta);
  shift(p.value, delta);
}

/** Moves a subtree by `delta` (no aliases here: every node is reached once). */
function shift(node: Node, delta: number): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.start += delta;
    n.end += delta;
    if (n.kind === 'map') for (const p of n.pairs) stack.push(p.key, p.value);
    else if (n.kind === 'seq') for (const item of n.items) stack.push(item);
  }
}

/** The CST path alone (the reference the fast parser is tested against). */
export function parseYamlCst(text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } {
  const composer = new Composer(limits, text);
  const docs: YamlDoc[] = [];
  const errors: SyntaxError[] = [];
  const tokens = Array.from(new Parser().parse(text));
  for (const token of tokens) {
    if (token.type === 'document') {
      const d = composer.document(token);
      docs.push(d);
      for (const e of d.errors) errors.push(e);
    } else if (token.type === 'error') {
      errors.push({ start: token.offset, end: token.offset + Math.max(1, token.source.length), message: token.message });
    }
  }
  for (let i = 0; i < docs.length; i++) docs[i].end = i + 1 < docs.length ? docs[i + 1].start : text.length;
  validate(tokens, docs, errors);
  return { docs, errors };
}

/**
 * What the CST alone does not check (items of a map at different columns, tabs as indentation, a
 * block collection on the line of `---`...): the `yaml` package's composer, run over the same tokens
 * for its errors only. Duplicate keys are not reported (the fast path does not look for them).
 */
function validate(tokens: Token[], docs: YamlDoc[], errors: SyntaxError[]): void {
  const seen = new Set(errors.map((e) => e.start));
  const extra: SyntaxError[] = [];
  try {
    for (const doc of new YamlComposer({ strict: false, uniqueKeys: false }).compose(tokens)) {
      for (const e of doc.errors) {
        const [start, end] = e.pos;
        if (seen.has(start)) continue;
        seen.add(start);
        extra.push({ start, end: Math.max(end, start + 1), message: e.message.split('\n')[0] });
      }
    }
  } catch {
    // Validation is best effort: the tree is already composed.
  }
  if (!extra.length) return;
  for (const e of extra) {
    const doc = docs.find((d) => e.start >= d.start && e.start < d.end) ?? docs[docs.length - 1];
    if (doc && doc.errors.length < 20) doc.errors.push(e);
  }
  for (const e of extra) errors.push(e);
  errors.sort((a, b) => a.start - b.start);
  if (errors.length > 20) errors.length = 20;
}
