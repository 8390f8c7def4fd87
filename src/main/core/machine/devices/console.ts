// The console: a line printer. Each line the guest writes goes to the machine's log and to listeners.
import type { Device, DeviceHost } from '../bus.ts';
import { CONS, CONS_BASE, DEVICE_SPAN } from './registers.ts';

export class ConsoleDevice implements Device {
  readonly name = 'console';
  readonly base = CONS_BASE;
  readonly size = DEVICE_SPAN;
  /** Every complete line so far (the last `keep` of them). */
  readonly lines: string[] = [];
  private partial: number[] = [];
  private host: DeviceHost | null = null;
  private readonly listeners: ((line: string) => void)[] = [];
  private readonly keep: number;
  private readonly echo: boolean;

  /** `echo`: also pass each line to the machine's device log. */
  constructor(options: { keep?: number; echo?: boolean } = {}) {
    this.keep = options.keep ?? 10000;
    this.echo = options.echo ?? false;
  }

  attach(host: DeviceHost): void {
    this.host = host;
  }

  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  /** All output so far, with a trailing partial line. */
  get text(): string {
    const tail = this.partial.length > 0 ? String.fromCharCode(...this.partial) : '';
    return this.lines.join('\n') + (this.lines.length > 0 ? '\n' : '') + tail;
  }

  read(offset: number): number {
    return offset === CONS.STATUS ? 1 : 0;
  }

  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    if (offset === CONS.DATA) {
      const c = value & 0xff;
      if (c === 10) this.flush();
      else if (c !== 13) this.partial.push(c);
      if (this.partial.length >= 4096) this.flush();
    } else if (offset === CONS.FLUSH && this.partial.length > 0) {
      this.flush();
    }
  }

  private flush(): void {
    const line = String.fromCharCode(...this.partial);
    this.partial = [];
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    if (this.echo) this.host?.log(line);
    for (const l of this.listeners) l(line);
  }

  snapshot(): unknown {
    return { lines: [...this.lines], partial: [...this.partial] };
  }

  restore(state: unknown): void {
    const s = state as { lines: string[]; partial: number[] };
    this.lines.length = 0;
    this.lines.push(...s.lines);
    this.partial = [...s.partial];
  }
}
