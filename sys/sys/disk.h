/*
 * Disks and block requests: the one interface between the block layer
 * (kern/subr_disk.c and friends: request queues, partitions, the
 * /dev/vda-style nodes, the buffer cache) and every disk driver
 * (dev/virtio/virtio_blk.c, dev/ata/...).
 *
 * A driver fills a struct disk and calls disk_attach(); the block layer
 * names it (Linux's names and numbers: vda 252:0 ..., sda 8:0 ...),
 * reads its partition table (GPT, else MBR) and makes a node for the
 * disk and each partition.  Requests reach the driver as struct bio
 * through d_strategy, already merged, within the disk and aligned to its
 * sector size; the driver starts them and returns at once, and calls
 * bio_done() when each finishes (from its interrupt handler: interrupts
 * off, no sleeping).  A driver may keep as many requests in flight as its
 * hardware allows; when it has no room it returns -EAGAIN from
 * d_strategy and the block layer retries after the next bio_done().
 *
 * Data buffers: bio_data is a kernel virtual address in the direct map
 * (kmalloc memory or a vm_page's), so each page of it is physically
 * contiguous and the driver can hand the pages to DMA without a bounce
 * copy (vtophys of each page piece).
 *
 * Locking: a struct disk is set up by its driver before disk_attach()
 * and read-only after ([I]), except d_queue's fields, which the block
 * layer keeps under dq_lock (a spin lock: bio_done runs in interrupts).
 */
#ifndef _SYS_DISK_H_
#define _SYS_DISK_H_

#include <sys/types.h>
#include <sys/lock.h>

#define DEV_BSIZE	512		/* bio_sector's unit, as Linux's */

enum bio_cmd {
	BIO_READ = 1,
	BIO_WRITE,
	BIO_FLUSH,		/* the disk's volatile cache to media */
	BIO_DISCARD,		/* the range's contents may be dropped */
};

struct bio;
typedef void bio_done_t(struct bio *bp);

struct bio {
	enum bio_cmd	 bio_cmd;
	uint64_t	 bio_sector;	/* first 512-byte sector, whole disk */
	size_t		 bio_len;	/* bytes (0 for BIO_FLUSH) */
	void		*bio_data;	/* direct-map address; NULL for FLUSH */
	int		 bio_flags;	/* BIO_FUA ... */
	int		 bio_error;	/* set by the driver: 0 or -EIO ... */
	bio_done_t	*bio_done;	/* the submitter's completion */
	void		*bio_private;	/* the submitter's */
	struct bio	*bio_next;	/* queue link (block layer, driver) */
	void		*bio_driver;	/* the driver's, while in flight */
	/* The block layer's own, set by disk_submit (drivers ignore). */
	uint64_t	 bio_start_ns;	/* when it was submitted */
	void		*bio_blk;	/* the partition it came through */
};
#define BIO_FUA		0x1		/* write through to media */

struct disk;

struct disk_queue {
	struct spinlock	 dq_lock;
	struct bio	*dq_head;	/* [dq_lock] waiting, sorted */
	unsigned	 dq_inflight;	/* [dq_lock] */
	uint64_t	 dq_ndone;	/* [dq_lock] completions so far */
};

struct disk {
	/* Set by the driver before disk_attach ([I]). */
	const char	*d_prefix;	/* "vd", "sd": the block layer numbers */
	uint32_t	 d_secsize;	/* logical block size: 512, 4096 */
	uint64_t	 d_nsectors;	/* capacity in 512-byte sectors */
	uint32_t	 d_maxio;	/* bytes per request at most */
	uint32_t	 d_flags;	/* DISK_* */
	int		(*d_strategy)(struct disk *dp, struct bio *bp);
	void		*d_softc;	/* the driver's */
	/* Set by the block layer. */
	char		 d_name[16];	/* [I] "vda" */
	uint32_t	 d_dev;		/* [I] whole-disk device number */
	struct disk_queue d_queue;
	struct disk	*d_next;	/* [disk_list_lock] all disks */
	void		*d_blk;		/* [I] the block layer's own state */
};
#define DISK_CANFLUSH	0x1		/* has a volatile write cache */
#define DISK_CANDISCARD	0x2
#define DISK_RDONLY	0x4

