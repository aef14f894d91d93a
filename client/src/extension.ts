// The desktop client: the language server in a Node process (dist/server.js over IPC). What it shares with
// the web client (client/src/browser.ts) is client/src/start.ts.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { DOCUMENT_SELECTOR } from './kinds.generated';
import { startClient } from './start';

let client: BaseLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  client = await startClient(context, {
    // The languages and file names the server's file kinds may claim, in `file:` and `untitled:` documents
    // only (generated from server/src/kinds): a `git:` original in a diff editor stays out of the Problems
    // panel. Markdown files too: team KB topics apply as they are typed (and a broken one is underlined).
    documentSelector: [...DOCUMENT_SELECTOR, { scheme: 'file', language: 'markdown' }],
    where: module,
    client: (options) => new LanguageClient('kbHints', 'KB Hints', serverOptions, options),
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
