// A multi-CPU SPARC V8 machine: shared physical memory and devices, a deterministic CPU scheduler, events, host API.
import { Bus, MachineError, type Device, type DeviceHost, type Watchpoint } from './bus.ts';
import { Cpu, type CpuSnapshot } from './cpu.ts';
import { readImplementationAsr, writeImplementationAsr } from './asr.ts';
import type { Engine, EngineName, ExecContext, TimingModel, TrapHookResult } from './engine.ts';
import { enterTrap, trapName } from './traps.ts';
import { ReferenceEngine } from './reference.ts';
import { FastEngine } from './fast.ts';

export interface MachineConfig {
  /** Bytes of RAM from physical address 0 (default 64 MiB; up to 4 GiB, allocated lazily by page). */
  ramSize?: number;
  /** Number of CPUs (default 1). */
  cpus?: number;
  /** Register windows per CPU, 2..32 (default 8). */
  nwindows?: number;
  /** Execution engine (default 'fast'); both give identical results. */
  engine?: EngineName;
  /** Steps each CPU runs before the scheduler moves to the next (default 1000; 1 = finest interleaving). */
  quantum?: number;
  /** When set, each slice's length is drawn from [1, quantum] by a PRNG seeded with this value. */
  seed?: number | null;
  /** PSR.impl and PSR.ver (read-only fields); default 0 and 0. */
  psrImpl?: number;
  psrVer?: number;
  /** Whether CPUs other than 0 start running at reset (default false: they wait for startCpu). */
  startAllCpus?: boolean;
}

export type MachineEvent =
  | { kind: 'breakpoint'; cpu: number; pc: number }
  | { kind: 'watchpoint'; cpu: number; pc: number; watchpoint: number; addr: number; width: number; access: 'read' | 'write'; value: number }
  | { kind: 'trap'; cpu: number; tt: number; name: string; pc: number; npc: number }
  | { kind: 'halt'; cpu: number; reason: string; dump: string }
  | { kind: 'exit'; cpu: number; status: number }
  | { kind: 'stop'; reason: string }
  | { kind: 'idle' };

export interface RunOptions {
  /** Stop after this many scheduler steps (all CPUs together; default: no limit). */
  maxSteps?: number;
}

export interface RunResult {
  /** Scheduler steps taken by this call (instructions, traps and idle slots of all CPUs). */
  steps: number;
  /** 'limit': maxSteps reached; 'event': stopped for `event`. */
  reason: 'limit' | 'event';
  event: MachineEvent | null;
}

/** A host operation, recorded with the scheduler position at which it happened (for replay). */
export type HostOperation =
  | { kind: 'write'; addr: number; bytes: Uint8Array }
  | { kind: 'setRegister'; cpu: number; name: string; value: number }
  | { kind: 'interrupt'; cpu: number; level: number; raise: boolean }
  | { kind: 'startCpu'; cpu: number; pc: number };

export interface LoggedOperation {
  readonly position: number;
  readonly time: number;
  readonly op: HostOperation;
}

export type TrapHook = (cpu: Cpu, tt: number) => TrapHookResult;

interface QueuedEvent {
  at: number;
  seq: number;
  fn: () => void;
}

interface SchedulerState {
  cpu: number;
  left: number;
  round: number;
  rng: number;
}

export interface MachineSnapshot {
  readonly cpus: CpuSnapshot[];
  readonly pages: Map<number, Int32Array>;
  readonly scheduler: SchedulerState;
  readonly position: number;
  readonly devices: Record<string, unknown>;
  readonly bpSkip: number[];
  /** The event queue; its callbacks belong to this machine's devices, so restore on the same machine. */
  readonly events: readonly QueuedEvent[];
  readonly eventSeq: number;
}

/** Register names accepted by getRegister/setRegister: r0-r31, g0-g7, o0-o7, l0-l7, i0-i7, sp, fp, pc, npc, psr, wim, tbr, y. */
export type RegisterName = string;

