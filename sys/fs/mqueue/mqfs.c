/*
 * The mqueue filesystem (mq_overview(7)): POSIX message queues as files.
 *
 * `mount -t mqueue none DIR` shows the queues that mq_open(2) makes, any
 * number of times: every mount lists the one table of names of
 * kern/kern_mqueue.c, as Linux's mounts of one IPC namespace do.  The
 * root directory (mode 1777, root's, like /tmp) holds nothing but
 * queues: ls lists them, stat shows their mode and owner (st_size is 80,
 * what Linux reports), open(2) gives the same file as mq_open (reading
 * it gives the status line, mq_timedsend works on it), unlink(2) is
 * mq_unlink, creat(2) and mknod(S_IFREG) make a queue with the default
 * attributes, chmod and chown change a queue's permissions.  A queue is
 * never a directory, a link or a device: mkdir, symlink, link, rename
 * and other mknods are EPERM, as on Linux.  At boot, mqfs_init mounts it
 * on /dev/mqueue.
 *
 * fs/mqueue/mqueue.h draws the structures and gives the locking: one
 * lock, mq_lock, for the queues, their vnodes and the root's attributes.
 * Vnodes are made on lookup, one per queue and mount, and freed when
 * their last reference goes (mqfs_inactive, under mq_lock, so that a
 * lookup never finds a vnode being freed).
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/mqueue/mqueue.h>

#define MQFS_DIRENT_SIZE	20	/* Linux's directory size per name */
#define MQFS_BLKSIZE		4096

/*
 * The root directory's attributes, the same in every mount, as the one
 * root inode of Linux's mounts.  Locks: mq_lock.
 */
static uint32_t mqfs_root_mode = 01777;	/* [m] */
static uint32_t mqfs_root_uid;		/* [m] */
static uint32_t mqfs_root_gid;		/* [m] */
static struct l_timespec mqfs_root_atime, mqfs_root_mtime,
    mqfs_root_ctime;			/* [m] */
static uint32_t mqfs_first_dev;		/* [m] the first mount's st_dev */

static const struct vnodeops mqfs_dir_vnops;
static const struct vnodeops mqfs_queue_vnops;

#define MQFS_NODE(vp)	((struct mqfs_node *)(vp)->v_data)

/*
 * The vnode of queue mq in mount mp, referenced: the one that exists,
 * or a new one.  mq_lock held.  Returns 0 with *vpp or -ENOMEM.
 */
