// Constant propagation over one function's explored code, used to resolve indirect jumps and calls:
// GCC's switch tables (absolute, and the PIC form relative to the table), sethi/jmp tail jumps and
// calls through constant function pointers.
//
// The lattice per register is "known constant" or "unknown" (a 32-bit known mask plus values). It is
// a must-analysis on the CFG found so far; the explorer re-checks every resolution once the CFG is
// complete. Effects of calls are approximated by the ABI (the callee clobbers %g1-%g7 and %o0-%o7
// except %sp; locals and ins survive), except for PIC thunks (`retl; add %o7, %lX, %lX`), whose effect
// (%lX += address of the call) is what makes PIC jump tables resolvable.
import { COND_ALWAYS, COND_NEVER, INFO_ANNUL, K, type InstrTable } from './instrs.ts';

/** The flow facts the explorer knows about a function's instructions. */
export interface FlowView {
  readonly t: InstrTable;
  /** Instructions of the function (visited), any order. */
  readonly instrs: readonly number[];
  /** Scratch, one entry per instruction of the image, all -1 (propagateConstants fills it; releaseConstState resets it). */
  readonly scratch: Int32Array;
  /** True when instruction n belongs to the function. */
  owns(n: number): boolean;
  /** Successors of instruction n in the explored CFG (for slots: the CTI's targets). */
  successors(n: number, out: number[]): void;
  /** For a call's delay slot: the call's callee entry (instruction index), or -1. */
  callAfterSlot(n: number): number;
}

export interface ConstState {
  /** Per local instruction: 32 register values before it. */
  readonly values: Int32Array;
  /** Per local instruction: known mask before it (bit k = r_k known; bit 0 always). */
  readonly known: Int32Array;
  /** Local index of each instruction of the image (-1: not in the function); the view's scratch. */
  readonly local: Int32Array;
  readonly reached: Uint8Array;
}

/** Gives the view's scratch back (all -1) once the caller is done with the state. */
export function releaseConstState(view: FlowView): void {
  const sc = view.scratch;
  for (const n of view.instrs) sc[n] = -1;
}

const CALL_CLOBBER = (0xffff & ~(1 << 14)) & ~1; // %g1-%g7, %o0-%o7 but %sp

/** True when the function at instruction `e` is a PIC thunk; returns the register it adjusts, or -1. */
export function thunkRegister(t: InstrTable, e: number): number {
  const isRetl = (w: number): boolean => w === 0x81c3e008;
  const addO7 = (w: number): number => {
    // add %o7, %rX, %rX  (op=2, op3=0, i=0, rs1=15, rs2=rd) or add %rX, %o7, %rX
    if (((w & 0xc1f82000) >>> 0) !== 0x80000000 || ((w >>> 5) & 0xff) !== 0) return -1;
    const rd = (w >>> 25) & 31;
    const rs1 = (w >>> 14) & 31;
    const rs2 = w & 31;
    if (rs1 === 15 && rs2 === rd && rd !== 0) return rd;
    if (rs2 === 15 && rs1 === rd && rd !== 0) return rd;
    return -1;
  };
  if (e < 0 || e + 1 >= t.count) return -1;
  const w0 = t.words[e]!;
  const w1 = t.words[e + 1]!;
  if (isRetl(w0)) return addO7(w1);
  if (e + 2 < t.count && isRetl(w1)) return addO7(w0);
  return -1;
}

/**
 * Forward constant propagation to a fixpoint over the function's explored instructions. A second
 * round follows when the function spills constants to its frame (`st %l7, [%fp - 8]` … `ld [%fp - 8]`,
 * typical of the PIC register in big functions): a frame slot written only with one known constant
 * by `st` (and never by another store or exposed by `add %fp, off, reg`) is that constant when loaded.
 */
export function propagateConstants(view: FlowView, entry: number): ConstState {
  const first = propagate(view, entry, null);
  const slots = frameSlots(view, first);
  return slots === null ? first : propagate(view, entry, slots);
}

