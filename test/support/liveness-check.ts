// Proves liveness by execution: runs a static SPARC Linux program while, before every instruction,
// every register the analysis calls free gets a new random value; the output must not change.
// On a difference, bisection over the instrumented points names the guilty point and register.
import {
  analyzeProgram, elfCodeSource, FLAG_ICC, FLAG_Y, namesOf, type ProgramAnalysis, type RegisterPolicy,
} from '../../src/main/core/analysis/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { LinuxProcess, Machine, linuxImageFromElf, type Cpu } from '../../src/main/core/machine/index.ts';

export interface Outcome {
  stdout: string;
  status: number | null;
  signal: number | null;
  instructions: number;
  /** Instructions before which at least one register was overwritten. */
  clobberedPoints: number;
  /** Register (and flag) values overwritten in total. */
  clobbers: number;
}

export interface ClobberOptions {
  args?: readonly string[];
  seed?: number;
  /** Only clobber before these instruction indices (all analysed points when absent). */
  only?: ReadonlySet<number>;
  /** Only clobber these registers (mask; default all free ones). */
  regMask?: number;
  /** Also clobber icc and %y where free (default true). */
  flags?: boolean;
  maxInstructions?: number;
  /** Free masks to use instead of the analysis's own (to show that a wrong answer is caught). */
  masks?: { regs: Int32Array; flags: Uint8Array };
}

export function analyze(bytes: Uint8Array, policy?: RegisterPolicy): ProgramAnalysis {
  return analyzeProgram(elfCodeSource(parseElf(bytes), 'program'), policy === undefined ? {} : { policy });
}

/** Runs the program; with `analysis`, clobbers free registers before every instruction. */
export function run(bytes: Uint8Array, analysis: ProgramAnalysis | null, options: ClobberOptions = {}): Outcome {
  const machine = new Machine({ ramSize: 2 ** 32, engine: 'fast', nwindows: 8, quantum: 1 << 30 });
  const chunks: number[] = [];
  const proc = new LinuxProcess(machine, linuxImageFromElf(bytes), {
    argv: ['program', ...(options.args ?? [])],
    stdout: (b) => { for (const x of b) chunks.push(x); },
    stderr: (b) => { for (const x of b) chunks.push(x); },
  });
  let clobberedPoints = 0;
  let clobbers = 0;
  if (analysis !== null) {
    const { regs, flags } = options.masks ?? analysis.freeMasks('before');
    const t = analysis.instrs;
    const region = t.regions[0]!;
    const start = region.start;
    const count = region.size >>> 2;
    const only = options.only;
    const regMask = options.regMask ?? -1;
    const withFlags = options.flags ?? true;
    let rng = (options.seed ?? 0x1234567) | 0 || 1;
    const next = (): number => {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      return rng;
    };
    machine.timing = {
      extraCycles(cpu: Cpu, pc: number): number {
        const n = (pc - start) >>> 2;
        if (n >= count || (pc & 3) !== 0) return 0;
        if (only !== undefined && !only.has(n)) return 0;
        const m = regs[n]! & regMask;
        const fl = withFlags ? flags[n]! : 0;
        if (m === 0 && fl === 0) return 0;
        clobberedPoints++;
        for (let k = 1; k < 32; k++) {
          if ((m >>> k) & 1) {
            // A value that surely differs from the old one.
            cpu.set(k, cpu.get(k) ^ (next() | 1));
            clobbers++;
          }
        }
        if (fl & FLAG_ICC) {
          cpu.icc = (cpu.icc ^ ((next() & 15) | 1)) & 15;
          clobbers++;
        }
        if (fl & FLAG_Y) {
          cpu.y = (cpu.y ^ (next() | 1)) >>> 0;
          clobbers++;
        }
        return 0;
      },
    };
  }
  const limit = options.maxInstructions ?? 200_000_000;
  let steps = 0;
  while (proc.exitStatus === null && steps < limit) {
    const r = machine.run({ maxSteps: Math.min(10_000_000, limit - steps) });
    steps += r.steps;
    if (r.event !== null && (r.event.kind === 'halt' || r.event.kind === 'idle')) break;
  }
  return {
    stdout: String.fromCharCode(...chunks.slice(0, 1 << 20)),
    status: proc.exitStatus,
    signal: proc.signal,
    instructions: machine.cpuAt(0).instructions,
    clobberedPoints,
    clobbers,
  };
}

const same = (a: Outcome, b: Outcome): boolean => a.stdout === b.stdout && a.status === b.status && a.signal === b.signal;

/** Instruction indices where the program executes and the analysis calls something free. */
function executedPoints(bytes: Uint8Array, analysis: ProgramAnalysis, options: ClobberOptions): number[] {
  const machine = new Machine({ ramSize: 2 ** 32, engine: 'fast', nwindows: 8, quantum: 1 << 30 });
  const proc = new LinuxProcess(machine, linuxImageFromElf(bytes), { argv: ['program', ...(options.args ?? [])] });
  const { regs, flags } = options.masks ?? analysis.freeMasks('before');
  const start = analysis.instrs.regions[0]!.start;
  const seen = new Set<number>();
  machine.timing = {
    extraCycles(_cpu: Cpu, pc: number): number {
      const n = (pc - start) >>> 2;
      if ((regs[n] ?? 0) !== 0 || (flags[n] ?? 0) !== 0) seen.add(n);
      return 0;
    },
  };
  let steps = 0;
  while (proc.exitStatus === null && steps < (options.maxInstructions ?? 200_000_000)) steps += machine.run({ maxSteps: 10_000_000 }).steps;
  return [...seen].sort((a, b) => a - b);
}

export interface Culprit {
  address: number;
  function: string;
  registers: string[];
  text: string;
}

/** Finds a point (and the registers there) whose clobbering changes the outcome. */
export function bisect(bytes: Uint8Array, analysis: ProgramAnalysis, expected: Outcome, options: ClobberOptions = {}): Culprit | null {
  let cand = executedPoints(bytes, analysis, options);
  const fails = (set: number[], regMask?: number, flagsOn = true): boolean =>
    !same(run(bytes, analysis, { ...options, only: new Set(set), regMask, flags: flagsOn }), expected);
  if (!fails(cand)) return null;
  while (cand.length > 1) {
    const half = cand.slice(0, cand.length >> 1);
    const rest = cand.slice(cand.length >> 1);
    if (fails(half)) cand = half;
    else if (fails(rest)) cand = rest;
    else break; // only the combination fails
  }
  const n = cand[0]!;
  const { regs, flags } = options.masks ?? analysis.freeMasks('before');
  const guilty: string[] = [];
  for (let k = 1; k < 32; k++) if ((regs[n]! >>> k) & 1 && fails([n], 1 << k, false)) guilty.push(namesOf(1 << k)[0]!);
  if (flags[n]! && fails([n], 0, true)) guilty.push(...namesOf(0, flags[n]!));
  const addr = analysis.addressOf(n);
  return { address: addr, function: analysis.functionAt(addr)?.name ?? '?', registers: guilty, text: `0x${addr.toString(16)} in ${analysis.functionAt(addr)?.name}: clobbering ${guilty.join(', ') || 'a combination of points'} changes the output (candidates: ${cand.length})` };
}
