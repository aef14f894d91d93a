// Shared readers for ECS resources, so rules agree on what a Fargate task definition or a volume is.
import { asMap, at, get, items, pair, walk, type MapNode, type Node, type Pair } from '../documents/nodes';
import { branches, intrinsic, isNoValue, literal, literalValues, referencesIn, userDataText } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { StackQuery, stackFacts, type StackIndex } from '../engine/stacks';
import { awsImage, isPlaceholder, parseImage } from './images';

export const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
export const SERVICE = 'AWS::ECS::Service';

/**
 * The launch types a task definition declares through `RequiresCompatibilities`, or undefined when it
 * cannot be read (a parameter, an import): rules for Fargate then stay quiet.
 */
export function compatibilities(td: Resource): string[] | undefined {
  const node = get(td.properties, 'RequiresCompatibilities');
  if (!node) return [];
  const out: string[] = [];
  for (const b of branches(node)) {
    for (const item of items(b)) {
      const values = literalValues(item);
      if (!values) return undefined;
      for (const v of values) out.push(v.toUpperCase());
    }
    if (b.kind !== 'seq') return undefined;
  }
  return out;
}

/** A task definition whose `RequiresCompatibilities` lists FARGATE. */
export function isFargate(td: Resource): boolean {
  return compatibilities(td)?.includes('FARGATE') ?? false;
}

/** A property counts as present when any branch of an `Fn::If` gives it a value. */
export function hasProperty(res: Resource, name: string): boolean {
  const p = pair(res.properties, name);
  return !!p && branches(p.value).length > 0;
}

export function volumes(td: Resource): MapNode[] {
  return items(get(td.properties, 'Volumes')).map(asMap).filter((v): v is MapNode => !!v);
}

