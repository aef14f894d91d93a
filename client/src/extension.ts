// The VS Code client: starts the language server, registers the commands and the status bar. Nothing else lives here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { EXTENSIONS, LANGUAGES } from './kinds.generated';
import { registerStatusBar } from './status';
import { registerWorkspaceCommands } from './workspace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The languages and file names the server's file kinds may claim (generated from server/src/kinds).
    // Markdown files too: team KB topics apply as they are typed (and a broken one is underlined).
    documentSelector: [...LANGUAGES.map((language) => ({ language })), { pattern: `**/*{${EXTENSIONS.join(',')}}` }, { scheme: 'file', language: 'markdown' }],
    // `.kbhints.yaml`, team rule files and topics changed on disk make the server re-read them and lint again.
    synchronize: {
      configurationSection: 'kbHints',
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/.kbhints.yaml'), vscode.workspace.createFileSystemWatcher('**/.kbhints/rules/*.{yaml,yml}'), vscode.workspace.createFileSystemWatcher('**/*.md')],
    },
    initializationOptions: { linkStyle: 'command' },
    // Hovers link to `kbHints.openTopic`, our own command.
    markdown: { isTrusted: { enabledCommands: [COMMANDS.openTopic] } },
  };
  client = new LanguageClient('kbHints', 'KB Hints', serverOptions, clientOptions);
  registerCommands(context, client);
  registerWorkspaceCommands(context, client);
  registerStatusBar(context, client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
