// Per-row decode / encode / format round trips, decoder totality and a few known listings.
import { describe, expect, it } from 'vitest';
import { decode, decodeRow } from './decode.ts';
import { SparcEncodeError, encode, encodeChecked, fieldsOf } from './encode.ts';
import { effects } from './effects.ts';
import { formatInstruction } from './format.ts';
import { disassemble } from './listing.ts';
import { SymbolTable } from './symbols.ts';
import { BASE_ROWS, ROW_BY_ID, UNKNOWN_ROW } from './table.ts';
import { MODE_BIT, type Mode } from './types.ts';
import { rng } from '../../../../test/support/rng.ts';

const MODES: Mode[] = ['v8', 'v9', 'v9a'];

describe('sparc decode/encode/format per row', () => {
  it('decodes random words of each row to the row, re-encodes them exactly and formats them', () => {
    const r = rng(42);
    for (const row of BASE_ROWS) {
      const mode = MODES.find((m) => (row.modes & MODE_BIT[m]) !== 0)!;
      for (let k = 0; k < 64; k++) {
        const w = ((row.match | (r() & ~row.mask)) >>> 0);
        const insn = decode(w, mode);
        expect(insn.row, `${row.id} ${w.toString(16)}`).toBe(row);
        expect(encode(row, fieldsOf(insn)), `${row.id} ${w.toString(16)}`).toBe(w);
        expect(encodeChecked(row, fieldsOf(insn))).toBe(w);
        const text = formatInstruction(insn, { address: 0x1000 });
        expect(text, `${row.id} ${w.toString(16)}`).not.toBe('unknown');
        expect(text.split(/[ ,]/)[0]!.length).toBeGreaterThan(0);
      }
    }
  });

  it('encodes each form from its fixed bits', () => {
    for (const row of BASE_ROWS) {
      for (const f of row.forms) {
        const w = encode(f, {});
        expect((w & f.mask) >>> 0).toBe(f.match);
        expect(decodeRow(w, MODES.find((m) => (f.modes & MODE_BIT[m]) !== 0)!)).toBe(row);
      }
    }
  });

  it('decodes every word to something without throwing', () => {
    const r = rng(7);
    for (const mode of MODES) {
      for (let k = 0; k < 200_000; k++) {
        const insn = decode(r(), mode);
        expect(insn.row).toBeDefined();
      }
    }
    for (const w of [0, 0xffffffff, 0x80000000, -1, 2 ** 32 + 5, 0x7fffffff]) {
      for (const mode of MODES) expect(typeof formatInstruction(decode(w, mode))).toBe('string');
    }
  });

  it('extracts sign-extended fields', () => {
    const b = decode(0x10bfffff, 'v8'); // b .-4
    expect(b.row.id).toBe('bicc');
    expect(b.disp22).toBe(-1);
    expect(b.cond).toBe(8);
    const c = decode(0x7fffffff, 'v8');
    expect(c.disp30).toBe(-1);
    const ld = decode(0xd0007ffc | (1 << 14), 'v8'); // ld [%g1 - 4], %o0
    expect(ld.simm13).toBe(-4);
    expect(ld.rs1).toBe(1);
    expect(ld.rd).toBe(8);
    expect(ld.row.mem).toMatchObject({ kind: 'load', width: 4, signed: false, alternate: false });
  });

  it('rejects values that do not fit or contradict the encoding', () => {
    const add = ROW_BY_ID.get('add.i')!;
    expect(encodeChecked(add, { rs1: 1, simm13: -4096, rd: 2 })).toBe((0x84007000 | (1 << 14)) >>> 0);
    expect(() => encodeChecked(add, { simm13: 9000 })).toThrow(SparcEncodeError);
    expect(() => encodeChecked(ROW_BY_ID.get('popc.r')!, { rs1: 3 })).toThrow(/rs1/);
    expect(() => encodeChecked(UNKNOWN_ROW, {})).toThrow(SparcEncodeError);
  });
});

describe('sparc formatter (objdump 2.40 text, byte for byte)', () => {
  const cases: [number, Mode, string][] = [
    [0x01000000, 'v8', 'nop '],
    [0x9de3bfa0, 'v8', 'save  %sp, -96, %sp'],
    [0x81c7e008, 'v8', 'ret '],
    [0x81c3e008, 'v8', 'retl '],
    [0x81e80000, 'v8', 'restore '],
    [0xd0004002, 'v8', 'ld  [ %g1 + %g2 ], %o0'],
    [0xd0806000 | (1 << 14), 'v9a', 'lda  [ %g1 ] %asi, %o0'],
    [0xd0805000, 'v8', 'lda  [ %g1 ] #ASI_P, %o0'],
    [0x91f04002, 'v8', 'umac  %g1, %g2, %o0'],
    [0x91f04002, 'v9', 'unknown'],
    [0x03000048, 'v8', 'sethi  %hi(0x12000), %g1'],
    [0x32800004, 'v8', 'bne,a   0x10'],
    [0x12480006, 'v9', 'bne  %icc, 0x18'],
    [0x00012345, 'v8', 'unimp  0x12345'],
    [0x00012345, 'v9', 'illtrap  0x12345'],
    [0x9fc04000, 'v8', 'call  %g1'],
    [0x91d02010, 'v8', 'ta  0x10'],
    [0x81a00520, 'v8', 'fsqrts  %f0, %f0'],
    [0x80a06000 | (1 << 14), 'v8', 'cmp  %g1, 0'],
    [0x9a102000, 'v8', 'clr  %o5'],
    [0x9a100000, 'v8', 'mov  %g0, %o5'],
  ];
  it.each(cases.map(([w, m, t]) => [w.toString(16).padStart(8, '0'), w, m, t] as const))('%s in %s', (_, w, mode, text) => {
    expect(formatInstruction(decode(w, mode))).toBe(text);
  });

  it('adds the sethi comment, looking past a delay slot', () => {
    const lines = disassemble([0x03000010, 0x10800003, 0x82106010], 0x20, 'v8');
    expect(lines.map((l) => l.text)).toEqual(['sethi  %hi(0x4000), %g1', 'b  0x30', 'or  %g1, 0x10, %g1\t! 0x4010']);
  });

  it('prints symbolic targets like objdump', () => {
    const t = new SymbolTable([{ name: 'main', value: 0x100, size: 0x40, section: '.text', kind: 'func', binding: 'global' }]);
    const pa = t.printer({ name: '.text', vma: 0x100, size: 0x100 });
    expect(formatInstruction(decode(0x40000004, 'v8'), { address: 0x104, printAddress: pa })).toBe('call  114 <main+0x14>');
    expect(formatInstruction(decode(0x10bfffff, 'v8'), { address: 0x100, printAddress: pa })).toBe('b  fc <main-0x4>');
  });
});

describe('sparc register effects', () => {
  it('resolves ldd pairs, %y and call', () => {
    expect(effects(decode(0xd0184002, 'v8'))).toEqual({ reads: ['r1', 'r2'], writes: ['r8', 'r9'] }); // ldd [%g1+%g2], %o0
    expect(effects(decode(0x91400000, 'v8')).reads).toEqual(['y']); // rd %y, %o0
    expect(effects(decode(0x40000001, 'v8')).writes).toEqual(['r15']);
    expect(effects(decode(0x80a04002, 'v8')).writes).toEqual(['icc']); // cmp %g1, %g2 (rd = %g0)
  });
});
