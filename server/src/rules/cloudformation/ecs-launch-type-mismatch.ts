// Services whose launch type or capacity providers need a compatibility their task definition lacks.
import { get } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { listed } from '../words';
import type { Resource } from '../../model/template';
import { compatibilitiesIn, isSetIn, launchNeeds, onceEach, pick, resourceCondition, scenarios, spell, SERVICE, TASK_DEFINITION, type Scenario } from '../ecs';

/** Everything a task definition lacks to run on Fargate, in one scenario, as the list of edits to make. */
function fargateChanges(td: Resource, s: Scenario, name: (cfn: string) => string, listsFargate: boolean): string[] {
  const out: string[] = [];
  if (!listsFargate) out.push(`add FARGATE to ${name('RequiresCompatibilities')}`);
  const mode = pick(get(td.properties, 'NetworkMode'), s);
  const modeValue = mode && !isNoValue(mode) ? literal(mode) : undefined;
  if (modeValue !== 'awsvpc') out.push(`set ${name('NetworkMode')} to awsvpc${modeValue ? ` (now \`${modeValue}\`)` : ''}`);
  if (isSetIn(td.properties, 'Cpu', s) === false || isSetIn(td.properties, 'Memory', s) === false) out.push(`set task-level ${name('Cpu')} and ${name('Memory')} to a Fargate size`);
  return out;
}

export default defineRule({
  meta: {
    id: 'ecs-launch-type-mismatch',
    title: 'Service launch type does not match its task definition',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    description:
      'A task definition is validated for the launch types listed in `RequiresCompatibilities`, and a service can only run it on one of those. A service on Fargate cannot use the `DAEMON` scheduling strategy either (there are no container instances to run one task on each). A service with `LaunchType: FARGATE` (or a capacity provider strategy using `FARGATE` / `FARGATE_SPOT`) needs a task definition that lists `FARGATE`; a service on EC2 capacity cannot run a task definition that lists only `FARGATE`. The deployment fails with "task definition does not support launch type".',
    fix: 'Make the two agree: add the service\'s launch type to the task definition\'s `RequiresCompatibilities` (for Fargate that also means `NetworkMode: awsvpc` and a task-level `Cpu`/`Memory` pair), or change the service\'s `LaunchType` / `CapacityProviderStrategy`.',
    messages: {
      mismatch: 'Service {{service}} runs on {{launchType}} but task definition {{taskDefinition}} requires {{compatibilities}} only',
      networkMode: 'Service {{service}} runs on Fargate but task definition {{taskDefinition}} uses network mode "{{mode}}"',
      daemonOnFargate: 'Service {{service}} runs on Fargate with the DAEMON scheduling strategy, which Fargate does not support',
    },
    details: {
      mismatch: 'The service asks for {{launchType}} ({{how}}), and a task definition only runs on the launch types its {{requires}} lists: the deployment fails. To run it there, {{change}}; or change the service\'s launch type.',
      networkMode: 'The service asks for Fargate ({{how}}). The task definition lists no {{requires}}, and Fargate runs only `awsvpc` tasks, so ECS cannot place it there: the deployment fails. To run it on Fargate, {{change}}; or run the service on EC2 capacity.',
      daemonOnFargate: 'The service asks for Fargate ({{how}}), which has no container instances to place one task on each, so creating a DAEMON service there fails. Use {{strategy}} REPLICA with a desired count, or run the daemon on EC2 capacity (on Fargate, a sidecar container in each task usually does a daemon\'s job).',
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
      // DAEMON places one task per container instance: Fargate has none (whatever the task definition).
      const strategy = get(svc.properties, 'SchedulingStrategy');
      if (literal(strategy)?.toUpperCase() === 'DAEMON') {
        for (const s of scenarios(tpl, [svc.properties], [resourceCondition(svc)]) ?? []) {
          const fargate = launchNeeds(tpl, svc, s).find((n) => n.compatibility === 'FARGATE');
          if (!fargate || !first(strategy!)) continue;
          ctx.report({
            node: strategy!,
            messageId: 'daemonOnFargate',
            values: { service: ctx.name(svc), how: fargate.label, strategy: spell(ctx, 'SchedulingStrategy') },
            related: [{ node: fargate.node, message: `Service ${ctx.name(svc)} asks for Fargate (${fargate.label})` }],
          });
        }
      }
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
        const name = (cfn: string) => spell(ctx, cfn);
        const values = { service: ctx.name(svc), taskDefinition: ctx.name(td), requires: name('RequiresCompatibilities') };
        // Without RequiresCompatibilities ECS may still validate the task definition for Fargate, unless its
        // network mode is one Fargate cannot run.
        if (!get(td.properties, 'RequiresCompatibilities')) {
          const mode = pick(get(td.properties, 'NetworkMode'), s);
          const modeValue = mode && !isNoValue(mode) ? literal(mode) : undefined;
          if (!modeValue || modeValue === 'awsvpc') continue;
          const fargate = launchNeeds(tpl, svc, s).find((n) => n.compatibility === 'FARGATE');
          if (!fargate || !first(fargate.node)) continue;
          const change = listed(fargateChanges(td, s, name, false));
          ctx.report({
            node: fargate.node,
            messageId: 'networkMode',
            values: { ...values, mode: modeValue, how: fargate.label, change },
            related: [{ node: mode!, message: `Task definition ${ctx.name(td)} (NetworkMode: ${modeValue})` }],
          });
          continue;
        }
        const compat = compatibilitiesIn(td, s);
        if (!compat || !compat.length) continue;
        const needs = launchNeeds(tpl, svc, s);
        const mismatch =
          needs.find((n) => n.compatibility === 'FARGATE' && !compat.includes('FARGATE')) ??
          needs.find((n) => n.compatibility === 'EC2' && compat.every((c) => c === 'FARGATE'));
        if (!mismatch || !first(mismatch.node)) continue;
        const asks = mismatch.compatibility === 'FARGATE' ? 'Fargate' : 'EC2';
        const lists = compat.join(', ');
        const change = mismatch.compatibility === 'FARGATE' ? listed(fargateChanges(td, s, name, false)) : `add EC2 to the task definition's ${name('RequiresCompatibilities')}`;
        ctx.report({
          node: mismatch.node,
          messageId: 'mismatch', values: { ...values, launchType: asks, how: mismatch.label, compatibilities: lists, change },
          related: [{ node: td.key, message: `Task definition ${ctx.name(td)} (RequiresCompatibilities: ${lists})` }],
        });
      }
    }
  },
});
