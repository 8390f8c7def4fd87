// The machine without an assembler: memory, devices, scheduler determinism, events, breakpoints, watchpoints, host writes.
import { describe, expect, it } from 'vitest';
import { Machine, MachineError, type Device, type DeviceHost, type EngineName } from './index.ts';
import { add, addr, b, bytesOf, ld, ldstub, nop, r, sethi, st, subcc, ta, wrpsr } from '../../../../test/support/sparc-encode.ts';

const engines: EngineName[] = ['reference', 'fast'];

describe('physical memory and devices', () => {
  it('is big-endian with byte, halfword and word views, and reads zero where never written', () => {
    const m = new Machine({ ramSize: 1 << 20 });
    m.writeMemory(0x1000, new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]));
    expect(m.readWord(0x1000)).toBe(0x12345678);
    expect(m.bus.read(0x1001, 1)).toBe(0x34);
    expect(m.bus.read(0x1002, 2)).toBe(0x5678);
    m.bus.write(0x1003, 1, 0xff);
    expect(m.readWord(0x1000)).toBe(0x123456ff);
    m.bus.write(0x1000, 2, 0xabcd);
    expect(m.readWord(0x1000)).toBe(0xabcd56ff);
    expect(m.readWord(0x80000)).toBe(0);
    expect([...m.readMemory(0x1002, 4)]).toEqual([0x56, 0xff, 0x9a, 0]);
  });

  it('sends accesses above RAM to devices and reports holes as bus errors', () => {
    const m = new Machine({ ramSize: 1 << 20 });
    const log: string[] = [];
    const dev: Device = {
      name: 'probe', base: 0x200000, size: 0x100,
      read: (o, w) => { log.push(`r${o}/${w}`); return 0xcafebabe; },
      write: (o, w, v) => { log.push(`w${o}/${w}=${v.toString(16)}`); },
    };
    m.addDevice(dev);
    expect(m.bus.read(0x200010, 4)).toBe(0xcafebabe);
    expect(m.bus.read(0x200011, 1)).toBe(0xbe);
    m.bus.write(0x200020, 2, 0x12345);
    expect(log).toEqual(['r16/4', 'r17/1', 'w32/2=2345']);
    m.bus.read(0x300000, 4);
    expect(m.bus.fault).toBe(true);
    expect(() => m.addDevice({ ...dev, name: 'clash', base: 0x200080 })).toThrow(MachineError);
    expect(() => m.addDevice({ ...dev, name: 'in-ram', base: 0x1000 })).toThrow(/overlaps RAM/);
  });
});

/** Loads words at `at` and points CPU 0 there in supervisor mode with traps enabled. */
function program(engine: EngineName, words: number[], at = 0x1000, config = {}): Machine {
  const m = new Machine({ ramSize: 1 << 20, engine, ...config });
  m.writeMemory(at, bytesOf(words));
  m.setupCpu(0, { pc: at, psr: 0xa0, wim: 0 });
  m.clearOperationLog();
  return m;
}

