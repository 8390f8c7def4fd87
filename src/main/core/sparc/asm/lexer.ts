// Lexer: GNU as (SPARC) source → statements of tokens. Comments are `!` to end of line, `#` as the
// first non-blank character of a line, and `/* ... */`; `;` and newlines separate statements.
import { type Diagnostics, type Pos } from './errors.ts';

export type TokKind =
  | 'id' //     symbol or mnemonic or directive: [A-Za-z_.$][A-Za-z0-9_.$]*  ('.' alone is the location counter)
  | 'num' //    integer or character constant (value)
  | 'str' //    "string" (bytes)
  | 'reg' //    %name, lower-cased (registers and %hi-style operators)
  | 'hash' //   #name (membar masks, prefetch functions, ASI names, #function)
  | 'local' //  numeric local label reference: 1b / 1f (value = label number)
  | 'punct'; // operators and punctuation

export interface Token extends Pos {
  readonly kind: TokKind;
  /** Source text ('reg' lower-cased; 'local' like '1b'). */
  readonly text: string;
  /** 'num' and 'local' tokens. */
  readonly value?: bigint;
  /** 'str' tokens: the decoded bytes. */
  readonly bytes?: readonly number[];
}

/** One statement: the tokens between separators (never empty). */
export interface Statement extends Pos {
  readonly tokens: readonly Token[];
}

const ID_START = /[A-Za-z_.$]/;
const ID_PART = /[A-Za-z0-9_.$]/;
const PUNCT2 = new Set(['<<', '>>', '<=', '>=', '==', '<>', '&&', '||']);
const PUNCT1 = new Set(['[', ']', '(', ')', '+', '-', '*', '/', '%', '&', '|', '^', '~', ',', ':', '=', '<', '>', '@']);

const ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };

/** Splits `source` into statements. Lexical errors are reported to `diag`; the statement that
 * contains one is dropped. */
