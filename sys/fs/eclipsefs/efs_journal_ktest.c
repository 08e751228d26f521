/*
 * ktests of the eclipsefs journal (efs_journal.c) and of the buffer
 * cache's pinning, on memory disks that model a volatile write cache.
 *
 * A journal disk (struct jmd) keeps what reads see (jm_cur) apart from
 * what survives a power cut (jm_durable): a write lands in jm_cur and in
 * a log of the writes since the last flush; a flush makes them durable
 * (unless the test holds the disk's durable state, to look at the
 * writes of a commit afterwards).  A power cut is modelled by copying
 * the durable state plus any chosen subset of the unflushed writes, in
 * their order, onto a second disk: what a disk cache that lost the rest
 * would leave.  Mounting that copy replays its journal with the
 * library's efs_journal_replay, in the same boot, so the tests see what
 * a reboot after the cut would find.
 *
 * The disks use the "ktj" prefix (major 241, a test fixture's) and
 * are made once and kept.
 */
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>

#include "efs_kern.h"
#include "efs_ktest.h"

#define JMD_BLOCKS	1000		/* under kmalloc's 4 MiB blocks */
#define JMD_SIZE	((size_t)JMD_BLOCKS * EFS_BLOCK_SIZE)
#define JMD_LOGMAX	512		/* unflushed block writes kept */
#define JMD_EVMAX	1024		/* events recorded */
#define JMD_FLUSH	UINT64_MAX	/* an event that is a flush */
#define KT_MODE_REG	0100644

/* A block written (not flushed yet, or recorded), or a recorded flush. */
struct jmd_w {
	uint64_t	 w_blkno;
	uint8_t		*w_data;
};

struct jmd {
	struct disk	 jm_disk;
	struct spinlock	 jm_lock;	/* the fields below */
	uint8_t		*jm_cur;
	uint8_t		*jm_durable;
	struct jmd_w	 jm_log[JMD_LOGMAX];
	unsigned	 jm_nlog;
	bool		 jm_overflow;	/* more than JMD_LOGMAX: a test bug */
	bool		 jm_hold;	/* flushes leave jm_durable alone */
	unsigned	 jm_writes;
	unsigned	 jm_flushes;
	bool		 jm_rec;	/* record events */
	struct jmd_w	*jm_ev;		/* JMD_EVMAX of them */
	unsigned	 jm_nev;
};

static struct jmd *jmd_a, *jmd_b;

/* Record an event when recording (jm_lock held). */
static void
jmd_record(struct jmd *md, uint64_t blkno, const uint8_t *data)
{
	if (!md->jm_rec)
		return;
	if (md->jm_nev == JMD_EVMAX) {
		md->jm_overflow = true;
		return;
	}
	md->jm_ev[md->jm_nev].w_blkno = blkno;
	if (data != NULL)
		memcpy(md->jm_ev[md->jm_nev].w_data, data, EFS_BLOCK_SIZE);
	md->jm_nev++;
}

/* A block write: in jm_cur and in the log (sectors in whole blocks). */
static void
jmd_write(struct jmd *md, uint64_t sector, const uint8_t *p, size_t len)
{
	uint64_t off = sector * DEV_BSIZE, b;
	size_t i;

	memcpy(md->jm_cur + off, p, len);
	md->jm_writes++;
	for (i = 0; i < len; i += EFS_BLOCK_SIZE) {
		b = (off + i) / EFS_BLOCK_SIZE;
		jmd_record(md, b, p + i);
		if (md->jm_nlog == JMD_LOGMAX) {
			md->jm_overflow = true;
			continue;
		}
		md->jm_log[md->jm_nlog].w_blkno = b;
		memcpy(md->jm_log[md->jm_nlog].w_data,
		    md->jm_cur + b * EFS_BLOCK_SIZE, EFS_BLOCK_SIZE);
		md->jm_nlog++;
	}
}

static void
jmd_flush(struct jmd *md)
{
	unsigned i;
	uint64_t b;

	md->jm_flushes++;
	jmd_record(md, JMD_FLUSH, NULL);
	if (md->jm_hold)
		return;
	for (i = 0; i < md->jm_nlog; i++) {
		b = md->jm_log[i].w_blkno;
		memcpy(md->jm_durable + b * EFS_BLOCK_SIZE,
		    md->jm_log[i].w_data, EFS_BLOCK_SIZE);
	}
	md->jm_nlog = 0;
}

