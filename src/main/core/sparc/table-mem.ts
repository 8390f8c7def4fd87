// Table rows for loads, stores, atomics and prefetch (op=3), V8 manual §B.1–B.11 and V9 §A.
import { ALL, type EncKey, type Enc, type TableBuilder, V8, V9UP, enc, refine } from './tablekit.ts';
import type { Isa, Loc, MemAccess } from './types.ts';

/** Options of addrForms(): one objdump opcode-table group "name [address], data". */
export interface AddrForms {
  readonly name: string;
  readonly op: number;
  readonly op3: number;
  /** Data operand token ('rd', 'frd', '%fsr', ...); '' for none (clr, jmp, flush, rett). */
  readonly data: string;
  readonly store?: boolean;
  /** Alternate space: 'asi' after the address for i=0, '%asi' for i=1. */
  readonly alt?: boolean;
  /** The i=0 forms need asi = 0 (objdump ASI(~0) / ASI_RS2(~0)). */
  readonly asiZero?: boolean;
  /** Print the address without brackets (jmpl, rett, V8 flush). */
  readonly bare?: boolean;
  readonly fixed?: Partial<Record<EncKey, number>>;
  readonly modesR: number;
  readonly modesI: number;
  readonly deferred?: boolean;
  readonly preferred?: boolean;
  readonly kind?: 'variant' | 'synthetic';
  readonly noDelay?: boolean;
}

/** Emits the five address forms objdump knows: rs1+rs2, rs1 (rs2=%g0), rs1+imm, imm (rs1=%g0),
 * rs1 (imm=0). The commuted forms (imm+rs1) only matter to assemblers. */
export function addrForms(t: TableBuilder, o: AddrForms): void {
  const base = { op: o.op, op3: o.op3, ...o.fixed };
  const [open, close] = o.bare ? ['', ''] : ['[ ', ' ]'];
  const altR = o.alt ? ' asi' : '';
  const altI = o.alt ? ' %asi' : '';
  const z = o.asiZero ? { asi: 0 } : {};
  const list: [string, Enc, number][] = [
    [`${open}rs1 + rs2${close}${altR}`, enc({ ...base, i: 0, ...z }), o.modesR],
    [`${open}rs1${close}${altR}`, enc({ ...base, i: 0, ...z, rs2: 0 }), o.modesR],
    [`${open}rs1 + simm13${close}${altI}`, enc({ ...base, i: 1 }), o.modesI],
    [`${open}simm13${close}${altI}`, enc({ ...base, i: 1, rs1: 0 }), o.modesI],
    [`${open}rs1${close}${altI}`, enc({ ...base, i: 1, simm13: 0 }), o.modesI],
  ];
  for (const [addr, e, modes] of list) {
    if (modes === 0) continue;
    const syntax = o.data === '' ? addr : o.store ? `${o.data} , ${addr}` : `${addr} , ${o.data}`;
    t.form({
      name: o.name,
      kind: o.kind ?? 'variant',
      enc: e,
      syntax,
      modes,
      deferred: o.deferred ?? false,
      preferred: o.preferred ?? false,
      noDelay: o.noDelay ?? false,
    });
  }
}

interface MemBase {
  readonly id: string;
  readonly mnemonic: string;
  readonly exec?: string;
  readonly op3: number;
  readonly isa: Isa;
  readonly modesR: number;
  readonly modesI: number;
  readonly asiZero: boolean;
  readonly fixed?: Partial<Record<EncKey, number>>;
  readonly data: string;
  readonly store: boolean;
  readonly mem: MemAccess;
  readonly reads: readonly Loc[];
  readonly writes: readonly Loc[];
  readonly privileged?: boolean;
}

/** Emits the base rows (register form '.r', immediate form '.i') of a load/store. */
function memBase(t: TableBuilder, b: MemBase): void {
  const alt = b.mem.alternate;
  const addrR = alt ? '[ rs1 + rs2 ] asi' : '[ rs1 + rs2 ]';
  const addrI = alt ? '[ rs1 + simm13 ] %asi' : '[ rs1 + simm13 ]';
  const syn = (a: string): string => (b.data === '' ? a : b.store ? `${b.data} , ${a}` : `${a} , ${b.data}`);
  const common = {
    mnemonic: b.mnemonic,
    exec: b.exec ?? b.mnemonic,
    isa: b.isa,
    mem: b.mem,
    privileged: b.privileged ?? false,
    writes: b.writes,
  };
  if (b.modesR !== 0) {
    t.base({
      ...common,
      id: `${b.id}.r`,
      format: 'reg',
      enc: enc({ op: 3, op3: b.op3, i: 0, ...(b.asiZero ? { asi: 0 } : {}), ...b.fixed }),
      syntax: syn(addrR),
      modes: b.modesR,
      reads: ['rs1', 'rs2', ...b.reads],
    });
  }
  if (b.modesI !== 0) {
    t.base({
      ...common,
      id: `${b.id}.i`,
      format: 'imm',
      enc: enc({ op: 3, op3: b.op3, i: 1, ...b.fixed }),
      syntax: syn(addrI),
      modes: b.modesI,
      reads: alt ? ['rs1', 'asireg', ...b.reads] : ['rs1', ...b.reads],
    });
  }
}

