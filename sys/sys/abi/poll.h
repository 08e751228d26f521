/*
 * poll(2), ppoll(2), select(2) and pselect6(2): the pollfd structure, the
 * event bits (uapi asm-generic/poll.h) and the select bitmap (uapi
 * linux/posix_types.h's __kernel_fd_set).  Includes nothing.
 */
#ifndef _SYS_ABI_POLL_H_
#define _SYS_ABI_POLL_H_

#define POLLIN		0x0001	/* data to read */
#define POLLPRI		0x0002	/* urgent data */
#define POLLOUT		0x0004	/* room to write */
#define POLLERR		0x0008	/* an error (a write end without reader) */
#define POLLHUP		0x0010	/* the other side hung up */
#define POLLNVAL	0x0020	/* fd is not open */
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLRDHUP	0x2000	/* the peer shut its writing side */

struct l_pollfd {
	int		 fd;
	short		 events;	/* asked for */
	short		 revents;	/* returned */
};

_Static_assert(sizeof(struct l_pollfd) == 8, "l_pollfd");
_Static_assert(__builtin_offsetof(struct l_pollfd, revents) == 6,
    "revents");

#define L_FD_SETSIZE	1024	/* __FD_SETSIZE */

struct l_fd_set {
	unsigned long	 fds_bits[L_FD_SETSIZE / (8 * sizeof(long))];
};

_Static_assert(sizeof(struct l_fd_set) == 128, "l_fd_set");

#endif /* _SYS_ABI_POLL_H_ */
