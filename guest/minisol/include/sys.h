/* minisol: the kernel's common definitions: threads, processes, synchronization, vnodes, files, buffers, STREAMS messages. */
#ifndef _MINISOL_SYS_H
#define _MINISOL_SYS_H
#include "types.h"
#include "machdep.h"
#include "syscall.h"
#include "kstat.h"
#include "devices.h"
#include "bootparam.h"
#include "modlinkage.h"

#define NPROC       128
#define NFILES      32          /* descriptors per process */
#define NFILE_SYS   512         /* system-wide open files */
#define MAXPATHLEN  256
#define MAXNAMELEN  64
#define NSLEEPQ     64
#define NCALLOUT    256
#define KM_SLEEP    0
#define KM_NOSLEEP  1
#define UBUF_PAGES  8           /* a process' data area: 32 KB */

/* ---- synchronization -------------------------------------------------------------------- */
typedef struct kmutex {
	lock_t m_lock;              /* ldstub byte */
	volatile uchar_t m_waiters; /* threads sleep on this mutex */
	uchar_t m_pad[2];
	struct kthread *volatile m_owner;
	const char *m_name;
} kmutex_t;

typedef struct kcondvar {
	volatile ushort_t cv_waiters;
} kcondvar_t;

typedef struct sleepq_head {
	lock_t sq_lock;
	struct kthread *sq_first;
	struct kthread *sq_last;
} sleepq_head_t;

/* ---- threads ---------------------------------------------------------------------------- */
#define TS_FREE     0x00
#define TS_SLEEP    0x01
#define TS_RUN      0x02
#define TS_ONPROC   0x04
#define TS_ZOMB     0x08

#define T_INTR_THREAD 0x01
#define T_IDLE      0x02
#define T_SYSTEM    0x04
#define T_TIMEOUT   0x08        /* woken by a timeout, not a wakeup */
#define T_SWAPPED   0x10        /* process swapped out: swap in before it runs */
#define T_WAKEABLE  0x20

typedef struct kthread {
	/* locore.S uses these (offsets in machdep.h) */
	uint_t t_sp;                /* saved frame pointer of swtch's frame */
	uint_t t_pc;                /* saved return address into swtch */
	lock_t t_lock;              /* held while the thread's context is live on a CPU */
	volatile uchar_t t_state;
	volatile uchar_t t_preempt; /* kernel preemption disabled while nonzero */
	uchar_t t_flag;
	struct cpu *t_cpu;
	struct proc *t_procp;
	int t_intr_depth;
	/* the rest */
	struct kthread *t_link;     /* run queue or sleep queue */
	struct kthread *t_next;     /* all threads */
	struct kthread *t_prev;
	void *t_wchan;
	sleepq_head_t *t_sleepq;
	int t_pri;                  /* dispatch priority */
	int t_cpupri;               /* time-sharing user priority */
	int t_timeleft;             /* ticks left in the quantum */
	int t_dispwait;             /* ticks waited on the run queue */
	int t_slpret;
	uint_t t_did;
	caddr_t t_stk;              /* stack base (lowest address) */
	size_t t_stksize;
	void (*t_startpc)(void *);
	void *t_arg;
	int t_sysnum;
	struct regs *t_regs;
	int t_callout;
	hrtime_t t_waitrq;          /* when it went on the run queue */
	hrtime_t t_lastrun;
	volatile int t_swapflag;
	int t_lockfs;               /* nesting of ufs_lockfs_begin (an operation may start another) */
	char t_name[16];
} kthread_t;

typedef struct disp {
	lock_t d_lock;
	int d_nrunnable;
	int d_maxrunpri;
	uint_t d_bitmap[4];
	kthread_t *d_first[128];
	kthread_t *d_last[128];
} disp_t;

#define NPRI        128
#define MAXCLSYSPRI 99
#define MINCLSYSPRI 60
#define TS_MAXPRI   59
#define PRI_IDLE    -1

