// objdump's symbol model for disassembly: which symbols label addresses and name branch targets.
//
// This re-creates what GNU objdump 2.40 does with BFD's view of an ELF file (binutils
// objdump.c: remove_useless_symbols, compare_symbols, find_symbol_for_address,
// objdump_print_addr_with_sym; bfd/elfcode.h elf_slurp_symbol_table; bfd/elf.c
// _bfd_elf_get_synthetic_symtab and _bfd_elf_get_symbol_version_string):
//  - the symbols are .symtab's, or .dynsym's when there is no .symtab, plus one synthetic
//    "name@plt" symbol per .rela.plt entry of a linked file;
//  - symbols without a name, section and STT_FILE symbols (except names starting ".plt"/".got"),
//    undefined and common symbols are dropped;
//  - for each disassembled section the list is (stably) sorted by address, then: symbols of that
//    section first, "gnu_compiled"-like and file-name-like names last, functions, then objects,
//    then globals before locals, larger st_size first, names not starting with '.' first, by name;
//  - an address is named by the first symbol at the nearest lower-or-equal address (preferring the
//    current section); when that symbol is not exactly at the address, a dynamic relocation at
//    exactly the address may name it instead (its symbol, even an undefined one).
import {
  ET_DYN, ET_EXEC, ET_REL, SHN_ABS, SHN_COMMON, SHT_REL, SHT_RELA, SHT_SYMTAB,
  SHT_SYMTAB_SHNDX, SHT_STRTAB, STB_GLOBAL, STB_GNU_UNIQUE, STB_LOCAL, STB_WEAK, STT_COMMON, STT_FILE,
  STT_FUNC, STT_GNU_IFUNC, STT_OBJECT, STT_SECTION, STT_TLS,
  VERSYM_HIDDEN, VERSYM_VERSION, encodeUtf8,
  type ElfFile, type ElfSection, type ElfSymbol,
} from '../elf/index.ts';

/** BSF_* flags of BFD's asymbol (only the ones objdump looks at; values are ours). */
export const BSF = {
  LOCAL: 1 << 0,
  GLOBAL: 1 << 1,
  DEBUGGING: 1 << 2,
  FUNCTION: 1 << 3,
  WEAK: 1 << 4,
  SECTION_SYM: 1 << 5,
  OBJECT: 1 << 6,
  FILE: 1 << 7,
  DYNAMIC: 1 << 8,
  SYNTHETIC: 1 << 9,
  GNU_UNIQUE: 1 << 10,
  THREAD_LOCAL: 1 << 11,
  INDIRECT_FUNCTION: 1 << 12,
} as const;

/** Pseudo section indices of BFD's special sections. */
export const ABS_SECTION = -1;
export const UND_SECTION = -2;
export const COM_SECTION = -3;

/** One symbol as BFD presents it to objdump. */
export interface DisasmSymbol {
  /** BFD's name: section symbols are named after their section; PLT entries "name@plt". */
  readonly name: string;
  /** The name as objdump prints it: sanitized, with "@VERSION" / "@@VERSION" for dynamic symbols. */
  readonly printName: string;
  /** bfd_asymbol_value: the symbol's address. */
  readonly address: number;
  /** asymbol.value: section-relative in linked files (address - section address). */
  readonly value: number;
  /** ELF section index, or ABS_SECTION / UND_SECTION / COM_SECTION. */
  readonly sectionIndex: number;
  /** BFD section name ("*ABS*", "*UND*", "*COM*" for the special ones). */
  readonly sectionName: string;
  readonly flags: number;
  /** st_size (0 for section and synthetic symbols, as objdump's sort treats them). */
  readonly size: number;
  /** The ELF symbol, or null for synthetic symbols. */
  readonly elf: ElfSymbol | null;
}

interface BfdSectionInfo {
  /** Index → BFD section name, or undefined for ELF sections BFD makes no section of. */
  readonly names: (string | undefined)[];
}

/** Which ELF sections BFD turns into sections (bfd/elf.c bfd_section_from_shdr). */
function bfdSections(elf: ElfFile): BfdSectionInfo {
  const sections = elf.sections;
  const symtab = elf.symtab?.section ?? null;
  const dynsym = elf.dynsym?.section ?? null;
  const linkedFile = elf.header.type === ET_EXEC || elf.header.type === ET_DYN;
  const names: (string | undefined)[] = [];
  for (const s of sections) {
    let made = s.index !== 0 && s.typeName !== 'NULL';
    if (s.type === SHT_SYMTAB || s.type === SHT_SYMTAB_SHNDX) made = false;
    else if (s.type === SHT_STRTAB) {
      if (s.index === elf.header.shstrndx) made = false;
      else if (symtab !== null && symtab.link === s.index && !(dynsym !== null && dynsym.link === s.index)) made = false;
    } else if (s.type === SHT_REL || s.type === SHT_RELA) {
      // A relocation section that applies to another section is that section's relocations.
      const target = sections[s.info];
      const staticRelocs =
        !(linkedFile && s.isAlloc) && s.link !== 0 && symtab !== null && s.link === symtab.index &&
        s.info !== 0 && target !== undefined && target.type !== SHT_REL && target.type !== SHT_RELA;
      if (staticRelocs) made = false;
    }
    names.push(made ? s.name : undefined);
  }
  return { names };
}

