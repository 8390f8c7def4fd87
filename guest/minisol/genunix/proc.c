/*
 * genunix part: processes. cfork creates a process whose one thread starts at a function (there is
 * no user mode yet: processes are kernel threads in supervisor mode, each with a proc, a pid, a
 * descriptor table and a software address space); exit, wait, the process table under pidlock,
 * and swapping in a process that the swapper (sched) swapped out.
 */

proc_t p0;
proc_t *practive;
proc_t *procdir[NPROC];
kmutex_t pidlock;
int nproc_active;
static pid_t next_pid = 1;
static int procdir_rotor;
static kmem_cache_t *proc_cache;

void
proc_init(void)
{
	mutex_init(&pidlock, "pidlock");
	proc_cache = kmem_cache_create("proc_cache", sizeof (proc_t), 8);
	bzero(&p0, sizeof (p0));
	p0.p_pid = 0;
	p0.p_ppid = 0;
	p0.p_slot = 0;
	p0.p_stat = SRUN;
	p0.p_flag = SLOAD | SSYS;
	p0.p_rand = bootparam[BP_seed] ^ 0x5bd1e995;
	mutex_init(&p0.p_lock, "p_lock");
	cv_init(&p0.p_cv);
	strlcpy(p0.p_comm, "sched", sizeof (p0.p_comm));
	procdir[0] = &p0;
	practive = &p0;
	nproc_active = 1;
	kstat_proc_init(0, 0, 0, "sched", 0);
}

/* A copy of a process' credentials (fork). */
static cred_t *
crdup(const cred_t *cr)
{
	cred_t *ncr = kmem_alloc(sizeof (cred_t), KM_SLEEP);
	if (cr != NULL)
		memcpy(ncr, cr, sizeof (*ncr));
	else
		bzero(ncr, sizeof (*ncr));
	ncr->cr_ref = 1;
	return ncr;
}

static void
crfree(cred_t *cr)
{
	if (cr != NULL && --cr->cr_ref == 0)
		kmem_free(cr, sizeof (cred_t));
}

/* The thread of a new process starts here. */
static void
proc_start(void *arg)
{
	proc_t *p = arg;
	kstat_proc[p->p_slot].ksp[KSP_start_cycles] = (uint64_t)gethrtime();
	(*p->p_entry)(p->p_entryarg);
	proc_exit(0);
}

/* A fresh address space with text, data and stack segments, as exec would leave it. */
static as_t *
proc_default_as(void)
{
	as_t *as = as_alloc();
	as_map(as, USERTEXT, 4 * PAGESIZE, PROT_READ | PROT_EXEC, "text");
	as_map(as, USERDATA, 4 * PAGESIZE, PROT_READ | PROT_WRITE, "data");
	as_map(as, USERSTACK - USERSTACKSZ, USERSTACKSZ, PROT_READ | PROT_WRITE, "stack");
	return as;
}

