/*
 * Pipes: pipe(2) and pipe2(2).
 *
 * A pipe is a 64 KiB ring (pipe(7)'s default capacity on Linux) with two
 * open file descriptions, the read end and the write end.  pipe(7) rules:
 * a read takes what is there (at most what was asked), and waits only
 * while the pipe is empty and a writer is left; with none left, an empty
 * pipe reads as end of file.  A write of at most PIPE_BUF (4096) bytes
 * goes in whole or waits; a longer one may be split.  A write with no
 * reader left fails with EPIPE after SIGPIPE is sent to the writer.
 * O_NONBLOCK turns each wait into EAGAIN (or a short count).
 *
 * One reader and one writer copy at a time (pi_rbusy, pi_wbusy), without
 * pi_lock, each in its own part of the ring (see <sys/ring.h>); pi_lock
 * is held only to look at the ring and move its counts.  Lock order:
 * pi_lock, then file_lock.  A writer owns
 * pi_wbusy only while it copies, never while it waits, so a write of at
 * most PIPE_BUF bytes, which starts only when all of it fits, is never
 * interleaved.
 *
 * poll(2): the read end is readable (POLLIN) while bytes wait, and sees
 * POLLHUP once no writer is left; the write end is writable (POLLOUT)
 * while PIPE_BUF bytes fit, and sees POLLERR once no reader is left.
 * Every change that wakes the pipe's sleepers also wakes its pollhead.
 *
 * A FIFO (fifo(7)) is the same pipe, kept in its vnode's v_fifo while any
 * end is open (pipe_fifo_open): opening for reading waits for a writer,
 * for writing waits for a reader (O_NONBLOCK: ENXIO when there is none),
 * O_RDWR never waits.  pipe_fifo_lock guards v_fifo and the pipe's
 * lifetime; lock order: pipe_fifo_lock, pi_lock, file_lock.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/ring.h>
#include <sys/systm.h>
#include <sys/abi/stat.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include <sysproto.h>

#define PIPE_ORDER	4		/* 2^4 pages: L_PIPE_SIZE */
#define PIPE_MAX_SIZE	(1024 * 1024)	/* /proc/sys/fs/pipe-max-size */
#define PIPE_O_NOTIFICATION	O_EXCL		/* O_NOTIFICATION_PIPE */

_Static_assert((PAGE_SIZE << PIPE_ORDER) == L_PIPE_SIZE, "pipe size");

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	l	pi_lock
 *	r	the reader that set pi_rbusy
 *	w	the writer that set pi_wbusy
 * Sleep channel: the pipe itself, for any change (data, space, an end
 * closed, a busy flag cleared).
 */
struct pipe {
	struct spinlock	 pi_lock;
	struct ring	 pi_ring;	/* [l] counts; bytes [r] and [w] */
	paddr_t		 pi_pa;		/* [l] the ring's pages */
	unsigned int	 pi_order;	/* [l] 2^order pages of them */
	int		 pi_readers;	/* [l] open read ends */
	int		 pi_writers;	/* [l] open write ends */
	bool		 pi_rbusy;	/* [l] a reader is copying */
	bool		 pi_wbusy;	/* [l] a writer is copying */
	struct pollhead	 pi_ph;		/* [P] poll(2)'s waiters */
	/* FIFOs only ([F]: pipe_fifo_lock). */
	struct vnode	*pi_vp;		/* [I] the FIFO's vnode, or NULL */
	unsigned int	 pi_rcount;	/* [l] read opens, ever */
	unsigned int	 pi_wcount;	/* [l] write opens, ever */
};

static struct spinlock pipe_fifo_lock = SPINLOCK_INIT("pipe_fifo_lock");

/*
 * Wake the pipe's sleepers and pollers (key: the poll events that may
 * be ready now, 0 for any); pi_lock held.
 */
static void
pipe_wakeup(struct pipe *pi, int key)
{
	KASSERT(spin_held(&pi->pi_lock), "pipe_wakeup: pi_lock");
	wakeup(pi);
	pollwakeup(&pi->pi_ph, key);
}

/*
 * A write with no reader left: SIGPIPE to the writer, then EPIPE (pipe(7),
 * write(2); Linux sends the signal even when part of the write was done).
 */
