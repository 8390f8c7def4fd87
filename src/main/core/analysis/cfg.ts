// Basic blocks, typed edges, register-window levels and word classes, built from an exploration.
//
// A block is a run of a function's instructions entered only at its first instruction; a delayed
// control transfer and its delay slot end a block together (the slot belongs with its transfer,
// V8 §4.4 / B.21). `ba,a` and `bn,a` end their block without a slot (the slot never runs on that
// path). A call ends its block too: the callee is a `call` edge, the return point a fall-through.
import { COND_ALWAYS, COND_CONDITIONAL, COND_NEVER, INFO_ANNUL, K, type InstrTable } from './instrs.ts';
import { F, X, type Exploration } from './explore.ts';

/** Block terminators. */
export const T = {
  /** Sequential flow into the next block of the function. */
  FALL: 0,
  /** unimp: the flow ends (illegal_instruction). */
  STOP: 1,
  BRANCH: 2,
  CALL: 3,
  TAILCALL: 4,
  RETURN: 5,
  TABLE: 6,
  /** jmp to a constant address in the function. */
  JUMP: 7,
  /** Indirect jump with unknown targets, DCTI couple, rett, flow into another function's body, unknown word. */
  UNKNOWN: 8,
  /** Sequential flow into another function's entry (a tail call without a transfer). */
  FALLINTO: 9,
} as const;

/** Block flag bits. */
export const BF = {
  /** The block's control transfer has no delay slot in the block (ba,a / bn,a / done). */
  NOSLOT: 1,
  /** A branch's taken side goes into another function's body or outside the code. */
  TAKEN_CROSS: 2,
  /** A branch's taken side is another function's entry (tail call); the callee is in `callee`. */
  TAKEN_OUT: 4,
  /** The fall-through / return point leaves the function (another function's entry: see `fallCallee`). */
  FALL_OUT: 8,
  /** Ends with an unknown word (not an instruction in this mode). */
  ILLEGAL_END: 16,
} as const;

/** Edge kinds as the model names them. */
export type EdgeKind = 'taken' | 'not-taken' | 'fall-through' | 'call' | 'return' | 'indirect' | 'tail-call';
export const EDGE_KINDS: readonly EdgeKind[] = ['taken', 'not-taken', 'fall-through', 'call', 'return', 'indirect', 'tail-call'];
export const E = { TAKEN: 0, NOT_TAKEN: 1, FALL: 2, CALL: 3, RETURN: 4, INDIRECT: 5, TAIL: 6 } as const;

/** Word classes for coverage. */
export const W = { CODE: 0, DATA: 1, PADDING: 2, UNREACHABLE: 3, PLT: 4 } as const;
export const WORD_CLASSES = ['code', 'data', 'padding', 'unreachable', 'plt'] as const;

export interface Cfg {
  readonly blockCount: number;
  readonly bStart: Int32Array;
  /** Last instruction (inclusive). */
  readonly bEnd: Int32Array;
  readonly bFn: Int32Array;
  readonly bTerm: Uint8Array;
  readonly bFlags: Uint8Array;
  /** The control transfer's instruction, or -1. */
  readonly bCti: Int32Array;
  /** Taken target instruction (branch, jump) or -1. */
  readonly bTakenI: Int32Array;
  /** Fall-through / not-taken / return-point instruction, or -1. */
  readonly bFallI: Int32Array;
  /** Callee of a call / tail call / taken-out branch (function index; -1 unknown, -2 `call .+8`). */
  readonly bCallee: Int32Array;
  /** Function entered by a fall-through leaving the function, or -1. */
  readonly bFallCallee: Int32Array;
  /** Jump table id for T.TABLE blocks, else -1. */
  readonly bTable: Int32Array;
  /** Intra-function successors (block indices), CSR. */
  readonly succStart: Int32Array;
  readonly succ: Int32Array;
  readonly predStart: Int32Array;
  readonly pred: Int32Array;
  /** Block of each instruction (-1 when not code of a function). */
  readonly instrBlock: Int32Array;
  /** Per function: its blocks, in address order (first = entry block is fnEntryBlock). */
  readonly fnBlocks: Int32Array[];
  readonly fnEntryBlock: Int32Array;
  /** Window level before each instruction (0 = the function's entry window, 1 = after its save). */
  readonly level: Int8Array;
  /** Functions whose window use the analysis cannot follow (levels disagree, <0 or >1). */
  readonly complex: Uint8Array;
  /** Word class of each instruction (W). */
  readonly wordClass: Uint8Array;
  /** Edges for the model. */
  readonly edges: EdgeList;
}

