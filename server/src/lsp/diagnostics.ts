// Diagnostics: when each open document is linted (dropping work a newer version made stale, so nothing
// older than the current text is ever published) and what is published (at most MAX_DIAGNOSTICS per
// document plus a summary, nothing when a large list did not change), with the file status after it.
//
// When: with `kbHints.debounceMs` "auto" (the default) a document whose last lint (analysis + publish)
// took under CHEAP_LINT_MS is linted once no further edit came for BURST_GRACE_MS; a dearer one is at once after a quiet
// spell, but edits that follow its last lint closely wait until half that lint's cost (capped at
// MAX_AUTO_DEBOUNCE_MS) has passed since it ended, and then the newest version is linted. In both
// cases an edit already read but not handled yet (the inbox) means the current version is not linted:
// that edit's own run is. A number is a fixed debounce after the last edit, as before.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { Finding } from '../engine/run';
import { FileStatusNotification, type FileStatusParams } from '../protocol';
import type { ServerContext } from './context';
import { toDiagnostic, toRange } from './convert';
import type { DocumentListener } from './documents';
import { countFindings, emptyCounts } from './counts';

/** Diagnostics published per document; the rest are summed up in one more diagnostic. */
export const MAX_DIAGNOSTICS = 1000;
/** The `code` of that summary (it has no quick fix). */
export const TOO_MANY_CODE = 'too-many-findings';
/** An unchanged list at least this large is not sent again for a newer version (a small one is, so its version moves on). */
const RESEND_UNCHANGED_BELOW = 16 * 1024;

/** Auto: a document whose last lint took less than this (ms) is linted at once after each edit. */
export const CHEAP_LINT_MS = 20;
/** Auto, cheap lints: how long a lint waits for the next edit of a burst (ms). */
export const BURST_GRACE_MS = 3;
/** Auto: after a dear lint, edits are coalesced for this many times its cost. */
export const AUTO_DEBOUNCE_FACTOR = 0.5;
/** Auto: the longest an edit waits before its lint starts (a burst is coalesced for the last lint's cost, up to this). */
export const MAX_AUTO_DEBOUNCE_MS = 150;

const RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };

export class DiagnosticsPublisher implements DocumentListener {
  private readonly timers = new Map<string, Pending>();
  private readonly published = new Map<string, { version: number; digest: string }>();
  /** The last publish's cost per document (ms): converting and comparing the diagnostics. */
  private readonly publishCost = new Map<string, number>();
  /** When each document's last lint ended (performance.now()). */
  private readonly lintEnded = new Map<string, number>();
  private stopped = false;
  /** Push mode: documents opened and not published yet (background work waits for them: `busy`). */
  private readonly unpublished = new Set<string>();
  /** Pull mode (the client announced `textDocument.diagnostic`): the client asks when it wants them; edits lint nothing here. */
  private pull: { refresh: () => void; wake: () => void } | undefined;

  /**
   * `restore(uri)`: publishes a closed document's diagnostics from disk when the workspace lint owns it; true if it did.
   * `changePending(uri)`: a change of the document was read from the client but not handled yet.
   */
  constructor(
    private readonly ctx: ServerContext,
    private readonly restore: (uri: string) => boolean = () => false,
    private readonly changePending: (uri: string) => boolean = () => false,
  ) {}

  /** From `initialize`: the client pulls diagnostics; `refresh` asks it to pull again, `wake` answers held workspace requests. */
  pullMode(refresh: () => void, wake: () => void): void {
    this.pull = { refresh, wake };
  }

  get pulling(): boolean {
    return this.pull !== undefined;
  }

  opened(doc: TextDocument): void {
    // A (re)open starts a new version sequence: nothing cached or published before it applies.
    this.forget(doc.uri);
    if (this.pull) {
      // The client pulls on open; if the document's settings turn out to differ from those it was answered with, it is asked to pull again.
      const before = JSON.stringify(this.ctx.settings.get(doc.uri));
      void this.ctx.settings.refresh(doc.uri).then((s) => {
        if (JSON.stringify(s) !== before) this.refreshSoon();
      });
      return;
    }
    this.unpublished.add(doc.uri);
    void this.ctx.settings.refresh(doc.uri).then(() => {
      const latest = this.ctx.documents.get(doc.uri);
      if (latest) this.schedule(latest, 0);
    });
  }

