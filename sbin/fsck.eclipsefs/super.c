/*
 * fsck.eclipsefs, first steps: the superblock and its backup, the
 * journal (replayed before anything else is looked at), the group
 * descriptor table.  What is found here sizes everything after, so
 * every number is checked before it is used.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

/*
 * The CRC32C a structure of len bytes in block blkno should carry, its
 * crc field (at byte crc_off) taken as zero (efs_format.h, "Checksums").
 */
uint32_t
fsck_block_crc(uint64_t blkno, const void *data, size_t len,
    size_t crc_off)
{
	uint8_t tmp[EFS_BLOCK_SIZE];

	memcpy(tmp, data, len);
	memset(tmp + crc_off, 0, 4);
	return efs_crc32c(efs_block_seed(fs.fs_sb, blkno), tmp, len);
}

static bool super_tail_dirty;

/* Read a superblock; super_tail_dirty: the rest of its block is not 0. */
static int
read_super(uint64_t blkno, struct efs_super *sb)
{
	uint8_t buf[EFS_BLOCK_SIZE];
	size_t i;
	int error;

	if ((error = efsu_read_blocks(&fs.fs_dev, blkno, buf, 1)) < 0)
		return error;
	memcpy(sb, buf, sizeof(*sb));
	super_tail_dirty = false;
	for (i = sizeof(*sb); i < EFS_BLOCK_SIZE; i++)
		if (buf[i] != 0)
			super_tail_dirty = true;
	return 0;
}

/* Do two superblocks describe the same filesystem the same way? */
static const char *
super_differs(const struct efs_super *a, const struct efs_super *b)
{
#define SAME(f) if (a->f != b->f) return #f
	SAME(sb_magic);
	SAME(sb_version);
	SAME(sb_block_size);
	SAME(sb_feature_compat);
	SAME(sb_feature_incompat);
	SAME(sb_feature_ro_compat);
	SAME(sb_block_count);
	SAME(sb_inode_count);
	SAME(sb_group_blocks);
	SAME(sb_group_inodes);
	SAME(sb_group_count);
	SAME(sb_inode_size);
	SAME(sb_gdt_start);
	SAME(sb_gdt_blocks);
	SAME(sb_journal_blocks);
	SAME(sb_journal_start);
	SAME(sb_root_ino);
	SAME(sb_csum_seed);
	SAME(sb_hash_seed);
#undef SAME
	if (memcmp(a->sb_uuid, b->sb_uuid, sizeof(a->sb_uuid)) != 0)
		return "sb_uuid";
	if (memcmp(a->sb_label, b->sb_label, sizeof(a->sb_label)) != 0)
		return "sb_label";
	return NULL;
}

/*
 * What fsck itself needs of the sizes (efs_super_check checks them too;
 * this keeps fsck's arrays safe whatever the library accepts).
 */
static const char *
super_sane(const struct efs_super *sb)
{
	uint64_t groups, meta_end;

	if (sb->sb_group_blocks < 8 ||
	    sb->sb_group_blocks > EFS_MAX_GROUP_BLOCKS)
		return "sb_group_blocks out of range";
	if (sb->sb_group_inodes == 0 ||
	    sb->sb_group_inodes > EFS_MAX_GROUP_INODES ||
	    sb->sb_group_inodes % EFS_INODES_PER_BLOCK != 0)
		return "sb_group_inodes out of range";
	groups = (sb->sb_block_count + sb->sb_group_blocks - 1) /
	    sb->sb_group_blocks;
	if (groups != sb->sb_group_count || groups == 0)
		return "sb_group_count does not match the block count";
	if (sb->sb_inode_count != groups * sb->sb_group_inodes)
		return "sb_inode_count is not groups * group_inodes";
	if (sb->sb_gdt_start != 1 || (uint64_t)sb->sb_gdt_blocks *
	    EFS_GROUPS_PER_BLOCK < groups)
		return "the descriptor table is too small";
	meta_end = sb->sb_gdt_start + sb->sb_gdt_blocks;
	if (sb->sb_journal_start < meta_end ||
	    sb->sb_journal_start + sb->sb_journal_blocks > sb->sb_group_blocks)
		return "the journal is not inside group 0, after the "
		    "descriptors";
	meta_end = sb->sb_journal_start + sb->sb_journal_blocks;
	if (meta_end + 2 + sb->sb_group_inodes / EFS_INODES_PER_BLOCK >
	    sb->sb_group_blocks || meta_end + 2 + sb->sb_group_inodes /
	    EFS_INODES_PER_BLOCK >= sb->sb_block_count)
		return "group 0's metadata does not fit in it";
	if (sb->sb_root_ino != EFS_ROOT_INO)
		return "sb_root_ino is not 1";
	return NULL;
}

