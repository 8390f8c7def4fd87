// minisol: the kernel analysed (trap vectors found, no unresolved jumps) and its liveness proved by
// execution: booted with workloads while every register the analysis (minisol policy) calls free is
// overwritten before every instruction of every CPU; console, kstats, instruction count and the
// disk must equal an undisturbed run's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FLAG_ICC, FLAG_Y, analyzeProgram, elfCodeSource, memoryCodeSource, minisolPolicy, namesOf, type ProgramAnalysis,
} from '../../src/main/core/analysis/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import type { Cpu } from '../../src/main/core/machine/index.ts';
import { MinisolSystem, type BootConfigInput } from '../../src/main/core/minisol/index.ts';

const IMAGE = join(import.meta.dirname, '..', '..', 'guest', 'minisol', 'minisol.elf');
const have = existsSync(IMAGE);

interface Observed {
  console: string[];
  instructions: number;
  kstats: unknown;
  fsck: string[];
  state: string;
  clobbers: number;
}

/** Boots minisol, runs `seconds`, shuts down; with masks, clobbers free registers before each instruction. */
function observe(image: Uint8Array, config: BootConfigInput, seconds: number, masks: { regs: Int32Array; flags: Uint8Array; start: number } | null, only?: Set<number>): Observed {
  const sys = MinisolSystem.boot(image, config);
  let clobbers = 0;
  let rng = 0x2545f491;
  const count = masks?.regs.length ?? 0;
  // The same instruction-by-instruction execution in both runs; only the clobbering differs.
  sys.machine.timing = {
    extraCycles(cpu: Cpu, pc: number): number {
      if (masks === null) return 0;
      const n = (pc - masks.start) >>> 2;
      if (n >= count || (only !== undefined && !only.has(n))) return 0;
      const m = masks.regs[n]!;
      const fl = masks.flags[n]!;
      if (m === 0 && fl === 0) return 0;
      for (let k = 1; k < 32; k++) {
        if ((m >>> k) & 1) {
          rng ^= rng << 13;
          rng ^= rng >>> 17;
          rng ^= rng << 5;
          cpu.set(k, cpu.get(k) ^ (rng | 1));
          clobbers++;
        }
      }
      if (fl & FLAG_ICC) cpu.icc ^= 5;
      if (fl & FLAG_Y) cpu.y = (cpu.y ^ 0x5a5a5a5a) >>> 0;
      return 0;
    },
  };
  sys.runFor(seconds);
  const instructions = sys.instructions;
  const kstats = sys.state === 'running' ? sys.kstats() : null;
  const state = sys.state;
  let fsck: string[] = [];
  if (state === 'running') {
    sys.shutdown();
    fsck = sys.state === 'halted' ? sys.fsck().errors : [`not halted: ${sys.stopReason}`];
  }
  return { console: sys.console.lines, instructions, kstats, fsck, state, clobbers };
}

function freeMasks(a: ProgramAnalysis): { regs: Int32Array; flags: Uint8Array; start: number } {
  // minisol has one code region per output section; the masks are per instruction index, so
  // translate pc → index through the first region only when there is one. Build an address-
  // indexed table over the whole code span instead.
  const t = a.instrs;
  const lo = Math.min(...t.regions.map((r) => r.start));
  const hi = Math.max(...t.regions.map((r) => r.start + r.size));
  const regs = new Int32Array((hi - lo) >>> 2);
  const flags = new Uint8Array((hi - lo) >>> 2);
  const m = a.freeMasks('before');
  for (let n = 0; n < t.count; n++) {
    const k = (t.addrOf(n) - lo) >>> 2;
    regs[k] = m.regs[n]!;
    flags[k] = m.flags[n]!;
  }
  return { regs, flags, start: lo };
}

describe.runIf(have)('minisol analysed with the minisol policy', () => {
  const image = have ? new Uint8Array(readFileSync(IMAGE)) : new Uint8Array(0);
  const analysis = have ? analyzeProgram(elfCodeSource(parseElf(image), IMAGE), { policy: minisolPolicy }) : null;

  it('finds the trap vectors, resolves every indirect jump, covers the code', () => {
    const s = analysis!.stats();
    expect(s.unresolvedIndirectJumps).toBe(0);
    expect(analysis!.functions.filter((f) => f.source === 'trap-vector').length).toBeGreaterThan(200);
    expect(s.unreachableWords).toBeLessThan(50);
    // The splicer's question: %g7 (curthread) is never free, and most points have something free.
    const masks = analysis!.freeMasks('before');
    let some = 0;
    for (let n = 0; n < masks.regs.length; n++) {
      expect((masks.regs[n]! >>> 7) & 1).toBe(0);
      if (masks.regs[n] !== 0) some++;
    }
    expect(some / s.instructions).toBeGreaterThan(0.7);
  });

  it('sees the same code through the running machine\'s memory', () => {
    const sys = MinisolSystem.boot(image, { cpus: 1 });
    sys.runFor(0.01);
    const live = analyzeProgram(memoryCodeSource(sys.machine, elfCodeSource(parseElf(image), IMAGE)), { policy: minisolPolicy });
    expect(live.stats().blocks).toBe(analysis!.stats().blocks);
  });

  const configs: { name: string; config: BootConfigInput; seconds: number }[] = [
    { name: '1 CPU, proxy + mixed', config: { cpus: 1, seed: 3, workloads: ['proxy', 'mixed'], proxy: { urls: 64 } }, seconds: 0.05 },
    { name: '2 CPUs, mixed + readers', config: { cpus: 2, seed: 7, workloads: ['mixed', 'readers'] }, seconds: 0.1 },
  ];
  for (const c of configs) {
    it(`liveness by execution: ${c.name}`, () => {
      const masks = freeMasks(analysis!);
      const plain = observe(image, c.config, c.seconds, null);
      expect(plain.state).toBe('running');
      const disturbed = observe(image, c.config, c.seconds, masks);
      expect(disturbed.clobbers).toBeGreaterThan(plain.instructions);
      const same = (o: Observed): unknown => ({ console: o.console, instructions: o.instructions, kstats: o.kstats, fsck: o.fsck, state: o.state });
      if (JSON.stringify(same(disturbed)) !== JSON.stringify(same(plain))) {
        // Name the point: bisect over the addresses that were clobbered.
        let cand: number[] = [];
        for (let k = 0; k < masks.regs.length; k++) if (masks.regs[k] !== 0 || masks.flags[k] !== 0) cand.push(k);
        const fails = (set: number[]): boolean => JSON.stringify(same(observe(image, c.config, c.seconds, masks, new Set(set)))) !== JSON.stringify(same(plain));
        while (cand.length > 1) {
          const half = cand.slice(0, cand.length >> 1);
          if (fails(half)) cand = half;
          else cand = cand.slice(cand.length >> 1);
        }
        const addr = masks.start + 4 * cand[0]!;
        expect.fail(`clobbering free registers changed the run; first culprit 0x${addr.toString(16)} in ${analysis!.functionAt(addr)?.name}: free ${namesOf(masks.regs[cand[0]!]!, masks.flags[cand[0]!]!).join(' ')}`);
      }
    });
  }
});
