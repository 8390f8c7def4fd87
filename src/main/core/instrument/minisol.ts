// Splicing into a running minisol: where the patch heap, springboards and per-CPU data go, which
// code is never spliced (locore: the trap table, window handlers, trap entry/return with traps
// disabled), the pid model (%g7 = curthread → t_procp → p_pid), and a conservative walker of every
// CPU and kernel thread for quiescence.
import { analyzeProgram, elfCodeSource, kernelPolicy, type ProgramAnalysis } from '../analysis/index.ts';
import type { Machine } from '../machine/index.ts';
import type { MinisolSystem } from '../minisol/index.ts';
import { Splicer, type CodeReference, type ThreadWalker } from '../splice/index.ts';
import type { ContextSwitchHook } from './metrics.ts';

/**
 * Guest memory the splicer takes on minisol: just below the boot parameters at 0xf0000000, so that
 * every kernel function is within a `ba,a` (±8 MB) of its patch.
 */
export const MINISOL_PATCH_HEAP: readonly [number, number] = [0xef900000, 0xefe00000];
export const MINISOL_DATA_BASE = 0xefe00000;
/** A patch heap out of `ba,a` reach (above the kernel heap and page pool): every splice needs a springboard. */
export const MINISOL_FAR_PATCH_HEAP: readonly [number, number] = [0xf1800000, 0xf1c00000];
/** The module whose code runs at trap level or with traps disabled. */
export const MINISOL_UNSAFE_MODULE = 'locore';

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/**
 * Every CPU's registers (all windows, pc, npc), and every word of the kernel's data, bss and heap
 * (thread structures with their saved pc, thread stacks with flushed windows): conservative — a
 * stray word that looks like a patch address only delays reclamation.
 */
export class KernelMemoryWalker implements ThreadWalker {
  private readonly machine: Machine;
  private readonly ranges: () => readonly (readonly [number, number])[];

  constructor(machine: Machine, ranges: () => readonly (readonly [number, number])[]) {
    this.machine = machine;
    this.ranges = ranges;
  }

  *references(): Iterable<CodeReference> {
    for (const cpu of this.machine.cpus) {
      if (cpu.state === 'stopped') continue;
      yield { address: cpu.pc >>> 0, where: `cpu${cpu.index}.pc` };
      yield { address: cpu.npc >>> 0, where: `cpu${cpu.index}.npc` };
      for (let k = 0; k < cpu.r.length; k++) yield { address: cpu.r[k]! >>> 0, where: `cpu${cpu.index}.r[${k}]` };
    }
    for (const [s, e] of this.ranges()) {
      const bytes = this.machine.readMemory(s, e - s);
      for (let o = 0; o + 4 <= bytes.length; o += 4) yield { address: u32(bytes, o), where: `0x${(s + o).toString(16)}` };
    }
  }
}

export interface MinisolSplicing {
  readonly analysis: ProgramAnalysis;
  readonly splicer: Splicer;
  /** `swtch`: entry = the current thread leaves the CPU, exits = a thread resumes on it. */
  readonly contextSwitch: ContextSwitchHook | null;
}

/** Analyses the running kernel and sets up a splicer for it. */
export function minisolSplicer(sys: MinisolSystem, options: { farHeap?: boolean } = {}): MinisolSplicing {
  const analysis = analyzeProgram(elfCodeSource(sys.elf, 'minisol'), { policy: kernelPolicy() });
  const syms = sys.symbols;
  const unsafe = new Set(analysis.functions.filter((f) => f.module === MINISOL_UNSAFE_MODULE).map((f) => f.name));
  // KernInst's springboard space: module _init code that already ran at boot, and _fini code that never runs.
  const boards: [number, number][] = [];
  for (const s of sys.elf.symbols) {
    if ((s.name === '_init' || s.name === '_fini') && s.type === 2 && s.size >= 16) {
      const f = analysis.functionAt(s.value);
      if (f !== undefined && f.module !== MINISOL_UNSAFE_MODULE) boards.push([((s.value + 15) & ~15) >>> 0, ((s.value + s.size) & ~3) >>> 0]);
    }
  }
  for (const [s, e] of boards) for (const f of analysis.functions) if (f.address >= s && f.address < e) unsafe.add(f.name);
  for (const s of sys.elf.symbols) if ((s.name === '_init' || s.name === '_fini') && s.type === 2) {
    const f = analysis.functionAt(s.value);
    if (f !== undefined) unsafe.add(f.name);
  }
  // locore is one contiguous range (the trap table, window handlers, trap entry/return, spl code):
  // code the analysis finds inside it without a locore symbol (trap_table+0x10, …) is refused too.
  const lo = analysis.functions.filter((f) => f.module === MINISOL_UNSAFE_MODULE);
  const locoreRange: [number, number] | null = lo.length === 0 ? null : [Math.min(...lo.map((f) => f.address)), Math.max(...lo.map((f) => f.address + Math.max(f.size, f.codeBytes)))];
  const lay = sys.read(syms.address('kthread_layout'), 12 * 4);
  const oProcp = u32(lay, 5 * 4);
  const oPid = u32(lay, 10 * 4);
  const dataStart = syms.has('kthread_layout') ? Math.min(...sys.elf.sections.filter((s) => (s.flags & 1) !== 0 && (s.flags & 4) === 0 && s.addr !== 0).map((s) => s.addr)) : 0;
  const endSym = sys.elf.symbols.find((x) => x.name === '_end')?.value ?? syms.address('kheap_next');
  const ranges = (): [number, number][] => {
    const end = endSym;
    const heapVar = syms.has('kheap_next') ? 'kheap_next' : 'kheap_end';
    const heapEnd = syms.has(heapVar) ? u32(sys.read(syms.address(heapVar), 4), 0) : end;
    const out: [number, number][] = [];
    if (dataStart > 0 && dataStart < end) out.push([(dataStart & ~3) >>> 0, end]);
    // The heap grows from the page after _end; thread stacks and structures live there.
    if (heapEnd > end && heapEnd - end < 64 << 20) out.push([end, heapEnd]);
    return out;
  };
  const m = sys.machine;
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
    patchHeap: options.farHeap === true ? MINISOL_FAR_PATCH_HEAP : MINISOL_PATCH_HEAP,
    springboards: boards,
    data: { base: MINISOL_DATA_BASE, strideLog2: 16, cpus: sys.machine.cpus.length },
    symbols: (n) => (syms.has(n) ? syms.address(n) : undefined),
    pid: { kind: 'chain', register: 7, offsets: [oProcp, oPid] },
    safety: { unsafeFunctions: unsafe, unsafeRanges: locoreRange === null ? [] : [locoreRange] },
    walker: new KernelMemoryWalker(sys.machine, ranges),
    breakpoints: sys.machine,
  });
  let contextSwitch: ContextSwitchHook | null = null;
  if (analysis.functionByName('swtch') !== undefined) {
    const out = splicer.points.entry('swtch');
    const back = splicer.points.exits('swtch');
    if (out.refused === null && back.length > 0 && back.every((p) => p.refused === null)) contextSwitch = { out: [out], in: back };
  }
  return { analysis, splicer, contextSwitch };
}
