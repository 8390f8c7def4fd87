// The assembler vs GNU as 2.40 (sparc64-linux-gnu-as -32 -Av8 / -Av8plus / -Av8plusa): the same
// bytes in every section and the same relocations, for
//   - one line per table form with random operands (every form of every mode),
//   - hand-written sources using every directive and syntax feature (test/diff/asm-corpus),
//   - gcc -S output of the C fixtures, the test programs and the guest kernel,
//   - objdump listings of compiled code (and of Debian's 32-bit libc) turned back into source;
// and both reject the same malformed lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  ALIAS_ROWS, AsmError, type AsmOutput, MODE_BIT, type Mode, assemble,
} from '../../src/main/core/sparc/index.ts';
import { olderForm } from '../../src/main/core/sparc/asm/operands.ts';
import { formLine, listingSource } from '../support/asm-corpus.ts';
import { rng } from '../support/rng.ts';
import { GAS, type GasResult, gas, wordsOf } from '../support/gas.ts';
import { LIBC32, describeWithTool } from '../support/tools.ts';

const GCC = 'sparc64-linux-gnu-gcc';
const OBJDUMP = 'sparc64-linux-gnu-objdump';
const NM = 'sparc64-linux-gnu-nm';
const ROOT = join(import.meta.dirname, '..', '..');
const stats = { formLines: 0, gasRejectedForms: 0, corpusLines: 0, gccLines: 0, listingLines: 0, ambiguousWords: 0 };

afterAll(() => {
  process.stdout.write(`assembler-gas: ${JSON.stringify(stats)}\n`);
});

/** Relocations as comparable strings. */
const relocKeys = (list: readonly { section: string; offset: number; type: string; symbol: string | null; addend: number }[]): string[] =>
  list.filter((r) => !r.section.startsWith('.eh_frame') && !r.section.startsWith('.debug'))
    .map((r) => `${r.section}+0x${r.offset.toString(16)} ${r.type} ${r.symbol ?? '*ABS*'}${r.addend < 0 ? '' : '+'}${r.addend}`).sort();

/** Expects our output to equal GNU as's: every section GNU as has with contents, relocations. */
function expectSame(name: string, ours: AsmOutput, g: GasResult): void {
  for (const [sec, bytes] of g.sections) {
    if (sec === '.eh_frame') continue; // .cfi_* directives are accepted and ignored
    const mine = ours.section(sec);
    expect(mine, `${name}: section ${sec}`).toBeDefined();
    const a = wordsOf(bytes);
    const b = wordsOf(mine!.bytes);
    const k = a.findIndex((x, i) => x !== b[i]);
    expect(k === -1 && a.length === b.length ? null : `${name} ${sec}+0x${(4 * k).toString(16)}: gas ${a[k]?.toString(16)} ours ${b[k]?.toString(16)}`).toBeNull();
  }
  expect(relocKeys(ours.relocations), `${name}: relocations`).toEqual(relocKeys(g.relocations));
}

/** Assembles with both and compares; returns the number of source lines. */
function compareSource(name: string, source: string, mode: Mode): number {
  const g = gas(source, mode);
  expect(g.ok, `${name}: GNU as failed:\n${g.stderr}`).toBe(true);
  let ours: AsmOutput;
  try {
    ours = assemble(source, { mode, fileName: name });
  } catch (e) {
    throw new Error(`${name}: ${e instanceof AsmError ? e.message : String(e)}`);
  }
  expectSame(name, ours, g);
  return source.split('\n').length;
}

describeWithTool(GAS, 'assembler vs GNU as: one line per table form', () => {
  for (const mode of ['v8', 'v9', 'v9a'] as const) {
    it(`assembles every form of ${mode} like GNU as`, () => {
      const bit = MODE_BIT[mode];
      const r = rng(mode.length * 977 + 5);
      // Forms objdump shows in this mode, and V8 ones whose row exists here (addx in V8+).
      const forms = ALIAS_ROWS.filter((f) => (f.modes & bit) !== 0 || olderForm(f, mode));
      const lines = forms.flatMap((f) => [formLine(f, mode, r), formLine(f, mode, r), formLine(f, mode, r)]);
      const first = gas(`${lines.join('\n')}\n`, mode);
      const rejected = new Set(first.errorLines.map((n) => n - 1));
      // GNU as -Av8 refuses only the LEON extras objdump decodes in V8 (casa, umac, smac, pwr).
      const names = new Set([...rejected].map((k) => lines[k]!.split(' ')[0]));
      if (mode === 'v8') expect([...names].filter((n) => !['casa', 'umac', 'smac', 'pwr'].includes(n!))).toEqual([]);
      else expect([...names]).toEqual([]);
      const kept = lines.filter((_, k) => !rejected.has(k));
      const g = gas(`${kept.join('\n')}\n`, mode);
      expect(g.ok, g.stderr).toBe(true);
      const want = wordsOf(g.sections.get('.text')!);
      const bad: string[] = [];
      kept.forEach((line, k) => {
        let got: string;
        try {
          got = assemble(line, { mode }).words[0]!.toString(16);
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
          got = e.detail;
        }
        if (got !== want[k]!.toString(16)) bad.push(`${line}: gas ${want[k]!.toString(16)} ours ${got}`);
      });
      expect(bad.slice(0, 20)).toEqual([]);
      stats.formLines += kept.length;
      stats.gasRejectedForms += rejected.size;
    });
  }
});

