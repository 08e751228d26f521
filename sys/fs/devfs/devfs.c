/*
 * devfs: the devtmpfs filesystem type and the nodes drivers ask for
 * (fs/devfs/devfs.h).
 *
 * A devtmpfs mount is a tmpfs mount (tmpfs_vfsops does the mounting,
 * tmpfs_vnops every file operation) whose root is 0755, filled when it
 * is mounted with the nodes of devfs_nodes, the list of every
 * devfs_create() so far, in order.  devfs_create() appends to that list
 * and makes the node in every live devtmpfs mount (devfs_mounts) too, so
 * drivers need not know whether /dev is mounted yet.
 *
 * devfs_lock, a sleep mutex, protects the list and the mount table.  It
 * is taken before a mount's tm_lock (making a node takes it inside
 * vop_create).  To make nodes in a live mount devfs_create holds a
 * reference on its root, taken under devfs_lock while the mount is in
 * the table and dropped after devfs_lock: a mount being unmounted at the
 * same time waits for devfs_lock in devfs_unmount before tmpfs frees
 * its files, and the last reference of a lazily unmounted one, when it
 * is ours, is dropped with devfs_lock free.
 *
 * Locks protecting the variables below:
 *	d	devfs_lock
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

#include <fs/devfs/devfs.h>
#include <fs/tmpfs/tmpfs.h>

#define DEVFS_MOUNTS_MAX	8
#define DEVFS_ROOT_OPTS		"mode=0755"

/* A node a driver asked for. */
struct devfs_node {
	struct devfs_node *dn_next;	/* [d] in creation order */
	enum vtype	 dn_type;	/* [d] */
	uint32_t	 dn_mode;	/* [d] */
	uint32_t	 dn_dev;	/* [d] */
	char		 dn_name[DEVFS_NAME_MAX];	/* [d] */
};

static struct mutex devfs_lock = MUTEX_INIT("devfs");
static struct devfs_node *devfs_nodes;			/* [d] */
static struct devfs_node **devfs_tail = &devfs_nodes;	/* [d] */
static struct mount *devfs_mounts[DEVFS_MOUNTS_MAX];	/* [d] */

/*
 * Is name a path devfs can make: components of 1 to NAME_MAX bytes, not
 * "." or "..", separated by single slashes, not starting or ending with
 * one, shorter than DEVFS_NAME_MAX?
 */