/* ---- processes -------------------------------------------------------------------------- */
#define SIDL    1
#define SRUN    2
#define SSLEEP  3
#define SZOMB   4

#define SLOAD   0x1             /* in memory (not swapped out) */
#define SSYS    0x2             /* system process */
#define SEXITING 0x4
#define SSWAPPABLE 0x8          /* the swapper may swap it out while it sleeps */

struct file;
struct as;
struct vnode;

typedef struct cred {
	uint_t cr_ref;
	uint_t cr_uid;
	uint_t cr_gid;
	uint_t cr_ruid;
	uint_t cr_rgid;
	uint_t cr_ngroups;
	uint_t cr_groups[8];
} cred_t;

typedef struct proc {
	pid_t p_pid;
	pid_t p_ppid;
	int p_slot;
	int p_stat;
	int p_flag;
	struct proc *p_parent;
	struct proc *p_child;
	struct proc *p_sibling;
	struct proc *p_next;        /* practive list */
	struct proc *p_prev;
	kthread_t *p_tlist;
	struct as *p_as;
	kmutex_t p_lock;
	struct file *p_files[NFILES];
	int p_nfiles;
	struct vnode *p_cdir;
	int p_wcode;
	int p_wdata;
	kcondvar_t p_cv;            /* parent waits here for children */
	int p_nchild;
	clock_t p_slptime;          /* ticks since it last ran (swapper) */
	clock_t p_swtime;
	uint_t p_rand;
	int p_workload;
	uint_t p_brkbase;
	uint_t p_brksize;
	void (*p_entry)(void *);    /* where the process' thread starts (fork) */
	void *p_entryarg;
	caddr_t p_ubuf;             /* the process' 32 KB data area (SYS_ubuf) */
	cred_t *p_cred;
	char p_comm[16];
} proc_t;

extern proc_t *practive;
extern proc_t *procdir[NPROC];
extern proc_t p0;
extern kmutex_t pidlock;
extern int nproc_active;

/* ---- vnodes, files, uio ----------------------------------------------------------------- */
#define VNON  0
#define VREG  1
#define VDIR  2
#define VSOCK 3

typedef struct uio {
	caddr_t uio_base;
	size_t uio_resid;
	u_offset_t uio_offset;
	int uio_rw;                 /* UIO_READ or UIO_WRITE */
} uio_t;
#define UIO_READ  0
#define UIO_WRITE 1

typedef struct vattr {
	uint_t va_mask;
	int va_type;
	uint_t va_mode;
	uint_t va_size;
	uint_t va_nlink;
	uint_t va_nodeid;
	uint_t va_blocks;
	uint_t va_mtime;
} vattr_t;
#define AT_TYPE 0x1
#define AT_MODE 0x2
#define AT_SIZE 0x8

struct page;
struct vnodeops;
struct vfs;

typedef struct vnode {
	kmutex_t v_lock;
	volatile uint_t v_count;
	ushort_t v_type;
	ushort_t v_flag;
	const struct vnodeops *v_op;
	void *v_data;
	struct vfs *v_vfsp;
	struct page *v_pages;       /* pages of this vnode in the page cache */
	uint_t v_npages;
	uint_t v_ndirty;
} vnode_t;
#define VROOT 0x1

typedef struct vnodeops {
	const char *vop_name;
	int (*vop_open)(vnode_t **vpp, int flag);
	int (*vop_close)(vnode_t *vp, int flag, int count);
	int (*vop_read)(vnode_t *vp, uio_t *uiop, int ioflag);
	int (*vop_write)(vnode_t *vp, uio_t *uiop, int ioflag);
	int (*vop_getattr)(vnode_t *vp, vattr_t *vap);
	int (*vop_setattr)(vnode_t *vp, vattr_t *vap);
	int (*vop_lookup)(vnode_t *dvp, const char *nm, vnode_t **vpp);
	int (*vop_create)(vnode_t *dvp, const char *nm, vattr_t *vap, int excl, int mode, vnode_t **vpp, int flag);
	int (*vop_remove)(vnode_t *dvp, const char *nm);
	int (*vop_mkdir)(vnode_t *dvp, const char *nm, vattr_t *vap, vnode_t **vpp);
	int (*vop_rmdir)(vnode_t *dvp, const char *nm);
	void (*vop_inactive)(vnode_t *vp);
	int (*vop_fsync)(vnode_t *vp);
	int (*vop_getpage)(vnode_t *vp, u_offset_t off, struct page **ppp, int rw);
	int (*vop_putpage)(vnode_t *vp, u_offset_t off, size_t len, int flags);
	int (*vop_space)(vnode_t *vp, u_offset_t len);
} vnodeops_t;

