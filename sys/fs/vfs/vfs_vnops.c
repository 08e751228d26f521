/*
 * Vnodes as open files: the struct fileops of a file that open(2) made,
 * read and write with the file's offset, lseek, getdents64 and stat.
 *
 * A regular file's data moves under its vnode's v_iolock, which also
 * guards the offset of every open file description of it (f_offset): two
 * processes that share a description after fork never read the same
 * bytes, and an O_APPEND write finds the end and writes there in one
 * step.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/lease.h>
#include <sys/lockf.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_object.h>
#include <sys/vm_page.h>
#include <sys/vnode.h>

#include <sysproto.h>

#include "vfs_internal.h"

#define GETDENTS_BUF_MAX	(64 * 1024)

static long
vn_read(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_data;
	long n;

	if (vp->v_type == VDIR)
		return -EISDIR;
	if (vp->v_type != VREG)
		return -EINVAL;
	mtx_lock(&vp->v_iolock);
	if (uio->uio_fileoff)
		uio->uio_offset = fp->f_offset;
	n = vp->v_ops->vop_read(vp, uio);
	if (uio->uio_fileoff && n > 0)
		fp->f_offset = uio->uio_offset;
	mtx_unlock(&vp->v_iolock);
	return n;
}

/*
 * RLIMIT_FSIZE (getrlimit(2)): a write that starts at or past the limit
 * gets SIGXFSZ and EFBIG; one that would cross it is cut short there.
 */
static long
vn_write_limit(struct uio *uio, off_t off)
{
	uint64_t lim = curproc->p_rlimit[RLIMIT_FSIZE][0];

	if (lim == RLIM_INFINITY)
		return 0;
	if ((uint64_t)off >= lim) {
		spin_lock(&proc_lock);
		sig_post_thread(curthread, SIGXFSZ, NULL);
		spin_unlock(&proc_lock);
		return -EFBIG;
	}
	if (uio->uio_resid > lim - (uint64_t)off)
		uio->uio_resid = lim - (uint64_t)off;
	return 0;
}

/*
 * A write by someone other than root clears the set-user-ID bit, and the
 * set-group-ID bit of a group-executable file (Linux's file_remove_privs).
 */
