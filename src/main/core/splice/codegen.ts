// Snippet IR → SPARC V8: expression evaluation into free registers (or a fresh register window),
// per-CPU instrumentation data without atomic read-modify-write, and condition handling that
// never clobbers live condition codes (icc-free comparisons; a jump table when icc is live).
import type { CompareOp, Expr, Snippet, Stmt } from '../../../shared/snippet/index.ts';
import { forEachExpr } from '../../../shared/snippet/index.ts';
import { type CodeBuffer, COND, G0, SP } from './emit.ts';
import { SpliceError } from './errors.ts';

/** The clock skew between CPUs a wall timer forgives (cycles; a power of two, 2^20). */
export const SKEW_CYCLES = 2 ** 20;

/** Where per-CPU instrumentation data lives: CPU k's copy of the word at offset o is at base + k·stride + o. */
export interface DataLayout {
  /** Base address of CPU 0's block (1 KiB aligned). */
  readonly base: number;
  /**
   * log2 of the per-CPU stride (a power of two, 2^10..2^23), or 28: the "wide" layout, where the
   * value of %asr17 (CPU index << 28 | NWINDOWS−1) is itself the CPU's offset, minus a constant.
   */
  readonly strideLog2: number;
  /** Number of CPUs (1 → constant addresses, no CPU-number computation). */
  readonly cpus: number;
  /** Register windows per CPU (the low bits of %asr17; needed by the wide and hot layouts). */
  readonly nwindows?: number;
  /**
   * The hot window: offsets [start, end) (within [0, 4096)) of every CPU's 256 MiB segment that are
   * free guest memory for each of the `cpus` CPUs. CPU k's copy of hot offset o is at k·2^28 + o,
   * addressed with ONE instruction for any number of CPUs: `rd %asr17, r; ld [r + o − (NWINDOWS−1)]`
   * (%asr17 = k << 28 | NWINDOWS−1), or none on one CPU: `ld [%g0 + o]`. Small, hot items (counters,
   * timers) go there first; the rest, or all when the window is full or absent, use `base`.
   */
  readonly hot?: { readonly start: number; readonly end: number } | null;
}

/** Where a data item is: an offset in the per-CPU block, or `{ hot: o }`, an offset in the hot window. */
export type DataPlace = number | { readonly hot: number };

/** Resolves named instrumentation data to offsets in the per-CPU block. */
export interface DataResolver {
  counter(name: string): DataPlace;
  /** Where a timer's three words are: start, total, depth. */
  timer(name: string, clock: 'virtual' | 'wall'): DataPlace;
  /** Offset of a trace ring: head word, then `capacity` records of `recordWords` words (both powers of two). */
  trace(name: string, values: number): { offset: number; capacity: number; recordWords: number };
  /** Offset of an assertion's failure count (and the next word: the pc of the last failure). */
  assertion(id: string): number;
  /** Absolute address of this snippet's remove-me flag (a word in CPU 0's block). */
  removeFlag(): number;
  /** Offset (in CPU 0's block) of a timer's per-thread table: THREAD_SLOTS × (depth, start). */
  threadTable?(timer: string): number;
}

/** How the target computes the current pid: a constant, or a load chain from a register (e.g. %g7 = curthread). */
export type PidModel = { readonly kind: 'const'; readonly value: number } | { readonly kind: 'chain'; readonly register: number; readonly offsets: readonly number[] };

/** How the return value is found at an exit point. */
export type RetvalSource =
  | { readonly kind: 'register'; readonly reg: number }
  /** The delay-slot instruction computes it: this word, re-targeted to a temporary (rd field replaced). */
  | { readonly kind: 'recompute'; readonly word: number }
  | { readonly kind: 'unknown'; readonly why: string };

export interface PointContext {
  /** Registers (window-relative numbers 1..31) the snippet may overwrite at the point. */
  readonly free: readonly number[];
  /** Whether the condition codes may be overwritten. */
  readonly iccFree: boolean;
  /** Whether %y may be overwritten. */
  readonly yFree: boolean;
  /** Arguments: register number of argument k (entry points), else null. */
  readonly args: readonly number[] | null;
  readonly retval: RetvalSource | null;
  /** The original address of the point (recorded by failed assertions). */
  readonly pc: number;
}

