// Dominators (Cooper, Harvey & Kennedy's iterative algorithm on reverse post-order) and natural
// loops with their nesting, per function, over the intra-procedural block graph.
import type { Cfg } from './cfg.ts';

export interface Dominators {
  /** The function's blocks in reverse post-order (reachable from the entry only). */
  readonly rpo: Int32Array;
  /** Immediate dominator of each block of `rpo` (same positions), as a block index; the entry's is itself. */
  readonly idom: Int32Array;
}

export interface Loop {
  readonly header: number;
  /** Blocks of the loop (header included), ascending. */
  readonly blocks: number[];
  /** Sources of the back edges (latches). */
  readonly latches: number[];
  /** Index of the innermost enclosing loop in the function's list, or -1. */
  parent: number;
  /** 1 for outermost loops. */
  depth: number;
}

export interface LoopInfo {
  readonly loops: Loop[];
  /** Retreating edges that are not back edges (irreducible flow), as [from, to] block pairs. */
  readonly irreducible: [number, number][];
}

/** Per-graph scratch: RPO position of each block (-1 when not in the current function's order). */
const scratch = new WeakMap<Cfg, { pos: Int32Array; stamp: Int32Array; round: number }>();

function scratchOf(g: Cfg): { pos: Int32Array; stamp: Int32Array; round: number } {
  let s = scratch.get(g);
  if (s === undefined) {
    s = { pos: new Int32Array(g.blockCount), stamp: new Int32Array(g.blockCount).fill(-1), round: 0 };
    scratch.set(g, s);
  }
  return s;
}

/** Dominator tree of function f. */
export function dominators(g: Cfg, f: number): Dominators {
  const entry = g.fnEntryBlock[f]!;
  if (entry < 0) return { rpo: new Int32Array(0), idom: new Int32Array(0) };
  const sc = scratchOf(g);
  const round = ++sc.round;
  const { pos, stamp } = sc;
  const { succStart, succ, predStart, pred } = g;
  // Iterative DFS for post-order.
  const nBlocks = g.fnBlocks[f]!.length;
  const post = new Int32Array(nBlocks);
  let np = 0;
  const stack = new Int32Array(nBlocks + 1);
  const iter = new Int32Array(nBlocks + 1);
  let sp = 0;
  stamp[entry] = round;
  stack[0] = entry;
  iter[0] = succStart[entry]!;
  sp = 1;
  while (sp > 0) {
    const b = stack[sp - 1]!;
    const i = iter[sp - 1]!;
    if (i < succStart[b + 1]!) {
      iter[sp - 1] = i + 1;
      const s = succ[i]!;
      if (stamp[s] !== round) {
        stamp[s] = round;
        stack[sp] = s;
        iter[sp] = succStart[s]!;
        sp++;
      }
    } else {
      sp--;
      post[np++] = b;
    }
  }
  const rpo = new Int32Array(np);
  for (let i = 0; i < np; i++) {
    rpo[i] = post[np - 1 - i]!;
    pos[rpo[i]!] = i;
  }
  const idom = new Int32Array(np).fill(-1);
  idom[0] = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < np; i++) {
      const b = rpo[i]!;
      let nd = -1;
      for (let q = predStart[b]!; q < predStart[b + 1]!; q++) {
        const pb = pred[q]!;
        if (stamp[pb] !== round) continue;
        let p = pos[pb]!;
        if (idom[p] === -1) continue;
        if (nd === -1) {
          nd = p;
          continue;
        }
        let a = nd;
        while (a !== p) {
          while (a > p) a = idom[a]!;
          while (p > a) p = idom[p]!;
        }
        nd = a;
      }
      if (nd !== -1 && idom[i] !== nd) {
        idom[i] = nd;
        changed = true;
      }
    }
  }
  for (let i = 0; i < np; i++) idom[i] = rpo[idom[i]!]!;
  return { rpo, idom };
}

