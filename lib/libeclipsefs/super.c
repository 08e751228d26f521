/*
 * The superblock, the group descriptors and the layout: where every
 * group's bitmaps and inode table are (one fixed rule, so that the
 * descriptors can be checked against it), mkfs's choice of sizes, and
 * the checks that refuse an impossible superblock before anything else
 * is read.
 */
#include "efs_impl.h"

/* The smallest useful group: bitmaps, one inode block, one data block. */
#define EFS_MIN_GROUP_BLOCKS	4
#define EFS_MIN_JOURNAL_BLOCKS	16
#define EFS_DEF_JOURNAL_MIN	1024
#define EFS_DEF_JOURNAL_MAX	32768

/* The first block of group g. */
uint64_t
efs_group_start(const struct efs_super *sb, uint32_t g)
{
	return (uint64_t)g * sb->sb_group_blocks;
}

/* One past the last block of group g (the last group may be short). */
uint64_t
efs_group_end(const struct efs_super *sb, uint32_t g)
{
	uint64_t end = (uint64_t)(g + 1) * sb->sb_group_blocks;

	return end < sb->sb_block_count ? end : sb->sb_block_count;
}

/* Blocks of one group's inode table. */
uint32_t
efs_itable_blocks(const struct efs_super *sb)
{
	return sb->sb_group_inodes / EFS_INODES_PER_BLOCK;
}

/*
 * Group g's block bitmap: the group's first block, but in group 0, the
 * first block after the superblock, descriptor table and journal (which
 * efs_super_check requires right after the table).  The inode bitmap
 * follows, then the inode table.
 */
uint64_t
efs_group_meta(const struct efs_super *sb, uint32_t g)
{
	if (g == 0)
		return sb->sb_gdt_start + sb->sb_gdt_blocks +
		    sb->sb_journal_blocks;
	return efs_group_start(sb, g);
}

/* Group g's first data block (after its inode table). */
uint64_t
efs_group_data(const struct efs_super *sb, uint32_t g)
{
	return efs_group_meta(sb, g) + 2 + efs_itable_blocks(sb);
}

/*
 * Is [blkno, blkno + n) inside the filesystem and clear of every block
 * the filesystem keeps for itself?  n >= 1.
 */
bool
efs_range_ok(const struct efs_super *sb, uint64_t blkno, uint64_t n)
{
	uint64_t end, b;
	uint32_t g;

	if (n == 0 || blkno >= sb->sb_block_count ||
	    n > sb->sb_block_count - 1 - blkno)
		return false;
	end = blkno + n;
	for (b = blkno; b < end; b = efs_group_end(sb, g)) {
		g = b / sb->sb_group_blocks;
		if (b < efs_group_data(sb, g))
			return false;
	}
	return true;
}

/* How many groups the superblock describes (0 when it cannot say). */
uint32_t
efs_vol_ngroups(const struct efs_super *sb)
{
	uint64_t n;

	if (sb->sb_group_blocks == 0)
		return 0;
	n = (sb->sb_block_count + sb->sb_group_blocks - 1) /
	    sb->sb_group_blocks;
	return n > UINT32_MAX ? 0 : (uint32_t)n;
}

/* Set sb_crc: CRC32C seeded with ~0 over the 512 bytes, sb_crc zero. */
void
efs_super_csum(struct efs_super *sb)
{
	sb->sb_crc = efs_csum(~0U, sb, sizeof(*sb),
	    offsetof(struct efs_super, sb_crc));
}

static int
super_refuse(const char **why, const char *reason, int error)
{
	*why = reason;
	return error;
}

