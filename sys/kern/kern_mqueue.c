/*
 * POSIX message queues: mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive, mq_notify and mq_getsetattr (mq_overview(7)).
 *
 * A queue holds up to mq_maxmsg messages of at most mq_msgsize bytes,
 * each with a priority below MQ_PRIO_MAX; a receive takes the oldest
 * message of the highest priority.  mq_open returns a descriptor of an
 * open file description (fileops "mqueue"); reading it gives Linux's
 * status line ("QSIZE:... NOTIFY:... SIGNO:... NOTIFY_PID:...").
 *
 * Names.  As on Linux, the queues are the files of an mqueue filesystem
 * (fs/mqueue/mqfs.c) that can be mounted anywhere, and is at /dev/mqueue
 * from boot; the C library strips the leading '/' of a name before the
 * system call, so the kernel sees one file name in that filesystem's only
 * directory.  The directory is the name table here (mq_names), which
 * mq_open, mq_unlink and the filesystem share, under one lock: an empty
 * name is ENOENT, a name with '/' or "." or ".." EACCES, one longer than
 * NAME_MAX ENAMETOOLONG, and the directory is world-writable and sticky
 * (anyone may create; only the owner of a queue or root may unlink it).
 * fs/mqueue/mqueue.h draws how queues, vnodes and files hang together.
 *
 * A queue lives while it has a name, a vnode or an open description:
 * mq_refs counts them, and the last of them frees the queue and its
 * messages.
 *
 * Limits are Linux's defaults for /proc/sys/fs/mqueue: without privilege
 * (root, here; Linux: CAP_SYS_RESOURCE) mq_maxmsg <= msg_max (10) and
 * mq_msgsize <= msgsize_max (8192) and at most queues_max (256) queues;
 * with it, up to the hard limits (65536 messages, 16 MiB).  A new queue
 * charges its creator's user for its largest size (with Linux's per
 * message bookkeeping overhead) against the creator's RLIMIT_MSGQUEUE:
 * over it, EMFILE.  The charge is returned when the queue is freed.
 *
 * Waits: receivers sleep while the queue is empty, senders while it is
 * full, both interruptibly and until an absolute CLOCK_REALTIME deadline
 * if one is given.  A signal ends the wait with EINTR, which the signal
 * code restarts under SA_RESTART, as Linux does for these calls.
 *
 * poll(2), select(2) and epoll see a queue's descriptor readable while it
 * holds a message and writable while it has room.
 *
 * Notification (mq_notify): one process may register; a message that
 * arrives in an empty queue while no receiver waits sends it the signal
 * (si_code SI_MESGQ, the sender's pid and real uid, sigev_value) and ends
 * the registration, as does any close(2) of a descriptor of the queue by
 * that process.  SIGEV_THREAD needs a netlink socket, which EclipseOS
 * does not have: it fails as Linux fails for a descriptor that is not one
 * (EBADF, ENOTSOCK).
 *
 * Lock order: mq_lock, then vnode_lock, poll_lock, proc_lock or
 * file_lock.  mq_lock is never held across a user copy or a sleep
 * (tsleep_sig releases it), nor while a signal is posted.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/mqueue.h>
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/time.h>
#include <sys/abi/wait.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/mqueue/mqueue.h>

#include <sysproto.h>

#define MQ_NAME_MAX		255	/* NAME_MAX */
#define MQ_PATH_MAX		4096	/* PATH_MAX: the longest string read */
#define MQ_MSG_DEFAULT		10	/* /proc/sys/fs/mqueue/msg_default */
#define MQ_MSGSIZE_DEFAULT	8192	/* .../msgsize_default */
#define MQ_MSG_MAX		10	/* .../msg_max */
#define MQ_MSGSIZE_MAX		8192	/* .../msgsize_max */
#define MQ_QUEUES_MAX		256	/* .../queues_max */
#define MQ_HARD_MSGMAX		65536	/* mq_overview(7): msg_max ceiling */
#define MQ_HARD_MSGSIZEMAX	(16L << 20)	/* msgsize_max ceiling */
/*
 * RLIMIT_MSGQUEUE's count, as Linux charges it (mq_overview(7) gives the
 * formula's shape): each message slot costs its text and 48 bytes of
 * bookkeeping, and each priority that may be in use (at most maxmsg of
 * them) 48 more.  Measured on Linux 6.x: a 1 x 1 queue costs 97 bytes.
 */
#define MQ_MSG_OVERHEAD		48
#define MQ_PRIO_OVERHEAD	48
#define MQ_MODE_MASK		07777
#define MQ_FAR_SECONDS		(1L << 33)	/* a deadline past any clock */

/*
 * One message, in its queue's list.  Locks: the queue's (mq_lock).
 */
struct mq_msg {
	struct mq_msg	*mm_prev;	/* [m] toward the head */
	struct mq_msg	*mm_next;	/* [m] toward the tail */
	unsigned int	 mm_prio;	/* [I] */
	size_t		 mm_len;	/* [I] */
	char		 mm_text[];	/* [I] */
};

/*
 * Bytes of RLIMIT_MSGQUEUE in use per user (Linux counts per user, not
 * per process).  Locks: mq_lock.
 */
