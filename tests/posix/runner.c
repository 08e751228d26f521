/*
 * The Open POSIX Test Suite runner (Documentation/posix-tests.md).
 *
 * A static musl program.  In EclipseOS it is PID 1 (init=/posix/runner on
 * the kernel command line, from the initramfs): it runs every test of the
 * list compiled into it (posix-list.h, written by tests/posix/posixtests.py),
 * one at a time, and powers the machine off at the end.  On the host Linux
 * it is PID 1 of a fresh PID namespace, and posixtests.py names the tests on
 * its command line instead.
 *
 * For each test it forks; the child makes itself a process group, changes
 * to /tmp when there is one, and executes the test with a fixed
 * environment; the parent waits with a timeout, reaping every other child
 * that comes its way (as PID 1 it inherits every orphan), and prints one
 * line that posixtests.py reads:
 *
 *	posix-runner: start N
 *	posix-runner: run NAME
 *	... the test's own output ...
 *	posix-runner: end NAME exit CODE | signal SIG | hung SECONDS
 *	posix-runner: done
 *
 * A test that cannot be started prints "posix-runner: exec NAME failed:
 * errno E" from the child, which then exits with status 126.  Only the
 * system calls of the process issue are used: fork, execve, wait4 with
 * WNOHANG, clock_gettime, nanosleep, write, chdir, setpgid, kill and
 * setpriority (which may fail: a hung test that cannot be killed is
 * reported, given the lowest priority and left running), reboot.
 *
 * Usage: runner [-x] [-d DIR] [-t SECONDS] [NAME[=BINARY[:ARG]] ...]
 *	-x	exit when done instead of powering off (a host namespace)
 *	-d DIR	where the binaries are (default /posix/t)
 *	-t SEC	the timeout of each test (default POSIX_TIMEOUT)
 * A NAME alone runs DIR/NAME; NAME=BINARY:ARG runs DIR/BINARY with one
 * argument (the suite's *.sh tests that run a "-core-buildonly" program).
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct posix_test {
	const char	*pt_name;	/* the result's name */
	const char	*pt_bin;	/* the binary, relative to the folder */
	const char	*pt_arg;	/* its one argument, or NULL */
};

/* The list for PID 1 in EclipseOS: POSIX_LIST_ENTRIES and POSIX_TIMEOUT. */
#include "posix-list.h"

static const struct posix_test posix_builtin[] = {
	POSIX_LIST_ENTRIES
	{ NULL, NULL, NULL }
};

static char *const test_envp[] = {
	"PATH=/bin:/usr/bin",
	"HOME=/",
	"LANG=C",
	NULL
};

/* Print one line to standard output in a single write. */
static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;
	size_t len, off;
	ssize_t w;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
	buf[len++] = '\n';
	for (off = 0; off < len; off += (size_t)w) {
		w = write(1, buf + off, len - off);
		if (w <= 0 && errno != EINTR)
			return;
		if (w < 0)
			w = 0;
	}
}

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

/* The child: become a process group, then execute the test. */
static void
start_test(const char *dir, const struct posix_test *t)
{
	char path[1024];
	char *argv[3];

	setpgid(0, 0);
	if (chdir("/tmp") != 0)
		(void)chdir("/");
	if (snprintf(path, sizeof(path), "%s/%s", dir, t->pt_bin) >=
	    (int)sizeof(path)) {
		say("posix-runner: exec %s failed: path too long", t->pt_name);
		_exit(126);
	}
	argv[0] = path;
	argv[1] = (char *)t->pt_arg;
	argv[2] = NULL;
	execve(path, argv, test_envp);
	say("posix-runner: exec %s failed: errno %d", t->pt_name, errno);
	_exit(126);
}

/*
 * Wait for the test pid, reaping anything else, for at most limit seconds.
 * Returns 1 with *status set, or 0 when the time is up.
 */
