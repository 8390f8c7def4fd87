// The `objdump -d` listing: section headers, symbol labels, instruction lines and skipped zeros.
//
// A port of objdump.c's disassemble_section / disassemble_bytes (binutils 2.40) for SPARC:
// blocks run from one symbol to the next; each block prints "\nADDR <sym>:\n"; lines are
// "ADDR:\tb0 b1 b2 b3 \tTEXT"; runs of zero bytes (8 or more, or fewer than 3 at the end of a
// block) print "\t..." unless the previous instruction has a delay slot; a symbol explicitly
// typed as an object (not a function) is dumped as 16 bytes and ASCII per line; fewer than four
// bytes before the next symbol print "Address 0x… is out of bounds.".
import { decodeUtf8, type ElfFile, type ElfSection } from '../elf/index.ts';
import { concatChunks, hex32, hex8, OutputBuffer } from './output.ts';
import { BSF, SymbolModel, UND_SECTION, type DisasmSymbol } from './symbols.ts';

/** Renders a branch or data target as objdump does: "27410 <abort@@GLIBC_2.0>". */
export type AddressPrinter = (address: number) => string;

/** The instruction side of the listing (an adapter over src/main/core/sparc). */
export interface InstructionFormatter {
  /**
   * Text objdump prints after the raw bytes for the 4-byte instruction at `data[offset]`, whose
   * address is `address`. `data` is the whole section (the word before may be looked at for
   * sethi comments; objdump reads it only when offset >= 4 and address >= 4).
   */
  format(data: Uint8Array, offset: number, address: number, printAddress: AddressPrinter): string;
  /** True when objdump's branch_delay_insns is 1 after this word (a delayed CTI). */
  isDelayed(word: number): boolean;
}

export interface ListingOptions {
  readonly formatter: InstructionFormatter;
  /** The file name in the "FILE:     file format elf32-sparc" header. */
  readonly fileName?: string;
  /** Print the file header (default true). */
  readonly header?: boolean;
  /** Like --disassemble=NAME: only the symbol NAME (a function: its st_size bytes). */
  readonly function?: string;
  /** Like --start-address: only addresses >= start. */
  readonly start?: number;
  /** Like --stop-address: only addresses < stop. */
  readonly stop?: number;
}

const SKIP_ZEROES = 8;
/** Largest (code sections × symbols) for which the symbols are re-sorted per section, as objdump does. */
const RESORT_BUDGET = 20_000_000;
const SKIP_ZEROES_AT_END = 3;

/** Finds the symbol objdump names an address after (find_symbol_for_address). */
export class SymbolLookup {
  readonly model: SymbolModel;
  private section: ElfSection | null = null;
  private sectionName = '';
  private readonly cache = new Map<number, string>();

  constructor(model: SymbolModel) {
    this.model = model;
  }

  /** Positions in the sorted list of the current section's symbols (ascending). */
  private positions: number[] = [];

  /**
   * Makes `section` the one being disassembled. objdump re-sorts the symbols for every section;
   * `resort` false keeps the previous order (used for pathological files, see disassembleToChunks).
   */
  enterSection(section: ElfSection, resort = true): void {
    this.section = section;
    this.sectionName = this.model.sectionName(section.index);
    const sorted = this.model.sorted;
    if (resort || this.model.sortedFor === '') {
      this.model.sortFor(section);
      // Positions of every section's symbols in the new order, found in one pass.
      this.positionsByName = new Map();
      for (let i = 0; i < sorted.length; i++) {
        const list = this.positionsByName.get(sorted[i]!.sectionName);
        if (list === undefined) this.positionsByName.set(sorted[i]!.sectionName, [i]);
        else list.push(i);
      }
    }
    this.cache.clear();
    this.positions = this.positionsByName.get(this.sectionName) ?? [];
  }

  private positionsByName = new Map<string, number[]>();

  /**
   * objdump's forward search for the next label: the first index >= `place` whose symbol is in
   * the current section (by name) above `address`; the list length when there is none.
   */
  nextInSection(place: number, address: number): number {
    const p = this.positions;
    const sorted = this.model.sorted;
    let lo = 0;
    let hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p[mid]! < place || sorted[p[mid]!]!.address <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo < p.length ? p[lo]! : sorted.length;
  }

  private symOk(wantSection: boolean, place: number): boolean {
    if (!wantSection) return true;
    const s = this.model.sorted[place]!;
    const sec = this.section!;
    if (s.sectionIndex >= 0) return s.sectionIndex === sec.index;
    return s.sectionName === this.sectionName;
  }

