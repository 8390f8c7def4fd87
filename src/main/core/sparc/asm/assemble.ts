// The assembler driver: pass 1 lays out every statement (sizes never depend on later symbols),
// pass 2 evaluates expressions, encodes instructions and data, and records relocations.
import type { Mode } from '../types.ts';
import { AsmError, Diagnostics, type Pos, StatementError, fail } from './errors.ts';
import { type EvalContext, type Expr, type ParseOptions, type SymRef, type Value, evaluate } from './expr.ts';
import { assignment, directive } from './directives.ts';
import { RELOC_TYPES, type RelocRequest, type RelocType, encodeImm } from './encode.ts';
import { instruction } from './instructions.ts';
import { formsNamed } from './forms.ts';
import { type Statement, lex } from './lexer.ts';
import type { Match } from './operands.ts';
import { type Label, parseStatement } from './parse.ts';
import type { AsmOptions, AsmOutput, AsmRelocation, AsmSection, AsmSymbol } from './types.ts';

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

/** Something placed in a section during pass 1. */
export type Item =
  | { readonly k: 'bytes'; readonly off: number; readonly bytes: Uint8Array }
  | { readonly k: 'insn'; readonly off: number; readonly m: Match; readonly at: Pos }
  | { readonly k: 'value'; readonly off: number; readonly size: 1 | 2 | 4 | 8; readonly expr: Expr; readonly at: Pos; readonly ua: boolean };

export interface Section {
  readonly name: string;
  flags: SectionFlags;
  nobits: boolean;
  align: number;
  size: number;
  readonly items: Item[];
}

export interface Sym {
  readonly name: string;
  kind: 'label' | 'equ' | 'common' | 'undef';
  section: string | null;
  offset: number;
  binding: 'local' | 'global' | 'weak';
  type: string | null;
  size: { expr: Expr; section: string; offset: number } | null;
  equ: { expr: Expr; section: string; offset: number } | null;
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

export class Assembler {
  readonly mode: Mode;
  readonly opts: AsmOptions;
  readonly diag: Diagnostics;
  readonly fixed: boolean;
  readonly sections = new Map<string, Section>();
  readonly symbols = new Map<string, Sym>();
  cur: Section;
  prev: Section;
  readonly stack: [Section, Section][] = [];
  private readonly localCounts = new Map<bigint, number>();
  private readonly external: (name: string) => number | undefined;
  private addresses = new Map<string, number>();
  private readonly relocs: AsmRelocation[] = [];

  constructor(opts: AsmOptions) {
    this.opts = opts;
    this.mode = opts.mode ?? 'v8';
    this.diag = new Diagnostics(opts.fileName ?? '<asm>');
    this.fixed = opts.origin !== undefined;
    const s = opts.symbols;
    this.external = s === undefined ? () => undefined : s instanceof Map ? (n) => s.get(n) : (n) => (Object.hasOwn(s, n) ? (s as Record<string, number>)[n] : undefined);
    this.cur = this.section('.text');
    this.prev = this.cur;
  }

  // ---- sections ----

  section(name: string): Section {
    let s = this.sections.get(name);
    if (!s) {
      const d = defaultFlags(name);
      s = { name, flags: d.flags, nobits: d.nobits, align: 1, size: 0, items: [] };
      this.sections.set(name, s);
    }
    return s;
  }

  switchTo(s: Section): void {
    if (s !== this.cur) {
      this.prev = this.cur;
      this.cur = s;
    }
  }

  emitBytes(bytes: Uint8Array, at: Pos): void {
    const s = this.cur;
    if (bytes.length === 0) return;
    if (s.nobits && bytes.some((b) => b !== 0)) fail('directive', `section ${s.name} holds no data: only zeros (.skip) may go there`, at);
    s.items.push({ k: 'bytes', off: s.size, bytes });
    s.size += bytes.length;
  }

  emitValue(size: 1 | 2 | 4 | 8, expr: Expr, at: Pos, ua: boolean): void {
    const s = this.cur;
    if (s.nobits) fail('directive', `section ${s.name} holds no data: use .skip`, at);
    s.items.push({ k: 'value', off: s.size, size, expr, at, ua });
    s.size += size;
  }

