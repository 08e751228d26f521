/*
 * The time system calls: clock_gettime(2), clock_getres(2),
 * gettimeofday(2), time(2), clock_settime(2), settimeofday(2),
 * nanosleep(2) and clock_nanosleep(2).
 *
 * The clocks come from kern/kern_time.c: the monotonic clock (ns since
 * boot, from the TSC) and the wall clock (the boot time plus the
 * monotonic clock).  EclipseOS never suspends and never slews, so
 * CLOCK_BOOTTIME and CLOCK_MONOTONIC_RAW read the monotonic clock, and
 * CLOCK_TAI the wall clock (Linux's TAI offset is 0 until adjtimex sets
 * it).  The *_COARSE clocks read the same clocks rounded down to the tick
 * (1/HZ), which is also the resolution clock_getres reports for them.
 * CPU-time clocks count the time the scheduler accounted (sched_account)
 * plus the slice running now; a process has one thread until the threads
 * issue, so its thread clock and its process clock agree.
 *
 * Sleeping: a sleeping thread waits on time_sleep_chan with a timeout
 * (tsleep), then looks at the clock again; setting the wall clock wakes
 * every sleeper so that absolute CLOCK_REALTIME deadlines are measured
 * against the new time, as POSIX asks of clock_nanosleep(TIMER_ABSTIME).
 *
 * Locks protecting the variables below:
 *	z	time_tz_lock
 */
#include <sys/abi/time.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/rusage.h>
#include <sys/systm.h>
#include <sys/timerfd.h>

#include <sysproto.h>

#define NS_PER_S		1000000000LL
#define NS_PER_US		1000LL
#define US_PER_S		1000000LL
#define TIME_TICK_NS		(NS_PER_S / HZ)
/* Linux's TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime. */
#define TIME_SETTOD_SEC_MAX	(9223372036LL - 30LL * 365 * 24 * 3600)
/* settimeofday(2): a time zone at most 15 hours from UTC. */
#define TIME_TZ_MAX_MINUTES	(15 * 60)
/* The CPU-time clocks of the caller, as Linux encodes them. */
#define TIME_PROCESS_CLOCK	((clockid_t)((~0U << 3) | CPUCLOCK_SCHED))
#define TIME_THREAD_CLOCK	(TIME_PROCESS_CLOCK | CPUCLOCK_PERTHREAD_MASK)

static struct spinlock time_tz_lock = SPINLOCK_INIT("time_tz");
static struct l_timezone time_tz;		/* [z] settimeofday's zone */
static const char time_sleep_chan;		/* every nanosleep waits here */

/* POSIX: a valid timespec has tv_sec >= 0 and 0 <= tv_nsec < 1e9. */
static bool
time_ts_valid(const struct l_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS_PER_S;
}

/* A valid timespec in ns, saturating at INT64_MAX (292 years). */
static int64_t
time_ts_to_ns(const struct l_timespec *ts)
{
	if (ts->tv_sec > (INT64_MAX - ts->tv_nsec) / NS_PER_S)
		return INT64_MAX;
	return ts->tv_sec * NS_PER_S + ts->tv_nsec;
}

/* ns as a timespec, rounding towards minus infinity. */
static void
time_ns_to_ts(int64_t ns, struct l_timespec *ts)
{
	ts->tv_sec = ns / NS_PER_S;
	ts->tv_nsec = ns % NS_PER_S;
	if (ts->tv_nsec < 0) {
		ts->tv_sec--;
		ts->tv_nsec += NS_PER_S;
	}
}

/* Is the caller allowed to set the clock (Linux: CAP_SYS_TIME)? */
static bool
time_may_set(void)
{
	struct proc *p = curproc;

	return p != NULL && p->p_euid == 0;
}

/*
 * CPU time of process p in ns: user time only for CPUCLOCK_VIRT, user
 * plus system otherwise (kern_resource.c).  Takes sched_lock.
 */