#define VOP_OPEN(vpp, f)             (*(*(vpp))->v_op->vop_open)(vpp, f)
#define VOP_CLOSE(vp, f, c)          (*(vp)->v_op->vop_close)(vp, f, c)
#define VOP_READ(vp, u, f)           (*(vp)->v_op->vop_read)(vp, u, f)
#define VOP_WRITE(vp, u, f)          (*(vp)->v_op->vop_write)(vp, u, f)
#define VOP_GETATTR(vp, va)          (*(vp)->v_op->vop_getattr)(vp, va)
#define VOP_SETATTR(vp, va)          (*(vp)->v_op->vop_setattr)(vp, va)
#define VOP_LOOKUP(dvp, nm, vpp)     (*(dvp)->v_op->vop_lookup)(dvp, nm, vpp)
#define VOP_CREATE(dvp, nm, va, e, m, vpp, f) (*(dvp)->v_op->vop_create)(dvp, nm, va, e, m, vpp, f)
#define VOP_REMOVE(dvp, nm)          (*(dvp)->v_op->vop_remove)(dvp, nm)
#define VOP_MKDIR(dvp, nm, va, vpp)  (*(dvp)->v_op->vop_mkdir)(dvp, nm, va, vpp)
#define VOP_RMDIR(dvp, nm)           (*(dvp)->v_op->vop_rmdir)(dvp, nm)
#define VOP_INACTIVE(vp)             (*(vp)->v_op->vop_inactive)(vp)
#define VOP_FSYNC(vp)                (*(vp)->v_op->vop_fsync)(vp)
#define VOP_GETPAGE(vp, o, pp, rw)   (*(vp)->v_op->vop_getpage)(vp, o, pp, rw)
#define VOP_PUTPAGE(vp, o, l, f)     (*(vp)->v_op->vop_putpage)(vp, o, l, f)
#define VOP_SPACE(vp, l)             (*(vp)->v_op->vop_space)(vp, l)

#define B_INVAL_PAGES 0x1
#define B_ASYNC_PUT   0x2
#define B_FREE_PAGES  0x4

typedef struct vfsops {
	int (*vfs_root)(struct vfs *, vnode_t **);
	int (*vfs_sync)(struct vfs *, int flag);
	int (*vfs_statvfs)(struct vfs *, uint_t *freeblocks, uint_t *freeinodes);
} vfsops_t;

typedef struct vfs {
	const vfsops_t *vfs_op;
	void *vfs_data;
	vnode_t *vfs_root;
	uint_t vfs_flag;
	const char *vfs_name;
} vfs_t;

extern vfs_t *rootvfs;
extern vnode_t *rootdir;

#define VN_HOLD(vp) vn_hold(vp)
#define VN_RELE(vp) vn_rele(vp)

typedef struct file {
	kmutex_t f_tlock;
	ushort_t f_flag;
	ushort_t f_pad;
	volatile int f_count;
	vnode_t *f_vnode;
	u_offset_t f_offset;
	int f_index;                /* slot in the system file table */
} file_t;

/* ---- buffer cache ----------------------------------------------------------------------- */
#define B_BUSY      0x0001
#define B_DONE      0x0002
#define B_ERROR     0x0004
#define B_READ      0x0008
#define B_WRITE     0x0000
#define B_DELWRI    0x0010
#define B_ASYNC     0x0020
#define B_WANTED    0x0040
#define B_STALE     0x0080
#define B_PAGEIO    0x0100
#define B_AGE       0x0200
#define B_INVAL     0x0400
#define B_HEADER    0x0800      /* a header only (page I/O), not in the cache */

