// @ts-check
// Quick fixes: each one is offered where it applies, applies as text edits that keep the file's layout,
// indentation, quoting and comments, leaves a file that parses (our parser, and a strict YAML/JSON
// parser), and re-lints clean for the finding it fixes.
const assert = require('node:assert/strict');
const YAML = require('yaml');
const { parseFile, lint, fixesFor, applyEdits, ruleById, at, str, templateOf, PLACEHOLDER_REASON } = require('../helpers/engine');
const { defined } = require('../helpers/expect');

const TODAY = '2026-06-15';

/** Findings of a rule that are not suppressed. @param {string} text @param {string} uri @param {string} ruleId */
function findingsOf(text, uri, ruleId) {
  return lint(parseFile(text, uri), { today: TODAY }).filter((f) => f.ruleId === ruleId && !f.suppressed);
}

/** Checks that edited text is valid YAML or JSON for a strict parser too. @param {string} text @param {string} uri */
function assertValid(text, uri) {
  const file = parseFile(text, uri);
  assert.ok(file.kind, `no longer recognised: ${file.skipped}`);
  assert.deepEqual(file.errors, [], `syntax errors after the fix:\n${text}`);
  if (/\.json$/.test(uri)) JSON.parse(text);
  else for (const doc of YAML.parseAllDocuments(text, { prettyErrors: false })) assert.deepEqual(doc.errors.map((e) => e.message), [], text);
  return file;
}

/**
 * Lints `text`, takes the finding of `ruleId` (the first, or the one for `resource`), asks for its fixes,
 * applies the one whose title matches `title`, and checks that the result parses and that the finding
 * is gone. Returns the edited text and the fixes offered.
 * @param {string} text
 * @param {string} uri
 * @param {string} ruleId
 * @param {string | RegExp} title
 * @param {{ resource?: string }} [options]
 */
function fix(text, uri, ruleId, title, { resource } = {}) {
  assert.ok(ruleById(ruleId), `rule ${ruleId} is registered`);
  const before = findingsOf(text, uri, ruleId);
  const finding = resource ? before.find((f) => f.data?.resource === resource) : before[0];
  assert.ok(finding, `the fixture fires ${ruleId}`);
  const file = parseFile(text, uri);
  const fixes = fixesFor(file, finding);
  const chosen = fixes.find((f) => (typeof title === 'string' ? f.title.startsWith(title) : title.test(f.title)));
  assert.ok(chosen, `no fix titled ${title}; offered: ${fixes.map((f) => f.title).join(' | ')}`);
  const out = applyEdits(text, chosen.edits);
  assertValid(out, uri);
  const after = findingsOf(out, uri, ruleId);
  assert.equal(after.length, before.length - 1, `the finding is gone after "${chosen.title}":\n${out}`);
  if (resource) assert.ok(!after.some((f) => f.data?.resource === resource));
  return { out, fixes, chosen };
}

const titles = (/** @type {string} */ text, /** @type {string} */ uri, /** @type {string} */ ruleId) => {
  const file = parseFile(text, uri);
  const f = lint(file, { today: TODAY }).find((x) => x.ruleId === ruleId);
  return fixesFor(file, defined(f, `a finding of ${ruleId}`)).map((x) => x.title);
};

