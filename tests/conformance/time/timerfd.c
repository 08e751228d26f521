/*
 * timerfd_create(2), timerfd_settime(2), timerfd_gettime(2): the clocks
 * and flags accepted (EINVAL otherwise; the alarm clocks need privilege),
 * TFD_CLOEXEC and TFD_NONBLOCK, the EINVAL/EBADF/EFAULT rules of
 * settime and gettime, read's 8-byte expiration count (EINVAL for a
 * short buffer, EAGAIN or a wait while it is 0), one-shot and periodic
 * timers (overruns add up), absolute times in the past, the old setting
 * and the remaining time, poll and epoll readiness, TFD_IOC_SET_TICKS;
 * in EclipseOS only, a setting of the wall clock moves absolute
 * CLOCK_REALTIME timers and cancels TFD_TIMER_CANCEL_ON_SET ones.
 * No timing assertions: counts are "at least", times are bounded by the
 * setting.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

#define CONF_TFD_IOC_SET_TICKS	0x40085400	/* _IOW('T', 0, __u64) */

static int
revents(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static long long
ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static struct itimerspec
its_ns(long long value, long long interval)
{
	struct itimerspec its;

	its.it_value.tv_sec = value / 1000000000LL;
	its.it_value.tv_nsec = value % 1000000000LL;
	its.it_interval.tv_sec = interval / 1000000000LL;
	its.it_interval.tv_nsec = interval % 1000000000LL;
	return its;
}

static void
alarm_unprivileged(void *arg)
{
	(void)arg;
	conf_drop_privileges();
	if (conf_sys(SYS_timerfd_create, CLOCK_REALTIME_ALARM, 0) != -EPERM ||
	    conf_sys(SYS_timerfd_create, CLOCK_BOOTTIME_ALARM, 0) != -EPERM)
		_exit(1);
	if (conf_sys(SYS_timerfd_create, CLOCK_MONOTONIC, 0) < 0)
		_exit(2);
	_exit(0);
}

/* Creation: clocks, flags, a fresh timer. */
static void
test_create(void)
{
	struct itimerspec its;
	uint64_t v;
	char small[4];
	int fd, status;

	is_long(conf_sys(SYS_timerfd_create, CLOCK_MONOTONIC, 0x1), -EINVAL,
	    "timerfd_create(2): an unknown flag is EINVAL");
	is_long(conf_sys(SYS_timerfd_create, CLOCK_PROCESS_CPUTIME_ID, 0),
	    -EINVAL, "timerfd_create(2): CLOCK_PROCESS_CPUTIME_ID is EINVAL");
	is_long(conf_sys(SYS_timerfd_create, CLOCK_MONOTONIC_RAW, 0),
	    -EINVAL, "timerfd_create(2): CLOCK_MONOTONIC_RAW is EINVAL");
	is_long(conf_sys(SYS_timerfd_create, 100, 0), -EINVAL,
	    "timerfd_create(2): clock 100 is EINVAL");
	fd = timerfd_create(CLOCK_REALTIME, 0);
	ok(fd >= 0, "timerfd_create(2): CLOCK_REALTIME");
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	ok(fd >= 0, "timerfd_create(2): CLOCK_BOOTTIME");
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
	ok(fd >= 0, "timerfd_create(2): CLOCK_BOOTTIME_ALARM, privileged");
	close(fd);
	status = conf_in_child(alarm_unprivileged, NULL);
	is_exit(status, 0, "timerfd_create(2): the alarm clocks are EPERM "
	    "without privilege, the others are not");

	if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC |
	    TFD_NONBLOCK)) < 0)
		bail_out("timerfd_create");
	is_long(fcntl(fd, F_GETFD), FD_CLOEXEC,
	    "timerfd_create(2): TFD_CLOEXEC");
	is_hex(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK,
	    "timerfd_create(2): TFD_NONBLOCK, read-write");
	is_success(timerfd_gettime(fd, &its),
	    "timerfd_gettime(2): a new timer");
	ok(ts_ns(&its.it_value) == 0 && ts_ns(&its.it_interval) == 0,
	    "timerfd_gettime(2): ... is disarmed");
	is_errno(read(fd, small, sizeof(small)), EINVAL,
	    "timerfd(2): a 4-byte read is EINVAL");
	is_errno(read(fd, &v, sizeof(v)), EAGAIN,
	    "timerfd(2): no expiration yet: EAGAIN");
	is_hex(revents(fd), 0, "timerfd(2): poll: not readable, never "
	    "writable");
	v = 1;
	is_errno(write(fd, &v, sizeof(v)), EINVAL,
	    "timerfd(2): write is EINVAL");
	close(fd);
}

