/*
 * The system-call tracer: prctl(PR_ECLIPSE_SCTRACE) and bin/sctrace
 * (Documentation/sctrace.md).
 *
 * The interface is EclipseOS's own, and every conformance case must pass
 * on Linux too.  So the first case states what each system gives for
 * prctl(PR_ECLIPSE_SCTRACE, 0, -1, 0, 0) ("stop tracing the caller"):
 * Linux has no such option, EINVAL; EclipseOS, 0.  Which system it is
 * comes from uname(2), not from that result, so a broken EclipseOS
 * cannot skip its own cases.  On Linux the other cases are TAP skips
 * (there is nothing of Linux's to compare them with); in EclipseOS they
 * check the interface's errors, that a tracer that has gone does not
 * hurt the tracee, and the lines sctrace prints for this program run as
 * "--helper calls": known calls, a failing one, a fork followed with -f,
 * and its exit status passed on as sctrace's own.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define PR_ECLIPSE_SCTRACE	0x45430001	/* sys/sys/abi/sctrace.h */
#define SCTRACE_F_INHERIT	0x1

#define NCASES_ECLIPSE		25	/* the cases after the first */
#define MSG			"sctrace-test\n"
#define PID_MAX_TEST		4194305	/* above Linux's pid_max limit */

#define sctrace_sys(pid, fd, flags) \
	conf_sys(SYS_prctl, PR_ECLIPSE_SCTRACE, pid, fd, flags, 0)

/* The traced program: calls whose lines the test knows. */
static int
helper_calls(void)
{
	char buf[64];
	int p[2], st;
	pid_t c;

	(void)conf_sys(SYS_getpid);
	if (pipe(p) < 0)
		return 100;
	if (write(p[1], MSG, strlen(MSG)) != (ssize_t)strlen(MSG))
		return 101;
	if (read(p[0], buf, sizeof(buf)) != (ssize_t)strlen(MSG))
		return 102;
	(void)conf_sys(SYS_close, 12345);
	(void)conf_sys(SYS_kill, getpid(), SIGCHLD);
	if ((c = fork()) == 0) {
		(void)conf_sys(SYS_getppid);
		_exit(7);
	}
	if (c < 0 || waitpid(c, &st, 0) != c)
		return 103;
	return 3;
}