static bool
devfs_name_ok(const char *name)
{
	size_t len = strnlen(name, DEVFS_NAME_MAX), i, start = 0;

	if (len == 0 || len == DEVFS_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		if (i == start || (i - start == 1 && name[start] == '.') ||
		    (i - start == 2 && name[start] == '.' &&
		    name[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

/*
 * Make node dn in the devtmpfs mount whose root is root (referenced by
 * the caller), with the directories on its way.  An existing name is
 * left alone (-EEXIST): the user's, or one made earlier.
 */
static int
devfs_make(struct vnode *root, const struct devfs_node *dn)
{
	struct vnode *dvp = root, *vp;
	struct vattr va;
	const char *name = dn->dn_name, *slash;
	size_t len;
	int error = 0;

	vref(dvp);
	for (;;) {
		slash = strchr(name, '/');
		len = slash != NULL ? (size_t)(slash - name) : strlen(name);
		memset(&va, 0, sizeof(va));
		if (slash == NULL) {
			va.va_type = dn->dn_type;
			va.va_mode = dn->dn_mode & 07777;
			va.va_rdev = dn->dn_dev;
			error = dvp->v_ops->vop_create(dvp, name, len, &va,
			    &vp);
			if (error == 0)
				vrele(vp);
			break;
		}
		error = dvp->v_ops->vop_lookup(dvp, name, len, &vp);
		if (error == -ENOENT) {
			va.va_type = VDIR;
			va.va_mode = 0755;
			error = dvp->v_ops->vop_create(dvp, name, len, &va,
			    &vp);
		}
		if (error < 0)
			break;
		if (vp->v_type != VDIR) {
			vrele(vp);
			error = -ENOTDIR;
			break;
		}
		vrele(dvp);
		dvp = vp;
		name = slash + 1;
	}
	vrele(dvp);
	return error;
}

/* Log why a node could not be made in a mount, unless it was there. */
static void
devfs_make_log(struct vnode *root, const struct devfs_node *dn)
{
	int error;

	if ((error = devfs_make(root, dn)) < 0 && error != -EEXIST)
		klog("devfs", "cannot make %s (error %d)", dn->dn_name, error);
}

/*
 * Remember the node name (type, mode, dev) and make it in every live
 * devtmpfs mount; later mounts make it when they are mounted.  Takes
 * devfs_lock, then each mount's tm_lock; sleeps.  Returns 0, -EINVAL,
 * -EEXIST or -ENOMEM (fs/devfs/devfs.h says when).
 */
int
devfs_create(const char *name, uint32_t mode, enum vtype type, uint32_t dev)
{
	struct vnode *roots[DEVFS_MOUNTS_MAX];
	struct devfs_node *dn, *o;
	int i, n = 0, error = 0;

	if ((type != VCHR && type != VBLK) || (mode & ~07777U) != 0 ||
	    !devfs_name_ok(name)) {
		klog("devfs", "refused node \"%s\" (type %d, mode %#o)", name,
		    type, mode);
		return -EINVAL;
	}
	if ((dn = kmalloc(sizeof(*dn), M_ZERO)) == NULL)
		return -ENOMEM;
	dn->dn_type = type;
	dn->dn_mode = mode;
	dn->dn_dev = dev;
	strlcpy(dn->dn_name, name, sizeof(dn->dn_name));
	mtx_lock(&devfs_lock);
	for (o = devfs_nodes; o != NULL; o = o->dn_next) {
		if (strcmp(o->dn_name, name) == 0) {
			error = -EEXIST;
			goto out;
		}
	}
	*devfs_tail = dn;
	devfs_tail = &dn->dn_next;
	for (i = 0; i < DEVFS_MOUNTS_MAX; i++) {
		if (devfs_mounts[i] == NULL)
			continue;
		roots[n] = devfs_mounts[i]->mnt_root;
		vref(roots[n]);
		devfs_make_log(roots[n], dn);
		n++;
	}
	dn = NULL;
out:
	mtx_unlock(&devfs_lock);
	for (i = 0; i < n; i++)
		vrele(roots[i]);
	if (dn != NULL) {
		klog("devfs", "%s: made twice", name);
		kfree(dn);
	}
	return error;
}

/*
 * Mount a devtmpfs: a tmpfs with a 0755 root (the options given come
 * after, so mode= may still change it) holding every node so far.
 */
static int
devfs_mount(struct mount *mp, const char *source, const char *data)
{
	const struct devfs_node *dn;
	size_t len;
	char *opts;
	int i, error;

	len = sizeof(DEVFS_ROOT_OPTS) + (data != NULL ? strlen(data) + 1 : 0);
	if ((opts = kmalloc(len, 0)) == NULL)
		return -ENOMEM;
	strlcpy(opts, DEVFS_ROOT_OPTS, len);
	if (data != NULL && *data != '\0') {
		strlcpy(opts + sizeof(DEVFS_ROOT_OPTS) - 1, ",", 2);
		strlcpy(opts + sizeof(DEVFS_ROOT_OPTS), data,
		    len - sizeof(DEVFS_ROOT_OPTS));
	}
	mtx_lock(&devfs_lock);
	for (i = 0; i < DEVFS_MOUNTS_MAX && devfs_mounts[i] != NULL; i++)
		;
	if (i == DEVFS_MOUNTS_MAX) {
		klog("devfs", "more than %d devtmpfs mounts", DEVFS_MOUNTS_MAX);
		error = -ENOMEM;
		goto out;
	}
	if ((error = tmpfs_vfsops.vfs_mount(mp, source, opts)) < 0)
		goto out;
	devfs_mounts[i] = mp;
	for (dn = devfs_nodes; dn != NULL; dn = dn->dn_next)
		devfs_make_log(mp->mnt_root, dn);
out:
	mtx_unlock(&devfs_lock);
	kfree(opts);
	return error;
}

/*
 * Forget mp, then let tmpfs free it (no vnode of it is referenced).  A
 * devfs_create making nodes in it finishes first (devfs_lock).
 */
static void
devfs_unmount(struct mount *mp)
{
	int i;

	mtx_lock(&devfs_lock);
	for (i = 0; i < DEVFS_MOUNTS_MAX; i++)
		if (devfs_mounts[i] == mp)
			devfs_mounts[i] = NULL;
	mtx_unlock(&devfs_lock);
	tmpfs_vfsops.vfs_unmount(mp);
}

static int
devfs_statfs(struct mount *mp, struct l_statfs *sf)
{
	return tmpfs_vfsops.vfs_statfs(mp, sf);
}

static const struct vfsops devfs_vfsops = {
	.vfs_name = "devtmpfs",
	.vfs_mount = devfs_mount,
	.vfs_unmount = devfs_unmount,
	.vfs_statfs = devfs_statfs,
	.vfs_sync = NULL,
};

/*
 * Boot: the devtmpfs type, the devices of every system, and /dev.  Runs
 * as proc0 (root) once the initramfs is unpacked, so that what the
 * initramfs had in /dev is covered, as on Linux.
 */
int
devfs_init(void)
{
	int error;

	vfs_register(&devfs_vfsops);
	mem_cdev_init();
	tty_dev_init();
	pty_init();
	if ((error = vfs_boot_mount("devtmpfs", "devtmpfs", "/dev", 0755,
	    MS_NOSUID, NULL)) < 0)
		return error;
	(void)pty_mount_devpts();	/* logs its failure */
	return 0;
}
