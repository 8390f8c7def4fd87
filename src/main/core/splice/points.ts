// Instrumentation points: function entry and exits, basic blocks, call sites, CFG edges and single
// instructions (delay slots included), each with its instruction, liveness and free registers,
// and the splice site (the one word that is replaced) with where the snippet goes in the patch.
import type { PointKind } from '../../../shared/snippet/index.ts';
import { FLAG_ICC, FLAG_Y, type FreeSet, type LiveSet, type ProgramAnalysis } from '../analysis/index.ts';
import { decode, type Instruction } from '../sparc/index.ts';
import type { RetvalSource } from './codegen.ts';
import { SpliceError } from './errors.ts';

/**
 * Where, relative to the site's instruction(s), the snippet runs:
 * - before: before the site instruction;
 * - after: after a non-transfer site instruction, on its fall-through only;
 * - slot: before the delay-slot instruction of the transfer at the site;
 * - taken / not-taken: after the delay slot, on one side of a conditional branch (CFG edges);
 * - return: after a call returns (the call is relocated into the patch).
 */
export type Placement = 'before' | 'after' | 'slot' | 'taken' | 'not-taken' | 'return';

export interface Point {
  /** Stable id, e.g. `fib:entry`, `fib:exit@11ae8`, `fib:block@11814`, `fib:edge@11810:taken`. */
  readonly id: string;
  readonly kind: PointKind;
  readonly function: string;
  /** The instruction the snippet runs before (or after, for 'after'/'return'/edges: the site). */
  readonly address: number;
  readonly instruction: Instruction;
  /** The word the splice replaces. */
  readonly site: number;
  readonly placement: Placement;
  readonly live: LiveSet;
  readonly free: FreeSet;
  /** Argument registers (entry points). */
  readonly args: readonly number[] | null;
  readonly retval: RetvalSource | null;
  /** Why the point cannot be spliced, or null. */
  readonly refused: string | null;
}

/** What the target says about code that must never be spliced. */
export interface SafetyPolicy {
  /** Functions that run with traps disabled or are window-trap handlers (by name). */
  readonly unsafeFunctions?: ReadonlySet<string>;
  /** Other functions never spliced, by name, with the reason (e.g. springboard space). */
  readonly reservedFunctions?: ReadonlyMap<string, string>;
  /** Address ranges [start, end) of such code (trap table, locore). */
  readonly unsafeRanges?: readonly (readonly [number, number])[];
}

function hex(a: number): string {
  return (a >>> 0).toString(16);
}

const ARG_REGS = [8, 9, 10, 11, 12, 13];

export class PointFinder {
  readonly analysis: ProgramAnalysis;
  private readonly policy: SafetyPolicy;
  private readonly readWord: (addr: number) => number;

  constructor(analysis: ProgramAnalysis, readWord: (addr: number) => number, policy: SafetyPolicy = {}) {
    this.analysis = analysis;
    this.readWord = readWord;
    this.policy = policy;
  }

  private insn(addr: number): Instruction {
    return decode(this.readWord(addr), this.analysis.source.mode);
  }

  /** Whether `addr` is the delay slot of the delayed transfer before it (in the same block). */
  isDelaySlot(addr: number): boolean {
    const a = this.analysis;
    const b = a.blockAt(addr);
    if (b < 0) return false;
    const cti = a.cfg.bCti[b]!;
    return cti >= 0 && a.addressOf(cti) === ((addr - 4) >>> 0) && this.insn((addr - 4) >>> 0).row.delayed;
  }

  /** Why splicing at `site` (the word replaced) would be unsafe, or null. */
  private siteProblem(site: number, fnName: string): string | null {
    if (this.policy.unsafeFunctions?.has(fnName)) return `${fnName} runs with traps disabled or handles window traps`;
    const reserved = this.policy.reservedFunctions?.get(fnName);
    if (reserved !== undefined) return reserved;
    for (const [s, e] of this.policy.unsafeRanges ?? []) if (site >= s && site < e) return `0x${hex(site)} is in trap-level code [0x${hex(s)}, 0x${hex(e)})`;
    const a = this.analysis;
    if (!a.analysed(site)) return `0x${hex(site)} is not analysed code`;
    const i = this.insn(site);
    if (i.row.id === 'unknown') return `0x${hex(site)} is not an instruction`;
    if (i.row.control === 'rett') return 'rett ends a trap handler';
    if (i.row.privileged && (i.row.id.startsWith('wrpsr') || i.row.id.startsWith('wrwim') || i.row.id.startsWith('wrtbr'))) return `${i.row.mnemonic} changes trap state`;
    if (this.isDelaySlot(site) && i.row.delayed) return 'a transfer in a delay slot (DCTI couple)';
    if (this.isDelaySlot(site)) return null; // handled by the caller: the site moves to the transfer
    if (i.row.delayed && !(i.row.control === 'branch' && i.a === 1 && (i.cond === 8 || i.cond === 0))) {
      const slot = this.insn((site + 4) >>> 0);
      if (slot.row.delayed) return 'the delay slot holds another transfer (DCTI couple)';
      if (slot.row.control === 'trap' || slot.row.control === 'rett') return 'the delay slot traps';
    }
    return null;
  }