export function lex(source: string, diag: Diagnostics): Statement[] {
  const out: Statement[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let toks: Token[] = [];
  let bad = false;
  let atLineStart = true; // only blanks seen on this line so far
  const n = source.length;

  const pos = (at: number): Pos => ({ line, col: at - lineStart + 1 });
  const flush = (): void => {
    if (toks.length > 0 && !bad) out.push({ line: toks[0]!.line, col: toks[0]!.col, tokens: toks });
    toks = [];
    bad = false;
  };
  const lexError = (msg: string, at: number): void => {
    diag.error('syntax', msg, pos(at));
    bad = true;
  };
  /** Reads one (possibly escaped) character at i; returns [code, next index]. */
  const readChar = (at: number): [number, number] => {
    const c = source[at]!;
    if (c !== '\\') return [source.codePointAt(at)!, at + (source.codePointAt(at)! > 0xffff ? 2 : 1)];
    const e = source[at + 1];
    if (e === undefined) return [92, at + 1];
    if (e in ESCAPES) return [ESCAPES[e]!, at + 2];
    if (e === 'x' || e === 'X') {
      let j = at + 2;
      let v = 0;
      while (j < n && /[0-9a-fA-F]/.test(source[j]!)) v = (v * 16 + parseInt(source[j++]!, 16)) & 0xff;
      return [v, j];
    }
    if (/[0-7]/.test(e)) {
      let j = at + 1;
      let v = 0;
      while (j < n && j < at + 4 && /[0-7]/.test(source[j]!)) v = v * 8 + parseInt(source[j++]!, 8);
      return [v & 0xff, j];
    }
    return [e.charCodeAt(0), at + 2];
  };

  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      flush();
      i++;
      line++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '!') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '#' && atLineStart && toks.length === 0) {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    atLineStart = false;
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      if (end < 0) lexError('unterminated /* comment: expected */', i);
      for (let j = i; j < stop; j++) {
        if (source[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = stop;
      continue;
    }
    if (c === ';') {
      flush();
      i++;
      continue;
    }
    const start = i;
    const p = pos(start);
    if (ID_START.test(c)) {
      while (i < n && ID_PART.test(source[i]!)) i++;
      toks.push({ kind: 'id', text: source.slice(start, i), ...p });
      continue;
    }
    if (/[0-9]/.test(c)) {
      i = lexNumber(source, start, p, toks, lexError);
      continue;
    }
    if (c === '%' && i + 1 < n && /[A-Za-z_]/.test(source[i + 1]!)) {
      i++;
      while (i < n && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      toks.push({ kind: 'reg', text: source.slice(start, i).toLowerCase(), ...p });
      continue;
    }
    if (c === '#' && i + 1 < n && /[A-Za-z_]/.test(source[i + 1]!)) {
      i++;
      while (i < n && ID_PART.test(source[i]!)) i++;
      toks.push({ kind: 'hash', text: source.slice(start, i), ...p });
      continue;
    }
    if (c === '"') {
      const bytes: number[] = [];
      i++;
      let closed = false;
      while (i < n && source[i] !== '\n') {
        if (source[i] === '"') {
          closed = true;
          i++;
          break;
        }
        const [code, next] = readChar(i);
        if (code < 0x80 || source[i] === '\\') bytes.push(code & 0xff);
        else bytes.push(...utf8(code));
        i = next;
      }
      if (!closed) lexError('unterminated string: expected a closing "', start);
      toks.push({ kind: 'str', text: source.slice(start, i), bytes, ...p });
      continue;
    }
    if (c === "'") {
      // GNU as: 'c is a character constant; a closing quote is optional.
      if (i + 1 >= n || source[i + 1] === '\n') {
        lexError("character constant: expected a character after '", start);
        i++;
        continue;
      }
      const [code, next] = readChar(i + 1);
      i = next;
      if (source[i] === "'") i++;
      toks.push({ kind: 'num', text: source.slice(start, i), value: BigInt(code), ...p });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      toks.push({ kind: 'punct', text: two, ...p });
      i += 2;
      continue;
    }
    if (PUNCT1.has(c)) {
      toks.push({ kind: 'punct', text: c, ...p });
      i++;
      continue;
    }
    lexError(`unexpected character '${c}'`, start);
    i++;
  }
  flush();
  return out;
}

/** UTF-8 bytes of a code point (the core layer has no TextEncoder). */
function utf8(cp: number): number[] {
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/** Lexes an integer (0x hex, 0b binary, 0 octal, decimal) or a local label reference (1b, 1f). */
function lexNumber(src: string, start: number, p: Pos, toks: Token[], err: (m: string, at: number) => void): number {
  let i = start;
  const n = src.length;
  const c1 = src[i + 1];
  let value: bigint;
  if (src[i] === '0' && (c1 === 'x' || c1 === 'X') && /[0-9a-fA-F]/.test(src[i + 2] ?? '')) {
    i += 2;
    while (i < n && /[0-9a-fA-F]/.test(src[i]!)) i++;
    value = BigInt(`0x${src.slice(start + 2, i)}`);
  } else if (src[i] === '0' && (c1 === 'b' || c1 === 'B') && /[01]/.test(src[i + 2] ?? '')) {
    i += 2;
    while (i < n && /[01]/.test(src[i]!)) i++;
    value = BigInt(`0b${src.slice(start + 2, i)}`);
  } else {
    while (i < n && /[0-9]/.test(src[i]!)) i++;
    const digits = src.slice(start, i);
    const next = src[i];
    if ((next === 'b' || next === 'f') && !ID_PART.test(src[i + 1] ?? ' ')) {
      toks.push({ kind: 'local', text: digits + next, value: BigInt(digits), ...p });
      return i + 1;
    }
    if (digits.length > 1 && digits[0] === '0') {
      if (/[89]/.test(digits)) {
        err(`bad octal number '${digits}'`, start);
        return i;
      }
      value = BigInt(`0o${digits.slice(1)}`);
    } else value = BigInt(digits);
  }
  if (i < n && ID_PART.test(src[i]!)) {
    let j = i;
    while (j < n && ID_PART.test(src[j]!)) j++;
    err(`bad number '${src.slice(start, j)}': expected digits only`, start);
    return j;
  }
  toks.push({ kind: 'num', text: src.slice(start, i), value, ...p });
  return i;
}
