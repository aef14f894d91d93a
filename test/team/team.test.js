// @ts-check
// Team rules as data: reading and checking rule files (problems on the offending node, the other rules
// kept), conditions (unknown never fires, Fn::If branches), safety (patterns, expressions, budgets),
// suppressions and severities, the loader (topics, overrides), and the CLI commands.
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const engine = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');
const { jsonFindings } = require('../helpers/cli');

/** @typedef {import('../helpers/cli').JsonFinding} JsonFinding */
/** @typedef {import('../helpers/cli').SarifLog} SarifLog */

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const BUILT_IN = new Set(engine.RULES.map((r) => r.meta.id));

/** The compiled rules of a team rule file, and its problems. @param {string} text */
function rules(text) {
  const { rules: specs, errors } = engine.readRuleFile(text, 'rules.yaml', BUILT_IN);
  return { rules: specs.map(engine.compileRule), errors };
}
/**
 * The team-rule (and internal-error) findings of `ruleText`'s rules in `template`.
 * @param {string} ruleText
 * @param {string} template
 * @param {Omit<import('../../server/src/index').LintOptions, 'rules'>} [options]
 */
function findings(ruleText, template, name = 't.yaml', options = {}) {
  const { rules: list, errors } = rules(ruleText);
  assert.deepEqual(errors, []);
  return engine.lint(engine.parseFile(template, name), { rules: list, ...options }).filter((f) => f.ruleId.includes('/') || f.ruleId === 'internal-error');
}
const lineOf = (/** @type {string} */ text, /** @type {number} */ offset) => text.slice(0, offset).split('\n').length;

const HEAD = 'id: acme/x\ntitle: X\nkb: ecr\nmessage: "{{resource}} {{value}}"\n';

describe('team rule files', () => {
  it('report each problem on its node and keep the other rules of the file', () => {
    const text = [
      '- id: acme/good', '  title: Good', '  kb: ecr', '  message: m', '  select: { type: AWS::ECR::Repository }',
      '- id: acme/bad', '  title: Bad', '  kb: ecr', '  message: m', '  select: { type: AWS::ECR::Repository }', '  require: { path: Properties.X, equalz: 1 }',
      '- id: ecr-tags-mutable', '  title: Shadow', '  kb: ecr', '  message: m', '  select: { type: AWS::ECR::Repository }',
      '- id: NoNamespace', '  title: T', '  kb: ecr', '  message: m', '  select: { kind: Pod }',
      '',
    ].join('\n');
    const { rules: list, errors } = rules(text);
    assert.deepEqual(list.map((r) => r.meta.id), ['acme/good']);
    const at = errors.map((e) => /** @type {[number, string]} */ ([lineOf(text, e.start), e.message]));
    assert.ok(at.some(([l, m]) => l === 11 && /unexpected key 'equalz'/.test(m)), JSON.stringify(at));
    assert.ok(at.some(([l, m]) => l === 12 && /is a built-in rule/.test(m)));
    assert.ok(at.some(([l, m]) => l === 17 && /team rule id is 'team\/rule-name'/.test(m)));
  });

  it('refuse patterns that could backtrack catastrophically, and say why', () => {
    for (const [p, why] of /** @type {[string, RegExp][]} */ ([['(a+)+$', /repeated group/], ['(a|aa)*b', /repeated group/], ['(x)\\1', /backreferences/], ['(?=a)b', /lookahead/], ['a*b*c*d*', /at most 3 unbounded/], ['[', /not a valid/]])) {
      const r = engine.safeRegExp(p);
      assert.equal(typeof r, 'string', p);
      assert.match(/** @type {string} */ (r), why, p); // a string: asserted above
    }
    for (const p of [':latest$', '^(/(sys|proc)(/.*)?)$', '(foo|bar)?x', '[a-z]+-[0-9]{1,3}']) assert.ok(engine.safeRegExp(p) instanceof RegExp, p);
    const { errors } = rules(`${HEAD}select: { type: AWS::ECR::Repository }\nwhen: { path: Properties.RepositoryName, matches: '(a+)+$' }\n`);
    assert.match(errors[0].message, /when.matches: a repeated group/);
  });

  it('locate an expression error inside the expression', () => {
    const text = `${HEAD}select: { type: AWS::ECR::Repository }\nwhen: { expr: size(Properties) > }\n`;
    const { errors } = rules(text);
    assert.match(errors[0].message, /expression: the expression ends too early/);
    assert.equal(lineOf(text, errors[0].start), 6);
  });
});

