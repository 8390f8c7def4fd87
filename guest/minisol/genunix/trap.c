/*
 * genunix part: what locore's trap entry calls: intr_handler (interrupts by level, then kernel
 * preemption), syscall_trap (the system-call dispatcher for `ta 8`, Solaris' convention: number in
 * %g1, arguments in %o0-%o5, result in %o0/%o1, carry set and errno in %o0 on failure), and trap()
 * for anything unexpected, which panics with the trap frame.
 */

struct intr_vec {
	intr_func_t iv_func;
	void *iv_arg;
	const char *iv_name;
	struct intr_vec *iv_next;
	uint_t iv_count;
};
static struct intr_vec intr_vecs[32];
static int intr_nvecs;
static struct intr_vec *intr_table[16];

void
add_intr(int level, intr_func_t fn, void *arg, const char *name)
{
	struct intr_vec *iv;
	if (intr_nvecs >= (int)NELEM(intr_vecs) || level < 1 || level > 15)
		panic("add_intr: cannot add %s at level %d", name, level);
	iv = &intr_vecs[intr_nvecs++];
	iv->iv_func = fn;
	iv->iv_arg = arg;
	iv->iv_name = name;
	iv->iv_next = intr_table[level];
	intr_table[level] = iv;
}

/*
 * Code spliced into the kernel at run time, [lo, hi): the instrumentation host writes its patch
 * area here (as KernInst's driver allocated it). A thread interrupted there is not preempted
 * until it leaves: a per-CPU counter's ld/add/st must finish on the CPU whose copy it loaded.
 */
volatile uint_t splice_patch_range[2];

static int
pc_in_splcode(uint_t pc)
{
	return (pc >= (uint_t)splcode_begin && pc < (uint_t)splcode_end) ||
	    (pc >= splice_patch_range[0] && pc < splice_patch_range[1]);
}

void
intr_handler(int level, struct regs *rp)
{
	kthread_t *t = curthread;
	cpu_t *cp = t->t_cpu;
	struct intr_vec *iv = intr_table[level];
	cp->cpu_intr_depth++;
	cp->cpu_intrs[level]++;
	if (iv == NULL)
		panic("intr_handler: spurious interrupt at level %d on cpu %d", level, cp->cpu_id);
	for (; iv != NULL; iv = iv->iv_next) {
		iv->iv_count++;
		(*iv->iv_func)(iv->iv_arg);
	}
	cp->cpu_intr_depth--;
	/* kernel preemption: only from PIL 0, outside spl code, when the thread allows it */
	if ((rp->r_psr & PSR_PIL) == 0 && cp->cpu_kprunrun && t->t_preempt == 0 &&
	    cp->cpu_intr_depth == 0 && !(t->t_flag & T_IDLE) && !pc_in_splcode(rp->r_pc) && !panicking) {
		spl0();
		kpreempt(0);
	}
}

static const char *
trap_name(int tt)
{
	switch (tt) {
	case 0x01: return "instruction_access_exception";
	case 0x02: return "illegal_instruction";
	case 0x03: return "privileged_instruction";
	case 0x04: return "fp_disabled";
	case 0x07: return "mem_address_not_aligned";
	case 0x08: return "fp_exception";
	case 0x09: return "data_access_exception";
	case 0x0a: return "tag_overflow";
	case 0x0b: return "watchpoint_detected";
	case 0x20: return "r_register_access_error";
	case 0x21: return "instruction_access_error";
	case 0x24: return "cp_disabled";
	case 0x25: return "unimplemented_FLUSH";
	case 0x29: return "data_access_error";
	case 0x2a: return "division_by_zero";
	case 0x2b: return "data_store_error";
	default: return tt >= 0x80 ? "trap_instruction" : "unknown trap";
	}
}

