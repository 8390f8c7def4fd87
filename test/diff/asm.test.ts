// Hand-written assembly per instruction class (user mode) and the traps that kill a Linux process, vs qemu-sparc.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithTool } from '../support/tools.ts';
import { GCC, QEMU, buildProgram, runOurs, runQemu, writeSource } from '../support/sparc-build.ts';

const asmDir = join(import.meta.dirname, 'asm');

/** A one-instruction-sequence program that then exits with status 0. */
function snippet(name: string, body: string): string {
  return writeSource(`${name}.S`, `\t.text\n\t.global _start\n_start:\n${body}\n\tmov 0, %o0\n\tmov 1, %g1\n\tta 0x10\n`);
}

describeWithTool([GCC, QEMU], 'assembly vs qemu-sparc', () => {
  it('ALU instructions and condition codes on edge values (alu.S)', () => {
    const exe = buildProgram([join(asmDir, 'alu.S')], { runtime: false });
    const want = runQemu(exe);
    expect(want.status).toBe(0);
    expect(want.stdout.length).toBeGreaterThan(20000);
    for (const engine of ['reference', 'fast'] as const) {
      const got = runOurs(exe, engine);
      expect({ ...got, instructions: 0 }).toEqual({ ...want, instructions: 0 });
    }
  });

  const killers: [string, string, string][] = [
    ['misaligned load', '\tset 0x10001, %o1\n\tld [%o1], %o2', 'SIGBUS'],
    ['privileged instruction in user mode', '\trd %psr, %o1', 'SIGILL'],
    ['unimp', '\tunimp 5', 'SIGILL'],
  ];
  for (const [what, body, signal] of killers) {
    it(`kills the process like Linux: ${what} → ${signal}`, () => {
      const exe = buildProgram([snippet(what.replace(/\W+/g, '-'), body)], { runtime: false });
      const want = runQemu(exe);
      expect(want.signal).toBe(signal);
      for (const engine of ['reference', 'fast'] as const) {
        const got = runOurs(exe, engine);
        expect(got.signal).toBe(signal);
        expect(got.stdout).toBe(want.stdout);
      }
    });
  }
});

// qemu-sparc's user mode does not deliver these (it stops with "Unhandled trap"); Linux does.
describeWithTool(GCC, 'traps Linux turns into signals', () => {
  const cases: [string, string, string][] = [
    ['division by zero', '\tudiv %o1, %g0, %o2', 'SIGFPE'],
    ['tag overflow', '\tset 0x7fffffff, %o1\n\ttaddcctv %o1, 1, %o2', 'SIGEMT'],
    ['floating point without an FPU', '\tfadds %f0, %f1, %f2', 'SIGILL'],
    ['ta 1 (breakpoint)', '\tta 1', 'SIGTRAP'],
    ['jump to a misaligned address', '\tset 0x10002, %o1\n\tjmp %o1\n\tnop', 'SIGBUS'],
  ];
  for (const [what, body, signal] of cases) {
    it(`${what} → ${signal}`, () => {
      const exe = buildProgram([snippet(what.replace(/\W+/g, '-'), body)], { runtime: false });
      for (const engine of ['reference', 'fast'] as const) expect(runOurs(exe, engine).signal).toBe(signal);
    });
  }
});
