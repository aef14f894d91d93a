// Task definitions of different services that run with the same task role.
import type { Node, Pair } from '../../documents/nodes';
import { branches, intrinsic, literal, subVariables } from '../../model/intrinsics';
import { str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import type { Resource, Template } from '../../model/template';
import { resourceCondition, scenarios, servicesOf, TASK_DEFINITION } from '../ecs';
import { agentOnlyPolicies, rolePolicies } from '../iam';
import { listed } from '../words';

const ROLE_ARN = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/;

interface RoleIdentity {
  key: string;
  label: string;
  /** The role's resource, when the template defines it. */
  role?: Resource;
}

/** What a role value names: a resource of the template, or a role name read from a literal ARN or name. */
function roleIdentity(tpl: Template, value: Node): RoleIdentity | undefined {
  let found: RoleIdentity | undefined;
  for (const b of branches(value)) {
    let id: RoleIdentity | undefined;
    const target = tpl.targets(b)[0];
    if (target) id = { key: `resource:${target.id}`, label: target.id, role: target };
    else {
      const text = literal(b) ?? pseudoOnlySub(b);
      if (text === undefined) return undefined;
      const name = ROLE_ARN.exec(text)?.[1] ?? (text.includes(':') ? text : text.replace(/^.*\//, ''));
      id = { key: `role:${name}`, label: name };
    }
    if (found && found.key !== id.key) return undefined;
    found = id;
  }
  return found;
}

/** A `Fn::Sub` whose only variables are pseudo parameters (`${AWS::AccountId}`), as written. */
function pseudoOnlySub(node: Node): string | undefined {
  const i = intrinsic(node);
  const text = i?.name === 'Fn::Sub' ? str(i.arg) : undefined;
  if (text === undefined) return undefined;
  return subVariables(text).every((v) => v.trim().startsWith('AWS::')) ? text : undefined;
}

interface Use {
  td: Resource;
  pair: Pair;
  services: Resource[];
  id: RoleIdentity;
}

export default defineRule({
  meta: {
    id: 'ecs-task-role-shared',
    title: 'Task role shared by several ECS services',
    severity: 'info',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    description:
      'The **task role** (`TaskRoleArn`) is what the application code in a task uses for AWS calls, and each ECS service should have a role of its own. When the task definitions of different services run with the same role, that role holds the union of everything all of them need: each service can do what any of them may, which defeats least privilege and makes the blast radius of one compromised service the whole set. One finding per shared role: on the role when the template defines it (else on the first task definition\'s `TaskRoleArn`), the task definitions sharing it as related locations. A role whose every policy serves the sidecars and agents all tasks run alike is a **hint**: the AWS managed policies for App Mesh Envoy (`AWSAppMeshEnvoyAccess`), the CloudWatch agent (`CloudWatchAgentServerPolicy`), X-Ray (`AWSXRayDaemonWriteAccess`, `AWSXrayWriteOnlyAccess`) and CloudWatch (`CloudWatchFullAccess`, `CloudWatchLogsFullAccess`), and inline statements that only allow CloudWatch Logs, `cloudwatch:PutMetricData`, X-Ray writes and sampling or `appmesh:StreamAggregatedResources`. Every task needs the same from such a role, so sharing it gives no service more than the others need (a role per service could still scope Envoy to its own virtual node). A role with no policies in the template, or one that cannot be read, is reported as shared.',
    fix: 'Create one `AWS::IAM::Role` per service (trusted by `ecs-tasks.amazonaws.com`), holding only the permissions that service uses, and point each task definition\'s `TaskRoleArn` at its own role. Shared permissions can live in a managed policy attached to each role.',
    messages: {
      shared: 'Task role {{role}} is shared by {{count}} task definitions: give each service its own',
      sharedAgentRole: 'Task role {{role}}, with sidecar and agent policies only, is shared by {{count}} task definitions',
    },
    details: {
      shared: 'Services {{services}} run task definitions {{taskDefinitions}}, all with task role {{role}}, so each holds the permissions any of the others needs. Give each service a task role of its own with only what it calls; permissions all of them need can go in a managed policy attached to each role.',
      sharedAgentRole: 'Services {{services}} run task definitions {{taskDefinitions}}, all with task role {{role}}, whose policies ({{policies}}) serve the sidecars and agents every task runs alike (Envoy, the CloudWatch agent, the X-Ray daemon, logging): sharing it gives no service more than the others need. When a service needs AWS calls of its own, give it a role of its own rather than adding them to this one.',
    },
    example: {
      fires: 'Resources:\n  AppRole:\n    Type: AWS::IAM::Role\n  ApiTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt AppRole.Arn\n  WorkerTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt AppRole.Arn\n  Api:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref ApiTask }\n  Worker:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref WorkerTask }\n',
      fixed: 'Resources:\n  ApiRole:\n    Type: AWS::IAM::Role\n  WorkerRole:\n    Type: AWS::IAM::Role\n  ApiTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt ApiRole.Arn\n  WorkerTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt WorkerRole.Arn\n  Api:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref ApiTask }\n  Worker:\n    Type: AWS::ECS::Service\n    Properties: { TaskDefinition: !Ref WorkerTask }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const groups = new Map<string, Use[]>();
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const pair = tpl.prop(td, 'TaskRoleArn');
      if (!pair) continue;
      const services = servicesOf(tpl, td);
      const id = services.length ? roleIdentity(tpl, pair.value) : undefined;
      if (!id) continue;
      let list = groups.get(id.key);
      if (!list) groups.set(id.key, (list = []));
      list.push({ td, pair, services, id });
    }
    /** Two services that can exist together (their resource conditions are not exclusive). */
    const together = (a: Resource, b: Resource, ...tds: Resource[]) =>
      a !== b && !!scenarios(tpl, [], [a, b, ...tds].map(resourceCondition))?.length;
    /** A service of one use that can run together with a service of the other. */
    const partner = (u: Use, v: Use) => u.services.some((s) => v.services.some((o) => together(s, o, u.td, v.td)));
    for (const uses of groups.values()) {
      // The task definitions whose services run together with a service of another one of the group.
      const sharing = uses.filter((u) => uses.some((v) => v !== u && partner(u, v)));
      if (sharing.length < 2) continue;
      const { id } = sharing[0];
      const role = id.role ? ctx.name(id.role) : id.label;
      const agents = id.role?.type === 'AWS::IAM::Role' ? agentOnlyPolicies(rolePolicies(tpl, id.role)) : undefined;
      const services = [...new Set(sharing.flatMap((u) => u.services))].map((s) => ctx.name(s));
      const values = { role, count: String(sharing.length), services: listed(services), taskDefinitions: listed(sharing.map((u) => ctx.name(u.td))), policies: listed(agents ?? []) };
      // On the role when the template defines it (the one thing to change), else on the first TaskRoleArn.
      const anchor = id.role ? undefined : sharing[0];
      ctx.report({
        node: id.role ? id.role.key : sharing[0].pair.value,
        messageId: agents ? 'sharedAgentRole' : 'shared',
        values,
        related: sharing.filter((u) => u !== anchor).map((u) => ({ node: u.pair.value, message: `Task definition ${ctx.name(u.td)} (service ${listed(u.services.map((s) => ctx.name(s)))}) runs with task role ${role}` })),
        data: { role, resource: id.role?.id ?? sharing[0].td.id },
        severity: agents ? 'hint' : undefined,
      });
    }
  },
});
