/*
 * System V shared memory (uapi linux/ipc.h, linux/shm.h and the x86_64
 * asm/shmbuf.h, asm-generic/ipcbuf.h; svipc(7), shmget(2), shmop(2),
 * shmctl(2)): the flags of shmget and shmat, the shmctl commands, and the
 * structures shmctl passes.  On x86_64 the C library's struct shmid_ds is
 * the kernel's struct shmid64_ds and the command carries no IPC_64 bit.
 * The keys, flags and struct ipc64_perm every System V IPC call shares
 * are in sys/abi/ipc.h.
 */
#ifndef _SYS_ABI_SHM_H_
#define _SYS_ABI_SHM_H_

#include <sys/abi/ipc.h>

/* shmget(2)'s flags above the nine permission bits. */
#define SHM_HUGETLB	04000	/* huge pages (not supported) */
#define SHM_NORESERVE	010000	/* do not reserve swap */

/* shmat(2)'s flags. */
#define SHM_RDONLY	010000	/* attach read-only */
#define SHM_RND		020000	/* round the address down to SHMLBA */
#define SHM_REMAP	040000	/* replace what is mapped there */
#define SHM_EXEC	0100000	/* attach executable */

/* shmctl(2)'s own commands. */
#define SHM_LOCK	11	/* keep in memory */
#define SHM_UNLOCK	12
#define SHM_STAT	13	/* IPC_STAT by index, for ipcs */
#define SHM_INFO	14	/* usage (struct shm_info) */
#define SHM_STAT_ANY	15	/* SHM_STAT without the read check */

/*
 * Bits of shm_perm.mode above the permissions (the kernel's
 * include/linux/shm.h, glibc's bits/shm.h): removed, waiting for its
 * last detach; locked.
 */
#define SHM_DEST	01000
#define SHM_LOCKED	02000

/* Limits (linux/shm.h): the smallest segment, segments system-wide. */
#define SHMMIN		1
#define SHMMNI		4096
/* The largest segment in bytes and all of them in pages (ULONG_MAX - 2^24). */
#define SHMMAX		(~0UL - (1UL << 24))
#define SHMALL		(~0UL - (1UL << 24))
/* The attach address alignment on x86_64: a page. */
#define SHMLBA		4096

/* struct shmid64_ds: IPC_STAT, IPC_SET, SHM_STAT. */
struct l_shmid64_ds {
	struct l_ipc64_perm shm_perm;
	unsigned long	shm_segsz;	/* bytes */
	long		shm_atime;	/* last shmat, seconds */
	long		shm_dtime;	/* last shmdt */
	long		shm_ctime;	/* creation or last IPC_SET/RMID */
	int		shm_cpid;	/* creator's pid */
	int		shm_lpid;	/* last shmat or shmdt */
	unsigned long	shm_nattch;	/* attachments now */
	unsigned long	__unused4;
	unsigned long	__unused5;
};

/* struct shminfo64: IPC_INFO. */
struct l_shminfo64 {
	unsigned long	shmmax;
	unsigned long	shmmin;
	unsigned long	shmmni;
	unsigned long	shmseg;
	unsigned long	shmall;
	unsigned long	__unused1;
	unsigned long	__unused2;
	unsigned long	__unused3;
	unsigned long	__unused4;
};

/* struct shm_info: SHM_INFO. */
struct l_shm_info {
	int		used_ids;	/* segments */
	unsigned long	shm_tot;	/* pages in all segments */
	unsigned long	shm_rss;	/* pages resident */
	unsigned long	shm_swp;	/* pages swapped */
	unsigned long	swap_attempts;
	unsigned long	swap_successes;
};

_Static_assert(sizeof(struct l_shmid64_ds) == 112, "l_shmid64_ds");
_Static_assert(__builtin_offsetof(struct l_shmid64_ds, shm_nattch) == 88,
    "shm_nattch");
_Static_assert(sizeof(struct l_shm_info) == 48, "l_shm_info");

#endif /* _SYS_ABI_SHM_H_ */
