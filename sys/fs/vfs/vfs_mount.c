/*
 * The mount table: kinds of filesystems, the root, mount(2), umount2(2)
 * and statfs(2).
 *
 * Mounting fs on directory D makes D's v_mountedhere point to the new
 * struct mount, whose mnt_covered points back at D (holding a reference
 * on it); path lookup that reaches D goes on in the mount's root, and
 * ".." from that root goes to D's parent (vfs_lookup.c).  The root
 * filesystem covers nothing.
 *
 * A bind mount (MS_BIND) is a struct mount of its own on D whose root is
 * a vnode of another mount's filesystem: a directory of it, through
 * vfs_bind.c's vnodes, or a file bound onto a file (D is a file then).
 * mnt_lower names that filesystem's mount, whose read-only flag counts for
 * both and which counts the writers of both; a bind's own read-only flag
 * (mnt_mflags, MS_REMOUNT | MS_BIND) and writers are its alone.  With
 * MS_REC the mounts below the source are bound too (mount_bind_rec).
 * umount2 finds the mount on the last name of its path itself
 * (ND_NOCROSS), since a file's bind has a root that is the filesystem's
 * file, not a vnode of the bind.
 *
 * mount_lock, a sleep mutex, protects the table, every v_mountedhere and
 * mnt_covered, and the flags of mounts.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <sysproto.h>

#include "vfs_internal.h"

#define VFS_TYPES_MAX	8
#define MOUNT_DATA_MAX	4096	/* mount(2)'s option string, a page */
/* The flags MS_REMOUNT | MS_BIND leaves as they are. */
#define MNT_OWNFLAGS	(MS_NOSUID | MS_NODEV | MS_NOEXEC)

struct mutex mount_lock = MUTEX_INIT("mount_lock");
/* Lazily unmounted mounts waiting to be freed; reap_lock after vnode_lock. */
static struct spinlock reap_lock = SPINLOCK_INIT("vfs_reap");
static struct mount *reap_list;		/* [q] reap_lock, by mnt_reapnext */

static const struct vfsops *vfs_types[VFS_TYPES_MAX];	/* at boot */
static struct mount *mount_list;	/* [m] */
static struct vnode *rootvnode;		/* [m] set at boot only, by
					   vfs_mountroot and vfs_switch_root */
static int mount_next_id = 1;		/* [m] */

/* Make a kind of filesystem known to mount(2).  Boot only. */
void
vfs_register(const struct vfsops *ops)
{
	size_t i;

	for (i = 0; i < VFS_TYPES_MAX; i++) {
		if (vfs_types[i] == NULL) {
			vfs_types[i] = ops;
			return;
		}
	}
	panic("vfs_register: no room for %s", ops->vfs_name);
}

static const struct vfsops *
vfs_find_type(const char *name)
{
	size_t i;

	for (i = 0; i < VFS_TYPES_MAX && vfs_types[i] != NULL; i++)
		if (strcmp(vfs_types[i]->vfs_name, name) == 0)
			return vfs_types[i];
	return NULL;
}

/* The root of the tree, referenced. */
struct vnode *
vfs_root(void)
{
	vref(rootvnode);
	return rootvnode;
}

/*
 * A new mount of ops from source with options data, not yet in the tree.
 * Returns 0 with *mpp, or the filesystem's error.
 */
static int
vfs_mount_new(const struct vfsops *ops, const char *source, int flags,
    const char *data, struct mount **mpp)
{
	struct mount *mp;
	int error;

	if ((mp = kmalloc(sizeof(*mp), M_ZERO)) == NULL)
		return -ENOMEM;
	mp->mnt_ops = ops;
	mp->mnt_flags = flags;
	mtx_lock(&mount_lock);
	mp->mnt_id = mount_next_id++;
	mtx_unlock(&mount_lock);
	/* An "unnamed" device, as Linux gives memory filesystems: 0:n. */
	mp->mnt_dev = MKDEV(0, mp->mnt_id);
	strlcpy(mp->mnt_source, source, sizeof(mp->mnt_source));
	if ((error = ops->vfs_mount(mp, source, data)) < 0) {
		kfree(mp);
		return error;
	}
	*mpp = mp;
	return 0;
}

/* Mount the root filesystem (an empty fstype) at boot. */
int
vfs_mountroot(const char *fstype)
{
	const struct vfsops *ops;
	struct mount *mp;
	int error;

	if ((ops = vfs_find_type(fstype)) == NULL)
		return -ENODEV;
	if ((error = vfs_mount_new(ops, "rootfs", 0, NULL, &mp)) < 0)
		return error;
	mtx_lock(&mount_lock);
	mp->mnt_next = mount_list;
	mount_list = mp;
	mtx_unlock(&mount_lock);
	rootvnode = mp->mnt_root;
	klog("vfs", "root: %s", fstype);
	return 0;
}

