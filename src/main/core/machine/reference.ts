// The reference interpreter: SPARC V8 integer-unit semantics written for obviousness; the oracle for the fast engine.
//
// One step = take a pending interrupt, or fetch, decode (with the shared instruction table) and
// execute one instruction, which either completes (pc ← npc, npc ← next) or traps. Every handler
// is named after the `exec` key of its table row and follows the V8 manual's Appendix B pseudo-code.
import { decode, type Instruction, type InstrRow } from '../sparc/index.ts';
import type { Cpu } from './cpu.ts';
import type { Engine, ExecContext } from './engine.ts';
import { pendingInterrupt, TT } from './traps.ts';

export type Handler = (m: ExecContext, cpu: Cpu, insn: Instruction) => void;

// ---- helpers ----------------------------------------------------------------------------------

/** pc ← npc, npc ← npc + 4: the normal sequencing of a non-CTI instruction. */
function next(cpu: Cpu): void {
  cpu.pc = cpu.npc;
  cpu.npc = (cpu.npc + 4) >>> 0;
}

/** r[rs1] as a signed 32-bit value. */
function rs1(cpu: Cpu, insn: Instruction): number {
  return cpu.get(insn.rs1) | 0;
}

/** The second operand: r[rs2] (i=0) or sign_extend(simm13) (i=1), as a signed 32-bit value. */
function operand2(cpu: Cpu, insn: Instruction): number {
  return insn.i ? insn.simm13 | 0 : cpu.get(insn.rs2) | 0;
}

/** r[rs1] + operand2, the effective address of loads, stores, jmpl, rett, flush (unsigned). */
function address(cpu: Cpu, insn: Instruction): number {
  return (rs1(cpu, insn) + operand2(cpu, insn)) >>> 0;
}

const N = 8;
const Z = 4;
const V = 2;
const C = 1;

/** icc for a logical result: N and Z from the result, V = C = 0. */
function logicIcc(r: number): number {
  return (r < 0 ? N : 0) | (r === 0 ? Z : 0);
}

/** a + b + carry with the V8 add condition codes (§B.12). */
function addWithFlags(a: number, b: number, carry: number): { r: number; icc: number } {
  const wide = (a >>> 0) + (b >>> 0) + carry;
  const r = wide | 0;
  const overflow = (a < 0) === (b < 0) && (r < 0) !== (a < 0);
  return { r, icc: logicIcc(r) | (overflow ? V : 0) | (wide > 0xffffffff ? C : 0) };
}

/** a − b − borrow with the V8 subtract condition codes (§B.13): C is the borrow. */
function subWithFlags(a: number, b: number, borrow: number): { r: number; icc: number } {
  const r = (a - b - borrow) | 0;
  const overflow = (a < 0) !== (b < 0) && (r < 0) !== (a < 0);
  const borrowOut = (a >>> 0) < (b >>> 0) + borrow;
  return { r, icc: logicIcc(r) | (overflow ? V : 0) | (borrowOut ? C : 0) };
}

/** Bicc/Ticc condition evaluation (V8 Table F-? / §B.21). */
export function condition(cond: number, icc: number): boolean {
  const n = (icc >> 3) & 1;
  const z = (icc >> 2) & 1;
  const v = (icc >> 1) & 1;
  const c = icc & 1;
  switch (cond & 7) {
    case 0: return cond === 8; // bn / ba
    case 1: return (z === 1) !== (cond >= 8); // be / bne
    case 2: return (z === 1 || n !== v) !== (cond >= 8); // ble / bg
    case 3: return (n !== v) !== (cond >= 8); // bl / bge
    case 4: return (c === 1 || z === 1) !== (cond >= 8); // bleu / bgu
    case 5: return (c === 1) !== (cond >= 8); // bcs / bcc
    case 6: return (n === 1) !== (cond >= 8); // bneg / bpos
    default: return (v === 1) !== (cond >= 8); // bvs / bvc
  }
}

// ---- arithmetic and logic (§B.11–B.20) --------------------------------------------------------

type Alu = (cpu: Cpu, a: number, b: number) => number | null;

