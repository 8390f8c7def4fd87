// ELF constants (System V gABI, GNU extensions, SPARC psABI) and their printable names.

export const EM_SPARC = 2;
export const EM_SPARC32PLUS = 18;
export const EM_SPARCV9 = 43;

export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_GROUP = 17;
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_GNU_ATTRIBUTES = 0x6ffffff5;
export const SHT_GNU_HASH = 0x6ffffff6;
export const SHT_GNU_VERDEF = 0x6ffffffd;
export const SHT_GNU_VERNEED = 0x6ffffffe;
export const SHT_GNU_VERSYM = 0x6fffffff;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_TLS = 0x400;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;

/** e_flags bits of EM_SPARC32PLUS files (binutils include/elf/sparc.h). */
export const EF_SPARC_32PLUS = 0x000100;
export const EF_SPARC_SUN_US1 = 0x000200;
export const EF_SPARC_HAL_R1 = 0x000400;
export const EF_SPARC_SUN_US3 = 0x000800;
export const EF_SPARC_LEDATA = 0x800000;

/** Object-attribute tags of the GNU vendor section on SPARC. */
export const Tag_GNU_Sparc_HWCAPS = 4;
export const Tag_GNU_Sparc_HWCAPS2 = 8;

const SECTION_TYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'PROGBITS', 2: 'SYMTAB', 3: 'STRTAB', 4: 'RELA', 5: 'HASH', 6: 'DYNAMIC', 7: 'NOTE',
  8: 'NOBITS', 9: 'REL', 10: 'SHLIB', 11: 'DYNSYM', 14: 'INIT_ARRAY', 15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY', 17: 'GROUP', 18: 'SYMTAB_SHNDX',
  0x6ffffff5: 'GNU_ATTRIBUTES', 0x6ffffff6: 'GNU_HASH', 0x6ffffffd: 'VERDEF', 0x6ffffffe: 'VERNEED',
  0x6fffffff: 'VERSYM',
};

const SEGMENT_TYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'LOAD', 2: 'DYNAMIC', 3: 'INTERP', 4: 'NOTE', 5: 'SHLIB', 6: 'PHDR', 7: 'TLS',
  0x6474e550: 'GNU_EH_FRAME', 0x6474e551: 'GNU_STACK', 0x6474e552: 'GNU_RELRO', 0x6474e553: 'GNU_PROPERTY',
};

const SYMBOL_TYPE_NAMES: Record<number, string> = {
  0: 'NOTYPE', 1: 'OBJECT', 2: 'FUNC', 3: 'SECTION', 4: 'FILE', 5: 'COMMON', 6: 'TLS', 10: 'GNU_IFUNC',
};

const SYMBOL_BIND_NAMES: Record<number, string> = { 0: 'LOCAL', 1: 'GLOBAL', 2: 'WEAK', 10: 'GNU_UNIQUE' };

const VISIBILITY_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'] as const;
export type SymbolVisibility = (typeof VISIBILITY_NAMES)[number];

const FILE_TYPE_NAMES: Record<number, string> = { 0: 'NONE', 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

/** R_SPARC_* relocation names by number (binutils include/elf/sparc.h; SPARC psABI). */
const SPARC_RELOCATION_NAMES: readonly string[] = [
  'NONE', '8', '16', '32', 'DISP8', 'DISP16', 'DISP32', 'WDISP30', 'WDISP22', 'HI22', '22', '13', 'LO10',
  'GOT10', 'GOT13', 'GOT22', 'PC10', 'PC22', 'WPLT30', 'COPY', 'GLOB_DAT', 'JMP_SLOT', 'RELATIVE', 'UA32',
  'PLT32', 'HIPLT22', 'LOPLT10', 'PCPLT32', 'PCPLT22', 'PCPLT10', '10', '11', '64', 'OLO10', 'HH22', 'HM10',
  'LM22', 'PC_HH22', 'PC_HM10', 'PC_LM22', 'WDISP16', 'WDISP19', 'UNUSED_42', '7', '5', '6', 'DISP64',
  'PLT64', 'HIX22', 'LOX10', 'H44', 'M44', 'L44', 'REGISTER', 'UA64', 'UA16', 'TLS_GD_HI22', 'TLS_GD_LO10',
  'TLS_GD_ADD', 'TLS_GD_CALL', 'TLS_LDM_HI22', 'TLS_LDM_LO10', 'TLS_LDM_ADD', 'TLS_LDM_CALL',
  'TLS_LDO_HIX22', 'TLS_LDO_LOX10', 'TLS_LDO_ADD', 'TLS_IE_HI22', 'TLS_IE_LO10', 'TLS_IE_LD', 'TLS_IE_LDX',
  'TLS_IE_ADD', 'TLS_LE_HIX22', 'TLS_LE_LOX10', 'TLS_DTPMOD32', 'TLS_DTPMOD64', 'TLS_DTPOFF32',
  'TLS_DTPOFF64', 'TLS_TPOFF32', 'TLS_TPOFF64', 'GOTDATA_HIX22', 'GOTDATA_LOX10', 'GOTDATA_OP_HIX22',
  'GOTDATA_OP_LOX10', 'GOTDATA_OP', 'H34', 'SIZE32', 'SIZE64', 'WDISP10',
];
const SPARC_HIGH_RELOCATION_NAMES: Record<number, string> = {
  248: 'JMP_IREL', 249: 'IRELATIVE', 250: 'GNU_VTINHERIT', 251: 'GNU_VTENTRY', 252: 'REV32',
};

export function sectionTypeName(type: number): string {
  return SECTION_TYPE_NAMES[type] ?? `0x${type.toString(16)}`;
}

export function segmentTypeName(type: number): string {
  return SEGMENT_TYPE_NAMES[type] ?? `0x${type.toString(16)}`;
}

export function symbolTypeName(type: number): string {
  return SYMBOL_TYPE_NAMES[type] ?? `${type}`;
}

export function symbolBindName(bind: number): string {
  return SYMBOL_BIND_NAMES[bind] ?? `${bind}`;
}

export function symbolVisibilityName(other: number): SymbolVisibility {
  return VISIBILITY_NAMES[other & 3]!;
}

export function fileTypeName(type: number): string {
  return FILE_TYPE_NAMES[type] ?? `0x${type.toString(16)}`;
}

/** `R_SPARC_WDISP30` for 7; `R_SPARC_<n>` for numbers the psABI does not define. */
export function sparcRelocationName(type: number): string {
  const name = type < SPARC_RELOCATION_NAMES.length ? SPARC_RELOCATION_NAMES[type] : SPARC_HIGH_RELOCATION_NAMES[type];
  return name === undefined ? `R_SPARC_<${type}>` : `R_SPARC_${name}`;
}

/** The relocation name for a machine; only SPARC machines have names here. */
export function relocationName(machine: number, type: number): string {
  if (machine === EM_SPARC || machine === EM_SPARC32PLUS || machine === EM_SPARCV9) return sparcRelocationName(type);
  return `R_${machine}_<${type}>`;
}
