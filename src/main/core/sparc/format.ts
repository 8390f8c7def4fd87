// Formatter: GNU objdump 2.40 syntax for a decoded word, byte for byte (spaces and the tab before
// a '!' comment included). Picks the first applicable form of the base row in objdump order.
//
// Syntax tokens (AliasRow.syntax, space separated): ',' joins without a space; register fields
// rs1 rs2 rd (integer), frs1.. (single FP), drs1../qrs1.. (double/quad FP, V9 5-bit encoding),
// crd (coprocessor); immediates simm13 simm11 simm10 shcnt5 shcnt6 imm3 hi22 const22 impdep;
// targets disp16 disp19 disp22 disp30; asi, prefetch, membar, asr_rs1/asr_rd (%asrN),
// pr_rs1/pr_rd, hpr_rs1/hpr_rd, vasr_rs1/vasr_rd (V9 register names); anything else is literal.
import { decodeRow } from './decode.ts';
import { INT_REGS, asiName, hprivRegName, membarText, prefetchName, privRegName, v9aAsrName } from './names.ts';
import type { AddressPrinter, AliasRow, FieldName, InstrRow, Instruction, Mode } from './types.ts';
import { MODE_BIT } from './types.ts';

/** Context of one instruction in a listing. */
export interface FormatOptions {
  /** Address of the instruction (for pc-relative targets). Default 0. */
  readonly address?: number;
  /** Target printer; default: objdump without symbols ("0x" + hex). */
  readonly printAddress?: AddressPrinter;
  /** The two preceding words of the same section, when they exist (objdump's sethi comment). */
  readonly prev?: number;
  readonly prevPrev?: number;
}

/** objdump without a symbol table prints addresses as 0x-prefixed hex of the low 32 bits. */
export const plainAddress: AddressPrinter = (a) => `0x${(((a % 2 ** 32) + 2 ** 32) % 2 ** 32).toString(16)}`;

/** C's "%#x" / objdump's immediate rule: values <= 9 in decimal, otherwise 0x-hex. */
const imm = (v: number): string => (v <= 9 ? String(v) : `0x${v.toString(16)}`);
const hex = (v: number): string => (v === 0 ? '0' : `0x${(v >>> 0).toString(16)}`);
const freg = (n: number): string => `%f${n}`;
const fregx = (n: number): string => `%f${(n & ~1) | ((n & 1) << 5)}`;

type Render = (w: number, addr: number, pa: AddressPrinter) => string;

const RENDER: Readonly<Record<string, Render>> = {
  rs1: (w) => INT_REGS[(w >>> 14) & 31]!,
  rs2: (w) => INT_REGS[w & 31]!,
  rd: (w) => INT_REGS[(w >>> 25) & 31]!,
  frs1: (w) => freg((w >>> 14) & 31),
  frs2: (w) => freg(w & 31),
  frd: (w) => freg((w >>> 25) & 31),
  drs1: (w) => fregx((w >>> 14) & 31),
  drs2: (w) => fregx(w & 31),
  drd: (w) => fregx((w >>> 25) & 31),
  qrs1: (w) => fregx((w >>> 14) & 31),
  qrs2: (w) => fregx(w & 31),
  qrd: (w) => fregx((w >>> 25) & 31),
  crd: (w) => `%c${(w >>> 25) & 31}`,
  simm13: (w) => imm((w << 19) >> 19),
  simm11: (w) => imm((w << 21) >> 21),
  simm10: (w) => imm((w << 22) >> 22),
  shcnt5: (w) => imm(w & 31),
  shcnt6: (w) => imm(w & 63),
  imm3: (w) => String(w & 7),
  impdep: (w) => String((((w >>> 13) & 1) << 8) + ((w >>> 5) & 0xff)),
  hi22: (w) => `%hi(${hex((w & 0x3fffff) << 10)})`,
  const22: (w) => hex((w << 10) >> 10),
  disp30: (w, a, pa) => pa(a + ((w << 2) >> 2) * 4),
  disp22: (w, a, pa) => pa(a + ((w << 10) >> 10) * 4),
  disp19: (w, a, pa) => pa(a + ((w << 13) >> 13) * 4),
  disp16: (w, a, pa) => pa(a + ((((((w >>> 20) & 3) << 14) | (w & 0x3fff)) << 16) >> 16) * 4),
  asi: (w) => asiName((w >>> 5) & 0xff),
  prefetch: (w) => prefetchName((w >>> 25) & 31),
  membar: (w) => membarText(w & 0x7f),
  asr_rs1: (w) => `%asr${(w >>> 14) & 31}`,
  asr_rd: (w) => `%asr${(w >>> 25) & 31}`,
  pr_rs1: (w) => privRegName((w >>> 14) & 31),
  pr_rd: (w) => privRegName((w >>> 25) & 31),
  hpr_rs1: (w) => hprivRegName((w >>> 14) & 31),
  hpr_rd: (w) => hprivRegName((w >>> 25) & 31),
  vasr_rs1: (w) => v9aAsrName((w >>> 14) & 31),
  vasr_rd: (w) => v9aAsrName((w >>> 25) & 31),
};

