// TypeScript and JavaScript sources of a CDK app, read without the TypeScript compiler (3.5 MB): a
// tokenizer (comments, strings, nested template literals, regex literals, JSX) and a shallow reader of the
// few forms the matcher needs. It gives the facts the compiler's syntax tree would give (the oracle test,
// test/unit/tsscan.test.js, compares them): scopes (classes with their base and constructor parameters,
// named functions, top-level `const f = (...) =>`), construct sites (`new X(scope, id)`, `helper(scope,
// id)`, `recv.addX(id)`) with the id as written, and the variable they are assigned to. Where the reader is
// not sure of what the tree would say (an odd escape, an unusual receiver), it leaves the site out. Linear:
// brackets are matched once and every look-ahead is bounded; no recursion on the input's nesting.
import * as path from 'node:path';
import { idPatternOf, type Scope, type Site, type SourceFacts } from './sites';

const enum T {
  Id,
  Str,
  /** A template literal without substitutions. */
  Tpl,
  /** `` `a${ ``, `}b${`, `` }c` `` of a template with substitutions. */
  Head,
  Mid,
  Tail,
  Num,
  Re,
  Punct,
  /** JSX tags and text (opaque; its `{...}` expressions are tokens of their own). */
  Jsx,
}

interface Tok {
  t: T;
  s: number;
  e: number;
  /** The identifier or punctuator; a string's or template part's value. */
  v: string;
  /** A line break before it. */
  nl: boolean;
  /** It can end an expression (a `/` after it divides, a `<` compares). */
  end: boolean;
  /** A string whose value is not certain (a malformed escape, no closing quote). */
  bad?: boolean;
}

const PUNCT = ['>>>=', '...', '===', '!==', '**=', '<<=', '&&=', '||=', '??=', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<'];
// Words after which an expression starts (a `/` there begins a regex).
const OPERATOR_WORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends', 'as', 'satisfies', 'keyof']);
// Operators only after an expression; names elsewhere (`satisfies(v, r)`).
const CONTEXTUAL = new Set(['as', 'satisfies', 'of']);
// Words that are never an Identifier node in an expression.
const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with']);
// Words before `(` that do not call (`await (x)`, `x as (T)`): operators, the last three only after an expression.
const NOT_CALLEE = new Set(['await', 'yield', 'keyof', ...CONTEXTUAL]);
const ALWAYS_OPERATORS = new Set(['await', 'yield', 'keyof']);
const MEMBER_MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'readonly', 'abstract', 'override', 'declare', 'async', 'get', 'set', 'accessor']);
const PARAM_MODIFIERS = new Set(['public', 'private', 'protected', 'readonly', 'override']);
/** Before a method's name (`{ foo(a): T {`, `; foo(a): T`): a declaration, not a call. */
const MEMBER_START = new Set(['{', ',', ';', '}', '*']);
const LOOKAHEAD = 512;

const isIdStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || (c >= 0x80 && !isSpace(c) && !isLineBreak(c));
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const isSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;

/** The escape at `text[i] === '\\'`: its value (undefined when not a plain one) and where it ends. */
function escapeAt(text: string, i: number): { v: string | undefined; next: number } {
  const c = text.charCodeAt(i + 1);
  const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };
  const ch = text[i + 1];
  if (ch === undefined) return { v: undefined, next: i + 1 };
  if (ch in simple) return { v: simple[ch], next: i + 2 };
  if (ch === '0' && !isDigit(text.charCodeAt(i + 2))) return { v: '\0', next: i + 2 };
  // Legacy octal (`\101`: up to three digits from 0-3, two from 4-7), `\8` and `\9`: as the compiler reads them.
  if (c >= 48 && c <= 55) {
    let e = i + 2;
    const isOctal = (k: number) => text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 55;
    if (c <= 51 && isOctal(e)) e++;
    if (isOctal(e)) e++;
    return { v: String.fromCharCode(parseInt(text.slice(i + 1, e), 8)), next: e };
  }
  if (isDigit(c)) return { v: ch, next: i + 2 };
  if (c === 13) return { v: '', next: text.charCodeAt(i + 2) === 10 ? i + 3 : i + 2 };
  if (isLineBreak(c)) return { v: '', next: i + 2 };
  if (ch === 'x') {
    const h = text.slice(i + 2, i + 4);
    return /^[0-9a-fA-F]{2}$/.test(h) ? { v: String.fromCharCode(parseInt(h, 16)), next: i + 4 } : { v: undefined, next: i + 2 };
  }
  if (ch === 'u') {
    if (text[i + 2] === '{') {
      const close = text.indexOf('}', i + 3);
      const h = close < 0 ? '' : text.slice(i + 3, close);
      const cp = /^[0-9a-fA-F]{1,6}$/.test(h) ? parseInt(h, 16) : -1;
      return cp >= 0 && cp <= 0x10ffff ? { v: String.fromCodePoint(cp), next: close + 1 } : { v: undefined, next: i + 2 };
    }
    const h = text.slice(i + 2, i + 6);
    return /^[0-9a-fA-F]{4}$/.test(h) ? { v: String.fromCharCode(parseInt(h, 16)), next: i + 6 } : { v: undefined, next: i + 2 };
  }
  return { v: ch, next: i + 2 };
}

type Opener = { k: '(' | '[' | '{'; tok: number; kw?: string; block?: boolean } | { k: '${'; tok: number; head: number } | { k: 'jsx'; tok: number; depth: number; inTag: boolean };

