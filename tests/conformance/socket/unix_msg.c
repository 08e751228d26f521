/*
 * unix(7) messages: a datagram to a bound name and the sender's address,
 * MSG_TRUNC (flag and result), a connected datagram socket whose peer
 * closed (ECONNREFUSED), ENOENT for a missing name, seqpacket record
 * boundaries and end of file, MSG_WAITALL across writes, SCM_RIGHTS (a
 * descriptor passed and used, MSG_CTRUNC, descriptors in flight released
 * when the receiving socket closes, MSG_CMSG_CLOEXEC), SCM_CREDENTIALS
 * with SO_PASSCRED (the sender's own, root's claim of other ids, EPERM
 * for an ordinary user's), sendmmsg/recvmmsg.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "unixutil.h"

static struct sockaddr_un
path_addr(const char *name, socklen_t *len)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/tmp/conf-unixm-%d-%s",
	    (int)getpid(), name);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(sun.sun_path) +
	    1;
	return sun;
}

static void
test_dgram(void)
{
	struct sockaddr_un sun, csun, from;
	socklen_t len, clen, fl;
	struct msghdr msg;
	struct iovec iov;
	char buf[64];
	int s, c, c2;

	sun = path_addr("dgram", &len);
	csun = path_addr("dgramc", &clen);
	unlink(sun.sun_path);
	unlink(csun.sun_path);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	is_success(bind(s, (struct sockaddr *)&sun, len), "bind(2) a "
	    "datagram socket");
	is_long(sendto(c, "one", 3, 0, (struct sockaddr *)&sun, len), 3,
	    "sendto(2) a bound name from an unbound socket");
	fl = sizeof(from);
	is_long(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl), 3, "recvfrom(2)");
	is_long(fl, 0, "recvfrom(2): an unbound sender has no address");
	is_success(bind(c, (struct sockaddr *)&csun, clen), "bind(2) the "
	    "sender");
	is_long(sendto(c, "two!", 4, 0, (struct sockaddr *)&sun, len), 4,
	    "sendto(2) from a bound socket");
	fl = sizeof(from);
	is_long(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl), 4, "recvfrom(2)");
	is_long(fl, clen, "recvfrom(2): the sender's address length");
	is_str(from.sun_path, csun.sun_path, "recvfrom(2): the sender's path");

	/* MSG_TRUNC */
	is_long(sendto(c, "0123456789", 10, 0, (struct sockaddr *)&sun, len),
	    10, "a 10-byte datagram");
	is_long(sendto(c, "abcdefghij", 10, 0, (struct sockaddr *)&sun, len),
	    10, "another");
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = 4;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	is_long(recvmsg(s, &msg, 0), 4, "recvmsg(2) into 4 bytes gets 4");
	ok(msg.msg_flags & MSG_TRUNC, "... with MSG_TRUNC in msg_flags");
	is_long(recv(s, buf, 4, MSG_TRUNC), 10, "recv(2) MSG_TRUNC returns "
	    "the datagram's real length");
	is_mem(buf, "abcd", 4, "the rest of the first datagram is gone");
	is_errno(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
	    "an empty datagram socket: EAGAIN");
	is_long(send(c, "z", 0, MSG_DONTWAIT) < 0 ? errno : 0, ENOTCONN,
	    "send(2) on an unconnected datagram socket: ENOTCONN");

	/* Connected to a socket that closes. */
	c2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	is_success(connect(c2, (struct sockaddr *)&sun, len), "connect(2) a "
	    "datagram socket");
	is_long(send(c2, "hi", 2, 0), 2, "send(2) to the connected name");
	is_long(recv(s, buf, sizeof(buf), 0), 2, "received");
	close(s);
	is_errno(send(c2, "hi", 2, 0), ECONNREFUSED, "send(2) after the peer "
	    "closed: ECONNREFUSED");
	is_errno(send(c2, "hi", 2, 0), ENOTCONN, "then ENOTCONN");
	unlink(sun.sun_path);
	is_errno(sendto(c, "x", 1, 0, (struct sockaddr *)&sun, len), ENOENT,
	    "sendto(2) a missing name: ENOENT");
	close(c);
	close(c2);
	unlink(csun.sun_path);
}

