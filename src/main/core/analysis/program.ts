// analyzeProgram: the whole structural analysis of an image (functions, CFGs, call graph, liveness,
// loops) with progress and cancellation, and ProgramAnalysis, the result with its queries.
import { buildCfg, T, W, type Cfg, type EdgeKind, EDGE_KINDS } from './cfg.ts';
import { AnalysisError, AnalysisErrorCode } from './errors.ts';
import { explore, X, type Exploration, type FunctionRecord, type FunctionSource } from './explore.ts';
import { InstrTable, K } from './instrs.ts';
import { computeLiveness, type Liveness } from './liveness.ts';
import { dominators, loops, type Dominators, type LoopInfo } from './loops.ts';
import { linuxUserPolicy, type RegisterPolicy } from './policy.ts';
import { ALL_REGS, FLAGS, HIDDEN, hiddenNamesOf, namesOf } from './regs.ts';
import type { CodeSource } from './source.ts';

/** Something that can say "stop": an AbortSignal, or any object with `aborted`. */
export interface CancelToken {
  readonly aborted: boolean;
}

export type AnalysisPhase = 'decode' | 'functions' | 'cfg' | 'liveness' | 'loops' | 'done';

export interface AnalysisProgress {
  readonly phase: AnalysisPhase;
  /** Fraction of the whole analysis done, 0..1. */
  readonly fraction: number;
}

export interface AnalyzeOptions {
  /** Register policy of the image (reserved registers, trap summaries); default linux-user. */
  readonly policy?: RegisterPolicy;
  readonly onProgress?: (progress: AnalysisProgress) => void;
  /** Checked between phases and periodically inside them; when aborted the analysis throws AnalysisError 'cancelled'. */
  readonly signal?: CancelToken;
  /** Compute dominators and loops of every function up front (default true; otherwise on demand). */
  readonly loops?: boolean;
}

export interface AnalysisStats {
  readonly functions: number;
  /** PLT stubs and other code the analysis does not enter. */
  readonly externalFunctions: number;
  readonly blocks: number;
  /** Typed CFG edges (including call, return and tail-call edges). */
  readonly edges: number;
  /** Instructions in blocks. */
  readonly instructions: number;
  /** Words of the code sections. */
  readonly words: number;
  readonly callGraphEdges: number;
  readonly callSites: number;
  readonly jumpTables: number;
  readonly jumpTableTargets: number;
  /** Indirect jumps (not returns) whose targets the analysis could not find. */
  readonly unresolvedIndirectJumps: number;
  /** Indirect call sites (resolved ones included). */
  readonly indirectCalls: number;
  readonly noReturnFunctions: number;
  /** Functions whose register-window use the liveness cannot follow (analysed as "all live"). */
  readonly complexFunctions: number;
  readonly loops: number;
  readonly irreducibleEdges: number;
  /** Words outside every block, by class. */
  readonly dataWords: number;
  readonly paddingWords: number;
  readonly unreachableWords: number;
  readonly pltWords: number;
  /** Restarts of the function discovery (call targets inside other functions' code). */
  readonly discoveryRounds: number;
  readonly anomalies: number;
  /** Wall-clock milliseconds per phase. */
  readonly milliseconds: Readonly<Record<Exclude<AnalysisPhase, 'done'>, number>> & { readonly total: number };
}

/** A function as the analysis sees it. */
export interface AnalyzedFunction {
  readonly index: number;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly address: number;
  /** The symbol's size in bytes (0 when the symbol table does not say). */
  readonly size: number;
  /** Bytes of code in its blocks (its extent may go past `size`: cold parts, unnamed code). */
  readonly codeBytes: number;
  readonly module: string | null;
  readonly source: FunctionSource;
  readonly external: boolean;
  readonly returns: boolean;
  readonly complex: boolean;
  readonly addressTaken: boolean;
  readonly unknownCallers: boolean;
  /** Block indices, in address order. */
  readonly blocks: readonly number[];
  readonly entryBlock: number;
}

export type CallKind = 'call' | 'tail-call' | 'indirect-call';

export interface CallSite {
  /** Address of the call (or of the transfer / last instruction of a tail call). */
  readonly address: number;
  readonly caller: number;
  /** Callee function index, or -1 when unknown. */
  readonly callee: number;
  /** The called address when known (direct calls, constant pointers). */
  readonly target: number | null;
  readonly kind: CallKind;
}

