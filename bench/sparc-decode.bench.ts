// Benchmark: SPARC decode throughput (random and real words) and decode+format of libc's code.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { decode, decodeRow, formatInstruction, type Mode } from '../src/main/core/sparc/index.ts';

const LIBC = '/usr/sparc64-linux-gnu/lib32/libc.so.6';
const RUNS = 7;
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// Random words (xorshift), all three modes.
const N = 4_000_000;
const words = new Uint32Array(N);
let x = 0x12345678;
for (let k = 0; k < N; k++) {
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  words[k] = x >>> 0;
}
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.versions.node}`);
for (const mode of ['v8', 'v9', 'v9a'] as Mode[]) {
  let sink = 0;
  const rowMs = median(Array.from({ length: RUNS }, () => time(() => { for (let k = 0; k < N; k++) sink += decodeRow(words[k]!, mode).modes; })));
  const insnMs = median(Array.from({ length: RUNS }, () => time(() => { for (let k = 0; k < N; k++) sink += decode(words[k]!, mode).rd; })));
  console.log(`random words, ${mode}: decodeRow ${(N / rowMs / 1000).toFixed(1)} M words/s, decode ${(N / insnMs / 1000).toFixed(1)} M words/s (${sink & 1})`);
}

if (existsSync(LIBC)) {
  // The code sections' words, located with objdump -h (file offsets), so this bench needs no ELF reader.
  const h = execFileSync('sparc64-linux-gnu-objdump', ['-h', '-w', LIBC], { encoding: 'utf8' });
  const bytes = readFileSync(LIBC);
  const code: { vma: number; w: Uint32Array }[] = [];
  for (const m of h.matchAll(/^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(.*)$/gm)) {
    if (!m[5]!.includes('CODE')) continue;
    const size = parseInt(m[2]!, 16);
    const off = parseInt(m[4]!, 16);
    const w = new Uint32Array(size / 4);
    for (let k = 0; k < w.length; k++) w[k] = bytes.readUInt32BE(off + 4 * k);
    code.push({ vma: parseInt(m[3]!, 16), w });
  }
  const total = code.reduce((s, c) => s + c.w.length, 0);
  const objdump = median(Array.from({ length: 5 }, () => time(() => execFileSync('sparc64-linux-gnu-objdump', ['-d', LIBC], { stdio: ['ignore', 'ignore', 'inherit'] }))));
  const pa = (a: number): string => `0x${(a >>> 0).toString(16)}`;
  let chars = 0;
  const fmt = median(Array.from({ length: RUNS }, () => time(() => {
    for (const c of code) {
      for (let k = 0; k < c.w.length; k++) {
        chars += formatInstruction(decode(c.w[k]!, 'v9a'), { address: c.vma + 4 * k, printAddress: pa, prev: k > 0 ? c.w[k - 1] : undefined, prevPrev: k > 1 ? c.w[k - 2] : undefined }).length;
      }
    }
  })));
  console.log(`libc.so.6 code: ${total} words; objdump -d ${objdump.toFixed(0)} ms; decode+format (no symbols) ${fmt.toFixed(0)} ms = ${(fmt / objdump).toFixed(2)}× objdump (${chars & 1})`);
}
