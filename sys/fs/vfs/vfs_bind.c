/*
 * The vnodes of bind mounts (mount(2) MS_BIND; the design is in
 * sys/sys/vnode.h).
 *
 * A bind mount of a directory has a vnode of its own for each directory
 * of the filesystem it shows that anyone holds: a bind node, which names
 * the filesystem's directory (bn_lower, referenced) and passes every
 * operation on to it.  Its own vnode is what makes the bind a place of
 * its own: v_mount is the bind, so ".." from its root goes to the
 * directory it covers (vfs_covered), and a mount made on one of its
 * directories (v_mountedhere) is seen through the bind only, as Linux's
 * non-recursive bind shows none of the source's submounts.  Files that
 * are not directories are handed out as the filesystem's own vnodes.
 *
 * Each bind keeps its nodes in a small hash table by the lower vnode, so
 * that one directory always has the same bind vnode (a mount on it must
 * be found again).  The last reference of a bind vnode goes through
 * bind_inactive, which takes the node out under bm_lock, the lock that
 * lookups take their references under (see vfs_vnode.c).
 *
 * The names a bind changes (remove, rename) are the filesystem's: the
 * name cache entries of the lower directory are purged here, and the bind
 * itself is never name-cached (vfs_nocache).
 */
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "vfs_internal.h"

#define BIND_HASH	32

struct bind_node {
	struct vnode	*bn_vnode;	/* [I] ours */
	struct vnode	*bn_lower;	/* [I] referenced */
	struct bind_node *bn_next;	/* [b] hash chain */
};

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	b	bm_lock
 */
struct bind_mount {
	struct mutex	 bm_lock;
	struct bind_node *bm_hash[BIND_HASH];	/* [b] */
	char		*bm_root;	/* [I] the root's path within the
					   filesystem, kmalloc'd */
};

#define BIND_MNT(mp)	((struct bind_mount *)(mp)->mnt_data)
#define BIND_NODE(vp)	((struct bind_node *)(vp)->v_data)

static const struct vnodeops bind_vnops;

static size_t
bind_hash(const struct vnode *lvp)
{
	return ((uintptr_t)lvp >> 6) % BIND_HASH;
}

/* Is vp a directory vnode of a bind mount? */
static bool
bind_isours(const struct vnode *vp)
{
	return vp->v_ops == &bind_vnops;
}

/*
 * The filesystem's vnode behind vp: its lower vnode when vp is a bind
 * directory, else vp itself.  Not referenced: it lives as long as vp.
 */
struct vnode *
vfs_bind_lower(struct vnode *vp)
{
	return bind_isours(vp) ? BIND_NODE(vp)->bn_lower : vp;
}

/*
 * What bind mp shows for lvp (referenced; the reference moves into the
 * result): lvp itself unless it is a directory, else the bind's vnode
 * for it, made if there is none.  Returns 0 with *vpp, or -ENOMEM.
 */
static int
bind_wrap(struct mount *mp, struct vnode *lvp, struct vnode **vpp)
{
	struct bind_mount *bm = BIND_MNT(mp);
	struct bind_node *bn;
	size_t h = bind_hash(lvp);

	if (lvp->v_type != VDIR) {
		*vpp = lvp;
		return 0;
	}
	mtx_lock(&bm->bm_lock);
	for (bn = bm->bm_hash[h]; bn != NULL; bn = bn->bn_next) {
		if (bn->bn_lower == lvp) {
			vref(bn->bn_vnode);
			mtx_unlock(&bm->bm_lock);
			vrele(lvp);
			*vpp = bn->bn_vnode;
			return 0;
		}
	}
	if ((bn = kmalloc(sizeof(*bn), M_ZERO)) == NULL ||
	    (bn->bn_vnode = vnode_alloc(mp, VDIR, &bind_vnops, bn)) == NULL) {
		mtx_unlock(&bm->bm_lock);
		kfree(bn);
		vrele(lvp);
		return -ENOMEM;
	}
	/* The reference on lvp moves to the node. */
	bn->bn_lower = lvp;
	bn->bn_next = bm->bm_hash[h];
	bm->bm_hash[h] = bn;
	mtx_unlock(&bm->bm_lock);
	*vpp = bn->bn_vnode;
	return 0;
}

/* Wrap what a lower operation returned, when it succeeded. */
static int
bind_result(struct vnode *dvp, int error, struct vnode *lvp,
    struct vnode **vpp)
{
	if (error < 0)
		return error;
	return bind_wrap(dvp->v_mount, lvp, vpp);
}

static int
bind_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower, *lvp;
	int error;

	error = ldvp->v_ops->vop_lookup(ldvp, name, len, &lvp);
	return bind_result(dvp, error, lvp, vpp);
}

static int
bind_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower, *lvp;
	int error;

	error = ldvp->v_ops->vop_create(ldvp, name, len, va, &lvp);
	return bind_result(dvp, error, lvp, vpp);
}

