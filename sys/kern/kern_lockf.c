/*
 * Advisory file locks: POSIX record locks (fcntl F_SETLK, F_SETLKW,
 * F_GETLK), open file description locks (F_OFD_*) and flock(2).
 *
 * Each vnode has a list of locks, sorted by start.  A lock is a byte range
 * [lf_start, lf_end] (lf_end LF_EOF: to the end, for ever), shared
 * (F_RDLCK) or exclusive (F_WRLCK), and an owner:
 *
 *	POSIX	the process: released when it closes ANY descriptor of the
 *		file (fcntl(2), "the bad part"), and at exit
 *	OFD	the open file description: released at its last close
 *	FLOCK	the open file description too, whole file, and in a
 *		namespace of its own (flock and fcntl locks never conflict,
 *		as on Linux)
 *
 * Setting a lock first looks for a conflict: another owner's overlapping
 * lock in the same namespace where either is exclusive.  Without one, the
 * owner's own locks in the range are cut away and the new one goes in
 * (merged with touching locks of the same type).  F_SETLKW and flock
 * without LOCK_NB sleep until the conflict goes, or a signal comes; a
 * POSIX waiter that would close a cycle of waiting processes gets
 * EDEADLK instead.
 *
 * lockf_lock (a spin lock) protects every list and every p_lockf_wait;
 * waiters sleep on the vnode's list head.
 */
#include <sys/abi/fcntl.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/lockf.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <sysproto.h>

#define LF_EOF		INT64_MAX
#define LF_POSIX	0x1
#define LF_OFD		0x2
#define LF_FLOCK	0x4
#define LF_DEADLK_MAX	64	/* processes followed looking for a cycle */

struct lockf {
	struct lockf	*lf_next;	/* [l] on the vnode, by lf_start */
	int		 lf_type;	/* [l] F_RDLCK, F_WRLCK */
	int		 lf_flags;	/* [l] LF_POSIX, LF_OFD, LF_FLOCK */
	off_t		 lf_start;	/* [l] */
	off_t		 lf_end;	/* [l] inclusive; LF_EOF */
	void		*lf_owner;	/* [l] struct proc * or struct file * */
	int		 lf_pid;	/* [l] F_GETLK's l_pid: -1 for OFD */
};

static struct spinlock lockf_lock = SPINLOCK_INIT("lockf_lock");

/* Do a and b live in the same namespace (flock versus fcntl)? */
static bool
lf_same_space(int aflags, int bflags)
{
	return ((aflags | bflags) & LF_FLOCK) == 0 ||
	    ((aflags & bflags) & LF_FLOCK) != 0;
}

/* The first lock of another owner that conflicts with the request. */
static struct lockf *
lf_conflict(struct vnode *vp, void *owner, int flags, int type, off_t start,
    off_t end)
{
	struct lockf *lf;

	for (lf = vp->v_locks; lf != NULL; lf = lf->lf_next) {
		if (lf->lf_owner == owner || !lf_same_space(lf->lf_flags, flags))
			continue;
		if (lf->lf_end < start || lf->lf_start > end)
			continue;
		if (lf->lf_type == F_WRLCK || type == F_WRLCK)
			return lf;
	}
	return NULL;
}

/*
 * Would process p waiting for owner close a cycle (p waits for owner,
 * which waits for ... p)?  Only POSIX owners (processes) wait as owners.
 */
static bool
lf_deadlock(struct proc *p, struct lockf *blocker)
{
	struct proc *q;
	int n;

	if (!(blocker->lf_flags & LF_POSIX))
		return false;
	q = blocker->lf_owner;
	for (n = 0; q != NULL && n < LF_DEADLK_MAX; n++) {
		if (q == p)
			return true;
		q = q->p_lockf_wait;
	}
	return false;
}

/* Insert lf into vp's list by start.  lockf_lock held. */
static void
lf_insert(struct vnode *vp, struct lockf *lf)
{
	struct lockf **pp;

	for (pp = &vp->v_locks; *pp != NULL && (*pp)->lf_start <
	    lf->lf_start; pp = &(*pp)->lf_next)
		continue;
	lf->lf_next = *pp;
	*pp = lf;
}

/*
 * Cut [start, end] out of owner's locks on vp (splitting one that spans
 * it: spare is used for the second half, and set to NULL when used).
 * lockf_lock held.
 */
static void
lf_cut(struct vnode *vp, void *owner, int flags, off_t start, off_t end,
    struct lockf **spare)
{
	struct lockf *lf, **pp;

