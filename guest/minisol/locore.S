/*
 * minisol locore: the trap table, register-window overflow/underflow and flush traps, the common
 * trap entry and return (interrupts, system calls, unexpected traps), the context switch (resume),
 * spl and spin locks, per-CPU counters, and the entry point where every CPU starts.
 * References are to The SPARC Architecture Manual, Version 8.
 */
#include "machdep.h"
#include "devices.h"

	.file	"locore.S"

/* Solaris' asm_linkage.h style: typed, sized function symbols for the analysis. */
#define ENTRY(x)	.global x; .type x, #function; x:
#define LENTRY(x)	.type x, #function; x:
#define SET_SIZE(x)	.size x, . - x

/* A trap-table entry (V8 §7.5.1: 4 instructions). %l0 = PSR, %l4 = TBR (tt in bits 11..4). */
#define TRAP(h)  rd %psr, %l0; b h; rd %tbr, %l4; nop
#define BAD      TRAP(sys_trap)
#define INTR     TRAP(sys_trap)
#define BAD4     BAD; BAD; BAD; BAD
#define BAD16    BAD4; BAD4; BAD4; BAD4

	.section ".text.traptable", "ax"
	.align	4096
	.global	trap_table
	.type	trap_table, #function
trap_table:
	BAD                                 /* 0x00 reset */
	BAD; BAD; BAD; BAD                  /* 0x01-0x04 */
	TRAP(window_overflow)               /* 0x05 */
	TRAP(window_underflow)              /* 0x06 */
	BAD; BAD; BAD; BAD; BAD; BAD; BAD; BAD; BAD   /* 0x07-0x0f */
	BAD                                 /* 0x10 */
	INTR; INTR; INTR; INTR; INTR        /* 0x11-0x15: interrupt levels 1-5 */
	INTR; INTR; INTR; INTR; INTR        /* 0x16-0x1a: levels 6-10 */
	INTR; INTR; INTR; INTR; INTR        /* 0x1b-0x1f: levels 11-15 */
	BAD16; BAD16; BAD16; BAD16; BAD16; BAD16    /* 0x20-0x7f */
	BAD; BAD; BAD                       /* 0x80-0x82 */
	TRAP(flush_windows_trap)            /* 0x83: ta 3, ST_FLUSH_WINDOWS */
	BAD; BAD; BAD; BAD                  /* 0x84-0x87 */
	TRAP(sys_trap)                      /* 0x88: ta 8, ST_SYSCALL */
	BAD; BAD; BAD; BAD; BAD; BAD; BAD   /* 0x89-0x8f */
	BAD16; BAD16; BAD16; BAD16; BAD16; BAD16; BAD16   /* 0x90-0xff */
	SET_SIZE(trap_table)

	.section ".text.locore", "ax"
	.align	4

/*
 * Window overflow (V8 §4.2.4, the classic handler): a SAVE found its target window invalid. We are
 * in that invalid window; the next one down holds the oldest frame: store it at its %sp and make it
 * the invalid window.
 */
LENTRY(window_overflow)
	rd	%wim, %l3
	mov	%g1, %l7
	sethi	%hi(nwin_minus_1), %l5
	ld	[%l5 + %lo(nwin_minus_1)], %l5
	srl	%l3, 1, %g1
	sll	%l3, %l5, %l4
	or	%l4, %g1, %g1
	sethi	%hi(wim_mask), %l5
	ld	[%l5 + %lo(wim_mask)], %l5
	and	%g1, %l5, %g1
	save
	wr	%g1, 0, %wim
	nop; nop; nop
	std	%l0, [%sp + 0]
	std	%l2, [%sp + 8]
	std	%l4, [%sp + 16]
	std	%l6, [%sp + 24]
	std	%i0, [%sp + 32]
	std	%i2, [%sp + 40]
	std	%i4, [%sp + 48]
	std	%i6, [%sp + 56]
	restore
	mov	%l7, %g1
	jmp	%l1
	rett	%l2
	SET_SIZE(window_overflow)

/*
 * Window underflow: a RESTORE found its target window invalid. Make the window above it invalid,
 * load the target from its %sp (the %fp of the window that restored), and retry the RESTORE.
 */