/*
 * Make a new root at boot, before init (kern/kern_root.c): mount fstype
 * from source with flags and data, and make it the root of the tree; the
 * old root (the initramfs's tmpfs) moves onto the directory oldname of
 * the new root's top (made, 0755, if missing and the new root is
 * writable), and proc0's root and working directory (which every process
 * inherits) move to the new root.  When the new root has no such
 * directory the old root leaves the tree (logged).  Returns 0, or the
 * filesystem's error (or -ENODEV: no such type) with nothing changed.
 * Takes mount_lock; sleeps.  Nothing but proc0 and kernel threads may
 * exist yet.
 */
int
vfs_switch_root(const char *fstype, const char *source, int flags,
    const char *data, const char *oldname)
{
	const struct vfsops *ops;
	struct mount *mp, *old, **pp;
	struct vnode *newroot, *dir = NULL, *oroot, *ocwd;
	struct vattr va;
	size_t len = strlen(oldname);
	int error;

	if ((ops = vfs_find_type(fstype)) == NULL)
		return -ENODEV;
	if ((error = vfs_mount_new(ops, source, flags, data, &mp)) < 0)
		return error;
	newroot = mp->mnt_root;
	error = newroot->v_ops->vop_lookup(newroot, oldname, len, &dir);
	if (error == -ENOENT && !(flags & MS_RDONLY)) {
		memset(&va, 0, sizeof(va));
		va.va_type = VDIR;
		va.va_mode = 0755;
		error = newroot->v_ops->vop_create(newroot, oldname, len, &va,
		    &dir);
	}
	if (error == 0 && dir->v_type != VDIR) {
		vrele(dir);
		error = -ENOTDIR;
	}
	if (error < 0) {
		klog("vfs", "new root %s has no /%s (error %d): the old root "
		    "leaves the tree", source, oldname, error);
		dir = NULL;
	}

	mtx_lock(&mount_lock);
	old = rootvnode->v_mount;
	/* The new root is the oldest mount: the table is newest first. */
	for (pp = &mount_list; *pp != NULL; pp = &(*pp)->mnt_next)
		continue;
	mp->mnt_next = NULL;
	*pp = mp;
	if (dir != NULL && dir->v_mountedhere == NULL) {
		/* The lookup's reference on dir becomes the mount's. */
		old->mnt_covered = dir;
		__atomic_store_n(&dir->v_mountedhere, old, __ATOMIC_RELEASE);
		dir = NULL;
	} else {
		for (pp = &mount_list; *pp != NULL; pp = &(*pp)->mnt_next)
			if (*pp == old) {
				*pp = old->mnt_next;
				break;
			}
	}
	rootvnode = newroot;
	mtx_unlock(&mount_lock);
	if (dir != NULL)
		vrele(dir);

	oroot = proc0.p_root;
	ocwd = proc0.p_cwd;
	vref(newroot);
	vref(newroot);
	proc0.p_root = newroot;
	proc0.p_cwd = newroot;
	if (oroot != NULL)
		vrele(oroot);
	if (ocwd != NULL)
		vrele(ocwd);
	return 0;
}

/* The root of what is mounted on vp, referenced, or NULL. */
struct vnode *
vfs_mounted_root(struct vnode *vp)
{
	struct vnode *root = NULL;

	/*
	 * Most directories have nothing mounted on them: a look without
	 * the lock first.  A mount(2) that races with it is one that came
	 * after this lookup, as it could be with the lock.
	 */
	if (__atomic_load_n(&vp->v_mountedhere, __ATOMIC_ACQUIRE) == NULL)
		return NULL;
	mtx_lock(&mount_lock);
	if (vp->v_mountedhere != NULL) {
		root = vp->v_mountedhere->mnt_root;
		vref(root);
	}
	mtx_unlock(&mount_lock);
	return root;
}

/*
 * The same for namei: the root of what is mounted on vp, referenced, or
 * NULL; when that mount is a file's bind, whose root is its filesystem's
 * vnode, *fbindp is the bind, held (vfs_mount_hold), else NULL.
 */
struct vnode *
vfs_mounted_root_via(struct vnode *vp, struct mount **fbindp)
{
	struct vnode *root = NULL;
	struct mount *mp;

	*fbindp = NULL;
	if (__atomic_load_n(&vp->v_mountedhere, __ATOMIC_ACQUIRE) == NULL)
		return NULL;
	mtx_lock(&mount_lock);
	if ((mp = vp->v_mountedhere) != NULL) {
		root = mp->mnt_root;
		vref(root);
		if (root->v_mount != mp) {
			vfs_mount_hold(mp);
			*fbindp = mp;
		}
	}
	mtx_unlock(&mount_lock);
	return root;
}

/* When vp is the root of a mount, the vnode it covers, referenced. */
struct vnode *
vfs_covered(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	struct vnode *up = NULL;

	if (vp != mp->mnt_root)
		return NULL;
	mtx_lock(&mount_lock);
	if (mp->mnt_covered != NULL) {
		up = mp->mnt_covered;
		vref(up);
	}
	mtx_unlock(&mount_lock);
	return up;
}

/*
 * Put mp on vp, a directory or, for a file's bind, a file (referenced by
 * the caller; the mount takes its own reference).  -EBUSY when something
 * is already mounted right there (mount_target would have climbed it, so
 * only on a race).
 */