describe.each(engines)('running (%s engine)', (engine) => {
  it('stops at breakpoints and resumes past them', () => {
    // loop: add %g1, 1, %g1; ba loop; nop
    const m = program(engine, [add(r('g1'), r('g1'), 1), b(8, -1), nop]);
    m.addBreakpoint(0x1004);
    let res = m.run({ maxSteps: 100 });
    expect(res.event).toEqual({ kind: 'breakpoint', cpu: 0, pc: 0x1004 });
    expect(m.getRegister(0, 'g1')).toBe(1);
    res = m.run({ maxSteps: 100 });
    expect(res.event).toEqual({ kind: 'breakpoint', cpu: 0, pc: 0x1004 });
    expect(m.getRegister(0, 'g1')).toBe(2);
    m.removeBreakpoint(0x1004);
    res = m.run({ maxSteps: 30 });
    expect(res.reason).toBe('limit');
    expect(m.getRegister(0, 'g1')).toBe(12);
  });

  it('reports a watchpoint after the access completes', () => {
    // sethi %hi(0x2000), %o0; loop: ld [%o0], %o1; add %o1, 1, %o1; st %o1, [%o0]; ba loop; nop
    const m = program(engine, [sethi(r('o0'), 0x2000), ld(r('o1'), r('o0'), 0), add(r('o1'), r('o1'), 1), st(r('o1'), r('o0'), 0), b(8, -3), nop]);
    const w = m.addWatchpoint(0x2000, 4, { write: true });
    let res = m.run({ maxSteps: 1000 });
    expect(res.event).toMatchObject({ kind: 'watchpoint', pc: 0x100c, addr: 0x2000, access: 'write', value: 1, watchpoint: w.id });
    expect(m.getRegister(0, 'pc')).toBe(0x1010);
    res = m.run({ maxSteps: 1000 });
    expect(res.event).toMatchObject({ kind: 'watchpoint', value: 2 });
    m.removeWatchpoint(w.id);
    expect(m.run({ maxSteps: 50 }).reason).toBe('limit');
  });

  it('fires device events on virtual time and takes interrupts by level against PIL', () => {
    // tbr = 0x4000; trap table entry 0x15 (at 0x4150): add %g2, 1, %g2; jmp %l1; rett %l2
    const m = program(engine, [add(r('g1'), r('g1'), 1), b(8, -1), nop]);
    m.writeMemory(0x4150, bytesOf([add(r('g2'), r('g2'), 1), 0x81c44000, 0x81cca000]));
    m.setupCpu(0, { pc: 0x1000, psr: 0xa0 | (4 << 8), tbr: 0x4000 });
    let host: DeviceHost | null = null;
    const fired: number[] = [];
    m.addDevice({
      name: 'timer', base: 0x800000, size: 4, read: () => 0, write: () => {},
      attach: (h) => {
        host = h;
        h.schedule(100, () => { fired.push(h.now()); h.raiseInterrupt(5); });
        h.schedule(300, () => { fired.push(h.now()); h.clearInterrupt(5); h.raiseInterrupt(3); });
      },
    });
    m.run({ maxSteps: 100 });
    expect(fired).toEqual([100]);
    expect(m.getRegister(0, 'g2')).toBe(0);
    expect(m.getRegister(0, 'g1')).toBe(34); // 100 steps of a 3-instruction loop
    m.run({ maxSteps: 1 }); // level 5 > PIL 4: the trap is taken before the next instruction
    expect(m.getRegister(0, 'pc')).toBe(0x4150);
    expect(m.getRegister(0, 'l1')).toBe(0x1004);
    m.run({ maxSteps: 1 });
    expect(m.getRegister(0, 'g2')).toBe(1);
    // The handler returns to the interrupted instruction; the level stays raised, so it is taken again and again.
    m.run({ maxSteps: 310 - m.position });
    expect(fired).toEqual([100, 300]);
    const taken = m.getRegister(0, 'g2');
    expect(taken).toBeGreaterThan(40);
    m.run({ maxSteps: 200 });
    expect(m.getRegister(0, 'g2')).toBe(taken); // level 3 <= PIL 4 is held
    expect(host).not.toBeNull();
  });

  it('runs a program on the snapshot twice with the same result', () => {
    const m = program(engine, [add(r('g1'), r('g1'), 3), subcc(r('g0'), r('g1'), 300), b(9, -2), nop, ta(0)]);
    m.run({ maxSteps: 50 });
    const snap = m.snapshot();
    m.run({ maxSteps: 150 });
    const after = m.cpus[0]!.snapshot();
    m.restore(snap);
    m.run({ maxSteps: 150 });
    expect(m.cpus[0]!.snapshot()).toEqual(after);
  });
});

