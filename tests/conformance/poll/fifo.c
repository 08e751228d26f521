/*
 * fifo(7) and open(2) of a FIFO: O_RDONLY | O_NONBLOCK opens without a
 * writer, O_WRONLY | O_NONBLOCK without a reader is ENXIO, O_RDWR never
 * waits; a blocking O_RDONLY open waits for a writer and a blocking
 * O_WRONLY open for a reader (in either order between two processes);
 * bytes flow in order, end of file once the writer is gone, EPIPE once
 * the reader is gone; a reader that never saw a writer has no POLLHUP; a
 * signal interrupts a blocked open with EINTR; fstat says S_IFIFO.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static char dir[64], path[80];

static void
on_usr1(int sig)
{
	(void)sig;
}

static void
test_nonblock(void)
{
	struct pollfd p;
	struct stat st;
	int r, w, rw;

	is_long(mkfifo(path, 0600), 0, "mkfifo(3): makes a FIFO");
	r = open(path, O_RDONLY | O_NONBLOCK);
	cmp_long(r, ">=", 0, "fifo(7): O_RDONLY | O_NONBLOCK opens with no "
	    "writer");
	p.fd = r;
	p.events = POLLIN;
	is_long(poll(&p, 1, 0), 0, "fifo(7): a reader that never saw a "
	    "writer has no events (no POLLHUP)");
	is_long(fstat(r, &st), 0, "fstat(2) on a FIFO");
	ok(S_ISFIFO(st.st_mode), "fstat(2): S_IFIFO (mode %#o)",
	    (unsigned int)st.st_mode);
	w = open(path, O_WRONLY | O_NONBLOCK);
	cmp_long(w, ">=", 0, "fifo(7): O_WRONLY | O_NONBLOCK opens with a "
	    "reader");
	is_long(write(w, "abc", 3), 3, "fifo(7): a write");
	is_long(poll(&p, 1, 0), 1, "fifo(7): then the reader is readable");
	close(w);
	p.revents = 0;
	poll(&p, 1, 0);
	is_hex(p.revents, POLLIN | POLLHUP,
	    "fifo(7): the writer gone: POLLIN | POLLHUP");
	close(r);
	is_errno(open(path, O_WRONLY | O_NONBLOCK), ENXIO,
	    "fifo(7): O_WRONLY | O_NONBLOCK with no reader is ENXIO");
	rw = open(path, O_RDWR);
	cmp_long(rw, ">=", 0, "fifo(7): O_RDWR opens at once");
	is_long(write(rw, "xy", 2), 2, "fifo(7): O_RDWR writes ...");
	{
		char b[4] = { 0 };

		is_long(read(rw, b, sizeof(b)), 2, "... and reads back");
		is_str(b, "xy", "... the same bytes");
	}
	close(rw);
}

static void
test_blocking(void)
{
	struct sigaction sa;
	char buf[16];
	int fd, status;
	pid_t pid;

	/* The writer opens first and waits for the reader. */
	if ((pid = conf_fork()) == 0) {
		if ((fd = open(path, O_WRONLY)) < 0)
			_exit(1);
		_exit(write(fd, "hello", 5) == 5 ? 0 : 2);
	}
	conf_sleep_ms(100);
	fd = open(path, O_RDONLY);
	cmp_long(fd, ">=", 0, "fifo(7): a blocking reader opens");
	memset(buf, 0, sizeof(buf));
	is_long(read(fd, buf, 5), 5, "fifo(7): reads the writer's bytes");
	is_str(buf, "hello", "fifo(7): in order");
	is_long(read(fd, buf, sizeof(buf)), 0,
	    "fifo(7): end of file once the writer is gone");
	status = conf_wait(pid);
	is_exit(status, 0, "the writer, which waited for a reader");
	close(fd);

	/* The reader opens first and waits for the writer. */
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		if ((fd = open(path, O_WRONLY)) < 0)
			_exit(1);
		_exit(write(fd, "world", 5) == 5 ? 0 : 2);
	}
	fd = open(path, O_RDONLY);
	cmp_long(fd, ">=", 0,
	    "fifo(7): a blocking O_RDONLY open waits for a writer");
	memset(buf, 0, sizeof(buf));
	is_long(read(fd, buf, 5), 5, "fifo(7): then reads");
	is_str(buf, "world", "fifo(7): the writer's bytes");
	status = conf_wait(pid);
	is_exit(status, 0, "the writer");
	close(fd);

	/* EPIPE once the reader is gone. */
	{
		int r = open(path, O_RDONLY | O_NONBLOCK);
		int w = open(path, O_WRONLY);

		close(r);
		signal(SIGPIPE, SIG_IGN);
		is_errno(write(w, "z", 1), EPIPE,
		    "fifo(7): a write with the reader gone is EPIPE");
		close(w);
	}

	/* A signal ends a blocked open (sent by a child: no SA_RESTART). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	}
	is_errno(open(path, O_RDONLY), EINTR,
	    "fifo(7): a signal interrupts an open waiting for a writer");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	/* EclipseOS's test root starts without /tmp. */
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp");
	snprintf(dir, sizeof(dir), "/tmp/poll-fifo.%d", (int)getpid());
	if (mkdir(dir, 0700) < 0)
		bail_out("mkdir %s", dir);
	snprintf(path, sizeof(path), "%s/f", dir);
	test_nonblock();
	test_blocking();
	unlink(path);
	rmdir(dir);
	return done_testing();
}