static int64_t
time_cpu_ns(struct proc *p, int kind)
{
	uint64_t user, sys;

	rusage_cputime(p, &user, &sys);
	return (int64_t)(kind == CPUCLOCK_VIRT ? user : user + sys);
}

/*
 * Read a CPU-time clock: id is ((~pid) << 3) | perthread << 2 | kind
 * (sys/sys/abi/time.h), pid 0 being the caller.  A thread clock must
 * name the calling thread (Linux: a thread of the caller's group); a
 * process clock any process.  0, or -EINVAL for a bad kind or an id that
 * names nobody.  ns may be NULL to only check the id.  Takes proc_lock.
 */
static int
time_cpu_clock(clockid_t id, int64_t *ns)
{
	struct thread *td = curthread;
	struct proc *self = curproc, *p;
	int pid = ~(id >> 3), kind = id & CPUCLOCK_CLOCK_MASK;
	bool thread = (id & CPUCLOCK_PERTHREAD_MASK) != 0;
	int error = 0;

	if (kind > CPUCLOCK_SCHED || self == NULL)
		return -EINVAL;
	if (thread) {
		if (pid != 0 && pid != td->td_tid)
			return -EINVAL;
		if (ns != NULL)
			*ns = time_cpu_ns(self, kind);
		return 0;
	}
	if (pid == 0 || pid == self->p_pid) {
		if (ns != NULL)
			*ns = time_cpu_ns(self, kind);
		return 0;
	}
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL)
		error = -EINVAL;
	else if (ns != NULL)
		*ns = time_cpu_ns(p, kind);
	spin_unlock(&proc_lock);
	return error;
}

/* The time on clock id in ns; 0 or -EINVAL (clock_gettime(2)). */
static int
time_clock_ns(clockid_t id, int64_t *ns)
{
	int64_t mono;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = (int64_t)clock_monotonic_ns();
		return 0;
	case CLOCK_REALTIME_COARSE:
		mono = (int64_t)clock_monotonic_ns();
		*ns = clock_realtime_offset_ns() + mono - mono % TIME_TICK_NS;
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		mono = (int64_t)clock_monotonic_ns();
		*ns = mono - mono % TIME_TICK_NS;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		return time_cpu_clock(TIME_PROCESS_CLOCK, ns);
	case CLOCK_THREAD_CPUTIME_ID:
		return time_cpu_clock(TIME_THREAD_CLOCK, ns);
	default:
		/* The alarm clocks need an RTC alarm; Linux: EINVAL. */
		if (id < 0)
			return time_cpu_clock(id, ns);
		return -EINVAL;
	}
}

/* The resolution of clock id in ns; 0 or -EINVAL (clock_getres(2)). */
static int
time_clock_res(clockid_t id, int64_t *res)
{
	int error;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*res = 1;
		return 0;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		*res = TIME_TICK_NS;
		return 0;
	default:
		if (id >= 0)
			return -EINVAL;
		if ((error = time_cpu_clock(id, NULL)) < 0)
			return error;
		/* Linux: scheduler time is exact, the others tick. */
		*res = (id & CPUCLOCK_CLOCK_MASK) == CPUCLOCK_SCHED ? 1 :
		    TIME_TICK_NS;
		return 0;
	}
}

/*
 * clock_gettime(2): the time on clockid into *tp.  -EINVAL for an
 * unknown clock, -EFAULT for a bad tp.
 */
long
sys_clock_gettime(clockid_t clockid, struct l_timespec __user *tp)
{
	struct l_timespec ts;
	int64_t ns;
	int error;

	if ((error = time_clock_ns(clockid, &ns)) < 0)
		return error;
	time_ns_to_ts(ns, &ts);
	return copyout(&ts, tp, sizeof(ts));
}

/*
 * clock_getres(2): the resolution of clockid into *res, which may be
 * NULL.  -EINVAL for an unknown clock, -EFAULT for a bad res.
 */
