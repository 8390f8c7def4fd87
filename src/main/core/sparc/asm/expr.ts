// Expressions: parser (GNU as operator precedence) and evaluator over 64-bit integers with at
// most one relocatable symbol, as GNU as computes them (`sym + k`, `a - b` in one section).
import { type Pos, fail } from './errors.ts';
import type { Token } from './lexer.ts';

/** %hi-style relocation operators (SPARC psABI): hi/lo 22/10 bits; hh/hm (alias uhi/ulo), lm,
 * h44/m44/l44 and hix/lox for the V9 code models. */
export type RelocOp = 'hi' | 'lo' | 'hh' | 'hm' | 'lm' | 'uhi' | 'ulo' | 'h44' | 'm44' | 'l44' | 'hix' | 'lox';
export const RELOC_OPS: ReadonlySet<string> = new Set(['%hi', '%lo', '%hh', '%hm', '%lm', '%uhi', '%ulo', '%h44', '%m44', '%l44', '%hix', '%lox']);

export type Expr =
  | { readonly k: 'num'; readonly v: bigint; readonly at: Pos }
  | { readonly k: 'sym'; readonly name: string; readonly at: Pos }
  | { readonly k: 'dot'; readonly at: Pos }
  | { readonly k: 'hash'; readonly name: string; readonly at: Pos }
  | { readonly k: 'reg'; readonly name: string; readonly at: Pos }
  | { readonly k: 'reloc'; readonly op: RelocOp; readonly e: Expr; readonly at: Pos }
  | { readonly k: 'un'; readonly op: string; readonly e: Expr; readonly at: Pos }
  | { readonly k: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr; readonly at: Pos };

/** A token cursor over one statement's tokens. */
export class Cursor {
  readonly toks: readonly Token[];
  i: number;
  readonly end: number;
  /** Position just past the statement, for "expected ... at end" messages. */
  readonly endPos: Pos;
  constructor(toks: readonly Token[], i = 0, end = toks.length, endPos?: Pos) {
    this.toks = toks;
    this.i = i;
    this.end = end;
    const last = toks[end - 1];
    this.endPos = endPos ?? (last ? { line: last.line, col: last.col + last.text.length } : { line: 1, col: 1 });
  }
  peek(): Token | undefined {
    return this.i < this.end ? this.toks[this.i] : undefined;
  }
  atEnd(): boolean {
    return this.i >= this.end;
  }
  next(): Token | undefined {
    return this.i < this.end ? this.toks[this.i++] : undefined;
  }
  /** Consumes punctuation `p` when it is next. */
  eat(p: string): boolean {
    const t = this.peek();
    if (t && t.kind === 'punct' && t.text === p) {
      this.i++;
      return true;
    }
    return false;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }
  /** Position of the next token (or the end of the statement). */
  pos(): Pos {
    const t = this.peek();
    return t ? { line: t.line, col: t.col } : this.endPos;
  }
  /** Text of the next token for messages. */
  describe(): string {
    const t = this.peek();
    return t ? `'${t.text}'` : 'end of line';
  }
}

export interface ParseOptions {
  /** Registers (%g1) may appear as atoms (memory addresses, jmpl targets). */
  readonly regs?: boolean;
  /** Maps a numeric local label reference (1b / 1f) to its symbol name. */
  readonly local: (n: bigint, dir: 'b' | 'f', at: Pos) => string;
}

// GNU as precedence (as.info "Infix Operators"): higher binds tighter.
const BINARY: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2,
  '==': 3, '<>': 3, '<': 3, '<=': 3, '>': 3, '>=': 3,
  '+': 4, '-': 4,
  '|': 5, '&': 5, '^': 5,
  '*': 6, '/': 6, '%': 6, '<<': 6, '>>': 6,
};

/** Parses one expression at the cursor. */
export function parseExpr(c: Cursor, o: ParseOptions): Expr {
  return binary(c, o, 1);
}

function binary(c: Cursor, o: ParseOptions, minRank: number): Expr {
  let left = unary(c, o);
  for (;;) {
    const t = c.peek();
    if (!t || t.kind !== 'punct') return left;
    const rank = BINARY[t.text];
    if (rank === undefined || rank < minRank) return left;
    c.i++;
    const right = binary(c, o, rank + 1);
    left = { k: 'bin', op: t.text, l: left, r: right, at: { line: t.line, col: t.col } };
  }
}

function unary(c: Cursor, o: ParseOptions): Expr {
  const t = c.peek();
  if (t && t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '+')) {
    c.i++;
    return { k: 'un', op: t.text, e: unary(c, o), at: { line: t.line, col: t.col } };
  }
  return primary(c, o);
}

