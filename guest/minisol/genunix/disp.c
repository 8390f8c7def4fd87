/*
 * genunix part: the dispatcher (one priority-ordered run queue shared by all CPUs), the
 * time-sharing class (Solaris' ts_dptbl), swtch/disp/preempt/setrun, thread creation and exit,
 * the clocks (level 10 system clock with callouts, level 14 per-CPU tick), and CPU pokes.
 */

disp_t disp_q;
cpu_t *cpus[MAXCPU];
int ncpus = 1;
volatile clock_t lbolt;
int hz = 100;
hrtime_t hz_cycles = 100000000;
int clock_cpu;

struct tsdpent {
	short ts_quantum;
	short ts_tqexp;
	short ts_slpret;
	short ts_maxwait;
	short ts_lwait;
};
static struct tsdpent ts_dptbl[TS_MAXPRI + 1];
static int ts_default_pri = 29;

static kmem_cache_t *thread_cache;
static lock_t thread_list_lock;
kthread_t *allthreads;
static uint_t next_did = 1;
static kthread_t *volatile deathrow;
static lock_t deathrow_lock;
int nthreads;

#define STACK_MAGIC 0xfeedface

/* Solaris' ts_dptbl, in ticks: low priorities get long quanta, sleepers come back high. */
static void
ts_dptbl_init(void)
{
	int pri;
	for (pri = 0; pri <= TS_MAXPRI; pri++) {
		struct tsdpent *e = &ts_dptbl[pri];
		int band = pri / 10;
		static const short quanta[] = { 20, 16, 12, 8, 4, 4 };
		e->ts_quantum = pri == TS_MAXPRI ? 2 : quanta[band];
		e->ts_tqexp = pri < 10 ? 0 : (pri == TS_MAXPRI ? 49 : pri - 10);
		e->ts_slpret = pri < 50 ? 50 + band : (pri < 59 ? pri + 1 : 59);
		if (e->ts_slpret > TS_MAXPRI)
			e->ts_slpret = TS_MAXPRI;
		e->ts_maxwait = pri < 10 ? 0 : 1;
		e->ts_lwait = e->ts_slpret;
	}
}

/* ---- the run queue (d_lock held, at IPL_DISP) ------------------------------------------- */

static void
dispq_insert(kthread_t *t, int front)
{
	int pri = t->t_pri;
	if (pri < 0 || pri >= NPRI)
		panic("dispq_insert: thread %p has priority %d", t, pri);
	t->t_link = NULL;
	if (disp_q.d_first[pri] == NULL) {
		disp_q.d_first[pri] = disp_q.d_last[pri] = t;
	} else if (front) {
		t->t_link = disp_q.d_first[pri];
		disp_q.d_first[pri] = t;
	} else {
		disp_q.d_last[pri]->t_link = t;
		disp_q.d_last[pri] = t;
	}
	disp_q.d_bitmap[pri >> 5] |= 1u << (pri & 31);
	disp_q.d_nrunnable++;
	if (pri > disp_q.d_maxrunpri)
		disp_q.d_maxrunpri = pri;
	t->t_waitrq = gethrtime();
}

static int
dispq_compute_maxrunpri(void)
{
	int w;
	for (w = 3; w >= 0; w--) {
		uint_t bits = disp_q.d_bitmap[w];
		if (bits != 0) {
			int b = 31;
			while (!(bits & (1u << b)))
				b--;
			return w * 32 + b;
		}
	}
	return -1;
}

static kthread_t *
dispq_remove_first(int pri)
{
	kthread_t *t = disp_q.d_first[pri];
	if (t == NULL)
		return NULL;
	disp_q.d_first[pri] = t->t_link;
	if (disp_q.d_first[pri] == NULL) {
		disp_q.d_last[pri] = NULL;
		disp_q.d_bitmap[pri >> 5] &= ~(1u << (pri & 31));
		if (pri == disp_q.d_maxrunpri)
			disp_q.d_maxrunpri = dispq_compute_maxrunpri();
	}
	t->t_link = NULL;
	disp_q.d_nrunnable--;
	return t;
}

static int
dispq_remove(kthread_t *t)
{
	int pri = t->t_pri;
	kthread_t *prev = NULL, *x;
	for (x = disp_q.d_first[pri]; x != NULL; prev = x, x = x->t_link) {
		if (x != t)
			continue;
		if (prev == NULL)
			return dispq_remove_first(pri) != NULL;
		prev->t_link = x->t_link;
		if (disp_q.d_last[pri] == x)
			disp_q.d_last[pri] = prev;
		x->t_link = NULL;
		disp_q.d_nrunnable--;
		return 1;
	}
	return 0;
}

