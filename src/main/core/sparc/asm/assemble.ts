// The assembler driver: pass 1 lays out every statement (sizes never depend on later symbols),
// pass 2 evaluates expressions, encodes instructions and data, and records relocations.
import type { Mode } from '../types.ts';
import { AsmError, Diagnostics, type Pos, StatementError, fail } from './errors.ts';
import { Cursor, type EvalContext, type Expr, type ParseOptions, type Value, evaluate, parseExpr } from './expr.ts';
import { assignment, directive } from './directives.ts';
import { RELOC_TYPES, type RelocRequest, type RelocType, encodeImm } from './encode.ts';
import { instruction } from './instructions.ts';
import { formsNamed } from './forms.ts';
import { type Statement, lex } from './lexer.ts';
import type { Match } from './operands.ts';
import { type Label, endOf, parseStatement } from './parse.ts';
import type { AsmOptions, AsmOutput, AsmRelocation, AsmSection, AsmSymbol } from './types.ts';

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

/** Something placed in a subsection during pass 1 (offsets are relative to the subsection). */
export type Item =
  | { readonly k: 'bytes'; readonly off: number; readonly bytes: Uint8Array }
  | { readonly k: 'insn'; readonly off: number; readonly m: Match; readonly at: Pos }
  | { readonly k: 'value'; readonly off: number; readonly size: 1 | 2 | 4 | 8; readonly expr: Expr; readonly at: Pos; readonly ua: boolean };

/** A subsection (`.subsection n`, `.text n`): laid out in numeric order at the end of pass 1. */
export interface Chunk {
  readonly section: Section;
  readonly n: number;
  size: number;
  align: number;
  readonly items: Item[];
  /** Offset of the subsection in its section (known after pass 1). */
  base: number;
}

export interface Section {
  readonly name: string;
  flags: SectionFlags;
  nobits: boolean;
  readonly chunks: Map<number, Chunk>;
  /** Final size and alignment (after pass 1). */
  size: number;
  align: number;
  /** Padding between subsections and at the end (after pass 1). */
  readonly pads: { off: number; bytes: Uint8Array }[];
}

/** A position in pass 1: subsection and offset in it. */
export interface Here {
  readonly chunk: Chunk;
  readonly offset: number;
}

export interface Sym {
  readonly name: string;
  kind: 'label' | 'equ' | 'common' | 'undef';
  chunk: Chunk | null;
  offset: number;
  binding: 'local' | 'global' | 'weak';
  type: string | null;
  size: { expr: Expr; at: Here } | null;
  equ: { expr: Expr; at: Here } | null;
  common: { size: number; align: number } | null;
  at: Pos | null;
  evaluating: boolean;
}

const DATA_RELOC: Readonly<Record<number, RelocType>> = { 1: 'R_SPARC_8', 2: 'R_SPARC_16', 4: 'R_SPARC_32', 8: 'R_SPARC_64' };
const UA_RELOC: Readonly<Record<number, RelocType>> = { 1: 'R_SPARC_8', 2: 'R_SPARC_UA16', 4: 'R_SPARC_UA32', 8: 'R_SPARC_UA64' };

/** Default flags of well-known section names (GNU as obj-elf.c). */
export function defaultFlags(name: string): { flags: SectionFlags; nobits: boolean } {
  const is = (p: string): boolean => name === p || name.startsWith(`${p}.`);
  if (is('.text')) return { flags: { alloc: true, write: false, exec: true }, nobits: false };
  if (is('.bss') || is('.sbss') || is('.tbss')) return { flags: { alloc: true, write: true, exec: false }, nobits: true };
  if (is('.data') || is('.sdata') || is('.data1') || is('.tdata')) return { flags: { alloc: true, write: true, exec: false }, nobits: false };
  if (is('.rodata') || is('.rodata1')) return { flags: { alloc: true, write: false, exec: false }, nobits: false };
  return { flags: { alloc: false, write: false, exec: false }, nobits: false };
}

/** Padding of `count` bytes at offset `from` (GNU as sparc_handle_align): zeros, and in code
 * nops from the next word on; V8+ code jumps over more than two words with `ba,a,pt %xcc`. */
