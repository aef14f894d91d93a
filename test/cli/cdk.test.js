// @ts-check
// Issue #11: `kb-hints lint` on a CDK app reports each finding at the source line that creates its construct,
// with the template location as related (text, JSON, SARIF); a finding it cannot place stays on the template.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');
const { jsonFindings } = require('../helpers/cli');

/** @typedef {import('../helpers/cli').JsonFinding} JsonFinding */
/** @typedef {import('../helpers/cli').SarifLog} SarifLog */
/** A finding as test/cdk/fixtures/<app>/expected.json lists it. @typedef {{ ruleId: string, template: string, at: string }} Expected */

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/cdk/fixtures');
const APPS = ['ts-app', 'ts-node', 'ts-outdir', 'ts-nojs', 'js-app', 'js-nested', 'py-app'];

/** @param {string[]} args @param {string} cwd */
function run(args, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60000, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return r;
}

/** The findings of `kb-hints lint <target> -f json` in `cwd`. @param {string} cwd */
function json(cwd, target = '.') {
  const r = run(['lint', target, '-f', 'json'], cwd);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return jsonFindings(r.stdout);
}

/** A copy of a fixture app in a temporary folder (its cdk.out's traces name other paths anyway). */
/** @param {string} name */
function copyApp(name) {
  const t = tempDir();
  fs.cpSync(path.join(FIXTURES, name), t.dir, { recursive: true });
  return t;
}

