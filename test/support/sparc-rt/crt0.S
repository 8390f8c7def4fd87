! Process entry for freestanding SPARC V8 Linux test programs: argc/argv/envp from the initial stack, then main, then exit.
	.section .text
	.global _start
	.type _start, #function
_start:
	mov	0, %fp
	ld	[%sp + 64], %o0		! argc (above the 16-word register save area)
	add	%sp, 68, %o1		! argv
	sll	%o0, 2, %o2
	add	%o2, 4, %o2
	add	%o1, %o2, %o2		! envp = argv + argc + 1
	sethi	%hi(__rt_environ), %o3
	st	%o2, [%o3 + %lo(__rt_environ)]
	sub	%sp, 32, %sp		! room for main's callee to spill its arguments (V8 ABI)
	call	main
	 nop
	call	exit
	 nop
	unimp	0
	.size _start, . - _start
