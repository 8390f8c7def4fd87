// Test harness: runs a Linux-personality program with and without splices, and counts executions
// of addresses with breakpoints (the oracle).
import { readFileSync } from 'node:fs';
import { analyzeProgram, elfCodeSource, type ProgramAnalysis } from '../../src/main/core/analysis/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { LinuxProcess, linuxImageFromElf, Machine, STACK_TOP } from '../../src/main/core/machine/index.ts';
import { MachineWalker, Splicer, type SplicerOptions } from '../../src/main/core/splice/index.ts';

export interface Loaded {
  machine: Machine;
  process: LinuxProcess;
  out: () => string;
}

export function load(bytes: Uint8Array, argv: string[], engine: 'fast' | 'reference' = 'fast'): Loaded {
  const machine = new Machine({ ramSize: 2 ** 32, engine, quantum: 1 << 30 });
  let out = '';
  const process = new LinuxProcess(machine, linuxImageFromElf(bytes), { argv, stdout: (b) => { out += new TextDecoder('latin1').decode(b); } });
  return { machine, process, out: () => out };
}

/** Runs until exit (or `limit` steps); stops for nothing else. */
export function runToEnd(l: Loaded, limit = 2e8): void {
  let steps = 0;
  while (l.process.exitStatus === null && steps < limit) {
    const r = l.machine.run({ maxSteps: Math.min(1e7, limit - steps) });
    steps += r.steps;
    if (r.event !== null && (r.event.kind === 'halt' || r.event.kind === 'idle')) break;
  }
}

/** Runs with breakpoints at `addrs` and counts how often each is reached. */
export function countWithBreakpoints(l: Loaded, addrs: Iterable<number>, limit = 2e8): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of addrs) {
    counts.set(a >>> 0, 0);
    l.machine.addBreakpoint(a);
  }
  let steps = 0;
  // A breakpoint reached again without an instruction completing in between is the same execution
  // retried after a trap (window overflow at a `save`): count it once.
  let last = { pc: -1, instructions: -1 };
  while (l.process.exitStatus === null && steps < limit) {
    const r = l.machine.run({ maxSteps: limit - steps });
    steps += r.steps;
    if (r.event?.kind === 'breakpoint') {
      const n = l.machine.cpus[r.event.cpu]!.instructions;
      if (!(last.pc === r.event.pc && last.instructions === n)) counts.set(r.event.pc, (counts.get(r.event.pc) ?? 0) + 1);
      last = { pc: r.event.pc, instructions: n };
    }
    else if (r.event !== null && r.event.kind !== 'exit') break;
  }
  for (const a of counts.keys()) l.machine.removeBreakpoint(a);
  return counts;
}

export function analyse(bytes: Uint8Array): ProgramAnalysis {
  return analyzeProgram(elfCodeSource(parseElf(bytes), 'prog'));
}

export function fileBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** A splicer for a Linux-personality program: patch heap and data well inside ±8 MB of the text. */
export function linuxSplicer(l: Loaded, analysis: ProgramAnalysis, extra: Partial<SplicerOptions> = {}): Splicer {
  return new Splicer({
    memory: l.machine,
    analysis,
    patchHeap: [0x00600000, 0x00700000],
    data: { base: 0x00700000, strideLog2: 16, cpus: l.machine.cpus.length },
    walker: new MachineWalker(l.machine, STACK_TOP),
    breakpoints: l.machine,
    ...extra,
  });
}

/** Executed-instruction trace of CPU 0 (pcs of completed instructions), by single-stepping. */
export function stepTrace(l: Loaded, limit = 5e6): Uint32Array {
  const cpu = l.machine.cpus[0]!;
  const out: number[] = [];
  while (l.process.exitStatus === null && out.length < limit) {
    const pc = cpu.pc;
    const before = cpu.instructions;
    const r = l.machine.step();
    if (cpu.instructions > before) out.push(pc);
    if (r.event !== null && r.event.kind !== 'exit' && r.event.kind !== 'breakpoint') break;
  }
  return Uint32Array.from(out);
}
