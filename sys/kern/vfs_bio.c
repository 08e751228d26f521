/*
 * The buffer cache: blocks of block devices for filesystem metadata
 * (see <sys/buf.h> for the interface and the life of a buffer).
 *
 * Buffers are found by (device, sector) in a hash table; unheld ones
 * are also on an LRU list, oldest first, from which they are reused
 * when the cache is full (a dirty one is written first).  Reads and
 * writes go through the block layer as struct bio (kern/subr_disk.c);
 * a completion may run in an interrupt, so it only changes flags under
 * buf_lock and wakes sleepers.  The flusher thread, started by the
 * first bdwrite(), writes buffers dirty for BUF_DIRTY_SECS.  Pinned
 * buffers (B_JPIN, a journal's) are never written, evicted or dropped
 * here: only their pinner's buf_unpin() makes them ordinary again.
 *
 * Locks: buf_lock (a spin lock: completions take it in interrupts)
 * guards the hash, the LRU, every b_flags and the counters.  A thread
 * sleeps on a buffer (B_WANTED) for its B_BUSY, and on &buf_writing for
 * the writes under way (anyone's: the flusher's, eviction's, bawrite's)
 * to end.  Lock order: buf_lock is a leaf, except
 * that blkdev_lookup's disk_list_lock is never taken under it.
 */
#include <sys/buf.h>
#include <sys/clock.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_phys.h>

#define BUF_HASH	4096	/* ~2 buffers a chain in a full cache */
#define BUF_MAXSIZE	(64 * 1024)
#define BUF_MINLIMIT	(256 * 1024)
#define BUF_SYNC_BATCH	32
#define NS_PER_SEC	1000000000ULL

/* A buffer with its own request: only the cache sees this. */
struct bufx {
	struct buf	 bx_buf;
	struct bio	 bx_bio;
	bool		 bx_iodone;	/* [buf_lock] the sync I/O ended */
};

static struct spinlock buf_lock = SPINLOCK_INIT("buf");
static struct buf *buf_hash[BUF_HASH];		/* [buf_lock] */
static struct buf *buf_lru_head, *buf_lru_tail;	/* [buf_lock] */
static struct buf_stats buf_st;			/* [buf_lock] */
static unsigned buf_writing;			/* [buf_lock] writes out */
static uint32_t buf_ra_dev;			/* [buf_lock] last bread's */
static uint64_t buf_ra_next;			/* [buf_lock] its next */
static bool buf_flusher_on;			/* [buf_lock] */
static int buf_flusher_chan;			/* the flusher sleeps here */

static unsigned
buf_hashof(uint32_t dev, uint64_t blkno)
{
	return (unsigned)((blkno * 0x9e3779b97f4a7c15ULL + dev) >> 52) %
	    BUF_HASH;
}

/* The cache's size limit, from free memory on first use ([buf_lock]). */
static uint64_t
buf_limit(void)
{
	if (buf_st.bs_limit == 0)
		buf_st.bs_limit = MAX(BUF_MINLIMIT,
		    vm_phys_free_pages() * PAGE_SIZE / 16);
	return buf_st.bs_limit;
}

static void
lru_remove(struct buf *bp)
{
	if (bp->b_lprev != NULL)
		bp->b_lprev->b_lnext = bp->b_lnext;
	else
		buf_lru_head = bp->b_lnext;
	if (bp->b_lnext != NULL)
		bp->b_lnext->b_lprev = bp->b_lprev;
	else
		buf_lru_tail = bp->b_lprev;
	bp->b_lprev = bp->b_lnext = NULL;
}

static void
lru_append(struct buf *bp)
{
	bp->b_lnext = NULL;
	bp->b_lprev = buf_lru_tail;
	if (buf_lru_tail != NULL)
		buf_lru_tail->b_lnext = bp;
	else
		buf_lru_head = bp;
	buf_lru_tail = bp;
}

static struct buf *
hash_find(uint32_t dev, uint64_t blkno)
{
	struct buf *bp;

	for (bp = buf_hash[buf_hashof(dev, blkno)]; bp != NULL;
	    bp = bp->b_hnext)
		if (bp->b_dev == dev && bp->b_blkno == blkno)
			return bp;
	return NULL;
}

