// The background index: after `initialized`, the workspace folders' files (those a kind may claim, not
// ignored by `.kbhints.yaml`, not larger than `kbHints.maxFileSizeKb`) are read from disk and their
// cross-file facts (StorageClasses, environment signs, cross-stack facts) go into the workspace index;
// the trees are let go at once. It works in short slices, yielding between them, so that the editor's
// requests are served first; open documents always win over the disk. Progress is LSP work-done progress
// (when the client supports it) and the user may cancel it; `kbHints.indexWorkspace: false` turns it off.
// Watched file changes keep the index current once it is built.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, type CancellationToken, type FileEvent, type InitializeParams, type TextDocument, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { CONFIG_FILE, isIgnored } from '../engine/config';
import { walkFiles } from '../engine/walk';
import { holdsFactsUnlinted } from '../engine/workspace';
import { FILE_EXTENSIONS, mayClaim, parseFile } from '../kinds';
import type { IndexStats } from '../protocol';
import type { ServerContext } from './context';
import type { Dependents } from './dependents';
import { readText, type DocumentListener } from './documents';
import { filePath } from './projectConfig';

/** How long one slice of indexing may run before it yields (ms); a file larger than a slice's worth overruns it once. */
const SLICE_MS = 8;
/** Progress reports at most this often (ms). */
const REPORT_MS = 200;
/** The longest a slice waits for the editor's lints to be done (typing goes first, but indexing is never starved). */
const MAX_WAIT_MS = 250;

type State = IndexStats['state'];

export class WorkspaceIndexer implements DocumentListener {
  private roots: string[] = [];
  private watchDynamic = false;
  private state: State = 'idle';
  /** Bumped by each new pass and by `stop`: an older pass sees it and returns. */
  private generation = 0;
  /** The paths of open documents and their URIs (a client may spell a file's URI differently from Node). */
  private readonly openPaths = new Map<string, string>();
  /** Files whose facts came from disk (a new pass forgets those it no longer finds). */
  private fromDisk = new Set<string>();
  private files = 0;
  private indexed = 0;
  /** `kbHints.maxFileSizeKb` as the last pass read it. */
  private maxBytes = 0;

  /** `busy`: documents are waiting for their lint (lsp/diagnostics.ts): a slice waits for them first. */
  constructor(
    private readonly ctx: ServerContext,
    private readonly dependents: Dependents,
    private readonly busy: () => boolean = () => false,
  ) {}

  /** From `initialize`: the workspace folders, and whether the client takes file watchers from the server. */
  initialize(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = uris.flatMap((u) => filePath(u) ?? []);
    this.watchDynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  }

