// Pull diagnostics (LSP 3.17), for clients that announce `textDocument.diagnostic`: `textDocument/diagnostic`
// answers an open document's current diagnostics (or `unchanged` for the result id the client has), and
// `workspace/diagnostic` the open documents' reports. A workspace request with nothing new waits until
// something changes (or the client cancels it): clients ask again as soon as one is answered.
// Clients that do not announce pull get pushed diagnostics (lsp/diagnostics.ts), as before.
import { LSPErrorCodes, ResponseError, type DiagnosticServerCancellationData, type DocumentDiagnosticReport, type WorkspaceDiagnosticReport, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import type { ServerContext } from './context';
import type { DiagnosticsPublisher } from './diagnostics';
import type { DocumentListener } from './documents';

/** The longest a `workspace/diagnostic` request with nothing new is held before it is answered anyway. */
const HOLD_MS = 60_000;

export class PullDiagnostics implements DocumentListener {
  private waiting: Array<() => void> = [];

  constructor(
    private readonly ctx: ServerContext,
    private readonly diagnostics: DiagnosticsPublisher,
  ) {}

  /** The client announced pull at `initialize` (`textDocument.diagnostic`). */
  static wanted(capabilities: { textDocument?: { diagnostic?: unknown }; workspace?: { diagnostics?: { refreshSupport?: boolean } } } | undefined): { pull: boolean; refresh: boolean } {
    return { pull: !!capabilities?.textDocument?.diagnostic, refresh: capabilities?.workspace?.diagnostics?.refreshSupport === true };
  }

  /** The server capability to announce. */
  static capability() {
    return { identifier: 'kb-hints', interFileDependencies: true, workspaceDiagnostics: true };
  }

  register(): void {
    const languages = this.ctx.connection.languages.diagnostics;
    languages.on((params): DocumentDiagnosticReport => {
      const r = this.diagnostics.report(params.textDocument.uri);
      if (!r) return { kind: 'full', items: [] };
      if (params.previousResultId === r.resultId) return { kind: 'unchanged', resultId: r.resultId };
      return { kind: 'full', resultId: r.resultId, items: r.diagnostics };
    });
    languages.onWorkspace(async (params, token): Promise<WorkspaceDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> => {
      const previous = new Map((params.previousResultIds ?? []).map((p) => [p.uri, p.value]));
      const build = (): { items: WorkspaceDocumentDiagnosticReport[]; changed: boolean } => {
        let changed = false;
        const items: WorkspaceDocumentDiagnosticReport[] = [];
        for (const doc of this.ctx.documents.all()) {
          const r = this.diagnostics.report(doc.uri);
          if (!r) continue;
          if (previous.get(doc.uri) === r.resultId) items.push({ kind: 'unchanged', uri: doc.uri, version: r.version, resultId: r.resultId });
          else {
            changed = true;
            items.push({ kind: 'full', uri: doc.uri, version: r.version, resultId: r.resultId, items: r.diagnostics });
          }
        }
        return { items, changed };
      };
      let report = build();
      if (!report.changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, HOLD_MS);
          const sub = token.onCancellationRequested(done);
          this.waiting.push(done);
          function done() {
            clearTimeout(timer);
            sub.dispose();
            resolve();
          }
        });
        // The client cancelled it: the usual answer (it decides whether to ask again).
        if (token.isCancellationRequested) return new ResponseError<DiagnosticServerCancellationData>(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: false });
        report = build();
      }
      return { items: report.items };
    });
  }

  /** Something the workspace report covers changed: held workspace requests are answered. */
  wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }

  opened(): void {
    this.wake();
  }

  changed(): void {
    this.wake();
  }

  closed(): void {
    this.wake();
  }
}
