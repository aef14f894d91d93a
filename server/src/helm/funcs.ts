// The template functions Helm charts use (Go's built-ins and a Sprig subset). Any unknown argument makes
// the result unknown; a function that is not here is unknown too (see eval.ts).
import { createHash } from 'node:crypto';
import { parseYaml } from '../documents/yaml';
import { fromNode, setKey, goString, hasUnknown, isDict, MISSING, toJson, toYaml, truthy, UNKNOWN, type Dict, type Unknown, type Value } from './values';

const U: Unknown = UNKNOWN;

function str(v: Value): string {
  return goString(v);
}

function num(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

function indentText(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, Math.min(n, 1000)));
  return pad + s.replace(/\n/g, `\n${pad}`);
}

function eq(a: Value, b: Value): boolean {
  if (typeof a === 'number' || typeof b === 'number') return num(a) === num(b) && typeof a === typeof b;
  return a === b;
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return num(a) - num(b);
}

/** Go's type name of a value, as `%T` and `typeOf` print it. */
function goTypeName(v: Value): string {
  const kind = kindOf(v);
  return ({ invalid: '<nil>', slice: '[]interface {}', map: 'map[string]interface {}' } as Record<string, string>)[kind] ?? kind;
}

/** Go's fmt verbs as Helm charts use them (%s %d %v %q %f %t %x %T %%). */
export function sprintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, _flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    let s: string;
    switch (verb) {
      case 'd':
        s = String(Math.trunc(num(a)));
        break;
      case 'f':
        s = num(a).toFixed(prec ? +prec : 6);
        break;
      case 'q':
        s = JSON.stringify(str(a));
        break;
      case 'x':
        s = typeof a === 'number' ? a.toString(16) : Buffer.from(str(a)).toString('hex');
        break;
      case 't':
        s = String(a);
        break;
      case 'T':
        s = goTypeName(a);
        break;
      default:
        s = str(a);
    }
    return width && s.length < +width ? s.padStart(+width) : s;
  });
}

/** Go's path.Base: the last element, trailing slashes dropped (`.` for an empty path, `/` for root). */
function pathBase(p: string): string {
  if (!p) return '.';
  const t = p.replace(/\/+$/, '');
  return t ? t.slice(t.lastIndexOf('/') + 1) : '/';
}

/** Go's path.Dir: all but the last element (`.` when there is none). */
function pathDir(p: string): string {
  const slash = p.lastIndexOf('/');
  if (slash === -1) return '.';
  return p.slice(0, slash).replace(/\/+$/, '') || '/';
}

function semverParts(v: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  return m ? [+m[1], +(m[2] ?? 0), +(m[3] ?? 0)] : undefined;
}

function semverCmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `semverCompare ">=1.21-0" "v1.31.0"`: comma-separated ANDed constraints, `||` alternatives. */
export function semverCompare(constraint: string, version: string): boolean | typeof UNKNOWN {
  const v = semverParts(version);
  if (!v) return U;
  const alternatives = constraint.split('||');
  let any = false;
  for (const alt of alternatives) {
    let all = true;
    for (const raw of alt.split(/,|\s+(?=[<>=!~^])/).map((s) => s.trim()).filter(Boolean)) {
      const m = /^(>=|<=|!=|=|>|<|~|\^)?\s*v?([0-9x*.]+)(?:-[0-9A-Za-z.-]*)?$/.exec(raw);
      if (!m) return U;
      const op = m[1] ?? '=';
      const wanted = m[2].split('.').filter((x) => x !== '');
      const w = [0, 1, 2].map((i) => (wanted[i] === undefined || /[x*]/.test(wanted[i]) ? NaN : +wanted[i]));
      const pinned = w.map((x) => (Number.isNaN(x) ? 0 : x));
      const c = semverCmp(v, pinned);
      let ok: boolean;
      if (op === '>=') ok = c >= 0;
      else if (op === '>') ok = c > 0;
      else if (op === '<=') ok = c <= 0;
      else if (op === '<') ok = c < 0;
      else if (op === '!=') ok = c !== 0;
      else if (op === '~') ok = c >= 0 && v[0] === pinned[0] && (Number.isNaN(w[1]) || v[1] === pinned[1]);
      else if (op === '^') ok = c >= 0 && v[0] === pinned[0];
      else ok = w.every((x, i) => Number.isNaN(x) || v[i] === x);
      all &&= ok;
    }
    any ||= all;
  }
  return any;
}