/** Every container definition a task definition can have (both branches of an `Fn::If`, on the list or on an item). */
export function containerDefinitions(td: Resource): MapNode[] {
  const out: MapNode[] = [];
  for (const list of branches(get(td.properties, 'ContainerDefinitions'))) {
    for (const c of items(list).flatMap(branches).map(asMap)) if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

const SERVICES_BY_TASK_DEFINITION = new WeakMap<Template, Map<Resource, Resource[]>>();

/** The services whose `TaskDefinition` points at a task definition (indexed once per template). */
export function servicesOf(tpl: Template, td: Resource): Resource[] {
  let index = SERVICES_BY_TASK_DEFINITION.get(tpl);
  if (!index) {
    index = new Map();
    for (const svc of tpl.byType(SERVICE)) {
      for (const target of tpl.targets(get(svc.properties, 'TaskDefinition'))) {
        let list = index.get(target);
        if (!list) index.set(target, (list = []));
        list.push(svc);
      }
    }
    SERVICES_BY_TASK_DEFINITION.set(tpl, index);
  }
  return index.get(td)?.slice() ?? [];
}

/** The task definitions a service can run (both branches of an `Fn::If`). */
export function taskDefinitionsOf(tpl: Template, svc: Resource): Resource[] {
  return tpl.targets(get(svc.properties, 'TaskDefinition')).filter((r) => r.type === TASK_DEFINITION);
}

export function propPair(node: MapNode | undefined, ...names: string[]): Pair | undefined {
  for (const n of names) {
    const p = pair(node, n);
    if (p) return p;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios (the CloudFormation condition model) live in model/conditions.ts; rules read them from here.
export { isSetIn, itemsIn, pick, resourceCondition, scenarios, type Scenario } from '../model/conditions';
import { isSetIn, itemsIn, pick, resourceCondition, scenarios, type Scenario } from '../model/conditions';

/** `compatibilities`, in one scenario. */
export function compatibilitiesIn(td: Resource, s: Scenario): string[] | undefined {
  const node = get(td.properties, 'RequiresCompatibilities');
  if (!node) return [];
  const list = pick(node, s);
  if (!list) return undefined;
  if (isNoValue(list)) return [];
  if (list.kind !== 'seq') return undefined;
  const out: string[] = [];
  for (const item of list.items) {
    const v = pick(item, s);
    if (!v) return undefined;
    if (isNoValue(v)) continue;
    const lit = literal(v);
    if (lit === undefined) return undefined;
    out.push(lit.toUpperCase());
  }
  return out;
}

/** The scenarios of a task definition in which it requires FARGATE (conditions read from the whole resource). */
export function fargateScenarios(tpl: Template, td: Resource, extra: Array<Node | undefined> = []): Scenario[] {
  const cacheable = extra.length === 0;
  const hit = cacheable ? FARGATE_SCENARIOS.get(td) : undefined;
  if (hit) return hit;
  let out: Scenario[] = [];
  if (isFargate(td)) {
    const all = scenarios(tpl, [td.properties, ...extra], [resourceCondition(td)]);
    out = (all ?? []).filter((s) => compatibilitiesIn(td, s)?.includes('FARGATE'));
  }
  if (cacheable) FARGATE_SCENARIOS.set(td, out);
  return out;
}

/** Several rules ask for the same task definition's scenarios: computed once per resource (per lint). */
const FARGATE_SCENARIOS = new WeakMap<Resource, Scenario[]>();

/** Container definitions of a task definition in one scenario. */
export function containersIn(td: Resource, s: Scenario): MapNode[] {
  return itemsIn(get(td.properties, 'ContainerDefinitions'), s).map(asMap).filter((c): c is MapNode => !!c);
}

/** Reports each node once, however many scenarios find the same problem. */
export function onceEach(): (node: Node) => boolean {
  const seen = new Set<Node>();
  return (node) => {
    if (seen.has(node)) return false;
    seen.add(node);
    return true;
  };
}

// ---------------------------------------------------------------------------------------------------
// Strings inside computed values.

/** Every literal string inside a value: scalars, `Fn::Join` parts, `Fn::Sub` templates, `Fn::Base64` bodies. */
export function stringParts(node: Node | undefined): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (n.kind === 'scalar' && typeof n.value === 'string') out.push(n.value);
  });
  return out;
}

const PRIVATE_ECR = /\.dkr\.ecr(-fips)?\./i;

/** An image in a private ECR registry: the registry host appears in the value, or it names an ECR repository. */
export function isPrivateEcrImage(tpl: Template, image: Node | undefined): boolean {
  if (stringParts(image).some((p) => PRIVATE_ECR.test(p))) return true;
  return referencesIn(image).some((r) => tpl.resource(r.target)?.type === 'AWS::ECR::Repository');
}

// ---------------------------------------------------------------------------------------------------
// Fargate task sizes live in model/fargate.ts (the rule and its quick fix share them).
export { FARGATE_SIZES, nearestFargateMemory, parseCpu, parseMemory, smallestFargateCpu, smallestFargateSize } from '../model/fargate';

// ---------------------------------------------------------------------------------------------------
// Services: which launch type they ask for.

export interface LaunchNeed {
  /** The compatibility the service needs from its task definition. */
  compatibility: 'FARGATE' | 'EC2';
  /** The LaunchType value or capacity provider name that asks for it. */
  node: Node;
  /** How the service asks, for messages: `LaunchType FARGATE`, `capacity provider FARGATE_SPOT`. */
  label: string;
}

/** What a service's `LaunchType` or `CapacityProviderStrategy` needs in a scenario (nothing when unknown). */
export function launchNeeds(tpl: Template, svc: Resource, s: Scenario): LaunchNeed[] {
  const out: LaunchNeed[] = [];
  const lt = pick(get(svc.properties, 'LaunchType'), s);
  // Case matters: ECS rejects `fargate` (schema linters report that), so it asks for no launch type here.
  const ltValue = lt && !isNoValue(lt) ? literal(lt) : undefined;
  if (lt && (ltValue === 'FARGATE' || ltValue === 'EC2')) out.push({ compatibility: ltValue, node: lt, label: `LaunchType ${ltValue}` });
  for (const entry of itemsIn(get(svc.properties, 'CapacityProviderStrategy'), s)) {
    const cp = pick(get(entry, 'CapacityProvider'), s);
    if (!cp || isNoValue(cp)) continue;
    const name = literal(cp);
    const provider = tpl.targets(cp).find((r) => r.type === CAPACITY_PROVIDER && get(r.properties, 'AutoScalingGroupProvider'));
    if (name === 'FARGATE' || name === 'FARGATE_SPOT') out.push({ compatibility: 'FARGATE', node: cp, label: `capacity provider ${name}` });
    else if (provider) out.push({ compatibility: 'EC2', node: cp, label: `Auto Scaling group capacity provider ${provider.id}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// EC2 container instances.

export const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
export const LAUNCH_CONFIGURATION = 'AWS::AutoScaling::LaunchConfiguration';
export const AUTO_SCALING_GROUP = 'AWS::AutoScaling::AutoScalingGroup';
export const CAPACITY_PROVIDER = 'AWS::ECS::CapacityProvider';

/** Ways instance bootstrap text joins an ECS cluster: ecs.config, the Windows agent, Bottlerocket. */
const JOINS_CLUSTER = [/\bECS_CLUSTER\b/, /Initialize-ECSAgent\b[^\n]*-Cluster/i, /\[settings\.ecs\][^[]*\bcluster\s*=/];

/** The properties map holding the instance settings: `LaunchTemplateData` or the launch configuration itself. */
export function instanceSettings(res: Resource): MapNode | undefined {
  const settings = res.type === LAUNCH_TEMPLATE ? asMap(get(res.properties, 'LaunchTemplateData')) : res.properties;
  return intrinsic(settings) ? undefined : settings;
}

/** A launch template or launch configuration whose user data (or cfn-init metadata) joins an ECS cluster. */
export function joinsEcsCluster(res: Resource): boolean {
  const text = [userDataText(get(instanceSettings(res), 'UserData')) ?? '', ...stringParts(get(res.metadata, 'AWS::CloudFormation::Init'))];
  return text.some((t) => JOINS_CLUSTER.some((re) => re.test(t)));
}

/** The Windows ECS agent's setup command, in user data. */
const WINDOWS_AGENT = /Initialize-ECSAgent\b/i;

/**
 * True when a task definition runs Windows containers: its `RuntimePlatform` says so, or every container
 * instance of the template that joins a cluster starts the Windows agent (`Initialize-ECSAgent`).
 */
export function runsWindows(tpl: Template, td: Resource): boolean {
  const family = literal(at(td.properties, 'RuntimePlatform', 'OperatingSystemFamily'));
  if (family !== undefined) return family.toUpperCase().startsWith('WINDOWS');
  const joiners = [...tpl.byType(LAUNCH_TEMPLATE), ...tpl.byType(LAUNCH_CONFIGURATION)].filter(joinsEcsCluster);
  return joiners.length > 0 && joiners.every((res) => WINDOWS_AGENT.test(userDataText(get(instanceSettings(res), 'UserData')) ?? ''));
}

/** The launch templates and launch configurations an Auto Scaling group starts instances from. */
export function launchSourcesOf(tpl: Template, asg: Resource): Resource[] {
  const out: Resource[] = [];
  for (const ref of referencesIn(asg.properties)) {
    const r = tpl.resource(ref.target);
    if (r && (r.type === LAUNCH_TEMPLATE || r.type === LAUNCH_CONFIGURATION) && !out.includes(r)) out.push(r);
  }
  return out;
}

/** The Auto Scaling groups that ECS capacity providers of the template use. */
export function capacityProviderGroups(tpl: Template): Resource[] {
  const out: Resource[] = [];
  for (const cp of tpl.byType(CAPACITY_PROVIDER)) {
    for (const ref of referencesIn(get(get(cp.properties, 'AutoScalingGroupProvider'), 'AutoScalingGroupArn'))) {
      const r = tpl.resource(ref.target);
      if (r?.type === AUTO_SCALING_GROUP && !out.includes(r)) out.push(r);
    }
  }
  return out;
}

const GROUP_SCALERS = ['AWS::AutoScaling::ScalingPolicy', 'AWS::AutoScaling::ScheduledAction'];

/** The scaling policies and scheduled actions of the template whose `AutoScalingGroupName` names the group. */
export function groupScalers(tpl: Template, asg: Resource): Resource[] {
  const out: Resource[] = [];
  for (const edge of tpl.referencesTo(asg.id)) {
    if (!GROUP_SCALERS.includes(edge.from.type) || out.includes(edge.from)) continue;
    if (referencesIn(get(edge.from.properties, 'AutoScalingGroupName')).some((r) => r.target === asg.id)) out.push(edge.from);
  }
  return out;
}

/**
 * True when the template hands a resource to another stack (an output, an export, a nested stack's
 * parameter) and a stack that does the job with it (a resource of `jobTypes` using it) exists in the
 * workspace or cannot be ruled out (see engine/stacks.ts for how nested stacks and exports are matched).
 */
export function handledByOtherStack(ctx: { readonly template: Template; readonly workspace: StackIndex }, res: Resource, jobTypes: readonly string[]): boolean {
  const tpl = ctx.template;
  const handed =
    tpl.referencesTo(res.id).some((e) => e.from.type === 'AWS::CloudFormation::Stack') ||
    (asMap(get(tpl.root, 'Outputs'))?.pairs ?? []).some((out) => referencesIn(get(out.value, 'Value')).some((r) => r.target === res.id));
  if (!handed) return false;
  return new StackQuery(ctx.workspace, stackFacts(tpl)).handedOver(res.id, jobTypes) !== 'no';
}

// ---------------------------------------------------------------------------------------------------
// Application Auto Scaling.

export const SCALABLE_TARGET = 'AWS::ApplicationAutoScaling::ScalableTarget';
export const SCALING_POLICY = 'AWS::ApplicationAutoScaling::ScalingPolicy';

/**
 * The services that ECS scalable targets (`ScalableDimension: ecs:service:DesiredCount`) of the template
 * scale, through a `Ref` or `GetAtt` inside `ResourceId`; undefined when any target's dimension or service
 * cannot be read (a literal `service/...` string, a parameter, an import), so no service can be ruled out.
 */
export function scaledServices(tpl: Template): Set<Resource> | undefined {
  const out = new Set<Resource>();
  for (const target of tpl.byType(SCALABLE_TARGET)) {
    const dims = literalValues(get(target.properties, 'ScalableDimension'));
    if (!dims) return undefined;
    if (!dims.includes('ecs:service:DesiredCount')) continue;
    const services = referencesIn(get(target.properties, 'ResourceId'))
      .map((r) => tpl.resource(r.target))
      .filter((r): r is Resource => r?.type === SERVICE);
    if (!services.length) return undefined;
    for (const s of services) out.add(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Wording: the names a reader of this file uses.

/**
 * How a property is spelled for the reader of this file: the ECS API's camelCase in an ECS task
 * definition JSON (`taskRoleArn`), the L2 construct property in CDK output when one is given
 * (`taskRole`), else the CloudFormation name.
 */
export function spell(ctx: { readonly file: { readonly kind?: string } }, cfn: string, cdk?: string): string {
  if (ctx.file.kind === 'ecs-taskdef') return cfn.charAt(0).toLowerCase() + cfn.slice(1);
  if (ctx.file.kind === 'cdk' && cdk) return cdk;
  return cfn;
}

/**
 * For a task definition that lists EC2 or EXTERNAL beside FARGATE: a sentence for the detail of a Fargate
 * error saying that, if the task is meant for EC2, dropping FARGATE clears it (and the other Fargate errors
 * of the task definition) at once; '' otherwise.
 */
export function dropFargateHint(ctx: { readonly file: { readonly kind?: string } }, td: Resource): string {
  // Only a plain list: under Fn::If the launch types are alternatives, not one EC2-shaped task definition.
  if (get(td.properties, 'RequiresCompatibilities')?.kind !== 'seq') return '';
  const compat = compatibilities(td) ?? [];
  if (!compat.includes('FARGATE') || !compat.some((c) => c === 'EC2' || c === 'EXTERNAL')) return '';
  const how = isCdk(ctx)
    ? 'create it as an `ecs.Ec2TaskDefinition` (or with `compatibility: ecs.Compatibility.EC2`)'
    : `drop FARGATE from \`${spell(ctx, 'RequiresCompatibilities')}\``;
  return ` The task definition also lists ${compat.filter((c) => c !== 'FARGATE').join(' and ')}: if it is meant for EC2 only, ${how}, which clears this and every other Fargate error on it.`;
}

/**
 * Which quick fix a Fargate error leads with (`fix`) and which it offers beside (`alsoFix`): its own, and
 * dropping FARGATE when the task definition also lists EC2 or EXTERNAL. Dropping comes first when a volume
 * mounts a host path or a Docker volume, which no Fargate edit can make work: `--fix` then keeps the task
 * definition as it runs on EC2 (bridge, no task size) instead of half-converting it.
 */
export function fargateFixes(ctx: { readonly file: { readonly kind?: string } }, td: Resource, own: string): { fix: string; alsoFix?: string } {
  if (!dropFargateHint(ctx, td)) return { fix: own };
  const hostBound = volumes(td).some((v) => get(get(v, 'Host'), 'SourcePath') || get(v, 'DockerVolumeConfiguration'));
  return hostBound ? { fix: 'drop-fargate', alsoFix: own } : { fix: own, alsoFix: 'drop-fargate' };
}

/** True for CDK output, where advice names construct properties and methods. */
export function isCdk(ctx: { readonly file: { readonly kind?: string } }): boolean {
  return ctx.file.kind === 'cdk';
}

// ---------------------------------------------------------------------------------------------------
// Task credentials: where a task's containers get AWS credentials from, and signs that they use them.

/**
 * True when the task definition can run on EC2 capacity (it lists EC2, or lists nothing and so is an EC2 task
 * definition), where containers without a task role can reach the host's credentials (the instance role
 * through instance metadata); false for a Fargate or ECS Anywhere task (external instances have no
 * instance metadata service) or when unknown.
 */
export function canUseHostCredentials(tpl: Template, td: Resource): boolean {
  const compat = compatibilities(td);
  if (!compat) return false;
  if (compat.includes('EC2')) return true;
  if (compat.length) return false;
  // Listing nothing, it runs wherever its services put it: not on EC2 when every service of the template
  // that runs it asks for Fargate or external instances.
  const services = servicesOf(tpl, td);
  const external = (svc: Resource) => literal(get(svc.properties, 'LaunchType')) === 'EXTERNAL';
  return !services.length || !services.every((svc) => external(svc) || launchNeeds(tpl, svc, new Map()).some((n) => n.compatibility === 'FARGATE'));
}

/** Resources an application reaches through AWS APIs (not a database endpoint or a load balancer's DNS name). */
const AWS_API_SERVICES = /^AWS::(S3|DynamoDB|SQS|SNS|Kinesis|KinesisFirehose|SecretsManager|SSM|KMS|Lambda|StepFunctions|Events|Cognito|AppSync|SES|Glue|Athena|Timestream|IAM|Bedrock|CloudWatch|Logs)::/;

export interface AwsCallSign {
  container: string;
  /** What shows it, for messages: `AWS CLI image`, `QUEUE_URL refers to AWS::SQS::Queue Jobs`. */
  sign: string;
}

/**
 * Arguments that show an AWS call, found in a container's `Command`, `EntryPoint` or environment values:
 * go-discover's AWS provider (Consul, Nomad and others `retry-join` with `provider=aws tag_key=...`), which
 * lists the instances to join with ec2:DescribeInstances. Not `--provider=aws` (external-dns and other flags).
 */
const AWS_CALL_ARGUMENTS: ReadonlyArray<[RegExp, string]> = [
  [/(^|[\s"'=[,])provider=aws(?=$|[\s"',\]])/, 'go-discover provider=aws: ec2:DescribeInstances'],
];

/** The first sign that one container calls AWS (see `awsCallSigns`). */
function callSign(tpl: Template, def: MapNode): string | undefined {
  const images = literalValues(get(def, 'Image')) ?? [];
  // Images whose whole purpose is calling AWS APIs (the AWS CLI, an AWS agent).
  const client = images.map(awsImage).find((i) => i);
  if (client) return `${client.label} image`;
  const environment = items(get(def, 'Environment')).map(asMap);
  for (const env of environment) {
    const target = referencesIn(get(env, 'Value')).map((r) => tpl.resource(r.target)).find((r) => r && AWS_API_SERVICES.test(r.type));
    if (target) return `${literal(get(env, 'Name')) ?? 'an environment variable'} refers to ${target.type} ${target.id}`;
  }
  const args = [get(def, 'Command'), get(def, 'EntryPoint'), ...environment.map((env) => get(env, 'Value'))].flatMap(stringParts);
  return AWS_CALL_ARGUMENTS.find(([re]) => args.some((a) => re.test(a)))?.[1];
}

/**
 * Signs that a task's containers call AWS: an AWS client image (the AWS CLI, X-Ray daemon, CloudWatch
 * agent, AWS for Fluent Bit, ADOT collector), an environment variable whose value refers to a resource
 * of the template (a table name, a queue URL, a bucket), or arguments that make a known tool call AWS
 * (go-discover's `provider=aws`). The first sign per container.
 */
export function awsCallSigns(tpl: Template, td: Resource): AwsCallSign[] {
  const out: AwsCallSign[] = [];
  for (const def of containerDefinitions(td)) {
    const sign = callSign(tpl, def);
    if (sign) out.push({ container: literal(get(def, 'Name')) ?? '(unnamed)', sign });
  }
  return out;
}

/**
 * The images of a task definition when every container runs a literal public image that someone else
 * publishes (`nginx`, `jboss/wildfly`, `docker.elastic.co/kibana/kibana:6.0.0`); undefined when any
 * container may run the team's own: a private ECR address or repository, an image built from a parameter,
 * a `Fn::Sub` with references or a CDK asset, registry credentials, a placeholder, or no readable image.
 */
export function publicImages(tpl: Template, td: Resource): string[] | undefined {
  const defs = containerDefinitions(td);
  if (!defs.length) return undefined;
  const out: string[] = [];
  for (const def of defs) {
    const image = get(def, 'Image');
    const values = literalValues(image);
    if (!values?.length || get(def, 'RepositoryCredentials') || isPrivateEcrImage(tpl, image)) return undefined;
    for (const value of values) {
      const ref = parseImage(value);
      if (!ref || isPlaceholder(ref)) return undefined;
      if (!out.includes(value)) out.push(value);
    }
  }
  return out;
}

/**
 * True when a task definition has no task role and needs none as far as the template shows: its tasks
 * cannot reach the instance role (Fargate only) and nothing shows AWS calls. `ecs-task-role-missing`
 * gives it an info, and `ecs-execution-role-missing` says so instead when it reports the same task.
 */
export function taskRoleOptional(tpl: Template, td: Resource): boolean {
  return !hasProperty(td, 'TaskRoleArn') && !awsCallSigns(tpl, td).length && !canUseHostCredentials(tpl, td);
}

// ---------------------------------------------------------------------------------------------------
// Task execution role: what needs it.

/**
 * Capacity whose hosts do not pull images or ship logs for tasks with an instance profile: on Fargate, ECS
 * Managed Instances and external instances (ECS Anywhere), the task execution role does.
 */
const NO_INSTANCE_PROFILE: Readonly<Record<string, string>> = { FARGATE: 'Fargate', MANAGED_INSTANCES: 'ECS Managed Instances', EXTERNAL: 'ECS Anywhere' };

/** Why a container needs the task execution role, in one scenario: jobs only it does, and those it does where no instance profile does. */
function executionRoleJobs(tpl: Template, container: MapNode, s: Scenario, noProfile: boolean): string[] {
  const out: string[] = [];
  const log = asMap(pick(get(container, 'LogConfiguration'), s));
  if (noProfile) {
    const image = pick(get(container, 'Image'), s);
    if (image && !isNoValue(image) && isPrivateEcrImage(tpl, image)) out.push('pulls its image from a private ECR repository');
    if (literal(pick(get(log, 'LogDriver'), s)) === 'awslogs') out.push('sends logs with the awslogs driver');
  }
  if (itemsIn(get(container, 'Secrets'), s).length || itemsIn(get(log, 'SecretOptions'), s).length) out.push('injects secrets from Secrets Manager or SSM Parameter Store');
  if (isSetIn(container, 'RepositoryCredentials', s)) out.push('pulls with private registry credentials');
  return out;
}

export interface MissingExecutionRole {
  /** One per container and job: `container app pulls its image from a private ECR repository, ...`. */
  reasons: string[];
  /** True when a scenario that lacks the role runs on Fargate. */
  onFargate: boolean;
  /** Otherwise, the capacity without an instance profile a scenario that lacks it runs on (`ECS Anywhere`). */
  capacity?: string;
}

/**
 * Why a task definition needs the task execution role in the scenarios where it has none (on Fargate for
 * private ECR pulls and awslogs, on any launch type for secrets and registry credentials); undefined when
 * no scenario both needs and lacks it. `ecs-execution-role-missing` reports these; `ecs-task-role-missing`
 * leaves such a task definition's Fargate finding to that error.
 */
export function missingExecutionRole(tpl: Template, td: Resource): MissingExecutionRole | undefined {
  // On EC2 only secrets and registry credentials need the role: skip the scenarios when no container has any.
  const noProfile = (compat: readonly string[]) => compat.some((c) => Object.hasOwn(NO_INSTANCE_PROFILE, c));
  if (!noProfile(compatibilities(td) ?? []) && !containerDefinitions(td).some((c) => ['Secrets', 'RepositoryCredentials'].some((k) => get(c, k)) || get(get(c, 'LogConfiguration'), 'SecretOptions'))) return undefined;
  const reasons: string[] = [];
  let onFargate = false;
  let capacity: string | undefined;
  for (const s of scenarios(tpl, [td.properties], [resourceCondition(td)]) ?? []) {
    if (isSetIn(td.properties, 'ExecutionRoleArn', s) !== false) continue;
    const compat = compatibilitiesIn(td, s);
    if (!compat) continue;
    const fargate = compat.includes('FARGATE');
    for (const container of containersIn(td, s)) {
      const why = executionRoleJobs(tpl, container, s, noProfile(compat));
      if (!why.length) continue;
      onFargate ||= fargate;
      capacity ??= compat.filter((c) => c !== 'FARGATE' && Object.hasOwn(NO_INSTANCE_PROFILE, c)).map((c) => NO_INSTANCE_PROFILE[c])[0];
      const name = literal(pick(get(container, 'Name'), s));
      const text = `${name === undefined ? 'a container' : `container ${name}`} ${why.join(', ')}`;
      if (!reasons.includes(text)) reasons.push(text);
    }
  }
  return reasons.length ? { reasons, onFargate, ...(capacity ? { capacity } : {}) } : undefined;
}
