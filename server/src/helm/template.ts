// A Go text/template parser, for the subset Helm charts use: text and actions with their source offsets,
// `{{-`/`-}}` trimming, comments, pipelines, variables, `if`/`else if`/`else`, `with`, `range`, `define`,
// `template`, `block`, `break`/`continue`. Functions are resolved when the template runs (an unknown one is
// an unknown value there, never a parse error).

export interface TemplateError {
  start: number;
  end: number;
  message: string;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

/** An argument of a command. */
export type Arg =
  | { t: 'field'; chain: string[]; start: number } // .a.b (chain [] is the dot itself)
  | { t: 'var'; name: string; chain: string[]; start: number } // $x.a.b ($ is the root)
  | { t: 'ident'; name: string; start: number } // a function name
  | { t: 'string'; value: string; start: number }
  | { t: 'number'; value: number; start: number }
  | { t: 'bool'; value: boolean; start: number }
  | { t: 'nil'; start: number }
  | { t: 'pipe'; pipe: Pipe; chain: string[]; start: number }; // (pipeline).a.b

export interface Command {
  args: Arg[];
}

export interface Pipe {
  /** Variables declared (`$x :=`) or assigned (`$x =`). */
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

interface Span {
  /** Source offsets of the whole action (`{{` to `}}`), or of the text. */
  start: number;
  end: number;
}

export type TNode =
  | ({ t: 'text'; text: string } & Span)
  | ({ t: 'action'; pipe: Pipe; ownLine?: true } & Span)
  | ({ t: 'if' | 'with'; branches: Array<{ pipe: Pipe; body: TNode[] } & Span>; otherwise?: TNode[] } & Span)
  | ({ t: 'range'; pipe: Pipe; body: TNode[]; otherwise?: TNode[] } & Span)
  | ({ t: 'template'; name: string; pipe?: Pipe } & Span)
  | ({ t: 'break' | 'continue' } & Span);

export interface ParsedTemplate {
  root: TNode[];
  /** Templates defined (`define`, `block`) in this text, by name. */
  defines: Map<string, TNode[]>;
}

// ---- lexing -----------------------------------------------------------------------------------------

type Tok =
  | { k: 'field'; v: string; s: number }
  | { k: 'var'; v: string; s: number }
  | { k: 'ident'; v: string; s: number }
  | { k: 'string'; v: string; s: number }
  | { k: 'number'; v: number; s: number }
  | { k: 'punct'; v: '(' | ')' | '|' | ',' | ':=' | '=' | '.'; s: number }
  | { k: 'end'; s: number };

interface RawAction {
  start: number;
  end: number;
  toks: Tok[];
}

type Piece = { t: 'text'; start: number; end: number } | ({ t: 'act' } & RawAction);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Splits a template into text and actions (each action tokenized), applying trim markers. */
function split(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= src.length) {
    const open = src.indexOf('{{', pos);
    let textEnd = open < 0 ? src.length : open;
    let textStart = pos;
    const trimLeft = open >= 0 && src[open + 2] === '-' && isSpace(src[open + 3] ?? '');
    if (trimNext) while (textStart < textEnd && isSpace(src[textStart])) textStart++;
    if (trimLeft) while (textEnd > textStart && isSpace(src[textEnd - 1])) textEnd--;
    if (textEnd > textStart) pieces.push({ t: 'text', start: textStart, end: textEnd });
    if (open < 0) break;
    let p = open + (trimLeft ? 3 : 2);
    // A comment: {{/* ... */}}, possibly with trim markers.
    let q = p;
    while (q < src.length && isSpace(src[q])) q++;
    if (src.startsWith('/*', q)) {
      const close = src.indexOf('*/', q + 2);
      if (close < 0) throw new TemplateSyntaxError('unclosed comment', open, src.length);
      let r = close + 2;
      while (r < src.length && isSpace(src[r])) r++;
      let right = false;
      if (src[r] === '-' && src.startsWith('}}', r + 1)) {
        right = true;
        r++;
      }
      if (!src.startsWith('}}', r)) throw new TemplateSyntaxError('comment ends without }}', open, r);
      pos = r + 2;
      trimNext = right;
      continue;
    }
    const { toks, end, trimRight } = lexAction(src, p, open);
    pieces.push({ t: 'act', start: open, end, toks });
    pos = end;
    trimNext = trimRight;
  }
  return pieces;
}

function lexAction(src: string, p: number, open: number): { toks: Tok[]; end: number; trimRight: boolean } {
  const toks: Tok[] = [];
  let parens = 0;
  for (;;) {
    while (p < src.length && isSpace(src[p])) p++;
    if (p >= src.length) throw new TemplateSyntaxError('unclosed action: `{{` without `}}`', open, Math.min(src.length, open + 2));
    const c = src[p];
    if (src.startsWith('}}', p) && parens === 0) return { toks, end: p + 2, trimRight: false };
    if (c === '-' && src.startsWith('}}', p + 1) && isSpace(src[p - 1] ?? ' ')) return { toks, end: p + 3, trimRight: true };
    if (src.startsWith('{{', p) || (c === '}' && src[p + 1] !== '}')) throw new TemplateSyntaxError('unclosed action: `{{` without `}}`', open, open + 2);
    if (c === '"') {
      let q = p + 1;
      let v = '';
      while (q < src.length && src[q] !== '"') {
        if (src[q] === '\n') throw new TemplateSyntaxError('unterminated quoted string', p, q);
        if (src[q] === '\\') {
          const e = src[q + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0' };
          if (e === 'u' || e === 'x') {
            const len = e === 'u' ? 4 : 2;
            v += String.fromCharCode(parseInt(src.slice(q + 2, q + 2 + len), 16));
            q += 2 + len;
            continue;
          }
          v += map[e] ?? e;
          q += 2;
          continue;
        }
        v += src[q++];
      }
      if (q >= src.length) throw new TemplateSyntaxError('unterminated quoted string', p, q);
      toks.push({ k: 'string', v, s: p });
      p = q + 1;
      continue;
    }
    if (c === '`') {
      const q = src.indexOf('`', p + 1);
      if (q < 0) throw new TemplateSyntaxError('unterminated raw string', p, src.length);
      toks.push({ k: 'string', v: src.slice(p + 1, q), s: p });
      p = q + 1;
      continue;
    }
    if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(src.slice(p, p + 8));
      if (!m) throw new TemplateSyntaxError('bad character constant', p, p + 1);
      toks.push({ k: 'number', v: m[1].length === 1 ? m[1].charCodeAt(0) : m[1].charCodeAt(1), s: p });
      p += m[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      if (c === '(') parens++;
      if (c === ')') parens--;
      toks.push({ k: 'punct', v: c, s: p });
      p++;
      continue;
    }
    if (src.startsWith(':=', p)) {
      toks.push({ k: 'punct', v: ':=', s: p });
      p += 2;
      continue;
    }
    if (c === '=') {
      toks.push({ k: 'punct', v: '=', s: p });
      p++;
      continue;
    }
    const word = /^(?:\$[A-Za-z0-9_]*|\.?[A-Za-z_][A-Za-z0-9_]*|[-+]?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+)|\.)/.exec(src.slice(p, p + 256));
    if (!word) throw new TemplateSyntaxError(`unexpected \`${c}\` in action`, p, p + 1);
    const w = word[0];
    if (w[0] === '$') toks.push({ k: 'var', v: w, s: p });
    else if (w === '.') toks.push({ k: 'punct', v: '.', s: p });
    else if (w[0] === '.' && /[A-Za-z_]/.test(w[1])) toks.push({ k: 'field', v: w.slice(1), s: p });
    else if (/^[-+.0-9]/.test(w)) toks.push({ k: 'number', v: Number(w.replace(/_/g, '')), s: p });
    else toks.push({ k: 'ident', v: w, s: p });
    p += w.length;
  }
}

// ---- parsing ----------------------------------------------------------------------------------------

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

class Parser {
  private i = 0;
  readonly defines = new Map<string, TNode[]>();
  constructor(private readonly src: string, private readonly pieces: Piece[]) {}