static int
jmd_strategy(struct disk *dp, struct bio *bp)
{
	struct jmd *md = dp->d_softc;
	uint64_t off = bp->bio_sector * DEV_BSIZE;

	bp->bio_error = 0;
	spin_lock(&md->jm_lock);
	if (bp->bio_cmd == BIO_FLUSH)
		jmd_flush(md);
	else if (bp->bio_cmd == BIO_READ)
		memcpy(bp->bio_data, md->jm_cur + off, bp->bio_len);
	else if (off % EFS_BLOCK_SIZE != 0 || bp->bio_len % EFS_BLOCK_SIZE)
		bp->bio_error = -EIO;	/* the tests write whole blocks */
	else if (bp->bio_cmd == BIO_WRITE)
		jmd_write(md, bp->bio_sector, bp->bio_data, bp->bio_len);
	spin_unlock(&md->jm_lock);
	bio_done(bp);
	return 0;
}

static struct jmd *
jmd_make(void)
{
	struct jmd *md;
	unsigned i;

	if ((md = kmalloc(sizeof(*md), M_ZERO)) == NULL ||
	    (md->jm_cur = kmalloc(JMD_SIZE, M_ZERO)) == NULL ||
	    (md->jm_durable = kmalloc(JMD_SIZE, M_ZERO)) == NULL)
		return NULL;
	for (i = 0; i < JMD_LOGMAX; i++)
		if ((md->jm_log[i].w_data = kmalloc(EFS_BLOCK_SIZE, 0)) ==
		    NULL)
			return NULL;
	spin_init(&md->jm_lock, "ktjmd");
	if (disk_ktest_attach(&md->jm_disk, "ktj", JMD_SIZE / DEV_BSIZE,
	    jmd_strategy, md) < 0)
		return NULL;
	return md;
}

/* The two disks: a (the mounted one) and b (a power cut's copy). */
static bool
jmd_get(void)
{
	if (jmd_a == NULL)
		jmd_a = jmd_make();
	if (jmd_b == NULL)
		jmd_b = jmd_make();
	return jmd_a != NULL && jmd_b != NULL;
}

/* Drop dev's cached blocks: the disk changed under the cache. */
static void
jmd_uncache(struct jmd *md)
{
	buf_invalidate_range(md->jm_disk.d_dev, 0, JMD_SIZE / DEV_BSIZE);
}

/*
 * The power cut: b becomes a's durable state plus the unflushed writes
 * whose bit is set in keep (bit i: the i-th unflushed write), in order.
 */
static void
jmd_cut(const uint64_t *keep)
{
	unsigned i;
	uint64_t b;

	spin_lock(&jmd_a->jm_lock);
	memcpy(jmd_b->jm_cur, jmd_a->jm_durable, JMD_SIZE);
	for (i = 0; i < jmd_a->jm_nlog; i++) {
		if (!(keep[i / 64] & (1ULL << (i % 64))))
			continue;
		b = jmd_a->jm_log[i].w_blkno;
		memcpy(jmd_b->jm_cur + b * EFS_BLOCK_SIZE,
		    jmd_a->jm_log[i].w_data, EFS_BLOCK_SIZE);
	}
	spin_unlock(&jmd_a->jm_lock);
	jmd_b->jm_nlog = 0;	/* b's durable state is never looked at */
	jmd_uncache(jmd_b);
}

/* Block b of a disk's jm_cur, for efs_ktest_mkfs. */
static uint8_t *
kt_block(void *arg, uint64_t blkno)
{
	struct jmd *md = arg;

	return md->jm_cur + blkno * EFS_BLOCK_SIZE;
}

/*
 * A fresh filesystem on a with ipg inodes per group (0: the default)
 * and a journal of jblocks, all durable.
 */
static int
kt_mkfs(uint32_t ipg, uint32_t jblocks)
{
	struct efs_ktest_fmt km = {
		.km_block = kt_block,
		.km_arg = jmd_a,
		.km_blocks = JMD_BLOCKS,
		.km_ipg = ipg,
		.km_jblocks = jblocks,
		.km_uuid0 = 0x40,
		.km_hash_seed = 0x1234567,
	};
	int error;

	spin_lock(&jmd_a->jm_lock);
	memset(jmd_a->jm_cur, 0, JMD_SIZE);
	spin_unlock(&jmd_a->jm_lock);
	error = efs_ktest_mkfs(&km);
	spin_lock(&jmd_a->jm_lock);
	memcpy(jmd_a->jm_durable, jmd_a->jm_cur, JMD_SIZE);
	jmd_a->jm_nlog = 0;
	jmd_a->jm_hold = false;
	jmd_a->jm_overflow = false;
	spin_unlock(&jmd_a->jm_lock);
	jmd_uncache(jmd_a);
	return error;
}

/* A mounted volume, as the VFS side sets it up. */
struct kt_vol {
	struct efs_vol	 kt_v;
	struct efs_kvol	 kt_kv;
	struct efs_stats kt_st;
	struct mutex	 kt_lock;
	struct efs_group *kt_groups;
	struct efs_journal *kt_j;
	unsigned	 kt_damaged;
};

