// The one error type of the ELF reader: a code, where in the file, and what to do about it.

/** Every way an ELF file can be refused. */
export const ElfErrorCode = {
  /** The bytes do not start with \x7fELF. */
  NotElf: 'ELF_NOT_ELF',
  /** ELFCLASS64 or an unknown class: Springboard reads ELF32 only. */
  WrongClass: 'ELF_WRONG_CLASS',
  /** Little-endian or an unknown data encoding: SPARC is big-endian. */
  WrongEndianness: 'ELF_WRONG_ENDIANNESS',
  /** e_ident[EI_VERSION] or e_version is not EV_CURRENT. */
  BadVersion: 'ELF_BAD_VERSION',
  /** The file ends before a structure it declares. */
  Truncated: 'ELF_TRUNCATED',
  /** A header field (size, entry size) has a value the format does not allow. */
  BadHeader: 'ELF_BAD_HEADER',
  /** An offset or size points outside the file or outside its section. */
  OutOfRange: 'ELF_OUT_OF_RANGE',
  /** A section index (e_shstrndx, sh_link, sh_info, st_shndx) names no section or the wrong kind. */
  BadSectionIndex: 'ELF_BAD_SECTION_INDEX',
  /** A string index points outside its string table, or the string is not terminated. */
  BadString: 'ELF_BAD_STRING',
  /** Two sections share file bytes, or two loadable segments share addresses. */
  Overlap: 'ELF_OVERLAP',
  /** A chain of records (version definitions or needs) comes back on itself. */
  Loop: 'ELF_LOOP',
  /** A count is larger than the file could possibly hold. */
  AbsurdCount: 'ELF_ABSURD_COUNT',
  /** A symbol refers to a symbol-table entry or section that does not exist. */
  BadSymbol: 'ELF_BAD_SYMBOL',
  /** A relocation names a symbol that does not exist or lies outside its section. */
  BadRelocation: 'ELF_BAD_RELOCATION',
  /** The GNU symbol-version sections are inconsistent. */
  BadVersionInfo: 'ELF_BAD_VERSION_INFO',
  /** The .gnu.attributes section cannot be parsed. */
  BadAttributes: 'ELF_BAD_ATTRIBUTES',
  /** The DWARF sections used for modules (.debug_aranges, .debug_info, .debug_abbrev) are inconsistent. */
  BadDebugInfo: 'ELF_BAD_DEBUG_INFO',
  /** A virtual address is not backed by any segment or section. */
  UnmappedAddress: 'ELF_UNMAPPED_ADDRESS',
  /** A section or symbol asked for by name does not exist. */
  NotFound: 'ELF_NOT_FOUND',
} as const;

export type ElfErrorCode = (typeof ElfErrorCode)[keyof typeof ElfErrorCode];

export interface ElfErrorLocation {
  /** File offset where the problem was found. */
  offset?: number;
  /** Index of the section involved. */
  section?: number;
}

/**
 * Raised for every malformed or unsupported input. The message says what is wrong, where
 * (file offset, section index) and what the user can do.
 */
export class ElfError extends Error {
  readonly code: ElfErrorCode;
  readonly offset: number | undefined;
  readonly section: number | undefined;

  constructor(code: ElfErrorCode, message: string, where: ElfErrorLocation = {}, hint?: string) {
    const place: string[] = [];
    if (where.section !== undefined) place.push(`section [${where.section}]`);
    if (where.offset !== undefined) place.push(`file offset 0x${where.offset.toString(16)}`);
    const full =
      (place.length > 0 ? `${message} (at ${place.join(', ')})` : message) +
      `. ${hint ?? 'The file is damaged or was not produced by a standard ELF toolchain; rebuild it or check it with readelf -a'}.`;
    super(full);
    this.name = 'ElfError';
    this.code = code;
    this.offset = where.offset;
    this.section = where.section;
  }
}