static int
mqfs_vget(struct mount *mp, struct mqueue *mq, struct vnode **vpp)
{
	struct mqfs_node *mn;
	struct vnode *vp;

	for (mn = mq->mq_nodes; mn != NULL; mn = mn->mn_next) {
		if (mn->mn_vnode->v_mount == mp) {
			vref(mn->mn_vnode);
			*vpp = mn->mn_vnode;
			return 0;
		}
	}
	if ((mn = kmalloc(sizeof(*mn), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((vp = vnode_alloc(mp, VREG, &mqfs_queue_vnops, mn)) == NULL) {
		kfree(mn);
		return -ENOMEM;
	}
	mn->mn_queue = mq;
	mn->mn_vnode = vp;
	mn->mn_next = mq->mq_nodes;
	mq->mq_nodes = mn;
	mq_hold(mq);			/* the node's reference */
	*vpp = vp;
	return 0;
}

/* A queue's attributes as stat(2) shows them.  mq_lock held. */
void
mqfs_queue_attr(const struct mqueue *mq, struct vattr *va)
{
	va->va_type = VREG;
	va->va_mode = mq->mq_mode;
	va->va_uid = mq->mq_uid;
	va->va_gid = mq->mq_gid;
	va->va_nlink = mq->mq_name != NULL ? 1 : 0;
	va->va_ino = mq->mq_ino;
	va->va_size = mq->mq_size;
	va->va_blocks = 0;
	va->va_blksize = MQFS_BLKSIZE;
	va->va_atime = mq->mq_atime;
	va->va_mtime = mq->mq_mtime;
	va->va_ctime = mq->mq_ctime;
}

/*
 * Before mq_unlink takes mq's name away outside the VFS: references to
 * every vnode of mq (one per mount that looked it up) in *vpsp, a
 * kmalloc'd array of *np, for mqfs_purge.  mq_lock held.  Returns 0, or
 * -ENOMEM (nothing held).
 */
int
mqfs_hold_vnodes(struct mqueue *mq, struct vnode ***vpsp, int *np)
{
	struct mqfs_node *mn;
	struct vnode **vps;
	int n = 0;

	for (mn = mq->mq_nodes; mn != NULL; mn = mn->mn_next)
		n++;
	*vpsp = NULL;
	*np = 0;
	if (n == 0)
		return 0;
	if ((vps = kmalloc((size_t)n * sizeof(*vps), 0)) == NULL)
		return -ENOMEM;
	n = 0;
	for (mn = mq->mq_nodes; mn != NULL; mn = mn->mn_next) {
		vref(mn->mn_vnode);
		vps[n++] = mn->mn_vnode;
	}
	*vpsp = vps;
	*np = n;
	return 0;
}

/*
 * After mq_unlink took a name away: make the name cache forget name in
 * the root of each mount of vps (mqfs_hold_vnodes'; each keeps its mount
 * alive), drop those references and free the array.  Without mq_lock.
 */
void
mqfs_purge(struct vnode **vps, int n, const char *name, size_t len)
{
	int i;

	for (i = 0; i < n; i++) {
		ncache_purge(vps[i]->v_mount->mnt_root, name, len);
		vrele(vps[i]);
	}
	kfree(vps);
}

/* A name came or went: the directory's times.  mq_lock held. */
void
mqfs_dir_changed(void)
{
	mqfs_root_mtime = mqfs_root_ctime = vfs_now();
}

/* The st_dev that mq_open's files show: the first mount's. */
uint32_t
mqfs_dev(void)
{
	uint32_t dev;

	spin_lock(&mq_lock);
	dev = mqfs_first_dev;
	spin_unlock(&mq_lock);
	return dev;
}

/*
 * May the caller remove mq from the directory?  As unlink(2) in any
 * directory: write and search permission on it, and, since it is sticky,
 * to own the queue or the directory, or be root.  mq_lock held.  Returns
 * 0, -EACCES or -EPERM.
 */
int
mqfs_may_delete(const struct mqueue *mq)
{
	struct proc *p = curproc;
	uint32_t bits;
	int i;

	if (p->p_euid == 0)
		return 0;
	if (p->p_euid == mqfs_root_uid) {
		bits = mqfs_root_mode >> 6;
	} else {
		bits = mqfs_root_mode;
		if (p->p_egid == mqfs_root_gid)
			bits = mqfs_root_mode >> 3;
		for (i = 0; i < p->p_ngroups; i++)
			if (p->p_groups[i] == mqfs_root_gid)
				bits = mqfs_root_mode >> 3;
	}
	if ((bits & 3) != 3)
		return -EACCES;
	if ((mqfs_root_mode & S_ISVTX) && p->p_euid != mq->mq_uid &&
	    p->p_euid != mqfs_root_uid)
		return -EPERM;
	return 0;
}

/* The directory: find a queue by name. */
static int
mqfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct mqueue *mq;
	int error;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	spin_lock(&mq_lock);
	if ((mq = mq_lookup(name, len)) == NULL)
		error = -ENOENT;
	else
		error = mqfs_vget(dvp->v_mount, mq, vpp);
	spin_unlock(&mq_lock);
	return error;
}

/*
 * creat(2), open(O_CREAT) and mknod(S_IFREG): a queue with the default
 * attributes.  Anything else is EPERM (Linux's mkdir, mknod).
 */
static int
mqfs_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct mqueue *mq;
	int error;

	if (va->va_type != VREG)
		return -EPERM;
	if ((error = mq_create_named(name, len, va->va_mode, &mq)) < 0)
		return error;
	spin_lock(&mq_lock);
	mq->mq_uid = va->va_uid;
	mq->mq_gid = va->va_gid;
	error = mqfs_vget(dvp->v_mount, mq, vpp);
	mq_drop(mq);			/* mq_create_named's reference */
	spin_unlock(&mq_lock);
	return error;
}

/*
 * unlink(2) of a queue: mq_unlink.  The VFS checked the directory's
 * permission and its sticky bit (the same rule as mqfs_may_delete), and
 * purges the name from its cache in this mount; the name goes from every
 * other mount too, which only the filesystem knows of (mqfs_purge).
 */
static int
mqfs_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	struct mqueue *mq = MQFS_NODE(vp)->mn_queue;
	struct vnode **vps = NULL;
	int error, n = 0;

	(void)dvp;
	if (rmdir)
		return -ENOTDIR;
	spin_lock(&mq_lock);
	if ((error = mqfs_hold_vnodes(mq, &vps, &n)) == 0)
		error = mq_unlink_locked(mq, name, len);
	spin_unlock(&mq_lock);
	if (n > 0)
		mqfs_purge(vps, n, name, len);
	return error;
}

