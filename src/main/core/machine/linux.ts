// Linux user-mode personality: runs a static 32-bit SPARC Linux ELF the way the kernel would (stack, syscalls, windows).
//
// The process runs in user mode (PSR.S=0, ET=1) on CPU 0 with physical = virtual addresses. Traps do
// not go to a trap table: the personality handles them in the host like Linux's sparc32 trap
// handlers do — window overflow/underflow spill and fill the oldest/next window to the stack,
// `ta 0x10` is a system call (number in %g1, arguments in %o0-%o5, result in %o0 with the carry
// flag set on error), `ta 3` flushes the register windows, and anything else terminates the
// process with the signal Linux would send.
import { MachineError, PAGE_SIZE } from './bus.ts';
import type { Cpu } from './cpu.ts';
import type { Machine } from './machine.ts';
import { TT, trapName } from './traps.ts';

/** A PT_LOAD segment to place in memory. */
export interface LoadSegment {
  readonly vaddr: number;
  readonly memsz: number;
  /** The file bytes (filesz of them); the rest up to memsz is zero. */
  readonly data: Uint8Array;
}

/** What the loader needs from an ELF executable. */
export interface LinuxImage {
  readonly entry: number;
  readonly segments: readonly LoadSegment[];
  /** Where the program headers are in memory, for AT_PHDR (0 when not loaded). */
  readonly phdrAddr: number;
  readonly phent: number;
  readonly phnum: number;
}

export interface LinuxOptions {
  argv?: readonly string[];
  envp?: readonly string[];
  /** Bytes the program reads from fd 0. */
  stdin?: Uint8Array;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /** Seeds getrandom and AT_RANDOM (deterministic runs). */
  seed?: number;
  /** Path readlink("/proc/self/exe") returns. */
  exePath?: string;
  /** Called for system calls the personality does not implement (they return -ENOSYS). */
  onUnknownSyscall?: (number: number) => void;
}

/** Linux sparc32 system call numbers (asm/unistd_32.h). */
export const SYS = {
  exit: 1, read: 3, write: 4, open: 5, close: 6, brk: 17, getpid: 20, getuid: 24, ioctl: 54,
  getgid32: 53, geteuid32: 69, getegid32: 70, getuid32: 44, mmap2: 56, fstat64: 63, mmap: 71, munmap: 73, mprotect: 74,
  madvise: 75, rt_sigaction: 102, rt_sigprocmask: 103, gettimeofday: 116, writev: 121, futex: 142,
  gettid: 143, set_tid_address: 166, exit_group: 188, uname: 189, getppid: 197, time: 231,
  clock_gettime: 257, openat: 284, readlinkat: 294, readlink: 58, set_robust_list: 300, prlimit64: 331,
  getrandom: 347, statx: 360, rseq: 365, clock_gettime64: 403, sigaltstack: 28, getrlimit: 144,
} as const;

const E = { EPERM: 1, ENOENT: 2, EBADF: 9, ENOMEM: 12, EFAULT: 14, EINVAL: 22, ENOTTY: 25, ENOSYS: 38 } as const;

/** Signals (Linux/SPARC numbering) that traps turn into. */
export const SIG = { SIGILL: 4, SIGTRAP: 5, SIGEMT: 7, SIGFPE: 8, SIGBUS: 10, SIGSEGV: 11 } as const;

export const STACK_TOP = 0xf0000000;
const STACK_LIMIT = 8 * 1024 * 1024;
const MMAP_TOP = STACK_TOP - STACK_LIMIT - PAGE_SIZE;
const AT = { NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31 } as const;

export class LinuxProcess {
  readonly machine: Machine;
  readonly cpu: Cpu;
  exitStatus: number | null = null;
  /** The signal that terminated the process, if one did. */
  signal: number | null = null;
  /** A description of what killed the process, for messages. */
  signalReason: string | null = null;
  private brkStart = 0;
  private brkCur = 0;
  private mmapNext = MMAP_TOP;
  private stdin: Uint8Array;
  private stdinPos = 0;
  private rng: number;
  private readonly options: LinuxOptions;
  readonly syscallCounts = new Map<number, number>();

  constructor(machine: Machine, image: LinuxImage, options: LinuxOptions = {}) {
    this.machine = machine;
    this.cpu = machine.cpuAt(0);
    this.options = options;
    this.stdin = options.stdin ?? new Uint8Array(0);
    this.rng = (options.seed ?? 0x5eed) | 0 || 1;
    this.load(image);
    machine.trapHook = (cpu, tt) => this.handleTrap(cpu, tt);
  }

