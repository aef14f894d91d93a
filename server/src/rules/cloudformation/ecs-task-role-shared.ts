// Task definitions of different services that run with the same task role.
import type { Node, Pair } from '../../documents/nodes';
import { branches, intrinsic, literal, subVariables } from '../../model/intrinsics';
import { str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import type { Resource, Template } from '../../model/template';
import { resourceCondition, scenarios, servicesOf, TASK_DEFINITION } from '../ecs';

const ROLE_ARN = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/;

/** What a role value names: a resource of the template, or a role name read from a literal ARN or name. */
function roleIdentity(tpl: Template, value: Node): { key: string; label: string } | undefined {
  let found: { key: string; label: string } | undefined;
  for (const b of branches(value)) {
    let id: { key: string; label: string } | undefined;
    const target = tpl.targets(b)[0];
    if (target) id = { key: `resource:${target.id}`, label: target.id };
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
  label: string;
}

export default defineRule({
  meta: {
    id: 'ecs-task-role-shared',
    title: 'Task role shared by several ECS services',
    severity: 'info',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    description:
      'The **task role** (`TaskRoleArn`) is what the application code in a task uses for AWS calls, and each ECS service should have a role of its own. When the task definitions of different services run with the same role, that role holds the union of everything all of them need: each service can do what any of them may, which defeats least privilege and makes the blast radius of one compromised service the whole set.',
    fix: 'Create one `AWS::IAM::Role` per service (trusted by `ecs-tasks.amazonaws.com`), holding only the permissions that service uses, and point each task definition\'s `TaskRoleArn` at its own role. Shared permissions can live in a managed policy attached to each role.',
    messages: {
      shared: 'Task definition {{taskDefinition}} shares task role {{role}} with {{otherTaskDefinition}}: give each service its own',
    },
    details: {
      shared: 'Service {{service}} runs this task definition and service {{otherService}} runs {{otherTaskDefinition}}, both with task role {{role}}, so each holds the permissions the other needs. Give this service a task role of its own with only what it calls.',
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
      list.push({ td, pair, services, label: id.label });
    }
    /** Two services that can exist together (their resource conditions are not exclusive). */
    const together = (a: Resource, b: Resource, ...tds: Resource[]) =>
      a !== b && !!scenarios(tpl, [], [a, b, ...tds].map(resourceCondition))?.length;
    for (const uses of groups.values()) {
      const [first, ...rest] = uses;
      for (const use of rest) {
        const pairOf = use.services.flatMap((s) => first.services.map((f) => [s, f] as const)).find(([s, f]) => together(s, f, use.td, first.td));
        if (!pairOf) continue;
        const [svc, other] = pairOf;
        ctx.report({
          node: use.pair.key,
          messageId: 'shared', values: { taskDefinition: ctx.name(use.td), service: ctx.name(svc), role: use.label, otherTaskDefinition: ctx.name(first.td), otherService: ctx.name(other) },
          related: [{ node: first.pair.key, message: `Task definition ${ctx.name(first.td)} uses task role ${first.label} first` }],
          data: { role: use.label, resource: use.td.id },
        });
      }
    }
  },
});
