/*
 * Vnodes: allocation, references, attributes and permission checks
 * (sys/sys/vnode.h).
 *
 * vnode_lock, a spin lock, protects every reference count (v_refs and
 * the mount's mnt_vrefs).  The last reference is dropped by the
 * filesystem itself, under its own lock (vnode_lastref from its
 * vop_inactive), so that it can decide to free the file without a lookup
 * finding it in between: its lookups take references under the same lock.
 */
#include <sys/abi/stat.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "vfs_internal.h"

static struct spinlock vnode_lock = SPINLOCK_INIT("vnode_lock");

/*
 * A new vnode of mp, of type type, with operations ops and the
 * filesystem's node data, and one reference for the caller.  NULL when
 * out of memory.
 */
struct vnode *
vnode_alloc(struct mount *mp, enum vtype type, const struct vnodeops *ops,
    void *data)
{
	struct vnode *vp;

	if ((vp = kmalloc(sizeof(*vp), M_ZERO)) == NULL)
		return NULL;
	vp->v_type = type;
	vp->v_refs = 1;
	vp->v_mount = mp;
	vp->v_ops = ops;
	vp->v_data = data;
	mtx_init(&vp->v_iolock, "v_iolock");
	spin_lock(&vnode_lock);
	mp->mnt_vrefs++;
	spin_unlock(&vnode_lock);
	return vp;
}

/* Free vp, which has no reference left (its filesystem's inactive). */
void
vnode_free(struct vnode *vp)
{
	KASSERT(vp->v_refs == 0, "vnode_free: referenced");
	kfree(vp);
}

/*
 * Become a writer of vp (an open for writing, truncate(2)): -ETXTBSY
 * while a process runs it, else 0.  Atomic, any context.
 */
