/*
 * sysfs's disks: /sys/devices/virtual/block/<disk> with its partitions
 * as subdirectories, /sys/block/<disk> and /sys/class/block/<name> links
 * to them, and /sys/dev/block/M:m - Linux's layout for what lsblk-style
 * tools and BusyBox read (size, dev, ro, removable, partition, start,
 * uevent, queue/logical_block_size).
 *
 * Linux puts a disk under the PCI function of its controller; struct
 * disk has no link back to its device, so here every disk is "virtual"
 * (a difference the links hide from tools that go through /sys/block).
 *
 * Built at mount from the block layer's list (kern/subr_disk.c:
 * blkdev_next, blkdev_info); disks attach at boot, before any mount.
 * Each file's sn_argi is the device number, looked up at read.
 */
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/sysfs/sysfs.h>

/* The facts of block device dev, or -ENODEV. */
static int
sblk_info(const struct sysnode *sn, struct blkdev_info *bi)
{
	struct blkdev *bd;

	if ((bd = blkdev_lookup((uint32_t)sn->sn_argi)) == NULL)
		return -ENODEV;
	blkdev_info(bd, bi);
	return 0;
}

/* size: 512-byte sectors, as Linux counts them whatever the block size. */
static int
sblk_show_size(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	return sysfs_printf(sb, "%llu\n", (unsigned long long)bi.bi_nsectors);
}

static int
sblk_show_dev(const struct sysnode *sn, struct sysbuf *sb)
{
	uint32_t dev = (uint32_t)sn->sn_argi;

	return sysfs_printf(sb, "%u:%u\n", MAJOR(dev), MINOR(dev));
}

static int
sblk_show_ro(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	return sysfs_printf(sb, "%d\n", bi.bi_rdonly ? 1 : 0);
}

/* removable: no driver here has removable media. */
static int
sblk_show_zero(const struct sysnode *sn, struct sysbuf *sb)
{
	(void)sn;
	return sysfs_printf(sb, "0\n");
}

static int
sblk_show_partition(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	return sysfs_printf(sb, "%d\n", bi.bi_partno);
}

static int
sblk_show_start(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	return sysfs_printf(sb, "%llu\n", (unsigned long long)bi.bi_start);
}

static int
sblk_show_secsize(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	return sysfs_printf(sb, "%u\n", bi.bi_secsize);
}

/* uevent: numbers, name and type, as Linux's block uevents. */
static int
sblk_show_uevent(const struct sysnode *sn, struct sysbuf *sb)
{
	struct blkdev_info bi;
	int error;

	if ((error = sblk_info(sn, &bi)) < 0)
		return error;
	sysfs_printf(sb, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=%s\n",
	    MAJOR(bi.bi_dev), MINOR(bi.bi_dev), bi.bi_name,
	    bi.bi_partno == 0 ? "disk" : "partition");
	if (bi.bi_partno != 0)
		sysfs_printf(sb, "PARTN=%d\n", bi.bi_partno);
	return 0;
}

/* The files every block device has. */
static void
sblk_add_common(struct sysfs_tree *t, struct sysnode *dir, uint32_t dev)
{
	sysfs_add_file(t, dir, "size", sblk_show_size, NULL, (int)dev);
	sysfs_add_file(t, dir, "dev", sblk_show_dev, NULL, (int)dev);
	sysfs_add_file(t, dir, "ro", sblk_show_ro, NULL, (int)dev);
	sysfs_add_file(t, dir, "uevent", sblk_show_uevent, NULL, (int)dev);
}

/*
 * Build the block directories from the block layer's list: each disk
 * first, then its partitions (blkdev_next gives that order).
 */
void
sysfs_build_block(struct sysfs_tree *t)
{
	struct sysnode *virt, *block, *class, *devblk, *dir, *queue;
	struct sysnode *disk = NULL;
	struct blkdev_info bi;
	struct blkdev *bd;
	const char *diskname = NULL;
	char num[24];

	virt = sysfs_dir(t, sysfs_dir(t, sysfs_dir(t, t->st_root, "devices",
	    true), "virtual", true), "block", true);
	block = sysfs_dir(t, t->st_root, "block", true);
	class = sysfs_dir(t, sysfs_dir(t, t->st_root, "class", true),
	    "block", true);
	devblk = sysfs_dir(t, sysfs_dir(t, t->st_root, "dev", true), "block",
	    true);
	if (virt == NULL || block == NULL || class == NULL || devblk == NULL)
		return;
	for (bd = blkdev_next(NULL); bd != NULL; bd = blkdev_next(bd)) {
		blkdev_info(bd, &bi);
		ksnprintf(num, sizeof(num), "%u:%u", MAJOR(bi.bi_dev),
		    MINOR(bi.bi_dev));
		if (bi.bi_partno == 0) {
			if ((dir = sysfs_dir(t, virt, bi.bi_name, true)) ==
			    NULL)
				continue;
			disk = dir;
			diskname = bi.bi_name;
			sblk_add_common(t, dir, bi.bi_dev);
			sysfs_add_file(t, dir, "removable", sblk_show_zero,
			    NULL, (int)bi.bi_dev);
			if ((queue = sysfs_dir(t, dir, "queue", true)) != NULL)
				sysfs_add_file(t, queue, "logical_block_size",
				    sblk_show_secsize, NULL, (int)bi.bi_dev);
			sysfs_add_link(t, block, bi.bi_name,
			    "../devices/virtual/block/%s", bi.bi_name);
			sysfs_add_link(t, class, bi.bi_name,
			    "../../devices/virtual/block/%s", bi.bi_name);
			sysfs_add_link(t, devblk, num,
			    "../../devices/virtual/block/%s", bi.bi_name);
			continue;
		}
		/* A partition: under the disk that came just before it. */
		if (disk == NULL ||
		    (dir = sysfs_dir(t, disk, bi.bi_name, true)) == NULL)
			continue;
		sblk_add_common(t, dir, bi.bi_dev);
		sysfs_add_file(t, dir, "partition", sblk_show_partition, NULL,
		    (int)bi.bi_dev);
		sysfs_add_file(t, dir, "start", sblk_show_start, NULL,
		    (int)bi.bi_dev);
		sysfs_add_link(t, class, bi.bi_name,
		    "../../devices/virtual/block/%s/%s", diskname, bi.bi_name);
		sysfs_add_link(t, devblk, num,
		    "../../devices/virtual/block/%s/%s", diskname, bi.bi_name);
	}
}