static long
pipe_epipe(void)
{
	spin_lock(&proc_lock);
	sig_post_thread(curthread, SIGPIPE, NULL);
	spin_unlock(&proc_lock);
	return -EPIPE;
}

/*
 * Copy up to n bytes from the readable part of view (a snapshot of the
 * ring's counts) out to uio.  Returns the bytes copied or -EFAULT.
 */
static long
pipe_copyout(struct ring *view, size_t n, struct uio *uio)
{
	size_t want, done = 0;
	long k;
	char *p;

	while (done < n && (want = ring_rseg(view, &p)) > 0) {
		want = MIN(want, n - done);
		if ((k = uio_move(p, want, uio)) < 0)
			return done > 0 ? (long)done : k;
		ring_consume(view, k);
		done += k;
		if ((size_t)k < want)
			break;
	}
	return done;
}

/* The same into the free part of view, from uio. */
static long
pipe_copyin(struct ring *view, size_t n, struct uio *uio)
{
	size_t want, done = 0;
	long k;
	char *p;

	while (done < n && (want = ring_wseg(view, &p)) > 0) {
		want = MIN(want, n - done);
		if ((k = uio_move(p, want, uio)) < 0)
			return done > 0 ? (long)done : k;
		ring_produce(view, k);
		done += k;
		if ((size_t)k < want)
			break;
	}
	return done;
}

/*
 * Wait on the pipe, pi_lock held (and held again on return).  Returns 0,
 * or -EINTR when a signal came.
 */
static int
pipe_wait(struct pipe *pi, const char *wmesg)
{
	return tsleep_sig(pi, &pi->pi_lock, wmesg, 0);
}

/* read(2) on the read end: what is there, waiting while it is empty. */
static long
pipe_read(struct file *fp, struct uio *uio)
{
	struct pipe *pi = fp->f_data;
	struct ring view;
	size_t avail;
	long n;
	int error;

	spin_lock(&pi->pi_lock);
	for (;;) {
		avail = ring_used(&pi->pi_ring);
		if (avail > 0 && !pi->pi_rbusy)
			break;
		if (avail == 0 && pi->pi_writers == 0) {
			spin_unlock(&pi->pi_lock);
			return 0;
		}
		if (file_getflags(fp) & O_NONBLOCK) {
			spin_unlock(&pi->pi_lock);
			return -EAGAIN;
		}
		if ((error = pipe_wait(pi, "piperd")) < 0) {
			spin_unlock(&pi->pi_lock);
			return error;
		}
	}
	pi->pi_rbusy = true;
	view = pi->pi_ring;
	spin_unlock(&pi->pi_lock);

	n = pipe_copyout(&view, MIN(avail, uio->uio_resid), uio);

	spin_lock(&pi->pi_lock);
	if (n > 0)
		ring_consume(&pi->pi_ring, n);
	pi->pi_rbusy = false;
	/* Pollers hear only of room made: a read is no new POLLIN edge. */
	wakeup(pi);
	if (n > 0)
		pollwakeup(&pi->pi_ph, POLLOUT | POLLWRNORM);
	spin_unlock(&pi->pi_lock);
	return n;
}

