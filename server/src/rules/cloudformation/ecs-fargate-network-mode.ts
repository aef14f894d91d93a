// Fargate task definitions whose network mode is not awsvpc.
import { pair } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { dropFargateHint, fargateFixes, fargateScenarios, onceEach, pick, spell, TASK_DEFINITION } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecs-fargate-network-mode',
    title: 'Fargate task definition must use awsvpc networking',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    fixes: ['drop-fargate', 'set-network-mode'],
    description:
      'A task definition meant for Fargate (`RequiresCompatibilities` includes `FARGATE`) must set `NetworkMode: awsvpc`, which gives each task its own network interface. Any other mode, or leaving `NetworkMode` out (which means `bridge` on EC2), makes the registration fail for Fargate.',
    fix: 'Set `NetworkMode: awsvpc` on the task definition. The service then needs `NetworkConfiguration.AwsvpcConfiguration` (subnets, security groups, `AssignPublicIp`), and target groups in front of it must use `TargetType: ip`.',
    messages: {
      noNetworkMode: 'Task definition {{taskDefinition}} requires FARGATE but sets no {{networkMode}}: set it to awsvpc',
      wrongNetworkMode: 'Task definition {{taskDefinition}} requires FARGATE but uses network mode {{mode}}: use awsvpc',
    },
    details: {
      noNetworkMode: 'Fargate only runs awsvpc tasks (each task gets its own network interface); without {{networkMode}} the task definition is a bridge one, and registering it for Fargate fails. Set {{networkMode}} to awsvpc; the service then needs an awsvpc network configuration (subnets, security groups) and target groups in front of it TargetType ip.{{dropFargate}}',
      wrongNetworkMode: 'Fargate only runs awsvpc tasks (each task gets its own network interface), so registering a {{mode}} task definition for Fargate fails. Set {{networkMode}} to awsvpc; the service then needs an awsvpc network configuration (subnets, security groups) and target groups in front of it TargetType ip.{{dropFargate}}',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: bridge\n      Cpu: "256"\n      Memory: "512"\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "512"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const first = onceEach();
      const mode = pair(td.properties, 'NetworkMode');
      const words = { taskDefinition: ctx.name(td), networkMode: spell(ctx, 'NetworkMode', 'networkMode'), dropFargate: dropFargateHint(ctx, td) };
      const fixes = fargateFixes(ctx, td, 'set-network-mode');
      for (const s of fargateScenarios(tpl, td)) {
        const value = mode ? pick(mode.value, s) : undefined;
        if (mode && !value) continue;
        const data = { networkMode: 'awsvpc', resource: td.id, ...fixes };
        if (!value || isNoValue(value)) {
          const node = value ?? td.key;
          if (first(node)) ctx.report({ node, messageId: 'noNetworkMode', values: words, data });
          continue;
        }
        const lit = literal(value);
        if (lit === undefined || lit.toLowerCase() === 'awsvpc') continue;
        if (first(value)) ctx.report({ node: value, messageId: 'wrongNetworkMode', values: { ...words, mode: lit }, data });
      }
    }
  },
});
