/*
 * POSIX message queues (uapi linux/mqueue.h; mq_overview(7)): the
 * attributes mq_open(2) and mq_getsetattr(2) pass, and the limits.
 * mq_notify(2) takes a struct l_sigevent (signal.h).  Includes nothing.
 */
#ifndef _SYS_ABI_MQUEUE_H_
#define _SYS_ABI_MQUEUE_H_

#define MQ_PRIO_MAX	32768	/* priorities are 0 .. MQ_PRIO_MAX - 1 */
#define MQ_BYTES_MAX	819200	/* RLIMIT_MSGQUEUE's default */

/* SIGEV_THREAD: the bytes of the cookie sigev_value points at. */
#define NOTIFY_COOKIE_LEN	32

/* struct mq_attr */
struct l_mq_attr {
	long	mq_flags;	/* 0 or O_NONBLOCK */
	long	mq_maxmsg;	/* the most messages queued */
	long	mq_msgsize;	/* the largest message, bytes */
	long	mq_curmsgs;	/* messages queued now (output only) */
	long	__reserved[4];	/* ignored on input, zeroed on output */
};

_Static_assert(sizeof(struct l_mq_attr) == 64, "l_mq_attr");
_Static_assert(__builtin_offsetof(struct l_mq_attr, mq_curmsgs) == 24,
    "mq_curmsgs");

#endif /* _SYS_ABI_MQUEUE_H_ */
