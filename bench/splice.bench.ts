// Benchmark: splicing costs. Instructions executed per counter hit (KernInst: 8) in each data layout,
// on a C program and (by single-stepping) on the running minisol kernel, time to install
// 1,000 points in one transaction, and the slowdown with every function counted, on a C program
// (Linux personality) and on the running minisol kernel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeProgram, elfCodeSource } from '../src/main/core/analysis/index.ts';
import { parseElf } from '../src/main/core/elf/index.ts';
import { minisolSplicer } from '../src/main/core/instrument/index.ts';
import { LinuxProcess, linuxImageFromElf, Machine, STACK_TOP } from '../src/main/core/machine/index.ts';
import { MinisolSystem, WORKLOADS } from '../src/main/core/minisol/index.ts';
import { MachineWalker, Splicer, type Point } from '../src/main/core/splice/index.ts';
import { GCC, buildProgram } from '../test/support/sparc-build.ts';
import { hasTool } from '../test/support/tools.ts';

const root = join(import.meta.dirname, '..');
const counter = (id: string) => ({ version: 1 as const, body: [{ op: 'counterAdd' as const, counter: id }] });

type Layout = 'strided' | 'wide' | 'hot';
const HOT = { start: 0x400, end: 0x1000 };

function linux(bytes: Uint8Array, argv: string[], cpusForData: number, layout: Layout = 'strided') {
  const machine = new Machine({ ramSize: 2 ** 32, quantum: 1 << 30 });
  const process = new LinuxProcess(machine, linuxImageFromElf(bytes), { argv, stdout: () => undefined });
  const analysis = analyzeProgram(elfCodeSource(parseElf(bytes), 'bench'));
  const splicer = new Splicer({
    memory: machine, analysis, patchHeap: [0x00600000, 0x00700000],
    data: layout === 'wide' ? { base: 0x0f000000, strideLog2: 28, cpus: cpusForData, nwindows: 8 } : { base: 0x00700000, strideLog2: 16, cpus: cpusForData, ...(layout === 'hot' ? { nwindows: 8, hot: HOT } : {}) },
    walker: new MachineWalker(machine, STACK_TOP),
  });
  const run = (): { instructions: number; seconds: number } => {
    const t0 = performance.now();
    while (process.exitStatus === null) machine.run({ maxSteps: 5e7 });
    return { instructions: machine.cpus[0]!.instructions, seconds: (performance.now() - t0) / 1000 };
  };
  return { machine, analysis, splicer, run };
}

const rows: [string, string][] = [];
const out = (what: string, result: string): void => {
  rows.push([what, result]);
  process.stdout.write(`${what}: ${result}\n`);
};

if (!hasTool(GCC)) {
  process.stdout.write(`skipping the C-program part: ${GCC} missing\n`);
} else {
  const exe = buildProgram([join(root, 'bench', 'programs', 'calls.c')], { opt: '-O0' });
  const bytes = new Uint8Array(readFileSync(exe));
  const argv = ['calls', '22'];
  const base = linux(bytes, argv, 1).run();
  // Instructions per counter hit: a counter at fib's entry (fib's first instruction is `save`).
  // (The data layout is chosen by the splicer's `data` option; the program runs on CPU 0, which reads
  // %asr17 = 0 << 28 | 7 like any CPU of a multi-CPU machine.)
  const name: Record<string, string> = {
    '1 strided': '1 CPU (constant address: sethi)',
    '1 hot': '1 CPU, hot window ([%g0 + simm13])',
    '4 strided': 'per-CPU data, strided layout (rd %asr17; srl; sethi; add)',
    '4 wide': 'per-CPU data, wide layout (rd %asr17; sethi; add: %asr17 is the offset)',
    '4 hot': 'per-CPU data, hot window (rd %asr17; ld [r + simm13])',
  };
  for (const [cpus, layout] of [[1, 'strided'], [1, 'hot'], [4, 'strided'], [4, 'wide'], [4, 'hot']] as const) {
    const l = linux(bytes, argv, cpus, layout);
    l.splicer.insert(l.splicer.points.entry('fib'), counter('fib'));
    const r = l.run();
    const hits = l.splicer.readSum('counter', 'fib');
    out(`instructions per counter hit, calls.c, ${name[`${cpus} ${layout}`]}`, `${((r.instructions - base.instructions) / hits).toFixed(2)} (KernInst: 8; ${hits} hits)`);
  }
  // Every function's entry and exits counted.
  const all = linux(bytes, argv, 1);
  const pts: Point[] = all.analysis.functions.filter((f) => !f.external).flatMap((f) => [all.splicer.points.entry(f.name), ...all.splicer.points.exits(f.name)]).filter((p) => p.refused === null);
  const b = all.splicer.batch();
  for (const p of pts) b.insert(p, counter(p.id));
  b.commit();
  const r = all.run();
  out(`calls.c -O0, every function's entry and exits counted (${pts.length} points)`, `${(r.instructions / base.instructions).toFixed(3)}× instructions, ${(r.seconds / base.seconds).toFixed(2)}× host time`);
}