static int
vfs_attach(struct mount *mp, struct vnode *vp)
{
	mtx_lock(&mount_lock);
	if (vp->v_mountedhere != NULL) {
		mtx_unlock(&mount_lock);
		return -EBUSY;
	}
	vref(vp);
	mp->mnt_covered = vp;
	__atomic_store_n(&vp->v_mountedhere, mp, __ATOMIC_RELEASE);
	mp->mnt_next = mount_list;
	mount_list = mp;
	mtx_unlock(&mount_lock);
	return 0;
}

/* Take mp out of the tree and the table.  mount_lock held. */
static struct vnode *
vfs_detach_locked(struct mount *mp)
{
	struct mount **pp;
	struct vnode *covered = mp->mnt_covered;

	for (pp = &mount_list; *pp != NULL; pp = &(*pp)->mnt_next) {
		if (*pp == mp) {
			*pp = mp->mnt_next;
			break;
		}
	}
	if (covered != NULL)
		__atomic_store_n(&covered->v_mountedhere, NULL,
		    __ATOMIC_RELEASE);
	mp->mnt_covered = NULL;
	return covered;
}

/*
 * Free mp, which is out of the tree and has only the reference on its
 * root left: the filesystem releases everything.
 */
static void
vfs_mount_free(struct mount *mp)
{
	struct vnode *root = mp->mnt_root;

	mp->mnt_detached = true;
	mp->mnt_finishing = true;	/* the root's vrele must not recurse */
	vrele(root);
	mp->mnt_ops->vfs_unmount(mp);
	kfree(mp);
}

/*
 * A lazily unmounted mp lost its last user (vnode_drop_locked, with
 * vnode_lock and perhaps the filesystem's own lock held): queue it for the
 * reaper thread, which frees it with no lock held.  Any context.
 */
void
vfs_mount_finish(struct mount *mp)
{
	spin_lock(&reap_lock);
	mp->mnt_reapnext = reap_list;
	reap_list = mp;
	spin_unlock(&reap_lock);
	wakeup(&reap_list);
}

/* The reaper: frees the lazily unmounted filesystems queued for it. */
static void
vfs_reaper(void *arg)
{
	struct mount *mp;

	(void)arg;
	for (;;) {
		spin_lock(&reap_lock);
		while ((mp = reap_list) == NULL)
			tsleep(&reap_list, &reap_lock, "vfsreap", 0);
		reap_list = mp->mnt_reapnext;
		spin_unlock(&reap_lock);
		vfs_mount_free(mp);
	}
}

/* Start the reaper thread (vfs_init).  0 or -ENOMEM. */
int
vfs_reaper_start(void)
{
	struct thread *td;

	if ((td = thread_create_kernel(vfs_reaper, NULL, "vfsreap")) == NULL)
		return -ENOMEM;
	sched_add(td);
	return 0;
}

/* Mount fstype from source on the kernel path path (at boot, by init). */
int
vfs_mount_kernel(const char *fstype, const char *source, const char *path,
    int flags, const char *data)
{
	const struct vfsops *ops;
	struct nameidata nd;
	struct mount *mp;
	int error;

	if ((ops = vfs_find_type(fstype)) == NULL)
		return -ENODEV;
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_FOLLOW;
	if ((error = namei(&nd)) < 0)
		return error;
	if (nd.nd_vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out;
	}
	if ((error = vfs_mount_new(ops, source, flags, data, &mp)) < 0)
		goto out;
	if ((error = vfs_attach(mp, nd.nd_vp)) < 0)
		vfs_mount_free(mp);
out:
	nd_release(&nd);
	return error;
}

/* Copy a short string argument of mount(2) in. */
static int
mount_copystr(const char __user *u, char *buf, size_t len)
{
	int error;

	if (u == NULL) {
		buf[0] = '\0';
		return 0;
	}
	error = copyinstr(u, buf, len, NULL);
	return error == -ENAMETOOLONG ? -EINVAL : error;
}

/*
 * Take write access to mp (the mount a file was reached through) for a
 * file open for writing: -EROFS when mp or its filesystem is read-only,
 * else 0 and one more writer - of the bind and of its filesystem, for a
 * bind - which keeps a remount from making either read-only until
 * vfs_writer_put.  Takes mount_lock.
 */
int
vfs_writer_get(struct mount *mp)
{
	struct mount *fs = vfs_fsmount(mp);
	int error = 0;

	mtx_lock(&mount_lock);
	if (((mp->mnt_mflags | fs->mnt_flags) & MS_RDONLY) != 0) {
		error = -EROFS;
	} else {
		__atomic_fetch_add(&fs->mnt_writers, 1, __ATOMIC_ACQ_REL);
		if (fs != mp)
			__atomic_fetch_add(&mp->mnt_writers, 1,
			    __ATOMIC_ACQ_REL);
	}
	mtx_unlock(&mount_lock);
	return error;
}

