// @ts-check
// Runs dist/browserServer.js as a browser runs it in a Web Worker, for test/helpers/lsp-client.js (which
// starts this script instead of the Node server): in a context with only a worker's globals (no `require`,
// `process`, `Buffer` or `setImmediate`: a Node API in the bundle fails here as it would in a browser), its
// `postMessage`/`onmessage` carried over stdio in LSP frames.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.resolve(__dirname, '../../dist/browserServer.js');

/** @type {Record<string, any>} */
const scope = {
  console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, structuredClone, performance,
  TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, atob, btoa, crypto: globalThis.crypto, Event, EventTarget,
  /** @param {unknown} message */
  postMessage: (message) => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  },
};
// The worker's scope is an event target (`error` listeners; messages come through `onmessage`).
const events = new EventTarget();
scope.addEventListener = events.addEventListener.bind(events);
scope.removeEventListener = events.removeEventListener.bind(events);
const context = vm.createContext(scope);
scope.self = vm.runInContext('globalThis', context);
// Messages arrive as the worker's own objects (a browser clones them into the worker's realm).
const parse = vm.runInContext('(text) => JSON.parse(text)', context);
vm.runInContext(fs.readFileSync(BUNDLE, 'utf8'), context, { filename: BUNDLE });

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
    buffer = buffer.subarray(headerEnd + 4 + length);
    scope.onmessage?.({ data: parse(body) });
  }
});
// A worker ends with its page: here, with the client's end of the pipe.
process.stdin.on('end', () => process.exit(0));
