// The VS Code client: starts the language server, registers the commands and the status bar. Nothing else lives here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { DOCUMENT_SELECTOR } from './kinds.generated';
import { registerStatusBar } from './status';
import { withoutDuplicateSyntaxErrors } from './yamlSyntax';
import { offlineRuleLinks, registerArticleUriHandler } from './links';
import { registerWorkspaceCommands } from './workspace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // The KB Hints output channel exists from activation on: the version, the server's start, the
  // `.kbhints.yaml` files in use and errors (the server logs into it too).
  const output = vscode.window.createOutputChannel('KB Hints');
  context.subscriptions.push(output);
  const version = String(context.extension.packageJSON.version ?? '');
  output.appendLine(`KB Hints ${version} activating (VS Code ${vscode.version}, ${vscode.env.appHost}).`);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The languages and file names the server's file kinds may claim, in `file:` and `untitled:` documents
    // only (generated from server/src/kinds): a `git:` original in a diff editor stays out of the Problems
    // panel. Markdown files too: team KB topics apply as they are typed (and a broken one is underlined).
    documentSelector: [...DOCUMENT_SELECTOR, { scheme: 'file', language: 'markdown' }],
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
  };
  client = new LanguageClient('kbHints', 'KB Hints', serverOptions, clientOptions);
  registerCommands(context, client);
  registerArticleUriHandler(context);
  registerWorkspaceCommands(context, client);
  registerStatusBar(context, client);
  try {
    await client.start();
    output.appendLine(`KB Hints ${version}: language server started (${module}).`);
  } catch (e) {
    output.appendLine(`KB Hints ${version}: the language server did not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    output.show(true);
    throw e;
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