/*
 * One more writer of mp for something that copies a writer it already
 * has (a shared writable file mapping split or inherited by fork): the
 * mount cannot be read-only while that one exists, so no check.  An
 * atomic increment, safe under any lock (the VM calls it under vm_lock).
 */
void
vfs_writer_dup(struct mount *mp)
{
	uint32_t old;

	if (vfs_fsmount(mp) != mp)
		__atomic_fetch_add(&mp->mnt_writers, 1, __ATOMIC_ACQ_REL);
	mp = vfs_fsmount(mp);
	old = __atomic_fetch_add(&mp->mnt_writers, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vfs_writer_dup: no writer to copy");
}

/* Give back a writer of mp.  Atomic: any context. */
void
vfs_writer_put(struct mount *mp)
{
	uint32_t old;

	if (vfs_fsmount(mp) != mp) {
		old = __atomic_fetch_sub(&mp->mnt_writers, 1,
		    __ATOMIC_ACQ_REL);
		KASSERT(old > 0, "vfs_writer_put: no writer of the bind");
	}
	mp = vfs_fsmount(mp);
	old = __atomic_fetch_sub(&mp->mnt_writers, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vfs_writer_put: no writer");
}

/*
 * mount(2) with MS_REMOUNT | MS_BIND: the flags of the mount at vp alone
 * (Linux's do_reconfigure_mnt), not of its filesystem: MS_RDONLY makes
 * it read-only (mnt_mflags; EBUSY while a file is open for writing
 * through it) or writable again.  MS_NOSUID, MS_NODEV and MS_NOEXEC stay
 * as they are (a bind has its filesystem's from when it was made): exec
 * and mmap check them on the file's own mount, so one mount alone cannot
 * change them - asking to is -EINVAL with a log line.  With filebind, vp
 * is a file that a file's bind covers (mount_target), and that bind is
 * the one changed.  -EINVAL when vp is not the root of a mount.  Takes
 * mount_lock.
 */
static int
mount_remount_bind(struct vnode *vp, bool filebind, unsigned long flags)
{
	struct mount *mp = vp->v_mount;
	int error = 0;

	if (!filebind && vp != mp->mnt_root)
		return -EINVAL;
	mtx_lock(&mount_lock);
	if (filebind && (mp = vp->v_mountedhere) == NULL) {
		error = -EINVAL;	/* unmounted meanwhile */
	} else if ((int)(flags & MNT_OWNFLAGS) !=
	    (mp->mnt_flags & MNT_OWNFLAGS)) {
		error = -EINVAL;
	} else if ((flags & MS_RDONLY) && !(mp->mnt_mflags & MS_RDONLY) &&
	    mp->mnt_writers > 0) {
		error = -EBUSY;
	} else {
		__atomic_store_n(&mp->mnt_mflags, (int)(flags & MS_RDONLY),
		    __ATOMIC_RELAXED);
	}
	mtx_unlock(&mount_lock);
	if (error == -EINVAL && mp != NULL)
		klog("vfs", "pid %d: MS_REMOUNT|MS_BIND: nosuid, nodev or "
		    "noexec of one mount alone not supported", curproc->p_pid);
	return error;
}

/*
 * mount(2) with MS_REMOUNT: only the flags MS_RDONLY, MS_NOSUID, MS_NODEV
 * and MS_NOEXEC change here.  Making a mount read-only while a file is
 * open for writing on it is EBUSY (mount(2)).  A filesystem with a
 * vfs_remount hears of it first, without mount_lock (it does I/O and
 * takes its own locks): going read-only, the mount is made read-only
 * before the call, so no writer comes in during it, and made writable
 * again if the filesystem refuses; going read-write, the filesystem is
 * asked before the mount becomes writable.  At a bind's root it is the
 * filesystem that is remounted, as Linux remounts the superblock.
 */
static int
mount_remount(struct vnode *vp, unsigned long flags)
{
	struct mount *mp = vp->v_mount;
	int nflags, oflags, error;

	if (vp != mp->mnt_root)
		return -EINVAL;
	mp = vfs_fsmount(mp);
	nflags = (int)(flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
	mtx_lock(&mount_lock);
	oflags = mp->mnt_flags;
	if ((nflags & MS_RDONLY) && !(oflags & MS_RDONLY) &&
	    mp->mnt_writers > 0) {
		mtx_unlock(&mount_lock);
		return -EBUSY;
	}
	if (mp->mnt_ops->vfs_remount == NULL) {
		mp->mnt_flags = nflags;
		mtx_unlock(&mount_lock);
		return 0;
	}
	if (nflags & MS_RDONLY)
		mp->mnt_flags |= MS_RDONLY;
	mtx_unlock(&mount_lock);
	error = mp->mnt_ops->vfs_remount(mp, nflags);
	mtx_lock(&mount_lock);
	mp->mnt_flags = error < 0 ? oflags : nflags;
	mtx_unlock(&mount_lock);
	return error;
}

#define BIND_REC_MAX	256	/* mounts MS_REC looks at */

/* A mount of the table as MS_REC sees it (mount_bind_rec). */
struct bind_rec {
	struct mount	*br_orig;	/* kept by br_root's reference */
	struct vnode	*br_covered;	/* referenced */
	struct vnode	*br_root;	/* referenced */
	struct mount	*br_copy;	/* its bind under the new one */
};

/*
 * A new bind mount of directory or file src (referenced by the caller),
 * not yet in the tree.  0 with *mpp, or -errno.
 */
static int
mount_bind_new(struct vnode *src, struct mount **mpp)
{
	struct mount *mp;
	int error;

	if ((mp = kmalloc(sizeof(*mp), M_ZERO)) == NULL)
		return -ENOMEM;
	mtx_lock(&mount_lock);
	mp->mnt_id = mount_next_id++;
	mtx_unlock(&mount_lock);
	if ((error = vfs_bind_setup(mp, src)) < 0) {
		kfree(mp);
		return error;
	}
	*mpp = mp;
	return 0;
}

/* Take mp, which nobody uses, out of the tree and free it. */
static void
mount_bind_undo(struct mount *mp)
{
	struct vnode *covered;

	mtx_lock(&mount_lock);
	covered = vfs_detach_locked(mp);
	mtx_unlock(&mount_lock);
	if (covered != NULL)
		vrele(covered);
	vfs_mount_free(mp);
}

/*
 * Copy a snapshot of the mounts of the table on directories, newest
 * first, into recs (references on what each covers and on its root; a
 * file's bind is left out: it sits on its filesystem's file, which shows
 * through every bind already).  Returns how many, or -ENOMEM when the
 * table has more than BIND_REC_MAX.
 */
static int
mount_bind_snapshot(struct mount *top, struct bind_rec *recs)
{
	struct mount *mp;
	int n = 0;

	mtx_lock(&mount_lock);
	for (mp = mount_list; mp != NULL; mp = mp->mnt_next) {
		if (mp == top || mp->mnt_covered == NULL ||
		    mp->mnt_root->v_mount != mp)
			continue;
		if (n == BIND_REC_MAX) {
			mtx_unlock(&mount_lock);
			while (n-- > 0) {
				vrele(recs[n].br_covered);
				vrele(recs[n].br_root);
			}
			return -ENOMEM;
		}
		recs[n].br_orig = mp;
		recs[n].br_covered = mp->mnt_covered;
		recs[n].br_root = mp->mnt_root;
		recs[n].br_copy = NULL;
		vref(recs[n].br_covered);
		vref(recs[n].br_root);
		n++;
	}
	mtx_unlock(&mount_lock);
	return n;
}

/*
 * Where rec's copy goes, if anywhere: the bind of the mount it is on
 * when that one was copied (older records, which come later in recs),
 * or top itself when it is on a directory at or below src, seen as src
 * is.  NULL: it is not below the source.
 */
static struct mount *
mount_bind_parent(struct bind_rec *recs, int i, int n, struct mount *top,
    struct vnode *src)
{
	struct vnode *cv = recs[i].br_covered;
	int j;

	for (j = i + 1; j < n; j++)
		if (recs[j].br_copy != NULL && recs[j].br_orig == cv->v_mount)
			return recs[j].br_copy;
	return vfs_bind_below(src, cv) ? top : NULL;
}

/*
 * MS_REC: after top, the bind of directory src, bind every mount below
 * src as well, each at the same place under top (on top's vnode for the
 * directory it covers, vfs_bind_wrap), the oldest first so that mounts on
 * mounts follow theirs.  On a failure every copy made goes again and the
 * error is returned; 0 otherwise.  No lock held.
 */
static int
mount_bind_rec(struct mount *top, struct vnode *src)
{
	struct bind_rec *recs;
	struct mount *parent, *copy;
	struct vnode *lcv, *ncv;
	int n, i, error = 0;

	if ((recs = kmalloc(BIND_REC_MAX * sizeof(*recs), 0)) == NULL)
		return -ENOMEM;
	if ((n = mount_bind_snapshot(top, recs)) < 0) {
		klog("vfs", "pid %d: MS_REC: more than %d mounts",
		    curproc->p_pid, BIND_REC_MAX);
		kfree(recs);
		return n;
	}
	for (i = n - 1; i >= 0 && error == 0; i--) {
		if ((parent = mount_bind_parent(recs, i, n, top, src)) == NULL)
			continue;
		lcv = vfs_bind_lower(recs[i].br_covered);
		vref(lcv);
		if ((error = vfs_bind_wrap(parent, lcv, &ncv)) < 0)
			break;
		if ((error = mount_bind_new(recs[i].br_root, &copy)) == 0 &&
		    (error = vfs_attach(copy, ncv)) < 0)
			vfs_mount_free(copy);
		vrele(ncv);
		if (error == 0)
			recs[i].br_copy = copy;
	}
	/* Undo in the reverse order: the newest copies first. */
	for (i = 0; i < n; i++) {
		if (error < 0 && recs[i].br_copy != NULL)
			mount_bind_undo(recs[i].br_copy);
		vrele(recs[i].br_covered);
		vrele(recs[i].br_root);
	}
	kfree(recs);
	return error;
}

/*
 * mount(2) MS_BIND: show the file at source (its links followed) at the
 * target vp too (referenced by the caller): a directory on a directory,
 * any other file on any other file; a directory and a non-directory are
 * -ENOTDIR, as on Linux.  With MS_REC the mounts below a directory
 * source are bound too (mount_bind_rec).
 */
static int
mount_bind(const char __user *source, struct vnode *vp, unsigned long flags)
{
	struct nameidata nd;
	struct mount *mp;
	char *path;
	int error;

	if (source == NULL)
		return -EINVAL;		/* no source, as Linux's do_loopback */
	if ((error = namei_copyin(source, &path)) < 0)
		return error;
	if (path[0] == '\0') {
		kfree(path);
		return -EINVAL;
	}
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_FOLLOW;
	error = namei(&nd);
	kfree(path);
	if (error < 0)
		return error;
	if ((nd.nd_vp->v_type == VDIR) != (vp->v_type == VDIR)) {
		error = -ENOTDIR;
		goto out;
	}
	if ((error = mount_bind_new(nd.nd_vp, &mp)) < 0)
		goto out;
	if ((error = vfs_attach(mp, vp)) < 0) {
		vfs_mount_free(mp);
		goto out;
	}
	if ((flags & MS_REC) && vp->v_type == VDIR &&
	    (error = mount_bind_rec(mp, nd.nd_vp)) < 0)
		mount_bind_undo(mp);
out:
	nd_release(&nd);
	return error;
}

/*
 * Where mount(2) works for its target *vpp (found with ND_NOCROSS): the
 * root of the topmost mount on it, which becomes *vpp (the reference
 * moves).  A file's bind stops the climb: its root is the filesystem's
 * file itself, on which a mount would show at each of that file's paths,
 * so *vpp stays the file it covers and *filebind says so.
 */
static void
mount_target(struct vnode **vpp, bool *filebind)
{
	struct vnode *vp = *vpp;
	struct mount *mp;

	*filebind = false;
	mtx_lock(&mount_lock);
	while ((mp = vp->v_mountedhere) != NULL) {
		if (mp->mnt_root->v_mount != mp) {
			*filebind = true;
			break;
		}
		vp = mp->mnt_root;
	}
	vref(vp);
	mtx_unlock(&mount_lock);
	vrele(*vpp);
	*vpp = vp;
}

/*
 * mount(2): new mounts of a registered filesystem type, MS_REMOUNT,
 * MS_BIND, and both (the flags of one mount alone: a read-only bind).
 * Move mounts and changes of propagation are refused with EINVAL and a
 * log line.  The target is looked up before the privilege is checked, as
 * on Linux.
 */
long
sys_mount(const char __user *source, const char __user *target,
    const char __user *fstype, unsigned long flags, const void __user *data)
{
	const struct vfsops *ops;
	struct nameidata nd;
	struct mount *mp;
	char src[64], type[32], *path = NULL, *opts = NULL;
	bool filebind;
	int error;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	/* Linux looks the target up first: EACCES, ENOENT before EPERM. */
	if ((error = namei_copyin(target, &path)) < 0)
		return error;
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_FOLLOW | ND_NOCROSS;
	if ((error = namei(&nd)) < 0)
		goto out_path;
	if (curproc->p_euid != 0) {
		error = -EPERM;
		goto out_nd;
	}
	mount_target(&nd.nd_vp, &filebind);
	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) {
		error = mount_remount_bind(nd.nd_vp, filebind, flags);
		goto out_nd;
	}
	if (filebind && (flags & (MS_REMOUNT | MS_BIND))) {
		/* (Another filesystem on the file is ENOTDIR below.) */
		klog("vfs", "pid %d: a bind or remount on a file's bind "
		    "mount not supported", curproc->p_pid);
		error = (flags & MS_REMOUNT) ? -EINVAL : -EBUSY;
		goto out_nd;
	}
	if (flags & MS_REMOUNT) {
		error = mount_remount(nd.nd_vp, flags);
		goto out_nd;
	}
	if (flags & MS_BIND) {
		error = mount_bind(source, nd.nd_vp, flags);
		goto out_nd;
	}
	if (flags & (MS_MOVE | (1UL << 17) | (1UL << 18) |
	    (1UL << 19) | (1UL << 20))) {
		klog("vfs", "pid %d: mount flags %#lx (move, propagation) "
		    "not supported", curproc->p_pid, flags);
		error = -EINVAL;
		goto out_nd;
	}
	if ((error = mount_copystr(fstype, type, sizeof(type))) < 0 ||
	    (error = mount_copystr(source, src, sizeof(src))) < 0)
		goto out_nd;
	if ((ops = vfs_find_type(type)) == NULL) {
		error = -ENODEV;
		goto out_nd;
	}
	if (nd.nd_vp->v_type != VDIR) {
		error = -ENOTDIR;
		goto out_nd;
	}
	if (data != NULL) {
		if ((opts = kmalloc(MOUNT_DATA_MAX, 0)) == NULL) {
			error = -ENOMEM;
			goto out_nd;
		}
		if ((error = mount_copystr(data, opts, MOUNT_DATA_MAX)) < 0)
			goto out_nd;
	}
	error = vfs_mount_new(ops, src, (int)(flags & (MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC)), opts, &mp);
	if (error < 0)
		goto out_nd;
	if ((error = vfs_attach(mp, nd.nd_vp)) < 0)
		vfs_mount_free(mp);
out_nd:
	nd_release(&nd);
out_path:
	kfree(opts);
	kfree(path);
	return error;
}

/*
 * The mount umount2 means by its target vp: the topmost of what is mounted
 * on vp, else the mount whose root vp is (a path ending in "." or "/"), or
 * NULL.  mount_lock held.
 */
static struct mount *
umount_find_locked(struct vnode *vp)
{
	struct mount *mp;

	if ((mp = vp->v_mountedhere) != NULL) {
		while (mp->mnt_root->v_mountedhere != NULL)
			mp = mp->mnt_root->v_mountedhere;
		return mp;
	}
	if (vp == vp->v_mount->mnt_root)
		return vp->v_mount;
	return NULL;
}

/*
 * umount2(2): the target must be a mount point (EINVAL), not the root of
 * the tree (EBUSY), and, unless MNT_DETACH, unused (EBUSY): no open file,
 * working directory or mount inside it; for a file's bind, no file opened
 * through it (f_mount).
 */
long
sys_umount2(const char __user *target, int flags)
{
	struct nameidata nd;
	struct mount *mp;
	struct vnode *covered, *root;
	char *path;
	int error;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (curproc->p_euid != 0)
		return -EPERM;
	if ((error = namei_copyin(target, &path)) < 0)
		return error;
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_NOCROSS | ((flags & UMOUNT_NOFOLLOW) ? 0 : ND_FOLLOW);
	error = namei(&nd);
	kfree(path);
	if (error < 0)
		return error;
	mtx_lock(&mount_lock);
	if ((mp = umount_find_locked(nd.nd_vp)) == NULL) {
		mtx_unlock(&mount_lock);
		nd_release(&nd);
		return -EINVAL;
	}
	if (flags & MNT_EXPIRE) {
		/* Expiry needs two calls and an idle mark: not kept here. */
		mtx_unlock(&mount_lock);
		nd_release(&nd);
		return -EAGAIN;
	}
	if (mp->mnt_covered == NULL) {
		mtx_unlock(&mount_lock);
		nd_release(&nd);
		return -EBUSY;		/* the root of the tree */
	}
	if (mp->mnt_root->v_mount != mp) {
		/*
		 * A file's bind: its users are the files opened through it
		 * (vfs_mount_hold; none of its own vnodes).  Out of the tree,
		 * and freed now or by its last user.
		 */
		if (!(flags & MNT_DETACH) && vfs_mount_refs(mp) > 0) {
			mtx_unlock(&mount_lock);
			nd_release(&nd);
			return -EBUSY;
		}
		/* Our hold: its drop hands the bind to the reaper. */
		vfs_mount_hold(mp);
		covered = vfs_detach_locked(mp);
		mp->mnt_detached = true;
		mtx_unlock(&mount_lock);
		nd_release(&nd);
		vrele(covered);
		vfs_mount_drop(mp);
		return 0;
	}
	/* Our reference on the root keeps mp while mount_lock is dropped. */
	root = mp->mnt_root;
	vref(root);
	mtx_unlock(&mount_lock);
	nd_release(&nd);
	/* The name cache's references are no users. */
	ncache_purge_mount(mp);
	mtx_lock(&mount_lock);
	if (mp->mnt_covered == NULL) {
		mtx_unlock(&mount_lock);
		vrele(root);
		return -EINVAL;		/* another umount2 came first */
	}
	/* Ours and the mount's own on its root: 2. */
	if (!(flags & MNT_DETACH) && vfs_mount_refs(mp) > 2) {
		mtx_unlock(&mount_lock);
		vrele(root);
		return -EBUSY;
	}
	covered = vfs_detach_locked(mp);
	mp->mnt_detached = true;
	mtx_unlock(&mount_lock);
	vrele(covered);
	/* What lookups entered since the purge above (vfs_cache.c). */
	ncache_purge_mount(mp);
	if (vfs_mount_refs(mp) == 2) {
		mp->mnt_finishing = true;
		vrele(root);
		vfs_mount_free(mp);
	} else {
		/* MNT_DETACH while in use: the last vrele frees it. */
		vrele(root);
	}
	return 0;
}

/* statfs of the filesystem of mp, the mount a file was reached through. */
static int
vfs_statfs_mount(struct mount *mp, struct l_statfs __user *buf)
{
	struct l_statfs sf;
	int error;

	memset(&sf, 0, sizeof(sf));
	if ((error = mp->mnt_ops->vfs_statfs(mp, &sf)) < 0)
		return error;
	sf.f_fsid[0] = (int32_t)mp->mnt_dev;
	sf.f_flags = (mp->mnt_flags & ~MS_RDONLY) |
	    (vfs_mount_rdonly(mp) ? MS_RDONLY : 0) | 0x20;	/* ST_VALID */
	return copyout(&sf, buf, sizeof(sf));
}

/* statfs(2) */
long
sys_statfs(const char __user *upath, struct l_statfs __user *buf)
{
	struct nameidata nd;
	char *path;
	int error;

	if ((error = vfs_namei(&nd, AT_FDCWD, upath, ND_FOLLOW, &path)) < 0)
		return error;
	kfree(path);
	error = vfs_statfs_mount(nd.nd_mnt, buf);
	nd_release(&nd);
	return error;
}

/* fstatfs(2) */
long
sys_fstatfs(int fd, struct l_statfs __user *buf)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = fd_getplace(fd, &vp, &mp)) < 0)
		return error;
	error = vfs_statfs_mount(mp, buf);
	vrele(vp);
	vfs_mount_drop(mp);
	return error;
}

