#!/usr/bin/env node
// Generates a large, realistic CloudFormation template for benchmarks: shared network and clusters,
// then one "service unit" after another (ECR repository, log group, IAM roles, task definition,
// service, target group, listener rule, security group, auto scaling), referring to each other with
// Ref/GetAtt/Sub/If/Join/Select. Deterministic (seeded). Writes YAML (short tags) and JSON (long form).
//
//   node scripts/generate-large.mjs [--units N] [--out DIR] [--name large]
//
// Defaults: 545 units = about 6,000 resources, 2.5 MB of YAML and 3.4 MB of JSON, in bench/out/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Intrinsic marker: rendered as a short tag in YAML and as `{ "Fn::X": ... }` in JSON. */
class Fn {
  constructor(name, arg) {
    this.name = name;
    this.arg = arg;
  }
}
/** A literal block scalar in YAML, a plain string in JSON. */
class Block {
  constructor(text) {
    this.text = text;
  }
}
/** A comment line before a key in YAML (dropped in JSON). */
const COMMENT = Symbol('comment');

const ref = (x) => new Fn('Ref', x);
const getAtt = (x) => new Fn('Fn::GetAtt', x);
const sub = (x) => new Fn('Fn::Sub', x);
const iff = (c, a, b) => new Fn('Fn::If', [c, a, b]);
const join = (d, list) => new Fn('Fn::Join', [d, list]);
const select = (i, list) => new Fn('Fn::Select', [i, list]);
const getAZs = () => new Fn('Fn::GetAZs', '');

