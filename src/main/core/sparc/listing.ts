// Listing helper: formats a run of words of one section, giving each instruction the two
// preceding words objdump looks at for its "! address" comments.
import { decode } from './decode.ts';
import { formatInstruction } from './format.ts';
import type { AddressPrinter, Instruction, Mode } from './types.ts';

export interface ListingLine {
  readonly address: number;
  readonly insn: Instruction;
  readonly text: string;
}

/** Disassembles `words` (big-endian instruction words already read) starting at `address`. */
export function disassemble(words: ArrayLike<number>, address: number, mode: Mode, printAddress?: AddressPrinter): ListingLine[] {
  const out: ListingLine[] = [];
  for (let k = 0; k < words.length; k++) {
    const insn = decode(words[k]!, mode);
    const a = address + 4 * k;
    const text = formatInstruction(insn, {
      address: a,
      printAddress,
      prev: k >= 1 ? words[k - 1]! >>> 0 : undefined,
      prevPrev: k >= 2 ? words[k - 2]! >>> 0 : undefined,
    });
    out.push({ address: a, insn, text });
  }
  return out;
}