  /** The symbol for `vma` and its index in the sorted list, or null. */
  find(vma: number, requireSection: boolean): { symbol: DisasmSymbol; place: number } | null {
    const syms = this.model.sorted;
    const n = syms.length;
    if (n < 1) return null;
    const sec = this.section!;
    const key = vmaKey(vma);
    let min = 0;
    let max = n;
    while (min + 1 < max) {
      const t = (max + min) >> 1;
      const v = syms[t]!.address;
      if (v > key) max = t;
      else if (v < key) min = t;
      else {
        min = t;
        break;
      }
    }
    let place = min;
    while (place > 0 && syms[place]!.address === syms[place - 1]!.address) --place;
    // Several symbols at this address: the first one in the current section.
    min = place;
    while (min < max && syms[min]!.address === syms[place]!.address) {
      if (this.symOk(true, min)) return { symbol: syms[min]!, place: min };
      ++min;
    }
    const wantSection = requireSection || (this.model.hasRelocs && key >= sec.addr && key < sec.addr + sec.size);
    if (!this.symOk(wantSection, place)) {
      let newPlace = n;
      for (let i = min - 1; i >= 0; i--) {
        if (!this.symOk(wantSection, i)) continue;
        if (newPlace === n) newPlace = i;
        if (syms[i]!.address !== syms[newPlace]!.address) break;
        newPlace = i;
      }
      if (newPlace !== n) place = newPlace;
      else {
        for (let i = place + 1; i < n; i++) {
          if (this.symOk(wantSection, i)) {
            place = i;
            break;
          }
        }
      }
      if (!this.symOk(wantSection, place)) return null;
    }
    // Not exactly at a symbol: a dynamic relocation at exactly this address names it better.
    const rels = this.model.dynamicRelocations;
    const found = syms[place]!;
    if (
      !wantSection && found.value !== key && rels.length > 0 &&
      rels[0]!.address <= key && rels[rels.length - 1]!.address >= key && (found.flags & BSF.SYNTHETIC) === 0
    ) {
      let lo = 0;
      let hi = rels.length - 1;
      while (lo <= hi) {
        const mid = lo + ((hi - lo) >> 1);
        const rel = rels[mid]!;
        if (rel.address === key) {
          let first = mid;
          while (first > lo && rels[first - 1]!.address === key) first--;
          for (let k = first; k <= hi && rels[k]!.address === key; k++) {
            const sym = rels[k]!.symbol;
            if (sym !== null && sym.sectionName !== '*ABS*') return { symbol: sym, place };
          }
          break;
        }
        if (key < rel.address) hi = mid;
        else if (key >= rels[mid + 1]!.address) lo = mid + 1;
        else break;
      }
    }
    return { symbol: found, place };
  }

  /** objdump_print_addr_with_sym: "<name+0xoff>" (or "<section+0xoff>" without a symbol). */
  symbolText(symbol: DisasmSymbol | null, vma: number): string {
    if (symbol === null) {
      const sec = this.section!;
      const name = this.model.sectionName(sec.index);
      const key = vmaKey(vma);
      if (key < sec.addr) return `<${name}-0x${hex32(sec.addr - vma)}>`;
      if (key > sec.addr) return `<${name}+0x${hex32(vma - sec.addr)}>`;
      return `<${name}>`;
    }
    const key = vmaKey(vma);
    if (symbol.address === key) return `<${symbol.printName}>`;
    if (this.model.linked && symbol.sectionIndex === UND_SECTION) return `<${symbol.printName}>`;
    if (symbol.address > key) return `<${symbol.printName}-0x${hex32(symbol.address - vma)}>`;
    return `<${symbol.printName}+0x${hex32(vma - symbol.address)}>`;
  }

  /** objdump_print_address: what a branch target or sethi comment shows. */
  readonly printAddress: AddressPrinter = (vma: number): string => {
    const cached = this.cache.get(vma);
    if (cached !== undefined) return cached;
    let text: string;
    if (this.model.sorted.length < 1) text = `0x${hex32(vma)}`;
    else text = `${hex32(vma)} ${this.symbolText(this.find(vma, false)?.symbol ?? null, vma)}`;
    this.cache.set(vma, text);
    return text;
  };
}

/** Addresses from the decoder may wrap below 0 or above 2^32; objdump compares them in 64 bits. */
function vmaKey(vma: number): number {
  return vma < 0 ? 2 ** 64 + vma : vma;
}

function isLocalLabelName(name: string): boolean {
  const c0 = name.charCodeAt(0);
  const c1 = name.charCodeAt(1);
  if (c0 === 0x2e && (c1 === 0x4c || c1 === 0x2e)) return true; // ".L", ".."
  if (name.startsWith('_.L_')) return true;
  if (c0 === 0x4c && c1 >= 0x30 && c1 <= 0x39) {
    let ret = false;
    for (let i = 2; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 1 || c === 2) {
        if (c === 1 && i === 2) return true;
        ret = true;
      }
      if (!(c >= 0x30 && c <= 0x39)) return false;
    }
    return ret;
  }
  return false;
}

