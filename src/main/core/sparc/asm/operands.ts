// Instruction operands: parsing GNU as operand text (registers, [addresses] with ASIs, %hi()
// expressions) and matching it against the table forms' operand syntax.
import { fieldMask } from '../fields.ts';
import { hprivRegName, privRegName, v9aAsrName } from '../names.ts';
import type { AliasRow, FieldName, Mode } from '../types.ts';
import { MODE_BIT } from '../types.ts';
import { type Pos, fail } from './errors.ts';
import { Cursor, type Expr, type ParseOptions, parseExpr } from './expr.ts';
import type { CompiledForm } from './forms.ts';
import type { Token } from './lexer.ts';

/** One written operand, normalised: register terms, the rest of the sum, brackets, ASI. */
export interface Operand {
  readonly at: Pos;
  readonly bracket: boolean;
  /** Registers added in the address or standing alone (lower-case names). */
  readonly regs: readonly { readonly name: string; readonly at: Pos }[];
  /** The non-register part of the sum (null when absent). */
  readonly imm: Expr | null;
  /** After `[...]`: `%asi` (reg) or an ASI expression. */
  readonly asi: { readonly reg: string; readonly at: Pos } | { readonly expr: Expr; readonly at: Pos } | null;
}

/** Splits the operand tokens at top-level commas and parses each operand. */
export function parseOperands(toks: readonly Token[], start: number, end: number, po: ParseOptions, endPos: Pos): Operand[] {
  const out: Operand[] = [];
  if (start >= end) return out;
  let depth = 0;
  let from = start;
  for (let k = start; k <= end; k++) {
    const t = toks[k];
    if (k === end || (t!.kind === 'punct' && t!.text === ',' && depth === 0)) {
      if (from === k) fail('syntax', 'expected an operand before \',\'', k < end ? t! : endPos);
      out.push(parseOperand(new Cursor(toks, from, k, endPos), po));
      from = k + 1;
      continue;
    }
    if (t!.kind === 'punct' && (t!.text === '[' || t!.text === '(')) depth++;
    if (t!.kind === 'punct' && (t!.text === ']' || t!.text === ')')) depth--;
  }
  if (from === end && toks[end - 1]?.text === ',') fail('syntax', 'expected an operand after \',\'', endPos);
  return out;
}

function parseOperand(c: Cursor, po: ParseOptions): Operand {
  const at = c.pos();
  const ro: ParseOptions = { ...po, regs: true };
  if (c.eat('[')) {
    const e = parseExpr(c, ro);
    if (!c.eat(']')) fail('syntax', `expected ']' to close the address, found ${c.describe()}`, c.pos());
    let asi: Operand['asi'] = null;
    if (!c.atEnd()) {
      const t = c.peek()!;
      const tat = { line: t.line, col: t.col };
      if (t.kind === 'reg' && t.text === '%asi') {
        c.i++;
        asi = { reg: '%asi', at: tat };
      } else asi = { expr: parseExpr(c, po), at: tat };
    }
    if (!c.atEnd()) fail('syntax', `unexpected ${c.describe()} after the address: expected ',' or end of line`, c.pos());
    return { at, bracket: true, ...splitSum(e), asi };
  }
  const e = parseExpr(c, ro);
  if (!c.atEnd()) fail('syntax', `unexpected ${c.describe()} in operand: expected ',' or end of line`, c.pos());
  return { at, bracket: false, ...splitSum(e), asi: null };
}

/** Separates `%r1 + %r2 + expr - expr` into register terms and the remaining expression. */
function splitSum(e: Expr): { regs: { name: string; at: Pos }[]; imm: Expr | null } {
  const regs: { name: string; at: Pos }[] = [];
  const rest: { neg: boolean; e: Expr; at: Pos }[] = [];
  const walk = (x: Expr, neg: boolean): void => {
    if (x.k === 'bin' && (x.op === '+' || x.op === '-')) {
      walk(x.l, neg);
      walk(x.r, x.op === '-' ? !neg : neg);
      return;
    }
    if (x.k === 'reg') {
      if (neg) fail('syntax', `register ${x.name} cannot be subtracted: expected reg + reg or reg ± constant`, x.at);
      regs.push({ name: x.name, at: x.at });
      return;
    }
    assertNoReg(x);
    rest.push({ neg, e: x, at: x.at });
  };
  walk(e, false);
  let imm: Expr | null = null;
  for (const r of rest) {
    if (imm === null) imm = r.neg ? { k: 'un', op: '-', e: r.e, at: r.at } : r.e;
    else imm = { k: 'bin', op: r.neg ? '-' : '+', l: imm, r: r.e, at: r.at };
  }
  return { regs, imm };
}

