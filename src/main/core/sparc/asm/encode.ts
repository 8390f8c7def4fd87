// Pass 2 of an instruction: turns each immediate operand (simm13, %hi(x), branch target, ASI, ...)
// into field bits, or into a relocation when its symbol is not known at assembly time.
import { fieldMask } from '../fields.ts';
import { asiName, membarText, prefetchName } from '../names.ts';
import type { AliasRow, FieldName } from '../types.ts';
import { type Pos, fail } from './errors.ts';
import { type EvalContext, type Expr, type RelocOp, type Value, evaluate } from './expr.ts';
import type { ImmFill } from './operands.ts';

/** ELF relocation types the assembler emits (SPARC psABI numbers). */
export const RELOC_TYPES = {
  R_SPARC_8: 1, R_SPARC_16: 2, R_SPARC_32: 3, R_SPARC_DISP8: 4, R_SPARC_DISP16: 5, R_SPARC_DISP32: 6,
  R_SPARC_WDISP30: 7, R_SPARC_WDISP22: 8, R_SPARC_HI22: 9, R_SPARC_22: 10, R_SPARC_13: 11, R_SPARC_LO10: 12,
  R_SPARC_UA32: 23, R_SPARC_10: 30, R_SPARC_11: 31, R_SPARC_64: 32, R_SPARC_HH22: 34, R_SPARC_HM10: 35,
  R_SPARC_LM22: 36, R_SPARC_WDISP16: 40, R_SPARC_WDISP19: 41, R_SPARC_HIX22: 48, R_SPARC_LOX10: 49,
  R_SPARC_H44: 50, R_SPARC_M44: 51, R_SPARC_L44: 52, R_SPARC_UA64: 54, R_SPARC_UA16: 55,
} as const;
export type RelocType = keyof typeof RELOC_TYPES;

/** A relocation still to be written: type and the symbolic value (sym + add) it refers to. */
export interface RelocRequest {
  readonly type: RelocType;
  readonly value: Value;
  readonly at: Pos;
}

/** Where the instruction is. */
export interface InsnEnv {
  readonly ctx: EvalContext;
  /** Fixed-origin assembly: every symbol has an address; no relocations. */
  readonly fixed: boolean;
  readonly section: string;
  /** Offset of the instruction in its section, and its address (fixed mode; else = offset). */
  readonly offset: number;
  readonly address: number;
}

const names = (fn: (n: number) => string, count: number, keep: (s: string) => boolean): ReadonlyMap<string, number> => {
  const m = new Map<string, number>();
  for (let n = 0; n < count; n++) {
    const s = fn(n);
    if (keep(s) && !m.has(s.toLowerCase())) m.set(s.toLowerCase(), n);
  }
  return m;
};
const MEMBAR_NAMES = names((k) => membarText(1 << k), 7, () => true);
const PREFETCH_NAMES = names(prefetchName, 32, (s) => s.startsWith('#'));
const ASI_NAMES = names(asiName, 256, (s) => s.startsWith('#'));
const HASH: Readonly<Record<string, ReadonlyMap<string, number>>> = {
  membar: new Map([...MEMBAR_NAMES].map(([s, k]) => [s, 1 << k])), prefetch: PREFETCH_NAMES, asi: ASI_NAMES,
};

/** The #names an operand token understands (membar masks, prefetch functions, ASI names). */
export function hashValue(tok: string, name: string, at: Pos): bigint {
  const v = HASH[tok]?.get(name.toLowerCase());
  if (v === undefined) {
    fail('syntax', HASH[tok] ? `unknown ${tok} name ${name}` : `${name} not allowed here: expected a number or symbol`, at);
  }
  return BigInt(v);
}

const TOKEN_FIELD: Readonly<Record<string, FieldName>> = {
  simm13: 'simm13', simm11: 'simm11', simm10: 'simm10', shcnt5: 'shcnt', shcnt6: 'shcnt', imm3: 'imm3',
  const22: 'imm22', hi22: 'imm22', membar: 'membar', prefetch: 'rd', asi: 'asi', impdep: 'opf',
  disp30: 'disp30', disp22: 'disp22', disp19: 'disp19', disp16: 'disp16',
};

