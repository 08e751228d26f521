/*
 * clock_gettime(2) through the raw system call (musl would use the vDSO on
 * Linux): the clocks CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME and
 * CLOCK_PROCESS_CPUTIME_ID, normalised values, monotonicity, agreement
 * with the C library, and the errors EINVAL and EFAULT.
 */
#include <time.h>
#include <unistd.h>

#include "conf.h"

static long
raw_gettime(clockid_t clock, struct timespec *ts)
{
	return conf_sys(SYS_clock_gettime, clock, ts);
}

static int
normal(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	    ts->tv_nsec < 1000000000L;
}

int
main(int argc, char **argv)
{
	static const struct {
		clockid_t	 id;
		const char	*name;
	} clocks[] = {
		{ CLOCK_REALTIME, "CLOCK_REALTIME" },
		{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
		{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
		{ CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID" },
	};
	struct timespec ts, prev, libc;
	int64_t a, b, cpu0, cpu1;
	size_t i;
	int n, backwards;

	(void)argc;
	conf_init(argv);
	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		ts.tv_sec = -1;
		ts.tv_nsec = -1;
		is_sysok(raw_gettime(clocks[i].id, &ts), "clock_gettime(2): "
		    "%s succeeds", clocks[i].name);
		ok(normal(&ts), "clock_gettime(2): %s gives tv_sec >= 0 and "
		    "tv_nsec in [0, 1e9)", clocks[i].name);
	}

	raw_gettime(CLOCK_MONOTONIC, &prev);
	for (backwards = 0, n = 0; n < 1000; n++) {
		raw_gettime(CLOCK_MONOTONIC, &ts);
		if (ts.tv_sec < prev.tv_sec || (ts.tv_sec == prev.tv_sec &&
		    ts.tv_nsec < prev.tv_nsec))
			backwards++;
		prev = ts;
	}
	is_long(backwards, 0, "clock_gettime(2): CLOCK_MONOTONIC never goes "
	    "backwards (1000 reads)");

	a = conf_now_ns(CLOCK_MONOTONIC);
	conf_sleep_ms(50);
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / CONF_MS, ">=", 50, "clock_gettime(2): "
	    "CLOCK_MONOTONIC advances by at least the 50 ms slept");
	cmp_long((b - a) / CONF_MS, "<", 5000, "clock_gettime(2): "
	    "CLOCK_MONOTONIC advances by less than 5 s over a 50 ms sleep");
	a = conf_now_ns(CLOCK_MONOTONIC);
	b = conf_now_ns(CLOCK_BOOTTIME);
	cmp_long(b, ">=", a, "clock_gettime(2): CLOCK_BOOTTIME is at least "
	    "CLOCK_MONOTONIC (it adds the time suspended)");

	cpu0 = conf_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	conf_spin_ms(200);
	cpu1 = conf_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	cmp_long((cpu1 - cpu0) / CONF_MS, ">=", 20, "clock_gettime(2): "
	    "CLOCK_PROCESS_CPUTIME_ID grows while the process computes (200 "
	    "ms of spinning counts at least 20 ms)");

	raw_gettime(CLOCK_REALTIME, &ts);
	clock_gettime(CLOCK_REALTIME, &libc);
	cmp_long(libc.tv_sec - ts.tv_sec, "<=", 1, "clock_gettime(3): the C "
	    "library's CLOCK_REALTIME agrees with the system call within 1 s");
	raw_gettime(CLOCK_MONOTONIC, &ts);
	clock_gettime(CLOCK_MONOTONIC, &libc);
	cmp_long(libc.tv_sec - ts.tv_sec, "<=", 1, "clock_gettime(3): the C "
	    "library's CLOCK_MONOTONIC agrees with the system call within 1 s");

	is_syserr(raw_gettime((clockid_t)1000, &ts), EINVAL,
	    "clock_gettime(2): an unknown clock id is EINVAL");
	is_syserr(raw_gettime(CLOCK_REALTIME, (struct timespec *)8), EFAULT,
	    "clock_gettime(2): a bad result pointer is EFAULT");
	return done_testing();
}
