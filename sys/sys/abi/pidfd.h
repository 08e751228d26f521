/*
 * pidfd_open(2)'s and pidfd_send_signal(2)'s flags (linux/pidfd.h).
 * Includes nothing.
 */
#ifndef _SYS_ABI_PIDFD_H_
#define _SYS_ABI_PIDFD_H_

/* pidfd_open(2) */
#define PIDFD_NONBLOCK	00004000	/* O_NONBLOCK: waitid is EAGAIN */
#define PIDFD_THREAD	00000200	/* O_EXCL: a thread's (unsupported) */

/* pidfd_send_signal(2): whom the signal goes to */
#define PIDFD_SIGNAL_THREAD		(1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP	(1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP	(1U << 2)

#endif /* _SYS_ABI_PIDFD_H_ */
