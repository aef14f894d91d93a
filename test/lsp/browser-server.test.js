// @ts-check
// The browser's language server (dist/browserServer.js, the web extension's Web Worker) driven over its
// worker messages in a context with only a worker's globals (test/helpers/web-worker.js): it loads without
// Node APIs, answers `initialize`, lints a CloudFormation document from a virtual file system as the Node
// server does, hovers, offers quick fixes and the KB; what needs a disk quietly finds nothing.
const assert = require('node:assert/strict');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const A = require('../helpers/adversarial');

const WORKER = [path.resolve(__dirname, '../helpers/web-worker.js')];
const VFS = 'vscode-vfs://github/kb-hints/demo';

describe('LSP: the browser server in a Web Worker', function () {
  this.timeout(30000);
  /** @type {LspClient} */
  let web;
  /** @type {LspClient} */
  let node;
  before(async () => {
    web = new LspClient({ command: WORKER });
    node = new LspClient();
    await Promise.all([web.initialize(), node.initialize()]);
  });
  after(() => {
    web.kill();
    node.kill();
  });

  it('answers initialize as the Node server does', async () => {
    const [a, b] = [new LspClient({ command: WORKER }), new LspClient()];
    try {
      const [fromWeb, fromNode] = await Promise.all([a.initialize(), b.initialize()]);
      assert.equal(fromWeb.serverInfo.name, 'kb-hints-language-server');
      assert.deepEqual(fromWeb.capabilities, fromNode.capabilities);
    } finally {
      a.kill();
      b.kill();
    }
  });

  it('says it runs in a Web Worker', async () => {
    const log = await web.waitFor('window/logMessage', (p) => /language server .* started/.test(p.message));
    assert.match(log.message, /started \(a Web Worker, /);
  });

  it('publishes the Node server\'s diagnostics for a CloudFormation document of a virtual file system', async () => {
    const text = A.TASK();
    const uri = `${VFS}/task.yaml`;
    web.open(uri, text);
    node.open(uri, text);
    const [fromWeb, fromNode] = await Promise.all([web.diagnostics(uri, { version: 1 }), node.diagnostics(uri, { version: 1 })]);
    assert.ok(fromWeb.diagnostics.some((d) => d.code === 'ecs-task-role-missing'), JSON.stringify(fromWeb.diagnostics));
    assert.deepEqual(fromWeb.diagnostics, fromNode.diagnostics);
  });

  it('hovers a finding with its KB explanation', async () => {
    const uri = `${VFS}/hover.yaml`;
    web.open(uri, A.TASK());
    const { diagnostics } = await web.diagnostics(uri, { version: 1 });
    const d = diagnostics.find((x) => x.code === 'ecs-task-role-missing');
    assert.ok(d);
    const hover = await web.hover(uri, d.range.start);
    assert.match(JSON.stringify(hover?.contents), /ecs-task-role-missing|task role/i);
  });

  it('offers the Node server\'s quick fixes, and answers the KB requests from the bundled KB', async () => {
    const uri = `${VFS}/fix.yaml`;
    for (const c of [web, node]) c.open(uri, A.TASK());
    const [{ diagnostics }] = await Promise.all([web.diagnostics(uri, { version: 1 }), node.diagnostics(uri, { version: 1 })]);
    const params = { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } };
    const [fromWeb, fromNode] = await Promise.all([web.request('textDocument/codeAction', params), node.request('textDocument/codeAction', params)]);
    assert.ok(fromWeb.length > 0);
    assert.deepEqual(fromWeb, fromNode);
    const found = await web.request('kbHints/searchKb', { query: 'fargate' });
    assert.ok(found.length > 0);
    assert.deepEqual(await web.request('kbHints/getArticle', { id: found[0].id }), await node.request('kbHints/getArticle', { id: found[0].id }));
  });

  it('reads no file from disk: Lint Workspace skips a file that is not open (the Node server lints it)', async () => {
    const uris = [pathToFileURL(path.resolve(__dirname, '../rules/ecs-task-role-missing/fires.yaml')).href];
    const [fromWeb, fromNode] = await Promise.all([web.request('kbHints/lintFiles', { uris, mode: 'lint' }), node.request('kbHints/lintFiles', { uris, mode: 'lint' })]);
    assert.deepEqual([fromWeb.linted, fromWeb.skipped, fromNode.linted], [0, 1, 1]);
  });
});
