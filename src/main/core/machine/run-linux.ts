// One call to run a static SPARC V8 Linux executable to completion: the CLI, tests and benchmarks use it.
import type { EngineName } from './engine.ts';
import { LinuxProcess, type LinuxOptions } from './linux.ts';
import { linuxImageFromElf } from './loader.ts';
import { Machine } from './machine.ts';

export interface LinuxRunOptions extends Omit<LinuxOptions, 'stdout' | 'stderr'> {
  engine?: EngineName;
  /** Stop after this many steps (the result then has `exitStatus: null`). */
  maxInstructions?: number;
  nwindows?: number;
  /** Steps per run() call between checks of `shouldStop` (default 50M). */
  chunk?: number;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export interface LinuxRunResult {
  /** Exit status (128 + signal when a signal ended it), or null when stopped by maxInstructions. */
  exitStatus: number | null;
  signal: number | null;
  signalReason: string | null;
  instructions: number;
  steps: number;
  machine: Machine;
  process: LinuxProcess;
}

/** Loads `elfBytes` in a fresh 1-CPU machine with the Linux personality and runs it. */
export function runLinuxProgram(elfBytes: Uint8Array, options: LinuxRunOptions = {}): LinuxRunResult {
  const machine = new Machine({ ramSize: 2 ** 32, engine: options.engine ?? 'fast', nwindows: options.nwindows ?? 8, quantum: 1 << 30 });
  const process = new LinuxProcess(machine, linuxImageFromElf(elfBytes), options);
  const limit = options.maxInstructions ?? Infinity;
  const chunk = options.chunk ?? 50_000_000;
  let steps = 0;
  while (process.exitStatus === null && steps < limit) {
    const r = machine.run({ maxSteps: Math.min(chunk, limit - steps) });
    steps += r.steps;
    if (r.event !== null && r.event.kind !== 'exit') {
      if (r.event.kind === 'halt' || r.event.kind === 'idle') break;
    }
  }
  const cpu = machine.cpuAt(0);
  return {
    exitStatus: process.exitStatus,
    signal: process.signal,
    signalReason: process.signalReason,
    instructions: cpu.instructions,
    steps,
    machine,
    process,
  };
}
