/*
 * What System V shared memory, semaphores and message queues share
 * (sys/kern/sysv_ipc.c): an object's key, id, owner and permissions, the
 * checks on them, and a table of objects by slot that turns ids into
 * objects.  The ABI is in sys/abi/ipc.h.
 *
 * Each kind keeps its own table and its own lock; these functions take
 * no lock and are called with the kind's lock held.  An object's first
 * member is its struct ipc_kperm, so that a table of them can hold any
 * kind: (struct sem_set *)ipc_id_lookup(&sem_ids, id).
 *
 * Identifiers.  An object lives in one of the table's slots; its id is
 * the slot index plus IPC_SEQ_MUL times a sequence number that grows with
 * each object made, so that the id of a removed object does not name the
 * slot's next one (Linux's scheme: ids and ipcs(1) output look alike).
 */
#ifndef _SYS_IPC_H_
#define _SYS_IPC_H_

#include <sys/systm.h>
#include <sys/types.h>

struct l_ipc64_perm;
struct spinlock;

#define IPC_SEQ_MUL	32768		/* Linux's SEQ_MULTIPLIER (IPCMNI) */
#define IPC_SEQ_MAX	65535		/* Linux's IPCID_SEQ_MAX */
#define IPC_PERMS	0777		/* S_IRWXUGO */
#define IPC_UID_BAD	0xffffffffU	/* (uid_t)-1: not an id (IPC_SET) */

/*
 * The owner and permissions of an object.
 *
 * Locks protecting members of this struct:
 *	I	immutable after ipc_id_alloc()
 *	k	the lock of the object's kind (shm_lock, sem_lock, ...)
 */
struct ipc_kperm {
	int		 ip_key;	/* [k] IPC_PRIVATE once removed */
	int		 ip_id;		/* [I] */
	unsigned short	 ip_seq;	/* [I] */
	uint32_t	 ip_uid;	/* [k] owner */
	uint32_t	 ip_gid;	/* [k] */
	uint32_t	 ip_cuid;	/* [I] creator */
	uint32_t	 ip_cgid;	/* [I] */
	uint32_t	 ip_mode;	/* [k] IPC_PERMS, and the kind's bits */
};

/*
 * A kind's objects by slot.
 *	I	immutable
 *	k	the kind's lock
 */
struct ipc_ids {
	struct ipc_kperm **ii_slots;	/* [I] ii_nslots of them; [k] each */
	int		 ii_nslots;	/* [I] */
	int		 ii_used;	/* [k] objects */
	int		 ii_bound;	/* [k] slots ever used: a bound */
	unsigned short	 ii_nextseq;	/* [k] */
};

#define IPC_IDS_INIT(slots, n)	{ (slots), (n), 0, 0, 0 }

#define IPC_DS_MAX	128	/* bytes: the largest struct l_*id64_ds */

/*
 * What the kind-independent *ctl code knows of a kind.
 *	I	immutable
 */
struct ipc_kind {
	struct spinlock	*ik_lock;	/* [I] the kind's lock */
	struct ipc_ids	*ik_ids;	/* [I] its objects, under ik_lock */
	int		 ik_stat_any;	/* [I] its *_STAT_ANY command */
	size_t		 ik_dssize;	/* [I] its struct l_*id64_ds */
	/* [I] Fill ds (zeroed) from perm's object; ik_lock held. */
	void		(*ik_stat)(const struct ipc_kperm *perm, void *ds);
};

/*
 * Make perm the caller's (owner and creator: its effective ids), with
 * key and the permission bits of flg.  No lock.
 */
void	ipc_perm_init(struct ipc_kperm *perm, int key, int flg);
/*
 * May the caller have access acc (a mask of 0444, 0222, 0111) to the
 * object?  Linux's ipcperms: owner's, group's or others' bits; root may
 * do anything.  Kind's lock held.  Returns 0 or -EACCES.
 */
int	ipc_access(const struct ipc_kperm *perm, unsigned int acc);
/*
 * May the caller change or remove the object (IPC_SET, IPC_RMID): its
 * owner, creator, or root?  Kind's lock held.  Returns 0 or -EPERM.
 */
int	ipc_owner(const struct ipc_kperm *perm);
/*
 * IPC_SET: take uid, gid and the permission bits from p.  Kind's lock.
 * Returns 0, or -EINVAL when uid or gid is (uid_t)-1 (perm unchanged).
 */
int	ipc_perm_set(struct ipc_kperm *perm, const struct l_ipc64_perm *p);
/* IPC_STAT: perm as user space sees it (mode: the kind's bits too). */
void	ipc_perm_stat(const struct ipc_kperm *perm, struct l_ipc64_perm *p);
/*
 * Put perm's object into ids' lowest free slot and give it its id.
 * Kind's lock held.  Returns the id, or -ENOSPC (every slot taken).
 */
int	ipc_id_alloc(struct ipc_ids *ids, struct ipc_kperm *perm);
/* Take perm's object out of its slot: no id or key finds it.  Kind's lock. */
void	ipc_id_free(struct ipc_ids *ids, struct ipc_kperm *perm);
/* The object named by id, or NULL (a free slot, a stale id).  Kind's lock. */
struct ipc_kperm *ipc_id_lookup(const struct ipc_ids *ids, int id);
/*
 * The object in slot idx (*_STAT, /proc/sysvipc; an id's sequence bits
 * are ignored), or NULL.  Kind's lock.
 */
struct ipc_kperm *ipc_idx_lookup(const struct ipc_ids *ids, int idx);
/* The object with key (not IPC_PRIVATE), or NULL.  Kind's lock. */
struct ipc_kperm *ipc_key_lookup(const struct ipc_ids *ids, int key);
/*
 * The object named by id, if the caller may have access acc to it (0:
 * any caller).  Kind's lock held.  Returns 0 and *permp, -EINVAL (no
 * such object) or -EACCES.
 */
int	ipc_get(const struct ipc_ids *ids, int id, unsigned int acc,
	    struct ipc_kperm **permp);
/*
 * The object named by id for IPC_SET or IPC_RMID (ipc_owner).  Kind's
 * lock held.  Returns 0 and *permp, -EINVAL or -EPERM.
 */
int	ipc_get_owner(const struct ipc_ids *ids, int id,
	    struct ipc_kperm **permp);
/*
 * IPC_STAT (by id), and the kind's *_STAT and *_STAT_ANY (by slot index):
 * the object's struct l_*id64_ds to buf.  Read access is needed but for
 * *_STAT_ANY.  Takes the kind's lock.  Returns 0 (IPC_STAT) or the
 * object's id, -EINVAL, -EACCES or -EFAULT.
 */
long	ipc_ctl_stat(const struct ipc_kind *k, int id, int cmd,
	    void __user *buf);
/*
 * The next object at slot *idxp or above for /proc/sysvipc (start with
 * *idxp 0), *idxp set past it; NULL after the last.  Kind's lock held.
 */
struct ipc_kperm *ipc_next(const struct ipc_ids *ids, int *idxp);
/* The highest slot in use, or 0 (the *_INFO commands' result).  Kind's. */
int	ipc_maxidx(const struct ipc_ids *ids);
/* The time now in seconds, for the *_time fields. */
int64_t	ipc_now(void);
/* The caller's pid, for the *_pid fields (0 for a kernel thread). */
int	ipc_curpid(void);

#endif /* _SYS_IPC_H_ */