typedef struct buf {
	volatile uint_t b_flags;
	struct buf *b_forw;         /* hash chain */
	struct buf *b_back;
	struct buf *av_forw;        /* free list or driver queue */
	struct buf *av_back;
	daddr_t b_blkno;            /* file-system block */
	uint_t b_sector;            /* device sector */
	uint_t b_bcount;
	caddr_t b_addr;
	int b_error;
	uint_t b_resid;
	struct page *b_pages;       /* page I/O: the pages, linked by p_ionext */
	void (*b_iodone)(struct buf *);
	void *b_private;
	hrtime_t b_start;
	uint_t b_lastuse;
} buf_t;

#define FS_BSIZE    4096
#define FS_BSHIFT   12
#define DEV_BSIZE   512
#define DEV_BSHIFT  9
#define SECT_PER_BLK (FS_BSIZE / DEV_BSIZE)

/* ---- STREAMS messages ------------------------------------------------------------------- */
typedef struct datab {
	uchar_t *db_base;
	uchar_t *db_lim;
	volatile uint_t db_ref;
	uint_t db_size;             /* bytes allocated for this dblk + data */
	uint_t db_type;
} dblk_t;

typedef struct msgb {
	struct msgb *b_next;
	struct msgb *b_prev;
	struct msgb *b_cont;
	uchar_t *b_rptr;
	uchar_t *b_wptr;
	dblk_t *b_datap;
	uint_t b_flag;
	uint_t b_seq;               /* TCP: sequence number of b_rptr (reassembly) */
	uint_t b_seqlen;            /* TCP: sequence space it covers (one more than its data when
	                               the urgent byte was pulled out) */
	uint_t b_fin;
} mblk_t;
#define MBLKL(mp) ((int)((mp)->b_wptr - (mp)->b_rptr))
#define M_DATA  0
#define M_PROTO 1
#define BPRI_MED 1
#define BPRI_HI  2

/* ---- callouts --------------------------------------------------------------------------- */
typedef struct callout {
	struct callout *c_next;
	void (*c_func)(void *);
	void *c_arg;
	clock_t c_runtime;
	int c_id;
	int c_active;
} callout_t;

/* ---- globals and functions -------------------------------------------------------------- */
extern uint_t bootparam[BP_NFIELDS];
extern cpu_t *cpus[MAXCPU];
extern cpu_t cpu0;
extern int ncpus;
extern volatile clock_t lbolt;
extern hrtime_t hz_cycles;
extern int hz;
extern volatile int panicking;
extern volatile int shutdown_requested;
extern disp_t disp_q;

/* genunix: console, printing, panic */
extern int printf(const char *fmt, ...);
extern int snprintf(char *buf, size_t len, const char *fmt, ...);
extern int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
extern void cmn_err(int level, const char *fmt, ...);
extern void panic(const char *fmt, ...) __noreturn;
extern void assfail(const char *expr, const char *file, int line) __noreturn;
#define CE_CONT 0
#define CE_NOTE 1
#define CE_WARN 2
#define CE_PANIC 3
#define ASSERT(e) ((e) ? (void)0 : assfail(#e, __FILE__, __LINE__))
extern void console_putc(int c);
extern void console_puts(const char *s);

/* genunix: strings and memory */
extern void *memcpy(void *, const void *, size_t);
extern void *memmove(void *, const void *, size_t);
extern void *memset(void *, int, size_t);
extern int memcmp(const void *, const void *, size_t);
extern void bcopy(const void *, void *, size_t);
extern void bzero(void *, size_t);
extern size_t strlen(const char *);
extern int strcmp(const char *, const char *);
extern int strncmp(const char *, const char *, size_t);
extern char *strcpy(char *, const char *);
extern size_t strlcpy(char *, const char *, size_t);
extern uint_t udiv64_32(uint64_t n, uint_t d, uint64_t *q);

