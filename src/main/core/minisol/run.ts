// One measured run of minisol: boot, run T virtual seconds, read the counters, shut down cleanly, check the disk; the result the CLI and the benchmarks print.
import type { BootConfigInput, WorkloadName } from './config.ts';
import type { FsckReport } from './fsck.ts';
import type { KstatSnapshot } from './kstat.ts';
import type { PanicReport } from './panic.ts';
import { MinisolSystem, type BootOptions, type SystemState } from './system.ts';

export interface WorkloadThroughput {
  workload: WorkloadName;
  /** What the rates count, e.g. "requests". */
  unit: string;
  count: number;
  perSecond: number;
  bytes: number;
  bytesPerSecond: number;
  /** Other figures worth showing (hits, misses, resets, ...). */
  details: Record<string, number>;
}

export interface RunReport {
  state: SystemState;
  stopReason: string | null;
  cpus: number;
  engine: string;
  seed: number;
  instructions: number;
  virtualSeconds: number;
  /** Virtual seconds of the measured interval (after the warm-up). */
  measuredSeconds: number;
  hostSeconds: number;
  mips: number;
  throughput: WorkloadThroughput[];
  /** Counter deltas over the measured interval. */
  kstats: Record<string, number>;
  /** Counters at the end of the measured interval (since boot). */
  kstatsTotal: KstatSnapshot;
  panic: PanicReport | null;
  fsck: FsckReport | null;
  memoryHash: string;
  console: string[];
}

export interface RunOptions extends BootOptions {
  seconds: number;
  /** Virtual seconds to run before measuring (counters are deltas after it). */
  warmup?: number;
  /** Skip the clean shutdown and the disk check. */
  noShutdown?: boolean;
  /** Host clock in milliseconds (Date.now by default; tests may fake it). */
  clock?: () => number;
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) out[k] = b[k]! - (a[k] ?? 0);
  return out;
}

/** Throughput of each configured workload from counter deltas over `seconds`. */
export function throughputOf(workloads: readonly WorkloadName[], k: Record<string, number>, seconds: number): WorkloadThroughput[] {
  const per = (n: number): number => (seconds > 0 ? n / seconds : 0);
  return workloads.map((w): WorkloadThroughput => {
    switch (w) {
      case 'proxy':
        return { workload: w, unit: 'requests', count: k.proxy_requests ?? 0, perSecond: per(k.proxy_requests ?? 0), bytes: k.proxy_bytes ?? 0, bytesPerSecond: per(k.proxy_bytes ?? 0),
          details: { hits: k.proxy_hits ?? 0, misses: k.proxy_misses ?? 0, ftruncates: k.proxy_ftruncate ?? 0, bad: k.proxy_bad ?? 0 } };
      case 'mirror':
        return { workload: w, unit: 'files', count: k.mirror_files ?? 0, perSecond: per(k.mirror_files ?? 0), bytes: k.mirror_bytes ?? 0, bytesPerSecond: per(k.mirror_bytes ?? 0),
          details: { connects: k.mirror_connects ?? 0, resets: k.mirror_resets ?? 0, badBytes: k.mirror_bad_bytes ?? 0 } };
      case 'readers':
        return { workload: w, unit: 'reads', count: k.readers_reads ?? 0, perSecond: per(k.readers_reads ?? 0), bytes: k.readers_bytes ?? 0, bytesPerSecond: per(k.readers_bytes ?? 0),
          details: { badBytes: k.readers_bad_bytes ?? 0, prefetchBlocks: k.ufs_prefetch_blocks ?? 0 } };
      case 'mixed':
        return { workload: w, unit: 'forks', count: k.mixed_forks ?? 0, perSecond: per(k.mixed_forks ?? 0), bytes: 0, bytesPerSecond: 0,
          details: { spins: k.mixed_iters ?? 0, lockOps: k.mixed_lock_ops ?? 0, preemptions: k.preempt ?? 0, swapins: k.hat_swapin ?? 0 } };
    }
  });
}

/** Boots `image` with `config`, runs, measures, shuts down, checks. Never throws for a guest failure: see `state`. */
export function runMinisol(image: Uint8Array, config: BootConfigInput, options: RunOptions): RunReport {
  const clock = options.clock ?? Date.now;
  const t0 = clock();
  const sys = MinisolSystem.boot(image, config, options);
  if (options.warmup && options.warmup > 0) sys.runFor(options.warmup);
  const start = sys.state === 'running' ? sys.kstats().totals : null;
  const startTime = sys.seconds;
  sys.runFor(options.seconds);
  const endSnapshot = sys.kstats();
  const measuredSeconds = sys.seconds - startTime;
  const instructions = sys.instructions;
  const virtualSeconds = sys.seconds;
  const hostSeconds = (clock() - t0) / 1000;
  const k = diff(start ?? {}, endSnapshot.totals);
  let fsck: FsckReport | null = null;
  if (!options.noShutdown && sys.state === 'running') sys.shutdown();
  if (!options.noShutdown && sys.state === 'halted') fsck = sys.fsck();
  return {
    state: sys.state,
    stopReason: sys.stopReason,
    cpus: sys.config.cpus,
    engine: sys.config.engine,
    seed: sys.config.seed,
    instructions,
    virtualSeconds,
    measuredSeconds,
    hostSeconds,
    mips: hostSeconds > 0 ? instructions / hostSeconds / 1e6 : 0,
    throughput: throughputOf(sys.config.workloads, k, measuredSeconds),
    kstats: k,
    kstatsTotal: endSnapshot,
    panic: sys.state === 'panicked' ? sys.panic() : null,
    fsck,
    memoryHash: sys.memoryHash(),
    console: [...sys.console.lines],
  };
}
