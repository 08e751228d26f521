/*
 * File descriptors: open file descriptions (struct file), the
 * per-process descriptor table (struct filedesc), and the system calls
 * that work on descriptors whatever is behind them: read, write, readv,
 * writev, pread64, pwrite64, lseek, ioctl, close, close_range, dup, dup2,
 * dup3, fcntl.
 * See <sys/file.h> for the structures and their locks.
 *
 * The errors follow Linux (read(2), dup(2), fcntl(2), lseek(2)): a
 * descriptor that is not open is EBADF, a full table EMFILE, a bad
 * argument EINVAL, a bad user pointer EFAULT, a positional call on a file
 * without a position ESPIPE.
 */
#include <sys/abi/close_range.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/resource.h>
#include <sys/abi/stat.h>
#include <sys/abi/uio.h>
#include <sys/errno.h>
#include <sys/abi/signal.h>
#include <sys/file.h>
#include <sys/lease.h>
#include <sys/lockf.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vnode.h>

#include <sysproto.h>

#define FD_NR_OPEN	1048576		/* Linux's fs.nr_open */
#define FD_MINSLOTS	16
#define MAX_RW_COUNT	0x7ffff000L	/* Linux: INT_MAX & PAGE_MASK */

struct spinlock file_lock = SPINLOCK_INIT("file_lock");

/*
 * Make a new open file description with one reference (the caller's),
 * operations ops, object data and status flags flags.  Returns it, or
 * NULL when out of memory.
 */
struct file *
file_alloc(const struct fileops *ops, void *data, int flags)
{
	struct file *fp;

	if ((fp = kmalloc(sizeof(*fp), M_ZERO)) == NULL)
		return NULL;
	fp->f_ops = ops;
	fp->f_data = data;
	fp->f_flags = flags;
	fp->f_count = 1;
	return fp;
}

/* Take a reference to fp.  Takes file_lock. */
void
file_hold(struct file *fp)
{
	spin_lock(&file_lock);
	KASSERT(fp->f_count > 0, "file_hold: a freed file");
	fp->f_count++;
	spin_unlock(&file_lock);
}

/*
 * Drop a reference to fp; the last one closes it (fo_close) and frees it.
 * Takes file_lock; no lock may be held by the caller (fo_close may take
 * the object's locks).
 */
void
file_rele(struct file *fp)
{
	int left;

	spin_lock(&file_lock);
	KASSERT(fp->f_count > 0, "file_rele: a freed file");
	left = --fp->f_count;
	spin_unlock(&file_lock);
	if (left > 0)
		return;
	epoll_file_release(fp);		/* it leaves every epoll set */
	if (fp->f_ops->fo_close != NULL)
		fp->f_ops->fo_close(fp);
	if (fp->f_node != NULL)
		vrele(fp->f_node);
	kfree(fp);
}

/* Returns fp's status flags (a snapshot).  Takes file_lock. */
int
file_getflags(struct file *fp)
{
	int flags;

	spin_lock(&file_lock);
	flags = fp->f_flags;
	spin_unlock(&file_lock);
	return flags;
}

/*
 * fstat of a file with no inode of its own (eventfd, timerfd, signalfd,
 * epoll): Linux's anonymous inode, mode 0600 without a file type, an
 * inode number per open file description.  For fileops' fo_stat.
 */
int
file_stat_anon(struct file *fp, struct l_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600;
	st->st_nlink = 1;
	st->st_ino = (uint64_t)(uintptr_t)fp->f_data >> 4 & 0xffffffff;
	st->st_blksize = PAGE_SIZE;
	return 0;
}

/*
 * Make uio a transfer between the file and len bytes of kernel memory at
 * buf (iov holds its one vector), at file position off: writing moves the
 * bytes to the file, else from it.  For the kernel's own reads and writes
 * (exec, core dumps, the tracer, sendfile).
 */
void
uio_init_kernel(struct uio *uio, struct l_iovec *iov, void *buf, size_t len,
    off_t off, bool writing)
{
	iov->iov_base = (void __user *)buf;
	iov->iov_len = len;
	memset(uio, 0, sizeof(*uio));
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_resid = len;
	uio->uio_offset = off;
	uio->uio_write = writing;
	uio->uio_kernel = true;
}

/*
 * Move up to n bytes between kbuf and uio's user memory; see <sys/file.h>.
 * No lock needed beyond the caller's ownership of uio and kbuf; may fault
 * pages in, so no spin lock may be held.
 */
