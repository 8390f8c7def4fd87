// Instruction field layout: positions, extraction (with sign extension) and insertion.
// Bit positions follow the SPARC V8 manual §5.2 and, for the V9 additions, the V9 manual §6.2.
import type { FieldName } from './types.ts';

/** Where a field lives: `parts` are [shift, width] pairs, most significant part first. */
export interface FieldSpec {
  readonly parts: readonly (readonly [number, number])[];
  readonly signed: boolean;
}

const f = (shift: number, width: number, signed = false): FieldSpec => ({ parts: [[shift, width]], signed });

export const FIELDS: Readonly<Record<FieldName, FieldSpec>> = {
  rd: f(25, 5),
  rs1: f(14, 5),
  rs2: f(0, 5),
  i: f(13, 1),
  asi: f(5, 8),
  simm13: f(0, 13, true),
  imm22: f(0, 22),
  disp22: f(0, 22, true),
  disp19: f(0, 19, true),
  disp16: { parts: [[20, 2], [0, 14]], signed: true },
  disp30: f(0, 30, true),
  a: f(29, 1),
  cond: f(25, 4),
  rcond: f(25, 3),
  p: f(19, 1),
  bcc: f(20, 2),
  opf: f(5, 9),
  x: f(12, 1),
  shcnt: f(0, 6),
  simm11: f(0, 11, true),
  simm10: f(0, 10, true),
  mcond: f(14, 4),
  mcc: { parts: [[18, 1], [11, 2]], signed: false },
  mrcond: f(10, 3),
  tcc: f(11, 2),
  fccn: f(25, 2),
  membar: f(0, 7),
  imm3: f(0, 3),
};

/** The bits a field occupies. */
export function fieldMask(name: FieldName): number {
  let m = 0;
  for (const [shift, width] of FIELDS[name].parts) m |= ((2 ** width - 1) * 2 ** shift) | 0;
  return m >>> 0;
}

/** Extracts a field from a word (sign-extended for signed fields). */
export function getField(word: number, name: FieldName): number {
  const spec = FIELDS[name];
  let v = 0;
  let bits = 0;
  for (const [shift, width] of spec.parts) {
    v = v * 2 ** width + ((word >>> shift) & (2 ** width - 1));
    bits += width;
  }
  if (spec.signed && v >= 2 ** (bits - 1)) v -= 2 ** bits;
  return v;
}

/** Places a field value (taken modulo its width) into its bits; returns the unsigned bits. */
export function putField(name: FieldName, value: number): number {
  const spec = FIELDS[name];
  let bits = 0;
  for (const [, width] of spec.parts) bits += width;
  let v = ((value % 2 ** bits) + 2 ** bits) % 2 ** bits;
  let out = 0;
  for (let k = spec.parts.length - 1; k >= 0; k--) {
    const [shift, width] = spec.parts[k]!;
    out += (v % 2 ** width) * 2 ** shift;
    v = Math.floor(v / 2 ** width);
  }
  return out >>> 0;
}

// Fast extractors for hot paths (the emulator, the formatter). `w` is a 32-bit word.
export const xOp = (w: number): number => w >>> 30;
export const xOp2 = (w: number): number => (w >>> 22) & 7;
export const xOp3 = (w: number): number => (w >>> 19) & 0x3f;
export const xRd = (w: number): number => (w >>> 25) & 0x1f;
export const xRs1 = (w: number): number => (w >>> 14) & 0x1f;
export const xRs2 = (w: number): number => w & 0x1f;
export const xI = (w: number): number => (w >>> 13) & 1;
export const xAsi = (w: number): number => (w >>> 5) & 0xff;
export const xSimm13 = (w: number): number => (w << 19) >> 19;
export const xImm22 = (w: number): number => w & 0x3fffff;
export const xDisp22 = (w: number): number => (w << 10) >> 10;
export const xDisp19 = (w: number): number => (w << 13) >> 13;
export const xDisp30 = (w: number): number => (w << 2) >> 2;
export const xDisp16 = (w: number): number => ((((w >>> 20) & 3) << 14) | (w & 0x3fff)) << 16 >> 16;
export const xA = (w: number): number => (w >>> 29) & 1;
export const xCond = (w: number): number => (w >>> 25) & 0xf;
export const xOpf = (w: number): number => (w >>> 5) & 0x1ff;