function frameSlots(view: FlowView, cs: ConstState): Map<number, number> | null {
  const t = view.t;
  const value = new Map<number, number>();
  const bad = new Set<number>();
  let loads = false;
  for (const n of view.instrs) {
    const w = t.words[n]!;
    const op = w >>> 30;
    const rs1 = (w >>> 14) & 31;
    const imm = (w >>> 13) & 1;
    if (op === 2 && rs1 === 30 && imm === 1 && ((w >>> 19) & 0x3f) === 0) bad.add((w << 19) >> 19); // add %fp, off, r
    if (op !== 3 || rs1 !== 30 || imm !== 1) continue;
    const op3 = (w >>> 19) & 0x3f;
    const off = (w << 19) >> 19;
    if (op3 === 0x00) {
      loads = true;
      continue;
    }
    const isStore = (op3 & 0x3c) === 0x04 || (op3 & 0x3c) === 0x24 || op3 === 0x0d || op3 === 0x0f || op3 === 0x3c || op3 === 0x1d || op3 === 0x1f;
    if (!isStore) continue;
    if (op3 !== 0x04) {
      bad.add(off & ~3);
      if (op3 === 0x07 || op3 === 0x27) bad.add((off & ~3) + 4);
      continue;
    }
    const li = cs.local[n]!;
    const rd = (w >>> 25) & 31;
    const v = li < 0 || cs.reached[li] === 0 ? null : rd === 0 ? 0 : ((cs.known[li]! >>> rd) & 1) ? cs.values[li * 32 + rd]! : null;
    if (v === null || (value.has(off) && value.get(off) !== v)) bad.add(off);
    else value.set(off, v);
  }
  if (!loads) return null;
  for (const b of bad) value.delete(b);
  return value.size === 0 ? null : value;
}

// Buffers reused by every propagation (a ConstState is only valid until the next propagation).
let bufValues = new Int32Array(0);
let bufKnown = new Int32Array(0);
let bufReached = new Uint8Array(0);
let bufQueued = new Uint8Array(0);

function propagate(view: FlowView, entry: number, slots: Map<number, number> | null): ConstState {
  const t = view.t;
  const local = view.scratch;
  const instrs = view.instrs;
  const count = instrs.length;
  for (let i = 0; i < count; i++) local[instrs[i]!] = i;
  if (bufKnown.length < count) {
    const cap = Math.max(count, bufKnown.length * 2, 1024);
    bufValues = new Int32Array(cap * 32);
    bufKnown = new Int32Array(cap);
    bufReached = new Uint8Array(cap);
    bufQueued = new Uint8Array(cap);
  }
  const values = bufValues;
  const known = bufKnown;
  const reached = bufReached;
  const queued = bufQueued;
  reached.fill(0, 0, count);
  queued.fill(0, 0, count);
  const work: number[] = [];
  const e0 = local[entry]!;
  if (e0 < 0) return { values, known, local, reached };
  reached[e0] = 1;
  known[e0] = 1; // only %g0 is known at entry
  queued[e0] = 1;
  work.push(entry);
  const succ: number[] = [];
  const cur = new Int32Array(32);
  while (work.length > 0) {
    const n = work.pop()!;
    const li = local[n]!;
    queued[li] = 0;
    let kn = known[li]!;
    const base0 = li * 32;
    // Only known registers carry values (the others are never read).
    for (let m = kn & ~1; m !== 0; m &= m - 1) {
      const r = 31 - Math.clz32(m & -m);
      cur[r] = values[base0 + r]!;
    }
    kn = step(t, n, cur, kn, slots);
    const callee = view.callAfterSlot(n);
    if (callee !== -2) {
      // The slot of a call: the callee runs before the return point.
      const r = callee >= 0 ? thunkRegister(t, callee) : -1;
      if (r > 0 && ((kn >>> r) & 1) && ((kn >>> 15) & 1)) cur[r] = (cur[r]! + cur[15]!) | 0;
      else if (r > 0) kn &= ~(1 << r);
      kn &= ~CALL_CLOBBER;
    }
    succ.length = 0;
    view.successors(n, succ);
    for (let si = 0; si < succ.length; si++) {
      const s = succ[si]!;
      const ls = s >= 0 ? local[s]! : -1;
      if (ls < 0) continue;
      const base = ls * 32;
      if (reached[ls] === 0) {
        reached[ls] = 1;
        known[ls] = kn;
        for (let m = kn & ~1; m !== 0; m &= m - 1) {
          const r = 31 - Math.clz32(m & -m);
          values[base + r] = cur[r]!;
        }
      } else {
        let k2 = known[ls]! & kn;
        for (let m = k2 & ~1; m !== 0; m &= m - 1) {
          const r = 31 - Math.clz32(m & -m);
          if (values[base + r] !== cur[r]) k2 &= ~(1 << r);
        }
        if (k2 === known[ls]) continue;
        known[ls] = k2;
      }
      if (queued[ls] === 0) {
        queued[ls] = 1;
        work.push(s);
      }
    }
  }
  return { values, known, local, reached };
}