static void
super_use(const struct efs_super *sb)
{
	fs.fs_vol->vl_sb = *sb;
	fs.fs_sb_orig = *sb;
	fs.fs_nblocks = sb->sb_block_count;
	fs.fs_ninodes = sb->sb_inode_count;
	fs.fs_ngroups = sb->sb_group_count;
}

/*
 * The superblock at block 0, else its backup at the filesystem's last
 * block (the device's last, when block 0 cannot say where that is).
 * -y copies a sound backup over a damaged primary; a damaged or stale
 * backup is rewritten from the primary (at the end, with the counts).
 * No sound superblock at all is an operational error.
 */
int
super_check(void)
{
	struct efs_super sb, bk;
	const char *why = NULL, *bwhy = NULL, *diff;
	uint64_t dev = fs.fs_dev.du_blocks, cand[2];
	bool rw_ok = true, brw = true, ok;
	struct efs_bh *bh;
	int i, error;

	if (dev < 2)
		fsck_fatal("too small for an eclipsefs (%llu bytes)",
		    (unsigned long long)fs.fs_dev.du_size);
	if ((error = read_super(0, &sb)) < 0)
		fsck_fatal("reading the superblock: %s", strerror(-error));
	ok = efs_super_check(&sb, dev, &rw_ok, &why) == 0;
	if (ok && (why = super_sane(&sb)) != NULL)
		ok = false;
	if (ok) {
		super_use(&sb);
		if (super_tail_dirty && fsck_problem(FIX_PREEN, "superblock "
		    "(block 0): bytes past its 512 are not zero"))
			fs.fs_super_dirty = true;
		bwhy = NULL;
		if ((error = read_super(sb.sb_block_count - 1, &bk)) < 0)
			bwhy = "unreadable";
		else if (efs_super_check(&bk, dev, &brw, &bwhy) < 0)
			;
		else if ((diff = super_differs(&sb, &bk)) != NULL)
			bwhy = diff;
		else if (super_tail_dirty)
			bwhy = "bytes past its 512 are not zero";
		if (bwhy != NULL && fsck_problem(FIX_PREEN, "backup "
		    "superblock (block %llu): %s (expected a copy of block 0)",
		    (unsigned long long)(sb.sb_block_count - 1), bwhy))
			fs.fs_super_dirty = true;
		goto done;
	}

	/* Block 0 is no good: look for the backup. */
	cand[0] = dev - 1;
	cand[1] = sb.sb_magic == EFS_MAGIC && sb.sb_block_count > 1 &&
	    sb.sb_block_count < dev ? sb.sb_block_count - 1 : dev - 1;
	for (i = 0; i < 2; i++) {
		brw = true;
		if (read_super(cand[i], &bk) < 0 ||
		    efs_super_check(&bk, dev, &brw, &bwhy) < 0 ||
		    super_sane(&bk) != NULL ||
		    bk.sb_block_count - 1 != cand[i])
			continue;
		break;
	}
	if (i == 2)
		fsck_fatal("no sound superblock: block 0: %s; no backup at "
		    "the end of the device either", why);
	super_use(&bk);
	rw_ok = brw;
	if (fsck_problem(FIX_ASK, "superblock (block 0): %s; the backup at "
	    "block %llu is sound: copying it to block 0", why,
	    (unsigned long long)cand[i])) {
		if ((error = fs.fs_vol->vl_ops->vo_get(fs.fs_vol, 0, &bh)) < 0)
			fsck_fatal("block 0: %s", strerror(-error));
		memset(bh->bh_data, 0, EFS_BLOCK_SIZE);
		memcpy(bh->bh_data, &bk, sizeof(bk));
		fsck_bdirty(bh);
		fsck_brelse(bh);
	}
done:
	if (!rw_ok && fs.fs_mode != 'n')
		fsck_fatal("unknown read-only-compatible features (0x%x): "
		    "only -n can check it", fs.fs_sb->sb_feature_ro_compat);
	return 0;
}

/*
 * The journal: a sound journal superblock, and a replay of whatever it
 * holds (with -n into memory only, so that the rest is checked as if
 * replayed).  A journal superblock that is damaged is reset with -y
 * (what it held is lost: it cannot be read).
 */
