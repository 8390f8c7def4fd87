// Splicing into a running minisol: where the patch heap, springboards and per-CPU data go, which
// code is never spliced (locore: the trap table, window handlers, trap entry/return with traps
// disabled), the pid model (%g7 = curthread → t_procp → p_pid), and a conservative walker of every
// CPU and kernel thread for quiescence.
import { analyzeProgram, elfCodeSource, kernelPolicy, type ProgramAnalysis } from '../analysis/index.ts';
import type { Machine } from '../machine/index.ts';
import { BOOTPARAM_ADDR, BOOTPARAM_FIELDS, type MinisolSystem } from '../minisol/index.ts';
import { Splicer, type CodeReference, type SpringboardSpace, type ThreadWalker } from '../splice/index.ts';
import type { ContextSwitchHook } from './metrics.ts';

/**
 * Guest memory the splicer takes on minisol: just below the boot parameters at 0xf0000000, so that
 * every kernel function is within a `ba,a` (±8 MB) of its patch.
 */
export const MINISOL_PATCH_HEAP: readonly [number, number] = [0xef900000, 0xefe00000];
/** Per-CPU instrumentation data: 1 MiB per CPU (16 CPUs: 0xee000000–0xef000000), below the patch heap. */
export const MINISOL_DATA_BASE = 0xee000000;
/**
 * The hot window: offsets [0x400, 0x1000) of each CPU's 256 MiB segment, i.e. CPU k's hot counters and
 * timers are at k·2^28 + 0x400 … k·2^28 + 0xfff, one `ld [%asr17 + simm13]` away. minisol never uses
 * these addresses (docs/minisol.md, "Memory map"): page 0 for CPU 0 (nothing is linked or allocated there; processes' user addresses live only in the software HAT),
 * nothing at 0x10000000 … 0xe0000000 for CPUs 1–14, and for CPU 15 the boot-parameter page
 * 0xf0000000 above its first KiB (the block is 148 bytes; the kernel starts at 0xf0004000).
 */
export const MINISOL_HOT_WINDOW = { start: 0x400, end: 0x1000 } as const;
/** A patch heap out of `ba,a` reach (above the kernel heap and page pool): every splice needs a springboard. */
export const MINISOL_FAR_PATCH_HEAP: readonly [number, number] = [0xf1800000, 0xf1c00000];
/**
 * Offset of `ml_installed` in `struct modlinkage` (guest/minisol/include/modlinkage.h): main() sets it
 * once the module's `_init` has returned, as Solaris' modctl has mod_installed.
 */
export const MODLINKAGE_INSTALLED_OFFSET = 16;
/** The module whose code runs at trap level or with traps disabled. */
export const MINISOL_UNSAFE_MODULE = 'locore';

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Where a kernel thread's context lives (offsets in kthread_t). */
export interface ThreadLayout {
  readonly allthreads: number;
  readonly next: number;
  readonly pc: number;
  readonly sp: number;
  /** t_did (a unique thread id), followed by t_stk and t_stksize. */
  readonly did: number;
  /** idle_threads[] (not on allthreads): address, count and element size. */
  readonly idle: { readonly base: number; readonly count: number; readonly size: number } | null;
}

/**
 * Every CPU's registers (all windows, pc, npc); every kernel thread's saved pc and the live part of
 * its stack, from its saved %sp to the top (flushed windows, trap frames of interrupted code, saved
 * %i7s); and every word of the kernel's data and bss. Dead stack below a thread's %sp is skipped, so
 * a stale pc left in an old trap frame does not keep a patch forever.
 */
export class KernelMemoryWalker implements ThreadWalker {
  private readonly machine: Machine;
  private readonly ranges: () => readonly (readonly [number, number])[];
  private readonly threads: ThreadLayout | null;
  private within: readonly [number, number] | null = null;

  constructor(machine: Machine, ranges: () => readonly (readonly [number, number])[], threads: ThreadLayout | null = null) {
    this.machine = machine;
    this.ranges = ranges;
    this.threads = threads;
  }

  private word(a: number): number {
    return this.machine.readWord(a >>> 0) >>> 0;
  }

