/*
 * timerfd_create(2), timerfd_settime(2), timerfd_gettime(2): a timer
 * whose expirations are read from a file.
 *
 * A timer counts on the monotonic clock: CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME are the same clock here (EclipseOS never suspends), and
 * CLOCK_REALTIME's absolute times are turned into monotonic ones with the
 * wall clock's offset when the timer is set, and again whenever the
 * clock is set (timerfd_clock_was_set).  The alarm clocks
 * (CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM) need CAP_WAKE_ALARM (root)
 * as on Linux; with no suspend there is nothing to wake from, so their
 * timers are those of CLOCK_REALTIME and CLOCK_BOOTTIME.
 *
 * A callout (sys/sys/callout.h) runs at the expiry and adds the
 * expirations that passed to tfd_ticks: 1, plus for a periodic timer
 * every whole period since (the overruns); it then re-arms a periodic
 * timer.  Since a callout may run up to a tick late, read, poll and
 * gettime also count what is due first (timerfd_catchup).  read(2) of 8
 * or more bytes returns the count and zeroes it, waiting (or EAGAIN with
 * TFD_NONBLOCK) while it is 0; poll is readable while it is not 0.
 *
 * TFD_TIMER_CANCEL_ON_SET on an absolute CLOCK_REALTIME timer: once the
 * wall clock is set, one read fails with ECANCELED (Linux's rule, which
 * also counts one tick so that poll and a sleeping read see it).  A set
 * is noticed by the wall clock's offset changing: at once when
 * clock_settime calls timerfd_clock_was_set, and otherwise at the next
 * read, poll or expiry.
 *
 * Lock order: timerfd_rt_lock, then a timer's tfd_lock, then
 * callout_lock and poll_lock.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/abi/time.h>
#include <sys/abi/timerfd.h>
#include <sys/callout.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/timerfd.h>

#include <sysproto.h>

#define NS_PER_S	1000000000LL
#define TFD_FAR		((uint64_t)INT64_MAX / 2)	/* beyond any uptime */

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	t	tfd_lock
 *	r	timerfd_rt_lock
 *	P	poll_lock
 * Sleep channel: the timerfd itself, for a change of tfd_ticks.
 */
struct timerfd {
	struct spinlock	 tfd_lock;
	struct callout	 tfd_callout;	/* fires at tfd_expires */
	int		 tfd_clockid;	/* [I] as created */
	bool		 tfd_realtime;	/* [I] a wall-clock clock */
	uint64_t	 tfd_expires;	/* [t] monotonic ns; 0: disarmed */
	uint64_t	 tfd_interval;	/* [t] ns; 0: one shot */
	uint64_t	 tfd_ticks;	/* [t] expirations not yet read */
	/* [t] an absolute wall-clock timer, and the clock's offset used. */
	bool		 tfd_absrt;
	int64_t		 tfd_offset;
	bool		 tfd_cancel;	/* [t] TFD_TIMER_CANCEL_ON_SET armed */
	bool		 tfd_canceled;	/* [t] the clock was set since */
	struct timerfd	*tfd_rtnext;	/* [r] on timerfd_rt_list */
	bool		 tfd_onlist;	/* [r] */
	struct pollhead	 tfd_ph;	/* [P] */
};

static const struct fileops timerfd_fileops;

/*
 * The absolute wall-clock timers, which a setting of the clock moves or
 * cancels.  Locks protecting: r.
 */
static struct spinlock timerfd_rt_lock = SPINLOCK_INIT("timerfd_rt_lock");
static struct timerfd *timerfd_rt_list;

static void timerfd_callout(void *arg);

/* tfd_ticks grew: wake readers and pollers.  tfd_lock held. */
static void
timerfd_wake(struct timerfd *tfd)
{
	wakeup(tfd);
	pollwakeup(&tfd->tfd_ph, POLLIN | POLLRDNORM);
}

/*
 * Bring tfd up to date at monotonic time now: a setting of the wall clock
 * since the timer was armed moves its expiry or cancels it, and the
 * expirations that passed are counted (a periodic timer moves on to its
 * next one).  Re-arms the callout when the expiry moved.  Returns true
 * if tfd_ticks grew.  tfd_lock held.
 */