describe('team rule conditions', () => {
  const RULE = `${HEAD}select: { type: AWS::ECR::Repository }\nrequire: { path: Properties.ImageTagMutability, equals: IMMUTABLE }\n`;
  it('point at the value that is wrong, or at the resource when the property is missing', () => {
    const tpl = 'Resources:\n  A:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: MUTABLE\n  B:\n    Type: AWS::ECR::Repository\n';
    const f = findings(RULE, tpl);
    assert.deepEqual(f.map((x) => tpl.slice(x.start, x.end)), ['MUTABLE', 'B']);
    assert.equal(f[0].message, 'A MUTABLE');
  });
  it('stay quiet on values that cannot be known (a parameter, an import, Fn::If branches that disagree)', () => {
    const tpl = [
      'Parameters: { M: { Type: String } }', 'Conditions: { C: !Equals [a, b] }', 'Resources:',
      '  P:', '    Type: AWS::ECR::Repository', '    Properties: { ImageTagMutability: !Ref M }',
      '  I:', '    Type: AWS::ECR::Repository', '    Properties: { ImageTagMutability: !ImportValue x }',
      '  Mixed:', '    Type: AWS::ECR::Repository', '    Properties: { ImageTagMutability: !If [C, MUTABLE, IMMUTABLE] }',
      '  Both:', '    Type: AWS::ECR::Repository', '    Properties: { ImageTagMutability: !If [C, MUTABLE, mutable] }',
      '  Whole:', '    Type: AWS::ECR::Repository', '    Properties: !If [C, { ImageTagMutability: IMMUTABLE }, { ImageTagMutability: IMMUTABLE }]', '',
    ].join('\n');
    const f = findings(RULE, tpl);
    assert.deepEqual(f.map((x) => tpl.slice(x.start, x.end)), ['!If [C, MUTABLE, mutable]']);
  });
  it('follow references (Ref/GetAtt) to the target resource', () => {
    const rule = `${HEAD}select: { type: AWS::ECS::Service }\nwhen: { path: Properties.TaskDefinition, target: { path: Properties.NetworkMode, equals: bridge } }\n`;
    const tpl = 'Parameters: { T: { Type: String } }\nResources:\n  TD:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { NetworkMode: bridge }\n  S1:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref TD }\n  S2:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref T }\n';
    assert.deepEqual(findings(rule, tpl).map((x) => tpl.slice(x.start, x.end)), ['!Ref TD']);
  });
  it('iterate list items (Kubernetes containers) and test every item with some/every', () => {
    const rule = `${HEAD}select: { kind: Deployment }\neach: containers\nrequire: { path: resources.limits.memory, exists: true }\n`;
    const k8s = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: w }\nspec:\n  template:\n    spec:\n      initContainers: [{ name: init }]\n      containers:\n        - name: a\n          resources: { limits: { memory: 1Gi } }\n        - name: b\n';
    assert.deepEqual(findings(rule, k8s).map((x) => k8s.slice(x.start, x.end)), ['init', 'b']);
    const tags = `${HEAD}select: { type: AWS::ECR::Repository }\nrequire: { path: Properties.Tags, some: { path: Key, equals: CostCenter } }\n`;
    const tpl = 'Resources:\n  A:\n    Type: AWS::ECR::Repository\n    Properties: { Tags: [{ Key: CostCenter, Value: x }] }\n  B:\n    Type: AWS::ECR::Repository\n    Properties: { Tags: [{ Key: Team, Value: x }] }\n';
    assert.deepEqual(findings(tags, tpl).map((x) => tpl.slice(x.start, x.end)), ['Tags']);
  });
  it('evaluate expressions, unknown through intrinsics', () => {
    const rule = `${HEAD}select: { type: AWS::ECS::TaskDefinition }\nrequire: "Properties.Cpu >= 512 && startsWith(lower(Properties.Family), 'acme-')"\nreport: Properties.Cpu\n`;
    const tpl = 'Parameters: { C: { Type: String } }\nResources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { Cpu: "256", Family: acme-web }\n  B:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { Cpu: !Ref C, Family: acme-web }\n  C2:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { Cpu: 1024, Family: ACME-api }\n';
    assert.deepEqual(findings(rule, tpl).map((x) => tpl.slice(x.start, x.end)), ['Cpu']);
  });
  it('stop a rule that uses up its step budget, report it, and keep the other rules running', () => {
    const terms = Array.from({ length: 150 }, (_, i) => `Name=='n${i}'`).join('||');
    const rule = `- ${HEAD.replace(/\n/g, '\n  ').trimEnd()}\n  select: { type: AWS::ECS::TaskDefinition }\n  each: containers\n  when: "${terms}"\n- id: acme/y\n  title: Y\n  kb: ecr\n  message: m\n  select: { type: AWS::ECS::TaskDefinition }\n`;
    const containers = Array.from({ length: 5000 }, (_, i) => `        - { Name: c${i} }`).join('\n');
    const tpl = `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n${containers}\n`;
    const started = Date.now();
    const f = findings(rule, tpl);
    assert.ok(Date.now() - started < 5000);
    assert.ok(f.some((x) => x.ruleId === 'internal-error' && defined(x.data).rule === 'acme/x' && /used up its step budget/.test(x.message)));
    assert.ok(f.some((x) => x.ruleId === 'acme/y'), 'the other rule ran');
  });
  it('take .kbhints.yaml severities and in-source suppressions like built-in rules', () => {
    const tpl = 'Resources:\n  # kb-hints-ignore acme/x reason="a scratch repository"\n  A:\n    Type: AWS::ECR::Repository\n  B:\n    Type: AWS::ECR::Repository\n';
    const f = findings(RULE, tpl, 't.yaml', { severities: { 'acme/x': 'error' } });
    assert.deepEqual(f.map((x) => [tpl.slice(x.start, x.end), x.severity, !!x.suppressed]), [['A', 'error', true], ['B', 'error', false]]);
    assert.deepEqual(findings(RULE, tpl, 't.yaml', { severities: { 'acme/x': 'off' } }), []);
  });
});

