// Reads and checks the ELF header, the section header table and the program header table.
import { type BigEndianBytes, StringTable } from './bytes.ts';
import {
  PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHN_LORESERVE, SHN_XINDEX, SHT_NOBITS, SHT_NULL, SHT_STRTAB,
  fileTypeName, sectionTypeName, segmentTypeName,
} from './constants.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import type { ElfHeader, ElfSection, ElfSegment } from './types.ts';

const EHDR_SIZE = 52;
const SHDR_SIZE = 40;
const PHDR_SIZE = 32;
const PN_XNUM = 0xffff;

export function readHeader(r: BigEndianBytes): ElfHeader {
  const b = r.bytes;
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    throw new ElfError(
      ElfErrorCode.NotElf,
      'not an ELF file: it does not start with the bytes 7f 45 4c 46 ("\\x7fELF")',
      { offset: 0 },
      'Give the path of a SPARC ELF object, executable or shared library',
    );
  }
  r.need(0, 16, 'the ELF identification (e_ident)');
  const elfClass = b[4]!;
  if (elfClass !== 1) {
    throw new ElfError(
      ElfErrorCode.WrongClass,
      elfClass === 2
        ? 'this is a 64-bit ELF file (ELFCLASS64); Springboard reads 32-bit SPARC ELF only'
        : `unknown ELF class ${elfClass} in e_ident[EI_CLASS]`,
      { offset: 4 },
      'Build the program with -m32 (sparc64-linux-gnu-gcc -m32 -mcpu=v8) or give a 32-bit file',
    );
  }
  const data = b[5]!;
  if (data !== 2) {
    throw new ElfError(
      ElfErrorCode.WrongEndianness,
      data === 1
        ? 'this is a little-endian ELF file (ELFDATA2LSB); SPARC files are big-endian'
        : `unknown data encoding ${data} in e_ident[EI_DATA]`,
      { offset: 5 },
      'Give a big-endian SPARC file',
    );
  }
  if (b[6] !== 1) {
    throw new ElfError(ElfErrorCode.BadVersion, `ELF identification version is ${b[6]}, not 1 (EV_CURRENT)`, { offset: 6 });
  }
  r.need(0, EHDR_SIZE, 'the ELF header');
  const type = r.u16(16);
  const phoff = r.u32(28);
  const shoff = r.u32(32);
  const phentsize = r.u16(42);
  let phnum = r.u16(44);
  const shentsize = r.u16(46);
  let shnum = r.u16(48);
  let shstrndx = r.u16(50);

  if (shoff !== 0) {
    if (shentsize !== SHDR_SIZE) {
      throw new ElfError(ElfErrorCode.BadHeader, `e_shentsize is ${shentsize}; ELF32 section headers are ${SHDR_SIZE} bytes`, { offset: 46 });
    }
    r.need(shoff, SHDR_SIZE, 'section header 0 (e_shoff)');
    // Extended numbering (gABI): the real counts live in section header 0.
    if (shnum === 0) shnum = r.u32(shoff + 20);
    if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + 24);
    if (phnum === PN_XNUM) phnum = r.u32(shoff + 28);
  } else {
    shnum = 0;
    shstrndx = 0;
  }
  if (phnum !== 0 && phentsize !== PHDR_SIZE) {
    throw new ElfError(ElfErrorCode.BadHeader, `e_phentsize is ${phentsize}; ELF32 program headers are ${PHDR_SIZE} bytes`, { offset: 42 });
  }
  checkTable(r, shoff, shnum, SHDR_SIZE, 'section header table', 'e_shnum');
  checkTable(r, phoff, phnum, PHDR_SIZE, 'program header table', 'e_phnum');
  if (shstrndx !== 0 && shstrndx >= shnum) {
    throw new ElfError(
      ElfErrorCode.BadSectionIndex,
      `e_shstrndx is ${shstrndx} but there are only ${shnum} sections`,
      { offset: 50 },
    );
  }
  return {
    elfClass: 1,
    dataEncoding: 2,
    identVersion: b[6]!,
    osAbi: b[7]!,
    abiVersion: b[8]!,
    type,
    typeName: fileTypeName(type),
    machine: r.u16(18),
    version: r.u32(20),
    entry: r.u32(24),
    phoff,
    shoff,
    flags: r.u32(36),
    ehsize: r.u16(40),
    phentsize,
    phnum,
    shentsize,
    shnum,
    shstrndx,
  };
}

