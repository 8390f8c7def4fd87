// Symbolic addresses as GNU objdump 2.40 prints them ("4010 <foo+0x10>"): its symbol sort order
// (compare_symbols) and its nearest-symbol search (find_symbol_for_address), for the formatter's
// AddressPrinter callback.
import type { AddressPrinter } from './types.ts';

/** A symbol as the disassembly sees it. */
export interface SymbolInfo {
  /** The symbol name (without a version; synthetic PLT symbols are named "foo@plt"). */
  readonly name: string;
  /** Version suffix objdump prints after the name of a versioned dynamic symbol: "@@GLIBC_2.0"
   * (default version) or "@GLIBC_2.0" (hidden). It takes no part in sorting. */
  readonly version?: string;
  readonly value: number;
  readonly size?: number;
  /** Name of the section the symbol belongs to ('' for absolute symbols). */
  readonly section?: string;
  readonly kind?: 'func' | 'object' | 'other';
  readonly binding?: 'global' | 'local' | 'weak';
  /** BSF_FILE: an STT_FILE symbol. */
  readonly file?: boolean;
}

/** The section being disassembled. */
export interface SectionInfo {
  readonly name: string;
  readonly vma: number;
  readonly size: number;
}

const TWO32 = 2 ** 32;
/** objdump computes targets in 64 bits: a negative JS value stands for a value above 2^32. */
const key = (v: number): number => (v < 0 ? 2 ** 64 + v : v);
const hex32 = (v: number): string => (((v % TWO32) + TWO32) % TWO32).toString(16);

function isFileSymbol(s: SymbolInfo): boolean {
  const n = s.name;
  return s.file === true || (n.length > 2 && n[n.length - 2] === '.' && (n.endsWith('o') || n.endsWith('a')));
}

/** objdump's compare_symbols for one section being disassembled. */
function compareSymbols(a: SymbolInfo, b: SymbolInfo, section: string): number {
  if (a.value !== b.value) return a.value > b.value ? 1 : -1;
  const as = (a.section ?? '') === section;
  const bs = (b.section ?? '') === section;
  if (as !== bs) return as ? -1 : 1;
  const ag = a.name.includes('gnu_compiled') || a.name.includes('gcc2_compiled');
  const bg = b.name.includes('gnu_compiled') || b.name.includes('gcc2_compiled');
  if (ag !== bg) return ag ? 1 : -1;
  const af = isFileSymbol(a);
  const bf = isFileSymbol(b);
  if (af !== bf) return af ? 1 : -1;
  if ((a.kind === 'func') !== (b.kind === 'func')) return a.kind === 'func' ? -1 : 1;
  if ((a.kind === 'object') !== (b.kind === 'object')) return a.kind === 'object' ? -1 : 1;
  if ((a.binding === 'local') !== (b.binding === 'local')) return a.binding === 'local' ? 1 : -1;
  if ((a.binding === 'global') !== (b.binding === 'global')) return a.binding === 'global' ? -1 : 1;
  const asz = a.size ?? 0;
  const bsz = b.size ?? 0;
  if (asz !== bsz) return asz > bsz ? -1 : 1;
  if ((a.name[0] === '.') !== (b.name[0] === '.')) return a.name[0] === '.' ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A symbol table that prints target addresses the way objdump does. */
export class SymbolTable {
  readonly #symbols: readonly SymbolInfo[];
  readonly #sorted = new Map<string, SymbolInfo[]>();
  /** `relocatable`: the file is an object file (objdump then prefers symbols of the section). */
  readonly #relocatable: boolean;

  constructor(symbols: readonly SymbolInfo[], options: { relocatable?: boolean } = {}) {
    this.#symbols = symbols;
    this.#relocatable = options.relocatable ?? false;
  }

  #sortedFor(section: string): SymbolInfo[] {
    let s = this.#sorted.get(section);
    if (s === undefined) {
      s = this.#symbols.map((x, k) => ({ x, k })).sort((p, q) => compareSymbols(p.x, q.x, section) || p.k - q.k).map((p) => p.x);
      this.#sorted.set(section, s);
    }
    return s;
  }

  /** objdump's find_symbol_for_address. */
  find(address: number, section: SectionInfo): SymbolInfo | null {
    const syms = this.#sortedFor(section.name);
    const n = syms.length;
    if (n < 1) return null;
    const vma = key(address);
    let min = 0;
    let max = n;
    while (min + 1 < max) {
      const mid = Math.floor((max + min) / 2);
      const v = syms[mid]!.value;
      if (v > vma) max = mid;
      else if (v < vma) min = mid;
      else {
        min = mid;
        break;
      }
    }
    let place = min;
    while (place > 0 && syms[place]!.value === syms[place - 1]!.value) place--;
    const inSection = (k: number): boolean => (syms[k]!.section ?? '') === section.name;
    for (let m = place; m < max && syms[m]!.value === syms[place]!.value; m++) if (inSection(m)) return syms[m]!;
    const want = this.#relocatable && vma >= section.vma && vma < section.vma + section.size;
    if (want && !inSection(place)) {
      let newplace = n;
      for (let k = min - 1; k >= 0; k--) {
        if (!inSection(k)) continue;
        if (newplace === n) newplace = k;
        if (syms[k]!.value !== syms[newplace]!.value) break;
        newplace = k;
      }
      if (newplace !== n) place = newplace;
      else {
        for (let k = place + 1; k < n; k++) {
          if (inSection(k)) {
            place = k;
            break;
          }
        }
      }
      if (!inSection(place)) return null;
    }
    return syms[place]!;
  }

  /** The AddressPrinter for code of `section`. */
  printer(section: SectionInfo): AddressPrinter {
    if (this.#symbols.length === 0) return (a) => `0x${hex32(a)}`;
    return (a) => {
      const sym = this.find(a, section);
      const vma = key(a);
      if (sym === null) {
        const off = vma < section.vma ? `-0x${hex32(section.vma - a)}` : vma > section.vma ? `+0x${hex32(a - section.vma)}` : '';
        return `${hex32(a)} <${section.name}${off}>`;
      }
      const off = sym.value === vma ? '' : sym.value > vma ? `-0x${hex32(sym.value - a)}` : `+0x${hex32(a - sym.value)}`;
      return `${hex32(a)} <${sym.name}${sym.version ?? ''}${off}>`;
    };
  }
}