/* The CPU running the least important thread (idle counts lowest), to preempt for pri. */
static cpu_t *
disp_lowpri_cpu(int pri)
{
	cpu_t *best = NULL;
	int i, bestpri = pri;
	for (i = 0; i < MAXCPU; i++) {
		cpu_t *cp = cpus[i];
		if (cp == NULL || !(cp->cpu_flags & CPU_READY))
			continue;
		if (cp->cpu_dispatch_pri < bestpri) {
			bestpri = cp->cpu_dispatch_pri;
			best = cp;
		}
	}
	return best;
}

/* Asks the CPU running t to switch soon (at the next interrupt return or system call exit). */
void
cpu_surrender(kthread_t *t)
{
	cpu_t *cp = t->t_cpu;
	if (cp == NULL)
		return;
	cp->cpu_runrun = 1;
	cp->cpu_kprunrun = 1;
	if (cp != CPU)
		poke_cpu(cp->cpu_id);
}

static void
setq_common(kthread_t *t, int front)
{
	cpu_t *cp;
	int s = lock_set_spl(&disp_q.d_lock, IPL(IPL_DISP));
	t->t_state = TS_RUN;
	dispq_insert(t, front);
	KS_INC(setrun);
	cp = disp_lowpri_cpu(t->t_pri);
	if (cp != NULL) {
		cp->cpu_runrun = 1;
		cp->cpu_kprunrun = 1;
		if (cp != CPU && cp->cpu_thread != NULL) {
			cp->cpu_dispatch_pri = t->t_pri;  /* don't pick this CPU again for the next one */
			poke_cpu(cp->cpu_id);
		}
	}
	lock_clear_splx(&disp_q.d_lock, s);
}

void
setbackdq(kthread_t *t)
{
	setq_common(t, 0);
}

void
setfrontdq(kthread_t *t)
{
	setq_common(t, 1);
}

/* Makes a sleeping (or new) thread runnable; time-sharing threads get their sleep-return boost. */
void
setrun(kthread_t *t)
{
	if (t->t_state == TS_RUN || t->t_state == TS_ONPROC)
		return;
	if (t->t_pri < MINCLSYSPRI && t->t_procp != NULL) {
		t->t_cpupri = ts_dptbl[t->t_cpupri].ts_slpret;
		t->t_pri = t->t_cpupri;
		t->t_timeleft = ts_dptbl[t->t_cpupri].ts_quantum;
		t->t_dispwait = 0;
	}
	setbackdq(t);
}

/* Picks the best runnable thread for this CPU (d_lock held), or its idle thread. */
kthread_t *
disp(void)
{
	cpu_t *cp = cpus[cpu_index()];
	kthread_t *t;
	KS_INC(disp);
	if (disp_q.d_maxrunpri >= 0 && (t = dispq_remove_first(disp_q.d_maxrunpri)) != NULL)
		return t;
	return cp->cpu_idle_thread;
}

/*
 * Gives up the CPU. The caller has already put curthread where it belongs (a sleep queue, the run
 * queue, or death row) and set its state, unless it is an idle thread looking for work.
 */
void
swtch(void)
{
	kthread_t *t = curthread, *next;
	cpu_t *cp;
	int s;
	s = splhigh();
	lock_set(&disp_q.d_lock);
	/*
	 * This CPU, from %asr17: t->t_cpu is not reliable here, another CPU may already have taken
	 * t off the run queue and claimed it.
	 */
	cp = cpus[cpu_index()];
	KS_INC(swtch);
	next = disp();
	cp->cpu_runrun = 0;
	cp->cpu_kprunrun = 0;
	if (next == t) {
		t->t_state = TS_ONPROC;
		cp->cpu_dispatch_pri = (t->t_flag & T_IDLE) ? PRI_IDLE : t->t_pri;
		lock_clear(&disp_q.d_lock);
		splx(s);
		return;
	}
	if (t->t_state == TS_ONPROC && t->t_cpu == cp && !(t->t_flag & T_IDLE)) {
		/*
		 * Nobody queued us: we would be lost. (ONPROC with another t_cpu is fine: another CPU
		 * took us off the run queue after a wakeup and waits in resume for our context.)
		 */
		panic("swtch: running thread %p (%s) is on no queue", t, t->t_name);
	}
	next->t_state = TS_ONPROC;
	next->t_cpu = cp;
	next->t_dispwait = 0;
	cp->cpu_thread = next;
	cp->cpu_dispthread = next;
	cp->cpu_dispatch_pri = (next->t_flag & T_IDLE) ? PRI_IDLE : next->t_pri;
	cp->cpu_last_swtch = gethrtime();
	if (t->t_flag & T_IDLE)
		KS_INC(idle_swtch);
	lock_clear(&disp_q.d_lock);
	if (*(uint_t *)next->t_stk != STACK_MAGIC)
		panic("swtch: stack of thread %p (%s) overflowed", next, next->t_name);
	resume(next);
	/* curthread again, possibly on another CPU */
	splx(s);
	if (t->t_procp != NULL && !(t->t_procp->p_flag & SLOAD) && !(t->t_flag & T_IDLE))
		proc_swapin_self();
}

