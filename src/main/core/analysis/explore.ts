// Function discovery and control-flow exploration over the whole image, with SPARC's delay-slot rules.
//
// Functions come from the symbol tables (.symtab, else .dynsym), the entry point, PLT stubs, and —
// for stripped code — from the targets of direct calls found while exploring. Each function's code
// is what is reachable from its entry without following calls; code reached only from it (GCC's
// `.cold` parts, unnamed static code in stripped images) is claimed by it, so its extent may go past
// its symbol's size. Another function's entry is never claimed: flowing there is a tail call.
//
// Exploration is one global worklist. Whether a call returns is a least fixpoint computed on the way
// ("returns" is false until an exit is reached): the code after a call to a function not yet known
// to return waits, and is explored when (if) the callee is found to return. Indirect jumps wait
// until the worklist is empty, then constant propagation over the function resolves them (switch
// tables, constant jumps); at the end every resolution is checked again against the final CFG.
import { COND_ALWAYS, COND_CONDITIONAL, COND_NEVER, INFO_ANNUL, K, type InstrTable } from './instrs.ts';
import type { RegisterPolicy } from './policy.ts';
import type { CodeSource, SourceSymbol } from './source.ts';
import { propagateConstants, releaseConstState, resolveJump, type FlowView, type Resolution } from './values.ts';

/** How the explorer classified each control transfer (per instruction). */
export const X = {
  NONE: 0,
  /** A branch (taken target in this function; see BRANCH_OUT / BRANCH_CROSS otherwise). */
  BRANCH: 1,
  /** Branch to another function's entry: a tail call. aux = callee. */
  BRANCH_OUT: 2,
  /** Branch into the middle of another function or outside the code: conservative. */
  BRANCH_CROSS: 3,
  /** Call; aux = callee function or -1 (external/unknown). Falls through when the callee returns. */
  CALL: 4,
  /** call + restore, or a leaf call whose slot rewrites %o7: the callee returns to our caller. */
  TAILCALL: 6,
  /** ret/retl (jmpl %i7+8 / %o7+8, also +12) and V9 `return %i7+8`. */
  RETURN: 7,
  /** Switch table; aux = table id. */
  TABLE: 8,
  /** jmp to a constant address in this function; aux = target instruction. */
  JUMP: 9,
  /** jmp to a constant address that is another function's entry: tail call; aux = callee. */
  JUMP_OUT: 10,
  /** Indirect jump with unknown targets. */
  INDIRECT: 11,
  /** jmpl with a link register: indirect call; aux = callee if constant, else -1. */
  ICALL: 12,
  /** jmp waiting for resolution (only during exploration). */
  PENDING: 13,
  /** A control transfer in the delay slot of another (DCTI couple): conservative. */
  COUPLE: 14,
  /** rett / done / retry: leaves the kernel trap handler; conservative. */
  RETT: 15,
  /** A delayed transfer without a usable delay slot (end of section, slot in another function). */
  BROKEN: 16,
} as const;

/** Instruction flags. */
export const F = {
  /** Claimed and processed. */
  VISITED: 1,
  /** Starts a basic block. */
  LEADER: 2,
  /** Executes as the delay slot of the preceding control transfer. */
  SLOT: 4,
  /** A delay slot that other code also jumps to (its liveness joins both continuations). */
  SLOTJOIN: 8,
  /** A data word inside code: jump table entry, or the struct-size `unimp` after a call. */
  DATA: 16,
  /** Flow leaves the function here without a control transfer (falls off its end, or into another's code). */
  FALLOUT: 32,
  /** Claimed (queued) but not processed yet. */
  CLAIMED: 64,
} as const;

export type FunctionSource = 'symtab' | 'dynsym' | 'plt' | 'entry' | 'call-target' | 'jump-target' | 'prologue' | 'trap-vector';

export interface FunctionRecord {
  readonly index: number;
  name: string;
  aliases: string[];
  readonly address: number;
  /** Instruction index of the entry. */
  readonly entry: number;
  /** The symbol's size in bytes, 0 when unknown. */
  readonly size: number;
  module: string | null;
  readonly source: FunctionSource;
  /** PLT stubs are not analysed; calls to them are calls to unknown code. */
  readonly external: boolean;
  /** Callable from places the analysis does not see (exported, address taken, entry point). */
  unknownCallers: boolean;
  addressTaken: boolean;
  /** Instructions claimed, in the order they were found. */
  readonly instrs: number[];
}

export interface JumpTable {
  readonly site: number;
  readonly fn: number;
  readonly base: number;
  readonly count: number;
  readonly relative: boolean;
  /** Target instruction indices (in table order, duplicates kept). */
  readonly targets: number[];
}

export interface Exploration {
  readonly t: InstrTable;
  readonly functions: FunctionRecord[];
  readonly owner: Int32Array;
  readonly entryOf: Int32Array;
  readonly flags: Uint8Array;
  readonly cti: Uint8Array;
  readonly aux: Int32Array;
  readonly returns: Uint8Array;
  readonly tables: JumpTable[];
  /** Number of restarts because a call target was found inside another function's code. */
  readonly rounds: number;
  readonly anomalies: string[];
}