/** Applies instruction n to the constant state (returns the new known mask). */
function step(t: InstrTable, n: number, v: Int32Array, kn: number, slots: Map<number, number> | null): number {
  const w = t.words[n]!;
  const k = t.kind[n]!;
  const rd = (w >>> 25) & 31;
  const rs1 = (w >>> 14) & 31;
  const imm = (w >>> 13) & 1;
  const op = w >>> 30;
  const op3 = (w >>> 19) & 0x3f;
  const pc = t.addrOf(n) | 0;
  if (k === K.SAVE || k === K.RESTORE || k === K.RETURN) {
    // The window moves: keep globals; the new %i are the old %o after save, the reverse on restore.
    const g = kn & 0xff;
    let nk: number;
    if (k === K.SAVE) {
      for (let r = 0; r < 8; r++) v[24 + r] = v[8 + r]!;
      nk = g | (((kn >>> 8) & 0xff) << 24);
    } else {
      for (let r = 0; r < 8; r++) v[8 + r] = v[24 + r]!;
      nk = g | (((kn >>> 24) & 0xff) << 8);
    }
    // rd of save/restore is written in the new window with rs1 + rs2/simm13 of the old one; not tracked.
    if (k !== K.RETURN && rd !== 0) nk &= ~(1 << rd);
    return nk | 1;
  }
  if (k === K.CALL) {
    v[15] = pc;
    return kn | (1 << 15);
  }
  if (op === 0 && ((w >>> 22) & 7) === 4) {
    // sethi
    if (rd !== 0) {
      v[rd] = (w & 0x3fffff) << 10;
      kn |= 1 << rd;
    }
    return kn;
  }
  const defs = t.defA[n]!;
  if (defs === 0) return kn;
  if (op === 2) {
    const a = v[rs1]!;
    const aK = rs1 === 0 ? true : ((kn >>> rs1) & 1) === 1;
    let b: number;
    let bK: boolean;
    if (imm) {
      b = (w << 19) >> 19;
      bK = true;
    } else {
      const rs2 = w & 31;
      b = rs2 === 0 ? 0 : v[rs2]!;
      bK = rs2 === 0 ? true : ((kn >>> rs2) & 1) === 1;
    }
    if (rs1 === 0) v[0] = 0;
    let res = 0;
    let ok = aK && bK;
    switch (op3 & 0x2f) {
      case 0x00: res = (a + b) | 0; break; // add, addcc
      case 0x01: res = a & b; break;
      case 0x02: res = a | b; break;
      case 0x03: res = a ^ b; break;
      case 0x04: res = (a - b) | 0; break;
      case 0x05: res = a & ~b; break;
      case 0x06: res = a | ~b; break;
      case 0x07: res = ~(a ^ b); break;
      default:
        switch (op3) {
          case 0x25: res = (w >>> 12) & 1 ? 0 : a << (b & 31); ok = ok && ((w >>> 12) & 1) === 0; break; // sll
          case 0x26: res = (a >>> (b & 31)) | 0; ok = ok && ((w >>> 12) & 1) === 0; break; // srl
          case 0x27: res = a >> (b & 31); ok = ok && ((w >>> 12) & 1) === 0; break; // sra
          case 0x28: res = pc; ok = rs1 === 5; break; // rd %pc (V9)
          case 0x38: res = pc; ok = true; break; // jmpl writes its own address
          default: ok = false;
        }
    }
    kn &= ~defs;
    if (ok && rd !== 0 && defs === 1 << rd) {
      v[rd] = res;
      kn |= 1 << rd;
    }
    return kn | 1;
  }
  if (slots !== null && op === 3 && op3 === 0x00 && rs1 === 30 && imm === 1 && rd !== 0) {
    const sv = slots.get((w << 19) >> 19);
    if (sv !== undefined) {
      v[rd] = sv;
      return kn | (1 << rd) | 1;
    }
  }
  return (kn & ~defs) | 1;
}

