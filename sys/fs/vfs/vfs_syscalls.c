/*
 * The file system calls that name files: open, the *at family, stat,
 * links, renames, permissions, times, directories and the working and
 * root directories.  Each resolves its path with namei(), checks what
 * Linux checks in the order Linux does (path_resolution(7) and each
 * call's man page), and asks the filesystem to do the rest.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/stat.h>
#include <sys/abi/time.h>
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/lease.h>
#include <sys/malloc.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <sysproto.h>

#include "vfs_internal.h"

/*
 * Linux's misc major (devices.txt): its driver answers for every minor,
 * and one no device registered is ENODEV, not the ENXIO of a major
 * without a driver.
 */
#define VFS_MISC_MAJOR	10

/*
 * Resolve the user path upath from dirfd with ND_* flags into nd (namei).
 * No lock held.  Returns 0 with *pathp the copied path, which the caller
 * frees, or -errno (namei_copyin's, namei's) with nothing to free.
 */
int
vfs_namei(struct nameidata *nd, int dirfd, const char __user *upath,
    int flags, char **pathp)
{
	int error;

	if ((error = namei_copyin(upath, pathp)) < 0)
		return error;
	nd->nd_dirfd = dirfd;
	nd->nd_path = *pathp;
	nd->nd_flags = flags;
	if ((error = namei(nd)) < 0) {
		kfree(*pathp);
		*pathp = NULL;
	}
	return error;
}

/*
 * The vnode at upath (from dirfd), referenced, and the mount it was
 * reached through (nd_mnt), held: give both back with vfs_place_rele.
 * The calls that change a file check a read-only mount by it, since a
 * file found through a bind is its filesystem's vnode.
 */
static int
vfs_lookup_place(int dirfd, const char __user *upath, int flags,
    struct vnode **vpp, struct mount **mpp)
{
	struct nameidata nd;
	char *path;
	int error;

	if ((error = vfs_namei(&nd, dirfd, upath, flags, &path)) < 0)
		return error;
	kfree(path);
	*vpp = nd.nd_vp;
	*mpp = nd.nd_mnt;
	if (nd.nd_mnthold == NULL)
		vfs_mount_hold(nd.nd_mnt);	/* nd_vp keeps it until now */
	return 0;
}

/* The vnode at upath (from dirfd), referenced. */
static int
vfs_lookup_at(int dirfd, const char __user *upath, int flags,
    struct vnode **vpp)
{
	struct mount *mp;
	int error;

	if ((error = vfs_lookup_place(dirfd, upath, flags, vpp, &mp)) < 0)
		return error;
	vfs_mount_drop(mp);
	return 0;
}

/* Give back what vfs_lookup_place or fd_getplace returned. */
static void
vfs_place_rele(struct vnode *vp, struct mount *mp)
{
	vrele(vp);
	vfs_mount_drop(mp);
}

/*
 * Are the files of directory vp read-only: its mount (a read-only bind)
 * or its filesystem?  A directory found through a bind is the bind's
 * own vnode, so its v_mount is the place's mount.
 */
static bool
vfs_rdonly(const struct vnode *vp)
{
	return vfs_mount_rdonly(vp->v_mount);
}

/*
 * May the current process remove or rename entry vp of directory dvp,
 * as a directory when isdir?  In Linux's order (may_delete): it needs
 * write and search permission on dvp (EACCES), and in a sticky directory
 * (S_ISVTX, like /tmp) to own vp or dvp, or be root (EPERM); a directory
 * must be one (ENOTDIR), a non-directory not (EISDIR); a mount point or a
 * mount's root cannot go (EBUSY).  A read-only mount is the caller's
 * check, made before it looks at the name (EROFS comes first).
 */
static int
vfs_may_delete(struct vnode *dvp, struct vnode *vp, bool isdir)
{
	struct vattr dva, va;
	uint32_t uid = curproc->p_euid;
	int error;

	if ((error = vn_access(dvp, W_OK | X_OK)) < 0)
		return error;
	if ((error = vn_getattr(dvp, &dva)) < 0 ||
	    (error = vn_getattr(vp, &va)) < 0)
		return error;
	if ((dva.va_mode & S_ISVTX) && uid != 0 && uid != va.va_uid &&
	    uid != dva.va_uid)
		return -EPERM;
	if (isdir && vp->v_type != VDIR)
		return -ENOTDIR;
	if (!isdir && vp->v_type == VDIR)
		return -EISDIR;
	if (vp->v_mountedhere != NULL || vp == vp->v_mount->mnt_root)
		return -EBUSY;
	return 0;
}

/*
 * The attributes of a new file of type type in dvp: mode less the umask,
 * owned by the effective ids - or by dvp's group when dvp is set-group-ID,
 * whose new subdirectories are set-group-ID too.
 */
static int
vfs_new_attr(struct vnode *dvp, enum vtype type, uint32_t mode,
    struct vattr *va)
{
	struct proc *p = curproc;
	struct vattr dva;
	int error;

	if ((error = vn_getattr(dvp, &dva)) < 0)
		return error;
	memset(va, 0, sizeof(*va));
	va->va_type = type;
	va->va_mode = mode & ~p->p_umask & 07777;
	va->va_uid = p->p_euid;
	va->va_gid = p->p_egid;
	if (dva.va_mode & S_ISGID) {
		va->va_gid = dva.va_gid;
		if (type == VDIR)
			va->va_mode |= S_ISGID;
	}
	return 0;
}

/*
 * Make a new name nd->nd_last in nd->nd_dvp (namei with ND_PARENT found
 * nothing there): the checks every creating call shares, in Linux's
 * order (filename_create, then may_create): EROFS before EACCES.
 */
static int
vfs_may_create(struct nameidata *nd)
{
	if (vfs_rdonly(nd->nd_dvp))
		return -EROFS;
	return vn_access(nd->nd_dvp, W_OK | X_OK);
}

/* Truncate a regular file vp to length (its v_iolock taken here). */
static int
vfs_truncate(struct vnode *vp, off_t length)
{
	struct vattr va;
	int error;

	if (length < 0)
		return -EINVAL;
	if ((uint64_t)length > curproc->p_rlimit[RLIMIT_FSIZE][0]) {
		spin_lock(&proc_lock);
		sig_post_thread(curthread, SIGXFSZ, NULL);
		spin_unlock(&proc_lock);
		return -EFBIG;
	}
	memset(&va, 0, sizeof(va));
	mtx_lock(&vp->v_iolock);
	/* memfd_create(2): F_SEAL_SHRINK and F_SEAL_GROW are EPERM. */
	if ((vp->v_seals & (F_SEAL_SHRINK | F_SEAL_GROW)) &&
	    (error = vn_getattr(vp, &va)) == 0 &&
	    (((vp->v_seals & F_SEAL_SHRINK) && length < va.va_size) ||
	    ((vp->v_seals & F_SEAL_GROW) && length > va.va_size)))
		error = -EPERM;
	else {
		memset(&va, 0, sizeof(va));
		va.va_size = length;
		error = vp->v_ops->vop_setattr(vp, &va, VA_SIZE);
	}
	mtx_unlock(&vp->v_iolock);
	return error;
}