export interface ExploreOptions {
  readonly policy: RegisterPolicy;
  /** Called with a fraction 0..1 of the functions whose entries have been processed. */
  readonly progress?: (fraction: number) => void;
  /** Checked periodically; throws via the callback when the analysis must stop. */
  readonly checkCancel?: () => void;
}

const isDelayedKind = (k: number): boolean => k === K.BRANCH || k === K.CALL || k === K.JMPL || k === K.RETT || k === K.RETURN || k === K.DONE;

function preferName(a: SourceSymbol, b: SourceSymbol): number {
  // Lower is better: functions over labels, symtab over dynsym, global over weak over local,
  // fewer leading underscores, shorter, then alphabetical.
  const kind = (s: SourceSymbol): number => (s.kind === 'function' ? 0 : 1);
  const bind = (s: SourceSymbol): number => (s.binding === 'global' ? 0 : s.binding === 'weak' ? 1 : 2);
  const us = (s: SourceSymbol): number => /^_*/.exec(s.name)![0].length;
  return kind(a) - kind(b) || bind(a) - bind(b) || us(a) - us(b) || a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Explores the image: functions, their code, call and jump targets. */
export function explore(t: InstrTable, source: CodeSource, options: ExploreOptions): Exploration {
  const extra = new Set<number>();
  for (let round = 0; ; round++) {
    const r = exploreRound(t, source, options, extra, round);
    if (r.splits.size === 0 || round >= 8) {
      if (r.splits.size > 0) r.result.anomalies.push(`stopped discovering functions after ${round + 1} rounds; ${r.splits.size} call targets inside other functions' code are treated as unknown callees`);
      return { ...r.result, rounds: round + 1 };
    }
    for (const s of r.splits) extra.add(s);
  }
}

interface RoundResult {
  result: Omit<Exploration, 'rounds'>;
  splits: Set<number>;
}

function exploreRound(t: InstrTable, source: CodeSource, options: ExploreOptions, extra: ReadonlySet<number>, _round: number): RoundResult {
  const N = t.count;
  const owner = new Int32Array(N).fill(-1);
  const entryOf = new Int32Array(N).fill(-1);
  const flags = new Uint8Array(N);
  const cti = new Uint8Array(N);
  const aux = new Int32Array(N).fill(-1);
  const functions: FunctionRecord[] = [];
  const anomalies: string[] = [];
  const splits = new Set<number>();
  const tables: JumpTable[] = [];
  const policy = options.policy;

  // ---- the function set ----------------------------------------------------------------------
  const byAddr = new Map<number, SourceSymbol[]>();
  for (const s of source.symbols) {
    if (t.indexOf(s.address) < 0) continue;
    let list = byAddr.get(s.address);
    if (list === undefined) byAddr.set(s.address, (list = []));
    list.push(s);
  }
  const addFunction = (address: number, src: FunctionSource, syms: SourceSymbol[] | undefined): number => {
    const e = t.indexOf(address);
    if (e < 0 || entryOf[e] >= 0) return e < 0 ? -1 : entryOf[e]!;
    const sorted = syms === undefined ? [] : [...syms].sort(preferName);
    const primary = sorted[0];
    const external = primary?.table === 'plt' || t.regions[t.regionOf(e)]!.kind === 'plt';
    const size = sorted.reduce((m, s) => Math.max(m, s.size), 0);
    const f: FunctionRecord = {
      index: functions.length,
      name: primary?.name ?? (src === 'entry' ? `_entry_${address.toString(16)}` : `fn_${address.toString(16)}`),
      aliases: sorted.slice(1).map((s) => s.name).filter((n, i, a) => n !== primary?.name && a.indexOf(n) === i),
      address: address >>> 0,
      entry: e,
      size,
      module: sorted.find((s) => s.module !== null)?.module ?? null,
      source: primary === undefined ? src : primary.table === 'plt' ? 'plt' : primary.table,
      external,
      unknownCallers: src === 'entry' || (source.imageType === 'dyn' && sorted.some((s) => s.table === 'dynsym' && s.binding !== 'local')),
      addressTaken: false,
      instrs: [],
    };
    functions.push(f);
    entryOf[e] = f.index;
    return f.index;
  };
  const addrs = [...byAddr.keys()].sort((a, b) => a - b);
  for (const a of addrs) {
    const syms = byAddr.get(a)!;
    addFunction(a, syms[0]!.table === 'plt' ? 'plt' : syms[0]!.table, syms);
  }
  if (source.entry !== null && t.indexOf(source.entry) >= 0) {
    const fi = addFunction(source.entry, 'entry', byAddr.get(source.entry));
    if (fi >= 0) functions[fi]!.unknownCallers = true;
  }
  for (const a of extra) addFunction(a, 'call-target', byAddr.get(a));
  // PLT stubs: every word of the PLT belongs to its stub; the stubs are not explored.
  for (let ri = 0; ri < t.regions.length; ri++) {
    if (t.regions[ri]!.kind !== 'plt') continue;
    let cur = -1;
    for (let n = t.regionBase[ri]!; n < t.regionBase[ri + 1]!; n++) {
      if (entryOf[n] >= 0) cur = entryOf[n]!;
      if (cur >= 0 && functions[cur]!.external) {
        owner[n] = cur;
        flags[n] |= F.VISITED;
        functions[cur]!.instrs.push(n);
      }
    }
  }
  // Size end (exclusive instruction index) of symbol-sized functions: falling past it is an anomaly.
  const sizeEnd = (f: number): number => {
    const fn = functions[f]!;
    return fn.size > 0 ? fn.entry + (fn.size >>> 2) : -1;
  };

  // ---- returns fixpoint state -----------------------------------------------------------------
  const returns = new Uint8Array(0); // replaced below once the function count is final
  let ret = returns;
  const ensure = (): void => {
    if (ret.length < functions.length) {
      const r2 = new Uint8Array(Math.max(functions.length * 2, 64));
      r2.set(ret);
      ret = r2;
    }
  };
  ensure();
  const waiting = new Map<number, number[]>(); // callee -> call sites waiting for it to return
  const tailDeps = new Map<number, number[]>(); // callee -> functions that return if it does
  const noReturnByName = (f: FunctionRecord): boolean => {
    const base = f.name.endsWith('@plt') ? f.name.slice(0, -4) : f.name;
    return policy.noReturnNames.has(base) || f.aliases.some((a) => policy.noReturnNames.has(a));
  };

  // ---- worklist -------------------------------------------------------------------------------
  const work: number[] = []; // pairs: instruction, function
  /** Per function: bumped whenever its explored CFG grows (a resolution made before may then change). */
  const fver: number[] = [];
  const bump = (f: number): void => {
    fver[f] = (fver[f] ?? 0) + 1;
  };
  const claim = (n: number, f: number): void => {
    bump(f);
    owner[n] = f;
    flags[n] |= F.CLAIMED;
    functions[f]!.instrs.push(n);
  };
  /** Queues instruction n as a block start of f (n must not be another function's entry). */
  const pushLeader = (n: number, f: number): boolean => {
    const o = owner[n]!;
    if (o === f) {
      bump(f);
      flags[n] |= F.LEADER;
      if (flags[n]! & F.SLOT) {
        // A jump into a delay slot: after the slot, flow continues sequentially too.
        flags[n] |= F.SLOTJOIN;
        if (n + 1 < N && t.sameRegion(n, n + 1)) pushLeader(n + 1, f);
      }
      return true;
    }
    if (o !== -1) return false;
    claim(n, f);
    flags[n] |= F.LEADER;
    work.push(n, f);
    return true;
  };

  const markReturns = (f0: number): void => {
    const stack = [f0];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (ret[f]) continue;
      ret[f] = 1;
      const w = waiting.get(f);
      if (w !== undefined) {
        waiting.delete(f);
        for (const site of w) pushReturnPoint(site, owner[site]!);
      }
      const d = tailDeps.get(f);
      if (d !== undefined) {
        tailDeps.delete(f);
        for (const g of d) stack.push(g);
      }
    }
  };
  const tailTo = (f: number, callee: number): void => {
    if (callee < 0 || ret[callee]) markReturns(f);
    else {
      let d = tailDeps.get(callee);
      if (d === undefined) tailDeps.set(callee, (d = []));
      d.push(f);
    }
  };
  /** The return point of the call at n (after the slot, skipping a struct-size unimp). */
  const returnPointOf = (n: number): number => {
    let r = n + 2;
    if (r < N && t.sameRegion(n, r) && t.kind[r] === K.UNIMP && (t.words[r]! & 0x3fffff) !== 0) r = n + 3;
    return r;
  };
  const pushReturnPoint = (n: number, f: number): void => {
    bump(f);
    const r = returnPointOf(n);
    if (r !== n + 2) flags[n + 2] |= F.DATA;
    if (r >= N || !t.sameRegion(n, r)) {
      flags[n + 1] |= F.FALLOUT;
      markReturns(f);
      return;
    }
    flowTo(n + 1, r, f);
  };
  /**
   * Sequential-style flow from instruction `from` to `to` (fall-through, return point): into this
   * function's code, a tail call into another function's entry, or out of bounds.
   */
  const flowTo = (from: number, to: number, f: number): void => {
    const e = entryOf[to]!;
    if (e >= 0 && e !== f) {
      flags[from] |= F.FALLOUT;
      tailTo(f, e);
      return;
    }
    if (!pushLeader(to, f)) {
      flags[from] |= F.FALLOUT;
      markReturns(f);
    }
  };
  /** The function a call to address `a` reaches: existing entry, a new function, or -1. */
  const calleeAt = (a: number, src: FunctionSource = 'call-target'): number => {
    const n = t.indexOf(a);
    if (n < 0) return -1;
    if (entryOf[n]! >= 0) return entryOf[n]!;
    const inPlt = t.regions[t.regionOf(n)]!.kind === 'plt';
    if (owner[n] !== -1 && !inPlt) {
      splits.add(a >>> 0);
      return -1;
    }
    const fi = addFunction(a, src, byAddr.get(a));
    ensure();
    if (functions[fi]!.external) {
      // A PLT entry without a symbol (e.g. an IRELATIVE slot): an external stub of its own.
      ret[fi] = noReturnByName(functions[fi]!) ? 0 : 1;
      if (owner[n] === -1) {
        owner[n] = fi;
        flags[n] |= F.VISITED;
        functions[fi]!.instrs.push(n);
      }
      return fi;
    }
    work.push(n, fi);
    claim(n, fi);
    flags[n] |= F.LEADER;
    return fi;
  };

  const pending: number[] = []; // jmpl sites waiting for resolution
  const icalls: number[] = [];

  const visitSlot = (c: number, f: number): boolean => {
    const s = c + 1;
    if (s >= N || !t.sameRegion(c, s)) {
      anomalies.push(`control transfer at 0x${t.addrOf(c).toString(16)} has no delay slot (end of section)`);
      cti[c] = X.BROKEN;
      markReturns(f);
      return false;
    }
    const o = owner[s]!;
    if (o === -1 && entryOf[s]! < 0) {
      claim(s, f);
      flags[s] |= F.SLOT | F.VISITED;
    } else if (o === f) {
      const wasVisited = (flags[s]! & F.VISITED) !== 0;
      flags[s] |= F.SLOT | F.VISITED;
      if (flags[s]! & F.LEADER) {
        // Other code jumps to this slot; from there flow continues sequentially.
        flags[s] |= F.SLOTJOIN;
        if (!wasVisited && s + 1 < N && t.sameRegion(s, s + 1) && entryOf[s + 1]! < 0) pushLeader(s + 1, f);
      }
    } else {
      // The slot is another function's code (or its entry): shared instruction, conservative.
      cti[c] = X.BROKEN;
      anomalies.push(`delay slot at 0x${t.addrOf(s).toString(16)} belongs to another function`);
      markReturns(f);
      return false;
    }
    if (isDelayedKind(t.kind[s]!)) {
      cti[c] = X.COUPLE;
      markReturns(f);
      return false;
    }
    return true;
  };

  /**
   * A branch to unclaimed code that starts with `save %sp, …, %sp` outside the function's symbol
   * (or before its entry) enters another function: a tail call to a function without a symbol.
   */
  const looksLikeOtherEntry = (ti: number, f: number): boolean => {
    if (owner[ti] !== -1 || !isSaveSp(t, ti)) return false;
    const fn = functions[f]!;
    if (ti < fn.entry) return true;
    if (fn.size > 0 && ti >= fn.entry + (fn.size >>> 2)) return true;
    // GCC pads functions to 32 bytes with nops: a save there after padding starts a function.
    const pw = ti > 0 ? t.words[ti - 1]! : 0;
    return (t.addrOf(ti) & 31) === 0 && (pw === 0x01000000 || pw === 0);
  };

  const processCti = (n: number, f: number): void => {
    const k = t.kind[n]!;
    const w = t.words[n]!;
    if (k === K.BRANCH) {
      const info = t.info[n]!;
      const annul = (info & INFO_ANNUL) !== 0;
      const cls = info >>> 1;
      cti[n] = X.BRANCH;
      if (cls === COND_NEVER) {
        if (!annul && !visitSlot(n, f)) return;
        if (cti[n] === X.COUPLE) return;
        flowTo(annul ? n : n + 1, n + 2, f);
        return;
      }
      // Taken side.
      const ti = t.indexOf(t.target[n]!);
      if (ti < 0) {
        cti[n] = X.BRANCH_CROSS;
        markReturns(f);
      } else if ((entryOf[ti]! >= 0 && entryOf[ti] !== f) || looksLikeOtherEntry(ti, f)) {
        const callee = entryOf[ti]! >= 0 ? entryOf[ti]! : calleeAt(t.target[n]!, 'jump-target');
        cti[n] = X.BRANCH_OUT;
        aux[n] = callee;
        tailTo(f, callee);
      } else if (!pushLeader(ti, f)) {
        cti[n] = X.BRANCH_CROSS;
        markReturns(f);
      }
      if (cls === COND_ALWAYS && annul) return; // ba,a: the slot never runs
      const hadSlot = visitSlot(n, f);
      if (cti[n] === X.COUPLE || !hadSlot) return;
      if (cls === COND_CONDITIONAL) flowTo(n + 1, n + 2, f);
      return;
    }
    if (k === K.CALL) {
      if (!visitSlot(n, f)) return;
      if (cti[n] === X.COUPLE) return;
      if (t.indexOf(t.target[n]!) === n + 2) {
        // `call .+8`: reads the pc into %o7 (old PIC code); flow simply continues.
        cti[n] = X.CALL;
        aux[n] = -2;
        pushReturnPoint(n, f);
        return;
      }
      const callee = calleeAt(t.target[n]!);
      aux[n] = callee;
      const s = n + 1;
      const sk = t.kind[s]!;
      if (sk === K.RESTORE || (t.defA[s]! & (1 << 15)) !== 0) {
        cti[n] = X.TAILCALL;
        tailTo(f, callee >= 0 && functions[callee]!.external ? (noReturnByName(functions[callee]!) ? callee : -1) : callee);
        return;
      }
      cti[n] = X.CALL;
      if (callee < 0) pushReturnPoint(n, f);
      else {
        const cf = functions[callee]!;
        if (cf.external) {
          if (!noReturnByName(cf)) pushReturnPoint(n, f);
        } else if (ret[callee]) pushReturnPoint(n, f);
        else {
          let list = waiting.get(callee);
          if (list === undefined) waiting.set(callee, (list = []));
          list.push(n);
        }
      }
      return;
    }
    if (k === K.JMPL) {
      const rd = (w >>> 25) & 31;
      const rs1 = (w >>> 14) & 31;
      const imm = (w >>> 13) & 1;
      const simm = (w << 19) >> 19;
      if (!visitSlot(n, f)) return;
      if (cti[n] === X.COUPLE) return;
      if (rd === 0 && imm === 1 && (rs1 === 15 || rs1 === 31) && (simm === 8 || simm === 12)) {
        cti[n] = X.RETURN;
        markReturns(f);
        return;
      }
      if (rd !== 0) {
        cti[n] = X.ICALL;
        icalls.push(n);
        if (t.kind[n + 1] === K.RESTORE) {
          cti[n] = X.TAILCALL;
          markReturns(f);
          return;
        }
        pushReturnPoint(n, f);
        return;
      }
      cti[n] = X.PENDING;
      pending.push(n);
      return;
    }
    if (k === K.RETURN) {
      const rs1 = (w >>> 14) & 31;
      const imm = (w >>> 13) & 1;
      const simm = (w << 19) >> 19;
      if (!visitSlot(n, f)) return;
      if (cti[n] === X.COUPLE) return;
      cti[n] = imm === 1 && rs1 === 31 && (simm === 8 || simm === 12) ? X.RETURN : X.INDIRECT;
      markReturns(f);
      return;
    }
    // rett, done, retry
    if (k === K.RETT) visitSlot(n, f);
    cti[n] = X.RETT;
    markReturns(f);
  };

  const run = (start: number, f: number): void => {
    let n = start;
    const end = sizeEnd(f);
    for (;;) {
      if (flags[n]! & F.VISITED) {
        flags[n] |= F.LEADER;
        return;
      }
      flags[n] |= F.VISITED;
      const k = t.kind[n]!;
      if (isDelayedKind(k)) {
        processCti(n, f);
        return;
      }
      if (k === K.UNIMP || k === K.ILLEGAL) return;
      const next = n + 1;
      if (next >= N || !t.sameRegion(n, next) || next === end) {
        flags[n] |= F.FALLOUT;
        if (next === end && next < N && entryOf[next]! >= 0) tailTo(f, entryOf[next]!);
        else markReturns(f);
        return;
      }
      const e = entryOf[next]!;
      if (e >= 0 && e !== f) {
        flags[n] |= F.FALLOUT;
        tailTo(f, e);
        return;
      }
      const o = owner[next]!;
      if (o === f) {
        if (flags[next]! & F.VISITED) {
          flags[next] |= F.LEADER;
          return;
        }
        n = next;
        continue;
      }
      if (o !== -1) {
        flags[n] |= F.FALLOUT;
        markReturns(f);
        return;
      }
      if (looksLikeOtherEntry(next, f)) {
        // Flowing through padding into the next function (after a call that was assumed to return).
        flags[n] |= F.FALLOUT;
        tailTo(f, calleeAt(t.addrOf(next), 'prologue'));
        return;
      }
      claim(next, f);
      n = next;
    }
  };

  // Seed: every function's entry.
  for (const fn of functions) {
    if (fn.external) continue;
    claim(fn.entry, fn.index);
    flags[fn.entry] |= F.LEADER;
    work.push(fn.entry, fn.index);
  }
  for (const fn of functions) if (fn.external && !noReturnByName(fn)) ret[fn.index] = 1;

  const drain = (): void => {
    let steps = 0;
    while (work.length > 0) {
      const f = work.pop()!;
      const n = work.pop()!;
      run(n, f);
      if ((++steps & 4095) === 0) {
        options.checkCancel?.();
        options.progress?.(Math.min(0.99, functions.length > 0 ? steps / (functions.length * 40 + 1) : 0));
      }
    }
  };

  // ---- resolution of indirect jumps -----------------------------------------------------------
  const scratch = new Int32Array(N).fill(-1);
  const view = (f: number): FlowView => ({
    t,
    scratch,
    instrs: functions[f]!.instrs,
    owns: (n: number) => n >= 0 && n < N && owner[n] === f && (flags[n]! & F.VISITED) !== 0,
    successors: (n: number, out: number[]) => successors(t, flags, cti, aux, tables, n, out, ret, functions),
    callAfterSlot: (n: number) => {
      if (!(flags[n]! & F.SLOT) || n === 0) return -2;
      const c = n - 1;
      const x = cti[c]!;
      if (x === X.CALL || x === X.ICALL) return aux[c]! >= 0 ? functions[aux[c]!]!.entry : -1;
      return -2;
    },
  });
  const validTargetFor = (f: number) => (addr: number): boolean => {
    const n = t.indexOf(addr);
    if (n < 0) return false;
    if (entryOf[n]! >= 0 && entryOf[n] !== f) return false;
    const o = owner[n]!;
    return (o === -1 || o === f) && t.kind[n] !== K.ILLEGAL;
  };
  const readWord = (a: number): number | null => source.readWord(a);
  const applyResolution = (n: number, f: number, r: Resolution): void => {
    if (r.kind === 'table') {
      const targets: number[] = [];
      for (const a of r.targets) {
        const ti = t.indexOf(a);
        targets.push(ti);
        pushLeader(ti, f);
      }
      const id = tables.length;
      tables.push({ site: n, fn: f, base: r.base, count: r.count, relative: r.relative, targets });
      cti[n] = X.TABLE;
      aux[n] = id;
      // Mark table words that lie in code as data.
      for (let k = 0; k < r.count; k++) {
        const di = t.indexOf((r.base + 4 * k) >>> 0);
        if (di >= 0 && owner[di] === -1) flags[di] |= F.DATA;
      }
      return;
    }
    if (r.kind === 'const') {
      const ti = t.indexOf(r.target);
      if (ti >= 0 && entryOf[ti]! >= 0 && entryOf[ti] !== f) {
        cti[n] = X.JUMP_OUT;
        aux[n] = entryOf[ti]!;
        tailTo(f, entryOf[ti]!);
        return;
      }
      if (ti >= 0 && pushLeader(ti, f)) {
        cti[n] = X.JUMP;
        aux[n] = ti;
        return;
      }
    }
    cti[n] = X.INDIRECT;
    markReturns(f);
  };

  /**
   * Functions nobody calls directly (reached through pointers the analysis does not see): an
   * unclaimed `save %sp, …, %sp` after padding, another function's code or a section start.
   */
  const discoverPrologues = (): boolean => {
    let found = false;
    for (let ri = 0; ri < t.regions.length; ri++) {
      if (t.regions[ri]!.kind === 'plt') continue;
      const lo = t.regionBase[ri]!;
      const hi = t.regionBase[ri + 1]!;
      for (let n = lo; n < hi; n++) {
        if (owner[n] !== -1 || entryOf[n]! >= 0 || flags[n]! & F.DATA || !isSaveSp(t, n)) continue;
        const p = n - 1;
        const pw = p >= lo ? t.words[p]! : 0;
        if (p >= lo && pw !== 0 && pw !== 0x01000000 && owner[p] === -1 && !(flags[p]! & F.DATA)) continue;
        calleeAt(t.addrOf(n), 'prologue');
        found = true;
      }
    }
    return found;
  };

  /**
   * The trap table a kernel installs (`set table, %rX; wr %rX, 0, %tbr`, V8 §7.2): hardware enters
   * each 16-byte entry for its trap type, so every entry is a function nobody calls.
   */
  let trapVectorsDone = false;
  const discoverTrapVectors = (): boolean => {
    if (trapVectorsDone) return false;
    trapVectorsDone = true;
    const base = findTrapBase(t, flags);
    if (base === null) return false;
    const name = functions[entryOf[t.indexOf(base)] ?? -1]?.name ?? `trap_table_${base.toString(16)}`;
    let found = false;
    for (let k = 0; k < 256; k++) {
      const a = (base + 16 * k) >>> 0;
      const n = t.indexOf(a);
      if (n < 0) break;
      let fi = entryOf[n]!;
      if (fi < 0) {
        if (owner[n] !== -1) continue;
        fi = calleeAt(a, 'trap-vector');
        if (fi < 0) continue;
        functions[fi]!.name = k === 0 ? name : `${name}+0x${(16 * k).toString(16)}`;
        found = true;
      }
      functions[fi]!.unknownCallers = true;
    }
    return found;
  };

  const propagatedAt: number[] = [];
  drain();
  for (let pass = 0; pass < 64; pass++) {
    options.checkCancel?.();
    if (pending.length === 0 && icalls.length === 0) {
      if (!discoverPrologues() && !discoverTrapVectors()) break;
      drain();
      continue;
    }
    const byFn = new Map<number, number[]>();
    for (const n of pending.splice(0)) {
      const f = owner[n]!;
      let l = byFn.get(f);
      if (l === undefined) byFn.set(f, (l = []));
      l.push(n);
    }
    const icallByFn = new Map<number, number[]>();
    for (const n of icalls.splice(0)) {
      const f = owner[n]!;
      let l = icallByFn.get(f);
      if (l === undefined) icallByFn.set(f, (l = []));
      l.push(n);
    }
    for (const f of new Set([...byFn.keys(), ...icallByFn.keys()])) {
      const v = view(f);
      const cs = propagateConstants(v, functions[f]!.entry);
      propagatedAt[f] = fver[f] ?? 0;
      for (const n of byFn.get(f) ?? []) applyResolution(n, f, resolveJump(v, cs, n, readWord, validTargetFor(f)));
      for (const n of icallByFn.get(f) ?? []) {
        const r = resolveJump(v, cs, n, readWord, () => true);
        if (r.kind === 'const') {
          const callee = calleeAt(r.target);
          aux[n] = callee;
        }
      }
      releaseConstState(v);
    }
    drain();
  }
  // Check every resolution against the final CFG (constants found on a partial CFG may not hold).
  for (let pass = 0; pass < 8; pass++) {
    const sites: number[] = [];
    for (const tb of tables) if (cti[tb.site] === X.TABLE) sites.push(tb.site);
    for (let n = 0; n < N; n++) if (cti[n] === X.JUMP || cti[n] === X.JUMP_OUT) sites.push(n);
    if (sites.length === 0) break;
    let changed = false;
    const byFn = new Map<number, number[]>();
    for (const n of sites) {
      const f = owner[n]!;
      let l = byFn.get(f);
      if (l === undefined) byFn.set(f, (l = []));
      l.push(n);
    }
    for (const [f, list] of byFn) {
      // Unchanged since its resolutions were made: they still hold.
      if (propagatedAt[f] === (fver[f] ?? 0)) continue;
      const v = view(f);
      const cs = propagateConstants(v, functions[f]!.entry);
      propagatedAt[f] = fver[f] ?? 0;
      for (const n of list) {
        const r = resolveJump(v, cs, n, readWord, validTargetFor(f));
        const x = cti[n]!;
        if (x === X.TABLE) {
          const tb = tables[aux[n]!]!;
          if (r.kind !== 'table') {
            cti[n] = X.INDIRECT;
            markReturns(f);
            changed = true;
            anomalies.push(`switch at 0x${t.addrOf(n).toString(16)}: table no longer resolves on the final CFG; treated as unknown`);
          } else {
            for (const a of r.targets) {
              const ti = t.indexOf(a);
              if (!tb.targets.includes(ti)) {
                tb.targets.push(ti);
                pushLeader(ti, f);
                changed = true;
              }
            }
          }
        } else {
          const target = x === X.JUMP ? t.addrOf(aux[n]!) : functions[aux[n]!]!.address;
          if (r.kind !== 'const' || r.target !== target) {
            cti[n] = X.INDIRECT;
            markReturns(f);
            changed = true;
          }
        }
      }
      releaseConstState(v);
    }
    if (!changed) break;
    drain();
  }
  for (let n = 0; n < N; n++) {
    if (cti[n] === X.PENDING) {
      cti[n] = X.INDIRECT;
      markReturns(owner[n]!);
    }
  }
  drain();

  // Address-taken functions: entries found in data, relocations, or built by sethi/or in code.
  const takenEntry = (v: number): void => {
    const n = t.indexOf(v);
    if (n >= 0 && entryOf[n]! >= 0) {
      const fn = functions[entryOf[n]!]!;
      fn.addressTaken = true;
      fn.unknownCallers = true;
    }
  };
  for (const v of source.pointerCandidates()) takenEntry(v);
  scanCodeConstants(t, flags, takenEntry);

  const finalReturns = new Uint8Array(functions.length);
  finalReturns.set(ret.subarray(0, functions.length));
  for (const fn of functions) if (fn.external) finalReturns[fn.index] = noReturnByName(fn) ? 0 : 1;
  // Flags cleanup: CLAIMED is internal.
  for (let n = 0; n < N; n++) flags[n] &= ~F.CLAIMED;
  return {
    result: { t, functions, owner, entryOf, flags, cti, aux, returns: finalReturns, tables, anomalies },
    splits,
  };
}

