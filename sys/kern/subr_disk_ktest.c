/*
 * ktests of the block layer and the buffer cache, driven through a test
 * fixture: a memory disk that exists only inside these tests (prefix
 * "ktd", major 240, Linux's local/experimental range), attached the
 * first time a test needs it.  Its strategy copies at once and calls
 * bio_done(), or, in hold mode, keeps one request in flight and answers
 * -EAGAIN to the rest, so the queue's retry and merging show.  A sector
 * can be made to fail with -EIO.
 */
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/part.h>
#include <sys/vnode.h>

#define MD_SIZE		(1024 * 1024)
#define MD_SECTORS	(MD_SIZE / DEV_BSIZE)
#define MD_BADSECT	2000		/* reads and writes of it fail */
#define KTD_MAJOR	240

struct memdisk {
	struct disk	 md_disk;
	uint8_t		*md_mem;
	bool		 md_hold;	/* keep one request, -EAGAIN others */
	struct bio	*md_held;
	unsigned	 md_nstrategy;	/* requests the driver took */
	unsigned	 md_nagain;
	size_t		 md_lastlen;
	unsigned	 md_nflush;
};

static struct memdisk *ktd;

static void
md_do(struct memdisk *md, struct bio *bp)
{
	uint8_t *p = md->md_mem + bp->bio_sector * DEV_BSIZE;

	bp->bio_error = 0;
	if (bp->bio_cmd != BIO_FLUSH && bp->bio_sector <= MD_BADSECT &&
	    bp->bio_sector + bp->bio_len / DEV_BSIZE > MD_BADSECT)
		bp->bio_error = -EIO;
	else if (bp->bio_cmd == BIO_READ)
		memcpy(bp->bio_data, p, bp->bio_len);
	else if (bp->bio_cmd == BIO_WRITE)
		memcpy(p, bp->bio_data, bp->bio_len);
	else if (bp->bio_cmd == BIO_FLUSH)
		md->md_nflush++;
	bio_done(bp);
}

static int
md_strategy(struct disk *dp, struct bio *bp)
{
	struct memdisk *md = dp->d_softc;

	if (md->md_hold) {
		if (md->md_held != NULL) {
			md->md_nagain++;
			return -EAGAIN;
		}
		md->md_nstrategy++;
		md->md_lastlen = bp->bio_len;
		md->md_held = bp;
		return 0;
	}
	md->md_nstrategy++;
	md->md_lastlen = bp->bio_len;
	md_do(md, bp);
	return 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* One GPT copy (header at hdr, entries at ent): partitions 1 and 2. */
static void
md_gpt(uint8_t *m, uint64_t hdr, uint64_t alt, uint64_t ent)
{
	uint8_t *h = m + hdr * 512, *e = m + ent * 512;

	memset(e, 0, 128 * 128);
	memset(e, 0xaa, 16);
	put64(e + 32, 64);		/* ktda1: sectors 64..1087 */
	put64(e + 40, 1087);
	memset(e + 128, 0xbb, 16);
	put64(e + 128 + 32, 1088);	/* ktda2: 1088..MD_SECTORS-34 */
	put64(e + 128 + 40, MD_SECTORS - 34);
	memset(h, 0, 512);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, hdr);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, MD_SECTORS - 34);
	put64(h + 72, ent);
	put32(h + 80, 128);
	put32(h + 84, 128);
	put32(h + 88, part_crc32(0, e, 128 * 128));
	put32(h + 16, part_crc32(0, h, 92));
}

/*
 * Attach a ktest's memory disk with the fields they all give; see
 * sys/disk.h.
 */
int
disk_ktest_attach(struct disk *dp, const char *prefix, uint64_t nsectors,
    int (*strategy)(struct disk *, struct bio *), void *softc)
{
	dp->d_prefix = prefix;
	dp->d_secsize = 512;
	dp->d_nsectors = nsectors;
	dp->d_maxio = 64 * 1024;
	dp->d_flags = DISK_CANFLUSH;
	dp->d_strategy = strategy;
	dp->d_softc = softc;
	return disk_attach(dp);
}

