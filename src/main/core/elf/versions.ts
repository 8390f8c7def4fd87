// GNU symbol versioning: .gnu.version (versym), .gnu.version_d (verdef) and .gnu.version_r (verneed).
import { type BigEndianBytes, StringTable } from './bytes.ts';
import { SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_STRTAB } from './constants.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import { checkSectionIndex } from './headers.ts';
import { singleSection } from './symbols.ts';
import type { ElfSection, ElfSymbol, ElfSymbolVersion, ElfVersionDefinition, ElfVersionInfo, ElfVersionNeed } from './types.ts';

const VERDEF_SIZE = 20;
const VERDAUX_SIZE = 8;
const VERNEED_SIZE = 16;
const VERNAUX_SIZE = 16;

export const VERSYM_HIDDEN = 0x8000;
export const VERSYM_VERSION = 0x7fff;

/** The .gnu.version entries (one per dynamic symbol, entry 0 included), or null. */
export function readVersionSymbols(r: BigEndianBytes, sections: readonly ElfSection[]): Uint16Array | null {
  const s = singleSection(sections, SHT_GNU_VERSYM);
  if (s === null) return null;
  if (s.size % 2 !== 0) {
    throw new ElfError(ElfErrorCode.BadVersionInfo, `.gnu.version section [${s.index}] has an odd size 0x${s.size.toString(16)}`, { section: s.index });
  }
  const out = new Uint16Array(s.size / 2);
  for (let i = 0; i < out.length; i++) out[i] = r.u16(s.offset + i * 2);
  return out;
}

function linkedStrings(r: BigEndianBytes, sections: readonly ElfSection[], s: ElfSection, what: string): StringTable {
  const str = checkSectionIndex(sections, s.link, `sh_link of ${what} section [${s.index}]`, { section: s.index }, false)!;
  if (str.type !== SHT_STRTAB) {
    throw new ElfError(ElfErrorCode.BadSectionIndex, `${what} section [${s.index}] links to section [${str.index}], which is not a string table`, { section: s.index });
  }
  return new StringTable(r.bytes, str.offset, str.size, str.index);
}

/** Walks a chain of `next` offsets inside a section, refusing loops and runs past the end. */
function chainStep(section: ElfSection, visited: Set<number>, at: number, size: number, what: string): void {
  if (at < section.offset || at + size > section.offset + section.size) {
    throw new ElfError(
      ElfErrorCode.OutOfRange,
      `${what} at file offset 0x${at.toString(16)} lies outside its section (0x${section.offset.toString(16)}..0x${(section.offset + section.size).toString(16)})`,
      { section: section.index, offset: at },
    );
  }
  if (visited.has(at)) {
    throw new ElfError(ElfErrorCode.Loop, `${what} chain comes back to file offset 0x${at.toString(16)}`, { section: section.index, offset: at });
  }
  visited.add(at);
}

export function readVersionInfo(r: BigEndianBytes, sections: readonly ElfSection[]): ElfVersionInfo | null {
  const defSection = singleSection(sections, SHT_GNU_VERDEF);
  const needSection = singleSection(sections, SHT_GNU_VERNEED);
  if (defSection === null && needSection === null) return null;
  const definitions: ElfVersionDefinition[] = [];
  if (defSection !== null) {
    const strings = linkedStrings(r, sections, defSection, 'version definition');
    const visited = new Set<number>();
    // sh_info is the number of entries; no chain can be longer than the section can hold.
    const count = Math.min(defSection.info, Math.floor(defSection.size / VERDEF_SIZE));
    if (defSection.info > count) {
      throw new ElfError(ElfErrorCode.AbsurdCount, `version definition section [${defSection.index}] says ${defSection.info} entries but can hold at most ${count}`, { section: defSection.index });
    }
    let at = defSection.offset;
    for (let n = 0; n < count; n++) {
      chainStep(defSection, visited, at, VERDEF_SIZE, 'version definition');
      const flags = r.u16(at + 2);
      const index = r.u16(at + 4);
      const auxCount = r.u16(at + 6);
      const names: string[] = [];
      let aux = at + r.u32(at + 12);
      const auxVisited = new Set<number>();
      for (let k = 0; k < auxCount; k++) {
        chainStep(defSection, auxVisited, aux, VERDAUX_SIZE, 'version definition name');
        names.push(strings.get(r.u32(aux), `version definition ${n}`));
        const next = r.u32(aux + 4);
        if (next === 0) break;
        aux += next;
      }
      definitions.push({ index, flags, names });
      const next = r.u32(at + 16);
      if (next === 0) break;
      at += next;
    }
  }
  const needs: ElfVersionNeed[] = [];
  if (needSection !== null) {
    const strings = linkedStrings(r, sections, needSection, 'version need');
    const visited = new Set<number>();
    const count = Math.min(needSection.info, Math.floor(needSection.size / VERNEED_SIZE));
    if (needSection.info > count) {
      throw new ElfError(ElfErrorCode.AbsurdCount, `version need section [${needSection.index}] says ${needSection.info} entries but can hold at most ${count}`, { section: needSection.index });
    }
    let at = needSection.offset;
    for (let n = 0; n < count; n++) {
      chainStep(needSection, visited, at, VERNEED_SIZE, 'version need');
      const auxCount = r.u16(at + 2);
      const file = strings.get(r.u32(at + 4), `version need ${n}`);
      const entries: { name: string; other: number; flags: number }[] = [];
      let aux = at + r.u32(at + 8);
      const auxVisited = new Set<number>();
      for (let k = 0; k < auxCount; k++) {
        chainStep(needSection, auxVisited, aux, VERNAUX_SIZE, 'version need entry');
        entries.push({ flags: r.u16(aux + 4), other: r.u16(aux + 6), name: strings.get(r.u32(aux + 8), `version need ${n} entry ${k}`) });
        const next = r.u32(aux + 12);
        if (next === 0) break;
        aux += next;
      }
      needs.push({ file, entries });
      const next = r.u32(at + 12);
      if (next === 0) break;
      at += next;
    }
  }
  return { definitions, needs };
}

/**
 * What a dynamic symbol's .gnu.version entry means: 0 local, 1 global (unversioned), an index
 * defined here (.gnu.version_d), or one needed from another object (.gnu.version_r).
 */
export function symbolVersion(info: ElfVersionInfo | null, symbol: ElfSymbol): ElfSymbolVersion | undefined {
  const raw = symbol.versionIndex;
  if (raw === undefined) return undefined;
  const index = raw & VERSYM_VERSION;
  const hidden = (raw & VERSYM_HIDDEN) !== 0;
  if (index === 0) return { name: '', hidden, kind: 'local' };
  if (index === 1) return { name: '', hidden, kind: 'global' };
  if (info === null) return undefined;
  for (const d of info.definitions) {
    if ((d.index & VERSYM_VERSION) === index) return { name: d.names[0] ?? '', hidden, kind: 'defined' };
  }
  for (const n of info.needs) {
    for (const e of n.entries) {
      if ((e.other & VERSYM_VERSION) === index) return { name: e.name, hidden: true, kind: 'needed' };
    }
  }
  return undefined;
}
