/*
 * Inodes: 256-byte slots in each group's inode table, each with its own
 * checksum seeded by the inode number, so that a slot read from the wrong
 * place does not verify.
 */
#include "efs_impl.h"

/* Inode ino's table block and byte offset in it.  -EINVAL. */
static int
inode_where(struct efs_vol *v, uint64_t ino, uint64_t *blk, size_t *off)
{
	uint32_t g, idx;

	if (ino == 0 || ino > v->vl_sb.sb_inode_count)
		return -EINVAL;
	g = (ino - 1) / v->vl_sb.sb_group_inodes;
	idx = (ino - 1) % v->vl_sb.sb_group_inodes;
	*blk = v->vl_groups[g].bg_inode_table + idx / EFS_INODES_PER_BLOCK;
	*off = (idx % EFS_INODES_PER_BLOCK) * EFS_INODE_SIZE;
	return 0;
}

static uint32_t
inode_csum(const struct efs_super *sb, uint64_t ino,
    const struct efs_inode *ip)
{
	return efs_csum(sb->sb_csum_seed ^ (uint32_t)ino, ip, sizeof(*ip),
	    offsetof(struct efs_inode, i_crc));
}

/* The extent root in an inode: magic, room, count and depth. */
int
efs_extent_root_check(struct efs_vol *v, uint64_t ino,
    const struct efs_inode *ip)
{
	const struct efs_extent_header *eh = &ip->i_eh;

	if (eh->eh_magic != EFS_EXTENT_MAGIC ||
	    eh->eh_max != EFS_EXTENTS_IN_INODE ||
	    eh->eh_entries > eh->eh_max ||
	    eh->eh_depth > EFS_EXTENT_MAX_DEPTH)
		return EFS_CORRUPT(v, "inode %llu: bad extent root (magic "
		    "%#x, %u of %u entries, depth %u)",
		    (unsigned long long)ino, eh->eh_magic, eh->eh_entries,
		    eh->eh_max, eh->eh_depth);
	return 0;
}

/* The fields of a checksummed, in-use inode that must make sense. */
static int
inode_check(struct efs_vol *v, uint64_t ino, const struct efs_inode *ip)
{
	uint32_t type = ip->i_mode & EFS_S_IFMT;

	switch (type) {
	case EFS_S_IFREG:
	case EFS_S_IFDIR:
	case EFS_S_IFLNK:
	case 0010000:	/* FIFO */
	case 0020000:	/* character device */
	case 0060000:	/* block device */
	case 0140000:	/* socket */
		break;
	default:
		return EFS_CORRUPT(v, "inode %llu: bad file type %#o",
		    (unsigned long long)ino, type);
	}
	if (ip->i_flags & ~EFS_IFLAG_INLINE)
		return EFS_CORRUPT(v, "inode %llu: unknown flags %#x",
		    (unsigned long long)ino, ip->i_flags);
	if (ip->i_flags & EFS_IFLAG_INLINE) {
		if (type != EFS_S_IFLNK || ip->i_size > EFS_INLINE_MAX)
			return EFS_CORRUPT(v, "inode %llu: bad inline "
			    "symlink", (unsigned long long)ino);
		return 0;
	}
	if (type == EFS_S_IFLNK && (ip->i_size == 0 ||
	    ip->i_size > EFS_SYMLINK_MAX))
		return EFS_CORRUPT(v, "inode %llu: bad symlink size %llu",
		    (unsigned long long)ino, (unsigned long long)ip->i_size);
	if (type == EFS_S_IFDIR && (ip->i_parent == 0 ||
	    ip->i_parent > v->vl_sb.sb_inode_count))
		return EFS_CORRUPT(v, "inode %llu: bad parent %llu",
		    (unsigned long long)ino, (unsigned long long)ip->i_parent);
	if (type == EFS_S_IFREG || type == EFS_S_IFDIR || type == EFS_S_IFLNK)
		return efs_extent_root_check(v, ino, ip);
	return 0;
}

/*
 * Is *ip a free slot as the format writes one: zeros but for
 * i_generation, with no checksum?
 */
static bool
inode_is_free_slot(const struct efs_inode *ip)
{
	struct efs_inode z;

	memset(&z, 0, sizeof(z));
	z.i_generation = ip->i_generation;
	return memcmp(ip, &z, sizeof(z)) == 0;
}

/*
 * Read inode ino into *ip and check it: its checksum, and for an inode
 * in use (i_mode != 0) its type, flags and extent root.  A free slot
 * (zeros but for i_generation, no checksum) and a checksummed inode of
 * mode 0 read as they are.  Returns 0, -EINVAL (no such number),
 * -EUCLEAN or -EIO.
 */
int
efs_inode_read(struct efs_vol *v, uint64_t ino, struct efs_inode *ip)
{
	struct efs_bh *bh;
	uint64_t blk;
	size_t off;
	int error;

	if ((error = inode_where(v, ino, &blk, &off)) < 0)
		return error;
	if ((error = efs_bread(v, blk, &bh)) < 0)
		return error;
	memcpy(ip, bh->bh_data + off, sizeof(*ip));
	efs_brelse(v, bh);
	if (inode_is_free_slot(ip))
		return 0;
	if (ip->i_crc != inode_csum(&v->vl_sb, ino, ip))
		return EFS_CORRUPT(v, "inode %llu: checksum mismatch",
		    (unsigned long long)ino);
	if (ip->i_mode == 0)
		return 0;
	return inode_check(v, ino, ip);
}

/*
 * Write *ip as inode ino, its checksum set in the copy on disk (and in
 * *ip's i_crc left alone: it is const).  Returns 0, -EINVAL, -EROFS or
 * -EIO.
 */
int
efs_inode_write(struct efs_vol *v, uint64_t ino, const struct efs_inode *ip)
{
	struct efs_inode tmp;
	struct efs_bh *bh;
	uint64_t blk;
	size_t off;
	int error;

	if (v->vl_rdonly)
		return -EROFS;
	if ((error = inode_where(v, ino, &blk, &off)) < 0)
		return error;
	memcpy(&tmp, ip, sizeof(tmp));
	tmp.i_crc = inode_csum(&v->vl_sb, ino, &tmp);
	if ((error = efs_bread(v, blk, &bh)) < 0)
		return error;
	memcpy(bh->bh_data + off, &tmp, sizeof(tmp));
	efs_bdirty(v, bh);
	efs_brelse(v, bh);
	return 0;
}

/*
 * A fresh inode: mode, owner, every time (sec, nsec), one link (two for
 * a directory, whose i_parent efs_dir_init sets), an empty extent root.
 */
void
efs_inode_init(struct efs_inode *ip, uint32_t mode, uint32_t uid,
    uint32_t gid, int64_t sec, uint32_t nsec)
{
	memset(ip, 0, sizeof(*ip));
	ip->i_mode = mode;
	ip->i_uid = uid;
	ip->i_gid = gid;
	ip->i_nlink = EFS_ISDIR(mode) ? 2 : 1;
	ip->i_atime_sec = ip->i_mtime_sec = ip->i_ctime_sec =
	    ip->i_btime_sec = sec;
	ip->i_atime_nsec = ip->i_mtime_nsec = ip->i_ctime_nsec =
	    ip->i_btime_nsec = nsec;
	ip->i_eh.eh_magic = EFS_EXTENT_MAGIC;
	ip->i_eh.eh_max = EFS_EXTENTS_IN_INODE;
}