/* The sizes of a superblock whose magic, version and crc are good. */
static int
super_check_sizes(const struct efs_super *sb, uint64_t dev_blocks,
    const char **why)
{
	uint64_t last_len, gdt;
	uint32_t ng;

	if (sb->sb_inode_size != EFS_INODE_SIZE)
		return super_refuse(why, "inode size is not 256", -EUCLEAN);
	if (sb->sb_group_blocks < EFS_MIN_GROUP_BLOCKS ||
	    sb->sb_group_blocks > EFS_MAX_GROUP_BLOCKS)
		return super_refuse(why, "blocks per group out of range",
		    -EUCLEAN);
	if (sb->sb_group_inodes == 0 ||
	    sb->sb_group_inodes > EFS_MAX_GROUP_INODES ||
	    sb->sb_group_inodes % EFS_INODES_PER_BLOCK != 0)
		return super_refuse(why, "inodes per group out of range or "
		    "not a multiple of 16", -EUCLEAN);
	if (2 + (uint64_t)efs_itable_blocks(sb) >= sb->sb_group_blocks)
		return super_refuse(why, "inode table does not fit in a group",
		    -EUCLEAN);
	if (sb->sb_block_count < EFS_MIN_GROUP_BLOCKS)
		return super_refuse(why, "block count too small", -EUCLEAN);
	if (dev_blocks != 0 && sb->sb_block_count > dev_blocks)
		return super_refuse(why, "filesystem larger than the device",
		    -EUCLEAN);
	ng = efs_vol_ngroups(sb);
	if (ng == 0 || sb->sb_group_count != ng)
		return super_refuse(why, "group count does not match the "
		    "block count", -EUCLEAN);
	if (sb->sb_inode_count != (uint64_t)ng * sb->sb_group_inodes)
		return super_refuse(why, "inode count is not groups times "
		    "inodes per group", -EUCLEAN);
	gdt = (ng + EFS_GROUPS_PER_BLOCK - 1) / EFS_GROUPS_PER_BLOCK;
	if (sb->sb_gdt_start != 1 || sb->sb_gdt_blocks != gdt)
		return super_refuse(why, "descriptor table not at block 1 or "
		    "of the wrong size", -EUCLEAN);
	if (sb->sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL) {
		if (sb->sb_journal_blocks < EFS_MIN_JOURNAL_BLOCKS ||
		    sb->sb_journal_start != 1 + gdt)
			return super_refuse(why, "journal too small or not "
			    "after the descriptor table", -EUCLEAN);
	} else if (sb->sb_journal_blocks != 0 || sb->sb_journal_start != 0)
		return super_refuse(why, "journal fields set without the "
		    "journal feature", -EUCLEAN);
	/* Group 0 holds everything up to its inode table and one block. */
	if (efs_group_data(sb, 0) >= efs_group_end(sb, 0))
		return super_refuse(why, "group 0 too small for the journal "
		    "and its metadata", -EUCLEAN);
	last_len = sb->sb_block_count - efs_group_start(sb, ng - 1);
	if (ng > 1 && last_len < 2 + (uint64_t)efs_itable_blocks(sb) + 2)
		return super_refuse(why, "last group too small for its "
		    "metadata", -EUCLEAN);
	if (ng == 1 && efs_group_data(sb, 0) + 1 >= sb->sb_block_count)
		return super_refuse(why, "no data blocks", -EUCLEAN);
	if (sb->sb_root_ino != EFS_ROOT_INO)
		return super_refuse(why, "root inode is not 1", -EUCLEAN);
	return 0;
}

/*
 * Check a superblock read from disk (see libeclipsefs.h).  The order is
 * the order of trust: the magic and version say it is ours, the checksum
 * that the rest is what was written, then the sizes must add up.
 */
