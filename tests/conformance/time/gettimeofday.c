/*
 * gettimeofday(2) and time(2) through the raw system calls: normalised
 * values, agreement with clock_gettime(CLOCK_REALTIME), the time(2) store,
 * and EFAULT.
 */
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct timeval tv;
	struct timezone tz;
	struct timespec ts;
	long t, t2, stored;

	(void)argc;
	conf_init(argv);
	tv.tv_sec = -1;
	tv.tv_usec = -1;
	is_sysok(conf_sys(SYS_gettimeofday, &tv, NULL), "gettimeofday(2): "
	    "succeeds with a NULL timezone");
	ok(tv.tv_sec > 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	    "gettimeofday(2): tv_sec > 0 and tv_usec in [0, 1e6)");
	conf_sys(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	cmp_long(ts.tv_sec - tv.tv_sec, "<=", 1, "gettimeofday(2): agrees "
	    "with clock_gettime(CLOCK_REALTIME) within 1 s");
	cmp_long(ts.tv_sec - tv.tv_sec, ">=", 0, "gettimeofday(2): is not "
	    "ahead of a later clock_gettime(CLOCK_REALTIME)");
	is_sysok(conf_sys(SYS_gettimeofday, &tv, &tz), "gettimeofday(2): "
	    "accepts a timezone pointer");
	is_syserr(conf_sys(SYS_gettimeofday, 8, NULL), EFAULT,
	    "gettimeofday(2): a bad tv pointer is EFAULT");

	t = conf_sys(SYS_time, NULL);
	conf_sys(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	ok(t > 0 && ts.tv_sec - t >= 0 && ts.tv_sec - t <= 1, "time(2): "
	    "returns the seconds of CLOCK_REALTIME");
	stored = -1;
	t2 = conf_sys(SYS_time, &stored);
	is_long(stored, t2, "time(2): stores the value it returns in *tloc");
	is_syserr(conf_sys(SYS_time, CONF_KERNEL_ADDR), EFAULT, "time(2): "
	    "a bad tloc pointer is EFAULT");
	return done_testing();
}