/*
 * Open an existing vp (referenced; the reference moves on), reached
 * through mount mp (held by the caller), with flags: the type and
 * permission checks of open(2), then the file or the device's own.
 */
static int
vfs_open_vnode(struct vnode *vp, struct mount *mp, int flags, bool created,
    struct file **fpp)
{
	const struct cdevsw *sw;
	int acc = flags & O_ACCMODE, mode, error;

	if ((flags & O_DIRECTORY) && vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto fail;
	}
	if (flags & O_PATH)
		return vn_open_file_mnt(vp, mp, flags, fpp);
	if (vp->v_type == VLNK) {
		error = -ELOOP;		/* O_NOFOLLOW met a link */
		goto fail;
	}
	if (vp->v_type == VDIR && (acc != O_RDONLY || (flags & O_TRUNC) ||
	    (flags & O_CREAT))) {
		error = -EISDIR;
		goto fail;
	}
	mode = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK;
	if (flags & O_TRUNC)
		mode |= W_OK;
	/* The creator may open what it made, whatever the new mode says. */
	if (!created && (error = vn_access(vp, mode)) < 0)
		goto fail;
	/* open(2): O_NOATIME is the owner's (or a privileged caller's). */
	if ((flags & O_NOATIME) && (error = vn_owner_ok(vp)) < 0)
		goto fail;
	if ((mode & W_OK) && vfs_mount_rdonly(mp) && vp->v_type != VCHR &&
	    vp->v_type != VBLK && vp->v_type != VFIFO) {
		error = -EROFS;
		goto fail;
	}
	switch (vp->v_type) {
	case VCHR:
	case VBLK:
		if (mp->mnt_flags & MS_NODEV) {
			error = -EACCES;
			goto fail;
		}
		/* A block device: the block layer (kern/subr_disk.c). */
		if (vp->v_type == VBLK)
			error = bdev_open(vp->v_rdev, flags, fpp);
		else if ((sw = cdev_lookup(vp->v_rdev)) == NULL)
			error = MAJOR(vp->v_rdev) == VFS_MISC_MAJOR ? -ENODEV :
			    -ENXIO;
		else
			error = sw->d_open(vp->v_rdev, flags, fpp);
		if (error < 0)
			goto fail;
		(*fpp)->f_node = vp;	/* the file keeps our reference */
		return 0;
	case VFIFO:
		/* A pipe procfs reaches through /proc/PID/fd/N: its own. */
		if (vp->v_ops->vop_open != NULL)
			return vp->v_ops->vop_open(vp, flags, fpp);
		/* fifo(7): the pipe in v_fifo (kern/sys_pipe.c). */
		return pipe_fifo_open(vp, flags, fpp);
	case VSOCK:
		error = -ENXIO;		/* Linux: sockets are not opened */
		goto fail;
	default:
		break;
	}
	/* A filesystem with files of its own kind opens them itself. */
	if (vp->v_type == VREG && vp->v_ops->vop_open != NULL)
		return vp->v_ops->vop_open(vp, flags, fpp);
	/* A file open for writing keeps its mount from going read-only. */
	if (acc != O_RDONLY && (error = vfs_writer_get(mp)) < 0)
		goto fail;
	if ((error = vn_open_file_mnt(vp, mp, flags, fpp)) < 0)
		return error;
	/*
	 * Counted as a reader or writer now, the open meets the file's
	 * leases (fcntl(2)): it may wait for a break, or be EWOULDBLOCK.
	 */
	if (vp->v_type == VREG && (error = lease_break(vp, flags)) < 0) {
		file_rele(*fpp);
		*fpp = NULL;
		return error;
	}
	/* Truncated as a writer: a running program is ETXTBSY first. */
	if ((flags & O_TRUNC) && vp->v_type == VREG && !created &&
	    (error = vfs_truncate(vp, 0)) < 0) {
		file_rele(*fpp);
		*fpp = NULL;
		return error;
	}
	return 0;
fail:
	vrele(vp);
	return error;
}

/*
 * open(2) with O_TMPFILE in directory dvp (referenced; released here):
 * a new regular file of mode (less the umask) that has no name, and that
 * linkat(2) may give one unless flags have O_EXCL.  Linux's order: a
 * read-only mount is EROFS, a directory the process may not write or
 * search EACCES, a filesystem without such files EOPNOTSUPP.  The file
 * is the creator's to open whatever its mode says.
 */
static int
vfs_open_tmpfile(struct vnode *dvp, int flags, uint32_t mode,
    struct file **fpp)
{
	struct vattr va;
	struct vnode *vp;
	int error;

	if (dvp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out;
	}
	if ((error = vfs_writer_get(dvp->v_mount)) < 0)
		goto out;
	if ((error = vn_access(dvp, W_OK | X_OK)) < 0)
		goto out_writer;
	if (dvp->v_ops->vop_tmpfile == NULL) {
		klog("vfs", "pid %d: O_TMPFILE: not supported by this "
		    "filesystem", curproc->p_pid);
		error = -EOPNOTSUPP;
		goto out_writer;
	}
	if ((error = vfs_new_attr(dvp, VREG, mode, &va)) < 0 ||
	    (error = dvp->v_ops->vop_tmpfile(dvp, &va, !(flags & O_EXCL),
	    &vp)) < 0)
		goto out_writer;
	/* The writer moves to the file with vp; dvp keeps its mount. */
	error = vn_open_file_mnt(vp, dvp->v_mount,
	    flags & ~(O_CREAT | O_EXCL | O_TRUNC), fpp);
	vrele(dvp);
	return error;
out_writer:
	vfs_writer_put(dvp->v_mount);
out:
	vrele(dvp);
	return error;
}

/*
 * The open(2) family: open path (from dirfd) with flags and, for O_CREAT,
 * mode, and the path resolved with the extra ND_* flags ndmore (openat2's
 * resolve flags).  Returns the new descriptor.
 */
