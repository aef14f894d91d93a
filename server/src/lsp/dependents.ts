// Dependents: when a file's cross-file facts change (a StorageClass, an export, a nested template, the
// environment it shows), the open documents whose last lint read those facts are linted again, and only
// those: each analysis records what it read of the workspace index (engine/workspace.ts, WorkspaceReads).
import type { FactsChange } from '../engine/workspace';
import type { ServerContext } from './context';
import type { DiagnosticsPublisher } from './diagnostics';

export class Dependents {
  /** Changes not looked at yet (all of one turn are looked at together). */
  private pending: FactsChange[] = [];
  /** Changes the background index made during its pass, looked at when the pass ends (`release`). */
  private deferred: FactsChange[] = [];
  private deferring = false;
  private scheduled = false;
  /** Documents linted again because of another file's change, since start (the bench reads it). */
  relints = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly diagnostics: DiagnosticsPublisher,
  ) {}

  /** From the workspace index: a file's facts changed. */
  changed(change: FactsChange): void {
    if (this.deferring) {
      this.deferred.push(change);
      return;
    }
    this.pending.push(change);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Runs `fn` (indexing files from disk); the changes it makes wait for `release`. */
  defer<T>(fn: () => T): T {
    this.deferring = true;
    try {
      return fn();
    } finally {
      this.deferring = false;
    }
  }

  /** The background pass ended (or stopped): what it found is looked at now. */
  release(): void {
    const changes = this.deferred;
    this.deferred = [];
    for (const c of changes) this.changed(c);
  }

  private flush(): void {
    this.scheduled = false;
    const changes = this.pending;
    this.pending = [];
    for (const doc of this.ctx.documents.all()) {
      const reads = this.ctx.analyses.readsOf(doc.uri);
      // A document's own change is its own lint's business.
      if (!reads || !changes.some((c) => c.uri !== doc.uri && reads.affectedBy(c))) continue;
      this.relints++;
      this.diagnostics.relint(doc);
    }
  }
}