  *references(within?: readonly [number, number]): Iterable<CodeReference> {
    this.within = within ?? null;
    // Every CPU, stopped ones too: a CPU waiting in its idle loop keeps live windows (a never-started
    // CPU's zero registers cost nothing).
    for (const cpu of this.machine.cpus) {
      yield { address: cpu.pc >>> 0, where: `cpu${cpu.index}.pc` };
      yield { address: cpu.npc >>> 0, where: `cpu${cpu.index}.npc` };
      for (let k = 0; k < cpu.r.length; k++) yield { address: cpu.r[k]! >>> 0, where: `cpu${cpu.index}.r[${k}]` };
    }
    for (const [s, e] of this.ranges()) yield* this.scan(s, e, '');
    const L = this.threads;
    if (L === null) return;
    // The thread on each CPU (%g7): its saved %sp is stale while it runs. Trap frames (sys_trap stores the
    // interrupted pc below the interrupted %sp) and windows spilled by overflow traps lie between the CPU's
    // current %sp and the stack top, possibly below the saved %sp: scan from the lowest %sp in any window.
    for (const cpu of this.machine.cpus) {
      const t = cpu.r[7]! >>> 0;
      if (t === 0) continue;
      const stk = this.word(t + L.did + 4);
      const size = this.word(t + L.did + 8);
      if (stk === 0 || size === 0 || size > 1 << 20) continue;
      const top = stk + size;
      let low = top;
      for (let w = 0; w < cpu.nwindows; w++) {
        const sp = cpu.r[8 + 16 * w + 6]! >>> 0; // window w's %o6 (V8 §4.2; r[8+16w..] are its outs)
        if (sp >= stk && sp < low) low = sp;
      }
      if (low < top) yield* this.scan(low & ~3, top, `cpu${cpu.index} thread 0x${t.toString(16)} stack `);
    }
    const list: number[] = [];
    const seen = new Set<number>();
    for (let t = this.word(L.allthreads); t !== 0 && !seen.has(t) && list.length < 4096; t = this.word(t + L.next)) {
      seen.add(t);
      list.push(t);
    }
    if (L.idle !== null) for (let k = 0; k < L.idle.count; k++) list.push(L.idle.base + k * L.idle.size);
    for (const t of list) {
      yield { address: this.word(t + L.pc), where: `thread 0x${t.toString(16)} pc` };
      const sp = this.word(t + L.sp);
      const stk = this.word(t + L.did + 4);
      const size = this.word(t + L.did + 8);
      const top = stk + size;
      // The live stack: [sp, top). A thread whose stack is unknown (idle threads) is scanned from sp for one stack size.
      const hi = stk !== 0 && size > 0 && size <= 1 << 20 && sp >= stk && sp < top ? top : sp + 16384;
      if (sp !== 0) yield* this.scan(sp & ~3, hi, `thread 0x${t.toString(16)} stack `);
    }
  }

  private *scan(s: number, e: number, what: string): Iterable<CodeReference> {
    const lo = s >>> 0;
    const hi = e >>> 0;
    if (hi <= lo || hi - lo > 64 << 20) return;
    const bytes = this.machine.readMemory(lo, hi - lo);
    const [wlo, whi] = this.within ?? [0, 2 ** 32];
    for (let o = 0; o + 4 <= bytes.length; o += 4) {
      const a = u32(bytes, o);
      if (a >= wlo && a < whi) yield { address: a, where: `${what}0x${(lo + o).toString(16)}` };
    }
  }
}

/** Finds t_did / t_stk / t_stksize in kthread_t (they precede t_name by the same amount in every build). */
function threadLayout(sys: MinisolSystem): ThreadLayout | null {
  const syms = sys.symbols;
  if (!syms.has('kthread_layout') || !syms.has('allthreads')) return null;
  const word = (a: number): number => sys.machine.readWord(a >>> 0) >>> 0;
  const lay = Array.from({ length: 12 }, (_, i) => word(syms.address('kthread_layout') + 4 * i));
  const [oNext, , , , , , oSp, oPc, oName] = lay as [number, number, number, number, number, number, number, number, number];
  const threads: number[] = [];
  for (let t = word(syms.address('allthreads')); t !== 0 && threads.length < 64; t = word(t + oNext)) threads.push(t);
  const fits = (o: number): boolean => threads.length > 0 && threads.every((t) => {
    const stk = word(t + o + 4);
    const size = word(t + o + 8);
    return (stk & 0xfff) === 0 && size > 0 && size % 4096 === 0 && size <= 1 << 20;
  }) && new Set(threads.map((t) => word(t + o))).size === threads.length;
  const did = [oName - 56, oName - 60, oName - 52].find(fits);
  if (did === undefined) return null;
  const idleSym = sys.elf.symbols.find((x) => x.name === 'idle_threads');
  const size = oName + 16;
  const idle = idleSym === undefined ? null : { base: idleSym.value, count: Math.floor(idleSym.size / size), size };
  return { allthreads: syms.address('allthreads'), next: oNext, pc: oPc, sp: oSp, did, idle };
}