	pp = &vp->v_locks;
	while ((lf = *pp) != NULL) {
		if (lf->lf_owner != owner || lf->lf_flags != flags ||
		    lf->lf_end < start || lf->lf_start > end) {
			pp = &lf->lf_next;
			continue;
		}
		if (lf->lf_start < start && lf->lf_end > end) {
			/* Split in two around the range. */
			struct lockf *hi = *spare;

			*spare = NULL;
			*hi = *lf;
			hi->lf_start = end + 1;
			lf->lf_end = start - 1;
			*pp = lf->lf_next;
			lf_insert(vp, lf);
			lf_insert(vp, hi);
			return;
		}
		if (lf->lf_start < start) {
			lf->lf_end = start - 1;
			pp = &lf->lf_next;
		} else if (lf->lf_end > end) {
			*pp = lf->lf_next;
			lf->lf_start = end + 1;
			lf_insert(vp, lf);
		} else {
			*pp = lf->lf_next;
			kfree(lf);
		}
	}
}

/* Merge owner's locks on vp that touch and have the same type. */
static void
lf_coalesce(struct vnode *vp)
{
	struct lockf *lf, *o, **pp;

	for (lf = vp->v_locks; lf != NULL; lf = lf->lf_next) {
		pp = &lf->lf_next;
		while ((o = *pp) != NULL) {
			if (o->lf_owner == lf->lf_owner &&
			    o->lf_flags == lf->lf_flags &&
			    o->lf_type == lf->lf_type &&
			    lf->lf_end != LF_EOF && o->lf_start <=
			    lf->lf_end + 1 && o->lf_end >= lf->lf_start) {
				if (o->lf_end > lf->lf_end)
					lf->lf_end = o->lf_end;
				*pp = o->lf_next;
				kfree(o);
			} else {
				pp = &o->lf_next;
			}
		}
	}
}

/*
 * Set (or with F_UNLCK remove) a lock of type over [start, end] for owner.
 * wait: sleep through conflicts.  Returns 0, -EAGAIN, -EDEADLK, -EINTR,
 * -ENOLCK (no memory).
 */
static int
lf_set(struct vnode *vp, void *owner, int flags, int type, off_t start,
    off_t end, bool wait)
{
	struct proc *p = curproc;
	struct lockf *nlf, *spare, *blocker;
	int error = 0;

	nlf = kmalloc(sizeof(*nlf), M_ZERO);
	spare = kmalloc(sizeof(*spare), M_ZERO);
	if (nlf == NULL || spare == NULL) {
		kfree(nlf);
		kfree(spare);
		return -ENOLCK;
	}
	spin_lock(&lockf_lock);
	if (type != F_UNLCK) {
		while ((blocker = lf_conflict(vp, owner, flags, type, start,
		    end)) != NULL) {
			if (!wait) {
				error = -EAGAIN;
				goto out;
			}
			if ((flags & LF_POSIX) && lf_deadlock(p, blocker)) {
				error = -EDEADLK;
				goto out;
			}
			if (flags & LF_POSIX)
				p->p_lockf_wait = blocker->lf_owner;
			error = tsleep_sig(&vp->v_locks, &lockf_lock, "lockf",
			    0);
			p->p_lockf_wait = NULL;
			if (error < 0)
				goto out;
		}
	}
	lf_cut(vp, owner, flags, start, end, &spare);
	if (type != F_UNLCK) {
		nlf->lf_type = type;
		nlf->lf_flags = flags;
		nlf->lf_start = start;
		nlf->lf_end = end;
		nlf->lf_owner = owner;
		nlf->lf_pid = (flags & LF_POSIX) ? p->p_pid : -1;
		lf_insert(vp, nlf);
		nlf = NULL;
		lf_coalesce(vp);
	}
	/* Anything released or downgraded may let a waiter in. */
	wakeup(&vp->v_locks);
out:
	spin_unlock(&lockf_lock);
	kfree(nlf);
	kfree(spare);
	return error;
}

/* Drop every lock of owner on vp (with flags among mask).  Waking. */
static void
lf_release(struct vnode *vp, void *owner, int mask)
{
	struct lockf *lf, **pp;
	bool any = false;

	spin_lock(&lockf_lock);
	pp = &vp->v_locks;
	while ((lf = *pp) != NULL) {
		if (lf->lf_owner == owner && (lf->lf_flags & mask)) {
			*pp = lf->lf_next;
			kfree(lf);
			any = true;
		} else {
			pp = &lf->lf_next;
		}
	}
	if (any)
		wakeup(&vp->v_locks);
	spin_unlock(&lockf_lock);
}

