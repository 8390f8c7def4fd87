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

/** Dominator tree of function f. */
export function dominators(g: Cfg, f: number): Dominators {
  const entry = g.fnEntryBlock[f]!;
  if (entry < 0) return { rpo: new Int32Array(0), idom: new Int32Array(0) };
  // Iterative DFS for post-order.
  const post: number[] = [];
  const seen = new Set<number>([entry]);
  const stack = [entry];
  const it = [g.succStart[entry]!];
  while (stack.length > 0) {
    const b = stack[stack.length - 1]!;
    const i = it[it.length - 1]!;
    if (i < g.succStart[b + 1]!) {
      it[it.length - 1] = i + 1;
      const s = g.succ[i]!;
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
        it.push(g.succStart[s]!);
      }
    } else {
      stack.pop();
      it.pop();
      post.push(b);
    }
  }
  const rpo = Int32Array.from(post.reverse());
  const order = new Map<number, number>();
  rpo.forEach((b, i) => order.set(b, i));
  const idom = new Int32Array(rpo.length).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a > b) a = idom[a]!;
      while (b > a) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < rpo.length; i++) {
      const b = rpo[i]!;
      let nd = -1;
      for (let q = g.predStart[b]!; q < g.predStart[b + 1]!; q++) {
        const p = order.get(g.pred[q]!);
        if (p === undefined || idom[p] === -1) continue;
        nd = nd === -1 ? p : intersect(p, nd);
      }
      if (nd !== -1 && idom[i] !== nd) {
        idom[i] = nd;
        changed = true;
      }
    }
  }
  return { rpo, idom: Int32Array.from(idom, (p) => rpo[p]!) };
}

/** Natural loops of function f (one per header; loops with the same header are merged). */
export function loops(g: Cfg, f: number, dom: Dominators = dominators(g, f)): LoopInfo {
  const pos = new Map<number, number>();
  dom.rpo.forEach((b, i) => pos.set(b, i));
  const idomOf = (b: number): number => dom.idom[pos.get(b)!]!;
  const dominates = (a: number, b: number): boolean => {
    // Walk up b's dominator chain.
    for (let x = b; ; x = idomOf(x)) {
      if (x === a) return true;
      if (x === idomOf(x)) return false;
    }
  };
  const byHeader = new Map<number, { latches: number[]; body: Set<number> }>();
  const irreducible: [number, number][] = [];
  for (const b of dom.rpo) {
    for (let q = g.succStart[b]!; q < g.succStart[b + 1]!; q++) {
      const h = g.succ[q]!;
      if (!pos.has(h) || pos.get(h)! > pos.get(b)!) continue;
      if (!dominates(h, b)) {
        irreducible.push([b, h]);
        continue;
      }
      let l = byHeader.get(h);
      if (l === undefined) byHeader.set(h, (l = { latches: [], body: new Set([h]) }));
      l.latches.push(b);
      const stack = [b];
      while (stack.length > 0) {
        const x = stack.pop()!;
        if (l.body.has(x)) continue;
        l.body.add(x);
        for (let r = g.predStart[x]!; r < g.predStart[x + 1]!; r++) if (pos.has(g.pred[r]!)) stack.push(g.pred[r]!);
      }
    }
  }
  const list: Loop[] = [...byHeader.entries()].map(([header, l]) => ({
    header, blocks: [...l.body].sort((a, b) => a - b), latches: l.latches, parent: -1, depth: 1,
  }));
  // Nesting: the parent is the smallest loop that strictly contains this one.
  list.sort((a, b) => b.blocks.length - a.blocks.length);
  const sets = list.map((l) => new Set(l.blocks));
  for (let i = 0; i < list.length; i++) {
    for (let j = i - 1; j >= 0; j--) {
      if (sets[j]!.has(list[i]!.header) && list[j]!.blocks.length > list[i]!.blocks.length) {
        list[i]!.parent = j;
        list[i]!.depth = list[j]!.depth + 1;
        break;
      }
    }
  }
  return { loops: list, irreducible };
}
