! Every directive and syntax feature of the assembler, for the GNU as differential test (-Av8).
/* Block comments, also
   across lines. */
# A '#' line comment (first character of the line).
	.file	"features.s"
	.ident	"springboard corpus"

	.equ	BUFSZ, 0x100
	.set	FLAGS, (1 << 3) | 1
	SHIFTED = BUFSZ >> 2
	.equiv	NEG, -8
	.set	FWD, later_label - start	! forward difference, resolved at the end

	.section ".text"
	.align	4
	.global	start
	.globl	helper
	.type	start, #function
	.proc	04
start:	save	%sp, -96, %sp		! label and instruction on one line
	mov	BUFSZ, %o0; mov FLAGS, %o1	; mov SHIFTED, %o2
	mov	'a', %o3
	mov	'\n', %o4
	mov	'\\', %o5
	mov	4 + 4 & 1, %l0		! GNU as precedence: & binds tighter than +
	mov	1 << 2 + 1, %l1
	mov	(1 << 2) + 1, %l2
	mov	-7 / 2, %l3
	mov	7 % 3, %l4
	mov	~0, %l5
	mov	3 == 3, %l6
	mov	2 < 1 || 1, %l7
	mov	0b101, %i0
	mov	017, %i1
	mov	0x7F, %i2
	mov	NEG, %i3
	mov	FWD, %i4
	add	%o0, -4096, %o0
	add	%o0, 4095, %o0
	sub	%sp, 0xfff, %sp
	sethi	%hi(0x12345678), %g1
	or	%g1, %lo(0x12345678), %g1
	sethi	%hi(data_word), %g2
	ld	[%g2 + %lo(data_word)], %g3
	ld	[%lo(data_word) + %g2], %g3
	st	%g3, [%g2+%lo(data_word+4)]
	sethi	0x3fffff, %g4
	set	5, %g1
	set	-4096, %g1
	set	4096, %g1
	set	0x12345678, %g1
	set	0x12345400, %g1
	set	0xffffffff, %g1
	set	BUFSZ, %g1
	set	data_word, %g1
	set	data_word + 8, %g1
	set	external_sym, %g1
	set	later_label, %g1
	ld	[%o0], %o1
	ld	[%o0 + %o1], %o2
	ld	[%o0 + 8], %o3
	ld	[%o0 - 8], %o3
	ld	[%o0 + -8], %o3
	ld	[8 + %o0], %o3
	ld	[8], %o3
	ldd	[%o0], %o4
	ldub	[%o0 + 1], %o1
	ldsh	[%o0 + 2], %o1
	std	%o4, [%sp + 64]
	stb	%g0, [%o0]
	clr	[%o0 + 4]
	clrb	[%o0]
	clrh	[%o0 + %o1]
	lda	[%o0] 0x20, %o1
	lda	[%o0 + %o1] 32, %o1
	sta	%o1, [%o0] (0x10 + 4)
	ldstub	[%o0], %o1
	swap	[%o0 + 4], %o1
	ld	[%o0], %f1
	ldd	[%o0], %f2
	st	%f3, [%o0]
	std	%f4, [%o0 + 8]
	ld	[%o0], %fsr
	st	%fsr, [%o0]
	mov	%o0, %o1
	mov	5, %o1
	mov	%y, %o2
	mov	%o2, %y
	rd	%y, %o2
	rd	%asr17, %o3
	wr	%o0, %y
	wr	%o0, 5, %y
	wr	%o0, %o1, %asr18
	rd	%psr, %l0
	wr	%l0, 0x20, %psr
	rd	%wim, %l1
	wr	%l1, %wim
	rd	%tbr, %l2
	wr	%l2, %tbr
	clr	%o0
	clr	%g0
	tst	%o0
	cmp	%o0, %o1
	cmp	%o0, 5
	inc	%o0
	inc	8, %o0
	dec	%o1
	deccc	4, %o1
	inccc	%o2
	neg	%o0
	neg	%o0, %o1
	not	%o0
	not	%o0, %o1
	btst	4, %o0
	bset	%o1, %o0
	bclr	8, %o0
	btog	%o2, %o0
	sll	%o0, 3, %o1
	srl	%o0, %o1, %o2
	sra	%o0, 31, %o3
	umul	%o0, %o1, %o2
	smulcc	%o0, 3, %o2
	udiv	%o0, %o1, %o2
	sdivcc	%o0, -1, %o2
	mulscc	%o0, %o1, %o2
	taddcctv %o0, %o1, %o2
	addx	%o0, %o1, %o2
	subxcc	%o0, 1, %o2
	andn	%o0, %o1, %o2
	orncc	%o0, 3, %g0
	xnor	%o0, %o1, %o2