/**
 * Four CPUs increment a shared counter under an ldstub spin lock and log their index:
 *   lock:  ldstub [%o0], %o2 ; subcc %o2, 0, %g0 ; bne lock ; nop
 *          ld [%o0+4], %o3 ; add %o3, 1, %o3 ; st %o3, [%o0+4]       (counter)
 *          sll-free log: st %o4 (cpu id), [%o0 + 8 + 4*counter] via add
 *          st %g0, [%o0]  (unlock) ; ba lock ; nop
 */
function smp(engine: EngineName, quantum: number, seed: number | null): Machine {
  const words = [
    ldstub(r('o2'), r('o0'), 0), subcc(r('g0'), r('o2'), 0), b(9, -2), nop,
    ld(r('o3'), r('o0'), 4), add(r('o3'), r('o3'), 1), st(r('o3'), r('o0'), 4),
    addr(r('o5'), r('o3'), r('o3')), addr(r('o5'), r('o5'), r('o5')), addr(r('o5'), r('o5'), r('o0')), st(r('o4'), r('o5'), 8),
    st(r('g0'), r('o0'), 0), b(8, -12), nop,
  ];
  const m = new Machine({ ramSize: 1 << 20, engine, cpus: 4, quantum, seed, startAllCpus: true });
  m.writeMemory(0x1000, bytesOf(words));
  for (let i = 0; i < 4; i++) {
    m.setupCpu(i, { pc: 0x1000, psr: 0xa0 });
    m.cpus[i]!.set(r('o0'), 0x10000);
    m.cpus[i]!.set(r('o4'), i + 1);
  }
  return m;
}

describe('several CPUs', () => {
  it('interleave deterministically: same seed, same run bit for bit, on both engines', () => {
    const runs = engines.flatMap((e) => [1, 7].map((q) => {
      const m = smp(e, q, q === 7 ? 42 : null);
      m.run({ maxSteps: 20_000 });
      return { e, q, log: [...m.readMemory(0x10000, 4096)], cpus: m.cpus.map((c) => c.snapshot()) };
    }));
    expect(runs[2]!.log).toEqual(runs[0]!.log);
    expect(runs[2]!.cpus).toEqual(runs[0]!.cpus);
    expect(runs[3]!.log).toEqual(runs[1]!.log);
    expect(runs[3]!.cpus).toEqual(runs[1]!.cpus);
    expect(runs[1]!.log).not.toEqual(runs[0]!.log);
    const counter = (log: number[]): number => (log[4]! << 24) | (log[5]! << 16) | (log[6]! << 8) | log[7]!;
    expect(counter(runs[0]!.log)).toBeGreaterThan(100);
    // Every CPU got the lock at least once.
    const ids = new Set<number>();
    for (let i = 1; i <= counter(runs[1]!.log); i++) ids.add(runs[1]!.log[8 + 4 * i + 3]!);
    expect([...ids].sort()).toEqual([1, 2, 3, 4]);
  });

  it('replays host writes from the operation log', () => {
    const a = smp('fast', 5, 9);
    a.run({ maxSteps: 3000 });
    a.writeWord(0x10004, 1000); // move the counter
    a.run({ maxSteps: 3000 });
    const log = [...a.operationLog];
    const b2 = smp('reference', 5, 9);
    b2.replay(log, a.position);
    expect([...b2.readMemory(0x10000, 2048)]).toEqual([...a.readMemory(0x10000, 2048)]);
    expect(b2.cpus.map((c) => c.snapshot())).toEqual(a.cpus.map((c) => c.snapshot()));
  });
});