long
sys_clock_getres(clockid_t clockid, struct l_timespec __user *res)
{
	struct l_timespec ts;
	int64_t ns;
	int error;

	if ((error = time_clock_res(clockid, &ns)) < 0)
		return error;
	if (res == NULL)
		return 0;
	time_ns_to_ts(ns, &ts);
	return copyout(&ts, res, sizeof(ts));
}

/*
 * gettimeofday(2): the wall clock in microseconds into *tv and the zone
 * settimeofday last set into *tz; either may be NULL.  -EFAULT.
 */
long
sys_gettimeofday(struct l_timeval __user *tv, struct l_timezone __user *tz)
{
	struct l_timespec ts;
	struct l_timeval ktv;
	struct l_timezone ktz;
	int error;

	if (tv != NULL) {
		time_ns_to_ts(clock_realtime_ns(), &ts);
		ktv.tv_sec = ts.tv_sec;
		ktv.tv_usec = ts.tv_nsec / NS_PER_US;
		if ((error = copyout(&ktv, tv, sizeof(ktv))) < 0)
			return error;
	}
	if (tz != NULL) {
		spin_lock(&time_tz_lock);
		ktz = time_tz;
		spin_unlock(&time_tz_lock);
		if ((error = copyout(&ktz, tz, sizeof(ktz))) < 0)
			return error;
	}
	return 0;
}

/*
 * time(2): the wall clock in whole seconds, also stored in *tloc unless
 * it is NULL.  -EFAULT for a bad tloc.
 */
long
sys_time(long __user *tloc)
{
	struct l_timespec ts;
	long sec;
	int error;

	time_ns_to_ts(clock_realtime_ns(), &ts);
	sec = ts.tv_sec;
	if (tloc != NULL && (error = copyout(&sec, tloc, sizeof(sec))) < 0)
		return error;
	return sec;
}

/*
 * Set CLOCK_REALTIME to ns since the epoch, and tell the timerfds that
 * asked to be cancelled when it jumps (TFD_TIMER_CANCEL_ON_SET).
 */
static void
time_set_realtime(int64_t ns)
{
	clock_set_realtime_ns(ns);
	timerfd_clock_was_set();
}

/*
 * Set the wall clock and/or the time zone, in Linux's order
 * (do_sys_settimeofday64): a bad time is -EINVAL, then a caller that is
 * not root -EPERM, then a zone more than 15 hours off -EINVAL, and last a
 * time before the boot (the monotonic clock would pass the wall clock)
 * -EINVAL.  Wakes the sleepers, whose deadlines may have moved.
 */
static long
time_settod(const struct l_timespec *ts, const struct l_timezone *tz)
{
	int64_t ns;

	if (ts != NULL && (!time_ts_valid(ts) ||
	    ts->tv_sec >= TIME_SETTOD_SEC_MAX))
		return -EINVAL;
	if (!time_may_set())
		return -EPERM;
	if (tz != NULL) {
		if (tz->tz_minuteswest > TIME_TZ_MAX_MINUTES ||
		    tz->tz_minuteswest < -TIME_TZ_MAX_MINUTES)
			return -EINVAL;
		spin_lock(&time_tz_lock);
		time_tz = *tz;
		spin_unlock(&time_tz_lock);
	}
	if (ts == NULL)
		return 0;
	ns = time_ts_to_ns(ts);
	if (ns < (int64_t)clock_monotonic_ns())
		return -EINVAL;
	time_set_realtime(ns);
	wakeup(&time_sleep_chan);
	return 0;
}

/*
 * clock_settime(2): set clockid, which must be CLOCK_REALTIME (every
 * other clock, valid or not, is -EINVAL as in Linux), to *tp.  -EFAULT,
 * -EINVAL for a bad time, -EPERM unless root.
 */
long
sys_clock_settime(clockid_t clockid, const struct l_timespec __user *tp)
{
	struct l_timespec ts;
	int error;

	if (clockid != CLOCK_REALTIME)
		return -EINVAL;
	if ((error = copyin(tp, &ts, sizeof(ts))) < 0)
		return error;
	return time_settod(&ts, NULL);
}

