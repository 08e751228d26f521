/*
 * fork(2): the child's return value, identity and copy of memory.
 * The child reports through a MAP_SHARED page and its exit status.
 */
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"

struct report {
	volatile long	r_ret;		/* fork's value in the child */
	volatile long	r_pid;		/* the child's getpid() */
	volatile long	r_ppid;		/* the child's getppid() */
	volatile long	r_copy;		/* the child's view of before_fork */
};

static long before_fork;

int
main(int argc, char **argv)
{
	struct report *r;
	pid_t pid, self;
	int i, st;

	(void)argc;
	conf_init(argv);
	r = conf_shared(sizeof(*r));
	r->r_ret = -2;
	self = getpid();
	before_fork = 0x5eed;

	pid = fork();
	if (pid == 0) {
		r->r_ret = 0;
		r->r_pid = getpid();
		r->r_ppid = getppid();
		r->r_copy = before_fork;
		_exit(42);
	}
	if (!ok(pid > 0, "fork(2): returns the child's pid (> 0) in the "
	    "parent"))
		bail_out("fork returned %d", (int)pid);
	st = conf_wait(pid);
	is_long(r->r_ret, 0, "fork(2): returns 0 in the child");
	is_long(r->r_pid, pid,
	    "fork(2): the child's getpid() is the pid the parent got");
	ok(r->r_pid != self, "fork(2): the child's pid differs from the "
	    "parent's");
	is_long(r->r_ppid, self,
	    "fork(2): the child's getppid() is the parent's pid");
	is_long(r->r_copy, 0x5eed, "fork(2): the child starts with a copy "
	    "of the parent's memory");
	is_exit(st, 42, "fork(2)/_exit(2): the child's exit status reaches "
	    "the parent's wait4");
	is_long(getpid(), self, "fork(2): the parent's pid is unchanged");

	for (i = 0; i < 20; i++) {
		pid = fork();
		if (pid == 0)
			_exit(i);
		if (pid < 0)
			break;
		st = conf_wait(pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != i)
			break;
	}
	is_long(i, 20, "fork(2): 20 forks in a row, each child reaped with "
	    "its own status");
	return done_testing();
}
