/*
 * kill(2) to process groups: pid < -1 signals that group, pid 0 the
 * caller's own (the caller included), and an empty group is ESRCH.  Every
 * case runs in a child that first makes its own group (setpgid), so no
 * signal reaches the test runner; without setpgid the program bails out.
 */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

static volatile int hits;
static volatile int *ready;

static void
on_usr1(int sig)
{
	(void)sig;
	hits++;
}

/* A child that waits to be killed, in its own group if own_group. */
static pid_t
waiting_child(int own_group)
{
	pid_t pid;

	*ready = 0;
	pid = conf_fork();
	if (pid == 0) {
		if (own_group && setpgid(0, 0) != 0)
			_exit(98);
		signal(SIGUSR1, SIG_DFL);
		*ready = 1;
		for (;;)
			pause();
	}
	if (own_group)
		(void)setpgid(pid, pid);
	if (conf_wait_flag(ready, 1, 1, 10000) < 0)
		_exit(99);
	return pid;
}

/* In a group of its own: kill(0) reaches it and its child; kill(-pgid). */
static void
in_group(void *arg)
{
	pid_t a, b;

	(void)arg;
	hits = 0;
	a = waiting_child(0);
	if (kill(0, SIGUSR1) != 0)
		_exit(1);
	if (hits != 1)
		_exit(2);
	if (conf_wait(a) != SIGUSR1)
		_exit(3);
	a = waiting_child(1);
	b = waiting_child(0);
	if (kill(-a, SIGKILL) != 0)
		_exit(4);
	if (conf_wait(a) != SIGKILL)
		_exit(5);
	if (kill(-a, 0) == 0 || errno != ESRCH)
		_exit(6);
	if (kill(b, 0) != 0)
		_exit(7);
	kill(b, SIGKILL);
	conf_wait(b);
	_exit(0);
}

int
main(int argc, char **argv)
{
	pid_t pid;

	(void)argc;
	conf_init(argv);
	ready = conf_shared(sizeof(*ready));
	signal(SIGUSR1, on_usr1);
	pid = conf_fork();
	if (pid == 0) {
		if (setpgid(0, 0) != 0)
			_exit(97);
		in_group(NULL);
	}
	is_exit(conf_wait(pid), 0, "kill(2): pid 0 reaches the caller's "
	    "group (itself and its child), pid -pgid that group only, and "
	    "an empty group is ESRCH");
	return done_testing();
}
