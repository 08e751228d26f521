/*
 * eclipsefs: nodes and the operations on names and attributes (struct
 * vnodeops; efs_rw.c has read, write and truncation, efs_vfs.h the
 * structures and their locking).
 *
 * Every operation takes em_lock for its whole length: the library it
 * calls needs one caller at a time per volume.  One that changes
 * anything does so between efs_wbegin and efs_wend, and checks
 * everything that can be refused (-EEXIST, -ENOTEMPTY, -EMLINK ...)
 * before its first change, so that a refused operation leaves nothing
 * in the transaction.  Changes that could still fail (an allocation in
 * efs_dir_add: -ENOSPC) come first, those that cannot after them.
 */
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_object.h>
#include <sys/vnode.h>

#include "efs_vfs.h"

/* ".." steps up the tree before a loop is assumed. */
#define EFS_WALK_MAX	65536

/* The vnode type of an inode's mode, VNON for none. */
static enum vtype
efs_vtype(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return VREG;
	case S_IFDIR:	return VDIR;
	case S_IFLNK:	return VLNK;
	case S_IFCHR:	return VCHR;
	case S_IFBLK:	return VBLK;
	case S_IFIFO:	return VFIFO;
	case S_IFSOCK:	return VSOCK;
	default:	return VNON;
	}
}

/* The node of inode ino in use, or NULL.  em_lock held. */
struct efs_node *
efs_node_lookup(struct efs_mount *em, uint64_t ino)
{
	struct efs_node *en;

	for (en = em->em_nodes[ino % EFS_NODE_HASH]; en != NULL;
	    en = en->en_hnext)
		if (en->en_ino == ino)
			return en;
	return NULL;
}

static void
efs_node_insert(struct efs_mount *em, struct efs_node *en)
{
	struct efs_node **head = &em->em_nodes[en->en_ino % EFS_NODE_HASH];

	en->en_hnext = *head;
	*head = en;
}

static void
efs_node_remove(struct efs_mount *em, struct efs_node *en)
{
	struct efs_node **pp;

	for (pp = &em->em_nodes[en->en_ino % EFS_NODE_HASH]; *pp != NULL;
	    pp = &(*pp)->en_hnext) {
		if (*pp == en) {
			*pp = en->en_hnext;
			return;
		}
	}
}

/* A new node and its vnode (one reference), not in em_nodes yet. */
static int
efs_node_new(struct mount *mp, enum vtype type, struct efs_node **enp,
    struct vnode **vpp)
{
	struct efs_node *en;
	struct vnode *vp;