int
efs_super_check(const struct efs_super *sb, uint64_t dev_blocks,
    bool *rw_ok, const char **why)
{
	int error;

	*rw_ok = true;
	*why = NULL;
	if (sb->sb_magic != EFS_MAGIC)
		return super_refuse(why, "bad magic (not eclipsefs)", -EINVAL);
	if (sb->sb_version != EFS_VERSION)
		return super_refuse(why, "unsupported version", -EINVAL);
	if (sb->sb_crc != efs_csum(~0U, sb, sizeof(*sb),
	    offsetof(struct efs_super, sb_crc)))
		return super_refuse(why, "superblock checksum mismatch",
		    -EUCLEAN);
	if (sb->sb_block_size != EFS_BLOCK_SIZE)
		return super_refuse(why, "block size is not 4096", -EUCLEAN);
	if (sb->sb_feature_incompat & ~EFS_FEATURE_INCOMPAT_SUPPORTED)
		return super_refuse(why, "unknown incompatible features",
		    -EINVAL);
	if ((error = super_check_sizes(sb, dev_blocks, why)) < 0)
		return error;
	if (sb->sb_csum_seed != efs_crc32c(~0U, sb->sb_uuid,
	    sizeof(sb->sb_uuid)))
		return super_refuse(why, "checksum seed does not match the "
		    "UUID", -EUCLEAN);
	if (sb->sb_orphan_head > sb->sb_inode_count)
		return super_refuse(why, "orphan list head past the last "
		    "inode", -EUCLEAN);
	if (sb->sb_feature_ro_compat & ~EFS_FEATURE_RO_COMPAT_SUPPORTED) {
		*rw_ok = false;
		*why = "unknown read-only-compatible features: read only";
	}
	return 0;
}

/* Check descriptor g against the layout and its group's size. */
static int
group_check(struct efs_vol *v, uint32_t g, const struct efs_group *gd,
    uint64_t tblk)
{
	const struct efs_super *sb = &v->vl_sb;
	uint64_t meta = efs_group_meta(sb, g);
	uint64_t nblk = efs_group_end(sb, g) - efs_group_start(sb, g);

	if (gd->bg_crc != efs_csum(efs_block_seed(sb, tblk), gd,
	    sizeof(*gd), offsetof(struct efs_group, bg_crc)))
		return EFS_CORRUPT(v, "group %u: descriptor checksum "
		    "mismatch", g);
	if (gd->bg_block_bitmap != meta || gd->bg_inode_bitmap != meta + 1 ||
	    gd->bg_inode_table != meta + 2)
		return EFS_CORRUPT(v, "group %u: bitmaps or inode table not "
		    "where the layout puts them", g);
	if (gd->bg_free_blocks > nblk ||
	    gd->bg_free_inodes > sb->sb_group_inodes ||
	    gd->bg_dirs > sb->sb_group_inodes - gd->bg_free_inodes)
		return EFS_CORRUPT(v, "group %u: impossible counts (free "
		    "blocks %u, free inodes %u, dirs %u)", g,
		    gd->bg_free_blocks, gd->bg_free_inodes, gd->bg_dirs);
	return 0;
}

/* Read and check every group descriptor into v->vl_groups. */
static int
groups_read(struct efs_vol *v)
{
	const struct efs_super *sb = &v->vl_sb;
	struct efs_bh *bh;
	uint32_t g, i, n;
	uint64_t tblk;
	int error;

	for (g = 0; g < sb->sb_group_count; g += n) {
		tblk = sb->sb_gdt_start + g / EFS_GROUPS_PER_BLOCK;
		if ((error = efs_bread(v, tblk, &bh)) < 0)
			return error;
		n = sb->sb_group_count - g;
		if (n > EFS_GROUPS_PER_BLOCK)
			n = EFS_GROUPS_PER_BLOCK;
		for (i = 0; i < n; i++) {
			memcpy(&v->vl_groups[g + i], bh->bh_data +
			    i * sizeof(struct efs_group),
			    sizeof(struct efs_group));
			error = group_check(v, g + i, &v->vl_groups[g + i],
			    tblk);
			if (error < 0) {
				efs_brelse(v, bh);
				return error;
			}
		}
		efs_brelse(v, bh);
	}
	return 0;
}

/* Read block 0 into v->vl_sb and check it, reporting why not. */
static int
super_read(struct efs_vol *v, uint64_t dev_blocks)
{
	struct efs_bh *bh;
	const char *why;
	bool rw_ok;
	int error;

	if ((error = efs_bread(v, 0, &bh)) < 0)
		return error;
	memcpy(&v->vl_sb, bh->bh_data, sizeof(v->vl_sb));
	efs_brelse(v, bh);
	if ((error = efs_super_check(&v->vl_sb, dev_blocks, &rw_ok,
	    &why)) < 0) {
		v->vl_ops->vo_error(v, "eclipsefs: superblock: %s", why);
		return error;
	}
	if (!rw_ok && !v->vl_rdonly) {
		v->vl_ops->vo_error(v, "eclipsefs: %s", why);
		v->vl_rdonly = true;
	}
	return 0;
}