export interface TargetModel {
  readonly data: DataLayout;
  /** Address of a kernel global by symbol. */
  symbol(name: string): number | undefined;
  /** Addresses of functions snippets may call. */
  readonly allowedCalls: ReadonlyMap<string, number>;
  readonly pid: PidModel | null;
  /** Where a unique id of the current thread is: `ld [%rN + offset]` (minisol: %g7 = curthread, t_did). */
  readonly threadId?: { readonly register: number; readonly offset: number } | null;
}

/** Entries of the per-thread timer tables (indexed by thread id modulo this). */
export const THREAD_SLOTS = 1024;

export interface GeneratedSnippet {
  /** Whether the code runs in a fresh window (save … restore). */
  readonly windowed: boolean;
  /** Words of `buf` that are jump-table jmpl instructions (the verifier checks their tables). */
  readonly jumpTables: readonly { jmpl: number; table: number; entries: number }[];
  /** Labels that must stop the machine (assert 'stop'): their addresses. */
  readonly stopLabels: readonly string[];
}

class OutOfRegisters extends Error {}

const WINDOW_POOL = [16, 17, 18, 19, 20, 21, 22, 23, 8, 9, 10, 11, 12, 13];
/** Registers the flush of %g1-%g4 around a call needs to keep (locals of the fresh window). */
const GLOBAL_KEEP = [1, 2, 3, 4];

function regNumber(name: string): number {
  const n = name.slice(1);
  if (n === 'sp') return 14;
  if (n === 'fp') return 30;
  const m = /^([rgoli])(\d+)$/.exec(n)!;
  const k = Number(m[2]);
  return m[1] === 'r' ? k : { g: 0, o: 8, l: 16, i: 24 }[m[1] as 'g' | 'o' | 'l' | 'i'] + k;
}

function usesCall(body: readonly Stmt[]): boolean {
  const st = (s: Stmt): boolean => s.op === 'call' || (s.op === 'if' && (s.then.some(st) || (s.else?.some(st) ?? false)));
  return body.some(st);
}

function usesPerCpu(body: readonly Stmt[]): boolean {
  let found = false;
  const st = (s: Stmt): void => {
    if (s.op === 'counterAdd' || s.op === 'timerStart' || s.op === 'timerStop' || s.op === 'timerPause' || s.op === 'timerResume' || s.op === 'trace' || s.op === 'assert') found = true;
    if (s.op === 'if') {
      s.then.forEach(st);
      s.else?.forEach(st);
    }
  };
  body.forEach(st);
  forEachExpr(body, (e) => {
    if (e.op === 'counter' || e.op === 'cpu') found = true;
  });
  return found;
}

/** Emits one snippet's code into `buf` at the current position. */
export class SnippetCompiler {
  private readonly buf: CodeBuffer;
  private readonly target: TargetModel;
  private readonly point: PointContext;
  private readonly data: DataResolver;
  private pool: number[] = [];
  private windowed = false;
  /** This CPU's block offset (strided: index·stride; wide: the raw %asr17). */
  private cpuReg = -1;
  /** The raw %asr17 (index << 28 | NWINDOWS−1): the base register of hot data. */
  private asrReg = -1;
  private readonly jumpTables: { jmpl: number; table: number; entries: number }[] = [];
  private readonly stopLabels: string[] = [];

  constructor(buf: CodeBuffer, target: TargetModel, point: PointContext, data: DataResolver) {
    this.buf = buf;
    this.target = target;
    this.point = point;
    this.data = data;
  }

  /** Generates `snippet`; first with the point's free registers, else in a fresh window. */
  compile(snippet: Snippet): GeneratedSnippet {
    const needWindow = usesCall(snippet.body);
    const mark = this.buf.words.length;
    if (!needWindow) {
      try {
        return this.attempt(snippet, false);
      } catch (e) {
        if (!(e instanceof OutOfRegisters)) throw e;
        this.rewind(mark);
      }
    }
    return this.attempt(snippet, true);
  }