static long
vfs_openat(int dirfd, const char __user *upath, int flags, uint32_t mode,
    int ndmore)
{
	struct nameidata nd;
	struct vattr va;
	struct file *fp;
	struct vnode *vp;
	char *path;
	bool created = false;
	int ndflags, error, fd;

	if ((flags & O_PATH) && (flags & ~(O_PATH | O_CLOEXEC | O_DIRECTORY |
	    O_NOFOLLOW | O_LARGEFILE | O_ACCMODE | O_NOCTTY | O_NONBLOCK |
	    O_NDELAY)) != 0)
		flags &= O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW;
	if ((flags & O_PATH))
		flags &= ~(O_CREAT | O_TRUNC | O_EXCL);
	/* O_TMPFILE is __O_TMPFILE with O_DIRECTORY, for writing (open(2)). */
	if ((flags & __O_TMPFILE) &&
	    ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != O_TMPFILE ||
	    (flags & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	ndflags = ((flags & O_NOFOLLOW) ? 0 : ND_FOLLOW) | ndmore;
	if (flags & __O_TMPFILE) {
		if ((error = vfs_lookup_at(dirfd, upath, ndflags, &vp)) < 0)
			return error;
		if ((error = vfs_open_tmpfile(vp, flags, mode, &fp)) < 0)
			return error;
		goto install;
	}
	if (flags & O_CREAT) {
		ndflags |= ND_PARENT;
		if (flags & O_EXCL)
			ndflags &= ~ND_FOLLOW;	/* a final link is EEXIST */
	}
	if ((error = vfs_namei(&nd, dirfd, upath, ndflags, &path)) < 0)
		return error == -EINVAL || error == -EBUSY ? -EISDIR : error;
	kfree(path);
	if ((flags & O_CREAT) && nd.nd_slash) {
		nd_release(&nd);	/* "name/" is never a file to create */
		return -EISDIR;
	}
	if (flags & O_CREAT) {
		if (nd.nd_vp != NULL) {
			if (flags & O_EXCL) {
				nd_release(&nd);
				return -EEXIST;
			}
			vp = nd.nd_vp;
			vrele(nd.nd_dvp);
		} else {
			if ((error = vfs_may_create(&nd)) < 0 ||
			    (error = vfs_new_attr(nd.nd_dvp, VREG, mode,
			    &va)) < 0 ||
			    (error = nd.nd_dvp->v_ops->vop_create(nd.nd_dvp,
			    nd.nd_last, nd.nd_lastlen, &va, &vp)) < 0) {
				vrele(nd.nd_dvp);
				return error;
			}
			/* The new file is the fs's: keep the bind. */
			if (vp->v_mount != nd.nd_mnt) {
				vfs_mount_hold(nd.nd_mnt);
				nd.nd_mnthold = nd.nd_mnt;
			}
			vrele(nd.nd_dvp);
			created = true;
		}
	} else {
		vp = nd.nd_vp;
	}
	error = vfs_open_vnode(vp, nd.nd_mnt, flags, created, &fp);
	nd_release_mnt(&nd);
	if (error < 0)
		return error;
install:
	if ((fd = fd_install(fp, 0, (flags & O_CLOEXEC) != 0)) < 0) {
		file_rele(fp);
		return fd;
	}
	file_rele(fp);
	return fd;
}

/* open(2) */
long
sys_open(const char __user *path, int flags, mode_t mode)
{
	return vfs_openat(AT_FDCWD, path, flags, mode, 0);
}

/* openat(2) */
long
sys_openat(int dirfd, const char __user *path, int flags, mode_t mode)
{
	return vfs_openat(dirfd, path, flags, mode, 0);
}

/* creat(2) */
long
sys_creat(const char __user *path, mode_t mode)
{
	return vfs_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode,
	    0);
}

/*
 * Make a file of type type (not a regular file: open does those) named by
 * upath from dirfd: mkdir, mknod, symlink (target).
 */
static long
vfs_make(int dirfd, const char __user *upath, enum vtype type,
    uint32_t mode, uint32_t rdev, const char *target)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *vp;
	char *path;
	int error;

	if ((error = vfs_namei(&nd, dirfd, upath, ND_PARENT, &path)) < 0)
		return error == -EINVAL || error == -EBUSY ? -EEXIST : error;
	kfree(path);
	if (nd.nd_vp != NULL) {
		nd_release(&nd);
		return -EEXIST;
	}
	/* Only mkdir takes a trailing slash on a name it makes. */
	if (nd.nd_slash && type != VDIR) {
		nd_release(&nd);
		return -ENOENT;
	}
	if ((error = vfs_may_create(&nd)) < 0 ||
	    (error = vfs_new_attr(nd.nd_dvp, type, mode, &va)) < 0)
		goto out;
	va.va_rdev = rdev;
	if (type == VDIR)
		va.va_mode = (mode & 01777 & ~curproc->p_umask) |
		    (va.va_mode & S_ISGID);
	if (type == VLNK) {
		va.va_mode = 0777;
		error = nd.nd_dvp->v_ops->vop_symlink(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, &va, target, &vp);
	} else {
		error = nd.nd_dvp->v_ops->vop_create(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, &va, &vp);
	}
	if (error == 0)
		vrele(vp);
out:
	nd_release(&nd);
	return error;
}

/* mkdirat(2) */
long
sys_mkdirat(int dirfd, const char __user *path, mode_t mode)
{
	return vfs_make(dirfd, path, VDIR, mode, 0, NULL);
}

/* mkdir(2) */
long
sys_mkdir(const char __user *path, mode_t mode)
{
	return vfs_make(AT_FDCWD, path, VDIR, mode, 0, NULL);
}

/*
 * mknodat(2): regular files, FIFOs and sockets for anyone; device nodes
 * for root (CAP_MKNOD).
 */
long
sys_mknodat(int dirfd, const char __user *path, mode_t mode, unsigned int dev)
{
	enum vtype type;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:	type = VREG; break;
	case S_IFCHR:	type = VCHR; break;
	case S_IFBLK:	type = VBLK; break;
	case S_IFIFO:	type = VFIFO; break;
	case S_IFSOCK:	type = VSOCK; break;
	case S_IFDIR:	return -EPERM;
	default:	return -EINVAL;
	}
	if ((type == VCHR || type == VBLK) && curproc->p_euid != 0)
		return -EPERM;
	return vfs_make(dirfd, path, type, mode, type == VCHR ||
	    type == VBLK ? DEV_DECODE(dev) : 0, NULL);
}

/* mknod(2) */
long
sys_mknod(const char __user *path, mode_t mode, unsigned int dev)
{
	return sys_mknodat(AT_FDCWD, path, mode, dev);
}

/* symlinkat(2) */
long
sys_symlinkat(const char __user *utarget, int dirfd,
    const char __user *linkpath)
{
	char *target;
	long error;

	if ((error = namei_copyin(utarget, &target)) < 0)
		return error;
	if (target[0] == '\0')
		error = -ENOENT;
	else
		error = vfs_make(dirfd, linkpath, VLNK, 0777, 0, target);
	kfree(target);
	return error;
}

