// The expression escape hatch of team rules: a small, CEL-like language over the selected resource or
// object, evaluated by this interpreter (no JavaScript, no I/O) with a step budget.
//
//   expr: "size(Properties.ContainerDefinitions) > 10 && Properties.Cpu != '256'"
//
// Operands: paths (`Properties.Cpu`, `spec.replicas`, `a['dotted.key']`, `items[0]`), strings ('..' or ".."),
// numbers, true/false/null. Operators: || && ! == != < <= > >= in (a list literal `[..]` or a list value)
// and parentheses. Functions: has(path), size(x), startsWith(s, p), endsWith(s, p), contains(s, part),
// lower(s), upper(s). A value that cannot be known (an intrinsic function, a parameter) makes the whole
// expression unknown, and an unknown expression never fires.

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };
/** The unknown value: a path through an intrinsic function, a parameter... */
export const UNKNOWN: unique symbol = Symbol('unknown');
/** A path that names nothing. */
export const MISSING: unique symbol = Symbol('missing');
export type Val = Value | typeof UNKNOWN | typeof MISSING;

export type Expr =
  | { t: 'lit'; v: Value }
  | { t: 'path'; segs: Array<string | number> }
  | { t: 'list'; items: Expr[] }
  | { t: 'not'; e: Expr }
  | { t: 'bin'; op: string; a: Expr; b: Expr }
  | { t: 'call'; fn: string; args: Expr[] };

export const MAX_EXPR = 2000;
export const STEP_BUDGET = 10_000;
const FUNCTIONS: Record<string, number> = { has: 1, size: 1, startsWith: 2, endsWith: 2, contains: 2, lower: 1, upper: 1 };

