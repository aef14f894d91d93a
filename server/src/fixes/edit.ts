// Text edits on offsets for YAML and JSON files: set a key in a map, add an item to a sequence, insert a
// comment line. New text follows the file's own style (indentation step, sequence indentation, quote
// character, line endings); existing text is only touched where a value is replaced, so comments,
// quoting and layout elsewhere stay as the user wrote them.
import { asMap, type MapNode, type Node, type Pair, type ScalarNode, type SeqNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import { intrinsic } from '../model/intrinsics';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Applies non-overlapping edits (inserts at the same offset keep their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    out += text.slice(pos, e.start) + e.newText;
    pos = Math.max(pos, e.end);
  }
  return out + text.slice(pos);
}

/** The offset, after the edits are applied, of an offset in the original text. */
export function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of edits) if (e.end <= offset && !(e.start === e.end && e.start === offset)) delta += e.newText.length - (e.end - e.start);
  return offset + delta;
}

/** Where `needle` lands in the edited text, searching the edits' new text in order. */
export function findInserted(edits: readonly TextEdit[], needle: string): { start: number; end: number } | undefined {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let delta = 0;
  for (const { e } of sorted) {
    const i = e.newText.indexOf(needle);
    if (i !== -1) return { start: e.start + delta + i, end: e.start + delta + i + needle.length };
    delta += e.newText.length - (e.end - e.start);
  }
  return undefined;
}

// ---- values to write --------------------------------------------------------------------------

/** A CloudFormation intrinsic: short tag in YAML (`!GetAtt X.Arn`), long form in JSON. */
export class Intrinsic {
  constructor(readonly fn: string, readonly arg: Value) {}
}

/** A multi-line string: a literal block (`|`) in YAML, an escaped string in JSON. */
export class Multiline {
  /** `flat`: the same content on one line, written instead where a block cannot go (flow maps, JSON). */
  constructor(readonly text: string, readonly flat: string = text) {}
}

export type Value = string | number | boolean | null | Intrinsic | Multiline | Value[] | { [key: string]: Value };

export const getAtt = (id: string, attribute: string) => new Intrinsic('Fn::GetAtt', [id, attribute]);
export const ref = (id: string) => new Intrinsic('Ref', id);

function isObject(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Intrinsic) && !(v instanceof Multiline);
}

/** Small enough to write on one line: scalars, intrinsics, empty collections, lists of scalars. */
function isInline(v: Value): boolean {
  if (v instanceof Multiline) return false;
  if (Array.isArray(v)) return v.every((x) => !Array.isArray(x) && !isObject(x) && !(x instanceof Multiline));
  if (isObject(v)) return Object.keys(v).length === 0;
  return true;
}

// ---- the file's style -------------------------------------------------------------------------

export interface Style {
  format: 'yaml' | 'json';
  eol: string;
  /** One level of indentation. */
  step: number;
  /** Indentation character (a tab counts as one column). */
  unit: string;
  /** YAML: block sequences under a key are indented (`key:\n  - a`) rather than flush (`key:\n- a`). */
  seqIndent: boolean;
  /** YAML: the quote the file uses most. */
  quote: '"' | "'";
  /** YAML: intrinsics written in long form (`Fn::GetAtt:`) because the file never uses short tags. */
  longForm: boolean;
  /** JSON: the whole document is on one line. */
  compact: boolean;
}

