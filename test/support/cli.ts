// Runs `springboard` commands in-process for tests and collects what they print as text.
import { main } from '../../src/main/node/cli/main.ts';
import type { CommandSource } from '../../src/main/node/cli/command.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `springboard ARGV…` with the given commands (default: all) and returns status and output. */
export async function runCli(argv: readonly string[], commands?: readonly CommandSource[]): Promise<CliRun> {
  const decoder = new TextDecoder();
  let out = '';
  let err = '';
  const io = {
    stdout: (t: string | Uint8Array) => {
      out += typeof t === 'string' ? t : decoder.decode(t, { stream: true });
    },
    stderr: (t: string | Uint8Array) => {
      err += typeof t === 'string' ? t : new TextDecoder().decode(t);
    },
  };
  const code = await main(argv, io, commands);
  out += decoder.decode();
  return { code, out, err };
}
