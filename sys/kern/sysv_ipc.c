/*
 * What the System V IPC kinds share (svipc(7)): keys, ids by slot, and
 * the owner and permission checks, as Linux's ipc/util.c behaves.  The
 * interface and the id scheme are described in sys/ipc.h.  Nothing here
 * takes a lock: every function runs under the lock of the object's kind.
 */
#include <sys/abi/ipc.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/ipc.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

/*
 * Make perm the caller's: its effective uid and gid own and created the
 * object; key and the permission bits of flg.  No lock.
 */
void
ipc_perm_init(struct ipc_kperm *perm, int key, int flg)
{
	const struct proc *p = curproc;

	perm->ip_key = key;
	perm->ip_uid = perm->ip_cuid = p->p_euid;
	perm->ip_gid = perm->ip_cgid = p->p_egid;
	perm->ip_mode = flg & IPC_PERMS;
}

/*
 * May the caller have access acc (a mask of 0444, 0222, 0111: the bits
 * for anyone) to the object?  The owner's or creator's bits apply to
 * them, the group's to a member of the owner's or creator's group, the
 * others' to the rest; root may do anything (Linux's ipcperms,
 * CAP_IPC_OWNER).  Two owners and two groups, so not vn_mode_access's
 * rule.  Kind's lock held.  Returns 0 or -EACCES.
 */
int
ipc_access(const struct ipc_kperm *perm, unsigned int acc)
{
	const struct proc *p = curproc;
	unsigned int granted = perm->ip_mode, want;

	want = (acc >> 6 | acc >> 3 | acc) & 07;
	if (p->p_euid == perm->ip_cuid || p->p_euid == perm->ip_uid)
		granted >>= 6;
	else if (vn_groupmember(p, perm->ip_cgid, false) ||
	    vn_groupmember(p, perm->ip_gid, false))
		granted >>= 3;
	if ((want & ~granted & 07) != 0 && p->p_euid != 0)
		return -EACCES;
	return 0;
}

/*
 * May the caller change or remove the object (IPC_SET, IPC_RMID)?  Its
 * owner or creator, or root (CAP_SYS_ADMIN).  Kind's lock held.  Returns
 * 0 or -EPERM.
 */
int
ipc_owner(const struct ipc_kperm *perm)
{
	const struct proc *p = curproc;

	if (p->p_euid == 0 || p->p_euid == perm->ip_uid ||
	    p->p_euid == perm->ip_cuid)
		return 0;
	return -EPERM;
}

/*
 * IPC_SET: the owner's uid and gid and the permission bits from p; the
 * kind's own mode bits stay.  Kind's lock held.  Returns 0, or -EINVAL
 * for an id that is not one ((uid_t)-1), as Linux's ipc_update_perm.
 */
int
ipc_perm_set(struct ipc_kperm *perm, const struct l_ipc64_perm *p)
{
	if (p->uid == IPC_UID_BAD || p->gid == IPC_UID_BAD)
		return -EINVAL;
	perm->ip_uid = p->uid;
	perm->ip_gid = p->gid;
	perm->ip_mode = (perm->ip_mode & ~IPC_PERMS) | (p->mode & IPC_PERMS);
	return 0;
}

/* IPC_STAT: perm as struct ipc64_perm (p is zeroed first).  Kind's lock. */
void
ipc_perm_stat(const struct ipc_kperm *perm, struct l_ipc64_perm *p)
{
	memset(p, 0, sizeof(*p));
	p->key = perm->ip_key;
	p->uid = perm->ip_uid;
	p->gid = perm->ip_gid;
	p->cuid = perm->ip_cuid;
	p->cgid = perm->ip_cgid;
	p->mode = perm->ip_mode;
	p->seq = perm->ip_seq;
}

/*
 * Put perm's object into the lowest free slot of ids and give it its id
 * (ip_id, ip_seq).  Kind's lock held.  Returns the id, or -ENOSPC.
 */
int
ipc_id_alloc(struct ipc_ids *ids, struct ipc_kperm *perm)
{
	int i;

	KASSERT(ids->ii_nslots <= IPC_SEQ_MUL, "ipc_id_alloc: slots");
	for (i = 0; i < ids->ii_nslots && ids->ii_slots[i] != NULL; i++)
		continue;
	if (i == ids->ii_nslots)
		return -ENOSPC;
	perm->ip_seq = ids->ii_nextseq;
	ids->ii_nextseq = ids->ii_nextseq == IPC_SEQ_MAX ? 0 :
	    ids->ii_nextseq + 1;
	perm->ip_id = perm->ip_seq * IPC_SEQ_MUL + i;
	ids->ii_slots[i] = perm;
	ids->ii_used++;
	if (i >= ids->ii_bound)
		ids->ii_bound = i + 1;
	return perm->ip_id;
}

/* Take perm's object out of its slot of ids.  Kind's lock held. */
void
ipc_id_free(struct ipc_ids *ids, struct ipc_kperm *perm)
{
	int idx = perm->ip_id % IPC_SEQ_MUL;

	KASSERT(idx < ids->ii_nslots && ids->ii_slots[idx] == perm,
	    "ipc_id_free: not in its slot");
	ids->ii_slots[idx] = NULL;
	ids->ii_used--;
}

