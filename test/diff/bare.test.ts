// A supervisor-mode test kernel (traps.S): trap table, window overflow/underflow handlers, one test per trap class, on both engines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithTool } from '../support/tools.ts';
import { GCC, buildProgram } from '../support/sparc-build.ts';
import { Machine, loadElf, type Device, type DeviceHost, type EngineName } from '../../src/main/core/machine/index.ts';

const source = join(import.meta.dirname, 'bare', 'traps.S');

/** A device at 0x80000000: writing 0x100|n raises interrupt level n, writing n clears it. */
function interruptDevice(): Device {
  let host: DeviceHost | null = null;
  return {
    name: 'irq-test', base: 0x80000000, size: 16,
    read: () => 0,
    write: (_o, _w, v) => (v & 0x100 ? host!.raiseInterrupt(v & 15) : host!.clearInterrupt(v & 15)),
    attach: (h) => { host = h; },
  };
}

function boot(engine: EngineName): { m: Machine; sym: (name: string) => number } {
  const exe = buildProgram([source], { runtime: false, opt: '-O0', flags: ['-Wl,-Ttext=0x10000'] });
  const m = new Machine({ ramSize: 1 << 20, engine });
  m.addDevice(interruptDevice());
  const { elf, entry } = loadElf(m, readFileSync(exe));
  const sym = (name: string): number => {
    const s = elf.symtab!.symbols.find((x) => x.name === name);
    if (!s) throw new Error(`no symbol ${name}`);
    return s.value;
  };
  m.setupCpu(0, { pc: entry });
  return { m, sym };
}

const words = (m: Machine, addr: number, n: number): number[] => Array.from({ length: n }, (_, i) => m.readWord(addr + 4 * i));

describeWithTool(GCC, 'supervisor-mode traps (traps.S)', () => {
  for (const engine of ['reference', 'fast'] as const) {
    it(`records the V8 trap types and results (${engine})`, () => {
      const { m, sym } = boot(engine);
      m.addBreakpoint(sym('done'));
      const r = m.run({ maxSteps: 1_000_000 });
      expect(r.event).toEqual({ kind: 'breakpoint', cpu: 0, pc: sym('done') });
      expect(words(m, sym('results'), 23)).toEqual([
        210, 15, 15, // rec(20) through 15 window overflows and 15 underflows
        0x55, // taddcctv overflow left rd alone
        7, // %asr17: CPU 0, NWINDOWS-1 = 7
        0x004000e0, // back in supervisor mode after ta 0x30 (S=1, PS=1, ET=1; Z from the handler)
        0x77, // sta/lda ASI 0xb
        18, 19, 20, // traps logged: before the interrupt, after PIL dropped (level 5), after level 15
        10, 11, // save/restore rd
        2, 0x01ff0304, 0x01ff0304, // ldstub, the word after it, swap's old value
        0, 0x11112222, 0x33334444, 0x33334444, // alignment pad, std'd pair, ldd'd odd register
        0, 1, // instruction counter high word, low word past 100
        0x47, 0x1c71c4c0, // 32 mulscc steps: 0x12345678 * 1000
      ]);
      const count = m.readWord(sym('traplog'));
      expect(words(m, sym('traplog') + 4, count)).toEqual([
        0x07, 0x07, 0x07, // misaligned ld, sth, jmp
        0x02, // unimp
        0x0a, 0x0a, // taddcctv, tsubcctv
        0x2a, 0x2a, // udiv, sdivcc by zero
        0xa5, 0x81, // ta 0x25, ta %o0 + 0x7e
        0x02, // rd %asr5
        0x04, 0x04, // fadds, ld to %f0
        0x02, // wrpsr with CWP 9
        0x03, 0x03, // rd %psr, lda in user mode
        0xb0, // ta 0x30
        0x09, // lda with ASI 0x33
        0x15, 0x1f, // interrupt levels 5 and 15
      ]);
    });
  }

  it('ends in error mode on a trap with ET=0, with a state dump', () => {
    for (const engine of ['reference', 'fast'] as const) {
      const { m, sym } = boot(engine);
      m.setupCpu(0, { pc: sym('errtest'), psr: 0x80 });
      const r = m.run({ maxSteps: 100 });
      expect(r.event?.kind).toBe('halt');
      if (r.event?.kind !== 'halt') return;
      expect(r.event.reason).toMatch(/illegal_instruction .*error mode/);
      expect(r.event.dump).toContain(`pc ${sym('errtest').toString(16).padStart(8, '0')}`);
      expect(m.cpus[0]!.state).toBe('error');
      expect(m.run({ maxSteps: 10 }).event).toEqual({ kind: 'idle' });
    }
  });

  it('gives identical machine state on both engines, step by step at block boundaries', () => {
    const a = boot('reference');
    const b = boot('fast');
    for (let i = 0; i < 40; i++) {
      a.m.run({ maxSteps: 37 });
      b.m.run({ maxSteps: 37 });
      expect(b.m.cpus[0]!.snapshot()).toEqual(a.m.cpus[0]!.snapshot());
    }
    expect([...b.m.readMemory(b.sym('results'), 512)]).toEqual([...a.m.readMemory(a.sym('results'), 512)]);
  });

  it('snapshot and restore replay the same run', () => {
    const { m, sym } = boot('fast');
    m.run({ maxSteps: 500 });
    const snap = m.snapshot();
    m.run({ maxSteps: 700 });
    const first = { cpu: m.cpus[0]!.snapshot(), mem: [...m.readMemory(sym('results'), 600)] };
    m.restore(snap);
    m.run({ maxSteps: 700 });
    expect({ cpu: m.cpus[0]!.snapshot(), mem: [...m.readMemory(sym('results'), 600)] }).toEqual(first);
  });
});