  private rewind(mark: number): void {
    this.buf.words.length = mark;
    this.buf.roles.length = mark;
    this.buf.sources.length = mark;
    this.jumpTables.length = 0;
    this.stopLabels.length = 0;
  }

  private attempt(snippet: Snippet, windowed: boolean): GeneratedSnippet {
    this.windowed = windowed;
    // With a call, the outs carry its arguments: evaluate in the locals only.
    this.pool = windowed ? (usesCall(snippet.body) ? WINDOW_POOL.filter((r) => r >= 16) : [...WINDOW_POOL]) : this.point.free.filter((r) => r !== 0 && r !== SP && r !== 30);
    this.cpuReg = -1;
    this.asrReg = -1;
    const b = this.buf;
    b.role = 'snippet';
    let keep: [number, number][] = [];
    let keepY = -1;
    if (windowed) {
      b.save();
      if (usesCall(snippet.body)) {
        // The callee may clobber %g1-%g4 and %y (ABI volatile); keep the live ones in locals.
        for (const g of GLOBAL_KEEP) if (!this.point.free.includes(g)) keep.push([g, this.take()]);
        for (const [g, l] of keep) b.mov(g, l);
        if (!this.point.yFree) {
          keepY = this.take();
          b.op('rdasr', { rs1: 0, rd: keepY });
        }
        if (!this.point.iccFree) {
          throw new SpliceError('registers', 'a snippet that calls a kernel function needs free condition codes at the point (the callee may change them)');
        }
      }
    }
    if (usesPerCpu(snippet.body) && this.target.data.cpus > 1) {
      const need = this.places(snippet.body);
      const wide = this.target.data.strideLog2 === 28;
      // %asr17 holds the CPU index in bits 31..28 and NWINDOWS−1 in bits 4..0: hot data is addressed
      // from it directly; for the blocks, one shift gives index·stride (the low bits shift out while
      // strideLog2 ≤ 23), and the wide layout uses it as it is.
      if (need.hot) {
        this.asrReg = this.take();
        b.op('rdasr', { rs1: 17, rd: this.asrReg });
      }
      if (need.block) {
        if (wide && this.asrReg >= 0) this.cpuReg = this.asrReg;
        else {
          this.cpuReg = this.take();
          if (this.asrReg < 0) b.op('rdasr', { rs1: 17, rd: this.cpuReg });
          if (!wide) b.alu('srl', this.asrReg >= 0 ? this.asrReg : this.cpuReg, { imm: 28 - this.target.data.strideLog2 }, this.cpuReg);
        }
      }
    }
    for (const s of snippet.body) this.stmt(s);
    if (windowed) {
      for (const [g, l] of keep) b.mov(l, g);
      if (keepY >= 0) b.op('wrasr.r', { rs1: keepY, rs2: 0, rd: 0 });
      keep = [];
      b.restore();
    }
    return { windowed, jumpTables: [...this.jumpTables], stopLabels: [...this.stopLabels] };
  }

  private take(): number {
    const r = this.pool.shift();
    if (r === undefined) throw new OutOfRegisters();
    return r;
  }

  private give(r: number): void {
    // The CPU registers live for the whole snippet (dataAddr hands out the %asr17 one for hot data).
    if (r !== G0 && r !== this.cpuReg && r !== this.asrReg && !this.pool.includes(r)) this.pool.unshift(r);
  }

  /** Which per-CPU addressing the snippet's data needs: hot-window items, block items, or both. */
  private places(body: readonly Stmt[]): { hot: boolean; block: boolean } {
    const need = { hot: false, block: false };
    const note = (p: DataPlace): void => {
      if (typeof p === 'number') need.block = true;
      else need.hot = true;
    };
    const st = (s: Stmt): void => {
      switch (s.op) {
        case 'counterAdd': note(this.data.counter(s.counter)); break;
        case 'timerStart': case 'timerStop': case 'timerPause': case 'timerResume': note(this.data.timer(s.timer, s.clock)); break;
        case 'trace': case 'assert': need.block = true; break;
        case 'if': s.then.forEach(st); s.else?.forEach(st); break;
        default: break;
      }
    };
    body.forEach(st);
    forEachExpr(body, (e) => {
      if (e.op === 'counter') note(this.data.counter(e.counter));
    });
    return need;
  }

