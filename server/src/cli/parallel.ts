// Lints the CLI's files: in this thread for small inputs, else on worker threads (`--jobs N`).
//
// Cross-file rules read the workspace index (StorageClasses from every file), so the parallel run has
// two phases. Phase 1: workers take batches of files (largest first), parse and lint each one, and send
// back its index entries; a file whose lint read the workspace (the index is still incomplete then) is
// kept for phase 2 instead. Phase 2: once every file is indexed, each worker lints its kept files with
// the complete index. Results come back in the order of the file list, exactly as a sequential run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DEFAULT_MAX_SIZE, type ParsedFile } from '../documents/parse';
import { parseFile } from '../kinds';
import { TeamKbs, type TeamDirs } from '../team/project';
import { KnownPositions, type Position } from '../documents/lines';
import { lint, LintDeferred, type Finding, type SeverityOverrides } from '../engine/run';
import { WorkspaceIndex, type WorkspaceSnapshot } from '../engine/workspace';
import type { Environment } from '../engine/environment';
import type { FileResult } from './format';
import { readRegularFile, TooLargeError } from './files';
import { reason } from '../engine/walk';

export interface LintFilesOptions {
  /** Worker threads; 1 lints in this thread. Default: the available cores. */
  jobs?: number;
  severities: (path: string) => SeverityOverrides;
  /** The environment `.kbhints.yaml` declares for a file (default: nothing declared). */
  environment?: (path: string) => Environment;
  /** The team rule and topic folders for a file (team rules join the built-in ones). */
  team?: (path: string) => TeamDirs | undefined;
  /** Texts to lint instead of reading the path (standard input, `kb-hints lint -`); such a run uses one thread. */
  texts?: ReadonlyMap<string, string>;
  /** Index entries of files not linted in this run (the cache's): cross-file rules see them too. */
  workspace?: WorkspaceSnapshot;
  /** Given the complete workspace index once every file was indexed (the cache keeps each file's entries). */
  indexed?: (snapshot: WorkspaceSnapshot) => void;
}

/**
 * Below this much input, workers cost more than they save: each one is an isolate of its own, with its
 * own JIT warm-up and garbage collector. On a two-core machine a single thread already keeps both
 * cores busy (V8's concurrent GC and compiler run beside it), so workers barely pay off there: measured
 * on 100 MB, 2.3 s on one thread or two; with V8's helper threads off (--single-threaded), 3.4 s on one
 * thread and 2.3 s on two, the gain more cores bring. Tests lower it through the environment.
 */
export const PARALLEL_MIN_BYTES = Number(process.env.KB_HINTS_PARALLEL_MIN_BYTES) >= 0 && process.env.KB_HINTS_PARALLEL_MIN_BYTES ? Number(process.env.KB_HINTS_PARALLEL_MIN_BYTES) : 32 * 1024 * 1024;
const BATCH_BYTES = 256 * 1024;
/** A larger young generation: parse trees are short-lived garbage or survive to the end, so fewer scavenges pay off. */
const YOUNG_MB = Number(process.env.KB_HINTS_YOUNG_MB) || 64;
const BATCH_FILES = 32;
/** A worker keeps at most this much text parsed for phase 2; beyond it, files are parsed again. */
const KEEP_BYTES = 64 * 1024 * 1024;

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Editors drop a BOM before counting columns; so does the CLI. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function read(path: string): string {
  // A UTF-16 unit takes at most 3 UTF-8 bytes: a file over 3x the limit in bytes is over it in text, and
  // is skipped without being read into memory.
  return stripBom(readRegularFile(path, 3 * DEFAULT_MAX_SIZE));
}

/** Prefix of `skipped` for a file that could not be read; the CLI prints one warning for each. */
export const UNREADABLE = 'unreadable: ';

/** Parses a file, or gives a skipped, empty parse when it cannot be read (the run goes on). */
function parsePath(path: string, texts?: ReadonlyMap<string, string>): ParsedFile {
  const given = texts?.get(path);
  if (given !== undefined) return parseFile(stripBom(given), path);
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    const file = parseFile('', path);
    file.skipped = e instanceof TooLargeError ? `larger than ${Math.round(DEFAULT_MAX_SIZE / 1024)} KB` : `${UNREADABLE}${reason(e)}`;
    return file;
  }
  return parseFile(text, path);
}

export async function lintFiles(files: string[], options: LintFilesOptions): Promise<FileResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  if (jobs > 1 && files.length > 1 && !options.texts?.size) {
    const sizes = files.map((f) => {
      try {
        return fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
      } catch {
        return 0;
      }
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total >= PARALLEL_MIN_BYTES) return lintParallel(files, sizes, Math.min(jobs, files.length), options);
  }
  return lintSequential(files, options);
}

