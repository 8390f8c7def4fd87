// Benchmark: minisol boot and each workload on both engines: virtual seconds per host second and MIPS.
//
// There is no external oracle for a whole kernel; the reference interpreter is the baseline the fast
// engine's ratio is against. Each row boots the committed image, runs T virtual seconds, and reports
// instructions, host time, MIPS and the workload's throughput.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMinisol, type BootConfigInput, type RunReport } from '../src/main/core/minisol/index.ts';

const image = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'guest', 'minisol', 'minisol.elf')));

interface Case {
  name: string;
  config: BootConfigInput;
  seconds: number;
}

const cases: Case[] = [
  { name: 'boot (idle, 1 CPU)', config: { cpus: 1 }, seconds: 0.1 },
  { name: 'boot (idle, 4 CPUs)', config: { cpus: 4 }, seconds: 0.1 },
  { name: 'proxy (1 CPU)', config: { cpus: 1, workloads: ['proxy'], proxy: { urls: 128 } }, seconds: 0.5 },
  { name: 'mirror (2 CPUs)', config: { cpus: 2, workloads: ['mirror'] }, seconds: 0.5 },
  { name: 'readers (1 CPU)', config: { cpus: 1, workloads: ['readers'] }, seconds: 0.5 },
  { name: 'mixed (2 CPUs)', config: { cpus: 2, workloads: ['mixed'] }, seconds: 0.3 },
  { name: 'all four (4 CPUs)', config: { cpus: 4, workloads: ['proxy', 'mirror', 'readers', 'mixed'], proxy: { urls: 128 } }, seconds: 0.3 },
];

const fmt = (n: number, d = 1): string => n.toFixed(d);
const cell = (r: RunReport): string => `${fmt(r.instructions / 1e6, 2)} M / ${fmt(r.hostSeconds, 2)} s / **${fmt(r.mips)}**`;

console.log('Host time includes booting (mkfs, loading, the fast engine translating the kernel). Idle CPUs stop until an interrupt,');
console.log('so an idle or disk-bound run executes few instructions: compare virtual seconds per host second there.\n');
console.log('| case | virtual s (fast / ref) | fast: instructions / host / MIPS | reference: instructions / host / MIPS | MIPS ratio | throughput (fast) |');
console.log('|---|---|---|---|---|---|');
for (const c of cases) {
  const fast = runMinisol(image, { ...c.config, engine: 'fast', seed: 1 }, { seconds: c.seconds, noShutdown: true });
  // the reference interpreter is slow: a fifth of the virtual time
  const ref = runMinisol(image, { ...c.config, engine: 'reference', seed: 1 }, { seconds: c.seconds / 5, noShutdown: true });
  if (fast.state !== 'running' || ref.state !== 'running') throw new Error(`${c.name}: ${fast.state} / ${ref.state}: ${fast.stopReason ?? ref.stopReason}`);
  const t = fast.throughput.map((w) => `${w.workload} ${fmt(w.perSecond)} ${w.unit}/s`).join(', ') || '-';
  console.log(`| ${c.name} | ${fmt(fast.measuredSeconds, 2)} / ${fmt(ref.measuredSeconds, 2)} | ${cell(fast)} | ${cell(ref)} | ${fmt(fast.mips / Math.max(0.001, ref.mips), 2)}× | ${t} |`);
}
