/* The tiny C runtime of the freestanding test programs: Linux syscalls via `ta 0x10`, printf, strings, malloc. */
#ifndef SPRINGBOARD_RT_H
#define SPRINGBOARD_RT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

long __rt_syscall(long n, long a, long b, long c, long d, long e, long f);
#define SYS_exit 1
#define SYS_read 3
#define SYS_write 4
#define SYS_brk 17
#define SYS_getpid 20
#define SYS_mmap 71
#define SYS_munmap 73
#define SYS_gettimeofday 116
#define SYS_set_tid_address 166
#define SYS_exit_group 188
#define SYS_uname 189
#define SYS_clock_gettime 257
#define SYS_readlinkat 294
#define SYS_getrandom 347

extern char **__rt_environ;
void exit(int status) __attribute__((noreturn));
void _exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
long write(int fd, const void *buf, size_t n);
long read(int fd, void *buf, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strcpy(char *d, const char *s);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int putchar(int c);
int puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fflush_stdout(void);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void free(void *p);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int atoi(const char *s);
#endif
