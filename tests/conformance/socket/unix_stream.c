/*
 * unix(7) stream sockets and names: socket(2)'s checks and flags, fstat,
 * socket(7) options, socketpair(2), MSG_PEEK/MSG_DONTWAIT/MSG_WAITALL,
 * shutdown(2) (end of file, EPIPE with and without SIGPIPE), poll(2)
 * readiness, a bound path (its node's type and mode, EADDRINUSE, unlink,
 * ENOENT, ECONNREFUSED, EACCES for another user), listen/accept/connect
 * with a stream echo across fork, SO_PEERCRED, a full backlog, the
 * abstract namespace and autobind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"

static struct sockaddr_un
path_addr(const char *name, socklen_t *len)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/tmp/conf-unix-%d-%s",
	    (int)getpid(), name);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(sun.sun_path) +
	    1;
	return sun;
}

static int
getint(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int v = -12345;

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -errno - 1000;
	return v;
}

static void
test_socket(void)
{
	struct stat st;
	int fd, p[2];

	is_errno(socket(100, SOCK_STREAM, 0), EAFNOSUPPORT,
	    "socket(2): an unknown family is EAFNOSUPPORT");
	is_errno(socket(AF_UNIX, 7, 0), ESOCKTNOSUPPORT,
	    "socket(2): SOCK_DCCP in AF_UNIX is ESOCKTNOSUPPORT");
	is_errno(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT,
	    "socket(2): protocol 5 in AF_UNIX is EPROTONOSUPPORT");
	is_errno(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL,
	    "socket(2): an unknown type flag is EINVAL");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ok(fd >= 0, "socket(2): AF_UNIX SOCK_STREAM with flags");
	is_long(fcntl(fd, F_GETFD), FD_CLOEXEC, "SOCK_CLOEXEC sets FD_CLOEXEC");
	ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "SOCK_NONBLOCK sets O_NONBLOCK");
	is_success(fstat(fd, &st), "fstat(2) on a socket");
	ok(S_ISSOCK(st.st_mode), "fstat(2): S_IFSOCK");
	is_long(getint(fd, SO_TYPE), SOCK_STREAM, "SO_TYPE");
	is_long(getint(fd, SO_DOMAIN), AF_UNIX, "SO_DOMAIN");
	is_long(getint(fd, SO_PROTOCOL), 0, "SO_PROTOCOL");
	is_long(getint(fd, SO_ACCEPTCONN), 0, "SO_ACCEPTCONN before listen");
	is_long(getint(fd, SO_ERROR), 0, "SO_ERROR");
	is_success(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &(int){ 10000 },
	    sizeof(int)), "setsockopt(2) SO_RCVBUF");
	is_long(getint(fd, SO_RCVBUF), 20000, "SO_RCVBUF: Linux doubles it");
	is_success(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ 30000 },
	    sizeof(int)), "setsockopt(2) SO_SNDBUF");
	is_long(getint(fd, SO_SNDBUF), 60000, "SO_SNDBUF: doubled too");
	is_errno(accept(fd, NULL, NULL), EINVAL,
	    "accept(2) on a socket that does not listen: EINVAL");
	is_errno(listen(fd, 1), EINVAL, "listen(2) on an unbound socket: "
	    "EINVAL");
	close(fd);
	is_success(pipe(p), "pipe for ENOTSOCK");
	is_errno(listen(p[0], 1), ENOTSOCK, "listen(2) on a pipe: ENOTSOCK");
	is_errno(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &fd,
	    &(socklen_t){ sizeof(int) }), ENOTSOCK, "getsockopt(2) on a "
	    "pipe: ENOTSOCK");
	close(p[0]);
	close(p[1]);
}

static void
test_pair(void)
{
	struct pollfd pfd;
	sigset_t set, pend;
	char buf[32];
	int sv[2], sig;

	is_success(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair(2)");
	is_long(write(sv[0], "hello", 5), 5, "write(2) on a connected socket");
	is_long(send(sv[0], " world", 6, 0), 6, "send(2)");
	pfd.fd = sv[1];
	pfd.events = POLLIN | POLLOUT;
	is_long(poll(&pfd, 1, 0), 1, "poll(2): the peer is ready");
	is_long(pfd.revents, POLLIN | POLLOUT, "poll(2): POLLIN and POLLOUT");
	is_long(recv(sv[1], buf, 5, MSG_PEEK), 5, "recv(2) MSG_PEEK");
	is_mem(buf, "hello", 5, "MSG_PEEK sees the data");
	is_long(read(sv[1], buf, sizeof(buf)), 11, "read(2) takes both "
	    "writes");
	is_mem(buf, "hello world", 11, "a stream keeps the bytes in order");

	/* A peek after a partial read starts at the first unread byte. */
	is_long(write(sv[0], "abcdefgh", 8), 8, "write 8 bytes");
	is_long(read(sv[1], buf, 2), 2, "read 2 of them");
	is_long(recv(sv[1], buf, sizeof(buf), MSG_PEEK), 6,
	    "MSG_PEEK after a partial read sees the other 6");
	is_mem(buf, "cdefgh", 6, "MSG_PEEK starts at the first unread byte");
	is_long(read(sv[1], buf, sizeof(buf)), 6, "read the 6");
	is_mem(buf, "cdefgh", 6, "the peeked bytes are still there");
	is_errno(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
	    "recv(2) MSG_DONTWAIT on an empty socket: EAGAIN");
	is_success(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO,
	    &(struct timeval){ 0, 20000 }, sizeof(struct timeval)),
	    "SO_RCVTIMEO");
	is_errno(recv(sv[1], buf, sizeof(buf), 0), EAGAIN,
	    "a receive past SO_RCVTIMEO fails with EAGAIN");

	/* shutdown(2): SHUT_WR is end of file there and EPIPE here. */
	is_long(write(sv[0], "tail", 4), 4, "write before shutdown");
	is_success(shutdown(sv[0], SHUT_WR), "shutdown(2) SHUT_WR");
	pfd.fd = sv[1];
	pfd.events = POLLIN | POLLRDHUP;
	poll(&pfd, 1, 0);
	ok(pfd.revents & POLLRDHUP, "poll(2): the peer sees POLLRDHUP");
	is_long(read(sv[1], buf, sizeof(buf)), 4, "the data before the "
	    "shutdown is still read");
	is_long(read(sv[1], buf, sizeof(buf)), 0, "then end of file");
	is_errno(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE,
	    "send(2) after SHUT_WR: EPIPE");
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	is_errno(write(sv[0], "x", 1), EPIPE, "write(2) after SHUT_WR: EPIPE");
	sigpending(&pend);
	ok(sigismember(&pend, SIGPIPE), "... and SIGPIPE is sent");
	sigwait(&set, &sig);
	is_long(write(sv[1], "back", 4), 4, "the other way still works");
	is_long(read(sv[0], buf, sizeof(buf)), 4, "read the other way");
	close(sv[1]);
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	poll(&pfd, 1, 0);
	ok((pfd.revents & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP),
	    "poll(2): POLLHUP once the peer closed");
	is_long(read(sv[0], buf, sizeof(buf)), 0, "end of file once the peer "
	    "closed");
	is_errno(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE,
	    "send(2) to a closed peer: EPIPE");
	close(sv[0]);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void
