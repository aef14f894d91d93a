// Out-of-order and rapid LSP traffic, at the protocol level: changes racing closes and reopens,
// cancellations, requests and notifications for documents the server does not have, bursts, and long
// runs of edits through the incremental re-parse. After each, the server is consistent: it answers,
// publishes what the engine finds for the latest text, and never goes back to an older version.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient, positionAt } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const engine = require('../../dist/engine.js');

const ROOT = path.resolve(__dirname, '../..');
// Corpus files committed in the repository (test/fixtures/corpus/SOURCES.md): the tests need nothing beside it.
const CORPUS = path.resolve(ROOT, 'test/fixtures/corpus');

const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  AppTask:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - Name: app',
  '          Image: public.ecr.aws/nginx/nginx:latest',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '',
].join('\n');

/** What the engine finds in a text, as (code, range) pairs the server should publish. */
function expected(text, uri) {
  return engine
    .analyze(text, uri)
    .findings.filter((f) => !f.suppressed)
    .map((f) => ({ code: f.ruleId, range: { start: positionAt(text, f.start), end: positionAt(text, f.end) } }));
}
const published = (p) => p.diagnostics.map((d) => ({ code: d.code, range: d.range }));

function insertAt(text, offset, s) {
  return { change: { range: { start: positionAt(text, offset), end: positionAt(text, offset) }, text: s }, text: text.slice(0, offset) + s + text.slice(offset) };
}
function replace(text, start, end, s) {
  return { change: { range: { start: positionAt(text, start), end: positionAt(text, end) }, text: s }, text: text.slice(0, start) + s + text.slice(end) };
}

/** Versions published for a document never decrease within one open/close session. */
function assertMonotonic(client, uri) {
  let last = -Infinity;
  for (const p of client.published(uri)) {
    if (p.version === undefined || p.version === null) {
      last = -Infinity; // a close clears diagnostics without a version; a reopen starts over
      continue;
    }
    assert.ok(p.version >= last, `${uri}: published version ${p.version} after ${last}`);
    last = p.version;
  }
}

const roundTrip = (client) => client.request('kbHints/stats', {});

