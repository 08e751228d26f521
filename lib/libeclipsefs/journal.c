/*
 * The journal's shared half: its checksums, the replay that mount and
 * fsck run, and an empty journal for mkfs and checkpoints.  The kernel
 * writes the log (sys/fs/eclipsefs/efs_journal.c).
 *
 * The ring: sb_journal_blocks blocks from sb_journal_start; ring block 0
 * is the journal superblock, the log is ring blocks 1.. and wraps from
 * the last back to 1.  Replay reads each transaction twice: once to
 * check it whole (sequence numbers, counts, the commit block's own
 * checksum and the transaction's), then to write its copies home, so
 * that nothing of a torn transaction is ever written.
 */
#include "efs_impl.h"

/* js_crc: seeded by the journal superblock's block, over 64 bytes. */
uint32_t
efs_jsuper_crc(const struct efs_super *sb, const struct efs_jsuper *js)
{
	return efs_csum(efs_block_seed(sb, sb->sb_journal_start), js,
	    sizeof(*js), offsetof(struct efs_jsuper, js_crc));
}

/* jc_crc_self: seeded by the commit block's disk block, its 28 bytes. */
uint32_t
efs_jcommit_crc(const struct efs_super *sb, uint64_t blkno,
    const struct efs_jcommit *jc)
{
	return efs_crc32c(efs_block_seed(sb, blkno), jc,
	    offsetof(struct efs_jcommit, jc_crc_self));
}

/* Fold one logged block (a descriptor or a copy) into a jc_crc. */
uint32_t
efs_jlog_crc(uint32_t crc, const void *block)
{
	return efs_crc32c(crc, block, EFS_BLOCK_SIZE);
}

struct jring {
	struct efs_vol	*j_v;
	uint64_t	 j_start;	/* disk block of ring block 0 */
	uint32_t	 j_blocks;
};

static uint32_t
jnext(const struct jring *j, uint32_t r)
{
	return r + 1 >= j->j_blocks ? 1 : r + 1;
}

static int
jread(const struct jring *j, uint32_t r, struct efs_bh **bhp)
{
	return efs_bread(j->j_v, j->j_start + r, bhp);
}

static uint32_t
magic_of(const struct efs_bh *bh)
{
	uint32_t m;

	memcpy(&m, bh->bh_data, 4);
	return m;
}

/*
 * Check the transaction at ring block r with sequence seq: 1 and its
 * length (all its blocks, commit included) when it is complete and
 * verifies, 0 when not (the end of the log, or torn), or -EIO.
 */
static int
tx_scan(const struct jring *j, uint32_t r, uint64_t seq, uint32_t *len)
{
	const struct efs_super *sb = &j->j_v->vl_sb;
	uint32_t crc = sb->sb_csum_seed, blocks = 0, n, i;
	const struct efs_jcommit *jc;
	const struct efs_jdesc *jd;
	struct efs_bh *bh;
	int error, ok;

	for (;;) {
		if ((error = jread(j, r, &bh)) < 0)
			return error;
		jd = (const struct efs_jdesc *)bh->bh_data;
		if (magic_of(bh) != EFS_JDESC_MAGIC)
			break;
		n = jd->jd_count;
		if (jd->jd_sequence != seq || n > EFS_JTAGS_PER_DESC ||
		    blocks + 1 + n + 1 > j->j_blocks - 1) {
			efs_brelse(j->j_v, bh);
			return 0;
		}
		crc = efs_jlog_crc(crc, bh->bh_data);
		efs_brelse(j->j_v, bh);
		blocks++;
		r = jnext(j, r);
		for (i = 0; i < n; i++, blocks++, r = jnext(j, r)) {
			if ((error = jread(j, r, &bh)) < 0)
				return error;
			crc = efs_jlog_crc(crc, bh->bh_data);
			efs_brelse(j->j_v, bh);
		}
	}
	jc = (const struct efs_jcommit *)bh->bh_data;
	ok = blocks > 0 && jc->jc_magic == EFS_JCOMMIT_MAGIC &&
	    jc->jc_sequence == seq && jc->jc_blocks == blocks &&
	    jc->jc_crc_self == efs_jcommit_crc(sb, bh->bh_blkno, jc) &&
	    jc->jc_crc == crc;
	efs_brelse(j->j_v, bh);
	*len = blocks + 1;
	return ok;
}

/* Write one logged copy home. */
static int
tx_put(const struct jring *j, uint32_t r, const struct efs_jtag *t)
{
	struct efs_vol *v = j->j_v;
	const struct efs_super *sb = &v->vl_sb;
	struct efs_bh *src, *dst;
	int error;

	if (t->jt_blkno >= sb->sb_block_count ||
	    (t->jt_blkno >= sb->sb_journal_start &&
	    t->jt_blkno < sb->sb_journal_start + sb->sb_journal_blocks) ||
	    (t->jt_flags & ~EFS_JTAG_ESCAPED))
		return EFS_CORRUPT(v, "journal: a committed transaction "
		    "logs block %llu (flags %#x): not a metadata home",
		    (unsigned long long)t->jt_blkno, t->jt_flags);
	if ((error = jread(j, r, &src)) < 0)
		return error;
	if ((error = efs_bget(v, t->jt_blkno, &dst)) < 0) {
		efs_brelse(v, src);
		return error;
	}
	memcpy(dst->bh_data, src->bh_data, EFS_BLOCK_SIZE);
	if (t->jt_flags & EFS_JTAG_ESCAPED)
		memcpy(dst->bh_data, &t->jt_pad, 4);
	efs_bdirty(v, dst);
	efs_brelse(v, dst);
	efs_brelse(v, src);
	return 0;
}

