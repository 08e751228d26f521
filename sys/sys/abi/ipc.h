/*
 * What every System V IPC call shares (uapi linux/ipc.h and the x86_64
 * asm-generic/ipcbuf.h; svipc(7)): keys, the flags of the get calls, the
 * control commands common to shmctl, semctl and msgctl, and struct
 * ipc64_perm, the owner and permissions in each *id64_ds.  Includes
 * nothing.
 */
#ifndef _SYS_ABI_IPC_H_
#define _SYS_ABI_IPC_H_

/* svipc(7): keys, and the flags every System V IPC get call takes. */
#define IPC_PRIVATE	0		/* a new object no key names */
#define IPC_CREAT	00001000	/* create if the key is unused */
#define IPC_EXCL	00002000	/* with IPC_CREAT: fail if it exists */
#define IPC_NOWAIT	00004000	/* do not wait (messages, semaphores) */

/* The control commands every *ctl call shares. */
#define IPC_RMID	0	/* remove */
#define IPC_SET		1	/* set uid, gid and mode */
#define IPC_STAT	2	/* read the struct *id_ds */
#define IPC_INFO	3	/* the limits (struct shminfo64, seminfo) */

/* struct ipc64_perm: the owner and permissions of an IPC object. */
struct l_ipc64_perm {
	int		key;		/* key_t */
	unsigned int	uid;		/* owner */
	unsigned int	gid;
	unsigned int	cuid;		/* creator */
	unsigned int	cgid;
	unsigned int	mode;		/* permissions, the kind's bits */
	unsigned short	seq;		/* slot usage sequence number */
	unsigned short	__pad2;
	unsigned long	__unused1;
	unsigned long	__unused2;
};

_Static_assert(sizeof(struct l_ipc64_perm) == 48, "l_ipc64_perm");

#endif /* _SYS_ABI_IPC_H_ */
