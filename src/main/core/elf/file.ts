// parseElf: the whole reader in one call, and ElfFile, the parsed file with its look-up helpers.
import { readAttributes } from './attributes.ts';
import { BigEndianBytes } from './bytes.ts';
import { ET_DYN, ET_EXEC, PT_LOAD } from './constants.ts';
import { compileUnitRanges } from './dwarf.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import { readHeader, readSections, readSegments } from './headers.ts';
import { assignModules } from './modules.ts';
import { readRelocationSections } from './relocations.ts';
import { findSymbolTables, readSymbolTable } from './symbols.ts';
import type {
  ElfAttributes, ElfHeader, ElfModule, ElfRelocationSection, ElfSection, ElfSegment, ElfSymbol,
  ElfSymbolTable, ElfSymbolVersion, ElfVersionInfo,
} from './types.ts';
import { readVersionInfo, readVersionSymbols, symbolVersion } from './versions.ts';

/**
 * Reads an ELF32 big-endian file completely: headers, sections, segments, both symbol tables,
 * symbol versions, relocations, attributes and modules. Any inconsistency raises ElfError; the
 * reader never allocates more than a small multiple of the file's own size.
 */
export function parseElf(bytes: Uint8Array): ElfFile {
  const r = new BigEndianBytes(bytes);
  const header = readHeader(r);
  const sections = readSections(r, header);
  const segments = readSegments(r, header);
  const tables = findSymbolTables(sections);
  const versym = tables.dynsym === null ? null : readVersionSymbols(r, sections);
  const versions = readVersionInfo(r, sections);
  const symtab = tables.symtab === null ? null : readSymbolTable(r, sections, tables.symtab, null);
  const dynsym = tables.dynsym === null ? null : readSymbolTable(r, sections, tables.dynsym, versym);
  const relocationSections = readRelocationSections(r, header, sections, symtab, dynsym);
  const attributes = readAttributes(bytes, sections);
  const units = header.type === ET_EXEC || header.type === ET_DYN ? compileUnitRanges(bytes, sections) : [];
  const modules = assignModules(header.type, symtab, dynsym, units);
  return new ElfFile(bytes, header, sections, segments, symtab, dynsym, versions, relocationSections, attributes, modules);
}

/** Largest copy readAddress makes for ranges reaching into a zero-filled (.bss) tail. */
const MAX_ZERO_FILLED_COPY = 64 * 2 ** 20;

export class ElfFile {
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  readonly symtab: ElfSymbolTable | null;
  readonly dynsym: ElfSymbolTable | null;
  readonly versions: ElfVersionInfo | null;
  readonly relocationSections: readonly ElfRelocationSection[];
  readonly attributes: readonly ElfAttributes[];
  readonly modules: readonly ElfModule[];
  private readonly loads: readonly ElfSegment[];

  constructor(
    bytes: Uint8Array,
    header: ElfHeader,
    sections: readonly ElfSection[],
    segments: readonly ElfSegment[],
    symtab: ElfSymbolTable | null,
    dynsym: ElfSymbolTable | null,
    versions: ElfVersionInfo | null,
    relocationSections: readonly ElfRelocationSection[],
    attributes: readonly ElfAttributes[],
    modules: readonly ElfModule[],
  ) {
    this.bytes = bytes;
    this.header = header;
    this.sections = sections;
    this.segments = segments;
    this.symtab = symtab;
    this.dynsym = dynsym;
    this.versions = versions;
    this.relocationSections = relocationSections;
    this.attributes = attributes;
    this.modules = modules;
    this.loads = segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  }