const SHORT = { Ref: '!Ref', 'Fn::GetAtt': '!GetAtt', 'Fn::Sub': '!Sub', 'Fn::If': '!If', 'Fn::Join': '!Join', 'Fn::Select': '!Select', 'Fn::GetAZs': '!GetAZs', 'Fn::Equals': '!Equals', 'Fn::Not': '!Not' };

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(units = 545, seed = 42) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const resources = {};
  const outputs = {};
  const parameters = {
    EnvironmentName: { Type: 'String', Default: 'production', AllowedValues: ['production', 'staging', 'dev'], Description: 'Environment name, used in resource names and tags' },
    VpcCidr: { Type: 'String', Default: '10.0.0.0/16' },
    ImageTag: { Type: 'String', Default: 'latest', Description: 'Tag of the images to deploy' },
    CertificateArn: { Type: 'String', Default: '' },
    UseFargateSpot: { Type: 'String', Default: 'false', AllowedValues: ['true', 'false'] },
  };
  const conditions = {
    IsProduction: new Fn('Fn::Equals', [ref('EnvironmentName'), 'production']),
    HasCertificate: new Fn('Fn::Not', [new Fn('Fn::Equals', [ref('CertificateArn'), ''])]),
    SpotEnabled: new Fn('Fn::Equals', [ref('UseFargateSpot'), 'true']),
  };

  // Shared network, load balancer and clusters.
  resources.Vpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: ref('VpcCidr'), EnableDnsHostnames: true, EnableDnsSupport: true, Tags: [{ Key: 'Name', Value: sub('${EnvironmentName}-vpc') }] } };
  const subnets = [];
  for (let i = 0; i < 3; i++) {
    for (const kind of ['Public', 'Private']) {
      const id = `${kind}Subnet${i + 1}`;
      subnets.push(id);
      resources[id] = {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: ref('Vpc'), AvailabilityZone: select(i, getAZs()), CidrBlock: `10.0.${kind === 'Public' ? i : 10 + i}.0/24`, MapPublicIpOnLaunch: kind === 'Public', Tags: [{ Key: 'Name', Value: sub(`\${EnvironmentName}-${kind.toLowerCase()}-${i + 1}`) }] },
      };
    }
  }
  const privateSubnets = subnets.filter((s) => s.startsWith('Private')).map(ref);
  resources.LoadBalancerSecurityGroup = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'Load balancer', VpcId: ref('Vpc'), SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] } };
  resources.LoadBalancer = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing', Subnets: subnets.filter((s) => s.startsWith('Public')).map(ref), SecurityGroups: [ref('LoadBalancerSecurityGroup')] } };
  resources.HttpsListener = {
    Type: 'AWS::ElasticLoadBalancingV2::Listener',
    Properties: { LoadBalancerArn: ref('LoadBalancer'), Port: 443, Protocol: iff('HasCertificate', 'HTTPS', 'HTTP'), Certificates: iff('HasCertificate', [{ CertificateArn: ref('CertificateArn') }], ref('AWS::NoValue')), DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] },
  };
  const clusters = [];
  for (let i = 0; i < 4; i++) {
    const id = `Cluster${i + 1}`;
    clusters.push(id);
    resources[id] = { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: sub(`\${EnvironmentName}-cluster-${i + 1}`), ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] } };
  }
  resources.ExecutionRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    },
  };

  const words = ['orders', 'billing', 'search', 'catalog', 'users', 'auth', 'cart', 'payments', 'inventory', 'shipping', 'reviews', 'media', 'reports', 'notify', 'gateway'];
  const sizes = [['256', '512'], ['512', '1024'], ['1024', '2048'], ['2048', '4096'], ['1024', '3072']];
  for (let u = 0; u < units; u++) {
    const base = pick(words);
    const name = `${base}${u}`;
    const P = base[0].toUpperCase() + base.slice(1) + u;
    const fargate = rand() < 0.8;
    const cluster = pick(clusters);
    const [cpu, memory] = pick(sizes);
    const port = 8000 + (u % 1000);

    resources[`${P}Repository`] = { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: sub(`\${EnvironmentName}/${name}`), ImageScanningConfiguration: { ScanOnPush: true }, ImageTagMutability: 'IMMUTABLE' } };
    resources[`${P}LogGroup`] = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: sub(`/ecs/\${EnvironmentName}/${name}`), RetentionInDays: iff('IsProduction', 90, 7) } };
    resources[`${P}TaskRole`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [{ PolicyName: `${name}-access`, PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: sub(`arn:aws:s3:::\${EnvironmentName}-${name}/*`) }] } }],
      },
    };
    const env = [
      { Name: 'SERVICE_NAME', Value: name },
      { Name: 'ENVIRONMENT', Value: ref('EnvironmentName') },
    ];
    if (rand() < 0.3) env.push({ Name: 'QUEUE_URL', Value: sub(`https://sqs.\${AWS::Region}.amazonaws.com/\${AWS::AccountId}/${name}`) });
    const container = {
      Name: name,
      Image: sub(`\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/\${${P}Repository}:\${ImageTag}`),
      Essential: true,
      PortMappings: [{ ContainerPort: port, Protocol: 'tcp' }],
      Environment: env,
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': ref(`${P}LogGroup`), 'awslogs-region': ref('AWS::Region'), 'awslogs-stream-prefix': name } },
      HealthCheck: { Command: ['CMD-SHELL', `curl -f localhost:${port}/health`] },
    };
    if (rand() < 0.15) container.Command = new Block(`set -e\necho "starting ${name}"\nexec /app/${name} --port ${port}\n`);
    resources[`${P}TaskDefinition`] = {
      Type: 'AWS::ECS::TaskDefinition',
      [COMMENT]: `Task definition for ${name}`,
      Properties: {
        Family: sub(`\${EnvironmentName}-${name}`),
        RequiresCompatibilities: [fargate ? 'FARGATE' : 'EC2'],
        NetworkMode: 'awsvpc',
        Cpu: cpu,
        Memory: memory,
        ExecutionRoleArn: getAtt('ExecutionRole.Arn'),
        TaskRoleArn: getAtt(`${P}TaskRole.Arn`),
        ContainerDefinitions: [container],
      },
    };
    resources[`${P}TargetGroup`] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: { VpcId: ref('Vpc'), Port: port, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/health' },
    };
    resources[`${P}ListenerRule`] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: { ListenerArn: ref('HttpsListener'), Priority: u + 1, Conditions: [{ Field: 'path-pattern', Values: [`/${name}/*`] }], Actions: [{ Type: 'forward', TargetGroupArn: ref(`${P}TargetGroup`) }] },
    };
    resources[`${P}SecurityGroup`] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: `${name} tasks`, VpcId: ref('Vpc'), SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: ref('LoadBalancerSecurityGroup') }] },
    };
    resources[`${P}Service`] = {
      Type: 'AWS::ECS::Service',
      DependsOn: [`${P}ListenerRule`],
      Properties: {
        Cluster: ref(cluster),
        ServiceName: name,
        TaskDefinition: ref(`${P}TaskDefinition`),
        DesiredCount: iff('IsProduction', 3, 1),
        ...(fargate ? { LaunchType: 'FARGATE' } : { LaunchType: 'EC2' }),
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [ref(`${P}SecurityGroup`)], Subnets: privateSubnets } },
        LoadBalancers: [{ ContainerName: name, ContainerPort: port, TargetGroupArn: ref(`${P}TargetGroup`) }],
      },
    };
    resources[`${P}ScalableTarget`] = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        MinCapacity: 1,
        MaxCapacity: 10,
        ResourceId: join('/', ['service', ref(cluster), getAtt(`${P}Service.Name`)]),
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
      },
    };
    resources[`${P}ScalingPolicy`] = {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: { PolicyName: `${name}-cpu`, PolicyType: 'TargetTrackingScaling', ScalingTargetId: ref(`${P}ScalableTarget`), TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } },
    };
    resources[`${P}Alarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { AlarmDescription: `'${name}' is returning 5xx`, MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Period: 60, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'TargetGroup', Value: getAtt(`${P}TargetGroup.TargetGroupFullName`) }] },
    };
    if (u % 10 === 0) outputs[`${P}ServiceName`] = { Value: getAtt(`${P}Service.Name`), Export: { Name: sub(`\${AWS::StackName}-${name}`) } };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Generated benchmark template: ${units} services on ECS behind one load balancer.`,
    Parameters: parameters,
    Conditions: conditions,
    Resources: resources,
    Outputs: outputs,
  };
}