/** A format-3 ALU instruction: rd ← f(r[rs1], operand2). `f` returns null after trapping. */
function alu(f: Alu): Handler {
  return (m, cpu, insn) => {
    const r = f(cpu, rs1(cpu, insn), operand2(cpu, insn));
    if (r === null) {
      m.trap(cpu, TT.tag_overflow);
      return;
    }
    cpu.set(insn.rd, r);
    next(cpu);
  };
}

/** rd ← f(a, b); icc from `flags` of the result. */
function aluCc(f: (a: number, b: number, cpu: Cpu) => { r: number; icc: number }): Alu {
  return (cpu, a, b) => {
    const { r, icc } = f(a, b, cpu);
    cpu.icc = icc;
    return r;
  };
}

const logicCc = (f: (a: number, b: number) => number): Alu =>
  aluCc((a, b) => {
    const r = f(a, b) | 0;
    return { r, icc: logicIcc(r) };
  });

const and = (a: number, b: number): number => a & b;
const andn = (a: number, b: number): number => a & ~b;
const or = (a: number, b: number): number => a | b;
const orn = (a: number, b: number): number => a | ~b;
const xor = (a: number, b: number): number => a ^ b;
const xnor = (a: number, b: number): number => ~(a ^ b);

/** Tagged add/subtract (§B.14): V also when either operand's low two bits are not zero. */
function tagged(sub: boolean, trapOnOverflow: boolean): Alu {
  return (cpu, a, b) => {
    const { r, icc } = sub ? subWithFlags(a, b, 0) : addWithFlags(a, b, 0);
    const tagV = ((a | b) & 3) !== 0;
    const flags = tagV ? icc | V : icc;
    if (trapOnOverflow && (flags & V) !== 0) return null; // tag_overflow: rd and icc unchanged
    cpu.icc = flags;
    return r;
  };
}

/** MULScc (§B.17): one step of a shift-and-add multiply through Y. */
const mulscc: Alu = (cpu, a, b) => {
  const nXorV = ((cpu.icc >> 3) ^ (cpu.icc >> 1)) & 1;
  const op1 = ((nXorV << 31) | (a >>> 1)) | 0;
  const op2 = (cpu.y & 1) === 0 ? 0 : b;
  const { r, icc } = addWithFlags(op1, op2, 0);
  cpu.y = (((a & 1) << 31) | (cpu.y >>> 1)) >>> 0;
  cpu.icc = icc;
  return r;
};

/** UMUL/SMUL (§B.18): the 64-bit product; Y ← high word, rd ← low word; cc: N, Z of rd, V = C = 0. */
function multiply(signed: boolean, setCc: boolean): Alu {
  return (cpu, a, b) => {
    const x = signed ? BigInt(a | 0) : BigInt(a >>> 0);
    const y = signed ? BigInt(b | 0) : BigInt(b >>> 0);
    const p = BigInt.asUintN(64, x * y);
    cpu.y = Number(p >> 32n) >>> 0;
    const r = Number(p & 0xffffffffn) | 0;
    if (setCc) cpu.icc = logicIcc(r);
    return r;
  };
}

/**
 * UDIV/SDIV (§B.19): (Y:r[rs1]) / operand2, quotient truncated toward zero; an unrepresentable
 * quotient saturates and sets V. The remainder is not kept. Division by zero traps.
 */
function divide(signed: boolean, setCc: boolean): Handler {
  return (m, cpu, insn) => {
    const b = operand2(cpu, insn);
    if (b === 0) {
      m.trap(cpu, TT.division_by_zero);
      return;
    }
    const dividendU = (BigInt(cpu.y >>> 0) << 32n) | BigInt(rs1(cpu, insn) >>> 0);
    let q: bigint;
    let overflow = false;
    if (signed) {
      q = BigInt.asIntN(64, dividendU) / BigInt(b | 0);
      if (q > 0x7fffffffn) {
        q = 0x7fffffffn;
        overflow = true;
      } else if (q < -0x80000000n) {
        q = -0x80000000n;
        overflow = true;
      }
    } else {
      q = dividendU / BigInt(b >>> 0);
      if (q > 0xffffffffn) {
        q = 0xffffffffn;
        overflow = true;
      }
    }
    const r = Number(BigInt.asIntN(32, q));
    if (setCc) cpu.icc = logicIcc(r) | (overflow ? V : 0);
    cpu.set(insn.rd, r);
    next(cpu);
  };
}

