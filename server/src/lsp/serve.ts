// The language server's wiring, whatever it runs in (server.ts: Node over stdio or IPC; browserServer.ts:
// a Web Worker): the shared state, and each event handed to the module of its concern. Each concern lives
// in its own module beside this one; what depends on the runtime comes in through ServerHost.
import { CodeActionKind, TextDocumentSyncKind, type Connection, type ConnectionOptions } from 'vscode-languageserver';
import { StatsRequest, type InitializationOptions } from '../protocol';
import { SettingsStore } from '../settings';
import { VERSION } from '../version';
import { Analyses } from './analyses';
import { registerCodeActions } from './codeActions';
import { clientFeatures, type ServerContext } from './context';
import { DiagnosticsPublisher } from './diagnostics';
import { Inbox } from './inbox';
import { PullDiagnostics } from './pullDiagnostics';
import { OpenDocuments } from './documents';
import { ChartInputs } from './helmCharts';
import { LspTeam } from './teamRules';
import { registerKb } from './kb';
import { AFTER_SHUTDOWN, Lifecycle } from './lifecycle';
import { filePath, ProjectConfigs, ProjectConfigWatcher } from './projectConfig';
import { configDiagnostics, isConfigUri } from './configDiagnostics';
import { registerRules } from './rules';
import { registerSuppressions } from './suppressions';
import { WorkspaceLint } from './workspaceLint';
import { Dependents } from './dependents';
import { WorkspaceIndexer } from './workspaceIndexer';
import type { ServerHost } from './host';

/** What the transport needs before the connection exists: the message policy and the inbox of unhandled edits. */
export interface ConnectionPolicy {
  lifecycle: Lifecycle;
  inbox: Inbox;
  options: ConnectionOptions;
}

export function connectionPolicy(): ConnectionPolicy {
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
  return { lifecycle, inbox, options };
}

/** Registers every handler on the connection and starts listening. */
export function serve(connection: Connection, host: ServerHost, { lifecycle, inbox }: ConnectionPolicy): void {
  const log = (m: string) => connection.console.error(m);
  const logWarning = (m: string) => connection.console.warn(m);

  const documents = new OpenDocuments(logWarning, (path, maxBytes) => host.readFile(path, maxBytes));
  const settings = new SettingsStore((uri) => connection.workspace.getConfiguration({ scopeUri: uri, section: 'kbHints' }));
  // Team rules and topics: rule files edited in the editor apply as typed; their problems are diagnostics.
  const team = new LspTeam(connection, documents, () => relint());
  const configs = new ProjectConfigs(
    logWarning,
    (path) => documents.all().find((d) => d.uri.endsWith('/.kbhints.yaml') && filePath(d.uri) === path)?.getText(),
    (path) => host.readFile(path),
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
    digest: host.digest,
    // Team rule files' problems, and an open `.kbhints.yaml`'s (lsp/configDiagnostics.ts).
    extraDiagnostics: (uri) => {
      const doc = isConfigUri(uri) ? documents.get(uri) : undefined;
      return doc ? [...team.diagnosticsFor(uri), ...configDiagnostics(doc)] : team.diagnosticsFor(uri);
    },
    relateDiagnostic: (doc, finding, diagnostic) => cdk?.relate(doc.uri, doc.getText(), finding, diagnostic) ?? diagnostic,
    hoverElsewhere: (params) => cdk?.hover(params) ?? null,
  };
  // CDK apps: findings on the source lines that create the constructs (lsp/cdk.ts), where the host reads disks.
  const cdk = host.cdk?.({ connection, log, severities: (uri) => configs.options(uri, settings.get(uri)).severities, linkStyle: () => ctx.client.linkStyle });
  const workspaceLint = new WorkspaceLint(ctx, (): boolean => indexer.complete);
  const diagnostics = new DiagnosticsPublisher(ctx, (uri) => workspaceLint.restore(uri), (uri) => inbox.changePending(uri));
  const dependents = new Dependents(ctx, diagnostics);
  // The workspace folders read in the background for cross-file facts (lsp/workspaceIndexer.ts; `file:`
  // folders only, so none in a browser).
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
    cdk?.initialize(params);
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
    connection.console.info(`KB Hints language server ${VERSION} started (${host.runtime}, ${ctx.client.linkStyle === 'command' ? 'VS Code links' : 'web links'}).`);
    cdk?.start();
    indexer.start();
  });
  connection.onShutdown(() => {
    diagnostics.stop();
    indexer.stop();
    configWatcher.stop();
    cdk?.dispose();
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
    ...analyses.stats(documents.all().length),
    ...host.stats(p?.gc === true),
    index: indexer.stats(),
    dependentRelints: dependents.relints,
  }));

  connection.listen();
}
