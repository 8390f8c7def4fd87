// Metrics on a running program: calls equal the exact call counts, timers, concurrency of a
// recursive function, coverage, per-pid and per-CPU focus, the context-switch hook of virtual
// timers, and the sampler's streams in virtual time.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instrumenter, Sampler } from '../../src/main/core/instrument/index.ts';
import { buildProgram, GCC } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';
import { analyse, countWithBreakpoints, fileBytes, linuxSplicer, load, runToEnd } from './harness.ts';

describeWithTool(GCC, 'metrics and the sampler', () => {
  for (const opt of ['-O0', '-O2']) {
    describe(`prog.c ${opt}`, () => {
      const bytes = fileBytes(buildProgram([join(import.meta.dirname, 'prog.c')], { opt }));
      const a = analyse(bytes);
      const ref = load(bytes, ['prog', '9']);
      runToEnd(ref);

      it('calls, timers, concurrency and coverage, sampled in virtual time', () => {
        const l = load(bytes, ['prog', '9']);
        const s = linuxSplicer(l, a, { pid: { kind: 'const', value: 1 } });
        const ins = new Instrumenter(s);
        const fns = a.functions.filter((f) => !f.external && f.name !== '_start').map((f) => f.name);
        const calls = fns.map((f) => ins.enable('calls', { code: f }));
        // The hottest function with a return (fib at -O0; GCC turns part of its recursion into a loop at -O2).
        const hot = opt === '-O0' ? 'fib' : 'classify' in {} ? 'classify' : (a.functionByName('fib') !== undefined && s.points.exits('fib').length > 0 ? 'fib' : 'main');
        const fibConc = ins.enable('concurrency', { code: hot });
        const fibW = ins.enable('wtime', { code: hot });
        const fibV = ins.enable('vtime', { code: hot });
        const cov = ins.enable('coverage', { code: 'main' });
        const pid1 = ins.enable('calls', { code: hot, pid: 1 });
        const pid2 = ins.enable('calls', { code: hot, pid: 2 });
        const cpu0 = ins.enable('calls', { code: hot, cpu: 0 });
        const sampler = new Sampler(ins, 5000, l.machine.now());
        while (l.process.exitStatus === null) {
          l.machine.run({ maxSteps: 5000 });
          sampler.sample(l.machine.now());
        }
        expect(l.out()).toBe(ref.out());
        const oracle = countWithBreakpoints(load(bytes, ['prog', '9']), fns.map((f) => a.functionByName(f)!.address));
        expect(calls.map((m, k) => [fns[k], ins.value(m)]).filter(([f, v]) => v !== oracle.get(a.functionByName(f as string)!.address))).toEqual([]);
        const fibCalls = oracle.get(a.functionByName(hot)!.address)!;
        expect(fibCalls).toBeGreaterThan(0);
        expect(ins.value(pid1)).toBe(fibCalls);
        expect(ins.value(pid2)).toBe(0);
        expect(ins.value(cpu0)).toBe(fibCalls);
        expect(ins.value(fibConc)).toBe(0); // every call returned
        expect(ins.value(fibW)).toBeGreaterThan(fibCalls * 5);
        expect(Math.abs(ins.value(fibV) - ins.value(fibW))).toBeLessThanOrEqual(fibCalls * 64); // no context switches in one process: equal but for the snippets' own cycles
        const blocks = a.functionByName('main')!.blocks.map((b) => a.blockRange(b).start);
        const covOracle = countWithBreakpoints(load(bytes, ['prog', '9']), blocks);
        expect(ins.value(cov)).toBe([...covOracle.values()].filter((v) => v > 0).length);
        // streams: one per metric × focus, monotone cumulative calls; fib's concurrency was > 1 at some sample
        expect(sampler.streams.size).toBe(ins.active.length);
        const conc = sampler.streams.get(fibConc.id)!.samples;
        expect(Math.max(...conc.map((x) => x.value))).toBeGreaterThan(opt === '-O0' ? 1 : 0);
        const fc = sampler.streams.get(calls[fns.indexOf(hot)]!.id)!.samples;
        for (let k = 1; k < fc.length; k++) expect(fc[k]!.value).toBeGreaterThanOrEqual(fc[k - 1]!.value);
        expect(fc[fc.length - 1]!.value).toBe(fibCalls);
        for (const m of ins.active) ins.disable(m);
        expect(s.handles.length).toBe(0);
      });

      it('virtual timers exclude time switched out (context-switch hook)', () => {
        const l = load(bytes, ['prog', '9']);
        const s = linuxSplicer(l, a);
        // Pretend a non-recursive function is the context switch: time inside it is
        // "switched out" for main's virtual timer.
        const sw = ['classify', 'leaf_mix', 'mix64', 'make_pair', 'sum_array', 'apply', 'emit', 'putchar'].find((f) => a.functionByName(f) !== undefined && s.points.exits(f).length > 0 && s.points.exits(f).every((x) => x.refused === null));
        if (sw === undefined) throw new Error('no function to act as the switch');
        const out = s.points.entry(sw);
        const back = s.points.exits(sw);
        const ins = new Instrumenter(s, { contextSwitch: { out: [out], in: back } });
        const w = ins.enable('wtime', { code: 'main' });
        const v = ins.enable('vtime', { code: 'main' });
        const f = ins.enable('wtime', { code: sw });
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        expect(ins.value(v)).toBeLessThan(ins.value(w));
        expect(ins.value(w) - ins.value(v)).toBeGreaterThan(ins.value(f) / 2);
      });
    });
  }
});
