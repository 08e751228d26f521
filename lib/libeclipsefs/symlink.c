/*
 * Symbolic links: a target of at most EFS_INLINE_MAX bytes lives in the
 * inode (EFS_IFLAG_INLINE, in place of the extent root); a longer one in
 * the file's block 0.  i_size is the target's length either way.
 */
#include "efs_impl.h"

/*
 * Store target (len bytes, 1..4095) in *ip (inode ino, a symlink with no
 * blocks yet).  Returns 0, -EINVAL, -ENAMETOOLONG, -ENOSPC, -EROFS or
 * -EIO; the caller writes the inode.
 */
int
efs_symlink_set(struct efs_vol *v, uint64_t ino, struct efs_inode *ip,
    const char *target, size_t len)
{
	struct efs_bh *bh;
	uint64_t pblk;
	uint32_t got;
	int error;

	if (v->vl_rdonly)
		return -EROFS;
	if (!EFS_ISLNK(ip->i_mode) || len == 0)
		return -EINVAL;
	if (len > EFS_SYMLINK_MAX)
		return -ENAMETOOLONG;
	if (len <= EFS_INLINE_MAX) {
		memset(ip->i_symlink, 0, sizeof(ip->i_symlink));
		memcpy(ip->i_symlink, target, len);
		ip->i_flags |= EFS_IFLAG_INLINE;
		ip->i_size = len;
		return 0;
	}
	if ((error = efs_balloc(v, ino, ip, 0, 1, false, &pblk, &got)) < 0)
		return error;
	if ((error = efs_bget(v, pblk, &bh)) < 0)
		return error;
	memcpy(bh->bh_data, target, len);
	efs_bdirty(v, bh);
	efs_brelse(v, bh);
	ip->i_flags &= ~EFS_IFLAG_INLINE;
	ip->i_size = len;
	return 0;
}

/*
 * Copy the target of *ip into buf (at most bufsz bytes, no NUL added).
 * Returns the bytes copied, -EINVAL (not a symlink), -EUCLEAN or -EIO.
 */
long
efs_symlink_get(struct efs_vol *v, struct efs_inode *ip, char *buf,
    size_t bufsz)
{
	struct efs_bh *bh;
	uint64_t pblk;
	uint32_t len;
	size_t n = ip->i_size;
	int error;

	if (!EFS_ISLNK(ip->i_mode))
		return -EINVAL;
	if (ip->i_flags & EFS_IFLAG_INLINE) {
		if (n > EFS_INLINE_MAX)
			return EFS_CORRUPT(v, "inline symlink of %zu bytes", n);
		if (n > bufsz)
			n = bufsz;
		memcpy(buf, ip->i_symlink, n);
		return n;
	}
	if (n == 0 || n > EFS_SYMLINK_MAX)
		return EFS_CORRUPT(v, "symlink of %zu bytes", n);
	if ((error = efs_bmap(v, ip, 0, &pblk, &len)) < 0)
		return error;
	if (pblk == 0)
		return EFS_CORRUPT(v, "symlink with no block");
	if ((error = efs_bread(v, pblk, &bh)) < 0)
		return error;
	if (n > bufsz)
		n = bufsz;
	memcpy(buf, bh->bh_data, n);
	efs_brelse(v, bh);
	return n;
}