function kindOf(v: Value): string {
  if (v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'function') return 'func';
  return 'map';
}

function merge(overwrite: boolean, dst: Value, ...srcs: Value[]): Value {
  if (!isDict(dst)) return dst;
  const deep = (a: Dict, b: Dict): void => {
    for (const [k, v] of Object.entries(b)) {
      if (Object.hasOwn(a, k) && isDict(a[k]) && isDict(v)) {
        setKey(a, k, { ...(a[k] as Dict) });
        deep(a[k] as Dict, v);
      } else if (!Object.hasOwn(a, k) || overwrite || a[k] === null) setKey(a, k, v);
    }
  };
  for (const s of srcs) if (isDict(s)) deep(dst, s);
  return dst;
}

/** Functions that do not need the evaluator. Arguments are already evaluated; UNKNOWN is checked by the caller unless listed in LAZY. */
export const FUNCS: Record<string, (...a: Value[]) => Value> = {
  // Go built-ins
  and: (...a) => {
    for (const x of a) {
      const t = truthy(x);
      if (t === U) return U;
      if (!t) return x;
    }
    return a[a.length - 1] ?? null;
  },
  or: (...a) => {
    for (const x of a) {
      const t = truthy(x);
      if (t === U) return U;
      if (t) return x;
    }
    return a[a.length - 1] ?? null;
  },
  not: (a) => {
    const t = truthy(a);
    return t === U ? U : !t;
  },
  eq: (a, ...b) => b.some((x) => eq(a, x)),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length : isDict(a) ? Object.keys(a).length : 0),
  index: (a, ...keys) => {
    let cur = a;
    for (const k of keys) {
      if (Array.isArray(cur)) cur = num(k) >= 0 && num(k) < cur.length ? cur[num(k)] : U;
      // A map's missing key is nil, as Go's index has it (a list's missing index is an error).
      else if (isDict(cur)) cur = Object.hasOwn(cur, str(k)) ? cur[str(k)] : MISSING;
      else return U;
    }
    return cur;
  },
  print: (...a) => a.map(str).join(''),
  println: (...a) => a.map(str).join(' ') + '\n',
  printf: (f, ...a) => sprintf(str(f), a),
  html: (a) => str(a),
  js: (a) => str(a),
  urlquery: (a) => encodeURIComponent(str(a)),
  // Sprig: strings
  quote: (...a) => a.map((x) => (x === null ? '' : JSON.stringify(str(x)))).join(' '),
  squote: (...a) => a.map((x) => (x === null ? '' : `'${str(x)}'`)).join(' '),
  toString: (a: Value) => str(a),
  toYaml: (a: Value): Value => toYaml(a),
  toJson: (a) => toJson(a),
  fromYaml: (s) => {
    const r = parseYaml(str(s));
    return r.errors.length ? U : fromNode(r.docs[0]?.root, '');
  },
  fromYamlArray: (s) => {
    const r = parseYaml(str(s));
    const v = r.errors.length ? U : fromNode(r.docs[0]?.root, '');
    return Array.isArray(v) ? v : U;
  },
  fromJsonArray: (s) => {
    try {
      const v = JSON.parse(str(s)) as Value;
      return Array.isArray(v) ? v : U;
    } catch {
      return U;
    }
  },
  fromJson: (s) => {
    try {
      return JSON.parse(str(s)) as Value;
    } catch {
      return U;
    }
  },
  toPrettyJson: (a) => (hasUnknown(a) ? U : JSON.stringify(a, null, 2)),
  indent: (n, s) => indentText(num(n), str(s)),
  nindent: (n, s) => '\n' + indentText(num(n), str(s)),
  trim: (s) => str(s).trim(),
  trimAll: (c, s) => str(s).replace(new RegExp(`^[${escapeClass(str(c))}]+|[${escapeClass(str(c))}]+$`, 'g'), ''),
  trimSuffix: (suf, s) => (str(s).endsWith(str(suf)) && str(suf) ? str(s).slice(0, -str(suf).length) : str(s)),
  trimPrefix: (pre, s) => (str(s).startsWith(str(pre)) ? str(s).slice(str(pre).length) : str(s)),
  trunc: (n, s) => (num(n) >= 0 ? str(s).slice(0, num(n)) : str(s).slice(num(n))),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  untitle: (s) => str(s).replace(/(^|\s)(\S)/g, (_, space: string, c: string) => space + c.toLowerCase()),
  // Sprig's substr: from start to end; a negative start reads from 0, a negative or too large end to the end.
  substr: (start, end, s) => {
    const text = str(s);
    const [a, b] = [num(start), num(end)];
    return a < 0 ? text.slice(0, b) : b < 0 || b > text.length ? text.slice(a) : text.slice(a, b);
  },
  // xstrings' case conversions, as Sprig has them: `camelcase "http_server"` is `HttpServer`, `snakecase
  // "HTTPServer"` is `http_server`, `kebabcase "FirstName"` is `first-name`.
  camelcase: (s) => str(s).split(/[_\s-]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
  snakecase: (s) => caseWords(str(s)).join('_'),
  kebabcase: (s) => caseWords(str(s)).join('-'),
  replace: (a, b, s) => str(s).split(str(a)).join(str(b)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (p, s) => str(s).startsWith(str(p)),
  hasSuffix: (p, s) => str(s).endsWith(str(p)),
  repeat: (n, s) => str(s).repeat(Math.max(0, Math.min(num(n), 10000))),
  cat: (...a) => a.filter((x) => x !== null).map(str).join(' '),
  join: (sep, l) => (Array.isArray(l) ? l.map(str).join(str(sep)) : str(l)),
  split: (sep, s) => Object.fromEntries(str(s).split(str(sep)).map((x, i) => [`_${i}`, x])),
  splitList: (sep, s) => str(s).split(str(sep)),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  b64dec: (s) => Buffer.from(str(s), 'base64').toString(),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  sha1sum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  regexMatch: (re, s) => safeRegex(str(re))?.test(str(s)) ?? U,
  regexReplaceAll: (re, s, r) => {
    const x = safeRegex(str(re), 'g');
    return x ? str(s).replace(x, str(r).replace(/\$\{?(\d+)\}?/g, '$$$1')) : U;
  },
  regexFind: (re, s) => safeRegex(str(re))?.exec(str(s))?.[0] ?? '',
  regexFindAll: (re, s, n) => {
    const x = safeRegex(str(re), 'g');
    return x ? limit([...str(s).matchAll(x)].map((m) => m[0]), num(n)) : U;
  },
  regexSplit: (re, s, n) => {
    const x = safeRegex(str(re), 'g');
    return x ? splitN(str(s), x, num(n)) : U;
  },
  // Sprig: defaults and logic
  any: (...a) => anyAll(a, true),
  all: (...a) => anyAll(a, false),
  dig: (...a) => {
    // dig "a" "b" default dict: the value at a.b of dict, or the default when a key is missing.
    if (a.length < 3) return U;
    let v: Value = a[a.length - 1];
    for (const k of a.slice(0, -2)) {
      if (!isDict(v)) return U;
      if (!Object.hasOwn(v, str(k))) return a[a.length - 2];
      v = v[str(k)];
    }
    return v;
  },
  default: (d, v) => (v === undefined ? d : truthy(v) ? v : d),
  empty: (v) => !truthy(v),
  coalesce: (...a) => {
    for (const x of a) {
      const t = truthy(x);
      if (t === U) return U;
      if (t) return x;
    }
    return null;
  },
  ternary: (a, b, c) => {
    const t = truthy(c);
    return t === U ? U : t ? a : b;
  },
  kindIs: (k, v) => kindOf(v) === str(k),
  kindOf: (v) => kindOf(v),
  typeOf: (v) => goTypeName(v),
  typeIs: (t, v) => ({ string: 'string', int: 'int', float64: 'float64', bool: 'bool' })[str(t)] === kindOf(v),
  semverCompare: (c, v) => semverCompare(str(c), str(v)),
  nospace: (s) => str(s).replace(/\s+/g, ''),
  // Sprig's path functions (Go's path package: forward slashes).
  base: (s) => pathBase(str(s)),
  dir: (s) => pathDir(str(s)),
  ext: (s) => {
    const b = pathBase(str(s));
    const dot = b.lastIndexOf('.');
    return dot <= 0 && !b.startsWith('.') ? '' : b.slice(dot);
  },
  semver: (v) => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(str(v).trim());
    return m ? { Major: +m[1], Minor: +(m[2] ?? 0), Patch: +(m[3] ?? 0), Prerelease: m[4] ?? '', Metadata: m[5] ?? '', Original: str(v) } : U;
  },
  // Sprig: numbers
  ceil: (a) => Math.ceil(num(a)),
  floor: (a) => Math.floor(num(a)),
  round: (a, p) => {
    const f = 10 ** Math.max(0, Math.min(num(p), 15));
    return Math.round(num(a) * f) / f;
  },
  int: (a) => Math.trunc(num(a)),
  int64: (a) => Math.trunc(num(a)),
  float64: (a) => num(a),
  atoi: (a) => Math.trunc(num(a)),
  add: (...a) => a.reduce<number>((s, x) => s + num(x), 0),
  add1: (a) => num(a) + 1,
  sub: (a, b) => num(a) - num(b),
  mul: (...a) => a.reduce<number>((s, x) => s * num(x), 1),
  div: (a, b) => (num(b) === 0 ? U : Math.trunc(num(a) / num(b))),
  mod: (a, b) => (num(b) === 0 ? U : num(a) % num(b)),
  max: (...a) => Math.max(...a.map(num)),
  min: (...a) => Math.min(...a.map(num)),
  // Sprig: lists and dicts
  list: (...a) => a,
  tuple: (...a) => a,
  first: (l) => (Array.isArray(l) ? (l.length ? l[0] : null) : U),
  last: (l) => (Array.isArray(l) ? (l.length ? l[l.length - 1] : null) : U),
  rest: (l) => (Array.isArray(l) ? l.slice(1) : U),
  initial: (l) => (Array.isArray(l) ? l.slice(0, -1) : U),
  append: (l, v) => (Array.isArray(l) ? [...l, v] : U),
  prepend: (l, v) => (Array.isArray(l) ? [v, ...l] : U),
  concat: (...ls) => ls.flatMap((l) => (Array.isArray(l) ? l : [])),
  uniq: (l) => (Array.isArray(l) ? [...new Set(l)] : U),
  has: (v, l) => (Array.isArray(l) ? l.some((x) => eq(x, v)) : false),
  compact: (l) => (Array.isArray(l) ? l.filter((x) => truthy(x)) : U),
  dict: (...a) => {
    const d: Dict = {};
    // A value that is not set is nil (a key without a value, as Sprig has it, the empty string).
    for (let i = 0; i < a.length; i += 2) setKey(d, str(a[i]), i + 1 < a.length ? a[i + 1] : '');
    return d;
  },
  set: (d, k, v) => {
    if (isDict(d)) setKey(d, str(k), v);
    return d;
  },
  unset: (d, k) => {
    if (isDict(d)) delete d[str(k)];
    return d;
  },
  hasKey: (d, k) => (isDict(d) ? Object.hasOwn(d, str(k)) : false),
  get: (d, k) => (isDict(d) ? (Object.hasOwn(d, str(k)) ? d[str(k)] : '') : U),
  keys: (...ds) => ds.flatMap((d) => (isDict(d) ? Object.keys(d) : [])),
  values: (d) => (isDict(d) ? Object.values(d) : U),
  // Without a cluster (`helm template`, `--dry-run`), Helm's lookup finds nothing: an empty map. Charts are
  // written for that case (a first install), so their defaults render as they do there.
  lookup: () => ({}),
  reverse: (l) => (Array.isArray(l) ? [...l].reverse() : U),
  slice: (l, ...ij) => (Array.isArray(l) || typeof l === 'string' ? l.slice(...ij.map(num)) : U),
  pluck: (k, ...ds) => ds.filter((d) => isDict(d) && Object.hasOwn(d, str(k))).map((d) => (d as Dict)[str(k)]),
  without: (l, ...vs) => (Array.isArray(l) ? l.filter((x) => !vs.some((v) => eq(x, v))) : U),
  pick: (d, ...ks) => (isDict(d) ? Object.fromEntries(ks.map(str).filter((k) => Object.hasOwn(d, k)).map((k) => [k, d[k]])) : U),
  omit: (d, ...ks) => (isDict(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => !ks.map(str).includes(k))) : U),
  merge: (d, ...s) => merge(false, d, ...s),
  mergeOverwrite: (d, ...s) => merge(true, d, ...s),
  deepCopy: (v) => deepCopy(v, 0),
  sortAlpha: (l) => (Array.isArray(l) ? l.map(str).sort() : U),
  toStrings: (l) => (Array.isArray(l) ? l.map(str) : U),
  until: (n) => Array.from({ length: Math.max(0, Math.min(num(n), 10000)) }, (_x, i) => i),
};