describe('LSP traffic', function () {
  this.timeout(60000);
  let t;
  let fast;
  let debounced;
  const uri = (name) => pathToFileURL(t.file(name)).href;

  before(async () => {
    t = tempDir();
    fast = new LspClient({ settings: { debounceMs: 0 } });
    debounced = new LspClient({ settings: { debounceMs: 100 } });
    await Promise.all([fast.initialize(), debounced.initialize()]);
  });

  after(async () => {
    for (const c of [fast, debounced]) {
      try {
        if (c && !c.exitInfo) await c.shutdown();
      } finally {
        c?.kill();
      }
    }
    t?.cleanup();
  });

  it('a burst of edits is linted once, at its latest version', async () => {
    const docUri = uri('burst.yaml');
    let text = TEMPLATE;
    debounced.open(docUri, text);
    await debounced.diagnostics(docUri, { version: 1 });
    const before = await debounced.request('kbHints/stats', {});
    const since = debounced.mark();
    for (let v = 2; v <= 31; v++) {
      const e = insertAt(text, text.indexOf('AppTask') + 3 + (v - 2), 'x');
      text = e.text;
      debounced.change(docUri, v, [e.change]);
    }
    const last = await debounced.diagnostics(docUri, { version: 31, since });
    await new Promise((r) => setTimeout(r, 250));
    await roundTrip(debounced);
    const after = await debounced.request('kbHints/stats', {});
    const versions = debounced.notifications.slice(since).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === docUri).map((n) => n.params.version);
    assert.deepEqual(versions, [31], 'one publish, for the last version');
    assert.equal(after.lints - before.lints, 1, 'one lint for the whole burst');
    assert.deepEqual(published(last), expected(text, docUri));
    debounced.close(docUri);
  });

  it('changes, closes and reopens in quick succession end with the diagnostics of the last text', async () => {
    const docUri = uri('reopen.yaml');
    let text = TEMPLATE;
    fast.open(docUri, text);
    let e = insertAt(text, text.indexOf('    Properties:'), '    Condition: IsProd\n');
    fast.change(docUri, 2, [e.change]);
    fast.close(docUri);
    // A change for the closed document is ignored, whatever its version.
    fast.change(docUri, 3, [e.change]);
    // Reopened with other content, a lower version, then changed at once.
    text = TEMPLATE.replace('AppTask', 'WebTask');
    fast.open(docUri, text);
    e = insertAt(text, text.indexOf('      ContainerDefinitions:'), '      Family: web\n');
    text = e.text;
    fast.change(docUri, 2, [e.change]);
    const last = await fast.diagnostics(docUri, { version: 2, predicate: (p) => JSON.stringify(p).includes('WebTask') });
    assert.deepEqual(published(last), expected(text, docUri));
    await roundTrip(fast);
    const sessions = fast.published(docUri);
    assert.ok(sessions.some((p) => p.diagnostics.length === 0 && (p.version === undefined || p.version === null)), 'the close cleared diagnostics');
    assert.ok(!sessions.slice(sessions.findIndex((p) => p.version == null) + 1).some((p) => JSON.stringify(p).includes('AppTask')), 'nothing of the closed session is published after the close');
    fast.close(docUri);
  });

  it('a document opened again without a close (a client restart) is linted from version 1', async () => {
    const docUri = uri('open-twice.yaml');
    let text = TEMPLATE;
    fast.open(docUri, text);
    for (let v = 2; v <= 6; v++) {
      const e = insertAt(text, text.indexOf('AppTask') + 3, 'y');
      text = e.text;
      fast.change(docUri, v, [e.change]);
    }
    await fast.diagnostics(docUri, { version: 6 });
    const fresh = TEMPLATE.replace('AppTask', 'FreshTask');
    const since = fast.mark();
    fast.open(docUri, fresh);
    const p = await fast.diagnostics(docUri, { version: 1, since });
    assert.deepEqual(published(p), expected(fresh, docUri));
    assert.match(JSON.stringify(p), /FreshTask/);
    fast.close(docUri);
  });

  it('requests and notifications for unknown documents are answered or ignored, and the server keeps working', async () => {
    const ghost = uri('ghost.yaml');
    fast.change(ghost, 7, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    fast.close(ghost);
    assert.equal(await fast.hover(ghost, { line: 0, character: 0 }), null);
    const actions = await fast.request('textDocument/codeAction', { textDocument: { uri: ghost }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] } });
    assert.ok(actions === null || (Array.isArray(actions) && actions.length === 0), JSON.stringify(actions));
    // Out-of-range positions on a real document.
    const docUri = uri('real.yaml');
    fast.open(docUri, TEMPLATE);
    const p = await fast.diagnostics(docUri, { version: 1 });
    assert.deepEqual(published(p), expected(TEMPLATE, docUri));
    assert.doesNotThrow(async () => fast.hover(docUri, { line: 9999, character: 9999 }));
    await fast.hover(docUri, { line: 9999, character: 9999 });
    await fast.hover(docUri, { line: 2, character: 9999 });
    // Nothing was published for the unknown document.
    await roundTrip(fast);
    assert.ok(!fast.published(ghost).some((x) => x.diagnostics.length), 'no diagnostics for a document never opened');
    fast.close(docUri);
  });

  it('cancelled requests are answered or cancelled, never lost, and later requests work', async () => {
    const docUri = uri('cancel.yaml');
    fast.open(docUri, TEMPLATE);
    await fast.diagnostics(docUri, { version: 1 });
    const results = [];
    for (let i = 0; i < 10; i++) {
      const id = fast.nextId;
      const pending = fast.hover(docUri, { line: 2, character: 3 }).then(
        (r) => ({ ok: r }),
        (e) => ({ error: e.code }),
      );
      fast.notify('$/cancelRequest', { id });
      results.push(pending);
    }
    for (const r of await Promise.all(results)) assert.ok('ok' in r || r.error === -32800, JSON.stringify(r));
    const h = await fast.hover(docUri, { line: 2, character: 3 });
    assert.match(JSON.stringify(h), /task role|TaskRoleArn/i);
    fast.close(docUri);
  });

  it('hovers interleaved with changes answer for the latest text', async () => {
    const docUri = uri('interleave.yaml');
    let text = TEMPLATE;
    fast.open(docUri, text);
    for (let v = 2; v <= 12; v++) {
      const e = replace(text, text.indexOf('  ') + 2, text.indexOf(':', text.indexOf('  ') + 2), `Task${v}`);
      text = e.text;
      fast.change(docUri, v, [e.change]);
      const start = text.indexOf(`Task${v}`);
      const h = await fast.hover(docUri, positionAt(text, start + 1));
      assert.match(JSON.stringify(h), new RegExp(`Task${v}`), `hover at version ${v}`);
    }
    const last = await fast.diagnostics(docUri, { version: 12 });
    assert.deepEqual(published(last), expected(text, docUri));
    fast.close(docUri);
  });

  it('long runs of edits through the incremental re-parse publish exactly what a fresh lint finds', async () => {
    const file = path.join(CORPUS, 'cloudformation/ecsrefarch_services-product-service_service.yaml');
    let text = fs.readFileSync(file, 'utf8');
    const docUri = uri('long-run.yaml');
    fast.open(docUri, text);
    await fast.diagnostics(docUri, { version: 1 });
    const before = await fast.request('kbHints/stats', {});
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const edits = ['x', ' ', '\n', 'Key: v', '\n    Extra: 1', '#', ':', '"', '', '!Ref '];
    for (let v = 2; v <= 61; v++) {
      const at = Math.floor(rnd() * text.length);
      const del = rnd() < 0.3 ? Math.floor(rnd() * 4) : 0;
      const e = replace(text, at, Math.min(text.length, at + del), edits[Math.floor(rnd() * edits.length)]);
      text = e.text;
      fast.change(docUri, v, [e.change]);
      const p = await fast.diagnostics(docUri, { version: v });
      assert.deepEqual(published(p), expected(text, docUri), `version ${v}`);
    }
    const after = await fast.request('kbHints/stats', {});
    assert.ok(after.incremental > before.incremental, 'some edits reused the previous parse');
    assertMonotonic(fast, docUri);
    fast.close(docUri);
  });

  it('many documents opened and closed at once leave no analysis behind', async () => {
    const uris = Array.from({ length: 30 }, (_, i) => uri(`many-${i}.yaml`));
    const since = fast.mark();
    for (const u of uris) fast.open(u, TEMPLATE);
    for (const u of uris.slice(0, 20)) fast.close(u);
    for (const u of uris.slice(20)) await fast.diagnostics(u, { version: 1, since });
    const stats = await fast.request('kbHints/stats', {});
    assert.ok(stats.analyses <= stats.documents, JSON.stringify(stats));
    for (const u of uris.slice(20)) fast.close(u);
    await roundTrip(fast);
    const end = await fast.request('kbHints/stats', {});
    assert.equal(end.analyses, 0, JSON.stringify(end));
    for (const u of uris) assertMonotonic(fast, u);
  });

  it('kbHints.maxFileSizeKb: a larger document is skipped quietly, a smaller one linted', async () => {
    const limited = new LspClient({ settings: { debounceMs: 0, maxFileSizeKb: 1 } });
    try {
      await limited.initialize();
      const big = uri('over-limit.yaml');
      const bigText = TEMPLATE + '# padding\n'.repeat(200);
      assert.ok(bigText.length > 1024);
      limited.open(big, bigText);
      assert.deepEqual((await limited.diagnostics(big, { version: 1 })).diagnostics, []);
      assert.equal(await limited.hover(big, { line: 2, character: 3 }), null);
      const small = uri('under-limit.yaml');
      limited.open(small, TEMPLATE);
      assert.deepEqual(published(await limited.diagnostics(small, { version: 1 })), expected(TEMPLATE, small));
    } finally {
      await limited.shutdown().catch(() => limited.kill());
    }
  });

  it('logged no error', () => {
    for (const c of [fast, debounced]) {
      const errors = c.notifications.filter((n) => n.method === 'window/logMessage' && n.params.type === 1);
      assert.deepEqual(errors, []);
      assert.equal(c.stderr, '');
    }
  });
});