long
uio_move(void *kbuf, size_t n, struct uio *uio)
{
	struct l_iovec *iov;
	char *kp = kbuf;
	size_t done = 0, k;
	int error;

	while (done < n && uio->uio_resid > 0 && uio->uio_iovcnt > 0) {
		iov = uio->uio_iov;
		if (iov->iov_len == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		k = MIN(n - done, MIN(iov->iov_len, uio->uio_resid));
		error = 0;
		if (uio->uio_kernel && uio->uio_write)
			memcpy(kp + done, (const void *)iov->iov_base, k);
		else if (uio->uio_kernel)
			memcpy((void *)iov->iov_base, kp + done, k);
		else if (uio->uio_write)
			error = copyin(iov->iov_base, kp + done, k);
		else
			error = copyout(kp + done, iov->iov_base, k);
		if (error < 0)
			return done > 0 ? (long)done : -EFAULT;
		iov->iov_base = (char *)iov->iov_base + k;
		iov->iov_len -= k;
		uio->uio_resid -= k;
		uio->uio_offset += k;
		done += k;
	}
	return done;
}

/* The current process's descriptor limit: RLIMIT_NOFILE's soft value. */
static int
fd_limit(const struct proc *p)
{
	uint64_t lim = p->p_rlimit[RLIMIT_NOFILE][0];

	return lim > FD_NR_OPEN ? FD_NR_OPEN : (int)lim;
}

static struct filedesc *
fdp_alloc(void)
{
	struct filedesc *fdp;

	if ((fdp = kmalloc(sizeof(*fdp), M_ZERO)) == NULL)
		return NULL;
	spin_init(&fdp->fd_lock, "fd_lock");
	return fdp;
}

/*
 * Make fdp's arrays at least want slots long.  Called without fd_lock;
 * returns 0 or -ENOMEM.
 */
static int
fdp_grow(struct filedesc *fdp, int want)
{
	struct file **nfiles, **ofiles;
	uint8_t *nflags, *oflags;
	int n;

	spin_lock(&fdp->fd_lock);
	n = fdp->fd_nfiles;
	spin_unlock(&fdp->fd_lock);
	if (n >= want)
		return 0;
	n = MAX(MAX(want, 2 * n), FD_MINSLOTS);
	nfiles = kmalloc(n * sizeof(*nfiles), M_ZERO);
	nflags = kmalloc(n, M_ZERO);
	if (nfiles == NULL || nflags == NULL) {
		kfree(nfiles);
		kfree(nflags);
		return -ENOMEM;
	}
	spin_lock(&fdp->fd_lock);
	if (fdp->fd_nfiles >= n) {
		/* Someone else grew it meanwhile. */
		ofiles = nfiles;
		oflags = nflags;
	} else {
		ofiles = fdp->fd_ofiles;
		oflags = fdp->fd_oflags;
		if (fdp->fd_nfiles > 0) {
			memcpy(nfiles, ofiles, fdp->fd_nfiles *
			    sizeof(*nfiles));
			memcpy(nflags, oflags, fdp->fd_nfiles);
		}
		fdp->fd_ofiles = nfiles;
		fdp->fd_oflags = nflags;
		fdp->fd_nfiles = n;
	}
	spin_unlock(&fdp->fd_lock);
	kfree(ofiles);
	kfree(oflags);
	return 0;
}

/*
 * Put a new reference to fp in the lowest free slot of fdp at or above
 * minfd and below lim.  Returns the descriptor, -EMFILE or -ENOMEM.
 */
static int
fdp_install(struct filedesc *fdp, struct file *fp, int minfd, bool cloexec,
    int lim)
{
	int fd, error;

	for (;;) {
		spin_lock(&fdp->fd_lock);
		for (fd = minfd; fd < fdp->fd_nfiles && fd < lim; fd++) {
			if (fdp->fd_ofiles[fd] == NULL) {
				file_hold(fp);
				fdp->fd_ofiles[fd] = fp;
				fdp->fd_oflags[fd] = cloexec ? FD_CLOEXEC : 0;
				spin_unlock(&fdp->fd_lock);
				return fd;
			}
		}
		fd = MAX(minfd, fdp->fd_nfiles);
		spin_unlock(&fdp->fd_lock);
		if (fd >= lim)
			return -EMFILE;
		if ((error = fdp_grow(fdp, fd + 1)) < 0)
			return error;
	}
}

/*
 * Take slot fd of fdp out of the table; returns the file it held (the
 * table's reference, for the caller to drop) or NULL if it was not open.
 * fd_lock held.
 */
static struct file *
fdp_remove(struct filedesc *fdp, int fd)
{
	struct file *fp;

	KASSERT(spin_held(&fdp->fd_lock), "fd_lock");
	if (fd < 0 || fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd] == NULL)
		return NULL;
	fp = fdp->fd_ofiles[fd];
	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_oflags[fd] = 0;
	return fp;
}

