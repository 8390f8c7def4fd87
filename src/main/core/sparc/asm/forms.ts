// The assembler's view of the instruction table: every form (AliasRow) by mnemonic, its operand
// syntax compiled into patterns, in the order GNU as tries them.
//
// GNU as takes the FIRST opcode-table entry (opcodes/sparc-opc.c order) whose operand syntax fits;
// the table keeps its forms in objdump's preference order instead, and records each form's
// declaration index (AliasRow.seq), which follows sparc-opc.c order.
import { ALIAS_ROWS } from '../table.ts';
import type { AliasRow, Mode } from '../types.ts';
import { MODE_BIT } from '../types.ts';

/** One operand of a form's syntax. */
export type Pat =
  /** A memory address `[ ... ]` (with an optional ASI after it) or a bare address `rs1 + x`. */
  | { readonly k: 'addr'; readonly bracket: boolean; readonly regs: readonly string[]; readonly imm: string | null; readonly asi: string | null }
  /** A field token (register field, immediate, target, named register). */
  | { readonly k: 'tok'; readonly tok: string }
  /** A literal register such as %y, %icc, %fsr. */
  | { readonly k: 'lit'; readonly reg: string };

export interface CompiledForm {
  readonly form: AliasRow;
  readonly pats: readonly Pat[];
  /** GNU as trial order (declaration order in the table modules). */
  readonly seq: number;
}

/** Splits a syntax string into operand patterns. */
export function compileSyntax(syntax: string): Pat[] {
  const toks = syntax.split(' ').filter((x) => x !== '');
  const groups: string[][] = [[]];
  for (const t of toks) {
    if (t === ',') groups.push([]);
    else groups[groups.length - 1]!.push(t);
  }
  if (groups.length === 1 && groups[0]!.length === 0) return [];
  return groups.map((g): Pat => {
    const bracket = g[0] === '[';
    if (bracket || g.includes('+')) {
      const close = bracket ? g.indexOf(']') : g.length;
      const inner = g.slice(bracket ? 1 : 0, close).filter((x) => x !== '+');
      const after = bracket ? g.slice(close + 1) : [];
      const regs = inner.filter((x) => x === 'rs1' || x === 'rs2');
      const imm = inner.find((x) => x !== 'rs1' && x !== 'rs2') ?? null;
      return { k: 'addr', bracket, regs, imm, asi: after[0] ?? null };
    }
    if (g.length !== 1) throw new Error(`asm: cannot compile operand '${g.join(' ')}' of syntax '${syntax}'`);
    const tok = g[0]!;
    return tok.startsWith('%') ? { k: 'lit', reg: tok } : { k: 'tok', tok };
  });
}

function build(): Map<string, CompiledForm[]> {
  const byName = new Map<string, CompiledForm[]>();
  ALIAS_ROWS.forEach((form) => {
    const seq = form.seq;
    const list = byName.get(form.name) ?? [];
    list.push({ form, pats: compileSyntax(form.syntax), seq });
    byName.set(form.name, list);
  });
  for (const list of byName.values()) list.sort((a, b) => a.seq - b.seq);
  return byName;
}

let index: Map<string, CompiledForm[]> | null = null;

/** All forms named `name` (any mode), in GNU as trial order. */
export function formsNamed(name: string): readonly CompiledForm[] {
  index ??= build();
  return index.get(name) ?? [];
}

/** Every mnemonic (with ,a / ,pn suffixes) the table knows in `mode`. */
export function mnemonics(mode: Mode): string[] {
  index ??= build();
  const bit = MODE_BIT[mode];
  return [...index.entries()].filter(([, l]) => l.some((c) => (c.form.modes & bit) !== 0)).map(([n]) => n);
}
