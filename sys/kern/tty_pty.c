/*
 * Pseudo-terminals (pty(7)): opening /dev/ptmx (5:2) makes a pair, a
 * master file and a terminal (struct tty, kern/tty.c) whose slave side
 * is /dev/pts/N (136:N).  What the master writes is the slave's input;
 * what the slave writes, after output processing, the master reads.
 * The slave starts locked (TIOCSPTLCK unlocks it, musl's unlockpt);
 * TIOCGPTN gives N (ptsname), TIOCGPTPEER opens the slave from the
 * master.  TIOCPKT puts the master in packet mode: each read begins with
 * a status byte.
 *
 * The slave nodes live in devpts filesystems (type "devpts", mounted on
 * /dev/pts at boot): a devpts mount is a tmpfs mount into which node N
 * is put when the master of pair N is opened, owned by the opener's uid
 * and gid (or the gid= mount option) with mode 0620 (or mode=), and from
 * which it is removed when the pair is freed.  ptmxmode= is accepted
 * (there is no ptmx node in the mount: /dev/ptmx is devtmpfs's).
 *
 * The slaves' driver owns major 136 whole (cdev_register_major): pair N
 * is 136:N.  Fewer than pty_max pairs exist at once (kernel.pty.max,
 * /proc/sys/kernel/pty/max, Linux's default 4096, writable by root):
 * as Linux's devpts_new_index, a new pair is refused with ENOSPC when
 * the count with it would reach the limit.  pty_count (kernel.pty.nr)
 * is how many exist.  A new pair takes the lowest free N.  Every devpts
 * mount shows every pair: unlike Linux since 4.7, a mount is not an
 * instance with its own numbering and ptmx node.
 *
 * Hangup: when the master closes, the terminal hangs up (tty_hangup):
 * slave reads see end of file and writes EIO.  When every slave file is
 * closed the master reads EIO once the output is read, and poll says
 * POLLHUP.  The pair is freed when the master and every slave file are.
 *
 * Sleep channel: &pt->pt_rwait, the master's readers (output arrived, a
 * slave closed).  The master's writers sleep on the tty's &t_inflags.
 *
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	y	pty_lock
 *	t	the terminal's t_lock
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

#include <sys/mutex.h>
#include <sys/abi/stat.h>

#include <fs/devfs/devfs.h>
#include <fs/tmpfs/tmpfs.h>

#define PTY_MAX_DEFAULT	4096		/* Linux's kernel.pty.max */
#define PTMX_DEV	MKDEV(5, 2)
#define PTS_MAJOR	136
#define PTY_CHUNK	128

struct pty {
	struct pty	*pt_next;	/* [y] pty_list, by pt_index */
	struct tty	*pt_tty;	/* [I] */
	int		 pt_index;	/* [I] N of /dev/pts/N */
	bool		 pt_locked;	/* [t] TIOCSPTLCK */
	bool		 pt_master;	/* [y] the master is open */
	int		 pt_slaves;	/* [y] open slave files */
	bool		 pt_opened;	/* [y] a slave was opened once */
	int		 pt_rwait;	/* channel only */
	char		 pt_name[16];	/* [I] "pts/N" */
};

static struct spinlock pty_lock = SPINLOCK_INIT("pty");
static struct pty *pty_list;			/* [y] by index */
static int pty_count;				/* [y] pairs on pty_list */
static int pty_max = PTY_MAX_DEFAULT;		/* [y] kernel.pty.max */

#define DEVPTS_MOUNTS_MAX	8

/* A devpts mount and the options tmpfs does not take. */
struct devpts_mount {
	struct mount	*dm_mp;		/* [d] NULL: slot free */
	uint32_t	 dm_mode;	/* [d] mode= of new nodes */
	uint32_t	 dm_gid;	/* [d] gid= of new nodes */
	bool		 dm_hasgid;	/* [d] gid= was given */
};