  private make(kind: PointKind, id: string, fnName: string, address: number, site: number, placement: Placement, when: 'before' | 'after', liveAt: number, extra: { args?: readonly number[]; retval?: RetvalSource } = {}): Point {
    const a = this.analysis;
    const live = a.query(liveAt, when);
    const free = a.free(liveAt, when);
    let refused = this.siteProblem(site, fnName);
    if (live === null || free === null) refused ??= `0x${hex(liveAt)} has no liveness`;
    const empty = { regs: 0, flags: 0, hidden: 0, level: 0, names: [] };
    return {
      id, kind, function: fnName, address, instruction: this.insn(address), site, placement,
      live: live ?? empty, free: free ?? { regs: 0, flags: 0, names: [] },
      args: extra.args ?? null, retval: extra.retval ?? null, refused,
    };
  }

  /** A point before the instruction at `addr` (a delay slot moves the site to its transfer). */
  instruction(addr: number, kind: PointKind = 'instruction', id?: string): Point {
    const a = this.analysis;
    const fn = a.functionAt(addr);
    if (fn === undefined) throw new SpliceError('no-point', `0x${hex(addr)} is in no analysed function`);
    const pid = id ?? `${fn.name}:insn@${hex(addr)}`;
    if (this.isDelaySlot(addr)) return this.make(kind, pid, fn.name, addr, (addr - 4) >>> 0, 'slot', 'before', addr);
    return this.make(kind, pid, fn.name, addr, addr, 'before', 'before', addr);
  }

  private fn(name: string) {
    const f = this.analysis.functionByName(name);
    if (f === undefined || f.external) throw new SpliceError('no-point', `no analysed function "${name}"`);
    return f;
  }

  entry(name: string): Point {
    const f = this.fn(name);
    const p = this.instruction(f.address, 'entry', `${f.name}:entry`);
    return { ...p, args: ARG_REGS };
  }

  /** Exit points: before each return (ret/retl) and each tail-call transfer. */
  exits(name: string): Point[] {
    const a = this.analysis;
    const f = this.fn(name);
    const out: Point[] = [];
    for (const b of f.blocks) {
      const term = a.cfg.bTerm[b]!;
      const cti = a.cfg.bCti[b]!;
      if (cti < 0) continue;
      const addr = a.addressOf(cti);
      const i = this.insn(addr);
      const edges = a.edgesOf(b);
      const isReturn = edges.some((e) => e.kind === 'return');
      const isTail = edges.some((e) => e.kind === 'tail-call') && i.row.control !== 'call';
      if (!isReturn && !isTail && term !== 5) continue;
      const retval = isReturn ? this.retvalAt(addr, i) : { kind: 'unknown' as const, why: 'a tail call leaves the function before its value is known' };
      const p = this.make('exit', `${f.name}:exit@${hex(addr)}`, f.name, addr, addr, 'before', 'before', addr, { retval });
      out.push(p);
    }
    return out;
  }

  /** Where the return value is at a return instruction (V8 ABI: %o0 of the caller, %i0 of a callee with a window). */
  private retvalAt(addr: number, jmpl: Instruction): RetvalSource {
    if (jmpl.row.control !== 'jmpl') return { kind: 'unknown', why: 'not a jmpl return' };
    const live = this.analysis.query(addr, 'before');
    const slot = this.insn((addr + 4) >>> 0);
    const level = live?.level ?? 0;
    const reg = level >= 1 ? 24 : 8;
    const writes = slot.row.writes.includes('rd') ? slot.rd : -1;
    if (slot.row.exec === 'restore') {
      // restore rs1, op2, rd: the sum is computed in the callee's window and lands in the caller's rd.
      if (slot.rd === 8) return { kind: 'recompute', word: ((slot.word & ~(0x3f << 19)) | (0 << 19)) >>> 0 };
      return { kind: 'register', reg: 24 };
    }
    if (writes === reg) {
      if (slot.row.mem !== null && slot.row.mem.kind !== 'load') return { kind: 'unknown', why: 'the delay slot writes the return register in an unusual way' };
      if (slot.row.control !== 'none' || slot.row.exec === 'save') return { kind: 'unknown', why: 'the delay slot changes windows' };
      return { kind: 'recompute', word: slot.word };
    }
    return { kind: 'register', reg };
  }

