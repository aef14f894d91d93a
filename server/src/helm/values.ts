// Template values: plain data (from values files), an UNKNOWN marker for what cannot be known, and where
// each value of a values file was written (for related locations).
import { deref, type Node } from '../documents/nodes';

/** What cannot be evaluated: an unset value, `lookup`, a function we do not implement. Never fires a rule. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/**
 * A value that is not set (a key absent from the values). As Helm renders it, it is nil in a condition and
 * for `default`/`empty`/`and`/`or`/`eq`/`hasKey`... (so the branch it guards is off with the default values);
 * printed, or passed to any other function, it is unknown.
 */
export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;

export type Fn = (...args: Value[]) => Value;
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Fn | Unknown | Missing;
export type Dict = { [key: string]: Value };

/** Where a value was set: a range in a values file, and its path (`service.type`). */
export interface Origin {
  uri: string;
  start: number;
  end: number;
  path: string;
}

/** Origins of the entries of maps and lists read from values files (keyed by the container). */
const ORIGINS = new WeakMap<object, Map<string, Origin>>();

export function originOf(container: Value, key: string): Origin | undefined {
  return typeof container === 'object' && container !== null ? ORIGINS.get(container)?.get(key) : undefined;
}

function setOrigin(container: object, key: string, origin: Origin): void {
  let m = ORIGINS.get(container);
  if (!m) ORIGINS.set(container, (m = new Map()));
  m.set(key, origin);
}

/** Sets a key, `__proto__` included (as an own property, never the prototype). */
export function setKey(d: Dict, k: string, v: Value): void {
  if (k === '__proto__') Object.defineProperty(d, k, { value: v, enumerable: true, writable: true, configurable: true });
  else d[k] = v;
}

export function isDict(v: Value): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Plain data from a YAML node, recording where each entry was written. */
export function fromNode(node: Node | undefined, uri: string, path = '', depth = 0): Value {
  const n = deref(node);
  if (!n || depth > 100) return null;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') {
    const out: Value[] = [];
    n.items.forEach((item, i) => {
      out.push(fromNode(item, uri, `${path}[${i}]`, depth + 1));
      setOrigin(out, String(i), { uri, start: item.start, end: item.end, path: `${path}[${i}]` });
    });
    return out;
  }
  const out: Dict = {};
  for (const p of n.pairs) {
    const key = String(p.key.value);
    const sub = path ? `${path}.${key}` : key;
    if (key === '<<') continue;
    setKey(out, key, fromNode(p.value, uri, sub, depth + 1));
    setOrigin(out, key, { uri, start: p.key.start, end: Math.max(p.value.end, p.key.end), path: sub });
  }
  return out;
}

/** `overlay` merged into `base` as Helm merges `-f` files: maps deeply, anything else replaced; null deletes. */
export function mergeValues(base: Value, overlay: Value): Value {
  if (!isDict(base) || !isDict(overlay)) return overlay;
  const out: Dict = {};
  for (const [k, v] of Object.entries(base)) {
    setKey(out, k, v);
    const o = originOf(base, k);
    if (o) setOrigin(out, k, o);
  }
  for (const [k, v] of Object.entries(overlay)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    setKey(out, k, Object.hasOwn(out, k) && isDict(out[k]) && isDict(v) ? mergeValues(out[k], v) : v);
    const o = originOf(overlay, k);
    if (o) setOrigin(out, k, o);
  }
  return out;
}

/** A copy of values for one render (`merge`, `set` and `unset` change maps in place), origins kept. */
export function cloneValues(v: Value, depth = 0): Value {
  if (typeof v !== 'object' || v === null || depth > 100) return v;
  let out: Value;
  if (Array.isArray(v)) {
    const a: Value[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneValues(v[i], depth + 1);
    out = a;
  } else {
    const d: Dict = {};
    for (const k of Object.keys(v)) setKey(d, k, cloneValues(v[k], depth + 1));
    out = d;
  }
  const origins = ORIGINS.get(v);
  if (origins) ORIGINS.set(out, origins);
  return out;
}

/** Go template truth: false, 0, nil, empty strings, lists and maps are false. */
export function truthy(v: Value): boolean | Unknown {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === MISSING) return false;
  if (v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** True when the value is or contains UNKNOWN (bounded). */
export function hasUnknown(v: Value, depth = 0): boolean {
  if (v === UNKNOWN || v === MISSING) return true;
  if (depth > 50 || typeof v !== 'object' || v === null) return false;
  return (Array.isArray(v) ? v : Object.values(v)).some((x) => hasUnknown(x, depth + 1));
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Math.abs(n) >= 1e6 && Math.abs(n) >= 1e21 ? n.toExponential() : String(n);
  return String(n);
}

/** How Go's fmt prints a value (`{{ .x }}`, `print`, `toString`). */
export function goString(v: Value): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'function' || v === UNKNOWN || v === MISSING) return '';
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  return `map[${Object.keys(v)
    .sort()
    .map((k) => `${k}:${goString(v[k])}`)
    .join(' ')}]`;
}

