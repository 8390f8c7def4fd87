// Random instruction streams generated from the instruction table, run on both engines in lockstep (seeded).
import { describe, expect, it } from 'vitest';
import { BASE_ROWS, MODE_BIT, type InstrRow } from '../../src/main/core/sparc/index.ts';
import { Machine, type EngineName } from '../../src/main/core/machine/index.ts';

const CODE = 0x1000;
const CODE_WORDS = 1024;
const DATA = 0x2000; // data right after the code: random stores rewrite code now and then

function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const v8Rows = BASE_ROWS.filter((r) => (r.modes & MODE_BIT.v8) !== 0);
/** How often each kind of row is drawn: mostly ALU, memory and branches; state-register writes rarely. */
function weight(row: InstrRow): number {
  if (row.isa !== 'v8' || row.format === 'fpop') return 0.2;
  if (row.exec.startsWith('wr') && row.exec !== 'wrasr') return 0.3;
  if (row.exec === 'rett' || row.exec === 'unimp') return 0.3;
  if (row.mem !== null) return row.mem.file === 'int' ? (row.mem.alternate ? 1 : 8) : 0.3;
  if (row.exec === 'bicc') return 25;
  if (row.exec === 'call' || row.exec === 'jmpl') return 3;
  if (row.exec === 'ticc') return 1;
  if (row.exec === 'save' || row.exec === 'restore') return 5;
  return 4;
}
const weights = v8Rows.map(weight);
const total = weights.reduce((a, b) => a + b, 0);

function randomWord(next: () => number): number {
  let pick = (next() / 2 ** 32) * total;
  let row = v8Rows[0]!;
  for (let i = 0; i < v8Rows.length; i++) {
    pick -= weights[i]!;
    if (pick <= 0) {
      row = v8Rows[i]!;
      break;
    }
  }
  let w = (row.match | (next() & ~row.mask)) >>> 0;
  // Keep branches and calls near the code so that streams run for a while.
  if (row.format === 'bicc') w = ((w & ~0x3fffff) | ((((next() % 33) - 16) & 0x3fffff) >>> 0)) >>> 0;
  if (row.format === 'call') w = ((w & ~0x3fffffff) | (((next() % 65) - 32) & 0x3fffffff)) >>> 0;
  // Immediates small enough that memory operands often land in RAM.
  if (row.format === 'imm' && (next() & 1)) w = ((w & ~0x1fff) | (next() & 0x7f)) >>> 0;
  return w;
}

function makeMachine(engine: EngineName, seed: number): Machine {
  const next = rng(seed);
  const m = new Machine({ ramSize: 1 << 16, engine, nwindows: 2 + (seed % 7) });
  // Trap table at 0: every entry skips the trapping instruction (jmp %l2; rett %l2 + 4).
  for (let tt = 0; tt < 256; tt++) {
    m.writeWord(tt * 16, 0x81c48000);
    m.writeWord(tt * 16 + 4, 0x81cca004);
  }
  for (let i = 0; i < CODE_WORDS; i++) m.writeWord(CODE + 4 * i, randomWord(next));
  for (let i = 0; i < 256; i++) m.writeWord(DATA + 4 * i, next());
  const cpu = m.cpus[0]!;
  const nw = cpu.nwindows;
  m.setupCpu(0, { pc: CODE, psr: (next() & 1 ? 0x80 : 0) | 0x20 | ((next() % 16) << 8) | (next() % nw), wim: next() & 1 ? 1 << (next() % nw) : 0, tbr: 0 });
  for (let i = 1; i < cpu.r.length; i++) cpu.r[i] = next() & 1 ? DATA + (next() & 0x3fc) : next();
  cpu.y = next();
  cpu.icc = next() & 15;
  m.clearOperationLog();
  return m;
}

function state(m: Machine): unknown {
  const mem = m.readMemory(0, 0x3000);
  let h = 0;
  for (let i = 0; i < mem.length; i++) h = (Math.imul(h, 31) + mem[i]!) | 0;
  return { cpu: m.cpus[0]!.snapshot(), mem: h };
}

describe('fast engine vs reference interpreter in lockstep', () => {
  const seeds = Array.from({ length: Number(process.env.LOCKSTEP_SEEDS ?? 60) }, (_, i) => 1000 + i * 7919);
  for (const seed of seeds) {
    it(`random stream, seed ${seed}`, () => {
      const ref = makeMachine('reference', seed);
      const fast = makeMachine('fast', seed);
      const chunks = rng(seed ^ 0x5555);
      let steps = 0;
      while (steps < 4000) {
        const n = 1 + (chunks() % 40);
        const a = fast.run({ maxSteps: n });
        const b = ref.run({ maxSteps: n });
        expect(a.steps, `seed ${seed} at step ${steps}`).toBe(b.steps);
        expect(a.event, `seed ${seed} at step ${steps}`).toEqual(b.event);
        expect(state(fast), `seed ${seed} after step ${steps + a.steps}`).toEqual(state(ref));
        steps += a.steps;
        if (a.event !== null) break; // error mode (a trap with ET=0) ends the stream
      }
    });
  }
});