int
journal_check(void)
{
	struct efs_super *sb = fs.fs_sb;
	struct efs_jsuper js;
	struct efs_super nsb;
	const char *why = NULL;
	uint8_t buf[EFS_BLOCK_SIZE];
	struct efs_group *groups;
	uint64_t ntx = 0;
	bool rw_ok = true;
	int error;

	if (!(sb->sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL))
		return 0;
	if ((error = efsu_read_blocks(&fs.fs_dev, sb->sb_journal_start, buf,
	    1)) < 0)
		fsck_fatal("reading the journal superblock (block %llu): %s",
		    (unsigned long long)sb->sb_journal_start,
		    strerror(-error));
	memcpy(&js, buf, sizeof(js));
	if (js.js_magic != EFS_JSUPER_MAGIC)
		why = "bad magic";
	else if (js.js_crc != efs_jsuper_crc(sb, &js))
		why = "checksum mismatch";
	else if (js.js_blocks != sb->sb_journal_blocks)
		why = "js_blocks is not sb_journal_blocks";
	else if (js.js_start >= js.js_blocks)
		why = "js_start past the journal's end";
	if (why != NULL) {
		if (fsck_problem(FIX_ASK, "journal superblock (block %llu): "
		    "%s: resetting the journal (its transactions, if any, are "
		    "lost)", (unsigned long long)sb->sb_journal_start, why) &&
		    (error = efs_journal_reset(fs.fs_vol,
		    js.js_magic == EFS_JSUPER_MAGIC ? js.js_sequence + 1 :
		    1)) < 0)
			fsck_repair_failed("journal reset", error);
		return 0;
	}
	if (js.js_start == 0)
		return 0;
	if (!fsck_problem(FIX_PREEN, "journal: needs replay (sequence %llu "
	    "from ring block %u)%s", (unsigned long long)js.js_sequence,
	    js.js_start, fs.fs_mode == 'n' ? "; checking as if replayed" :
	    ""))
		return 0;
	/* The replay re-reads the descriptors into vl_groups at its end. */
	groups = fsck_calloc(fs.fs_ngroups, sizeof(*groups));
	fs.fs_vol->vl_groups = groups;
	error = efs_journal_replay(fs.fs_vol, &ntx);
	if (error == -EUCLEAN && efsu_read_blocks(&fs.fs_dev,
	    sb->sb_journal_start, buf, 1) == 0 &&
	    ((struct efs_jsuper *)buf)->js_start == 0 &&
	    ((struct efs_jsuper *)buf)->js_magic == EFS_JSUPER_MAGIC) {
		/* Replayed; what failed is the reading of the result. */
		fsck_info("journal: replayed; the descriptors it left do not "
		    "check (%s)", fs.fs_lib_msg);
		error = 0;
	} else if (error == -EUCLEAN) {
		free(groups);
		fs.fs_vol->vl_groups = NULL;
		if (fsck_problem(FIX_ASK, "journal: does not replay (%s): "
		    "resetting it", fs.fs_lib_msg) &&
		    (error = efs_journal_reset(fs.fs_vol,
		    js.js_sequence + 1)) < 0)
			fsck_repair_failed("journal reset", error);
		return 0;
	}
	free(groups);
	fs.fs_vol->vl_groups = NULL;
	if (error < 0)
		fsck_fatal("replaying the journal: %s", strerror(-error));
	fsck_info("journal: %llu transaction%s replayed%s",
	    (unsigned long long)ntx, ntx == 1 ? "" : "s",
	    fs.fs_mode == 'n' ? " (in memory)" : "");
	if (fs.fs_mode != 'n' && (error = efsu_flush(&fs.fs_dev)) < 0)
		fsck_fatal("writing the replayed blocks: %s",
		    strerror(-error));
	/* The superblock may have been among the blocks replayed. */
	if (read_super(0, &nsb) < 0 || efs_super_check(&nsb,
	    fs.fs_dev.du_blocks, &rw_ok, &why) < 0 ||
	    (why = super_sane(&nsb)) != NULL)
		fsck_fatal("the replayed superblock is not sound: %s",
		    why != NULL ? why : "unreadable");
	if (super_differs(&nsb, fs.fs_sb) != NULL)
		fsck_fatal("the journal replayed a superblock of another "
		    "layout (%s)", super_differs(&nsb, fs.fs_sb));
	super_use(&nsb);
	return 0;
}

/* Where group g's bitmaps and inode table are (efs_format.h's layout). */
static uint64_t
group_base(uint32_t g)
{
	const struct efs_super *sb = fs.fs_sb;

	if (g > 0)
		return (uint64_t)g * sb->sb_group_blocks;
	return sb->sb_journal_start + sb->sb_journal_blocks;
}

static void
meta_mark(uint64_t blkno, uint64_t n)
{
	while (n-- > 0 && blkno < fs.fs_nblocks)
		bit_set(fs.fs_meta, blkno++);
}

/* The descriptor table's last block past the last descriptor: zero. */
static void
gdt_tail_check(void)
{
	const struct efs_super *sb = fs.fs_sb;
	uint64_t blk = sb->sb_gdt_start + sb->sb_gdt_blocks - 1;
	size_t off = (fs.fs_ngroups - (uint64_t)(sb->sb_gdt_blocks - 1) *
	    EFS_GROUPS_PER_BLOCK) * sizeof(struct efs_group), i;
	struct efs_bh *bh;

	if (fsck_bread(blk, &bh) < 0)
		return;
	for (i = off; i < EFS_BLOCK_SIZE; i++)
		if (bh->bh_data[i] != 0)
			break;
	if (i < EFS_BLOCK_SIZE && fsck_problem(FIX_PREEN, "descriptor table "
	    "block %llu: bytes past the last descriptor are not zero "
	    "(byte %zu): zeroing them", (unsigned long long)blk, i)) {
		memset(bh->bh_data + off, 0, EFS_BLOCK_SIZE - off);
		fsck_bdirty(bh);
	}
	fsck_brelse(bh);
}

