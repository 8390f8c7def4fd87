// Splice transactions: install and remove snippets at points of running code. Install writes the
// patch (and a springboard when the patch is out of `ba,a` reach), verifies it, then makes it live
// with ONE atomic word write at the site; several snippets at a site are ordered, and changing the
// set regenerates the patch and swaps it with one write. Remove restores the original word. Patch
// memory is reclaimed only at quiescence. A batch installs or removes whole or not at all.
import type { Snippet } from '../../../shared/snippet/index.ts';
import { validateSnippet } from '../../../shared/snippet/index.ts';
import type { ProgramAnalysis } from '../analysis/index.ts';
import { decode, formatInstruction } from '../sparc/index.ts';
import { THREAD_SLOTS, type DataPlace, type DataResolver, type PidModel, type PointContext, type TargetModel } from './codegen.ts';
import { baAnnul, CodeBuffer, G0, O7 } from './emit.ts';
import { SpliceError } from './errors.ts';
import { DataArea, RegionHeap, type DataItem } from './heap.ts';
import { freeRegisters, PointFinder, type Point, type SafetyPolicy } from './points.ts';
import type { ThreadWalker } from './quiesce.ts';
import { buildPatch, type BuiltPatch, type PlacedSnippet } from './relocate.ts';
import { verifyPatch, type VerifyRejection } from './verify.ts';

/** The guest as the splicer sees it: word access that is atomic between instructions, and virtual time. */
export interface GuestMemory {
  readWord(addr: number): number;
  /** One aligned word, atomic with respect to every CPU and visible to the next fetch. */
  writeWord(addr: number, value: number): void;
  writeMemory(addr: number, bytes: Uint8Array): void;
  now(): number;
}

/** Breakpoints for `assert … stop` (the machine stops before executing the address). */
export interface BreakpointHost {
  addBreakpoint(pc: number): void;
  removeBreakpoint(pc: number): boolean;
}

/**
 * Springboard space: [start, end), or a range whose use waits on a condition, read each time a
 * springboard is placed (minisol: a module's `_init` code, once the kernel marks it installed).
 */
export type SpringboardSpace = readonly [number, number] | { readonly range: readonly [number, number]; readonly ready: () => boolean };

export interface SplicerOptions {
  readonly memory: GuestMemory;
  readonly analysis: ProgramAnalysis;
  /** Patch heap [start, end). */
  readonly patchHeap: readonly [number, number];
  /** Springboard space near the code (module `_init` code that already ran, or reserved at boot). */
  readonly springboards?: readonly SpringboardSpace[];
  /**
   * Per-CPU instrumentation data: base (1 KiB aligned), log2 of the per-CPU stride, CPUs, and the
   * optional hot window (offsets of every CPU's 256 MiB segment that are free; see DataLayout.hot).
   */
  readonly data: { readonly base: number; readonly strideLog2: number; readonly cpus: number; readonly nwindows?: number; readonly hot?: { readonly start: number; readonly end: number } | null };
  readonly symbols?: (name: string) => number | undefined;
  readonly allowedCalls?: ReadonlyMap<string, number>;
  readonly pid?: PidModel | null;
  /** Where a unique id of the current thread is (for per-thread timer state across context switches). */
  readonly threadId?: { readonly register: number; readonly offset: number } | null;
  readonly safety?: SafetyPolicy;
  readonly walker?: ThreadWalker;
  readonly breakpoints?: BreakpointHost;
  /** Word written over reclaimed patch memory (default 0: `unimp 0`, traps if ever fetched). */
  readonly poison?: number;
}

/** One installed snippet. */
export interface SpliceHandle {
  readonly id: number;
  readonly point: Point;
  readonly snippet: Snippet;
  /** Order at the point (lower runs first). */
  readonly order: number;
}

export interface SpliceLogEntry {
  /** Virtual time (the machine's clock) when the operation took effect. */
  readonly time: number;
  readonly op: 'install' | 'remove' | 'swap' | 'restore' | 'reclaim' | 'rollback' | 'springboard';
  readonly site: number;
  readonly detail: string;
}

interface Retired {
  readonly ranges: readonly (readonly [number, number])[];
  readonly frees: readonly (() => void)[];
  readonly since: number;
}