type File = MemAccess['file'];
const mem = (kind: MemAccess['kind'], width: MemAccess['width'], file: File, signed = false, alternate = false): MemAccess =>
  ({ kind, width, file, signed, alternate });

/** Register operand read/written for a data token of a given width. */
function dataLocs(data: string, width: number): Loc[] {
  switch (data) {
    case 'rd': return width === 8 ? ['rd', 'rd2'] : ['rd'];
    case 'frd': return ['frd'];
    case 'drd': return ['drd'];
    case 'qrd': return ['qrd'];
    case 'crd': return width === 8 ? ['crd', 'crd2'] : ['crd'];
    case '%fsr': return ['fsr'];
    case '%csr': return ['csr'];
    case '%fq': return ['fq'];
    case '%cq': return ['cq'];
    default: return [];
  }
}

interface LS {
  id: string; mn: string; name: string; op3: number; data: string; isa: Isa;
  modesR: number; modesI: number; asiZero: boolean; width: MemAccess['width']; file: File;
  signed?: boolean; alt?: boolean; fixed?: Partial<Record<EncKey, number>>; store?: boolean;
  deferred?: boolean; preferred?: boolean; privileged?: boolean;
}

/** One load or store: base rows plus its objdump forms. */
function ls(t: TableBuilder, x: LS): void {
  const store = x.store ?? false;
  const locs = dataLocs(x.data, x.width);
  memBase(t, {
    id: x.id, mnemonic: x.mn, op3: x.op3, isa: x.isa, modesR: x.modesR, modesI: x.modesI, asiZero: x.asiZero,
    fixed: x.fixed, data: x.data, store, privileged: x.privileged ?? (x.alt === true && x.isa === 'v8'),
    mem: mem(store ? 'store' : 'load', x.width, x.file, x.signed ?? false, x.alt ?? false),
    reads: store ? locs : [], writes: store ? ['mem'] : locs,
  });
  addrForms(t, {
    name: x.name, op: 3, op3: x.op3, data: x.data, store, alt: x.alt, asiZero: x.asiZero, fixed: x.fixed,
    modesR: x.modesR, modesI: x.modesI, deferred: x.deferred, preferred: x.preferred,
  });
}

/** Extra names objdump knows for an existing load/store (V9 names, 'spill', 'clr', ...). */
function alias(t: TableBuilder, name: string, op3: number, data: string, modesR: number, modesI: number,
  o: { store?: boolean; alt?: boolean; asiZero?: boolean; fixed?: Partial<Record<EncKey, number>>; preferred?: boolean; deferred?: boolean } = {}): void {
  addrForms(t, {
    name, op: 3, op3, data, store: o.store, alt: o.alt, asiZero: o.asiZero, fixed: o.fixed, modesR, modesI,
    deferred: o.deferred ?? true, preferred: o.preferred, kind: 'synthetic',
  });
}

