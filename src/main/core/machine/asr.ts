// The implementation-dependent ancillary state registers (V8 §4.2.6: ASR16-31) this machine defines.
//
// | ASR | read | write |
// |---|---|---|
// | %asr17 | configuration, LEON3 style: bits 31..28 CPU index, bits 4..0 NWINDOWS−1 | ignored |
// | %asr18 | cycle counter, low 32 bits; latches the high word for %asr19 | ignored |
// | %asr19 | cycle counter, high word latched by the last read of %asr18 | ignored |
// | %asr20 | instruction counter (completed instructions), low 32 bits; latches the high word | ignored |
// | %asr21 | instruction counter, high word latched by the last read of %asr20 | ignored |
//
// Reading them is allowed in user mode (like UltraSPARC's %tick with NPT=0); writing is privileged
// (privileged_instruction in user mode) and has no effect. Any other ASR 16-31 is not implemented
// and traps illegal_instruction, as do the reserved ASRs 1-14 (V8 §B.28/B.29). The counters count
// in this CPU's clock: `instructions` = completed instructions, `cycles` = steps (instructions plus
// traps taken) plus idle and timing-model cycles; both are 64-bit, read low word first.
import type { Cpu } from './cpu.ts';

export const ASR_CONFIG = 17;
export const ASR_CYCLES_LO = 18;
export const ASR_CYCLES_HI = 19;
export const ASR_INSTR_LO = 20;
export const ASR_INSTR_HI = 21;

const TWO32 = 2 ** 32;

/** The value `rd %asrN` reads, or null when ASR N is not implemented. */
export function readImplementationAsr(cpu: Cpu, asr: number): number | null {
  switch (asr) {
    case ASR_CONFIG:
      return (((cpu.index & 15) << 28) | ((cpu.nwindows - 1) & 31)) >>> 0;
    case ASR_CYCLES_LO: {
      const c = cpu.cycles;
      cpu.cycleHighLatch = Math.floor(c / TWO32) >>> 0;
      return c >>> 0;
    }
    case ASR_CYCLES_HI:
      return cpu.cycleHighLatch;
    case ASR_INSTR_LO: {
      const n = cpu.instructions;
      cpu.instrHighLatch = Math.floor(n / TWO32) >>> 0;
      return n >>> 0;
    }
    case ASR_INSTR_HI:
      return cpu.instrHighLatch;
    default:
      return null;
  }
}

/** Whether `wr %asrN` names an implemented ASR (its write has no effect). */
export function writeImplementationAsr(_cpu: Cpu, asr: number, _value: number): boolean {
  return asr >= ASR_CONFIG && asr <= ASR_INSTR_HI;
}