	if ((en = kmalloc(sizeof(*en), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((vp = vnode_alloc(mp, type, &efs_vnops, en)) == NULL) {
		kfree(en);
		return -ENOMEM;
	}
	en->en_vnode = vp;
	*enp = en;
	*vpp = vp;
	return 0;
}

/* Free a node efs_node_new made that never joined em_nodes. */
static void
efs_node_drop(struct efs_node *en)
{
	(void)vnode_lastref(en->en_vnode);
	vnode_free(en->en_vnode);
	kfree(en);
}

/*
 * The vnode of inode ino, referenced (see efs_vfs.h).  An inode that a
 * name or the superblock points at must be in use: a free or impossible
 * one is damage.  em_lock held.
 */
int
efs_vget(struct efs_mount *em, uint64_t ino, struct vnode **vpp)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_node *en;
	struct vnode *vp;
	enum vtype type;
	struct efs_inode ip;
	int error;

	KASSERT(mtx_owned(&em->em_lock), "efs_vget: em_lock");
	if (ino == 0 || ino > v->vl_sb.sb_inode_count) {
		efs_log(em, "inode number %llu out of range",
		    (unsigned long long)ino);
		return efs_err(em, -EUCLEAN);
	}
	if ((en = efs_node_lookup(em, ino)) != NULL) {
		vref(en->en_vnode);
		*vpp = en->en_vnode;
		return 0;
	}
	if ((error = efs_inode_read(v, ino, &ip)) < 0)
		return efs_err(em, error);
	if ((type = efs_vtype(ip.i_mode)) == VNON || ip.i_nlink == 0) {
		efs_log(em, "inode %llu: named but %s (mode %#o, %u links)",
		    (unsigned long long)ino, type == VNON ? "of no type" :
		    "free", ip.i_mode, ip.i_nlink);
		return efs_err(em, -EUCLEAN);
	}
	if ((error = efs_node_new(em->em_mp, type, &en, &vp)) < 0)
		return error;
	en->en_ino = ino;
	en->en_inode = ip;
	if (type == VCHR || type == VBLK)
		vp->v_rdev = ip.i_rdev;
	efs_node_insert(em, en);
	*vpp = vp;
	return 0;
}

/* Write en's inode back into the transaction.  em_lock held. */
int
efs_iupdate(struct efs_mount *em, struct efs_node *en)
{
	return efs_err(em, efs_inode_write(&em->em_vol, en->en_ino,
	    &en->en_inode));
}

/*
 * Inode ino for reading or changing: the node's copy when it is in use
 * (*enp set), else read from the disk into *buf (*enp NULL).  em_lock.
 */
static int
efs_iload(struct efs_mount *em, uint64_t ino, struct efs_inode *buf,
    struct efs_inode **ipp, struct efs_node **enp)
{
	struct efs_node *en;
	int error;

	if (ino == 0 || ino > em->em_vol.vl_sb.sb_inode_count) {
		efs_log(em, "inode number %llu out of range",
		    (unsigned long long)ino);
		return efs_err(em, -EUCLEAN);
	}
	if ((en = efs_node_lookup(em, ino)) != NULL) {
		*enp = en;
		*ipp = &en->en_inode;
		return 0;
	}
	*enp = NULL;
	if ((error = efs_inode_read(&em->em_vol, ino, buf)) < 0)
		return efs_err(em, error);
	*ipp = buf;
	return 0;
}

static void
efs_stamp(int64_t *sec, uint32_t *nsec, struct l_timespec ts)
{
	*sec = ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

static struct l_timespec
efs_ts(int64_t sec, uint32_t nsec)
{
	struct l_timespec ts = { sec, nsec };

	return ts;
}

/* ctime (and with mtime true, mtime) of ip: now. */
static void
efs_touch(struct efs_inode *ip, bool mtime)
{
	struct l_timespec now = vfs_now();

	efs_stamp(&ip->i_ctime_sec, &ip->i_ctime_nsec, now);
	if (mtime)
		efs_stamp(&ip->i_mtime_sec, &ip->i_mtime_nsec, now);
}

/* Put en (no name left, still open) on the orphan list.  em_lock. */
static int
efs_orphan_add(struct efs_mount *em, struct efs_node *en)
{
	struct efs_vol *v = &em->em_vol;

	en->en_inode.i_orphan_next = v->vl_sb.sb_orphan_head;
	v->vl_sb.sb_orphan_head = en->en_ino;
	return efs_err(em, efs_super_write(v, false));
}

/*
 * Take ino (inode *ip, which the caller writes back) off the orphan
 * list: its predecessor (or the superblock) skips it.  em_lock held.
 * -ENOENT when it is not there; -EUCLEAN for a list with a loop.
 */
int
efs_orphan_del(struct efs_mount *em, uint64_t ino, struct efs_inode *ip)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_inode buf, *cip;
	struct efs_node *cen;
	uint64_t cur, n = 0;
	int error;

	if (v->vl_sb.sb_orphan_head == ino) {
		v->vl_sb.sb_orphan_head = ip->i_orphan_next;
		ip->i_orphan_next = 0;
		return efs_err(em, efs_super_write(v, false));
	}
	for (cur = v->vl_sb.sb_orphan_head; cur != 0;
	    cur = cip->i_orphan_next) {
		if (++n > v->vl_sb.sb_inode_count) {
			efs_log(em, "orphan list: a loop");
			return efs_err(em, -EUCLEAN);
		}
		if ((error = efs_iload(em, cur, &buf, &cip, &cen)) < 0)
			return error;
		if (cip->i_orphan_next == ino) {
			cip->i_orphan_next = ip->i_orphan_next;
			ip->i_orphan_next = 0;
			return efs_err(em, efs_inode_write(v, cur, cip));
		}
	}
	return -ENOENT;
}

/* Does inode ip hold blocks through its extent tree? */
static bool
efs_has_blocks(const struct efs_inode *ip)
{
	switch (ip->i_mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
		return true;
	case S_IFLNK:
		return !(ip->i_flags & EFS_IFLAG_INLINE);
	default:
		return false;
	}
}

/*
 * Free a file with no name: its blocks (in steps), its place on the
 * orphan list, its inode (the library zeroes it but for i_generation).
 * em_lock held,
 * a writable mount.
 */
int
efs_ifree(struct efs_mount *em, uint64_t ino, struct efs_inode *ip)
{
	bool is_dir = (ip->i_mode & S_IFMT) == S_IFDIR;
	int error;

	if (efs_has_blocks(ip) &&
	    (error = efs_trunc_blocks(em, ino, ip, 0)) < 0)
		return error;
	if ((error = efs_orphan_del(em, ino, ip)) < 0 && error != -ENOENT)
		return error;
	/* The library zeroes the inode (i_generation bumped). */
	return efs_err(em, efs_inode_free(&em->em_vol, ino, is_dir));
}

/*
 * Lock em and begin a changing operation on it (efs_wbegin).  em_lock is
 * held on return whatever the result, for efs_wunlock.  0 or -EROFS.
 */
static int
efs_wlock(struct efs_mount *em)
{
	mtx_lock(&em->em_lock);
	return efs_wbegin(em);
}

/*
 * End the changing operation efs_wlock began, whose result is error
 * (efs_wend), and unlock em.  Returns efs_wend's result.
 */
static int
efs_wunlock(struct efs_mount *em, int error)
{
	error = efs_wend(em, error);
	mtx_unlock(&em->em_lock);
	return error;
}

/*
 * The end of a call that made a file for *vpp (em_lock released): a
 * node en still there was never inserted and is dropped; otherwise *vpp
 * holds the new vnode, given back and cleared when the operation failed
 * after all.  Returns error.
 */
static int
efs_made(struct efs_node *en, struct vnode **vpp, int error)
{
	if (en != NULL)
		efs_node_drop(en);
	else if (error < 0) {
		vrele(*vpp);
		*vpp = NULL;
	}
	return error;
}

static int
efs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct efs_mount *em = EFS_MNT(dvp);
	struct efs_node *d = EFS_NODE(dvp);
	struct vnode *vp = NULL;
	bool dotdot = len == 2 && name[0] == '.' && name[1] == '.';
	uint64_t ino;
	int type, error;

	if (len > EFS_NAME_MAX)
		return -ENAMETOOLONG;
	mtx_lock(&em->em_lock);
	if (d->en_inode.i_nlink == 0) {
		error = -ENOENT;	/* removed: not even ".." */
		goto out;
	}
	if (dotdot)
		ino = d->en_inode.i_parent;
	else if ((error = efs_dir_lookup(&em->em_vol, &d->en_inode, name,
	    len, &ino, &type)) < 0)
		goto out_err;
	error = efs_vget(em, ino, &vp);
	/*
	 * A directory has one name, in its parent: an entry naming a
	 * directory that lives elsewhere (an ancestor: a loop) is damage.
	 */
	if (error == 0 && !dotdot && vp->v_type == VDIR &&
	    EFS_NODE(vp)->en_inode.i_parent != d->en_ino) {
		efs_log(em, "directory %llu: entry \"%.*s\" names directory "
		    "%llu, whose parent is %llu (a loop or a second name)",
		    (unsigned long long)d->en_ino, (int)len, name,
		    (unsigned long long)EFS_NODE(vp)->en_ino,
		    (unsigned long long)EFS_NODE(vp)->en_inode.i_parent);
		error = efs_err(em, -EUCLEAN);
	}
out_err:
	if (error == -EUCLEAN)
		error = efs_wend(em, efs_err(em, error));
out:
	mtx_unlock(&em->em_lock);
	if (error < 0 && vp != NULL)
		vrele(vp);
	else if (error == 0)
		*vpp = vp;
	return error;
}

/*
 * Undo a new inode that got no name: its blocks and its bit.  em_lock.
 */
static void
efs_unalloc(struct efs_mount *em, uint64_t ino, struct efs_inode *ip)
{
	bool is_dir = (ip->i_mode & S_IFMT) == S_IFDIR;

	if (efs_has_blocks(ip))
		(void)efs_err(em, efs_btruncate(&em->em_vol, ip, 0));
	(void)efs_err(em, efs_inode_free(&em->em_vol, ino, is_dir));
}

/*
 * A new inode of type vt in d for en: allocated, made (a directory's
 * header, a symbolic link's target) and written.  em_lock held.
 */
static int
efs_imake(struct efs_mount *em, struct efs_node *d, struct efs_node *en,
    enum vtype vt, const struct vattr *va, const char *target)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_inode *ip = &en->en_inode;
	struct l_timespec now = vfs_now();
	uint64_t ino;
	int error;

