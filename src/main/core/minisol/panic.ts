// Decoding a guest panic: the message, the registers, and a symbolic backtrace walked through the flushed register windows on the stack.
import type { MemoryReader } from './kstat.ts';
import type { KernelSymbols } from './symbols.ts';

export const PANIC_MAGIC = 0x50414e43;

export interface PanicReport {
  message: string;
  cpu: number;
  pid: number;
  thread: number;
  /** panic()'s registers: g0-g7, o0-o7, l0-l7, i0-i7, then psr, wim, tbr, y. */
  registers: Record<string, number>;
  /** The trap frame when an unexpected trap caused the panic. */
  trap: { tt: number; pc: number; npc: number; psr: number; y: number; g: number[]; i: number[] } | null;
  backtrace: string[];
  text: string;
}

const REG_NAMES = [
  ...['g', 'o', 'l', 'i'].flatMap((p) => Array.from({ length: 8 }, (_, k) => `${p}${k}`)),
  'psr', 'wim', 'tbr', 'y',
];

function words(b: Uint8Array, off: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(((b[off + i * 4]! << 24) | (b[off + i * 4 + 1]! << 16) | (b[off + i * 4 + 2]! << 8) | b[off + i * 4 + 3]!) >>> 0);
  return out;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Walks SPARC frames: each frame's window save area at %sp holds the caller's %fp (%i6, +56) and
 * the return address (%i7, +60). The windows were flushed by panic() (ta 3).
 */
export function walkStack(read: MemoryReader, syms: KernelSymbols, sp: number, maxFrames = 32): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < maxFrames && sp !== 0 && (sp & 7) === 0 && sp < 0xff000000 && !seen.has(sp); i++) {
    seen.add(sp);
    const [fp, ret] = words(read(sp + 56, 8), 0, 2) as [number, number];
    if (ret === 0) break;
    out.push(`${syms.format(ret)} sp ${hex(sp)}`);
    sp = fp;
  }
  return out;
}

/** The panic report, or null when panic_info was never filled in. */
export function readPanic(read: MemoryReader, syms: KernelSymbols): PanicReport | null {
  if (!syms.has('panic_info')) return null;
  const base = syms.address('panic_info');
  // struct panic_info (genunix/cons.c): magic cpu pid thread regs[36] has_trap struct regs (22 words)
  // sp pc, then the 8-byte-aligned hrtime at 264 and msg[256] at 272
  const b = read(base, 272 + 256);
  const [magic, cpu, pid, thread] = words(b, 0, 4) as [number, number, number, number];
  if (magic !== PANIC_MAGIC) return null;
  const regs = words(b, 16, 36);
  const hasTrap = words(b, 16 + 144, 1)[0] === 1;
  const tw = words(b, 16 + 148, 22);
  const [, pc] = words(b, 16 + 148 + 88, 2) as [number, number];
  const msgOff = 272;
  const msgBytes = b.subarray(msgOff, msgOff + 256);
  const end = msgBytes.indexOf(0);
  const message = String.fromCharCode(...msgBytes.subarray(0, end < 0 ? 256 : end));
  const registers: Record<string, number> = {};
  REG_NAMES.forEach((n, i) => (registers[n] = regs[i]!));
  const trap = hasTrap ? { psr: tw[0]!, pc: tw[1]!, npc: tw[2]!, y: tw[3]!, g: tw.slice(4, 12), tt: tw[12]!, i: tw.slice(14, 22) } : null;
  const backtrace: string[] = [];
  if (trap !== null) {
    backtrace.push(`${syms.format(trap.pc)} (trap 0x${trap.tt.toString(16)})`);
    backtrace.push(`${syms.format(trap.i[7]!)} (%o7 at the trap: the caller, or a leaf's return address)`);
    backtrace.push(...walkStack(read, syms, trap.i[6]!));
  } else {
    // panic()'s own window was live when it flushed: start from its %i7 (the call) and %i6
    // (the caller's stack pointer, whose window is on the stack)
    backtrace.push(`${syms.format(pc)} (panic called from here)`);
    backtrace.push(...walkStack(read, syms, registers.i6!));
  }
  const lines = [
    `panic[cpu${cpu}] pid ${pid} thread ${hex(thread)}: ${message}`,
    ...[0, 8, 16, 24].map((g) => `  %${'goli'[g / 8]}0-7 ${regs.slice(g, g + 8).map(hex).join(' ')}`),
    `  psr ${hex(registers.psr!)} wim ${hex(registers.wim!)} tbr ${hex(registers.tbr!)} y ${hex(registers.y!)}`,
  ];
  if (trap !== null) lines.push(`  trap 0x${trap.tt.toString(16)} at pc ${hex(trap.pc)} npc ${hex(trap.npc)} psr ${hex(trap.psr)}`);
  lines.push('  backtrace:', ...backtrace.map((l) => `    ${l}`));
  return { message, cpu, pid, thread, registers, trap, backtrace, text: lines.join('\n') };
}
