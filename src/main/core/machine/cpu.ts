// The architectural state of one SPARC V8 integer unit: windowed registers, PSR, WIM, TBR, Y, ASRs, pc/npc, counters.
import { MachineError } from './bus.ts';

/** Execution state of a CPU (V8 §4.1: execute mode, error mode; plus powered down for SMP bring-up). */
export type CpuRunState = 'running' | 'stopped' | 'error';

/**
 * Register file layout (V8 §4.2, "the outs of window CWP are the ins of window CWP-1"):
 * `r[0..7]` are %g0-%g7; window `w` owns `r[8 + 16w .. 8 + 16w + 15]` = its outs then its locals;
 * its ins are the outs of window `w + 1 (mod NWINDOWS)`. So with `wo = 8 + 16·CWP` and
 * `wi = 8 + 16·((CWP + 1) mod NWINDOWS)`: %o_k = r[wo + k], %l_k = r[wo + 8 + k], %i_k = r[wi + k].
 */
export class Cpu {
  readonly index: number;
  readonly nwindows: number;
  readonly r: Int32Array;
  /** Offset of the current window's outs (`8 + 16·CWP`). */
  wo = 8;
  /** Offset of the current window's ins (`8 + 16·((CWP + 1) mod NWINDOWS)`). */
  wi = 24;
  /** Address of the instruction to execute now, and of the next one (V8 §4.4), unsigned. */
  pc = 0;
  npc = 4;
  // PSR fields (V8 §4.2.1).
  /**
   * The integer condition codes are kept lazily for the fast engine: `ccOp` says how to compute
   * them from the last flag-setting operation's operands (`ccA`, `ccB`) and result (`ccR`), or 0
   * when `iccBits` holds them. Reading `icc` computes (and caches) N, Z, V, C in bits 3..0.
   */
  ccOp = 0;
  ccA = 0;
  ccB = 0;
  ccR = 0;
  iccBits = 0;
  s = 1;
  ps = 0;
  et = 0;
  pil = 0;
  cwp = 0;
  /** EF and EC are hardwired to 0: no FPU and no coprocessor (FP instructions trap fp_disabled). */
  readonly ef = 0;
  readonly ec = 0;
  readonly psrImpl: number;
  readonly psrVer: number;
  wim = 0;
  /** TBR: trap base address in bits 31..12, tt in 11..4 (V8 §4.2.3). Unsigned. */
  tbr = 0;
  y = 0;
  /** ASR16-31 scratch values for the implementation ASRs the machine does not define. */
  readonly asr: Int32Array = new Int32Array(32);
  /** Latched high words for the 64-bit counters (read the low word first, see asr.ts). */
  cycleHighLatch = 0;
  instrHighLatch = 0;
  state: CpuRunState = 'running';
  /** Why the CPU entered error mode, with a state dump. */
  errorReason: string | null = null;
  /** Pending interrupt levels: bit `n` set = level `n` requested (1..15). */
  irq = 0;
  /** Steps taken: completed instructions plus traps taken (each costs one cycle in the base timing). */
  steps = 0;
  /** Traps taken (entered through the trap table, or handled by a host personality as a trap). */
  trapsTaken = 0;
  /** Cycles beyond one per step, added by a timing model. */
  extraCycles = 0;
  /** Idle cycles while stopped or in error mode (the clock keeps running). */
  idleCycles = 0;

  constructor(index: number, nwindows: number, psrImpl = 0, psrVer = 0) {
    if (!Number.isInteger(nwindows) || nwindows < 2 || nwindows > 32) {
      throw new MachineError('bad-nwindows', `NWINDOWS must be an integer from 2 to 32 (V8 §4.2), not ${nwindows}`);
    }
    this.index = index;
    this.nwindows = nwindows;
    this.r = new Int32Array(8 + 16 * nwindows);
    this.psrImpl = psrImpl & 15;
    this.psrVer = psrVer & 15;
    this.setCwp(0);
  }

