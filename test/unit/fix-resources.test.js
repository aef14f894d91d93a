// @ts-check
// Quick fixes that add resources or rewrite a value: execution role, service auto scaling, ECR Public mirror,
// EKS optimized AMI, App Runner access role, Container Insights add-on, capacity provider, instance profile.
// Each is applied to YAML and JSON templates; the result must parse (for a strict parser too) and re-lint
// without the finding and without any new finding.
const assert = require('node:assert/strict');
const YAML = require('yaml');
const { parseFile, lint, fixesFor, applyEdits, templateOf } = require('../helpers/engine');
const { defined } = require('../helpers/expect');

/** @typedef {import('../../server/src/index').Template} Template */
/** @typedef {import('../helpers/expect').Node} Node */

const TODAY = '2026-06-15';
const visible = (/** @type {string} */ text, /** @type {string} */ uri) => lint(parseFile(text, uri), { today: TODAY }).filter((f) => !f.suppressed);

/** @param {string} text @param {string} uri */
function assertValid(text, uri) {
  const file = parseFile(text, uri);
  assert.ok(file.kind, `no longer recognised: ${file.skipped}`);
  assert.deepEqual(file.errors, [], `syntax errors after the fix:\n${text}`);
  if (/\.json$/.test(uri)) JSON.parse(text);
  else for (const doc of YAML.parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), [], text);
}

/**
 * Applies the fix whose title starts with (or matches) `title` to the first finding of `ruleId`; checks it re-lints clean.
 * @param {string} text
 * @param {string} uri
 * @param {string} ruleId
 * @param {string | RegExp} title
 */
function fix(text, uri, ruleId, title) {
  const before = visible(text, uri);
  const finding = before.find((f) => f.ruleId === ruleId);
  assert.ok(finding, `the template fires ${ruleId}`);
  const fixes = fixesFor(parseFile(text, uri), finding);
  const chosen = fixes.find((f) => (typeof title === 'string' ? f.title.startsWith(title) : title.test(f.title)));
  assert.ok(chosen, `no fix titled ${title}; offered: ${fixes.map((f) => f.title).join(' | ')}`);
  const out = applyEdits(text, chosen.edits);
  assertValid(out, uri);
  const after = visible(out, uri);
  assert.equal(after.filter((f) => f.ruleId === ruleId).length, before.filter((f) => f.ruleId === ruleId).length - 1, `the finding is gone:\n${out}`);
  const old = before.map((f) => `${f.ruleId} ${f.message}`);
  for (const f of after) {
    const i = old.indexOf(`${f.ruleId} ${f.message}`);
    if (i >= 0) old.splice(i, 1);
    else assert.equal(f.ruleId, ruleId, `new finding ${f.ruleId}: ${f.message}\n${out}`);
  }
  return { out, fixes, chosen, tpl: templateOf(parseFile(out, uri)) };
}

const titles = (/** @type {string} */ text, /** @type {string} */ uri, /** @type {string} */ ruleId) => {
  const file = parseFile(text, uri);
  const f = lint(file, { today: TODAY }).find((x) => x.ruleId === ruleId);
  return f ? fixesFor(file, f).map((x) => x.title) : [];
};
const json = (/** @type {unknown} */ o) => JSON.stringify(o, null, 2) + '\n';
const props = (/** @type {Template | undefined} */ tpl, /** @type {string} */ id) => defined(tpl).resource(id) && JSON.parse(JSON.stringify(toPlain(defined(defined(tpl).resource(id)).node)));

/**
 * A node as plain data (for JSON-shaped assertions on YAML results).
 * @param {Node} n
 * @returns {unknown}
 */
function toPlain(n) {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toPlain);
  if (n.kind === 'map') return Object.fromEntries(n.pairs.map((p) => [p.key.value, toPlain(p.value)]));
  return null;
}