int
cfork(void (*entry)(void *), void *arg, const char *name)
{
	proc_t *pp = curthread->t_procp;
	proc_t *cp;
	kthread_t *t;
	int slot, i, fd;
	KS_INC(cfork);
	thread_reap();          /* dead threads' stacks back first (the idle loop may never run) */
	cp = kmem_cache_alloc(proc_cache, KM_SLEEP);
	bzero(cp, sizeof (*cp));
	mutex_enter(&pidlock);
	for (i = 0, slot = -1; i < NPROC; i++) {
		int s = (procdir_rotor + i) % NPROC;
		if (s != 0 && procdir[s] == NULL) {
			slot = s;
			break;
		}
	}
	if (slot < 0) {
		mutex_exit(&pidlock);
		kmem_cache_free(proc_cache, cp);
		return -EAGAIN;
	}
	procdir_rotor = slot + 1;
	cp->p_slot = slot;
	cp->p_pid = next_pid++;
	cp->p_ppid = pp->p_pid;
	cp->p_parent = pp;
	cp->p_stat = SIDL;
	cp->p_flag = SLOAD;
	procdir[slot] = cp;
	cp->p_sibling = pp->p_child;
	pp->p_child = cp;
	pp->p_nchild++;
	cp->p_next = practive;
	if (practive != NULL)
		practive->p_prev = cp;
	practive = cp;
	nproc_active++;
	mutex_exit(&pidlock);

	mutex_init(&cp->p_lock, "p_lock");
	cv_init(&cp->p_cv);
	strlcpy(cp->p_comm, name, sizeof (cp->p_comm));
	cp->p_workload = pp->p_workload;
	cp->p_rand = (pp->p_rand * 1103515245u + 12345u) ^ ((uint_t)cp->p_pid * 0x9e3779b9u) ^ bootparam[BP_seed];
	cp->p_entry = entry;
	cp->p_entryarg = arg;
	cp->p_cred = crdup(pp->p_cred);
	kstat_proc_init(slot, cp->p_pid, cp->p_ppid, name, cp->p_workload);
	KSP_INC(pp, forks);

	/* descriptors are shared with the parent, as fork does */
	for (fd = 0; fd < pp->p_nfiles; fd++) {
		file_t *fp = pp->p_files[fd];
		if (fp == NULL)
			continue;
		mutex_enter(&fp->f_tlock);
		fp->f_count++;
		mutex_exit(&fp->f_tlock);
		cp->p_files[fd] = fp;
	}
	cp->p_nfiles = pp->p_nfiles;
	cp->p_cdir = pp->p_cdir;
	if (cp->p_cdir != NULL)
		vn_hold(cp->p_cdir);
	cp->p_as = pp->p_as != NULL ? as_dup(pp->p_as) : proc_default_as();
	cp->p_brkbase = USERHEAP;
	cp->p_brksize = pp->p_brksize;
	cp->p_ubuf = page_kmem_alloc(UBUF_PAGES);
	if (cp->p_ubuf == NULL)
		panic("cfork: no memory for the process buffer");
	t = thread_create(NULL, 0, proc_start, cp, cp, ts_default_priority(), name);
	cp->p_tlist = t;
	cp->p_stat = SRUN;
	thread_run(t);
	return cp->p_pid;
}

void
proc_exit(int code)
{
	kthread_t *t = curthread;
	proc_t *p = t->t_procp;
	proc_t *c, *init;
	int fd;
	KS_INC(exit);
	if (p == &p0)
		panic("proc_exit: sched exited");
	p->p_flag |= SEXITING;
	for (fd = 0; fd < p->p_nfiles; fd++) {
		file_t *fp = p->p_files[fd];
		if (fp != NULL) {
			p->p_files[fd] = NULL;
			(void)closef(fp);
		}
	}
	if (p->p_cdir != NULL) {
		vn_rele(p->p_cdir);
		p->p_cdir = NULL;
	}
	if (p->p_as != NULL) {
		as_free(p->p_as);
		p->p_as = NULL;
	}
	if (p->p_ubuf != NULL) {
		page_kmem_free(p->p_ubuf, UBUF_PAGES);
		p->p_ubuf = NULL;
	}
	kstat_proc[p->p_slot].ksp[KSP_exit_cycles] = (uint64_t)gethrtime();
	mutex_enter(&pidlock);
	/* children go to init (pid 1), or to sched if there is none */
	init = prfind(1);
	if (init == NULL || init == p)
		init = &p0;
	while ((c = p->p_child) != NULL) {
		p->p_child = c->p_sibling;
		c->p_parent = init;
		c->p_ppid = init->p_pid;
		c->p_sibling = init->p_child;
		init->p_child = c;
		init->p_nchild++;
		if (c->p_stat == SZOMB)
			cv_broadcast(&init->p_cv);
	}
	p->p_stat = SZOMB;
	p->p_wcode = code;
	kstat_proc_exit(p->p_slot);
	cv_broadcast(&p->p_parent->p_cv);
	kpreempt_disable();
	t->t_procp = NULL;
	mutex_exit(&pidlock);
	thread_exit();
}