/* Puts curthread back on the run queue and switches (time slice over or better thread runnable). */
void
preempt(void)
{
	kthread_t *t = curthread;
	proc_t *p = t->t_procp;
	int s;
	if (t->t_flag & T_IDLE)
		return;
	KS_INC(preempt);
	if (p != NULL)
		KSP_INC(p, preempt);
	s = splhigh();
	setbackdq(t);
	if (disp_q.d_maxrunpri > t->t_pri || disp_q.d_first[t->t_pri] != t) {
		KS_INC(inv_swtch);
		if (p != NULL)
			KSP_INC(p, inv_swtch);
	}
	swtch();
	splx(s);
}

/* Kernel preemption at an interrupt return (intr_handler checks that it is safe here). */
void
kpreempt(int asyncspl)
{
	kthread_t *t = curthread;
	(void)asyncspl;
	if (t->t_preempt != 0 || (t->t_flag & T_IDLE) || !CPU->cpu_kprunrun)
		return;
	KS_INC(kpreempt);
	preempt();
}

void
yield(void)
{
	kthread_t *t = curthread;
	int s = splhigh();
	setbackdq(t);
	swtch();
	splx(s);
}

/* Sleeps for ticks of the system clock. */
void
delay(clock_t ticks)
{
	lock_t lk = 0;
	int s = splr(IPL(IPL_CLOCK));
	lock_set(&lk);
	(void)sleep_spin_timed((void *)&lk, &lk, ticks);
	lock_clear(&lk);
	splx(s);
}

/* ---- threads ---------------------------------------------------------------------------- */

kthread_t *
thread_create(caddr_t stk, size_t stksize, void (*func)(void *), void *arg, proc_t *pp, int pri, const char *name)
{
	kthread_t *t = kmem_cache_alloc(thread_cache, KM_SLEEP);
	uint_t *frame;
	uint_t sp;
	int s;
	bzero(t, sizeof (*t));
	if (stk == NULL) {
		stksize = DEFAULTSTKSZ;
		stk = page_kmem_alloc((int)(stksize / PAGESIZE));
		if (stk == NULL)
			panic("thread_create: no memory for a stack");
	}
	t->t_stk = stk;
	t->t_stksize = stksize;
	*(uint_t *)stk = STACK_MAGIC;
	sp = ((uint_t)stk + stksize - MINFRAME) & ~7u;
	frame = (uint_t *)sp;
	memset(frame, 0, MINFRAME);
	frame[0] = (uint_t)func;      /* %l0 */
	frame[1] = (uint_t)arg;       /* %l1 */
	t->t_sp = sp;
	t->t_pc = (uint_t)thread_start - 8;
	t->t_startpc = func;
	t->t_arg = arg;
	t->t_procp = pp;
	t->t_pri = pri;
	t->t_cpupri = pri < MINCLSYSPRI ? pri : 0;
	t->t_timeleft = pri < MINCLSYSPRI ? ts_dptbl[pri].ts_quantum : 0;
	t->t_state = TS_FREE;
	t->t_flag = pri >= MINCLSYSPRI ? T_SYSTEM : 0;
	strlcpy(t->t_name, name, sizeof (t->t_name));
	s = lock_set_spl(&thread_list_lock, IPL(IPL_DISP));
	t->t_did = next_did++;
	t->t_next = allthreads;
	if (allthreads != NULL)
		allthreads->t_prev = t;
	allthreads = t;
	nthreads++;
	lock_clear_splx(&thread_list_lock, s);
	return t;
}

void
thread_run(kthread_t *t)
{
	t->t_state = TS_FREE;
	setbackdq(t);
}

void
thread_exit(void)
{
	kthread_t *t = curthread;
	int s = splhigh();
	t->t_state = TS_ZOMB;
	lock_set(&deathrow_lock);
	t->t_link = deathrow;
	deathrow = t;
	lock_clear(&deathrow_lock);
	swtch();
	splx(s);
	panic("thread_exit: zombie thread %p ran again", t);
}

