// The open documents: incremental edits checked against the document before they are applied, the one
// owner of open/change/close events (each concern gets them in a fixed order), and reading files that
// are not open.
import { TextDocuments, type Connection, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument, type Position } from 'vscode-languageserver-textdocument';
import { filePath } from './projectConfig';

/** A concern that follows the open documents. Called in the order given to `OpenDocuments.listen`. */
export interface DocumentListener {
  opened?(doc: TextDocument): void;
  changed?(doc: TextDocument): void;
  closed?(uri: string): void;
}

export class OpenDocuments {
  private readonly reported = new Set<string>();
  readonly documents: TextDocuments<TextDocument>;

  constructor(
    private readonly log: (message: string) => void,
    /** Reads a file that is not open (ServerHost.readFile). */
    readonly readFile: (path: string, maxBytes: number) => string | undefined = () => undefined,
  ) {
    this.documents = new TextDocuments({ create: TextDocument.create, update: (doc, changes, version) => this.update(doc, changes, version) });
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return this.documents.all();
  }

  /** Starts following the connection's document events; `listeners` get each event in this order. */
  listen(connection: Connection, listeners: DocumentListener[]): void {
    // TextDocuments reports a didOpen as an open and then a content change: the open covers both.
    const opening = new Set<string>();
    this.documents.onDidOpen((e) => {
      opening.add(e.document.uri);
      listeners.forEach((l) => l.opened?.(e.document));
    });
    this.documents.onDidChangeContent((e) => {
      if (opening.delete(e.document.uri)) return;
      listeners.forEach((l) => l.changed?.(e.document));
    });
    this.documents.onDidClose((e) => listeners.forEach((l) => l.closed?.(e.document.uri)));
    this.documents.listen(connection);
  }

  /**
   * Applies changes one at a time, each range clamped to the document as it is at that point. The
   * textdocument library trusts ranges: a line past the end makes it build a line table of that many
   * lines (a range at line 1e9 costs gigabytes on the next edit).
   */
  private update(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    for (const change of Array.isArray(changes) ? changes : []) {
      const text = typeof change?.text === 'string' ? change.text : '';
      if (!('range' in change) || !change.range) {
        TextDocument.update(doc, [{ text }], version);
        continue;
      }
      const { start, end } = change.range;
      if (!this.valid(doc, start) || !this.valid(doc, end)) this.invalid(doc.uri, change.range);
      TextDocument.update(doc, [{ range: { start: this.clamp(doc, start), end: this.clamp(doc, end) }, text }], version);
    }
    return doc;
  }

  /**
   * A position the protocol allows: integers, not negative, on a line of the document or the one just
   * after it (the end of a document that ends with a line break). A character past the end of its line
   * is allowed too: LSP says it means the end of the line.
   */
  private valid(doc: TextDocument, p: Position): boolean {
    return Number.isInteger(p?.line) && Number.isInteger(p?.character) && p.line >= 0 && p.character >= 0 && p.line <= doc.lineCount;
  }

  /** The nearest position inside the document (the textdocument library does the rest of the clamping). */
  private clamp(doc: TextDocument, p: Position): Position {
    const line = Number.isFinite(p?.line) ? Math.max(0, Math.floor(p.line)) : 0;
    const character = Number.isFinite(p?.character) ? Math.max(0, Math.floor(p.character)) : 0;
    return doc.positionAt(doc.offsetAt({ line, character }));
  }

  private invalid(uri: string, range: unknown): void {
    if (this.reported.has(uri)) return;
    if (this.reported.size > 1000) this.reported.clear();
    this.reported.add(uri);
    this.log(`KB Hints: a change to ${uri} had a range outside the document (${JSON.stringify(range).slice(0, 200)}); it was clamped to the document (logged once per document).`);
  }
}

/** The text of a document: the open one, else the file on disk (up to `maxBytes`); undefined when unreadable. */
export function readText(open: OpenDocuments, uri: string, maxBytes: number): string | undefined {
  const doc = open.get(uri);
  if (doc) return doc.getText();
  const path = filePath(uri);
  return path === undefined ? undefined : open.readFile(path, maxBytes);
}
