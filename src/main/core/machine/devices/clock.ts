// The clock: a periodic level-10 interrupt on one CPU (the system clock) and a level-14 tick on every CPU, in virtual time.
import type { Device, DeviceHost } from '../bus.ts';
import { CLK, CLOCK_BASE, DEVICE_SPAN, IPL } from './registers.ts';

export class ClockDevice implements Device {
  readonly name = 'clock';
  readonly base = CLOCK_BASE;
  readonly size = DEVICE_SPAN;
  ctrl = 0;
  period = 0;
  target = 0;
  /** System clock ticks so far. */
  count = 0;
  /** Ticks raised while the previous system-clock interrupt was still unacknowledged. */
  missed = 0;
  private pending = false;
  private next = 0;
  private generation = 0;
  private host: DeviceHost | null = null;

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(offset: number): number {
    switch (offset) {
      case CLK.CTRL: return this.ctrl;
      case CLK.PERIOD: return this.period;
      case CLK.COUNT: return this.count >>> 0;
      case CLK.MISSED: return this.missed >>> 0;
      case CLK.TARGET: return this.target;
      default: return 0;
    }
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    const host = this.host;
    switch (offset) {
      case CLK.CTRL:
        this.ctrl = value & (CLK.CTRL_SYSCLK | CLK.CTRL_TICK);
        this.restart();
        break;
      case CLK.PERIOD:
        this.period = value >>> 0;
        this.restart();
        break;
      case CLK.ACK:
        this.pending = false;
        host?.clearInterrupt(IPL.CLOCK, this.target);
        break;
      case CLK.TICK_ACK:
        if (value < (host?.cpuCount?.() ?? 1)) host?.clearInterrupt(IPL.TICK, value);
        break;
      case CLK.TARGET:
        if (value < (host?.cpuCount?.() ?? 1)) this.target = value;
        break;
    }
  }

  private restart(): void {
    const host = this.host;
    this.generation++;
    if (host === null || this.ctrl === 0 || this.period === 0) return;
    this.next = host.now() + this.period;
    this.arm(this.generation);
  }

  private arm(generation: number): void {
    this.host!.schedule(this.next, () => this.tick(generation));
  }

  private tick(generation: number): void {
    const host = this.host;
    if (host === null || generation !== this.generation) return;
    this.count++;
    if (this.ctrl & CLK.CTRL_SYSCLK) {
      if (this.pending) this.missed++;
      this.pending = true;
      host.raiseInterrupt(IPL.CLOCK, this.target);
    }
    if (this.ctrl & CLK.CTRL_TICK) {
      const n = host.cpuCount?.() ?? 1;
      for (let cpu = 0; cpu < n; cpu++) host.raiseInterrupt(IPL.TICK, cpu);
    }
    this.next += this.period;
    this.arm(generation);
  }

  snapshot(): unknown {
    return { ctrl: this.ctrl, period: this.period, target: this.target, count: this.count, missed: this.missed, pending: this.pending, next: this.next, generation: this.generation };
  }

  restore(state: unknown): void {
    Object.assign(this, state as object);
  }
}