static void
kt_damaged(void *arg)
{
	((struct kt_vol *)arg)->kt_damaged++;
}

/* Open md's filesystem and start its journal (replaying it): 0/-errno. */
static int
kt_open(struct kt_vol *kt, struct jmd *md)
{
	struct buf *bp;
	uint32_t ng;
	int error;

	memset(kt, 0, sizeof(*kt));
	mtx_init(&kt->kt_lock, "ktefs");
	kt->kt_kv.kv_dev = md->jm_disk.d_dev;
	kt->kt_kv.kv_stats = &kt->kt_st;
	kt->kt_kv.kv_lock = &kt->kt_lock;
	kt->kt_kv.kv_damaged = kt_damaged;
	kt->kt_kv.kv_damaged_arg = kt;
	kt->kt_v.vl_ops = &efs_kern_ops;
	kt->kt_v.vl_arg = &kt->kt_kv;
	if ((error = bread(md->jm_disk.d_dev, 0, EFS_BLOCK_SIZE, &bp)) < 0)
		return error;
	ng = efs_vol_ngroups(bp->b_data);
	brelse(bp);
	if (ng == 0 || ng > 16)
		return -EUCLEAN;
	if ((kt->kt_groups = kmalloc(ng * sizeof(struct efs_group),
	    M_ZERO)) == NULL)
		return -ENOMEM;
	mtx_lock(&kt->kt_lock);
	error = efs_vol_open(&kt->kt_v, JMD_BLOCKS, kt->kt_groups, ng);
	if (error == 0)
		error = efs_journal_start(&kt->kt_v, &kt->kt_j);
	mtx_unlock(&kt->kt_lock);
	if (error < 0)
		kfree(kt->kt_groups);
	return error;
}

static int
kt_close(struct kt_vol *kt)
{
	int error;

	mtx_lock(&kt->kt_lock);
	error = efs_journal_stop(kt->kt_j);
	mtx_unlock(&kt->kt_lock);
	kfree(kt->kt_groups);
	return error;
}

/*
 * One operation: a new regular file inode (3 metadata blocks), with
 * data when withdata (a block of the byte ino, written through the
 * cache like file data: not journaled; and the block bitmap).
 */
static int
kt_newfile(struct kt_vol *kt, uint64_t *ino, bool withdata)
{
	struct efs_inode ip;
	struct buf *bp;
	uint64_t pblk;
	uint32_t got;
	int error;

	if ((error = efs_inode_alloc(&kt->kt_v, EFS_ROOT_INO, false, ino)) < 0)
		return error;
	efs_inode_init(&ip, KT_MODE_REG, 0, 0, 1700000001, 0);
	ip.i_size = *ino * 1000;
	if (withdata) {
		if ((error = efs_balloc(&kt->kt_v, *ino, &ip, 0, 1, false,
		    &pblk, &got)) < 0)
			return error;
		if ((error = getblk(kt->kt_kv.kv_dev, pblk *
		    EFS_SECTORS_PER_BLOCK, EFS_BLOCK_SIZE, &bp)) < 0)
			return error;
		memset(bp->b_data, (int)(uint8_t)*ino, EFS_BLOCK_SIZE);
		bdwrite(bp);
	}
	return efs_inode_write(&kt->kt_v, *ino, &ip);
}

/* Its data block, if it has one, holds the byte ino: 0 or -1. */
static int
kt_checkdata(struct kt_vol *kt, uint64_t ino, struct efs_inode *ip)
{
	struct buf *bp;
	uint64_t pblk;
	uint32_t len;
	uint8_t *p;
	int i, ok = 0;

	if (efs_bmap(&kt->kt_v, ip, 0, &pblk, &len) < 0)
		return -1;
	if (pblk == 0)
		return ip->i_blocks == 0 ? 0 : -1;
	if (bread(kt->kt_kv.kv_dev, pblk * EFS_SECTORS_PER_BLOCK,
	    EFS_BLOCK_SIZE, &bp) < 0)
		return -1;
	p = bp->b_data;
	for (i = 0; i < EFS_BLOCK_SIZE; i++)
		if (p[i] != (uint8_t)ino)
			ok = -1;
	brelse(bp);
	return ok;
}

/*
 * Does the volume hold file ino as kt_newfile made it (its data too)?
 * 1, 0, or -1 (half of it, or its data lost).
 */
static int
kt_hasfile(struct kt_vol *kt, uint64_t ino)
{
	struct efs_inode ip;
	int used;

	mtx_lock(&kt->kt_lock);
	used = efs_inode_used(&kt->kt_v, ino);
	if (used == 1 && (efs_inode_read(&kt->kt_v, ino, &ip) < 0 ||
	    ip.i_mode != KT_MODE_REG || ip.i_size != ino * 1000 ||
	    kt_checkdata(kt, ino, &ip) < 0))
		used = -1;
	mtx_unlock(&kt->kt_lock);
	return used;
}