/** What an indirect jump or call goes to. */
export type Resolution =
  | { readonly kind: 'const'; readonly target: number }
  | { readonly kind: 'table'; readonly base: number; readonly count: number; readonly relative: boolean; readonly targets: readonly number[] }
  | { readonly kind: 'unknown' };

const UNKNOWN: Resolution = { kind: 'unknown' };

/** Known value of register r before local instruction li, or null. */
function valueAt(cs: ConstState, li: number, r: number): number | null {
  if (r === 0) return 0;
  if (((cs.known[li]! >>> r) & 1) === 0) return null;
  return cs.values[li * 32 + r]!;
}

/**
 * Resolves the jmpl at instruction n. `readWord` reads table entries; `validTarget` says whether an
 * address may be a target of this jump (code of this function, or not yet claimed).
 */
export function resolveJump(
  view: FlowView,
  cs: ConstState,
  n: number,
  readWord: (addr: number) => number | null,
  validTarget: (addr: number) => boolean,
): Resolution {
  const t = view.t;
  const li = cs.local[n]!;
  if (li < 0 || cs.reached[li] === 0) return UNKNOWN;
  const w = t.words[n]!;
  const rs1 = (w >>> 14) & 31;
  const imm = (w >>> 13) & 1;
  const rs2 = w & 31;
  const a = valueAt(cs, li, rs1);
  const b = imm ? (w << 19) >> 19 : valueAt(cs, li, rs2);
  if (a !== null && b !== null) return { kind: 'const', target: (a + b) >>> 0 };
  // One operand is the table entry loaded by `ld [base + index], reg`; the other, if any, a constant.
  let entryReg: number;
  let addend: number;
  if (a === null && b !== null) {
    entryReg = rs1;
    addend = b;
  } else if (a !== null && b === null && !imm) {
    entryReg = rs2;
    addend = a;
  } else return UNKNOWN;
  // Find the load that defines entryReg, walking back through straight-line code.
  let m = n - 1;
  let ldAt = -1;
  for (let steps = 0; steps < 24 && m >= 0; steps++, m--) {
    if (!view.owns(m)) break;
    const lm = cs.local[m]!;
    if (lm < 0 || cs.reached[lm] === 0) break;
    if ((t.defA[m]! >>> entryReg) & 1) {
      ldAt = m;
      break;
    }
    const km = t.kind[m]!;
    if (km !== K.PLAIN && km !== K.TICC) break;
  }
  if (ldAt < 0) return UNKNOWN;
  const lw = t.words[ldAt]!;
  // ld: op=3, op3=0 (word load), register or immediate address.
  if (lw >>> 30 !== 3 || ((lw >>> 19) & 0x3f) !== 0) return UNKNOWN;
  const lli = cs.local[ldAt]!;
  let l1 = (lw >>> 14) & 31;
  let li2 = (lw >>> 13) & 1;
  let l2 = lw & 31;
  let immLd = li2 ? (lw << 19) >> 19 : 0;
  if (!li2 && (l1 === 0 || l2 === 0)) {
    // ld [reg + %g0]: one address register, like the immediate form with 0.
    l1 = l1 === 0 ? l2 : l1;
    l2 = 0;
    li2 = 1;
    immLd = 0;
  }
  let v1 = valueAt(cs, lli, l1);
  let v2 = li2 ? null : valueAt(cs, lli, l2);
  let base: number;
  let indexReg: number;
  if (li2) {
    // ld [addr + imm] with addr = base + index computed by an `add` just before (GCC at -O0).
    if (v1 !== null) return UNKNOWN; // a single pointer, not a table
    const imm13 = immLd;
    let d = ldAt - 1;
    for (let steps = 0; steps < 8 && d >= 0 && view.owns(d); steps++, d--) {
      if (((t.defA[d]! >>> l1) & 1) === 0) continue;
      const dw = t.words[d]!;
      if (dw >>> 30 !== 2 || ((dw >>> 19) & 0x3f) !== 0 || ((dw >>> 13) & 1) !== 0) return UNKNOWN;
      const ld2 = cs.local[d]!;
      const a1 = (dw >>> 14) & 31;
      const a2 = dw & 31;
      const c1 = valueAt(cs, ld2, a1);
      const c2 = valueAt(cs, ld2, a2);
      if (c1 !== null && c2 === null) {
        v1 = (c1 + imm13) | 0;
        v2 = null;
        base = v1 >>> 0;
        indexReg = a2;
      } else if (c2 !== null && c1 === null) {
        v1 = (c2 + imm13) | 0;
        base = v1 >>> 0;
        indexReg = a1;
      } else return UNKNOWN;
      return tableFrom(view, cs, d, indexReg, base, imm, addend, readWord, validTarget);
    }
    return UNKNOWN;
  }
  if (v1 !== null && v2 === null) {
    base = v1;
    indexReg = l2;
  } else if (v2 !== null && v1 === null) {
    base = v2;
    indexReg = l1;
  } else return UNKNOWN;
  return tableFrom(view, cs, ldAt, indexReg, base >>> 0, imm, addend, readWord, validTarget);
}

