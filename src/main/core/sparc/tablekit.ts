// Building blocks for the instruction table: encodings, row specs, form generators, finalisation.
import { FIELDS, fieldMask, putField } from './fields.ts';
import type { AliasRow, Control, FieldName, Format, InstrRow, Isa, Loc, MemAccess } from './types.ts';

/** Mode masks (see MODE_BIT): all modes, V8 only, V8+ (V9 and V9A), V8+A only, V8+ without A. */
export const ALL = 7;
export const V8 = 1;
export const V9UP = 6;
export const V9A = 4;
export const V9ONLY = 2;

/** Fixed bits of an encoding: a word w belongs to it iff (w & mask) === match. */
export interface Enc {
  readonly match: number;
  readonly mask: number;
}

/** Keys accepted by enc(): instruction fields plus the opcode fields. */
export type EncKey = FieldName | 'op' | 'op2' | 'op3';

const OPCODE: Record<'op' | 'op2' | 'op3', readonly [number, number]> = { op: [30, 2], op2: [22, 3], op3: [19, 6] };

function bitsOf(key: EncKey, value: number): Enc {
  if (key === 'op' || key === 'op2' || key === 'op3') {
    const [shift, width] = OPCODE[key];
    const m = (2 ** width - 1) * 2 ** shift;
    return { match: ((value & (2 ** width - 1)) * 2 ** shift) >>> 0, mask: m >>> 0 };
  }
  return { match: putField(key, value), mask: fieldMask(key) };
}

/** Builds an encoding from field values, e.g. enc({ op: 2, op3: 0x02, i: 1, rs1: 0 }). Extra fixed
 * bits: `zero` (must be 0) and `one` (must be 1). */
export function enc(values: Partial<Record<EncKey, number>>, zero = 0, one = 0): Enc {
  let match = 0;
  let mask = 0;
  for (const [k, v] of Object.entries(values) as [EncKey, number][]) {
    const b = bitsOf(k, v);
    if (((match ^ b.match) & mask & b.mask) !== 0) throw new Error(`enc: conflicting ${k}`);
    match |= b.match;
    mask |= b.mask;
  }
  match = (match & ~zero) | one;
  mask |= zero | one;
  return { match: match >>> 0, mask: mask >>> 0 };
}

/** Adds fixed fields to an encoding. */
export function refine(e: Enc, values: Partial<Record<EncKey, number>>, zero = 0, one = 0): Enc {
  const r = enc(values, zero, one);
  if (((e.match ^ r.match) & e.mask & r.mask) !== 0) throw new Error('refine: conflicting fields');
  return { match: (e.match | r.match) >>> 0, mask: (e.mask | r.mask) >>> 0 };
}

/** Splits a set of values of `field` into aligned blocks, each one encoding: used where objdump
 * accepts only some values of a field (e.g. rdpr accepts rs1 0..16 and 31). */
export function blocks(e: Enc, field: FieldName, values: readonly number[]): Enc[] {
  const width = FIELDS[field].parts.reduce((s, [, w]) => s + w, 0);
  const set = new Set(values);
  const out: Enc[] = [];
  const taken = new Set<number>();
  for (let size = width; size >= 0; size--) {
    const n = 2 ** size;
    for (let start = 0; start < 2 ** width; start += n) {
      let all = true;
      for (let v = start; v < start + n && all; v++) all = set.has(v) && !taken.has(v);
      if (!all) continue;
      for (let v = start; v < start + n; v++) taken.add(v);
      const fm = fieldMask(field);
      const lowMask = putField(field, n - 1);
      out.push({ match: (e.match | putField(field, start)) >>> 0, mask: (e.mask | (fm & ~lowMask)) >>> 0 });
    }
  }
  return out;
}

/** Specification of a base row (see InstrRow for the meaning of each member). */
export interface BaseSpec {
  readonly id: string;
  readonly mnemonic: string;
  readonly exec?: string;
  readonly format: Format;
  readonly enc: Enc;
  readonly fields?: readonly FieldName[];
  readonly syntax: string;
  readonly isa: Isa;
  readonly modes: number;
  readonly delayed?: boolean;
  readonly annullable?: boolean;
  readonly control?: Control;
  readonly privileged?: boolean;
  readonly reads?: readonly Loc[];
  readonly writes?: readonly Loc[];
  readonly mem?: MemAccess | null;
}

/** Specification of a form: one objdump opcode-table entry (see AliasRow). */
export interface FormSpec {
  readonly name: string;
  readonly kind?: 'variant' | 'synthetic';
  readonly enc: Enc;
  readonly syntax: string;
  readonly tie?: 'rs1' | 'rs2' | null;
  readonly modes: number;
  readonly deferred?: boolean;
  readonly preferred?: boolean;
  /** objdump leaves F_DELAYED unset although the base row is delayed (V9 return, iprefetch). */
  readonly noDelay?: boolean;
}

