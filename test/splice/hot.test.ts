// The hot window: counters and timers one `ld [%asr17 + simm13]` away on every CPU, so a counter hit
// is 6 instructions with several CPUs (5 on one); what does not fit falls back to the per-CPU blocks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snippet, Stmt } from '../../src/shared/snippet/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { Instrumenter, MINISOL_HOT_WINDOW, minisolSplicer } from '../../src/main/core/instrument/index.ts';
import { LinuxProcess, linuxImageFromElf, Machine, STACK_TOP } from '../../src/main/core/machine/index.ts';
import { BOOTPARAM_ADDR, BOOTPARAM_FIELDS, MinisolSystem, WORKLOADS } from '../../src/main/core/minisol/index.ts';
import { buildPatch, DataArea, Splicer, verifyPatch, type Point, type SplicerOptions, type TargetModel } from '../../src/main/core/splice/index.ts';
import { buildProgram, GCC } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';
import { analyse, fileBytes } from './harness.ts';

const snip = (...body: Stmt[]): Snippet => ({ version: 1, body });
const HOT = { start: 0x400, end: 0x1000 };
/** The generated snippet's instructions in a site's listing (not the jumps in and out, nor the displaced word). */
const words = (listing: string[]) => listing.filter((l) => l.endsWith('! snippet')).map((l) => l.slice(l.indexOf(': ') + 2, l.lastIndexOf(' !')).trim());

describe('DataArea: the hot window', () => {
  it('gives counters and timers hot offsets until the window is full, then falls back to the blocks', () => {
    const d = new DataArea(0x00700000, 12, 4, { start: 0x400, end: 0x414 });
    const a = d.item('counter', 'a', 1, {}, true);
    const t = d.item('timer', 't', 3, {}, true);
    const b = d.item('counter', 'b', 1, {}, true);
    const c = d.item('counter', 'c', 1, {}, true);
    const f = d.item('flag', 'f', 1);
    expect([a.hot, a.offset, t.hot, t.offset, b.hot, b.offset]).toEqual([true, 0x400, true, 0x404, true, 0x410]);
    expect([c.hot, c.offset, f.hot, f.offset]).toEqual([undefined, 0, undefined, 4]);
    expect(d.item('counter', 'a', 1, {}, true)).toBe(a);
    expect(d.hotBytesUsed).toBe(0x14);
    expect([0, 1, 3].map((k) => d.addressOf(k, b).toString(16))).toEqual(['410', '10000410', '30000410']);
    expect(d.addressOf(2, t, 1).toString(16)).toBe('20000408');
    expect(d.addressOf(2, c).toString(16)).toBe('702000');
  });

  it('refuses windows that are unaligned, beyond simm13, on more than 16 CPUs, or over the data blocks', () => {
    expect(() => new DataArea(0x00700000, 12, 4, { start: 0x402, end: 0x1000 })).toThrow(/word-aligned/);
    expect(() => new DataArea(0x00700000, 12, 4, { start: 0x400, end: 0x1004 })).toThrow(/within \[0, 4096\)/);
    expect(() => new DataArea(0x00700000, 12, 17, { start: 0x400, end: 0x1000 })).toThrow(/16 CPUs/);
    // CPU 1's window 0x10000400… lies in the blocks 0x0ffff000 + k·2^12.
    expect(() => new DataArea(0x0ffff000, 12, 4, HOT)).toThrow(/overlaps/);
    expect(() => new DataArea(0x00000000, 10, 2, HOT)).toThrow(/overlaps/);
  });
});