static void
hash_remove(struct buf *bp)
{
	struct buf **pp = &buf_hash[buf_hashof(bp->b_dev, bp->b_blkno)];

	while (*pp != bp)
		pp = &(*pp)->b_hnext;
	*pp = bp->b_hnext;
	buf_st.bs_nbuf--;
	buf_st.bs_bytes -= bp->b_size;
}

static void
buf_free(struct buf *bp)
{
	kfree(bp->b_data);
	kfree(bp);
}

/* Give bp back ([buf_lock] held): LRU, or *freep when it must go. */
static void
buf_release_locked(struct buf *bp, struct buf **freep)
{
	bool wanted = (bp->b_flags & B_WANTED) != 0;

	bp->b_flags &= ~(B_BUSY | B_ASYNC | B_WANTED);
	if ((bp->b_flags & B_STALE) || !(bp->b_flags & B_VALID)) {
		hash_remove(bp);
		bp->b_hnext = *freep;
		*freep = bp;
	} else {
		lru_append(bp);
	}
	if (wanted)
		wakeup(bp);
}

/* A request of the cache ended (any context). */
static void
buf_iodone(struct bio *bio)
{
	struct bufx *bx = bio->bio_private;
	struct buf *bp = &bx->bx_buf;
	bool async, wanted;

	spin_lock(&buf_lock);
	bp->b_error = bio->bio_error;
	if (bio->bio_cmd == BIO_READ && bio->bio_error == 0)
		bp->b_flags |= B_VALID;
	if (bio->bio_cmd == BIO_WRITE && bio->bio_error != 0)
		bp->b_flags |= B_DIRTY;	/* keep it: still not on the disk */
	if (bio->bio_cmd == BIO_WRITE) {
		buf_st.bs_wdone++;
		if (buf_writing-- == 1)
			wakeup(&buf_writing);
	}
	async = (bp->b_flags & B_ASYNC) != 0;
	if (async) {
		/*
		 * Released here, but never freed (this may be an interrupt):
		 * a failed read-ahead stays cached, not valid, for bread to
		 * read again or eviction to free.
		 */
		wanted = (bp->b_flags & B_WANTED) != 0;
		bp->b_flags &= ~(B_BUSY | B_ASYNC | B_WANTED);
		lru_append(bp);
		if (wanted)
			wakeup(bp);
	} else {
		bx->bx_iodone = true;
	}
	spin_unlock(&buf_lock);
	if (!async)
		wakeup(bx);
}

/* Start bp's request (bp held).  Completion: buf_iodone. */
static void
buf_start(struct buf *bp, enum bio_cmd cmd)
{
	struct bufx *bx = (struct bufx *)bp;

	memset(&bx->bx_bio, 0, sizeof(bx->bx_bio));
	bx->bx_iodone = false;
	bx->bx_bio.bio_cmd = cmd;
	bx->bx_bio.bio_sector = bp->b_blkno;
	bx->bx_bio.bio_len = bp->b_size;
	bx->bx_bio.bio_data = bp->b_data;
	bx->bx_bio.bio_done = buf_iodone;
	bx->bx_bio.bio_private = bx;
	if (cmd == BIO_WRITE) {
		spin_lock(&buf_lock);
		KASSERT(!(bp->b_flags & B_JPIN), "write of a pinned buffer");
		buf_st.bs_writes++;
		buf_writing++;
		spin_unlock(&buf_lock);
	}
	blkdev_submit(bp->b_bd, &bx->bx_bio);
}

/* Wait for bp's synchronous request; its error. */
static int
buf_wait(struct buf *bp)
{
	struct bufx *bx = (struct bufx *)bp;

	spin_lock(&buf_lock);
	while (!bx->bx_iodone)
		tsleep(bx, &buf_lock, "biowait", 0);
	spin_unlock(&buf_lock);
	return bp->b_error;
}

/*
 * Make room for size more bytes: reuse the oldest unheld, unpinned
 * buffers.  When every unheld buffer is pinned the cache grows past its
 * limit until a journal commits.
 */
