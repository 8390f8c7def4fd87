// Public API of the SPARC assembler (GNU as syntax, driven by the instruction table).
import type { Mode } from '../types.ts';
import { assemble } from './assemble.ts';
import type { AsmOptions } from './types.ts';

export { assemble } from './assemble.ts';
export { AsmError, type AsmErrorCode } from './errors.ts';
export { RELOC_TYPES, type RelocType } from './encode.ts';
export { DIRECTIVES } from './directives.ts';
export type { AsmOptions, AsmOutput, AsmRelocation, AsmSection, AsmSymbol } from './types.ts';

/** Fixed-origin assembly of .text (what the splicer needs): the words, every symbol resolved. */
export function assembleWords(source: string, options: AsmOptions & { readonly origin: number }): Uint32Array {
  return assemble(source, options).words;
}

/** One instruction (or a `set` expansion) at `address`: its word(s). */
export function assembleInstruction(text: string, address = 0, mode: Mode = 'v8', symbols?: AsmOptions['symbols']): Uint32Array {
  return assemble(text, { origin: address, mode, symbols }).words;
}
