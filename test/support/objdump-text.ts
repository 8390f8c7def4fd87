// Runs GNU objdump and reads its -d listing: the oracle the listing tests compare against.
import { execFileSync } from 'node:child_process';
import type { AddressPrinter, InstructionFormatter } from '../../src/main/core/disasm/index.ts';

export const OBJDUMP = 'sparc64-linux-gnu-objdump';

/** `objdump -d FILE [args]` as text. */
export function objdumpListing(file: string, args: readonly string[] = []): string {
  return execFileSync(OBJDUMP, ['-d', ...args, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** Instruction text by "address:word" (hex), from an objdump listing (the part after the raw bytes). */
export function instructionTexts(listing: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^ *([0-9a-f]+):\t((?:[0-9a-f]{2} ){4})\t(.*)$/gm;
  for (const m of listing.matchAll(re)) out.set(`${parseInt(m[1]!, 16).toString(16)}:${m[2]!.replaceAll(' ', '')}`, m[3]!);
  return out;
}

/** Delayed control transfers as sparc-dis.c sees them (F_DELAYED with a branch/jump/call flag). */
export function isDelayedSparc(word: number, text: string | undefined): boolean {
  if (text === undefined || text.startsWith('unknown')) return false;
  const op = word >>> 30;
  if (op === 1) return true;
  if (op === 0) {
    const op2 = (word >>> 22) & 7;
    return op2 === 1 || op2 === 2 || op2 === 3 || op2 === 5 || op2 === 6 || op2 === 7;
  }
  if (op === 2) {
    const op3 = (word >>> 19) & 0x3f;
    return op3 === 0x38 || op3 === 0x39;
  }
  return false;
}

/**
 * An instruction formatter that takes each instruction's text from objdump's own listing and
 * re-renders every "ADDR <symbol>" in it with our symbol lookup. With it, a listing comparison
 * tests only the listing (symbols, headers, zero skipping, addresses), not the decoder.
 */
export function oracleFormatter(listing: string): InstructionFormatter {
  const texts = instructionTexts(listing);
  let last: string | undefined;
  return {
    format(data: Uint8Array, offset: number, address: number, printAddress: AddressPrinter): string {
      let word = '';
      for (let i = 0; i < 4; i++) word += data[offset + i]!.toString(16).padStart(2, '0');
      const text = texts.get(`${address.toString(16)}:${word}`);
      last = text;
      if (text === undefined) return '<no objdump text>';
      return text.replace(/(0x)?\b([0-9a-f]+) <[^>]*>$|\b0x([0-9a-f]+)$(?<=(?:call|b\S*|fb\S*|cb\S*|br\S*) .*)/, (whole, _p, hex: string | undefined, bare: string | undefined) => {
        if (hex !== undefined) return printAddress(parseInt(hex, 16));
        if (bare !== undefined) return printAddress(parseInt(bare, 16));
        return whole;
      });
    },
    isDelayed(word: number): boolean {
      return isDelayedSparc(word, last);
    },
  };
}