static void
buf_evict(size_t size)
{
	struct buf *bp, *dead;

	for (;;) {
		dead = NULL;
		spin_lock(&buf_lock);
		for (bp = buf_lru_head; bp != NULL && (bp->b_flags & B_JPIN);
		    bp = bp->b_lnext)
			continue;
		if (buf_st.bs_bytes + size <= buf_limit() || bp == NULL) {
			spin_unlock(&buf_lock);
			return;
		}
		lru_remove(bp);
		bp->b_flags |= B_BUSY;
		if (bp->b_flags & B_DIRTY) {
			bp->b_flags &= ~B_DIRTY;
			spin_unlock(&buf_lock);
			buf_start(bp, BIO_WRITE);
			(void)buf_wait(bp);
			spin_lock(&buf_lock);
		}
		if (!(bp->b_flags & B_DIRTY))
			bp->b_flags |= B_STALE;
		buf_st.bs_evictions++;
		buf_release_locked(bp, &dead);
		spin_unlock(&buf_lock);
		if (dead != NULL)
			buf_free(dead);
	}
}

/*
 * Find or make the buffer of (dev, blkno) and hold it.  With nowait, a
 * buffer already cached is not waited for: -EEXIST.  *hitp: it was
 * cached.  0, -ENXIO, -EINVAL (bad size or range), -ENOMEM.  The device
 * and the range are checked before a buffer is made; a cached buffer of
 * the same size passed that check when it was made.
 */
static int
buf_get(uint32_t dev, uint64_t blkno, size_t size, bool nowait,
    struct buf **bpp, bool *hitp)
{
	struct blkdev *bd;
	struct buf *bp, *nb = NULL;
	uint32_t ss;

	for (;;) {
		spin_lock(&buf_lock);
		if ((bp = hash_find(dev, blkno)) != NULL) {
			if (nowait || bp->b_size != size) {
				spin_unlock(&buf_lock);
				if (nb != NULL)
					buf_free(nb);
				return nowait ? -EEXIST : -EINVAL;
			}
			if (bp->b_flags & B_BUSY) {
				bp->b_flags |= B_WANTED;
				tsleep(bp, &buf_lock, "getblk", 0);
				spin_unlock(&buf_lock);
				continue;
			}
			lru_remove(bp);
			bp->b_flags |= B_BUSY;
			buf_st.bs_hits++;
			spin_unlock(&buf_lock);
			if (nb != NULL)
				buf_free(nb);
			*hitp = true;
			*bpp = bp;
			return 0;
		}
		if (nb != NULL) {
			nb->b_flags = B_BUSY;
			nb->b_hnext = buf_hash[buf_hashof(dev, blkno)];
			buf_hash[buf_hashof(dev, blkno)] = nb;
			buf_st.bs_nbuf++;
			buf_st.bs_bytes += size;
			if (!nowait)
				buf_st.bs_misses++;
			spin_unlock(&buf_lock);
			*hitp = false;
			*bpp = nb;
			return 0;
		}
		spin_unlock(&buf_lock);
		if ((bd = blkdev_lookup(dev)) == NULL)
			return -ENXIO;
		ss = blkdev_secsize(bd);
		if (size == 0 || size % ss != 0 || size > BUF_MAXSIZE ||
		    blkno % (ss / DEV_BSIZE) != 0 ||
		    blkno > blkdev_nsectors(bd) ||
		    size / DEV_BSIZE > blkdev_nsectors(bd) - blkno)
			return -EINVAL;
		buf_evict(size);
		if ((nb = kmalloc(sizeof(struct bufx), M_ZERO)) == NULL)
			return -ENOMEM;
		if ((nb->b_data = kmalloc(size, 0)) == NULL) {
			kfree(nb);
			return -ENOMEM;
		}
		nb->b_dev = dev;
		nb->b_blkno = blkno;
		nb->b_size = size;
		nb->b_bd = bd;
	}
}

/*
 * Hold the buffer of (dev, blkno) without reading it: the caller will
 * fill all of it.  Sleeps.  0 or -errno (see buf_get).
 */