/* KT_ASSERT that goes on (*badp set): the test still cleans up. */
#define KT_CHECK(badp, cond)						\
	do {								\
		if (!(cond)) {						\
			kprintf("ktest: check failed: %s (%s:%d)\n",	\
			    #cond, __FILE__, __LINE__);			\
			*(badp) = true;					\
		}							\
	} while (0)

/*
 * The pin rule: a pinned dirty buffer is not written by buf_sync_dev,
 * by eviction or dropped by buf_invalidate_range; unpinned, it is.
 * The block starts zeroed on the disk and uncached, and the buffer is
 * unpinned and the cache's limit restored whatever a check finds, so
 * that the test may run again in the same boot and no pinned buffer is
 * left for the tests after it (mkfs of the disk could not drop it).
 */
KTEST(efs_journal_pin)
{
	struct buf_stats bs;
	struct buf *bp;
	uint32_t dev;
	uint64_t sec = 100 * EFS_SECTORS_PER_BLOCK;
	unsigned w;
	bool bad = false;

	KT_ASSERT(jmd_get());
	dev = jmd_a->jm_disk.d_dev;
	spin_lock(&jmd_a->jm_lock);
	memset(jmd_a->jm_cur + 100 * EFS_BLOCK_SIZE, 0, EFS_BLOCK_SIZE);
	spin_unlock(&jmd_a->jm_lock);
	buf_invalidate_range(dev, sec, EFS_SECTORS_PER_BLOCK);
	KT_ASSERT(getblk(dev, sec, EFS_BLOCK_SIZE, &bp) == 0);
	if (bp->b_flags & B_JPIN) {
		kprintf("ktest: block 100 of %s is pinned already\n",
		    jmd_a->jm_disk.d_name);
		brelse(bp);
		return -1;
	}
	memset(bp->b_data, 0x5a, EFS_BLOCK_SIZE);
	KT_CHECK(&bad, !buf_pin(bp));
	KT_CHECK(&bad, buf_pin(bp));
	bdwrite(bp);
	w = jmd_a->jm_writes;
	KT_CHECK(&bad, buf_sync_dev(dev) == 0);
	KT_CHECK(&bad, buf_flush_dev(dev) == 0);
	KT_CHECK(&bad, jmd_a->jm_writes == w);
	KT_CHECK(&bad, jmd_a->jm_cur[100 * EFS_BLOCK_SIZE] != 0x5a);
	/* Eviction (a tiny cache) and invalidation leave it. */
	buf_stats(&bs);
	buf_set_limit(64 * 1024);
	buf_invalidate_range(dev, sec, EFS_SECTORS_PER_BLOCK);
	KT_CHECK(&bad, jmd_a->jm_writes == w);
	/* A pinned buffer is cached, valid: bread cannot fail. */
	KT_ASSERT(bread(dev, sec, EFS_BLOCK_SIZE, &bp) == 0);
	buf_set_limit(bs.bs_limit);
	KT_CHECK(&bad, ((uint8_t *)bp->b_data)[4095] == 0x5a);
	KT_CHECK(&bad, bp->b_flags & B_JPIN);
	if (bp->b_flags & B_JPIN)
		buf_unpin(bp);
	brelse(bp);
	KT_CHECK(&bad, buf_sync_dev(dev) == 0);
	KT_CHECK(&bad, jmd_a->jm_writes == w + 1);
	KT_CHECK(&bad, jmd_a->jm_cur[100 * EFS_BLOCK_SIZE + 4095] == 0x5a);
	return bad ? -1 : 0;
}

/*
 * A committed transaction: the log and the commit block are durable
 * before efs_journal_commit returns, the homes are not written yet
 * (pinned, then left to the flusher), and a power cut right then loses
 * nothing: the copy's replay restores the blocks.
 */
KTEST(efs_journal_commit_replay)
{
	struct kt_vol kt, kb;
	uint64_t keep[JMD_LOGMAX / 64], ino;
	unsigned f, w;

	KT_ASSERT(jmd_get());
	KT_ASSERT(kt_mkfs(0, 64) == 0);
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	KT_ASSERT(kt.kt_st.es_replayed == 0);
	mtx_lock(&kt.kt_lock);
	KT_ASSERT(kt_newfile(&kt, &ino, false) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	/* Pinned: a sync writes none of it home. */
	w = jmd_a->jm_writes;
	KT_ASSERT(buf_sync_dev(jmd_a->jm_disk.d_dev) == 0);
	KT_ASSERT(jmd_a->jm_writes == w);
	f = jmd_a->jm_flushes;
	KT_ASSERT(efs_journal_commit(kt.kt_j) == 0);
	mtx_unlock(&kt.kt_lock);
	KT_ASSERT(jmd_a->jm_flushes == f + 1);	/* no data: one flush */
	KT_ASSERT(kt.kt_st.es_commits == 1);
	KT_ASSERT(kt.kt_st.es_commit_blocks == 5);	/* desc, 3, commit */
	/* The power cut now: the durable state only. */
	memset(keep, 0, sizeof(keep));
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 1);
	KT_ASSERT(kt_hasfile(&kb, ino) == 1);
	KT_ASSERT(kb.kt_damaged == 0);
	KT_ASSERT(kt_close(&kb) == 0);
	/* A second mount of the copy finds an empty journal. */
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 0);
	KT_ASSERT(kt_hasfile(&kb, ino) == 1);
	KT_ASSERT(kt_close(&kb) == 0);
	/* The original's clean stop leaves it home, journal empty. */
	KT_ASSERT(kt_close(&kt) == 0);
	KT_ASSERT(jmd_a->jm_nlog == 0);
	memset(keep, 0, sizeof(keep));
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 0);
	KT_ASSERT(kt_hasfile(&kb, ino) == 1);
	KT_ASSERT(kt_close(&kb) == 0);
	return 0;
}