/* settime and gettime: the errors. */
static void
test_errors(void)
{
	struct itimerspec its = its_ns(1000000000LL, 0), bad;
	int fd, p[2];

	if ((fd = timerfd_create(CLOCK_MONOTONIC, 0)) < 0 || pipe(p) < 0)
		bail_out("timerfd_create, pipe");
	is_errno(timerfd_settime(fd, 0x4, &its, NULL), EINVAL,
	    "timerfd_settime(2): an unknown flag is EINVAL");
	bad = its;
	bad.it_value.tv_nsec = 1000000000L;
	is_errno(timerfd_settime(fd, 0, &bad, NULL), EINVAL,
	    "timerfd_settime(2): tv_nsec of 10^9 is EINVAL");
	bad = its;
	bad.it_interval.tv_sec = -1;
	is_errno(timerfd_settime(fd, 0, &bad, NULL), EINVAL,
	    "timerfd_settime(2): a negative interval is EINVAL");
	is_long(conf_sys(SYS_timerfd_settime, fd, 0, NULL, NULL), -EFAULT,
	    "timerfd_settime(2): no new value is EFAULT");
	is_long(conf_sys(SYS_timerfd_settime, fd, 0, CONF_KERNEL_ADDR, NULL),
	    -EFAULT, "timerfd_settime(2): a kernel address is EFAULT");
	is_errno(timerfd_settime(p[0], 0, &its, NULL), EINVAL,
	    "timerfd_settime(2): a pipe is EINVAL");
	is_errno(timerfd_settime(-1, 0, &its, NULL), EBADF,
	    "timerfd_settime(2): fd -1 is EBADF");
	is_errno(timerfd_gettime(p[0], &its), EINVAL,
	    "timerfd_gettime(2): a pipe is EINVAL");
	is_errno(timerfd_gettime(1000, &its), EBADF,
	    "timerfd_gettime(2): a closed fd is EBADF");
	is_long(conf_sys(SYS_timerfd_gettime, fd, CONF_KERNEL_ADDR), -EFAULT,
	    "timerfd_gettime(2): a kernel address is EFAULT");
	is_success(timerfd_settime(fd, TFD_TIMER_CANCEL_ON_SET, &its, NULL),
	    "timerfd_settime(2): TFD_TIMER_CANCEL_ON_SET on a relative "
	    "monotonic timer is accepted");
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* One-shot and periodic timers, their counts and settings. */
static void
test_expirations(void)
{
	struct itimerspec its = its_ns(50 * CONF_MS, 0), old, cur;
	uint64_t v = 0;
	int fd;

	if ((fd = timerfd_create(CLOCK_MONOTONIC, 0)) < 0)
		bail_out("timerfd_create");
	is_success(timerfd_settime(fd, 0, &its, NULL),
	    "timerfd_settime(2): a 50 ms one-shot timer");
	timerfd_gettime(fd, &cur);
	ok(ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 50 * CONF_MS &&
	    ts_ns(&cur.it_interval) == 0,
	    "timerfd_gettime(2): 0 < time left <= 50 ms, no period (%lld ns)",
	    ts_ns(&cur.it_value));
	is_long(read(fd, &v, sizeof(v)), 8,
	    "timerfd(2): a blocking read waits for the expiration");
	is_long(v, 1, "timerfd(2): ... a one-shot timer expired once");
	timerfd_gettime(fd, &cur);
	ok(ts_ns(&cur.it_value) == 0 && ts_ns(&cur.it_interval) == 0,
	    "timerfd_gettime(2): an expired one-shot timer is disarmed");

	its = its_ns(10 * CONF_MS, 10 * CONF_MS);
	timerfd_settime(fd, 0, &its, NULL);
	is_long(read(fd, &v, sizeof(v)), 8,
	    "timerfd(2): a periodic timer: a blocking read");
	ok(v >= 1, "timerfd(2): ... at least one expiration (%llu)",
	    (unsigned long long)v);
	conf_sleep_ms(100);
	is_hex(revents(fd), POLLIN, "timerfd(2): poll: readable after "
	    "expirations");
	read(fd, &v, sizeof(v));
	ok(v >= 2, "timerfd(2): 100 ms of a 10 ms period: overruns add up "
	    "(%llu)", (unsigned long long)v);
	timerfd_gettime(fd, &cur);
	ok(ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 10 * CONF_MS &&
	    ts_ns(&cur.it_interval) == 10 * CONF_MS,
	    "timerfd_gettime(2): a periodic timer: 0 < left <= period, and "
	    "the period (%lld, %lld)", ts_ns(&cur.it_value),
	    ts_ns(&cur.it_interval));

	its = its_ns(0, 5000 * CONF_MS);
	is_success(timerfd_settime(fd, 0, &its, &old),
	    "timerfd_settime(2): disarm, with the old setting");
	ok(ts_ns(&old.it_interval) == 10 * CONF_MS &&
	    ts_ns(&old.it_value) <= 10 * CONF_MS,
	    "timerfd_settime(2): ... the old setting was the periodic one");
	timerfd_gettime(fd, &cur);
	ok(ts_ns(&cur.it_value) == 0 &&
	    ts_ns(&cur.it_interval) == 5000 * CONF_MS,
	    "timerfd_gettime(2): a value of 0 disarms, the interval stays "
	    "(%lld, %lld)", ts_ns(&cur.it_value), ts_ns(&cur.it_interval));
	close(fd);
}

/* Absolute times, and the realtime clock. */
static void
test_absolute(void)
{
	struct itimerspec its;
	uint64_t v = 0;
	long long now;
	int fd;

	if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0)
		bail_out("timerfd_create");
	now = conf_now_ns(CLOCK_MONOTONIC);
	its = its_ns(now - 1000 * CONF_MS, 0);
	is_success(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL),
	    "timerfd_settime(2): TFD_TIMER_ABSTIME, a second ago");
	is_long(read(fd, &v, sizeof(v)), 8,
	    "timerfd(2): ... has expired at once");
	is_long(v, 1, "timerfd(2): ... once");
	its = its_ns(now - 1000 * CONF_MS, 100 * CONF_MS);
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	read(fd, &v, sizeof(v));
	ok(v >= 10, "timerfd(2): periodic (100 ms) from a second ago: the "
	    "missed periods count (%llu)", (unsigned long long)v);
	close(fd);

	if ((fd = timerfd_create(CLOCK_REALTIME, 0)) < 0)
		bail_out("timerfd_create");
	its = its_ns(conf_now_ns(CLOCK_REALTIME) + 20 * CONF_MS, 0);
	is_success(timerfd_settime(fd, TFD_TIMER_ABSTIME |
	    TFD_TIMER_CANCEL_ON_SET, &its, NULL),
	    "timerfd_settime(2): CLOCK_REALTIME, absolute, "
	    "TFD_TIMER_CANCEL_ON_SET");
	is_long(read(fd, &v, sizeof(v)), 8,
	    "timerfd(2): CLOCK_REALTIME: a blocking read");
	is_long(v, 1, "timerfd(2): ... one expiration");
	close(fd);
}