/*
 * The group descriptors: checksums, and the bitmaps and inode table
 * where the layout puts them (a descriptor that fails either is rebuilt
 * from the layout; its counts come from the bitmaps in pass 5).  Also
 * marks every metadata block in fs_meta.
 */
int
groups_check(void)
{
	const struct efs_super *sb = fs.fs_sb;
	uint32_t g, itb = sb->sb_group_inodes / EFS_INODES_PER_BLOCK;
	struct efs_group *gd;
	struct efs_bh *bh;
	uint64_t blk, base, end;
	uint32_t crc;
	int error;

	fs.fs_groups = fsck_calloc(fs.fs_ngroups, sizeof(*fs.fs_groups));
	fs.fs_groups_orig = fsck_calloc(fs.fs_ngroups,
	    sizeof(*fs.fs_groups));
	fs.fs_gbad = fsck_calloc(fs.fs_ngroups, 1);
	fs.fs_meta = fsck_calloc((fs.fs_nblocks + 7) / 8, 1);
	fs.fs_vol->vl_groups = fs.fs_groups;

	meta_mark(0, 1);
	meta_mark(sb->sb_gdt_start, sb->sb_gdt_blocks);
	if (sb->sb_journal_blocks != 0)
		meta_mark(sb->sb_journal_start, sb->sb_journal_blocks);
	meta_mark(fs.fs_nblocks - 1, 1);

	for (g = 0; g < fs.fs_ngroups; g++) {
		blk = sb->sb_gdt_start + g / EFS_GROUPS_PER_BLOCK;
		if ((error = fsck_bread(blk, &bh)) < 0)
			fsck_fatal("reading descriptor block %llu: %s",
			    (unsigned long long)blk, strerror(-error));
		gd = &fs.fs_groups[g];
		memcpy(gd, bh->bh_data + (g % EFS_GROUPS_PER_BLOCK) *
		    sizeof(*gd), sizeof(*gd));
		fsck_brelse(bh);
		fs.fs_groups_orig[g] = *gd;
		base = group_base(g);
		end = (uint64_t)(g + 1) * sb->sb_group_blocks;
		if (end > fs.fs_nblocks)
			end = fs.fs_nblocks;
		if (base + 2 + itb > end || (g == fs.fs_ngroups - 1 &&
		    base + 2 + itb >= fs.fs_nblocks))
			fsck_fatal("group %u: its metadata (%u blocks from "
			    "%llu) does not fit in it (ends at %llu)", g,
			    2 + itb, (unsigned long long)base,
			    (unsigned long long)end);
		crc = fsck_block_crc(blk, gd, sizeof(*gd),
		    offsetof(struct efs_group, bg_crc));
		if (crc != gd->bg_crc) {
			fs.fs_gbad[g] = 1;
			if (fsck_problem(FIX_ASK, "group %u: descriptor "
			    "checksum (block %llu): stored %08x, computed "
			    "%08x: rebuilding it", g, (unsigned long long)blk,
			    gd->bg_crc, crc))
				memset(gd, 0, sizeof(*gd));
		}
		if (gd->bg_block_bitmap != base ||
		    gd->bg_inode_bitmap != base + 1 ||
		    gd->bg_inode_table != base + 2) {
			if (!fs.fs_gbad[g])
				fs.fs_gbad[g] = fsck_problem(FIX_ASK,
				    "group %u: bitmaps and inode table at "
				    "%llu, %llu, %llu; the layout puts them "
				    "at %llu, %llu, %llu", g,
				    (unsigned long long)gd->bg_block_bitmap,
				    (unsigned long long)gd->bg_inode_bitmap,
				    (unsigned long long)gd->bg_inode_table,
				    (unsigned long long)base,
				    (unsigned long long)base + 1,
				    (unsigned long long)base + 2);
			/* fsck reads them where the layout says, always. */
			gd->bg_block_bitmap = base;
			gd->bg_inode_bitmap = base + 1;
			gd->bg_inode_table = base + 2;
		}
		if (gd->bg_flags != 0 && !fs.fs_gbad[g] &&
		    fsck_problem(FIX_PREEN, "group %u: bg_flags 0x%x, "
		    "expected 0", g, gd->bg_flags))
			gd->bg_flags = 0;
		meta_mark(base, 2 + itb);
	}
	gdt_tail_check();
	return 0;
}