/* The index of the first unflushed write of a starting with magic, or -1. */
static int
jmd_find(uint32_t magic)
{
	uint32_t m;
	unsigned i;

	for (i = 0; i < jmd_a->jm_nlog; i++) {
		memcpy(&m, jmd_a->jm_log[i].w_data, sizeof(m));
		if (m == magic)
			return (int)i;
	}
	return -1;
}

/*
 * Torn transactions are not replayed: the commit block lost, or a copy
 * lost (the commit checksum fails), or any random subset of the commit's
 * writes - the file is there after the cut exactly when every write of
 * the transaction landed.
 */
KTEST(efs_journal_torn)
{
	struct kt_vol kt, kb;
	uint64_t keep[JMD_LOGMAX / 64], all, seed = 0x9e3779b97f4a7c15ULL;
	uint64_t ino;
	int c, d, i, n;

	KT_ASSERT(jmd_get());
	KT_ASSERT(kt_mkfs(0, 64) == 0);
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	/* Hold the durable state: the commit's writes stay "in cache". */
	jmd_a->jm_hold = true;
	mtx_lock(&kt.kt_lock);
	KT_ASSERT(kt_newfile(&kt, &ino, false) == 0);
	KT_ASSERT(efs_journal_commit(kt.kt_j) == 0);
	mtx_unlock(&kt.kt_lock);
	n = (int)jmd_a->jm_nlog;
	c = jmd_find(EFS_JCOMMIT_MAGIC);
	d = jmd_find(EFS_JDESC_MAGIC);
	KT_ASSERT(!jmd_a->jm_overflow);
	KT_ASSERT(n == 5 && c == 4 && d == 0);
	all = (1ULL << n) - 1;
	memset(keep, 0, sizeof(keep));
	/* Everything landed: replayed. */
	keep[0] = all;
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 1 && kt_hasfile(&kb, ino) == 1);
	KT_ASSERT(kt_close(&kb) == 0);
	/* No commit block. */
	keep[0] = all & ~(1ULL << c);
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 0 && kt_hasfile(&kb, ino) == 0);
	KT_ASSERT(kt_close(&kb) == 0);
	/* A copy lost: the commit's checksum does not verify. */
	keep[0] = all & ~(1ULL << 2);
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 0 && kt_hasfile(&kb, ino) == 0);
	KT_ASSERT(kt_close(&kb) == 0);
	/* Random subsets. */
	for (i = 0; i < 12; i++) {
		keep[0] = ktest_rand(&seed) & all;
		jmd_cut(keep);
		KT_ASSERT(kt_open(&kb, jmd_b) == 0);
		KT_ASSERT(kt_hasfile(&kb, ino) == (keep[0] == all));
		KT_ASSERT(kb.kt_st.es_replayed == (keep[0] == all));
		KT_ASSERT(kt_close(&kb) == 0);
	}
	jmd_a->jm_hold = false;
	KT_ASSERT(kt_close(&kt) == 0);
	return 0;
}

/* The free blocks of kt's volume, from its groups' counts. */
static uint64_t
kt_free_count(struct kt_vol *kt)
{
	uint64_t n = 0;
	uint32_t g;

	for (g = 0; g < kt->kt_v.vl_sb.sb_group_count; g++)
		n += kt->kt_groups[g].bg_free_blocks;
	return n;
}