/* poll, epoll and TFD_IOC_SET_TICKS. */
static void
test_poll(void)
{
	struct epoll_event ev = { EPOLLIN, { 0 } }, out;
	struct pollfd p;
	struct itimerspec its = its_ns(20 * CONF_MS, 0);
	uint64_t v;
	int fd, ep;

	if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0 ||
	    (ep = epoll_create1(0)) < 0)
		bail_out("timerfd_create, epoll_create1");
	timerfd_settime(fd, 0, &its, NULL);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	is_long(poll(&p, 1, -1), 1, "timerfd(2): poll waits for the "
	    "expiration");
	is_hex(p.revents, POLLIN, "timerfd(2): ... POLLIN");
	read(fd, &v, sizeof(v));
	is_hex(revents(fd), 0, "timerfd(2): read: no longer readable");
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	timerfd_settime(fd, 0, &its, NULL);
	is_long(epoll_wait(ep, &out, 1, -1), 1,
	    "timerfd(2): epoll_wait waits for the expiration");
	is_hex(out.events, EPOLLIN, "timerfd(2): ... EPOLLIN");
	read(fd, &v, sizeof(v));
	is_long(epoll_wait(ep, &out, 1, 0), 0,
	    "timerfd(2): epoll: nothing after the read");

	v = 0;
	is_errno(ioctl(fd, CONF_TFD_IOC_SET_TICKS, &v), EINVAL,
	    "timerfd(2): TFD_IOC_SET_TICKS 0 is EINVAL");
	v = 5;
	is_success(ioctl(fd, CONF_TFD_IOC_SET_TICKS, &v),
	    "timerfd(2): TFD_IOC_SET_TICKS 5");
	v = 0;
	read(fd, &v, sizeof(v));
	is_long(v, 5, "timerfd(2): ... a read returns 5");
	is_errno(ioctl(fd, TIOCGWINSZ, &v), ENOTTY,
	    "timerfd(2): another ioctl is ENOTTY");
	close(ep);
	close(fd);
}

