// Guest memory regions the splicer owns: the patch heap, springboard space near the code, and the
// per-CPU instrumentation data.
import { SpliceError } from './errors.ts';

/** A first-fit allocator of word-aligned blocks in [start, end) of guest memory. */
export class RegionHeap {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** Free blocks [addr, size), sorted by address. */
  private free: { addr: number; size: number }[];
  private readonly used = new Map<number, number>();

  constructor(name: string, start: number, end: number) {
    if ((start & 3) !== 0 || end <= start) throw new SpliceError('heap', `${name}: bad region [0x${start.toString(16)}, 0x${end.toString(16)})`);
    this.name = name;
    this.start = start >>> 0;
    this.end = end >>> 0;
    this.free = [{ addr: this.start, size: this.end - this.start }];
  }

  /** A block of `bytes` (rounded up to words), preferring one within `near ± reach` when given. */
  alloc(bytes: number, near?: { address: number; reach: number }): number | null {
    const size = (bytes + 3) & ~3;
    for (let k = 0; k < this.free.length; k++) {
      const f = this.free[k]!;
      if (f.size < size) continue;
      let addr = f.addr;
      if (near !== undefined) {
        const lo = Math.max(f.addr, near.address - near.reach);
        if (lo + size > f.addr + f.size || lo + size > near.address + near.reach) continue;
        addr = lo;
      }
      this.carve(k, addr, size);
      this.used.set(addr, size);
      return addr;
    }
    return null;
  }

  private carve(k: number, addr: number, size: number): void {
    const f = this.free[k]!;
    const parts: { addr: number; size: number }[] = [];
    if (addr > f.addr) parts.push({ addr: f.addr, size: addr - f.addr });
    if (addr + size < f.addr + f.size) parts.push({ addr: addr + size, size: f.addr + f.size - addr - size });
    this.free.splice(k, 1, ...parts);
  }

  release(addr: number): void {
    const size = this.used.get(addr);
    if (size === undefined) throw new SpliceError('heap', `${this.name}: 0x${addr.toString(16)} is not an allocated block`);
    this.used.delete(addr);
    this.free.push({ addr, size });
    this.free.sort((a, b) => a.addr - b.addr);
    const merged: { addr: number; size: number }[] = [];
    for (const f of this.free) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.addr + last.size === f.addr) last.size += f.size;
      else merged.push({ ...f });
    }
    this.free = merged;
  }

  get bytesUsed(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }

  contains(addr: number): boolean {
    return addr >= this.start && addr < this.end;
  }
}

export type DataKind = 'counter' | 'timer' | 'trace' | 'assertion' | 'flag';

export interface DataItem {
  readonly name: string;
  readonly kind: DataKind;
  /** Offset in each CPU's block; for a hot item, in each CPU's 256 MiB segment (the hot window). */
  readonly offset: number;
  /** In the hot window: CPU k's copy is at k·2^28 + offset. */
  readonly hot?: boolean;
  readonly words: number;
  /** Trace rings: capacity (records) and record size (words). */
  readonly capacity?: number;
  readonly recordWords?: number;
}

/**
 * Named per-CPU instrumentation data: CPU k's copy of offset o lives at base + k·2^strideLog2 + o;
 * hot items (see DataLayout.hot) at k·2^28 + o, in the hot window [hot.start, hot.end).
 */
export class DataArea {
  readonly base: number;
  readonly strideLog2: number;
  readonly cpus: number;
  readonly hot: { readonly start: number; readonly end: number } | null;
  private next = 0;
  private hotNext = 0;
  private readonly items = new Map<string, DataItem>();

