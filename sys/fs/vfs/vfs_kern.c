/*
 * The VFS for the kernel's own use: making files by kernel path (the
 * initramfs unpacked into the root at boot) and reading a whole file
 * (execve).  These act as the current process, with its root directory
 * and credentials; at boot that is proc0, which is root.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/eclipsefs/efs_vfs.h>
#include <fs/tmpfs/tmpfs.h>

#include "vfs_internal.h"

/*
 * Make the file path (absolute, kernel memory) of va's type, mode and
 * owner; a symbolic link points to target.  The new vnode, referenced, in
 * *vpp (NULL: not wanted).  -EEXIST when the name exists.
 */
int
vfs_kern_make(const char *path, const struct vattr *va, const char *target,
    struct vnode **vpp)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_PARENT;
	if ((error = namei(&nd)) < 0)
		return error;
	if (nd.nd_vp != NULL) {
		nd_release(&nd);
		return -EEXIST;
	}
	if (va->va_type == VLNK)
		error = nd.nd_dvp->v_ops->vop_symlink(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, va, target, &vp);
	else
		error = nd.nd_dvp->v_ops->vop_create(nd.nd_dvp, nd.nd_last,
		    nd.nd_lastlen, va, &vp);
	nd_release(&nd);
	if (error < 0)
		return error;
	if (vpp != NULL)
		*vpp = vp;
	else
		vrele(vp);
	return 0;
}

/* Write len bytes of kernel memory buf at offset 0 of regular file vp. */
int
vfs_kern_write(struct vnode *vp, const void *buf, size_t len)
{
	struct l_iovec iov;
	struct uio uio;
	long n;

	if (len == 0)
		return 0;
	uio_init_kernel(&uio, &iov, (void *)(uintptr_t)buf, len, 0, true);
	mtx_lock(&vp->v_iolock);
	n = vp->v_ops->vop_write(vp, &uio, 0);
	mtx_unlock(&vp->v_iolock);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOSPC;
}

/*
 * Read up to len bytes at offset off of regular file vp into the kernel
 * buffer buf (exec reads a program's headers so).  Takes v_iolock.
 * Returns the bytes read (fewer at the end of the file) or -errno.
 */
long
vfs_kern_read(struct vnode *vp, off_t off, void *buf, size_t len)
{
	struct l_iovec iov;
	struct uio uio;
	long n;

	if (len == 0)
		return 0;
	uio_init_kernel(&uio, &iov, buf, len, off, false);
	mtx_lock(&vp->v_iolock);
	n = vp->v_ops->vop_read(vp, &uio);
	mtx_unlock(&vp->v_iolock);
	return n;
}

/*
 * Read all of regular file vp (at most max bytes) into a new kmalloc'd
 * buffer: *bufp, *lenp.  -EFBIG when it is bigger than max, -ENOMEM.
 */
int
vfs_kern_readall(struct vnode *vp, size_t max, void **bufp, size_t *lenp)
{
	struct l_iovec iov;
	struct vattr va;
	struct uio uio;
	void *buf;
	long n;
	int error;

	if ((error = vn_getattr(vp, &va)) < 0)
		return error;
	if ((uint64_t)va.va_size > max)
		return -EFBIG;
	if ((buf = kmalloc(va.va_size > 0 ? (size_t)va.va_size : 1, 0)) ==
	    NULL) {
		klog("vfs", "no %lld bytes of contiguous memory to read a "
		    "file for exec", (long long)va.va_size);
		return -ENOMEM;
	}
	uio_init_kernel(&uio, &iov, buf, (size_t)va.va_size, 0, false);
	n = 0;
	mtx_lock(&vp->v_iolock);
	if (va.va_size > 0)
		n = vp->v_ops->vop_read(vp, &uio);
	mtx_unlock(&vp->v_iolock);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*bufp = buf;
	*lenp = (size_t)n;
	return 0;
}

/*
 * Bring up the VFS at boot: the filesystems are registered and an empty
 * tmpfs becomes the root, the root and working directory of proc0 (and
 * so of every process, by inheritance).
 */
int
vfs_init(void)
{
	struct vnode *root;
	int error;

	if ((error = vfs_reaper_start()) < 0)
		return error;
	vfs_register(&tmpfs_vfsops);
	vfs_register(&efs_vfsops);
	if ((error = vfs_mountroot("tmpfs")) < 0)
		return error;
	root = vfs_root();
	vref(root);
	proc0.p_root = root;
	proc0.p_cwd = root;
	return 0;
}

/* The vnode at kernel path path (following links), referenced. */
int
vfs_kern_lookup(const char *path, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_FOLLOW;
	if ((error = namei(&nd)) < 0)
		return error;
	*vpp = nd.nd_vp;
	nd_release_mnt(&nd);
	return 0;
}

/* A second name, to, for the file at from (both kernel paths). */
int
vfs_kern_link(const char *from, const char *to)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if ((error = vfs_kern_lookup(from, &vp)) < 0)
		return error;
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = to;
	nd.nd_flags = ND_PARENT;
	if ((error = namei(&nd)) == 0) {
		if (nd.nd_vp != NULL)
			error = -EEXIST;
		else
			error = nd.nd_dvp->v_ops->vop_link(nd.nd_dvp,
			    nd.nd_last, nd.nd_lastlen, vp);
		nd_release(&nd);
	}
	vrele(vp);
	return error;
}

/* Mode and owner of the file at path, from va. */
int
vfs_kern_setattr(const char *path, const struct vattr *va)
{
	struct vnode *vp;
	int error;

	if ((error = vfs_kern_lookup(path, &vp)) < 0)
		return error;
	error = vp->v_ops->vop_setattr(vp, va, VA_MODE | VA_UID | VA_GID);
	vrele(vp);
	return error;
}

/*
 * The directories every Linux system has in memory: /tmp on the root (a
 * tmpfs already), and a tmpfs of its own on /dev/shm, where musl's
 * shm_open and sem_open keep their objects.  Both sticky and writable by
 * all (1777).  Called by kmain after /dev is mounted; a failure is logged
 * and boot goes on.
 */
void
vfs_boot_dirs(void)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = 01777;
	if ((error = vfs_kern_make("/tmp", &va, NULL, NULL)) < 0 &&
	    error != -EEXIST)
		klog("vfs", "cannot make /tmp (error %d)", error);
	(void)vfs_boot_mount("tmpfs", "shm", "/dev/shm", 01777,
	    MS_NOSUID | MS_NODEV, "mode=1777");
}

/*
 * At boot: make the folder path (with mode, unless it is there already,
 * from the initramfs) and mount fstype from source on it with flags and
 * data.  A failure is logged.  Returns 0 or a negative errno.
 */
int
vfs_boot_mount(const char *fstype, const char *source, const char *path,
    uint32_t mode, int flags, const char *data)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = mode;
	if ((error = vfs_kern_make(path, &va, NULL, NULL)) < 0 &&
	    error != -EEXIST) {
		klog("vfs", "cannot make %s (error %d)", path, error);
		return error;
	}
	if ((error = vfs_mount_kernel(fstype, source, path, flags,
	    data)) < 0) {
		klog("vfs", "cannot mount %s on %s (error %d)", fstype, path,
		    error);
		return error;
	}
	return 0;
}
