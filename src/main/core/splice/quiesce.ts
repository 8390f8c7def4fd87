// Quiescence: patch memory is reclaimed only when no CPU's pc/npc, no thread's saved pc, and no
// return address in any register window or stack frame of any thread points into it.
import type { Machine } from '../machine/index.ts';

/** A code address some CPU or thread may still execute or return into, and where it was found. */
export interface CodeReference {
  readonly address: number;
  readonly where: string;
}

/** What the splicer asks of the guest before it frees patch memory (the minisol host side implements it for kernel threads). */
export interface ThreadWalker {
  /**
   * Every address any CPU or thread may resume at or return to (pc, npc, saved pcs, windows, stack words).
   * With `within` = [lo, hi), a walker may leave out addresses outside it (the caller ignores them anyway).
   */
  references(within?: readonly [number, number]): Iterable<CodeReference>;
}

/**
 * The walker for a machine running user code (the Linux personality): every CPU's pc and npc,
 * every register of every window (a return address may sit in any of them), and every word of
 * each CPU's stack from its lowest window's %sp up to `stackTop` (spilled windows, saved %i7s).
 */
export class MachineWalker implements ThreadWalker {
  private readonly machine: Machine;
  private readonly stackTop: number;
  private readonly maxStackBytes: number;

  constructor(machine: Machine, stackTop: number, maxStackBytes = 1 << 20) {
    this.machine = machine;
    this.stackTop = stackTop >>> 0;
    this.maxStackBytes = maxStackBytes;
  }

  *references(): Iterable<CodeReference> {
    for (const cpu of this.machine.cpus) {
      if (cpu.state === 'stopped') continue;
      yield { address: cpu.pc >>> 0, where: `cpu${cpu.index}.pc` };
      yield { address: cpu.npc >>> 0, where: `cpu${cpu.index}.npc` };
      let lowSp = 0xffffffff;
      for (let k = 0; k < cpu.r.length; k++) {
        const v = cpu.r[k]! >>> 0;
        yield { address: v, where: `cpu${cpu.index}.r[${k}]` };
      }
      for (let w = 0; w < cpu.nwindows; w++) {
        const sp = cpu.r[cpu.regIndexIn(w, 14)]! >>> 0;
        if (sp < this.stackTop && sp + this.maxStackBytes >= this.stackTop && sp < lowSp) lowSp = sp;
      }
      if (lowSp === 0xffffffff) continue;
      for (let a = (lowSp & ~3) >>> 0; a < this.stackTop; a += 4) {
        yield { address: this.machine.readWord(a) >>> 0, where: `cpu${cpu.index} stack 0x${a.toString(16)}` };
      }
    }
  }
}

/** Several walkers together (CPUs plus the kernel's threads). */
export function combineWalkers(...walkers: ThreadWalker[]): ThreadWalker {
  return {
    *references() {
      for (const w of walkers) yield* w.references();
    },
  };
}
