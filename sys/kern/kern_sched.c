/*
 * The scheduler: threads, a run queue ordered by policy, time slices
 * driven by the timer tick, and sleep/wakeup on named channels.
 *
 * Two classes of threads, as in Linux (sched(7)):
 *
 *  - Real-time threads (SCHED_FIFO, SCHED_RR; priority 1..99) always run
 *    before the others, highest priority first, and among equals the one
 *    that has waited longest.  A FIFO thread runs until it sleeps or
 *    yields; an RR thread also goes behind its equals when its slice
 *    (SCHED_RR_SLICE_NS) is used up.  A real-time thread that becomes
 *    runnable with a higher priority than the running one takes the CPU
 *    at once (ci_want_resched, acted on when the interrupt or system call
 *    returns); one that lost the CPU that way stays first among its
 *    equals.
 *
 *  - The others (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE) share what is left
 *    in proportion to their weights: 1024 for nice 0, 1.25 times less per
 *    step up (sched_nice_weight), 3 for SCHED_IDLE.  Each thread has a
 *    virtual run time, its CPU time scaled by 1024 / weight; the runnable
 *    thread with the smallest one runs next, for a slice of SCHED_SLICE
 *    ticks.  A nice 19 thread's clock runs 68 times faster than a nice 0
 *    thread's, so next to it it gets about 1.5% of the CPU.  min_vruntime
 *    follows the smallest virtual run time of the runnable threads and
 *    never goes back: a new thread starts there (neither ahead of the
 *    others nor behind them), and a thread that slept comes back no more
 *    than half a slice behind it (enough to run soon, not enough to
 *    starve the others for as long as it slept).  A woken SCHED_OTHER
 *    thread may take the CPU from a fair-share thread at once (if its
 *    clock is behind); SCHED_BATCH and SCHED_IDLE ones wait for the end
 *    of the running slice.
 *
 * The run queue is one list in the order threads became runnable, and
 * runq_take scans it all for the best thread: a teaching kernel runs a
 * handful of threads, so a linear scan is fast enough and easy to follow
 * (Linux keeps an array of lists for real time and a red-black tree for
 * the rest).  When nothing is runnable the idle thread halts the CPU until
 * the next interrupt.
 *
 * sched_lock, a spin lock, protects the run queue, the sleep list, the
 * dead list, min_vruntime and every thread's [s] fields (sys/sys/proc.h).
 * It is only ever taken with interrupts already off, so its saved
 * interrupt state is always "off"; each path saves and restores its own
 * caller's state around the switch.  A thread switched to while the lock
 * is held releases it on the other side (after cpu_switch returns, or in
 * sched_thread_start for a thread that never ran).
 */
#include <sys/abi/sched.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>

#define SCHED_SLICE	2	/* ticks: 20 ms, the fair-share slice */
#define SCHED_NS_PER_TICK	(1000000000ULL / HZ)
#define SCHED_RR_TICKS	(SCHED_RR_SLICE_NS / SCHED_NS_PER_TICK)
#define SCHED_NICE0_WEIGHT	1024
#define SCHED_IDLE_WEIGHT	3	/* SCHED_IDLE: below nice 19's 15 */
/* How far behind min_vruntime a woken thread may come back: half a slice. */
#define SCHED_WAKE_CREDIT	(SCHED_SLICE * SCHED_NS_PER_TICK / 2)

/*
 * The weight of nice -20..19: round(1024 / 1.25^nice), so that each step
 * is worth about 10% of the CPU against a thread one step away.
 */
static const uint32_t sched_nice_weight[40] = {
	88818, 71054, 56843, 45475, 36380, 29104, 23283, 18626, 14901, 11921,
	9537, 7629, 6104, 4883, 3906, 3125, 2500, 2000, 1600, 1280,
	1024, 819, 655, 524, 419, 336, 268, 215, 172, 137,
	110, 88, 70, 56, 45, 36, 29, 23, 18, 15,
};

struct cpu cpu0;
struct proc proc0;
struct spinlock sched_lock = SPINLOCK_INIT("sched_lock");

