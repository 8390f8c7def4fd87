// Seeded mutation fuzzing of the ELF reader and the listing: every input ends in a result or an ElfError.
//
// Each case is one seed: it picks a corpus file and stacks one to three mutations (bit flips,
// truncations, edge values written into header/section/segment/symbol/relocation fields,
// splices of header-table entries and windows of other files). A case passes when parseElf
// either returns (and then the file's accessors and its listing run without throwing) or throws
// ElfError. Anything else fails the test and prints the seed; replay one case with
//   SPRINGBOARD_FUZZ_SEED=<seed> npx vitest run test/fuzz/elf-fuzz.test.ts
// SPRINGBOARD_FUZZ_SCALE=<n> multiplies the number of cases (default run: about 12 s).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElfError, parseElf, type ElfFile } from '../../src/main/core/elf/index.ts';
import { disassembleToChunks, type InstructionFormatter } from '../../src/main/core/disasm/index.ts';
import { buildElf, symbolTable, words } from '../support/elf-builder.ts';
import { LIBC32 } from '../support/tools.ts';
import { rngFloat as rng } from '../support/rng.ts';

const SCALE = Number(process.env.SPRINGBOARD_FUZZ_SCALE ?? '1');
const ONLY_SEED = process.env.SPRINGBOARD_FUZZ_SEED === undefined ? undefined : Number(process.env.SPRINGBOARD_FUZZ_SEED);
const SMALL_CASES = Math.round(50000 * SCALE);
const LIBC_CASES = Math.round(2500 * SCALE);
const LIBC_SEED_BASE = 1_000_000;

interface Corpus {
  name: string;
  bytes: Uint8Array;
  /** Offsets of fields worth overwriting: [offset, width in bytes]. */
  fields: [number, 2 | 4][];
  /** Header-table entries: [offset, size] (section and program headers). */
  entries: [number, number][];
}

/** Where the interesting fields of a valid file are, so mutations hit structure, not just data. */
function describeCorpus(name: string, file: Uint8Array): Corpus {
  // A copy as a plain Uint8Array: Buffer#slice would share memory and let mutations accumulate.
  const bytes = new Uint8Array(file);
  const elf = parseElf(bytes);
  const h = elf.header;
  const fields: [number, 2 | 4][] = [];
  const entries: [number, number][] = [];
  for (const [o, w] of [[16, 2], [18, 2], [20, 4], [24, 4], [28, 4], [32, 4], [36, 4], [40, 2], [42, 2], [44, 2], [46, 2], [48, 2], [50, 2]] as const) fields.push([o, w]);
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * 40;
    entries.push([o, 40]);
    for (let k = 0; k < 10; k++) fields.push([o + k * 4, 4]);
  }
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * 32;
    entries.push([o, 32]);
    for (let k = 0; k < 8; k++) fields.push([o + k * 4, 4]);
  }
  for (const table of [elf.symtab, elf.dynsym]) {
    if (table === null) continue;
    for (let i = 0; i < Math.min(table.symbols.length + 1, 64); i++) {
      const o = table.section.offset + i * 16;
      fields.push([o, 4], [o + 4, 4], [o + 8, 4], [o + 12, 4], [o + 14, 2]);
    }
  }
  for (const rs of elf.relocationSections) {
    const size = rs.kind === 'rela' ? 12 : 8;
    for (let i = 0; i < Math.min(rs.relocations.length, 32); i++) {
      const o = rs.section.offset + i * size;
      fields.push([o, 4], [o + 4, 4]);
    }
  }
  for (const s of elf.sections) {
    if (s.typeName === 'VERDEF' || s.typeName === 'VERNEED' || s.typeName === 'VERSYM' || s.typeName === 'GNU_ATTRIBUTES' ||
      s.name === '.debug_aranges' || s.name === '.debug_info' || s.name === '.debug_abbrev') {
      for (let o = s.offset; o < s.offset + Math.min(s.size, 256); o += 2) fields.push([o, 2]);
    }
  }
  return { name, bytes, fields, entries };
}

const EDGE32 = [0, 1, 2, 3, 4, 0x10, 0x28, 0x34, 0x7f, 0x80, 0xff, 0x100, 0xfff1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff];
const EDGE16 = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xff00, 0xfff1, 0xfff2, 0xfffe, 0xffff];

