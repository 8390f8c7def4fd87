// Proof 1 (continued): call sites (before/after), CFG edges (taken / not-taken / fall-through) and
// installs while the program runs, checked against a single-stepped trace of the unspliced run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/main/core/sparc/index.ts';
import type { Point } from '../../src/main/core/splice/index.ts';
import { buildProgram, GCC } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';
import { analyse, countWithBreakpoints, fileBytes, linuxSplicer, load, runToEnd, stepTrace } from './harness.ts';

const PROG = join(import.meta.dirname, 'prog.c');
const counter = (id: string) => ({ version: 1 as const, body: [{ op: 'counterAdd' as const, counter: id }] });

/** Expected count of an edge or call-after point from the executed-pc trace. */
function expected(p: Point, trace: Uint32Array, word: (a: number) => number): number | null {
  const q = p.site;
  const i = decode(p.instruction.word, 'v8');
  let n = 0;
  if (p.kind === 'edge' && p.placement === 'after') {
    for (let k = 0; k + 1 < trace.length; k++) if (trace[k] === q && trace[k + 1] === q + 4) n++;
    return n;
  }
  if (p.kind === 'edge') {
    const t = (q + 4 * i.disp22) >>> 0;
    if (t === q + 8) return null; // taken and not-taken look the same
    for (let k = 0; k < trace.length; k++) {
      if (trace[k] !== q) continue;
      const annulAlways = i.a === 1 && (i.cond === 8 || i.cond === 0);
      const after = annulAlways ? trace[k + 1] : trace[k + 1] === q + 4 ? trace[k + 2] : trace[k + 1];
      const taken = after === t;
      if ((p.placement === 'taken') === taken && (taken || after === q + 8)) n++;
    }
    return n;
  }
  if (p.kind === 'call-after') {
    // A return: the previous instruction was the delay slot of a jmpl (ret / retl).
    for (let k = 1; k < trace.length; k++) {
      if (trace[k] === q + 8 && trace[k - 1] !== q + 4 && decode(word(trace[k - 1]! - 4), 'v8').row.control === 'jmpl') n++;
    }
    return n;
  }
  return null;
}

describeWithTool(GCC, 'call-site and edge points', () => {
  for (const opt of ['-O0', '-O2']) {
    describe(`prog.c ${opt}`, () => {
      const bytes = fileBytes(buildProgram([PROG], { opt }));
      const a = analyse(bytes);
      const ref = load(bytes, ['prog', '9']);
      const trace = stepTrace(ref);
      const word = (x: number) => ref.machine.readWord(x);

      it('counts call-before, call-after and edge points exactly', () => {
        const l = load(bytes, ['prog', '9']);
        const s = linuxSplicer(l, a);
        const points: Point[] = [];
        for (const f of a.functions) {
          if (f.external) continue;
          for (const c of s.points.calls(f.name)) points.push(c.before, c.after);
          points.push(...s.points.edges(f.name));
        }
        const ok = points.filter((p) => p.refused === null);
        expect(ok.filter((p) => p.kind === 'edge').length).toBeGreaterThan(50);
        expect(ok.filter((p) => p.kind === 'call-after').length).toBeGreaterThan(20);
        const b = s.batch();
        for (const p of ok) b.insert(p, counter(p.id));
        b.commit();
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        const wrong: string[] = [];
        for (const p of ok) {
          const want = p.kind === 'call-before' ? trace.filter((x) => x === p.address).length : expected(p, trace, word);
          if (want === null) continue;
          const got = s.readSum('counter', p.id);
          if (got !== want) wrong.push(`${p.id}: ${got} ≠ ${want}`);
        }
        expect(wrong).toEqual([]);
      });

      it('installs and removes while the program runs', () => {
        const l = load(bytes, ['prog', '9']);
        const s = linuxSplicer(l, a);
        l.machine.run({ maxSteps: 20_000 });
        const position = l.machine.position;
        const points = a.functions.filter((f) => !f.external).flatMap((f) => [s.points.entry(f.name), ...s.points.blocks(f.name)]).filter((p) => p.refused === null);
        const b = s.batch();
        const hs = points.map((p) => b.insert(p, counter(p.id)));
        b.commit();
        // Half the counters go away mid-run; their sites are restored or re-patched atomically.
        l.machine.run({ maxSteps: 30_000 });
        const rm = s.batch();
        hs.filter((_, k) => k % 2 === 0).forEach((h) => rm.remove(h));
        rm.commit();
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        // The kept half counts exactly from the install position on.
        const oracle = load(bytes, ['prog', '9']);
        oracle.machine.run({ maxSteps: position });
        const kept = hs.filter((_, k) => k % 2 === 1).map((h) => h.point);
        const counts = countWithBreakpoints(oracle, kept.map((p) => p.address));
        expect(kept.filter((p) => s.readSum('counter', p.id) !== counts.get(p.address)).map((p) => p.id)).toEqual([]);
        expect(s.reclaim()).toBeGreaterThanOrEqual(0);
        expect(s.log.some((e) => e.op === 'restore')).toBe(true);
        // Every splice operation is a logged host write with its position and virtual time:
        // replaying the log on a fresh machine gives the same run, counters included.
        expect(s.log.every((e, k) => k === 0 || e.time >= s.log[k - 1]!.time)).toBe(true);
        const replayed = load(bytes, ['prog', '9']);
        replayed.machine.replay(l.machine.operationLog, l.machine.position);
        expect(replayed.out()).toBe(l.out());
        expect(replayed.machine.position).toBe(l.machine.position);
        for (const p of kept) {
          const it = s.data.find('counter', p.id)!;
          expect(replayed.machine.readWord(s.data.address(0, it.offset))).toBe(s.readSum('counter', p.id));
        }
      });
    });
  }
});