/*
 * Open a volume: read and check the superblock (block 0) and the group
 * descriptors into v->vl_sb and groups (ngroups of room, at least
 * efs_vol_ngroups()).  A superblock that needs read-only sets
 * v->vl_rdonly.  Returns 0, -EINVAL (not eclipsefs, unsupported, or too
 * little room), -EUCLEAN or -EIO.
 */
int
efs_vol_open(struct efs_vol *v, uint64_t dev_blocks,
    struct efs_group *groups, size_t ngroups)
{
	int error;

	if ((error = super_read(v, dev_blocks)) < 0)
		return error;
	if (ngroups < v->vl_sb.sb_group_count) {
		v->vl_ops->vo_error(v, "eclipsefs: %u groups, room for %zu",
		    v->vl_sb.sb_group_count, ngroups);
		return -EINVAL;
	}
	v->vl_groups = groups;
	v->vl_alloc_group = 0;
	return groups_read(v);
}

/*
 * Read the superblock and the descriptors again (a journal replay may
 * have rewritten them); the volume keeps its group array, whose size
 * cannot change (sb_block_count must not).
 */
int
efs_vol_reload(struct efs_vol *v)
{
	uint64_t count = v->vl_sb.sb_block_count;
	int error;

	if ((error = super_read(v, count)) < 0)
		return error;
	if (v->vl_sb.sb_block_count != count)
		return EFS_CORRUPT(v, "the journal changed the block count");
	return groups_read(v);
}

/* Write sb, checksummed, as block blkno (the rest of it zero). */
static int
super_put(struct efs_vol *v, uint64_t blkno)
{
	struct efs_bh *bh;
	int error;

	if ((error = efs_bget(v, blkno, &bh)) < 0)
		return error;
	memcpy(bh->bh_data, &v->vl_sb, sizeof(v->vl_sb));
	efs_bdirty(v, bh);
	efs_brelse(v, bh);
	return 0;
}

/*
 * Write v->vl_sb to block 0, with its free counts summed from the group
 * descriptors and its checksum set; with backup, to the last block too.
 * Returns 0, -EROFS or -EIO.
 */
int
efs_super_write(struct efs_vol *v, bool backup)
{
	struct efs_super *sb = &v->vl_sb;
	uint64_t fb = 0, fi = 0;
	uint32_t g;
	int error;

	if (v->vl_rdonly)
		return -EROFS;
	for (g = 0; g < sb->sb_group_count; g++) {
		fb += v->vl_groups[g].bg_free_blocks;
		fi += v->vl_groups[g].bg_free_inodes;
	}
	sb->sb_free_blocks = fb;
	sb->sb_free_inodes = fi;
	efs_super_csum(sb);
	if ((error = super_put(v, 0)) < 0)
		return error;
	if (backup)
		return super_put(v, sb->sb_block_count - 1);
	return 0;
}

/*
 * Write group g's descriptor into its table block with a fresh checksum
 * (read, changed, dirtied).  Returns 0, -EROFS, -EINVAL or -EIO.
 */
int
efs_group_write(struct efs_vol *v, uint32_t g)
{
	struct efs_group *gd;
	struct efs_bh *bh;
	uint64_t tblk;
	int error;

	if (v->vl_rdonly)
		return -EROFS;
	if (g >= v->vl_sb.sb_group_count)
		return -EINVAL;
	gd = &v->vl_groups[g];
	tblk = v->vl_sb.sb_gdt_start + g / EFS_GROUPS_PER_BLOCK;
	gd->bg_crc = efs_csum(efs_block_seed(&v->vl_sb, tblk), gd,
	    sizeof(*gd), offsetof(struct efs_group, bg_crc));
	if ((error = efs_bread(v, tblk, &bh)) < 0)
		return error;
	memcpy(bh->bh_data + (g % EFS_GROUPS_PER_BLOCK) * sizeof(*gd), gd,
	    sizeof(*gd));
	efs_bdirty(v, bh);
	efs_brelse(v, bh);
	return 0;
}