/** The operand tokens the formatter understands (for tests of the table). */
export const OPERAND_TOKENS: ReadonlySet<string> = new Set(Object.keys(RENDER));

/** The instruction field each operand token prints (what a round trip through text preserves). */
export const OPERAND_FIELD: Readonly<Record<string, FieldName>> = {
  rs1: 'rs1', rs2: 'rs2', rd: 'rd', frs1: 'rs1', frs2: 'rs2', frd: 'rd', drs1: 'rs1', drs2: 'rs2', drd: 'rd', qrs1: 'rs1',
  qrs2: 'rs2', qrd: 'rd', crd: 'rd', simm13: 'simm13', simm11: 'simm11', simm10: 'simm10', shcnt5: 'shcnt', shcnt6: 'shcnt',
  imm3: 'imm3', const22: 'imm22', hi22: 'imm22', membar: 'membar', prefetch: 'rd', asi: 'asi', impdep: 'opf', asr_rs1: 'rs1',
  asr_rd: 'rd', pr_rs1: 'rs1', pr_rd: 'rd', hpr_rs1: 'rs1', hpr_rd: 'rd', vasr_rs1: 'rs1', vasr_rd: 'rd', disp30: 'disp30',
  disp22: 'disp22', disp19: 'disp19', disp16: 'disp16',
};

/** A form compiled into string pieces and renderers. */
interface Compiled {
  readonly parts: readonly (string | Render)[];
}

const compiled = new Map<AliasRow, Compiled>();

function compile(form: AliasRow): Compiled {
  let c = compiled.get(form);
  if (c !== undefined) return c;
  // sparc-dis.c prints the mnemonic, a space unless the operands start with ',', then a space
  // before every operand token (so 'save  %sp, -96, %sp', 'ld  [ %o0 + 8 ], %g1' and 'nop ').
  // Suffixes such as ',a' and ',pn' come from operand strings like ",a Z,G" in binutils, whose
  // embedded blank is printed as an operand of its own: 'be,a   %icc, …' has three spaces.
  const tokens = form.syntax.split(' ').filter((t) => t !== '');
  const lead = tokens[0] === ',' ? '' : form.name.includes(',') ? '  ' : ' ';
  const parts: (string | Render)[] = [form.name + lead];
  for (const tok of tokens) {
    if (tok === ',') parts.push(',');
    else {
      parts.push(' ');
      parts.push(RENDER[tok] ?? tok);
    }
  }
  // Merge adjacent literal strings.
  const merged: (string | Render)[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else merged.push(p);
  }
  c = { parts: merged };
  compiled.set(form, c);
  return c;
}

/** The form objdump would print for word `w` in `mode`, among `forms` (objdump order), or null. */
export function selectForm(word: number, mode: Mode, forms: readonly AliasRow[]): AliasRow | null {
  const bit = MODE_BIT[mode];
  const w = word | 0;
  for (let k = 0; k < forms.length; k++) {
    const f = forms[k]!;
    if ((f.modes & bit) === 0 || (w & f.mask) !== (f.match | 0)) continue;
    if (f.tie === 'rs1' && ((w >>> 14) & 31) !== ((w >>> 25) & 31)) continue;
    if (f.tie === 'rs2' && (w & 31) !== ((w >>> 25) & 31)) continue;
    return f;
  }
  return null;
}

/** Forms of a row bucketed by a run of bits every form fixes (branches and traps have hundreds
 * of forms, one group per condition), so selection scans only a few. Order is kept. */
