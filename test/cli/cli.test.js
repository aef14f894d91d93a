// @ts-check
// The `kb-hints` CLI as a user runs it: `node dist/cli.js ...` on examples/ and on temporary files.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tempDir } = require('../helpers/tmp');
const { jsonFindings } = require('../helpers/cli');
const { defined } = require('../helpers/expect');

/** @typedef {import('../helpers/cli').JsonFinding} JsonFinding */
/** @typedef {import('../helpers/cli').SarifLog} SarifLog */
/** @typedef {import('../helpers/tmp').TempDir} TempDir */
const { RULES } = require('../helpers/engine');
const pkg = require('../../package.json');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
/** Real files, committed (see test/corpus/SOURCES.md); the full corpus is for `npm run corpus`. */
const CORPUS = path.join(ROOT, 'test/corpus');

/** Runs the CLI (no colour). @param {string[]} args @param {{ cwd?: string, timeout?: number }} [options] */
function run(args, { cwd = ROOT, timeout = 30000 } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (r.error) throw r.error;
  return r;
}

/** `file:line:col  severity rule-id  message  [KB: title]` */
const TEXT_LINE = /^(.+?):(\d+):(\d+)  (error|warning|info|hint) +([a-z0-9-]+(?:\/[a-z0-9-]+)?)  (.+?)(?:  \[KB: (.+)\])?$/;
const SUMMARY = /^(\d+) findings? \((\d+) error, (\d+) warning, (\d+) info, (\d+) hint\) in (\d+) linted files?; (\d+) skipped; \d+ ms$/;

/** A text report's findings and summary, asserting its format. @param {string} stdout */
function parseText(stdout) {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', 'output ends with a newline');
  const summary = defined(lines.pop(), 'summary line');
  const m = SUMMARY.exec(summary);
  assert.ok(m, `summary line: ${summary}`);
  assert.equal(lines.pop(), '', 'a blank line before the summary');
  const findings = lines.map((l) => {
    const f = TEXT_LINE.exec(l);
    assert.ok(f, `finding line does not match the format: ${l}`);
    return { file: f[1], line: Number(f[2]), column: Number(f[3]), severity: f[4], ruleId: f[5], message: f[6], kbTitle: f[7] };
  });
  const [total, error, warning, info, hint, linted, skipped] = m.slice(1).map(Number);
  return { findings, summary: { total, error, warning, info, hint, linted, skipped } };
}

/** @param {string} stdout */
function parseJsonOut(stdout) {
  return jsonFindings(stdout);
}

/**
 * Files a folder walk should read: template extensions, outside node_modules and .git.
 * @param {string} dir
 * @returns {string[]}
 */
function templateFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '.git' || e.name === '.kbhints' /* team rule files and fixtures: ignored by examples/team-kb/.kbhints.yaml */ ? [] : templateFiles(path.join(dir, e.name));
    return /\.(ya?ml|json|template)$/i.test(e.name) ? [path.join(dir, e.name)] : [];
  });
}

