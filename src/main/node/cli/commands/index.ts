// The list of `springboard` subcommands, in the order `springboard --help` shows them.
import type { Command } from '../command.ts';
import { bootCommand } from './boot.ts';
import { disasmCommand } from './disasm.ts';
import { serveCommand } from './serve.ts';

export const commands: readonly Command[] = [serveCommand, disasmCommand, bootCommand];
