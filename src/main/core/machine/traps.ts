// SPARC V8 trap types and priorities (V8 §7.4, Table 7-1), and trap entry (§7.5).
import type { Cpu } from './cpu.ts';

/** Trap types (tt values) of V8 Table 7-1. */
export const TT = {
  reset: 0x00,
  instruction_access_exception: 0x01,
  illegal_instruction: 0x02,
  privileged_instruction: 0x03,
  fp_disabled: 0x04,
  window_overflow: 0x05,
  window_underflow: 0x06,
  mem_address_not_aligned: 0x07,
  fp_exception: 0x08,
  data_access_exception: 0x09,
  tag_overflow: 0x0a,
  watchpoint_detected: 0x0b,
  r_register_access_error: 0x20,
  instruction_access_error: 0x21,
  cp_disabled: 0x24,
  unimplemented_FLUSH: 0x25,
  cp_exception: 0x28,
  data_access_error: 0x29,
  division_by_zero: 0x2a,
  data_store_error: 0x2b,
  data_access_MMU_miss: 0x2c,
  instruction_access_MMU_miss: 0x3c,
  /** interrupt_level_n is 0x10 + n (n = 1..15). */
  interrupt_level_1: 0x11,
  /** trap_instruction (Ticc) is 0x80 + the software trap number (0..127). */
  trap_instruction: 0x80,
} as const;

/** Priority of a trap type (1 = highest), V8 Table 7-1. Interrupts are lowest, level 15 first. */
export function trapPriority(tt: number): number {
  if (tt >= 0x80) return 16;
  if (tt >= 0x11 && tt <= 0x1f) return 17 + (0x1f - tt);
  switch (tt) {
    case TT.reset: return 1;
    case TT.data_store_error: return 2;
    case TT.instruction_access_MMU_miss: return 2;
    case TT.instruction_access_error: return 3;
    case TT.r_register_access_error: return 4;
    case TT.instruction_access_exception: return 5;
    case TT.privileged_instruction: return 6;
    case TT.illegal_instruction: return 7;
    case TT.fp_disabled: case TT.cp_disabled: case TT.unimplemented_FLUSH: case TT.watchpoint_detected: return 8;
    case TT.window_overflow: case TT.window_underflow: return 9;
    case TT.mem_address_not_aligned: return 10;
    case TT.fp_exception: case TT.cp_exception: return 11;
    case TT.data_access_error: case TT.data_access_MMU_miss: return 12;
    case TT.data_access_exception: return 13;
    case TT.tag_overflow: return 14;
    case TT.division_by_zero: return 15;
    default: return 16;
  }
}

const names = new Map<number, string>(Object.entries(TT).map(([k, v]) => [v as number, k]));

/** The V8 name of a trap type, e.g. `window_overflow`, `interrupt_level_10`, `trap_instruction 0x10`. */
export function trapName(tt: number): string {
  if (tt >= 0x80) return `trap_instruction 0x${(tt - 0x80).toString(16)}`;
  if (tt >= 0x11 && tt <= 0x1f) return `interrupt_level_${tt - 0x10}`;
  return names.get(tt) ?? `trap 0x${tt.toString(16)}`;
}

/**
 * Trap entry, V8 §7.5.1: ET←0, PS←S, S←1, CWP←CWP−1 (without a WIM check), %l1←PC, %l2←nPC,
 * TBR.tt←tt, PC←TBR, nPC←TBR+4. A synchronous trap while ET=0 puts the CPU in error mode instead.
 * Returns false when the CPU entered error mode.
 */
export function enterTrap(cpu: Cpu, tt: number): boolean {
  if (cpu.et === 0) {
    cpu.state = 'error';
    cpu.errorReason = `${trapName(tt)} (tt 0x${tt.toString(16)}) with traps disabled (ET=0) at pc 0x${(cpu.pc >>> 0).toString(16)}: error mode (V8 §7.3)`;
    return false;
  }
  cpu.et = 0;
  cpu.ps = cpu.s;
  cpu.s = 1;
  cpu.setCwp((cpu.cwp + cpu.nwindows - 1) % cpu.nwindows);
  cpu.r[cpu.wo + 9] = cpu.pc; // %l1
  cpu.r[cpu.wo + 10] = cpu.npc; // %l2
  cpu.tbr = ((cpu.tbr & 0xfffff000) | ((tt & 0xff) << 4)) >>> 0;
  cpu.pc = cpu.tbr;
  cpu.npc = (cpu.tbr + 4) >>> 0;
  return true;
}

/** The interrupt level a CPU takes before its next instruction, or 0 (V8 §7.4.4: level > PIL, or 15). */
export function pendingInterrupt(cpu: Cpu): number {
  const irq = cpu.irq;
  if (irq === 0 || cpu.et === 0) return 0;
  const level = 31 - Math.clz32(irq);
  return level === 15 || level > cpu.pil ? level : 0;
}
