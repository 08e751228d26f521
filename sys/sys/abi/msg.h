/*
 * System V message queues (uapi linux/msg.h and the x86_64
 * asm-generic/msgbuf.h; svipc(7), msgget(2), msgop(2), msgctl(2)): the
 * flags of msgrcv, the msgctl commands, the limits, and the structures
 * msgsnd, msgrcv and msgctl pass.  On x86_64 the C library's struct
 * msqid_ds is the kernel's struct msqid64_ds and the command carries no
 * IPC_64 bit.  The keys, the IPC_* flags and commands and struct
 * l_ipc64_perm that every System V IPC call shares are in
 * sys/abi/ipc.h, which this header includes.
 */
#ifndef _SYS_ABI_MSG_H_
#define _SYS_ABI_MSG_H_

#include <sys/abi/ipc.h>

/* msgrcv(2)'s flags (IPC_NOWAIT is svipc(7)'s). */
#define MSG_NOERROR	010000	/* truncate a message too long for the buffer */
#define MSG_EXCEPT	020000	/* the first message not of msgtyp */
#define MSG_COPY	040000	/* copy message number msgtyp, leave it */

/* msgctl(2)'s own commands. */
#define MSG_STAT	11	/* IPC_STAT by index, for ipcs */
#define MSG_INFO	12	/* usage (struct msginfo) */
#define MSG_STAT_ANY	13	/* MSG_STAT without the read check */

/*
 * Limits (linux/msg.h; /proc/sys/kernel/msgmni, msgmax and msgmnb are
 * these at boot): queues system-wide, the largest message, a new queue's
 * msg_qbytes.  MSGSSZ and MSGSEG are what IPC_INFO reports of Linux's old
 * segmented allocator (MSGSEG is its 0xffff cap).
 */
#define MSGMNI		32000
#define MSGMAX		8192
#define MSGMNB		16384
#define MSGSSZ		16
#define MSGSEG		0xffff
/* IPC_INFO's msgpool (KiB), msgmap and msgtql: linux/msg.h's formulas. */
#define MSGPOOL		(MSGMNI * MSGMNB / 1024)
#define MSGMAP		MSGMNB
#define MSGTQL		MSGMNB

/* struct msgbuf: what msgsnd reads and msgrcv writes. */
struct l_msgbuf {
	long		mtype;		/* > 0 */
	char		mtext[];	/* msgsz bytes */
};

/* struct msqid64_ds: IPC_STAT, IPC_SET, MSG_STAT. */
struct l_msqid64_ds {
	struct l_ipc64_perm msg_perm;
	long		msg_stime;	/* last msgsnd, seconds */
	long		msg_rtime;	/* last msgrcv */
	long		msg_ctime;	/* creation or last IPC_SET */
	unsigned long	msg_cbytes;	/* bytes in the queue */
	unsigned long	msg_qnum;	/* messages in the queue */
	unsigned long	msg_qbytes;	/* the most bytes it may hold */
	int		msg_lspid;	/* last msgsnd's pid */
	int		msg_lrpid;	/* last msgrcv's pid */
	unsigned long	__unused4;
	unsigned long	__unused5;
};

/* struct msginfo: IPC_INFO (the limits) and MSG_INFO (the usage). */
struct l_msginfo {
	int		msgpool;	/* MSG_INFO: queues in use */
	int		msgmap;		/* MSG_INFO: messages */
	int		msgmax;
	int		msgmnb;
	int		msgmni;
	int		msgssz;
	int		msgtql;		/* MSG_INFO: bytes of messages */
	unsigned short	msgseg;
};

_Static_assert(sizeof(struct l_msqid64_ds) == 120, "l_msqid64_ds");
_Static_assert(__builtin_offsetof(struct l_msqid64_ds, msg_lspid) == 96,
    "msg_lspid");
_Static_assert(sizeof(struct l_msginfo) == 32, "l_msginfo");

#endif /* _SYS_ABI_MSG_H_ */
