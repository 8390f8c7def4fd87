// Round trip per table row: assembling the formatter's text of a valid word (random fields, every
// mode of the row) at the word's address gives the word back.
import { describe, expect, it } from 'vitest';
import { decode } from '../decode.ts';
import { fieldMask } from '../fields.ts';
import { OPERAND_FIELD, formatInstruction, selectForm } from '../format.ts';
import { BASE_ROWS } from '../table.ts';
import type { AliasRow, Mode } from '../types.ts';
import { MODE_BIT } from '../types.ts';
import { AsmError } from './errors.ts';
import { assemble } from './assemble.ts';
import { rng } from '../../../../../test/support/rng.ts';

const MODES: readonly Mode[] = ['v8', 'v9', 'v9a'];


/** Bits the text of `form` determines: its fixed bits and the fields its syntax prints. Other
 * bits (reserved, or ignored by objdump like ld's asi with i=0) cannot survive a round trip. */
function shownBits(form: AliasRow): number {
  let m = form.mask;
  for (const t of form.syntax.split(' ')) if (OPERAND_FIELD[t]) m |= fieldMask(OPERAND_FIELD[t]);
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
