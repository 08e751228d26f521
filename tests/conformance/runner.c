/*
 * The conformance runner inside EclipseOS: PID 1 of the test initramfs
 * (init=/tests/runner).  For each test in the list it forks, execs the
 * test with fd 0, 1 and 2 inherited (the console), waits for it while
 * reaping every orphan that PID 1 inherits, and reports on stdout:
 *
 *	conformance: run <family>/<name>
 *	<the test's TAP output>
 *	conformance: <family>/<name> exit <code>	(or "signal <n>",
 *							 "status <hex>")
 *	...
 *	conformance: <n> programs, <n> exited 0
 *	conformance: done
 *
 * then, as PID 1, powers the machine off with the raw reboot(2) call.
 * tests/system/suite_conformance.py reads this.
 *
 * The tests live in the directory of argv[0] (/tests).  The list comes
 * from the arguments if there are any, else from <dir>/list (one test a
 * line, "<family>/<name> [tags]"), else - for a kernel that cannot open
 * files yet - from the copy built into this program, which make
 * generates from the same list.
 *
 * On the host the runner can be tried inside a PID namespace (Documentation/
 * conformance.md); its power-off then ends the namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS	512
#define NAME_MAX_LEN	128
#define TIMEOUT_S	300	/* per test, in case kill(2) exists */

#define REBOOT_MAGIC1		0xfee1deadL
#define REBOOT_MAGIC2		672274793L
#define REBOOT_CMD_POWER_OFF	0x4321fedcL

static const char *const builtin_list[] = {
#include "runner_list.h"
};

/* The same small environment as tests/conformance/run.py gives them. */
static char *const test_env[] = { "HOME=/", "PATH=/bin:/usr/bin", NULL };

static char	 dir[256];
static pid_t	 job_pgrp;	/* the tests' process group, or 0 */
static char	*names[MAX_TESTS];
static int	 ntests;

static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t len, off;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	len = r < 0 ? 0 : (size_t)r >= sizeof(buf) - 1 ? sizeof(buf) - 2 :
	    (size_t)r;
	buf[len++] = '\n';
	for (off = 0; off < len; off += (size_t)n) {
		n = write(1, buf + off, len - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return;
	}
}

static void
add_test(const char *name, size_t len)
{
	char *copy;

	if (len == 0)
		return;
	if (ntests == MAX_TESTS || len >= NAME_MAX_LEN) {
		say("conformance: list: too many tests or a long name; "
		    "ignoring %.*s", (int)len, name);
		return;
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		say("conformance: out of memory");
		return;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	names[ntests++] = copy;
}

/* Reads <dir>/list; returns 0, or -errno when it cannot be read. */
static int
read_list(void)
{
	static char buf[64 * 1024];
	char path[320];
	size_t len = 0;
	ssize_t n;
	char *line, *end, *nl;
	int fd;

	snprintf(path, sizeof(path), "%s/list", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	for (line = buf; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line) - 1;
		if (*line == '#')
			continue;
		end = line + strcspn(line, " \t\n");
		add_test(line, (size_t)(end - line));
	}
	return 0;
}

static long
now_s(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long)ts.tv_sec;
}

/*
 * A process group for the tests, held by a child that only waits: as
 * on a host, where a test runs in a job of a shell's session, the
 * tests' group is not orphaned (POSIX XBD 3.265), so the stop signals
 * SIGTSTP, SIGTTIN and SIGTTOU are not discarded.  Without it the tests
 * stay in init's group.
 */
static void
make_job_pgrp(void)
{
	sigset_t all;
	pid_t pid = fork();

	if (pid == 0) {
		/* kill(0, sig) of a test reaches it: it takes none. */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	if (pid < 0 || setpgid(pid, pid) < 0) {
		say("conformance: no process group for the tests: errno %d",
		    errno);
		return;
	}
	job_pgrp = pid;
}

/* Runs one test; returns 1 when it exited 0. */
static int
run_test(const char *name)
{
	char path[320];
	char *argv[2] = { path, NULL };
	long deadline;
	int status, killed = 0;
	pid_t pid, got;
	struct timespec pause = { 0, 20 * 1000000L };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	say("conformance: run %s", name);
	pid = fork();
	if (pid < 0) {
		say("conformance: %s fork failed: errno %d", name, errno);
		return 0;
	}
	if (pid == 0) {
		if (job_pgrp > 0)
			setpgid(0, job_pgrp);
		execve(path, argv, test_env);
		say("conformance: %s execve failed: errno %d", name, errno);
		_exit(127);
	}
	deadline = now_s() + TIMEOUT_S;
	for (;;) {
		/* PID 1 reaps everyone: the test and the orphans it left. */
		got = wait4(-1, &status, WNOHANG, NULL);
		if (got == pid)
			break;
		if (got > 0)
			continue;
		if (got < 0 && errno != EINTR) {
			say("conformance: %s wait4 failed: errno %d", name,
			    errno);
			return 0;
		}
		if (!killed && now_s() > deadline) {
			if (kill(pid, SIGKILL) == 0)
				say("conformance: %s timeout after %d s; "
				    "killed", name, TIMEOUT_S);
			else
				say("conformance: %s timeout after %d s; "
				    "kill failed: errno %d; still waiting",
				    name, TIMEOUT_S, errno);
			killed = 1;
		}
		nanosleep(&pause, NULL);
	}
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		continue;
	if (WIFEXITED(status))
		say("conformance: %s exit %d", name, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		say("conformance: %s signal %d%s", name, WTERMSIG(status),
		    killed ? " (timeout)" : "");
	else
		say("conformance: %s status %#x", name, status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(int argc, char **argv)
{
	const char *slash;
	size_t i;
	int err, passed = 0;
	long r;

	slash = argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	if (slash == NULL || (size_t)(slash - argv[0]) >= sizeof(dir))
		snprintf(dir, sizeof(dir), "/tests");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - argv[0]),
		    argv[0]);
	say("conformance: runner pid %d, tests in %s", (int)getpid(), dir);

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			add_test(argv[i], strlen(argv[i]));
	} else if ((err = read_list()) < 0) {
		say("conformance: %s/list: errno %d; using the built-in "
		    "list", dir, -err);
		for (i = 0; i < sizeof(builtin_list) / sizeof(builtin_list[0]);
		    i++)
			add_test(builtin_list[i], strlen(builtin_list[i]));
	}
	if (getpid() == 1)
		make_job_pgrp();
	for (i = 0; i < (size_t)ntests; i++)
		passed += run_test(names[i]);
	say("conformance: %d programs, %d exited 0", ntests, passed);
	say("conformance: done");

	if (getpid() != 1)
		return passed == ntests ? 0 : 1;
	r = syscall(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_POWER_OFF, NULL);
	say("conformance: reboot(POWER_OFF) returned %ld, errno %d", r, errno);
	for (;;)		/* PID 1 must not exit */
		nanosleep(&(struct timespec){ 3600, 0 }, NULL);
}