// ---- loads and stores (§B.1–B.10) -------------------------------------------------------------

/** ASIs that reach physical memory: user/supervisor instruction/data (V8 Table 6-? ) and MMU bypass. */
export function asiReachesMemory(asi: number): boolean {
  return (asi >= 0x08 && asi <= 0x0b) || asi === 0x20;
}

/**
 * Common checks of a load/store: alternate space (privileged; i=1 illegal in V8), ldd/std with an
 * odd rd (illegal), alignment. Returns the address, or null after trapping.
 */
function memoryAddress(m: ExecContext, cpu: Cpu, insn: Instruction, width: number, pair: boolean): number | null {
  const mem = insn.row.mem!;
  if (mem.alternate) {
    if (cpu.s === 0) {
      m.trap(cpu, TT.privileged_instruction);
      return null;
    }
    if (insn.i === 1) {
      m.trap(cpu, TT.illegal_instruction);
      return null;
    }
  }
  if (pair && (insn.rd & 1) === 1) {
    m.trap(cpu, TT.illegal_instruction);
    return null;
  }
  const a = address(cpu, insn);
  if ((a & (width - 1)) !== 0) {
    m.trap(cpu, TT.mem_address_not_aligned);
    return null;
  }
  if (mem.alternate && !asiReachesMemory(insn.asi)) {
    m.trap(cpu, TT.data_access_exception);
    return null;
  }
  return a;
}

/** Reads through the bus; null after a data_access_error trap. */
function busRead(m: ExecContext, cpu: Cpu, a: number, width: 1 | 2 | 4): number | null {
  const v = m.bus.read(a, width);
  if (m.bus.fault) {
    m.bus.fault = false;
    m.trap(cpu, TT.data_access_error);
    return null;
  }
  return v;
}

function busWrite(m: ExecContext, cpu: Cpu, a: number, width: 1 | 2 | 4, value: number): boolean {
  m.bus.write(a, width, value);
  if (m.bus.fault) {
    m.bus.fault = false;
    m.trap(cpu, TT.data_access_error);
    return false;
  }
  return true;
}

/** LDSB/LDSH/LDUB/LDUH/LD/LDD and their alternate-space forms, from the row's memory traits. */
const load: Handler = (m, cpu, insn) => {
  const mem = insn.row.mem!;
  const width = mem.width;
  const a = memoryAddress(m, cpu, insn, width, width === 8);
  if (a === null) return;
  if (width === 8) {
    const hi = busRead(m, cpu, a, 4);
    if (hi === null) return;
    const lo = busRead(m, cpu, a + 4, 4);
    if (lo === null) return;
    cpu.set(insn.rd, hi | 0);
    cpu.set(insn.rd + 1, lo | 0);
  } else {
    const v = busRead(m, cpu, a, width as 1 | 2 | 4);
    if (v === null) return;
    let r = v | 0;
    if (mem.signed) r = width === 1 ? (v << 24) >> 24 : width === 2 ? (v << 16) >> 16 : r;
    cpu.set(insn.rd, r);
  }
  next(cpu);
};

/** STB/STH/ST/STD and their alternate-space forms. */
const store: Handler = (m, cpu, insn) => {
  const width = insn.row.mem!.width;
  const a = memoryAddress(m, cpu, insn, width, width === 8);
  if (a === null) return;
  if (width === 8) {
    if (!busWrite(m, cpu, a, 4, cpu.get(insn.rd))) return;
    if (!busWrite(m, cpu, a + 4, 4, cpu.get(insn.rd + 1))) return;
  } else if (!busWrite(m, cpu, a, width as 1 | 2 | 4, cpu.get(insn.rd))) return;
  next(cpu);
};

/** LDSTUB(A) (§B.7): atomically load a byte and store 0xff. SWAP(A) (§B.8): atomically exchange a word. */
const atomic: Handler = (m, cpu, insn) => {
  const width = insn.row.mem!.width as 1 | 4;
  const a = memoryAddress(m, cpu, insn, width, false);
  if (a === null) return;
  const old = busRead(m, cpu, a, width);
  if (old === null) return;
  if (!busWrite(m, cpu, a, width, width === 1 ? 0xff : cpu.get(insn.rd))) return;
  cpu.set(insn.rd, old | 0);
  next(cpu);
};