// ---- toYaml (as sigs.k8s.io/yaml: keys sorted, two-space indent, lists not indented under their key) ----

const PLAIN_UNSAFE = /^$|^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s#|:$|\s$|^(true|false|yes|no|on|off|y|n|null|~)$|^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0x[0-9a-f]+|0o[0-7]+|\.inf)$|^\.(inf|nan)$|^\d{4}-\d\d-\d\d|^[0-9:]+$|[\n\t]/i;

function yamlScalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return typeof v === 'number' ? goNumber(v) : String(v);
  if (!PLAIN_UNSAFE.test(v)) return v;
  if (v.includes('\n')) return JSON.stringify(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * A multi-line string as go-yaml writes it, a literal block (`|`, `|-` without a final line break, `|+` with
 * more than one) indented under its key: the header and the lines. Undefined when a block cannot hold it
 * (a space before a line break, a leading space or tab, other control characters): then it is quoted.
 */
function literalBlock(v: string, indent: string): string[] | undefined {
  if (!v.includes('\n') || / \n|\t|^[ \n]|[\u0000-\u0008\u000b-\u001f\u007f]/.test(v) || v.endsWith(' ')) return undefined;
  const body = v.replace(/\n+$/, '');
  const trailing = v.length - body.length;
  const header = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  const lines = body.split('\n').map((l) => (l ? indent + l : ''));
  return [header, ...lines, ...(trailing > 1 ? Array<string>(trailing - 1).fill('') : [])];
}

export function toYaml(v: Value): string | Unknown {
  if (hasUnknown(v)) return UNKNOWN;
  const lines: string[] = [];
  const emit = (x: Value, indent: string, depth: number): void => {
    if (depth > 60) return;
    if (Array.isArray(x)) {
      for (const item of x) {
        if ((isDict(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) {
          const sub: string[] = [];
          const save = lines.length;
          emit(item, indent + '  ', depth + 1);
          sub.push(...lines.splice(save));
          lines.push(`${indent}- ${sub[0].slice(indent.length + 2)}`, ...sub.slice(1));
        } else scalar(`${indent}- `, item, indent);
      }
      return;
    }
    if (isDict(x)) {
      for (const k of Object.keys(x).sort()) {
        const val = x[k];
        const key = yamlScalar(k);
        if (isDict(val) && Object.keys(val).length) {
          lines.push(`${indent}${key}:`);
          emit(val, indent + '  ', depth + 1);
        } else if (Array.isArray(val) && val.length) {
          lines.push(`${indent}${key}:`);
          emit(val, indent, depth + 1);
        } else scalar(`${indent}${key}: `, val, indent);
      }
      return;
    }
    scalar(indent, x, indent);
  };
  /** A value written after `prefix`: a multi-line string as a literal block indented under it, else inline. */
  const scalar = (prefix: string, x: Value, indent: string) => {
    const block = typeof x === 'string' ? literalBlock(x, indent + '  ') : undefined;
    if (block) lines.push(prefix + block[0], ...block.slice(1));
    else lines.push(prefix + inline(x));
  };
  const inline = (x: Value): string => {
    if (Array.isArray(x)) return '[]';
    if (isDict(x)) return '{}';
    if (typeof x === 'function' || x === UNKNOWN || x === MISSING) return 'null';
    return yamlScalar(x);
  };
  if (isDict(v) && !Object.keys(v).length) return '{}';
  if (Array.isArray(v) && !v.length) return '[]';
  emit(v, '', 0);
  return lines.join('\n');
}

export function toJson(v: Value): string | Unknown {
  if (hasUnknown(v)) return UNKNOWN;
  return JSON.stringify(v, (_k, x) => (typeof x === 'function' ? null : x)) ?? 'null';
}
