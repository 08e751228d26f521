/*
 * What the Unix-socket tests share: passing a descriptor with
 * SCM_RIGHTS.
 */
#ifndef _CONF_UNIXUTIL_H_
#define _CONF_UNIXUTIL_H_

#include <string.h>
#include <sys/socket.h>

/* sendmsg with one SCM_RIGHTS descriptor (and data "F"): its result. */
static inline long
send_fd(int sock, int fd)
{
	union {
		struct cmsghdr	cm;
		char		buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg;
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	memset(&u, 0, sizeof(u));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0);
}

#endif /* _CONF_UNIXUTIL_H_ */