static struct thread thread0;		/* the boot thread */
static struct thread *runq_head;	/* [s] runnable, not running */
static struct thread *sleepq;		/* [s] all sleeping threads */
static struct thread *deadq;		/* [s] exited, stacks to free */
static struct thread *allthreads;	/* [s] */
static int next_tid = 1;		/* [s] kernel threads' ids */
static uint64_t min_vruntime;		/* [s] see the top of the file */

/*
 * The load average (what uptime, top and /proc/loadavg show): every
 * SCHED_LOAD_FREQ ticks, the threads running or runnable, n, move each
 * average a step towards n, as Linux does: a = a*e + n*(1 - e), with e
 * = exp(-5 s / 1, 5 and 15 minutes) in SCHED_FSHIFT-bit fixed point
 * (2048 * exp(-5/60) = 1884, exp(-5/300): 2014, exp(-5/900): 2037).
 */
#define SCHED_FSHIFT	11
#define SCHED_FIXED_1	(1UL << SCHED_FSHIFT)
#define SCHED_LOAD_FREQ	(5 * HZ + 1)	/* Linux's: 5 s and a tick */
static const unsigned long sched_load_exp[3] = { 1884, 2014, 2037 };
static unsigned long sched_avenrun[3];	/* [s] SCHED_FSHIFT fixed point */
static unsigned int sched_load_left = SCHED_LOAD_FREQ; /* [s] ticks */

extern char boot_kstack[];

static bool
sched_is_rt(const struct thread *td)
{
	return td->td_policy == SCHED_FIFO || td->td_policy == SCHED_RR;
}

static uint64_t
sched_weight(const struct thread *td)
{
	if (td->td_policy == SCHED_IDLE)
		return SCHED_IDLE_WEIGHT;
	return sched_nice_weight[td->td_nice + 20];
}

/*
 * Should a run before b?  Real time before the rest, then the higher
 * real-time priority, or the smaller virtual run time.  Strict, so that
 * among equals the one met first in the run queue (the one that has
 * waited longest) wins.  Virtual run times are 64-bit nanoseconds: they
 * do not wrap in the life of a machine.
 */
static bool
sched_better(const struct thread *a, const struct thread *b)
{
	if (sched_is_rt(a) != sched_is_rt(b))
		return sched_is_rt(a);
	if (sched_is_rt(a))
		return a->td_rtprio > b->td_rtprio;
	return a->td_vruntime < b->td_vruntime;
}

/* Put td last on the run queue (a walk: the queue is short). */
static void
runq_add(struct thread *td)
{
	struct thread **pp;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	for (pp = &runq_head; *pp != NULL; pp = &(*pp)->td_runq_next)
		continue;
	td->td_runq_next = NULL;
	*pp = td;
}

/* Put td first on the run queue: it keeps its place among its equals. */
static void
runq_add_head(struct thread *td)
{
	KASSERT(spin_held(&sched_lock), "sched_lock");
	td->td_runq_next = runq_head;
	runq_head = td;
}

/*
 * Take the best runnable thread (sched_better) off the run queue, leaving
 * skip there unless it is the only one; NULL when the queue is empty.
 */
static struct thread *
runq_take(const struct thread *skip)
{
	struct thread **pp, **bestp = NULL, *td;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	for (pp = &runq_head; (td = *pp) != NULL; pp = &td->td_runq_next) {
		if (td == skip)
			continue;
		if (bestp == NULL || sched_better(td, *bestp))
			bestp = pp;
	}
	if (bestp == NULL) {
		if (skip == NULL)
			return NULL;
		return runq_take(NULL);
	}
	td = *bestp;
	*bestp = td->td_runq_next;
	td->td_runq_next = NULL;
	return td;
}

/*
 * Raise min_vruntime to the smallest virtual run time of the runnable
 * fair-share threads (cur included when it is one); it never goes back.
 */
