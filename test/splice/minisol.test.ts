// Proof 3: splicing the running minisol kernel. Call counters equal the kernel's own kstats over
// the same interval, and with entry and exit counters on every spliceable function every workload
// runs on and the disk stays fsck-clean after a clean shutdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instrumenter, minisolSplicer } from '../../src/main/core/instrument/index.ts';
import { MinisolSystem, WORKLOADS } from '../../src/main/core/minisol/index.ts';
import type { Point } from '../../src/main/core/splice/index.ts';

const IMAGE = join(import.meta.dirname, '..', '..', 'guest', 'minisol', 'minisol.elf');
const image = new Uint8Array(readFileSync(IMAGE));
/** Functions whose kstat counter is bumped once per call, first thing. */
const KSTAT_FUNCTIONS = ['copen', 'falloc', 'vn_open', 'vn_create', 'ufs_create', 'ufs_itrunc', 'lookuppn', 'dnlc_lookup', 'ufs_lookup',
  'ufs_dirlook', 'bread', 'kmem_alloc', 'cfork', 'preempt', 'kpreempt', 'disp', 'swtch', 'ufs_read', 'ufs_write', 'ufs_getpage'];

describe('splicing minisol while it runs', () => {
  for (const [cpus, farHeap] of [[1, false], [2, false], [2, true]] as const) {
    it(`call counters equal the kernel's kstats (${cpus} CPU${cpus > 1 ? 's' : ''}${farHeap ? ', far patch heap through springboards in _init/_fini' : ''})`, () => {
      const sys = MinisolSystem.boot(image, { cpus, workloads: ['proxy', 'readers'], seed: 3 });
      sys.runFor(0.02);
      const { splicer } = minisolSplicer(sys, { farHeap });
      const ins = new Instrumenter(splicer);
      const ms = KSTAT_FUNCTIONS.map((f) => [f, ins.enable('calls', { code: f })] as const);
      const k0 = sys.kstats().totals;
      expect(sys.runFor(0.1).state).toBe('running');
      const k1 = sys.kstats().totals;
      if (farHeap) expect(splicer.log.filter((e) => e.op === 'springboard').length).toBe(KSTAT_FUNCTIONS.length);
      const got = ms.map(([f, m]) => [f, ins.value(m)]);
      const want = ms.map(([f]) => [f, k1[f]! - k0[f]!]);
      expect(got).toEqual(want);
      expect(want.filter(([, v]) => (v as number) > 0).length).toBeGreaterThan(10);
      // Remove them all mid-run, reclaim at quiescence, and the kernel runs on. The walker is
      // conservative (every word of kernel data and heap): a stale pc in a dead trap frame keeps a
      // patch, so most but not necessarily all are freed.
      for (const [, m] of ms) ins.disable(m);
      for (let k = 0; k < 3; k++) {
        sys.runFor(0.01);
        splicer.reclaim();
      }
      expect(splicer.retiredCount).toBeLessThan(KSTAT_FUNCTIONS.length / 2);
      expect(sys.shutdown().state).toBe('halted');
      expect(sys.fsck().clean).toBe(true);
    }, 120_000);
  }

  it('virtual time excludes time switched out: timers follow threads through swtch', () => {
    const sys = MinisolSystem.boot(image, { cpus: 2, workloads: ['proxy', 'readers'], seed: 3 });
    sys.runFor(0.02);
    const { splicer, contextSwitch, threads } = minisolSplicer(sys);
    expect(threads).not.toBeNull();
    expect(contextSwitch).not.toBeNull();
    const ins = new Instrumenter(splicer, { contextSwitch: contextSwitch! });
    // bread and ufs_read wait for the disk: their wall time is mostly time asleep.
    const fns = ['bread', 'ufs_read', 'kmem_alloc'];
    const w = fns.map((f) => ins.enable('wtime', { code: f }));
    const v = fns.map((f) => ins.enable('vtime', { code: f }));
    const c = fns.map((f) => ins.enable('calls', { code: f }));
    const t0 = sys.now;
    sys.runFor(0.1);
    const cpuTime = 2 * (sys.now - t0);
    const [bw, rw] = [ins.value(w[0]!), ins.value(w[1]!)];
    const [bv, rv, kv] = [ins.value(v[0]!), ins.value(v[1]!), ins.value(v[2]!)];
    expect(ins.value(c[0]!)).toBeGreaterThan(10);
    expect(bw).toBeGreaterThan(0);
    expect(bv).toBeGreaterThan(0);
    expect(bv * 10).toBeLessThan(bw);
    expect(rv * 10).toBeLessThan(rw);
    expect(kv).toBeGreaterThan(0);
    expect(bv + rv + kv).toBeLessThan(cpuTime);
    expect(sys.shutdown().state).toBe('halted');
    expect(sys.fsck().clean).toBe(true);
  }, 120_000);

  it('every workload stays fsck-clean with entry and exit counters on every spliceable function', () => {
    const sys = MinisolSystem.boot(image, { cpus: 2, workloads: [...WORKLOADS], seed: 5 });
    sys.runFor(0.01);
    const { analysis, splicer } = minisolSplicer(sys);
    const points: Point[] = [];
    const refused: string[] = [];
    for (const f of analysis.functions) {
      if (f.external) continue;
      for (const p of [splicer.points.entry(f.name), ...splicer.points.exits(f.name)]) {
        if (p.refused === null) points.push(p);
        else refused.push(`${p.id}: ${p.refused}`);
      }
    }
    expect(points.length).toBeGreaterThan(900);
    const b = splicer.batch();
    points.forEach((p, k) => b.insert(p, { version: 1, body: [{ op: 'counterAdd', counter: `c${k}` }] }));
    b.commit();
    const out = sys.runFor(0.15);
    expect([out.state, sys.stopReason]).toEqual(['running', null]);
    const total = points.reduce((n, _p, k) => n + splicer.readSum('counter', `c${k}`), 0);
    expect(total).toBeGreaterThan(1000);
    expect(sys.shutdown().state).toBe('halted');
    const report = sys.fsck();
    expect(report.errors).toEqual([]);
    expect(report.clean).toBe(true);
    // What was refused: locore (trap level, traps disabled) and the springboard space.
    expect(refused.filter((r) => !/traps disabled|window traps|trap-level code|DCTI|not analysed/.test(r))).toEqual([]);
  }, 300_000);
});