/** The constant written to %tbr (`wr %rX, simm13, %tbr` with %rX set by sethi/or just before), or null. */
function findTrapBase(t: InstrTable, flags: Uint8Array): number | null {
  const hiVal = new Int32Array(32);
  const hiAt = new Int32Array(32).fill(-100);
  const full = new Int32Array(32);
  const fullAt = new Int32Array(32).fill(-100);
  for (let n = 0; n < t.count; n++) {
    if (!(flags[n]! & F.VISITED)) continue;
    const w = t.words[n]!;
    const op = w >>> 30;
    const rd = (w >>> 25) & 31;
    const rs1 = (w >>> 14) & 31;
    if (op === 0 && ((w >>> 22) & 7) === 4) {
      hiVal[rd] = (w & 0x3fffff) << 10;
      hiAt[rd] = n;
      full[rd] = hiVal[rd]!;
      fullAt[rd] = n;
      continue;
    }
    if (op !== 2) continue;
    const op3 = (w >>> 19) & 0x3f;
    const imm = (w >>> 13) & 1;
    if ((op3 === 0x02 || op3 === 0x00) && imm === 1 && n - hiAt[rs1]! <= 8) {
      full[rd] = (hiVal[rs1]! + ((w << 19) >> 19)) | 0;
      fullAt[rd] = n;
      continue;
    }
    if (op3 === 0x33 && imm === 1 && n - fullAt[rs1]! <= 8) {
      const v = ((full[rs1]! ^ ((w << 19) >> 19)) & ~0xfff) >>> 0; // wr computes rs1 xor simm13
      return t.indexOf(v) >= 0 ? v : null;
    }
  }
  return null;
}