static void
sched_update_min_vruntime(const struct thread *cur, bool cur_runnable)
{
	const struct thread *td;
	uint64_t least = UINT64_MAX;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	if (cur_runnable && !sched_is_rt(cur))
		least = cur->td_vruntime;
	for (td = runq_head; td != NULL; td = td->td_runq_next)
		if (!sched_is_rt(td) && td->td_vruntime < least)
			least = td->td_vruntime;
	if (least != UINT64_MAX && least > min_vruntime)
		min_vruntime = least;
}

/*
 * Where a fair-share thread that becomes runnable starts: at
 * min_vruntime when new, at most SCHED_WAKE_CREDIT behind it when it
 * slept (and never ahead of where it stopped).
 */
static void
sched_place(struct thread *td, bool new)
{
	uint64_t floor;

	if (sched_is_rt(td))
		return;
	if (new) {
		td->td_vruntime = min_vruntime;
		return;
	}
	floor = min_vruntime > SCHED_WAKE_CREDIT ?
	    min_vruntime - SCHED_WAKE_CREDIT : 0;
	if (td->td_vruntime < floor)
		td->td_vruntime = floor;
}

/*
 * Should td, just made runnable, take the CPU from the running thread
 * now?  Yes over idle; a real-time thread over anything it outranks; a
 * woken SCHED_OTHER thread gets a say against a fair-share thread (the
 * switch then compares virtual run times); new threads, SCHED_BATCH and
 * SCHED_IDLE wait for the end of the slice.
 */
static bool
sched_preempts(const struct thread *td, bool woken)
{
	const struct thread *cur = cpu0.ci_curthread;

	if (cur == cpu0.ci_idle)
		return true;
	if (sched_is_rt(td) || sched_is_rt(cur))
		return sched_is_rt(td) && (!sched_is_rt(cur) ||
		    td->td_rtprio > cur->td_rtprio);
	return woken && td->td_policy == SCHED_OTHER;
}

/* A new thread's slice, in ticks: FIFO has none (it never expires). */
static uint64_t
sched_slice_ticks(const struct thread *td)
{
	return td->td_policy == SCHED_RR ? SCHED_RR_TICKS : SCHED_SLICE;
}

/* Free the stacks of threads that exited; never the running one. */
static void
sched_reap(void)
{
	struct thread *td, *keep = NULL;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	while ((td = deadq) != NULL) {
		deadq = td->td_runq_next;
		if (td == curthread) {
			td->td_runq_next = keep;
			keep = td;
			continue;
		}
		kfree(td->td_kstack);
		kfree(td);
	}
	deadq = keep;
}

/* Account the CPU time of the thread leaving the CPU at now. */
static void
sched_account(struct thread *td, uint64_t now)
{
	uint64_t ran = now - td->td_switched_ns;

	td->td_runtime_ns += ran;
	if (td->td_proc != NULL && td->td_proc != &proc0) {
		if (td->td_user)
			td->td_proc->p_utime_ns += ran;
		else
			td->td_proc->p_stime_ns += ran;
	}
}

/*
 * Charge td's fair-share clock for the ran nanoseconds it just had the
 * CPU: ran * 1024 / weight (real-time threads and idle keep none).
 */
static void
sched_charge(struct thread *td, uint64_t ran)
{
	if (sched_is_rt(td) || td == cpu0.ci_idle)
		return;
	td->td_vruntime += ran * SCHED_NICE0_WEIGHT / sched_weight(td);
}

/*
 * Put the running thread cur back on the run queue and choose the next
 * one.  A yielding thread or an RR thread whose slice is over goes behind
 * its equals; a real-time thread that is preempted stays in front of
 * them.  A yielding fair-share thread lets any other runnable thread go
 * first, whatever their virtual run times.
 */
static struct thread *
sched_pick(struct thread *cur, bool runnable)
{
	const struct thread *skip = NULL;
	struct thread *next;

	if (runnable) {
		if (cur->td_yield || !sched_is_rt(cur) ||
		    (cur->td_policy == SCHED_RR && ticks >= cur->td_slice_end))
			runq_add(cur);
		else
			runq_add_head(cur);
		if (cur->td_yield && !sched_is_rt(cur))
			skip = cur;
	}
	cur->td_yield = false;
	if ((next = runq_take(skip)) == NULL)
		next = cpu0.ci_idle;
	return next;
}