  private load(image: LinuxImage): void {
    const m = this.machine;
    if (m.bus.ramSize < 2 ** 32) {
      throw new MachineError('linux-ram', 'the Linux personality needs the whole 4 GiB address space as RAM (ramSize: 2 ** 32; pages are allocated lazily)');
    }
    let end = 0;
    for (const seg of image.segments) {
      m.bus.writeBytes(seg.vaddr, seg.data);
      if (seg.memsz > seg.data.length) m.bus.writeBytes(seg.vaddr + seg.data.length, new Uint8Array(seg.memsz - seg.data.length));
      end = Math.max(end, seg.vaddr + seg.memsz);
    }
    this.brkStart = this.brkCur = roundUp(end, PAGE_SIZE);
    const sp = this.buildStack(image);
    const cpu = this.cpu;
    cpu.reset();
    cpu.state = 'running';
    // User mode, traps enabled, window 0; WIM marks window 1 so that NWINDOWS−1 saves fit before the
    // first overflow spills this initial frame (V8 §4.2, the same invariant Linux keeps).
    cpu.psr = 1 << 5; // ET=1, S=0, PS=0, PIL=0, CWP=0
    cpu.wim = (1 << (1 % cpu.nwindows)) >>> 0;
    cpu.pc = image.entry >>> 0;
    cpu.npc = (image.entry + 4) >>> 0;
    cpu.set(14, sp);
  }

  /** Builds argc/argv/envp/auxv and the strings below STACK_TOP like Linux's create_elf_tables. */
  private buildStack(image: LinuxImage): number {
    const bus = this.machine.bus;
    const argv = this.options.argv ?? ['program'];
    const envp = this.options.envp ?? [];
        let p = STACK_TOP;
    const pushBytes = (bytes: Uint8Array): number => {
      p -= bytes.length;
      bus.writeBytes(p, bytes);
      return p;
    };
    const pushString = (s: string): number => pushBytes(new Uint8Array([...utf8(s), 0]));
    const execfn = pushString(this.options.exePath ?? argv[0] ?? 'program');
    const envAddrs = envp.map(pushString);
    const argAddrs = argv.map(pushString);
    const platform = pushString('sparc');
    const random = new Uint8Array(16);
    for (let i = 0; i < 16; i++) random[i] = this.nextRandom() & 255;
    const randomAddr = pushBytes(random);
    const auxv: [number, number][] = [
      [AT.PHDR, image.phdrAddr], [AT.PHENT, image.phent], [AT.PHNUM, image.phnum], [AT.PAGESZ, PAGE_SIZE],
      [AT.BASE, 0], [AT.FLAGS, 0], [AT.ENTRY, image.entry], [AT.UID, 0], [AT.EUID, 0], [AT.GID, 0],
      [AT.EGID, 0], [AT.SECURE, 0], [AT.HWCAP, 0], [AT.CLKTCK, 100], [AT.PLATFORM, platform],
      [AT.RANDOM, randomAddr], [AT.EXECFN, execfn], [AT.NULL, 0],
    ];
    const words = [argv.length, ...argAddrs, 0, ...envAddrs, 0, ...auxv.flat()];
    p = (p - words.length * 4) & ~15;
    const argcAddr = p;
    words.forEach((w, i) => bus.writeWord(argcAddr + 4 * i, w));
    // The 16-word register window save area sits below argc (%sp + 64 = &argc).
    return argcAddr - 64;
  }

  private nextRandom(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x | 0;
    return x >>> 0;
  }

  // ---- traps ---------------------------------------------------------------------------------

  private handleTrap(cpu: Cpu, tt: number): 'retire' | 'retry' | undefined {
    if (cpu.index !== 0) return undefined;
    switch (tt) {
      case TT.window_overflow:
        return this.windowOverflow(cpu) ? 'retry' : this.kill(cpu, SIG.SIGSEGV, 'window overflow: bad stack pointer');
      case TT.window_underflow:
        return this.windowUnderflow(cpu) ? 'retry' : this.kill(cpu, SIG.SIGSEGV, 'window underflow: bad frame pointer');
      case 0x80 + 0x10:
        this.syscall(cpu);
        return 'retire';
      case 0x80 + 3:
        this.flushWindows(cpu);
        advance(cpu);
        return 'retire';
      case 0x80 + 1:
        return this.kill(cpu, SIG.SIGTRAP, 'breakpoint trap (ta 1)');
      case TT.illegal_instruction:
      case TT.privileged_instruction:
      case TT.fp_disabled:
      case TT.cp_disabled:
        return this.kill(cpu, SIG.SIGILL, trapName(tt));
      case TT.mem_address_not_aligned:
        return this.kill(cpu, SIG.SIGBUS, trapName(tt));
      case TT.division_by_zero:
        return this.kill(cpu, SIG.SIGFPE, trapName(tt));
      case TT.tag_overflow:
        return this.kill(cpu, SIG.SIGEMT, trapName(tt));
      case TT.data_access_error:
      case TT.data_access_exception:
      case TT.instruction_access_error:
      case TT.instruction_access_exception:
        return this.kill(cpu, SIG.SIGSEGV, trapName(tt));
      default:
        return this.kill(cpu, SIG.SIGILL, trapName(tt));
    }
  }

