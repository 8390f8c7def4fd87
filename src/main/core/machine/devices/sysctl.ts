// System control: CPU count and start-up, inter-processor pokes, halting, the host's shutdown request, virtual time.
import type { Device, DeviceHost } from '../bus.ts';
import { DEVICE_SPAN, IPL, SC, SYSCTL_BASE } from './registers.ts';

/** What the guest reported when it halted: a clean shutdown (0) or a panic (1). */
export type HaltCode = 0 | 1 | number;

export class SysctlDevice implements Device {
  readonly name = 'sysctl';
  readonly base = SYSCTL_BASE;
  readonly size = DEVICE_SPAN;
  readonly cyclesPerSecond: number;
  /** Set when the guest wrote SC_HALT; the run stops when the CPU then enters error mode. */
  haltCode: HaltCode | null = null;
  haltTime: number | null = null;
  shutdownRequested = false;
  startPc = 0;
  private timeHigh = 0;
  private host: DeviceHost | null = null;
  private readonly ncpus: number;
  /** Called when CPU `cpu` asks to wait for an interrupt (SC_IDLE) and no interrupt event is pending. */
  private readonly onIdle: ((cpu: number) => void) | null;
  /** Per CPU: an interrupt was raised for it since its last SC_IDLE. */
  private readonly events: boolean[];

  constructor(options: { cyclesPerSecond: number; cpus: number; onIdle?: (cpu: number) => void }) {
    this.cyclesPerSecond = options.cyclesPerSecond;
    this.ncpus = options.cpus;
    this.onIdle = options.onIdle ?? null;
    this.events = new Array<boolean>(options.cpus).fill(false);
  }

  /** Records that an interrupt was raised for `cpu` (the host wires every device's interrupts through here). */
  noteInterrupt(cpu: number): void {
    if (cpu < this.events.length) this.events[cpu] = true;
  }

  attach(host: DeviceHost): void {
    this.host = host;
  }

  /** The host asks the guest to shut down cleanly (the guest polls SC_SHUTDOWN on each clock tick). */
  requestShutdown(): void {
    this.shutdownRequested = true;
  }

  read(offset: number): number {
    switch (offset) {
      case SC.NCPUS: return this.host?.cpuCount?.() ?? this.ncpus;
      case SC.HALT: return this.haltCode ?? 0xffffffff;
      case SC.START_PC: return this.startPc;
      case SC.SHUTDOWN: return this.shutdownRequested ? 1 : 0;
      case SC.TIME_LO: {
        const now = this.host?.now() ?? 0;
        this.timeHigh = Math.floor(now / 2 ** 32) >>> 0;
        return now >>> 0;
      }
      case SC.TIME_HI: return this.timeHigh;
      case SC.HZ: return this.cyclesPerSecond >>> 0;
      default: return 0;
    }
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    const host = this.host;
    switch (offset) {
      case SC.HALT:
        if (this.haltCode === null) {
          this.haltCode = value >>> 0;
          this.haltTime = host?.now() ?? 0;
        }
        break;
      case SC.START_PC:
        this.startPc = value >>> 0;
        break;
      case SC.START_CPU:
        if (host?.startCpu && value < (host.cpuCount?.() ?? this.ncpus)) host.startCpu(value, this.startPc);
        break;
      case SC.IPI_SET:
        if (value < (host?.cpuCount?.() ?? this.ncpus)) host?.raiseInterrupt(IPL.POKE, value);
        break;
      case SC.IPI_CLEAR:
        if (value < (host?.cpuCount?.() ?? this.ncpus)) host?.clearInterrupt(IPL.POKE, value);
        break;
      case SC.IDLE:
        if (value < this.events.length) {
          if (this.events[value]) this.events[value] = false;
          else this.onIdle?.(value);
        }
        break;
    }
  }

  snapshot(): unknown {
    return { haltCode: this.haltCode, haltTime: this.haltTime, shutdownRequested: this.shutdownRequested, startPc: this.startPc, timeHigh: this.timeHigh, events: [...this.events] };
  }

  restore(state: unknown): void {
    const { events, ...rest } = state as { events: boolean[] } & Record<string, unknown>;
    Object.assign(this, rest);
    this.events.splice(0, this.events.length, ...events);
  }
}