static void
vn_write_privs(struct vnode *vp)
{
	struct vattr va;

	if (curproc->p_euid == 0 || vn_getattr(vp, &va) < 0)
		return;
	if (!(va.va_mode & S_ISUID) &&
	    (va.va_mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return;
	va.va_mode &= ~(uint32_t)S_ISUID;
	if (va.va_mode & S_IXGRP)
		va.va_mode &= ~(uint32_t)S_ISGID;
	(void)vp->v_ops->vop_setattr(vp, &va, VA_MODE);
}

/*
 * The seals of vp against the write of uio (v_iolock held): -EPERM for a
 * file sealed against writes.  Sealed against growth, a write that ends
 * past the end is cut at the last page boundary within the file, and is
 * -EPERM when none is left: Linux writes page by page and refuses the
 * first page that would grow the file.  Else 0.
 */
static long
vn_write_sealed(struct vnode *vp, struct uio *uio)
{
	struct vattr va;
	off_t end;
	long error;

	if (vp->v_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (!(vp->v_seals & F_SEAL_GROW))
		return 0;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	if (uio->uio_offset + (off_t)uio->uio_resid <= va.va_size)
		return 0;
	end = va.va_size & ~(off_t)PAGE_MASK;
	if (end <= uio->uio_offset)
		return -EPERM;
	uio->uio_resid = (size_t)(end - uio->uio_offset);
	return 0;
}

static long
vn_write(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	bool append = (file_getflags(fp) & O_APPEND) != 0;
	long n, error;

	if (vp->v_type != VREG)
		return -EINVAL;
	if (vp->v_mount->mnt_flags & MS_RDONLY)
		return -EROFS;
	mtx_lock(&vp->v_iolock);
	if (uio->uio_fileoff)
		uio->uio_offset = fp->f_offset;
	if (append) {
		if ((error = vn_getattr(vp, &va)) < 0) {
			n = error;
			goto out;
		}
		uio->uio_offset = va.va_size;
	}
	if ((n = vn_write_limit(uio, uio->uio_offset)) < 0)
		goto out;
	if (vp->v_seals != 0 && (n = vn_write_sealed(vp, uio)) < 0)
		goto out;
	n = vp->v_ops->vop_write(vp, uio, append ? IO_APPEND : 0);
	if (n > 0) {
		if (uio->uio_fileoff)
			fp->f_offset = uio->uio_offset;
		vn_write_privs(vp);
	}
out:
	mtx_unlock(&vp->v_iolock);
	return n;
}

/*
 * SEEK_DATA (data true) and SEEK_HOLE of lseek(2) from offset in a file of
 * size bytes (v_iolock held): the first byte at or after offset in data,
 * or in a hole (the end of the file counts as one).  A filesystem that
 * knows its holes answers itself (vop_seekhole).  A file whose pages
 * live in v_object has holes where pages were never written, a page at a
 * time; any other file is data throughout.  Past the end, -ENXIO.
 */
static off_t
vn_seek_hole_data(struct vnode *vp, off_t offset, off_t size, bool data)
{
	uint64_t idx, last;
	paddr_t pa;
	off_t pos;

	if (offset < 0 || offset >= size)
		return -ENXIO;
	if (vp->v_ops->vop_seekhole != NULL)
		return vp->v_ops->vop_seekhole(vp, offset, data);
	if (vp->v_object == NULL)
		return data ? offset : size;
	last = ((uint64_t)size - 1) >> PAGE_SHIFT;
	for (idx = (uint64_t)offset >> PAGE_SHIFT; idx <= last; idx++) {
		if (vm_object_lookup(vp->v_object, idx, false, &pa) < 0)
			pa = 0;
		if (pa != 0)
			vm_page_release(pa);
		if ((pa != 0) == data) {
			pos = (off_t)(idx << PAGE_SHIFT);
			return MAX(pos, offset);
		}
	}
	return data ? -ENXIO : size;
}

/* lseek(2) on a vnode: regular files, directories (a readdir cookie). */
static off_t
vn_seek(struct file *fp, off_t offset, int whence)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t base, pos;
	int error;

	mtx_lock(&vp->v_iolock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
	case SEEK_DATA:
	case SEEK_HOLE:
		if ((error = vn_getattr(vp, &va)) < 0) {
			pos = error;
			goto out;
		}
		base = va.va_size;
		if (whence == SEEK_END)
			break;
		pos = vn_seek_hole_data(vp, offset, va.va_size,
		    whence == SEEK_DATA);
		if (pos >= 0)
			fp->f_offset = pos;
		goto out;
	default:
		pos = -EINVAL;
		goto out;
	}
	if (__builtin_add_overflow(base, offset, &pos)) {
		pos = -EOVERFLOW;
		goto out;
	}
	if (pos < 0) {
		pos = -EINVAL;
		goto out;
	}
	fp->f_offset = pos;
out:
	mtx_unlock(&vp->v_iolock);
	return pos;
}

/* FIONREAD on a regular file: the bytes from the offset to the end. */
static long
vn_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int n, error;

	if (cmd != FIONREAD || vp->v_type != VREG)
		return -ENOTTY;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	n = va.va_size > fp->f_offset ? (int)MIN(va.va_size - fp->f_offset,
	    0x7fffffff) : 0;
	return copyout(&n, (void __user *)arg, sizeof(n));
}

/* Is fp, a vnode file, open for writing (and so a writer of its mount)? */
static bool
vn_file_writes(int flags)
{
	return !(flags & O_PATH) && (flags & O_ACCMODE) != O_RDONLY;
}

/* Is it a reader only (v_readcount), which a write lease excludes? */
static bool
vn_file_reads(int flags)
{
	return !(flags & O_PATH) && (flags & O_ACCMODE) == O_RDONLY;
}

static void
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;

	lockf_close_file(vp, fp);
	/* Only fp itself could have set its lease, before this last close. */
	if (__atomic_load_n(&vp->v_leases, __ATOMIC_ACQUIRE) != NULL)
		lease_close_file(vp, fp);
	if (vn_file_reads(file_getflags(fp)))
		__atomic_sub_fetch(&vp->v_readcount, 1, __ATOMIC_SEQ_CST);
	/* Before the vrele, which may free a lazily unmounted mount. */
	if (vn_file_writes(file_getflags(fp))) {
		vn_write_put(vp);
		vfs_writer_put(fp->f_mount != NULL ? fp->f_mount :
		    vp->v_mount);
	}
	vrele(vp);
	if (fp->f_mount != NULL)
		vfs_mount_drop(fp->f_mount);
}

/* A descriptor closed: the process's record locks on the file go. */
static void
vn_closefd(struct file *fp, struct proc *p)
{
	lockf_close_posix(fp->f_data, p);
}

static int
vn_fo_stat(struct file *fp, struct l_stat *st)
{
	return vn_stat(fp->f_data, st);
}

