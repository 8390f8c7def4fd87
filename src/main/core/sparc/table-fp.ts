// Table rows for the FPU (FPop1/FPop2, V8 §B.13–B.16), the V9 conditional moves (movcc, movr,
// fmovcc, fmovr) and the UltraSPARC-1 VIS instructions objdump knows in V8+A code.
import { FCC_CONDS, ICC_CONDS } from './table-ctl.ts';
import { ALL, type TableBuilder, V8, V9A, V9UP, blocks, enc, refine } from './tablekit.ts';
import type { FieldName, Isa, Loc } from './types.ts';

/** Register locations named by a syntax's operand tokens (the last token is the destination). */
function locsOf(syntax: string): { reads: Loc[]; writes: Loc[] } {
  const toks = syntax.split(' ').filter((x) => x !== ',');
  const regs = new Set(['rs1', 'rs2', 'rd', 'frs1', 'frs2', 'frd', 'drs1', 'drs2', 'drd', 'qrs1', 'qrs2', 'qrd']);
  const ops = toks.filter((x) => regs.has(x)) as Loc[];
  if (ops.length === 0) return { reads: [], writes: [] };
  const last = ops[ops.length - 1]!;
  const isDest = last === 'rd' || last === 'frd' || last === 'drd' || last === 'qrd';
  return isDest ? { reads: ops.slice(0, -1), writes: [last] } : { reads: ops, writes: [] };
}

interface FpOp {
  readonly op3: number;
  readonly opf: number;
  readonly name: string;
  readonly syntax: string;
  readonly modes: number;
  readonly isa: Isa;
  readonly aliases?: readonly string[];
  /** objdump requires rs1 = 0 (one-source operations). */
  readonly rs1Zero?: boolean;
  readonly extraZero?: readonly FieldName[];
}

function fpop(t: TableBuilder, o: FpOp): void {
  const fixed: Partial<Record<FieldName | 'op' | 'op3', number>> = { op: 2, op3: o.op3, opf: o.opf };
  if (o.rs1Zero) fixed.rs1 = 0;
  for (const f of o.extraZero ?? []) fixed[f] = 0;
  const e = enc(fixed);
  const { reads, writes } = locsOf(o.syntax);
  t.base({ id: o.name, mnemonic: o.name, format: 'fpop', enc: e, syntax: o.syntax, isa: o.isa, modes: o.modes, reads, writes });
  t.form({ name: o.name, kind: 'variant', enc: e, syntax: o.syntax, modes: o.modes });
  for (const a of o.aliases ?? []) t.form({ name: a, kind: 'synthetic', enc: e, syntax: o.syntax, modes: o.modes, deferred: true });
}

const S2 = 'frs2 , frd';
const D2 = 'drs2 , drd';
const Q2 = 'qrs2 , qrd';