/** The tokens of a file, with their brackets matched (`match[i]`: the other bracket; n when unclosed). */
function tokenize(text: string, jsx: boolean): { toks: Tok[]; match: Int32Array; heads: Map<number, number> } {
  const toks: Tok[] = [];
  // A template's last part -> its first.
  const heads = new Map<number, number>();
  const stack: Opener[] = [];
  const pairs: Array<[number, number]> = [];
  const n = text.length;
  let pos = 0;
  let nl = false;
  if (text.startsWith('#!')) while (pos < n && !isLineBreak(text.charCodeAt(pos))) pos++;
  const prevEnd = () => toks.length > 0 && toks[toks.length - 1].end;
  const push = (t: T, s: number, e: number, v: string, end: boolean, bad?: boolean) => {
    toks.push({ t, s, e, v, nl, end, bad });
    nl = false;
  };

  // A template's characters from i (after `` ` `` or `}`): up to `` ` `` or `${`.
  const template = (start: number, i: number, first: boolean) => {
    let v = '';
    let bad = false;
    // The part ends: a substitution follows (`${`) or the template ends.
    const part = (e: number, open: boolean, unterminated: boolean) => {
      push(first ? (open ? T.Head : T.Tpl) : open ? T.Mid : T.Tail, start, e, v, !open, bad || unterminated);
      const at = toks.length - 1;
      let head = at;
      if (!first) {
        const o = stack.pop() as { tok: number; head: number };
        pairs.push([o.tok, at]);
        head = o.head;
        if (!open) heads.set(at, head);
      }
      if (open) stack.push({ k: '${', tok: at, head });
    };
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 96) {
        part(i + 1, false, false);
        return i + 1;
      }
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        part(i + 2, true, false);
        return i + 2;
      }
      if (c === 92) {
        const esc = escapeAt(text, i);
        if (esc.v === undefined) bad = true;
        else v += esc.v;
        i = esc.next;
      } else if (c === 13) {
        v += '\n';
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else {
        v += text[i];
        i++;
      }
    }
    part(n, false, true);
    return n;
  };

  // JSX from i: tags and text up to the end of the outermost element, or to a `{` (an expression).
  const jsxRun = (i: number, depth: number, inTag: boolean) => {
    const start = i;
    while (i < n) {
      const c = text[i];
      if (c === '{') {
        if (i > start) push(T.Jsx, start, i, '', false);
        push(T.Punct, i, i + 1, '{', false);
        stack.push({ k: 'jsx', tok: toks.length - 1, depth, inTag });
        return i + 1;
      }
      if (inTag) {
        if (c === '/' && text[i + 1] === '>') {
          i += 2;
          inTag = false;
          if (--depth === 0) break;
        } else if (c === '>') {
          i++;
          inTag = false;
        } else if (c === '"' || c === "'") {
          const close = text.indexOf(c, i + 1);
          i = close < 0 ? n : close + 1;
        } else i++;
      } else if (c === '<') {
        if (text[i + 1] === '/') {
          const close = text.indexOf('>', i + 2);
          i = close < 0 ? n : close + 1;
          if (--depth === 0) break;
        } else {
          i++;
          depth++;
          inTag = true;
        }
      } else i++;
    }
    push(T.Jsx, start, i, '', true);
    return i;
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (isLineBreak(c)) {
      nl = true;
      pos++;
      continue;
    }
    if (isSpace(c)) {
      pos++;
      continue;
    }
    const start = pos;
    if (c === 47 && text.charCodeAt(pos + 1) === 47) {
      while (pos < n && !isLineBreak(text.charCodeAt(pos))) pos++;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 42) {
      const close = text.indexOf('*/', pos + 2);
      const stop = close < 0 ? n : close + 2;
      for (let k = pos; k < stop; k++) if (isLineBreak(text.charCodeAt(k))) nl = true;
      pos = stop;
      continue;
    }
    if (isIdStart(c) || c === 92 || (c === 35 && isIdStart(text.charCodeAt(pos + 1)))) {
      pos++;
      while (pos < n && (isIdPart(text.charCodeAt(pos)) || text.charCodeAt(pos) === 92)) pos++;
      const v = text.slice(start, pos);
      const prev = toks[toks.length - 1];
      const afterDot = prev?.t === T.Punct && (prev.v === '.' || prev.v === '?.');
      // `as`, `satisfies`, `of` are operators only after an expression (else names: `satisfies(v, r)`).
      push(T.Id, start, pos, v, afterDot || !OPERATOR_WORDS.has(v) || (CONTEXTUAL.has(v) && !prevEnd()));
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(pos + 1)))) {
      pos++;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if ((d === 43 || d === 45) && /[eE]/.test(text[pos - 1]) && !/^0[xX]/.test(text.slice(start, pos))) pos++;
        else if (isIdPart(d) || (d === 46 && !text.slice(start, pos).includes('.') && !/^0[xXbBoO]/.test(text.slice(start, pos)))) pos++;
        else break;
      }
      push(T.Num, start, pos, text.slice(start, pos), true);
      continue;
    }
    if (c === 34 || c === 39) {
      let v = '';
      let bad = false;
      let i = pos + 1;
      for (; i < n; ) {
        const d = text.charCodeAt(i);
        if (d === c) break;
        if (d === 10 || d === 13) {
          bad = true;
          break;
        }
        if (d === 92) {
          const esc = escapeAt(text, i);
          if (esc.v === undefined) bad = true;
          else v += esc.v;
          i = esc.next;
        } else {
          v += text[i];
          i++;
        }
      }
      if (i >= n) bad = true;
      pos = text.charCodeAt(i) === c ? i + 1 : i;
      push(T.Str, start, pos, v, true, bad);
      continue;
    }
    if (c === 96) {
      pos = template(start, pos + 1, true);
      continue;
    }
    if (c === 47 && !prevEnd()) {
      // A regex literal: to the closing `/` outside a class, then its flags.
      let i = pos + 1;
      let inClass = false;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (isLineBreak(d)) break;
        if (d === 92) i++;
        else if (d === 91) inClass = true;
        else if (d === 93) inClass = false;
        else if (d === 47 && !inClass) {
          i++;
          break;
        }
      }
      while (i < n && isIdPart(text.charCodeAt(i))) i++;
      pos = i;
      push(T.Re, start, pos, '', true);
      continue;
    }
    if (c === 60 && jsx && !prevEnd() && (isIdStart(text.charCodeAt(pos + 1)) || text.charCodeAt(pos + 1) === 62) && !/^<[\w$]+\s*(,|extends\b)/.test(text.slice(pos, pos + 200))) {
      pos = jsxRun(pos + 1, 1, true);
      continue;
    }
    // Brackets.
    const ch = text[pos];
    if (ch === '(' || ch === '[' || ch === '{') {
      const prev = toks[toks.length - 1];
      // A block or a class body (after an expression's end: `class A {`, `) {`), not an object literal: a `/` after its `}` starts a regex.
      const block = ch === '{' && (!prev || (prev.t === T.Punct && ['=>', ';', '{', '}', '>'].includes(prev.v)) || (prev.end && prev.t !== T.Str && prev.t !== T.Num) || (prev.t === T.Id && ['else', 'try', 'finally', 'do'].includes(prev.v)));
      push(T.Punct, start, pos + 1, ch, false);
      stack.push({ k: ch, tok: toks.length - 1, kw: prev?.t === T.Id ? prev.v : undefined, block });
      pos++;
      continue;
    }
    if (ch === ')' || ch === ']' || ch === '}') {
      const want = ch === ')' ? '(' : ch === ']' ? '[' : '{';
      let at = -1;
      for (let k = stack.length - 1; k >= 0; k--) {
        const o = stack[k];
        if (o.k === want || (ch === '}' && (o.k === '${' || o.k === 'jsx'))) {
          at = k;
          break;
        }
        if (o.k === '{' || o.k === '${' || o.k === 'jsx') break;
      }
      if (at < 0) {
        push(T.Punct, start, pos + 1, ch, true);
        pos++;
        continue;
      }
      stack.length = at + 1;
      const o = stack[at];
      if (o.k === '${') {
        pos = template(start, pos + 1, false);
        continue;
      }
      stack.pop();
      const end = ch === ')' ? !(o.k === '(' && ['if', 'while', 'for', 'with'].includes(o.kw ?? '')) : ch === ']' || (o.k === '{' && !o.block) || o.k === 'jsx';
      push(T.Punct, start, pos + 1, ch, end);
      pairs.push([o.tok, toks.length - 1]);
      pos++;
      if (o.k === 'jsx') pos = jsxRun(pos, o.depth, o.inTag);
      continue;
    }
    let p = PUNCT.find((q) => text.startsWith(q, pos)) ?? ch;
    // `?.5` is `?` then `.5`; `>` stays alone (it closes type arguments: `Map<K, Set<V>>`) unless `>=`.
    if (p === '?.' && isDigit(text.charCodeAt(pos + 2))) p = '?';
    if (ch === '>') p = text[pos + 1] === '=' ? '>=' : '>';
    pos += p.length;
    const prev = toks[toks.length - 1];
    // `x!` (postfix) ends an expression; `++`/`--` after one too.
    const end = (p === '!' || p === '++' || p === '--') && !nl && !!prev?.end;
    push(T.Punct, start, pos, p, end);
  }
  const match = new Int32Array(toks.length).fill(-1);
  for (const [a, b] of pairs) {
    match[a] = b;
    match[b] = a;
  }
  for (const o of stack) if (o.tok >= 0 && match[o.tok] < 0) match[o.tok] = toks.length;
  return { toks, match, heads };
}

