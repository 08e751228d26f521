/*
 * wait4(2) and waitid(2): which child is reaped, WNOHANG, WNOWAIT, the
 * siginfo waitid fills, zombies kept until reaped, and the errors ECHILD
 * and EINVAL.  Children that must still be running wait on a flag in a
 * MAP_SHARED page.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static pid_t
quick_child(int code)
{
	pid_t pid = conf_fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

static void
test_wait4(volatile int *release)
{
	pid_t a, b, got, got2;
	int st, st2;

	is_errno(wait4(-1, &st, 0, NULL), ECHILD, "wait4(2): with no "
	    "children is ECHILD");
	is_errno(wait4(-1, &st, WNOHANG, NULL), ECHILD, "wait4(2): WNOHANG "
	    "with no children is ECHILD, not 0");

	*release = 0;
	a = conf_held_child(release, 5);
	is_long(wait4(a, &st, WNOHANG, NULL), 0, "wait4(2): WNOHANG returns "
	    "0 while the child runs");
	*release = 1;
	got = wait4(a, &st, 0, NULL);
	is_long(got, a, "wait4(2): a pid waits for that child and returns "
	    "its pid");
	is_exit(st, 5, "wait4(2): stores the exit status");

	a = quick_child(11);
	b = quick_child(12);
	got = wait4(b, &st, 0, NULL);
	is_long(got, b, "wait4(2): waiting for one child leaves the other "
	    "(the one asked for is returned)");
	got2 = wait4(-1, &st2, 0, NULL);
	is_long(got2, a, "wait4(2): -1 then returns the remaining child");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 12 && WIFEXITED(st2) &&
	    WEXITSTATUS(st2) == 11, "wait4(2): each child's status comes "
	    "with its own pid");

	a = quick_child(3);
	conf_sleep_ms(100);
	got = wait4(a, &st, WNOHANG, NULL);
	is_long(got, a, "wait4(2): a child that exited stays a zombie until "
	    "reaped (found 100 ms later with WNOHANG)");
	is_exit(st, 3, "wait4(2): the zombie kept its exit status");
	is_errno(wait4(a, &st, 0, NULL), ECHILD, "wait4(2): a reaped child "
	    "is gone (ECHILD)");
	is_errno(wait4(1, &st, 0, NULL), ECHILD, "wait4(2): a pid that is "
	    "not a child is ECHILD");
	a = quick_child(0);
	is_errno(wait4(a, &st, 0x100, NULL), EINVAL, "wait4(2): an unknown "
	    "option bit is EINVAL");
	conf_wait(a);
	a = quick_child(6);
	got = wait4(a, NULL, 0, NULL);
	is_long(got, a, "wait4(2): a NULL status pointer is allowed");
}

static void
test_waitid(volatile int *release)
{
	siginfo_t si;
	pid_t a;
	int st;

	memset(&si, 0, sizeof(si));
	is_errno(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "waitid(2): with "
	    "no children is ECHILD");

	a = quick_child(9);
	memset(&si, 0xff, sizeof(si));
	is_long(waitid(P_PID, a, &si, WEXITED), 0, "waitid(2): P_PID "
	    "returns 0 once the child exited");
	ok(si.si_pid == a && si.si_signo == SIGCHLD &&
	    si.si_code == CLD_EXITED && si.si_status == 9, "waitid(2): "
	    "si_pid, si_signo SIGCHLD, si_code CLD_EXITED, si_status the "
	    "exit code (not shifted)");
	if (si.si_pid != a || si.si_code != CLD_EXITED)
		diag("si_pid %d (want %d), si_signo %d, si_code %d, "
		    "si_status %d", (int)si.si_pid, (int)a, si.si_signo,
		    si.si_code, si.si_status);
	ok(si.si_uid == getuid(), "waitid(2): si_uid is the child's real "
	    "uid");

	*release = 0;
	a = conf_held_child(release, 4);
	memset(&si, 0, sizeof(si));
	si.si_pid = 12345;
	is_long(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0, "waitid(2): "
	    "WNOHANG returns 0 while no child has exited");
	is_long(si.si_pid, 0, "waitid(2): WNOHANG with nothing to report "
	    "sets si_pid to 0 (POSIX.1-2008 TC1)");
	*release = 1;
	memset(&si, 0, sizeof(si));
	is_long(waitid(P_PID, a, &si, WEXITED | WNOWAIT), 0, "waitid(2): "
	    "WNOWAIT reports the exited child");
	is_long(si.si_pid, a, "waitid(2): WNOWAIT names the child");
	is_long(wait4(a, &st, WNOHANG, NULL), a, "waitid(2): after WNOWAIT "
	    "the child can still be waited for");
	is_exit(st, 4, "waitid(2): WNOWAIT left the status in place");

	a = quick_child(0);
	is_errno(waitid(P_PID, a, &si, 0), EINVAL, "waitid(2): options "
	    "without WEXITED, WSTOPPED or WCONTINUED is EINVAL");
	is_errno(waitid((idtype_t)42, 0, &si, WEXITED), EINVAL,
	    "waitid(2): an unknown idtype is EINVAL");
	conf_wait(a);
}

int
main(int argc, char **argv)
{
	volatile int *release;

	(void)argc;
	conf_init(argv);
	release = conf_shared(CONF_PAGE);
	test_wait4(release);
	test_waitid(release);
	return done_testing();
}
