#!/usr/bin/env node
// The language server: wiring only. Each concern lives in its own module under lsp/; this file builds the
// connection (a hardened transport for --stdio), the shared state, and hands the events to each module.
import { CodeActionKind, createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader, TextDocumentSyncKind, type Connection, type ConnectionOptions } from 'vscode-languageserver/node';
import { StatsRequest, type InitializationOptions } from './protocol';
import { SettingsStore } from './settings';
import { VERSION } from './version';
import { Analyses } from './lsp/analyses';
import { registerCodeActions } from './lsp/codeActions';
import { clientFeatures, type ServerContext } from './lsp/context';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { Inbox } from './lsp/inbox';
import { PullDiagnostics } from './lsp/pullDiagnostics';
import { OpenDocuments } from './lsp/documents';
import { ChartInputs } from './lsp/helmCharts';
import { CdkFeature } from './lsp/cdk';
import { LspTeam } from './lsp/teamRules';
import { registerKb } from './lsp/kb';
import { AFTER_SHUTDOWN, Lifecycle } from './lsp/lifecycle';
import { filePath, ProjectConfigs, ProjectConfigWatcher } from './lsp/projectConfig';
import { configDiagnostics, isConfigUri } from './lsp/configDiagnostics';
import { registerRules } from './lsp/rules';
import { registerSuppressions } from './lsp/suppressions';
import { BoundedWriter, FrameResync } from './lsp/transport';
import { WorkspaceLint } from './lsp/workspaceLint';
import { Dependents } from './lsp/dependents';
import { WorkspaceIndexer } from './lsp/workspaceIndexer';

// `kb-hints-language-server --version` / `--help` answer without starting a server (no stack trace).
if (process.argv.includes('--version') || process.argv.includes('-v')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
if (process.argv.includes('--help') || process.argv.includes('-h') || !process.argv.slice(2).some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a)) && !process.send) {
  process.stdout.write(`kb-hints-language-server ${VERSION}: the KB Hints language server (LSP).\nUsage: kb-hints-language-server --stdio   (editors start it this way; see the README's "Other editors")\n`);
  process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
}
const lifecycle = new Lifecycle();
// Edits read but not handled yet (the diagnostics scheduler does not lint a version a queued edit replaces).
const inbox = new Inbox();
const options: ConnectionOptions = {
  ...lifecycle.options,
  messageStrategy: {
    handleMessage: (message, next) => {
      inbox.dispatched(message);
      lifecycle.options.messageStrategy!.handleMessage(message, next);
    },
  },
};
let logWarning: (message: string) => void = () => {};
let writer: BoundedWriter | undefined;
const connection: Connection = process.argv.includes('--stdio')
  ? stdioConnection()
  : process.argv.includes('--node-ipc')
    ? createConnection(ProposedFeatures.all, inbox.reader(new IPCMessageReader(process)), new IPCMessageWriter(process), options)
    : createConnection(ProposedFeatures.all, options);
const log = (m: string) => connection.console.error(m);
logWarning = (m) => connection.console.warn(m);

const documents = new OpenDocuments(logWarning);
const settings = new SettingsStore((uri) => connection.workspace.getConfiguration({ scopeUri: uri, section: 'kbHints' }));
// Team rules and topics: rule files edited in the editor apply as typed; their problems are diagnostics.
const team = new LspTeam(connection, documents, () => relint());
const configs = new ProjectConfigs(
  logWarning,
  (path) => documents.all().find((d) => d.uri.endsWith('/.kbhints.yaml') && filePath(d.uri) === path)?.getText(),
  (uri, config) => team.rulesFor(uri, config),
  (m) => connection.console.info(m),
);
// A file's cross-file facts changed: the open documents that read them are linted again (lsp/dependents.ts).
const analyses = new Analyses(log, (uri, s) => configs.options(uri, s), (change) => dependents.changed(change));
const ctx: ServerContext = {
  connection,
  documents,
  analyses,
  settings,
  configs,
  client: { linkStyle: 'web', commands: false, hoverMarkdown: true, documentChanges: false, configuration: false },
  log,
  // Team rule files' problems, and an open `.kbhints.yaml`'s (lsp/configDiagnostics.ts).
  extraDiagnostics: (uri) => {
    const doc = isConfigUri(uri) ? documents.get(uri) : undefined;
    return doc ? [...team.diagnosticsFor(uri), ...configDiagnostics(doc)] : team.diagnosticsFor(uri);
  },
  relateDiagnostic: (doc, finding, diagnostic) => cdk.relate(doc.uri, doc.getText(), finding, diagnostic),
  hoverElsewhere: (params) => cdk.hover(params),
};
// CDK apps: findings on the source lines that create the constructs (lsp/cdk.ts).
const cdk = new CdkFeature({ connection, log, severities: (uri) => configs.options(uri, settings.get(uri)).severities, linkStyle: () => ctx.client.linkStyle });
const workspaceLint = new WorkspaceLint(ctx, (): boolean => indexer.complete);
const diagnostics = new DiagnosticsPublisher(ctx, (uri) => workspaceLint.restore(uri), (uri) => inbox.changePending(uri));
const dependents = new Dependents(ctx, diagnostics);
// The workspace folders read in the background for cross-file facts (lsp/workspaceIndexer.ts).
const indexer = new WorkspaceIndexer(ctx, dependents, () => diagnostics.busy);
const pull = new PullDiagnostics(ctx, diagnostics);
const relint = () => {
  analyses.clear();
  diagnostics.relintAll();
};
// A changed `.kbhints.yaml` may name other team folders: the team files are read again, then everything re-linted.
const configWatcher = new ProjectConfigWatcher(configs, () => team.reload());