/* The object named by id, or NULL.  Kind's lock held. */
struct ipc_kperm *
ipc_id_lookup(const struct ipc_ids *ids, int id)
{
	struct ipc_kperm *perm;

	if (id < 0 || id % IPC_SEQ_MUL >= ids->ii_nslots)
		return NULL;
	perm = ids->ii_slots[id % IPC_SEQ_MUL];
	if (perm == NULL || perm->ip_id != id)
		return NULL;
	return perm;
}

/*
 * The object in slot idx (its sequence bits ignored, as Linux's
 * ipcid_to_idx), or NULL.  Kind's lock held.
 */
struct ipc_kperm *
ipc_idx_lookup(const struct ipc_ids *ids, int idx)
{
	if (idx < 0 || idx % IPC_SEQ_MUL >= ids->ii_nslots)
		return NULL;
	return ids->ii_slots[idx % IPC_SEQ_MUL];
}

/*
 * The object named by id, if the caller may have access acc to it.
 * Kind's lock held.  Returns 0 and *permp, -EINVAL or -EACCES.
 */
int
ipc_get(const struct ipc_ids *ids, int id, unsigned int acc,
    struct ipc_kperm **permp)
{
	if ((*permp = ipc_id_lookup(ids, id)) == NULL)
		return -EINVAL;
	return ipc_access(*permp, acc);
}

/*
 * The object named by id, if the caller may change or remove it.  Kind's
 * lock held.  Returns 0 and *permp, -EINVAL or -EPERM.
 */
int
ipc_get_owner(const struct ipc_ids *ids, int id, struct ipc_kperm **permp)
{
	if ((*permp = ipc_id_lookup(ids, id)) == NULL)
		return -EINVAL;
	return ipc_owner(*permp);
}

/*
 * The object of a *_STAT command (IPC_STAT: by id; else by slot index,
 * read access needed but for anycmd).  Kind's lock held.  Returns 0
 * (IPC_STAT) or the object's id, and *permp; -EINVAL or -EACCES.
 */
static int
ipc_get_stat(const struct ipc_ids *ids, int id, int cmd, int anycmd,
    struct ipc_kperm **permp)
{
	struct ipc_kperm *perm;
	int error;

	if (cmd == IPC_STAT)
		perm = ipc_id_lookup(ids, id);
	else
		perm = ipc_idx_lookup(ids, id);
	if (perm == NULL)
		return -EINVAL;
	if (cmd != anycmd && (error = ipc_access(perm, 0444)) < 0)
		return error;
	*permp = perm;
	return cmd == IPC_STAT ? 0 : perm->ip_id;
}

/*
 * IPC_STAT and the kind's *_STAT, *_STAT_ANY: the object's l_*id64_ds,
 * which k->ik_stat fills under the kind's lock, to buf.  Takes
 * k->ik_lock.  Returns 0 or the id, -EINVAL, -EACCES, -EFAULT.
 */
long
ipc_ctl_stat(const struct ipc_kind *k, int id, int cmd, void __user *buf)
{
	uint64_t ds[IPC_DS_MAX / sizeof(uint64_t)];
	struct ipc_kperm *perm;
	long error;

	KASSERT(k->ik_dssize <= sizeof(ds), "ipc_ctl_stat: IPC_DS_MAX");
	memset(ds, 0, sizeof(ds));
	spin_lock(k->ik_lock);
	error = ipc_get_stat(k->ik_ids, id, cmd, k->ik_stat_any, &perm);
	if (error >= 0)
		k->ik_stat(perm, ds);
	spin_unlock(k->ik_lock);
	if (error < 0)
		return error;
	if (copyout(ds, buf, k->ik_dssize) < 0)
		return -EFAULT;
	return error;
}

/* The next object at slot *idxp or above, or NULL.  Kind's lock held. */
struct ipc_kperm *
ipc_next(const struct ipc_ids *ids, int *idxp)
{
	int i;

	for (i = *idxp; i < ids->ii_bound; i++)
		if (ids->ii_slots[i] != NULL) {
			*idxp = i + 1;
			return ids->ii_slots[i];
		}
	*idxp = i;
	return NULL;
}

/* The object with key (not IPC_PRIVATE), or NULL.  Kind's lock held. */
struct ipc_kperm *
ipc_key_lookup(const struct ipc_ids *ids, int key)
{
	int i;

	for (i = 0; i < ids->ii_bound; i++)
		if (ids->ii_slots[i] != NULL && ids->ii_slots[i]->ip_key == key)
			return ids->ii_slots[i];
	return NULL;
}

/* The highest slot in use, or 0.  Kind's lock held. */
int
ipc_maxidx(const struct ipc_ids *ids)
{
	int i;

	for (i = ids->ii_bound - 1; i > 0; i--)
		if (ids->ii_slots[i] != NULL)
			break;
	return i > 0 ? i : 0;
}

/* The time now in seconds since the epoch. */
int64_t
ipc_now(void)
{
	return clock_realtime_ns() / 1000000000LL;
}

/* The caller's pid, or 0 outside a process. */
int
ipc_curpid(void)
{
	return curthread != NULL && curproc != NULL ? curproc->p_pid : 0;
}
