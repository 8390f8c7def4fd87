// The machine in a worker thread: runs off the caller's event loop, answers requests while running, pauses, steps.
import { afterEach, describe, expect, it } from 'vitest';
import { MachineWorkerClient, MachineWorkerError } from './index.ts';
import { add, b, bytesOf, nop, r } from '../../../../test/support/sparc-encode.ts';

let client: MachineWorkerClient | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
});

/** A worker whose CPU 0 spins in `loop: add %g1, 1, %g1; ba loop; nop` at 0x1000. */
async function spinning(engine: 'fast' | 'reference' = 'fast'): Promise<MachineWorkerClient> {
  const c = new MachineWorkerClient();
  client = c;
  await c.init({ config: { ramSize: 1 << 20, engine } });
  await c.request({ type: 'writeMemory', addr: 0x1000, bytes: bytesOf([add(r('g1'), r('g1'), 1), b(8, -1), nop]) });
  await c.request({ type: 'writeRegister', cpu: 0, name: 'pc', value: 0x1000 });
  await c.request({ type: 'writeRegister', cpu: 0, name: 'npc', value: 0x1004 });
  await c.request({ type: 'writeRegister', cpu: 0, name: 'psr', value: 0xa0 });
  return c;
}

describe('MachineWorkerClient', () => {
  it('runs in the background, stays responsive, and pauses', async () => {
    const c = await spinning();
    const statuses: number[] = [];
    c.onEvent((e) => { if (e.kind === 'status') statuses.push(e.status.instructions); });
    const stopped = c.runUntilStopped();
    // Requests are answered between slices while the machine runs.
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((res) => setTimeout(res, 60));
      const t0 = performance.now();
      const s = await c.request({ type: 'status' });
      latencies.push(performance.now() - t0);
      expect(s.running).toBe(true);
    }
    await c.pause();
    const end = await stopped;
    expect(end.reason).toBe('paused');
    expect(end.status.running).toBe(false);
    expect(end.status.instructions).toBeGreaterThan(1_000_000);
    expect(Math.max(...latencies)).toBeLessThan(250);
    expect(statuses.length).toBeGreaterThan(0);
    const regs = await c.request({ type: 'readRegisters', cpu: 0 });
    expect(regs.r[1]).toBeGreaterThan(300_000);
  });

  it('stops at breakpoints, steps, reads and writes memory, snapshots', async () => {
    const c = await spinning('reference');
    await c.request({ type: 'addBreakpoint', pc: 0x1004 });
    let end = await c.runUntilStopped();
    expect(end.event).toEqual({ kind: 'breakpoint', cpu: 0, pc: 0x1004 });
    await c.request({ type: 'snapshot', name: 'a' });
    const step = await c.request({ type: 'step', count: 3 });
    expect(step.reason).toBe('limit');
    expect((await c.request({ type: 'readRegisters', cpu: 0 })).r[1]).toBe(2);
    await c.request({ type: 'restore', name: 'a' });
    expect((await c.request({ type: 'readRegisters', cpu: 0 })).r[1]).toBe(1);
    await c.request({ type: 'removeBreakpoint', pc: 0x1004 });
    end = await c.runUntilStopped(1000);
    expect(end.reason).toBe('limit');
    const mem = await c.request({ type: 'readMemory', addr: 0x1000, len: 4 });
    expect([...mem]).toEqual([0x82, 0x00, 0x60, 0x01]);
    await expect(c.request({ type: 'restore', name: 'nope' })).rejects.toThrow(MachineWorkerError);
  });
});
