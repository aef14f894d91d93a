// Which files the CLI reads: explicit paths as given, directories walked for template extensions.
// Anything that cannot be read (no permission, a symlink loop) is skipped with one warning, and so is
// anything that is not a regular file (a FIFO, a socket, a device: reading one could block forever).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob, Glob } from '../engine/config';
import { readFolder, reason, skippedFolder, walkFiles } from '../engine/walk';

/** Called with one line for each path that is skipped. */
export type Warn = (message: string) => void;

export interface CollectOptions {
  /** A path that does not exist, or a glob that matches nothing, is a warning instead of a UsageError. */
  allowUnmatched?: boolean;
  /** Filled with the CDK integ-test snapshot folders the walk left out (for "nothing to lint"). */
  snapshotsSkipped?: string[];
}

/**
 * The files named by the arguments: files as given, folders walked, and glob patterns (`'**' + '/*.yaml'`,
 * quoted so that the shell leaves them alone) expanded with the project's glob matcher, relative to the
 * working folder; a pattern matches any file name, not only the ones the kinds claim.
 */
export function collectFiles(paths: string[], warn: Warn = () => {}, options: CollectOptions = {}): string[] {
  const out: string[] = [];
  const unmatched = (message: string) => {
    if (!options.allowUnmatched) throw new UsageError(`${message} (--no-error-on-unmatched makes this a warning)`);
    warn(message);
  };
  for (const p of paths) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      warn(`skipped ${p}: ${reason(e)}`);
      continue;
    }
    if (!stat && isGlob(p)) {
      const before = out.length;
      expandGlob(p, out, warn);
      if (out.length === before) unmatched(`No file matches the pattern: ${p}`);
      continue;
    }
    if (!stat) {
      unmatched(`No such file or directory: ${p}`);
      continue;
    }
    if (stat.isDirectory()) for (const f of walkFiles(p, warn, (d) => options.snapshotsSkipped?.push(d))) out.push(f);
    else if (stat.isFile()) out.push(p);
    else warn(`skipped ${p}: not a regular file`);
  }
  // A file named twice (a folder and a pattern over it) is linted once, where it was first named.
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = absolutePath(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const ABSOLUTE = new Map<string, string>();

/** `path.resolve(file)`, worked out once per path (the CLI asks for each file's several times in a run). */
export function absolutePath(file: string): string {
  let p = ABSOLUTE.get(file);
  if (p === undefined) ABSOLUTE.set(file, (p = path.resolve(file)));
  return p;
}

const GLOB_CHARS = /[*?[{]/;

export function isGlob(p: string): boolean {
  return GLOB_CHARS.test(p);
}

/**
 * Expands a pattern: the folders before its first segment with a glob character are the base, walked
 * (without node_modules and .git, unless the pattern names them); the rest is matched, anchored, against
 * paths relative to that base.
 */
function expandGlob(pattern: string, out: string[], warn: Warn): void {
  const segments = pattern.replace(/\\/g, '/').split('/');
  const first = segments.findIndex((s) => isGlob(s));
  const base = segments.slice(0, first).join('/') || (pattern.startsWith('/') ? '/' : '.');
  const rest = segments.slice(first).join('/');
  const glob = compileGlob(`/${rest}`);
  if (!(glob instanceof Glob)) throw new UsageError(`Invalid glob pattern '${pattern}': ${glob.error}`);
  // A pattern that names a skipped folder (`node_modules/**/*.yaml`) walks into such folders.
  const namesSkipped = !segments.some((s) => !isGlob(s) && skippedFolder(s));
  const visit = (dir: string, rel: string) => {
    for (const e of readFolder(dir, warn)) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!(namesSkipped && skippedFolder(e.name))) visit(full, r);
      } else if (e.isFile() && glob.test(r)) out.push(base === '.' && !pattern.startsWith('./') ? r.split('/').join(path.sep) : full);
    }
  };
  if (fs.statSync(base, { throwIfNoEntry: false })?.isDirectory()) visit(base, '');
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
