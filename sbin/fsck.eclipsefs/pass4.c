/*
 * fsck.eclipsefs, passes 4 and 5: link counts and orphans, then the
 * bitmaps and the group descriptors' counts from what is in use.
 *
 * Pass 4: an orphan (unlinked while open when the power went) that no
 * directory names is freed - what the kernel would have done at the
 * last close - and the list emptied; every inode in use gets the link
 * count the directories give it (a directory: 2 + its subdirectories).
 *
 * Pass 5 claims every block again, from scratch, for the metadata and
 * the extents of every inode in use after the repairs (freed orphans,
 * cleared inodes and rebuilt directories change them), and compares the
 * bitmaps and the descriptors' counts with that, reporting runs of
 * blocks marked in use that nothing uses, and the reverse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "fsck.h"

/* Pass 4: orphans, then link counts. */
void
pass4(void)
{
	struct fsck_ino *fi;
	struct efs_inode ip;
	uint64_t ino, want;
	int error;

	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		fi = &fs.fs_ii[ino];
		if (!(fi->fi_flags & IF_ORPHAN) || fi->fi_state != IS_OK)
			continue;
		if (inode_read_raw(ino, &ip) < 0)
			continue;
		if (fi->fi_flags & IF_REACHED) {
			if (fsck_problem(FIX_PREEN, "inode %llu: on the orphan "
			    "list, but it has %u name%s: taking it off",
			    (unsigned long long)ino, fi->fi_links,
			    fi->fi_links == 1 ? "" : "s") &&
			    ip.i_orphan_next != 0) {
				ip.i_orphan_next = 0;
				(void)inode_write(ino, &ip);
			}
			continue;
		}
		if (!fsck_problem(FIX_PREEN, "inode %llu: an orphan (a %s of "
		    "%llu bytes, unlinked while open): freeing it",
		    (unsigned long long)ino, type_name(fi->fi_type),
		    (unsigned long long)ip.i_size))
			continue;
		if ((fi->fi_type == DT_REG || fi->fi_type == DT_DIR ||
		    fi->fi_type == DT_LNK) &&
		    !(ip.i_flags & EFS_IFLAG_INLINE) &&
		    (error = efs_btruncate(fs.fs_vol, &ip, 0)) < 0)
			fsck_repair_failed("freeing the orphan's blocks",
			    error);
		inode_clear(ino);
	}
	if (fs.fs_sb->sb_orphan_head != 0 && fs.fs_mode != 'n')
		fs.fs_sb->sb_orphan_head = 0;

	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		fi = &fs.fs_ii[ino];
		if (fi->fi_state != IS_OK || !(fi->fi_flags & IF_REACHED))
			continue;
		want = fi->fi_type == DT_DIR ? 2 + (uint64_t)fi->fi_subdirs :
		    fi->fi_links;
		if (inode_read_raw(ino, &ip) < 0)
			continue;
		if (ip.i_nlink != want && fsck_problem(FIX_PREEN, "inode %llu "
		    "(a %s): link count %u, but %llu found",
		    (unsigned long long)ino, type_name(fi->fi_type),
		    ip.i_nlink, (unsigned long long)want)) {
			ip.i_nlink = (uint32_t)want;
			(void)inode_write(ino, &ip);
		}
	}
}

/* Report the runs of bits that differ in [0, n) of a group's bitmap. */
static void
bitmap_diff(uint32_t g, const char *what, uint64_t base,
    const uint8_t *disk, const uint8_t *real, uint32_t n)
{
	uint32_t i, start = 0;
	int cur = -1, kind;
	char rbuf[80];

	for (i = 0; i <= n; i++) {
		kind = i < n && bit_test(disk, i) != bit_test(real, i) ?
		    bit_test(real, i) : -1;
		if (kind == cur)
			continue;
		if (cur != -1)
			fsck_problem(FIX_PREEN, "group %u: %s %s", g,
			    fmt_run(rbuf, sizeof(rbuf), what, base + start,
			    i - start), cur ? "in use but free in the bitmap" :
			    "marked in use in the bitmap but unused");
		cur = kind;
		start = i;
	}
}

/*
 * Pass 5: the bitmaps and counts rebuilt from what is in use, compared
 * with the bitmaps as they are now (pass 1 already reported and set the
 * blocks in use but free, and compared the counts with the bitmaps as
 * read); the counts follow the bitmaps.
 */
void
pass5(void)
{
	const struct efs_super *sb = fs.fs_sb;
	uint32_t g, i, n, gi = sb->sb_group_inodes, dirs;
	uint8_t bbm[EFS_BLOCK_SIZE], ibm[EFS_BLOCK_SIZE];
	uint8_t cur_b[EFS_BLOCK_SIZE], cur_i[EFS_BLOCK_SIZE];
	struct efs_group *gd;
	struct efs_inode ip;
	struct efs_bh *bh;
	uint64_t ino, b0;

	memcpy(fs.fs_claim, fs.fs_meta, (fs.fs_nblocks + 7) / 8);
	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		if (fs.fs_ii[ino].fi_state != IS_OK)
			continue;
		if (fs.fs_ii[ino].fi_type != DT_REG &&
		    fs.fs_ii[ino].fi_type != DT_DIR &&
		    fs.fs_ii[ino].fi_type != DT_LNK)
			continue;
		if (inode_read_raw(ino, &ip) < 0 ||
		    (ip.i_flags & EFS_IFLAG_INLINE))
			continue;
		extents_check(ino, &ip, true);
	}
	for (g = 0; g < fs.fs_ngroups; g++) {
		gd = &fs.fs_groups[g];
		b0 = (uint64_t)g * sb->sb_group_blocks;
		n = group_nblocks(g);
		if (fsck_bread(gd->bg_block_bitmap, &bh) < 0)
			fsck_fatal("group %u: block bitmap unreadable", g);
		memcpy(cur_b, bh->bh_data, EFS_BLOCK_SIZE);
		fsck_brelse(bh);
		if (fsck_bread(gd->bg_inode_bitmap, &bh) < 0)
			fsck_fatal("group %u: inode bitmap unreadable", g);
		memcpy(cur_i, bh->bh_data, EFS_BLOCK_SIZE);
		fsck_brelse(bh);
		memcpy(bbm, cur_b, EFS_BLOCK_SIZE);
		memcpy(ibm, cur_i, EFS_BLOCK_SIZE);
		for (i = 0; i < n; i++) {
			if (bit_test(fs.fs_claim, b0 + i))
				bit_set(bbm, i);
			else
				bit_clear(bbm, i);
		}
		for (i = n; i < EFS_MAX_GROUP_BLOCKS; i++)
			bit_set(bbm, i);
		dirs = 0;
		for (i = 0; i < gi; i++) {
			ino = (uint64_t)g * gi + i + 1;
			if (fs.fs_ii[ino].fi_state == IS_OK) {
				bit_set(ibm, i);
				if (fs.fs_ii[ino].fi_type == DT_DIR)
					dirs++;
			} else
				bit_clear(ibm, i);
		}
		bitmap_diff(g, "block", b0, cur_b, bbm, n);
		bitmap_diff(g, "inode", (uint64_t)g * gi + 1, cur_i, ibm, gi);
		if (memcmp(cur_b + n / 8, bbm + n / 8, EFS_BLOCK_SIZE - n / 8)
		    != 0)
			fsck_problem(FIX_PREEN, "group %u: block bitmap bits "
			    "past the group's %u blocks are not all set", g, n);
		gd->bg_dirs = dirs;
		group_store(g, bbm, ibm);
	}
}