/*
 * getdents64: ".", "..", then the queues by inode number, which is also
 * the position (the next queue has a larger one), so a listing resumes
 * right after queues come and go.
 */
static int
mqfs_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill, void *arg)
{
	char name[NAME_MAX + 1];
	struct mqueue *mq;
	uint64_t ino;
	size_t len;

	(void)vp;
	if (*pos == 0) {
		if (fill(arg, ".", 1, MQFS_ROOT_INO, DT_DIR, 1) != 0)
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (fill(arg, "..", 2, MQFS_ROOT_INO, DT_DIR, 2) != 0)
			return 0;
		*pos = 2;
	}
	for (;;) {
		spin_lock(&mq_lock);
		if ((mq = mq_next_named((uint64_t)*pos)) == NULL) {
			spin_unlock(&mq_lock);
			return 0;
		}
		ino = mq->mq_ino;
		len = strlcpy(name, mq->mq_name, sizeof(name));
		spin_unlock(&mq_lock);
		if (fill(arg, name, len, ino, DT_REG, (off_t)ino + 1) != 0)
			return 0;
		*pos = (off_t)ino + 1;
	}
}

/* The directory has no data. */
static long
mqfs_dir_read(struct vnode *vp, struct uio *uio)
{
	(void)vp, (void)uio;
	return -EISDIR;
}

static long
mqfs_dir_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	(void)vp, (void)uio, (void)ioflag;
	return -EISDIR;
}

static int
mqfs_dir_getattr(struct vnode *vp, struct vattr *va)
{
	(void)vp;
	spin_lock(&mq_lock);
	va->va_type = VDIR;
	va->va_mode = mqfs_root_mode;
	va->va_uid = mqfs_root_uid;
	va->va_gid = mqfs_root_gid;
	va->va_nlink = 2;
	va->va_ino = MQFS_ROOT_INO;
	/* Linux counts 20 bytes for ".", "..", and each name. */
	va->va_size = (off_t)(2 + mq_named_count()) * MQFS_DIRENT_SIZE;
	va->va_blksize = MQFS_BLKSIZE;
	va->va_atime = mqfs_root_atime;
	va->va_mtime = mqfs_root_mtime;
	va->va_ctime = mqfs_root_ctime;
	spin_unlock(&mq_lock);
	return 0;
}

/* chmod, chown and the times of the root (the VFS checked who may). */
static int
mqfs_dir_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	(void)vp;
	if (mask & VA_SIZE)
		return -EISDIR;
	spin_lock(&mq_lock);
	if (mask & VA_MODE)
		mqfs_root_mode = va->va_mode & 07777;
	if (mask & VA_UID)
		mqfs_root_uid = va->va_uid;
	if (mask & VA_GID)
		mqfs_root_gid = va->va_gid;
	if (mask & VA_ATIME)
		mqfs_root_atime = va->va_atime;
	if (mask & VA_MTIME)
		mqfs_root_mtime = va->va_mtime;
	if (mask & VA_CTIME)
		mqfs_root_ctime = va->va_ctime;
	spin_unlock(&mq_lock);
	return 0;
}

