// Quick fixes (server/src/fixes) -> LSP code actions. Reads each diagnostic's `data` (the finding's rule
// id and its `data`), matches it to the document's current analysis (whose model the fixes reuse), and
// turns the fixes' offset edits into a WorkspaceEdit: versioned `documentChanges` when the client supports
// them, else plain `changes`. Adds "Open KB topic" (the client's `kbHints.openTopic` command) per topic.
import { CodeActionKind, TextDocumentEdit, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { Finding } from '../engine/run';
import { applyEdits, fixesFor, type FixTarget } from '../fixes';
import { topicById } from '../kb/topics';
import { COMMANDS } from '../protocol';
import { currentAnalysis, type ServerContext } from './context';
import { toRange } from './convert';
import { TOO_MANY_CODE } from './diagnostics';
import { cancelled } from './lifecycle';

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params, token) => {
    if (token.isCancellationRequested) return cancelled();
    const current = currentAnalysis(ctx, params.textDocument.uri);
    if (!current) return [];
    const diagnostics = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
    return codeActions(current.doc, current.analysis, diagnostics, {
      commands: ctx.client.commands,
      documentChanges: ctx.client.documentChanges,
      onError: (e) => ctx.log(`Quick fix failed on ${current.doc.uri}: ${(e as Error)?.stack ?? e}`),
    });
  });
}

export interface CodeActionOptions {
  /** The client runs our commands (`kbHints.openTopic`, `kbHints.selectRange`): VS Code does. */
  commands: boolean;
  /** The client takes versioned `documentChanges`. */
  documentChanges: boolean;
  onError?: (error: unknown) => void;
}

export function codeActions(doc: TextDocument, analysis: Analysis, diagnostics: Diagnostic[], options: CodeActionOptions): CodeAction[] {
  const out: CodeAction[] = [];
  const seenTopics = new Set<string>();
  for (const d of diagnostics) {
    if (d?.source !== 'kb-hints' || d.code === TOO_MANY_CODE) continue;
    const target = targetOf(doc, analysis.findings, d);
    if (!target) continue;
    // The analysis's model: the fixes do not build the template or the Kubernetes objects again.
    for (const fix of fixesFor(analysis.file, target, { model: analysis.model, onError: options.onError })) {
      const edits: TextEdit[] = fix.edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText }));
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: workspaceEdit(doc, edits, options.documentChanges) };
      if (fix.preferred) action.isPreferred = true;
      if (fix.select && options.commands) {
        const after = TextDocument.create(doc.uri, doc.languageId, doc.version + 1, applyEdits(doc.getText(), fix.edits));
        action.command = { title: 'Select the reason', command: COMMANDS.selectRange, arguments: [doc.uri, toRange(after, fix.select.start, fix.select.end)] };
      }
      out.push(action);
    }
    const kb = typeof d.data === 'object' && d.data && typeof (d.data as { kb?: unknown }).kb === 'string' ? (d.data as { kb: string }).kb : undefined;
    const topic = kb ? topicById(kb) : undefined;
    if (topic && options.commands && !seenTopics.has(topic.id)) {
      seenTopics.add(topic.id);
      out.push({ title: `Open KB topic: ${topic.title}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: `Open KB topic: ${topic.title}`, command: COMMANDS.openTopic, arguments: [topic.id] } });
    }
  }
  return out;
}

function workspaceEdit(doc: TextDocument, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  return documentChanges ? { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, edits)] } : { changes: { [doc.uri]: edits } };
}

/** The finding behind a diagnostic: the current analysis's finding at that place, else what the diagnostic carries. */
function targetOf(doc: TextDocument, findings: Finding[], d: Diagnostic): FixTarget | undefined {
  const data = (typeof d.data === 'object' && d.data ? d.data : {}) as Record<string, unknown>;
  const ruleId = typeof data.ruleId === 'string' ? data.ruleId : typeof d.code === 'string' ? d.code : undefined;
  if (!ruleId || !d.range) return undefined;
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  const current = findings.find((f) => f.ruleId === ruleId && f.start === start && f.end === end) ?? findings.find((f) => f.ruleId === ruleId && f.start <= start && start <= f.end);
  if (current) return { ruleId, start: current.start, end: current.end, data: current.data };
  const { ruleId: _r, kb: _k, ...rest } = data;
  return { ruleId, start, end, data: rest };
}
