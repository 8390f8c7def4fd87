// The `springboard` command line: finds the subcommand, parses its options, turns errors into messages.
import { parseArgs } from 'node:util';
import { CliError, loadCommand, type CliIo, type Command, type CommandSource, type ParsedArgs } from './command.ts';
import { commandHelp, commandListHelp } from './help.ts';
import { commands as defaultCommands } from './commands/index.ts';

export async function main(argv: readonly string[], io: CliIo, sources: readonly CommandSource[] = defaultCommands): Promise<number> {
  const [name, ...rest] = argv;
  const all = async (): Promise<Command[]> => Promise.all(sources.map(loadCommand));
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const source = topic === undefined ? undefined : sources.find((c) => c.name === topic);
    if (topic !== undefined && source === undefined) {
      io.stderr(`springboard: no command "${topic}".\n\n${commandListHelp(await all())}`);
      return 2;
    }
    io.stdout(source ? commandHelp(await loadCommand(source)) : commandListHelp(await all()));
    return name === undefined ? 2 : 0;
  }
  const source = sources.find((c) => c.name === name);
  if (source === undefined) {
    io.stderr(`springboard: no command "${name}".\n\n${commandListHelp(await all())}`);
    return 2;
  }
  const command = await loadCommand(source);
  let args: ParsedArgs;
  try {
    args = parse(command, rest);
  } catch (error) {
    io.stderr(`springboard ${command.name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  if (args.values.help === true) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`springboard ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
    if (error instanceof Error && typeof code === 'string' && !(error instanceof TypeError) && !(error instanceof RangeError)) {
      // Typed errors of the engine (ElfError, …) carry a code and a message written for users.
      io.stderr(`springboard ${command.name}: ${error.message} [${code}]\n`);
      return 1;
    }
    io.stderr(`springboard ${command.name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` +
      'This is a bug in Springboard; please report it with the command line that caused it.\n');
    return 70;
  }
}

function parse(command: Command, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  if (values.help !== true) {
    const required = command.positionals.filter((p) => !p.optional).length;
    if (positionals.length < required) {
      throw new CliError('missing-argument', `missing ${command.positionals[positionals.length]!.name}`);
    }
    const variadic = command.positionals[command.positionals.length - 1]?.variadic === true;
    if (!variadic && positionals.length > command.positionals.length) {
      throw new CliError('extra-argument', `unexpected argument "${positionals[command.positionals.length]}"`);
    }
  }
  return { values: values as ParsedArgs['values'], positionals };
}