const DEFAULT_FIELDS: Readonly<Record<Format, readonly FieldName[]>> = {
  call: ['disp30'],
  sethi: ['imm22', 'rd'],
  unimp: ['imm22'],
  bicc: ['a', 'cond', 'disp22'],
  bpcc: ['a', 'cond', 'bcc', 'p', 'disp19'],
  bpr: ['a', 'rcond', 'p', 'rs1', 'disp16'],
  reg: ['rs1', 'rs2', 'rd', 'asi'],
  imm: ['rs1', 'simm13', 'rd'],
  fpop: ['rs1', 'rs2', 'rd', 'opf'],
};

/** Collects base rows and forms while the table modules run. */
export class TableBuilder {
  readonly bases: BaseSpec[] = [];
  readonly forms: FormSpec[] = [];
  base(spec: BaseSpec): void {
    this.bases.push(spec);
  }
  form(spec: FormSpec): void {
    this.forms.push(spec);
  }
}

interface MutableRow extends Omit<InstrRow, 'forms'> {
  forms: AliasRow[];
}

/** objdump's compare_opcodes on (match, lose) and the alias/preferred/name tie-breakers. */
export function compareForms(a: AliasRow, b: AliasRow): number {
  for (let bit = 0; bit < 32; bit++) {
    const x0 = (a.sortMatch >>> bit) & 1;
    const x1 = (b.sortMatch >>> bit) & 1;
    if (x0 !== x1) return x1 - x0;
  }
  for (let bit = 0; bit < 32; bit++) {
    const x0 = (a.sortLose >>> bit) & 1;
    const x1 = (b.sortLose >>> bit) & 1;
    if (x0 !== x1) return x1 - x0;
  }
  if (a.deferred !== b.deferred) return a.deferred ? 1 : -1;
  if (a.name !== b.name && a.deferred) {
    if (a.preferred) return -1;
    if (b.preferred) return 1;
    return a.name < b.name ? -1 : 1;
  }
  return 0; // identical in objdump's eyes: keep table order (objdump's qsort is a stable merge sort)
}

function sethiComment(f: FormSpec): 'or' | 'add' | null {
  if (f.enc.match === 0x80102000) return 'or';
  if (f.enc.match === 0x80002000) return 'add';
  const t = f.syntax.split(' ');
  const plus = t.indexOf('+');
  if (plus >= 0 && t.slice(plus + 1).some((x) => x === 'simm13' || x === 'simm11' || x === 'simm10')) return 'add';
  return null;
}

/** Turns the collected specs into rows: attaches each form to the base rows it refines (narrowing
 * it to each), sorts forms in objdump order, computes field lists. Throws on an orphan form. */
export function finalize(b: TableBuilder): InstrRow[] {
  const rows: MutableRow[] = b.bases.map((s) => {
    const fixed = s.enc.mask;
    const fields = (s.fields ?? DEFAULT_FIELDS[s.format]).filter((fn) => (fieldMask(fn) & ~fixed) !== 0);
    let covered = 0;
    for (const fn of fields) covered |= fieldMask(fn);
    return {
      id: s.id,
      mnemonic: s.mnemonic,
      exec: s.exec ?? s.mnemonic,
      format: s.format,
      match: s.enc.match >>> 0,
      mask: s.enc.mask >>> 0,
      fields,
      reservedMask: (~fixed & ~covered) >>> 0,
      syntax: s.syntax,
      isa: s.isa,
      modes: s.modes,
      delayed: s.delayed ?? false,
      annullable: s.annullable ?? false,
      control: s.control ?? 'none',
      privileged: s.privileged ?? false,
      reads: s.reads ?? [],
      writes: s.writes ?? [],
      mem: s.mem ?? null,
      forms: [],
    };
  });
  for (const [seq, f] of b.forms.entries()) {
    let attached = 0;
    for (const r of rows) {
      const modes = f.modes & r.modes;
      if (modes === 0) continue;
      if (((f.enc.match ^ r.match) & f.enc.mask & r.mask) !== 0) continue;
      const base = f.name.split(',')[0];
      r.forms.push({
        name: f.name,
        kind: f.kind ?? (base === r.mnemonic ? 'variant' : 'synthetic'),
        match: (f.enc.match | r.match) >>> 0,
        mask: (f.enc.mask | r.mask) >>> 0,
        syntax: f.syntax,
        tie: f.tie ?? null,
        modes,
        deferred: f.deferred ?? false,
        preferred: f.preferred ?? false,
        objdumpDelayed: r.delayed && !(f.noDelay ?? false),
        sethiComment: sethiComment(f),
        sortMatch: f.enc.match >>> 0,
        sortLose: (f.enc.mask & ~f.enc.match) >>> 0,
        seq,
        base: r as InstrRow,
      });
      attached |= modes;
    }
    if ((attached & f.modes) !== f.modes) {
      throw new Error(`table: form ${f.name} '${f.syntax}' (${f.enc.match.toString(16)}/${f.enc.mask.toString(16)}) has no base row in modes ${f.modes & ~attached}`);
    }
  }
  for (const r of rows) {
    const sorted = r.forms.map((form, k) => ({ form, k }));
    sorted.sort((x, y) => compareForms(x.form, y.form) || x.k - y.k);
    r.forms = sorted.map((s) => s.form);
  }
  return rows as InstrRow[];
}
