// Seeded fuzzing of the assembler: random token soup and mutated valid lines either assemble or
// fail with AsmError diagnostics (never a TypeError, RangeError or a hang).
import { describe, expect, it } from 'vitest';
import { AsmError, assemble } from '../../src/main/core/sparc/index.ts';
import { rng } from '../support/rng.ts';

const PIECES = [
  'mov', 'ld', 'st', 'set', 'call', 'b', 'bne,a', 'bne,pt', 'sethi', 'or', 'add', 'jmpl', 'ta', 'wr', 'rd', 'membar',
  'casa', 'fadds', 'ldd', 'nop', 'ret', '.word', '.byte', '.align', '.skip', '.set', '.section', '.text', '.data',
  '.rept', '.endr', '.ascii', '.type', '.size', '.global', '.comm', '.subsection', '.previous', '.popsection',
  '%o0', '%g0', '%sp', '%f1', '%f32', '%asi', '%y', '%icc', '%xcc', '%fcc1', '%asr17', '%hi(', '%lo(', '%hh(', '%gdop(',
  '[', ']', '(', ')', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '~', ',', ':', ';', '=', '!', '#', '\n',
  '0', '1', '4095', '4096', '-1', '0x7fffffff', '0xffffffff', '0x123456789abcdef0', "'a'", '"s"', '"', '1b', '1f', '1:',
  'x', 'x:', 'y', '.', '#LoadLoad', '#ASI_P', '#function', '@object', '/*', '*/', '\\', '$', 'L1:', '.L2',
];

/** Runs the assembler; returns false when it threw anything but AsmError. */
function safe(src: string, mode: 'v8' | 'v9a', origin?: number): string | null {
  try {
    assemble(src, { mode, origin });
    return null;
  } catch (e) {
    if (e instanceof AsmError) {
      expect(e.all.length).toBeGreaterThan(0);
      for (const x of e.all) expect(x.line).toBeGreaterThanOrEqual(0);
      return null;
    }
    return `${String(e)} for ${JSON.stringify(src)}`;
  }
}

describe('assembler fuzz', () => {
  it('survives random token soup (seeded)', () => {
    const r = rng(99);
    const bad: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const n = 1 + (r() % 12);
      let src = '';
      for (let j = 0; j < n; j++) src += PIECES[r() % PIECES.length] + (r() % 3 === 0 ? '' : ' ');
      const e = safe(src, r() % 2 ? 'v8' : 'v9a', r() % 2 ? 0x4000 : undefined);
      if (e) bad.push(e);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it('survives byte mutations of valid source (seeded)', () => {
    const base = 'start: save %sp, -96, %sp\n set x+4, %o0\n ld [%o0 + %lo(x)], %o1\n1: bne,a 1b\n .word x - start\n.data\nx: .asciz "hi"\n.align 4\n';
    const r = rng(7);
    const bad: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const chars = [...base];
      for (let m = 1 + (r() % 4); m > 0; m--) {
        const at = r() % chars.length;
        const op = r() % 3;
        const c = String.fromCharCode(32 + (r() % 95));
        if (op === 0) chars[at] = c;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      const e = safe(chars.join(''), r() % 2 ? 'v8' : 'v9a', r() % 2 ? 0 : undefined);
      if (e) bad.push(e);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it('stops runaway .rept nesting', () => {
    expect(() => assemble('.rept 100000\n.rept 100000\n.optim\n.endr\n.endr')).toThrow(/statements/);
  });
});