function padding(mode: Mode, exec: boolean, from: number, count: number, fill: number | null): Uint8Array {
  const bytes = new Uint8Array(count);
  if (fill !== null) return bytes.fill(fill);
  if (!exec) return bytes;
  const lead = (4 - (from % 4)) % 4;
  const put = (k: number, w: number): void => {
    bytes[k] = w >>> 24;
    bytes[k + 1] = (w >>> 16) & 0xff;
    bytes[k + 2] = (w >>> 8) & 0xff;
    bytes[k + 3] = w & 0xff;
  };
  for (let k = lead; k + 4 <= count; k += 4) put(k, nopWord());
  if (mode !== 'v8' && count - lead > 8) put(lead, skipWord((count - lead) >> 2));
  return bytes;
}

export class Assembler {
  readonly mode: Mode;
  readonly opts: AsmOptions;
  readonly diag: Diagnostics;
  readonly fixed: boolean;
  readonly sections = new Map<string, Section>();
  readonly symbols = new Map<string, Sym>();
  /** Current and previous (for .previous) subsection; the .pushsection stack. */
  cur: Chunk;
  prev: Chunk;
  readonly stack: [Chunk, Chunk][] = [];
  private readonly localCounts = new Map<bigint, number>();
  private readonly external: (name: string) => number | undefined;
  private readonly addresses = new Map<string, number>();
  private readonly relocs: AsmRelocation[] = [];

  constructor(opts: AsmOptions) {
    this.opts = opts;
    this.mode = opts.mode ?? 'v8';
    this.diag = new Diagnostics(opts.fileName ?? '<asm>');
    this.fixed = opts.origin !== undefined;
    const s = opts.symbols;
    this.external = s === undefined ? () => undefined : s instanceof Map ? (n) => s.get(n) : (n) => (Object.hasOwn(s, n) ? (s as Record<string, number>)[n] : undefined);
    // GNU as starts in .text and always has .data and .bss.
    this.cur = this.chunk(this.section('.text'), 0);
    this.section('.data');
    this.section('.bss');
    this.prev = this.cur;
  }

  // ---- sections ----

  section(name: string): Section {
    let s = this.sections.get(name);
    if (!s) {
      const d = defaultFlags(name);
      s = { name, flags: d.flags, nobits: d.nobits, chunks: new Map(), size: 0, align: 1, pads: [] };
      this.sections.set(name, s);
    }
    return s;
  }

  chunk(s: Section, n: number): Chunk {
    let c = s.chunks.get(n);
    if (!c) {
      c = { section: s, n, size: 0, align: 1, items: [], base: 0 };
      s.chunks.set(n, c);
    }
    return c;
  }

  switchTo(c: Chunk): void {
    if (c !== this.cur) {
      this.prev = this.cur;
      this.cur = c;
    }
  }

  here(): Here {
    return { chunk: this.cur, offset: this.cur.size };
  }

  emitBytes(bytes: Uint8Array, at: Pos): void {
    const c = this.cur;
    if (bytes.length === 0) return;
    if (c.section.nobits) {
      if (bytes.some((b) => b !== 0)) fail('directive', `section ${c.section.name} holds no data: only zeros (.skip) may go there`, at);
      c.size += bytes.length;
      return;
    }
    c.items.push({ k: 'bytes', off: c.size, bytes });
    c.size += bytes.length;
  }

  /** Reserves zero bytes (.skip in .bss and elsewhere). */
  reserve(size: number, at: Pos): void {
    if (this.cur.section.nobits) this.cur.size += size;
    else this.emitBytes(new Uint8Array(size), at);
  }

  emitValue(size: 1 | 2 | 4 | 8, expr: Expr, at: Pos, ua: boolean): void {
    const c = this.cur;
    if (c.section.nobits) fail('directive', `section ${c.section.name} holds no data: use .skip`, at);
    c.items.push({ k: 'value', off: c.size, size, expr, at, ua });
    c.size += size;
  }