describe('quick fixes', () => {
  describe('ecs-task-role-missing: add a task role', () => {
    const yaml = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # The web tier
  AppTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app   # keep this comment
      ContainerDefinitions:
        - Name: app
          Image: 'public.ecr.aws/nginx/nginx:1.27'

  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref AppTask
`;

    it('YAML: a new role after the task definition, with a short-tag GetAtt, keeping comments and blank lines', () => {
      const { out, chosen } = fix(yaml, 't.yaml', 'ecs-task-role-missing', 'Add a task role: new IAM role AppTaskRole');
      assert.equal(chosen.preferred, true);
      assert.equal(out, yaml.replace(
        "          Image: 'public.ecr.aws/nginx/nginx:1.27'\n\n",
        `          Image: 'public.ecr.aws/nginx/nginx:1.27'
      TaskRoleArn: !GetAtt AppTaskRole.Arn

  AppTaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs-tasks.amazonaws.com
            Action: sts:AssumeRole

`,
      ));
      const tpl = defined(templateOf(parseFile(out, 't.yaml')));
      assert.equal(defined(tpl.resource('AppTaskRole')).type, 'AWS::IAM::Role');
    });

    it('JSON: the long form {"Fn::GetAtt": [...]} with correct commas, in the file\'s indentation', () => {
      const json = JSON.stringify({ Resources: { AppTask: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'app' } }, Repo: { Type: 'AWS::S3::Bucket' } } }, null, 4);
      const { out } = fix(json, 't.json', 'ecs-task-role-missing', 'Add a task role');
      const parsed = JSON.parse(out);
      assert.deepEqual(parsed.Resources.AppTask.Properties.TaskRoleArn, { 'Fn::GetAtt': ['AppTaskRole', 'Arn'] });
      assert.deepEqual(Object.keys(parsed.Resources), ['AppTask', 'AppTaskRole', 'Repo']);
      assert.deepEqual(parsed.Resources.AppTaskRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'ecs-tasks.amazonaws.com' });
      assert.match(out, /\n {8}"AppTaskRole": \{\n {12}"Type": "AWS::IAM::Role"/);
      // The last resource too (no comma after the inserted one).
      const last = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: {} } } }, null, 2);
      const r = fix(last, 't.json', 'ecs-task-role-missing', 'Add a task role');
      assert.deepEqual(JSON.parse(r.out).Resources.Task.Properties, { TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } });
    });

    it('a task definition without Properties, in flow style, with 4-space indentation, or with a NoValue role', () => {
      const noProps = 'Resources:\n    Task:\n        Type: AWS::ECS::TaskDefinition\n';
      assert.match(fix(noProps, 't.yaml', 'ecs-task-role-missing', 'Add a task role').out, /^ {8}Properties:\n {12}TaskRoleArn: !GetAtt TaskRole\.Arn\n {4}TaskRole:\n {8}Type: AWS::IAM::Role\n/m);
      const flow = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties: { Family: app }\n';
      assert.match(fix(flow, 't.yaml', 'ecs-task-role-missing', 'Add a task role').out, /Properties: \{ Family: app, TaskRoleArn: !GetAtt TaskRole\.Arn \}/);
      const noValue = 'Conditions:\n  C: !Equals [a, b]\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n      Family: app\n';
      assert.match(fix(noValue, 't.yaml', 'ecs-task-role-missing', 'Add a task role').out, /TaskRoleArn: !GetAtt TaskRole\.Arn\n {6}Family: app\n/);
    });

    it('keeps CRLF line endings and picks a free name', () => {
      const crlf = 'Resources:\r\n  App:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\r\n      Family: app\r\n  AppTaskRole:\r\n    Type: AWS::SNS::Topic\r\n';
      const { out } = fix(crlf, 't.yaml', 'ecs-task-role-missing', 'Add a task role: new IAM role AppTaskRole2');
      assert.ok(!/[^\r]\n/.test(out), 'only CRLF line breaks');
    });

    it('is not the preferred fix (so --fix leaves it) where an empty role would deny calls or Windows needs its agent set up first', () => {
      const task = (/** @type {string} */ props, /** @type {string} */ container) => `Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n${props}      ContainerDefinitions:\n        - ${container}\n`;
      const offered = (/** @type {string} */ text) => {
        const file = parseFile(text, 't.yaml');
        const f = defined(lint(file, { today: TODAY }).find((x) => x.ruleId === 'ecs-task-role-missing'), 'a task role finding');
        const [first] = fixesFor(file, f);
        return { messageId: f.messageId, message: f.message, title: first.title, preferred: first.preferred };
      };
      // Public image, no sign of AWS calls: the empty role only stops the fallback, preferred.
      assert.deepEqual(offered(task('', '{ Name: web, Image: public.ecr.aws/nginx/nginx:1.27 }')), { messageId: 'instanceMetadata', message: 'Task definition AppTask can reach the instance role: block its access to instance metadata', title: 'Add a task role: new IAM role AppTaskRole for AppTask', preferred: true });
      // An AWS CLI container on EC2 works through the instance role today.
      const cli = offered(task('', '{ Name: cli, Image: public.ecr.aws/aws-cli/aws-cli:2.17.0 }'));
      assert.equal(cli.messageId, 'awsCalls');
      assert.equal(cli.preferred, false);
      assert.equal(cli.title, 'Add a task role: new IAM role AppTaskRole for AppTask (no policies yet: grant what its containers call)');
      // The team's own image may call AWS through the instance role.
      assert.equal(offered(task('', '{ Name: app, Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1" }')).preferred, false);
      const windows = offered(task('      RuntimePlatform: { OperatingSystemFamily: WINDOWS_SERVER_2019_FULL }\n', '{ Name: web, Image: mcr.microsoft.com/windows/servercore/iis }'));
      assert.deepEqual(windows, { messageId: 'instanceMetadata', message: 'Task definition AppTask can reach the instance role: give it a task role (Windows agent: -EnableTaskIAMRole)', title: 'Add a task role: new IAM role AppTaskRole for AppTask (start the Windows agent with -EnableTaskIAMRole first)', preferred: false });
    });

    it('offers an existing task role that no other task definition uses, never an execution role or a shared one', () => {
      const text = `Resources:
  Api:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: !GetAtt ExecRole.Arn
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt WorkerRole.Arn
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: [ecs-tasks.amazonaws.com] }, Action: sts:AssumeRole }]
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: ecs-tasks.amazonaws.com }, Action: sts:AssumeRole }]
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: ecs-tasks.amazonaws.com }, Action: sts:AssumeRole }]
  LambdaRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
