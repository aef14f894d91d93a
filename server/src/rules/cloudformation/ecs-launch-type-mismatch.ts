// Services whose launch type or capacity providers need a compatibility their task definition lacks.
import { get } from '../../documents/nodes';
import { isNoValue } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { compatibilitiesIn, launchNeeds, onceEach, pick, resourceCondition, scenarios, SERVICE, TASK_DEFINITION } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-launch-type-mismatch',
    title: 'Service launch type does not match its task definition',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    description:
      'A task definition is validated for the launch types listed in `RequiresCompatibilities`, and a service can only run it on one of those. A service with `LaunchType: FARGATE` (or a capacity provider strategy using `FARGATE` / `FARGATE_SPOT`) needs a task definition that lists `FARGATE`; a service on EC2 capacity cannot run a task definition that lists only `FARGATE`. The deployment fails with "task definition does not support launch type".',
    fix: 'Make the two agree: add the service\'s launch type to the task definition\'s `RequiresCompatibilities` (for Fargate that also means `NetworkMode: awsvpc` and a task-level `Cpu`/`Memory` pair), or change the service\'s `LaunchType` / `CapacityProviderStrategy`.',
    messages: {
      mismatch: "Service {{service}} runs on {{launchType}} ({{how}}) but its task definition {{taskDefinition}} requires {{compatibilities}} only: the deployment fails. Add {{missing}} to the task definition's RequiresCompatibilities, or change the service's launch type.",
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [EC2]\n      NetworkMode: awsvpc\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      LaunchType: FARGATE\n      TaskDefinition: !Ref Task\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      LaunchType: FARGATE\n      TaskDefinition: !Ref Task\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const svc of tpl.byType(SERVICE)) {
      const first = onceEach();
      const tdValue = get(svc.properties, 'TaskDefinition');
      const tds = tpl.targets(tdValue).filter((r) => r.type === TASK_DEFINITION);
      if (!tds.length) continue;
      const nodes = [svc.properties, ...tds.map((td) => td.properties)];
      for (const s of scenarios(tpl, nodes, [resourceCondition(svc)]) ?? []) {
        const picked = pick(tdValue, s);
        if (!picked || isNoValue(picked)) continue;
        const td = tpl.targets(picked).find((r) => r.type === TASK_DEFINITION);
        if (!td) continue;
        const tdCondition = resourceCondition(td);
        if (tdCondition && s.has(tdCondition) && !s.get(tdCondition)) continue;
        // Only what the template states: without RequiresCompatibilities ECS may still validate for Fargate.
        if (!get(td.properties, 'RequiresCompatibilities')) continue;
        const compat = compatibilitiesIn(td, s);
        if (!compat || !compat.length) continue;
        const needs = launchNeeds(tpl, svc, s);
        const mismatch =
          needs.find((n) => n.compatibility === 'FARGATE' && !compat.includes('FARGATE')) ??
          needs.find((n) => n.compatibility === 'EC2' && compat.every((c) => c === 'FARGATE'));
        if (!mismatch || !first(mismatch.node)) continue;
        const asks = mismatch.compatibility === 'FARGATE' ? 'Fargate' : 'EC2';
        const lists = compat.join(', ');
        ctx.report({
          node: mismatch.node,
          messageId: 'mismatch', values: { service: ctx.name(svc), launchType: asks, how: mismatch.label, taskDefinition: ctx.name(td), compatibilities: lists, missing: mismatch.compatibility },
          related: [{ node: td.key, message: `Task definition ${ctx.name(td)} (RequiresCompatibilities: ${lists})` }],
        });
      }
    }
  },
});