  /** The first section with this name, or undefined. */
  sectionByName(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /**
   * The file bytes of a section, as a view (no copy). SHT_NOBITS and SHT_NULL sections have no
   * file bytes and give an empty array.
   */
  sectionBytes(section: ElfSection | number | string): Uint8Array {
    const s = this.resolveSection(section);
    if (!s.hasContents) return new Uint8Array(0);
    return this.bytes.subarray(s.offset, s.offset + s.size);
  }

  /** Symbols of .symtab, or of .dynsym when the file is stripped. */
  get symbols(): readonly ElfSymbol[] {
    return this.symtab?.symbols ?? this.dynsym?.symbols ?? [];
  }

  /** The version of a dynamic symbol (from .gnu.version), if the file is versioned. */
  symbolVersion(symbol: ElfSymbol): ElfSymbolVersion | undefined {
    return symbolVersion(this.versions, symbol);
  }

  /** The integer attribute `tag` of `vendor` (default "gnu"), e.g. Tag_GNU_Sparc_HWCAPS. */
  attribute(tag: number, vendor = 'gnu'): number | undefined {
    return this.attributes.find((a) => a.vendor === vendor)?.integers.get(tag);
  }

  /** The module of each function, by name: `modules` turned around. */
  functionModules(): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of this.modules) for (const f of m.functions) out.set(f.name, m.name);
    return out;
  }

  /** The section holding virtual address `addr` (allocated sections only; NOBITS included). */
  sectionAt(addr: number): ElfSection | undefined {
    let best: ElfSection | undefined;
    for (const s of this.sections) {
      if (!s.isAlloc || s.size === 0) continue;
      if (addr >= s.addr && addr < s.addr + s.size && (best === undefined || (!best.hasContents && s.hasContents))) best = s;
    }
    return best;
  }

  /**
   * The file offset holding virtual address `addr`, or null when no loadable segment (or, for
   * relocatable objects, no allocated section) has file bytes there.
   */
  addressToOffset(addr: number): number | null {
    if (this.loads.length > 0) {
      for (const seg of this.loads) {
        if (addr >= seg.vaddr && addr < seg.vaddr + seg.filesz) return seg.offset + (addr - seg.vaddr);
      }
      return null;
    }
    const s = this.sectionAt(addr);
    return s !== undefined && s.hasContents ? s.offset + (addr - s.addr) : null;
  }

  /**
   * `length` bytes of the memory image at `addr`: a view of the file when they are all file
   * bytes, a copy with zeros where they fall in a segment's zero-filled tail (.bss). Throws
   * UnmappedAddress when any byte is outside the image.
   */
  readAddress(addr: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(length) || addr < 0 || length < 0 || addr + length > 0x1_0000_0000) {
      throw new ElfError(ElfErrorCode.UnmappedAddress, `cannot read ${length} bytes at address ${addr}: outside the 32-bit address space`, {}, 'Give an address and length inside the program image');
    }
    const regions = this.loads.length > 0
      ? this.loads.map((s) => ({ start: s.vaddr, fileEnd: s.vaddr + s.filesz, end: s.vaddr + s.memsz, offset: s.offset }))
      : this.sections.filter((s) => s.isAlloc && s.size > 0).map((s) => ({ start: s.addr, fileEnd: s.hasContents ? s.addr + s.size : s.addr, end: s.addr + s.size, offset: s.offset }));
    const region = regions.find((g) => addr >= g.start && addr + length <= g.end);
    if (region === undefined) {
      throw new ElfError(
        ElfErrorCode.UnmappedAddress,
        `no ${this.loads.length > 0 ? 'loadable segment' : 'allocated section'} covers addresses 0x${addr.toString(16)}..0x${(addr + length).toString(16)}`,
        {},
        'Give an address inside the program image (see readelf -l for the segments)',
      );
    }
    if (addr + length <= region.fileEnd) {
      const at = region.offset + (addr - region.start);
      return this.bytes.subarray(at, at + length);
    }
    if (length > MAX_ZERO_FILLED_COPY) {
      throw new ElfError(
        ElfErrorCode.OutOfRange,
        `reading 0x${length.toString(16)} bytes at 0x${addr.toString(16)} would copy more than ${MAX_ZERO_FILLED_COPY / 2 ** 20} MiB of zero-filled memory`,
        {},
        'Read the zero-filled part (.bss) in smaller pieces',
      );
    }
    const out = new Uint8Array(length);
    if (addr < region.fileEnd) {
      const at = region.offset + (addr - region.start);
      out.set(this.bytes.subarray(at, at + (region.fileEnd - addr)));
    }
    return out;
  }

  private resolveSection(section: ElfSection | number | string): ElfSection {
    if (typeof section === 'object') return section;
    const s = typeof section === 'number' ? this.sections[section] : this.sectionByName(section);
    if (s === undefined) {
      throw new ElfError(
        ElfErrorCode.NotFound,
        `the file has no section ${typeof section === 'number' ? `[${section}]` : `named "${section}"`}`,
        {},
        'List the sections with readelf -S',
      );
    }
    return s;
  }
}
