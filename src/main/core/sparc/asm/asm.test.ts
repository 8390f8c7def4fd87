// Assembler unit tests: syntax, expressions, directives, set, relocations, fixed-origin assembly,
// and errors (typed, positioned, all of them collected).
import { describe, expect, it } from 'vitest';
import { AsmError, type AsmOutput, assemble, assembleInstruction, assembleWords } from '../index.ts';

const hex = (w: Iterable<number>): string[] => [...w].map((x) => x.toString(16).padStart(8, '0'));
const words = (src: string, mode: 'v8' | 'v9' | 'v9a' = 'v8'): string[] => hex(assemble(src, { mode }).words);

/** The AsmError assembling `src` throws. */
function errorOf(src: string, options: Parameters<typeof assemble>[1] = {}): AsmError {
  try {
    assemble(src, options);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error(`expected an AsmError for ${JSON.stringify(src)}`);
}

describe('instructions from the table', () => {
  it('assembles the forms GNU as picks', () => {
    expect(words('mov %o0, %o1\ntst %o0\nclr %o0\nld [%o0], %o1\njmp %g1\nwr %o0, %y')).toEqual([
      '92100008', '80920000', '90100000', 'd2020000', '81c04000', '81800008',
    ]);
  });
  it('takes addresses in any order and signs', () => {
    expect(words('ld [%o0 - 4], %o1\nld [%o0 + -4], %o1\nld [4 + %o0], %o1\nld [%o0 + 2*3-1], %o1')).toEqual([
      'd2023ffc', 'd2023ffc', 'd2022004', 'd2022005',
    ]);
  });
  it('handles synthetic forms with tied registers', () => {
    expect(words('inc %o0\ninc 5, %o0\nnot %o0\nneg %o0\nbset %o1, %o0\nbtst 5, %o0')).toEqual([
      '90022001', '90022005', '903a0000', '90200008', '90120009', '808a2005',
    ]);
  });
  it('knows annul and prediction suffixes, and V9 condition-code operands', () => {
    expect(words('bne,a .\nb,a .+8\nba,a .+8', 'v8')).toEqual(['32800000', '30800002', '30800002']);
    expect(words('bne,pt %icc, .\nbne,a,pn %xcc, .\nbrz,a %o0, .\nfbne %fcc1, .', 'v9a')).toEqual([
      '12480000', '32600000', '22ca0000', '03580000',
    ]);
  });
  it('accepts alternate spaces, %asi, ASI and membar names', () => {
    expect(words('lda [%o0] 0x20, %o1\nlda [%o0+%o1] (32), %o1', 'v8')).toEqual(['d2820400', 'd2820409']);
    expect(words('lda [%o0] #ASI_P, %o1\nlda [%o0] %asi, %o1\nmembar #LoadLoad | #StoreStore\nprefetch [%o0], #n_reads', 'v9a')).toEqual([
      'd2821000', 'd2822000', '8143e009', 'c16a0000',
    ]);
  });
  it('accepts the V8 names GNU as keeps in V8+ code (addx, unimp)', () => {
    expect(words('addx %o0, %o1, %o2\nunimp 4', 'v9')).toEqual(['94420009', '00000004']);
  });
  it('drops the argument-size operand gcc writes after call', () => {
    expect(hex(assemble('call f, 0\nf: nop', { origin: 0x1000 }).words)).toEqual(['40000001', '01000000']);
  });
  it('rejects ,pt on a branch without a condition-code operand', () => {
    expect(errorOf('bne,pt .', { mode: 'v9' }).code).toBe('operands');
  });
});

describe('expressions', () => {
  it('follow GNU as precedence (& | ^ bind tighter than + -; << with *)', () => {
    expect(words('mov 4 + 4 & 1, %o0\nmov 1 << 2 + 1, %o0\nmov 3 & 6 | 1, %o0\nmov 1 < 2 + 5, %o0')).toEqual([
      '90102004', '90102005', '90102003', '90103fff',
    ]);
  });
  it('read character constants, octal, binary and hex', () => {
    expect(words("mov 'a', %o0\nmov 'b, %o0\nmov '\\n', %o0\nmov 017, %o0\nmov 0b101, %o0\nmov 0x7F, %o0")).toEqual([
      '90102061', '90102062', '9010200a', '9010200f', '90102005', '9010207f',
    ]);
  });
  it('compute %hi / %lo / %hh / %hm / %lm of constants', () => {
    expect(words('sethi %hi(0x12345678), %g1\nor %g1, %lo(0x12345678), %g1\nsethi %hh(0x123456789abcdef0), %o0\nor %o0, %hm(0x123456789abcdef0), %o0\nsethi %lm(0x123456789abcdef0), %o1')).toEqual([
      '03048d15', '82106278', '11048d15', '90122278', '1326af37',
    ]);
  });
  it('resolve numeric local labels forward and backward', () => {
    const out = assemble('1: b 1f\n nop\n1: b 1b\n b 1b', { origin: 0 });
    expect(hex(out.words)).toEqual(['10800002', '01000000', '10800000', '10bfffff']);
  });
  it('use .set / .equ / = symbols, also defined later', () => {
    expect(words('.set A, 3\nB = A * 2\nmov B, %o0\nmov C, %o1\n.equ C, B + 1')).toEqual(['90102006', '92102007']);
  });
});

describe('set', () => {
  it('takes one instruction for small or round constants and two otherwise (GNU as)', () => {
    expect(words('set 5, %o0\nset -4096, %o0\nset 0x12345400, %o0\nset 0x12345678, %o0\nset 0xffffffff, %o0')).toEqual([
      '90102005', '90103000', '11048d15', '11048d15', '90122278', '90103fff',
    ]);
  });
  it('always takes two for symbols, even labels defined earlier', () => {
    const out = assemble('here: set here, %o0\nset far, %o1', { origin: 0x40001000, symbols: { far: 0x12345678 } });
    expect(hex(out.words)).toEqual(['11100004', '90122000', '13048d15', '92126278']);
  });
  it('setuw / setsw are V8+ (setsw sign-extends)', () => {
    expect(words('setsw -5000, %o1\nsetsw -5, %o2\nsetuw 5000, %o3', 'v9')).toEqual(['13000004', '921a7c78', '94103ffb', '17000004', '9612e388']);
    expect(errorOf('setsw 1, %o0').code).toBe('mode');
  });
});

describe('directives and sections', () => {
  const out: AsmOutput = assemble(`
    .text
    .global f
    .type f, #function
f:  retl
     nop
    .size f, .-f
    .data
    .align 8
d:  .word 1, f
    .half 0x1234
    .byte 'z', -1
    .ascii "ab"
    .asciz "c"
    .skip 3, 0xee
    .section .rodata, "a"
r:  .string "ro"
    .bss
b:  .skip 16
    .subsection 1
    .text
    .subsection -1
early: .word 0x77
  `);
  it('fills sections in order of subsections', () => {
    expect(out.section('.text')!.size).toBe(12);
    expect(hex(out.words)).toEqual(['00000077', '81c3e008', '01000000']);
    expect(Buffer.from(out.section('.data')!.bytes).toString('hex')).toBe('0000000100000000' + '1234' + '7aff' + '6162' + '6300' + 'eeeeee');
    expect(Buffer.from(out.section('.rodata')!.bytes).toString()).toBe('ro\0');
    expect(out.section('.bss')).toMatchObject({ size: 16, type: 'nobits' });
  });
  it('records symbols with binding, type and size', () => {
    expect(out.symbol('f')).toMatchObject({ section: '.text', value: 4, binding: 'global', type: 'function', size: 8, defined: true });
    expect(out.symbol('d')).toMatchObject({ section: '.data', value: 0, binding: 'local' });
    expect(out.symbol('early')).toMatchObject({ section: '.text', value: 0 });
  });
  it('emits RELA relocations for symbolic data (field 0, GNU as picks the symbol)', () => {
    expect(out.relocations).toEqual([
      { section: '.data', offset: 4, type: 'R_SPARC_32', typeNumber: 3, symbol: 'f', addend: 0 },
    ]);
  });
  it('pads code alignment with nops, and jumps over them in V8+', () => {
    // GNU as also pads the end of a code section to its alignment.
    expect(words('nop\n.align 16\nnop')).toEqual(Array(8).fill('01000000'));
    const skip = ['30680007', ...Array(6).fill('01000000')];
    expect(words('nop\n.align 32\nnop', 'v9')).toEqual(['01000000', ...skip, '01000000', ...skip]);
  });
  it('repeats .rept blocks', () => {
    expect(words('.rept 3\nnop\n.endr')).toEqual(['01000000', '01000000', '01000000']);
  });
  it('allocates .comm symbols in .bss at a fixed origin', () => {
    const o = assemble('.comm buf, 64, 8\nset buf, %o0', { origin: 0x1000 });
    expect(o.symbol('buf')).toMatchObject({ section: '.bss', value: 0x1008 });
  });
});

describe('relocatable assembly', () => {
  it('relocates external symbols (HI22, LO10, WDISP30, WDISP22, 32)', () => {
    const out = assemble('sethi %hi(ext+4), %o0\nor %o0, %lo(ext+4), %o0\ncall ext\nb ext\n.word ext - 8');
    expect(out.relocations.map((r) => [r.offset, r.type, r.symbol, r.addend])).toEqual([
      [0, 'R_SPARC_HI22', 'ext', 4], [4, 'R_SPARC_LO10', 'ext', 4], [8, 'R_SPARC_WDISP30', 'ext', 0],
      [12, 'R_SPARC_WDISP22', 'ext', 0], [16, 'R_SPARC_32', 'ext', -8],
    ]);
    expect(hex(out.words)).toEqual(['11000000', '90122000', '40000000', '10800000', '00000000']);
    expect(out.symbol('ext')).toMatchObject({ defined: false, section: null });
  });
  it('resolves branches to local labels, relocates against the section otherwise', () => {
    const out = assemble('b l\nnop\nl: sethi %hi(l), %o0\n.data\n.word l');
    expect(hex(out.words)).toEqual(['10800002', '01000000', '11000000']);
    expect(out.relocations.map((r) => [r.section, r.offset, r.type, r.symbol, r.addend])).toEqual([
      ['.text', 8, 'R_SPARC_HI22', '.text', 8], ['.data', 0, 'R_SPARC_32', '.text', 8],
    ]);
  });
});

describe('fixed-origin assembly (the splicer)', () => {
  it('resolves labels and given symbols to addresses', () => {
    const w = assembleWords('call kfn\n nop\nb back\nsethi %hi(kdata), %g1\nld [%g1 + %lo(kdata)], %g1', {
      origin: 0xf0004000, symbols: { kfn: 0xf0001000, back: 0xf0003ff0, kdata: 0xf0100010 },
    });
    expect(hex(w)).toEqual(['7ffff400', '01000000', '10bffffa', '033c0400', 'c2006010']);
  });
  it('accepts symbols as a Map and places other sections after .text', () => {
    const out = assemble('set v, %o0\n.data\nv: .word 5', { origin: 0x100, symbols: new Map() });
    expect(out.section('.data')!.address).toBe(0x108);
    expect(hex(out.words)).toEqual(['11000000', '90122108']);
  });
  it('assembles one instruction at an address (formatter round trip)', () => {
    expect(hex(assembleInstruction('call 0x40', 0x1000))).toEqual(['7ffffc10']);
    expect(hex(assembleInstruction('bne,a,pn %xcc, 0x2000', 0x1000, 'v9'))).toEqual(['32600400']);
  });
  it('reports undefined symbols', () => {
    const e = errorOf('call nowhere', { origin: 0 });
    expect(e).toMatchObject({ code: 'undefined-symbol', line: 1, column: 6 });
    expect(e.detail).toContain('options.symbols');
  });
});

describe('errors', () => {
  it('are typed, positioned, and all collected', () => {
    const e = errorOf('nop\n  mov %o0\n  frob %o1\n  add %o0, 5000, %o1\n  ld [%o0, %o1\n  .align 3\nx: nop\nx: nop');
    expect(e).toBeInstanceOf(AsmError);
    expect(e.all.map((x) => [x.code, x.line, x.column])).toEqual([
      ['operands', 2, 3], ['unknown-mnemonic', 3, 3], ['range', 4, 12], ['syntax', 5, 10], ['directive', 6, 3], ['duplicate-symbol', 8, 1],
    ]);
    expect(e.message).toContain('6 errors');
    expect(e.all[0]!.detail).toMatch(/expected: mov %reg, %reg \| mov simm13, %reg/);
    expect(e.all[1]!.detail).toContain("did you mean");
  });
  it('name the mode an instruction needs', () => {
    expect(errorOf('ldx [%o0], %o1').detail).toContain("mode 'v9'");
    expect(errorOf('bne %icc, .').code).toBe('mode');
  });
  it('reject out-of-reach branches and misaligned targets', () => {
    expect(errorOf('b 0x1000000', { origin: 0 }).code).toBe('range');
    expect(errorOf('b 0x1002', { origin: 0 }).code).toBe('alignment');
  });
  it('reject impossible expressions', () => {
    expect(errorOf('mov a + b, %o0').code).toBe('expression');
    expect(errorOf('mov 1 / 0, %o0').code).toBe('expression');
    expect(errorOf('.set a, a + 1\nmov a, %o0').code).toBe('expression');
    expect(errorOf('mov %lo(x) + 4, %o0').code).toBe('relocation');
  });
  it('handle lexical errors', () => {
    expect(errorOf('.ascii "abc').code).toBe('syntax');
    expect(errorOf('mov 09, %o0').code).toBe('syntax');
    expect(errorOf('nop ` nop').code).toBe('syntax');
  });
});
