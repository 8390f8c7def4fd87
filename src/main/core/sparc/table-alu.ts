// Table rows for arithmetic, logic, shifts, window and state-register instructions (op=2),
// V8 manual §B.12–B.29 and the V9 additions objdump knows for V8+ code.
import { ALL, type Enc, type EncKey, type TableBuilder, V8, V9A, V9ONLY, V9UP, blocks, enc, refine } from './tablekit.ts';
import type { Isa, Loc } from './types.ts';

interface AluOpt {
  readonly isa?: Isa;
  readonly modes?: number;
  readonly exec?: string;
  readonly reads?: readonly Loc[];
  readonly writes?: readonly Loc[];
  /** Names objdump prints and the modes in which each applies (default: the mnemonic, all modes). */
  readonly names?: readonly (readonly [string, number])[];
  readonly privileged?: boolean;
}

/** A three-operand ALU instruction: base rows 'id.r' (rs2, asi = 0) and 'id.i' (simm13). */
function alu(t: TableBuilder, mn: string, op3: number, o: AluOpt = {}): void {
  const modes = o.modes ?? ALL;
  const r = enc({ op: 2, op3, i: 0, asi: 0 });
  const i = enc({ op: 2, op3, i: 1 });
  const common = {
    mnemonic: mn, exec: o.exec ?? mn, isa: o.isa ?? 'v8' as Isa, modes, privileged: o.privileged ?? false,
    writes: o.writes ?? ['rd'],
  };
  t.base({ ...common, id: `${mn}.r`, format: 'reg', enc: r, syntax: 'rs1 , rs2 , rd', reads: ['rs1', 'rs2', ...(o.reads ?? [])] });
  t.base({ ...common, id: `${mn}.i`, format: 'imm', enc: i, syntax: 'rs1 , simm13 , rd', reads: ['rs1', ...(o.reads ?? [])] });
  for (const [name, m] of o.names ?? [[mn, modes]]) {
    t.form({ name, kind: 'variant', enc: r, syntax: 'rs1 , rs2 , rd', modes: m });
    t.form({ name, kind: 'variant', enc: i, syntax: 'rs1 , simm13 , rd', modes: m });
  }
}

/** A synthetic form; `deferred` is objdump's F_ALIAS. */
function syn(t: TableBuilder, name: string, e: Enc, syntax: string, modes: number, deferred: boolean,
  o: { tie?: 'rs1' | 'rs2'; preferred?: boolean } = {}): void {
  t.form({ name, kind: 'synthetic', enc: e, syntax, modes, deferred, tie: o.tie ?? null, preferred: o.preferred ?? false });
}

const R = (op3: number, more: Partial<Record<EncKey, number>> = {}): Enc => enc({ op: 2, op3, i: 0, asi: 0, ...more });
const I = (op3: number, more: Partial<Record<EncKey, number>> = {}): Enc => enc({ op: 2, op3, i: 1, ...more });

