// @ts-check
// Issue #11 in the editor: the server reads the workspace's CDK assemblies at start-up and when cdk.out
// changes, publishes findings on the source files (not open) with the template as related information,
// and explains them in a hover on that line.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');

/** @typedef {import('vscode-languageserver').CodeAction} CodeAction */

const FIXTURES = path.resolve(__dirname, '../cdk/fixtures');

/**
 * The text of a hover's contents (a string or an array would have no `value`).
 * @param {import('vscode-languageserver').Hover} h
 */
function hoverText(h) {
  const c = h.contents;
  assert.ok(typeof c === 'object' && !Array.isArray(c), 'hover contents with a value');
  return c.value;
}

describe('LSP: CDK findings on the source lines', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir} */
  let tmp;
  /** @type {LspClient} */
  let client;
  before(async () => {
    tmp = tempDir();
    fs.cpSync(path.join(FIXTURES, 'ts-app'), path.join(tmp.dir, 'ts-app'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'py-app'), path.join(tmp.dir, 'py-app'), { recursive: true });
    // The sources older than the assembly, as after a synth (a copy gives every file the same time).
    const past = new Date(Date.now() - 3600_000);
    const age = (/** @type {string} */ dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'cdk.out') age(p);
        } else fs.utimesSync(p, past, past);
      }
    };
    age(tmp.dir);
    client = new LspClient();
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(tmp.dir).href,
      workspaceFolders: [{ uri: pathToFileURL(tmp.dir).href, name: 'ws' }],
      capabilities: { textDocument: { hover: { dynamicRegistration: true, contentFormat: ['markdown'] }, publishDiagnostics: { relatedInformation: true } } },
    });
    client.notify('initialized', {});
  });
  after(() => {
    client.kill();
    tmp.cleanup();
  });
  const uriOf = (/** @type {string} */ rel) => pathToFileURL(path.join(tmp.dir, rel)).href;

  it('publishes on the TypeScript and Python sources at start-up, the template as related information', async () => {
    const stack = await client.diagnostics(uriOf('ts-app/lib/service-stack.ts'));
    const repo = stack.diagnostics.filter((d) => d.code === 'ecr-tags-mutable');
    assert.equal(repo.length, 1);
    assert.equal(repo[0].range.start.line, 13);
    assert.ok(!/from the last synth/.test(repo[0].message));
    assert.equal(defined(repo[0].relatedInformation)[0].location.uri, uriOf('ts-app/cdk.out/ServiceStack.template.json'));
    assert.match(defined(repo[0].relatedInformation)[0].message, /^Synthesized as Images2D38C313 \(ServiceStack\/Images\/Resource\)$/);
    const helper = await client.diagnostics(uriOf('ts-app/lib/helpers.ts'));
    assert.deepEqual(helper.diagnostics.map((d) => [d.code, d.range.start.line]), [['image-from-docker-hub', 6]]);
    const py = await client.diagnostics(uriOf('py-app/stacks/workers.py'));
    assert.ok(py.diagnostics.some((d) => d.code === 'ecs-service-autoscaling-missing' && d.range.start.line === 11));
  });

  it('explains the finding in a hover on that line, with code-level suppression advice', async () => {
    const h = await client.hover(uriOf('ts-app/lib/service-stack.ts'), { line: 13, character: 30 });
    assert.ok(h, 'a hover');
    assert.match(hoverText(h), /ecr-tags-mutable/);
    assert.match(hoverText(h), /Synthesized as `Images2D38C313`/);
    assert.match(hoverText(h), /addMetadata\('kb-hints'/);
    assert.equal(await client.hover(uriOf('ts-app/lib/service-stack.ts'), { line: 0, character: 0 }), null);
  });

  it('an open template of the app: its diagnostics name the source line as related, and offer no edit', async () => {
    const uri = uriOf('ts-app/cdk.out/ServiceStack.template.json');
    client.open(uri, fs.readFileSync(path.join(tmp.dir, 'ts-app/cdk.out/ServiceStack.template.json'), 'utf8'), { languageId: 'json' });
    const published = await client.diagnostics(uri, { version: 1 });
    const repo = defined(published.diagnostics.find((d) => d.code === 'ecr-tags-mutable'));
    assert.equal(defined(repo.relatedInformation)[0].location.uri, uriOf('ts-app/lib/service-stack.ts'));
    assert.equal(defined(repo.relatedInformation)[0].location.range.start.line, 13);
    assert.match(defined(repo.relatedInformation)[0].message, /^Created here \(ServiceStack\/Images\/Resource\)/);
    /** @type {CodeAction[]} */
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: repo.range, context: { diagnostics: [repo] } });
    assert.ok(actions.every((a) => !a.edit), actions.map((a) => a.title).join(' | '));
    client.close(uri);
  });

  it('marks the findings of a source saved after the synth as from the last synth', async () => {
    const since = client.mark();
    const worker = path.join(tmp.dir, 'ts-app/lib/worker.ts');
    fs.writeFileSync(worker, fs.readFileSync(worker, 'utf8') + '\n// edited\n');
    const future = new Date(Date.now() + 60000);
    fs.utimesSync(worker, future, future);
    const next = await client.diagnostics(uriOf('ts-app/lib/worker.ts'), { since, timeout: 10000 });
    assert.ok(next.diagnostics.length > 0);
    assert.ok(next.diagnostics.every((d) => /from the last synth/.test(d.message)));
  });

  it('reads the assembly again when cdk.out changes, and marks findings newer sources make stale', async () => {
    const stackFile = path.join(tmp.dir, 'ts-app/lib/service-stack.ts');
    const future = new Date(Date.now() + 60000);
    fs.utimesSync(stackFile, future, future);
    const since = client.mark();
    // A synth rewrites the template: here the repository becomes immutable (its finding goes away).
    const tpl = path.join(tmp.dir, 'ts-app/cdk.out/ServiceStack.template.json');
    const json = JSON.parse(fs.readFileSync(tpl, 'utf8'));
    json.Resources.Images2D38C313.Properties = { ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true }, LifecyclePolicy: { LifecyclePolicyText: '{"rules":[]}' } };
    fs.writeFileSync(tpl, JSON.stringify(json, null, 1));
    // (The touched source may be re-published first, marked stale: wait for the new assembly's findings.)
    const next = await client.diagnostics(uriOf('ts-app/lib/service-stack.ts'), { since, timeout: 10000, predicate: (p) => !p.diagnostics.some((d) => d.code === 'ecr-tags-mutable') });
    assert.ok(next.diagnostics.length > 0);
    assert.ok(next.diagnostics.every((d) => /from the last synth/.test(d.message)), next.diagnostics.map((d) => d.message).join('\n'));
  });
});
