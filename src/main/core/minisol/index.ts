// minisol on the host: boot configuration and parameters, mkfs and fsck, kstats, panics, threads, and running the guest.
export { MinisolError } from './errors.ts';
export {
  DEFAULT_CONFIG, WORKLOADS, WORKLOAD_BITS, resolveConfig,
  type BootConfig, type BootConfigInput, type WorkloadName, type ProxyConfig, type MirrorConfig, type ReadersConfig, type MixedConfig,
} from './config.ts';
export { BOOTPARAM_ADDR, BOOTPARAM_FIELDS, BOOTPARAM_MAGIC, NET, bootParamValues, encodeBootParams, type BootParamField } from './bootparams.ts';
export { mkfs, proxyCachePath, type MkfsResult } from './mkfs.ts';
export { fsck, readFileFromImage, type FsckReport, type FsckOptions } from './fsck.ts';
export * as fsLayout from './fs-layout.ts';
export { dataFileByte, mirrorFileByte, mirrorFileSize, proxyObjectByte, proxyObjectSize, proxyLayout } from './contents.ts';
export { KstatLayout, readKstatTotal, readKstats, readNameTable, type KstatSnapshot, type ProcKstat, type MemoryReader } from './kstat.ts';
export { readPanic, walkStack, PANIC_MAGIC, type PanicReport } from './panic.ts';
export { listThreads, type GuestThread } from './threads.ts';
export { KernelSymbols } from './symbols.ts';
export { MinisolSystem, type BootOptions, type RunOutcome, type SystemState } from './system.ts';
export { runMinisol, throughputOf, type RunReport, type RunOptions, type WorkloadThroughput } from './run.ts';