/*
 * Look descriptor fd up in the current process's table.  On success
 * *fpp holds a new reference (drop it with file_rele) and 0 is returned;
 * -EBADF when fd is not open.
 */
int
fd_getfile(int fd, struct file **fpp)
{
	struct filedesc *fdp = curproc->p_fd;

	if (fdp == NULL)
		return -EBADF;
	spin_lock(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd] == NULL) {
		spin_unlock(&fdp->fd_lock);
		return -EBADF;
	}
	*fpp = fdp->fd_ofiles[fd];
	file_hold(*fpp);
	spin_unlock(&fdp->fd_lock);
	return 0;
}

/*
 * fd_getfile, for a file of one kind: when fd's file does not have the
 * operations ops, its reference is dropped and wrong (the caller's errno:
 * -EBADF, -EINVAL, -ENOTSOCK ...) is returned.
 */
int
fd_getfile_ops(int fd, const struct fileops *ops, int wrong,
    struct file **fpp)
{
	int error;

	if ((error = fd_getfile(fd, fpp)) < 0)
		return error;
	if ((*fpp)->f_ops != ops) {
		file_rele(*fpp);
		return wrong;
	}
	return 0;
}

/*
 * Give fp a descriptor in the current process, the lowest free one at or
 * above minfd, with close-on-exec if cloexec.  The table takes its own
 * reference.  Returns the descriptor, -EMFILE past RLIMIT_NOFILE, or
 * -ENOMEM.
 */
int
fd_install(struct file *fp, int minfd, bool cloexec)
{
	struct proc *p = curproc;

	if (p->p_fd == NULL)
		return -EBADF;
	return fdp_install(p->p_fd, fp, minfd, cloexec, fd_limit(p));
}

/*
 * Give fp[0] and fp[1] the two lowest free descriptors of the current
 * process, or neither.  Returns 0 with them in fds, or a negative errno.
 */
int
fd_install_pair(struct file *fp[2], int fds[2], bool cloexec)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *undo;

	if ((fds[0] = fd_install(fp[0], 0, cloexec)) < 0)
		return fds[0];
	if ((fds[1] = fd_install(fp[1], 0, cloexec)) < 0) {
		spin_lock(&fdp->fd_lock);
		undo = fdp_remove(fdp, fds[0]);
		spin_unlock(&fdp->fd_lock);
		if (undo != NULL)
			file_rele(undo);
		return fds[1];
	}
	return 0;
}

/*
 * Process p closed a descriptor of fp (close, dup2 over it, close-on-exec,
 * exit): the file hears of it (a vnode drops p's record locks), then the
 * descriptor's reference goes.
 */
static void
fd_close_file(struct proc *p, struct file *fp)
{
	if (fp->f_ops->fo_closefd != NULL)
		fp->f_ops->fo_closefd(fp, p);
	file_rele(fp);
}

/*
 * Give child (not yet running) a copy of parent's table: the same files,
 * each with one more reference, and the same close-on-exec bits.  A
 * parent without a table (proc0) gives an empty one.  Returns 0 or
 * -ENOMEM.
 */
int
fd_fork(struct proc *child, struct proc *parent)
{
	struct filedesc *fdp, *pfdp = parent->p_fd;
	int i, n;

	if ((fdp = fdp_alloc()) == NULL)
		return -ENOMEM;
	child->p_fd = fdp;
	if (pfdp == NULL)
		return 0;
	for (;;) {
		spin_lock(&pfdp->fd_lock);
		n = pfdp->fd_nfiles;
		spin_unlock(&pfdp->fd_lock);
		if (fdp_grow(fdp, n) < 0) {
			fd_release(child);
			return -ENOMEM;
		}
		spin_lock(&pfdp->fd_lock);
		if (pfdp->fd_nfiles <= fdp->fd_nfiles)
			break;
		spin_unlock(&pfdp->fd_lock);
	}
	for (i = 0; i < pfdp->fd_nfiles; i++) {
		if (pfdp->fd_ofiles[i] == NULL)
			continue;
		file_hold(pfdp->fd_ofiles[i]);
		fdp->fd_ofiles[i] = pfdp->fd_ofiles[i];
		fdp->fd_oflags[i] = pfdp->fd_oflags[i];
	}
	spin_unlock(&pfdp->fd_lock);
	return 0;
}

/*
 * execve's commit: close p's close-on-exec descriptors (execve(2)).
 * p is the current process or one not yet running; no lock held.
 */