export interface CallGraphEdgeInfo {
  readonly caller: number;
  readonly callee: number;
  readonly kind: CallKind;
  readonly sites: readonly number[];
}

/** Live registers at a point. */
export interface LiveSet {
  /** Registers r1..r31 of the point's window (bit k = r_k). */
  readonly regs: number;
  /** FLAG_ICC / FLAG_Y. */
  readonly flags: number;
  /** The function's entry-window locals/ins kept alive below the current window (bits 16-31 = r16..r31). */
  readonly hidden: number;
  /** Window level of the point: 0 in the entry window, 1 after the function's save. */
  readonly level: number;
  readonly names: readonly string[];
}

/** Registers that may be overwritten at a point. */
export interface FreeSet {
  readonly regs: number;
  readonly flags: number;
  readonly names: readonly string[];
}

export type When = 'before' | 'after';

interface Timer {
  mark(phase: Exclude<AnalysisPhase, 'done'>): void;
  ms: Record<Exclude<AnalysisPhase, 'done'>, number>;
  total(): number;
}

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

function timer(): Timer {
  const start = now();
  let last = start;
  const ms = { decode: 0, functions: 0, cfg: 0, liveness: 0, loops: 0 };
  return {
    ms,
    mark(phase) {
      const t = now();
      ms[phase] += t - last;
      last = t;
    },
    total: () => now() - start,
  };
}

/** Phase weights for the progress fraction (roughly their share of the time on libc). */
const WEIGHTS: Record<Exclude<AnalysisPhase, 'done'>, [number, number]> = {
  decode: [0, 0.1],
  functions: [0.1, 0.45],
  cfg: [0.45, 0.55],
  liveness: [0.55, 0.9],
  loops: [0.9, 1],
};

/** Runs the whole analysis synchronously. */
export function analyzeProgram(source: CodeSource, options: AnalyzeOptions = {}): ProgramAnalysis {
  const it = analysisSteps(source, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the analysis, yielding to the event loop between phases (so a cancel request or a UI event
 * can be handled); otherwise the same as analyzeProgram.
 */
export async function analyzeProgramAsync(source: CodeSource, options: AnalyzeOptions = {}): Promise<ProgramAnalysis> {
  const it = analysisSteps(source, options);
  const g = globalThis as { setTimeout?: (fn: () => void, ms: number) => unknown };
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => (g.setTimeout !== undefined ? g.setTimeout(resolve, 0) : resolve()));
  }
}

function* analysisSteps(source: CodeSource, options: AnalyzeOptions): Generator<AnalysisPhase, ProgramAnalysis, void> {
  const policy = options.policy ?? linuxUserPolicy;
  const signal = options.signal;
  const checkCancel = (): void => {
    if (signal?.aborted) throw new AnalysisError(AnalysisErrorCode.Cancelled, `analysis of ${source.name} cancelled`);
  };
  const report = (phase: Exclude<AnalysisPhase, 'done'>, within: number): void => {
    const [a, b] = WEIGHTS[phase];
    options.onProgress?.({ phase, fraction: a + (b - a) * Math.max(0, Math.min(1, within)) });
  };
  const tm = timer();
  checkCancel();
  report('decode', 0);
  const t = new InstrTable(source);
  tm.mark('decode');
  yield 'decode';
  checkCancel();
  report('functions', 0);
  const x = explore(t, source, { policy, checkCancel, progress: (f) => report('functions', f) });
  tm.mark('functions');
  yield 'functions';
  checkCancel();
  report('cfg', 0);
  const g = buildCfg(x);
  tm.mark('cfg');
  yield 'cfg';
  checkCancel();
  report('liveness', 0);
  const live = computeLiveness(t, x, g, { policy, checkCancel, progress: (f) => report('liveness', f) });
  tm.mark('liveness');
  yield 'liveness';
  checkCancel();
  const analysis = new ProgramAnalysis(source, policy, t, x, g, live, tm);
  if (options.loops ?? true) {
    report('loops', 0);
    const n = analysis.functions.length;
    for (let f = 0; f < n; f++) {
      analysis.loops(f);
      if ((f & 1023) === 1023) {
        checkCancel();
        report('loops', f / n);
      }
    }
    tm.mark('loops');
    yield 'loops';
  }
  analysis.finish(tm.total());
  options.onProgress?.({ phase: 'done', fraction: 1 });
  return analysis;
}

