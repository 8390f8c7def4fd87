// The data the ELF reader returns: header, sections, segments, symbols, versions, relocations, modules.
import type { SymbolVisibility } from './constants.ts';

export interface ElfHeader {
  /** Always 1 (ELFCLASS32): other classes are refused. */
  readonly elfClass: 1;
  /** Always 2 (ELFDATA2MSB): other encodings are refused. */
  readonly dataEncoding: 2;
  readonly identVersion: number;
  readonly osAbi: number;
  readonly abiVersion: number;
  /** e_type: 1 REL, 2 EXEC, 3 DYN, 4 CORE. */
  readonly type: number;
  readonly typeName: string;
  readonly machine: number;
  readonly version: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  /** The real count (PN_XNUM resolved through section 0). */
  readonly phnum: number;
  readonly shentsize: number;
  /** The real count (0 with e_shoff ≠ 0 resolved through section 0). */
  readonly shnum: number;
  /** The real index (SHN_XINDEX resolved through section 0); 0 when there are no names. */
  readonly shstrndx: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly nameOffset: number;
  readonly type: number;
  readonly typeName: string;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** True when the section occupies file bytes (not SHT_NOBITS or SHT_NULL). */
  readonly hasContents: boolean;
  /** SHF_ALLOC: part of the memory image. */
  readonly isAlloc: boolean;
  /** SHF_EXECINSTR: holds instructions. */
  readonly isExecutable: boolean;
}

export interface ElfSegment {
  readonly index: number;
  readonly type: number;
  readonly typeName: string;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly flags: number;
  readonly align: number;
}

export type SymbolTableKind = 'symtab' | 'dynsym';

/** Where a symbol's module came from (see modules.ts for the rules). */
export type ModuleSource =
  /** A local symbol that follows an STT_FILE entry in the symbol table. */
  | 'file-symbol'
  /** A relocatable object with one STT_FILE: every symbol it defines is that file's. */
  | 'object-file'
  /** A global whose address lies inside the span of one file's local symbols in the same section. */
  | 'span'
  /** A global between spans: given to the nearest file whose local symbols precede it. */
  | 'nearest-preceding'
  /** Inside the address range of a DWARF compile unit (.debug_aranges): exact. */
  | 'debug-info';

export interface ElfSymbol {
  /** Index in its symbol table (0 is the reserved null entry and is never returned). */
  readonly index: number;
  readonly table: SymbolTableKind;
  /** The name as stored (section symbols have an empty name; see `displayName` in disasm). */
  readonly name: string;
  readonly nameOffset: number;
  readonly value: number;
  readonly size: number;
  readonly info: number;
  readonly bind: number;
  readonly bindName: string;
  readonly type: number;
  readonly typeName: string;
  readonly other: number;
  readonly visibility: SymbolVisibility;
  /** st_shndx, or the real index when it was SHN_XINDEX. */
  readonly shndx: number;
  /** The section the symbol is defined in, or null (undefined, absolute, common, reserved). */
  readonly section: ElfSection | null;
  /** The raw .gnu.version entry (bit 15 = hidden) for dynamic symbols of versioned files. */
  readonly versionIndex: number | undefined;
  /** The source module (file name without directory and extension), or null when unknown. */
  module: string | null;
  moduleSource: ModuleSource | null;
}

export interface ElfSymbolTable {
  readonly kind: SymbolTableKind;
  readonly section: ElfSection;
  readonly stringTable: ElfSection;
  /** Index of the first non-local symbol (the section's sh_info). */
  readonly firstGlobal: number;
  /** Entries 1..n-1 (entry 0 is the null symbol). `symbols[i - 1].index === i`. */
  readonly symbols: readonly ElfSymbol[];
}

export interface ElfVersionDefinition {
  /** vd_ndx: the value .gnu.version entries use for this version. */
  readonly index: number;
  readonly flags: number;
  /** The version name, then its parents (vda entries). */
  readonly names: readonly string[];
}

export interface ElfVersionNeed {
  readonly file: string;
  readonly entries: readonly { readonly name: string; readonly other: number; readonly flags: number }[];
}

export interface ElfVersionInfo {
  readonly definitions: readonly ElfVersionDefinition[];
  readonly needs: readonly ElfVersionNeed[];
}

/** What a .gnu.version entry means for one symbol. */
export interface ElfSymbolVersion {
  readonly name: string;
  /** Bit 15 of the entry, or a version that comes from another object (needed). */
  readonly hidden: boolean;
  readonly kind: 'local' | 'global' | 'defined' | 'needed';
}

export interface ElfRelocation {
  /** r_offset: section offset in relocatable files, virtual address in linked ones. */
  readonly offset: number;
  readonly type: number;
  readonly typeName: string;
  readonly symbolIndex: number;
  /** The symbol from the section's linked table, or null for index 0. */
  readonly symbol: ElfSymbol | null;
  /** r_addend for RELA; 0 for REL (the addend is in the relocated field). */
  readonly addend: number;
}

export interface ElfRelocationSection {
  readonly section: ElfSection;
  readonly kind: 'rel' | 'rela';
  /** The section the relocations apply to (sh_info), or null for dynamic relocations. */
  readonly target: ElfSection | null;
  /** The symbol table the relocations name (sh_link), or null. */
  readonly symbolTable: SymbolTableKind | null;
  readonly relocations: readonly ElfRelocation[];
}

export interface ElfModule {
  /** The source file name without directory and extension: `genunix` for `../uts/genunix.c`. */
  readonly name: string;
  /** The STT_FILE string as stored. */
  readonly fileName: string;
  /** Every symbol assigned to the module (locals and globals), in symbol-table order. */
  readonly symbols: readonly ElfSymbol[];
  /** The STT_FUNC / STT_GNU_IFUNC symbols among them, by address. */
  readonly functions: readonly ElfSymbol[];
}

/** Integer and string attributes of one vendor's `File` subsection of .gnu.attributes. */
export interface ElfAttributes {
  readonly vendor: string;
  readonly integers: ReadonlyMap<number, number>;
  readonly strings: ReadonlyMap<number, string>;
}
