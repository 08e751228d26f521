/*
 * The block layer: disks and their partitions as block devices.
 *
 * A driver fills a struct disk and calls disk_attach() (see
 * <sys/disk.h>).  The block layer gives the disk Linux's name and
 * number (vda 252:0, vdb 252:16, sda 8:0: 16 minors per disk, the disk
 * at minor 0 and its partitions 1-15), reads its partition table
 * (kern/subr_part.c) and makes a block device and a /dev node for the
 * disk and for each partition.
 *
 * Requests wait in the disk's queue, sorted by sector (an elevator in
 * one direction), never moved before a request they overlap nor before
 * a flush (a barrier: what was queued before a flush reaches the disk
 * before it).  A request that starts where a waiting one of the same
 * kind ends, with its buffer right after that one's in memory, is
 * merged with it into one request for the driver, up to d_maxio.  The
 * queue hands requests to d_strategy as long as the driver takes them;
 * when it answers -EAGAIN the queue waits for the next bio_done().
 *
 * Each block device counts what /proc/diskstats shows (Linux's
 * Documentation/admin-guide/iostats.rst fields).
 *
 * Locks: disk_list_lock (a spin lock) guards the lists of disks and
 * block devices, which only grow.  A disk's dq_lock guards its queue
 * and the statistics of its block devices; it is taken in interrupts
 * (bio_done), so nothing sleeps under it.  Lock order: disk_list_lock,
 * then dq_lock.  A block device's bd_iolock (a mutex) serializes reads
 * and writes through its /dev files and guards their bounce buffer.
 */
#include <sys/buf.h>
#include <sys/clock.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/part.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>

#include <fs/devfs/devfs.h>
#include <fs/procfs/procfs.h>

#define DISK_MINORS	16		/* per disk: itself and 15 partitions */
#define DISK_PERPREFIX	16		/* sda-sdp fill major 8 */
#define BDEV_BOUNCE	(1024 * 1024)	/* a /dev file's transfer unit */

/* Linux's numbers (Documentation/admin-guide/devices.txt; virtblk's
 * major is dynamic in Linux and 252 on the QEMU guests we compared). */
static const struct {
	const char	*dn_prefix;
	uint32_t	 dn_major;
} disk_majors[] = {
	{ "vd", 252 },
	{ "sd", 8 },
	/* Linux's local/experimental range: the ktests' memory disks only
	 * (ktd: the block layer's, ktj: the eclipsefs journal's, kte:
	 * the eclipsefs VFS side's). */
	{ "ktd", 240 },
	{ "ktj", 241 },
	{ "kte", 242 },
};

/* Statistics of one block device, as /proc/diskstats prints them. */
enum { DS_READ, DS_WRITE, DS_DISCARD, DS_FLUSH, DS_NKIND };
struct disk_stats {
	uint64_t	 ds_ios[DS_NKIND];	/* completed */
	uint64_t	 ds_merges[DS_NKIND];
	uint64_t	 ds_sectors[DS_NKIND];
	uint64_t	 ds_ns[DS_NKIND];	/* time the requests took */
	unsigned	 ds_inflight;
	uint64_t	 ds_busy_ns;		/* time with requests out */
	uint64_t	 ds_busy_since;		/* when inflight left 0 */
	uint64_t	 ds_weighted_ns;
};

/*
 * A block device: a whole disk or one partition.
 *
 * Locks protecting members of this struct:
 *	I	immutable after disk_attach
 *	q	bd_disk->d_queue.dq_lock
 *	l	disk_list_lock
 *	o	bd_iolock
 *	a	atomic loads and stores
 */
struct blkdev {
	struct disk	*bd_disk;	/* [I] */
	struct blkdev	*bd_whole;	/* [I] the disk's own, or itself */
	uint64_t	 bd_start;	/* [I] first sector on the disk */
	uint64_t	 bd_nsectors;	/* [I] */
	int		 bd_partno;	/* [I] 0: the whole disk */
	uint32_t	 bd_dev;	/* [I] MKDEV */
	char		 bd_name[20];	/* [I] "vda2" */
	char		 bd_partuuid[PART_UUID_LEN + 1];  /* [I] "" for a disk */
	char		 bd_partname[PART_NAME_LEN + 1];  /* [I] GPT's name */
	struct disk_stats bd_stats;	/* [q] */
	struct mutex	 bd_iolock;
	void		*bd_bounce;	/* [o] BDEV_BOUNCE bytes, or NULL */
	bool		 bd_rdonly;	/* [a] BLKROSET: refuse write(2) */
	struct blkdev	*bd_next;	/* [l] all block devices, in order */
};

static struct spinlock disk_list_lock = SPINLOCK_INIT("disk_list");
static struct disk *disk_list;			/* [l] */
static struct blkdev *blkdev_list;		/* [l] */
static struct blkdev **blkdev_tail = &blkdev_list;	/* [l] */
static unsigned disk_count[nitems(disk_majors)];	/* [l] */

static void disk_dispatch(struct disk *dp);

static int
bio_kind(enum bio_cmd cmd)
{
	switch (cmd) {
	case BIO_READ:		return DS_READ;
	case BIO_WRITE:		return DS_WRITE;
	case BIO_DISCARD:	return DS_DISCARD;
	default:		return DS_FLUSH;
	}
}

