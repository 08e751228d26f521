/*
 * File leases: fcntl(2) F_SETLEASE, F_GETLEASE (Linux's fcntl(2),
 * "Leases").
 *
 * A lease belongs to an open file description of a regular file, and is
 * set through one of its descriptors by the file's owner (or root, who
 * stands for CAP_LEASE).  A read lease (F_RDLCK) needs the file to have
 * no writers; a write lease (F_WRLCK) needs the holder's description to
 * be the file's only open one.  Either is refused with EAGAIN.
 *
 * An open(2) that conflicts with a lease - one for writing (or with
 * O_TRUNC) meets any lease, one for reading meets a write lease - and
 * truncate(2) break it: the lease gets a target (F_UNLCK, or F_RDLCK for
 * a reader meeting a write lease), which F_GETLEASE reports from then
 * on, and its holder - the process that set it - gets SIGIO, or the
 * signal F_SETSIG chose for the file (then with si_fd and POLL_MSG).  The
 * opener waits until the holder releases the lease or downgrades it to
 * the target, or until lease-break-time seconds pass, when the kernel
 * applies the target itself; with O_NONBLOCK it gets EWOULDBLOCK at once,
 * the break going on without it.  A signal ends the wait with EINTR.
 * Leases go with the last close of their description.
 *
 * The opener is already counted as a reader or writer of the file when
 * it looks for leases, and F_SETLEASE counts the file's readers and
 * writers under lease_lock, so one of the two always sees the other.
 *
 * lease_lock (a spin lock) protects every vnode's v_leases list and the
 * leases on it; openers sleep on &vp->v_leases.  Lock order: lease_lock,
 * then proc_lock or file_lock.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/poll.h>
#include <sys/abi/signal.h>
#include <sys/abi/wait.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/lease.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define LEASE_NOTARGET	(-1)		/* ls_target: not being broken */
#define NS_PER_SEC	1000000000ULL

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	l	lease_lock
 */
struct lease {
	struct lease	*ls_next;	/* [l] vp->v_leases */
	struct file	*ls_file;	/* [I] the holder's description */
	int		 ls_type;	/* [l] F_RDLCK, F_WRLCK */
	int		 ls_target;	/* [l] breaking: F_RDLCK or F_UNLCK */
	uint64_t	 ls_deadline;	/* [l] breaking: when the kernel
					   applies the target (monotonic ns) */
	int		 ls_pid;	/* [l] the process signalled */
	int		 ls_fd;		/* [l] the descriptor, for si_fd */
};

static struct spinlock lease_lock = SPINLOCK_INIT("lease_lock");
/* /proc/sys/fs/lease-break-time (Linux's default). */
static int lease_break_secs = 45;	/* [l] */

/* The lease of fp on vp, or NULL.  lease_lock held. */
static struct lease *
lease_find(struct vnode *vp, struct file *fp)
{
	struct lease *ls;

	for (ls = vp->v_leases; ls != NULL; ls = ls->ls_next)
		if (ls->ls_file == fp)
			return ls;
	return NULL;
}

/* Unlink and free ls, and wake the openers that wait.  lease_lock held. */
static void
lease_remove(struct vnode *vp, struct lease *ls)
{
	struct lease **pp;

	for (pp = &vp->v_leases; *pp != NULL; pp = &(*pp)->ls_next) {
		if (*pp == ls) {
			*pp = ls->ls_next;
			break;
		}
	}
	kfree(ls);
	wakeup(&vp->v_leases);
}

/*
 * Give ls its new type: F_UNLCK removes it; anything else ends a break
 * (the holder did what was asked).  lease_lock held.
 */
static void
lease_modify(struct vnode *vp, struct lease *ls, int type)
{
	if (type == F_UNLCK) {
		lease_remove(vp, ls);
		return;
	}
	ls->ls_type = type;
	ls->ls_target = LEASE_NOTARGET;
	wakeup(&vp->v_leases);
}