/* Frees threads on death row once their context is off every CPU (t_lock released by resume). */
void
thread_reap(void)
{
	kthread_t *list, *t, *keep = NULL;
	int s = lock_set_spl(&deathrow_lock, IPL(IPL_DISP));
	list = deathrow;
	deathrow = NULL;
	lock_clear_splx(&deathrow_lock, s);
	while ((t = list) != NULL) {
		list = t->t_link;
		if (!lock_try(&t->t_lock)) {
			t->t_link = keep;
			keep = t;
			continue;
		}
		s = lock_set_spl(&thread_list_lock, IPL(IPL_DISP));
		if (t->t_prev != NULL)
			t->t_prev->t_next = t->t_next;
		else
			allthreads = t->t_next;
		if (t->t_next != NULL)
			t->t_next->t_prev = t->t_prev;
		nthreads--;
		lock_clear_splx(&thread_list_lock, s);
		page_kmem_free(t->t_stk, (int)(t->t_stksize / PAGESIZE));
		kmem_cache_free(thread_cache, t);
	}
	if (keep != NULL) {
		s = lock_set_spl(&deathrow_lock, IPL(IPL_DISP));
		while ((t = keep) != NULL) {
			keep = t->t_link;
			t->t_link = deathrow;
			deathrow = t;
		}
		lock_clear_splx(&deathrow_lock, s);
	}
}

/* The idle loop of each CPU: run anything runnable, reap dead threads, otherwise wait a little. */
void
idle(void)
{
	cpu_t *cp;
	for (;;) {
		cp = CPU;
		if (disp_q.d_nrunnable > 0 || cp->cpu_runrun) {
			swtch();
			continue;
		}
		if (deathrow != NULL)
			thread_reap();
		idle_pause();
	}
}

/* ---- clocks, callouts, pokes ------------------------------------------------------------ */

static callout_t callout_pool[1024];
static callout_t *callout_free;
static callout_t *callout_wheel[NCALLOUT];
static lock_t callout_lock;
static int callout_next_id = 1;
static volatile int callout_executing;

int
timeout(void (*func)(void *), void *arg, clock_t ticks)
{
	callout_t *c;
	int id, s;
	if (ticks <= 0)
		ticks = 1;
	s = lock_set_spl(&callout_lock, IPL(IPL_HIGH));
	c = callout_free;
	if (c == NULL)
		panic("timeout: callout table full");
	callout_free = c->c_next;
	id = callout_next_id++;
	if (callout_next_id <= 0)
		callout_next_id = 1;
	c->c_func = func;
	c->c_arg = arg;
	c->c_id = id;
	c->c_runtime = lbolt + ticks;
	c->c_next = callout_wheel[c->c_runtime % NCALLOUT];
	callout_wheel[c->c_runtime % NCALLOUT] = c;
	lock_clear_splx(&callout_lock, s);
	return id;
}

static int
callout_unlink(int id)
{
	int b;
	for (b = 0; b < NCALLOUT; b++) {
		callout_t **cpp, *c;
		for (cpp = &callout_wheel[b]; (c = *cpp) != NULL; cpp = &c->c_next) {
			if (c->c_id == id) {
				*cpp = c->c_next;
				c->c_next = callout_free;
				callout_free = c;
				return 1;
			}
		}
	}
	return 0;
}

/* Cancels a callout; if it is running on another CPU, waits for it to finish. */
int
untimeout(int id)
{
	for (;;) {
		int s = lock_set_spl(&callout_lock, IPL(IPL_HIGH));
		if (callout_unlink(id)) {
			lock_clear_splx(&callout_lock, s);
			return 1;
		}
		if (callout_executing != id || cpu_index() == clock_cpu) {
			lock_clear_splx(&callout_lock, s);
			return 0;
		}
		lock_clear_splx(&callout_lock, s);
	}
}

static void
callout_run(clock_t now)
{
	int slot = now % NCALLOUT;
	int s = lock_set_spl(&callout_lock, IPL(IPL_HIGH));
	for (;;) {
		callout_t **cpp, *c;
		void (*func)(void *);
		void *arg;
		for (cpp = &callout_wheel[slot]; (c = *cpp) != NULL; cpp = &c->c_next)
			if (c->c_runtime <= now)
				break;
		if (c == NULL)
			break;
		*cpp = c->c_next;
		func = c->c_func;
		arg = c->c_arg;
		callout_executing = c->c_id;
		c->c_next = callout_free;
		callout_free = c;
		lock_clear_splx(&callout_lock, s);
		KS_INC(callout);
		(*func)(arg);
		s = lock_set_spl(&callout_lock, IPL(IPL_HIGH));
		callout_executing = 0;
	}
	lock_clear_splx(&callout_lock, s);
}