/* write(2) on the write end: all of uio, waiting for room as needed. */
static long
pipe_write(struct file *fp, struct uio *uio)
{
	struct pipe *pi = fp->f_data;
	size_t total = uio->uio_resid, done = 0, space, need;
	struct ring view;
	long n;
	int error;

	spin_lock(&pi->pi_lock);
	while (uio->uio_resid > 0) {
		if (pi->pi_readers == 0) {
			spin_unlock(&pi->pi_lock);
			n = uio->uio_kernel ? -EPIPE : pipe_epipe();
			return done > 0 ? (long)done : n;
		}
		space = ring_space(&pi->pi_ring);
		/* pipe(7): up to PIPE_BUF bytes go in whole. */
		need = total <= L_PIPE_BUF ? uio->uio_resid : 1;
		if (pi->pi_wbusy || space < need) {
			if (file_getflags(fp) & O_NONBLOCK) {
				spin_unlock(&pi->pi_lock);
				return done > 0 ? (long)done : -EAGAIN;
			}
			if ((error = pipe_wait(pi, "pipewr")) < 0) {
				spin_unlock(&pi->pi_lock);
				return done > 0 ? (long)done : error;
			}
			continue;
		}
		pi->pi_wbusy = true;
		view = pi->pi_ring;
		spin_unlock(&pi->pi_lock);

		n = pipe_copyin(&view, MIN(space, uio->uio_resid), uio);

		spin_lock(&pi->pi_lock);
		if (n > 0)
			ring_produce(&pi->pi_ring, n);
		pi->pi_wbusy = false;
		wakeup(pi);
		if (n > 0)
			pollwakeup(&pi->pi_ph, POLLIN | POLLRDNORM);
		if (n < 0) {
			spin_unlock(&pi->pi_lock);
			return done > 0 ? (long)done : n;
		}
		done += n;
	}
	spin_unlock(&pi->pi_lock);
	return done;
}

/* FIONREAD: the bytes waiting in the pipe. */
static long
pipe_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct pipe *pi = fp->f_data;
	int n;

	switch (cmd) {
	case FIONREAD:
		spin_lock(&pi->pi_lock);
		n = ring_used(&pi->pi_ring);
		spin_unlock(&pi->pi_lock);
		return copyout(&n, (void __user *)arg, sizeof(n));
	default:
		return -ENOTTY;
	}
}

static void
pipe_free(struct pipe *pi)
{
	vm_phys_free(pi->pi_pa, pi->pi_order);
	kfree(pi);
}

/* Count one end of access mode acc in (+1) or out (-1); pi_lock held. */
static void
pipe_count(struct pipe *pi, int acc, int d)
{
	KASSERT(spin_held(&pi->pi_lock), "pipe_count: pi_lock");
	if (acc == O_RDONLY || acc == O_RDWR)
		pi->pi_readers += d;
	if (acc == O_WRONLY || acc == O_RDWR)
		pi->pi_writers += d;
	if (d > 0 && acc != O_WRONLY)
		pi->pi_rcount++;
	if (d > 0 && acc != O_RDONLY)
		pi->pi_wcount++;
}

/*
 * The last reference to one end went: the other end sees it.  A FIFO's
 * pipe leaves its vnode when no end is open any more.
 */
static void
pipe_close(struct file *fp)
{
	struct pipe *pi = fp->f_data;
	struct vnode *vp = pi->pi_vp;
	bool last;

	if (vp != NULL)
		spin_lock(&pipe_fifo_lock);
	spin_lock(&pi->pi_lock);
	pipe_count(pi, fp->f_flags & O_ACCMODE, -1);
	last = pi->pi_readers == 0 && pi->pi_writers == 0;
	pipe_wakeup(pi, 0);
	spin_unlock(&pi->pi_lock);
	if (vp != NULL) {
		if (last)
			vp->v_fifo = NULL;
		spin_unlock(&pipe_fifo_lock);
		vrele(vp);
	}
	if (last)
		pipe_free(pi);
}

/*
 * poll(2) on either end (both for a FIFO opened O_RDWR).  A FIFO's read
 * end sees POLLHUP only once a writer came after it opened and left
 * (Linux compares the write-open count it saw at open, kept in f_offset,
 * which a pipe does not otherwise use).
 */
static int
pipe_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct pipe *pi = fp->f_data;
	int acc = fp->f_flags & O_ACCMODE, mask = 0;

	(void)events;
	spin_lock(&pi->pi_lock);
	poll_wait(&pi->pi_ph, pt);
	if (acc == O_RDONLY || acc == O_RDWR) {
		if (ring_used(&pi->pi_ring) > 0)
			mask |= POLLIN | POLLRDNORM;
		if (pi->pi_writers == 0 && (pi->pi_vp == NULL ||
		    (unsigned int)fp->f_offset != pi->pi_wcount))
			mask |= POLLHUP;
	}
	if (acc == O_WRONLY || acc == O_RDWR) {
		if (ring_space(&pi->pi_ring) >= L_PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (pi->pi_readers == 0)
			mask |= POLLERR;
	}
	spin_unlock(&pi->pi_lock);
	return mask;
}

