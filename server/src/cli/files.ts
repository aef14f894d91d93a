// Which files the CLI reads: explicit paths as given, directories walked for template extensions.
// Anything that cannot be read (no permission, a symlink loop) is skipped with one warning, and so is
// anything that is not a regular file (a FIFO, a socket, a device: reading one could block forever).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mayClaim } from '../kinds';

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Called with one line for each path that is skipped. */
export type Warn = (message: string) => void;

export function collectFiles(paths: string[], warn: Warn = () => {}): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      warn(`skipped ${p}: ${reason(e)}`);
      continue;
    }
    if (!stat) throw new UsageError(`No such file or directory: ${p}`);
    if (stat.isDirectory()) walk(p, out, warn);
    else if (stat.isFile()) out.push(p);
    else warn(`skipped ${p}: not a regular file`);
  }
  return out;
}

function walk(dir: string, out: string[], warn: Warn): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    warn(`skipped folder ${dir}: ${reason(e)}`);
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(full, out, warn);
    } else if (e.isFile() && mayClaim(e.name)) out.push(full);
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

/** Thrown when a path turns out not to be a regular file when it is opened. */
export class NotAFileError extends Error {}

/** Thrown instead of reading a file larger than `maxBytes`. */
export class TooLargeError extends Error {}

/**
 * Reads a regular file's text. Opened without blocking (a path that became a FIFO since it was listed
 * must not hang the run) and checked to be a regular file before anything is read.
 */
export function readRegularFile(file: string, maxBytes = Infinity): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotAFileError('not a regular file');
    if (stat.size > maxBytes) throw new TooLargeError(`${stat.size} bytes`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export class UsageError extends Error {}