static bool
timerfd_catchup(struct timerfd *tfd, uint64_t now)
{
	uint64_t n, old = tfd->tfd_expires;
	int64_t off, shifted;
	bool grew = false;

	KASSERT(spin_held(&tfd->tfd_lock), "tfd_lock");
	if (tfd->tfd_absrt && (off = clock_realtime_offset_ns()) !=
	    tfd->tfd_offset) {
		if (tfd->tfd_cancel && !tfd->tfd_canceled) {
			tfd->tfd_canceled = true;
			tfd->tfd_ticks++;
			grew = true;
		}
		/* The same wall-clock time, on the clock's new offset. */
		shifted = (int64_t)tfd->tfd_expires + tfd->tfd_offset - off;
		if (tfd->tfd_expires != 0)
			tfd->tfd_expires = shifted > 0 ? (uint64_t)shifted : 1;
		tfd->tfd_offset = off;
	}
	if (tfd->tfd_expires != 0 && now >= tfd->tfd_expires) {
		n = 1;
		if (tfd->tfd_interval != 0) {
			n += (now - tfd->tfd_expires) / tfd->tfd_interval;
			tfd->tfd_expires += n * tfd->tfd_interval;
		} else {
			tfd->tfd_expires = 0;
		}
		tfd->tfd_ticks += n;
		grew = true;
	}
	if (tfd->tfd_expires != old && tfd->tfd_expires != 0)
		callout_reset(&tfd->tfd_callout, tfd->tfd_expires,
		    timerfd_callout, tfd);
	if (grew)
		timerfd_wake(tfd);
	return grew;
}

/* The expiry's callout (interrupt context): count, re-arm, wake. */
static void
timerfd_callout(void *arg)
{
	struct timerfd *tfd = arg;

	spin_lock(&tfd->tfd_lock);
	timerfd_catchup(tfd, clock_monotonic_ns());
	spin_unlock(&tfd->tfd_lock);
}

/*
 * The wall clock was set (clock_settime, settimeofday): move the absolute
 * CLOCK_REALTIME timers to the new time, and cancel those armed with
 * TFD_TIMER_CANCEL_ON_SET, waking their readers.  Takes timerfd_rt_lock
 * and each timer's lock; any context but with neither held.
 */
void
timerfd_clock_was_set(void)
{
	struct timerfd *tfd;
	uint64_t now = clock_monotonic_ns();

	spin_lock(&timerfd_rt_lock);
	for (tfd = timerfd_rt_list; tfd != NULL; tfd = tfd->tfd_rtnext) {
		spin_lock(&tfd->tfd_lock);
		timerfd_catchup(tfd, now);
		spin_unlock(&tfd->tfd_lock);
	}
	spin_unlock(&timerfd_rt_lock);
}

/* Put tfd on the wall-clock list, or take it off.  No lock held. */
static void
timerfd_rt_track(struct timerfd *tfd, bool on)
{
	struct timerfd **pp;

	spin_lock(&timerfd_rt_lock);
	if (on && !tfd->tfd_onlist) {
		tfd->tfd_rtnext = timerfd_rt_list;
		timerfd_rt_list = tfd;
		tfd->tfd_onlist = true;
	} else if (!on && tfd->tfd_onlist) {
		for (pp = &timerfd_rt_list; *pp != tfd; pp = &(*pp)->tfd_rtnext)
			continue;
		*pp = tfd->tfd_rtnext;
		tfd->tfd_onlist = false;
	}
	spin_unlock(&timerfd_rt_lock);
}

/* read(2): the expirations since the last read, waiting for one. */
static long
timerfd_read(struct file *fp, struct uio *uio)
{
	struct timerfd *tfd = fp->f_data;
	uint64_t ticks;
	long n;
	int error;

	if (uio->uio_resid < sizeof(ticks))
		return -EINVAL;
	spin_lock(&tfd->tfd_lock);
	for (;;) {
		timerfd_catchup(tfd, clock_monotonic_ns());
		if (tfd->tfd_ticks != 0)
			break;
		if (file_getflags(fp) & O_NONBLOCK) {
			spin_unlock(&tfd->tfd_lock);
			return -EAGAIN;
		}
		if ((error = tsleep_sig(tfd, &tfd->tfd_lock, "tfdrd", 0)) <
		    0) {
			spin_unlock(&tfd->tfd_lock);
			return error;
		}
	}
	if (tfd->tfd_canceled) {
		/* The clock was set: the count means nothing now. */
		tfd->tfd_canceled = false;
		tfd->tfd_ticks = 0;
		spin_unlock(&tfd->tfd_lock);
		return -ECANCELED;
	}
	ticks = tfd->tfd_ticks;
	tfd->tfd_ticks = 0;
	spin_unlock(&tfd->tfd_lock);
	if ((n = uio_move(&ticks, sizeof(ticks), uio)) < 0) {
		/* Nothing reached the caller: the count goes back. */
		spin_lock(&tfd->tfd_lock);
		tfd->tfd_ticks += ticks;
		spin_unlock(&tfd->tfd_lock);
	}
	return n;
}