/* The default journal: about 1/64 of the disk, 1024..32768 blocks. */
static uint64_t
layout_journal(uint64_t nblocks)
{
	uint64_t j = nblocks / 64;

	if (j < EFS_DEF_JOURNAL_MIN)
		j = EFS_DEF_JOURNAL_MIN;
	if (j > EFS_DEF_JOURNAL_MAX)
		j = EFS_DEF_JOURNAL_MAX;
	return j;
}

/*
 * Choose the layout of a filesystem of nblocks blocks into *sb (zeroed
 * first; the caller adds the UUID, label, hash seed and times):
 * EFS_MAX_GROUP_BLOCKS blocks per group, inodes_per_group (0: one per
 * 16 KiB, rounded to a whole inode block), a journal of journal_blocks
 * (0: the default, shrunk to half of group 0's room on a small disk).
 * A last group too short for its metadata is left out (sb_block_count
 * is then below nblocks).  Returns 0 or -EINVAL when it cannot fit.
 */
int
efs_layout(struct efs_super *sb, uint64_t nblocks,
    uint32_t inodes_per_group, uint32_t journal_blocks)
{
	uint64_t gb = EFS_MAX_GROUP_BLOCKS, ng, gdt, itb, j, room, last;
	uint64_t ipg = inodes_per_group;

	memset(sb, 0, sizeof(*sb));
	if (nblocks < 64)
		return -EINVAL;
	if (ipg == 0) {
		ipg = (nblocks < gb ? nblocks : gb) / 4;
		ipg = (ipg + EFS_INODES_PER_BLOCK - 1) &
		    ~(uint64_t)(EFS_INODES_PER_BLOCK - 1);
		if (ipg < EFS_INODES_PER_BLOCK)
			ipg = EFS_INODES_PER_BLOCK;
	}
	if (ipg > EFS_MAX_GROUP_INODES || ipg % EFS_INODES_PER_BLOCK != 0)
		return -EINVAL;
	itb = ipg / EFS_INODES_PER_BLOCK;
	ng = (nblocks + gb - 1) / gb;
	last = nblocks - (ng - 1) * gb;
	if (ng > 1 && last < 2 + itb + 2 + 16) {
		ng--;
		nblocks = ng * gb;
	}
	if (ng > UINT32_MAX)
		return -EINVAL;
	gdt = (ng + EFS_GROUPS_PER_BLOCK - 1) / EFS_GROUPS_PER_BLOCK;
	/* Group 0: superblock, table, journal, bitmaps, inodes, data. */
	room = (nblocks < gb ? nblocks : gb) - 1 - gdt - 2 - itb - 1;
	if (room > (nblocks < gb ? nblocks : gb))
		return -EINVAL;		/* wrapped: nothing fits */
	j = journal_blocks;
	if (j == 0) {
		j = layout_journal(nblocks);
		if (j > room / 2)
			j = room / 2;
	}
	if (j < EFS_MIN_JOURNAL_BLOCKS || j + 16 > room)
		return -EINVAL;

	sb->sb_magic = EFS_MAGIC;
	sb->sb_version = EFS_VERSION;
	sb->sb_block_size = EFS_BLOCK_SIZE;
	sb->sb_feature_incompat = EFS_FEATURE_INCOMPAT_JOURNAL;
	sb->sb_state = EFS_STATE_CLEAN;
	sb->sb_block_count = nblocks;
	sb->sb_group_blocks = gb;
	sb->sb_group_inodes = ipg;
	sb->sb_group_count = ng;
	sb->sb_inode_count = ng * ipg;
	sb->sb_inode_size = EFS_INODE_SIZE;
	sb->sb_gdt_start = 1;
	sb->sb_gdt_blocks = gdt;
	sb->sb_journal_blocks = j;
	sb->sb_journal_start = 1 + gdt;
	sb->sb_root_ino = EFS_ROOT_INO;
	sb->sb_errors = EFS_ERRORS_REMOUNT_RO;
	return 0;
}