describeWithTool(GCC, 'hot counters on a Linux-personality program', () => {
  const bytes = fileBytes(buildProgram([join(import.meta.dirname, 'smp.c')], { opt: '-O2' }));
  const elf = parseElf(bytes);
  const sym = (n: string) => elf.symbols.find((s) => s.name === n)!.value;
  const a = analyse(bytes);
  const fourCpus = (data: SplicerOptions['data']) => {
    const m = new Machine({ ramSize: 2 ** 32, cpus: 4, quantum: 1, nwindows: 8 });
    new LinuxProcess(m, linuxImageFromElf(bytes), { argv: ['smp'] });
    for (let c = 1; c < 4; c++) {
      m.setupCpu(c, { pc: sym('worker'), sp: STACK_TOP - 0x8000 * c - 0x2000, psr: 1 << 5, wim: 0 });
      m.cpus[c]!.set(8, c);
    }
    const s = new Splicer({ memory: m, analysis: a, patchHeap: [0x00600000, 0x00608000], data });
    return { m, s, done: () => [0, 1, 2, 3].reduce((n, c) => n + m.readWord(sym('progress') + 4 * c), 0) };
  };
  /** The snippet's words in a site's listing (between the jump in and the displaced instruction). */
  const snippetWords = (s: Splicer, p: Point) => words(s.listing(p.site));

  it('a hit is rd %asr17; ld; add; st on 4 CPUs, and ld; add; st from %g0 on one', () => {
    const four = fourCpus({ base: 0x00700000, strideLog2: 12, cpus: 4, hot: HOT });
    const p = four.s.points.entry('mid');
    four.s.insert(p, snip({ op: 'counterAdd', counter: 'mid' }));
    const w4 = snippetWords(four.s, p);
    expect(w4.length).toBe(4);
    expect(w4[0]).toMatch(/^rd\s+%asr17, %/);
    // o − (NWINDOWS−1) = 0x400 − 7
    expect(w4[1]).toMatch(/^ld\s+\[ ?%\w+ \+ 0x3f9 ?\], %/);
    expect(w4[3]).toMatch(/^st\s+%\w+, \[ ?%\w+ \+ 0x3f9 ?\]/);
    const one = fourCpus({ base: 0x00700000, strideLog2: 12, cpus: 1, hot: HOT });
    one.s.insert(one.s.points.entry('mid'), snip({ op: 'counterAdd', counter: 'mid' }));
    const w1 = snippetWords(one.s, p);
    expect(w1.length).toBe(3);
    expect(w1[0]).toMatch(/^ld\s+\[ ?(%g0 \+ )?0x400 ?\], %/);
  });

  it('counts every call exactly on 4 CPUs at quantum 1, with hot and fallback data in one snippet', () => {
    // Room for three words: 'mid', 'mid-out' and 'leaf'; the timer (3 words, allocated second) and 'late' fall back to the blocks.
    const { m, s, done } = fourCpus({ base: 0x00700000, strideLog2: 12, cpus: 4, hot: { start: 0x400, end: 0x40c } });
    s.insert(s.points.entry('mid'), snip({ op: 'counterAdd', counter: 'mid' }, { op: 'timerStart', timer: 'midt', clock: 'wall' }));
    for (const p of s.points.exits('mid')) s.insert(p, snip({ op: 'timerStop', timer: 'midt', clock: 'wall' }, { op: 'counterAdd', counter: 'mid-out' }));
    s.insert(s.points.entry('leaf'), snip({ op: 'counterAdd', counter: 'leaf', value: { op: 'counter', counter: 'mid' } }, { op: 'counterAdd', counter: 'late' }));
    expect(['mid', 'mid-out', 'leaf', 'late'].map((n) => s.data.find('counter', n)?.hot === true)).toEqual([true, true, true, false]);
    expect(s.data.find('timer', 'midt')?.hot).toBeUndefined();
    m.run({ maxSteps: 400_000 });
    const n = done();
    const mid = s.readPerCpu('counter', 'mid');
    expect(n).toBeGreaterThan(1000);
    expect(mid.every((v) => v > 0)).toBe(true);
    const sum = mid.reduce((x, y) => x + y);
    expect(sum - n).toBeGreaterThanOrEqual(0);
    expect(sum - n).toBeLessThanOrEqual(4);
    expect(s.readSum('counter', 'mid-out')).toBeGreaterThanOrEqual(sum - 4);
    const late = s.readSum('counter', 'late');
    expect(late).toBeGreaterThanOrEqual(4 * n);
    expect(late).toBeLessThanOrEqual(4 * n + 16);
    // Each CPU's hot 'mid' and fallback 'late' live at k·2^28 + 0x400 and base + k·2^12.
    for (let k = 0; k < 4; k++) expect(m.readWord(k * 2 ** 28 + 0x400)).toBe(mid[k]);
    expect(s.readSum('timer', 'midt', 1)).toBeGreaterThan(0);
  }, 60_000);

  it('the verifier accepts [%asr17 + o] in the window and rejects stores outside it or through %asr17 used as a number', () => {
    const target: TargetModel = { data: { base: 0x00700000, strideLog2: 12, cpus: 4, nwindows: 8, hot: HOT }, symbol: () => undefined, allowedCalls: new Map(), pid: null };
    const four = fourCpus({ base: 0x00700000, strideLog2: 12, cpus: 4 });
    const p = four.s.points.entry('mid');
    const ctx = { free: [1, 2, 3], iccFree: true, yFree: true, args: null, retval: null, pc: p.address };
    const resolver = { counter: () => ({ hot: 0x400 }), timer: () => 0, trace: () => ({ offset: 0, capacity: 4, recordWords: 2 }), assertion: () => 0, removeFlag: () => 0x00700000 };
    const read = (x: number) => four.m.readWord(x);
    const patch = buildPatch(0x600000, p.site, read, target, [{ placement: 'before', snippet: snip({ op: 'counterAdd', counter: 'x' }), context: ctx, data: resolver, id: 'x' }]);
    expect(verifyPatch(patch, target, read)).toEqual([]);
    const k = patch.roles.indexOf('snippet');
    const asr = (patch.words[k]! >>> 25) & 31; // rd of `rd %asr17, rX`
    const t = (patch.words[k + 1]! >>> 25) & 31;
    const st = (base: number, simm: number) => ((3 << 30) | (t << 25) | (0x04 << 19) | (base << 14) | (1 << 13) | (simm & 0x1fff)) >>> 0;
    const mutate = (at: number, w: number) => {
      const words = Uint32Array.from(patch.words);
      words[at] = w;
      return verifyPatch({ ...patch, words }, target, read).map((r) => r.rule);
    };
    expect(mutate(k + 3, st(asr, 0x3f9))).toEqual([]); // the same store
    expect(mutate(k + 3, st(asr, 0xff5))).toEqual([]); // the window's last word: 0xffc − 7
    expect(mutate(k + 3, st(asr, 0xff9))).toEqual(['store']); // 0x1000: past the window
    expect(mutate(k + 3, st(asr, 0x3f5))).toEqual(['store']); // 0x3fc: below it
    expect(mutate(k + 3, st(0, 0x400))).toEqual([]); // CPU 0's copy, a constant address
    expect(mutate(k + 3, st(0, 0x3fc))).toEqual(['store']);
    // `or %g0, rASR, rT` keeps the %asr17 value; `add rASR, 8, rT` makes it a number the verifier
    // cannot place (index << 28 is not 0): a store through it is rejected, also in the strided layout.
    const movAsr = (((2 << 30) | (t << 25) | (0x02 << 19) | (0 << 14) | asr) >>> 0);
    const addAsr = (((2 << 30) | (t << 25) | (0x00 << 19) | (asr << 14) | (1 << 13) | 8) >>> 0);
    const two = (w: number, simm: number) => {
      const words = Uint32Array.from(patch.words);
      words[k + 1] = w;
      words[k + 2] = 0x01000000; // nop: t keeps what k+1 put there
      words[k + 3] = ((3 << 30) | (3 << 25) | (0x04 << 19) | (t << 14) | (1 << 13) | (simm & 0x1fff)) >>> 0;
      return verifyPatch({ ...patch, words }, target, read).map((r) => r.rule);
    };
    expect(two(movAsr, 0x3f9)).toEqual([]);
    expect(two(movAsr, 0x1f9).includes('store')).toBe(true);
    expect(two(addAsr, 0x3f1).includes('store')).toBe(true);
    // `and %o?, rASR, rT`: the %asr17 value masks another register; the result is no known address.
    const andAsr = (((2 << 30) | (t << 25) | (0x01 << 19) | (9 << 14) | asr) >>> 0);
    expect(two(andAsr, 0x400).includes('store')).toBe(true);
    const noHot: TargetModel = { ...target, data: { base: 0, strideLog2: 16, cpus: 4, nwindows: 8 } };
    const words = Uint32Array.from(patch.words);
    words[k + 1] = addAsr;
    words[k + 2] = 0x01000000;
    words[k + 3] = ((3 << 30) | (3 << 25) | (0x04 << 19) | (t << 14) | (1 << 13) | 0x10) >>> 0;
    expect(verifyPatch({ ...patch, words }, noHot, read).map((r) => r.rule)).toContain('store');
    // The strided layout's block offset is %asr17 >> (28 − strideLog2) exactly: any other shift is refused.
    const srl = (n: number) => (((2 << 30) | (t << 25) | (0x26 << 19) | (asr << 14) | (1 << 13) | n) >>> 0);
    const viaShift = (n: number) => {
      const w = Uint32Array.from(patch.words);
      w[k + 1] = srl(n);
      w[k + 2] = 0x01000000;
      w[k + 3] = ((3 << 30) | (3 << 25) | (0x04 << 19) | (t << 14) | (1 << 13) | 0x10) >>> 0;
      return verifyPatch({ ...patch, words: w }, noHot, read).map((r) => r.rule);
    };
    expect(viaShift(12)).toEqual([]);
    expect(viaShift(11)).toContain('store');
  });
});