export interface MinisolSplicing {
  readonly analysis: ProgramAnalysis;
  readonly splicer: Splicer;
  /** `swtch`: entry = the current thread leaves the CPU, exits = a thread resumes on it. */
  readonly contextSwitch: ContextSwitchHook | null;
  /** kthread_t offsets found in the image (null when the image does not export them). */
  readonly threads: ThreadLayout | null;
}

export interface MinisolSplicerOptions {
  /** Put the patch heap out of `ba,a` reach (every splice goes through a springboard). */
  readonly farHeap?: boolean;
  /** Replaces the kernel walker (tests: a reclaimer that ignores running threads). */
  readonly walker?: ThreadWalker;
  /** Word written over reclaimed patch memory (default 0: `unimp`, an illegal instruction trap, V8 §B.30). */
  readonly poison?: number;
  /** Put counters and timers in the hot window (default true; false: the strided blocks only). */
  readonly hot?: boolean;
}

/** The hot window, once the boot-parameter block is known to end below it (CPU 15's copy shares its page). */
function hotWindow(): { start: number; end: number } {
  if (BOOTPARAM_ADDR % 2 ** 28 + 4 * BOOTPARAM_FIELDS.length > MINISOL_HOT_WINDOW.start) throw new Error(`the boot-parameter block (${BOOTPARAM_FIELDS.length} words) reaches into the hot window at 0x${MINISOL_HOT_WINDOW.start.toString(16)}`);
  return { ...MINISOL_HOT_WINDOW };
}