int
getblk(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp)
{
	bool hit;
	int error;

	if ((error = buf_get(dev, blkno, size, false, bpp, &hit)) < 0)
		return error;
	(*bpp)->b_fstag = 0;
	return 0;
}

/* Read ahead the blocks after blkno that are not cached. */
static void
buf_readahead(uint32_t dev, uint64_t blkno, size_t size)
{
	struct buf *bp;
	uint64_t b;
	bool hit;
	int i;

	for (i = 1; i <= BUF_READAHEAD; i++) {
		b = blkno + (uint64_t)i * (size / DEV_BSIZE);
		if (buf_get(dev, b, size, true, &bp, &hit) < 0)
			continue;
		spin_lock(&buf_lock);
		bp->b_flags |= B_ASYNC | B_RAHEAD;
		buf_st.bs_readahead++;
		spin_unlock(&buf_lock);
		buf_start(bp, BIO_READ);
	}
}

/*
 * The block at blkno (512-byte sectors) of dev, size bytes, read if not
 * cached, held (see <sys/buf.h>); *hitp tells whether the cache had it
 * valid and not only because read-ahead brought it in for this reader.  A read right after the previous one of the same device starts
 * reading ahead.  Sleeps.  0 with *bpp, or -ENXIO, -EINVAL, -ENOMEM,
 * -EIO (nothing held then).
 */
int
bread_hit(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp,
    bool *hitp)
{
	struct buf *bp;
	bool hit, seq;
	int error;

	if ((error = buf_get(dev, blkno, size, false, &bp, &hit)) < 0)
		return error;
	/* A block read ahead was read from the disk for this caller. */
	spin_lock(&buf_lock);
	*hitp = (bp->b_flags & (B_VALID | B_RAHEAD)) == B_VALID;
	bp->b_flags &= ~B_RAHEAD;
	spin_unlock(&buf_lock);
	if (!(bp->b_flags & B_VALID)) {
		bp->b_fstag = 0;
		buf_start(bp, BIO_READ);
		if ((error = buf_wait(bp)) < 0) {
			brelse(bp);
			return error;
		}
	}
	spin_lock(&buf_lock);
	seq = buf_ra_dev == dev && buf_ra_next == blkno;
	buf_ra_dev = dev;
	buf_ra_next = blkno + size / DEV_BSIZE;
	spin_unlock(&buf_lock);
	if (seq)
		buf_readahead(dev, blkno, size);
	*bpp = bp;
	return 0;
}

/*
 * The valid cached buffer of (dev, blkno), held, or -ENOENT: never
 * reads (see <sys/buf.h>).  A busy buffer is waited for, then looked at
 * again; one not valid (a failed read-ahead) counts as absent.  Sleeps.
 * 0 with *bpp, -ENOENT, or -EINVAL (cached with another size).
 */
int
buf_peek(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp)
{
	struct buf *bp;

	spin_lock(&buf_lock);
	for (;;) {
		if ((bp = hash_find(dev, blkno)) == NULL ||
		    (!(bp->b_flags & B_BUSY) && !(bp->b_flags & B_VALID))) {
			spin_unlock(&buf_lock);
			return -ENOENT;
		}
		if (bp->b_size != size) {
			spin_unlock(&buf_lock);
			return -EINVAL;
		}
		if (!(bp->b_flags & B_BUSY))
			break;
		bp->b_flags |= B_WANTED;
		tsleep(bp, &buf_lock, "bufpeek", 0);
	}
	lru_remove(bp);
	bp->b_flags = (bp->b_flags & ~B_RAHEAD) | B_BUSY;
	spin_unlock(&buf_lock);
	*bpp = bp;
	return 0;
}

/* The block at blkno of dev, read if not cached, held (bread_hit). */
int
bread(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp)
{
	bool hit;

	return bread_hit(dev, blkno, size, bpp, &hit);
}

/*
 * Pin the held buffer bp: neither written, evicted nor dropped until
 * buf_unpin() (see <sys/buf.h>).  Takes buf_lock.  Returns true when it
 * was pinned already.
 */