  emitInsn(m: Match, at: Pos): void {
    const c = this.cur;
    if (c.size % 4 !== 0) fail('alignment', `instruction at ${c.section.name}+0x${c.size.toString(16)} is not on a word boundary: add .align 4`, at);
    if (c.section.nobits) fail('directive', `section ${c.section.name} holds no data: instructions belong in .text`, at);
    c.items.push({ k: 'insn', off: c.size, m, at });
    c.size += 4;
    if (c.align < 4) c.align = 4;
  }

  /** Pads to a multiple of `n`: code sections get zeros up to a word, then nops (GNU as). */
  alignTo(n: number, fill: number | null, maxSkip: number | null, at: Pos): void {
    const c = this.cur;
    if (n > c.align) c.align = n;
    const pad = (n - (c.size % n)) % n;
    if (pad === 0 || (maxSkip !== null && pad > maxSkip)) return;
    if (c.section.nobits) c.size += pad;
    else this.emitBytes(padding(this.mode, c.section.flags.exec, c.size, pad, fill), at);
  }

  // ---- symbols ----

  sym(name: string): Sym {
    let s = this.symbols.get(name);
    if (!s) {
      s = { name, kind: 'undef', chunk: null, offset: 0, binding: 'local', type: null, size: null, equ: null, common: null, at: null, evaluating: false };
      this.symbols.set(name, s);
    }
    return s;
  }

  defineLabel(l: Label): void {
    let name = l.name;
    if (l.local !== null) {
      const n = (this.localCounts.get(l.local) ?? 0) + 1;
      this.localCounts.set(l.local, n);
      name = `${l.local}:${n}`;
    }
    const s = this.sym(name);
    if (s.kind !== 'undef') fail('duplicate-symbol', `symbol ${name} is already defined${s.at ? ` (line ${s.at.line})` : ''}`, l);
    s.kind = 'label';
    s.chunk = this.cur;
    s.offset = this.cur.size;
    s.at = l;
  }

  defineEqu(name: string, expr: Expr, at: Pos, redefine: boolean): void {
    if (name === '.') fail('unsupported', "assigning to '.' (.org) is not supported", at);
    const s = this.sym(name);
    if (s.kind === 'label' || s.kind === 'common' || (s.kind === 'equ' && !redefine)) {
      fail('duplicate-symbol', `symbol ${name} is already defined${s.at ? ` (line ${s.at.line})` : ''}`, at);
    }
    s.kind = 'equ';
    s.equ = { expr, at: this.here() };
    s.at = at;
  }

  /** Allocates `size` bytes for a local common symbol in .bss (GNU as does it at the directive). */
  allocateBss(s: Sym, size: number, align: number): void {
    const bss = this.chunk(this.section('.bss'), 0);
    if (align > bss.align) bss.align = align;
    bss.size += (align - (bss.size % align)) % align;
    s.kind = 'label';
    s.chunk = bss;
    s.offset = bss.size;
    s.common = null;
    bss.size += size;
  }

  /** Parse options for the current statement: numeric local labels resolve now. */
  parseOptions(): ParseOptions {
    return {
      local: (n, dir, at) => {
        const count = this.localCounts.get(n) ?? 0;
        if (dir === 'b') {
          if (count === 0) fail('undefined-symbol', `backward reference ${n}b: no label ${n}: before this line`, at);
          return `${n}:${count}`;
        }
        return `${n}:${count + 1}`;
      },
    };
  }

  // ---- evaluation ----

  /** Pass-1 context: labels defined so far are subsection-relative, everything else symbolic. */
  ctx1(at: Here = this.here()): EvalContext {
    const key = (c: Chunk): string => (c.n === 0 ? c.section.name : `${c.section.name}#${c.n}`);
    return {
      dot: () => ({ add: 0n, sym: { name: '.', section: key(at.chunk), offset: at.offset, global: false } }),
      symbol: (name, p) => {
        const s = this.symbols.get(name);
        if (s?.kind === 'label') return { add: 0n, sym: { name, section: key(s.chunk!), offset: s.offset, global: s.binding !== 'local' } };
        if (s?.kind === 'equ') return this.equValue(s, p, (h) => this.ctx1(h));
        return { add: 0n, sym: { name, section: null, offset: 0, global: true } };
      },
      hash: (name, p) => fail('syntax', `${name} not allowed here: expected a number or symbol`, p),
    };
  }

