/* genunix part: the console, printf and friends, cmn_err, panic and assertion failures. */

static lock_t cons_lock;
volatile int panicking;
static lock_t panic_lock;

/* What the host reads after a panic (src/main/core/minisol/panic.ts decodes it). */
struct panic_info {
	uint_t pi_magic;                /* PANIC_MAGIC once filled in */
	int pi_cpu;
	int pi_pid;
	uint_t pi_thread;
	uint_t pi_regs[36];             /* g0-g7 o0-o7 l0-l7 i0-i7 psr wim tbr y of panic()'s window */
	uint_t pi_has_trap;             /* 1 when an unexpected trap caused the panic */
	struct regs pi_trap;            /* the trap frame then */
	uint_t pi_sp;                   /* where the host starts the stack walk (windows flushed) */
	uint_t pi_pc;
	hrtime_t pi_time;
	char pi_msg[256];
} panic_info;
#define PANIC_MAGIC 0x50414e43      /* "PANC" */

static inline void
cons_reg_write(uint_t off, uint_t v)
{
	*(volatile uint_t *)(CONS_BASE + off) = v;
}

void
console_putc(int c)
{
	cons_reg_write(CONS_DATA, (uint_t)(uchar_t)c);
}

void
console_puts(const char *s)
{
	while (*s != '\0')
		console_putc(*s++);
}

/* Formats an unsigned 64-bit number in base 10 or 16 into the end of buf; returns the start. */
static char *
fmt_u64(char *end, uint64_t v, int base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;
	*--p = '\0';
	if (v == 0) {
		*--p = '0';
		return p;
	}
	while (v != 0) {
		uint64_t q;
		uint_t r;
		if (base == 16) {
			r = (uint_t)v & 15;
			q = v >> 4;
		} else if ((v >> 32) == 0) {
			uint_t lo = (uint_t)v;
			r = lo % 10;
			q = lo / 10;
		} else {
			r = udiv64_32(v, 10, &q);
		}
		*--p = digits[r];
		v = q;
	}
	return p;
}

struct fmtbuf {
	char *buf;
	size_t len;
	size_t pos;
};

static void
fb_putc(struct fmtbuf *fb, int c)
{
	if (fb->pos + 1 < fb->len)
		fb->buf[fb->pos] = (char)c;
	fb->pos++;
}

int
vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct fmtbuf fb;
	char tmp[24];
	fb.buf = buf;
	fb.len = len;
	fb.pos = 0;
	while (*fmt != '\0') {
		int c = *fmt++;
		int width = 0, zero = 0, left = 0, longlong = 0, neg = 0;
		const char *s;
		uint64_t v;
		int n;
		if (c != '%') {
			fb_putc(&fb, c);
			continue;
		}
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			zero = 1;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longlong++;
			fmt++;
		}
		c = *fmt++;
		switch (c) {
		case 'd':
		case 'i':
			if (longlong >= 2) {
				longlong_t sv = va_arg(ap, longlong_t);
				if (sv < 0) {
					neg = 1;
					v = (uint64_t)-sv;
				} else {
					v = (uint64_t)sv;
				}
			} else {
				int sv = va_arg(ap, int);
				if (sv < 0) {
					neg = 1;
					v = (uint64_t)(uint_t)-sv;
				} else {
					v = (uint64_t)sv;
				}
			}
			s = fmt_u64(tmp + sizeof (tmp), v, 10, 0);
			break;
		case 'u':
		case 'x':
		case 'X':
			v = longlong >= 2 ? va_arg(ap, uint64_t) : (uint64_t)va_arg(ap, uint_t);
			s = fmt_u64(tmp + sizeof (tmp), v, c == 'u' ? 10 : 16, c == 'X');
			break;
		case 'p':
			v = (uint64_t)(uintptr_t)va_arg(ap, void *);
			s = fmt_u64(tmp + sizeof (tmp), v, 16, 0);
			fb_putc(&fb, '0');
			fb_putc(&fb, 'x');
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			zero = 0;
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			tmp[1] = '\0';
			s = tmp;
			break;
		case '%':
			s = "%";
			break;
		default:
			fb_putc(&fb, '%');
			fb_putc(&fb, c);
			continue;
		}
		n = (int)strlen(s) + neg;
		if (!left && zero && neg) {
			fb_putc(&fb, '-');
			neg = 0;
		}
		if (!left)
			for (; n < width; n++)
				fb_putc(&fb, zero ? '0' : ' ');
		if (neg)
			fb_putc(&fb, '-');
		while (*s != '\0')
			fb_putc(&fb, *s++);
		if (left)
			for (; n < width; n++)
				fb_putc(&fb, ' ');
	}
	if (fb.len > 0)
		fb.buf[fb.pos < fb.len ? fb.pos : fb.len - 1] = '\0';
	return (int)fb.pos;
}

int
snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

static void
cons_write_locked(const char *s)
{
	int spl = lock_set_spl(&cons_lock, IPL(IPL_HIGH));
	console_puts(s);
	lock_clear_splx(&cons_lock, spl);
}

int
printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof (buf), fmt, ap);
	va_end(ap);
	cons_write_locked(buf);
	return n;
}

void
cmn_err(int level, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	const char *prefix = level == CE_WARN ? "WARNING: " : level == CE_NOTE ? "NOTICE: " : "";
	va_start(ap, fmt);
	vsnprintf(buf, sizeof (buf), fmt, ap);
	va_end(ap);
	if (level == CE_PANIC)
		panic("%s", buf);
	printf("%s%s\n", prefix, buf);
}

void
panic(const char *fmt, ...)
{
	va_list ap;
	splr(IPL(15));
	if (!lock_try(&panic_lock)) {
		/* another CPU is panicking: stop here and let it report */
		for (;;)
			idle_pause();
	}
	panicking = 1;
	va_start(ap, fmt);
	vsnprintf(panic_info.pi_msg, sizeof (panic_info.pi_msg), fmt, ap);
	va_end(ap);
	getregs(panic_info.pi_regs);
	flush_windows();
	panic_info.pi_cpu = cpu_index();
	panic_info.pi_thread = (uint_t)curthread;
	panic_info.pi_pid = (curthread != NULL && curthread->t_procp != NULL) ? curthread->t_procp->p_pid : -1;
	panic_info.pi_sp = getsp();
	panic_info.pi_pc = (uint_t)__builtin_return_address(0);
	panic_info.pi_time = gethrtime();
	panic_info.pi_magic = PANIC_MAGIC;
	console_puts("\npanic[cpu");
	console_putc('0' + panic_info.pi_cpu % 10);
	console_puts("]: ");
	console_puts(panic_info.pi_msg);
	console_puts("\n");
	*(volatile uint_t *)(SYSCTL_BASE + SC_HALT) = 1;
	cpu_halt_machine();
}

void
assfail(const char *expr, const char *file, int line)
{
	panic("assertion failed: %s, file: %s, line: %d", expr, file, line);
}