test_nonblock(void)
{
	static char big[65536];
	int sv[2], n = 0, total = 0;
	char buf[8];

	is_success(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv),
	    "socketpair(2) SOCK_NONBLOCK");
	is_errno(read(sv[0], buf, sizeof(buf)), EAGAIN, "read(2) on an "
	    "empty nonblocking socket: EAGAIN");
	while (total < (64 << 20) && (n = write(sv[0], big, sizeof(big))) > 0)
		total += n;
	ok(n < 0 && errno == EAGAIN, "write(2) fills the socket, then "
	    "EAGAIN (%d bytes)", total);
	ok(!(poll(&(struct pollfd){ .fd = sv[0], .events = POLLOUT }, 1, 0)),
	    "poll(2): not writable while full");
	close(sv[0]);
	close(sv[1]);
}

/* The echo server's client: sends, reads the echo, checks it. */
static void
echo_client(const struct sockaddr_un *sun, socklen_t len)
{
	struct ucred uc;
	socklen_t ul = sizeof(uc);
	char buf[16];
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		_exit(1);
	if (connect(fd, (const struct sockaddr *)sun, len) < 0)
		_exit(2);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) < 0 ||
	    uc.pid != getppid())
		_exit(3);
	if (write(fd, "ping", 4) != 4)
		_exit(4);
	if (recv(fd, buf, 4, MSG_WAITALL) != 4 || memcmp(buf, "PING", 4))
		_exit(5);
	_exit(0);
}

