/*
 * workload: starting the programs. workload_start (kernel side, from the main thread) forks init,
 * pid 1, whose program (init_main, user side: system calls only) starts each workload the
 * boot-parameter block asks for and reaps orphans until shutdown.
 */
#include "sys.h"

/* init is a user program: it uses only the system-call stubs of libc (libc.h) */
extern int fork(void (*entry)(void *), void *arg, const char *name);
extern int waitpid(int pid, int *status);
extern int usleep(uint_t usec);
extern int setname(const char *name, int workload);
extern uint_t bootparam_get(int field);
extern void proxy_main(void *arg);
extern void mirror_main(void *arg);
extern void readers_main(void *arg);
extern void mixed_main(void *arg);

static uint_t workload_mask;
static const char *const workload_names[] = { "proxy", "mirror", "readers", "mixed" };

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	int i;
	workload_mask = bootparam[BP_workloads];
	printf("workload:");
	for (i = 0; i < 4; i++)
		if (workload_mask & (1u << i))
			printf(" %s", workload_names[i]);
	printf("%s (seed %u)\n", workload_mask == 0 ? " none" : "", bootparam[BP_seed]);
}

static void
init_main(void *arg)
{
	uint_t wl = bootparam_get(BP_workloads);
	int status;
	(void)arg;
	setname("init", 0);
	if (wl & WL_PROXY)
		fork(proxy_main, NULL, "proxy");
	if (wl & WL_MIRROR)
		fork(mirror_main, NULL, "mirror");
	if (wl & WL_READERS)
		fork(readers_main, NULL, "readers");
	if (wl & WL_MIXED)
		fork(mixed_main, NULL, "mixed");
	for (;;) {
		int pid = waitpid(0, &status);
		if (pid < 0)
			usleep(20000);
	}
}

void
workload_start(void)
{
	int pid = cfork(init_main, NULL, "init");
	if (pid != 1)
		cmn_err(CE_WARN, "workload: init got pid %d", pid);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	if (workload_mask != 0) {
		cmn_err(CE_NOTE, "workload: cannot unload while %s runs", workload_names[0]);
		return EBUSY;
	}
	return 0;
}

struct modlinkage workload_modlinkage = { "workload", _init, _fini, 0, 0 };
