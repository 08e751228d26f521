/*
 * unix(7) socket options and descriptor garbage: SO_ERROR set to
 * ECONNRESET when a stream or seqpacket peer closes with data it had not
 * read, reported once by recv (or by getsockopt, which clears it) and
 * then end of file, POLLERR meanwhile; SO_PASSCRED as Linux decides it
 * (credentials go with a message when the sender or the receiver had
 * the option at the time of the send, and the receiver's option at the
 * time of the receive decides whether they are delivered: a message
 * sent with neither delivers pid 0); and sockets reachable only through
 * SCM_RIGHTS messages queued on unreachable sockets are collected (their
 * inodes leave /proc/net/unix), so that making such cycles in a loop
 * exhausts neither memory nor descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "unixutil.h"

#define GC_CYCLES	64	/* cycles whose collection is checked */
#define GC_LOOP		3000	/* cycles made in the exhaustion loop */

static int
so_error(int s)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len) < 0)
		return -errno;
	return v;
}

static void
test_so_error(int type, const char *tname)
{
	struct pollfd pfd;
	char buf[8];
	int sv[2];

	socketpair(AF_UNIX, type, 0, sv);
	is_long(so_error(sv[0]), 0, "%s: SO_ERROR is 0 on a new pair", tname);
	send(sv[0], "unread", 6, 0);
	close(sv[1]);		/* closes with "unread" queued */
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	ok(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR),
	    "%s: POLLERR after the peer closed with unread data", tname);
	is_errno(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), ECONNRESET,
	    "%s: recv(2) reports ECONNRESET", tname);
	is_long(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), 0,
	    "%s: then end of file", tname);
	is_long(so_error(sv[0]), 0, "%s: the error was cleared", tname);
	close(sv[0]);

	socketpair(AF_UNIX, type, 0, sv);
	send(sv[0], "unread", 6, 0);
	close(sv[1]);
	is_long(so_error(sv[0]), ECONNRESET, "%s: SO_ERROR gives ECONNRESET",
	    tname);
	is_long(so_error(sv[0]), 0, "%s: and clears it", tname);
	is_long(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), 0,
	    "%s: recv(2) then sees end of file", tname);
	close(sv[0]);

	socketpair(AF_UNIX, type, 0, sv);
	close(sv[1]);		/* nothing unread: a plain end of file */
	is_long(so_error(sv[0]), 0, "%s: no error when the peer had read "
	    "everything", tname);
	close(sv[0]);
}

/* Receive one message into *uc; 1 with credentials, 0 without, -errno. */
static int
recv_cred(int s, struct ucred *uc)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct ucred))];
	} cbuf;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	char data[16];

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	if (recvmsg(s, &msg, MSG_DONTWAIT) < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS) {
			memcpy(uc, CMSG_DATA(cm), sizeof(*uc));
			return 1;
		}
	return 0;
}

static void
passcred(int s, int on)
{
	setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
}