void
fd_exec(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	int i;

	if (fdp == NULL)
		return;
	spin_lock(&fdp->fd_lock);
	for (i = 0; i < fdp->fd_nfiles; i++) {
		if (fdp->fd_ofiles[i] == NULL ||
		    !(fdp->fd_oflags[i] & FD_CLOEXEC))
			continue;
		fp = fdp_remove(fdp, i);
		spin_unlock(&fdp->fd_lock);
		fd_close_file(p, fp);
		spin_lock(&fdp->fd_lock);
	}
	spin_unlock(&fdp->fd_lock);
}

/*
 * Close every descriptor of p and free its table (exit, or a process
 * that never ran).  p has no table afterwards; none is fine.  No lock
 * held.
 */
void
fd_release(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	int i;

	if (fdp == NULL)
		return;
	/* Under proc_lock: procfs reads other processes' tables. */
	spin_lock(&proc_lock);
	p->p_fd = NULL;
	spin_unlock(&proc_lock);
	for (i = 0; i < fdp->fd_nfiles; i++) {
		if (fdp->fd_ofiles[i] != NULL)
			fd_close_file(p, fdp->fd_ofiles[i]);
	}
	kfree(fdp->fd_ofiles);
	kfree(fdp->fd_oflags);
	kfree(fdp);
}

/*
 * Open the console as descriptors 0, 1 and 2 of p (the first process,
 * not yet running), one open file description, as init gets from
 * /dev/console.  Returns 0 or -ENOMEM; on failure p's table is as it was.
 */
int
fd_init_console(struct proc *p)
{
	struct file *fp;
	struct file *undo;
	int fd, error = 0;

	KASSERT(p->p_fd != NULL, "fd_init_console: no table");
	if ((fp = cons_file_open()) == NULL)
		return -ENOMEM;
	for (fd = 0; fd < 3; fd++) {
		error = fdp_install(p->p_fd, fp, fd, false, fd_limit(p));
		if (error < 0)
			break;
		KASSERT(error == fd, "fd_init_console: a slot was taken");
	}
	while (error < 0 && --fd >= 0) {
		spin_lock(&p->p_fd->fd_lock);
		undo = fdp_remove(p->p_fd, fd);
		spin_unlock(&p->p_fd->fd_lock);
		file_rele(undo);
	}
	file_rele(fp);
	return error < 0 ? error : 0;
}

/*
 * The common path of the transfer calls: fd (an O_PATH file is EBADF),
 * then (positional) a position, then its access mode (EBADF), then
 * whether the file can transfer at all (EINVAL, as Linux's
 * FMODE_CAN_READ), then rangeerr (the caller's EFAULT for a buffer that
 * is not in user space: Linux's access_ok comes at this point).  uio is
 * filled in but for uio_offset, which pos gives (positional); otherwise a
 * seekable file's operation uses and advances f_offset itself
 * (uio_fileoff).
 */
static long
fd_rw(int fd, struct uio *uio, bool positional, off_t pos, long rangeerr)
{
	struct file *fp;
	long n;
	int acc, error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	acc = file_getflags(fp) & O_ACCMODE;
	if ((file_getflags(fp) & O_PATH) != 0) {
		n = -EBADF;
		goto out;
	}
	if (positional && fp->f_ops->fo_seek == NULL) {
		n = -ESPIPE;
		goto out;
	}
	if ((uio->uio_write && acc == O_RDONLY) ||
	    (!uio->uio_write && acc == O_WRONLY)) {
		n = -EBADF;
		goto out;
	}
	/* A kind of file that cannot transfer (epoll) is EINVAL: read(2). */
	if ((uio->uio_write ? fp->f_ops->fo_write : fp->f_ops->fo_read) ==
	    NULL) {
		n = -EINVAL;
		goto out;
	}
	if (rangeerr < 0) {
		n = rangeerr;
		goto out;
	}
	if (uio->uio_resid == 0) {
		n = 0;
		goto out;
	}
	uio->uio_offset = positional ? pos : 0;
	uio->uio_fileoff = !positional && fp->f_ops->fo_seek != NULL;
	if (uio->uio_write)
		n = fp->f_ops->fo_write(fp, uio);
	else
		n = fp->f_ops->fo_read(fp, uio);
out:
	file_rele(fp);
	return n;
}

/*
 * Whether [base, base + len) lies in user space (Linux's access_ok: the
 * whole range, even for a count far larger than what will be moved).
 */
static bool
fd_user_range(const void __user *base, size_t len)
{
	uintptr_t end = (uintptr_t)base + len;

	return end >= (uintptr_t)base && end <= VM_USER_MAX;
}

