/* minisol: system call numbers (Solaris 2.x numbering where one exists) and shared flags. */
#ifndef _MINISOL_SYSCALL_H
#define _MINISOL_SYSCALL_H

#define SYS_exit        1
#define SYS_fork        2       /* fork(entry, arg): the child runs entry(arg) (no user mode yet) */
#define SYS_read        3
#define SYS_write       4
#define SYS_open        5
#define SYS_close       6
#define SYS_wait        7
#define SYS_creat       8
#define SYS_unlink      10
#define SYS_chdir       12
#define SYS_time        13
#define SYS_stat        18
#define SYS_lseek       19
#define SYS_getpid      20
#define SYS_fstat       28
#define SYS_sync        36
#define SYS_getppid     39
#define SYS_procwalk    44      /* walks the process table under pidlock (a /proc read) */
#define SYS_brk         17
#define SYS_rmdir       79
#define SYS_mkdir       80
#define SYS_memtouch    98      /* touches [addr, addr+len) of the address space (page faults) */
#define SYS_yield       99
#define SYS_mmap        115
#define SYS_mprotect    116
#define SYS_munmap      117
#define SYS_ftruncate   130
#define SYS_gethrtime   156
#define SYS_nanosleep   199
#define SYS_kstat       200     /* kstat(field, n): a workload adds to a kstat counter */
#define SYS_shutdown_q  201     /* nonzero once a clean shutdown was requested */
#define SYS_bootparam   202     /* bootparam(i): word i of the boot-parameter block */
#define SYS_ubuf        203     /* address of the process' 32 KB data area */
#define SYS_swappable   204     /* lets the swapper swap the process out while it sleeps */
#define SYS_result      205     /* result(v): folds v into the process' result (kstat_result) */
#define SYS_so_socket   230
#define SYS_connect     235
#define SYS_recv        237
#define SYS_send        240
#define SYS_setname     250     /* names the calling process (kstat_proc) */
#define NSYSCALL        256

/* open(2) flags (Solaris values) */
#define O_RDONLY        0
#define O_WRONLY        1
#define O_RDWR          2
#define O_ACCMODE       3
#define O_APPEND        0x08
#define O_CREAT         0x100
#define O_TRUNC         0x200
#define O_EXCL          0x400
#define FREAD           0x01
#define FWRITE          0x02

#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2

#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4

/* errno (Solaris values) */
#define EPERM           1
#define ENOENT          2
#define ESRCH           3
#define EINTR           4
#define EIO             5
#define ENXIO           6
#define E2BIG           7
#define EBADF           9
#define ECHILD          10
#define EAGAIN          11
#define ENOMEM          12
#define EFAULT          14
#define EBUSY           16
#define EEXIST          17
#define ENOTDIR         20
#define EISDIR          21
#define EINVAL          22
#define ENFILE          23
#define EMFILE          24
#define EFBIG           27
#define ENOSPC          28
#define ESPIPE          29
#define EPIPE           32
#define ENAMETOOLONG    78
#define ENOSYS          89
#define ENOTEMPTY       93
#define ENOTSOCK        95
#define ECONNRESET      131
#define ENOTCONN        134
#define ETIMEDOUT       145
#define ECONNREFUSED    146
#define EALREADY        149
#define EINPROGRESS     150

struct stat {
	uint_t st_ino;
	uint_t st_mode;
	uint_t st_nlink;
	uint_t st_size;
	uint_t st_blocks;
	uint_t st_mtime;
};

struct sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
};
#define AF_INET 2
#define SOCK_STREAM 2

#endif