/** Natural loops of function f (one per header; loops with the same header are merged). */
export function loops(g: Cfg, f: number, dom: Dominators = dominators(g, f)): LoopInfo {
  const np = dom.rpo.length;
  const loopsOut: Loop[] = [];
  const irreducible: [number, number][] = [];
  if (np === 0) return { loops: loopsOut, irreducible };
  const sc = scratchOf(g);
  const round = ++sc.round;
  const { pos, stamp } = sc;
  for (let i = 0; i < np; i++) {
    stamp[dom.rpo[i]!] = round;
    pos[dom.rpo[i]!] = i;
  }
  // Pre/post numbering of the dominator tree makes "a dominates b" an interval test.
  const childStart = new Int32Array(np + 1);
  for (let i = 1; i < np; i++) childStart[pos[dom.idom[i]!]! + 1]!++;
  for (let i = 0; i < np; i++) childStart[i + 1]! += childStart[i]!;
  const children = new Int32Array(Math.max(np - 1, 0));
  const fill = childStart.slice();
  for (let i = 1; i < np; i++) children[fill[pos[dom.idom[i]!]!]!++] = i;
  const pre = new Int32Array(np);
  const last = new Int32Array(np);
  {
    const stack = new Int32Array(np);
    const iter = new Int32Array(np);
    let sp = 1;
    stack[0] = 0;
    iter[0] = childStart[0]!;
    let counter = 0;
    pre[0] = counter++;
    while (sp > 0) {
      const v = stack[sp - 1]!;
      const i = iter[sp - 1]!;
      if (i < childStart[v + 1]!) {
        iter[sp - 1] = i + 1;
        const c = children[i]!;
        pre[c] = counter++;
        stack[sp] = c;
        iter[sp] = childStart[c]!;
        sp++;
      } else {
        last[v] = counter - 1;
        sp--;
      }
    }
  }
  const dominates = (a: number, b: number): boolean => pre[a]! <= pre[b]! && pre[b]! <= last[a]!;
  const byHeader = new Map<number, { latches: number[]; body: Set<number> }>();
  for (let i = 0; i < np; i++) {
    const b = dom.rpo[i]!;
    for (let q = g.succStart[b]!; q < g.succStart[b + 1]!; q++) {
      const h = g.succ[q]!;
      if (stamp[h] !== round) continue;
      const ph = pos[h]!;
      if (ph > i) continue; // forward edge
      if (!dominates(ph, i)) {
        irreducible.push([b, h]);
        continue;
      }
      let l = byHeader.get(h);
      if (l === undefined) byHeader.set(h, (l = { latches: [], body: new Set([h]) }));
      l.latches.push(b);
      const stack = [b];
      while (stack.length > 0) {
        const y = stack.pop()!;
        if (l.body.has(y)) continue;
        l.body.add(y);
        for (let r = g.predStart[y]!; r < g.predStart[y + 1]!; r++) if (stamp[g.pred[r]!] === round) stack.push(g.pred[r]!);
      }
    }
  }
  for (const [header, l] of byHeader) {
    loopsOut.push({ header, blocks: [...l.body].sort((a, b) => a - b), latches: l.latches, parent: -1, depth: 1 });
  }
  // Nesting: the parent is the smallest loop that strictly contains this one.
  loopsOut.sort((a, b) => b.blocks.length - a.blocks.length);
  if (loopsOut.length > 1) {
    const sets = loopsOut.map((l) => new Set(l.blocks));
    for (let i = 0; i < loopsOut.length; i++) {
      for (let j = i - 1; j >= 0; j--) {
        if (sets[j]!.has(loopsOut[i]!.header) && loopsOut[j]!.blocks.length > loopsOut[i]!.blocks.length) {
          loopsOut[i]!.parent = j;
          loopsOut[i]!.depth = loopsOut[j]!.depth + 1;
          break;
        }
      }
    }
  }
  return { loops: loopsOut, irreducible };
}
