! Supervisor-mode test kernel: a trap table, real window overflow/underflow handlers, and one test per trap class.
! Results go to `results` (one word per REC) and every trap taken through `generic` to `traplog`.
#define DEVICE 0x80000000
#define NW 8
	.macro REC r
	st	\r, [%g7]
	add	%g7, 4, %g7
	.endm

	.section .text
	.global _start
! ---- the trap table: 256 entries of 4 instructions, at a 4 KiB boundary --------------------------
table:
_start:
	ba	start
	 nop
	nop
	nop
	.rept 4
	ba	generic			! tt 0x01-0x04
	 nop
	nop
	nop
	.endr
	ba	window_overflow		! tt 0x05
	 nop
	nop
	nop
	ba	window_underflow	! tt 0x06
	 nop
	nop
	nop
	.rept 249
	ba	generic
	 nop
	nop
	nop
	.endr

! ---- trap handlers ------------------------------------------------------------------------------
window_overflow:			! CWP = the invalid window; spill CWP-1 and rotate WIM right
	mov	%wim, %l3
	mov	%g1, %l7
	srl	%l3, 1, %g1
	sll	%l3, NW - 1, %l4
	or	%l4, %g1, %g1
	and	%g1, (1 << NW) - 1, %g1
	sethi	%hi(ovf_count), %l5
	ld	[%l5 + %lo(ovf_count)], %l6
	add	%l6, 1, %l6
	st	%l6, [%l5 + %lo(ovf_count)]
	save
	mov	%g1, %wim
	nop
	nop
	nop
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
	jmp	%l1			! run the save again
	 rett	%l2

window_underflow:			! restore found CWP+1 invalid: fill it, rotate WIM left
	mov	%wim, %l3
	sll	%l3, 1, %l4
	srl	%l3, NW - 1, %l5
	or	%l5, %l4, %l5
	and	%l5, (1 << NW) - 1, %l5
	sethi	%hi(unf_count), %l6
	ld	[%l6 + %lo(unf_count)], %l4
	add	%l4, 1, %l4
	st	%l4, [%l6 + %lo(unf_count)]
	wr	%l5, 0, %wim
	nop
	nop
	nop
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
	jmp	%l1			! run the restore again
	 rett	%l2

generic:				! log tt; interrupts return to the interrupted instruction
	rd	%tbr, %l3
	srl	%l3, 4, %l3
	and	%l3, 0xff, %l3
	sethi	%hi(traplog), %l4
	or	%l4, %lo(traplog), %l4
	ld	[%l4], %l5
	add	%l5, 1, %l6
	st	%l6, [%l4]
	sll	%l6, 2, %l6
	st	%l3, [%l4 + %l6]
	cmp	%l3, 0x10
	bleu	1f
	 nop
	cmp	%l3, 0x1f
	bgu	1f
	 nop
	sub	%l3, 0x10, %l5		! interrupt: acknowledge at the device (clears the level)
	set	DEVICE, %l4
	st	%l5, [%l4]
	jmp	%l1
	 rett	%l2
1:	cmp	%l3, 0xb0		! ta 0x30: go back to supervisor mode
	bne	2f
	 nop
	rd	%psr, %l5
	or	%l5, 0x40, %l5		! PS = 1: rett restores S from PS
	wr	%l5, 0, %psr
	nop
	nop
	nop
2:	jmp	%l2			! skip the trapping instruction
	 rett	%l2 + 4

! ---- the tests ----------------------------------------------------------------------------------
rec:					! rec(n) = n + rec(n-1), rec(0) = 0
	save	%sp, -96, %sp
	cmp	%i0, 0
	be	1f
	 mov	0, %l0
	call	rec
	 sub	%i0, 1, %o0
	add	%o0, %i0, %l0
1:	ret
	 restore %l0, 0, %o0

	.global start
start:
	set	table, %g1
	wr	%g1, 0, %tbr
	wr	%g0, 2, %wim		! window 1 invalid: CWP 0 can save 6 times
	wr	%g0, 0xa0, %psr		! S=1, ET=1, PIL=0, CWP=0
	nop
	nop
	nop
	set	stack_top, %sp
	mov	0, %fp
	set	results, %g7

	! T1: deep recursion through the window handlers
	mov	20, %o0
	call	rec
	 nop
	REC	%o0
	set	ovf_count, %o1
	ld	[%o1], %o2
	REC	%o2
	set	unf_count, %o1
	ld	[%o1], %o2
	REC	%o2

	! T2: misaligned load and store (tt 7), jmpl to a misaligned address (tt 7)
	set	results + 1, %o1
	ld	[%o1], %o2
	sth	%o2, [%o1]
	set	1f + 2, %o3
	jmp	%o3
	 nop
