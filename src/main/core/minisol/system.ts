// A booted minisol: the machine with the kernel image, the devices and the disk; running in virtual time, shutting down cleanly, reading kstats, checking the disk, reporting panics.
import { parseElf, type ElfFile } from '../elf/index.ts';
import { Machine, loadElf, type Device, type DeviceHost, type MachineEvent } from '../machine/index.ts';
import { ClockDevice, ConsoleDevice, DiskDevice, MirrorPeer, NicDevice, RAM_TOP, SysctlDevice } from '../machine/index.ts';
import { BOOTPARAM_ADDR, NET, bootParamValues, encodeBootParams } from './bootparams.ts';
import { resolveConfig, type BootConfig, type BootConfigInput } from './config.ts';
import { MinisolError } from './errors.ts';
import { fsck, type FsckOptions, type FsckReport } from './fsck.ts';
import { KstatLayout, readKstatTotal, readKstats, type KstatSnapshot, type MemoryReader } from './kstat.ts';
import { mkfs } from './mkfs.ts';
import { readPanic, type PanicReport } from './panic.ts';
import { KernelSymbols } from './symbols.ts';

export type SystemState = 'running' | 'halted' | 'panicked' | 'error';

export interface BootOptions {
  /** A disk image to boot with instead of a fresh mkfs one (it is used in place). */
  diskImage?: Uint8Array;
  /** Kernel messages, line by line, as the guest prints them. */
  onConsole?: (line: string) => void;
}

export interface RunOutcome {
  state: SystemState;
  /** The machine event that ended the run early (breakpoint, watchpoint, error mode), if any. */
  event: MachineEvent | null;
}

export class MinisolSystem {
  readonly config: BootConfig;
  readonly machine: Machine;
  readonly elf: ElfFile;
  readonly symbols: KernelSymbols;
  readonly console: ConsoleDevice;
  readonly sysctl: SysctlDevice;
  readonly clock: ClockDevice;
  readonly disk: DiskDevice;
  readonly nic: NicDevice;
  readonly peer: MirrorPeer;
  state: SystemState = 'running';
  /** Why the system stopped (error mode dump, panic message). */
  stopReason: string | null = null;
  private kstatLayout: KstatLayout | null = null;
  readonly read: MemoryReader;
  /** CPUs stopped by the guest's idle loop (SC_IDLE) until an interrupt is raised for them. */
  private readonly idleStopped: boolean[];

  private constructor(image: Uint8Array, config: BootConfig, options: BootOptions) {
    this.config = config;
    this.elf = parseElf(image);
    this.symbols = new KernelSymbols(this.elf);
    if (!this.symbols.has('trap_table') || !this.symbols.has('kstat_cpu')) {
      throw new MinisolError('not-minisol', 'the image is not a minisol kernel (no trap_table or kstat_cpu symbol)');
    }
    this.machine = new Machine({ cpus: config.cpus, ramSize: RAM_TOP, engine: config.engine, quantum: config.quantum, seed: config.quantumSeed, nwindows: 8 });
    this.read = (addr, len) => this.machine.readMemory(addr, len);
    const diskImage = options.diskImage ?? mkfs(config).image;
    this.console = new ConsoleDevice({ echo: config.verbose });
    if (options.onConsole) this.console.onLine(options.onConsole);
    this.idleStopped = new Array<boolean>(config.cpus).fill(false);
    this.sysctl = new SysctlDevice({ cyclesPerSecond: config.cyclesPerSecond, cpus: config.cpus, onIdle: (cpu) => this.idle(cpu) });
    this.clock = new ClockDevice();
    this.disk = new DiskDevice(diskImage, { cyclesPerSecond: config.cyclesPerSecond, ...(config.disk.timing ? { timing: config.disk.timing } : {}) });
    this.peer = new MirrorPeer({
      seed: config.seed,
      servers: config.mirror.conns,
      serverIp: NET.serverIp,
      port: NET.port,
      peerMac: new Uint8Array(NET.peerMac),
      mirror: config.mirror,
    });
    this.nic = new NicDevice({ cyclesPerSecond: config.cyclesPerSecond, mac: new Uint8Array(NET.guestMac), peer: this.peer });
    for (const d of [this.console, this.sysctl, this.clock, this.disk, this.nic]) this.attachDevice(d);
    const loaded = loadElf(this.machine, image);
    this.machine.bus.writeBytes(BOOTPARAM_ADDR, encodeBootParams(bootParamValues(config, this.disk.capacity)));
    this.machine.setupCpu(0, { pc: loaded.entry });
  }

  /**
   * Adds a device whose interrupts also wake a CPU that waits in its idle loop: the guest's
   * idle_pause writes SC_IDLE, and the CPU is stopped (its clock runs as idle cycles, and when
   * every CPU waits the machine jumps to the next device event) until an interrupt is raised for it.
   */
  private attachDevice(d: Device): void {
    this.machine.bus.addDevice(d);
    const h = this.machine.deviceHost(d.name);
    const host: DeviceHost = {
      ...h,
      raiseInterrupt: (level, cpu) => {
        h.raiseInterrupt(level, cpu);
        this.wake(cpu ?? 0);
      },
    };
    d.attach?.(host);
  }

  /**
   * Stops a CPU right after its SC_IDLE store: both engines end the CPU's run after the
   * instruction whose device access stopped it, and the machine idles out its slice.
   */
  private idle(cpu: number): void {
    const c = this.machine.cpus[cpu];
    if (c !== undefined && c.state === 'running') {
      c.state = 'stopped';
      this.idleStopped[cpu] = true;
    }
  }

