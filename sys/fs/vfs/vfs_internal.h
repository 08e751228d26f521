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

#endif /* _FS_VFS_VFS_INTERNAL_H_ */
