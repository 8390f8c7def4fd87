/*
 * genunix part: booting. main() runs on CPU 0 with traps on at PIL 15: it reads the boot-parameter
 * block, carves memory, initializes genunix and the early modules, starts the clock and the other
 * CPUs, and becomes CPU 0's idle thread. The "main" thread of pid 0 initializes the rest (disk,
 * file system, network), forks init (pid 1, which starts the workloads) and becomes the swapper.
 */

uint_t bootparam[BP_NFIELDS];
cpu_t cpu0;
static cpu_t cpu_structs[MAXCPU];
static kthread_t idle_threads[MAXCPU];
volatile int shutdown_requested;
int ncpus_online;
caddr_t physmem_base;
size_t physmem_size;
extern uint_t ncpus_booted;
extern char boot_stacks[];
extern char _end[];
extern int run_ticks;

extern struct modlinkage genunix_modlinkage, kstat_modlinkage, vm_modlinkage, dnlc_modlinkage, sd_modlinkage,
    ufs_modlinkage, ip_modlinkage, tcp_modlinkage, hme_modlinkage, sockfs_modlinkage,
    workload_modlinkage, libc_modlinkage, proxy_modlinkage, mirror_modlinkage,
    readers_modlinkage, mixed_modlinkage;
/* in initialization order */
static struct modlinkage *const modlinkages[] = {
	&kstat_modlinkage, &vm_modlinkage, &dnlc_modlinkage, &sd_modlinkage, &ufs_modlinkage,
	&ip_modlinkage, &tcp_modlinkage, &hme_modlinkage, &sockfs_modlinkage, &workload_modlinkage,
	&libc_modlinkage, &proxy_modlinkage, &mirror_modlinkage, &readers_modlinkage, &mixed_modlinkage,
};

static void
bootparam_read(void)
{
	const volatile uint_t *bp = (const volatile uint_t *)BOOTPARAM_ADDR;
	int i;
	if (bp[BP_magic] == BOOTPARAM_MAGIC && bp[BP_version] == BOOTPARAM_VERSION) {
		for (i = 0; i < BP_NFIELDS; i++)
			bootparam[i] = bp[i];
		return;
	}
	/* no block from the host: a small default configuration */
	bootparam[BP_magic] = BOOTPARAM_MAGIC;
	bootparam[BP_version] = BOOTPARAM_VERSION;
	bootparam[BP_ncpus] = 1;
	bootparam[BP_seed] = 1;
	bootparam[BP_cycles_per_sec] = 100000000;
	bootparam[BP_hz] = 1000;
	bootparam[BP_memsize] = 16 << 20;
	bootparam[BP_workloads] = 0;
	bootparam[BP_ncsize] = 128;
	bootparam[BP_nbuf] = 128;
}

static void
cpu_setup(int id)
{
	cpu_t *cp = id == 0 ? &cpu0 : &cpu_structs[id];
	kthread_t *t = &idle_threads[id];
	bzero(cp, sizeof (*cp));
	bzero(t, sizeof (*t));
	cp->cpu_id = id;
	snprintf(cp->cpu_name, sizeof (cp->cpu_name), "cpu%d", id);
	t->t_lock = 1;
	t->t_state = TS_ONPROC;
	t->t_flag = T_IDLE;
	t->t_cpu = cp;
	t->t_procp = &p0;
	t->t_pri = PRI_IDLE;
	t->t_stk = boot_stacks + id * BOOTSTACK_SIZE;
	t->t_stksize = BOOTSTACK_SIZE;
	*(uint_t *)t->t_stk = 0xfeedface;
	snprintf(t->t_name, sizeof (t->t_name), "idle%d", id);
	cp->cpu_idle_thread = t;
	cp->cpu_thread = t;
	cp->cpu_dispatch_pri = PRI_IDLE;
	cpus[id] = cp;
}

/* Deliberate failures the host asks for, to check its panic reports. */
static volatile uintptr_t debug_misaligned = 2;

static __noinline void
debug_failure(uint_t flags)
{
	volatile uint_t *p = (volatile uint_t *)((uintptr_t)&bootparam[0] + debug_misaligned);
	if (flags & BPF_PANIC_TEST)
		panic("panic test requested by the host (flags 0x%x)", flags);
	if (flags & BPF_TRAP_TEST)
		(void)*p;               /* mem_address_not_aligned */
}