void
trap(int tt, struct regs *rp)
{
	memcpy(&panic_info.pi_trap, rp, sizeof (*rp));
	panic_info.pi_has_trap = 1;
	panic("unexpected trap 0x%x (%s) at pc 0x%x npc 0x%x psr 0x%x", tt, trap_name(tt), rp->r_pc, rp->r_npc, rp->r_psr);
}

/* ---- system calls ----------------------------------------------------------------------- */

/*
 * Path-name buffers come from kmem, as Solaris' pn_get does: each system call that takes a path
 * allocates MAXPATHLEN bytes at its own call site (constant-size kmem_alloc calls from many places).
 */
#define PN_ALLOC() ((char *)kmem_alloc(MAXPATHLEN, KM_SLEEP))
#define PN_FREE(p) kmem_free((p), MAXPATHLEN)

typedef int (*sysfunc_t)(uint_t *args, int *rval);
struct sysent {
	sysfunc_t sy_call;
	const char *sy_name;
};

static int sys_exit(uint_t *a, int *rv);
static int sys_fork(uint_t *a, int *rv);
static int sys_read(uint_t *a, int *rv);
static int sys_write(uint_t *a, int *rv);
static int sys_open(uint_t *a, int *rv);
static int sys_close(uint_t *a, int *rv);
static int sys_wait(uint_t *a, int *rv);
static int sys_creat(uint_t *a, int *rv);
static int sys_unlink(uint_t *a, int *rv);
static int sys_chdir(uint_t *a, int *rv);
static int sys_time(uint_t *a, int *rv);
static int sys_stat(uint_t *a, int *rv);
static int sys_lseek(uint_t *a, int *rv);
static int sys_getpid(uint_t *a, int *rv);
static int sys_fstat(uint_t *a, int *rv);
static int sys_sync(uint_t *a, int *rv);
static int sys_getppid(uint_t *a, int *rv);
static int sys_procwalk(uint_t *a, int *rv);
static int sys_brk(uint_t *a, int *rv);
static int sys_rmdir(uint_t *a, int *rv);
static int sys_mkdir(uint_t *a, int *rv);
static int sys_memtouch(uint_t *a, int *rv);
static int sys_yield(uint_t *a, int *rv);
static int sys_mmap(uint_t *a, int *rv);
static int sys_mprotect(uint_t *a, int *rv);
static int sys_munmap(uint_t *a, int *rv);
static int sys_ftruncate(uint_t *a, int *rv);
static int sys_gethrtime(uint_t *a, int *rv);
static int sys_nanosleep(uint_t *a, int *rv);
static int sys_kstat(uint_t *a, int *rv);
static int sys_shutdown_q(uint_t *a, int *rv);
static int sys_bootparam(uint_t *a, int *rv);
static int sys_so_socket(uint_t *a, int *rv);
static int sys_connect(uint_t *a, int *rv);
static int sys_recv(uint_t *a, int *rv);
static int sys_send(uint_t *a, int *rv);
static int sys_setname(uint_t *a, int *rv);
static int sys_ubuf(uint_t *a, int *rv);
static int sys_swappable(uint_t *a, int *rv);
static int sys_result(uint_t *a, int *rv);

static struct sysent sysent[NSYSCALL];

static void
sysent_set(int n, sysfunc_t f, const char *name)
{
	sysent[n].sy_call = f;
	sysent[n].sy_name = name;
}

