// @ts-check
// `kb-hints lint --fix` and `--fix-dry-run`: the rules' quick fixes (never "Suppress"), applied in passes
// until stable; the dry run's diff applies with patch(1) to exactly what --fix writes.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runCli, jsonFindings, cliForNobody } = require('../helpers/cli');
const { tempDir } = require('../helpers/tmp');
const { RULES, hasQuickFix } = require('../helpers/engine');

const ROOT = path.resolve(__dirname, '../..');

/** Copies a folder into a fresh temporary one. @param {string} from */
function copyOf(from) {
  const t = tempDir();
  fs.cpSync(from, t.dir, { recursive: true });
  return t;
}

/** Every file under a folder, by relative path, with its text. @param {string} dir @returns {Record<string, string>} */
function snapshot(dir) {
  /** @type {Record<string, string>} */
  const out = {};
  const walk = (/** @type {string} */ d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('CLI: --fix and --fix-dry-run', function () {
  this.timeout(60000);

  it('a repository whose latest tag a workflow pushes is fixed to IMMUTABLE_WITH_EXCLUSION, as the finding advises', function () {
    const repo = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      ImageScanningConfiguration: { ScanOnPush: true }\n      LifecyclePolicy: { LifecyclePolicyText: "{}" }\n';
    const workflow = 'on: push\njobs:\n  push:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/amazon-ecr-login@v2\n        id: ecr\n      - run: docker push ${{ steps.ecr.outputs.registry }}/app:latest\n';
    const t = tempDir({ 'ecr.yaml': repo, '.github/workflows/push.yml': workflow });
    try {
      const r = runCli(['lint', '.', '--fix'], { cwd: t.dir });
      assert.match(r.stderr, /1 fix in 1 file applied/);
      assert.match(fs.readFileSync(t.file('ecr.yaml'), 'utf8'), /ImageTagMutability: IMMUTABLE_WITH_EXCLUSION\n {6}ImageTagMutabilityExclusionFilters:\n {8}- ImageTagMutabilityExclusionFilterType: WILDCARD\n {10}ImageTagMutabilityExclusionFilterValue: latest\n/);
    } finally {
      t.cleanup();
    }
  });

  it('--fix-dry-run prints a unified diff, changes nothing, exits 1; patch -p1 of it gives what --fix writes', function () {
    const dry = copyOf(path.join(ROOT, 'examples'));
    const wet = copyOf(path.join(ROOT, 'examples'));
    try {
      const before = snapshot(dry.dir);
      const r = runCli(['lint', '.', '--fix-dry-run'], { cwd: dry.dir });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^--- a\/\S+\n\+\+\+ b\/\S+\n@@ -\d+(,\d+)? \+\d+(,\d+)? @@\n/);
      const [, fixes, files] = /(\d+) fixes in (\d+) files would be applied/.exec(r.stderr) ?? [];
      assert.ok(Number(fixes) >= 3 && Number(files) >= 2, r.stderr);
      assert.deepEqual(snapshot(dry.dir), before, 'a dry run writes nothing');

      const w = runCli(['lint', '.', '--fix', '-f', 'json'], { cwd: wet.dir });
      assert.match(w.stderr, new RegExp(`${fixes} fixes in ${files} files applied`));
      // The report is the lint of the fixed files: nothing a quick fix could still change.
      const left = jsonFindings(w.stdout);
      assert.ok(left.length > 0);
      // CDK output (cdk.out) is generated: it gets no edits, its findings stay.
      const editable = left.filter((f) => !f.file.includes('cdk.out'));
      assert.ok(!editable.some((f) => ['ecs-task-role-missing', 'k8s-in-tree-ebs', 'image-from-docker-hub'].includes(f.ruleId)), editable.map((f) => `${f.file} ${f.ruleId}`).join(' '));
      const again = runCli(['lint', '.', '--fix-dry-run'], { cwd: wet.dir });
      assert.equal(again.status, 0);
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /0 fixes in 0 files/);

      if (spawnSync('patch', ['--version']).status !== 0) this.skip();
      const p = spawnSync('patch', ['-p1', '-s'], { cwd: dry.dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr + p.stdout);
      assert.deepEqual(snapshot(dry.dir), snapshot(wet.dir));
    } finally {
      dry.cleanup();
      wet.cleanup();
    }
  });

  it('on the committed corpus: the diff applies to what --fix writes, a second pass finds nothing, no new syntax errors', function () {
    if (spawnSync('patch', ['--version']).status !== 0) this.skip();
    const dry = copyOf(path.join(ROOT, 'test/corpus'));
    const wet = copyOf(path.join(ROOT, 'test/corpus'));
    try {
      const syntax = (/** @type {string} */ dir) => jsonFindings(runCli(['lint', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir }).stdout).filter((f) => f.ruleId === 'syntax-error').length;
      const before = syntax(wet.dir);
      const r = runCli(['lint', '.', '--fix-dry-run'], { cwd: dry.dir });
      const w = runCli(['lint', '.', '--fix', '--fail-on', 'none'], { cwd: wet.dir });
      assert.equal(w.status, 0, w.stderr);
      const [, fixes] = /(\d+) fixes in \d+ files applied/.exec(w.stderr) ?? [];
      assert.ok(Number(fixes) >= 10, w.stderr);
      assert.ok(r.stderr.includes(`${fixes} fixes in`), r.stderr);
      const p = spawnSync('patch', ['-p1', '-s', '--binary'], { cwd: dry.dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr + p.stdout);
      assert.deepEqual(snapshot(dry.dir), snapshot(wet.dir));
      assert.equal(runCli(['lint', '.', '--fix-dry-run'], { cwd: wet.dir }).stdout, '');
      assert.equal(syntax(wet.dir), before);
    } finally {
      dry.cleanup();
      wet.cleanup();
    }
  });

  it("gives each rule fixture's expected .fixed text when only that rule runs (as the fixture tester applies them)", () => {
    const fixtures = fs.readdirSync(path.join(ROOT, 'test/rules')).flatMap((rule) => {
      const dir = path.join(ROOT, 'test/rules', rule);
      if (!fs.statSync(dir).isDirectory()) return [];
      return fs.readdirSync(dir).filter((n) => n.includes('.fixed.')).map((n) => ({ rule, fixed: n, source: n.replace('.fixed.', '.') }));
    });
    assert.ok(fixtures.length >= 5);
    for (const { rule, fixed, source } of fixtures) {
      const t = tempDir({
        [source]: fs.readFileSync(path.join(ROOT, 'test/rules', rule, source), 'utf8'),
        'only.yaml': `rules:\n${RULES.filter((r) => r.meta.id !== rule).map((r) => `  ${r.meta.id}: off\n`).join('')}`,
      });
      try {
        const r = runCli(['lint', source, '--fix', '--config', 'only.yaml', '--fail-on', 'none'], { cwd: t.dir });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(fs.readFileSync(t.file(source), 'utf8'), fs.readFileSync(path.join(ROOT, 'test/rules', rule, fixed), 'utf8'), `${rule}/${source}`);
      } finally {
        t.cleanup();
      }
    }
  });

  it('never suppresses, leaves suppressed findings and non-editable kinds (ECS API task definitions) alone, keeps a BOM', () => {
    const api = fs.readFileSync(path.join(ROOT, 'test/rules/ecs-execution-role-missing/fires-api.json'), 'utf8');
    const suppressed = 'Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="later"\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n';
    const bom = '\ufeffResources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n';
    const t = tempDir({ 'taskdef.json': api, 's.yaml': suppressed, 'bom.yaml': bom });
    try {
      const findings = jsonFindings(runCli(['lint', 'taskdef.json', '-f', 'json'], { cwd: t.dir }).stdout);
      assert.ok(findings.some((f) => hasQuickFix(f.ruleId)), 'the API task definition has findings whose rules have fixes');
      const r = runCli(['lint', '.', '--fix', '--fail-on', 'none'], { cwd: t.dir });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(fs.readFileSync(t.file('taskdef.json'), 'utf8'), api);
      assert.equal(fs.readFileSync(t.file('s.yaml'), 'utf8'), suppressed);
      const fixed = fs.readFileSync(t.file('bom.yaml'), 'utf8');
      assert.ok(fixed.startsWith('\ufeffResources:'), 'BOM kept');
      assert.match(fixed, /TaskRoleArn: !GetAtt AppTaskTaskRole\.Arn|TaskRoleArn: !GetAtt \w+\.Arn/);
      assert.ok(!fixed.includes('kb-hints-ignore'));
      assert.match(r.stderr, /1 fix in 1 file applied/);
    } finally {
      t.cleanup();
    }
  });

  it('the diff is right at the edges: no newline at the end, CRLF line endings, a fix on the first line', function () {
    if (spawnSync('patch', ['--version']).status !== 0) this.skip();
    const k8s = fs.readFileSync(path.join(ROOT, 'examples/k8s-storage.yaml'), 'utf8');
    const cases = {
      'no-eol.yaml': k8s.replace(/\n$/, ''),
      'crlf.yaml': k8s.replace(/\n/g, '\r\n'),
      'last-no-eol.yaml': 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp\nprovisioner: kubernetes.io/aws-ebs',
      'first.yaml': 'provisioner: kubernetes.io/aws-ebs\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp\n',
    };
    const dry = tempDir(cases);
    const wet = tempDir(cases);
    try {
      const r = runCli(['lint', '.', '--fix-dry-run'], { cwd: dry.dir });
      assert.equal(r.status, 1, r.stderr);
      runCli(['lint', '.', '--fix'], { cwd: wet.dir });
      assert.notDeepEqual(snapshot(wet.dir), cases);
      for (const name of Object.keys(cases)) assert.notEqual(fs.readFileSync(wet.file(name), 'utf8'), cases[/** @type {keyof typeof cases} */ (name)], name);
      const p = spawnSync('patch', ['-p1', '-s', '--binary'], { cwd: dry.dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr + p.stdout + r.stdout);
      assert.deepEqual(snapshot(dry.dir), snapshot(wet.dir));
      assert.match(r.stdout, /^-provisioner: kubernetes\.io\/aws-ebs\n\\ No newline at end of file\n\+provisioner: ebs\.csi\.aws\.com\n(\+.*\n)*\\ No newline at end of file\n/m);
    } finally {
      dry.cleanup();
      wet.cleanup();
    }
  });

  it('a file that cannot be written: a warning, the others fixed, the report, exit 2', function () {
    // Root writes read-only files: as root, the CLI runs as `nobody` (runuser), else the case is skipped.
    const root = process.getuid?.() === 0;
    if (root && spawnSync('runuser', ['--help']).status !== 0) this.skip();
    const task = 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n';
    const t = tempDir({ 'ro.yaml': task, 'rw.yaml': task });
    try {
      fs.chmodSync(t.file('ro.yaml'), 0o444);
      let r;
      if (root) {
        fs.chmodSync(t.dir, 0o777);
        fs.chmodSync(t.file('rw.yaml'), 0o666);
        const p = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cliForNobody(), 'lint', '.', '--fix', '-f', 'json'], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        r = { status: p.status, stdout: p.stdout, stderr: p.stderr };
      } else r = runCli(['lint', '.', '--fix', '-f', 'json'], { cwd: t.dir });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--fix could not write ro\.yaml: permission denied/);
      assert.match(r.stderr, /2 fixes in 2 files applied \(1 file could not be written\)/);
      assert.equal(fs.readFileSync(t.file('ro.yaml'), 'utf8'), task);
      assert.notEqual(fs.readFileSync(t.file('rw.yaml'), 'utf8'), task);
      assert.deepEqual(jsonFindings(r.stdout).map((f) => `${f.file} ${f.ruleId}`), ['ro.yaml ecs-task-role-missing']);
    } finally {
      fs.chmodSync(t.file('ro.yaml'), 0o644);
      t.cleanup();
    }
  });

  it('--fix-dry-run works on standard input; --fix and --fix-dry-run together are a usage error', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/k8s-storage.yaml'), 'utf8');
    const r = runCli(['lint', '-', '--stdin-filename', 'k8s/app.yaml', '--fix-dry-run'], { input: text });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^--- a\/k8s\/app\.yaml\n\+\+\+ b\/k8s\/app\.yaml\n/);
    assert.match(r.stdout, /^\+provisioner: ebs\.csi\.aws\.com$/m);
    assert.equal(runCli(['lint', 'examples', '--fix', '--fix-dry-run']).status, 2);
  });
});
