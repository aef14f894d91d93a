// `kb-hints lint --cache`: findings of unchanged files are read from a cache file instead of linted again.
//
// A file's entry is used when its key is the same: the file's content (a hash), the linter itself (the
// version and a hash of the running bundle, which holds the rules and the KB), and the configuration that
// applies to it (severities, the declared environment, the team rule and topic folders with a hash of
// their files). A file whose lint read the workspace index (cross-file rules) is also keyed on a hash of
// the whole index: the index entries of every file in the run. Each entry keeps the file's own index
// entries, so unchanged files need not be parsed for the index either: only changed files are linted,
// then the files that read the index, if the index changed.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/run';
import type { WorkspaceSnapshot } from '../engine/workspace';
import type { TeamDirs } from '../team/project';
import { KnownPositions, type Position } from '../documents/lines';
import { VERSION } from '../version';
import type { FileResult } from './format';
import { absolutePath } from './files';
import { lintFiles, type LintFilesOptions } from './parallel';

/** Where the cache is written unless --cache-location says otherwise (in the working directory). */
export const DEFAULT_CACHE_FILE = '.kbhints-cache';
const FORMAT = 1;

interface Entry {
  key: string;
  kind?: string;
  skipped?: string;
  findings: Finding[];
  positions: Array<[number, number, number]>;
  lineTexts: string[];
  /** The file's own index entries. */
  index: WorkspaceSnapshot;
  /** Set when its lint read the workspace index: the index hash it was linted with. */
  workspace?: string;
}

interface CacheFile {
  format: number;
  files: Record<string, Entry>;
}

/** The cache file for `--cache-location` (a directory gets DEFAULT_CACHE_FILE inside it). */
export function cachePath(location: string | undefined): string {
  const p = path.resolve(location ?? DEFAULT_CACHE_FILE);
  try {
    if (fs.statSync(p).isDirectory() || /[\\/]$/.test(location ?? '')) return path.join(p, DEFAULT_CACHE_FILE);
  } catch {
    // Not there yet: a file.
  }
  return p;
}

export interface CacheStats {
  hits: number;
  linted: number;
}

/**
 * Lints `files` as `lintFiles` does, reading unchanged files' results from the cache at `file` and writing
 * it back afterwards. Results are the same as without the cache, in the order of `files`.
 */
export async function lintFilesCached(files: string[], options: LintFilesOptions, file: string, warn: (message: string) => void, stats?: CacheStats): Promise<FileResult[]> {
  const cache = load(file);
  const linter = linterDigest();
  const dirDigests = new Map<string, string>();
  const absolute = files.map(absolutePath);
  const read = new FileBytes();
  const keys = files.map((f, i) => {
    let content: string;
    try {
      content = createHash('sha256').update(read.bytes(f)).digest('base64');
    } catch {
      content = 'unreadable';
    }
    const config = JSON.stringify([options.severities(f), options.environment?.(f) ?? null, teamDigest(options.team?.(f), dirDigests)]);
    return createHash('sha256').update(`${FORMAT}\0${linter}\0${absolute[i]}\0${content}\0${config}`).digest('base64');
  });
  const entryOf = (i: number): Entry | undefined => {
    const e = cache.files[absolute[i]];
    return e && e.key === keys[i] ? e : undefined;
  };
  const results: Array<FileResult | undefined> = new Array(files.length);
  const index = new Map<number, WorkspaceSnapshot>();
  const reads = new Set<number>();
  // 1. Changed files (no entry for their key) are linted, with the index entries of the unchanged ones.
  const changed: number[] = [];
  files.forEach((_, i) => {
    const e = entryOf(i);
    if (e) index.set(i, e.index);
    else changed.push(i);
  });
  const run = async (which: number[]) => {
    if (!which.length) return;
    const others = new Set(which);
    const base: WorkspaceSnapshot = [];
    for (const [i, entries] of index) if (!others.has(i)) base.push(...entries);
    let full: WorkspaceSnapshot = base;
    const out = await lintFiles(
      which.map((i) => files[i]),
      { ...options, workspace: base, indexed: (s) => (full = s) },
    );
    const byUri = groupByUri(full);
    which.forEach((i, k) => {
      results[i] = out[k];
      index.set(i, byUri.get(files[i]) ?? []);
      if (out[k].readsWorkspace) reads.add(i);
    });
  };
  await run(changed);
  // 2. The whole index is known: unchanged files that read it are linted again if it changed.
  const workspace = indexDigest(files.map((f, i) => [f, index.get(i) ?? []]));
  const stale: number[] = [];
  files.forEach((_, i) => {
    if (results[i]) return;
    const e = entryOf(i)!;
    if (e.workspace !== undefined && e.workspace !== workspace) stale.push(i);
    else results[i] = fromEntry(files[i], e);
  });
  await run(stale);
  if (stats) {
    stats.linted = changed.length + stale.length;
    stats.hits = files.length - stats.linted;
  }
  // 3. Written back: this run's files, and what other runs left for other files. When every file hit,
  // the entries are the ones read: the file stays as it is.
  if (changed.length || stale.length) {
    for (const [i, r] of results.entries()) cache.files[absolute[i]] = toEntry(keys[i], r!, index.get(i) ?? [], r!.readsWorkspace || reads.has(i) ? workspace : undefined);
    save(file, cache, warn);
  }
  return results as FileResult[];
}