export function aluRows(t: TableBuilder): void {
  const icc: Loc[] = ['icc'];
  alu(t, 'add', 0x00);
  alu(t, 'and', 0x01);
  alu(t, 'or', 0x02);
  alu(t, 'xor', 0x03);
  alu(t, 'sub', 0x04);
  alu(t, 'andn', 0x05);
  alu(t, 'orn', 0x06);
  alu(t, 'xnor', 0x07);
  alu(t, 'addx', 0x08, { reads: icc, names: [['addx', V8], ['addc', V9UP]] });
  alu(t, 'mulx', 0x09, { isa: 'v9', modes: V9UP });
  alu(t, 'umul', 0x0a, { writes: ['rd', 'y'] });
  alu(t, 'smul', 0x0b, { writes: ['rd', 'y'] });
  alu(t, 'subx', 0x0c, { reads: icc, names: [['subx', V8], ['subc', V9UP]] });
  alu(t, 'udivx', 0x0d, { isa: 'v9', modes: V9UP });
  alu(t, 'udiv', 0x0e, { reads: ['y'] });
  alu(t, 'sdiv', 0x0f, { reads: ['y'] });
  alu(t, 'addcc', 0x10, { writes: ['rd', 'icc'] });
  alu(t, 'andcc', 0x11, { writes: ['rd', 'icc'] });
  alu(t, 'orcc', 0x12, { writes: ['rd', 'icc'] });
  alu(t, 'xorcc', 0x13, { writes: ['rd', 'icc'] });
  alu(t, 'subcc', 0x14, { writes: ['rd', 'icc'] });
  alu(t, 'andncc', 0x15, { writes: ['rd', 'icc'] });
  alu(t, 'orncc', 0x16, { writes: ['rd', 'icc'] });
  alu(t, 'xnorcc', 0x17, { writes: ['rd', 'icc'] });
  alu(t, 'addxcc', 0x18, { reads: icc, writes: ['rd', 'icc'], names: [['addxcc', V8], ['addccc', V9UP]] });
  alu(t, 'umulcc', 0x1a, { writes: ['rd', 'y', 'icc'] });
  alu(t, 'smulcc', 0x1b, { writes: ['rd', 'y', 'icc'] });
  alu(t, 'subxcc', 0x1c, { reads: icc, writes: ['rd', 'icc'], names: [['subxcc', V8], ['subccc', V9UP]] });
  alu(t, 'udivcc', 0x1e, { reads: ['y'], writes: ['rd', 'icc'] });
  alu(t, 'sdivcc', 0x1f, { reads: ['y'], writes: ['rd', 'icc'] });
  alu(t, 'taddcc', 0x20, { writes: ['rd', 'icc'] });
  alu(t, 'tsubcc', 0x21, { writes: ['rd', 'icc'] });
  alu(t, 'taddcctv', 0x22, { writes: ['rd', 'icc'] });
  alu(t, 'tsubcctv', 0x23, { writes: ['rd', 'icc'] });
  alu(t, 'mulscc', 0x24, { reads: ['icc', 'y'], writes: ['rd', 'icc', 'y'] });
  alu(t, 'sdivx', 0x2d, { isa: 'v9', modes: V9UP });
  alu(t, 'save', 0x3c, { reads: ['cwp'], writes: ['rd', 'cwp'] });
  alu(t, 'restore', 0x3d, { reads: ['cwp'], writes: ['rd', 'cwp'] });
  // LEON multiply-accumulate (SPARClet heritage): 40-bit accumulator in %y:%asr18.
  alu(t, 'umac', 0x3e, { isa: 'leon', modes: V8, reads: ['y', 'asr'], writes: ['rd', 'y', 'asr'] });
  alu(t, 'smac', 0x3f, { isa: 'leon', modes: V8, reads: ['y', 'asr'], writes: ['rd', 'y', 'asr'] });

  // V9 population count (rs1 must be %g0).
  t.base({ id: 'popc.r', mnemonic: 'popc', format: 'reg', enc: R(0x2e, { rs1: 0 }), syntax: 'rs2 , rd', isa: 'v9', modes: V9UP, reads: ['rs2'], writes: ['rd'] });
  t.base({ id: 'popc.i', mnemonic: 'popc', format: 'imm', enc: I(0x2e, { rs1: 0 }), syntax: 'simm13 , rd', isa: 'v9', modes: V9UP, reads: [], writes: ['rd'] });
  t.form({ name: 'popc', kind: 'variant', enc: R(0x2e, { rs1: 0 }), syntax: 'rs2 , rd', modes: V9UP });
  t.form({ name: 'popc', kind: 'variant', enc: I(0x2e, { rs1: 0 }), syntax: 'simm13 , rd', modes: V9UP });

  // Shifts (V8 §B.12): bits 12:5 must be 0; V9 adds the x bit for 64-bit shifts.
  const sh32 = (0x1 << 12) | (0x7f << 5);
  for (const [mn, op3] of [['sll', 0x25], ['srl', 0x26], ['sra', 0x27]] as const) {
    const r = enc({ op: 2, op3, i: 0 }, sh32);
    const i = enc({ op: 2, op3, i: 1 }, sh32);
    t.base({ id: `${mn}.r`, mnemonic: mn, format: 'reg', enc: r, syntax: 'rs1 , rs2 , rd', isa: 'v8', modes: ALL, reads: ['rs1', 'rs2'], writes: ['rd'], fields: ['rs1', 'rs2', 'rd'] });
    t.base({ id: `${mn}.i`, mnemonic: mn, format: 'imm', enc: i, syntax: 'rs1 , shcnt5 , rd', isa: 'v8', modes: ALL, reads: ['rs1'], writes: ['rd'], fields: ['rs1', 'shcnt', 'rd'] });
    t.form({ name: mn, kind: 'variant', enc: r, syntax: 'rs1 , rs2 , rd', modes: ALL });
    t.form({ name: mn, kind: 'variant', enc: i, syntax: 'rs1 , shcnt5 , rd', modes: ALL });
    const x = `${mn}x`;
    const rx = enc({ op: 2, op3, i: 0, x: 1 }, 0x7f << 5);
    const ix = enc({ op: 2, op3, i: 1, x: 1 }, 0x3f << 6);
    t.base({ id: `${x}.r`, mnemonic: x, format: 'reg', enc: rx, syntax: 'rs1 , rs2 , rd', isa: 'v9', modes: V9UP, reads: ['rs1', 'rs2'], writes: ['rd'], fields: ['rs1', 'rs2', 'rd'] });
    t.base({ id: `${x}.i`, mnemonic: x, format: 'imm', enc: ix, syntax: 'rs1 , shcnt6 , rd', isa: 'v9', modes: V9UP, reads: ['rs1'], writes: ['rd'], fields: ['rs1', 'shcnt', 'rd'] });
    t.form({ name: x, kind: 'variant', enc: rx, syntax: 'rs1 , rs2 , rd', modes: V9UP });
    t.form({ name: x, kind: 'variant', enc: ix, syntax: 'rs1 , shcnt6 , rd', modes: V9UP });
  }
  // V9 synthetics on sra/srl by %g0 (the one-operand form first: objdump prefers fewer operands).
  for (const [name, op3] of [['signx', 0x27], ['clruw', 0x26]] as const) {
    const e = enc({ op: 2, op3, i: 0, x: 0, asi: 0, rs2: 0 });
    syn(t, name, e, 'rs1', V9UP, true, { tie: 'rs1' });
    syn(t, name, e, 'rs1 , rd', V9UP, true);
  }

  // Synthetic instructions of the V8 manual's Appendix A.
  syn(t, 'save', { match: 0x81e00000, mask: 0xffffffff }, '', ALL, true);
  syn(t, 'restore', R(0x3d, { rd: 0, rs1: 0, rs2: 0 }), '', ALL, false);
  syn(t, 'restore', I(0x3d, { rd: 0, rs1: 0, simm13: 0 }), '', ALL, false);
  syn(t, 'mov', R(0x02, { rs1: 0 }), 'rs2 , rd', ALL, false);
  syn(t, 'mov', I(0x02, { rs1: 0 }), 'simm13 , rd', ALL, false);
  syn(t, 'mov', R(0x02, { rs2: 0 }), 'rs1 , rd', ALL, false);
  syn(t, 'mov', I(0x02, { simm13: 0 }), 'rs1 , rd', ALL, false);
  // objdump's register `clr` wants rd = %g0 too (RD_G0 in sparc-opc.c), so `or %g0,%g0,%o0` is `mov`.
  syn(t, 'clr', R(0x02, { rd: 0, rs1: 0, rs2: 0 }), 'rd', ALL, true);
  syn(t, 'clr', I(0x02, { rs1: 0, simm13: 0 }), 'rd', ALL, true);
  for (const [name, op3] of [['bset', 0x02], ['bclr', 0x05], ['btog', 0x03]] as const) {
    syn(t, name, R(op3), 'rs2 , rs1', ALL, true, { tie: 'rs1' });
    syn(t, name, I(op3), 'simm13 , rs1', ALL, true, { tie: 'rs1' });
  }
  syn(t, 'cmp', R(0x14, { rd: 0 }), 'rs1 , rs2', ALL, false);
  syn(t, 'cmp', I(0x14, { rd: 0 }), 'rs1 , simm13', ALL, false);
  for (const [name, op3] of [['dec', 0x04], ['deccc', 0x14], ['inc', 0x00], ['inccc', 0x10]] as const) {
    syn(t, name, I(op3, { simm13: 1 }), 'rs1', ALL, true, { tie: 'rs1' });
    syn(t, name, I(op3), 'simm13 , rs1', ALL, true, { tie: 'rs1' });
  }
  syn(t, 'btst', R(0x11, { rd: 0 }), 'rs1 , rs2', ALL, true);
  syn(t, 'btst', I(0x11, { rd: 0 }), 'simm13 , rs1', ALL, true);
  syn(t, 'neg', R(0x04, { rs1: 0 }), 'rs2', ALL, true, { tie: 'rs2' });
  syn(t, 'neg', R(0x04, { rs1: 0 }), 'rs2 , rd', ALL, true);
  // objdump's `not` does not require rs2 = %g0, so xnor (same fixed bits, not an alias) always wins.
  syn(t, 'not', R(0x07), 'rs1', ALL, true, { tie: 'rs1' });
  syn(t, 'not', R(0x07), 'rs1 , rd', ALL, true);
  syn(t, 'tst', R(0x12, { rd: 0, rs2: 0 }), 'rs1', ALL, false);
  syn(t, 'tst', R(0x12, { rd: 0, rs1: 0 }), 'rs2', ALL, false);
  syn(t, 'tst', I(0x12, { rd: 0, simm13: 0 }), 'rs1', ALL, false);

  stateRegisterRows(t);
  coprocessorRows(t);
}

