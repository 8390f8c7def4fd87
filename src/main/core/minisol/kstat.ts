// Reading the guest's kstats by symbol: per-CPU counters summed, per-process counters, with the field names taken from the image itself.
import type { KernelSymbols } from './symbols.ts';

/** Reads `len` bytes of guest memory at `addr`. */
export type MemoryReader = (addr: number, len: number) => Uint8Array;

export interface ProcKstat {
  slot: number;
  name: string;
  counters: Record<string, number>;
}

export interface KstatSnapshot {
  /** Each counter summed over the CPUs. */
  totals: Record<string, number>;
  /** Each CPU's counters (CPUs with any nonzero counter). */
  perCpu: Record<string, number>[];
  /** Processes whose slot has ever been used (alive or exited). */
  procs: ProcKstat[];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function u64(b: Uint8Array, o: number): number {
  return u32(b, o) * 2 ** 32 + u32(b, o + 4);
}

function cstring(read: MemoryReader, addr: number, max = 64): string {
  const b = read(addr, max);
  const end = b.indexOf(0);
  return String.fromCharCode(...b.subarray(0, end < 0 ? max : end));
}

/** The names of a `const char *const names[n]` array. */
export function readNameTable(read: MemoryReader, addr: number, n: number): string[] {
  const ptrs = read(addr, n * 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(cstring(read, u32(ptrs, i * 4)));
  return out;
}

/** The field names (cached per image: they are constant). */
export class KstatLayout {
  readonly names: string[];
  readonly procNames: string[];
  readonly ncpu: number;
  readonly nproc: number;
  readonly procSize: number;
  readonly cpuAddr: number;
  readonly procAddr: number;

  constructor(read: MemoryReader, syms: KernelSymbols) {
    const word = (name: string): number => u32(read(syms.address(name), 4), 0);
    const nfields = word('kstat_nfields');
    this.names = readNameTable(read, syms.address('kstat_names'), nfields);
    this.procNames = readNameTable(read, syms.address('kstat_proc_names'), word('kstat_proc_nfields'));
    this.ncpu = word('kstat_ncpu');
    this.nproc = word('kstat_nproc');
    this.procSize = word('kstat_proc_size');
    this.cpuAddr = syms.address('kstat_cpu');
    this.procAddr = syms.address('kstat_proc');
  }

  /** Whether the kernel keeps a counter of this name. */
  has(name: string): boolean {
    return this.names.includes(name);
  }

  /** Byte address of counter `name` of CPU `cpu` (for instrumentation checks). */
  counterAddress(name: string, cpu: number): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no kstat counter "${name}"`);
    return this.cpuAddr + (cpu * this.names.length + i) * 8;
  }
}

/** One counter summed over the CPUs (what `readKstats(…).totals[name]` gives, without reading the rest). */
export function readKstatTotal(read: MemoryReader, layout: KstatLayout, name: string): number {
  let total = 0;
  for (let c = 0; c < layout.ncpu; c++) total += u64(read(layout.counterAddress(name, c), 8), 0);
  return total;
}

export function readKstats(read: MemoryReader, layout: KstatLayout): KstatSnapshot {
  const n = layout.names.length;
  const cpuBytes = read(layout.cpuAddr, layout.ncpu * n * 8);
  const totals: Record<string, number> = {};
  for (const name of layout.names) totals[name] = 0;
  const perCpu: Record<string, number>[] = [];
  for (let c = 0; c < layout.ncpu; c++) {
    const row: Record<string, number> = {};
    let any = false;
    layout.names.forEach((name, i) => {
      const v = u64(cpuBytes, (c * n + i) * 8);
      row[name] = v;
      totals[name]! += v;
      if (v !== 0) any = true;
    });
    if (any) perCpu.push(row);
  }
  const procBytes = read(layout.procAddr, layout.nproc * layout.procSize);
  const procs: ProcKstat[] = [];
  const nf = layout.procNames.length;
  for (let slot = 0; slot < layout.nproc; slot++) {
    const base = slot * layout.procSize;
    const counters: Record<string, number> = {};
    layout.procNames.forEach((name, i) => (counters[name] = u64(procBytes, base + i * 8)));
    const nameBytes = procBytes.subarray(base + nf * 8, base + nf * 8 + 16);
    const end = nameBytes.indexOf(0);
    const name = String.fromCharCode(...nameBytes.subarray(0, end < 0 ? 16 : end));
    if (name === '' && counters.pid === 0 && slot !== 0) continue;
    procs.push({ slot, name, counters });
  }
  return { totals, perCpu, procs };
}