/* symlink(2) */
long
sys_symlink(const char __user *target, const char __user *linkpath)
{
	return sys_symlinkat(target, AT_FDCWD, linkpath);
}

/* unlink and rmdir of upath from dirfd. */
static long
vfs_remove(int dirfd, const char __user *upath, bool rmdir)
{
	struct nameidata nd;
	char *path;
	int error;

	if ((error = namei_copyin(upath, &path)) < 0)
		return error;
	nd.nd_dirfd = dirfd;
	nd.nd_path = path;
	nd.nd_flags = ND_PARENT | ND_NOCROSS;
	error = namei(&nd);
	if (error == -EINVAL)		/* the last name was "." or ".." */
		error = !rmdir ? -EISDIR : nd.nd_lastdots == 1 ? -EINVAL :
		    -ENOTEMPTY;
	else if (error == -EBUSY && !rmdir)	/* "/" */
		error = -EISDIR;
	kfree(path);
	if (error < 0)
		return error;
	/* Linux's order: EROFS before the name is even looked at. */
	if (vfs_rdonly(nd.nd_dvp))
		error = -EROFS;
	else if (nd.nd_vp == NULL)
		error = -ENOENT;
	else if (!rmdir && nd.nd_slash)	/* "name/": never a file */
		error = nd.nd_vp->v_type == VDIR ? -EISDIR : -ENOTDIR;
	else if ((error = vfs_may_delete(nd.nd_dvp, nd.nd_vp, rmdir)) == 0)
		error = nd.nd_dvp->v_ops->vop_remove(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, nd.nd_vp, rmdir);
	if (error == 0)
		ncache_purge(nd.nd_dvp, nd.nd_last, nd.nd_lastlen);
	nd_release(&nd);
	return error;
}

/* unlinkat(2) */
long
sys_unlinkat(int dirfd, const char __user *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return vfs_remove(dirfd, path, (flags & AT_REMOVEDIR) != 0);
}

/* unlink(2) */
long
sys_unlink(const char __user *path)
{
	return vfs_remove(AT_FDCWD, path, false);
}

/* rmdir(2) */
long
sys_rmdir(const char __user *path)
{
	return vfs_remove(AT_FDCWD, path, true);
}

/*
 * Linux's protected_hardlinks (on in Debian): someone other than the
 * owner (or root) may link only a regular file it can read and write
 * that is not set-user-ID or executable set-group-ID.
 */
static int
vfs_may_link(struct vnode *vp)
{
	struct vattr va;
	int error;

	if (curproc->p_euid == 0)
		return 0;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	if (va.va_uid == curproc->p_euid)
		return 0;
	if (va.va_type != VREG || (va.va_mode & S_ISUID) ||
	    (va.va_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ||
	    vn_access(vp, R_OK | W_OK) < 0)
		return -EPERM;
	return 0;
}

/* linkat(2) */
long
sys_linkat(int olddirfd, const char __user *oldpath, int newdirfd,
    const char __user *newpath, int flags)
{
	struct nameidata nd;
	struct vnode *vp;
	struct mount *mp;
	char *path;
	int error;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && curproc->p_euid != 0)
		return -ENOENT;		/* Linux wants CAP_DAC_READ_SEARCH */
	if ((error = vfs_lookup_place(olddirfd, oldpath,
	    ((flags & AT_SYMLINK_FOLLOW) ? ND_FOLLOW : 0) |
	    ((flags & AT_EMPTY_PATH) ? ND_EMPTY : 0), &vp, &mp)) < 0)
		return error;
	if ((error = vfs_namei(&nd, newdirfd, newpath, ND_PARENT, &path)) <
	    0) {
		vfs_place_rele(vp, mp);
		return error == -EINVAL || error == -EBUSY ? -EEXIST : error;
	}
	kfree(path);
	/* Linux's order: do_linkat, then vfs_link. */
	if (nd.nd_vp != NULL)
		error = -EEXIST;
	else if (nd.nd_slash)
		error = -ENOENT;
	else if (vfs_rdonly(nd.nd_dvp))
		error = -EROFS;
	else if (nd.nd_dvp->v_mount != mp)
		error = -EXDEV;		/* by mount, as Linux: not by fs */
	else if ((error = vfs_may_link(vp)) < 0 ||
	    (error = vfs_may_create(&nd)) < 0)
		;
	else if (vp->v_type == VDIR)
		error = -EPERM;
	else
		error = nd.nd_dvp->v_ops->vop_link(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, vp);
	nd_release(&nd);
	vfs_place_rele(vp, mp);
	return error;
}

/* link(2) */
long
sys_link(const char __user *oldpath, const char __user *newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* renameat2(2) */
long
sys_renameat2(int olddirfd, const char __user *oldpath, int newdirfd,
    const char __user *newpath, unsigned int flags)
{
	struct nameidata from, to;
	char *path;
	int error;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT) {
		klog("vfs", "pid %d: RENAME_WHITEOUT not supported",
		    curproc->p_pid);
		return -EINVAL;
	}
	if ((error = vfs_namei(&from, olddirfd, oldpath,
	    ND_PARENT | ND_NOCROSS, &path)) < 0)
		return error == -EINVAL ? -EBUSY : error;
	kfree(path);
	if ((error = vfs_namei(&to, newdirfd, newpath,
	    ND_PARENT | ND_NOCROSS, &path)) < 0) {
		nd_release(&from);
		if (error == -EINVAL)
			return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
		return error;
	}
	kfree(path);
	/* Linux's order (do_renameat2): EROFS before the names are seen. */
	if (to.nd_dvp->v_mount != from.nd_dvp->v_mount) {
		error = -EXDEV;
		goto out;
	}
	if (vfs_rdonly(from.nd_dvp)) {
		error = -EROFS;
		goto out;
	}
	if (from.nd_vp == NULL) {
		error = -ENOENT;
		goto out;
	}
	if ((flags & RENAME_EXCHANGE) && to.nd_vp == NULL) {
		error = -ENOENT;
		goto out;
	}
	if ((flags & RENAME_NOREPLACE) && to.nd_vp != NULL) {
		error = -EEXIST;
		goto out;
	}
	if ((from.nd_slash || to.nd_slash) && from.nd_vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out;
	}
	if ((error = vfs_may_delete(from.nd_dvp, from.nd_vp,
	    from.nd_vp->v_type == VDIR)) < 0)
		goto out;
	if (to.nd_vp != NULL) {
		/* The target must be of the source's type, unless swapped. */
		if ((error = vfs_may_delete(to.nd_dvp, to.nd_vp,
		    (flags & RENAME_EXCHANGE) ? to.nd_vp->v_type == VDIR :
		    from.nd_vp->v_type == VDIR)) < 0)
			goto out;
	} else if ((error = vfs_may_create(&to)) < 0) {
		goto out;
	}
	/* A directory that changes parent must have its ".." rewritten. */
	if (from.nd_vp->v_type == VDIR && from.nd_dvp != to.nd_dvp &&
	    (error = vn_access(from.nd_vp, W_OK)) < 0)
		goto out;
	error = from.nd_dvp->v_ops->vop_rename(from.nd_dvp, from.nd_last,
	    from.nd_lastlen, from.nd_vp, to.nd_dvp, to.nd_last,
	    to.nd_lastlen, flags);
	if (error == 0) {
		ncache_purge(from.nd_dvp, from.nd_last, from.nd_lastlen);
		ncache_purge(to.nd_dvp, to.nd_last, to.nd_lastlen);
	}
out:
	nd_release(&to);
	nd_release(&from);
	return error;
}

