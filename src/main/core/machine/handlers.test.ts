// Every base row of the instruction table that decodes in V8 mode has a handler or an explicit trap classification.
import { describe, expect, it } from 'vitest';
import { BASE_ROWS, MODE_BIT, decode } from '../sparc/index.ts';
import { HANDLERS, classifyRow, TT } from './index.ts';

const v8Rows = BASE_ROWS.filter((r) => (r.modes & MODE_BIT.v8) !== 0);

describe('handlers of the instruction table', () => {
  it('covers every V8-mode base row', () => {
    const missing = v8Rows.filter((r) => {
      const c = classifyRow(r);
      return c.kind === 'traps' && c.why.startsWith('no handler');
    });
    expect(missing.map((r) => `${r.id} (exec ${r.exec})`)).toEqual([]);
  });

  it('runs every SPARC V8 integer-unit row with a handler named after its exec key', () => {
    for (const row of v8Rows.filter((r) => r.isa === 'v8')) {
      const c = classifyRow(row);
      if (c.kind === 'handler') {
        expect(HANDLERS[c.name], row.id).toBe(c.handler);
        if (row.mem === null) expect(c.name, row.id).toBe(row.exec);
      } else {
        // Only floating point and coprocessor rows trap instead (no FPU, no coprocessor).
        expect([TT.fp_disabled, TT.cp_disabled], row.id).toContain(c.tt);
      }
    }
  });

  it('classifies FP rows as fp_disabled, coprocessor rows as cp_disabled, LEON extras as illegal', () => {
    const tt = (word: number): number => {
      const c = classifyRow(decode(word, 'v8').row);
      return c.kind === 'traps' ? c.tt : -1;
    };
    expect(tt(0x85a00821)).toBe(TT.fp_disabled); // fadds %f0, %f1, %f2
    expect(tt(0xc1000000)).toBe(TT.fp_disabled); // ld [%g0], %f0
    expect(tt(0x3f800001)).toBe(TT.fp_disabled); // fbo (FBfcc)
    expect(tt(0x81b00000)).toBe(TT.cp_disabled); // cpop1
    expect(tt(0x3fc00001)).toBe(TT.cp_disabled); // cb*
    expect(tt(0xc1e00000)).toBe(TT.illegal_instruction); // casa (LEON): not V8
  });
});