/** wr-style writes: the six operand shapes objdump knows for one destination. */
function wrForms(t: TableBuilder, name: string, op3: number, fixed: Partial<Record<EncKey, number>>, dest: string, modes: number,
  o: { full?: boolean } = {}): void {
  t.form({ name, kind: 'variant', enc: R(op3, fixed), syntax: `rs1 , rs2 , ${dest}`, modes });
  t.form({ name, kind: 'variant', enc: I(op3, fixed), syntax: `rs1 , simm13 , ${dest}`, modes });
  if (o.full === false) return;
  t.form({ name, kind: 'variant', enc: R(op3, { ...fixed, rs1: 0 }), syntax: `rs2 , ${dest}`, modes, deferred: true, preferred: true });
  t.form({ name, kind: 'variant', enc: I(op3, { ...fixed, rs1: 0 }), syntax: `simm13 , ${dest}`, modes, deferred: true, preferred: true });
  t.form({ name, kind: 'variant', enc: I(op3, { ...fixed, simm13: 0 }), syntax: `rs1 , ${dest}`, modes, deferred: true, preferred: true });
  t.form({ name, kind: 'variant', enc: R(op3, { ...fixed, rs2: 0 }), syntax: `rs1 , ${dest}`, modes, deferred: true, preferred: true });
}