/* Runs sctrace -f on helper_calls; its stderr into out, status back. */
static int
run_sctrace(char *out, size_t len)
{
	char tool[512], self[512];
	size_t n = 0;
	ssize_t k;
	int p[2], st;
	pid_t pid;

	conf_path(tool, sizeof(tool), "sctrace");
	conf_path(self, sizeof(self), "tracer");
	if (pipe(p) < 0)
		bail_out("pipe failed");
	if ((pid = conf_fork()) == 0) {
		char *args[] = { tool, "-f", self, "--helper", "calls", NULL };

		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(tool, args);
		_exit(126);
	}
	close(p[1]);
	while (n < len - 1 && (k = read(p[0], out + n, len - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(p[0]);
	st = conf_wait(pid);
	return st;
}

/*
 * The next line at or after *pos of process pid ("[pid N] ") that holds
 * want; moves *pos past it.  Returns the line (in a static buffer) or
 * NULL.
 */
static const char *
next_line(const char *out, const char **pos, long pid, const char *want)
{
	static char line[1024];
	char prefix[32];
	const char *s = *pos, *e;
	size_t n;

	snprintf(prefix, sizeof(prefix), "[pid %ld] ", pid);
	while (*s != '\0') {
		e = strchr(s, '\n');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n < sizeof(line)) {
			memcpy(line, s, n);
			line[n] = '\0';
			if (strncmp(line, prefix, strlen(prefix)) == 0 &&
			    strstr(line, want) != NULL) {
				*pos = s + n;
				return line;
			}
		}
		s += n + (e != NULL);
	}
	(void)out;
	return NULL;
}

static void
check_output(const char *out, int st)
{
	const char *pos = out, *l;
	char want[128];
	long pid = 0, child = 0;

	is_exit(st, 3, "sctrace: exits with the traced command's status");
	l = strstr(out, "execve(\"");
	ok(l != NULL && sscanf(out, "[pid %ld] ", &pid) == 1 && pid > 0,
	    "sctrace: the first line is the traced process's execve");
	l = next_line(out, &pos, pid, "\"--helper\", \"calls\"]");
	ok(l != NULL && strstr(l, ") = 0") != NULL,
	    "sctrace: execve shows the path and argv, and = 0");
	snprintf(want, sizeof(want), "getpid() = %ld", pid);
	ok(next_line(out, &pos, pid, want) != NULL,
	    "sctrace: \"%s\"", want);
	ok(next_line(out, &pos, pid, "pipe") != NULL,
	    "sctrace: then the pipe call");
	l = next_line(out, &pos, pid, "write(");
	ok(l != NULL && strstr(l, ", \"sctrace-test\\n\", 13) = 13") != NULL,
	    "sctrace: write shows the bytes written, quoted: %s",
	    l != NULL ? l : "(none)");
	l = next_line(out, &pos, pid, "read(");
	ok(l != NULL && strstr(l, ", \"sctrace-test\\n\", 64) = 13") != NULL,
	    "sctrace: read shows the bytes read, quoted: %s",
	    l != NULL ? l : "(none)");
	ok(next_line(out, &pos, pid,
	    "close(12345) = -1 EBADF (Bad file descriptor)") != NULL,
	    "sctrace: a failing call shows its errno name and text");
	snprintf(want, sizeof(want), "kill(%ld, SIGCHLD) = 0", pid);
	ok(next_line(out, &pos, pid, want) != NULL,
	    "sctrace: signals by name: \"%s\"", want);
	l = next_line(out, &pos, pid, "fork() = ");
	if (l == NULL)
		l = next_line(out, &pos, pid, "clone(");
	ok(l != NULL && (l = strstr(l, ") = ")) != NULL &&
	    (child = strtol(l + 4, NULL, 10)) > 0,
	    "sctrace: the fork returns the child's pid");
	snprintf(want, sizeof(want), "wait4(%ld, ", child);
	ok(next_line(out, &pos, pid, want) != NULL,
	    "sctrace: then the parent waits for it");
	ok(next_line(out, &pos, pid, "exit_group(3) = ?") != NULL,
	    "sctrace: exit_group(3) = ?");
	ok(next_line(out, &pos, pid, "+++ exited with 3 +++") != NULL,
	    "sctrace: +++ exited with 3 +++ ends the parent");
	pos = out;
	snprintf(want, sizeof(want), "getppid() = %ld", pid);
	ok(child > 0 && next_line(out, &pos, child, want) != NULL,
	    "sctrace -f: the child's getppid is traced, with its pid");
	ok(child > 0 && next_line(out, &pos, child, "exit_group(7) = ?") !=
	    NULL && next_line(out, &pos, child, "+++ exited with 7 +++") !=
	    NULL, "sctrace -f: the child's exit is traced");
}

/* Errors of prctl(PR_ECLIPSE_SCTRACE), and a tracer that goes away. */
static void
check_interface(void)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		bail_out("pipe failed");
	is_syserr(sctrace_sys(0, p[1], 0x100), EINVAL,
	    "PR_ECLIPSE_SCTRACE: unknown flags are EINVAL");
	is_syserr(sctrace_sys(0, 12345, 0), EBADF,
	    "PR_ECLIPSE_SCTRACE: a descriptor that is not open is EBADF");
	is_syserr(sctrace_sys(0, p[0], 0), EBADF,
	    "PR_ECLIPSE_SCTRACE: a pipe's read end is EBADF");
	is_syserr(sctrace_sys(PID_MAX_TEST, p[1], 0), ESRCH,
	    "PR_ECLIPSE_SCTRACE: no such process is ESRCH");
	if ((pid = conf_fork()) == 0) {
		conf_drop_privileges();
		_exit(sctrace_sys(1, p[1], 0) == -EPERM ? 0 : 1);
	}
	is_exit(conf_wait(pid), 0, "PR_ECLIPSE_SCTRACE: tracing another "
	    "user's process (init) is EPERM");
	/* The tracer's end closes: the next record fails, and only that. */
	if ((pid = conf_fork()) == 0) {
		if (sctrace_sys(0, p[1], 0) != 0)
			_exit(1);
		close(p[0]);
		close(p[1]);
		if (conf_sys(SYS_getpid) != getpid())
			_exit(2);
		_exit(sctrace_sys(0, -1, 0) == 0 ? 0 : 3);
	}
	close(p[0]);
	close(p[1]);
	is_exit(conf_wait(pid), 0, "PR_ECLIPSE_SCTRACE: a tracer that has "
	    "gone ends the tracing; the tracee lives on (no SIGPIPE)");
}

/*
 * Does file path hold want?  The whole file is searched, a piece at a
 * time (the last strlen(want) - 1 bytes of a piece are kept, for a match
 * across two pieces): the target's getppid loop runs on until it sees
 * *done, and under load its lines can put the exit line well past the
 * first 16 KiB.
 */
static int
file_has(const char *path, const char *want)
{
	static char buf[16384];
	size_t keep = 0, len, wl = strlen(want);
	ssize_t n;
	int fd, found = 0;

	if (wl == 0 || wl >= sizeof(buf) / 2)
		bail_out("file_has: a search string of %zu bytes", wl);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	while (!found &&
	    (n = read(fd, buf + keep, sizeof(buf) - 1 - keep)) > 0) {
		len = keep + (size_t)n;
		buf[len] = '\0';
		found = strstr(buf, want) != NULL;
		keep = len < wl - 1 ? len : wl - 1;
		memmove(buf, buf + len - keep, keep);
	}
	close(fd);
	return found;
}

/*
 * sctrace -o FILE -p PID: attach to a process already running (here a
 * child calling getppid until told to stop), write the trace to a file,
 * and end with the traced process.
 */
static void
check_attach(void)
{
	char tool[512], path[64], want[64];
	volatile int *done = conf_shared(sizeof(int));
	pid_t target, tracer;
	int i, st;

	conf_path(tool, sizeof(tool), "sctrace");
	mkdir("/tmp", 01777);
	snprintf(path, sizeof(path), "/tmp/sctrace-%d.out", (int)getpid());
	*done = 0;
	if ((target = conf_fork()) == 0) {
		while (!*done)
			(void)conf_sys(SYS_getppid);
		_exit(5);
	}
	if ((tracer = conf_fork()) == 0) {
		char pidstr[16];
		char *args[] = { tool, "-o", path, "-p", pidstr, NULL };

		snprintf(pidstr, sizeof(pidstr), "%d", (int)target);
		execv(tool, args);
		_exit(126);
	}
	snprintf(want, sizeof(want), "[pid %d] getppid() = %d", (int)target,
	    (int)getpid());
	/* Until the trace shows the target's calls (20 s at most). */
	for (i = 0; i < 2000 && !file_has(path, want); i++)
		conf_sleep_ms(10);
	ok(file_has(path, want), "sctrace -o FILE -p PID: the running "
	    "process's calls are in the file (%s)", want);
	*done = 1;
	is_exit(conf_wait(target), 5, "the traced process ends normally");
	st = conf_wait(tracer);
	ok(WIFEXITED(st), "sctrace -p ends when the traced process does");
	snprintf(want, sizeof(want), "[pid %d] +++ exited with 5 +++",
	    (int)target);
	ok(file_has(path, want), "... after writing its exit status (%s)",
	    want);
	unlink(path);
}

int
main(int argc, char **argv)
{
	static char out[65536];
	struct utsname u;
	const char *s, *e;
	int eclipse, st;

	if (argc == 3 && strcmp(argv[1], "--helper") == 0)
		return helper_calls();
	conf_init(argv);
	if (uname(&u) < 0)
		bail_out("uname failed");
	eclipse = strcmp(u.sysname, "EclipseOS") == 0;
	if (!eclipse) {
		is_syserr(sctrace_sys(0, -1, 0), EINVAL, "prctl(2): Linux has "
		    "no PR_ECLIPSE_SCTRACE (EINVAL)");
		skip(NCASES_ECLIPSE, "the tracer is EclipseOS's own: Linux "
		    "has nothing to compare it with");
		return done_testing();
	}
	is_sysok(sctrace_sys(0, -1, 0), "prctl(2): PR_ECLIPSE_SCTRACE with "
	    "fd -1 (stop tracing) succeeds in EclipseOS");
	check_interface();
	check_attach();
	st = run_sctrace(out, sizeof(out));
	check_output(out, st);
	diag("sctrace printed:");
	for (s = out; *s != '\0'; s = e + (*e != '\0')) {
		if ((e = strchr(s, '\n')) == NULL)
			e = s + strlen(s);
		diag("%.*s", (int)(e - s), s);
	}
	return done_testing();
}
