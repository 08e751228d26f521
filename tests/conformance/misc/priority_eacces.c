/*
 * setpriority(2) as an unprivileged user: raising the nice value works,
 * lowering it again beyond RLIMIT_NICE (set to 0 here) is EACCES, and
 * changing a process of another user (PID 1, root) is EPERM.
 */
/* conformance: unprivileged */
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct rlimit rl = { 0, 0 };
	int nice0;

	(void)argc;
	conf_init(argv);
	conf_drop_privileges();
	if (setrlimit(RLIMIT_NICE, &rl) != 0)
		bail_out("setrlimit(RLIMIT_NICE): %s", tap_errname(errno));
	errno = 0;
	nice0 = getpriority(PRIO_PROCESS, 0);
	if (nice0 >= 19)
		bail_out("the nice value is already %d", nice0);
	is_success(setpriority(PRIO_PROCESS, 0, nice0 + 1), "setpriority(2): "
	    "an unprivileged process may raise its nice value");
	is_errno(setpriority(PRIO_PROCESS, 0, nice0), EACCES,
	    "setpriority(2): lowering it without CAP_SYS_NICE (RLIMIT_NICE 0) "
	    "is EACCES");
	is_errno(setpriority(PRIO_PROCESS, 1, 19), EPERM, "setpriority(2): "
	    "changing another user's process (PID 1) is EPERM");
	return done_testing();
}
