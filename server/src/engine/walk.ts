// The folders KB Hints walks for files it may lint (the CLI's folders and globs, the server's background
// index): entries in name order, without node_modules, .git and CDK integ snapshots; an unreadable folder costs one warning.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mayClaim } from '../kinds';
import { sortByName } from './collate';

const SKIP_DIRS = new Set(['node_modules', '.git']);

/**
 * Folders a walk does not enter: dependencies, git's store, and CDK integ-test snapshots
 * (`integ.app.ts.snapshot/`), generated copies of test stacks that `integ-runner` rewrites. A file in one
 * is linted when it is named or opened.
 */
export function skippedFolder(name: string): boolean {
  return SKIP_DIRS.has(name) || name.endsWith('.snapshot');
}

/** A folder's entries sorted by name; an unreadable folder is skipped with one warning. */
export function readFolder(dir: string, warn: (message: string) => void): fs.Dirent[] {
  try {
    return sortByName(fs.readdirSync(dir, { withFileTypes: true }), (e) => e.name);
  } catch (e) {
    warn(`skipped folder ${dir}: ${reason(e)}`);
    return [];
  }
}

/**
 * The files under `dir` some kind may claim, depth first in name order. A generator, so that the server
 * can walk a large workspace a slice at a time. `snapshotSkipped` hears of each integ snapshot folder left out.
 */
export function* walkFiles(dir: string, warn: (message: string) => void, snapshotSkipped?: (dir: string) => void): Generator<string> {
  // An entry's name is one plain segment: `path.join(dir, name)` is the same prefix before every name.
  const prefix = path.join(dir, 'x').slice(0, -1);
  for (const e of readFolder(dir, warn)) {
    const full = prefix + e.name;
    if (e.isDirectory()) {
      if (!skippedFolder(e.name)) yield* walkFiles(full, warn, snapshotSkipped);
      else if (!SKIP_DIRS.has(e.name)) snapshotSkipped?.(full);
    } else if (e.isFile() && mayClaim(e.name)) yield full;
  }
}

/** A short reason for a file system error: `permission denied (EACCES)`. */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return `permission denied (${err.code})`;
  if (err?.code === 'ELOOP') return 'too many levels of symbolic links (ELOOP)';
  if (err?.code === 'ENOENT') return 'no longer exists (ENOENT)';
  return err?.code ? `cannot be read (${err.code})` : String((e as Error)?.message ?? e);
}
