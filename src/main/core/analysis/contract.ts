// Adapters from an analysis to the contract's types (src/shared): the call graph and one function's detail.
import { functionIds, type BasicBlock, type CallGraph, type CfgEdge, type CfgEdgeKind, type FunctionDetail, type LoopInfo as ContractLoop } from '../../../shared/index.ts';
import { decode, formatInstruction } from '../sparc/index.ts';
import { T } from './cfg.ts';
import type { ProgramAnalysis } from './program.ts';
import { namesOf } from './regs.ts';

const moduleName = (m: string | null): string => m ?? '(unknown)';

/** Unique ids of the analysis' functions by index (functionIds over name, module and address). */
export function analysisFunctionIds(a: ProgramAnalysis): string[] {
  return functionIds(a.functions.map((f) => ({ name: f.name, module: moduleName(f.module), address: f.address })));
}

/**
 * The whole call graph with functions as nodes (keyed by unique id, see functionIds) and counted
 * sites. `ids` gives each function's id by index (default analysisFunctionIds).
 */
export function contractCallGraph(a: ProgramAnalysis, ids: readonly string[] = analysisFunctionIds(a)): CallGraph {
  const nodes = a.functions.map((f) => ({ id: ids[f.index]!, name: f.name, module: moduleName(f.module), address: f.address, size: f.size || f.codeBytes }));
  const counts = new Map<string, { from: string; to: string; sites: number }>();
  for (const s of a.callSites()) {
    if (s.callee < 0) continue;
    const from = ids[s.caller]!;
    const to = ids[s.callee]!;
    const key = `${from}\u0000${to}`;
    const e = counts.get(key);
    if (e === undefined) counts.set(key, { from, to, sites: 1 });
    else e.sites++;
  }
  return { nodes, edges: [...counts.values()] };
}

/**
 * One function by id (or, failing that, by name): blocks with instructions and liveness, typed
 * edges, loops, callers and callees by id. `ids` as for contractCallGraph.
 */
export function contractFunctionDetail(a: ProgramAnalysis, fid: string, ids: readonly string[] = analysisFunctionIds(a)): FunctionDetail | null {
  const index = ids.indexOf(fid);
  const f = index >= 0 ? a.functions[index] : a.functionByName(fid);
  if (f === undefined) return null;
  const t = a.instrs;
  const g = a.cfg;
  const li = f.external ? { loops: [] } : a.loops(f.index);
  const depth = new Map<number, number>();
  for (const l of li.loops) for (const b of l.blocks) depth.set(b, Math.max(depth.get(b) ?? 0, l.depth));
  const blockId = (b: number): string => `b${b}`;
  const blocks: BasicBlock[] = f.blocks.map((b) => {
    const instructions = [];
    for (let n = g.bStart[b]!; n <= g.bEnd[b]!; n++) {
      const address = t.addrOf(n);
      const live = a.query(address, 'before');
      const free = a.free(address, 'before');
      instructions.push({
        address,
        word: t.words[n]!,
        text: formatInstruction(decode(t.words[n]!, t.mode), { address }),
        live: live === null ? null : namesOf(live.regs, live.flags),
        free: free === null ? null : free.names,
      });
    }
    const term = g.bTerm[b]!;
    return {
      id: blockId(b),
      start: t.addrOf(g.bStart[b]!),
      end: (t.addrOf(g.bEnd[b]!) + 4) >>> 0,
      instructions,
      loopDepth: depth.get(b) ?? 0,
      isEntry: b === f.entryBlock,
      isExit: term === T.RETURN || term === T.TAILCALL || term === T.FALLINTO || term === T.UNKNOWN || term === T.STOP,
    };
  });
  const edges: CfgEdge[] = [];
  for (const b of f.blocks) {
    const fromCall = g.bTerm[b] === T.CALL;
    for (const e of a.edgesOf(b)) {
      if (e.to < 0) continue;
      let kind: CfgEdgeKind;
      switch (e.kind) {
        case 'taken': kind = 'taken'; break;
        case 'not-taken': kind = 'not-taken'; break;
        case 'fall-through': kind = fromCall ? 'call-return' : 'fallthrough'; break;
        case 'indirect': kind = g.bTerm[b] === T.JUMP ? 'jump' : 'indirect'; break;
        default: kind = 'fallthrough';
      }
      edges.push({ from: blockId(b), to: blockId(e.to), kind });
    }
  }
  const loops: ContractLoop[] = li.loops.map((l) => ({ header: blockId(l.header), blocks: l.blocks.map(blockId), depth: l.depth }));
  const callers = new Set<string>();
  const callees = new Set<string>();
  for (const s of a.callSites()) {
    if (s.callee === f.index) callers.add(ids[s.caller]!);
    if (s.caller === f.index && s.callee >= 0) callees.add(ids[s.callee]!);
  }
  return {
    summary: { id: ids[f.index]!, name: f.name, module: moduleName(f.module), address: f.address, size: f.size || f.codeBytes },
    cfg: { blocks, edges, loops },
    disassembly: null,
    callers: [...callers].sort(),
    callees: [...callees].sort(),
  };
}