/* Account bp's start on bd ([q] held). */
static void
stats_start(struct blkdev *bd, uint64_t now)
{
	struct disk_stats *ds = &bd->bd_stats;

	if (ds->ds_inflight++ == 0)
		ds->ds_busy_since = now;
}

/* Account bp's end on bd ([q] held). */
static void
stats_end(struct blkdev *bd, const struct bio *bp, uint64_t now)
{
	struct disk_stats *ds = &bd->bd_stats;
	int k = bio_kind(bp->bio_cmd);

	ds->ds_ios[k]++;
	ds->ds_sectors[k] += bp->bio_len / DEV_BSIZE;
	ds->ds_ns[k] += now - bp->bio_start_ns;
	ds->ds_weighted_ns += now - bp->bio_start_ns;
	if (--ds->ds_inflight == 0)
		ds->ds_busy_ns += now - ds->ds_busy_since;
}

/*
 * Merged requests: the block layer's own bio that stands for several
 * adjacent ones.  Its children hang on bio_private through bio_next.
 */
static void
disk_merged_done(struct bio *mb)
{
	struct bio *bp, *next;

	for (bp = mb->bio_private; bp != NULL; bp = next) {
		next = bp->bio_next;
		bp->bio_next = NULL;
		bp->bio_error = mb->bio_error;
		bp->bio_done(bp);
	}
	kfree(mb);
}

static bool
bio_is_merged(const struct bio *bp)
{
	return bp->bio_done == disk_merged_done;
}

/* Does bp overlap q on the disk? */
static bool
bio_overlaps(const struct bio *a, const struct bio *b)
{
	uint64_t ae = a->bio_sector + a->bio_len / DEV_BSIZE;
	uint64_t be = b->bio_sector + b->bio_len / DEV_BSIZE;

	return a->bio_sector < be && b->bio_sector < ae;
}

/*
 * Try to append bp to the waiting request *pp: same kind (read or
 * write), adjacent on the disk and in memory, within d_maxio.  *spare
 * is a bio the caller allocated in case *pp must become a merged
 * request, which then takes its place in the queue.  [dq_lock] held.
 * True when bp was taken.
 */
static bool
disk_try_merge(struct disk *dp, struct bio **pp, struct bio *bp,
    struct bio **spare)
{
	struct bio *w = *pp, *mb, *last;

	if (w->bio_cmd != bp->bio_cmd || (bp->bio_cmd != BIO_READ &&
	    bp->bio_cmd != BIO_WRITE) || w->bio_flags != bp->bio_flags ||
	    w->bio_sector + w->bio_len / DEV_BSIZE != bp->bio_sector ||
	    (char *)w->bio_data + w->bio_len != (char *)bp->bio_data ||
	    w->bio_len + bp->bio_len > dp->d_maxio)
		return false;
	if (!bio_is_merged(w)) {
		if (*spare == NULL)
			return false;
		mb = *spare;
		*spare = NULL;
		*mb = *w;		/* range, data, queue link */
		mb->bio_done = disk_merged_done;
		mb->bio_private = w;
		mb->bio_blk = w->bio_blk;
		w->bio_next = NULL;
		*pp = mb;
		w = mb;
	}
	for (last = w->bio_private; last->bio_next != NULL;
	    last = last->bio_next)
		;
	last->bio_next = bp;
	bp->bio_next = NULL;
	w->bio_len += bp->bio_len;
	return true;
}

/*
 * Put bp in dp's queue: merged into a waiting request if it can be,
 * else in sector order after the last barrier and the last request it
 * overlaps.  [dq_lock] held.
 */
static void
disk_enqueue(struct disk *dp, struct bio *bp, struct bio **spare)
{
	struct disk_queue *dq = &dp->d_queue;
	struct blkdev *whole = dp->d_blk;
	struct bio **pp, **after;

	after = &dq->dq_head;
	for (pp = &dq->dq_head; *pp != NULL; pp = &(*pp)->bio_next)
		if ((*pp)->bio_cmd == BIO_FLUSH || bp->bio_cmd == BIO_FLUSH ||
		    bio_overlaps(*pp, bp))
			after = &(*pp)->bio_next;
	/* Only past the last barrier: a merge must not jump a flush. */
	for (pp = after; *pp != NULL; pp = &(*pp)->bio_next) {
		if (disk_try_merge(dp, pp, bp, spare)) {
			whole->bd_stats.ds_merges[bio_kind(bp->bio_cmd)]++;
			return;
		}
	}
	for (pp = after; *pp != NULL && (*pp)->bio_sector <= bp->bio_sector;
	    pp = &(*pp)->bio_next)
		;
	bp->bio_next = *pp;
	*pp = bp;
}

/*
 * Check bp against dp, count it on bd (a partition, or the disk's
 * own), queue it and start what the driver will take.
 */
