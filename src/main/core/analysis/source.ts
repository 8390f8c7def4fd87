// Where the analysis reads code: a CodeSource over an ELF image, or over the live memory of a machine.
//
// A CodeSource is the image's layout (code regions, symbols, entry point, decoding mode) plus a way to
// read words. The ELF-backed source reads the file; the memory-backed one keeps the ELF's layout and
// symbols but reads every word from a running machine, so the analysis sees spliced code.
import { decoderMode } from '../disasm/index.ts';
import {
  ET_DYN, ET_EXEC, ET_REL, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FUNC, STT_GNU_IFUNC, STT_NOTYPE, type ElfFile, type ElfSymbol,
} from '../elf/index.ts';
import type { Mode } from '../sparc/index.ts';
import { AnalysisError, AnalysisErrorCode } from './errors.ts';

/** An executable range of the image. */
export interface CodeRegion {
  readonly name: string;
  /** First address (word aligned). */
  readonly start: number;
  /** Size in bytes (a multiple of 4; a trailing partial word is dropped). */
  readonly size: number;
  /** 'plt': procedure linkage table stubs (rewritten at run time; treated as external calls). */
  readonly kind: 'text' | 'plt';
}

/** A symbol the analysis may turn into a function. */
export interface SourceSymbol {
  readonly name: string;
  readonly address: number;
  /** Bytes (0 when unknown). */
  readonly size: number;
  /** 'function': STT_FUNC / STT_GNU_IFUNC; 'label': a global STT_NOTYPE in code (assembly entry points). */
  readonly kind: 'function' | 'label';
  readonly binding: 'local' | 'global' | 'weak';
  /** The symbol table it came from; 'plt' for the synthetic `name@plt` stubs. */
  readonly table: 'symtab' | 'dynsym' | 'plt';
  /** The source module (file name without extension), when the symbol table says. */
  readonly module: string | null;
}

/** Anything with a word read: the machine, a bus, a test double. */
export interface WordMemory {
  /** The big-endian 32-bit word at `addr` (aligned), as any number (taken modulo 2^32). */
  readWord(addr: number): number;
}

export interface CodeSource {
  /** A name for messages and the model (file name, "memory", …). */
  readonly name: string;
  readonly mode: Mode;
  /** Entry point, or null. */
  readonly entry: number | null;
  /** ELF type of the image: 'exec', 'dyn' (shared object / PIE). */
  readonly imageType: 'exec' | 'dyn';
  readonly regions: readonly CodeRegion[];
  readonly symbols: readonly SourceSymbol[];
  /** Source modules in symbol-table order (from STT_FILE entries), possibly empty. */
  readonly modules: readonly string[];
  /** The word at `addr`, or null when nothing is mapped there (used for jump tables in data). */
  readWord(addr: number): number | null;
  /** All words of a code region, in order. */
  regionWords(region: CodeRegion): Uint32Array;
  /**
   * Values that may be code addresses stored as data: every aligned word of the allocated data
   * sections and the addends of dynamic relocations. Functions whose entry appears here are
   * "address taken" (they may be called through a pointer).
   */
  pointerCandidates(): Uint32Array;
}

const R_SPARC_32 = 3;
const R_SPARC_GLOB_DAT = 20;
const R_SPARC_JMP_SLOT = 21;
const R_SPARC_RELATIVE = 22;
const R_SPARC_UA32 = 23;

function bindingOf(s: ElfSymbol): 'local' | 'global' | 'weak' {
  return s.bind === STB_LOCAL ? 'local' : s.bind === STB_WEAK ? 'weak' : 'global';
}

function isCodeSymbol(s: ElfSymbol): 'function' | 'label' | null {
  if (s.section === null || !s.section.isExecutable || s.name === '') return null;
  if (s.type === STT_FUNC || s.type === STT_GNU_IFUNC) return 'function';
  if (s.type === STT_NOTYPE && (s.bind === STB_GLOBAL || s.bind === STB_WEAK)) return 'label';
  return null;
}

