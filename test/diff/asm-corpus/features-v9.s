! V8+ (V9 in 32-bit code) syntax for the GNU as differential test (-Av8plus / -Av8plusa).
	.section ".text"
	.align	4
	.global	v9start
	.register %g2, #scratch
	.register %g3, #ignore
v9start:
	save	%sp, -96, %sp
	bne	%icc, 1f
	 nop
	bne,pt	%icc, 1f
	 nop
	bne,pn	%xcc, 1f
	 nop
	bne,a,pt %icc, 1f
	 nop
	bne,a,pn %xcc, 1f
	 nop
	ba,pt	%xcc, 1f
	ba,a,pt	%xcc, 1f
	bgeu	%icc, v9start
	bl,pn	%icc, external_sym
1:	brz	%o0, 1b
	 nop
	brnz,a	%o1, 1b
	brgez,pt %o2, 1b
	brlz,a,pn %o3, 1b
	brlez	%o4, 2f
	brgz	%o5, 2f
2:	fbne	%fcc0, 2b
	fbe,a	%fcc1, 2b
	fbug,pn	%fcc2, 2b
	fbuge,a,pt %fcc3, 2b
	fbne	2b
	iprefetch 2b
	bne	2b
	movne	%icc, %o0, %o1
	move	%xcc, 5, %o1
	movgu	%icc, -1024, %o2
	movl	%fcc1, %o3, %o4
	movrz	%o0, %o1, %o2
	movrne	%o0, 511, %o2
	fmovsne	%icc, %f1, %f2
	fmovdg	%fcc2, %f2, %f4
	fmovrdz	%o0, %f2, %f4
	fcmps	%fcc1, %f0, %f1
	fcmped	%fcc3, %f2, %f4
	faddd	%f32, %f34, %f62
	fmovd	%f40, %f42
	fnegd	%f0, %f2
	fxtod	%f2, %f4
	fdtox	%f4, %f6
	ldx	[%o0], %o2
	ldx	[%o0 + 8], %o2
	stx	%o2, [%o0 + %o1]
	ldsw	[%o0], %o1
	ldsw	[%o0 + 4], %o1
	lduw	[%o0], %o1
	clrx	[%o0]
	casa	[%o0] 0x80, %o1, %o2
	casa	[%o0] %asi, %o1, %o2
	cas	[%o0], %o1, %o2
	casx	[%o0], %o1, %o2
	casxa	[%o0] #ASI_P, %o1, %o2
	lda	[%o0] #ASI_AIUP, %o1
	lda	[%o0 + 4] %asi, %o1
	ldxa	[%o0 + %o1] 0x80, %o2
	stxa	%o2, [%o0] %asi
	ldda	[%o0] %asi, %o2
	prefetch [%o0], #n_reads
	prefetch [%o0 + 8], #one_write
	prefetch [%o0 + %o1], 20
	prefetcha [%o0] %asi, #n_writes
	membar	#LoadLoad | #StoreStore
	membar	#Sync
	membar	#StoreLoad|#LoadStore|#MemIssue|#Lookaside
	membar	0x7f
	stbar
	sllx	%o0, 32, %o1
	srax	%o1, 63, %o2
	srlx	%o1, %o2, %o3
	mulx	%o0, %o1, %o2
	sdivx	%o0, 7, %o2
	udivx	%o0, %o1, %o2
	popc	%o0, %o1
	popc	15, %o1
	addc	%o0, %o1, %o2
	addx	%o0, %o1, %o2
	subccc	%o0, 1, %o2
	signx	%o0
	signx	%o0, %o1
	clruw	%o2
	rd	%ccr, %o0
	rd	%asi, %o0
	rd	%tick, %o0
	rd	%pc, %o0
	rd	%fprs, %o0
	wr	%o0, 0, %ccr
	wr	%o0, 0x80, %asi
	wr	%g0, 4, %fprs
	rdpr	%pstate, %o0
	rdpr	%tl, %o1
	rdpr	%ver, %o2
	wrpr	%o0, 2, %pstate
	wrpr	%o1, %tl
	flushw
	saved
	restored
	return	%i7 + 8
	 nop
	setuw	0x12345678, %o0
	setuw	5, %o1
	setuw	external_sym, %o2
	setsw	-5000, %o3
	setsw	-5, %o4
	setsw	70000, %o5
	setsw	external_sym, %l0
	set	0xffffffff, %l1
	set	-1, %l2
	sethi	%hh(0x123456789abcdef0), %o0
	or	%o0, %hm(0x123456789abcdef0), %o0
	sethi	%lm(0x123456789abcdef0), %o1
	sethi	%hh(external_sym), %o2
	or	%o2, %hm(external_sym), %o2
	sethi	%lm(external_sym), %o3
	ta	%icc, 5
	ta	%xcc, %g1 + 3
	tne	%icc, %o0
	illtrap	5
	unimp	6
	ldtw	[%o0], %o2
	sttw	%o2, [%o0]
	ldq	[%o0], %f4
	stq	%f8, [%o0]
	ldx	[%o0], %fsr
	stx	%fsr, [%o0]
	sir	3
	done
	retry
	.align	32
	nop
	.align	64
after_align:
	nop
	.xword	external_sym
	.uaxword 0x1122334455667788
	.word	after_align - v9start
	.size	v9start, . - v9start
	sethi	%h44(0x123456789ab), %o0
	or	%o0, %m44(0x123456789ab), %o0
	or	%o0, %l44(0x123456789ab), %o0
	sethi	%hix(-5000), %o1
	xor	%o1, %lox(-5000), %o1
	sethi	%uhi(0x123456789abcdef0), %o2
	or	%o2, %ulo(0x123456789abcdef0), %o2
	sethi	%h44(external_sym), %o0
	or	%o0, %m44(external_sym), %o0
	or	%o0, %l44(external_sym), %o0
	sethi	%hix(external_sym), %o1
	xor	%o1, %lox(external_sym), %o1
	sethi	%uhi(external_sym), %o2
	or	%o2, %ulo(external_sym), %o2
	.type	v9start, %function
