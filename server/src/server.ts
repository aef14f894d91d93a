#!/usr/bin/env node
// The language server in Node: the command line, the connection (a hardened transport for --stdio) and
// what the server takes from Node (files on disk, hashing, memory figures, CDK apps). The wiring is
// lsp/serve.ts, shared with the browser's server (browserServer.ts).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader, type Connection } from 'vscode-languageserver/node';
import { VERSION } from './version';
import { CdkFeature } from './lsp/cdk';
import type { ServerHost } from './lsp/host';
import { connectionPolicy, serve } from './lsp/serve';
import { BoundedWriter, FrameResync } from './lsp/transport';

// `kb-hints-language-server --version` / `--help` answer without starting a server (no stack trace).
if (process.argv.includes('--version') || process.argv.includes('-v')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
if (process.argv.includes('--help') || process.argv.includes('-h') || !process.argv.slice(2).some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a)) && !process.send) {
  process.stdout.write(`kb-hints-language-server ${VERSION}: the KB Hints language server (LSP).\nUsage: kb-hints-language-server --stdio   (editors start it this way; see the README's "Other editors")\n`);
  process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
}
const policy = connectionPolicy();
let logWarning: (message: string) => void = () => {};
let writer: BoundedWriter | undefined;
const connection: Connection = process.argv.includes('--stdio')
  ? stdioConnection()
  : process.argv.includes('--node-ipc')
    ? createConnection(ProposedFeatures.all, policy.inbox.reader(new IPCMessageReader(process)), new IPCMessageWriter(process), policy.options)
    : createConnection(ProposedFeatures.all, policy.options);
logWarning = (m) => connection.console.warn(m);

const host: ServerHost = {
  runtime: `Node ${process.version}`,
  readFile: (path, maxBytes = Infinity) => {
    try {
      const stat = fs.statSync(path);
      return stat.isFile() && stat.size <= maxBytes ? fs.readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  digest: (text) => createHash('sha1').update(text).digest('base64'),
  stats: (gc) => {
    if (gc) collectGarbage();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, ...(writer ? { peakOutputBacklog: writer.peakBacklog } : {}) };
  },
  cdk: (options) => new CdkFeature(options),
};
serve(connection, host, policy);

/**
 * Over stdio, frames are read through FrameResync (a malformed header costs that frame, not the
 * connection) and written through BoundedWriter (a client that stops reading cannot make us buffer
 * without bound). The console is routed to the client's log: stdout is the protocol.
 */
function stdioConnection(): Connection {
  const input = new FrameResync((reason) => logWarning(`KB Hints: dropped input up to the next Content-Length header (${reason}).`));
  process.stdin.pipe(input);
  writer = new BoundedWriter(process.stdout, input, (m) => logWarning(m));
  policy.lifecycle.setGate(writer);
  const c = createConnection(ProposedFeatures.all, policy.inbox.reader(new StreamMessageReader(input)), writer, policy.options);
  // As vscode-languageserver does for its own stdio: the client went away.
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(policy.lifecycle.shutdown ? 0 : 1));
  for (const level of ['log', 'info', 'debug'] as const) console[level] = (...args: unknown[]) => c.console.log(args.map(String).join(' '));
  for (const level of ['warn', 'error'] as const) console[level] = (...args: unknown[]) => c.console.error(args.map(String).join(' '));
  return c;
}

let gcFunction: (() => void) | undefined;

/** A full garbage collection, through V8's `gc` exposed at run time (only for the stats request). */
function collectGarbage(): void {
  try {
    if (!gcFunction) {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    }
    gcFunction();
  } catch {
    // No collection: the figures are taken as they are.
  }
}