static void
test_passcred(int type, const char *tname)
{
	struct ucred uc;
	int sv[2], r;

	/* The receiver's option, set before the send. */
	socketpair(AF_UNIX, type, 0, sv);
	passcred(sv[1], 1);
	send(sv[0], "a", 1, 0);
	memset(&uc, 0, sizeof(uc));
	r = recv_cred(sv[1], &uc);
	ok(r == 1 && uc.pid == getpid() && uc.uid == getuid() &&
	    uc.gid == getgid(), "%s: receiver's SO_PASSCRED: the sender's "
	    "credentials (%d: pid %d uid %d)", tname, r, (int)uc.pid,
	    (int)uc.uid);
	close(sv[0]);
	close(sv[1]);

	/* The sender's option alone: attached, but not delivered. */
	socketpair(AF_UNIX, type, 0, sv);
	passcred(sv[0], 1);
	send(sv[0], "b", 1, 0);
	is_long(recv_cred(sv[1], &uc), 0, "%s: sender's SO_PASSCRED alone: "
	    "no SCM_CREDENTIALS at a receiver without it", tname);
	/* ... and the receiver who asks after the send gets them. */
	send(sv[0], "c", 1, 0);
	passcred(sv[1], 1);
	memset(&uc, 0xff, sizeof(uc));
	r = recv_cred(sv[1], &uc);
	ok(r == 1 && uc.pid == getpid(), "%s: sender's SO_PASSCRED at send "
	    "time, receiver's at receive time: the sender's pid (%d: %d)",
	    tname, r, (int)uc.pid);
	close(sv[0]);
	close(sv[1]);

	/* Neither at send time, the receiver's at receive time: pid 0. */
	socketpair(AF_UNIX, type, 0, sv);
	send(sv[0], "d", 1, 0);
	passcred(sv[1], 1);
	memset(&uc, 0xff, sizeof(uc));
	r = recv_cred(sv[1], &uc);
	ok(r == 1 && uc.pid == 0 && uc.uid == 65534 && uc.gid == 65534,
	    "%s: no SO_PASSCRED at send time: SCM_CREDENTIALS delivered "
	    "with pid 0, the overflow ids (%d: pid %d uid %d gid %d)",
	    tname, r, (int)uc.pid, (int)uc.uid, (int)uc.gid);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Make a cycle: a pair whose ends are each queued on the other (and a
 * third socket queued on one of them, reachable only from the cycle),
 * then close every descriptor.  The inode of one end goes to *inop.
 * Returns 0 or -errno.
 */
static int
make_cycle(unsigned long *inop)
{
	struct stat st;
	int sv[2], x, error;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -errno;
	if ((x = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0) {
		error = -errno;
		goto out;
	}
	if (inop != NULL && fstat(sv[0], &st) == 0)
		*inop = (unsigned long)st.st_ino;
	if (send_fd(sv[0], sv[0]) < 0 || send_fd(sv[1], sv[1]) < 0 ||
	    send_fd(sv[0], x) < 0)
		error = -errno;
	else
		error = 0;
	close(x);
out:
	close(sv[0]);
	close(sv[1]);
	return error;
}

/* How many of inos[n] /proc/net/unix lists; -1 if it cannot be read. */
static int
listed(const unsigned long *inos, int n)
{
	char line[512];
	unsigned long ino;
	FILE *f;
	int i, found = 0;

	if ((f = fopen("/proc/net/unix", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu", &ino) != 1)
			continue;
		for (i = 0; i < n; i++)
			if (inos[i] == ino)
				found++;
	}
	fclose(f);
	return found;
}

static void
test_gc(void)
{
	unsigned long inos[GC_CYCLES], ino;
	struct stat st;
	int i, tries, error = 0, fd;

	memset(inos, 0, sizeof(inos));
	for (i = 0; i < GC_CYCLES && error == 0; i++)
		error = make_cycle(&inos[i]);
	is_long(error, 0, "made %d cycles of sockets in flight", GC_CYCLES);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	fstat(fd, &st);
	ino = (unsigned long)st.st_ino;
	is_long(listed(&ino, 1), 1, "/proc/net/unix lists an open socket "
	    "by its inode");
	close(fd);
	/*
	 * A socket released makes Linux collect (its collector may run a
	 * moment later, on a worker): release one and look again, a
	 * bounded number of times.
	 */
	for (tries = 0; tries < 200; tries++) {
		close(socket(AF_UNIX, SOCK_STREAM, 0));
		if (listed(inos, GC_CYCLES) == 0)
			break;
		conf_sleep_ms(10);
	}
	is_long(listed(inos, GC_CYCLES), 0, "the unreachable cycles were "
	    "collected: none is in /proc/net/unix");

	for (i = 0, error = 0; i < GC_LOOP && error == 0; i++)
		error = make_cycle(NULL);
	is_long(error, 0, "%d more cycles: no send failed", GC_LOOP);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(fd >= 0 && fd < 10, "descriptors were not used up (next %d)", fd);
	close(fd);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_so_error(SOCK_STREAM, "stream");
	test_so_error(SOCK_SEQPACKET, "seqpacket");
	test_passcred(SOCK_STREAM, "stream");
	test_passcred(SOCK_DGRAM, "dgram");
	test_gc();
	return done_testing();
}
