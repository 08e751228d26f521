/*
 * alarm(2), getitimer(2) and setitimer(2): a process's three interval
 * timers, and the CPU-time charging of the timer tick (sys/sys/itimer.h).
 *
 * ITIMER_REAL counts monotonic time on a callout and sends SIGALRM;
 * ITIMER_VIRTUAL counts the process's user time and sends SIGVTALRM;
 * ITIMER_PROF its user and system time and sends SIGPROF.  The two CPU
 * timers are charged one tick (1/HZ s) each time the tick interrupts a
 * thread of the process, ITIMER_VIRTUAL only when it interrupted user mode
 * (the interrupted frame's CS).  A periodic timer is reloaded when it
 * fires, skipping the periods that passed unseen.  The signals carry
 * si_code SI_KERNEL, as Linux's do.
 *
 * The same tick enforces RLIMIT_CPU as Linux does (getrlimit(2)): at the
 * soft limit SIGXCPU, and the soft limit moves one second on so the next
 * comes a CPU second later; at the hard limit SIGKILL.
 *
 * The timers survive execve(2) and are not inherited across fork(2)
 * (struct proc starts zeroed).  Everything is under proc_lock, taken from
 * the tick and from callouts too.
 *
 * Not yet: ITIMER_REAL is reloaded when it fires, not when SIGALRM is
 * taken as Linux does, so getitimer reads differ while SIGALRM stays
 * blocked (the count of signals does not).
 */
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/time.h>
#include <sys/callout.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/itimer.h>
#include <sys/proc.h>
#include <sys/rusage.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <sysproto.h>

#define NS_PER_S	1000000000ULL
#define NS_PER_US	1000ULL
#define TICK_NS		(NS_PER_S / HZ)
#define ALARM_MAX	0x7fffffffU	/* Linux caps alarm(2) at INT_MAX s */

static const int itimer_sig[ITIMER_COUNT] = {
	[ITIMER_REAL] = SIGALRM,
	[ITIMER_VIRTUAL] = SIGVTALRM,
	[ITIMER_PROF] = SIGPROF,
};

/* A valid timeval (setitimer(2): EINVAL otherwise), in ns. */
static int
itimer_tv_to_ns(const struct l_timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EINVAL;
	if ((uint64_t)tv->tv_sec > (UINT64_MAX / 2) / NS_PER_S)
		*ns = UINT64_MAX / 2;	/* beyond any uptime */
	else
		*ns = (uint64_t)tv->tv_sec * NS_PER_S +
		    (uint64_t)tv->tv_usec * NS_PER_US;
	return 0;
}

/* ns as a timeval, the microseconds truncated (Linux). */
static void
itimer_ns_to_tv(uint64_t ns, struct l_timeval *tv)
{
	tv->tv_sec = (long)(ns / NS_PER_S);
	tv->tv_usec = (long)(ns % NS_PER_S / NS_PER_US);
}

/*
 * The next deadline of a periodic timer that was due at due and is seen
 * at now (>= due): the first period boundary after now.
 */
static uint64_t
itimer_next(uint64_t due, uint64_t now, uint64_t interval)
{
	return due + ((now - due) / interval + 1) * interval;
}

/* ITIMER_REAL's callout: send SIGALRM, reload a periodic timer. */
static void
itimer_real_fire(void *arg)
{
	struct proc *p = arg;
	struct itimer *it = &p->p_itimer[ITIMER_REAL];
	uint64_t now = clock_monotonic_ns();

	spin_lock(&proc_lock);
	/* Disarmed or re-armed for later since the callout was taken. */
	if (p->p_state != PRS_ALIVE || it->it_value == 0 || now < it->it_value)
		goto out;
	(void)sig_post(p, SIGALRM, NULL);
	if (it->it_interval != 0) {
		it->it_value = itimer_next(it->it_value, now, it->it_interval);
		callout_reset(&it->it_callout, it->it_value, itimer_real_fire,
		    p);
	} else {
		it->it_value = 0;
	}
out:
	spin_unlock(&proc_lock);
}

/* What is left of p's timer which (getitimer(2)).  proc_lock held. */
static void
itimer_get(struct proc *p, int which, struct l_itimerval *itv)
{
	struct itimer *it = &p->p_itimer[which];
	uint64_t left = it->it_value, now;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (which == ITIMER_REAL && left != 0) {
		now = clock_monotonic_ns();
		/* Due but not yet fired: Linux says 1 us, never "off". */
		left = left > now ? left - now : NS_PER_US;
	}
	itimer_ns_to_tv(left, &itv->it_value);
	itimer_ns_to_tv(it->it_interval, &itv->it_interval);
}

/*
 * Set p's timer which to fire in value ns (0: disarm), then every
 * interval ns (0: once), returning the old setting in *old.  proc_lock
 * held.
 */
static void
itimer_set(struct proc *p, int which, uint64_t value, uint64_t interval,
    struct l_itimerval *old)
{
	struct itimer *it = &p->p_itimer[which];

	KASSERT(spin_held(&proc_lock), "proc_lock");
	itimer_get(p, which, old);
	if (which != ITIMER_REAL) {
		/* Linux keeps the interval of a disarmed CPU timer. */
		it->it_value = value;
		it->it_interval = interval;
		return;
	}
	callout_stop(&it->it_callout);
	if (value == 0) {
		it->it_value = 0;
		it->it_interval = 0;
		return;
	}
	it->it_value = clock_monotonic_ns() + value;
	it->it_interval = interval;
	callout_reset(&it->it_callout, it->it_value, itimer_real_fire, p);
}

