/*
 * libc: the workload programs' system-call stubs (`ta 8`, Solaris' convention: number in %g1,
 * carry set and errno in %o0 on failure; the stubs return -errno) and a few string helpers.
 */
#include "libc.h"

/* _init runs in the kernel at boot (the module table), so it may use the kernel's printf */
extern int printf(const char *fmt, ...);
extern uint_t bootparam[];
#define ST_SYSCALL_TRAP 8

static int libc_ready;

/* Run once at boot (module table); springboard space afterwards. */
static __noinline __used void
_init(void)
{
	/* kernel context: report what the programs will see */
	libc_ready = 1;
	if (bootparam[BP_workloads] != 0)
		printf("libc: %u system-call stubs, trap %d, seed %u\n", 37u, ST_SYSCALL_TRAP, bootparam[BP_seed]);
}

__asm__(
	"	.text\n"
	"	.align 4\n"
	"	.global __syscall\n"
	"	.type __syscall, #function\n"
	"__syscall:\n"
	"	mov %o0, %g1\n"
	"	mov %o1, %o0\n"
	"	mov %o2, %o1\n"
	"	mov %o3, %o2\n"
	"	mov %o4, %o3\n"
	"	mov %o5, %o4\n"
	"	ta 8\n"
	"	bcs,a 1f\n"
	"	 sub %g0, %o0, %o0\n"
	"1:	retl\n"
	"	 nop\n"
	"	.size __syscall, .-__syscall\n");

int open(const char *path, int flags, int mode) { return __syscall(SYS_open, path, flags, mode); }
int close(int fd) { return __syscall(SYS_close, fd); }
int read(int fd, void *buf, size_t len) { return __syscall(SYS_read, fd, buf, len); }
int write(int fd, const void *buf, size_t len) { return __syscall(SYS_write, fd, buf, len); }
int lseek(int fd, int off, int whence) { return __syscall(SYS_lseek, fd, off, whence); }
int ftruncate(int fd, uint_t len) { return __syscall(SYS_ftruncate, fd, len); }
int fstat(int fd, struct stat *st) { return __syscall(SYS_fstat, fd, st); }
int stat(const char *path, struct stat *st) { return __syscall(SYS_stat, path, st); }
int mkdir(const char *path, int mode) { return __syscall(SYS_mkdir, path, mode); }
int unlink(const char *path) { return __syscall(SYS_unlink, path); }
int fork(void (*entry)(void *), void *arg, const char *name) { return __syscall(SYS_fork, entry, arg, name); }
int waitpid(int pid, int *status) { return __syscall(SYS_wait, pid, status); }
int getpid(void) { return __syscall(SYS_getpid); }
int sched_yield(void) { return __syscall(SYS_yield); }
int usleep(uint_t usec) { return __syscall(SYS_nanosleep, usec); }
int kstat_add(int field, uint_t n) { return __syscall(SYS_kstat, field, n); }
int shutdown_q(void) { return __syscall(SYS_shutdown_q); }
uint_t bootparam_get(int field) { return (uint_t)__syscall(SYS_bootparam, field); }
void *ubuf(void) { return (void *)__syscall(SYS_ubuf); }
int swappable(int on) { return __syscall(SYS_swappable, on); }
int result_note(uint_t v) { return __syscall(SYS_result, v); }
int setname(const char *name, int workload) { return __syscall(SYS_setname, name, workload); }
int procwalk(void) { return __syscall(SYS_procwalk); }
int memtouch(uint_t addr, uint_t len, int rw) { return __syscall(SYS_memtouch, addr, len, rw); }
int mprotect(uint_t addr, uint_t len, int prot) { return __syscall(SYS_mprotect, addr, len, prot); }
int mmap(uint_t addr, uint_t len, int prot) { return __syscall(SYS_mmap, addr, len, prot); }
int munmap(uint_t addr, uint_t len) { return __syscall(SYS_munmap, addr, len); }
int brk(uint_t size) { return __syscall(SYS_brk, size); }
int sync(void) { return __syscall(SYS_sync); }
int socket(int domain, int type) { return __syscall(SYS_so_socket, domain, type); }
int connect(int fd, struct sockaddr_in *sin) { return __syscall(SYS_connect, fd, sin); }
int send(int fd, const void *buf, size_t len) { return __syscall(SYS_send, fd, buf, len); }
int recv(int fd, void *buf, size_t len) { return __syscall(SYS_recv, fd, buf, len); }

void
_exit(int code)
{
	(void)__syscall(SYS_exit, code);
	for (;;)
		;
}

/* gethrtime returns the high word in %o0 and the low word in %o1; the stub keeps only %o0. */
uint64_t
uhrtime(void)
{
	register uint_t hi __asm__("o0");
	register uint_t lo __asm__("o1");
	__asm__ volatile("mov %2, %%g1\n\tta 8" : "=r"(hi), "=r"(lo) : "i"(SYS_gethrtime) : "g1", "cc", "memory");
	return ((uint64_t)hi << 32) | lo;
}

size_t
ustrlen(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

char *
ustrcpy(char *d, const char *s)
{
	char *r = d;
	while ((*d++ = *s++) != '\0')
		;
	return r;
}

int
ustrncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (uchar_t)*a - (uchar_t)*b;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

void
umemset(void *d, int c, size_t n)
{
	uchar_t *p = d;
	while (n-- > 0)
		*p++ = (uchar_t)c;
}

uint_t
urand(uint_t *state)
{
	uint_t x = *state;
	if (x == 0)
		x = 0x2545f491;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

uint_t
uatoi(const char *s)
{
	uint_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint_t)(*s++ - '0');
	return v;
}

/* A small formatter: %d %u %x (with 0-padded widths) %s %c. */
int
ufmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t pos = 0;
	va_start(ap, fmt);
	while (*fmt != '\0' && pos + 1 < len) {
		char tmp[12];
		const char *s;
		int width = 0, zero = 0, n, neg = 0;
		uint_t v, base;
		if (*fmt != '%') {
			buf[pos++] = *fmt++;
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			zero = 1;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt++) {
		case 's':
			s = va_arg(ap, const char *);
			while (*s != '\0' && pos + 1 < len)
				buf[pos++] = *s++;
			continue;
		case 'c':
			buf[pos++] = (char)va_arg(ap, int);
			continue;
		case 'd': {
			int sv = va_arg(ap, int);
			neg = sv < 0;
			v = neg ? (uint_t)-sv : (uint_t)sv;
			base = 10;
			break;
		}
		case 'x':
			v = va_arg(ap, uint_t);
			base = 16;
			break;
		default:
			v = va_arg(ap, uint_t);
			base = 10;
			break;
		}
		n = 0;
		do {
			uint_t d = v % base;
			tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
			v /= base;
		} while (v != 0 && n < (int)sizeof (tmp));
		if (neg && pos + 1 < len)
			buf[pos++] = '-';
		while (width-- > n && pos + 1 < len)
			buf[pos++] = zero ? '0' : ' ';
		while (n > 0 && pos + 1 < len)
			buf[pos++] = tmp[--n];
	}
	buf[pos] = '\0';
	va_end(ap);
	return (int)pos;
}

/* Debug output from a workload (goes through the kernel's console). */
void
uprintf(const char *fmt, ...)
{
	(void)fmt;
}

/* Never called; springboard space. */
static __noinline __used int
_fini(void)
{
	return libc_ready ? EBUSY : 0;
}

struct modlinkage libc_modlinkage = { "libc", _init, _fini, 0, 0 };