  constructor(base: number, strideLog2: number, cpus: number, hot: { readonly start: number; readonly end: number } | null = null) {
    if ((base & 0x3ff) !== 0) throw new SpliceError('heap', `data base 0x${base.toString(16)} must be 1 KiB aligned (sethi addressing)`);
    if ((strideLog2 < 10 || strideLog2 > 23) && strideLog2 !== 28) throw new SpliceError('heap', 'the per-CPU stride must be 2^10..2^23 bytes, or 2^28 (the wide layout)');
    if (base + cpus * 2 ** strideLog2 > 2 ** 32 && cpus > 1) throw new SpliceError('heap', `${cpus} per-CPU blocks of 2^${strideLog2} bytes from 0x${base.toString(16)} do not fit the address space`);
    this.base = base >>> 0;
    this.strideLog2 = strideLog2;
    this.cpus = cpus;
    this.hot = hot === null ? null : { start: hot.start, end: hot.end };
    if (hot !== null) {
      const w = `hot window [0x${hot.start.toString(16)}, 0x${hot.end.toString(16)})`;
      // [%g0 + o] and [%asr17 + o − (NWINDOWS−1)] both reach every offset below 4096 (simm13).
      if ((hot.start & 3) !== 0 || (hot.end & 3) !== 0 || hot.start < 0 || hot.end > 4096 || hot.end <= hot.start) throw new SpliceError('heap', `${w}: must be word-aligned offsets within [0, 4096)`);
      if (cpus > 16) throw new SpliceError('heap', `${w}: %asr17 names at most 16 CPUs, not ${cpus}`);
      for (let k = 0; k < cpus; k++) for (let j = 0; j < cpus; j++) {
        const h = k * 2 ** 28 + hot.start;
        const b = this.address(j, 0);
        if (h < b + this.blockSize && b < h + (hot.end - hot.start)) throw new SpliceError('heap', `${w}: CPU ${k}'s window overlaps CPU ${j}'s data block at 0x${b.toString(16)}`);
      }
      this.hotNext = hot.start;
    }
  }

  get blockSize(): number {
    // The wide layout's blocks are 256 MiB apart, but only the first 1 MiB of each is used.
    return this.strideLog2 === 28 ? 2 ** 20 : 2 ** this.strideLog2;
  }

  /** The item `kind:name`, allocated on first use (in the hot window when `hot` and it still fits there). */
  item(kind: DataKind, name: string, words: number, extra: { capacity?: number; recordWords?: number } = {}, hot = false): DataItem {
    const key = `${kind}:${name}`;
    let it = this.items.get(key);
    if (it !== undefined) {
      if (it.words < words) throw new SpliceError('heap', `${key} already exists with a different size`);
      return it;
    }
    if (hot && this.hot !== null && this.hotNext + words * 4 <= this.hot.end) {
      it = { name, kind, offset: this.hotNext, words, hot: true, ...extra };
      this.hotNext += words * 4;
      this.items.set(key, it);
      return it;
    }
    // Keep an item inside one 1 KiB window when it fits (ld/st [sethi + %lo] addressing).
    let offset = this.next;
    if (words * 4 <= 1024 && (offset & 0x3ff) + words * 4 > 1024) offset = (offset + 1023) & ~1023;
    if (offset + words * 4 > this.blockSize) throw new SpliceError('heap', `instrumentation data full (${this.blockSize} bytes per CPU)`);
    this.next = offset + words * 4;
    it = { name, kind, offset, words, ...extra };
    this.items.set(key, it);
    return it;
  }

  find(kind: DataKind, name: string): DataItem | undefined {
    return this.items.get(`${kind}:${name}`);
  }

  /**
   * Forgets every item and returns the ranges they used, per CPU, for the caller to zero: items are
   * bump-allocated, so a long session that enables and removes metrics would otherwise run out. Only
   * when no code can reach the data any more (no live splice, no retired patch).
   */
  reset(): [number, number][] {
    const used: [number, number][] = [];
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      if (this.next > 0) used.push([this.address(cpu, 0), this.address(cpu, this.next)]);
      if (this.hot !== null && this.hotNext > this.hot.start) used.push([(cpu * 2 ** 28 + this.hot.start) >>> 0, (cpu * 2 ** 28 + this.hotNext) >>> 0]);
    }
    this.items.clear();
    this.next = 0;
    if (this.hot !== null) this.hotNext = this.hot.start;
    return used;
  }

  list(): DataItem[] {
    return [...this.items.values()];
  }

  /** Address of CPU `cpu`'s copy of word `offset` of the per-CPU block. */
  address(cpu: number, offset: number): number {
    return (this.base + cpu * 2 ** this.strideLog2 + offset) >>> 0;
  }

  /** Address of CPU `cpu`'s copy of word `word` of item `it` (hot or not). */
  addressOf(cpu: number, it: DataItem, word = 0): number {
    return it.hot === true ? (cpu * 2 ** 28 + it.offset + 4 * word) >>> 0 : this.address(cpu, it.offset + 4 * word);
  }

  /** Bytes of the hot window in use. */
  get hotBytesUsed(): number {
    return this.hot === null ? 0 : this.hotNext - this.hot.start;
  }
}