/*
 * Switch to the next runnable thread (or idle).  The current thread goes
 * back on the run queue if it is still runnable.  Called with sched_lock
 * held and interrupts off; returns, with both still so, when this thread
 * runs again.
 */
static void
sched_switch(void)
{
	struct cpu *ci = &cpu0;
	struct thread *cur = ci->ci_curthread, *next;
	bool runnable;
	uint64_t now;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	KASSERT((read_rflags() & PSL_I) == 0, "sched_switch: interrupts on");
	runnable = cur->td_state == TDS_RUNNABLE && cur != ci->ci_idle;
	now = clock_monotonic_ns();
	sched_charge(cur, now - cur->td_switched_ns);
	sched_account(cur, now);
	cur->td_switched_ns = now;
	sched_update_min_vruntime(cur, runnable);
	next = sched_pick(cur, runnable);
	ci->ci_want_resched = 0;
	/* A fresh slice, except for an RR thread that was preempted. */
	if (ticks >= next->td_slice_end ||
	    (next != cur && next->td_policy != SCHED_RR))
		next->td_slice_end = ticks + sched_slice_ticks(next);
	if (next == cur)
		return;
	next->td_switched_ns = now;
	if (cur->td_user)
		cpu_fpu_save(cur);
	cpu_switch_prepare(ci, next);
	/*
	 * The next thread's address space (the kernel's alone for kernel
	 * threads, so none keeps a freed process's page tables loaded).
	 */
	vmspace_activate(next->td_proc != NULL ? next->td_proc->p_vmspace :
	    NULL);
	ci->ci_curthread = next;
	cpu_switch(cur, next);
	/* Back on the CPU. */
	if (cur->td_user)
		cpu_fpu_restore(cur);
	sched_reap();
}

/*
 * The first code a new thread runs (from the trampolines in switch.S):
 * finish the switch that brought it here, then run with interrupts on.
 */
void
sched_thread_start(void)
{
	struct thread *td = curthread;

	if (td->td_user)
		cpu_fpu_restore(td);
	sched_reap();
	spin_unlock(&sched_lock);
	intr_enable();
}

/* Switch now; a yield puts the caller behind its equals (sched_pick). */
static void
sched_reschedule(bool yield)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	curthread->td_yield = yield;
	sched_switch();
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * Give up the CPU to the runnable threads of the same rank (sched(7)):
 * real-time threads of the same priority, or any other fair-share
 * thread.  Takes sched_lock.
 */
void
sched_yield(void)
{
	sched_reschedule(true);
}

/*
 * Make td runnable: a new thread (it starts at min_vruntime), which takes
 * the CPU at once only from idle or, when real time, from a thread it
 * outranks.  Takes sched_lock.
 */
void
sched_add(struct thread *td)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	td->td_state = TDS_RUNNABLE;
	sched_place(td, true);
	runq_add(td);
	if (sched_preempts(td, false))
		cpu0.ci_want_resched = 1;
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* Wake td (sched_lock held): off the sleep list, onto the run queue. */
static void
sched_wake_locked(struct thread *td)
{
	struct thread **pp;

	for (pp = &sleepq; *pp != NULL; pp = &(*pp)->td_runq_next) {
		if (*pp == td) {
			*pp = td->td_runq_next;
			break;
		}
	}
	td->td_wchan = NULL;
	td->td_wmesg = NULL;
	td->td_wakeup_ns = 0;
	td->td_sleep_intr = false;
	td->td_state = TDS_RUNNABLE;
	sched_place(td, false);
	runq_add(td);
	/*
	 * Switch on the way out of this interrupt or system call if td should
	 * run before the running thread (sched_preempts).
	 */
	if (sched_preempts(td, true))
		cpu0.ci_want_resched = 1;
}

