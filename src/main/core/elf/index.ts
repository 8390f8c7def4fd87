// The ELF32 big-endian reader: parseElf(bytes) → ElfFile; everything else other modules may use.
export { parseElf, ElfFile } from './file.ts';
export { ElfError, ElfErrorCode, type ElfErrorLocation } from './errors.ts';
export { moduleNameOf } from './modules.ts';
export { VERSYM_HIDDEN, VERSYM_VERSION } from './versions.ts';
export { decodeUtf8, encodeUtf8 } from './utf8.ts';
export * from './constants.ts';
export type * from './types.ts';
