// The language server over stdio (`node dist/server.js --stdio`), driven by a minimal LSP client:
// diagnostics, incremental sync, hovers, the KB requests, scheduling under bursts, and lifecycle.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient, positionAt } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const engine = require('../../dist/engine.js');

const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  AppTask:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - Name: app',
  '          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0',
  '',
].join('\n');

const KUBERNETES = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  'spec:',
  '  type: LoadBalancer',
  '  selector: { app: web }',
  '  ports: [{ port: 80, targetPort: 8080 }]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '',
].join('\n');

const PACKAGE_JSON = JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'mocha' }, dependencies: { yaml: '^2.0.0' } }, null, 2);

const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 };

/** Applies LSP content changes the way a client does, to know the text the server now holds. */
function applyChange(text, { range, text: newText }) {
  const offset = (p) => {
    const lines = text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

/** What the engine says about a text, as the diagnostics the server should publish. */
function expectedDiagnostics(text, uri) {
  const { findings } = engine.analyze(text, uri);
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => ({ code: f.ruleId, severity: SEVERITY[f.severity], range: { start: positionAt(text, f.start), end: positionAt(text, f.end) } }));
}

const summary = (diagnostics) => diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range }));

/** The range of the first occurrence of `needle` in `text`. */
function rangeOf(text, needle, from = 0) {
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, `${needle} not in text`);
  return { start: positionAt(text, start), end: positionAt(text, start + needle.length) };
}

