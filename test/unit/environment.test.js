// @ts-check
// The declared and detected environment: `.kbhints.yaml` `environment:` (schema, errors, merging), what
// the workspace shows (Auto Mode clusters, the Load Balancer Controller, Fargate profiles, registry
// scanning), declared over detected, and how findings that depend on it change (severity, detail).
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tempDir } = require('../helpers/tmp');
const { defined } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Environment} Environment */
/** @typedef {import('../helpers/cli').JsonFinding} JsonFinding */
const { parseConfig, ConfigLoader, parseFile, lint, RULES, WorkspaceIndex, mergeEnvironments } = require('../helpers/engine');

const ROOT = path.resolve('/repo');
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports: [{ port: 80 }]\n';
const classicLb = RULES.filter((r) => r.meta.id === 'k8s-service-classic-lb');

/** @param {Record<string, string>} files @param {string} target @param {Environment} [environment] */
function lintWorkspace(files, target, environment) {
  const workspace = new WorkspaceIndex();
  const parsed = Object.entries(files).map(([name, text]) => parseFile(text, name));
  for (const f of parsed) workspace.update(f);
  const file = defined(parsed.find((f) => f.uri === target), target);
  return lint(file, { rules: RULES, workspace, environment });
}

describe('environment', () => {
  describe('.kbhints.yaml environment section', () => {
    it('reads every trait, and records where it was declared', () => {
      const { config, errors } = parseConfig('environment:\n  eks:\n    loadBalancerController: true\n    autoMode: false\n    fargateNamespaces: [batch, jobs-2]\n  ecr:\n    registryScanning: true\n', '/repo/.kbhints.yaml');
      assert.deepEqual(errors, []);
      assert.deepEqual(config.environment?.eks, { loadBalancerController: true, autoMode: false, fargateNamespaces: ['batch', 'jobs-2'] });
      assert.deepEqual(config.environment?.ecr, { registryScanning: true });
      assert.equal(config.environment?.origins?.['eks.autoMode'], 'declared in /repo/.kbhints.yaml');
    });

    it('explains entries that do not fit the schema and keeps the valid ones', () => {
      const { config, errors } = parseConfig('environment:\n  eks:\n    autoMode: yes\n    loadBalancer: true\n    fargateNamespaces: [Batch, ok]\n    loadBalancerController: true\n  ecs: {}\n');
      assert.deepEqual(errors, [
        'environment.eks.autoMode: expected true or false, got yes',
        "environment.eks: unknown key 'loadBalancer' (expected loadBalancerController, autoMode, fargateNamespaces)",
        "environment.eks.fargateNamespaces: 'Batch' is not a namespace name (lower-case letters, digits and '-')",
        "environment: unknown section 'ecs' (expected eks, ecr)",
      ]);
      assert.deepEqual(config.environment?.eks, { fargateNamespaces: ['ok'], loadBalancerController: true });
      assert.deepEqual(parseConfig('environment: true\n').errors, ['environment: expected a mapping with eks, ecr']);
      assert.deepEqual(parseConfig('environment:\n').errors, []);
      assert.deepEqual(parseConfig('environment:\n  eks:\n    fargateNamespaces: batch\n').errors, ['environment.eks.fargateNamespaces: expected a list of namespace names, got batch']);
    });

    it('merges up the folder tree trait by trait, the nearer file first; errors name the file', () => {
      const files = {
        [path.join(ROOT, '.kbhints.yaml')]: 'environment:\n  eks: { loadBalancerController: true, autoMode: false }\n',
        [path.join(ROOT, 'other/.kbhints.yaml')]: 'environment:\n  eks: { autoMode: true, oops: 1 }\n',
      };
      const loader = new ConfigLoader((/** @type {string} */ p) => files[p]);
      const c = loader.forFile(path.join(ROOT, 'other/svc.yaml'));
      assert.deepEqual(c.environment.eks, { loadBalancerController: true, autoMode: true });
      assert.equal(c.environment.origins?.['eks.autoMode'], `declared in ${path.join(ROOT, 'other/.kbhints.yaml')}`);
      assert.match(c.errors[0], /other\/\.kbhints\.yaml: environment\.eks: unknown key 'oops'/);
      assert.deepEqual(loader.forFile(path.join(ROOT, 'svc.yaml')).environment.eks, { loadBalancerController: true, autoMode: false });
    });
  });

  describe('detection from the workspace', () => {
    const detect = (/** @type {Record<string, string>} */ files) => {
      const ws = new WorkspaceIndex();
      for (const [name, text] of Object.entries(files)) ws.update(parseFile(text, name));
      return ws;
    };

    it('finds Auto Mode clusters, Fargate namespaces and registry scanning in templates', () => {
      const ws = detect({
        'eks.yaml': 'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      ComputeConfig: { Enabled: true }\n  Profile:\n    Type: AWS::EKS::FargateProfile\n    Properties:\n      Selectors: [{ Namespace: batch }, { Namespace: mixed, Labels: [{ Key: a, Value: b }] }]\n  Scanning:\n    Type: AWS::ECR::RegistryScanningConfiguration\n    Properties:\n      ScanType: ENHANCED\n      Rules: [{ ScanFrequency: CONTINUOUS_SCAN, RepositoryFilters: [{ Filter: "*", FilterType: WILDCARD }] }]\n',
      });
      const env = ws.detectedEnvironment();
      assert.deepEqual(env.eks, { autoMode: true, fargateNamespaces: ['batch'] });
      assert.deepEqual(env.ecr, { registryScanning: true });
      assert.match(env.origins?.['eks.fargateNamespaces'] ?? '', /AWS::EKS::FargateProfile Profile in eks\.yaml/);
    });

    it('counts Auto Mode only when every cluster has it', () => {
      const auto = 'Resources:\n  A:\n    Type: AWS::EKS::Cluster\n    Properties:\n      ComputeConfig: { Enabled: true }\n';
      const plain = 'Resources:\n  B:\n    Type: AWS::EKS::Cluster\n    Properties:\n      Version: "1.33"\n';
      assert.equal(detect({ 'a.yaml': auto, 'b.yaml': plain }).detectedEnvironment().eks?.autoMode, undefined);
      const ws = detect({ 'a.yaml': auto, 'b.yaml': plain });
      ws.remove('b.yaml');
      assert.equal(ws.detectedEnvironment().eks?.autoMode, true);
    });

    it('finds the Load Balancer Controller, and one without the Service webhook (too old, or turned off) as no NLBs', () => {
      const deployment = (/** @type {string} */ tag) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: lbc }\nspec:\n  template:\n    spec:\n      containers: [{ name: c, image: "public.ecr.aws/eks/aws-load-balancer-controller:${tag}" }]\n`;
      assert.equal(detect({ 'lbc.yaml': deployment('v2.13.0') }).detectedEnvironment().eks?.loadBalancerController, true);
      const old = detect({ 'lbc.yaml': deployment('v2.4.7') }).detectedEnvironment();
      assert.equal(old.eks?.loadBalancerController, false);
      assert.equal(old.origins?.['eks.loadBalancerController'], 'detected: Deployment/lbc in lbc.yaml runs v2.4.7');
      // v2 images under the v1 name; an install with the webhook wins over one without.
      assert.equal(detect({ 'lbc.yaml': deployment('v2.1.3').replace('public.ecr.aws/eks/aws-load-balancer-controller', 'amazon/aws-alb-ingress-controller') }).detectedEnvironment().eks?.loadBalancerController, false);
      assert.equal(detect({ 'a.yaml': deployment('v2.4.7'), 'b.yaml': deployment('v2.13.0') }).detectedEnvironment().eks?.loadBalancerController, true);
      // One without the webhook speaks for its own folder and below, not for a sibling's (another lesson, another cluster).
      const lessons = detect({ 'lessons/112/lbc.yaml': deployment('v2.4.7') });
      assert.equal(lessons.detectedEnvironment('lessons/112/app/svc.yaml').eks?.loadBalancerController, false);
      assert.equal(lessons.detectedEnvironment('lessons/064/svc.yaml').eks?.loadBalancerController, undefined);
      const helm = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: lbc }\nspec:\n  chart:\n    spec: { chart: aws-load-balancer-controller, version: "1.13.0" }\n  values: { clusterName: prod }\n';
      assert.equal(detect({ 'hr.yaml': helm }).detectedEnvironment().eks?.loadBalancerController, true);
      assert.match(detect({ 'hr.yaml': helm.replace('clusterName: prod', 'enableServiceMutatorWebhook: false') }).detectedEnvironment().origins?.['eks.loadBalancerController'] ?? '', /^detected: HelmRelease\/lbc in hr\.yaml turns the Service webhook off$/);
      // A chart with no version installs the current one.
      const cdk = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Lbc:\n    Type: Custom::AWSCDK-EKS-HelmChart\n    Properties:\n      Chart: aws-load-balancer-controller\n      Repository: https://aws.github.io/eks-charts\n';
      assert.equal(detect({ 'cdk.yaml': cdk }).detectedEnvironment().eks?.loadBalancerController, true);
      assert.equal(detect({ 'cdk.yaml': cdk.replace('Repository', 'Version: 1.4.8\n      Repository') }).detectedEnvironment().eks?.loadBalancerController, false);
      // Auto Mode's own IngressClassParams is not the controller's.
      assert.deepEqual(detect({ 'icp.yaml': 'apiVersion: eks.amazonaws.com/v1\nkind: IngressClassParams\nmetadata: { name: alb }\n' }).detectedEnvironment(), {});
    });

    it("takes the controller's objects as a sign that it is there, not that it is v2.5+", () => {
      const icp = 'apiVersion: elbv2.k8s.aws/v1beta1\nkind: IngressClassParams\nmetadata: { name: sample }\nspec: { foo: bar }\n';
      const ingressClass = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: alb }\nspec: { controller: ingress.k8s.aws/alb }\n';
      assert.deepEqual(detect({ 'icp.yaml': icp }).detectedEnvironment(), { signs: { 'eks.loadBalancerController': 'IngressClassParams/sample in icp.yaml' } });
      assert.deepEqual(detect({ 'ic.yaml': ingressClass }).detectedEnvironment().signs, { 'eks.loadBalancerController': 'IngressClass/alb in ic.yaml' });
      // An install of a known version settles it, whichever file comes first.
      const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: lbc }\nspec:\n  template:\n    spec:\n      containers: [{ name: c, image: "public.ecr.aws/eks/aws-load-balancer-controller:v2.13.0" }]\n';
      const both = detect({ 'icp.yaml': icp, 'lbc.yaml': deployment }).detectedEnvironment();
      assert.deepEqual(both, { eks: { loadBalancerController: true }, origins: { 'eks.loadBalancerController': 'detected: Deployment/lbc in lbc.yaml' } });
      // A declared trait drops the sign; an unknown one keeps it through merging.
      assert.equal(mergeEnvironments({ eks: { loadBalancerController: false } }, detect({ 'icp.yaml': icp }).detectedEnvironment()).signs, undefined);
      assert.deepEqual(mergeEnvironments({ eks: { autoMode: false } }, detect({ 'icp.yaml': icp }).detectedEnvironment()).signs, { 'eks.loadBalancerController': 'IngressClassParams/sample in icp.yaml' });
    });

    it('survives a snapshot round trip (the parallel CLI sends it between threads)', () => {
      const ws = detect({ 'icp.yaml': 'apiVersion: elbv2.k8s.aws/v1beta1\nkind: IngressClassParams\nmetadata: { name: alb }\n' });
      const copy = new WorkspaceIndex();
      copy.merge(JSON.parse(JSON.stringify(ws.snapshot())));
      assert.deepEqual(copy.detectedEnvironment(), ws.detectedEnvironment());
      assert.equal(copy.detectedEnvironment().signs?.['eks.loadBalancerController'], 'IngressClassParams/alb in icp.yaml');
    });
  });

  describe('rules that depend on it', () => {
    it('k8s-service-classic-lb: info saying the condition while unknown, quiet when detected, warning when declared absent', () => {
      const [unknown] = lint(parseFile(SERVICE, 'svc.yaml'), { rules: classicLb });
      assert.equal(unknown.severity, 'info');
      assert.ok(unknown.message.length <= 100, unknown.message);
      assert.match(defined(unknown.detail), /Assumed: neither `\.kbhints\.yaml`/);
      const install = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: lbc }\nspec:\n  chart:\n    spec: { chart: aws-load-balancer-controller }\n';
      assert.deepEqual(lintWorkspace({ 'svc.yaml': SERVICE, 'hr.yaml': install }, 'svc.yaml').filter((f) => f.ruleId === 'k8s-service-classic-lb'), []);
      // The controller's objects alone: still info, naming them and what the outcome depends on.
      const lbc = 'apiVersion: elbv2.k8s.aws/v1beta1\nkind: TargetGroupBinding\nmetadata: { name: tgb }\n';
      const [objects] = lintWorkspace({ 'svc.yaml': SERVICE, 'tgb.yaml': lbc }, 'svc.yaml').filter((f) => f.ruleId === 'k8s-service-classic-lb');
      assert.equal(objects.severity, 'info');
      assert.equal(objects.message, 'Service/web gets a Classic Load Balancer unless the Load Balancer Controller is v2.5+');
      assert.match(defined(objects.detail), /Assumed: the AWS Load Balancer Controller is there \(TargetGroupBinding\/tgb in tgb\.yaml\), its version unknown\. v2\.5\+ with its Service webhook on \(the default\) makes an NLB; an older one .* makes a Classic Load Balancer\. Declare it in `\.kbhints\.yaml` \(`environment\.eks\.loadBalancerController`: `true` for v2\.5\+/);
      assert.ok(defined(objects.detail).length < 1000, 'the detail fits without being cut');
      assert.deepEqual(lintWorkspace({ 'svc.yaml': SERVICE, 'tgb.yaml': lbc }, 'svc.yaml', { eks: { loadBalancerController: true } }).filter((f) => f.ruleId === 'k8s-service-classic-lb'), []);
      const declared = { eks: { loadBalancerController: false, autoMode: false }, origins: { 'eks.loadBalancerController': 'declared in /r/.kbhints.yaml', 'eks.autoMode': 'declared in /r/.kbhints.yaml' } };
      const [known] = lintWorkspace({ 'svc.yaml': SERVICE, 'tgb.yaml': lbc }, 'svc.yaml', declared).filter((f) => f.ruleId === 'k8s-service-classic-lb');
      assert.equal(known.severity, 'warning');
      assert.equal(known.messageId, 'classicLb');
      assert.match(defined(known.detail), /\(declared in \/r\/\.kbhints\.yaml\)/);
      // A severity from configuration still wins over the finding's own.
      const [configured] = lint(parseFile(SERVICE, 'svc.yaml'), { rules: classicLb, severities: { 'k8s-service-classic-lb': 'error' } });
      assert.equal(configured.severity, 'error');
    });

    it('k8s-rwx-on-ebs and k8s-s3-volume: Fargate namespaces change the advice and make S3 mounts a warning', () => {
      const env = { eks: { fargateNamespaces: ['batch'] }, origins: { 'eks.fargateNamespaces': 'declared in /r/.kbhints.yaml' } };
      const pvc = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: gp3 }\nprovisioner: ebs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: shared, namespace: batch }\nspec:\n  storageClassName: gp3\n  accessModes: [ReadWriteMany]\n';
      const [rwx] = lint(parseFile(pvc, 'pvc.yaml'), { rules: RULES, environment: env }).filter((f) => f.ruleId === 'k8s-rwx-on-ebs');
      assert.match(defined(rwx.detail), /Namespace batch runs on Fargate \(declared in \/r\/\.kbhints\.yaml\), where EFS works only through static provisioning/);
      const [plain] = lint(parseFile(pvc, 'pvc.yaml'), { rules: RULES }).filter((f) => f.ruleId === 'k8s-rwx-on-ebs');
      assert.match(defined(plain.detail), /a static PersistentVolume for pods on Fargate/);
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: c:1 }]\n  volumes:\n    - name: b\n      csi: { driver: s3.csi.aws.com, volumeAttributes: { bucketName: x } }\n';
      const [onDefault] = lint(parseFile(pod, 'pod.yaml'), { rules: RULES, environment: { eks: { fargateNamespaces: ['default'] } } }).filter((f) => f.ruleId === 'k8s-s3-volume');
      assert.equal(onDefault.messageId, 'onFargate');
      assert.equal(onDefault.severity, 'warning');
      assert.match(defined(onDefault.detail), /the manifest sets no namespace, so default was assumed/);
      const [elsewhere] = lint(parseFile(pod, 'pod.yaml'), { rules: RULES, environment: env }).filter((f) => f.ruleId === 'k8s-s3-volume');
      assert.equal(elsewhere.messageId, 'podVolume');
      assert.equal(elsewhere.severity, 'info');
    });

    it('the CLI reads the environment from .kbhints.yaml', () => {
      const t = tempDir({ 'svc.yaml': SERVICE });
      try {
        const run = () => JSON.parse(spawnSync(process.execPath, [CLI, 'lint', t.dir, '--format', 'json'], { encoding: 'utf8' }).stdout);
        const ids = (/** @type {JsonFinding[] | { findings?: JsonFinding[], results?: JsonFinding[] }} */ out) => (Array.isArray(out) ? out : out.findings ?? out.results ?? []).map((f) => f.ruleId);
        assert.deepEqual(ids(run()), ['k8s-service-classic-lb']);
        t.write('.kbhints.yaml', 'environment:\n  eks:\n    autoMode: true\n');
        assert.deepEqual(ids(run()), []);
      } finally {
        t.cleanup();
      }
    });
  });
});
