// The instruction table of an image: every code word decoded once into typed arrays indexed by
// instruction index (kind, register uses/defs as masks, direct targets), no objects per word.
import { BASE_ROWS, decodeRow, type InstrRow, type Loc, type Mode } from '../sparc/index.ts';
import { FLAG_ICC, FLAG_Y } from './regs.ts';
import type { CodeRegion, CodeSource } from './source.ts';

/** What an instruction is to the control-flow analysis. */
export const K = {
  PLAIN: 0,
  /** Bicc, FBfcc, CBccc, BPcc, BPr (pc-relative, delayed, annullable). */
  BRANCH: 1,
  CALL: 2,
  JMPL: 3,
  /** V8 rett (kernel trap return). */
  RETT: 4,
  /** V9 return: restore + jump. */
  RETURN: 5,
  /** Ticc: software trap. */
  TICC: 6,
  /** unimp / illtrap: ends the flow (illegal_instruction). */
  UNIMP: 7,
  /** A word that is no instruction in the image's mode. */
  ILLEGAL: 8,
  SAVE: 9,
  RESTORE: 10,
  /** V9 done/retry. */
  DONE: 11,
  /** wr %psr: may change CWP (kernel code); treated as a plain write of icc. */
  WRPSR: 12,
  /** Reads or writes %wim (or V9 saved/restored/flushw): window-management code. */
  WINCTL: 13,
} as const;

/** Branch condition classes in `info` bits 1-2. */
export const COND_CONDITIONAL = 0;
export const COND_ALWAYS = 1;
export const COND_NEVER = 2;
/** `info` bit 0: the annul bit. */
export const INFO_ANNUL = 1;

// Per-row effect bits, resolved per word.
const U_RS1 = 1 << 0;
const U_RS2 = 1 << 1; // only register forms list rs2
const U_RD = 1 << 2;
const U_RD2 = 1 << 3;
const U_ICC = 1 << 4;
const U_Y = 1 << 5;
const U_ASR = 1 << 6; // %y when rs1 = 0
const D_RD = 1 << 8;
const D_RD2 = 1 << 9;
const D_O7 = 1 << 10;
const D_ICC = 1 << 11;
const D_Y = 1 << 12;
const D_ASR = 1 << 13; // %y when rd = 0
const U_PSR = 1 << 14; // rd %psr reads icc
const D_PSR = 1 << 15; // wr %psr writes icc
const PAIR = 1 << 16; // ldd/std-style even/odd register pair (rd & ~1)

interface RowInfo {
  kind: number;
  bits: number;
}

function infoOf(row: InstrRow): RowInfo {
  let bits = 0;
  const r = (l: Loc): void => {
    switch (l) {
      case 'rs1': bits |= U_RS1; break;
      case 'rs2': bits |= U_RS2; break;
      case 'rd': bits |= U_RD; break;
      case 'rd2': bits |= U_RD2; break;
      case 'icc': case 'xcc': case 'ccr': bits |= U_ICC; break;
      case 'y': bits |= U_Y; break;
      case 'asr': bits |= U_ASR; break;
      case 'psr': bits |= U_PSR; break;
      default: break;
    }
  };
  const w = (l: Loc): void => {
    switch (l) {
      case 'rd': bits |= D_RD; break;
      case 'rd2': bits |= D_RD2; break;
      case 'o7': bits |= D_O7; break;
      case 'icc': case 'xcc': case 'ccr': bits |= D_ICC; break;
      case 'y': bits |= D_Y; break;
      case 'asr': bits |= D_ASR; break;
      case 'psr': bits |= D_PSR; break;
      default: break;
    }
  };
  row.reads.forEach(r);
  row.writes.forEach(w);
  if (row.mem !== null && row.mem.width === 8 && row.mem.file === 'int') bits |= PAIR;
  let kind: number = K.PLAIN;
  switch (row.control) {
    case 'branch': kind = K.BRANCH; break;
    case 'call': kind = K.CALL; break;
    case 'jmpl': kind = K.JMPL; break;
    case 'rett': kind = row.mnemonic === 'return' ? K.RETURN : K.RETT; break;
    case 'trap': kind = row.exec === 'unknown' ? K.ILLEGAL : row.format === 'unimp' ? K.UNIMP : K.TICC; break;
    case 'done': kind = K.DONE; break;
    default: break;
  }
  if (row.exec === 'unknown') kind = K.ILLEGAL;
  else if (row.reads.includes('wim') || row.writes.includes('wim') || row.mnemonic === 'saved' || row.mnemonic === 'restored' || row.mnemonic === 'flushw') kind = K.WINCTL;
  else if (row.mnemonic === 'save') kind = K.SAVE;
  else if (row.mnemonic === 'restore') kind = K.RESTORE;
  else if (row.exec === 'wrpsr' || row.id.startsWith('wrpsr')) kind = K.WRPSR;
  return { kind, bits };
}

