/*
 * System V semaphores (uapi linux/sem.h and the x86_64 asm/sembuf.h;
 * svipc(7), semget(2), semop(2), semctl(2)): semop's flag, the semctl
 * commands, the limits, and the structures semop and semctl pass.  On
 * x86_64 the C library's struct semid_ds is the kernel's struct
 * semid64_ds and the command carries no IPC_64 bit.  The keys, flags
 * and struct ipc64_perm are in sys/abi/ipc.h.
 */
#ifndef _SYS_ABI_SEM_H_
#define _SYS_ABI_SEM_H_

#include <sys/abi/ipc.h>

/* semop(2)'s flag (with IPC_NOWAIT): undo the operation at exit. */
#define SEM_UNDO	0x1000

/* semctl(2)'s own commands. */
#define GETPID		11	/* the pid of the last operation */
#define GETVAL		12
#define GETALL		13
#define GETNCNT		14	/* threads waiting for an increase */
#define GETZCNT		15	/* threads waiting for zero */
#define SETVAL		16
#define SETALL		17
#define SEM_STAT	18	/* IPC_STAT by index, for ipcs */
#define SEM_INFO	19	/* usage (struct seminfo) */
#define SEM_STAT_ANY	20	/* SEM_STAT without the read check */

/* Limits (linux/sem.h): sets, semaphores a set, operations a call. */
#define SEMMNI		32000
#define SEMMSL		32000
#define SEMMNS		(SEMMNI * SEMMSL)
#define SEMOPM		500
#define SEMVMX		32767	/* the largest value */
#define SEMAEM		SEMVMX	/* the largest adjustment at exit */
#define SEMUME		SEMOPM
#define SEMMNU		SEMMNS
#define SEMMAP		SEMMNS
#define SEMUSZ		20

/* struct sembuf: one operation of semop(2). */
struct l_sembuf {
	unsigned short	sem_num;	/* the semaphore's index */
	short		sem_op;		/* > 0 add, < 0 take, 0 wait for 0 */
	short		sem_flg;	/* IPC_NOWAIT, SEM_UNDO */
};

/* struct semid64_ds: IPC_STAT, IPC_SET, SEM_STAT. */
struct l_semid64_ds {
	struct l_ipc64_perm sem_perm;
	long		sem_otime;	/* last semop, seconds */
	unsigned long	__unused1;
	long		sem_ctime;	/* creation or last change */
	unsigned long	__unused2;
	unsigned long	sem_nsems;	/* semaphores in the set */
	unsigned long	__unused3;
	unsigned long	__unused4;
};

/* struct seminfo: IPC_INFO (limits) and SEM_INFO (limits and usage). */
struct l_seminfo {
	int		semmap;
	int		semmni;
	int		semmns;
	int		semmnu;
	int		semmsl;
	int		semopm;
	int		semume;
	int		semusz;		/* SEM_INFO: sets in use */
	int		semvmx;
	int		semaem;		/* SEM_INFO: semaphores in use */
};

_Static_assert(sizeof(struct l_sembuf) == 6, "l_sembuf");
_Static_assert(sizeof(struct l_semid64_ds) == 104, "l_semid64_ds");
_Static_assert(sizeof(struct l_seminfo) == 40, "l_seminfo");

#endif /* _SYS_ABI_SEM_H_ */
