/*
 * Formatting: every group's bitmaps (the filesystem's own blocks marked
 * used, and the bits past a short last group), zeroed inode tables, the
 * descriptor table, an empty journal, the root directory, and both
 * superblocks.
 */
#include "efs_impl.h"

#define BIT_SET(m, i)	((m)[(i) >> 3] |= (1U << ((i) & 7)))

/* Group g's bitmaps and inode table; its descriptor in v->vl_groups. */
static int
mkfs_group(struct efs_vol *v, uint32_t g)
{
	const struct efs_super *sb = &v->vl_sb;
	struct efs_group *gd = &v->vl_groups[g];
	uint64_t start = efs_group_start(sb, g), meta = efs_group_meta(sb, g);
	uint32_t nbits = efs_group_end(sb, g) - start, used, i;
	struct efs_bh *bh;
	int error;

	memset(gd, 0, sizeof(*gd));
	gd->bg_block_bitmap = meta;
	gd->bg_inode_bitmap = meta + 1;
	gd->bg_inode_table = meta + 2;
	if ((error = efs_bget(v, meta, &bh)) < 0)
		return error;
	used = efs_group_data(sb, g) - start;
	for (i = 0; i < used; i++)
		BIT_SET(bh->bh_data, i);
	if (g == sb->sb_group_count - 1) {
		BIT_SET(bh->bh_data, nbits - 1);	/* the backup */
		used++;
	}
	for (i = nbits; i < EFS_MAX_GROUP_BLOCKS; i++)
		BIT_SET(bh->bh_data, i);
	gd->bg_free_blocks = nbits - used;
	gd->bg_block_bitmap_crc = efs_crc32c(efs_block_seed(sb, meta),
	    bh->bh_data, EFS_BLOCK_SIZE);
	efs_bdirty(v, bh);
	efs_brelse(v, bh);

	if ((error = efs_bget(v, meta + 1, &bh)) < 0)
		return error;
	for (i = sb->sb_group_inodes; i < EFS_MAX_GROUP_INODES; i++)
		BIT_SET(bh->bh_data, i);
	gd->bg_free_inodes = sb->sb_group_inodes;
	gd->bg_inode_bitmap_crc = efs_crc32c(efs_block_seed(sb, meta + 1),
	    bh->bh_data, EFS_BLOCK_SIZE);
	efs_bdirty(v, bh);
	efs_brelse(v, bh);

	for (i = 0; i < efs_itable_blocks(sb); i++) {
		if ((error = efs_bget(v, meta + 2 + i, &bh)) < 0)
			return error;
		efs_bdirty(v, bh);
		efs_brelse(v, bh);
	}
	return 0;
}

/* The root directory: inode 1, its own parent. */
static int
mkfs_root(struct efs_vol *v, uint32_t mode, uint32_t uid, uint32_t gid,
    int64_t sec, uint32_t nsec)
{
	struct efs_inode ip;
	uint64_t ino;
	int error;

	if ((error = efs_inode_alloc(v, 0, true, &ino)) < 0)
		return error;
	if (ino != EFS_ROOT_INO)
		return -EINVAL;
	efs_inode_init(&ip, EFS_S_IFDIR | (mode & 07777), uid, gid, sec,
	    nsec);
	if ((error = efs_dir_init(v, ino, &ip, ino)) < 0)
		return error;
	return efs_inode_write(v, ino, &ip);
}

/*
 * Format the volume v, whose vl_sb efs_layout filled (the caller adds
 * the UUID, label and sb_hash_seed; the checksum seed is derived here).
 * groups has room for sb_group_count descriptors.  The root directory
 * gets root_mode's permission bits and the ids.  Returns 0, -EINVAL (a
 * layout that does not check), -ENOSPC or -EIO.
 */
int
efs_mkfs(struct efs_vol *v, struct efs_group *groups, uint32_t root_mode,
    uint32_t root_uid, uint32_t root_gid, int64_t now_sec, uint32_t now_nsec)
{
	struct efs_super *sb = &v->vl_sb;
	struct efs_bh *bh;
	const char *why;
	bool rw_ok;
	uint32_t g;
	int error;

	sb->sb_csum_seed = efs_crc32c(~0U, sb->sb_uuid, sizeof(sb->sb_uuid));
	sb->sb_mkfs_time = sb->sb_write_time =
	    (uint64_t)now_sec * 1000000000ULL + now_nsec;
	sb->sb_state = EFS_STATE_CLEAN;
	efs_super_csum(sb);
	if (efs_super_check(sb, 0, &rw_ok, &why) < 0) {
		v->vl_ops->vo_error(v, "eclipsefs: mkfs: layout: %s", why);
		return -EINVAL;
	}
	v->vl_groups = groups;
	v->vl_alloc_group = 0;
	v->vl_rdonly = false;
	for (g = 0; g < sb->sb_group_count; g++)
		if ((error = mkfs_group(v, g)) < 0)
			return error;
	for (g = 0; g < sb->sb_gdt_blocks; g++) {
		if ((error = efs_bget(v, sb->sb_gdt_start + g, &bh)) < 0)
			return error;
		efs_bdirty(v, bh);
		efs_brelse(v, bh);
	}
	for (g = 0; g < sb->sb_group_count; g++)
		if ((error = efs_group_write(v, g)) < 0)
			return error;
	if ((error = efs_journal_reset(v, 1)) < 0)
		return error;
	if ((error = mkfs_root(v, root_mode, root_uid, root_gid, now_sec,
	    now_nsec)) < 0)
		return error;
	return efs_super_write(v, true);
}