/*
 * Sleep on chan until wakeup(chan), or until timeout_ns nanoseconds pass
 * when it is not 0, or (intr) until a signal comes.  lock, when not NULL,
 * is held by the caller; it is released once this thread is on the sleep
 * list (so no wakeup is lost) and taken again before returning, with the
 * caller's interrupt state.  Returns 0 when woken, -ETIMEDOUT when the
 * time ran out, -EINTR for a signal.
 */
static int
tsleep_common(const volatile void *chan, struct spinlock *lock,
    const char *wmesg, uint64_t timeout_ns, bool intr)
{
	struct thread *td = curthread;
	uint64_t rflags;
	int error = 0;

	KASSERT(td != cpu0.ci_idle, "tsleep: the idle thread may not sleep");
	if (lock != NULL) {
		/* The caller's interrupt state is the one lock saved. */
		rflags = lock->sl_rflags;
		lock->sl_rflags &= ~PSL_I;
		spin_lock(&sched_lock);
		spin_unlock(lock);
	} else {
		rflags = read_rflags();
		intr_disable();
		spin_lock(&sched_lock);
	}
	td->td_interrupted = false;
	if (intr && sig_pending(td)) {
		td->td_interrupted = true;
		goto out;
	}
	td->td_sleep_intr = intr;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_timedout = false;
	td->td_wakeup_ns = timeout_ns != 0 ?
	    clock_monotonic_ns() + timeout_ns : 0;
	td->td_state = TDS_SLEEPING;
	td->td_runq_next = sleepq;
	sleepq = td;
	sched_switch();
out:
	if (td->td_interrupted) {
		error = -EINTR;
		td->td_sysintr = true;
	} else if (td->td_timedout) {
		error = -ETIMEDOUT;
	}
	spin_unlock(&sched_lock);
	if (lock != NULL) {
		spin_lock(lock);
		lock->sl_rflags = rflags;
	} else {
		write_rflags(rflags);
	}
	return error;
}

/*
 * Sleep on chan until wakeup(chan), or until timeout_ns nanoseconds pass
 * when it is not 0 (see tsleep_common).  Returns 0 when woken,
 * -ETIMEDOUT when the time ran out.  Signals do not end this sleep.
 */
int
tsleep(const volatile void *chan, struct spinlock *lock, const char *wmesg,
    uint64_t timeout_ns)
{
	return tsleep_common(chan, lock, wmesg, timeout_ns, false);
}

/*
 * tsleep that a signal ends: returns -EINTR, and marks the running system
 * call interrupted (td_sysintr, for sig_deliver's restarts), when a
 * signal the thread does not block is pending before it would sleep or
 * arrives while it sleeps.  Same locking as tsleep.
 */
int
tsleep_sig(const volatile void *chan, struct spinlock *lock,
    const char *wmesg, uint64_t timeout_ns)
{
	return tsleep_common(chan, lock, wmesg, timeout_ns, true);
}

/*
 * A signal was posted for td (sig_post, proc_lock held): if td sleeps in
 * tsleep_sig, wake it with td_interrupted set.  Any context; takes
 * sched_lock.
 */
