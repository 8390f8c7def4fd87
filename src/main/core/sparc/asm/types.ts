// Public types of the assembler: options and the assembled output (sections, symbols, relocations).
import type { Mode } from '../types.ts';
import type { RelocType } from './encode.ts';

export interface AsmOptions {
  /** Instruction set: 'v8' (default; `as -Av8`), 'v9' (V8+, `-Av8plus`), 'v9a' (V8+A, `-Av8plusa`). */
  readonly mode?: Mode;
  /** Fixed-origin assembly: the address of .text (the first section when there is no .text).
   * Every symbol must then resolve (labels, `symbols`); the output has no relocations. */
  readonly origin?: number;
  /** Fixed addresses of other sections (fixed-origin mode); unlisted ones follow .text, aligned. */
  readonly sectionAddresses?: Readonly<Record<string, number>>;
  /** Values of symbols the source does not define (kernel functions, data, patch targets). */
  readonly symbols?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  /** Source name used in messages (default '<asm>'). */
  readonly fileName?: string;
}

export interface AsmSection {
  readonly name: string;
  /** Address (fixed-origin mode), else 0. */
  readonly address: number;
  /** Contents (zeros for nobits sections such as .bss). */
  readonly bytes: Uint8Array;
  readonly size: number;
  /** Alignment in bytes (largest .align seen; 4 for code). */
  readonly align: number;
  readonly flags: { readonly alloc: boolean; readonly write: boolean; readonly exec: boolean };
  readonly type: 'progbits' | 'nobits';
}

export interface AsmSymbol {
  readonly name: string;
  /** Section of a label; null for absolute (.set) and undefined symbols, 'COMMON' for .common. */
  readonly section: string | null;
  /** Offset in the section (relocatable) or address (fixed-origin mode); the value of an absolute
   * symbol; size of a common symbol. */
  readonly value: number;
  readonly defined: boolean;
  readonly binding: 'local' | 'global' | 'weak';
  /** From .type: 'function', 'object', ... (null when not given). */
  readonly type: string | null;
  /** From .size (null when not given). */
  readonly size: number | null;
}

export interface AsmRelocation {
  /** Section that holds the field. */
  readonly section: string;
  readonly offset: number;
  readonly type: RelocType;
  /** ELF type number (R_SPARC_HI22 = 9, ...). */
  readonly typeNumber: number;
  /** Symbol name: the symbol itself for globals and externals, the section name for local labels
   * (as GNU as does); null for an absolute value. */
  readonly symbol: string | null;
  /** RELA addend; the field itself holds 0. */
  readonly addend: number;
}

export interface AsmOutput {
  readonly mode: Mode;
  /** Sections in order of first use. */
  readonly sections: readonly AsmSection[];
  readonly symbols: readonly AsmSymbol[];
  readonly relocations: readonly AsmRelocation[];
  /** The .text section (empty when the source has none). */
  readonly text: AsmSection;
  /** .text as big-endian 32-bit words (a trailing partial word is zero-padded). */
  readonly words: Uint32Array;
  /** A section by name. */
  section(name: string): AsmSection | undefined;
  /** A symbol by name. */
  symbol(name: string): AsmSymbol | undefined;
}
