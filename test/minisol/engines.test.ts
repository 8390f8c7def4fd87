// Both engines run minisol bit for bit alike, and a run does not depend on how the host chunks run() calls.
import { describe, expect, it } from 'vitest';
import { MinisolSystem, type BootConfigInput } from '../../src/main/core/minisol/index.ts';
import { image } from './support.ts';

interface Outcome {
  state: string;
  position: number;
  instructions: number[];
  cycles: number[];
  kstats: Record<string, number>;
  memoryHash: string;
}

function outcome(sys: MinisolSystem): Outcome {
  return {
    state: sys.state,
    position: sys.machine.position,
    instructions: sys.machine.cpus.map((c) => c.instructions),
    cycles: sys.machine.cpus.map((c) => c.cycles),
    kstats: sys.kstats().totals,
    memoryHash: sys.memoryHash(),
  };
}

/** Boots and runs `seconds` of virtual time the usual way (MinisolSystem.runFor). */
function runFor(config: BootConfigInput, seconds: number): Outcome {
  const sys = MinisolSystem.boot(image, config);
  sys.runFor(seconds);
  expect(sys.state, sys.stopReason ?? '').toBe('running');
  return outcome(sys);
}

/** Boots and runs to scheduler position `position` in run() calls of `chunk` steps each. */
function runChunked(config: BootConfigInput, position: number, chunk: number): Outcome {
  const sys = MinisolSystem.boot(image, config);
  while (sys.machine.position < position) {
    const r = sys.machine.run({ maxSteps: Math.min(chunk, position - sys.machine.position) });
    expect(r.event, `event at position ${sys.machine.position}`).toBeNull();
  }
  return outcome(sys);
}

describe('minisol on both engines', () => {
  it('1 CPU, no workload: same instructions and memory after runFor(0.08)', () => {
    const ref = runFor({ engine: 'reference' }, 0.08);
    const fast = runFor({ engine: 'fast' }, 0.08);
    expect(fast).toEqual(ref);
  });

  it('1 CPU with the proxy workload: same instructions, kstats and memory', () => {
    const config: BootConfigInput = { workloads: ['proxy'], proxy: { urls: 64 }, seed: 7 };
    const ref = runFor({ ...config, engine: 'reference' }, 0.15);
    const fast = runFor({ ...config, engine: 'fast' }, 0.15);
    expect(ref.kstats.proxy_requests).toBeGreaterThan(0);
    expect(fast).toEqual(ref);
  });

  it('2 CPUs with the mixed and mirror workloads: same instructions, kstats and memory', () => {
    const config: BootConfigInput = { cpus: 2, workloads: ['mixed', 'mirror'], seed: 3 };
    const ref = runFor({ ...config, engine: 'reference' }, 0.12);
    const fast = runFor({ ...config, engine: 'fast' }, 0.12);
    expect(ref.instructions[1]).toBeGreaterThan(0);
    expect(fast).toEqual(ref);
  });
});

describe('run chunking', () => {
  // Device events fire at their exact cycle between instructions (CPU 0's runs are clipped to the
  // next event, also one queued mid-slice), a CPU stopped by a device idles out its slice, and
  // idle periods go slice by slice: so a run is the same however the host splits it.
  const config: BootConfigInput = { cpus: 2, workloads: ['mirror', 'readers'], readers: { procs: 2 }, seed: 9 };
  const position = 2_500_000;

  it('gives the same result for any maxSteps, on both engines', () => {
    const whole = runChunked({ ...config, engine: 'fast' }, position, position);
    expect(runChunked({ ...config, engine: 'fast' }, position, 9973)).toEqual(whole);
    expect(runChunked({ ...config, engine: 'fast' }, position, 7)).toEqual(whole);
    expect(runChunked({ ...config, engine: 'reference' }, position, 100_003)).toEqual(whole);
  });

  it('reaches every position, also while every CPU waits for an interrupt', () => {
    const sys = MinisolSystem.boot(image, { engine: 'fast' });
    sys.runFor(0.02);
    expect(sys.isWaiting(0)).toBe(true);
    const start = sys.machine.position;
    for (let i = 0; i < 5; i++) expect(sys.machine.step().steps).toBe(1);
    expect(sys.machine.position).toBe(start + 5);
  });
});
