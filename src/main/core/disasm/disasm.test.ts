// Unit tests of the listing: checked-in objdump output for the fixtures, and hand-built corner cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildElf, symbolTable, words } from '../../../../test/support/elf-builder.ts';
import { oracleFormatter } from '../../../../test/support/objdump-text.ts';
import { parseElf, SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FUNC, STT_NOTYPE, STT_OBJECT } from '../elf/index.ts';
import {
  decoderMode, disassembleToString, listingSymbolNames, sparcFormatter, sparcMachine, type InstructionFormatter, type ListingOptions,
} from './index.ts';

const root = new URL('../../../../test/', import.meta.url);
const fixture = (name: string) => parseElf(readFileSync(new URL(`fixtures/elf/bin/${name}`, root)));
const golden = (name: string) => readFileSync(new URL(`golden/disasm/${name}`, root), 'utf8');
const collapse = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).join('\n');

describe('listing of the fixtures against checked-in objdump output', () => {
  const cases: [string, string, Partial<ListingOptions>][] = [
    ['pad-v8.o', 'pad-v8.o.objdump-d.txt', {}],
    ['sort-O0-v8.o', 'sort-O0-v8.o.objdump-d.txt', {}],
    ['sort-Os-v9.o', 'sort-Os-v9.o.objdump-d.txt', {}],
    ['util-O2-v8.o', 'util-O2-v8.o.objdump-d.txt', {}],
    ['tiny-v8.elf', 'tiny-v8.elf.objdump-d.txt', {}],
    ['tiny-g-v8.elf', 'tiny-g-v8.elf.objdump-d.txt', {}],
    ['pad-v8.o', 'pad-v8.o.function-odd1.txt', { function: 'odd1' }],
    ['tiny-v8.elf', 'tiny-v8.elf.range.txt', { start: 0x100b8, stop: 0x10200 }],
  ];
  for (const [file, expected, options] of cases) {
    it(`${file} ${JSON.stringify(options)}: structure exact, text equal after collapsing spaces`, () => {
      const elf = fixture(file);
      const reference = golden(expected);
      const base = { fileName: `bin/${file}`, ...options };
      // Instruction text from objdump itself: everything else (labels, skips, targets) must be exact.
      expect(disassembleToString(elf, { ...base, formatter: oracleFormatter(golden(`${file}.objdump-d.txt`)) })).toBe(reference);
      expect(collapse(disassembleToString(elf, { ...base, formatter: sparcFormatter(elf) }))).toBe(collapse(reference));
    });
  }

  it('picks the decoder mode as binutils picks the machine', () => {
    expect(decoderMode(fixture('sort-O0-v8.o'))).toBe('v8');
    expect(sparcMachine(fixture('sort-Os-v9.o'))).toBe('sparc:v8plus');
    expect(decoderMode(fixture('sort-Os-v9.o'))).toBe('v9');
  });

  it('lists the names --function accepts', () => {
    const names = listingSymbolNames(fixture('pad-v8.o'));
    expect([...names].sort()).toEqual(['after_table', 'local_label', 'odd1', 'odd2', 'odd2_alias', 'padded', 'table', 'tail']);
  });
});

/** Prints every word as ".word 0x…" (calls with their target), and knows call/branch delays. */
const simple: InstructionFormatter = {
  format(data, offset, address, printAddress) {
    const w = ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
    if (w >>> 30 === 1) return `call  ${printAddress(address + ((w << 2) | 0))}`;
    return `.word 0x${w.toString(16)}`;
  },
  isDelayed: (w) => w >>> 30 === 1,
};

function image(symbols: Parameters<typeof symbolTable>[0], text: Uint8Array, type = 2) {
  const { symtab, strtab } = symbolTable(symbols);
  const firstGlobal = 1 + symbols.filter((s) => s.bind === STB_LOCAL).length;
  return parseElf(buildElf({
    type,
    sections: [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: type === 1 ? 0 : 0x10000, data: text },
      { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC, addr: type === 1 ? 0 : 0x20000, size: 8 },
      { name: '.symtab', type: SHT_SYMTAB, data: symtab, link: 4, info: firstGlobal, entsize: 16 },
      { name: '.strtab', type: SHT_STRTAB, data: strtab, align: 1 },
    ],
  }));
}

const bodyOf = (listing: string) => listing.split('\n').slice(6).join('\n');