export interface EdgeList {
  count: number;
  from: Int32Array;
  /** Target block, or -1 (calls, returns, tail calls, unresolved indirect). */
  to: Int32Array;
  kind: Uint8Array;
  /** Callee function for call / tail-call edges, else -1. */
  callee: Int32Array;
  /** Target address (branch target, callee entry, table target), or 0. */
  address: Uint32Array;
}

function newEdges(cap: number): EdgeList {
  return { count: 0, from: new Int32Array(cap), to: new Int32Array(cap), kind: new Uint8Array(cap), callee: new Int32Array(cap), address: new Uint32Array(cap) };
}

function pushEdge(e: EdgeList, from: number, to: number, kind: number, callee: number, address: number): EdgeList {
  if (e.count === e.from.length) {
    const n = newEdges(e.count * 2 + 16);
    n.from.set(e.from);
    n.to.set(e.to);
    n.kind.set(e.kind);
    n.callee.set(e.callee);
    n.address.set(e.address);
    n.count = e.count;
    e = n;
  }
  const i = e.count++;
  e.from[i] = from;
  e.to[i] = to;
  e.kind[i] = kind;
  e.callee[i] = callee;
  e.address[i] = address >>> 0;
  return e;
}

export function buildCfg(x: Exploration): Cfg {
  const t = x.t;
  const N = t.count;
  const { owner, flags, cti, aux, functions } = x;
  const instrBlock = new Int32Array(N).fill(-1);
  // Block starts.
  const starts: number[] = [];
  const endsBlock = (n: number): boolean => {
    const fl = flags[n]!;
    if (fl & F.SLOT) return true;
    if (fl & F.FALLOUT) return true;
    const k = t.kind[n]!;
    if (k === K.UNIMP || k === K.ILLEGAL) return true;
    const c = cti[n]!;
    if (c !== X.NONE) {
      // A transfer whose slot is not part of the block.
      if (k === K.BRANCH) {
        const info = t.info[n]!;
        const cls = info >>> 1;
        if ((info & INFO_ANNUL) && (cls === COND_ALWAYS || cls === COND_NEVER)) return true;
      }
      if (k === K.DONE) return true;
      if (!(n + 1 < N && flags[n + 1]! & F.SLOT && owner[n + 1] === owner[n])) return true;
    }
    return false;
  };
  const regionStart = new Uint8Array(N + 1);
  for (let i = 0; i < t.regions.length; i++) regionStart[t.regionBase[i]!] = 1;
  const externalFn = new Uint8Array(functions.length);
  for (const fn of functions) if (fn.external) externalFn[fn.index] = 1;
  let prevOwner = -1;
  let prev = -2;
  let prevEnds = true;
  let bCount = 0;
  let startsBuf = new Int32Array(Math.max(1024, N >>> 2));
  let endsBuf = new Int32Array(startsBuf.length);
  for (let n = 0; n < N; n++) {
    const o = owner[n]!;
    const fl = flags[n]!;
    if (o < 0 || (fl & F.VISITED) === 0 || externalFn[o] === 1) continue;
    if (o !== prevOwner || n !== prev + 1 || ((fl & F.LEADER) !== 0 && (fl & F.SLOT) === 0) || regionStart[n] === 1 || prevEnds) {
      if (bCount === startsBuf.length) {
        const s2 = new Int32Array(bCount * 2);
        s2.set(startsBuf);
        startsBuf = s2;
        const e2 = new Int32Array(bCount * 2);
        e2.set(endsBuf);
        endsBuf = e2;
      }
      startsBuf[bCount++] = n;
    }
    instrBlock[n] = bCount - 1;
    endsBuf[bCount - 1] = n;
    prevOwner = o;
    prev = n;
    prevEnds = endsBlock(n);
  }
  void starts;
  const B = bCount;
  const bStart = startsBuf.slice(0, B);
  const bEnd = endsBuf.slice(0, B);
  const bFn = new Int32Array(B);
  for (let b = 0; b < B; b++) bFn[b] = owner[bStart[b]!]!;
  const bTerm = new Uint8Array(B);
  const bFlags = new Uint8Array(B);
  const bCti = new Int32Array(B).fill(-1);
  const bTakenI = new Int32Array(B).fill(-1);
  const bFallI = new Int32Array(B).fill(-1);
  const bCallee = new Int32Array(B).fill(-1);
  const bFallCallee = new Int32Array(B).fill(-1);
  const bTable = new Int32Array(B).fill(-1);
  let edges = newEdges(B * 2 + 16);
  // Successors in CSR form, built block by block.
  const succStart = new Int32Array(B + 1);
  let succ = new Int32Array(B * 2 + 16);
  let succLen = 0;

  const blockOfTarget = (n: number, f: number): number => (n >= 0 && owner[n] === f ? instrBlock[n]! : -1);
  const addSucc = (b: number, to: number): void => {
    if (to < 0) return;
    for (let i = succStart[b]!; i < succLen; i++) if (succ[i] === to) return;
    if (succLen === succ.length) {
      const grown = new Int32Array(succ.length * 2);
      grown.set(succ);
      succ = grown;
    }
    succ[succLen++] = to;
  };
  /** Flow from block b to instruction n (fall-through, not-taken or return point). */
  const fallTo = (b: number, n: number, kind: number): void => {
    const f = bFn[b]!;
    const e = n >= 0 && n < N ? x.entryOf[n]! : -1;
    if (e >= 0 && e !== f) {
      bFlags[b] |= BF.FALL_OUT;
      bFallCallee[b] = e;
      edges = pushEdge(edges, b, -1, E.TAIL, e, functions[e]!.address);
      return;
    }
    const tb = blockOfTarget(n, f);
    if (tb < 0) {
      bFlags[b] |= BF.FALL_OUT;
      return;
    }
    bFallI[b] = n;
    addSucc(b, tb);
    edges = pushEdge(edges, b, tb, kind, -1, t.addrOf(n));
  };

  for (let b = 0; b < B; b++) {
    succStart[b] = succLen;
    const f = bFn[b]!;
    const e = bEnd[b]!;
    const fe = flags[e]!;
    let c = -1;
    if (fe & F.SLOT && e > bStart[b]! - 1 && e > 0 && cti[e - 1] !== X.NONE && instrBlock[e - 1] === b) c = e - 1;
    else if (fe & F.SLOT && e === bStart[b]) c = -1; // a lone slot (should not happen)
    else if (cti[e] !== X.NONE) {
      c = e;
      bFlags[b] |= BF.NOSLOT;
    }
    bCti[b] = c;
    if (c < 0) {
      const k = t.kind[e]!;
      if (k === K.UNIMP) bTerm[b] = T.STOP;
      else if (k === K.ILLEGAL) {
        bTerm[b] = T.UNKNOWN;
        bFlags[b] |= BF.ILLEGAL_END;
      } else if (fe & F.FALLOUT) {
        const en = e + 1 < N ? x.entryOf[e + 1]! : -1;
        if (en >= 0 && en !== f) {
          bTerm[b] = T.FALLINTO;
          bFallCallee[b] = en;
          edges = pushEdge(edges, b, -1, E.TAIL, en, functions[en]!.address);
        } else bTerm[b] = T.UNKNOWN;
      } else {
        bTerm[b] = T.FALL;
        fallTo(b, e + 1, E.FALL);
        if (bFallI[b] < 0) {
          bTerm[b] = bFallCallee[b]! >= 0 ? T.FALLINTO : T.UNKNOWN;
        }
      }
      continue;
    }
    const xc = cti[c]!;
    const k = t.kind[c]!;
    switch (xc) {
      case X.BRANCH:
      case X.BRANCH_OUT:
      case X.BRANCH_CROSS: {
        bTerm[b] = T.BRANCH;
        const info = t.info[c]!;
        const cls = info >>> 1;
        if (cls !== COND_NEVER) {
          const target = t.target[c]!;
          if (xc === X.BRANCH) {
            const ti = t.indexOf(target);
            const tb = blockOfTarget(ti, f);
            bTakenI[b] = ti;
            addSucc(b, tb);
            edges = pushEdge(edges, b, tb, E.TAKEN, -1, target);
          } else if (xc === X.BRANCH_OUT) {
            bFlags[b] |= BF.TAKEN_OUT;
            bCallee[b] = aux[c]!;
            edges = pushEdge(edges, b, -1, E.TAIL, aux[c]!, target);
          } else {
            bFlags[b] |= BF.TAKEN_CROSS;
            edges = pushEdge(edges, b, -1, E.INDIRECT, -1, target);
          }
        }
        if (cls === COND_CONDITIONAL || cls === COND_NEVER) {
          fallTo(b, c + 2, cls === COND_NEVER ? E.FALL : E.NOT_TAKEN);
        }
        break;
      }
      case X.CALL: {
        bTerm[b] = T.CALL;
        const callee = aux[c]!;
        bCallee[b] = callee;
        if (callee !== -2) {
          const addr = k === K.CALL ? t.target[c]! : 0;
          edges = pushEdge(edges, b, -1, E.CALL, callee, callee >= 0 ? functions[callee]!.address : addr);
        }
        const returns = callee < 0 || x.returns[callee] === 1;
        if (returns && !(flags[c + 1]! & F.FALLOUT)) {
          let r = c + 2;
          if (r < N && flags[r]! & F.DATA && t.kind[r] === K.UNIMP) r = c + 3;
          fallTo(b, r, E.FALL);
        } else if (returns) bFlags[b] |= BF.FALL_OUT;
        break;
      }
      case X.ICALL: {
        bTerm[b] = T.CALL;
        const callee = aux[c]!;
        bCallee[b] = callee;
        edges = pushEdge(edges, b, -1, E.CALL, callee, callee >= 0 ? functions[callee]!.address : 0);
        if (!(flags[c + 1]! & F.FALLOUT)) {
          let r = c + 2;
          if (r < N && flags[r]! & F.DATA && t.kind[r] === K.UNIMP) r = c + 3;
          fallTo(b, r, E.FALL);
        } else bFlags[b] |= BF.FALL_OUT;
        break;
      }
      case X.TAILCALL:
      case X.JUMP_OUT: {
        bTerm[b] = T.TAILCALL;
        const callee = aux[c]!;
        bCallee[b] = callee;
        edges = pushEdge(edges, b, -1, E.TAIL, callee, callee >= 0 ? functions[callee]!.address : k === K.CALL ? t.target[c]! : 0);
        break;
      }
      case X.RETURN:
        bTerm[b] = T.RETURN;
        edges = pushEdge(edges, b, -1, E.RETURN, -1, 0);
        break;
      case X.TABLE: {
        bTerm[b] = T.TABLE;
        bTable[b] = aux[c]!;
        const tb = x.tables[aux[c]!]!;
        const seen = new Set<number>();
        for (const ti of tb.targets) {
          if (seen.has(ti)) continue;
          seen.add(ti);
          const to = blockOfTarget(ti, f);
          addSucc(b, to);
          edges = pushEdge(edges, b, to, E.INDIRECT, -1, t.addrOf(ti));
        }
        break;
      }
      case X.JUMP: {
        bTerm[b] = T.JUMP;
        const ti = aux[c]!;
        const to = blockOfTarget(ti, f);
        bTakenI[b] = ti;
        addSucc(b, to);
        edges = pushEdge(edges, b, to, E.INDIRECT, -1, t.addrOf(ti));
        break;
      }
      default:
        // INDIRECT, COUPLE, RETT, or a transfer whose slot is not ours.
        bTerm[b] = T.UNKNOWN;
        if (xc === X.RETT) edges = pushEdge(edges, b, -1, E.RETURN, -1, 0);
        else edges = pushEdge(edges, b, -1, E.INDIRECT, -1, 0);
    }
    // A delay slot other code jumps into continues sequentially on that path.
    if (fe & F.SLOTJOIN && e + 1 < N && owner[e + 1] === f) {
      const nb = instrBlock[e + 1]!;
      let known = false;
      for (let i = succStart[b]!; i < succLen; i++) if (succ[i] === nb) known = true;
      if (nb >= 0 && !known) {
        addSucc(b, nb);
        edges = pushEdge(edges, b, nb, E.FALL, -1, t.addrOf(e + 1));
      }
    }
  }
  succStart[B] = succLen;
  succ = succ.slice(0, succLen);

  // Predecessors.
  const total = succLen;
  const predCount = new Int32Array(B + 1);
  for (let i = 0; i < succLen; i++) predCount[succ[i]!]!++;
  const predStart = new Int32Array(B + 1);
  for (let b = 0, acc = 0; b <= B; b++) {
    predStart[b] = acc;
    acc += predCount[b] ?? 0;
  }
  const pred = new Int32Array(total);
  const fill = predStart.slice();
  for (let b = 0; b < B; b++) for (let q = succStart[b]!; q < succStart[b + 1]!; q++) pred[fill[succ[q]!]!++] = b;

  // Blocks per function.
  const fnBlocksL: number[][] = functions.map(() => []);
  for (let b = 0; b < B; b++) fnBlocksL[bFn[b]!]!.push(b);
  const fnBlocks = fnBlocksL.map((l) => Int32Array.from(l));
  const fnEntryBlock = new Int32Array(functions.length).fill(-1);
  for (const fn of functions) if (!fn.external) fnEntryBlock[fn.index] = instrBlock[fn.entry]!;

  const { level, complex } = computeLevels(t, x, { B, fnBlocks, bStart, bEnd, bTerm, bCti, succStart, succ, fnEntryBlock });
  const wordClass = classifyWords(t, x, instrBlock);
  return {
    blockCount: B, bStart, bEnd, bFn, bTerm, bFlags, bCti, bTakenI, bFallI, bCallee, bFallCallee, bTable,
    succStart, succ, predStart, pred, instrBlock, fnBlocks, fnEntryBlock, level, complex, wordClass, edges,
  };
}

