// Round trip per table row: assembling the formatter's text of a valid word (random fields, every
// mode of the row) at the word's address gives the word back.
import { describe, expect, it } from 'vitest';
import { decode } from '../decode.ts';
import { fieldMask } from '../fields.ts';
import { formatInstruction, selectForm } from '../format.ts';
import { BASE_ROWS } from '../table.ts';
import type { AliasRow, FieldName, Mode } from '../types.ts';
import { MODE_BIT } from '../types.ts';
import { AsmError } from './errors.ts';
import { assemble } from './assemble.ts';

const MODES: readonly Mode[] = ['v8', 'v9', 'v9a'];

/** Deterministic PRNG (mulberry32): a failure names a reproducible word. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Fields each operand token of a form shows. */
const SHOWN: Readonly<Record<string, FieldName>> = {
  rs1: 'rs1', rs2: 'rs2', rd: 'rd', frs1: 'rs1', frs2: 'rs2', frd: 'rd', drs1: 'rs1', drs2: 'rs2', drd: 'rd', qrs1: 'rs1',
  qrs2: 'rs2', qrd: 'rd', crd: 'rd', simm13: 'simm13', simm11: 'simm11', simm10: 'simm10', shcnt5: 'shcnt', shcnt6: 'shcnt',
  imm3: 'imm3', const22: 'imm22', hi22: 'imm22', membar: 'membar', prefetch: 'rd', asi: 'asi', impdep: 'opf', asr_rs1: 'rs1',
  asr_rd: 'rd', pr_rs1: 'rs1', pr_rd: 'rd', hpr_rs1: 'rs1', hpr_rd: 'rd', vasr_rs1: 'rs1', vasr_rd: 'rd', disp30: 'disp30',
  disp22: 'disp22', disp19: 'disp19', disp16: 'disp16',
};

/** Bits the text of `form` determines: its fixed bits and the fields its syntax prints. Other
 * bits (reserved, or ignored by objdump like ld's asi with i=0) cannot survive a round trip. */
function shownBits(form: AliasRow): number {
  let m = form.mask;
  for (const t of form.syntax.split(' ')) if (SHOWN[t]) m |= fieldMask(SHOWN[t]);
  if (form.tie !== null) m |= fieldMask('rd');
  return m >>> 0;
}

describe('assembler round trip of the formatter (every row, every mode)', () => {
  it('gives back each word, or a word objdump prints the same (inherently ambiguous text)', () => {
    const r = rng(2024);
    let exact = 0;
    const ambiguous = new Map<string, string>();
    const failures: string[] = [];
    const rows = new Set<string>();
    for (const row of BASE_ROWS) {
      for (const mode of MODES) {
        if ((row.modes & MODE_BIT[mode]) === 0) continue;
        for (let k = 0; k < 48; k++) {
          const raw = (row.match | (r() & ~row.mask)) >>> 0;
          const form = selectForm(raw, mode, row.forms);
          if (form === null) continue;
          const w = (raw & shownBits(form)) >>> 0;
          if (selectForm(w, mode, row.forms) !== form) continue;
          const address = (r() & 0x3ffffffc) >>> 0;
          const text = formatInstruction(decode(w, mode), { address });
          let got: number;
          try {
            got = assemble(text, { origin: address, mode }).words[0]!;
          } catch (e) {
            if (!(e instanceof AsmError)) throw e;
            failures.push(`${row.id}/${mode} ${w.toString(16)} '${text}': ${e.detail}`);
            continue;
          }
          rows.add(row.id);
          if (got === w) exact++;
          else if (formatInstruction(decode(got, mode), { address }) === text) ambiguous.set(`${row.id}/${form.name} ${form.syntax}`, text);
          else failures.push(`${row.id}/${mode} ${w.toString(16)} '${text}' -> ${got.toString(16)}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // Every row with printable words took part.
    expect(rows.size).toBeGreaterThan(BASE_ROWS.length * 0.95);
    expect(exact).toBeGreaterThan(40000);
    // The only ambiguities: objdump prints `mov %rs, %rd` for or with rs1 or rs2 = %g0, `wr %r, X`
    // for wr with rs2 = %g0 or rs1 = %g0, `[%r]` for rs2 = %g0 or simm13 = 0.
    for (const key of ambiguous.keys()) expect(key).toMatch(/^(or\.r\/mov|p?wr\w*\.r\/p?wr|(std|sttw|st\w*|ld\w*)\.[ri]\/)/);
  });
});