  private kill(cpu: Cpu, signal: number, reason: string): 'retire' {
    this.signal = signal;
    this.signalReason = `${reason} at pc 0x${(cpu.pc >>> 0).toString(16)}`;
    this.finish(cpu, 128 + signal);
    return 'retire';
  }

  private finish(cpu: Cpu, status: number): void {
    this.exitStatus = status & 0xff;
    cpu.state = 'stopped';
    this.machine.requestStop({ kind: 'exit', cpu: cpu.index, status: this.exitStatus });
  }

  /** Saves window `w`'s locals and ins at its %sp (V8 ABI register save area). False if %sp is bad. */
  private spill(cpu: Cpu, w: number): boolean {
    const sp = cpu.r[cpu.regIndexIn(w, 14)]! >>> 0;
    if ((sp & 7) !== 0) return false;
    const bus = this.machine.bus;
    for (let k = 0; k < 16; k++) bus.writeWord(sp + 4 * k, cpu.r[cpu.regIndexIn(w, 16 + k)]!);
    return true;
  }

  private fill(cpu: Cpu, w: number): boolean {
    const sp = cpu.r[cpu.regIndexIn(w, 14)]! >>> 0;
    if ((sp & 7) !== 0) return false;
    const bus = this.machine.bus;
    for (let k = 0; k < 16; k++) cpu.r[cpu.regIndexIn(w, 16 + k)] = bus.readWord(sp + 4 * k) | 0;
    return true;
  }

  /** `save` found CWP−1 invalid: spill window CWP−2 (the oldest) and move the invalid mark to it. */
  private windowOverflow(cpu: Cpu): boolean {
    const nw = cpu.nwindows;
    const victim = (cpu.cwp + nw - 2) % nw;
    if (!this.spill(cpu, victim)) return false;
    cpu.wim = (1 << victim) >>> 0;
    return true;
  }

  /** `restore` found CWP+1 invalid: fill it from its %sp (the current %fp) and mark CWP+2 invalid. */
  private windowUnderflow(cpu: Cpu): boolean {
    const nw = cpu.nwindows;
    const w = (cpu.cwp + 1) % nw;
    if (!this.fill(cpu, w)) return false;
    cpu.wim = (1 << ((cpu.cwp + 2) % nw)) >>> 0;
    return true;
  }

  /** `ta 3`: spill every valid window but the current one; CWP+1 becomes the invalid window. */
  private flushWindows(cpu: Cpu): void {
    const nw = cpu.nwindows;
    for (let w = (cpu.cwp + 1) % nw; w !== cpu.cwp && (cpu.wim & (1 << w)) === 0; w = (w + 1) % nw) {
      if (!this.spill(cpu, w)) break;
    }
    cpu.wim = (1 << ((cpu.cwp + 1) % nw)) >>> 0;
  }

  // ---- system calls --------------------------------------------------------------------------

  private syscall(cpu: Cpu): void {
    const n = cpu.get(1);
    this.syscallCounts.set(n, (this.syscallCounts.get(n) ?? 0) + 1);
    const a = [cpu.get(8), cpu.get(9), cpu.get(10), cpu.get(11), cpu.get(12), cpu.get(13)] as const;
    const r = this.dispatch(n, a);
    if (r === null) return; // the process ended
    advance(cpu);
    if (r < 0 && r > -4096) {
      cpu.set(8, -r);
      cpu.icc |= 1; // carry: error
    } else {
      cpu.set(8, r);
      cpu.icc &= ~1;
    }
  }

