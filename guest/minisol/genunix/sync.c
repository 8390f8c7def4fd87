/*
 * genunix part: sleep queues (hashed by wait channel), adaptive mutexes (spin while the owner runs,
 * else block), condition variables, and BSD-style sleep/wakeup on spin locks for code that runs at
 * interrupt level (the buffer cache, sockets).
 */

static sleepq_head_t sleepq_head[NSLEEPQ];
#define SQHASH(w) (&sleepq_head[((((uintptr_t)(w)) >> 2) ^ (((uintptr_t)(w)) >> 9)) & (NSLEEPQ - 1)])
#define MUTEX_SPIN_LIMIT 200

static void
sleepq_insert(sleepq_head_t *sqh, kthread_t *t)
{
	t->t_link = NULL;
	if (sqh->sq_last != NULL)
		sqh->sq_last->t_link = t;
	else
		sqh->sq_first = t;
	sqh->sq_last = t;
	t->t_sleepq = sqh;
}

static int
sleepq_unlink(sleepq_head_t *sqh, kthread_t *t)
{
	kthread_t *prev = NULL, *x;
	for (x = sqh->sq_first; x != NULL; prev = x, x = x->t_link) {
		if (x != t)
			continue;
		if (prev != NULL)
			prev->t_link = x->t_link;
		else
			sqh->sq_first = x->t_link;
		if (sqh->sq_last == x)
			sqh->sq_last = prev;
		x->t_link = NULL;
		x->t_sleepq = NULL;
		return 1;
	}
	return 0;
}

/* Wakes threads sleeping on wchan (all, or only the first). Called with the sleepq lock held. */
static int
sleepq_wakeup_locked(sleepq_head_t *sqh, void *wchan, int all)
{
	kthread_t *t, *next, *prev = NULL;
	int n = 0;
	for (t = sqh->sq_first; t != NULL; t = next) {
		next = t->t_link;
		if (t->t_wchan != wchan) {
			prev = t;
			continue;
		}
		if (prev != NULL)
			prev->t_link = next;
		else
			sqh->sq_first = next;
		if (sqh->sq_last == t)
			sqh->sq_last = prev;
		t->t_link = NULL;
		t->t_sleepq = NULL;
		t->t_wchan = NULL;
		setrun(t);
		n++;
		if (!all)
			break;
	}
	return n;
}

/*
 * Puts curthread to sleep on wchan. Called at IPL_DISP with the sleep queue locked; the lock is
 * dropped and the thread switches away. Returns at IPL_DISP.
 */
static void
sleepq_block(sleepq_head_t *sqh, void *wchan)
{
	kthread_t *t = curthread;
	t->t_wchan = wchan;
	t->t_state = TS_SLEEP;
	sleepq_insert(sqh, t);
	KS_INC(sleep);
	lock_clear(&sqh->sq_lock);
	swtch();
}

void
wakeup(const volatile void *cwchan)
{
	void *wchan = (void *)(uintptr_t)cwchan;
	sleepq_head_t *sqh = SQHASH(wchan);
	int s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	if (sleepq_wakeup_locked(sqh, wchan, 1) > 0)
		KS_INC(wakeup);
	lock_clear_splx(&sqh->sq_lock, s);
}

void
wakeup_one(const volatile void *cwchan)
{
	void *wchan = (void *)(uintptr_t)cwchan;
	sleepq_head_t *sqh = SQHASH(wchan);
	int s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	if (sleepq_wakeup_locked(sqh, wchan, 0) > 0)
		KS_INC(wakeup);
	lock_clear_splx(&sqh->sq_lock, s);
}

/*
 * Sleeps on chan, releasing the spin lock lk (held by the caller at some raised PIL) atomically
 * with respect to wakeup(chan); re-acquires lk before returning. The caller's PIL is kept.
 */
void
sleep_spin(const volatile void *cchan, lock_t *lk)
{
	void *chan = (void *)(uintptr_t)cchan;
	sleepq_head_t *sqh = SQHASH(chan);
	int s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	lock_clear(lk);
	sleepq_block(sqh, chan);
	splx(s);
	lock_set(lk);
}

/* Timed sleeps: a callout wakes the thread if it is still asleep on the same channel. */
struct timedsleep {
	kthread_t *ts_thread;
	void *ts_wchan;
	volatile int ts_fired;
	volatile int ts_done;
};

static void
timedsleep_expire(void *arg)
{
	struct timedsleep *ts = arg;
	sleepq_head_t *sqh = SQHASH(ts->ts_wchan);
	int s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	if (!ts->ts_done) {
		kthread_t *t = ts->ts_thread;
		if (t->t_state == TS_SLEEP && t->t_wchan == ts->ts_wchan && sleepq_unlink(sqh, t)) {
			t->t_wchan = NULL;
			ts->ts_fired = 1;
			setrun(t);
		}
	}
	lock_clear_splx(&sqh->sq_lock, s);
}

/* Returns 1 if woken by wakeup, 0 on timeout. */
int
sleep_spin_timed(const volatile void *cchan, lock_t *lk, clock_t ticks)
{
	void *chan = (void *)(uintptr_t)cchan;
	struct timedsleep ts;
	sleepq_head_t *sqh = SQHASH(chan);
	int id, s;
	ts.ts_thread = curthread;
	ts.ts_wchan = chan;
	ts.ts_fired = 0;
	ts.ts_done = 0;
	id = timeout(timedsleep_expire, &ts, ticks > 0 ? ticks : 1);
	s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	lock_clear(lk);
	sleepq_block(sqh, chan);
	ts.ts_done = 1;
	splx(s);
	untimeout(id);
	lock_set(lk);
	return !ts.ts_fired;
}

