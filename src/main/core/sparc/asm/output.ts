// Pass 2: evaluates every expression now that all symbols have a place, encodes instructions and
// data into section bytes, and records relocations and the symbol table.
import type { Assembler } from './assemble.ts';
import { StatementError, fail } from './errors.ts';
import { evaluate } from './expr.ts';
import { RELOC_TYPES, type RelocRequest, type RelocType, encodeImm } from './encode.ts';
import type { Chunk, Item } from './sections.ts';
import type { AsmOutput, AsmRelocation, AsmSection, AsmSymbol } from './types.ts';

const DATA_RELOC: Readonly<Record<number, RelocType>> = { 1: 'R_SPARC_8', 2: 'R_SPARC_16', 4: 'R_SPARC_32', 8: 'R_SPARC_64' };
const UA_RELOC: Readonly<Record<number, RelocType>> = { 1: 'R_SPARC_8', 2: 'R_SPARC_UA16', 4: 'R_SPARC_UA32', 8: 'R_SPARC_UA64' };

/** Runs `f`, turning a StatementError into a diagnostic. */
function guarded(asm: Assembler, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    asm.diag.error(e.code, e.message, e.at);
  }
}

export function pass2(asm: Assembler): AsmOutput {
  const relocs: AsmRelocation[] = [];
  const sections: AsmSection[] = [];
  for (const s of asm.sections.values()) {
    const bytes = new Uint8Array(s.size);
    for (const p of s.pads) bytes.set(p.bytes, p.off);
    for (const c of s.chunks.values()) {
      for (const it of c.items) {
        guarded(asm, () => {
          if (it.k === 'bytes') bytes.set(it.bytes, c.base + it.off);
          else if (it.k === 'insn') encodeInsn(asm, c, it, bytes, relocs);
          else encodeValue(asm, c, it, bytes, relocs);
        });
      }
    }
    sections.push({
      name: s.name, address: asm.addr(s.name), bytes, size: s.size, align: s.align,
      flags: { ...s.flags }, type: s.nobits ? 'nobits' : 'progbits',
    });
  }
  const symbols = outputSymbols(asm);
  const text = sections.find((x) => x.name === '.text')!;
  const words = new Uint32Array(Math.ceil(text.size / 4));
  for (let k = 0; k < words.length; k++) {
    const b = (j: number): number => text.bytes[4 * k + j] ?? 0;
    words[k] = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  }
  const bySection = new Map(sections.map((x) => [x.name, x]));
  const bySymbol = new Map(symbols.map((x) => [x.name, x]));
  return {
    mode: asm.mode, sections, symbols, relocations: relocs, text, words,
    section: (name) => bySection.get(name), symbol: (name) => bySymbol.get(name),
  };
}

function put32(bytes: Uint8Array, off: number, word: number): void {
  bytes[off] = word >>> 24;
  bytes[off + 1] = (word >>> 16) & 0xff;
  bytes[off + 2] = (word >>> 8) & 0xff;
  bytes[off + 3] = word & 0xff;
}

function encodeInsn(asm: Assembler, c: Chunk, it: Extract<Item, { k: 'insn' }>, bytes: Uint8Array, relocs: AsmRelocation[]): void {
  const sec = c.section.name;
  const off = c.base + it.off;
  const env = { ctx: asm.ctx2({ chunk: c, offset: it.off }), fixed: asm.fixed, section: sec, offset: off, address: asm.addr(sec) + off };
  let word = it.m.word;
  for (const fill of it.m.imms) {
    const r = encodeImm(fill, it.m.cf.form, env);
    word = (word | r.bits) >>> 0;
    if (r.reloc) relocs.push(relocation(sec, off, r.reloc));
  }
  put32(bytes, off, word);
}

function encodeValue(asm: Assembler, c: Chunk, it: Extract<Item, { k: 'value' }>, bytes: Uint8Array, relocs: AsmRelocation[]): void {
  const off = c.base + it.off;
  const v = evaluate(it.expr, asm.ctx2({ chunk: c, offset: it.off }));
  let x = 0n;
  if (v.sym !== null) relocs.push(relocation(c.section.name, off, { type: (it.ua ? UA_RELOC : DATA_RELOC)[it.size]!, value: v, at: it.at }));
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

/** GNU as: globals and externals are relocated against themselves, local labels against their
 * section (the addend then includes the label's offset); a constant against no symbol. */
function relocation(section: string, offset: number, r: RelocRequest): AsmRelocation {
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
  return { section, offset, type: r.type, typeNumber: RELOC_TYPES[r.type], symbol, addend: Number(BigInt.asIntN(32, addend)) };
}

function outputSymbols(asm: Assembler): AsmSymbol[] {
  const out: AsmSymbol[] = [];
  for (const s of asm.symbols.values()) {
    if (s.name.includes(':')) continue; // numeric local labels
    guarded(asm, () => {
      let section: string | null = null;
      let value = 0;
      let defined = true;
      if (s.kind === 'label') {
        section = s.chunk!.section.name;
        value = asm.addr(section) + s.chunk!.base + s.offset;
      } else if (s.kind === 'equ') {
        const v = asm.equValue(s, s.at!, (h) => asm.ctx2(h));
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
        const v = evaluate(s.size.expr, asm.ctx2(s.size.at));
        if (v.sym !== null) fail('expression', `.size of ${s.name} must be a constant`, s.size.expr.at);
        size = Number(v.add);
      }
      out.push({ name: s.name, section, value, defined, binding: s.binding, type: s.type, size });
    });
  }
  return out;
}
