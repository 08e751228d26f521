/*
 * getrlimit(2), setrlimit(2) and prlimit64(2) (getrlimit(2) man page):
 * reading limits, lowering a soft limit, the EINVAL and EPERM rules, and
 * prlimit64 on another process.
 */
/* conformance: unprivileged */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct rlimit rl, rl2, old;
	pid_t pid;
	int st;

	(void)argc;
	conf_init(argv);
	conf_drop_privileges();

	is_sysok(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit(2): RLIMIT_NOFILE "
	    "can be read");
	ok(rl.rlim_cur <= rl.rlim_max, "getrlimit(2): the soft limit is at "
	    "most the hard limit");
	is_sysok(getrlimit(RLIMIT_STACK, &rl2), "getrlimit(2): RLIMIT_STACK "
	    "can be read");
	ok(rl2.rlim_cur >= 4096, "getrlimit(2): the stack limit leaves room "
	    "for a stack");

	rl2 = rl;
	rl2.rlim_cur = rl.rlim_cur > 64 ? 64 : rl.rlim_cur;
	is_sysok(setrlimit(RLIMIT_NOFILE, &rl2), "setrlimit(2): an "
	    "unprivileged process may lower its soft limit");
	is_sysok(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit(2): reads it back");
	is_long(rl.rlim_cur, rl2.rlim_cur, "getrlimit(2): the new soft limit "
	    "is what setrlimit(2) set");

	rl2.rlim_cur = rl.rlim_max;
	rl2.rlim_max = rl.rlim_max;
	rl2.rlim_cur = rl2.rlim_max + 1;
	is_errno(setrlimit(RLIMIT_NOFILE, &rl2), EINVAL, "setrlimit(2): a "
	    "soft limit above the hard limit is EINVAL");
	rl2.rlim_cur = rl.rlim_cur;
	rl2.rlim_max = rl.rlim_max + 1;
	if (rl.rlim_max != RLIM_INFINITY)
		is_errno(setrlimit(RLIMIT_NOFILE, &rl2), EPERM, "setrlimit(2):"
		    " raising the hard limit without privilege is EPERM");
	else
		skip(1, "the hard limit is already infinite");
	is_errno(syscall(SYS_prlimit64, 0, 1000, NULL, &old), EINVAL,
	    "prlimit64(2): an unknown resource is EINVAL");

	is_sysok(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old),
	    "prlimit64(2): pid 0 reads the caller's limit");
	is_long(old.rlim_cur, rl.rlim_cur, "prlimit64(2): the same soft limit "
	    "getrlimit(2) reports");

	pid = conf_fork();
	if (pid == 0) {
		conf_sleep_ms(500);	/* alive while the parent reads */
		_exit(0);
	}
	is_sysok(syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &old),
	    "prlimit64(2): a process of the same user can be read");
	is_long(old.rlim_cur, rl.rlim_cur, "prlimit64(2): a child inherited "
	    "the limit across fork(2)");
	st = conf_wait(pid);
	is_exit(st, 0, "the child exits");
	is_errno(syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &old), ESRCH,
	    "prlimit64(2): a process that is gone is ESRCH");
	return done_testing();
}