describe('host writes into running code', () => {
  it('reach the very next fetch of every CPU, with 4 CPUs at quantum 1', () => {
    for (const engine of engines) {
      // loop: add %g1, 1, %g1 ; PATCH: add %g2, 1, %g2 ; ba loop ; nop
      const patchAt = 0x1004;
      const m = new Machine({ ramSize: 1 << 20, engine, cpus: 4, quantum: 1, startAllCpus: true });
      m.writeMemory(0x1000, bytesOf([add(r('g1'), r('g1'), 1), add(r('g2'), r('g2'), 1), b(8, -2), nop]));
      for (let i = 0; i < 4; i++) m.setupCpu(i, { pc: 0x1000, psr: 0xa0 });
      m.run({ maxSteps: 4 * 4 * 500 + 6 });
      const at = m.cpus.map((c) => ({ g1: c.get(1), g2: c.get(2), pc: c.pc }));
      m.writeWord(patchAt, add(r('g2'), r('g2'), 100));
      // From here every execution of the patched word must add 100, on every CPU.
      for (let k = 0; k < 40; k++) {
        m.run({ maxSteps: 4 * 3 + k });
        for (const cpu of m.cpus) {
          const before = at[cpu.index]!;
          const passes = cpu.get(1) - before.g1 + (before.pc === patchAt ? 1 : 0) - (cpu.pc === patchAt ? 1 : 0);
          expect(cpu.get(2) - before.g2, `${engine} cpu ${cpu.index} round ${k}`).toBe(100 * passes);
        }
      }
    }
  });

  it('reach translated code at addresses at or above 2^31 too', () => {
    // Kernel text lives at 0xf0004000: invalidating translations must treat addresses as unsigned.
    // loop: add %g1, 1, %g1 ; PATCH: add %g2, 1, %g2 ; ba loop ; nop — run long enough to be translated.
    const loop = 0xf0001000;
    const m = new Machine({ ramSize: 2 ** 32, engine: 'fast' });
    m.writeMemory(loop, bytesOf([add(r('g1'), r('g1'), 1), add(r('g2'), r('g2'), 1), b(8, -2), nop]));
    m.setupCpu(0, { pc: loop, psr: 0xa0 });
    m.run({ maxSteps: 4000 });
    expect(m.cpus[0]!.pc).toBe(loop); // a whole number of passes
    const g2 = m.cpus[0]!.get(2);
    m.writeWord(loop + 4, add(r('g2'), r('g2'), 100));
    m.run({ maxSteps: 4000 });
    expect(m.cpus[0]!.get(2) - g2).toBe(100 * 1000);
  });

  it('stores by one CPU into another CPU\'s hot loop take effect on its next fetch', () => {
    // CPU 1 spins on: loop: add %g1, 1, %g1 ; ba loop ; nop. CPU 0 rewrites the add to `ta 5` once.
    const m = new Machine({ ramSize: 1 << 20, engine: 'fast', cpus: 2, quantum: 1, startAllCpus: true });
    m.writeMemory(0x1000, bytesOf([add(r('g1'), r('g1'), 1), b(8, -1), nop]));
    m.writeMemory(0x2000, bytesOf([sethi(r('o0'), 0x1000), sethi(r('o1'), ta(5) & ~0x3ff), add(r('o1'), r('o1'), ta(5) & 0x3ff), st(r('o1'), r('o0'), 0), b(8, 0), nop]));
    m.setupCpu(0, { pc: 0x2000, psr: 0xa0 });
    m.setupCpu(1, { pc: 0x1000, psr: 0xa0, tbr: 0x8000 });
    m.trapFilter = () => true;
    const res = m.run({ maxSteps: 1000 });
    expect(res.event).toMatchObject({ kind: 'trap', cpu: 1, tt: 0x85, pc: 0x1000 });
    // CPU 0 stored on its 4th step; CPU 1 had run its loop ~4 steps: the store was seen at once.
    expect(m.cpus[1]!.get(1)).toBeLessThanOrEqual(2);
  });
});

describe('PSR and windows', () => {
  it('rejects a wrpsr with CWP >= NWINDOWS and keeps CWP within NWINDOWS', () => {
    for (const engine of engines) {
      const m = program(engine, [wrpsr(r('g0'), 0xa0 | 5), nop, wrpsr(r('g0'), 0xa0 | 6)], 0x1000, { nwindows: 6 });
      m.cpus[0]!.tbr = 0x8000;
      m.trapFilter = () => true;
      const res = m.run({ maxSteps: 10 });
      expect(res.event).toMatchObject({ kind: 'trap', tt: 2, pc: 0x1008 });
      expect(m.cpus[0]!.cwp).toBe(4); // 5, then the trap decremented it
    }
  });
});

