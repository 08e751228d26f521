/*
 * A minimal sysfs (sysfs(5)): the devices the kernel found, as files laid
 * out where Linux puts them, so that BusyBox's lspci and the like work
 * unchanged.
 *
 *	/sys/bus/pci/devices/0000:00:02.0 -> ../../../devices/pci0000:00/
 *	    0000:00:02.0 with vendor, device, subsystem_vendor,
 *	    subsystem_device, class, revision, irq, resource, config (binary)
 *	    and uevent, and driver -> ../../../bus/pci/drivers/<name>
 *	/sys/class/tty/<name> -> ../../devices/virtual/tty/<name> (dev,
 *	    uevent), and /sys/dev/{char,block}/M:m links to every device
 *	/sys/kernel/uevent_seqnum
 *
 * The tree (struct sysnode) is built when the filesystem is mounted,
 * from the device list (sys/sys/device.h) and the character devices
 * registered (kern_cdev.c); devices do not come
 * or go after boot.  A file's text is generated from the device on each
 * read: nothing is stored but the tree.  The filesystem is read-only.
 *
 * Locking: the tree of a mount is built before the mount is visible and
 * is immutable until the mount is freed ([I]); the vnodes are made on each
 * lookup and freed with their last reference, as procfs's.
 */
#ifndef _FS_SYSFS_SYSFS_H_
#define _FS_SYSFS_SYSFS_H_

#include <sys/types.h>
#include <sys/vnode.h>

#define SYSFS_MAGIC	0x62656572	/* statfs f_type (Linux's "beer") */
#define SYSFS_ATTR_SIZE	4096		/* st_size of a text attribute */

/* The text of one file, generated into a page-sized buffer. */
struct sysbuf {
	char		*sb_buf;
	size_t		 sb_len;
	size_t		 sb_cap;
};

struct sysnode;
/* Print the file sn into sb: 0 or a negative errno. */
typedef int sysfs_show_t(const struct sysnode *sn, struct sysbuf *sb);

/* One name of the tree; every field is [I]. */
struct sysnode {
	char		 sn_name[32];
	enum vtype	 sn_type;	/* VDIR, VREG or VLNK */
	uint64_t	 sn_ino;
	struct sysnode	*sn_parent;	/* NULL for the root */
	struct sysnode	*sn_child;	/* VDIR: the first entry */
	struct sysnode	*sn_last;	/* VDIR: the last entry */
	struct sysnode	*sn_next;	/* the next entry of the parent */
	char		*sn_target;	/* VLNK: a relative path */
	sysfs_show_t	*sn_show;	/* VREG */
	void		*sn_arg;	/* what sn_show prints (a device) */
	int		 sn_argi;	/* and which part of it */
	off_t		 sn_size;	/* VREG: st_size */
};

/* The tree of one mount. */
struct sysfs_tree {
	struct sysnode	*st_root;	/* [I] */
	uint64_t	 st_nextino;	/* [I] while it is built */
	int		 st_error;	/* [I] the first failure building it */
};

/* sysfs_vnops.c: building a tree. */
/*
 * A new entry name (a ksnprintf format) of dir of type, appended to its
 * entries; NULL when out of memory (t->st_error set).  Node names longer
 * than sn_name are cut.  Called while the tree is built, no lock.
 */
struct sysnode *sysfs_add(struct sysfs_tree *t, struct sysnode *dir,
	    enum vtype type, const char *fmt, ...) __printflike(4, 5);
/* A text attribute of dir printed by show (arg, argi); NULL on failure. */
struct sysnode *sysfs_add_file(struct sysfs_tree *t, struct sysnode *dir,
	    const char *name, sysfs_show_t *show, void *arg, int argi);
/* A symbolic link name of dir to target (a format); NULL on failure. */
struct sysnode *sysfs_add_link(struct sysfs_tree *t, struct sysnode *dir,
	    const char *name, const char *fmt, ...) __printflike(4, 5);
/* The entry name of dir, or NULL; a directory made when mkdir is set. */
struct sysnode *sysfs_dir(struct sysfs_tree *t, struct sysnode *dir,
	    const char *name, bool mkdir);
/* Append to sb as ksnprintf would; the text is cut at sb_cap. */
int	sysfs_printf(struct sysbuf *sb, const char *fmt, ...)
	    __printflike(2, 3);

/*
 * sysfs_pci.c, sysfs_dev.c: the parts of the tree, built from the
 * device lists (read-only after boot: no lock).
 */
void	sysfs_build_pci(struct sysfs_tree *t);
void	sysfs_build_tty(struct sysfs_tree *t);
void	sysfs_build_kernel(struct sysfs_tree *t);
/* sysfs_block.c: /sys/block, /sys/class/block, /sys/dev/block. */
void	sysfs_build_block(struct sysfs_tree *t);

/*
 * Boot, after procfs: register "sysfs", make /sys if the initramfs has
 * none, and mount it there (read-only, nosuid, nodev, noexec).  Returns
 * 0 or a negative errno (logged).
 */
int	sysfs_init(void);

#endif /* _FS_SYSFS_SYSFS_H_ */