export class ProgramAnalysis {
  readonly source: CodeSource;
  readonly policy: RegisterPolicy;
  readonly instrs: InstrTable;
  readonly exploration: Exploration;
  readonly cfg: Cfg;
  readonly liveness: Liveness;
  readonly functions: readonly AnalyzedFunction[];
  private readonly byName = new Map<string, number>();
  private readonly domCache = new Map<number, Dominators>();
  private readonly loopCache = new Map<number, LoopInfo>();
  private callSiteList: CallSite[] | null = null;
  private statsValue: AnalysisStats | null = null;
  private readonly timer: Timer;
  private totalMs = 0;

  constructor(source: CodeSource, policy: RegisterPolicy, t: InstrTable, x: Exploration, g: Cfg, live: Liveness, tm: Timer) {
    this.source = source;
    this.policy = policy;
    this.instrs = t;
    this.exploration = x;
    this.cfg = g;
    this.liveness = live;
    this.timer = tm;
    this.functions = x.functions.map((fn: FunctionRecord) => {
      const blocks = Array.from(g.fnBlocks[fn.index]!);
      let words = 0;
      for (const b of blocks) words += g.bEnd[b]! - g.bStart[b]! + 1;
      return {
        index: fn.index,
        name: fn.name,
        aliases: fn.aliases,
        address: fn.address,
        size: fn.size,
        codeBytes: words * 4,
        module: fn.module,
        source: fn.source,
        external: fn.external,
        returns: x.returns[fn.index] === 1,
        complex: g.complex[fn.index] === 1,
        addressTaken: fn.addressTaken,
        unknownCallers: fn.unknownCallers,
        blocks,
        entryBlock: g.fnEntryBlock[fn.index]!,
      };
    });
    for (const fn of this.functions) {
      if (!this.byName.has(fn.name)) this.byName.set(fn.name, fn.index);
      for (const a of fn.aliases) if (!this.byName.has(a)) this.byName.set(a, fn.index);
    }
  }

  /** @internal Called once when the pipeline ends. */
  finish(totalMs: number): void {
    this.totalMs = totalMs;
  }

  // ---- look-ups ------------------------------------------------------------------------------