/*
 * Locks protecting devpts_mounts:
 *	d	devpts_lock (a mutex: node making sleeps)
 */
static struct mutex devpts_lock = MUTEX_INIT("devpts");
static struct devpts_mount devpts_mounts[DEVPTS_MOUNTS_MAX];

static int pty_slave_open_pty(struct pty *pt, int flags, struct file **fpp);

/* The slave's output waits: wake the master's readers.  t_lock held. */
static void
pty_start(struct tty *tp)
{
	struct pty *pt = tp->t_sc;

	wakeup(&pt->pt_rwait);
	pollwakeup(&tp->t_dpoll, POLLIN);
}

/* Has every slave file gone (after one was opened)?  pty_lock held. */
static bool
pty_slave_gone(struct pty *pt)
{
	return pt->pt_opened && pt->pt_slaves == 0;
}

/* Make node index in every devpts mount, owned by the current process. */
static int
devpts_add(int index)
{
	struct vattr va;
	struct vnode *vp;
	char name[12];
	int i, error = 0;

	ksnprintf(name, sizeof(name), "%d", index);
	mtx_lock(&devpts_lock);
	for (i = 0; i < DEVPTS_MOUNTS_MAX; i++) {
		if (devpts_mounts[i].dm_mp == NULL)
			continue;
		memset(&va, 0, sizeof(va));
		va.va_type = VCHR;
		va.va_mode = devpts_mounts[i].dm_mode;
		va.va_uid = curproc->p_euid;
		va.va_gid = devpts_mounts[i].dm_hasgid ?
		    devpts_mounts[i].dm_gid : curproc->p_egid;
		va.va_rdev = MKDEV(PTS_MAJOR, index);
		error = devpts_mounts[i].dm_mp->mnt_root->v_ops->vop_create(
		    devpts_mounts[i].dm_mp->mnt_root, name, strlen(name), &va,
		    &vp);
		if (error == -EEXIST) {
			klog("pty", "stale devpts node %s", name);
			error = 0;
		} else if (error < 0) {
			break;
		} else {
			ncache_purge(devpts_mounts[i].dm_mp->mnt_root, name,
			    strlen(name));
			vrele(vp);
		}
	}
	mtx_unlock(&devpts_lock);
	return error;
}

/*
 * Remove node index from every devpts mount (it may be gone already),
 * and from the name cache, as vop_remove is called directly.
 */
static void
devpts_remove(int index)
{
	struct vnode *root, *vp;
	char name[12];
	size_t len;
	int i;

	ksnprintf(name, sizeof(name), "%d", index);
	len = strlen(name);
	mtx_lock(&devpts_lock);
	for (i = 0; i < DEVPTS_MOUNTS_MAX; i++) {
		if (devpts_mounts[i].dm_mp == NULL)
			continue;
		root = devpts_mounts[i].dm_mp->mnt_root;
		if (root->v_ops->vop_lookup(root, name, len, &vp) < 0)
			continue;
		if (vp->v_type == VCHR &&
		    vp->v_rdev == MKDEV(PTS_MAJOR, index) &&
		    root->v_ops->vop_remove(root, name, len, vp, false) == 0)
			ncache_purge(root, name, len);
		vrele(vp);
	}
	mtx_unlock(&devpts_lock);
}

/* The pair of index n, or NULL; pty_lock held. */
static struct pty *
pty_find(unsigned int n)
{
	struct pty *pt;

	for (pt = pty_list; pt != NULL && pt->pt_index <= (int)n;
	    pt = pt->pt_next)
		if (pt->pt_index == (int)n)
			return pt;
	return NULL;
}

/* Take pt off pty_list; pty_lock held. */
static void
pty_unlink(struct pty *pt)
{
	struct pty **pp;

	for (pp = &pty_list; *pp != pt; pp = &(*pp)->pt_next)
		;
	*pp = pt->pt_next;
	pty_count--;
}

