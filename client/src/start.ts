// What the desktop client (extension.ts, the server in a Node process) and the web client (browser.ts, the
// server in a Web Worker) share: the output channel, the client options, the commands, the status bar and
// links, and the start with its log lines.
import * as vscode from 'vscode';
import type { BaseLanguageClient, DocumentSelector, LanguageClientOptions } from 'vscode-languageclient';
import { COMMANDS } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { registerStatusBar } from './status';
import { withoutDuplicateSyntaxErrors } from './yamlSyntax';
import { offlineRuleLinks, registerArticleUriHandler } from './links';
import { registerWorkspaceCommands } from './workspace';

export interface ServerStart {
  /** The documents the server is given. */
  documentSelector: DocumentSelector;
  /** Where the server runs, for the log ("dist/server.js", "a Web Worker: dist/browserServer.js"). */
  where: string;
  /** The client for these options, its server not started yet. */
  client: (options: LanguageClientOptions) => BaseLanguageClient;
}

/** Creates the client, registers what the extension contributes, starts the server; resolves with the client. */
export async function startClient(context: vscode.ExtensionContext, start: ServerStart): Promise<BaseLanguageClient> {
  // The KB Hints output channel exists from activation on: the version, the server's start, the
  // `.kbhints.yaml` files in use and errors (the server logs into it too).
  const output = vscode.window.createOutputChannel('KB Hints');
  context.subscriptions.push(output);
  const version = String(context.extension.packageJSON.version ?? '');
  output.appendLine(`KB Hints ${version} activating (VS Code ${vscode.version}, ${vscode.env.appHost}).`);
  const client = start.client({
    documentSelector: start.documentSelector,
    // `.kbhints.yaml`, team rule files and topics changed on disk make the server re-read them and lint again.
    synchronize: {
      configurationSection: 'kbHints',
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/.kbhints.yaml'), vscode.workspace.createFileSystemWatcher('**/.kbhints/rules/*.{yaml,yml}'), vscode.workspace.createFileSystemWatcher('**/*.md')],
    },
    initializationOptions: { linkStyle: 'command', diagnostics: 'push' },
    // Hovers link to `kbHints.openTopic`, our own command.
    markdown: { isTrusted: { enabledCommands: [COMMANDS.openTopic] } },
    outputChannel: output,
    middleware: {
      // No second report of a YAML syntax error that Red Hat's YAML extension already shows; rule links
      // open the bundled article (client/src/links.ts).
      handleDiagnostics: (uri, diagnostics, next) => next(uri, offlineRuleLinks(withoutDuplicateSyntaxErrors(uri, diagnostics))),
    },
  });
  registerCommands(context, client);
  registerArticleUriHandler(context);
  registerWorkspaceCommands(context, client);
  registerStatusBar(context, client);
  try {
    await client.start();
    output.appendLine(`KB Hints ${version}: language server started (${start.where}).`);
  } catch (e) {
    output.appendLine(`KB Hints ${version}: the language server did not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    output.show(true);
    throw e;
  }
  return client;
}
