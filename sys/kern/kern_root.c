/*
 * The root on disk: root=, rootfstype=, rootflags=, ro and rw on the
 * kernel command line (Linux's names, Documentation/admin-guide/
 * kernel-parameters.rst).  kmain calls root_mount() once the initramfs is
 * unpacked into the first root (a tmpfs) and before /dev, /proc and /sys
 * are mounted, so that those land on whichever root wins.
 *
 *	root=PARTUUID=x		the partition whose GPT unique GUID (or MBR
 *				"SSSSSSSS-PP") is x, case ignored
 *	root=PARTLABEL=x	the GPT partition named x
 *	root=LABEL=x		the eclipsefs whose superblock label is x
 *	root=UUID=x		the eclipsefs whose superblock UUID is x
 *	root=/dev/vda2		a block device by name (also "vda2")
 *	rootfstype=eclipsefs	the default and, today, the only disk type
 *	rootflags=opts		the filesystem's options (errors=...)
 *	ro, rw			read-only or read-write (the last one wins;
 *				the default is rw: the journal is replayed at
 *				mount and init's fstab may remount)
 *
 * Disks attach during device_init(), which finishes before kmain starts
 * init, so the device is there or never will be: rootwait is accepted
 * and means nothing.
 *
 * What happens: the block device's node is made in the initramfs's /dev
 * (as Linux makes /dev/root in its rootfs), the filesystem is mounted
 * from it, and vfs_switch_root() makes it the root of the tree, with the
 * initramfs's tmpfs moved onto /rescue of the new root: the rescue tools
 * stay reachable, and booting without root= (GRUB's "initramfs rescue"
 * entry) uses them as the root, as before.  Whatever goes wrong - no such
 * device, no such filesystem type, a superblock that does not check, a
 * journal that does not replay - is one "root: ..." log line and the
 * initramfs stays the root; the shell comes up there.  Never a panic.
 */
#include <sys/abi/stat.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/eclipsefs/efs_format.h>

#include "../../lib/libeclipsefs/libeclipsefs.h"

#define ROOT_SPEC_MAX	128
#define ROOT_FLAGS_MAX	128
#define ROOT_RESCUE	"rescue"	/* where the initramfs goes */

/* What the command line says about the root. */
struct root_args {
	char	ra_spec[ROOT_SPEC_MAX];		/* root= */
	char	ra_fstype[32];			/* rootfstype= */
	char	ra_data[ROOT_FLAGS_MAX];	/* rootflags= */
	bool	ra_rdonly;			/* ro (the last of ro, rw) */
};

/* ro and rw are bare words: the last one on the line wins. */
static bool
root_cmdline_rdonly(void)
{
	const char *p = cmdline_string(), *w;
	bool rdonly = false;
	size_t len;

	while ((w = cmdline_word(&p, &len)) != NULL) {
		if (len == 2 && strncmp(w, "ro", 2) == 0)
			rdonly = true;
		else if (len == 2 && strncmp(w, "rw", 2) == 0)
			rdonly = false;
		else if (len == 2 && strncmp(w, "--", 2) == 0)
			break;
	}
	return rdonly;
}

/* Fill ra from the command line; false when there is no root=. */
static bool
root_parse(struct root_args *ra)
{
	const char *v;

	memset(ra, 0, sizeof(*ra));
	if ((v = cmdline_get("root")) == NULL || v[0] == '\0')
		return false;
	strlcpy(ra->ra_spec, v, sizeof(ra->ra_spec));
	v = cmdline_get("rootfstype");
	strlcpy(ra->ra_fstype, v != NULL && v[0] != '\0' ? v : "eclipsefs",
	    sizeof(ra->ra_fstype));
	if ((v = cmdline_get("rootflags")) != NULL)
		strlcpy(ra->ra_data, v, sizeof(ra->ra_data));
	ra->ra_rdonly = root_cmdline_rdonly();
	return true;
}

/*
 * Is there an eclipsefs on bd whose label (label != NULL) or UUID is the
 * one asked for?  Reads its first block; a superblock that does not pass
 * efs_super_check is no match (and says so when its label or UUID would
 * have matched, so the log explains a root that is not found).
 */
static bool
root_efs_match(struct blkdev *bd, void *buf, const char *label,
    const uint8_t *uuid)
{
	const struct efs_super *sb = buf;
	const char *why = NULL;
	bool rdonly_ok, same;
	uint64_t nblocks;

	nblocks = blkdev_nsectors(bd) / EFS_SECTORS_PER_BLOCK;
	if (nblocks < 2 || blkdev_secsize(bd) > EFS_BLOCK_SIZE)
		return false;
	if (blkdev_rw(bd, BIO_READ, 0, buf, EFS_BLOCK_SIZE) < 0)
		return false;
	if (sb->sb_magic != EFS_MAGIC)
		return false;
	if (label != NULL)
		same = strnlen(label, EFS_LABEL_LEN + 1) <= EFS_LABEL_LEN &&
		    strncmp(sb->sb_label, label, EFS_LABEL_LEN) == 0;
	else
		same = memcmp(sb->sb_uuid, uuid, 16) == 0;
	if (!same)
		return false;
	if (efs_super_check(sb, nblocks, &rdonly_ok, &why) < 0) {
		klog("root", "%s: eclipsefs superblock refused (%s); not "
		    "used as the root", blkdev_name(bd),
		    why != NULL ? why : "damaged");
		return false;
	}
	return true;
}