const IMAGE = join(import.meta.dirname, '..', '..', 'guest', 'minisol', 'minisol.elf');
const image = new Uint8Array(readFileSync(IMAGE));

describe('the hot window on minisol', () => {
  it('is memory minisol never uses: every CPU\'s window stays zero (16 CPUs, every workload); the boot block ends below it', () => {
    expect(BOOTPARAM_ADDR % 2 ** 28 + 4 * BOOTPARAM_FIELDS.length).toBeLessThanOrEqual(MINISOL_HOT_WINDOW.start);
    const sys = MinisolSystem.boot(image, { cpus: 16, workloads: [...WORKLOADS], seed: 11 });
    expect(sys.runFor(0.03).state).toBe('running');
    const used: string[] = [];
    for (let k = 0; k < 16; k++) {
      const lo = k * 2 ** 28 + MINISOL_HOT_WINDOW.start;
      const bytes = sys.machine.readMemory(lo, MINISOL_HOT_WINDOW.end - MINISOL_HOT_WINDOW.start);
      if (bytes.some((x) => x !== 0)) used.push(`CPU ${k}: 0x${lo.toString(16)}`);
      // Page 0 and CPUs 1–14's pages were never even allocated (written) by the guest.
      if (k < 15) expect([k, sys.machine.bus.pages[(k * 2 ** 28) / 4096] ?? null]).toEqual([k, null]);
    }
    expect(used).toEqual([]);
    // And counting there on 16 CPUs (CPU 15's copies share the boot-parameter page) matches the kstats.
    const boot = sys.machine.readMemory(BOOTPARAM_ADDR, 4 * BOOTPARAM_FIELDS.length);
    const { splicer } = minisolSplicer(sys);
    const ins = new Instrumenter(splicer);
    const ms = ['disp', 'swtch', 'bread', 'kmem_alloc'].map((f) => [f, ins.enable('calls', { code: f })] as const);
    const k0 = sys.kstats().totals;
    expect(sys.runFor(0.05).state).toBe('running');
    const k1 = sys.kstats().totals;
    expect(ms.map(([f, m]) => [f, ins.value(m)])).toEqual(ms.map(([f]) => [f, k1[f]! - k0[f]!]));
    const disp = splicer.data.find('counter', ms[0]![1].data)!;
    expect(disp.hot).toBe(true);
    expect(splicer.data.addressOf(15, disp).toString(16)).toBe('f0000400');
    // Every CPU goes round its idle loop now and then: each counts into its own copy (the fifth hot word: CPU 15's at 0xf0000410).
    const b = splicer.batch();
    for (const p of splicer.points.blocks('idle').filter((x) => x.refused === null)) b.insert(p, snip({ op: 'counterAdd', counter: 'idle' }));
    b.commit();
    sys.runFor(0.02);
    expect(splicer.data.addressOf(15, splicer.data.find('counter', 'idle')!).toString(16)).toBe('f0000410');
    // (CPU 0 is never idle here: it counted its disp/swtch/bread/kmem_alloc calls at 0x400…0x40c.)
    const idle = splicer.readPerCpu('counter', 'idle');
    expect(idle.map((v, k) => k === 0 || v > 0)).toEqual(new Array(16).fill(true));
    expect(sys.machine.readWord(0xf0000410)).toBe(idle[15]);
    expect(ms.reduce((n, [, m]) => n + splicer.readPerCpu('counter', m.data)[0]!, 0)).toBe([0x400, 0x404, 0x408, 0x40c].reduce((n, a) => n + sys.machine.readWord(a), 0));
    expect(sys.machine.readWord(0x400) + sys.machine.readWord(0x404)).toBeGreaterThan(0);
    expect(sys.machine.readMemory(BOOTPARAM_ADDR, boot.length)).toEqual(boot);
  }, 120_000);

  it('counters are hot and equal the kernel\'s kstats on 4 CPUs; a hit is rd %asr17; ld; add; st', () => {
    const fns = ['copen', 'falloc', 'vn_open', 'lookuppn', 'dnlc_lookup', 'ufs_lookup', 'bread', 'kmem_alloc', 'disp', 'swtch', 'ufs_read', 'ufs_getpage'];
    const sys = MinisolSystem.boot(image, { cpus: 4, workloads: ['proxy', 'readers'], seed: 3 });
    sys.runFor(0.02);
    const { splicer } = minisolSplicer(sys);
    const ins = new Instrumenter(splicer);
    const ms = fns.map((f) => [f, ins.enable('calls', { code: f })] as const);
    const counters = splicer.data.list().filter((it) => it.kind === 'counter');
    expect(counters.length).toBe(fns.length);
    expect(counters.every((it) => it.hot === true)).toBe(true);
    const site = splicer.points.entry('kmem_alloc').site;
    const hit = words(splicer.listing(site));
    expect(hit.length).toBe(4);
    expect(hit[0]).toMatch(/^rd\s+%asr17, %/);
    const k0 = sys.kstats().totals;
    expect(sys.runFor(0.1).state).toBe('running');
    const k1 = sys.kstats().totals;
    expect(ms.map(([f, m]) => [f, ins.value(m)])).toEqual(ms.map(([f]) => [f, k1[f]! - k0[f]!]));
    expect(splicer.readPerCpu('counter', ms.find(([f]) => f === 'kmem_alloc')![1].data).filter((v) => v > 0).length).toBeGreaterThan(1);
    expect(sys.shutdown().state).toBe('halted');
    expect(sys.fsck().clean).toBe(true);
  }, 120_000);

  it('falls back to the strided blocks when the window is full, and without it (hot: false)', () => {
    const sys = MinisolSystem.boot(image, { cpus: 2, workloads: ['readers'], seed: 4 });
    sys.runFor(0.02);
    const { splicer } = minisolSplicer(sys);
    const room = (MINISOL_HOT_WINDOW.end - MINISOL_HOT_WINDOW.start) / 4;
    for (let k = 0; k < room; k++) splicer.data.item('counter', `fill${k}`, 1, {}, true);
    splicer.insert(splicer.points.entry('bread'), snip({ op: 'counterAdd', counter: 'bread' }));
    expect(splicer.data.find('counter', 'bread')?.hot).toBeUndefined();
    const hit = words(splicer.listing(splicer.points.entry('bread').site));
    expect(hit.length).toBe(7); // rd %asr17; srl; sethi; add; ld; add; st
    expect(hit[1]).toMatch(/^srl/);
    const k0 = sys.kstats().totals.bread!;
    sys.runFor(0.05);
    expect(splicer.readSum('counter', 'bread')).toBe(sys.kstats().totals.bread! - k0);
    const cold = minisolSplicer(sys, { hot: false }).splicer;
    expect(cold.data.hot).toBeNull();
    expect(() => cold.data.item('counter', 'x', 1, {}, true).hot).not.toThrow();
    expect(cold.data.find('counter', 'x')?.hot).toBeUndefined();
  }, 120_000);
});