/* Apply the target of every break whose time has passed.  lease_lock. */
static void
lease_expire(struct vnode *vp)
{
	struct lease *ls, *next;
	uint64_t now = clock_monotonic_ns();

	for (ls = vp->v_leases; ls != NULL; ls = next) {
		next = ls->ls_next;
		if (ls->ls_target != LEASE_NOTARGET && ls->ls_deadline <= now)
			lease_modify(vp, ls, ls->ls_target);
	}
}

/*
 * Can fp (open with flags) take a lease of type on vp?  The readers and
 * writers of the file other than fp itself must allow it, and so must
 * the other leases: none may be breaking, and a write lease stands
 * alone.  lease_lock held.  0 or -EAGAIN.
 */
static int
lease_may_set(struct vnode *vp, struct file *fp, int flags, int type)
{
	struct lease *ls;
	int32_t writers, readers, selfw, selfr;

	writers = __atomic_load_n(&vp->v_writecount, __ATOMIC_SEQ_CST);
	readers = __atomic_load_n(&vp->v_readcount, __ATOMIC_SEQ_CST);
	selfw = (flags & O_ACCMODE) != O_RDONLY ? 1 : 0;
	selfr = 1 - selfw;
	if (type == F_RDLCK && writers > 0)
		return -EAGAIN;
	if (type == F_WRLCK && (writers != selfw || readers != selfr))
		return -EAGAIN;
	for (ls = vp->v_leases; ls != NULL; ls = ls->ls_next) {
		if (ls->ls_file == fp)
			continue;
		if (ls->ls_target != LEASE_NOTARGET || type == F_WRLCK ||
		    ls->ls_type == F_WRLCK)
			return -EAGAIN;
	}
	return 0;
}

/*
 * F_SETLEASE of type (F_RDLCK, F_WRLCK, F_UNLCK) for fp through
 * descriptor fd.  Takes lease_lock.
 */
static long
lease_set(struct file *fp, struct vnode *vp, int fd, int type)
{
	struct lease *ls, *nls = NULL;
	long error = 0;

	if (type != F_UNLCK && (nls = kmalloc(sizeof(*nls), M_ZERO)) == NULL)
		return -ENOMEM;
	spin_lock(&lease_lock);
	lease_expire(vp);
	ls = lease_find(vp, fp);
	if (type == F_UNLCK) {
		/* Linux: releasing a lease the file does not hold. */
		if (ls == NULL)
			error = -EAGAIN;
		else
			lease_modify(vp, ls, F_UNLCK);
		goto out;
	}
	/* While breaking, only the target itself is taken. */
	if (ls != NULL && ls->ls_target != LEASE_NOTARGET &&
	    type != ls->ls_target) {
		error = -EAGAIN;
		goto out;
	}
	if ((error = lease_may_set(vp, fp, file_getflags(fp), type)) < 0)
		goto out;
	if (ls != NULL) {
		ls->ls_pid = curproc->p_pid;
		ls->ls_fd = fd;
		lease_modify(vp, ls, type);
		goto out;
	}
	nls->ls_file = fp;
	nls->ls_type = type;
	nls->ls_target = LEASE_NOTARGET;
	nls->ls_pid = curproc->p_pid;
	nls->ls_fd = fd;
	nls->ls_next = vp->v_leases;
	vp->v_leases = nls;
	nls = NULL;
out:
	spin_unlock(&lease_lock);
	kfree(nls);
	return error;
}

/*
 * F_GETLEASE: the type of fp's lease, or during a break its target
 * (fcntl(2)); F_UNLCK when it holds none.  Takes lease_lock.
 */
static long
lease_get(struct file *fp, struct vnode *vp)
{
	struct lease *ls;
	long type = F_UNLCK;

	spin_lock(&lease_lock);
	lease_expire(vp);
	if ((ls = lease_find(vp, fp)) != NULL)
		type = ls->ls_target != LEASE_NOTARGET ? ls->ls_target :
		    ls->ls_type;
	spin_unlock(&lease_lock);
	return type;
}

/*
 * fcntl(2) F_SETLEASE, F_GETLEASE.  As Linux: the owner check (EACCES)
 * comes before the file type (EINVAL), and an unknown lease type is
 * EINVAL.
 */