LENTRY(window_underflow)
	rd	%wim, %l3
	sethi	%hi(nwin_minus_1), %l5
	ld	[%l5 + %lo(nwin_minus_1)], %l5
	sll	%l3, 1, %l4
	srl	%l3, %l5, %l5
	or	%l5, %l4, %l5
	sethi	%hi(wim_mask), %l6
	ld	[%l6 + %lo(wim_mask)], %l6
	and	%l5, %l6, %l5
	wr	%l5, 0, %wim
	nop; nop; nop
	restore
	restore
	ldd	[%sp + 0], %l0
	ldd	[%sp + 8], %l2
	ldd	[%sp + 16], %l4
	ldd	[%sp + 24], %l6
	ldd	[%sp + 32], %i0
	ldd	[%sp + 40], %i2
	ldd	[%sp + 48], %i4
	ldd	[%sp + 56], %i6
	save
	save
	jmp	%l1
	rett	%l2
	SET_SIZE(window_underflow)

/*
 * ta 3 (ST_FLUSH_WINDOWS): store every valid window above the caller's to its stack and leave only
 * the caller's window valid, as Solaris does before a context switch or a stack walk. Runs with
 * traps off, so it walks the windows itself instead of letting SAVEs overflow.
 */
LENTRY(flush_windows_trap)
	mov	%g1, %l3
	mov	%g2, %l4
	mov	%g3, %l5
	mov	%g4, %l6
	mov	%l0, %g1                    /* PSR at the trap: CWP = trap window, ET = 0 */
	rd	%wim, %g2
	sethi	%hi(wim_wrap), %g4
	ld	[%g4 + %lo(wim_wrap)], %g4  /* 1 << NWINDOWS */
	and	%l0, PSR_CWP, %g3
	mov	1, %l7
	sll	%l7, %g3, %g3               /* bit of the trap window */
	sll	%g3, 1, %g3                 /* bit of the caller's window */
	cmp	%g3, %g4
	bne	1f
	 nop
	mov	1, %g3
1:	restore                             /* into the caller's window: it stays live */
2:	sll	%g3, 1, %g3                 /* bit of the next window up */
	cmp	%g3, %g4
	bne	3f
	 nop
	mov	1, %g3
3:	andcc	%g3, %g2, %g0
	bne	4f                          /* reached the invalid window: done */
	 nop
	restore
	std	%l0, [%sp + 0]
	std	%l2, [%sp + 8]
	std	%l4, [%sp + 16]
	std	%l6, [%sp + 24]
	std	%i0, [%sp + 32]
	std	%i2, [%sp + 40]
	std	%i4, [%sp + 48]
	b	2b
	 std	%i6, [%sp + 56]
4:	and	%g1, PSR_CWP, %g3           /* new WIM: the window above the caller's */
	mov	1, %g2
	sll	%g2, %g3, %g3
	sll	%g3, 1, %g3
	cmp	%g3, %g4
	bne	5f
	 nop
	mov	1, %g3
5:	sll	%g3, 1, %g3
	cmp	%g3, %g4
	bne	6f
	 nop
	mov	1, %g3
6:	wr	%g1, 0, %psr                /* back to the trap window, traps still off */
	nop; nop; nop
	wr	%g3, 0, %wim
	nop; nop; nop
	mov	%l3, %g1
	mov	%l4, %g2
	mov	%l5, %g3
	mov	%l6, %g4
	jmp	%l2
	rett	%l2 + 4
	SET_SIZE(flush_windows_trap)

/*
 * Common trap entry. Makes the trap window safe for calls (if it is the invalid window, the window
 * below holds the oldest live frame: spill it, as an overflow would), builds a trap frame (struct
 * regs) below the interrupted %sp, enables traps and calls the C handler:
 *   interrupt level n (tt 0x11..0x1f): intr_handler(n, rp) at PIL n
 *   ta 8: syscall_trap(rp) at the interrupted PIL
 *   anything else: trap(tt, rp)
 */
