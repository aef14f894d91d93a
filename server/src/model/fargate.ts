// The task sizes AWS Fargate offers (Linux; Windows tasks start at 1 vCPU), and readers for the ways
// templates write them.

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Task-level CPU units Fargate offers, with the memory (MiB) each allows. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

/** parseCpu and parseMemory read values of at most this many characters (longer ones are not sizes). */
const MAX_SIZE_TEXT = 64;

/** Task `Cpu` in CPU units: `"512"`, `512`, `"0.5 vCPU"`, `"1 vcpu"`; undefined when not readable. */
export function parseCpu(value: string | undefined): number | undefined {
  // No size is written in more than a few characters; the length guard keeps the expression linear.
  const m = value === undefined || value.length > MAX_SIZE_TEXT ? null : /^\s*(\d*\.?\d+)\s*(vcpu)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return Number.isInteger(n) ? n : undefined;
}

/** Task `Memory` in MiB: `"1024"`, `1024`, `"2 GB"`, `"2GB"`; undefined when not readable. */
export function parseMemory(value: string | undefined): number | undefined {
  // No size is written in more than a few characters; the length guard keeps the expression linear.
  const m = value === undefined || value.length > MAX_SIZE_TEXT ? null : /^\s*(\d*\.?\d+)\s*(gb)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return Number.isInteger(n) ? n : undefined;
}

/** The valid Fargate memory for a CPU size closest to the one asked for (ties go to the larger). */
export function nearestFargateMemory(cpu: number, memory: number): number | undefined {
  const allowed = FARGATE_SIZES.get(cpu);
  if (!allowed) return undefined;
  let best = allowed[0];
  for (const m of allowed) if (Math.abs(m - memory) <= Math.abs(best - memory)) best = m;
  return best;
}

/** The smallest Fargate CPU size that allows a memory size. */
export function smallestFargateCpu(memory: number): number | undefined {
  for (const [cpu, allowed] of FARGATE_SIZES) if (allowed.includes(memory)) return cpu;
  return undefined;
}

/** The smallest Fargate size (CPU units, MiB) that holds what the containers ask for; undefined when none does. */
export function smallestFargateSize(cpu: number, memory: number): { cpu: number; memory: number } | undefined {
  for (const [c, allowed] of FARGATE_SIZES) {
    if (c < cpu) continue;
    const m = allowed.find((v) => v >= memory);
    if (m !== undefined) return { cpu: c, memory: m };
  }
  return undefined;
}
