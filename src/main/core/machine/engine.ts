// What an execution engine is, and what it may ask of the machine it runs in.
import type { Bus } from './bus.ts';
import type { Cpu } from './cpu.ts';

export type EngineName = 'reference' | 'fast';

/**
 * How a host personality (e.g. Linux user mode) handled a trap instead of the trap table:
 * `retire` — the trapping instruction counts as completed (a system call: the hook moved pc/npc);
 * `retry` — handled like a trap taken and returned from (window spill/fill: the instruction runs again).
 * `undefined` — not handled: enter the trap table as V8 says.
 */
export type TrapHookResult = 'retire' | 'retry' | undefined;

/** A cost model beyond one cycle per step (the hook for a later I-cache / branch-prediction model). */
export interface TimingModel {
  /**
   * Extra cycles for the step about to execute `word` at `pc` on `cpu` (0 for the base cost).
   * While a timing model is installed the fast engine runs instruction by instruction.
   */
  extraCycles(cpu: Cpu, pc: number, word: number): number;
}

/** The machine as the engines see it. */
export interface ExecContext {
  readonly bus: Bus;
  /** Set when the current run must stop after the current instruction (event, halt, exit). */
  stopRequested: boolean;
  readonly breakpoints: ReadonlySet<number>;
  timing: TimingModel | null;
  /**
   * Takes a synchronous trap for the instruction at cpu.pc (V8 §7.5): offers it to the personality
   * hook, otherwise enters the trap table (or error mode when ET=0), and reports it to listeners.
   */
  trap(cpu: Cpu, tt: number): void;
  /** True when the CPU must stop before the instruction at its pc (a breakpoint not yet reported). */
  breakpointHit(cpu: Cpu): boolean;
  /** Reads an implementation ASR (16-31): the counters and CPU id; null = not defined (illegal). */
  readAsr(cpu: Cpu, asr: number): number | null;
  /** Writes an implementation ASR; false = not defined (illegal). */
  writeAsr(cpu: Cpu, asr: number, value: number): boolean;
  /** Called after a slow-path access set bus.watchHit: records the event and requests a stop. */
  noteWatchHit(cpu: Cpu, pc: number): void;
}

export interface Engine {
  readonly name: EngineName;
  /**
   * Runs up to `steps` steps of a running CPU (a step is one completed instruction or one trap
   * taken). Returns the number of steps taken: fewer when the CPU stopped running or the machine
   * asked to stop. Updates cpu.steps.
   */
  run(cpu: Cpu, steps: number): number;
  /** Forget translated code for the physical words [addr, addr+len) (after a write to code). */
  invalidate(addr: number, len: number): void;
  /** Forget all translated code. */
  flush(): void;
}
