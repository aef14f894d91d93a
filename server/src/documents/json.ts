// JSON -> node tree: a small recursive-descent parser that keeps offsets, tolerates comments and
// trailing commas (reporting them), recovers after errors, and bounds nesting depth.
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from './nodes';
import type { SyntaxError } from './yaml';

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
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) this.pos++;
      else if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
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
    if (c === 123) return this.nested(() => this.object());
    if (c === 91) return this.nested(() => this.array());
    if (c === 34) return this.string();
    return this.literal();
  }

  private nested(parse: () => Node): Node | undefined {
    if (this.depth >= this.maxDepth) {
      this.error(this.pos, this.pos + 1, `Nesting deeper than ${this.maxDepth} levels is not read.`);
      this.pos = this.text.length;
      return undefined;
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private object(): MapNode {
    const start = this.pos++;
    const pairs: Pair[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) return { kind: 'map', pairs, start, end: ++this.pos };
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) {
        if (this.text.charCodeAt(this.pos) === 125 && pairs.length) {
          this.error(this.pos - 1, this.pos, 'Trailing comma in object.');
          return { kind: 'map', pairs, start, end: ++this.pos };
        }
        this.error(this.pos, this.pos + 1, 'Expected a property name in double quotes.');
        return { kind: 'map', pairs, start, end: this.recover() };
      }
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) {
        this.error(this.pos, this.pos + 1, "Expected ':' after a property name.");
        pairs.push({ key, value: { kind: 'scalar', value: null, start: key.end, end: key.end } });
        return { kind: 'map', pairs, start, end: this.recover() };
      }
      this.pos++;
      const value = this.value() ?? { kind: 'scalar', value: null, start: this.pos, end: this.pos };
      pairs.push({ key, value });
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) this.pos++;
      else if (c === 125) return { kind: 'map', pairs, start, end: ++this.pos };
      else {
        this.error(this.pos, this.pos + 1, this.pos >= this.text.length ? 'Unexpected end of file: missing }.' : "Expected ',' or '}'.");
        return { kind: 'map', pairs, start, end: this.recover() };
      }
    }
  }

  private array(): SeqNode {
    const start = this.pos++;
    const items: Node[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) return { kind: 'seq', items, start, end: ++this.pos };
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) === 93 && items.length) {
        this.error(this.pos - 1, this.pos, 'Trailing comma in array.');
        return { kind: 'seq', items, start, end: ++this.pos };
      }
      const v = this.value();
      if (!v) return { kind: 'seq', items, start, end: this.recover() };
      items.push(v);
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) this.pos++;
      else if (c === 93) return { kind: 'seq', items, start, end: ++this.pos };
      else {
        this.error(this.pos, this.pos + 1, this.pos >= this.text.length ? 'Unexpected end of file: missing ].' : "Expected ',' or ']'.");
        return { kind: 'seq', items, start, end: this.recover() };
      }
    }
  }

  /** After an error, stop reading this file: everything parsed so far is kept. */
  private recover(): number {
    this.stopped = true;
    this.pos = this.text.length;
    return this.pos;
  }

  string(): ScalarNode {
    const t = this.text;
    const start = this.pos;
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
          const code = parseInt(t.slice(i + 2, i + 6), 16);
          if (Number.isNaN(code)) this.error(i, i + 2, 'Invalid \\u escape.');
          else out += String.fromCharCode(code);
          i += 6;
        } else {
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          if (map[e] === undefined) this.error(i, i + 2, `Invalid escape \\${e}.`);
          out += map[e] ?? e;
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
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/.exec(t.slice(start, start + 64));
    if (!m) {
      this.error(start, start + 1, start >= t.length ? 'Unexpected end of file.' : `Unexpected character '${t[start]}'.`);
      return undefined;
    }
    this.pos += m[0].length;
    const s = m[0];
    const value = s === 'true' ? true : s === 'false' ? false : s === 'null' ? null : Number(s);
    return { kind: 'scalar', value, start, end: this.pos };
  }
}

export function parseJson(text: string, maxDepth = 500): { root: Node | undefined; errors: SyntaxError[] } {
  const p = new JsonParser(text, maxDepth);
  const root = p.value();
  p.ws();
  if (root && p.pos < text.length) p.error(p.pos, p.pos + 1, 'Unexpected content after the end of the JSON value.');
  return { root, errors: p.errors };
}