void
sched_signal_wake(struct thread *td)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && td->td_sleep_intr) {
		td->td_interrupted = true;
		sched_wake_locked(td);
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* Wake every thread sleeping on chan.  Any context. */
void
wakeup(const volatile void *chan)
{
	struct thread *td, *next;
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	for (td = sleepq; td != NULL; td = next) {
		next = td->td_runq_next;
		if (td->td_wchan == chan)
			sched_wake_locked(td);
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * Is the running thread cur due to give way at this tick?  Idle always;
 * FIFO never; RR when its slice is over and a thread of its priority
 * waits (otherwise it starts another slice); fair-share threads when
 * their slice is over (the switch then picks the smallest virtual run
 * time, which may be cur's again).  sched_lock held.
 */
static bool
sched_slice_over(struct thread *cur)
{
	const struct thread *td;

	if (cur == cpu0.ci_idle)
		return true;
	if (cur->td_policy == SCHED_FIFO || ticks < cur->td_slice_end)
		return false;
	if (cur->td_policy != SCHED_RR)
		return true;
	for (td = runq_head; td != NULL; td = td->td_runq_next)
		if (sched_is_rt(td) && td->td_rtprio == cur->td_rtprio)
			return true;
	cur->td_slice_end = ticks + SCHED_RR_TICKS;
	return false;
}

/* Move the load averages one step (see sched_avenrun); sched_lock held. */
static void
sched_load_update(void)
{
	struct thread *td;
	unsigned long n = 0;
	int i;

	for (td = runq_head; td != NULL; td = td->td_runq_next)
		n++;
	if (cpu0.ci_curthread != cpu0.ci_idle)
		n++;
	n <<= SCHED_FSHIFT;
	for (i = 0; i < 3; i++)
		sched_avenrun[i] = (sched_avenrun[i] * sched_load_exp[i] +
		    n * (SCHED_FIXED_1 - sched_load_exp[i]) +
		    SCHED_FIXED_1 / 2) >> SCHED_FSHIFT;
}

/*
 * The timer tick (interrupt context): wake sleepers whose time is up and
 * ask for a switch when the running thread's slice is over and someone
 * else wants the CPU (sched_slice_over).
 */
void
sched_tick(void)
{
	struct thread *td, *next;
	uint64_t now;

	if (cpu0.ci_idle == NULL)
		return;		/* before sched_init */
	now = clock_monotonic_ns();
	spin_lock(&sched_lock);
	for (td = sleepq; td != NULL; td = next) {
		next = td->td_runq_next;
		if (td->td_wakeup_ns != 0 && now >= td->td_wakeup_ns) {
			td->td_timedout = true;
			sched_wake_locked(td);
		}
	}
	if (runq_head != NULL && sched_slice_over(cpu0.ci_curthread))
		cpu0.ci_want_resched = 1;
	if (--sched_load_left == 0) {
		sched_load_left = SCHED_LOAD_FREQ;
		sched_load_update();
	}
	spin_unlock(&sched_lock);
}

/*
 * See sys/sys/proc.h: the three load averages in fixed point with
 * fshift fraction bits.  Takes sched_lock.
 */
void
sched_loadavg(unsigned long loads[3], int fshift)
{
	uint64_t rflags = read_rflags();
	int i;

	intr_disable();
	spin_lock(&sched_lock);
	for (i = 0; i < 3; i++)
		loads[i] = fshift >= SCHED_FSHIFT ?
		    sched_avenrun[i] << (fshift - SCHED_FSHIFT) :
		    sched_avenrun[i] >> (SCHED_FSHIFT - fshift);
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * On the way out of an interrupt or a system call: switch if the tick or a
 * wakeup asked for it.  Only where the interrupted code had interrupts on,
 * so never inside a spin lock.
 */
void
sched_preempt_check(void)
{
	if (cpu0.ci_want_resched && cpu0.ci_idle != NULL)
		sched_reschedule(false);
}

/* The idle thread: halt until an interrupt, run whatever it woke. */
static void
sched_idle(void *arg __unused)
{
	for (;;) {
		intr_disable();
		if (runq_head != NULL) {
			intr_enable();
			sched_yield();
			continue;
		}
		cpu_idle();	/* sti; hlt: no wake-up is lost */
	}
}

/* Allocate a thread with a kernel stack; NULL when out of memory. */
static struct thread *
thread_alloc(const char *name)
{
	struct thread *td;

	if ((td = kmalloc(sizeof(*td), M_ZERO)) == NULL)
		return NULL;
	if ((td->td_kstack = kmalloc(KSTACK_SIZE, 0)) == NULL) {
		kfree(td);
		return NULL;
	}
	strlcpy(td->td_name, name, sizeof(td->td_name));
	return td;
}

/* Put td on the list of all threads and give it an id (proc may give it
 * the process's pid instead). */
static void
thread_register(struct thread *td, int tid)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	td->td_tid = tid != 0 ? tid : -(next_tid++);
	td->td_all_next = allthreads;
	allthreads = td;
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * A kernel thread that will run fn(arg); not yet runnable (sched_add).
 * Returns NULL when out of memory.
 */
struct thread *
thread_create_kernel(void (*fn)(void *), void *arg, const char *name)
{
	struct thread *td;

	if ((td = thread_alloc(name)) == NULL)
		return NULL;
	td->td_proc = &proc0;
	cpu_thread_init(td, fn, arg);
	thread_register(td, 0);
	return td;
}

/*
 * A user thread of p with id tid (a new process's first thread has the
 * pid): its registers are a copy of parent's (cpu_fork_init), its x87/SSE
 * state and TLS base the caller's.  Not yet runnable (sched_add).  NULL
 * when out of memory.
 */
struct thread *
thread_create_user(struct proc *p, const struct trapframe *parent,
    uint64_t newsp, int tid)
{
	struct thread *td;

	if ((td = thread_alloc(p->p_comm)) == NULL)
		return NULL;
	td->td_proc = p;
	td->td_user = true;
	cpu_fork_init(td, parent, newsp);
	memcpy(td->td_fpu, curthread->td_fpu, sizeof(td->td_fpu));
	if (curthread->td_user)
		cpu_fpu_save(td);	/* the parent's live registers */
	td->td_fsbase = curthread->td_fsbase;
	thread_register(td, tid);
	return td;
}

/*
 * Free a user thread that was created but never ran (its process could
 * not be started after all).
 */
void
thread_destroy_unstarted(struct thread *td)
{
	struct thread **pp;
	uint64_t rflags = read_rflags();

	KASSERT(td->td_state == TDS_NEW, "thread_destroy_unstarted: ran");
	intr_disable();
	spin_lock(&sched_lock);
	for (pp = &allthreads; *pp != NULL; pp = &(*pp)->td_all_next) {
		if (*pp == td) {
			*pp = td->td_all_next;
			break;
		}
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
	kfree(td->td_kstack);
	kfree(td);
}

/*
 * The current thread ends: it never runs again, and its stack is freed by
 * the next thread to run.  The process code has already done its part.
 * When lock is not NULL it is held by the caller and released only once
 * sched_lock is held, so nothing (a parent reaping this thread's process,
 * say) can run between the caller's last act and the switch away.
 */
void
thread_exit_unlock(struct spinlock *lock)
{
	struct thread *td = curthread, **pp;

	intr_disable();
	if (lock != NULL) {
		lock->sl_rflags &= ~PSL_I;	/* keep interrupts off */
		spin_lock(&sched_lock);
		spin_unlock(lock);
	} else {
		spin_lock(&sched_lock);
	}
	for (pp = &allthreads; *pp != NULL; pp = &(*pp)->td_all_next) {
		if (*pp == td) {
			*pp = td->td_all_next;
			break;
		}
	}
	td->td_state = TDS_DEAD;
	td->td_runq_next = deadq;
	deadq = td;
	sched_switch();
	panic("thread_exit: dead thread %s ran again", td->td_name);
}

/* The current thread ends (see thread_exit_unlock). */
void
thread_exit(void)
{
	thread_exit_unlock(NULL);
}

/*
 * Bring up scheduling on this CPU: the boot thread becomes thread 0 of
 * proc0, %gs points at cpu0, system calls are enabled, the x87/SSE unit is
 * on, and the idle thread exists.  Called by kmain() after kmalloc_init().
 */
void
sched_init(void)
{
	proc0.p_pid = 0;
	proc0.p_state = PRS_ALIVE;
	strlcpy(proc0.p_comm, "kernel", sizeof(proc0.p_comm));
	thread0.td_tid = 0;
	thread0.td_proc = &proc0;
	thread0.td_state = TDS_RUNNABLE;
	strlcpy(thread0.td_name, "boot", sizeof(thread0.td_name));
	thread0.td_kstack = NULL;	/* boot_kstack, never freed */
	proc0.p_threads = &thread0;
	proc0.p_nthreads = 1;
	cpu0.ci_curthread = &thread0;
	cpu_percpu_init(&cpu0);
	cpu_fpu_init();
	allthreads = &thread0;

	cpu0.ci_idle = thread_create_kernel(sched_idle, NULL, "idle");
	if (cpu0.ci_idle == NULL)
		panic("sched_init: no memory for the idle thread");
	cpu0.ci_idle->td_state = TDS_RUNNABLE;
	klog("sched", "round robin, %d ms slices; idle thread ready",
	    SCHED_SLICE * 1000 / HZ);
}

/*
 * A new thread td of the current thread inherits its policy, real-time
 * priority and nice value.  When the parent has SCHED_RESET_ON_FORK
 * (sched(7)), a real-time child becomes SCHED_OTHER with nice 0, a child
 * with a negative nice value gets 0, and the child does not keep the
 * flag; a new process's nice value (p_nice) follows.  Called once td
 * exists, before it runs.  Takes proc_lock, then sched_lock.
 */
void
sched_fork(struct thread *td)
{
	struct thread *parent = curthread;
	struct proc *p = td->td_proc;

	spin_lock(&proc_lock);
	spin_lock(&sched_lock);
	td->td_policy = parent->td_policy;
	td->td_rtprio = parent->td_rtprio;
	td->td_nice = parent->td_nice;
	td->td_reset_on_fork = false;
	if (parent->td_reset_on_fork) {
		if (sched_is_rt(td)) {
			td->td_policy = SCHED_OTHER;
			td->td_rtprio = 0;
			td->td_nice = 0;
		} else if (td->td_nice < 0) {
			td->td_nice = 0;
		}
		if (p != parent->td_proc)
			p->p_nice = td->td_nice;
	}
	spin_unlock(&sched_lock);
	spin_unlock(&proc_lock);
}

/*
 * td's nice value is now nice (-20..19): its share of the CPU from now
 * on.  Caller holds proc_lock (setpriority); takes sched_lock.
 */
void
sched_setnice(struct thread *td, int nice)
{
	KASSERT(spin_held(&proc_lock), "proc_lock");
	KASSERT(nice >= -20 && nice <= 19, "sched_setnice: bad nice");
	spin_lock(&sched_lock);
	td->td_nice = nice;
	spin_unlock(&sched_lock);
}

/*
 * Give td the policy (one of SCHED_OTHER, _BATCH, _IDLE, _FIFO, _RR, as
 * sched_setscheduler checked it), real-time priority rtprio and the
 * SCHED_RESET_ON_FORK flag.  A thread that leaves real time rejoins the
 * fair share at min_vruntime.  The running thread is asked to switch
 * (the pick decides): td may now outrank it, or td is it and may have
 * lost its rank.  Takes sched_lock.
 */
void
sched_setpolicy(struct thread *td, int policy, int rtprio, bool reset_on_fork)
{
	uint64_t rflags = read_rflags();
	bool was_rt;

	intr_disable();
	spin_lock(&sched_lock);
	was_rt = sched_is_rt(td);
	td->td_policy = policy;
	td->td_rtprio = rtprio;
	td->td_reset_on_fork = reset_on_fork;
	if (was_rt && !sched_is_rt(td))
		sched_place(td, true);
	if (td == cpu0.ci_curthread || (td->td_state == TDS_RUNNABLE &&
	    sched_preempts(td, false)))
		cpu0.ci_want_resched = 1;
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * The time slice sched_rr_get_interval(2) reports for td, in ns: RR's
 * quantum, 0 for FIFO (it has none), the fair-share slice for the rest.
 * Reads one [s] field without the lock (a snapshot is all it promises).
 */
uint64_t
sched_timeslice_ns(const struct thread *td)
{
	switch (td->td_policy) {
	case SCHED_FIFO:
		return 0;
	case SCHED_RR:
		return SCHED_RR_SLICE_NS;
	default:
		return SCHED_SLICE * SCHED_NS_PER_TICK;
	}
}
