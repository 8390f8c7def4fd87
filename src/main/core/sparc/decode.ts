// Decoder: word → base row through per-mode dispatch tables (op/op2/op3, then an opf-style
// sub-index where many rows share an opcode), never throws, every word yields a row or UNKNOWN_ROW.
import { BASE_ROWS, UNKNOWN_ROW } from './table.ts';
import type { InstrRow, Instruction, Mode } from './types.ts';
import { MODE_BIT } from './types.ts';

/** A candidate: signed copies of match/mask for a fast `(w & mask) === match` test. */
interface Cand {
  readonly mask: number;
  readonly match: number;
  readonly row: InstrRow;
}

/** One top-level slot: either a short candidate list or a sub-table indexed by word bits. */
interface Slot {
  readonly cands: readonly Cand[];
  readonly shift: number;
  readonly width: number;
  readonly sub: readonly (readonly Cand[])[] | null;
}

/** Top-level index of a word: op (2 bits) and op2 (op=0) or op3 (op=2,3). */
function slotOf(w: number): number {
  const op = w >>> 30;
  if (op === 0) return (w >>> 22) & 7;
  if (op === 1) return 64;
  return (op << 6) | ((w >>> 19) & 0x3f);
}

/** Longest run of bits fixed by every candidate, outside the bits the slot already fixed. */
function commonRun(cands: readonly Cand[], slotBits: number): [number, number] {
  let common = 0xffffffff;
  for (const c of cands) common &= c.mask;
  common &= ~slotBits;
  let best: [number, number] = [0, 0];
  for (let lo = 0; lo < 32; lo++) {
    let hi = lo;
    while (hi < 32 && hi - lo < 10 && ((common >>> hi) & 1) === 1) hi++;
    if (hi - lo > best[1]) best = [lo, hi - lo];
  }
  return best;
}

function buildSlot(cands: Cand[], slot: number): Slot {
  const slotBits = slot < 8 ? 0xc1c00000 : slot === 64 ? 0xc0000000 : 0xc1f80000;
  if (cands.length <= 4) return { cands, shift: 0, width: 0, sub: null };
  const [shift, width] = commonRun(cands, slotBits);
  if (width < 2) return { cands, shift: 0, width: 0, sub: null };
  const sub: Cand[][] = [];
  for (let k = 0; k < 2 ** width; k++) {
    const bits = (k << shift) | 0;
    const fieldMask = ((2 ** width - 1) << shift) | 0;
    sub.push(cands.filter((c) => ((c.match ^ bits) & c.mask & fieldMask) === 0));
  }
  return { cands, shift, width, sub };
}

function buildMode(mode: Mode): Slot[] {
  const bit = MODE_BIT[mode];
  const lists: Cand[][] = Array.from({ length: 256 }, () => []);
  for (const row of BASE_ROWS) {
    if ((row.modes & bit) === 0) continue;
    const c: Cand = { mask: row.mask | 0, match: row.match | 0, row };
    // Enumerate the slots this row can occupy (its op/op2/op3 bits may be partly free).
    for (let s = 0; s < 256; s++) {
      const probe = s < 8 ? (s << 22) >>> 0 : s === 64 ? 0x40000000 : (((s >>> 6) << 30) | ((s & 0x3f) << 19)) >>> 0;
      if (s >= 8 && s < 64) continue;
      if (s > 64 && s < 128) continue;
      const slotBits = s < 8 ? 0xc1c00000 : s === 64 ? 0xc0000000 : 0xc1f80000;
      if (((probe ^ c.match) & c.mask & slotBits) === 0) lists[s]!.push(c);
    }
  }
  return lists.map((cands, s) => buildSlot(cands, s));
}

const TABLES: Readonly<Record<Mode, readonly Slot[]>> = {
  v8: buildMode('v8'),
  v9: buildMode('v9'),
  v9a: buildMode('v9a'),
};

/** The base row of `word` in `mode`, or UNKNOWN_ROW. Allocation-free: for hot loops. */
export function decodeRow(word: number, mode: Mode): InstrRow {
  const w = word | 0;
  const slot = TABLES[mode][slotOf(w)]!;
  const cands = slot.sub === null ? slot.cands : slot.sub[(w >>> slot.shift) & (2 ** slot.width - 1)]!;
  for (let k = 0; k < cands.length; k++) {
    const c = cands[k]!;
    if ((w & c.mask) === c.match) return c.row;
  }
  return UNKNOWN_ROW;
}

/** A decoded instruction; the fields are read from the word on demand (see fields.ts). */
class Decoded implements Instruction {
  readonly word: number;
  readonly row: InstrRow;
  readonly mode: Mode;
  constructor(word: number, row: InstrRow, mode: Mode) {
    this.word = word;
    this.row = row;
    this.mode = mode;
  }
  get op(): number { return this.word >>> 30; }
  get op2(): number { return (this.word >>> 22) & 7; }
  get op3(): number { return (this.word >>> 19) & 0x3f; }
  get rd(): number { return (this.word >>> 25) & 0x1f; }
  get rs1(): number { return (this.word >>> 14) & 0x1f; }
  get rs2(): number { return this.word & 0x1f; }
  get i(): number { return (this.word >>> 13) & 1; }
  get asi(): number { return (this.word >>> 5) & 0xff; }
  get simm13(): number { return (this.word << 19) >> 19; }
  get imm22(): number { return this.word & 0x3fffff; }
  get disp22(): number { return (this.word << 10) >> 10; }
  get disp19(): number { return (this.word << 13) >> 13; }
  get disp16(): number { return (((((this.word >>> 20) & 3) << 14) | (this.word & 0x3fff)) << 16) >> 16; }
  get disp30(): number { return (this.word << 2) >> 2; }
  get a(): number { return (this.word >>> 29) & 1; }
  get cond(): number { return (this.word >>> 25) & 0xf; }
  get rcond(): number { return (this.word >>> 25) & 7; }
  get p(): number { return (this.word >>> 19) & 1; }
  get bcc(): number { return (this.word >>> 20) & 3; }
  get opf(): number { return (this.word >>> 5) & 0x1ff; }
  get x(): number { return (this.word >>> 12) & 1; }
  get shcnt(): number { return this.word & 0x3f; }
  get simm11(): number { return (this.word << 21) >> 21; }
  get simm10(): number { return (this.word << 22) >> 22; }
  get mcond(): number { return (this.word >>> 14) & 0xf; }
  get mcc(): number { return (((this.word >>> 18) & 1) << 2) | ((this.word >>> 11) & 3); }
  get mrcond(): number { return (this.word >>> 10) & 7; }
  get tcc(): number { return (this.word >>> 11) & 3; }
  get fccn(): number { return (this.word >>> 25) & 3; }
  get membar(): number { return this.word & 0x7f; }
  get imm3(): number { return this.word & 7; }
}

/** Decodes one instruction word (any 32-bit value; it is taken modulo 2^32). Never throws. */
export function decode(word: number, mode: Mode): Instruction {
  const w = word >>> 0;
  return new Decoded(w, decodeRow(w, mode), mode);
}
