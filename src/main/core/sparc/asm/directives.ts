// Directives (GNU as, SPARC and ELF): sections, data, strings, alignment, symbols. Sizes are all
// known in pass 1; data that mentions symbols is evaluated in pass 2.
import type { Assembler, Chunk } from './assemble.ts';
import { type Pos, fail } from './errors.ts';
import { Cursor, type Expr, parseExpr } from './expr.ts';
import type { Statement, Token } from './lexer.ts';
import { type AssignStatement, type OpStatement, endOf } from './parse.ts';

type Handler = (asm: Assembler, c: Cursor, at: Pos, name: string) => void;

/** Largest block of data one directive may emit (16 MiB). */
const MAX_DATA = 1 << 24;

const exprs = (asm: Assembler, c: Cursor): Expr[] => {
  const out: Expr[] = [];
  if (c.atEnd()) return out;
  do out.push(parseExpr(c, asm.parseOptions()));
  while (c.eat(','));
  end(c);
  return out;
};

function end(c: Cursor): void {
  if (!c.atEnd()) fail('syntax', `unexpected ${c.describe()}: expected ',' or end of line`, c.pos());
}

function symbolName(c: Cursor, what: string): Token {
  const t = c.next();
  if (!t || t.kind !== 'id' || t.text === '.') fail('directive', `expected ${what} (a symbol name), found ${t ? `'${t.text}'` : 'end of line'}`, t ?? c.endPos);
  return t;
}

function comma(c: Cursor, what: string): void {
  if (!c.eat(',')) fail('syntax', `expected ',' and ${what}, found ${c.describe()}`, c.pos());
}

const num = (asm: Assembler, c: Cursor, what: string): number => Number(asm.constant(parseExpr(c, asm.parseOptions()), what));

function data(size: 1 | 2 | 4 | 8, ua: boolean): Handler {
  return (asm, c) => {
    for (const e of exprs(asm, c)) asm.emitValue(size, e, e.at, ua);
  };
}

function strings(zero: boolean): Handler {
  return (asm, c, at, name) => {
    let n = 0;
    do {
      const t = c.next();
      if (!t || t.kind !== 'str') fail('directive', `${name}: expected a "string", found ${t ? `'${t.text}'` : 'end of line'}`, t ?? c.endPos);
      asm.emitBytes(Uint8Array.from(zero ? [...t.bytes!, 0] : t.bytes!), t);
      n++;
    } while (c.eat(','));
    end(c);
    if (n === 0) fail('directive', `${name}: expected a string`, at);
  };
}

const space: Handler = (asm, c, at, name) => {
  const size = num(asm, c, `${name} size`);
  let fill = 0;
  if (c.eat(',')) fill = num(asm, c, `${name} fill`) & 0xff;
  end(c);
  const max = asm.cur.section.nobits ? 2 ** 32 : MAX_DATA;
  if (size < 0 || size > max) fail('range', `${name} ${size}: expected 0..${max}`, at);
  if (fill === 0) asm.reserve(size, at);
  else asm.emitBytes(new Uint8Array(size).fill(fill), at);
};

function align(kind: 'bytes' | 'p2'): Handler {
  return (asm, c, at, name) => {
    const v = num(asm, c, `${name} alignment`);
    let fill: number | null = null;
    let max: number | null = null;
    if (c.eat(',')) {
      if (!c.isPunct(',')) fill = num(asm, c, `${name} fill`) & 0xff;
      if (c.eat(',')) max = num(asm, c, `${name} maximum`);
    }
    end(c);
    const n = kind === 'p2' ? 2 ** v : v === 0 ? 1 : v;
    if (!Number.isInteger(n) || n < 1 || n > 1 << 16 || (n & (n - 1)) !== 0) {
      fail('directive', `${name} ${v}: expected ${kind === 'p2' ? '0..16' : 'a power of 2 (in bytes)'}`, at);
    }
    asm.alignTo(n, fill, max, at);
  };
}