static void
disk_submit_blk(struct disk *dp, struct blkdev *bd, struct bio *bp)
{
	struct disk_queue *dq = &dp->d_queue;
	struct blkdev *whole = dp->d_blk;
	uint32_t spb = dp->d_secsize / DEV_BSIZE;
	struct bio *spare;

	bp->bio_error = 0;
	bp->bio_next = NULL;
	bp->bio_blk = bd;
	if (bp->bio_cmd == BIO_FLUSH ? bp->bio_len != 0 :
	    (bp->bio_len == 0 || bp->bio_len % dp->d_secsize != 0 ||
	    bp->bio_sector % spb != 0 || bp->bio_len > dp->d_maxio ||
	    bp->bio_sector > dp->d_nsectors ||
	    bp->bio_len / DEV_BSIZE > dp->d_nsectors - bp->bio_sector)) {
		bp->bio_error = -EINVAL;
		bp->bio_done(bp);
		return;
	}
	if ((bp->bio_cmd == BIO_WRITE || bp->bio_cmd == BIO_DISCARD) &&
	    (dp->d_flags & DISK_RDONLY)) {
		bp->bio_error = -EROFS;
		bp->bio_done(bp);
		return;
	}
	if ((bp->bio_cmd == BIO_FLUSH && !(dp->d_flags & DISK_CANFLUSH)) ||
	    (bp->bio_cmd == BIO_DISCARD && !(dp->d_flags & DISK_CANDISCARD))) {
		/* No volatile cache: nothing to flush.  Discard: a hint. */
		bp->bio_error = bp->bio_cmd == BIO_FLUSH ? 0 : -EOPNOTSUPP;
		bp->bio_done(bp);
		return;
	}
	spare = bp->bio_cmd == BIO_FLUSH ? NULL :
	    kmalloc(sizeof(*spare), M_ZERO);
	bp->bio_start_ns = clock_monotonic_ns();
	bp->bio_driver = NULL;
	spin_lock(&dq->dq_lock);
	stats_start(whole, bp->bio_start_ns);
	if (bd != whole)
		stats_start(bd, bp->bio_start_ns);
	disk_enqueue(dp, bp, &spare);
	spin_unlock(&dq->dq_lock);
	kfree(spare);
	disk_dispatch(dp);
}

/*
 * Submit bp to dp (see <sys/disk.h>): checked, counted, queued and
 * started when the driver has room.  Takes dq_lock; does not sleep but
 * allocates, so not from interrupts.  An invalid request completes at
 * once with -EINVAL (-EROFS: a write to a read-only disk).
 */
void
disk_submit(struct disk *dp, struct bio *bp)
{
	disk_submit_blk(dp, dp->d_blk, bp);
}

/*
 * Hand waiting requests to the driver until it has no room.  Called
 * without dq_lock (d_strategy may complete a request at once).
 */
static void
disk_dispatch(struct disk *dp)
{
	struct disk_queue *dq = &dp->d_queue;
	struct bio *bp;
	uint64_t ndone;
	int error;

	for (;;) {
		spin_lock(&dq->dq_lock);
		if ((bp = dq->dq_head) == NULL) {
			spin_unlock(&dq->dq_lock);
			return;
		}
		dq->dq_head = bp->bio_next;
		bp->bio_next = NULL;
		bp->bio_driver = NULL;
		dq->dq_inflight++;
		ndone = dq->dq_ndone;
		spin_unlock(&dq->dq_lock);
		if ((error = dp->d_strategy(dp, bp)) == 0)
			continue;
		if (error != -EAGAIN) {
			/* The driver refused it: it ends with that error. */
			bp->bio_error = error;
			bio_done(bp);
			continue;
		}
		spin_lock(&dq->dq_lock);
		dq->dq_inflight--;
		bp->bio_next = dq->dq_head;
		dq->dq_head = bp;
		if (dq->dq_ndone != ndone) {
			/* A completion in between made room: try again. */
			spin_unlock(&dq->dq_lock);
			continue;
		}
		if (dq->dq_inflight == 0)
			klog("disk", "%s: driver full with nothing in flight",
			    dp->d_name);
		spin_unlock(&dq->dq_lock);
		return;
	}
}

/* Account the end of bp and of its children on their devices. */
static void
bio_account(struct disk *dp, struct bio *bp, uint64_t now)
{
	struct blkdev *whole = dp->d_blk;
	struct bio *c;

	if (!bio_is_merged(bp)) {
		stats_end(whole, bp, now);
		if (bp->bio_blk != NULL && bp->bio_blk != whole)
			stats_end(bp->bio_blk, bp, now);
		return;
	}
	for (c = bp->bio_private; c != NULL; c = c->bio_next)
		bio_account(dp, c, now);
}

/*
 * The driver finished bp: account it, run its completion (a merged
 * request's children each get theirs) and start what waits.  Any
 * context; takes dq_lock.
 */
void
bio_done(struct bio *bp)
{
	struct blkdev *bd = bp->bio_blk;
	struct disk *dp;
	uint64_t now = clock_monotonic_ns();

	dp = bd->bd_disk;
	spin_lock(&dp->d_queue.dq_lock);
	KASSERT(dp->d_queue.dq_inflight > 0, "bio_done with none in flight");
	dp->d_queue.dq_inflight--;
	dp->d_queue.dq_ndone++;
	bio_account(dp, bp, now);
	spin_unlock(&dp->d_queue.dq_lock);
	bp->bio_done(bp);
	if (dp->d_queue.dq_head != NULL)
		disk_dispatch(dp);
}