function checkTable(r: BigEndianBytes, offset: number, count: number, entry: number, what: string, field: string): void {
  if (count === 0) return;
  if (count * entry > r.length) {
    throw new ElfError(
      ElfErrorCode.AbsurdCount,
      `${field} says ${count} entries (0x${(count * entry).toString(16)} bytes) but the whole file is 0x${r.length.toString(16)} bytes`,
      { offset },
    );
  }
  r.need(offset, count * entry, `the ${what} (${count} entries)`);
}

export function readSections(r: BigEndianBytes, h: ElfHeader): ElfSection[] {
  const raw: { nameOffset: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; info: number; addralign: number; entsize: number }[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * SHDR_SIZE;
    raw.push({
      nameOffset: r.u32(o),
      type: r.u32(o + 4),
      flags: r.u32(o + 8),
      addr: r.u32(o + 12),
      offset: r.u32(o + 16),
      size: r.u32(o + 20),
      link: r.u32(o + 24),
      info: r.u32(o + 28),
      addralign: r.u32(o + 32),
      entsize: r.u32(o + 36),
    });
  }
  // Contents must lie inside the file before anything is read from them.
  for (let i = 1; i < raw.length; i++) {
    const s = raw[i]!;
    if (s.type === SHT_NULL || s.type === SHT_NOBITS) continue;
    if (s.offset + s.size > r.length) {
      throw new ElfError(
        ElfErrorCode.OutOfRange,
        `section [${i}] claims file bytes 0x${s.offset.toString(16)}..0x${(s.offset + s.size).toString(16)} beyond the end of the file (0x${r.length.toString(16)})`,
        { section: i, offset: h.shoff + i * SHDR_SIZE + 16 },
      );
    }
    if ((s.flags & SHF_ALLOC) !== 0 && s.addr + s.size > 0x1_0000_0000) {
      throw new ElfError(
        ElfErrorCode.OutOfRange,
        `section [${i}] at address 0x${s.addr.toString(16)} with size 0x${s.size.toString(16)} wraps past the 32-bit address space`,
        { section: i, offset: h.shoff + i * SHDR_SIZE + 12 },
      );
    }
  }
  let names: StringTable | null = null;
  if (h.shstrndx !== 0) {
    const s = raw[h.shstrndx]!;
    if (s.type !== SHT_STRTAB) {
      throw new ElfError(
        ElfErrorCode.BadSectionIndex,
        `e_shstrndx names section [${h.shstrndx}] of type ${sectionTypeName(s.type)}, not a string table`,
        { section: h.shstrndx, offset: 50 },
      );
    }
    names = new StringTable(r.bytes, s.offset, s.size, h.shstrndx);
  }
  const sections = raw.map((s, index): ElfSection => ({
    index,
    name: names !== null && index !== 0 ? names.get(s.nameOffset, `the name of section [${index}]`) : '',
    ...s,
    typeName: sectionTypeName(s.type),
    hasContents: index !== 0 && s.type !== SHT_NULL && s.type !== SHT_NOBITS,
    isAlloc: (s.flags & SHF_ALLOC) !== 0,
    isExecutable: (s.flags & SHF_EXECINSTR) !== 0,
  }));
  checkSectionOverlaps(sections, h);
  return sections;
}

