// Proof 3: splicing the running minisol kernel. Call counters equal the kernel's own kstats over
// the same interval; with counters and timers on the entry and every exit of every spliceable
// function every workload runs on, every process gets the result it gets uninstrumented, and the
// disk stays fsck-clean after a clean shutdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instrumenter, type MetricInstance, MINISOL_FAR_PATCH_HEAP, MINISOL_PATCH_HEAP, MINISOL_UNSAFE_MODULE, minisolSplicer, MODLINKAGE_INSTALLED_OFFSET, type TraceRecord } from '../../src/main/core/instrument/index.ts';
import { MinisolSystem, WORKLOADS } from '../../src/main/core/minisol/index.ts';
import { SpliceError, type Point } from '../../src/main/core/splice/index.ts';

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
      // The kernel knows where spliced code lives (it does not preempt a thread interrupted there).
      const range = sys.read(sys.symbols.address('splice_patch_range'), 8);
      expect([0, 4].map((o) => new DataView(range.buffer, range.byteOffset).getUint32(o))).toEqual([...(farHeap ? MINISOL_FAR_PATCH_HEAP : MINISOL_PATCH_HEAP)]);
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

  it('traces entries with their arguments, and an assertion on an argument counts exactly the entries that break it', () => {
    const sys = MinisolSystem.boot(image, { cpus: 2, workloads: ['proxy', 'readers'], seed: 5 });
    sys.runFor(0.02);
    const { splicer } = minisolSplicer(sys);
    const ins = new Instrumenter(splicer);
    expect(() => ins.enable('assertions', { code: 'kmem_alloc' })).toThrow(/needs a predicate/);
    const trace = ins.enable('trace', { code: 'kmem_alloc' });
    // kmem_alloc(size, flags): flag the requests above 128 bytes (most are 72: proc and file structures).
    const big = ins.enable('assertions', { code: 'kmem_alloc' }, { predicate: { arg: 0, kind: 'leu', value: 128 } });
    const k0 = sys.kstats().totals.kmem_alloc!;
    const records: TraceRecord[] = [];
    let dropped = 0;
    for (let k = 0; k < 60; k++) {
      expect(sys.runFor(0.005).state).toBe('running');
      const r = ins.readTrace(trace);
      records.push(...r.records);
      dropped += r.dropped;
    }
    const calls = sys.kstats().totals.kmem_alloc! - k0;
    expect(dropped).toBe(0);
    expect(calls).toBeGreaterThan(20);
    // A CPU stopped between reserving a slot and finishing its record holds that record back (≤ 1 per CPU).
    expect(records.length).toBeLessThanOrEqual(calls);
    expect(records.length).toBeGreaterThanOrEqual(calls - 2);
    expect(ins.value(trace)).toBe(calls);
    expect(new Set(records.map((r) => r.function))).toEqual(new Set(['kmem_alloc']));
    for (let cpu = 0; cpu < 2; cpu++) {
      const mine = records.filter((r) => r.cpu === cpu);
      expect(mine.every((r, k) => k === 0 || r.time >= mine[k - 1]!.time)).toBe(true);
    }
    expect(records.some((r) => r.pid > 0)).toBe(true);
    const large = records.filter((r) => r.args[0]! > 128).length;
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(calls);
    expect(ins.value(big)).toBeGreaterThanOrEqual(large);
    expect(ins.value(big)).toBeLessThanOrEqual(large + calls - records.length);
    // The last failure's pc is kmem_alloc's entry.
    expect(splicer.readPerCpu('assertion', big.data, 1).filter((pc) => pc !== 0)).toContain(splicer.points.entry('kmem_alloc').address);
    ins.disable(trace);
    ins.disable(big);
    expect(sys.shutdown().state).toBe('halted');
  }, 120_000);

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

  it('springboards go only into _init code that has run: splices placed early in a 4-CPU boot, far patch heap', () => {
    const sys = MinisolSystem.boot(image, { cpus: 4, workloads: [...WORKLOADS], seed: 5 });
    const word = (a: number): number => sys.machine.readWord(a >>> 0) >>> 0;
    // Each module's _init and its installed flag, read from the image and guest memory (not from the splicer).
    const inits = sys.elf.symbols.filter((s) => s.name === '_init' && s.type === 2).map((s) => {
      const ml = sys.elf.symbols.find((x) => x.name === `${s.module}_modlinkage`);
      return { module: s.module!, start: s.value, end: s.value + s.size, installed: () => ml !== undefined && word(ml.value + MODLINKAGE_INSTALLED_OFFSET) !== 0 };
    });
    expect(inits.length).toBeGreaterThanOrEqual(16);
    const stray: string[] = [];
    let inInit = 0;
    let seen = 0;
    /** Checks the springboards placed since the last call against the modules installed now (placement is synchronous). */
    const check = (splicer: ReturnType<typeof minisolSplicer>['splicer']): void => {
      for (const e of splicer.log.slice(seen)) {
        if (e.op !== 'springboard') continue;
        const at = parseInt(/at 0x([0-9a-f]+)/.exec(e.detail)![1]!, 16);
        const bytes = e.detail.includes('(call)') ? 8 : 12;
        for (let a = at; a < at + bytes; a += 4) {
          const i = inits.find((x) => a >= x.start && a < x.end);
          if (i === undefined) continue;
          inInit++;
          if (!i.installed()) stray.push(`0x${a.toString(16)} in ${i.module}:_init (not installed) for site 0x${e.site.toString(16)} at ${e.time}`);
        }
      }
      seen = splicer.log.length;
    };
    // Place what fits, one function (entry and exits) per batch; a function with no ready space in reach is refused whole.
    const place = (splicer: ReturnType<typeof minisolSplicer>['splicer'], names: readonly string[]): { placed: number; refused: number } => {
      let placed = 0;
      let refused = 0;
      for (const f of names) {
        const pts = [splicer.points.entry(f), ...splicer.points.exits(f)].filter((p) => p.refused === null);
        if (pts.length === 0 || splicer.points.exits(f).length === 0) continue;
        const b = splicer.batch();
        for (const p of pts) b.insert(p, { version: 1, body: [{ op: 'counterAdd', counter: p.id }] });
        try {
          b.commit();
          placed++;
        } catch (e) {
          if (!(e instanceof SpliceError) || e.code !== 'reach') throw e;
          refused++;
        }
        check(splicer);
      }
      return { placed, refused };
    };
    // 1 ms in: genunix and kstat are installed, vm's _init runs on CPU 0 (main), no thread has run yet.
    sys.runUntil(100_000);
    expect(inits.filter((i) => i.installed()).map((i) => i.module).sort()).toEqual(['genunix', 'kstat']);
    const { analysis, splicer } = minisolSplicer(sys, { farHeap: true });
    const names = analysis.functions.filter((f) => !f.external && f.module !== 'locore').map((f) => f.name);
    const early = place(splicer, names.slice(0, names.length / 2));
    expect(early.placed).toBeGreaterThan(20);
    expect(stray).toEqual([]);
    // Then while startup_thread is inside ufs' _init (it waits for the disk): vm, dnlc and sd are installed.
    const sd = inits.find((i) => i.module === 'sd')!;
    for (let k = 0; k < 1000 && !sd.installed(); k++) sys.runUntil(sys.now + 5_000);
    sys.runUntil(sys.now + 20_000);
    const installed = inits.filter((i) => i.installed()).map((i) => i.module);
    expect(installed).toContain('vm');
    expect(installed).not.toContain('ufs');
    const later = place(splicer, names.slice(names.length / 2));
    expect(later.placed).toBeGreaterThan(10);
    expect(inInit).toBeGreaterThan(0); // space in installed _init code was used
    expect(stray).toEqual([]);
    const out = sys.runFor(0.12);
    expect([out.state, sys.stopReason]).toEqual(['running', null]);
    expect(inits.every((i) => i.installed())).toBe(true);
    const total = splicer.handles.reduce((n, h) => n + splicer.readSum('counter', h.point.id), 0);
    expect(total).toBeGreaterThan(1000);
    expect(sys.shutdown().state).toBe('halted');
    const report = sys.fsck();
    expect(report.errors).toEqual([]);
    expect(report.clean).toBe(true);
  }, 300_000);

  it('harmless: counters and timers on the entry and every exit of every spliceable function; fsck-clean, and every process gets its uninstrumented result', () => {
    // Each workload process folds what it read, served, downloaded or computed into its kstat `result`
    // (its first KSTAT_RESULT_OPS outcomes; timing does not change them). The same boot runs twice.
    const RESULT_OPS = 8;
    const run = (instrumented: boolean) => {
      const sys = MinisolSystem.boot(image, { cpus: 2, workloads: [...WORKLOADS], seed: 5 });
      sys.runFor(0.01);
      const refused: string[] = [];
      let splices = 0;
      let counted = 0;
      let timed = 0;
      let read = (): void => undefined;
      if (instrumented) {
        const { analysis, splicer, contextSwitch } = minisolSplicer(sys);
        const points: Point[] = [];
        for (const f of analysis.functions) {
          if (f.external) continue;
          for (const p of [splicer.points.entry(f.name), ...splicer.points.exits(f.name)]) {
            if (p.refused === null) points.push(p);
            else refused.push(`${p.id}: ${p.refused}`);
          }
        }
        // A counter of its own at every entry and exit ...
        const b = splicer.batch();
        points.forEach((p, k) => b.insert(p, { version: 1, body: [{ op: 'counterAdd', counter: `c${k}` }] }));
        b.commit();
        // ... and a virtual and a wall timer on every function (one per module), the context switch hooked.
        const ins = new Instrumenter(splicer, contextSwitch !== null ? { contextSwitch } : {});
        const timers: MetricInstance[] = [];
        for (const m of new Set(analysis.functions.filter((f) => !f.external && f.module !== null && f.module !== MINISOL_UNSAFE_MODULE).map((f) => f.module!))) {
          for (const metric of ['vtime', 'wtime'] as const) {
            try {
              timers.push(ins.enable(metric, { code: `module:${m}` }));
            } catch (error) {
              // A module whose functions never return (the workloads' process bodies end in _exit) has nothing to time.
              expect((error as Error).message).toMatch(/no point of module:\w+ can be spliced/);
            }
          }
        }
        splices = splicer.handles.length;
        expect(points.length).toBeGreaterThan(900);
        read = () => {
          counted = points.reduce((n, _p, k) => n + splicer.readSum('counter', `c${k}`), 0);
          timed = timers.reduce((n, t) => n + ins.value(t), 0);
        };
      }
      const out = sys.runFor(1.2);
      expect([out.state, sys.stopReason]).toEqual(['running', null]);
      read();
      const procs = sys.kstats().procs.filter((p) => p.counters.result_ops! > 0);
      // Processes that note results have unique names (squid0, sread2, wget7, …): they key the comparison.
      expect(new Set(procs.map((p) => p.name)).size).toBe(procs.length);
      expect(sys.shutdown().state).toBe('halted');
      const report = sys.fsck();
      expect(report.errors).toEqual([]);
      expect(report.clean).toBe(true);
      return { results: new Map(procs.map((p) => [p.name, { ops: p.counters.result_ops!, result: p.counters.result! }])), refused, splices, counted, timed };
    };
    const plain = run(false);
    const spliced = run(true);
    expect(spliced.splices).toBeGreaterThan(3000);
    expect(spliced.counted).toBeGreaterThan(100_000);
    expect(spliced.timed).toBeGreaterThan(0);
    // What was refused: locore (trap level, traps disabled) and the springboard space.
    expect(spliced.refused.filter((r) => !/traps disabled|window traps|trap-level code|springboard space|DCTI|not analysed/.test(r))).toEqual([]);
    // A result covers a process's first `ops` outcomes: compare the processes that got equally far in
    // both runs (most do; device latency, not the instrumentation, sets their pace).
    // Every process that made progress uninstrumented made progress instrumented too.
    expect([...plain.results.keys()].filter((name) => !spliced.results.has(name))).toEqual([]);
    const both = [...plain.results.keys()].filter((name) => spliced.results.get(name)?.ops === plain.results.get(name)!.ops);
    // Readers, proxies, downloads, forkers and spinners: every workload has processes to compare.
    for (const prefix of ['sread', 'rread', 'squid', 'wget', 'forker', 'spin']) expect(both.some((n) => n.startsWith(prefix)), prefix).toBe(true);
    expect(both.length).toBeGreaterThanOrEqual(8);
    expect(both.filter((n) => plain.results.get(n)!.ops === RESULT_OPS).length).toBeGreaterThanOrEqual(4);
    expect(both.map((n) => [n, spliced.results.get(n)])).toEqual(both.map((n) => [n, plain.results.get(n)]));
  }, 300_000);
});