/* Waits for a child (pid > 0: that one) to exit and frees it. Returns its pid or -errno. */
int
waitid(pid_t pid, int *statusp)
{
	proc_t *p = curthread->t_procp;
	mutex_enter(&pidlock);
	for (;;) {
		proc_t *c, **cpp;
		int found = 0;
		for (cpp = &p->p_child; (c = *cpp) != NULL; cpp = &c->p_sibling) {
			if (pid > 0 && c->p_pid != pid)
				continue;
			found = 1;
			if (c->p_stat != SZOMB)
				continue;
			*cpp = c->p_sibling;
			p->p_nchild--;
			if (c->p_prev != NULL)
				c->p_prev->p_next = c->p_next;
			else
				practive = c->p_next;
			if (c->p_next != NULL)
				c->p_next->p_prev = c->p_prev;
			procdir[c->p_slot] = NULL;
			nproc_active--;
			*statusp = c->p_wcode;
			pid = c->p_pid;
			mutex_exit(&pidlock);
			crfree(c->p_cred);
			kmem_cache_free(proc_cache, c);
			KS_INC(wait);
			return pid;
		}
		if (!found) {
			mutex_exit(&pidlock);
			return -ECHILD;
		}
		cv_wait(&p->p_cv, &pidlock);
	}
}

/* Called with pidlock held. */
proc_t *
prfind(pid_t pid)
{
	proc_t *p;
	for (p = practive; p != NULL; p = p->p_next)
		if (p->p_pid == pid && p->p_stat != SZOMB)
			return p;
	return NULL;
}

/* A /proc-style walk of every process under pidlock (the mixed workload contends on it). */
int
proc_walk_count(void)
{
	proc_t *p;
	int n = 0;
	uint_t rss = 0;
	mutex_enter(&pidlock);
	for (p = practive; p != NULL; p = p->p_next) {
		n++;
		if (p->p_as != NULL && p->p_as->a_hat != NULL)
			rss += p->p_as->a_hat->hat_rss;
		rss += (uint_t)p->p_nfiles + (uint_t)p->p_nchild;
	}
	mutex_exit(&pidlock);
	return n + (int)(rss & 0);
}

/* brk: grows or shrinks the heap segment; returns the new break. */
int
proc_brk(uint_t newsize)
{
	proc_t *p = curthread->t_procp;
	uint_t old = P2ROUNDUP(p->p_brksize, PAGESIZE), new = P2ROUNDUP(newsize, PAGESIZE);
	int error = 0;
	if (p->p_as == NULL)
		return -ENOMEM;
	if (new > 64 * PAGESIZE)
		return -ENOMEM;
	if (new > old)
		error = as_map(p->p_as, p->p_brkbase + old, new - old, PROT_READ | PROT_WRITE, "heap");
	else if (new < old)
		error = as_unmap(p->p_as, p->p_brkbase + new, old - new);
	if (error != 0)
		return -error;
	p->p_brksize = newsize;
	return (int)(p->p_brkbase + newsize);
}

/* The swapper swapped this process out while it slept; bring its pages back before it runs. */
void
proc_swapin_self(void)
{
	proc_t *p = curthread->t_procp;
	if (p == NULL || (p->p_flag & SLOAD))
		return;
	if (p->p_as != NULL)
		(void)as_swapin(p->p_as);
	p->p_flag |= SLOAD;
	p->p_swtime = lbolt;
}

/*
 * sched, the swapper (pid 0's main thread after boot): every few ticks swaps out processes that
 * have slept long, and handles the clean shutdown when the host asks for one.
 */
void
sched(void)
{
	for (;;) {
		proc_t *p;
		int s;
		if (shutdown_requested)
			shutdown_system();
		s = splr(IPL(IPL_CLOCK));
		{
			lock_t lk = 0;
			lock_set(&lk);
			(void)sleep_spin_timed((void *)&shutdown_requested, &lk, hz / 10 > 0 ? hz / 10 : 1);
			lock_clear(&lk);
		}
		splx(s);
		if (shutdown_requested)
			continue;
		mutex_enter(&pidlock);
		for (p = practive; p != NULL; p = p->p_next) {
			kthread_t *t = p->p_tlist;
			if (p == &p0 || p->p_stat == SZOMB || !(p->p_flag & SLOAD) || t == NULL || p->p_as == NULL)
				continue;
			if (!(p->p_flag & SSWAPPABLE))
				continue;
			if (t->t_state != TS_SLEEP || gethrtime() - t->t_lastrun < hz_cycles / 20)
				continue;
			if (mutex_tryenter(&p->p_as->a_lock)) {
				(void)hat_swapout(p->p_as->a_hat);
				p->p_flag &= ~SLOAD;
				mutex_exit(&p->p_as->a_lock);
			}
		}
		mutex_exit(&pidlock);
	}
}
