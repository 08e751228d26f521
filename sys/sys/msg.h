/*
 * System V message queues (sys/kern/sysv_msg.c): what the rest of the
 * kernel sees of them.  The system calls are in sysproto.h; the ABI in
 * sys/abi/msg.h.
 */
#ifndef _SYS_MSG_H_
#define _SYS_MSG_H_

struct pfsbuf;

/* /proc/sysvipc/msg: every queue, as Linux lists them.  msg_lock. */
int	msg_pfs_print(struct pfsbuf *sb, int pid, int tid);

#endif /* _SYS_MSG_H_ */