function primary(c: Cursor, o: ParseOptions): Expr {
  const t = c.next();
  if (!t) fail('syntax', 'expected an expression at end of line', c.endPos);
  const at: Pos = { line: t.line, col: t.col };
  switch (t.kind) {
    case 'num':
      return { k: 'num', v: t.value!, at };
    case 'id':
      return t.text === '.' ? { k: 'dot', at } : { k: 'sym', name: t.text, at };
    case 'local':
      return { k: 'sym', name: o.local(t.value!, t.text.endsWith('b') ? 'b' : 'f', at), at };
    case 'hash':
      return { k: 'hash', name: t.text, at };
    case 'reg':
      if (RELOC_OPS.has(t.text)) {
        if (!c.eat('(')) fail('syntax', `expected '(' after ${t.text}`, c.pos());
        const e = parseExpr(c, { ...o, regs: false });
        if (!c.eat(')')) fail('syntax', `expected ')' to close ${t.text}(, found ${c.describe()}`, c.pos());
        return { k: 'reloc', op: t.text.slice(1) as RelocOp, e, at };
      }
      if (c.isPunct('(')) fail('unsupported', `${t.text}() is not supported: expected one of ${[...RELOC_OPS].join(' ')}`, at);
      if (!o.regs) fail('syntax', `register ${t.text} not allowed here: expected a number or symbol`, at);
      return { k: 'reg', name: t.text, at };
    case 'punct':
      if (t.text === '(') {
        const e = parseExpr(c, o);
        if (!c.eat(')')) fail('syntax', `expected ')', found ${c.describe()}`, c.pos());
        return e;
      }
      break;
    default:
      break;
  }
  fail('syntax', `expected an expression, found '${t.text}'`, at);
}

/** A symbol as the evaluator sees it. Labels live in a section at an offset; externals have no
 * section. */
export interface SymRef {
  readonly name: string;
  /** Section of a label; null for an undefined (external) symbol. */
  readonly section: string | null;
  /** Offset of a label in its section (valid once `section` is set). */
  readonly offset: number;
  readonly global: boolean;
}

/** `sym + add`, or a plain number when sym is null. */
export interface Value {
  readonly add: bigint;
  readonly sym: SymRef | null;
}

export interface EvalContext {
  /** The value of `.` at the statement. */
  dot(at: Pos): Value;
  /** The value of a symbol (labels, .set symbols, externals). */
  symbol(name: string, at: Pos): Value;
  /** The value of a #name in this operand (membar, prefetch, ASI names). */
  hash(name: string, at: Pos): bigint;
}

const I64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const abs = (v: bigint): Value => ({ add: I64(v), sym: null });

/** Evaluates `e`; throws StatementError (code 'expression') for what GNU as cannot compute. */
export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.k) {
    case 'num':
      return abs(e.v);
    case 'sym':
      return ctx.symbol(e.name, e.at);
    case 'dot':
      return ctx.dot(e.at);
    case 'hash':
      return abs(ctx.hash(e.name, e.at));
    case 'reg':
      fail('syntax', `register ${e.name} not allowed in an expression`, e.at);
    // falls through (fail never returns)
    case 'reloc':
      fail('relocation', `%${e.op}() must be the whole operand`, e.at);
    // falls through
    case 'un': {
      const v = evaluate(e.e, ctx);
      if (e.op === '+') return v;
      if (v.sym) fail('expression', `cannot apply '${e.op}' to symbol ${v.sym.name}: expected a constant`, e.at);
      return abs(e.op === '-' ? -v.add : ~v.add);
    }
    case 'bin':
      return binaryValue(e.op, evaluate(e.l, ctx), evaluate(e.r, ctx), e.at);
  }
}

function binaryValue(op: string, l: Value, r: Value, at: Pos): Value {
  if (op === '+') {
    if (l.sym && r.sym) fail('expression', `cannot add symbols ${l.sym.name} and ${r.sym.name}`, at);
    return { add: I64(l.add + r.add), sym: l.sym ?? r.sym };
  }
  if (op === '-') {
    if (!r.sym) return { add: I64(l.add - r.add), sym: l.sym };
    if (l.sym && l.sym.section !== null && l.sym.section === r.sym.section) {
      return abs(BigInt(l.sym.offset) + l.add - BigInt(r.sym.offset) - r.add);
    }
    fail('expression', `cannot subtract ${r.sym.name}${l.sym ? ` from ${l.sym.name}` : ''}: expected symbols of one section`, at);
  }
  const sym = l.sym ?? r.sym;
  if (sym) fail('expression', `operator '${op}' needs constants, but ${sym.name} is a relocatable symbol`, at);
  const a = l.add;
  const b = r.add;
  switch (op) {
    case '*': return abs(a * b);
    case '/':
    case '%':
      if (b === 0n) fail('expression', 'division by zero', at);
      return abs(op === '/' ? a / b : a % b);
    case '<<': return abs(b >= 64n || b < 0n ? 0n : a << b);
    case '>>': return abs(b >= 64n || b < 0n ? (a < 0n ? -1n : 0n) : a >> b);
    case '&': return abs(a & b);
    case '|': return abs(a | b);
    case '^': return abs(a ^ b);
    case '==': return abs(a === b ? -1n : 0n);
    case '<>': return abs(a !== b ? -1n : 0n);
    case '<': return abs(a < b ? -1n : 0n);
    case '<=': return abs(a <= b ? -1n : 0n);
    case '>': return abs(a > b ? -1n : 0n);
    case '>=': return abs(a >= b ? -1n : 0n);
    case '&&': return abs(a !== 0n && b !== 0n ? 1n : 0n);
    case '||': return abs(a !== 0n || b !== 0n ? 1n : 0n);
    default:
      fail('syntax', `unknown operator '${op}'`, at);
  }
}

/** True when the expression mentions no symbol, `.` or register (a literal constant). */
export function isLiteral(e: Expr): boolean {
  switch (e.k) {
    case 'num': return true;
    case 'un': return isLiteral(e.e);
    case 'bin': return isLiteral(e.l) && isLiteral(e.r);
    default: return false;
  }
}