static int
bind_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower;

	return ldvp->v_ops->vop_symlink(ldvp, name, len, va, target, vpp);
}

static int
bind_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower;

	return ldvp->v_ops->vop_link(ldvp, name, len, vfs_bind_lower(vp));
}

static int
bind_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower;
	int error;

	error = ldvp->v_ops->vop_remove(ldvp, name, len, vfs_bind_lower(vp),
	    rmdir);
	if (error == 0)
		ncache_purge(ldvp, name, len);
	return error;
}

static int
bind_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    unsigned int flags)
{
	struct vnode *lfdvp = vfs_bind_lower(fdvp);
	struct vnode *ltdvp = vfs_bind_lower(tdvp);
	int error;

	error = lfdvp->v_ops->vop_rename(lfdvp, fname, flen,
	    vfs_bind_lower(fvp), ltdvp, tname, tlen, flags);
	if (error == 0) {
		ncache_purge(lfdvp, fname, flen);
		ncache_purge(ltdvp, tname, tlen);
	}
	return error;
}

static int
bind_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill, void *arg)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_readdir(lvp, pos, fill, arg);
}

static long
bind_read(struct vnode *vp, struct uio *uio)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_read(lvp, uio);
}

static long
bind_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_write(lvp, uio, ioflag);
}

static int
bind_getattr(struct vnode *vp, struct vattr *va)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_getattr(lvp, va);
}

static int
bind_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_setattr(lvp, va, mask);
}

static long
bind_readlink(struct vnode *vp, char *buf, size_t len)
{
	(void)vp, (void)buf, (void)len;
	return -EINVAL;			/* a directory is no link */
}

static int
bind_fsync(struct vnode *vp)
{
	struct vnode *lvp = BIND_NODE(vp)->bn_lower;

	return lvp->v_ops->vop_fsync(lvp);
}

static int
bind_tmpfile(struct vnode *dvp, const struct vattr *va, bool linkable,
    struct vnode **vpp)
{
	struct vnode *ldvp = BIND_NODE(dvp)->bn_lower;

	if (ldvp->v_ops->vop_tmpfile == NULL)
		return -EOPNOTSUPP;
	return ldvp->v_ops->vop_tmpfile(ldvp, va, linkable, vpp);
}

/* The last reference of a bind directory: the node goes, and its hold. */
static void
bind_inactive(struct vnode *vp)
{
	struct bind_mount *bm = BIND_MNT(vp->v_mount);
	struct bind_node *bn = BIND_NODE(vp), **pp;

	mtx_lock(&bm->bm_lock);
	if (!vnode_lastref(vp)) {
		mtx_unlock(&bm->bm_lock);
		return;
	}
	for (pp = &bm->bm_hash[bind_hash(bn->bn_lower)]; *pp != NULL;
	    pp = &(*pp)->bn_next) {
		if (*pp == bn) {
			*pp = bn->bn_next;
			break;
		}
	}
	mtx_unlock(&bm->bm_lock);
	vrele(bn->bn_lower);
	vnode_free(vp);
	kfree(bn);
}

static const struct vnodeops bind_vnops = {
	.vop_lookup = bind_lookup,
	.vop_create = bind_create,
	.vop_symlink = bind_symlink,
	.vop_link = bind_link,
	.vop_remove = bind_remove,
	.vop_rename = bind_rename,
	.vop_readdir = bind_readdir,
	.vop_read = bind_read,
	.vop_write = bind_write,
	.vop_getattr = bind_getattr,
	.vop_setattr = bind_setattr,
	.vop_readlink = bind_readlink,
	.vop_fsync = bind_fsync,
	.vop_inactive = bind_inactive,
	.vop_tmpfile = bind_tmpfile,
};

/* Nothing is left: every bind vnode went with its last reference. */
static void
bind_unmount(struct mount *mp)
{
	struct bind_mount *bm = BIND_MNT(mp);
	size_t i;

	for (i = 0; i < BIND_HASH; i++)
		KASSERT(bm->bm_hash[i] == NULL, "bind_unmount: a node left");
	kfree(bm->bm_root);
	kfree(bm);
}

static int
bind_statfs(struct mount *mp, struct l_statfs *sf)
{
	struct mount *lower = mp->mnt_lower;

	return lower->mnt_ops->vfs_statfs(lower, sf);
}

/* syncfs(2) through a bind: its filesystem's. */
static int
bind_sync(struct mount *mp)
{
	struct mount *lower = mp->mnt_lower;

	return lower->mnt_ops->vfs_sync != NULL ?
	    lower->mnt_ops->vfs_sync(lower) : 0;
}

static const struct vfsops bind_vfsops = {
	.vfs_name = "bind",
	.vfs_unmount = bind_unmount,
	.vfs_statfs = bind_statfs,
	.vfs_sync = bind_sync,
	.vfs_nocache = true,
};