/** Functions that take UNKNOWN arguments themselves instead of being made unknown by them. */
export const LAZY = new Set(['any', 'all', 'and', 'or', 'ternary', 'coalesce', 'hasKey', 'dict', 'list', 'set', 'merge', 'mergeOverwrite', 'index']);

/** Functions for which a value that is not set is nil, as in Helm (for any other, it is unknown). */
export const NIL_OK = new Set(['default', 'empty', 'not', 'any', 'all', 'dig', 'typeOf', 'toYaml', 'toJson', 'toPrettyJson', 'and', 'or', 'coalesce', 'ternary', 'eq', 'ne', 'hasKey', 'kindIs', 'kindOf', 'typeIs', 'len', 'has', 'list', 'dict', 'set', 'merge', 'mergeOverwrite']);

/** Functions whose result is never known (cluster state, randomness, time, files). */
export const OPAQUE = new Set(['randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'uuidv4', 'now', 'date', 'dateInZone', 'genCA', 'genSelfSignedCert', 'genSignedCert', 'genPrivateKey', 'derivePassword', 'htpasswd', 'getHostByName', 'env', 'expandenv']);

function deepCopy(v: Value, depth: number): Value {
  if (depth > 100) return U;
  if (Array.isArray(v)) return v.map((x) => deepCopy(x, depth + 1));
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x, depth + 1)]));
  return v;
}