/* A synchronous request's wait: bio_private points here. */
struct disk_wait {
	struct spinlock	 dw_lock;
	unsigned int	 dw_pending;	/* [dw_lock] pieces not done yet */
};

static void
disk_rw_done(struct bio *bp)
{
	struct disk_wait *dw = bp->bio_private;
	bool last;

	spin_lock(&dw->dw_lock);
	last = --dw->dw_pending == 0;
	spin_unlock(&dw->dw_lock);
	if (last)
		wakeup(dw);
}

#define DISK_RW_BATCH	8	/* pieces of one transfer in flight at once */

/*
 * Read, write or flush len bytes at sector of the disk through bd, in
 * pieces of at most d_maxio, up to DISK_RW_BATCH of them in flight at
 * once (the driver's queue overlaps them: one at a time, a large raw read
 * waited for each 128 KiB before asking for the next), and wait for all.
 * Sleeps; no lock held.  Returns 0 or the first piece's error.
 */
static int
disk_rw_blk(struct disk *dp, struct blkdev *bd, enum bio_cmd cmd,
    uint64_t sector, void *buf, size_t len)
{
	struct disk_wait dw;
	struct bio bio[DISK_RW_BATCH];
	size_t n, maxio = dp->d_maxio - dp->d_maxio % dp->d_secsize;
	int i, nb;

	spin_init(&dw.dw_lock, "disk_wait");
	do {
		nb = 0;
		do {
			n = cmd == BIO_FLUSH ? 0 : MIN(len, maxio);
			memset(&bio[nb], 0, sizeof(bio[nb]));
			bio[nb].bio_cmd = cmd;
			bio[nb].bio_sector = sector;
			bio[nb].bio_len = n;
			bio[nb].bio_data = cmd == BIO_FLUSH ? NULL : buf;
			bio[nb].bio_done = disk_rw_done;
			bio[nb].bio_private = &dw;
			nb++;
			sector += n / DEV_BSIZE;
			buf = (char *)buf + n;
			len -= n;
		} while (len > 0 && nb < DISK_RW_BATCH);
		/* Counted first: a piece may complete before the next goes. */
		dw.dw_pending = nb;
		for (i = 0; i < nb; i++)
			disk_submit_blk(dp, bd, &bio[i]);
		spin_lock(&dw.dw_lock);
		while (dw.dw_pending > 0)
			tsleep(&dw, &dw.dw_lock, "diskrw", 0);
		spin_unlock(&dw.dw_lock);
		for (i = 0; i < nb; i++)
			if (bio[i].bio_error != 0)
				return bio[i].bio_error;
	} while (len > 0);
	return 0;
}

/*
 * Read or write len bytes at sector of dp and wait (see <sys/disk.h>).
 * Sleeps.  Returns 0 or -errno.
 */
int
disk_rw(struct disk *dp, enum bio_cmd cmd, uint64_t sector, void *buf,
    size_t len)
{
	return disk_rw_blk(dp, dp->d_blk, cmd, sector, buf, len);
}

/* The block device numbered dev, or NULL.  Takes disk_list_lock. */
struct blkdev *
blkdev_lookup(uint32_t dev)
{
	struct blkdev *bd;

	spin_lock(&disk_list_lock);
	for (bd = blkdev_list; bd != NULL; bd = bd->bd_next)
		if (bd->bd_dev == dev)
			break;
	spin_unlock(&disk_list_lock);
	return bd;
}

/* bd's size in 512-byte sectors.  No lock ([I]). */
uint64_t
blkdev_nsectors(const struct blkdev *bd)
{
	return bd->bd_nsectors;
}

/* bd's logical block size in bytes.  No lock ([I]). */
uint32_t
blkdev_secsize(const struct blkdev *bd)
{
	return bd->bd_disk->d_secsize;
}

/* bd's name ("vda2").  No lock ([I]). */
const char *
blkdev_name(const struct blkdev *bd)
{
	return bd->bd_name;
}

static bool
blkdev_inside(const struct blkdev *bd, uint64_t sector, size_t len)
{
	return sector <= bd->bd_nsectors &&
	    len / DEV_BSIZE <= bd->bd_nsectors - sector;
}

/*
 * disk_rw on bd, sector relative to its start.  Sleeps.  Returns 0,
 * -EINVAL past bd's end, or the request's error.
 */
int
blkdev_rw(struct blkdev *bd, enum bio_cmd cmd, uint64_t sector, void *buf,
    size_t len)
{
	if (cmd != BIO_FLUSH && !blkdev_inside(bd, sector, len))
		return -EINVAL;
	return disk_rw_blk(bd->bd_disk, bd, cmd, bd->bd_start + sector, buf,
	    len);
}

/*
 * disk_submit on bd, bp->bio_sector relative to its start (moved to the
 * disk's numbering here).  Past bd's end bp completes with -EINVAL.
 * Does not sleep; not from interrupts.
 */
void
blkdev_submit(struct blkdev *bd, struct bio *bp)
{
	if (bp->bio_cmd != BIO_FLUSH &&
	    !blkdev_inside(bd, bp->bio_sector, bp->bio_len)) {
		bp->bio_error = -EINVAL;
		bp->bio_done(bp);
		return;
	}
	if (bp->bio_cmd != BIO_FLUSH)
		bp->bio_sector += bd->bd_start;
	disk_submit_blk(bd->bd_disk, bd, bp);
}

