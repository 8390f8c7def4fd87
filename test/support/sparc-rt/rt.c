/* The tiny C runtime of the freestanding test programs (see rt.h); output is buffered until exit or flush. */
#include "rt.h"

char **__rt_environ;
/* Initialised data keeps the RW segment non-empty in the file (a bss-only PT_LOAD has p_offset past EOF). */
int __rt_data_marker = 1;

long __rt_syscall(long n, long a, long b, long c, long d, long e, long f) {
  register long g1 __asm__("g1") = n;
  register long o0 __asm__("o0") = a;
  register long o1 __asm__("o1") = b;
  register long o2 __asm__("o2") = c;
  register long o3 __asm__("o3") = d;
  register long o4 __asm__("o4") = e;
  register long o5 __asm__("o5") = f;
  /* Linux/SPARC: the carry flag says the call failed and %o0 holds the positive errno. */
  __asm__ volatile("ta 0x10\n\tbcc 1f\n\t nop\n\tsub %%g0, %%o0, %%o0\n1:"
                   : "+r"(o0), "+r"(o1)
                   : "r"(g1), "r"(o2), "r"(o3), "r"(o4), "r"(o5)
                   : "memory", "cc");
  return o0;
}

static char outbuf[4096];
static size_t outlen;

void fflush_stdout(void) {
  size_t done = 0;
  while (done < outlen) {
    long n = __rt_syscall(SYS_write, 1, (long)(outbuf + done), (long)(outlen - done), 0, 0, 0);
    if (n <= 0) break;
    done += (size_t)n;
  }
  outlen = 0;
}

long write(int fd, const void *buf, size_t n) { return __rt_syscall(SYS_write, fd, (long)buf, (long)n, 0, 0, 0); }
long read(int fd, void *buf, size_t n) { return __rt_syscall(SYS_read, fd, (long)buf, (long)n, 0, 0, 0); }

void _exit(int status) {
  for (;;) __rt_syscall(SYS_exit_group, status, 0, 0, 0, 0, 0);
}
void exit(int status) {
  fflush_stdout();
  _exit(status);
}
void abort(void) {
  fflush_stdout();
  __asm__ volatile("unimp 0");
  _exit(134);
}

size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}
char *strcpy(char *d, const char *s) { char *r = d; while ((*d++ = *s++)) ; return r; }
void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *dp = d; const unsigned char *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}
void *memmove(void *d, const void *s, size_t n) {
  unsigned char *dp = d; const unsigned char *sp = s;
  if (dp < sp) while (n--) *dp++ = *sp++;
  else { dp += n; sp += n; while (n--) *--dp = *--sp; }
  return d;
}
void *memset(void *d, int c, size_t n) { unsigned char *dp = d; while (n--) *dp++ = (unsigned char)c; return d; }
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
  return 0;
}
int atoi(const char *s) {
  int neg = 0, v = 0;
  if (*s == '-') { neg = 1; s++; }
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return neg ? -v : v;
}

int putchar(int c) {
  if (outlen == sizeof outbuf) fflush_stdout();
  outbuf[outlen++] = (char)c;
  return c;
}
int puts(const char *s) { while (*s) putchar(*s++); putchar('\n'); return 0; }

/* Formats into a sink: buffer (buf != 0) or stdout. Supports %d %i %u %x %X %o %c %s %p %% with
   flags '-', '0', width, precision for strings, and the l/ll/h/hh/z length modifiers. */
