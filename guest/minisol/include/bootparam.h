/*
 * minisol: the boot-parameter block, written by the host at BOOTPARAM_ADDR before the CPUs start
 * (src/main/core/minisol/bootparams.ts mirrors BOOTPARAM_FIELDS; a test checks they agree).
 * Every field is a 32-bit big-endian word; field i is at offset 4*i.
 */
#ifndef _MINISOL_BOOTPARAM_H
#define _MINISOL_BOOTPARAM_H

#define BOOTPARAM_MAGIC   0x4d534250     /* "MSBP" */
#define BOOTPARAM_VERSION 1

#define BOOTPARAM_FIELDS(X) \
	X(magic) X(version) X(ncpus) X(seed) X(cycles_per_sec) X(hz) X(memsize) X(workloads) \
	X(ncsize) X(nbuf) X(flags) X(run_ticks) \
	X(proxy_procs) X(proxy_urls) X(proxy_hitpct) X(proxy_meansize) X(proxy_trunc_mode) X(proxy_think) \
	X(mirror_conns) X(mirror_files) X(net_ip) X(net_mac_hi) X(net_mac_lo) X(net_server_ip) X(net_port) \
	X(readers_procs) X(readers_files) X(readers_iosize) X(readers_random) X(ra_seq) X(ra_rand) \
	X(mixed_forkers) X(mixed_spinners) X(mixed_lockers) X(mixed_sleepers) X(mixed_iters) \
	X(disk_sectors)

#define BP_ENUM(name) BP_##name,
enum { BOOTPARAM_FIELDS(BP_ENUM) BP_NFIELDS };
#undef BP_ENUM

/* workloads bitmask */
#define WL_PROXY   0x1
#define WL_MIRROR  0x2
#define WL_READERS 0x4
#define WL_MIXED   0x8

/* flags */
#define BPF_VERBOSE    0x1
#define BPF_NOSYNC     0x2
#define BPF_PANIC_TEST 0x4      /* panic after mounting root (tests the host's panic report) */
#define BPF_TRAP_TEST  0x8      /* take an unaligned load after mounting root (an unexpected trap) */

#endif