  /** The function named `name` (or one of its aliases), or undefined. */
  functionByName(name: string): AnalyzedFunction | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.functions[i];
  }

  /** The function whose code contains `addr` (or whose entry it is), or undefined. */
  functionAt(addr: number): AnalyzedFunction | undefined {
    const n = this.instrs.indexOf(addr);
    if (n < 0) return undefined;
    const o = this.exploration.owner[n]!;
    return o >= 0 ? this.functions[o] : undefined;
  }

  /** The block containing `addr`, or -1. */
  blockAt(addr: number): number {
    const n = this.instrs.indexOf(addr);
    return n < 0 ? -1 : this.cfg.instrBlock[n]!;
  }

  /** Address range [start, end) of block b. */
  blockRange(b: number): { start: number; end: number } {
    const t = this.instrs;
    return { start: t.addrOf(this.cfg.bStart[b]!), end: (t.addrOf(this.cfg.bEnd[b]!) + 4) >>> 0 };
  }

  /** Address of instruction index n. */
  addressOf(n: number): number {
    return this.instrs.addrOf(n);
  }

  /** Word class of an address: 'code' (in a block), 'data', 'padding', 'unreachable', 'plt', or null outside the code. */
  wordClass(addr: number): 'code' | 'data' | 'padding' | 'unreachable' | 'plt' | null {
    const n = this.instrs.indexOf(addr);
    if (n < 0) return null;
    return (['code', 'data', 'padding', 'unreachable', 'plt'] as const)[this.cfg.wordClass[n]!]!;
  }

  // ---- liveness ------------------------------------------------------------------------------

  /** True when the analysis has a live set for the instruction at `addr` (it is code of an analysed function). */
  analysed(addr: number): boolean {
    const n = this.instrs.indexOf(addr);
    return n >= 0 && this.cfg.instrBlock[n]! >= 0;
  }

  /** Registers live before / after the instruction at `addr`, or null when the point is not analysed code. */
  query(addr: number, when: When = 'before'): LiveSet | null {
    const n = this.instrs.indexOf(addr);
    if (n < 0 || this.cfg.instrBlock[n]! < 0) return null;
    const lv = this.liveness;
    const a = when === 'before' ? lv.beforeA[n]! : lv.afterA[n]!;
    const b = when === 'before' ? lv.beforeB[n]! : lv.afterB[n]!;
    const k = this.instrs.kind[n]!;
    const level = this.cfg.level[n]! + (when === 'after' ? (k === K.SAVE ? 1 : k === K.RESTORE || k === K.RETURN ? -1 : 0) : 0);
    return { regs: a & ALL_REGS, flags: b & FLAGS, hidden: b & HIDDEN, level, names: [...namesOf(a, b), ...hiddenNamesOf(b)] };
  }

  /**
   * Registers the splicer may overwrite before / after the instruction at `addr`: dead there and not
   * reserved by the policy (%g0, %sp, %fp and the system globals). Null when the point is not analysed.
   */
  free(addr: number, when: When = 'before'): FreeSet | null {
    const live = this.query(addr, when);
    if (live === null) return null;
    const regs = ~live.regs & ALL_REGS & ~this.policy.reserved;
    const flags = ~live.flags & FLAGS & ~this.policy.reservedFlags;
    return { regs, flags, names: namesOf(regs, flags) };
  }

  /**
   * Free masks for every instruction index (registers in `regs`, flags in `flags`), 0 where the
   * point is not analysed: the fast path for tools that act before every instruction.
   */
  freeMasks(when: When = 'before'): { regs: Int32Array; flags: Uint8Array } {
    const N = this.instrs.count;
    const regs = new Int32Array(N);
    const flags = new Uint8Array(N);
    const lvA = when === 'before' ? this.liveness.beforeA : this.liveness.afterA;
    const lvB = when === 'before' ? this.liveness.beforeB : this.liveness.afterB;
    const res = this.policy.reserved;
    const resF = this.policy.reservedFlags;
    for (let n = 0; n < N; n++) {
      if (this.cfg.instrBlock[n]! < 0) continue;
      regs[n] = ~lvA[n]! & ALL_REGS & ~res;
      flags[n] = ~lvB[n]! & FLAGS & ~resF;
    }
    return { regs, flags };
  }

  /** A function's summary: what it reads before writing (gen) and what passes through it, in its caller's window. */
  summary(fn: number): { gen: LiveSet; passThrough: LiveSet; exitLive: LiveSet } {
    const lv = this.liveness;
    const mk = (a: number, b: number): LiveSet => ({ regs: a & ALL_REGS, flags: b & FLAGS, hidden: 0, level: 0, names: namesOf(a, b) });
    return { gen: mk(lv.genA[fn]!, lv.genB[fn]!), passThrough: mk(lv.passA[fn]!, lv.passB[fn]!), exitLive: mk(lv.exitA[fn]!, lv.exitB[fn]!) };
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Every call site (direct, tail and indirect), in address order. */
  callSites(): readonly CallSite[] {
    if (this.callSiteList !== null) return this.callSiteList;
    const g = this.cfg;
    const t = this.instrs;
    const x = this.exploration;
    const out: CallSite[] = [];
    for (let b = 0; b < g.blockCount; b++) {
      const f = g.bFn[b]!;
      const term = g.bTerm[b]!;
      const c = g.bCti[b]!;
      const site = c >= 0 ? t.addrOf(c) : t.addrOf(g.bEnd[b]!);
      const targetOf = (callee: number): number | null => (callee >= 0 ? this.functions[callee]!.address : c >= 0 && t.kind[c] === K.CALL ? t.target[c]! : null);
      if (term === T.CALL && g.bCallee[b] !== -2) {
        const callee = g.bCallee[b]!;
        const indirect = x.cti[c] === X.ICALL;
        out.push({ address: site, caller: f, callee, target: targetOf(callee), kind: indirect ? 'indirect-call' : 'call' });
      } else if (term === T.TAILCALL) {
        const callee = g.bCallee[b]!;
        out.push({ address: site, caller: f, callee, target: targetOf(callee), kind: 'tail-call' });
      }
      if (term === T.BRANCH && g.bCallee[b]! >= 0) {
        out.push({ address: site, caller: f, callee: g.bCallee[b]!, target: this.functions[g.bCallee[b]!]!.address, kind: 'tail-call' });
      }
      if (g.bFallCallee[b]! >= 0) {
        out.push({ address: t.addrOf(g.bEnd[b]!), caller: f, callee: g.bFallCallee[b]!, target: this.functions[g.bFallCallee[b]!]!.address, kind: 'tail-call' });
      }
    }
    out.sort((a, b) => a.address - b.address);
    this.callSiteList = out;
    return out;
  }

  /** The call graph: one edge per (caller, callee, kind) with its sites; unknown callees are -1. */
  callGraph(): CallGraphEdgeInfo[] {
    const map = new Map<string, { caller: number; callee: number; kind: CallKind; sites: number[] }>();
    for (const s of this.callSites()) {
      const key = `${s.caller}:${s.callee}:${s.kind}`;
      let e = map.get(key);
      if (e === undefined) map.set(key, (e = { caller: s.caller, callee: s.callee, kind: s.kind, sites: [] }));
      e.sites.push(s.address);
    }
    return [...map.values()];
  }

  // ---- loops ---------------------------------------------------------------------------------

  dominators(fn: number): Dominators {
    let d = this.domCache.get(fn);
    if (d === undefined) this.domCache.set(fn, (d = dominators(this.cfg, fn)));
    return d;
  }

  loops(fn: number): LoopInfo {
    let l = this.loopCache.get(fn);
    if (l === undefined) this.loopCache.set(fn, (l = loops(this.cfg, fn, this.dominators(fn))));
    return l;
  }

  /** Edges of block b (outgoing), as the model names them. */
  edgesOf(b: number): { to: number; kind: EdgeKind; callee: number; address: number }[] {
    const e = this.cfg.edges;
    const out: { to: number; kind: EdgeKind; callee: number; address: number }[] = [];
    // Edges are created block by block, so they are sorted by `from`.
    let lo = 0;
    let hi = e.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e.from[mid]! < b) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < e.count && e.from[i] === b; i++) {
      out.push({ to: e.to[i]!, kind: EDGE_KINDS[e.kind[i]!]!, callee: e.callee[i]!, address: e.address[i]! });
    }
    return out;
  }

  // ---- statistics ----------------------------------------------------------------------------

  stats(): AnalysisStats {
    if (this.statsValue !== null) return this.statsValue;
    const g = this.cfg;
    const x = this.exploration;
    const t = this.instrs;
    let instructions = 0;
    for (let b = 0; b < g.blockCount; b++) instructions += g.bEnd[b]! - g.bStart[b]! + 1;
    const wc = [0, 0, 0, 0, 0];
    for (let n = 0; n < t.count; n++) wc[g.wordClass[n]!]!++;
    let unresolved = 0;
    let indirectCalls = 0;
    for (let n = 0; n < t.count; n++) {
      const c = x.cti[n]!;
      if (c === X.INDIRECT && t.kind[n] === K.JMPL) unresolved++;
      if (c === X.ICALL || (c === X.TAILCALL && t.kind[n] === K.JMPL)) indirectCalls++;
    }
    let loopCount = 0;
    let irreducible = 0;
    for (const [, l] of this.loopCache) {
      loopCount += l.loops.length;
      irreducible += l.irreducible.length;
    }
    const code = this.functions.filter((f) => !f.external);
    const sites = this.callSites();
    this.statsValue = {
      functions: code.length,
      externalFunctions: this.functions.length - code.length,
      blocks: g.blockCount,
      edges: g.edges.count,
      instructions,
      words: t.count,
      callGraphEdges: this.callGraph().length,
      callSites: sites.length,
      jumpTables: x.tables.filter((tb) => x.cti[tb.site] === X.TABLE).length,
      jumpTableTargets: x.tables.reduce((s, tb) => s + (x.cti[tb.site] === X.TABLE ? new Set(tb.targets).size : 0), 0),
      unresolvedIndirectJumps: unresolved,
      indirectCalls,
      noReturnFunctions: code.filter((f) => !f.returns).length,
      complexFunctions: code.filter((f) => f.complex).length,
      loops: loopCount,
      irreducibleEdges: irreducible,
      dataWords: wc[W.DATA]!,
      paddingWords: wc[W.PADDING]!,
      unreachableWords: wc[W.UNREACHABLE]!,
      pltWords: wc[W.PLT]!,
      discoveryRounds: x.rounds,
      anomalies: x.anomalies.length,
      milliseconds: { ...this.timer.ms, total: this.totalMs },
    };
    return this.statsValue;
  }
}