  /** Whether nothing but blanks shares the action's source line (what it writes are lines of their own). */
  private ownLine(p: Span): boolean {
    const before = this.src.lastIndexOf('\n', p.start - 1) + 1;
    const after = this.src.indexOf('\n', p.end);
    return /^[ \t]*$/.test(this.src.slice(before, p.start)) && /^[ \t\r]*$/.test(this.src.slice(p.end, after < 0 ? undefined : after));
  }

  /** Parses nodes until one of the `stop` keywords (returned with its action) or the end. */
  list(stop: string[]): { nodes: TNode[]; stopper?: RawAction & { word: string } } {
    const nodes: TNode[] = [];
    while (this.i < this.pieces.length) {
      const p = this.pieces[this.i++];
      if (p.t === 'text') {
        nodes.push({ t: 'text', text: this.src.slice(p.start, p.end), start: p.start, end: p.end });
        continue;
      }
      const first = p.toks[0];
      const word = first?.k === 'ident' && KEYWORDS.has(first.v) ? first.v : undefined;
      if (!first) throw new TemplateSyntaxError('missing value for command', p.start, p.end);
      if (word && ['else', 'end'].includes(word)) {
        if (stop.includes(word)) return { nodes, stopper: { ...p, word } };
        throw new TemplateSyntaxError(`unexpected {{${word}}}`, p.start, p.end);
      }
      if (word === 'if' || word === 'with') nodes.push(this.conditional(word, p));
      else if (word === 'range') {
        const pipe = this.pipe(p.toks, 1, p, true);
        const body = this.list(['else', 'end']);
        let otherwise: TNode[] | undefined;
        if (body.stopper?.word === 'else') otherwise = this.expectEnd(this.list(['end']), p).nodes;
        else this.expectEnd(body, p);
        nodes.push({ t: 'range', pipe, body: body.nodes, otherwise, start: p.start, end: p.end });
      } else if (word === 'define' || word === 'block') {
        const name = p.toks[1];
        if (name?.k !== 'string') throw new TemplateSyntaxError(`${word} needs a quoted template name`, p.start, p.end);
        const body = this.expectEnd(this.list(['end']), p);
        this.defines.set(name.v, body.nodes);
        if (word === 'block') nodes.push({ t: 'template', name: name.v, pipe: p.toks.length > 2 ? this.pipe(p.toks, 2, p, false) : undefined, start: p.start, end: p.end });
      } else if (word === 'template') {
        const name = p.toks[1];
        if (name?.k !== 'string') throw new TemplateSyntaxError('template needs a quoted template name', p.start, p.end);
        nodes.push({ t: 'template', name: name.v, pipe: p.toks.length > 2 ? this.pipe(p.toks, 2, p, false) : undefined, start: p.start, end: p.end });
      } else if (word === 'break' || word === 'continue') nodes.push({ t: word, start: p.start, end: p.end });
      else nodes.push({ t: 'action', pipe: this.pipe(p.toks, 0, p, true), start: p.start, end: p.end, ...(this.ownLine(p) ? { ownLine: true } : {}) });
    }
    if (stop.length) return { nodes };
    return { nodes };
  }

