// Encoder: base row (or form) + field values → instruction word; the inverse of decode().
import { FIELDS, fieldMask, getField, putField } from './fields.ts';
import type { AliasRow, FieldName, FieldValues, InstrRow, Instruction } from './types.ts';

/** A field value does not fit, or contradicts the bits the row fixes. */
export class SparcEncodeError extends Error {
  readonly code: 'range' | 'fixed' | 'unknown-row';
  constructor(code: 'range' | 'fixed' | 'unknown-row', message: string) {
    super(message);
    this.name = 'SparcEncodeError';
    this.code = code;
  }
}

function width(name: FieldName): number {
  return FIELDS[name].parts.reduce((s, [, w]) => s + w, 0);
}

/** Encodes without checks: the row's fixed bits, then each listed field (its free bits), then the
 * reserved bits. encode(insn.row, fieldsOf(insn)) === insn.word for every decodable word. */
export function encode(row: InstrRow | AliasRow, values: FieldValues): number {
  const fields = 'fields' in row ? row.fields : row.base.fields;
  const reservedMask = 'reservedMask' in row ? row.reservedMask : row.base.reservedMask;
  let w = row.match;
  for (const f of fields) {
    const v = values[f];
    if (v !== undefined) w |= putField(f, v) & ~row.mask;
  }
  if (values.reserved !== undefined) w |= values.reserved & reservedMask & ~row.mask;
  return w >>> 0;
}

/** Encodes and checks: every value must fit its field (signed fields accept -2^(n-1)..2^n-1, so
 * both signed and unsigned spellings work) and agree with the bits the row fixes. */
export function encodeChecked(row: InstrRow | AliasRow, values: FieldValues): number {
  if ('id' in row && row.id === 'unknown') throw new SparcEncodeError('unknown-row', 'cannot encode the unknown row');
  for (const [name, v] of Object.entries(values) as [FieldName | 'reserved', number][]) {
    if (name === 'reserved') continue;
    const n = width(name);
    const lo = FIELDS[name].signed ? -(2 ** (n - 1)) : 0;
    if (!Number.isInteger(v) || v < lo || v >= 2 ** n) {
      throw new SparcEncodeError('range', `field ${name} = ${v} does not fit ${n} bits`);
    }
    const bits = putField(name, v);
    const fixed = fieldMask(name) & row.mask;
    if (((bits ^ row.match) & fixed) !== 0) {
      const want = getField(row.match, name);
      throw new SparcEncodeError('fixed', `field ${name} = ${v} contradicts the encoding of ${'id' in row ? row.id : row.name} (${name} = ${want} there)`);
    }
  }
  return encode(row, values);
}

/** The field values of a decoded instruction (its row's fields plus reserved bits). */
export function fieldsOf(insn: Instruction): FieldValues {
  const out: Partial<Record<FieldName, number>> & { reserved?: number } = {};
  for (const f of insn.row.fields) out[f] = getField(insn.word, f);
  const reserved = (insn.word & insn.row.reservedMask) >>> 0;
  if (reserved !== 0) out.reserved = reserved;
  return out;
}
