// Unit tests of the ELF reader on the committed fixtures and on hand-built files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildElf, ByteWriter, symbolTable, words } from '../../../../test/support/elf-builder.ts';
import {
  ElfError, ElfErrorCode, EM_SPARC, EM_SPARC32PLUS, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_XINDEX,
  SHT_GNU_VERDEF, SHT_GNU_VERSYM, SHT_DYNSYM, SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
  STB_GLOBAL, STB_LOCAL, STT_FILE, STT_FUNC, STT_OBJECT, parseElf, sparcRelocationName,
} from './index.ts';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../../../../test/fixtures/elf/bin/${name}`, import.meta.url));

function elfError(fn: () => unknown): ElfError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ElfError) return e;
    throw e;
  }
  throw new Error('expected an ElfError');
}

describe('parseElf on compiled fixtures', () => {
  it('reads a relocatable V8 object: sections, symbols, relocations, module', () => {
    const elf = parseElf(fixture('sort-O0-v8.o'));
    expect(elf.header.machine).toBe(EM_SPARC);
    expect(elf.header.typeName).toBe('REL');
    expect(elf.sectionByName('.text')?.isExecutable).toBe(true);
    const names = elf.symbols.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['sort.c', 'swap', 'bubble', 'checksum', 'sort_demo', 'scratch']));
    const swap = elf.symbols.find((s) => s.name === 'swap')!;
    expect(swap.typeName).toBe('FUNC');
    expect(swap.bindName).toBe('LOCAL');
    expect(swap.section?.name).toBe('.text');
    expect(elf.modules.map((m) => m.name)).toEqual(['sort']);
    expect(elf.modules[0]!.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['swap', 'bubble', 'checksum', 'sort_demo']));
    expect(elf.functionModules().get('bubble')).toBe('sort');
    const rela = elf.relocationSections.find((r) => r.section.name === '.rela.text')!;
    expect(rela.kind).toBe('rela');
    expect(rela.target?.name).toBe('.text');
    const call = rela.relocations.find((r) => r.symbol?.name === 'swap' || r.symbol?.name === 'bubble');
    expect(call?.typeName).toMatch(/^R_SPARC_/);
    expect(rela.relocations.some((r) => r.typeName === 'R_SPARC_WPLT30' || r.typeName === 'R_SPARC_WDISP30')).toBe(true);
  });

  it('reads a V8+ object (EM_SPARC32PLUS, e_flags 0x100)', () => {
    const elf = parseElf(fixture('sort-Os-v9.o'));
    expect(elf.header.machine).toBe(EM_SPARC32PLUS);
    expect(elf.header.flags & 0x100).toBe(0x100);
  });

  it('maps addresses of a linked image, zero-fills .bss and groups modules', () => {
    const elf = parseElf(fixture('tiny-v8.elf'));
    expect(elf.header.typeName).toBe('EXEC');
    const text = elf.sectionByName('.text')!;
    const start = elf.symbols.find((s) => s.name === '_start')!;
    expect(start.value).toBe(elf.header.entry);
    expect(elf.readAddress(start.value, 4)).toEqual(elf.sectionBytes(text).subarray(start.value - text.addr, start.value - text.addr + 4));
    expect(elf.addressToOffset(text.addr)).toBe(text.offset);
    expect(elf.sectionAt(start.value)?.name).toBe('.text');
    const bss = elf.sectionByName('.bss')!;
    expect(elf.readAddress(bss.addr, 16)).toEqual(new Uint8Array(16));
    expect(elf.sectionBytes(bss).length).toBe(0);
    expect(elfError(() => elf.readAddress(0x10, 4)).code).toBe(ElfErrorCode.UnmappedAddress);
    const byName = new Map(elf.modules.map((m) => [m.name, m]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['main', 'sort', 'util']));
    expect(byName.get('main')!.symbols.map((s) => s.name)).toContain('buffer');
    const table = elf.symbols.find((s) => s.name === 'table')!;
    expect(table.moduleSource).toBe('file-symbol');
    const after = elf.symbols.find((s) => s.name === 'after_table')!;
    expect(after.moduleSource).toBe('span');
  });

  it('takes modules of globals from DWARF compile units when the image has them', () => {
    const elf = parseElf(fixture('tiny-g-v8.elf'));
    const of = (name: string) => elf.symbols.find((s) => s.name === name)!;
    for (const [fn, module] of [['main', 'main'], ['bubble', 'sort'], ['checksum', 'sort'], ['sort_demo', 'sort'], ['format_hex', 'util'], ['mul64', 'util']] as const) {
      expect([fn, of(fn).module, of(fn).moduleSource]).toEqual([fn, module, 'debug-info']);
    }
    expect(elf.functionModules().get('average')).toBe('util');
    // Without DWARF the same globals have no local symbol nearby in .text: no module.
    expect(parseElf(fixture('tiny-v8.elf')).symbols.find((s) => s.name === 'bubble')!.module).toBeNull();
  });

  it('names SPARC relocations', () => {
    expect(sparcRelocationName(7)).toBe('R_SPARC_WDISP30');
    expect(sparcRelocationName(21)).toBe('R_SPARC_JMP_SLOT');
    expect(sparcRelocationName(88)).toBe('R_SPARC_WDISP10');
    expect(sparcRelocationName(249)).toBe('R_SPARC_IRELATIVE');
    expect(sparcRelocationName(200)).toBe('R_SPARC_<200>');
  });
});

describe('parseElf on built files', () => {
  const basic = () => {
    const { symtab, strtab } = symbolTable([
      { name: 'a.c', value: 0, bind: STB_LOCAL, type: STT_FILE, shndx: 0xfff1 },
      { name: 'helper', value: 0x1000, size: 8, bind: STB_LOCAL, type: STT_FUNC, shndx: 1 },
      { name: 'main', value: 0x1008, size: 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: 1 },
      { name: 'counter', value: 0x2000, size: 4, bind: STB_GLOBAL, type: STT_OBJECT, shndx: 2 },
    ]);
    return [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: 0x1000, data: words(0x81c3e008, 0x01000000, 0x81c3e008, 0x01000000) },
      { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addr: 0x2000, size: 16 },
      { name: '.symtab', type: SHT_SYMTAB, data: symtab, link: 4, info: 3, entsize: 16 },
      { name: '.strtab', type: SHT_STRTAB, data: strtab, align: 1 },
    ];
  };

  it('reads a minimal executable and assigns globals by span', () => {
    const elf = parseElf(buildElf({ sections: basic() }));
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.bss', '.symtab', '.strtab', '.shstrtab']);
    const main = elf.symbols.find((s) => s.name === 'main')!;
    expect(main.module).toBe('a');
    expect(main.moduleSource).toBe('nearest-preceding');
    expect(elf.readAddress(0x1004, 4)).toEqual(words(0x01000000));
  });

  it('resolves extended section numbering (e_shnum = 0, e_shstrndx = SHN_XINDEX)', () => {
    const elf = parseElf(buildElf({ sections: basic(), extendedNumbering: true }));
    expect(elf.header.shnum).toBe(6);
    expect(elf.header.shstrndx).toBe(5);
    expect(elf.sectionByName('.text')?.index).toBe(1);
  });

  it('resolves SHN_XINDEX symbols through SHT_SYMTAB_SHNDX', () => {
    const { symtab, strtab } = symbolTable([{ name: 'far', value: 0x1000, bind: STB_GLOBAL, type: STT_FUNC, shndx: SHN_XINDEX }]);
    const shndx = new ByteWriter().u32(0).u32(1).done();
    const elf = parseElf(buildElf({
      sections: [
        basic()[0]!,
        { name: '.symtab', type: SHT_SYMTAB, data: symtab, link: 3, info: 1, entsize: 16 },
        { name: '.strtab', type: SHT_STRTAB, data: strtab, align: 1 },
        { name: '.symtab_shndx', type: SHT_SYMTAB_SHNDX, data: shndx, link: 2, entsize: 4 },
      ],
    }));
    expect(elf.symbols[0]!.section?.name).toBe('.text');
    expect(elf.symbols[0]!.shndx).toBe(1);
  });

  it('reads program headers', () => {
    const elf = parseElf(buildElf({
      sections: basic(),
      segments: (o) => [{ type: PT_LOAD, offset: o.get('.text') ?? 0, vaddr: 0x1000, filesz: 16, memsz: 16 }],
    }));
    expect(elf.segments).toHaveLength(1);
    expect(elf.addressToOffset(0x1004)).toBe(elf.sectionByName('.text')!.offset + 4);
  });

  it('accepts a bss-only segment whose file offset lies past the end of the file', () => {
    // ld gives a PT_LOAD with p_filesz 0 an aligned p_offset that may be beyond EOF: no file bytes are claimed.
    const elf = parseElf(buildElf({
      sections: basic(),
      segments: (o) => [
        { type: PT_LOAD, offset: o.get('.text') ?? 0, vaddr: 0x1000, filesz: 16, memsz: 16 },
        { type: PT_LOAD, offset: 0x10000, vaddr: 0x20000, filesz: 0, memsz: 0x100 },
      ],
    }));
    expect(elf.segments.map((s) => s.filesz)).toEqual([16, 0]);
    expect([...elf.readAddress(0x20010, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('refuses what is not 32-bit big-endian ELF', () => {
    expect(elfError(() => parseElf(new Uint8Array([1, 2, 3]))).code).toBe(ElfErrorCode.NotElf);
    const good = buildElf({ sections: basic() });
    const c64 = good.slice();
    c64[4] = 2;
    expect(elfError(() => parseElf(c64)).code).toBe(ElfErrorCode.WrongClass);
    const le = good.slice();
    le[5] = 1;
    const e = elfError(() => parseElf(le));
    expect(e.code).toBe(ElfErrorCode.WrongEndianness);
    expect(e.message).toMatch(/little-endian/);
    expect(elfError(() => parseElf(good.subarray(0, 30))).code).toBe(ElfErrorCode.Truncated);
  });

  it('refuses bad string indices, overlaps, absurd counts and out-of-range sections', () => {
    const good = buildElf({ sections: basic() });
    const view = new DataView(good.buffer);
    const shoff = view.getUint32(32);
    const badName = good.slice();
    new DataView(badName.buffer).setUint32(shoff + 40, 0xfffff);
    const e = elfError(() => parseElf(badName));
    expect(e.code).toBe(ElfErrorCode.BadString);
    expect(e.section).toBe(5);
    const overlap = good.slice();
    new DataView(overlap.buffer).setUint32(shoff + 2 * 40 + 16, view.getUint32(shoff + 40 + 16)); // .bss is NOBITS: use .symtab
    new DataView(overlap.buffer).setUint32(shoff + 3 * 40 + 16, view.getUint32(shoff + 40 + 16));
    expect(elfError(() => parseElf(overlap)).code).toBe(ElfErrorCode.Overlap);
    const absurd = good.slice();
    new DataView(absurd.buffer).setUint16(48, 0xfff0);
    expect(elfError(() => parseElf(absurd)).code).toBe(ElfErrorCode.AbsurdCount);
    const far = good.slice();
    new DataView(far.buffer).setUint32(shoff + 40 + 20, 0x7fffffff);
    expect(elfError(() => parseElf(far)).code).toBe(ElfErrorCode.OutOfRange);
  });

  it('reads version definitions and refuses a chain that leaves its section', () => {
    const dynstr = new ByteWriter().u8(0).raw(new TextEncoder().encode('V1\0V2\0')).done();
    const verdef = (next: number) =>
      new ByteWriter().u16(1).u16(0).u16(2).u16(1).u32(0).u32(20).u32(next).u32(1).u32(0)
        .u16(1).u16(0).u16(3).u16(1).u32(0).u32(20).u32(0).u32(4).u32(0).done();
    const dynsym = symbolTable([]).symtab;
    const sections = (vd: Uint8Array) => [
      { name: '.dynsym', type: SHT_DYNSYM, flags: SHF_ALLOC, data: dynsym, link: 2, info: 1, entsize: 16 },
      { name: '.dynstr', type: SHT_STRTAB, flags: SHF_ALLOC, data: dynstr, align: 1 },
      { name: '.gnu.version', type: SHT_GNU_VERSYM, flags: SHF_ALLOC, data: new ByteWriter().u16(0).done(), link: 1, entsize: 2, align: 2 },
      { name: '.gnu.version_d', type: SHT_GNU_VERDEF, flags: SHF_ALLOC, data: vd, link: 2, info: 2 },
    ];
    const ok = parseElf(buildElf({ type: 3, sections: sections(verdef(28)) }));
    expect(ok.versions?.definitions.map((d) => [d.index, d.names])).toEqual([[2, ['V1']], [3, ['V2']]]);
    const e = elfError(() => parseElf(buildElf({ type: 3, sections: sections(verdef(0x7ffffff0)) })));
    expect(e.code).toBe(ElfErrorCode.OutOfRange);
    expect(e.section).toBe(4);
  });
});
