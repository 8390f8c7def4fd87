/*
 * kstat: the kernel's own statistics. Per-CPU 64-bit counters (kstat_cpu) for calls of key
 * functions, cache hits and misses, bytes moved, and per-process counters (kstat_proc) such as
 * preemptions and read latency. The host reads them by symbol, with the names from kstat_names.
 */
#include "sys.h"

#define KS_NAME(name) #name,
const char *const kstat_names[] = { KSTAT_FIELDS(KS_NAME) };
const char *const kstat_proc_names[] = { KSTAT_PROC_FIELDS(KS_NAME) };
#undef KS_NAME
const uint_t kstat_nfields = KS_NFIELDS;
const uint_t kstat_proc_nfields = KSP_NFIELDS;
const uint_t kstat_proc_size = sizeof (struct kstat_proc);
const uint_t kstat_ncpu = MAXCPU;
const uint_t kstat_nproc = NPROC;
const uint_t kstat_cpu_stride = KS_NFIELDS * sizeof (uint64_t);
const uint_t kstat_version = 1;

/*
 * Where the host's debugger finds threads (src/main/core/minisol/threads.ts): the field offsets of
 * kthread_t and proc_t, in this order.
 */
extern kthread_t *allthreads;
const uint_t kthread_layout[] = {
	offsetof(kthread_t, t_next), offsetof(kthread_t, t_state), offsetof(kthread_t, t_flag),
	offsetof(kthread_t, t_wchan), offsetof(kthread_t, t_pri), offsetof(kthread_t, t_procp),
	offsetof(kthread_t, t_sp), offsetof(kthread_t, t_pc), offsetof(kthread_t, t_name),
	offsetof(kthread_t, t_cpu), offsetof(proc_t, p_pid), offsetof(cpu_t, cpu_id),
};

uint64_t kstat_cpu[MAXCPU][KS_NFIELDS] __aligned(8);
struct kstat_proc kstat_proc[NPROC] __aligned(8);
static int kstat_initialized;
static uint_t kstat_snapshots;

/* Run once at boot from the module table; springboard space afterwards. */
static __noinline __used void
_init(void)
{
	int i, f;
	uint_t bytes = 0;
	for (i = 0; i < MAXCPU; i++)
		for (f = 0; f < KS_NFIELDS; f++)
			kstat_cpu[i][f] = 0;
	for (i = 0; i < NPROC; i++) {
		for (f = 0; f < KSP_NFIELDS; f++)
			kstat_proc[i].ksp[f] = 0;
		kstat_proc[i].ksp_name[0] = '\0';
	}
	bytes = (uint_t)sizeof (kstat_cpu) + (uint_t)sizeof (kstat_proc);
	kstat_initialized = 1;
	printf("kstat: %d counters per cpu, %d per process, %u bytes of statistics\n",
	    KS_NFIELDS, KSP_NFIELDS, bytes);
}

void
kstat_proc_init(int slot, pid_t pid, pid_t ppid, const char *name, int workload)
{
	struct kstat_proc *ksp = &kstat_proc[slot];
	int f;
	for (f = 0; f < KSP_NFIELDS; f++)
		ksp->ksp[f] = 0;
	ksp->ksp[KSP_pid] = (uint64_t)pid;
	ksp->ksp[KSP_ppid] = (uint64_t)ppid;
	ksp->ksp[KSP_alive] = 1;
	ksp->ksp[KSP_workload] = (uint64_t)workload;
	strlcpy(ksp->ksp_name, name, KSTAT_PROC_NAMELEN);
}

void
kstat_result(int slot, uint_t v)
{
	struct kstat_proc *ksp = &kstat_proc[slot];
	uint_t h = ksp->ksp[KSP_result_ops] == 0 ? 2166136261u : (uint_t)ksp->ksp[KSP_result];
	int k;
	if (ksp->ksp[KSP_result_ops] >= KSTAT_RESULT_OPS)
		return;
	for (k = 0; k < 4; k++) {
		h ^= (v >> (8 * k)) & 0xff;
		h *= 16777619u;
	}
	ksp->ksp[KSP_result] = h;
	ksp->ksp[KSP_result_ops]++;
}

void
kstat_proc_exit(int slot)
{
	kstat_proc[slot].ksp[KSP_alive] = 0;
}

/* Sum of one counter over all CPUs. */
uint64_t
kstat_sum(int field)
{
	uint64_t total = 0;
	int i;
	for (i = 0; i < MAXCPU; i++)
		total += kstat_cpu[i][field];
	return total;
}

/* Copies the summed counters into buf (for the kernel's own reports). */
int
kstat_snapshot(uint64_t *buf, int n)
{
	int f;
	if (n > KS_NFIELDS)
		n = KS_NFIELDS;
	for (f = 0; f < n; f++)
		buf[f] = kstat_sum(f);
	kstat_snapshots++;
	return n;
}

int
kstat_lookup(const char *name)
{
	int f;
	for (f = 0; f < KS_NFIELDS; f++)
		if (strcmp(kstat_names[f], name) == 0)
			return f;
	return -1;
}

/* Never called: kstat cannot be unloaded. */
static __noinline __used int
_fini(void)
{
	if (kstat_initialized) {
		cmn_err(CE_NOTE, "kstat: busy (%u snapshots taken)", kstat_snapshots);
		return EBUSY;
	}
	return 0;
}

struct modlinkage kstat_modlinkage = { "kstat", _init, _fini, 1, 0 };
