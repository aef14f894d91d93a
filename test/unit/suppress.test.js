// @ts-check
// In-source suppressions: every form (YAML comment, CloudFormation Metadata, Kubernetes annotation),
// with a reason, without one, expired, malformed; and how the CLI reports them (SARIF suppressions,
// text hides them unless --show-suppressed, JSON `suppressed` field, exit code).
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseFile, lint, findSuppressions, PLACEHOLDER_REASON } = require('../helpers/engine');
const { tempDir } = require('../helpers/tmp');
const { jsonFindings, execFailure } = require('../helpers/cli');

/** @typedef {import('../../server/src/index').Finding} Finding */

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const TODAY = '2026-06-15';

/**
 * Parses and lints `text` (which must parse cleanly) with today = TODAY.
 * @param {string} text
 * @param {string} [uri]
 * @param {import('../../server/src/index').LintOptions} [options]
 */
function run(text, uri = 'test.yaml', options = {}) {
  const file = parseFile(text, uri);
  assert.ok(file.kind, `not recognised: ${file.skipped}`);
  assert.deepEqual(file.errors, [], 'fixture has syntax errors');
  return lint(file, { today: TODAY, ...options });
}
/** @param {Finding[]} findings @param {string} rule */
const of = (findings, rule) => findings.filter((f) => f.ruleId === rule);
/** @param {Finding[]} findings @param {string} rule */
const active = (findings, rule) => of(findings, rule).filter((f) => !f.suppressed);

/** @param {string} name @param {string} [pre] */
const TASK = (name, pre = '') => `${pre}  ${name}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - { Name: app, Image: public.ecr.aws/nginx/nginx:1.27 }
`;