function mutate(c: Corpus, corpus: readonly Corpus[], rand: () => number): { bytes: Uint8Array; what: string[] } {
  let bytes = new Uint8Array(c.bytes);
  const what: string[] = [];
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const count = 1 + Math.floor(rand() * 3);
  for (let m = 0; m < count; m++) {
    const kind = rand();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (kind < 0.2) {
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) {
        // Half the flips land in the first 1 KiB or a header table, where structure lives.
        const near = rand() < 0.5 && c.entries.length > 0 ? pick(c.entries)[0] + Math.floor(rand() * 40) : Math.floor(rand() * (rand() < 0.5 ? Math.min(1024, bytes.length) : bytes.length));
        const at = Math.min(near, bytes.length - 1);
        if (at < 0) continue;
        const bit = Math.floor(rand() * 8);
        bytes[at]! ^= 1 << bit;
        what.push(`flip ${at}:${bit}`);
      }
    } else if (kind < 0.3) {
      const len = rand() < 0.5 ? Math.floor(rand() * Math.min(bytes.length, 256)) : Math.floor(rand() * bytes.length);
      bytes = new Uint8Array(bytes.subarray(0, len));
      what.push(`truncate ${len}`);
    } else if (kind < 0.75) {
      const [at, width] = pick(c.fields);
      if (at + width > bytes.length) continue;
      if (width === 4) {
        const v = rand() < 0.7 ? pick(EDGE32) : rand() < 0.5 ? bytes.length + Math.floor(rand() * 9) - 4 : Math.floor(rand() * 2 ** 32);
        view.setUint32(at, v >>> 0);
        what.push(`u32 ${at}=${(v >>> 0).toString(16)}`);
      } else {
        const v = rand() < 0.8 ? pick(EDGE16) : Math.floor(rand() * 65536);
        view.setUint16(at, v);
        what.push(`u16 ${at}=${v.toString(16)}`);
      }
    } else if (kind < 0.9) {
      if (c.entries.length < 2) continue;
      const [from, size] = pick(c.entries);
      const [to] = pick(c.entries.filter(([, s]) => s === size));
      if (from + size > bytes.length || to + size > bytes.length) continue;
      bytes.copyWithin(to, from, from + size);
      what.push(`splice entry ${from}->${to}`);
    } else {
      const other = pick(corpus);
      const len = 1 + Math.floor(rand() * 256);
      const from = Math.floor(rand() * Math.max(1, other.bytes.length - len));
      const to = Math.floor(rand() * Math.max(1, bytes.length - len));
      const piece = other.bytes.subarray(from, Math.min(other.bytes.length, from + len));
      if (to + piece.length <= bytes.length) bytes.set(piece, to);
      what.push(`window ${other.name}@${from}+${len}->${to}`);
    }
  }
  return { bytes, what };
}

/** A cheap formatter: enough to exercise the listing's symbol lookup with real targets. */
const cheapFormatter: InstructionFormatter = {
  format(data, offset, address, printAddress) {
    const w = ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
    if (w >>> 30 === 1) return `call  ${printAddress(address + ((w << 2) | 0))}`;
    if (w >>> 30 === 0 && ((w >>> 22) & 7) === 2) return `b  ${printAddress(address + (((w << 10) >> 8) | 0))}`;
    return `.word 0x${w.toString(16)}`;
  },
  isDelayed(w) {
    return w >>> 30 === 1 || (w >>> 30 === 0 && ((w >>> 22) & 7) === 2);
  },
};

/** Touches everything a parsed file offers; only ElfError may come out. */
function exercise(elf: ElfFile, rand: () => number, listing: { start?: number; stop?: number } | null): void {
  for (const s of elf.sections) elf.sectionBytes(s);
  for (const s of elf.dynsym?.symbols ?? []) elf.symbolVersion(s);
  elf.functionModules();
  for (let k = 0; k < 4; k++) {
    const s = elf.symbols[Math.floor(rand() * elf.symbols.length)];
    const addr = s === undefined ? Math.floor(rand() * 2 ** 32) : s.value;
    elf.addressToOffset(addr);
    elf.sectionAt(addr);
    try {
      elf.readAddress(addr, Math.floor(rand() * 64));
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
    }
  }
  if (listing !== null) disassembleToChunks(elf, { formatter: cheapFormatter, fileName: 'fuzz', ...listing });
}

