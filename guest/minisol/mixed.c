/*
 * mixed: a general load. Forkers churn processes (fork, touch memory, change protections, make and
 * remove a file, exit, wait: cfork, as_dup, hat_*, kmem allocations of many constant sizes);
 * spinners compute and get preempted; lockers walk the process table under pidlock from several
 * CPUs (lock contention); sleepers sleep long enough to be swapped out and touch their memory
 * when they wake (hat_swapout, hat_swapin, hat_chgprot).
 */
#include "libc.h"

/* _init runs in the kernel at boot (the module table), so it may use the kernel's printf */
extern int printf(const char *fmt, ...);
extern uint_t bootparam[];

#define MIX_DATA  0x00100000u
#define MIX_HEAP  0x00200000u
#define MIX_MMAP  0x00400000u
#define UIO_WRITE_FLAG 1

static uint_t mixed_started;

/* Run once at boot. */
static __noinline __used void
_init(void)
{
	mixed_started = 0;
	if (!(bootparam[BP_workloads] & WL_MIXED))
		return;
	printf("mixed: %u forkers, %u spinners, %u lockers, %u sleepers\n", bootparam[BP_mixed_forkers],
	    bootparam[BP_mixed_spinners], bootparam[BP_mixed_lockers], bootparam[BP_mixed_sleepers]);
}

static void
mixed_child(void *arg)
{
	uint_t n = (uint_t)arg;
	char path[24];
	uchar_t *buf = ubuf();
	int fd, i;
	memtouch(MIX_DATA, 2 * 4096, UIO_WRITE_FLAG);
	brk(2 * 4096);
	memtouch(MIX_HEAP, 2 * 4096, UIO_WRITE_FLAG);
	mprotect(MIX_DATA, 4096, PROT_READ);
	memtouch(MIX_DATA, 4096, 0);
	mprotect(MIX_DATA, 4096, PROT_READ | PROT_WRITE);
	ufmt(path, sizeof (path), "/tmp/m%u", n % 64);
	fd = (n % 4) == 0 ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	if (fd >= 0) {
		for (i = 0; i < 700; i++)
			buf[i] = (uchar_t)(n + (uint_t)i);
		write(fd, buf, 700);
		close(fd);
		if (n & 1)
			unlink(path);
	}
	if ((n % 8) == 0) {
		int st;
		int pid = fork(mixed_child, (void *)(n + 1), "mixgc");
		if (pid > 0)
			waitpid(pid, &st);
	}
	_exit(0);
}

static void
forker(void *arg)
{
	uint_t idx = (uint_t)arg, iters = bootparam_get(BP_mixed_iters), k = 0;
	char name[16];
	ufmt(name, sizeof (name), "forker%u", idx);
	setname(name, WL_MIXED);
	while (!shutdown_q() && (iters == 0 || k < iters)) {
		int st, pid = fork(mixed_child, (void *)(idx * 1000 + k), "mixchild");
		if (pid > 0)
			waitpid(pid, &st);
		kstat_add(KS_mixed_forks, 1);
		result_note(pid > 0 ? k * 256u + ((uint_t)st & 0xff) : 0xffffffffu);
		k++;
	}
	_exit(0);
}

static void
spinner(void *arg)
{
	uint_t idx = (uint_t)arg, h = idx + 1;
	char name[16];
	ufmt(name, sizeof (name), "spin%u", idx);
	setname(name, WL_MIXED);
	volatile uint_t *sink = ubuf();
	while (!shutdown_q()) {
		uint_t j;
		for (j = 0; j < 20000; j++)
			h = (h ^ (h << 7)) * 2654435761u + j;
		*sink = h;      /* keep the loop: the result is used */
		result_note(h);
		kstat_add(KS_mixed_iters, 1);
	}
	_exit(0);
}

static void
locker(void *arg)
{
	uint_t idx = (uint_t)arg;
	char name[16];
	ufmt(name, sizeof (name), "locker%u", idx);
	setname(name, WL_MIXED);
	while (!shutdown_q()) {
		int j;
		for (j = 0; j < 4; j++)
			procwalk();
		getpid();
		kstat_add(KS_mixed_lock_ops, 4);
		usleep(500);    /* think between bursts, so that forks still get pidlock */
	}
	_exit(0);
}

static void
sleeper(void *arg)
{
	uint_t idx = (uint_t)arg;
	char name[16];
	ufmt(name, sizeof (name), "sleep%u", idx);
	setname(name, WL_MIXED);
	swappable(1);
	mmap(MIX_MMAP, 8 * 4096, PROT_READ | PROT_WRITE);
	memtouch(MIX_MMAP, 8 * 4096, UIO_WRITE_FLAG);
	while (!shutdown_q()) {
		usleep(40000 + idx * 3000);
		memtouch(MIX_MMAP, 8 * 4096, UIO_WRITE_FLAG);
		mprotect(MIX_MMAP, 8 * 4096, PROT_READ);
		memtouch(MIX_MMAP, 8 * 4096, 0);
		mprotect(MIX_MMAP, 8 * 4096, PROT_READ | PROT_WRITE);
	}
	_exit(0);
}

void
mixed_main(void *arg)
{
	uint_t i;
	int status;
	(void)arg;
	setname("mixed", WL_MIXED);
	mixed_started = 1;
	for (i = 0; i < bootparam_get(BP_mixed_forkers); i++)
		fork(forker, (void *)i, "forker");
	for (i = 0; i < bootparam_get(BP_mixed_spinners); i++)
		fork(spinner, (void *)i, "spinner");
	for (i = 0; i < bootparam_get(BP_mixed_lockers); i++)
		fork(locker, (void *)i, "locker");
	for (i = 0; i < bootparam_get(BP_mixed_sleepers); i++)
		fork(sleeper, (void *)i, "sleeper");
	while (waitpid(0, &status) > 0)
		;
	_exit(0);
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	return mixed_started ? EBUSY : 0;
}

struct modlinkage mixed_modlinkage = { "mixed", _init, _fini, 0, 0 };
