// Engine findings and hovers -> LSP types. The only place offsets become LSP ranges.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/run';
import { ruleById } from '../rules';
import { ruleUrl } from '../kb/topics';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: toRange(doc, f.start, f.end),
    severity: SEVERITY[f.severity],
    source: 'kb-hints',
    code: f.ruleId,
    message: f.message,
    data: { ruleId: f.ruleId, kb: f.kb, ...f.data },
  };
  if (ruleById(f.ruleId) && !f.ruleId.includes('/')) d.codeDescription = { href: ruleUrl(f.ruleId) };
  if (f.related.length) d.relatedInformation = f.related.map((r) => ({ location: { uri: r.uri ?? doc.uri, range: r.range ?? toRange(doc, r.start, r.end) }, message: r.message }));
  return d;
}