static void
startup_thread(void *arg)
{
	uint_t i;
	(void)arg;
	binit((int)bootparam[BP_nbuf]);
	for (i = 0; i < NELEM(modlinkages); i++)
		if (!modlinkages[i]->ml_early) {
			(*modlinkages[i]->ml_init)();
			modlinkages[i]->ml_installed = 1;
		}
	vm_start_daemons();
	p0.p_cdir = rootdir;
	vn_hold(rootdir);
	printf("minisol: root mounted; %d cpu(s) online, %u free pages, ncsize %d\n", ncpus_online, freemem, ncsize);
	if (bootparam[BP_flags] & (BPF_PANIC_TEST | BPF_TRAP_TEST))
		debug_failure(bootparam[BP_flags]);
	workload_start();
	sched();
}

void
main(void)
{
	int id = cpu_index();
	volatile uint_t *sc = (volatile uint_t *)SYSCTL_BASE;
	kthread_t *t;
	uint_t heap, kheap_size, i;
	int n;

	bootparam_read();
	cpu_setup(id);
	curthread = &idle_threads[id];
	ncpus = (int)sc[SC_NCPUS / 4];
	if (ncpus < 1 || ncpus > MAXCPU)
		ncpus = 1;
	hz = bootparam[BP_hz] != 0 ? (int)bootparam[BP_hz] : 100;
	hz_cycles = bootparam[BP_cycles_per_sec] != 0 ? bootparam[BP_cycles_per_sec] : sc[SC_HZ / 4];
	run_ticks = (int)bootparam[BP_run_ticks];
	printf("\nminisol 1.0 (SPARC V8), %d cpu(s), %d register windows, hz %d, seed %u\n",
	    ncpus, cpu_nwindows(), hz, bootparam[BP_seed]);

	heap = P2ROUNDUP((uint_t)_end, PAGESIZE);
	physmem_size = bootparam[BP_memsize] != 0 ? bootparam[BP_memsize] : (16u << 20);
	kheap_size = physmem_size / 3;
	if (kheap_size < (6u << 20))
		kheap_size = 6u << 20;
	kheap_size = P2ROUNDUP(kheap_size, PAGESIZE);
	kheap_init((caddr_t)heap, kheap_size);
	physmem_base = (caddr_t)(heap + kheap_size);
	printf("memory: kernel %uK, kernel heap %uK at 0x%x, pages %uK at 0x%x\n",
	    (heap - KERNELBASE) >> 10, kheap_size >> 10, heap, (uint_t)physmem_size >> 10, (uint_t)physmem_base);

	genunix_init();
	genunix_modlinkage.ml_installed = 1;
	for (i = 0; i < NELEM(modlinkages); i++)
		if (modlinkages[i]->ml_early) {
			(*modlinkages[i]->ml_init)();
			modlinkages[i]->ml_installed = 1;
		}

	t = thread_create(NULL, 0, startup_thread, NULL, &p0, MINCLSYSPRI + 10, "main");
	thread_run(t);
	clock_start();
	cpus[id]->cpu_flags |= CPU_READY | CPU_RUNNING;
	ncpus_online = 1;

	/* the other CPUs: release them, then start them at _start through the sysctl device */
	for (n = 0; n < ncpus; n++)
		if (n != id)
			cpu_setup(n);
	boot_release = 1;
	for (n = 0; n < ncpus; n++) {
		if (n == id)
			continue;
		sc[SC_START_PC / 4] = (uint_t)_start;
		sc[SC_START_CPU / 4] = (uint_t)n;
	}
	for (i = 0; i < 10000000 && (int)*(volatile uint_t *)&ncpus_booted < ncpus; i++)
		;
	if ((int)ncpus_booted < ncpus)
		printf("WARNING: only %u of %d cpus came up\n", ncpus_booted, ncpus);
	spl0();
	idle();
}

/* Secondary CPUs arrive here from _start. */
void
mp_startup(int id)
{
	curthread = &idle_threads[id];
	if (cpus[id] == NULL)
		panic("mp_startup: cpu %d was not set up", id);
	cpus[id]->cpu_flags |= CPU_READY | CPU_RUNNING;
	(void)atomic_add_32_nv((volatile uint_t *)&ncpus_online, 1);
	spl0();
	idle();
}

/*
 * The clean shutdown the host asks for: write-lock the file system (new operations wait, running
 * ones drain), write everything back, mark the superblock clean, report, halt the machine.
 */
void
shutdown_system(void)
{
	printf("minisol: shutdown at lbolt %d: syncing file systems\n", (int)lbolt);
	ufs_lockfs_hold();
	(void)ufs_sync_all(1);
	printf("minisol: halted (%d processes, %d threads)\n", nproc_active, nthreads);
	*(volatile uint_t *)(SYSCTL_BASE + SC_HALT) = 0;
	cpu_halt_machine();
}