  /** Points at the entry of every basic block of a function. */
  blocks(name: string): Point[] {
    const a = this.analysis;
    const f = this.fn(name);
    return f.blocks.map((b) => {
      const start = a.blockRange(b).start;
      return this.instruction(start, 'block', `${f.name}:block@${hex(start)}`);
    });
  }

  /** Call sites of a function: before the call and after it returns. */
  calls(name: string): { before: Point; after: Point }[] {
    const a = this.analysis;
    const f = this.fn(name);
    const out: { before: Point; after: Point }[] = [];
    for (const s of a.callSites()) {
      if (s.caller !== f.index || s.kind === 'tail-call') continue;
      const i = this.insn(s.address);
      const before = this.instruction(s.address, 'call-before', `${f.name}:call@${hex(s.address)}:before`);
      const ret = (s.address + 8) >>> 0;
      let after = this.make('call-after', `${f.name}:call@${hex(s.address)}:after`, f.name, s.address, s.address, 'return', 'before', a.analysed(ret) ? ret : s.address);
      const slot = this.insn((s.address + 4) >>> 0);
      if (after.refused === null && slot.row.reads.includes('rs1') && (slot.rs1 === 15 || (slot.i === 0 && slot.rs2 === 15))) {
        after = { ...after, refused: 'the delay slot reads %o7, which a relocated call would change' };
      }
      if (after.refused === null && this.insn(ret).row.id === 'unimp') after = { ...after, refused: 'the call returns a structure (unimp after the slot)' };
      if (after.refused === null && i.row.control === 'jmpl' && i.rd !== 15) after = { ...after, refused: 'an indirect jump that is not a call' };
      out.push({ before, after });
    }
    return out;
  }

  /** CFG edge points of a block: taken / not-taken of a conditional branch, or its fall-through. */
  edges(name: string): Point[] {
    const a = this.analysis;
    const f = this.fn(name);
    const out: Point[] = [];
    for (const b of f.blocks) {
      const cti = a.cfg.bCti[b]!;
      const end = a.addressOf(a.cfg.bEnd[b]!);
      if (cti >= 0) {
        const addr = a.addressOf(cti);
        const i = this.insn(addr);
        if (i.row.control !== 'branch') continue;
        const slotAddr = i.a === 1 && (i.cond === 8 || i.cond === 0) ? addr : (addr + 4) >>> 0;
        for (const e of a.edgesOf(b)) {
          if (e.kind !== 'taken' && e.kind !== 'not-taken') continue;
          if (i.cond === 8 && e.kind !== 'taken') continue;
          if (i.cond === 0 && e.kind !== 'not-taken') continue;
          // Liveness where the edge arrives: an annulled slot is skipped on the not-taken side, so
          // "after the slot" would miss registers live only there.
          const arrive = e.kind === 'taken' ? (addr + 4 * i.disp22) >>> 0 : (addr + 8) >>> 0;
          const exact = a.analysed(arrive) && a.functionAt(arrive)?.index === f.index;
          out.push(this.make('edge', `${f.name}:edge@${hex(addr)}:${e.kind}`, f.name, addr, addr, e.kind, exact ? 'before' : 'after', exact ? arrive : slotAddr));
        }
      } else if (a.edgesOf(b).some((e) => e.kind === 'fall-through')) {
        const i = this.insn(end);
        if (i.row.control !== 'none') continue;
        out.push(this.make('edge', `${f.name}:edge@${hex(end)}:fall-through`, f.name, end, end, 'after', 'after', end));
      }
    }
    return out;
  }

  /** Every point kind of a function. */
  all(name: string): Point[] {
    return [this.entry(name), ...this.exits(name), ...this.blocks(name), ...this.calls(name).flatMap((c) => [c.before, c.after]), ...this.edges(name)];
  }
}

/** The register numbers in a free set, and whether icc / y are free. */
export function freeRegisters(free: FreeSet): { regs: number[]; icc: boolean; y: boolean } {
  const regs: number[] = [];
  for (let r = 1; r < 32; r++) if ((free.regs >>> r) & 1) regs.push(r);
  return { regs, icc: (free.flags & FLAG_ICC) !== 0, y: (free.flags & FLAG_Y) !== 0 };
}