	if ((error = efs_inode_alloc(v, d->en_ino, vt == VDIR, &ino)) < 0)
		return efs_err(em, error);
	error = 0;
	efs_inode_init(ip, vtype_to_mode(vt) | (va->va_mode & 07777),
	    va->va_uid, va->va_gid, now.tv_sec, (uint32_t)now.tv_nsec);
	ip->i_nlink = vt == VDIR ? 2 : 1;
	if (vt == VCHR || vt == VBLK) {
		ip->i_rdev = va->va_rdev;
		en->en_vnode->v_rdev = va->va_rdev;
	}
	if (vt == VDIR) {
		ip->i_parent = d->en_ino;
		error = efs_dir_init(v, ino, ip, d->en_ino);
	} else if (vt == VLNK) {
		error = efs_symlink_set(v, ino, ip, target, strlen(target));
	}
	if (error == 0)
		error = efs_inode_write(v, ino, ip);
	if (error < 0) {
		(void)efs_err(em, error);
		efs_unalloc(em, ino, ip);
		return error;
	}
	en->en_ino = ino;
	return 0;
}

/*
 * create, mkdir and symlink: a new file named name in dvp.  One that
 * finds no block (-ENOSPC) while freed blocks wait in the journal's
 * quarantine is undone, gets them (efs_reclaim) and is tried once more.
 */