static void
test_listen(void)
{
	struct sockaddr_un sun, got;
	struct ucred uc;
	struct stat st;
	socklen_t len, gl, ul = sizeof(uc);
	struct pollfd pfd;
	char buf[8];
	int fd, fd2, c, c2, c3, i;
	pid_t pid;
	mode_t old;

	sun = path_addr("listen", &len);
	unlink(sun.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	old = umask(022);
	is_success(bind(fd, (struct sockaddr *)&sun, len), "bind(2) to a "
	    "path");
	umask(old);
	is_success(stat(sun.sun_path, &st), "bind(2) made the name");
	ok(S_ISSOCK(st.st_mode), "the name is a socket node");
	is_long(st.st_mode & 07777, 0755, "its mode is 0777 less the umask");
	gl = sizeof(got);
	is_success(getsockname(fd, (struct sockaddr *)&got, &gl),
	    "getsockname(2)");
	is_long(gl, len, "getsockname(2): the length of the path and its NUL");
	is_str(got.sun_path, sun.sun_path, "getsockname(2): the path");
	is_errno(bind(fd, (struct sockaddr *)&sun, len), EADDRINUSE,
	    "bind(2) of a bound socket to its own name: EADDRINUSE");
	got = path_addr("other", &gl);
	unlink(got.sun_path);
	is_errno(bind(fd, (struct sockaddr *)&got, gl), EINVAL,
	    "bind(2) of a bound socket to a free name: EINVAL");
	is_errno(unlink(got.sun_path), ENOENT, "... and leaves no node");
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	is_errno(bind(fd2, (struct sockaddr *)&sun, len), EADDRINUSE,
	    "bind(2) to a name that exists: EADDRINUSE");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	is_errno(connect(c, (struct sockaddr *)&sun, len), ECONNREFUSED,
	    "connect(2) to a socket that does not listen: ECONNREFUSED");
	is_success(listen(fd, 0), "listen(2) with a backlog of 0");
	is_long(getint(fd, SO_ACCEPTCONN), 1, "SO_ACCEPTCONN after listen");

	/* Backlog 0: one connection waits, the next finds it full. */
	is_success(connect(c, (struct sockaddr *)&sun, len), "connect(2)");
	pfd.fd = fd;
	pfd.events = POLLIN;
	is_long(poll(&pfd, 1, 0), 1, "poll(2): a listener with a connection "
	    "waiting is readable");
	c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	is_errno(connect(c2, (struct sockaddr *)&sun, len), EAGAIN,
	    "a nonblocking connect(2) to a full backlog: EAGAIN");
	c3 = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ok(c3 >= 0, "accept4(2)");
	ok(fcntl(c3, F_GETFL) & O_NONBLOCK, "accept4(2): SOCK_NONBLOCK");
	is_long(fcntl(c3, F_GETFD), FD_CLOEXEC, "accept4(2): SOCK_CLOEXEC");
	is_errno(connect(c, (struct sockaddr *)&sun, len), EISCONN,
	    "connect(2) again: EISCONN");
	/* musl retries a failed accept4 as accept: the raw call. */
	is_long(conf_sys(SYS_accept4, fd, 0, 0, 0x1234), -EINVAL,
	    "accept4(2) with unknown flags: EINVAL");
	gl = sizeof(got);
	is_success(getpeername(c, (struct sockaddr *)&got, &gl),
	    "getpeername(2) on the client");
	is_str(got.sun_path, sun.sun_path, "getpeername(2): the server's "
	    "path");
	is_success(getsockopt(c3, SOL_SOCKET, SO_PEERCRED, &uc, &ul),
	    "SO_PEERCRED");
	ok(uc.pid == getpid() && uc.uid == geteuid() && uc.gid == getegid(),
	    "SO_PEERCRED: the client's pid, uid and gid");
	is_long(write(c, "abc", 3), 3, "client writes");
	is_long(read(c3, buf, sizeof(buf)), 3, "server reads");
	close(c);
	close(c2);
	close(c3);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	is_errno(accept(fd, NULL, NULL), EAGAIN, "accept(2) on a nonblocking "
	    "listener with nothing waiting: EAGAIN");
	fcntl(fd, F_SETFL, 0);

	/* A stream echo across fork. */
	for (i = 0; i < 2; i++) {
		if ((pid = conf_fork()) == 0)
			echo_client(&sun, len);
		c = accept(fd, NULL, NULL);
		ok(c >= 0, "accept(2) waits for the child's connection");
		is_long(recv(c, buf, 4, MSG_WAITALL), 4, "read the child's "
		    "bytes");
		buf[0] = 'P', buf[1] = 'I', buf[2] = 'N', buf[3] = 'G';
		is_long(write(c, buf, 4), 4, "echo them");
		is_exit(conf_wait(pid), 0, "the child got its echo and the "
		    "listener's SO_PEERCRED");
		close(c);
	}

	/* unlink(2) takes the name away; the socket stays. */
	is_success(unlink(sun.sun_path), "unlink(2) of the name");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	is_errno(connect(c, (struct sockaddr *)&sun, len), ENOENT,
	    "connect(2) to a removed name: ENOENT");
	is_success(bind(fd2, (struct sockaddr *)&sun, len), "bind(2) to the "
	    "free name again");
	is_errno(connect(c, (struct sockaddr *)&sun, len), ECONNREFUSED,
	    "connect(2): the new socket does not listen");
	close(c);
	close(fd);
	close(fd2);
	unlink(sun.sun_path);
}

static void
eacces_child(void *arg)
{
	const struct sockaddr_un *sun = arg;
	int c;

	conf_drop_privileges();
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(c, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		_exit(1);
	_exit(errno == EACCES ? 0 : 2);
}

static void
test_eacces(void)
{
	struct sockaddr_un sun;
	socklen_t len;
	mode_t old;
	int fd;

	sun = path_addr("eacces", &len);
	unlink(sun.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	old = umask(077);
	is_success(bind(fd, (struct sockaddr *)&sun, len), "bind(2) with "
	    "umask 077");
	umask(old);
	is_success(listen(fd, 4), "listen(2)");
	is_exit(conf_in_child(eacces_child, &sun), 0, "connect(2) without "
	    "write permission on the node: EACCES");
	close(fd);
	unlink(sun.sun_path);
}

static void
test_abstract(void)
{
	struct sockaddr_un sun, got;
	socklen_t len, gl;
	int fd, c, a;
	char buf[8];

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	len = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
	    "conf-abs-%d", (int)getpid()) + 1 +
	    offsetof(struct sockaddr_un, sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	is_success(bind(fd, (struct sockaddr *)&sun, len), "bind(2) to an "
	    "abstract name");
	gl = sizeof(got);
	getsockname(fd, (struct sockaddr *)&got, &gl);
	ok(gl == len && memcmp(&got, &sun, len) == 0, "getsockname(2): the "
	    "abstract name, without a NUL");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	is_errno(bind(c, (struct sockaddr *)&sun, len), EADDRINUSE,
	    "abstract names are unique: EADDRINUSE");
	is_success(listen(fd, 1), "listen(2)");
	is_success(connect(c, (struct sockaddr *)&sun, len), "connect(2) to "
	    "the abstract name");
	a = accept(fd, NULL, NULL);
	is_long(write(c, "abs", 3), 3, "write");
	is_long(read(a, buf, sizeof(buf)), 3, "read on the accepted socket");
	close(a);
	close(c);
	close(fd);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	is_errno(connect(c, (struct sockaddr *)&sun, len), ECONNREFUSED,
	    "a closed abstract name is gone: ECONNREFUSED");
	close(c);

	/* Autobind: only the family. */
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	is_success(bind(fd, (struct sockaddr *)&sun, sizeof(sa_family_t)),
	    "bind(2) with only the family autobinds");
	gl = sizeof(got);
	getsockname(fd, (struct sockaddr *)&got, &gl);
	is_long(gl, sizeof(sa_family_t) + 6, "autobind: five hex digits");
	ok(got.sun_path[0] == '\0', "autobind: an abstract name");
	close(fd);
}

static void
test_epoll(void)
{
	struct epoll_event ev;
	int sv[2], ep;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	ep = epoll_create1(0);
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.fd = sv[1];
	is_success(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev), "epoll_ctl(2) "
	    "watches a socket");
	is_long(epoll_wait(ep, &ev, 1, 0), 0, "epoll: nothing to read yet");
	write(sv[0], "e", 1);
	is_long(epoll_wait(ep, &ev, 1, 1000), 1, "epoll: a write wakes it");
	is_hex(ev.events, EPOLLIN, "epoll: EPOLLIN");
	shutdown(sv[0], SHUT_WR);
	is_long(epoll_wait(ep, &ev, 1, 1000), 1, "epoll after the peer's "
	    "SHUT_WR");
	ok(ev.events & EPOLLRDHUP, "epoll: EPOLLRDHUP");
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_socket();
	test_pair();
	test_nonblock();
	test_listen();
	test_eacces();
	test_abstract();
	test_epoll();
	return done_testing();
}
