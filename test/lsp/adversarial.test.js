// @ts-check
// Misbehaving clients (issue 15, item 9; reproductions in the attack review): ranges past the end of the
// document, frames without Content-Length, traffic after shutdown, cancelled floods, a client that stops
// reading, and a file with more findings than an editor should be sent. Each must leave the server fast,
// bounded and answering.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient, positionAt } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const engine = require('../helpers/engine');
const { defined } = require('../helpers/expect');

/** @typedef {import('../helpers/lsp-client').Message} Message */
/** @typedef {import('vscode-languageserver').PublishDiagnosticsParams} PublishDiagnosticsParams */
/** An error answer, as the test client rejects with it. @typedef {Error & { code?: number }} RpcError */

const TASK = (/** @type {string} */ id) => [`  ${id}:`, '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - Name: app', '          Image: public.ecr.aws/nginx/nginx:1.27'].join('\n');
const template = (/** @type {number} */ n) => ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', ...Array.from({ length: n }, (_, i) => TASK(`Task${i}`)), ''].join('\n');

/** What the engine finds in a text, as (code, range) pairs. @param {string} text @param {string} uri */
function expected(text, uri) {
  return engine
    .analyze(text, uri)
    .findings.filter((f) => !f.suppressed)
    .map((f) => ({ code: f.ruleId, range: { start: positionAt(text, f.start), end: positionAt(text, f.end) } }));
}
const published = (/** @type {PublishDiagnosticsParams} */ p) => p.diagnostics.map((d) => ({ code: d.code, range: d.range }));

/** Writes raw bytes to the server, framing nothing. */
const raw = (/** @type {LspClient} */ client, /** @type {string | Buffer} */ s) => client.proc.stdin.write(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
const frame = (/** @type {Message} */ msg) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
};
const warnings = (/** @type {LspClient} */ client, /** @type {RegExp} */ re) => client.notifications.filter((n) => n.method === 'window/logMessage' && re.test(n.params.message));