  /** From `initialized`: watches our files and starts the first pass. */
  start(): void {
    if (!this.roots.length) return;
    if (this.watchDynamic) {
      const globPattern = `**/*{${FILE_EXTENSIONS.join(',')}}`;
      void this.ctx.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern }] }).catch(() => undefined);
    }
    void this.pass();
  }

  /** True when a pass over the workspace finished and nothing has asked for another since. */
  get complete(): boolean {
    return this.state === 'complete';
  }

  stats(): IndexStats {
    return { state: this.state, files: this.files, indexed: this.indexed };
  }

  stop(): void {
    this.generation++;
  }

  /** Settings changed: a pass starts if indexing was off and is now on; one in progress stops if it is now off. */
  async settingsChanged(): Promise<void> {
    if (!this.roots.length) return;
    const on = await this.enabled();
    if (on && this.state === 'off') void this.pass();
    else if (!on && this.state !== 'off') {
      this.generation++;
      this.state = 'off';
      // Nothing keeps them current any more.
      for (const uri of this.fromDisk) this.forget(uri);
    }
  }

  /** Files created, changed or deleted on disk; a changed `.kbhints.yaml` (its ignores) makes a new pass. */
  watchedFilesChanged(changes: FileEvent[]): void {
    if (this.state === 'off' || this.state === 'idle') return;
    for (const change of changes) {
      const file = filePath(change.uri);
      if (!file || !this.covers(file)) continue;
      if (path.basename(file) === CONFIG_FILE) {
        // After the project configuration's own reload (a timer set before this one), so the new ignores apply.
        setTimeout(() => void this.pass(), 0);
        continue;
      }
      if (this.openPaths.has(file) || !mayClaim(path.basename(file))) continue;
      if (change.type === FileChangeType.Deleted) this.forget(pathToFileURL(file).href);
      else this.indexFile(file);
    }
  }

  opened(doc: TextDocument): void {
    const file = filePath(doc.uri);
    if (!file) return;
    this.openPaths.set(file, doc.uri);
    // The open document's facts are its own analysis's, under its URI.
    const disk = pathToFileURL(file).href;
    if (disk !== doc.uri) this.forget(disk);
  }

  closed(uri: string): void {
    const file = filePath(uri);
    if (file) this.openPaths.delete(file);
    // The text on disk applies again (when the index covers the file), else the file's facts go.
    if (file && this.state !== 'off' && this.state !== 'idle' && this.covers(file) && mayClaim(path.basename(file))) {
      if (pathToFileURL(file).href !== uri) this.ctx.analyses.workspace.remove(uri);
      this.indexFile(file);
    } else this.ctx.analyses.workspace.remove(uri);
  }

  /** The workspace's settings (the first folder's) say to index; `maxBytes` is read with them. */
  private async enabled(): Promise<boolean> {
    const settings = await this.ctx.settings.fetch(pathToFileURL(this.roots[0]).href);
    this.maxBytes = settings.maxFileSizeKb * 1024;
    return settings.enable && settings.indexWorkspace;
  }

  /** One pass over the workspace folders: find the files, then index them, a slice at a time. */
  private async pass(): Promise<void> {
    const generation = ++this.generation;
    if (!(await this.enabled())) {
      if (generation === this.generation) this.state = 'off';
      return;
    }
    const progress = await this.ctx.connection.window.createWorkDoneProgress().catch(() => undefined);
    if (generation !== this.generation) return progress?.done();
    this.state = 'running';
    this.files = 0;
    this.indexed = 0;
    const started = performance.now();
    progress?.begin('KB Hints: indexing the workspace', 0, 'finding files', true);
    const token = progress?.token;
    const before = new Set(this.fromDisk);
    const found = new Set<string>();
    const walk = this.walk();
    const reporter = new Reporter(progress);
    let ok = await this.slices(generation, token, () => {
      const next = walk.next();
      if (next.done) return false;
      found.add(next.value);
      reporter.report(`finding files: ${found.size}`);
      return true;
    });
    const files = [...found];
    this.files = files.length;
    const seen = new Set<string>();
    if (ok) {
      progress?.report(0, `indexing ${files.length} files`);
      ok = await this.slices(generation, token, () => {
        if (this.indexed >= files.length) return false;
        const uri = this.dependents.defer(() => this.indexFile(files[this.indexed]));
        if (uri) seen.add(uri);
        this.indexed++;
        reporter.report(`${this.indexed}/${files.length} files`, Math.floor((this.indexed / files.length) * 100));
        return true;
      });
    }
    progress?.done();
    if (generation !== this.generation) return;
    // Files an earlier pass found that are gone now (deleted, or ignored since).
    if (ok) this.dependents.defer(() => [...before].filter((uri) => !seen.has(uri)).forEach((uri) => this.forget(uri)));
    this.state = ok ? 'complete' : 'cancelled';
    // What the pass found may change open documents' findings: those whose reads it touched are linted again.
    this.dependents.release();
    this.ctx.connection.console.info(`KB Hints: ${ok ? 'indexed' : 'indexing cancelled after'} ${this.indexed} of ${files.length} workspace files in ${Math.round(performance.now() - started)} ms.`);
  }

  private *walk(): Generator<string> {
    for (const root of this.roots) yield* walkFiles(root, (m) => this.ctx.log(`KB Hints index: ${m}`));
  }

  /**
   * Runs `step` until it returns false, SLICE_MS at a time, yielding to the event loop between slices (and
   * waiting, up to MAX_WAIT_MS, while documents wait for their lint). False when the pass was cancelled or
   * replaced first.
   */
  private async slices(generation: number, token: CancellationToken | undefined, step: () => boolean): Promise<boolean> {
    for (;;) {
      const waitUntil = performance.now() + MAX_WAIT_MS;
      while (this.busy() && performance.now() < waitUntil) await new Promise<void>((resolve) => setTimeout(resolve, 2));
      if (generation !== this.generation || token?.isCancellationRequested) return false;
      const end = performance.now() + SLICE_MS;
      do {
        if (!step()) return true;
      } while (performance.now() < end);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Reads a file from disk into the index (unless it is open); its URI when the index now holds its facts or might. */
  private indexFile(file: string): string | undefined {
    if (this.openPaths.has(file)) return undefined;
    const uri = pathToFileURL(file).href;
    const text = isIgnored(this.ctx.configs.forUri(uri), file) ? undefined : readText(this.ctx.documents, uri, this.maxBytes);
    if (text === undefined) {
      this.forget(uri);
      return undefined;
    }
    this.ctx.analyses.countParse();
    const parsed = parseFile(text, uri, { maxSize: this.maxBytes });
    if (!parsed.kind && !holdsFactsUnlinted(parsed)) {
      this.forget(uri);
      return undefined;
    }
    this.ctx.analyses.workspace.update(parsed);
    this.fromDisk.add(uri);
    return uri;
  }

  private forget(uri: string): void {
    this.fromDisk.delete(uri);
    this.ctx.analyses.workspace.remove(uri);
  }

  private covers(file: string): boolean {
    return this.roots.some((root) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  }
}

/** Progress reports, at most every REPORT_MS. */
class Reporter {
  private last = performance.now();

  constructor(private readonly progress: WorkDoneProgressServerReporter | undefined) {}

  report(message: string, percentage?: number): void {
    const now = performance.now();
    if (!this.progress || now - this.last < REPORT_MS) return;
    this.last = now;
    if (percentage === undefined) this.progress.report(message);
    else this.progress.report(percentage, message);
  }
}