/** Analyses the running kernel and sets up a splicer for it. */
export function minisolSplicer(sys: MinisolSystem, options: MinisolSplicerOptions = {}): MinisolSplicing {
  const analysis = analyzeProgram(elfCodeSource(sys.elf, 'minisol'), { policy: kernelPolicy() });
  const syms = sys.symbols;
  const unsafe = new Set(analysis.functions.filter((f) => f.module === MINISOL_UNSAFE_MODULE).map((f) => f.name));
  // KernInst's springboard space: module _init code that already ran at boot, and _fini code that never
  // runs. An _init is ready only once its module's modlinkage says installed (the non-early modules'
  // _init run from startup_thread, after the other CPUs started); no modlinkage symbol: never ready.
  const boards: SpringboardSpace[] = [];
  const m = sys.machine;
  for (const s of sys.elf.symbols) {
    if ((s.name === '_init' || s.name === '_fini') && s.type === 2 && s.size >= 16) {
      const f = analysis.functionAt(s.value);
      if (f === undefined || f.module === MINISOL_UNSAFE_MODULE) continue;
      const range: [number, number] = [((s.value + 15) & ~15) >>> 0, ((s.value + s.size) & ~3) >>> 0];
      if (s.name === '_fini') {
        boards.push(range);
        continue;
      }
      const ml = sys.elf.symbols.find((x) => x.name === `${f.module}_modlinkage` && x.type === 1 && x.size >= MODLINKAGE_INSTALLED_OFFSET + 4);
      const flag = ml === undefined ? null : (ml.value + MODLINKAGE_INSTALLED_OFFSET) >>> 0;
      boards.push({ range, ready: () => flag !== null && m.readWord(flag) !== 0 });
    }
  }
  // Springboard space is never spliced itself: its code is overwritten once a springboard lands there.
  const reserved = new Map<string, string>();
  const board = (name: string): string => `${name} is springboard space (module _init code that has run, or _fini code that never runs)`;
  for (const b of boards) {
    const [s, e] = 'range' in b ? b.range : b;
    for (const f of analysis.functions) if (f.address >= s && f.address < e) reserved.set(f.name, board(f.name));
  }
  for (const s of sys.elf.symbols) if ((s.name === '_init' || s.name === '_fini') && s.type === 2) {
    const f = analysis.functionAt(s.value);
    if (f !== undefined) reserved.set(f.name, board(f.name));
  }
  // locore is one contiguous range (the trap table, window handlers, trap entry/return, spl code):
  // code the analysis finds inside it without a locore symbol (trap_table+0x10, …) is refused too.
  const lo = analysis.functions.filter((f) => f.module === MINISOL_UNSAFE_MODULE);
  const locoreRange: [number, number] | null = lo.length === 0 ? null : [Math.min(...lo.map((f) => f.address)), Math.max(...lo.map((f) => f.address + Math.max(f.size, f.codeBytes)))];
  const lay = sys.read(syms.address('kthread_layout'), 12 * 4);
  const oProcp = u32(lay, 5 * 4);
  const oPid = u32(lay, 10 * 4);
  const dataStart = syms.has('kthread_layout') ? Math.min(...sys.elf.sections.filter((s) => (s.flags & 1) !== 0 && (s.flags & 4) === 0 && s.addr !== 0).map((s) => s.addr)) : 0;
  const threads = threadLayout(sys);
  const endSym = sys.elf.symbols.find((x) => x.name === '_end')?.value ?? syms.address('kheap_next');
  const ranges = (): [number, number][] => {
    const end = endSym;
    const heapVar = syms.has('kheap_next') ? 'kheap_next' : 'kheap_end';
    const heapEnd = syms.has(heapVar) ? u32(sys.read(syms.address(heapVar), 4), 0) : end;
    const out: [number, number][] = [];
    if (dataStart > 0 && dataStart < end) out.push([(dataStart & ~3) >>> 0, end]);
    // The heap (thread structures and stacks) is covered thread by thread; without the thread
    // layout, all of it is scanned.
    if (threads === null && heapEnd > end && heapEnd - end < 64 << 20) out.push([end, heapEnd]);
    return out;
  };
  const patchHeap = options.farHeap === true ? MINISOL_FAR_PATCH_HEAP : MINISOL_PATCH_HEAP;
  // Tell the kernel where spliced code lives: it does not preempt a thread interrupted there, so a
  // per-CPU counter's ld/add/st never straddles a migration (trap.c, splice_patch_range).
  if (syms.has('splice_patch_range')) {
    const r = new Uint8Array(8);
    new DataView(r.buffer).setUint32(0, patchHeap[0]);
    new DataView(r.buffer).setUint32(4, patchHeap[1]);
    m.writeMemory(syms.address('splice_patch_range'), r);
  }
  const splicer = new Splicer({
    // Word writes go through writeMemory: Bus.writeWord reports code writes at addresses ≥ 2^31 to
    // the fast engine as negative numbers (`addr & ~3`), so its stale translations survived (reported
    // to the machine's owner). A 4-byte writeMemory between instructions is just as atomic.
    memory: {
      readWord: (a) => m.readWord(a),
      writeWord: (a, v) => m.writeMemory(a, new Uint8Array([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])),
      writeMemory: (a, b) => m.writeMemory(a, b),
      now: () => m.now(),
    },
    analysis,
    patchHeap,
    springboards: boards,
    data: { base: MINISOL_DATA_BASE, strideLog2: 20, cpus: sys.machine.cpus.length, nwindows: sys.machine.cpus[0]!.nwindows, hot: options.hot === false ? null : hotWindow() },
    symbols: (n) => (syms.has(n) ? syms.address(n) : undefined),
    pid: { kind: 'chain', register: 7, offsets: [oProcp, oPid] },
    threadId: threads === null ? null : { register: 7, offset: threads.did },
    safety: { unsafeFunctions: unsafe, reservedFunctions: reserved, unsafeRanges: locoreRange === null ? [] : [locoreRange] },
    walker: options.walker ?? new KernelMemoryWalker(sys.machine, ranges, threads),
    ...(options.poison !== undefined ? { poison: options.poison } : {}),
    breakpoints: sys.machine,
  });
  let contextSwitch: ContextSwitchHook | null = null;
  if (analysis.functionByName('swtch') !== undefined) {
    const out = splicer.points.entry('swtch');
    const back = splicer.points.exits('swtch');
    if (out.refused === null && back.length > 0 && back.every((p) => p.refused === null)) contextSwitch = { out: [out], in: back };
  }
  return { analysis, splicer, contextSwitch, threads };
}