  /** A point register as seen from the code (its number inside a fresh window). */
  private pointReg(n: number, what: string): number {
    if (!this.windowed || n < 8) return n;
    if (n < 16) return n + 16; // the point's outs are the fresh window's ins
    throw new SpliceError('registers', `${what}: the point has too few free registers, and a fresh window hides %l/%i registers`);
  }

  // ---- data addressing -----------------------------------------------------------------------

  /**
   * A register holding the address of this CPU's word at `place` minus `lo` (returned), for
   * ld/st [r + lo]. Hot data returns the shared %asr17 register (or %g0 on one CPU): read it only.
   */
  private dataAddr(place: DataPlace): { reg: number; lo: number } {
    const d = this.target.data;
    if (typeof place !== 'number') {
      if (d.cpus === 1) return { reg: G0, lo: place.hot };
      if (this.asrReg < 0) throw new SpliceError('state', 'hot data without the %asr17 register (code generator bug)');
      return { reg: this.asrReg, lo: place.hot - ((d.nwindows ?? 8) - 1) };
    }
    const offset = place;
    // Wide layout: the register holds index << 28 plus NWINDOWS−1; take the latter off the constant.
    const bias = this.cpuReg >= 0 && d.strideLog2 === 28 ? (d.nwindows ?? 8) - 1 : 0;
    const addr = (d.base + offset - bias) >>> 0;
    const r = this.take();
    this.buf.sethi(addr, r);
    if (this.cpuReg >= 0) this.buf.alu('add', r, this.cpuReg, r);
    return { reg: r, lo: addr & 0x3ff };
  }

  // ---- expressions ---------------------------------------------------------------------------

  private expr(e: Expr): number {
    const b = this.buf;
    switch (e.op) {
      case 'const': {
        const r = this.take();
        b.set(e.value, r);
        return r;
      }
      case 'global': {
        const a = this.target.symbol(e.symbol);
        if (a === undefined) throw new SpliceError('bad-snippet', `no kernel global "${e.symbol}"`);
        const r = this.take();
        b.set((a + (e.offset ?? 0)) >>> 0, r);
        return r;
      }
      case 'arg': {
        const args = this.point.args;
        if (args === null) throw new SpliceError('bad-snippet', 'arguments are only known at a function entry');
        const r = this.take();
        b.mov(this.pointReg(args[e.index]!, 'arg'), r);
        return r;
      }
      case 'retval': {
        const rv = this.point.retval;
        if (rv === null || rv.kind === 'unknown') throw new SpliceError('bad-snippet', `the return value is not known here${rv?.kind === 'unknown' ? `: ${rv.why}` : ''}`);
        const r = this.take();
        if (rv.kind === 'register') b.mov(this.pointReg(rv.reg, 'retval'), r);
        else {
          if (this.windowed) throw new SpliceError('registers', 'retval recomputed from the delay slot needs a free register at the exit');
          b.word(((rv.word & ~(31 << 25)) | (r << 25)) >>> 0);
        }
        return r;
      }
      case 'reg': {
        const r = this.take();
        b.mov(this.pointReg(regNumber(e.name), e.name), r);
        return r;
      }
      case 'load': {
        const a = this.expr(e.addr);
        b.load(e.size, e.signed ?? false, a, 0, a);
        return a;
      }
      case 'binary': {
        const l = this.expr(e.left);
        const imm = e.right.op === 'const' && e.right.value >= -4096 && e.right.value <= 4095 && e.kind !== 'mul' ? e.right.value : null;
        const rr = imm === null ? this.expr(e.right) : -1;
        const rhs = imm === null ? rr : { imm: e.kind === 'shl' || e.kind === 'shr' || e.kind === 'sar' ? imm & 31 : imm };
        const m = { add: 'add', sub: 'sub', and: 'and', or: 'or', xor: 'xor', shl: 'sll', shr: 'srl', sar: 'sra', mul: 'smul' }[e.kind];
        if (e.kind === 'mul' && !this.point.yFree) {
          const t = this.take();
          b.op('rdasr', { rs1: 0, rd: t });
          b.alu(m, l, rhs, l);
          b.op('wrasr.r', { rs1: t, rs2: 0, rd: 0 });
          this.give(t);
        } else b.alu(m, l, rhs, l);
        if (rr >= 0) this.give(rr);
        return l;
      }
      case 'compare': return this.compare(e.kind, e.left, e.right);
      case 'not': {
        const r = this.expr(e.operand);
        this.nonZero(r);
        b.alu('xor', r, { imm: 1 }, r);
        return r;
      }
      case 'cpu': {
        const r = this.take();
        b.op('rdasr', { rs1: 17, rd: r });
        b.alu('srl', r, { imm: 28 }, r);
        return r;
      }
      case 'pid': {
        const pm = this.target.pid;
        if (pm === null) throw new SpliceError('unsupported', 'the target has no pid model (which register or memory holds the current process)');
        const r = this.take();
        if (pm.kind === 'const') b.set(pm.value, r);
        else {
          b.mov(this.pointReg(pm.register, 'pid'), r);
          for (const off of pm.offsets) b.load(4, false, r, off, r);
        }
        return r;
      }
      case 'counter': {
        const d = this.dataAddr(this.data.counter(e.counter));
        // A hot counter's base register is shared: load into a fresh one.
        const r = d.reg === this.asrReg || d.reg === G0 ? this.take() : d.reg;
        b.load(4, false, d.reg, d.lo, r);
        return r;
      }
    }
  }