static const struct fileops vn_fileops = {
	.fo_name = "vnode",
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_close = vn_close,
	.fo_seek = vn_seek,
	.fo_stat = vn_fo_stat,
	.fo_closefd = vn_closefd,
};

/*
 * An O_PATH file: a place in the tree for the *at calls, fchdir and
 * fstat, with no I/O (read and write are EBADF in fd_rw).
 */
static const struct fileops vn_pathops = {
	.fo_name = "path",
	.fo_close = vn_close,
	.fo_stat = vn_fo_stat,
};

/*
 * An open file of vp with open(2)'s flags; the caller's reference on vp
 * moves to the file, and so does its vfs_writer_get of vp's mount when
 * flags open for writing (not O_PATH, not O_RDONLY): such a file is
 * also a writer of vp (vn_write_get).  Returns 0 with *fpp, or -ETXTBSY
 * (a process runs vp) or -ENOMEM, vp and the writer released.
 */
int
vn_open_file(struct vnode *vp, int flags, struct file **fpp)
{
	return vn_open_file_mnt(vp, vp->v_mount, flags, fpp);
}

/*
 * vn_open_file for vp reached through mp: a bind that vp is no vnode of
 * is held by the file (f_mount), and its writer is the one the file gives
 * back.  The same returns.
 */
int
vn_open_file_mnt(struct vnode *vp, struct mount *mp, int flags,
    struct file **fpp)
{
	const struct fileops *ops = (flags & O_PATH) ? &vn_pathops :
	    &vn_fileops;
	struct file *fp;
	int error;

	if (flags & O_PATH)
		flags &= O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW;
	if (vn_file_writes(flags) && (error = vn_write_get(vp)) < 0)
		goto fail;
	if ((fp = file_alloc(ops, vp, flags & ~(O_CREAT | O_EXCL | O_NOCTTY |
	    O_TRUNC | O_CLOEXEC))) == NULL) {
		if (vn_file_writes(flags))
			vn_write_put(vp);
		error = -ENOMEM;
		goto fail;
	}
	if (vn_file_reads(flags))
		__atomic_add_fetch(&vp->v_readcount, 1, __ATOMIC_SEQ_CST);
	if (mp != vp->v_mount) {
		vfs_mount_hold(mp);
		fp->f_mount = mp;
	}
	*fpp = fp;
	return 0;
fail:
	if (vn_file_writes(flags))
		vfs_writer_put(mp);
	vrele(vp);
	return error;
}

/*
 * The vnode behind descriptor fd, referenced (a device's file: the node
 * it was opened through, see file_vnode): -EBADF when fd is not open,
 * -ENOTDIR when it is not a file of the tree (a pipe, say), which is what
 * the *at calls answer for such a dirfd.
 */
int
fd_getvnode(int fd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	error = file_vnode(fp, vpp);
	file_rele(fp);
	return error < 0 ? -ENOTDIR : 0;
}

/* See sys/sys/vnode.h. */
int
fd_getplace(int fd, struct vnode **vpp, struct mount **mpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if ((error = file_vnode(fp, vpp)) < 0) {
		file_rele(fp);
		return -ENOTDIR;
	}
	*mpp = fp->f_mount != NULL ? fp->f_mount : (*vpp)->v_mount;
	vfs_mount_hold(*mpp);
	file_rele(fp);
	return 0;
}

/*
 * The vnode of fp if it is a vnode file (O_PATH too), or the device node
 * a driver's file was opened through (f_node: a terminal's fstat, fchown
 * and /proc/PID/fd/N name the node, as on Linux), referenced; else
 * -EINVAL (a pipe, a socket, a procfs file...).  No lock held.
 */
int
file_vnode(struct file *fp, struct vnode **vpp)
{
	if (fp->f_ops == &vn_fileops || fp->f_ops == &vn_pathops)
		*vpp = fp->f_data;
	else if (fp->f_node != NULL)
		*vpp = fp->f_node;
	else
		return -EINVAL;
	vref(*vpp);
	return 0;
}

