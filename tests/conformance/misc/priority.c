/*
 * getpriority(2) and setpriority(2) for PRIO_PROCESS.  The raw
 * getpriority returns 20 - nice, in 1..40 (getpriority(2), "C
 * library/kernel differences"); nice values are clamped to -20..19, a
 * child inherits its parent's, and root may lower it again.  Errors:
 * EINVAL for an unknown which, ESRCH for a pid that does not exist.
 */
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

static long
raw_get(int which, int who)
{
	return conf_sys(SYS_getpriority, which, who);
}

int
main(int argc, char **argv)
{
	long r0, r;
	int nice0, target, st;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	r0 = raw_get(PRIO_PROCESS, 0);
	ok(r0 >= 1 && r0 <= 40, "getpriority(2): the system call returns "
	    "20 - nice, in 1..40");
	nice0 = (int)(20 - r0);
	errno = 0;
	is_long(getpriority(PRIO_PROCESS, 0), nice0, "getpriority(3): the C "
	    "library returns the nice value itself");
	is_long(raw_get(PRIO_PROCESS, getpid()), r0, "getpriority(2): who = "
	    "getpid() is the same as who = 0");

	target = nice0 < 19 ? nice0 + 1 : 18;
	is_success(setpriority(PRIO_PROCESS, 0, target), "setpriority(2): "
	    "changing the nice value to %d", target);
	is_long(raw_get(PRIO_PROCESS, 0), 20 - target, "setpriority(2): "
	    "getpriority then reports it");
	pid = conf_fork();
	if (pid == 0)
		_exit((int)raw_get(PRIO_PROCESS, 0));
	st = conf_wait(pid);
	is_exit(st, 20 - target, "setpriority(2): a forked child inherits "
	    "the nice value");
	is_success(setpriority(PRIO_PROCESS, 0, 100), "setpriority(2): a "
	    "nice value above 19 is accepted");
	is_long(raw_get(PRIO_PROCESS, 0), 1, "setpriority(2): and clamped "
	    "to 19");
	is_success(setpriority(PRIO_PROCESS, 0, nice0), "setpriority(2): "
	    "root may lower the nice value again");
	is_long(raw_get(PRIO_PROCESS, 0), r0, "setpriority(2): back to the "
	    "first value");

	is_syserr(raw_get(42, 0), EINVAL, "getpriority(2): an unknown which "
	    "is EINVAL");
	is_errno(setpriority(42, 0, 0), EINVAL, "setpriority(2): an unknown "
	    "which is EINVAL");
	pid = conf_fork();
	if (pid == 0)
		_exit(0);
	conf_wait(pid);
	r = raw_get(PRIO_PROCESS, pid);
	is_syserr(r, ESRCH, "getpriority(2): a pid that no longer exists is "
	    "ESRCH");
	is_errno(setpriority(PRIO_PROCESS, pid, 0), ESRCH, "setpriority(2): "
	    "a pid that no longer exists is ESRCH");
	return done_testing();
}
