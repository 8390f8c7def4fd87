// `springboard run FILE`: runs a static 32-bit SPARC V8 Linux executable on the emulator (Linux user-mode personality).
import { readFileSync, writeFileSync } from 'node:fs';
import { ElfError } from '../../../core/elf/index.ts';
import { MachineError, runLinuxProgram, type EngineName } from '../../../core/machine/index.ts';
import { CliError, numberOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a static SPARC V8 Linux executable on the emulator',
  description:
    "The program's standard output and error go to ours and its exit status becomes ours\n" +
    '(128 + the signal number when a trap killed it, as a shell reports it). System calls are\n' +
    'served by a Linux user-mode personality (write, read from our stdin, brk, mmap, exit, …).\n' +
    'Both engines give identical results; `reference` is the slow, obvious interpreter.',
  positionals: [
    { name: 'FILE', description: 'a static 32-bit SPARC V8 (EM_SPARC) Linux executable' },
    { name: 'ARGS', description: 'arguments passed to the program (put -- before them if one starts with -)', optional: true, variadic: true },
  ],
  options: {
    engine: { type: 'string', value: 'fast|reference', description: 'execution engine (default fast)' },
    'max-instructions': { type: 'string', value: 'N', description: 'stop after N instructions (exit status 124 if the program had not finished)' },
    'stats-json': { type: 'string', value: 'OUT', description: 'write { instructions, seconds, mips, engine } to OUT' },
    nwindows: { type: 'string', value: 'N', description: 'register windows per CPU, 2..32 (default 8)' },
  },
  examples: [
    'springboard run hello.elf',
    'springboard run bench.elf --engine reference --max-instructions 1000000 --stats-json stats.json',
  ],
  run: (args, io) => runProgram(args, io),
};

export function runProgram(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0]!;
  const engine = stringOption(args, 'engine') ?? 'fast';
  if (engine !== 'fast' && engine !== 'reference') throw new CliError('bad-engine', `--engine must be fast or reference, not "${engine}"`);
  const maxInstructions = numberOption(args, 'max-instructions');
  const nwindows = numberOption(args, 'nwindows');
  const statsPath = stringOption(args, 'stats-json');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError('cannot-read', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const out = (b: Uint8Array): void => io.stdout(b.slice());
  const err = (b: Uint8Array): void => io.stderr(b.slice());
  const start = performance.now();
  let result;
  try {
    result = runLinuxProgram(bytes, {
      engine: engine as EngineName,
      argv: [file, ...args.positionals.slice(1)],
      envp: [],
      exePath: file,
      stdout: out,
      stderr: err,
      ...(maxInstructions !== undefined ? { maxInstructions } : {}),
      ...(nwindows !== undefined ? { nwindows } : {}),
    });
  } catch (error) {
    if (error instanceof ElfError) throw new CliError('bad-elf', `${file}: ${error.message} [${error.code}]`);
    if (error instanceof MachineError) throw new CliError(error.code, `${file}: ${error.message}`);
    throw error;
  }
  const seconds = (performance.now() - start) / 1000;
  if (statsPath !== undefined) {
    const stats = { instructions: result.instructions, seconds, mips: seconds > 0 ? result.instructions / seconds / 1e6 : 0, engine };
    writeFileSync(statsPath, JSON.stringify(stats, null, 2) + '\n');
  }
  if (result.exitStatus === null) {
    io.stderr(`springboard run: stopped after ${result.instructions} instructions (--max-instructions)\n`);
    return 124;
  }
  if (result.signal !== null) io.stderr(`springboard run: ${file} killed by signal ${result.signal}: ${result.signalReason}\n`);
  return result.exitStatus;
}
