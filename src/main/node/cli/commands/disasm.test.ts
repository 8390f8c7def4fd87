// The `springboard disasm` command: output, options and clear errors with exit status 2.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../../test/support/cli.ts';
import { disasmCommand } from './disasm.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../../../test/fixtures/elf/bin/${name}`, import.meta.url));

const run = (...argv: string[]) => runCli(argv, [disasmCommand]);

describe('springboard disasm', () => {
  it('prints the listing of a file', async () => {
    const r = await run('disasm', fixture('tiny-v8.elf'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${fixture('tiny-v8.elf')}:     file format elf32-sparc`);
    expect(r.out).toContain('Disassembly of section .text:');
    expect(r.out).toMatch(/[0-9a-f]{8} <_start>:\n\s+[0-9a-f]+:\t[0-9a-f]{2} /);
  });

  it('limits the listing to a function or a range', async () => {
    const f = await run('disasm', fixture('pad-v8.o'), '--function', 'odd1');
    expect(f.code).toBe(0);
    expect(f.out.match(/^[0-9a-f]{8} <.*>:$/gm)).toEqual(['0000006c <odd1>:']);
    const r = await run('disasm', fixture('tiny-v8.elf'), '--start', '0x100a0', '--end', '0x100a8');
    expect(r.code).toBe(0);
    expect(r.out.match(/^ +[0-9a-f]+:/gm)).toEqual(['   100a0:', '   100a4:']);
  });

  it('refuses bad input with a message and status 2, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['disasm', '/no/such/file'], /cannot read \/no\/such\/file: no such file/],
      [['disasm', fileURLToPath(import.meta.url)], /not an ELF file.*\[ELF_NOT_ELF\]/],
      [['disasm', fixture('pad-v8.o'), '--function', 'missing'], /has no symbol "missing"/],
      [['disasm', fixture('pad-v8.o'), '--start', 'ten'], /--start expects a decimal or 0x-hexadecimal number/],
      [['disasm', fixture('pad-v8.o'), '--start', '0x20', '--end', '0x10'], /--end \(0x10\) must be above --start \(0x20\)/],
      [['disasm', fixture('pad-v8.o'), '--end', '0x100000000'], /--end must be a 32-bit address/],
      [['disasm'], /missing FILE/],
      [['disasm', fixture('pad-v8.o'), '--bogus'], /Unknown option/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});
