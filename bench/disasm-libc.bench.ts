// Benchmark: the objdump -d listing of Debian's 32-bit SPARC libc, ours against GNU objdump's.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { disassembleToChunks, sparcFormatter } from '../src/main/core/disasm/index.ts';
import { parseElf } from '../src/main/core/elf/index.ts';

const LIBC = '/usr/sparc64-linux-gnu/lib32/libc.so.6';
const OBJDUMP = 'sparc64-linux-gnu-objdump';
const RUNS = 7;

if (!existsSync(LIBC)) {
  console.log(`skipped: ${LIBC} is missing (apt-get install libc6-sparc-sparc64-cross)`);
  process.exit(0);
}
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const objdump: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const r = spawnSync(OBJDUMP, ['-d', LIBC], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${OBJDUMP} failed`);
  objdump.push(performance.now() - t0);
}

const bytes = readFileSync(LIBC);
const ours: number[] = [];
let lines = 0;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const elf = parseElf(bytes);
  const chunks = disassembleToChunks(elf, { formatter: sparcFormatter(elf), fileName: LIBC });
  ours.push(performance.now() - t0);
  if (i === 0) for (const c of chunks) for (const b of c) if (b === 10) lines++;
}

const cli: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [new URL('../bin/springboard.js', import.meta.url).pathname, 'disasm', LIBC], { stdio: ['ignore', 'ignore', 'inherit'] });
  cli.push(performance.now() - t0);
}

const o = median(objdump);
const w = median(ours);
const c = median(cli);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.versions.node}`);
console.log(`libc.so.6 listing (${lines} lines), median of ${RUNS}:`);
console.log(`  objdump -d (process, output discarded)   ${o.toFixed(0)} ms`);
console.log(`  parseElf + listing (in process, warm)    ${w.toFixed(0)} ms   ratio ${(w / o).toFixed(2)}× objdump`);
console.log(`  springboard disasm (cold process)        ${c.toFixed(0)} ms   ratio ${(c / o).toFixed(2)}× objdump`);