/* getitimer(2): 0, -EINVAL for a bad which, -EFAULT. */
long
sys_getitimer(int which, struct l_itimerval __user *value)
{
	struct l_itimerval itv;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&proc_lock);
	itimer_get(curproc, which, &itv);
	spin_unlock(&proc_lock);
	return copyout(&itv, value, sizeof(itv));
}

/*
 * setitimer(2): 0, -EINVAL for a bad which or timeval, -EFAULT.  A NULL
 * value disarms the timer, as Linux still allows.
 */
long
sys_setitimer(int which, const struct l_itimerval __user *value,
    struct l_itimerval __user *ovalue)
{
	struct l_itimerval itv, old;
	uint64_t val = 0, interval = 0;
	int error;

	if (value != NULL) {
		if ((error = copyin(value, &itv, sizeof(itv))) < 0)
			return error;
		if ((error = itimer_tv_to_ns(&itv.it_value, &val)) < 0 ||
		    (error = itimer_tv_to_ns(&itv.it_interval, &interval)) < 0)
			return error;
	}
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&proc_lock);
	itimer_set(curproc, which, val, interval, &old);
	spin_unlock(&proc_lock);
	if (ovalue != NULL)
		return copyout(&old, ovalue, sizeof(old));
	return 0;
}

/*
 * alarm(2): SIGALRM in seconds s (0: cancel); returns the seconds that
 * were left of the previous alarm, rounded to the nearest second but
 * never 0 for an alarm still pending (Linux).
 */
long
sys_alarm(unsigned int seconds)
{
	struct l_itimerval old;
	long left;

	if (seconds > ALARM_MAX)
		seconds = ALARM_MAX;
	spin_lock(&proc_lock);
	itimer_set(curproc, ITIMER_REAL, (uint64_t)seconds * NS_PER_S, 0,
	    &old);
	spin_unlock(&proc_lock);
	left = old.it_value.tv_sec;
	if ((left == 0 && old.it_value.tv_usec != 0) ||
	    old.it_value.tv_usec >= 500000)
		left++;
	return left;
}

/* Charge one tick to p's CPU timer which; send its signal when it ends. */
static void
itimer_charge(struct proc *p, int which)
{
	struct itimer *it = &p->p_itimer[which];

	if (it->it_value == 0)
		return;
	if (it->it_value > TICK_NS) {
		it->it_value -= TICK_NS;
		return;
	}
	(void)sig_post(p, itimer_sig[which], NULL);
	if (it->it_interval == 0) {
		it->it_value = 0;
		return;
	}
	/* The rest of this tick counts against the next period. */
	it->it_value = itimer_next(0, TICK_NS - it->it_value,
	    it->it_interval) - (TICK_NS - it->it_value);
}

/*
 * RLIMIT_CPU (getrlimit(2), as Linux enforces it): SIGKILL at the hard
 * limit; SIGXCPU at the soft limit, which then moves one second on.
 * proc_lock held.
 */
static void
itimer_rlimit_cpu(struct proc *p)
{
	uint64_t soft = p->p_rlimit[RLIMIT_CPU][0];
	uint64_t hard = p->p_rlimit[RLIMIT_CPU][1];
	uint64_t user, sys, cpu;

	if (soft == RLIM_INFINITY)
		return;
	rusage_cputime(p, &user, &sys);
	cpu = user + sys;
	if (hard != RLIM_INFINITY && cpu / NS_PER_S >= hard) {
		klog("proc", "pid %d (%s): CPU time limit of %lu s reached; "
		    "killed", p->p_pid, p->p_comm, hard);
		(void)sig_post(p, SIGKILL, NULL);
		return;
	}
	if (cpu / NS_PER_S >= soft) {
		(void)sig_post(p, SIGXCPU, NULL);
		p->p_rlimit[RLIMIT_CPU][0] = soft + 1;
	}
}

/*
 * The tick interrupted td (user mode if user): charge the CPU timers of
 * its process and check RLIMIT_CPU and the CPU-clock POSIX timers.
 * Interrupt context; takes proc_lock (then sched_lock, for the times).
 */
void
itimer_tick(struct thread *td, bool user)
{
	struct proc *p;

	if (td == NULL || !td->td_user || (p = td->td_proc) == NULL ||
	    p == &proc0)
		return;
	/* A peek first: most processes have nothing to charge. */
	if (p->p_itimer[ITIMER_VIRTUAL].it_value == 0 &&
	    p->p_itimer[ITIMER_PROF].it_value == 0 && p->p_ncputimers == 0 &&
	    p->p_rlimit[RLIMIT_CPU][0] == RLIM_INFINITY)
		return;
	spin_lock(&proc_lock);
	if (p->p_state == PRS_ALIVE) {
		if (user)
			itimer_charge(p, ITIMER_VIRTUAL);
		itimer_charge(p, ITIMER_PROF);
		itimer_rlimit_cpu(p);
		if (p->p_ncputimers != 0)
			ptimer_cputick(p, td);
	}
	spin_unlock(&proc_lock);
}

/*
 * p ends: disarm its interval timers, wait for an ITIMER_REAL callout
 * that runs now, and delete its POSIX timers.  Takes proc_lock.
 */
void
itimer_exit(struct proc *p)
{
	int i;

	spin_lock(&proc_lock);
	for (i = 0; i < ITIMER_COUNT; i++) {
		p->p_itimer[i].it_value = 0;
		p->p_itimer[i].it_interval = 0;
	}
	callout_stop(&p->p_itimer[ITIMER_REAL].it_callout);
	spin_unlock(&proc_lock);
	callout_drain(&p->p_itimer[ITIMER_REAL].it_callout);
	ptimer_exit(p);
}
