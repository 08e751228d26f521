/*
 * execve(2) and close-on-exec: descriptors with FD_CLOEXEC (set by
 * fcntl, dup3, F_DUPFD_CLOEXEC, pipe2) are closed in the new program; the
 * others stay open and keep their file (and their status flags); a pipe
 * whose write end is close-on-exec reads as end of file once the child
 * execs, which is how posix_spawn learns that the exec succeeded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

#define FD_KEEP		40	/* plain dup2: stays */
#define FD_GONE		41	/* FD_CLOEXEC by fcntl */
#define FD_GONE3	42	/* dup3 O_CLOEXEC */
#define FD_GONEDUP	43	/* F_DUPFD_CLOEXEC */
#define FD_KEEP_NB	44	/* kept, with O_NONBLOCK on its file */

/*
 * Run in the new program: exit code is a bit set of what was wrong.
 */
static int
check_after_exec(void)
{
	int bad = 0;

	if (fcntl(FD_KEEP, F_GETFD) != 0)
		bad |= 1;
	if (fcntl(FD_GONE, F_GETFD) != -1 || errno != EBADF)
		bad |= 2;
	if (fcntl(FD_GONE3, F_GETFD) != -1 || errno != EBADF)
		bad |= 4;
	if (fcntl(FD_GONEDUP, F_GETFD) != -1 || errno != EBADF)
		bad |= 8;
	if (!(fcntl(FD_KEEP_NB, F_GETFL) & O_NONBLOCK))
		bad |= 16;
	if (write(FD_KEEP, "kept", 4) != 4)
		bad |= 32;
	return bad;
}

int
main(int argc, char **argv)
{
	char self[512], buf[8];
	char *args[] = { self, "--after-exec", NULL };
	char *env[] = { NULL };
	int p[2], q[2], st;
	pid_t pid;

	if (argc == 2 && strcmp(argv[1], "--after-exec") == 0)
		return check_after_exec();
	conf_init(argv);
	conf_path(self, sizeof(self), "cloexec");
	if (pipe(p) < 0 || pipe(q) < 0)
		tap_bail("pipe: %s", tap_errname(errno));

	pid = conf_fork();
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], FD_KEEP) < 0 || dup2(p[1], FD_GONE) < 0 ||
		    fcntl(FD_GONE, F_SETFD, FD_CLOEXEC) < 0 ||
		    dup3(p[1], FD_GONE3, O_CLOEXEC) < 0 ||
		    fcntl(p[1], F_DUPFD_CLOEXEC, FD_GONEDUP) != FD_GONEDUP ||
		    dup2(q[0], FD_KEEP_NB) < 0 ||
		    fcntl(FD_KEEP_NB, F_SETFL, O_NONBLOCK) < 0)
			_exit(100);
		close(p[1]);
		execve(self, args, env);
		_exit(101);
	}
	close(p[1]);
	st = conf_wait(pid);
	is_exit(st, 0, "execve(2): close-on-exec descriptors (fcntl F_SETFD, "
	    "dup3 O_CLOEXEC, F_DUPFD_CLOEXEC) are closed, the others kept "
	    "with their file's status flags");
	memset(buf, 0, sizeof(buf));
	is_long(read(p[0], buf, sizeof(buf)), 4, "execve(2): a kept "
	    "descriptor still writes into the same pipe");
	is_str(buf, "kept", "execve(2): what the new program wrote");
	close(p[0]);
	close(q[0]);
	close(q[1]);

	/* posix_spawn's trick: an O_CLOEXEC pipe reports a successful exec. */
	if (pipe2(p, O_CLOEXEC) < 0)
		tap_bail("pipe2: %s", tap_errname(errno));
	pid = conf_fork();
	if (pid == 0) {
		char *none[] = { self, "--after-exec", NULL };

		close(p[0]);
		/* The fds the check wants are absent: it exits non-zero. */
		execve(self, none, env);
		(void)write(p[1], "E", 1);
		_exit(101);
	}
	close(p[1]);
	is_long(read(p[0], buf, 1), 0, "execve(2): the child's O_CLOEXEC write "
	    "end closes at exec: the parent reads end of file");
	st = conf_wait(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) != 101, "execve(2): the exec "
	    "itself succeeded (%s)", conf_status_str(st));
	close(p[0]);

	if (pipe2(p, O_CLOEXEC) < 0)
		tap_bail("pipe2: %s", tap_errname(errno));
	pid = conf_fork();
	if (pid == 0) {
		close(p[0]);
		execve("/nonexistent/program", args, env);
		(void)write(p[1], "E", 1);
		_exit(101);
	}
	close(p[1]);
	is_long(read(p[0], buf, 1), 1, "execve(2): after a failed exec the "
	    "pipe is still open and carries the child's report");
	is_exit(conf_wait(pid), 101, "execve(2): the child reported the "
	    "failure");
	close(p[0]);
	return done_testing();
}