interface Live {
  readonly patch: BuiltPatch;
  readonly patchAddr: number;
  readonly springboard: { addr: number; heap: RegionHeap; words: number[]; form: 'call' | 'mov' | 'save' } | null;
  readonly spliceWord: number;
}

interface Site {
  readonly address: number;
  readonly original: number;
  handles: SpliceHandle[];
  live: Live | null;
}

/** A step of a transaction: what it did, and how to take it back. */
interface Step {
  readonly run: () => void;
  readonly undo: () => void;
  /** Frees what planning reserved, when the step never runs. */
  readonly release?: () => void;
}

const REACH = 4 * (2 ** 21 - 64);

function hex(a: number): string {
  return (a >>> 0).toString(16);
}

export class Splicer {
  readonly points: PointFinder;
  readonly data: DataArea;
  readonly log: SpliceLogEntry[] = [];
  private readonly memory: GuestMemory;
  private readonly options: SplicerOptions;
  private readonly heap: RegionHeap;
  private readonly boards: { readonly heap: RegionHeap; readonly ready: (() => boolean) | null }[];
  private readonly sites = new Map<number, Site>();
  private readonly retired: Retired[] = [];
  private readonly removeFlags = new Map<number, number>();
  private nextId = 1;
  private readonly target: TargetModel;
  /** Ranges reclaimed so far (for watchdogs in tests). */
  readonly reclaimedRanges: [number, number][] = [];

  constructor(options: SplicerOptions) {
    this.options = options;
    this.memory = options.memory;
    this.points = new PointFinder(options.analysis, (a) => this.originalWord(a), options.safety);
    this.heap = new RegionHeap('patch heap', options.patchHeap[0], options.patchHeap[1]);
    this.boards = (options.springboards ?? []).map((b, k) => {
      const [s, e] = 'range' in b ? b.range : b;
      return { heap: new RegionHeap(`springboards ${k}`, s, e), ready: 'range' in b ? b.ready : null };
    });
    this.data = new DataArea(options.data.base, options.data.strideLog2, options.data.cpus, options.data.hot ?? null);
    this.target = {
      data: { base: this.data.base, strideLog2: this.data.strideLog2, cpus: this.data.cpus, nwindows: options.data.nwindows ?? 8, hot: this.data.hot },
      symbol: options.symbols ?? (() => undefined),
      allowedCalls: options.allowedCalls ?? new Map(),
      pid: options.pid ?? null,
      threadId: options.threadId ?? null,
    };
  }

  /** The word at `addr` as the original code has it (the splice word hides it at live sites). */
  originalWord(addr: number): number {
    const s = this.sites.get(addr >>> 0);
    return s !== undefined ? s.original : this.memory.readWord(addr >>> 0);
  }

  get handles(): SpliceHandle[] {
    return [...this.sites.values()].flatMap((s) => s.handles);
  }

  get liveSites(): number {
    let n = 0;
    for (const s of this.sites.values()) if (s.live !== null) n++;
    return n;
  }

  get patchBytes(): number {
    return this.heap.bytesUsed;
  }

  // ---- the public operations -------------------------------------------------------------------

  /** Installs one snippet (a batch of one). */
  insert(point: Point, snippet: Snippet, order = 0): SpliceHandle {
    const b = this.batch();
    const h = b.insert(point, snippet, order);
    b.commit();
    return h;
  }

  remove(handle: SpliceHandle): void {
    const b = this.batch();
    b.remove(handle);
    b.commit();
  }

  batch(): SpliceBatch {
    return new SpliceBatch(this);
  }

