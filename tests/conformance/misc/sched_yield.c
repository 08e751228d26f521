/*
 * sched_yield(2) "always succeeds" on Linux: it returns 0, many times
 * over, in a parent and its child running at once.
 */
#include <sched.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	int i, bad;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	is_sysok(conf_sys(SYS_sched_yield), "sched_yield(2): returns 0");
	pid = conf_fork();
	if (pid == 0) {
		for (bad = 0, i = 0; i < 1000; i++)
			bad += conf_sys(SYS_sched_yield) != 0;
		_exit(bad != 0);
	}
	for (bad = 0, i = 0; i < 1000; i++)
		bad += conf_sys(SYS_sched_yield) != 0;
	is_long(bad, 0, "sched_yield(2): 1000 calls all return 0");
	is_exit(conf_wait(pid), 0, "sched_yield(2): a child yielding at the "
	    "same time gets 0 too");
	return done_testing();
}
