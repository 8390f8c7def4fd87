// Liveness proved by execution: C programs at -O0/-O1/-O2/-Os run on the machine (Linux personality)
// with every register the analysis calls free overwritten before every instruction; the output must
// equal an undisturbed run. A failure names the point and the register (bisection).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithTool } from '../support/tools.ts';
import { GCC, buildProgram } from '../support/sparc-build.ts';
import { analyze, bisect, run } from '../support/liveness-check.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'analysis');
const programs = join(import.meta.dirname, 'programs');
const benchPrograms = join(import.meta.dirname, '..', '..', 'bench', 'programs');

const cases: { name: string; path: string; args?: string[] }[] = [
  { name: 'switches', path: join(fixtures, 'switches.c') },
  { name: 'dispatch', path: join(programs, 'dispatch.c') },
  { name: 'recursion', path: join(programs, 'recursion.c') },
  { name: 'int64', path: join(programs, 'int64.c') },
  { name: 'sort', path: join(programs, 'sort.c') },
  { name: 'asm-edges', path: join(programs, 'asm-edges.c') },
  { name: 'syscalls', path: join(programs, 'syscalls.c'), args: ['one', 'two'] },
  { name: 'crc32', path: join(benchPrograms, 'crc32.c'), args: ['2'] },
];

describeWithTool([GCC], 'liveness by execution: free registers clobbered before every instruction', () => {
  for (const c of cases) {
    for (const opt of ['-O0', '-O1', '-O2', '-Os']) {
      it(`${c.name} ${opt}`, () => {
        const exe = readFileSync(buildProgram([c.path], { opt }));
        const analysis = analyze(exe);
        const plain = run(exe, null, { args: c.args });
        expect(plain.status).not.toBeNull();
        const maxInstructions = plain.instructions * 2 + 1_000_000;
        // Two different random streams for the program written for this test, one for the others.
        for (const seed of c.name === 'switches' ? [1, 0x5eed] : [1]) {
          const disturbed = run(exe, analysis, { args: c.args, seed, maxInstructions });
          // The check must bite: most executed instructions have something free.
          expect(disturbed.clobberedPoints).toBeGreaterThan(plain.instructions / 4);
          const ok = disturbed.stdout === plain.stdout && disturbed.status === plain.status && disturbed.signal === plain.signal;
          if (!ok) {
            const culprit = bisect(exe, analysis, plain, { args: c.args, seed, maxInstructions });
            expect.fail(`${c.name} ${opt} seed ${seed}: output differs; ${culprit?.text ?? 'no single point found'}`);
          }
        }
      });
    }
  }
});

describeWithTool([GCC], 'liveness by execution: the check catches a wrong answer', () => {
  it('a live register called free is found and named', () => {
    const exe = readFileSync(buildProgram([join(fixtures, 'switches.c')], { opt: '-O2' }));
    const analysis = analyze(exe);
    const plain = run(exe, null);
    // Call %o0 free right before `op` reads it (its first instruction uses the switch argument).
    const op = analysis.functionByName('op')!;
    const masks = analysis.freeMasks('before');
    const n = analysis.instrs.indexOf(op.address);
    const live = analysis.query(op.address, 'before')!;
    expect(live.names).toContain('%o0');
    masks.regs[n] |= 1 << 8;
    const wrong = run(exe, analysis, { masks, maxInstructions: plain.instructions * 2 });
    expect(wrong.stdout === plain.stdout && wrong.status === plain.status).toBe(false);
    const culprit = bisect(exe, analysis, plain, { masks, maxInstructions: plain.instructions * 2 });
    expect(culprit?.address).toBe(op.address);
    expect(culprit?.registers).toContain('%o0');
  });
});
