// @ts-check
// A small LSP client for tests: spawns the language server over stdio, frames JSON-RPC messages with
// Content-Length headers, answers the server's requests, and lets a test wait for notifications.
const { spawn } = require('node:child_process');
const path = require('node:path');

const SERVER = path.resolve(__dirname, '../../dist/server.js');
const DEFAULT_TIMEOUT = 10000;

/** @typedef {import('vscode-languageserver').PublishDiagnosticsParams} PublishDiagnosticsParams */
/** @typedef {import('vscode-languageserver').Hover} Hover */
/** @typedef {import('vscode-languageserver').Position} Position */
/** @typedef {import('vscode-languageserver').TextDocumentContentChangeEvent} TextDocumentContentChangeEvent */
/** A notification or a request the server sent: its method and (JSON) params. @typedef {{ method: string, params: any }} Received */
/** A JSON-RPC message (request, response or notification), as parsed. @typedef {{ id?: number | string, method?: string, params?: any, result?: any, error?: { code: number, message: string } }} Message */
/** @typedef {{ method: string, resolve: (v: any) => void, reject: (e: Error) => void }} Pending */

class LspClient {
  /**
   * @param {object} [options]
   * @param {object} [options.settings] what `workspace/configuration` answers for the `kbHints` section
   * @param {string[]} [options.command] another server to run (Node script and arguments; the bench runs a peer)
   */
  constructor(options = {}) {
    this.settings = options.settings ?? {};
    this.proc = spawn(process.execPath, options.command ?? [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.nextId = 1;
    /** @type {Map<number | string, Pending>} */
    this.pending = new Map();
    /** Every notification received, in order: `{ method, params }`. @type {Received[]} */
    this.notifications = [];
    /** Every request the server sent us, in order: `{ method, params }`. @type {Received[]} */
    this.serverRequests = [];
    /** @type {{ check: () => void }[]} */
    this.waiters = [];
    this.stderr = '';
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    /** @type {{ code: number | null, signal: NodeJS.Signals | null } | undefined} */
    this.exitInfo = undefined;
    this.exited.then((info) => {
      this.exitInfo = info;
      for (const p of this.pending.values()) p.reject(new Error(`server exited (${info.code ?? info.signal}) before answering ${p.method}\n${this.stderr}`));
      this.pending.clear();
    });
    /** How the client answers the server's requests, by method (a test may add or replace handlers). @type {Record<string, (params: any) => unknown>} */
    this.requestHandlers = {
      'workspace/configuration': (/** @type {{ items: { section?: string }[] }} */ params) => params.items.map((item) => (item.section === 'kbHints' ? this.settings : {})),
      'client/registerCapability': () => null,
      'client/unregisterCapability': () => null,
      'window/workDoneProgress/create': () => null,
    };
    let buffer = Buffer.alloc(0);
    this.proc.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd === -1) return;
        const header = buffer.subarray(0, headerEnd).toString('ascii');
        const m = /Content-Length: *(\d+)/i.exec(header);
        if (!m) throw new Error(`bad LSP header: ${header}`);
        const length = Number(m[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
        buffer = buffer.subarray(headerEnd + 4 + length);
        this.dispatch(JSON.parse(body));
      }
    });
    this.proc.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.proc.stdin.on('error', () => {}); // the server may exit while we still write
  }