/*
 * A freed block is clear in the bitmap at once, in the freeing
 * transaction (a power cut right after its commit finds it free: no
 * leak, no second transaction), but it is not handed out again until
 * the journal is checkpointed (a commit with freed blocks checkpoints,
 * as does efs_journal_reclaim); then it is.
 */
KTEST(efs_journal_free)
{
	struct kt_vol kt, kb;
	uint64_t keep[JMD_LOGMAX / 64], b, b2, free0;
	uint32_t got, got2;

	KT_ASSERT(jmd_get());
	KT_ASSERT(kt_mkfs(0, 64) == 0);
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	mtx_lock(&kt.kt_lock);
	KT_ASSERT(efs_block_alloc(&kt.kt_v, 0, 4, &b, &got) == 0);
	KT_ASSERT(got >= 1);
	KT_ASSERT(efs_journal_commit(kt.kt_j) == 0);
	KT_ASSERT(kt.kt_st.es_checkpoints == 0);
	free0 = kt_free_count(&kt);
	KT_ASSERT(efs_block_free(&kt.kt_v, b, got) == 0);
	/* Clear and counted free at once... */
	KT_ASSERT(efs_block_used(&kt.kt_v, b) == 0);
	KT_ASSERT(efs_block_used(&kt.kt_v, b + got - 1) == 0);
	KT_ASSERT(kt_free_count(&kt) == free0 + got);
	/* ... but quarantined: an allocation aimed at it gets another. */
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 + got2 <= b || b2 >= b + got);
	KT_ASSERT(efs_block_free(&kt.kt_v, b2, got2) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 + got2 <= b || b2 >= b + got);
	KT_ASSERT(efs_block_free(&kt.kt_v, b2, got2) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	/* The commit frees them on the disk; no checkpoint, no release. */
	KT_ASSERT(efs_journal_commit(kt.kt_j) == 0);
	KT_ASSERT(kt.kt_st.es_checkpoints == 0);
	KT_ASSERT(kt.kt_st.es_commits == 2);
	KT_ASSERT(kt_free_count(&kt) == free0 + got);
	mtx_unlock(&kt.kt_lock);
	/* A power cut now: the disk has the block free, and nothing else. */
	memset(keep, 0, sizeof(keep));
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	mtx_lock(&kb.kt_lock);
	KT_ASSERT(efs_block_used(&kb.kt_v, b) == 0);
	KT_ASSERT(kt_free_count(&kb) == free0 + got);
	mtx_unlock(&kb.kt_lock);
	KT_ASSERT(kb.kt_damaged == 0);
	KT_ASSERT(kt_close(&kb) == 0);
	/* Quarantined until a checkpoint, which reclaim makes... */
	mtx_lock(&kt.kt_lock);
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 + got2 <= b || b2 >= b + got);
	KT_ASSERT(efs_block_free(&kt.kt_v, b2, got2) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	KT_ASSERT(efs_journal_reclaim(kt.kt_j) == 1);
	KT_ASSERT(kt.kt_st.es_checkpoints == 1);
	/* ...after which it is handed out again. */
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 == b && got2 == 1);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	/* Freed again: efs_journal_reclaim ends the quarantine at once. */
	KT_ASSERT(efs_block_free(&kt.kt_v, b, 1) == 0);
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 != b);
	KT_ASSERT(efs_block_free(&kt.kt_v, b2, got2) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	KT_ASSERT(efs_journal_reclaim(kt.kt_j) == 1);
	KT_ASSERT(kt.kt_st.es_checkpoints == 2);
	KT_ASSERT(efs_journal_reclaim(kt.kt_j) == 0);
	KT_ASSERT(efs_block_alloc(&kt.kt_v, b, 1, &b2, &got2) == 0);
	KT_ASSERT(b2 == b);
	KT_ASSERT(efs_block_free(&kt.kt_v, b, 1) == 0);
	mtx_unlock(&kt.kt_lock);
	KT_ASSERT(kt_close(&kt) == 0);
	return 0;
}

/*
 * One operation that dirties more than the journal can hold is refused
 * with -ENOSPC, the volume reported damaged, and nothing of it reaches
 * the disk; the journal then refuses commits.
 */