/* Fill st from vp's attributes (stat(2)). */
int
vn_stat(struct vnode *vp, struct l_stat *st)
{
	struct vattr va;
	int error;

	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	memset(st, 0, sizeof(*st));
	st->st_dev = DEV_ENCODE(vp->v_mount->mnt_dev);
	st->st_ino = va.va_ino;
	st->st_nlink = va.va_nlink;
	st->st_mode = vtype_to_mode(va.va_type) | (va.va_mode & 07777);
	st->st_uid = va.va_uid;
	st->st_gid = va.va_gid;
	st->st_rdev = DEV_ENCODE(va.va_rdev);
	st->st_size = va.va_size;
	st->st_blksize = va.va_blksize;
	st->st_blocks = (int64_t)va.va_blocks;
	st->st_atime_sec = (uint64_t)va.va_atime.tv_sec;
	st->st_atime_nsec = (uint64_t)va.va_atime.tv_nsec;
	st->st_mtime_sec = (uint64_t)va.va_mtime.tv_sec;
	st->st_mtime_nsec = (uint64_t)va.va_mtime.tv_nsec;
	st->st_ctime_sec = (uint64_t)va.va_ctime.tv_sec;
	st->st_ctime_nsec = (uint64_t)va.va_ctime.tv_nsec;
	return 0;
}

/* What getdents64 fills: a kernel buffer of records. */
struct getdents_ctx {
	char	*buf;
	size_t	 size, used;
	off_t	 pos;		/* after the last record that fit */
	bool	 full;		/* a record did not fit */
};

static int
getdents_fill(void *arg, const char *name, size_t len, uint64_t ino,
    int dtype, off_t next)
{
	struct getdents_ctx *c = arg;
	struct l_dirent64 *d;
	size_t reclen = roundup2(sizeof(*d) + len + 1, 8);

	if (c->used + reclen > c->size) {
		c->full = true;
		return 1;
	}
	d = (struct l_dirent64 *)(c->buf + c->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)dtype;
	memcpy(d->d_name, name, len);
	c->used += reclen;
	c->pos = next;
	return 0;
}

/*
 * getdents64(2): as many entries from the directory's offset as fit in
 * count bytes; 0 at the end; -EINVAL when not even one fits; -ENOENT once
 * the directory was removed.
 */
long
sys_getdents64(int fd, struct l_dirent64 __user *dirp, unsigned int count)
{
	struct getdents_ctx c;
	struct file *fp;
	struct vnode *vp;
	struct vattr va;
	off_t pos;
	long error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if (fp->f_ops != &vn_fileops) {
		error = fp->f_ops == &vn_pathops ? -EBADF : -ENOTDIR;
		goto out_fp;
	}
	vp = fp->f_data;
	if (vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out_fp;
	}
	/* A removed directory lists nothing, not even "." (Linux: ENOENT). */
	if ((error = vn_getattr(vp, &va)) < 0)
		goto out_fp;
	if (va.va_nlink == 0) {
		error = -ENOENT;
		goto out_fp;
	}
	c.size = MIN(count, GETDENTS_BUF_MAX);
	c.used = 0;
	c.full = false;
	if ((c.buf = kmalloc(c.size > 0 ? c.size : 1, 0)) == NULL) {
		error = -ENOMEM;
		goto out_fp;
	}
	mtx_lock(&vp->v_iolock);
	pos = c.pos = fp->f_offset;
	error = vp->v_ops->vop_readdir(vp, &pos, getdents_fill, &c);
	if (error >= 0) {
		if (c.used == 0 && c.full) {
			error = -EINVAL;	/* the next entry did not fit */
		} else if (copyout(c.buf, dirp, c.used) < 0) {
			error = -EFAULT;
		} else {
			fp->f_offset = c.pos;
			error = (long)c.used;
		}
	}
	mtx_unlock(&vp->v_iolock);
	kfree(c.buf);
out_fp:
	file_rele(fp);
	return error;
}

/*
 * For mmap(2): the file behind descriptor fd.  *flagsp gets its open
 * flags (the access mode decides what may be mapped); *vpp its vnode,
 * referenced, when it is a regular file whose pages can be mapped (its
 * v_object, or one its filesystem's vop_mmap will make), else NULL (a
 * pipe, a device, a directory: mmap answers ENODEV after its access
 * checks).  Returns 0 or -EBADF (fd not open, or opened with O_PATH, as
 * on Linux).
 */
int
vn_mmap_getvnode(int fd, struct vnode **vpp, int *flagsp)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if (fp->f_ops == &vn_pathops) {
		file_rele(fp);
		return -EBADF;
	}
	*flagsp = file_getflags(fp);
	*vpp = NULL;
	vp = fp->f_data;
	if (fp->f_ops == &vn_fileops && vp->v_type == VREG &&
	    (vnode_object(vp) != NULL || vp->v_ops->vop_mmap != NULL)) {
		vref(vp);
		*vpp = vp;
	}
	file_rele(fp);
	return 0;
}