/* Free pt when neither side is open any more; pty_lock held, dropped. */
static void
pty_maybe_free(struct pty *pt)
{
	bool last = !pt->pt_master && pt->pt_slaves == 0;

	if (last)
		pty_unlink(pt);
	spin_unlock(&pty_lock);
	if (last) {
		devpts_remove(pt->pt_index);
		tty_free(pt->pt_tty);
		kfree(pt);
	}
}

/* The master's read: the slave's output, after a TIOCPKT status byte. */
static long
ptm_read(struct file *fp, struct uio *uio)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = pt->pt_tty;
	uint8_t buf[PTY_CHUNK];
	size_t n, off = 0;
	bool gone;
	long error;

	spin_lock(&tp->t_lock);
	for (;;) {
		if (tp->t_pkt && tp->t_pktstat != 0) {
			buf[0] = tp->t_pktstat;
			tp->t_pktstat = 0;
			n = 1;
			break;
		}
		off = tp->t_pkt ? 1 : 0;
		n = tty_getout(tp, buf + off,
		    MIN(sizeof(buf) - off, uio->uio_resid - off));
		if (n > 0) {
			buf[0] = off ? TIOCPKT_DATA : buf[0];
			n += off;
			break;
		}
		spin_lock(&pty_lock);
		gone = pty_slave_gone(pt);
		spin_unlock(&pty_lock);
		if (gone) {
			spin_unlock(&tp->t_lock);
			return -EIO;
		}
		if (fp->f_flags & O_NONBLOCK) {
			spin_unlock(&tp->t_lock);
			return -EAGAIN;
		}
		if ((error = tsleep_sig(&pt->pt_rwait, &tp->t_lock, "ptmread",
		    0)) < 0) {
			spin_unlock(&tp->t_lock);
			return error;
		}
	}
	spin_unlock(&tp->t_lock);
	return uio_move(buf, n, uio);
}

/* The master's write: input of the slave, waiting for room. */
static long
ptm_write(struct file *fp, struct uio *uio)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = pt->pt_tty;
	uint8_t buf[PTY_CHUNK];
	size_t done = 0, n, i;
	long error;

	while (uio->uio_resid > 0) {
		if ((error = uio_move(buf, sizeof(buf), uio)) < 0)
			return done > 0 ? (long)done : error;
		n = error;
		for (i = 0; i < n; ) {
			spin_lock(&tp->t_lock);
			error = 0;
			while (tty_inroom(tp) == 0 && error == 0) {
				if (fp->f_flags & O_NONBLOCK)
					error = -EAGAIN;
				else
					error = tsleep_sig(&tp->t_inflags,
					    &tp->t_lock, "ptmwrite", 0);
			}
			spin_unlock(&tp->t_lock);
			if (error < 0)
				return done > 0 ? (long)done : error;
			if (tty_input(tp, buf[i]) == 0 ||
			    (tp->t_termios.c_lflag & ICANON)) {
				i++;
				done++;
			}
		}
	}
	return done;
}

/* The master's ioctls: its own, then the terminal's. */
static long
ptm_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = pt->pt_tty;
	struct file *sfp;
	int v, error;

	switch (cmd) {
	case TIOCGPTN:
		v = pt->pt_index;
		return copyout(&v, (void __user *)arg, sizeof(v));
	case TIOCSPTLCK:
	case TIOCPKT:
		if ((error = copyin((const void __user *)arg, &v,
		    sizeof(v))) < 0)
			return error;
		spin_lock(&tp->t_lock);
		if (cmd == TIOCSPTLCK) {
			pt->pt_locked = v != 0;
		} else {
			tp->t_pkt = v != 0;
			tp->t_pktstat = 0;
		}
		spin_unlock(&tp->t_lock);
		return 0;
	case TIOCGPTLCK:
	case TIOCGPKT:
		spin_lock(&tp->t_lock);
		v = cmd == TIOCGPTLCK ? pt->pt_locked : tp->t_pkt;
		spin_unlock(&tp->t_lock);
		return copyout(&v, (void __user *)arg, sizeof(v));
	case TIOCGPTPEER:
		if (arg & ~(unsigned long)(O_ACCMODE | O_NOCTTY | O_NONBLOCK |
		    O_CLOEXEC))
			return -EINVAL;
		if ((error = pty_slave_open_pty(pt, arg | O_NOCTTY,
		    &sfp)) < 0)
			return error;
		if ((error = fd_install(sfp, 0, (arg & O_CLOEXEC) != 0)) < 0)
			file_rele(sfp);
		return error;
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCSTI:
		return -ENOTTY;	/* not through the master here */
	default:
		return tty_ioctl(tp, cmd, arg, true);
	}
}