/*
 * A new block device for dp: the disk itself (pe NULL) or its partition
 * pe; NULL when out of memory.
 */
static struct blkdev *
blkdev_alloc(struct disk *dp, const struct part_entry *pe)
{
	struct blkdev *bd;
	uint64_t start = pe != NULL ? pe->pe_start : 0;
	uint64_t n = pe != NULL ? pe->pe_nsectors : dp->d_nsectors;
	int partno = pe != NULL ? pe->pe_index : 0;

	if ((bd = kmalloc(sizeof(*bd), M_ZERO)) == NULL)
		return NULL;
	bd->bd_disk = dp;
	bd->bd_whole = partno == 0 ? bd : dp->d_blk;
	bd->bd_start = start;
	bd->bd_nsectors = n;
	bd->bd_partno = partno;
	bd->bd_dev = dp->d_dev + (uint32_t)partno;
	if (partno == 0)
		strlcpy(bd->bd_name, dp->d_name, sizeof(bd->bd_name));
	else
		ksnprintf(bd->bd_name, sizeof(bd->bd_name), "%s%d",
		    dp->d_name, partno);
	if (pe != NULL) {
		strlcpy(bd->bd_partuuid, pe->pe_uuid, sizeof(bd->bd_partuuid));
		strlcpy(bd->bd_partname, pe->pe_name, sizeof(bd->bd_partname));
	}
	mtx_init(&bd->bd_iolock, "blkdev_io");
	return bd;
}

/* Publish bd in the list and make its /dev node (0660, as udev). */
static void
blkdev_publish(struct blkdev *bd)
{
	int error;

	spin_lock(&disk_list_lock);
	*blkdev_tail = bd;
	blkdev_tail = &bd->bd_next;
	spin_unlock(&disk_list_lock);
	if ((error = devfs_create(bd->bd_name, 0660, VBLK, bd->bd_dev)) < 0)
		klog("disk", "%s: no /dev node (%d)", bd->bd_name, error);
}

/* subr_part.c's reader: one logical block of the disk. */
static int
disk_part_read(void *arg, uint64_t lba, void *buf)
{
	struct disk *dp = arg;

	return disk_rw(dp, BIO_READ, lba * (dp->d_secsize / DEV_BSIZE), buf,
	    dp->d_secsize);
}

/* Read dp's partition table and publish a block device per partition. */
static void
disk_scan_parts(struct disk *dp)
{
	struct part_table *pt;
	struct part_entry *pe;
	struct blkdev *bd;
	void *buf;
	int i, error;

	pt = kmalloc(sizeof(*pt), M_ZERO);
	buf = kmalloc(dp->d_secsize, 0);
	if (pt == NULL || buf == NULL) {
		klog("disk", "%s: no memory to read its partitions",
		    dp->d_name);
		goto out;
	}
	error = part_scan(disk_part_read, dp, dp->d_secsize,
	    dp->d_nsectors / (dp->d_secsize / DEV_BSIZE), buf, pt);
	if (error < 0) {
		klog("disk", "%s: partition table unreadable (%d)", dp->d_name,
		    error);
		goto out;
	}
	for (i = 0; i < pt->pt_count; i++) {
		pe = &pt->pt_part[i];
		if ((bd = blkdev_alloc(dp, pe)) == NULL)
			break;
		blkdev_publish(bd);
	}
	if (pt->pt_scheme != PART_NONE)
		klog("disk", "%s: %s, %d partitions%s", dp->d_name,
		    pt->pt_scheme == PART_GPT ? "GPT" : "MBR", pt->pt_count,
		    pt->pt_gpt_backup ? " (from the backup GPT)" : "");
out:
	kfree(buf);
	kfree(pt);
}

/*
 * Register dp (see <sys/disk.h>): check the driver's fields, name and
 * number it by its prefix, make its block device and node, then read
 * its partitions.  Boot; sleeps (reads the disk).  Returns 0, -EINVAL
 * for bad fields or an unknown prefix, -ENOSPC past 16 disks of a
 * prefix, -ENOMEM.
 */
