// Public API of the SPARC module: the instruction table, decoder, encoder and objdump formatter.
export type {
  AddressPrinter, AliasRow, Control, FieldName, FieldValues, Format, InstrRow, Instruction, Isa, Loc, MemAccess, Mode,
} from './types.ts';
export { ALL_MODES, MODE_BIT } from './types.ts';
export { ALIAS_ROWS, BASE_ROWS, ROW_BY_ID, UNKNOWN_ROW } from './table.ts';
export { decode, decodeRow } from './decode.ts';
export { OPERAND_FIELD, formatInstruction, formatWord, plainAddress, selectForm, type FormatOptions } from './format.ts';
export { FIELDS, fieldMask, getField, putField } from './fields.ts';
export { SparcEncodeError, encode, encodeChecked, fieldsOf } from './encode.ts';
export { effects, type Effects, type Place } from './effects.ts';
export { SymbolTable, type SectionInfo, type SymbolInfo } from './symbols.ts';
export { disassemble, type ListingLine } from './listing.ts';
export * from './asm/index.ts';