export function detectStyle(file: ParsedFile): Style {
  const { text, lines } = file;
  const col = (o: number) => lines.position(o).character;
  const line = (o: number) => lines.position(o).line;
  const steps = new Map<number, number>();
  let seqIndented = 0;
  let seqFlush = 0;
  let doubles = 0;
  let singles = 0;
  let shortTags = 0;
  let longKeys = 0;
  const visit = (node: Node | undefined, depth: number) => {
    if (!node || depth > 50) return;
    if (node.kind === 'map') {
      if (node.shortTag) shortTags++;
      for (const p of node.pairs) {
        const k = String(p.key.value);
        if (k === 'Ref' || k.startsWith('Fn::')) longKeys++;
        const v = p.value;
        if (v.kind === 'map' && v.pairs.length && !v.shortTag && text[v.start] !== '{' && line(v.pairs[0].key.start) > line(p.key.start)) {
          const d = col(v.pairs[0].key.start) - col(p.key.start);
          if (d > 0) steps.set(d, (steps.get(d) ?? 0) + 1);
        } else if (file.format === 'json' && v.kind === 'map' && v.pairs.length && line(v.pairs[0].key.start) > line(p.key.start)) {
          const d = col(v.pairs[0].key.start) - col(p.key.start);
          if (d > 0) steps.set(d, (steps.get(d) ?? 0) + 1);
        }
        if (file.format === 'yaml' && v.kind === 'seq' && text[v.start] === '-' && line(v.start) > line(p.key.start)) {
          if (col(v.start) > col(p.key.start)) seqIndented++;
          else seqFlush++;
        }
        visit(v, depth + 1);
      }
    } else if (node.kind === 'seq') {
      for (const i of node.items) visit(i, depth + 1);
    } else if (node.kind === 'scalar' && node.quoted) {
      if (text[node.start] === '"') doubles++;
      else if (text[node.start] === "'") singles++;
    }
  };
  for (const d of file.docs) visit(d.root, 0);
  let step = 2;
  let best = 0;
  for (const [d, n] of steps) if (n > best || (n === best && d < step)) [step, best] = [d, n];
  // YAML never indents with tabs; JSON may.
  const tabs = file.format === 'json' && /^\t/m.test(text) && !/^ +\S/m.test(text);
  return {
    format: file.format,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    step: tabs ? 1 : step,
    unit: tabs ? '\t' : ' ',
    seqIndent: seqIndented >= seqFlush,
    quote: singles > doubles ? "'" : '"',
    longForm: file.format === 'yaml' && shortTags === 0 && longKeys > 0,
    compact: file.format === 'json' && !text.trim().includes('\n'),
  };
}

// ---- rendering --------------------------------------------------------------------------------

const YAML_SPECIAL = /^(?:true|false|yes|no|on|off|y|n|null|~|)$/i;
const NUMBER_LIKE = /^[-+.]?\d|^\.(?:inf|nan)$/i;
const PLAIN_SAFE = /^[A-Za-z_/$][A-Za-z0-9_ ./:@()+=$-]*$/;

/** A YAML string, plain when that reads back as the same string, quoted otherwise. */
export function yamlString(s: string, style: Style): string {
  const plain = PLAIN_SAFE.test(s) && !YAML_SPECIAL.test(s) && !NUMBER_LIKE.test(s) && !/:(\s|$)|\s#|\s$/.test(s);
  if (plain) return s;
  return quoteYaml(s, style.quote);
}

function quoteYaml(s: string, quote: '"' | "'"): string {
  if (quote === "'" && !/[\n\r\t\\]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function yamlKey(k: string, style: Style): string {
  return /^[A-Za-z_][A-Za-z0-9_.:/-]*$/.test(k) && !YAML_SPECIAL.test(k) && !/:$/.test(k) ? k : quoteYaml(k, style.quote);
}

function yamlScalar(v: string | number | boolean | null, style: Style): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return yamlString(v, style);
  return String(v);
}

const SHORT_FORM = new Set(['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::If', 'Fn::Equals', 'Fn::Base64']);

/** The value as YAML flow text (one line). */
export function yamlInline(v: Value, style: Style): string {
  if (v instanceof Intrinsic) {
    // A tag cannot be followed by another (`!ImportValue !Sub ...`): an intrinsic of an intrinsic is written `{ Fn::ImportValue: !Sub ... }`.
    const taggedArg = v.arg instanceof Intrinsic && SHORT_FORM.has(v.arg.fn);
    if (!style.longForm && SHORT_FORM.has(v.fn) && !taggedArg) {
      const tag = v.fn === 'Ref' ? '!Ref' : `!${v.fn.slice(4)}`;
      if (v.fn === 'Fn::GetAtt' && Array.isArray(v.arg) && v.arg.every((x) => typeof x === 'string')) return `${tag} ${(v.arg as string[]).join('.')}`;
      return `${tag} ${yamlInline(v.arg, style)}`;
    }
    return `{ ${yamlKey(v.fn, style)}: ${yamlInline(v.arg, style)} }`;
  }
  if (v instanceof Multiline) return quoteYaml(v.flat, style.quote === "'" || !v.flat.includes("'") ? "'" : '"');
  if (Array.isArray(v)) return `[${v.map((x) => yamlInline(x, style)).join(', ')}]`;
  if (isObject(v)) {
    const entries = Object.entries(v);
    return entries.length ? `{ ${entries.map(([k, x]) => `${yamlKey(k, style)}: ${yamlInline(x, style)}`).join(', ')} }` : '{}';
  }
  return yamlScalar(v, style);
}

const pad = (n: number, style: Style) => style.unit.repeat(Math.max(0, n));

/** What follows `key:` in a block map whose key is at column `col`: ` value`, or a nested block. */
export function yamlAfterKey(v: Value, col: number, style: Style): string {
  const eol = style.eol;
  if (v instanceof Multiline) {
    const body = v.text.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => (l ? pad(col + style.step, style) + l : ''));
    return ` |${v.text.endsWith('\n') ? '' : '-'}${eol}${body.join(eol)}`;
  }
  if (v instanceof Intrinsic && style.longForm) return `${eol}${yamlPairs({ [v.fn]: v.arg }, col + style.step, style)}`;
  if (isInline(v)) return ` ${yamlInline(v, style)}`;
  if (Array.isArray(v)) return `${eol}${yamlItems(v, col + (style.seqIndent ? style.step : 0), style)}`;
  return `${eol}${yamlPairs(v as { [key: string]: Value }, col + style.step, style)}`;
}