/** The CodeSource of a linked SPARC ELF image (executable, PIE or shared object). */
export function elfCodeSource(elf: ElfFile, name = 'image'): CodeSource {
  if (elf.header.machine !== 2 && elf.header.machine !== 18) {
    throw new AnalysisError(AnalysisErrorCode.Unsupported, `${name}: e_machine ${elf.header.machine} is not SPARC (2) or SPARC32PLUS (18)`);
  }
  if (elf.header.type === ET_REL || (elf.header.type !== ET_EXEC && elf.header.type !== ET_DYN)) {
    throw new AnalysisError(AnalysisErrorCode.Unsupported, `${name}: ${elf.header.typeName} files are not analysed (call targets are still relocations); link the object first`);
  }
  const regions: CodeRegion[] = [];
  for (const s of elf.sections) {
    if (!s.isAlloc || !s.isExecutable || !s.hasContents || s.size < 4) continue;
    const start = (s.addr + 3) & ~3;
    const size = (s.size - (start - s.addr)) & ~3;
    if (size <= 0) continue;
    regions.push({ name: s.name, start: start >>> 0, size, kind: s.name === '.plt' ? 'plt' : 'text' });
  }
  regions.sort((a, b) => a.start - b.start);
  if (regions.length === 0) throw new AnalysisError(AnalysisErrorCode.NoCode, `${name}: no executable section with contents`);

  const symbols: SourceSymbol[] = [];
  const seen = new Set<string>();
  for (const table of [elf.symtab, elf.dynsym]) {
    if (table === null) continue;
    for (const s of table.symbols) {
      const kind = isCodeSymbol(s);
      if (kind === null) continue;
      const key = `${s.name}@${s.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      symbols.push({ name: s.name, address: s.value >>> 0, size: s.size, kind, binding: bindingOf(s), table: table.kind, module: s.module });
    }
  }
  // PLT stubs: on SPARC32 each R_SPARC_JMP_SLOT relocates the PLT entry itself (r_offset).
  for (const rs of elf.relocationSections) {
    for (const r of rs.relocations) {
      if (r.type !== R_SPARC_JMP_SLOT || r.symbol === null || r.symbol.name === '') continue;
      symbols.push({ name: `${r.symbol.name}@plt`, address: r.offset >>> 0, size: 12, kind: 'function', binding: 'local', table: 'plt', module: null });
    }
  }
  const modules = elf.modules.map((m) => m.name);

  let candidates: Uint32Array | null = null;
  const readWord = (addr: number): number | null => {
    const off = elf.addressToOffset(addr >>> 0);
    if (off === null || off + 4 > elf.bytes.length) return null;
    const b = elf.bytes;
    return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  };
  return {
    name,
    mode: decoderMode(elf),
    entry: elf.header.entry !== 0 ? elf.header.entry >>> 0 : null,
    imageType: elf.header.type === ET_EXEC ? 'exec' : 'dyn',
    regions,
    symbols,
    modules,
    readWord,
    regionWords(region: CodeRegion): Uint32Array {
      const off = elf.addressToOffset(region.start);
      const out = new Uint32Array(region.size >>> 2);
      if (off === null) return out;
      const b = elf.bytes;
      const n = Math.min(out.length, (b.length - off) >>> 2);
      for (let k = 0, p = off; k < n; k++, p += 4) out[k] = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
      return out;
    },
    pointerCandidates(): Uint32Array {
      if (candidates !== null) return candidates;
      const values: number[] = [];
      for (const s of elf.sections) {
        if (!s.isAlloc || s.isExecutable || !s.hasContents) continue;
        const b = elf.sectionBytes(s);
        const first = (4 - (s.addr & 3)) & 3;
        for (let p = first; p + 4 <= b.length; p += 4) {
          const v = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
          if (v !== 0) values.push(v);
        }
      }
      for (const rs of elf.relocationSections) {
        for (const r of rs.relocations) {
          if (r.type === R_SPARC_RELATIVE) values.push(r.addend >>> 0);
          else if ((r.type === R_SPARC_32 || r.type === R_SPARC_UA32 || r.type === R_SPARC_GLOB_DAT) && r.symbol !== null && r.symbol.section !== null) {
            values.push((r.symbol.value + r.addend) >>> 0);
          }
        }
      }
      candidates = Uint32Array.from(values);
      return candidates;
    },
  };
}

/**
 * A CodeSource that reads every word from live memory (a running machine) while keeping the layout
 * and symbols of `layout` (normally the ELF-backed source of the image the machine runs). Reads of
 * unmapped memory are the memory's business (the machine returns 0 or throws).
 */
export function memoryCodeSource(memory: WordMemory, layout: CodeSource, name = 'memory'): CodeSource {
  return {
    name,
    mode: layout.mode,
    entry: layout.entry,
    imageType: layout.imageType,
    regions: layout.regions,
    symbols: layout.symbols,
    modules: layout.modules,
    readWord: (addr: number) => memory.readWord(addr >>> 0) >>> 0,
    regionWords(region: CodeRegion): Uint32Array {
      const out = new Uint32Array(region.size >>> 2);
      for (let k = 0; k < out.length; k++) out[k] = memory.readWord((region.start + 4 * k) >>> 0) >>> 0;
      return out;
    },
    pointerCandidates: () => layout.pointerCandidates(),
  };
}

/** A CodeSource from raw words (tests, generated code): one region, the given symbols. */
export function wordsCodeSource(options: {
  name?: string;
  mode?: Mode;
  start: number;
  words: ArrayLike<number>;
  symbols?: readonly { name: string; address: number; size?: number; module?: string }[];
  entry?: number | null;
}): CodeSource {
  const words = Uint32Array.from(options.words, (w) => w >>> 0);
  const region: CodeRegion = { name: '.text', start: options.start >>> 0, size: words.length * 4, kind: 'text' };
  const symbols: SourceSymbol[] = (options.symbols ?? []).map((s) => ({
    name: s.name, address: s.address >>> 0, size: s.size ?? 0, kind: 'function', binding: 'global', table: 'symtab', module: s.module ?? null,
  }));
  return {
    name: options.name ?? 'words',
    mode: options.mode ?? 'v8',
    entry: options.entry ?? null,
    imageType: 'exec',
    regions: [region],
    symbols,
    modules: [...new Set(symbols.map((s) => s.module).filter((m): m is string => m !== null))],
    readWord(addr: number): number | null {
      const k = (addr - region.start) / 4;
      return Number.isInteger(k) && k >= 0 && k < words.length ? words[k]! : null;
    },
    regionWords: () => words,
    pointerCandidates: () => new Uint32Array(0),
  };
}