  changed(doc: TextDocument): void {
    if (this.pull) return;
    const debounce = this.ctx.settings.get(doc.uri).debounceMs;
    if (debounce !== 'auto') return this.schedule(doc, debounce);
    // A newer edit is already waiting: its own run lints (a burst read at once is linted once).
    if (this.changePending(doc.uri)) return;
    const cost = this.lastCost(doc.uri);
    // Cheap: linted as soon as no further edit came within BURST_GRACE_MS (edits written together arrive
    // a moment apart, a typist's keystrokes tens of ms apart), so a burst is one lint of its last version.
    if (cost < CHEAP_LINT_MS) return this.schedule(doc, BURST_GRACE_MS);
    // Expensive: an edit after a quiet spell is linted at once; edits that follow a lint closely are
    // coalesced until AUTO_DEBOUNCE_FACTOR x its cost has passed since it ended, then the newest version is.
    if (this.timers.get(doc.uri)?.newest) return;
    const quietUntil = (this.lintEnded.get(doc.uri) ?? 0) + Math.min(MAX_AUTO_DEBOUNCE_MS, cost * AUTO_DEBOUNCE_FACTOR);
    this.schedule(doc, Math.max(0, Math.ceil(quietUntil - performance.now())), true);
  }

  /** A lint is waiting to run, or an open document has not been published yet: background work (the index) waits. */
  get busy(): boolean {
    return this.timers.size > 0 || this.unpublished.size > 0;
  }

  /** What the last lint of the document cost, analysis and publish (ms); 0 when unknown. */
  lastCost(uri: string): number {
    return this.ctx.analyses.costOf(uri) + (this.publishCost.get(uri) ?? 0);
  }

