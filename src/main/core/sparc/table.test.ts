// The instruction table's invariants: disjoint base rows per mode, forms that refine their base
// row and cover it, known operand tokens, complete traits.
import { describe, expect, it } from 'vitest';
import { fieldMask } from './fields.ts';
import { OPERAND_TOKENS, selectForm } from './format.ts';
import { ALIAS_ROWS, BASE_ROWS } from './table.ts';
import { MODE_BIT, type InstrRow, type Mode } from './types.ts';

const MODES: Mode[] = ['v8', 'v9', 'v9a'];
const overlap = (a: { match: number; mask: number }, b: { match: number; mask: number }): boolean =>
  ((a.match ^ b.match) & a.mask & b.mask) === 0;

describe('sparc instruction table', () => {
  it('has base rows and forms', () => {
    expect(BASE_ROWS.length).toBeGreaterThan(400);
    expect(ALIAS_ROWS.length).toBeGreaterThan(2000);
  });

  it('has unique ids and an exec name on every row', () => {
    const ids = new Set<string>();
    for (const r of BASE_ROWS) {
      expect(ids.has(r.id), r.id).toBe(false);
      ids.add(r.id);
      expect(r.exec, r.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(r.mnemonic.length, r.id).toBeGreaterThan(0);
    }
  });

  it('has no two base rows of the same mode that overlap', () => {
    for (const mode of MODES) {
      const rows = BASE_ROWS.filter((r) => (r.modes & MODE_BIT[mode]) !== 0);
      for (let i = 0; i < rows.length; i++) {
        for (let j = i + 1; j < rows.length; j++) {
          const a = rows[i]!;
          const b = rows[j]!;
          if (overlap(a, b)) expect.fail(`${mode}: ${a.id} and ${b.id} overlap`);
        }
      }
    }
  });

  it('keeps fixed bits inside the mask and fields disjoint from each other', () => {
    for (const r of BASE_ROWS) {
      expect((r.match & ~r.mask) >>> 0, r.id).toBe(0);
      let seen = 0;
      for (const f of r.fields) {
        const free = fieldMask(f) & ~r.mask;
        expect(free, `${r.id}.${f}`).not.toBe(0);
        expect(seen & free, `${r.id}.${f} overlaps another field`).toBe(0);
        seen |= free;
      }
      expect(((seen | r.reservedMask | r.mask) >>> 0), r.id).toBe(0xffffffff);
    }
  });

  it('makes every form a refinement of its base row, in one of its modes', () => {
    for (const f of ALIAS_ROWS) {
      const b = f.base;
      expect((f.mask & b.mask) >>> 0, f.name).toBe(b.mask);
      expect((f.match & b.mask) >>> 0, f.name).toBe(b.match);
      expect(f.modes & ~b.modes, f.name).toBe(0);
      expect(f.modes, f.name).not.toBe(0);
    }
  });

  it('writes forms only with known operand tokens', () => {
    const literal = /^(\[|\]|\+|,|0|%[a-z0-9]+)$/;
    for (const f of ALIAS_ROWS) {
      for (const tok of f.syntax.split(' ')) {
        if (tok === '') continue;
        expect(OPERAND_TOKENS.has(tok) || literal.test(tok), `${f.name}: ${tok}`).toBe(true);
      }
    }
  });

  it('covers every word of every base row with a form (exhaustively over the forms\' extra bits)', () => {
    for (const r of BASE_ROWS) {
      for (const mode of MODES) {
        if ((r.modes & MODE_BIT[mode]) === 0) continue;
        expect(uncovered(r, mode), `${r.id} in ${mode}`).toBe(-1);
      }
    }
  });

  it('records traits consistently', () => {
    for (const r of BASE_ROWS) {
      if (r.annullable) expect(r.delayed, r.id).toBe(true);
      if (r.control === 'branch') expect(r.annullable, r.id).toBe(true);
      if (r.mem !== null && r.mem.kind === 'store') expect(r.writes, r.id).toContain('mem');
      if (r.mem !== null && r.mem.kind === 'load') expect(r.reads, r.id).toContain('rs1');
      if (r.mnemonic === 'ldd' || r.mnemonic === 'std') expect([...r.reads, ...r.writes], r.id).toContain('rd2');
    }
  });
});

/** A word of row `r` that no form of `mode` prints, or -1. Enumerates the bits the forms fix on
 * top of the base row (up to 2^16 combinations; the free bits are chosen to satisfy ties). */
function uncovered(r: InstrRow, mode: Mode): number {
  const forms = r.forms.filter((f) => (f.modes & MODE_BIT[mode]) !== 0);
  let extra = 0;
  for (const f of forms) extra |= f.mask & ~r.mask;
  const bits: number[] = [];
  for (let b = 0; b < 32; b++) if ((extra >>> b) & 1) bits.push(b);
  const n = Math.min(bits.length, 16);
  for (let k = 0; k < 2 ** n; k++) {
    let w = r.match;
    for (let j = 0; j < n; j++) if ((k >>> j) & 1) w |= 1 << bits[j]!;
    // Ties need rd to differ from rs1/rs2 to be skipped: try a word with rd != rs1, rs2 when free.
    for (const rd of [0, 1, 2, 3]) {
      const ww = (r.mask & (0x1f << 25)) === 0 && (extra & (0x1f << 25)) === 0 ? ((w & ~(0x1f << 25)) | (rd << 25)) >>> 0 : w >>> 0;
      if (selectForm(ww, mode, forms) === null) return ww;
    }
  }
  return -1;
}