  /** N, Z, V, C in bits 3..0 (V8 §4.2.1). */
  get icc(): number {
    if (this.ccOp !== 0) {
      this.iccBits = lazyIcc(this.ccOp, this.ccA, this.ccB, this.ccR);
      this.ccOp = 0;
    }
    return this.iccBits;
  }

  set icc(value: number) {
    this.ccOp = 0;
    this.iccBits = value & 15;
  }

  /** Completed instructions. */
  get instructions(): number {
    return this.steps - this.trapsTaken;
  }

  /** This CPU's clock. */
  get cycles(): number {
    return this.steps + this.extraCycles + this.idleCycles;
  }

  setCwp(cwp: number): void {
    this.cwp = cwp;
    this.wo = 8 + 16 * cwp;
    this.wi = 8 + 16 * ((cwp + 1) % this.nwindows);
  }

  /** Index into `r` of architectural register `n` (0..31) in the current window. */
  regIndex(n: number): number {
    if (n < 8) return n;
    if (n < 24) return this.wo + n - 8;
    return this.wi + n - 24;
  }

  /** Index into `r` of register `n` in window `w`. */
  regIndexIn(w: number, n: number): number {
    if (n < 8) return n;
    if (n < 24) return 8 + 16 * w + n - 8;
    return 8 + 16 * ((w + 1) % this.nwindows) + n - 24;
  }

  /** Register `n` of the current window as an unsigned number (%g0 reads 0). */
  get(n: number): number {
    return n === 0 ? 0 : this.r[this.regIndex(n)]! >>> 0;
  }

  /** Writes register `n` of the current window (writes to %g0 are discarded). */
  set(n: number, value: number): void {
    if (n !== 0) this.r[this.regIndex(n)] = value;
  }

  get psr(): number {
    return (
      ((this.psrImpl << 28) | (this.psrVer << 24) | (this.icc << 20) | (this.ec << 13) | (this.ef << 12) |
        (this.pil << 8) | (this.s << 7) | (this.ps << 6) | (this.et << 5) | this.cwp) >>> 0
    );
  }

  /** Sets the writable PSR fields (impl, ver, EC, EF are read-only here). CWP must be < NWINDOWS. */
  set psr(value: number) {
    this.icc = (value >>> 20) & 15;
    this.pil = (value >>> 8) & 15;
    this.s = (value >>> 7) & 1;
    this.ps = (value >>> 6) & 1;
    this.et = (value >>> 5) & 1;
    this.setCwp((value & 31) % this.nwindows);
  }

  /** Back to the V8 reset state (§7.6: ET=0, S=1, pc=0, npc=4); registers and counters cleared. */
  reset(): void {
    this.r.fill(0);
    this.pc = 0;
    this.npc = 4;
    this.icc = 0;
    this.s = 1;
    this.ps = 0;
    this.et = 0;
    this.pil = 0;
    this.setCwp(0);
    this.wim = 0;
    this.tbr = 0;
    this.y = 0;
    this.asr.fill(0);
    this.cycleHighLatch = 0;
    this.instrHighLatch = 0;
    this.state = 'running';
    this.errorReason = null;
    this.irq = 0;
  }

  /** Plain-data copy of everything architectural and the counters. */
  snapshot(): CpuSnapshot {
    return {
      index: this.index,
      nwindows: this.nwindows,
      r: Array.from(this.r),
      pc: this.pc,
      npc: this.npc,
      psr: this.psr,
      wim: this.wim,
      tbr: this.tbr,
      y: this.y,
      asr: Array.from(this.asr),
      cycleHighLatch: this.cycleHighLatch,
      instrHighLatch: this.instrHighLatch,
      state: this.state,
      errorReason: this.errorReason,
      irq: this.irq,
      steps: this.steps,
      trapsTaken: this.trapsTaken,
      extraCycles: this.extraCycles,
      idleCycles: this.idleCycles,
    };
  }

