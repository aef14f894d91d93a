// Reading what an IAM role of the template may do: the policies it carries, and whether they only serve
// the sidecars and agents every task runs alike (Envoy, the CloudWatch agent, the X-Ray daemon, logging).
import { get, items, str, type Node } from '../documents/nodes';
import { intrinsic, literalValues, subVariables } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';

/**
 * AWS managed policies made for sidecars and agents: App Mesh Envoy, the CloudWatch agent, the X-Ray
 * daemon, and CloudWatch's own (which these samples give their agents; broader than an agent needs, but
 * a role per service would get them just the same).
 */
const AGENT_MANAGED_POLICIES: ReadonlySet<string> = new Set([
  'AWSAppMeshEnvoyAccess', 'AWSAppMeshPreviewEnvoyAccess',
  'CloudWatchAgentServerPolicy',
  'AWSXRayDaemonWriteAccess', 'AWSXrayWriteOnlyAccess',
  'CloudWatchLogsFullAccess', 'CloudWatchFullAccess', 'CloudWatchFullAccessV2',
]);

/** Actions an agent's inline statement may allow: CloudWatch Logs, metric data, X-Ray segments and sampling, Envoy's configuration stream. */
const AGENT_ACTION = /^(logs:.+|cloudwatch:PutMetricData|xray:(Put(TraceSegments|TelemetryRecords)|GetSampling\w*)|appmesh:StreamAggregatedResources)$/i;

/** `arn:<partition>:iam::aws:policy/[path/]<name>`, the partition literal or `${AWS::Partition}`. */
const AWS_MANAGED_ARN = /^arn:(?:[a-z-]+|\$\{AWS::Partition\}):iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** The policies a role carries, as read from the template. */
export interface RolePolicies {
  /** AWS managed policy names (`AWSAppMeshEnvoyAccess`), in order. */
  managed: string[];
  /** Inline and customer managed policy documents (`PolicyDocument` values), from the role or attached to it. */
  documents: Node[];
  /** False when a policy could not be read (a parameter ARN, a policy resource whose document is not literal). */
  known: boolean;
}

/** The policies of an `AWS::IAM::Role`: its `ManagedPolicyArns` and `Policies`, and the policy resources of the template attached to it. */
export function rolePolicies(tpl: Template, role: Resource): RolePolicies {
  const out: RolePolicies = { managed: [], documents: [], known: true };
  const listed = new Set<Resource>();
  for (const arn of items(get(role.properties, 'ManagedPolicyArns'))) {
    const target = tpl.targets(arn)[0];
    if (target?.type === 'AWS::IAM::ManagedPolicy') {
      listed.add(target);
      addDocument(out, get(target.properties, 'PolicyDocument'));
      continue;
    }
    const name = managedPolicyName(arn);
    if (name) out.managed.push(name);
    else out.known = false;
  }
  for (const p of items(get(role.properties, 'Policies'))) addDocument(out, get(p, 'PolicyDocument'));
  // Policy resources that name the role in `Roles` (`RoleName` for a RolePolicy); managed ones listed above count once.
  for (const res of tpl.byType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy')) {
    if (listed.has(res)) continue;
    const names = res.type === 'AWS::IAM::RolePolicy' ? [get(res.properties, 'RoleName')] : items(get(res.properties, 'Roles'));
    if (names.some((n) => tpl.targets(n).includes(role))) addDocument(out, get(res.properties, 'PolicyDocument'));
  }
  return out;
}

function addDocument(out: RolePolicies, doc: Node | undefined): void {
  if (doc) out.documents.push(doc);
  else out.known = false;
}

/** The name of an AWS managed policy an ARN names (literal, or a `Fn::Sub` on `${AWS::Partition}`). */
function managedPolicyName(arn: Node): string | undefined {
  const values = literalValues(arn) ?? pseudoSub(arn);
  const names = values?.map((v) => AWS_MANAGED_ARN.exec(v)?.[1]);
  return names?.length === 1 ? names[0] : undefined;
}

function pseudoSub(node: Node): string[] | undefined {
  const i = intrinsic(node);
  const text = i?.name === 'Fn::Sub' ? str(i.arg) : undefined;
  return text !== undefined && subVariables(text).every((v) => v.trim() === 'AWS::Partition') ? [text] : undefined;
}

/** True when every statement a policy document allows is an agent's (CloudWatch Logs, metrics, X-Ray, Envoy). */
function agentDocument(doc: Node): boolean {
  const statements = get(doc, 'Statement');
  const list = items(statements).length ? items(statements) : statements ? [statements] : [];
  if (!list.length) return false;
  return list.every((st) => {
    if (str(get(st, 'Effect')) === 'Deny') return true;
    if (get(st, 'NotAction')) return false;
    const action = get(st, 'Action');
    const actions = (items(action).length ? items(action) : action ? [action] : []).map((a) => literalValues(a));
    return actions.length > 0 && actions.every((values) => !!values && values.every((v) => AGENT_ACTION.test(v)));
  });
}

/**
 * When every policy a role carries serves sidecars or agents (and there is at least one), their names
 * (inline documents as `inline CloudWatch Logs/X-Ray`); undefined otherwise.
 */
export function agentOnlyPolicies(policies: RolePolicies): string[] | undefined {
  if (!policies.known || !(policies.managed.length + policies.documents.length)) return undefined;
  if (!policies.managed.every((m) => AGENT_MANAGED_POLICIES.has(m)) || !policies.documents.every(agentDocument)) return undefined;
  return [...policies.managed, ...(policies.documents.length ? [`${policies.documents.length === 1 ? 'an inline policy' : `${policies.documents.length} inline policies`} for logs, metrics or traces`] : [])];
}