/* Write home every copy of the (checked) transaction at ring block r. */
static int
tx_apply(const struct jring *j, uint32_t r)
{
	const struct efs_jdesc *jd;
	struct efs_jtag tag;
	struct efs_bh *bh;
	uint32_t n, i;
	int error;

	for (;;) {
		if ((error = jread(j, r, &bh)) < 0)
			return error;
		if (magic_of(bh) != EFS_JDESC_MAGIC) {
			efs_brelse(j->j_v, bh);
			return 0;
		}
		jd = (const struct efs_jdesc *)bh->bh_data;
		n = jd->jd_count;
		r = jnext(j, r);
		for (i = 0; i < n; i++, r = jnext(j, r)) {
			tag = jd->jd_tags[i];
			if ((error = tx_put(j, r, &tag)) < 0) {
				efs_brelse(j->j_v, bh);
				return error;
			}
		}
		efs_brelse(j->j_v, bh);
	}
}

/* Read and check the journal superblock. */
static int
jsuper_read(struct efs_vol *v, struct efs_jsuper *js)
{
	const struct efs_super *sb = &v->vl_sb;
	struct efs_bh *bh;
	int error;

	if (!(sb->sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL))
		return -EINVAL;
	if ((error = efs_bread(v, sb->sb_journal_start, &bh)) < 0)
		return error;
	memcpy(js, bh->bh_data, sizeof(*js));
	efs_brelse(v, bh);
	if (js->js_magic != EFS_JSUPER_MAGIC ||
	    js->js_crc != efs_jsuper_crc(sb, js))
		return EFS_CORRUPT(v, "journal superblock: bad magic or "
		    "checksum");
	if (js->js_blocks != sb->sb_journal_blocks ||
	    js->js_start >= js->js_blocks)
		return EFS_CORRUPT(v, "journal superblock: size %u or start "
		    "%u does not match the journal", js->js_blocks,
		    js->js_start);
	return 0;
}

/*
 * Replay the journal (see libeclipsefs.h): every complete transaction
 * from js_start on, in sequence, then vo_flush, then an empty journal
 * whose sequence is past the last transaction seen (one more, so that a
 * torn transaction's number is never reused), then the superblock and
 * descriptors read again when something was replayed.  Not refused on a
 * read-only volume: the caller decides whether to replay.
 */
int
efs_journal_replay(struct efs_vol *v, uint64_t *ntx)
{
	struct efs_jsuper js;
	struct jring j;
	uint64_t seq, done = 0, seen = 0;
	uint32_t r, len;
	int error, ok;

	if (ntx != NULL)
		*ntx = 0;
	if ((error = jsuper_read(v, &js)) < 0)
		return error;
	if (js.js_start == 0)
		return 0;
	j.j_v = v;
	j.j_start = v->vl_sb.sb_journal_start;
	j.j_blocks = js.js_blocks;
	r = js.js_start;
	seq = js.js_sequence;
	while (seen < j.j_blocks - 1) {
		if ((ok = tx_scan(&j, r, seq, &len)) < 0)
			return ok;
		if (ok == 0)
			break;
		if ((error = tx_apply(&j, r)) < 0)
			return error;
		for (uint32_t i = 0; i < len; i++)
			r = jnext(&j, r);
		seen += len;
		seq++;
		done++;
	}
	if (v->vl_ops->vo_flush != NULL &&
	    (error = v->vl_ops->vo_flush(v)) < 0)
		return error;
	if ((error = efs_journal_reset(v, seq + 1)) < 0)
		return error;
	if (ntx != NULL)
		*ntx = done;
	if (done > 0)
		return efs_vol_reload(v);
	return 0;
}

/*
 * Write an empty journal superblock: the next transaction is sequence,
 * at ring block 1.  Returns 0, -EINVAL (no journal) or -EIO.
 */
int
efs_journal_reset(struct efs_vol *v, uint64_t sequence)
{
	const struct efs_super *sb = &v->vl_sb;
	struct efs_jsuper *js;
	struct efs_bh *bh;
	int error;

	if (!(sb->sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL) ||
	    sb->sb_journal_blocks < 2)
		return -EINVAL;
	if ((error = efs_bget(v, sb->sb_journal_start, &bh)) < 0)
		return error;
	js = (struct efs_jsuper *)bh->bh_data;
	js->js_magic = EFS_JSUPER_MAGIC;
	js->js_blocks = sb->sb_journal_blocks;
	js->js_sequence = sequence;
	js->js_start = 0;
	js->js_crc = efs_jsuper_crc(sb, js);
	efs_bdirty(v, bh);
	efs_brelse(v, bh);
	return 0;
}
