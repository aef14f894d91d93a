// Helm charts: a chart's values files and helpers are inputs of its templates. When one is edited (or closed,
// so the text on disk applies again), the chart's other open templates are linted again.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { chartInputChanged, isTemplateOf } from '../helm/chart';
import type { DiagnosticsPublisher } from './diagnostics';
import type { DocumentListener, OpenDocuments } from './documents';

export class ChartInputs implements DocumentListener {
  constructor(
    private readonly documents: OpenDocuments,
    private readonly diagnostics: DiagnosticsPublisher,
  ) {}

  opened(doc: TextDocument): void {
    this.changed(doc);
  }

  changed(doc: TextDocument): void {
    this.relintChart(chartInputChanged(doc.uri, doc.getText()), doc.uri);
  }

  closed(uri: string): void {
    this.relintChart(chartInputChanged(uri, undefined), uri);
  }

  private relintChart(chart: string | undefined, except: string): void {
    if (!chart) return;
    for (const d of this.documents.all()) if (d.uri !== except && isTemplateOf(d.uri, chart)) this.diagnostics.relint(d);
  }
}