describe('host writes above 2^31', () => {
  it('invalidate translated code there too (writeMemory of several words)', () => {
    const base = 0x80001000;
    const m = new Machine({ ramSize: 2 ** 32, engine: 'fast' });
    m.writeMemory(base, bytesOf([add(r('g1'), r('g1'), 1), b(8, -1), nop]));
    m.setupCpu(0, { pc: base, psr: 0xa0 });
    m.run({ maxSteps: 30 });
    expect(m.getRegister(0, 'g1')).toBe(10);
    m.writeMemory(base, bytesOf([add(r('g1'), r('g1'), 5), b(8, -1)]));
    m.run({ maxSteps: 30 });
    expect(m.getRegister(0, 'g1')).toBe(60);
  });
});

describe('devices inside translated code', () => {
  /**
   * A loop that reads the clock from a device, stores it to RAM and pokes the device, which
   * queues an event a few cycles ahead (mid-slice) and, at the 40th poke, stops the CPU until an
   * event 50 cycles later. Both engines, whatever the run() chunking, must see the same times,
   * fire the events at the same cycles and stop at the same instruction.
   */
  function clockLoop(engine: EngineName, chunk: number): unknown {
    // sethi %hi(0x800000), %o0; sethi %hi(0x2000), %o1
    // loop: ld [%o0], %g3; st %g3, [%o1]; add %o1, 4, %o1; add %g1, 1, %g1; st %g1, [%o0 + 4]; ba loop; nop
    const m = program(engine, [
      sethi(r('o0'), 0x800000), sethi(r('o1'), 0x2000),
      ld(r('g3'), r('o0'), 0), st(r('g3'), r('o1'), 0), add(r('o1'), r('o1'), 4), add(r('g1'), r('g1'), 1), st(r('g1'), r('o0'), 4), b(8, -5), nop,
    ], 0x1000, { quantum: 50 });
    const fired: number[] = [];
    const cpu = m.cpus[0]!;
    m.addDevice({
      name: 'clock', base: 0x800000, size: 8,
      read: () => m.now(),
      write: (_o, _w, v) => {
        if (v % 5 === 0) m.schedule(m.now() + 3, () => fired.push(m.now()));
        if (v === 40) {
          cpu.state = 'stopped';
          m.schedule(m.now() + 50, () => { fired.push(-m.now()); cpu.state = 'running'; });
        }
      },
    });
    while (m.position < 2000) m.run({ maxSteps: Math.min(chunk, 2000 - m.position) });
    const times = [...Array(60).keys()].map((i) => m.readWord(0x2000 + 4 * i));
    return { times, fired, g1: m.getRegister(0, 'g1'), pc: m.getRegister(0, 'pc'), steps: cpu.steps, idle: cpu.idleCycles };
  }

  it('see exact virtual time, events and stops on both engines and for any run() chunking', () => {
    const want = clockLoop('reference', 1);
    const w = want as { times: number[]; fired: number[]; idle: number };
    // Each pass is 7 steps, the load is step 3: the clock reads 2, 9, 16, ...
    expect(w.times.slice(0, 4)).toEqual([2, 9, 16, 23]);
    // The 5th poke is step 35 (the clock reads 34 during it): its event fires at cycle 37, mid-slice.
    expect(w.fired[0]).toBe(37);
    // The 40th poke (step 280) stops the CPU; the wake-up event fires at 279 + 50, after 49 idle cycles.
    expect(w.fired).toContain(-(279 + 50));
    expect(w.idle).toBe(49);
    for (const engine of engines) for (const chunk of [1, 7, 64, 2000]) expect(clockLoop(engine, chunk), `${engine}, chunks of ${chunk}`).toEqual(want);
  });
});
