// The machine port over the machine worker (src/main/node/machine-worker): the emulator runs off this event loop.
import { MachineWorkerClient, type InitRequest, type StoppedEvent, type WorkerStatus } from '../machine-worker/index.ts';
import type { BootRequest, MachineState, PanicReport, WorkloadInfo } from '../../../shared/index.ts';
import type { LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';
import { Listeners } from './listeners.ts';

/** What a guest brings: its workloads, how to start the worker for one, and how to read its stops. */
export interface GuestSupport {
  readonly workloads: readonly WorkloadInfo[];
  init(image: LoadedImage, request: BootRequest): InitRequest;
  /** Nanoseconds of virtual time per cycle of CPU 0 (the guest's clock). */
  readonly nsPerCycle: number;
  /** A panic report when a stop means the guest panicked; null otherwise. */
  panic?(stop: StoppedEvent): PanicReport | null;
}

/** A Linux user program run by the machine's Linux personality (until a kernel's own support lands). */
export const linuxProgramSupport: GuestSupport = {
  workloads: [{ name: 'linux-program', description: 'Runs the image as a 32-bit SPARC Linux user program (the machine\'s Linux personality); its output goes to the console.', knobs: [] }],
  init: (image, request) => ({ config: { cpus: request.cpus, engine: 'fast' }, elf: image.bytes, load: 'linux', argv: [image.name] }),
  nsPerCycle: 1,
};

export function workerMachine(support: GuestSupport): () => MachinePort {
  return () => {
    let client: MachineWorkerClient | null = null;
    let state: MachineState = 'ready';
    let reason: string | null = null;
    let panic: PanicReport | null = null;
    let workload: BootRequest['workload'] | null = null;
    let last: WorkerStatus | null = null;
    const statusListeners = new Listeners<RawMachineStatus>();
    const consoleListeners = new Listeners<string>();
    const decoder = new TextDecoder();

    const raw = (): RawMachineStatus => ({
      state,
      reason,
      panic,
      workload,
      instructions: last?.instructions ?? 0,
      virtualTimeNs: Math.round((last?.time ?? 0) * support.nsPerCycle),
      cpus: (last?.cpus ?? []).map((c) => ({ id: c.index, pc: c.pc, state: c.state === 'running' ? (state === 'running' ? 'running' : 'idle') : 'halted' })),
    });
    const emit = (): void => {
      const s = raw();
      statusListeners.emit(s);
    };

    function stopped(stop: StoppedEvent): void {
      last = stop.status;
      if (stop.reason === 'paused') state = 'paused';
      else if (stop.reason === 'limit') state = 'paused';
      else {
        const p = support.panic?.(stop) ?? null;
        const e = stop.event;
        if (p !== null) {
          state = 'panicked';
          panic = p;
          reason = p.message;
        } else {
          state = 'halted';
          reason = e === null ? 'stopped' : e.kind === 'exit' ? `the program exited with status ${e.status}` : e.kind === 'halt' ? `CPU ${e.cpu} halted: ${e.reason}` : `stopped: ${e.kind}`;
        }
      }
      emit();
    }

    return {
      workloads: support.workloads,
      async boot(image, request) {
        client = new MachineWorkerClient();
        client.onEvent((e) => {
          if (e.kind === 'status') {
            last = e.status;
            emit();
          } else if (e.kind === 'output') {
            const text = decoder.decode(e.bytes, { stream: true });
            consoleListeners.emit(text);
          }
        });
        workload = request.workload;
        last = await client.init(support.init(image, request));
        state = 'paused';
        reason = null;
        panic = null;
        emit();
      },
      async run() {
        const c = client;
        if (c === null || state === 'running' || state === 'halted' || state === 'panicked') return;
        state = 'running';
        c.runUntilStopped().then(stopped, (error: unknown) => {
          state = 'halted';
          reason = error instanceof Error ? error.message : String(error);
          emit();
        });
      },
      async pause() {
        if (client === null || state !== 'running') return;
        last = await client.pause();
      },
      status: raw,
      onStatus: statusListeners.subscribe,
      onConsole: consoleListeners.subscribe,
      instrument: 'metrics are spliced into the minisol kernel; this machine runs a Linux user program (boot a minisol workload)',
      async dispose() {
        const c = client;
        client = null;
        await c?.close();
      },
    };
  };
}
