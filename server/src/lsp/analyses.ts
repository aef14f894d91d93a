// One analysis per document version: the parse, the model and the findings, computed once and read by
// every feature (diagnostics, hovers, code actions, the suppression list). Also counts what it parsed.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../engine/analyze';
import { RULES } from '../rules';
import { WorkspaceIndex, WorkspaceReads, type FactsChange } from '../engine/workspace';
import type { Settings } from '../settings';
import type { StatsResult } from '../protocol';
import type { DocumentOptions } from './projectConfig';

interface Entry {
  version: number;
  /** The text analysed: a client that reuses or lowers version numbers must not get a stale analysis. */
  text: string;
  analysis: Analysis;
}

/**
 * Analyses (parse trees) are kept for the most recently used documents, up to this much text; the one
 * in use is always kept. Diagnostics of the others are already published; a hover or code action there
 * analyses the document again (the tree of a typical template costs five times its text in memory).
 */
const KEEP_TEXT = 4 * 1024 * 1024;

export class Analyses {
  /** Least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, Entry>();
  private keptText = 0;
  readonly workspace: WorkspaceIndex;
  /** What each open document's last analysis read of the workspace index (kept when its tree is let go). */
  private readonly reads = new Map<string, WorkspaceReads>();

  constructor(
    private readonly log: (message: string) => void,
    /** Per-document options from `.kbhints.yaml` and the user's settings. */
    private readonly options: (uri: string, settings: Settings) => DocumentOptions = () => ({ severities: {}, ignored: false }),
    /** Told when a file's cross-file facts change (lsp/dependents.ts). */
    onFactsChange?: (change: FactsChange) => void,
  ) {
    this.workspace = new WorkspaceIndex(onFactsChange);
  }

  /** Documents whose last analysis found them ignored by `.kbhints.yaml`. */
  readonly ignored = new Set<string>();

  /** The analysis of exactly this version of the document, computed now if needed. */
  get(doc: TextDocument, settings: Settings): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && current(hit, doc)) {
      this.keep(doc.uri, hit);
      return hit.analysis;
    }
    const { severities, ignored, environment, rules } = this.options(doc.uri, settings);
    this.parses++;
    const text = doc.getText();
    const start = performance.now();
    const reads = new WorkspaceReads();
    const analysis = this.workspace.recording(reads, () => analyze(text, doc.uri, {
      maxSize: settings.maxFileSizeKb * 1024,
      // The previous version's tree: only the changed entry (e.g. one resource) is parsed again.
      previous: hit && hit.version < doc.version ? hit.analysis.file : undefined,
      workspace: this.workspace,
      rules: ignored ? [] : rules ?? RULES,
      severities,
      environment,
      // An ignored file is still parsed (editors show what it is) but not linted.
      ...(ignored ? { suppress: false } : {}),
      onRuleError: (rule, error) => this.ruleFailed(rule, doc.uri, error),
    }));
    this.reads.set(doc.uri, reads);
    if (ignored) {
      this.ignored.add(doc.uri);
      analysis.findings = [];
    } else this.ignored.delete(doc.uri);
    this.keep(doc.uri, { version: doc.version, text, analysis });
    if (this.costs.size > 10000) this.costs.clear();
    this.costs.set(doc.uri, performance.now() - start);
    this.lints++;
    if (analysis.file.incremental) this.incremental++;
    return analysis;
  }

  /** How long the last analysis of each document took (ms): the diagnostics scheduler's cost of a lint. */
  private readonly costs = new Map<string, number>();

  /** The last analysis' cost for this document (ms), 0 when it was never analysed. */
  costOf(uri: string): number {
    return this.costs.get(uri) ?? 0;
  }

  private readonly failures = new Set<string>();

  /** A rule that throws is logged once per document (it throws again on every keystroke otherwise). */
  ruleFailed(rule: string, uri: string, error: unknown): void {
    const key = `${rule}\u0000${uri}`;
    if (this.failures.has(key)) return;
    if (this.failures.size > 1000) this.failures.clear();
    this.failures.add(key);
    this.log(`Rule ${rule} failed on ${uri} (logged once for this document): ${(error as Error)?.stack ?? error}`);
  }

  /** Makes an entry the most recently used one, and lets the least recently used go past KEEP_TEXT. */
  private keep(uri: string, entry: Entry): void {
    this.remove(uri);
    this.cache.set(uri, entry);
    this.keptText += entry.analysis.file.text.length;
    for (const [oldest] of this.cache) {
      if (this.keptText <= KEEP_TEXT || oldest === uri) break;
      this.remove(oldest);
    }
  }

  private remove(uri: string): void {
    const old = this.cache.get(uri);
    if (!old) return;
    this.keptText -= old.analysis.file.text.length;
    this.cache.delete(uri);
  }

  /** What the document's last analysis read of the workspace index; undefined when it is not analysed. */
  readsOf(uri: string): WorkspaceReads | undefined {
    return this.reads.get(uri);
  }

  forget(uri: string): void {
    this.remove(uri);
    this.reads.delete(uri);
  }

  clear(): void {
    this.cache.clear();
    this.reads.clear();
    this.keptText = 0;
  }

  /** A file parsed outside an analysis (read from disk for the workspace lint or the suppression list). */
  countParse(): void {
    this.parses++;
  }

  private lints = 0;
  private incremental = 0;
  private parses = 0;

  /** The counters (the runtime's memory figures come from ServerHost.stats). */
  stats(documents: number): Pick<StatsResult, 'documents' | 'analyses' | 'lints' | 'incremental' | 'parses'> {
    return { documents, analyses: this.cache.size, lints: this.lints, incremental: this.incremental, parses: this.parses };
  }
}

/** The entry is of this version of the document (its text is the same string, so this is cheap). */
function current(entry: Entry, doc: TextDocument): boolean {
  return entry.version === doc.version && entry.text === doc.getText();
}