static int
efs_mknode(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct efs_mount *em = EFS_MNT(dvp);
	struct efs_node *d = EFS_NODE(dvp), *en;
	struct vnode *vp;
	enum vtype vt = target != NULL ? VLNK : va->va_type;
	uint64_t ino;
	bool retried = false;
	int type, error;

	if (len > EFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (vt == VNON || vt > VSOCK || (vt == VLNK && target == NULL))
		return -EINVAL;
	if (target != NULL && strlen(target) >= PATH_MAX)
		return -ENAMETOOLONG;
	if ((error = efs_node_new(dvp->v_mount, vt, &en, &vp)) < 0)
		return error;
	mtx_lock(&em->em_lock);
again:
	if ((error = efs_wbegin(em)) < 0)
		goto out;
	if (d->en_inode.i_nlink == 0) {
		error = -ENOENT;	/* in a removed directory */
		goto out;
	}
	error = efs_dir_lookup(&em->em_vol, &d->en_inode, name, len, &ino,
	    &type);
	if (error != -ENOENT) {
		error = error == 0 ? -EEXIST : efs_err(em, error);
		goto out;
	}
	if (vt == VDIR && d->en_inode.i_nlink >= EFS_LINK_MAX) {
		error = -EMLINK;
		goto out;
	}
	if ((error = efs_imake(em, d, en, vt, va, target)) < 0)
		goto out;
	if ((error = efs_dir_add(&em->em_vol, d->en_ino, &d->en_inode, name,
	    len, en->en_ino, vtype_to_dt(vt))) < 0) {
		(void)efs_err(em, error);
		efs_unalloc(em, en->en_ino, &en->en_inode);
		goto out;
	}
	/* From here on the file exists: nothing below is undone. */
	if (vt == VDIR)
		d->en_inode.i_nlink++;	/* its ".." */
	efs_touch(&d->en_inode, true);
	error = efs_iupdate(em, d);
	efs_node_insert(em, en);
	*vpp = vp;
	en = NULL;
out:
	error = efs_wend(em, error);
	if (error == -ENOSPC && en != NULL && !retried &&
	    efs_reclaim(em) > 0) {
		retried = true;
		goto again;
	}
	mtx_unlock(&em->em_lock);
	return efs_made(en, vpp, error);
}

static int
efs_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	if (va->va_type == VLNK)
		return -EINVAL;
	return efs_mknode(dvp, name, len, va, NULL, vpp);
}

static int
efs_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	return efs_mknode(dvp, name, len, va, target, vpp);
}

static int
efs_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct efs_mount *em = EFS_MNT(dvp);
	struct efs_node *d = EFS_NODE(dvp), *n = EFS_NODE(vp);
	uint64_t ino;
	int type, error;

	if (len > EFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (vp->v_type == VDIR)
		return -EPERM;
	if ((error = efs_wlock(em)) < 0)
		goto out;
	if (d->en_inode.i_nlink == 0 ||
	    (n->en_inode.i_nlink == 0 && !n->en_linkable)) {
		error = -ENOENT;	/* Linux: no links to removed files */
		goto out;
	}
	if (n->en_inode.i_nlink >= EFS_LINK_MAX) {
		error = -EMLINK;
		goto out;
	}
	error = efs_dir_lookup(&em->em_vol, &d->en_inode, name, len, &ino,
	    &type);
	if (error != -ENOENT) {
		error = error == 0 ? -EEXIST : efs_err(em, error);
		goto out;
	}
	if ((error = efs_dir_add(&em->em_vol, d->en_ino, &d->en_inode, name,
	    len, n->en_ino, vtype_to_dt(vp->v_type))) < 0) {
		(void)efs_err(em, error);
		goto out;
	}
	if (n->en_inode.i_nlink == 0) {
		/* An O_TMPFILE file gets its name: off the orphan list. */
		if ((error = efs_orphan_del(em, n->en_ino, &n->en_inode)) < 0)
			efs_log(em, "link: inode %llu not an orphan (%d)",
			    (unsigned long long)n->en_ino, error);
		n->en_linkable = false;
	}
	n->en_inode.i_nlink++;
	efs_touch(&n->en_inode, false);
	efs_touch(&d->en_inode, true);
	error = efs_iupdate(em, n);
	if (error == 0)
		error = efs_iupdate(em, d);
out:
	return efs_wunlock(em, error);
}