connection.onInitialize((params) => {
  ctx.client = clientFeatures(params);
  settings.init(ctx.client.configuration);
  cdk.initialize(params);
  indexer.initialize(params);
  // Clients that announce pull diagnostics ask for them; the others get them pushed.
  const wanted = (params.initializationOptions as InitializationOptions | undefined)?.diagnostics === 'push' ? { pull: false, refresh: false } : PullDiagnostics.wanted(params.capabilities);
  if (wanted.pull) diagnostics.pullMode(() => (wanted.refresh ? void connection.languages.diagnostics.refresh() : undefined), () => pull.wake());
  return {
    capabilities: {
      ...(wanted.pull ? { diagnosticProvider: PullDiagnostics.capability() } : {}),
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'kb-hints-language-server', version: VERSION },
  };
});
connection.onInitialized(() => {
  connection.console.info(`KB Hints language server ${VERSION} started (Node ${process.version}, ${ctx.client.linkStyle === 'command' ? 'VS Code links' : 'web links'}).`);
  cdk.start();
  indexer.start();
});
connection.onShutdown(() => {
  diagnostics.stop();
  indexer.stop();
  configWatcher.stop();
  cdk.dispose();
});
connection.onRequest(AFTER_SHUTDOWN, (p: { method?: string }) => lifecycle.rejectAfterShutdown(p));

connection.onDidChangeConfiguration((params) => {
  settings.changed(params);
  // Each open document's settings are asked again before it is linted.
  void Promise.all(documents.all().map((d) => settings.refresh(d.uri))).then(relint);
  void indexer.settingsChanged();
});
connection.onDidChangeWatchedFiles((params) => {
  const changes = (params?.changes ?? []).filter((c) => typeof c?.uri === 'string');
  const uris = changes.map((c) => c.uri);
  configWatcher.watchedFilesChanged(uris);
  team.filesChanged(uris);
  indexer.watchedFilesChanged(changes);
});

// The one owner of document events: each concern in this order (the index first: a closed document's
// facts come from disk again before its disk diagnostics are restored).
documents.listen(connection, [indexer, diagnostics, configWatcher, team, new ChartInputs(documents, diagnostics), pull]);
registerKb(ctx);
registerCodeActions(ctx);
registerSuppressions(ctx);
registerRules(ctx);
workspaceLint.register();
pull.register();
connection.onRequest(StatsRequest, (p) => ({
  ...analyses.stats(documents.all().length, p?.gc === true),
  ...(writer ? { peakOutputBacklog: writer.peakBacklog } : {}),
  index: indexer.stats(),
  dependentRelints: dependents.relints,
}));

connection.listen();

/**
 * Over stdio, frames are read through FrameResync (a malformed header costs that frame, not the
 * connection) and written through BoundedWriter (a client that stops reading cannot make us buffer
 * without bound). The console is routed to the client's log: stdout is the protocol.
 */
function stdioConnection(): Connection {
  const input = new FrameResync((reason) => logWarning(`KB Hints: dropped input up to the next Content-Length header (${reason}).`));
  process.stdin.pipe(input);
  writer = new BoundedWriter(process.stdout, input, (m) => logWarning(m));
  lifecycle.setGate(writer);
  const c = createConnection(ProposedFeatures.all, inbox.reader(new StreamMessageReader(input)), writer, options);
  // As vscode-languageserver does for its own stdio: the client went away.
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(lifecycle.shutdown ? 0 : 1));
  for (const level of ['log', 'info', 'debug'] as const) console[level] = (...args: unknown[]) => c.console.log(args.map(String).join(' '));
  for (const level of ['warn', 'error'] as const) console[level] = (...args: unknown[]) => c.console.error(args.map(String).join(' '));
  return c;
}