export class Machine implements ExecContext {
  readonly bus: Bus;
  readonly cpus: Cpu[];
  readonly config: Readonly<Required<Omit<MachineConfig, 'seed'>> & { seed: number | null }>;
  stopRequested = false;
  readonly breakpoints = new Set<number>();
  timing: TimingModel | null = null;
  /** A personality (Linux user mode) that handles traps in the host instead of the trap table. */
  trapHook: TrapHook | null = null;
  /** When set and true for a trap, the run stops after entering it with a `trap` event. */
  trapFilter: ((cpu: Cpu, tt: number) => boolean) | null = null;
  /** Called for every trap entered through the trap table (not for ones the personality handled). */
  trapListener: ((cpu: Cpu, tt: number, pc: number, npc: number) => void) | null = null;
  /** Where device `log` messages go (default: kept in `deviceLog`). */
  logListener: ((device: string, msg: string) => void) | null = null;
  readonly deviceLog: string[] = [];
  /** Host operations since construction (or the last clearOperationLog), for replay. */
  readonly operationLog: LoggedOperation[] = [];
  private event: MachineEvent | null = null;
  private readonly engines: Partial<Record<EngineName, Engine>> = {};
  private engine: Engine;
  private events: QueuedEvent[] = [];
  private eventSeq = 0;
  private sched: SchedulerState;
  /** True while the engine runs CPU 0 (see schedule). */
  private runningCpu0 = false;
  /** Scheduler steps since reset: a deterministic position in the run. */
  position = 0;
  /** Per CPU: a breakpoint pc that was just reported and must not stop the CPU again when it resumes. */
  private bpSkip: number[];
  private readonly breakpointListeners: ((pc: number) => void)[] = [];