struct sink { char *buf; size_t size; size_t len; };
static void emit(struct sink *s, char c) {
  if (s->buf) { if (s->len + 1 < s->size) s->buf[s->len] = c; }
  else putchar(c);
  s->len++;
}
static void emit_num(struct sink *s, unsigned long long v, int neg, unsigned base, int upper, int width, int zero, int left) {
  char tmp[24];
  int n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do { tmp[n++] = digits[v % base]; v /= base; } while (v);
  int len = n + (neg ? 1 : 0);
  if (!left && !zero) for (; width > len; width--) emit(s, ' ');
  if (neg) emit(s, '-');
  if (!left && zero) for (; width > len; width--) emit(s, '0');
  while (n) emit(s, tmp[--n]);
  if (left) for (; width > len; width--) emit(s, ' ');
}
static int format(struct sink *s, const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') { emit(s, *fmt); continue; }
    fmt++;
    int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
    for (;; fmt++) {
      if (*fmt == '-') left = 1;
      else if (*fmt == '0') zero = 1;
      else break;
    }
    if (*fmt == '*') { width = va_arg(ap, int); fmt++; }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (*fmt == '.') { fmt++; prec = 0; while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0'); }
    for (;; fmt++) {
      if (*fmt == 'l') lng++;
      else if (*fmt == 'h' || *fmt == 'z') ;
      else break;
    }
    switch (*fmt) {
      case 'd': case 'i': {
        long long v = lng >= 2 ? va_arg(ap, long long) : (long long)va_arg(ap, long);
        emit_num(s, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0, 10, 0, width, zero, left);
        break;
      }
      case 'u': case 'x': case 'X': case 'o': {
        unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long) : (unsigned long long)va_arg(ap, unsigned long);
        emit_num(s, v, 0, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', width, zero, left);
        break;
      }
      case 'p': emit(s, '0'); emit(s, 'x'); emit_num(s, (unsigned long)va_arg(ap, void *), 0, 16, 0, width, zero, left); break;
      case 'c': emit(s, (char)va_arg(ap, int)); break;
      case 's': {
        const char *p = va_arg(ap, const char *);
        if (!p) p = "(null)";
        int len = 0;
        while (p[len] && (prec < 0 || len < prec)) len++;
        if (!left) for (; width > len; width--) emit(s, ' ');
        for (int i = 0; i < len; i++) emit(s, p[i]);
        if (left) for (; width > len; width--) emit(s, ' ');
        break;
      }
      case '%': emit(s, '%'); break;
      default: emit(s, '%'); emit(s, *fmt); break;
    }
  }
  return (int)s->len;
}
int printf(const char *fmt, ...) {
  struct sink s = {0, 0, 0};
  va_list ap;
  va_start(ap, fmt);
  int n = format(&s, fmt, ap);
  va_end(ap);
  return n;
}
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct sink s = {buf, size, 0};
  int n = format(&s, fmt, ap);
  if (size) buf[s.len < size ? s.len : size - 1] = 0;
  return n;
}
int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

/* malloc: a bump allocator over brk with a free list of exact-size blocks. */
struct block { size_t size; struct block *next; };
static struct block *freelist;
static char *heap_end;
void *malloc(size_t n) {
  n = (n + 7) & ~(size_t)7;
  for (struct block **pp = &freelist; *pp; pp = &(*pp)->next) {
    if ((*pp)->size == n) { struct block *b = *pp; *pp = b->next; return b + 1; }
  }
  if (!heap_end) heap_end = (char *)__rt_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
  char *p = heap_end;
  char *want = p + sizeof(struct block) + n;
  char *got = (char *)__rt_syscall(SYS_brk, (long)want, 0, 0, 0, 0, 0);
  if (got < want) return 0;
  heap_end = got;
  struct block *b = (struct block *)p;
  b->size = n;
  return b + 1;
}
void *calloc(size_t n, size_t m) { void *p = malloc(n * m); if (p) memset(p, 0, n * m); return p; }
void free(void *p) {
  if (!p) return;
  struct block *b = (struct block *)p - 1;
  b->next = freelist;
  freelist = b;
}

static void swap_bytes(char *a, char *b, size_t size) { while (size--) { char t = *a; *a++ = *b; *b++ = t; } }
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  char *b = base;
  while (n > 1) {
    size_t i = 0, last = 0;
    swap_bytes(b, b + (n / 2) * size, size);
    for (i = 1; i < n; i++) if (cmp(b + i * size, b) < 0) swap_bytes(b + ++last * size, b + i * size, size);
    swap_bytes(b, b + last * size, size);
    qsort(b, last, size, cmp);
    b += (last + 1) * size;
    n -= last + 1;
  }
}