const ROW_INDEX = new Map<InstrRow, number>();
const ROW_INFO: RowInfo[] = [];
for (const row of BASE_ROWS) {
  ROW_INDEX.set(row, ROW_INFO.length);
  ROW_INFO.push(infoOf(row));
}

/** The decoded code of an image. Instruction n is at address addrOf(n). */
export class InstrTable {
  readonly mode: Mode;
  readonly regions: readonly CodeRegion[];
  /** Instruction index of each region's first word. */
  readonly regionBase: Int32Array;
  readonly count: number;
  readonly words: Uint32Array;
  readonly kind: Uint8Array;
  /** Branch: annul bit (bit 0) and condition class (bits 1-2). */
  readonly info: Uint8Array;
  /** Registers read / written (A masks; %g0 never set). For save/restore, defs are in the new window. */
  readonly useA: Int32Array;
  readonly defA: Int32Array;
  /** Flags read / written (FLAG_ICC, FLAG_Y). */
  readonly useB: Uint8Array;
  readonly defB: Uint8Array;
  /** Direct target address of branches and calls (valid when kind is BRANCH or CALL). */
  readonly target: Uint32Array;
  /** Base row of each word (for the model's mnemonics). */
  readonly row: Uint16Array;

  constructor(source: CodeSource) {
    this.mode = source.mode;
    this.regions = source.regions;
    this.regionBase = new Int32Array(source.regions.length + 1);
    let n = 0;
    source.regions.forEach((r, i) => {
      this.regionBase[i] = n;
      n += r.size >>> 2;
    });
    this.regionBase[source.regions.length] = n;
    this.count = n;
    this.words = new Uint32Array(n);
    source.regions.forEach((r, i) => this.words.set(source.regionWords(r).subarray(0, r.size >>> 2), this.regionBase[i]!));
    this.kind = new Uint8Array(n);
    this.info = new Uint8Array(n);
    this.useA = new Int32Array(n);
    this.defA = new Int32Array(n);
    this.useB = new Uint8Array(n);
    this.defB = new Uint8Array(n);
    this.target = new Uint32Array(n);
    this.row = new Uint16Array(n);
    this.decodeAll();
  }

