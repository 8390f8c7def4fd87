// The SPARC instruction table: every base row and form, built once from the table-*.ts modules.
//
// Sources: the SPARC V8 manual (Appendix B instruction definitions, Appendix F opcode maps) for
// V8; the V9 manual for the V8+ subset; GNU binutils 2.40 opcodes/sparc-opc.c for what objdump
// accepts and how it writes it (which bits it requires to be zero, which synthetic forms it
// prefers). The modules below describe the rows; finalize() attaches forms to base rows and
// sorts them in objdump's order (see tablekit.ts).
import { aluRows } from './table-alu.ts';
import { controlRows } from './table-ctl.ts';
import { fpRows } from './table-fp.ts';
import { memoryRows } from './table-mem.ts';
import { TableBuilder, finalize } from './tablekit.ts';
import type { AliasRow, InstrRow } from './types.ts';

function build(): InstrRow[] {
  const t = new TableBuilder();
  memoryRows(t);
  aluRows(t);
  controlRows(t);
  fpRows(t);
  return finalize(t);
}

/** All base rows. */
export const BASE_ROWS: readonly InstrRow[] = build();

/** All forms (variants and synthetic aliases), each pointing at its base row. */
export const ALIAS_ROWS: readonly AliasRow[] = BASE_ROWS.flatMap((r) => r.forms);

/** Base rows by id. */
export const ROW_BY_ID: ReadonlyMap<string, InstrRow> = new Map(BASE_ROWS.map((r) => [r.id, r]));

/** The row of words that are no instruction in the decoding mode (objdump prints "unknown"; the
 * emulator raises illegal_instruction, V8 §7.1). */
export const UNKNOWN_ROW: InstrRow = {
  id: 'unknown',
  mnemonic: 'unknown',
  exec: 'unknown',
  format: 'reg',
  match: 0,
  mask: 0,
  fields: [],
  reservedMask: 0xffffffff,
  syntax: '',
  isa: 'v8',
  modes: 7,
  delayed: false,
  annullable: false,
  control: 'none',
  privileged: false,
  reads: [],
  writes: [],
  mem: null,
  forms: [],
};
