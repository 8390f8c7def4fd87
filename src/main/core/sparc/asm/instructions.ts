// Instruction statements: mnemonic suffixes (,a ,pt ,pn), the table-driven form match, and the
// synthetic `set`/`setuw`/`setsw` that GNU as expands itself (built from the table's sethi/or/xor/sra).
import type { Mode } from '../types.ts';
import { MODE_BIT } from '../types.ts';
import type { Assembler } from './assemble.ts';
import { type Pos, fail } from './errors.ts';
import { type Expr, evaluate, isLiteral } from './expr.ts';
import { type CompiledForm, formsNamed, mnemonics } from './forms.ts';
import type { Statement } from './lexer.ts';
import { type Match, type Operand, describeForm, describeOperands, matchForms, parseOperands } from './operands.ts';
import { type OpStatement, endOf } from './parse.ts';

type InsnStatement = OpStatement;

const OTHER_MODES: readonly Mode[] = ['v8', 'v9', 'v9a'];
const MODE_HINT: Readonly<Record<Mode, string>> = { v8: "mode 'v8' (-Av8)", v9: "mode 'v9' (V8+, -Av8plus)", v9a: "mode 'v9a' (V8+A, -Av8plusa)" };

export function instruction(asm: Assembler, p: InsnStatement, st: Statement): void {
  const ops = parseOperands(st.tokens, p.start, st.tokens.length, asm.parseOptions(), endOf(st));
  const a = p.suffixes.includes('a');
  const pt = p.suffixes.includes('pt');
  const pn = p.suffixes.includes('pn');
  if (pt && pn) fail('syntax', `${p.name}: ,pt and ,pn together: expected one prediction`, p.nameAt);
  if (new Set(p.suffixes).size !== p.suffixes.length) fail('syntax', `${p.name}: repeated suffix`, p.nameAt);
  if (p.name === 'set' || p.name === 'setuw' || p.name === 'setsw') {
    if (p.suffixes.length > 0) fail('syntax', `${p.name} takes no ,${p.suffixes[0]} suffix`, p.nameAt);
    synthSet(asm, p.name, ops, p.nameAt);
    return;
  }
  if (p.name === 'setx') fail('unsupported', 'setx (64-bit constants) is not supported: use sethi/or with %hh() %hm() %lm() %lo()', p.nameAt);
  const name = p.name + (a ? ',a' : '') + (pn ? ',pn' : '');
  const forms = formsNamed(name);
  if (forms.length === 0) {
    if (formsNamed(p.name).length > 0) fail('syntax', `${p.name} takes no ,${p.suffixes.join(',')} suffix`, p.nameAt);
    const hint = suggest(p.name, asm.mode);
    fail('unknown-mnemonic', `unknown instruction '${p.name}'${hint ? `: did you mean '${hint}'?` : ''}`, p.nameAt);
  }
  // GNU as: `call target, N` (N = argument bytes, written by gcc) ignores N.
  if (p.name === 'call' && ops.length === 2 && !ops[1]!.bracket && ops[1]!.regs.length === 0 && ops[1]!.imm !== null && isLiteral(ops[1]!.imm)) ops.pop();
  const m = matchForms(callConstant(asm, p.name, ops) ? forms.filter((f) => !f.form.syntax.includes('disp30')) : forms, ops, asm.mode);
  if (m === null) mismatch(asm.mode, name, forms, ops, p.nameAt);
  if (pt && m.cf.form.base.format !== 'bpcc' && m.cf.form.base.format !== 'bpr') {
    fail('operands', `${p.name},pt: prediction needs a V9 branch (with %icc, %xcc, %fccN or a register)`, p.nameAt);
  }
  asm.emitInsn(m, p.nameAt);
}

/** GNU as rejects a small constant as a pc-relative call target ("to get better code") and takes
 * the next form, `jmpl const, %o7`. Only in relocatable assembly: at a fixed origin `call 0x40`
 * stays pc-relative, so the formatter's text of a call word assembles back to that word. */
function callConstant(asm: Assembler, name: string, ops: readonly Operand[]): boolean {
  if (name !== 'call' || asm.fixed || ops.length !== 1) return false;
  const o = ops[0]!;
  if (o.bracket || o.regs.length > 0 || o.imm === null || o.imm.k === 'reloc') return false;
  const v = evaluate(o.imm, asm.ctx1());
  return v.sym === null && v.add >= -0x4000n && v.add <= 0x3fffn;
}

