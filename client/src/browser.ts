// The web client (VS Code for the Web: vscode.dev, github.dev, code-server's browser extension host): the
// language server in a Web Worker (dist/browserServer.js). What it shares with the desktop client
// (client/src/extension.ts) is client/src/start.ts.
import * as vscode from 'vscode';
import { LanguageClient, type BaseLanguageClient } from 'vscode-languageclient/browser';
import { WEB_DOCUMENT_SELECTOR } from './kinds.generated';
import { startClient } from './start';

/** The browser's Worker (the client's tsconfig has no DOM library). */
declare const Worker: new (url: string, options?: { name?: string }) => ConstructorParameters<typeof LanguageClient>[3];

let client: BaseLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const server = vscode.Uri.joinPath(context.extensionUri, 'dist', 'browserServer.js');
  client = await startClient(context, {
    // The file kinds' languages and names in files, unsaved editors and the web's virtual file systems.
    documentSelector: [...WEB_DOCUMENT_SELECTOR],
    where: `a Web Worker: ${server.toString(true)}`,
    client: (options) => new LanguageClient('kbHints', 'KB Hints', options, new Worker(server.toString(true), { name: 'KB Hints language server' })),
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
