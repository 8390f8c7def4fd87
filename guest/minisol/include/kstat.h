/*
 * minisol: kernel statistics, the ground truth instrumentation is checked against.
 * kstat_cpu[cpu][field] are 64-bit per-CPU counters (sum them over CPUs); kstat_proc[slot] holds
 * per-process counters. The image carries the field names (kstat_names, kstat_proc_names) so the
 * host reads them by symbol without a mirrored list.
 */
#ifndef _MINISOL_KSTAT_H
#define _MINISOL_KSTAT_H
#include "types.h"

#define KSTAT_FIELDS(X) \
	/* genunix: system calls and files */ \
	X(syscalls) X(syscall_errors) X(copen) X(falloc) X(falloc_scanned) X(closef) X(vn_open) \
	X(vn_create) X(lookuppn) X(vn_rele) X(vn_inactive) X(copen_cycles) X(falloc_cycles) \
	X(vn_open_cycles) X(vn_create_cycles) X(lookuppn_cycles) \
	/* genunix: processes, scheduling, synchronization */ \
	X(cfork) X(exit) X(wait) X(clock) X(clock_tick) X(preempt) X(kpreempt) X(disp) X(swtch) \
	X(setrun) X(sleep) X(wakeup) X(inv_swtch) X(vol_swtch) X(idle_swtch) X(poke) \
	X(mutex_enter) X(mutex_spin) X(mutex_block) X(cv_wait) X(cv_signal) X(callout) \
	/* genunix: kmem */ \
	X(kmem_alloc) X(kmem_free) X(kmem_alloc_bytes) X(kmem_slab_create) X(kmem_large) \
	X(allocb) X(freeb) \
	/* dnlc */ \
	X(dnlc_lookup) X(dnlc_hits) X(dnlc_misses) X(dnlc_enter) X(dnlc_remove) X(dnlc_reclaim) \
	/* ufs and the buffer cache */ \
	X(ufs_lookup) X(ufs_dirlook) X(ufs_dirlook_blocks) X(ufs_create) X(ufs_create_cycles) \
	X(ufs_create_trunc) X(ufs_create_trunc_cycles) \
	X(ufs_itrunc) X(ufs_itrunc_cycles) X(ufs_itrunc_blocks) X(ufs_read) X(ufs_write) \
	X(ufs_getpage) X(ufs_getpage_miss) X(ufs_prefetch) X(ufs_prefetch_blocks) X(ufs_putpage) \
	X(ufs_iget) X(ufs_iget_miss) X(ufs_ialloc) X(ufs_ifree) X(ufs_alloc) X(ufs_free) \
	X(ufs_iupdat) X(ufs_iupdat_sync) X(ufs_direnter) X(ufs_dirremove) X(ufs_inactive) \
	X(read_bytes) X(write_bytes) X(bread) X(bread_miss) X(bwrite) X(bdwrite) X(bawrite) \
	X(getblk) X(brelse) X(biowait_cycles) \
	/* sd */ \
	X(sdstrategy) X(sdintr) X(sd_reads) X(sd_writes) X(sd_bytes_read) X(sd_bytes_written) \
	X(sd_busy_cycles) \
	/* network */ \
	X(hmeintr) X(hme_rx_frames) X(hme_tx_frames) X(hme_start) X(hme_tx_full) X(ip_rput) \
	X(ip_csum_hdr) X(ip_wput) X(ip_bad) X(icmp_in) X(tcp_lookup) X(tcp_rput_data) \
	X(tcp_rput_data_cycles) X(tcp_wput) X(tcp_output) X(tcp_in_order) X(tcp_ooo) \
	X(tcp_reass_merged) X(tcp_dup_data) X(tcp_dupacks) X(tcp_fast_rexmit) X(tcp_urgent) \
	X(tcp_window_updates) X(tcp_zero_window) X(tcp_rst_rcvd) X(tcp_fin_rcvd) X(tcp_options) \
	X(tcp_rexmit_timeouts) X(tcp_bytes_rcvd) X(tcp_connects) X(tcp_established) X(tcp_closed) \
	X(tcp_bad_csum) X(sbappend) X(soreceive) X(sosend) \
	/* vm */ \
	X(hat_chgprot) X(hat_swapin) X(hat_swapout) X(hat_memload) X(hat_unload) X(as_fault) \
	X(as_dup) X(page_create) X(page_free) X(page_reclaim) X(page_lookup) X(pageout_scans) \
	X(swapin_pages) X(swapout_pages) \
	/* workloads */ \
	X(proxy_requests) X(proxy_hits) X(proxy_misses) X(proxy_bytes) X(proxy_ftruncate) X(proxy_bad) \
	X(mirror_files) X(mirror_bytes) X(mirror_connects) X(mirror_resets) X(mirror_bad_bytes) \
	X(readers_reads) X(readers_bytes) X(readers_bad_bytes) X(mixed_forks) X(mixed_iters) \
	X(mixed_lock_ops)

#define KS_ENUM(name) KS_##name,
enum { KSTAT_FIELDS(KS_ENUM) KS_NFIELDS };
#undef KS_ENUM

/* Per-process counters (slot = proc table slot). */
#define KSTAT_PROC_FIELDS(X) \
	X(pid) X(ppid) X(alive) X(syscalls) X(preempt) X(vol_swtch) X(inv_swtch) X(ticks) \
	X(read_calls) X(read_cycles) X(read_bytes) X(write_calls) X(write_bytes) X(open_calls) \
	X(open_cycles) X(forks) X(start_cycles) X(exit_cycles) X(workload) X(result_ops) X(result)

#define KSP_ENUM(name) KSP_##name,
enum { KSTAT_PROC_FIELDS(KSP_ENUM) KSP_NFIELDS };
#undef KSP_ENUM

#define KSTAT_PROC_NAMELEN 16
struct kstat_proc {
	uint64_t ksp[KSP_NFIELDS];
	char ksp_name[KSTAT_PROC_NAMELEN];
};

extern uint64_t kstat_cpu[][KS_NFIELDS];
extern struct kstat_proc kstat_proc[];

/* Increments on this CPU's row; atomic with respect to interrupts and migration (locore). */
extern void kstat_inc(int field, uint_t n);
#define KS_INC(f) kstat_inc(KS_##f, 1)
#define KS_ADD(f, n) kstat_inc(KS_##f, (uint_t)(n))
extern void kstat_padd(uint64_t *ctr, uint_t n);
#define KSP_INC(p, f) kstat_padd(&kstat_proc[(p)->p_slot].ksp[KSP_##f], 1)
#define KSP_ADD(p, f, n) kstat_padd(&kstat_proc[(p)->p_slot].ksp[KSP_##f], (uint_t)(n))
extern void kstat_proc_init(int slot, pid_t pid, pid_t ppid, const char *name, int workload);
extern void kstat_proc_exit(int slot);
/*
 * A workload process's outcome, independent of timing: the first KSTAT_RESULT_OPS values it notes
 * (what it read, served, downloaded or computed) folded with FNV-1a into ksp[KSP_result]. An
 * instrumented run must give every process the same result as an uninstrumented one.
 */
#define KSTAT_RESULT_OPS 8
extern void kstat_result(int slot, uint_t v);
/* cycles elapsed since t0, for the *_cycles counters */
#define KS_CYCLES(f, t0) kstat_inc(KS_##f, (uint_t)(gethrtime() - (t0)))

#endif