/* renameat(2) */
long
sys_renameat(int olddirfd, const char __user *oldpath, int newdirfd,
    const char __user *newpath)
{
	return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

/* rename(2) */
long
sys_rename(const char __user *oldpath, const char __user *newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* readlinkat(2) */
long
sys_readlinkat(int dirfd, const char __user *upath, char __user *buf,
    int size)
{
	struct vnode *vp;
	char *kbuf, first;
	long n;
	int error;

	if (size <= 0)
		return -EINVAL;
	if ((error = vfs_lookup_at(dirfd, upath, ND_EMPTY, &vp)) < 0)
		return error;
	if (vp->v_type != VLNK) {
		vrele(vp);
		/* Linux: the empty path names no link (ENOENT). */
		if (copyin(upath, &first, 1) == 0 && first == '\0')
			return -ENOENT;
		return -EINVAL;
	}
	if ((kbuf = kmalloc(PATH_MAX, 0)) == NULL) {
		vrele(vp);
		return -ENOMEM;
	}
	n = vp->v_ops->vop_readlink(vp, kbuf, MIN((size_t)size, PATH_MAX));
	if (n > 0 && copyout(kbuf, buf, (size_t)n) < 0)
		n = -EFAULT;
	kfree(kbuf);
	vrele(vp);
	return n;
}

/* readlink(2) */
long
sys_readlink(const char __user *path, char __user *buf, int size)
{
	return sys_readlinkat(AT_FDCWD, path, buf, size);
}

/* fstat of any open file: a vnode's attributes, or the file's fo_stat. */
static int
vfs_fstat(int fd, struct l_stat *st, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getvnode(fd, vpp)) == 0) {
		error = vn_stat(*vpp, st);
		if (error < 0)
			vrele(*vpp);
		return error;
	}
	if (error != -ENOTDIR)
		return error;
	*vpp = NULL;
	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	error = fp->f_ops->fo_stat != NULL ? fp->f_ops->fo_stat(fp, st) :
	    -EINVAL;
	file_rele(fp);
	return error;
}

/* fstat(2) */
long
sys_fstat(int fd, struct l_stat __user *ust)
{
	struct l_stat st;
	struct vnode *vp;
	int error;

	if ((error = vfs_fstat(fd, &st, &vp)) < 0)
		return error;
	if (vp != NULL)
		vrele(vp);
	return copyout(&st, ust, sizeof(st));
}

/* The stat of path from dirfd (flags: AT_SYMLINK_NOFOLLOW, ...). */
static int
vfs_statat(int dirfd, const char __user *upath, int flags, struct l_stat *st,
    struct vnode **vpp)
{
	struct vnode *vp;
	char c;
	int error;

	if (flags & AT_EMPTY_PATH) {
		if (copyin(upath, &c, 1) < 0)
			return -EFAULT;
		/* A descriptor's file, which may be no vnode (a pipe). */
		if (c == '\0' && dirfd != AT_FDCWD)
			return vfs_fstat(dirfd, st, vpp);
	}
	/* The empty path with AT_FDCWD: the working directory. */
	if ((error = vfs_lookup_at(dirfd, upath,
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : ND_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? ND_EMPTY : 0), &vp)) < 0)
		return error;
	if ((error = vn_stat(vp, st)) < 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

/* newfstatat(2) */
long
sys_newfstatat(int dirfd, const char __user *path, struct l_stat __user *ust,
    int flags)
{
	struct l_stat st;
	struct vnode *vp = NULL;
	int error;

	/* Linux takes statx's sync types here too, and ignores them. */
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((error = vfs_statat(dirfd, path, flags, &st, &vp)) < 0)
		return error;
	if (vp != NULL)
		vrele(vp);
	return copyout(&st, ust, sizeof(st));
}

/* stat(2) */
long
sys_stat(const char __user *path, struct l_stat __user *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, 0);
}

/* lstat(2) */
long
sys_lstat(const char __user *path, struct l_stat __user *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

/* statx(2): everything of struct stat, and the birth time of vnodes. */
long
sys_statx(int dirfd, const char __user *path, unsigned int flags,
    unsigned int mask, struct l_statx __user *ubuf)
{
	struct l_statx sx;
	struct l_stat st;
	struct vattr va;
	struct vnode *vp = NULL;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((error = vfs_statat(dirfd, path, (int)flags, &st, &vp)) < 0)
		return error;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = (uint32_t)st.st_blksize;
	sx.stx_nlink = (uint32_t)st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (uint16_t)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (uint64_t)st.st_size;
	sx.stx_blocks = (uint64_t)st.st_blocks;
	sx.stx_atime.tv_sec = (int64_t)st.st_atime_sec;
	sx.stx_atime.tv_nsec = (uint32_t)st.st_atime_nsec;
	sx.stx_mtime.tv_sec = (int64_t)st.st_mtime_sec;
	sx.stx_mtime.tv_nsec = (uint32_t)st.st_mtime_nsec;
	sx.stx_ctime.tv_sec = (int64_t)st.st_ctime_sec;
	sx.stx_ctime.tv_nsec = (uint32_t)st.st_ctime_nsec;
	sx.stx_rdev_major = (uint32_t)((st.st_rdev >> 8) & 0xfff);
	sx.stx_rdev_minor = (uint32_t)((st.st_rdev & 0xff) |
	    ((st.st_rdev >> 12) & 0xfff00));
	sx.stx_dev_major = (uint32_t)((st.st_dev >> 8) & 0xfff);
	sx.stx_dev_minor = (uint32_t)((st.st_dev & 0xff) |
	    ((st.st_dev >> 12) & 0xfff00));
	sx.stx_attributes_mask = STATX_ATTR_MOUNT_ROOT;
	if (vp != NULL) {
		if (vn_getattr(vp, &va) == 0) {
			sx.stx_mask |= STATX_BTIME;
			sx.stx_btime.tv_sec = va.va_btime.tv_sec;
			sx.stx_btime.tv_nsec = (uint32_t)va.va_btime.tv_nsec;
		}
		sx.stx_mask |= STATX_MNT_ID;
		sx.stx_mnt_id = (uint64_t)vp->v_mount->mnt_id;
		if (vp == vp->v_mount->mnt_root)
			sx.stx_attributes |= STATX_ATTR_MOUNT_ROOT;
		vrele(vp);
	}
	return copyout(&sx, ubuf, sizeof(sx));
}

/*
 * faccessat2(2): may the caller (by its real ids, or effective ones with
 * AT_EACCESS) access path for mode?
 */
long
sys_faccessat2(int dirfd, const char __user *path, int mode, int flags)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((error = vfs_lookup_place(dirfd, path,
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : ND_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? ND_EMPTY : 0), &vp, &mp)) < 0)
		return error;
	if (mode != F_OK)
		error = vn_access_ids(vp, mode, !(flags & AT_EACCESS));
	if (error == 0 && (mode & W_OK) && vfs_mount_rdonly(mp) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		error = -EROFS;
	vfs_place_rele(vp, mp);
	return error;
}