// ---- control transfer (§B.21–B.27) ------------------------------------------------------------

/** Bicc (§B.21): delayed branch; the annul bit annuls the delay slot of an untaken branch, and of ba,a. */
const bicc: Handler = (_m, cpu, insn) => {
  const target = (cpu.pc + insn.disp22 * 4) >>> 0;
  if (insn.cond === 8) {
    // ba: always taken; with a=1 the delay instruction is annulled.
    if (insn.a) {
      cpu.pc = target;
      cpu.npc = (target + 4) >>> 0;
    } else {
      cpu.pc = cpu.npc;
      cpu.npc = target;
    }
  } else if (condition(insn.cond, cpu.icc)) {
    cpu.pc = cpu.npc;
    cpu.npc = target;
  } else if (insn.a) {
    cpu.pc = (cpu.npc + 4) >>> 0;
    cpu.npc = (cpu.npc + 8) >>> 0;
  } else {
    next(cpu);
  }
};

/** CALL (§B.24): %o7 ← pc; delayed transfer to pc + 4·disp30. */
const call: Handler = (_m, cpu, insn) => {
  const target = (cpu.pc + insn.disp30 * 4) >>> 0;
  cpu.set(15, cpu.pc);
  cpu.pc = cpu.npc;
  cpu.npc = target;
};

/** JMPL (§B.25): rd ← pc; delayed transfer to r[rs1] + operand2, which must be word-aligned. */
const jmpl: Handler = (m, cpu, insn) => {
  const target = address(cpu, insn);
  if ((target & 3) !== 0) {
    m.trap(cpu, TT.mem_address_not_aligned);
    return;
  }
  cpu.set(insn.rd, cpu.pc);
  cpu.pc = cpu.npc;
  cpu.npc = target;
};

/** RETT (§B.26). Privileged (the table's trait checks S=0 first); with ET=0 its traps are error mode. */
const rett: Handler = (m, cpu, insn) => {
  const newCwp = (cpu.cwp + 1) % cpu.nwindows;
  const target = address(cpu, insn);
  if (cpu.et === 1) {
    m.trap(cpu, cpu.s === 0 ? TT.privileged_instruction : TT.illegal_instruction);
    return;
  }
  if (((cpu.wim >>> newCwp) & 1) !== 0) {
    m.trap(cpu, TT.window_underflow); // ET=0: error mode
    return;
  }
  if ((target & 3) !== 0) {
    m.trap(cpu, TT.mem_address_not_aligned); // ET=0: error mode
    return;
  }
  cpu.et = 1;
  cpu.pc = cpu.npc;
  cpu.npc = target;
  cpu.setCwp(newCwp);
  cpu.s = cpu.ps;
};

/** Ticc (§B.27): if the condition holds, trap with tt = 128 + (r[rs1] + operand2)<6:0>. */
const ticc: Handler = (m, cpu, insn) => {
  if (condition(insn.cond, cpu.icc)) {
    m.trap(cpu, TT.trap_instruction + ((rs1(cpu, insn) + operand2(cpu, insn)) & 0x7f));
    return;
  }
  next(cpu);
};

/** SAVE/RESTORE (§B.20): move the window (trapping if it is invalid in WIM); rd is written in the new window. */
function windowMove(save: boolean): Handler {
  return (m, cpu, insn) => {
    const nw = cpu.nwindows;
    const newCwp = save ? (cpu.cwp + nw - 1) % nw : (cpu.cwp + 1) % nw;
    if (((cpu.wim >>> newCwp) & 1) !== 0) {
      m.trap(cpu, save ? TT.window_overflow : TT.window_underflow);
      return;
    }
    const result = (rs1(cpu, insn) + operand2(cpu, insn)) | 0;
    cpu.setCwp(newCwp);
    cpu.set(insn.rd, result);
    next(cpu);
  };
}

// ---- state registers (§B.28, B.29) -------------------------------------------------------------