/*
 * n lost a name in d: link counts of n and (a directory's) parent d; a
 * file left with no name goes on the orphan list until its vnode's last
 * reference (the caller holds one).  Writes n back, not d.  em_lock.
 */
static int
efs_unlinked(struct efs_mount *em, struct efs_node *d, struct efs_node *n)
{
	int error = 0;

	if ((n->en_inode.i_mode & S_IFMT) == S_IFDIR) {
		n->en_inode.i_nlink = 0;	/* its name and its "." */
		d->en_inode.i_nlink--;		/* its ".." */
	} else {
		n->en_inode.i_nlink--;
	}
	efs_touch(&n->en_inode, false);
	if (n->en_inode.i_nlink == 0)
		error = efs_orphan_add(em, n);
	if (error == 0)
		error = efs_iupdate(em, n);
	return error;
}

static int
efs_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	struct efs_mount *em = EFS_MNT(dvp);
	struct efs_node *d = EFS_NODE(dvp), *n = EFS_NODE(vp);
	uint64_t ino;
	int type, error;

	if ((error = efs_wlock(em)) < 0)
		goto out;
	error = efs_dir_lookup(&em->em_vol, &d->en_inode, name, len, &ino,
	    &type);
	if (error < 0 || ino != n->en_ino) {
		error = error == 0 || error == -ENOENT ? -ENOENT :
		    efs_err(em, error);
		goto out;
	}
	if (rmdir && vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out;
	}
	if (!rmdir && vp->v_type == VDIR) {
		error = -EISDIR;
		goto out;
	}
	if (rmdir && (error = efs_dir_empty(&em->em_vol, &n->en_inode)) !=
	    1) {
		error = error == 0 ? -ENOTEMPTY : efs_err(em, error);
		goto out;
	}
	if ((error = efs_dir_remove(&em->em_vol, &d->en_inode, name, len,
	    NULL)) < 0) {
		(void)efs_err(em, error);
		goto out;
	}
	error = efs_unlinked(em, d, n);
	efs_touch(&d->en_inode, true);
	if (error == 0)
		error = efs_iupdate(em, d);
out:
	return efs_wunlock(em, error);
}

/*
 * Is directory a d itself or below it?  Walks ".." up from a to the
 * root.  1, 0, or -EUCLEAN (a loop).  em_lock held.
 */
static int
efs_is_below(struct efs_mount *em, uint64_t a, uint64_t d)
{
	struct efs_inode buf, *ip;
	struct efs_node *en;
	int i, error;

	for (i = 0; i < EFS_WALK_MAX; i++) {
		if (a == d)
			return 1;
		if ((error = efs_iload(em, a, &buf, &ip, &en)) < 0)
			return error;
		if (ip->i_parent == a || a == em->em_vol.vl_sb.sb_root_ino)
			return 0;
		a = ip->i_parent;
	}
	efs_log(em, "directory loop above inode %llu",
	    (unsigned long long)a);
	return efs_err(em, -EUCLEAN);
}

/* Move directory n from parent f to t: "..", and the counts.  [e] */
static void
efs_reparent(struct efs_node *n, struct efs_node *f, struct efs_node *t)
{
	if ((n->en_inode.i_mode & S_IFMT) != S_IFDIR || f == t)
		return;
	n->en_inode.i_parent = t->en_ino;
	f->en_inode.i_nlink--;
	t->en_inode.i_nlink++;
}

static int
efs_dt(struct efs_node *n)
{
	return vtype_to_dt(n->en_vnode->v_type);
}

/* RENAME_EXCHANGE of fn (in fd) and tn (in td).  em_lock held. */
static int
efs_exchange(struct efs_mount *em, struct efs_node *fd, const char *fname,
    size_t flen, struct efs_node *fn, struct efs_node *td,
    const char *tname, size_t tlen, struct efs_node *tn)
{
	struct efs_vol *v = &em->em_vol;
	int error;

	if ((error = efs_dir_replace(v, &fd->en_inode, fname, flen,
	    tn->en_ino, efs_dt(tn))) < 0)
		return efs_err(em, error);
	if ((error = efs_dir_replace(v, &td->en_inode, tname, tlen,
	    fn->en_ino, efs_dt(fn))) < 0)
		return efs_err(em, error);
	efs_reparent(fn, fd, td);
	efs_reparent(tn, td, fd);
	efs_touch(&fn->en_inode, false);
	efs_touch(&tn->en_inode, false);
	if ((error = efs_iupdate(em, tn)) < 0)
		return error;
	return efs_iupdate(em, fn);
}