  restore(s: CpuSnapshot): void {
    if (s.nwindows !== this.nwindows || s.r.length !== this.r.length) {
      throw new MachineError('snapshot-mismatch', `snapshot of CPU ${s.index} has ${s.nwindows} windows; this CPU has ${this.nwindows}`);
    }
    this.r.set(s.r);
    this.pc = s.pc;
    this.npc = s.npc;
    this.psr = s.psr;
    this.wim = s.wim;
    this.tbr = s.tbr;
    this.y = s.y;
    this.asr.set(s.asr);
    this.cycleHighLatch = s.cycleHighLatch;
    this.instrHighLatch = s.instrHighLatch;
    this.state = s.state;
    this.errorReason = s.errorReason;
    this.irq = s.irq;
    this.steps = s.steps;
    this.trapsTaken = s.trapsTaken;
    this.extraCycles = s.extraCycles;
    this.idleCycles = s.idleCycles;
  }

  /** A readable dump of the state, for error mode and debugging. */
  dump(): string {
    const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
    const lines = [
      `cpu ${this.index} ${this.state}${this.errorReason ? ` (${this.errorReason})` : ''}`,
      `pc ${hex(this.pc)} npc ${hex(this.npc)} psr ${hex(this.psr)} wim ${hex(this.wim)} tbr ${hex(this.tbr)} y ${hex(this.y)}`,
      `icc ${this.icc & 8 ? 'N' : '-'}${this.icc & 4 ? 'Z' : '-'}${this.icc & 2 ? 'V' : '-'}${this.icc & 1 ? 'C' : '-'} cwp ${this.cwp} s ${this.s} ps ${this.ps} et ${this.et} pil ${this.pil}`,
    ];
    const names = ['g', 'o', 'l', 'i'];
    for (let g = 0; g < 4; g++) {
      const vals: string[] = [];
      for (let k = 0; k < 8; k++) vals.push(hex(this.get(g * 8 + k)));
      lines.push(`%${names[g]}0-7 ${vals.join(' ')}`);
    }
    lines.push(`instructions ${this.instructions} cycles ${this.cycles}`);
    return lines.join('\n');
  }
}

/** Kinds of lazily kept condition codes (see Cpu.ccOp). */
export const CC = { none: 0, add: 1, sub: 2, logic: 3, addCarry: 4, subBorrow: 5 } as const;

/** N, Z, V, C of an add/subtract (with carry/borrow in for addCarry/subBorrow) or logical result. */
export function lazyIcc(op: number, a: number, b: number, r: number): number {
  const nz = (r < 0 ? 8 : 0) | (r === 0 ? 4 : 0);
  switch (op) {
    case CC.add: return nz | (((a ^ r) & (b ^ r)) < 0 ? 2 : 0) | ((a >>> 0) + (b >>> 0) > 0xffffffff ? 1 : 0);
    case CC.addCarry: return nz | (((a ^ r) & (b ^ r)) < 0 ? 2 : 0) | ((a >>> 0) + (b >>> 0) + 1 > 0xffffffff ? 1 : 0);
    case CC.sub: return nz | (((a ^ b) & (a ^ r)) < 0 ? 2 : 0) | ((a >>> 0) < (b >>> 0) ? 1 : 0);
    case CC.subBorrow: return nz | (((a ^ b) & (a ^ r)) < 0 ? 2 : 0) | ((a >>> 0) < (b >>> 0) + 1 ? 1 : 0);
    default: return nz;
  }
}

export interface CpuSnapshot {
  index: number;
  nwindows: number;
  r: number[];
  pc: number;
  npc: number;
  psr: number;
  wim: number;
  tbr: number;
  y: number;
  asr: number[];
  cycleHighLatch: number;
  instrHighLatch: number;
  state: CpuRunState;
  errorReason: string | null;
  irq: number;
  steps: number;
  trapsTaken: number;
  extraCycles: number;
  idleCycles: number;
}
