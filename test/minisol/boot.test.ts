// minisol boots on 1 and 4 CPUs on both engines, shuts down cleanly, runs deterministically, and reports panics symbolically.
import { describe, expect, it } from 'vitest';
import { MinisolSystem, listThreads } from '../../src/main/core/minisol/index.ts';
import { bootAndRun, image, shutdownAndCheck } from './support.ts';

describe('booting minisol', () => {
  for (const engine of ['fast', 'reference'] as const) {
    for (const cpus of [1, 4]) {
      it(`boots on ${cpus} CPU${cpus > 1 ? 's' : ''} with the ${engine} engine and shuts down cleanly`, () => {
        const sys = bootAndRun({ cpus, engine }, 0.03);
        const text = sys.console.lines.join('\n');
        expect(text).toContain(`minisol 1.0 (SPARC V8), ${cpus} cpu(s)`);
        expect(text).toContain(`root mounted; ${cpus} cpu(s) online`);
        expect(text).not.toContain('WARNING');
        const k = sys.kstats();
        expect(k.totals.clock).toBeGreaterThan(20);
        // every CPU takes its own tick
        expect(k.perCpu.filter((c) => (c.clock_tick ?? 0) > 0).length).toBe(cpus);
        expect(shutdownAndCheck(sys)).toEqual([]);
        expect(sys.console.lines.join('\n')).toContain('minisol: halted');
      });
    }
  }

  it('lists the kernel threads with symbolic stacks', () => {
    const sys = bootAndRun({ cpus: 2 }, 0.03);
    const threads = listThreads(sys.read, sys.symbols);
    const names = threads.map((t) => t.name);
    for (const n of ['main', 'pageout', 'fsflush', 'init']) expect(names).toContain(n);
    const init = threads.find((t) => t.name === 'init')!;
    expect(init.pid).toBe(1);
    expect(init.backtrace.join('\n')).toMatch(/genunix:swtch/);
  });
});

describe('determinism', () => {
  const config = { cpus: 2, seed: 5, workloads: ['proxy', 'mixed'] as ('proxy' | 'mixed')[], proxy: { urls: 128 } };
  it('gives the same memory and kstats for the same seed, and different ones for another', () => {
    const a = bootAndRun(config, 0.15);
    const b = bootAndRun(config, 0.15);
    expect(a.instructions).toBe(b.instructions);
    expect(a.memoryHash()).toBe(b.memoryHash());
    expect(a.kstats()).toEqual(b.kstats());
    const c = bootAndRun({ ...config, seed: 6 }, 0.15);
    expect(c.memoryHash()).not.toBe(a.memoryHash());
  });
});

describe('panics', () => {
  it('stops the machine and reports the message, registers and a symbolic backtrace', () => {
    const sys = MinisolSystem.boot(image, { cpus: 2, failure: 'panic' });
    sys.runFor(0.1);
    expect(sys.state).toBe('panicked');
    const p = sys.panic()!;
    expect(p.message).toBe('panic test requested by the host (flags 0x4)');
    expect(p.pid).toBe(0);
    expect(p.trap).toBeNull();
    expect(p.backtrace[0]).toMatch(/^genunix:debug_failure\+0x/);
    expect(p.backtrace.join('\n')).toMatch(/genunix:startup_thread\+0x[0-9a-f]+.*\n.*locore:thread_start/);
    expect(p.text).toMatch(/%g0-7 0x00000000/);
    expect(sys.console.lines.join('\n')).toContain('panic[cpu0]: panic test requested');
  });

  it('reports an unexpected trap with its trap frame', () => {
    const sys = MinisolSystem.boot(image, { failure: 'trap' });
    sys.runFor(0.1);
    expect(sys.state).toBe('panicked');
    const p = sys.panic()!;
    expect(p.message).toMatch(/^unexpected trap 0x7 \(mem_address_not_aligned\) at pc 0x/);
    expect(p.trap!.tt).toBe(7);
    expect(p.backtrace[0]).toMatch(/^genunix:debug_failure\+0x.*\(trap 0x7\)/);
    expect(p.backtrace.join('\n')).toContain('genunix:startup_thread');
  });
});
