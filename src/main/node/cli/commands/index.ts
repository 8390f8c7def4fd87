// The list of `springboard` subcommands, in the order `springboard --help` shows them. Each is
// loaded only when used, so `springboard disasm` does not load the machine, the kernel or the daemon.
import type { CommandSource } from '../command.ts';

// In the order of the workflow: read code, analyse it, run it, boot the kernel, instrument it, serve the workbench.
export const commands: readonly CommandSource[] = [
  { name: 'disasm', load: async () => (await import('./disasm.ts')).disasmCommand },
  { name: 'analyze', load: async () => (await import('./analyze.ts')).analyzeCommand },
  { name: 'run', load: async () => (await import('./run.ts')).runCommand },
  { name: 'boot', load: async () => (await import('./boot.ts')).bootCommand },
  { name: 'instrument', load: async () => (await import('./instrument.ts')).instrumentCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
];