export function fpRows(t: TableBuilder): void {
  // FPop1, one source (rs1 must be %g0).
  const one: [number, string, string, number, Isa, string[]?][] = [
    [0x001, 'fmovs', S2, ALL, 'v8'], [0x002, 'fmovd', D2, V9UP, 'v9'], [0x003, 'fmovq', Q2, V9UP, 'v9', ['fmovx']],
    [0x005, 'fnegs', S2, ALL, 'v8'], [0x006, 'fnegd', D2, V9UP, 'v9'], [0x007, 'fnegq', Q2, V9UP, 'v9', ['fnegx']],
    [0x009, 'fabss', S2, ALL, 'v8'], [0x00a, 'fabsd', D2, V9UP, 'v9'], [0x00b, 'fabsq', Q2, V9UP, 'v9', ['fabsx']],
    [0x029, 'fsqrts', S2, ALL, 'v8'], [0x02a, 'fsqrtd', D2, ALL, 'v8'], [0x02b, 'fsqrtq', Q2, ALL, 'v8', ['fsqrtx']],
    [0x081, 'fstox', 'frs2 , drd', V9UP, 'v9'], [0x082, 'fdtox', D2, V9UP, 'v9'], [0x083, 'fqtox', 'qrs2 , drd', V9UP, 'v9'],
    [0x084, 'fxtos', 'drs2 , frd', V9UP, 'v9'], [0x088, 'fxtod', D2, V9UP, 'v9'], [0x08c, 'fxtoq', 'drs2 , qrd', V9UP, 'v9'],
    [0x0c4, 'fitos', S2, ALL, 'v8'], [0x0c6, 'fdtos', 'drs2 , frd', ALL, 'v8'], [0x0c7, 'fqtos', 'qrs2 , frd', ALL, 'v8'],
    [0x0c8, 'fitod', 'frs2 , drd', ALL, 'v8'], [0x0c9, 'fstod', 'frs2 , drd', ALL, 'v8'], [0x0cb, 'fqtod', 'qrs2 , drd', ALL, 'v8'],
    [0x0cc, 'fitoq', 'frs2 , qrd', ALL, 'v8'], [0x0cd, 'fstoq', 'frs2 , qrd', ALL, 'v8'], [0x0ce, 'fdtoq', 'drs2 , qrd', ALL, 'v8'],
    [0x0d1, 'fstoi', S2, ALL, 'v8'], [0x0d2, 'fdtoi', 'drs2 , frd', ALL, 'v8'], [0x0d3, 'fqtoi', 'qrs2 , frd', ALL, 'v8'],
  ];
  for (const [opf, name, syntax, modes, isa, aliases] of one) fpop(t, { op3: 0x34, opf, name, syntax, modes, isa, aliases, rs1Zero: true });
  // FPop1, two sources.
  const S3 = 'frs1 , frs2 , frd';
  const D3 = 'drs1 , drs2 , drd';
  const Q3 = 'qrs1 , qrs2 , qrd';
  const two: [number, string, string, string[]?][] = [
    [0x041, 'fadds', S3], [0x042, 'faddd', D3], [0x043, 'faddq', Q3, ['faddx']],
    [0x045, 'fsubs', S3], [0x046, 'fsubd', D3], [0x047, 'fsubq', Q3, ['fsubx']],
    [0x049, 'fmuls', S3], [0x04a, 'fmuld', D3], [0x04b, 'fmulq', Q3, ['fmulx']],
    [0x04d, 'fdivs', S3], [0x04e, 'fdivd', D3], [0x04f, 'fdivq', Q3, ['fdivx']],
    [0x069, 'fsmuld', 'frs1 , frs2 , drd'], [0x06e, 'fdmulq', 'drs1 , drs2 , qrd', ['fdmulx']],
  ];
  for (const [opf, name, syntax, aliases] of two) fpop(t, { op3: 0x34, opf, name, syntax, modes: ALL, isa: 'v8', aliases });

  // FPop2 compares: V8 needs rd = 0; V9 selects %fcc0..3 with rd bits 26:25 (27:29 ignored).
  const cmps: [number, string, string, string?][] = [
    [0x051, 'fcmps', 'frs1 , frs2'], [0x052, 'fcmpd', 'drs1 , drs2'], [0x053, 'fcmpq', 'qrs1 , qrs2', 'fcmpx'],
    [0x055, 'fcmpes', 'frs1 , frs2'], [0x056, 'fcmped', 'drs1 , drs2'], [0x057, 'fcmpeq', 'qrs1 , qrs2', 'fcmpex'],
  ];
  for (const [opf, name, syntax, alias] of cmps) {
    const v8 = enc({ op: 2, op3: 0x35, opf, rd: 0 });
    const v9 = enc({ op: 2, op3: 0x35, opf });
    const { reads } = locsOf(syntax);
    t.base({ id: name, mnemonic: name, exec: name, format: 'fpop', enc: v8, syntax, isa: 'v8', modes: V8, reads, writes: ['fcc'] });
    t.base({ id: `${name}.v9`, mnemonic: name, exec: name, format: 'fpop', enc: v9, syntax: `fccn , ${syntax}`, isa: 'v9', modes: V9UP, reads, writes: ['fcc'], fields: ['fccn', 'rs1', 'rs2'] });
    for (const [n, deferred] of [[name, false], ...(alias ? [[alias, true] as const] : [])] as const) {
      t.form({ name: n, kind: deferred ? 'synthetic' : 'variant', enc: v8, syntax, modes: ALL, deferred });
      for (let k = 0; k < 4; k++) {
        t.form({ name: n, kind: deferred ? 'synthetic' : 'variant', enc: refine(v9, { fccn: k }), syntax: `%fcc${k} , ${syntax}`, modes: V9UP, deferred });
      }
    }
  }
  v9MoveRows(t);
  visRows(t);
}

/** icc/xcc/fcc prefixes of conditional moves: [mcc value (cc2 cc1 cc0), operand]. */
const MCC: readonly (readonly [number, string])[] = [[4, '%icc'], [6, '%xcc'], [0, '%fcc0'], [1, '%fcc1'], [2, '%fcc2'], [3, '%fcc3']];

