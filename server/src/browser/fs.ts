// `node:fs` in the browser's server bundle (scripts/build.mjs resolves it here): a disk without files. The
// engine modules that look for Helm charts, team folders and `.kbhints.yaml` on disk then find nothing and
// go on as they do when a file is missing. The LSP modules read files through ServerHost, not this.
function missing(path: unknown): never {
  throw Object.assign(new Error(`ENOENT: no such file or directory (a browser has no disk): ${String(path)}`), { code: 'ENOENT' });
}

export function readFileSync(path: unknown): never {
  return missing(path);
}

export function readdirSync(path: unknown): never {
  return missing(path);
}

export function statSync(path: unknown, options?: { throwIfNoEntry?: boolean }): undefined {
  return options?.throwIfNoEntry === false ? undefined : missing(path);
}