static void
test_seqpacket(void)
{
	struct msghdr msg;
	struct iovec iov;
	char buf[64];
	int sv[2];

	is_success(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv),
	    "socketpair(2) SOCK_SEQPACKET");
	is_long(write(sv[0], "first", 5), 5, "write a record");
	is_long(write(sv[0], "second", 6), 6, "write another");
	is_long(read(sv[1], buf, sizeof(buf)), 5, "read(2) returns one "
	    "record");
	is_mem(buf, "first", 5, "the first");
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = 3;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	is_long(recvmsg(sv[1], &msg, 0), 3, "a short read of a record");
	ok(msg.msg_flags & MSG_TRUNC, "MSG_TRUNC");
	is_long(write(sv[0], "third", 5), 5, "and one more");
	is_long(read(sv[1], buf, sizeof(buf)), 5, "the rest of the "
	    "truncated record is gone");
	is_mem(buf, "third", 5, "the third record");
	close(sv[0]);
	is_long(read(sv[1], buf, sizeof(buf)), 0, "end of file once the peer "
	    "closed");
	close(sv[1]);
}

static void
test_waitall(void)
{
	char buf[16];
	int sv[2];
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(20);
		if (write(sv[1], "abc", 3) != 3)
			_exit(1);
		conf_sleep_ms(20);
		if (write(sv[1], "defgh", 5) != 5)
			_exit(1);
		_exit(0);
	}
	is_long(recv(sv[0], buf, 8, MSG_WAITALL), 8, "MSG_WAITALL waits for "
	    "all 8 bytes across two writes");
	is_mem(buf, "abcdefgh", 8, "in order");
	is_exit(conf_wait(pid), 0, "writer");
	close(sv[0]);
	close(sv[1]);
}

/* recvmsg a descriptor: returns it, -2 with none, or -1. */
static int
recv_fd(int sock, size_t ctlspace, int flags, int *msgflags)
{
	union {
		struct cmsghdr	cm;
		char		buf[CMSG_SPACE(sizeof(int) * 4)];
	} u;
	struct msghdr msg;
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct cmsghdr *cm;
	int fd = -2;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctlspace > 0 ? u.buf : NULL;
	msg.msg_controllen = ctlspace;
	if (recvmsg(sock, &msg, flags) < 0)
		return -1;
	*msgflags = msg.msg_flags;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void
test_rights(void)
{
	int sv[2], p[2], fd, mf = 0;
	char buf[8];
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	if ((pid = conf_fork()) == 0) {
		/* The child gets the pipe's write end through the socket. */
		close(p[1]);
		close(p[0]);
		fd = recv_fd(sv[1], CMSG_SPACE(sizeof(int)), 0, &mf);
		if (fd < 0)
			_exit(1);
		_exit(write(fd, "via", 3) == 3 ? 0 : 2);
	}
	is_long(send_fd(sv[0], p[1]), 1, "sendmsg(2) SCM_RIGHTS");
	close(p[1]);
	is_exit(conf_wait(pid), 0, "the child received the descriptor and "
	    "wrote through it");
	is_long(read(p[0], buf, sizeof(buf)), 3, "the bytes came through "
	    "the passed pipe");
	is_long(read(p[0], buf, sizeof(buf)), 0, "and every writer is gone");
	close(p[0]);

	/* MSG_CTRUNC: no room for the descriptor. */
	pipe(p);
	send_fd(sv[0], p[1]);
	close(p[1]);
	is_long(recv_fd(sv[1], 0, 0, &mf), -2, "recvmsg(2) without control "
	    "room gets no descriptor");
	ok(mf & MSG_CTRUNC, "... and MSG_CTRUNC");
	is_long(read(p[0], buf, sizeof(buf)), 0, "the dropped descriptor was "
	    "closed");
	close(p[0]);

	/* MSG_CMSG_CLOEXEC */
	pipe(p);
	send_fd(sv[0], p[1]);
	fd = recv_fd(sv[1], CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, &mf);
	ok(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "MSG_CMSG_CLOEXEC");
	close(fd);
	close(p[1]);
	close(p[0]);

	/* In flight when the receiver closes. */
	pipe(p);
	is_long(send_fd(sv[0], p[1]), 1, "send a descriptor nobody receives");
	close(p[1]);
	close(sv[1]);
	is_long(read(p[0], buf, sizeof(buf)), 0, "closing the receiving "
	    "socket closes the descriptor in flight (EOF on the pipe)");
	close(p[0]);
	close(sv[0]);
	is_errno(send_fd(-1, 0), EBADF, "sendmsg(2) on a bad "
	    "descriptor: EBADF");
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	is_errno(send_fd(sv[0], 999), EBADF, "SCM_RIGHTS with a descriptor "
	    "that is not open: EBADF");
	close(sv[0]);
	close(sv[1]);
}

/* sendmsg with SCM_CREDENTIALS uc; returns sendmsg's result. */
static long
send_cred(int sock, const struct ucred *uc)
{
	union {
		struct cmsghdr	cm;
		char		buf[CMSG_SPACE(sizeof(struct ucred))];
	} u;
	struct msghdr msg;
	struct iovec iov = { .iov_base = "C", .iov_len = 1 };
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	memset(&u, 0, sizeof(u));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (uc != NULL) {
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof(*uc));
		memcpy(CMSG_DATA(cm), uc, sizeof(*uc));
	}
	return sendmsg(sock, &msg, 0);
}