const FARGATE_TASK = {
  Type: 'AWS::ECS::TaskDefinition',
  Properties: {
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: '256',
    Memory: '512',
    TaskRoleArn: 'arn:aws:iam::123456789012:role/app',
    ContainerDefinitions: [{ Name: 'app', Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0', LogConfiguration: { LogDriver: 'awslogs' } }],
  },
};

describe('quick fixes that add resources', () => {
  describe('add-execution-role (ecs-execution-role-missing)', () => {
    const yaml = `Resources:
  ApiTaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: !Sub "\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/app:1.0"

  Bucket:
    Type: AWS::S3::Bucket
`;
    it('YAML: a new role with AmazonECSTaskExecutionRolePolicy after the task definition', () => {
      const { out, chosen, tpl } = fix(yaml, 't.yaml', 'ecs-execution-role-missing', 'Add an execution role: new IAM role ApiExecutionRole');
      assert.equal(chosen.preferred, true);
      assert.match(out, /TaskRoleArn: arn:aws:iam::123456789012:role\/app\n {6}ContainerDefinitions:[\s\S]*app:1\.0"\n {6}ExecutionRoleArn: !GetAtt ApiExecutionRole\.Arn\n\n {2}ApiExecutionRole:\n {4}Type: AWS::IAM::Role\n/);
      assert.match(out, /ManagedPolicyArns: \[!Sub "arn:\$\{AWS::Partition\}:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy"\]\n\n {2}Bucket:/);
      assert.deepEqual(props(tpl, 'ApiExecutionRole').Properties.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'ecs-tasks.amazonaws.com' });
    });

    it('JSON: long-form intrinsics; and an unused execution role of the template is offered', () => {
      const text = json({ Resources: { Task: FARGATE_TASK } });
      const { out } = fix(text, 't.json', 'ecs-execution-role-missing', 'Add an execution role');
      const r = JSON.parse(out).Resources;
      assert.deepEqual(r.Task.Properties.ExecutionRoleArn, { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] });
      assert.deepEqual(r.ExecutionRole.Properties.ManagedPolicyArns, [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }]);
      const trust = { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } };
      const withRoles = json({
        Resources: {
          Task: FARGATE_TASK,
          TaskExecRole: { Type: 'AWS::IAM::Role', Properties: { ...trust, ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'] } },
          AppRole: { Type: 'AWS::IAM::Role', Properties: trust },
        },
      });
      const offered = titles(withRoles, 't.json', 'ecs-execution-role-missing');
      assert.ok(offered.includes('Use the existing role TaskExecRole as the execution role of Task'), offered.join(' | '));
      assert.ok(!offered.some((t) => /AppRole/.test(t)), 'a role that does not look like an execution role is not offered');
      const reuse = fix(withRoles, 't.json', 'ecs-execution-role-missing', 'Use the existing role TaskExecRole');
      assert.deepEqual(JSON.parse(reuse.out).Resources.Task.Properties.ExecutionRoleArn, { 'Fn::GetAtt': ['TaskExecRole', 'Arn'] });
    });
  });

  describe('add-service-autoscaling (ecs-service-autoscaling-missing)', () => {
    const yaml = `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Web:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1
      DesiredCount: 3
`;
    it('YAML: a scalable target on service/${Cluster}/${Web.Name} and a CPU target tracking policy', () => {
      const { out, tpl } = fix(yaml, 't.yaml', 'ecs-service-autoscaling-missing', 'Add auto scaling to Web: 3 to 10 tasks');
      assert.ok(out.startsWith(yaml));
      assert.match(out, /\n {2}WebScalableTarget:\n {4}Type: AWS::ApplicationAutoScaling::ScalableTarget\n {4}Properties:\n {6}ServiceNamespace: ecs\n {6}ScalableDimension: ecs:service:DesiredCount\n {6}ResourceId: !Sub "service\/\$\{Cluster\}\/\$\{Web\.Name\}"\n {6}MinCapacity: 3\n {6}MaxCapacity: 10\n/);
      assert.ok(!/RoleARN/.test(out), 'no RoleARN: the service-linked role is used');
      const policy = props(tpl, 'WebCpuScaling');
      assert.equal(policy.Type, 'AWS::ApplicationAutoScaling::ScalingPolicy');
      assert.deepEqual(policy.Properties.TargetTrackingScalingPolicyConfiguration, { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 70 });
      assert.deepEqual(policy.Properties.ScalingTargetId, { Ref: 'WebScalableTarget' });
      assert.equal(policy.Properties.PolicyType, 'TargetTrackingScaling');
    });

    it('JSON: a cluster given by ARN, by default, or imported (Fn::Join); nothing for a cluster it cannot tell', () => {
      const svc = (/** @type {unknown} */ cluster) => json({ Resources: { Svc: { Type: 'AWS::ECS::Service', Properties: { ...(cluster === undefined ? {} : { Cluster: cluster }), TaskDefinition: 'web:1', DesiredCount: 8 } } } });
      const byArn = JSON.parse(fix(svc('arn:aws:ecs:us-east-1:123456789012:cluster/prod'), 't.json', 'ecs-service-autoscaling-missing', 'Add auto scaling to Svc: 8 to 16 tasks').out).Resources;
      assert.deepEqual(byArn.SvcScalableTarget.Properties.ResourceId, { 'Fn::Sub': 'service/prod/${Svc.Name}' });
      assert.equal(byArn.SvcScalableTarget.Properties.MinCapacity, 8);
      const byDefault = JSON.parse(fix(svc(undefined), 't.json', 'ecs-service-autoscaling-missing', 'Add auto scaling').out).Resources;
      assert.deepEqual(byDefault.SvcScalableTarget.Properties.ResourceId, { 'Fn::Sub': 'service/default/${Svc.Name}' });
      const imported = { 'Fn::ImportValue': { 'Fn::Sub': '${EnvName}-ClusterName' } };
      const byImport = JSON.parse(fix(svc(imported), 't.json', 'ecs-service-autoscaling-missing', 'Add auto scaling').out).Resources;
      assert.deepEqual(byImport.SvcScalableTarget.Properties.ResourceId, { 'Fn::Join': ['/', ['service', imported, { 'Fn::GetAtt': ['Svc', 'Name'] }]] });
      assert.deepEqual(titles(svc({ 'Fn::ImportValue': 'ClusterArn' }), 't.json', 'ecs-service-autoscaling-missing').filter((t) => !/^Suppress/.test(t)), []);
    });

    it('YAML: an imported cluster is written as a flow intrinsic whose argument keeps its tag', () => {
      const text = 'Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster:\n        Fn::ImportValue: !Sub "${EnvName}-ClusterId"\n      TaskDefinition: web:1\n';
      const { out } = fix(text, 't.yaml', 'ecs-service-autoscaling-missing', 'Add auto scaling to Service: 1 to 10 tasks');
      assert.match(out, /ResourceId: !Join \[\/, \[service, \{ Fn::ImportValue: !Sub "\$\{EnvName\}-ClusterId" \}, !GetAtt Service\.Name\]\]\n/);
    });
  });

  describe('ecr-public-mirror (image-from-docker-hub)', () => {
    it('Docker official and AWS images move to their ECR Public address, keeping the tag and the quoting', () => {
      const yaml = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - { Name: web, Image: "nginx:1.27" }
        - Name: cli
          Image: amazon/aws-cli:2.17.0 # pinned
`;
      const a = fix(yaml, 't.yaml', 'image-from-docker-hub', 'Pull nginx:1.27 from Amazon ECR Public: public.ecr.aws/docker/library/nginx:1.27');
      assert.equal(a.out, yaml.replace('"nginx:1.27"', '"public.ecr.aws/docker/library/nginx:1.27"'));
      const b = fix(a.out, 't.yaml', 'image-from-docker-hub', 'Pull amazon/aws-cli:2.17.0');
      assert.equal(b.out, a.out.replace('amazon/aws-cli:2.17.0 #', 'public.ecr.aws/aws-cli/aws-cli:2.17.0 #'));
    });

    it('JSON CloudFormation and Kubernetes manifests; no fix where the mirror is not known', () => {
      const text = json({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'x', Image: 'amazon/aws-xray-daemon' }] } } } });
      assert.equal(JSON.parse(fix(text, 't.json', 'image-from-docker-hub', 'Pull amazon/aws-xray-daemon').out).Resources.Task.Properties.ContainerDefinitions[0].Image, 'public.ecr.aws/xray/aws-xray-daemon');
      const k8s = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: fb\n      image: amazon/aws-for-fluent-bit:stable\n    - name: app\n      image: acme/app:1.0\n';
      assert.match(fix(k8s, 'p.yaml', 'image-from-docker-hub', 'Pull amazon/aws-for-fluent-bit:stable').out, /image: public\.ecr\.aws\/aws-observability\/aws-for-fluent-bit:stable\n/);
      // `acme/app` has no known mirror: no mirror, no data.fix, only suppression.
      const file = parseFile(k8s, 'p.yaml');
      const mine = defined(lint(file, { today: TODAY }).find((f) => f.ruleId === 'image-from-docker-hub' && /acme\/app/.test(f.message)));
      assert.equal(mine.data?.fix, undefined);
      assert.deepEqual(fixesFor(file, mine).map((f) => f.title).filter((t) => !/^Suppress/.test(t)), []);
    });
  });

  describe('eks-optimized-ami-ssm (eks-self-managed-ami)', () => {
    const template = (/** @type {string} */ userData, instanceType = 'm6i.large') => `Parameters:
  Env: { Type: String }
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Version: "1.31"
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: api }] } }
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: ${instanceType}
        ImageId: ami-0123456789abcdef0
        UserData:
          Fn::Base64: !Sub |
            ${userData}
`;
    const al2023 = 'apiVersion: node.eks.aws/v1alpha1\n            kind: NodeConfig\n            spec: { cluster: { name: ${Cluster} } }';
    it('nodeadm user data: the AL2023 parameter of the cluster version, in place (arm64 for Graviton)', () => {
      const { out } = fix(template(al2023), 't.yaml', 'eks-self-managed-ami', 'Resolve the EKS optimized AMI from SSM');
      assert.match(out, /ImageId: "\{\{resolve:ssm:\/aws\/service\/eks\/optimized-ami\/1\.31\/amazon-linux-2023\/x86_64\/standard\/recommended\/image_id\}\}"\n/);
      assert.match(fix(template(al2023, 'm7g.large'), 't.yaml', 'eks-self-managed-ami', 'Resolve').out, /amazon-linux-2023\/arm64\/standard\//);
    });

    it('AL2 bootstrap.sh user data: no AMI fix (the AL2 AMI is out of support; the move to AL2023 needs nodeadm)', () => {
      const al2 = template('#!/bin/bash\n            /etc/eks/bootstrap.sh ${Cluster}');
      assert.deepEqual(titles(al2, 't.yaml', 'eks-self-managed-ami').filter((x) => !/^Suppress/.test(x)), []);
    });

    it('JSON; nothing when the cluster version, the AMI family or the instance kind is unknown', () => {
      /** @type {{ Resources: { Cluster: { Type: string, Properties: { Version?: string } & Record<string, unknown> }, Nodes: { Type: string, Properties: Record<string, unknown> } } }} */
      const base = {
        Resources: {
          Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Version: '1.30', RoleArn: 'r', ResourcesVpcConfig: { SubnetIds: ['s'] }, Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }] } } } },
          Nodes: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { InstanceType: 't3.large', ImageId: 'ami-0123456789abcdef0', UserData: { 'Fn::Base64': 'apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec: { cluster: { name: prod } }\n' } } },
        },
      };
      const out = JSON.parse(fix(json(base), 't.json', 'eks-self-managed-ami', 'Resolve').out);
      assert.equal(out.Resources.Nodes.Properties.ImageId, '{{resolve:ssm:/aws/service/eks/optimized-ami/1.30/amazon-linux-2023/x86_64/standard/recommended/image_id}}');
      const none = (/** @type {unknown} */ t) => assert.deepEqual(titles(json(t), 't.json', 'eks-self-managed-ami').filter((x) => !/^Suppress/.test(x)), [], JSON.stringify(t));
      const noVersion = structuredClone(base);
      delete noVersion.Resources.Cluster.Properties.Version;
      none(noVersion);
      const gpu = structuredClone(base);
      gpu.Resources.Nodes.Properties.InstanceType = 'g5.xlarge';
      none(gpu);
      const al2UserData = structuredClone(base);
      al2UserData.Resources.Nodes.Properties.UserData = { 'Fn::Base64': '#!/bin/bash\n/etc/eks/bootstrap.sh prod\n' };
      none(al2UserData);
    });
  });

  describe('apprunner-access-role (apprunner-ecr-access-role-missing)', () => {
    const yaml = `Resources:
  ApiService:
    Type: AWS::AppRunner::Service
    Properties:
      SourceConfiguration:
        ImageRepository:
          ImageIdentifier: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0
          ImageRepositoryType: ECR
`;
    it('YAML: AuthenticationConfiguration.AccessRoleArn and a role trusted by build.apprunner.amazonaws.com', () => {
      const { out, tpl } = fix(yaml, 't.yaml', 'apprunner-ecr-access-role-missing', 'Add an ECR access role: new IAM role ApiAccessRole');
      assert.match(out, /ImageRepositoryType: ECR\n {8}AuthenticationConfiguration:\n {10}AccessRoleArn: !GetAtt ApiAccessRole\.Arn\n {2}ApiAccessRole:\n/);
      const role = props(tpl, 'ApiAccessRole').Properties;
      assert.deepEqual(role.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'build.apprunner.amazonaws.com' });
      assert.match(out, /service-role\/AWSAppRunnerServicePolicyForECRAccess/);
    });
    it('JSON, and an existing access role is offered', () => {
      const text = json({
        Resources: {
          Svc: { Type: 'AWS::AppRunner::Service', Properties: { SourceConfiguration: { ImageRepository: { ImageIdentifier: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1', ImageRepositoryType: 'ECR' } } } },
          Puller: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'build.apprunner.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } },
        },
      });
      const a = JSON.parse(fix(text, 't.json', 'apprunner-ecr-access-role-missing', 'Add an ECR access role').out);
      assert.deepEqual(a.Resources.Svc.Properties.SourceConfiguration.AuthenticationConfiguration, { AccessRoleArn: { 'Fn::GetAtt': ['SvcAccessRole', 'Arn'] } });
      assert.deepEqual(Object.keys(a.Resources), ['Svc', 'SvcAccessRole', 'Puller']);
      const b = JSON.parse(fix(text, 't.json', 'apprunner-ecr-access-role-missing', 'Use the existing role Puller').out);
      assert.deepEqual(b.Resources.Svc.Properties.SourceConfiguration.AuthenticationConfiguration.AccessRoleArn, { 'Fn::GetAtt': ['Puller', 'Arn'] });
    });
  });

  describe('container-insights-addon (eks-container-insights-missing)', () => {
    it('YAML and JSON: an amazon-cloudwatch-observability add-on for the cluster; the title names the IAM it still needs', () => {
      const yaml = 'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: arn:aws:iam::123456789012:role/eks\n      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }\n';
      const { out, chosen } = fix(yaml, 't.yaml', 'eks-container-insights-missing', 'Add the CloudWatch Observability add-on ClusterObservabilityAddon');
      assert.match(chosen.title, /CloudWatchAgentServerPolicy/);
      assert.equal(out, `${yaml}  ClusterObservabilityAddon:\n    Type: AWS::EKS::Addon\n    Properties:\n      AddonName: amazon-cloudwatch-observability\n      ClusterName: !Ref Cluster\n`);
      const text = json({ Resources: { Eks: { Type: 'AWS::EKS::Cluster', Properties: { RoleArn: 'r', ResourcesVpcConfig: { SubnetIds: ['s'] } } } } });
      assert.deepEqual(JSON.parse(fix(text, 't.json', 'eks-container-insights-missing', 'Add the CloudWatch').out).Resources.EksObservabilityAddon, { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'amazon-cloudwatch-observability', ClusterName: { Ref: 'Eks' } } });
    });
  });

  const ecsInstances = (/** @type {Record<string, unknown>} */ launchTemplateData) => ({
    Cluster: { Type: 'AWS::ECS::Cluster' },
    NodeTemplate: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', ...launchTemplateData, UserData: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\n' } } } } },
    NodeGroup: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '4', LaunchTemplate: { LaunchTemplateId: { Ref: 'NodeTemplate' }, Version: { 'Fn::GetAtt': ['NodeTemplate', 'LatestVersionNumber'] } } } },
  });

  describe('add-capacity-provider (ecs-capacity-provider-missing)', () => {
    it('JSON: a provider with managed scaling, attached to the cluster the instances join', () => {
      const text = json({ Resources: ecsInstances({ IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/ecs' } }) });
      const { out, chosen } = fix(text, 't.json', 'ecs-capacity-provider-missing', 'Add a capacity provider NodeCapacityProvider with managed scaling for NodeGroup attached to Cluster');
      const r = JSON.parse(out).Resources;
      assert.ok(chosen.preferred);
      assert.deepEqual(r.NodeCapacityProvider.Properties.AutoScalingGroupProvider, { AutoScalingGroupArn: { Ref: 'NodeGroup' }, ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 }, ManagedTerminationProtection: 'DISABLED' });
      assert.deepEqual(r.ClusterCapacityProviders, {
        Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
        Properties: { Cluster: { Ref: 'Cluster' }, CapacityProviders: [{ Ref: 'NodeCapacityProvider' }], DefaultCapacityProviderStrategy: [{ CapacityProvider: { Ref: 'NodeCapacityProvider' }, Weight: 1 }] },
      });
    });

    it('YAML: joins the cluster\'s existing capacity provider list; without a known cluster, the provider alone', () => {
      const yaml = `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      CapacityProviders:
        - FARGATE
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile: { Arn: arn:aws:iam::123456789012:instance-profile/ecs }
        UserData: !Base64 { "Fn::Sub": "#!/bin/bash\\necho ECS_CLUSTER=\${Cluster} >> /etc/ecs/ecs.config\\n" }
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "0"
      MaxSize: "4"
      LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: "1" }
`;
      const { out } = fix(yaml, 't.yaml', 'ecs-capacity-provider-missing', 'Add a capacity provider AsgCapacityProvider with managed scaling for Asg attached to Cluster');
      assert.match(out, /CapacityProviders:\n {8}- FARGATE\n {8}- !Ref AsgCapacityProvider\n/);
      // Named with a prefix: a name CloudFormation makes from a stack called ecs-* is one ECS rejects.
      assert.match(out, /\n {2}AsgCapacityProvider:\n {4}Type: AWS::ECS::CapacityProvider\n {4}Properties:\n {6}Name: !Sub "cp-\$\{AWS::StackName\}-AsgCapacityProvider"\n {6}AutoScalingGroupProvider:\n {8}AutoScalingGroupArn: !Ref Asg\n {8}ManagedScaling:\n {10}Status: ENABLED\n {10}TargetCapacity: 100\n {8}ManagedTerminationProtection: DISABLED\n$/);
      const external = yaml.replace(/ {2}Cluster:\n {4}Type: AWS::ECS::Cluster\n {4}Properties:\n {6}CapacityProviders:\n {8}- FARGATE\n/, '').replace('${Cluster}', 'prod');
      const alone = fix(external, 't.yaml', 'ecs-capacity-provider-missing', /^Add a capacity provider AsgCapacityProvider with managed scaling for Asg$/);
      assert.ok(!/ClusterCapacityProviderAssociations/.test(alone.out));
    });

    it('instances that join the cluster through cfn-init metadata get the provider attached to it', () => {
      const yaml = `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  LaunchConfiguration:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          commands:
            01_add_instance_to_cluster:
              command: !Sub echo ECS_CLUSTER=\${Cluster} >> /etc/ecs/ecs.config
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.large
      IamInstanceProfile: arn:aws:iam::123456789012:instance-profile/ecs
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --region \${AWS::Region} --stack \${AWS::StackName} --resource LaunchConfiguration
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref LaunchConfiguration
      MinSize: "1"
      MaxSize: "4"
`;
      const { out } = fix(yaml, 't.yaml', 'ecs-capacity-provider-missing', 'Add a capacity provider AsgCapacityProvider with managed scaling for Asg attached to Cluster (ClusterCapacityProviders)');
      assert.match(out, /\n {2}ClusterCapacityProviders:\n {4}Type: AWS::ECS::ClusterCapacityProviderAssociations\n {4}Properties:\n {6}Cluster: !Ref Cluster\n/);
    });
  });

  describe('add-instance-profile (ecs-instance-profile-missing)', () => {
    it('JSON launch template: LaunchTemplateData.IamInstanceProfile.Arn, a role and an instance profile', () => {
      const text = json({ Resources: ecsInstances({}) });
      const { out } = fix(text, 't.json', 'ecs-instance-profile-missing', 'Add an instance profile: new NodeInstanceProfile and role NodeInstanceRole');
      const r = JSON.parse(out).Resources;
      assert.deepEqual(r.NodeTemplate.Properties.LaunchTemplateData.IamInstanceProfile, { Arn: { 'Fn::GetAtt': ['NodeInstanceProfile', 'Arn'] } });
      assert.deepEqual(r.NodeInstanceProfile, { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'NodeInstanceRole' }] } });
      assert.deepEqual(r.NodeInstanceRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'ec2.amazonaws.com' });
      assert.deepEqual(r.NodeInstanceRole.Properties.ManagedPolicyArns, [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role' }]);
      assert.deepEqual(Object.keys(r), ['Cluster', 'NodeTemplate', 'NodeInstanceRole', 'NodeInstanceProfile', 'NodeGroup']);
    });

    it('YAML launch configuration: IamInstanceProfile !Ref; an existing ECS instance profile is offered; free names', () => {
      const yaml = `Resources:
  LaunchConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.large
      UserData:
        Fn::Base64: !Sub "#!/bin/bash\\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\\n"
  EcsInstanceRole:
    Type: AWS::SNS::Topic
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref NodeRole]
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }]
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
`;
      const { out } = fix(yaml, 't.yaml', 'ecs-instance-profile-missing', 'Add an instance profile: new EcsInstanceProfile and role EcsInstanceRole2');
      assert.match(out, /UserData:\n {8}Fn::Base64: !Sub .*\n {6}IamInstanceProfile: !Ref EcsInstanceProfile\n {2}EcsInstanceRole2:\n {4}Type: AWS::IAM::Role\n/);
      assert.match(out, /\n {2}EcsInstanceProfile:\n {4}Type: AWS::IAM::InstanceProfile\n {4}Properties:\n {6}Roles: \[!Ref EcsInstanceRole2\]\n/);
      const reuse = fix(yaml, 't.yaml', 'ecs-instance-profile-missing', 'Use the existing instance profile Profile for LaunchConfig');
      assert.match(reuse.out, /IamInstanceProfile: !Ref Profile\n/);
    });
  });
});