  /** @param {Message} message */
  send(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** @param {Message} msg */
  dispatch(msg) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${p.method} failed: ${msg.error.message}`), { code: msg.error.code }));
      else p.resolve(msg.result);
    } else if (msg.id !== undefined) {
      this.serverRequests.push({ method: /** @type {string} */ (msg.method), params: msg.params });
      const handler = this.requestHandlers[/** @type {string} */ (msg.method)];
      if (handler) this.send({ id: msg.id, result: handler(msg.params) });
      else this.send({ id: msg.id, error: { code: -32601, message: `test client does not handle ${msg.method}` } });
    } else {
      this.notifications.push({ method: /** @type {string} */ (msg.method), params: msg.params });
      for (const w of [...this.waiters]) w.check();
    }
  }

  /**
   * Sends a request; resolves with its result, rejects on an error answer, on timeout or if the server exits.
   * @param {string} method
   * @param {unknown} params
   * @returns {Promise<any>}
   */
  request(method, params, timeout = DEFAULT_TIMEOUT) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.exitInfo) return reject(new Error(`server already exited; cannot send ${method}`));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeout} ms\n${this.stderr}`));
      }, timeout);
      this.pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.send({ id, method, params });
    });
  }

  /** @param {string} method @param {unknown} [params] */
  notify(method, params) {
    this.send({ method, params });
  }

  /**
   * Resolves with the first notification (at index >= `since` in `this.notifications`) of `method` that
   * satisfies `predicate`; rejects after `timeout` ms.
   * @param {string} method
   * @param {(params: any) => boolean} [predicate]
   * @param {{ since?: number, timeout?: number }} [options]
   * @returns {Promise<any>}
   */
  waitFor(method, predicate = () => true, { since = 0, timeout = DEFAULT_TIMEOUT } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          for (let i = since; i < this.notifications.length; i++) {
            const n = this.notifications[i];
            if (n.method === method && predicate(n.params)) {
              done();
              resolve(n.params);
              return;
            }
          }
        },
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.notifications.slice(since).map((n) => `${n.method} ${JSON.stringify(n.params).slice(0, 300)}`).join('\n  ');
        reject(new Error(`no matching ${method} within ${timeout} ms; received:\n  ${seen}\n${this.stderr}`));
      }, timeout);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
      waiter.check();
    });
  }

  /**
   * Waits for diagnostics of `uri` (optionally of a given document version, or matching `predicate`).
   * @param {string} uri
   * @param {{ version?: number, predicate?: (p: PublishDiagnosticsParams) => boolean, since?: number, timeout?: number }} [options]
   * @returns {Promise<PublishDiagnosticsParams>}
   */
  diagnostics(uri, { version, predicate = () => true, since = 0, timeout } = {}) {
    return this.waitFor('textDocument/publishDiagnostics', (/** @type {PublishDiagnosticsParams} */ p) => p.uri === uri && (version === undefined || p.version === version) && predicate(p), { since, timeout });
  }

  /**
   * Every publishDiagnostics received so far for `uri`.
   * @param {string} uri
   * @returns {PublishDiagnosticsParams[]}
   */
  published(uri) {
    return this.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).map((n) => n.params);
  }

  /** A mark for `since`: only notifications received after this call are considered. */
  mark() {
    return this.notifications.length;
  }

  /**
   * `initialize` (with or without `workspace/configuration` support) then `initialized`; resolves with the result.
   * `rootUri`: a workspace folder (the server then indexes it in the background); `workDoneProgress`: the
   * client shows work-done progress; `watchedFiles`: the client takes file watchers the server registers.
   * @param {{ configuration?: boolean, initializationOptions?: unknown, rootUri?: string, workDoneProgress?: boolean, watchedFiles?: boolean }} [options]
   * @returns {Promise<any>}
   */
  async initialize({ configuration = true, initializationOptions, rootUri, workDoneProgress = false, watchedFiles = false } = {}) {
    const capabilities = {
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      },
      workspace: { ...(configuration ? { configuration: true } : {}), ...(watchedFiles ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}) },
      ...(workDoneProgress ? { window: { workDoneProgress: true } } : {}),
    };
    const result = await this.request('initialize', { processId: process.pid, rootUri: rootUri ?? null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  /** @param {string} uri @param {string} text @param {{ languageId?: string, version?: number }} [options] */
  open(uri, text, { languageId = 'yaml', version = 1 } = {}) {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** @param {string} uri @param {number} version @param {TextDocumentContentChangeEvent[]} contentChanges */
  change(uri, version, contentChanges) {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /**
   * The `$/progress` values the server sent for a work-done token, in order.
   * @param {string | number} token
   * @returns {any[]}
   */
  progress(token) {
    return this.notifications.filter((n) => n.method === '$/progress' && n.params.token === token).map((n) => n.params.value);
  }

  /** @param {string} uri */
  close(uri) {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** @param {string} uri @param {Position} position @returns {Promise<Hover | null>} */
  hover(uri, position) {
    return this.request('textDocument/hover', { textDocument: { uri }, position });
  }

  /** Polite shutdown; resolves with the exit code. */
  /** @returns {Promise<number | null>} */
  async shutdown(timeout = DEFAULT_TIMEOUT) {
    await this.request('shutdown', null, timeout);
    this.notify('exit');
    return this.waitExit(timeout);
  }

  /** Resolves with the exit code once the server exited; rejects after `timeout` ms. @returns {Promise<number | null>} */
  async waitExit(timeout = DEFAULT_TIMEOUT) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    /** @type {Promise<never>} */
    const limit = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`server did not exit within ${timeout} ms`)), timeout)));
    try {
      return (await Promise.race([this.exited, limit])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  /** For `after` hooks: ends the server if a test left it running. */
  kill() {
    if (!this.exitInfo) this.proc.kill();
  }
}

/**
 * Offset -> LSP position (0-based line, UTF-16 character), for computing expected ranges in tests.
 * @param {string} text
 * @param {number} offset
 * @returns {Position}
 */
function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

module.exports = { LspClient, positionAt };