`;
      const offered = titles(text, 't.yaml', 'ecs-task-role-missing');
      assert.ok(offered.includes('Use the existing role ApiRole as the task role of Api'), offered.join(' | '));
      assert.ok(!offered.some((t) => /WorkerRole|ExecRole|LambdaRole/.test(t)), offered.join(' | '));
      const { out } = fix(text, 't.yaml', 'ecs-task-role-missing', 'Use the existing role ApiRole');
      assert.match(out, /ExecutionRoleArn: !GetAtt ExecRole\.Arn\n {6}TaskRoleArn: !GetAtt ApiRole\.Arn\n/);
    });
  });

  describe('ecs-fargate-network-mode: NetworkMode awsvpc', () => {
    const task = (/** @type {string} */ mode) => `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
${mode}      Cpu: "256"
      Memory: "512"
`;
    it('replaces a wrong mode in place, keeping the trailing comment', () => {
      const { out } = fix(task('      NetworkMode: bridge  # from the EC2 days\n'), 't.yaml', 'ecs-fargate-network-mode', 'Set NetworkMode: awsvpc');
      assert.match(out, /\n {6}NetworkMode: awsvpc  # from the EC2 days\n/);
    });
    it('adds it when missing (YAML and JSON)', () => {
      assert.match(fix(task(''), 't.yaml', 'ecs-fargate-network-mode', 'Set NetworkMode').out, /Memory: "512"\n {6}NetworkMode: awsvpc\n$/);
      const json = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], Cpu: '256', Memory: '512' } } } }, null, 2);
      assert.equal(JSON.parse(fix(json, 't.json', 'ecs-fargate-network-mode', 'Set NetworkMode').out).Resources.Task.Properties.NetworkMode, 'awsvpc');
    });
  });

  describe('ecs-fargate-task-size: a valid Cpu/Memory pair', () => {
    const task = (/** @type {string} */ cpu, /** @type {string} */ mem) => `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