/* recvmsg the credentials into uc; returns 1 when there were some. */
static int
recv_cred(int sock, struct ucred *uc)
{
	union {
		struct cmsghdr	cm;
		char		buf[CMSG_SPACE(sizeof(struct ucred))];
	} u;
	struct msghdr msg;
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	if (recvmsg(sock, &msg, 0) < 0)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS) {
			memcpy(uc, CMSG_DATA(cm), sizeof(*uc));
			return 1;
		}
	return 0;
}

static void
cred_child(void *arg)
{
	int *sv = arg;
	struct ucred uc = { .pid = getpid(), .uid = 0, .gid = 0 };

	conf_drop_privileges();
	if (send_cred(sv[0], &uc) >= 0)
		_exit(1);
	if (errno != EPERM)
		_exit(2);
	uc.uid = getuid();
	uc.gid = getgid();
	_exit(send_cred(sv[0], &uc) == 1 ? 0 : 3);
}

static void
test_cred(void)
{
	struct ucred uc, got;
	int sv[2], on = 1;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	is_success(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on,
	    sizeof(on)), "SO_PASSCRED");
	is_long(send_cred(sv[0], NULL), 1, "send without credentials");
	memset(&got, 0, sizeof(got));
	is_long(recv_cred(sv[1], &got), 1, "SO_PASSCRED: the receiver gets "
	    "SCM_CREDENTIALS anyway");
	ok(got.pid == getpid() && got.uid == getuid() && got.gid == getgid(),
	    "... the sender's pid, uid and gid");
	uc.pid = getpid();
	uc.uid = 1234;
	uc.gid = 5678;
	is_long(send_cred(sv[0], &uc), 1, "root may send other ids");
	memset(&got, 0, sizeof(got));
	recv_cred(sv[1], &got);
	ok(got.uid == 1234 && got.gid == 5678, "the claimed ids arrive");
	is_exit(conf_in_child(cred_child, sv), 0, "an ordinary user: EPERM "
	    "for root's ids, its own go");
	memset(&got, 0, sizeof(got));
	recv_cred(sv[1], &got);
	is_long(got.uid, 65534, "the user's own credentials arrive");
	close(sv[0]);
	close(sv[1]);
}

static void
test_mmsg(void)
{
	struct mmsghdr mm[3];
	struct iovec iov[3];
	char bufs[3][8];
	int sv[2], i;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		memcpy(bufs[i], "msg0", 4);
		bufs[i][3] = '0' + i;
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = 4;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	is_long(sendmmsg(sv[0], mm, 3, 0), 3, "sendmmsg(2) sends 3");
	memset(bufs, 0, sizeof(bufs));
	for (i = 0; i < 3; i++)
		iov[i].iov_len = 8;
	is_long(recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL), 3, "recvmmsg(2) "
	    "receives 3");
	ok(mm[2].msg_len == 4 && memcmp(bufs[2], "msg2", 4) == 0,
	    "recvmmsg(2): lengths and data");
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	close(sv[1]);
	is_errno(send(sv[0], "x", 1, MSG_NOSIGNAL), ECONNREFUSED,
	    "a datagram socketpair whose other end closed: ECONNREFUSED");
	close(sv[0]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_dgram();
	test_seqpacket();
	test_waitall();
	test_rights();
	test_cred();
	test_mmsg();
	return done_testing();
}
