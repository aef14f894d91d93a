// The KB as the editor shows it: search order (topics before rules for plain words), the bundled
// suppression guide, and the order of a finding's hover (headline, why and links, then the fix).
const assert = require('node:assert/strict');
const engine = require('../../dist/engine.js');

const TEMPLATE = [
  'Resources:',
  '  AppTask:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - Name: app',
  '          Image: public.ecr.aws/nginx/nginx:1.27',
  '',
].join('\n');

describe('KB in the editor', () => {
  it('search: plain words list topics before rules; a rule-id-like query ranks by score', () => {
    for (const q of ['fargate', 'task role', 'ecr', 'load balancer', '']) {
      const kinds = engine.searchKb(q).map((r) => r.kind);
      assert.ok(kinds.includes('topic'), q);
      const firstRule = kinds.indexOf('rule');
      if (firstRule !== -1) assert.ok(!kinds.slice(firstRule).includes('topic'), `"${q}": a topic after a rule: ${kinds.join(',')}`);
    }
    assert.equal(engine.searchKb('ecr-scan')[0].id, 'ecr-scan-on-push-disabled');
    assert.equal(engine.searchKb('ecs-task-role-missing')[0].kind, 'rule');
  });

  it('the suppression guide is an article, with links to articles in VS Code and web pages elsewhere', () => {
    const command = engine.getArticle('guide:suppressions', 'command');
    assert.equal(command.title, 'Suppressions and .kbhints.yaml');
    assert.match(command.markdown, /kb-hints-ignore/);
    assert.doesNotMatch(command.markdown, /\]\((?!https?:|command:|#)[^)]*\.md\)/, 'no relative .md links left');
    const web = engine.getArticle('guide:suppressions', 'web');
    assert.match(web.markdown, /\]\(https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/main\/docs\/environment\.md\)/);
    // Rule articles point at the guide: an article link in VS Code.
    const rule = engine.getArticle('rule:ecs-task-role-missing', 'command').markdown;
    assert.ok(rule.includes(`command:kbHints.openTopic?${encodeURIComponent(JSON.stringify(['guide:suppressions']))}`));
    assert.ok(!rule.includes('https://github.com/kb-hints/kb-hints/blob/main/docs/suppressions.md'));
    assert.equal(engine.getArticle('guide:nope'), undefined);
    // KB search finds the guide (opened by its id).
    const found = engine.searchKb('suppressions').find((r) => r.id === 'guide:suppressions');
    assert.equal(found && found.kind, 'topic');
  });

  it('a finding hover: headline first, then the KB why and the links, then the fix', () => {
    const file = engine.parseFile(TEMPLATE, 'file:///t.yaml');
    const findings = engine.lint(file, { rules: engine.RULES }).filter((f) => f.ruleId === 'ecs-task-role-missing');
    assert.equal(findings.length, 1);
    const h = engine.hoverAt(file, findings[0].start, findings, 'command');
    const md = h.markdown;
    const at = (re) => md.search(re);
    assert.equal(at(/\*\*/), 0, 'starts with the bold headline');
    assert.ok(md.startsWith(`**${engine.escapeMarkdown(findings[0].message)}**`));
    const why = at(/\*\*Why \(KB: /);
    const links = at(/\[Read the KB topic\]\(command:/);
    const fix = at(/\*\*Fix\*\*/);
    assert.ok(why > 0 && links > why && fix > links, `order: why ${why}, links ${links}, fix ${fix}`);
  });
});