/* The checks of rename(2) over an existing tn.  em_lock held. */
static int
efs_rename_check(struct efs_mount *em, struct efs_node *fn,
    struct efs_node *tn)
{
	int error;

	if (fn->en_vnode->v_type == VDIR && tn->en_vnode->v_type != VDIR)
		return -ENOTDIR;
	if (fn->en_vnode->v_type != VDIR && tn->en_vnode->v_type == VDIR)
		return -EISDIR;
	if (tn->en_vnode->v_type == VDIR &&
	    (error = efs_dir_empty(&em->em_vol, &tn->en_inode)) != 1)
		return error == 0 ? -ENOTEMPTY : efs_err(em, error);
	return 0;
}

/* rename without RENAME_EXCHANGE, the checks done.  em_lock held. */
static int
efs_move(struct efs_mount *em, struct efs_node *fd, const char *fname,
    size_t flen, struct efs_node *fn, struct efs_node *td,
    const char *tname, size_t tlen, struct efs_node *tn)
{
	struct efs_vol *v = &em->em_vol;
	int error;

	if (tn != NULL) {
		/* The target's name now names fn; tn loses it. */
		if ((error = efs_dir_replace(v, &td->en_inode, tname, tlen,
		    fn->en_ino, efs_dt(fn))) < 0)
			return efs_err(em, error);
		if ((error = efs_unlinked(em, td, tn)) < 0)
			return error;
	} else if ((error = efs_dir_add(v, td->en_ino, &td->en_inode, tname,
	    tlen, fn->en_ino, efs_dt(fn))) < 0) {
		return efs_err(em, error);
	}
	if ((error = efs_dir_remove(v, &fd->en_inode, fname, flen, NULL)) <
	    0)
		return efs_err(em, error);
	efs_reparent(fn, fd, td);
	efs_touch(&fn->en_inode, false);
	return efs_iupdate(em, fn);
}

static int
efs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    unsigned int flags)
{
	struct efs_mount *em = EFS_MNT(fdvp);
	struct efs_node *fd = EFS_NODE(fdvp), *td = EFS_NODE(tdvp);
	struct efs_node *fn = EFS_NODE(fvp), *tn = NULL;
	struct vnode *tvp = NULL;
	uint64_t ino, tino = 0;
	int type, error;

	if (tlen > EFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((error = efs_wlock(em)) < 0)
		goto out;
	error = efs_dir_lookup(&em->em_vol, &fd->en_inode, fname, flen, &ino,
	    &type);
	if (error < 0 || ino != fn->en_ino || td->en_inode.i_nlink == 0) {
		error = error == 0 || error == -ENOENT ? -ENOENT :
		    efs_err(em, error);
		goto out;
	}
	error = efs_dir_lookup(&em->em_vol, &td->en_inode, tname, tlen,
	    &tino, &type);
	if (error == -ENOENT)
		tino = 0;
	else if (error < 0) {
		error = efs_err(em, error);
		goto out;
	}
	error = 0;
	if ((flags & RENAME_NOREPLACE) && tino != 0) {
		error = -EEXIST;
		goto out;
	}
	if ((flags & RENAME_EXCHANGE) && tino == 0) {
		error = -ENOENT;
		goto out;
	}
	if (tino == fn->en_ino)
		goto out;	/* two names of one file: nothing to do */
	if (tino != 0) {
		if ((error = efs_vget(em, tino, &tvp)) < 0)
			goto out;
		tn = EFS_NODE(tvp);
	}
	/* A directory cannot move into itself or below itself. */
	if (fvp->v_type == VDIR && (error = efs_is_below(em, td->en_ino,
	    fn->en_ino)) != 0)
		goto out_below;
	if ((flags & RENAME_EXCHANGE) && tvp->v_type == VDIR &&
	    (error = efs_is_below(em, fd->en_ino, tn->en_ino)) != 0)
		goto out_below;
	if (tn != NULL && !(flags & RENAME_EXCHANGE) &&
	    (error = efs_rename_check(em, fn, tn)) < 0)
		goto out;
	if (tn == NULL && fvp->v_type == VDIR && fd != td &&
	    td->en_inode.i_nlink >= EFS_LINK_MAX) {
		error = -EMLINK;
		goto out;
	}
	if (flags & RENAME_EXCHANGE)
		error = efs_exchange(em, fd, fname, flen, fn, td, tname, tlen,
		    tn);
	else
		error = efs_move(em, fd, fname, flen, fn, td, tname, tlen, tn);
	efs_touch(&fd->en_inode, true);
	efs_touch(&td->en_inode, true);
	if (error == 0)
		error = efs_iupdate(em, fd);
	if (error == 0 && td != fd)
		error = efs_iupdate(em, td);
	goto out;
out_below:
	if (error > 0)
		error = -EINVAL;
out:
	error = efs_wunlock(em, error);
	if (tvp != NULL)
		vrele(tvp);	/* may free a replaced file (efs_inactive) */
	return error;
}

struct efs_rdctx {
	vfs_filldir_t	 rc_fill;
	void		*rc_arg;
};

/* The library's positions are below 2^63; its EOF becomes INT64_MAX. */
static off_t
efs_pos(uint64_t pos)
{
	return pos >= EFS_DIR_POS_EOF ? INT64_MAX : (off_t)pos;
}

static int
efs_readdir_fill(void *arg, const char *name, size_t len, uint64_t ino,
    int type, uint64_t next)
{
	struct efs_rdctx *rc = arg;

	return rc->rc_fill(rc->rc_arg, name, len, ino, type, efs_pos(next));
}

/*
 * readdir: the library's positions ("." 0, ".." 1, then name hashes)
 * are the offsets; the end is INT64_MAX (an offset lseek accepts).  A
 * name whose hash is 2^63 - 1 exactly would come once more after a
 * getdents that stopped right before it: a chance of 2^-63 per name.
 */
static int
efs_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill, void *arg)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *d = EFS_NODE(vp);
	struct efs_rdctx rc = { fill, arg };
	uint64_t p;
	int error = 0;

	if (*pos < 0)
		return -EINVAL;
	mtx_lock(&em->em_lock);
	if (d->en_inode.i_nlink == 0 || *pos == INT64_MAX)
		goto out;
	p = (uint64_t)*pos;
	error = efs_dir_iterate(&em->em_vol, d->en_ino, &d->en_inode, &p,
	    efs_readdir_fill, &rc);
	if (error < 0) {
		error = efs_err(em, error);
		if (error == -EUCLEAN)
			(void)efs_wend(em, error);
		goto out;
	}
	*pos = efs_pos(p);
