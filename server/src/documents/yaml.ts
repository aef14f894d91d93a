// YAML -> node tree: positions kept, CloudFormation short tags turned into long-form intrinsics,
// aliases kept as pointers, nesting depth bounded. The fast block parser (blockyaml.ts) reads what
// templates and manifests are made of; anything else (and every file with an error) is composed here
// from the `yaml` package's CST, which reports the errors.
import { Composer as YamlComposer, Parser, CST } from 'yaml';
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from './nodes';
import { applyTag, plainValue } from './scalars';
import { parseBlockYaml } from './blockyaml';

export interface SyntaxError {
  start: number;
  end: number;
  message: string;
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

  constructor(private readonly limits: ParseLimits) {}

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
      if (item.value) value = this.node(item.value, sepProps);
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
      const v = this.node(item.value, props);
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
  return header + token.source.replace(/\s+$/, '').length;
}

function flowEnd(token: CST.FlowCollection): number {
  for (const t of token.end) if (t.type === 'flow-map-end' || t.type === 'flow-seq-end') return t.offset + 1;
  const last = token.end[token.end.length - 1];
  return last ? last.offset + last.source.length : token.offset + 1;
}

/** Parses a YAML stream (one or more documents). Never throws on bad input. */
export function parseYaml(text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } {
  const fast = limits.parser === 'cst' ? undefined : parseBlockYaml(text, limits.maxDepth);
  if (fast) return { docs: fast.docs.map((d) => ({ root: d.root, start: d.start, end: d.end, errors: [] })), errors: [] };
  return parseYamlCst(text, limits);
}

/** The CST path alone (the reference the fast parser is tested against). */
export function parseYamlCst(text: string, limits: ParseLimits = DEFAULT_LIMITS): { docs: YamlDoc[]; errors: SyntaxError[] } {
  const composer = new Composer(limits);
  const docs: YamlDoc[] = [];
  const errors: SyntaxError[] = [];
  const tokens = Array.from(new Parser().parse(text));
  for (const token of tokens) {
    if (token.type === 'document') {
      const d = composer.document(token);
      docs.push(d);
      errors.push(...d.errors);
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
  errors.push(...extra);
  errors.sort((a, b) => a.start - b.start);
  if (errors.length > 20) errors.length = 20;
}