describe('CDK findings at their source line (CLI)', () => {
  for (const app of APPS) {
    it(`${app}: every finding at the expected source line, the template as related`, () => {
      const dir = path.join(FIXTURES, app);
      /** @type {Expected[]} */
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
      const got = json(dir).map((f) => ({ ruleId: f.ruleId, template: `${defined(f.related)[0].file}:${defined(f.related)[0].line}`, at: `${f.file}:${f.line}:${f.column}` }));
      const key = (/** @type {Expected} */ x) => `${x.at} ${x.ruleId} ${x.template}`;
      assert.deepEqual(got.map(key).sort(), expected.map(key).sort());
    });
  }

  it('uses the creation traces through the source maps when the compiled JavaScript is there', () => {
    const findings = json(path.join(FIXTURES, 'ts-app'));
    const repo = defined(findings.find((f) => f.ruleId === 'ecr-tags-mutable'));
    assert.equal(repo.placedBy, 'trace');
    assert.equal(repo.file, 'lib/service-stack.ts');
    // Under ts-node the traces name the TypeScript itself.
    const tsNode = defined(json(path.join(FIXTURES, 'ts-node')).find((f) => f.ruleId === 'ecr-tags-mutable'));
    assert.equal(tsNode.placedBy, 'trace');
    assert.equal(`${tsNode.file}:${tsNode.line}`, `${repo.file}:${repo.line}`);
    // Without the JavaScript, the same line from the construct ids.
    const nojs = defined(json(path.join(FIXTURES, 'ts-nojs')).find((f) => f.ruleId === 'ecr-tags-mutable'));
    assert.equal(nojs.placedBy, 'static');
    assert.equal(`${nojs.file}:${nojs.line}`, `${repo.file}:${repo.line}`);
  });

  it('follows a Stage into its nested assembly and a helper function into its file', () => {
    const findings = json(path.join(FIXTURES, 'js-app'));
    assert.ok(findings.every((f) => f.file.startsWith('lib/')));
    const docker = defined(findings.find((f) => f.ruleId === 'image-from-docker-hub'));
    assert.equal(defined(docker.related)[0].file, 'cdk.out/assembly-Prod/ProdApi2466CF1F.template.json');
    const line = fs.readFileSync(path.join(FIXTURES, 'js-app', docker.file), 'utf8').split('\n')[docker.line - 1];
    assert.match(line, /task\.addContainer\('main'/);
  });

  it('places Python constructs, construct classes and helpers (hand-written sources)', () => {
    const findings = json(path.join(FIXTURES, 'py-app'));
    const text = (/** @type {JsonFinding | undefined} */ f) => fs.readFileSync(path.join(FIXTURES, 'py-app', defined(f).file), 'utf8').split('\n')[defined(f).line - 1];
    const byImage = (/** @type {string} */ img) => findings.find((f) => f.ruleId === 'image-from-docker-hub' && f.message.includes(img));
    assert.match(text(byImage('busybox')), /task\.add_container\("app"/);
    assert.match(text(byImage('aws-cli')), /task\.add_container\("job"/);
    assert.match(text(findings.find((f) => f.ruleId === 'ecr-tags-mutable')), /ecr\.Repository\(self, "Images"\)/);
  });

  it('speaks Python in a Python app: snake_case members and keyword arguments; construct ids as written', () => {
    const findings = json(path.join(FIXTURES, 'py-app'));
    const tags = defined(findings.find((f) => f.ruleId === 'ecr-tags-mutable'));
    assert.equal(tags.message, 'ECR repository Images has mutable image tags (the default): set image_tag_mutability');
    assert.match(defined(tags.detail), /leaves `image_tag_mutability` at its default, MUTABLE: .* Set it to `ecr\.TagMutability\.IMMUTABLE`/);
    const scaling = defined(findings.find((f) => f.ruleId === 'ecs-service-autoscaling-missing'));
    assert.match(defined(scaling.detail), /`service\.auto_scale_task_count\(min_capacity=\.\.\., max_capacity=\.\.\.\)` and a scaling method on the result, such as `scale_on_cpu_utilization\(\)`/);
    // The TypeScript app keeps the TypeScript names.
    const ts = defined(json(path.join(FIXTURES, 'ts-app')).find((f) => f.ruleId === 'ecs-service-autoscaling-missing'));
    assert.match(defined(ts.detail), /`service\.autoScaleTaskCount\(\{ minCapacity, maxCapacity \}\)`/);
  });

  it('SARIF: the source line is the location, the template a related location', () => {
    const dir = path.join(FIXTURES, 'ts-app');
    const r = run(['lint', '.', '-f', 'sarif', '--root', '.'], dir);
    /** @type {SarifLog} */
    const sarif = JSON.parse(r.stdout);
    const results = sarif.runs[0].results;
    assert.ok(results.length > 0);
    for (const res of results) {
      assert.match(res.locations[0].physicalLocation.artifactLocation.uri, /^lib\/.*\.ts$/);
      const rel = defined(res.relatedLocations)[0];
      assert.equal(rel.physicalLocation.artifactLocation.uri, 'cdk.out/ServiceStack.template.json');
      assert.match(rel.message.text, /^Synthesized as /);
    }
  });

  it('text: the source line first, then where it was synthesized', () => {
    const r = run(['lint', '.'], path.join(FIXTURES, 'js-app'));
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith('lib/api-stack.js:26:16  warning elb-classic-not-recommended'));
    assert.ok(i >= 0, r.stdout);
    // A fresh clone gives the sources and the assembly checkout times: the source may look newer than the synth.
    assert.match(lines[i + 1], /^    synthesized as LegacyLb7E4CE05A at cdk\.out\/assembly-Prod\/ProdApi2466CF1F\.template\.json:\d+:\d+( \(from the last synth: the source changed since\))?$/);
  });

  it('a trace naming another copy of the project on this machine is not followed there', () => {
    const other = copyApp('ts-app');
    const t = copyApp('ts-nojs');
    try {
      const meta = t.file('cdk.out/ServiceStack.metadata.json');
      fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replaceAll('/tmp/cdkfix/ts-app', other.dir));
      const findings = json(t.dir);
      assert.ok(findings.length > 0);
      for (const f of findings) {
        assert.equal(f.placedBy, 'static');
        assert.ok(f.file.startsWith('lib/'), f.file);
      }
    } finally {
      other.cleanup();
      t.cleanup();
    }
  });

  it('a finding it cannot place stays on the template', () => {
    const t = copyApp('ts-nojs');
    try {
      fs.rmSync(t.file('lib'), { recursive: true });
      const findings = json(t.dir);
      assert.ok(findings.length > 0);
      for (const f of findings) {
        assert.equal(f.file, 'cdk.out/ServiceStack.template.json');
        assert.equal(f.placedBy, undefined);
      }
    } finally {
      t.cleanup();
    }
  });

  it('a source changed after the synth: placed statically when the traced line moved, marked as from the last synth', () => {
    const t = copyApp('ts-app');
    try {
      const stack = t.file('lib/service-stack.ts');
      // Two lines inserted above the constructs: the trace (through the old map) no longer points at one.
      const text = fs.readFileSync(stack, 'utf8').replace('    super(scope, id, props);\n', '    super(scope, id, props);\n    // a comment\n    // another\n');
      fs.writeFileSync(stack, text);
      const future = new Date(Date.now() + 60000);
      fs.utimesSync(stack, future, future);
      const findings = json(t.dir);
      const repo = defined(findings.find((f) => f.ruleId === 'ecr-tags-mutable'));
      assert.equal(repo.file, 'lib/service-stack.ts');
      assert.match(text.split('\n')[repo.line - 1], /new ecr\.Repository\(this, 'Images'\)/);
      assert.equal(repo.stale, true);
      assert.match(defined(repo.related)[0].message, /from the last synth/);
    } finally {
      t.cleanup();
    }
  });

  it('a folder that is not a CDK app keeps its findings on the template (examples/cdk.out)', () => {
    const findings = json(ROOT, 'examples/cdk.out');
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.file.startsWith('examples/cdk.out/') && f.placedBy === undefined));
  });
});