/** objdump's sanitize_string: control characters become ^X. */
export function sanitize(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      let out = name.slice(0, i);
      for (let j = i; j < name.length; j++) {
        const d = name.charCodeAt(j);
        out += d < 0x20 || d === 0x7f ? '^' + String.fromCharCode(d + 0x40) : name[j];
      }
      return out;
    }
  }
  return name;
}

/** BFD's verdef table: index → node name, and the count (cverdefs). */
interface VersionTables {
  readonly count: number;
  readonly names: (string | null)[];
  readonly firstIsBase: boolean;
  readonly needs: Map<number, string>;
  readonly active: boolean;
}

function versionTables(elf: ElfFile): VersionTables {
  const info = elf.versions;
  const hasVersym = elf.sections.some((s) => s.typeName === 'VERSYM');
  if (info === null || !hasVersym) return { count: 0, names: [], firstIsBase: false, needs: new Map(), active: false };
  let count = 0;
  for (const d of info.definitions) count = Math.max(count, d.index & VERSYM_VERSION);
  const names: (string | null)[] = new Array<string | null>(count).fill(null);
  let firstFlags = 0;
  for (const d of info.definitions) {
    const i = (d.index & VERSYM_VERSION) - 1;
    if (i < 0) continue;
    names[i] = d.names[0] ?? null;
    if (i === 0) firstFlags = d.flags;
  }
  const needs = new Map<number, string>();
  for (const n of info.needs) for (const e of n.entries) if (!needs.has(e.other)) needs.set(e.other, e.name);
  return { count, names, firstIsBase: (firstFlags & 1) !== 0, needs, active: true };
}

/** _bfd_elf_get_symbol_version_string with base_p = true, as objdump_print_symname calls it. */
function versionSuffix(tables: VersionTables, sym: ElfSymbol, undefinedSymbol: boolean): string {
  if (!tables.active) return '';
  const raw = sym.versionIndex ?? 0;
  let hidden = (raw & VERSYM_HIDDEN) !== 0;
  const vernum = raw & VERSYM_VERSION;
  let version: string | null;
  if (vernum === 0) version = '';
  else if (vernum === 1 && (vernum > tables.count || tables.firstIsBase)) version = 'Base';
  else if (vernum <= tables.count) version = tables.names[vernum - 1] ?? null;
  else {
    version = '<corrupt>';
    const needed = tables.needs.get(vernum);
    if (needed !== undefined) {
      hidden = true;
      version = needed;
    }
  }
  if (undefinedSymbol) hidden = true;
  if (version === null || version === '') return '';
  return (hidden ? '@' : '@@') + version;
}

function elfFlags(sym: ElfSymbol, dynamic: boolean): number {
  let flags = 0;
  const defined = sym.shndx !== 0 && sym.shndx !== SHN_COMMON;
  if (sym.bind === STB_LOCAL) flags |= BSF.LOCAL;
  else if (sym.bind === STB_GLOBAL) {
    if (defined) flags |= BSF.GLOBAL;
  } else if (sym.bind === STB_WEAK) flags |= BSF.WEAK;
  else if (sym.bind === STB_GNU_UNIQUE) flags |= BSF.GNU_UNIQUE;
  switch (sym.type) {
    case STT_SECTION: flags |= BSF.SECTION_SYM | BSF.DEBUGGING; break;
    case STT_FILE: flags |= BSF.FILE | BSF.DEBUGGING; break;
    case STT_FUNC: flags |= BSF.FUNCTION; break;
    case STT_COMMON: flags |= BSF.OBJECT; break;
    case STT_OBJECT: flags |= BSF.OBJECT; break;
    case STT_TLS: flags |= BSF.THREAD_LOCAL; break;
    case STT_GNU_IFUNC: flags |= BSF.INDIRECT_FUNCTION; break;
  }
  if (dynamic) flags |= BSF.DYNAMIC;
  return flags;
}

