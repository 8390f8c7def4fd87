// Adapter from the SPARC decoder/formatter (src/main/core/sparc) to the listing's InstructionFormatter.
import type { ElfFile } from '../elf/index.ts';
import { decodeRow, formatWord, type AddressPrinter as SparcAddressPrinter, type Mode } from '../sparc/index.ts';
import type { AddressPrinter, InstructionFormatter } from './listing.ts';
import { decoderMode } from './mode.ts';

const word = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;

/** Formats instructions in the decoder mode objdump would pick for `elf` (or the given one). */
export function sparcFormatter(elf: ElfFile, mode: Mode = decoderMode(elf)): InstructionFormatter {
  // One options object, refilled for every instruction: no allocation per line.
  const options: { address: number; printAddress: SparcAddressPrinter; prev: number | undefined; prevPrev: number | undefined } = {
    address: 0,
    printAddress: (a) => `0x${a.toString(16)}`,
    prev: undefined,
    prevPrev: undefined,
  };
  return {
    format(data: Uint8Array, offset: number, address: number, printAddress: AddressPrinter): string {
      options.address = address;
      options.printAddress = printAddress;
      // objdump reads the previous words only inside the section and at addresses >= 4 / >= 8.
      options.prev = offset >= 4 && address >= 4 ? word(data, offset - 4) : undefined;
      options.prevPrev = offset >= 8 && address >= 8 ? word(data, offset - 8) : undefined;
      return formatWord(word(data, offset), mode, options);
    },
    isDelayed(w: number): boolean {
      return decodeRow(w, mode).delayed;
    },
  };
}