interface FormIndex {
  readonly shift: number;
  readonly mask: number;
  readonly buckets: readonly (readonly AliasRow[])[];
}

const indexes = new Map<InstrRow, FormIndex | null>();

function formIndex(row: InstrRow): FormIndex | null {
  let ix = indexes.get(row);
  if (ix !== undefined) return ix;
  ix = null;
  if (row.forms.length > 12) {
    let common = 0xffffffff;
    for (const f of row.forms) common &= f.mask;
    common &= ~row.mask;
    let best = [0, 0];
    for (let lo = 0; lo < 32; lo++) {
      let hi = lo;
      while (hi < 32 && hi - lo < 8 && ((common >>> hi) & 1) === 1) hi++;
      if (hi - lo > best[1]!) best = [lo, hi - lo];
    }
    const [shift, width] = best as [number, number];
    if (width >= 2) {
      const mask = 2 ** width - 1;
      const buckets: AliasRow[][] = Array.from({ length: mask + 1 }, () => []);
      for (const f of row.forms) buckets[(f.match >>> shift) & mask]!.push(f);
      ix = { shift, mask, buckets };
    }
  }
  indexes.set(row, ix);
  return ix;
}

function pickForm(w: number, mode: Mode, row: InstrRow): AliasRow | null {
  const ix = formIndex(row);
  return selectForm(w, mode, ix === null ? row.forms : ix.buckets[(w >>> ix.shift) & ix.mask]!);
}

const OTHER_MODES: Readonly<Record<Mode, readonly Mode[]>> = { v8: ['v9', 'v9a'], v9: ['v9a', 'v8'], v9a: ['v9', 'v8'] };

/** objdump's is_delayed_branch: F_DELAYED of the first opcode matching `w`, preferring the
 * current architecture and ignoring operand ties. */
function objdumpDelayed(w: number, mode: Mode): boolean {
  for (const m of [mode, ...OTHER_MODES[mode]]) {
    const row = decodeRow(w, m);
    const bit = MODE_BIT[m];
    for (const f of row.forms) {
      if ((f.modes & bit) !== 0 && ((w & f.mask) >>> 0) === f.match) return f.objdumpDelayed;
    }
  }
  return false;
}

/** The "! target" comment objdump appends when an or/add/memory immediate follows a sethi of
 * its rs1 (looking past one delay-slot instruction), or ''. */
function sethiComment(form: AliasRow, w: number, mode: Mode, o: FormatOptions, pa: AddressPrinter): string {
  const rs1 = (w >>> 14) & 31;
  const sethiTo = (p: number | undefined): p is number => p !== undefined && (p & 0xc1c00000) === 0x01000000 && ((p >>> 25) & 31) === rs1;
  let p: number;
  // A sethi is never a delayed branch, so the word before a delay slot matters only otherwise.
  if (sethiTo(o.prev)) p = o.prev;
  else if (o.prev !== undefined && sethiTo(o.prevPrev) && objdumpDelayed(o.prev, mode)) p = o.prevPrev;
  else return '';
  const hi = ((p & 0x3fffff) << 10) >>> 0;
  const s = (w << 19) >> 19;
  const target = form.sethiComment === 'add' ? hi + s : s < 0 ? hi | s : (hi | s) >>> 0;
  return `\t! ${pa(target)}`;
}

/** Formats a decoded instruction exactly as objdump prints it. */
export function formatInstruction(insn: Instruction, o: FormatOptions = {}): string {
  return formatRow(insn.word, insn.row, insn.mode, o);
}

/** Formats a raw word without building an Instruction: what listings of whole files use. */
export function formatWord(word: number, mode: Mode, o: FormatOptions = {}): string {
  return formatRow(word >>> 0, decodeRow(word, mode), mode, o);
}

function formatRow(w: number, row: InstrRow, mode: Mode, o: FormatOptions): string {
  const form = pickForm(w, mode, row);
  if (form === null) return 'unknown';
  const addr = o.address ?? 0;
  const pa = o.printAddress ?? plainAddress;
  let out = '';
  for (const p of compile(form).parts) out += typeof p === 'string' ? p : p(w, addr, pa);
  if (form.sethiComment !== null) out += sethiComment(form, w, mode, o, pa);
  return out;
}
