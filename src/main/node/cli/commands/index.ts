// The list of `springboard` subcommands, in the order `springboard --help` shows them.
import type { Command } from '../command.ts';
import { analyzeCommand } from './analyze.ts';
import { bootCommand } from './boot.ts';
import { disasmCommand } from './disasm.ts';
import { instrumentCommand } from './instrument.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';

// In the order of the workflow: read code, analyse it, run it, boot the kernel, instrument it, serve the workbench.
export const commands: readonly Command[] = [disasmCommand, analyzeCommand, runCommand, bootCommand, instrumentCommand, serveCommand];
