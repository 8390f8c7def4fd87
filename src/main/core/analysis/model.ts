// The serialisable model of an analysis for the workbench: plain JSON (numbers, strings, arrays).
import { decode, formatInstruction } from '../sparc/index.ts';
import { EDGE_KINDS, type EdgeKind, WORD_CLASSES } from './cfg.ts';
import type { AnalysisStats, CallKind, ProgramAnalysis } from './program.ts';

export interface ModelInstruction {
  readonly address: number;
  readonly word: number;
  /** objdump-style text (absent when the model was made with `text: false`). */
  readonly text?: string;
  /** Live before the instruction: [registers mask, flags mask (bit 0 icc, bit 1 %y, bits 16-31 hidden entry window)]. */
  readonly live: readonly [number, number];
  /** Free before the instruction (registers mask; policy applied). */
  readonly free: number;
}

export interface ModelBlock {
  readonly index: number;
  readonly function: number;
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  readonly terminator: 'fall' | 'stop' | 'branch' | 'call' | 'tail-call' | 'return' | 'table' | 'jump' | 'unknown' | 'fall-into';
  readonly loopDepth: number;
  readonly instructions: readonly ModelInstruction[];
}

export interface ModelEdge {
  readonly from: number;
  /** Target block, or -1 (call, return, tail call, unresolved). */
  readonly to: number;
  readonly kind: EdgeKind;
  /** Callee function of call / tail-call edges, else -1. */
  readonly callee: number;
  /** Target address, 0 when none. */
  readonly address: number;
}

export interface ModelLoop {
  readonly header: number;
  readonly blocks: readonly number[];
  readonly depth: number;
  /** Index of the enclosing loop in the function's list, -1 for outermost. */
  readonly parent: number;
}

export interface ModelFunction {
  readonly index: number;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly address: number;
  readonly size: number;
  readonly codeBytes: number;
  readonly module: string | null;
  readonly source: string;
  readonly external: boolean;
  readonly returns: boolean;
  readonly complex: boolean;
  readonly addressTaken: boolean;
  readonly entryBlock: number;
  readonly blocks: readonly number[];
  /** Immediate dominator of each block of `blocks` (same order), -1 when unreachable. */
  readonly idom: readonly number[];
  readonly loops: readonly ModelLoop[];
  /** Callee summary in the caller's window: read before written / passed through / live after return. */
  readonly gen: readonly string[];
  readonly passThrough: readonly string[];
  readonly exitLive: readonly string[];
}

export interface ModelCallSite {
  readonly address: number;
  readonly caller: number;
  readonly callee: number;
  readonly target: number | null;
  readonly kind: CallKind;
}

export interface AnalysisModel {
  readonly format: 'springboard-analysis';
  readonly version: 1;
  readonly image: { readonly name: string; readonly mode: string; readonly entry: number | null; readonly policy: string };
  readonly stats: AnalysisStats;
  readonly modules: readonly { readonly name: string; readonly functions: readonly number[] }[];
  readonly functions: readonly ModelFunction[];
  readonly blocks: readonly ModelBlock[];
  readonly edges: readonly ModelEdge[];
  readonly callSites: readonly ModelCallSite[];
  readonly callGraph: readonly { readonly caller: number; readonly callee: number; readonly kind: CallKind; readonly sites: readonly number[] }[];
  readonly jumpTables: readonly { readonly site: number; readonly base: number; readonly count: number; readonly relative: boolean; readonly targets: readonly number[] }[];
  /** Runs of words outside every block: [start, end) and class. */
  readonly gaps: readonly { readonly start: number; readonly end: number; readonly class: string }[];
  readonly anomalies: readonly string[];
}

export interface ModelOptions {
  /** Include objdump-style instruction text (default true). */
  readonly text?: boolean;
  /** Only these functions (indices); default all. Blocks and edges are limited to them. */
  readonly functions?: readonly number[];
}

const TERMS: ModelBlock['terminator'][] = ['fall', 'stop', 'branch', 'call', 'tail-call', 'return', 'table', 'jump', 'unknown', 'fall-into'];