describe('language server', function () {
  this.timeout(30000);
  let t;
  let client;
  const uri = (name) => pathToFileURL(t.file(name)).href;

  before(async () => {
    // Documents live in an empty folder, so no project configuration file applies to them.
    t = tempDir();
    client = new LspClient({ settings: { debounceMs: 20 } });
    const result = await client.initialize();
    assert.equal(result.capabilities.hoverProvider, true);
    assert.equal(result.capabilities.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(result.capabilities.textDocumentSync.openClose, true);
    assert.equal(result.serverInfo.name, 'kb-hints-language-server');
  });

  after(async () => {
    try {
      if (client && !client.exitInfo) await client.shutdown();
    } finally {
      client?.kill();
      t?.cleanup();
    }
  });

  describe('a task definition without a task role', () => {
    let docUri;
    let text = TEMPLATE;
    let first;

    it('publishes a kb-hints diagnostic on the logical id', async () => {
      docUri = uri('task.yaml');
      client.open(docUri, text);
      first = await client.diagnostics(docUri, { version: 1 });
      const d = first.diagnostics.find((x) => x.code === 'ecs-task-role-missing');
      assert.ok(d, JSON.stringify(first));
      assert.equal(d.source, 'kb-hints');
      assert.equal(d.severity, 2);
      assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
      assert.deepEqual(d.range, rangeOf(text, 'AppTask'));
      assert.equal(d.codeDescription.href, engine.ruleUrl('ecs-task-role-missing'));
      assert.match(d.message, /AppTask/);
      assert.equal(d.data.kb, 'ecs-iam-roles');
      for (const x of first.diagnostics) assert.equal(x.source, 'kb-hints');
    });

    it('publishes exactly what the engine finds', () => {
      assert.deepEqual(summary(first.diagnostics), expectedDiagnostics(text, docUri));
    });

    it('asks the client for the kbHints settings of the document', () => {
      const asks = client.serverRequests.filter((r) => r.method === 'workspace/configuration');
      assert.ok(asks.some((r) => r.params.items.some((i) => i.section === 'kbHints' && i.scopeUri === docUri)), JSON.stringify(asks));
    });

    it('hover on the finding explains the rule', async () => {
      const h = await client.hover(docUri, { line: 2, character: 5 });
      assert.ok(h, 'a hover');
      assert.equal(h.contents.kind, 'markdown');
      assert.ok(h.contents.value.includes('`ecs-task-role-missing`'), h.contents.value);
      assert.ok(h.contents.value.includes(engine.topicById('ecs-iam-roles').title));
      assert.ok(h.contents.value.includes(engine.ruleUrl('ecs-task-role-missing')), 'links the rule documentation');
      assert.deepEqual(h.range, rangeOf(text, 'AppTask'));
    });

    it('hover on the resource Type value shows the KB topics for that type', async () => {
      const typeLine = text.split('\n')[3];
      const h = await client.hover(docUri, { line: 3, character: typeLine.indexOf('AWS::ECS') + 5 });
      assert.ok(h, 'a hover');
      assert.equal(h.contents.kind, 'markdown');
      const topics = engine.TOPICS.filter((x) => x.cloudformation.includes('AWS::ECS::TaskDefinition'));
      assert.ok(topics.length > 0, 'the KB has a topic for task definitions');
      for (const topic of topics) assert.ok(h.contents.value.includes(`KB: ${topic.title}`), `mentions ${topic.title}`);
      assert.ok(h.contents.value.includes(engine.topicUrl('ecs-iam-roles')));
      assert.deepEqual(h.range, { start: { line: 3, character: 4 }, end: { line: 3, character: typeLine.length } });
    });

    it('hover where the KB has nothing to say returns null', async () => {
      assert.equal(await client.hover(docUri, { line: 0, character: 3 }), null);
    });

    it('an incremental change adding TaskRoleArn publishes newer diagnostics without the finding', async () => {
      const since = client.mark();
      const change = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '      TaskRoleArn: arn:aws:iam::123456789012:role/app\n' };
      text = applyChange(text, change);
      client.change(docUri, 2, [change]);
      const second = await client.diagnostics(docUri, { since });
      assert.equal(second.version, 2);
      assert.ok(!second.diagnostics.some((x) => x.code === 'ecs-task-role-missing'), JSON.stringify(second));
      assert.deepEqual(summary(second.diagnostics), expectedDiagnostics(text, docUri));
    });

    it('after the fix, hovering the logical id shows KB topics, not the finding', async () => {
      const h = await client.hover(docUri, { line: 2, character: 5 });
      assert.ok(h);
      assert.ok(!h.contents.value.includes('`ecs-task-role-missing`'));
      assert.match(h.contents.value, /KB: /);
    });

    it('a second change that removes the role brings the finding back at the right place', async () => {
      const since = client.mark();
      const change = { range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }, text: '' };
      text = applyChange(text, change);
      assert.equal(text, TEMPLATE);
      client.change(docUri, 3, [change]);
      const third = await client.diagnostics(docUri, { since });
      assert.equal(third.version, 3);
      assert.deepEqual(third.diagnostics.find((x) => x.code === 'ecs-task-role-missing')?.range, rangeOf(text, 'AppTask'));
    });

    it('didClose clears the diagnostics', async () => {
      const since = client.mark();
      client.close(docUri);
      const cleared = await client.diagnostics(docUri, { since });
      assert.deepEqual(cleared.diagnostics, []);
      assert.equal(await client.hover(docUri, { line: 2, character: 5 }), null, 'no hover for a closed document');
    });
  });

  describe('KB requests', () => {
    it('kbHints/searchKb finds topics and rules', async () => {
      const results = await client.request('kbHints/searchKb', { query: 'fargate' });
      assert.ok(Array.isArray(results) && results.length > 0);
      for (const r of results) {
        assert.ok(['topic', 'rule'].includes(r.kind), r.kind);
        assert.equal(typeof r.id, 'string');
        assert.equal(typeof r.title, 'string');
        assert.ok(r.title.length > 0);
      }
      assert.ok(results.some((r) => r.kind === 'topic' && r.id === 'ecs-fargate-launch-type'));
      assert.ok(results.some((r) => r.kind === 'rule'));
      assert.deepEqual(results.map((r) => `${r.kind}:${r.id}`), engine.searchKb('fargate').map((r) => `${r.kind}:${r.id}`));
    });

    it('kbHints/searchKb honours a limit and survives odd input', async () => {
      assert.equal((await client.request('kbHints/searchKb', { query: 'ecs', limit: 2 })).length, 2);
      assert.deepEqual(await client.request('kbHints/searchKb', { query: 'zzqqxxnothing' }), []);
      assert.ok(Array.isArray(await client.request('kbHints/searchKb', {})));
      assert.ok(Array.isArray(await client.request('kbHints/searchKb', null)));
    });

    it('kbHints/getArticle returns a topic as Markdown', async () => {
      const a = await client.request('kbHints/getArticle', { id: 'ecs-iam-roles' });
      assert.equal(a.kind, 'topic');
      assert.equal(a.id, 'ecs-iam-roles');
      assert.equal(a.title, engine.topicById('ecs-iam-roles').title);
      assert.ok(a.markdown.startsWith(`# ${a.title}`), a.markdown.slice(0, 80));
      assert.ok(a.markdown.includes('ecs-task-role-missing'), 'lists the rules that enforce the topic');
    });

    it('kbHints/getArticle returns a rule as Markdown', async () => {
      const a = await client.request('kbHints/getArticle', { id: 'rule:ecs-task-role-missing' });
      assert.equal(a.kind, 'rule');
      assert.equal(a.id, 'ecs-task-role-missing');
      assert.equal(a.title, engine.ruleById('ecs-task-role-missing').meta.title);
      assert.ok(a.markdown.startsWith(`# ${a.title}`));
      assert.ok(a.markdown.includes('`ecs-task-role-missing`'));
      assert.match(a.markdown, /```yaml/);
    });

    it('kbHints/getArticle returns null for an unknown id', async () => {
      assert.equal(await client.request('kbHints/getArticle', { id: 'no-such-topic' }), null);
      assert.equal(await client.request('kbHints/getArticle', { id: 'rule:no-such-rule' }), null);
      assert.equal(await client.request('kbHints/getArticle', {}), null);
    });
  });

  describe('scheduling', () => {
    it('a burst of 20 changes ends with diagnostics for the last version, never going back in time', async () => {
      const docUri = uri('burst.yaml');
      let text = TEMPLATE;
      client.open(docUri, text);
      await client.diagnostics(docUri, { version: 1 });
      let id = 'AppTask';
      for (let version = 2; version <= 21; version++) {
        // Rename the logical id: the finding's message and range change with every version.
        const start = text.indexOf(`  ${id}:`) + 2;
        const change = { range: { start: positionAt(text, start), end: positionAt(text, start + id.length) }, text: `Task${version}` };
        text = applyChange(text, change);
        id = `Task${version}`;
        client.change(docUri, version, [change]);
        // Pace part of the burst past the debounce, so that some intermediate versions get published.
        if (version % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 40));
      }
      const last = await client.diagnostics(docUri, { version: 21 });
      const d = last.diagnostics.find((x) => x.code === 'ecs-task-role-missing');
      assert.ok(d);
      assert.match(d.message, /Task21/);
      assert.deepEqual(d.range, rangeOf(text, 'Task21'));
      assert.deepEqual(summary(last.diagnostics), expectedDiagnostics(text, docUri));
      // A round trip: anything the server sent before answering has arrived.
      await client.request('kbHints/searchKb', { query: 'ecs' });
      const versions = client.published(docUri).map((p) => p.version);
      for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `published versions go back in time: ${versions.join(', ')}`);
      assert.equal(versions[versions.length - 1], 21, `last published version: ${versions.join(', ')}`);
      for (const p of client.published(docUri)) {
        // Every publish matches the text of its own version.
        const msg = p.diagnostics.find((x) => x.code === 'ecs-task-role-missing')?.message ?? '';
        const expectedId = p.version === 1 ? 'AppTask' : `Task${p.version}`;
        assert.ok(msg.includes(`${expectedId} `), `version ${p.version}: ${msg}`);
      }
      client.close(docUri);
    });

    it('a change sent right after didOpen is linted (the open handler waits for settings)', async () => {
      const docUri = uri('open-then-change.yaml');
      client.open(docUri, TEMPLATE);
      const change = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '      TaskRoleArn: arn:aws:iam::123456789012:role/app\n' };
      client.change(docUri, 2, [change]);
      const p = await client.diagnostics(docUri, { version: 2 });
      assert.ok(!p.diagnostics.some((x) => x.code === 'ecs-task-role-missing'));
      await client.request('kbHints/searchKb', { query: 'ecs' });
      assert.ok(client.published(docUri).every((x) => x.version === 2), 'version 1 is never published after version 2');
      client.close(docUri);
    });
  });

  describe('other documents', () => {
    it('a non-IaC document (package.json) gets empty diagnostics and the server keeps working', async () => {
      const docUri = uri('package.json');
      client.open(docUri, PACKAGE_JSON, { languageId: 'json' });
      const p = await client.diagnostics(docUri);
      assert.deepEqual(p.diagnostics, []);
      assert.equal(await client.hover(docUri, { line: 1, character: 4 }), null);
      const change = { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 14 } }, text: 'api' };
      client.change(docUri, 2, [change]);
      assert.deepEqual((await client.diagnostics(docUri, { version: 2 })).diagnostics, []);
      assert.ok((await client.request('kbHints/searchKb', { query: 'ecs' })).length > 0, 'still answering');
      client.close(docUri);
    });

    it('a Kubernetes document gets diagnostics', async () => {
      const docUri = uri('k8s/web.yaml');
      client.open(docUri, KUBERNETES);
      const p = await client.diagnostics(docUri, { version: 1 });
      const expected = expectedDiagnostics(KUBERNETES, docUri);
      assert.ok(expected.length > 0, 'the engine has findings for this manifest');
      assert.deepEqual(summary(p.diagnostics), expected);
      for (const d of p.diagnostics) {
        assert.equal(d.source, 'kb-hints');
        assert.ok(engine.ruleById(d.code).meta.appliesTo.includes('kubernetes'), d.code);
        assert.equal(d.codeDescription.href, engine.ruleUrl(d.code));
      }
      const image = p.diagnostics.find((d) => d.code === 'image-from-docker-hub');
      if (image) assert.deepEqual(image.range, rangeOf(KUBERNETES, 'nginx:1.27'));
      client.close(docUri);
    });

    it('a YAML syntax error is an error diagnostic, and the rest is still linted', async () => {
      const docUri = uri('broken.yaml');
      const text = TEMPLATE + '  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "never closed\n';
      client.open(docUri, text);
      const p = await client.diagnostics(docUri, { version: 1 });
      const syntax = p.diagnostics.find((d) => d.code === 'syntax-error');
      assert.ok(syntax, JSON.stringify(p));
      assert.equal(syntax.severity, 1);
      assert.equal(syntax.codeDescription, undefined, 'no rule page for syntax errors');
      assert.ok(p.diagnostics.some((d) => d.code === 'ecs-task-role-missing'));
      client.close(docUri);
    });

    it('ranges are in UTF-16 units of the document (astral characters before the logical id)', async () => {
      const docUri = uri('emoji.yaml');
      const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {"🚀🚀": {Type: AWS::S3::Bucket}, AppTask: {Type: AWS::ECS::TaskDefinition}}\n';
      client.open(docUri, text);
      const p = await client.diagnostics(docUri, { version: 1 });
      const d = p.diagnostics.find((x) => x.code === 'ecs-task-role-missing');
      assert.deepEqual(d.range, rangeOf(text, 'AppTask'));
      client.close(docUri);
    });

    it('ranges are right in a CRLF document', async () => {
      const docUri = uri('crlf.yaml');
      const text = TEMPLATE.replace(/\n/g, '\r\n');
      client.open(docUri, text);
      const p = await client.diagnostics(docUri, { version: 1 });
      const d = p.diagnostics.find((x) => x.code === 'ecs-task-role-missing');
      assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
      client.close(docUri);
    });

    it('ranges are in the coordinates of the text sent, even when it starts with a BOM', async () => {
      const docUri = uri('bom.yaml');
      const text = '\ufeff' + TEMPLATE;
      client.open(docUri, text);
      const p = await client.diagnostics(docUri, { version: 1 });
      const d = p.diagnostics.find((x) => x.code === 'ecs-task-role-missing');
      assert.ok(d);
      assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } }, 'the range is shifted by the BOM');
      client.close(docUri);
    });

    it('logged no error while serving these documents', () => {
      const errors = client.notifications.filter((n) => n.method === 'window/logMessage' && n.params.type === 1);
      assert.deepEqual(errors.map((n) => n.params.message), []);
    });
  });
});

describe('language server with other clients', function () {
  this.timeout(30000);
  let t;
  const clients = [];
  const start = (options) => {
    const c = new LspClient(options);
    clients.push(c);
    return c;
  };
  before(() => (t = tempDir()));
  after(() => {
    for (const c of clients) c.kill();
    t.cleanup();
  });

  it('a minimal client without workspace.configuration still gets diagnostics, and changes are linted', async () => {
    const c = start();
    await c.initialize({ configuration: false });
    const docUri = pathToFileURL(t.file('minimal.yaml')).href;
    c.open(docUri, TEMPLATE);
    const first = await c.diagnostics(docUri, { version: 1 });
    assert.ok(first.diagnostics.some((d) => d.code === 'ecs-task-role-missing'));
    const change = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '      TaskRoleArn: arn:aws:iam::123456789012:role/app\n' };
    c.change(docUri, 2, [change]);
    const second = await c.diagnostics(docUri, { version: 2 });
    assert.ok(!second.diagnostics.some((d) => d.code === 'ecs-task-role-missing'));
    assert.deepEqual(c.serverRequests.filter((r) => r.method === 'workspace/configuration'), [], 'never asks for configuration');
    assert.equal(await c.shutdown(), 0);
  });

  it('kbHints.enable: false publishes empty diagnostics', async () => {
    const c = start({ settings: { enable: false } });
    await c.initialize();
    const docUri = pathToFileURL(t.file('disabled.yaml')).href;
    c.open(docUri, TEMPLATE);
    assert.deepEqual((await c.diagnostics(docUri, { version: 1 })).diagnostics, []);
    assert.equal(await c.hover(docUri, { line: 2, character: 4 }), null);
    assert.equal(await c.shutdown(), 0);
  });

  it('shutdown then exit ends the process with code 0', async () => {
    const c = start();
    await c.initialize();
    assert.equal(await c.request('shutdown', null), null);
    c.notify('exit');
    assert.equal(await c.waitExit(), 0);
  });

  it('exit without shutdown ends the process with code 1', async () => {
    const c = start();
    await c.initialize();
    c.notify('exit');
    assert.equal(await c.waitExit(), 1);
  });
});
