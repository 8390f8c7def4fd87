// What a minisol boot is made of: CPUs, engine, seed, memory, the workloads and their knobs, the disk, the network peer.
import type { DiskTiming, MirrorTraffic } from '../machine/index.ts';
import { MinisolError } from './errors.ts';

export const WORKLOADS = ['proxy', 'mirror', 'readers', 'mixed'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
/** Bit of each workload in the boot-parameter block (guest: WL_*). */
export const WORKLOAD_BITS: Record<WorkloadName, number> = { proxy: 1, mirror: 2, readers: 4, mixed: 8 };

export interface ProxyConfig {
  /** Worker processes (Squid-like proxies), each with its own URLs and cache files. */
  procs: number;
  /** Distinct URLs in the working set over all workers; the cache holds half of them. */
  urls: number;
  /** Percent of requests that repeat a recently requested URL (WPB's temporal locality). */
  hitPct: number;
  meanSize: number;
  /** 'truncate': Squid's open(O_CREAT|O_TRUNC) on every miss; 'overwrite': the talk's fix. */
  truncMode: 'truncate' | 'overwrite';
  /** Origin-server latency of a miss, in microseconds of virtual time. */
  thinkUs: number;
}

export interface MirrorConfig extends MirrorTraffic {
  /** Simultaneous connections, one process and one server each (the talk: 10). */
  conns: number;
  /** Files per connection before the client closes it and reconnects. */
  filesPerConn: number;
}

export interface ReadersConfig {
  procs: number;
  /** Files in /data (made by mkfs) and their size in bytes. */
  files: number;
  fileSize: number;
  ioSize: number;
  /** The first `random` readers read at random offsets, the others sequentially. */
  random: number;
  /** ufs_prefetch_policy's defaults: blocks of readahead for sequential and for other misses. */
  raSeq: number;
  raRand: number;
}

export interface MixedConfig {
  forkers: number;
  spinners: number;
  lockers: number;
  sleepers: number;
  /** Forks per forker (0: until shutdown). */
  iters: number;
}

export interface BootConfig {
  cpus: number;
  engine: 'fast' | 'reference';
  seed: number;
  /** Virtual CPU clock: cycles per second (virtual time is CPU 0's cycles). */
  cyclesPerSecond: number;
  /** Clock ticks per second. */
  hz: number;
  /** Bytes of memory for the kernel heap and the page pool. */
  memsize: number;
  workloads: WorkloadName[];
  /** DNLC entries (the talk's second fix makes it bigger). */
  ncsize: number;
  /** Buffer-cache buffers (4 KB each). */
  nbuf: number;
  /** Kernel messages to the host log as they happen. */
  verbose: boolean;
  /** A deliberate guest failure after boot, to exercise the panic report: a panic() or an unexpected trap. */
  failure: 'none' | 'panic' | 'trap';
  /** Steps a CPU runs before the machine's scheduler switches CPUs. */
  quantum: number;
  /** When set, each machine slice's length is drawn from [1, quantum] by a PRNG with this seed (seeded random interleavings). */
  quantumSeed: number | null;
  disk: { sizeMB: number; timing?: DiskTiming };
  proxy: ProxyConfig;
  mirror: MirrorConfig;
  readers: ReadersConfig;
  mixed: MixedConfig;
}

export const DEFAULT_CONFIG: BootConfig = {
  cpus: 1,
  engine: 'fast',
  seed: 1,
  cyclesPerSecond: 100_000_000,
  hz: 1000,
  memsize: 24 << 20,
  workloads: [],
  ncsize: 128,
  nbuf: 256,
  verbose: false,
  failure: 'none',
  quantum: 200,
  quantumSeed: null,
  disk: { sizeMB: 32 },
  proxy: { procs: 4, urls: 2048, hitPct: 30, meanSize: 8192, truncMode: 'truncate', thinkUs: 200 },
  mirror: { conns: 10, filesPerConn: 8, lossPct: 2, reorderPct: 2, urgentPct: 1, dupAckPct: 2, windowPct: 3, optionsPct: 3, rstPct: 2, bandwidth: 100_000_000, delayUs: 300 },
  readers: { procs: 4, files: 4, fileSize: 256 * 1024, ioSize: 8192, random: 2, raSeq: 4, raRand: 1 },
  mixed: { forkers: 2, spinners: 2, lockers: 2, sleepers: 2, iters: 0 },
};

export type BootConfigInput = Partial<Omit<BootConfig, 'disk' | 'proxy' | 'mirror' | 'readers' | 'mixed'>> & {
  disk?: Partial<BootConfig['disk']>;
  proxy?: Partial<ProxyConfig>;
  mirror?: Partial<MirrorConfig>;
  readers?: Partial<ReadersConfig>;
  mixed?: Partial<MixedConfig>;
};

/** The defaults overlaid with `input`, checked. */
export function resolveConfig(input: BootConfigInput = {}): BootConfig {
  const c: BootConfig = {
    ...DEFAULT_CONFIG,
    ...input,
    disk: { ...DEFAULT_CONFIG.disk, ...input.disk },
    proxy: { ...DEFAULT_CONFIG.proxy, ...input.proxy },
    mirror: { ...DEFAULT_CONFIG.mirror, ...input.mirror },
    readers: { ...DEFAULT_CONFIG.readers, ...input.readers },
    mixed: { ...DEFAULT_CONFIG.mixed, ...input.mixed },
    workloads: [...(input.workloads ?? DEFAULT_CONFIG.workloads)],
  };
  const bad = (what: string, why: string): never => {
    throw new MinisolError('bad-config', `minisol configuration: ${what} ${why}`);
  };
  if (!Number.isInteger(c.cpus) || c.cpus < 1 || c.cpus > 16) bad('cpus', `must be 1..16, not ${c.cpus}`);
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) bad('seed', `must be an integer 0..2^32-1, not ${c.seed}`);
  if (c.quantumSeed !== null && (!Number.isInteger(c.quantumSeed) || c.quantumSeed < 0 || c.quantumSeed > 0xffffffff)) bad('quantumSeed', `must be null or an integer 0..2^32-1, not ${c.quantumSeed}`);
  if (c.hz < 10 || c.hz > 10000) bad('hz', `must be 10..10000, not ${c.hz}`);
  if (c.cyclesPerSecond < 1_000_000 || c.cyclesPerSecond > 4_000_000_000) bad('cyclesPerSecond', `must be 1e6..4e9, not ${c.cyclesPerSecond}`);
  if (c.memsize < 8 << 20 || c.memsize > 512 << 20) bad('memsize', `must be 8..512 MB, not ${c.memsize}`);
  if (c.ncsize < 8 || c.ncsize > 65536) bad('ncsize', `must be 8..65536, not ${c.ncsize}`);
  if (c.nbuf < 16 || c.nbuf > 8192) bad('nbuf', `must be 16..8192, not ${c.nbuf}`);
  if (c.disk.sizeMB < 4 || c.disk.sizeMB > 1024) bad('disk.sizeMB', `must be 4..1024, not ${c.disk.sizeMB}`);
  for (const w of c.workloads) if (!WORKLOADS.includes(w)) bad('workloads', `has unknown "${w}"; known: ${WORKLOADS.join(', ')}`);
  if (c.proxy.procs < 1 || c.proxy.procs > 16) bad('proxy.procs', `must be 1..16, not ${c.proxy.procs}`);
  if (c.mirror.conns < 1 || c.mirror.conns > 32) bad('mirror.conns', `must be 1..32, not ${c.mirror.conns}`);
  if (c.readers.procs < 1 || c.readers.procs > 32) bad('readers.procs', `must be 1..32, not ${c.readers.procs}`);
  if (c.readers.files < 1 || c.readers.files > 64) bad('readers.files', `must be 1..64, not ${c.readers.files}`);
  if (c.readers.ioSize < 512 || c.readers.ioSize > 16384) bad('readers.ioSize', `must be 512..16384, not ${c.readers.ioSize}`);
  if (c.readers.raSeq < 0 || c.readers.raSeq > 64 || c.readers.raRand < 0 || c.readers.raRand > 64) bad('readers.raSeq/raRand', 'must be 0..64');
  return c;
}