  /** Pass-2 context at a pass-1 position. */
  ctx2(at: Here): EvalContext {
    const offset = at.chunk.base + at.offset;
    const section = at.chunk.section.name;
    return {
      dot: () => (this.fixed ? { add: BigInt(this.addr(section) + offset), sym: null } : { add: 0n, sym: { name: '.', section, offset, global: false } }),
      symbol: (name, p) => this.symbolValue(name, p),
      hash: (name, p) => fail('syntax', `${name} not allowed here: expected a number or symbol`, p),
    };
  }

  private equValue(s: Sym, at: Pos, ctxAt: (h: Here) => EvalContext): Value {
    if (s.evaluating) fail('expression', `symbol ${s.name} is defined in terms of itself`, at);
    s.evaluating = true;
    try {
      return evaluate(s.equ!.expr, ctxAt(s.equ!.at));
    } finally {
      s.evaluating = false;
    }
  }

  private symbolValue(name: string, at: Pos): Value {
    const s = this.symbols.get(name);
    if (s?.kind === 'label') {
      const sec = s.chunk!.section.name;
      const offset = s.chunk!.base + s.offset;
      return this.fixed ? { add: BigInt(this.addr(sec) + offset), sym: null } : { add: 0n, sym: { name, section: sec, offset, global: s.binding !== 'local' } };
    }
    if (s?.kind === 'equ') return this.equValue(s, at, (h) => this.ctx2(h));
    const ext = this.external(name);
    if (ext !== undefined) return { add: BigInt(ext), sym: null };
    if (name.includes(':')) {
      fail('undefined-symbol', `forward reference ${name.split(':')[0]}f: no label ${name.split(':')[0]}: after this line`, at);
    }
    if (this.fixed) fail('undefined-symbol', `undefined symbol ${name}: define it or pass its address in options.symbols`, at);
    this.sym(name);
    return { add: 0n, sym: { name, section: null, offset: 0, global: true } };
  }

  /** Evaluates a pass-1 constant (sizes, counts, alignments). */
  constant(e: Expr, what: string): bigint {
    const v = evaluate(e, this.ctx1());
    if (v.sym !== null) fail('expression', `${what} must be a constant known at this point, but it uses ${v.sym.name}`, e.at);
    return v.add;
  }

  addr(section: string): number {
    return this.addresses.get(section) ?? 0;
  }

  // ---- driver ----

  run(source: string): AsmOutput {
    this.statements(lex(source, this.diag), 0);
    this.finishSections();
    this.layout();
    const out = this.pass2();
    if (this.diag.list.length > 0) throw AsmError.collect(this.diag.list);
    return out;
  }

  /** Processes statements; `.rept n` ... `.endr` blocks repeat (nesting allowed). */
  private statements(list: readonly Statement[], depth: number): void {
    for (let k = 0; k < list.length; k++) {
      const st = list[k]!;
      try {
        const p = parseStatement(st);
        for (const l of p.labels) this.defineLabel(l);
        if (p.k === 'directive' && p.name === '.rept') {
          const end = matchingEndr(list, k);
          if (end < 0) fail('directive', '.rept without .endr', p.nameAt);
          const count = Number(this.constant(parseExpr(new Cursor(st.tokens, p.start, st.tokens.length, endOf(st)), this.parseOptions()), '.rept count'));
          if (count < 0 || count > 100000 || depth > 16) fail('range', `.rept ${count}: expected 0..100000 (nesting up to 16)`, p.nameAt);
          const body = list.slice(k + 1, end);
          for (let r = 0; r < count; r++) this.statements(body, depth + 1);
          k = end;
        } else if (p.k === 'directive' && p.name === '.endr') fail('directive', '.endr without .rept', p.nameAt);
        else if (p.k === 'insn') instruction(this, p, st);
        else if (p.k === 'directive') directive(this, p, st);
        else if (p.k === 'assign') assignment(this, p, st);
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        this.diag.error(e.code, e.message, e.at);
      }
    }
  }

