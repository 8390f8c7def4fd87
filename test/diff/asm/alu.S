! Every integer ALU instruction on every pair of edge values, with the condition codes it leaves,
! written to stdout as raw words (user mode: icc is read back through branches, not %psr).
#define NV 12
	.macro REC r
	st	\r, [%g7]
	add	%g7, 4, %g7
	.endm
	.macro ICC			! NZVC of the current icc into %g6, recorded
	mov	0, %g6
	bne	1f
	 nop
	or	%g6, 4, %g6
1:	bpos	2f
	 nop
	or	%g6, 8, %g6
2:	bvc	3f
	 nop
	or	%g6, 2, %g6
3:	bcc	4f
	 nop
	or	%g6, 1, %g6
4:	REC	%g6
	.endm
	.macro OP op			! rd only
	\op	%o1, %o2, %o3
	REC	%o3
	.endm
	.macro OPCC op			! rd and icc
	\op	%o1, %o2, %o3
	REC	%o3
	ICC
	.endm
	.macro WITHC op			! with the carry in set, then clear
	subcc	%g0, 1, %g0
	OPCC	\op
	addcc	%g0, 0, %g0
	OPCC	\op
	.endm
	.macro MUL op			! rd, %y, icc
	\op	%o1, %o2, %o3
	rd	%y, %o4
	REC	%o3
	REC	%o4
	ICC
	.endm
	.macro DIV op			! %y:rs1 / rs2 with %y = %o5
	wr	%o5, 0, %y
	nop
	nop
	nop
	\op	%o1, %o2, %o3
	REC	%o3
	ICC
	.endm

	.section .text
	.global _start
_start:
	set	results, %g7
	set	values, %l0
	mov	0, %l1
outer:
	mov	0, %l2
inner:
	sll	%l1, 2, %o0
	ld	[%l0 + %o0], %o1
	sll	%l2, 2, %o0
	ld	[%l0 + %o0], %o2
	add	%l1, %l2, %o0		! a third value for Y
	and	%o0, 7, %o0
	sll	%o0, 2, %o0
	ld	[%l0 + %o0], %o5

	OP	add
	OPCC	addcc
	WITHC	addx
	WITHC	addxcc
	OP	sub
	OPCC	subcc
	WITHC	subx
	WITHC	subxcc
	OP	and
	OPCC	andcc
	OP	andn
	OPCC	andncc
	OP	or
	OPCC	orcc
	OP	orn
	OPCC	orncc
	OP	xor
	OPCC	xorcc
	OP	xnor
	OPCC	xnorcc
	OP	sll
	OP	srl
	OP	sra
	OPCC	taddcc
	OPCC	tsubcc
	MUL	umul
	MUL	smul
	MUL	umulcc
	MUL	smulcc
	! mulscc: Y = %o5, icc from a compare of the operands
	wr	%o5, 0, %y
	nop
	nop
	nop
	subcc	%o1, %o2, %g0
	mulscc	%o1, %o2, %o3
	rd	%y, %o4
	REC	%o3
	REC	%o4
	ICC
	cmp	%o2, 0			! no division by zero here
	be	nodiv
	 nop
	DIV	udiv
	DIV	sdiv
	DIV	udivcc
	DIV	sdivcc
nodiv:
	add	%l2, 1, %l2
	cmp	%l2, NV
	bl	inner
	 nop
	add	%l1, 1, %l1
	cmp	%l1, NV
	bl	outer
	 nop

	! Shifts and immediates: the low five bits of the count, sign-extended simm13.
	set	0x87654321, %o1
	sll	%o1, 31, %o3
	REC	%o3
	sra	%o1, 31, %o3
	REC	%o3
	srl	%o1, 0, %o3
	REC	%o3
	addcc	%o1, -4096, %o3
	REC	%o3
	ICC
	xor	%o1, 4095, %o3
	REC	%o3
	sethi	%hi(0xfffffc00), %o3
	REC	%o3

	! write(1, results, %g7 - results); exit(0)
	set	results, %o1
	sub	%g7, %o1, %o2
	mov	1, %o0
	mov	4, %g1
	ta	0x10
	mov	0, %o0
	mov	1, %g1
	ta	0x10

	.section .data
	.align 4
values:	.word 0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0x12345678, 0xfffffffe, 33, 0x40000000
	.section .bss
	.align 8
results: .skip 65536
