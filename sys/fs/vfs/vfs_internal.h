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
/* vfs_mount.c: vfs_mounted_root for namei, telling a file's bind. */
struct vnode *vfs_mounted_root_via(struct vnode *vp, struct mount **fbindp);
/* vfs_mount.c: free a detached mount whose last user is gone. */
void	vfs_mount_finish(struct mount *mp);
/* vfs_mount.c: start the thread that frees them (vfs_init). */
int	vfs_reaper_start(void);

/* vfs_mount.c: a mount outside the tree (memfd_create's). */
int	vfs_mount_unattached(const char *fstype, const char *source,
	    const char *data, struct mount **mpp);
/*
 * vfs_bind.c: make mp a bind mount of src (vfs_mount.c gives it an id and
 * puts it in the tree); the filesystem's vnode behind a bind directory
 * (vp itself for any other vnode); a bind's root within its filesystem.
 */
int	vfs_bind_setup(struct mount *mp, struct vnode *src);
struct vnode *vfs_bind_lower(struct vnode *vp);
const char *vfs_bind_root(struct mount *mp);
/* vfs_bind.c: bind_wrap for MS_REC; is directory cv at or below src? */
int	vfs_bind_wrap(struct mount *mp, struct vnode *lvp, struct vnode **vpp);
bool	vfs_bind_below(struct vnode *src, struct vnode *cv);

/*
 * vfs_syscalls.c: resolve the user path upath from dirfd with ND_* flags
 * into nd; on success *pathp is the copied path for the caller to kfree.
 */
int	vfs_namei(struct nameidata *nd, int dirfd, const char __user *upath,
	    int flags, char **pathp);
/* vfs_syscalls.c: the open path with extra ND_* flags (openat2). */
long	vfs_openat_nd(int dirfd, const char __user *upath, int flags,
	    uint32_t mode, int ndflags);

/*
 * vfs_cache.c: the name cache.  ncache_lookup returns 0 with *vpp
 * referenced on a hit, else -ENOENT with *genp, which a later
 * ncache_enter of what vop_lookup found passes back: an entry is made
 * only if nothing was purged in between.
 */
int	ncache_lookup(struct vnode *dvp, const char *name, size_t len,
	    struct vnode **vpp, uint64_t *genp);
void	ncache_enter(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp, uint64_t gen);
void	ncache_purge_mount(struct mount *mp);

#endif /* _FS_VFS_VFS_INTERNAL_H_ */
