// @ts-check
// Team rules and topics in the language server: a rule file edited in the editor changes the diagnostics
// of an open template (no reload), a broken rule file gets a diagnostic on its offending line, and a team
// topic shows in hover and KB search.
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('../helpers/lsp-client');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');

/** @typedef {import('../../server/src/protocol').ListRulesResult} ListRulesResult */
/** @typedef {import('../../server/src/protocol').SearchKbResult} SearchKbResult */
/** @typedef {import('../../server/src/protocol').GetArticleResult} GetArticleResult */
/** @typedef {import('../../server/src/protocol').FileStatusParams} FileStatusParams */
/** @typedef {import('vscode-languageserver').PublishDiagnosticsParams} PublishDiagnosticsParams */

const RULE = (/** @type {string} */ value) => `id: acme/repo-name\ntitle: Repositories are named\nseverity: warning\nkb: acme-repos\nmessage: "{{resource}} needs a RepositoryName"\nselect: { type: AWS::ECR::Repository }\nrequire: { path: Properties.RepositoryName, ${value} }\n`;
const TOPIC = '---\nid: acme-repos\ntitle: Acme repository naming\nsummary: Every ECR repository is named after its service.\nkeywords: [naming]\ncloudformation: [AWS::ECR::Repository]\nsources:\n  - https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html\nchecked: 2026-11-20\n---\n## Key points\n- Name repositories `<team>/<service>`.\n';
const TEMPLATE = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: IMMUTABLE\n';

describe('team rules in the language server', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir} */
  let tmp;
  /** @type {LspClient} */
  let client;
  beforeEach(async () => {
    tmp = tempDir({ '.kbhints.yaml': 'kb: [kb]\n', 'kb/acme-repos.md': TOPIC, '.kbhints/rules/repos.yaml': RULE('exists: true'), 'stack.yaml': TEMPLATE });
    client = new LspClient();
    await client.initialize();
  });
  afterEach(async () => {
    await client.shutdown().catch(() => client.kill());
    tmp.cleanup();
  });

  it('lints with team rules, follows edits of the rule file as typed, and reports a broken rule file on its line', async () => {
    const uri = pathToFileURL(tmp.file('stack.yaml')).href;
    const ruleUri = pathToFileURL(tmp.file('.kbhints/rules/repos.yaml')).href;
    const ids = (/** @type {PublishDiagnosticsParams} */ d) => d.diagnostics.map((x) => x.code).sort();
    client.open(uri, TEMPLATE);
    let d = await client.diagnostics(uri, { predicate: (p) => p.diagnostics.some((x) => x.code === 'acme/repo-name') });
    assert.ok(ids(d).includes('acme/repo-name'));
    const line = defined(d.diagnostics.find((x) => x.code === 'acme/repo-name')).range.start.line;
    assert.equal(line, 1, 'points at the logical id when the property is missing');

    // Edit the rule (not saved): the template's diagnostics change.
    let mark = client.mark();
    client.open(ruleUri, RULE('exists: true'));
    client.change(ruleUri, 2, [{ text: RULE('absent: true') }]);
    d = await client.diagnostics(uri, { since: mark, predicate: (p) => !p.diagnostics.some((x) => x.code === 'acme/repo-name') });
    assert.ok(!ids(d).includes('acme/repo-name'));

    // Break it: a diagnostic on the offending line of the rule file; the built-in rules keep running.
    mark = client.mark();
    client.change(ruleUri, 3, [{ text: RULE('equalz: 3') }]);
    const r = await client.diagnostics(ruleUri, { since: mark, predicate: (p) => p.diagnostics.length > 0 });
    assert.equal(r.diagnostics[0].range.start.line, 6);
    assert.match(r.diagnostics[0].message, /unexpected key 'equalz'/);
    // The template is linted again; its diagnostics did not change (an identical list is not sent again), the
    // status says the built-in rules still found what they found.
    /** @type {FileStatusParams} */
    const status = await client.waitFor('kbHints/fileStatus', (p) => p.uri === uri, { since: mark });
    assert.ok(status.findings > 0, 'built-in rules still run');
    assert.ok(d.diagnostics.some((x) => x.code === 'ecr-scan-on-push-disabled'));

    // Browse Rules lists team rules once they load again.
    client.change(ruleUri, 4, [{ text: RULE('exists: true') }]);
    await client.diagnostics(uri, { since: mark, predicate: (p) => p.diagnostics.some((x) => x.code === 'acme/repo-name') });
    /** @type {ListRulesResult} */
    const rules = await client.request('kbHints/listRules', {});
    assert.ok(rules.some((x) => x.id === 'acme/repo-name' && x.kbTitle === 'Acme repository naming'));
  });

  it('shows a team topic in hover and KB search', async () => {
    const uri = pathToFileURL(tmp.file('stack.yaml')).href;
    client.open(uri, TEMPLATE);
    await client.diagnostics(uri);
    const h = await client.hover(uri, { line: 2, character: 14 });
    assert.match(JSON.stringify(h), /Acme repository naming/);
    /** @type {SearchKbResult} */
    const found = await client.request('kbHints/searchKb', { query: 'repository naming' });
    assert.ok(found.some((x) => x.id === 'acme-repos'));
    /** @type {GetArticleResult} */
    const article = await client.request('kbHints/getArticle', { id: 'acme-repos' });
    assert.match(defined(article).markdown, /Team topic/);
  });

  it('applies a team topic edited in the editor as typed, and underlines a broken one', async () => {
    const uri = pathToFileURL(tmp.file('stack.yaml')).href;
    const topicUri = pathToFileURL(tmp.file('kb/acme-repos.md')).href;
    client.open(uri, TEMPLATE);
    await client.diagnostics(uri);
    client.open(topicUri, TOPIC, { languageId: 'markdown' });
    client.change(topicUri, 2, [{ text: TOPIC.replace('Acme repository naming', 'Acme naming, edited') }]);
    /** @type {import('vscode-languageserver').Hover | null | undefined} */
    let h;
    for (let i = 0; i < 50; i++) {
      h = await client.hover(uri, { line: 2, character: 14 });
      if (/Acme naming, edited/.test(JSON.stringify(h))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(JSON.stringify(h), /Acme naming, edited/);
    const mark = client.mark();
    client.change(topicUri, 3, [{ text: TOPIC.replace('checked: 2026-11-20', 'checked: 2026-13-40') }]);
    const d = await client.diagnostics(topicUri, { since: mark, predicate: (p) => p.diagnostics.length > 0 });
    assert.equal(d.diagnostics[0].range.start.line, 8);
    assert.match(d.diagnostics[0].message, /not a date/);
  });
});