  /**
   * Frees retired patch memory that no CPU or thread can still reach (see ThreadWalker).
   * Returns the number of retired patches freed; the rest wait for the next call.
   */
  reclaim(): number {
    if (this.retired.length === 0) return 0;
    const walker = this.options.walker;
    if (walker === undefined) return 0;
    const busy = new Set<Retired>();
    // Most references (every word of kernel data) point nowhere near patch memory: one bounds test each.
    let lo = 0xffffffff;
    let hi = 0;
    for (const r of this.retired) for (const [s, e] of r.ranges) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, e);
    }
    for (const ref of walker.references([lo, hi])) {
      if (ref.address < lo || ref.address >= hi) continue;
      for (const r of this.retired) {
        if (busy.has(r)) continue;
        for (const [s, e] of r.ranges) if (ref.address >= s && ref.address < e) busy.add(r);
      }
      if (busy.size === this.retired.length) break;
    }
    let freed = 0;
    for (let k = this.retired.length - 1; k >= 0; k--) {
      const r = this.retired[k]!;
      if (busy.has(r)) continue;
      const poison = this.options.poison ?? 0;
      for (const [s, e] of r.ranges) {
        const bytes = new Uint8Array(e - s);
        if (poison !== 0) for (let a = 0; a < bytes.length; a += 4) new DataView(bytes.buffer).setUint32(a, poison >>> 0);
        this.memory.writeMemory(s, bytes);
        this.reclaimedRanges.push([s, e]);
        this.log.push({ time: this.memory.now(), op: 'reclaim', site: s, detail: `freed [0x${hex(s)}, 0x${hex(e)})` });
      }
      for (const f of r.frees) f();
      this.retired.splice(k, 1);
      freed++;
    }
    return freed;
  }

  /**
   * Whether `addr` is patch or springboard memory that is in use (live or retired but not yet
   * reclaimed). A fetch from splicer memory for which this is false is a reclamation bug.
   */
  inUse(addr: number): boolean {
    const a = addr >>> 0;
    for (const site of this.sites.values()) {
      const l = site.live;
      if (l === null) continue;
      if (a >= l.patchAddr && a < l.patchAddr + 4 * l.patch.words.length) return true;
      if (l.springboard !== null && a >= l.springboard.addr && a < l.springboard.addr + 4 * l.springboard.words.length) return true;
    }
    return this.retired.some((r) => r.ranges.some(([s, e]) => a >= s && a < e));
  }

  /** Whether `addr` lies in memory the splicer manages (patch heap or springboard space). */
  owns(addr: number): boolean {
    return this.heap.contains(addr >>> 0) || this.boards.some((b) => b.heap.contains(addr >>> 0));
  }

  get retiredCount(): number {
    return this.retired.length;
  }

  /** Removes snippets whose `removeSelf` flag was set by the guest; returns how many. */
  poll(): number {
    const done: SpliceHandle[] = [];
    for (const h of this.handles) {
      const flag = this.removeFlags.get(h.id);
      if (flag !== undefined && this.memory.readWord(flag) !== 0) done.push(h);
    }
    if (done.length > 0) {
      const b = this.batch();
      for (const h of done) b.remove(h);
      b.commit();
    }
    return done.length;
  }

  /** Whether the self-removal flag of a handle was ever set (coverage: the block ran). */
  flagged(h: SpliceHandle): boolean {
    const flag = this.removeFlags.get(h.id);
    return flag !== undefined && this.memory.readWord(flag) !== 0;
  }

  /** Sum over CPUs of a per-CPU data word (a counter, or the timer's total at +4). */
  readSum(kind: 'counter' | 'timer' | 'assertion', name: string, wordOffset = 0): number {
    const it = this.data.find(kind, name);
    if (it === undefined) return 0;
    let n = 0;
    for (let c = 0; c < this.data.cpus; c++) n += this.memory.readWord(this.data.addressOf(c, it, wordOffset)) >>> 0;
    return n;
  }

  /** Per-CPU values of a data word. */
  readPerCpu(kind: 'counter' | 'timer' | 'assertion' | 'trace', name: string, wordOffset = 0): number[] {
    const it = this.data.find(kind, name);
    return Array.from({ length: this.data.cpus }, (_, c) => (it === undefined ? 0 : this.memory.readWord(this.data.addressOf(c, it, wordOffset)) >>> 0));
  }

  /** The patch code at a site, disassembled (for tests, golden files and the UI). */
  listing(site: number): string[] {
    const s = this.sites.get(site >>> 0);
    if (s?.live == null) return [];
    const p = s.live.patch;
    return Array.from(p.words, (w, k) => {
      const a = (p.origin + 4 * k) >>> 0;
      return `${hex(a)}: ${formatInstruction(decode(w, 'v8'), { address: a }).padEnd(32)} ! ${p.roles[k]}`;
    });
  }

  // ---- internals used by SpliceBatch ------------------------------------------------------------

  /** @internal */
  newHandle(point: Point, snippet: Snippet, order: number): SpliceHandle {
    if (point.refused !== null) throw new SpliceError('unsafe-point', `${point.id}: ${point.refused}`);
    const issues = validateSnippet(snippet, { point: point.kind, allowedCalls: new Set(this.target.allowedCalls.keys()) });
    if (issues.length > 0) throw new SpliceError('bad-snippet', `${point.id}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    return { id: this.nextId++, point, snippet, order };
  }

  /** @internal */
  site(address: number): Site {
    let s = this.sites.get(address);
    if (s === undefined) {
      s = { address, original: this.memory.readWord(address), handles: [], live: null };
      this.sites.set(address, s);
    }
    return s;
  }

  private resolver(h: SpliceHandle): DataResolver {
    const d = this.data;
    // Counters and timers go to the hot window while it has room (one addressing instruction).
    const place = (it: DataItem): DataPlace => (it.hot === true ? { hot: it.offset } : it.offset);
    return {
      counter: (name) => place(d.item('counter', name, 1, {}, true)),
      timer: (name) => place(d.item('timer', name, 3, {}, true)),
      trace: (name, values) => {
        // timestamp, the values, the record's index (written last)
        let rec = 1;
        while (rec < values + 2) rec *= 2;
        // Records per CPU ring: 256 (8 KiB a CPU for 7-value records) outlasts a 10 ms sampling interval
        // at over 25,000 records a second on each CPU; older records are overwritten (readers count them).
        const capacity = 256;
        const it = d.item('trace', name, 1 + capacity * rec, { capacity, recordWords: rec });
        // The record starts one word after the head (see the code generator).
        return { offset: it.offset, capacity, recordWords: rec };
      },
      assertion: (id) => d.item('assertion', id, 2).offset,
      threadTable: (timer) => d.item('flag', `threads:${timer}`, 2 * THREAD_SLOTS).offset,
      removeFlag: () => {
        const it = d.item('flag', `remove:${h.id}`, 1);
        const a = d.address(0, it.offset);
        this.removeFlags.set(h.id, a);
        return a;
      },
    };
  }

  private contextOf(p: Point): PointContext {
    const f = freeRegisters(p.free);
    return { free: f.regs, iccFree: f.icc, yFree: f.y, args: p.args, retval: p.retval, pc: p.address };
  }

  /**
   * @internal Plans a site's new state: builds and verifies its patch for `handles` (no writes).
   * Returns the steps that make it live, and their undo.
   */
  plan(site: Site, handles: SpliceHandle[]): Step[] {
    const steps: Step[] = [];
    const old = site.live;
    if (handles.length === 0) {
      if (old === null) return [];
      steps.push({
        run: () => {
          this.memory.writeWord(site.address, site.original);
          this.log.push({ time: this.memory.now(), op: 'restore', site: site.address, detail: 'original word restored' });
          site.live = null;
        },
        undo: () => {
          this.memory.writeWord(site.address, old.spliceWord);
          site.live = old;
        },
      });
      steps.push(this.retireStep(old));
      steps.push(this.handlesStep(site, handles));
      return steps;
    }
    const sorted = [...handles].sort((a, b) => a.order - b.order || a.id - b.id);
    const placed = (): PlacedSnippet[] => sorted.map((h) => ({ placement: h.point.placement, snippet: h.snippet, context: this.contextOf(h.point), data: this.resolver(h), id: h.point.id }));
    const read = (a: number): number => this.originalWord(a);
    // Build once to learn the size, then at the allocated address (with slack for far jumps).
    const probe = buildPatch(this.options.patchHeap[0], site.address, read, this.target, placed());
    const bytes = 4 * probe.words.length + 64;
    const near = { address: site.address, reach: REACH };
    let patchAddr = this.heap.alloc(bytes, near);
    if (patchAddr === null) patchAddr = this.heap.alloc(bytes);
    if (patchAddr === null) throw new SpliceError('heap', `patch heap full (${bytes} bytes wanted for 0x${hex(site.address)})`);
    const pa = patchAddr;
    let patch: BuiltPatch;
    try {
      patch = buildPatch(pa, site.address, read, this.target, placed());
      if (4 * patch.words.length > bytes) throw new SpliceError('heap', 'patch grew past its allocation');
      const rejections = verifyPatch(patch, this.target, read);
      if (rejections.length > 0) throw verifyError(site.address, rejections);
    } catch (e) {
      this.heap.release(pa);
      throw e;
    }
    // The one word at the site: ba,a to the patch, or to a springboard that reaches it.
    let spliceWord = baAnnul(site.address, pa);
    let board: Live['springboard'] = null;
    if (spliceWord === null) {
      board = this.springboard(site, sorted[0]!.point, pa);
      if (board === null) {
        this.heap.release(pa);
        throw new SpliceError('reach', `0x${hex(site.address)}: the patch at 0x${hex(pa)} is beyond ±8 MB and no springboard space is in reach (or ready: code still to run is never used)`);
      }
      spliceWord = baAnnul(site.address, board.addr)!;
    }
    const live: Live = { patch, patchAddr: pa, springboard: board, spliceWord };
    let released = false;
    const release = (): void => {
      if (!released) {
        this.heap.release(pa);
        board?.heap.release(board.addr);
        released = true;
      }
    };
    steps.push({
      run: () => {
        const out = new Uint8Array(4 * patch.words.length);
        const dv = new DataView(out.buffer);
        patch.words.forEach((w, k) => dv.setUint32(4 * k, w));
        this.memory.writeMemory(pa, out);
        if (board !== null) {
          const bb = new Uint8Array(4 * board.words.length);
          board.words.forEach((w, k) => new DataView(bb.buffer).setUint32(4 * k, w));
          this.memory.writeMemory(board.addr, bb);
          this.log.push({ time: this.memory.now(), op: 'springboard', site: site.address, detail: `springboard (${board.form === 'call' ? 'call' : board.form === 'mov' ? 'mov %o7,rX; call; mov rX,%o7' : 'save; call; restore'}) at 0x${hex(board.addr)}` });
        }
        for (const a of patch.stops) this.options.breakpoints?.addBreakpoint(a);
      },
      undo: () => {
        for (const a of patch.stops) this.options.breakpoints?.removeBreakpoint(a);
        release();
      },
      release,
    });
    steps.push({
      run: () => {
        this.memory.writeWord(site.address, spliceWord);
        this.log.push({ time: this.memory.now(), op: old === null ? 'install' : 'swap', site: site.address, detail: `ba,a 0x${hex(board?.addr ?? pa)}; ${sorted.length} snippet(s): ${sorted.map((h) => h.point.id).join(', ')}` });
        site.live = live;
      },
      undo: () => {
        this.memory.writeWord(site.address, old === null ? site.original : old.spliceWord);
        site.live = old;
      },
    });
    if (old !== null) steps.push(this.retireStep(old));
    steps.push(this.handlesStep(site, sorted));
    return steps;
  }

  private handlesStep(site: Site, handles: SpliceHandle[]): Step {
    const before = site.handles;
    return {
      run: () => {
        site.handles = handles;
      },
      undo: () => {
        site.handles = before;
      },
    };
  }

  private retireStep(old: Live): Step {
    let entry: Retired | null = null;
    return {
      run: () => {
        const ranges: [number, number][] = [[old.patchAddr, old.patchAddr + 4 * old.patch.words.length]];
        const frees = [() => this.heap.release(old.patchAddr)];
        if (old.springboard !== null) {
          const sb = old.springboard;
          ranges.push([sb.addr, sb.addr + 4 * sb.words.length]);
          frees.push(() => sb.heap.release(sb.addr));
        }
        for (const a of old.patch.stops) this.options.breakpoints?.removeBreakpoint(a);
        entry = { ranges, frees, since: this.memory.now() };
        this.retired.push(entry);
      },
      undo: () => {
        for (const a of old.patch.stops) this.options.breakpoints?.addBreakpoint(a);
        const k = entry === null ? -1 : this.retired.indexOf(entry);
        if (k >= 0) this.retired.splice(k, 1);
      },
    };
  }

  /** A springboard near the site in one of KernInst's three forms, in space that is ready now, or null. */
  private springboard(site: Site, point: Point, patch: number): Live['springboard'] {
    const free = freeRegisters(point.free);
    for (const { heap, ready } of this.boards) {
      if (ready !== null && !ready()) continue;
      const form = free.regs.includes(O7) ? 'call' : free.regs.find((r) => r !== O7 && r !== 14 && r !== 30) !== undefined ? 'mov' : 'save';
      const size = form === 'call' ? 8 : 12;
      const addr = heap.alloc(size, { address: site.address, reach: REACH });
      if (addr === null) continue;
      const b = new CodeBuffer(addr);
      const l = 'patch';
      b.bindAbsolute(l, patch);
      if (form === 'call') {
        // %o7 is dead at the point: call clobbers only it.
        b.call(l);
        b.nop();
      } else if (form === 'mov') {
        const rx = free.regs.find((r) => r !== O7 && r !== 14 && r !== 30)!;
        b.mov(O7, rx);
        b.call(l);
        b.mov(rx, O7);
      } else {
        // save; call; restore — the call's %o7 is written in the temporary window.
        b.save();
        b.call(l);
        b.alu('restore', G0, G0, G0);
      }
      const words = Array.from(b.finish());
      if (decode(words[form === 'call' ? 0 : 1]!, 'v8').row.control !== 'call' || words.some((w, k) => w !== b.words[k])) continue;
      return { addr, heap, words, form };
    }
    return null;
  }

  /**
   * Frees all instrumentation data (zeroed, so the next items start from 0) when nothing can use it:
   * no live splice and no retired patch. Returns whether it did.
   */
  resetDataIfIdle(): boolean {
    if (this.liveSites > 0 || this.handles.length > 0 || this.retired.length > 0) return false;
    for (const [s, e] of this.data.reset()) this.memory.writeMemory(s, new Uint8Array(e - s));
    this.removeFlags.clear();
    return true;
  }

  /** A word of guest memory (instrumentation data the host reads, e.g. trace rings). */
  readWord(addr: number): number {
    return this.memory.readWord(addr >>> 0) >>> 0;
  }

  /** The guest's virtual time (cycles), as snippets read it with %asr18. */
  now(): number {
    return this.memory.now();
  }

  /** Whether snippets can find the current thread (per-thread timer state). */
  get knowsThreads(): boolean {
    return this.target.threadId != null;
  }

  /** @internal Logs a rollback. */
  noteRollback(detail: string): void {
    this.log.push({ time: this.memory.now(), op: 'rollback', site: 0, detail });
  }
}

function verifyError(site: number, rs: readonly VerifyRejection[]): SpliceError {
  const r = rs[0]!;
  return new SpliceError('verify', `patch for 0x${hex(site)} rejected: rule "${r.rule}" at 0x${hex(r.address)} ${r.instruction}: ${r.message}${rs.length > 1 ? ` (and ${rs.length - 1} more)` : ''}`,
    rs.map((x) => ({ path: `0x${hex(x.address)}`, message: `${x.rule}: ${x.message}` })));
}

/** A set of inserts and removes that commits whole or not at all. */
export class SpliceBatch {
  private readonly splicer: Splicer;
  private readonly inserts: SpliceHandle[] = [];
  private readonly removes = new Set<number>();
  private done = false;

  constructor(splicer: Splicer) {
    this.splicer = splicer;
  }

  insert(point: Point, snippet: Snippet, order = 0): SpliceHandle {
    const h = this.splicer.newHandle(point, snippet, order);
    this.inserts.push(h);
    return h;
  }

  remove(handle: SpliceHandle): void {
    this.removes.add(handle.id);
  }

  /** Builds and verifies every affected patch, then writes; on any failure undoes what ran. */
  commit(): void {
    if (this.done) throw new SpliceError('state', 'batch already committed');
    this.done = true;
    const s = this.splicer;
    const affected = new Map<number, SpliceHandle[]>();
    for (const h of s.handles) {
      if (this.removes.has(h.id) && !affected.has(h.point.site)) affected.set(h.point.site, []);
    }
    for (const [site] of affected) affected.set(site, s.site(site).handles.filter((h) => !this.removes.has(h.id)));
    for (const h of this.inserts) {
      const site = h.point.site;
      if (!affected.has(site)) affected.set(site, s.site(site).handles.filter((x) => !this.removes.has(x.id)));
      affected.get(site)!.push(h);
    }
    // Plan everything first: builds and verification; nothing is written yet.
    const steps: Step[] = [];
    try {
      for (const [site, hs] of affected) steps.push(...s.plan(s.site(site), hs));
    } catch (e) {
      for (const st of steps) st.release?.();
      throw e;
    }
    const done: Step[] = [];
    try {
      for (const st of steps) {
        st.run();
        done.push(st);
      }
    } catch (e) {
      for (let k = done.length - 1; k >= 0; k--) done[k]!.undo();
      for (const st of steps) if (!done.includes(st)) st.release?.();
      s.noteRollback(`batch rolled back: ${(e as Error).message}`);
      throw e;
    }
  }
}