/* Write everything of every filesystem to stable storage. */
static void
vfs_sync_all(void)
{
	struct mount *mp;

	mtx_lock(&mount_lock);
	for (mp = mount_list; mp != NULL; mp = mp->mnt_next)
		if (mp->mnt_ops->vfs_sync != NULL)
			(void)mp->mnt_ops->vfs_sync(mp);
	mtx_unlock(&mount_lock);
}

/* sync(2) */
long
sys_sync(void)
{
	vfs_sync_all();
	/* Then the block devices' dirty buffers (kern/vfs_bio.c). */
	(void)buf_sync_dev(0);
	return 0;
}

/* syncfs(2) */
long
sys_syncfs(int fd)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = fd_getvnode(fd, &vp)) < 0)
		return error;
	mp = vp->v_mount;
	error = mp->mnt_ops->vfs_sync != NULL ? mp->mnt_ops->vfs_sync(mp) : 0;
	vrele(vp);
	return error;
}

/*
 * A mount of fstype from source with options data that is in neither the
 * tree nor the mount table, for the kernel's own files (memfd_create's
 * tmpfs): no path reaches it, umount2 and sync never see it, and it is
 * never freed.  Takes mount_lock briefly.  Returns 0 with *mpp (its root
 * referenced, as every mount's), -ENODEV for an unknown type, or the
 * filesystem's error.
 */
