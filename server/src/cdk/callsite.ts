// The construct-creating expression at a creation trace's position in TS/JS source, without the compiler:
// a trace names the exact line and column (V8 reports `new` of `new X(...)` and the called name of
// `a.addX(...)`/`f(...)`), so a scan of that one expression is enough to check it is a construct creation
// (its id argument a literal, a name or a member of one) and to give the range shown: from the expression's start to the
// end of the id argument, as tsscan.ts's sites. A trace then needs no read of the whole file.

const IDENT = /[A-Za-z0-9_$\u00a0-\uffff]/;

export function callAt(text: string, offset: number): { start: number; end: number } | undefined {
  let i = offset;
  let start = offset;
  let idArg: number;
  if (text.startsWith('new', i) && !IDENT.test(text[i + 3] ?? '')) {
    i += 3;
    i = skipSpace(text, i);
    const e = chainEnd(text, i);
    if (e === i) return undefined;
    i = e;
    idArg = 1;
  } else if (IDENT.test(text[i] ?? '')) {
    // Back over the receiver (`this.cluster.` of `this.cluster.addCapacity`).
    let s = i;
    while (s > 0 && (IDENT.test(text[s - 1]) || text[s - 1] === '.' || text[s - 1] === '?')) s--;
    start = s;
    const nameStart = i;
    while (i < text.length && IDENT.test(text[i])) i++;
    const name = text.slice(nameStart, i);
    const isMethod = nameStart > s && text[nameStart - 1] === '.' && /^add[A-Z]/.test(name);
    idArg = isMethod ? 0 : 1;
  } else return undefined;
  i = skipSpace(text, i);
  if (text[i] === '<') i = skipBalanced(text, i, '<', '>');
  i = skipSpace(text, i);
  if (text[i] !== '(') return undefined;
  const args = argRanges(text, i);
  const a = args?.[idArg];
  if (!a) return undefined;
  const arg = text.slice(a.start, a.end);
  // A literal, a name, or a member of one (`service.serviceName`).
  if (!/^(['"`]).*\1$/s.test(arg) && !/^[A-Za-z_$][\w$]*(\??\.[A-Za-z_$][\w$]*)*$/.test(arg)) return undefined;
  // `new X(scope, id)` and `f(scope, id)` take a scope first.
  if (idArg === 1 && !/^(this|[A-Za-z_$][\w$.]*)$/.test(text.slice(args[0].start, args[0].end))) return undefined;
  return { start, end: a.end };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function chainEnd(text: string, i: number): number {
  while (i < text.length && (IDENT.test(text[i]) || text[i] === '.')) i++;
  return i;
}

function skipBalanced(text: string, i: number, open: string, close: string): number {
  let d = 0;
  for (; i < text.length; i++) {
    if (text[i] === open) d++;
    else if (text[i] === close && --d === 0) return i + 1;
  }
  return i;
}

/** The ranges (trimmed) of the arguments of the call whose `(` is at `open`; undefined if unbalanced. */
function argRanges(text: string, open: number): Array<{ start: number; end: number }> | undefined {
  const out: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let argStart = open + 1;
  const push = (end: number) => {
    let s = argStart;
    let e = end;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = open + 1; i < text.length && i < open + 20000; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = stringEnd(text, i) - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        push(i);
        return out;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      push(i);
      argStart = i + 1;
      // Only the first two arguments matter.
      if (out.length >= 2) return out;
    }
  }
  return undefined;
}

/** Just past the string starting at i (a template literal's `${...}` may hold strings of its own). */
function stringEnd(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === q) return j + 1;
    else if (q === '`' && c === '$' && text[j + 1] === '{') {
      let d = 1;
      j += 2;
      for (; j < text.length && d > 0; j++) {
        if (text[j] === '{') d++;
        else if (text[j] === '}') d--;
        else if (text[j] === '"' || text[j] === "'" || text[j] === '`') j = stringEnd(text, j) - 1;
      }
      j--;
    } else if (c === '\n' && q !== '`') return j;
  }
  return text.length;
}