/* ---- mutexes ---------------------------------------------------------------------------- */

void
mutex_init(kmutex_t *m, const char *name)
{
	m->m_lock = 0;
	m->m_waiters = 0;
	m->m_owner = NULL;
	m->m_name = name;
}

int
mutex_owned(kmutex_t *m)
{
	return m->m_lock != 0 && m->m_owner == curthread;
}

/* The slow path: spin while the owner is running on a CPU, else sleep until mutex_exit wakes us. */
static __noinline void
mutex_vector_enter(kmutex_t *m)
{
	int spins = 0;
	KS_INC(mutex_spin);
	for (;;) {
		kthread_t *owner = m->m_owner;
		sleepq_head_t *sqh;
		int s;
		if (lock_try(&m->m_lock)) {
			m->m_owner = curthread;
			return;
		}
		if (owner != NULL && owner->t_state == TS_ONPROC && spins < MUTEX_SPIN_LIMIT) {
			spins++;
			continue;
		}
		if (owner == curthread)
			panic("mutex_enter: recursive entry of %s", m->m_name ? m->m_name : "?");
		sqh = SQHASH(m);
		s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
		m->m_waiters = 1;
		if (lock_try(&m->m_lock)) {
			m->m_owner = curthread;
			lock_clear_splx(&sqh->sq_lock, s);
			return;
		}
		KS_INC(mutex_block);
		sleepq_block(sqh, m);
		splx(s);
		spins = 0;
	}
}

void
mutex_enter(kmutex_t *m)
{
	KS_INC(mutex_enter);
	if (lock_try(&m->m_lock)) {
		m->m_owner = curthread;
		return;
	}
	mutex_vector_enter(m);
}

int
mutex_tryenter(kmutex_t *m)
{
	if (lock_try(&m->m_lock)) {
		m->m_owner = curthread;
		return 1;
	}
	return 0;
}

static __noinline void
mutex_vector_exit(kmutex_t *m)
{
	sleepq_head_t *sqh = SQHASH(m);
	int s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	m->m_waiters = 0;
	sleepq_wakeup_locked(sqh, m, 1);
	lock_clear_splx(&sqh->sq_lock, s);
}

void
mutex_exit(kmutex_t *m)
{
	if (m->m_owner != curthread)
		panic("mutex_exit: %s not owned by thread %p (owner %p)", m->m_name ? m->m_name : "?", curthread, m->m_owner);
	m->m_owner = NULL;
	lock_clear(&m->m_lock);
	if (m->m_waiters)
		mutex_vector_exit(m);
}

/* ---- condition variables ---------------------------------------------------------------- */

void
cv_init(kcondvar_t *cv)
{
	cv->cv_waiters = 0;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *m)
{
	sleepq_head_t *sqh = SQHASH(cv);
	int s;
	KS_INC(cv_wait);
	s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	cv->cv_waiters++;
	mutex_exit(m);
	sleepq_block(sqh, cv);
	splx(s);
	mutex_enter(m);
}

/* Returns -1 on timeout, else the ticks left (> 0). */
int
cv_timedwait(kcondvar_t *cv, kmutex_t *m, clock_t ticks)
{
	struct timedsleep ts;
	sleepq_head_t *sqh = SQHASH(cv);
	int id, s;
	KS_INC(cv_wait);
	ts.ts_thread = curthread;
	ts.ts_wchan = cv;
	ts.ts_fired = 0;
	ts.ts_done = 0;
	id = timeout(timedsleep_expire, &ts, ticks > 0 ? ticks : 1);
	s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	cv->cv_waiters++;
	mutex_exit(m);
	sleepq_block(sqh, cv);
	ts.ts_done = 1;
	splx(s);
	untimeout(id);
	mutex_enter(m);
	return ts.ts_fired ? -1 : 1;
}

void
cv_signal(kcondvar_t *cv)
{
	sleepq_head_t *sqh;
	int s;
	KS_INC(cv_signal);
	if (cv->cv_waiters == 0)
		return;
	sqh = SQHASH(cv);
	s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	if (cv->cv_waiters > 0) {
		cv->cv_waiters--;
		if (sleepq_wakeup_locked(sqh, cv, 0) > 0)
			KS_INC(wakeup);
	}
	lock_clear_splx(&sqh->sq_lock, s);
}

void
cv_broadcast(kcondvar_t *cv)
{
	sleepq_head_t *sqh;
	int s;
	if (cv->cv_waiters == 0)
		return;
	sqh = SQHASH(cv);
	s = lock_set_spl(&sqh->sq_lock, IPL(IPL_DISP));
	cv->cv_waiters = 0;
	if (sleepq_wakeup_locked(sqh, cv, 1) > 0)
		KS_INC(wakeup);
	lock_clear_splx(&sqh->sq_lock, s);
}

void
kpreempt_disable(void)
{
	curthread->t_preempt++;
}

void
kpreempt_enable(void)
{
	curthread->t_preempt--;
	if (curthread->t_preempt == 0 && CPU->cpu_kprunrun && getpil() == 0)
		kpreempt(0);
}