/** RDY / RDASR (rs1 = 0 is %y; 15 with rd = 0 is STBAR; 16-31 implementation ASRs; others illegal). */
const rdasr: Handler = (m, cpu, insn) => {
  const n = insn.rs1;
  let v: number | null;
  if (n === 0) v = cpu.y;
  else if (n === 15 && insn.rd === 0) v = null; // stbar: nothing to wait for here
  else if (n >= 16) v = m.readAsr(cpu, n);
  else {
    m.trap(cpu, TT.illegal_instruction);
    return;
  }
  if (n !== 15) {
    if (v === null) {
      m.trap(cpu, TT.illegal_instruction);
      return;
    }
    cpu.set(insn.rd, v | 0);
  }
  next(cpu);
};

const rdpsr: Handler = (_m, cpu, insn) => {
  cpu.set(insn.rd, cpu.psr | 0);
  next(cpu);
};
const rdwim: Handler = (_m, cpu, insn) => {
  cpu.set(insn.rd, cpu.wim | 0);
  next(cpu);
};
const rdtbr: Handler = (_m, cpu, insn) => {
  cpu.set(insn.rd, cpu.tbr | 0);
  next(cpu);
};

/** WRY / WRASR: value = r[rs1] xor operand2. ASR 16-31 writes are privileged (implementation choice). */
const wrasr: Handler = (m, cpu, insn) => {
  const value = (rs1(cpu, insn) ^ operand2(cpu, insn)) >>> 0;
  const n = insn.rd;
  if (n === 0) cpu.y = value;
  else if (n >= 16) {
    if (cpu.s === 0) {
      m.trap(cpu, TT.privileged_instruction);
      return;
    }
    if (!m.writeAsr(cpu, n, value)) {
      m.trap(cpu, TT.illegal_instruction);
      return;
    }
  } else {
    m.trap(cpu, TT.illegal_instruction);
    return;
  }
  next(cpu);
};

/** WRPSR (§B.29): a CWP ≥ NWINDOWS is illegal. The write takes effect at once (no delay slots to model). */
const wrpsr: Handler = (m, cpu, insn) => {
  const value = (rs1(cpu, insn) ^ operand2(cpu, insn)) >>> 0;
  if ((value & 31) >= cpu.nwindows) {
    m.trap(cpu, TT.illegal_instruction);
    return;
  }
  cpu.psr = value;
  next(cpu);
};

const wrwim: Handler = (_m, cpu, insn) => {
  const value = (rs1(cpu, insn) ^ operand2(cpu, insn)) >>> 0;
  cpu.wim = cpu.nwindows === 32 ? value : (value & ((1 << cpu.nwindows) - 1)) >>> 0;
  next(cpu);
};

const wrtbr: Handler = (_m, cpu, insn) => {
  const value = (rs1(cpu, insn) ^ operand2(cpu, insn)) >>> 0;
  cpu.tbr = ((value & 0xfffff000) | (cpu.tbr & 0xff0)) >>> 0;
  next(cpu);
};

// ---- everything else ---------------------------------------------------------------------------

const sethi: Handler = (_m, cpu, insn) => {
  cpu.set(insn.rd, insn.imm22 << 10);
  next(cpu);
};

/** FLUSH (§B.32): translated code is always invalidated by the store itself, so there is nothing to do. */
const flush: Handler = (_m, cpu) => {
  next(cpu);
};

function trapsWith(tt: number): Handler {
  return (m, cpu) => m.trap(cpu, tt);
}

const illegal = trapsWith(TT.illegal_instruction);
const fpDisabled = trapsWith(TT.fp_disabled);
const cpDisabled = trapsWith(TT.cp_disabled);

