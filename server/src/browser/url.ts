// `node:url` in the browser's server bundle (scripts/build.mjs resolves it here): `file:` URLs and POSIX
// paths, through the WHATWG URL that browsers have.
export function fileURLToPath(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'file:') throw new TypeError(`The URL must be of scheme file: ${u.href}`);
  return decodeURIComponent(u.pathname);
}

export function pathToFileURL(path: string): URL {
  const u = new URL('file:///');
  u.pathname = path.replace(/%/g, '%25');
  return u;
}