  private expectEnd(r: { nodes: TNode[]; stopper?: RawAction & { word: string } }, opener: RawAction): { nodes: TNode[]; stopper?: RawAction & { word: string } } {
    if (!r.stopper) {
      const word = (opener.toks[0] as { v: string }).v;
      throw new TemplateSyntaxError(`{{${word}}} without a matching {{end}}`, opener.start, opener.end);
    }
    return r;
  }

  private conditional(word: 'if' | 'with', p: RawAction): TNode {
    const branches: Array<{ pipe: Pipe; body: TNode[]; start: number; end: number }> = [];
    let head: RawAction = p;
    let from = 1;
    for (;;) {
      const pipe = this.pipe(head.toks, from, head, true);
      const r = this.expectEnd(this.list(['else', 'end']), p);
      branches.push({ pipe, body: r.nodes, start: head.start, end: head.end });
      const s = r.stopper!;
      if (s.word === 'end') return { t: word, branches, start: p.start, end: p.end };
      // {{else}} or {{else if ...}} / {{else with ...}}
      if (s.toks.length > 1) {
        const next = s.toks[1];
        if (next.k !== 'ident' || next.v !== word) throw new TemplateSyntaxError(`{{else ${(next as { v?: unknown }).v ?? ''}}} inside {{${word}}}`, s.start, s.end);
        head = s;
        from = 2;
        continue;
      }
      const rest = this.expectEnd(this.list(['end']), p);
      return { t: word, branches, otherwise: rest.nodes, start: p.start, end: p.end };
    }
  }

  /** A pipeline from toks[from..]: optional declaration, then commands separated by `|`. */
  private pipe(toks: Tok[], from: number, at: RawAction, allowDecl: boolean): Pipe {
    const r = this.pipeAt(toks, from, at, allowDecl, false);
    if (r.next < toks.length) throw new TemplateSyntaxError(`unexpected ${describeTok(toks[r.next])} in action`, toks[r.next].s, at.end);
    return r.pipe;
  }

