// ecs-fargate-task-size (`set-task-size`): a Cpu/Memory pair Fargate offers. The nearest valid Memory for
// the Cpu as written, a Cpu size that allows the Memory (`data.cpu` when the rule suggests one), or both
// when missing.
import { get } from '../documents/nodes';
import { literal } from '../model/intrinsics';
import { FARGATE_SIZES, nearestFargateMemory, parseCpu, parseMemory, smallestFargateCpu } from '../model/fargate';
import type { Value } from './edit';
import { defineFix, findingResource, setProperties, type Fix, type FixContext } from './types';

export const setTaskSize = defineFix<{ resource: string; cpu: string; memory: string }>({
  id: 'set-task-size',
  summary: 'sets `Memory` to the nearest size Fargate allows for the `Cpu`, `Cpu` to the smallest size that allows the `Memory`, or both (neither set) to the smallest size that holds the containers.',
  provide,
});

function provide(ctx: FixContext<{ resource: string; cpu: string; memory: string }>): Fix[] {
  const td = findingResource(ctx, 'AWS::ECS::TaskDefinition');
  if (!td) return [];
  const cpuNode = get(td.properties, 'Cpu');
  const memNode = get(td.properties, 'Memory');
  const cpuText = cpuNode ? literal(cpuNode) : undefined;
  const memText = memNode ? literal(memNode) : undefined;
  // A value set through a parameter or a condition is not ours to rewrite.
  if ((cpuNode && cpuText === undefined) || (memNode && memText === undefined)) return [];
  const cpu = parseCpu(cpuText);
  const mem = parseMemory(memText);
  const data = ctx.data;
  const fixes: Fix[] = [];
  const offer = (title: string, entries: Array<[string, Value]>, preferred = false) => {
    const edits = setProperties(ctx, td, [], entries);
    if (edits.length) fixes.push({ title, edits, preferred });
  };
  if (cpu !== undefined && FARGATE_SIZES.has(cpu)) {
    if (mem !== undefined && FARGATE_SIZES.get(cpu)!.includes(mem)) return [];
    const memory = mem === undefined ? FARGATE_SIZES.get(cpu)![0] : nearestFargateMemory(cpu, mem)!;
    offer(`Set Memory to ${memory} MiB, the nearest size Fargate allows with Cpu ${cpuText}`, [['Memory', memoryValue(memory, memText)]], true);
    const cpuForMem = mem === undefined ? undefined : smallestFargateCpu(mem);
    if (cpuForMem !== undefined) offer(`Set Cpu to ${cpuForMem}, the smallest size that allows Memory ${memText}`, [['Cpu', sameShape(String(cpuForMem), cpuText)]]);
    return fixes;
  }
  if (cpu === undefined && cpuNode === undefined) {
    const forMem = mem === undefined ? undefined : smallestFargateCpu(mem);
    if (forMem !== undefined) offer(`Set Cpu to ${forMem}, the smallest size that allows Memory ${memText}`, [['Cpu', String(forMem)]], true);
    else if (memNode === undefined) {
      // The size the rule chose to hold the containers, else the smallest Fargate size.
      const [c, m]: [string, string] = FARGATE_SIZES.get(Number(data.cpu))?.includes(Number(data.memory)) ? [String(data.cpu), String(data.memory)] : ['256', '512'];
      offer(`Set Cpu "${c}" and Memory "${m}" (the smallest Fargate size that holds the containers)`, [['Cpu', c], ['Memory', m]], true);
    }
    return fixes;
  }
  // A Cpu Fargate does not offer: the size the rule suggests, else the nearest.
  if (cpu !== undefined) {
    const suggested = Number(data.cpu);
    const target = FARGATE_SIZES.has(suggested) ? suggested : nearest(cpu);
    const entries: Array<[string, Value]> = [['Cpu', sameShape(String(target), cpuText)]];
    if (mem === undefined || !FARGATE_SIZES.get(target)!.includes(mem)) entries.push(['Memory', memoryValue(mem === undefined ? FARGATE_SIZES.get(target)![0] : nearestFargateMemory(target, mem)!, memText)]);
    offer(`Set Cpu to ${target}${entries.length > 1 ? ` and Memory to ${(entries[1][1] as string)}` : ''}`, entries, true);
  }
  return fixes;
}

function nearest(cpu: number): number {
  let best = 256;
  for (const c of FARGATE_SIZES.keys()) if (Math.abs(c - cpu) < Math.abs(best - cpu)) best = c;
  return best;
}

/** Memory written the way the user wrote it: `2 GB` stays in GB when it can, MiB otherwise. */
function memoryValue(mib: number, written: string | undefined): string {
  const gb = written && written.length <= 64 ? /^\s*\d*\.?\d+(\s*)gb\s*$/i.exec(written) : null;
  if (gb && mib % 1024 === 0) return `${mib / 1024}${gb[1]}${/GB/.test(written!) ? 'GB' : 'gb'}`;
  return String(mib);
}

function sameShape(value: string, written: string | undefined): string {
  const v = written && written.length <= 64 ? /^\s*\d*\.?\d+(\s*)vcpu\s*$/i.exec(written) : null;
  if (v && Number(value) % 256 === 0) return `${Number(value) / 1024}${v[1]}vCPU`;
  return value;
}
