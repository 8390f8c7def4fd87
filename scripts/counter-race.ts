// Measures the interrupt race on per-CPU counters in minisol: counters (ld/add/st on the CPU's own copy)
// at the entry of functions that run both at thread level and in interrupt handlers, against the kernel's
// own kstats, with every interrupt taken inside a counter's ld..st window counted (trapListener).
//
// node scripts/counter-race.ts [--seconds S] [--cpus N] [--quantum Q] [--seed N] [--hz HZ] [--workloads a,b]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minisolSplicer } from '../src/main/core/instrument/index.ts';
import { MinisolSystem, WORKLOADS, type WorkloadName } from '../src/main/core/minisol/index.ts';

/** Function → the kstat it bumps once per call, first thing (setq_common counts as `setrun`, poke_cpu as `poke`). */
const FUNCTIONS: Record<string, string> = {
  kmem_alloc: 'kmem_alloc', kmem_free: 'kmem_free', mutex_enter: 'mutex_enter', setq_common: 'setrun', poke_cpu: 'poke',
  clock_tick: 'clock_tick', clock: 'clock', sdintr: 'sdintr', hmeintr: 'hmeintr', ip_rput: 'ip_rput', ip_wput: 'ip_wput',
  hme_start: 'hme_start', bread: 'bread', disp: 'disp', swtch: 'swtch', sdstrategy: 'sdstrategy',
};
const INTERRUPT_TT = [0x11, 0x1f] as const;

function arg(name: string, dflt: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? process.argv[k + 1] ?? dflt : dflt;
}

const seconds = Number(arg('seconds', '1'));
const cpus = Number(arg('cpus', '4'));
const quantum = Number(arg('quantum', '200'));
const seed = Number(arg('seed', '11'));
const hz = Number(arg('hz', '1000'));
const workloads = arg('workloads', WORKLOADS.join(',')).split(',') as WorkloadName[];
const image = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'guest', 'minisol', 'minisol.elf')));
const sys = MinisolSystem.boot(image, { cpus, seed, quantum, hz, workloads });
sys.runFor(0.05);
const { splicer } = minisolSplicer(sys);
const names = Object.keys(FUNCTIONS);
// Each entry: its own counter (the `calls` metric) and one counter shared by all (a module-wide `calls`).
const b = splicer.batch();
for (const f of names) {
  const p = splicer.points.entry(f);
  if (p.refused !== null) throw new Error(`${f}: ${p.refused}`);
  b.insert(p, { version: 1, body: [{ op: 'counterAdd', counter: f }, { op: 'counterAdd', counter: 'all' }] });
}
b.commit();
// The windows: from the instruction after a counter's `ld` through its `st` (an interrupt taken there has read the old value).
const window = new Map<number, string>();
for (const f of names) {
  const lines = splicer.listing(splicer.points.entry(f).site);
  for (let k = 0; k < lines.length; k++) {
    const ld = /^([0-9a-f]+): ld\s+(\[[^\]]+\]), (%\w+)/.exec(lines[k]!);
    if (ld === null) continue;
    for (let j = k + 1; j < lines.length; j++) {
      const st = /^([0-9a-f]+): st\s+(%\w+), (\[[^\]]+\])/.exec(lines[j]!);
      if (st !== null && st[2] === ld[3] && st[3] === ld[2]) {
        for (let a = parseInt(ld[1]!, 16) + 4; a <= parseInt(st[1]!, 16); a += 4) window.set(a, f);
        break;
      }
    }
  }
}
const inWindow = new Map<string, number>();
let interrupts = 0;
sys.machine.trapListener = (_cpu, tt, pc) => {
  if (tt < INTERRUPT_TT[0] || tt > INTERRUPT_TT[1]) return;
  interrupts++;
  const f = window.get(pc >>> 0);
  if (f !== undefined) inWindow.set(f, (inWindow.get(f) ?? 0) + 1);
};
const k0 = sys.kstats().totals;
const t0 = performance.now();
const out = sys.runFor(seconds);
const k1 = sys.kstats().totals;
sys.machine.trapListener = null;
const wall = (performance.now() - t0) / 1000;
let sumK = 0;
console.log(`counter-race: ${cpus} CPUs, quantum ${quantum}, seed ${seed}, hz ${hz}, ${workloads.join('+')}, ${seconds} s virtual (${wall.toFixed(1)} s wall), ${interrupts} interrupts, state ${out.state}`);
console.log(`${'function'.padEnd(13)} ${'kstat'.padStart(9)} ${'counter'.padStart(9)} ${'lost'.padStart(6)} ${'intr in window'.padStart(15)}`);
for (const f of names) {
  const k = k1[FUNCTIONS[f]!]! - k0[FUNCTIONS[f]!]!;
  sumK += k;
  const c = splicer.readSum('counter', f);
  console.log(`${f.padEnd(13)} ${String(k).padStart(9)} ${String(c).padStart(9)} ${String(k - c).padStart(6)} ${String(inWindow.get(f) ?? 0).padStart(15)}`);
}
const all = splicer.readSum('counter', 'all');
console.log(`${'(shared)'.padEnd(13)} ${String(sumK).padStart(9)} ${String(all).padStart(9)} ${String(sumK - all).padStart(6)}`);