LENTRY(sys_trap)
	srl	%l4, 4, %l4                 /* %l4 = TBR from the trap table: tt */
	and	%l4, 0xff, %l4
	rd	%wim, %l3
	and	%l0, PSR_CWP, %l5
	mov	1, %l6
	sll	%l6, %l5, %l6
	andcc	%l3, %l6, %g0
	be	1f
	 nop
	mov	%g1, %l7
	sethi	%hi(nwin_minus_1), %l5
	ld	[%l5 + %lo(nwin_minus_1)], %l5
	srl	%l3, 1, %g1
	sll	%l3, %l5, %l6
	or	%l6, %g1, %g1
	sethi	%hi(wim_mask), %l5
	ld	[%l5 + %lo(wim_mask)], %l5
	and	%g1, %l5, %g1
	save
	wr	%g1, 0, %wim
	nop; nop; nop
	std	%l0, [%sp + 0]
	std	%l2, [%sp + 8]
	std	%l4, [%sp + 16]
	std	%l6, [%sp + 24]
	std	%i0, [%sp + 32]
	std	%i2, [%sp + 40]
	std	%i4, [%sp + 48]
	std	%i6, [%sp + 56]
	restore
	mov	%l7, %g1
1:	sub	%fp, TRAPFRAME, %sp
	st	%l0, [%sp + MINFRAME + R_PSR]
	st	%l1, [%sp + MINFRAME + R_PC]
	st	%l2, [%sp + MINFRAME + R_NPC]
	rd	%y, %l3
	st	%l3, [%sp + MINFRAME + R_Y]
	st	%g0, [%sp + MINFRAME + R_G0]
	st	%g1, [%sp + MINFRAME + R_G0 + 4]
	std	%g2, [%sp + MINFRAME + R_G0 + 8]
	std	%g4, [%sp + MINFRAME + R_G0 + 16]
	std	%g6, [%sp + MINFRAME + R_G0 + 24]
	st	%l4, [%sp + MINFRAME + R_TT]
	rd	%asr17, %l3
	srl	%l3, 28, %l3
	st	%l3, [%sp + MINFRAME + R_CPUID]
	std	%i0, [%sp + MINFRAME + R_I0]
	std	%i2, [%sp + MINFRAME + R_I0 + 8]
	std	%i4, [%sp + MINFRAME + R_I0 + 16]
	std	%i6, [%sp + MINFRAME + R_I0 + 24]
	cmp	%l4, 0x11
	bl	3f
	 cmp	%l4, 0x1f
	bg	2f
	 nop
	/* interrupt: PIL = level, traps on */
	sub	%l4, 0x10, %o0
	andn	%l0, PSR_PIL, %l5
	sll	%o0, PSR_PIL_SHIFT, %l6
	or	%l5, %l6, %l5
	wr	%l5, PSR_ET, %psr
	nop; nop; nop
	call	intr_handler
	 add	%sp, MINFRAME, %o1
	b	sys_rtt
	 nop
2:	cmp	%l4, 0x80 + ST_SYSCALL
	bne	3f
	 nop
	wr	%l0, PSR_ET, %psr
	nop; nop; nop
	call	syscall_trap
	 add	%sp, MINFRAME, %o0
	b	sys_rtt
	 nop
3:	wr	%l0, PSR_ET, %psr
	nop; nop; nop
	mov	%l4, %o0
	call	trap
	 add	%sp, MINFRAME, %o1
	SET_SIZE(sys_trap)

/*
 * Everything from splcode_begin to splcode_end (sys_rtt, resume, the spl and lock routines, the
 * per-CPU counters) reads and writes the PSR non-atomically: a thread interrupted in here must not
 * be preempted (it could resume on another CPU with another CWP and write a stale one back).
 * intr_handler checks the interrupted pc against this range.
 */
	.global	splcode_begin, splcode_end
splcode_begin:

/*
 * Return from a trap. The thread may have been switched out and back in meanwhile (kernel
 * preemption, a system call that slept), possibly on another CPU, so the current CWP is kept and
 * the rest of the PSR comes from the frame. The window RETT returns to must be valid (RETT into an
 * invalid window with traps off is error mode, V8 §B.30): fill it if needed.
 */
LENTRY(sys_rtt)
	rd	%psr, %l3                   /* traps off first (keeping this CWP) */
	andn	%l3, PSR_ET, %l3
	wr	%l3, 0, %psr
	nop; nop; nop
	rd	%psr, %l5
	and	%l5, PSR_CWP, %l5
	add	%l5, 1, %l5
	sethi	%hi(nwindows), %l6
	ld	[%l6 + %lo(nwindows)], %l6
	cmp	%l5, %l6
	bne	4f
	 nop
	mov	0, %l5
