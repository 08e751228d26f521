/*
 * epoll(7): epoll_create1's flag, epoll_ctl's operations, the event bits
 * and struct epoll_event, which is packed on x86_64 (uapi
 * linux/eventpoll.h).  Includes nothing.
 */
#ifndef _SYS_ABI_EVENTPOLL_H_
#define _SYS_ABI_EVENTPOLL_H_

#define EPOLL_CLOEXEC	02000000	/* O_CLOEXEC */

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

/* The readiness bits are poll(2)'s (<sys/abi/poll.h>). */
#define EPOLLIN		0x00000001
#define EPOLLPRI	0x00000002
#define EPOLLOUT	0x00000004
#define EPOLLERR	0x00000008
#define EPOLLHUP	0x00000010
#define EPOLLNVAL	0x00000020
#define EPOLLRDNORM	0x00000040
#define EPOLLRDBAND	0x00000080
#define EPOLLWRNORM	0x00000100
#define EPOLLWRBAND	0x00000200
#define EPOLLMSG	0x00000400
#define EPOLLRDHUP	0x00002000
/* Input flags. */
#define EPOLLEXCLUSIVE	(1U << 28)	/* wake one of several epolls */
#define EPOLLWAKEUP	(1U << 29)	/* keep the system awake */
#define EPOLLONESHOT	(1U << 30)	/* disarm after one event */
#define EPOLLET		(1U << 31)	/* edge triggered */

struct l_epoll_event {
	unsigned int	 events;
	unsigned long	 data;		/* the caller's, returned as is */
} __attribute__((packed));

_Static_assert(sizeof(struct l_epoll_event) == 12, "l_epoll_event");
_Static_assert(__builtin_offsetof(struct l_epoll_event, data) == 4, "data");

#endif /* _SYS_ABI_EVENTPOLL_H_ */