/** Everything objdump derives from the file's symbols before it disassembles. */
export class SymbolModel {
  readonly elf: ElfFile;
  /** The symbols objdump sorts (sorted_syms), in the order of the latest `sortFor`. */
  readonly sorted: DisasmSymbol[];
  /** Dynamic relocations sorted by address: their address and symbol (null for index 0). */
  readonly dynamicRelocations: readonly { address: number; symbol: DisasmSymbol | null }[];
  /** HAS_RELOC: the file carries relocations for its sections (relocatable objects). */
  readonly hasRelocs: boolean;
  /** EXEC_P or DYNAMIC. */
  readonly linked: boolean;
  private readonly sectionNames: (string | undefined)[];
  private currentSectionName = '';

  constructor(elf: ElfFile) {
    this.elf = elf;
    const bfd = bfdSections(elf);
    this.sectionNames = bfd.names;
    this.linked = elf.header.type === ET_EXEC || elf.header.type === ET_DYN;
    this.hasRelocs = elf.relocationSections.some((r) => bfd.names[r.section.index] === undefined && r.target !== null);
    const tables = versionTables(elf);
    const symtabSymbols = elf.symtab?.symbols ?? [];
    const dynSymbols = elf.dynsym?.symbols ?? [];
    const fromSymtab = symtabSymbols.map((s) => this.convert(s, false, tables));
    const fromDynsym = dynSymbols.map((s) => this.convert(s, true, tables));
    const base = fromSymtab.length > 0 ? fromSymtab : fromDynsym;
    const useful = base.filter((s) => keepForDisassembly(s));
    const dynrels: { address: number; symbol: DisasmSymbol | null }[] = [];
    const dynsymIndex = elf.dynsym?.section.index ?? -1;
    if (dynsymIndex >= 0) {
      for (const rs of elf.relocationSections) {
        if (rs.section.link !== dynsymIndex || bfd.names[rs.section.index] === undefined) continue;
        for (const r of rs.relocations) {
          dynrels.push({ address: r.offset, symbol: r.symbolIndex === 0 ? null : fromDynsym[r.symbolIndex - 1] ?? null });
        }
      }
      dynrels.sort((a, b) => a.address - b.address);
    }
    this.dynamicRelocations = dynrels;
    this.sorted = useful.concat(this.synthetic(fromDynsym, dynsymIndex));
  }

  /** The BFD section name of ELF section `index` ("*ABS*" when BFD makes no section of it). */
  sectionName(index: number): string {
    return this.sectionNames[index] ?? '*ABS*';
  }

  private convert(sym: ElfSymbol, dynamic: boolean, tables: VersionTables): DisasmSymbol {
    const elf = this.elf;
    let sectionIndex: number;
    let sectionName: string;
    let sectionAddr = 0;
    if (sym.shndx === 0) {
      sectionIndex = UND_SECTION;
      sectionName = '*UND*';
    } else if (sym.shndx === SHN_ABS) {
      sectionIndex = ABS_SECTION;
      sectionName = '*ABS*';
    } else if (sym.shndx === SHN_COMMON) {
      sectionIndex = COM_SECTION;
      sectionName = '*COM*';
    } else if (sym.section !== null && this.sectionNames[sym.section.index] !== undefined) {
      sectionIndex = sym.section.index;
      sectionName = this.sectionNames[sym.section.index]!;
      sectionAddr = sym.section.addr;
    } else {
      sectionIndex = ABS_SECTION;
      sectionName = '*ABS*';
    }
    let name = sym.name;
    if (name === '' && sym.type === STT_SECTION && sym.shndx < elf.sections.length) name = elf.sections[sym.shndx]!.name;
    const relocatable = elf.header.type === ET_REL;
    // asymbol.value is section-relative; in a relocatable file st_value already is.
    const value = relocatable ? sym.value : (sym.value - sectionAddr) >>> 0;
    const address = relocatable ? (sectionAddr + sym.value) >>> 0 : sym.value;
    const flags = elfFlags(sym, dynamic);
    const size = (flags & BSF.SECTION_SYM) !== 0 ? 0 : sym.size;
    // Only dynamic symbols carry a .gnu.version entry; BFD gives .symtab symbols version 0 ("").
    const printName = (flags & BSF.SECTION_SYM) !== 0 || !dynamic
      ? sanitize(name)
      : sanitize(name) + versionSuffix(tables, sym, sectionIndex === UND_SECTION);
    return { name, printName, address, value: sectionIndex === COM_SECTION ? sym.size : value, sectionIndex, sectionName, flags, size, elf: sym };
  }