/** `.section name [, "flags" [, @type ...]]` and the Sun form `.section "name", #alloc, ...`. */
const sectionDirective = (push: boolean): Handler => (asm, c, at) => {
  const t = c.next();
  let name: string;
  if (t && t.kind === 'str') name = String.fromCharCode(...t.bytes!);
  else if (t && t.kind === 'id') {
    name = t.text;
    // Section names may contain '-' (e.g. .note.GNU-stack).
    while (c.isPunct('-') && c.toks[c.i + 1]?.kind === 'id') {
      c.i++;
      name += `-${c.next()!.text}`;
    }
  } else fail('directive', `.section: expected a section name, found ${t ? `'${t.text}'` : 'end of line'}`, t ?? at);
  const s = asm.section(name);
  if (c.eat(',')) {
    const f = c.peek();
    if (f && f.kind === 'str') {
      c.i++;
      const flags = String.fromCharCode(...f.bytes!);
      s.flags = { alloc: flags.includes('a'), write: flags.includes('w'), exec: flags.includes('x') };
      if (c.eat(',')) {
        if (c.eat('@') || c.eat('%')) {
          const ty = c.next();
          if (ty?.text === 'nobits') s.nobits = true;
        } else c.next();
        while (!c.atEnd()) c.next(); // entsize, group name, linkage: not needed for the bytes
      }
    } else {
      // Sun syntax: #alloc, #write, #execinstr.
      const flags = { alloc: false, write: false, exec: false };
      for (;;) {
        const h = c.next();
        if (!h || h.kind !== 'hash') fail('directive', `.section: expected "flags" or #alloc/#write/#execinstr, found ${h ? `'${h.text}'` : 'end of line'}`, h ?? c.endPos);
        if (h.text === '#alloc') flags.alloc = true;
        else if (h.text === '#write') flags.write = true;
        else if (h.text === '#execinstr') flags.exec = true;
        if (!c.eat(',')) break;
      }
      s.flags = flags;
    }
  }
  end(c);
  if (push) asm.stack.push([asm.cur, asm.prev]);
  asm.switchTo(asm.chunk(s, 0));
};

const simpleSection = (name: string): Handler => (asm, c) => {
  let sub = 0;
  if (!c.atEnd()) sub = num(asm, c, 'subsection');
  end(c);
  asm.switchTo(asm.chunk(asm.section(name), sub));
};

function binding(b: 'global' | 'weak' | 'local'): Handler {
  return (asm, c) => {
    do {
      const t = symbolName(c, 'a symbol');
      const s = asm.sym(t.text);
      s.binding = b;
      s.declaredLocal = b === 'local';
    } while (c.eat(','));
    end(c);
  };
}

const TYPES: Readonly<Record<string, string>> = {
  function: 'function', object: 'object', tls_object: 'tls_object', common: 'common', notype: 'notype',
  gnu_indirect_function: 'gnu_indirect_function', stt_func: 'function', stt_object: 'object', stt_notype: 'notype',
  stt_tls: 'tls_object', stt_common: 'common',
};