out:
	mtx_unlock(&em->em_lock);
	return error;
}

static int
efs_getattr(struct vnode *vp, struct vattr *va)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *n = EFS_NODE(vp);
	struct efs_inode *ip = &n->en_inode;

	mtx_lock(&em->em_lock);
	va->va_type = vp->v_type;
	va->va_mode = ip->i_mode & 07777;
	va->va_uid = ip->i_uid;
	va->va_gid = ip->i_gid;
	va->va_nlink = ip->i_nlink;
	va->va_ino = n->en_ino;
	va->va_size = (off_t)ip->i_size;
	va->va_blocks = ip->i_blocks * (EFS_BLOCK_SIZE / 512);
	va->va_blksize = EFS_BLOCK_SIZE;
	va->va_rdev = ip->i_rdev;
	va->va_atime = efs_ts(ip->i_atime_sec, ip->i_atime_nsec);
	va->va_mtime = efs_ts(ip->i_mtime_sec, ip->i_mtime_nsec);
	va->va_ctime = efs_ts(ip->i_ctime_sec, ip->i_ctime_nsec);
	va->va_btime = efs_ts(ip->i_btime_sec, ip->i_btime_nsec);
	mtx_unlock(&em->em_lock);
	return 0;
}

static int
efs_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *n = EFS_NODE(vp);
	struct efs_inode *ip = &n->en_inode;
	int error;

	if ((error = efs_wlock(em)) < 0)
		goto out;
	if (mask & VA_SIZE) {
		if (vp->v_type != VREG)
			error = vp->v_type == VDIR ? -EISDIR : -EINVAL;
		else if (va->va_size < 0)
			error = -EINVAL;
		else if (va->va_size > EFS_MAXFILE)
			error = -EFBIG;
		else
			error = efs_truncate(em, n, va->va_size);
		if (error < 0)
			goto out;
		efs_touch(ip, true);
	}
	if (mask & VA_MODE)
		ip->i_mode = (uint16_t)((ip->i_mode & S_IFMT) |
		    (va->va_mode & 07777));
	if (mask & VA_UID)
		ip->i_uid = va->va_uid;
	if (mask & VA_GID)
		ip->i_gid = va->va_gid;
	if (mask & VA_ATIME)
		efs_stamp(&ip->i_atime_sec, &ip->i_atime_nsec, va->va_atime);
	if (mask & VA_MTIME)
		efs_stamp(&ip->i_mtime_sec, &ip->i_mtime_nsec, va->va_mtime);
	if (mask & VA_CTIME)
		efs_stamp(&ip->i_ctime_sec, &ip->i_ctime_nsec, va->va_ctime);
	else
		efs_touch(ip, false);
	error = efs_iupdate(em, n);
