// The shape every `springboard` subcommand has, and the error type that ends one with a clear message.

/** Where a command writes. The CLI passes the process streams; tests pass collectors. */
export interface CliIo {
  /** Large outputs (listings, a guest program's output) pass bytes: no round trip through strings. */
  stdout(text: string | Uint8Array): void;
  stderr(text: string | Uint8Array): void;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. `ADDR`. */
  value?: string;
  description: string;
  multiple?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
  /** The last positional may take all remaining arguments. */
  variadic?: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Longer text for `springboard CMD --help`. */
  description?: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Returns the process exit status. Throw CliError for a user mistake. */
  run(args: ParsedArgs, io: CliIo): Promise<number> | number;
}

/** A command, or its name and a loader: the registry loads a command's modules only when it runs. */
export type CommandSource = Command | { readonly name: string; load(): Promise<Command> };

/** The command itself, loading it if needed. */
export async function loadCommand(source: CommandSource): Promise<Command> {
  return 'load' in source ? source.load() : source;
}

/** A mistake the user can fix: printed without a stack trace, exit status 2 unless said otherwise. */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Reads a string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Parses a number written in decimal or 0x-hex; names the option in the error. */
export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new CliError('bad-number', `--${name} expects a decimal or 0x-hexadecimal number, not "${text}"`);
  }
  return value;
}