long
lease_fcntl(struct file *fp, struct vnode *vp, int fd, unsigned int cmd,
    unsigned long arg)
{
	struct vattr va;
	long error;

	if (cmd == F_GETLEASE)
		return lease_get(fp, vp);
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	/* CAP_LEASE: root, in EclipseOS. */
	if (curproc->p_euid != va.va_uid && curproc->p_euid != 0)
		return -EACCES;
	if (vp->v_type != VREG)
		return -EINVAL;
	switch (arg) {
	case F_RDLCK:
	case F_WRLCK:
	case F_UNLCK:
		return lease_set(fp, vp, fd, (int)arg);
	default:
		return -EINVAL;
	}
}

/*
 * Tell ls's holder its lease is being broken: SIGIO, or with F_SETSIG's
 * signal the file's details (si_fd, POLL_MSG).  lease_lock held; takes
 * file_lock, then proc_lock.
 */
static void
lease_notify(struct lease *ls)
{
	struct l_siginfo si;
	struct proc *p;
	int sig;

	spin_lock(&file_lock);
	sig = ls->ls_file->f_sig;
	spin_unlock(&file_lock);
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = POLL_MSG;
	si.si_band = POLLIN | POLLRDNORM | POLLMSG;
	si.si_fd = ls->ls_fd;
	spin_lock(&proc_lock);
	if ((p = proc_find(ls->ls_pid)) != NULL)
		(void)sig_post(p, sig != 0 ? sig : SIGIO,
		    sig != 0 ? &si : NULL);
	spin_unlock(&proc_lock);
}

/*
 * Start breaking the leases of vp that an open for writing (write) or
 * reading conflicts with; true when any is still in the way, with the
 * earliest deadline among them in *deadline.  lease_lock held.
 */
static bool
lease_start_breaks(struct vnode *vp, bool write, uint64_t *deadline)
{
	struct lease *ls;
	int target = write ? F_UNLCK : F_RDLCK;
	bool any = false;

	for (ls = vp->v_leases; ls != NULL; ls = ls->ls_next) {
		if (!write && ls->ls_type == F_RDLCK)
			continue;
		if (ls->ls_target == LEASE_NOTARGET) {
			ls->ls_target = target;
			ls->ls_deadline = clock_monotonic_ns() +
			    (uint64_t)lease_break_secs * NS_PER_SEC;
			lease_notify(ls);
		} else if (target == F_UNLCK) {
			/* A writer now waits: nothing less than release. */
			ls->ls_target = F_UNLCK;
		}
		if (!any || ls->ls_deadline < *deadline)
			*deadline = ls->ls_deadline;
		any = true;
	}
	return any;
}

/* See <sys/lease.h>. */
int
lease_break(struct vnode *vp, int flags)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	uint64_t deadline = 0, now;
	int error = 0;

	if (vp->v_type != VREG)
		return 0;
	spin_lock(&lease_lock);
	for (;;) {
		lease_expire(vp);
		if (!lease_start_breaks(vp, write, &deadline))
			break;
		if (flags & O_NONBLOCK) {
			error = -EWOULDBLOCK;
			break;
		}
		now = clock_monotonic_ns();
		if (deadline <= now)
			continue;
		error = tsleep_sig(&vp->v_leases, &lease_lock, "lease",
		    deadline - now);
		if (error == -ETIMEDOUT)
			error = 0;
		if (error < 0)
			break;
	}
	spin_unlock(&lease_lock);
	return error;
}

/* See <sys/lease.h>. */
void
lease_close_file(struct vnode *vp, struct file *fp)
{
	struct lease *ls;

	spin_lock(&lease_lock);
	if ((ls = lease_find(vp, fp)) != NULL)
		lease_remove(vp, ls);
	spin_unlock(&lease_lock);
}

/* See <sys/lease.h>. */
int
lease_break_time(void)
{
	int secs;

	spin_lock(&lease_lock);
	secs = lease_break_secs;
	spin_unlock(&lease_lock);
	return secs;
}

/* See <sys/lease.h>. */
int
lease_set_break_time(int secs)
{
	if (secs < 0)
		return -EINVAL;
	spin_lock(&lease_lock);
	lease_break_secs = secs;
	spin_unlock(&lease_lock);
	return 0;
}
