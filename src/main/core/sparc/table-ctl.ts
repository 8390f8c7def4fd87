// Table rows for control transfer (branches, call, jmpl, rett, traps) and the op=0 formats
// (sethi, unimp), V8 manual §B.21–B.27, B.29, B.31 and the V9 BPcc/BPr/FBPfcc branches.
import { addrForms } from './table-mem.ts';
import { ALL, type TableBuilder, V8, V9UP, enc } from './tablekit.ts';
import type { Loc } from './types.ts';

/** Integer condition codes: [cond, mnemonic suffix, objdump aliases] (V8 Table F-7). */
export const ICC_CONDS: readonly (readonly [number, string, readonly string[]])[] = [
  [0, 'n', []], [1, 'e', ['z', 'eq']], [2, 'le', []], [3, 'l', ['lt']], [4, 'leu', []], [5, 'cs', ['lu']],
  [6, 'neg', []], [7, 'vs', []], [8, 'a', []], [9, 'ne', ['nz']], [10, 'g', ['gt']], [11, 'ge', []],
  [12, 'gu', []], [13, 'cc', ['geu']], [14, 'pos', []], [15, 'vc', []],
];

/** Floating-point condition codes (V8 Table F-8). */
export const FCC_CONDS: readonly (readonly [number, string, readonly string[]])[] = [
  [0, 'n', []], [1, 'ne', ['nz']], [2, 'lg', []], [3, 'ul', []], [4, 'l', []], [5, 'ug', []], [6, 'g', []],
  [7, 'u', []], [8, 'a', []], [9, 'e', ['z']], [10, 'ue', []], [11, 'ge', []], [12, 'uge', []], [13, 'le', []],
  [14, 'ule', []], [15, 'o', []],
];

/** Coprocessor condition codes (V8 Table F-9). */
const CB_CONDS: readonly (readonly [number, string])[] = [
  [0, 'n'], [1, '123'], [2, '12'], [3, '13'], [4, '1'], [5, '23'], [6, '2'], [7, '3'], [8, ''], [9, '0'],
  [10, '03'], [11, '02'], [12, '023'], [13, '01'], [14, '013'], [15, '012'],
];

/** Branch mnemonics of one condition: the real one first, then the F_ALIAS ones. The always-
 * branch prints as the bare prefix ('b', 'fb', 'cb') with 'ba' etc. as aliases. */
function names(prefix: string, suffix: string, aliases: readonly string[]): [string, boolean][] {
  if (suffix === 'a') return [[prefix, false], [`${prefix}a`, true]];
  return [[`${prefix}${suffix}`, false], ...aliases.map((a): [string, boolean] => [`${prefix}${a}`, true])];
}

