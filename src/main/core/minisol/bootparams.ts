// The boot-parameter block the host writes at BOOTPARAM_ADDR before the CPUs start (guest/minisol/include/bootparam.h).
import type { BootConfig } from './config.ts';
import { WORKLOAD_BITS } from './config.ts';

export const BOOTPARAM_ADDR = 0xf0000000;
export const BOOTPARAM_MAGIC = 0x4d534250;
export const BOOTPARAM_VERSION = 1;

/** The fields, in order: field i is the big-endian word at BOOTPARAM_ADDR + 4i. */
export const BOOTPARAM_FIELDS = [
  'magic', 'version', 'ncpus', 'seed', 'cycles_per_sec', 'hz', 'memsize', 'workloads',
  'ncsize', 'nbuf', 'flags', 'run_ticks',
  'proxy_procs', 'proxy_urls', 'proxy_hitpct', 'proxy_meansize', 'proxy_trunc_mode', 'proxy_think',
  'mirror_conns', 'mirror_files', 'net_ip', 'net_mac_hi', 'net_mac_lo', 'net_server_ip', 'net_port',
  'readers_procs', 'readers_files', 'readers_iosize', 'readers_random', 'ra_seq', 'ra_rand',
  'mixed_forkers', 'mixed_spinners', 'mixed_lockers', 'mixed_sleepers', 'mixed_iters',
  'disk_sectors',
] as const;
export type BootParamField = (typeof BOOTPARAM_FIELDS)[number];

/** Network addresses of the guest and of the traffic generator's servers. */
export const NET = {
  guestIp: 0x0a000102, // 10.0.1.2
  serverIp: 0x0a000001, // 10.0.0.1 .. 10.0.0.N
  port: 80,
  peerMac: [0x08, 0x00, 0x20, 0x70, 0x65, 0x72] as const,
  guestMac: [0x08, 0x00, 0x20, 0x4d, 0x53, 0x01] as const,
} as const;

export const BPF_VERBOSE = 0x1;
export const BPF_PANIC_TEST = 0x4;
export const BPF_TRAP_TEST = 0x8;

/** The block's field values for a configuration. */
export function bootParamValues(config: BootConfig, diskSectors: number, runTicks = 0): Record<BootParamField, number> {
  const mask = config.workloads.reduce((m, w) => m | WORKLOAD_BITS[w], 0);
  const mac = NET.peerMac;
  return {
    magic: BOOTPARAM_MAGIC,
    version: BOOTPARAM_VERSION,
    ncpus: config.cpus,
    seed: config.seed >>> 0,
    cycles_per_sec: config.cyclesPerSecond,
    hz: config.hz,
    memsize: config.memsize,
    workloads: mask,
    ncsize: config.ncsize,
    nbuf: config.nbuf,
    flags: (config.verbose ? BPF_VERBOSE : 0) | (config.failure === 'panic' ? BPF_PANIC_TEST : config.failure === 'trap' ? BPF_TRAP_TEST : 0),
    run_ticks: runTicks,
    proxy_procs: config.proxy.procs,
    proxy_urls: config.proxy.urls,
    proxy_hitpct: config.proxy.hitPct,
    proxy_meansize: config.proxy.meanSize,
    proxy_trunc_mode: config.proxy.truncMode === 'truncate' ? 0 : 1,
    proxy_think: config.proxy.thinkUs,
    mirror_conns: config.mirror.conns,
    mirror_files: config.mirror.filesPerConn,
    net_ip: NET.guestIp,
    net_mac_hi: (mac[0] << 8) | mac[1],
    net_mac_lo: ((mac[2] << 24) | (mac[3] << 16) | (mac[4] << 8) | mac[5]) >>> 0,
    net_server_ip: NET.serverIp,
    net_port: NET.port,
    readers_procs: config.readers.procs,
    readers_files: config.readers.files,
    readers_iosize: config.readers.ioSize,
    readers_random: config.readers.random,
    // 0 means "the kernel's default", so the block carries value + 1
    ra_seq: config.readers.raSeq + 1,
    ra_rand: config.readers.raRand + 1,
    mixed_forkers: config.mixed.forkers,
    mixed_spinners: config.mixed.spinners,
    mixed_lockers: config.mixed.lockers,
    mixed_sleepers: config.mixed.sleepers,
    mixed_iters: config.mixed.iters,
    disk_sectors: diskSectors,
  };
}

/** The block's bytes. */
export function encodeBootParams(values: Record<BootParamField, number>): Uint8Array {
  const out = new Uint8Array(BOOTPARAM_FIELDS.length * 4);
  const view = new DataView(out.buffer);
  BOOTPARAM_FIELDS.forEach((f, i) => view.setUint32(i * 4, values[f] >>> 0, false));
  return out;
}