/* The block device holding the eclipsefs of that label or UUID. */
static struct blkdev *
root_find_efs(const char *label, const uint8_t *uuid, int *nmatch)
{
	struct blkdev *bd = NULL, *found = NULL;
	void *buf;

	*nmatch = 0;
	if ((buf = kmalloc(EFS_BLOCK_SIZE, 0)) == NULL)
		return NULL;
	while ((bd = blkdev_next(bd)) != NULL) {
		if (!root_efs_match(bd, buf, label, uuid))
			continue;
		if (found == NULL)
			found = bd;
		(*nmatch)++;
	}
	kfree(buf);
	return found;
}

/* A block device by name: "/dev/vda2" or "vda2". */
static struct blkdev *
root_find_name(const char *name)
{
	struct blkdev *bd = NULL;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	while ((bd = blkdev_next(bd)) != NULL)
		if (strcmp(blkdev_name(bd), name) == 0)
			return bd;
	return NULL;
}

/* The block device root= names, or NULL (logged). */
static struct blkdev *
root_find(const char *spec)
{
	struct blkdev *bd;
	uint8_t uuid[16];
	int n = 1;

	if (strncmp(spec, "PARTUUID=", 9) == 0)
		bd = blkdev_find_part(BLKDEV_PARTUUID, spec + 9, &n);
	else if (strncmp(spec, "PARTLABEL=", 10) == 0)
		bd = blkdev_find_part(BLKDEV_PARTLABEL, spec + 10, &n);
	else if (strncmp(spec, "LABEL=", 6) == 0)
		bd = root_find_efs(spec + 6, NULL, &n);
	else if (strncmp(spec, "UUID=", 5) == 0) {
		/* 32 hex digits, dashes anywhere: as mkfs and dumpe print
		 * it (the 16 bytes of sb_uuid in order), or without. */
		if (efs_uuid_parse(spec + 5, uuid, true) < 0) {
			klog("root", "root=%s: not a UUID (32 hex digits)",
			    spec);
			return NULL;
		}
		bd = root_find_efs(NULL, uuid, &n);
	} else
		bd = root_find_name(spec);
	if (bd == NULL) {
		klog("root", "root=%s: no such block device", spec);
		return NULL;
	}
	if (n > 1)
		klog("root", "root=%s: %d devices match; using the first, %s",
		    spec, n, blkdev_name(bd));
	return bd;
}

/*
 * Make /dev/NAME, a block node of bd, in the initramfs's tree: the
 * filesystem is mounted from that path, which /proc/mounts then shows.
 * The path into path (size bytes).  0 or -errno.
 */
static int
root_make_node(struct blkdev *bd, char *path, size_t size)
{
	struct blkdev_info bi;
	struct vattr va;
	int error;

	blkdev_info(bd, &bi);
	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = 0755;
	if ((error = vfs_kern_make("/dev", &va, NULL, NULL)) < 0 &&
	    error != -EEXIST)
		return error;
	ksnprintf(path, size, "/dev/%s", bi.bi_name);
	va.va_type = VBLK;
	va.va_mode = 0600;
	va.va_rdev = bi.bi_dev;
	if ((error = vfs_kern_make(path, &va, NULL, NULL)) < 0 &&
	    error != -EEXIST)
		return error;
	return 0;
}

/*
 * Mount the root that the command line names and make it the root of the
 * tree (the initramfs moves to /rescue), or, when there is no root= or
 * it cannot be mounted, leave the initramfs as the root with a log line
 * saying why.  Boot, before init and before /dev is mounted; sleeps.
 * Returns 0 when the root moved to the disk, else a negative errno.
 */
int
root_mount(void)
{
	static struct root_args ra;
	struct blkdev *bd;
	char path[32];
	int error;

	if (!root_parse(&ra)) {
		klog("root", "no root= on the command line: the initramfs is "
		    "the root");
		return -ENOENT;
	}
	if ((bd = root_find(ra.ra_spec)) == NULL) {
		error = -ENODEV;
		goto fail;
	}
	if ((error = root_make_node(bd, path, sizeof(path))) < 0) {
		klog("root", "cannot make the node of %s (error %d)",
		    blkdev_name(bd), error);
		goto fail;
	}
	error = vfs_switch_root(ra.ra_fstype, path,
	    ra.ra_rdonly ? MS_RDONLY : 0,
	    ra.ra_data[0] != '\0' ? ra.ra_data : NULL, ROOT_RESCUE);
	if (error < 0) {
		klog("root", "cannot mount %s (%s) from %s (error %d)",
		    ra.ra_spec, ra.ra_fstype, path, error);
		goto fail;
	}
	klog("root", "%s (%s) on %s, %s; the initramfs is at /%s",
	    path, ra.ra_fstype, ra.ra_spec, ra.ra_rdonly ? "read-only" :
	    "read-write", ROOT_RESCUE);
	return 0;
fail:
	klog("root", "ROOT NOT MOUNTED: staying on the initramfs (rescue "
	    "shell); root=%s", ra.ra_spec);
	return error;
}
