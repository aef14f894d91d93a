// @ts-check
// `kb-hints lint --cache`: the same report as without it, and an entry is used only while everything its
// findings depend on is unchanged: the file's content, the configuration that applies, the linter, and
// (for a file whose lint reads other files' facts) those files. Each test poisons the cache (every cached
// message becomes POISONED) and then changes one thing: files linted again show real messages, files
// read from the cache show POISONED.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tempDir } = require('../helpers/tmp');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

const STORAGE_CLASS = ['apiVersion: storage.k8s.io/v1', 'kind: StorageClass', 'metadata:', '  name: shared-disk', 'provisioner: ebs.csi.aws.com', ''].join('\n');
const CLAIM = ['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: data', 'spec:', '  accessModes:', '    - ReadWriteMany', '  storageClassName: shared-disk', '  resources:', '    requests:', '      storage: 10Gi', ''].join('\n');
const TASK = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  AppTask:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - Name: app', '          Image: public.ecr.aws/nginx/nginx:latest', ''].join('\n');

/** @param {string} cli @param {string} cwd @param {string[]} args */
function lint(cwd, args, cli = CLI) {
  const r = spawnSync(process.execPath, [cli, 'lint', '.', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return /** @type {Array<{ file: string, ruleId: string, message: string, severity: string }>} */ (JSON.parse(r.stdout).findings ?? JSON.parse(r.stdout));
}

/** Every cached finding's message becomes POISONED. @param {string} file */
function poison(file) {
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const e of Object.values(c.files)) for (const f of /** @type {any} */ (e).findings) f.message = 'POISONED';
  fs.writeFileSync(file, JSON.stringify(c));
}

/** @param {ReturnType<typeof lint>} findings @param {string} name */
const of = (findings, name) => findings.filter((f) => path.basename(f.file) === name);
/** @param {ReturnType<typeof lint>} findings @param {string} name */
const poisoned = (findings, name) => of(findings, name).some((f) => f.message === 'POISONED');

describe('CLI --cache', function () {
  this.timeout(60000);
  /** @type {import('../helpers/tmp').TempDir} */
  let t;
  let cache = '';
  beforeEach(() => {
    t = tempDir();
    t.write('sc.yaml', STORAGE_CLASS);
    t.write('pvc.yaml', CLAIM);
    t.write('task.yaml', TASK);
    cache = path.join(t.dir, 'cache', 'lint-cache');
  });
  afterEach(() => t.cleanup());

  const cached = () => lint(t.dir, ['--cache', '--cache-location', cache]);

  it('gives the same report as a run without it, first and second time', () => {
    const plain = lint(t.dir, []);
    assert.ok(of(plain, 'pvc.yaml').length > 0 && of(plain, 'task.yaml').length > 0);
    assert.deepEqual(cached(), plain);
    assert.ok(fs.existsSync(cache));
    assert.deepEqual(cached(), plain);
  });

  it('reuses unchanged files and lints a changed one again', () => {
    cached();
    poison(cache);
    t.write('task.yaml', TASK.replace('nginx:latest', 'nginx:1.27'));
    const r = cached();
    assert.ok(!poisoned(r, 'task.yaml'), 'the changed file is linted again');
    assert.ok(poisoned(r, 'pvc.yaml'), 'an unchanged file comes from the cache');
  });

  it('lints again when the configuration that applies changes', () => {
    cached();
    poison(cache);
    const rule = of(lint(t.dir, []), 'task.yaml')[0].ruleId;
    t.write('.kbhints.yaml', `rules:\n  ${rule}: hint\n`);
    const r = cached();
    assert.ok(!poisoned(r, 'task.yaml'));
    assert.equal(of(r, 'task.yaml').find((f) => f.ruleId === rule)?.severity, 'hint');
  });

  it('lints again when the linter changes (another build)', () => {
    cached();
    poison(cache);
    const dist = t.file('dist');
    fs.mkdirSync(dist);
    for (const f of ['cli.js', 'cli-main.js.v8cache', 'cdk-facts.js']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dist, f));
    // The bundle the bin runs: its code cache no longer fits it either.
    fs.writeFileSync(path.join(dist, 'cli-main.js'), fs.readFileSync(path.join(ROOT, 'dist/cli-main.js'), 'utf8') + '\n// another build\n');
    const r = lint(t.dir, ['--cache', '--cache-location', cache], path.join(dist, 'cli.js'));
    assert.ok(!poisoned(r, 'task.yaml') && !poisoned(r, 'pvc.yaml'));
  });

  it('lints a file again when a file it reads facts from changes (cross-file)', () => {
    assert.equal(of(cached(), 'pvc.yaml')[0]?.ruleId, 'k8s-rwx-on-ebs');
    poison(cache);
    t.write('sc.yaml', STORAGE_CLASS.replace('ebs.csi.aws.com', 'efs.csi.aws.com'));
    const r = cached();
    assert.deepEqual(of(r, 'pvc.yaml'), [], 'the claim is linted against the changed class');
    assert.ok(poisoned(r, 'task.yaml'), 'a file that reads no other file is still cached');
    // And back: the claim's finding returns.
    t.write('sc.yaml', STORAGE_CLASS);
    assert.equal(of(cached(), 'pvc.yaml')[0]?.ruleId, 'k8s-rwx-on-ebs');
  });

  it('lints again when a team rule file changes', () => {
    const rule = (/** @type {string} */ severity) => `- id: acme/data-claim\n  title: Claims are named\n  severity: ${severity}\n  kb: docker\n  message: "{{resource}} is named data"\n  select: { kind: [PersistentVolumeClaim] }\n  when: { path: [metadata, name], matches: '^data$' }\n  report: { path: [metadata, name], at: value }\n`;
    t.write('.kbhints/rules/acme.yaml', rule('info'));
    const first = of(cached(), 'pvc.yaml').filter((f) => f.ruleId === 'acme/data-claim');
    assert.equal(first[0]?.severity, 'info', JSON.stringify(first));
    poison(cache);
    t.write('.kbhints/rules/acme.yaml', rule('error'));
    const r = cached();
    assert.ok(!poisoned(r, 'pvc.yaml') && !poisoned(r, 'task.yaml'), 'every file the team rules apply to is linted again');
    assert.equal(of(r, 'pvc.yaml').find((f) => f.ruleId === 'acme/data-claim')?.severity, 'error');
  });

  it('lints again when the declared environment changes', () => {
    cached();
    poison(cache);
    t.write('.kbhints.yaml', 'environment:\n  ecr:\n    registryScanning: true\n');
    const r = cached();
    assert.ok(!poisoned(r, 'task.yaml') && !poisoned(r, 'pvc.yaml'));
  });

  it('lints a file again when a file it read facts from is no longer in the run', () => {
    assert.equal(of(cached(), 'pvc.yaml')[0]?.ruleId, 'k8s-rwx-on-ebs');
    poison(cache);
    fs.rmSync(t.file('sc.yaml'));
    const r = cached();
    assert.ok(!poisoned(r, 'pvc.yaml'), 'the claim is linted without the class');
    assert.ok(!of(r, 'pvc.yaml').some((f) => f.ruleId === 'k8s-rwx-on-ebs'));
    assert.ok(poisoned(r, 'task.yaml'));
  });

  it('lints a template again when another stack that handles what it exports changes (cross-stack facts)', () => {
    const exporter = ['Resources:', '  Svc:', '    Type: AWS::ECS::Service', '    Properties:', '      DesiredCount: 2', 'Outputs:', '  Name:', '    Value: !GetAtt Svc.Name', '    Export: { Name: !Sub "${AWS::StackName}-svc" }', ''].join('\n');
    const scaler = (/** @type {string} */ type) =>
      ['Parameters:', '  App: { Type: String }', 'Resources:', '  Target:', `    Type: ${type}`, '    Properties:', '      ServiceNamespace: ecs', '      ScalableDimension: ecs:service:DesiredCount', '      ResourceId: !Join ["/", [service, prod, !ImportValue { "Fn::Sub": "${App}-svc" }]]', '      MinCapacity: 1', '      MaxCapacity: 4', ''].join('\n');
    t.write('app.yaml', exporter);
    t.write('scaling.yaml', scaler('AWS::ApplicationAutoScaling::ScalableTarget'));
    const scaling = (/** @type {ReturnType<typeof lint>} */ r) => of(r, 'app.yaml').filter((f) => f.ruleId === 'ecs-service-autoscaling-missing');
    assert.deepEqual(scaling(cached()), [], 'scaled by the importing stack');
    poison(cache);
    t.write('scaling.yaml', scaler('AWS::SNS::Topic'));
    const r = cached();
    assert.equal(scaling(r).length, 1, 'nothing scales the service any more');
    assert.ok(poisoned(r, 'task.yaml'));
  });

  it('--cache-location needs --cache', () => {
    const r = spawnSync(process.execPath, [CLI, 'lint', '.', '--cache-location', cache], { cwd: t.dir, encoding: 'utf8' });
    assert.equal(r.status, 2);
  });
});