/*
 * Process p closed a descriptor of vp: its POSIX locks on vp go, whatever
 * descriptor set them (fcntl(2)).
 */
void
lockf_close_posix(struct vnode *vp, struct proc *p)
{
	if (vp->v_locks != NULL)
		lf_release(vp, p, LF_POSIX);
}

/* The last close of open file description fp: its OFD and flock locks. */
void
lockf_close_file(struct vnode *vp, struct file *fp)
{
	if (vp->v_locks != NULL)
		lf_release(vp, fp, LF_OFD | LF_FLOCK);
}

/*
 * The byte range of a struct flock for fp at vp: [*start, *end].  -EINVAL
 * for a bad whence, a start before 0 or a range that wraps; -EOVERFLOW.
 */
static int
lf_range(struct file *fp, struct vnode *vp, const struct l_flock *fl,
    off_t *start, off_t *end)
{
	struct vattr va;
	off_t base;
	int error;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
		if ((error = vn_getattr(vp, &va)) < 0)
			return error;
		base = va.va_size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->l_start, start))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(*start, fl->l_len - 1, end))
			return -EOVERFLOW;
	} else if (fl->l_len < 0) {
		*end = *start - 1;
		*start += fl->l_len;
	} else {
		*end = LF_EOF;
	}
	if (*start < 0)
		return -EINVAL;
	return 0;
}

/*
 * fcntl(2)'s lock commands on fp, whose vnode is vp: cmd is F_GETLK,
 * F_SETLK, F_SETLKW or an F_OFD_* one; arg the user's struct flock.
 */
long
lockf_fcntl(struct file *fp, struct vnode *vp, unsigned int cmd,
    struct l_flock __user *arg)
{
	struct l_flock fl;
	struct lockf *lf;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
	    cmd == F_OFD_SETLKW;
	void *owner = ofd ? (void *)fp : (void *)curproc;
	int flags = ofd ? LF_OFD : LF_POSIX, acc, error;
	off_t start, end;

	if (copyin(arg, &fl, sizeof(fl)) < 0)
		return -EFAULT;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    fl.l_type != F_UNLCK)
		return -EINVAL;
	if ((error = lf_range(fp, vp, &fl, &start, &end)) < 0)
		return error;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.l_type == F_UNLCK)
			return -EINVAL;
		spin_lock(&lockf_lock);
		lf = lf_conflict(vp, owner, flags, fl.l_type, start, end);
		if (lf == NULL) {
			fl.l_type = F_UNLCK;
		} else {
			fl.l_type = (int16_t)lf->lf_type;
			fl.l_whence = SEEK_SET;
			fl.l_start = lf->lf_start;
			fl.l_len = lf->lf_end == LF_EOF ? 0 :
			    lf->lf_end - lf->lf_start + 1;
			fl.l_pid = lf->lf_pid;
		}
		spin_unlock(&lockf_lock);
		return copyout(&fl, arg, sizeof(fl));
	}
	acc = file_getflags(fp) & O_ACCMODE;
	if ((fl.l_type == F_RDLCK && acc == O_WRONLY) ||
	    (fl.l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	return lf_set(vp, owner, flags, fl.l_type, start, end,
	    cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* flock(2) */
long
sys_flock(int fd, unsigned int op)
{
	struct file *fp;
	struct vnode *vp;
	unsigned int what = op & ~(unsigned int)LOCK_NB;
	int type, error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if (what == LOCK_SH)
		type = F_RDLCK;
	else if (what == LOCK_EX)
		type = F_WRLCK;
	else if (what == LOCK_UN)
		type = F_UNLCK;
	else {
		file_rele(fp);
		return -EINVAL;
	}
	if ((error = fd_getvnode(fd, &vp)) < 0) {
		file_rele(fp);
		klog("lockf", "pid %d: flock on a file outside the tree is "
		    "not supported", curproc->p_pid);
		return error == -ENOTDIR ? -EINVAL : error;
	}
	if ((file_getflags(fp) & O_PATH) != 0)
		error = -EBADF;
	else
		error = lf_set(vp, fp, LF_FLOCK, type, 0, LF_EOF,
		    !(op & LOCK_NB));
	vrele(vp);
	file_rele(fp);
	return error == -EAGAIN ? -EWOULDBLOCK : error;
}
