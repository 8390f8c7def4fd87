// Reads .symtab and .dynsym (with SHT_SYMTAB_SHNDX extended indices and .gnu.version entries).
import { type BigEndianBytes, StringTable } from './bytes.ts';
import {
  SHN_LORESERVE, SHN_XINDEX, SHT_DYNSYM, SHT_STRTAB, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
  sectionTypeName, symbolBindName, symbolTypeName, symbolVisibilityName,
} from './constants.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import { checkSectionIndex } from './headers.ts';
import type { ElfSection, ElfSymbol, ElfSymbolTable, SymbolTableKind } from './types.ts';

const SYM_SIZE = 16;

/** Finds the one section of `type`; a second one is an error (binutils refuses it too). */
export function singleSection(sections: readonly ElfSection[], type: number): ElfSection | null {
  let found: ElfSection | null = null;
  for (const s of sections) {
    if (s.type !== type) continue;
    if (found !== null) {
      throw new ElfError(
        ElfErrorCode.BadHeader,
        `sections [${found.index}] and [${s.index}] are both of type ${sectionTypeName(type)}; a file has at most one`,
        { section: s.index },
      );
    }
    found = s;
  }
  return found;
}

export function readSymbolTable(
  r: BigEndianBytes,
  sections: readonly ElfSection[],
  section: ElfSection,
  versions: Uint16Array | null,
): ElfSymbolTable {
  const kind: SymbolTableKind = section.type === SHT_DYNSYM ? 'dynsym' : 'symtab';
  if (section.entsize !== SYM_SIZE) {
    throw new ElfError(
      ElfErrorCode.BadHeader,
      `symbol table section [${section.index}] has entry size ${section.entsize}; ELF32 symbols are ${SYM_SIZE} bytes`,
      { section: section.index },
    );
  }
  if (section.size % SYM_SIZE !== 0) {
    throw new ElfError(
      ElfErrorCode.BadHeader,
      `symbol table section [${section.index}] has size 0x${section.size.toString(16)}, not a multiple of ${SYM_SIZE}`,
      { section: section.index },
    );
  }
  const strSection = checkSectionIndex(sections, section.link, `sh_link of symbol table section [${section.index}]`, { section: section.index }, false)!;
  if (strSection.type !== SHT_STRTAB) {
    throw new ElfError(
      ElfErrorCode.BadSectionIndex,
      `symbol table section [${section.index}] links to section [${strSection.index}] of type ${strSection.typeName}, not a string table`,
      { section: section.index },
    );
  }
  const strings = new StringTable(r.bytes, strSection.offset, strSection.size, strSection.index);
  const count = section.size / SYM_SIZE;
  if (versions !== null && versions.length !== count) {
    throw new ElfError(
      ElfErrorCode.BadVersionInfo,
      `.gnu.version has ${versions.length} entries but the dynamic symbol table has ${count}`,
      { section: section.index },
    );
  }
  const extended = kind === 'symtab' ? extendedIndices(r, sections, section, count) : null;
  if (section.info > count) {
    throw new ElfError(
      ElfErrorCode.BadHeader,
      `symbol table section [${section.index}] says its first global is entry ${section.info} but it has only ${count} entries`,
      { section: section.index },
    );
  }
  const symbols: ElfSymbol[] = [];
  for (let i = 1; i < count; i++) {
    const o = section.offset + i * SYM_SIZE;
    const nameOffset = r.u32(o);
    const info = r.u8(o + 12);
    const other = r.u8(o + 13);
    const rawShndx = r.u16(o + 14);
    let shndx = rawShndx;
    if (rawShndx === SHN_XINDEX) {
      if (extended === null) {
        throw new ElfError(
          ElfErrorCode.BadSymbol,
          `symbol ${i} of section [${section.index}] uses SHN_XINDEX but the file has no SHT_SYMTAB_SHNDX section for this table`,
          { section: section.index, offset: o + 14 },
        );
      }
      shndx = extended[i]!;
    }
    let defined: ElfSection | null = null;
    if (shndx !== 0 && (rawShndx < SHN_LORESERVE || rawShndx === SHN_XINDEX)) {
      if (shndx >= sections.length) {
        throw new ElfError(
          ElfErrorCode.BadSymbol,
          `symbol ${i} of section [${section.index}] is defined in section ${shndx}, but there are only ${sections.length} sections`,
          { section: section.index, offset: o + 14 },
        );
      }
      defined = sections[shndx]!;
    }
    const bind = info >> 4;
    const type = info & 15;
    symbols.push({
      index: i,
      table: kind,
      name: strings.get(nameOffset, `symbol ${i} of section [${section.index}]`),
      nameOffset,
      value: r.u32(o + 4),
      size: r.u32(o + 8),
      info,
      bind,
      bindName: symbolBindName(bind),
      type,
      typeName: symbolTypeName(type),
      other,
      visibility: symbolVisibilityName(other),
      shndx,
      section: defined,
      versionIndex: versions === null ? undefined : versions[i],
      module: null,
      moduleSource: null,
    });
  }
  return { kind, section, stringTable: strSection, firstGlobal: section.info, symbols };
}

/** The SHT_SYMTAB_SHNDX table that belongs to `symtab`, as an array of real section indices. */
function extendedIndices(r: BigEndianBytes, sections: readonly ElfSection[], symtab: ElfSection, count: number): Uint32Array | null {
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB_SHNDX || s.link !== symtab.index) continue;
    if (s.size !== count * 4) {
      throw new ElfError(
        ElfErrorCode.BadHeader,
        `SHT_SYMTAB_SHNDX section [${s.index}] has 0x${s.size.toString(16)} bytes; its symbol table needs ${count} entries of 4 bytes`,
        { section: s.index },
      );
    }
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = r.u32(s.offset + i * 4);
    return out;
  }
  return null;
}

export function findSymbolTables(sections: readonly ElfSection[]): { symtab: ElfSection | null; dynsym: ElfSection | null } {
  return { symtab: singleSection(sections, SHT_SYMTAB), dynsym: singleSection(sections, SHT_DYNSYM) };
}