/** Two sections sharing file bytes, or a section over a header table, is a damaged file. */
function checkSectionOverlaps(sections: readonly ElfSection[], h: ElfHeader): void {
  const ranges: { start: number; end: number; what: string; section?: number }[] = [
    { start: 0, end: EHDR_SIZE, what: 'the ELF header' },
  ];
  if (h.shnum > 0) ranges.push({ start: h.shoff, end: h.shoff + h.shnum * SHDR_SIZE, what: 'the section header table' });
  if (h.phnum > 0) ranges.push({ start: h.phoff, end: h.phoff + h.phnum * PHDR_SIZE, what: 'the program header table' });
  for (const s of sections) {
    if (s.hasContents && s.size > 0) ranges.push({ start: s.offset, end: s.offset + s.size, what: `section [${s.index}] ${s.name}`, section: s.index });
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ranges.length; i++) {
    const a = ranges[i - 1]!;
    const b = ranges[i]!;
    // The program header table normally sits inside no section; the headers themselves may touch.
    if (b.start < a.end && !(a.section === undefined && b.section === undefined)) {
      throw new ElfError(
        ElfErrorCode.Overlap,
        `${b.what} (file bytes 0x${b.start.toString(16)}..0x${b.end.toString(16)}) overlaps ${a.what} (0x${a.start.toString(16)}..0x${a.end.toString(16)})`,
        { section: b.section ?? a.section, offset: b.start },
      );
    }
  }
}

export function readSegments(r: BigEndianBytes, h: ElfHeader): ElfSegment[] {
  const segments: ElfSegment[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * PHDR_SIZE;
    const type = r.u32(o);
    const seg: ElfSegment = {
      index: i,
      type,
      typeName: segmentTypeName(type),
      offset: r.u32(o + 4),
      vaddr: r.u32(o + 8),
      paddr: r.u32(o + 12),
      filesz: r.u32(o + 16),
      memsz: r.u32(o + 20),
      flags: r.u32(o + 24),
      align: r.u32(o + 28),
    };
    // A segment with no file bytes (bss only) claims nothing: ld may put its aligned p_offset past EOF.
    if (seg.filesz > 0 && seg.offset + seg.filesz > r.length) {
      throw new ElfError(
        ElfErrorCode.OutOfRange,
        `program header ${i} (${seg.typeName}) claims file bytes 0x${seg.offset.toString(16)}..0x${(seg.offset + seg.filesz).toString(16)} beyond the end of the file (0x${r.length.toString(16)})`,
        { offset: o + 4 },
      );
    }
    if (type === PT_LOAD) {
      if (seg.filesz > seg.memsz) {
        throw new ElfError(
          ElfErrorCode.BadHeader,
          `loadable program header ${i} has p_filesz 0x${seg.filesz.toString(16)} larger than p_memsz 0x${seg.memsz.toString(16)}`,
          { offset: o + 16 },
        );
      }
      if (seg.vaddr + seg.memsz > 0x1_0000_0000) {
        throw new ElfError(
          ElfErrorCode.OutOfRange,
          `loadable program header ${i} at 0x${seg.vaddr.toString(16)} with p_memsz 0x${seg.memsz.toString(16)} wraps past the 32-bit address space`,
          { offset: o + 8 },
        );
      }
    }
    segments.push(seg);
  }
  const loads = segments.filter((s) => s.type === PT_LOAD && s.memsz > 0).sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < loads.length; i++) {
    const a = loads[i - 1]!;
    const b = loads[i]!;
    if (b.vaddr < a.vaddr + a.memsz) {
      throw new ElfError(
        ElfErrorCode.Overlap,
        `loadable program headers ${a.index} (0x${a.vaddr.toString(16)}..0x${(a.vaddr + a.memsz).toString(16)}) and ${b.index} (from 0x${b.vaddr.toString(16)}) overlap in memory`,
        { offset: h.phoff + b.index * PHDR_SIZE + 8 },
      );
    }
  }
  return segments;
}

/** Checks a section index taken from a header field; 0 is allowed when `allowZero`. */
export function checkSectionIndex(sections: readonly ElfSection[], index: number, user: string, where: { section?: number; offset?: number }, allowZero: boolean): ElfSection | null {
  if (index === 0 && allowZero) return null;
  if (index === 0 || index >= sections.length || index >= SHN_LORESERVE) {
    throw new ElfError(ElfErrorCode.BadSectionIndex, `${user} is ${index}, which names no section (there are ${sections.length})`, where);
  }
  return sections[index]!;
}

export { SHDR_SIZE, PHDR_SIZE, EHDR_SIZE };
