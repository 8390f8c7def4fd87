// Structural analysis against GNU objdump and the compiler: coverage of every word, switch tables
// resolved, call edges equal to the calls objdump lists; Debian's libc analysed with no errors.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { analyzeProgram, elfCodeSource, type ProgramAnalysis } from '../../src/main/core/analysis/index.ts';
import { parseElf } from '../../src/main/core/elf/index.ts';
import { GCC, buildProgram } from '../support/sparc-build.ts';
import { LIBC32, describeWithTool } from '../support/tools.ts';

const OBJDUMP = 'sparc64-linux-gnu-objdump';
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'analysis');
const programs = join(import.meta.dirname, 'programs');

/** Direct calls objdump lists: site address → target address. */
function objdumpCalls(file: string): Map<number, number> {
  const text = execFileSync(OBJDUMP, ['-d', file], { maxBuffer: 1 << 30 }).toString('latin1');
  const out = new Map<number, number>();
  const re = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ){4}\tcall\s+([0-9a-f]+)(?: <|$)/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.set(parseInt(m[1]!, 16), parseInt(m[2]!, 16));
  return out;
}

/** Every word of the code: in exactly one block or classified; blocks contiguous and owned. */
function checkCoverage(a: ProgramAnalysis): void {
  const t = a.instrs;
  const g = a.cfg;
  const problems: string[] = [];
  const seen = new Int32Array(t.count).fill(-1);
  for (let b = 0; b < g.blockCount; b++) {
    if (g.bStart[b]! > g.bEnd[b]!) problems.push(`block ${b} is empty`);
    for (let n = g.bStart[b]!; n <= g.bEnd[b]!; n++) {
      if (seen[n] !== -1) problems.push(`0x${t.addrOf(n).toString(16)} in blocks ${seen[n]} and ${b}`);
      seen[n] = b;
      if (g.instrBlock[n] !== b) problems.push(`0x${t.addrOf(n).toString(16)}: instrBlock disagrees`);
      if (a.exploration.owner[n] !== g.bFn[b]) problems.push(`0x${t.addrOf(n).toString(16)}: owner is not the block's function`);
    }
  }
  const classes = new Set(['data', 'padding', 'unreachable', 'plt']);
  for (let n = 0; n < t.count; n++) {
    const cls = a.wordClass(t.addrOf(n));
    if (seen[n]! >= 0 ? cls !== 'code' : !classes.has(cls ?? '')) problems.push(`0x${t.addrOf(n).toString(16)}: class ${cls}`);
  }
  // Every word of every symbol-sized function's range is covered that way too, and intra-function
  // edges stay inside their function.
  for (const f of a.functions) {
    if (f.external || f.size === 0) continue;
    for (let p = f.address; p < f.address + f.size; p += 4) if (a.wordClass(p) === null) problems.push(`${f.name}: 0x${p.toString(16)} unclassified`);
  }
  const e = g.edges;
  for (let i = 0; i < e.count; i++) if (e.to[i]! >= 0 && g.bFn[e.to[i]!] !== g.bFn[e.from[i]!]) problems.push(`edge ${i} leaves its function`);
  expect(problems.slice(0, 20)).toEqual([]);
}

/** The analysis's call sites from `call` instructions equal objdump's calls in analysed code. */
function checkCalls(a: ProgramAnalysis, file: string): { agreed: number; inUnanalysedCode: number } {
  const calls = objdumpCalls(file);
  const ours = new Map<number, number | null>();
  for (const s of a.callSites()) {
    const n = a.instrs.indexOf(s.address);
    if (n < 0 || a.instrs.words[n]! >>> 30 !== 1) continue;
    ours.set(s.address, s.target);
    // The callee the call graph names starts where the call goes.
    if (s.callee >= 0) expect(a.functions[s.callee]!.address).toBe(s.target);
  }
  let agreed = 0;
  let inUnanalysedCode = 0;
  for (const [site, target] of calls) {
    if (!a.analysed(site)) {
      inUnanalysedCode++;
      continue;
    }
    const n = a.instrs.indexOf(site);
    const pcGetter = target === site + 8;
    if (pcGetter) continue; // `call .+8` reads the pc; it calls nothing
    if (ours.get(site) !== target) expect.fail(`call at 0x${site.toString(16)} to 0x${target.toString(16)}: the call graph has ${ours.get(site)}`);
    void n;
    agreed++;
  }
  for (const site of ours.keys()) if (!calls.has(site)) expect.fail(`0x${site.toString(16)} is no call for objdump`);
  return { agreed, inUnanalysedCode };
}

