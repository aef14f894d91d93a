// Quick fixes (server/src/fixes) -> LSP code actions. Reads each diagnostic's `data` (the finding's rule
// id and its `data`), matches it to the current analysis, and turns the fixes' offset edits into a
// versioned WorkspaceEdit. Adds "Open KB topic" (the client's `kbHints.openTopic` command) for every finding.
import { CodeActionKind, TextDocumentEdit, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { Finding } from '../engine/run';
import { applyEdits, fixesFor, type FixTarget } from '../fixes';
import { topicById } from '../kb/topics';
import { SELECT_RANGE_COMMAND } from '../protocol';
import { toRange } from './convert';

export interface CodeActionOptions {
  /** The client runs our commands (`kbHints.openTopic`, `kbHints.selectRange`): VS Code does. */
  commands: boolean;
  onError?: (error: unknown) => void;
}

export function codeActions(doc: TextDocument, analysis: Analysis, diagnostics: Diagnostic[], options: CodeActionOptions): CodeAction[] {
  const out: CodeAction[] = [];
  const seenTopics = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== 'kb-hints') continue;
    const target = targetOf(doc, analysis.findings, d);
    if (!target) continue;
    for (const fix of fixesFor(analysis.file, target, { onError: options.onError })) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, fix.edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText })))] },
      };
      if (fix.preferred) action.isPreferred = true;
      if (fix.select && options.commands) {
        const after = TextDocument.create(doc.uri, doc.languageId, doc.version + 1, applyEdits(doc.getText(), fix.edits));
        action.command = { title: 'Select the reason', command: SELECT_RANGE_COMMAND, arguments: [doc.uri, toRange(after, fix.select.start, fix.select.end)] };
      }
      out.push(action);
    }
    const kb = typeof d.data === 'object' && d.data && typeof (d.data as { kb?: unknown }).kb === 'string' ? (d.data as { kb: string }).kb : undefined;
    const topic = kb ? topicById(kb) : undefined;
    if (topic && options.commands && !seenTopics.has(topic.id)) {
      seenTopics.add(topic.id);
      out.push({ title: `Open KB topic: ${topic.title}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: `Open KB topic: ${topic.title}`, command: 'kbHints.openTopic', arguments: [topic.id] } });
    }
  }
  return out;
}

/** The finding behind a diagnostic: the current analysis's finding at that place, else what the diagnostic carries. */
function targetOf(doc: TextDocument, findings: Finding[], d: Diagnostic): FixTarget | undefined {
  const data = (typeof d.data === 'object' && d.data ? d.data : {}) as Record<string, unknown>;
  const ruleId = typeof data.ruleId === 'string' ? data.ruleId : typeof d.code === 'string' ? d.code : undefined;
  if (!ruleId) return undefined;
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  const current = findings.find((f) => f.ruleId === ruleId && f.start === start && f.end === end) ?? findings.find((f) => f.ruleId === ruleId && f.start <= start && start <= f.end);
  if (current) return { ruleId, start: current.start, end: current.end, data: current.data };
  const { ruleId: _r, kb: _k, ...rest } = data;
  return { ruleId, start, end, data: rest };
}
