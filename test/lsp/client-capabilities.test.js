// The server adapts to what the client announces at `initialize`: hover content format, versioned
// workspace edits, and settings pulled (workspace/configuration) or pushed (didChangeConfiguration).
// Also: one analysis per document version, which code actions, hovers and the suppression list reuse.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');

const TASK = `Resources:
  # kb-hints-ignore ecr-tags-mutable reason="pinned by digest"
  Repo:
    Type: AWS::ECR::Repository
  AppTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0
`;

/** Initializes with exactly these capabilities (the test helper's initialize has its own). */
async function initialize(client, { capabilities, initializationOptions } = {}) {
  const result = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
  client.notify('initialized', {});
  return result;
}

describe('LSP: client capabilities', function () {
  this.timeout(30000);
  let t;
  const clients = [];
  const uri = (name) => pathToFileURL(t.file(name)).href;
  const make = (options) => {
    const c = new LspClient(options);
    clients.push(c);
    return c;
  };
  before(() => (t = tempDir()));
  after(() => {
    for (const c of clients) c.kill();
    t?.cleanup();
  });

  async function openTask(c, name) {
    const docUri = uri(name);
    c.open(docUri, TASK);
    const p = await c.diagnostics(docUri, { version: 1 });
    return { docUri, diag: p.diagnostics.find((d) => d.code === 'ecs-task-role-missing') };
  }

  it('hover is plain text for a client whose contentFormat has no markdown, Markdown otherwise', async () => {
    const plain = make({ settings: { debounceMs: 0 } });
    await initialize(plain, { capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] } }, workspace: { configuration: true } }, initializationOptions: { linkStyle: 'command' } });
    const { docUri, diag } = await openTask(plain, 'plain.yaml');
    const h = await plain.hover(docUri, diag.range.start);
    assert.equal(h.contents.kind, 'plaintext');
    assert.match(h.contents.value, /AppTask has no TaskRoleArn/);
    assert.doesNotMatch(h.contents.value, /\*\*|\\[.\-_()]|command:/, 'no Markdown marks, escapes or command links');
    assert.match(h.contents.value, /https?:\/\//, 'links are kept as web addresses');

    const md = make({ settings: { debounceMs: 0 } });
    await initialize(md, { capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } } });
    const other = await openTask(md, 'markdown.yaml');
    const hm = await md.hover(other.docUri, other.diag.range.start);
    assert.equal(hm.contents.kind, 'markdown');
    assert.match(hm.contents.value, /^\*\*Task definition AppTask has no TaskRoleArn[^\n]*\*\*\n\n`ecs-task-role-missing` · warning/);
  });

  it('code actions use documentChanges only when the client announces workspaceEdit.documentChanges', async () => {
    const plain = make({ settings: { debounceMs: 0 } });
    await initialize(plain, { capabilities: { workspace: { configuration: true } } });
    const a = await openTask(plain, 'changes.yaml');
    const actions = await plain.request('textDocument/codeAction', { textDocument: { uri: a.docUri }, range: a.diag.range, context: { diagnostics: [a.diag] } });
    assert.ok(actions.length >= 2);
    for (const action of actions) {
      assert.equal(action.edit.documentChanges, undefined);
      assert.deepEqual(Object.keys(action.edit.changes), [a.docUri]);
    }

    const versioned = make({ settings: { debounceMs: 0 } });
    await initialize(versioned, { capabilities: { workspace: { configuration: true, workspaceEdit: { documentChanges: true } } } });
    const b = await openTask(versioned, 'document-changes.yaml');
    const actions2 = await versioned.request('textDocument/codeAction', { textDocument: { uri: b.docUri }, range: b.diag.range, context: { diagnostics: [b.diag] } });
    for (const action of actions2) {
      assert.equal(action.edit.changes, undefined);
      assert.deepEqual(action.edit.documentChanges[0].textDocument, { uri: b.docUri, version: 1 });
    }
  });

  it('a client without workspace/configuration pushes settings with didChangeConfiguration, and they apply', async () => {
    const c = make();
    await initialize(c, { capabilities: {} });
    const { docUri, diag } = await openTask(c, 'pushed.yaml');
    assert.equal(diag.severity, 2);
    let mark = c.mark();
    c.notify('workspace/didChangeConfiguration', { settings: { kbHints: { rules: { 'ecs-task-role-missing': 'error' }, debounceMs: 0 } } });
    const p = await c.diagnostics(docUri, { since: mark });
    assert.equal(p.diagnostics.find((d) => d.code === 'ecs-task-role-missing').severity, 1);
    mark = c.mark();
    c.notify('workspace/didChangeConfiguration', { settings: { kbHints: { enable: false } } });
    assert.deepEqual((await c.diagnostics(docUri, { since: mark })).diagnostics, []);
    assert.equal(c.serverRequests.filter((r) => r.method === 'workspace/configuration').length, 0, 'never asked a client that cannot answer');
  });

  it('one analysis per document version: code actions, hovers and the suppression list do not parse again', async () => {
    const c = make({ settings: { debounceMs: 0 } });
    await c.initialize();
    const { docUri, diag } = await openTask(c, 'once.yaml');
    const before = await c.request('kbHints/stats', {});
    assert.equal(before.parses, 1);
    for (let i = 0; i < 3; i++) {
      const actions = await c.request('textDocument/codeAction', { textDocument: { uri: docUri }, range: diag.range, context: { diagnostics: [diag] } });
      assert.ok(actions.some((x) => /task role/i.test(x.title)));
      assert.ok(await c.hover(docUri, diag.range.start));
    }
    const list = await c.request('kbHints/listSuppressions', { uris: [docUri] });
    assert.deepEqual(list.map((s) => [s.uri, s.rules, s.reason]), [[docUri, ['ecr-tags-mutable'], 'pinned by digest']]);
    const after = await c.request('kbHints/stats', {});
    assert.equal(after.parses, before.parses, 'no parse after the lint');
    assert.equal(after.lints, before.lints);
  });
});