/* write(2): a timerfd has none (Linux: EINVAL, as for any such file). */
static long
timerfd_write(struct file *fp, struct uio *uio)
{
	(void)fp;
	(void)uio;
	return -EINVAL;
}

/*
 * ioctl TFD_IOC_SET_TICKS: set the expiration count to the u64 at arg
 * (Linux's checkpoint/restore call): EINVAL for 0, ECANCELED after a
 * clock setting cancelled the timer, EFAULT.
 */
static long
timerfd_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct timerfd *tfd = fp->f_data;
	uint64_t ticks;
	int error;

	if (cmd != TFD_IOC_SET_TICKS)
		return -ENOTTY;
	if ((error = copyin((const void __user *)arg, &ticks,
	    sizeof(ticks))) < 0)
		return error;
	if (ticks == 0)
		return -EINVAL;
	spin_lock(&tfd->tfd_lock);
	timerfd_catchup(tfd, clock_monotonic_ns());
	if (tfd->tfd_canceled) {
		spin_unlock(&tfd->tfd_lock);
		return -ECANCELED;
	}
	tfd->tfd_ticks = ticks;
	timerfd_wake(tfd);
	spin_unlock(&tfd->tfd_lock);
	return 0;
}

/* poll: readable while expirations wait to be read. */
static int
timerfd_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct timerfd *tfd = fp->f_data;
	int mask = 0;

	(void)events;
	spin_lock(&tfd->tfd_lock);
	timerfd_catchup(tfd, clock_monotonic_ns());
	poll_wait(&tfd->tfd_ph, pt);
	if (tfd->tfd_ticks != 0)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&tfd->tfd_lock);
	return mask;
}

/* The last reference went: stop the timer, wait out its callout, free. */
static void
timerfd_close(struct file *fp)
{
	struct timerfd *tfd = fp->f_data;

	timerfd_rt_track(tfd, false);
	spin_lock(&tfd->tfd_lock);
	tfd->tfd_expires = 0;
	tfd->tfd_absrt = false;
	callout_stop(&tfd->tfd_callout);
	spin_unlock(&tfd->tfd_lock);
	callout_drain(&tfd->tfd_callout);
	kfree(tfd);
}

static const struct fileops timerfd_fileops = {
	.fo_name = "timerfd",
	.fo_read = timerfd_read,
	.fo_write = timerfd_write,
	.fo_ioctl = timerfd_ioctl,
	.fo_close = timerfd_close,
	.fo_stat = file_stat_anon,
	.fo_poll = timerfd_poll,
};

/*
 * timerfd_create(2): a disarmed timer on clockid.  Returns the new
 * descriptor, -EINVAL (unknown flags or clock), -EPERM (an alarm clock
 * without privilege), -ENOMEM or -EMFILE.
 */
long
sys_timerfd_create(int clockid, int flags)
{
	struct timerfd *tfd;
	struct file *fp;
	int fd;

	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		/* Linux asks for CAP_WAKE_ALARM. */
		if (curproc->p_euid != 0)
			return -EPERM;
		break;
	default:
		return -EINVAL;
	}
	if ((tfd = kmalloc(sizeof(*tfd), M_ZERO)) == NULL)
		return -ENOMEM;
	spin_init(&tfd->tfd_lock, "tfd_lock");
	tfd->tfd_clockid = clockid;
	tfd->tfd_realtime = clockid == CLOCK_REALTIME ||
	    clockid == CLOCK_REALTIME_ALARM;
	pollhead_init(&tfd->tfd_ph);
	if ((fp = file_alloc(&timerfd_fileops, tfd, O_RDWR |
	    (flags & TFD_NONBLOCK))) == NULL) {
		kfree(tfd);
		return -ENOMEM;
	}
	fd = fd_install(fp, 0, (flags & TFD_CLOEXEC) != 0);
	file_rele(fp);
	return fd;
}

/*
 * The timer behind descriptor fd, held in *fpp: -EBADF, or -EINVAL for a
 * file that is no timerfd.
 */
static int
timerfd_get(int fd, struct file **fpp)
{
	return fd_getfile_ops(fd, &timerfd_fileops, -EINVAL, fpp);
}

/* A valid timespec in ns (EINVAL otherwise); far values are clamped. */
static int
timerfd_ts_to_ns(const struct l_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NS_PER_S)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec >= TFD_FAR / NS_PER_S)
		*ns = TFD_FAR;
	else
		*ns = (uint64_t)ts->tv_sec * NS_PER_S + (uint64_t)ts->tv_nsec;
	return 0;
}

