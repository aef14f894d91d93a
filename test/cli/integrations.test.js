// @ts-check
// The repository's CI integrations, run here as far as this machine allows: the pre-commit hooks
// (`.pre-commit-hooks.yaml`: entry, file pattern, run the way pre-commit runs them) and the composite
// GitHub Action (`action.yml`: its bash steps run with `npx` standing in for the published package, and
// the inputs substituted as the runner does).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');
const { tempDir } = require('../helpers/tmp');
const { FILE_EXTENSIONS } = require('../helpers/engine');
const pkg = require('../../package.json');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const TASK = 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: app, Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0 }\n';
const BROKEN = 'Resources:\n  Bad:\n    Type: AWS::EFS::FileSystem\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: arn:aws:iam::123456789012:role/r\n      Volumes:\n        - Name: v\n          EFSVolumeConfiguration: { FilesystemId: !Ref Bucket }\n      ContainerDefinitions:\n        - { Name: app, Image: public.ecr.aws/nginx/nginx:latest }\n  Bucket:\n    Type: AWS::S3::Bucket\n';

/**
 * A folder with an `npx` that runs this checkout's CLI: it drops npx's own options and the package spec
 * (`kb-hints@...`), as the published package's bin would receive the rest.
 */
function npxShim() {
  const t = tempDir();
  const log = t.file('npx.log');
  t.write('npx', `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --yes|-y) shift;; kb-hints|kb-hints@*) echo "package=$1" >> ${JSON.stringify(log)}; shift; break;; *) echo "unexpected npx argument $1" >&2; exit 99;; esac; done\nprintf '%s\\n' "$@" > ${JSON.stringify(t.file('args'))}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  fs.chmodSync(t.file('npx'), 0o755);
  return { ...t, log, args: () => fs.readFileSync(t.file('args'), 'utf8').trimEnd().split('\n') };
}

describe('CI integrations', function () {
  this.timeout(60000);

  describe('.pre-commit-hooks.yaml', () => {
    const hooks = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));

    it('declares node hooks whose entry is this package\'s kb-hints bin, built on install (prepack)', () => {
      assert.ok(Array.isArray(hooks) && hooks.length >= 1);
      assert.deepEqual(hooks.map((/** @type {{ id: string }} */ h) => h.id), ['kb-hints', 'kb-hints-fix']);
      for (const h of hooks) {
        for (const k of ['id', 'name', 'entry', 'language']) assert.equal(typeof h[k], 'string', `${h.id}.${k}`);
        assert.equal(h.language, 'node');
        const [bin, command] = h.entry.split(/\s+/);
        assert.ok(Object.hasOwn(pkg.bin, bin), `${bin} is a bin of package.json`);
        assert.equal(command, 'lint');
        assert.equal(h.require_serial, true, 'one process: cross-file rules see every file');
        assert.equal(h.types, undefined, 'types would drop .template files');
        assert.equal(h.types_or, undefined);
      }
      // pre-commit installs a node hook with `npm pack`: dist/ (not committed) must be built by it.
      assert.match(pkg.scripts.prepack, /scripts\/build\.mjs/);
      const bins = /** @type {Record<string, string>} */ (pkg.bin);
      assert.ok(bins[hooks[0].entry.split(' ')[0]].startsWith('./dist/'));
    });

    it('`files` matches every extension the kinds claim, and nothing else', () => {
      for (const h of hooks) {
        // pre-commit uses Python's re.search; this pattern means the same in JavaScript.
        const files = new RegExp(h.files);
        for (const ext of FILE_EXTENSIONS) assert.ok(files.test(`infra/stack${ext}`), ext);
        for (const other of ['README.md', 'main.ts', 'yaml.go', 'x.yaml.bak']) assert.ok(!files.test(other), other);
      }
    });

    it('runs as pre-commit runs it: entry + args + the staged file names; exit 1 fails the commit', () => {
      const t = tempDir({ 'ok.yaml': TASK, 'bad/stack.yaml': BROKEN, 'k8s/app.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });
      try {
        const hook = hooks[0];
        const run = (/** @type {string[]} */ files) => {
          const [, ...entryArgs] = hook.entry.split(/\s+/);
          return spawnSync(process.execPath, [CLI, ...entryArgs, ...(hook.args ?? []), ...files], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        };
        const good = run(['ok.yaml', 'k8s/app.yml']);
        assert.equal(good.status, 0, good.stdout + good.stderr);
        const bad = run(['ok.yaml', 'bad/stack.yaml']);
        assert.equal(bad.status, 1, bad.stdout + bad.stderr);
        assert.match(bad.stdout, /bad\/stack\.yaml:\d+:\d+ +error +volume-s3-not-mountable/);
        // The fixing hook rewrites the file (pre-commit then reports "files were modified").
        const [, ...fixArgs] = hooks[1].entry.split(/\s+/);
        // (A public image that makes no AWS calls: the empty task role is the preferred fix there.)
        fs.writeFileSync(t.file('ok.yaml'), TASK.replace('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0', 'public.ecr.aws/nginx/nginx:1.27'));
        const fix = spawnSync(process.execPath, [CLI, ...fixArgs, 'ok.yaml'], { cwd: t.dir, encoding: 'utf8' });
        assert.equal(fix.status, 0, fix.stderr);
        assert.match(fs.readFileSync(t.file('ok.yaml'), 'utf8'), /TaskRoleArn:/);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('action.yml', () => {
    const action = YAML.parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    /** @type {{ id: string, if?: string, shell?: string, run?: string, uses?: string, env?: Record<string, string>, with?: Record<string, string> }[]} */
    const steps = action.runs.steps;

    it('is a composite action whose bash steps run `npx kb-hints lint`, with inputs passed through env only', () => {
      assert.equal(action.runs.using, 'composite');
      assert.equal(typeof action.name, 'string');
      assert.equal(typeof action.description, 'string');
      for (const name of ['paths', 'format', 'upload-sarif', 'sarif-file', 'fail-on', 'version']) assert.ok(action.inputs[name], name);
      assert.equal(action.inputs.format.default, 'github');
      const runs = steps.filter((s) => s.run);
      assert.deepEqual(runs.map((s) => s.id), ['sarif', 'lint']);
      for (const s of runs) {
        assert.equal(s.shell, 'bash');
        assert.match(/** @type {string} */ (s.run), /npx --yes "kb-hints@\$\{KB_HINTS_VERSION\}" (lint |"\$\{args\[@\]\}")/);
        assert.ok(!s.run?.includes('${{'), `${s.id}: no expression inside the script (script injection)`);
        assert.match(/** @type {string} */ (s.run), /^set -f$/m, 'globs reach kb-hints unexpanded');
        for (const v of Object.values(s.env ?? {})) assert.match(v, /^\$\{\{ inputs\.[a-z-]+ \}\}$/);
      }
      const upload = steps.find((s) => s.uses);
      assert.equal(upload?.uses, 'github/codeql-action/upload-sarif@v3');
      assert.equal(upload?.with?.sarif_file, '${{ inputs.sarif-file }}');
      assert.equal(upload?.if, "${{ inputs.upload-sarif == 'true' }}");
      assert.equal(steps.find((s) => s.id === 'sarif')?.if, upload?.if);
    });

    /**
     * Runs the action's bash steps as the runner would, with `inputs` over the defaults; the `uses` step is
     * not run (it needs GitHub), its `if` is evaluated for the record.
     * @param {Record<string, string>} given
     * @param {string} cwd
     */
    function runAction(given, cwd) {
      const shim = npxShim();
      /** @type {Record<string, string>} */
      const inputs = {};
      for (const [k, v] of Object.entries(action.inputs)) inputs[k] = given[k] ?? String(/** @type {{ default?: unknown }} */ (v).default ?? '');
      const expr = (/** @type {string} */ s) => s.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, k) => inputs[k]);
      const enabled = (/** @type {string | undefined} */ cond) => {
        if (!cond) return true;
        const m = /^\$\{\{ inputs\.([a-z-]+) == '([^']*)' \}\}$/.exec(cond);
        assert.ok(m, `an if this test can evaluate: ${cond}`);
        return inputs[m[1]] === m[2];
      };
      /** @type {{ id: string, status: number | null, stdout: string, stderr: string, args: string[] }[]} */
      const ran = [];
      try {
        for (const s of steps) {
          if (!enabled(s.if) || !s.run) continue;
          /** @type {NodeJS.ProcessEnv} */
          const env = { ...process.env, PATH: `${shim.dir}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', GITHUB_OUTPUT: shim.file('output') };
          for (const [k, v] of Object.entries(s.env ?? {})) env[k] = expr(v);
          // As GitHub runs `shell: bash`: bash --noprofile --norc -eo pipefail {0}
          const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run], { cwd, env, encoding: 'utf8' });
          ran.push({ id: s.id, status: r.status, stdout: r.stdout, stderr: r.stderr, args: fs.existsSync(shim.file('args')) ? shim.args() : [] });
          if (r.status !== 0) break;
        }
        const output = fs.existsSync(shim.file('output')) ? fs.readFileSync(shim.file('output'), 'utf8') : '';
        return { ran, output, packages: fs.existsSync(shim.log) ? fs.readFileSync(shim.log, 'utf8') : '' };
      } finally {
        shim.cleanup();
      }
    }

    it('defaults: annotations for the findings, fails on an error-level finding; globs are passed through', () => {
      const t = tempDir({ 'infra/a.yaml': TASK, 'infra/b.yaml': BROKEN });
      try {
        const warnOnly = runAction({ paths: 'infra/a.yaml' }, t.dir);
        assert.deepEqual(warnOnly.ran.map((r) => [r.id, r.status]), [['lint', 0]]);
        assert.match(warnOnly.ran[0].stdout, /^::warning file=infra\/a\.yaml,line=2,/);
        assert.match(warnOnly.packages, /^package=kb-hints@latest$/m);
        const failing = runAction({ paths: '**/*.yaml', version: '0.1.0' }, t.dir);
        assert.equal(failing.ran[0].status, 1);
        assert.deepEqual(failing.ran[0].args.slice(0, 2), ['lint', '**/*.yaml'], 'the glob reached kb-hints unexpanded');
        assert.match(failing.ran[0].stdout, /^::error file=infra\/b\.yaml,/m);
        assert.match(failing.packages, /package=kb-hints@0\.1\.0/);
        const gated = runAction({ paths: 'infra/a.yaml', 'fail-on': 'warning' }, t.dir);
        assert.equal(gated.ran[0].status, 1);
        const capped = runAction({ paths: 'infra/a.yaml', 'fail-on': 'none', 'max-warnings': '0' }, t.dir);
        assert.equal(capped.ran[0].status, 1);
      } finally {
        t.cleanup();
      }
    });

    it("upload-sarif: 'true' writes SARIF first (never failing), then the gating run; several paths, extra args", () => {
      const t = tempDir({ 'a/x.yaml': TASK, 'b/y.yaml': BROKEN, 'ci.kbhints.yaml': 'rules:\n  volume-s3-not-mountable: warning\n' });
      try {
        const r = runAction({ 'upload-sarif': 'true', paths: 'a\nb', 'sarif-file': 'kb.sarif', args: '--config ci.kbhints.yaml' }, t.dir);
        assert.deepEqual(r.ran.map((x) => x.id), ['sarif', 'lint']);
        assert.equal(r.ran[0].status, 0, r.ran[0].stderr);
        const log = JSON.parse(fs.readFileSync(t.file('kb.sarif'), 'utf8'));
        assert.equal(log.version, '2.1.0');
        assert.deepEqual([...new Set(log.runs[0].results.map((/** @type {any} */ x) => x.locations[0].physicalLocation.artifactLocation.uri))].sort(), ['a/x.yaml', 'b/y.yaml']);
        assert.match(r.output, /^file=kb\.sarif$/m);
        assert.equal(r.ran[1].status, 0, 'the config made the error a warning');
        assert.ok(r.ran[1].args.includes('--config'));
      } finally {
        t.cleanup();
      }
    });
  });
});
