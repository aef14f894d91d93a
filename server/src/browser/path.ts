// `node:path` in the browser's server bundle (scripts/build.mjs resolves it here): the POSIX functions the
// engine uses on file paths, with `/` as the working folder (a browser has none).
export const sep = '/';

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** The segments of a path with `.` and `..` applied (`..` above the root of an absolute path stays at the root). */
function segments(p: string, absolute: boolean): string[] {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (!s || s === '.') continue;
    if (s !== '..') out.push(s);
    else if (out.length && out[out.length - 1] !== '..') out.pop();
    else if (!absolute) out.push('..');
  }
  return out;
}

export function normalize(p: string): string {
  if (!p) return '.';
  const absolute = isAbsolute(p);
  const s = segments(p, absolute).join('/');
  const trailing = p.endsWith('/') ? '/' : '';
  return absolute ? `/${s}${s ? trailing : ''}` : `${s || '.'}${trailing}`;
}

export function join(...parts: string[]): string {
  const joined = parts.filter(Boolean).join('/');
  return joined ? normalize(joined) : '.';
}

export function resolve(...parts: string[]): string {
  let p = '';
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(p); i--) if (parts[i]) p = p ? `${parts[i]}/${p}` : parts[i];
  return `/${segments(p, true).join('/')}`;
}

/** As Node's: the path up to its last separator (trailing ones aside); `//` stays as it is. */
export function dirname(p: string): string {
  if (!p) return '.';
  let end = -1;
  let trailing = true;
  for (let i = p.length - 1; i >= 1; i--) {
    if (p[i] !== '/') trailing = false;
    else if (!trailing) {
      end = i;
      break;
    }
  }
  if (end === -1) return isAbsolute(p) ? '/' : '.';
  return isAbsolute(p) && end === 1 ? '//' : p.slice(0, end);
}

export function basename(p: string, ext?: string): string {
  // Node's own quirk, kept so that both runtimes agree: with an extension at most as long as a path of
  // slashes only, the path comes back whole.
  if (ext && p.length >= ext.length && /^\/+$/.test(p)) return p;
  const trimmed = p.replace(/(.)\/+$/, '$1');
  const base = trimmed === '/' ? '' : trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && base !== ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

export function relative(from: string, to: string): string {
  const a = segments(resolve(from), true);
  const b = segments(resolve(to), true);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
