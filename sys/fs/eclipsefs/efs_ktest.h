/*
 * What the eclipsefs ktests (efs_vfs_ktest.c, efs_journal_ktest.c)
 * share: formatting one of their memory disks.  Each test file keeps its
 * own memory disk (the VFS tests' keeps every write, the journal tests'
 * models a volatile write cache): only the formatting is the same.
 */
#ifndef _EFS_KTEST_H_
#define _EFS_KTEST_H_

#include <sys/types.h>

/*
 * A memory disk to format.  km_block(km_arg, b) is the address of
 * block b's EFS_BLOCK_SIZE bytes, for b < km_blocks; the caller has
 * zeroed them, and no I/O reaches the disk meanwhile.
 */
struct efs_ktest_fmt {
	uint8_t		*(*km_block)(void *arg, uint64_t blkno);
	void		*km_arg;
	uint64_t	 km_blocks;
	uint32_t	 km_ipg;	/* inodes per group (0: the default) */
	uint32_t	 km_jblocks;	/* journal blocks (0: the default) */
	uint8_t		 km_uuid0;	/* sb_uuid is km_uuid0, +1 ... +15 */
	uint32_t	 km_hash_seed;
};

/*
 * Format the disk km describes with efs_mkfs, writing straight into its
 * memory (no buffer cache: the caller drops the device's cached blocks
 * after).  The root is 0755 root's, every time 1700000000.  0 or -errno.
 */
int	efs_ktest_mkfs(const struct efs_ktest_fmt *km);

#endif /* _EFS_KTEST_H_ */