  closed(uri: string): void {
    this.forget(uri);
    this.ctx.settings.forget(uri);
    if (!this.stopped && !this.restore(uri)) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Lints one open document again soon, from scratch (something it depends on changed). */
  relint(doc: TextDocument): void {
    this.ctx.analyses.forget(doc.uri);
    if (this.pull) return this.refreshSoon();
    this.schedule(doc, 0);
  }

  /** Lints every open document again soon (settings or project configuration changed). */
  relintAll(): void {
    if (this.pull) return this.refreshSoon();
    for (const doc of this.ctx.documents.all()) this.schedule(doc, 0);
  }

  private refreshing = false;

  /** Pull mode: one `workspace/diagnostic/refresh` for everything that changed in this turn. */
  private refreshSoon(): void {
    if (this.refreshing || this.stopped) return;
    this.refreshing = true;
    setImmediate(() => {
      this.refreshing = false;
      if (this.stopped) return;
      this.pull?.wake();
      this.pull?.refresh();
    });
  }

  /**
   * Pull: the diagnostics of an open document's current version (linted now if needed) and a result id
   * (a digest of them); the file status is sent as after a publish. Undefined when the document is not open.
   */
  report(uri: string): { version: number; resultId: string; diagnostics: Diagnostic[] } | undefined {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return undefined;
    const settings = this.ctx.settings.get(uri);
    const analysis = settings.enable ? this.ctx.analyses.get(doc, settings) : undefined;
    const { diagnostics, json } = this.diagnosticsOf(doc, analysis);
    sendFileStatus(this.ctx, doc.uri, analysis, this.ctx.analyses.ignored.has(doc.uri));
    return { version: doc.version, resultId: `${doc.version}:${this.ctx.digest(json)}`, diagnostics };
  }

  private diagnosticsOf(doc: TextDocument, analysis: Analysis | undefined): { diagnostics: Diagnostic[]; json: string } {
    // Suppressed findings stay in the analysis (for listing) but are never published.
    const diagnostics = [...(analysis ? capped(doc, analysis.findings.filter((f) => !f.suppressed), this.ctx.relateDiagnostic) : []), ...(this.ctx.extraDiagnostics?.(doc.uri) ?? [])];
    return { diagnostics, json: JSON.stringify(diagnostics) };
  }

  /** After `shutdown`: nothing more is linted or published. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.clear();
    this.timers.clear();
  }

  private forget(uri: string): void {
    this.cancel(uri);
    this.unpublished.delete(uri);
    this.ctx.analyses.forget(uri);
    this.published.delete(uri);
    this.publishCost.delete(uri);
    this.lintEnded.delete(uri);
  }

  private cancel(uri: string): void {
    this.timers.get(uri)?.clear();
    this.timers.delete(uri);
  }

  /**
   * Lints after `delay` ms (0: once the current message is handled); a newer call for the same document
   * replaces a pending one. The run lints `doc`'s version only, or with `newest` whatever version is
   * current when it runs.
   */
  private schedule(doc: TextDocument, delay: number, newest = false): void {
    if (this.stopped) return;
    this.cancel(doc.uri);
    const run = () => {
      this.timers.delete(doc.uri);
      const latest = this.ctx.documents.get(doc.uri);
      // Closed or changed since: the newer event scheduled its own run.
      if (!latest || (!newest && latest.version !== doc.version)) return;
      // An edit is waiting to be handled: its run lints the newer text.
      if (this.changePending(doc.uri)) return;
      const settings = this.ctx.settings.get(doc.uri);
      const analysis = settings.enable ? this.ctx.analyses.get(latest, settings) : undefined;
      // Messages that came in during the lint are handled first: if one changed or closed the
      // document, this result is already stale and is not published (the newer version's run is).
      const version = latest.version;
      setImmediate(() => {
        const now = this.ctx.documents.get(doc.uri);
        if (!this.stopped && now === latest && now.version === version && !this.timers.has(doc.uri) && !this.changePending(doc.uri)) this.publish(latest, analysis);
      });
    };
    if (delay > 0) {
      const t = setTimeout(run, delay);
      this.timers.set(doc.uri, { newest, clear: () => clearTimeout(t) });
    } else {
      const t = setImmediate(run);
      this.timers.set(doc.uri, { newest, clear: () => clearImmediate(t) });
    }
  }

  private publish(doc: TextDocument, analysis: Analysis | undefined): void {
    const start = performance.now();
    // Only the document's current state gets here (`schedule` drops stale runs), so a client whose version
    // numbers go backwards still gets the diagnostics of its current text.
    const last = this.published.get(doc.uri);
    const { diagnostics, json } = this.diagnosticsOf(doc, analysis);
    const digest = this.ctx.digest(json);
    const unchanged = last?.digest === digest && (last.version === doc.version || json.length >= RESEND_UNCHANGED_BELOW);
    this.published.set(doc.uri, { version: doc.version, digest });
    this.unpublished.delete(doc.uri);
    if (!unchanged) void this.ctx.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    sendFileStatus(this.ctx, doc.uri, analysis, this.ctx.analyses.ignored.has(doc.uri));
    const end = performance.now();
    this.publishCost.set(doc.uri, end - start);
    this.lintEnded.set(doc.uri, end);
  }
}

interface Pending {
  /** The run lints the version current when it runs (else only the version it was scheduled for). */
  newest: boolean;
  clear(): void;
}

/** The diagnostics of at most MAX_DIAGNOSTICS findings (the most severe first, then in document order), plus a summary of the rest. */
export function capped(doc: TextDocument, findings: Finding[], relate?: ServerContext['relateDiagnostic']): Diagnostic[] {
  const convert = (f: Finding) => (relate ? relate(doc, f, toDiagnostic(doc, f)) : toDiagnostic(doc, f));
  if (findings.length <= MAX_DIAGNOSTICS) return findings.map(convert);
  const kept = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.start - b.start).slice(0, MAX_DIAGNOSTICS);
  const keptSet = new Set(kept);
  const firstLeft = findings.find((f) => !keptSet.has(f))!;
  kept.sort((a, b) => a.start - b.start);
  const more = findings.length - MAX_DIAGNOSTICS;
  return [
    ...kept.map(convert),
    {
      range: toRange(doc, firstLeft.start, firstLeft.start),
      severity: DiagnosticSeverity.Information,
      source: 'kb-hints',
      code: TOO_MANY_CODE,
      message: `KB Hints shows ${MAX_DIAGNOSTICS} of the ${findings.length} findings in this file (the most severe first); ${more} more are not shown. The CLI (kb-hints lint) lists them all.`,
    },
  ];
}

/** Sent after each publish of an open document (counts are of all findings, not only the published ones). */
export function sendFileStatus(ctx: ServerContext, uri: string, analysis: Analysis | undefined, ignored: boolean): void {
  const bySeverity = emptyCounts();
  const findings = countFindings(analysis?.findings ?? [], bySeverity);
  const params: FileStatusParams = {
    uri,
    kind: analysis?.kind?.id,
    label: analysis?.kind?.label,
    findings,
    suppressed: (analysis?.findings.length ?? 0) - findings,
    bySeverity,
    ...(ignored ? { ignored: true } : {}),
  };
  void ctx.connection.sendNotification(FileStatusNotification, params).catch(() => {});
}