int
vn_write_get(struct vnode *vp)
{
	int32_t n = __atomic_load_n(&vp->v_writecount, __ATOMIC_RELAXED);

	do {
		if (n < 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&vp->v_writecount, &n, n + 1,
	    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

/* One more writer of vp, copied from one the caller holds (fork, split). */
void
vn_write_dup(struct vnode *vp)
{
	int32_t old;

	old = __atomic_fetch_add(&vp->v_writecount, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vn_write_dup: no writer to copy");
}

/* Give back a writer of vp. */
void
vn_write_put(struct vnode *vp)
{
	int32_t old;

	old = __atomic_fetch_sub(&vp->v_writecount, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vn_write_put: no writer");
}

/*
 * A shared writable mapping of vp is made, or copied (split, fork): a
 * writer of the file, counted apart for F_SEAL_WRITE.  The caller holds
 * a writer already (the descriptor, or the mapping copied).
 */
void
vn_mapwriter_get(struct vnode *vp)
{
	vn_write_dup(vp);
	__atomic_fetch_add(&vp->v_mapwriters, 1, __ATOMIC_ACQ_REL);
}

/* A shared writable mapping of vp is gone. */
void
vn_mapwriter_put(struct vnode *vp)
{
	__atomic_fetch_sub(&vp->v_mapwriters, 1, __ATOMIC_ACQ_REL);
	vn_write_put(vp);
}

/*
 * Run vp as a program (execve): -ETXTBSY while something may write it,
 * else 0; writers are refused until vn_text_put.  Atomic, any context.
 */
int
vn_text_get(struct vnode *vp)
{
	int32_t n = __atomic_load_n(&vp->v_writecount, __ATOMIC_RELAXED);

	do {
		if (n > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&vp->v_writecount, &n, n - 1,
	    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

/* One more process running vp, copied from one that does (fork). */
void
vn_text_dup(struct vnode *vp)
{
	int32_t old;

	old = __atomic_fetch_sub(&vp->v_writecount, 1, __ATOMIC_ACQ_REL);
	KASSERT(old < 0, "vn_text_dup: not running");
}

/* A process stopped running vp (exit, another execve). */
void
vn_text_put(struct vnode *vp)
{
	int32_t old;

	old = __atomic_fetch_add(&vp->v_writecount, 1, __ATOMIC_ACQ_REL);
	KASSERT(old < 0, "vn_text_put: not running");
}

/* One more reference to vp, which the caller already holds one of. */
void
vref(struct vnode *vp)
{
	spin_lock(&vnode_lock);
	KASSERT(vp->v_refs > 0 || vp->v_mount != NULL, "vref: dead vnode");
	vp->v_refs++;
	vp->v_mount->mnt_vrefs++;
	spin_unlock(&vnode_lock);
}

/*
 * Drop one of mp's users (vnode_lock held).  A lazily unmounted mount
 * whose last user went - all but the mount's own reference on its root,
 * which a file's bind does not count, its root being its filesystem's
 * vnode - is handed to the reaper.
 */
static void
vfs_mount_drop_locked(struct mount *mp)
{
	KASSERT(mp->mnt_vrefs > 0, "vfs_mount_drop: no user");
	mp->mnt_vrefs--;
	/* (A mount being set up has no mnt_root yet, but is not detached.) */
	if (mp->mnt_detached && !mp->mnt_finishing &&
	    mp->mnt_vrefs == (mp->mnt_root->v_mount == mp ? 1U : 0U)) {
		mp->mnt_finishing = true;
		vfs_mount_finish(mp);
	}
}

/*
 * Drop one reference of vp's and its mount's (vnode_lock held); true when
 * it was vp's last.  A lazily unmounted filesystem goes with its last
 * user: it is handed to the VFS reaper thread (vfs_mount.c), since the
 * caller may hold its filesystem's lock, which freeing the mount takes.
 */
static bool
vnode_drop_locked(struct vnode *vp)
{
	bool last;

	KASSERT(vp->v_refs > 0, "vrele: no reference");
	last = --vp->v_refs == 0;
	vfs_mount_drop_locked(vp->v_mount);
	return last;
}

/*
 * Drop one reference of vp's and its mount's.  Returns true when it was
 * the last one of vp.  Called by vrele, and by a filesystem's
 * vop_inactive under its own lock.
 */
bool
vnode_lastref(struct vnode *vp)
{
	bool last;

	spin_lock(&vnode_lock);
	last = vnode_drop_locked(vp);
	spin_unlock(&vnode_lock);
	return last;
}

/*
 * Drop a reference to vp.  The last one goes through the filesystem's
 * vop_inactive, which may free the file.
 */
void
vrele(struct vnode *vp)
{
	spin_lock(&vnode_lock);
	if (vp->v_refs > 1 || vp->v_ops->vop_inactive == NULL) {
		/* Not the last: the check and the drop are one step. */
		(void)vnode_drop_locked(vp);
		spin_unlock(&vnode_lock);
		return;
	}
	spin_unlock(&vnode_lock);
	vp->v_ops->vop_inactive(vp);
}

/*
 * One more user of mp, which is not one of its vnodes (a file opened
 * through a bind, a lookup that found one): see sys/sys/vnode.h.
 */
void
vfs_mount_hold(struct mount *mp)
{
	spin_lock(&vnode_lock);
	mp->mnt_vrefs++;
	spin_unlock(&vnode_lock);
}

/* Give back a vfs_mount_hold; the last user of a detached mount frees it. */
void
vfs_mount_drop(struct mount *mp)
{
	spin_lock(&vnode_lock);
	vfs_mount_drop_locked(mp);
	spin_unlock(&vnode_lock);
}

/*
 * How many users mp has: references on its vnodes and holds (umount's
 * busy check).
 */
uint32_t
vfs_mount_refs(struct mount *mp)
{
	uint32_t n;

	spin_lock(&vnode_lock);
	n = mp->mnt_vrefs;
	spin_unlock(&vnode_lock);
	return n;
}

/* vp's attributes (vop_getattr). */
int
vn_getattr(struct vnode *vp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	return vp->v_ops->vop_getattr(vp, va);
}

/*
 * Is gid one of p's groups: its effective one (real, with real) or a
 * supplementary one?
 */
bool
vn_groupmember(const struct proc *p, uint32_t gid, bool real)
{
	int i;

	if ((real ? p->p_gid : p->p_egid) == gid)
		return true;
	for (i = 0; i < p->p_ngroups; i++)
		if (p->p_groups[i] == gid)
			return true;
	return false;
}

/*
 * May p, by its effective ids or (real) its real ones, have access want
 * (R_OK|W_OK|X_OK) to an object of mode, owner uid and group gid?  The
 * owner's bits, else the group's, else the others'; no root bypass.  No
 * lock.  Returns 0 or -EACCES.
 */
int
vn_mode_access(const struct proc *p, uint32_t mode, uint32_t uid,
    uint32_t gid, int want, bool real)
{
	uint32_t bits;

	if ((real ? p->p_uid : p->p_euid) == uid)
		bits = mode >> 6;
	else if (vn_groupmember(p, gid, real))
		bits = mode >> 3;
	else
		bits = mode;
	return (want & ~bits & 7) == 0 ? 0 : -EACCES;
}

/*
 * May the current process access vp for mode (R_OK | W_OK | X_OK), by
 * its effective ids or, with real, its real ones (access(2))?  The
 * owner's bits, else the group's, else the others' decide; root may do
 * anything but execute a file nobody may execute (path_resolution(7)).
 * Returns 0 or -EACCES.
 */
int
vn_access_ids(struct vnode *vp, int mode, bool real)
{
	struct proc *p = curproc;
	struct vattr va;
	uint32_t uid = real ? p->p_uid : p->p_euid;
	int error;

	/* Root needs no attributes but to execute a file (every lookup). */
	if (uid == 0 && (!(mode & X_OK) || vp->v_type == VDIR))
		return 0;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	if (uid == 0) {
		if ((mode & X_OK) && va.va_type != VDIR &&
		    (va.va_mode & 0111) == 0)
			return -EACCES;
		return 0;
	}
	return vn_mode_access(p, va.va_mode, va.va_uid, va.va_gid, mode, real);
}

/* vn_access_ids with the effective ids: every lookup and open. */
int
vn_access(struct vnode *vp, int mode)
{
	return vn_access_ids(vp, mode, false);
}

/* May the current process change vp's mode or times (owner or root)? */
int
vn_owner_ok(struct vnode *vp)
{
	struct vattr va;
	int error;

	if (curproc->p_euid == 0)
		return 0;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	return va.va_uid == curproc->p_euid ? 0 : -EPERM;
}

/* The S_IF* bits of a vnode type. */
uint32_t
vtype_to_mode(enum vtype type)
{
	switch (type) {
	case VREG:	return S_IFREG;
	case VDIR:	return S_IFDIR;
	case VLNK:	return S_IFLNK;
	case VCHR:	return S_IFCHR;
	case VBLK:	return S_IFBLK;
	case VFIFO:	return S_IFIFO;
	case VSOCK:	return S_IFSOCK;
	default:	return 0;
	}
}

/* The getdents64 d_type of a vnode type. */
int
vtype_to_dt(enum vtype type)
{
	return (int)(vtype_to_mode(type) >> 12);
}

/* The current time, as files record it (CLOCK_REALTIME). */
struct l_timespec
vfs_now(void)
{
	struct l_timespec ts;
	int64_t ns = clock_realtime_ns();

	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	return ts;
}

/* See sys/vnode.h: the shared refusals of generated filesystems. */
int
vop_eperm_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)va, (void)vpp;
	return -EPERM;
}

int
vop_eperm_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)va, (void)target, (void)vpp;
	return -EPERM;
}

int
vop_eperm_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	(void)dvp, (void)name, (void)len, (void)vp;
	return -EPERM;
}

int
vop_eperm_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	(void)dvp, (void)name, (void)len, (void)vp, (void)rmdir;
	return -EPERM;
}

int
vop_eperm_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    unsigned int flags)
{
	(void)fdvp, (void)fname, (void)flen, (void)fvp, (void)tdvp;
	(void)tname, (void)tlen, (void)flags;
	return -EPERM;
}

/* fsync of a file with nothing to write back: 0. */
int
vop_fsync_nothing(struct vnode *vp)
{
	(void)vp;
	return 0;
}
