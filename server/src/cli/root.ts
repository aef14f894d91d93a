// The repository root the CLI's reports are relative to (SARIF URIs, GitHub annotations, GitLab paths):
// `--root`, else the nearest folder above the working folder holding `.git` (a folder, or the file a
// worktree or submodule has), else the working folder. Found by walking up: no `git` process.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function findRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/** A file's path relative to the root, `/`-separated; undefined when the file is outside the root. */
export function relativeToRoot(root: string, file: string): string | undefined {
  const rel = path.relative(root, path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** `file:///...` for an absolute path (folders end with `/`). */
export function fileUri(absolute: string, folder = false): string {
  const parts = path.resolve(absolute).split(path.sep).map(encodeURIComponent);
  const joined = parts.join('/');
  return `file://${joined.startsWith('/') ? '' : '/'}${joined}${folder && !joined.endsWith('/') ? '/' : ''}`;
}