void
sysent_init(void)
{
	sysent_set(SYS_exit, sys_exit, "exit");
	sysent_set(SYS_fork, sys_fork, "fork");
	sysent_set(SYS_read, sys_read, "read");
	sysent_set(SYS_write, sys_write, "write");
	sysent_set(SYS_open, sys_open, "open");
	sysent_set(SYS_close, sys_close, "close");
	sysent_set(SYS_wait, sys_wait, "wait");
	sysent_set(SYS_creat, sys_creat, "creat");
	sysent_set(SYS_unlink, sys_unlink, "unlink");
	sysent_set(SYS_chdir, sys_chdir, "chdir");
	sysent_set(SYS_time, sys_time, "time");
	sysent_set(SYS_stat, sys_stat, "stat");
	sysent_set(SYS_lseek, sys_lseek, "lseek");
	sysent_set(SYS_getpid, sys_getpid, "getpid");
	sysent_set(SYS_fstat, sys_fstat, "fstat");
	sysent_set(SYS_sync, sys_sync, "sync");
	sysent_set(SYS_getppid, sys_getppid, "getppid");
	sysent_set(SYS_procwalk, sys_procwalk, "procwalk");
	sysent_set(SYS_brk, sys_brk, "brk");
	sysent_set(SYS_rmdir, sys_rmdir, "rmdir");
	sysent_set(SYS_mkdir, sys_mkdir, "mkdir");
	sysent_set(SYS_memtouch, sys_memtouch, "memtouch");
	sysent_set(SYS_yield, sys_yield, "yield");
	sysent_set(SYS_mmap, sys_mmap, "mmap");
	sysent_set(SYS_mprotect, sys_mprotect, "mprotect");
	sysent_set(SYS_munmap, sys_munmap, "munmap");
	sysent_set(SYS_ftruncate, sys_ftruncate, "ftruncate");
	sysent_set(SYS_gethrtime, sys_gethrtime, "gethrtime");
	sysent_set(SYS_nanosleep, sys_nanosleep, "nanosleep");
	sysent_set(SYS_kstat, sys_kstat, "kstat");
	sysent_set(SYS_shutdown_q, sys_shutdown_q, "shutdown_q");
	sysent_set(SYS_bootparam, sys_bootparam, "bootparam");
	sysent_set(SYS_so_socket, sys_so_socket, "so_socket");
	sysent_set(SYS_connect, sys_connect, "connect");
	sysent_set(SYS_recv, sys_recv, "recv");
	sysent_set(SYS_send, sys_send, "send");
	sysent_set(SYS_setname, sys_setname, "setname");
	sysent_set(SYS_ubuf, sys_ubuf, "ubuf");
	sysent_set(SYS_swappable, sys_swappable, "swappable");
	sysent_set(SYS_result, sys_result, "result");
}

void
syscall_trap(struct regs *rp)
{
	kthread_t *t = curthread;
	proc_t *p = t->t_procp;
	uint_t code = rp->r_g[1];
	uint_t args[6];
	int rval[2];
	int error;
	int i;
	rp->r_pc = rp->r_npc;
	rp->r_npc += 4;
	KS_INC(syscalls);
	if (p != NULL)
		KSP_INC(p, syscalls);
	t->t_sysnum = (int)code;
	t->t_regs = rp;
	for (i = 0; i < 6; i++)
		args[i] = rp->r_i[i];
	rval[0] = 0;
	rval[1] = 0;
	if (code >= NSYSCALL || sysent[code].sy_call == NULL)
		error = ENOSYS;
	else
		error = (*sysent[code].sy_call)(args, rval);
	if (error != 0) {
		KS_INC(syscall_errors);
		rp->r_psr |= PSR_C;
		rp->r_i[0] = (uint_t)error;
	} else {
		rp->r_psr &= ~PSR_C;
		rp->r_i[0] = (uint_t)rval[0];
		rp->r_i[1] = (uint_t)rval[1];
	}
	t->t_sysnum = 0;
	/* a better thread became runnable meanwhile: give up the CPU on the way out */
	if (CPU->cpu_runrun && t->t_preempt == 0)
		preempt();
}

/* ---- argument copying: processes share the kernel's address space, so check and copy ---- */

static int
valid_range(const void *addr, size_t len)
{
	uint_t a = (uint_t)addr;
	return a >= 0x1000 && a < RAM_TOP && len <= RAM_TOP - a;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (!valid_range(uaddr, len))
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (!valid_range(uaddr, len))
		return EFAULT;
	memcpy(uaddr, kaddr, len);
	return 0;
}