out:
	return efs_wunlock(em, error);
}

static long
efs_readlink(struct vnode *vp, char *buf, size_t len)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *n = EFS_NODE(vp);
	long r;

	if (vp->v_type != VLNK)
		return -EINVAL;
	mtx_lock(&em->em_lock);
	r = efs_symlink_get(&em->em_vol, &n->en_inode, buf, len);
	if (r == -EUCLEAN)
		(void)efs_wend(em, efs_err(em, (int)r));
	mtx_unlock(&em->em_lock);
	return r;
}

/*
 * fsync, fdatasync (and msync(MS_SYNC) of a shared mapping): the pages
 * of a page cache that differ from the disk go to their blocks first
 * (efs_pcache.c); then a journal commit writes every dirty data buffer
 * of the device, then the transaction (this file's inode and all), then
 * flushes the disk's cache.  A read-only mount has nothing to commit.
 */
static int
efs_fsync(struct vnode *vp)
{
	struct efs_mount *em = EFS_MNT(vp);
	int error, cerr = 0;

	mtx_lock(&em->em_lock);
	error = efs_pc_flush(em, EFS_NODE(vp));
	if (em->em_journal != NULL)
		cerr = efs_journal_commit(em->em_journal);
	mtx_unlock(&em->em_lock);
	return error < 0 ? error : cerr;
}

/*
 * The last reference: the node goes - a page cache written back first
 * and released - and a file with no name left is freed (on a read-only
 * mount it stays on the orphan list for the next read-write one).
 */
static void
efs_inactive(struct vnode *vp)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *n = EFS_NODE(vp);
	int error;

	mtx_lock(&em->em_lock);
	if (!vnode_lastref(vp)) {
		mtx_unlock(&em->em_lock);
		return;
	}
	efs_node_remove(em, n);
	if (vp->v_object != NULL) {
		if (n->en_inode.i_nlink > 0)
			(void)efs_pc_flush(em, n);	/* it logs */
		vm_object_release(vp->v_object);
	}
	if (n->en_inode.i_nlink == 0 && efs_wbegin(em) == 0) {
		error = efs_ifree(em, n->en_ino, &n->en_inode);
		if ((error = efs_wend(em, error)) < 0)
			efs_log(em, "inode %llu: not freed (%d)",
			    (unsigned long long)n->en_ino, error);
	}
	mtx_unlock(&em->em_lock);
	vnode_free(vp);
	kfree(n);
}

/* O_TMPFILE: a regular file with no name, on the orphan list. */
static int
efs_tmpfile(struct vnode *dvp, const struct vattr *va, bool linkable,
    struct vnode **vpp)
{
	struct efs_mount *em = EFS_MNT(dvp);
	struct efs_node *d = EFS_NODE(dvp), *en;
	struct vnode *vp;
	int error;

	if (va->va_type != VREG)
		return -EINVAL;
	if ((error = efs_node_new(dvp->v_mount, VREG, &en, &vp)) < 0)
		return error;
	if ((error = efs_wlock(em)) < 0)
		goto out;
	if ((error = efs_imake(em, d, en, VREG, va, NULL)) < 0)
		goto out;
	/* From here on the file exists: nothing below is undone. */
	en->en_inode.i_nlink = 0;
	en->en_linkable = linkable;
	error = efs_orphan_add(em, en);
	if (error == 0)
		error = efs_iupdate(em, en);
	efs_node_insert(em, en);
	*vpp = vp;
	en = NULL;
out:
	error = efs_wunlock(em, error);
	return efs_made(en, vpp, error);
}

const struct vnodeops efs_vnops = {
	.vop_lookup = efs_lookup,
	.vop_create = efs_create,
	.vop_symlink = efs_symlink,
	.vop_link = efs_link,
	.vop_remove = efs_remove,
	.vop_rename = efs_rename,
	.vop_readdir = efs_readdir,
	.vop_read = efs_read,
	.vop_write = efs_write,
	.vop_getattr = efs_getattr,
	.vop_setattr = efs_setattr,
	.vop_readlink = efs_readlink,
	.vop_fsync = efs_fsync,
	.vop_inactive = efs_inactive,
	.vop_tmpfile = efs_tmpfile,
	.vop_seekhole = efs_seekhole,
	.vop_mmap = efs_mmap,
};