4:	mov	1, %l6
	sll	%l6, %l5, %l6
	rd	%wim, %l3
	andcc	%l3, %l6, %g0
	be	5f
	 nop
	sll	%l3, 1, %l4
	sethi	%hi(nwin_minus_1), %l5
	ld	[%l5 + %lo(nwin_minus_1)], %l5
	srl	%l3, %l5, %l5
	or	%l5, %l4, %l5
	sethi	%hi(wim_mask), %l6
	ld	[%l6 + %lo(wim_mask)], %l6
	and	%l5, %l6, %l5
	wr	%l5, 0, %wim
	nop; nop; nop
	restore
	ldd	[%sp + 0], %l0
	ldd	[%sp + 8], %l2
	ldd	[%sp + 16], %l4
	ldd	[%sp + 24], %l6
	ldd	[%sp + 32], %i0
	ldd	[%sp + 40], %i2
	ldd	[%sp + 48], %i4
	ldd	[%sp + 56], %i6
	save
	/*
	 * Now the registers, and last the PSR from the frame with the current CWP: nothing after
	 * the write may change the condition codes (a system call returns its error in the carry).
	 */
5:	ld	[%sp + MINFRAME + R_PC], %l1
	ld	[%sp + MINFRAME + R_NPC], %l2
	ld	[%sp + MINFRAME + R_Y], %l3
	wr	%l3, 0, %y
	ld	[%sp + MINFRAME + R_G0 + 4], %g1
	ldd	[%sp + MINFRAME + R_G0 + 8], %g2
	ldd	[%sp + MINFRAME + R_G0 + 16], %g4
	ldd	[%sp + MINFRAME + R_G0 + 24], %g6
	ldd	[%sp + MINFRAME + R_I0], %i0
	rd	%psr, %l3
	ld	[%sp + MINFRAME + R_PSR], %l0
	andn	%l0, PSR_CWP | PSR_ET, %l0
	and	%l3, PSR_CWP, %l3
	or	%l0, %l3, %l0
	wr	%l0, 0, %psr
	nop; nop; nop
	jmp	%l1
	rett	%l2
	SET_SIZE(sys_rtt)

/*
 * resume(new): switch from curthread (%g7) to new. Called by swtch at splhigh with the new thread
 * off every queue. Flushes the windows, saves the caller's %fp and return address, waits for the
 * new thread's context to be released by the CPU that last ran it (t_lock), switches %g7 and
 * returns into the new thread's swtch: RESTORE underflows and loads its window from its stack.
 */
ENTRY(resume)
	save	%sp, -MINFRAME, %sp
	ta	ST_FLUSH_WINDOWS
	st	%fp, [%g7 + T_SP]
	st	%i7, [%g7 + T_PC]
	mov	%g7, %l1
	/*
	 * The old context is saved: release it before waiting for the new one, so that two CPUs
	 * switching to each other's old threads cannot deadlock. Nothing below touches the old stack
	 * (no SAVE, interrupts blocked).
	 */
	stbar
	stb	%g0, [%l1 + T_LOCK]
1:	ldstub	[%i0 + T_LOCK], %l2
	tst	%l2
	be	3f
	 nop
2:	ldub	[%i0 + T_LOCK], %l2
	tst	%l2
	bne	2b
	 nop
	b	1b
	 nop
3:	mov	%i0, %g7
	ld	[%g7 + T_SP], %i6
	ld	[%g7 + T_PC], %i7
	sub	%i6, MINFRAME, %sp
	ret
	restore
	SET_SIZE(resume)

/*
 * A new thread's first instructions: resume "returns" here with %l0 = function, %l1 = argument
 * (thread_create wrote them into the initial window save area).
 */
ENTRY(thread_start)
	call	spl0
	 nop
	call	%l0
	 mov	%l1, %o0
	call	thread_exit
	 nop
	ta	ST_PANIC
	SET_SIZE(thread_start)

/* flush_windows(): all windows but the caller's to the stack (for stack walks). */
ENTRY(flush_windows)
	ta	ST_FLUSH_WINDOWS
	retl
	 nop
	SET_SIZE(flush_windows)


