// Statement structure: labels (`name:`, `1:`), then a directive, an instruction (with its ,a /
// ,pt / ,pn suffixes) or an assignment `sym = expr`, then the operand tokens.
import { type Pos, fail } from './errors.ts';
import type { Statement, Token } from './lexer.ts';

export interface Label extends Pos {
  readonly name: string;
  /** Numeric local label (`1:`): its number. */
  readonly local: bigint | null;
}

/** An instruction or directive statement. */
export interface OpStatement {
  readonly k: 'insn' | 'directive';
  readonly labels: readonly Label[];
  /** Lower-cased mnemonic without suffixes, or the directive with its dot ('.word'). */
  readonly name: string;
  readonly nameAt: Pos;
  /** Instruction suffixes in order of writing ('a', 'pt', 'pn'). */
  readonly suffixes: readonly string[];
  /** Operand tokens: statement.tokens[start..]. */
  readonly start: number;
}

/** `sym = expr`. */
export interface AssignStatement {
  readonly k: 'assign';
  readonly labels: readonly Label[];
  readonly name: string;
  readonly nameAt: Pos;
  readonly start: number;
}

export type Parsed = { readonly k: 'none'; readonly labels: readonly Label[] } | OpStatement | AssignStatement;

/** The position just past a statement's last token. */
export function endOf(st: Statement): Pos {
  const last = st.tokens[st.tokens.length - 1]!;
  return { line: last.line, col: last.col + last.text.length };
}

const adjacent = (a: Token, b: Token): boolean => a.line === b.line && a.col + a.text.length === b.col;

export function parseStatement(st: Statement): Parsed {
  const t = st.tokens;
  const labels: Label[] = [];
  let i = 0;
  for (;;) {
    const a = t[i];
    const b = t[i + 1];
    if (a && b && b.kind === 'punct' && b.text === ':' && (a.kind === 'id' || a.kind === 'num')) {
      if (a.kind === 'id' && a.text === '.') fail('syntax', "'.' cannot be a label", a);
      labels.push({ name: a.text, local: a.kind === 'num' ? a.value! : null, line: a.line, col: a.col });
      i += 2;
      continue;
    }
    break;
  }
  const head = t[i];
  if (!head) return { k: 'none', labels };
  const at: Pos = { line: head.line, col: head.col };
  if (head.kind !== 'id') fail('syntax', `expected a label, an instruction or a directive, found '${head.text}'`, at);
  const eq = t[i + 1];
  if (eq && eq.kind === 'punct' && eq.text === '=') return { k: 'assign', labels, name: head.text, nameAt: at, start: i + 2 };
  if (head.text.startsWith('.') && head.text.length > 1) {
    return { k: 'directive', labels, name: head.text.toLowerCase(), nameAt: at, suffixes: [], start: i + 1 };
  }
  const suffixes: string[] = [];
  let j = i + 1;
  let prev = head;
  for (;;) {
    const comma = t[j];
    const word = t[j + 1];
    if (!comma || !word || comma.kind !== 'punct' || comma.text !== ',' || !adjacent(prev, comma) || !adjacent(comma, word) || word.kind !== 'id') break;
    const s = word.text.toLowerCase();
    if (s !== 'a' && s !== 'pt' && s !== 'pn') break;
    suffixes.push(s);
    prev = word;
    j += 2;
  }
  return { k: 'insn', labels, name: head.text.toLowerCase(), nameAt: at, suffixes, start: j };
}
