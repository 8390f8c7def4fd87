// The physical address space: big-endian sparse RAM, memory-mapped devices, code-page tracking and watchpoints.
//
// RAM is kept as 4 KiB pages of 1024 big-endian words, each word stored as a JS int32 holding the
// value a SPARC `ld` would return. Word accesses (instruction fetch, ld/st) are then a single array
// read; byte and halfword accesses shift within the word. Two page tables give the engines their
// fast paths: `readPages[n]` is the page when a load may go straight to it, `writePages[n]` when a
// store may; a page that is absent from a table must take the slow path (`read`/`write`) — because
// it is not allocated yet, holds translated code (stores must invalidate it), is watched, or is not RAM.

/** A memory-mapped device, as the machine sees it (the minisol devices implement this). */
export interface Device {
  readonly name: string;
  /** Physical base address; the device answers [base, base + size). */
  readonly base: number;
  readonly size: number;
  read(offset: number, width: 1 | 2 | 4): number;
  write(offset: number, width: 1 | 2 | 4, value: number): void;
  attach?(host: DeviceHost): void;
  /** Optional: plain-data state for whole-machine snapshots (see Machine.snapshot). */
  snapshot?(): unknown;
  /** Optional: puts back what `snapshot` returned. */
  restore?(state: unknown): void;
}

/** What the machine offers its devices. */
export interface DeviceHost {
  /** Virtual time in cycles of CPU 0's clock, a safe integer. */
  now(): number;
  /** Runs `fn` between instructions once CPU 0's clock reaches `atCycle` (deterministic event queue). */
  schedule(atCycle: number, fn: () => void): void;
  raiseInterrupt(level: number, cpu?: number): void;
  clearInterrupt(level: number, cpu?: number): void;
  readPhys(addr: number, len: number): Uint8Array;
  /** DMA; invalidates translated code like a CPU store. */
  writePhys(addr: number, bytes: Uint8Array): void;
  log(msg: string): void;
  /** Extension: how many CPUs the machine has. */
  cpuCount?(): number;
  /** Extension: starts a powered-down CPU at `pc` in supervisor mode with traps disabled (SMP bring-up). */
  startCpu?(cpu: number, pc: number): void;
}

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_WORDS = PAGE_SIZE >>> 2;
/** Number of 4 KiB pages in the 32-bit physical address space. */
export const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);

export type Width = 1 | 2 | 4;

/** A configuration or usage mistake on the machine (not a guest trap). */
export class MachineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MachineError';
    this.code = code;
  }
}

/** A watched physical range. */
export interface Watchpoint {
  readonly id: number;
  readonly addr: number;
  readonly len: number;
  readonly read: boolean;
  readonly write: boolean;
}

/** Reported by the bus when a watched range is touched; the machine stops after the instruction. */
export interface WatchHit {
  readonly watchpoint: Watchpoint;
  readonly addr: number;
  readonly width: number;
  readonly access: 'read' | 'write';
  readonly value: number;
}

/** Receives "the words [addr, addr+len) changed" for pages that hold translated code. */
export type CodeWriteListener = (addr: number, len: number) => void;

export class Bus {
  /** Bytes of RAM, from physical address 0. A multiple of the page size, at most 2^32. */
  readonly ramSize: number;
  readonly ramPages: number;
  /** Allocated RAM pages by page number (sparse). */
  readonly pages: (Int32Array | null)[];
  /** Fast-path tables for the engines (see the file comment). */
  readonly readPages: (Int32Array | null)[];
  readonly writePages: (Int32Array | null)[];
  /** Pages that hold translated code: a store there must go through `codeWritten`. */
  readonly codePages: Uint8Array;
  private readonly devices: Device[] = [];
  private readonly watchpoints: Watchpoint[] = [];
  private nextWatchId = 1;
  /** Per page: 1 when some watchpoint with read, 2 with write (bits) overlaps it. */
  private readonly watchedPages: Uint8Array;
  /** Set by a slow-path access that hit a watchpoint; the machine consumes it. */
  watchHit: WatchHit | null = null;
  /** Set by a slow-path access that reached no RAM and no device (a bus error). */
  fault = false;
  /** Set when the last slow-path access touched a device (the engines end a block after it). */
  touchedDevice = false;
  codeWriteListener: CodeWriteListener | null = null;

