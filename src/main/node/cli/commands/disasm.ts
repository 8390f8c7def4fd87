// `springboard disasm FILE`: the GNU objdump -d listing of a SPARC ELF file, or of one function.
import { readFileSync } from 'node:fs';
import { disassembleToChunks, isSparc, listingSymbolNames, sparcFormatter } from '../../../core/disasm/index.ts';
import { ElfError, parseElf, type ElfFile } from '../../../core/elf/index.ts';
import { CliError, numberOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';

export const disasmCommand: Command = {
  name: 'disasm',
  summary: 'disassemble a SPARC ELF file as GNU objdump -d does',
  description:
    'Prints the listing of every executable section: symbol labels, addresses, raw words and\n' +
    'instructions, with "..." for skipped runs of zeros. --function limits it to one symbol\n' +
    '(like objdump --disassemble=NAME); --start/--end to an address range (like\n' +
    '--start-address/--stop-address: START <= address < END).',
  positionals: [{ name: 'FILE', description: 'a 32-bit big-endian SPARC ELF object, executable or shared library' }],
  options: {
    function: { type: 'string', value: 'NAME', description: 'only the symbol NAME (a function: its st_size bytes)' },
    start: { type: 'string', value: 'ADDR', description: 'first address to list (decimal or 0x-hex)' },
    end: { type: 'string', value: 'ADDR', description: 'list addresses below ADDR (decimal or 0x-hex)' },
  },
  examples: [
    'springboard disasm guest/minisol/build/minisol.elf --function clock_tick',
    'springboard disasm /usr/sparc64-linux-gnu/lib32/libc.so.6 --start 0x27400 --end 0x27500',
  ],
  run: (args, io) => runDisasm(args, io),
};

export function runDisasm(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0]!;
  const start = address(args, 'start');
  const end = address(args, 'end');
  if (start !== undefined && end !== undefined && end <= start) {
    throw new CliError('bad-range', `--end (0x${end.toString(16)}) must be above --start (0x${start.toString(16)})`);
  }
  const fn = stringOption(args, 'function');
  if (fn !== undefined && fn === '') throw new CliError('bad-function', '--function needs a symbol name');

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError('cannot-read', `cannot read ${file}: ${why}`);
  }
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (error) {
    if (error instanceof ElfError) throw new CliError('bad-elf', `${file}: ${error.message} [${error.code}]`);
    throw error;
  }
  if (!isSparc(elf)) {
    throw new CliError('not-sparc', `${file}: e_machine is ${elf.header.machine}, not SPARC (2) or SPARC32PLUS (18); give a SPARC file`);
  }
  if (fn !== undefined && !listingSymbolNames(elf).has(fn)) {
    throw new CliError('no-such-function', `${file} has no symbol "${fn}" in its executable sections (see: springboard disasm ${file} | grep '>:')`);
  }
  const chunks = disassembleToChunks(elf, {
    formatter: sparcFormatter(elf),
    fileName: file,
    ...(fn !== undefined ? { function: fn } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { stop: end } : {}),
  });
  for (const chunk of chunks) io.stdout(chunk);
  return 0;
}

function address(args: ParsedArgs, name: string): number | undefined {
  const v = numberOption(args, name);
  if (v !== undefined && (v < 0 || v > 0xffffffff)) {
    throw new CliError('bad-address', `--${name} must be a 32-bit address, not 0x${v.toString(16)}`);
  }
  return v;
}