/*
 * Setting the clock: an absolute CLOCK_REALTIME timer follows it, and
 * one armed with TFD_TIMER_CANCEL_ON_SET is cancelled (ECANCELED once).
 * EclipseOS only: on the host it would change the machine's clock.
 */
static void
test_clock_set(void)
{
	struct itimerspec its;
	struct timespec ts;
	struct utsname u;
	uint64_t v = 0;
	long long now;
	int fd, cfd;

	if (uname(&u) < 0 || strcmp(u.sysname, "EclipseOS") != 0) {
		skip(5, "setting the clock would change the host's");
		return;
	}
	if ((fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK)) < 0 ||
	    (cfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK)) < 0)
		bail_out("timerfd_create");
	now = conf_now_ns(CLOCK_REALTIME);
	its = its_ns(now + 3600 * 1000 * CONF_MS, 0);
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	timerfd_settime(cfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
	    &its, NULL);
	ts.tv_sec = (now / 1000000000LL) + 7200;
	ts.tv_nsec = 0;
	is_success(clock_settime(CLOCK_REALTIME, &ts),
	    "clock_settime(2): two hours ahead");
	is_long(read(fd, &v, sizeof(v)), 8,
	    "timerfd(2): an absolute CLOCK_REALTIME timer an hour ahead "
	    "expires when the clock passes it");
	is_errno(read(cfd, &v, sizeof(v)), ECANCELED,
	    "timerfd(2): TFD_TIMER_CANCEL_ON_SET: ECANCELED");
	is_errno(read(cfd, &v, sizeof(v)), EAGAIN,
	    "timerfd(2): ... once");
	ts.tv_sec -= 7200;
	is_success(clock_settime(CLOCK_REALTIME, &ts),
	    "clock_settime(2): back");
	close(fd);
	close(cfd);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_create();
	test_errors();
	test_expirations();
	test_absolute();
	test_poll();
	test_clock_set();
	return done_testing();
}
