// Per-document analysis cache and scheduling: lint after a debounce, drop work made stale by a newer
// version, and never publish diagnostics older than what was already published.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../engine/analyze';
import { RULES } from '../rules';
import { WorkspaceIndex } from '../engine/workspace';
import type { Settings } from '../settings';
import type { StatsResult } from '../protocol';
import type { DocumentOptions } from './projectConfig';

interface Entry {
  version: number;
  analysis: Analysis;
}

/**
 * Analyses (parse trees) are kept for the most recently used documents, up to this much text; the one
 * in use is always kept. Diagnostics of the others are already published; a hover or code action there
 * analyses the document again (the tree of a typical template costs five times its text in memory).
 */
const KEEP_TEXT = 4 * 1024 * 1024;

export class Analyses {
  private readonly cache = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly workspace = new WorkspaceIndex();

  constructor(
    private readonly publish: (doc: TextDocument, analysis: Analysis | undefined) => void,
    private readonly log: (message: string) => void,
    /** Per-document options from `.kbhints.yaml` and the user's settings. */
    private readonly options: (uri: string, settings: Settings) => DocumentOptions = () => ({ severities: {}, ignored: false }),
  ) {}

  /** Documents whose last analysis found them ignored by `.kbhints.yaml`. */
  readonly ignored = new Set<string>();

  /** The analysis of exactly this version of the document, computed now if needed. */
  get(doc: TextDocument, settings: Settings): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) {
      this.keep(doc.uri, hit);
      return hit.analysis;
    }
    const { severities, ignored, rules } = this.options(doc.uri, settings);
    const analysis = analyze(doc.getText(), doc.uri, {
      maxSize: settings.maxFileSizeKb * 1024,
      // The previous version's tree: only the changed entry (e.g. one resource) is parsed again.
      previous: hit && hit.version < doc.version ? hit.analysis.file : undefined,
      workspace: this.workspace,
      rules: ignored ? [] : rules ?? RULES,
      severities,
      // An ignored file is still parsed (editors show what it is) but not linted.
      ...(ignored ? { suppress: false } : {}),
      onRuleError: (rule, error) => this.ruleFailed(rule, doc.uri, error),
    });
    if (ignored) {
      this.ignored.add(doc.uri);
      analysis.findings = [];
    } else this.ignored.delete(doc.uri);
    this.keep(doc.uri, { version: doc.version, analysis });
    this.lints++;
    if (analysis.file.incremental) this.incremental++;
    return analysis;
  }

  private readonly failures = new Set<string>();

  /** A rule that throws is logged once per document (it throws again on every keystroke otherwise). */
  private ruleFailed(rule: string, uri: string, error: unknown): void {
    const key = `${rule}\u0000${uri}`;
    if (this.failures.has(key)) return;
    if (this.failures.size > 1000) this.failures.clear();
    this.failures.add(key);
    this.log(`Rule ${rule} failed on ${uri} (logged once for this document): ${(error as Error)?.stack ?? error}`);
  }

  /** Makes an entry the most recently used one, and lets the least recently used go past KEEP_TEXT. */
  private keep(uri: string, entry: Entry): void {
    this.cache.delete(uri);
    this.cache.set(uri, entry);
    let total = 0;
    const newestFirst = [...this.cache].reverse();
    for (let i = 0; i < newestFirst.length; i++) {
      total += newestFirst[i][1].analysis.file.text.length;
      if (i > 0 && total > KEEP_TEXT) this.cache.delete(newestFirst[i][0]);
    }
  }

  /** Lints after `delay` ms; a newer call for the same document replaces a pending one. */
  schedule(doc: TextDocument, settings: () => Settings, current: (uri: string) => TextDocument | undefined, delay: number): void {
    this.cancel(doc.uri);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        const latest = current(doc.uri);
        // Closed or changed since: the newer event scheduled its own run.
        if (!latest || latest.version !== doc.version) return;
        const s = settings();
        const analysis = s.enable ? this.get(latest, s) : undefined;
        // Messages that came in during the lint are handled first: if one changed or closed the
        // document, this result is already stale and is not published (the newer version's run is).
        const version = latest.version;
        setImmediate(() => {
          const now = current(doc.uri);
          if (now === latest && now.version === version && !this.timers.has(doc.uri)) this.publish(latest, analysis);
        });
      }, delay),
    );
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  forget(uri: string): void {
    this.cancel(uri);
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private lints = 0;
  private incremental = 0;

  /** Memory and counters; `gc` collects garbage first when the runtime allows it. */
  stats(documents: number, gc = false): StatsResult {
    if (gc) collectGarbage();
    const m = process.memoryUsage();
    return { documents, analyses: this.cache.size, heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, lints: this.lints, incremental: this.incremental };
  }
}

let gcFunction: (() => void) | undefined;

/** A full garbage collection, through V8's `gc` exposed at run time (only for the stats request). */
function collectGarbage(): void {
  try {
    if (!gcFunction) {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    }
    gcFunction();
  } catch {
    // No collection: the figures are taken as they are.
  }
}