  /** total += (now − start) when depth ≠ 0; start = now. Clobbers `now` and `t`. */
  private accumulate(d: { reg: number; lo: number }, now: number, t: number): void {
    const b = this.buf;
    const m = this.take();
    b.load(4, false, d.reg, d.lo + 8, t);
    b.alu('sub', G0, t, m);
    b.alu('or', t, m, m);
    b.alu('sra', m, { imm: 31 }, m); // −1 when depth ≠ 0
    b.load(4, false, d.reg, d.lo, t);
    b.store(4, now, d.reg, d.lo);
    b.alu('sub', now, t, now);
    b.alu('and', now, m, now);
    b.load(4, false, d.reg, d.lo + 4, t);
    b.alu('add', t, now, t);
    b.store(4, t, d.reg, d.lo + 4);
    this.give(m);
  }

  /** r ← (r ≠ 0) without touching the condition codes: (r | −r) >>> 31. */
  private nonZero(r: number): void {
    const t = this.take();
    this.buf.alu('sub', G0, r, t);
    this.buf.alu('or', r, t, r);
    this.buf.alu('srl', r, { imm: 31 }, r);
    this.give(t);
  }

  /** A comparison into 0/1, without the condition codes (Hacker's Delight §2-12). */
  private compare(kind: CompareOp, left: Expr, right: Expr): number {
    const b = this.buf;
    const swap = kind === 'gt' || kind === 'le' || kind === 'gtu' || kind === 'leu';
    const [x, y] = swap ? [right, left] : [left, right];
    const a = this.expr(x);
    const c = this.expr(y);
    switch (kind) {
      case 'eq':
      case 'ne':
        b.alu('xor', a, c, a);
        this.nonZero(a);
        if (kind === 'eq') b.alu('xor', a, { imm: 1 }, a);
        break;
      case 'lt': case 'gt': case 'ge': case 'le': {
        // a < b (signed) = ((a − b) ^ ((a ^ b) & ((a − b) ^ a))) >>> 31
        const d = this.take();
        b.alu('sub', a, c, d);
        b.alu('xor', a, c, c);
        b.alu('xor', d, a, a);
        b.alu('and', c, a, a);
        b.alu('xor', d, a, a);
        b.alu('srl', a, { imm: 31 }, a);
        this.give(d);
        if (kind === 'ge' || kind === 'le') b.alu('xor', a, { imm: 1 }, a);
        break;
      }
      default: {
        // a < b (unsigned) = ((~a & b) | ((~a | b) & (a − b))) >>> 31
        const d = this.take();
        const t = this.take();
        b.alu('sub', a, c, d);
        b.alu('andn', c, a, t);
        b.alu('orn', c, a, c);
        b.alu('and', c, d, c);
        b.alu('or', t, c, a);
        b.alu('srl', a, { imm: 31 }, a);
        this.give(t);
        this.give(d);
        if (kind === 'geu' || kind === 'leu') b.alu('xor', a, { imm: 1 }, a);
      }
    }
    this.give(c);
    return a;
  }

