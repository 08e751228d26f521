/*
 * clock_getres(2): every clock clock_gettime knows has a resolution
 * between 1 ns and 1 s; a NULL result is allowed; EINVAL for an unknown
 * clock.  Raw calls (musl may use the vDSO).
 */
#include <time.h>
#include <unistd.h>

#include "conf.h"

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
	struct timespec res;
	size_t i;

	(void)argc;
	conf_init(argv);
	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		res.tv_sec = -1;
		res.tv_nsec = -1;
		is_sysok(conf_sys(SYS_clock_getres, clocks[i].id, &res),
		    "clock_getres(2): %s succeeds", clocks[i].name);
		ok(res.tv_sec == 0 && res.tv_nsec > 0 &&
		    res.tv_nsec < 1000000000L, "clock_getres(2): %s has a "
		    "resolution in (0, 1 s)", clocks[i].name);
		if (res.tv_sec != 0 || res.tv_nsec <= 0)
			diag("got %lld s %ld ns", (long long)res.tv_sec,
			    res.tv_nsec);
	}
	is_sysok(conf_sys(SYS_clock_getres, CLOCK_MONOTONIC, NULL),
	    "clock_getres(2): a NULL res is allowed");
	is_syserr(conf_sys(SYS_clock_getres, 1000, &res), EINVAL,
	    "clock_getres(2): an unknown clock id is EINVAL");
	return done_testing();
}
