/*
 * Orphans: when a process exits, its children are re-parented to PID 1
 * (_exit(2): "any children of the process are inherited by init"); the
 * runner is PID 1 on EclipseOS and in the host's PID namespace.  The test
 * forks a child that forks a grandchild and exits; the grandchild reports
 * its new parent through a MAP_SHARED page.
 */
#include <unistd.h>

#include "conf.h"

struct report {
	volatile int	r_started;	/* the grandchild runs */
	volatile int	r_old_ppid;	/* its parent before the orphaning */
	volatile int	r_new_ppid;	/* its parent after */
	volatile int	r_done;		/* it wrote the above */
};

int
main(int argc, char **argv)
{
	struct report *r;
	pid_t child, grandchild_pid;
	int st;

	(void)argc;
	conf_init(argv);
	r = conf_shared(sizeof(*r));
	child = conf_fork();
	if (child == 0) {
		grandchild_pid = fork();
		if (grandchild_pid < 0)
			_exit(2);
		if (grandchild_pid == 0) {
			r->r_old_ppid = getppid();
			__atomic_store_n(&r->r_started, 1, __ATOMIC_SEQ_CST);
			/* Wait (at most 30 s) for the parent to be gone. */
			for (int i = 0; i < 3000 && getppid() ==
			    r->r_old_ppid; i++)
				conf_sleep_ms(10);
			r->r_new_ppid = getppid();
			__atomic_store_n(&r->r_done, 1, __ATOMIC_SEQ_CST);
			_exit(0);
		}
		conf_wait_flag(&r->r_started, 1, 5, 30000);
		_exit(0);
	}
	st = conf_wait(child);
	is_exit(st, 0, "fork(2): the middle child forked and exited");
	if (conf_wait_flag(&r->r_done, 1, 10, 40000) != 0)
		bail_out("the grandchild never reported");
	is_long(r->r_old_ppid, child, "getppid(2): the grandchild's parent "
	    "was the middle child");
	is_long(r->r_new_ppid, 1, "_exit(2): the orphaned grandchild is "
	    "re-parented to PID 1 (getppid() is 1)");
	is_errno(wait4(-1, &st, WNOHANG, NULL), ECHILD, "wait4(2): the "
	    "orphan is not the grandparent's child (ECHILD)");
	return done_testing();
}
