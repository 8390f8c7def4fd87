// The guest's threads as a debugger sees them: name, state, wait channel, and a stack backtrace through the flushed windows (resume flushes them).
import type { MemoryReader } from './kstat.ts';
import { walkStack } from './panic.ts';
import type { KernelSymbols } from './symbols.ts';

export interface GuestThread {
  address: number;
  name: string;
  state: 'free' | 'sleep' | 'run' | 'onproc' | 'zombie' | string;
  flags: number;
  pid: number | null;
  cpu: number | null;
  priority: number;
  /** What it sleeps on, symbolized when the channel is a kernel variable. */
  wchan: string | null;
  /** Where it will continue (switched-out threads only). */
  backtrace: string[];
}

const STATES: Record<number, string> = { 0: 'free', 1: 'sleep', 2: 'run', 4: 'onproc', 8: 'zombie' };

function u32(b: Uint8Array, o = 0): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Every thread on the kernel's allthreads list (the idle threads are not on it). */
export function listThreads(read: MemoryReader, syms: KernelSymbols, max = 512): GuestThread[] {
  const lay = read(syms.address('kthread_layout'), 12 * 4);
  const [oNext, oState, oFlag, oWchan, oPri, oProcp, oSp, oPc, oName, oCpu, oPid, oCpuId] = Array.from({ length: 12 }, (_, i) => u32(lay, i * 4)) as number[];
  const out: GuestThread[] = [];
  let t = u32(read(syms.address('allthreads'), 4));
  const seen = new Set<number>();
  while (t !== 0 && !seen.has(t) && out.length < max) {
    seen.add(t);
    const b = read(t, oName! + 16);
    const state = b[oState!]!;
    const procp = u32(b, oProcp!);
    const cpup = u32(b, oCpu!);
    const wchan = u32(b, oWchan!);
    const nameBytes = b.subarray(oName!, oName! + 16);
    const end = nameBytes.indexOf(0);
    const stateName = STATES[state] ?? `state ${state}`;
    let wdesc: string | null = null;
    if (wchan !== 0) {
      const d = syms.describeData(wchan);
      wdesc = d ?? `0x${wchan.toString(16)}`;
    }
    out.push({
      address: t,
      name: String.fromCharCode(...nameBytes.subarray(0, end < 0 ? 16 : end)),
      state: stateName,
      flags: b[oFlag!]!,
      pid: procp !== 0 ? u32(read(procp + oPid!, 4)) : null,
      cpu: cpup !== 0 ? u32(read(cpup + oCpuId!, 4)) : null,
      priority: u32(b, oPri!) | 0,
      wchan: wdesc,
      backtrace: state === 4 ? [] : [syms.format(u32(b, oPc!)), ...walkStack(read, syms, u32(b, oSp!), 16)],
    });
    t = u32(b, oNext!);
  }
  return out;
}
