// One machine port for every guest: minisol's workloads boot MinisolSystem, `linux-program` a Linux user program.
import type { BootRequest } from '../../../shared/index.ts';
import { linuxProgramSupport, workerMachine } from './machine.ts';
import { isMinisolWorkload, MINISOL_WORKLOADS, minisolMachine } from './minisol.ts';
import type { LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';

export function guestMachine(): MachinePort {
  let inner: MachinePort | null = null;
  const statusListeners = new Set<(s: RawMachineStatus) => void>();
  const consoleListeners = new Set<(text: string) => void>();
  const idle: RawMachineStatus = { state: 'ready', reason: null, cpus: [], instructions: 0, virtualTimeNs: 0, workload: null, panic: null };
  return {
    workloads: [...MINISOL_WORKLOADS, ...linuxProgramSupport.workloads],
    async boot(image: LoadedImage, request: BootRequest) {
      await inner?.dispose();
      const m = isMinisolWorkload(request.workload.name) ? minisolMachine() : workerMachine(linuxProgramSupport)();
      inner = m;
      m.onStatus((s) => statusListeners.forEach((l) => l(s)));
      m.onConsole((t) => consoleListeners.forEach((l) => l(t)));
      await m.boot(image, request);
    },
    run: () => inner?.run() ?? Promise.resolve(),
    pause: () => inner?.pause() ?? Promise.resolve(),
    status: () => inner?.status() ?? idle,
    onStatus(l) {
      statusListeners.add(l);
      return () => void statusListeners.delete(l);
    },
    onConsole(l) {
      consoleListeners.add(l);
      return () => void consoleListeners.delete(l);
    },
    async dispose() {
      await inner?.dispose();
      inner = null;
    },
  };
}
