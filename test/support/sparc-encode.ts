// Tiny SPARC V8 instruction encoders for unit tests that need a few words without an assembler.

/** Register numbers by name: g0-g7, o0-o7, l0-l7, i0-i7. */
export function r(name: string): number {
  const base: Record<string, number> = { g: 0, o: 8, l: 16, i: 24 };
  return base[name[0]!]! + Number(name.slice(1));
}

/** Format 3 (op=2 arithmetic, op=3 memory) with a register or a 13-bit immediate second operand. */
export function f3(op: 2 | 3, op3: number, rd: number, rs1: number, src2: { reg: number } | { imm: number }): number {
  const base = (op << 30) | (rd << 25) | (op3 << 19) | (rs1 << 14);
  return ('reg' in src2 ? base | src2.reg : base | (1 << 13) | (src2.imm & 0x1fff)) >>> 0;
}

export const OP3 = {
  add: 0x00, and: 0x01, or: 0x02, xor: 0x03, sub: 0x04, addcc: 0x10, subcc: 0x14, sll: 0x25,
  wry: 0x30, wrpsr: 0x31, save: 0x3c, restore: 0x3d, jmpl: 0x38, ticc: 0x3a, rdy: 0x28,
  ld: 0x00, ldub: 0x01, st: 0x04, stb: 0x05, ldstub: 0x0d, swap: 0x0f,
} as const;

export const add = (rd: number, rs1: number, imm: number): number => f3(2, OP3.add, rd, rs1, { imm });
export const addr = (rd: number, rs1: number, rs2: number): number => f3(2, OP3.add, rd, rs1, { reg: rs2 });
export const subcc = (rd: number, rs1: number, imm: number): number => f3(2, OP3.subcc, rd, rs1, { imm });
export const ld = (rd: number, rs1: number, imm: number): number => f3(3, OP3.ld, rd, rs1, { imm });
export const st = (rd: number, rs1: number, imm: number): number => f3(3, OP3.st, rd, rs1, { imm });
export const ldstub = (rd: number, rs1: number, imm: number): number => f3(3, OP3.ldstub, rd, rs1, { imm });
export const sethi = (rd: number, value: number): number => ((rd << 25) | (4 << 22) | ((value >>> 10) & 0x3fffff)) >>> 0;
export const nop = 0x01000000;
/** Bicc with condition `cond` (8 = ba, 9 = bne, 1 = be), annul bit and a word displacement. */
export const b = (cond: number, disp: number, annul = false): number => (((annul ? 1 : 0) << 29) | (cond << 25) | (2 << 22) | (disp & 0x3fffff)) >>> 0;
export const call = (disp: number): number => ((1 << 30) | (disp & 0x3fffffff)) >>> 0;
export const ta = (n: number): number => f3(2, OP3.ticc, 8, 0, { imm: n });
export const wrpsr = (rs1: number, imm: number): number => f3(2, OP3.wrpsr, 0, rs1, { imm });

/** Words as big-endian bytes. */
export function bytesOf(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  words.forEach((w, i) => {
    out[4 * i] = w >>> 24;
    out[4 * i + 1] = (w >>> 16) & 255;
    out[4 * i + 2] = (w >>> 8) & 255;
    out[4 * i + 3] = w & 255;
  });
  return out;
}