function builtCorpus(): Uint8Array[] {
  const { symtab, strtab } = symbolTable([
    { name: 'k.c', value: 0, bind: 0, type: 4, shndx: 0xfff1 },
    { name: 'spin', value: 0x4000, size: 8, bind: 0, type: 2, shndx: 1 },
    { name: 'start', value: 0x4008, size: 16, bind: 1, type: 2, shndx: 1 },
    { name: 'ticks', value: 0x8000, size: 4, bind: 1, type: 1, shndx: 2 },
  ]);
  const text = words(0x10800000, 0x01000000, 0x40000000 | 0x3ffffffe, 0x01000000, 0x81c3e008, 0x01000000);
  return [
    buildElf({
      sections: [
        { name: '.text', type: 1, flags: 6, addr: 0x4000, data: text },
        { name: '.bss', type: 8, flags: 3, addr: 0x8000, size: 64 },
        { name: '.symtab', type: 2, data: symtab, link: 4, info: 2, entsize: 16 },
        { name: '.strtab', type: 3, data: strtab, align: 1 },
      ],
      segments: (o) => [
        { type: 1, offset: o.get('.text') ?? 0, vaddr: 0x4000, filesz: text.length, memsz: text.length },
        { type: 1, offset: 0, vaddr: 0x8000, filesz: 0, memsz: 64, flags: 6 },
      ],
      extendedNumbering: true,
    }),
  ];
}

function loadCorpus(): Corpus[] {
  const dir = new URL('../fixtures/elf/bin/', import.meta.url);
  const out: Corpus[] = readdirSync(dir).sort().map((n) => describeCorpus(n, readFileSync(new URL(n, dir))));
  builtCorpus().forEach((b, i) => out.push(describeCorpus(`built-${i}`, b)));
  return out;
}

interface Tally {
  cases: number;
  parsed: number;
  byCode: Map<string, number>;
  failures: string[];
  slowest: { ms: number; seed: number };
}

function runCase(seed: number, corpus: readonly Corpus[], target: Corpus, tally: Tally, listing: boolean): void {
  const rand = rng(seed);
  const { bytes, what } = mutate(target, corpus, rand);
  const t0 = performance.now();
  try {
    const elf = parseElf(bytes);
    tally.parsed++;
    let window: { start?: number; stop?: number } | null = listing ? {} : null;
    if (!listing) {
      const text = elf.sectionByName('.text');
      if (text !== undefined) {
        const start = text.addr + Math.floor(rand() * Math.max(1, text.size));
        window = { start, stop: start + 256 };
      }
    }
    exercise(elf, rand, window);
  } catch (e) {
    if (e instanceof ElfError) {
      tally.byCode.set(e.code, (tally.byCode.get(e.code) ?? 0) + 1);
      if (!e.message.endsWith('.') || e.message.length < 40) tally.failures.push(`seed ${seed} (${target.name}: ${what.join(', ')}): ElfError without a full message: ${e.message}`);
    } else {
      tally.failures.push(`seed ${seed} (${target.name}: ${what.join(', ')}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  const ms = performance.now() - t0;
  if (ms > tally.slowest.ms) tally.slowest = { ms, seed };
  tally.cases++;
}

function report(title: string, tally: Tally): void {
  const codes = [...tally.byCode.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}=${n}`).join(' ');
  console.log(`${title}: ${tally.cases} cases, ${tally.parsed} parsed, errors: ${codes}; slowest ${tally.slowest.ms.toFixed(1)} ms (seed ${tally.slowest.seed})`);
}

const newTally = (): Tally => ({ cases: 0, parsed: 0, byCode: new Map(), failures: [], slowest: { ms: 0, seed: -1 } });

describe('ELF fuzzing', () => {
  const corpus = loadCorpus();

  it(`mutations of the fixtures (${SMALL_CASES} seeds)`, () => {
    const tally = newTally();
    const seeds = ONLY_SEED !== undefined ? (ONLY_SEED < LIBC_SEED_BASE ? [ONLY_SEED] : []) : Array.from({ length: SMALL_CASES }, (_, i) => i);
    for (const seed of seeds) runCase(seed, corpus, corpus[seed % corpus.length]!, tally, true);
    report('fixtures', tally);
    expect(tally.failures, tally.failures.slice(0, 5).join('\n\n')).toEqual([]);
  });

  it.skipIf(!existsSync(LIBC32))(`mutations of the headers of Debian's 32-bit SPARC libc (${LIBC_CASES} seeds)`, () => {
    const libc = describeCorpus('libc.so.6', readFileSync(LIBC32));
    const tally = newTally();
    const seeds = ONLY_SEED !== undefined ? (ONLY_SEED >= LIBC_SEED_BASE ? [ONLY_SEED] : []) : Array.from({ length: LIBC_CASES }, (_, i) => LIBC_SEED_BASE + i);
    for (const seed of seeds) runCase(seed, [libc, ...corpus], libc, tally, false);
    report('libc', tally);
    expect(tally.failures, tally.failures.slice(0, 5).join('\n\n')).toEqual([]);
  });
});