  constructor(ramSize: number) {
    if (!Number.isSafeInteger(ramSize) || ramSize <= 0 || ramSize > 2 ** 32 || ramSize % PAGE_SIZE !== 0) {
      throw new MachineError('bad-ram-size', `RAM size ${ramSize} must be a positive multiple of ${PAGE_SIZE} bytes, at most 4 GiB`);
    }
    this.ramSize = ramSize;
    this.ramPages = ramSize / PAGE_SIZE;
    // Sized to RAM: an index past the end reads `undefined`, which the engines treat like null.
    this.pages = new Array<Int32Array | null>(this.ramPages).fill(null);
    this.readPages = new Array<Int32Array | null>(this.ramPages).fill(null);
    this.writePages = new Array<Int32Array | null>(this.ramPages).fill(null);
    this.codePages = new Uint8Array(PAGE_COUNT);
    this.watchedPages = new Uint8Array(PAGE_COUNT);
  }

  // ---- devices -------------------------------------------------------------------------------

  addDevice(device: Device): void {
    const { base, size, name } = device;
    if (!Number.isInteger(base) || !Number.isInteger(size) || base < 0 || size <= 0 || base + size > 2 ** 32) {
      throw new MachineError('bad-device', `device ${name}: range 0x${base.toString(16)}+0x${size.toString(16)} is outside the 32-bit address space`);
    }
    if (base < this.ramSize) {
      throw new MachineError('device-overlaps-ram', `device ${name} at 0x${base.toString(16)} overlaps RAM [0, 0x${this.ramSize.toString(16)}); place devices above RAM`);
    }
    for (const d of this.devices) {
      if (base < d.base + d.size && d.base < base + size) {
        throw new MachineError('device-overlap', `device ${name} overlaps device ${d.name}`);
      }
    }
    this.devices.push(device);
  }

  get deviceList(): readonly Device[] {
    return this.devices;
  }

  deviceAt(addr: number): Device | undefined {
    for (const d of this.devices) if (addr >= d.base && addr < d.base + d.size) return d;
    return undefined;
  }

  // ---- pages ---------------------------------------------------------------------------------

  /** The RAM page for page number `n`, allocating it; null when `n` is not RAM. */
  page(n: number): Int32Array | null {
    if (n >= this.ramPages) return null;
    let p = this.pages[n]!;
    if (p === null) {
      p = new Int32Array(PAGE_WORDS);
      this.pages[n] = p;
      this.refreshFastPaths(n);
    }
    return p;
  }

  /** Recomputes the fast-path entries of page `n` after its state changed. */
  refreshFastPaths(n: number): void {
    if (n >= this.ramPages) return;
    const p = this.pages[n]!;
    const watched = this.watchedPages[n]!;
    this.readPages[n] = p !== null && (watched & 1) === 0 ? p : null;
    this.writePages[n] = p !== null && (watched & 2) === 0 && this.codePages[n] === 0 ? p : null;
  }

  /** Marks page `n` as holding translated code (stores to it must go through the slow path). */
  markCodePage(n: number): void {
    if (this.codePages[n] === 0) {
      this.codePages[n] = 1;
      this.refreshFastPaths(n);
    }
  }

  unmarkCodePage(n: number): void {
    if (this.codePages[n] !== 0) {
      this.codePages[n] = 0;
      this.refreshFastPaths(n);
    }
  }

  // ---- slow-path accesses (physical, aligned; the CPU checks alignment) -----------------------

  /** Loads `width` bytes at aligned `addr`; zero-extended. Sets `fault` on a bus error. */
  read(addr: number, width: Width): number {
    const n = addr >>> PAGE_SHIFT;
    const p = this.page(n);
    let value: number;
    if (p !== null) {
      value = extract(p[(addr >>> 2) & (PAGE_WORDS - 1)]!, addr, width);
    } else {
      const d = this.deviceAt(addr);
      if (d === undefined) {
        this.fault = true;
        return 0;
      }
      this.touchedDevice = true;
      value = d.read(addr - d.base, width) >>> 0;
      value = width === 4 ? value : width === 2 ? value & 0xffff : value & 0xff;
    }
    if (this.watchedPages[n]! & 1) this.checkWatch(addr, width, 'read', value);
    return value;
  }