  /** Allocates the remaining commons (fixed origin: in .bss), orders the subsections and pads:
   * code sections end on their alignment with nops, as GNU as does. */
  private finishSections(): void {
    for (const s of this.symbols.values()) {
      if (s.kind === 'common' && (this.fixed || s.binding === 'local')) this.allocateBss(s, s.common!.size, s.common!.align);
    }
    for (const sec of this.sections.values()) {
      let pos = 0;
      let align = 1;
      for (const c of [...sec.chunks.values()].sort((a, b) => a.n - b.n)) {
        const pad = (c.align - (pos % c.align)) % c.align;
        if (pad > 0 && !sec.nobits) sec.pads.push({ off: pos, bytes: padding(this.mode, sec.flags.exec, pos, pad, null) });
        pos += pad;
        c.base = pos;
        pos += c.size;
        align = Math.max(align, c.align);
      }
      const tail = (align - (pos % align)) % align;
      if (sec.flags.exec && !sec.nobits && tail > 0) {
        sec.pads.push({ off: pos, bytes: padding(this.mode, true, pos, tail, null) });
        pos += tail;
      }
      sec.size = pos;
      sec.align = align;
    }
  }

  private layout(): void {
    if (!this.fixed) return;
    const fixedAt = this.opts.sectionAddresses ?? {};
    const order = [...this.sections.values()].filter((s) => s.flags.alloc && (s.size > 0 || s.name === '.text'));
    let next = this.opts.origin!;
    for (const s of order) {
      const given = fixedAt[s.name];
      if (given !== undefined) {
        this.addresses.set(s.name, given);
        continue;
      }
      next = Math.ceil(next / s.align) * s.align;
      this.addresses.set(s.name, next);
      next += s.size;
    }
  }

  private pass2(): AsmOutput {
    const sections: AsmSection[] = [];
    for (const s of this.sections.values()) {
      const bytes = new Uint8Array(s.size);
      for (const p of s.pads) bytes.set(p.bytes, p.off);
      for (const c of s.chunks.values()) {
        for (const it of c.items) {
          try {
            if (it.k === 'bytes') bytes.set(it.bytes, c.base + it.off);
            else if (it.k === 'insn') this.encodeInsn(c, it, bytes);
            else this.encodeValue(c, it, bytes);
          } catch (e) {
            if (!(e instanceof StatementError)) throw e;
            this.diag.error(e.code, e.message, e.at);
          }
        }
      }
      sections.push({
        name: s.name, address: this.addr(s.name), bytes, size: s.size, align: s.align,
        flags: { ...s.flags }, type: s.nobits ? 'nobits' : 'progbits',
      });
    }
    const symbols = this.outputSymbols();
    const text = sections.find((x) => x.name === '.text')!;
    const words = new Uint32Array(Math.ceil(text.size / 4));
    for (let k = 0; k < words.length; k++) {
      const b = (j: number): number => text.bytes[4 * k + j] ?? 0;
      words[k] = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
    }
    const bySection = new Map(sections.map((x) => [x.name, x]));
    const bySymbol = new Map(symbols.map((x) => [x.name, x]));
    return {
      mode: this.mode, sections, symbols, relocations: this.relocs, text, words,
      section: (name) => bySection.get(name), symbol: (name) => bySymbol.get(name),
    };
  }

  private encodeInsn(c: Chunk, it: Extract<Item, { k: 'insn' }>, bytes: Uint8Array): void {
    const sec = c.section.name;
    const off = c.base + it.off;
    const env = { ctx: this.ctx2({ chunk: c, offset: it.off }), fixed: this.fixed, section: sec, offset: off, address: this.addr(sec) + off };
    let word = it.m.word;
    for (const fill of it.m.imms) {
      const r = encodeImm(fill, it.m.cf.form, env);
      word = (word | r.bits) >>> 0;
      if (r.reloc) this.reloc(sec, off, r.reloc);
    }
    bytes[off] = word >>> 24;
    bytes[off + 1] = (word >>> 16) & 0xff;
    bytes[off + 2] = (word >>> 8) & 0xff;
    bytes[off + 3] = word & 0xff;
  }