export class ExprError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Parses an expression (throws ExprError with the offset of the problem). */
export function parseExpr(src: string): Expr {
  if (src.length > MAX_EXPR) throw new ExprError(`the expression is longer than ${MAX_EXPR} characters`, 0);
  const toks: Array<{ k: string; v: string; at: number }> = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_$][\w$-]*)|(\|\||&&|==|!=|<=|>=|[<>!()[\].,]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new ExprError(`cannot read the expression at '${src.slice(i, i + 10)}'`, i);
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4]).length;
    if (m[1]) toks.push({ k: 'num', v: m[1], at });
    else if (m[2]) toks.push({ k: 'str', v: m[2].slice(1, -1).replace(/\\(.)/g, '$1'), at });
    else if (m[3]) toks.push({ k: 'id', v: m[3], at });
    else toks.push({ k: 'op', v: m[4], at });
    i = re.lastIndex;
  }
  let p = 0;
  let depth = 0;
  const peek = (v?: string) => (p < toks.length && (v === undefined || (toks[p].k === 'op' && toks[p].v === v)) ? toks[p] : undefined);
  const at = () => (p < toks.length ? toks[p].at : src.length);
  const expect = (v: string) => {
    if (!peek(v)) throw new ExprError(`expected '${v}'`, at());
    p++;
  };
  const deeper = <T>(f: () => T): T => {
    if (++depth > 50) throw new ExprError('the expression is nested too deeply', at());
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const or = (): Expr => deeper(() => {
    let a = and();
    while (peek('||')) (p++, (a = { t: 'bin', op: '||', a, b: and() }));
    return a;
  });
  const and = (): Expr => {
    let a = cmp();
    while (peek('&&')) (p++, (a = { t: 'bin', op: '&&', a, b: cmp() }));
    return a;
  };
  const cmp = (): Expr => {
    const a = unary();
    const t = toks[p];
    if (t && ((t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) || (t.k === 'id' && t.v === 'in'))) {
      p++;
      return { t: 'bin', op: t.v, a, b: unary() };
    }
    return a;
  };
  const unary = (): Expr => {
    if (peek('!')) {
      p++;
      return deeper(() => ({ t: 'not', e: unary() }));
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = toks[p];
    if (!t) throw new ExprError('the expression ends too early', src.length);
    if (t.k === 'num') return p++, { t: 'lit', v: Number(t.v) };
    if (t.k === 'str') return p++, { t: 'lit', v: t.v };
    if (t.k === 'op' && t.v === '(') {
      p++;
      const e = or();
      expect(')');
      return e;
    }
    if (t.k === 'op' && t.v === '[') {
      p++;
      const items: Expr[] = [];
      while (!peek(']')) {
        items.push(or());
        if (!peek(']')) expect(',');
      }
      p++;
      return { t: 'list', items };
    }
    if (t.k === 'id') {
      p++;
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { t: 'lit', v: null };
      if (peek('(')) {
        if (!(t.v in FUNCTIONS)) throw new ExprError(`unknown function '${t.v}' (known: ${Object.keys(FUNCTIONS).join(', ')})`, t.at);
        p++;
        const args: Expr[] = [];
        while (!peek(')')) {
          args.push(or());
          if (!peek(')')) expect(',');
        }
        p++;
        if (args.length !== FUNCTIONS[t.v]) throw new ExprError(`${t.v}() takes ${FUNCTIONS[t.v]} argument(s)`, t.at);
        return { t: 'call', fn: t.v, args };
      }
      const segs: Array<string | number> = [t.v];
      for (;;) {
        if (peek('.')) {
          p++;
          const n = toks[p];
          if (!n || n.k !== 'id') throw new ExprError('expected a property name after .', at());
          segs.push(n.v);
          p++;
        } else if (peek('[')) {
          p++;
          const n = toks[p];
          if (!n || (n.k !== 'num' && n.k !== 'str')) throw new ExprError("expected a number or a 'quoted key' in [ ]", at());
          segs.push(n.k === 'num' ? Number(n.v) : n.v);
          p++;
          expect(']');
        } else break;
      }
      return { t: 'path', segs };
    }
    throw new ExprError(`unexpected '${t.v}'`, t.at);
  };
  const e = or();
  if (p < toks.length) throw new ExprError(`unexpected '${toks[p].v}'`, toks[p].at);
  return e;
}

/** Raised when an expression uses up its step budget. */
export class BudgetExceeded extends Error {}

/**
 * Evaluates an expression: true, false, or undefined (unknown). `read` resolves a path to a value
 * (UNKNOWN when it cannot be known, MISSING when it names nothing).
 */
export function evalExpr(e: Expr, read: (segs: Array<string | number>) => Val, budget = { steps: STEP_BUDGET }): boolean | undefined {
  const v = ev(e, read, budget);
  return v === UNKNOWN ? undefined : v === true;
}

function ev(e: Expr, read: (segs: Array<string | number>) => Val, budget: { steps: number }): Val {
  if (--budget.steps < 0) throw new BudgetExceeded('the expression took more than its step budget');
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'path':
      return read(e.segs);
    case 'list': {
      const out: Value[] = [];
      for (const i of e.items) {
        const v = ev(i, read, budget);
        if (v === UNKNOWN) return UNKNOWN;
        out.push(v === MISSING ? null : v);
      }
      return out;
    }
    case 'not': {
      const v = ev(e.e, read, budget);
      return v === UNKNOWN ? UNKNOWN : !truthy(v);
    }
    case 'call': {
      if (e.fn === 'has') {
        const v = e.args[0].t === 'path' ? read(e.args[0].segs) : ev(e.args[0], read, budget);
        return v === UNKNOWN ? UNKNOWN : v !== MISSING && v !== null;
      }
      const args = e.args.map((a) => ev(a, read, budget));
      if (args.includes(UNKNOWN)) return UNKNOWN;
      const [a, b] = args;
      switch (e.fn) {
        case 'size':
          return typeof a === 'string' || Array.isArray(a) ? a.length : a && typeof a === 'object' ? Object.keys(a).length : 0;
        case 'lower':
          return typeof a === 'string' ? a.toLowerCase() : null;
        case 'upper':
          return typeof a === 'string' ? a.toUpperCase() : null;
        case 'startsWith':
          return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
        case 'endsWith':
          return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
        case 'contains':
          return Array.isArray(a) ? a.some((x) => same(x, b as Value)) : typeof a === 'string' && typeof b === 'string' && a.includes(b);
      }
      return null;
    }
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const a = ev(e.a, read, budget);
        if (a !== UNKNOWN && truthy(a) === (e.op === '||')) return e.op === '||';
        const b = ev(e.b, read, budget);
        if (b !== UNKNOWN && truthy(b) === (e.op === '||')) return e.op === '||';
        return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : e.op === '||' ? false : true;
      }
      const a = ev(e.a, read, budget);
      const b = ev(e.b, read, budget);
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      const x = a === MISSING ? null : a;
      const y = b === MISSING ? null : b;
      switch (e.op) {
        case '==':
          return same(x, y);
        case '!=':
          return !same(x, y);
        case 'in':
          return Array.isArray(y) ? y.some((i) => same(x, i)) : typeof y === 'string' && typeof x === 'string' && y.includes(x);
        default: {
          const n = num(x);
          const m = num(y);
          if (n === undefined || m === undefined) return false;
          return e.op === '<' ? n < m : e.op === '<=' ? n <= m : e.op === '>' ? n > m : n >= m;
        }
      }
    }
  }
}

function truthy(v: Val): boolean {
  return v !== MISSING && v !== null && v !== false && v !== 0 && v !== '';
}

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Equality as templates mean it: `'true'` equals true, `'512'` equals 512. */
function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'object' || typeof b === 'object') return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a).toLowerCase() === String(b).toLowerCase();
  if (typeof a === 'number' || typeof b === 'number') return num(a) !== undefined && num(a) === num(b);
  return false;
}