/** `save %sp, simm13, %sp` (the prologue GCC emits). */
export function isSaveSp(t: InstrTable, n: number): boolean {
  const w = t.words[n]!;
  return t.kind[n] === K.SAVE && ((w >>> 25) & 31) === 14 && ((w >>> 14) & 31) === 14 && ((w >>> 13) & 1) === 1;
}

/** Constants built with sethi + or/add in visited code (function pointers taken in code). */
function scanCodeConstants(t: InstrTable, flags: Uint8Array, found: (v: number) => void): void {
  const hiVal = new Int32Array(32);
  const hiAt = new Int32Array(32).fill(-100);
  for (let n = 0; n < t.count; n++) {
    if (!(flags[n]! & F.VISITED)) continue;
    const w = t.words[n]!;
    const op = w >>> 30;
    const rd = (w >>> 25) & 31;
    if (op === 0 && ((w >>> 22) & 7) === 4) {
      hiVal[rd] = (w & 0x3fffff) << 10;
      hiAt[rd] = n;
      if ((w & 0x3fffff) !== 0) found((w & 0x3fffff) << 10);
      continue;
    }
    if (op === 2 && ((w >>> 13) & 1) === 1) {
      const op3 = (w >>> 19) & 0x3f;
      const rs1 = (w >>> 14) & 31;
      if ((op3 === 0x02 || op3 === 0x00) && n - hiAt[rs1]! <= 16) found((hiVal[rs1]! + ((w << 19) >> 19)) >>> 0);
    }
  }
}