const cases = [
  { name: 'switches', path: join(fixtures, 'switches.c') },
  { name: 'dispatch', path: join(programs, 'dispatch.c') },
  { name: 'sort', path: join(programs, 'sort.c') },
  { name: 'asm-edges', path: join(programs, 'asm-edges.c') },
];

describeWithTool([GCC, OBJDUMP], 'analysis of C programs vs objdump', () => {
  for (const c of cases) {
    for (const opt of ['-O0', '-O1', '-O2', '-Os']) {
      it(`${c.name} ${opt}: coverage, switch tables, call edges`, () => {
        const exe = buildProgram([c.path], { opt });
        const a = analyzeProgram(elfCodeSource(parseElf(readFileSync(exe)), exe));
        checkCoverage(a);
        const s = a.stats();
        expect(s.unresolvedIndirectJumps).toBe(0);
        expect(s.anomalies).toBe(0);
        // The C runtime's printf has a switch; the test programs add their own.
        expect(s.jumpTables).toBeGreaterThanOrEqual(c.name === 'switches' ? 2 : 1);
        const calls = checkCalls(a, exe);
        expect(calls.agreed).toBeGreaterThan(10);
        // Only calls after `unimp` in abort() are out of reach.
        expect(calls.inUnanalysedCode).toBeLessThanOrEqual(1);
      });
    }
  }
  it('resolves every switch of switches.c to its case blocks', () => {
    const exe = buildProgram([join(fixtures, 'switches.c')], { opt: '-O2' });
    const a = analyzeProgram(elfCodeSource(parseElf(readFileSync(exe)), exe));
    const tables = a.exploration.tables.map((tb) => ({ fn: a.functions[tb.fn]!.name, count: tb.count }));
    expect(tables).toEqual(expect.arrayContaining([{ fn: 'op', count: 12 }]));
    // name() switches on v % 9: 9 cases (its table may also be a lookup table GCC made).
    const op = a.functionByName('op')!;
    const targets = new Set(a.exploration.tables.find((tb) => tb.fn === op.index)!.targets);
    expect(targets.size).toBe(12);
  });
});

describeWithTool([LIBC32, OBJDUMP], "Debian's 32-bit libc (stripped, PIC, V8+A)", () => {
  it('is analysed with no errors; call edges agree with objdump', () => {
    const a = analyzeProgram(elfCodeSource(parseElf(readFileSync(LIBC32)), LIBC32));
    const s = a.stats();
    process.stdout.write(`libc: ${JSON.stringify({ ...s, milliseconds: undefined })}\n`);
    checkCoverage(a);
    expect(s.functions).toBeGreaterThan(3000);
    expect(s.jumpTables).toBeGreaterThan(60);
    expect(s.unresolvedIndirectJumps).toBeLessThan(40);
    expect(s.unreachableWords / s.words).toBeLessThan(0.05);
    // Anomalies are notes (e.g. a switch that only resolved on a partial CFG, now treated as unknown).
    process.stdout.write(`libc anomalies: ${JSON.stringify(a.exploration.anomalies)}\n`);
    expect(s.anomalies).toBeLessThan(10);
    const calls = checkCalls(a, LIBC32);
    expect(calls.agreed).toBeGreaterThan(15000);
    process.stdout.write(`libc calls: ${JSON.stringify(calls)}\n`);
  });
});