/* One user buffer as a uio. */
static long
fd_rw1(int fd, void __user *buf, size_t count, bool writing,
    bool positional, off_t pos)
{
	struct l_iovec iov;
	struct uio uio;

	iov.iov_base = buf;
	iov.iov_len = MIN(count, (size_t)MAX_RW_COUNT);
	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = iov.iov_len;
	uio.uio_write = writing;
	uio.uio_kernel = false;
	return fd_rw(fd, &uio, positional, pos,
	    fd_user_range(buf, count) ? 0 : -EFAULT);
}

/* A user iovec array as a uio: readv(2) and writev(2). */
static long
fd_rwv(int fd, const struct l_iovec __user *uiov, unsigned long iovcnt,
    bool writing, bool positional, off_t pos)
{
	struct l_iovec *iov;
	struct file *fp;
	struct uio uio;
	size_t total = 0;
	unsigned long i;
	long n;

	/* EBADF comes before the vector's own errors. */
	if ((n = fd_getfile(fd, &fp)) < 0)
		return n;
	file_rele(fp);
	if (iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (iovcnt == 0)
		return 0;
	if ((iov = kmalloc(iovcnt * sizeof(*iov), 0)) == NULL)
		return -ENOMEM;
	if (copyin(uiov, iov, iovcnt * sizeof(*iov)) < 0) {
		n = -EFAULT;
		goto out;
	}
	for (i = 0; i < iovcnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			n = -EINVAL;
			goto out;
		}
		if (!fd_user_range(iov[i].iov_base, iov[i].iov_len)) {
			n = -EFAULT;
			goto out;
		}
		/* Linux truncates the vectors at MAX_RW_COUNT bytes. */
		iov[i].iov_len = MIN(iov[i].iov_len,
		    (size_t)MAX_RW_COUNT - total);
		total += iov[i].iov_len;
	}
	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_resid = total;
	uio.uio_write = writing;
	uio.uio_kernel = false;
	n = fd_rw(fd, &uio, positional, pos, 0);
out:
	kfree(iov);
	return n;
}

/* read(2) */
long
sys_read(int fd, void __user *buf, size_t count)
{
	return fd_rw1(fd, buf, count, false, false, 0);
}

/* write(2) */
long
sys_write(int fd, const void __user *buf, size_t count)
{
	return fd_rw1(fd, (void __user *)buf, count, true, false, 0);
}

/* readv(2) */
long
sys_readv(int fd, const struct l_iovec __user *iov, unsigned long iovcnt)
{
	return fd_rwv(fd, iov, iovcnt, false, false, 0);
}

/* writev(2) */
long
sys_writev(int fd, const struct l_iovec __user *iov, unsigned long iovcnt)
{
	return fd_rwv(fd, iov, iovcnt, true, false, 0);
}

/*
 * The preadv/pwritev family: on x86_64 pos_l holds the whole 64-bit
 * offset (Linux joins pos_h above 64 bits, where nothing is left).  For
 * the "2" forms a position of -1 means the file's own offset, as readv
 * and writev; RWF_HIPRI, RWF_DSYNC and RWF_SYNC ask nothing more of a
 * file kept in memory, and RWF_NOWAIT, RWF_APPEND and unknown flags are
 * EOPNOTSUPP, as for a file that cannot do them.
 */
static long
fd_prwv(int fd, const struct l_iovec __user *iov, unsigned long iovcnt,
    unsigned long pos_l, int flags, bool writing, bool v2)
{
	off_t pos = (off_t)pos_l;

	if (v2 && pos == -1)
		return flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC) ?
		    -EOPNOTSUPP : fd_rwv(fd, iov, iovcnt, writing, false, 0);
	if (pos < 0)
		return -EINVAL;
	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC))
		return -EOPNOTSUPP;
	return fd_rwv(fd, iov, iovcnt, writing, true, pos);
}

/* preadv(2) */
long
sys_preadv(int fd, const struct l_iovec __user *iov, unsigned long iovcnt,
    unsigned long pos_l, unsigned long pos_h)
{
	(void)pos_h;
	return fd_prwv(fd, iov, iovcnt, pos_l, 0, false, false);
}

/* pwritev(2) */
long
sys_pwritev(int fd, const struct l_iovec __user *iov, unsigned long iovcnt,
    unsigned long pos_l, unsigned long pos_h)
{
	(void)pos_h;
	return fd_prwv(fd, iov, iovcnt, pos_l, 0, true, false);
}

/* preadv2(2) */
long
sys_preadv2(int fd, const struct l_iovec __user *iov, unsigned long iovcnt,
    unsigned long pos_l, unsigned long pos_h, int flags)
{
	(void)pos_h;
	return fd_prwv(fd, iov, iovcnt, pos_l, flags, false, true);
}

