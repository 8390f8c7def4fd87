// The list of `springboard` subcommands, in the order `springboard --help` shows them.
import type { Command } from '../command.ts';

export const commands: readonly Command[] = [];
