// @ts-check
// `--format sarif` against the SARIF 2.1.0 schema and GitHub code scanning's expectations: fingerprints
// that survive unrelated edits, URIs relative to the repository root from any folder, invocations, rule
// properties and help, and the warnings near GitHub's limits.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runCli } = require('../helpers/cli');
const { loadValidator, structural } = require('../helpers/sarif');
const { tempDir } = require('../helpers/tmp');
const { RULES } = require('../helpers/engine');
const pkg = require('../../package.json');

const ROOT = path.resolve(__dirname, '../..');

/**
 * @typedef {{ id: string, help: { text: string, markdown: string }, helpUri: string, fullDescription: { text: string, markdown: string },
 *   properties: { tags: string[], precision: string, 'problem.severity': string, 'security-severity'?: string } }} Rule
 * @typedef {{ uri: string, uriBaseId?: string }} Artifact
 * @typedef {{ ruleId: string, level: string, message: { text: string }, partialFingerprints: { primaryLocationLineHash: string, 'kbHintsFinding/v1': string },
 *   locations: { physicalLocation: { artifactLocation: Artifact, region: { startLine: number } } }[], suppressions?: unknown[] }} Result
 * @typedef {{ executionSuccessful: boolean, startTimeUtc: string, endTimeUtc: string, workingDirectory: { uri: string } }} Invocation
 * @typedef {{ runs: { tool: { driver: { name: string, version: string, semanticVersion: string, rules: Rule[] } }, invocations: Invocation[],
 *   originalUriBaseIds: Record<string, { uri: string }>, results: Result[] }[] }} Log
 */

/** @param {string} stdout @returns {Log} */
const sarif = (stdout) => JSON.parse(stdout);

const TASK = (/** @type {string} */ name) => `  ${name}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n`;
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${TASK('AppTask')}${TASK('WorkerTask')}`;
const SUPPRESSED = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  # kb-hints-ignore ecs-task-role-missing reason="migration planned"\n${TASK('AppTask')}`;

