// @ts-check
// Hostile and unusual input: alias bombs and chains, very deep nesting, a 20 MB file, binary data,
// invalid UTF-8, NUL bytes, Helm templates, JSON with comments. Each gets a bounded-time answer (a
// clear diagnostic or a quiet skip), never a crash or a hang, from the engine and from the CLI. A rule
// that throws is isolated. The parallel CLI gives the same report as one thread.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseFile, parseYaml, lint, RULES, ruleById, deref, INTERNAL_ERROR, DEFAULT_MAX_SIZE } = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');
const { jsonFindings } = require('../helpers/cli');
const { defined, map, scalar, template } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Rule} Rule */

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** @template T @param {() => T} fn */
function timed(fn) {
  const t = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/**
 * Parse + lint within `limitMs`, never throwing; returns the file and findings.
 * @param {string} text
 * @param {string} uri
 * @param {number} limitMs
 * @param {import('../../server/src/documents/parse').ParseOptions} [options]
 */
function bounded(text, uri, limitMs, options) {
  const { result, ms } = timed(() => {
    const file = parseFile(text, uri, options);
    return { file, findings: lint(file) };
  });
  assert.ok(ms < limitMs, `${uri}: took ${Math.round(ms)} ms (limit ${limitMs})`);
  assert.ok(!result.findings.some((f) => f.ruleId === INTERNAL_ERROR), `${uri}: a rule crashed: ${JSON.stringify(result.findings.filter((f) => f.ruleId === INTERNAL_ERROR))}`);
  return result;
}

/** @param {string[]} args @param {Record<string, string>} [env] */
function cli(args, env = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r;
}

/** Nine levels of nine aliases: 9^9 nodes if anything expanded it. @param {string} indent */
function laughs(indent, name = 'l') {
  let out = `${indent}${name}0: &${name}0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < 9; i++) out += `${indent}${name}${i}: &${name}${i} [${Array(9).fill(`*${name}${i - 1}`).join(', ')}]\n`;
  return out;
}

describe('robustness: alias bombs and chains', function () {
  this.timeout(30000);

  it('a billion laughs in every place the CloudFormation rules read is never expanded', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Mappings:',
      laughs('  ').trimEnd(),
      'Conditions:',
      '  Bomb: !Equals [*l8, x]',
      '  Bomb2: !Equals [!Ref Env, *l8]',
      '  Bomb3: !And [!Condition Bomb, !Not [*l8]]',
      'Resources:',
      '  Task:',
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      '      RequiresCompatibilities: !If [Bomb, *l8, [FARGATE]]',
      '      NetworkMode: !If [Bomb2, *l8, bridge]',
      '      Cpu: !If [Bomb3, *l8, 256]',
      '      Memory: *l8',
      '      TaskRoleArn: !If [Bomb, *l8, *l7]',
      '      ExecutionRoleArn: *l8',
      '      ContainerDefinitions: *l8',
      '      Volumes: [*l8, { Name: v, Host: *l8 }]',
      '  Service:',
      '    Type: AWS::ECS::Service',
      '    Condition: Bomb',
      '    Properties:',
      '      TaskDefinition: !If [Bomb, !Ref Task, *l8]',
      '      LaunchType: !If [Bomb2, *l8, FARGATE]',
      '      CapacityProviderStrategy: *l8',
      '      LoadBalancers: *l8',
      '  Repo:',
      '    Type: AWS::ECR::Repository',
      '    Properties: { ImageScanningConfiguration: *l8, LifecyclePolicy: *l8, ImageTagMutability: *l8 }',
      '  Target:',
      '    Type: AWS::ApplicationAutoScaling::ScalableTarget',
      '    Properties: { ResourceId: *l8, ScalableDimension: *l8 }',
      '  Cluster:',
      '    Type: AWS::EKS::Cluster',
      '    Properties: { Logging: *l8 }',
      '  Lb:',
      '    Type: AWS::ElasticLoadBalancingV2::LoadBalancer',
      '    Properties: { Type: *l8, Subnets: *l8 }',
      '  Runner:',
      '    Type: AWS::AppRunner::Service',
      '    Properties: { SourceConfiguration: *l8, NetworkConfiguration: *l8 }',
      'Outputs:',
      '  Out: { Value: *l8 }',
      '',
    ].join('\n');
    const { file } = bounded(text, 'bomb.yaml', 3000);
    assert.equal(file.kind, 'cloudformation');
    const tpl = template(file);
    assert.equal(deref(defined(tpl.prop(defined(tpl.resource('Task')), 'Memory')).value)?.kind, 'seq');
  });

  it('a billion laughs in a Kubernetes manifest stream is never expanded', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: bomb }',
      'data:',
      laughs('  ').trimEnd(),
      'spec: &spec',
      '  containers: *l8',
      '  volumes: *l8',
      '  accessModes: *l8',
      '  storageClassName: *l8',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: d, annotations: { x: y } }',
      'spec: { template: { spec: { containers: [{ name: a, image: nginx, volumeMounts: [] }], volumes: [] } } }',
      '---',
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata: { name: c }',
      'spec: { storageClassName: gp2, accessModes: [ReadWriteMany] }',
      '',
    ].join('\n');
    // The aliases of one document cannot reach another; expand within the first one only.
    bounded(text, 'bomb-k8s.yaml', 3000);
    const own = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nx:\n' + laughs('  ') + 'spec:\n  containers: *l8\n  volumes: *l8\n  initContainers: [*l8]\n';
    bounded(own, 'bomb-pod.yaml', 3000);
  });

  it('a chain of 20,000 aliases, each one level deeper', () => {
    let text = 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  a0: &a0 x\n';
    for (let i = 1; i < 20000; i++) text += `  a${i}: &a${i} [*a${i - 1}]\n`;
    text += 'Conditions:\n  C: !Equals [*a19999, x]\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: !If [C, *a19999, 256]\n      ContainerDefinitions: *a19999\n';
    const { file } = bounded(text, 'chain.yaml', 5000);
    assert.equal(file.kind, 'cloudformation');
  });

  it('the CLI answers on an alias bomb', () => {
    const tmp = tempDir({ 'bomb.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n' + laughs('  ') + 'Conditions:\n  C: !Equals [*l8, x]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { Cpu: !If [C, *l8, 256], RequiresCompatibilities: [FARGATE] }\n' });
    try {
      const { result: r, ms } = timed(() => cli(['lint', tmp.dir, '--format', 'json']));
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.ok(ms < 10000, `${ms} ms`);
      assert.ok(JSON.parse(r.stdout).length > 0);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('robustness: size, depth and bytes', function () {
  this.timeout(60000);
  const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n';

  it('100,000-deep nesting, block and flow, YAML and JSON: an error, the rest kept, through the CLI too', () => {
    const cases = {
      'flow.yaml': HEADER + 'Metadata:\n  x: ' + '['.repeat(100000) + ']'.repeat(100000) + '\n',
      'compact.yaml': HEADER + 'Metadata:\n  x:\n    ' + '- '.repeat(100000) + 'x\n',
      'maps.yaml': HEADER + 'Metadata:\n  x: ' + '{a: '.repeat(100000) + '1' + '}'.repeat(100000) + '\n',
      'deep.json': '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}, "Metadata": ' + '{"a": ['.repeat(50000) + ']}'.repeat(50000) + '}',
    };
    for (const [uri, text] of Object.entries(cases)) {
      const { file, findings } = bounded(text, uri, 5000);
      assert.ok(file.errors.some((e) => /Nesting deeper than/.test(e.message)), `${uri}: ${JSON.stringify(file.errors.slice(0, 2))}`);
      assert.ok(template(file).resources.has('Task'), uri);
      assert.ok(findings.some((f) => f.ruleId === 'syntax-error'), uri);
    }
    const tmp = tempDir(cases);
    try {
      const r = cli(['lint', tmp.dir, '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      const out = jsonFindings(r.stdout);
      assert.equal(new Set(out.filter((f) => f.ruleId === 'syntax-error').map((f) => path.basename(f.file))).size, 4);
    } finally {
      tmp.cleanup();
    }
  });

  /** @param {number} bytes */
  function bigTemplate(bytes) {
    const parts = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'];
    let size = parts[0].length;
    for (let i = 0; size < bytes; i++) {
      const r = `  Task${i}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Sub '\${AWS::StackName}-task-${i}'\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: '256'\n      Memory: '512'\n${i % 10 ? `      TaskRoleArn: !GetAtt Role${i % 50}.Arn\n` : ''}      ContainerDefinitions:\n        - Name: app\n          Image: public.ecr.aws/nginx/nginx:1.${i % 30}\n          Essential: true\n`;
      parts.push(r);
      size += r.length;
    }
    return parts.join('');
  }

  it('a 20 MB template: skipped at once with the default limit, linted in bounded time above it', () => {
    const text = bigTemplate(20 * 1024 * 1024);
    assert.ok(text.length > DEFAULT_MAX_SIZE);
    const skipped = timed(() => parseFile(text, 'big.yaml'));
    assert.equal(skipped.result.kind, undefined);
    assert.match(defined(skipped.result.skipped), /larger than/);
    assert.ok(skipped.ms < 200, `${skipped.ms} ms to skip`);
    const { file, findings } = bounded(text, 'big.yaml', 20000, { maxSize: 32 * 1024 * 1024 });
    assert.equal(file.kind, 'cloudformation');
    assert.ok(findings.length > 0);
  });

  it('binary data, invalid UTF-8 and NUL bytes: quiet skips or a normal lint, exit 0 or 1', () => {
    let seed = 1;
    const random = Buffer.alloc(64 * 1024);
    for (let i = 0; i < random.length; i++) random[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    const template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n';
    const files = {
      'random.yaml': random,
      'random.json': random,
      'png.yaml': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), random.subarray(0, 2048)]),
      'invalid-utf8.yaml': Buffer.concat([Buffer.from(template), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from('\n')]),
      'nul-late.yaml': template + '      Description: "' + 'x'.repeat(9000) + '\0\0"\n',
      'nul-early.yaml': template.replace('web', 'w\0eb'),
      'utf16.yaml': Buffer.from('\ufeff' + template, 'utf16le'),
    };
    for (const [name, content] of Object.entries(files)) {
      bounded(Buffer.isBuffer(content) ? content.toString('utf8') : content, name, 3000);
    }
    const tmp = tempDir(files);
    try {
      const r = cli(['lint', tmp.dir, '--format', 'json']);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      const out = jsonFindings(r.stdout);
      assert.ok(out.some((f) => path.basename(f.file) === 'invalid-utf8.yaml' && f.ruleId === 'ecs-task-role-missing'), 'the template around invalid bytes is still linted');
    } finally {
      tmp.cleanup();
    }
  });

  it('Helm templates are skipped, CloudFormation dynamic references are not', () => {
    const helm = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image }}"\n{{- if .Values.extra }}\n{{ toYaml .Values.extra | indent 8 }}\n{{- end }}\n';
    const h = bounded(helm, 'deployment.yaml', 1000).file;
    assert.equal(h.kind, undefined);
    assert.match(defined(h.skipped), /Helm/);
    const cfn = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: "{{resolve:ssm:/app/family}}"\n';
    const c = bounded(cfn, 'cfn.yaml', 1000);
    assert.equal(c.file.kind, 'cloudformation');
    assert.ok(c.findings.some((f) => f.ruleId === 'ecs-task-role-missing'));
  });

  it('JSON with comments and trailing commas: reported, and the content is linted', () => {
    const text = '// a template\n{\n  "AWSTemplateFormatVersion": "2010-09-09", /* why */\n  "Resources": {\n    "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": { "Family": "web", }, },\n  },\n}\n';
    const { file, findings } = bounded(text, 'commented.json', 1000);
    assert.equal(file.kind, 'cloudformation');
    assert.ok(file.errors.some((e) => /Comments/.test(e.message)) && file.errors.some((e) => /Trailing comma/.test(e.message)));
    assert.ok(findings.some((f) => f.ruleId === 'syntax-error'));
    assert.ok(findings.some((f) => f.ruleId === 'ecs-task-role-missing'));
  });
});

describe('robustness: YAML that CloudFormation accepts', () => {
  it('multi-line quoted scalars whose continuation lines start at column 0 are not a syntax error', () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: "line one\n\nline two\ncontinued"\nParameters:\n  P:\n    Type: String\n    Default: \'a\nb\'\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n';
    const { file, findings } = bounded(text, 'lenient.yaml', 1000);
    assert.deepEqual(file.errors, []);
    assert.ok(!findings.some((f) => f.ruleId === 'syntax-error'));
    const root = map(file.docs[0].root);
    assert.equal(scalar(root.pairs[1].value).value, 'line one\nline two continued');
    const p = map(defined(template(file).parameters.get('P')).node);
    assert.equal(scalar(defined(p.pairs.find((x) => x.key.value === 'Default')).value).value, 'a b');
  });

  it('a real template with such a description lints without a syntax error', () => {
    // From test/corpus (the full corpus's cfnlint_bad_limit_size.yaml, 767 KB, has them too: `npm run corpus`).
    const f = path.join(ROOT, 'test/corpus/cloudformation/eksworkshop_amazon-eks-nodegroup-with-mixed-instances.yml');
    const text = fs.readFileSync(f, 'utf8');
    assert.ok(parseYaml(text, { maxDepth: 500, parser: 'cst' }).errors.length > 0, 'the strict CST composer rejects it, so the file exercises the leniency');
    const { file, findings } = bounded(text, f, 3000);
    assert.equal(file.kind, 'cloudformation');
    assert.deepEqual(file.errors, []);
    assert.ok(!findings.some((x) => x.ruleId === 'syntax-error'));
  });
});

describe('robustness: a rule that throws', () => {
  const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n';

  it('is reported once as an internal finding with its id, logged once, and the other rules still run', () => {
    /** @type {Rule} */
    const boom = {
      meta: { ...RULES[0].meta, id: 'boom', appliesTo: ['cloudformation'], messages: { crash: 'before the crash' } },
      check(ctx) {
        if (ctx.family !== 'cloudformation') return;
        ctx.report({ node: defined(ctx.template.resource('Task')).key, messageId: 'crash' });
        throw new Error('kaboom');
      },
    };
    const taskRole = defined(ruleById('ecs-task-role-missing'));
    /** @type {[string, string][]} */
    const logged = [];
    const findings = lint(parseFile(text, 't.yaml'), { rules: [boom, taskRole, boom], onRuleError: (id, e) => logged.push([id, /** @type {Error} */ (e).message]) });
    const internal = findings.filter((f) => f.ruleId === INTERNAL_ERROR);
    assert.equal(internal.length, 2, 'once per run of the rule (it is listed twice here)');
    assert.ok(internal.every((f) => f.data?.rule === 'boom' && f.severity === 'warning' && /boom/.test(f.message)));
    assert.deepEqual(logged, [['boom', 'kaboom'], ['boom', 'kaboom']]);
    assert.ok(findings.some((f) => f.ruleId === 'ecs-task-role-missing'), 'the other rule ran');
  });

  it('a rule that loops into a stack overflow is isolated too', () => {
    /** @type {Rule} */
    const deep = { meta: { ...RULES[0].meta, id: 'deep', appliesTo: ['cloudformation'] }, check: () => (/** @returns {number} */ function f() { return f() + 1; })() };
    const findings = lint(parseFile(text, 't.yaml'), { rules: [deep, defined(ruleById('ecs-task-role-missing'))] });
    assert.deepEqual(findings.filter((f) => f.ruleId === INTERNAL_ERROR).map((f) => f.data?.rule), ['deep']);
    assert.ok(findings.some((f) => f.ruleId === 'ecs-task-role-missing'));
  });
});

describe('robustness: the parallel CLI', function () {
  this.timeout(60000);

  it('gives the same report on 1 and 2 threads, cross-file StorageClasses included', () => {
    const dir = path.join(ROOT, 'test/rules/k8s-rwx-on-ebs');
    const one = cli(['lint', dir, '--format', 'json', '--jobs', '1']);
    const two = cli(['lint', dir, '--format', 'json', '--jobs', '2'], { KB_HINTS_PARALLEL_MIN_BYTES: '0' });
    assert.equal(two.status, one.status, two.stderr);
    assert.equal(two.stdout, one.stdout);
    const cross = jsonFindings(two.stdout).filter((f) => path.basename(f.file) === 'fires-cross-file.yaml' && f.ruleId === 'k8s-rwx-on-ebs');
    assert.equal(cross.length, 4, 'claims whose StorageClass is in another file');
  });

  it('the same on a bigger mixed set (test/corpus), with SARIF', () => {
    const target = path.join(ROOT, 'test/corpus');
    const one = cli(['lint', target, '--format', 'sarif', '--jobs', '1']);
    const three = cli(['lint', target, '--format', 'sarif', '--jobs', '3'], { KB_HINTS_PARALLEL_MIN_BYTES: '0' });
    assert.equal(three.status, one.status, three.stderr);
    // Everything but the run's start and end times (SARIF invocations).
    const untimed = (/** @type {string} */ s) => s.replace(/"(start|end)TimeUtc": "[^"]*"/g, '"$1TimeUtc": ""');
    assert.equal(untimed(three.stdout), untimed(one.stdout));
  });

  it('--jobs must be a whole number', () => {
    const r = cli(['lint', path.join(ROOT, 'examples'), '--jobs', 'lots']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--jobs/);
  });
});