bool
buf_pin(struct buf *bp)
{
	bool was;

	spin_lock(&buf_lock);
	KASSERT(bp->b_flags & B_BUSY, "buf_pin of a buffer not held");
	was = (bp->b_flags & B_JPIN) != 0;
	bp->b_flags |= B_JPIN;
	spin_unlock(&buf_lock);
	return was;
}

/*
 * Unpin the held buffer bp: it becomes an ordinary dirty buffer, dirty
 * from now for the flusher's BUF_DIRTY_SECS.  Takes buf_lock.
 */
void
buf_unpin(struct buf *bp)
{
	spin_lock(&buf_lock);
	KASSERT((bp->b_flags & (B_BUSY | B_JPIN)) == (B_BUSY | B_JPIN),
	    "buf_unpin of a buffer not held or not pinned");
	bp->b_flags &= ~B_JPIN;
	if (bp->b_flags & B_DIRTY)
		bp->b_dirty_ns = clock_monotonic_ns();
	spin_unlock(&buf_lock);
}

/* Release a held buffer unchanged (see <sys/buf.h>).  Takes buf_lock. */
void
brelse(struct buf *bp)
{
	struct buf *dead = NULL;

	spin_lock(&buf_lock);
	KASSERT(bp->b_flags & B_BUSY, "brelse of a buffer not held");
	buf_release_locked(bp, &dead);
	spin_unlock(&buf_lock);
	if (dead != NULL)
		buf_free(dead);
}

/*
 * Release a held buffer and drop it, dirty or not (see <sys/buf.h>); a
 * pinned one is only released.  Takes buf_lock.
 */
void
bforget(struct buf *bp)
{
	struct buf *dead = NULL;

	spin_lock(&buf_lock);
	KASSERT(bp->b_flags & B_BUSY, "bforget of a buffer not held");
	if (!(bp->b_flags & B_JPIN))
		bp->b_flags = (bp->b_flags & ~B_DIRTY) | B_STALE;
	buf_release_locked(bp, &dead);
	spin_unlock(&buf_lock);
	if (dead != NULL)
		buf_free(dead);
}

static void buf_flusher(void *arg);

/*
 * Release a changed buffer: dirty, valid, written by the flusher within
 * BUF_DIRTY_SECS or by a sync.  Starts the flusher on first use.
 */
void
bdwrite(struct buf *bp)
{
	struct thread *td;
	bool start;

	spin_lock(&buf_lock);
	if (!(bp->b_flags & B_DIRTY))
		bp->b_dirty_ns = clock_monotonic_ns();
	bp->b_flags |= B_DIRTY | B_VALID;
	bp->b_flags &= ~B_STALE;
	start = !buf_flusher_on;
	buf_flusher_on = true;
	spin_unlock(&buf_lock);
	brelse(bp);
	if (!start)
		return;
	if ((td = thread_create_kernel(buf_flusher, NULL, "bflush")) == NULL) {
		klog("buf", "no flusher thread: dirty buffers wait for sync");
		spin_lock(&buf_lock);
		buf_flusher_on = false;
		spin_unlock(&buf_lock);
		return;
	}
	sched_add(td);
}

/* Write a held buffer now, wait, release it.  0 or -EIO ... */
int
bwrite(struct buf *bp)
{
	int error;

	spin_lock(&buf_lock);
	bp->b_flags = (bp->b_flags & ~(B_DIRTY | B_STALE)) | B_VALID;
	spin_unlock(&buf_lock);
	buf_start(bp, BIO_WRITE);
	error = buf_wait(bp);
	brelse(bp);
	return error;
}

/* Start writing a held buffer; the completion releases it. */
void
bawrite(struct buf *bp)
{
	spin_lock(&buf_lock);
	bp->b_flags = (bp->b_flags & ~(B_DIRTY | B_STALE)) |
	    B_VALID | B_ASYNC;
	spin_unlock(&buf_lock);
	buf_start(bp, BIO_WRITE);
}

/*
 * Write dirty unheld unpinned buffers of dev (0: all) dirtied before
 * 'before' (ns; UINT64_MAX: all), in batches sorted by sector, and wait
 * for them.  The first error, or 0.
 */
