// Interprocedural live-register analysis with register-window renaming and callee summaries.
//
// As in KernInst, each function gets a summary in its caller's window: the registers it
// *generates* (reads before writing, on some path: G) and those it *passes through* (whose
// liveness at its return flows back to its entry: P). A call site's live set is then
//   live-before-call = G_callee ∪ (live-after-return ∩ P_callee).
// The same two sets are kept for every instruction, relative to the function's exit (the caller's
// live set after the call, "EXIT"): live(i) = G_i ∪ rename(level_i, EXIT ∩ P_i), where P_i is in the
// exit window's registers and `rename` maps them into the instruction's window (see regs.ts).
//
// Phases: (1) bottom-up over the call graph, each function's (G, P) per instruction to a
// fixpoint, summaries re-queued to callers when they grow; (2) EXIT per function, top-down: the
// union of what is live after each call site (callers' G ∪ rename(EXIT ∩ P) at the return point),
// plus the policy's exit set for functions unknown code may call; (3) the final live sets.
// Conservative ("everything live") at indirect calls and jumps whose targets are unknown, calls to
// external (PLT) code, DCTI couples, rett, unknown words, and whole functions whose window use is
// not a simple save … restore (`complex`).
import { T, BF, type Cfg } from './cfg.ts';
import { X, type Exploration } from './explore.ts';
import { COND_ALWAYS, COND_CONDITIONAL, COND_NEVER, INFO_ANNUL, K, type InstrTable } from './instrs.ts';
import type { RegisterPolicy } from './policy.ts';
import { ALL_REGS, FLAGS, FLAG_ICC, HIDDEN, exitToLevel1A, exitToLevel1B, level1DefsToExit } from './regs.ts';

export interface Liveness {
  /** Live before / after each instruction: A (registers) and B (flags; bits 16-31 hidden entry window). */
  readonly beforeA: Int32Array;
  readonly beforeB: Int32Array;
  readonly afterA: Int32Array;
  readonly afterB: Int32Array;
  /** Per function: generated (G) and passed-through (P) sets at entry, in the caller's window. */
  readonly genA: Int32Array;
  readonly genB: Int32Array;
  readonly passA: Int32Array;
  readonly passB: Int32Array;
  /** Per function: live at its exit (after the return, in the caller's window). */
  readonly exitA: Int32Array;
  readonly exitB: Int32Array;
  /** Iterations of the intraprocedural solver (for the report). */
  readonly functionPasses: number;
}

export interface LivenessOptions {
  readonly policy: RegisterPolicy;
  readonly checkCancel?: () => void;
  readonly progress?: (fraction: number) => void;
}

interface Trap {
  uA: number;
  uB: number;
  dA: number;
  dB: number;
}

