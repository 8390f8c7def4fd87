// The typed messages between a MachineWorkerClient and the worker thread that runs the machine.
import type { EngineName, MachineConfig, MachineEvent } from '../../core/machine/index.ts';

/** What to put in the machine when the worker starts. */
export interface InitRequest {
  readonly config: MachineConfig;
  /** An ELF executable: loaded at p_paddr (`load: 'paddr'`, bare metal) or as a Linux process (`load: 'linux'`). */
  readonly elf?: Uint8Array;
  readonly load?: 'paddr' | 'linux';
  /** For `load: 'linux'`: argv, envp and stdin of the process. */
  readonly argv?: readonly string[];
  readonly envp?: readonly string[];
  readonly stdin?: Uint8Array;
  /** For `load: 'paddr'`: start CPU 0 at the entry point with this PSR (default 0x80: supervisor, traps off). */
  readonly psr?: number;
  /**
   * A module (file URL or absolute path) whose default export `(machine, args) => void | Promise<void>`
   * runs inside the worker after the machine is built: how devices (e.g. minisol's) get attached.
   */
  readonly setupModule?: string;
  readonly setupArgs?: unknown;
}

export interface CpuState {
  readonly index: number;
  readonly state: 'running' | 'stopped' | 'error';
  readonly pc: number;
  readonly npc: number;
  readonly instructions: number;
  readonly cycles: number;
}

export interface WorkerStatus {
  readonly running: boolean;
  /** Scheduler steps since reset (deterministic position). */
  readonly position: number;
  /** Virtual time: CPU 0's cycles. */
  readonly time: number;
  readonly instructions: number;
  /** Over the last status interval, host time. */
  readonly instructionsPerSecond: number;
  readonly engine: EngineName;
  readonly cpus: readonly CpuState[];
}

export interface Registers {
  readonly cpu: number;
  readonly pc: number;
  readonly npc: number;
  readonly psr: number;
  readonly wim: number;
  readonly tbr: number;
  readonly y: number;
  /** r0..r31 of the current window, unsigned. */
  readonly r: readonly number[];
}

/** Requests: the `type`, its parameters, and (in RequestResults) what the response carries. */
export type WorkerRequest =
  | { readonly type: 'init'; readonly init: InitRequest }
  | { readonly type: 'run'; readonly maxSteps?: number }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly count?: number }
  | { readonly type: 'status' }
  | { readonly type: 'readMemory'; readonly addr: number; readonly len: number }
  | { readonly type: 'writeMemory'; readonly addr: number; readonly bytes: Uint8Array }
  | { readonly type: 'readRegisters'; readonly cpu: number }
  | { readonly type: 'writeRegister'; readonly cpu: number; readonly name: string; readonly value: number }
  | { readonly type: 'addBreakpoint'; readonly pc: number }
  | { readonly type: 'removeBreakpoint'; readonly pc: number }
  | { readonly type: 'addWatchpoint'; readonly addr: number; readonly len: number; readonly read?: boolean; readonly write?: boolean }
  | { readonly type: 'removeWatchpoint'; readonly id: number }
  | { readonly type: 'interrupt'; readonly cpu: number; readonly level: number; readonly raise: boolean }
  | { readonly type: 'setEngine'; readonly engine: EngineName }
  | { readonly type: 'snapshot'; readonly name: string }
  | { readonly type: 'restore'; readonly name: string };

export interface RequestResults {
  init: WorkerStatus;
  run: WorkerStatus;
  pause: WorkerStatus;
  step: StoppedEvent;
  status: WorkerStatus;
  readMemory: Uint8Array;
  writeMemory: null;
  readRegisters: Registers;
  writeRegister: null;
  addBreakpoint: null;
  removeBreakpoint: boolean;
  addWatchpoint: number;
  removeWatchpoint: boolean;
  interrupt: null;
  setEngine: null;
  snapshot: null;
  restore: WorkerStatus;
}

export type RequestType = WorkerRequest['type'];
export type RequestOf<T extends RequestType> = Extract<WorkerRequest, { type: T }>;

/** Why a run ended. */
export interface StoppedEvent {
  readonly kind: 'stopped';
  /** 'event': the machine reported `event`; 'limit': maxSteps done; 'paused': a pause request. */
  readonly reason: 'event' | 'limit' | 'paused';
  readonly event: MachineEvent | null;
  readonly status: WorkerStatus;
}

export type WorkerEvent =
  | { readonly kind: 'status'; readonly status: WorkerStatus }
  | StoppedEvent
  /** Output of a Linux process (fd 1 or 2). */
  | { readonly kind: 'output'; readonly fd: 1 | 2; readonly bytes: Uint8Array };

export interface WorkerError {
  readonly code: string;
  readonly message: string;
}

/** Messages to the worker. */
export type ToWorker = { readonly id: number; readonly request: WorkerRequest };

/** Messages from the worker. */
export type FromWorker =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: WorkerError }
  | { readonly type: 'event'; readonly event: WorkerEvent };
