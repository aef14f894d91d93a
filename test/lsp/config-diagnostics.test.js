// `.kbhints.yaml` open in an editor: its problems are diagnostics on the offending line (syntax, unknown
// keys, bad severities, unknown rule ids with a suggestion), and the server says which files it uses.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');

const CONFIG = [
  'rules:',
  '  ecs-task-role-missin: off',
  '  ecr-tags-mutable: loud',
  '  elb-classic-not-recommended: error',
  'ignroe:',
  '  - legacy/',
  '',
].join('\n');

describe('LSP: .kbhints.yaml diagnostics', () => {
  let tmp;
  let client;
  before(async () => {
    tmp = tempDir({ '.kbhints.yaml': CONFIG, 'task.yaml': 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {}\n' });
    client = new LspClient();
    await client.initialize();
  });
  after(() => {
    client.kill();
    tmp.cleanup();
  });

  it('puts each problem on its line: unknown rule id (with the near one), bad severity, unknown key', async () => {
    const uri = pathToFileURL(tmp.file('.kbhints.yaml')).href;
    client.open(uri, CONFIG);
    const published = await client.diagnostics(uri, { predicate: (p) => p.diagnostics.length >= 3 });
    const byLine = Object.fromEntries(published.diagnostics.map((d) => [d.range.start.line, d]));
    assert.equal(byLine[1].code, 'config-unknown-rule');
    assert.match(byLine[1].message, /did you mean 'ecs-task-role-missing'/);
    assert.deepEqual([byLine[1].range.start.character, byLine[1].range.end.character], [2, 22]);
    assert.equal(byLine[2].code, 'config-invalid');
    assert.match(byLine[2].message, /rules\.ecr-tags-mutable: expected off, hint, info, warning or error, got loud/);
    assert.equal(byLine[4].code, 'config-invalid');
    assert.match(byLine[4].message, /unknown key 'ignroe'/);
    assert.equal(published.diagnostics.length, 3, 'the valid line has no diagnostic');

    const mark = client.mark();
    client.change(uri, 2, [{ text: 'rules:\n  ecs-task-role-missing: off\n' }]);
    await client.diagnostics(uri, { since: mark, predicate: (p) => p.diagnostics.length === 0 });
    const mark2 = client.mark();
    client.change(uri, 3, [{ text: 'rules:\n  - [unclosed\n' }]);
    const broken = await client.diagnostics(uri, { since: mark2, predicate: (p) => p.diagnostics.length > 0 });
    assert.match(broken.diagnostics[0].message, /YAML syntax error|expected a mapping/);
    assert.ok(broken.diagnostics[0].range.start.line >= 1, 'on the broken line, not the top of the file');
  });

  it('logs the language server start and the .kbhints.yaml files in use', async () => {
    const uri = pathToFileURL(tmp.file('task.yaml')).href;
    client.open(uri, 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {}\n');
    await client.diagnostics(uri);
    const logs = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => n.params.message);
    assert.ok(logs.some((m) => /KB Hints language server \S+ started/.test(m)), logs.join('\n'));
    assert.ok(logs.some((m) => m.includes('using') && m.includes('.kbhints.yaml')), logs.join('\n'));
  });
});
