// Benchmark: the whole structural analysis (functions, CFGs, call graph, liveness, loops) of minisol
// and of Debian's 32-bit libc, against `objdump -d` listing the same files, in the same run.
//
// "ours, first" is the first analysis in this process (the JIT still cold, as for one CLI call);
// "ours, warm" the median of later ones. CPU columns are this process's user+system time, which
// other load on the machine inflates less than wall time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { analyzeProgram, elfCodeSource, linuxUserPolicy, minisolPolicy, type RegisterPolicy } from '../src/main/core/analysis/index.ts';
import { parseElf } from '../src/main/core/elf/index.ts';

const OBJDUMP = 'sparc64-linux-gnu-objdump';
const RUNS = 5;
const images: { name: string; path: string; policy: RegisterPolicy }[] = [
  { name: 'minisol.elf', path: join(import.meta.dirname, '..', 'guest', 'minisol', 'minisol.elf'), policy: minisolPolicy },
  { name: 'libc.so.6', path: '/usr/sparc64-linux-gnu/lib32/libc.so.6', policy: linuxUserPolicy },
];

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

interface Row {
  name: string;
  words: number;
  functions: number;
  blocks: number;
  objdumpWall: number;
  objdumpCpu: number;
  firstWall: number;
  warmWall: number;
  warmCpu: number;
  phases: Record<string, number>;
}

const rows: Row[] = [];
for (const img of images) {
  if (!existsSync(img.path)) {
    console.log(`skipped ${img.name}: ${img.path} is missing`);
    continue;
  }
  const objWall: number[] = [];
  const objCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', OBJDUMP, '-d', img.path], { stdio: ['ignore', 'ignore', 'pipe'] });
    objWall.push(performance.now() - t0);
    const [u, s] = r.stderr.toString().trim().split(/\s+/).slice(-2).map(Number);
    objCpu.push(((u ?? 0) + (s ?? 0)) * 1000);
  }
  const bytes = readFileSync(img.path);
  const run = (): { wall: number; cpu: number; a: ReturnType<typeof analyzeProgram> } => {
    const c0 = cpuMs();
    const t0 = performance.now();
    const a = analyzeProgram(elfCodeSource(parseElf(bytes), img.path), { policy: img.policy });
    return { wall: performance.now() - t0, cpu: cpuMs() - c0, a };
  };
  const first = run();
  const warm: number[] = [];
  const warmCpu: number[] = [];
  let last = first.a;
  for (let i = 0; i < RUNS; i++) {
    const r = run();
    warm.push(r.wall);
    warmCpu.push(r.cpu);
    last = r.a;
  }
  const s = last.stats();
  rows.push({
    name: img.name, words: s.words, functions: s.functions, blocks: s.blocks,
    objdumpWall: median(objWall), objdumpCpu: median(objCpu), firstWall: first.wall, warmWall: median(warm), warmCpu: median(warmCpu),
    phases: { ...s.milliseconds },
  });
}

const f0 = (v: number): string => v.toFixed(0);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.versions.node}, load ${loadavg()[0]!.toFixed(1)}`);
console.log('');
console.log('| image | code words | functions | blocks | objdump -d wall / cpu ms | ours first wall ms | ours warm wall / cpu ms | warm wall ratio | warm cpu ratio |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.words} | ${r.functions} | ${r.blocks} | ${f0(r.objdumpWall)} / ${f0(r.objdumpCpu)} | ${f0(r.firstWall)} | ${f0(r.warmWall)} / ${f0(r.warmCpu)} | ${ratio(r.warmWall, r.objdumpWall)} | ${ratio(r.warmCpu, r.objdumpCpu)} |`);
}
if (rows.length > 1) {
  const sum = (k: keyof Row): number => rows.reduce((a, r) => a + (r[k] as number), 0);
  console.log(`| **all** | ${sum('words')} | ${sum('functions')} | ${sum('blocks')} | ${f0(sum('objdumpWall'))} / ${f0(sum('objdumpCpu'))} | ${f0(sum('firstWall'))} | ${f0(sum('warmWall'))} / ${f0(sum('warmCpu'))} | ${ratio(sum('warmWall'), sum('objdumpWall'))} | ${ratio(sum('warmCpu'), sum('objdumpCpu'))} |`);
}
console.log('');
console.log('Phases of the last warm run (wall ms):');
console.log('');
console.log('| image | decode | functions | cfg | liveness | loops | total |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const p = r.phases;
  console.log(`| ${r.name} | ${f0(p.decode!)} | ${f0(p.functions!)} | ${f0(p.cfg!)} | ${f0(p.liveness!)} | ${f0(p.loops!)} | ${f0(p.total!)} |`);
}