  private decodeAll(): void {
    const { words, kind, info, useA, defA, useB, defB, target, row } = this;
    const mode = this.mode;
    for (let ri = 0; ri < this.regions.length; ri++) {
      const base = this.regionBase[ri]!;
      const end = this.regionBase[ri + 1]!;
      const start = this.regions[ri]!.start;
      for (let n = base; n < end; n++) {
        const w = words[n]!;
        const r = decodeRow(w, mode);
        const idx = ROW_INDEX.get(r) ?? 0xffff;
        row[n] = idx;
        const ri2 = idx === 0xffff ? null : ROW_INFO[idx]!;
        if (ri2 === null) {
          kind[n] = K.ILLEGAL;
          continue;
        }
        const k = ri2.kind;
        const bits = ri2.bits;
        kind[n] = k;
        const rd = (w >>> 25) & 31;
        const rs1 = (w >>> 14) & 31;
        const rs2 = w & 31;
        const rdBase = bits & PAIR ? rd & ~1 : rd;
        let ua = 0;
        let da = 0;
        let ub = 0;
        let db = 0;
        if (bits & U_RS1) ua |= 1 << rs1;
        if (bits & U_RS2) ua |= 1 << rs2;
        if (bits & U_RD) ua |= 1 << rdBase;
        if (bits & U_RD2) ua |= 1 << (rd | 1);
        if (bits & U_ICC) ub |= FLAG_ICC;
        if (bits & U_Y) ub |= FLAG_Y;
        if (bits & U_ASR && rs1 === 0) ub |= FLAG_Y;
        if (bits & U_PSR) ub |= FLAG_ICC;
        if (bits & D_RD) da |= 1 << rdBase;
        if (bits & D_RD2) da |= 1 << (rd | 1);
        if (bits & D_O7) da |= 1 << 15;
        if (bits & D_ICC) db |= FLAG_ICC;
        if (bits & D_Y) db |= FLAG_Y;
        if (bits & D_ASR && rd === 0) db |= FLAG_Y;
        if (bits & D_PSR) db |= FLAG_ICC;
        const pc = (start + 4 * (n - base)) >>> 0;
        if (k === K.BRANCH) {
          const op2 = (w >>> 22) & 7;
          let disp: number;
          let cls = COND_CONDITIONAL;
          if (op2 === 3) {
            disp = (((((w >>> 20) & 3) << 14) | (w & 0x3fff)) << 16) >> 16; // BPr
          } else {
            disp = op2 === 1 || op2 === 5 ? (w << 13) >> 13 : (w << 10) >> 10;
            const cond = (w >>> 25) & 15;
            if (cond === 8) cls = COND_ALWAYS;
            else if (cond === 0) cls = COND_NEVER;
          }
          if (cls !== COND_CONDITIONAL) ub &= ~FLAG_ICC; // ba/bn read no condition codes
          info[n] = ((w >>> 29) & 1) | (cls << 1);
          target[n] = (pc + 4 * disp) >>> 0;
        } else if (k === K.CALL) {
          target[n] = (pc + 4 * ((w << 2) >> 2)) >>> 0;
        } else if (k === K.TICC) {
          const cond = (w >>> 25) & 15;
          if (cond === 8 || cond === 0) ub &= ~FLAG_ICC; // ta / tn
          info[n] = cond === 8 ? COND_ALWAYS << 1 : cond === 0 ? COND_NEVER << 1 : 0;
        }
        useA[n] = ua & ~1;
        defA[n] = da & ~1;
        useB[n] = ub;
        defB[n] = db;
      }
    }
  }

  /** Address of instruction n. */
  addrOf(n: number): number {
    const rb = this.regionBase;
    if (this.regions.length === 1) return (this.regions[0]!.start + 4 * n) >>> 0;
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rb[mid]! <= n) lo = mid;
      else hi = mid - 1;
    }
    return (this.regions[lo]!.start + 4 * (n - rb[lo]!)) >>> 0;
  }

  /** Instruction index of an address, or -1 when it is not a code word of the image. */
  indexOf(addr: number): number {
    if ((addr & 3) !== 0) return -1;
    const a = addr >>> 0;
    const regions = this.regions;
    for (let i = 0; i < regions.length; i++) {
      const r = regions[i]!;
      if (a >= r.start && a < r.start + r.size) return this.regionBase[i]! + ((a - r.start) >>> 2);
    }
    return -1;
  }

  /** Region index of instruction n. */
  regionOf(n: number): number {
    const rb = this.regionBase;
    for (let i = 0; i < this.regions.length; i++) if (n < rb[i + 1]!) return i;
    return -1;
  }

  /** True when n and n+1 are consecutive words of the same region. */
  sameRegion(n: number, m: number): boolean {
    if (this.regions.length === 1) return m >= 0 && m < this.count;
    return m >= 0 && m < this.count && this.regionOf(n) === this.regionOf(m);
  }

  /** The base row of instruction n. */
  rowOf(n: number): InstrRow | null {
    const i = this.row[n]!;
    return i === 0xffff ? null : BASE_ROWS[i]!;
  }

  /** simm13 of instruction n (sign-extended). */
  simm13(n: number): number {
    return (this.words[n]! << 19) >> 19;
  }
}

/** Fields of a word, for the analyses that look at operands. */
export const rdOf = (w: number): number => (w >>> 25) & 31;
export const rs1Of = (w: number): number => (w >>> 14) & 31;
export const rs2Of = (w: number): number => w & 31;
export const iOf = (w: number): number => (w >>> 13) & 1;
export const simm13Of = (w: number): number => (w << 19) >> 19;
export const op3Of = (w: number): number => (w >>> 19) & 0x3f;
export const opOf = (w: number): number => w >>> 30;
