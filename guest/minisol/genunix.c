/*
 * genunix: the machine-independent kernel. One translation unit (so the symbol table's STT_FILE
 * entry names the module "genunix") assembled from the parts in genunix/: console and panic,
 * strings, kmem, synchronization, the dispatcher and clocks, traps and system calls, processes,
 * vnodes and files, the buffer cache, STREAMS messages, and boot.
 */
#include "sys.h"
#include "vm.h"

/* functions shared between the parts of genunix */
void kheap_init(caddr_t base, size_t size);
void disp_init(void);
void sysent_init(void);
void proc_init(void);
void vfs_init(void);
void clock_start(void);
void idle(void) __noreturn;
void thread_reap(void);
int fop_rw(int fd, caddr_t buf, size_t len, int rw);
int fop_seek(int fd, int off, int whence);
int fop_truncate(int fd, uint_t len);
int vn_mkdir(const char *path, int mode);
int vn_rmdir(const char *path);
int proc_walk_count(void);
int proc_brk(uint_t newsize);
void proc_swapin_self(void);
void sched(void) __noreturn;
void shutdown_system(void) __noreturn;
int ts_default_priority(void);
void getregs(uint_t *buf);
void mp_startup(int id);
void main(void);
void bflush_old(int age);
uint_t kmem_inuse(void);
extern int nthreads;
extern uint_t kheap_pages_used;
static void genunix_init(void);

_Static_assert(offsetof(kthread_t, t_sp) == T_SP, "T_SP");
_Static_assert(offsetof(kthread_t, t_pc) == T_PC, "T_PC");
_Static_assert(offsetof(kthread_t, t_lock) == T_LOCK, "T_LOCK");
_Static_assert(offsetof(kthread_t, t_state) == T_STATE, "T_STATE");
_Static_assert(offsetof(kthread_t, t_preempt) == T_PREEMPT, "T_PREEMPT");
_Static_assert(offsetof(kthread_t, t_cpu) == T_CPU, "T_CPU");
_Static_assert(offsetof(kthread_t, t_procp) == T_PROCP, "T_PROCP");
_Static_assert(offsetof(cpu_t, cpu_runrun) == CPU_RUNRUN, "CPU_RUNRUN");
_Static_assert(offsetof(cpu_t, cpu_kprunrun) == CPU_KPRUNRUN, "CPU_KPRUNRUN");
_Static_assert(offsetof(struct regs, r_i) == R_I0, "R_I0");
_Static_assert(offsetof(struct regs, r_tt) == R_TT, "R_TT");
_Static_assert(sizeof (struct regs) == REGS_SIZE, "REGS_SIZE");

static int genunix_initialized;
static const char genunix_version[] = "minisol genunix 1.0";

/*
 * The module's _init: runs once, from main(), before any other thread exists. KernInst used such
 * run-once code as springboard space, so it is kept a believable size.
 */
static __noinline __used void
_init(void)
{
	uint_t checks = 0;
	if (genunix_initialized)
		panic("genunix: _init called twice");
	if (sizeof (struct regs) != REGS_SIZE || offsetof(kthread_t, t_cpu) != T_CPU)
		panic("genunix: locore offsets disagree with the C structures");
	checks += sizeof (kthread_t) + sizeof (proc_t) + sizeof (file_t) + sizeof (buf_t);
	kmem_init();
	disp_init();
	sysent_init();
	proc_init();
	vfs_init();
	genunix_initialized = 1;
	printf("%s: kthread %u, proc %u, file %u, buf %u bytes (%u)\n", genunix_version,
	    (uint_t)sizeof (kthread_t), (uint_t)sizeof (proc_t), (uint_t)sizeof (file_t),
	    (uint_t)sizeof (buf_t), checks);
}

static void
genunix_init(void)
{
	_init();
}

#include "genunix/cons.c"
#include "genunix/string.c"
#include "genunix/kmem.c"
#include "genunix/sync.c"
#include "genunix/disp.c"
#include "genunix/trap.c"
#include "genunix/proc.c"
#include "genunix/vfs.c"
#include "genunix/bio.c"
#include "genunix/stream.c"
#include "genunix/main.c"

/* The module's _fini: genunix can never be unloaded. Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	uint_t inuse = kmem_inuse();
	if (genunix_initialized && (inuse > 0 || nproc_active > 0)) {
		cmn_err(CE_NOTE, "genunix: cannot unload: %u kmem buffers and %d processes in use",
		    inuse, nproc_active);
		return EBUSY;
	}
	genunix_initialized = 0;
	return EBUSY;
}

/* genunix's linkage: its _init runs from main() (genunix_init), first of all; main sets ml_installed. */
struct modlinkage genunix_modlinkage = { "genunix", _init, _fini, 1, 0 };