/** Unsigned range [lo, hi] of plain values per token (signed fields are checked separately). */
const UNSIGNED: Readonly<Record<string, number>> = {
  shcnt5: 31, shcnt6: 63, imm3: 7, membar: 127, prefetch: 31, asi: 255, impdep: 511, hi22: 0x3fffff,
};
const SIGNED_BITS: Readonly<Record<string, number>> = { simm13: 13, simm11: 11, simm10: 10 };
const DISP_BITS: Readonly<Record<string, number>> = { disp30: 30, disp22: 22, disp19: 19, disp16: 16 };
const DISP_RELOC: Readonly<Record<string, RelocType>> = {
  disp30: 'R_SPARC_WDISP30', disp22: 'R_SPARC_WDISP22', disp19: 'R_SPARC_WDISP19', disp16: 'R_SPARC_WDISP16',
};
const PLAIN_RELOC: Readonly<Record<string, RelocType>> = { simm13: 'R_SPARC_13', simm11: 'R_SPARC_11', simm10: 'R_SPARC_10', hi22: 'R_SPARC_22' };

/** Each %op(): its relocation and the bits it takes of a constant (gas/config/tc-sparc.c). */
const RELOC_OP: Readonly<Record<RelocOp, { type: RelocType; bits: (v: bigint) => bigint }>> = {
  hi: { type: 'R_SPARC_HI22', bits: (v) => (v >> 10n) & 0x3fffffn },
  lo: { type: 'R_SPARC_LO10', bits: (v) => v & 0x3ffn },
  hh: { type: 'R_SPARC_HH22', bits: (v) => (v >> 42n) & 0x3fffffn },
  uhi: { type: 'R_SPARC_HH22', bits: (v) => (v >> 42n) & 0x3fffffn },
  hm: { type: 'R_SPARC_HM10', bits: (v) => (v >> 32n) & 0x3ffn },
  ulo: { type: 'R_SPARC_HM10', bits: (v) => (v >> 32n) & 0x3ffn },
  lm: { type: 'R_SPARC_LM22', bits: (v) => (v >> 10n) & 0x3fffffn },
  h44: { type: 'R_SPARC_H44', bits: (v) => (v >> 22n) & 0x3fffffn },
  m44: { type: 'R_SPARC_M44', bits: (v) => (v >> 12n) & 0x3ffn },
  l44: { type: 'R_SPARC_L44', bits: (v) => v & 0xfffn },
  hix: { type: 'R_SPARC_HIX22', bits: (v) => (~v >> 10n) & 0x3fffffn },
  lox: { type: 'R_SPARC_LOX10', bits: (v) => (v & 0x3ffn) | 0x1c00n },
};

/** GNU as on sparc32 reads 0x80000000..0xffffffff as negative 32-bit values in signed fields. */
const sext32 = (v: bigint): bigint => (v >= 0x80000000n && v <= 0xffffffffn ? v - 0x100000000n : v);

const hexOf = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** Places `value` in the bits of `field` (value already range-checked). */
function place(field: FieldName, value: bigint): number {
  const m = fieldMask(field);
  if (field === 'disp16') {
    const v = Number(BigInt.asUintN(16, value));
    return (((v >> 14) << 20) | (v & 0x3fff)) >>> 0;
  }
  const shift = 31 - Math.clz32(m & -m);
  return (Number(BigInt.asUintN(32, value << BigInt(shift))) & m) >>> 0;
}

