// Helpers for the objdump differential tests: run objdump, parse its listing, compare ours.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, formatInstruction, type AddressPrinter, type Mode } from '../../src/main/core/sparc/index.ts';
import type { SectionInfo, SymbolInfo } from '../../src/main/core/sparc/symbols.ts';
import { rng } from '../support/rng.ts';

export const OBJDUMP = 'sparc64-linux-gnu-objdump';
export const OBJCOPY = 'sparc64-linux-gnu-objcopy';
export const NM = 'sparc64-linux-gnu-nm';
export const GCC = 'sparc64-linux-gnu-gcc';

/** One instruction line of an objdump listing. */
export interface ObjdumpLine {
  readonly address: number;
  readonly word: number;
  readonly text: string;
}


/** Parses `objdump -d` output into instruction lines (4-byte words only), per section. */
export function parseObjdump(out: string): ObjdumpLine[][] {
  const sections: ObjdumpLine[][] = [];
  let cur: ObjdumpLine[] | null = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('Disassembly of section')) {
      cur = [];
      sections.push(cur);
      continue;
    }
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) \t(.*)$/.exec(line);
    if (m === null || cur === null) continue;
    const word = parseInt(m[2]! + m[3]! + m[4]! + m[5]!, 16) >>> 0;
    cur.push({ address: parseInt(m[1]!, 16), word, text: m[6]! });
  }
  return sections;
}

/** Runs objdump -d -z on a file. */
export function objdump(file: string, extra: readonly string[] = []): string {
  return execFileSync(OBJDUMP, ['-d', '-z', ...extra, file], { maxBuffer: 1 << 30, encoding: 'utf8' });
}

export type Machine = 'sparc' | 'sparc:v8plus' | 'sparc:v8plusa';
export const MODE_OF: Readonly<Record<Machine, Mode>> = { sparc: 'v8', 'sparc:v8plus': 'v9', 'sparc:v8plusa': 'v9a' };

