#!/usr/bin/env node
// The language server: LSP wiring only. Everything it answers comes from the engine and the KB.
import { CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams, type Hover } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './engine/analyze';
import { hoverAt } from './kb/hover';
import { getArticle, searchKb, type LinkStyle } from './kb/topics';
import { toDiagnostic, toRange } from './lsp/convert';
import { Analyses } from './lsp/analyses';
import { CdkFeature } from './lsp/cdk';
import { registerEditorFeatures, sendFileStatus } from './lsp/editor';
import { filePath, ProjectConfigs } from './lsp/projectConfig';
import { GET_ARTICLE, SEARCH_KB, STATS, type GetArticleParams, type InitializationOptions, type SearchKbParams, type StatsParams } from './protocol';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings';
import { VERSION } from './version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let linkStyle: LinkStyle = 'web';
let pullSettings = false;
const settingsCache = new Map<string, Settings>();

const configs = new ProjectConfigs(
  (m) => connection.console.warn(m),
  (path) => documents.all().find((d) => d.uri.endsWith('/.kbhints.yaml') && filePath(d.uri) === path)?.getText(),
);
const analyses = new Analyses(publish, (m) => connection.console.error(m), (uri, s) => configs.options(uri, s));
const published = new Map<string, number>();
// CDK apps: findings on the source lines that create the constructs (lsp/cdk.ts).
const cdk = new CdkFeature({ connection, log: (m) => connection.console.log(m), severities: (uri) => configs.options(uri, settingsFor(uri)).severities, linkStyle: () => linkStyle });

function publish(doc: TextDocument, analysis: Analysis | undefined): void {
  // Never go back in time: a stale run must not overwrite newer diagnostics.
  const last = published.get(doc.uri);
  if (last !== undefined && last > doc.version) return;
  published.set(doc.uri, doc.version);
  // Suppressed findings stay in the analysis (for listing) but are never published.
  connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: analysis ? analysis.findings.filter((f) => !f.suppressed).map((f) => cdk.relate(doc.uri, doc.getText(), f, toDiagnostic(doc, f))) : [] });
  sendFileStatus(connection, doc.uri, analysis, analyses.ignored.has(doc.uri));
}

function settingsFor(uri: string): Settings {
  return settingsCache.get(uri) ?? DEFAULT_SETTINGS;
}

async function refreshSettings(uri: string): Promise<void> {
  if (!pullSettings) return;
  try {
    settingsCache.set(uri, normalizeSettings(await connection.workspace.getConfiguration({ scopeUri: uri, section: 'kbHints' })));
  } catch {
    // A client that fails the request keeps the defaults.
  }
}

function lintSoon(doc: TextDocument, immediate = false): void {
  analyses.schedule(doc, () => settingsFor(doc.uri), (uri) => documents.get(uri), immediate ? 0 : settingsFor(doc.uri).debounceMs);
}

connection.onInitialize((params: InitializeParams) => {
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  linkStyle = init.linkStyle === 'command' ? 'command' : 'web';
  pullSettings = !!params.capabilities.workspace?.configuration;
  cdk.initialize(params);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'kb-hints-language-server', version: VERSION },
  };
});

connection.onInitialized(() => cdk.start());
connection.onShutdown(() => cdk.dispose());

documents.onDidOpen(async (e) => {
  // A (re)open starts a new version sequence: nothing cached or published before it applies.
  analyses.forget(e.document.uri);
  published.delete(e.document.uri);
  await refreshSettings(e.document.uri);
  const doc = documents.get(e.document.uri);
  if (doc) lintSoon(doc, true);
});
documents.onDidChangeContent((e) => {
  // didOpen also fires a content change; the open handler lints that version.
  if (published.has(e.document.uri) || e.document.version > 1) lintSoon(e.document);
});
documents.onDidClose((e) => {
  analyses.forget(e.document.uri);
  analyses.workspace.remove(e.document.uri);
  settingsCache.delete(e.document.uri);
  published.delete(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration(async () => {
  settingsCache.clear();
  analyses.clear();
  for (const doc of documents.all()) {
    await refreshSettings(doc.uri);
    lintSoon(doc, true);
  }
});

connection.onHover((params): Hover | null => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return cdk.hover(params);
  const settings = settingsFor(doc.uri);
  if (!settings.enable) return null;
  const { file, findings } = analyses.get(doc, settings);
  if (!file.kind) return null;
  const h = hoverAt(file, doc.offsetAt(params.position), findings.filter((f) => !f.suppressed), linkStyle);
  return h ? { contents: { kind: 'markdown', value: h.markdown }, range: toRange(doc, h.start, h.end) } : null;
});

connection.onRequest(SEARCH_KB, (p: SearchKbParams) => searchKb(String(p?.query ?? ''), p?.limit));
connection.onRequest(GET_ARTICLE, (p: GetArticleParams) => getArticle(String(p?.id ?? ''), linkStyle) ?? null);
connection.onRequest(STATS, (p: StatsParams) => analyses.stats(documents.all().length, p?.gc === true));

registerEditorFeatures({
  connection,
  documents,
  analyses,
  configs,
  settingsFor,
  fetchSettings: async (uri) => {
    if (!pullSettings) return settingsFor(uri);
    try {
      return normalizeSettings(await connection.workspace.getConfiguration({ scopeUri: uri, section: 'kbHints' }));
    } catch {
      return settingsFor(uri);
    }
  },
  relintOpen: () => {
    for (const doc of documents.all()) lintSoon(doc, true);
  },
  commands: () => linkStyle === 'command',
  log: (m) => connection.console.error(m),
});

documents.listen(connection);
connection.listen();