export function computeLiveness(t: InstrTable, x: Exploration, g: Cfg, options: LivenessOptions): Liveness {
  const N = t.count;
  const FN = x.functions.length;
  const { policy } = options;
  const bGA = new Int32Array(N);
  const bGB = new Int32Array(N);
  const bPA = new Int32Array(N);
  const bPB = new Int32Array(N);
  const aGA = new Int32Array(N);
  const aGB = new Int32Array(N);
  const aPA = new Int32Array(N);
  const aPB = new Int32Array(N);
  const sGA = new Int32Array(FN);
  const sGB = new Int32Array(FN);
  const sPA = new Int32Array(FN);
  const sPB = new Int32Array(FN);
  const { level, complex, bStart, bEnd, bTerm, bFlags, bCti, bTakenI, bFallI, bCallee, bFallCallee, bTable } = g;
  const { kind, useA, defA, useB, defB, info, words } = t;
  const functions = x.functions;

  // Summaries of functions that are not analysed: everything generated, everything passes.
  const opaque = (f: number): boolean => f < 0 || functions[f]!.external || complex[f] === 1;
  for (let f = 0; f < FN; f++) {
    if (opaque(f)) {
      sGA[f] = ALL_REGS;
      sGB[f] = FLAGS;
      sPA[f] = ALL_REGS;
      sPB[f] = FLAGS;
    }
  }

  // Trap summaries per instruction (Ticc), resolved once.
  const trapCache = new Map<number, Trap>();
  const trapOf = (n: number): Trap => {
    const w = words[n]!;
    let tr = trapCache.get(w);
    if (tr !== undefined) return tr;
    const i = (w >>> 13) & 1;
    const rs1 = (w >>> 14) & 31;
    const num = i === 1 ? (rs1 === 0 ? w & 0x7f : null) : rs1 === 0 && (w & 31) === 0 ? 0 : null;
    const s = policy.trap(num);
    const always = (info[n]! >>> 1) === COND_ALWAYS;
    tr = { uA: s.uses | useA[n]!, uB: s.usesFlags | useB[n]!, dA: always ? s.defs : 0, dB: always ? s.defsFlags : 0 };
    trapCache.set(w, tr);
    return tr;
  };

  // ---- phase 1: per-function G/P to a fixpoint, bottom-up ---------------------------------------
  // Scratch state registers (no allocation in the hot loop).
  let gA = 0, gB = 0, pA = 0, pB = 0;
  const topAt = (l: number): void => {
    gA = ALL_REGS;
    gB = FLAGS | (l === 1 ? HIDDEN : 0);
    pA = ALL_REGS;
    pB = FLAGS;
  };
  const joinBefore = (n: number): void => {
    gA |= bGA[n]!;
    gB |= bGB[n]!;
    pA |= bPA[n]!;
    pB |= bPB[n]!;
  };
  const levelAfter = (n: number): number => {
    const k = kind[n]!;
    return level[n]! + (k === K.SAVE ? 1 : k === K.RESTORE || k === K.RETURN ? -1 : 0);
  };
  /** Joins the state of entering function `callee` with the given exit state (a tail call at level 0). */
  const joinTail = (callee: number, l: number): void => {
    if (l !== 0 || callee < 0) {
      const sa = gA, sb = gB, spa = pA, spb = pB;
      topAt(l);
      gA |= sa; gB |= sb; pA |= spa; pB |= spb;
      return;
    }
    gA |= sGA[callee]!;
    gB |= sGB[callee]!;
    pA |= sPA[callee]!;
    pB |= sPB[callee]!;
  };
  /** Backward transfer of instruction n (state after → before) into the scratch registers. */
  const transfer = (n: number): void => {
    const k = kind[n]!;
    const l = level[n]!;
    if (k === K.SAVE) {
      const d = defA[n]!;
      gA &= ~d;
      pA &= ~level1DefsToExit(d);
      const a0 = (gA & 0xff) | (((gA >>> 24) & 0xff) << 8) | (gB & HIDDEN);
      gB = (gB & FLAGS) | useB[n]!;
      gA = a0 | useA[n]!;
      return;
    }
    if (k === K.RESTORE || k === K.RETURN) {
      const d = defA[n]!; // written in the caller's window
      gA &= ~d;
      pA &= ~d;
      const a1 = (gA & 0xff) | (((gA >>> 8) & 0xff) << 24);
      gB = (gB & FLAGS) | (gA & HIDDEN) | useB[n]!;
      gA = a1 | useA[n]!;
      return;
    }
    let ua: number, ub: number, da: number, db: number;
    if (k === K.TICC) {
      const tr = trapOf(n);
      ua = tr.uA; ub = tr.uB; da = tr.dA; db = tr.dB;
    } else {
      ua = useA[n]!; ub = useB[n]!; da = defA[n]!; db = defB[n]!;
    }
    gA = ua | (gA & ~da);
    gB = ub | (gB & ~db);
    pA &= l === 0 ? ~da : ~level1DefsToExit(da);
    pB &= ~db;
  };
  const storeAfter = (n: number): void => {
    aGA[n] = gA; aGB[n] = gB; aPA[n] = pA; aPB[n] = pB;
  };
  /** Stores the before state of n; returns true when it changed. */
  const storeBefore = (n: number): boolean => {
    const changed = bGA[n] !== gA || bGB[n] !== gB || bPA[n] !== pA || bPB[n] !== pB;
    bGA[n] = gA; bGB[n] = gB; bPA[n] = pA; bPB[n] = pB;
    return changed;
  };
  /** The state after a call's delay slot: callee summary composed with the return point's state. */
  const afterCall = (b: number, callee: number, slot: number): void => {
    const r = bFallI[b]!;
    if (callee === -2) {
      // call .+8: no callee runs.
      if (r >= 0) joinBefore(r);
      else topAt(levelAfter(slot));
      return;
    }
    const returns = callee < 0 || opaque(callee) || x.returns[callee] === 1;
    if (!returns) {
      gA = sGA[callee]!; gB = sGB[callee]!; pA = 0; pB = 0;
      return;
    }
    if (r < 0) {
      topAt(levelAfter(slot));
      return;
    }
    const cGA = opaque(callee) ? ALL_REGS : sGA[callee]!;
    const cGB = opaque(callee) ? FLAGS : sGB[callee]!;
    const cPA = opaque(callee) ? ALL_REGS : sPA[callee]!;
    const cPB = opaque(callee) ? FLAGS : sPB[callee]!;
    const l = level[r]!;
    gA = cGA | (bGA[r]! & cPA);
    gB = cGB | (bGB[r]! & (cPB | HIDDEN));
    if (l === 0) {
      pA = bPA[r]! & cPA;
      pB = bPB[r]! & cPB;
    } else {
      pA = bPA[r]! & ((cPA & 0xff) | (((cPA >>> 24) & 0xff) << 8) | HIDDEN);
      pB = bPB[r]! & cPB;
    }
  };
  const fallState = (b: number, slotOrEnd: number): void => {
    // Not-taken / fall-through side into the scratch state (joined).
    const fi = bFallI[b]!;
    if (fi >= 0) joinBefore(fi);
    else if (bFallCallee[b]! >= 0) joinTail(bFallCallee[b]!, levelAfter(slotOrEnd));
    else {
      const sa = gA, sb = gB, spa = pA, spb = pB;
      topAt(levelAfter(slotOrEnd));
      gA |= sa; gB |= sb; pA |= spa; pB |= spb;
    }
  };
  const takenState = (b: number, slotOrEnd: number): void => {
    const fl = bFlags[b]!;
    if (fl & BF.TAKEN_OUT) joinTail(bCallee[b]!, levelAfter(slotOrEnd));
    else if (fl & BF.TAKEN_CROSS || bTakenI[b]! < 0) {
      const sa = gA, sb = gB, spa = pA, spb = pB;
      topAt(levelAfter(slotOrEnd));
      gA |= sa; gB |= sb; pA |= spa; pB |= spb;
    } else joinBefore(bTakenI[b]!);
  };

  /** One backward pass over block b; true when its entry state (or a joined slot's) changed. */
  const passBlock = (b: number): boolean => {
    const s = bStart[b]!;
    const e = bEnd[b]!;
    const c = bCti[b]!;
    const term = bTerm[b]!;
    const noslot = (bFlags[b]! & BF.NOSLOT) !== 0;
    let changed = false;
    gA = 0; gB = 0; pA = 0; pB = 0;
    let k = e; // next instruction to transfer
    switch (term) {
      case T.FALL:
        if (bFallI[b]! >= 0) joinBefore(bFallI[b]!);
        else topAt(levelAfter(e));
        break;
      case T.FALLINTO:
        joinTail(bFallCallee[b]!, levelAfter(e));
        break;
      case T.STOP:
        break;
      case T.UNKNOWN:
        topAt(levelAfter(e));
        break;
      case T.RETURN:
        pA = ALL_REGS;
        pB = FLAGS;
        break;
      case T.BRANCH: {
        const inf = info[c]!;
        const cls = inf >>> 1;
        const annul = (inf & INFO_ANNUL) !== 0;
        if (noslot) {
          if (cls === COND_ALWAYS) takenState(b, c);
          else fallState(b, c);
          break;
        }
        // Slot e: what runs after it.
        if (cls !== COND_NEVER) takenState(b, e);
        if (cls === COND_NEVER || (cls === COND_CONDITIONAL && !annul)) fallState(b, e);
        break;
      }
      case T.CALL:
        afterCall(b, bCallee[b]!, e);
        break;
      case T.TAILCALL:
        joinTail(bCallee[b]!, levelAfter(e));
        break;
      case T.TABLE: {
        const tb = x.tables[bTable[b]!]!;
        for (const ti of tb.targets) if (ti >= 0) joinBefore(ti);
        break;
      }
      case T.JUMP:
        joinBefore(bTakenI[b]!);
        break;
    }
    // A slot that other code jumps into also continues sequentially.
    if (c >= 0 && !noslot && e === c + 1 && (x.flags[e]! & 8) !== 0 && e + 1 < N) joinBefore(e + 1);
    if (c >= 0 && !noslot) {
      // The delay slot.
      storeAfter(e);
      transfer(e);
      if (storeBefore(e) && (x.flags[e]! & 8) !== 0) changed = true;
      // The control transfer: after it comes the slot (and, annulled conditional, the fall-through).
      if (term === T.BRANCH) {
        const inf = info[c]!;
        if ((inf & INFO_ANNUL) !== 0 && inf >>> 1 === COND_CONDITIONAL) fallState(b, c);
      }
      k = c;
    }
    for (; k >= s; k--) {
      storeAfter(k);
      transfer(k);
      const ch = storeBefore(k);
      if (k === s && ch) changed = true;
      if (k > s) {
        // Keep the scratch state as the after state of k-1.
      }
    }
    return changed;
  };

  // Call graph for the worklist: callers of each function.
  const callers: number[][] = functions.map(() => []);
  for (let b = 0; b < g.blockCount; b++) {
    const f = g.bFn[b]!;
    const add = (callee: number): void => {
      if (callee >= 0 && !callers[callee]!.includes(f)) callers[callee]!.push(f);
    };
    const term = bTerm[b]!;
    if (term === T.CALL || term === T.TAILCALL) add(bCallee[b]!);
    if (bFlags[b]! & BF.TAKEN_OUT) add(bCallee[b]!);
    if (bFallCallee[b]! >= 0) add(bFallCallee[b]!);
  }
  // Bottom-up order: post-order DFS over callees.
  const order = postOrder(functions.length, g, callers);
  const inQueue = new Uint8Array(FN);
  const queue: number[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const f = order[i]!;
    if (opaque(f)) continue;
    queue.push(f);
    inQueue[f] = 1;
  }
  // `queue` is used as a stack: the last pushed (the deepest callee) runs first.
  queue.reverse();
  let qi = 0;
  const blockQueued = new Uint8Array(g.blockCount);
  const bstack: number[] = [];
  let passes = 0;
  let processed = 0;
  while (qi < queue.length) {
    const f = queue[qi++]!;
    inQueue[f] = 0;
    passes++;
    if ((++processed & 255) === 0) {
      options.checkCancel?.();
      options.progress?.(Math.min(0.6, (0.6 * processed) / (FN + 1)));
    }
    const blocks = g.fnBlocks[f]!;
    // Backward problem: visit blocks from the end of the function first.
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      bstack.push(b);
      blockQueued[b] = 1;
    }
    while (bstack.length > 0) {
      const b = bstack.pop()!;
      blockQueued[b] = 0;
      if (passBlock(b)) {
        for (let q = g.predStart[b]!; q < g.predStart[b + 1]!; q++) {
          const p = g.pred[q]!;
          if (!blockQueued[p]) {
            blockQueued[p] = 1;
            bstack.push(p);
          }
        }
      }
    }
    const e = functions[f]!.entry;
    if (bGA[e] !== sGA[f] || (bGB[e]! & FLAGS) !== sGB[f] || bPA[e] !== sPA[f] || bPB[e] !== sPB[f]) {
      sGA[f] = bGA[e]!;
      sGB[f] = bGB[e]! & FLAGS;
      sPA[f] = bPA[e]!;
      sPB[f] = bPB[e]!;
      for (const c of callers[f]!) {
        if (!inQueue[c] && !opaque(c)) {
          inQueue[c] = 1;
          queue.push(c);
        }
      }
    }
  }

  // ---- phase 2: EXIT per function, top-down ---------------------------------------------------
  const exitA = new Int32Array(FN);
  const exitB = new Int32Array(FN);
  const unknownA = policy.unknownCallerExit.regs & ALL_REGS;
  const unknownB = policy.unknownCallerExit.flags & FLAGS;
  const hasCaller = new Uint8Array(FN);
  for (let f = 0; f < FN; f++) for (const c of callers[f]!) if (c !== f) hasCaller[f] = 1;
  // Direct self-recursion counts as a caller too, but not as a visible outside caller.
  let indirectA = 0;
  let indirectB = 0;
  const taken: number[] = [];
  for (let f = 0; f < FN; f++) {
    const fn = functions[f]!;
    if (fn.addressTaken) taken.push(f);
    if (fn.unknownCallers || fn.addressTaken || !hasCaller[f]) {
      exitA[f] = unknownA;
      exitB[f] = unknownB;
    }
  }
  const work: number[] = [];
  const queued = new Uint8Array(FN);
  for (let f = 0; f < FN; f++) {
    if (!functions[f]!.external) {
      work.push(f);
      queued[f] = 1;
    }
  }
  const raise = (f: number, a: number, b: number): void => {
    if (f < 0 || opaque(f)) return;
    const na = exitA[f]! | a;
    const nb = exitB[f]! | (b & FLAGS);
    if (na !== exitA[f] || nb !== exitB[f]) {
      exitA[f] = na;
      exitB[f] = nb;
      if (!queued[f]) {
        queued[f] = 1;
        work.push(f);
      }
    }
  };
  // Live after the return point r of a call in f, in the callee's (= the call's) window.
  const liveAt = (f: number, r: number): void => {
    if (complex[f]) {
      gA = ALL_REGS;
      gB = FLAGS;
      return;
    }
    const ea = exitA[f]!;
    const eb = exitB[f]!;
    const l = level[r]!;
    const xa = ea & bPA[r]!;
    const xb = eb & bPB[r]!;
    if (l === 0) {
      gA = bGA[r]! | xa;
      gB = (bGB[r]! | xb) & FLAGS;
    } else {
      gA = bGA[r]! | exitToLevel1A(xa);
      gB = (bGB[r]! | exitToLevel1B(xa, xb)) & FLAGS;
    }
  };
  // A complex function's exit is not tracked: what flows on from it is everything.
  const fExitA = (f: number): number => (complex[f] ? ALL_REGS : exitA[f]!);
  const fExitB = (f: number): number => (complex[f] ? FLAGS : exitB[f]!);
  while (work.length > 0) {
    const f = work.pop()!;
    queued[f] = 0;
    const blocks = g.fnBlocks[f]!;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      const term = bTerm[b]!;
      if (term === T.CALL) {
        const callee = bCallee[b]!;
        const r = bFallI[b]!;
        if (r < 0 || callee === -2) continue;
        liveAt(f, r);
        if (callee >= 0 && !functions[callee]!.external) raise(callee, gA, gB);
        else if (callee < 0 && x.cti[bCti[b]!] === X.ICALL) {
          const na = indirectA | gA;
          const nb = indirectB | gB;
          if (na !== indirectA || nb !== indirectB) {
            indirectA = na;
            indirectB = nb;
            for (const tf of taken) raise(tf, indirectA, indirectB);
          }
        }
      } else if (term === T.TAILCALL || term === T.FALLINTO) {
        const callee = term === T.TAILCALL ? bCallee[b]! : bFallCallee[b]!;
        raise(callee, fExitA(f), fExitB(f));
      }
      if (bFlags[b]! & BF.TAKEN_OUT) raise(bCallee[b]!, fExitA(f), fExitB(f));
      if (bFallCallee[b]! >= 0 && term !== T.FALLINTO) raise(bFallCallee[b]!, fExitA(f), fExitB(f));
    }
  }

  // ---- phase 3: the live sets -----------------------------------------------------------------
  options.progress?.(0.8);
  const beforeA = new Int32Array(N);
  const beforeB = new Int32Array(N);
  const afterA = new Int32Array(N);
  const afterB = new Int32Array(N);
  for (let b = 0; b < g.blockCount; b++) {
    const f = g.bFn[b]!;
    if (complex[f]) {
      for (let n = bStart[b]!; n <= bEnd[b]!; n++) {
        beforeA[n] = ALL_REGS; beforeB[n] = FLAGS | (level[n] === 1 ? HIDDEN : 0);
        afterA[n] = ALL_REGS; afterB[n] = FLAGS;
      }
      continue;
    }
    const ea = exitA[f]!;
    const eb = exitB[f]!;
    for (let n = bStart[b]!; n <= bEnd[b]!; n++) {
      const l = level[n]!;
      let xa = ea & bPA[n]!;
      let xb = eb & bPB[n]!;
      if (l === 0) {
        beforeA[n] = bGA[n]! | xa;
        beforeB[n] = bGB[n]! | (xb & FLAGS);
      } else {
        beforeA[n] = bGA[n]! | exitToLevel1A(xa);
        beforeB[n] = bGB[n]! | exitToLevel1B(xa, xb);
      }
      const la = levelAfter(n);
      xa = ea & aPA[n]!;
      xb = eb & aPB[n]!;
      if (la === 0) {
        afterA[n] = aGA[n]! | xa;
        afterB[n] = aGB[n]! | (xb & FLAGS);
      } else {
        afterA[n] = aGA[n]! | exitToLevel1A(xa);
        afterB[n] = aGB[n]! | exitToLevel1B(xa, xb);
      }
    }
  }
  void COND_NEVER;
  void FLAG_ICC;
  return { beforeA, beforeB, afterA, afterB, genA: sGA, genB: sGB, passA: sPA, passB: sPB, exitA, exitB, functionPasses: passes };
}

/** Functions in post-order of the call graph (callees before callers where there is no cycle). */
function postOrder(FN: number, g: Cfg, callers: readonly number[][]): number[] {
  // Build callee lists from the callers lists.
  const callees: number[][] = Array.from({ length: FN }, () => []);
  for (let f = 0; f < FN; f++) for (const c of callers[f]!) callees[c]!.push(f);
  const state = new Uint8Array(FN);
  const out: number[] = [];
  const stack: number[] = [];
  const iter: number[] = [];
  for (let root = 0; root < FN; root++) {
    if (state[root]) continue;
    stack.push(root);
    iter.push(0);
    state[root] = 1;
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      const i = iter[iter.length - 1]!;
      const list = callees[f]!;
      if (i < list.length) {
        iter[iter.length - 1] = i + 1;
        const c = list[i]!;
        if (!state[c]) {
          state[c] = 1;
          stack.push(c);
          iter.push(0);
        }
      } else {
        stack.pop();
        iter.pop();
        out.push(f);
      }
    }
  }
  void g;
  return out;
}