describe('LSP: misbehaving clients', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir | undefined} */
  let t;
  /** @type {LspClient[]} */
  const clients = [];
  const uri = (/** @type {string} */ name) => pathToFileURL(defined(t).file(name)).href;
  async function start(settings = { debounceMs: 0 }) {
    const c = new LspClient({ settings });
    clients.push(c);
    await c.initialize();
    return c;
  }

  before(() => (t = tempDir()));
  after(() => {
    for (const c of clients) c.kill();
    t?.cleanup();
  });

  it('a didChange range past the end is clamped to the document (logged once); the next edits stay fast and right', async () => {
    const c = await start();
    const docUri = uri('past-end.yaml');
    let text = template(2);
    c.open(docUri, text);
    await c.diagnostics(docUri, { version: 1 });
    // Line 1e9: the textdocument library alone would build a line table of a billion lines.
    c.change(docUri, 2, [{ range: { start: { line: 1e9, character: 0 }, end: { line: 1e9 + 1, character: 0 } }, text: '\n# tail' }]);
    text += '\n# tail';
    const started = Date.now();
    // The next line-count-changing edit took 36 s at 1.4 GB past a span of 1e8.
    c.change(docUri, 3, [{ range: { start: { line: 1e8, character: 5 }, end: { line: 1e8, character: 5 } }, text: '\n# more\n' }]);
    text += '\n# more\n';
    c.change(docUri, 4, [{ range: { start: { line: -3, character: -1 }, end: { line: 0, character: 1e9 } }, text: 'AWSTemplateFormatVersion: "2010-09-09"' }]);
    text = text.replace(/^[^\n]*/, 'AWSTemplateFormatVersion: "2010-09-09"');
    const p = await c.diagnostics(docUri, { version: 4 });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.deepEqual(published(p), expected(text, docUri));
    const lines = text.split('\n').length;
    assert.ok(p.diagnostics.every((d) => d.range.end.line < lines));
    assert.equal(warnings(c, /outside the document/).length, 1, 'logged once for the document');
    // A hover near the end agrees with the clamped text.
    const at = positionAt(text, text.indexOf('Task1') + 1);
    assert.match(JSON.stringify(await c.hover(docUri, at)), /Task1/);
  });

  it('version numbers that go backwards or repeat with new text: diagnostics and hovers follow the text', async () => {
    const c = await start();
    const docUri = uri('versions.yaml');
    const one = template(1);
    c.open(docUri, one, { version: 9 });
    await c.diagnostics(docUri, { version: 9 });
    // Version 3 after 9, with a second task definition.
    const two = template(2);
    c.change(docUri, 3, [{ text: two }]);
    const p = await c.diagnostics(docUri, { version: 3 });
    assert.deepEqual(published(p), expected(two, docUri));
    // Version 3 again, with a renamed resource: not the cached analysis of the first version 3.
    const renamed = two.replace('Task1', 'Renamed');
    c.change(docUri, 3, [{ text: renamed }]);
    const h = await c.hover(docUri, positionAt(renamed, renamed.indexOf('Renamed') + 1));
    assert.match(JSON.stringify(h), /Renamed/);
    const q = await c.diagnostics(docUri, { version: 3, predicate: (x) => JSON.stringify(x).includes('Renamed') });
    assert.deepEqual(published(q), expected(renamed, docUri));
  });

  it('a frame without Content-Length (or with a bad one) costs that frame only: the next requests are answered', async () => {
    const c = await start();
    raw(c, 'X-Foo: 1\r\n\r\n{}');
    assert.ok(Array.isArray(await c.request('kbHints/searchKb', { query: 'fargate' }, 3000)));
    raw(c, 'Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":999,"method":"kbHints/stats"}');
    assert.ok(Array.isArray(await c.request('kbHints/searchKb', { query: 'task role' }, 3000)));
    // Garbage with no header end at all, then a frame split across two writes.
    raw(c, 'garbage without any header end '.repeat(4000));
    const id = c.nextId++;
    const answered = new Promise((resolve, reject) => c.pending.set(id, { method: 'kbHints/listRules', resolve, reject }));
    const f = frame({ id, method: 'kbHints/listRules', params: {} });
    raw(c, f.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 20));
    raw(c, f.subarray(10));
    assert.ok((await answered).length > 10);
    assert.ok(warnings(c, /dropped input/).length >= 2);
  });

  it('after shutdown, requests get InvalidRequest, notifications are ignored, and exit ends with 0', async () => {
    const c = await start();
    assert.equal(await c.request('shutdown', null), null);
    await assert.rejects(c.request('kbHints/searchKb', { query: 'ecs' }, 3000), (/** @type {RpcError} */ e) => e.code === -32600);
    await assert.rejects(c.request('shutdown', null, 3000), (/** @type {RpcError} */ e) => e.code === -32600);
    const mark = c.mark();
    const docUri = uri('after-shutdown.yaml');
    c.open(docUri, template(1));
    await assert.rejects(c.hover(docUri, { line: 2, character: 3 }), (/** @type {RpcError} */ e) => e.code === -32600);
    assert.equal(c.notifications.slice(mark).filter((n) => n.method === 'textDocument/publishDiagnostics').length, 0, 'nothing linted after shutdown');
    c.notify('exit');
    assert.equal(await c.waitExit(), 0);
  });

  it('exit without shutdown ends with 1', async () => {
    const c = await start();
    c.notify('exit');
    assert.equal(await c.waitExit(), 1);
  });

  it('3,000 requests cancelled as they are sent are answered RequestCancelled without running', async () => {
    const c = await start();
    const docUri = uri('cancel.yaml');
    const text = template(400);
    c.open(docUri, text);
    const d = defined((await c.diagnostics(docUri, { version: 1 })).diagnostics.find((x) => x.code === 'ecs-task-role-missing'));
    const requests = [
      (/** @type {number} */ id) => ({ id, method: 'textDocument/hover', params: { textDocument: { uri: docUri }, position: d.range.start } }),
      (/** @type {number} */ id) => ({ id, method: 'textDocument/codeAction', params: { textDocument: { uri: docUri }, range: d.range, context: { diagnostics: [d] } } }),
      (/** @type {number} */ id) => ({ id, method: 'kbHints/searchKb', params: { query: 'fargate task role' } }),
    ];
    const answers = [];
    const chunks = [];
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const id = c.nextId++;
      answers.push(
        new Promise((resolve) => {
          c.pending.set(id, { method: 'flood', resolve: () => resolve('ran'), reject: (/** @type {RpcError} */ e) => resolve(e.code === -32800 ? 'cancelled' : e.message) });
        }),
      );
      chunks.push(frame(requests[i % 3](id)), frame({ method: '$/cancelRequest', params: { id } }));
    }
    raw(c, Buffer.concat(chunks));
    const results = await Promise.all(answers);
    const ms = Date.now() - started;
    const cancelled = results.filter((r) => r === 'cancelled').length;
    assert.ok(cancelled >= 2900, `only ${cancelled} of 3000 cancelled: ${[...new Set(results)].slice(0, 3)}`);
    assert.ok(ms < 5000, `3,000 cancelled requests took ${ms} ms`);
    // And the server still works.
    assert.ok((await c.hover(docUri, d.range.start)) !== null);
  });

  it('a client that stops reading gets only the newest diagnostics of each document once it reads again', async () => {
    const c = await start();
    const docUri = uri('backpressure.yaml');
    let text = template(300);
    c.open(docUri, text);
    await c.diagnostics(docUri, { version: 1 });
    const mark = c.mark();
    c.proc.stdout.pause();
    // Each publish is ~150 KB: 40 of them back the pipe up well past the coalescing threshold.
    const versions = 41;
    for (let v = 2; v <= versions; v++) {
      text = `# edit ${v}\n${text}`;
      c.change(docUri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${v}\n` }]);
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 300));
    c.proc.stdout.resume();
    const last = await c.diagnostics(docUri, { version: versions, since: mark });
    assert.deepEqual(published(last), expected(text, docUri));
    const sent = c.notifications.slice(mark).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === docUri).length;
    assert.ok(sent < versions - 10, `${sent} publishes for ${versions - 1} versions: not coalesced`);
    assert.equal(warnings(c, /not reading/).length, 1);
  });

  it('answers that pile up while the client does not read are held, not buffered: all come, in order, once it reads', async () => {
    const c = await start();
    c.proc.stdout.pause();
    const ids = [];
    const order = [];
    const chunks = [];
    // ~3.2 KB per article: 5,000 answers are 16 MB, twice the backlog the server allows itself.
    for (let i = 0; i < 5000; i++) {
      const id = c.nextId++;
      ids.push(id);
      order.push(new Promise((resolve, reject) => c.pending.set(id, { method: 'kbHints/getArticle', resolve: (r) => resolve([id, r?.title]), reject })));
      chunks.push(frame({ id, method: 'kbHints/getArticle', params: { id: 'ecs-iam-roles' } }));
    }
    raw(c, Buffer.concat(chunks));
    await new Promise((r) => setTimeout(r, 1000));
    /** @type {number[]} */
    const arrived = [];
    for (const p of order) p.then(([id]) => arrived.push(id));
    c.proc.stdout.resume();
    const results = await Promise.all(order);
    assert.ok(results.every(([, title]) => title === results[0][1] && title));
    assert.deepEqual(arrived, ids, 'answered in order');
    const stats = await c.request('kbHints/stats', {});
    assert.ok(stats.peakOutputBacklog < 10 * 1024 * 1024, `backlog reached ${stats.peakOutputBacklog} bytes`);
  });

  it('a file with more than 1,000 findings publishes 1,000 and a summary; an unchanged large list is not sent again', async () => {
    const c = await start();
    const docUri = uri('many-findings.yaml');
    const text = template(1200);
    const all = expected(text, docUri);
    assert.ok(all.length > 1000);
    c.open(docUri, text);
    const p = await c.diagnostics(docUri, { version: 1 });
    assert.equal(p.diagnostics.length, 1001);
    const summary = p.diagnostics[1000];
    assert.equal(summary.code, 'too-many-findings');
    assert.match(summary.message, new RegExp(`1000 of the ${all.length} findings.*${all.length - 1000} more`));
    const status = await c.waitFor('kbHints/fileStatus', (s) => s.uri === docUri);
    assert.equal(status.findings, all.length, 'the status bar counts every finding');
    const actions = await c.request('textDocument/codeAction', { textDocument: { uri: docUri }, range: summary.range, context: { diagnostics: [summary] } });
    assert.deepEqual(actions, [], 'the summary has no quick fix');

    // A comment appended at the end moves no finding: nothing is sent again for this 500 KB list.
    const mark = c.mark();
    const end = positionAt(text, text.length);
    c.change(docUri, 2, [{ range: { start: end, end }, text: '# trailing comment\n' }]);
    await c.waitFor('kbHints/fileStatus', (s) => s.uri === docUri, { since: mark });
    assert.equal(c.notifications.slice(mark).filter((n) => n.method === 'textDocument/publishDiagnostics').length, 0);
    // A change that moves findings is published.
    c.change(docUri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# top\n' }]);
    const moved = await c.diagnostics(docUri, { version: 3, since: mark });
    assert.equal(moved.diagnostics[0].range.start.line, p.diagnostics[0].range.start.line + 1);
  });

  it('logged no error', () => {
    for (const c of clients) {
      assert.deepEqual(c.notifications.filter((n) => n.method === 'window/logMessage' && n.params.type === 1), []);
      assert.equal(c.stderr, '');
    }
  });
});
