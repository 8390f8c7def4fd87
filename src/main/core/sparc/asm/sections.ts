// Sections as pass 1 builds them: subsections of items, their layout, and GNU as's padding.
import type { Mode } from '../types.ts';
import type { Pos } from './errors.ts';
import type { Expr } from './expr.ts';
import { formsNamed } from './forms.ts';
import type { Match } from './operands.ts';

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

/** Something placed in a subsection during pass 1 (offsets are relative to the subsection). */
export type Item =
  | { readonly k: 'bytes'; readonly off: number; readonly bytes: Uint8Array }
  | { readonly k: 'insn'; readonly off: number; readonly m: Match; readonly at: Pos }
  | { readonly k: 'value'; readonly off: number; readonly size: 1 | 2 | 4 | 8; readonly expr: Expr; readonly at: Pos; readonly ua: boolean };

/** A subsection (`.subsection n`, `.text n`): laid out in numeric order at the end of pass 1. */
export interface Chunk {
  readonly section: Section;
  readonly n: number;
  size: number;
  align: number;
  readonly items: Item[];
  /** Offset of the subsection in its section (known after pass 1). */
  base: number;
}

export interface Section {
  readonly name: string;
  flags: SectionFlags;
  nobits: boolean;
  readonly chunks: Map<number, Chunk>;
  /** Final size and alignment (after pass 1). */
  size: number;
  align: number;
  /** Padding between subsections and at the end (after pass 1). */
  readonly pads: { off: number; bytes: Uint8Array }[];
}

/** A position in pass 1: subsection and offset in it. */
export interface Here {
  readonly chunk: Chunk;
  readonly offset: number;
}

/** Default flags of well-known section names (GNU as obj-elf.c). */
export function defaultFlags(name: string): { flags: SectionFlags; nobits: boolean } {
  const is = (p: string): boolean => name === p || name.startsWith(`${p}.`);
  if (is('.text')) return { flags: { alloc: true, write: false, exec: true }, nobits: false };
  if (is('.bss') || is('.sbss') || is('.tbss')) return { flags: { alloc: true, write: true, exec: false }, nobits: true };
  if (is('.data') || is('.sdata') || is('.data1') || is('.tdata')) return { flags: { alloc: true, write: true, exec: false }, nobits: false };
  if (is('.rodata') || is('.rodata1')) return { flags: { alloc: true, write: false, exec: false }, nobits: false };
  return { flags: { alloc: false, write: false, exec: false }, nobits: false };
}

/** Padding of `count` bytes at offset `from` (GNU as sparc_handle_align): zeros, and in code
 * nops from the next word on; V8+ code jumps over more than two words with `ba,a,pt %xcc`. */
export function padding(mode: Mode, exec: boolean, from: number, count: number, fill: number | null): Uint8Array {
  const bytes = new Uint8Array(count);
  if (fill !== null) return bytes.fill(fill);
  if (!exec) return bytes;
  const lead = (4 - (from % 4)) % 4;
  const put = (k: number, w: number): void => {
    bytes[k] = w >>> 24;
    bytes[k + 1] = (w >>> 16) & 0xff;
    bytes[k + 2] = (w >>> 8) & 0xff;
    bytes[k + 3] = w & 0xff;
  };
  for (let k = lead; k + 4 <= count; k += 4) put(k, nopWord());
  if (mode !== 'v8' && count - lead > 8) put(lead, skipWord((count - lead) >> 2));
  return bytes;
}

let nop: number | null = null;
/** The nop word, from the table's `nop` form. */
function nopWord(): number {
  nop ??= formsNamed('nop')[0]!.form.match;
  return nop;
}

let skip: number | null = null;
/** `ba,a,pt %xcc, .+4*words` from the table's `b,a %xcc, disp19` form. */
function skipWord(words: number): number {
  skip ??= formsNamed('b,a').find((f) => f.form.syntax === '%xcc , disp19')!.form.match;
  return (skip | (words & 0x7ffff)) >>> 0;
}