  // ---- statements ----------------------------------------------------------------------------

  /** Branches to `elseLabel` when register c is 0 (c is consumed). */
  private branchIfZero(c: number, elseLabel: string, isBool: boolean): void {
    const b = this.buf;
    if (this.point.iccFree) {
      b.alu('subcc', c, G0, G0);
      b.branch(COND.e, false, elseLabel);
      b.nop();
      this.give(c);
      return;
    }
    // Live condition codes: a two-entry jump table indexed by the 0/1 condition.
    if (!isBool) this.nonZero(c);
    const t = this.take();
    b.alu('sll', c, { imm: 2 }, c);
    const table = b.newLabel('T');
    const thenLabel = b.newLabel('then');
    // The table's address is known only once bound; it is two words after the jmpl's delay slot.
    const tableAddr = (b.here + 4 * 4) >>> 0;
    b.sethi(tableAddr, t);
    b.alu('or', t, { imm: tableAddr & 0x3ff }, t);
    const jmpl = b.op('jmpl.r', { rd: 0, rs1: t, rs2: c, i: 0 });
    b.nop();
    b.bind(table);
    b.branch(COND.a, true, elseLabel);
    b.branch(COND.a, true, thenLabel);
    b.bind(thenLabel);
    this.jumpTables.push({ jmpl, table: jmpl + 2, entries: 2 });
    this.give(t);
    this.give(c);
  }

  private isBool(e: Expr): boolean {
    return e.op === 'compare' || e.op === 'not';
  }

