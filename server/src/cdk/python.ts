// Python sources of a CDK app: a hand-written scanner for the subset the matcher needs.
//
// Why not a full parser: the only maintained one usable here without a native add-on is tree-sitter in
// WASM (`web-tree-sitter` + `tree-sitter-python`), which adds about 1 MB of WASM and JS to the package and an
// asynchronous start, to read a handful of shapes. The scanner tokenizes real Python (strings of every
// prefix and quoting, triple quotes, comments, bracket and backslash continuations, indentation) and reads:
// `class Name(Base):` and `def name(params):` with their indentation (the scopes), and every call
// `a.b.Name(arg0, arg1, ...)`: `X(self, "Id", ...)` (a construct, or a helper called with a scope and an id),
// `recv.add_container("Id", ...)` (a method that creates a child), with what the result is assigned to.
import { idPatternOf, type Scope, type Site, type SourceFacts } from './sites';

interface Token {
  type: 'name' | 'string' | 'op' | 'newline' | 'other';
  text: string;
  start: number;
  end: number;
  /** A string's value (f-strings: the literal parts around the substitutions). */
  parts?: string[];
  fstring?: boolean;
  /** Column of the first token of the logical line (set on every token). */
  indent: number;
  /** First token of its logical line. */
  first?: boolean;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  let depth = 0;
  let lineStart = 0;
  let atLineStart = true;
  let indent = 0;
  const push = (t: Omit<Token, 'indent'>) => {
    if (atLineStart) {
      indent = t.start - lineStart;
      (t as Token).first = true;
      atLineStart = false;
    }
    out.push({ ...t, indent } as Token);
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      i++;
      if (depth === 0 && !atLineStart) {
        out.push({ type: 'newline', text: '\n', start: i - 1, end: i, indent });
        atLineStart = true;
      }
      if (depth === 0) lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    // A string, with an optional prefix.
    const sm = /([rRbBuUfF]{0,2})('''|"""|'|")/y;
    sm.lastIndex = i;
    const m = sm.exec(text);
    if (m && (m[1] === '' || /^[A-Za-z]/.test(c))) {
      const prefix = m[1].toLowerCase();
      const quote = m[2];
      const raw = prefix.includes('r');
      let j = i + m[0].length;
      let value = '';
      while (j < n && !text.startsWith(quote, j)) {
        if (text[j] === '\\' && j + 1 < n) {
          value += raw ? text.slice(j, j + 2) : unescape(text[j + 1]);
          j += 2;
          continue;
        }
        if (quote.length === 1 && text[j] === '\n') break;
        value += text[j++];
      }
      j = Math.min(n, j + quote.length);
      const fstring = prefix.includes('f');
      push({ type: 'string', text: text.slice(i, j), start: i, end: j, parts: fstring ? fParts(value) : [value], fstring });
      i = j;
      continue;
    }
    if (/[A-Za-z_\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_\u00c0-\uffff]/.test(text[j])) j++;
      push({ type: 'name', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    push({ type: '([{)]},.=:'.includes(c) ? 'op' : 'other', text: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

function unescape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c;
}

/** The literal parts of an f-string around its `{...}` substitutions (`{{` and `}}` are braces). */
function fParts(value: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if ((c === '{' || c === '}') && value[i + 1] === c) {
      cur += c;
      i++;
    } else if (c === '{') {
      parts.push(cur);
      cur = '';
      let d = 1;
      while (i + 1 < value.length && d > 0) {
        i++;
        if (value[i] === '{') d++;
        else if (value[i] === '}') d--;
      }
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

export function parsePythonFacts(file: string, text: string): SourceFacts {
  const toks = tokenize(text);
  const top: Scope = { key: `top:${file}`, kind: 'top', name: file, params: [], file };
  const scopes: Scope[] = [top];
  const sites: Site[] = [];
  /** Open scopes with the indentation of their header line. */
  const stack: Array<{ scope: Scope; indent: number; kind: 'class' | 'function' | 'method' }> = [];
  // A method's sites belong to its class (the class's own code).
  const current = () => (stack.length ? stack[stack.length - 1].scope : top);

  // `API_ID = "Api"` at the top of the module: an id written through it is that literal.
  const consts = new Map<string, string>();
  for (let i = 0; i + 3 < toks.length; i++) {
    const t = toks[i];
    if (t.first && t.indent === 0 && t.type === 'name' && toks[i + 1].text === '=' && toks[i + 2].type === 'string' && !toks[i + 2].fstring && toks[i + 3].type === 'newline') consts.set(t.text, toks[i + 2].parts!.join(''));
  }
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.first) while (stack.length && stack[stack.length - 1].indent >= t.indent) stack.pop();
    if (t.first && t.type === 'name' && (t.text === 'class' || t.text === 'def') && toks[i + 1]?.type === 'name') {
      const name = toks[i + 1].text;
      const open = toks[i + 2]?.text === '(' ? i + 2 : -1;
      const args = open >= 0 ? splitArgs(toks, open) : { args: [], close: i + 1 };
      if (t.text === 'class') {
        const baseArg = args.args[0];
        const base = baseArg?.filter((x) => x.type === 'name').pop()?.text;
        const scope: Scope = { key: `class:${name}`, kind: 'class', name, base, params: [], file };
        scopes.push(scope);
        stack.push({ scope, indent: t.indent, kind: 'class' });
      } else {
        // `name`, `name: T`, `name=x`, `*args`, `**kw` (a bare `*` names nothing).
        const params = args.args.map((a) => a.find((x) => x.text !== '*' && x.text !== '/')).map((x) => (x?.type === 'name' ? x.text : '')).filter((p) => p && p !== 'self' && p !== 'cls');
        const owner = stack[stack.length - 1];
        if (owner?.kind === 'class' && t.indent > owner.indent) {
          if (name === '__init__') owner.scope.params = params;
          // A method: its code is the class's.
          stack.push({ scope: owner.scope, indent: t.indent, kind: 'method' });
        } else {
          const scope: Scope = { key: `function:${name}`, kind: 'function', name, params, file };
          scopes.push(scope);
          stack.push({ scope, indent: t.indent, kind: 'function' });
        }
      }
      // Past the header: its parameter list is not a call.
      i = Math.max(i, args.close);
      continue;
    }
    // A call: a dotted name followed by `(`.
    if (t.type === 'name' && toks[i + 1]?.text === '(' && t.text !== 'super') {
      // The chain before it: a.b.c(
      let s = i;
      while (s >= 2 && toks[s - 1].text === '.' && toks[s - 2].type === 'name') s -= 2;
      if (s >= 1 && (toks[s - 1].text === ')' || toks[s - 1].text === '.')) continue; // super().__init__(...), f(x).y(...)
      const chain = toks.slice(s, i + 1).filter((x) => x.type === 'name').map((x) => x.text);
      const { args } = splitArgs(toks, i + 1);
      const positional = args.filter((a) => !(a[1]?.text === '=' && a[0]?.type === 'name'));
      const idOf = (a: Token[] | undefined): Pick<Site, 'id' | 'idPattern' | 'idParam'> | undefined => {
        if (!a || a.length !== 1) return undefined;
        const x = a[0];
        if (x.type === 'string') return x.fstring && x.parts!.length > 1 ? { idPattern: idPatternOf(x.parts!) } : { id: x.parts!.join('') };
        if (x.type === 'name') return consts.has(x.text) && !current().params.includes(x.text) ? { id: consts.get(x.text)! } : { idParam: x.text };
        return undefined;
      };
      const scope = current();
      const assigned = assignedBefore(toks, s);
      const callee = t.text;
      const first = idOf(positional[0]);
      const second = idOf(positional[1]);
      if (chain.length > 1 && /^add_/.test(callee) && first && first.idParam === undefined) {
        sites.push({ kind: 'method', callee, ...first, receiver: chain.slice(0, -1).join('.'), assignedTo: assigned, scope: scope.key, start: toks[s].start, end: positional[0][0].end });
      } else if (second && positional[0]?.length === 1 && positional[0][0].type === 'name') {
        sites.push({ kind: 'new', callee, ...second, assignedTo: assigned, scope: scope.key, start: toks[s].start, end: positional[1][0].end });
      }
    }
  }
  return { file, scopes, sites };
}

/** `x = ` or `self.x = ` right before a call chain starting at token s. */
function assignedBefore(toks: Token[], s: number): string | undefined {
  if (toks[s - 1]?.text !== '=' || toks[s - 2]?.type !== 'name') return undefined;
  if (toks[s - 3]?.text === '.' && toks[s - 4]?.type === 'name') return `${toks[s - 4].text}.${toks[s - 2].text}`;
  return toks[s - 2].text;
}

/** The arguments of a call whose `(` is token `open`: token lists split at top-level commas. */
function splitArgs(toks: Token[], open: number): { args: Token[][]; close: number } {
  const args: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  let k = open + 1;
  for (; k < toks.length; k++) {
    const x = toks[k];
    if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
    else if (x.text === ')' || x.text === ']' || x.text === '}') {
      if (depth === 0) break;
      depth--;
    } else if (x.text === ',' && depth === 0) {
      args.push(cur);
      cur = [];
      continue;
    }
    if (x.type !== 'newline') cur.push(x);
  }
  if (cur.length) args.push(cur);
  return { args, close: k };
}
