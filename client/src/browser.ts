// The web client (VS Code for the Web: vscode.dev, github.dev, code-server's browser extension host): the
// language server in a Web Worker (dist/browserServer.js). What it shares with the desktop client
// (client/src/extension.ts) is client/src/start.ts.
import * as vscode from 'vscode';
import { LanguageClient, type BaseLanguageClient } from 'vscode-languageclient/browser';
import { WEB_DOCUMENT_SELECTOR } from './kinds.generated';
import { startClient } from './start';

// What the web extension host has and the client's tsconfig (no DOM library) does not declare.
type ServerWorker = ConstructorParameters<typeof LanguageClient>[3];
declare const Worker: new (url: string, options?: { name?: string }) => ServerWorker;
declare const Blob: new (parts: Uint8Array[], options?: { type?: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

let client: BaseLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'browserServer.js');
  const worker = await serverWorker(script);
  client = await startClient(context, {
    // The file kinds' languages and names in files, unsaved editors and the web's virtual file systems.
    documentSelector: [...WEB_DOCUMENT_SELECTOR],
    where: `a Web Worker: ${script.toString(true)}`,
    client: (options) => new LanguageClient('kbHints', 'KB Hints', options, worker),
  });
}

/**
 * The server's worker. An extension served over http(s) (vscode.dev, github.dev) starts it from its URL;
 * VS Code refuses a worker URL of an extension in a remote folder (`vscode-remote:`, as code-server has
 * them), so there the script is read through the workspace's file system and started from a blob.
 */
async function serverWorker(script: vscode.Uri): Promise<ServerWorker> {
  const name = 'KB Hints language server';
  if (script.scheme === 'https' || script.scheme === 'http') return new Worker(script.toString(true), { name });
  const source = await vscode.workspace.fs.readFile(script);
  return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { name });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
