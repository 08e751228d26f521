/*
 * alarm(2): returns the seconds left of the previous alarm (rounded to
 * the nearest second), alarm(0) cancels; SIGALRM comes once with si_code
 * SI_KERNEL; a child starts with no alarm and no interval timer (fork(2));
 * an alarm survives execve(2) while POSIX timers do not (timer_create(2)).
 * The program runs itself again with "--helper <timer id>" for the last
 * case; the helper exits 0, or with a code naming what was wrong.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "conf.h"

static int
helper(const char *idstr)
{
	struct itimerspec its;
	unsigned int left;

	/* POSIX timers are deleted by execve. */
	if (conf_sys(SYS_timer_gettime, atoi(idstr), &its) != -EINVAL)
		return 2;
	/* The alarm set before execve is still running. */
	left = alarm(0);
	if (left == 0 || left > 100)
		return 3;
	return 0;
}

static void
child_fork(void *arg)
{
	struct itimerval itv;

	(void)arg;
	if (alarm(0) != 0)
		_exit(2);
	if (getitimer(ITIMER_REAL, &itv) != 0)
		_exit(3);
	if (itv.it_value.tv_sec != 0 || itv.it_value.tv_usec != 0 ||
	    itv.it_interval.tv_sec != 0 || itv.it_interval.tv_usec != 0)
		_exit(4);
	_exit(0);
}

static void
child_exec(void *arg)
{
	char self[4096], idbuf[32];
	char *args[] = { self, "--helper", idbuf, NULL };
	int id = -1;

	(void)arg;
	conf_path(self, sizeof(self), "alarm");
	if (conf_sys(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id) != 0)
		_exit(10);
	snprintf(idbuf, sizeof(idbuf), "%d", id);
	alarm(100);
	execv(self, args);
	_exit(11);
}

int
main(int argc, char **argv)
{
	struct itimerval itv;
	struct timespec ts = { 10, 0 };
	siginfo_t si;
	sigset_t s;
	int status;

	if (argc == 3 && strcmp(argv[1], "--helper") == 0)
		return helper(argv[2]);
	conf_init(argv);

	is_long(alarm(0), 0, "alarm(2): none pending returns 0");
	is_long(alarm(100), 0, "alarm(2): the first returns 0");
	is_long(alarm(50), 100, "alarm(2): returns the seconds left, "
	    "rounded to the nearest");
	is_success(getitimer(ITIMER_REAL, &itv), "getitimer(2): reads the "
	    "alarm");
	ok(itv.it_value.tv_sec >= 48 && itv.it_value.tv_sec <= 50,
	    "getitimer(2): the alarm is ITIMER_REAL (%ld s left)",
	    (long)itv.it_value.tv_sec);
	is_long(itv.it_interval.tv_sec + itv.it_interval.tv_usec, 0,
	    "getitimer(2): an alarm has no interval");
	is_long(alarm(0), 50, "alarm(2): alarm(0) cancels and returns the "
	    "rest");
	is_long(alarm(0), 0, "alarm(2): nothing left after a cancel");

	/* An alarm whose rest is under half a second still returns 1. */
	itv.it_value.tv_sec = 0;
	itv.it_value.tv_usec = 300000;
	itv.it_interval.tv_sec = itv.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &itv, NULL);
	is_long(alarm(0), 1, "alarm(2): a pending rest under 0.5 s returns "
	    "1, never 0");

	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	alarm(1);
	memset(&si, 0, sizeof(si));
	is_long(sigtimedwait(&s, &si, &ts), SIGALRM, "alarm(2): SIGALRM "
	    "comes");
	is_long(si.si_code, SI_KERNEL, "alarm(2): SIGALRM's si_code is "
	    "SI_KERNEL");
	is_long(alarm(0), 0, "alarm(2): it was a one-shot");
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	is_errno(sigtimedwait(&s, &si, &ts), EAGAIN, "alarm(2): it came "
	    "only once");
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	alarm(100);
	itv.it_value.tv_sec = 0;
	status = conf_in_child(child_fork, NULL);
	is_exit(status, 0, "fork(2): the child has no alarm and no "
	    "ITIMER_REAL");
	ok(alarm(0) > 90, "fork(2): the parent's alarm is untouched");

	status = conf_in_child(child_exec, NULL);
	is_exit(status, 0, "execve(2): the alarm survives, the POSIX timer "
	    "does not");
	return done_testing();
}