/** One thread: the same two phases as the workers, so that parse trees are dropped as soon as possible. */
function lintSequential(files: string[], options: LintFilesOptions): FileResult[] {
  const results: FileResult[] = new Array(files.length);
  const linter = new FileLinter(options.texts);
  const workspace = new WorkspaceIndex();
  if (options.workspace) workspace.merge(options.workspace);
  const take = (r: WorkerResult) => {
    if (!r.deferred) results[r.index] = toFileResult(files[r.index], r);
  };
  files.forEach((path, index) => {
    const { result, entries } = linter.add(jobFor(options, index, path));
    workspace.merge(entries);
    take(result);
  });
  const snapshot = workspace.snapshot();
  options.indexed?.(snapshot);
  for (const r of linter.finish(snapshot)) take(r);
  return results;
}

function toFileResult(path: string, r: WorkerResult): FileResult {
  const positions = new Map<number, Position>();
  for (const [offset, line, character] of r.positions ?? []) positions.set(offset, { line, character });
  return { path, kind: r.kind, skipped: r.skipped, findings: r.findings ?? [], lines: new KnownPositions(positions), lineTexts: r.lineTexts ?? [], ...(r.readsWorkspace ? { readsWorkspace: true } : {}) };
}

// ---- the protocol between the main thread and the workers ---------------------------------------

interface Job {
  index: number;
  path: string;
  severities: SeverityOverrides;
  environment?: Environment;
  team?: TeamDirs;
}

function jobFor(options: LintFilesOptions, index: number, path: string): Job {
  return { index, path, severities: options.severities(path), environment: options.environment?.(path), team: options.team?.(path) };
}

interface WorkerResult {
  index: number;
  kind?: string;
  skipped?: string;
  findings?: Finding[];
  /** [offset, line, character] for every offset the findings name. */
  positions?: Array<[number, number, number]>;
  /** The text of the line each finding starts on (for fingerprints that survive edits elsewhere). */
  lineTexts?: string[];
  /** Linted in phase 2: its lint read the workspace index. */
  deferred?: true;
  /** The phase-2 result of such a file. */
  readsWorkspace?: true;
}

type ToWorker = { batch: Job[] } | { phase2: WorkspaceSnapshot };
type FromWorker = { results: WorkerResult[]; entries?: WorkspaceSnapshot; final?: true };

const WORKER_FLAG = 'kbHintsLintWorker';