/* faccessat(2) */
long
sys_faccessat(int dirfd, const char __user *path, int mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

/* access(2) */
long
sys_access(const char __user *path, int mode)
{
	return sys_faccessat2(AT_FDCWD, path, mode, 0);
}

/* Make vp (a searchable directory, referenced) the cwd or the root. */
static int
vfs_setdir(struct vnode *vp, bool root)
{
	struct proc *p = curproc;
	struct vnode *old;
	int error;

	if (vp->v_type != VDIR) {
		vrele(vp);
		return -ENOTDIR;
	}
	if ((error = vn_access(vp, X_OK)) < 0) {
		vrele(vp);
		return error;
	}
	spin_lock(&proc_lock);
	if (root) {
		old = p->p_root;
		p->p_root = vp;
	} else {
		old = p->p_cwd;
		p->p_cwd = vp;
	}
	spin_unlock(&proc_lock);
	if (old != NULL)
		vrele(old);
	return 0;
}

/* chdir(2) */
long
sys_chdir(const char __user *path)
{
	struct vnode *vp;
	int error;

	if ((error = vfs_lookup_at(AT_FDCWD, path, ND_FOLLOW, &vp)) < 0)
		return error;
	return vfs_setdir(vp, false);
}

/* fchdir(2) */
long
sys_fchdir(int fd)
{
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error;
	return vfs_setdir(vp, false);
}

/*
 * chroot(2): root only (after the lookup, as Linux orders the errors).
 * The working directory stays where it is, possibly outside the new root.
 */
long
sys_chroot(const char __user *path)
{
	struct vnode *vp;
	int error;

	if ((error = vfs_lookup_at(AT_FDCWD, path, ND_FOLLOW, &vp)) < 0)
		return error;
	if (vp->v_type == VDIR && vn_access(vp, X_OK) == 0 &&
	    curproc->p_euid != 0) {
		vrele(vp);
		return -EPERM;
	}
	return vfs_setdir(vp, true);
}

/* readdir's callback for vn_dirpath: the subdirectory with inode ino. */
struct dirpath_find {
	uint64_t ino;
	char	*name;
	size_t	 len;
	bool	 found;
};

static int
dirpath_fill(void *arg, const char *name, size_t len, uint64_t ino,
    int dtype, off_t next)
{
	struct dirpath_find *f = arg;

	(void)next;
	if (dtype != DT_DIR || ino != f->ino ||
	    (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	memcpy(f->name, name, len);
	f->len = len;
	f->found = true;
	return 1;
}

/*
 * Prepend "/name" (len bytes) to the path being built down from *pos in
 * buf.  Returns 0 or -ENAMETOOLONG when it does not fit.
 */
int
vn_path_prepend(char *buf, size_t *pos, const char *name, size_t len)
{
	if (*pos < len + 1)
		return -ENAMETOOLONG;
	*pos -= len;
	memcpy(buf + *pos, name, len);
	buf[--*pos] = '/';
	return 0;
}

/*
 * The path of directory vp (referenced; the reference is dropped) from
 * root, built into buf from *pos down by looking each directory up in its
 * parent ("..", then its parent's entries by inode number), crossing from
 * a mount's root to the directory it covers.  A directory outside root
 * (after chroot) gets "(unreachable)" in front, as Linux's getcwd writes.
 * Returns 0, -ENOENT (a directory was removed), -ENAMETOOLONG, or a
 * filesystem's error.  getcwd(2) and /proc's links use it.
 */
int
vn_dirpath(struct vnode *vp, struct vnode *root, char *buf, size_t *pos)
{
	struct dirpath_find f;
	struct vnode *up;
	struct vattr va;
	char name[NAME_MAX + 1];
	off_t off;
	int error = 0;

	while (vp != root) {
		while ((up = vfs_covered(vp)) != NULL) {
			vrele(vp);
			vp = up;
		}
		if (vp == root)
			break;
		if (vp == vp->v_mount->mnt_root) {
			/* The top of the tree, not our root: unreachable. */
			error = vn_path_prepend(buf, pos, "(unreachable)", 13);
			if (error == 0)
				(*pos)++;	/* no '/' before it */
			break;
		}
		if ((error = vn_getattr(vp, &va)) < 0)
			break;
		if ((error = vp->v_ops->vop_lookup(vp, "..", 2, &up)) < 0)
			break;
		memset(&f, 0, sizeof(f));
		f.ino = va.va_ino;
		f.name = name;
		off = 0;
		error = up->v_ops->vop_readdir(up, &off, dirpath_fill, &f);
		vrele(vp);
		vp = up;
		if (error < 0)
			break;
		if (!f.found) {
			error = -ENOENT;
			break;
		}
		if ((error = vn_path_prepend(buf, pos, name, f.len)) < 0)
			break;
	}
	vrele(vp);
	return error;
}

/*
 * getcwd(2): the path of the working directory (vn_dirpath).  -ENOENT
 * when it was removed; a directory outside the process's root (after
 * chroot) is reported as "(unreachable)" followed by its path, as Linux
 * does.
 */
long
sys_getcwd(char __user *ubuf, unsigned long size)
{
	struct vnode *root, *vp;
	struct vattr va;
	size_t pos, len;
	char *buf;
	long error;

	if ((buf = kmalloc(PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	spin_lock(&proc_lock);
	root = curproc->p_root;
	vp = curproc->p_cwd;
	vref(root);
	vref(vp);
	spin_unlock(&proc_lock);
	if ((error = vn_getattr(vp, &va)) < 0 || va.va_nlink == 0) {
		vrele(vp);
		error = error < 0 ? error : -ENOENT;
		goto out;
	}
	pos = PATH_MAX - 1;
	buf[pos] = '\0';
	if ((error = vn_dirpath(vp, root, buf, &pos)) < 0)
		goto out;
	if (buf[pos] == '\0')
		buf[--pos] = '/';
	len = PATH_MAX - pos;
	if (size < len) {
		error = -ERANGE;
		goto out;
	}
	error = copyout(buf + pos, ubuf, len) < 0 ? -EFAULT : (long)len;
out:
	vrele(root);
	kfree(buf);
	return error;
}

/* chmod on vp: the owner or root; set-group-ID only for a member. */
static int
vfs_chmod(struct vnode *vp, struct mount *mp, uint32_t mode)
{
	struct proc *p = curproc;
	struct vattr va;
	int error;

	if ((error = vn_owner_ok(vp)) < 0)
		return error;
	if (vfs_mount_rdonly(mp))
		return -EROFS;
	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	va.va_mode = mode & 07777;
	if (p->p_euid != 0 && (va.va_mode & S_ISGID) &&
	    !vn_groupmember(p, va.va_gid, false))
		va.va_mode &= ~(uint32_t)S_ISGID;
	return vp->v_ops->vop_setattr(vp, &va, VA_MODE);
}

/* fchmodat(2) */
long
sys_fchmodat(int dirfd, const char __user *path, mode_t mode)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = vfs_lookup_place(dirfd, path, ND_FOLLOW, &vp, &mp)) < 0)
		return error;
	error = vfs_chmod(vp, mp, mode);
	vfs_place_rele(vp, mp);
	return error;
}

/* chmod(2) */
long
sys_chmod(const char __user *path, mode_t mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

/* fchmod(2) */
long
sys_fchmod(int fd, mode_t mode)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = fd_getplace(fd, &vp, &mp)) < 0)
		return error == -ENOTDIR ? -EBADF : error;
	error = vfs_chmod(vp, mp, mode);
	vfs_place_rele(vp, mp);
	return error;
}

/*
 * chown on vp (chown(2)): root changes anything; the owner may only give
 * the file to one of its own groups.  A regular file loses its
 * set-user-ID bit, and its set-group-ID bit if group-executable.
 */
static int
vfs_chown(struct vnode *vp, struct mount *mp, uint32_t uid,
    uint32_t gid)
{
	struct proc *p = curproc;
	struct vattr va;
	int error, mask = 0;

	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	if (p->p_euid != 0) {
		if (uid != (uint32_t)-1 && uid != va.va_uid)
			return -EPERM;
		if (va.va_uid != p->p_euid &&
		    (uid != (uint32_t)-1 || gid != (uint32_t)-1))
			return -EPERM;
		if (gid != (uint32_t)-1 && gid != va.va_gid &&
		    !vn_groupmember(p, gid, false))
			return -EPERM;
	}
	if (vfs_mount_rdonly(mp))
		return -EROFS;
	if (uid != (uint32_t)-1) {
		va.va_uid = uid;
		mask |= VA_UID;
	}
	if (gid != (uint32_t)-1) {
		va.va_gid = gid;
		mask |= VA_GID;
	}
	if (mask != 0 && va.va_type == VREG) {
		va.va_mode &= ~(uint32_t)S_ISUID;
		if (va.va_mode & S_IXGRP)
			va.va_mode &= ~(uint32_t)S_ISGID;
		mask |= VA_MODE;
	}
	if (mask == 0)
		mask = VA_CTIME, va.va_ctime = vfs_now();
	return vp->v_ops->vop_setattr(vp, &va, mask);
}

/* fchownat(2) */
long
sys_fchownat(int dirfd, const char __user *path, uid_t uid, gid_t gid,
    int flags)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((error = vfs_lookup_place(dirfd, path,
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : ND_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? ND_EMPTY : 0), &vp, &mp)) < 0)
		return error;
	error = vfs_chown(vp, mp, uid, gid);
	vfs_place_rele(vp, mp);
	return error;
}

