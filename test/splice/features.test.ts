// Snippet features end to end on a running program: arguments, return values, comparisons, if,
// timers, traces, assertions that stop the machine, self-removing coverage, allow-listed calls,
// live condition codes, springboards for far patches, and the verifier's rejections.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareOp, Expr, Snippet, Stmt } from '../../src/shared/snippet/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { buildPatch, SpliceError, verifyPatch, type Point, type TargetModel } from '../../src/main/core/splice/index.ts';
import { buildProgram, GCC } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';
import { analyse, countWithBreakpoints, fileBytes, linuxSplicer, load, runToEnd } from './harness.ts';

const FEAT = join(import.meta.dirname, 'feat.c');
const snip = (...body: Stmt[]): Snippet => ({ version: 1, body });
const c = (value: number): Expr => ({ op: 'const', value });
const arg = (index: number): Expr => ({ op: 'arg', index });

const N = 100;
const scale = (x: number, y: number) => x * 3 + y;
const pick = (x: number) => (x & 1 ? x * 5 : x > 60 ? x - 60 : Math.trunc(x / 2));
const cmp: Record<CompareOp, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
  ltu: (a, b) => a >>> 0 < b >>> 0, leu: (a, b) => a >>> 0 <= b >>> 0, gtu: (a, b) => a >>> 0 > b >>> 0, geu: (a, b) => a >>> 0 >= b >>> 0,
};

