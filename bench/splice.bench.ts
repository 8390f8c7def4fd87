// Benchmark: splicing costs. Instructions executed per counter hit (KernInst: 8), time to install
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

function linux(bytes: Uint8Array, argv: string[], cpusForData: number, wide = false) {
  const machine = new Machine({ ramSize: 2 ** 32, quantum: 1 << 30 });
  const process = new LinuxProcess(machine, linuxImageFromElf(bytes), { argv, stdout: () => undefined });
  const analysis = analyzeProgram(elfCodeSource(parseElf(bytes), 'bench'));
  const splicer = new Splicer({
    memory: machine, analysis, patchHeap: [0x00600000, 0x00700000],
    data: wide ? { base: 0x0f000000, strideLog2: 28, cpus: cpusForData, nwindows: 8 } : { base: 0x00700000, strideLog2: 16, cpus: cpusForData }, walker: new MachineWalker(machine, STACK_TOP),
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
  for (const [cpus, wide] of [[1, false], [4, false], [4, true]] as const) {
    const l = linux(bytes, argv, cpus, wide);
    l.splicer.insert(l.splicer.points.entry('fib'), counter('fib'));
    const r = l.run();
    const hits = l.splicer.readSum('counter', 'fib');
    out(`instructions per counter hit, ${cpus === 1 ? '1 CPU (constant address)' : wide ? 'per-CPU data, wide layout (%asr17 is the offset)' : 'per-CPU data, strided layout (rd %asr17; srl)'}`, `${((r.instructions - base.instructions) / hits).toFixed(2)} (KernInst: 8; ${hits} hits)`);
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
