// Pull diagnostics (LSP 3.17): a client that announces `textDocument.diagnostic` asks for them
// (`textDocument/diagnostic`, `workspace/diagnostic`) and gets no pushed diagnostics for open documents;
// a client that does not announce it keeps getting them pushed (the other LSP tests).
const assert = require('node:assert/strict');
const { LspClient, positionAt } = require('../helpers/lsp-client');
const engine = require('../../dist/engine.js');

const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  AppTask:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - Name: app',
  '          Image: public.ecr.aws/nginx/nginx:latest',
  '',
].join('\n');

const expected = (text, uri) =>
  engine
    .analyze(text, uri)
    .findings.filter((f) => !f.suppressed)
    .map((f) => ({ code: f.ruleId, range: { start: positionAt(text, f.start), end: positionAt(text, f.end) } }));
const codes = (items) => items.map((d) => ({ code: d.code, range: d.range }));

describe('LSP pull diagnostics', function () {
  this.timeout(30000);
  let client;
  let init;
  const uri = 'file:///pull/app.yaml';

  before(async () => {
    client = new LspClient({ settings: {} });
    const capabilities = {
      textDocument: { synchronization: { dynamicRegistration: false }, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
      workspace: { configuration: true, diagnostics: { refreshSupport: true } },
    };
    init = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities });
    client.notify('initialized', {});
  });

  after(async () => {
    try {
      if (client && !client.exitInfo) await client.shutdown();
    } finally {
      client?.kill();
    }
  });

  it('announces a diagnostic provider with workspace diagnostics', () => {
    assert.equal(init.capabilities.diagnosticProvider?.workspaceDiagnostics, true);
    assert.equal(init.capabilities.diagnosticProvider?.interFileDependencies, true);
  });

  it('answers textDocument/diagnostic with the current findings, then unchanged for the same result id', async () => {
    const since = client.mark();
    client.open(uri, TEMPLATE);
    const first = await client.request('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    assert.ok(first.items.length > 0, 'the template has findings');
    assert.deepEqual(codes(first.items), expected(TEMPLATE, uri));
    const again = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
    // An edit: a new result for the new text.
    const text = TEMPLATE.replace('nginx:latest', 'nginx:1.27');
    client.change(uri, 2, [{ text }]);
    const after = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(after.kind, 'full');
    assert.notEqual(after.resultId, first.resultId);
    assert.deepEqual(codes(after.items), expected(text, uri));
    // Nothing was pushed for the open document.
    await client.request('kbHints/stats', {});
    assert.deepEqual(client.published(uri), [], 'no push to a client that pulls');
    assert.ok(client.notifications.slice(since).some((n) => n.method === 'kbHints/fileStatus' && n.params.uri === uri), 'the file status still follows');
  });

  it('answers workspace/diagnostic with the open documents, and holds a request with nothing new until a change', async () => {
    const full = await client.request('workspace/diagnostic', { previousResultIds: [] });
    const mine = full.items.find((i) => i.uri === uri);
    assert.equal(mine.kind, 'full');
    assert.equal(mine.version, 2);
    // The same result ids: nothing new, so the answer waits for the next change.
    let answered;
    const held = client.request('workspace/diagnostic', { previousResultIds: [{ uri, value: mine.resultId }] }).then((r) => (answered = r));
    await client.request('kbHints/stats', {});
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(answered, undefined, 'held while nothing changed');
    client.change(uri, 3, [{ text: TEMPLATE }]);
    const r = await held;
    const changed = r.items.find((i) => i.uri === uri);
    assert.equal(changed.kind, 'full');
    assert.equal(changed.version, 3);
    assert.deepEqual(codes(changed.items), expected(TEMPLATE, uri));
  });
});