export function controlRows(t: TableBuilder): void {
  // call (format 1): writes %o7.
  const call = enc({ op: 1 });
  t.base({ id: 'call', mnemonic: 'call', format: 'call', enc: call, syntax: 'disp30', isa: 'v8', modes: ALL, delayed: true, control: 'call', reads: [], writes: ['o7'] });
  t.form({ name: 'call', kind: 'variant', enc: call, syntax: 'disp30', modes: ALL });

  // sethi / nop (V8 §B.17), unimp (V9 illtrap).
  const sethi = enc({ op: 0, op2: 4 });
  t.base({ id: 'sethi', mnemonic: 'sethi', format: 'sethi', enc: sethi, syntax: 'hi22 , rd', isa: 'v8', modes: ALL, writes: ['rd'] });
  t.form({ name: 'sethi', kind: 'variant', enc: sethi, syntax: 'hi22 , rd', modes: ALL });
  t.form({ name: 'nop', kind: 'synthetic', enc: { match: 0x01000000, mask: 0xffffffff }, syntax: '', modes: ALL });
  const unimp = enc({ op: 0, op2: 0, rd: 0 });
  t.base({ id: 'unimp', mnemonic: 'unimp', format: 'unimp', enc: unimp, syntax: 'const22', isa: 'v8', modes: ALL, control: 'trap' });
  t.form({ name: 'unimp', kind: 'variant', enc: unimp, syntax: 'const22', modes: V8 });
  t.form({ name: 'illtrap', kind: 'variant', enc: unimp, syntax: 'const22', modes: V9UP });

  // Bicc, FBfcc, CBccc (format 2, 22-bit displacement).
  const br = { format: 'bicc' as const, isa: 'v8' as const, modes: ALL, delayed: true, annullable: true, control: 'branch' as const };
  t.base({ ...br, id: 'bicc', mnemonic: 'bicc', enc: enc({ op: 0, op2: 2 }), syntax: 'disp22', reads: ['icc'] });
  t.base({ ...br, id: 'fbfcc', mnemonic: 'fbfcc', enc: enc({ op: 0, op2: 6 }), syntax: 'disp22', reads: ['fcc'] });
  t.base({ ...br, id: 'cbccc', mnemonic: 'cbccc', enc: enc({ op: 0, op2: 7 }), syntax: 'disp22', reads: [] });
  const bicc = (op2: number, cond: number, list: [string, boolean][]): void => {
    for (const [name, deferred] of list) {
      t.form({ name, kind: 'variant', enc: enc({ op: 0, op2, cond, a: 0 }), syntax: 'disp22', modes: ALL, deferred });
      t.form({ name: `${name},a`, kind: 'variant', enc: enc({ op: 0, op2, cond, a: 1 }), syntax: 'disp22', modes: ALL, deferred });
    }
  };
  for (const [c, s, al] of ICC_CONDS) bicc(2, c, names('b', s, al));
  for (const [c, s, al] of FCC_CONDS) bicc(6, c, names('fb', s, al));
  for (const [c, s] of CB_CONDS) bicc(7, c, c === 8 ? [['cb', false], ['cba', true]] : [[`cb${s}`, false]]);

  // V9 BPcc and FBPfcc (19-bit displacement, prediction bit). objdump prints ",pt" only for
  // the assembler: the predicted-taken form is the plain name.
  const bp = { format: 'bpcc' as const, isa: 'v9' as const, modes: V9UP, delayed: true, annullable: true, control: 'branch' as const };
  t.base({ ...bp, id: 'bpcc', mnemonic: 'bpcc', enc: enc({ op: 0, op2: 1 }), syntax: 'bcc , disp19', reads: ['icc', 'xcc'] });
  t.base({ ...bp, id: 'fbpfcc', mnemonic: 'fbpfcc', enc: enc({ op: 0, op2: 5 }), syntax: 'bcc , disp19', reads: ['fcc'] });
  const shapes = [['', 0, 1], [',a', 1, 1], [',pn', 0, 0], [',a,pn', 1, 0]] as const;
  for (const [c, s, al] of ICC_CONDS) {
    for (const [name, deferred] of names('b', s, al)) {
      for (const [suffix, a, p] of shapes) {
        t.form({ name: name + suffix, kind: 'variant', enc: enc({ op: 0, op2: 1, cond: c, a, p }, 0, 1 << 21), syntax: '%xcc , disp19', modes: V9UP, deferred });
        t.form({ name: name + suffix, kind: 'variant', enc: enc({ op: 0, op2: 1, cond: c, a, p }, 1 << 21), syntax: '%icc , disp19', modes: V9UP, deferred });
      }
    }
  }
  t.form({ name: 'iprefetch', kind: 'synthetic', enc: enc({ op: 0, op2: 1, cond: 0, a: 0, p: 1 }, 1 << 20, 1 << 21), syntax: 'disp19', modes: V9UP, noDelay: true });
  for (const [c, s, al] of FCC_CONDS) {
    for (const [name, deferred] of names('fb', s, al)) {
      for (const [suffix, a, p] of shapes) {
        for (let n = 0; n < 4; n++) {
          t.form({ name: name + suffix, kind: 'variant', enc: enc({ op: 0, op2: 5, cond: c, a, p, bcc: n }), syntax: `%fcc${n} , disp19`, modes: V9UP, deferred });
        }
      }
    }
  }
  // V9 BPr: one base row per register condition (rcond 0 and 4 are reserved; bit 28 must be 0).
  for (const [rc, s] of [[1, 'z'], [2, 'lez'], [3, 'lz'], [5, 'nz'], [6, 'gz'], [7, 'gez']] as const) {
    const e = enc({ op: 0, op2: 3, rcond: rc }, 1 << 28);
    t.base({ id: `br${s}`, mnemonic: `br${s}`, exec: 'bpr', format: 'bpr', enc: e, syntax: 'rs1 , disp16', isa: 'v9', modes: V9UP, delayed: true, annullable: true, control: 'branch', reads: ['rs1'] });
    for (const [suffix, a, p] of shapes) {
      t.form({ name: `br${s}${suffix}`, kind: 'variant', enc: enc({ op: 0, op2: 3, rcond: rc, a, p }, 1 << 28), syntax: 'rs1 , disp16', modes: V9UP });
    }
  }

  // jmpl and its synthetics ret, retl, jmp, indirect call (V8 §B.25).
  const jr: Loc[] = ['rs1', 'rs2'];
  const jmpl = { mnemonic: 'jmpl', isa: 'v8' as const, modes: ALL, delayed: true, control: 'jmpl' as const, writes: ['rd'] as Loc[] };
  t.base({ ...jmpl, id: 'jmpl.r', format: 'reg', enc: enc({ op: 2, op3: 0x38, i: 0, asi: 0 }), syntax: 'rs1 + rs2 , rd', reads: jr });
  t.base({ ...jmpl, id: 'jmpl.i', format: 'imm', enc: enc({ op: 2, op3: 0x38, i: 1 }), syntax: 'rs1 + simm13 , rd', reads: ['rs1'] });
  addrForms(t, { name: 'jmpl', op: 2, op3: 0x38, data: 'rd', bare: true, asiZero: true, modesR: ALL, modesI: ALL });
  t.form({ name: 'ret', kind: 'synthetic', enc: enc({ op: 2, op3: 0x38, i: 1, rs1: 31, simm13: 8 }), syntax: '', modes: ALL });
  t.form({ name: 'retl', kind: 'synthetic', enc: enc({ op: 2, op3: 0x38, i: 1, rs1: 15, simm13: 8 }), syntax: '', modes: ALL });
  addrForms(t, { name: 'jmp', op: 2, op3: 0x38, data: '', bare: true, asiZero: true, fixed: { rd: 0 }, modesR: ALL, modesI: ALL, kind: 'synthetic' });
  addrForms(t, { name: 'call', op: 2, op3: 0x38, data: '', bare: true, asiZero: true, fixed: { rd: 15 }, modesR: ALL, modesI: ALL, kind: 'synthetic' });

  // rett (V8, privileged, rd must be 0) and V9 return (objdump does not flag it delayed).
  const rett = { mnemonic: 'rett', isa: 'v8' as const, modes: V8, delayed: true, control: 'rett' as const, privileged: true, writes: ['psr', 'cwp'] as Loc[] };
  t.base({ ...rett, id: 'rett.r', format: 'reg', enc: enc({ op: 2, op3: 0x39, i: 0, asi: 0, rd: 0 }), syntax: 'rs1 + rs2', reads: jr });
  t.base({ ...rett, id: 'rett.i', format: 'imm', enc: enc({ op: 2, op3: 0x39, i: 1, rd: 0 }), syntax: 'rs1 + simm13', reads: ['rs1'] });
  addrForms(t, { name: 'rett', op: 2, op3: 0x39, data: '', bare: true, asiZero: true, fixed: { rd: 0 }, modesR: V8, modesI: V8 });
  const ret9 = { mnemonic: 'return', isa: 'v9' as const, modes: V9UP, delayed: true, control: 'rett' as const, writes: ['cwp'] as Loc[] };
  t.base({ ...ret9, id: 'return.r', format: 'reg', enc: enc({ op: 2, op3: 0x39, i: 0, asi: 0 }), syntax: 'rs1 + rs2', reads: jr });
  t.base({ ...ret9, id: 'return.i', format: 'imm', enc: enc({ op: 2, op3: 0x39, i: 1 }), syntax: 'rs1 + simm13', reads: ['rs1'] });
  addrForms(t, { name: 'return', op: 2, op3: 0x39, data: '', bare: true, asiZero: true, modesR: V9UP, modesI: V9UP, noDelay: true });

  // flush (V8 §B.32; V9 prints the address in brackets, V8 objdump and `iflush` without).
  const flush = { mnemonic: 'flush', isa: 'v8' as const, modes: ALL, writes: [] as Loc[] };
  const flushMem = { kind: 'flush' as const, width: 0 as const, signed: false, alternate: false, file: 'int' as const };
  t.base({ ...flush, id: 'flush.r', format: 'reg', enc: enc({ op: 2, op3: 0x3b, i: 0, asi: 0 }), syntax: 'rs1 + rs2', reads: jr, mem: flushMem });
  t.base({ ...flush, id: 'flush.i', format: 'imm', enc: enc({ op: 2, op3: 0x3b, i: 1 }), syntax: 'rs1 + simm13', reads: ['rs1'], mem: flushMem });
  addrForms(t, { name: 'flush', op: 2, op3: 0x3b, data: '', asiZero: true, modesR: V9UP, modesI: V9UP });
  addrForms(t, { name: 'flush', op: 2, op3: 0x3b, data: '', bare: true, asiZero: true, modesR: ALL, modesI: ALL, deferred: true });
  addrForms(t, { name: 'iflush', op: 2, op3: 0x3b, data: '', bare: true, asiZero: true, modesR: ALL, modesI: ALL, deferred: true, kind: 'synthetic' });

  // Ticc (V8 §B.27). V8 leaves bits 12:5 of the register form alone; V9 Tcc puts cc in 12:11.
  const tcc = { mnemonic: 'ticc', exec: 'ticc', isa: 'v8' as const, modes: ALL, control: 'trap' as const, writes: [] as Loc[] };
  t.base({ ...tcc, id: 'ticc.r', format: 'reg', enc: enc({ op: 2, op3: 0x3a, i: 0 }), syntax: 'rs1 + rs2', reads: ['icc', 'rs1', 'rs2'], fields: ['cond', 'rs1', 'rs2', 'asi'] });
  t.base({ ...tcc, id: 'ticc.i', format: 'imm', enc: enc({ op: 2, op3: 0x3a, i: 1 }), syntax: 'rs1 + simm13', reads: ['icc', 'rs1'], fields: ['cond', 'rs1', 'simm13'] });
  for (const [c, s, al] of ICC_CONDS) {
    const list: [string, boolean][] = s === 'a' ? [['ta', false], ['t', true]] : [[`t${s}`, false], ...al.map((a): [string, boolean] => [`t${a}`, true])];
    for (const [name, deferred] of list) {
      const T = (i: number, extra: Record<string, number> = {}, one = 0): ReturnType<typeof enc> =>
        enc({ op: 2, op3: 0x3a, cond: c, i, ...extra }, 0, one);
      const v9 = { kind: 'variant' as const, modes: V9UP, deferred };
      t.form({ ...v9, name, enc: T(1, { rs1: 0 }, 1 << 12), syntax: '%xcc , simm13' });
      t.form({ ...v9, name, enc: T(1, {}, 1 << 12), syntax: '%xcc , rs1 + simm13' });
      t.form({ ...v9, name, enc: T(0, {}, 1 << 12), syntax: '%xcc , rs1 + rs2' });
      t.form({ ...v9, name, enc: T(0, { rs2: 0 }, 1 << 12), syntax: '%xcc , rs1' });
      const icc = { kind: 'variant' as const, modes: V9UP, deferred: true };
      t.form({ ...icc, name, enc: T(1, { rs1: 0 }), syntax: '%icc , simm13' });
      t.form({ ...icc, name, enc: T(1), syntax: '%icc , rs1 + simm13' });
      t.form({ ...icc, name, enc: T(0), syntax: '%icc , rs1 + rs2' });
      t.form({ ...icc, name, enc: T(0, { rs2: 0 }), syntax: '%icc , rs1' });
      const v8 = { kind: 'variant' as const, modes: ALL, deferred };
      t.form({ ...v8, name, enc: T(1, { rs1: 0 }), syntax: 'simm13' });
      t.form({ ...v8, name, enc: T(1), syntax: 'rs1 + simm13' });
      t.form({ ...v8, name, enc: T(0), syntax: 'rs1 + rs2' });
      t.form({ ...v8, name, enc: T(0, { rs2: 0 }), syntax: 'rs1' });
    }
  }
}
