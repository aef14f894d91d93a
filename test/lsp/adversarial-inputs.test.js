// @ts-check
// The language server against the attack review's workspace inputs (shared/reviews/attack.md): a bad
// glob in .kbhints.yaml used to crash it on the first opened document; a hostile logical id blocked it
// in a code action; an alias bomb ran it out of memory.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const A = require('../helpers/adversarial');
const { defined } = require('../helpers/expect');

/** @typedef {import('vscode-languageserver').CodeAction} CodeAction */

describe('LSP: adversarial inputs', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir} */
  let tmp;
  /** @type {LspClient} */
  let client;
  before(async () => {
    tmp = tempDir({
      '.kbhints.yaml': `ignore: ["[z-a]", "[9-0]", ${JSON.stringify(`${'**/'.repeat(10)}nomatch`)}, "skip/"]\nrules: { ecs-task-role-missing: error }\n`,
      'task.yaml': A.regexId(30),
      'bomb.yaml': A.ifBomb(24),
      'skip/task.yaml': A.TASK(),
    });
    client = new LspClient();
    await client.initialize();
  });
  after(() => {
    client.kill();
    tmp.cleanup();
  });
  const uriOf = (/** @type {string} */ rel) => pathToFileURL(tmp.file(rel)).href;

  it('a bad glob does not crash the server: the rest of .kbhints.yaml applies', async () => {
    const uri = uriOf('task.yaml');
    client.open(uri, A.regexId(30));
    const published = await client.diagnostics(uri, { version: 1 });
    const diag = defined(published.diagnostics.find((d) => d.code === 'ecs-task-role-missing'), 'an ecs-task-role-missing diagnostic');
    assert.equal(diag?.severity, 1, 'error, from .kbhints.yaml');
    const skipped = uriOf('skip/task.yaml');
    client.open(skipped, A.TASK());
    assert.deepEqual((await client.diagnostics(skipped, { version: 1 })).diagnostics, []);

    const started = Date.now();
    /** @type {CodeAction[]} */
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    assert.ok(actions.some((a) => /^Add a task role: new IAM role/.test(a.title)), actions.map((a) => a.title).join(' | '));
  });

  it('an alias bomb through Fn::If is linted at once, with a short message', async () => {
    const uri = uriOf('bomb.yaml');
    client.open(uri, A.ifBomb(24));
    const published = await client.diagnostics(uri, { version: 1, timeout: 10000 });
    const hub = published.diagnostics.filter((d) => d.code === 'image-from-docker-hub');
    assert.equal(hub.length, 1);
    assert.ok(hub[0].message.length < 1000);
  });
});