  emitInsn(m: Match, at: Pos): void {
    const s = this.cur;
    if (s.size % 4 !== 0) fail('alignment', `instruction at ${s.name}+0x${s.size.toString(16)} is not on a word boundary: add .align 4`, at);
    if (s.nobits) fail('directive', `section ${s.name} holds no data: instructions belong in .text`, at);
    s.items.push({ k: 'insn', off: s.size, m, at });
    s.size += 4;
    if (s.align < 4) s.align = 4;
  }

  /** Pads to a multiple of `n`: code sections get zeros up to a word, then nops (GNU as). */
  alignTo(n: number, fill: number | null, maxSkip: number | null, at: Pos): void {
    const s = this.cur;
    if (n > s.align) s.align = n;
    const pad = (n - (s.size % n)) % n;
    if (pad === 0 || (maxSkip !== null && pad > maxSkip)) return;
    if (s.nobits) {
      s.size += pad;
      return;
    }
    const bytes = new Uint8Array(pad);
    if (fill !== null) bytes.fill(fill);
    else if (s.flags.exec) {
      const lead = (4 - (s.size % 4)) % 4;
      const nop = nopWord();
      for (let k = lead; k + 4 <= pad; k += 4) {
        bytes[k] = nop >>> 24;
        bytes[k + 1] = (nop >>> 16) & 0xff;
        bytes[k + 2] = (nop >>> 8) & 0xff;
        bytes[k + 3] = nop & 0xff;
      }
    }
    this.emitBytes(bytes, at);
  }

  // ---- symbols ----