/*
 * settimeofday(2): set the wall clock to *tv and the zone to *tz; either
 * may be NULL.  -EFAULT, -EINVAL (tv_usec outside 0..1000000, a bad time
 * or zone), -EPERM unless root (even with both NULL, as in Linux).
 */
long
sys_settimeofday(const struct l_timeval __user *tv,
    const struct l_timezone __user *tz)
{
	struct l_timespec ts;
	struct l_timeval ktv;
	struct l_timezone ktz;
	int error;

	if (tv != NULL) {
		if ((error = copyin(tv, &ktv, sizeof(ktv))) < 0)
			return error;
		if (ktv.tv_usec < 0 || ktv.tv_usec > US_PER_S)
			return -EINVAL;
		ts.tv_sec = ktv.tv_sec;
		ts.tv_nsec = ktv.tv_usec * NS_PER_US;
	}
	if (tz != NULL && (error = copyin(tz, &ktz, sizeof(ktz))) < 0)
		return error;
	return time_settod(tv != NULL ? &ts : NULL, tz != NULL ? &ktz : NULL);
}

/*
 * Sleep until the wall clock (realtime) or the monotonic clock reaches
 * deadline.  Returns 0 then, or -EINTR when a signal cut the sleep short,
 * with the time that was left in *left.
 */
static int
time_sleep_until(bool realtime, int64_t deadline, int64_t *left)
{
	int64_t now;
	int error;

	for (;;) {
		now = realtime ? clock_realtime_ns() :
		    (int64_t)clock_monotonic_ns();
		if (now >= deadline)
			return 0;
		error = tsleep_sig(&time_sleep_chan, NULL, "nanosleep",
		    (uint64_t)(deadline - now));
		if (error == -EINTR) {
			now = realtime ? clock_realtime_ns() :
			    (int64_t)clock_monotonic_ns();
			*left = deadline > now ? deadline - now : 0;
			return -EINTR;
		}
		/* Timed out, or the clock was set: look at it again. */
	}
}

/*
 * Sleep for *req (relative: on the monotonic clock, which setting the
 * wall clock does not move) or until *req (absolute, on the wall clock
 * when realtime).  On -EINTR a relative sleep writes what was left to
 * *rem when rem is not NULL (-EFAULT if it cannot).
 */
static long
time_nanosleep(bool realtime, bool absolute, const struct l_timespec *req,
    struct l_timespec __user *rem)
{
	struct l_timespec ts;
	int64_t deadline, d = time_ts_to_ns(req), left = 0, now;
	int error;

	if (absolute) {
		deadline = d;
	} else {
		realtime = false;
		now = (int64_t)clock_monotonic_ns();
		deadline = d > INT64_MAX - now ? INT64_MAX : now + d;
	}
	error = time_sleep_until(realtime, deadline, &left);
	if (error == -EINTR && !absolute && rem != NULL) {
		time_ns_to_ts(left, &ts);
		if (copyout(&ts, rem, sizeof(ts)) < 0)
			return -EFAULT;
	}
	return error;
}

/*
 * nanosleep(2): sleep for *req on the monotonic clock.  -EFAULT, -EINVAL
 * for a bad *req; -EINTR (with the rest in *rem) when a signal handler
 * interrupts it.
 */
long
sys_nanosleep(const struct l_timespec __user *req,
    struct l_timespec __user *rem)
{
	struct l_timespec ts;
	int error;

	if ((error = copyin(req, &ts, sizeof(ts))) < 0)
		return error;
	if (!time_ts_valid(&ts))
		return -EINVAL;
	return time_nanosleep(false, false, &ts, rem);
}

/* Sleeping on a process's CPU-time clock: not yet (logged once). */
static long
time_cpu_sleep_unsupported(void)
{
	static bool logged;

	if (!__atomic_exchange_n(&logged, true, __ATOMIC_RELAXED))
		klog("time", "clock_nanosleep on a process CPU-time clock is "
		    "not supported");
	return -EOPNOTSUPP;
}