/** @param {{ file: string, line: number, column: number, ruleId: string }} f */
const key = (f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`;

/** The rule's own "fires" example: a task definition without TaskRoleArn (a warning). */
const TASK_NO_ROLE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0 }\n';
const BROKEN_YAML = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "never closed\n';

describe('CLI', function () {
  this.timeout(60000);
  const engineLib = require('../helpers/engine');
  const topicTitles = new Map(engineLib.TOPICS.map((t) => [t.id, t.title]));
  // examples/team-kb holds a team KB (its rules and topics join the built-in ones; its `ecr` overrides the built-in one).
  const TEAM = new engineLib.TeamLoader().load([path.join(ROOT, 'examples/team-kb/.kbhints/rules')], [path.join(ROOT, 'examples/team-kb/kb')]);
  const teamTitles = TEAM.topics.map((t) => t.title);
  const ALL_RULES = [...RULES, ...TEAM.rules];

  describe('text output', () => {
    it('lints examples/: one line per finding, a summary, exit code from error-level findings', () => {
      const r = run(['lint', 'examples']);
      assert.equal(r.stderr, '');
      const { findings, summary } = parseText(r.stdout);
      assert.ok(findings.length > 0);
      for (const f of findings) {
        assert.ok(fs.existsSync(path.join(ROOT, f.file)), f.file);
        assert.ok(f.line >= 1 && f.column >= 1);
        assert.ok(f.kbTitle, `${f.ruleId} has a KB title`);
        assert.ok([...topicTitles.values(), ...teamTitles].includes(f.kbTitle), `unknown KB title ${f.kbTitle}`);
      }
      assert.equal(summary.total, findings.length);
      for (const s of /** @type {const} */ (['error', 'warning', 'info', 'hint'])) assert.equal(summary[s], findings.filter((f) => f.severity === s).length, s);
      assert.equal(summary.linted + summary.skipped, templateFiles(path.join(ROOT, 'examples')).length, 'every template file of examples/ is read');
      assert.equal(r.status, summary.error > 0 ? 1 : 0);
      assert.ok(!/\x1b\[/.test(r.stdout), 'no colour codes when stdout is not a terminal');
    });

    it('points at the logical id of a task definition without a task role', () => {
      const t = tempDir({ 'task.yaml': TASK_NO_ROLE });
      try {
        const r = run(['lint', 'task.yaml'], { cwd: t.dir });
        const { findings } = parseText(r.stdout);
        const f = findings.find((x) => x.ruleId === 'ecs-task-role-missing');
        assert.ok(f, r.stdout);
        assert.deepEqual([f.file, f.line, f.column, f.severity], ['task.yaml', 3, 3, 'warning']);
        assert.match(f.message, /AppTask/);
        assert.equal(f.kbTitle, topicTitles.get('ecs-iam-roles'));
        const hasError = findings.some((x) => x.severity === 'error');
        assert.equal(r.status, hasError ? 1 : 0, 'warnings alone exit 0');
      } finally {
        t.cleanup();
      }
    });

    it('an ECR repository whose latest tag another file runs: the advice keeps latest movable, the runner is related', () => {
      const repo = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: web\n';
      const task = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: arn:aws:iam::123456789012:role/web\n      ContainerDefinitions:\n        - Name: web\n          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:latest\n          Memory: 512\n';
      const t = tempDir({ 'repo.yaml': repo, 'services/task.yaml': task });
      try {
        for (const args of [[], ['--cache'], ['--cache']]) {
          const r = run(['lint', '.', '--format', 'json', ...args], { cwd: t.dir });
          const f = defined(/** @type {JsonFinding[]} */ (JSON.parse(r.stdout)).find((x) => x.ruleId === 'ecr-tags-mutable'), 'ecr-tags-mutable');
          assert.equal(f.messageId, 'movingTag', args.join(' '));
          const related = f.related ?? [];
          assert.deepEqual(related.map((x) => [path.normalize(x.file), x.line, x.column]), [[path.join('services', 'task.yaml'), 8, 18]]);
          assert.match(related[0].message, /^Task definition Task in task\.yaml runs its latest tag$/);
        }
      } finally {
        t.cleanup();
      }
    });

    it('image-from-docker-hub: an image Skaffold builds or a kustomization renames is quiet in the folder below the config, not beside it', () => {
      const deployment = (/** @type {string} */ image) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;
      const t = tempDir({
        'skaffold.yaml': 'apiVersion: skaffold/v3\nkind: Config\nbuild:\n  artifacts:\n    - image: adservice\n',
        'services/adservice.yaml': deployment('adservice'),
        'config/controller/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\nimages:\n  - name: controller\n    newName: public.ecr.aws/aws-controllers-k8s/s3-controller\n    newTag: 1.10.0\n',
        'config/controller/deployment.yaml': deployment('controller:latest'),
        'config/other/deployment.yaml': deployment('controller:latest'),
      });
      try {
        for (const args of [[], ['--jobs', '2'], ['--cache'], ['--cache']]) {
          const r = run(['lint', '.', '--format', 'json', ...args], { cwd: t.dir });
          const found = jsonFindings(r.stdout).filter((f) => f.ruleId === 'image-from-docker-hub').map((f) => path.normalize(f.file));
          assert.deepEqual(found, [path.join('config', 'other', 'deployment.yaml')], args.join(' '));
        }
      } finally {
        t.cleanup();
      }
    });

    it('{{ }} placeholders: a manifest that parses is linted; a template that does not is skipped, saying why', () => {
      const t = tempDir({
        'quoted.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis\n  namespace: {{namespace}}\nspec:\n  containers:\n    - name: redis\n      image: redis:7.2\n      env:\n        - { name: CLUSTER, value: "{{cluster_name}}" }\n',
        'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}-pod\nspec:\n  containers:\n    - name: redis\n      image: redis:7.2\n',
      });
      try {
        const text = run(['lint', '.'], { cwd: t.dir }).stdout;
        assert.match(text, /^quoted\.yaml:9:14 +info +image-from-docker-hub /m);
        assert.match(text, /1 finding .* in 1 linted file; 1 skipped;/);
        const xml = run(['lint', '.', '-f', 'junit'], { cwd: t.dir }).stdout;
        assert.ok(xml.includes('<skipped message="a {{ }} template (Helm, Go, mustache...) that does not parse as YAML (first error at line 4)"/>'), xml);
      } finally {
        t.cleanup();
      }
    });

    it('columns are 1-based UTF-16 units, lines are right with CRLF', () => {
      const crlf = TASK_NO_ROLE.replace('AWSTemplateFormatVersion: "2010-09-09"\n', 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: "🚀"\n').replace(/\n/g, '\r\n');
      const flow = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {"🚀🚀": {Type: AWS::S3::Bucket}, AppTask: {Type: AWS::ECS::TaskDefinition}}\n';
      const t = tempDir({ 'crlf.yaml': crlf, 'flow.yaml': flow });
      try {
        const { findings } = parseText(run(['lint', '.'], { cwd: t.dir }).stdout);
        const at = (/** @type {string} */ file) => defined(findings.find((x) => x.file === file && x.ruleId === 'ecs-task-role-missing'), file);
        assert.deepEqual([at('crlf.yaml').line, at('crlf.yaml').column], [4, 3]);
        const line = flow.split('\n')[1];
        assert.deepEqual([at('flow.yaml').line, at('flow.yaml').column], [2, line.indexOf('AppTask') + 1]);
      } finally {
        t.cleanup();
      }
    });

    it('a syntax error is an error-level finding and exits 1', () => {
      const t = tempDir({ 'broken.yaml': BROKEN_YAML });
      try {
        const r = run(['lint', 'broken.yaml'], { cwd: t.dir });
        assert.equal(r.status, 1);
        const { findings } = parseText(r.stdout);
        const f = findings.find((x) => x.ruleId === 'syntax-error');
        assert.ok(f, r.stdout);
        assert.equal(f.severity, 'error');
        assert.equal(f.kbTitle, undefined);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('exit codes', () => {
    it('0 for examples/fargate-good.yaml (no error-level finding)', () => {
      const r = run(['lint', 'examples/fargate-good.yaml', '--format', 'json']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.deepEqual(parseJsonOut(r.stdout).filter((f) => f.severity === 'error'), []);
    });

    it('1 for examples/ecs-classic.yaml (an error-level finding)', () => {
      const r = run(['lint', 'examples/ecs-classic.yaml', '--format', 'json']);
      assert.equal(r.status, 1);
      assert.ok(parseJsonOut(r.stdout).some((f) => f.severity === 'error'));
    });

    it('0 when nothing is linted (only skipped files)', () => {
      const t = tempDir({ 'package.json': '{"name": "x"}', 'ci.yml': 'on: push\njobs: {}\n' });
      try {
        const r = run(['lint', '.'], { cwd: t.dir });
        assert.equal(r.status, 0);
        const { findings, summary } = parseText(r.stdout);
        assert.deepEqual(findings, []);
        assert.deepEqual([summary.linted, summary.skipped], [0, 2]);
      } finally {
        t.cleanup();
      }
    });

    it("lists a folder's files in localeCompare order (names in ASCII letters, digits, _ - . are sorted without ICU)", () => {
      // Random names over the characters sorted without ICU in one folder; in the other, also a few that
      // need the collator (é, a space, ~).
      let seed = 13;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const alphabet = '_-.0123456789abcxyzABCXYZ';
      const names = new Set(['a', 'A', 'aB', 'Ab', 'ab', 'a-b', 'a_b', 'a.b', 'a1', '10', '9', 'Zz', 'zZ', 'b', 'ba']);
      while (names.size < 120) names.add(Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      const mixed = [...names, 'éa', 'e a', 'a~b'];
      const task = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx:latest\n';
      const t = tempDir(Object.fromEntries([...[...names].map((n) => [`fast/${n}.yaml`, task]), ...mixed.map((n) => [`mixed/${n}.yaml`, task])]));
      try {
        for (const [folder, list] of /** @type {[string, string[]][]} */ ([['fast', [...names]], ['mixed', mixed]])) {
          const r = run(['lint', folder, '--format', 'json'], { cwd: t.dir });
          const order = [...new Set(parseJsonOut(r.stdout).map((f) => path.basename(f.file)))];
          assert.deepEqual(order, list.map((n) => `${n}.yaml`).sort((a, b) => a.localeCompare(b)), folder);
        }
      } finally {
        t.cleanup();
      }
    });

    /** @type {[string, string[], RegExp][]} */
    const usage = [
      ['an unknown flag', ['lint', 'examples', '--bogus'], /--bogus/],
      ['an unknown short flag', ['lint', '-x', 'examples'], /-x/],
      ['an unknown format', ['lint', 'examples', '--format', 'xml'], /format 'xml'/],
      ['a missing path', ['lint', 'no/such/path.yaml'], /no\/such\/path\.yaml/],
      ['no command', [], /command/i],
      ['an unknown command', ['check', 'examples'], /'check'/],
      ['a flag without its value', ['lint', 'examples', '--format'], /format/],
    ];
    for (const [what, args, mention] of usage) {
      it(`2 for ${what}, with a one-line message and no stack trace`, () => {
        const r = run(args);
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.equal(r.stdout, '');
        const lines = r.stderr.split('\n');
        assert.equal(lines.pop(), '', 'stderr ends with a newline');
        assert.equal(lines.length, 1, `one line: ${r.stderr}`);
        assert.match(lines[0], /^kb-hints: /);
        assert.match(lines[0], mention);
        assert.ok(!/\n\s+at /.test(r.stderr) && !/internal error/.test(r.stderr), r.stderr);
      });
    }

    it('2 when the report cannot be written, with a one-line message', () => {
      const t = tempDir();
      try {
        const r = run(['lint', path.join(ROOT, 'examples/fargate-good.yaml'), '-o', path.join(t.dir, 'missing-dir', 'out.json')], { cwd: t.dir });
        assert.equal(r.status, 2);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, /^kb-hints: /);
        assert.ok(!/\n\s+at /.test(r.stderr));
      } finally {
        t.cleanup();
      }
    });
  });

  describe('--help and --version', () => {
    for (const flag of ['--help', '-h']) {
      it(`${flag} prints usage and exits 0`, () => {
        const r = run([flag]);
        assert.equal(r.status, 0);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^Usage: kb-hints lint \[paths\.\.\.\] \[options\]/);
        for (const opt of ['--format', '--output', '--help', '--version']) assert.ok(r.stdout.includes(opt), opt);
        assert.match(r.stdout, /Exit codes/);
      });
    }

    for (const flag of ['--version', '-v']) {
      it(`${flag} prints the package version`, () => {
        const r = run([flag]);
        assert.equal(r.status, 0);
        assert.equal(r.stdout, `${pkg.version}\n`);
      });
    }

    it('--help wins over a command and paths', () => {
      const r = run(['lint', 'no/such/path', '--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^Usage:/);
    });
  });

  describe('--format json', () => {
    it('gives the same findings as the text output, with all fields', () => {
      const text = parseText(run(['lint', 'examples']).stdout).findings;
      const r = run(['lint', 'examples', '--format', 'json']);
      assert.equal(r.stderr, '');
      const json = parseJsonOut(r.stdout);
      assert.deepEqual(json.map(key), text.map(key));
      for (const f of json) {
        for (const field of /** @type {const} */ (['file', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message', 'kb'])) assert.ok(f[field] !== undefined, `${key(f)} has ${field}`);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
        assert.ok(Number.isInteger(f.line) && f.line >= 1 && Number.isInteger(f.column) && f.column >= 1);
        assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column), `${key(f)} ends after it starts`);
        assert.ok(topicTitles.has(defined(f.kb, 'kb')) || TEAM.topics.some((t) => t.id === f.kb), `${f.kb} is a KB topic`);
        const rule = ALL_RULES.find((x) => x.meta.id === f.ruleId);
        assert.ok(rule, `${f.ruleId} is a rule`);
        assert.equal(f.kb, rule.meta.kb);
      }
      assert.equal(r.status, json.some((f) => f.severity === 'error') ? 1 : 0);
    });

    it('-f json and --format=json are the same', () => {
      const a = run(['lint', 'examples/ecs-classic.yaml', '-f', 'json']);
      const b = run(['lint', 'examples/ecs-classic.yaml', '--format=json']);
      assert.equal(a.stdout, b.stdout);
    });

    it('prints [] when there is no finding', () => {
      const t = tempDir({ 'package.json': '{"name": "x"}' });
      try {
        const r = run(['lint', '.', '--format', 'json'], { cwd: t.dir });
        assert.equal(r.status, 0);
        assert.deepEqual(parseJsonOut(r.stdout), []);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('--format sarif', () => {
    /** @type {SarifLog} */
    let sarif;
    /** @type {JsonFinding[]} */
    let json;
    /** @type {ReturnType<typeof parseText>['findings']} */
    let textFindings;
    before(() => {
      const r = run(['lint', 'examples', '--format', 'sarif']);
      assert.equal(r.stderr, '');
      sarif = JSON.parse(r.stdout);
      json = parseJsonOut(run(['lint', 'examples', '--format', 'json']).stdout);
      textFindings = parseText(run(['lint', 'examples']).stdout).findings;
      assert.equal(r.status, json.some((f) => f.severity === 'error') ? 1 : 0);
    });

    it('has the SARIF 2.1.0 envelope', () => {
      assert.equal(sarif.version, '2.1.0');
      assert.match(sarif.$schema, /sarif-2\.1\.0(-rtm\.\d+)?\.json$/);
      assert.equal(sarif.runs.length, 1);
      assert.equal(typeof sarif.runs[0].tool.driver.name, 'string');
      assert.ok(sarif.runs[0].tool.driver.name.length > 0);
      assert.equal(sarif.runs[0].tool.driver.version, pkg.version);
    });

    it('describes every rule with id, helpUri and a default level', () => {
      const rules = sarif.runs[0].tool.driver.rules;
      assert.deepEqual(rules.map((r) => r.id).sort(), ALL_RULES.map((r) => r.meta.id).sort());
      assert.equal(new Set(rules.map((r) => r.id)).size, rules.length, 'rule ids are unique');
      for (const r of rules) {
        // Team rules have no web page: their help text carries the KB topic instead.
        if (r.id.includes('/')) assert.match(r.help.markdown, /## KB: /, r.id);
        else assert.match(r.helpUri, /^https:\/\/\S+$/, r.id);
        assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level), r.id);
        const meta = defined(ALL_RULES.find((x) => x.meta.id === r.id), r.id).meta;
        assert.equal(r.defaultConfiguration.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[meta.severity], r.id);
        assert.ok(r.shortDescription?.text, r.id);
      }
    });

    it('has one result per finding, at the places the text output names', () => {
      const results = sarif.runs[0].results;
      assert.equal(results.length, json.length);
      const rules = sarif.runs[0].tool.driver.rules;
      const levels = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
      results.forEach((res, i) => {
        const f = json[i];
        assert.equal(res.ruleId, f.ruleId);
        assert.ok(['error', 'warning', 'note'].includes(res.level));
        assert.equal(res.level, levels[f.severity]);
        // The headline, then the detail when the rule gives one.
        assert.equal(res.message.text, f.detail ? `${f.message}\n\n${f.detail}` : f.message);
        if (res.ruleIndex !== undefined) assert.equal(rules[res.ruleIndex].id, res.ruleId);
        const loc = res.locations[0].physicalLocation;
        assert.equal(decodeURIComponent(loc.artifactLocation.uri), f.file.split(path.sep).join('/'));
        assert.ok(!path.isAbsolute(loc.artifactLocation.uri), 'URIs are relative to the source root');
        const { startLine, startColumn, endLine, endColumn } = loc.region;
        assert.deepEqual([startLine, startColumn, endLine, endColumn], [f.line, f.column, f.endLine, f.endColumn]);
        assert.ok(startLine >= 1 && startColumn >= 1, '1-based');
      });
      assert.deepEqual(
        results.map((res) => `${res.locations[0].physicalLocation.artifactLocation.uri}:${res.locations[0].physicalLocation.region.startLine}:${res.locations[0].physicalLocation.region.startColumn} ${res.ruleId}`),
        textFindings.map(key),
      );
    });

    it('encodes file names in URIs and reports syntax errors as results', () => {
      const t = tempDir({ 'my stack.yaml': TASK_NO_ROLE, 'broken.yaml': BROKEN_YAML });
      try {
        const r = run(['lint', '.', '--format', 'sarif'], { cwd: t.dir });
        assert.equal(r.status, 1);
        const results = /** @type {SarifLog} */ (JSON.parse(r.stdout)).runs[0].results;
        const uris = results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
        assert.ok(uris.includes('my%20stack.yaml'), uris.join(', '));
        const syntax = results.find((x) => x.ruleId === 'syntax-error');
        assert.ok(syntax);
        assert.equal(syntax.level, 'error');
        const task = results.find((x) => x.ruleId === 'ecs-task-role-missing' && x.locations[0].physicalLocation.artifactLocation.uri === 'my%20stack.yaml');
        assert.deepEqual(defined(task).locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 10 });
      } finally {
        t.cleanup();
      }
    });
  });

  describe('files and folders', () => {
    /** @type {TempDir} */
    let t;
    before(() => {
      t = tempDir({
        'a.yaml': TASK_NO_ROLE,
        'b.yml': TASK_NO_ROLE,
        'c.json': JSON.stringify({ Resources: { AppTask: { Type: 'AWS::ECS::TaskDefinition', Properties: {} } } }, null, 2),
        'd.template': TASK_NO_ROLE,
        'UPPER.YAML': TASK_NO_ROLE,
        'sub/deeper/e.yaml': TASK_NO_ROLE,
        'node_modules/pkg/f.yaml': TASK_NO_ROLE,
        'sub/node_modules/g.yaml': TASK_NO_ROLE,
        '.git/h.yaml': TASK_NO_ROLE,
        'notes.txt': TASK_NO_ROLE,
        'README.md': TASK_NO_ROLE,
        'template.yaml.bak': TASK_NO_ROLE,
        'package.json': '{"name": "x", "version": "1.0.0"}',
      });
    });
    after(() => t.cleanup());

    const linted = (/** @type {string} */ stdout) => [...new Set(parseJsonOut(stdout).filter((f) => f.ruleId === 'ecs-task-role-missing').map((f) => f.file.split(path.sep).join('/')))].sort();
    const EXPECTED = ['UPPER.YAML', 'a.yaml', 'b.yml', 'c.json', 'd.template', 'sub/deeper/e.yaml'];

    it('walks folders for template extensions, skipping node_modules, .git and other extensions', () => {
      const r = run(['lint', '.', '--format', 'json'], { cwd: t.dir });
      assert.deepEqual(linted(r.stdout), EXPECTED);
    });

    it('lints the current folder when no path is given', () => {
      const r = run(['lint', '--format', 'json'], { cwd: t.dir });
      assert.deepEqual(linted(r.stdout), EXPECTED);
    });

    it('counts skipped files (package.json) in the summary', () => {
      const { summary } = parseText(run(['lint', '.'], { cwd: t.dir }).stdout);
      assert.deepEqual([summary.linted, summary.skipped], [EXPECTED.length, 1]);
    });

    it('lints explicit files whatever their extension, and accepts several paths', () => {
      const r = run(['lint', 'notes.txt', 'sub', 'node_modules/pkg/f.yaml', '--format', 'json'], { cwd: t.dir });
      assert.deepEqual(linted(r.stdout), ['node_modules/pkg/f.yaml', 'notes.txt', 'sub/deeper/e.yaml']);
    });

    it('accepts absolute paths', () => {
      const r = run(['lint', t.file('a.yaml'), '--format', 'json'], { cwd: ROOT });
      const files = parseJsonOut(r.stdout).map((f) => f.file);
      assert.ok(files.length > 0 && files.every((f) => f === t.file('a.yaml')), files.join(', '));
    });

    it('-o writes the report to a file and nothing to stdout', () => {
      const out = t.file('report.json');
      const r = run(['lint', 'a.yaml', '--format', 'json', '-o', out], { cwd: t.dir });
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '');
      const expected = run(['lint', 'a.yaml', '--format', 'json'], { cwd: t.dir });
      assert.equal(fs.readFileSync(out, 'utf8'), expected.stdout);
      assert.equal(r.status, expected.status);
      fs.rmSync(out);
    });

    it('--output writes text reports without colour', () => {
      const out = t.file('report.txt');
      const r = run(['lint', 'a.yaml', '--output', out], { cwd: t.dir });
      assert.equal(r.stdout, '');
      const text = fs.readFileSync(out, 'utf8');
      assert.ok(!/\x1b\[/.test(text));
      assert.ok(parseText(text).findings.some((f) => f.ruleId === 'ecs-task-role-missing'));
      fs.rmSync(out);
    });
  });

  describe('real templates and manifests (test/corpus)', () => {
    it('lints them with exit code 0 or 1, no internal error, and the findings of the golden snapshot', function () {
      this.timeout(90000);
      const r = spawnSync(process.execPath, [CLI, 'lint', CORPUS, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', timeout: 60000, maxBuffer: 256 * 1024 * 1024 });
      assert.equal(r.error, undefined, `the CLI did not finish: ${r.error?.message}`);
      assert.ok(r.status === 0 || r.status === 1, `exit code ${r.status}: ${r.stderr}`);
      const findings = parseJsonOut(r.stdout);
      const internal = findings.filter((f) => f.ruleId === 'internal-error');
      assert.deepEqual(internal.map((f) => `${f.file}: ${f.message}`), []);
      assert.equal(r.status, findings.some((f) => f.severity === 'error') ? 1 : 0);
      // The same findings as the engine's snapshot (test/unit/corpus.test.js checks that one in detail).
      /** @param {{ file: string, ruleId: string, message: string }} f */
      const id = (f) => `${f.file} ${f.ruleId} ${f.message}`;
      const golden = fs.readFileSync(path.join(CORPUS, 'findings.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((f) => !f.suppressed);
      const cli = findings.map((f) => ({ ...f, file: path.relative(CORPUS, path.resolve(ROOT, f.file)).split(path.sep).join('/') }));
      assert.deepEqual(cli.map(id).sort(), golden.map(id).sort());
    });
  });
});