/** rd/wr of %y, %psr, %wim, %tbr and the ancillary state registers; V9 rdpr/wrpr & co. */
function stateRegisterRows(t: TableBuilder): void {
  // rd %asrN (rd %y is asr 0, stbar is rd %asr15, %g0: V8 §B.28, B.30).
  const rdasr = enc({ op: 2, op3: 0x28, i: 0, simm13: 0 });
  t.base({ id: 'rdasr', mnemonic: 'rd', exec: 'rdasr', format: 'reg', enc: rdasr, syntax: 'asr_rs1 , rd', isa: 'v8', modes: ALL, reads: ['asr'], writes: ['rd'] });
  t.form({ name: 'rd', kind: 'variant', enc: rdasr, syntax: 'asr_rs1 , rd', modes: ALL });
  t.form({ name: 'rd', kind: 'variant', enc: refine(rdasr, { rs1: 0 }), syntax: '%y , rd', modes: ALL });
  for (const [n, reg] of [[2, '%ccr'], [3, '%asi'], [4, '%tick'], [5, '%pc'], [6, '%fprs']] as const) {
    t.form({ name: 'rd', kind: 'variant', enc: refine(rdasr, { rs1: n }), syntax: `${reg} , rd`, modes: V9UP });
  }
  for (const n of [16, 17, 18, 19, 22, 23]) {
    t.form({ name: 'rd', kind: 'variant', enc: refine(rdasr, { rs1: n }), syntax: 'vasr_rs1 , rd', modes: V9A });
  }
  syn(t, 'mov', rdasr, 'asr_rs1 , rd', ALL, true);
  syn(t, 'mov', refine(rdasr, { rs1: 0 }), '%y , rd', ALL, true);
  syn(t, 'stbar', refine(rdasr, { rs1: 15, rd: 0 }), '', ALL, false);
  // V8 rd %psr / %wim / %tbr (privileged).
  for (const [op3, reg, loc] of [[0x29, '%psr', 'psr'], [0x2a, '%wim', 'wim'], [0x2b, '%tbr', 'tbr']] as const) {
    const e = enc({ op: 2, op3, i: 0, rs1: 0, simm13: 0 });
    t.base({ id: `rd${loc}`, mnemonic: 'rd', exec: `rd${loc}`, format: 'reg', enc: e, syntax: `${reg} , rd`, isa: 'v8', modes: V8, reads: [loc], writes: ['rd'], privileged: true });
    t.form({ name: 'rd', kind: 'variant', enc: e, syntax: `${reg} , rd`, modes: V8 });
    syn(t, 'mov', e, `${reg} , rd`, V8, true);
  }
  // V9 rdpr (privileged registers 0..16 and %ver) and V9A rdhpr; V9 flushw.
  const prRegs = [...Array.from({ length: 17 }, (_, k) => k), 31];
  blocks(enc({ op: 2, op3: 0x2a, i: 0, simm13: 0 }), 'rs1', prRegs).forEach((e, k) => {
    t.base({ id: k === 0 ? 'rdpr' : `rdpr#${k}`, mnemonic: 'rdpr', format: 'reg', enc: e, syntax: 'pr_rs1 , rd', isa: 'v9', modes: V9UP, reads: ['pr'], writes: ['rd'], privileged: true });
    t.form({ name: 'rdpr', kind: 'variant', enc: e, syntax: 'pr_rs1 , rd', modes: V9UP });
  });
  blocks(enc({ op: 2, op3: 0x29, i: 0, simm13: 0 }), 'rs1', [0, 1, 3, 5, 6, 28, 29, 31]).forEach((e, k) => {
    t.base({ id: k === 0 ? 'rdhpr' : `rdhpr#${k}`, mnemonic: 'rdhpr', format: 'reg', enc: e, syntax: 'hpr_rs1 , rd', isa: 'v9a', modes: V9A, reads: ['hpr'], writes: ['rd'], privileged: true });
    t.form({ name: 'rdhpr', kind: 'variant', enc: e, syntax: 'hpr_rs1 , rd', modes: V9A });
  });
  const flushw = enc({ op: 2, op3: 0x2b, i: 0, rd: 0, rs1: 0, asi: 0, rs2: 0 });
  t.base({ id: 'flushw', mnemonic: 'flushw', format: 'reg', enc: flushw, syntax: '', isa: 'v9', modes: V9UP, reads: ['cwp'], writes: ['mem'] });
  t.form({ name: 'flushw', kind: 'variant', enc: flushw, syntax: '', modes: V9UP });

  // wr %asrN (wr %y is asr 0). objdump prefers `wr` over `mov` for the two-operand shapes.
  t.base({ id: 'wrasr.r', mnemonic: 'wr', exec: 'wrasr', format: 'reg', enc: R(0x30), syntax: 'rs1 , rs2 , asr_rd', isa: 'v8', modes: ALL, reads: ['rs1', 'rs2'], writes: ['asr'] });
  t.base({ id: 'wrasr.i', mnemonic: 'wr', exec: 'wrasr', format: 'imm', enc: I(0x30), syntax: 'rs1 , simm13 , asr_rd', isa: 'v8', modes: ALL, reads: ['rs1'], writes: ['asr'] });
  wrForms(t, 'wr', 0x30, {}, 'asr_rd', ALL);
  wrForms(t, 'wr', 0x30, { rd: 0 }, '%y', ALL);
  for (const [n, reg] of [[2, '%ccr'], [3, '%asi'], [6, '%fprs']] as const) wrForms(t, 'wr', 0x30, { rd: n }, reg, V9UP, { full: false });
  for (const n of [16, 17, 18, 19, 20, 21, 22, 23]) wrForms(t, 'wr', 0x30, { rd: n }, 'vasr_rd', V9A, { full: false });
  t.form({ name: 'sir', kind: 'synthetic', enc: I(0x30, { rd: 15, rs1: 0 }), syntax: 'simm13', modes: V9UP });
  syn(t, 'mov', R(0x30, { rs1: 0 }), 'rs2 , asr_rd', ALL, true);
  syn(t, 'mov', I(0x30, { rs1: 0 }), 'simm13 , asr_rd', ALL, true);
  syn(t, 'mov', R(0x30, { rd: 0, rs1: 0 }), 'rs2 , %y', ALL, true);
  syn(t, 'mov', I(0x30, { rd: 0, rs1: 0 }), 'simm13 , %y', ALL, true);
  // V8 wr %psr / %wim / %tbr (rd must be 0) and LEON pwr (wr %psr with rd = 1).
  for (const [op3, reg, loc] of [[0x31, '%psr', 'psr'], [0x32, '%wim', 'wim'], [0x33, '%tbr', 'tbr']] as const) {
    const common = { mnemonic: 'wr', exec: `wr${loc}`, isa: 'v8' as Isa, modes: V8, writes: [loc] as Loc[], privileged: true };
    t.base({ ...common, id: `wr${loc}.r`, format: 'reg', enc: R(op3, { rd: 0 }), syntax: `rs1 , rs2 , ${reg}`, reads: ['rs1', 'rs2'] });
    t.base({ ...common, id: `wr${loc}.i`, format: 'imm', enc: I(op3, { rd: 0 }), syntax: `rs1 , simm13 , ${reg}`, reads: ['rs1'] });
    wrForms(t, 'wr', op3, { rd: 0 }, reg, V8);
    syn(t, 'mov', R(op3, { rd: 0, rs1: 0 }), `rs2 , ${reg}`, V8, true);
    syn(t, 'mov', I(op3, { rd: 0, rs1: 0 }), `simm13 , ${reg}`, V8, true);
  }
  {
    const common = { mnemonic: 'pwr', exec: 'wrpsr', isa: 'leon' as Isa, modes: V8, writes: ['psr'] as Loc[], privileged: true };
    t.base({ ...common, id: 'pwr.r', format: 'reg', enc: R(0x31, { rd: 1 }), syntax: 'rs1 , rs2 , %psr', reads: ['rs1', 'rs2'] });
    t.base({ ...common, id: 'pwr.i', format: 'imm', enc: I(0x31, { rd: 1 }), syntax: 'rs1 , simm13 , %psr', reads: ['rs1'] });
    wrForms(t, 'pwr', 0x31, { rd: 1 }, '%psr', V8);
  }
  // V9 wrpr (registers 0..16 and %ver; objdump ignores the asi bits of the register form).
  for (const [mn, op3, regs, modes, tok, isa] of [
    ['wrpr', 0x32, prRegs, V9UP, 'pr_rd', 'v9'],
    ['wrhpr', 0x33, [0, 1, 3, 5, 28, 29, 31], V9A, 'hpr_rd', 'v9a'],
  ] as const) {
    const loc: Loc = mn === 'wrpr' ? 'pr' : 'hpr';
    blocks(enc({ op: 2, op3, i: 0 }), 'rd', regs).forEach((e, k) => {
      t.base({ id: k === 0 ? `${mn}.r` : `${mn}.r#${k}`, mnemonic: mn, format: 'reg', enc: e, syntax: `rs1 , rs2 , ${tok}`, isa, modes, reads: ['rs1', 'rs2'], writes: [loc], privileged: true, fields: ['rs1', 'rs2', 'rd', 'asi'] });
      t.form({ name: mn, kind: 'variant', enc: e, syntax: `rs1 , rs2 , ${tok}`, modes });
      t.form({ name: mn, kind: 'variant', enc: refine(e, { simm13: 0 }), syntax: `rs1 , ${tok}`, modes });
    });
    blocks(enc({ op: 2, op3, i: 1 }), 'rd', regs).forEach((e, k) => {
      t.base({ id: k === 0 ? `${mn}.i` : `${mn}.i#${k}`, mnemonic: mn, format: 'imm', enc: e, syntax: `rs1 , simm13 , ${tok}`, isa, modes, reads: ['rs1'], writes: [loc], privileged: true });
      t.form({ name: mn, kind: 'variant', enc: e, syntax: `rs1 , simm13 , ${tok}`, modes });
      t.form({ name: mn, kind: 'variant', enc: refine(e, { rs1: 0 }), syntax: `simm13 , ${tok}`, modes });
    });
  }
  // V9 window management and trap return (privileged, all-zero operands).
  const zeroOps = { i: 0, rs1: 0, simm13: 0 };
  for (const [k, mn] of ['saved', 'restored', 'allclean', 'otherw', 'normalw', 'invalw'].entries()) {
    const e = enc({ op: 2, op3: 0x31, rd: k, ...zeroOps });
    t.base({ id: mn, mnemonic: mn, format: 'reg', enc: e, syntax: '', isa: 'v9', modes: V9UP, reads: ['pr'], writes: ['pr'], privileged: true });
    t.form({ name: mn, kind: 'variant', enc: e, syntax: '', modes: V9UP });
  }
  for (const [k, mn] of ['done', 'retry'].entries()) {
    const e = enc({ op: 2, op3: 0x3e, rd: k, ...zeroOps });
    t.base({ id: mn, mnemonic: mn, format: 'reg', enc: e, syntax: '', isa: 'v9', modes: V9UP, reads: ['pr'], writes: ['pr'], privileged: true, control: 'done' });
    t.form({ name: mn, kind: 'variant', enc: e, syntax: '', modes: V9UP });
  }
  const membar = enc({ op: 2, op3: 0x28, i: 1, rs1: 15, rd: 0 }, 0x3f << 7);
  t.base({ id: 'membar', mnemonic: 'membar', format: 'imm', enc: membar, syntax: 'membar', isa: 'v9', modes: V9UP, fields: ['membar'], reads: ['mem'], writes: ['mem'] });
  t.form({ name: 'membar', kind: 'variant', enc: membar, syntax: 'membar', modes: V9UP });
}