/* genunix: kmem */
extern void *kmem_alloc(size_t size, int flag);
extern void *kmem_zalloc(size_t size, int flag);
extern void kmem_free(void *buf, size_t size);
typedef struct kmem_cache kmem_cache_t;
extern kmem_cache_t *kmem_cache_create(const char *name, size_t size, size_t align);
extern void *kmem_cache_alloc(kmem_cache_t *cp, int flag);
extern void kmem_cache_free(kmem_cache_t *cp, void *buf);
extern void kmem_init(void);

/* genunix: synchronization */
extern void mutex_init(kmutex_t *m, const char *name);
extern void mutex_enter(kmutex_t *m);
extern void mutex_exit(kmutex_t *m);
extern int mutex_tryenter(kmutex_t *m);
extern int mutex_owned(kmutex_t *m);
extern void cv_init(kcondvar_t *cv);
extern void cv_wait(kcondvar_t *cv, kmutex_t *m);
extern int cv_timedwait(kcondvar_t *cv, kmutex_t *m, clock_t ticks);
extern void cv_signal(kcondvar_t *cv);
extern void cv_broadcast(kcondvar_t *cv);
extern void sleep_spin(const volatile void *chan, lock_t *lk);
extern int sleep_spin_timed(const volatile void *chan, lock_t *lk, clock_t ticks);
extern void wakeup(const volatile void *chan);
extern void wakeup_one(const volatile void *chan);
extern void kpreempt_disable(void);
extern void kpreempt_enable(void);

/* genunix: dispatcher */
extern void setrun(kthread_t *t);
extern void setbackdq(kthread_t *t);
extern void setfrontdq(kthread_t *t);
extern void swtch(void);
extern kthread_t *disp(void);
extern void preempt(void);
extern void kpreempt(int asyncspl);
extern void cpu_surrender(kthread_t *t);
extern void yield(void);
extern void delay(clock_t ticks);
extern kthread_t *thread_create(caddr_t stk, size_t stksize, void (*func)(void *), void *arg, proc_t *pp, int pri, const char *name);
extern void thread_exit(void) __noreturn;
extern void thread_run(kthread_t *t);
extern void bio_drain(void);
extern void poke_cpu(int cpuid);

/* genunix: callouts and time */
extern int timeout(void (*func)(void *), void *arg, clock_t ticks);
extern int untimeout(int id);
extern hrtime_t gethrtime_sys(void);

/* genunix: processes */
extern proc_t *prfind(pid_t pid);
extern int cfork(void (*entry)(void *), void *arg, const char *name);
extern void proc_exit(int code) __noreturn;
extern int waitid(pid_t pid, int *statusp);
extern proc_t *newproc_alloc(void);

/* genunix: files and vnodes */
extern int copen(const char *path, int flags, int mode);
extern int falloc(vnode_t *vp, int flag, file_t **fpp, int *fdp);
extern int ufalloc(int start);
extern void setf(int fd, file_t *fp);
extern file_t *getf(int fd);
extern void releasef(int fd);
extern int closef(file_t *fp);
extern void unfalloc(file_t *fp);
extern int closeandsetf(int fd);
extern int vn_open(const char *path, int filemode, int createmode, vnode_t **vpp);
extern int vn_create(const char *path, vattr_t *vap, int excl, int mode, vnode_t **vpp, int flag);
extern int vn_remove(const char *path);
extern int lookupname(const char *path, vnode_t **dvpp, vnode_t **vpp);
extern int lookuppn(const char *path, vnode_t **dvpp, vnode_t **vpp, char *lastcomp);
extern void vn_hold(vnode_t *vp);
extern void vn_rele(vnode_t *vp);
extern void vn_init(vnode_t *vp, const vnodeops_t *ops, int type, void *data);
extern int vn_rdwr(int rw, vnode_t *vp, caddr_t base, size_t len, u_offset_t off, int *residp);
extern int uiomove(void *cp, size_t n, int rw, uio_t *uiop);