  constructor(config: MachineConfig = {}) {
    const cpus = config.cpus ?? 1;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 16) throw new MachineError('bad-cpus', `cpus must be 1..16, not ${cpus}`);
    const quantum = config.quantum ?? 1000;
    if (!Number.isInteger(quantum) || quantum < 1) throw new MachineError('bad-quantum', `quantum must be a positive integer, not ${quantum}`);
    this.config = {
      ramSize: config.ramSize ?? 64 * 1024 * 1024,
      cpus,
      nwindows: config.nwindows ?? 8,
      engine: config.engine ?? 'fast',
      quantum,
      seed: config.seed ?? null,
      psrImpl: config.psrImpl ?? 0,
      psrVer: config.psrVer ?? 0,
      startAllCpus: config.startAllCpus ?? false,
    };
    this.bus = new Bus(this.config.ramSize);
    this.cpus = [];
    for (let i = 0; i < cpus; i++) {
      const cpu = new Cpu(i, this.config.nwindows, this.config.psrImpl, this.config.psrVer);
      if (i > 0 && !this.config.startAllCpus) cpu.state = 'stopped';
      this.cpus.push(cpu);
    }
    this.bpSkip = new Array<number>(cpus).fill(-1);
    this.sched = { cpu: cpus - 1, left: 0, round: -1, rng: seedState(this.config.seed ?? 0) };
    this.engine = this.engineNamed(this.config.engine);
    this.bus.codeWriteListener = (addr, len) => {
      for (const e of Object.values(this.engines)) e?.invalidate(addr, len);
    };
  }

  // ---- engines -------------------------------------------------------------------------------

  get engineName(): EngineName {
    return this.engine.name;
  }

  /** Switches engine between runs; the architectural state carries over unchanged. */
  setEngine(name: EngineName): void {
    this.engine = this.engineNamed(name);
  }

  private engineNamed(name: EngineName): Engine {
    let e = this.engines[name];
    if (!e) {
      e = name === 'reference' ? new ReferenceEngine(this) : new FastEngine(this);
      this.engines[name] = e;
    }
    return e;
  }

  /** Called by the fast engine so that breakpoint changes flush the code it translated. */
  onBreakpointChange(listener: (pc: number) => void): void {
    this.breakpointListeners.push(listener);
  }

  // ---- ExecContext ---------------------------------------------------------------------------

  trap(cpu: Cpu, tt: number): void {
    if (this.trapHook !== null) {
      const handled = this.trapHook(cpu, tt);
      if (handled === 'retire') return;
      if (handled === 'retry') {
        cpu.trapsTaken++;
        return;
      }
    }
    cpu.trapsTaken++;
    const pc = cpu.pc;
    const npc = cpu.npc;
    if (!enterTrap(cpu, tt)) {
      this.requestStop({ kind: 'halt', cpu: cpu.index, reason: cpu.errorReason ?? 'error mode', dump: cpu.dump() });
      return;
    }
    if (this.trapListener !== null) this.trapListener(cpu, tt, pc, npc);
    if (this.trapFilter !== null && this.trapFilter(cpu, tt)) {
      this.requestStop({ kind: 'trap', cpu: cpu.index, tt, name: trapName(tt), pc, npc });
    }
  }

  breakpointHit(cpu: Cpu): boolean {
    const skip = this.bpSkip[cpu.index];
    this.bpSkip[cpu.index] = -1;
    if (!this.breakpoints.has(cpu.pc) || skip === cpu.pc) return false;
    this.bpSkip[cpu.index] = cpu.pc;
    this.requestStop({ kind: 'breakpoint', cpu: cpu.index, pc: cpu.pc });
    return true;
  }

  readAsr(cpu: Cpu, asr: number): number | null {
    return readImplementationAsr(cpu, asr);
  }

  writeAsr(cpu: Cpu, asr: number, value: number): boolean {
    return writeImplementationAsr(cpu, asr, value);
  }

  noteWatchHit(cpu: Cpu, pc: number): void {
    const hit = this.bus.watchHit;
    this.bus.watchHit = null;
    if (hit === null) return;
    this.requestStop({
      kind: 'watchpoint', cpu: cpu.index, pc, watchpoint: hit.watchpoint.id,
      addr: hit.addr, width: hit.width, access: hit.access, value: hit.value,
    });
  }

  /** Ends the current run after the current instruction with `event` (the first event wins). */
  requestStop(event: MachineEvent): void {
    if (this.event === null) this.event = event;
    this.stopRequested = true;
  }

  // ---- running -------------------------------------------------------------------------------

  /** Virtual time: CPU 0's clock in cycles. */
  now(): number {
    return this.cpus[0]!.cycles;
  }

  /**
   * Runs the CPUs, interleaved by the scheduler, until `maxSteps` steps or an event. Deterministic:
   * the same state, configuration and seed always give the same interleaving.
   */
  run(options: RunOptions = {}): RunResult {
    const limit = options.maxSteps ?? Infinity;
    this.stopRequested = false;
    this.event = null;
    const s = this.sched;
    let done = 0;
    while (done < limit) {
      if (s.left === 0) this.nextSlice();
      const cpu = this.cpus[s.cpu]!;
      if (cpu.state !== 'running' && !this.anyRunning()) {
        // Nobody can run. A stopped CPU idles through its slice like a running one executes it
        // (one cycle per step), so the scheduler still goes slice by slice to the next device
        // event — a jump of all clocks at once would split the idle cycles between CPUs
        // differently depending on where a run() call began, and position could not reach every
        // value — but in a tight loop: nothing can happen before that event.
        if (this.events.length === 0) {
          this.requestStop({ kind: 'idle' });
          break;
        }
        const at = this.events[0]!.at;
        while (done < limit && this.now() < at) {
          if (s.left === 0) this.nextSlice();
          const c = this.cpus[s.cpu]!;
          let w = Math.min(s.left, limit - done);
          if (s.cpu === 0) w = Math.min(w, at - this.now());
          c.idleCycles += w;
          s.left -= w;
          done += w;
          this.position += w;
        }
        // Only CPU 0's idling moves the clock, so the event is due right after a piece of its slice.
        this.fireDueEvents();
        if (this.mustStop()) break;
        continue;
      }
      let want = Math.min(s.left, limit - done);
      if (s.cpu === 0) {
        // Events that fell due while other CPUs ran (or the host queued for now) fire before
        // CPU 0's next instruction; then CPU 0 runs at most up to the next event, so that every
        // event fires exactly at its cycle whatever the slice and whatever the caller's maxSteps.
        this.fireDueEvents();
        if (this.mustStop()) break;
        if (this.events.length > 0) {
          const until = this.events[0]!.at - this.now();
          if (until >= 1 && until < want) want = until;
        }
      }
      let k: number;
      if (cpu.state === 'running') {
        this.runningCpu0 = s.cpu === 0;
        k = this.engine.run(cpu, want);
        this.runningCpu0 = false;
      } else {
        cpu.idleCycles += want;
        k = want;
      }
      s.left -= k;
      done += k;
      this.position += k;
      if (s.cpu === 0) this.fireDueEvents();
      if (this.mustStop()) break;
    }
    const event = this.event;
    this.event = null;
    this.stopRequested = false;
    return { steps: done, reason: event === null ? 'limit' : 'event', event };
  }

  /** Runs exactly one scheduler step (one instruction or trap of the CPU whose turn it is). */
  step(): RunResult {
    return this.run({ maxSteps: 1 });
  }

  /** Runs until the scheduler position reaches `position` (or an event). */
  runUntilPosition(position: number): RunResult {
    return this.run({ maxSteps: Math.max(0, position - this.position) });
  }

  /**
   * Whether the run must end now: an event was requested. A stop request without an event is a
   * yield (see schedule): it only ends the engine's current call, and the run goes on.
   */
  private mustStop(): boolean {
    if (!this.stopRequested) return false;
    if (this.event !== null) return true;
    this.stopRequested = false;
    return false;
  }

  private anyRunning(): boolean {
    for (const c of this.cpus) if (c.state === 'running') return true;
    return false;
  }

  private nextSlice(): void {
    const s = this.sched;
    const n = this.cpus.length;
    s.cpu = (s.cpu + 1) % n;
    if (s.cpu === 0) s.round++;
    let q = this.config.quantum;
    if (this.config.seed !== null) {
      s.rng = xorshift32(s.rng);
      q = 1 + ((s.rng >>> 0) % q);
    }
    if (s.cpu === 0 && this.events.length > 0) {
      // Clip CPU 0's slice so that device events fire exactly on time.
      const until = this.events[0]!.at - this.now();
      if (until >= 1 && until < q) q = until;
    }
    s.left = q;
  }

  private fireDueEvents(): void {
    const now = this.now();
    while (this.events.length > 0 && this.events[0]!.at <= now) {
      const e = this.events.shift()!;
      e.fn();
    }
  }

  /** Queues `fn` to run between instructions once CPU 0's clock reaches `atCycle`. */
  schedule(atCycle: number, fn: () => void): void {
    const e: QueuedEvent = { at: atCycle, seq: this.eventSeq++, fn };
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1]!.at > atCycle)) i--;
    this.events.splice(i, 0, e);
    // Queued by an instruction of CPU 0 (a device register store): the engine stops after that
    // instruction so that run() can clip CPU 0's run to the new event (it may be due before the
    // end of the current slice). CPU 0's clock does not move while other CPUs run.
    if (this.runningCpu0) this.stopRequested = true;
  }

  get pendingEvents(): number {
    return this.events.length;
  }

  // ---- devices -------------------------------------------------------------------------------

  addDevice(device: Device): void {
    this.bus.addDevice(device);
    device.attach?.(this.deviceHost(device.name));
  }

  /** The DeviceHost a device receives. */
  deviceHost(name: string): DeviceHost {
    return {
      now: () => this.now(),
      schedule: (at, fn) => this.schedule(at, fn),
      raiseInterrupt: (level, cpu) => this.setInterrupt(level, cpu ?? 0, true),
      clearInterrupt: (level, cpu) => this.setInterrupt(level, cpu ?? 0, false),
      readPhys: (addr, len) => this.bus.readBytes(addr, len),
      writePhys: (addr, bytes) => this.bus.writeBytes(addr, bytes),
      log: (msg) => {
        if (this.logListener) this.logListener(name, msg);
        else this.deviceLog.push(`${name}: ${msg}`);
      },
      cpuCount: () => this.cpus.length,
      // Not logged: the device does it again when a log is replayed.
      startCpu: (cpu, pc) => this.powerOn(cpu, pc),
    };
  }

  private setInterrupt(level: number, cpuIndex: number, raise: boolean): void {
    if (!Number.isInteger(level) || level < 1 || level > 15) throw new MachineError('bad-interrupt-level', `interrupt level ${level} must be 1..15`);
    const cpu = this.cpus[cpuIndex];
    if (!cpu) throw new MachineError('bad-cpu', `no CPU ${cpuIndex}; the machine has ${this.cpus.length}`);
    if (raise) cpu.irq |= 1 << level;
    else cpu.irq &= ~(1 << level);
  }

  // ---- host API ------------------------------------------------------------------------------

  /** Raises or clears an interrupt level on a CPU from the host (logged). */
  hostInterrupt(level: number, raise: boolean, cpu = 0): void {
    this.log({ kind: 'interrupt', cpu, level, raise });
    this.setInterrupt(level, cpu, raise);
  }

  /** Starts a stopped CPU at `pc` in supervisor mode, traps disabled, CWP 0 (SMP bring-up). */
  startCpu(index: number, pc: number): void {
    this.log({ kind: 'startCpu', cpu: index, pc });
    this.powerOn(index, pc);
  }

  private powerOn(index: number, pc: number): void {
    const cpu = this.cpuAt(index);
    cpu.reset();
    cpu.pc = pc >>> 0;
    cpu.npc = (pc + 4) >>> 0;
    cpu.state = 'running';
  }

  cpuAt(index: number): Cpu {
    const cpu = this.cpus[index];
    if (!cpu) throw new MachineError('bad-cpu', `no CPU ${index}; the machine has ${this.cpus.length}`);
    return cpu;
  }

  readMemory(addr: number, len: number): Uint8Array {
    return this.bus.readBytes(addr >>> 0, len);
  }

  /**
   * Writes physical memory between instructions (logged with the scheduler position). Translated
   * code the bytes cover is invalidated, so every CPU's next fetch sees them; an aligned word write
   * is atomic with respect to every CPU.
   */
  writeMemory(addr: number, bytes: Uint8Array): void {
    this.log({ kind: 'write', addr: addr >>> 0, bytes: bytes.slice() });
    this.bus.writeBytes(addr >>> 0, bytes);
  }

  readWord(addr: number): number {
    return this.bus.readWord(addr >>> 0);
  }

  writeWord(addr: number, value: number): void {
    if ((addr & 3) !== 0) throw new MachineError('misaligned', `word write at 0x${(addr >>> 0).toString(16)} is not 4-byte aligned`);
    const bytes = new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
    this.log({ kind: 'write', addr: addr >>> 0, bytes });
    this.bus.writeWord(addr >>> 0, value);
  }

  getRegister(cpuIndex: number, name: RegisterName): number {
    const cpu = this.cpuAt(cpuIndex);
    switch (name) {
      case 'pc': return cpu.pc >>> 0;
      case 'npc': return cpu.npc >>> 0;
      case 'psr': return cpu.psr;
      case 'wim': return cpu.wim >>> 0;
      case 'tbr': return cpu.tbr >>> 0;
      case 'y': return cpu.y >>> 0;
      default: return cpu.get(registerNumber(name));
    }
  }

  setRegister(cpuIndex: number, name: RegisterName, value: number): void {
    const cpu = this.cpuAt(cpuIndex);
    this.log({ kind: 'setRegister', cpu: cpuIndex, name, value });
    applyRegister(cpu, name, value);
    this.bpSkip[cpuIndex] = -1;
  }

  /** Sets up a CPU for a program: pc/npc, PSR, WIM, TBR and the stack pointer. Not logged (setup). */
  setupCpu(index: number, setup: { pc: number; npc?: number; sp?: number; psr?: number; wim?: number; tbr?: number }): void {
    const cpu = this.cpuAt(index);
    cpu.state = 'running';
    cpu.errorReason = null;
    cpu.pc = setup.pc >>> 0;
    cpu.npc = (setup.npc ?? setup.pc + 4) >>> 0;
    if (setup.psr !== undefined) cpu.psr = setup.psr;
    if (setup.wim !== undefined) cpu.wim = setup.wim >>> 0;
    if (setup.tbr !== undefined) cpu.tbr = setup.tbr >>> 0;
    if (setup.sp !== undefined) cpu.set(14, setup.sp);
  }

  addBreakpoint(pc: number): void {
    const a = pc >>> 0;
    if (this.breakpoints.has(a)) return;
    this.breakpoints.add(a);
    for (const l of this.breakpointListeners) l(a);
  }

  removeBreakpoint(pc: number): boolean {
    const a = pc >>> 0;
    const had = this.breakpoints.delete(a);
    if (had) for (const l of this.breakpointListeners) l(a);
    return had;
  }

  addWatchpoint(addr: number, len: number, access: { read?: boolean; write?: boolean } = { write: true }): Watchpoint {
    return this.bus.addWatchpoint(addr, len, access.read ?? false, access.write ?? true);
  }

  removeWatchpoint(id: number): boolean {
    return this.bus.removeWatchpoint(id);
  }

  private log(op: HostOperation): void {
    this.operationLog.push({ position: this.position, time: this.now(), op });
  }

  clearOperationLog(): void {
    this.operationLog.length = 0;
  }

  /**
   * Replays logged host operations: runs to each one's position, applies it, and finally runs to
   * `untilPosition`. Breakpoints and watchpoints are ignored while replaying.
   */
  replay(log: readonly LoggedOperation[], untilPosition: number): void {
    const saved = [...this.breakpoints];
    this.breakpoints.clear();
    try {
      for (const entry of log) {
        this.runUntilPositionIgnoringEvents(entry.position);
        this.applyOperation(entry.op);
      }
      this.runUntilPositionIgnoringEvents(untilPosition);
    } finally {
      for (const pc of saved) this.breakpoints.add(pc);
    }
  }

  private runUntilPositionIgnoringEvents(position: number): void {
    while (this.position < position) {
      const r = this.runUntilPosition(position);
      if (r.event?.kind === 'idle' || (r.steps === 0 && r.event?.kind !== 'watchpoint')) break;
    }
  }

  /** Applies a host operation (as it was logged). */
  applyOperation(op: HostOperation): void {
    switch (op.kind) {
      case 'write': this.writeMemory(op.addr, op.bytes); break;
      case 'setRegister': this.setRegister(op.cpu, op.name, op.value); break;
      case 'interrupt': this.hostInterrupt(op.level, op.raise, op.cpu); break;
      case 'startCpu': this.startCpu(op.cpu, op.pc); break;
    }
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** The whole machine: CPUs, RAM, scheduler, device state (devices with snapshot()), event queue. */
  snapshot(): MachineSnapshot {
    const devices: Record<string, unknown> = {};
    for (const d of this.bus.deviceList) if (d.snapshot) devices[d.name] = d.snapshot();
    return {
      cpus: this.cpus.map((c) => c.snapshot()),
      pages: this.bus.snapshotPages(),
      scheduler: { ...this.sched },
      position: this.position,
      devices,
      bpSkip: [...this.bpSkip],
      events: this.events.map((e) => ({ ...e })),
      eventSeq: this.eventSeq,
    };
  }

  /** Puts the machine back to `snap` (taken from this machine). Translated code is discarded. */
  restore(snap: MachineSnapshot): void {
    if (snap.cpus.length !== this.cpus.length) {
      throw new MachineError('snapshot-mismatch', `snapshot has ${snap.cpus.length} CPUs; this machine has ${this.cpus.length}`);
    }
    snap.cpus.forEach((c, i) => this.cpus[i]!.restore(c));
    this.bus.restorePages(snap.pages);
    this.sched = { ...snap.scheduler };
    this.position = snap.position;
    for (const d of this.bus.deviceList) if (d.restore && d.name in snap.devices) d.restore(snap.devices[d.name]);
    this.bpSkip = [...snap.bpSkip];
    this.events = snap.events.map((e) => ({ ...e }));
    this.eventSeq = snap.eventSeq;
    for (const e of Object.values(this.engines)) e?.flush();
  }

  /** Counters per CPU. */
  stats(): { cpu: number; state: string; instructions: number; cycles: number; traps: number }[] {
    return this.cpus.map((c) => ({ cpu: c.index, state: c.state, instructions: c.instructions, cycles: c.cycles, traps: c.trapsTaken }));
  }
}