function assertNoReg(x: Expr): void {
  switch (x.k) {
    case 'reg':
      fail('syntax', `register ${x.name} not allowed inside an expression: expected reg + reg or reg ± constant`, x.at);
    // falls through
    case 'un':
    case 'reloc':
      assertNoReg(x.e);
      return;
    case 'bin':
      assertNoReg(x.l);
      assertNoReg(x.r);
      return;
    default:
  }
}

// ---- registers ----

const INT_NAMES: Readonly<Record<string, number>> = (() => {
  const m: Record<string, number> = { '%sp': 14, '%fp': 30 };
  ['g', 'o', 'l', 'i'].forEach((b, k) => {
    for (let n = 0; n < 8; n++) m[`%${b}${n}`] = k * 8 + n;
  });
  for (let n = 0; n < 32; n++) m[`%r${n}`] = n;
  return m;
})();

/** Inverts one of names.ts's number → name functions. */
function invert(fn: (n: number) => string, from: number, to: number): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  for (let n = from; n <= to; n++) {
    const name = fn(n);
    if (name === '%reserved' || /^%resv\d+$/.test(name) || m.has(name)) continue;
    m.set(name, n);
  }
  return m;
}

const PRIV = invert(privRegName, 0, 31);
const HPRIV = invert(hprivRegName, 0, 31);
const VASR = invert(v9aAsrName, 16, 28);

