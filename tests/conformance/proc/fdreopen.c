/*
 * Opening /proc/self/fd/N of a pipe, a FIFO or a socket (proc(5)): the
 * link of a pipe leads to the pipe itself, so open(2) makes a new open
 * file description of it - O_RDONLY a read end, O_WRONLY a write end;
 * a FIFO's with a FIFO's rules (O_WRONLY|O_NONBLOCK without a reader:
 * ENXIO), a pipe's at once - and stat(2) through it sees the pipe; a
 * socket's link is ENXIO.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static int
open_link(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags);
}

/* Write s through wfd and read it back from rfd; true if it arrived. */
static bool
flows(int wfd, int rfd, const char *s)
{
	char buf[32];
	size_t n = strlen(s);

	if (wfd < 0 || rfd < 0 || write(wfd, s, n) != (ssize_t)n)
		return false;
	memset(buf, 0, sizeof(buf));
	return read(rfd, buf, sizeof(buf) - 1) == (ssize_t)n &&
	    memcmp(buf, s, n) == 0;
}

static void
pipes(void)
{
	char path[64], buf[64], want[64];
	struct stat st, st2;
	int p[2], r, w, fl;

	if (pipe(p) < 0)
		bail_out("pipe: %s", strerror(errno));
	if (fstat(p[0], &st) < 0)
		bail_out("fstat: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	memset(buf, 0, sizeof(buf));
	ok(readlink(path, buf, sizeof(buf) - 1) > 0 && strcmp(buf, want) == 0,
	    "readlink(2): fd/N of a pipe reads %s", want);
	ok(stat(path, &st2) == 0 && S_ISFIFO(st2.st_mode) &&
	    st2.st_ino == st.st_ino, "stat(2) through fd/N of a pipe sees "
	    "the pipe (a FIFO, its inode number)");

	r = open_link(p[0], O_RDONLY);
	ok(r >= 0, "open(2): fd/N of a pipe's read end, O_RDONLY");
	fl = r >= 0 ? fcntl(r, F_GETFL) : -1;
	is_long(fl & O_ACCMODE, O_RDONLY, "it is a read end (F_GETFL)");
	ok(r >= 0 && fstat(r, &st2) == 0 && st2.st_ino == st.st_ino,
	    "of the same pipe (fstat's inode number)");
	ok(flows(p[1], r, "abc"), "what the write end writes, the new read "
	    "end reads");

	w = open_link(p[0], O_WRONLY);
	ok(w >= 0, "open(2): fd/N of a pipe's read end, O_WRONLY: a write "
	    "end");
	ok(flows(w, p[0], "def"), "what the new write end writes, the "
	    "original read end reads");

	close(p[1]);
	if (r >= 0)
		fcntl(r, F_SETFL, O_NONBLOCK);
	errno = 0;
	ok(r >= 0 && read(r, buf, 1) == -1 && errno == EAGAIN,
	    "the new write end is a writer: with the first closed, an empty "
	    "read is EAGAIN, not end of file");
	close(w);
	ok(r >= 0 && read(r, buf, 1) == 0, "with both write ends closed, "
	    "end of file");
	close(r);

	if (pipe(p) < 0)
		bail_out("pipe: %s", strerror(errno));
	close(p[0]);
	w = open_link(p[1], O_WRONLY | O_NONBLOCK);
	ok(w >= 0, "open(2): O_WRONLY|O_NONBLOCK through fd/N of a pipe with "
	    "no reader opens (a FIFO's ENXIO is a FIFO's only)");
	r = open_link(p[1], O_RDONLY);
	ok(r >= 0, "open(2): O_RDONLY through fd/N of a pipe's write end");
	ok(flows(w, r, "ghi"), "data flows between the two new ends");
	close(w);
	close(r);
	close(p[1]);
}

static void
fifo(void)
{
	char path[PATH_MAX];
	int f, w;

	snprintf(path, sizeof(path), "/tmp/conf-fdreopen-%d", (int)getpid());
	unlink(path);
	if (mkfifo(path, 0600) < 0 || (f = open(path, O_RDWR)) < 0)
		bail_out("mkfifo %s: %s", path, strerror(errno));
	w = open_link(f, O_WRONLY | O_NONBLOCK);
	ok(w >= 0, "open(2): fd/N of a FIFO, O_WRONLY");
	ok(flows(w, f, "jkl"), "what it writes, the FIFO's reader reads");
	close(w);
	w = open(path, O_WRONLY | O_NONBLOCK);
	close(f);
	errno = 0;
	ok(w >= 0 && open_link(w, O_WRONLY | O_NONBLOCK) == -1 &&
	    errno == ENXIO, "open(2): O_WRONLY|O_NONBLOCK through fd/N of a "
	    "FIFO with no reader is ENXIO (fifo(7))");
	close(w);
	unlink(path);
}

static void
sockets(void)
{
	struct stat st;
	char path[64];
	int s[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0)
		bail_out("socketpair: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", s[0]);
	ok(stat(path, &st) == 0 && S_ISSOCK(st.st_mode), "stat(2) through "
	    "fd/N of a socket sees a socket");
	errno = 0;
	ok(open(path, O_RDWR) == -1 && errno == ENXIO, "open(2): fd/N of a "
	    "socket is ENXIO");
	errno = 0;
	ok(open(path, O_RDONLY) == -1 && errno == ENXIO, "open(2): also "
	    "O_RDONLY");
	close(s[0]);
	close(s[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	pipes();
	fifo();
	sockets();
	return done_testing();
}