  private stmt(s: Stmt): void {
    const b = this.buf;
    switch (s.op) {
      case 'if': {
        const c = this.expr(s.cond);
        const elseL = b.newLabel('else');
        const endL = b.newLabel('end');
        this.branchIfZero(c, elseL, this.isBool(s.cond));
        for (const t of s.then) this.stmt(t);
        if (s.else !== undefined && s.else.length > 0) {
          b.branch(COND.a, true, endL);
          b.bind(elseL);
          for (const t of s.else) this.stmt(t);
          b.bind(endL);
        } else {
          b.bind(elseL);
        }
        return;
      }
      case 'counterAdd': {
        const small = s.value === undefined ? 1 : s.value.op === 'const' && s.value.value >= -4096 && s.value.value <= 4095 ? s.value.value : null;
        const v = small === null ? this.expr(s.value!) : -1;
        const d = this.dataAddr(this.data.counter(s.counter));
        const t = this.take();
        b.load(4, false, d.reg, d.lo, t);
        b.alu('add', t, small === null ? v : { imm: small }, t);
        b.store(4, t, d.reg, d.lo);
        this.give(t);
        this.give(d.reg);
        if (v >= 0) this.give(v);
        return;
      }
      case 'timerStart':
      case 'timerStop': {
        // Per-CPU words: start, total, depth. Nested starts only count the outermost interval,
        // computed without branches: mask = −(depth == 0).
        const off = this.data.timer(s.timer, s.clock);
        const d = this.dataAddr(off);
        const depth = this.take();
        const now = this.take();
        const m = this.take();
        b.load(4, false, d.reg, d.lo + 8, depth);
        if (s.op === 'timerStop') {
          // An exit without a matching entry (the thread was inside when the timer was enabled)
          // must not drive the depth negative: depth −= (depth ≠ 0); accumulate only when depth was 1.
          b.alu('xor', depth, { imm: 1 }, now);
          b.alu('sub', G0, now, m);
          b.alu('or', now, m, m);
          b.alu('srl', m, { imm: 31 }, m);
          b.alu('sub', m, { imm: 1 }, m); // −1 when depth was 1
          b.alu('sub', G0, depth, now);
          b.alu('or', depth, now, now);
          b.alu('srl', now, { imm: 31 }, now);
          b.alu('sub', depth, now, depth);
          b.store(4, depth, d.reg, d.lo + 8);
        } else {
          // m = (depth != 0) − 1: 0 when depth ≠ 0, −1 when depth == 0.
          b.alu('sub', G0, depth, m);
          b.alu('or', depth, m, m);
          b.alu('srl', m, { imm: 31 }, m);
          b.alu('sub', m, { imm: 1 }, m);
        }
        b.op('rdasr', { rs1: 18, rd: now });
        if (s.op === 'timerStart') {
          b.alu('add', depth, { imm: 1 }, depth);
          b.store(4, depth, d.reg, d.lo + 8);
          // start ^= (start ^ now) & m
          b.load(4, false, d.reg, d.lo, depth);
          b.alu('xor', depth, now, now);
          b.alu('and', now, m, now);
          b.alu('xor', depth, now, depth);
          b.store(4, depth, d.reg, d.lo);
        } else {
          // total += (now − start) & m
          b.load(4, false, d.reg, d.lo, depth);
          b.alu('sub', now, depth, now);
          if (s.clock === 'wall') {
            // A wall timer's start may come from another CPU (the thread migrated while inside), and
            // CPUs' cycle counters differ by up to a scheduling quantum: an interval within 2^20
            // cycles below 0 is 0 (longer intervals, up to 2^32 − 2^20 cycles, count in full).
            // mask = −1 exactly when (interval + 2^20) >> 20 == 0, i.e. the interval ≥ 2^32 − 2^20.
            b.sethi(SKEW_CYCLES, depth);
            b.alu('add', now, depth, depth);
            b.alu('srl', depth, { imm: 20 }, depth);
            b.alu('sub', depth, { imm: 1 }, depth);
            b.alu('sra', depth, { imm: 31 }, depth);
            b.alu('andn', now, depth, now);
          }
          b.alu('and', now, m, now);
          b.load(4, false, d.reg, d.lo + 4, depth);
          b.alu('add', depth, now, depth);
          b.store(4, depth, d.reg, d.lo + 4);
        }
        this.give(m);
        this.give(now);
        this.give(depth);
        this.give(d.reg);
        return;
      }
      case 'timerPause':
      case 'timerResume': {
        const d = this.dataAddr(this.data.timer(s.timer, s.clock));
        const now = this.take();
        b.op('rdasr', { rs1: 18, rd: now });
        const tid = this.target.threadId ?? null;
        if (s.perThread === true && tid !== null && this.data.threadTable !== undefined) {
          // The thread's slot: table + (id mod THREAD_SLOTS) · 8 — a global table (the thread may
          // resume on another CPU); only the CPU running a thread touches its slot.
          const table = (this.target.data.base + this.data.threadTable(s.timer)) >>> 0;
          const slot = this.take();
          const t = this.take();
          b.load(4, false, this.pointReg(tid.register, 'thread id'), tid.offset, slot);
          b.alu('and', slot, { imm: THREAD_SLOTS - 1 }, slot);
          b.alu('sll', slot, { imm: 3 }, slot);
          b.sethi(table, t);
          b.alu('add', slot, t, slot);
          const lo = table & 0x3ff;
          if (s.op === 'timerPause') {
            if (s.clock === 'virtual') this.accumulate(d, now, t);
            b.load(4, false, d.reg, d.lo + 8, t);
            b.store(4, t, slot, lo);
            b.load(4, false, d.reg, d.lo, t);
            b.store(4, t, slot, lo + 4);
            b.store(4, G0, d.reg, d.lo + 8);
          } else {
            b.load(4, false, slot, lo, t);
            b.store(4, t, d.reg, d.lo + 8);
            if (s.clock === 'virtual') b.store(4, now, d.reg, d.lo);
            else {
              b.load(4, false, slot, lo + 4, t);
              b.store(4, t, d.reg, d.lo);
            }
            b.store(4, G0, slot, lo);
          }
          this.give(t);
          this.give(slot);
        } else if (s.clock === 'virtual') {
          // Pause: total += (now − start) while running (depth ≠ 0); resume: start = now.
          if (s.op === 'timerResume') b.store(4, now, d.reg, d.lo);
          else {
            const t = this.take();
            this.accumulate(d, now, t);
            this.give(t);
          }
        }
        this.give(now);
        this.give(d.reg);
        return;
      }
      case 'trace': {
        const info = this.data.trace(s.buffer, s.values.length);
        const vals = s.values.map((v) => this.expr(v));
        const d = this.dataAddr(info.offset);
        const head = this.take();
        const rec = this.take();
        // Reserve the slot first (head += 1), so that an interrupt on this CPU tracing into the same
        // ring takes the next slot; then the record: timestamp, the values, and last its index (the
        // head it reserved), by which a reader that stopped the machine mid-record knows it is not whole.
        const t = this.take();
        b.load(4, false, d.reg, d.lo, head);
        b.alu('add', head, { imm: 1 }, rec);
        b.store(4, rec, d.reg, d.lo);
        b.alu('and', head, { imm: info.capacity - 1 }, rec);
        b.alu('sll', rec, { imm: Math.log2(info.recordWords * 4) }, rec);
        b.alu('add', rec, d.reg, rec);
        // [rec + lo + 4]: timestamp; [+ 8 + 4k]: value k; the record's last word: its index
        b.op('rdasr', { rs1: 18, rd: t });
        b.store(4, t, rec, d.lo + 4);
        vals.forEach((v, k) => b.store(4, v, rec, d.lo + 8 + 4 * k));
        b.store(4, head, rec, d.lo + 4 * info.recordWords);
        this.give(t);
        for (const v of vals) this.give(v);
        this.give(rec);
        this.give(head);
        this.give(d.reg);
        return;
      }
      case 'removeSelf': {
        const a = this.data.removeFlag();
        const r = this.take();
        const one = this.take();
        b.sethi(a, r);
        b.alu('or', G0, { imm: 1 }, one);
        b.store(4, one, r, a & 0x3ff);
        this.give(one);
        this.give(r);
        return;
      }
      case 'assert': {
        const c = this.expr(s.cond);
        const okL = b.newLabel('ok');
        // Jump over the failure code when the condition holds: invert and reuse branchIfZero.
        if (!this.isBool(s.cond)) this.nonZero(c);
        b.alu('xor', c, { imm: 1 }, c);
        this.branchIfZero(c, okL, true);
        const d = this.dataAddr(this.data.assertion(s.id));
        const t = this.take();
        b.load(4, false, d.reg, d.lo, t);
        b.alu('add', t, { imm: 1 }, t);
        b.store(4, t, d.reg, d.lo);
        b.set(this.point.pc, t);
        b.store(4, t, d.reg, d.lo + 4);
        this.give(t);
        this.give(d.reg);
        if (s.action === 'stop') {
          const stop = b.newLabel('stop');
          b.bind(stop);
          b.nop();
          this.stopLabels.push(stop);
        }
        b.bind(okL);
        return;
      }
      case 'call': {
        const addr = this.target.allowedCalls.get(s.function);
        if (addr === undefined) throw new SpliceError('verify', `"${s.function}" is not on the allow-list of callable kernel functions`);
        if (!this.windowed) throw new SpliceError('registers', 'calls need a fresh window');
        const vals = s.args.map((a) => this.expr(a));
        vals.forEach((v, k) => b.mov(v, 8 + k));
        for (const v of vals) this.give(v);
        const l = b.newLabel('fn');
        b.bindAbsolute(l, addr);
        b.call(l);
        b.nop();
        return;
      }
    }
  }
}
