// Finds the first instruction where the fast engine leaves the reference interpreter on minisol: lockstep in chunks, then narrower chunks.
//
// `node scripts/engine-lockstep.ts [--cpus N] [--workloads a,b] [--seed S] [--steps TOTAL] [--chunk N]`
// boots minisol twice (reference and fast), runs both `chunk` scheduler steps at a time and
// compares the full architectural state (every CPU's registers, pc/npc, psr, wim, y, counters,
// run state, pending interrupts) and a memory hash after each chunk. On a difference it replays
// the last agreeing stretch with chunks 10× smaller, down to 1, and prints the instruction and
// the state that differ. Both machines always get identical run() calls, so a difference is the
// engine's, not the chunking's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MinisolSystem, type WorkloadName } from '../src/main/core/minisol/index.ts';
import { formatWord } from '../src/main/core/sparc/index.ts';

const { values } = parseArgs({
  options: {
    cpus: { type: 'string', default: '1' },
    workloads: { type: 'string', default: '' },
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '20000000' },
    chunk: { type: 'string', default: '100000' },
  },
});
const image = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'guest', 'minisol', 'minisol.elf')));
const config = {
  cpus: Number(values.cpus),
  workloads: values.workloads.split(',').filter(Boolean) as WorkloadName[],
  seed: Number(values.seed),
};
const total = Number(values.steps);

function boot(engine: 'reference' | 'fast'): MinisolSystem {
  return MinisolSystem.boot(image, { ...config, engine });
}

function state(sys: MinisolSystem, withMemory: boolean): string[] {
  const lines = sys.machine.cpus.map((c) =>
    `cpu${c.index} ${c.state} pc=${c.pc.toString(16)} npc=${c.npc.toString(16)} psr=${c.psr.toString(16)} wim=${c.wim.toString(16)} ` +
    `y=${c.y.toString(16)} steps=${c.steps} traps=${c.trapsTaken} idle=${c.idleCycles} irq=${c.irq.toString(16)} r=${Array.from(c.r).join(',')}`);
  lines.push(`position=${sys.machine.position} events=${sys.machine.pendingEvents}${withMemory ? ` memory=${sys.memoryHash()}` : ''}`);
  return lines;
}

/** Runs both from boot to `from` in chunks of `outer`, then on in chunks of `chunk` up to `to`: the first position where they differ, or -1. */
function firstDifference(from: number, to: number, chunk: number, outer: number): number {
  const a = boot('reference');
  const b = boot('fast');
  let pos = 0;
  const both = (n: number): void => {
    a.machine.run({ maxSteps: n });
    b.machine.run({ maxSteps: n });
    pos += n;
  };
  while (pos < from) both(Math.min(outer, from - pos));
  const same = (): boolean => state(a, true).join('\n') === state(b, true).join('\n');
  if (!same()) return pos;
  while (pos < to) {
    both(Math.min(chunk, to - pos));
    if (!same()) return pos;
  }
  return -1;
}

let chunk = Number(values.chunk);
let at = firstDifference(0, total, chunk, chunk);
if (at < 0) {
  console.log(`the engines agree for ${total} steps (${JSON.stringify(config)})`);
  process.exit(0);
}
console.log(`differ by position ${at} (chunks of ${chunk})`);
while (chunk > 1) {
  const finer = Math.max(1, Math.floor(chunk / 10));
  const next = firstDifference(at - chunk, at, finer, chunk);
  if (next < 0) break;
  at = next;
  chunk = finer;
  console.log(`differ by position ${at} (chunks of ${chunk})`);
}
const a = boot('reference');
const b = boot('fast');
a.machine.run({ maxSteps: at - chunk });
b.machine.run({ maxSteps: at - chunk });
for (const c of a.machine.cpus) console.log(`cpu${c.index} at ${c.pc.toString(16)}: ${formatWord(a.machine.readWord(c.pc), 'v8')}`);
a.machine.run({ maxSteps: chunk });
b.machine.run({ maxSteps: chunk });
const sa = state(a, true);
const sb = state(b, true);
for (let i = 0; i < sa.length; i++) {
  if (sa[i] !== sb[i]) console.log(`reference: ${sa[i]}\nfast:      ${sb[i]}`);
}
process.exit(1);