function escapeClass(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&');
}

/** The first n items, as Sprig's `n` arguments count them (a negative n: all). */
function limit<T>(items: T[], n: number): T[] {
  return n < 0 ? items : items.slice(0, n);
}

/** Go's Regexp.Split: at most n pieces, the last one the unsplit rest (n < 0: all; n = 0: none). */
function splitN(s: string, re: RegExp, n: number): string[] {
  if (n === 0) return [];
  const out: string[] = [];
  let from = 0;
  for (const m of s.matchAll(re)) {
    if (n > 0 && out.length === n - 1) break;
    if (m[0] === '' && (m.index === 0 || m.index === s.length)) continue;
    out.push(s.slice(from, m.index));
    from = m.index + m[0].length;
  }
  out.push(s.slice(from));
  return out;
}

/** Sprig's `any` (some argument is truthy) and `all` (every one is); unknown when an unknown one decides. */
function anyAll(args: Value[], any: boolean): boolean | Unknown {
  let unknown = false;
  for (const x of args) {
    const t = truthy(x);
    if (t === U) unknown = true;
    else if (t === any) return any;
  }
  return unknown ? U : !any;
}

function safeRegex(re: string, flags = ''): RegExp | undefined {
  try {
    return new RegExp(re, flags);
  } catch {
    return undefined;
  }
}

/** The lowercase words of a camel-, snake- or kebab-case name (`HTTPServer` -> `http`, `server`). */
function caseWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}