/** bfd_is_local_label. */
function isLocalLabel(s: DisasmSymbol): boolean {
  if ((s.flags & (BSF.GLOBAL | BSF.WEAK | BSF.FILE | BSF.SECTION_SYM)) !== 0) return false;
  return isLocalLabelName(s.name);
}

/** BFD target name objdump prints in the file header. */
export function targetName(elf: ElfFile): string {
  return elf.header.machine === 43 ? 'elf64-sparc' : 'elf32-sparc';
}

/** The sections `objdump -d` disassembles: executable, with file contents, in header order. */
export function codeSections(elf: ElfFile, model: SymbolModel): ElfSection[] {
  return elf.sections.filter((s) => s.isExecutable && s.hasContents && model.sectionName(s.index) !== '*ABS*');
}

/** The objdump -d listing as byte chunks (UTF-8), for writing straight to a stream. */
export function disassembleToChunks(elf: ElfFile, options: ListingOptions): Uint8Array[] {
  const out = new OutputBuffer();
  const model = new SymbolModel(elf);
  const lookup = new SymbolLookup(model);
  if (options.header !== false) {
    out.text(`\n${options.fileName ?? 'a.out'}:     file format ${targetName(elf)}\n\n`);
  }
  const sections = codeSections(elf, model);
  // objdump re-sorts every symbol for every section. That is quadratic for files with very many
  // code sections and symbols (only hostile files come near this bound); past it we sort once,
  // which can only change which of several equally good labels an address gets.
  const resort = sections.length * model.sorted.length <= RESORT_BUDGET;
  for (const section of sections) {
    disassembleSection(elf, section, model, lookup, options, out, resort);
  }
  return out.finish();
}

/** The objdump -d listing as one string. */
export function disassembleToString(elf: ElfFile, options: ListingOptions): string {
  const bytes = concatChunks(disassembleToChunks(elf, options));
  return decodeUtf8(bytes, 0, bytes.length);
}

function disassembleSection(
  elf: ElfFile,
  section: ElfSection,
  model: SymbolModel,
  lookup: SymbolLookup,
  options: ListingOptions,
  out: OutputBuffer,
  resort: boolean,
): void {
  const datasize = section.size;
  if (datasize === 0) return;
  const vma = section.addr;
  let addrOffset = options.start === undefined || options.start < vma ? 0 : options.start - vma;
  let stopOffset: number;
  if (options.stop === undefined) stopOffset = datasize;
  else stopOffset = options.stop < vma ? 0 : Math.min(options.stop - vma, datasize);
  if (addrOffset >= stopOffset) return;
  const data = elf.sectionBytes(section);
  lookup.enterSection(section, resort);
  const sorted = model.sorted;
  out.text(`\nDisassembly of section ${sanitizeSectionName(section.name)}:\n`);

  const first = lookup.find(vma + addrOffset, true);
  let sym: DisasmSymbol | null = first?.symbol ?? null;
  let place = first?.place ?? 0;
  const wanted = options.function;
  let doPrint = wanted === undefined;
  let loopUntil: 'stop' | 'function' | 'next' = 'stop';

  while (addrOffset < stopOffset) {
    const addr = vma + addrOffset;
    if (sym !== null && wanted !== undefined) {
      if (doPrint) {
        if (loopUntil === 'function' && (sym.flags & BSF.FUNCTION) !== 0) doPrint = false;
        else if (loopUntil === 'next' && !isLocalLabel(sym)) doPrint = false;
      } else if (sym.name === wanted) {
        doPrint = true;
        if ((sym.flags & BSF.FUNCTION) !== 0) {
          if (sym.elf !== null && sym.elf.size > 0) {
            // objdump trusts st_size even past the section's end; we stop at the end.
            stopOffset = Math.min(addrOffset + sym.elf.size, datasize);
            loopUntil = 'stop';
          } else loopUntil = 'function';
        } else loopUntil = 'next';
      }
    }
    if (doPrint) {
      out.text(`\n${hex8(addr)} ${lookup.symbolText(sym, addr)}:\n`);
    }
    let nextSym: DisasmSymbol | null;
    if (sym !== null && sym.address > addr) nextSym = sym;
    else if (sym === null) nextSym = null;
    else {
      const symAddr = sym.address;
      place = lookup.nextInSection(place, symAddr);
      nextSym = place >= sorted.length ? null : sorted[place]!;
    }
    let nextStop: number;
    if (sym !== null && sym.address > addr) nextStop = sym.address - vma;
    else if (nextSym === null) nextStop = stopOffset;
    else nextStop = nextSym.address - vma;
    if (nextStop > stopOffset || nextStop <= addrOffset) nextStop = stopOffset;
    const insns =
      sym === null || sym.sectionIndex !== section.index || sym.address > addr ||
      ((sym.flags & BSF.OBJECT) === 0 && !sym.name.includes('gnu_compiled') && !sym.name.includes('gcc2_compiled')) ||
      (sym.flags & BSF.FUNCTION) !== 0;
    if (doPrint) disassembleBytes(section, data, addrOffset, nextStop, insns, lookup, options.formatter, out);
    addrOffset = nextStop;
    sym = nextSym;
  }
}