/* pwritev2(2) */
long
sys_pwritev2(int fd, const struct l_iovec __user *iov, unsigned long iovcnt,
    unsigned long pos_l, unsigned long pos_h, int flags)
{
	(void)pos_h;
	return fd_prwv(fd, iov, iovcnt, pos_l, flags, true, true);
}

/* pread64(2): a negative position is EINVAL before anything else. */
long
sys_pread64(int fd, void __user *buf, size_t count, off_t pos)
{
	if (pos < 0)
		return -EINVAL;
	return fd_rw1(fd, buf, count, false, true, pos);
}

/* pwrite64(2) */
long
sys_pwrite64(int fd, const void __user *buf, size_t count, off_t pos)
{
	if (pos < 0)
		return -EINVAL;
	return fd_rw1(fd, (void __user *)buf, count, true, true, pos);
}

/* lseek(2): EBADF, then EINVAL for an unknown whence, then ESPIPE. */
long
sys_lseek(int fd, off_t offset, unsigned int whence)
{
	struct file *fp;
	long error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if (whence > SEEK_MAX)
		error = -EINVAL;
	else if (fp->f_ops->fo_seek == NULL)
		error = -ESPIPE;
	else if ((error = fp->f_ops->fo_seek(fp, offset, whence)) >= 0)
		fp->f_offset = error;
	file_rele(fp);
	return error;
}

/* Set or clear O_NONBLOCK on fp. */
static void
file_setnonblock(struct file *fp, bool on)
{
	spin_lock(&file_lock);
	if (on)
		fp->f_flags |= O_NONBLOCK;
	else
		fp->f_flags &= ~O_NONBLOCK;
	spin_unlock(&file_lock);
}

/*
 * Set or clear descriptor fd's close-on-exec bit, or (set < 0) read it.
 * Returns the old bit (FD_CLOEXEC or 0), or -EBADF.
 */
static int
fd_cloexec(int fd, int set)
{
	struct filedesc *fdp = curproc->p_fd;
	int old;

	spin_lock(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd] == NULL) {
		spin_unlock(&fdp->fd_lock);
		return -EBADF;
	}
	old = fdp->fd_oflags[fd] & FD_CLOEXEC;
	if (set >= 0)
		fdp->fd_oflags[fd] = set ? FD_CLOEXEC : 0;
	spin_unlock(&fdp->fd_lock);
	return old;
}

/* ioctl(2): the generic FIO* requests, then the file's own. */
long
sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *fp;
	long error;
	int on;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	switch (cmd) {
	case FIONBIO:
		if ((error = copyin((const void __user *)arg, &on,
		    sizeof(on))) < 0)
			break;
		file_setnonblock(fp, on != 0);
		break;
	case FIOCLEX:
	case FIONCLEX:
		error = fd_cloexec(fd, cmd == FIOCLEX);
		error = error < 0 ? error : 0;
		break;
	default:
		if (fp->f_ops->fo_ioctl == NULL)
			error = -ENOTTY;
		else
			error = fp->f_ops->fo_ioctl(fp, cmd, arg);
		break;
	}
	file_rele(fp);
	return error;
}

/* close(2) */
long
sys_close(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp;

	if (fdp == NULL)
		return -EBADF;
	spin_lock(&fdp->fd_lock);
	fp = fdp_remove(fdp, fd);
	spin_unlock(&fdp->fd_lock);
	if (fp == NULL)
		return -EBADF;
	fd_close_file(curproc, fp);
	return 0;
}

/*
 * close_range(2): close every open descriptor from first to last (both
 * included; last may be far past the table), or with CLOSE_RANGE_CLOEXEC
 * only set their close-on-exec bits.  CLOSE_RANGE_UNSHARE asks for a
 * table of the caller's own first.  A table is never shared between
 * processes here (fork copies it), so for a single-threaded process there
 * is nothing to unshare; the threads of a process always share theirs,
 * so there it is refused (EINVAL, logged).  Unknown flags or first > last:
 * EINVAL.  Takes fd_lock (and proc_lock to count threads).
 */