/** CPop1/CPop2 (V8 §B.33) and their V9 replacements impdep1/impdep2 (V9 without VIS). */
function coprocessorRows(t: TableBuilder): void {
  for (const [mn, op3] of [['cpop1', 0x36], ['cpop2', 0x37]] as const) {
    const e = enc({ op: 2, op3 });
    t.base({ id: mn, mnemonic: mn, format: 'fpop', enc: e, syntax: '[ rs1 + rs2 ] , rd', isa: 'v8', modes: V8, fields: ['rs1', 'rs2', 'rd', 'opf'] });
    t.form({ name: mn, kind: 'variant', enc: e, syntax: '[ rs1 + rs2 ] , rd', modes: V8, deferred: true });
  }
  for (const [mn, op3] of [['impdep1', 0x36], ['impdep2', 0x37]] as const) {
    t.base({ id: `${mn}.r`, mnemonic: mn, format: 'reg', enc: enc({ op: 2, op3, i: 0 }), syntax: 'impdep , rs1 , rs2 , rd', isa: 'v9', modes: V9ONLY });
    t.base({ id: `${mn}.i`, mnemonic: mn, format: 'imm', enc: enc({ op: 2, op3, i: 1 }), syntax: 'rs1 , simm13 , rd', isa: 'v9', modes: V9ONLY });
    t.form({ name: mn, kind: 'variant', enc: R(op3), syntax: 'rs1 , rs2 , rd', modes: V9ONLY });
    t.form({ name: mn, kind: 'variant', enc: I(op3), syntax: 'rs1 , simm13 , rd', modes: V9ONLY });
    t.form({ name: mn, kind: 'variant', enc: enc({ op: 2, op3, i: 0 }), syntax: 'impdep , rs1 , rs2 , rd', modes: V9ONLY });
    t.form({ name: mn, kind: 'variant', enc: enc({ op: 2, op3, i: 0 }), syntax: 'impdep , frs1 , frs2 , frd', modes: V9ONLY });
  }
}