function sanitizeSectionName(name: string): string {
  let clean = true;
  for (let i = 0; i < name.length && clean; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) clean = false;
  }
  if (clean) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? '^' + String.fromCharCode(c + 0x40) : name[i];
  }
  return out;
}

const ASCII_SPACE = 0x20;
const ASCII_TAB = 0x09;
const ASCII_NL = 0x0a;
const ASCII_COLON = 0x3a;

function disassembleBytes(
  section: ElfSection,
  data: Uint8Array,
  start: number,
  stop: number,
  insns: boolean,
  lookup: SymbolLookup,
  formatter: InstructionFormatter,
  out: OutputBuffer,
): void {
  const vma = section.addr;
  // Leading zeros of addresses are dropped in groups of four, keeping at least one.
  const widest = hex8(vma + section.size);
  let skipChars = 0;
  while (skipChars < 8 && widest.charCodeAt(skipChars) === 0x30) skipChars++;
  if (skipChars === 8 && vma !== 0) skipChars = 0;
  if (skipChars !== 0) skipChars = (skipChars - 1) & -4;
  const width = 8 - skipChars;
  const perLine = insns ? 4 : 16;
  let infoValid = false;
  let delayed = false;
  let offset = start;
  while (offset < stop) {
    let octets = 0;
    while (offset + octets < stop && data[offset + octets] === 0) octets++;
    if ((!infoValid || !delayed) && (octets >= SKIP_ZEROES || (offset + octets === stop && octets < SKIP_ZEROES_AT_END))) {
      if (offset + octets !== stop) octets &= ~3;
      out.byte(ASCII_TAB);
      out.text('...\n');
      offset += octets;
      continue;
    }
    writeAddress(out, (vma + offset) >>> 0, width);
    out.byte(ASCII_COLON);
    out.byte(ASCII_TAB);
    if (insns) {
      if (stop - offset < 4) {
        out.text(`Address 0x${hex32(vma + offset)} is out of bounds.\n\n`);
        break;
      }
      const text = formatter.format(data, offset, (vma + offset) >>> 0, lookup.printAddress);
      const word = ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
      infoValid = true;
      delayed = formatter.isDelayed(word);
      out.hex2(data[offset]!);
      out.byte(ASCII_SPACE);
      out.hex2(data[offset + 1]!);
      out.byte(ASCII_SPACE);
      out.hex2(data[offset + 2]!);
      out.byte(ASCII_SPACE);
      out.hex2(data[offset + 3]!);
      out.byte(ASCII_SPACE);
      out.byte(ASCII_TAB);
      out.text(text);
      out.byte(ASCII_NL);
      offset += 4;
    } else {
      octets = Math.min(perLine, stop - offset);
      for (let j = 0; j < octets; j++) {
        out.hex2(data[offset + j]!);
        out.byte(ASCII_SPACE);
      }
      for (let j = octets; j < perLine; j++) out.text('   ');
      out.text('    ');
      for (let j = 0; j < octets; j++) {
        const c = data[offset + j]!;
        out.byte(c >= 0x20 && c < 0x7f ? c : 0x2e);
      }
      out.byte(ASCII_NL);
      offset += octets;
    }
  }
}

/** The address column: the last `width` hex digits, leading zeros as spaces (at least one digit). */
function writeAddress(out: OutputBuffer, address: number, width: number): void {
  let leading = true;
  for (let i = width - 1; i >= 0; i--) {
    const d = (address >>> (i * 4)) & 15;
    if (leading && d === 0 && i > 0) {
      out.byte(ASCII_SPACE);
      continue;
    }
    leading = false;
    out.byte(HEX_DIGITS[d]!);
  }
}

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Names of the symbols a listing can label in executable sections (what --function accepts). */
export function listingSymbolNames(elf: ElfFile): Set<string> {
  const model = new SymbolModel(elf);
  const code = new Set(codeSections(elf, model).map((s) => model.sectionName(s.index)));
  const out = new Set<string>();
  for (const s of model.sorted) if (code.has(s.sectionName)) out.add(s.name);
  return out;
}