function lintParallel(files: string[], sizes: number[], jobs: number, options: LintFilesOptions): Promise<FileResult[]> {
  return new Promise((resolve, reject) => {
    const results: Array<FileResult | undefined> = new Array(files.length);
    const queue = files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
    let next = 0;
    const workspace = new WorkspaceIndex();
    if (options.workspace) workspace.merge(options.workspace);
    // This thread lints too (one JIT warm-up less than a worker of its own): `jobs - 1` workers.
    const own = new FileLinter();
    const workers: Worker[] = [];
    /** Batches sent to workers and not answered yet. */
    let outstanding = 0;
    let ownDone = false;
    let phase2 = false;
    let finals = 0;
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const take = (r: WorkerResult) => {
      if (!r.deferred) results[r.index] = toFileResult(files[r.index], r);
    };
    const finish = () => {
      if (!phase2 || finals < workers.length) return;
      const missing = results.findIndex((r) => !r);
      if (missing !== -1) fail(new Error(`no result for ${files[missing]}`));
      else resolve(results as FileResult[]);
    };
    // Every file is indexed once the queue is empty and no batch is out: phase 2 everywhere.
    const maybePhase2 = () => {
      if (phase2 || failed || next < queue.length || outstanding > 0 || !ownDone) return;
      phase2 = true;
      const snapshot = workspace.snapshot();
      options.indexed?.(snapshot);
      for (const w of workers) w.postMessage({ phase2: snapshot } satisfies ToWorker);
      for (const r of own.finish(snapshot)) take(r);
      finish();
    };
    const batch = (): Job[] => {
      const out: Job[] = [];
      let bytes = 0;
      while (next < queue.length && out.length < BATCH_FILES && (bytes < BATCH_BYTES || out.length === 0)) {
        const index = queue[next++];
        bytes += sizes[index];
        out.push(jobFor(options, index, files[index]));
      }
      return out;
    };
    const feed = (w: Worker) => {
      const jobsForWorker = batch();
      if (!jobsForWorker.length) return maybePhase2();
      outstanding++;
      w.postMessage({ batch: jobsForWorker } satisfies ToWorker);
    };
    // This thread's share, one batch at a time, letting the workers' answers in between.
    const step = () => {
      if (failed) return;
      const jobsHere = batch();
      if (!jobsHere.length) {
        ownDone = true;
        return maybePhase2();
      }
      try {
        for (const job of jobsHere) {
          const r = own.add(job);
          take(r.result);
          workspace.merge(r.entries);
        }
      } catch (e) {
        return fail(e);
      }
      setImmediate(step);
    };

    for (let i = 0; i < jobs - 1; i++) {
      const w = new Worker(__filename, { workerData: { [WORKER_FLAG]: true }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
      workers.push(w);
      let done = false;
      w.on('message', (msg: FromWorker) => {
        if (failed) return;
        for (const r of msg.results) take(r);
        if (msg.final) {
          done = true;
          void w.terminate();
          finals++;
          return finish();
        }
        if (msg.entries) workspace.merge(msg.entries);
        outstanding--;
        feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!done && !failed) fail(new Error(`a lint worker stopped (exit code ${code})`));
      });
      // Two batches in flight: a worker never waits for this thread to finish its own batch.
      feed(w);
      feed(w);
    }
    setImmediate(step);
  });
}

/** True in a thread started by `lintParallel`. */
export function isLintWorker(): boolean {
  return !isMainThread && !!(workerData as Record<string, unknown> | undefined)?.[WORKER_FLAG];
}

/** The workspace a first-pass lint is given: never read (reading it defers the lint). */
const NO_FILES = new WorkspaceIndex();

/**
 * Parses and lints files one by one, keeping a file for `finish` when its lint read the workspace index
 * (which is complete only once every file was added). Shared by the workers and the one-thread run.
 */
class FileLinter {
  private readonly kept: Array<{ job: Job; file?: ParsedFile }> = [];
  private readonly team = new TeamKbs();
  private keptBytes = 0;

  constructor(private readonly texts?: ReadonlyMap<string, string>) {}

  add(job: Job): { result: WorkerResult; entries: WorkspaceSnapshot } {
    const file = parsePath(job.path, this.texts);
    const own = new WorkspaceIndex();
    own.update(file);
    const entries = own.snapshot();
    // Lint now unless a rule asks the workspace: its answer needs every file, so the lint stops there
    // (what it found so far would be dropped) and the file is linted in `finish`.
    let touched = false;
    const deferring = new Proxy(NO_FILES, {
      get() {
        touched = true;
        throw new LintDeferred();
      },
    });
    let findings: Finding[] = [];
    try {
      findings = lint(file, { rules: this.team.get(job.team).rules, workspace: deferring, severities: job.severities, environment: job.environment });
    } catch (e) {
      if (!(e instanceof LintDeferred)) throw e;
    }
    if (!touched) return { result: located(job.index, file, findings), entries };
    const keep = this.keptBytes + file.text.length <= KEEP_BYTES;
    if (keep) this.keptBytes += file.text.length;
    this.kept.push({ job, file: keep ? file : undefined });
    return { result: { index: job.index, deferred: true }, entries };
  }

  /** Lints the kept files with the complete index. */
  finish(snapshot: WorkspaceSnapshot): WorkerResult[] {
    const workspace = new WorkspaceIndex();
    workspace.merge(snapshot);
    const results = this.kept.map(({ job, file }) => {
      const f = file ?? parsePath(job.path, this.texts);
      return { ...located(job.index, f, lint(f, { rules: this.team.get(job.team).rules, workspace, severities: job.severities, environment: job.environment })), readsWorkspace: true as const };
    });
    this.kept.length = 0;
    this.keptBytes = 0;
    return results;
  }
}

/** A result with the line and column of every offset its findings name (the text is not sent back). */
function located(index: number, file: ParsedFile, findings: Finding[]): WorkerResult {
  const offsets = new Set<number>();
  for (const f of findings) {
    offsets.add(f.start);
    offsets.add(f.end);
    for (const r of f.related) {
      offsets.add(r.start);
      offsets.add(r.end);
    }
  }
  const positions: Array<[number, number, number]> = [];
  for (const o of offsets) {
    const p = file.lines.position(o);
    positions.push([o, p.line, p.character]);
  }
  const lineTexts = findings.map((f) => lineText(file.text, f.start));
  return { index, kind: file.kind, skipped: file.skipped, findings, positions, lineTexts };
}

/** The line an offset is on, at most 500 characters of it. */
function lineText(text: string, offset: number): string {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, offset - 500);
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return text.slice(start, Math.min(end, start + 500));
}

/** The worker side of `lintParallel`. */
export function runLintWorker(): void {
  const port = parentPort!;
  const linter = new FileLinter();
  port.on('message', (msg: ToWorker) => {
    if ('batch' in msg) {
      const results: WorkerResult[] = [];
      const entries: WorkspaceSnapshot = [];
      for (const job of msg.batch) {
        const r = linter.add(job);
        results.push(r.result);
        for (const e of r.entries) entries.push(e);
      }
      port.postMessage({ results, entries } satisfies FromWorker);
    } else {
      port.postMessage({ results: linter.finish(msg.phase2), final: true } satisfies FromWorker);
    }
  });
}