/*
 * The path of lvp (a vnode of mount lower) from the root of its
 * filesystem, into a new string: a directory's by its ".." (vn_dirpath),
 * another file's by a name the name cache remembers for it (namei has just
 * found it; without one, "/(unreachable)").  Returns 0 with *pathp, or
 * -errno.
 */
static int
bind_rootpath(struct vnode *lvp, struct mount *lower, char **pathp)
{
	struct vnode *dvp = lvp;
	char *buf, name[NAME_MAX + 1];
	size_t pos = PATH_MAX - 1;
	int error;

	if ((buf = kmalloc(PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	buf[pos] = '\0';
	if (lvp->v_type != VDIR) {
		if (ncache_revlookup(lvp, &dvp, name) < 0) {
			/* As procfs names a file it cannot find. */
			strlcpy(buf, "/(unreachable)", PATH_MAX);
			*pathp = buf;
			return 0;
		}
		if ((error = vn_path_prepend(buf, &pos, name,
		    strlen(name))) < 0) {
			vrele(dvp);
			goto fail;
		}
	} else {
		vref(dvp);
	}
	/* vn_dirpath drops the reference on dvp. */
	if ((error = vn_dirpath(dvp, lower->mnt_root, buf, &pos)) < 0)
		goto fail;
	if (buf[pos] == '\0')
		buf[--pos] = '/';
	memmove(buf, buf + pos, PATH_MAX - pos);
	*pathp = buf;
	return 0;
fail:
	kfree(buf);
	return error;
}

/*
 * Make mp (allocated and zeroed by the caller, which gives it its id) a
 * bind mount of src: a directory, or any other file (referenced by the
 * caller; the mount takes its own reference).  A vnode of another bind is
 * replaced by the filesystem's, so a bind of a bind is one of the same
 * filesystem.  mp gets the filesystem's device, source and the flags of
 * its mount (MS_NOSUID, MS_NODEV, MS_NOEXEC; MS_RDONLY stays the
 * filesystem's, and the bind's own, mnt_mflags, starts clear: see
 * vfs_mount_rdonly).  Returns 0, -ENOMEM, or -ENOENT when a
 * directory on the way up to the filesystem's root was removed.  No lock
 * held.
 */
int
vfs_bind_setup(struct mount *mp, struct vnode *src)
{
	struct bind_mount *bm;
	struct mount *lower;
	struct vnode *lvp = vfs_bind_lower(src);
	int error;

	lower = lvp->v_mount;
	if ((bm = kmalloc(sizeof(*bm), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((error = bind_rootpath(lvp, lower, &bm->bm_root)) < 0) {
		kfree(bm);
		return error;
	}
	mtx_init(&bm->bm_lock, "bind_lock");
	mp->mnt_ops = &bind_vfsops;
	mp->mnt_data = bm;
	mp->mnt_lower = lower;
	mp->mnt_dev = lower->mnt_dev;
	mp->mnt_flags = lower->mnt_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
	strlcpy(mp->mnt_source, lower->mnt_source, sizeof(mp->mnt_source));
	vref(lvp);
	if ((error = bind_wrap(mp, lvp, &mp->mnt_root)) < 0) {
		kfree(bm->bm_root);
		kfree(bm);
		return error;
	}
	return 0;
}

/*
 * What bind mp shows for lvp, a vnode of its filesystem (referenced; the
 * reference moves into *vpp): see bind_wrap.  0 or -ENOMEM.
 */
int
vfs_bind_wrap(struct mount *mp, struct vnode *lvp, struct vnode **vpp)
{
	return bind_wrap(mp, lvp, vpp);
}

/*
 * Is directory cv at or below directory src, both seen through the same
 * mount (a bind's vnodes or a filesystem's own)?  Walks cv's ".." in the
 * filesystem up to its root; a directory removed meanwhile is not below.
 * No lock held; takes the filesystem's through vop_lookup.
 */
bool
vfs_bind_below(struct vnode *src, struct vnode *cv)
{
	struct vnode *ls = vfs_bind_lower(src), *vp, *up;
	int depth;

	if (src->v_mount != cv->v_mount)
		return false;
	vp = vfs_bind_lower(cv);
	vref(vp);
	for (depth = 0; depth < PATH_MAX / 2; depth++) {
		if (vp == ls)
			break;
		if (vp->v_ops->vop_lookup(vp, "..", 2, &up) < 0) {
			up = NULL;
		} else if (up == vp) {
			vrele(up);		/* the filesystem's root */
			up = NULL;
		}
		vrele(vp);
		if ((vp = up) == NULL)
			return false;
	}
	if (vp == ls) {
		vrele(vp);
		return true;
	}
	vrele(vp);
	return false;
}

/* The root of bind mount mp within its filesystem, as mountinfo shows it. */
const char *
vfs_bind_root(struct mount *mp)
{
	return BIND_MNT(mp)->bm_root;
}