/** V9 movcc / movr / fmovcc / fmovr. */
function v9MoveRows(t: TableBuilder): void {
  const v9 = { isa: 'v9' as const, modes: V9UP };
  // movcc (op3 0x2c): cc2 = 1 selects icc/xcc (cc0 must be 0), cc2 = 0 selects fcc0..3.
  for (const [kind, one, zero] of [['icc', 1 << 18, 1 << 11], ['fcc', 0, 1 << 18]] as const) {
    const cc: Loc[] = kind === 'icc' ? ['icc', 'xcc'] : ['fcc'];
    const r = enc({ op: 2, op3: 0x2c, i: 0 }, zero, one);
    const i = enc({ op: 2, op3: 0x2c, i: 1 }, zero, one);
    t.base({ ...v9, id: `mov${kind}.r`, mnemonic: 'movcc', format: 'reg', enc: r, syntax: 'mcc , rs2 , rd', reads: ['rs2', 'rd', ...cc], writes: ['rd'], fields: ['mcond', 'mcc', 'rs2', 'rd'] });
    t.base({ ...v9, id: `mov${kind}.i`, mnemonic: 'movcc', format: 'imm', enc: i, syntax: 'mcc , simm11 , rd', reads: ['rd', ...cc], writes: ['rd'], fields: ['mcond', 'mcc', 'simm11', 'rd'] });
  }
  const condNames = (conds: typeof ICC_CONDS, c: number): [string, boolean][] => {
    const [, s, al] = conds.find(([k]) => k === c)!;
    const keep = al.filter((a) => a === 'z' || a === 'nz' || a === 'geu' || a === 'lu');
    return [[s, false], ...keep.map((a): [string, boolean] => [a, true])];
  };
  for (const [mcc, reg] of MCC) {
    const conds = mcc >= 4 ? ICC_CONDS : FCC_CONDS;
    for (const [c] of conds) {
      for (const [s, deferred] of condNames(conds, c)) {
        const form = { kind: 'variant' as const, modes: V9UP, deferred };
        t.form({ ...form, name: `mov${s}`, enc: enc({ op: 2, op3: 0x2c, i: 0, mcond: c, mcc }), syntax: `${reg} , rs2 , rd` });
        t.form({ ...form, name: `mov${s}`, enc: enc({ op: 2, op3: 0x2c, i: 1, mcond: c, mcc }), syntax: `${reg} , simm11 , rd` });
      }
    }
  }
  // movr (op3 0x2f): rcond 0 and 4 reserved.
  const rconds = [[5, 'ne', false], [1, 'e', false], [7, 'gez', false], [3, 'lz', false], [2, 'lez', false], [6, 'gz', false], [5, 'nz', true], [1, 'z', true]] as const;
  for (const [iv, imm, f] of [[0, 'rs2', 'reg'], [1, 'simm10', 'imm']] as const) {
    blocks(enc({ op: 2, op3: 0x2f, i: iv }), 'mrcond', [1, 2, 3, 5, 6, 7]).forEach((e, k) => {
      t.base({ ...v9, id: `movr.${iv ? 'i' : 'r'}${k ? `#${k}` : ''}`, mnemonic: 'movr', format: f, enc: e, syntax: `rs1 , ${imm} , rd`, reads: iv ? ['rs1', 'rd'] : ['rs1', 'rs2', 'rd'], writes: ['rd'], fields: iv ? ['mrcond', 'rs1', 'simm10', 'rd'] : ['mrcond', 'rs1', 'rs2', 'rd'] });
    });
    for (const [rc, s, deferred] of rconds) {
      t.form({ name: `movr${s}`, kind: 'variant', enc: enc({ op: 2, op3: 0x2f, i: iv, mrcond: rc }), syntax: `rs1 , ${imm} , rd`, modes: V9UP, deferred });
    }
  }
  // fmovcc (FPop2, opf = cc:3 size:6 with size 1/2/3 = s/d/q; bit 18 must be 0).
  for (const [size, sfx, ops] of [[1, 's', S2], [2, 'd', D2], [3, 'q', Q2]] as const) {
    for (const [kind, oneBits, zeroBits] of [['fcc', 0, 1 << 13], ['icc', 1 << 13, 1 << 11]] as const) {
      const e = enc({ op: 2, op3: 0x35 }, (1 << 18) | zeroBits | ((0x3f << 5) & ~(size << 5)), oneBits | (size << 5));
      const { reads, writes } = locsOf(ops);
      t.base({ ...v9, id: `fmov${sfx}${kind}`, mnemonic: `fmov${sfx}cc`, exec: 'fmovcc', format: 'fpop', enc: e, syntax: `mcc , ${ops}`, reads: [...reads, ...writes, kind === 'icc' ? 'icc' : 'fcc'], writes, fields: ['mcond', 'opf', 'rs2', 'rd'] });
    }
    for (const [mcc, reg] of MCC) {
      const opf = (mcc << 6) | size;
      const conds = mcc >= 4 ? ICC_CONDS : FCC_CONDS;
      for (const [c] of conds) {
        for (const [s, deferred] of condNames(conds, c)) {
          t.form({ name: `fmov${sfx}${s}`, kind: 'variant', enc: enc({ op: 2, op3: 0x35, opf, mcond: c }, 1 << 18), syntax: `${reg} , ${ops}`, modes: V9UP, deferred });
        }
      }
    }
    // fmovr: opf low 5 bits 5/6/7, rcond in 12:10, opf bit 8 (word bit 13) ignored by objdump.
    const low = size + 4;
    blocks(enc({ op: 2, op3: 0x35 }, (0x1f << 5) & ~(low << 5), low << 5), 'mrcond', [1, 2, 3, 5, 6, 7]).forEach((e, k) => {
      const { reads, writes } = locsOf(`rs1 , ${ops}`);
      t.base({ ...v9, id: `fmovr${sfx}${k ? `#${k}` : ''}`, mnemonic: `fmovr${sfx}`, exec: 'fmovr', format: 'fpop', enc: e, syntax: `rs1 , ${ops}`, reads: [...reads, ...writes], writes, fields: ['mrcond', 'rs1', 'rs2', 'rd'] });
    });
    for (const [rc, s, deferred] of rconds) {
      const e = enc({ op: 2, op3: 0x35, mrcond: rc }, (0x1f << 5) & ~(low << 5), low << 5);
      t.form({ name: `fmovr${sfx}${s}`, kind: 'variant', enc: e, syntax: `rs1 , ${ops}`, modes: V9UP, deferred });
    }
  }
}

/** UltraSPARC-1 VIS (op3 0x36 = IMPDEP1 space), V8+A only. [opf, name, syntax, aliases, rs1 = 0] */
const VIS: readonly (readonly [number, string, string, readonly string[], boolean?])[] = [
  [0x050, 'fpadd16', 'drs1 , drs2 , drd', []], [0x051, 'fpadd16s', 'frs1 , frs2 , frd', []],
  [0x052, 'fpadd32', 'drs1 , drs2 , drd', []], [0x053, 'fpadd32s', 'frs1 , frs2 , frd', []],
  [0x054, 'fpsub16', 'drs1 , drs2 , drd', []], [0x055, 'fpsub16s', 'frs1 , frs2 , frd', []],
  [0x056, 'fpsub32', 'drs1 , drs2 , drd', []], [0x057, 'fpsub32s', 'frs1 , frs2 , frd', []],
  [0x03a, 'fpack32', 'drs1 , drs2 , drd', []], [0x03b, 'fpack16', 'drs2 , frd', [], true],
  [0x03d, 'fpackfix', 'drs2 , frd', [], true], [0x04d, 'fexpand', 'frs2 , drd', [], true],
  [0x04b, 'fpmerge', 'frs1 , frs2 , drd', []],
  [0x031, 'fmul8x16', 'frs1 , drs2 , drd', []], [0x033, 'fmul8x16au', 'frs1 , frs2 , drd', []],
  [0x035, 'fmul8x16al', 'frs1 , frs2 , drd', []], [0x036, 'fmul8sux16', 'drs1 , drs2 , drd', []],
  [0x037, 'fmul8ulx16', 'drs1 , drs2 , drd', []], [0x038, 'fmuld8sux16', 'frs1 , frs2 , drd', []],
  [0x039, 'fmuld8ulx16', 'frs1 , frs2 , drd', []],
  [0x018, 'alignaddr', 'rs1 , rs2 , rd', []], [0x01a, 'alignaddrl', 'rs1 , rs2 , rd', []],
  [0x048, 'faligndata', 'drs1 , drs2 , drd', []],
  [0x060, 'fzerod', 'drd', ['fzero']], [0x061, 'fzeros', 'frd', []], [0x07e, 'foned', 'drd', ['fone']], [0x07f, 'fones', 'frd', []],
  [0x074, 'fsrc1d', 'drs1 , drd', ['fsrc1']], [0x075, 'fsrc1s', 'frs1 , frd', []],
  [0x078, 'fsrc2d', 'drs2 , drd', ['fsrc2']], [0x079, 'fsrc2s', 'frs2 , frd', []],
  [0x06a, 'fnot1d', 'drs1 , drd', ['fnot1']], [0x06b, 'fnot1s', 'frs1 , frd', []],
  [0x066, 'fnot2d', 'drs2 , drd', ['fnot2']], [0x067, 'fnot2s', 'frs2 , frd', []],
  [0x07c, 'ford', 'drs1 , drs2 , drd', ['for']], [0x07d, 'fors', 'frs1 , frs2 , frd', []],
  [0x062, 'fnord', 'drs1 , drs2 , drd', ['fnor']], [0x063, 'fnors', 'frs1 , frs2 , frd', []],
  [0x070, 'fandd', 'drs1 , drs2 , drd', ['fand']], [0x071, 'fands', 'frs1 , frs2 , frd', []],
  [0x06e, 'fnandd', 'drs1 , drs2 , drd', ['fnand']], [0x06f, 'fnands', 'frs1 , frs2 , frd', []],
  [0x06c, 'fxord', 'drs1 , drs2 , drd', ['fxor']], [0x06d, 'fxors', 'frs1 , frs2 , frd', []],
  [0x072, 'fxnord', 'drs1 , drs2 , drd', ['fxnor']], [0x073, 'fxnors', 'frs1 , frs2 , frd', []],
  [0x07a, 'fornot1d', 'drs1 , drs2 , drd', ['fornot1']], [0x07b, 'fornot1s', 'frs1 , frs2 , frd', []],
  [0x076, 'fornot2d', 'drs1 , drs2 , drd', ['fornot2']], [0x077, 'fornot2s', 'frs1 , frs2 , frd', []],
  [0x068, 'fandnot1d', 'drs1 , drs2 , drd', ['fandnot1']], [0x069, 'fandnot1s', 'frs1 , frs2 , frd', []],
  [0x064, 'fandnot2d', 'drs1 , drs2 , drd', ['fandnot2']], [0x065, 'fandnot2s', 'frs1 , frs2 , frd', []],
  [0x028, 'fpcmpgt16', 'drs1 , drs2 , rd', ['fcmpgt16']], [0x02c, 'fpcmpgt32', 'drs1 , drs2 , rd', ['fcmpgt32']],
  [0x020, 'fpcmple16', 'drs1 , drs2 , rd', ['fcmple16']], [0x024, 'fpcmple32', 'drs1 , drs2 , rd', ['fcmple32']],
  [0x022, 'fpcmpne16', 'drs1 , drs2 , rd', ['fpcmpune16', 'fcmpne16']], [0x026, 'fpcmpne32', 'drs1 , drs2 , rd', ['fpcmpune32', 'fcmpne32']],
  [0x02a, 'fpcmpeq16', 'drs1 , drs2 , rd', ['fpcmpueq16', 'fcmpeq16']], [0x02e, 'fpcmpeq32', 'drs1 , drs2 , rd', ['fpcmpueq32', 'fcmpeq32']],
  [0x000, 'edge8cc', 'rs1 , rs2 , rd', ['edge8']], [0x002, 'edge8lcc', 'rs1 , rs2 , rd', ['edge8l']],
  [0x004, 'edge16cc', 'rs1 , rs2 , rd', ['edge16']], [0x006, 'edge16lcc', 'rs1 , rs2 , rd', ['edge16l']],
  [0x008, 'edge32cc', 'rs1 , rs2 , rd', ['edge32']], [0x00a, 'edge32lcc', 'rs1 , rs2 , rd', ['edge32l']],
  [0x03e, 'pdist', 'drs1 , drs2 , drd', []],
  [0x010, 'array8', 'rs1 , rs2 , rd', []], [0x012, 'array16', 'rs1 , rs2 , rd', []], [0x014, 'array32', 'rs1 , rs2 , rd', []],
];

function visRows(t: TableBuilder): void {
  for (const [opf, name, syntax, aliases, rs1Zero] of VIS) {
    fpop(t, { op3: 0x36, opf, name, syntax, modes: V9A, isa: 'v9a', aliases, rs1Zero: rs1Zero ?? false });
  }
  fpop(t, { op3: 0x36, opf: 0x080, name: 'shutdown', syntax: '', modes: V9A, isa: 'v9a', extraZero: ['rd', 'rs1', 'rs2'] });
}