/* The fixture: made and attached once, kept for the other tests. */
static struct memdisk *
md_get(void)
{
	struct memdisk *md;

	if (ktd != NULL)
		return ktd;
	if ((md = kmalloc(sizeof(*md), M_ZERO)) == NULL ||
	    (md->md_mem = kmalloc(MD_SIZE, M_ZERO)) == NULL)
		return NULL;
	md->md_mem[446 + 4] = 0xee;		/* protective MBR */
	put32(md->md_mem + 446 + 8, 1);
	put32(md->md_mem + 446 + 12, MD_SECTORS - 1);
	md->md_mem[510] = 0x55;
	md->md_mem[511] = 0xaa;
	md_gpt(md->md_mem, 1, MD_SECTORS - 1, 2);
	md_gpt(md->md_mem, MD_SECTORS - 1, 1, MD_SECTORS - 33);
	if (disk_ktest_attach(&md->md_disk, "ktd", MD_SECTORS, md_strategy,
	    md) < 0)
		return NULL;
	ktd = md;
	return md;
}

KTEST(disk_attach_gpt)
{
	struct memdisk *md = md_get();
	struct blkdev *b0, *b1, *b2;

	KT_ASSERT(md != NULL);
	KT_ASSERT(strcmp(md->md_disk.d_name, "ktda") == 0);
	KT_ASSERT(md->md_disk.d_dev == MKDEV(KTD_MAJOR, 0));
	b0 = blkdev_lookup(MKDEV(KTD_MAJOR, 0));
	b1 = blkdev_lookup(MKDEV(KTD_MAJOR, 1));
	b2 = blkdev_lookup(MKDEV(KTD_MAJOR, 2));
	KT_ASSERT(b0 != NULL && b1 != NULL && b2 != NULL);
	KT_ASSERT(blkdev_lookup(MKDEV(KTD_MAJOR, 3)) == NULL);
	KT_ASSERT(strcmp(blkdev_name(b1), "ktda1") == 0);
	KT_ASSERT(blkdev_nsectors(b0) == MD_SECTORS);
	KT_ASSERT(blkdev_nsectors(b1) == 1024);
	KT_ASSERT(blkdev_nsectors(b2) == MD_SECTORS - 34 - 1088 + 1);
	return 0;
}