/* poll(2) of the master. */
static int
ptm_poll(struct file *fp, int events, struct poll_table *pt_)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = pt->pt_tty;
	int mask = 0;

	(void)events;
	poll_wait(&tp->t_dpoll, pt_);
	spin_lock(&tp->t_lock);
	if ((tp->t_outlen > 0 && !tp->t_stopped) ||
	    (tp->t_pkt && tp->t_pktstat != 0))
		mask |= POLLIN | POLLRDNORM;
	if (tty_inroom(tp) > 0)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&tp->t_lock);
	spin_lock(&pty_lock);
	if (pty_slave_gone(pt))
		mask |= POLLHUP;
	spin_unlock(&pty_lock);
	return mask;
}

/* The master's last reference went: the slave hangs up. */
static void
ptm_close(struct file *fp)
{
	struct pty *pt = fp->f_data;

	tty_hangup(pt->pt_tty);
	spin_lock(&pty_lock);
	pt->pt_master = false;
	pty_maybe_free(pt);
}

/* fstat of either side: a character device owned by root. */
static int
pty_stat_common(struct l_stat *st, uint32_t dev, uint32_t mode)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | mode;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(dev);
	st->st_blksize = 1024;
	return 0;
}

static int
ptm_stat(struct file *fp, struct l_stat *st)
{
	(void)fp;
	return pty_stat_common(st, PTMX_DEV, 0666);
}

static const struct fileops ptm_fileops = {
	.fo_name = "ptmx",
	.fo_read = ptm_read,
	.fo_write = ptm_write,
	.fo_ioctl = ptm_ioctl,
	.fo_close = ptm_close,
	.fo_seek = NULL,
	.fo_stat = ptm_stat,
	.fo_poll = ptm_poll,
};

static long
pts_read(struct file *fp, struct uio *uio)
{
	struct pty *pt = fp->f_data;

	return tty_read(pt->pt_tty, uio, fp->f_flags);
}

static long
pts_write(struct file *fp, struct uio *uio)
{
	struct pty *pt = fp->f_data;

	return tty_write(pt->pt_tty, uio, fp->f_flags);
}

static long
pts_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct pty *pt = fp->f_data;

	if (cmd == TIOCGPTN || cmd == TIOCSPTLCK || cmd == TIOCGPTPEER ||
	    cmd == TIOCPKT)
		return -ENOTTY;
	return tty_ioctl(pt->pt_tty, cmd, arg, false);
}

static int
pts_poll(struct file *fp, int events, struct poll_table *pt_)
{
	struct pty *pt = fp->f_data;

	return tty_poll(pt->pt_tty, events, pt_);
}

/* A slave file went: the master may see the hangup; the pair may go. */
static void
pts_close(struct file *fp)
{
	struct pty *pt = fp->f_data;

	spin_lock(&pty_lock);
	pt->pt_slaves--;
	wakeup(&pt->pt_rwait);
	pollwakeup(&pt->pt_tty->t_dpoll, POLLHUP);
	pty_maybe_free(pt);
}

static int
pts_stat(struct file *fp, struct l_stat *st)
{
	struct pty *pt = fp->f_data;

	return pty_stat_common(st, MKDEV(PTS_MAJOR, pt->pt_index), 0620);
}

