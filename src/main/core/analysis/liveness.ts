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
// fixpoint; when a summary grows, only the blocks of callers that call it are revisited;
// (2) EXIT per function, top-down: the union of what is live after each call site (callers'
// G ∪ rename(EXIT ∩ P) at the return point), plus the policy's exit set for functions unknown
// code may call; (3) the final live sets before and after every instruction.
// Conservative ("everything live") at indirect calls and jumps whose targets are unknown, calls to
// external (PLT) code, rett, unknown words, and whole functions whose window use is not a simple
// save … restore (`complex`).
import { T, BF, type Cfg } from './cfg.ts';
import { F, X, type Exploration } from './explore.ts';
import { COND_ALWAYS, COND_CONDITIONAL, COND_NEVER, INFO_ANNUL, K, type InstrTable } from './instrs.ts';
import type { RegisterPolicy } from './policy.ts';
import { ALL_REGS, FLAGS, HIDDEN } from './regs.ts';

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
  /** Function analyses run (first passes plus revisits), for the report. */
  readonly functionPasses: number;
  readonly blockPasses: number;
}

export interface LivenessOptions {
  readonly policy: RegisterPolicy;
  readonly checkCancel?: () => void;
  readonly progress?: (fraction: number) => void;
}

const L1A = (ea: number): number => (ea & 0xff) | (((ea >>> 8) & 0xff) << 24);
const L1B = (ea: number, eb: number): number => (eb & FLAGS) | (ea & HIDDEN);
const L1KILL = (d: number): number => (d & 0xff) | (((d >>> 24) & 0xff) << 8);