${cpu}${mem}`;
    it('offers the nearest valid Memory for the Cpu, keeping the quoting', () => {
      const { out, chosen } = fix(task('      Cpu: "1024"\n', '      Memory: "1500"\n'), 't.yaml', 'ecs-fargate-task-size', 'Set Memory to 2048 MiB');
      assert.equal(chosen.preferred, true);
      assert.match(out, /Memory: "2048"\n/);
      assert.match(fix(task('      Cpu: 256\n', '      Memory: 4096\n'), 't.yaml', 'ecs-fargate-task-size', 'Set Memory to 2048').out, /Memory: 2048\n/);
      assert.match(fix(task("      Cpu: '1 vCPU'\n", "      Memory: '9 GB'\n"), 't.yaml', 'ecs-fargate-task-size', 'Set Memory to 8192').out, /Memory: '8 GB'\n/);
    });
    it('also offers the smallest Cpu that allows the Memory', () => {
      assert.match(fix(task('      Cpu: "256"\n', '      Memory: "4096"\n'), 't.yaml', 'ecs-fargate-task-size', 'Set Cpu to 512').out, /Cpu: "512"\n/);
    });
    it('fills a missing Memory, and fixes an unsupported Cpu (JSON)', () => {
      assert.match(fix(task('      Cpu: "512"\n', ''), 't.yaml', 'ecs-fargate-task-size', 'Set Memory to 1024').out, /Memory: "1024"\n$/);
      const json = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '300', Memory: '512' } } } }, null, 2);
      const props = JSON.parse(fix(json, 't.json', 'ecs-fargate-task-size', 'Set Cpu to 256').out).Resources.Task.Properties;
      assert.deepEqual([props.Cpu, props.Memory], ['256', '512']);
    });
    it('is not offered when Cpu comes from a parameter', () => {
      const text = `Parameters:\n  Size: { Type: String }\n${task('      Cpu: !Ref Size\n', '      Memory: "999"\n')}`;
      const file = parseFile(text, 't.yaml');
      const f = { ruleId: 'ecs-fargate-task-size', start: text.indexOf('Task:'), end: text.indexOf('Task:') + 4, data: { fix: 'set-memory', memory: '1024', resource: 'Task' } };
      assert.deepEqual(fixesFor(file, f, { suppress: false }), []);
    });
  });

  describe('ECR repositories', () => {
    const repo = (/** @type {string} */ props) => `Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n${props}`;

    it('ecr-scan-on-push-disabled: adds ImageScanningConfiguration, or flips ScanOnPush', () => {
      assert.match(fix(repo(''), 't.yaml', 'ecr-scan-on-push-disabled', 'Scan images on push').out, /RepositoryName: app\n {6}ImageScanningConfiguration:\n {8}ScanOnPush: true\n$/);
      assert.match(fix(repo('      ImageScanningConfiguration:\n        ScanOnPush: false # TODO\n'), 't.yaml', 'ecr-scan-on-push-disabled', 'Scan images on push').out, /ScanOnPush: true # TODO\n/);
      const json = '{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "app"}}}}';
      const out = fix(json, 't.json', 'ecr-scan-on-push-disabled', 'Scan images on push').out;
      assert.equal(out, '{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "app", "ImageScanningConfiguration": {"ScanOnPush": true}}}}}');
    });

    it('ecr-tags-mutable: IMMUTABLE, keeping quotes', () => {
      assert.match(fix(repo(''), 't.yaml', 'ecr-tags-mutable', 'Make image tags immutable').out, /ImageTagMutability: IMMUTABLE\n$/);
      assert.match(fix(repo('      ImageTagMutability: "MUTABLE"\n'), 't.yaml', 'ecr-tags-mutable', 'Make image tags immutable').out, /ImageTagMutability: "IMMUTABLE"\n/);
    });

    it('ecr-lifecycle-policy-missing: a policy that expires untagged images after 14 days (YAML block, JSON string)', () => {
      const { out } = fix(repo(''), 't.yaml', 'ecr-lifecycle-policy-missing', 'Add a lifecycle policy');
      assert.match(out, /LifecyclePolicy:\n {8}LifecyclePolicyText: \|\n {10}\{\n/);
      const text = str(at(defined(defined(templateOf(parseFile(out, 't.yaml'))).resource('Repo')).properties, 'LifecyclePolicy', 'LifecyclePolicyText'));
      const policy = JSON.parse(defined(text));
      assert.deepEqual(policy.rules[0].selection, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 });
      assert.deepEqual(policy.rules[0].action, { type: 'expire' });
      const json = JSON.stringify({ Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'app' } } } }, null, 2);
      const parsed = JSON.parse(fix(json, 't.json', 'ecr-lifecycle-policy-missing', 'Add a lifecycle policy').out);
      assert.equal(JSON.parse(parsed.Resources.Repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules[0].selection.countNumber, 14);
      // Flow-style properties get a one-line policy text.
      const flow = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties: { RepositoryName: app }\n';
      assert.match(fix(flow, 't.yaml', 'ecr-lifecycle-policy-missing', 'Add a lifecycle policy').out, /LifecyclePolicy: \{ LifecyclePolicyText: '\{"rules":\[/);
    });

    it('never overwrites an existing lifecycle policy text', () => {
      const text = repo('      LifecyclePolicy:\n        LifecyclePolicyText: \'{"rules":[]}\'\n');
      const at0 = text.indexOf('Repo:');
      assert.deepEqual(fixesFor(parseFile(text, 't.yaml'), { ruleId: 'ecr-lifecycle-policy-missing', start: at0, end: at0 + 4, data: { fix: 'lifecycle-policy', resource: 'Repo' } }, { suppress: false }), []);
    });
  });

  describe('Kubernetes', () => {
    const service = (/** @type {string} */ metadata) => `apiVersion: v1
