// The linear disassembly of one function, from the objdump-compatible listing of src/main/core/disasm.
import { disassembleToString, sparcFormatter } from '../../core/disasm/index.ts';
import type { DisassemblyLine, FunctionSummary } from '../../../shared/index.ts';
import type { DisassemblyPort, LoadedImage } from './ports.ts';

const LABEL = /^([0-9a-f]+) <(.+)>:$/;
const INSN = /^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} ){4})\t?(.*)$/;

/** Parses objdump -d text into lines: a label attaches to the instruction after it. */
export function parseListing(text: string): DisassemblyLine[] {
  const out: DisassemblyLine[] = [];
  let label: string | null = null;
  for (const line of text.split('\n')) {
    const l = LABEL.exec(line);
    if (l) {
      label = l[2]!;
      continue;
    }
    const m = INSN.exec(line);
    if (!m) continue;
    const word = parseInt(m[2]!.replace(/ /g, ''), 16) >>> 0;
    out.push({ address: parseInt(m[1]!, 16), word, text: m[3]!.trim(), label });
    label = null;
  }
  return out;
}

export const objdumpDisassembly: DisassemblyPort = {
  listing(image: LoadedImage, fn: FunctionSummary): readonly DisassemblyLine[] {
    const stop = fn.address + Math.max(fn.size, 4);
    const text = disassembleToString(image.elf, { formatter: sparcFormatter(image.elf), header: false, start: fn.address, stop });
    return parseListing(text);
  },
};
