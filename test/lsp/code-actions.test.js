// The language server's editor features: quick fixes as code actions (applied, re-linted), suppression
// and KB actions, suppressed findings not published, the per-file status notification, `.kbhints.yaml`
// and the kbHints.rules setting, and the custom requests for rules, suppressions and workspace lint.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const { parseFile, RULES } = require('../../dist/engine.js');

/** Applies LSP TextEdits to a text. */
function applyLspEdits(text, edits) {
  const lines = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.push(i + 1);
  const offset = (p) => Math.min(text.length, (lines[p.line] ?? text.length) + p.character);
  const sorted = edits.map((e, i) => ({ e, i, s: offset(e.range.start), t: offset(e.range.end) })).sort((a, b) => b.s - a.s || b.i - a.i);
  let out = text;
  for (const { e, s, t } of sorted) out = out.slice(0, s) + e.newText + out.slice(t);
  return out;
}

function rangeText(text, range) {
  const lines = text.split('\n');
  assert.equal(range.start.line, range.end.line);
  return lines[range.start.line].slice(range.start.character, range.end.character);
}

const TASK = `Resources:
  # The web tier
  AppTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/nginx/nginx:1.27
`;

describe('LSP: code actions and editor features', function () {
  this.timeout(30000);
  let tmp;
  before(() => {
    tmp = tempDir({
      'task.yaml': TASK,
      'suppressed.yaml': `Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="no AWS calls"\n${TASK.split('\n').slice(2).join('\n')}`,
      'strict/.kbhints.yaml': 'rules:\n  ecs-task-role-missing: error\nignore:\n  - skip/\n',
      'strict/task.yaml': TASK,
      'strict/skip/task.yaml': TASK,
      'disk/task.yaml': TASK,
      'disk/repo.json': JSON.stringify({ Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'app', ImageTagMutability: 'MUTABLE' } } } }, null, 2),
      'disk/k8s.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kb-hints.dev/ignore: "k8s-service-classic-lb: internal test cluster until=2020-01-01"\nspec:\n  type: LoadBalancer\n',
      'disk/notes.yaml': 'just: notes\n',
      'ignored/.kbhints.yaml': 'ignore: ["*.yaml"]\n',
      'ignored/task.yaml': TASK,
    });
  });
  after(() => tmp.cleanup());
  const uriOf = (rel) => pathToFileURL(tmp.file(rel)).href;

  describe('with a VS Code-like client (command links)', () => {
    let client;
    before(async () => {
      client = new LspClient();
      // As VS Code: command links, and versioned edits (workspace.workspaceEdit.documentChanges).
      const init = await client.request('initialize', {
        processId: process.pid,
        rootUri: null,
        initializationOptions: { linkStyle: 'command' },
        capabilities: {
          textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
          workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
        },
      });
      client.notify('initialized', {});
      assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    });
    after(() => client.kill());

    async function actionsFor(uri, diagnostic) {
      return client.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    }

    it('offers the task role fix, suppression and the KB topic; applying the fix re-lints clean', async () => {
      const uri = uriOf('task.yaml');
      client.open(uri, TASK);
      const published = await client.diagnostics(uri, { version: 1 });
      const diag = published.diagnostics.find((d) => d.code === 'ecs-task-role-missing');
      assert.ok(diag, 'the task role finding is published');
      assert.deepEqual(diag.data, { ruleId: 'ecs-task-role-missing', kb: 'ecs-iam-roles', fix: 'add-task-role', resource: 'AppTask' });

      const actions = await actionsFor(uri, diag);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Add a task role: new IAM role AppTaskRole for AppTask'), titles.join(' | '));
      assert.ok(titles.includes('Suppress ecs-task-role-missing for resource AppTask (comment with a reason)'), titles.join(' | '));
      assert.ok(titles.includes('Open KB topic: IAM roles for Amazon ECS'), titles.join(' | '));
      const topic = actions.find((a) => a.title.startsWith('Open KB topic'));
      assert.deepEqual(topic.command, { title: topic.title, command: 'kbHints.openTopic', arguments: ['ecs-iam-roles'] });

      const add = actions.find((a) => a.title.startsWith('Add a task role'));
      assert.equal(add.kind, 'quickfix');
      assert.equal(add.isPreferred, true);
      assert.deepEqual(add.diagnostics, [diag]);
      const [change] = add.edit.documentChanges;
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      const fixed = applyLspEdits(TASK, change.edits);
      assert.match(fixed, /TaskRoleArn: !GetAtt AppTaskRole\.Arn/);
      assert.match(fixed, /# The web tier\n {2}AppTask:/, 'comments are kept');
      assert.deepEqual(parseFile(fixed, 'task.yaml').errors, []);

      const mark = client.mark();
      client.change(uri, 2, [{ text: fixed }]);
      const after = await client.diagnostics(uri, { version: 2, since: mark });
      assert.ok(!after.diagnostics.some((d) => d.code === 'ecs-task-role-missing'), JSON.stringify(after.diagnostics));
    });

    it('"Suppress with a reason" hides the finding, selects the placeholder reason, and asks for a real reason', async () => {
      const uri = uriOf('task.yaml');
      const mark0 = client.mark();
      client.change(uri, 3, [{ text: TASK }]);
      const published = await client.diagnostics(uri, { version: 3, since: mark0 });
      const diag = published.diagnostics.find((d) => d.code === 'ecs-task-role-missing');
      const action = (await actionsFor(uri, diag)).find((a) => a.title.startsWith('Suppress'));
      const text = applyLspEdits(TASK, action.edit.documentChanges[0].edits);
      assert.equal(action.command.command, 'kbHints.selectRange');
      assert.equal(action.command.arguments[0], uri);
      assert.equal(rangeText(text, action.command.arguments[1]), 'TODO: why');

      const mark = client.mark();
      client.change(uri, 4, [{ text }]);
      const after = await client.diagnostics(uri, { version: 4, since: mark });
      assert.ok(!after.diagnostics.some((d) => d.code === 'ecs-task-role-missing'), 'suppressed findings are not published');
      const hint = after.diagnostics.find((d) => d.code === 'suppression-reason-missing');
      assert.equal(hint.severity, 4);
      const status = await client.waitFor('kbHints/fileStatus', (p) => p.uri === uri && p.suppressed === 1, { since: mark });
      assert.equal(status.kind, 'cloudformation');
    });

    it('does not publish suppressed findings, and reports the file kind and counts (kbHints/fileStatus)', async () => {
      const uri = uriOf('suppressed.yaml');
      const mark = client.mark();
      client.open(uri, fs.readFileSync(tmp.file('suppressed.yaml'), 'utf8'));
      const published = await client.diagnostics(uri, { since: mark });
      assert.ok(!published.diagnostics.some((d) => d.code === 'ecs-task-role-missing'));
      const status = await client.waitFor('kbHints/fileStatus', (p) => p.uri === uri, { since: mark });
      const bySeverity = { error: 0, warning: 0, info: 0, hint: 0 };
      for (const d of published.diagnostics) bySeverity[['', 'error', 'warning', 'info', 'hint'][d.severity]]++;
      assert.deepEqual(status, { uri, kind: 'cloudformation', label: 'CloudFormation', findings: published.diagnostics.length, suppressed: 1, bySeverity });
      // A file that is not a template still gets a status (no kind), so the status bar hides.
      const other = uriOf('disk/notes.yaml');
      client.open(other, 'just: notes\n');
      assert.deepEqual(await client.waitFor('kbHints/fileStatus', (p) => p.uri === other, { since: mark }), { uri: other, findings: 0, suppressed: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 } });
      client.close(other);
    });

    it('computes fixes from the diagnostic data (JSON, a rule id with its data contract)', async () => {
      const uri = uriOf('disk/repo.json');
      const text = fs.readFileSync(tmp.file('disk/repo.json'), 'utf8');
      const mark = client.mark();
      client.open(uri, text, { languageId: 'json' });
      const published = await client.diagnostics(uri, { since: mark });
      const diag = published.diagnostics.find((d) => d.code === 'ecr-tags-mutable');
      assert.ok(diag, JSON.stringify(published.diagnostics.map((d) => d.code)));
      const actions = await actionsFor(uri, diag);
      const fix = actions.find((a) => a.title.startsWith('Make image tags immutable'));
      const fixed = applyLspEdits(text, fix.edit.documentChanges[0].edits);
      assert.equal(JSON.parse(fixed).Resources.Repo.Properties.ImageTagMutability, 'IMMUTABLE');
      const suppress = actions.find((a) => a.title.startsWith('Suppress ecr-tags-mutable for resource Repo (Metadata'));
      assert.ok(suppress, actions.map((a) => a.title).join(' | '));
      assert.deepEqual(JSON.parse(applyLspEdits(text, suppress.edit.documentChanges[0].edits)).Resources.Repo.Metadata['kb-hints'].ignore, [{ rule: 'ecr-tags-mutable', reason: 'TODO: why' }]);
      client.close(uri);
    });

    it('applies .kbhints.yaml (severity, ignore) and re-reads it when the client says it changed', async () => {
      const uri = uriOf('strict/task.yaml');
      let mark = client.mark();
      client.open(uri, TASK);
      let published = await client.diagnostics(uri, { since: mark });
      assert.equal(published.diagnostics.find((d) => d.code === 'ecs-task-role-missing').severity, 1, 'error from .kbhints.yaml');

      const skipped = uriOf('strict/skip/task.yaml');
      client.open(skipped, TASK);
      assert.deepEqual((await client.diagnostics(skipped, { since: mark })).diagnostics, []);
      assert.equal((await client.waitFor('kbHints/fileStatus', (p) => p.uri === skipped, { since: mark })).ignored, true);

      fs.writeFileSync(tmp.file('strict/.kbhints.yaml'), 'rules:\n  ecs-task-role-missing: hint\n');
      mark = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('strict/.kbhints.yaml'), type: 2 }] });
      published = await client.diagnostics(uri, { since: mark, predicate: (p) => p.diagnostics.some((d) => d.code === 'ecs-task-role-missing') });
      assert.equal(published.diagnostics.find((d) => d.code === 'ecs-task-role-missing').severity, 4);
      const nowLinted = await client.diagnostics(skipped, { since: mark });
      assert.ok(nowLinted.diagnostics.some((d) => d.code === 'ecs-task-role-missing'), 'no longer ignored');
    });

    it('applies unsaved edits of an open .kbhints.yaml as they are typed, and the saved file again once it closes', async () => {
      const uri = uriOf('strict/task.yaml');
      const config = uriOf('strict/.kbhints.yaml');
      const severity = (p) => p.diagnostics.find((d) => d.code === 'ecs-task-role-missing')?.severity;
      let mark = client.mark();
      client.open(config, 'rules:\n  ecs-task-role-missing: warning\n');
      await client.diagnostics(uri, { since: mark, predicate: (p) => severity(p) === 2 });
      mark = client.mark();
      client.change(config, 2, [{ text: 'rules:\n  ecs-task-role-missing: off\n' }]);
      await client.diagnostics(uri, { since: mark, predicate: (p) => severity(p) === undefined });
      mark = client.mark();
      client.close(config);
      await client.diagnostics(uri, { since: mark, predicate: (p) => severity(p) === 4 });
    });

    it('kbHints/listRules lists every rule with its KB topic and whether it has a quick fix', async () => {
      const rules = await client.request('kbHints/listRules', {});
      assert.equal(rules.length, RULES.length);
      const r = rules.find((x) => x.id === 'ecs-task-role-missing');
      assert.deepEqual(r, { id: 'ecs-task-role-missing', title: r.title, severity: 'warning', kb: 'ecs-iam-roles', kbTitle: 'IAM roles for Amazon ECS', appliesTo: ['cloudformation'], hasFix: true });
      assert.equal(rules.find((x) => x.id === 'elb-classic-not-recommended').hasFix, false);
      const article = await client.request('kbHints/getArticle', { id: 'rule:ecs-task-role-missing' });
      assert.match(article.markdown, /## Example that fires[\s\S]*## How to fix[\s\S]*## In the editor[\s\S]*## Suppressing/);
    });

    it('kbHints/listSuppressions reads the files it is given (and open ones), with expiry', async () => {
      const list = await client.request('kbHints/listSuppressions', { uris: [uriOf('disk/k8s.yaml'), uriOf('disk/task.yaml'), uriOf('missing.yaml')] });
      const k8s = list.find((s) => s.uri === uriOf('disk/k8s.yaml'));
      assert.deepEqual({ ...k8s, range: undefined }, { uri: uriOf('disk/k8s.yaml'), range: undefined, form: 'annotation', rules: ['k8s-service-classic-lb'], reason: 'internal test cluster', until: '2020-01-01', expired: true });
      assert.equal(k8s.range.start.line, 5);
      const open = list.find((s) => s.uri === uriOf('suppressed.yaml'));
      assert.deepEqual([open.form, open.rules, open.reason, open.expired, open.range.start.line], ['comment', ['ecs-task-role-missing'], 'no AWS calls', false, 1]);
    });

    it('kbHints/lintFiles lints files from disk and publishes their diagnostics; they survive open/close', async () => {
      const uris = ['disk/task.yaml', 'disk/k8s.yaml', 'disk/notes.yaml', 'ignored/task.yaml'].map(uriOf);
      assert.deepEqual(await client.request('kbHints/lintFiles', { uris, mode: 'index' }), { linted: 0, skipped: 2, findings: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 } });
      const mark = client.mark();
      const result = await client.request('kbHints/lintFiles', { uris, mode: 'lint' });
      assert.equal(result.linted, 2);
      assert.equal(result.skipped, 2, 'notes.yaml is not a template; ignored/ is ignored');
      assert.equal(client.published(uriOf('ignored/task.yaml')).length, 0);
      const task = await client.diagnostics(uriOf('disk/task.yaml'), { since: mark });
      assert.ok(task.diagnostics.some((d) => d.code === 'ecs-task-role-missing'));
      const k8s = await client.diagnostics(uriOf('disk/k8s.yaml'), { since: mark });
      assert.deepEqual(k8s.diagnostics.map((d) => d.code).sort(), ['k8s-service-classic-lb', 'suppression-expired']);
      assert.equal(result.findings, task.diagnostics.length + k8s.diagnostics.length);
      const bySeverity = { error: 0, warning: 0, info: 0, hint: 0 };
      for (const d of [...task.diagnostics, ...k8s.diagnostics]) bySeverity[['', 'error', 'warning', 'info', 'hint'][d.severity]]++;
      assert.deepEqual(result.bySeverity, bySeverity, 'the summary counts by severity what is published');

      const uri = uriOf('disk/task.yaml');
      client.open(uri, TASK);
      const opened = await client.diagnostics(uri, { since: mark, version: 1 });
      // An open file is counted as the editor shows it (its status bar count, its published diagnostics).
      const status = await client.waitFor('kbHints/fileStatus', (p) => p.uri === uri, { since: mark });
      const again = await client.request('kbHints/lintFiles', { uris: [uri], mode: 'lint' });
      assert.deepEqual([again.linted, again.findings, status.findings], [1, opened.diagnostics.length, opened.diagnostics.length]);
      assert.deepEqual(again.bySeverity, status.bySeverity);
      const closeMark = client.mark();
      client.close(uri);
      const restored = await client.diagnostics(uri, { since: closeMark, predicate: (p) => p.diagnostics.length > 0 });
      assert.ok(restored.diagnostics.some((d) => d.code === 'ecs-task-role-missing'), 'the disk diagnostics come back after closing');
    });
  });

  describe('with a plain LSP client and the kbHints.rules setting', () => {
    let client;
    before(async () => {
      client = new LspClient({ settings: { rules: { 'ecs-task-role-missing': 'info', 'ecs-fargate-network-mode': 'off' } } });
      await client.initialize();
    });
    after(() => client.kill());

    it('the user setting overrides severities; actions carry edits but no client commands', async () => {
      const uri = uriOf('strict/task.yaml');
      client.open(uri, TASK);
      const published = await client.diagnostics(uri);
      const diag = published.diagnostics.find((d) => d.code === 'ecs-task-role-missing');
      assert.equal(diag.severity, 3, 'info from kbHints.rules wins over .kbhints.yaml');
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      assert.ok(actions.length >= 2);
      assert.ok(actions.every((a) => a.edit && !a.command), 'no kbHints.* commands for clients that cannot run them');
    });
  });
});
