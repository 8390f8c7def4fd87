! V8+A (UltraSPARC-1 VIS) syntax for the GNU as differential test (-Av8plusa).
	.text
vis:	fpadd16	%f0, %f2, %f4
	fpadd32s %f1, %f3, %f5
	fpsub16	%f32, %f34, %f36
	fpack16	%f2, %f1
	fexpand	%f1, %f2
	fpmerge	%f1, %f3, %f4
	fmul8x16 %f1, %f2, %f4
	fmuld8sux16 %f1, %f3, %f4
	alignaddr %o0, %o1, %o2
	alignaddrl %o0, %o1, %o2
	faligndata %f0, %f2, %f4
	fzero	%f0
	fzeros	%f1
	fone	%f2
	fsrc1	%f0, %f2
	fnot2s	%f1, %f3
	for	%f0, %f2, %f4
	fxnors	%f1, %f3, %f5
	fcmpgt16 %f0, %f2, %o0
	fcmpeq32 %f0, %f2, %o1
	edge8	%o0, %o1, %o2
	edge32l	%o0, %o1, %o2
	pdist	%f0, %f2, %f4
	array8	%o0, %o1, %o2
	array32	%o0, %o1, %o2
	rd	%gsr, %o0
	wr	%o0, 0, %gsr
	rd	%softint, %o1
	wr	%o1, 3, %softint_set
	wr	%o1, 1, %softint_clear
	rd	%tick_cmpr, %o2
	wr	%o2, %g0, %tick_cmpr
	rd	%pcr, %o3
	wr	%o3, %o4, %pic
	rd	%dcr, %o4
	shutdown
	.align	16
	nop
