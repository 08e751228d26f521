/*
 * clock_nanosleep(2) through the raw system call (which returns -errno;
 * the C function returns the error number): relative and TIMER_ABSTIME
 * sleeps on CLOCK_MONOTONIC and CLOCK_REALTIME, and EINVAL for an unknown
 * clock, a negative tv_sec and a tv_nsec outside [0, 999999999].  (Linux
 * answers CLOCK_THREAD_CPUTIME_ID with EOPNOTSUPP although the manual says
 * EINVAL, so that case is not checked.)
 */
#include <time.h>
#include <unistd.h>

#include "conf.h"

static long
csleep(clockid_t clock, int flags, const struct timespec *ts)
{
	return conf_sys(SYS_clock_nanosleep, clock, flags, ts, NULL);
}

int
main(int argc, char **argv)
{
	struct timespec ts = { 0, 30 * 1000000L };
	int64_t a, b, deadline;

	(void)argc;
	conf_init(argv);
	a = conf_now_ns(CLOCK_MONOTONIC);
	is_sysok(csleep(CLOCK_MONOTONIC, 0, &ts), "clock_nanosleep(2): a "
	    "relative 30 ms sleep on CLOCK_MONOTONIC returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / 1000, ">=", 30000, "clock_nanosleep(2): the "
	    "relative sleep lasted at least 30 ms");

	deadline = conf_now_ns(CLOCK_MONOTONIC) + 40 * CONF_MS;
	ts.tv_sec = deadline / 1000000000;
	ts.tv_nsec = deadline % 1000000000;
	is_sysok(csleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts),
	    "clock_nanosleep(2): TIMER_ABSTIME 40 ms ahead returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long(b, ">=", deadline, "clock_nanosleep(2): TIMER_ABSTIME "
	    "returns no earlier than the deadline");

	a = conf_now_ns(CLOCK_MONOTONIC);
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	is_sysok(csleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts),
	    "clock_nanosleep(2): a TIMER_ABSTIME deadline in the past "
	    "returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / CONF_MS, "<", 1000, "clock_nanosleep(2): and "
	    "returns at once");

	ts.tv_sec = 0;
	ts.tv_nsec = 20 * 1000000L;
	a = conf_now_ns(CLOCK_MONOTONIC);
	is_sysok(csleep(CLOCK_REALTIME, 0, &ts), "clock_nanosleep(2): a "
	    "relative 20 ms sleep on CLOCK_REALTIME returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / 1000, ">=", 20000, "clock_nanosleep(2): the "
	    "CLOCK_REALTIME sleep lasted at least 20 ms");

	is_syserr(csleep((clockid_t)1000, 0, &ts), EINVAL,
	    "clock_nanosleep(2): an unknown clock is EINVAL");
	ts.tv_sec = -1;
	is_syserr(csleep(CLOCK_MONOTONIC, 0, &ts), EINVAL,
	    "clock_nanosleep(2): a negative tv_sec is EINVAL");
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000L;
	is_syserr(csleep(CLOCK_MONOTONIC, 0, &ts), EINVAL,
	    "clock_nanosleep(2): tv_nsec 1000000000 is EINVAL");
	ts.tv_nsec = -1;
	is_syserr(csleep(CLOCK_MONOTONIC, 0, &ts), EINVAL,
	    "clock_nanosleep(2): tv_nsec -1 is EINVAL");
	return done_testing();
}
