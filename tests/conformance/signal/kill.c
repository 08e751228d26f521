/*
 * kill(2), tkill(2) and tgkill(2): the targets pid > 0 and -1 (everyone
 * allowed but init and the caller; kill_group.c has the process groups);
 * signal 0 checks only; a zombie can be signalled; the errors EINVAL,
 * ESRCH and EPERM (an unprivileged process cannot signal root's
 * processes).
 */
#include <signal.h>
#include <string.h>
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

/* A child waiting to be killed, with SIGUSR1's default action. */
static pid_t
waiting_child(void)
{
	pid_t pid;

	*ready = 0;
	pid = conf_fork();
	if (pid == 0) {
		signal(SIGUSR1, SIG_DFL);
		*ready = 1;
		for (;;)
			pause();
	}
	if (conf_wait_flag(ready, 1, 1, 10000) < 0)
		_exit(99);
	return pid;
}

/*
 * kill(-1) reaches every process the caller may signal: run it only where
 * that is the caller and its own child, in a new PID namespace on the
 * host (the runner's isolation) or as an unprivileged user whose only
 * other process is the child.
 */
static void
everyone(void *arg)
{
	pid_t a;

	(void)arg;
	conf_drop_privileges();
	hits = 0;
	a = waiting_child();
	if (kill(-1, SIGUSR1) != 0)
		_exit(1);
	if (hits != 0)
		_exit(2);
	if (conf_wait(a) != (SIGUSR1 & 0x7f))
		_exit(3);
	_exit(0);
}

static void
unprivileged(void *arg)
{
	pid_t root_pid = (pid_t)(long)arg;

	conf_drop_privileges();
	if (kill(root_pid, 0) == 0 || errno != EPERM)
		_exit(1);
	if (kill(root_pid, SIGKILL) == 0 || errno != EPERM)
		_exit(2);
	if (kill(getpid(), 0) != 0)
		_exit(3);
	_exit(0);
}

int
main(int argc, char **argv)
{
	pid_t a, b, zombie;
	int st;

	(void)argc;
	conf_init(argv);
	ready = conf_shared(sizeof(*ready));
	signal(SIGUSR1, on_usr1);

	is_errno(kill(getpid(), 65), EINVAL, "kill(2): signal 65 is EINVAL");
	is_errno(kill(getpid(), -1), EINVAL, "kill(2): signal -1 is EINVAL");
	is_success(kill(getpid(), 0), "kill(2): signal 0 to itself checks "
	    "only");
	is_errno(kill(30000, 0), ESRCH, "kill(2): a pid that does not exist "
	    "is ESRCH");
	is_errno(kill(-30000, SIGUSR1), ESRCH, "kill(2): a group that does "
	    "not exist is ESRCH");
	is_errno(syscall(SYS_tkill, 0, SIGUSR1), EINVAL, "tkill(2): tid 0 is "
	    "EINVAL");
	is_errno(syscall(SYS_tkill, getpid(), 65), EINVAL, "tkill(2): signal "
	    "65 is EINVAL");
	is_errno(syscall(SYS_tgkill, 0, getpid(), SIGUSR1), EINVAL,
	    "tgkill(2): tgid 0 is EINVAL");
	is_errno(syscall(SYS_tgkill, getpid(), 30000, SIGUSR1), ESRCH,
	    "tgkill(2): a tid that does not exist is ESRCH");

	a = waiting_child();
	is_success(kill(a, 0), "kill(2): signal 0 to a child that exists");
	is_success(kill(a, SIGTERM), "kill(2): SIGTERM to a child");
	is_signal(conf_wait(a), SIGTERM, "the child died by SIGTERM");

	zombie = conf_fork();
	if (zombie == 0)
		_exit(0);
	conf_sleep_ms(100);
	is_success(kill(zombie, 0), "kill(2): a zombie can still be "
	    "signalled");
	conf_wait(zombie);
	is_errno(kill(zombie, 0), ESRCH, "kill(2): once reaped it is ESRCH");

	b = waiting_child();
	is_errno(syscall(SYS_tgkill, b + 1 == getpid() ? b + 2 : getpid(), b,
	    SIGKILL), ESRCH, "tgkill(2): a tid outside tgid is ESRCH");
	is_long(syscall(SYS_tgkill, b, b, SIGKILL), 0, "tgkill(2): to the "
	    "child");
	is_signal(conf_wait(b), SIGKILL, "the child died by tgkill's SIGKILL");

	if (geteuid() == 0)
		is_exit(conf_in_child(everyone, NULL), 0, "kill(2): pid -1 "
		    "signals the others (a child), not the caller");
	else
		skip(1, "kill(-1) is only safe where the case becomes nobody");

	st = conf_in_child(unprivileged, (void *)(long)getpid());
	is_exit(st, 0, "kill(2): an unprivileged user gets EPERM for root's "
	    "process, even with signal 0, and may signal itself");
	return done_testing();
}