long
sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	unsigned int fd;
	int nthreads;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {
		spin_lock(&proc_lock);
		nthreads = p->p_nthreads;
		spin_unlock(&proc_lock);
		if (nthreads > 1) {
			klog("fd", "pid %d: close_range CLOSE_RANGE_UNSHARE "
			    "with threads is not supported", p->p_pid);
			return -EINVAL;
		}
	}
	if (fdp == NULL)
		return 0;
	spin_lock(&fdp->fd_lock);
	for (fd = first; fd <= last && fd < (unsigned int)fdp->fd_nfiles;
	    fd++) {
		if (fdp->fd_ofiles[fd] == NULL)
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC) {
			fdp->fd_oflags[fd] |= FD_CLOEXEC;
			continue;
		}
		fp = fdp_remove(fdp, (int)fd);
		spin_unlock(&fdp->fd_lock);
		fd_close_file(p, fp);
		spin_lock(&fdp->fd_lock);
	}
	spin_unlock(&fdp->fd_lock);
	return 0;
}

/* dup(2): the lowest free descriptor. */
long
sys_dup(int fd)
{
	struct file *fp;
	long error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	error = fd_install(fp, 0, false);
	file_rele(fp);
	return error;
}

/*
 * Make newfd refer to oldfd's file, closing what newfd held (dup2 and
 * dup3 once their own checks are done).  Returns newfd or a negative
 * errno: EBADF for an oldfd not open or a newfd outside the limit.
 */
static long
fd_dupto(int oldfd, int newfd, bool cloexec)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd;
	struct file *fp, *prev;
	int error;

	if (fdp == NULL || newfd < 0 || newfd >= fd_limit(p))
		return -EBADF;
	if ((error = fdp_grow(fdp, newfd + 1)) < 0)
		return error;
	spin_lock(&fdp->fd_lock);
	if (oldfd < 0 || oldfd >= fdp->fd_nfiles ||
	    (fp = fdp->fd_ofiles[oldfd]) == NULL) {
		spin_unlock(&fdp->fd_lock);
		return -EBADF;
	}
	file_hold(fp);
	prev = fdp->fd_ofiles[newfd];
	fdp->fd_ofiles[newfd] = fp;
	fdp->fd_oflags[newfd] = cloexec ? FD_CLOEXEC : 0;
	spin_unlock(&fdp->fd_lock);
	if (prev != NULL)
		fd_close_file(p, prev);
	return newfd;
}

/* dup2(2): oldfd == newfd checks oldfd and does nothing else. */
long
sys_dup2(int oldfd, int newfd)
{
	struct file *fp;
	long error;

	if (oldfd == newfd) {
		if ((error = fd_getfile(oldfd, &fp)) < 0)
			return error;
		file_rele(fp);
		return newfd;
	}
	return fd_dupto(oldfd, newfd, false);
}

/* dup3(2): flags other than O_CLOEXEC, or oldfd == newfd, are EINVAL. */
long
sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_dupto(oldfd, newfd, (flags & O_CLOEXEC) != 0);
}

/* fcntl(2) F_SETFL: O_APPEND and O_NONBLOCK change; the rest is kept. */
static long
fcntl_setfl(struct file *fp, int flags)
{
	if (flags & (O_DIRECT | FASYNC | O_NOATIME)) {
		klog("fd", "pid %d: fcntl F_SETFL %#x: O_DIRECT, O_ASYNC and "
		    "O_NOATIME are not supported", curproc->p_pid, flags);
		return -EINVAL;
	}
	spin_lock(&file_lock);
	fp->f_flags = (fp->f_flags & ~(O_APPEND | O_NONBLOCK)) |
	    (flags & (O_APPEND | O_NONBLOCK));
	spin_unlock(&file_lock);
	return 0;
}

/* fcntl(2)'s record locks: only files of the tree have them. */
static long
fcntl_lock(int fd, struct file *fp, unsigned int cmd,
    struct l_flock __user *arg)
{
	struct vnode *vp;
	long error;

	if ((file_getflags(fp) & O_PATH) != 0)
		return -EBADF;
	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error == -ENOTDIR ? -EINVAL : error;
	error = lockf_fcntl(fp, vp, cmd, arg);
	vrele(vp);
	return error;
}

/*
 * fcntl(2) F_SETLEASE, F_GETLEASE (kern/kern_lease.c).  A file that is
 * not of the tree (a pipe, a socket) holds no lease: F_GETLEASE says
 * F_UNLCK and F_SETLEASE is EINVAL, as Linux answers for a file that is
 * not a regular one.
 */
static long
fcntl_lease(int fd, struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct vnode *vp;
	long error;

	if ((file_getflags(fp) & O_PATH) != 0)
		return -EBADF;
	if (file_vnode(fp, &vp) < 0)
		return cmd == F_GETLEASE ? F_UNLCK : -EINVAL;
	error = lease_fcntl(fp, vp, fd, cmd, arg);
	vrele(vp);
	return error;
}

/*
 * fcntl(2) F_SETSIG, F_GETSIG: the signal a lease break sends (0: SIGIO
 * alone; another, or SIGIO named, comes with si_fd).  A number past the
 * last signal is EINVAL.
 */