  /** Stores the low `width` bytes of `value` at aligned `addr`. Sets `fault` on a bus error. */
  write(addr: number, width: Width, value: number): void {
    const n = addr >>> PAGE_SHIFT;
    const p = this.page(n);
    if (p !== null) {
      const i = (addr >>> 2) & (PAGE_WORDS - 1);
      p[i] = width === 4 ? value : insert(p[i]!, addr, width, value);
      if (this.codePages[n] !== 0 && this.codeWriteListener !== null) this.codeWriteListener((addr & ~3) >>> 0, 4);
    } else {
      const d = this.deviceAt(addr);
      if (d === undefined) {
        this.fault = true;
        return;
      }
      this.touchedDevice = true;
      d.write(addr - d.base, width, width === 4 ? value >>> 0 : width === 2 ? value & 0xffff : value & 0xff);
    }
    if (this.watchedPages[n]! & 2) this.checkWatch(addr, width, 'write', value);
  }

  /** Reads a big-endian word for an instruction fetch (no watchpoints). Null on a bus error. */
  fetch(addr: number): number | null {
    const n = addr >>> PAGE_SHIFT;
    const p = this.page(n);
    if (p !== null) return p[(addr >>> 2) & (PAGE_WORDS - 1)]!;
    const d = this.deviceAt(addr);
    if (d === undefined) return null;
    return d.read(addr - d.base, 4) | 0;
  }

  // ---- host access (not through a CPU: no watchpoints, devices not touched for reads of RAM) ---