describeWithTool([GAS, NM], 'assembler vs GNU as: hand-written corpus (every directive and syntax feature)', () => {
  const dir = join(ROOT, 'test', 'diff', 'asm-corpus');
  const modesOf = (file: string): Mode[] => (file.endsWith('-v9a.s') ? ['v9a'] : file.endsWith('-v9.s') ? ['v9', 'v9a'] : ['v8']);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.s')).sort()) {
    for (const mode of modesOf(file)) {
      it(`${file} in ${mode}`, () => {
        const source = readFileSync(join(dir, file), 'utf8');
        stats.corpusLines += compareSource(file, source, mode);
        // Symbols: what GNU as defines, we define at the same place.
        const ours = assemble(source, { mode });
        const nm = execFileSync('sh', ['-c', `f=$(mktemp); printf '%s' "$1" > $f.s; ${GAS} -32 ${mode === 'v8' ? '-Av8' : '-Av8plusa'} -o $f.o $f.s 2>/dev/null && ${NM} $f.o; rm -f $f $f.s $f.o`, 'sh', source], { encoding: 'utf8' });
        for (const line of nm.split('\n')) {
          const m = /^([0-9a-f]{8}) ([a-zA-Z]) (\S+)$/.exec(line);
          if (!m || m[3]!.startsWith('.L')) continue;
          const sym = ours.symbol(m[3]!);
          expect(sym, m[3]).toBeDefined();
          if ('TtDdBbRr'.includes(m[2]!)) expect(sym!.value, m[3]).toBe(parseInt(m[1]!, 16));
          expect(sym!.binding !== 'local', m[3]).toBe(m[2] === m[2]!.toUpperCase());
        }
      });
    }
  }
});

/** C sources compiled to assembly with gcc -S. */
const C_SOURCES: readonly { dir: string; include: string[] }[] = [
  { dir: 'test/fixtures/elf/src', include: [] },
  { dir: 'test/diff/fixtures', include: [] },
  { dir: 'test/diff/programs', include: ['test/support/sparc-rt'] },
  { dir: 'guest/minisol', include: ['guest/minisol/include'] },
];
const GCC_CONFIGS: readonly { mode: Mode; flags: string[] }[] = [
  { mode: 'v8', flags: ['-mcpu=v8', '-O0'] },
  { mode: 'v8', flags: ['-mcpu=v8', '-O2'] },
  { mode: 'v9a', flags: ['-mcpu=ultrasparc', '-O2'] },
  { mode: 'v9', flags: ['-mcpu=v9', '-Os'] },
];