static long
fcntl_sig(struct file *fp, unsigned int cmd, unsigned long arg)
{
	long sig;

	if ((file_getflags(fp) & O_PATH) != 0)
		return -EBADF;
	if (cmd == F_SETSIG && arg > L_NSIG)
		return -EINVAL;
	spin_lock(&file_lock);
	if (cmd == F_SETSIG)
		fp->f_sig = (int)arg;
	sig = cmd == F_SETSIG ? 0 : fp->f_sig;
	spin_unlock(&file_lock);
	return sig;
}

/*
 * fcntl(2) F_NOTIFY: directory change notification (dnotify) is not
 * kept; a file that is not a directory is ENOTDIR first, as on Linux
 * (fcntl(2)), and a directory is refused with EINVAL and a log line.
 */
static long
fcntl_notify(int fd)
{
	struct vnode *vp;
	long error;

	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error;
	error = vp->v_type != VDIR ? -ENOTDIR : -EINVAL;
	vrele(vp);
	if (error == -EINVAL)
		klog("fd", "pid %d: fcntl F_NOTIFY (dnotify) not supported",
		    curproc->p_pid);
	return error;
}

/* fcntl(2): the descriptor and status-flag commands. */
long
sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *fp;
	long error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the argument as an unsigned int. */
		if ((unsigned int)arg >= (unsigned int)fd_limit(curproc))
			error = -EINVAL;
		else
			error = fd_install(fp, (int)(unsigned int)arg,
			    cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		error = fd_cloexec(fd, -1);
		break;
	case F_SETFD:
		error = fd_cloexec(fd, (arg & FD_CLOEXEC) != 0);
		error = error < 0 ? error : 0;
		break;
	case F_GETFL:
		error = file_getflags(fp);
		break;
	case F_SETFL:
		error = fcntl_setfl(fp, (int)arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		error = fcntl_lock(fd, fp, cmd, (struct l_flock __user *)arg);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		error = pipe_fcntl_size(fp, cmd, arg);
		break;
	case F_NOTIFY:
		error = fcntl_notify(fd);
		break;
	case F_SETLEASE:
	case F_GETLEASE:
		error = fcntl_lease(fd, fp, cmd, arg);
		break;
	case F_SETSIG:
	case F_GETSIG:
		error = fcntl_sig(fp, cmd, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		error = vfs_fcntl_seals(fd, fp, cmd, arg);
		break;
	default:
		klog("fd", "pid %d: fcntl command %u not supported",
		    curproc->p_pid, cmd);
		error = -EINVAL;
		break;
	}
	file_rele(fp);
	return error;
}

/*
 * procfs: the file of descriptor fd of process p, held for the caller
 * (file_rele), or -EBADF.  proc_lock held: p's table cannot go (see
 * fd_release) while fd_lock is taken inside it.
 */
int
fd_proc_getfile(struct proc *p, int fd, struct file **fpp)
{
	struct filedesc *fdp = p->p_fd;
	int error = -EBADF;

	KASSERT(spin_held(&proc_lock), "fd_proc_getfile: proc_lock");
	if (fdp == NULL || fd < 0)
		return -EBADF;
	spin_lock(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd] != NULL) {
		*fpp = fdp->fd_ofiles[fd];
		file_hold(*fpp);
		error = 0;
	}
	spin_unlock(&fdp->fd_lock);
	return error;
}

/*
 * procfs: the lowest open descriptor of p at or above fd, or -1.
 * proc_lock held.
 */
int
fd_proc_next(struct proc *p, int fd)
{
	struct filedesc *fdp = p->p_fd;
	int found = -1;

	KASSERT(spin_held(&proc_lock), "fd_proc_next: proc_lock");
	if (fdp == NULL)
		return -1;
	if (fd < 0)
		fd = 0;
	spin_lock(&fdp->fd_lock);
	for (; fd < fdp->fd_nfiles; fd++) {
		if (fdp->fd_ofiles[fd] != NULL) {
			found = fd;
			break;
		}
	}
	spin_unlock(&fdp->fd_lock);
	return found;
}

/*
 * procfs: the size of p's descriptor table (status's FDSize), 0 when it
 * has none.  proc_lock held.
 */
int
fd_proc_count(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	int n;

	KASSERT(spin_held(&proc_lock), "fd_proc_count: proc_lock");
	if (fdp == NULL)
		return 0;
	spin_lock(&fdp->fd_lock);
	n = fdp->fd_nfiles;
	spin_unlock(&fdp->fd_lock);
	return n;
}
