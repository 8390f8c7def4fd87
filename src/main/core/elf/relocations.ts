// Reads SHT_REL and SHT_RELA sections: static relocations of objects and dynamic ones of linked files.
import { type BigEndianBytes } from './bytes.ts';
import { ET_REL, SHT_DYNSYM, SHT_REL, SHT_RELA, SHT_SYMTAB, relocationName } from './constants.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import { checkSectionIndex } from './headers.ts';
import type { ElfHeader, ElfRelocation, ElfRelocationSection, ElfSection, ElfSymbolTable } from './types.ts';

export function readRelocationSections(
  r: BigEndianBytes,
  header: ElfHeader,
  sections: readonly ElfSection[],
  symtab: ElfSymbolTable | null,
  dynsym: ElfSymbolTable | null,
): ElfRelocationSection[] {
  const out: ElfRelocationSection[] = [];
  for (const s of sections) {
    if (s.type !== SHT_REL && s.type !== SHT_RELA) continue;
    const kind = s.type === SHT_RELA ? 'rela' : 'rel';
    const entry = kind === 'rela' ? 12 : 8;
    if (s.entsize !== entry) {
      throw new ElfError(
        ElfErrorCode.BadHeader,
        `relocation section [${s.index}] ${s.name} has entry size ${s.entsize}; ELF32 ${kind.toUpperCase()} entries are ${entry} bytes`,
        { section: s.index },
      );
    }
    if (s.size % entry !== 0) {
      throw new ElfError(ElfErrorCode.BadHeader, `relocation section [${s.index}] has size 0x${s.size.toString(16)}, not a multiple of ${entry}`, { section: s.index });
    }
    const linked = checkSectionIndex(sections, s.link, `sh_link of relocation section [${s.index}]`, { section: s.index }, true);
    let table: ElfSymbolTable | null = null;
    if (linked !== null) {
      if (linked.type === SHT_SYMTAB) table = symtab;
      else if (linked.type === SHT_DYNSYM) table = dynsym;
      else {
        throw new ElfError(
          ElfErrorCode.BadSectionIndex,
          `relocation section [${s.index}] links to section [${linked.index}] of type ${linked.typeName}, not a symbol table`,
          { section: s.index },
        );
      }
    }
    const target = checkSectionIndex(sections, s.info, `sh_info of relocation section [${s.index}]`, { section: s.index }, true);
    // Only a relocatable object's relocations are offsets into their target; check they fit.
    const checkOffsets = header.type === ET_REL && target !== null && !s.isAlloc;
    const relocations: ElfRelocation[] = [];
    const symbolCount = table === null ? 1 : table.symbols.length + 1;
    for (let o = s.offset, end = s.offset + s.size; o < end; o += entry) {
      const offset = r.u32(o);
      const rInfo = r.u32(o + 4);
      const symbolIndex = rInfo >>> 8;
      const type = rInfo & 0xff;
      if (symbolIndex >= symbolCount) {
        throw new ElfError(
          ElfErrorCode.BadRelocation,
          `relocation at 0x${offset.toString(16)} in section [${s.index}] names symbol ${symbolIndex}, but its symbol table has ${symbolCount} entries`,
          { section: s.index, offset: o },
        );
      }
      if (checkOffsets && offset >= target.size && target.size > 0) {
        throw new ElfError(
          ElfErrorCode.BadRelocation,
          `relocation in section [${s.index}] applies at offset 0x${offset.toString(16)}, past the end of its target section [${target.index}] ${target.name} (size 0x${target.size.toString(16)})`,
          { section: s.index, offset: o },
        );
      }
      relocations.push({
        offset,
        type,
        typeName: relocationName(header.machine, type),
        symbolIndex,
        symbol: symbolIndex === 0 || table === null ? null : table.symbols[symbolIndex - 1]!,
        addend: kind === 'rela' ? r.i32(o + 8) : 0,
      });
    }
    out.push({ section: s, kind, target, symbolTable: table === null ? null : table.kind, relocations });
  }
  return out;
}