  /** Copies `len` bytes of physical memory (RAM or device registers read bytewise). */
  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = (addr + i) >>> 0;
      const n = a >>> PAGE_SHIFT;
      const p = n < this.ramPages ? this.pages[n]! : null;
      if (p !== null) out[i] = extract(p[(a >>> 2) & (PAGE_WORDS - 1)]!, a, 1);
      else if (n >= this.ramPages) {
        const d = this.deviceAt(a);
        out[i] = d === undefined ? 0 : d.read(a - d.base, 1) & 0xff;
      }
    }
    return out;
  }

  /** Writes bytes into physical memory, invalidating translated code that they cover. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    let i = 0;
    const len = bytes.length;
    while (i < len) {
      const a = (addr + i) >>> 0;
      const n = a >>> PAGE_SHIFT;
      if (n >= this.ramPages) {
        const d = this.deviceAt(a);
        if (d === undefined) throw new MachineError('bad-address', `physical address 0x${a.toString(16)} is neither RAM nor a device`);
        d.write(a - d.base, 1, bytes[i]!);
        i++;
        continue;
      }
      const p = this.page(n)!;
      if ((a & 3) === 0 && len - i >= 4) {
        p[(a >>> 2) & (PAGE_WORDS - 1)] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
        i += 4;
      } else {
        const w = (a >>> 2) & (PAGE_WORDS - 1);
        p[w] = insert(p[w]!, a, 1, bytes[i]!);
        i++;
      }
    }
    if (this.codeWriteListener !== null && len > 0) {
      // Tell the engines about every code page the write covered, word-aligned (unsigned arithmetic:
      // addresses reach 2^32, where JavaScript's bitwise operators would turn them negative).
      const start = addr >>> 0;
      const first = start - (start % 4);
      const last = Math.min(2 ** 32, Math.ceil((start + len) / 4) * 4);
      for (let a = first; a < last; a = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE) {
        const n = Math.floor(a / PAGE_SIZE);
        const end = Math.min(last, (n + 1) * PAGE_SIZE);
        if (this.codePages[n] !== 0) this.codeWriteListener(a, end - a);
      }
    }
  }

  /** Reads one aligned big-endian word of RAM (0 for an unallocated page; devices read). */
  readWord(addr: number): number {
    const n = addr >>> PAGE_SHIFT;
    const p = this.pages[n];
    if (p) return p[(addr >>> 2) & (PAGE_WORDS - 1)]! >>> 0;
    if (n < this.ramPages) return 0;
    const d = this.deviceAt(addr);
    return d === undefined ? 0 : d.read(addr - d.base, 4) >>> 0;
  }

  /** Writes one aligned word atomically (between instructions), invalidating code it covers. */
  writeWord(addr: number, value: number): void {
    const n = addr >>> PAGE_SHIFT;
    const p = this.page(n);
    if (p === null) {
      const d = this.deviceAt(addr);
      if (d === undefined) throw new MachineError('bad-address', `physical address 0x${(addr >>> 0).toString(16)} is neither RAM nor a device`);
      d.write(addr - d.base, 4, value >>> 0);
      return;
    }
    p[(addr >>> 2) & (PAGE_WORDS - 1)] = value | 0;
    if (this.codePages[n] !== 0 && this.codeWriteListener !== null) this.codeWriteListener((addr & ~3) >>> 0, 4);
  }

  // ---- watchpoints ---------------------------------------------------------------------------

  addWatchpoint(addr: number, len: number, read: boolean, write: boolean): Watchpoint {
    if (len <= 0 || !Number.isInteger(len)) throw new MachineError('bad-watchpoint', `watchpoint length ${len} must be a positive integer`);
    const wp: Watchpoint = { id: this.nextWatchId++, addr: addr >>> 0, len, read, write };
    this.watchpoints.push(wp);
    this.recomputeWatchedPages();
    return wp;
  }

  removeWatchpoint(id: number): boolean {
    const i = this.watchpoints.findIndex((w) => w.id === id);
    if (i < 0) return false;
    this.watchpoints.splice(i, 1);
    this.recomputeWatchedPages();
    return true;
  }

  get watchpointList(): readonly Watchpoint[] {
    return this.watchpoints;
  }

  private recomputeWatchedPages(): void {
    const touched = new Set<number>();
    for (let n = 0; n < PAGE_COUNT; n++) {
      if (this.watchedPages[n] !== 0) {
        this.watchedPages[n] = 0;
        touched.add(n);
      }
    }
    for (const w of this.watchpoints) {
      const first = w.addr >>> PAGE_SHIFT;
      const last = Math.min(PAGE_COUNT - 1, Math.floor((w.addr + w.len - 1) / PAGE_SIZE));
      for (let n = first; n <= last; n++) {
        this.watchedPages[n] = this.watchedPages[n]! | (w.read ? 1 : 0) | (w.write ? 2 : 0);
        touched.add(n);
      }
    }
    for (const n of touched) this.refreshFastPaths(n);
  }

  private checkWatch(addr: number, width: number, access: 'read' | 'write', value: number): void {
    if (this.watchHit !== null) return;
    for (const w of this.watchpoints) {
      if ((access === 'read' ? w.read : w.write) && addr < w.addr + w.len && w.addr < addr + width) {
        this.watchHit = { watchpoint: w, addr, width, access, value: value >>> 0 };
        return;
      }
    }
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** Copies of every allocated RAM page, by page number. */
  snapshotPages(): Map<number, Int32Array> {
    const out = new Map<number, Int32Array>();
    for (let n = 0; n < this.ramPages; n++) {
      const p = this.pages[n];
      if (p) out.set(n, p.slice());
    }
    return out;
  }

  /** Replaces RAM with `pages` (other pages become unallocated, reading as zero). */
  restorePages(pages: ReadonlyMap<number, Int32Array>): void {
    for (let n = 0; n < this.ramPages; n++) {
      const src = pages.get(n);
      if (src) {
        let p = this.pages[n];
        if (!p) {
          p = new Int32Array(PAGE_WORDS);
          this.pages[n] = p;
        }
        p.set(src);
      } else if (this.pages[n]) {
        this.pages[n] = null;
      }
      this.refreshFastPaths(n);
    }
  }
}

/** The `width`-byte big-endian field at `addr` inside `word`, zero-extended. */
export function extract(word: number, addr: number, width: Width): number {
  if (width === 4) return word >>> 0;
  if (width === 2) return (word >>> ((2 - (addr & 2)) << 3)) & 0xffff;
  return (word >>> ((3 - (addr & 3)) << 3)) & 0xff;
}

/** `word` with the `width`-byte big-endian field at `addr` replaced by the low bits of `value`. */
export function insert(word: number, addr: number, width: Width, value: number): number {
  if (width === 4) return value | 0;
  const shift = width === 2 ? (2 - (addr & 2)) << 3 : (3 - (addr & 3)) << 3;
  const mask = (width === 2 ? 0xffff : 0xff) << shift;
  return (word & ~mask) | ((value << shift) & mask);
}