KTEST(disk_rw_errors)
{
	struct memdisk *md = md_get();
	struct blkdev *b1;
	uint8_t *buf;
	int i, ok;

	KT_ASSERT(md != NULL);
	KT_ASSERT((buf = kmalloc(8192, 0)) != NULL);
	for (i = 0; i < 8192; i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	b1 = blkdev_lookup(MKDEV(KTD_MAJOR, 1));
	/* Partition-relative: sector 10 of ktda1 is 74 of the disk. */
	ok = blkdev_rw(b1, BIO_WRITE, 10, buf, 8192) == 0 &&
	    memcmp(md->md_mem + 74 * 512, buf, 8192) == 0;
	memset(buf, 0, 8192);
	ok = ok && disk_rw(&md->md_disk, BIO_READ, 74, buf, 8192) == 0 &&
	    buf[0] == 1 && buf[8191] == (uint8_t)(8191 * 7 + 1);
	ok = ok && blkdev_rw(b1, BIO_READ, 1020, buf, 8192) == -EINVAL;
	ok = ok && disk_rw(&md->md_disk, BIO_READ, 3, buf, 100) == -EINVAL;
	ok = ok && disk_rw(&md->md_disk, BIO_READ, MD_SECTORS, buf, 512) ==
	    -EINVAL;
	ok = ok && disk_rw(&md->md_disk, BIO_READ, MD_BADSECT - 2, buf,
	    4096) == -EIO;
	kfree(buf);
	KT_ASSERT(ok);
	return 0;
}

static unsigned md_ndone;
static int md_errs;

static void
kt_done(struct bio *bp)
{
	md_ndone++;
	if (bp->bio_error != 0)
		md_errs++;
}

/*
 * One request held by the driver; four adjacent ones behind it (one
 * buffer, so adjacent in memory too) meet -EAGAIN and wait, merging
 * into one; completing the first lets the merged one through.
 */
KTEST(disk_queue_merge)
{
	struct memdisk *md = md_get();
	struct bio *bios;
	uint8_t *buf;
	unsigned taken;
	int i;

	KT_ASSERT(md != NULL);
	KT_ASSERT((bios = kmalloc(5 * sizeof(*bios), M_ZERO)) != NULL);
	KT_ASSERT((buf = kmalloc(5 * 4096, 0)) != NULL);
	for (i = 0; i < 5 * 4096; i++)
		buf[i] = (uint8_t)(i / 4096 + 0x40);
	md_ndone = 0;
	md_errs = 0;
	md->md_hold = true;
	taken = md->md_nstrategy;
	for (i = 0; i < 5; i++) {
		bios[i].bio_cmd = BIO_WRITE;
		bios[i].bio_sector = 1200 + (uint64_t)i * 8;
		bios[i].bio_len = 4096;
		bios[i].bio_data = buf + i * 4096;
		bios[i].bio_done = kt_done;
		disk_submit(&md->md_disk, &bios[i]);
	}
	KT_ASSERT(md->md_nstrategy == taken + 1 && md->md_held == &bios[0]);
	KT_ASSERT(md->md_nagain >= 1 && md_ndone == 0);
	/* Completing the held one dispatches the rest, merged. */
	md->md_hold = false;
	md_do(md, md->md_held);
	md->md_held = NULL;
	KT_ASSERT(md_ndone == 5 && md_errs == 0);
	KT_ASSERT(md->md_nstrategy == taken + 2);
	KT_ASSERT(md->md_lastlen == 4 * 4096);
	KT_ASSERT(memcmp(md->md_mem + 1200 * 512, buf, 5 * 4096) == 0);
	KT_ASSERT(md->md_disk.d_queue.dq_inflight == 0);
	kfree(buf);
	kfree(bios);
	return 0;
}

KTEST(buf_cache)
{
	struct memdisk *md = md_get();
	struct buf_stats s0, s1;
	struct buf *bp;
	uint32_t dev = MKDEV(KTD_MAJOR, 2);
	uint64_t d0 = 1088;	/* ktda2's first sector on the disk */
	int i;

	KT_ASSERT(md != NULL);
	buf_stats(&s0);
	KT_ASSERT(s0.bs_limit >= 256 * 1024);
	/* Miss, then hit. */
	md->md_mem[(d0 + 8) * 512] = 0x5a;
	KT_ASSERT(bread(dev, 8, 1024, &bp) == 0);
	KT_ASSERT(((uint8_t *)bp->b_data)[0] == 0x5a);
	brelse(bp);
	KT_ASSERT(bread(dev, 8, 1024, &bp) == 0);
	brelse(bp);
	buf_stats(&s1);
	KT_ASSERT(s1.bs_misses == s0.bs_misses + 1);
	KT_ASSERT(s1.bs_hits == s0.bs_hits + 1);
	/* Delayed write: not on the disk until a sync. */
	KT_ASSERT(bread(dev, 8, 1024, &bp) == 0);
	((uint8_t *)bp->b_data)[1] = 0xa5;
	bdwrite(bp);
	KT_ASSERT(md->md_mem[(d0 + 8) * 512 + 1] != 0xa5);
	KT_ASSERT(buf_flush_dev(dev) == 0);
	KT_ASSERT(md->md_mem[(d0 + 8) * 512 + 1] == 0xa5);
	KT_ASSERT(md->md_nflush > 0);
	/* Sequential reads start read-ahead; the next blocks then hit. */
	buf_stats(&s0);
	KT_ASSERT(bread(dev, 100, 1024, &bp) == 0);
	brelse(bp);
	KT_ASSERT(bread(dev, 102, 1024, &bp) == 0);
	brelse(bp);
	buf_stats(&s1);
	KT_ASSERT(s1.bs_readahead >= s0.bs_readahead + BUF_READAHEAD);
	for (i = 1; i <= BUF_READAHEAD; i++) {
		KT_ASSERT(bread(dev, 102 + 2 * i, 1024, &bp) == 0);
		brelse(bp);
	}
	buf_stats(&s0);
	KT_ASSERT(s0.bs_misses == s1.bs_misses);
	/* A raw write drops the cached copy. */
	md->md_mem[(d0 + 8) * 512] = 0x77;
	buf_invalidate_range(dev, 8, 2);
	KT_ASSERT(bread(dev, 8, 1024, &bp) == 0);
	KT_ASSERT(((uint8_t *)bp->b_data)[0] == 0x77);
	brelse(bp);
	/* I/O errors reach the caller; nothing stays held. */
	KT_ASSERT(bread(dev, MD_BADSECT - d0, 1024, &bp) == -EIO);
	KT_ASSERT(bread(dev, MD_SECTORS, 1024, &bp) == -EINVAL);
	return 0;
}

/* A small cache evicts oldest first, writing dirty buffers back. */
KTEST(buf_lru_evict)
{
	struct memdisk *md = md_get();
	struct buf_stats s0, s1;
	struct buf *bp;
	uint32_t dev = MKDEV(KTD_MAJOR, 1);
	int i;

	KT_ASSERT(md != NULL);
	buf_set_limit(16 * 1024);
	buf_stats(&s0);
	KT_ASSERT(s0.bs_bytes <= 16 * 1024);
	for (i = 0; i < 32; i++) {
		KT_ASSERT(getblk(dev, (uint64_t)i * 2, 1024, &bp) == 0);
		memset(bp->b_data, 0x30 + i, 1024);
		bdwrite(bp);
	}
	buf_stats(&s1);
	KT_ASSERT(s1.bs_bytes <= 16 * 1024);
	KT_ASSERT(s1.bs_evictions >= s0.bs_evictions + 16);
	/* The evicted ones were written; block 0 is long gone from cache. */
	KT_ASSERT(md->md_mem[64 * 512] == 0x30);
	KT_ASSERT(buf_sync_dev(dev) == 0);
	KT_ASSERT(md->md_mem[(64 + 62) * 512] == 0x30 + 31);
	buf_set_limit(0);
	return 0;
}

/*
 * drop_caches: clean unheld buffers go (the next read misses); a held
 * one, a dirty one (its change kept, nothing written) and a pinned one
 * stay.
 */
KTEST(buf_drop_clean)
{
	struct memdisk *md = md_get();
	struct buf_stats s0, s1;
	struct buf *bp, *held, *pinned;
	uint32_t dev = MKDEV(KTD_MAJOR, 1);
	uint64_t n;
	int i;

	KT_ASSERT(md != NULL);
	for (i = 0; i < 8; i++) {
		KT_ASSERT(bread(dev, 300 + (uint64_t)i * 2, 1024, &bp) == 0);
		brelse(bp);
	}
	KT_ASSERT(bread(dev, 400, 1024, &bp) == 0);
	((uint8_t *)bp->b_data)[0] ^= 0xff;
	n = ((uint8_t *)bp->b_data)[0];
	bdwrite(bp);
	KT_ASSERT(bread(dev, 402, 1024, &held) == 0);
	KT_ASSERT(bread(dev, 404, 1024, &pinned) == 0);
	KT_ASSERT(!buf_pin(pinned));
	brelse(pinned);
	buf_stats(&s0);
	KT_ASSERT(buf_drop_clean() >= 8);
	buf_stats(&s1);
	KT_ASSERT(s1.bs_nbuf + 8 <= s0.bs_nbuf);
	KT_ASSERT(s1.bs_nbuf >= 3);
	/* The dirty, held and pinned buffers are still cached: hits. */
	KT_ASSERT(bread(dev, 400, 1024, &bp) == 0);
	KT_ASSERT(((uint8_t *)bp->b_data)[0] == n);
	KT_ASSERT((bp->b_flags & B_DIRTY) != 0);
	brelse(bp);
	KT_ASSERT(bread(dev, 404, 1024, &pinned) == 0);
	buf_unpin(pinned);
	brelse(pinned);
	brelse(held);
	buf_stats(&s0);
	KT_ASSERT(s0.bs_misses == s1.bs_misses);
	/* A dropped one is read from the disk again: a miss. */
	KT_ASSERT(bread(dev, 300, 1024, &bp) == 0);
	brelse(bp);
	buf_stats(&s1);
	KT_ASSERT(s1.bs_misses == s0.bs_misses + 1);
	KT_ASSERT(buf_sync_dev(dev) == 0);
	return 0;
}
