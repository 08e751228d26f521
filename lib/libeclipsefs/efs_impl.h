/*
 * libeclipsefs internals: what the library's files share and nothing
 * outside lib/libeclipsefs includes (but the unit test).
 */
#ifndef _EFS_IMPL_H_
#define _EFS_IMPL_H_

#ifdef _KERNEL
#include <sys/systm.h>
#else
#include <string.h>
#endif

#include "libeclipsefs.h"

/* File types (Linux's S_IF* values) and their DT_ numbers. */
#define EFS_S_IFMT		0170000
#define EFS_S_IFDIR		0040000
#define EFS_S_IFREG		0100000
#define EFS_S_IFLNK		0120000
#define EFS_DT(mode)		(((mode) >> 12) & 017)
#define EFS_ISDIR(mode)		(((mode) & EFS_S_IFMT) == EFS_S_IFDIR)
#define EFS_ISLNK(mode)		(((mode) & EFS_S_IFMT) == EFS_S_IFLNK)

/* Longest symlink target (PATH_MAX less its NUL). */
#define EFS_SYMLINK_MAX		(EFS_BLOCK_SIZE - 1)

/* Report damage and give -EUCLEAN (an expression). */
#define EFS_CORRUPT(v, ...)						\
	((v)->vl_ops->vo_error((v), "eclipsefs: " __VA_ARGS__), -EUCLEAN)

static inline int
efs_bread(struct efs_vol *v, uint64_t blkno, struct efs_bh **bhp)
{
	return v->vl_ops->vo_read(v, blkno, bhp);
}

static inline int
efs_bget(struct efs_vol *v, uint64_t blkno, struct efs_bh **bhp)
{
	int error;

	if ((error = v->vl_ops->vo_get(v, blkno, bhp)) < 0)
		return error;
	memset((*bhp)->bh_data, 0, EFS_BLOCK_SIZE);
	return 0;
}

static inline void
efs_bdirty(struct efs_vol *v, struct efs_bh *bh)
{
	v->vl_ops->vo_dirty(v, bh);
}

static inline void
efs_brelse(struct efs_vol *v, struct efs_bh *bh)
{
	if (bh != NULL)
		v->vl_ops->vo_release(v, bh);
}

/* super.c: where group g's metadata is (the only layout there is). */
uint64_t efs_group_start(const struct efs_super *sb, uint32_t g);
uint64_t efs_group_end(const struct efs_super *sb, uint32_t g);
uint64_t efs_group_meta(const struct efs_super *sb, uint32_t g);
uint64_t efs_group_data(const struct efs_super *sb, uint32_t g);
uint32_t efs_itable_blocks(const struct efs_super *sb);
/* 1 when [blkno, blkno + n) is inside the filesystem's data area. */
bool	efs_range_ok(const struct efs_super *sb, uint64_t blkno, uint64_t n);
/* Re-read the superblock and descriptors (after a journal replay). */
int	efs_vol_reload(struct efs_vol *v);

/* hash.c: SipHash-2-4 (exposed for the unit test's check vector). */
uint64_t efs_siphash24(uint64_t k0, uint64_t k1, const void *buf,
	    size_t len);

/* extent.c: bmap with a held leaf, for several lookups in one call. */
struct efs_bmap_cache {
	struct efs_bh	*bc_bh;		/* the leaf held, or NULL */
	uint32_t	 bc_lo, bc_hi;	/* logical blocks it covers */
};
int	efs_bmap_cached(struct efs_vol *v, struct efs_inode *ip,
	    struct efs_bmap_cache *bc, uint32_t lblk, uint64_t *pblk,
	    uint32_t *len);
void	efs_bmap_cache_done(struct efs_vol *v, struct efs_bmap_cache *bc);
/* Check the extent root of an inode. */
int	efs_extent_root_check(struct efs_vol *v, uint64_t ino,
	    const struct efs_inode *ip);

#endif /* _EFS_IMPL_H_ */