/* Once a second: threads that waited long on the run queue get their lwait priority. */
static void
ts_update(void)
{
	int pri, s;
	s = lock_set_spl(&disp_q.d_lock, IPL(IPL_DISP));
	for (pri = 0; pri < TS_MAXPRI; pri++) {
		kthread_t *t, *next;
		for (t = disp_q.d_first[pri]; t != NULL; t = next) {
			next = t->t_link;
			if (++t->t_dispwait <= ts_dptbl[pri].ts_maxwait)
				continue;
			if (ts_dptbl[pri].ts_lwait <= pri)
				continue;
			dispq_remove(t);
			t->t_cpupri = ts_dptbl[pri].ts_lwait;
			t->t_pri = t->t_cpupri;
			t->t_dispwait = 0;
			dispq_insert(t, 0);
		}
	}
	lock_clear_splx(&disp_q.d_lock, s);
}

extern void fsflush_tick(void);
extern void vm_clock_tick(void);
extern void tcp_clock_tick(void);
int run_ticks;

/* The level-10 system clock (one CPU): lbolt, callouts, periodic work, the shutdown request. */
static void
clock(void *arg)
{
	clock_t now;
	(void)arg;
	*(volatile uint_t *)(CLOCK_BASE + CLK_ACK) = 1;
	now = ++lbolt;
	KS_INC(clock);
	callout_run(now);
	if (now % hz == 0)
		ts_update();
	fsflush_tick();
	vm_clock_tick();
	tcp_clock_tick();
	if (!shutdown_requested) {
		if (*(volatile uint_t *)(SYSCTL_BASE + SC_SHUTDOWN) != 0 || (run_ticks > 0 && now >= run_ticks)) {
			shutdown_requested = 1;
			wakeup((void *)&shutdown_requested);
		}
	}
}

/* The level-14 tick on every CPU: time accounting and the time-sharing quantum. */
static void
clock_tick(void *arg)
{
	cpu_t *cp = CPU;
	kthread_t *t = curthread;
	(void)arg;
	*(volatile uint_t *)(CLOCK_BASE + CLK_TICK_ACK) = (uint_t)cp->cpu_id;
	cp->cpu_ticks++;
	KS_INC(clock_tick);
	if (t->t_flag & T_IDLE) {
		cp->cpu_idle_ticks++;
		return;
	}
	if (t->t_procp != NULL)
		KSP_INC(t->t_procp, ticks);
	if (t->t_pri < MINCLSYSPRI && !(t->t_flag & T_SYSTEM)) {
		if (--t->t_timeleft <= 0) {
			int pri = t->t_cpupri;
			t->t_cpupri = ts_dptbl[pri].ts_tqexp;
			t->t_pri = t->t_cpupri;
			t->t_timeleft = ts_dptbl[t->t_cpupri].ts_quantum;
			cpu_surrender(t);
		} else if (disp_q.d_maxrunpri > t->t_pri) {
			cpu_surrender(t);
		}
	}
}

void
poke_cpu(int cpuid)
{
	KS_INC(poke);
	*(volatile uint_t *)(SYSCTL_BASE + SC_IPI_SET) = (uint_t)cpuid;
}

static void
poke_intr(void *arg)
{
	(void)arg;
	*(volatile uint_t *)(SYSCTL_BASE + SC_IPI_CLEAR) = (uint_t)cpu_index();
}

void
clock_start(void)
{
	volatile uint_t *clk = (volatile uint_t *)CLOCK_BASE;
	add_intr(IPL_CLOCK, clock, NULL, "clock");
	add_intr(IPL_TICK, clock_tick, NULL, "tick");
	add_intr(IPL_POKE, poke_intr, NULL, "poke");
	clock_cpu = cpu_index();
	clk[CLK_TARGET / 4] = (uint_t)clock_cpu;
	clk[CLK_PERIOD / 4] = (uint_t)hz_cycles / (uint_t)hz;
	clk[CLK_CTRL / 4] = CLK_CTRL_SYSCLK | CLK_CTRL_TICK;
}

void
disp_init(void)
{
	int i;
	ts_dptbl_init();
	disp_q.d_maxrunpri = -1;
	thread_cache = kmem_cache_create("thread_cache", sizeof (kthread_t), 8);
	for (i = 0; i < (int)NELEM(callout_pool); i++) {
		callout_pool[i].c_next = callout_free;
		callout_free = &callout_pool[i];
	}
}

int
ts_default_priority(void)
{
	return ts_default_pri;
}
