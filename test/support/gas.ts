// Runs GNU as (sparc64-linux-gnu-as -32) on a source and reads the object back with our ELF reader:
// the oracle of the assembler's differential tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../../src/main/core/elf/index.ts';
import type { Mode } from '../../src/main/core/sparc/index.ts';

export const GAS = 'sparc64-linux-gnu-as';

/** The -A option for each decoding mode. */
export const GAS_ARCH: Readonly<Record<Mode, string>> = { v8: '-Av8', v9: '-Av8plus', v9a: '-Av8plusa' };

export interface GasRelocation {
  readonly section: string;
  readonly offset: number;
  readonly type: string;
  /** Symbol name, or the section name for a section symbol. */
  readonly symbol: string | null;
  readonly addend: number;
}

export interface GasResult {
  /** Assembled (no errors). */
  readonly ok: boolean;
  /** Line numbers GNU as reported errors for (1-based). */
  readonly errorLines: readonly number[];
  readonly stderr: string;
  /** Section contents by name (progbits only). */
  readonly sections: ReadonlyMap<string, Uint8Array>;
  readonly relocations: readonly GasRelocation[];
}

/** Assembles `source` with GNU as in `mode`. */
export function gas(source: string, mode: Mode = 'v8'): GasResult {
  const dir = mkdtempSync(join(tmpdir(), 'springboard-gas-'));
  try {
    const src = join(dir, 'in.s');
    const obj = join(dir, 'out.o');
    writeFileSync(src, source);
    const r = spawnSync(GAS, ['-32', GAS_ARCH[mode], '-o', obj, src], { encoding: 'utf8' });
    const errorLines = [...r.stderr.matchAll(/in\.s:(\d+): Error:/g)].map((m) => Number(m[1]));
    if (r.status !== 0) return { ok: false, errorLines, stderr: r.stderr, sections: new Map(), relocations: [] };
    const elf = parseElf(new Uint8Array(readFileSync(obj)));
    const sections = new Map<string, Uint8Array>();
    for (const s of elf.sections) if (s.hasContents && s.isAlloc) sections.set(s.name, elf.bytes.subarray(s.offset, s.offset + s.size));
    const relocations: GasRelocation[] = [];
    for (const rs of elf.relocationSections) {
      for (const x of rs.relocations) {
        const sym = x.symbol;
        const symbol = sym === null || sym.index === 0 ? null : sym.typeName === 'SECTION' ? sym.section?.name ?? null : sym.name;
        relocations.push({ section: rs.target?.name ?? '?', offset: x.offset, type: x.typeName, symbol, addend: x.addend });
      }
    }
    return { ok: true, errorLines, stderr: r.stderr, sections, relocations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Big-endian words of a byte array (a partial last word is zero-padded). */
export function wordsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < bytes.length; k += 4) {
    out.push((((bytes[k] ?? 0) << 24) | ((bytes[k + 1] ?? 0) << 16) | ((bytes[k + 2] ?? 0) << 8) | (bytes[k + 3] ?? 0)) >>> 0);
  }
  return out;
}