static long
mqfs_readlink(struct vnode *vp, char *buf, size_t len)
{
	(void)vp, (void)buf, (void)len;
	return -EINVAL;
}

/* A queue is no directory. */
static int
mqfs_notdir_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)vpp;
	return -ENOTDIR;
}

static int
mqfs_notdir_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)va, (void)vpp;
	return -ENOTDIR;
}

static int
mqfs_notdir_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	(void)dvp, (void)name, (void)len, (void)vp, (void)rmdir;
	return -ENOTDIR;
}

static int
mqfs_notdir_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill,
    void *arg)
{
	(void)vp, (void)pos, (void)fill, (void)arg;
	return -ENOTDIR;
}

/* Reading a queue's file gives its status line, as its descriptor's. */
static long
mqfs_queue_read(struct vnode *vp, struct uio *uio)
{
	return mq_status_read(MQFS_NODE(vp)->mn_queue, uio);
}

/* Linux's queue files take no write(2): EINVAL. */
static long
mqfs_queue_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	(void)vp, (void)uio, (void)ioflag;
	return -EINVAL;
}

static int
mqfs_queue_getattr(struct vnode *vp, struct vattr *va)
{
	spin_lock(&mq_lock);
	mqfs_queue_attr(MQFS_NODE(vp)->mn_queue, va);
	spin_unlock(&mq_lock);
	return 0;
}

/*
 * chmod, chown, the times, and truncate(2), which on Linux sets the size
 * stat reports and nothing else.
 */
static int
mqfs_queue_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	struct mqueue *mq = MQFS_NODE(vp)->mn_queue;

	spin_lock(&mq_lock);
	if (mask & VA_MODE)
		mq->mq_mode = va->va_mode & 07777;
	if (mask & VA_UID)
		mq->mq_uid = va->va_uid;
	if (mask & VA_GID)
		mq->mq_gid = va->va_gid;
	if (mask & VA_SIZE) {
		mq->mq_size = va->va_size;
		mq->mq_mtime = mq->mq_ctime = vfs_now();
	}
	if (mask & VA_ATIME)
		mq->mq_atime = va->va_atime;
	if (mask & VA_MTIME)
		mq->mq_mtime = va->va_mtime;
	if (mask & VA_CTIME)
		mq->mq_ctime = va->va_ctime;
	spin_unlock(&mq_lock);
	return 0;
}

/* fsync(2) of a queue: Linux's queue files have none (EINVAL). */
static int
mqfs_queue_fsync(struct vnode *vp)
{
	(void)vp;
	return -EINVAL;
}

/*
 * open(2) of a queue: the file mq_open makes, with open(2)'s flags; the
 * VFS checked the permission.  O_TRUNC sets the size stat shows to 0, as
 * on Linux.  The caller's reference on vp goes.
 */
static int
mqfs_queue_open(struct vnode *vp, int flags, struct file **fpp)
{
	struct mqueue *mq = MQFS_NODE(vp)->mn_queue;
	int error;

	if (flags & O_TRUNC) {
		spin_lock(&mq_lock);
		mq->mq_size = 0;
		mq->mq_mtime = mq->mq_ctime = vfs_now();
		spin_unlock(&mq_lock);
	}
	error = mq_file_open(mq, flags, fpp);
	vrele(vp);
	return error;
}

/*
 * The last reference to a queue's vnode: free the vnode and its node,
 * and drop the node's reference to the queue (which goes with it if it
 * has neither a name nor an open file).  Under mq_lock, so that
 * mqfs_vget never hands out this vnode once it is done for.
 */
static void
mqfs_inactive(struct vnode *vp)
{
	struct mqfs_node *mn = MQFS_NODE(vp), **pp;
	struct mqueue *mq = mn->mn_queue;

	spin_lock(&mq_lock);
	if (!vnode_lastref(vp)) {
		spin_unlock(&mq_lock);
		return;
	}
	for (pp = &mq->mq_nodes; *pp != mn; pp = &(*pp)->mn_next)
		continue;
	*pp = mn->mn_next;
	mq_drop(mq);
	spin_unlock(&mq_lock);
	vnode_free(vp);
	kfree(mn);
}

