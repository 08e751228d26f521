/*
 * peekoff: SO_PEEK_OFF on a Unix stream socket (socket(7)), the program
 * tests/exercises/sockets/check.py runs in EclipseOS.  It prints one line
 * per step, "ok <what>" or "not ok <what>: <why>", and exits 0 when every
 * step passed.  Linux passes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int failed;

static void
check(int ok, const char *what, const char *why)
{
	printf("%s %s%s%s\n", ok ? "ok" : "not ok", what, ok ? "" : ": ",
	    ok ? "" : why);
	if (!ok)
		failed = 1;
}

/* recv len bytes with flags; they must be want. */
static void
recv_is(int s, size_t len, int flags, const char *want, const char *what)
{
	char buf[32], why[96];
	ssize_t n;

	n = recv(s, buf, len, flags | MSG_DONTWAIT);
	if (n < 0)
		snprintf(why, sizeof(why), "recv: %s", strerror(errno));
	else
		snprintf(why, sizeof(why), "got \"%.*s\", want \"%s\"",
		    (int)n, buf, want);
	check(n == (ssize_t)strlen(want) && memcmp(buf, want, n) == 0, what,
	    why);
}

/* The socket's peek offset must be want. */
static void
off_is(int s, int want, const char *what)
{
	socklen_t len = sizeof(int);
	char why[96];
	int v = -2;

	if (getsockopt(s, SOL_SOCKET, SO_PEEK_OFF, &v, &len) < 0)
		snprintf(why, sizeof(why), "getsockopt: %s", strerror(errno));
	else
		snprintf(why, sizeof(why), "%d, want %d", v, want);
	check(v == want && len == sizeof(int), what, why);
}

int
main(void)
{
	int sv[2], off = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("socketpair");
		return 2;
	}
	off_is(sv[1], -1, "SO_PEEK_OFF is -1 (off) on a new socket");
	if (write(sv[0], "abcdefgh", 8) != 8) {
		perror("write");
		return 2;
	}
	recv_is(sv[1], 3, MSG_PEEK, "abc", "MSG_PEEK without an offset");
	recv_is(sv[1], 3, MSG_PEEK, "abc", "... again from the start");
	check(setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off,
	    sizeof(off)) == 0, "setsockopt(SO_PEEK_OFF, 0)", strerror(errno));
	off_is(sv[1], 0, "SO_PEEK_OFF reads back 0");
	recv_is(sv[1], 3, MSG_PEEK, "abc", "MSG_PEEK at offset 0");
	recv_is(sv[1], 3, MSG_PEEK, "def", "MSG_PEEK goes on from offset 3");
	off_is(sv[1], 6, "the offset advanced to 6");
	recv_is(sv[1], 2, 0, "ab", "a read still starts at the front");
	off_is(sv[1], 4, "a read of 2 moves the offset back to 4");
	recv_is(sv[1], 8, MSG_PEEK, "gh", "MSG_PEEK at offset 4");
	off = -1;
	check(setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off,
	    sizeof(off)) == 0, "setsockopt(SO_PEEK_OFF, -1)", strerror(errno));
	recv_is(sv[1], 3, MSG_PEEK, "cde", "MSG_PEEK with the offset off");
	recv_is(sv[1], 8, 0, "cdefgh", "the rest");
	printf("%s\n", failed ? "FAILED" : "PASSED");
	return failed;
}
