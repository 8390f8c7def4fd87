// The list of `springboard` subcommands, in the order `springboard --help` shows them.
import type { Command } from '../command.ts';
import { analyzeCommand } from './analyze.ts';
import { bootCommand } from './boot.ts';
import { disasmCommand } from './disasm.ts';
import { instrumentCommand } from './instrument.ts';
import { serveCommand } from './serve.ts';

export const commands: readonly Command[] = [serveCommand, disasmCommand, analyzeCommand, bootCommand, instrumentCommand];