/*
 * clock_nanosleep(2): sleep for *req on clockid, or until it reads *req
 * with TIMER_ABSTIME in flags (other flag bits are ignored, as in
 * Linux).  CLOCK_REALTIME, CLOCK_TAI, CLOCK_MONOTONIC and CLOCK_BOOTTIME
 * can be slept on.  The calling thread's own CPU clock is -EINVAL (it
 * cannot advance while the thread sleeps); the coarse, raw and alarm
 * clocks are -EOPNOTSUPP, as in Linux; so are process CPU-time clocks,
 * which Linux supports and EclipseOS does not yet (logged once).
 */
long
sys_clock_nanosleep(clockid_t clockid, int flags,
    const struct l_timespec __user *req, struct l_timespec __user *rem)
{
	struct l_timespec ts;
	bool realtime;
	int error;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		realtime = true;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		realtime = false;
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;
	case CLOCK_PROCESS_CPUTIME_ID:
		return time_cpu_sleep_unsupported();
	default:
		if (clockid >= 0)
			return -EINVAL;
		if ((error = time_cpu_clock(clockid, NULL)) < 0)
			return error;
		if (clockid & CPUCLOCK_PERTHREAD_MASK)
			return -EINVAL;
		return time_cpu_sleep_unsupported();
	}
	if ((error = copyin(req, &ts, sizeof(ts))) < 0)
		return error;
	if (!time_ts_valid(&ts))
		return -EINVAL;
	if (flags & TIMER_ABSTIME)
		return time_nanosleep(realtime, true, &ts, NULL);
	return time_nanosleep(realtime, false, &ts, rem);
}

/* A relative sleep lasts at least as long as asked, and not much longer. */
KTEST(time_nanosleep_relative)
{
	struct l_timespec ts = { 0, 30000000 };		/* 30 ms */
	uint64_t t0 = clock_monotonic_ns(), dt;

	KT_ASSERT(time_nanosleep(false, false, &ts, NULL) == 0);
	dt = clock_monotonic_ns() - t0;
	KT_ASSERT(dt >= 30000000 && dt < 1000000000);
	ts.tv_nsec = 0;
	KT_ASSERT(time_nanosleep(false, false, &ts, NULL) == 0);
	return 0;
}

static volatile int time_kt_stage;

/* Moves the wall clock 10 s ahead while the test sleeps on it. */
static void
time_kt_setter(void *arg __unused)
{
	struct l_timespec ts;

	time_ns_to_ts(clock_realtime_ns() + 10 * NS_PER_S, &ts);
	time_set_realtime(time_ts_to_ns(&ts));
	/* Before the wakeup: a tick may run the sleeper before we go on. */
	time_kt_stage = 1;
	wakeup(&time_sleep_chan);
}

/*
 * An absolute CLOCK_REALTIME sleep ends when the wall clock is set past
 * its deadline, long before the deadline's time has passed.
 */
KTEST(time_abs_realtime_follows_settime)
{
	struct l_timespec ts;
	struct thread *td;
	int64_t offset = clock_realtime_offset_ns();
	uint64_t t0 = clock_monotonic_ns(), dt;

	time_ns_to_ts(clock_realtime_ns() + 5 * NS_PER_S, &ts);
	time_kt_stage = 0;
	td = thread_create_kernel(time_kt_setter, NULL, "kt-settime");
	KT_ASSERT(td != NULL);
	sched_add(td);
	KT_ASSERT(time_nanosleep(true, true, &ts, NULL) == 0);
	dt = clock_monotonic_ns() - t0;
	time_set_realtime(offset + (int64_t)clock_monotonic_ns());
	KT_ASSERT(time_kt_stage == 1);
	KT_ASSERT(dt < 2 * (uint64_t)NS_PER_S);
	return 0;
}
