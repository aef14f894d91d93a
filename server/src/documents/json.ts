// JSON -> node tree: a small recursive-descent parser that keeps offsets, tolerates comments and
// trailing commas (reporting them), recovers after errors, and bounds nesting depth.
import type { MapNode, Node, Pair, Scalar, ScalarNode, SeqNode } from './nodes';
import type { SyntaxError } from './yaml';
import { KeyStrings } from './scalars';

class JsonParser {
  pos = 0;
  errors: SyntaxError[] = [];
  private depth = 0;
  /** Set once reading stops at an error: the enclosing brackets then need no error of their own. */
  private stopped = false;

  constructor(private readonly text: string, private readonly maxDepth: number) {}

  error(start: number, end: number, message: string): void {
    if (!this.stopped && this.errors.length < 20) this.errors.push({ start, end: Math.max(end, start + 1), message });
  }

  /** Skips whitespace and comments (comments are not JSON, so each one is reported). */
  ws(): void {
    const t = this.text;
    for (;;) {
      let p = this.pos;
      let c = t.charCodeAt(p);
      while (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) c = t.charCodeAt(++p);
      this.pos = p;
      if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
        this.error(this.pos, this.pos + 2, 'Comments are not allowed in JSON.');
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl === -1 ? t.length : nl;
      } else if (c === 47 && t.charCodeAt(this.pos + 1) === 42) {
        this.error(this.pos, this.pos + 2, 'Comments are not allowed in JSON.');
        const close = t.indexOf('*/', this.pos + 2);
        this.pos = close === -1 ? t.length : close + 2;
      } else return;
    }
  }

  value(): Node | undefined {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.string();
    if (c === 123 || c === 91) {
      if (this.depth >= this.maxDepth) {
        this.error(this.pos, this.pos + 1, `Nesting deeper than ${this.maxDepth} levels is not read.`);
        this.pos = this.text.length;
        return undefined;
      }
      this.depth++;
      const node = c === 123 ? this.object() : this.array();
      this.depth--;
      return node;
    }
    return this.literal();
  }

  // Entries are gathered on shared stacks and copied out at the end of each collection: an array grown
  // by push keeps room for 17 entries, which doubles the memory of a tree of small maps.
  private readonly pairStack: Pair[] = [];
  private readonly itemStack: Node[] = [];

  private object(): MapNode {
    const start = this.pos++;
    const mark = this.pairStack.length;
    const end = this.objectEntries(mark);
    const pairs = this.pairStack.slice(mark);
    this.pairStack.length = mark;
    return { kind: 'map', pairs, start, end };
  }

  /** Reads an object's entries onto the pair stack; returns the object's end. */
  private objectEntries(mark: number): number {
    const stack = this.pairStack;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) return ++this.pos;
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) {
        if (this.text.charCodeAt(this.pos) === 125 && stack.length > mark) {
          this.error(this.pos - 1, this.pos, 'Trailing comma in object.');
          return ++this.pos;
        }
        this.error(this.pos, this.pos + 1, 'Expected a property name in double quotes.');
        return this.recover();
      }
      const key = this.string(true);
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) {
        this.error(this.pos, this.pos + 1, "Expected ':' after a property name.");
        stack.push({ key, value: { kind: 'scalar', value: null, start: key.end, end: key.end } });
        return this.recover();
      }
      this.pos++;
      const value = this.value() ?? { kind: 'scalar', value: null, start: this.pos, end: this.pos };
      stack.push({ key, value });
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) this.pos++;
      else if (c === 125) return ++this.pos;
      else {
        this.error(this.pos, this.pos + 1, this.pos >= this.text.length ? 'Unexpected end of file: missing }.' : "Expected ',' or '}'.");
        return this.recover();
      }
    }
  }

  private array(): SeqNode {
    const start = this.pos++;
    const mark = this.itemStack.length;
    const end = this.arrayItems(mark);
    const items = this.itemStack.slice(mark);
    this.itemStack.length = mark;
    return { kind: 'seq', items, start, end };
  }

  /** Reads an array's items onto the item stack; returns the array's end. */
  private arrayItems(mark: number): number {
    const stack = this.itemStack;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) return ++this.pos;
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) === 93 && stack.length > mark) {
        this.error(this.pos - 1, this.pos, 'Trailing comma in array.');
        return ++this.pos;
      }
      const v = this.value();
      if (!v) return this.recover();
      stack.push(v);
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) this.pos++;
      else if (c === 93) return ++this.pos;
      else {
        this.error(this.pos, this.pos + 1, this.pos >= this.text.length ? 'Unexpected end of file: missing ].' : "Expected ',' or ']'.");
        return this.recover();
      }
    }
  }

  /** After an error, stop reading this file: everything parsed so far is kept. */
  private recover(): number {
    this.stopped = true;
    this.pos = this.text.length;
    return this.pos;
  }

  // Next backslash / line feed at or after a position, cached: scans move forward, so each is found once.
  private bsFrom = -1;
  private bsAt = -1;
  private nlFrom = -1;
  private nlAt = -1;

  private readonly keys = new KeyStrings();

  string(isKey = false): ScalarNode {
    const t = this.text;
    const start = this.pos;
    // Fast path: no escape and no line break before the closing quote.
    const close = t.indexOf('"', start + 1);
    if (close !== -1) {
      if (start < this.bsFrom || start > this.bsAt) {
        this.bsFrom = start;
        const b = t.indexOf('\\', start);
        this.bsAt = b === -1 ? t.length : b;
      }
      if (start < this.nlFrom || start > this.nlAt) {
        this.nlFrom = start;
        const n = t.indexOf('\n', start);
        this.nlAt = n === -1 ? t.length : n;
      }
      if (close < this.bsAt && close < this.nlAt) {
        this.pos = close + 1;
        return { kind: 'scalar', value: isKey ? this.keys.get(t, start + 1, close) : t.slice(start + 1, close), quoted: true, start, end: this.pos };
      }
    }
    let i = start + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (i >= t.length || c === 10) {
        this.error(start, i, 'Unterminated string.');
        this.pos = i;
        return { kind: 'scalar', value: out + t.slice(chunk, i), quoted: true, start, end: i };
      }
      if (c === 92) {
        out += t.slice(chunk, i);
        const e = t[i + 1];
        if (e === 'u') {
          const hex = t.slice(i + 2, i + 6);
          const code = /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : NaN;
          if (Number.isNaN(code)) this.error(i, i + 2, 'Invalid \\u escape.');
          else out += String.fromCharCode(code);
          i += Number.isNaN(code) ? 2 : 6;
        } else {
          const mapped = ESCAPES[e];
          if (mapped === undefined) this.error(i, i + 2, `Invalid escape \\${e ?? ''}.`);
          out += mapped ?? e ?? '';
          i += 2;
        }
        chunk = i;
        continue;
      }
      i++;
    }
    out += t.slice(chunk, i);
    this.pos = i + 1;
    return { kind: 'scalar', value: out, quoted: true, start, end: this.pos };
  }

  private literal(): ScalarNode | undefined {
    const t = this.text;
    const start = this.pos;
    const c = t.charCodeAt(start);
    let value: Scalar | undefined;
    let end = start;
    if (c === 116 && t.startsWith('true', start)) (value = true), (end = start + 4);
    else if (c === 102 && t.startsWith('false', start)) (value = false), (end = start + 5);
    else if (c === 110 && t.startsWith('null', start)) (value = null), (end = start + 4);
    else if (c === 45 || (c >= 48 && c <= 57)) {
      end = numberEnd(t, start);
      if (end > start) value = Number(t.slice(start, end));
    }
    if (end === start) {
      this.error(start, start + 1, start >= t.length ? 'Unexpected end of file.' : `Unexpected character '${String.fromCodePoint(t.codePointAt(start)!)}'.`);
      return undefined;
    }
    this.pos = end;
    return { kind: 'scalar', value: value!, start, end };
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/** The end of a JSON number at `i` (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?`), or `i` when there is none. */
function numberEnd(t: string, i: number): number {
  const start = i;
  if (t.charCodeAt(i) === 45) i++;
  const d = t.charCodeAt(i);
  if (d === 48) i++;
  else if (d >= 49 && d <= 57) while (isDigit(t.charCodeAt(i))) i++;
  else return start;
  if (t.charCodeAt(i) === 46 && isDigit(t.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(t.charCodeAt(i))) i++;
  }
  const e = t.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = t.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(t.charCodeAt(j))) {
      while (isDigit(t.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function parseJson(text: string, maxDepth = 500): { root: Node | undefined; errors: SyntaxError[] } {
  const p = new JsonParser(text, maxDepth);
  const root = p.value();
  p.ws();
  if (root && p.pos < text.length) p.error(p.pos, p.pos + 1, 'Unexpected content after the end of the JSON value.');
  return { root, errors: p.errors };
}