describeWithTool(GCC, 'snippet features', () => {
  for (const opt of ['-O0', '-O2']) {
    describe(`feat.c ${opt}`, () => {
      const bytes = fileBytes(buildProgram([FEAT], { opt }));
      const elf = parseElf(bytes);
      const sym = (name: string) => elf.symbols.find((s) => s.name === name)?.value;
      const a = analyse(bytes);
      const ref = load(bytes, ['feat']);
      runToEnd(ref);
      const setup = (extra = {}) => {
        const l = load(bytes, ['feat']);
        const s = linuxSplicer(l, a, { symbols: sym, allowedCalls: new Map([['on_probe', sym('on_probe')!]]), ...extra });
        return { l, s };
      };

      it('sees arguments at entry and the return value at every exit', () => {
        const { l, s } = setup();
        s.insert(s.points.entry('scale'), snip(
          { op: 'if', cond: { op: 'compare', kind: 'ge', left: arg(0), right: c(50) }, then: [{ op: 'counterAdd', counter: 'big' }], else: [{ op: 'counterAdd', counter: 'small' }] },
          { op: 'counterAdd', counter: 'argsum', value: { op: 'binary', kind: 'add', left: arg(1), right: arg(0) } },
        ));
        for (const p of s.points.exits('scale')) s.insert(p, snip({ op: 'counterAdd', counter: 'rets', value: { op: 'retval' } }));
        for (const p of s.points.exits('pick')) s.insert(p, snip({ op: 'counterAdd', counter: 'picks', value: { op: 'retval' } }));
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        expect(s.readSum('counter', 'big')).toBe(50);
        expect(s.readSum('counter', 'small')).toBe(50);
        expect(s.readSum('counter', 'argsum')).toBe(7 * N + (N * (N - 1)) / 2);
        expect(s.readSum('counter', 'rets')).toBe(Array.from({ length: N }, (_, i) => scale(i, 7)).reduce((x, y) => x + y));
        expect(s.readSum('counter', 'picks')).toBe(Array.from({ length: N }, (_, i) => pick(i)).reduce((x, y) => x + y));
      });

      it('computes every comparison, signed and unsigned, without disturbing the program', () => {
        const { l, s } = setup();
        const p = s.points.entry('pick');
        const rhs = [37, -3, 0];
        const body: Stmt[] = [];
        for (const k of Object.keys(cmp) as CompareOp[]) {
          for (const r of rhs) {
            body.push({ op: 'counterAdd', counter: `${k}${r}`, value: { op: 'compare', kind: k, left: { op: 'binary', kind: 'sub', left: arg(0), right: c(50) }, right: c(r) } });
          }
        }
        body.push({ op: 'counterAdd', counter: 'mul', value: { op: 'binary', kind: 'mul', left: arg(0), right: c(3) } });
        body.push({ op: 'counterAdd', counter: 'not', value: { op: 'not', operand: { op: 'binary', kind: 'and', left: arg(0), right: c(1) } } });
        s.insert(p, snip(...body));
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        for (const k of Object.keys(cmp) as CompareOp[]) {
          for (const r of rhs) {
            const want = Array.from({ length: N }, (_, i) => (cmp[k](i - 50, r) ? 1 : 0) as number).reduce((x, y) => x + y);
            expect([k, r, s.readSum('counter', `${k}${r}`)]).toEqual([k, r, want]);
          }
        }
        expect(s.readSum('counter', 'mul')).toBe(3 * (N * (N - 1)) / 2);
        expect(s.readSum('counter', 'not')).toBe(N / 2);
      });

      it('times a function, traces arguments into the ring, and calls an allow-listed function', () => {
        const { l, s } = setup();
        s.insert(s.points.entry('scale'), snip({ op: 'timerStart', timer: 'scale', clock: 'wall' }, { op: 'call', function: 'on_probe', args: [arg(0), c(1)] }));
        for (const p of s.points.exits('scale')) s.insert(p, snip({ op: 'timerStop', timer: 'scale', clock: 'wall' }));
        s.insert(s.points.entry('pick'), snip({ op: 'trace', buffer: 'picks', values: [arg(0), { op: 'cpu' }] }));
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        const total = s.readSum('timer', 'scale', 1);
        expect(total).toBeGreaterThan(N * 3);
        expect(total).toBeLessThan(l.machine.now());
        expect(s.readSum('timer', 'scale', 2)).toBe(0); // depth back to 0
        expect(l.machine.readWord(sym('helper_total')!)).toBe((N * (N - 1)) / 2 + N);
        const t = s.data.find('trace', 'picks')!;
        const base = s.data.address(0, t.offset);
        expect(l.machine.readWord(base)).toBe(N);
        const rec = (k: number) => base + 4 + 4 * t.recordWords! * (k % t.capacity!);
        for (let k = Math.max(0, N - t.capacity!); k < N; k++) expect(l.machine.readWord(rec(k) + 4)).toBe(k);
      });

      /** A wall timer stopped at scale's exits, running (depth 1) since `start` on the CPU's clock. */
      const runningWallTimer = (name: string, start: (now: number) => number) => {
        const { l, s } = setup();
        for (const p of s.points.exits('scale')) s.insert(p, snip({ op: 'timerStop', timer: name, clock: 'wall' }));
        const t = s.data.find('timer', name)!;
        const put = (word: number, v: number) => l.machine.writeMemory(s.data.addressOf(0, t, word), new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]));
        put(0, start(l.machine.now()) >>> 0);
        put(2, 1);
        return { l, s };
      };

      it('a wall timer stopped on a clock behind its start (another CPU\'s) adds nothing', () => {
        // As if the thread had started the timer on a CPU whose clock runs ahead of this one, and migrated.
        const { l, s } = runningWallTimer('skew', (now) => now + 50_000);
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        expect(s.readSum('timer', 'skew', 2)).toBe(0);
        expect(s.readSum('timer', 'skew', 1)).toBe(0);
      });

      it('a wall timer counts an interval longer than 2^31 cycles in full', () => {
        // As if the thread had entered 2^31 + 1,000 cycles ago (blocked inside: 21 s at 100 MHz).
        const { l, s } = runningWallTimer('long', (now) => now - 2 ** 31 - 1000);
        runToEnd(l);
        expect(s.readSum('timer', 'long', 1)).toBeGreaterThan(2 ** 31 + 1000);
        expect(s.readSum('timer', 'long', 1)).toBeLessThan(2 ** 31 + 1000 + l.machine.now());
      });

      it('frees the instrumentation data once no splice and no retired patch can reach it', () => {
        const { l, s } = setup();
        const h = s.insert(s.points.entry('scale'), snip({ op: 'counterAdd', counter: 'once' }));
        const it0 = s.data.find('counter', 'once')!;
        const at = s.data.addressOf(0, it0);
        runToEnd(l);
        expect(s.readSum('counter', 'once')).toBe(N);
        expect(s.resetDataIfIdle()).toBe(false); // still live
        s.remove(h);
        s.reclaim(); // the program has exited: nothing refers to the patch
        expect(s.retiredCount).toBe(0);
        expect(s.resetDataIfIdle()).toBe(true);
        expect(s.data.find('counter', 'once')).toBeUndefined();
        expect(l.machine.readWord(at)).toBe(0);
        s.insert(s.points.entry('scale'), snip({ op: 'counterAdd', counter: 'again' }));
        expect(s.data.addressOf(0, s.data.find('counter', 'again')!)).toBe(at);
      });

      it('stops the machine when an assertion fails, and records it', () => {
        const { l, s } = setup();
        const p = s.points.entry('pick');
        s.insert(p, snip({ op: 'assert', id: 'not42', action: 'stop', cond: { op: 'compare', kind: 'ne', left: arg(0), right: c(42) } }));
        const r = l.machine.run({ maxSteps: 1e7 });
        expect(r.event?.kind).toBe('breakpoint');
        expect(s.readSum('assertion', 'not42')).toBe(1);
        expect(s.readPerCpu('assertion', 'not42', 1)[0]).toBe(p.address);
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        expect(s.readSum('assertion', 'not42')).toBe(1);
      });

      it('removes coverage snippets once their block ran, restoring the original words', () => {
        const { l, s } = setup();
        const pts = s.points.blocks('pick').filter((p) => p.refused === null);
        const original = pts.map((p) => l.machine.readWord(p.site));
        const hs = pts.map((p) => s.insert(p, snip({ op: 'removeSelf' }), 10));
        l.machine.run({ maxSteps: 5000 });
        expect(s.poll()).toBeGreaterThan(0);
        runToEnd(l);
        s.poll();
        expect(l.out()).toBe(ref.out());
        const oracle = countWithBreakpoints(load(bytes, ['feat']), pts.map((p) => p.address));
        pts.forEach((p, k) => expect([p.id, s.flagged(hs[k]!)]).toEqual([p.id, (oracle.get(p.address) ?? 0) > 0]));
        expect(s.handles.length).toBe(pts.filter((p) => oracle.get(p.address) === 0).length);
        pts.forEach((p, k) => { if (s.flagged(hs[k]!)) expect(l.machine.readWord(p.site)).toBe(original[k]); });
        s.reclaim();
        expect(s.retiredCount).toBe(0);
      });

      it('counts correctly where the condition codes are live (icc-free jump tables)', () => {
        const { l, s } = setup();
        const pts: Point[] = [];
        for (const f of ['pick', 'scale', 'main']) {
          for (const b of a.functionByName(f)!.blocks) {
            const r = a.blockRange(b);
            for (let x = r.start; x < r.end; x += 4) {
              const p = s.points.instruction(x);
              if (p.refused === null && !(p.free.names.includes('icc'))) pts.push(p);
            }
          }
        }
        expect(pts.length).toBeGreaterThan(3);
        const cond: Expr = { op: 'compare', kind: 'ne', left: { op: 'reg', name: '%g0' }, right: c(1) };
        for (const p of pts) s.insert(p, snip({ op: 'if', cond, then: [{ op: 'counterAdd', counter: p.id }] }));
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        const oracle = countWithBreakpoints(load(bytes, ['feat']), pts.map((p) => p.address));
        expect(pts.filter((p) => s.readSum('counter', p.id) !== oracle.get(p.address)).map((p) => p.id)).toEqual([]);
      });

      it('reaches a far patch heap through springboards (and refuses without one)', () => {
        const far = { patchHeap: [0x40000000, 0x40100000] as const };
        const none = setup(far);
        expect(() => none.s.insert(none.s.points.entry('pick'), snip({ op: 'counterAdd', counter: 'x' }))).toThrow(/springboard/);
        const { l, s } = setup({ ...far, springboards: [[0x8000, 0x10000]] });
        const pts = a.functions.filter((f) => !f.external).flatMap((f) => [s.points.entry(f.name), ...s.points.exits(f.name)]).filter((p) => p.refused === null);
        const b = s.batch();
        for (const p of pts) b.insert(p, snip({ op: 'counterAdd', counter: p.id }));
        b.commit();
        const boards = s.log.filter((e) => e.op === 'springboard');
        expect(boards.length).toBeGreaterThan(10);
        // KernInst's three forms: chosen by what is free at the point.
        const forms = new Set(boards.map((e) => /\((.*)\)/.exec(e.detail)![1]));
        expect(forms.has('mov %o7,rX; call; mov rX,%o7')).toBe(true);
        runToEnd(l);
        expect(l.out()).toBe(ref.out());
        const oracle = countWithBreakpoints(load(bytes, ['feat']), pts.map((p) => p.address));
        expect(pts.filter((p) => s.readSum('counter', p.id) !== oracle.get(p.address)).map((p) => p.id)).toEqual([]);
      });

      it('uses springboard space only once it is ready (the condition is read at each placement)', () => {
        let ready = false;
        const { s } = setup({ patchHeap: [0x40000000, 0x40100000] as const, springboards: [{ range: [0x8000, 0x10000] as const, ready: () => ready }] });
        expect(() => s.insert(s.points.entry('pick'), snip({ op: 'counterAdd', counter: 'x' }))).toThrow(/no springboard space is in reach \(or ready/);
        expect(s.log.filter((e) => e.op === 'springboard')).toEqual([]);
        ready = true;
        s.insert(s.points.entry('pick'), snip({ op: 'counterAdd', counter: 'x' }));
        expect(s.log.filter((e) => e.op === 'springboard').length).toBe(1);
      });

      it('rejects a batch whole: nothing is written when one snippet is invalid', () => {
        const { l, s } = setup();
        const before = l.machine.readWord(s.points.entry('scale').site);
        const b = s.batch();
        b.insert(s.points.entry('scale'), snip({ op: 'counterAdd', counter: 'ok' }));
        b.insert(s.points.entry('pick'), snip({ op: 'counterAdd', counter: 'g', value: { op: 'global', symbol: 'no_such_symbol' } }));
        expect(() => b.commit()).toThrow(SpliceError);
        expect(l.machine.readWord(s.points.entry('scale').site)).toBe(before);
        expect(s.handles.length).toBe(0);
        expect(s.patchBytes).toBe(0);
        expect(() => s.insert(s.points.exits('scale')[0]!, snip({ op: 'counterAdd', counter: 'a', value: arg(0) }))).toThrow(/\$\.body\[0\]\.value/);
      });

      it('verifier names the rule and the instruction', () => {
        const { l, s } = setup();
        const p = s.points.entry('pick');
        const target: TargetModel = { data: { base: s.data.base, strideLog2: s.data.strideLog2, cpus: 1 }, symbol: sym, allowedCalls: new Map(), pid: null };
        const ctx = { free: [1, 2], iccFree: true, yFree: true, args: null, retval: null, pc: p.address };
        const resolver = { counter: () => 0, timer: () => 0, trace: () => ({ offset: 0, capacity: 4, recordWords: 2 }), assertion: () => 0, removeFlag: () => s.data.base };
        const patch = buildPatch(0x600000, p.site, (x) => l.machine.readWord(x), target, [{ placement: 'before', snippet: snip({ op: 'counterAdd', counter: 'x' }), context: ctx, data: resolver, id: 'x' }]);
        const read = (x: number) => l.machine.readWord(x);
        expect(verifyPatch(patch, target, read)).toEqual([]);
        const mutate = (k: number, w: number) => {
          const words = Uint32Array.from(patch.words);
          words[k] = w;
          return verifyPatch({ ...patch, words }, target, read);
        };
        // ld [%g1], %g3: %g3 is not free
        expect(mutate(1, 0xc6004000)[0]?.rule).toBe('registers');
        // st %g2, [%g0 + 0x100]: outside the instrumentation data
        expect(mutate(3, 0xc4202100)[0]?.rule).toBe('store');
        // a backward branch
        expect(mutate(2, 0x10bfffff)[0]?.rule).toBe('branch');
        // a call to something not allow-listed
        expect(mutate(2, 0x40000100).some((r) => r.rule === 'call')).toBe(true);
        // ta 1
        expect(mutate(2, 0x91d02001)[0]?.rule).toBe('privileged');
        // the displaced instruction changed
        const d = patch.roles.indexOf('displaced');
        expect(mutate(d, 0x01000000)[0]?.rule).toBe('displaced');
        expect(mutate(d, 0x01000000)[0]?.message).toMatch(/original/);
      });
    });
  }
});