interface LevelInput {
  B: number;
  fnBlocks: Int32Array[];
  bStart: Int32Array;
  bEnd: Int32Array;
  bTerm: Uint8Array;
  bCti: Int32Array;
  succStart: Int32Array;
  succ: Int32Array;
  fnEntryBlock: Int32Array;
}

const NO_LEVEL = -128;

/** Window depth before each instruction, by forward propagation from each function's entry (level 0). */
function computeLevels(t: InstrTable, x: Exploration, g: LevelInput): { level: Int8Array; complex: Uint8Array } {
  const N = t.count;
  const level = new Int8Array(N).fill(NO_LEVEL);
  const complex = new Uint8Array(x.functions.length);
  const blockIn = new Int8Array(g.B).fill(NO_LEVEL);
  const stack: number[] = [];
  const { succStart, succ, bStart, bEnd, bTerm } = g;
  const kind = t.kind;
  for (const fn of x.functions) {
    if (fn.external) continue;
    const eb = g.fnEntryBlock[fn.index]!;
    if (eb < 0) continue;
    blockIn[eb] = 0;
    stack.push(eb);
    let bad = false;
    while (stack.length > 0 && !bad) {
      const b = stack.pop()!;
      let l = blockIn[b]!;
      for (let n = bStart[b]!; n <= bEnd[b]!; n++) {
        level[n] = l;
        const k = kind[n]!;
        if (k === K.SAVE) l++;
        else if (k === K.RESTORE || k === K.RETURN) l--;
      }
      if (l < 0 || l > 1) bad = true;
      for (let n = bStart[b]!; n < bEnd[b]!; n++) if (level[n]! < 0 || level[n]! > 1) bad = true;
      // The level after the block: check what its terminator needs.
      const term = bTerm[b]!;
      if ((term === T.RETURN || term === T.TAILCALL || term === T.FALLINTO) && l !== 0) bad = true;
      // Every intra-function successor starts at the level the block ends with (an edge into a
      // delay slot is checked against the slot's block start: a save between them is flagged).
      for (let q = succStart[b]!; q < succStart[b + 1]!; q++) {
        const tb = succ[q]!;
        if (blockIn[tb] === NO_LEVEL) {
          blockIn[tb] = l;
          stack.push(tb);
        } else if (blockIn[tb] !== l) bad = true;
      }
    }
    // Blocks the propagation did not reach (after a DCTI couple, say) have no known level: the
    // function's windows cannot be followed. A DCTI couple also makes one instruction at its first
    // target act as a delay slot, which the per-block liveness does not model.
    if (!bad) {
      for (const b of g.fnBlocks[fn.index]!) {
        if (blockIn[b] === NO_LEVEL || (g.bCti[b]! >= 0 && x.cti[g.bCti[b]!] === X.COUPLE)) bad = true;
        // Window-management code (trap entry/return, overflow handlers) moves between windows the
        // analysis does not see: a `save` there may land in another frame's window.
        for (let n = g.bStart[b]!; n <= g.bEnd[b]! && !bad; n++) {
          const k = t.kind[n]!;
          if (k === K.WINCTL || k === K.RETT || k === K.DONE) bad = true;
        }
      }
    }
    if (bad) {
      complex[fn.index] = 1;
      stack.length = 0;
    }
  }
  for (let n = 0; n < N; n++) if (level[n] === NO_LEVEL) level[n] = 0;
  return { level, complex };
}

/** Classifies every word that is not code of a function. */
function classifyWords(t: InstrTable, x: Exploration, instrBlock: Int32Array): Uint8Array {
  const N = t.count;
  const cls = new Uint8Array(N);
  for (let n = 0; n < N; n++) {
    if (instrBlock[n]! >= 0) continue;
    const o = x.owner[n]!;
    if (o >= 0 && x.functions[o]!.external) {
      cls[n] = W.PLT;
      continue;
    }
    const w = t.words[n]!;
    if (x.flags[n]! & F.DATA) cls[n] = W.DATA;
    else if (w === 0 || w === 0x01000000) cls[n] = W.PADDING;
    else if (t.kind[n] === K.ILLEGAL || t.kind[n] === K.UNIMP) cls[n] = W.DATA;
    else cls[n] = W.UNREACHABLE;
  }
  return cls;
}