const regGroups: Record<string, number> = { g: 0, o: 8, l: 16, i: 24 };

/** Architectural register number of a name: r0-r31, g0-g7, o0-o7, l0-l7, i0-i7, sp (o6), fp (i6). */
export function registerNumber(name: string): number {
  const n = name.replace(/^%/, '');
  if (n === 'sp') return 14;
  if (n === 'fp') return 30;
  const m = /^([rgoli])(\d+)$/.exec(n);
  if (m) {
    const k = Number(m[2]);
    if (m[1] === 'r' && k < 32) return k;
    if (m[1] !== 'r' && k < 8) return regGroups[m[1]!]! + k;
  }
  throw new MachineError('bad-register', `no register "${name}"; use r0-r31, g0-g7, o0-o7, l0-l7, i0-i7, sp, fp, pc, npc, psr, wim, tbr or y`);
}

function applyRegister(cpu: Cpu, name: string, value: number): void {
  switch (name.replace(/^%/, '')) {
    case 'pc': cpu.pc = value >>> 0; break;
    case 'npc': cpu.npc = value >>> 0; break;
    case 'psr': cpu.psr = value; break;
    case 'wim': cpu.wim = (value & (2 ** cpu.nwindows - 1)) >>> 0; break;
    case 'tbr': cpu.tbr = (value & 0xfffff000) >>> 0; break;
    case 'y': cpu.y = value >>> 0; break;
    default: cpu.set(registerNumber(name), value | 0);
  }
}

function seedState(seed: number): number {
  let x = (seed ^ 0x9e3779b9) | 0;
  if (x === 0) x = 0x2545f491;
  return x;
}

function xorshift32(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}