/*
 * fstat: a FIFO, 0600, owned by whoever asks (Linux's pipefs inode has the
 * creator's ids), the same inode number at both ends; a named FIFO's
 * vnode attributes.
 */
static int
pipe_stat(struct file *fp, struct l_stat *st)
{
	struct pipe *pi = fp->f_data;

	/* A FIFO is what its vnode says. */
	if (pi->pi_vp != NULL)
		return vn_stat(pi->pi_vp, st);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_ino = (uint64_t)(uintptr_t)fp->f_data >> 4 & 0xffffffff;
	st->st_uid = curproc->p_euid;
	st->st_gid = curproc->p_egid;
	st->st_blksize = PAGE_SIZE;
	return 0;
}

static const struct fileops pipe_fileops = {
	.fo_name = "pipe",
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_close = pipe_close,
	.fo_seek = NULL,
	.fo_stat = pipe_stat,
	.fo_poll = pipe_poll,
};

/* A new empty pipe with no ends, or NULL when out of memory. */
static struct pipe *
pipe_alloc(void)
{
	struct pipe *pi;

	if ((pi = kmalloc(sizeof(*pi), M_ZERO)) == NULL)
		return NULL;
	if ((pi->pi_pa = vm_phys_alloc(PIPE_ORDER)) == 0) {
		kfree(pi);
		return NULL;
	}
	pi->pi_order = PIPE_ORDER;
	spin_init(&pi->pi_lock, "pi_lock");
	ring_init(&pi->pi_ring, PHYS_TO_DMAP(pi->pi_pa), L_PIPE_SIZE);
	pollhead_init(&pi->pi_ph);
	return pi;
}

/*
 * fifo(7)'s open waits: a reader for a writer to come (a write open after
 * its own count), a writer for a reader.  pi_lock held.  Returns 0 or
 * -EINTR.
 */
static int
pipe_fifo_wait(struct pipe *pi, int acc, int flags)
{
	unsigned int seen;
	int error;

	if (acc == O_RDONLY && !(flags & O_NONBLOCK) && pi->pi_writers == 0) {
		seen = pi->pi_wcount;
		while (pi->pi_wcount == seen)
			if ((error = pipe_wait(pi, "fifor")) < 0)
				return error;
	}
	if (acc == O_WRONLY && pi->pi_readers == 0) {
		seen = pi->pi_rcount;
		while (pi->pi_rcount == seen)
			if ((error = pipe_wait(pi, "fifow")) < 0)
				return error;
	}
	return 0;
}

/*
 * Open FIFO vnode vp with open(2)'s flags (fifo(7)): the caller's
 * reference on vp moves to the new file (released on failure).  Returns 0
 * with *fpp, -ENXIO for O_WRONLY | O_NONBLOCK without a reader, -EINTR
 * when a signal ends the wait, or -ENOMEM.
 */
