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
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/ring.h>
#include <sys/systm.h>
#include <sys/abi/stat.h>
#include <sys/vm_phys.h>

#include <sysproto.h>

#define PIPE_ORDER	4		/* 2^4 pages: L_PIPE_SIZE */

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
	paddr_t		 pi_pa;		/* [I] the ring's pages */
	int		 pi_readers;	/* [l] open read ends */
	int		 pi_writers;	/* [l] open write ends */
	bool		 pi_rbusy;	/* [l] a reader is copying */
	bool		 pi_wbusy;	/* [l] a writer is copying */
};

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
	wakeup(pi);
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
			n = pipe_epipe();
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

/* The last reference to one end went: the other end sees it. */
static void
pipe_close(struct file *fp)
{
	struct pipe *pi = fp->f_data;
	bool last;

	spin_lock(&pi->pi_lock);
	if ((fp->f_flags & O_ACCMODE) == O_RDONLY)
		pi->pi_readers--;
	else
		pi->pi_writers--;
	last = pi->pi_readers == 0 && pi->pi_writers == 0;
	wakeup(pi);
	spin_unlock(&pi->pi_lock);
	if (last) {
		vm_phys_free(pi->pi_pa, PIPE_ORDER);
		kfree(pi);
	}
}

/*
 * fstat: a FIFO, 0600, owned by whoever asks (Linux's pipefs inode has the
 * creator's ids), the same inode number at both ends.
 */
static int
pipe_stat(struct file *fp, struct l_stat *st)
{
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
};

/* pipe2(2): flags O_CLOEXEC and O_NONBLOCK; any other is EINVAL. */
long
sys_pipe2(int __user *ufds, int flags)
{
	struct file *fp[2];
	struct pipe *pi;
	int fds[2], error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((pi = kmalloc(sizeof(*pi), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((pi->pi_pa = vm_phys_alloc(PIPE_ORDER)) == 0) {
		error = -ENOMEM;
		goto fail_pipe;
	}
	spin_init(&pi->pi_lock, "pi_lock");
	ring_init(&pi->pi_ring, PHYS_TO_DMAP(pi->pi_pa), L_PIPE_SIZE);
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
	vm_phys_free(pi->pi_pa, PIPE_ORDER);
fail_pipe:
	kfree(pi);
	return error;
}

/* pipe(2) */
long
sys_pipe(int __user *fds)
{
	return sys_pipe2(fds, 0);
}
