/*
 * minisol: what the workload programs see. They run as processes (kernel threads in supervisor
 * mode, no user mode yet) and reach the kernel only through these system calls, made with `ta 8`.
 */
#ifndef _MINISOL_LIBC_H
#define _MINISOL_LIBC_H
#include "types.h"
#include "syscall.h"
#include "bootparam.h"
#include "kstat.h"
#include "modlinkage.h"

extern int __syscall(int num, ...);
extern int open(const char *path, int flags, int mode);
extern int close(int fd);
extern int read(int fd, void *buf, size_t len);
extern int write(int fd, const void *buf, size_t len);
extern int lseek(int fd, int off, int whence);
extern int ftruncate(int fd, uint_t len);
extern int fstat(int fd, struct stat *st);
extern int stat(const char *path, struct stat *st);
extern int mkdir(const char *path, int mode);
extern int unlink(const char *path);
extern int fork(void (*entry)(void *), void *arg, const char *name);
extern void _exit(int code) __noreturn;
extern int waitpid(int pid, int *status);
extern int getpid(void);
extern int sched_yield(void);
extern int usleep(uint_t usec);
extern uint64_t uhrtime(void);
extern int kstat_add(int field, uint_t n);
extern int shutdown_q(void);
extern uint_t bootparam_get(int field);
extern void *ubuf(void);
extern int swappable(int on);
/* Folds v into this process' result (the first KSTAT_RESULT_OPS notes; see kstat.h). */
extern int result_note(uint_t v);
extern int setname(const char *name, int workload);
extern int procwalk(void);
extern int memtouch(uint_t addr, uint_t len, int rw);
extern int mprotect(uint_t addr, uint_t len, int prot);
extern int mmap(uint_t addr, uint_t len, int prot);
extern int munmap(uint_t addr, uint_t len);
extern int brk(uint_t size);
extern int sync(void);
extern int socket(int domain, int type);
extern int connect(int fd, struct sockaddr_in *sin);
extern int send(int fd, const void *buf, size_t len);
extern int recv(int fd, void *buf, size_t len);

/* helpers */
extern size_t ustrlen(const char *s);
extern char *ustrcpy(char *d, const char *s);
extern int ustrncmp(const char *a, const char *b, size_t n);
extern void umemset(void *d, int c, size_t n);
extern int ufmt(char *buf, size_t len, const char *fmt, ...);
extern uint_t urand(uint_t *state);
extern uint_t uatoi(const char *s);
extern void uprintf(const char *fmt, ...);

/* deterministic contents the host's traffic generator and mkfs also produce */
static inline uint8_t
data_file_byte(uint_t file, uint_t off)
{
	return (uint8_t)((off * 7u + file * 131u + (off >> 12)) & 0xff);
}

static inline uint8_t
mirror_file_byte(uint_t server, uint_t file, uint_t off)
{
	return (uint8_t)(((off * 31u) + server * 7u + file * 13u) ^ (off >> 8));
}

/* the size of file f of mirror server s (the traffic generator serves the same) */
static inline uint_t
mirror_file_size(uint_t server, uint_t file)
{
	return 1024u + ((server * 7919u + file * 104729u) % 24576u);
}

static inline uint8_t
proxy_object_byte(uint_t url, uint_t off)
{
	return (uint8_t)((url * 2654435761u + off * 17u) >> 8);
}

extern void proxy_main(void *arg);
extern void mirror_main(void *arg);
extern void readers_main(void *arg);
extern void mixed_main(void *arg);

#endif
