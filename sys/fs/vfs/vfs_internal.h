/*
 * What the files of sys/fs/vfs/ share and nobody else needs.
 */
#ifndef _FS_VFS_VFS_INTERNAL_H_
#define _FS_VFS_VFS_INTERNAL_H_

#include <sys/mutex.h>
#include <sys/vnode.h>

extern struct mutex mount_lock;

/* vfs_vnode.c: references on mp's vnodes (umount's busy check). */
uint32_t vfs_mount_refs(struct mount *mp);
/* vfs_mount.c: free a detached mount whose last user is gone. */
void	vfs_mount_finish(struct mount *mp);

/* vfs_mount.c: a mount outside the tree (memfd_create's). */
int	vfs_mount_unattached(const char *fstype, const char *source,
	    const char *data, struct mount **mpp);
/* vfs_syscalls.c: the open path with extra ND_* flags (openat2). */
long	vfs_openat_nd(int dirfd, const char __user *upath, int flags,
	    uint32_t mode, int ndflags);

#endif /* _FS_VFS_VFS_INTERNAL_H_ */