/* splr(pil): raise PSR.PIL to pil (level << 8) if lower; return the old PIL bits. */
ENTRY(splr)
	rd	%psr, %o1
	and	%o1, PSR_PIL, %o2
	cmp	%o2, %o0
	bge	1f
	 andn	%o1, PSR_PIL, %o3
	or	%o3, %o0, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
1:	retl
	 mov	%o2, %o0
	SET_SIZE(splr)

ENTRY(splhigh)
	rd	%psr, %o1
	and	%o1, PSR_PIL, %o2
	cmp	%o2, IPL_HIGH << PSR_PIL_SHIFT
	bge	1f
	 andn	%o1, PSR_PIL, %o3
	or	%o3, IPL_HIGH << PSR_PIL_SHIFT, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
1:	retl
	 mov	%o2, %o0
	SET_SIZE(splhigh)

ENTRY(spl0)
	rd	%psr, %o1
	and	%o1, PSR_PIL, %o2
	andn	%o1, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	retl
	 mov	%o2, %o0
	SET_SIZE(spl0)

/* splx(pil): set PSR.PIL to pil (old bits from splr). */
ENTRY(splx)
	rd	%psr, %o1
	andn	%o1, PSR_PIL, %o1
	and	%o0, PSR_PIL, %o0
	or	%o1, %o0, %o1
	wr	%o1, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(splx)

/* lock_set_spl(lp, pil): raise the PIL, then spin for the lock. Returns the old PIL bits. */
ENTRY(lock_set_spl)
	rd	%psr, %o2
	and	%o2, PSR_PIL, %o3
	cmp	%o3, %o1
	bge	1f
	 andn	%o2, PSR_PIL, %o4
	or	%o4, %o1, %o4
	wr	%o4, 0, %psr
	nop; nop; nop
1:	ldstub	[%o0], %o4
	tst	%o4
	bne	2f
	 nop
	retl
	 mov	%o3, %o0
2:	ldub	[%o0], %o4
	tst	%o4
	bne	2b
	 nop
	b	1b
	 nop
	SET_SIZE(lock_set_spl)

/* lock_clear_splx(lp, pil): release the lock, then set the PIL back. */
ENTRY(lock_clear_splx)
	stbar
	stb	%g0, [%o0]
	rd	%psr, %o2
	andn	%o2, PSR_PIL, %o2
	and	%o1, PSR_PIL, %o1
	or	%o2, %o1, %o2
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(lock_clear_splx)

/* kstat_inc(field, n): kstat_cpu[this CPU][field] += n, with interrupts blocked on this CPU. */
ENTRY(kstat_inc)
	rd	%psr, %o2
	or	%o2, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	rd	%asr17, %o4
	srl	%o4, 28, %o4
	sethi	%hi(kstat_cpu_stride), %o5
	ld	[%o5 + %lo(kstat_cpu_stride)], %o5
	umul	%o4, %o5, %o4
	sethi	%hi(kstat_cpu), %o5
	or	%o5, %lo(kstat_cpu), %o5
	add	%o5, %o4, %o5
	sll	%o0, 3, %o0
	add	%o5, %o0, %o5
	ldd	[%o5], %g2
	addcc	%g3, %o1, %g3
	addx	%g2, 0, %g2
	std	%g2, [%o5]
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(kstat_inc)

/* kstat_padd(ctr, n): *ctr (64-bit) += n, with interrupts blocked on this CPU. */
ENTRY(kstat_padd)
	rd	%psr, %o2
	or	%o2, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	ldd	[%o0], %g2
	addcc	%g3, %o1, %g3
	addx	%g2, 0, %g2
	std	%g2, [%o0]
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(kstat_padd)

/* gethrtime(): this CPU's cycle counter, %asr18 (low, latches high) then %asr19. */
ENTRY(gethrtime)
	rd	%psr, %o2
	or	%o2, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	rd	%asr18, %o1
	rd	%asr19, %o0
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(gethrtime)

/* getinstrs(): this CPU's completed-instruction counter (%asr20/%asr21). */
ENTRY(getinstrs)
	rd	%psr, %o2
	or	%o2, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	rd	%asr20, %o1
	rd	%asr21, %o0
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 nop
	SET_SIZE(getinstrs)