int
copyinstr(const char *uaddr, char *kaddr, size_t max, size_t *lenp)
{
	size_t n;
	if (!valid_range(uaddr, 1))
		return EFAULT;
	for (n = 0; n < max; n++) {
		if (!valid_range(uaddr + n, 1))
			return EFAULT;
		kaddr[n] = uaddr[n];
		if (kaddr[n] == '\0') {
			if (lenp != NULL)
				*lenp = n;
			return 0;
		}
	}
	return ENAMETOOLONG;
}

/* ---- the system calls themselves (the file ones are in vfs.c, processes in proc.c) -------- */

static int
sys_exit(uint_t *a, int *rv)
{
	(void)rv;
	proc_exit((int)a[0]);
}

static int
sys_fork(uint_t *a, int *rv)
{
	char name[16];
	int pid;
	if (a[2] == 0 || copyinstr((const char *)a[2], name, sizeof (name), NULL) != 0)
		strlcpy(name, curthread->t_procp->p_comm, sizeof (name));
	pid = cfork((void (*)(void *))a[0], (void *)a[1], name);
	if (pid < 0)
		return -pid;
	rv[0] = pid;
	return 0;
}

static int
sys_read(uint_t *a, int *rv)
{
	proc_t *p = curthread->t_procp;
	hrtime_t t0 = gethrtime();
	int n = fop_rw((int)a[0], (caddr_t)a[1], a[2], UIO_READ);
	KSP_INC(p, read_calls);
	KSP_ADD(p, read_cycles, gethrtime() - t0);
	if (n < 0)
		return -n;
	KSP_ADD(p, read_bytes, n);
	rv[0] = n;
	return 0;
}

static int
sys_write(uint_t *a, int *rv)
{
	proc_t *p = curthread->t_procp;
	int n = fop_rw((int)a[0], (caddr_t)a[1], a[2], UIO_WRITE);
	KSP_INC(p, write_calls);
	if (n < 0)
		return -n;
	KSP_ADD(p, write_bytes, n);
	rv[0] = n;
	return 0;
}

static int
sys_open(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	proc_t *p = curthread->t_procp;
	hrtime_t t0;
	int error = copyinstr((const char *)a[0], path, MAXPATHLEN, NULL);
	int fd;
	if (error != 0) {
		PN_FREE(path);
		return error;
	}
	t0 = gethrtime();
	fd = copen(path, (int)a[1], (int)a[2]);
	PN_FREE(path);
	KSP_INC(p, open_calls);
	KSP_ADD(p, open_cycles, gethrtime() - t0);
	if (fd < 0)
		return -fd;
	rv[0] = fd;
	return 0;
}

static int
sys_creat(uint_t *a, int *rv)
{
	uint_t b[3];
	b[0] = a[0];
	b[1] = O_WRONLY | O_CREAT | O_TRUNC;
	b[2] = a[1];
	return sys_open(b, rv);
}

static int
sys_close(uint_t *a, int *rv)
{
	(void)rv;
	return closeandsetf((int)a[0]);
}

static int
sys_wait(uint_t *a, int *rv)
{
	int status = 0;
	int pid = waitid((pid_t)a[0], &status);
	if (pid < 0)
		return -pid;
	if (a[1] != 0 && copyout(&status, (void *)a[1], sizeof (status)) != 0)
		return EFAULT;
	rv[0] = pid;
	return 0;
}

static int
path_arg(uint_t ua, char *path)
{
	return copyinstr((const char *)ua, path, MAXPATHLEN, NULL);
}


static int
sys_unlink(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	int error = path_arg(a[0], path);
	(void)rv;
	if (error == 0)
		error = vn_remove(path);
	PN_FREE(path);
	return error;
}