export function memoryRows(t: TableBuilder): void {
  // Integer loads (V8 §B.1) and their V9 relatives.
  ls(t, { id: 'ld', mn: 'ld', name: 'ld', op3: 0x00, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: false, width: 4, file: 'int' });
  alias(t, 'lduw', 0x00, 'rd', V9UP, V9UP);
  ls(t, { id: 'ldub', mn: 'ldub', name: 'ldub', op3: 0x01, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 1, file: 'int' });
  ls(t, { id: 'lduh', mn: 'lduh', name: 'lduh', op3: 0x02, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 2, file: 'int' });
  ls(t, { id: 'ldd', mn: 'ldd', name: 'ldd', op3: 0x03, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 8, file: 'int', deferred: true });
  alias(t, 'ldtw', 0x03, 'rd', V9UP, V9UP, { asiZero: true, deferred: false });
  ls(t, { id: 'ldsw', mn: 'ldsw', name: 'ldsw', op3: 0x08, data: 'rd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 4, file: 'int', signed: true });
  ls(t, { id: 'ldsb', mn: 'ldsb', name: 'ldsb', op3: 0x09, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 1, file: 'int', signed: true });
  ls(t, { id: 'ldsh', mn: 'ldsh', name: 'ldsh', op3: 0x0a, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 2, file: 'int', signed: true });
  ls(t, { id: 'ldx', mn: 'ldx', name: 'ldx', op3: 0x0b, data: 'rd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 8, file: 'int' });
  // ldstub and swap read and write memory (atomic).
  for (const [id, op3, width, isa] of [['ldstub', 0x0d, 1, 'v8'], ['swap', 0x0f, 4, 'v8']] as const) {
    memBase(t, {
      id, mnemonic: id, op3, isa, modesR: ALL, modesI: ALL, asiZero: true, data: 'rd', store: false,
      mem: mem('atomic', width, 'int'), reads: id === 'swap' ? ['rd'] : [], writes: ['rd', 'mem'],
    });
    addrForms(t, { name: id, op: 3, op3, data: 'rd', asiZero: true, modesR: ALL, modesI: ALL });
  }
  // Alternate-space integer loads (V8: register form only, privileged; V9 adds imm + %asi).
  const altLoads = [
    ['lda', 0x10, 4, false, ALL], ['lduba', 0x11, 1, false, ALL], ['lduha', 0x12, 2, false, ALL],
    ['ldda', 0x13, 8, false, ALL], ['ldswa', 0x18, 4, true, V9UP], ['ldsba', 0x19, 1, true, ALL],
    ['ldsha', 0x1a, 2, true, ALL], ['ldxa', 0x1b, 8, false, V9UP],
  ] as const;
  for (const [mn, op3, width, signed, modesR] of altLoads) {
    const isa: Isa = modesR === ALL ? 'v8' : 'v9';
    memBase(t, {
      id: mn, mnemonic: mn, op3, isa, modesR, modesI: V9UP, asiZero: false, data: 'rd', store: false,
      mem: mem('load', width, 'int', signed, true), reads: [], writes: dataLocs('rd', width), privileged: isa === 'v8',
    });
    // 'ldtwa' is the V9 name of ldda; objdump prints 'ldda' (an F_ALIAS) only where ldtwa is unknown.
    if (mn === 'ldda') addrForms(t, { name: 'ldtwa', op: 3, op3, data: 'rd', alt: true, modesR: V9UP, modesI: V9UP });
    else addrForms(t, { name: mn, op: 3, op3, data: 'rd', alt: true, modesR, modesI: V9UP });
  }
  alias(t, 'ldda', 0x13, 'rd', ALL, V9UP, { alt: true });
  alias(t, 'lduwa', 0x10, 'rd', V9UP, V9UP, { alt: true });
  for (const [id, op3, width] of [['ldstuba', 0x1d, 1], ['swapa', 0x1f, 4]] as const) {
    memBase(t, {
      id, mnemonic: id, op3, isa: 'v8', modesR: ALL, modesI: V9UP, asiZero: false, data: 'rd', store: false,
      mem: mem('atomic', width, 'int', false, true), reads: id === 'swapa' ? ['rd'] : [], writes: ['rd', 'mem'], privileged: true,
    });
    addrForms(t, { name: id, op: 3, op3, data: 'rd', alt: true, modesR: ALL, modesI: V9UP });
  }

  // Floating-point and coprocessor loads (V8 §B.2, B.3).
  ls(t, { id: 'ldf', mn: 'ldf', name: 'ld', op3: 0x20, data: 'frd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: false, width: 4, file: 'fp' });
  ls(t, { id: 'ldfsr', mn: 'ldfsr', name: 'ld', op3: 0x21, data: '%fsr', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: false, width: 4, file: 'fsr', fixed: { rd: 0 } });
  ls(t, { id: 'ldxfsr', mn: 'ldxfsr', name: 'ldx', op3: 0x21, data: '%fsr', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 8, file: 'fsr', fixed: { rd: 1 } });
  ls(t, { id: 'ldqf', mn: 'ldqf', name: 'ldq', op3: 0x22, data: 'qrd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 16, file: 'fp' });
  ls(t, { id: 'lddf', mn: 'lddf', name: 'ldd', op3: 0x23, data: 'drd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 8, file: 'fp', deferred: true });
  ls(t, { id: 'ldc', mn: 'ldc', name: 'ld', op3: 0x30, data: 'crd', isa: 'v8', modesR: V8, modesI: V8, asiZero: false, width: 4, file: 'cp' });
  ls(t, { id: 'ldcsr', mn: 'ldcsr', name: 'ld', op3: 0x31, data: '%csr', isa: 'v8', modesR: V8, modesI: V8, asiZero: false, width: 4, file: 'csr' });
  ls(t, { id: 'lddc', mn: 'lddc', name: 'ldd', op3: 0x33, data: 'crd', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 8, file: 'cp' });
  ls(t, { id: 'ldfa', mn: 'ldfa', name: 'lda', op3: 0x30, data: 'frd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 4, file: 'fp', alt: true });
  ls(t, { id: 'ldqfa', mn: 'ldqfa', name: 'ldqa', op3: 0x32, data: 'qrd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 16, file: 'fp', alt: true });
  ls(t, { id: 'lddfa', mn: 'lddfa', name: 'ldda', op3: 0x33, data: 'drd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 8, file: 'fp', alt: true });

  // Integer stores (V8 §B.4).
  ls(t, { id: 'st', mn: 'st', name: 'st', op3: 0x04, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 4, file: 'int', store: true });
  for (const n of ['stw', 'stsw', 'stuw']) alias(t, n, 0x04, 'rd', V9UP, V9UP, { store: true, asiZero: true });
  alias(t, 'spill', 0x04, 'rd', ALL, ALL, { store: true, asiZero: true });
  alias(t, 'clr', 0x04, '', ALL, ALL, { store: true, asiZero: true, fixed: { rd: 0 } });
  ls(t, { id: 'stb', mn: 'stb', name: 'stb', op3: 0x05, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 1, file: 'int', store: true });
  for (const n of ['stsb', 'stub']) alias(t, n, 0x05, 'rd', ALL, ALL, { store: true, asiZero: true });
  alias(t, 'clrb', 0x05, '', ALL, ALL, { store: true, asiZero: true, fixed: { rd: 0 } });
  ls(t, { id: 'sth', mn: 'sth', name: 'sth', op3: 0x06, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 2, file: 'int', store: true });
  for (const n of ['stsh', 'stuh']) alias(t, n, 0x06, 'rd', ALL, ALL, { store: true, asiZero: true });
  alias(t, 'clrh', 0x06, '', ALL, ALL, { store: true, asiZero: true, fixed: { rd: 0 } });
  ls(t, { id: 'std', mn: 'std', name: 'std', op3: 0x07, data: 'rd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 8, file: 'int', store: true, deferred: true, preferred: true });
  alias(t, 'sttw', 0x07, 'rd', V9UP, V9UP, { store: true, asiZero: true, deferred: false });
  alias(t, 'spilld', 0x07, 'rd', ALL, ALL, { store: true, asiZero: true });
  ls(t, { id: 'stx', mn: 'stx', name: 'stx', op3: 0x0e, data: 'rd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 8, file: 'int', store: true });
  alias(t, 'clrx', 0x0e, '', V9UP, V9UP, { store: true, asiZero: true, fixed: { rd: 0 } });
  // Alternate-space stores.
  const altStores = [['sta', 0x14, 4, ALL], ['stba', 0x15, 1, ALL], ['stha', 0x16, 2, ALL], ['stda', 0x17, 8, ALL], ['stxa', 0x1e, 8, V9UP]] as const;
  for (const [mn, op3, width, modesR] of altStores) {
    const isa: Isa = modesR === ALL ? 'v8' : 'v9';
    const name = mn === 'stda' ? 'sttwa' : mn;
    memBase(t, {
      id: mn, mnemonic: mn, op3, isa, modesR, modesI: V9UP, asiZero: false, data: 'rd', store: true,
      mem: mem('store', width, 'int', false, true), reads: dataLocs('rd', width), writes: ['mem'], privileged: isa === 'v8',
    });
    addrForms(t, { name, op: 3, op3, data: 'rd', store: true, alt: true, modesR: name === 'sttwa' ? V9UP : modesR, modesI: V9UP });
  }
  for (const n of ['stwa', 'stswa', 'stuwa']) alias(t, n, 0x14, 'rd', V9UP, V9UP, { store: true, alt: true });
  for (const n of ['stsba', 'stuba']) alias(t, n, 0x15, 'rd', ALL, V9UP, { store: true, alt: true });
  for (const n of ['stsha', 'stuha']) alias(t, n, 0x16, 'rd', ALL, V9UP, { store: true, alt: true });
  alias(t, 'stda', 0x17, 'rd', ALL, V9UP, { store: true, alt: true });

  // Floating-point and coprocessor stores (V8 §B.5, B.6).
  ls(t, { id: 'stf', mn: 'stf', name: 'st', op3: 0x24, data: 'frd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 4, file: 'fp', store: true });
  ls(t, { id: 'stfsr', mn: 'stfsr', name: 'st', op3: 0x25, data: '%fsr', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 4, file: 'fsr', store: true, fixed: { rd: 0 } });
  ls(t, { id: 'stxfsr', mn: 'stxfsr', name: 'stx', op3: 0x25, data: '%fsr', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 8, file: 'fsr', store: true, fixed: { rd: 1 } });
  ls(t, { id: 'stdfq', mn: 'stdfq', name: 'std', op3: 0x26, data: '%fq', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 8, file: 'fq', store: true, privileged: true });
  ls(t, { id: 'stqf', mn: 'stqf', name: 'stq', op3: 0x26, data: 'qrd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 16, file: 'fp', store: true });
  ls(t, { id: 'stdf', mn: 'stdf', name: 'std', op3: 0x27, data: 'drd', isa: 'v8', modesR: ALL, modesI: ALL, asiZero: true, width: 8, file: 'fp', store: true });
  ls(t, { id: 'stc', mn: 'stc', name: 'st', op3: 0x34, data: 'crd', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 4, file: 'cp', store: true });
  ls(t, { id: 'stcsr', mn: 'stcsr', name: 'st', op3: 0x35, data: '%csr', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 4, file: 'csr', store: true });
  ls(t, { id: 'stdcq', mn: 'stdcq', name: 'std', op3: 0x36, data: '%cq', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 8, file: 'cq', store: true, privileged: true });
  ls(t, { id: 'stdc', mn: 'stdc', name: 'std', op3: 0x37, data: 'crd', isa: 'v8', modesR: V8, modesI: V8, asiZero: true, width: 8, file: 'cp', store: true });
  ls(t, { id: 'stfa', mn: 'stfa', name: 'sta', op3: 0x34, data: 'frd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 4, file: 'fp', store: true, alt: true });
  // objdump's stqa wants asi = 0 in its register forms (ASI(~0) in sparc-opc.c).
  ls(t, { id: 'stqfa', mn: 'stqfa', name: 'stqa', op3: 0x36, data: 'qrd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: true, width: 16, file: 'fp', store: true, alt: true });
  ls(t, { id: 'stdfa', mn: 'stdfa', name: 'stda', op3: 0x37, data: 'drd', isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, width: 8, file: 'fp', store: true, alt: true });

  // V9 prefetch (the fcn lives in rd).
  for (const [id, op3, alt] of [['prefetch', 0x2d, false], ['prefetcha', 0x3d, true]] as const) {
    memBase(t, {
      id, mnemonic: id, op3, isa: 'v9', modesR: V9UP, modesI: V9UP, asiZero: false, data: 'prefetch', store: false,
      mem: mem('prefetch', 0, 'int', false, alt), reads: [], writes: [],
    });
    addrForms(t, { name: id, op: 3, op3, data: 'prefetch', alt, modesR: V9UP, modesI: V9UP });
  }

  // Compare and swap: casa is V9 and LEON (objdump accepts it for plain V8), casxa V9 only.
  for (const [id, op3, width, modes, isa] of [['casa', 0x3c, 4, ALL, 'leon'], ['casxa', 0x3e, 8, V9UP, 'v9']] as const) {
    const m = mem('atomic', width, 'int', false, true);
    const r = enc({ op: 3, op3, i: 0 });
    const i = enc({ op: 3, op3, i: 1 });
    t.base({ id: `${id}.r`, mnemonic: id, format: 'reg', enc: r, syntax: '[ rs1 ] asi , rs2 , rd', isa, modes, reads: ['rs1', 'rs2', 'rd'], writes: ['rd', 'mem'], mem: m });
    t.base({ id: `${id}.i`, mnemonic: id, format: 'imm', enc: i, syntax: '[ rs1 ] %asi , rs2 , rd', isa, modes, reads: ['rs1', 'rs2', 'rd', 'asireg'], writes: ['rd', 'mem'], mem: m, fields: ['rs1', 'rs2', 'rd'] });
    t.form({ name: id, kind: 'variant', enc: r, syntax: '[ rs1 ] asi , rs2 , rd', modes });
    t.form({ name: id, kind: 'variant', enc: i, syntax: '[ rs1 ] %asi , rs2 , rd', modes });
    const short = id === 'casa' ? 'cas' : 'casx';
    t.form({ name: short, enc: refine(r, { asi: 0x80 }), syntax: '[ rs1 ] , rs2 , rd', modes: V9UP, deferred: true });
    t.form({ name: `${short}l`, enc: refine(r, { asi: 0x88 }), syntax: '[ rs1 ] , rs2 , rd', modes: V9UP, deferred: true });
  }
}
