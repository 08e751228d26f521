/*
 * nanosleep(2): sleeps at least the time asked (measured on
 * CLOCK_MONOTONIC), a zero sleep returns, and EINVAL for tv_nsec outside
 * [0, 999999999] or a negative tv_sec, EFAULT for a bad pointer.
 */
#include <time.h>
#include <unistd.h>

#include "conf.h"

static long
sleep_raw(long sec, long nsec)
{
	struct timespec ts = { sec, nsec };

	return conf_sys(SYS_nanosleep, &ts, NULL);
}

int
main(int argc, char **argv)
{
	struct timespec req = { 0, 30 * 1000000L }, rem = { 7, 7 };
	int64_t a, b;

	(void)argc;
	conf_init(argv);
	a = conf_now_ns(CLOCK_MONOTONIC);
	is_sysok(conf_sys(SYS_nanosleep, &req, &rem), "nanosleep(2): a "
	    "30 ms sleep returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / 1000, ">=", 30000, "nanosleep(2): sleeps at least "
	    "the 30 ms asked");
	cmp_long((b - a) / CONF_MS, "<", 5000, "nanosleep(2): and not "
	    "seconds longer");
	a = conf_now_ns(CLOCK_MONOTONIC);
	is_sysok(sleep_raw(1, 0), "nanosleep(2): a 1 s sleep returns 0");
	b = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long((b - a) / CONF_MS, ">=", 1000, "nanosleep(2): the 1 s sleep "
	    "lasted at least 1 s (tv_sec counts)");
	is_sysok(sleep_raw(0, 0), "nanosleep(2): a zero sleep returns 0");
	is_sysok(sleep_raw(0, 1), "nanosleep(2): a 1 ns sleep returns 0");

	is_syserr(sleep_raw(0, 1000000000L), EINVAL, "nanosleep(2): tv_nsec "
	    "1000000000 is EINVAL");
	is_syserr(sleep_raw(0, -1), EINVAL, "nanosleep(2): tv_nsec -1 is "
	    "EINVAL");
	is_syserr(sleep_raw(-1, 0), EINVAL, "nanosleep(2): tv_sec -1 is "
	    "EINVAL");
	is_syserr(conf_sys(SYS_nanosleep, 8, NULL), EFAULT, "nanosleep(2): a "
	    "bad request pointer is EFAULT");
	return done_testing();
}