static int
sys_chdir(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	vnode_t *vp;
	proc_t *p = curthread->t_procp;
	int error = path_arg(a[0], path);
	(void)rv;
	if (error == 0)
		error = lookupname(path, NULL, &vp);
	PN_FREE(path);
	if (error != 0)
		return error;
	if (vp->v_type != VDIR) {
		vn_rele(vp);
		return ENOTDIR;
	}
	if (p->p_cdir != NULL)
		vn_rele(p->p_cdir);
	p->p_cdir = vp;
	return 0;
}

static int
sys_time(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = (int)(lbolt / hz);
	return 0;
}

static int
stat_vp(vnode_t *vp, uint_t ua)
{
	vattr_t va;
	struct stat st;
	int error = VOP_GETATTR(vp, &va);
	if (error != 0)
		return error;
	st.st_ino = va.va_nodeid;
	st.st_mode = va.va_mode;
	st.st_nlink = va.va_nlink;
	st.st_size = va.va_size;
	st.st_blocks = va.va_blocks;
	st.st_mtime = va.va_mtime;
	return copyout(&st, (void *)ua, sizeof (st));
}

static int
sys_stat(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	vnode_t *vp;
	int error = path_arg(a[0], path);
	(void)rv;
	if (error == 0)
		error = lookupname(path, NULL, &vp);
	PN_FREE(path);
	if (error != 0)
		return error;
	error = stat_vp(vp, a[1]);
	vn_rele(vp);
	return error;
}

static int
sys_fstat(uint_t *a, int *rv)
{
	file_t *fp = getf((int)a[0]);
	int error;
	(void)rv;
	if (fp == NULL)
		return EBADF;
	error = stat_vp(fp->f_vnode, a[1]);
	releasef((int)a[0]);
	return error;
}

static int
sys_lseek(uint_t *a, int *rv)
{
	int off = fop_seek((int)a[0], (int)a[1], (int)a[2]);
	if (off < 0)
		return -off;
	rv[0] = off;
	return 0;
}

static int
sys_getpid(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = curthread->t_procp->p_pid;
	rv[1] = curthread->t_procp->p_ppid;
	return 0;
}

static int
sys_getppid(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = curthread->t_procp->p_ppid;
	return 0;
}

static int
sys_sync(uint_t *a, int *rv)
{
	(void)a;
	(void)rv;
	return ufs_sync_all(0);
}

static int
sys_procwalk(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = proc_walk_count();
	return 0;
}

static int
sys_brk(uint_t *a, int *rv)
{
	int r = proc_brk(a[0]);
	if (r < 0)
		return -r;
	rv[0] = r;
	return 0;
}

static int
sys_mkdir(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	int error = path_arg(a[0], path);
	(void)rv;
	if (error == 0)
		error = vn_mkdir(path, (int)a[1]);
	PN_FREE(path);
	return error;
}

static int
sys_rmdir(uint_t *a, int *rv)
{
	char *path = PN_ALLOC();
	int error = path_arg(a[0], path);
	(void)rv;
	if (error == 0)
		error = vn_rmdir(path);
	PN_FREE(path);
	return error;
}

static int
sys_memtouch(uint_t *a, int *rv)
{
	as_t *as = curthread->t_procp->p_as;
	(void)rv;
	if (as == NULL)
		return EFAULT;
	return as_touch(as, a[0], a[1], (int)a[2]);
}

static int
sys_yield(uint_t *a, int *rv)
{
	(void)a;
	(void)rv;
	yield();
	return 0;
}

static int
sys_mmap(uint_t *a, int *rv)
{
	as_t *as = curthread->t_procp->p_as;
	int error;
	if (as == NULL)
		return ENOMEM;
	error = as_map(as, a[0], a[1], a[2], "mmap");
	if (error != 0)
		return error;
	rv[0] = (int)a[0];
	return 0;
}

static int
sys_mprotect(uint_t *a, int *rv)
{
	as_t *as = curthread->t_procp->p_as;
	(void)rv;
	if (as == NULL)
		return ENOMEM;
	return as_setprot(as, a[0], a[1], a[2]);
}

