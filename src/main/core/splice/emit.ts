// A tiny SPARC V8 code buffer for generated patches: instructions by table row, labels, fixups.
//
// Code is generated at a fixed origin (the patch's address), so PC-relative fields are resolved
// when the buffer is finished. Every word carries a role for the verifier: generated snippet code,
// a displaced original instruction, or splice glue (the jumps in and out).
import { ROW_BY_ID, encodeChecked, type FieldValues } from '../sparc/index.ts';
import { SpliceError } from './errors.ts';

export type WordRole = 'snippet' | 'displaced' | 'glue' | 'data';

/** Condition codes of Bicc (V8 §B.21). */
export const COND = { n: 0, e: 1, le: 2, l: 3, leu: 4, cs: 5, neg: 6, vs: 7, a: 8, ne: 9, g: 10, ge: 11, gu: 12, cc: 13, pos: 14, vc: 15 } as const;

export const G0 = 0;
export const O7 = 15;
export const SP = 14;
export const FP = 30;

function row(id: string) {
  const r = ROW_BY_ID.get(id);
  if (r === undefined) throw new Error(`no row ${id}`);
  return r;
}

function fitsSimm13(v: number): boolean {
  return v >= -4096 && v <= 4095;
}

export interface Fixup {
  readonly at: number;
  readonly label: string;
  readonly kind: 'disp22' | 'disp30';
}

export class CodeBuffer {
  readonly origin: number;
  readonly words: number[] = [];
  readonly roles: WordRole[] = [];
  /** For displaced words: the original address the word came from. */
  readonly sources: (number | null)[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];
  private labelSeq = 0;
  role: WordRole = 'snippet';

  constructor(origin: number) {
    this.origin = origin >>> 0;
  }

  get here(): number {
    return (this.origin + 4 * this.words.length) >>> 0;
  }

  newLabel(hint = 'L'): string {
    return `${hint}${this.labelSeq++}`;
  }

  bind(label: string): void {
    if (this.labels.has(label)) throw new Error(`label ${label} bound twice`);
    this.labels.set(label, this.here);
  }

  /** Binds a label to an absolute address outside the buffer (a return point in the original code). */
  bindAbsolute(label: string, address: number): void {
    this.labels.set(label, address >>> 0);
  }

  word(w: number, source: number | null = null): number {
    this.words.push(w >>> 0);
    this.roles.push(this.role);
    this.sources.push(source);
    return this.words.length - 1;
  }

  op(id: string, values: FieldValues): number {
    return this.word(encodeChecked(row(id), values));
  }

  /** rd ← rs1 OP (rs2 | simm13). `b` is a register number, or {imm} for an immediate. */
  alu(mnemonic: string, rs1: number, b: number | { imm: number }, rd: number): void {
    if (typeof b === 'number') this.op(`${mnemonic}.r`, { rd, rs1, rs2: b, i: 0 });
    else {
      if (!fitsSimm13(b.imm)) throw new Error(`immediate ${b.imm} does not fit simm13`);
      const r = row(`${mnemonic}.i`);
      // Shifts take a 5-bit count (shcnt), not simm13 (V8 §B.12).
      if (r.fields.includes('shcnt')) this.op(`${mnemonic}.i`, { rd, rs1, i: 1, shcnt: b.imm & 31 });
      else this.op(`${mnemonic}.i`, { rd, rs1, i: 1, simm13: b.imm & 0x1fff });
    }
  }

  sethi(value: number, rd: number): void {
    this.op('sethi', { rd, imm22: (value >>> 10) & 0x3fffff });
  }

  /** rd ← a 32-bit constant (1 or 2 instructions). */
  set(value: number, rd: number): void {
    const v = value | 0;
    if (fitsSimm13(v)) this.alu('or', G0, { imm: v }, rd);
    else {
      this.sethi(v >>> 0, rd);
      if ((v & 0x3ff) !== 0) this.alu('or', rd, { imm: v & 0x3ff }, rd);
    }
  }

  mov(rs: number, rd: number): void {
    this.alu('or', G0, rs, rd);
  }

  load(size: 1 | 2 | 4, signed: boolean, rs1: number, imm: number, rd: number): void {
    const m = size === 4 ? 'ld' : size === 2 ? (signed ? 'ldsh' : 'lduh') : signed ? 'ldsb' : 'ldub';
    this.alu(m, rs1, { imm }, rd);
  }

  store(size: 1 | 2 | 4, rd: number, rs1: number, imm: number): void {
    const m = size === 4 ? 'st' : size === 2 ? 'sth' : 'stb';
    this.alu(m, rs1, { imm }, rd);
  }

  nop(): void {
    this.sethi(0, G0);
  }

  /** Bicc to a label (bound now or later, inside the buffer or absolute). */
  branch(cond: number, annul: boolean, label: string): void {
    const at = this.op('bicc', { a: annul ? 1 : 0, cond, disp22: 0 });
    this.fixups.push({ at, label, kind: 'disp22' });
  }

  call(label: string): void {
    const at = this.op('call', { disp30: 0 });
    this.fixups.push({ at, label, kind: 'disp30' });
  }

  save(frame = 96): void {
    this.alu('save', SP, { imm: -frame }, SP);
  }

  restore(): void {
    this.alu('restore', G0, G0, G0);
  }

  /** Address a label resolves to (after binding). */
  addressOf(label: string): number {
    const a = this.labels.get(label);
    if (a === undefined) throw new Error(`label ${label} is not bound`);
    return a;
  }

  /** Resolves every fixup; throws SpliceError('reach') when a displacement does not fit. */
  finish(): Uint32Array {
    for (const f of this.fixups) {
      const target = this.addressOf(f.label);
      const pc = (this.origin + 4 * f.at) >>> 0;
      const disp = (target - pc) / 4;
      const w = this.words[f.at]!;
      if (f.kind === 'disp22') {
        if (disp < -(2 ** 21) || disp >= 2 ** 21) throw new SpliceError('reach', `branch at 0x${pc.toString(16)} cannot reach 0x${target.toString(16)} (±8 MB)`);
        this.words[f.at] = ((w & ~0x3fffff) | (disp & 0x3fffff)) >>> 0;
      } else {
        const d = ((target - pc) | 0) / 4;
        this.words[f.at] = ((w & 0xc0000000) | (d & 0x3fffffff)) >>> 0;
      }
    }
    return Uint32Array.from(this.words);
  }
}

/** A `ba,a` at `from` to `to`, or null when out of reach (±8 MB). */
export function baAnnul(from: number, to: number): number | null {
  const disp = ((to - from) | 0) / 4;
  if (disp < -(2 ** 21) || disp >= 2 ** 21) return null;
  return encodeChecked(row('bicc'), { a: 1, cond: COND.a, disp22: disp & 0x3fffff });
}

/** A `call` at `from` to `to` (always in reach on a 32-bit address space). */
export function callWord(from: number, to: number): number {
  return encodeChecked(row('call'), { disp30: ((((to - from) | 0) / 4) & 0x3fffffff) });
}
