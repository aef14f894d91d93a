// @ts-check
// The CLI in CI: `--format github|junit|codequality`, standard input, globs, --config, the failure
// gates (--fail-on, --max-warnings), unmatched paths, and colour from the environment.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runCli, jsonFindings } = require('../helpers/cli');
const { tempDir } = require('../helpers/tmp');

const ROOT = path.resolve(__dirname, '../..');

/** A task definition without TaskRoleArn: one warning (ecs-task-role-missing). */
const TASK = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0 }\n';
const EXAMPLE = path.join(ROOT, 'examples/ecs-classic.yaml');

/** `::level props::message` @param {string} line */
function annotation(line) {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  /** @type {Record<string, string>} */
  const props = {};
  for (const kv of m[2].split(',')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { level: m[1], props, message: m[3] };
}

/** GitHub's unescaping of workflow command values. @param {string} s */
const unescape = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('CLI in CI', function () {
  this.timeout(60000);

  describe('--format github', () => {
    it('one workflow command per finding, levels mapped, paths relative to the root, values escaped', () => {
      const json = jsonFindings(runCli(['lint', 'examples', '-f', 'json']).stdout);
      const r = runCli(['lint', 'examples', '-f', 'github']);
      assert.equal(r.status, 1);
      const lines = r.stdout.trimEnd().split('\n').map(annotation);
      assert.equal(lines.length, json.length);
      // Errors first, then warnings, then notices (GitHub shows only so many per step), each in file order.
      const rank = /** @type {Record<string, number>} */ ({ error: 0, warning: 1, info: 2, hint: 2 });
      const ordered = json.map((f, i) => ({ f, i })).sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i).map((x) => x.f);
      assert.doesNotMatch(r.stderr, /annotations: GitHub shows/);
      lines.forEach((a, i) => {
        const f = ordered[i];
        assert.equal(a.level, { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' }[f.severity]);
        assert.equal(a.props.file, f.file.split(path.sep).join('/'));
        assert.equal(Number(a.props.line), f.line);
        assert.equal(Number(a.props.endLine), f.endLine);
        if (f.line === f.endLine) assert.deepEqual([Number(a.props.col), Number(a.props.endColumn)], [f.column, f.endColumn]);
        assert.equal(unescape(a.props.title), `${f.ruleId} (KB Hints)`);
        assert.equal(unescape(a.message), f.detail ? `${f.message}\n\n${f.detail}` : f.message);
      });
    });

    it('escapes %, CR, LF in messages and also : and , in properties (a file name with them)', () => {
      const t = tempDir({ 'a,b:c%d.yaml': TASK.replace('AppTask', 'App%Task') });
      try {
        const r = runCli(['lint', '.', '-f', 'github'], { cwd: t.dir });
        const [line] = r.stdout.trimEnd().split('\n');
        assert.ok(line.includes('file=a%2Cb%3Ac%25d.yaml,'), line);
        const a = annotation(line);
        assert.equal(unescape(a.props.file), 'a,b:c%d.yaml');
        assert.ok(a.message.includes('App%25Task'), a.message);
        assert.ok(!/[\r\n]/.test(line));
      } finally {
        t.cleanup();
      }
    });

    it('says on stderr when GitHub will not show them all (10 of each level per step)', () => {
      const lb = (/** @type {number} */ i) => `  Lb${i}:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties: { Listeners: [] }\n`;
      const t = tempDir({ 'many.yaml': `Resources:\n${Array.from({ length: 11 }, (_, i) => lb(i)).join('')}` });
      try {
        const r = runCli(['lint', 'many.yaml', '-f', 'github'], { cwd: t.dir });
        assert.equal(r.stdout.trimEnd().split('\n').length, 11);
        assert.match(r.stderr, /0 error, 0 warning, 11 notice annotations: GitHub shows 10 of each level per step/);
      } finally {
        t.cleanup();
      }
    });

    it('leaves suppressed findings out', () => {
      const t = tempDir({ 's.yaml': TASK.replace('  AppTask:', '  # kb-hints-ignore ecs-task-role-missing reason="ok"\n  AppTask:') });
      try {
        assert.equal(runCli(['lint', 's.yaml', '-f', 'github'], { cwd: t.dir }).stdout, '');
      } finally {
        t.cleanup();
      }
    });
  });

  describe('--format junit', () => {
    it('a test suite per file, a failing case per error or warning, passing cases for info and clean files', () => {
      const json = jsonFindings(runCli(['lint', 'examples', '-f', 'json']).stdout);
      const r = runCli(['lint', 'examples', '-f', 'junit']);
      const xml = r.stdout;
      assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
      const failing = json.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
      assert.equal((xml.match(/<failure /g) ?? []).length, failing);
      assert.match(xml, new RegExp(`<testsuites name="KB Hints" tests="\\d+" failures="${failing}"`));
      const files = new Set(json.map((f) => f.file.split(path.sep).join('/')));
      for (const f of files) assert.ok(xml.includes(`<testsuite name="${f}"`), f);
      assert.ok(xml.includes('<testsuite name="examples/fargate-good.yaml" tests="1" failures="0"'), 'a clean file is one passing case');
      // Balanced: every opened element is closed.
      for (const tag of ['testsuites', 'testsuite', 'testcase', 'failure', 'system-out']) {
        const open = (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
        const closed = (xml.match(new RegExp(`</${tag}>|<${tag}\\b[^>]*/>`, 'g')) ?? []).length;
        assert.equal(open, closed, tag);
      }
    });

    it('escapes markup and drops characters XML cannot carry', () => {
      const t = tempDir({ 'x.yaml': TASK.replace('AppTask', '"App<&>\\u0001Task"') });
      try {
        const xml = runCli(['lint', 'x.yaml', '-f', 'junit'], { cwd: t.dir }).stdout;
        assert.ok(xml.includes('App&lt;&amp;&gt;Task'), xml);
        assert.ok(!xml.includes('\u0001'));
      } finally {
        t.cleanup();
      }
    });
  });

  describe('--format codequality', () => {
    it('GitLab Code Quality issues: description, check_name, unique fingerprint, severity, location.path and lines.begin', () => {
      const json = jsonFindings(runCli(['lint', 'examples', '-f', 'json']).stdout);
      const issues = JSON.parse(runCli(['lint', 'examples', '-f', 'codequality']).stdout);
      assert.equal(issues.length, json.length);
      issues.forEach((/** @type {any} */ i, /** @type {number} */ n) => {
        const f = json[n];
        assert.equal(i.description, f.message);
        assert.equal(i.check_name, f.ruleId);
        assert.equal(i.severity, { error: 'critical', warning: 'major', info: 'minor', hint: 'info' }[f.severity]);
        assert.equal(i.location.path, f.file.split(path.sep).join('/'));
        assert.equal(i.location.lines.begin, f.line);
        assert.equal(typeof i.fingerprint, 'string');
      });
      assert.equal(new Set(issues.map((/** @type {any} */ i) => i.fingerprint)).size, issues.length);
      // Paths are relative to the repository root, not the working folder.
      const sub = JSON.parse(runCli(['lint', 'ecs-classic.yaml', '-f', 'codequality'], { cwd: path.join(ROOT, 'examples') }).stdout);
      assert.equal(sub[0].location.path, 'examples/ecs-classic.yaml');
    });
  });

  describe('standard input', () => {
    it("'-' lints stdin as <stdin>.yaml, or as --stdin-filename (which decides the kind and the reported name)", () => {
      const text = fs.readFileSync(EXAMPLE, 'utf8');
      const fromFile = jsonFindings(runCli(['lint', EXAMPLE, '-f', 'json']).stdout);
      const plain = runCli(['lint', '-', '-f', 'json'], { input: text });
      assert.equal(plain.status, 1, plain.stderr);
      const got = jsonFindings(plain.stdout);
      assert.deepEqual(got.map((f) => f.file), fromFile.map(() => '<stdin>.yaml'));
      // Related locations in the same file name it too.
      const same = (/** @type {import('../helpers/cli').JsonFinding} */ { file, ...f }) => JSON.parse(JSON.stringify(f).split(JSON.stringify(file).slice(1, -1)).join('<file>'));
      assert.deepEqual(got.map(same), fromFile.map(same));
      const named = jsonFindings(runCli(['lint', '-', '--stdin-filename', 'infra/web.yaml', '-f', 'json'], { input: text }).stdout);
      assert.ok(named.every((f) => f.file === 'infra/web.yaml'));
      // The name decides the kind: JSON text named .json is a JSON template; a .md name is not linted.
      const asJson = JSON.stringify({ Resources: { AppTask: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'a', Image: 'public.ecr.aws/x/y:1' }] } } } });
      assert.deepEqual(jsonFindings(runCli(['lint', '-', '--stdin-filename', 't.json', '-f', 'json'], { input: asJson }).stdout).map((f) => f.ruleId), ['ecs-task-role-missing']);
      const md = runCli(['lint', '-', '--stdin-filename', 'notes.md'], { input: 'hello' });
      assert.equal(md.status, 0);
      assert.match(md.stdout, /0 findings .* in 0 linted files; 1 skipped/);
    });

    it("'-' with other paths, --stdin-filename without '-', and --fix on stdin are usage errors", () => {
      for (const args of [['lint', '-', 'examples'], ['lint', 'examples', '--stdin-filename', 'x.yaml'], ['lint', '-', '--fix']]) {
        const r = runCli(args, { input: TASK });
        assert.equal(r.status, 2, args.join(' '));
        assert.match(r.stderr, /^kb-hints: /);
      }
    });
  });

  it('a folder walk skips CDK integ-test snapshots (integ.*.snapshot/), which are linted when named', () => {
    const t = tempDir({ 'app.yaml': TASK, 'test/integ.app.ts.snapshot/Stack.template.yaml': TASK });
    try {
      const linted = (/** @type {string[]} */ args) =>
        [...new Set(jsonFindings(runCli(['lint', ...args, '-f', 'json'], { cwd: t.dir }).stdout).map((f) => f.file.split(path.sep).join('/')))].sort();
      assert.deepEqual(linted(['.']), ['app.yaml']);
      assert.deepEqual(linted(['**/*.yaml']), ['app.yaml'], 'a glob does not enter them either');
      assert.deepEqual(linted(['test/integ.app.ts.snapshot/Stack.template.yaml']), ['test/integ.app.ts.snapshot/Stack.template.yaml'], 'a named file is linted');
      assert.deepEqual(linted(['test/integ.app.ts.snapshot']), ['test/integ.app.ts.snapshot/Stack.template.yaml'], 'a named snapshot folder is walked');
      const only = runCli(['lint', 'test'], { cwd: t.dir });
      assert.equal(only.status, 2, 'nothing else to lint');
      assert.match(only.stderr, /outside the 1 CDK integ-test snapshot folder skipped \(\*\.snapshot; name one to lint it\)/);
    } finally {
      t.cleanup();
    }
  });

  describe('globs', () => {
    const files = { 'a.yaml': TASK, 'sub/b.yaml': TASK, 'sub/deep/c.yml': TASK, 'sub/d.json': '{}', 'node_modules/m.yaml': TASK, 'x.txt': 'no' };

    it("quoted patterns are expanded with the project's glob matcher, relative to the working folder", () => {
      const t = tempDir(files);
      try {
        const lintedBy = (/** @type {string[]} */ patterns) =>
          [...new Set(jsonFindings(runCli(['lint', ...patterns, '-f', 'json'], { cwd: t.dir }).stdout).map((f) => f.file.split(path.sep).join('/')))].sort();
        assert.deepEqual(lintedBy(['*.yaml']), ['a.yaml'], 'a single * stays in its folder');
        assert.deepEqual(lintedBy(['**/*.yaml']), ['a.yaml', 'sub/b.yaml'], 'node_modules is skipped');
        assert.deepEqual(lintedBy(['**/*.{yaml,yml}']), ['a.yaml', 'sub/b.yaml', 'sub/deep/c.yml']);
        assert.deepEqual(lintedBy(['sub/**/*.y*ml']), ['sub/b.yaml', 'sub/deep/c.yml']);
        assert.deepEqual(lintedBy(['node_modules/*.yaml']), ['node_modules/m.yaml'], 'named explicitly, it is searched');
        const twice = jsonFindings(runCli(['lint', 'a.yaml', '*.yaml', '.', '-f', 'json'], { cwd: t.dir }).stdout);
        assert.equal(twice.filter((f) => f.file === 'a.yaml').length, 1, 'a file named twice is linted once');
        assert.deepEqual(lintedBy([`${t.dir}/sub/*.yaml`]), [path.join(t.dir, 'sub/b.yaml').split(path.sep).join('/')], 'absolute patterns');
      } finally {
        t.cleanup();
      }
    });

    it('a pattern that matches nothing exits 2, unless --no-error-on-unmatched', () => {
      const t = tempDir(files);
      try {
        const r = runCli(['lint', '**/*.template'], { cwd: t.dir });
        assert.equal(r.status, 2);
        assert.match(r.stderr, /No file matches the pattern: \*\*\/\*\.template/);
        const ok = runCli(['lint', '**/*.template', 'a.yaml', '--no-error-on-unmatched', '-f', 'json'], { cwd: t.dir });
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stderr, /warning: No file matches/);
        assert.equal(jsonFindings(ok.stdout).length, 1);
        const bad = runCli(['lint', '[z-a].yaml'], { cwd: t.dir });
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /Invalid glob pattern/);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('missing paths and nothing to lint', () => {
    it('a missing path or an empty folder exits 2 with a clear message; --no-error-on-unmatched warns and goes on', () => {
      const t = tempDir({ 'a.yaml': TASK, 'empty/.keep': '' });
      try {
        const missing = runCli(['lint', 'a.yaml', 'nope.yaml'], { cwd: t.dir });
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /No such file or directory: nope\.yaml \(--no-error-on-unmatched makes this a warning\)/);
        const empty = runCli(['lint', 'empty'], { cwd: t.dir });
        assert.equal(empty.status, 2);
        assert.match(empty.stderr, /Nothing to lint: no \.json, \.yaml, .* file in empty/);
        const optOut = runCli(['lint', 'a.yaml', 'nope.yaml', '--no-error-on-unmatched', '-f', 'json'], { cwd: t.dir });
        assert.equal(optOut.status, 0, optOut.stderr);
        assert.match(optOut.stderr, /warning: No such file or directory: nope\.yaml/);
        const emptyOk = runCli(['lint', 'empty', '--no-error-on-unmatched'], { cwd: t.dir });
        assert.equal(emptyOk.status, 0);
        assert.match(emptyOk.stderr, /warning: nothing to lint/);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('--config', () => {
    it('uses the given .kbhints.yaml for every file instead of the upward search (ignore patterns relative to it)', () => {
      const t = tempDir({
        '.kbhints.yaml': 'rules:\n  ecs-task-role-missing: error\n',
        'ci/strict.yaml': 'rules:\n  ecs-task-role-missing: off\n  image-from-docker-hub: error\nignore:\n  - "../skipped/**"\n',
        'stacks/a.yaml': TASK.replace('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0', 'nginx:1.27'),
        'skipped/b.yaml': TASK,
      });
      try {
        const upward = jsonFindings(runCli(['lint', '.', '-f', 'json'], { cwd: t.dir }).stdout);
        assert.ok(upward.some((f) => f.ruleId === 'ecs-task-role-missing' && f.severity === 'error'));
        const given = runCli(['lint', '.', '-f', 'json', '--config', 'ci/strict.yaml'], { cwd: t.dir });
        const f = jsonFindings(given.stdout);
        assert.deepEqual(f.map((x) => `${x.file.split(path.sep).join('/')} ${x.ruleId} ${x.severity}`), ['stacks/a.yaml image-from-docker-hub error']);
        const missing = runCli(['lint', '.', '--config', 'nope.yaml'], { cwd: t.dir });
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /Cannot read the config file nope\.yaml/);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('failure gates', () => {
    // examples/ecs-classic.yaml: 1 error, 1 warning, 3 info.
    it('--fail-on error|warning|info|hint|none decides exit 1 (default: error)', () => {
      const t = tempDir({ 'w.yaml': TASK });
      try {
        const code = (/** @type {string[]} */ args, file = 'w.yaml') => runCli(['lint', file, ...args], { cwd: t.dir }).status;
        assert.equal(code([]), 0, 'a warning does not fail by default');
        assert.equal(code(['--fail-on', 'warning']), 1);
        assert.equal(code(['--fail-on', 'info']), 1);
        assert.equal(code(['--fail-on', 'error']), 0);
        assert.equal(code(['--fail-on', 'none'], EXAMPLE), 0, 'none: even errors pass');
        assert.equal(code([], EXAMPLE), 1);
        const bad = runCli(['lint', 'w.yaml', '--fail-on', 'loud'], { cwd: t.dir });
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--fail-on takes error, warning, info, hint, none/);
      } finally {
        t.cleanup();
      }
    });

    it('--max-warnings N exits 1 when there are more than N warnings (suppressed ones do not count)', () => {
      const warnings = jsonFindings(runCli(['lint', EXAMPLE, '-f', 'json']).stdout).filter((f) => f.severity === 'warning' && !f.suppressed).length;
      assert.ok(warnings >= 1);
      const code = (/** @type {string} */ n) => runCli(['lint', EXAMPLE, '--fail-on', 'none', '--max-warnings', n]);
      assert.equal(code(String(warnings)).status, 0);
      const over = code(String(warnings - 1));
      assert.equal(over.status, 1);
      assert.match(over.stderr, new RegExp(`${warnings} warnings: more than --max-warnings ${warnings - 1}`));
      for (const v of ['-1', 'x', '1.5']) assert.equal(runCli(['lint', EXAMPLE, `--max-warnings=${v}`]).status, 2, v);
    });
  });

  describe('colour', () => {
    const ESC = '\x1b[';
    const text = (/** @type {Record<string, string | undefined>} */ env, /** @type {string[]} */ extra = []) =>
      runCli(['lint', EXAMPLE, ...extra], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: undefined, ...env } }).stdout;

    it('piped: plain; FORCE_COLOR=1 colours; NO_COLOR and --no-color win; FORCE_COLOR=0 stays plain', () => {
      assert.ok(!text({}).includes(ESC));
      assert.ok(text({ FORCE_COLOR: '1' }).includes(ESC));
      assert.ok(!text({ FORCE_COLOR: '1', NO_COLOR: '1' }).includes(ESC));
      assert.ok(!text({ FORCE_COLOR: '1' }, ['--no-color']).includes(ESC));
      assert.ok(!text({ FORCE_COLOR: '0' }).includes(ESC));
      assert.ok(text({ FORCE_COLOR: '1', TERM: 'dumb' }).includes(ESC), 'FORCE_COLOR beats TERM=dumb');
    });

    it('on a terminal (script(1)): coloured, unless NO_COLOR or TERM=dumb', function () {
      const { spawnSync } = require('node:child_process');
      if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) this.skip();
      const onTty = (/** @type {Record<string, string>} */ env) => {
        const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'dist/cli.js'))} lint ${JSON.stringify(EXAMPLE)}`;
        /** @type {NodeJS.ProcessEnv} */
        const e = { ...process.env, TERM: 'xterm', ...env };
        delete e.FORCE_COLOR;
        if (!env.NO_COLOR) delete e.NO_COLOR;
        return spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: e }).stdout;
      };
      assert.ok(onTty({}).includes(ESC), 'a TTY gets colour');
      assert.ok(!onTty({ NO_COLOR: '1' }).includes(ESC));
      assert.ok(!onTty({ TERM: 'dumb' }).includes(ESC));
    });
  });

  describe('documentation', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const ci = fs.readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');
    const help = runCli(['--help']).stdout;
    const flags = ['--format', '--output', '--root', '--config', '--stdin-filename', '--fail-on', '--max-warnings', '--no-error-on-unmatched', '--fix', '--fix-dry-run', '--no-color'];

    it('--help and the README name every lint option and format', () => {
      for (const f of flags) {
        assert.ok(help.includes(f), `--help: ${f}`);
        assert.ok(readme.includes(f), `README: ${f}`);
      }
      for (const format of ['text', 'json', 'sarif', 'github', 'junit', 'codequality']) {
        assert.ok(help.includes(format), format);
        assert.ok(readme.includes(`\`${format}\``), `README: ${format}`);
      }
      for (const v of ['NO_COLOR', 'FORCE_COLOR', 'TERM=dumb']) assert.ok(readme.includes(v) && help.includes(v.split('=')[0]), v);
    });

    it('the workflows in the README and docs/ci.md parse, upload SARIF the CLI writes, and use options that exist', () => {
      const YAML = require('yaml');
      const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g), ...ci.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
      const workflows = blocks.map((b) => YAML.parse(b)).filter((w) => w && w.jobs);
      assert.ok(workflows.length >= 2);
      for (const w of workflows) {
        const steps = /** @type {{ run?: string, uses?: string, with?: Record<string, string> }[]} */ (Object.values(w.jobs).flatMap((j) => /** @type {any} */ (j).steps));
        const lint = steps.find((s) => s.run?.includes('kb-hints lint'));
        const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
        assert.ok(lint && upload);
        assert.ok(w.permissions['security-events'] === 'write');
        const out = /--output (\S+)|-o (\S+)/.exec(lint.run ?? '');
        assert.equal(out?.[1] ?? out?.[2], upload.with?.sarif_file);
        // The same command, run here, gives a SARIF file.
        const args = (lint.run ?? '').replace(/^.*kb-hints lint /, 'lint ').split(/\s+/).filter(Boolean);
        const t = tempDir({ 'stack.yaml': TASK });
        try {
          const r = runCli(args, { cwd: t.dir });
          assert.equal(r.status, 0, r.stderr);
          assert.equal(JSON.parse(fs.readFileSync(t.file(/** @type {string} */ (upload.with?.sarif_file)), 'utf8')).version, '2.1.0');
        } finally {
          t.cleanup();
        }
      }
    });
  });
});