/* atomic_add_32_nv(p, delta): *p += delta under the global atomic lock; returns the new value. */
ENTRY(atomic_add_32_nv)
	rd	%psr, %o2
	or	%o2, PSR_PIL, %o3
	wr	%o3, 0, %psr
	nop; nop; nop
	sethi	%hi(atomic_lock), %o3
	or	%o3, %lo(atomic_lock), %o3
1:	ldstub	[%o3], %o4
	tst	%o4
	bne	1b
	 nop
	ld	[%o0], %o5
	add	%o5, %o1, %o5
	st	%o5, [%o0]
	stbar
	stb	%g0, [%o3]
	wr	%o2, 0, %psr
	nop; nop; nop
	retl
	 mov	%o5, %o0
	SET_SIZE(atomic_add_32_nv)

/* cpu_halt_machine(): traps off, then a trap: error mode stops this CPU and the run (V8 §7.3). */
ENTRY(cpu_halt_machine)
	rd	%psr, %o0
	andn	%o0, PSR_ET, %o0
	or	%o0, PSR_PIL, %o0
	wr	%o0, 0, %psr
	nop; nop; nop
	ta	ST_PANIC
	b	cpu_halt_machine
	 nop
	SET_SIZE(cpu_halt_machine)

splcode_end:

/* lock_set(lp), lock_try(lp), lock_clear(lp): ldstub spin locks (V8 §B.7). */
ENTRY(lock_set)
1:	ldstub	[%o0], %o1
	tst	%o1
	bne	2f
	 nop
	retl
	 nop
2:	ldub	[%o0], %o1
	tst	%o1
	bne	2b
	 nop
	b	1b
	 nop
	SET_SIZE(lock_set)

ENTRY(lock_try)
	ldstub	[%o0], %o1
	xor	%o1, 0xff, %o0
	retl
	 srl	%o0, 7, %o0                 /* 1 if we got it (old byte 0), else 0 */
	SET_SIZE(lock_try)

ENTRY(lock_clear)
	stbar
	retl
	 stb	%g0, [%o0]
	SET_SIZE(lock_clear)

/* atomic_swap_32(p, v): the V8 SWAP instruction. */
ENTRY(atomic_swap_32)
	swap	[%o0], %o1
	retl
	 mov	%o1, %o0
	SET_SIZE(atomic_swap_32)

ENTRY(getpil)
	rd	%psr, %o0
	retl
	 and	%o0, PSR_PIL, %o0
	SET_SIZE(getpil)

ENTRY(getpsr)
	retl
	 rd	%psr, %o0
	SET_SIZE(getpsr)

ENTRY(gettbr)
	retl
	 rd	%tbr, %o0
	SET_SIZE(gettbr)

ENTRY(getwim)
	retl
	 rd	%wim, %o0
	SET_SIZE(getwim)

ENTRY(getsp)
	retl
	 mov	%sp, %o0
	SET_SIZE(getsp)

ENTRY(getfp)
	retl
	 mov	%fp, %o0
	SET_SIZE(getfp)

ENTRY(cpu_index)
	rd	%asr17, %o0
	retl
	 srl	%o0, 28, %o0
	SET_SIZE(cpu_index)

ENTRY(cpu_nwindows)
	rd	%asr17, %o0
	and	%o0, 0x1f, %o0
	retl
	 add	%o0, 1, %o0
	SET_SIZE(cpu_nwindows)

/*
 * getregs(buf): the caller's registers for a panic report: g0-g7, o0-o7, l0-l7, i0-i7, then PSR,
 * WIM, TBR, Y. A leaf: the caller's window is the current one.
 */