/* chown(2) */
long
sys_chown(const char __user *path, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}

/* lchown(2) */
long
sys_lchown(const char __user *path, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

/* fchown(2) */
long
sys_fchown(int fd, uid_t uid, gid_t gid)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = fd_getplace(fd, &vp, &mp)) < 0)
		return error == -ENOTDIR ? -EBADF : error;
	error = vfs_chown(vp, mp, uid, gid);
	vfs_place_rele(vp, mp);
	return error;
}

/* truncate(2) */
long
sys_truncate(const char __user *path, off_t length)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (length < 0)
		return -EINVAL;
	if ((error = vfs_lookup_place(AT_FDCWD, path, ND_FOLLOW, &vp, &mp)) < 0)
		return error;
	if (vp->v_type == VDIR)
		error = -EISDIR;
	else if (vp->v_type != VREG)
		error = -EINVAL;
	else if ((error = vn_access(vp, W_OK)) == 0) {
		if (vfs_mount_rdonly(mp))
			error = -EROFS;
		else if ((error = vn_write_get(vp)) == 0) {
			/* A running program is ETXTBSY; a lease is broken. */
			if ((error = lease_break(vp, O_WRONLY)) == 0)
				error = vfs_truncate(vp, length);
			vn_write_put(vp);
		}
	}
	vfs_place_rele(vp, mp);
	return error;
}

/* ftruncate(2): the descriptor must be open for writing (EINVAL). */
long
sys_ftruncate(int fd, off_t length)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if (length < 0)
		return -EINVAL;
	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error == -ENOTDIR ? -EINVAL : error;
	if ((error = fd_getfile(fd, &fp)) < 0) {
		vrele(vp);
		return error;
	}
	if ((file_getflags(fp) & O_PATH) != 0)
		error = -EBADF;
	else if ((file_getflags(fp) & O_ACCMODE) == O_RDONLY ||
	    vp->v_type != VREG)
		error = -EINVAL;
	else
		error = vfs_truncate(vp, length);
	file_rele(fp);
	vrele(vp);
	return error;
}

/*
 * Set vp's access and modification times: ts NULL means now for both;
 * UTIME_NOW and UTIME_OMIT in tv_nsec (utimensat(2)).  Setting a chosen
 * time takes the owner or root (EPERM); setting "now" also write
 * permission (EACCES).
 */
static int
vfs_utimes(struct vnode *vp, struct mount *mp, const struct l_timespec *ts)
{
	struct l_timespec now = vfs_now();
	struct vattr va;
	int mask = VA_ATIME | VA_MTIME, error;
	bool explicit = false;

	memset(&va, 0, sizeof(va));
	va.va_atime = va.va_mtime = now;
	if (ts != NULL) {
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		if (ts[0].tv_nsec == UTIME_OMIT)
			mask &= ~VA_ATIME;
		else if (ts[0].tv_nsec != UTIME_NOW)
			va.va_atime = ts[0], explicit = true;
		if (ts[1].tv_nsec == UTIME_OMIT)
			mask &= ~VA_MTIME;
		else if (ts[1].tv_nsec != UTIME_NOW)
			va.va_mtime = ts[1], explicit = true;
	}
	if (vfs_mount_rdonly(mp))
		return -EROFS;
	if ((error = vn_owner_ok(vp)) < 0) {
		if (explicit)
			return error;
		if ((error = vn_access(vp, W_OK)) < 0)
			return error;
	}
	return vp->v_ops->vop_setattr(vp, &va, mask);
}