int
disk_attach(struct disk *dp)
{
	struct blkdev *bd;
	unsigned i, n;

	if (dp->d_prefix == NULL || dp->d_strategy == NULL ||
	    dp->d_secsize < DEV_BSIZE || dp->d_secsize > 4096 ||
	    (dp->d_secsize & (dp->d_secsize - 1)) != 0 ||
	    dp->d_maxio < dp->d_secsize ||
	    dp->d_nsectors % (dp->d_secsize / DEV_BSIZE) != 0) {
		klog("disk", "disk_attach: bad disk description");
		return -EINVAL;
	}
	for (i = 0; i < nitems(disk_majors); i++)
		if (strcmp(dp->d_prefix, disk_majors[i].dn_prefix) == 0)
			break;
	if (i == nitems(disk_majors)) {
		klog("disk", "disk_attach: unknown prefix %s", dp->d_prefix);
		return -EINVAL;
	}
	spin_lock(&disk_list_lock);
	n = disk_count[i];
	if (n < DISK_PERPREFIX)
		disk_count[i]++;
	spin_unlock(&disk_list_lock);
	if (n >= DISK_PERPREFIX) {
		klog("disk", "disk_attach: more than %d %s disks",
		    DISK_PERPREFIX, dp->d_prefix);
		return -ENOSPC;
	}
	ksnprintf(dp->d_name, sizeof(dp->d_name), "%s%c", dp->d_prefix,
	    'a' + n);
	dp->d_dev = MKDEV(disk_majors[i].dn_major, n * DISK_MINORS);
	spin_init(&dp->d_queue.dq_lock, "disk_queue");
	dp->d_queue.dq_head = NULL;
	dp->d_queue.dq_inflight = 0;
	if ((bd = blkdev_alloc(dp, NULL)) == NULL)
		return -ENOMEM;
	dp->d_blk = bd;
	klog("disk", "%s: %llu MiB, %u-byte sectors (%u:%u)%s", dp->d_name,
	    (unsigned long long)(dp->d_nsectors >> 11), dp->d_secsize,
	    MAJOR(dp->d_dev), MINOR(dp->d_dev),
	    (dp->d_flags & DISK_RDONLY) ? ", read-only" : "");
	spin_lock(&disk_list_lock);
	dp->d_next = disk_list;
	disk_list = dp;
	spin_unlock(&disk_list_lock);
	blkdev_publish(bd);
	disk_scan_parts(dp);
	return 0;
}

/* The bounce buffer of bd's files; [bd_iolock] held.  0 or -ENOMEM. */
static int
bdev_bounce(struct blkdev *bd)
{
	if (bd->bd_bounce == NULL &&
	    (bd->bd_bounce = kmalloc(BDEV_BOUNCE, 0)) == NULL)
		return -ENOMEM;
	return 0;
}

/*
 * read(2) of /dev/vda...: whole logical blocks into the bounce buffer,
 * then the bytes asked for; 0 at the device's end.
 */
static long
bdev_read(struct file *fp, struct uio *uio)
{
	struct blkdev *bd = fp->f_data;
	uint64_t size = bd->bd_nsectors * DEV_BSIZE, ss = blkdev_secsize(bd);
	uint64_t off, first, end, chunk, n;
	long done = 0, m;
	int error = 0;

	mtx_lock(&bd->bd_iolock);
	off = uio->uio_fileoff ? (uint64_t)fp->f_offset :
	    (uint64_t)uio->uio_offset;
	if ((error = bdev_bounce(bd)) < 0)
		goto out;
	while (uio->uio_resid > 0 && off < size) {
		first = off & ~(ss - 1);
		end = MIN(off + uio->uio_resid, size);
		chunk = MIN(roundup2(end, ss) - first, BDEV_BOUNCE);
		if ((error = blkdev_rw(bd, BIO_READ, first / DEV_BSIZE,
		    bd->bd_bounce, chunk)) < 0)
			break;
		n = MIN(chunk - (off - first), end - off);
		m = uio_move((char *)bd->bd_bounce + (off - first), n, uio);
		if (m < 0) {
			error = (int)m;
			break;
		}
		off += (uint64_t)m;
		done += m;
		if ((uint64_t)m < n)
			break;
	}
out:
	if (uio->uio_fileoff)
		fp->f_offset = (off_t)off;
	mtx_unlock(&bd->bd_iolock);
	return done > 0 ? done : error;
}

/*
 * Whether bd is read-only, as Linux's bdev_read_only: BLKROSET on it or
 * on its whole disk, or a disk that cannot be written.  No lock.
 */
static bool
blkdev_rdonly(const struct blkdev *bd)
{
	return __atomic_load_n(&bd->bd_rdonly, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&bd->bd_whole->bd_rdonly, __ATOMIC_RELAXED) ||
	    (bd->bd_disk->d_flags & DISK_RDONLY) != 0;
}

/*
 * write(2): whole logical blocks from the bounce buffer, the partial
 * ones at either end read first; cached buffers of the range are
 * dropped (the raw device is not cached).  -EPERM on a read-only
 * device (Linux's blkdev_write_iter), -ENOSPC at the end.
 */
static long
bdev_write(struct file *fp, struct uio *uio)
{
	struct blkdev *bd = fp->f_data;
	uint64_t size = bd->bd_nsectors * DEV_BSIZE, ss = blkdev_secsize(bd);
	uint64_t off, first, end, chunk, n;
	char *b;
	long done = 0, m;
	int error = 0;

	if (blkdev_rdonly(bd))
		return -EPERM;
	mtx_lock(&bd->bd_iolock);
	off = uio->uio_fileoff ? (uint64_t)fp->f_offset :
	    (uint64_t)uio->uio_offset;
	if ((error = bdev_bounce(bd)) < 0)
		goto out;
	b = bd->bd_bounce;
	while (uio->uio_resid > 0) {
		if (off >= size) {
			error = -ENOSPC;
			break;
		}
		first = off & ~(ss - 1);
		end = MIN(off + uio->uio_resid, size);
		chunk = MIN(roundup2(end, ss) - first, BDEV_BOUNCE);
		n = MIN(chunk - (off - first), end - off);
		if (off != first && (error = blkdev_rw(bd, BIO_READ,
		    first / DEV_BSIZE, b, ss)) < 0)
			break;
		if ((off + n) % ss != 0 && (chunk > ss || off == first) &&
		    (error = blkdev_rw(bd, BIO_READ,
		    (first + chunk - ss) / DEV_BSIZE, b + chunk - ss, ss)) < 0)
			break;
		m = uio_move(b + (off - first), n, uio);
		if (m < 0 || (uint64_t)m < n) {
			error = m < 0 ? (int)m : -EFAULT;
			break;
		}
		buf_invalidate_range(bd->bd_dev, first / DEV_BSIZE,
		    chunk / DEV_BSIZE);
		if ((error = blkdev_rw(bd, BIO_WRITE, first / DEV_BSIZE, b,
		    chunk)) < 0)
			break;
		off += n;
		done += (long)n;
	}
out:
	if (uio->uio_fileoff)
		fp->f_offset = (off_t)off;
	mtx_unlock(&bd->bd_iolock);
	return done > 0 ? done : error;
}