/** Handlers by exec name. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  add: alu((_c, a, b) => a + b),
  addcc: alu(aluCc((a, b) => addWithFlags(a, b, 0))),
  addx: alu((c, a, b) => (a + b + (c.icc & 1)) | 0),
  addxcc: alu(aluCc((a, b, c) => addWithFlags(a, b, c.icc & 1))),
  sub: alu((_c, a, b) => a - b),
  subcc: alu(aluCc((a, b) => subWithFlags(a, b, 0))),
  subx: alu((c, a, b) => (a - b - (c.icc & 1)) | 0),
  subxcc: alu(aluCc((a, b, c) => subWithFlags(a, b, c.icc & 1))),
  and: alu((_c, a, b) => and(a, b)),
  andcc: alu(logicCc(and)),
  andn: alu((_c, a, b) => andn(a, b)),
  andncc: alu(logicCc(andn)),
  or: alu((_c, a, b) => or(a, b)),
  orcc: alu(logicCc(or)),
  orn: alu((_c, a, b) => orn(a, b)),
  orncc: alu(logicCc(orn)),
  xor: alu((_c, a, b) => xor(a, b)),
  xorcc: alu(logicCc(xor)),
  xnor: alu((_c, a, b) => xnor(a, b)),
  xnorcc: alu(logicCc(xnor)),
  sll: alu((_c, a, b) => a << (b & 31)),
  srl: alu((_c, a, b) => (a >>> (b & 31)) | 0),
  sra: alu((_c, a, b) => a >> (b & 31)),
  taddcc: alu(tagged(false, false)),
  taddcctv: alu(tagged(false, true)),
  tsubcc: alu(tagged(true, false)),
  tsubcctv: alu(tagged(true, true)),
  mulscc: alu(mulscc),
  umul: alu(multiply(false, false)),
  smul: alu(multiply(true, false)),
  umulcc: alu(multiply(false, true)),
  smulcc: alu(multiply(true, true)),
  udiv: divide(false, false),
  sdiv: divide(true, false),
  udivcc: divide(false, true),
  sdivcc: divide(true, true),
  save: windowMove(true),
  restore: windowMove(false),
  sethi,
  bicc,
  call,
  jmpl,
  rett,
  ticc,
  flush,
  rdasr,
  rdpsr,
  rdwim,
  rdtbr,
  wrasr,
  wrpsr,
  wrwim,
  wrtbr,
  load,
  store,
  atomic,
  unimp: illegal,
  illegal,
  fp_disabled: fpDisabled,
  cp_disabled: cpDisabled,
};

/** Loads, stores and atomics by exec name: one generic handler each, driven by the row's memory traits. */
const MEMORY_EXECS: Readonly<Record<string, 'load' | 'store' | 'atomic'>> = {
  ld: 'load', ldub: 'load', lduh: 'load', ldd: 'load', ldsb: 'load', ldsh: 'load',
  lda: 'load', lduba: 'load', lduha: 'load', ldda: 'load', ldsba: 'load', ldsha: 'load',
  st: 'store', stb: 'store', sth: 'store', std: 'store', sta: 'store', stba: 'store', stha: 'store', stda: 'store',
  ldstub: 'atomic', swap: 'atomic', ldstuba: 'atomic', swapa: 'atomic',
};

/** How a row is executed: the handler for its exec name, or a trap classification. */
export type RowClass =
  | { kind: 'handler'; name: string; handler: Handler }
  | { kind: 'traps'; tt: number; handler: Handler; why: string };

/**
 * The handler of a table row, by its `exec` name. Loads and stores share the generic handlers
 * that read the row's memory traits (width, sign, alternate space). Floating-point rows (FPop,
 * FBfcc, FP loads/stores) trap fp_disabled and coprocessor rows cp_disabled: there is no FPU or
 * coprocessor and PSR.EF/EC are hardwired to 0 (V8 §4.2.1). Rows of other ISAs without a V8
 * handler (V9, the LEON casa/umac/smac) trap illegal_instruction; a LEON row whose exec is a V8
 * instruction (pwr = wrpsr with rd=1, a reserved field on V8) runs that instruction.
 */
