// Proof 1: splicing counters at every entry, exit, basic block and delay slot of static C programs
// (-O0 and -O2) leaves their output unchanged, and every counter equals the exact execution count
// of its point (counted by the oracle: breakpoints on an unspliced run).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/main/core/splice/index.ts';
import { buildProgram, GCC } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';
import { analyse, countWithBreakpoints, fileBytes, linuxSplicer, load, runToEnd } from './harness.ts';

const PROG = join(import.meta.dirname, 'prog.c');
const counter = (id: string) => ({ version: 1 as const, body: [{ op: 'counterAdd' as const, counter: id }] });

function allPoints(bytes: Uint8Array) {
  const a = analyse(bytes);
  const l = load(bytes, ['prog', '9']);
  const s = linuxSplicer(l, a);
  const points: Point[] = [];
  for (const f of a.functions) {
    if (f.external) continue;
    points.push(s.points.entry(f.name), ...s.points.exits(f.name), ...s.points.blocks(f.name));
    for (const b of f.blocks) {
      const r = a.blockRange(b);
      for (let x = r.start; x < r.end; x += 4) if (s.points.isDelaySlot(x)) points.push(s.points.instruction(x));
    }
  }
  return { a, l, s, points };
}

describeWithTool(GCC, 'splicing counters into running programs', () => {
  for (const opt of ['-O0', '-O2']) {
    describe(`prog.c ${opt}`, () => {
      const bytes = fileBytes(buildProgram([PROG], { opt }));
      const ref = load(bytes, ['prog', '9']);
      runToEnd(ref);

      it('counts every point exactly, with unchanged output', () => {
        const { l, s, points } = allPoints(bytes);
        const ok = points.filter((p) => p.refused === null);
        const refused = points.filter((p) => p.refused !== null);
        expect(ok.length).toBeGreaterThan(100);
        // Install everything in one batch before the program starts.
        const batch = s.batch();
        for (const p of ok) batch.insert(p, counter(p.id));
        batch.commit();
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        expect(l.process.exitStatus).toBe(ref.process.exitStatus);
        const oracle = countWithBreakpoints(load(bytes, ['prog', '9']), ok.map((p) => p.address));
        const wrong = ok.filter((p) => s.readSum('counter', p.id) !== oracle.get(p.address)).map((p) => `${p.id}: ${s.readSum('counter', p.id)} ≠ ${oracle.get(p.address)}`);
        expect(wrong).toEqual([]);
        expect(ok.some((p) => p.placement === 'slot' && s.readSum('counter', p.id) > 0)).toBe(true);
        expect(refused.map((p) => `${p.id}: ${p.refused}`).length).toBeLessThan(ok.length / 10);
      });
    });
  }
});