/* genunix: buffer cache (bio) */
extern void binit(int nbuf);
extern buf_t *bread(daddr_t blkno);
extern buf_t *getblk(daddr_t blkno);
extern void brelse(buf_t *bp);
extern int bwrite(buf_t *bp);
extern void bdwrite(buf_t *bp);
extern void bawrite(buf_t *bp);
extern int biowait(buf_t *bp);
extern void biodone(buf_t *bp);
extern void bflush(int wait);
extern void binval(daddr_t blkno);
extern int bio_busy(void);
extern buf_t *pageio_setup(struct page *pp, daddr_t blkno, int flags);
extern void pageio_done(buf_t *bp);
extern void bdev_strategy(buf_t *bp);

/* genunix: STREAMS */
extern mblk_t *allocb(size_t size, int pri);
extern void freeb(mblk_t *mp);
extern void freemsg(mblk_t *mp);
extern mblk_t *dupb(mblk_t *mp);
extern mblk_t *copyb(mblk_t *mp);
extern size_t msgdsize(mblk_t *mp);
extern void linkb(mblk_t *mp, mblk_t *bp);
extern int adjmsg(mblk_t *mp, int len);
extern mblk_t *pullupmsg_copy(mblk_t *mp, int len);

/* genunix: syscall support */
extern int copyin(const void *uaddr, void *kaddr, size_t len);
extern int copyout(const void *kaddr, void *uaddr, size_t len);
extern int copyinstr(const char *uaddr, char *kaddr, size_t max, size_t *lenp);
extern void syscall_trap(struct regs *rp);
extern void trap(int tt, struct regs *rp);
extern void intr_handler(int level, struct regs *rp);
typedef void (*intr_func_t)(void *);
extern void add_intr(int level, intr_func_t fn, void *arg, const char *name);


/* module entry points called from main */
extern void kstat_init_module(void);
extern void vm_init_module(void);
extern void dnlc_init_module(void);
extern void ufs_init_module(void);
extern void sd_init_module(void);
extern void ip_init_module(void);
extern void tcp_init_module(void);
extern void hme_init_module(void);
extern void sockfs_init_module(void);
extern void workload_start(void);
extern int as_swapin(struct as *as);
extern void ufs_start_daemons(void);

/* sd */
extern void sdstrategy(buf_t *bp);
extern void sdintr(void *arg);
extern uint_t sd_capacity(void);

/* dnlc */
extern vnode_t *dnlc_lookup(vnode_t *dvp, const char *name);
extern void dnlc_enter(vnode_t *dvp, const char *name, vnode_t *vp);
extern void dnlc_remove(vnode_t *dvp, const char *name);
extern void dnlc_purge_vp(vnode_t *vp);
extern int dnlc_fs_purge(void);
extern int ncsize;

/* ufs */
extern int ufs_mountroot(void);
extern int ufs_sync_all(int wait);
extern void ufs_lockfs_hold(void);
extern void ufs_lockfs_release(void);
extern int ufs_prefetch_policy(void *ip, u_offset_t off, int sequential);

/* vm (see vm.h) */
extern struct page *page_lookup(vnode_t *vp, u_offset_t off);
extern struct page *page_create(vnode_t *vp, u_offset_t off, int flags);
extern void page_unlock(struct page *pp);
extern void page_destroy(struct page *pp);
extern caddr_t page_kmem_alloc(int npages);
extern void page_kmem_free(caddr_t addr, int npages);
extern void pvn_truncate(vnode_t *vp, u_offset_t off);
extern int freemem;

/* sockfs system calls */
extern int so_socket_sys(int domain, int type);
struct sockaddr_in;
extern int so_connect_sys(int fd, struct sockaddr_in *sin);
extern int so_send_sys(int fd, const void *buf, size_t len);
extern int so_recv_sys(int fd, void *buf, size_t len);


/* random numbers: deterministic per seed */
extern uint_t krand(uint_t *state);

#endif