kind: Service
metadata:
${metadata}spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
`;

    it('k8s-service-classic-lb: adds the AWS Load Balancer Controller NLB annotations', () => {
      const { out } = fix(service('  name: web # the front door\n'), 'svc.yaml', 'k8s-service-classic-lb', 'Use a Network Load Balancer');
      assert.equal(out, service(`  name: web # the front door
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
`));
    });

    it('k8s-service-classic-lb: joins existing annotations, keeps an internal load balancer internal', () => {
      const { out, fixes } = fix(service('  name: web\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n    team: web\n'), 'svc.yaml', 'k8s-service-classic-lb', /Controller annotations, internal/);
      // The cluster is not known: neither is applied unasked (the controller's annotations need the controller).
      assert.deepEqual(fixes.filter((f) => !/^Suppress/.test(f.title)).map((f) => [f.title, !!f.preferred]), [
        ['Use a Network Load Balancer (AWS Load Balancer Controller annotations, internal, needs the controller installed)', false],
        ['Use a Network Load Balancer from the legacy controller (aws-load-balancer-type: nlb, instance targets, internal)', false],
      ]);
      const legacy = fix(service('  name: web\n'), 'svc.yaml', 'k8s-service-classic-lb', /legacy controller/).out;
      assert.match(legacy, /annotations:\n {4}service\.beta\.kubernetes\.io\/aws-load-balancer-type: nlb\n/);
      assert.match(out, /team: web\n {4}service\.beta\.kubernetes\.io\/aws-load-balancer-type: external\n.*\n {4}service\.beta\.kubernetes\.io\/aws-load-balancer-scheme: internal\n/);
      const second = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n---\n${service('  name: web\n  labels: { app: web }\n')}`;
      fix(second, 'svc.yaml', 'k8s-service-classic-lb', 'Use a Network Load Balancer');
    });

    it('k8s-in-tree-ebs: a class the EBS CSI driver accepts (zones to allowedTopologies, fsType renamed, type kept, quotes kept)', () => {
      const sc = (/** @type {string} */ rest, provisioner = '"kubernetes.io/aws-ebs"') => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\nprovisioner: ${provisioner}\n${rest}`;
      const csi = '"ebs.csi.aws.com"';
      const gp2 = fix(sc('parameters:\n  type: gp2\n  fsType: ext4\n'), 'sc.yaml', 'k8s-in-tree-ebs', 'Switch the provisioner');
      assert.equal(gp2.out, sc('parameters:\n  type: gp2\n  csi.storage.k8s.io/fstype: ext4\n', csi));
      assert.match(gp2.chosen.title, /type gp2 kept; fsType as csi\.storage\.k8s\.io\/fstype/);
      // No type: nothing is written, the title says the driver's default.
      const none = fix(sc('reclaimPolicy: Retain\n'), 'sc.yaml', 'k8s-in-tree-ebs', 'Switch the provisioner');
      assert.equal(none.out, sc('reclaimPolicy: Retain\n', csi));
      assert.match(none.chosen.title, /type gp3 by default/);
      // Zones leave the parameters (block and flow maps) for allowedTopologies.
      const zones = fix(sc('parameters:\n  type: io1\n  zones: us-east-1a, us-east-1b\n  iopsPerGB: "10"\n'), 'sc.yaml', 'k8s-in-tree-ebs', 'Switch the provisioner');
      assert.equal(zones.out, sc('parameters:\n  type: io1\n  iopsPerGB: "10"\nallowedTopologies:\n  - matchLabelExpressions:\n      - key: topology.kubernetes.io/zone\n        values: [us-east-1a, us-east-1b]\n', csi));
      const flow = fix(sc('parameters: { type: io1, zone: us-east-1d, iopsPerGB: "10" }\n'), 'sc.yaml', 'k8s-in-tree-ebs', 'Switch the provisioner');
      assert.match(flow.out, /parameters: \{ type: io1, iopsPerGB: "10" \}\nallowedTopologies:/);
      // A parameter the driver has no equivalent for, or zones beside allowedTopologies: no fix.
      const offered = (/** @type {string} */ text) => titles(text, 'sc.yaml', 'k8s-in-tree-ebs').filter((t) => t.startsWith('Switch'));
      assert.deepEqual(offered(sc('parameters:\n  type: gp2\n  replicas: "2"\n')), []);
      assert.deepEqual(offered(sc('parameters:\n  zone: us-east-1a\nallowedTopologies: []\n')), []);
    });
  });

  describe('Suppress with a reason', () => {
    /** @param {string} text @param {string} uri @param {string} ruleId @param {string | RegExp} title */
    function suppress(text, uri, ruleId, title) {
      const before = findingsOf(text, uri, ruleId);
      const file = parseFile(text, uri);
      const fixes = fixesFor(file, before[0]);
      const chosen = fixes.find((f) => (typeof title === 'string' ? f.title.startsWith(title) : title.test(f.title)));
      assert.ok(chosen, `no fix titled ${title}; offered: ${fixes.map((f) => f.title).join(' | ')}`);
      const out = applyEdits(text, chosen.edits);
      assertValid(out, uri);
      assert.equal(out.slice(defined(chosen.select).start, defined(chosen.select).end), PLACEHOLDER_REASON, 'the placeholder reason is selected');
      const after = lint(parseFile(out, uri), { today: TODAY });
      assert.equal(after.filter((f) => f.ruleId === ruleId && !f.suppressed).length, before.length - 1, out);
      assert.equal(after.filter((f) => f.ruleId === 'suppression-reason-missing').length, 1, 'the placeholder asks for a reason');
      return out;
    }
    const cfn = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: bridge
      Cpu: "256"
      Memory: "512"
`;

    it('YAML CloudFormation: a comment before the finding line, or before the resource', () => {
      assert.match(suppress(cfn, 't.yaml', 'ecs-fargate-network-mode', 'Suppress ecs-fargate-network-mode on this line'), /\n {6}# kb-hints-ignore ecs-fargate-network-mode reason="TODO: why"\n {6}NetworkMode: bridge\n/);
      assert.match(suppress(cfn, 't.yaml', 'ecs-fargate-network-mode', 'Suppress ecs-fargate-network-mode for resource Task'), /^Resources:\n {2}# kb-hints-ignore ecs-fargate-network-mode reason="TODO: why"\n {2}Task:\n/);
      assert.match(suppress(cfn, 't.yaml', 'ecs-task-role-missing', 'Suppress ecs-task-role-missing for resource Task'), /^Resources:\n {2}# kb-hints-ignore ecs-task-role-missing /);
    });

    it('JSON: resource Metadata, added or appended; CDK output: no edit (every synth rewrites it)', () => {
      const cdkJson = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Metadata: { 'aws:cdk:path': 'App/Task/Resource' }, Properties: { Family: 'x' } } } }, null, 2);
      assert.deepEqual(fixesFor(parseFile(cdkJson, 'App.template.json'), findingsOf(cdkJson, 'App.template.json', 'ecs-task-role-missing')[0]), []);
      const json = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Metadata: { Owner: 'app' }, Properties: { Family: 'x' } } } }, null, 2);
      const out = suppress(json, 'App.template.json', 'ecs-task-role-missing', /^Suppress ecs-task-role-missing for resource Task \(Metadata with a reason\)$/);
      assert.deepEqual(JSON.parse(out).Resources.Task.Metadata['kb-hints'], { ignore: [{ rule: 'ecs-task-role-missing', reason: PLACEHOLDER_REASON }] });
      const existing = JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Metadata: { 'kb-hints': { ignore: [{ rule: 'other-rule', reason: 'x' }] } }, Properties: { Family: 'x' } } } }, null, 2);
      const out2 = suppress(existing, 't.json', 'ecs-task-role-missing', 'Suppress ecs-task-role-missing for resource Task');
      assert.equal(JSON.parse(out2).Resources.Task.Metadata['kb-hints'].ignore.length, 2);
    });

    it('Kubernetes: a comment, or the annotation (added, or appended with ;)', () => {
      const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports: [{ port: 80 }]\n';
      assert.match(suppress(svc, 's.yaml', 'k8s-service-classic-lb', 'Suppress k8s-service-classic-lb on this line'), /spec:\n {2}# kb-hints-ignore k8s-service-classic-lb reason="TODO: why"\n {2}type: LoadBalancer/);
      assert.match(suppress(svc, 's.yaml', 'k8s-service-classic-lb', 'Suppress k8s-service-classic-lb for Service web (comment'), /^# kb-hints-ignore k8s-service-classic-lb reason="TODO: why"\napiVersion: v1\n/);
      assert.match(suppress(svc, 's.yaml', 'k8s-service-classic-lb', /annotation kb-hints/), /name: web\n {2}annotations:\n {4}kb-hints\.dev\/ignore: "k8s-service-classic-lb: TODO: why"\n/);
      const annotated = svc.replace('  name: web\n', "  name: web\n  annotations:\n    kb-hints.dev/ignore: 'other-rule: not relevant'\n");
      assert.match(suppress(annotated, 's.yaml', 'k8s-service-classic-lb', /annotation kb-hints/), /kb-hints\.dev\/ignore: 'other-rule: not relevant; k8s-service-classic-lb: TODO: why'/);
      const json = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } }, null, 2);
      const out = suppress(json, 's.json', 'k8s-service-classic-lb', /annotation kb-hints/);
      assert.equal(JSON.parse(out).metadata.annotations['kb-hints.dev/ignore'], 'k8s-service-classic-lb: TODO: why');
    });

    it('is the only fix for rules without one, and is not offered for syntax errors or suppression findings', () => {
      const lb = 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners: [{ LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP }]\n';
      assert.deepEqual(titles(lb, 't.yaml', 'elb-classic-not-recommended'), ['Suppress elb-classic-not-recommended for resource Lb (comment with a reason)']);
      const broken = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {\n';
      const file = parseFile(broken, 't.yaml');
      const syntax = lint(file).find((f) => f.ruleId === 'syntax-error');
      assert.deepEqual(fixesFor(file, defined(syntax)), []);
      const noReason = `Resources:\n  # kb-hints-ignore ecs-task-role-missing\n${cfn.split('\n').slice(1).join('\n')}`;
      const f2 = parseFile(noReason, 't.yaml');
      assert.deepEqual(fixesFor(f2, defined(lint(f2, { today: TODAY }).find((f) => f.ruleId === 'suppression-reason-missing'))), []);
    });
  });

  it('a fix that cannot be written safely is not offered (Properties through an alias)', () => {
    const text = 'Shared: &props\n  Family: app\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties: *props\n';
    const at0 = text.indexOf('Task:');
    const offered = fixesFor(parseFile(text, 't.yaml'), { ruleId: 'ecs-task-role-missing', start: at0, end: at0 + 4, data: { fix: 'add-task-role', resource: 'Task' } }, { suppress: false });
    assert.deepEqual(offered, []);
  });

  it('nothing is offered for ECS API task definition JSON (read through a synthetic view)', () => {
    const text = JSON.stringify({ family: 'web', requiresCompatibilities: ['FARGATE'], networkMode: 'bridge', cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27' }] }, null, 2);
    const file = parseFile(text, 'taskdef.json');
    if (file.kind !== 'ecs-taskdef') return; // the kind exists only once the task definition reader is in
    const findings = lint(file, { today: TODAY });
    assert.ok(findings.length > 0);
    for (const f of findings) assert.deepEqual(fixesFor(file, f), [], f.ruleId);
  });

  it('fixes work from the rule id alone when a finding carries no data', () => {
    const text = 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n';
    const at0 = text.indexOf('Repo:');
    const offered = fixesFor(parseFile(text, 't.yaml'), { ruleId: 'ecr-tags-mutable', start: at0, end: at0 + 4 }, { suppress: false });
    assert.equal(offered.length, 1);
    assert.match(applyEdits(text, offered[0].edits), /ImageTagMutability: IMMUTABLE/);
  });
});