ENTRY(getregs)
	st	%g0, [%o0 + 0]
	st	%g1, [%o0 + 4]
	st	%g2, [%o0 + 8]
	st	%g3, [%o0 + 12]
	st	%g4, [%o0 + 16]
	st	%g5, [%o0 + 20]
	st	%g6, [%o0 + 24]
	st	%g7, [%o0 + 28]
	st	%o0, [%o0 + 32]
	st	%o1, [%o0 + 36]
	st	%o2, [%o0 + 40]
	st	%o3, [%o0 + 44]
	st	%o4, [%o0 + 48]
	st	%o5, [%o0 + 52]
	st	%o6, [%o0 + 56]
	st	%o7, [%o0 + 60]
	st	%l0, [%o0 + 64]
	st	%l1, [%o0 + 68]
	st	%l2, [%o0 + 72]
	st	%l3, [%o0 + 76]
	st	%l4, [%o0 + 80]
	st	%l5, [%o0 + 84]
	st	%l6, [%o0 + 88]
	st	%l7, [%o0 + 92]
	st	%i0, [%o0 + 96]
	st	%i1, [%o0 + 100]
	st	%i2, [%o0 + 104]
	st	%i3, [%o0 + 108]
	st	%i4, [%o0 + 112]
	st	%i5, [%o0 + 116]
	st	%i6, [%o0 + 120]
	st	%i7, [%o0 + 124]
	rd	%psr, %o1
	st	%o1, [%o0 + 128]
	rd	%wim, %o1
	st	%o1, [%o0 + 132]
	rd	%tbr, %o1
	st	%o1, [%o0 + 136]
	rd	%y, %o1
	st	%o1, [%o0 + 140]
	retl
	 nop
	SET_SIZE(getregs)

/*
 * idle_pause(): wait for an interrupt in the idle loop: the sysctl device stops this CPU until an
 * interrupt is raised for it (or returns at once if one was raised since the last idle_pause).
 */
ENTRY(idle_pause)
	rd	%asr17, %o0
	srl	%o0, 28, %o0
	sethi	%hi(SYSCTL_BASE), %o1
	st	%o0, [%o1 + SC_IDLE]
	retl
	 nop
	SET_SIZE(idle_pause)

/*
 * _start: every CPU begins here, in supervisor mode with traps off (CPU 0 at reset, the others
 * when CPU 0 starts them through the sysctl device). Sets up the window registers (NWINDOWS from
 * %asr17), the trap base and a boot stack, counts itself in under an ldstub lock, then CPU 0 runs
 * main() and the others wait for boot_release and run mp_startup().
 */
ENTRY(_start)
	set	PSR_S | PSR_PIL, %g1
	wr	%g1, 0, %psr
	nop; nop; nop
	rd	%asr17, %g2
	and	%g2, 0x1f, %g3
	srl	%g2, 28, %g4
	set	nwin_minus_1, %g5
	st	%g3, [%g5]
	add	%g3, 1, %g6
	set	nwindows, %g5
	st	%g6, [%g5]
	mov	1, %g1
	sll	%g1, %g6, %g1
	set	wim_wrap, %g5
	st	%g1, [%g5]
	sub	%g1, 1, %g1
	set	wim_mask, %g5
	st	%g1, [%g5]
	mov	2, %g1                      /* CWP 0 is ours; window 1 is the invalid one */
	wr	%g1, 0, %wim
	set	trap_table, %g1
	wr	%g1, 0, %tbr
	nop; nop; nop
	set	boot_stacks, %g1
	add	%g4, 1, %g2
	sll	%g2, 13, %g2                /* BOOTSTACK_SIZE = 8192 */
	add	%g1, %g2, %g1
	sub	%g1, MINFRAME, %sp
	mov	%g0, %fp
	set	boot_lock, %g1
1:	ldstub	[%g1], %g2
	tst	%g2
	bne	1b
	 nop
	set	ncpus_booted, %g2
	ld	[%g2], %g3
	add	%g3, 1, %g3
	st	%g3, [%g2]
	stbar
	stb	%g0, [%g1]
	mov	%g0, %g7
	rd	%psr, %g1
	wr	%g1, PSR_ET, %psr
	nop; nop; nop
	tst	%g4
	bne	2f
	 nop
	call	main
	 nop
	call	cpu_halt_machine
	 nop
2:	set	boot_release, %g1
3:	ld	[%g1], %g2
	tst	%g2
	be	3b
	 nop
	call	mp_startup
	 mov	%g4, %o0
	call	cpu_halt_machine
	 nop
	SET_SIZE(_start)

	.section ".data"
	.align	8
	.global	nwindows, nwin_minus_1, wim_mask, wim_wrap, ncpus_booted, boot_release
nwindows:	.word 8
nwin_minus_1:	.word 7
wim_mask:	.word 0xff
wim_wrap:	.word 0x100
ncpus_booted:	.word 0
boot_release:	.word 0
boot_lock:	.byte 0
atomic_lock:	.byte 0

	.section ".bss"
	.align	8
	.global	boot_stacks
boot_stacks:
	.skip	MAXCPU * BOOTSTACK_SIZE