/** Encodes one immediate of an instruction of `form`. */
export function encodeImm(fill: ImmFill, form: AliasRow, env: InsnEnv): { bits: number; reloc: RelocRequest | null } {
  const { tok, at } = fill;
  const field = TOKEN_FIELD[tok];
  if (field === undefined) fail('operands', `operand kind ${tok} is not supported by the assembler`, at);
  const ctx: EvalContext = { ...env.ctx, hash: (name, p) => hashValue(tok, name, p) };
  let expr: Expr = fill.expr;
  let op: RelocOp | null = null;
  if (expr.k === 'reloc') {
    op = expr.op;
    if (tok in DISP_BITS) fail('relocation', `%${op}() cannot be a branch target`, at);
    expr = expr.e;
  }
  const v = evaluate(expr, ctx);
  let bits: number;
  let reloc: RelocRequest | null = null;

  if (tok in DISP_BITS) {
    const disp = displacement(v, env, at);
    if (disp === null) {
      reloc = { type: DISP_RELOC[tok]!, value: v, at };
      bits = 0;
    } else {
      if (disp % 4n !== 0n) fail('alignment', `branch target is ${hexOf(disp)} bytes away: expected a multiple of 4`, at);
      const words = disp / 4n;
      const n = DISP_BITS[tok]!;
      if (n < 30 && (words < -(1n << BigInt(n - 1)) || words >= 1n << BigInt(n - 1))) {
        fail('range', `branch target ${hexOf(disp)} bytes away is out of reach of ${tok} (±${hexOf((1n << BigInt(n + 1)))} bytes)`, at);
      }
      bits = place(field, words);
    }
  } else if (op !== null) {
    // GNU as applies %hi() & co. to any immediate: sethi %hi(x) and or %lo(x) are the useful ones.
    if (v.sym !== null) {
      reloc = { type: RELOC_OP[op].type, value: v, at };
      bits = 0;
    } else {
      // The operator yields a bit pattern: in a signed field, its top bit is the sign (%lox).
      let x = RELOC_OP[op].bits(v.add);
      const n = SIGNED_BITS[tok];
      if (n !== undefined && x >= 1n << BigInt(n - 1) && x < 1n << BigInt(n)) x -= 1n << BigInt(n);
      bits = place(field, checkRange(tok, x, at));
    }
  } else if (v.sym !== null) {
    const type = PLAIN_RELOC[tok];
    if (type === undefined) fail('relocation', `${tok} operand must be a constant, but ${v.sym.name} is a symbol`, at);
    reloc = { type, value: v, at };
    bits = 0;
  } else {
    bits = place(field, checkRange(tok, v.add, at));
  }
  // Bits the form fixes inside the field (V9 Tcc's cc bits in simm13, V8 shift counts' bit 5):
  // the value may not set those the form wants zero; those it wants one come from the form.
  const zeros = (form.mask & fieldMask(field) & ~form.match) >>> 0;
  if ((bits & zeros) !== 0) {
    fail('range', `value does not fit \`${form.name} ${form.syntax.replace(/ ,/g, ',')}\`: it sets bits ${hexOf(BigInt((bits & zeros) >>> 0))} the instruction reserves`, at);
  }
  return { bits, reloc };
}

function checkRange(tok: string, raw: bigint, at: Pos): bigint {
  const sbits = SIGNED_BITS[tok];
  if (sbits !== undefined) {
    const v = sext32(raw);
    const lim = 1n << BigInt(sbits - 1);
    if (v < -lim || v >= lim) fail('range', `${raw} does not fit ${tok}: expected ${-lim}..${lim - 1n}`, at);
    return v;
  }
  if (tok === 'const22') {
    const v = sext32(raw);
    if (v < -(1n << 21n) || v >= 1n << 22n) fail('range', `${hexOf(raw)} does not fit 22 bits: expected 0..0x3fffff`, at);
    return v;
  }
  const max = UNSIGNED[tok];
  if (max !== undefined && (raw < 0n || raw > BigInt(max))) {
    const hint = tok === 'hi22' ? ' (use %hi(value) for the upper 22 bits of an address)' : '';
    fail('range', `${hexOf(raw)} does not fit ${tok}: expected 0..${max}${hint}`, at);
  }
  return raw;
}

/** Byte displacement of a branch target, or null when it needs a relocation. */
function displacement(v: Value, env: InsnEnv, at: Pos): bigint | null {
  if (env.fixed) {
    if (v.sym !== null) fail('undefined-symbol', `undefined symbol ${v.sym.name}`, at);
    return BigInt.asIntN(32, v.add - BigInt(env.address));
  }
  // GNU as: a constant target becomes a relocation against *ABS* (symbol index 0).
  if (v.sym === null) return null;
  if (v.sym.section === env.section && !v.sym.global) return BigInt(v.sym.offset) + v.add - BigInt(env.offset);
  return null;
}