/* Register dp (its driver's fields set): 0 or -errno.  Boot, may sleep. */
int	disk_attach(struct disk *dp);
/*
 * For the ktests' memory disks (subr_disk_ktest.c): fill dp as a disk
 * of 512-byte sectors, 64 KiB requests and a write cache to flush, with
 * prefix ("ktd", "ktj", "kte": disk_attach's test majors), nsectors,
 * strategy and softc, and disk_attach() it.  0 or -errno.
 */
int	disk_ktest_attach(struct disk *dp, const char *prefix,
	    uint64_t nsectors, int (*strategy)(struct disk *, struct bio *),
	    void *softc);
/* The driver finished bp (bio_error set): interrupts off is fine. */
void	bio_done(struct bio *bp);
/*
 * Submit bp to dp through its queue (merging with its neighbours where
 * it can); completion by bp->bio_done.  The block layer's own use, and
 * for the buffer cache and filesystems.
 */
void	disk_submit(struct disk *dp, struct bio *bp);
/* Read or write len bytes at sector of dp and wait: 0 or -errno. */
int	disk_rw(struct disk *dp, enum bio_cmd cmd, uint64_t sector, void *buf,
	    size_t len);

/*
 * Block devices: the whole disk and each partition, by device number.
 * The buffer cache and filesystems name a device by its number (the
 * st_rdev of /dev/vda2) and reach it through these; sectors are
 * relative to the partition.
 */
struct blkdev;
struct file;
struct pfsbuf;
/* The device numbered dev (MKDEV), or NULL.  Takes disk_list_lock. */
struct blkdev *blkdev_lookup(uint32_t dev);
/* Its size in 512-byte sectors, logical block size and name. */
uint64_t blkdev_nsectors(const struct blkdev *bd);
uint32_t blkdev_secsize(const struct blkdev *bd);
const char *blkdev_name(const struct blkdev *bd);
/* disk_rw within the partition: -EINVAL past its end. */
int	blkdev_rw(struct blkdev *bd, enum bio_cmd cmd, uint64_t sector,
	    void *buf, size_t len);
/* Submit bp (bio_sector relative to the partition); -EINVAL past it. */
void	blkdev_submit(struct blkdev *bd, struct bio *bp);
/* The block device after bd in attach order (NULL: the first). */
struct blkdev *blkdev_next(struct blkdev *bd);
/* What sysfs shows of one block device (fixed at attach but bi_rdonly). */
struct blkdev_info {
	uint32_t	 bi_dev;	/* MKDEV */
	uint32_t	 bi_whole_dev;	/* the disk's own (itself for a disk) */
	int		 bi_partno;	/* 0: the whole disk */
	uint64_t	 bi_start;	/* first 512-byte sector on the disk */
	uint64_t	 bi_nsectors;
	uint32_t	 bi_secsize;
	bool		 bi_rdonly;
	const char	*bi_name;	/* "vda2" */
	const char	*bi_partuuid;	/* GPT or MBR PARTUUID; "" (disk) */
	const char	*bi_partname;	/* GPT partition name; "" if none */
};
void	blkdev_info(const struct blkdev *bd, struct blkdev_info *bi);
/*
 * The first partition whose PARTUUID (case ignored) or GPT name
 * (PARTLABEL, exact) is value - as root= names them - or NULL; *nmatch
 * counts the partitions that match.  Takes disk_list_lock.
 */
#define BLKDEV_PARTUUID		1
#define BLKDEV_PARTLABEL	2
struct blkdev *blkdev_find_part(int what, const char *value, int *nmatch);

/* open(2) of a VBLK node (fs/vfs/vfs_syscalls.c): 0 or -ENXIO ... */
int	bdev_open(uint32_t dev, int flags, struct file **fpp);

/* /proc/partitions and /proc/diskstats (fs/procfs/procfs_gen.c). */
int	disk_pfs_partitions(struct pfsbuf *sb, int pid, int tid);
int	disk_pfs_diskstats(struct pfsbuf *sb, int pid, int tid);

#endif /* _SYS_DISK_H_ */