// ---------------------------------------------------------------------------------------------------

const PLAIN_OK = /^[A-Za-z0-9_/.][A-Za-z0-9_ /.:${}*,()-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMBER_LIKE = /^[-+]?(?:\.?[0-9]|0x|0o)/;

function yamlScalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  const s = String(v);
  if (s === '') return "''";
  if (PLAIN_OK.test(s) && !RESERVED.test(s) && !NUMBER_LIKE.test(s) && !/: |\s#| $|:$/.test(s)) return s;
  if (!/['\n\\"]/.test(s)) return `'${s}'`;
  return JSON.stringify(s);
}

function isFlowable(v) {
  if (v instanceof Fn) return isFlowable(v.arg);
  if (Array.isArray(v)) return v.length <= 4 && v.every((x) => (typeof x !== 'object' || x === null || x instanceof Fn || Array.isArray(x)) && isFlowable(x));
  return typeof v !== 'object' || v === null;
}

function flow(v) {
  if (v instanceof Fn) return `${SHORT[v.name]} ${flow(v.arg)}`;
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  return yamlScalar(v);
}

/** A value as `{ inline }` (after `key: ` or `- `) or as `{ header, lines }` (lines indented below). */
function render(v, indent) {
  const pad = ' '.repeat(indent);
  if (v instanceof Block) return { header: '|', lines: v.text.replace(/\n$/, '').split('\n').map((l) => pad + l) };
  if (v instanceof Fn) {
    if (isFlowable(v)) return { inline: flow(v) };
    const inner = render(v.arg, indent);
    return inner.inline !== undefined ? { inline: `${SHORT[v.name]} ${inner.inline}` } : { header: SHORT[v.name], lines: inner.lines };
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return { inline: '[]' };
    if (v.length <= 2 && v.every((x) => typeof x !== 'object' || x === null)) return { inline: flow(v) };
    const lines = [];
    for (const item of v) {
      const r = render(item, indent + 2);
      if (r.inline !== undefined) lines.push(`${pad}- ${r.inline}`);
      else if (r.header) lines.push(`${pad}- ${r.header}`, ...r.lines);
      else lines.push(`${pad}- ${r.lines[0].slice(indent + 2)}`, ...r.lines.slice(1));
    }
    return { lines };
  }
  if (v && typeof v === 'object') {
    const lines = [];
    for (const [k, val] of Object.entries(v)) {
      if (v[COMMENT] && k === 'Properties') lines.push(`${pad}# ${v[COMMENT]}`);
      const r = render(val, indent + 2);
      const key = yamlScalar(k);
      if (r.inline !== undefined) lines.push(`${pad}${key}: ${r.inline}`);
      else lines.push(`${pad}${key}:${r.header ? ' ' + r.header : ''}`, ...r.lines);
    }
    return lines.length ? { lines } : { inline: '{}' };
  }
  return { inline: yamlScalar(v) };
}

export function renderYaml(tpl) {
  return render(tpl, 0).lines.join('\n') + '\n';
}

function longForm(v) {
  if (v instanceof Fn) return { [v.name]: longForm(v.arg) };
  if (v instanceof Block) return v.text;
  if (Array.isArray(v)) return v.map(longForm);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, longForm(x)]));
  return v;
}

export function renderJson(tpl) {
  return JSON.stringify(longForm(tpl), null, 1) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { units: { type: 'string', default: '545' }, out: { type: 'string', default: path.join(root, 'bench/out') }, name: { type: 'string', default: 'large' } } });
  const tpl = generate(Number(values.units));
  fs.mkdirSync(values.out, { recursive: true });
  const yaml = renderYaml(tpl);
  const json = renderJson(tpl);
  fs.writeFileSync(path.join(values.out, `${values.name}.yaml`), yaml);
  fs.writeFileSync(path.join(values.out, `${values.name}.json`), json);
  console.log(`${Object.keys(tpl.Resources).length} resources: ${values.name}.yaml ${(yaml.length / 1e6).toFixed(2)} MB, ${values.name}.json ${(json.length / 1e6).toFixed(2)} MB in ${values.out}`);
}
