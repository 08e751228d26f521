/*
 * The buffer cache (kern/vfs_bio.c): filesystem metadata by block.
 *
 * A buffer holds size bytes of a block device at a 512-byte sector
 * number relative to the device (a partition's start is the block
 * layer's business).  A caller gets a buffer held (B_BUSY: it alone may
 * read or change b_data) with bread() or getblk(), and gives it back
 * with brelse() (unchanged), bdwrite() (changed: the flusher writes it
 * within BUF_DIRTY_SECS, or sync does), bawrite() (changed: written now,
 * not waited for) or bwrite() (written now and waited for).  Ordered
 * writes: buf_flush_dev() writes every dirty buffer of the device, waits
 * for them, then flushes the disk's volatile cache, so what a journal
 * wrote before it is on the media before anything written after it.
 *
 * Unheld buffers sit on an LRU list and are reused oldest first when the
 * cache reaches its size, a sixteenth of the memory free when it is
 * first used.  bread() of the block after the one the same device read
 * last starts reading the next BUF_READAHEAD blocks in the background.
 *
 * Pinned buffers (B_JPIN, for a filesystem's journal): a journal pins a
 * held buffer with buf_pin() when it joins the running transaction, and
 * unpins it with buf_unpin() once the transaction's copy is in the log.
 * A pinned buffer may be dirty, but nothing writes it home: the flusher,
 * buf_sync_dev() and buf_flush_dev() skip it, eviction never picks it
 * (the cache grows past its limit rather than write it), and
 * buf_invalidate_range() leaves it alone (the filesystem owns it).  It
 * stays cached, so the journal finds it again by its block number.
 * Unpinned, it is an ordinary dirty buffer, which the flusher writes
 * BUF_DIRTY_SECS later.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>

#define BUF_READAHEAD	8	/* blocks read ahead of a sequential reader */
#define BUF_DIRTY_SECS	5	/* the flusher writes what is this old */

struct blkdev;

/*
 * Locks protecting members of this struct:
 *	I	immutable while the buffer is in the cache
 *	c	buf_lock
 *	b	the holder of B_BUSY
 */
struct buf {
	uint32_t	 b_dev;		/* [I] MKDEV of the block device */
	uint64_t	 b_blkno;	/* [I] first 512-byte sector */
	size_t		 b_size;	/* [I] bytes */
	void		*b_data;	/* [b] the block */
	int		 b_flags;	/* [c] B_* */
	int		 b_error;	/* [b] the last I/O's, 0 or -errno */
	uint8_t		 b_fstag;	/* [b] its filesystem's note on b_data:
					   0 when read from the disk or got by
					   getblk (eclipsefs: efs_bh's
					   bh_checked) */
	uint64_t	 b_dirty_ns;	/* [c] when it became dirty */
	struct blkdev	*b_bd;		/* [I] */
	struct buf	*b_hnext;	/* [c] hash chain */
	struct buf	*b_lprev;	/* [c] LRU (unheld buffers only) */
	struct buf	*b_lnext;	/* [c] */
};
#define B_BUSY		0x01	/* held by a caller or by its I/O */
#define B_VALID		0x02	/* b_data holds the block */
#define B_DIRTY		0x04	/* b_data is newer than the disk */
#define B_STALE		0x08	/* drop when released (the disk changed) */
#define B_ASYNC		0x10	/* the I/O's completion releases it */
#define B_WANTED	0x20	/* someone sleeps on it */
#define B_JPIN		0x40	/* in a journal's running transaction */
#define B_RAHEAD	0x80	/* read ahead, not yet asked for: its first
				   bread_hit counts as a miss (a disk read) */

/* The block at blkno of dev, read if needed, held.  0 or -errno. */
int	bread(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp);
/* bread, and *hitp: the cache had it (no disk read). */
int	bread_hit(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp,
	    bool *hitp);
/* The block held, not read (the caller fills it all).  0 or -errno. */
int	getblk(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp);
/*
 * The cached buffer of (dev, blkno), held, when the cache has it valid
 * (dirty or not): 0; -ENOENT (nothing held) when it has not.  Never
 * reads the disk; waits for a busy buffer (its I/O, its holder).
 */
int	buf_peek(uint32_t dev, uint64_t blkno, size_t size, struct buf **bpp);
/* Release a held buffer unchanged. */
void	brelse(struct buf *bp);
/*
 * Release a held buffer and drop it from the cache, changes and all:
 * its owner writes the block to the disk by itself (pinned: kept).
 */
void	bforget(struct buf *bp);
/* Release a changed buffer for the flusher to write. */
void	bdwrite(struct buf *bp);
/* Write a held buffer now and wait; releases it.  0 or -errno. */
int	bwrite(struct buf *bp);
/* Start writing a held buffer; its completion releases it. */
void	bawrite(struct buf *bp);
/* Pin a held buffer (see above); true if it was pinned already. */
bool	buf_pin(struct buf *bp);
/* Unpin a held buffer: dirty, it ages from now for the flusher. */
void	buf_unpin(struct buf *bp);
/*
 * Write every dirty unpinned buffer of dev (0: every device), and wait
 * for them and for every write already under way.  0/-errno.
 */
int	buf_sync_dev(uint32_t dev);
/* buf_sync_dev, then the disk's cache flush: a barrier.  0 or -errno. */
int	buf_flush_dev(uint32_t dev);
/*
 * The disk changed under the cache (a raw write, BLKFLSBUF): drop the
 * buffers of dev overlapping n sectors at sector (held ones when they
 * are released; dirty ones lose their changes; pinned ones stay).
 * Never sleeps.
 */
void	buf_invalidate_range(uint32_t dev, uint64_t sector, uint64_t n);
/*
 * A filesystem freed n blocks of size bytes from sector: drop their
 * cached buffers as buf_invalidate_range does (dirty ones lose their
 * changes, which nobody needs; pinned ones stay), looking each block up
 * rather than walking the cache when n is small.  Never sleeps.
 */
void	buf_discard(uint32_t dev, uint64_t sector, size_t size, uint64_t n);
/*
 * Drop every clean, unheld, unpinned buffer (/proc/sys/vm/drop_caches;
 * dirty ones stay and nothing is written).  Never sleeps.  How many.
 */
uint64_t buf_drop_clean(void);
/*
 * Bytes of the buffers buf_drop_clean() would drop now (clean, unheld,
 * unpinned): what the cache could give back (MemAvailable).  Takes
 * buf_lock.
 */
uint64_t buf_clean_bytes(void);
/* Cache counters, for tests: buffers, hits, misses, read-aheads. */
struct buf_stats {
	uint64_t	bs_nbuf;
	uint64_t	bs_bytes;
	uint64_t	bs_limit;
	uint64_t	bs_hits;
	uint64_t	bs_misses;
	uint64_t	bs_readahead;
	uint64_t	bs_writes;
	uint64_t	bs_wdone;	/* writes ended (a journal's barrier) */
	uint64_t	bs_evictions;
};
void	buf_stats(struct buf_stats *bs);
/* Set the cache's size limit in bytes (tests); 0: the default. */
void	buf_set_limit(uint64_t bytes);

#endif /* _SYS_BUF_H_ */