/**
 * Reads files' bytes into one buffer, reused: hashing every file of a run then allocates nothing per file
 * (a buffer per file, as readFileSync gives, costs the run's garbage collector a few ms on the corpus).
 */
class FileBytes {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /** The file's bytes, valid until the next call. */
  bytes(file: string): Buffer {
    // Not blocking, as the lint reads (files.ts): a path that became a FIFO fails here instead of hanging.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const n = fs.readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) return this.buffer.subarray(0, length);
        length += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

function groupByUri(snapshot: WorkspaceSnapshot): Map<string, WorkspaceSnapshot> {
  const out = new Map<string, WorkspaceSnapshot>();
  for (const e of snapshot) {
    let list = out.get(e[0]);
    if (!list) out.set(e[0], (list = []));
    list.push(e);
  }
  return out;
}

function indexDigest(perFile: Array<[string, WorkspaceSnapshot]>): string {
  const h = createHash('sha256');
  for (const [f, entries] of [...perFile].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) h.update(`${f}\0${JSON.stringify(entries)}\0`);
  return h.digest('base64');
}

let bundleDigest: string | undefined;

/** The linter itself: its version and the running code (the rules and the KB are bundled in it). */
function linterDigest(): string {
  if (bundleDigest === undefined) {
    let code = '';
    try {
      code = createHash('sha256').update(fs.readFileSync(__filename)).digest('base64');
    } catch {
      code = 'unknown';
    }
    bundleDigest = `${VERSION}\0${code}`;
  }
  return bundleDigest;
}

/** The team folders and everything in them (names and contents). */
function teamDigest(dirs: TeamDirs | undefined, memo: Map<string, string>): string[] {
  if (!dirs) return [];
  return [...dirs.rules, '\0', ...dirs.kb].map((d) => {
    if (d === '\0') return d;
    let hit = memo.get(d);
    if (hit === undefined) memo.set(d, (hit = `${d}:${dirDigest(d)}`));
    return hit;
  });
}

function dirDigest(dir: string): string {
  const h = createHash('sha256');
  const visit = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      h.update('missing');
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      h.update(`${e.name}\0`);
      if (e.isDirectory() && depth < 8) visit(full, depth + 1);
      else if (e.isFile()) {
        try {
          h.update(fs.readFileSync(full));
        } catch {
          h.update('unreadable');
        }
      }
    }
  };
  visit(dir, 0);
  return h.digest('base64');
}

function fromEntry(file: string, e: Entry): FileResult {
  const positions = new Map<number, Position>();
  for (const [offset, line, character] of e.positions) positions.set(offset, { line, character });
  return { path: file, kind: e.kind, skipped: e.skipped, findings: e.findings, lines: new KnownPositions(positions), lineTexts: e.lineTexts, ...(e.workspace !== undefined ? { readsWorkspace: true } : {}) };
}

function toEntry(key: string, r: FileResult, index: WorkspaceSnapshot, workspace: string | undefined): Entry {
  const positions: Array<[number, number, number]> = [];
  const seen = new Set<number>();
  const add = (o: number) => {
    if (seen.has(o)) return;
    seen.add(o);
    const p = r.lines.position(o);
    positions.push([o, p.line, p.character]);
  };
  for (const f of r.findings) {
    add(f.start);
    add(f.end);
    for (const rel of f.related) {
      add(rel.start);
      add(rel.end);
    }
  }
  return { key, kind: r.kind, skipped: r.skipped, findings: r.findings, positions, lineTexts: r.lineTexts ?? [], index, ...(workspace !== undefined ? { workspace } : {}) };
}

function load(file: string): CacheFile {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (c && c.format === FORMAT && c.files && typeof c.files === 'object') return c;
  } catch {
    // Missing or unreadable: an empty cache.
  }
  return { format: FORMAT, files: {} };
}

function save(file: string, cache: CacheFile, warn: (message: string) => void): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(cache));
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean
    }
    warn(`warning: could not write the cache ${file}: ${(e as Error).message}`);
  }
}