const numbered = (name: string, prefix: string, max: number): number | null => {
  if (!name.startsWith(prefix)) return null;
  const s = name.slice(prefix.length);
  if (!/^(0|[1-9][0-9]?)$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
};

/** Register number of a register token's operand, or null when the name is not of that class. */
function regValue(tok: string, name: string): number | null {
  switch (tok) {
    case 'rs1': case 'rs2': case 'rd':
      return INT_NAMES[name] ?? null;
    case 'frs1': case 'frs2': case 'frd':
      return numbered(name, '%f', 31);
    case 'drs1': case 'drs2': case 'drd':
    case 'qrs1': case 'qrs2': case 'qrd': {
      // V9 encoding of %f0-%f62 (even): bit 0 of the field holds bit 5 of the number. Quad
      // registers are taken as even too, so every word objdump prints assembles back.
      const n = numbered(name, '%f', 63);
      return n === null || (n & 1) !== 0 ? null : (n & 0x1e) | (n >> 5);
    }
    case 'crd':
      return numbered(name, '%c', 31);
    case 'asr_rs1': case 'asr_rd':
      return numbered(name, '%asr', 31);
    case 'pr_rs1': case 'pr_rd':
      return PRIV.get(name) ?? null;
    case 'hpr_rs1': case 'hpr_rd':
      return HPRIV.get(name) ?? null;
    case 'vasr_rs1': case 'vasr_rd':
      return VASR.get(name) ?? numbered(name, '%asr', 31);
    default:
      return null;
  }
}

/** The field each operand token writes. */
const TOKEN_FIELD: Readonly<Record<string, FieldName>> = {
  rs1: 'rs1', rs2: 'rs2', rd: 'rd', frs1: 'rs1', frs2: 'rs2', frd: 'rd', drs1: 'rs1', drs2: 'rs2', drd: 'rd',
  qrs1: 'rs1', qrs2: 'rs2', qrd: 'rd', crd: 'rd', asr_rs1: 'rs1', asr_rd: 'rd', pr_rs1: 'rs1', pr_rd: 'rd',
  hpr_rs1: 'rs1', hpr_rd: 'rd', vasr_rs1: 'rs1', vasr_rd: 'rd',
  simm13: 'simm13', simm11: 'simm11', simm10: 'simm10', shcnt5: 'shcnt', shcnt6: 'shcnt', imm3: 'imm3',
  const22: 'imm22', hi22: 'imm22', membar: 'membar', prefetch: 'rd', asi: 'asi', impdep: 'opf',
  disp30: 'disp30', disp22: 'disp22', disp19: 'disp19', disp16: 'disp16',
};

/** Plain register fields: GNU as writes them even where objdump wants them zero (`clr %o0` is
 * `or %g0, %g0, %o0` for gas; objdump's register clr requires rd = %g0). */
const PLAIN_REG = new Set(['rs1', 'rs2', 'rd', 'frs1', 'frs2', 'frd', 'drs1', 'drs2', 'drd', 'qrs1', 'qrs2', 'qrd', 'crd']);

/** An immediate operand waiting for pass 2: token (how to encode), expression, position. */
export interface ImmFill {
  readonly tok: string;
  readonly expr: Expr;
  readonly at: Pos;
}

/** The result of matching: the word with every register field set, and the immediates. */
export interface Match {
  readonly cf: CompiledForm;
  readonly word: number;
  readonly imms: readonly ImmFill[];
}

const isPlainReg = (o: Operand): boolean => !o.bracket && o.regs.length === 1 && o.imm === null;
const isExpr = (o: Operand): boolean => !o.bracket && o.regs.length === 0 && o.imm !== null;

/** Tries one form; returns null when the operands do not fit it. */
function tryForm(cf: CompiledForm, ops: readonly Operand[]): Match | null {
  const { pats, form } = cf;
  if (pats.length !== ops.length) return null;
  let word = form.match;
  let ok = true;
  const imms: ImmFill[] = [];
  // A register value must agree with the bits the form fixes in its field; plain register
  // fields fixed only by the form (not by its base row) are objdump-only constraints that GNU as
  // ignores, so there the value is simply or'ed in.
  const put = (tok: string, v: number, field: FieldName = TOKEN_FIELD[tok]!): void => {
    const m = fieldMask(field);
    const bits = putFieldBits(field, v);
    const fixed = form.mask & m;
    const lax = PLAIN_REG.has(tok) ? fixed & ~form.base.mask & ~form.match : 0;
    if (((bits ^ form.match) & fixed & ~lax) !== 0) ok = false;
    word = ((word & ~(m & ~lax)) | bits) >>> 0;
  };
  const tie = (tok: string, v: number): void => {
    put(tok, v);
    if (form.tie !== null && tok === form.tie) put('rd', v, 'rd');
  };
  for (let k = 0; k < pats.length; k++) {
    const p = pats[k]!;
    const o = ops[k]!;
    if (p.k === 'lit') {
      if (!isPlainReg(o) || o.regs[0]!.name !== p.reg) return null;
    } else if (p.k === 'tok') {
      if (TOKEN_FIELD[p.tok] === undefined) return null;
      const v = isPlainReg(o) ? regValue(p.tok, o.regs[0]!.name) : null;
      if (v !== null) tie(p.tok, v);
      else if (isExpr(o) && !REG_TOKENS.has(p.tok)) imms.push({ tok: p.tok, expr: o.imm!, at: o.at });
      else return null;
    } else {
      if (o.bracket !== p.bracket || o.regs.length !== p.regs.length || (o.imm !== null) !== (p.imm !== null)) return null;
      for (let r = 0; r < p.regs.length; r++) {
        const v = INT_NAMES[o.regs[r]!.name];
        if (v === undefined) return null;
        tie(p.regs[r]!, v);
      }
      if (p.imm !== null) imms.push({ tok: p.imm, expr: o.imm!, at: o.at });
      if (p.asi === null) {
        if (o.asi !== null) return null;
      } else if (p.asi === 'asi') {
        if (o.asi === null || !('expr' in o.asi)) return null;
        imms.push({ tok: 'asi', expr: o.asi.expr, at: o.asi.at });
      } else if (o.asi === null || !('reg' in o.asi) || o.asi.reg !== p.asi) return null;
    }
  }
  if (!ok) return null;
  return { cf, word, imms };
}

const REG_TOKENS = new Set([...PLAIN_REG, 'asr_rs1', 'asr_rd', 'pr_rs1', 'pr_rd', 'hpr_rs1', 'hpr_rd', 'vasr_rs1', 'vasr_rd']);

/** Field bits without sign/width checks (the value is a register number). */
function putFieldBits(f: FieldName, v: number): number {
  const m = fieldMask(f);
  const shift = 31 - Math.clz32(m & -m);
  return ((v << shift) & m) >>> 0;
}

/** The first form (GNU as order) in `mode` that takes these operands, or null. V8 forms objdump
 * shows only in V8 still assemble in V8+ code where their base row exists: GNU as accepts the
 * older names `addx`, `subx`, `unimp`, ... there, where objdump prints `addc`, `illtrap`. */
export function matchForms(forms: readonly CompiledForm[], ops: readonly Operand[], mode: Mode): Match | null {
  const bit = MODE_BIT[mode];
  for (const cf of forms) {
    if ((cf.form.modes & bit) === 0) continue;
    const m = tryForm(cf, ops);
    if (m !== null) return m;
  }
  if (mode === 'v8') return null;
  for (const cf of forms) {
    if (!olderForm(cf.form, mode)) continue;
    const m = tryForm(cf, ops);
    if (m !== null) return m;
  }
  return null;
}

/** A V8 form not shown in `mode` whose base row exists in `mode` (see matchForms). */
export function olderForm(form: AliasRow, mode: Mode): boolean {
  const bit = MODE_BIT[mode];
  return (form.modes & bit) === 0 && (form.modes & MODE_BIT.v8) !== 0 && (form.base.modes & bit) !== 0;
}

const TOKEN_TEXT: Readonly<Record<string, string>> = {
  rs1: '%reg', rs2: '%reg', rd: '%reg', frs1: '%fN', frs2: '%fN', frd: '%fN', drs1: '%fN(even)', drs2: '%fN(even)',
  drd: '%fN(even)', qrs1: '%fN(even)', qrs2: '%fN(even)', qrd: '%fN(even)', crd: '%cN', simm13: 'simm13',
  simm11: 'simm11', simm10: 'simm10', shcnt5: '0..31', shcnt6: '0..63', imm3: '0..7', const22: 'const22',
  hi22: '%hi(value)', membar: '#mask', prefetch: 'fcn', asi: 'asi', impdep: 'opf', disp30: 'target',
  disp22: 'target', disp19: 'target', disp16: 'target', asr_rs1: '%asrN', asr_rd: '%asrN', pr_rs1: '%priv',
  pr_rd: '%priv', hpr_rs1: '%hpriv', hpr_rd: '%hpriv', vasr_rs1: '%asr', vasr_rd: '%asr',
};

/** Human-readable syntax of a form for "expected" messages, e.g. `ld [%reg + simm13], %reg`. */
export function describeForm(cf: CompiledForm): string {
  const text = cf.form.syntax.split(' ').filter((x) => x !== '').map((t) => TOKEN_TEXT[t] ?? t);
  let s = '';
  for (const t of text) {
    if (t === ',') s += ',';
    else if (t === ']' || s.endsWith('[') || s === '') s += t;
    else s += ` ${t}`;
  }
  return `${cf.form.name} ${s.replace(/^ /, '')}`.trim();
}

/** Human-readable description of written operands, for messages. */
export function describeOperands(ops: readonly Operand[]): string {
  if (ops.length === 0) return 'no operands';
  return ops.map((o) => {
    const inner = [...o.regs.map((r) => r.name), ...(o.imm ? ['expr'] : [])].join(' + ') || '?';
    const asi = o.asi === null ? '' : 'reg' in o.asi ? ` ${o.asi.reg}` : ' asi';
    return o.bracket ? `[${inner}]${asi}` : inner;
  }).join(', ');
}