/* Check the two timespecs of utimensat. */
static int
vfs_check_times(const struct l_timespec *ts)
{
	int i;

	for (i = 0; i < 2; i++)
		if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
			return -EINVAL;
	return 0;
}

/* utimensat(2); a NULL path means dirfd itself (futimens). */
long
sys_utimensat(int dirfd, const char __user *path,
    const struct l_timespec __user *times, int flags)
{
	struct l_timespec ts[2];
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times != NULL) {
		if (copyin(times, ts, sizeof(ts)) < 0)
			return -EFAULT;
		if ((error = vfs_check_times(ts)) < 0)
			return error;
	}
	if (path == NULL) {
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		error = fd_getplace(dirfd, &vp, &mp);
		if (error == -ENOTDIR)
			error = -EBADF;
	} else {
		error = vfs_lookup_place(dirfd, path,
		    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : ND_FOLLOW) |
		    ((flags & AT_EMPTY_PATH) ? ND_EMPTY : 0), &vp, &mp);
	}
	if (error < 0)
		return error;
	error = vfs_utimes(vp, mp, times != NULL ? ts : NULL);
	vfs_place_rele(vp, mp);
	return error;
}

/* futimesat(2) and utimes(2): microsecond times, or NULL for now. */
long
sys_futimesat(int dirfd, const char __user *path,
    const struct l_timeval __user *utv)
{
	struct l_timeval tv[2];
	struct l_timespec ts[2];
	struct vnode *vp;
	struct mount *mp;
	int error, i;

	if (utv != NULL) {
		if (copyin(utv, tv, sizeof(tv)) < 0)
			return -EFAULT;
		for (i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			ts[i].tv_sec = tv[i].tv_sec;
			ts[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	if ((error = vfs_lookup_place(dirfd, path, ND_FOLLOW, &vp, &mp)) < 0)
		return error;
	error = vfs_utimes(vp, mp, utv != NULL ? ts : NULL);
	vfs_place_rele(vp, mp);
	return error;
}

/* utimes(2) */
long
sys_utimes(const char __user *path, const struct l_timeval __user *tv)
{
	return sys_futimesat(AT_FDCWD, path, tv);
}

/* utime(2): seconds, or NULL for now. */
long
sys_utime(const char __user *path, const struct l_utimbuf __user *ubuf)
{
	struct l_utimbuf b;
	struct l_timespec ts[2];
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (ubuf != NULL) {
		if (copyin(ubuf, &b, sizeof(b)) < 0)
			return -EFAULT;
		ts[0].tv_sec = b.actime;
		ts[1].tv_sec = b.modtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
	}
	if ((error = vfs_lookup_place(AT_FDCWD, path, ND_FOLLOW, &vp, &mp)) < 0)
		return error;
	error = vfs_utimes(vp, mp, ubuf != NULL ? ts : NULL);
	vfs_place_rele(vp, mp);
	return error;
}

/* fsync(2) and fdatasync(2): a file that cannot be synced is EINVAL. */
static long
vfs_fsync(int fd)
{
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error == -ENOTDIR ? -EINVAL : error;
	/* A character device (a terminal, /dev/null) has nothing to sync. */
	if (vp->v_type == VCHR)
		error = -EINVAL;
	else if (vp->v_type == VBLK)	/* its buffers, then a cache flush */
		error = buf_flush_dev(vp->v_rdev);
	else
		error = vp->v_ops->vop_fsync(vp);
	vrele(vp);
	return error;
}

/* fsync(2) */
long
sys_fsync(int fd)
{
	return vfs_fsync(fd);
}

/* fdatasync(2) */
long
sys_fdatasync(int fd)
{
	return vfs_fsync(fd);
}


/*
 * fallocate(2): -ENOSPC when the filesystem of vp has fewer than len
 * bytes free (statfs's f_bavail), as Linux's tmpfs, which allocates the
 * pages, would find; else 0.  No lock held.
 */
static int
fallocate_room(struct vnode *vp, off_t len)
{
	struct mount *mp = vp->v_mount;
	struct l_statfs sf;
	int error;

	memset(&sf, 0, sizeof(sf));
	if ((error = mp->mnt_ops->vfs_statfs(mp, &sf)) < 0)
		return error;
	if (sf.f_bsize > 0 && (uint64_t)len >
	    (uint64_t)sf.f_bavail * (uint64_t)sf.f_bsize)
		return -ENOSPC;
	return 0;
}

/*
 * fallocate(2): mode 0 (reserve, growing the file) and KEEP_SIZE; the
 * hole punching and range modes are EOPNOTSUPP, as on filesystems that
 * lack them.
 */
long
sys_fallocate(int fd, int mode, off_t offset, off_t len)
{
	struct file *fp;
	struct vnode *vp;
	struct vattr va;
	off_t end;
	int error;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if ((error = fd_getfile(fd, &fp)) < 0)
		return error;
	if ((file_getflags(fp) & O_ACCMODE) == O_RDONLY) {
		file_rele(fp);
		return -EBADF;
	}
	file_rele(fp);
	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error == -ENOTDIR ? -ESPIPE : error;
	if (vp->v_type == VDIR)
		error = -EISDIR;
	else if (vp->v_type != VREG)
		error = -ENODEV;
	else if (mode & ~0x01)		/* FALLOC_FL_KEEP_SIZE */
		error = -EOPNOTSUPP;
	else if (__builtin_add_overflow(offset, len, &end))
		error = -EFBIG;
	else if (!(mode & 0x01) && (error = vn_getattr(vp, &va)) == 0 &&
	    end > va.va_size &&
	    (error = fallocate_room(vp, end - va.va_size)) == 0)
		error = vfs_truncate(vp, end);
	vrele(vp);
	return error;
}

/*
 * openat2(2)'s way into the open path (vfs_fdcalls.c checks its
 * arguments): open upath from dirfd with flags and mode, resolving it with
 * the extra ND_* flags ndflags.  No lock held.  Returns the new descriptor
 * or a negative errno.
 */
long
vfs_openat_nd(int dirfd, const char __user *upath, int flags, uint32_t mode,
    int ndflags)
{
	return vfs_openat(dirfd, upath, flags, mode, ndflags);
}