int
pipe_fifo_open(struct vnode *vp, int flags, struct file **fpp)
{
	int acc = flags & O_ACCMODE, error;
	struct pipe *pi, *npi = NULL;
	struct file *fp;
	bool last;

	if ((fp = file_alloc(&pipe_fileops, NULL, acc | (flags &
	    (O_NONBLOCK | O_LARGEFILE)))) == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	spin_lock(&pipe_fifo_lock);
	if ((pi = vp->v_fifo) == NULL) {
		spin_unlock(&pipe_fifo_lock);
		if ((npi = pipe_alloc()) == NULL) {
			error = -ENOMEM;
			goto fail_fp;
		}
		spin_lock(&pipe_fifo_lock);
		if ((pi = vp->v_fifo) == NULL) {
			pi = npi;
			npi = NULL;
			pi->pi_vp = vp;
			vp->v_fifo = pi;
		}
	}
	spin_lock(&pi->pi_lock);
	if (acc == O_WRONLY && (flags & O_NONBLOCK) && pi->pi_readers == 0) {
		error = -ENXIO;
		goto fail_count;
	}
	pipe_count(pi, acc, 1);
	pipe_wakeup(pi, 0);
	fp->f_data = pi;
	fp->f_offset = pi->pi_wcount;
	spin_unlock(&pipe_fifo_lock);
	error = pipe_fifo_wait(pi, acc, flags);
	spin_unlock(&pi->pi_lock);
	if (npi != NULL)
		pipe_free(npi);
	if (error < 0) {
		/* file_rele runs pipe_close, which undoes the count. */
		file_rele(fp);
		return error;
	}
	*fpp = fp;
	return 0;

fail_count:
	last = pi->pi_readers == 0 && pi->pi_writers == 0;
	spin_unlock(&pi->pi_lock);
	if (last)
		vp->v_fifo = NULL;
	spin_unlock(&pipe_fifo_lock);
	if (last)
		pipe_free(pi);
	if (npi != NULL)
		pipe_free(npi);
fail_fp:
	kfree(fp);
fail:
	vrele(vp);
	return error;
}

/*
 * Open the pipe of pfp again, as Linux opens a pipe through its
 * /proc/PID/fd/N link: a new file description of the access mode of
 * flags (O_RDONLY: a read end, O_WRONLY: a write end, O_RDWR: both).
 * A FIFO's waits for the other end, and its ENXIO for O_WRONLY |
 * O_NONBLOCK without a reader, are a FIFO's only (fifo(7)): a pipe of
 * pipe(2) opens at once, as Linux's fifo_open treats pipefs's inodes.
 * The caller holds pfp, so its end keeps the pipe alive meanwhile.
 * Returns 0 with *fpp, -ENXIO (pfp is not a pipe, or that FIFO case),
 * -EINTR, -ENOMEM.
 */
int
pipe_reopen(struct file *pfp, int flags, struct file **fpp)
{
	int acc = flags & O_ACCMODE, error;
	struct pipe *pi;
	struct file *fp;

	if (pfp->f_ops != &pipe_fileops)
		return -ENXIO;
	pi = pfp->f_data;
	if ((fp = file_alloc(&pipe_fileops, pi, acc | (flags &
	    (O_NONBLOCK | O_LARGEFILE)))) == NULL)
		return -ENOMEM;
	/* A FIFO's every end holds its vnode (pipe_close releases it). */
	if (pi->pi_vp != NULL) {
		vref(pi->pi_vp);
		spin_lock(&pipe_fifo_lock);
	}
	spin_lock(&pi->pi_lock);
	if (pi->pi_vp != NULL && acc == O_WRONLY && (flags & O_NONBLOCK) &&
	    pi->pi_readers == 0) {
		spin_unlock(&pi->pi_lock);
		if (pi->pi_vp != NULL) {
			spin_unlock(&pipe_fifo_lock);
			vrele(pi->pi_vp);
		}
		kfree(fp);
		return -ENXIO;
	}
	pipe_count(pi, acc, 1);
	pipe_wakeup(pi, 0);
	fp->f_offset = pi->pi_wcount;
	error = 0;
	if (pi->pi_vp != NULL) {
		spin_unlock(&pipe_fifo_lock);
		error = pipe_fifo_wait(pi, acc, flags);
	}
	spin_unlock(&pi->pi_lock);
	if (error < 0) {
		/* file_rele runs pipe_close, which undoes the count. */
		file_rele(fp);
		return error;
	}
	*fpp = fp;
	return 0;
}

/*
 * F_SETPIPE_SZ: move pi's bytes into a ring of 2^order pages at pa.
 * Waits while a reader or writer copies.  Returns 0 (the old pages are
 * then in *oldpa, *oldorder, for the caller to free), -EBUSY when the
 * bytes do not fit, or -EINTR.
 */
static int
pipe_resize(struct pipe *pi, paddr_t pa, unsigned int order,
    paddr_t *oldpa, unsigned int *oldorder)
{
	struct ring nr;
	size_t used, k;
	char *p;
	int error;

	spin_lock(&pi->pi_lock);
	while (pi->pi_rbusy || pi->pi_wbusy) {
		if ((error = pipe_wait(pi, "pipesz")) < 0) {
			spin_unlock(&pi->pi_lock);
			return error;
		}
	}
	used = ring_used(&pi->pi_ring);
	if (used > (PAGE_SIZE << order)) {
		spin_unlock(&pi->pi_lock);
		return -EBUSY;
	}
	ring_init(&nr, PHYS_TO_DMAP(pa), PAGE_SIZE << order);
	while ((k = ring_rseg(&pi->pi_ring, &p)) > 0) {
		ring_put(&nr, p, k);
		ring_consume(&pi->pi_ring, k);
	}
	*oldpa = pi->pi_pa;
	*oldorder = pi->pi_order;
	pi->pi_ring = nr;
	pi->pi_pa = pa;
	pi->pi_order = order;
	pipe_wakeup(pi, 0);
	spin_unlock(&pi->pi_lock);
	return 0;
}

/*
 * fcntl(2) F_GETPIPE_SZ and F_SETPIPE_SZ on fp (EBADF when it is not a
 * pipe or FIFO).  The new size is arg rounded up to a power-of-two count
 * of pages; above fs.pipe-max-size (1 MiB) only root may go (EPERM),
 * above 2^31 is EINVAL, fewer bytes than wait in the pipe EBUSY.
 * Returns the size.
 */
long
pipe_fcntl_size(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct pipe *pi = fp->f_data;
	unsigned int order = 0, oldorder;
	paddr_t pa, oldpa;
	long size;
	int error;

	if (fp->f_ops != &pipe_fileops)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ) {
		spin_lock(&pi->pi_lock);
		size = (long)PAGE_SIZE << pi->pi_order;
		spin_unlock(&pi->pi_lock);
		return size;
	}
	if ((unsigned int)arg > (1U << 31))
		return -EINVAL;
	while ((PAGE_SIZE << order) < (unsigned int)arg)
		order++;
	if ((PAGE_SIZE << order) > PIPE_MAX_SIZE && curproc->p_euid != 0)
		return -EPERM;
	if ((pa = vm_phys_alloc(order)) == 0)
		return -ENOMEM;
	if ((error = pipe_resize(pi, pa, order, &oldpa, &oldorder)) < 0) {
		vm_phys_free(pa, order);
		return error;
	}
	vm_phys_free(oldpa, oldorder);
	return (long)PAGE_SIZE << order;
}