describe('team KB loader', () => {
  it('reads topics and rules from folders; a team topic overrides a built-in one; a broken file is reported', () => {
    const t = tempDir({
      'kb/ecr.md': '---\nid: ecr\ntitle: Team ECR\nsummary: Ours.\nsources:\n  - https://docs.aws.amazon.com/AmazonECR/latest/userguide/what-is-ecr.html\nchecked: 2026-11-01\n---\n## Key points\n- Ours.\n',
      'kb/broken.md': '---\nid: broken\ntitle: B\nsummary: S\nsources:\n  - http://insecure.example\nchecked: 2026-11-01\n---\n',
      'rules/a.yaml': `${HEAD}select: { type: AWS::ECR::Repository }\n`,
      'rules/b.yaml': `${HEAD.replace('acme/x', 'acme/z').replace('kb: ecr', 'kb: nowhere')}select: { type: AWS::ECR::Repository }\n`,
    });
    try {
      const kb = new engine.TeamLoader().load([t.file('rules')], [t.file('kb')]);
      assert.deepEqual(kb.topics.map((x) => x.id), ['ecr']);
      assert.deepEqual(kb.rules.map((x) => x.meta.id), ['acme/x']);
      const msgs = kb.problems.map((p) => `${path.basename(p.file)}:${p.line + 1} ${p.message}`);
      assert.ok(msgs.some((m) => /^broken\.md:5 source 'http:\/\/insecure.example' is not an https URL/.test(m)), msgs.join('\n'));
      assert.ok(msgs.some((m) => /^b\.yaml:3 kb: no topic 'nowhere'/.test(m)), msgs.join('\n'));
      engine.setTeamCatalogue(kb);
      const article = defined(engine.getArticle('ecr'));
      assert.match(article.markdown, /^# Team ECR/);
      assert.match(article.markdown, /## Built-in topic: /);
      assert.equal(defined(engine.topicById('ecr')).title, 'Team ECR');
      assert.ok(engine.searchKb('acme').some((r) => r.id === 'acme/x'));
    } finally {
      engine.setTeamCatalogue({ rules: [], topics: [] });
      t.cleanup();
    }
  });
});

describe('team KB in the CLI', function () {
  this.timeout(60000);
  const run = (/** @type {string[]} */ args, /** @type {string} */ cwd, /** @type {Record<string, string>} */ env = {}) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  /** @type {import('../helpers/tmp').TempDir} */
  let t;
  beforeEach(() => {
    t = tempDir({
      '.kbhints.yaml': 'kb: [kb]\n',
      'kb/acme-repos.md': '---\nid: acme-repos\ntitle: Acme repositories\nsummary: Named repositories.\ncloudformation: [AWS::ECR::Repository]\nsources:\n  - https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html\nchecked: 2026-11-01\n---\n## Key points\n- Name them.\n',
      '.kbhints/rules/ok.yaml': 'id: acme/named\ntitle: Named\nkb: acme-repos\nmessage: "{{resource}} has no name"\nselect: { type: AWS::ECR::Repository }\nrequire: { path: Properties.RepositoryName, exists: true }\n',
      '.kbhints/rules/broken.yaml': 'id: acme/broken\ntitle: B\nkb: acme-repos\nmessage: m\nselect: { type: AWS::ECR::Repository }\nrequire: { path: X, between: 3 }\n',
      '.kbhints/rules/tests/named/fires.yaml': 'Resources:\n  Repo:\n# ^^^^ acme/named\n    Type: AWS::ECR::Repository\n',
      '.kbhints/rules/tests/named/quiet.yaml': 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties: { RepositoryName: x }\n',
      'stack/a.yaml': 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n',
    });
  });
  afterEach(() => t.cleanup());

  it('lint: team findings with the team topic, a broken rule file as an error line (exit 1), the other rules run', () => {
    const r = run(['lint', 'stack', '--no-color'], t.dir);
    assert.match(r.stdout, /stack\/a\.yaml:2:3 +warning acme\/named +Repo has no name +\[KB: Acme repositories\]/);
    assert.match(r.stdout, /ecr-tags-mutable/);
    assert.match(r.stderr, /kb-hints: error: \.kbhints\/rules\/broken\.yaml:6:\d+: .*unexpected key 'between'/);
    assert.equal(r.status, 1);
  });
  it('lint on worker threads gives the same team findings', () => {
    const a = run(['lint', 'stack', '-f', 'json', '-j', '1'], t.dir);
    const b = run(['lint', 'stack', '-f', 'json', '-j', '2'], t.dir, { KB_HINTS_PARALLEL_MIN_BYTES: '0' });
    assert.deepEqual(JSON.parse(b.stdout), JSON.parse(a.stdout));
    assert.ok(jsonFindings(a.stdout).some((f) => f.ruleId === 'acme/named'));
  });
  it('SARIF carries team rules with their topic as help text', () => {
    /** @type {SarifLog} */
    const sarif = JSON.parse(run(['lint', 'stack', '-f', 'sarif'], t.dir).stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((x) => x.id === 'acme/named');
    assert.match(defined(rule).help.markdown, /## KB: Acme repositories/);
  });
  it('rules test: runs the fixtures, reports broken files and failures with exit code 1', () => {
    let r = run(['rules', 'test'], t.dir);
    assert.match(r.stdout, /ok +acme\/named \(2 fixtures\)/);
    assert.match(r.stdout, /error \.kbhints\/rules\/broken\.yaml:6/);
    assert.equal(r.status, 1);
    t.write('.kbhints/rules/broken.yaml', 'id: acme/broken\ntitle: B\nkb: acme-repos\nmessage: m\nselect: { type: AWS::ECR::Repository }\n');
    t.write('.kbhints/rules/tests/broken/quiet.yaml', 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n');
    r = run(['rules', 'test'], t.dir);
    assert.match(r.stdout, /FAIL +acme\/broken[\s\S]*unexpected 2:3-2:7 acme\/broken/);
    assert.equal(r.status, 1);
    t.write('.kbhints/rules/tests/broken/quiet.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n');
    r = run(['rules', 'test'], t.dir);
    assert.equal(r.status, 0, r.stdout);
  });
  it('kb search and kb show read team and built-in topics', () => {
    let r = run(['kb', 'search', 'acme', 'repositories'], t.dir);
    assert.match(r.stdout, /topic acme-repos/);
    r = run(['kb', 'show', 'acme-repos'], t.dir);
    assert.match(r.stdout, /^# Acme repositories/);
    assert.match(r.stdout, /acme\/named/);
    r = run(['kb', 'show', 'ecs-iam-roles'], t.dir);
    assert.equal(r.status, 0);
    r = run(['kb', 'show', 'nope'], t.dir);
    assert.equal(r.status, 1);
  });
});