function mismatch(mode: Mode, name: string, forms: readonly CompiledForm[], ops: readonly Operand[], at: Pos): never {
  const bit = MODE_BIT[mode];
  const here = forms.filter((f) => (f.form.modes & bit) !== 0);
  for (const other of OTHER_MODES) {
    if (other === mode || (mode === 'v9a' && other === 'v9')) continue;
    if (matchForms(forms, ops, other) !== null) {
      fail('mode', `${name} with these operands needs ${MODE_HINT[other]}; assembling in ${MODE_HINT[mode]}`, at);
    }
  }
  if (here.length === 0) fail('mode', `${name} is not available in ${MODE_HINT[mode]}`, at);
  const expected = [...new Set(here.map(describeForm))];
  const shown = expected.slice(0, 8).join(' | ') + (expected.length > 8 ? ` | … (${expected.length - 8} more)` : '');
  fail('operands', `${name}: operands (${describeOperands(ops)}) fit no form; expected: ${shown}`, at);
}

const reg = (name: string, at: Pos): Operand => ({ at, bracket: false, regs: [{ name, at }], imm: null, asi: null });
const imm = (expr: Expr, at: Pos): Operand => ({ at, bracket: false, regs: [], imm: expr, asi: null });
const num = (v: bigint, at: Pos): Expr => ({ k: 'num', v, at });

function emit(asm: Assembler, name: string, ops: readonly Operand[], at: Pos): void {
  const m: Match | null = matchForms(formsNamed(name), ops, asm.mode);
  if (m === null) fail('operands', `internal: no '${name}' form for the expansion of set`, at);
  asm.emitInsn(m, at);
}

/** GNU as synthetize_setuw / synthetize_setsw (gas/config/tc-sparc.c): sethi and/or or; a
 * constant known at this point takes one instruction when it can, a symbol always two. */
function synthSet(asm: Assembler, name: 'set' | 'setuw' | 'setsw', ops: readonly Operand[], at: Pos): void {
  if (name !== 'set' && asm.mode === 'v8') fail('mode', `${name} needs ${MODE_HINT.v9}`, at);
  const [src, dst] = ops;
  if (ops.length !== 2 || src!.bracket || src!.regs.length > 0 || src!.imm === null || dst!.bracket || dst!.regs.length !== 1 || dst!.imm !== null) {
    fail('operands', `${name}: expected \`${name} value, %reg\`, got (${describeOperands(ops)})`, ops[0]?.at ?? at);
  }
  const e = src!.imm;
  if (e.k === 'reloc') fail('operands', `${name}: expected a plain value, not %${e.op}()`, e.at);
  const rd = dst!.regs[0]!.name;
  const v = evaluate(e, asm.ctx1());
  if (v.sym !== null) {
    emit(asm, 'sethi', [imm({ k: 'reloc', op: 'hi', e, at: e.at }, e.at), reg(rd, at)], at);
    emit(asm, 'or', [reg(rd, at), imm({ k: 'reloc', op: 'lo', e, at: e.at }, e.at), reg(rd, at)], at);
    if (name === 'setsw') emit(asm, 'sra', [reg(rd, at), reg('%g0', at), reg(rd, at)], at);
    return;
  }
  let x = v.add;
  if (x < -(1n << 31n) || x > 0xffffffffn) fail('range', `${name}: ${x} is not in -2147483648..4294967295`, e.at);
  if (asm.mode === 'v8') x = BigInt.asIntN(32, x);
  const low32 = BigInt.asIntN(32, x);
  if (name === 'setsw' && low32 < 0n) {
    if (low32 < -4096n) {
      emit(asm, 'sethi', [imm(num((~x >> 10n) & 0x3fffffn, e.at), e.at), reg(rd, at)], at);
      emit(asm, 'xor', [reg(rd, at), imm(num((0x1c00n | (low32 & 0x3ffn)) - 0x2000n, e.at), e.at), reg(rd, at)], at);
    } else emit(asm, 'or', [reg('%g0', at), imm(num(low32, e.at), e.at), reg(rd, at)], at);
    return;
  }
  const needHi = x >= 4096n || x < -4096n;
  if (needHi) emit(asm, 'sethi', [imm(num((x >> 10n) & 0x3fffffn, e.at), e.at), reg(rd, at)], at);
  if (!needHi) emit(asm, 'or', [reg('%g0', at), imm(num(x, e.at), e.at), reg(rd, at)], at);
  else if ((x & 0x3ffn) !== 0n) emit(asm, 'or', [reg(rd, at), imm(num(x & 0x3ffn, e.at), e.at), reg(rd, at)], at);
}

/** The closest known mnemonic (edit distance ≤ 2), for "did you mean". */
function suggest(name: string, mode: Mode): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const m of [...mnemonics(mode), 'set']) {
    if (m.includes(',')) continue;
    const d = distance(name, m, bestD);
    if (d < bestD) {
      bestD = d;
      best = m;
    }
  }
  return best;
}

function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
