// The SPARC V8 machine: CPUs, memory and devices, two engines, the Linux user-mode personality.
export {
  Machine,
  registerNumber,
  type MachineConfig,
  type MachineEvent,
  type RunOptions,
  type RunResult,
  type HostOperation,
  type LoggedOperation,
  type MachineSnapshot,
  type TrapHook,
} from './machine.ts';
export {
  Bus,
  MachineError,
  PAGE_SIZE,
  type Device,
  type DeviceHost,
  type Watchpoint,
  type WatchHit,
  type Width,
} from './bus.ts';
export { Cpu, type CpuSnapshot, type CpuRunState } from './cpu.ts';
export type { Engine, EngineName, ExecContext, TimingModel, TrapHookResult } from './engine.ts';
export { TT, trapName, trapPriority, enterTrap, pendingInterrupt } from './traps.ts';
export { ASR_CONFIG, ASR_CYCLES_LO, ASR_CYCLES_HI, ASR_INSTR_LO, ASR_INSTR_HI } from './asr.ts';
export { ReferenceEngine, HANDLERS, classifyRow, stepReference, condition, type RowClass, type Handler } from './reference.ts';
export { FastEngine } from './fast.ts';
export { LinuxProcess, SIG, SYS, STACK_TOP, type LinuxImage, type LinuxOptions, type LoadSegment } from './linux.ts';
export { loadElf, loadSegments, linuxImageFromElf, type LoadedElf } from './loader.ts';
export { runLinuxProgram, type LinuxRunOptions, type LinuxRunResult } from './run-linux.ts';
export * from './devices/index.ts';
