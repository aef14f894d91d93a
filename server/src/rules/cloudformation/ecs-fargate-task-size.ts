// Fargate task definitions without task-level Cpu and Memory, or with a pair Fargate does not offer.
import { get, pair, type MapNode, type Node } from '../../documents/nodes';
import { isNoValue, literal } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import {
  FARGATE_SIZES,
  fargateScenarios,
  nearestFargateMemory,
  onceEach,
  parseCpu,
  parseMemory,
  pick,
  smallestFargateCpu,
  smallestFargateSize,
  TASK_DEFINITION,
  containersIn,
  dropFargateHint,
  fargateFixes,
  spell,
  type Scenario,
} from '../ecs';

const CPU_SIZES = [...FARGATE_SIZES.keys()].join(', ');

function range(cpu: number): string {
  const allowed = FARGATE_SIZES.get(cpu)!;
  if (allowed.length <= 3) return allowed.join(', ');
  return `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}`;
}

export default defineRule({
  meta: {
    id: 'ecs-fargate-task-size',
    title: 'Fargate task definition needs a supported Cpu and Memory pair',
    severity: 'error',
    kb: 'ecs-fargate-launch-type',
    appliesTo: ['cloudformation'],
    fixes: ['drop-fargate', 'set-task-size'],
    description:
      'On Fargate the task is the unit AWS sizes and bills, so `Cpu` and `Memory` are mandatory at task level and must form one of the supported pairs: 256 CPU units allow 512, 1024 or 2048 MiB; 512 allow 1024 to 4096; 1024 allow 2048 to 8192; 2048 allow 4096 to 16384; 4096 allow 8192 to 30720 (steps of 1024); 8192 allow 16384 to 61440 (steps of 4096); 16384 allow 32768 to 122880 (steps of 8192). Any other combination fails at registration.',
    fix: 'Set task-level `Cpu` (CPU units, or e.g. `1 vCPU`) and `Memory` (MiB, or e.g. `2 GB`) to a supported pair, sized for the sum of what the containers need.',
    messages: {
      missingSize: 'Task definition {{taskDefinition}} requires FARGATE but has no task-level {{missing}}',
      unsupportedCpu: 'Task definition {{taskDefinition}} asks for {{cpu}} CPU units, a size Fargate does not offer',
      unsupportedPair: 'Task definition {{taskDefinition}} pairs {{cpuKey}} {{cpu}} with {{memoryKey}} {{memory}}, which Fargate does not offer',
    },
    details: {
      missingSize: 'Fargate sizes and bills the task as a whole, so task-level CPU and memory are mandatory and registering the task definition for Fargate fails without them. Set a supported pair for the sum of what the containers need, e.g. {{example}}.{{dropFargate}}',
      unsupportedCpu: 'Fargate tasks take one of {{cpuSizes}} CPU units; registering this task definition for Fargate fails. Use the nearest supported size ({{nearestCpu}}) or one that fits the containers.',
      unsupportedPair: 'With {{cpuUnits}} CPU units Fargate offers {{allowed}} MiB of memory; registering this pair fails. Use {{nearest}} MiB, or change the CPU to a size that allows this memory.',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "256"\n      Memory: "4096"\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: "1024"\n      Memory: "4096"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      const first = onceEach();
      const cpuPair = pair(td.properties, 'Cpu');
      const memPair = pair(td.properties, 'Memory');
      /** The value in a scenario: a node, 'missing', or undefined when unknown. */
      const read = (p: typeof cpuPair, s: Scenario): Node | 'missing' | undefined => {
        if (!p) return 'missing';
        const v = pick(p.value, s);
        if (!v) return undefined;
        return isNoValue(v) ? 'missing' : v;
      };
      // What the task definition is, whatever the scenario: its drop-FARGATE advice and the fixes that follow.
      const dropFargate = dropFargateHint(ctx, td);
      const fixes = fargateFixes(ctx, td, 'set-task-size');
      for (const s of fargateScenarios(tpl, td)) {
        const cpuNode = read(cpuPair, s);
        const memNode = read(memPair, s);
        if (cpuNode === undefined || memNode === undefined) continue;
        const name = ctx.name(td);
        if (cpuNode === 'missing' || memNode === 'missing') {
          const missing = [cpuNode === 'missing' && 'Cpu', memNode === 'missing' && 'Memory'].filter(Boolean).join(' and ');
          const cpu = cpuNode === 'missing' ? undefined : parseCpu(literal(cpuNode));
          const mem = memNode === 'missing' ? undefined : parseMemory(literal(memNode));
          // Both missing: the smallest size that holds the containers' own Cpu and Memory.
          const fits = smallestFargateSize(...containerNeeds(containersIn(td, s))) ?? { cpu: 256, memory: 512 };
          let data: Record<string, unknown> = { fix: 'set-task-size', cpu: String(fits.cpu), memory: String(fits.memory) };
          if (cpu !== undefined && FARGATE_SIZES.has(cpu)) data = { fix: 'set-task-size', memory: String(FARGATE_SIZES.get(cpu)![0]) };
          else if (mem !== undefined && smallestFargateCpu(mem) !== undefined) data = { fix: 'set-task-size', cpu: String(smallestFargateCpu(mem)) };
          const [exCpu, exMem] = [data.cpu ?? cpu ?? fits.cpu, data.memory ?? mem ?? fits.memory];
          const example = ctx.file.kind === 'cdk' ? `\`cpu: ${exCpu}\` with \`memoryLimitMiB: ${exMem}\`` : `${spell(ctx, 'Cpu')}: "${exCpu}" with ${spell(ctx, 'Memory')}: "${exMem}"`;
          if (first(td.key)) {
            ctx.report({
              node: td.key,
              messageId: 'missingSize', values: { taskDefinition: name, missing, example, dropFargate },
              data: { ...data, resource: td.id, ...fixes },
            });
          }
          continue;
        }
        const cpuText = literal(cpuNode);
        const memText = literal(memNode);
        const cpu = parseCpu(cpuText);
        if (cpu === undefined) continue;
        if (!FARGATE_SIZES.has(cpu)) {
          if (first(cpuNode)) {
            ctx.report({
              node: cpuNode,
              messageId: 'unsupportedCpu', values: { taskDefinition: name, cpu: cpuText!, cpuSizes: CPU_SIZES, nearestCpu: nearestCpu(cpu) },
              data: { cpu: String(nearestCpu(cpu)), resource: td.id, ...fixes },
            });
          }
          continue;
        }
        const mem = parseMemory(memText);
        if (mem === undefined || FARGATE_SIZES.get(cpu)!.includes(mem)) continue;
        const memory = String(nearestFargateMemory(cpu, mem));
        if (first(memNode)) {
          ctx.report({
            node: memNode,
            messageId: 'unsupportedPair', values: { taskDefinition: name, cpuKey: spell(ctx, 'Cpu', 'cpu'), memoryKey: spell(ctx, 'Memory', 'memoryLimitMiB'), cpu: cpuText!, memory: memText!, cpuUnits: cpu, allowed: range(cpu), nearest: memory },
            data: { memory, resource: td.id, ...fixes },
          });
        }
      }
    }
  },
});

/** What the containers ask for together: CPU units and MiB (`Memory`, else `MemoryReservation`); 0 when unread. */
function containerNeeds(containers: MapNode[]): [cpu: number, memory: number] {
  let cpu = 0;
  let memory = 0;
  for (const c of containers) {
    cpu += Number(literal(get(c, 'Cpu'))) || 0;
    memory += Number(literal(get(c, 'Memory') ?? get(c, 'MemoryReservation'))) || 0;
  }
  return [cpu, memory];
}

function nearestCpu(cpu: number): number {
  let best = 256;
  for (const c of FARGATE_SIZES.keys()) if (Math.abs(c - cpu) < Math.abs(best - cpu)) best = c;
  return best;
}
