/*
 * A child that is already a zombie when its parent exits is inherited by
 * the reaper (here this process, a child subreaper: prctl(2)
 * PR_SET_CHILD_SUBREAPER), which hears of it with SIGCHLD as if the child
 * had just ended (Linux's reparenting notifies the new parent of a
 * zombie), and then reaps it with wait.  The middle process is made with
 * clone(2) and no exit signal, so the only SIGCHLD is the grandchild's.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

#define GRANDCHILD_STATUS	7

int
main(int argc, char **argv)
{
	struct timespec ts = { 20, 0 };	/* a bound only a broken kernel hits */
	siginfo_t si, wsi;
	sigset_t set;
	pid_t mid, *gc;
	long r;
	int st;

	(void)argc;
	conf_init(argv);
	gc = conf_shared(sizeof(*gc));
	is_success(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0),
	    "prctl(2): PR_SET_CHILD_SUBREAPER");
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	/* The middle process: clone with exit signal 0, fork-like. */
	r = conf_sys(SYS_clone, 0, 0, 0, 0, 0);
	if (r == 0) {
		pid_t g = fork();

		if (g == 0)
			_exit(GRANDCHILD_STATUS);
		*gc = g;
		/* Wait until the grandchild is a zombie, without reaping. */
		if (g < 0 || waitid(P_PID, g, &wsi, WEXITED | WNOWAIT) < 0)
			_exit(1);
		_exit(0);
	}
	if (r < 0)
		bail_out("clone: %ld", r);
	mid = (pid_t)r;
	is_long(waitpid(mid, &st, __WALL), mid, "wait4(2): __WALL waits for "
	    "a child with no exit signal");
	is_exit(st, 0, "the middle process saw its child end, then exited");

	is_long(sigtimedwait(&set, &si, &ts), SIGCHLD, "SIGCHLD reaches the "
	    "reaper that inherited a zombie");
	is_long(si.si_pid, *gc, "SIGCHLD's si_pid is the inherited zombie");
	is_long(si.si_code, CLD_EXITED, "SIGCHLD's si_code is CLD_EXITED");
	is_long(si.si_status, GRANDCHILD_STATUS, "SIGCHLD's si_status is its "
	    "exit status");
	is_long(waitpid(*gc, &st, WNOHANG), *gc, "wait4(2): the reaper reaps "
	    "the inherited zombie");
	is_exit(st, GRANDCHILD_STATUS, "with its exit status");
	return done_testing();
}