static void
timerfd_ns_to_ts(uint64_t ns, struct l_timespec *ts)
{
	ts->tv_sec = (long)(ns / NS_PER_S);
	ts->tv_nsec = (long)(ns % NS_PER_S);
}

/*
 * The time left until the next expiry (0: disarmed) and the period, as
 * timerfd_gettime reports them.  tfd_lock held.
 */
static void
timerfd_getspec(struct timerfd *tfd, struct l_itimerspec *its)
{
	uint64_t now = clock_monotonic_ns(), left = 0;

	timerfd_catchup(tfd, now);
	if (tfd->tfd_expires > now)
		left = tfd->tfd_expires - now;
	timerfd_ns_to_ts(left, &its->it_value);
	timerfd_ns_to_ts(tfd->tfd_interval, &its->it_interval);
}

/*
 * Arm tfd for value ns from now, or at value on its clock with
 * TFD_TIMER_ABSTIME (0: disarm), then every interval ns; the count of
 * unread expirations starts again at 0.  Returns whether the timer now
 * needs the wall-clock list.  tfd_lock held.
 */
static bool
timerfd_arm(struct timerfd *tfd, int flags, uint64_t value,
    uint64_t interval)
{
	uint64_t now = clock_monotonic_ns();
	int64_t off;

	KASSERT(spin_held(&tfd->tfd_lock), "tfd_lock");
	callout_stop(&tfd->tfd_callout);
	tfd->tfd_expires = 0;
	tfd->tfd_interval = interval;
	tfd->tfd_ticks = 0;
	tfd->tfd_absrt = false;
	tfd->tfd_cancel = false;
	tfd->tfd_canceled = false;
	if (value == 0)
		return false;
	if (!(flags & TFD_TIMER_ABSTIME)) {
		tfd->tfd_expires = now + value;
	} else if (tfd->tfd_realtime) {
		off = clock_realtime_offset_ns();
		tfd->tfd_absrt = true;
		tfd->tfd_offset = off;
		tfd->tfd_cancel = (flags & TFD_TIMER_CANCEL_ON_SET) != 0;
		tfd->tfd_expires = (int64_t)value > off ?
		    value - (uint64_t)off : 1;
	} else {
		tfd->tfd_expires = value;
	}
	callout_reset(&tfd->tfd_callout, tfd->tfd_expires, timerfd_callout,
	    tfd);
	timerfd_catchup(tfd, now);
	return tfd->tfd_absrt;
}

/*
 * timerfd_settime(2): arm or disarm the timer of fd; the old setting goes
 * to *old_value if not NULL.  Returns 0, -EFAULT, -EINVAL (unknown flags,
 * a bad timespec, no timerfd) or -EBADF.
 */
long
sys_timerfd_settime(int fd, int flags,
    const struct l_itimerspec __user *new_value,
    struct l_itimerspec __user *old_value)
{
	struct l_itimerspec its, old;
	struct timerfd *tfd;
	struct file *fp;
	uint64_t value, interval;
	bool rt;
	int error;

	if ((error = copyin(new_value, &its, sizeof(its))) < 0)
		return error;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if ((error = timerfd_ts_to_ns(&its.it_value, &value)) < 0 ||
	    (error = timerfd_ts_to_ns(&its.it_interval, &interval)) < 0)
		return error;
	if ((error = timerfd_get(fd, &fp)) < 0)
		return error;
	tfd = fp->f_data;
	spin_lock(&tfd->tfd_lock);
	timerfd_getspec(tfd, &old);
	rt = timerfd_arm(tfd, flags, value, interval);
	spin_unlock(&tfd->tfd_lock);
	/* Off the list first: a timer that left it may not be moved. */
	timerfd_rt_track(tfd, rt);
	file_rele(fp);
	if (old_value != NULL)
		return copyout(&old, old_value, sizeof(old));
	return 0;
}

/*
 * timerfd_gettime(2): the time left and the period of fd's timer.
 * Returns 0, -EFAULT, -EBADF or -EINVAL (no timerfd).
 */
long
sys_timerfd_gettime(int fd, struct l_itimerspec __user *curr_value)
{
	struct l_itimerspec its;
	struct timerfd *tfd;
	struct file *fp;
	int error;

	if ((error = timerfd_get(fd, &fp)) < 0)
		return error;
	tfd = fp->f_data;
	spin_lock(&tfd->tfd_lock);
	timerfd_getspec(tfd, &its);
	spin_unlock(&tfd->tfd_lock);
	file_rele(fp);
	return copyout(&its, curr_value, sizeof(its));
}