describe('objdump rules on built files', () => {
  it('labels an address with the preferred symbol: function, global, larger, no leading dot', () => {
    const elf = image([
      { name: 'local_fn', value: 0x10000, size: 8, bind: STB_LOCAL, type: STT_FUNC, shndx: 1 },
      { name: 'weak_fn', value: 0x10000, size: 8, bind: STB_WEAK, type: STT_FUNC, shndx: 1 },
      { name: 'global_fn', value: 0x10000, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: 'global_obj', value: 0x10000, size: 64, bind: STB_GLOBAL, type: STT_OBJECT, shndx: 1 },
      { name: 'big_fn', value: 0x10004, size: 32, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: 'small_fn', value: 0x10004, size: 4, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: '.dotted', value: 0x10008, size: 4, bind: STB_GLOBAL, type: STT_NOTYPE, shndx: 1 },
      { name: 'plain', value: 0x10008, size: 4, bind: STB_GLOBAL, type: STT_NOTYPE, shndx: 1 },
    ], words(0x01000000, 0x01000000, 0x01000000, 0x7ffffffd));
    expect(bodyOf(disassembleToString(elf, { formatter: simple }))).toBe(
      [
        '00010000 <global_fn>:',
        '   10000:\t01 00 00 00 \t.word 0x1000000',
        '',
        '00010004 <big_fn>:',
        '   10004:\t01 00 00 00 \t.word 0x1000000',
        '',
        '00010008 <plain>:',
        '   10008:\t01 00 00 00 \t.word 0x1000000',
        '   1000c:\t7f ff ff fd \tcall  10000 <global_fn>',
        '',
      ].join('\n'),
    );
  });

  it('skips runs of zeros, but not in a delay slot, and shows short tails', () => {
    const elf = image(
      [{ name: 'f', value: 0x10000, size: 48, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 }],
      words(0x01000000, 0, 0x01000000, 0, 0, 0x40000000, 0, 0, 0, 0x01000000, 0, 0),
    );
    expect(bodyOf(disassembleToString(elf, { formatter: simple }))).toBe(
      [
        '00010000 <f>:',
        '   10000:\t01 00 00 00 \t.word 0x1000000',
        '   10004:\t00 00 00 00 \t.word 0x0',
        '   10008:\t01 00 00 00 \t.word 0x1000000',
        '\t...',
        '   10014:\t40 00 00 00 \tcall  10014 <f+0x14>',
        '   10018:\t00 00 00 00 \t.word 0x0',
        '\t...',
        '   10024:\t01 00 00 00 \t.word 0x1000000',
        '\t...',
        '',
      ].join('\n'),
    );
  });

  it('dumps object symbols in .text as bytes, and says when fewer than 4 bytes remain', () => {
    const text = new Uint8Array([0x01, 0, 0, 0, 0x41, 0x42, 0x43, 0x0a, 0x11, 0x22, 0, 0, 0x01, 0, 0, 0, 0x7f, 0x7f]);
    const elf = image([
      { name: 'code', value: 0x10000, size: 4, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: 'table', value: 0x10004, size: 6, bind: STB_GLOBAL, type: STT_OBJECT, shndx: 1 },
      { name: 'odd', value: 0x1000a, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
    ], text);
    expect(bodyOf(disassembleToString(elf, { formatter: simple }))).toBe(
      [
        '00010000 <code>:',
        '   10000:\t01 00 00 00 \t.word 0x1000000',
        '',
        '00010004 <table>:',
        '   10004:\t41 42 43 0a 11 22 ' + ' '.repeat(30) + '    ABC.."',
        '',
        '0001000a <odd>:',
        '   1000a:\t00 00 01 00 \t.word 0x100',
        '   1000e:\t00 00 7f 7f \t.word 0x7f7f',
        '',
      ].join('\n'),
    );
    const cut = image([{ name: 'odd', value: 0x10000, size: 6, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 }], new Uint8Array([1, 0, 0, 0, 0x12, 0x34]));
    expect(bodyOf(disassembleToString(cut, { formatter: simple }))).toBe(
      ['00010000 <odd>:', '   10000:\t01 00 00 00 \t.word 0x1000000', '   10004:\tAddress 0x10004 is out of bounds.', '', ''].join('\n'),
    );
  });

  it('names targets by the nearest preceding symbol, or the section when there is none', () => {
    const elf = image([{ name: 'late', value: 0x10008, size: 4, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 }], words(0x40000001, 0x01000000, 0x01000000, 0x7ffffffb));
    const body = bodyOf(disassembleToString(elf, { formatter: simple }));
    expect(body).toContain('00010000 <late-0x8>:');
    expect(body).toContain('   10000:\t40 00 00 01 \tcall  10004 <late-0x4>');
    expect(body).toContain('   1000c:\t7f ff ff fb \tcall  fff8 <late-0x10>');
    const bare = parseElf(buildElf({ sections: [{ name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: 0x400, data: words(0x40000002) }] }));
    expect(bodyOf(disassembleToString(bare, { formatter: simple }))).toBe(
      ['00000400 <.text>:', ' 400:\t40 00 00 02 \tcall  0x408', ''].join('\n'),
    );
  });

  it('limits the listing to one function or an address range', () => {
    const elf = image([
      { name: 'a', value: 0x10000, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: 'b', value: 0x10008, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
    ], words(0x01000000, 0x01000001, 0x01000002, 0x01000003));
    expect(bodyOf(disassembleToString(elf, { formatter: simple, function: 'b' }))).toBe(
      ['00010008 <b>:', '   10008:\t01 00 00 02 \t.word 0x1000002', '   1000c:\t01 00 00 03 \t.word 0x1000003', ''].join('\n'),
    );
    expect(bodyOf(disassembleToString(elf, { formatter: simple, start: 0x10004, stop: 0x1000c }))).toBe(
      ['00010004 <a+0x4>:', '   10004:\t01 00 00 01 \t.word 0x1000001', '', '00010008 <b>:', '   10008:\t01 00 00 02 \t.word 0x1000002', ''].join('\n'),
    );
  });

  it('prefers symbols of the section being disassembled in relocatable objects', () => {
    const elf = image([
      { name: 'in_bss', value: 0, size: 4, bind: STB_GLOBAL, type: STT_OBJECT, shndx: 2 },
      { name: 'in_text', value: 0, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
    ], words(0x40000001, 0x01000000), 1);
    expect(bodyOf(disassembleToString(elf, { formatter: simple }))).toBe(
      ['00000000 <in_text>:', '   0:\t40 00 00 01 \tcall  4 <in_text+0x4>', '   4:\t01 00 00 00 \t.word 0x1000000', ''].join('\n'),
    );
  });
});