KTEST(efs_journal_overflow)
{
	struct efs_inode ip;
	struct kt_vol kt, kb;
	uint64_t keep[JMD_LOGMAX / 64], ino, itable;
	uint16_t mode;
	int i;

	KT_ASSERT(jmd_get());
	KT_ASSERT(kt_mkfs(512, 16) == 0);
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	mtx_lock(&kt.kt_lock);
	/* 20 inode-table blocks: inodes 16 apart (the journal has 15). */
	itable = kt.kt_groups[0].bg_inode_table;
	for (i = 0; i < 20; i++) {
		ino = 33 + (uint64_t)i * EFS_INODES_PER_BLOCK;
		efs_inode_init(&ip, KT_MODE_REG, 0, 0, 1700000002, 0);
		KT_ASSERT(efs_inode_write(&kt.kt_v, ino, &ip) == 0);
	}
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == -ENOSPC);
	KT_ASSERT(kt.kt_damaged == 1);
	KT_ASSERT(efs_journal_commit(kt.kt_j) == -EROFS);
	mtx_unlock(&kt.kt_lock);
	KT_ASSERT(kt_close(&kt) < 0);
	memset(keep, 0, sizeof(keep));
	jmd_cut(keep);
	KT_ASSERT(kt_open(&kb, jmd_b) == 0);
	KT_ASSERT(kb.kt_st.es_replayed == 0);
	KT_ASSERT(kt_close(&kb) == 0);
	for (i = 0; i < 20; i++) {
		ino = 33 + (uint64_t)i * EFS_INODES_PER_BLOCK;
		memcpy(&mode, jmd_b->jm_cur + itable * EFS_BLOCK_SIZE +
		    (ino - 1) * EFS_INODE_SIZE, sizeof(mode));
		KT_ASSERT(mode == 0);
	}
	return 0;
}

/* Start recording a's events (the buffers are made once). */
static bool
jmd_rec_start(void)
{
	unsigned i;

	if (jmd_a->jm_ev == NULL) {
		if ((jmd_a->jm_ev = kmalloc(JMD_EVMAX * sizeof(struct jmd_w),
		    M_ZERO)) == NULL)
			return false;
		for (i = 0; i < JMD_EVMAX; i++)
			if ((jmd_a->jm_ev[i].w_data = kmalloc(EFS_BLOCK_SIZE,
			    0)) == NULL)
				return false;
	}
	spin_lock(&jmd_a->jm_lock);
	jmd_a->jm_nev = 0;
	jmd_a->jm_rec = true;
	spin_unlock(&jmd_a->jm_lock);
	return true;
}

/*
 * The power cut after the first k recorded events of a, from the state
 * base: every write up to the last flush before k lands; of the writes
 * after it, each lands or not (seed), in order - or, with seed NULL,
 * exactly those to blocks [lo, hi) (the journal: the worst case for
 * ordered data).  The result on b.
 */
static void
jmd_cut_at(const uint8_t *base, unsigned k, uint64_t *seed, uint64_t lo,
    uint64_t hi)
{
	unsigned i, f = 0;
	uint64_t b;

	for (i = 0; i < k; i++)
		if (jmd_a->jm_ev[i].w_blkno == JMD_FLUSH)
			f = i + 1;
	memcpy(jmd_b->jm_cur, base, JMD_SIZE);
	for (i = 0; i < k; i++) {
		b = jmd_a->jm_ev[i].w_blkno;
		if (b == JMD_FLUSH || (i >= f && seed != NULL &&
		    (ktest_rand(seed) & 1)) || (i >= f && seed == NULL &&
		    (b < lo || b >= hi)))
			continue;
		memcpy(jmd_b->jm_cur + b * EFS_BLOCK_SIZE,
		    jmd_a->jm_ev[i].w_data, EFS_BLOCK_SIZE);
	}
	jmd_b->jm_nlog = 0;	/* b's durable state is never looked at */
	jmd_uncache(jmd_b);
}

#define KT_NFILES	24

/*
 * The next cut after k of nev events: pass 0 every other event and the
 * last, pass 1 each flush event (*passp 2: done).
 */
static unsigned
kt_nextcut(unsigned k, unsigned nev, unsigned *passp)
{
	if (*passp == 0) {
		if (k < nev)
			return MIN(k + 2, nev);
		*passp = 1;
		k = 0;
	} else {
		k++;
	}
	while (k < nev && jmd_a->jm_ev[k].w_blkno != JMD_FLUSH)
		k++;
	if (k >= nev)
		*passp = 2;
	return k;
}

/*
 * Power cuts at every other point of a workload (files with a data
 * block created, fsync'd every third, homes written as the flusher
 * would, blocks freed so that checkpoints and releases happen), each
 * with a random subset of the writes since the last flush lost: every
 * copy mounts, replays, is not damaged, holds each file whole (data
 * included: ordered mode) or not at all, and holds every file
 * whose fsync had returned.
 */