/** Reads the table at `base` (entries indexed by `indexReg` at instruction `at`). */
function tableFrom(
  view: FlowView, cs: ConstState, at: number, indexReg: number, base: number, imm: number, addend: number,
  readWord: (addr: number) => number | null, validTarget: (addr: number) => boolean,
): Resolution {
  const bound = findBound(view, cs, at, indexReg);
  const relative = imm === 0 && addend !== 0;
  const targets: number[] = [];
  const limit = bound ?? 1024;
  for (let k = 0; k < limit; k++) {
    const e = readWord((base + 4 * k) >>> 0);
    if (e === null) {
      if (bound !== null) return UNKNOWN;
      break;
    }
    const target = (e + addend) >>> 0;
    if ((target & 3) !== 0 || !validTarget(target)) {
      if (bound !== null) return UNKNOWN;
      break;
    }
    targets.push(target);
  }
  if (targets.length === 0) return UNKNOWN;
  return { kind: 'table', base, count: targets.length, relative, targets };
}

/**
 * The number of table entries from the bounds check GCC puts before a switch: `cmp idx, N` and
 * `bgu default` (or `bleu table`) in the same or the preceding straight-line code; the index is
 * then scaled (`sll idx, 2, idx`). Returns N + 1, or null when no check is found.
 */
function findBound(view: FlowView, cs: ConstState, ldAt: number, indexReg: number): number | null {
  const t = view.t;
  // The scaled index comes from `sll src, 2, indexReg`.
  let src = indexReg;
  let m = ldAt - 1;
  let seenSll = false;
  for (let steps = 0; steps < 40 && m >= 0; steps++, m--) {
    if (!view.owns(m)) break;
    const w = t.words[m]!;
    const op = w >>> 30;
    const op3 = (w >>> 19) & 0x3f;
    const rd = (w >>> 25) & 31;
    if (!seenSll && op === 2 && op3 === 0x25 && ((w >>> 13) & 1) === 1 && rd === src && (w & 31) === 2) {
      src = (w >>> 14) & 31;
      seenSll = true;
      continue;
    }
    // subcc src, imm, %g0 (cmp) followed by an unsigned bounds branch.
    if (op === 2 && op3 === 0x14 && rd === 0 && ((w >>> 13) & 1) === 1 && ((w >>> 14) & 31) === src) {
      const limit = (w << 19) >> 19;
      if (limit >= 0 && limit < 4096) return limit + 1;
      return null;
    }
    if (seenSll && ((t.defA[m]! >>> src) & 1) !== 0) {
      // `and src, 0xff, src` style clamps: use the mask as the bound when it is small.
      if (op === 2 && op3 === 0x01 && ((w >>> 13) & 1) === 1 && ((w >>> 14) & 31) === src) {
        const mask = (w << 19) >> 19;
        if (mask >= 0 && mask < 1024 && ((mask + 1) & mask) === 0) return mask + 1;
      }
      return null;
    }
    if (!seenSll && ((t.defA[m]! >>> src) & 1) !== 0) return null;
    const k = t.kind[m]!;
    if (k !== K.PLAIN && k !== K.BRANCH) break;
    if (k === K.BRANCH) {
      const info = t.info[m]!;
      const cls = info >>> 1;
      if (cls === COND_ALWAYS || cls === COND_NEVER || (info & INFO_ANNUL) !== 0) continue;
    }
  }
  void cs;
  return null;
}