  private encodeValue(c: Chunk, it: Extract<Item, { k: 'value' }>, bytes: Uint8Array): void {
    const off = c.base + it.off;
    const v = evaluate(it.expr, this.ctx2({ chunk: c, offset: it.off }));
    let x = 0n;
    if (v.sym !== null) this.reloc(c.section.name, off, { type: (it.ua ? UA_RELOC : DATA_RELOC)[it.size]!, value: v, at: it.at });
    else {
      const bits = BigInt(it.size * 8);
      if (it.size < 8 && (v.add >= 1n << bits || v.add < -(1n << (bits - 1n)))) {
        fail('range', `${v.add} does not fit ${it.size} byte${it.size > 1 ? 's' : ''}`, it.at);
      }
      x = BigInt.asUintN(it.size * 8, v.add);
    }
    for (let k = it.size - 1; k >= 0; k--) {
      bytes[off + k] = Number(x & 0xffn);
      x >>= 8n;
    }
  }

  private reloc(section: string, offset: number, r: RelocRequest): void {
    const sym = r.value.sym;
    let symbol: string | null = null;
    let addend = r.value.add;
    if (sym !== null) {
      if (sym.section === null || sym.global) symbol = sym.name;
      else {
        symbol = sym.section;
        addend += BigInt(sym.offset);
      }
    }
    this.relocs.push({ section, offset, type: r.type, typeNumber: RELOC_TYPES[r.type], symbol, addend: Number(BigInt.asIntN(32, addend)) });
  }

  private outputSymbols(): AsmSymbol[] {
    const out: AsmSymbol[] = [];
    for (const s of this.symbols.values()) {
      if (s.name.includes(':')) continue;
      try {
        let section: string | null = null;
        let value = 0;
        let defined = true;
        if (s.kind === 'label') {
          section = s.chunk!.section.name;
          value = this.addr(section) + s.chunk!.base + s.offset;
        } else if (s.kind === 'equ') {
          const v = this.equValue(s, s.at!, (h) => this.ctx2(h));
          if (v.sym === null) value = Number(BigInt.asUintN(32, v.add));
          else {
            section = v.sym.section;
            value = v.sym.offset + Number(v.add);
            defined = v.sym.section !== null;
          }
        } else if (s.kind === 'common') {
          section = 'COMMON';
          value = s.common!.size;
        } else defined = false;
        let size: number | null = null;
        if (s.size) {
          const v = evaluate(s.size.expr, this.ctx2(s.size.at));
          if (v.sym !== null) fail('expression', `.size of ${s.name} must be a constant`, s.size.expr.at);
          size = Number(v.add);
        }
        out.push({ name: s.name, section, value, defined, binding: s.binding, type: s.type, size });
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        this.diag.error(e.code, e.message, e.at);
      }
    }
    return out;
  }
}

/** Index of the `.endr` closing the `.rept` at `k`, or -1. */
function matchingEndr(list: readonly Statement[], k: number): number {
  let depth = 0;
  for (let j = k; j < list.length; j++) {
    const t = list[j]!.tokens;
    // The directive is the first token after any labels.
    const d = t.find((x, i) => x.kind === 'id' && (i === 0 || t[i - 1]!.text === ':') && x.text.startsWith('.'))?.text.toLowerCase();
    if (d === '.rept') depth++;
    else if (d === '.endr' && --depth === 0) return j;
  }
  return -1;
}

let nop: number | null = null;
/** The nop word, from the table's `nop` form. */
function nopWord(): number {
  nop ??= formsNamed('nop')[0]!.form.match;
  return nop;
}

let skip: number | null = null;
/** `ba,a,pt %xcc, .+4*words` from the table's `b,a %xcc, disp19` form. */
function skipWord(words: number): number {
  skip ??= formsNamed('b,a').find((f) => f.form.syntax === '%xcc , disp19')!.form.match;
  return (skip | (words & 0x7ffff)) >>> 0;
}

/** Assembles GNU as SPARC source. Throws AsmError (with every diagnostic in `all`) on errors. */
export function assemble(source: string, options: AsmOptions = {}): AsmOutput {
  return new Assembler(options).run(source);
}
