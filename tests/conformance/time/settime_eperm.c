/*
 * clock_settime(2) and settimeofday(2), error paths only (setting the host's
 * clock is not a test): as an unprivileged user, setting CLOCK_REALTIME is
 * EPERM; invalid arguments are EINVAL, which Linux checks before the
 * permission.  Raw calls: musl's settimeofday is clock_settime.
 */
/* conformance: unprivileged */
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct timespec ts;
	struct timeval tv;
	long r;

	(void)argc;
	conf_init(argv);
	conf_drop_privileges();
	conf_sys(SYS_clock_gettime, CLOCK_REALTIME, &ts);

	r = conf_sys(SYS_clock_settime, CLOCK_REALTIME, &ts);
	is_syserr(r, EPERM, "clock_settime(2): CLOCK_REALTIME as an "
	    "unprivileged user is EPERM");
	is_syserr(conf_sys(SYS_clock_settime, CLOCK_MONOTONIC, &ts), EINVAL,
	    "clock_settime(2): CLOCK_MONOTONIC cannot be set (EINVAL)");
	is_syserr(conf_sys(SYS_clock_settime, 1000, &ts), EINVAL,
	    "clock_settime(2): an unknown clock id is EINVAL");
	ts.tv_nsec = 1000000000L;
	is_syserr(conf_sys(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL,
	    "clock_settime(2): tv_nsec 1000000000 is EINVAL");
	ts.tv_nsec = -1;
	is_syserr(conf_sys(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL,
	    "clock_settime(2): tv_nsec -1 is EINVAL");

	conf_sys(SYS_gettimeofday, &tv, NULL);
	r = conf_sys(SYS_settimeofday, &tv, NULL);
	is_syserr(r, EPERM, "settimeofday(2): as an unprivileged user is "
	    "EPERM");
	tv.tv_usec = 2000000;
	is_syserr(conf_sys(SYS_settimeofday, &tv, NULL), EINVAL,
	    "settimeofday(2): tv_usec 2000000 is EINVAL");
	tv.tv_usec = -1;
	is_syserr(conf_sys(SYS_settimeofday, &tv, NULL), EINVAL,
	    "settimeofday(2): tv_usec -1 is EINVAL");
	is_syserr(conf_sys(SYS_settimeofday, 8, NULL), EFAULT,
	    "settimeofday(2): a bad tv pointer is EFAULT");
	return done_testing();
}