  private pipeAt(toks: Tok[], from: number, at: RawAction, allowDecl: boolean, inParens: boolean): { pipe: Pipe; next: number } {
    let i = from;
    const decl: string[] = [];
    let assign = false;
    if (allowDecl && toks[i]?.k === 'var') {
      // $x := / $x = / $i, $v :=
      let j = i;
      const names: string[] = [];
      while (toks[j]?.k === 'var') {
        names.push((toks[j] as { v: string }).v);
        if (toks[j + 1]?.k === 'punct' && (toks[j + 1] as { v: string }).v === ',') j += 2;
        else {
          j++;
          break;
        }
      }
      const op = toks[j];
      if (op?.k === 'punct' && (op.v === ':=' || op.v === '=')) {
        decl.push(...names);
        assign = op.v === '=';
        i = j + 1;
      }
    }
    const cmds: Command[] = [];
    let args: Arg[] = [];
    for (;;) {
      const t = toks[i];
      if (!t || (t.k === 'punct' && t.v === ')' && inParens)) break;
      if (t.k === 'punct' && t.v === '|') {
        if (!args.length) throw new TemplateSyntaxError('missing command before |', t.s, t.s + 1);
        cmds.push({ args });
        args = [];
        i++;
        continue;
      }
      const r = this.arg(toks, i, at);
      args.push(r.arg);
      i = r.next;
    }
    if (args.length) cmds.push({ args });
    if (!cmds.length) throw new TemplateSyntaxError('missing value for command', at.start, at.end);
    return { pipe: { decl, assign, cmds }, next: i };
  }

  private arg(toks: Tok[], i: number, at: RawAction): { arg: Arg; next: number } {
    const t = toks[i];
    const chainAfter = (j: number): { chain: string[]; next: number } => {
      const chain: string[] = [];
      while (toks[j]?.k === 'field' && toks[j].s === endOf(toks[j - 1], this.src)) chain.push((toks[j++] as { v: string }).v);
      return { chain, next: j };
    };
    switch (t.k) {
      case 'field': {
        const chain = [t.v];
        const c = chainAfter(i + 1);
        return { arg: { t: 'field', chain: [...chain, ...c.chain], start: t.s }, next: c.next };
      }
      case 'var': {
        const c = chainAfter(i + 1);
        return { arg: { t: 'var', name: t.v, chain: c.chain, start: t.s }, next: c.next };
      }
      case 'punct':
        if (t.v === '.') return { arg: { t: 'field', chain: [], start: t.s }, next: i + 1 };
        if (t.v === '(') {
          const r = this.pipeAt(toks, i + 1, at, true, true);
          const close = toks[r.next];
          if (close?.k !== 'punct' || close.v !== ')') throw new TemplateSyntaxError('unclosed left paren', t.s, at.end);
          const c = chainAfter(r.next + 1);
          return { arg: { t: 'pipe', pipe: r.pipe, chain: c.chain, start: t.s }, next: c.next };
        }
        throw new TemplateSyntaxError(`unexpected ${describeTok(t)} in action`, t.s, t.s + 1);
      case 'string':
        return { arg: { t: 'string', value: t.v, start: t.s }, next: i + 1 };
      case 'number':
        return { arg: { t: 'number', value: t.v, start: t.s }, next: i + 1 };
      case 'ident':
        if (t.v === 'true' || t.v === 'false') return { arg: { t: 'bool', value: t.v === 'true', start: t.s }, next: i + 1 };
        if (t.v === 'nil') return { arg: { t: 'nil', start: t.s }, next: i + 1 };
        if (KEYWORDS.has(t.v)) throw new TemplateSyntaxError(`unexpected keyword ${t.v} in action`, t.s, t.s + t.v.length);
        return { arg: { t: 'ident', name: t.v, start: t.s }, next: i + 1 };
      default:
        throw new TemplateSyntaxError('unexpected end of action', at.start, at.end);
    }
  }
}

/** Where a token ends in the source (to tell `$x.a` from `$x .a`). */
function endOf(t: Tok, src: string): number {
  if (t.k === 'field') return t.s + 1 + t.v.length;
  if (t.k === 'var' || t.k === 'ident') return t.s + t.v.length;
  if (t.k === 'punct') return t.s + t.v.length;
  if (t.k === 'string') {
    // find the closing quote
    const q = src[t.s];
    let j = t.s + 1;
    while (j < src.length && src[j] !== q) j += src[j] === '\\' && q === '"' ? 2 : 1;
    return j + 1;
  }
  return -1;
}

function describeTok(t: Tok): string {
  if (t.k === 'end') return 'end';
  return `\`${String((t as { v: unknown }).v)}\``;
}

/** Parses a template; throws TemplateSyntaxError with the source range of the problem. */
export function parseTemplate(src: string): ParsedTemplate {
  const parser = new Parser(src, split(src));
  const { nodes } = parser.list([]);
  return { root: nodes, defines: parser.defines };
}
