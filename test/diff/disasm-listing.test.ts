// Differential test of the listing: ours against sparc64-linux-gnu-objdump -d, line by line.
//
// Inputs: the committed fixtures, programs compiled here (-O0 … -Os, -mcpu=v8 and -mcpu=v9,
// relocatable objects, static executables linked with glibc, dynamic executables and a shared
// library), and Debian's whole 32-bit libc and dynamic loader.
// Two comparisons per input:
//  - "structure": the instruction text comes from objdump's own listing (with every
//    "ADDR <symbol>" re-rendered by our symbol lookup), so this checks exactly what the listing
//    adds: file and section headers, symbol labels, addresses, raw bytes, zero skipping, data
//    blocks, branch-target and sethi-comment symbols. It must match byte for byte.
//  - "full": our SPARC decoder and formatter; disagreements are grouped by kind (header lines,
//    labels, skipped zeros) and, for instructions, by objdump's mnemonic.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disassembleToString, sparcFormatter } from '../../src/main/core/disasm/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { compareListings, summarize } from '../support/listing-compare.ts';
import { objdumpListing, oracleFormatter } from '../support/objdump-text.ts';
import { describeWithTool, hasTool, LIBC32 } from '../support/tools.ts';

const GCC = 'sparc64-linux-gnu-gcc';
const OBJDUMP = 'sparc64-linux-gnu-objdump';
const SRC = new URL('../fixtures/elf/src/', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/elf/bin/', import.meta.url).pathname;

interface Input {
  name: string;
  path: string;
}

function compile(dir: string): Input[] {
  const out: Input[] = [];
  const cc = (args: string[]) => execFileSync(GCC, ['-m32', '-fno-asynchronous-unwind-tables', ...args], { stdio: 'pipe' });
  for (const cpu of ['v8', 'v9']) {
    for (const opt of ['-O0', '-O1', '-O2', '-O3', '-Os']) {
      for (const src of ['sort.c', 'util.c', 'main.c']) {
        const path = join(dir, `${src}${opt}-${cpu}.o`);
        cc([`-mcpu=${cpu}`, opt, '-c', join(SRC, src), '-o', path]);
        out.push({ name: `${src} ${opt} -mcpu=${cpu} (object)`, path });
      }
    }
  }
  for (const [cpu, opt] of [['v8', '-O0'], ['v8', '-O2'], ['v9', '-O2'], ['v9', '-Os']] as const) {
    const path = join(dir, `static${opt}-${cpu}`);
    cc([`-mcpu=${cpu}`, opt, '-static', join(SRC, 'main.c'), join(SRC, 'sort.c'), join(SRC, 'util.c'), '-o', path]);
    out.push({ name: `static executable ${opt} -mcpu=${cpu}`, path });
  }
  // Dynamic executables (PIE and not) and a shared library: .plt, @plt and versioned symbols.
  const sources = [join(SRC, 'main.c'), join(SRC, 'sort.c'), join(SRC, 'util.c')];
  cc(['-mcpu=v8', '-O2', ...sources, '-o', join(dir, 'dynamic-pie-v8')]);
  out.push({ name: 'dynamic PIE executable -O2 -mcpu=v8', path: join(dir, 'dynamic-pie-v8') });
  cc(['-mcpu=v9', '-O1', '-no-pie', '-fno-pie', ...sources, '-o', join(dir, 'dynamic-v9')]);
  out.push({ name: 'dynamic executable -O1 -mcpu=v9', path: join(dir, 'dynamic-v9') });
  cc(['-mcpu=v8', '-O2', '-shared', '-fPIC', join(SRC, 'sort.c'), join(SRC, 'util.c'), '-o', join(dir, 'libdemo.so')]);
  out.push({ name: 'shared library -O2 -mcpu=v8', path: join(dir, 'libdemo.so') });
  return out;
}

describeWithTool([OBJDUMP, GCC], 'disassembly listing vs GNU objdump -d', () => {
  let dir = '';
  const inputs: Input[] = readdirSync(FIXTURES).sort().map((n) => ({ name: `fixture ${n}`, path: join(FIXTURES, n) }));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'springboard-disasm-'));
    inputs.push(...compile(dir));
    if (hasTool(LIBC32)) inputs.push({ name: 'libc.so.6 (Debian, 32-bit SPARC)', path: LIBC32 });
    const loader = LIBC32.replace('libc.so.6', 'ld-linux.so.2');
    if (hasTool(loader)) inputs.push({ name: 'ld-linux.so.2 (Debian, 32-bit SPARC)', path: loader });
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('has the same structure as objdump (instruction text from objdump, everything else ours)', () => {
    const reports: string[] = [];
    let lines = 0;
    for (const input of inputs) {
      const reference = objdumpListing(input.path);
      const ours = disassembleToString(parseElf(readFileSync(input.path)), { formatter: oracleFormatter(reference), fileName: input.path });
      const c = compareListings(ours, reference);
      lines += c.compared;
      if (c.disagreements.length > 0 || ours !== reference) reports.push(summarize(input.name, c));
    }
    console.log(`structure: ${inputs.length} listings, ${lines} lines, ${reports.length} differing`);
    expect(reports, reports.join('\n')).toEqual([]);
  });

  it('matches objdump with the SPARC decoder (grouped by kind and mnemonic)', () => {
    const reports: string[] = [];
    const totals = new Map<string, number>();
    let lines = 0;
    let disagreements = 0;
    for (const input of inputs) {
      const reference = objdumpListing(input.path);
      const elf = parseElf(readFileSync(input.path));
      const t0 = performance.now();
      const ours = disassembleToString(elf, { formatter: sparcFormatter(elf), fileName: input.path });
      const ms = performance.now() - t0;
      const c = compareListings(ours, reference);
      lines += c.compared;
      disagreements += c.disagreements.length;
      for (const [g, n] of c.byGroup) totals.set(g, (totals.get(g) ?? 0) + n);
      if (input.path === LIBC32) {
        const t1 = performance.now();
        execFileSync(OBJDUMP, ['-d', input.path], { maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'ignore'] });
        console.log(`libc: ours ${ms.toFixed(0)} ms, objdump ${(performance.now() - t1).toFixed(0)} ms (to /dev/null); ${summarize('libc', c, 0)}`);
      }
      if (c.disagreements.length > 0) reports.push(summarize(input.name, c));
    }
    const groups = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g}: ${n}`).join(', ');
    console.log(`full: ${inputs.length} listings, ${lines} lines compared, ${disagreements} disagreements${groups ? ` (${groups})` : ''}`);
    expect(reports, reports.join('\n')).toEqual([]);
  });
});