describe('suppressions', () => {
  describe('YAML comments (CloudFormation)', () => {
    it('a comment on the line before the logical id suppresses the resource, with its reason', () => {
      const findings = run(`Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="batch job, no AWS calls"\n${TASK('Task')}`);
      const [f] = of(findings, 'ecs-task-role-missing');
      assert.deepEqual(f.suppressed, { kind: 'inSource', justification: 'batch job, no AWS calls' });
      assert.equal(findings.filter((x) => x.ruleId.startsWith('suppression-')).length, 0);
    });

    it('covers findings inside the resource, not other resources', () => {
      const text = `Resources:
  # kb-hints-ignore ecs-fargate-network-mode reason="migrating next sprint"
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: bridge
      Cpu: "256"
      Memory: "512"
  Other:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: bridge
      Cpu: "256"
      Memory: "512"
`;
      const findings = of(run(text), 'ecs-fargate-network-mode');
      assert.equal(findings.length, 2);
      assert.ok(findings[0].suppressed, 'the finding inside Task is suppressed');
      assert.equal(findings[1].suppressed, undefined, 'Other is not');
    });

    it('a comment on the line before a property suppresses only that line; several rule ids and stacked comments work', () => {
      const text = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      # kb-hints-ignore ecs-fargate-network-mode,ecs-task-role-missing reason="legacy"
      # (another comment in between is fine)
      NetworkMode: bridge
      Cpu: "256"
      Memory: "512"
`;
      const findings = run(text);
      assert.ok(of(findings, 'ecs-fargate-network-mode')[0].suppressed);
      // The task role finding points at the logical id, which the comment is not above.
      assert.equal(active(findings, 'ecs-task-role-missing').length, 1);
    });

    it('a trailing comment on the finding line suppresses it; a blank line breaks the link to the next line', () => {
      const trailing = `Resources:\n  Task: # kb-hints-ignore ecs-task-role-missing reason="sidecar only"\n${TASK('Task').split('\n').slice(1).join('\n')}`;
      assert.ok(of(run(trailing), 'ecs-task-role-missing')[0].suppressed);
      const blank = `Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="x"\n\n${TASK('Task')}`;
      assert.equal(active(run(blank), 'ecs-task-role-missing').length, 1);
    });

    it('a "# kb-hints-ignore" inside a quoted or block scalar is text, not a suppression', () => {
      const text = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: "x # kb-hints-ignore ecs-task-role-missing reason=no"
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/nginx/nginx:1.27
          Command:
            - |
              # kb-hints-ignore ecs-task-role-missing reason="in a script"
              echo hi
`;
      const file = parseFile(text, 't.yaml');
      assert.equal(findSuppressions(file).length, 0);
      assert.equal(active(run(text), 'ecs-task-role-missing').length, 1);
    });

    it('without a reason it still suppresses, and is reported (suppression-reason-missing, hint)', () => {
      const findings = run(`Resources:\n  # kb-hints-ignore ecs-task-role-missing\n${TASK('Task')}`);
      assert.ok(of(findings, 'ecs-task-role-missing')[0].suppressed);
      const [hint] = of(findings, 'suppression-reason-missing');
      assert.equal(hint.severity, 'hint');
      assert.match(hint.message, /no reason/);
      const file = parseFile(`Resources:\n  # kb-hints-ignore ecs-task-role-missing\n${TASK('Task')}`, 't.yaml');
      assert.equal(hint.start, file.text.indexOf('# kb-hints-ignore'), 'the hint points at the comment');
    });

    it('the placeholder reason the quick fix inserts counts as no reason', () => {
      const findings = run(`Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="${PLACEHOLDER_REASON}"\n${TASK('Task')}`);
      assert.ok(of(findings, 'ecs-task-role-missing')[0].suppressed);
      assert.equal(of(findings, 'suppression-reason-missing').length, 1);
    });

    it('an expired one stops suppressing and says so (suppression-expired); today is injectable', () => {
      const text = `Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="until the migration" until=2026-06-14\n${TASK('Task')}`;
      const expired = run(text);
      assert.equal(active(expired, 'ecs-task-role-missing').length, 1);
      const [hint] = of(expired, 'suppression-expired');
      assert.equal(hint.severity, 'hint');
      assert.match(hint.message, /expired on 2026-06-14/);
      // The last day is still covered.
      const lastDay = run(text, 'test.yaml', { today: '2026-06-14' });
      assert.deepEqual(of(lastDay, 'ecs-task-role-missing')[0].suppressed, { kind: 'inSource', justification: 'until the migration', until: '2026-06-14' });
      assert.equal(of(lastDay, 'suppression-expired').length, 0);
    });

    it('malformed ones are reported as suppression-invalid: bad date (does not suppress), unknown rule, no rule', () => {
      const badDate = run(`Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="x" until=2026-13-40\n${TASK('Task')}`);
      assert.equal(active(badDate, 'ecs-task-role-missing').length, 1);
      assert.match(of(badDate, 'suppression-invalid')[0].message, /invalid date/);
      const unknown = run(`Resources:\n  # kb-hints-ignore no-such-rule,ecs-task-role-missing reason="x"\n${TASK('Task')}`);
      assert.match(of(unknown, 'suppression-invalid')[0].message, /unknown rule: no-such-rule/);
      assert.ok(of(unknown, 'ecs-task-role-missing')[0].suppressed, 'the known id still applies');
      const none = run(`Resources:\n  # kb-hints-ignore reason="x"\n${TASK('Task')}`);
      assert.match(of(none, 'suppression-invalid')[0].message, /names no rule/);
    });

    it('suppression findings follow severity overrides (off hides them)', () => {
      const text = `Resources:\n  # kb-hints-ignore ecs-task-role-missing\n${TASK('Task')}`;
      assert.equal(of(run(text, 't.yaml', { severities: { 'suppression-reason-missing': 'off' } }), 'suppression-reason-missing').length, 0);
      assert.equal(of(run(text, 't.yaml', { severities: { 'suppression-reason-missing': 'warning' } }), 'suppression-reason-missing')[0].severity, 'warning');
    });

    it('lint({ suppress: false }) leaves findings unmarked', () => {
      const findings = run(`Resources:\n  # kb-hints-ignore ecs-task-role-missing reason="x"\n${TASK('Task')}`, 't.yaml', { suppress: false });
      assert.equal(of(findings, 'ecs-task-role-missing')[0].suppressed, undefined);
    });
  });

  describe('CloudFormation Metadata (JSON, CDK output, YAML)', () => {
    const json = (/** @type {unknown} */ ignore) => JSON.stringify({
      Resources: {
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Metadata: { 'aws:cdk:path': 'App/Task/Resource', 'kb-hints': { ignore } },
          Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'public.ecr.aws/nginx/nginx:1.27' }] },
        },
      },
    }, null, 2);

    it('with a reason', () => {
      const findings = run(json([{ rule: 'ecs-task-role-missing', reason: 'no AWS calls' }]), 'cdk.out/App.template.json');
      assert.deepEqual(of(findings, 'ecs-task-role-missing')[0].suppressed, { kind: 'inSource', justification: 'no AWS calls' });
    });

    it('without a reason (suppresses, reported) and as a bare rule id', () => {
      for (const ignore of [[{ rule: 'ecs-task-role-missing' }], ['ecs-task-role-missing']]) {
        const findings = run(json(ignore), 't.json');
        assert.ok(of(findings, 'ecs-task-role-missing')[0].suppressed);
        assert.equal(of(findings, 'suppression-reason-missing').length, 1);
      }
    });

    it('expired', () => {
      const findings = run(json([{ rule: 'ecs-task-role-missing', reason: 'x', until: '2020-01-01' }]), 't.json');
      assert.equal(active(findings, 'ecs-task-role-missing').length, 1);
      assert.equal(of(findings, 'suppression-expired').length, 1);
    });

    it('works in YAML templates too', () => {
      const text = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Metadata:
      kb-hints:
        ignore:
          - { rule: ecs-task-role-missing, reason: "no AWS calls" }
    Properties:
      ContainerDefinitions: [{ Name: app, Image: public.ecr.aws/nginx/nginx:1.27 }]
`;
      assert.ok(of(run(text), 'ecs-task-role-missing')[0].suppressed);
    });
  });

  describe('Kubernetes', () => {
    const service = (annotations = '', pre = '') => `${pre}apiVersion: v1
kind: Service
metadata:
  name: web
${annotations}spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
`;

    it('a comment before the object (also above a ---) or before the finding', () => {
      assert.ok(of(run(service('', '# kb-hints-ignore k8s-service-classic-lb reason="internal test cluster"\n')), 'k8s-service-classic-lb')[0].suppressed);
      assert.ok(of(run(`kind: ConfigMap\napiVersion: v1\nmetadata: { name: x }\n# kb-hints-ignore k8s-service-classic-lb reason="ok"\n---\n${service()}`), 'k8s-service-classic-lb')[0].suppressed);
      const before = service().replace('  type: LoadBalancer', '  # kb-hints-ignore k8s-service-classic-lb reason="ok"\n  type: LoadBalancer');
      assert.ok(of(run(before), 'k8s-service-classic-lb')[0].suppressed);
    });

    it('the annotation, with several entries separated by ;', () => {
      const findings = run(service('  annotations:\n    kb-hints.dev/ignore: "k8s-other-rule: not here; k8s-service-classic-lb: NLB comes with the ingress migration"\n'));
      assert.deepEqual(of(findings, 'k8s-service-classic-lb')[0].suppressed, { kind: 'inSource', justification: 'NLB comes with the ingress migration' });
    });

    it('the annotation without a reason, and expired', () => {
      const noReason = run(service('  annotations:\n    kb-hints.dev/ignore: "k8s-service-classic-lb"\n'));
      assert.ok(of(noReason, 'k8s-service-classic-lb')[0].suppressed);
      assert.equal(of(noReason, 'suppression-reason-missing').length, 1);
      const expired = run(service('  annotations:\n    kb-hints.dev/ignore: "k8s-service-classic-lb: later until=2026-01-01"\n'));
      assert.equal(active(expired, 'k8s-service-classic-lb').length, 1);
      assert.equal(of(expired, 'suppression-expired').length, 1);
    });

    it('findSuppressions lists every form with rules, reason and expiry', () => {
      const text = service('  annotations:\n    kb-hints.dev/ignore: "a-rule: one; b-rule: two until=2030-01-01"\n', '# kb-hints-ignore c-rule reason="three"\n');
      const file = parseFile(text, 'k.yaml');
      const list = findSuppressions(file).map((s) => ({ form: s.form, rules: s.rules, reason: s.reason, until: s.until }));
      assert.deepEqual(list, [
        { form: 'comment', rules: ['c-rule'], reason: 'three', until: undefined },
        { form: 'annotation', rules: ['a-rule'], reason: 'one', until: undefined },
        { form: 'annotation', rules: ['b-rule'], reason: 'two', until: '2030-01-01' },
      ]);
    });
  });

  describe('CLI', () => {
    /** @type {import('../helpers/tmp').TempDir} */
    let tmp;
    before(() => {
      tmp = tempDir({
        'suppressed.yaml': `Resources:\n  # kb-hints-ignore ecs-fargate-network-mode reason="migrating in Q3"\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: arn:aws:iam::123456789012:role/app\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/exec\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: bridge\n      Cpu: "256"\n      Memory: "512"\n`,
      });
    });
    after(() => tmp.cleanup());

    /** @param {string[]} args */
    const cli = (...args) => {
      try {
        return { out: execFileSync(process.execPath, [CLI, 'lint', ...args], { cwd: tmp.dir, encoding: 'utf8' }), code: 0 };
      } catch (e) {
        const { stdout, status } = execFailure(e);
        return { out: stdout, code: status };
      }
    };

    it('SARIF marks suppressed results with suppressions instead of dropping them', () => {
      const { out } = cli('suppressed.yaml', '-f', 'sarif');
      /** @type {{ ruleId: string, suppressions?: unknown[] }[]} */
      const all = JSON.parse(out).runs[0].results;
      const results = all.filter((r) => r.ruleId === 'ecs-fargate-network-mode');
      assert.equal(results.length, 1);
      assert.deepEqual(results[0].suppressions, [{ kind: 'inSource', justification: 'migrating in Q3' }]);
    });

    it('text hides suppressed findings unless --show-suppressed, and they do not fail the run', () => {
      const plain = cli('suppressed.yaml', '--no-color');
      assert.equal(plain.code, 0, 'the only error-level finding is suppressed');
      assert.doesNotMatch(plain.out, /ecs-fargate-network-mode/);
      assert.match(plain.out, /1 suppressed/);
      const shown = cli('suppressed.yaml', '--no-color', '--show-suppressed');
      assert.match(shown.out, /suppressed ecs-fargate-network-mode .*\[reason: migrating in Q3\]/);
    });

    it('JSON includes a suppressed field on every finding', () => {
      const list = jsonFindings(cli('suppressed.yaml', '-f', 'json').out);
      const f = list.find((x) => x.ruleId === 'ecs-fargate-network-mode');
      assert.deepEqual(f?.suppressed, { kind: 'inSource', justification: 'migrating in Q3' });
      assert.ok(list.every((x) => 'suppressed' in x));
    });
  });
});