  sym(name: string): Sym {
    let s = this.symbols.get(name);
    if (!s) {
      s = { name, kind: 'undef', section: null, offset: 0, binding: 'local', type: null, size: null, equ: null, common: null, at: null, evaluating: false };
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
    s.section = this.cur.name;
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
    s.equ = { expr, section: this.cur.name, offset: this.cur.size };
    s.at = at;
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

  /** Pass-1 context: labels defined so far are section-relative, everything else is symbolic. */
  ctx1(section = this.cur.name, offset = this.cur.size): EvalContext {
    return {
      dot: () => ({ add: 0n, sym: { name: '.', section, offset, global: false } }),
      symbol: (name, at) => {
        const s = this.symbols.get(name);
        if (s?.kind === 'label') return { add: 0n, sym: this.ref(s) };
        if (s?.kind === 'equ') return this.equValue(s, at, (sec, off) => this.ctx1(sec, off));
        return { add: 0n, sym: { name, section: null, offset: 0, global: true } };
      },
      hash: (name, at) => fail('syntax', `${name} not allowed here: expected a number or symbol`, at),
    };
  }

  /** Pass-2 context at (section, offset). */
  ctx2(section: string, offset: number): EvalContext {
    return {
      dot: () => (this.fixed ? { add: BigInt(this.addr(section) + offset), sym: null } : { add: 0n, sym: { name: '.', section, offset, global: false } }),
      symbol: (name, at) => this.symbolValue(name, at),
      hash: (name, at) => fail('syntax', `${name} not allowed here: expected a number or symbol`, at),
    };
  }

  private ref(s: Sym): SymRef {
    return { name: s.name, section: s.section, offset: s.offset, global: s.binding !== 'local' };
  }

  private equValue(s: Sym, at: Pos, ctxAt: (section: string, offset: number) => EvalContext): Value {
    if (s.evaluating) fail('expression', `symbol ${s.name} is defined in terms of itself`, at);
    s.evaluating = true;
    try {
      return evaluate(s.equ!.expr, ctxAt(s.equ!.section, s.equ!.offset));
    } finally {
      s.evaluating = false;
    }
  }

  private symbolValue(name: string, at: Pos): Value {
    const s = this.symbols.get(name);
    if (s?.kind === 'label') {
      return this.fixed ? { add: BigInt(this.addr(s.section!) + s.offset), sym: null } : { add: 0n, sym: this.ref(s) };
    }
    if (s?.kind === 'equ') return this.equValue(s, at, (sec, off) => this.ctx2(sec, off));
    const ext = this.external(name);
    if (ext !== undefined) return { add: BigInt(ext), sym: null };
    if (name.includes(':')) {
      fail('undefined-symbol', `forward reference ${name.split(':')[0]}f: no label ${name.split(':')[0]}: after this line`, at);
    }
    if (this.fixed) fail('undefined-symbol', `undefined symbol ${name}: define it or pass its address in options.symbols`, at);
    if (s?.kind === 'common') return { add: 0n, sym: { name, section: null, offset: 0, global: true } };
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
    for (const st of lex(source, this.diag)) {
      try {
        const p = parseStatement(st);
        for (const l of p.labels) this.defineLabel(l);
        if (p.k === 'insn') instruction(this, p, st);
        else if (p.k === 'directive') directive(this, p, st);
        else if (p.k === 'assign') assignment(this, p, st);
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        this.diag.error(e.code, e.message, e.at);
      }
    }
    this.finishSections();
    this.layout();
    const out = this.pass2();
    if (this.diag.list.length > 0) throw AsmError.collect(this.diag.list);
    return out;
  }

  /** GNU as pads code sections to their alignment with nops. Allocates local commons in .bss. */
  private finishSections(): void {
    for (const s of this.symbols.values()) {
      if (s.kind === 'common' && (this.fixed || s.binding === 'local')) {
        const bss = this.section('.bss');
        const c = s.common!;
        if (c.align > bss.align) bss.align = c.align;
        bss.size += (c.align - (bss.size % c.align)) % c.align;
        s.kind = 'label';
        s.section = '.bss';
        s.offset = bss.size;
        bss.size += c.size;
        s.common = null;
      }
    }
    for (const s of this.sections.values()) {
      if (!s.flags.exec || s.nobits || s.size % s.align === 0) continue;
      const keep = this.cur;
      this.cur = s;
      this.alignTo(s.align, null, null, { line: 0, col: 0 });
      this.cur = keep;
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
      for (const it of s.items) {
        try {
          if (it.k === 'bytes') bytes.set(it.bytes, it.off);
          else if (it.k === 'insn') this.encodeInsn(s, it, bytes);
          else this.encodeValue(s, it, bytes);
        } catch (e) {
          if (!(e instanceof StatementError)) throw e;
          this.diag.error(e.code, e.message, e.at);
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

  private encodeInsn(s: Section, it: Extract<Item, { k: 'insn' }>, bytes: Uint8Array): void {
    const env = { ctx: this.ctx2(s.name, it.off), fixed: this.fixed, section: s.name, offset: it.off, address: this.addr(s.name) + it.off };
    let word = it.m.word;
    for (const fill of it.m.imms) {
      const r = encodeImm(fill, it.m.cf.form, env);
      word = (word | r.bits) >>> 0;
      if (r.reloc) this.reloc(s.name, it.off, r.reloc);
    }
    bytes[it.off] = word >>> 24;
    bytes[it.off + 1] = (word >>> 16) & 0xff;
    bytes[it.off + 2] = (word >>> 8) & 0xff;
    bytes[it.off + 3] = word & 0xff;
  }

  private encodeValue(s: Section, it: Extract<Item, { k: 'value' }>, bytes: Uint8Array): void {
    const v = evaluate(it.expr, this.ctx2(s.name, it.off));
    let x = 0n;
    if (v.sym !== null) this.reloc(s.name, it.off, { type: (it.ua ? UA_RELOC : DATA_RELOC)[it.size]!, value: v, at: it.at });
    else {
      const bits = BigInt(it.size * 8);
      if (it.size < 8 && (v.add >= 1n << bits || v.add < -(1n << (bits - 1n)))) {
        fail('range', `${v.add} does not fit ${it.size} byte${it.size > 1 ? 's' : ''}`, it.at);
      }
      x = BigInt.asUintN(it.size * 8, v.add);
    }
    for (let k = it.size - 1; k >= 0; k--) {
      bytes[it.off + k] = Number(x & 0xffn);
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
          section = s.section;
          value = this.addr(s.section!) + s.offset;
        } else if (s.kind === 'equ') {
          const v = this.equValue(s, s.at!, (sec, off) => this.ctx2(sec, off));
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
          const v = evaluate(s.size.expr, this.ctx2(s.size.section, s.size.offset));
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

let nop: number | null = null;
/** The nop word, from the table's `nop` form. */
function nopWord(): number {
  nop ??= formsNamed('nop')[0]!.form.match;
  return nop;
}

/** Assembles GNU as SPARC source. Throws AsmError (with every diagnostic in `all`) on errors. */
export function assemble(source: string, options: AsmOptions = {}): AsmOutput {
  return new Assembler(options).run(source);
}