static int
buf_sync_older(uint32_t dev, uint64_t before)
{
	struct buf *batch[BUF_SYNC_BATCH], *bp, *t;
	int n, i, j, error = 0, e;

	do {
		n = 0;
		spin_lock(&buf_lock);
		for (bp = buf_lru_head; bp != NULL && n < BUF_SYNC_BATCH;
		    bp = t) {
			t = bp->b_lnext;
			if ((bp->b_flags & (B_DIRTY | B_JPIN)) != B_DIRTY ||
			    (dev != 0 &&
			    bp->b_dev != dev) || bp->b_dirty_ns >= before)
				continue;
			lru_remove(bp);
			bp->b_flags = (bp->b_flags & ~B_DIRTY) | B_BUSY;
			/* Sorted by device and sector: the elevator's order. */
			for (j = n; j > 0 && (batch[j - 1]->b_dev > bp->b_dev ||
			    (batch[j - 1]->b_dev == bp->b_dev &&
			    batch[j - 1]->b_blkno > bp->b_blkno)); j--)
				batch[j] = batch[j - 1];
			batch[j] = bp;
			n++;
		}
		spin_unlock(&buf_lock);
		for (i = 0; i < n; i++)
			buf_start(batch[i], BIO_WRITE);
		for (i = 0; i < n; i++) {
			if ((e = buf_wait(batch[i])) < 0 && error == 0)
				error = e;
			brelse(batch[i]);
		}
	} while (n == BUF_SYNC_BATCH);
	return error;
}

/*
 * Write every dirty unheld unpinned buffer of dev (0: every device) and
 * wait for them and for every write already under way (bawrite's, and
 * the flusher's or eviction's, which took their buffers off the LRU
 * before we looked), so that every buffer dirty when it was called is
 * written.  Sleeps.  0 or the first error (-EIO).
 */
int
buf_sync_dev(uint32_t dev)
{
	int error;

	error = buf_sync_older(dev, UINT64_MAX);
	spin_lock(&buf_lock);
	while (buf_writing > 0)
		tsleep(&buf_writing, &buf_lock, "bsync", 0);
	spin_unlock(&buf_lock);
	return error;
}

/*
 * The barrier of ordered writes: buf_sync_dev(dev), then a cache flush
 * of dev's disk, so everything written before is on the media.
 * Sleeps.  0 or -errno.
 */
int
buf_flush_dev(uint32_t dev)
{
	struct blkdev *bd;
	int error;

	if ((bd = blkdev_lookup(dev)) == NULL)
		return -ENXIO;
	if ((error = buf_sync_dev(dev)) < 0)
		return error;
	return blkdev_rw(bd, BIO_FLUSH, 0, NULL, 0);
}

/*
 * Take bp out of the cache onto the list *deadp, for buf_free_list once
 * buf_lock is dropped; a buffer pinned by the journal stays, and one
 * held (B_BUSY) is marked B_STALE for its holder to drop.  buf_lock
 * held.
 */
static void
buf_unhash_locked(struct buf *bp, struct buf **deadp)
{
	if (bp->b_flags & B_JPIN)
		return;
	if (bp->b_flags & B_BUSY) {
		bp->b_flags |= B_STALE;
		return;
	}
	lru_remove(bp);
	hash_remove(bp);
	bp->b_hnext = *deadp;
	*deadp = bp;
}

/* Free the buffers buf_unhash_locked listed.  No lock held. */
static void
buf_free_list(struct buf *dead)
{
	struct buf *bp;

	while ((bp = dead) != NULL) {
		dead = bp->b_hnext;
		buf_free(bp);
	}
}

/*
 * Drop the cached buffers of dev overlapping [sector, sector + n) (see
 * <sys/buf.h>).  Takes buf_lock; never sleeps.
 */
void
buf_invalidate_range(uint32_t dev, uint64_t sector, uint64_t n)
{
	struct buf *bp, *t, *dead = NULL;
	int h;

	spin_lock(&buf_lock);
	for (h = 0; h < BUF_HASH; h++) {
		for (bp = buf_hash[h]; bp != NULL; bp = t) {
			t = bp->b_hnext;
			if (bp->b_dev != dev || bp->b_blkno >= sector + n ||
			    bp->b_blkno + bp->b_size / DEV_BSIZE <= sector)
				continue;
			buf_unhash_locked(bp, &dead);
		}
	}
	spin_unlock(&buf_lock);
	buf_free_list(dead);
}

