// The language server in a browser's Web Worker (VS Code for the Web: vscode.dev, github.dev, code-server):
// the same wiring as in Node (lsp/serve.ts) over the worker's messages. A browser has no disk: open documents
// are linted, files that are not open read as missing (`.kbhints.yaml`, team folders, Helm charts, Lint
// Workspace's other files), and CDK apps are not read. scripts/build.mjs bundles it without Node APIs.
import './browser/immediate';
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { ServerHost } from './lsp/host';
import { connectionPolicy, serve } from './lsp/serve';

// The worker's global scope is its message port.
const port = globalThis as never;
const policy = connectionPolicy();
const connection = createConnection(policy.inbox.reader(new BrowserMessageReader(port)), new BrowserMessageWriter(port), policy.options);

const host: ServerHost = {
  runtime: 'a Web Worker',
  readFile: () => undefined,
  // The text itself: exact, and the diagnostics of the open documents are small.
  digest: (text) => text,
  // A worker has no memory figures.
  stats: () => ({ heapUsed: 0, heapTotal: 0, rss: 0, external: 0 }),
};
serve(connection, host, policy);