/** Block-map lines (no trailing line break) with keys at column `col`. */
export function yamlPairs(obj: { [key: string]: Value }, col: number, style: Style): string {
  return Object.entries(obj)
    .map(([k, v]) => `${pad(col, style)}${yamlKey(k, style)}:${yamlAfterKey(v, col, style)}`)
    .join(style.eol);
}

/** Block-sequence lines (no trailing line break) with dashes at column `col`. */
export function yamlItems(items: Value[], col: number, style: Style): string {
  return items.map((item) => `${pad(col, style)}-${yamlItemBody(item, col, style)}`).join(style.eol);
}

function yamlItemBody(item: Value, col: number, style: Style): string {
  if (isObject(item) && Object.keys(item).length) return ' ' + yamlPairs(item, col + 2, style).slice(col + 2);
  if (Array.isArray(item) && !isInline(item)) return ' ' + yamlItems(item, col + 2, style).slice(col + 2);
  if (item instanceof Multiline) return yamlAfterKey(item, col, style);
  return ' ' + yamlInline(item, style);
}

/** The value as JSON; objects and lists of objects span lines (indented from `col`) unless compact. */
export function jsonValue(v: Value, col: number, style: Style): string {
  if (v instanceof Intrinsic) return jsonInline({ [v.fn]: v.arg });
  if (v instanceof Multiline) return JSON.stringify(v.flat);
  if (style.compact || isInline(v) || (!Array.isArray(v) && !isObject(v))) return jsonInline(v);
  const inner = pad(col + style.step, style);
  if (Array.isArray(v)) return `[${style.eol}${v.map((x) => inner + jsonValue(x, col + style.step, style)).join(',' + style.eol)}${style.eol}${pad(col, style)}]`;
  const entries = Object.entries(v as { [key: string]: Value });
  return `{${style.eol}${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${jsonValue(x, col + style.step, style)}`).join(',' + style.eol)}${style.eol}${pad(col, style)}}`;
}

export function jsonInline(v: Value): string {
  if (v instanceof Intrinsic) return jsonInline({ [v.fn]: v.arg });
  if (v instanceof Multiline) return JSON.stringify(v.flat);
  if (Array.isArray(v)) return `[${v.map(jsonInline).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${jsonInline(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

// ---- editing ----------------------------------------------------------------------------------

/** Edits to one file, in the file's style. */
export class Editor {
  readonly style: Style;

  constructor(readonly file: ParsedFile, style?: Style) {
    this.style = style ?? detectStyle(file);
  }

  col(offset: number): number {
    return this.file.lines.position(offset).character;
  }

  line(offset: number): number {
    return this.file.lines.position(offset).line;
  }

  /** Leading whitespace of the line an offset is on. */
  indentOf(offset: number): string {
    const ls = this.file.lines.lineStart(this.line(offset));
    return /^[ \t]*/.exec(this.file.text.slice(ls, ls + 200))![0];
  }

  /** True for a JSON object or a YAML flow map `{ ... }`. */
  isFlow(node: MapNode | SeqNode): boolean {
    const c = this.file.text[node.start];
    return this.file.format === 'json' || c === '{' || c === '[';
  }

  /** The offset just past the `:` after a key. */
  private colonEnd(p: Pair): number {
    const t = this.file.text;
    let i = p.key.end;
    while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
    return t[i] === ':' ? i + 1 : p.key.end;
  }

  private pairEnd(p: Pair): number {
    return Math.max(p.key.end, p.value.end);
  }

  /** Start of the line after the one `offset` is on, or the end of the text (then `eolFirst`). */
  private nextLineStart(offset: number): { at: number; eolFirst: boolean } {
    const { lines, text } = this.file;
    const l = this.line(offset);
    if (l + 1 < lines.lineCount) return { at: lines.lineStart(l + 1), eolFirst: false };
    return { at: text.length, eolFirst: true };
  }

  /** Inserts pairs after `after` (default: the last pair) of a map. */
  insertPairs(map: MapNode, entries: Array<[string, Value]>, after?: Pair, options: { blankLineBefore?: boolean } = {}): TextEdit {
    const s = this.style;
    const anchor = after ?? map.pairs[map.pairs.length - 1];
    if (this.file.format === 'yaml' && !this.isFlow(map)) {
      const col = this.col(map.pairs[0].key.start);
      const body = entries.map(([k, v]) => `${pad(col, s)}${yamlKey(k, s)}:${yamlAfterKey(v, col, s)}`).join(s.eol);
      const { at, eolFirst } = this.nextLineStart(this.pairEnd(anchor));
      const blank = options.blankLineBefore ? s.eol : '';
      return eolFirst ? { start: at, end: at, newText: s.eol + blank + body } : { start: at, end: at, newText: blank + body + s.eol };
    }
    if (this.file.format === 'yaml') {
      const text = entries.map(([k, v]) => `${yamlKey(k, s)}: ${yamlInline(v, s)}`).join(', ');
      if (!anchor) return { start: map.start, end: map.end, newText: `{ ${text} }` };
      return { start: this.pairEnd(anchor), end: this.pairEnd(anchor), newText: `, ${text}` };
    }
    // JSON
    if (!anchor) {
      const indent = this.col(map.start) === 0 ? 0 : this.indentOf(map.start).length;
      if (s.compact) return { start: map.start, end: map.end, newText: `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonInline(v)}`).join(', ')}}` };
      const inner = indent + s.step;
      return { start: map.start, end: map.end, newText: `{${s.eol}${entries.map(([k, v]) => `${pad(inner, s)}${JSON.stringify(k)}: ${jsonValue(v, inner, s)}`).join(',' + s.eol)}${s.eol}${pad(indent, s)}}` };
    }
    const multiline = !s.compact && this.line(anchor.key.start) !== this.line(map.start);
    if (!multiline) {
      return { start: this.pairEnd(anchor), end: this.pairEnd(anchor), newText: entries.map(([k, v]) => `, ${JSON.stringify(k)}: ${jsonInline(v)}`).join('') };
    }
    const col = this.col(anchor.key.start);
    const blank = options.blankLineBefore ? s.eol : '';
    return { start: this.pairEnd(anchor), end: this.pairEnd(anchor), newText: entries.map(([k, v]) => `,${s.eol}${blank}${pad(col, s)}${JSON.stringify(k)}: ${jsonValue(v, col, s)}`).join('') };
  }

  /** Replaces a pair's value; a scalar replaced by a scalar keeps its quoting. */
  replaceValue(map: MapNode, p: Pair, v: Value): TextEdit {
    const s = this.style;
    const old = p.value;
    const hasOld = old.end > old.start && old.start >= this.colonEnd(p);
    if (hasOld && old.kind === 'scalar' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return this.replaceScalar(old, v);
    const from = this.colonEnd(p);
    const to = hasOld ? old.end : from;
    if (this.file.format === 'json') return { start: from, end: to, newText: ' ' + jsonValue(v, this.indentOf(p.key.start).length, s) };
    if (this.isFlow(map)) return { start: from, end: to, newText: ' ' + yamlInline(v, s) };
    return { start: from, end: to, newText: yamlAfterKey(v, this.col(p.key.start), s) };
  }

  /** Replaces a scalar, keeping its quote style (plain stays plain when the new text allows it). */
  replaceScalar(node: ScalarNode, v: string | number | boolean): TextEdit {
    const t = this.file.text;
    const q = t[node.start];
    let newText: string;
    // A number written plain stays plain when the new value is a number too.
    const numeric = typeof node.value === 'number' && /^-?\d+(\.\d+)?$/.test(String(v));
    if (this.file.format === 'json') newText = q !== '"' && (numeric || typeof v !== 'string') ? String(v) : JSON.stringify(String(v));
    else if (q === '"' || q === "'") newText = quoteYaml(String(v), q);
    else newText = typeof v === 'string' && !numeric ? yamlString(v, this.style) : String(v);
    return { start: node.start, end: node.end, newText };
  }

  /**
   * Sets `entries` in the map found by following `path` from `map`, creating the maps that are missing.
   * Returns undefined when a step of the path is something else (an alias, a list, an intrinsic).
   */
  setIn(map: MapNode, path: string[], entries: Array<[string, Value]>): TextEdit[] | undefined {
    let m = map;
    for (let i = 0; i < path.length; i++) {
      const p = m.pairs.find((x) => x.key.value === path[i]);
      const child = p ? asMap(p.value) : undefined;
      if (p && child && !child.shortTag && !intrinsic(child) && p.value.kind === 'map') {
        m = child;
        continue;
      }
      if (p && p.value.kind !== 'scalar') return undefined;
      if (p && p.value.kind === 'scalar' && p.value.value !== null) return undefined;
      let nested: Value = Object.fromEntries(entries);
      for (let j = path.length - 1; j > i; j--) nested = { [path[j]]: nested };
      return [p ? this.replaceValue(m, p, nested) : this.insertPairs(m, [[path[i], nested]])];
    }
    const edits: TextEdit[] = [];
    const missing: Array<[string, Value]> = [];
    for (const [k, v] of entries) {
      const p = m.pairs.find((x) => x.key.value === k);
      if (p) edits.push(this.replaceValue(m, p, v));
      else missing.push([k, v]);
    }
    if (missing.length) {
      if (!m.pairs.length && this.file.format === 'yaml' && !this.isFlow(m)) return undefined;
      edits.push(this.insertPairs(m, missing));
    }
    return edits;
  }

  /**
   * Removes a pair from a map: its whole lines in a block map (undefined when another pair shares its first
   * line), or the pair and one comma beside it in a flow map or JSON.
   */
  removePair(map: MapNode, p: Pair): TextEdit | undefined {
    const i = map.pairs.indexOf(p);
    if (i === -1) return undefined;
    if (this.file.format === 'yaml' && !this.isFlow(map)) {
      const ls = this.file.lines.lineStart(this.line(p.key.start));
      const before = this.file.text.slice(ls, p.key.start);
      if (!/^[ \t]*$/.test(before)) return undefined;
      const next = map.pairs[i + 1];
      if (next && this.line(next.key.start) === this.line(this.pairEnd(p))) return undefined;
      return { start: ls, end: this.nextLineStart(this.pairEnd(p)).at, newText: '' };
    }
    const prev = map.pairs[i - 1];
    const next = map.pairs[i + 1];
    if (prev) return { start: this.pairEnd(prev), end: this.pairEnd(p), newText: '' };
    if (next) return { start: p.key.start, end: next.key.start, newText: '' };
    return { start: p.key.start, end: this.pairEnd(p), newText: '' };
  }

  /** Appends an item to a sequence. */
  appendItem(seq: SeqNode, v: Value): TextEdit {
    const s = this.style;
    const last = seq.items[seq.items.length - 1];
    if (this.file.format === 'yaml' && !this.isFlow(seq)) {
      const col = this.col(seq.start);
      const body = yamlItems([v], col, s);
      const { at, eolFirst } = this.nextLineStart(last.end);
      return eolFirst ? { start: at, end: at, newText: s.eol + body } : { start: at, end: at, newText: body + s.eol };
    }
    if (this.file.format === 'yaml') {
      if (!last) return { start: seq.start, end: seq.end, newText: `[${yamlInline(v, s)}]` };
      return { start: last.end, end: last.end, newText: `, ${yamlInline(v, s)}` };
    }
    if (!last) {
      const indent = this.indentOf(seq.start).length;
      if (s.compact || isInline(v)) return { start: seq.start, end: seq.end, newText: `[${jsonInline(v)}]` };
      return { start: seq.start, end: seq.end, newText: `[${s.eol}${pad(indent + s.step, s)}${jsonValue(v, indent + s.step, s)}${s.eol}${pad(indent, s)}]` };
    }
    if (s.compact || this.line(last.start) === this.line(seq.start)) return { start: last.end, end: last.end, newText: `, ${jsonInline(v)}` };
    const col = this.col(last.start);
    return { start: last.end, end: last.end, newText: `,${s.eol}${pad(col, s)}${jsonValue(v, col, s)}` };
  }

  /** Inserts a whole line before the line `offset` is on, indented like that line. */
  lineBefore(offset: number, content: string): TextEdit {
    const ls = this.file.lines.lineStart(this.line(offset));
    return { start: ls, end: ls, newText: this.indentOf(offset) + content + this.style.eol };
  }
}