static const struct fileops pts_fileops = {
	.fo_name = "pts",
	.fo_read = pts_read,
	.fo_write = pts_write,
	.fo_ioctl = pts_ioctl,
	.fo_close = pts_close,
	.fo_seek = NULL,
	.fo_stat = pts_stat,
	.fo_poll = pts_poll,
};

/* Open the slave of pt with open(2)'s flags into *fpp. */
static int
pty_slave_open_pty(struct pty *pt, int flags, struct file **fpp)
{
	struct tty *tp = pt->pt_tty;
	int error;

	spin_lock(&pty_lock);
	spin_lock(&tp->t_lock);
	if (!pt->pt_master || tp->t_hup || pt->pt_locked)
		error = -EIO;
	else
		error = 0;
	spin_unlock(&tp->t_lock);
	if (error == 0) {
		pt->pt_slaves++;	/* holds pt while we open */
		pt->pt_opened = true;
	}
	spin_unlock(&pty_lock);
	if (error < 0)
		return error;
	if ((error = tty_open(tp, (flags & O_NOCTTY) != 0)) < 0)
		goto fail;
	if ((*fpp = file_alloc(&pts_fileops, pt, (flags & (O_ACCMODE |
	    O_NONBLOCK)) | O_LARGEFILE)) == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	return 0;
fail:
	spin_lock(&pty_lock);
	pt->pt_slaves--;
	pty_maybe_free(pt);
	return error;
}

/* Opening /dev/pts/N. */
static int
pts_open(uint32_t dev, int flags, struct file **fpp)
{
	unsigned int n = MINOR(dev);
	struct pty *pt;

	spin_lock(&pty_lock);
	pt = pty_find(n);
	if (pt == NULL || !pt->pt_master) {
		spin_unlock(&pty_lock);
		return pt == NULL ? -ENXIO : -EIO;
	}
	pt->pt_slaves++;	/* keep it while the lock is dropped */
	spin_unlock(&pty_lock);
	n = pty_slave_open_pty(pt, flags, fpp);
	spin_lock(&pty_lock);
	pt->pt_slaves--;
	pty_maybe_free(pt);
	return (int)n;
}

/* Opening /dev/ptmx: a new pair, slave locked. */
static int
ptmx_open(uint32_t dev, int flags, struct file **fpp)
{
	struct pty *pt, **pp;
	int i, max, error;

	(void)dev;
	if ((pt = kmalloc(sizeof(*pt), M_ZERO)) == NULL)
		return -ENOMEM;
	spin_lock(&pty_lock);
	if (pty_count + 1 >= (max = pty_max)) {
		spin_unlock(&pty_lock);
		klog("pty", "pid %d: all %d pseudo-terminals are in use "
		    "(kernel.pty.max)", curproc->p_pid, max);
		error = -ENOSPC;
		goto fail;
	}
	/* The lowest free index: the first gap in the sorted list. */
	for (i = 0, pp = &pty_list; *pp != NULL && (*pp)->pt_index == i;
	    pp = &(*pp)->pt_next)
		i++;
	pt->pt_index = i;
	pt->pt_next = *pp;
	*pp = pt;		/* reserved; pt_master false keeps slaves out */
	pty_count++;
	spin_unlock(&pty_lock);
	pt->pt_locked = true;
	ksnprintf(pt->pt_name, sizeof(pt->pt_name), "pts/%d", i);
	if ((pt->pt_tty = tty_alloc(pt->pt_name, MKDEV(PTS_MAJOR, i),
	    pty_start, pt)) == NULL) {
		error = -ENOMEM;
		goto fail_slot;
	}
	if ((error = devpts_add(i)) < 0)
		goto fail_node;
	if ((*fpp = file_alloc(&ptm_fileops, pt, (flags & (O_ACCMODE |
	    O_NONBLOCK)) | O_LARGEFILE)) == NULL) {
		error = -ENOMEM;
		goto fail_node;
	}
	spin_lock(&pty_lock);
	pt->pt_master = true;
	spin_unlock(&pty_lock);
	return 0;
fail_node:
	devpts_remove(i);
	tty_free(pt->pt_tty);
fail_slot:
	spin_lock(&pty_lock);
	pty_unlink(pt);
	spin_unlock(&pty_lock);
fail:
	kfree(pt);
	return error;
}

static const struct cdevsw ptmx_cdevsw = {
	.d_name = "ptmx",
	.d_open = ptmx_open,
};

static const struct cdevsw pts_cdevsw = {
	.d_name = "pts",
	.d_open = pts_open,
};

/* One devpts option name=value; the rest goes to tmpfs (0: taken). */
static int
devpts_option(struct devpts_mount *dm, const char *opt, size_t len,
    bool *taken)
{
	uint32_t v = 0;
	size_t i, skip;
	int base;

	*taken = false;
	if (len > 9 && strncmp(opt, "ptmxmode=", 9) == 0) {
		skip = 9;
		base = 8;
	} else if (len > 5 && strncmp(opt, "mode=", 5) == 0) {
		skip = 5;
		base = 8;
	} else if (len > 4 && strncmp(opt, "gid=", 4) == 0) {
		skip = 4;
		base = 10;
	} else if (len == 11 && strncmp(opt, "newinstance", 11) == 0) {
		*taken = true;
		return 0;
	} else {
		return 0;
	}
	for (i = skip; i < len; i++) {
		if (opt[i] < '0' || opt[i] >= '0' + base ||
		    v > (0xfffffffeU - 9) / 10)
			return -EINVAL;
		v = v * base + (uint32_t)(opt[i] - '0');
	}
	*taken = true;
	if (skip == 4) {
		dm->dm_gid = v;
		dm->dm_hasgid = true;
	} else if (v > 07777) {
		return -EINVAL;
	} else if (skip == 5) {
		dm->dm_mode = v;
	}
	return 0;
}

/*
 * Mount a devpts: a tmpfs with a 0755 root holding the live slaves.
 * Options mode=, gid= (new nodes) and ptmxmode= are devpts's; the
 * others tmpfs's.  Takes devpts_lock.
 */
static int
devpts_mount(struct mount *mp, const char *source, const char *data)
{
	struct devpts_mount dm;
	const char *p, *end;
	char *opts;
	size_t len, olen;
	bool taken;
	int i, error;

	memset(&dm, 0, sizeof(dm));
	dm.dm_mode = 0620;
	len = sizeof("mode=0755") + (data != NULL ? strlen(data) + 1 : 0);
	if ((opts = kmalloc(len, 0)) == NULL)
		return -ENOMEM;
	strlcpy(opts, "mode=0755", len);
	olen = strlen(opts);
	for (p = data; p != NULL && *p != '\0'; p = *end != '\0' ? end + 1 :
	    end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if (end == p)
			continue;
		if ((error = devpts_option(&dm, p, (size_t)(end - p),
		    &taken)) < 0) {
			klog("devpts", "bad mount option \"%.*s\"",
			    (int)(end - p), p);
			goto out;
		}
		if (taken)
			continue;
		opts[olen++] = ',';
		memcpy(opts + olen, p, (size_t)(end - p));
		olen += (size_t)(end - p);
		opts[olen] = '\0';
	}
	mtx_lock(&devpts_lock);
	for (i = 0; i < DEVPTS_MOUNTS_MAX && devpts_mounts[i].dm_mp != NULL;
	    i++)
		;
	if (i == DEVPTS_MOUNTS_MAX) {
		mtx_unlock(&devpts_lock);
		klog("devpts", "more than %d devpts mounts", DEVPTS_MOUNTS_MAX);
		error = -ENOMEM;
		goto out;
	}
	if ((error = tmpfs_vfsops.vfs_mount(mp, source, opts)) == 0) {
		dm.dm_mp = mp;
		devpts_mounts[i] = dm;
	}
	mtx_unlock(&devpts_lock);
out:
	kfree(opts);
	return error;
}

/* Forget mp, then let tmpfs free it.  Takes devpts_lock. */
static void
devpts_unmount(struct mount *mp)
{
	int i;

	mtx_lock(&devpts_lock);
	for (i = 0; i < DEVPTS_MOUNTS_MAX; i++)
		if (devpts_mounts[i].dm_mp == mp)
			devpts_mounts[i].dm_mp = NULL;
	mtx_unlock(&devpts_lock);
	tmpfs_vfsops.vfs_unmount(mp);
}

/*
 * statfs of devpts: Linux's, a filesystem with no blocks and no inode
 * count (so df leaves it out), only its type, block size and name length.
 */
static int
devpts_statfs(struct mount *mp, struct l_statfs *sf)
{
	(void)mp;
	sf->f_type = DEVPTS_SUPER_MAGIC;
	sf->f_bsize = PAGE_SIZE;
	sf->f_frsize = PAGE_SIZE;
	sf->f_namelen = NAME_MAX;
	return 0;
}

static const struct vfsops devpts_vfsops = {
	.vfs_name = "devpts",
	.vfs_mount = devpts_mount,
	.vfs_unmount = devpts_unmount,
	.vfs_statfs = devpts_statfs,
	.vfs_sync = NULL,
};

/*
 * Boot, after devtmpfs is on /dev: make /dev/pts and mount devpts there.
 * Returns 0 or a negative errno (logged).
 */
int
pty_mount_devpts(void)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = 0755;
	if ((error = vfs_kern_make("/dev/pts", &va, NULL, NULL)) < 0 &&
	    error != -EEXIST) {
		klog("pty", "cannot make /dev/pts (error %d)", error);
		return error;
	}
	if ((error = vfs_mount_kernel("devpts", "devpts", "/dev/pts",
	    MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666")) < 0)
		klog("pty", "cannot mount devpts on /dev/pts (error %d)",
		    error);
	return error;
}

/* kernel.pty.max (sys/sys/tty.h).  Takes pty_lock. */
int
pty_max_get(void)
{
	int v;

	spin_lock(&pty_lock);
	v = pty_max;
	spin_unlock(&pty_lock);
	return v;
}

/*
 * Set kernel.pty.max (the caller checked for root): any int from 0 (a
 * negative one is -EINVAL; Linux 6.18 enforces no upper bound).  Pairs
 * above a lowered limit stay; new ones wait for the count to fall
 * below it.  Takes pty_lock.
 */
int
pty_max_set(int max)
{
	if (max < 0)
		return -EINVAL;
	spin_lock(&pty_lock);
	pty_max = max;
	spin_unlock(&pty_lock);
	return 0;
}

/* kernel.pty.nr: the pairs that exist now.  Takes pty_lock. */
int
pty_nr(void)
{
	int v;

	spin_lock(&pty_lock);
	v = pty_count;
	spin_unlock(&pty_lock);
	return v;
}

/*
 * The devpts filesystem type, /dev/ptmx and the slaves' driver (all of
 * major 136) (devfs_init, at boot).  Failures are logged.
 */
void
pty_init(void)
{
	int error;

	vfs_register(&devpts_vfsops);
	if ((error = cdev_register(PTMX_DEV, &ptmx_cdevsw)) < 0 ||
	    (error = devfs_create("ptmx", 0666, VCHR, PTMX_DEV)) < 0) {
		klog("pty", "no /dev/ptmx (error %d)", error);
		return;
	}
	if ((error = cdev_register_major(PTS_MAJOR, &pts_cdevsw)) < 0)
		klog("pty", "no driver for major %d (error %d)", PTS_MAJOR,
		    error);
}