describe('CLI: SARIF for code scanning', function () {
  this.timeout(120000);
  const { validator, validate } = loadValidator();

  it(`validates against the SARIF 2.1.0 schema (${validator})`, () => {
    const t = tempDir({ 'a.yaml': TEMPLATE, 'b.yaml': SUPPRESSED, 'dir with space/é.yaml': TEMPLATE });
    try {
      for (const target of [path.join(ROOT, 'examples'), path.join(ROOT, 'test/corpus'), t.dir]) {
        const r = runCli(['lint', target, '-f', 'sarif'], { cwd: t.dir });
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        const log = sarif(r.stdout);
        assert.ok(log.runs[0].results.length > 0, `results for ${target}`);
        assert.deepEqual(validate(log), [], `${target}: ${validator}`);
        assert.deepEqual(structural(log), [], `${target}: structural check`);
      }
      const stdin = runCli(['lint', '-', '-f', 'sarif'], { input: TEMPLATE, cwd: t.dir });
      assert.deepEqual(validate(sarif(stdin.stdout)), []);
    } finally {
      t.cleanup();
    }
  });

  it('the validator rejects what the schema forbids (a bad level, line 0, an unknown property)', () => {
    const r = runCli(['lint', 'examples/ecs-classic.yaml', '-f', 'sarif']);
    const log = /** @type {any} */ (sarif(r.stdout));
    log.runs[0].results[0].level = 'bogus';
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    const errors = validate(log);
    assert.ok(errors.some((e) => e.includes('/level')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('/startLine')), errors.join('\n'));
    assert.ok(structural(log).length >= 2);
    if (validator.startsWith('ajv')) {
      const extra = /** @type {any} */ (sarif(r.stdout));
      extra.runs[0].tool.driver.information_uri = 'x';
      assert.notDeepEqual(validate(extra), []);
    }
  });

  it('tool: semanticVersion; invocations with executionSuccessful and start/end times; rule properties and help', () => {
    const before = Date.now();
    const log = sarif(runCli(['lint', 'examples', '-f', 'sarif']).stdout);
    const run = log.runs[0];
    assert.equal(run.tool.driver.semanticVersion, pkg.version);
    const [inv] = run.invocations;
    assert.equal(inv.executionSuccessful, true);
    const start = Date.parse(inv.startTimeUtc);
    const end = Date.parse(inv.endTimeUtc);
    assert.ok(start >= before - 1000 && start <= end && end <= Date.now() + 1000, `${inv.startTimeUtc} .. ${inv.endTimeUtc}`);
    assert.match(inv.workingDirectory.uri, /^file:\/\/\/.*\/$/);
    // examples/ holds a team KB: its rules are described too (tested in test/team); here the built-in ones.
    const builtIn = run.tool.driver.rules.filter((r) => !r.id.includes('/'));
    assert.equal(builtIn.length, RULES.length);
    for (const rule of builtIn) {
      const meta = RULES.find((r) => r.meta.id === rule.id)?.meta;
      assert.ok(meta, rule.id);
      assert.equal(rule.properties.precision, 'high');
      assert.equal(rule.properties['problem.severity'], { error: 'error', warning: 'warning', info: 'recommendation', hint: 'recommendation' }[meta.severity]);
      assert.ok(rule.properties.tags.length <= 20 && rule.properties.tags.includes(meta.kb), rule.id);
      // security-severity only on the security rules, and only with the tag GitHub reads it with.
      assert.equal(rule.properties.tags.includes('security'), rule.properties['security-severity'] !== undefined, rule.id);
      if (rule.properties['security-severity']) assert.ok(Number(rule.properties['security-severity']) > 0 && Number(rule.properties['security-severity']) <= 10);
      assert.match(rule.help.markdown, new RegExp(`^# ${meta.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), 'help is the rule article');
      assert.ok(rule.help.markdown.includes('## How to fix'), rule.id);
      assert.ok(!rule.help.text.includes('`') && rule.help.text.length > 0, `${rule.id}: help.text is plain`);
      assert.equal(rule.fullDescription.markdown, meta.description);
      assert.match(rule.helpUri, /^https:\/\/.+\/docs\/rules\/[a-z0-9-]+\.md$/);
    }
    assert.deepEqual(run.tool.driver.rules.filter((r) => r.properties['security-severity']).map((r) => r.id).sort(), ['ecr-scan-on-push-disabled', 'ecr-tags-mutable', 'ecs-task-role-missing', 'ecs-task-role-shared']);
  });

  it('partialFingerprints survive unrelated edits (lines added above, another resource, re-indented JSON)', () => {
    const t = tempDir({ 'stack.yaml': TEMPLATE });
    try {
      const prints = () => {
        const log = sarif(runCli(['lint', 'stack.yaml', '-f', 'sarif', '--root', t.dir], { cwd: t.dir }).stdout);
        return log.runs[0].results.map((r) => ({ rule: r.ruleId, line: r.locations[0].physicalLocation.region.startLine, ...r.partialFingerprints }));
      };
      const a = prints();
      assert.equal(a.length, 2);
      assert.notEqual(a[0].primaryLocationLineHash, a[1].primaryLocationLineHash, 'two tasks, two fingerprints');
      for (const p of a) assert.match(p.primaryLocationLineHash, /^[0-9a-f]{32}:\d+$/);
      // Unrelated edits: a description and a parameter above, a bucket between the tasks.
      t.write('stack.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nDescription: moved down\nParameters:\n  Env: { Type: String }\nResources:\n${TASK('AppTask')}  Bucket:\n    Type: AWS::S3::Bucket\n${TASK('WorkerTask')}`);
      const b = prints();
      assert.notDeepEqual(b.map((p) => p.line), a.map((p) => p.line), 'the lines moved');
      assert.deepEqual(b.map(({ line, ...rest }) => rest), a.map(({ line, ...rest }) => rest));
      // Renaming a resource changes its finding's identity.
      t.write('stack.yaml', TEMPLATE.replace('WorkerTask', 'BatchTask'));
      const c = prints();
      assert.equal(c[0].primaryLocationLineHash, a[0].primaryLocationLineHash);
      assert.notEqual(c[1].primaryLocationLineHash, a[1].primaryLocationLineHash);
      // JSON laid out again (indentation, a property added after the last one: its comma moves).
      const json = (/** @type {number} */ indent, /** @type {boolean} */ more) => {
        /** @type {Record<string, unknown>} */
        const task = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'public.ecr.aws/nginx/nginx:latest' }] } };
        return JSON.stringify({ Resources: { AppTask: task, ...(more ? { Bucket: { Type: 'AWS::S3::Bucket' } } : {}) } }, null, indent);
      };
      fs.rmSync(t.file('stack.yaml'));
      t.write('stack.json', json(2, false));
      const jsonPrints = () => sarif(runCli(['lint', 'stack.json', '-f', 'sarif'], { cwd: t.dir }).stdout).runs[0].results.map((r) => r.partialFingerprints);
      const j1 = jsonPrints();
      assert.equal(j1.length, 1);
      t.write('stack.json', json(4, true));
      assert.deepEqual(jsonPrints(), j1);
    } finally {
      t.cleanup();
    }
  });

  it('URIs are relative to the repository root (the folder with .git above the working folder, or --root), from any folder', () => {
    const t = tempDir({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/infra/stack.yaml': TEMPLATE, 'repo/app/README.md': 'x', 'other/x.yaml': TEMPLATE });
    try {
      const uris = (/** @type {string[]} */ args, /** @type {string} */ cwd) => {
        const log = sarif(runCli(['lint', ...args, '-f', 'sarif'], { cwd }).stdout);
        return { log, uris: log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation) };
      };
      for (const [args, cwd] of /** @type {[string[], string][]} */ ([
        [['../infra/stack.yaml'], t.file('repo/app')],
        [['infra'], t.file('repo')],
        [['stack.yaml'], t.file('repo/infra')],
        [[t.file('repo/infra/stack.yaml')], t.dir],
      ])) {
        const { log, uris: got } = uris(cwd === t.dir ? [...args, '--root', t.file('repo')] : args, cwd);
        assert.deepEqual(got[0], { uri: 'infra/stack.yaml', uriBaseId: '%SRCROOT%' }, `${args} from ${cwd}`);
        assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${t.file('repo')}/`);
      }
      // A `.git` file (a worktree or submodule) marks the root too.
      fs.rmSync(t.file('repo/.git'), { recursive: true });
      t.write('repo/.git', 'gitdir: /elsewhere\n');
      assert.equal(uris(['stack.yaml'], t.file('repo/infra')).uris[0].uri, 'infra/stack.yaml');
      // Outside the root: an absolute file URI, no base.
      const outside = uris([t.file('other/x.yaml'), '--root', t.file('repo')], t.dir).uris[0];
      assert.equal(outside.uriBaseId, undefined);
      assert.match(outside.uri, /^file:\/\/\/.*\/other\/x\.yaml$/);
    } finally {
      t.cleanup();
    }
  });

  it('warns on stderr above the 5,000 results GitHub shows per run', () => {
    const n = 5001;
    const lb = (/** @type {number} */ i) => `  Lb${i}:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties: { Listeners: [] }\n`;
    const t = tempDir({ 'many.yaml': `Resources:\n${Array.from({ length: n }, (_, i) => lb(i)).join('')}` });
    try {
      const r = runCli(['lint', 'many.yaml', '-f', 'sarif', '-o', 'out.sarif'], { cwd: t.dir });
      const results = sarif(fs.readFileSync(t.file('out.sarif'), 'utf8')).runs[0].results;
      assert.ok(results.length > 5000, `${results.length} results`);
      assert.match(r.stderr, /SARIF results: GitHub code scanning shows only the first 5000/);
      const small = runCli(['lint', 'examples', '-f', 'sarif']);
      assert.doesNotMatch(small.stderr, /GitHub code scanning/);
    } finally {
      t.cleanup();
    }
  });
});