/*
 * pipe2(2): flags O_CLOEXEC and O_NONBLOCK.  O_NOTIFICATION_PIPE (the
 * value of O_EXCL) is ENOPKG, as from a Linux built without watch queues,
 * with a log line; any other flag is EINVAL.
 */
long
sys_pipe2(int __user *ufds, int flags)
{
	struct file *fp[2];
	struct pipe *pi;
	int fds[2], error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | PIPE_O_NOTIFICATION))
		return -EINVAL;
	if (flags & PIPE_O_NOTIFICATION) {
		klog("pipe", "pid %d: pipe2 O_NOTIFICATION_PIPE: no watch "
		    "queues", curproc->p_pid);
		return -ENOPKG;
	}
	if ((pi = pipe_alloc()) == NULL)
		return -ENOMEM;
	pi->pi_readers = pi->pi_writers = 1;
	if ((fp[0] = file_alloc(&pipe_fileops, pi,
	    O_RDONLY | (flags & O_NONBLOCK))) == NULL) {
		error = -ENOMEM;
		goto fail_ring;
	}
	if ((fp[1] = file_alloc(&pipe_fileops, pi,
	    O_WRONLY | (flags & O_NONBLOCK))) == NULL) {
		error = -ENOMEM;
		goto fail_fp0;
	}
	/* From here on the files own the pipe: file_rele frees it. */
	if ((error = fd_install_pair(fp, fds, (flags & O_CLOEXEC) != 0)) < 0)
		goto out;
	if (copyout(fds, ufds, sizeof(fds)) < 0) {
		/* Linux closes the new descriptors again: EFAULT. */
		(void)sys_close(fds[0]);
		(void)sys_close(fds[1]);
		error = -EFAULT;
	}
out:
	file_rele(fp[0]);
	file_rele(fp[1]);
	return error;

fail_fp0:
	kfree(fp[0]);
fail_ring:
	pipe_free(pi);
	return error;
}

/* pipe(2) */
long
sys_pipe(int __user *fds)
{
	return sys_pipe2(fds, 0);
}
