// Benchmark: MIPS of both engines on CPU-bound C programs, and qemu-sparc on the same binaries, as ratios.
//
// qemu's rate is our instruction count for the same run divided by qemu's wall time (it has no
// instruction counter of its own here). The reference interpreter runs a smaller size of each
// program (it is ~10x slower); rates are per second, so the sizes need not match.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLinuxProgram, type EngineName } from '../src/main/core/machine/index.ts';
import { GCC, QEMU, buildProgram } from '../test/support/sparc-build.ts';
import { hasTool } from '../test/support/tools.ts';

interface Program {
  name: string;
  /** Argument for qemu and the fast engine, and the smaller one for the reference interpreter. */
  big: string;
  small: string;
}

const programs: Program[] = [
  { name: 'crc32', big: '3000', small: '150' },
  { name: 'sieve', big: '200', small: '10' },
  { name: 'fannkuch', big: '10', small: '9' },
  { name: 'calls', big: '35', small: '25' },
];

interface Measured {
  instructions: number;
  seconds: number;
  stdout: string;
}

function runOurs(exe: string, engine: EngineName, arg: string): Measured {
  const bytes = readFileSync(exe);
  const chunks: Uint8Array[] = [];
  const t0 = performance.now();
  const r = runLinuxProgram(bytes, { engine, argv: [exe, arg], stdout: (b) => chunks.push(b.slice()) });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitStatus !== 0) throw new Error(`${exe} ${arg} on ${engine}: exit status ${r.exitStatus} ${r.signalReason ?? ''}`);
  return { instructions: r.instructions, seconds, stdout: Buffer.concat(chunks).toString('latin1') };
}

function runQemu(exe: string, arg: string): { seconds: number; stdout: string } {
  let best = Infinity;
  let stdout = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(QEMU, [exe, arg], { maxBuffer: 1 << 20 });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`qemu-sparc ${exe} ${arg}: status ${r.status}`);
    best = Math.min(best, s);
    stdout = r.stdout.toString('latin1');
  }
  return { seconds: best, stdout };
}

const mips = (n: number, s: number): number => n / s / 1e6;
const f1 = (v: number): string => v.toFixed(1);

if (!hasTool(GCC) || !hasTool(QEMU)) {
  process.stdout.write(`emulator benchmark skipped: needs ${GCC} and ${QEMU} (Debian: gcc-sparc64-linux-gnu qemu-user)\n`);
  process.exit(0);
}

const rows: string[] = [];
let sumFastRatio = 0;
for (const p of programs) {
  const exe = buildProgram([join(import.meta.dirname, 'programs', `${p.name}.c`)], { opt: '-O2' });
  // Warm up the fast engine's JIT on the small size, then take the best of three runs (as for qemu).
  runOurs(exe, 'fast', p.small);
  let fast = runOurs(exe, 'fast', p.big);
  for (let i = 0; i < 2; i++) {
    const again = runOurs(exe, 'fast', p.big);
    if (again.seconds < fast.seconds) fast = again;
  }
  const qemu = runQemu(exe, p.big);
  if (qemu.stdout !== fast.stdout) throw new Error(`${p.name}: output differs from qemu-sparc`);
  const ref = runOurs(exe, 'reference', p.small);
  const qemuMips = mips(fast.instructions, qemu.seconds);
  const fastMips = mips(fast.instructions, fast.seconds);
  const refMips = mips(ref.instructions, ref.seconds);
  sumFastRatio += fastMips / qemuMips;
  rows.push(`| ${p.name} | ${(fast.instructions / 1e6).toFixed(0)} M | ${f1(qemuMips)} | ${f1(fastMips)} | ${(fastMips / qemuMips).toFixed(3)} | ${f1(refMips)} | ${(refMips / qemuMips).toFixed(3)} |`);
  process.stderr.write(`${p.name} done\n`);
}

process.stdout.write([
  `Machine: ${process.platform} ${process.arch}, Node ${process.versions.node}; programs built -O2 -mcpu=v8.`,
  '',
  '| program | instructions | qemu-sparc MIPS | fast MIPS | fast / qemu | reference MIPS | reference / qemu |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  `Mean fast / qemu ratio: ${(sumFastRatio / programs.length).toFixed(3)} (goal ≥ 0.2).`,
  '',
].join('\n'));