static int
wait_test(pid_t pid, double limit, int *status)
{
	double deadline = now() + limit;
	long sleep_ns = 1000000;
	pid_t got;
	int st;

	for (;;) {
		got = wait4(-1, &st, WNOHANG, NULL);
		if (got == pid) {
			*status = st;
			return 1;
		}
		if (got > 0)
			continue;	/* an orphan, or the test's own child */
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == ECHILD) {
			/* Someone else reaped it: cannot happen as PID 1. */
			*status = -1;
			return 1;
		}
		if (now() >= deadline)
			return 0;
		nap(sleep_ns);
		if (sleep_ns < 20000000)
			sleep_ns *= 2;
	}
}

/* Run one test and report how it ended. */
static void
run_one(const char *dir, const struct posix_test *t, int timeout)
{
	pid_t pid;
	int status;
	double t0;

	say("posix-runner: run %s", t->pt_name);
	t0 = now();
	pid = fork();
	if (pid < 0) {
		say("posix-runner: end %s fork-error %d", t->pt_name, errno);
		return;
	}
	if (pid == 0)
		start_test(dir, t);
	if (!wait_test(pid, timeout, &status)) {
		if (kill(-pid, SIGKILL) != 0 && kill(pid, SIGKILL) != 0) {
			say("posix-runner: cannot kill %s (pid %d): errno %d; "
			    "it stays", t->pt_name, (int)pid, errno);
			/* Let it take as little of the CPU as it can. */
			(void)setpriority(PRIO_PROCESS, (id_t)pid, 19);
		} else {
			(void)wait_test(pid, 10, &status);
		}
		say("posix-runner: end %s hung %d", t->pt_name, timeout);
		return;
	}
	if (status == -1)
		say("posix-runner: end %s lost", t->pt_name);
	else if (WIFEXITED(status))
		say("posix-runner: end %s exit %d %.3f", t->pt_name,
		    WEXITSTATUS(status), now() - t0);
	else if (WIFSIGNALED(status))
		say("posix-runner: end %s signal %d %.3f", t->pt_name,
		    WTERMSIG(status), now() - t0);
	else
		say("posix-runner: end %s status 0x%x", t->pt_name, status);
}

/* "NAME" or "NAME=BINARY:ARG" from the command line. */
static int
parse_arg(char *s, struct posix_test *t)
{
	char *eq, *colon;

	t->pt_name = s;
	t->pt_bin = s;
	t->pt_arg = NULL;
	eq = strchr(s, '=');
	if (eq == NULL)
		return 0;
	*eq = '\0';
	t->pt_bin = eq + 1;
	colon = strchr(eq + 1, ':');
	if (colon != NULL) {
		*colon = '\0';
		t->pt_arg = colon + 1;
	}
	return *t->pt_name != '\0' && *t->pt_bin != '\0' ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *dir = "/posix/t";
	int timeout = POSIX_TIMEOUT, exit_when_done = 0;
	struct posix_test t;
	int i, n, opt;

	while ((opt = getopt(argc, argv, "xd:t:")) != -1) {
		switch (opt) {
		case 'x':
			exit_when_done = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		default:
			say("usage: runner [-x] [-d DIR] [-t SECONDS] "
			    "[NAME[=BINARY[:ARG]] ...]");
			return 2;
		}
	}
	if (timeout <= 0)
		timeout = POSIX_TIMEOUT;

	if (optind < argc) {
		say("posix-runner: start %d", argc - optind);
		for (i = optind; i < argc; i++) {
			if (parse_arg(argv[i], &t) != 0) {
				say("posix-runner: bad test argument %s",
				    argv[i]);
				continue;
			}
			run_one(dir, &t, timeout);
		}
	} else {
		for (n = 0; posix_builtin[n].pt_name != NULL; n++)
			continue;
		say("posix-runner: start %d", n);
		for (i = 0; i < n; i++)
			run_one(dir, &posix_builtin[i], timeout);
	}
	say("posix-runner: done");

	/* PID 1 must not exit: in EclipseOS that would be a kernel panic. */
	if (getpid() == 1 && !exit_when_done) {
		reboot(RB_POWER_OFF);
		say("posix-runner: power-off failed: errno %d", errno);
		for (;;)
			nap(100000000);
	}
	return 0;
}