KTEST(efs_journal_cuts)
{
	struct kt_vol kt, kb;
	uint64_t ino[KT_NFILES], b, seed = 0x2545f4914f6cdd1dULL, itable;
	uint64_t lo, hi;
	unsigned fsynced[KT_NFILES], k, nev, pass, cuts = 0;
	uint8_t *base;
	uint16_t mode;
	uint32_t got;
	int i, j, has;

	KT_ASSERT(jmd_get());
	KT_ASSERT((base = kmalloc(JMD_SIZE, 0)) != NULL);
	KT_ASSERT(kt_mkfs(0, 64) == 0);
	memcpy(base, jmd_a->jm_durable, JMD_SIZE);
	KT_ASSERT(jmd_rec_start());
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	itable = kt.kt_groups[0].bg_inode_table;
	mtx_lock(&kt.kt_lock);
	for (i = 0; i < KT_NFILES; i++) {
		fsynced[i] = JMD_EVMAX + 1;
		KT_ASSERT(kt_newfile(&kt, &ino[i], true) == 0);
		KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
		if (i % 4 == 1) {
			KT_ASSERT(efs_block_alloc(&kt.kt_v, 0, 3, &b,
			    &got) == 0);
			KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
			KT_ASSERT(efs_block_free(&kt.kt_v, b, got) == 0);
			KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
		}
		if (i % 3 == 2) {
			KT_ASSERT(efs_journal_commit(kt.kt_j) == 0);
			for (j = 0; j <= i; j++)
				if (fsynced[j] == JMD_EVMAX + 1)
					fsynced[j] = jmd_a->jm_nev;
		}
		if (i % 5 == 4)
			KT_ASSERT(buf_sync_dev(jmd_a->jm_disk.d_dev) == 0);
	}
	mtx_unlock(&kt.kt_lock);
	KT_ASSERT(kt_close(&kt) == 0);
	jmd_a->jm_rec = false;
	nev = jmd_a->jm_nev;
	KT_ASSERT(!jmd_a->jm_overflow);
	KT_ASSERT(kt.kt_st.es_checkpoints >= 2);
	kprintf("ktest: efs_journal_cuts: %u events, %llu commits, "
	    "%llu checkpoints\n", nev, (unsigned long long)kt.kt_st.es_commits,
	    (unsigned long long)kt.kt_st.es_checkpoints);
	/*
	 * Every other event (both kinds of cut are a few writes apart),
	 * then right before every flush with only the journal's writes
	 * since the previous flush landed.
	 */
	lo = kt.kt_v.vl_sb.sb_journal_start;
	hi = lo + kt.kt_v.vl_sb.sb_journal_blocks;
	for (k = 0, pass = 0; pass < 2; k = kt_nextcut(k, nev, &pass)) {
		jmd_cut_at(base, k, pass == 0 ? &seed : NULL, lo, hi);
		KT_ASSERT(kt_open(&kb, jmd_b) == 0);
		KT_ASSERT(kb.kt_damaged == 0);
		for (i = 0; i < KT_NFILES; i++) {
			has = kt_hasfile(&kb, ino[i]);
			KT_ASSERT(has == 0 || has == 1);
			if (k >= fsynced[i] && has != 1) {
				kprintf("ktest: cut %u: file %d (fsync at %u) "
				    "lost\n", k, i, fsynced[i]);
				KT_ASSERT(has == 1);
			}
			memcpy(&mode, jmd_b->jm_cur + itable *
			    EFS_BLOCK_SIZE + (ino[i] - 1) * EFS_INODE_SIZE,
			    sizeof(mode));
			KT_ASSERT(has == 1 || mode == 0);
		}
		KT_ASSERT(kt_close(&kb) == 0);
		cuts++;
	}
	kfree(base);
	kprintf("ktest: efs_journal_cuts: %u cuts checked\n", cuts);
	return 0;
}

/*
 * The commit thread commits a transaction older than the commit
 * interval that no operation's end committed (polled for up to a
 * minute: TCG is slow, and this asserts that it happens, not when).
 */
KTEST(efs_journal_thread)
{
	struct kt_vol kt;
	uint64_t ino, commits = 0;
	int i;

	KT_ASSERT(jmd_get());
	KT_ASSERT(kt_mkfs(0, 64) == 0);
	KT_ASSERT(kt_open(&kt, jmd_a) == 0);
	mtx_lock(&kt.kt_lock);
	KT_ASSERT(kt_newfile(&kt, &ino, false) == 0);
	KT_ASSERT(efs_journal_op_end(kt.kt_j) == 0);
	KT_ASSERT(kt.kt_st.es_commits == 0);
	mtx_unlock(&kt.kt_lock);
	for (i = 0; i < 60 && commits == 0; i++) {
		tsleep(&commits, NULL, "kteft", 1000000000ULL);
		mtx_lock(&kt.kt_lock);
		commits = kt.kt_st.es_commits;
		mtx_unlock(&kt.kt_lock);
	}
	KT_ASSERT(commits == 1);
	KT_ASSERT(kt_close(&kt) == 0);
	return 0;
}
