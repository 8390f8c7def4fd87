// C programs at -O0/-O1/-O2/-Os: identical stdout and exit status under qemu-sparc and both engines.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithTool } from '../support/tools.ts';
import { GCC, QEMU, buildProgram, runOurs, runQemu } from '../support/sparc-build.ts';

const dir = join(import.meta.dirname, 'programs');
const programs: { name: string; flags?: string[]; args?: string[] }[] = [
  { name: 'sort' },
  { name: 'recursion' },
  { name: 'int64' },
  { name: 'dispatch' },
  { name: 'asm-edges' },
  // The program stores into its own text: link it writable (-N) so that qemu-user allows it.
  { name: 'selfmod', flags: ['-Wl,-N'] },
  { name: 'syscalls', args: ['one', 'two'] },
];

describeWithTool([GCC, QEMU], 'C programs: qemu-sparc vs reference vs fast engine', () => {
  for (const p of programs) {
    for (const opt of ['-O0', '-O1', '-O2', '-Os']) {
      it(`${p.name} ${opt}`, () => {
        const exe = buildProgram([join(dir, `${p.name}.c`)], { opt, flags: p.flags });
        const want = runQemu(exe, p.args);
        const ref = runOurs(exe, 'reference', p.args);
        const fast = runOurs(exe, 'fast', p.args);
        expect(want.stdout.length).toBeGreaterThan(0);
        expect({ stdout: ref.stdout, status: ref.status, signal: ref.signal }).toEqual(want);
        expect({ stdout: fast.stdout, status: fast.status, signal: fast.signal }).toEqual(want);
        expect(fast.instructions).toBe(ref.instructions);
      });
    }
  }
});