// minisol: install 1,000+ points in one transaction, and the slowdown of the running kernel.
const image = new Uint8Array(readFileSync(join(root, 'guest', 'minisol', 'minisol.elf')));

/**
 * Instructions per counter hit on the running kernel, measured: single-step every CPU for `steps`
 * steps and count the instructions completed at the site (`ba,a` into the patch) or inside the patch,
 * less one per hit (the displaced instruction, which runs anyway). Traps taken inside the patch run
 * their handlers elsewhere and are not counted.
 */
function minisolHit(cpus: number, hot: boolean, fn: string, steps: number): { perHit: number; hits: number; snippet: number } {
  const sys = MinisolSystem.boot(image, { cpus, workloads: [...WORKLOADS], seed: 9 });
  sys.runFor(0.02);
  const { splicer } = minisolSplicer(sys, { hot });
  const p = splicer.points.entry(fn);
  splicer.insert(p, counter(fn));
  const listing = splicer.listing(p.site);
  const lo = parseInt(listing[0]!, 16);
  const hi = parseInt(listing[listing.length - 1]!, 16) + 4;
  const m = sys.machine;
  const c0 = splicer.readSum('counter', fn);
  let counted = 0;
  const pcs = new Array<number>(cpus);
  const done = new Array<number>(cpus);
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < cpus; k++) {
      pcs[k] = m.cpus[k]!.pc >>> 0;
      done[k] = m.cpus[k]!.instructions;
    }
    m.step();
    for (let k = 0; k < cpus; k++) {
      const pc = pcs[k]!;
      if (m.cpus[k]!.instructions === done[k]! + 1 && (pc === p.site || (pc >= lo && pc < hi))) counted++;
    }
  }
  const hits = splicer.readSum('counter', fn) - c0;
  return { perHit: (counted - hits) / hits, hits, snippet: listing.filter((l) => l.endsWith('! snippet')).length };
}
for (const [cpus, hot] of [[1, true], [4, true], [4, false]] as const) {
  // disp: called ~6,000 times per virtual second here, and its entry has free registers (no fresh window).
  const r = minisolHit(cpus, hot, 'disp', cpus * 2_000_000);
  out(`instructions per counter hit, minisol ${cpus} CPU${cpus > 1 ? 's' : ''}, all workloads, disp entry, ${hot ? (cpus > 1 ? 'hot window (rd %asr17; ld [r + simm13])' : 'hot window ([%g0 + simm13])') : 'strided fallback (rd %asr17; srl; sethi; add)'}`, `${r.perHit.toFixed(2)} (${r.snippet} snippet + 2 branches; ${r.hits} hits, single-stepped)`);
}
const boot = () => {
  const sys = MinisolSystem.boot(image, { cpus: 2, workloads: [...WORKLOADS], seed: 9 });
  sys.runFor(0.02);
  return sys;
};
/** Work done in `seconds` of virtual time (system calls served, from the kernel's kstats) and host time. */
const measure = (sys: MinisolSystem, seconds: number) => {
  const k0 = sys.kstats().totals.syscalls ?? 0;
  const t0 = performance.now();
  sys.runFor(seconds);
  return { syscalls: (sys.kstats().totals.syscalls ?? 0) - k0, seconds: (performance.now() - t0) / 1000 };
};
const plain = boot();
const pm = measure(plain, 0.2);
const sys = boot();
const t0 = performance.now();
const { analysis, splicer } = minisolSplicer(sys);
const tAnalysis = performance.now() - t0;
const points = analysis.functions.filter((f) => !f.external).flatMap((f) => [splicer.points.entry(f.name), ...splicer.points.exits(f.name)]).filter((p) => p.refused === null);
const t1 = performance.now();
const batch = splicer.batch();
for (const p of points) batch.insert(p, counter(p.id));
batch.commit();
const tInstall = performance.now() - t1;
out('minisol analysis (557 functions, liveness)', `${tAnalysis.toFixed(0)} ms`);
out(`install ${points.length} points (entry + exits of every spliceable minisol function), one transaction`, `${tInstall.toFixed(0)} ms (${((1000 * tInstall) / points.length).toFixed(0)} ms per 1,000)`);
const sm = measure(sys, 0.2);
out('minisol, 2 CPUs, all workloads, every function\'s entry and exits counted: work per virtual second', `${(sm.syscalls / pm.syscalls).toFixed(3)}× system calls served (${sm.syscalls} vs ${pm.syscalls} in 0.2 s), ${(sm.seconds / pm.seconds).toFixed(2)}× host time`);
const t2 = performance.now();
const rm = splicer.batch();
for (const h of splicer.handles) rm.remove(h);
rm.commit();
out(`remove all ${points.length} points, one transaction`, `${(performance.now() - t2).toFixed(0)} ms`);
process.stdout.write('\n| what | result |\n|---|---|\n' + rows.map(([a, b2]) => `| ${a} | ${b2} |`).join('\n') + '\n');