static int
sys_munmap(uint_t *a, int *rv)
{
	as_t *as = curthread->t_procp->p_as;
	(void)rv;
	if (as == NULL)
		return EINVAL;
	return as_unmap(as, a[0], a[1]);
}

static int
sys_ftruncate(uint_t *a, int *rv)
{
	(void)rv;
	return fop_truncate((int)a[0], a[1]);
}

static int
sys_gethrtime(uint_t *a, int *rv)
{
	hrtime_t now = gethrtime();
	(void)a;
	rv[0] = (int)(now >> 32);
	rv[1] = (int)now;
	return 0;
}

/* nanosleep(usec): sleeps at least that long, in clock ticks. */
static int
sys_nanosleep(uint_t *a, int *rv)
{
	uint_t usec = a[0];
	uint_t ms = (usec + 999) / 1000;
	clock_t ticks = (clock_t)((ms * (uint_t)hz + 999) / 1000);
	(void)rv;
	if (ticks <= 0)
		ticks = 1;
	delay(ticks);
	return 0;
}

static int
sys_kstat(uint_t *a, int *rv)
{
	(void)rv;
	if (a[0] >= KS_NFIELDS)
		return EINVAL;
	kstat_inc((int)a[0], a[1]);
	return 0;
}

static int
sys_shutdown_q(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = shutdown_requested;
	return 0;
}

static int
sys_bootparam(uint_t *a, int *rv)
{
	if (a[0] >= BP_NFIELDS)
		return EINVAL;
	rv[0] = (int)bootparam[a[0]];
	return 0;
}

static int
sys_so_socket(uint_t *a, int *rv)
{
	int fd = so_socket_sys((int)a[0], (int)a[1]);
	if (fd < 0)
		return -fd;
	rv[0] = fd;
	return 0;
}

static int
sys_connect(uint_t *a, int *rv)
{
	struct sockaddr_in sin;
	int error = copyin((const void *)a[1], &sin, sizeof (sin));
	(void)rv;
	if (error != 0)
		return error;
	error = so_connect_sys((int)a[0], &sin);
	return error < 0 ? -error : error;
}

static int
sys_recv(uint_t *a, int *rv)
{
	int n = so_recv_sys((int)a[0], (void *)a[1], a[2]);
	if (n < 0)
		return -n;
	rv[0] = n;
	return 0;
}

static int
sys_send(uint_t *a, int *rv)
{
	int n = so_send_sys((int)a[0], (const void *)a[1], a[2]);
	if (n < 0)
		return -n;
	rv[0] = n;
	return 0;
}

static int
sys_setname(uint_t *a, int *rv)
{
	proc_t *p = curthread->t_procp;
	char name[16];
	int error = copyinstr((const char *)a[0], name, sizeof (name), NULL);
	(void)rv;
	if (error != 0)
		return error;
	strlcpy(p->p_comm, name, sizeof (p->p_comm));
	strlcpy(curthread->t_name, name, sizeof (curthread->t_name));
	strlcpy(kstat_proc[p->p_slot].ksp_name, name, KSTAT_PROC_NAMELEN);
	kstat_proc[p->p_slot].ksp[KSP_workload] = a[1];
	p->p_workload = (int)a[1];
	return 0;
}

static int
sys_ubuf(uint_t *a, int *rv)
{
	(void)a;
	rv[0] = (int)curthread->t_procp->p_ubuf;
	rv[1] = UBUF_PAGES * PAGESIZE;
	return 0;
}

static int
sys_result(uint_t *a, int *rv)
{
	(void)rv;
	kstat_result(curthread->t_procp->p_slot, a[0]);
	return 0;
}

static int
sys_swappable(uint_t *a, int *rv)
{
	proc_t *p = curthread->t_procp;
	(void)rv;
	if (a[0])
		p->p_flag |= SSWAPPABLE;
	else
		p->p_flag &= ~SSWAPPABLE;
	return 0;
}