1:
	! T3: unimp (tt 2)
	unimp	0x1234
	! T4: taddcctv overflow (tt 0xa) leaves rd and icc alone; tsubcctv with a tag (tt 0xa)
	set	0x7fffffff, %o1
	mov	0x55, %o3
	taddcctv %o1, 1, %o3
	REC	%o3
	tsubcctv %o3, 1, %o3
	! T5: division by zero (tt 0x2a)
	udiv	%o1, %g0, %o4
	sdivcc	%o1, %g0, %o4
	! T6: software traps: ta 0x25 (tt 0xa5) taken, tne not taken after cmp equal
	ta	0x25
	cmp	%g0, %g0
	tne	0x26
	mov	3, %o0
	ta	%o0 + 0x7e		! (3 + 0x7e) & 0x7f = 1: tt 0x81
	! T7: implementation ASRs: configuration; reserved ASR 5 is illegal (tt 2)
	rd	%asr17, %o0
	REC	%o0
	rd	%asr5, %o0
	! T8: floating point without an FPU (tt 4)
	fadds	%f0, %f1, %f2
	ld	[%g7], %f0
	! T9: wrpsr with CWP >= NWINDOWS (tt 2)
	wr	%g0, 0xa9, %psr
	nop
	nop
	nop
	! T10: user mode: privileged instructions trap (tt 3), ta 0x30 comes back
	rd	%psr, %o0
	andn	%o0, 0x80, %o0
	wr	%o0, 0, %psr
	nop
	nop
	nop
	rd	%psr, %o1
	lda	[%g7] 0xb, %o1
	rd	%y, %o1			! not privileged
	ta	0x30
	rd	%psr, %o0
	REC	%o0
	! T11: alternate spaces: supervisor data works; an unknown ASI is data_access_exception (tt 9)
	mov	0x77, %o1
	sta	%o1, [%g7] 0xb
	lda	[%g7] 0xb, %o2
	REC	%o2
	lda	[%g7] 0x33, %o2
	! T12: interrupts: level 5 under PIL 7 waits; lowering PIL to 4 takes it (tt 0x15); level 15 is never masked
	wr	%g0, 0x7a0, %psr
	nop
	nop
	nop
	set	DEVICE, %o1
	mov	0x105, %o2
	st	%o2, [%o1]		! raise level 5
	nop
	set	traplog, %o3
	ld	[%o3], %o4
	REC	%o4			! count before
	wr	%g0, 0x4a0, %psr	! PIL 4: level 5 taken before the next instruction
	nop
	nop
	ld	[%o3], %o4
	REC	%o4
	wr	%g0, 0xfa0, %psr	! PIL 15
	nop
	mov	0x10f, %o2
	st	%o2, [%o1]		! raise level 15: taken anyway
	nop
	ld	[%o3], %o4
	REC	%o4
	wr	%g0, 0xa0, %psr
	nop
	nop
	nop
	! T13: save/restore compute rd from the old window, write it in the new one
	mov	7, %o1
	save	%o1, 3, %l0		! new %l0 = 10
	REC	%l0
	restore	%l0, 1, %o2		! back: %o2 = 11
	REC	%o2
	! T14: ldstub and swap in supervisor mode; ldd/std pairs
	set	lockword, %o1
	ldstub	[%o1 + 1], %o2
	REC	%o2
	ld	[%o1], %o2
	REC	%o2
	mov	0x1234, %o3
	swap	[%o1], %o3
	REC	%o3
	set	0x11112222, %o4
	set	0x33334444, %o5
	add	%g7, 7, %g7		! ldd/std need 8-byte alignment
	andn	%g7, 7, %g7
	std	%o4, [%g7]
	ldd	[%g7], %o2
	add	%g7, 8, %g7
	REC	%o3
	! T15: instruction counter is running (read low word first)
	rd	%asr20, %o0
	rd	%asr21, %o1
	REC	%o1
	subcc	%o0, 100, %g0
	bgu	1f
	 mov	1, %o2
	mov	0, %o2
1:	REC	%o2
	! T16: mulscc in a loop with Y, umul/smul high words
	set	0x12345678, %o0
	wr	%o0, 0, %y
	nop
	nop
	nop
	andcc	%g0, %g0, %o1
	.rept 32
	mulscc	%o1, 1000, %o1
	.endr
	mulscc	%o1, %g0, %o1
	rd	%y, %o2
	REC	%o1
	REC	%o2
	.global done
done:
	ba	done
	 nop

	.global errtest
errtest:				! reached with ET=0: unimp puts the CPU in error mode
	unimp	0
	nop

	.section .data
	.align 8
	.global results, traplog, ovf_count, unf_count
results:	.skip 256
traplog:	.skip 256
ovf_count:	.word 0
unf_count:	.word 0
lockword:	.word 0x01020304
	.align 8
		.skip 16384
stack_top:	.skip 64