/**
 * Successors of instruction n in the explored CFG, at instruction level: a control transfer's
 * successor is its delay slot (and, for annulled conditional branches, the fall-through); a slot's
 * successors are the transfer's targets.
 */
export function successors(
  t: InstrTable, flags: Uint8Array, cti: Uint8Array, aux: Int32Array, tables: readonly JumpTable[], n: number, out: number[],
  returns: Uint8Array, functions: readonly FunctionRecord[],
): void {
  const x = cti[n]!;
  if (x !== X.NONE) {
    const info = t.info[n]!;
    if (t.kind[n] === K.BRANCH) {
      const annul = (info & INFO_ANNUL) !== 0;
      const cls = info >>> 1;
      if (cls === COND_ALWAYS && annul) {
        if (x === X.BRANCH) out.push(t.indexOf(t.target[n]!));
        return;
      }
      if (cls === COND_NEVER && annul) {
        out.push(n + 2);
        return;
      }
      out.push(n + 1);
      if (cls === COND_CONDITIONAL && annul) out.push(n + 2);
      return;
    }
    if (x === X.RETT && t.kind[n] !== K.RETT) return;
    out.push(n + 1);
    return;
  }
  if (flags[n]! & F.SLOT && n > 0) {
    const c = n - 1;
    const xc = cti[c]!;
    if (flags[n]! & F.SLOTJOIN) out.push(n + 1);
    switch (xc) {
      case X.BRANCH: {
        const cls = t.info[c]! >>> 1;
        if (cls !== COND_NEVER) out.push(t.indexOf(t.target[c]!));
        if (cls !== COND_ALWAYS && (t.info[c]! & INFO_ANNUL) === 0) out.push(n + 1);
        return;
      }
      case X.BRANCH_OUT:
      case X.BRANCH_CROSS: {
        const cls = t.info[c]! >>> 1;
        if (cls === COND_CONDITIONAL && (t.info[c]! & INFO_ANNUL) === 0) out.push(n + 1);
        return;
      }
      case X.CALL:
      case X.ICALL: {
        const callee = aux[c]!;
        if (xc === X.CALL && callee >= 0 && !returns[callee]) return;
        if (flags[n]! & F.FALLOUT) return;
        let r = c + 2;
        if (flags[r]! & F.DATA && t.kind[r] === K.UNIMP) r = c + 3;
        out.push(r);
        return;
      }
      case X.TABLE:
        for (const ti of tables[aux[c]!]!.targets) out.push(ti);
        return;
      case X.JUMP:
        out.push(aux[c]!);
        return;
      default:
        return;
    }
  }
  if (flags[n]! & F.FALLOUT) return;
  const k = t.kind[n]!;
  if (k === K.UNIMP || k === K.ILLEGAL) return;
  out.push(n + 1);
  void functions;
}