struct mq_user {
	struct mq_user	*mu_next;	/* [m] */
	uint32_t	 mu_uid;	/* [m] */
	uint64_t	 mu_bytes;	/* [m] */
};

struct spinlock mq_lock = SPINLOCK_INIT("mq_lock");
static struct mqueue *mq_names;		/* [m] the named queues */
static int mq_nqueues;			/* [m] queues that exist */
static int mq_nnamed;			/* [m] queues that have a name */
static uint64_t mq_nextino = MQFS_ROOT_INO + 1;	/* [m] */
static struct mq_user *mq_users;	/* [m] users with a charge */

static const struct fileops mqueue_fileops;

/* Has the caller the privilege of Linux's CAP_SYS_RESOURCE (root)? */
static bool
mq_privileged(void)
{
	return curproc->p_euid == 0;
}

/*
 * Check a name (len bytes) as the mqueue filesystem's directory would:
 * Linux's order (empty, then a path, then its length).  Returns 0 or a
 * negative errno.
 */
int
mq_name_check(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return -ENOENT;
	for (i = 0; i < len; i++)
		if (name[i] == '/')
			return -EACCES;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EACCES;
	if (len > MQ_NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Copy a queue name in from user memory into a new kmalloc'd string
 * (*namep) and check it.  Returns 0 or a negative errno.
 */
static int
mq_getname(const char __user *uname, char **namep)
{
	char *buf, *name;
	size_t len;
	int error;

	if ((buf = kmalloc(MQ_PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	if ((error = copyinstr(uname, buf, MQ_PATH_MAX, &len)) < 0 ||
	    (error = mq_name_check(buf, strlen(buf))) < 0)
		goto out;
	if ((name = kmalloc(len, 0)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	memcpy(name, buf, len);
	*namep = name;
out:
	kfree(buf);
	return error;
}

/* The named queue called name (len bytes), or NULL.  mq_lock held. */
struct mqueue *
mq_lookup(const char *name, size_t len)
{
	struct mqueue *mq;

	for (mq = mq_names; mq != NULL; mq = mq->mq_next)
		if (strlen(mq->mq_name) == len &&
		    memcmp(mq->mq_name, name, len) == 0)
			return mq;
	return NULL;
}

/*
 * The named queue with the lowest inode number at or above ino, or NULL:
 * the directory's entries in a stable order for readdir.  mq_lock held.
 */
struct mqueue *
mq_next_named(uint64_t ino)
{
	struct mqueue *mq, *best = NULL;

	for (mq = mq_names; mq != NULL; mq = mq->mq_next)
		if (mq->mq_ino >= ino &&
		    (best == NULL || mq->mq_ino < best->mq_ino))
			best = mq;
	return best;
}

/* How many queues have a name.  mq_lock held. */
int
mq_named_count(void)
{
	return mq_nnamed;
}

/* Enter mq in the table under its name (a reference).  mq_lock held. */
static void
mq_link(struct mqueue *mq)
{
	mq->mq_next = mq_names;
	mq_names = mq;
	mq->mq_refs++;
	mq_nnamed++;
	mqfs_dir_changed();
}

/*
 * Take mq's name away (mq_unlink): it stays alive while open.  Returns
 * whether that was the last reference (the caller frees it).  mq_lock
 * held.
 */
static bool
mq_unname(struct mqueue *mq)
{
	struct mqueue **pp;

	for (pp = &mq_names; *pp != mq; pp = &(*pp)->mq_next)
		continue;
	*pp = mq->mq_next;
	kfree(mq->mq_name);
	mq->mq_name = NULL;
	mq_nnamed--;
	mq->mq_ctime = vfs_now();
	return --mq->mq_refs == 0;
}

/* The charge entry of uid, or NULL.  mq_lock held. */
static struct mq_user *
mq_user_find(uint32_t uid)
{
	struct mq_user *mu;

	for (mu = mq_users; mu != NULL; mu = mu->mu_next)
		if (mu->mu_uid == uid)
			return mu;
	return NULL;
}

/* Give back mq's charge; forget a user whose charge is 0.  mq_lock held. */
static void
mq_uncharge(struct mqueue *mq)
{
	struct mq_user *mu, **pp;

	for (pp = &mq_users; (mu = *pp) != NULL; pp = &mu->mu_next) {
		if (mu->mu_uid != mq->mq_cuid)
			continue;
		mu->mu_bytes -= mq->mq_charge;
		if (mu->mu_bytes == 0) {
			*pp = mu->mu_next;
			kfree(mu);
		}
		return;
	}
	panic("mq_uncharge: uid %u has no charge", mq->mq_cuid);
}

/* Free a queue whose last reference went; mq_lock held. */
static void
mq_destroy(struct mqueue *mq)
{
	struct mq_msg *m, *next;

	KASSERT(mq->mq_nodes == NULL, "mq_destroy: queue has vnodes");
	for (m = mq->mq_head; m != NULL; m = next) {
		next = m->mm_next;
		kfree(m);
	}
	mq_uncharge(mq);
	mq_nqueues--;
	pollhead_detach(&mq->mq_ph);
	kfree(mq);
}

/*
 * Check the attributes of a new queue (mq_open(3)): positive sizes, the
 * unprivileged limits, the hard ones, and a total that the charge can
 * count.  Returns 0 or -EINVAL.
 */
static int
mq_attr_check(const struct l_mq_attr *attr)
{
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (!mq_privileged() && (attr->mq_maxmsg > MQ_MSG_MAX ||
	    attr->mq_msgsize > MQ_MSGSIZE_MAX))
		return -EINVAL;
	if (attr->mq_maxmsg > MQ_HARD_MSGMAX ||
	    attr->mq_msgsize > MQ_HARD_MSGSIZEMAX)
		return -EINVAL;
	return 0;
}

/* The bytes a queue of these attributes charges (see the top). */
static uint64_t
mq_charge_of(long maxmsg, long msgsize)
{
	return (uint64_t)maxmsg * ((uint64_t)msgsize + MQ_MSG_OVERHEAD) +
	    (uint64_t)MIN(maxmsg, MQ_PRIO_MAX) * MQ_PRIO_OVERHEAD;
}

/*
 * Make a new queue named name (taken over) with attributes attr (NULL:
 * the defaults) and permission bits mode (the umask applied), owned by
 * the caller, charged to it, and enter it in the table (the name's
 * reference).  *mup is a spare charge entry the function uses (*mup =
 * NULL) or leaves, mq the memory for the queue.  mq_lock held.  Returns
 * mq, or NULL and *errp.
 */
static struct mqueue *
mq_create(char *name, const struct l_mq_attr *attr, uint32_t mode,
    struct mq_user **mup, struct mqueue *mq, int *errp)
{
	struct proc *p = curproc;
	struct mq_user *mu;
	long maxmsg = MQ_MSG_DEFAULT, msgsize = MQ_MSGSIZE_DEFAULT;
	uint64_t charge, lim;

	if (attr != NULL) {
		if ((*errp = mq_attr_check(attr)) < 0)
			return NULL;
		maxmsg = attr->mq_maxmsg;
		msgsize = attr->mq_msgsize;
	}
	if (mq_nqueues >= MQ_QUEUES_MAX && !mq_privileged()) {
		*errp = -ENOSPC;
		return NULL;
	}
	charge = mq_charge_of(maxmsg, msgsize);
	lim = p->p_rlimit[RLIMIT_MSGQUEUE][0];
	mu = mq_user_find(p->p_euid);
	if ((mu != NULL ? mu->mu_bytes : 0) + charge > lim) {
		*errp = -EMFILE;
		return NULL;
	}
	/* From here on we are committed; nothing below may fail. */
	if (mu == NULL) {
		mu = *mup;
		*mup = NULL;
		mu->mu_uid = p->p_euid;
		mu->mu_bytes = 0;
		mu->mu_next = mq_users;
		mq_users = mu;
	}
	mu->mu_bytes += charge;
	memset(mq, 0, sizeof(*mq));
	mq->mq_name = name;
	mq->mq_ino = mq_nextino++;
	mq->mq_cuid = p->p_euid;
	mq->mq_uid = p->p_euid;
	mq->mq_gid = p->p_egid;
	mq->mq_mode = mode & MQ_MODE_MASK;
	mq->mq_size = MQ_STATUS_SIZE;
	mq->mq_atime = mq->mq_mtime = mq->mq_ctime = vfs_now();
	mq->mq_maxmsg = maxmsg;
	mq->mq_msgsize = msgsize;
	mq->mq_charge = charge;
	pollhead_init(&mq->mq_ph);
	mq_nqueues++;
	mq_link(mq);			/* the name's reference */
	return mq;
}

/*
 * May the caller open mq for access acc (O_RDONLY, O_WRONLY, O_RDWR)?
 * The owner's, group's or others' bits, as for a file; root may always.
 * Returns 0 or -EACCES.
 */
static int
mq_access(const struct mqueue *mq, int acc)
{
	struct proc *p = curproc;
	int want;

	if (p->p_euid == 0)
		return 0;
	want = acc == O_RDONLY ? 4 : acc == O_WRONLY ? 2 : 6;
	return vn_mode_access(p, mq->mq_mode, mq->mq_uid, mq->mq_gid, want,
	    false);
}

/*
 * Find or create the queue for mq_open: Linux's checks in Linux's order.
 * spare is memory for a new queue (used: *sparep = NULL), mup a spare
 * charge entry.  Takes mq_lock.  Returns the queue with a reference for
 * the new file, or NULL and *errp.
 */
static struct mqueue *
mq_open_locked(char **namep, int oflag, uint32_t mode,
    const struct l_mq_attr *attr, struct mqueue **sparep,
    struct mq_user **mup, int *errp)
{
	struct mqueue *mq;

	spin_lock(&mq_lock);
	if ((mq = mq_lookup(*namep, strlen(*namep))) == NULL) {
		if (!(oflag & O_CREAT)) {
			*errp = -ENOENT;
			goto fail;
		}
		mq = mq_create(*namep, attr, mode, mup, *sparep, errp);
		if (mq == NULL)
			goto fail;
		*sparep = NULL;
		*namep = NULL;
	} else {
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			*errp = -EEXIST;
			goto fail;
		}
		if ((oflag & O_ACCMODE) == O_ACCMODE) {
			*errp = -EINVAL;
			goto fail;
		}
		if ((*errp = mq_access(mq, oflag & O_ACCMODE)) < 0)
			goto fail;
	}
	mq->mq_refs++;
	spin_unlock(&mq_lock);
	return mq;
fail:
	spin_unlock(&mq_lock);
	return NULL;
}

/* One more reference to mq, whose lock is held. */
void
mq_hold(struct mqueue *mq)
{
	KASSERT(mq->mq_refs > 0, "mq_hold: dead queue");
	mq->mq_refs++;
}

/* Drop a reference to mq, whose lock is held; the last one frees it. */
void
mq_drop(struct mqueue *mq)
{
	if (--mq->mq_refs == 0)
		mq_destroy(mq);
}

/* Drop a file's reference to mq (takes mq_lock). */
static void
mq_rele(struct mqueue *mq)
{
	spin_lock(&mq_lock);
	mq_drop(mq);
	spin_unlock(&mq_lock);
}

/*
 * Create the queue name (len bytes) for open(2) with O_CREAT in the
 * filesystem: the default attributes, permission bits mode (the umask
 * applied by the caller), the caller as owner.  Takes mq_lock.  Returns
 * 0 with *mqp referenced, -EEXIST when the name exists, or mq_create's
 * errors.
 */
int
mq_create_named(const char *name, size_t len, uint32_t mode,
    struct mqueue **mqp)
{
	struct mqueue *mq, *spare;
	struct mq_user *mu;
	char *kname;
	int error = 0;

	if ((error = mq_name_check(name, len)) < 0)
		return error;
	spare = kmalloc(sizeof(*spare), 0);
	mu = kmalloc(sizeof(*mu), 0);
	kname = kmalloc(len + 1, 0);
	if (spare == NULL || mu == NULL || kname == NULL) {
		error = -ENOMEM;
		goto out;
	}
	memcpy(kname, name, len);
	kname[len] = '\0';
	spin_lock(&mq_lock);
	if (mq_lookup(name, len) != NULL) {
		spin_unlock(&mq_lock);
		error = -EEXIST;
		goto out;
	}
	if ((mq = mq_create(kname, NULL, mode, &mu, spare, &error)) != NULL) {
		mq_hold(mq);
		*mqp = mq;
		spare = NULL;
		kname = NULL;
	}
	spin_unlock(&mq_lock);
out:
	kfree(kname);
	kfree(mu);
	kfree(spare);
	return error;
}

/*
 * Remove the name of mq, which must still be called name (len bytes):
 * mq_unlink(2), unlink(2) in the filesystem.  The caller checked the
 * permission.  mq_lock held.  Returns 0 or -ENOENT.
 */
int
mq_unlink_locked(struct mqueue *mq, const char *name, size_t len)
{
	if (mq->mq_name == NULL || mq_lookup(name, len) != mq)
		return -ENOENT;
	if (mq_unname(mq))
		mq_destroy(mq);
	mqfs_dir_changed();
	return 0;
}

/*
 * A new open file of mq (mq_open(2), or open(2) in the filesystem) with
 * the status flags of flags, holding its own reference to mq.  Returns 0
 * with *fpp, or -ENOMEM.
 */
int
mq_file_open(struct mqueue *mq, int flags, struct file **fpp)
{
	struct file *fp;

	spin_lock(&mq_lock);
	mq_hold(mq);
	spin_unlock(&mq_lock);
	if ((fp = file_alloc(&mqueue_fileops, mq, flags & ~(O_CREAT | O_EXCL |
	    O_NOCTTY | O_TRUNC | O_CLOEXEC))) == NULL) {
		mq_rele(mq);
		return -ENOMEM;
	}
	*fpp = fp;
	return 0;
}

/*
 * mq_open(2): open, or create with O_CREAT, the queue called name (no
 * leading '/': the C library strips it).  oflag: the access mode,
 * O_CREAT, O_EXCL, O_NONBLOCK (others are ignored, as on Linux, and the
 * descriptor is always close-on-exec).  mode and attr count only when
 * the queue is created.  Returns the new descriptor or a negative errno.
 */
long
sys_mq_open(const char __user *uname, int oflag, mode_t mode,
    struct l_mq_attr __user *uattr)
{
	struct l_mq_attr attr;
	struct mqueue *mq, *spare = NULL;
	struct mq_user *mu = NULL;
	struct file *fp;
	char *name;
	int error, fd;

	if ((error = mq_getname(uname, &name)) < 0)
		return error;
	if (uattr != NULL && copyin(uattr, &attr, sizeof(attr)) < 0) {
		error = -EFAULT;
		goto out_name;
	}
	if ((oflag & O_CREAT) &&
	    ((spare = kmalloc(sizeof(*spare), 0)) == NULL ||
	    (mu = kmalloc(sizeof(*mu), 0)) == NULL)) {
		error = -ENOMEM;
		goto out_spare;
	}
	mq = mq_open_locked(&name, oflag, mode & ~curproc->p_umask,
	    uattr != NULL ? &attr : NULL, &spare, &mu, &error);
	if (mq == NULL)
		goto out_spare;
	if ((fp = file_alloc(&mqueue_fileops, mq,
	    oflag & (O_ACCMODE | O_NONBLOCK))) == NULL) {
		mq_rele(mq);
		error = -ENOMEM;
		goto out_spare;
	}
	/* Linux makes every queue descriptor close-on-exec. */
	fd = fd_install(fp, 0, true);
	file_rele(fp);			/* the table's reference, or none */
	error = fd;
out_spare:
	kfree(mu);
	kfree(spare);
out_name:
	kfree(name);
	return error;
}

/*
 * mq_unlink(2): remove the name; the queue lives on while open.  Only
 * the owner of the queue or of the directory, or root, may (the
 * directory is sticky).  Returns 0, -ENOENT, -EPERM, or the name's
 * errors.
 */
long
sys_mq_unlink(const char __user *uname)
{
	struct vnode **vps = NULL;
	struct mqueue *mq;
	char *name;
	int error, n = 0;

	if ((error = mq_getname(uname, &name)) < 0)
		return error;
	spin_lock(&mq_lock);
	if ((mq = mq_lookup(name, strlen(name))) == NULL)
		error = -ENOENT;
	else if ((error = mqfs_may_delete(mq)) == 0 &&
	    (error = mqfs_hold_vnodes(mq, &vps, &n)) == 0)
		error = mq_unlink_locked(mq, name, strlen(name));
	spin_unlock(&mq_lock);
	/* The name changed outside the VFS: its name cache must hear. */
	if (n > 0)
		mqfs_purge(vps, n, name, strlen(name));
	kfree(name);
	return error;
}

/*
 * The queue behind descriptor fd, with a reference to its file (*fpp),
 * or -EBADF when fd is not open or not a message queue.
 */
static int
mq_getfile(int fd, struct file **fpp, struct mqueue **mqp)
{
	int error;

	if ((error = fd_getfile_ops(fd, &mqueue_fileops, -EBADF, fpp)) < 0)
		return error;
	*mqp = (*fpp)->f_data;
	return 0;
}

/*
 * Read an absolute CLOCK_REALTIME timeout (NULL: none, *deadline = 0).
 * Linux checks it before anything else, whether or not the call would
 * wait: -EFAULT, or -EINVAL for tv_nsec outside [0, 1e9) or tv_sec < 0.
 */
static int
mq_timeout(const struct l_timespec __user *uts, int64_t *deadline)
{
	struct l_timespec ts;

	*deadline = 0;
	if (uts == NULL)
		return 0;
	if (copyin(uts, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	if (ts.tv_sec >= MQ_FAR_SECONDS)
		*deadline = MQ_FAR_SECONDS * 1000000000L;
	else
		*deadline = ts.tv_sec * 1000000000L + ts.tv_nsec;
	return 0;
}

/*
 * Sleep on chan (mq_lock held, and held again on return) until woken,
 * a signal (-EINTR) or the absolute CLOCK_REALTIME deadline passes
 * (-ETIMEDOUT; 0: no deadline).  *waiters counts the sleepers.
 */
static int
mq_wait(const volatile void *chan, int *waiters, int64_t deadline,
    const char *wmesg)
{
	int64_t left = 0;
	int error;

	if (deadline != 0) {
		left = deadline - clock_realtime_ns();
		if (left <= 0)
			return -ETIMEDOUT;
	}
	(*waiters)++;
	error = tsleep_sig(chan, &mq_lock, wmesg, (uint64_t)left);
	(*waiters)--;
	return error;
}

/* Put m in mq's list: after every message of its priority or higher. */
static void
mq_insert(struct mqueue *mq, struct mq_msg *m)
{
	struct mq_msg *after = mq->mq_tail;

	while (after != NULL && after->mm_prio < m->mm_prio)
		after = after->mm_prev;
	m->mm_prev = after;
	m->mm_next = after != NULL ? after->mm_next : mq->mq_head;
	if (m->mm_next != NULL)
		m->mm_next->mm_prev = m;
	else
		mq->mq_tail = m;
	if (after != NULL)
		after->mm_next = m;
	else
		mq->mq_head = m;
	mq->mq_curmsgs++;
	mq->mq_qbytes += m->mm_len;
}

/* Take the first message off mq's list. */
static struct mq_msg *
mq_remove(struct mqueue *mq)
{
	struct mq_msg *m = mq->mq_head;

	mq->mq_head = m->mm_next;
	if (mq->mq_head != NULL)
		mq->mq_head->mm_prev = NULL;
	else
		mq->mq_tail = NULL;
	mq->mq_curmsgs--;
	mq->mq_qbytes -= m->mm_len;
	return m;
}

/*
 * A message arrived in mq, which was empty, and no receiver waits: take
 * the registration, if any, into *sev and *pid for mq_notify_send, which
 * the caller calls without mq_lock.  mq_lock held.
 */
static bool
mq_notify_take(struct mqueue *mq, struct l_sigevent *sev, int *pid)
{
	if (mq->mq_notify_pid == 0 || mq->mq_curmsgs != 1 ||
	    mq->mq_nrecv > 0)
		return false;
	*sev = mq->mq_notify;
	*pid = mq->mq_notify_pid;
	mq->mq_notify_pid = 0;
	return true;
}

/*
 * Send the registered process its notification (SIGEV_SIGNAL; nothing
 * for SIGEV_NONE or signal 0, which Linux accepts and never sends).
 * Takes proc_lock.
 */
static void
mq_notify_send(const struct l_sigevent *sev, int pid)
{
	struct l_siginfo si;
	struct proc *p;

	if (sev->sigev_notify != SIGEV_SIGNAL || sev->sigev_signo == 0)
		return;
	memset(&si, 0, sizeof(si));
	si.si_signo = sev->sigev_signo;
	si.si_code = SI_MESGQ;
	si.__si_kpid = curproc->p_pid;
	si.__si_kuid = curproc->p_uid;
	si.si_value = sev->sigev_value;
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) != NULL && p->p_state == PRS_ALIVE)
		(void)sig_post(p, sev->sigev_signo, &si);
	spin_unlock(&proc_lock);
}

/*
 * mq_timedsend(2): queue len bytes of msg with priority prio, waiting
 * for room (O_NONBLOCK: EAGAIN) until abs_timeout.  Errors in Linux's
 * order: the timeout, EINVAL for prio, EBADF, EMSGSIZE, EFAULT, then the
 * wait's EAGAIN, ETIMEDOUT, EINTR.
 */
long
sys_mq_timedsend(int mqdes, const char __user *msg, size_t len,
    unsigned int prio, const struct l_timespec __user *abs_timeout)
{
	struct l_sigevent sev;
	struct mqueue *mq;
	struct mq_msg *m;
	struct file *fp;
	int64_t deadline;
	int error, acc, pid;
	bool notify;

	if ((error = mq_timeout(abs_timeout, &deadline)) < 0)
		return error;
	if (prio >= MQ_PRIO_MAX)
		return -EINVAL;
	if ((error = mq_getfile(mqdes, &fp, &mq)) < 0)
		return error;
	acc = file_getflags(fp) & O_ACCMODE;
	if (acc != O_WRONLY && acc != O_RDWR) {
		error = -EBADF;
		goto out;
	}
	if (len > (size_t)mq->mq_msgsize) {
		error = -EMSGSIZE;
		goto out;
	}
	if ((m = kmalloc(sizeof(*m) + len, 0)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	m->mm_prio = prio;
	m->mm_len = len;
	if (len > 0 && copyin(msg, m->mm_text, len) < 0) {
		error = -EFAULT;
		goto out_msg;
	}
	spin_lock(&mq_lock);
	while (mq->mq_curmsgs >= mq->mq_maxmsg) {
		if (file_getflags(fp) & O_NONBLOCK)
			error = -EAGAIN;
		else
			error = mq_wait(&mq->mq_nsend, &mq->mq_nsend, deadline,
			    "mqsend");
		if (error < 0) {
			spin_unlock(&mq_lock);
			goto out_msg;
		}
	}
	mq_insert(mq, m);
	mq->mq_atime = mq->mq_mtime = mq->mq_ctime = vfs_now();
	pollwakeup(&mq->mq_ph, POLLIN | POLLRDNORM);
	notify = mq_notify_take(mq, &sev, &pid);
	if (mq->mq_nrecv > 0)
		wakeup(&mq->mq_nrecv);
	spin_unlock(&mq_lock);
	if (notify)
		mq_notify_send(&sev, pid);
	file_rele(fp);
	return 0;
out_msg:
	kfree(m);
out:
	file_rele(fp);
	return error;
}

/*
 * mq_timedreceive(2): take the oldest message of the highest priority
 * into msg (len at least mq_msgsize, else EMSGSIZE), its priority into
 * *prio if prio is not NULL, waiting (O_NONBLOCK: EAGAIN) until
 * abs_timeout.  A message whose copy-out fails is lost, as on Linux
 * (EFAULT).  Returns the message's length or a negative errno.
 */
long
sys_mq_timedreceive(int mqdes, char __user *msg, size_t len,
    unsigned int __user *prio, const struct l_timespec __user *abs_timeout)
{
	struct mqueue *mq;
	struct mq_msg *m;
	struct file *fp;
	int64_t deadline;
	unsigned int p;
	long error;
	int acc;

	if ((error = mq_timeout(abs_timeout, &deadline)) < 0)
		return error;
	if ((error = mq_getfile(mqdes, &fp, &mq)) < 0)
		return error;
	acc = file_getflags(fp) & O_ACCMODE;
	if (acc != O_RDONLY && acc != O_RDWR) {
		error = -EBADF;
		goto out;
	}
	if (len < (size_t)mq->mq_msgsize) {
		error = -EMSGSIZE;
		goto out;
	}
	spin_lock(&mq_lock);
	while (mq->mq_curmsgs == 0) {
		if (file_getflags(fp) & O_NONBLOCK)
			error = -EAGAIN;
		else
			error = mq_wait(&mq->mq_nrecv, &mq->mq_nrecv, deadline,
			    "mqrecv");
		if (error < 0) {
			spin_unlock(&mq_lock);
			goto out;
		}
	}
	m = mq_remove(mq);
	mq->mq_atime = mq->mq_mtime = mq->mq_ctime = vfs_now();
	pollwakeup(&mq->mq_ph, POLLOUT | POLLWRNORM);
	if (mq->mq_nsend > 0)
		wakeup(&mq->mq_nsend);
	spin_unlock(&mq_lock);

	p = m->mm_prio;
	if ((prio != NULL && copyout(&p, prio, sizeof(p)) < 0) ||
	    (m->mm_len > 0 && copyout(m->mm_text, msg, m->mm_len) < 0))
		error = -EFAULT;
	else
		error = m->mm_len;
	kfree(m);
out:
	file_rele(fp);
	return error;
}

/*
 * SIGEV_THREAD: Linux reads a cookie from sigev_value and wants
 * sigev_signo to be a netlink socket.  EclipseOS has no sockets, so the
 * request fails as Linux's does for a descriptor that is not one.
 */
static int
mq_notify_thread(const struct l_sigevent *sev)
{
	char cookie[NOTIFY_COOKIE_LEN];
	struct file *fp;
	int error;

	if (copyin((const void __user *)sev->sigev_value, cookie,
	    sizeof(cookie)) < 0)
		return -EFAULT;
	if ((error = fd_getfile(sev->sigev_signo, &fp)) < 0)
		return error;
	file_rele(fp);
	klog("mqueue", "pid %d: mq_notify SIGEV_THREAD needs a netlink socket,"
	    " which EclipseOS does not have", curproc->p_pid);
	return -ENOTSOCK;
}

/* Is the process that registered on mq still there?  mq_lock held. */
static bool
mq_notify_owner_alive(const struct mqueue *mq)
{
	struct proc *p;
	bool alive;

	spin_lock(&proc_lock);
	p = proc_find(mq->mq_notify_pid);
	alive = p != NULL && p->p_state == PRS_ALIVE;
	spin_unlock(&proc_lock);
	return alive;
}

/*
 * mq_notify(2): register the calling process for a notification when a
 * message arrives in the empty queue (SIGEV_SIGNAL, SIGEV_NONE), or with
 * sevp NULL remove its registration (another's is left alone).  EBUSY
 * when a process is registered already (the caller too).  Returns 0 or
 * a negative errno.
 */
long
sys_mq_notify(int mqdes, const struct l_sigevent __user *sevp)
{
	struct l_sigevent sev;
	struct mqueue *mq;
	struct file *fp;
	int error = 0;

	if (sevp != NULL) {
		if (copyin(sevp, &sev, sizeof(sev)) < 0)
			return -EFAULT;
		switch (sev.sigev_notify) {
		case SIGEV_NONE:
			break;
		case SIGEV_SIGNAL:
			if ((unsigned int)sev.sigev_signo > L_NSIG)
				return -EINVAL;
			break;
		case SIGEV_THREAD:
			return mq_notify_thread(&sev);
		default:
			return -EINVAL;
		}
	}
	if ((error = mq_getfile(mqdes, &fp, &mq)) < 0)
		return error;
	spin_lock(&mq_lock);
	if (mq->mq_notify_pid != 0 && !mq_notify_owner_alive(mq))
		mq->mq_notify_pid = 0;
	if (sevp == NULL) {
		if (mq->mq_notify_pid == curproc->p_pid)
			mq->mq_notify_pid = 0;
	} else if (mq->mq_notify_pid != 0) {
		error = -EBUSY;
	} else {
		mq->mq_notify = sev;
		mq->mq_notify_pid = curproc->p_pid;
	}
	spin_unlock(&mq_lock);
	file_rele(fp);
	return error;
}

/*
 * mq_getsetattr(2): return the attributes in oldattr (mq_flags is the
 * description's O_NONBLOCK) and, from newattr, set only O_NONBLOCK; any
 * other flag is EINVAL.  Returns 0 or a negative errno.
 */
long
sys_mq_getsetattr(int mqdes, const struct l_mq_attr __user *newattr,
    struct l_mq_attr __user *oldattr)
{
	struct l_mq_attr na, oa;
	struct mqueue *mq;
	struct file *fp;
	int error;

	if (newattr != NULL) {
		if (copyin(newattr, &na, sizeof(na)) < 0)
			return -EFAULT;
		if (na.mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
	}
	if ((error = mq_getfile(mqdes, &fp, &mq)) < 0)
		return error;
	memset(&oa, 0, sizeof(oa));
	oa.mq_maxmsg = mq->mq_maxmsg;
	oa.mq_msgsize = mq->mq_msgsize;
	spin_lock(&mq_lock);
	oa.mq_curmsgs = mq->mq_curmsgs;
	spin_lock(&file_lock);
	oa.mq_flags = fp->f_flags & O_NONBLOCK;
	if (newattr != NULL) {
		fp->f_flags &= ~O_NONBLOCK;
		fp->f_flags |= na.mq_flags & O_NONBLOCK;
	}
	spin_unlock(&file_lock);
	spin_unlock(&mq_lock);
	if (oldattr != NULL && copyout(&oa, oldattr, sizeof(oa)) < 0)
		error = -EFAULT;
	file_rele(fp);
	return error;
}

/*
 * Read mq's status line from uio->uio_offset (Linux's format): the bytes
 * queued, the notification (sigev_notify, signal, pid; all 0 when none).
 * Takes mq_lock.  Returns the bytes moved (0 past the end) or -EFAULT.
 */
long
mq_status_read(struct mqueue *mq, struct uio *uio)
{
	char line[MQ_STATUS_SIZE];
	int len, notify = 0, signo = 0, pid = 0;
	uint64_t qbytes;

	spin_lock(&mq_lock);
	qbytes = mq->mq_qbytes;
	if (mq->mq_notify_pid != 0) {
		notify = mq->mq_notify.sigev_notify;
		signo = mq->mq_notify.sigev_notify == SIGEV_SIGNAL ?
		    mq->mq_notify.sigev_signo : 0;
		pid = mq->mq_notify_pid;
	}
	spin_unlock(&mq_lock);
	len = ksnprintf(line, sizeof(line),
	    "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
	    (unsigned long)qbytes, notify, signo, pid);
	if (uio->uio_offset < 0 || uio->uio_offset >= len)
		return 0;
	return uio_move(line + uio->uio_offset, len - uio->uio_offset, uio);
}

/* read(2) of a queue's descriptor: the status line, from its offset. */
static long
mq_read(struct file *fp, struct uio *uio)
{
	long n;

	/* Access mode 3 (mq_open allows it) reads and writes nothing. */
	if ((file_getflags(fp) & O_ACCMODE) == O_ACCMODE)
		return -EBADF;
	/* read(2) (not pread) moves the description's offset itself. */
	if (uio->uio_fileoff)
		uio->uio_offset = fp->f_offset;
	n = mq_status_read(fp->f_data, uio);
	if (uio->uio_fileoff && n > 0)
		fp->f_offset = uio->uio_offset;
	return n;
}

/* write(2): Linux's mqueue files have no write: EINVAL. */
static long
mq_write(struct file *fp, struct uio *uio)
{
	(void)uio;
	if ((file_getflags(fp) & O_ACCMODE) == O_ACCMODE)
		return -EBADF;
	return -EINVAL;
}

/* lseek(2) over the status line; SEEK_END is from the file's size. */
static off_t
mq_seek(struct file *fp, off_t offset, int whence)
{
	struct mqueue *mq = fp->f_data;
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
		spin_lock(&mq_lock);
		base = mq->mq_size;
		spin_unlock(&mq_lock);
		break;
	default:
		return -EINVAL;
	}
	if (base + offset < 0)
		return -EINVAL;
	fp->f_offset = base + offset;
	return fp->f_offset;
}

/*
 * fstat(2) of a queue's descriptor: the queue's file in the mqueue
 * filesystem, as stat(2) of /dev/mqueue/NAME shows it.
 */
static int
mq_stat(struct file *fp, struct l_stat *st)
{
	struct mqueue *mq = fp->f_data;
	struct vattr va;

	memset(&va, 0, sizeof(va));
	spin_lock(&mq_lock);
	mqfs_queue_attr(mq, &va);
	spin_unlock(&mq_lock);
	memset(st, 0, sizeof(*st));
	st->st_dev = DEV_ENCODE(mqfs_dev());
	st->st_ino = va.va_ino;
	st->st_nlink = va.va_nlink;
	st->st_mode = S_IFREG | (va.va_mode & 07777);
	st->st_uid = va.va_uid;
	st->st_gid = va.va_gid;
	st->st_size = va.va_size;
	st->st_blksize = va.va_blksize;
	st->st_atime_sec = (uint64_t)va.va_atime.tv_sec;
	st->st_atime_nsec = (uint64_t)va.va_atime.tv_nsec;
	st->st_mtime_sec = (uint64_t)va.va_mtime.tv_sec;
	st->st_mtime_nsec = (uint64_t)va.va_mtime.tv_nsec;
	st->st_ctime_sec = (uint64_t)va.va_ctime.tv_sec;
	st->st_ctime_nsec = (uint64_t)va.va_ctime.tv_nsec;
	return 0;
}

/*
 * poll(2) and epoll: readable while the queue holds a message, writable
 * while it has room, whatever the access mode (Linux's mqueue_poll_file).
 * Sends and receives wake the waiters.
 */
static int
mq_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct mqueue *mq = fp->f_data;
	int mask = 0;

	(void)events;
	spin_lock(&mq_lock);
	poll_wait(&mq->mq_ph, pt);
	if (mq->mq_curmsgs > 0)
		mask |= POLLIN | POLLRDNORM;
	if (mq->mq_curmsgs < mq->mq_maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&mq_lock);
	return mask;
}

/*
 * A descriptor of the queue was closed (close(2), dup2 over it, exit):
 * as on Linux, a close by the registered process ends its notification.
 */
static void
mq_closefd(struct file *fp, struct proc *p)
{
	struct mqueue *mq = fp->f_data;

	spin_lock(&mq_lock);
	if (mq->mq_notify_pid == p->p_pid)
		mq->mq_notify_pid = 0;
	spin_unlock(&mq_lock);
}

/* The last reference to a description went: drop the queue's. */
static void
mq_close(struct file *fp)
{
	mq_rele(fp->f_data);
}

static const struct fileops mqueue_fileops = {
	.fo_name = "mqueue",
	.fo_read = mq_read,
	.fo_write = mq_write,
	.fo_ioctl = NULL,
	.fo_close = mq_close,
	.fo_seek = mq_seek,
	.fo_stat = mq_stat,
	.fo_closefd = mq_closefd,
	.fo_poll = mq_poll,
};