/** Packs words into a stripped ELF32 (.text at 0) of the given machine and disassembles it. */
export function objdumpWords(words: Uint32Array, machine: Machine): ObjdumpLine[] {
  const dir = mkdtempSync(join(tmpdir(), 'sb-objdump-'));
  try {
    const bin = join(dir, 'w.bin');
    const elf = join(dir, 'w.o');
    const buf = Buffer.alloc(words.length * 4);
    for (let k = 0; k < words.length; k++) buf.writeUInt32BE(words[k]!, k * 4);
    writeFileSync(bin, buf);
    execFileSync(OBJCOPY, ['-I', 'binary', '-O', 'elf32-sparc', '-B', machine,
      '--rename-section', '.data=.text,contents,alloc,load,readonly,code', '--strip-all', bin, elf]);
    return parseObjdump(objdump(elf)).flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disagreements grouped by the kind (objdump's mnemonic), with a few examples each. */
export class Disagreements {
  compared = 0;
  count = 0;
  readonly byKind = new Map<string, { n: number; examples: string[] }>();
  add(line: ObjdumpLine, ours: string): void {
    this.count++;
    const kind = line.text.split(/[ ,]/)[0] ?? '?';
    let g = this.byKind.get(kind);
    if (g === undefined) this.byKind.set(kind, (g = { n: 0, examples: [] }));
    g.n++;
    if (g.examples.length < 3) {
      g.examples.push(`${line.address.toString(16)}: ${line.word.toString(16).padStart(8, '0')}  objdump: ${line.text}  ours: ${ours}`);
    }
  }
  report(title: string): string {
    const kinds = [...this.byKind.entries()].sort((a, b) => b[1].n - a[1].n);
    const lines = [`${title}: ${this.compared} instructions compared, ${this.count} disagreements in ${kinds.length} kinds`];
    for (const [k, g] of kinds.slice(0, 40)) {
      lines.push(`  ${k}: ${g.n}`);
      for (const e of g.examples) lines.push(`    ${e}`);
    }
    return lines.join('\n');
  }
}

/** Compares one section's listing with our formatter. */
export function compareSection(lines: readonly ObjdumpLine[], mode: Mode, d: Disagreements, printAddress?: AddressPrinter): void {
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    // objdump reads the previous words from the same section buffer (sparc-dis.c sethi comment).
    const prev = k >= 1 && lines[k - 1]!.address === line.address - 4 ? lines[k - 1]!.word : undefined;
    const prevPrev = k >= 2 && lines[k - 2]!.address === line.address - 8 ? lines[k - 2]!.word : undefined;
    // Exact comparison: our text must be byte for byte objdump's (its spaces and tabs included).
    const ours = formatInstruction(decode(line.word, mode), { address: line.address, printAddress, prev, prevPrev });
    d.compared++;
    if (ours !== line.text) d.add(line, ours);
  }
}

/** Seeded random words "of every format": half uniformly random, half built from a random table
 * form (its fixed bits, random free bits, with fields often zeroed or tied as the forms require). */
export function randomWords(n: number, seed: number, forms: readonly { match: number; mask: number }[]): Uint32Array {
  const r = rng(seed);
  const out = new Uint32Array(n);
  const fields = [[14, 0x1f], [0, 0x1f], [25, 0x1f], [5, 0xff], [0, 0x1fff], [0, 0x7f]] as const;
  for (let k = 0; k < n; k++) {
    let w = r();
    if ((r() & 1) === 1 && forms.length > 0) {
      const f = forms[r() % forms.length]!;
      for (const [shift, m] of fields) if (r() % 4 === 0) w &= ~(m << shift);
      const t = r() % 8;
      if (t === 0) w = (w & ~(0x1f << 25)) | (((w >>> 14) & 0x1f) << 25); // rd = rs1
      if (t === 1) w = (w & ~(0x1f << 25)) | ((w & 0x1f) << 25); // rd = rs2
      if (t === 2) w = (w & ~0x1fff) | [1, 8, 4095, 4096, 9, 10][r() % 6]!;
      w = (w & ~f.mask) | f.match;
    }
    out[k] = w >>> 0;
  }
  return out;
}

/** Section headers (name, vma, size) of an ELF file, from objdump -h. */
export function sectionsOf(file: string): SectionInfo[] {
  const out = execFileSync(OBJDUMP, ['-h', '-w', file], { encoding: 'utf8' });
  const secs: SectionInfo[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (m) secs.push({ name: m[1]!, size: parseInt(m[2]!, 16), vma: parseInt(m[3]!, 16) });
  }
  return secs;
}

/** Symbols as objdump's disassembler sees them. The static table comes from `objdump -t` (it
 * names each symbol's section, which matters for object files whose sections all start at 0);
 * without one, the dynamic table from nm -D (plus synthetic @plt entries), sections from the
 * address ranges. Undefined, common, debugging, section and file symbols are left out as objdump's
 * remove_useless_symbols does (except .dynsym section symbols, which objdump keeps). */
export function symbolsOf(file: string, secs: readonly SectionInfo[]): SymbolInfo[] {
  const run = (args: string[]): string => {
    try {
      return execFileSync(NM, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  const table = execFileSync(OBJDUMP, ['-t', '-w', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const stat: SymbolInfo[] = [];
  for (const m of table.matchAll(/^([0-9a-f]{8}) (.{7}) (\S+)\t([0-9a-f]+) (?:\.hidden )?(.+)$/gm)) {
    const flags = m[2]!;
    const section = m[3]!;
    if (section === '*UND*' || section === '*COM*' || flags[5] === 'd' || flags[6] === 'f') continue;
    stat.push({
      name: m[5]!, value: parseInt(m[1]!, 16), size: parseInt(m[4]!, 16), section: section === '*ABS*' ? '' : section,
      kind: flags[6] === 'F' ? 'func' : flags[6] === 'O' ? 'object' : 'other',
      binding: flags[1] === 'w' ? 'weak' : flags[0] === 'l' ? 'local' : flags[0] === 'g' ? 'global' : 'weak',
    });
  }
  if (stat.length > 0) return stat;
  const out = run(['-D', '-p', '-S', '--defined-only', '--synthetic', file]);
  // nm does not list the STT_SECTION entries of .dynsym, which objdump keeps: take them from readelf.
  const syms: SymbolInfo[] = [];
  const re = execFileSync('sparc64-linux-gnu-readelf', ['--dyn-syms', '-W', file], { encoding: 'utf8' });
  for (const m of re.matchAll(/^\s*\d+: ([0-9a-f]+)\s+\d+ SECTION\s+LOCAL\s+\S+\s+\d+ (\S+)$/gm)) {
    syms.push({ name: m[2]!, value: parseInt(m[1]!, 16), size: 0, section: m[2]!, kind: 'other', binding: 'local' });
  }
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]+)(?: ([0-9a-f]+))? (\S) (.+)$/.exec(line);
    if (m === null) continue;
    const value = parseInt(m[1]!, 16);
    const t = m[3]!;
    if ('UwvN'.includes(t)) continue;
    let name = m[4]!;
    let version: string | undefined;
    const at = name.indexOf('@');
    if (t === 'A' && value === 0) version = `@@${name}`; // version definitions: nm omits objdump's suffix
    else if (at > 0 && !name.endsWith('@plt')) {
      version = name.slice(at);
      name = name.slice(0, at);
    }
    const sec = t === 'A' ? undefined : secs.find((s) => value >= s.vma && value < s.vma + s.size) ?? secs.find((s) => value === s.vma + s.size);
    const upper = t.toUpperCase();
    syms.push({
      name, version, value, size: m[2] ? parseInt(m[2], 16) : 0, section: sec?.name ?? '',
      kind: name.endsWith('@plt') ? 'other' : 'TWi'.includes(upper) || t === 'i' ? 'func' : 'DBRV'.includes(upper) ? 'object' : 'other',
      binding: t === 'W' || t === 'V' ? 'weak' : t === upper ? 'global' : 'local',
    });
  }
  return syms;
}

/** Section names in the order objdump disassembles them. */
export const sectionNames = (out: string): string[] => [...out.matchAll(/^Disassembly of section (.*):$/gm)].map((m) => m[1]!);

/** Decoding mode of an ELF file: EM_SPARC → v8; EM_SPARC32PLUS → v9, or v9a with EF_SPARC_SUN_US1. */
export function modeOf(file: string): Mode {
  const h = execFileSync('sparc64-linux-gnu-readelf', ['-h', file], { encoding: 'utf8' });
  if (!/Machine:\s+Sparc v8\+/.test(h)) return 'v8';
  const flags = parseInt(/Flags:\s+0x([0-9a-f]+)/.exec(h)?.[1] ?? '0', 16);
  return (flags & 0x200) !== 0 ? 'v9a' : 'v9';
}