describeWithTool([GAS, GCC], 'assembler vs GNU as: gcc -S output', () => {
  for (const { dir, include } of C_SOURCES) {
    for (const cfg of GCC_CONFIGS) {
      it(`${dir}/*.c with ${cfg.flags.join(' ')}`, () => {
        const tmp = mkdtempSync(join(tmpdir(), 'springboard-asm-gcc-'));
        try {
          for (const c of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.c')).sort()) {
            const out = join(tmp, `${basename(c, '.c')}.s`);
            execFileSync(GCC, ['-m32', ...cfg.flags, '-ffreestanding', '-fno-pic', '-fno-pie', ...include.map((i) => `-I${join(ROOT, i)}`), '-S', '-o', out, join(ROOT, dir, c)]);
            stats.gccLines += compareSource(`${dir}/${c} ${cfg.flags.join(' ')}`, readFileSync(out, 'utf8'), cfg.mode);
          }
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      });
    }
  }
  it('guest/minisol/locore.S (preprocessed)', () => {
    const src = execFileSync(GCC, ['-m32', '-mcpu=v8', '-E', `-I${join(ROOT, 'guest/minisol/include')}`, join(ROOT, 'guest/minisol/locore.S')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    stats.gccLines += compareSource('locore.S', src, 'v8');
  });
});

/** Assembles a listing's source at the section address and compares with GNU as and the object. */
function compareListing(file: string, mode: Mode): void {
  const { source, words, address, lines } = listingSource(file);
  const g = gas(source, mode);
  expect(g.ok, `${file}: GNU as failed:\n${g.stderr.slice(0, 2000)}`).toBe(true);
  const want = wordsOf(g.sections.get('.text')!);
  const ours = assemble(source, { mode, origin: address });
  const bad: string[] = [];
  const src = source.split('\n');
  for (let k = 0; k < want.length; k++) {
    if (ours.words[k] !== want[k]) bad.push(`${file}+0x${(4 * k).toString(16)} ${src[k]}: gas ${want[k]!.toString(16)} ours ${ours.words[k]?.toString(16)}`);
    // Where objdump's text is ambiguous (`clr %o0` for or %g0, 0, %o0; `mov %o1, %o2` for or
    // %o1, %g0, %o2) both assemblers pick the same other word.
    else if (ours.words[k] !== words[k]) stats.ambiguousWords++;
  }
  expect(bad.slice(0, 20)).toEqual([]);
  stats.listingLines += lines;
}

describeWithTool([GAS, OBJDUMP], 'assembler vs GNU as: objdump listings turned back into source', () => {
  const bin = join(ROOT, 'test', 'fixtures', 'elf', 'bin');
  for (const f of readdirSync(bin).sort()) {
    it(`fixture ${f}`, () => compareListing(join(bin, f), f.includes('v9') ? 'v9a' : 'v8'));
  }
});

describeWithTool([GAS, OBJDUMP, GCC], 'assembler vs GNU as: objdump listings of gcc -c objects', () => {
  it('test programs (V8 -O2, V8+A -O2)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'springboard-asm-obj-'));
    try {
      for (const c of readdirSync(join(ROOT, 'test/diff/programs')).filter((x) => x.endsWith('.c')).sort()) {
        for (const [mode, cpu] of [['v8', 'v8'], ['v9a', 'ultrasparc']] as const) {
          const o = join(tmp, `${basename(c, '.c')}-${mode}.o`);
          execFileSync(GCC, ['-m32', `-mcpu=${cpu}`, '-O2', '-ffreestanding', '-fno-pic', '-fno-pie', `-I${join(ROOT, 'test/support/sparc-rt')}`, '-c', '-o', o, join(ROOT, 'test/diff/programs', c)]);
          compareListing(o, mode);
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describeWithTool([GAS, OBJDUMP, LIBC32], 'assembler vs GNU as: objdump listing of libc', () => {
  it('Debian 32-bit libc.so.6 .text (V8+A, ~370k instructions)', () => compareListing(LIBC32, 'v9a'));
});

describeWithTool(GAS, 'assembler vs GNU as: malformed lines', () => {
  const both: readonly [Mode, string][] = [
    ['v8', 'mov %o0'], ['v8', 'add %o0, %o1'], ['v8', 'ld %o0, %o1'], ['v8', 'ld [%o0 + %o1 + %o2], %o3'],
    ['v8', 'st [%o0], %o1'], ['v8', 'sethi 0x400000, %o0'], ['v8', 'bne %o0'], ['v8', 'foo %o0'], ['v8', 'ld [%o0, %o1'],
    ['v8', 'mov (1, %o0'], ['v8', 'jmpl %o0 - %o1, %o2'], ['v8', 'fadds %f0, %f1'], ['v8', 'faddd %f1, %f2, %f4'],
    ['v8', 'fcmps %fcc1, %f0, %f1'], ['v8', 'ldx [%o0], %o1'], ['v8', 'bne %icc, .'], ['v8', 'membar #Sync'],
    ['v8', 'lda [%o0] %asi, %o1'], ['v8', 'lda [%o0], %o1'], ['v8', 'ld [%o0] 5, %o1'], ['v8', 'set %o0, %o1'],
    ['v8', 'rd %o0, %o1'], ['v8', '.align 3'], ['v8', '.section'], ['v8', 'b 1b'], ['v8', 'unimp 0x400000'],
    ['v8', '.skip foo'], ['v8', 'st %o0, [%o1] 5'], ['v8', 'restore %o0'], ['v8', 'x: nop\nx: nop'], ['v8', 'mov %f0, %o1'],
    ['v9a', 'wr %o0, %ccr'], ['v9a', 'sll %o0, 32, %o1'], ['v9a', 'lda [%o0], %o1'],
  ];
  it('rejects what GNU as rejects', () => {
    for (const [mode, line] of both) {
      expect(gas(`${line}\n`, mode).ok, `GNU as accepts ${line}`).toBe(false);
      expect(() => assemble(line, { mode }), line).toThrow(AsmError);
    }
  });
});