  private dispatch(n: number, a: readonly [number, number, number, number, number, number]): number | null {
    const bus = this.machine.bus;
    switch (n) {
      case SYS.exit:
      case SYS.exit_group:
        this.finish(this.cpu, a[0]);
        return null;
      case SYS.write:
        return this.write(a[0], bus.readBytes(a[1], a[2]));
      case SYS.writev: {
        let total = 0;
        for (let i = 0; i < a[2]; i++) {
          const base = bus.readWord(a[1] + 8 * i);
          const len = bus.readWord(a[1] + 8 * i + 4);
          const r = this.write(a[0], bus.readBytes(base, len));
          if (r < 0) return total > 0 ? total : r;
          total += r;
        }
        return total;
      }
      case SYS.read: {
        if (a[0] !== 0) return -E.EBADF;
        const len = Math.min(a[2], this.stdin.length - this.stdinPos);
        bus.writeBytes(a[1], this.stdin.subarray(this.stdinPos, this.stdinPos + len));
        this.stdinPos += len;
        return len;
      }
      case SYS.close:
        return a[0] <= 2 ? 0 : -E.EBADF;
      case SYS.brk: {
        const want = a[0];
        if (want >= this.brkStart && want < MMAP_TOP - STACK_LIMIT) {
          if (want > this.brkCur) bus.writeBytes(this.brkCur, new Uint8Array(want - this.brkCur));
          this.brkCur = want;
        }
        return this.brkCur;
      }
      case SYS.mmap:
      case SYS.mmap2: {
        const [addr, len, , flags, fd] = a;
        const MAP_FIXED = 0x10;
        const MAP_ANONYMOUS = 0x20;
        if ((flags & MAP_ANONYMOUS) === 0 || (fd | 0) !== -1) return -E.ENOSYS;
        if (len === 0) return -E.EINVAL;
        const size = roundUp(len, PAGE_SIZE);
        let at: number;
        if ((flags & MAP_FIXED) !== 0) at = addr;
        else {
          this.mmapNext -= size;
          at = this.mmapNext;
        }
        bus.writeBytes(at, new Uint8Array(size));
        return at >>> 0;
      }
      case SYS.munmap:
      case SYS.mprotect:
      case SYS.madvise:
        return 0;
      case SYS.set_tid_address:
      case SYS.gettid:
      case SYS.getpid:
        return 1000;
      case SYS.getppid:
        return 999;
      case SYS.getuid:
      case SYS.getuid32:
      case SYS.geteuid32:
      case SYS.getgid32:
      case SYS.getegid32:
        return 0;
      case SYS.uname: {
        const fields = ['Linux', 'springboard', '6.1.0', '#1 SMP springboard', 'sparc', '(none)'];
        const buf = new Uint8Array(65 * 6);
                fields.forEach((f, i) => buf.set(utf8(f), 65 * i));
        bus.writeBytes(a[0], buf);
        return 0;
      }
      case SYS.readlinkat:
      case SYS.readlink: {
        const pathAddr = n === SYS.readlink ? a[0] : a[1];
        const bufAddr = n === SYS.readlink ? a[1] : a[2];
        const size = n === SYS.readlink ? a[2] : a[3];
        const path = readCString(bus.readBytes.bind(bus), pathAddr);
        if (path !== '/proc/self/exe') return -E.ENOENT;
        const target = utf8(this.options.exePath ?? this.options.argv?.[0] ?? 'program');
        const len = Math.min(size, target.length);
        bus.writeBytes(bufAddr, target.subarray(0, len));
        return len;
      }
      case SYS.getrandom: {
        const out = new Uint8Array(a[1]);
        for (let i = 0; i < out.length; i++) out[i] = this.nextRandom() & 255;
        bus.writeBytes(a[0], out);
        return out.length;
      }
      case SYS.clock_gettime: {
        // Virtual time: CPU 0's cycles at a nominal 1 GHz (deterministic).
        const ns = this.machine.now();
        bus.writeWord(a[1], Math.floor(ns / 1e9));
        bus.writeWord(a[1] + 4, ns % 1e9);
        return 0;
      }
      case SYS.gettimeofday: {
        const ns = this.machine.now();
        if (a[0] !== 0) {
          bus.writeWord(a[0], Math.floor(ns / 1e9));
          bus.writeWord(a[0] + 4, Math.floor((ns % 1e9) / 1000));
        }
        return 0;
      }
      case SYS.time: {
        const s = Math.floor(this.machine.now() / 1e9);
        if (a[0] !== 0) bus.writeWord(a[0], s);
        return s;
      }
      case SYS.ioctl:
        return -E.ENOTTY;
      case SYS.rt_sigaction:
      case SYS.rt_sigprocmask:
      case SYS.sigaltstack:
        return 0;
      default:
        this.options.onUnknownSyscall?.(n);
        return -E.ENOSYS;
    }
  }

  private write(fd: number, bytes: Uint8Array): number {
    if (fd === 1) this.options.stdout?.(bytes);
    else if (fd === 2) this.options.stderr?.(bytes);
    else return -E.EBADF;
    return bytes.length;
  }
}

/** pc ← npc, npc ← npc + 4: how a handled trap instruction returns (`jmp %l2; rett %l2 + 4`). */
function advance(cpu: Cpu): void {
  cpu.pc = cpu.npc;
  cpu.npc = (cpu.npc + 4) >>> 0;
}

function roundUp(v: number, to: number): number {
  return Math.ceil(v / to) * to;
}

function readCString(read: (addr: number, len: number) => Uint8Array, addr: number): string {
  const bytes: number[] = [];
  for (let a = addr; bytes.length < 4096; a++) {
    const b = read(a, 1)[0]!;
    if (b === 0) break;
    bytes.push(b);
  }
  return String.fromCharCode(...bytes);
}

/** UTF-8 bytes of a string (the engine layer has no TextEncoder). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}