  private wake(cpu: number): void {
    this.sysctl.noteInterrupt(cpu);
    if (this.idleStopped[cpu]) {
      this.idleStopped[cpu] = false;
      const c = this.machine.cpus[cpu];
      if (c !== undefined && c.state === 'stopped') c.state = 'running';
    }
  }

  /**
   * True when CPU `cpu` is stopped because its idle loop waits for an interrupt (SC_IDLE): unlike a
   * CPU that was never started, it has live register windows (the idle thread's) and resumes.
   */
  isWaiting(cpu: number): boolean {
    return this.idleStopped[cpu] === true;
  }

  /** Boots a kernel image (the ELF bytes) with a configuration. The CPUs start on the first run. */
  static boot(image: Uint8Array, input: BootConfigInput = {}, options: BootOptions = {}): MinisolSystem {
    return new MinisolSystem(image, resolveConfig(input), options);
  }

  /** Virtual time in cycles (CPU 0's clock). */
  get now(): number {
    return this.machine.now();
  }

  get seconds(): number {
    return this.machine.now() / this.config.cyclesPerSecond;
  }

  /** Completed instructions of all CPUs. */
  get instructions(): number {
    return this.machine.cpus.reduce((n, c) => n + c.instructions, 0);
  }

  /** Runs until virtual time `untilCycles`, a halt, a panic, or another machine event. */
  runUntil(untilCycles: number): RunOutcome {
    const ncpu = this.machine.cpus.length;
    while (this.state === 'running' && this.machine.now() < untilCycles) {
      const left = untilCycles - this.machine.now();
      const steps = Math.max(1000, Math.min(4_000_000, left * ncpu));
      const r = this.machine.run({ maxSteps: steps });
      if (r.event !== null) {
        const stopped = this.noteEvent(r.event);
        if (stopped || (r.event.kind !== 'halt' && r.event.kind !== 'idle')) return { state: this.state, event: r.event };
      }
    }
    return { state: this.state, event: null };
  }

  /** Runs for `seconds` more of virtual time. */
  runFor(seconds: number): RunOutcome {
    return this.runUntil(this.machine.now() + Math.round(seconds * this.config.cyclesPerSecond));
  }

  private noteEvent(event: MachineEvent): boolean {
    if (event.kind === 'halt') {
      const code = this.sysctl.haltCode;
      if (code === 0) {
        this.state = 'halted';
        this.stopReason = 'clean shutdown';
      } else if (code === 1) {
        this.state = 'panicked';
        this.stopReason = this.panic()?.message ?? 'panic';
      } else {
        this.state = 'error';
        this.stopReason = event.reason + '\n' + event.dump;
      }
      return true;
    }
    if (event.kind === 'idle') {
      this.state = 'error';
      this.stopReason = 'every CPU stopped and no device event is pending';
      return true;
    }
    return false;
  }

  /** Asks the guest for a clean shutdown and runs until it halts (at most `graceSeconds` more). */
  shutdown(graceSeconds = 5): RunOutcome {
    if (this.state !== 'running') return { state: this.state, event: null };
    this.sysctl.requestShutdown();
    const outcome = this.runFor(graceSeconds);
    if (this.state === 'running') {
      this.state = 'error';
      this.stopReason = `the guest did not halt within ${graceSeconds} s of the shutdown request`;
      return { state: this.state, event: outcome.event };
    }
    return outcome;
  }

  kstats(): KstatSnapshot {
    this.kstatLayout ??= new KstatLayout(this.read, this.symbols);
    return readKstats(this.read, this.kstatLayout);
  }

  /** One kstat counter summed over the CPUs (cheap enough to read at every sample). */
  kstatTotal(name: string): number {
    return readKstatTotal(this.read, this.kstatFields, name);
  }

  get kstatFields(): KstatLayout {
    this.kstatLayout ??= new KstatLayout(this.read, this.symbols);
    return this.kstatLayout;
  }

  /** Checks the disk. Meaningful after a clean shutdown (otherwise the superblock is not clean). */
  fsck(options: FsckOptions = {}): FsckReport {
    return fsck(this.disk.image, options);
  }

  /** The panic report, if the guest panicked. */
  panic(): PanicReport | null {
    return readPanic(this.read, this.symbols);
  }

  /** A hash of all of RAM (allocated pages, in order) and the CPUs' registers: equal runs give equal hashes. */
  memoryHash(): string {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x01000193 | 0;
    const pages = this.machine.bus.pages;
    for (let n = 0; n < pages.length; n++) {
      const p = pages[n];
      if (!p) continue;
      let nonzero = false;
      for (let i = 0; i < p.length; i++) if (p[i] !== 0) {
        nonzero = true;
        break;
      }
      if (!nonzero) continue;
      h1 = Math.imul(h1 ^ n, 0x01000193);
      for (let i = 0; i < p.length; i++) {
        const w = p[i]!;
        h1 = Math.imul(h1 ^ w, 0x01000193);
        h2 = Math.imul(h2 + w, 0x5bd1e995) ^ (h2 >>> 15);
      }
    }
    for (const c of this.machine.cpus) {
      h1 = Math.imul(h1 ^ c.pc, 0x01000193);
      h2 = Math.imul(h2 + c.psr, 0x5bd1e995);
    }
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
}