/* lseek(2): SEEK_END is the device's size, as on Linux. */
static off_t
bdev_seek(struct file *fp, off_t offset, int whence)
{
	struct blkdev *bd = fp->f_data;
	off_t base, size = (off_t)(bd->bd_nsectors * DEV_BSIZE);

	mtx_lock(&bd->bd_iolock);
	switch (whence) {
	case SEEK_SET:	base = 0; break;
	case SEEK_CUR:	base = fp->f_offset; break;
	case SEEK_END:	base = size; break;
	default:	base = -1; break;
	}
	if (base < 0 || (offset < 0 && -offset > base)) {
		mtx_unlock(&bd->bd_iolock);
		return -EINVAL;
	}
	fp->f_offset = base + offset;
	mtx_unlock(&bd->bd_iolock);
	return base + offset;
}

/* The ioctls of block devices (<sys/abi/ioctl.h>, Linux's linux/fs.h). */
static long
bdev_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct blkdev *bd = fp->f_data;
	uint64_t bytes = bd->bd_nsectors * DEV_BSIZE;
	unsigned long nsect = bd->bd_nsectors;
	int ssz = (int)blkdev_secsize(bd);
	int error, ro;

	switch (cmd) {
	case BLKROGET:
		ro = blkdev_rdonly(bd) ? 1 : 0;
		return copyout(&ro, (void __user *)arg, sizeof(ro));
	case BLKROSET:
		/*
		 * Linux: CAP_SYS_ADMIN, a policy of this device only (a
		 * whole disk's covers its partitions); it does not undo a
		 * disk that cannot be written, and the file's open mode
		 * does not matter.
		 */
		if (curproc->p_euid != 0)
			return -EACCES;
		if ((error = copyin((const void __user *)arg, &ro,
		    sizeof(ro))) < 0)
			return error;
		__atomic_store_n(&bd->bd_rdonly, ro != 0, __ATOMIC_RELAXED);
		return 0;
	case BLKGETSIZE64:
		return copyout(&bytes, (void __user *)arg, sizeof(bytes));
	case BLKGETSIZE:
		return copyout(&nsect, (void __user *)arg, sizeof(nsect));
	case BLKSSZGET:
	case BLKPBSZGET:
		return copyout(&ssz, (void __user *)arg, sizeof(ssz));
	case BLKFLSBUF:
		/* Linux: CAP_SYS_ADMIN; write back, then drop the cache. */
		if (curproc->p_euid != 0)
			return -EACCES;
		if ((error = buf_sync_dev(bd->bd_dev)) < 0)
			return error;
		buf_invalidate_range(bd->bd_dev, 0, bd->bd_nsectors);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct fileops bdev_fileops = {
	.fo_name = "blkdev",
	.fo_read = bdev_read,
	.fo_write = bdev_write,
	.fo_ioctl = bdev_ioctl,
	.fo_seek = bdev_seek,
};

/*
 * open(2) of a block device node numbered dev (vfs_open).  Returns 0
 * with *fpp, -ENXIO when no such device exists, -EROFS for writing a
 * disk that cannot be written, -ENOMEM.  BLKROSET's flag does not stop
 * an open for writing (as on Linux): bdev_write() refuses the writes.
 */
int
bdev_open(uint32_t dev, int flags, struct file **fpp)
{
	struct blkdev *bd;

	if ((bd = blkdev_lookup(dev)) == NULL)
		return -ENXIO;
	if ((flags & O_ACCMODE) != O_RDONLY &&
	    (bd->bd_disk->d_flags & DISK_RDONLY))
		return -EROFS;
	if ((*fpp = file_alloc(&bdev_fileops, bd, flags)) == NULL)
		return -ENOMEM;
	return 0;
}

/*
 * The next block device after bd (NULL: the first), in attach order.
 * Takes disk_list_lock.  Block devices never go away.
 */
struct blkdev *
blkdev_next(struct blkdev *bd)
{
	spin_lock(&disk_list_lock);
	bd = bd == NULL ? blkdev_list : bd->bd_next;
	spin_unlock(&disk_list_lock);
	return bd;
}

/*
 * bd's facts into *bi (sysfs, mount).  No lock: all are [I] but
 * bi_rdonly, which BLKROSET may change at any time.
 */
void
blkdev_info(const struct blkdev *bd, struct blkdev_info *bi)
{
	bi->bi_dev = bd->bd_dev;
	bi->bi_whole_dev = bd->bd_whole->bd_dev;
	bi->bi_partno = bd->bd_partno;
	bi->bi_start = bd->bd_start;
	bi->bi_nsectors = bd->bd_nsectors;
	bi->bi_secsize = bd->bd_disk->d_secsize;
	bi->bi_rdonly = blkdev_rdonly(bd);
	bi->bi_name = bd->bd_name;
	bi->bi_partuuid = bd->bd_partuuid;
	bi->bi_partname = bd->bd_partname;
}

/* Equal strings, ASCII letters compared without case. */
static bool
blkdev_same_nocase(const char *a, const char *b)
{
	char x, y;

	for (;; a++, b++) {
		x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

/*
 * The first partition, in attach order, whose PARTUUID (what ==
 * BLKDEV_PARTUUID; letters' case ignored) or PARTLABEL (BLKDEV_PARTLABEL;
 * exact) is value, or NULL; *nmatch (when not NULL) counts every
 * partition that matches, so the caller can report an ambiguous name.
 * Takes disk_list_lock.  Block devices never go away.
 */
struct blkdev *
blkdev_find_part(int what, const char *value, int *nmatch)
{
	struct blkdev *bd, *found = NULL;
	int n = 0;

	if (value == NULL || value[0] == '\0')
		return NULL;
	spin_lock(&disk_list_lock);
	for (bd = blkdev_list; bd != NULL; bd = bd->bd_next) {
		if (bd->bd_partno == 0)
			continue;
		if (what == BLKDEV_PARTUUID ?
		    !blkdev_same_nocase(bd->bd_partuuid, value) :
		    strcmp(bd->bd_partname, value) != 0)
			continue;
		if (found == NULL)
			found = bd;
		n++;
	}
	spin_unlock(&disk_list_lock);
	if (nmatch != NULL)
		*nmatch = n;
	return found;
}

/*
 * /proc/partitions: every block device, its size in 1 KiB blocks.
 * Takes disk_list_lock briefly per device.
 */
int
disk_pfs_partitions(struct pfsbuf *sb, int pid, int tid)
{
	struct blkdev *bd;
	int error;

	(void)pid, (void)tid;
	error = pfs_printf(sb, "major minor  #blocks  name\n\n");
	for (bd = blkdev_next(NULL); bd != NULL && error >= 0;
	    bd = blkdev_next(bd))
		error = pfs_printf(sb, "%4u  %7u %10llu %s\n",
		    MAJOR(bd->bd_dev), MINOR(bd->bd_dev),
		    (unsigned long long)(bd->bd_nsectors / 2), bd->bd_name);
	return error;
}

static unsigned long
ns2ms(uint64_t ns)
{
	return (unsigned long)(ns / 1000000);
}

/*
 * /proc/diskstats: Linux's 17 counters per device (iostats.rst: reads,
 * merges, sectors, ms; writes ...; in flight, ms busy, weighted ms;
 * discards ...; flushes, ms).  Takes each disk's dq_lock briefly.
 */
int
disk_pfs_diskstats(struct pfsbuf *sb, int pid, int tid)
{
	struct disk_stats ds;
	struct blkdev *bd;
	uint64_t now, busy;
	int error = 0;

	(void)pid, (void)tid;
	for (bd = blkdev_next(NULL); bd != NULL && error >= 0;
	    bd = blkdev_next(bd)) {
		spin_lock(&bd->bd_disk->d_queue.dq_lock);
		ds = bd->bd_stats;
		spin_unlock(&bd->bd_disk->d_queue.dq_lock);
		now = clock_monotonic_ns();
		busy = ds.ds_busy_ns + (ds.ds_inflight > 0 ?
		    now - ds.ds_busy_since : 0);
		error = pfs_printf(sb, "%4u %7u %s %lu %lu %lu %lu %lu %lu "
		    "%lu %lu %u %lu %lu %lu %lu %lu %lu %lu %lu\n",
		    MAJOR(bd->bd_dev), MINOR(bd->bd_dev), bd->bd_name,
		    (unsigned long)ds.ds_ios[DS_READ],
		    (unsigned long)ds.ds_merges[DS_READ],
		    (unsigned long)ds.ds_sectors[DS_READ],
		    ns2ms(ds.ds_ns[DS_READ]),
		    (unsigned long)ds.ds_ios[DS_WRITE],
		    (unsigned long)ds.ds_merges[DS_WRITE],
		    (unsigned long)ds.ds_sectors[DS_WRITE],
		    ns2ms(ds.ds_ns[DS_WRITE]), ds.ds_inflight, ns2ms(busy),
		    ns2ms(ds.ds_weighted_ns),
		    (unsigned long)ds.ds_ios[DS_DISCARD],
		    (unsigned long)ds.ds_merges[DS_DISCARD],
		    (unsigned long)ds.ds_sectors[DS_DISCARD],
		    ns2ms(ds.ds_ns[DS_DISCARD]),
		    (unsigned long)ds.ds_ios[DS_FLUSH],
		    ns2ms(ds.ds_ns[DS_FLUSH]));
	}
	return error;
}