export function computeLiveness(t: InstrTable, x: Exploration, g: Cfg, options: LivenessOptions): Liveness {
  const N = t.count;
  const FN = x.functions.length;
  const B = g.blockCount;
  const { policy } = options;
  // G/P before each instruction (relative to the function's exit).
  const bGA = new Int32Array(N);
  const bGB = new Int32Array(N);
  const bPA = new Int32Array(N);
  const bPB = new Int32Array(N);
  // G/P after the last instruction of each block (the out-state).
  const oGA = new Int32Array(B);
  const oGB = new Int32Array(B);
  const oPA = new Int32Array(B);
  const oPB = new Int32Array(B);
  const sGA = new Int32Array(FN);
  const sGB = new Int32Array(FN);
  const sPA = new Int32Array(FN);
  const sPB = new Int32Array(FN);
  const { level, complex, bStart, bEnd, bTerm, bFlags, bCti, bTakenI, bFallI, bCallee, bFallCallee, bTable } = g;
  const { kind, useA, defA, useB, defB, info, words } = t;
  const xflags = x.flags;
  const functions = x.functions;

  const opaqueF = new Uint8Array(FN);
  for (let f = 0; f < FN; f++) {
    if (functions[f]!.external || complex[f] === 1) {
      opaqueF[f] = 1;
      // Summaries of functions that are not analysed: everything generated, everything passes.
      sGA[f] = ALL_REGS;
      sGB[f] = FLAGS;
      sPA[f] = ALL_REGS;
      sPB[f] = FLAGS;
    }
  }
  const opaque = (f: number): boolean => f < 0 || opaqueF[f] === 1;

  // Per instruction: uses/defs with software traps resolved through the policy.
  const uA = useA;
  const uB = useB;
  const dA = defA;
  const dB = defB;
  let trapUA: Int32Array | null = null;
  let trapUB: Int32Array | null = null;
  let trapDA: Int32Array | null = null;
  let trapDB: Int32Array | null = null;
  // Software traps (few): instruction index → slot in the trap arrays.
  const trapSlot = new Map<number, number>();
  {
    const list: number[] = [];
    for (let n = 0; n < N; n++) if (kind[n] === K.TICC && g.instrBlock[n]! >= 0) list.push(n);
    if (list.length > 0) {
      trapUA = new Int32Array(list.length);
      trapUB = new Int32Array(list.length);
      trapDA = new Int32Array(list.length);
      trapDB = new Int32Array(list.length);
      list.forEach((n, i) => {
        const w = words[n]!;
        const imm = (w >>> 13) & 1;
        const rs1 = (w >>> 14) & 31;
        const num = imm === 1 ? (rs1 === 0 ? w & 0x7f : null) : rs1 === 0 && (w & 31) === 0 ? 0 : null;
        const s = policy.trap(num);
        const always = (info[n]! >>> 1) === COND_ALWAYS;
        trapUA![i] = (s.uses | useA[n]!) & ALL_REGS;
        trapUB![i] = (s.usesFlags | useB[n]!) & FLAGS;
        // A conditional trap may not happen: it kills nothing.
        trapDA![i] = always ? s.defs & ALL_REGS : 0;
        trapDB![i] = always ? s.defsFlags & FLAGS : 0;
        trapSlot.set(n, i);
      });
    }
  }

  // ---- phase 1: per-function G/P to a fixpoint, bottom-up ---------------------------------------
  // The out-state of the block being processed is built in S (gA, gB, pA, pB): a typed array, so
  // the int32 masks are never boxed.
  const S = new Int32Array(4);
  const levelAfter = (n: number): number => {
    const k = kind[n]!;
    return level[n]! + (k === K.SAVE ? 1 : k === K.RESTORE || k === K.RETURN ? -1 : 0);
  };
  const orTop = (l: number): void => {
    S[0] = ALL_REGS;
    S[1] = FLAGS | (l === 1 ? HIDDEN : 0) | S[1]!;
    S[2] = ALL_REGS;
    S[3] = FLAGS;
  };
  const orBefore = (n: number): void => {
    S[0] |= bGA[n]!;
    S[1] |= bGB[n]!;
    S[2] |= bPA[n]!;
    S[3] |= bPB[n]!;
  };
  /** Joins entering `callee` as a tail call from a point at window level l (must be 0). */
  const orTail = (callee: number, l: number): void => {
    if (l !== 0 || callee < 0) {
      orTop(l);
      return;
    }
    S[0] |= sGA[callee]!;
    S[1] |= sGB[callee]!;
    S[2] |= sPA[callee]!;
    S[3] |= sPB[callee]!;
  };
  const orFall = (b: number, at: number): void => {
    const fi = bFallI[b]!;
    if (fi >= 0) orBefore(fi);
    else if (bFallCallee[b]! >= 0) orTail(bFallCallee[b]!, levelAfter(at));
    else orTop(levelAfter(at));
  };
  const orTaken = (b: number, at: number): void => {
    const fl = bFlags[b]!;
    if (fl & BF.TAKEN_OUT) orTail(bCallee[b]!, levelAfter(at));
    else if (fl & BF.TAKEN_CROSS || bTakenI[b]! < 0) orTop(levelAfter(at));
    else orBefore(bTakenI[b]!);
  };
  /** The state after a call's delay slot: callee summary composed with the return point's state. */
  const orCall = (b: number, callee: number, slot: number): void => {
    const r = bFallI[b]!;
    if (callee === -2) {
      // call .+8: no callee runs.
      if (r >= 0) orBefore(r);
      else orTop(levelAfter(slot));
      return;
    }
    const op = opaque(callee);
    if (!op && x.returns[callee] !== 1) {
      S[0] |= sGA[callee]!;
      S[1] |= sGB[callee]!;
      return;
    }
    if (r < 0) {
      orTop(levelAfter(slot));
      return;
    }
    const cGA = op ? ALL_REGS : sGA[callee]!;
    const cGB = op ? FLAGS : sGB[callee]!;
    const cPA = op ? ALL_REGS : sPA[callee]!;
    const cPB = op ? FLAGS : sPB[callee]!;
    S[0] |= cGA | (bGA[r]! & cPA);
    S[1] |= cGB | (bGB[r]! & (cPB | HIDDEN));
    if (level[r] === 0) {
      S[2] |= bPA[r]! & cPA;
      S[3] |= bPB[r]! & cPB;
    } else {
      S[2] |= bPA[r]! & (L1KILL(cPA) | HIDDEN);
      S[3] |= bPB[r]! & cPB;
    }
  };

  /** Backward transfer of instructions hi..lo (inclusive) from state S; writes before-states. Returns true when lo's state changed. */
  const sweep = (hi: number, lo: number, early: boolean): boolean => {
    let gA = S[0]!, gB = S[1]!, pA = S[2]!, pB = S[3]!;
    let changed = false;
    for (let n = hi; n >= lo; n--) {
      const k = kind[n]!;
      if (k === K.SAVE) {
        const d = dA[n]!;
        gA &= ~d;
        pA &= ~L1KILL(d);
        const a0 = (gA & 0xff) | (((gA >>> 24) & 0xff) << 8) | (gB & HIDDEN);
        gB = (gB & FLAGS) | uB[n]!;
        gA = a0 | uA[n]!;
      } else if (k === K.RESTORE || k === K.RETURN) {
        const d = dA[n]!; // written in the caller's window
        gA &= ~d;
        pA &= ~d;
        const a1 = (gA & 0xff) | (((gA >>> 8) & 0xff) << 24);
        gB = (gB & FLAGS) | (gA & HIDDEN) | uB[n]!;
        gA = a1 | uA[n]!;
      } else {
        let ua = uA[n]!, ub = uB[n]!, da = dA[n]!, db = dB[n]!;
        if (k === K.TICC) {
          const ts = trapSlot.get(n)!;
          ua = trapUA![ts]!; ub = trapUB![ts]!; da = trapDA![ts]!; db = trapDB![ts]!;
        }
        gA = ua | (gA & ~da);
        gB = ub | (gB & ~db);
        pA &= level[n] === 0 ? ~da : ~L1KILL(da);
        pB &= ~db;
      }
      if (bGA[n] !== gA || bGB[n] !== gB || bPA[n] !== pA || bPB[n] !== pB) {
        bGA[n] = gA; bGB[n] = gB; bPA[n] = pA; bPB[n] = pB;
        changed = true;
      } else if (early && !changed) {
        // The state before n did not change; neither will anything above it (same inputs as the
        // block's previous pass).
        return false;
      }
    }
    return changed;
  };

  let blockPasses = 0;
  const blockDone = new Uint8Array(B);
  /** One backward pass over block b; true when its entry state (or a joined slot's) changed. */
  const passBlock = (b: number): boolean => {
    blockPasses++;
    const early = blockDone[b] === 1;
    blockDone[b] = 1;
    const s = bStart[b]!;
    const e = bEnd[b]!;
    const c = bCti[b]!;
    const term = bTerm[b]!;
    const noslot = (bFlags[b]! & BF.NOSLOT) !== 0;
    S[0] = 0; S[1] = 0; S[2] = 0; S[3] = 0;
    switch (term) {
      case T.FALL:
        if (bFallI[b]! >= 0) orBefore(bFallI[b]!);
        else orTop(levelAfter(e));
        break;
      case T.FALLINTO:
        orTail(bFallCallee[b]!, levelAfter(e));
        break;
      case T.STOP:
        break;
      case T.UNKNOWN:
        orTop(levelAfter(e));
        break;
      case T.RETURN:
        S[2] = ALL_REGS;
        S[3] = FLAGS;
        break;
      case T.BRANCH: {
        const inf = info[c]!;
        const cls = inf >>> 1;
        const annul = (inf & INFO_ANNUL) !== 0;
        if (noslot) {
          if (cls === COND_ALWAYS) orTaken(b, c);
          else orFall(b, c);
          break;
        }
        // After the slot e.
        if (cls !== COND_NEVER) orTaken(b, e);
        if (cls === COND_NEVER || (cls === COND_CONDITIONAL && !annul)) orFall(b, e);
        break;
      }
      case T.CALL:
        orCall(b, bCallee[b]!, e);
        break;
      case T.TAILCALL:
        orTail(bCallee[b]!, levelAfter(e));
        break;
      case T.TABLE: {
        const tb = x.tables[bTable[b]!]!.targets;
        for (let i = 0; i < tb.length; i++) if (tb[i]! >= 0) orBefore(tb[i]!);
        break;
      }
      case T.JUMP:
        orBefore(bTakenI[b]!);
        break;
    }
    // A slot that other code jumps into also continues sequentially.
    const slotJoin = c >= 0 && !noslot && (xflags[e]! & F.SLOTJOIN) !== 0;
    if (slotJoin && e + 1 < N) orBefore(e + 1);
    oGA[b] = S[0]!; oGB[b] = S[1]!; oPA[b] = S[2]!; oPB[b] = S[3]!;
    if (c >= 0 && !noslot && term === T.BRANCH && (info[c]! & INFO_ANNUL) !== 0 && info[c]! >>> 1 === COND_CONDITIONAL) {
      // Annulled conditional branch: after the transfer come the slot (taken) or the fall-through.
      const slotChanged = sweep(e, e, false);
      S[0] = bGA[e]!; S[1] = bGB[e]!; S[2] = bPA[e]!; S[3] = bPB[e]!;
      orFall(b, c);
      const ch = sweep(c, s, false);
      return ch || (slotJoin && slotChanged);
    }
    if (slotJoin) {
      // Code that jumps into the slot reads the slot's own state: report its changes too.
      const a = bGA[e]!, bb = bGB[e]!, pa = bPA[e]!, pb = bPB[e]!;
      const ch = sweep(e, s, false);
      return ch || a !== bGA[e] || bb !== bGB[e] || pa !== bPA[e] || pb !== bPB[e];
    }
    return sweep(e, s, early);
  };

  // Call graph for the worklist: callers of each function, and the blocks that reach each callee.
  const callers: number[][] = functions.map(() => []);
  const siteBlocks: number[][] = functions.map(() => []);
  // A caller is listed once per run of its blocks (duplicates are harmless to the worklist).
  const lastCaller = new Int32Array(FN).fill(-1);
  for (let b = 0; b < B; b++) {
    const f = g.bFn[b]!;
    const term = bTerm[b]!;
    for (let which = 0; which < 2; which++) {
      let callee = -1;
      if (which === 0) {
        if (term === T.CALL || term === T.TAILCALL || (bFlags[b]! & BF.TAKEN_OUT) !== 0) callee = bCallee[b]!;
      } else callee = bFallCallee[b]!;
      if (callee < 0) continue;
      siteBlocks[callee]!.push(b);
      if (lastCaller[callee] !== f) {
        lastCaller[callee] = f;
        callers[callee]!.push(f);
      }
    }
  }
  // Bottom-up order: post-order DFS over callees.
  const order = postOrder(FN, callers);
  const inQueue = new Uint8Array(FN);
  const analysed = new Uint8Array(FN);
  const queue: number[] = [];
  for (const f of order) {
    if (opaque(f)) continue;
    queue.push(f);
    inQueue[f] = 1;
  }
  const blockQueued = new Uint8Array(B);
  const bstack: number[] = [];
  // Blocks to revisit in a function already analysed (their callee's summary grew).
  const dirty: number[][] = functions.map(() => []);
  let passes = 0;
  let qi = 0;
  while (qi < queue.length) {
    const f = queue[qi++]!;
    inQueue[f] = 0;
    passes++;
    if ((passes & 255) === 0) {
      options.checkCancel?.();
      options.progress?.(Math.min(0.6, (0.6 * passes) / (FN + 1)));
    }
    const blocks = g.fnBlocks[f]!;
    if (analysed[f] === 0) {
      analysed[f] = 1;
      // Backward problem: visit blocks from the end of the function first.
      for (let i = 0; i < blocks.length; i++) {
        const b = blocks[i]!;
        bstack.push(b);
        blockQueued[b] = 1;
      }
    } else {
      for (const b of dirty[f]!) {
        if (!blockQueued[b]) {
          blockQueued[b] = 1;
          bstack.push(b);
        }
      }
    }
    dirty[f]!.length = 0;
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
    const ngb = bGB[e]! & FLAGS;
    if (bGA[e] !== sGA[f] || ngb !== sGB[f] || bPA[e] !== sPA[f] || bPB[e] !== sPB[f]) {
      sGA[f] = bGA[e]!;
      sGB[f] = ngb;
      sPA[f] = bPA[e]!;
      sPB[f] = bPB[e]!;
      for (const b of siteBlocks[f]!) {
        const c = g.bFn[b]!;
        if (opaque(c) || analysed[c] === 0) continue;
        dirty[c]!.push(b);
        if (!inQueue[c]) {
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
  for (let i = order.length - 1; i >= 0; i--) {
    const f = order[i]!;
    if (!functions[f]!.external) {
      work.push(f);
      queued[f] = 1;
    }
  }
  work.reverse(); // pop() takes callers before callees
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
  // A complex function's exit is not tracked: what flows on from it is everything.
  const fExitA = (f: number): number => (complex[f] ? ALL_REGS : exitA[f]!);
  const fExitB = (f: number): number => (complex[f] ? FLAGS : exitB[f]!);
  while (work.length > 0) {
    const f = work.pop()!;
    queued[f] = 0;
    const blocks = g.fnBlocks[f]!;
    const ea = exitA[f]!;
    const eb = exitB[f]!;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      const term = bTerm[b]!;
      if (term === T.CALL) {
        const callee = bCallee[b]!;
        const r = bFallI[b]!;
        if (r < 0 || callee === -2) continue;
        // Live after the return point, in the callee's (= the call's) window; hidden bits dropped.
        let la: number, lb: number;
        if (complex[f]) {
          la = ALL_REGS;
          lb = FLAGS;
        } else {
          const xa = ea & bPA[r]!;
          const xb = eb & bPB[r]!;
          if (level[r] === 0) {
            la = bGA[r]! | xa;
            lb = (bGB[r]! | xb) & FLAGS;
          } else {
            la = bGA[r]! | L1A(xa);
            lb = (bGB[r]! | L1B(xa, xb)) & FLAGS;
          }
        }
        if (callee >= 0 && !functions[callee]!.external) raise(callee, la, lb);
        else if (callee < 0 && x.cti[bCti[b]!] === X.ICALL) {
          const na = indirectA | la;
          const nb = indirectB | lb;
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
  for (let b = 0; b < B; b++) {
    const f = g.bFn[b]!;
    const s = bStart[b]!;
    const e = bEnd[b]!;
    if (complex[f]) {
      for (let n = s; n <= e; n++) {
        beforeA[n] = ALL_REGS;
        beforeB[n] = FLAGS | (level[n] === 1 ? HIDDEN : 0);
        afterA[n] = ALL_REGS;
        afterB[n] = FLAGS;
      }
      continue;
    }
    const ea = exitA[f]!;
    const eb = exitB[f]!;
    for (let n = s; n <= e; n++) {
      const xa = ea & bPA[n]!;
      const xb = eb & bPB[n]!;
      if (level[n] === 0) {
        beforeA[n] = bGA[n]! | xa;
        beforeB[n] = bGB[n]! | (xb & FLAGS);
      } else {
        beforeA[n] = bGA[n]! | L1A(xa);
        beforeB[n] = bGB[n]! | L1B(xa, xb);
      }
    }
    // After: the next instruction's before, except at the end of the block (its out-state) and
    // after an annulled conditional branch (the slot or the fall-through).
    for (let n = s; n < e; n++) {
      afterA[n] = beforeA[n + 1]!;
      afterB[n] = beforeB[n + 1]!;
    }
    const le = levelAfter(e);
    const xa = ea & oPA[b]!;
    const xb = eb & oPB[b]!;
    if (le === 0) {
      afterA[e] = oGA[b]! | xa;
      afterB[e] = oGB[b]! | (xb & FLAGS);
    } else {
      afterA[e] = oGA[b]! | L1A(xa);
      afterB[e] = oGB[b]! | L1B(xa, xb);
    }
  }
  // After an annulled conditional branch come the slot (taken) or the fall-through (not taken);
  // done once every block's before-states exist.
  for (let b = 0; b < B; b++) {
    const c = bCti[b]!;
    if (c < 0 || c >= bEnd[b]! || bTerm[b] !== T.BRANCH || (info[c]! & INFO_ANNUL) === 0 || info[c]! >>> 1 !== COND_CONDITIONAL) continue;
    if (complex[g.bFn[b]!]) continue;
    const fi = bFallI[b]!;
    if (fi >= 0) {
      afterA[c] |= beforeA[fi]!;
      afterB[c] |= beforeB[fi]!;
    } else {
      afterA[c] = ALL_REGS;
      afterB[c] |= FLAGS;
    }
  }
  return {
    beforeA, beforeB, afterA, afterB, genA: sGA, genB: sGB, passA: sPA, passB: sPB, exitA, exitB,
    functionPasses: passes, blockPasses,
  };
}

/** Functions in post-order of the call graph (callees before callers where there is no cycle). */
function postOrder(FN: number, callers: readonly number[][]): number[] {
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
  return out;
}