/*
 * Drop the cached buffers of size bytes of dev at the n blocks from
 * sector (see <sys/buf.h>).  More blocks than buffers: one walk of the
 * cache (buf_invalidate_range); else a lookup per block, BUF_SYNC_BATCH
 * of them per hold of buf_lock.  Never sleeps.
 */
void
buf_discard(uint32_t dev, uint64_t sector, size_t size, uint64_t n)
{
	struct buf *bp, *dead = NULL;
	uint64_t i, step = size / DEV_BSIZE;

	spin_lock(&buf_lock);
	if (n > buf_st.bs_nbuf) {
		spin_unlock(&buf_lock);
		buf_invalidate_range(dev, sector, n * step);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i % BUF_SYNC_BATCH == BUF_SYNC_BATCH - 1) {
			spin_unlock(&buf_lock);
			spin_lock(&buf_lock);
		}
		bp = hash_find(dev, sector + i * step);
		if (bp != NULL && bp->b_size == size)
			buf_unhash_locked(bp, &dead);
	}
	spin_unlock(&buf_lock);
	buf_free_list(dead);
}

/*
 * Drop every clean, unheld, unpinned buffer of the cache (drop_caches):
 * dirty ones stay, as on Linux, and nothing is written.  Takes
 * buf_lock; never sleeps.  Returns how many buffers were dropped.
 */
uint64_t
buf_drop_clean(void)
{
	struct buf *bp, *t, *dead = NULL;
	uint64_t n = 0;

	spin_lock(&buf_lock);
	/* Exactly the unheld buffers are on the LRU list. */
	for (bp = buf_lru_head; bp != NULL; bp = t) {
		t = bp->b_lnext;
		if (bp->b_flags & (B_BUSY | B_DIRTY | B_JPIN))
			continue;
		lru_remove(bp);
		hash_remove(bp);
		bp->b_hnext = dead;
		dead = bp;
		n++;
	}
	spin_unlock(&buf_lock);
	while ((bp = dead) != NULL) {
		dead = bp->b_hnext;
		buf_free(bp);
	}
	return n;
}

/*
 * Bytes of the clean, unheld, unpinned buffers: those buf_drop_clean
 * would drop (vm_page_alloc does when memory runs out).  Takes buf_lock;
 * walks the LRU list.
 */
uint64_t
buf_clean_bytes(void)
{
	struct buf *bp;
	uint64_t n = 0;

	spin_lock(&buf_lock);
	for (bp = buf_lru_head; bp != NULL; bp = bp->b_lnext)
		if (!(bp->b_flags & (B_BUSY | B_DIRTY | B_JPIN)))
			n += bp->b_size;
	spin_unlock(&buf_lock);
	return n;
}

/* Copy the counters.  Takes buf_lock. */
void
buf_stats(struct buf_stats *bs)
{
	spin_lock(&buf_lock);
	(void)buf_limit();
	*bs = buf_st;
	spin_unlock(&buf_lock);
}

/* Set the size limit (0: a sixteenth of free memory), then evict. */
void
buf_set_limit(uint64_t bytes)
{
	spin_lock(&buf_lock);
	buf_st.bs_limit = bytes;
	(void)buf_limit();
	spin_unlock(&buf_lock);
	buf_evict(0);
}

/* The flusher: every second, write what has been dirty long enough. */
static void
buf_flusher(void *arg)
{
	uint64_t now;
	int error;

	(void)arg;
	for (;;) {
		tsleep(&buf_flusher_chan, NULL, "bflush", NS_PER_SEC);
		now = clock_monotonic_ns();
		if (now < BUF_DIRTY_SECS * NS_PER_SEC)
			continue;
		if ((error = buf_sync_older(0,
		    now - BUF_DIRTY_SECS * NS_PER_SEC)) < 0)
			klog("buf", "write-back failed (%d)", error);
	}
}