/*
 * The root: its last reference is the mount's, dropped at unmount; it
 * needs no vop_inactive (and so none of mq_lock, which the last queue
 * vnode of a lazily unmounted mount holds when the mount goes).
 */
static const struct vnodeops mqfs_dir_vnops = {
	.vop_lookup = mqfs_lookup,
	.vop_create = mqfs_create,
	.vop_symlink = vop_eperm_symlink,
	.vop_link = vop_eperm_link,
	.vop_remove = mqfs_remove,
	.vop_rename = vop_eperm_rename,
	.vop_readdir = mqfs_readdir,
	.vop_read = mqfs_dir_read,
	.vop_write = mqfs_dir_write,
	.vop_getattr = mqfs_dir_getattr,
	.vop_setattr = mqfs_dir_setattr,
	.vop_readlink = mqfs_readlink,
	.vop_fsync = vop_fsync_nothing,
	.vop_inactive = NULL,
};

static const struct vnodeops mqfs_queue_vnops = {
	.vop_lookup = mqfs_notdir_lookup,
	.vop_create = mqfs_notdir_create,
	.vop_symlink = vop_eperm_symlink,
	.vop_link = vop_eperm_link,
	.vop_remove = mqfs_notdir_remove,
	.vop_rename = vop_eperm_rename,
	.vop_readdir = mqfs_notdir_readdir,
	.vop_read = mqfs_queue_read,
	.vop_write = mqfs_queue_write,
	.vop_getattr = mqfs_queue_getattr,
	.vop_setattr = mqfs_queue_setattr,
	.vop_readlink = mqfs_readlink,
	.vop_fsync = mqfs_queue_fsync,
	.vop_inactive = mqfs_inactive,
	.vop_open = mqfs_queue_open,
};

/* A new mount: its own root vnode over the one table.  No options. */
static int
mqfs_mount(struct mount *mp, const char *source, const char *data)
{
	struct vnode *root;

	(void)source;
	if (data != NULL && data[0] != '\0') {
		klog("mqueue", "pid %d: mount options \"%s\" not supported",
		    curproc->p_pid, data);
		return -EINVAL;
	}
	if ((root = vnode_alloc(mp, VDIR, &mqfs_dir_vnops, NULL)) == NULL)
		return -ENOMEM;
	mp->mnt_data = NULL;
	mp->mnt_root = root;		/* the mount's reference */
	spin_lock(&mq_lock);
	if (mqfs_first_dev == 0)
		mqfs_first_dev = mp->mnt_dev;
	spin_unlock(&mq_lock);
	return 0;
}

/*
 * The mount goes: its queue vnodes are gone already (each took its node
 * with it), only the root is left.  Takes no lock: it may run under
 * mq_lock (see mqfs_dir_vnops).
 */
static void
mqfs_unmount(struct mount *mp)
{
	vnode_free(mp->mnt_root);
}

static int
mqfs_statfs(struct mount *mp, struct l_statfs *sf)
{
	(void)mp;
	sf->f_type = MQUEUE_MAGIC;
	sf->f_bsize = PAGE_SIZE;
	sf->f_frsize = PAGE_SIZE;
	sf->f_namelen = NAME_MAX;
	return 0;
}

static const struct vfsops mqfs_vfsops = {
	.vfs_name = "mqueue",
	.vfs_mount = mqfs_mount,
	.vfs_unmount = mqfs_unmount,
	.vfs_statfs = mqfs_statfs,
	.vfs_sync = NULL,
};

/*
 * Boot, once /dev is mounted: register "mqueue", make /dev/mqueue (in
 * devtmpfs) and mount the filesystem there, nosuid, nodev and noexec as
 * systemd's dev-mqueue.mount does.  Returns 0 or a negative errno
 * (logged; the type stays registered).
 */
int
mqfs_init(void)
{
	mqfs_root_atime = mqfs_root_mtime = mqfs_root_ctime = vfs_now();
	vfs_register(&mqfs_vfsops);
	return vfs_boot_mount("mqueue", "mqueue", "/dev/mqueue", 0755,
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}