const typeDirective: Handler = (asm, c, at) => {
  const t = symbolName(c, 'a symbol');
  comma(c, 'a type');
  c.eat('@');
  c.eat('%');
  const ty = c.next();
  const raw = ty ? (ty.kind === 'str' ? String.fromCharCode(...ty.bytes!) : ty.text.replace(/^[#%]/, '')) : '';
  const type = TYPES[raw.toLowerCase()];
  if (!type) fail('directive', `.type: unknown type '${raw}': expected #function or #object`, ty ?? at);
  end(c);
  asm.sym(t.text).type = type;
};

const sizeDirective: Handler = (asm, c) => {
  const t = symbolName(c, 'a symbol');
  comma(c, 'a size');
  const e = parseExpr(c, asm.parseOptions());
  end(c);
  asm.sym(t.text).size = { expr: e, at: asm.here() };
};

function setDirective(redefine: boolean): Handler {
  return (asm, c, _at, name) => {
    const t = symbolName(c, 'a symbol');
    comma(c, 'a value');
    const e = parseExpr(c, asm.parseOptions());
    end(c);
    if (name === '.equiv' && asm.symbols.get(t.text)?.kind !== undefined && asm.symbols.get(t.text)?.kind !== 'undef') {
      fail('duplicate-symbol', `.equiv: ${t.text} is already defined`, t);
    }
    asm.defineEqu(t.text, e, t, redefine);
  };
}

/** `.common sym, size [, align]` (SPARC), `.comm`, `.lcomm` and `.reserve sym, size [, "bss" [, align]]`. */
function common(kind: 'common' | 'local'): Handler {
  return (asm, c, at, name) => {
    const t = symbolName(c, 'a symbol');
    comma(c, 'a size');
    const size = num(asm, c, `${name} size`);
    let al = 1;
    if (c.eat(',')) {
      if (c.peek()?.kind === 'str') {
        c.next();
        if (c.eat(',')) al = num(asm, c, `${name} alignment`);
      } else al = num(asm, c, `${name} alignment`);
    }
    end(c);
    if (al < 1 || (al & (al - 1)) !== 0) fail('directive', `${name}: alignment ${al} is not a power of 2`, at);
    const s = asm.sym(t.text);
    if (s.kind !== 'undef' && s.kind !== 'common') fail('duplicate-symbol', `${name}: ${t.text} is already defined`, t);
    if (kind === 'local' || s.declaredLocal) {
      asm.allocateBss(s, size, al);
      s.at = t;
      return;
    }
    s.kind = 'common';
    if (s.binding === 'local') s.binding = 'global';
    s.common = { size, align: al };
    s.at = t;
  };
}

const ignore: Handler = (_asm, c) => {
  while (!c.atEnd()) c.next();
};

const fill: Handler = (asm, c, at) => {
  const repeat = num(asm, c, '.fill repeat');
  let size = 1;
  let value = 0n;
  if (c.eat(',')) {
    size = num(asm, c, '.fill size');
    if (c.eat(',')) value = asm.constant(parseExpr(c, asm.parseOptions()), '.fill value');
  }
  end(c);
  if (repeat < 0 || size < 0 || repeat * size > MAX_DATA) fail('range', `.fill: ${repeat} × ${size} bytes: expected at most ${MAX_DATA}`, at);
  const width = Math.min(size, 8);
  const bytes = new Uint8Array(repeat * size);
  for (let r = 0; r < repeat; r++) {
    // GNU as: the value is written big-endian in min(size, 8) bytes, the rest is zero.
    let x = BigInt.asUintN(width * 8, value);
    for (let k = width - 1; k >= 0; k--) {
      bytes[r * size + k] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
  asm.emitBytes(bytes, at);
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  '.text': simpleSection('.text'),
  '.data': simpleSection('.data'),
  '.bss': simpleSection('.bss'),
  '.section': sectionDirective(false),
  '.pushsection': sectionDirective(true),
  '.popsection': (asm, c, at) => {
    end(c);
    const top = asm.stack.pop();
    if (!top) fail('directive', '.popsection without .pushsection', at);
    [asm.cur, asm.prev] = top;
  },
  '.previous': (asm, c) => {
    end(c);
    const p: Chunk = asm.prev;
    asm.prev = asm.cur;
    asm.cur = p;
  },
  '.subsection': (asm, c, at) => {
    const n = num(asm, c, 'subsection');
    end(c);
    if (!Number.isInteger(n) || n < -8192 || n > 8192) fail('range', `.subsection ${n}: expected -8192..8192`, at);
    asm.switchTo(asm.chunk(asm.cur.section, n));
  },
  '.seg': (asm, c, at) => {
    const t = c.next();
    const seg = t?.kind === 'str' ? String.fromCharCode(...t.bytes!) : '';
    if (!['text', 'data', 'data1', 'bss'].includes(seg)) fail('directive', `.seg: expected "text", "data", "data1" or "bss"`, t ?? at);
    end(c);
    asm.switchTo(asm.chunk(asm.section(`.${seg}`), 0));
  },
  '.byte': data(1, false),
  '.half': data(2, false),
  '.short': data(2, false),
  '.hword': data(2, false),
  '.word': data(4, false),
  '.long': data(4, false),
  '.int': data(4, false),
  '.nword': data(4, false),
  '.xword': data(8, false),
  '.quad': data(8, false),
  '.uahalf': data(2, true),
  '.uaword': data(4, true),
  '.uaxword': data(8, true),
  '.2byte': data(2, true),
  '.4byte': data(4, true),
  '.8byte': data(8, true),
  '.ascii': strings(false),
  '.asciz': strings(true),
  '.string': strings(true),
  '.skip': space,
  '.space': space,
  '.zero': space,
  '.fill': fill,
  '.align': align('bytes'),
  '.balign': align('bytes'),
  '.p2align': align('p2'),
  '.global': binding('global'),
  '.globl': binding('global'),
  '.weak': binding('weak'),
  '.local': binding('local'),
  '.type': typeDirective,
  '.size': sizeDirective,
  '.set': setDirective(true),
  '.equ': setDirective(true),
  '.equiv': setDirective(false),
  '.common': common('common'),
  '.comm': common('common'),
  '.lcomm': common('local'),
  '.reserve': common('local'),
  '.file': ignore,
  '.ident': ignore,
  '.proc': ignore,
  '.optim': ignore,
  '.empty': ignore,
  '.register': ignore,
  '.loc': ignore,
  '.hidden': ignore,
  '.protected': ignore,
  '.internal': ignore,
  '.addrsig': ignore,
  '.addrsig_sym': ignore,
};

/** The directives the assembler knows (`.cfi_*` are accepted and ignored too). */
export const DIRECTIVES: readonly string[] = Object.keys(HANDLERS);

export function directive(asm: Assembler, p: OpStatement, st: Statement): void {
  const c = new Cursor(st.tokens, p.start, st.tokens.length, endOf(st));
  const h = HANDLERS[p.name] ?? (p.name.startsWith('.cfi_') ? ignore : undefined);
  if (h === undefined) fail('unknown-mnemonic', `unknown directive ${p.name}`, p.nameAt);
  h(asm, c, p.nameAt, p.name);
}

/** `sym = expr` (GNU as: same as .set). */
export function assignment(asm: Assembler, p: AssignStatement, st: Statement): void {
  const c = new Cursor(st.tokens, p.start, st.tokens.length, endOf(st));
  const e = parseExpr(c, asm.parseOptions());
  end(c);
  asm.defineEqu(p.name, e, p.nameAt, true);
}