int
vfs_mount_unattached(const char *fstype, const char *source,
    const char *data, struct mount **mpp)
{
	const struct vfsops *ops;

	if ((ops = vfs_find_type(fstype)) == NULL)
		return -ENODEV;
	return vfs_mount_new(ops, source, 0, data, mpp);
}

/*
 * procfs's /proc/mounts and mountinfo: up to max mounts of the tree into
 * infos, the oldest first, each with a reference on the directory it
 * covers (NULL for the root of the tree; the caller vreles the others)
 * and a copy of its root's path within its filesystem (the caller kfrees
 * mi_root; NULL when out of memory).  A bind shows its filesystem's type
 * and read-only flag.  Returns how many were filled.  Takes mount_lock.
 */
int
vfs_mount_list(struct vfs_mountinfo *infos, int max)
{
	struct vfs_mountinfo *mi;
	struct mount *mp, *fs;
	const char *root;
	size_t len;
	int n = 0, i;

	mtx_lock(&mount_lock);
	for (mp = mount_list; mp != NULL && n < max; mp = mp->mnt_next) {
		mi = &infos[n++];
		fs = vfs_fsmount(mp);
		mi->mi_covered = mp->mnt_covered;
		if (mp->mnt_covered != NULL)
			vref(mp->mnt_covered);
		mi->mi_type = fs->mnt_ops->vfs_name;
		mi->mi_flags = mp->mnt_flags | mp->mnt_mflags |
		    (fs->mnt_flags & MS_RDONLY);
		mi->mi_sbflags = fs->mnt_flags & MS_RDONLY;
		mi->mi_id = mp->mnt_id;
		/* The root of the tree is on nothing: its own id. */
		mi->mi_parent = mp->mnt_covered != NULL ?
		    mp->mnt_covered->v_mount->mnt_id : mp->mnt_id;
		mi->mi_dev = mp->mnt_dev;
		root = mp->mnt_lower != NULL ? vfs_bind_root(mp) : "/";
		len = strlen(root) + 1;
		if ((mi->mi_root = kmalloc(len, 0)) != NULL)
			memcpy(mi->mi_root, root, len);
		strlcpy(mi->mi_source, mp->mnt_source,
		    sizeof(mi->mi_source));
	}
	mtx_unlock(&mount_lock);
	/* The table is newest first. */
	for (i = 0; i < n / 2; i++) {
		struct vfs_mountinfo t = infos[i];

		infos[i] = infos[n - 1 - i];
		infos[n - 1 - i] = t;
	}
	return n;
}

/* The name of the i-th kind of filesystem registered, or NULL. */
const char *
vfs_type_name(int i)
{
	if (i < 0 || i >= VFS_TYPES_MAX || vfs_types[i] == NULL)
		return NULL;
	return vfs_types[i]->vfs_name;
}