1:	cmp	%o0, 0
	bne	1b
	 nop
	be,a	1f
	 inc	%o0
	bl	2f
	 nop
1:	b	1b
	 nop
2:	ba,a	start
	bg,a	.+8
	 nop
	bleu	. - 4
	bcs	later_label
	bvc	external_sym
	bneg	start + 4
	fbne	1b
	fbug,a	2b
	cba	1b
	cb13	1b
	call	helper
	 nop
	call	helper, 0
	 nop
	call	external_fn
	call	external_fn + 8
	call	%g1
	call	%g1 + 8
	jmp	%g1
	jmp	%g1 + %g2
	jmpl	%g1 + 4, %o7
	jmpl	%o7 + 8, %g0
	ret
	retl
	restore
	restore	%o0, 1, %o0
	rett	%l2 + 4
	flush	%o0
	flush	%o0 + 4
	iflush	%o0
	ta	5
	ta	%g1 + 2
	tne	0x10
	te	%o0
	t	3
	unimp	0x123
	stbar
	nop
	fadds	%f0, %f1, %f2
	faddd	%f0, %f2, %f4
	faddq	%f0, %f4, %f8
	fitos	%f1, %f2
	fdtoi	%f2, %f3
	fcmps	%f0, %f1
	fcmped	%f0, %f2
	fmovs	%f1, %f2
	fnegs	%f3, %f4
	fabss	%f5, %f6
	fsqrtd	%f0, %f2
	fsmuld	%f1, %f2, %f4
	fdmulq	%f0, %f2, %f4
	ld	[%o0], %c3
	st	%c4, [%o0]
	ld	[%o0], %csr
	st	%csr, [%o0]
	std	%fq, [%o0]
	std	%cq, [%o0]
	sethi	%hi(later_label), %o0
	or	%o0, %lo(later_label), %o0
	add	%o0, %lo(BUFSZ * 3), %o0
	helper:
	retl
	 nop
	.size	start, . - start
	.type	helper, @function
	.size	helper, .-helper

	.align	16
aligned16:
	nop
	.balign	8
	nop
	.p2align 3
	nop
	.align	8, 0
	.byte	1
	.align	4
	.skip	4
	.skip	3, 0xaa
	.align	4
	.space	8
	.zero	2
	.align	4
later_label:
	.word	start, later_label, data_word + 4, external_sym, external_sym - 4
	.word	later_label - start, . - start
	.half	1, 0x7fff, -1
	.short	2
	.byte	1, 255, -128, 'x'
	.long	0xdeadbeef
	.int	0x12345678
	.uaword	start
	.uahalf	0x1234
	.2byte	0x5678
	.4byte	0x9abcdef0
	.8byte	0x0123456789abcdef
	.xword	-1
	.nword	7
	.fill	3, 2, 0x1234
	.ascii	"abc", "de\tf"
	.asciz	"nul\0end"
	.string	"str\x41\101"
	.align	4

	.subsection 1
in_sub1:
	.word	1
	.subsection 0
	.word	0x55555555
	.previous
	.word	0x66666666

	.data
	.align	8
	.global	data_word
	.type	data_word, #object
data_word:
	.word	0x11111111, 0x22222222
	.size	data_word, 8
data_ptrs:
	.word	start, helper + 4, data_word, in_sub1
	.half	data_word - data_ptrs
	.byte	0
	.align	4
	.weak	weak_one
weak_one:
	.word	weak_one

	.section .rodata
	.align	4
ro:	.asciz	"read-only"
	.pushsection .data.extra, "aw", @progbits
extra:	.word	ro
	.popsection
	.word	ro

	.section .text.other, "ax", @progbits
other:	call	start
	 nop
	b	other
	 nop

	.seg	"data"
	.word	0x77777777

	.bss
	.align	8
bss_buf:
	.skip	BUFSZ
	.local	lc
	.common	lc, 16, 8
	.comm	common_sym, 32, 4
	.lcomm	lcomm_sym, 12
	.reserve reserved_sym, 8, "bss", 8

	.text
	.section .note.GNU-stack,"",@progbits