/** An id argument: a literal, a pattern, a parameter; UNSURE when its value is not certain. */
type Id = Pick<Site, 'id' | 'idPattern' | 'idParam'>;
const UNSURE = Symbol('unsure');

interface ScopeRange {
  scope: Scope;
  from: number;
  to: number;
  /** `const f = () => ...`: a scope only where the declaration is at the top. */
  ifTop?: boolean;
}

export function parseTsFacts(file: string, text: string): SourceFacts {
  const { toks, match, heads } = tokenize(text, !/\.([cm]?ts)$/.test(file));
  const n = toks.length;
  const is = (i: number, v: string) => i >= 0 && i < n && (toks[i].t === T.Punct || toks[i].t === T.Id) && toks[i].v === v;
  const isId = (i: number) => i >= 0 && i < n && toks[i].t === T.Id;
  const isName = (i: number) => isId(i) && !toks[i].v.startsWith('#') && !RESERVED.has(toks[i].v);
  const afterDot = (i: number) => is(i - 1, '.') || is(i - 1, '?.');
  const closeOf = (i: number) => (i >= 0 && i < n ? match[i] : -1);
  const isOpen = (i: number) => i >= 0 && i < n && (toks[i].t === T.Head || (toks[i].t === T.Punct && (toks[i].v === '(' || toks[i].v === '[' || toks[i].v === '{')));
  const isClose = (i: number) => i < n && (toks[i].t === T.Mid || toks[i].t === T.Tail || (toks[i].t === T.Punct && (toks[i].v === ')' || toks[i].v === ']' || toks[i].v === '}')));
  /** The last token of the template (or group) opened at i. */
  const groupEnd = (i: number) => {
    let k = match[i];
    for (let guard = 0; k >= 0 && k < n && toks[k].t === T.Mid && guard < n; guard++) k = match[k];
    return k < 0 ? n : k;
  };
  const fileTop: Scope = { key: `top:${file}`, kind: 'top', name: path.basename(file), params: [], file };

  /** `x as (T)`, `for (a of (b))`, `await (x)`: words that are operators here, not names. */
  const isOperatorWord = (i: number) => NOT_CALLEE.has(toks[i].v) && (ALWAYS_OPERATORS.has(toks[i].v) || (i > 0 && toks[i - 1].end));
  // Names declared without an initializer (`let a` then `[a, b] = f()` on the next line: no `a[...]`).
  const bindings = new Set<number>();
  // Is tok[i] the end of an expression that a following `(`, `[` or template continues (a call, ...)?
  const calleeEnd = (i: number): boolean => {
    if (i < 0 || i >= n) return false;
    const t = toks[i];
    if (t.t === T.Id) return afterDot(i) || !((RESERVED.has(t.v) && !['this', 'super', 'import', 'null', 'true', 'false'].includes(t.v)) || isOperatorWord(i) || bindings.has(i));
    if (t.t === T.Punct) return t.v === ')' || t.v === ']' || (t.v === '!' && t.end);
    return t.t !== T.Jsx && t.t !== T.Head && t.t !== T.Mid;
  };
  // Would tok[i], after a line break, continue the expression before it (no semicolon inserted)?
  const continues = (i: number): boolean => {
    const t = toks[i];
    if (t.t === T.Tpl || t.t === T.Head) return true;
    if (t.t === T.Id) return t.v === 'in' || t.v === 'instanceof';
    return t.t === T.Punct && !['{', '!', '~', '++', '--', '@', '...', '#'].includes(t.v);
  };
  /** Does tok[i] end the expression before it (what its parent is is then known)? */
  const terminates = (i: number): boolean => {
    if (i >= n) return true;
    const t = toks[i];
    if (t.t === T.Mid || t.t === T.Tail) return true;
    if (t.t === T.Punct && [',', ';', ')', ']', '}', ':'].includes(t.v)) return true;
    return t.nl && !continues(i);
  };

  /** `<...>` type arguments or parameters from i: the index after `>`, or -1. */
  const angleEnd = (i: number): number => {
    let depth = 0;
    for (let k = i; k < n && k < i + LOOKAHEAD; k++) {
      const t = toks[k];
      if (isOpen(k)) {
        k = groupEnd(k);
        continue;
      }
      if (t.t === T.Punct) {
        if (t.v === '<') depth++;
        else if (t.v === '>') {
          if (--depth === 0) return k + 1;
        } else if (isClose(k) || [';', '&&', '||', '+', '*', '/', '%', '++', '--', '!', '==', '===', '!=', '!==', '<=', '>=', '+=', '-='].includes(t.v)) return -1;
      } else if (t.t === T.Jsx || t.t === T.Re) return -1;
    }
    return -1;
  };
  /** The same backwards, from the `>` at i: the index of its `<`, or -1. */
  const angleStart = (i: number): number => {
    let depth = 0;
    for (let k = i; k >= 0 && k > i - LOOKAHEAD; k--) {
      const t = toks[k];
      if (t.t === T.Punct && (t.v === ')' || t.v === ']' || t.v === '}') && match[k] >= 0 && match[k] < k) {
        k = match[k];
        continue;
      }
      if (t.t === T.Punct) {
        if (t.v === '>') depth++;
        else if (t.v === '<') {
          if (--depth === 0) return k;
        } else if (isOpen(k) || [';', '&&', '||', '+', '*', '/', '%', '++', '--', '!', '=', '==', '===', '!=', '!==', '<=', '>=', '+=', '-='].includes(t.v)) return -1;
      } else if (t.t !== T.Id && t.t !== T.Str && t.t !== T.Num) return -1;
    }
    return -1;
  };

  const typeOnly = new Uint8Array(n + 1);
  /** The index after the type at i (marked type-only). */
  const typeEnd = (i: number): number => {
    const from = i;
    let conditional = 0;
    let pending = 0;
    for (let guard = 0; i < n && guard < LOOKAHEAD; guard++) {
      while (is(i, '|') || is(i, '&')) i++;
      while (isId(i) && ['keyof', 'readonly', 'unique', 'infer', 'asserts', 'abstract'].includes(toks[i].v) && !is(i + 1, '.') && !terminates(i + 1)) i++;
      if (is(i, '-')) i++;
      if (is(i, 'new')) i++;
      if (is(i, 'typeof') || is(i, 'import')) i++;
      let fn = false;
      if (is(i, '<')) {
        const k = angleEnd(i);
        if (k < 0) break;
        i = k;
      }
      if (is(i, '(')) {
        i = closeOf(i) + 1;
        fn = is(i, '=>');
      } else if (is(i, '[') || is(i, '{') || toks[i]?.t === T.Head) i = groupEnd(i) + 1;
      else if (toks[i]?.t === T.Str || toks[i]?.t === T.Num || toks[i]?.t === T.Tpl) i++;
      else if (isId(i)) {
        i++;
        while (is(i, '.') && isId(i + 1)) i += 2;
        if (is(i, '<') && !toks[i].nl) {
          const k = angleEnd(i);
          if (k > 0) i = k;
        }
        if (is(i, 'is') && !toks[i].nl) {
          i++;
          continue;
        }
      } else break;
      while (is(i, '[') && !toks[i].nl) i = closeOf(i) + 1;
      if (fn) {
        i++;
        continue;
      }
      if (is(i, '|') || is(i, '&')) continue;
      // A conditional type: `A extends B ? C : D`.
      if (is(i, 'extends') && !toks[i].nl) {
        conditional++;
        i++;
        continue;
      }
      if (conditional > pending && is(i, '?')) {
        pending++;
        i++;
        continue;
      }
      if (pending > 0 && is(i, ':')) {
        pending--;
        conditional--;
        i++;
        continue;
      }
      break;
    }
    for (let k = from; k < i && k < n; k++) typeOnly[k] = 1;
    return Math.min(i, n);
  };
  /**
   * From i, to the token that ends the expression there (`,` `;` a closer, or a line that starts another).
   * Remembered for the tokens passed: a later walk that reaches one stops where the first did (linear overall).
   */
  const ends = new Int32Array(n + 1).fill(-1);
  const exprEnd = (i: number): number => {
    const passed: number[] = [];
    let prev = -1;
    let end = n;
    for (; i < n; i++) {
      if (ends[i] >= 0) {
        end = ends[i];
        break;
      }
      const t = toks[i];
      if (isClose(i) || is(i, ',') || is(i, ';') || (prev >= 0 && t.nl && (toks[prev].end || is(prev, '}')) && !continues(i))) {
        end = i;
        break;
      }
      // Not the first token: a walk from before it may stop there (a line that starts a statement).
      if (prev >= 0) passed.push(i);
      if (isOpen(i)) i = groupEnd(i);
      prev = i;
    }
    for (const k of passed) ends[k] = end;
    return end;
  };

  // `=` tokens that start an initializer: the variable (`x`, `this.x`) or undefined (a pattern, a parameter default).
  const initOf = new Map<number, string | undefined>();
  const consts = new Map<string, string | typeof UNSURE>();
  const scopes: ScopeRange[] = [];
  const methodNames = new Set<number>();

  /** After the decorator at i (`@a.b(...)`, `@(expr)`). */
  const decoratorEnd = (i: number): number => {
    let k = i + 1;
    while (isId(k) && is(k + 1, '.')) k += 2;
    if (isId(k)) k++;
    else if (is(k, '(')) k = closeOf(k) + 1;
    if (is(k, '(')) k = closeOf(k) + 1;
    return Math.max(k, i + 1);
  };
  /** `(a, b: T = 1, ...c)` at i: the parameter names; marks the defaults' `=`. */
  const params = (i: number): string[] => {
    const names: string[] = [];
    const close = closeOf(i);
    let k = i + 1;
    while (k < close && k < n) {
      while (is(k, '@')) k = decoratorEnd(k);
      while (isId(k) && PARAM_MODIFIERS.has(toks[k].v) && (isId(k + 1) || is(k + 1, '{') || is(k + 1, '['))) k++;
      if (is(k, '...')) k++;
      if (isId(k)) names.push(toks[k++].v);
      else if (is(k, '{') || is(k, '[')) k = markPattern(k);
      if (is(k, '?')) k++;
      if (is(k, ':')) k = typeEnd(k + 1);
      if (is(k, '=')) {
        initOf.set(k, undefined);
        k = exprEnd(k + 1);
      }
      if (is(k, ',')) k++;
      else if (k < close) k = Math.max(k + 1, exprEnd(k));
    }
    return names;
  };
  /** A destructuring pattern at i: its defaults are no assignments. The index after it. */
  const markPattern = (i: number): number => {
    const close = closeOf(i);
    for (let k = i + 1; k < close && k < n; k++) {
      if (is(k, '(') || toks[k].t === T.Head) k = groupEnd(k);
      else if (is(k, '=')) initOf.set(k, undefined);
    }
    return close + 1;
  };

  /** A function or arrow at i that is the whole initializer: its range and parameters. */
  const functionAt = (i: number): { to: number; params: string[] } | undefined => {
    let k = i;
    if (is(k, 'async') && !toks[k + 1]?.nl) k++;
    if (is(k, 'function')) {
      k++;
      if (is(k, '*')) k++;
      if (isId(k) && !is(k, '(')) k++;
      if (is(k, '<')) k = angleEnd(k);
      if (!is(k, '(')) return undefined;
      const ps = params(k);
      k = closeOf(k) + 1;
      if (is(k, ':')) k = typeEnd(k + 1);
      if (!is(k, '{')) return undefined;
      const to = closeOf(k);
      return terminates(to + 1) ? { to, params: ps } : undefined;
    }
    let ps: string[];
    if (isName(k) && is(k + 1, '=>')) {
      ps = [toks[k].v];
      k += 2;
    } else {
      if (is(k, '<')) k = angleEnd(k);
      if (!is(k, '(')) return undefined;
      const close = closeOf(k);
      let j = close + 1;
      if (is(j, ':')) {
        // `(a): T => ...`: the type is checked before the parameters are read (their `=` marked).
        const t = typeEnd(j + 1);
        if (!is(t, '=>')) return undefined;
        j = t;
      }
      if (!is(j, '=>')) return undefined;
      ps = params(k);
      k = j + 1;
    }
    const to = is(k, '{') ? closeOf(k) : exprEnd(k) - 1;
    return { to, params: ps };
  };

  /** A class's header and body at `class` (i): its scope when it has a name; marks its members. */
  const classAt = (i: number) => {
    let k = i + 1;
    let name = isId(k) && !is(k, 'extends') && !is(k, 'implements') && !is(k, '{') ? toks[k++].v : undefined;
    if (is(k, '<')) k = Math.max(k + 1, angleEnd(k));
    let base: string | undefined;
    if (is(k, 'extends')) {
      const from = k + 1;
      const c = chainFrom(from);
      if (c.next > from) {
        const j = is(c.next, '<') ? angleEnd(c.next) : c.next;
        if (is(j, '{') || is(j, 'implements') || is(j, ',')) base = lastName(from, c.next - 1);
      }
      k = from;
    }
    for (let guard = 0; k < n && !is(k, '{') && guard < LOOKAHEAD; guard++) {
      if (is(k, ';')) return;
      if (is(k, '<')) {
        const e = angleEnd(k);
        k = e > 0 ? e : k + 1;
      } else if (isOpen(k)) k = groupEnd(k) + 1;
      else k++;
    }
    if (!is(k, '{')) return;
    const close = closeOf(k);
    const ctor = members(k, close);
    if (name === undefined && initOf.has(i - 1) && terminates(close + 1)) name = initOf.get(i - 1);
    if (name !== undefined) scopes.push({ scope: { key: `class:${name}`, kind: 'class', name, base, params: ctor ?? [], file }, from: decorated.get(i) ?? i, to: close });
  };
  /** The members of a class body `{` (o) `}` (c): marks methods and property initializers; the first constructor's parameters. */
  const members = (o: number, c: number): string[] | undefined => {
    let ctor: string[] | undefined;
    let k = o + 1;
    while (k < c && k < n) {
      const at = k;
      if (is(k, ';')) {
        k++;
        continue;
      }
      while (is(k, '@')) k = decoratorEnd(k);
      while (isId(k) && MEMBER_MODIFIERS.has(toks[k].v) && !toks[k + 1]?.nl && (isId(k + 1) || is(k + 1, '[') || is(k + 1, '*') || (toks[k + 1]?.t === T.Str) || (is(k + 1, '{') && toks[k].v === 'static'))) k++;
      if (is(k, '{')) {
        k = closeOf(k) + 1;
        continue;
      }
      if (is(k, '*')) k++;
      const nameTok = k;
      if (isId(k) || toks[k]?.t === T.Str || toks[k]?.t === T.Num) k++;
      else if (is(k, '[')) k = closeOf(k) + 1;
      else {
        k = Math.max(at + 1, k + 1);
        continue;
      }
      if (is(k, '?') || is(k, '!')) k++;
      if (is(k, '<') || is(k, '(')) {
        if (is(k, '<')) k = angleEnd(k);
        if (!is(k, '(')) {
          k = Math.max(at + 1, k);
          continue;
        }
        methodNames.add(nameTok);
        const ps = params(k);
        if (ctor === undefined && is(nameTok, 'constructor')) ctor = ps;
        k = closeOf(k) + 1;
        if (is(k, ':')) k = typeEnd(k + 1);
        if (is(k, '{')) k = closeOf(k) + 1;
        continue;
      }
      if (is(k, ':')) k = typeEnd(k + 1);
      if (is(k, '=')) {
        initOf.set(k, isId(nameTok) && !toks[nameTok].v.startsWith('#') ? `this.${toks[nameTok].v}` : undefined);
        k = exprEnd(k + 1);
      }
      if (k === at) k++;
    }
    return ctor;
  };

  /** `const a = ..., { b } = ...` at the keyword (i). */
  const declaration = (i: number) => {
    const isConst = toks[i].v === 'const';
    let k = i + 1;
    for (let guard = 0; guard < n; guard++) {
      let name: string | undefined;
      if (isId(k)) {
        bindings.add(k);
        name = toks[k++].v;
      } else if (is(k, '{') || is(k, '[')) k = markPattern(k);
      else return;
      if (is(k, '!')) k++;
      if (is(k, ':')) k = typeEnd(k + 1);
      if (is(k, '=')) {
        initOf.set(k, name);
        const init = k + 1;
        if (isConst && name !== undefined && (toks[init]?.t === T.Str || toks[init]?.t === T.Tpl) && terminates(init + 1)) consts.set(name, toks[init].bad ? UNSURE : toks[init].v);
        if (name !== undefined) {
          const f = functionAt(init);
          if (f) scopes.push({ scope: { key: `function:${name}`, kind: 'function', name, params: f.params, file }, from: init, to: f.to, ifTop: true });
        }
        k = exprEnd(init);
      }
      if (!is(k, ',')) return;
      k++;
    }
  };

  /** Back from tok[i], the end of a member chain (`this.a.b`, `f(x).y`, `new X(a).b`): its first token; -1 when unsure, -2 when the chain is a `new`'s callee. */
  const chainStart = (i: number): number => {
    let calls = false;
    for (let guard = 0; i >= 0 && guard < LOOKAHEAD; guard++) {
      const t = toks[i];
      let unit: number;
      if (t.t === T.Id || t.t === T.Str || t.t === T.Num || t.t === T.Tpl || t.t === T.Re) unit = i;
      else if (t.t === T.Tail && heads.has(i)) unit = heads.get(i)!;
      else if (t.t === T.Punct && (t.v === ')' || t.v === ']')) {
        const o = match[i];
        if (o < 0 || o > i) return -1;
        let b = o - 1;
        if (is(b, '?.')) {
          if (t.v === ')') calls = true;
          i = b - 1;
          continue;
        }
        if (t.v === ')' && is(b, '>')) {
          const a = angleStart(b);
          if (a > 0 && calleeEnd(a - 1)) b = a - 1;
        }
        if (calleeEnd(b)) {
          if (t.v === ')') calls = true;
          i = b;
          continue;
        }
        unit = o;
      } else if (t.t === T.Punct && t.v === '!' && t.end) {
        i--;
        continue;
      } else return -1;
      const b = unit - 1;
      if (is(b, '.') || is(b, '?.')) {
        i = b - 1;
        continue;
      }
      // A tagged template: `tag\`...\``.
      if ((toks[unit].t === T.Tpl || toks[unit].t === T.Head) && calleeEnd(b)) {
        i = b;
        continue;
      }
      if (is(b, 'new') && !afterDot(b)) return calls ? b : -2;
      return unit;
    }
    return -1;
  };
  /** Forward from i, a member chain: where it ends and whether its last step is a property (`.x`). */
  const chainFrom = (i: number): { next: number; prop: boolean } => {
    let k = i;
    if (is(k, 'new')) {
      k++;
      if (is(k, '(')) k = closeOf(k) + 1;
      else if (isId(k)) k++;
      else return { next: -1, prop: false };
      while ((is(k, '.') && isId(k + 1)) || is(k, '[')) k = is(k, '[') ? closeOf(k) + 1 : k + 2;
      if (is(k, '<')) k = angleEnd(k);
      if (is(k, '(')) k = closeOf(k) + 1;
    } else if (isId(k) && (!RESERVED.has(toks[k].v) || ['this', 'super', 'import', 'null', 'true', 'false'].includes(toks[k].v))) k++;
    else if (toks[k]?.t === T.Str || toks[k]?.t === T.Num || toks[k]?.t === T.Tpl || toks[k]?.t === T.Re) k++;
    else if (is(k, '(') || is(k, '[') || is(k, '{') || toks[k]?.t === T.Head) k = groupEnd(k) + 1;
    else if (is(k, 'function')) {
      k++;
      if (is(k, '*')) k++;
      if (isId(k)) k++;
      if (!is(k, '(')) return { next: -1, prop: false };
      k = closeOf(k) + 1;
      if (!is(k, '{')) return { next: -1, prop: false };
      k = closeOf(k) + 1;
    } else return { next: -1, prop: false };
    let prop = false;
    for (let guard = 0; k > 0 && k < n && guard < LOOKAHEAD; guard++) {
      if ((is(k, '.') || is(k, '?.')) && isId(k + 1)) {
        k += 2;
        prop = true;
      } else if (is(k, '?.') && (is(k + 1, '(') || is(k + 1, '['))) {
        k = closeOf(k + 1) + 1;
        prop = false;
      } else if (is(k, '(') || is(k, '[') || toks[k].t === T.Tpl || toks[k].t === T.Head) {
        k = groupEnd(k) + 1;
        prop = false;
      } else if (is(k, '!') && toks[k].end) {
        k++;
        prop = false;
      } else break;
    }
    return { next: k, prop };
  };
  /** The callee's last name of the tokens a..b (`ecs.Cluster`, `(a.B)`), as the syntax tree would give it. */
  const lastName = (a: number, b: number): string | undefined => {
    for (let guard = 0; guard < 64 && is(a, '(') && closeOf(a) === b; guard++) {
      a++;
      b--;
    }
    if (a === b) return isName(a) ? toks[a].v : undefined;
    const c = chainFrom(a);
    return c.next === b + 1 && c.prop ? toks[b].v : undefined;
  };

  type Arg = { a: number; b: number };
  const args = (o: number): Arg[] => {
    const out: Arg[] = [];
    const close = closeOf(o);
    let from = o + 1;
    for (let k = o + 1; k <= close && k < n; k++) {
      if (k === close || is(k, ',')) {
        if (k > from) out.push({ a: from, b: k - 1 });
        if (out.length >= 2) break;
        from = k + 1;
      } else if (isOpen(k)) k = groupEnd(k);
    }
    return out;
  };
  const idOf = (arg: Arg | undefined, params: readonly string[]): Id | undefined | typeof UNSURE => {
    if (!arg) return undefined;
    const t = toks[arg.a];
    if (arg.a === arg.b) {
      if (t.t === T.Str || t.t === T.Tpl) return t.bad ? UNSURE : { id: t.v };
      if (!isName(arg.a)) return undefined;
      const c = consts.get(t.v);
      if (c !== undefined && !params.includes(t.v)) return c === UNSURE ? UNSURE : { id: c };
      return { idParam: t.v };
    }
    if (t.t === T.Head && groupEnd(arg.a) === arg.b) {
      const parts: string[] = [];
      for (let k = arg.a; k <= arg.b; k = match[k]) {
        if (toks[k].bad) return UNSURE;
        parts.push(toks[k].v);
        if (toks[k].t === T.Tail) break;
      }
      return { idPattern: idPatternOf(parts) };
    }
    return concatenatedId(arg.a, arg.b, params);
  };
  /** `'Service' + id`, `prefix + 'Queue'`: strings and names joined with `+`, a pattern where a name stands. */
  const concatenatedId = (a: number, b: number, params: readonly string[]): Id | undefined => {
    const parts = [''];
    let literal = false;
    for (let k = a; k <= b; ) {
      const t = toks[k];
      if (t.t === T.Str && !t.bad) {
        parts[parts.length - 1] += t.v;
        literal = true;
        k++;
      } else if (isName(k)) {
        const c = params.includes(t.v) || is(k + 1, '.') || is(k + 1, '?.') ? undefined : consts.get(t.v);
        if (typeof c === 'string') parts[parts.length - 1] += c;
        else parts.push('');
        k++;
        while (k + 1 <= b && (is(k, '.') || is(k, '?.')) && isId(k + 1)) k += 2;
      } else return undefined;
      if (k > b) break;
      if (!is(k, '+') || k === b) return undefined;
      k++;
    }
    return literal && parts.length > 1 ? { idPattern: idPatternOf(parts) } : undefined;
  };
  const isScopeArg = (arg: Arg | undefined): boolean => {
    if (!arg) return false;
    if (arg.a === arg.b) return is(arg.a, 'this') || isName(arg.a);
    const c = chainFrom(arg.a);
    return c.next === arg.b + 1 && c.prop;
  };
  /** What the expression a..b is assigned to (through `( )`, `as T`, `!`). */
  const assignedTo = (a: number, b: number): string | undefined | typeof UNSURE => {
    // Each step moves out by a token: at most n steps.
    for (let guard = 0; guard < n; guard++) {
      if (is(b + 1, '!') && !toks[b + 1].nl) b++;
      else if (is(b + 1, 'as') && !toks[b + 1].nl) {
        const e = typeEnd(b + 2);
        if (e <= b + 2) return UNSURE;
        b = e - 1;
      } else if (is(a - 1, '(') && closeOf(a - 1) === b + 1 && !calleeEnd(a - 2)) {
        a--;
        b++;
      } else break;
    }
    const eq = a - 1;
    if (!is(eq, '=') || !terminates(b + 1)) return undefined;
    if (initOf.has(eq)) return initOf.get(eq);
    const left = chainStart(eq - 1);
    return left < 0 ? UNSURE : text.slice(toks[left].s, toks[eq - 1].e);
  };

  // Pass 1: declarations, classes, functions, types.
  /** `class` -> its first decorator (`@d(this, 'x') export class A`: the decorator is the class's). */
  const decorated = new Map<number, number>();
  let decoratorsTo = -1;
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    if (i > decoratorsTo && is(i, '@')) {
      let k = i;
      while (is(k, '@')) k = decoratorEnd(k);
      while (isId(k) && ['export', 'default', 'declare', 'abstract'].includes(toks[k].v)) k++;
      if (is(k, 'class')) decorated.set(k, i);
      decoratorsTo = k;
    }
    if (t.t === T.Punct && t.v === '(' && is(closeOf(i) + 1, '=>')) {
      params(i);
      continue;
    }
    if (t.t !== T.Id || afterDot(i) || is(i + 1, ':') || is(i + 1, '=') && t.v !== 'type') continue;
    const v = t.v;
    if ((v === 'const' || v === 'let' || v === 'var') && (isId(i + 1) || is(i + 1, '{') || is(i + 1, '[')) && !is(i + 1, 'enum') && !is(i + 1, 'in') && !is(i + 1, 'of') && !is(i + 1, 'instanceof')) declaration(i);
    else if (v === 'class' && !is(i + 1, '(')) classAt(i);
    else if (v === 'function') {
      let k = i + 1;
      if (is(k, '*')) k++;
      const nameTok = isId(k) && !is(k, '(') ? k++ : -1;
      if (is(k, '<')) k = angleEnd(k);
      if (!is(k, '(')) continue;
      const ps = params(k);
      if (nameTok < 0) continue;
      methodNames.add(nameTok);
      let p = i - 1;
      if (is(p, 'async')) p--;
      const declared = p < 0 || is(p, ';') || is(p, '{') || is(p, '}') || is(p, ')') || is(p, 'export') || is(p, 'default') || is(p, 'declare') || is(p, 'else') || ((toks[p].end || is(p, '}') || is(p, '>')) && (is(p + 1, 'async') ? toks[p + 1] : t).nl);
      if (!declared) continue;
      let j = closeOf(k) + 1;
      if (is(j, ':')) j = typeEnd(j + 1);
      const to = is(j, '{') ? closeOf(j) : j - 1;
      scopes.push({ scope: { key: `function:${toks[nameTok].v}`, kind: 'function', name: toks[nameTok].v, params: ps, file }, from: i, to });
    } else if (v === 'interface' && isId(i + 1)) {
      let k = i + 2;
      for (let guard = 0; k < n && !is(k, '{') && guard < LOOKAHEAD; guard++) k = is(k, '<') ? Math.max(k + 1, angleEnd(k)) : k + 1;
      if (is(k, '{')) for (let j = i; j <= closeOf(k) && j < n; j++) typeOnly[j] = 1;
    } else if (v === 'type' && isId(i + 1) && (is(i + 2, '=') || is(i + 2, '<'))) {
      let k = i + 2;
      if (is(k, '<')) k = angleEnd(k);
      if (is(k, '=')) typeEnd(k + 1);
    }
  }

  // Which scope each token is in: the innermost range holding it (a top-level `const f = () =>` only at the top).
  scopes.sort((a, b) => a.from - b.from);
  const kept: ScopeRange[] = [];
  const scopeAt = new Int32Array(n + 1).fill(-1);
  {
    const open: number[] = [];
    let next = 0;
    for (let i = 0; i <= n; i++) {
      while (open.length && kept[open[open.length - 1]].to < i) open.pop();
      while (next < scopes.length && scopes[next].from === i) {
        const s = scopes[next++];
        if (s.ifTop && open.length) continue;
        open.push(kept.push(s) - 1);
      }
      scopeAt[i] = open.length ? open[open.length - 1] : -1;
    }
  }
  const scopeOf = (i: number): Scope => (scopeAt[i] >= 0 ? kept[scopeAt[i]].scope : fileTop);

  // Pass 2: the sites, in the order of the syntax tree (by start; an enclosing expression first).
  const found: Array<Site & { to: number }> = [];
  for (let i = 0; i < n; i++) {
    if (typeOnly[i]) continue;
    if (is(i, 'new') && !afterDot(i) && !is(i + 1, '.')) {
      let k = i + 1;
      let name: string | undefined;
      if (isName(k)) name = toks[k++].v;
      else if (is(k, 'this') || is(k, 'super')) k++;
      else if (is(k, '(')) {
        name = lastName(k + 1, closeOf(k) - 1);
        k = closeOf(k) + 1;
      } else continue;
      for (let guard = 0; k < n && guard < LOOKAHEAD; guard++) {
        if (is(k, '.') && isId(k + 1)) {
          name = toks[k + 1].v;
          k += 2;
        } else if (is(k, '[') || toks[k].t === T.Tpl || toks[k].t === T.Head) {
          name = undefined;
          k = groupEnd(k) + 1;
        } else if (is(k, '!') && toks[k].end) {
          name = undefined;
          k++;
        } else break;
      }
      if (is(k, '<')) k = angleEnd(k);
      if (!is(k, '(') || !name) continue;
      const scope = scopeOf(i);
      const as = args(k);
      const id = idOf(as[1], scope.params);
      if (!id || id === UNSURE || !isScopeArg(as[0])) continue;
      const to = closeOf(k);
      const target = assignedTo(i, to);
      if (target === UNSURE) continue;
      found.push({ kind: 'new', callee: name, ...id, assignedTo: target, scope: scope.key, start: toks[i].s, end: toks[as[1].b].e, to });
    } else if (is(i, '(') && closeOf(i) < n) {
      let q = i - 1;
      if (is(q, '?.')) q--;
      if (is(q, '>')) {
        const a = angleStart(q);
        if (a <= 0) continue;
        q = a - 1;
      }
      if (!isId(q) || methodNames.has(q)) continue;
      const prop = afterDot(q);
      const v = toks[q].v;
      if (!prop && (RESERVED.has(v) || isOperatorWord(q) || v.startsWith('#'))) continue;
      const after = closeOf(i) + 1;
      if (is(after, '{') || is(after, '=>') || (v === 'async' && !prop && is(after, ':') && is(typeEnd(after + 1), '=>'))) continue;
      if (is(after, ':') && !prop && (q === 0 || MEMBER_START.has(toks[q - 1].v) || (toks[q - 1].t === T.Id && MEMBER_MODIFIERS.has(toks[q - 1].v)) || (toks[q].nl && toks[q - 1].end))) continue;
      const start = chainStart(q);
      if (start < 0) continue;
      const scope = scopeOf(start);
      const as = args(i);
      const first = idOf(as[0], scope.params);
      const second = idOf(as[1], scope.params);
      const to = closeOf(i);
      let site: (Site & { to: number }) | undefined;
      if (prop && /^add[A-Z]/.test(v) && first && (first === UNSURE || first.idParam === undefined)) {
        if (first === UNSURE) continue;
        site = { kind: 'method', callee: v, ...first, receiver: text.slice(toks[start].s, toks[q - 2].e), assignedTo: undefined, scope: scope.key, start: toks[start].s, end: toks[as[0].b].e, to };
      } else if (second && isScopeArg(as[0])) {
        if (second === UNSURE) continue;
        site = { kind: 'call', callee: v, ...second, assignedTo: undefined, scope: scope.key, start: toks[start].s, end: toks[as[1].b].e, to };
      }
      if (!site) continue;
      const target = assignedTo(start, to);
      if (target === UNSURE) continue;
      site.assignedTo = target;
      found.push(site);
    }
  }
  found.sort((a, b) => a.start - b.start || b.to - a.to);
  const sites: Site[] = found.map(({ to: _to, ...s }) => s);
  return { file, scopes: [fileTop, ...kept.map((s) => s.scope)], sites };
}
