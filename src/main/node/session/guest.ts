// One machine port for every guest: minisol's workloads boot MinisolSystem, `linux-program` a Linux user program.
import type { BootRequest } from '../../../shared/index.ts';
import { linuxProgramSupport, workerMachine } from './machine.ts';
import { isMinisolWorkload, MINISOL_WORKLOADS, minisolMachine } from './minisol.ts';
import type { LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';
import { Listeners } from './listeners.ts';

export function guestMachine(): MachinePort {
  let inner: MachinePort | null = null;
  const statusListeners = new Listeners<RawMachineStatus>();
  const consoleListeners = new Listeners<string>();
  const idle: RawMachineStatus = { state: 'ready', reason: null, cpus: [], instructions: 0, virtualTimeNs: 0, workload: null, panic: null };
  return {
    workloads: [...MINISOL_WORKLOADS, ...linuxProgramSupport.workloads],
    async boot(image: LoadedImage, request: BootRequest) {
      await inner?.dispose();
      const m = isMinisolWorkload(request.workload.name) ? minisolMachine() : workerMachine(linuxProgramSupport)();
      inner = m;
      m.onStatus((s) => statusListeners.emit(s));
      m.onConsole((t) => consoleListeners.emit(t));
      await m.boot(image, request);
    },
    run: () => inner?.run() ?? Promise.resolve(),
    pause: () => inner?.pause() ?? Promise.resolve(),
    status: () => inner?.status() ?? idle,
    onStatus: statusListeners.subscribe,
    onConsole: consoleListeners.subscribe,
    get instrument() {
      return inner?.instrument ?? 'the machine has not been booted; boot a minisol workload first';
    },
    async dispose() {
      await inner?.dispose();
      inner = null;
    },
  };
}
