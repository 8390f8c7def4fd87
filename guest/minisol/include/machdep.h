/* minisol: SPARC V8 machine definitions shared by locore.S and C (PSR bits, trap frame, asm-visible offsets). */
#ifndef _MINISOL_MACHDEP_H
#define _MINISOL_MACHDEP_H

/* Memory map (no MMU: physical = virtual). See docs/minisol.md. */
#define KERNELBASE      0xf0004000
#define BOOTPARAM_ADDR  0xf0000000      /* boot-parameter block written by the host */
#define RAM_TOP         0xff000000      /* RAM is [0, RAM_TOP); devices live above it */

#define PAGESIZE        4096
#define PAGESHIFT       12
#define PAGEOFFSET      (PAGESIZE - 1)
#define MAXCPU          16
#define BOOTSTACK_SIZE  8192
#define DEFAULTSTKSZ    12288           /* kernel thread stack */

/* PSR fields (V8 §4.2.1). */
#define PSR_CWP         0x0000001f
#define PSR_ET          0x00000020
#define PSR_PS          0x00000040
#define PSR_S           0x00000080
#define PSR_PIL         0x00000f00
#define PSR_PIL_SHIFT   8
#define PSR_EF          0x00001000
#define PSR_ICC         0x00f00000
#define PSR_C           0x00100000
#define PSR_V           0x00200000
#define PSR_Z           0x00400000
#define PSR_N           0x00800000

/* Software trap numbers (ta N -> tt 0x80 + N), Solaris' choices. */
#define ST_FLUSH_WINDOWS 3
#define ST_SYSCALL       8
#define ST_PANIC         0x7f           /* never taken: ET=0 error mode stops the machine */

/* Interrupt levels (sun4m-like). */
#define IPL_SOFT        1
#define IPL_DISK        4
#define IPL_NET         6
#define IPL_CLOCK       10
#define IPL_POKE        13
#define IPL_TICK        14
#define IPL_HIGH        14              /* splhigh: everything but level 15 */
#define IPL_DISP        14              /* dispatcher and sleep-queue locks */
#define IPL_KMEM        14              /* kmem caches are used from interrupt handlers */
#define IPL_TCP         10              /* TCP state: device interrupts and callouts (level 10) */
#define IPL_BIO         10              /* buffer cache and page identity: disk interrupts, callouts */

/* Stack frame (SPARC ABI): 16-word window save area, hidden struct-return word, 6 argument words. */
#define WINDOWSIZE      64
#define MINFRAME        96

/* Trap frame: struct regs, stored at %sp + MINFRAME of the trap handler's frame. */
#define R_PSR           0
#define R_PC            4
#define R_NPC           8
#define R_Y             12
#define R_G0            16              /* g0..g7 at 16..47 (g0 slot unused) */
#define R_TT            48
#define R_CPUID         52
#define R_I0            56              /* interrupted window's outs = trap window's ins: 56..87 */
#define REGS_SIZE       88
#define TRAPFRAME       (MINFRAME + REGS_SIZE)   /* 184, a multiple of 8 */

/* kthread_t fields used by locore (checked by _Static_assert in genunix). */
#define T_SP            0
#define T_PC            4
#define T_LOCK          8
#define T_STATE         9
#define T_PREEMPT       10
#define T_CPU           12
#define T_PROCP         16
#define T_INTR_DEPTH    20

/* cpu_t fields used by locore. */
#define CPU_ID          0
#define CPU_THREAD      4
#define CPU_RUNRUN      8
#define CPU_KPRUNRUN    12
#define CPU_IDLE_THREAD 16

#ifndef __ASSEMBLER__
#include "types.h"

struct regs {
	uint_t r_psr;
	uint_t r_pc;
	uint_t r_npc;
	uint_t r_y;
	uint_t r_g[8];
	uint_t r_tt;
	uint_t r_cpuid;
	uint_t r_i[8];
};

/* Per-CPU state. The first fields are used by locore.S. */
typedef volatile unsigned char lock_t;

struct kthread;
typedef struct cpu {
	int cpu_id;                       /* index from %asr17 */
	struct kthread *cpu_thread;       /* running thread */
	volatile int cpu_runrun;          /* a better thread is runnable: switch at the next chance */
	volatile int cpu_kprunrun;        /* ... even in the kernel (kernel preemption) */
	struct kthread *cpu_idle_thread;
	struct kthread *cpu_dispthread;   /* thread chosen by the last disp() */
	int cpu_dispatch_pri;             /* priority of cpu_dispthread */
	volatile int cpu_flags;
	int cpu_intr_depth;
	uint_t cpu_ticks;                 /* per-CPU clock ticks taken */
	uint_t cpu_idle_ticks;
	uint_t cpu_pokes;
	hrtime_t cpu_last_swtch;
	uint_t cpu_syscalls;
	uint_t cpu_intrs[16];
	char cpu_name[8];
} cpu_t;

#define CPU_RUNNING 0x1
#define CPU_READY   0x2
#define CPU_QUIESCED 0x4

/* locore.S */
extern void _start(void);
extern void flush_windows(void);
extern void resume(struct kthread *);
extern void thread_start(void);
extern int splr(int);                 /* raise PIL to level, return the old PSR.PIL bits (level<<8) */
extern int splhigh(void);
extern int spl0(void);
extern void splx(int);
extern int getpil(void);
extern void lock_set(lock_t *);
extern int lock_try(lock_t *);
extern void lock_clear(lock_t *);
extern int lock_set_spl(lock_t *, int);  /* returns old pil bits */
extern void lock_clear_splx(lock_t *, int);
extern uint_t getpsr(void);
extern uint_t gettbr(void);
extern uint_t getwim(void);
extern uint_t getsp(void);
extern uint_t getfp(void);
extern uint_t getcaller(void);
extern int cpu_index(void);           /* this CPU's index from %asr17 */
extern int cpu_nwindows(void);
extern hrtime_t gethrtime(void);      /* this CPU's cycle counter (%asr18/%asr19) */
extern uint64_t getinstrs(void);      /* this CPU's completed instructions (%asr20/%asr21) */
extern void cpu_halt_machine(void) __noreturn; /* ET=0 and a trap: error mode stops the machine */
extern void idle_pause(void);
extern uint_t atomic_add_32_nv(volatile uint_t *, int);
extern uint_t atomic_swap_32(volatile uint_t *, uint_t);
extern char splcode_begin[], splcode_end[];  /* no preemption with the pc in here */
extern char trap_table[];
extern uint_t boot_release;
extern struct regs panic_regs_dummy;

register struct kthread *curthread_reg __asm__("g7");
#define curthread curthread_reg
#define CPU (curthread->t_cpu)

#define spl6() splr(6 << PSR_PIL_SHIFT)
#define splnet() splr(IPL_NET << PSR_PIL_SHIFT)
#define splbio() splr(IPL_BIO << PSR_PIL_SHIFT)
#define spltcp() splr(IPL_TCP << PSR_PIL_SHIFT)
#define splclock() splr(IPL_CLOCK << PSR_PIL_SHIFT)
#define IPL(l) ((l) << PSR_PIL_SHIFT)
#endif

#endif