export function classifyRow(row: InstrRow): RowClass {
  const mem = row.mem;
  const op3 = (row.match >>> 19) & 0x3f;
  const isFpop = row.format === 'fpop' && (row.match >>> 30) === 2;
  if ((mem !== null && (mem.file === 'fp' || mem.file === 'fsr' || mem.file === 'fq')) || row.exec === 'fbfcc' || (isFpop && (op3 === 0x34 || op3 === 0x35))) {
    return { kind: 'traps', tt: TT.fp_disabled, handler: fpDisabled, why: 'floating point: no FPU (PSR.EF = 0)' };
  }
  if ((mem !== null && (mem.file === 'cp' || mem.file === 'csr' || mem.file === 'cq')) || row.exec === 'cbccc' || (isFpop && (op3 === 0x36 || op3 === 0x37))) {
    return { kind: 'traps', tt: TT.cp_disabled, handler: cpDisabled, why: 'coprocessor: none present (PSR.EC = 0)' };
  }
  const memoryKind = MEMORY_EXECS[row.exec];
  if (memoryKind !== undefined) return { kind: 'handler', name: memoryKind, handler: HANDLERS[memoryKind]! };
  const direct = HANDLERS[row.exec];
  if (direct !== undefined && row.exec !== 'illegal' && row.exec !== 'fp_disabled' && row.exec !== 'cp_disabled') {
    return { kind: 'handler', name: row.exec, handler: direct };
  }
  if (row.exec === 'unknown') return { kind: 'traps', tt: TT.illegal_instruction, handler: illegal, why: 'no instruction (V8 §7.1)' };
  if (row.isa !== 'v8') return { kind: 'traps', tt: TT.illegal_instruction, handler: illegal, why: `${row.isa} instruction, not SPARC V8` };
  return { kind: 'traps', tt: TT.illegal_instruction, handler: illegal, why: `no handler for exec "${row.exec}"` };
}

// ---- decoding cache ----------------------------------------------------------------------------

interface Decoded {
  readonly insn: Instruction;
  readonly handler: Handler;
  readonly privileged: boolean;
}

const rowHandlers = new Map<InstrRow, Handler>();
const decodeCache = new Map<number, Decoded>();

/** Decodes a word in V8 mode with its handler (memoised by word value: decoding is a pure function). */
export function decodeV8(word: number): Decoded {
  const w = word >>> 0;
  let d = decodeCache.get(w);
  if (d === undefined) {
    const insn = decode(w, 'v8');
    let handler = rowHandlers.get(insn.row);
    if (handler === undefined) {
      handler = classifyRow(insn.row).handler;
      rowHandlers.set(insn.row, handler);
    }
    d = { insn, handler, privileged: insn.row.privileged };
    if (decodeCache.size > 1 << 16) decodeCache.clear();
    decodeCache.set(w, d);
  }
  return d;
}

/**
 * Executes one step of `cpu`: a pending interrupt, else the instruction at pc. Counts the step.
 * Both engines use this for single steps; the fast engine relies on it for what it does not translate.
 */
export function stepReference(m: ExecContext, cpu: Cpu): void {
  const level = pendingInterrupt(cpu);
  if (level !== 0) {
    m.trap(cpu, 0x10 + level);
    cpu.steps++;
    return;
  }
  const pc = cpu.pc;
  const word = m.bus.fetch(pc);
  if (word === null) {
    m.trap(cpu, TT.instruction_access_error);
    cpu.steps++;
    return;
  }
  if (m.timing !== null) cpu.extraCycles += m.timing.extraCycles(cpu, pc, word >>> 0);
  const d = decodeV8(word);
  if (d.privileged && cpu.s === 0) m.trap(cpu, TT.privileged_instruction);
  else d.handler(m, cpu, d.insn);
  cpu.steps++;
  if (m.bus.watchHit !== null) m.noteWatchHit(cpu, pc);
  m.bus.touchedDevice = false;
}

/** The reference engine: one step at a time, checking breakpoints before each. */
export class ReferenceEngine implements Engine {
  readonly name = 'reference' as const;
  private readonly m: ExecContext;

  constructor(m: ExecContext) {
    this.m = m;
  }

  run(cpu: Cpu, steps: number): number {
    const m = this.m;
    let i = 0;
    while (i < steps) {
      // Stopped by a device (or error mode): the machine idles the rest of the slice.
      if (cpu.state !== 'running') return i;
      if (m.breakpoints.size > 0 && m.breakpointHit(cpu)) return i;
      stepReference(m, cpu);
      i++;
      if (m.stopRequested) return i;
    }
    return i;
  }

  invalidate(): void {}

  flush(): void {}
}
