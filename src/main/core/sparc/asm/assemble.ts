// The assembler driver: pass 1 lays out every statement (sizes never depend on later symbols),
// pass 2 evaluates expressions, encodes instructions and data, and records relocations.
import type { Mode } from '../types.ts';
import { AsmError, Diagnostics, type Pos, StatementError, fail } from './errors.ts';
import { Cursor, type EvalContext, type Expr, type ParseOptions, type Value, evaluate, parseExpr } from './expr.ts';
import { assignment, directive } from './directives.ts';
import { instruction } from './instructions.ts';
import { type Statement, lex } from './lexer.ts';
import type { Match } from './operands.ts';
import { pass2 } from './output.ts';
import { type Label, endOf, parseStatement } from './parse.ts';
import { type Chunk, type Here, type Section, defaultFlags, padding } from './sections.ts';
import type { AsmOptions, AsmOutput } from './types.ts';

export type { Chunk, Here, Section } from './sections.ts';

export interface Sym {
  readonly name: string;
  kind: 'label' | 'equ' | 'common' | 'undef';
  chunk: Chunk | null;
  offset: number;
  binding: 'local' | 'global' | 'weak';
  /** Declared with .local (a .comm of it then goes to .bss). */
  declaredLocal: boolean;
  type: string | null;
  size: { expr: Expr; at: Here } | null;
  equ: { expr: Expr; at: Here } | null;
  common: { size: number; align: number } | null;
  at: Pos | null;
  evaluating: boolean;
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
  private budget = 0;

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

  /** Places an instruction. Like GNU as, neither checks nor raises alignment (`.byte 1; nop`
   * puts the nop at offset 1); the section's .align directives decide. */
  emitInsn(m: Match, at: Pos): void {
    const c = this.cur;
    if (c.section.nobits) fail('directive', `section ${c.section.name} holds no data: instructions belong in .text`, at);
    c.items.push({ k: 'insn', off: c.size, m, at });
    c.size += 4;
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
      s = { name, kind: 'undef', chunk: null, offset: 0, binding: 'local', declaredLocal: false, type: null, size: null, equ: null, common: null, at: null, evaluating: false };
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
    // GNU as lets a label be defined again at the same place.
    if (s.kind === 'label' && s.chunk === this.cur && s.offset === this.cur.size) return;
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

  equValue(s: Sym, at: Pos, ctxAt: (h: Here) => EvalContext): Value {
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
    const out = pass2(this);
    if (this.diag.list.length > 0) throw AsmError.collect(this.diag.list);
    return out;
  }

  /** Processes statements; `.rept n` ... `.endr` blocks repeat (nesting allowed). */
  private statements(list: readonly Statement[], depth: number): void {
    for (let k = 0; k < list.length; k++) {
      const st = list[k]!;
      if (this.budget > MAX_STATEMENTS) return;
      if (++this.budget > MAX_STATEMENTS) {
        this.diag.error('range', `more than ${MAX_STATEMENTS} statements (.rept expansion): giving up`, st);
        return;
      }
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
      if (s.kind === 'common' && (this.fixed || s.declaredLocal)) this.allocateBss(s, s.common!.size, s.common!.align);
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

}

/** Statements one source may expand to (a guard against runaway .rept nesting). */
const MAX_STATEMENTS = 2_000_000;

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

/** Assembles GNU as SPARC source. Throws AsmError (with every diagnostic in `all`) on errors. */
export function assemble(source: string, options: AsmOptions = {}): AsmOutput {
  return new Assembler(options).run(source);
}