  /** _bfd_elf_get_synthetic_symtab with SPARC's plt_sym_val: "name@plt" at each .rela.plt offset. */
  private synthetic(dynsyms: readonly DisasmSymbol[], dynsymIndex: number): DisasmSymbol[] {
    const elf = this.elf;
    if (!this.linked || dynsyms.length === 0) return [];
    const relplt = elf.sectionByName('.rela.plt');
    const plt = elf.sectionByName('.plt');
    if (relplt === undefined || plt === undefined || relplt.link !== dynsymIndex || relplt.type !== SHT_RELA) return [];
    const rs = elf.relocationSections.find((r) => r.section === relplt);
    if (rs === undefined) return [];
    const out: DisasmSymbol[] = [];
    for (const r of rs.relocations) {
      const target = r.symbolIndex === 0 ? null : dynsyms[r.symbolIndex - 1] ?? null;
      const baseName = target === null ? '*ABS*' : target.name;
      let flags = target === null ? BSF.SECTION_SYM : target.flags;
      if ((flags & BSF.LOCAL) === 0) flags |= BSF.GLOBAL;
      flags |= BSF.SYNTHETIC;
      const addend = r.addend !== 0 ? `+0x${(r.addend >>> 0).toString(16)}` : '';
      const name = `${baseName}${addend}@plt`;
      out.push({
        name,
        printName: sanitize(name),
        address: r.offset,
        value: (r.offset - plt.addr) >>> 0,
        sectionIndex: plt.index,
        sectionName: this.sectionName(plt.index),
        flags,
        size: 0,
        elf: null,
      });
    }
    return out;
  }

  /** Re-sorts `sorted` for disassembling `section`, as objdump does before each section. */
  sortFor(section: ElfSection): void {
    this.currentSectionName = this.sectionName(section.index);
    const current = this.currentSectionName;
    this.sorted.sort((a, b) => compareSymbols(a, b, current));
  }

  /** The BFD name of the section the list was last sorted for. */
  get sortedFor(): string {
    return this.currentSectionName;
  }
}

function keepForDisassembly(s: DisasmSymbol): boolean {
  if (s.name === '') return false;
  if ((s.flags & (BSF.DEBUGGING | BSF.SECTION_SYM)) !== 0 && !s.name.startsWith('.plt') && !s.name.startsWith('.got')) return false;
  if (s.sectionIndex === UND_SECTION || s.sectionIndex === COM_SECTION) return false;
  return true;
}

function isFileName(s: DisasmSymbol): boolean {
  if ((s.flags & BSF.FILE) !== 0) return true;
  const n = s.name;
  const l = n.length;
  return l > 2 && n.charCodeAt(l - 2) === 0x2e && (n.charCodeAt(l - 1) === 0x6f || n.charCodeAt(l - 1) === 0x61);
}

function isCompiledMarker(name: string): boolean {
  return name.includes('gnu_compiled') || name.includes('gcc2_compiled');
}

/** objdump.c compare_symbols, with the section being disassembled. */
export function compareSymbols(a: DisasmSymbol, b: DisasmSymbol, currentSection: string): number {
  if (a.address !== b.address) return a.address > b.address ? 1 : -1;
  const as = a.sectionName === currentSection;
  const bs = b.sectionName === currentSection;
  if (as !== bs) return as ? -1 : 1;
  const ac = isCompiledMarker(a.name);
  const bc = isCompiledMarker(b.name);
  if (ac !== bc) return ac ? 1 : -1;
  const af = isFileName(a);
  const bf = isFileName(b);
  if (af !== bf) return af ? 1 : -1;
  const fa = a.flags;
  const fb = b.flags;
  for (const [bit, first] of FLAG_ORDER) {
    if ((fa & bit) !== (fb & bit)) return ((fa & bit) !== 0) === first ? -1 : 1;
  }
  const asz = (fa & (BSF.SECTION_SYM | BSF.SYNTHETIC)) === 0 ? a.size : 0;
  const bsz = (fb & (BSF.SECTION_SYM | BSF.SYNTHETIC)) === 0 ? b.size : 0;
  if (asz !== bsz) return asz > bsz ? -1 : 1;
  const ad = a.name.charCodeAt(0) === 0x2e;
  const bd = b.name.charCodeAt(0) === 0x2e;
  if (ad !== bd) return ad ? 1 : -1;
  return strcmp(a.name, b.name);
}

/** [flag, true when symbols having it sort first]. */
const FLAG_ORDER: readonly (readonly [number, boolean])[] = [
  [BSF.DEBUGGING, false],
  [BSF.SECTION_SYM, false],
  [BSF.FUNCTION, true],
  [BSF.OBJECT, true],
  [BSF.LOCAL, false],
  [BSF.GLOBAL, true],
];

/** C strcmp on the UTF-8 bytes (JS string comparison differs above U+FFFF). */
export function strcmp(a: string, b: string): number {
  if (a === b) return 0;
  let ascii = true;
  for (let i = 0; i < a.length && ascii; i++) if (a.charCodeAt(i) >= 0x80) ascii = false;
  for (let i = 0; i < b.length && ascii; i++) if (b.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return a < b ? -1 : 1;
  const x = encodeUtf8(a);
  const y = encodeUtf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