/** Turns an analysis into the JSON model. */
export function toModel(a: ProgramAnalysis, options: ModelOptions = {}): AnalysisModel {
  const t = a.instrs;
  const g = a.cfg;
  const x = a.exploration;
  const lv = a.liveness;
  const withText = options.text ?? true;
  const wanted = options.functions === undefined ? null : new Set(options.functions);
  const fnIncluded = (f: number): boolean => wanted === null || wanted.has(f);
  const names = new Map<number, string>();
  for (const f of a.functions) names.set(f.address, f.name);
  const sortedFns = [...a.functions].sort((p, q) => p.address - q.address);
  const printAddress = (addr: number): string => {
    const u = addr >>> 0;
    // Nearest function at or below the address.
    let lo = 0;
    let hi = sortedFns.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sortedFns[mid]!.address <= u) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const hex = u.toString(16);
    if (best < 0) return hex;
    const f = sortedFns[best]!;
    const off = u - f.address;
    return off === 0 ? `${hex} <${f.name}>` : `${hex} <${f.name}+0x${off.toString(16)}>`;
  };
  const freeRes = ~a.policy.reserved;
  const loopDepth = new Int32Array(g.blockCount);
  const functions: ModelFunction[] = [];
  for (const f of a.functions) {
    if (!fnIncluded(f.index)) continue;
    const dom = f.external ? null : a.dominators(f.index);
    const li = f.external ? null : a.loops(f.index);
    const idomOf = new Map<number, number>();
    if (dom !== null) dom.rpo.forEach((b, i) => idomOf.set(b, dom.idom[i]!));
    if (li !== null) for (const l of li.loops) for (const b of l.blocks) loopDepth[b] = Math.max(loopDepth[b]!, l.depth);
    const s = a.summary(f.index);
    functions.push({
      index: f.index,
      name: f.name,
      aliases: f.aliases,
      address: f.address,
      size: f.size,
      codeBytes: f.codeBytes,
      module: f.module,
      source: f.source,
      external: f.external,
      returns: f.returns,
      complex: f.complex,
      addressTaken: f.addressTaken,
      entryBlock: f.entryBlock,
      blocks: f.blocks,
      idom: f.blocks.map((b) => idomOf.get(b) ?? -1),
      loops: (li?.loops ?? []).map((l) => ({ header: l.header, blocks: l.blocks, depth: l.depth, parent: l.parent })),
      gen: s.gen.names,
      passThrough: s.passThrough.names,
      exitLive: s.exitLive.names,
    });
  }
  const blocks: ModelBlock[] = [];
  for (let b = 0; b < g.blockCount; b++) {
    if (!fnIncluded(g.bFn[b]!)) continue;
    const instructions: ModelInstruction[] = [];
    for (let n = g.bStart[b]!; n <= g.bEnd[b]!; n++) {
      const address = t.addrOf(n);
      const word = t.words[n]!;
      const A = lv.beforeA[n]!;
      const B = lv.beforeB[n]!;
      const ins: ModelInstruction = withText
        ? { address, word, text: formatInstruction(decode(word, t.mode), { address, printAddress }).trimEnd(), live: [A, B], free: ~A & freeRes & ~1 }
        : { address, word, live: [A, B], free: ~A & freeRes & ~1 };
      instructions.push(ins);
    }
    blocks.push({
      index: b,
      function: g.bFn[b]!,
      start: t.addrOf(g.bStart[b]!),
      end: (t.addrOf(g.bEnd[b]!) + 4) >>> 0,
      terminator: TERMS[g.bTerm[b]!] ?? 'unknown',
      loopDepth: loopDepth[b]!,
      instructions,
    });
  }
  const edges: ModelEdge[] = [];
  const e = g.edges;
  for (let i = 0; i < e.count; i++) {
    if (!fnIncluded(g.bFn[e.from[i]!]!)) continue;
    edges.push({ from: e.from[i]!, to: e.to[i]!, kind: EDGE_KINDS[e.kind[i]!]!, callee: e.callee[i]!, address: e.address[i]! });
  }
  const callSites = a.callSites().filter((s) => fnIncluded(s.caller)).map((s) => ({ ...s }));
  const callGraph = a.callGraph().filter((c) => fnIncluded(c.caller)).map((c) => ({ caller: c.caller, callee: c.callee, kind: c.kind, sites: c.sites }));
  const jumpTables = x.tables
    .filter((tb) => fnIncluded(tb.fn))
    .map((tb) => ({ site: t.addrOf(tb.site), base: tb.base, count: tb.count, relative: tb.relative, targets: tb.targets.map((n) => (n >= 0 ? t.addrOf(n) : 0)) }));
  const gaps: { start: number; end: number; class: string }[] = [];
  if (wanted === null) {
    for (let n = 0; n < t.count;) {
      const c = g.wordClass[n]!;
      if (c === 0) {
        n++;
        continue;
      }
      let m = n + 1;
      while (m < t.count && g.wordClass[m] === c && t.sameRegion(n, m)) m++;
      gaps.push({ start: t.addrOf(n), end: (t.addrOf(m - 1) + 4) >>> 0, class: WORD_CLASSES[c]! });
      n = m;
    }
  }
  const modMap = new Map<string, number[]>();
  for (const f of functions) {
    const m = f.module ?? '(unknown)';
    let l = modMap.get(m);
    if (l === undefined) modMap.set(m, (l = []));
    l.push(f.index);
  }
  return {
    format: 'springboard-analysis',
    version: 1,
    image: { name: a.source.name, mode: t.mode, entry: a.source.entry, policy: a.policy.name },
    stats: a.stats(),
    modules: [...modMap.entries()].map(([name, fns]) => ({ name, functions: fns })),
    functions,
    blocks,
    edges,
    callSites,
    callGraph,
    jumpTables,
    gaps,
    anomalies: x.anomalies,
  };
}
