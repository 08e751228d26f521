/*
 * fsck.eclipsefs, pass 1: every inode slot of every group.
 *
 * A slot is in use when its bit is set in the inode bitmap.  An in-use
 * inode must verify its checksum and have a known type; its extent tree
 * is walked (every node's checksum, header, order, bounds) and each
 * block it maps is claimed in fs_claim, so that a block claimed twice,
 * outside the filesystem or inside its metadata is found.  A free slot
 * must be zero but for i_generation; a free slot holding a sound inode
 * is a candidate (IS_CAND): in use after all if a directory names it
 * (pass 2).  Then the orphan list, and the bitmaps made safe for the
 * library's allocator (pass1_safe_bitmaps) before pass 2 repairs
 * anything.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "fsck.h"

/* The tree walk's state for one inode. */
struct ext_walk {
	uint64_t	 ew_ino;
	bool		 ew_final;	/* quiet re-claim (pass 5) */
	bool		 ew_clone;	/* copy extents holding dup blocks */
	bool		 ew_clone_failed;
	uint64_t	 ew_blocks;	/* data + node blocks kept */
	uint64_t	 ew_end;	/* past the last mapped lblk */
	uint64_t	 ew_ndup;	/* blocks also claimed before */
	uint64_t	 ew_first_dup;
	bool		 ew_changed;	/* the root (in the inode) changed */
};

const char *
type_name(int dt)
{
	switch (dt) {
	case DT_REG:
		return "regular file";
	case DT_DIR:
		return "directory";
	case DT_LNK:
		return "symlink";
	case DT_CHR:
		return "character device";
	case DT_BLK:
		return "block device";
	case DT_FIFO:
		return "fifo";
	case DT_SOCK:
		return "socket";
	}
	return "unknown type";
}

static bool
type_valid(int dt)
{
	return dt == DT_REG || dt == DT_DIR || dt == DT_LNK || dt == DT_CHR ||
	    dt == DT_BLK || dt == DT_FIFO || dt == DT_SOCK;
}

static uint64_t
ino_block(uint64_t ino, size_t *off)
{
	uint64_t g = (ino - 1) / fs.fs_sb->sb_group_inodes;
	uint64_t i = (ino - 1) % fs.fs_sb->sb_group_inodes;

	*off = (i % EFS_INODES_PER_BLOCK) * EFS_INODE_SIZE;
	return fs.fs_groups[g].bg_inode_table + i / EFS_INODES_PER_BLOCK;
}

/* Read inode ino's slot as it is (no checksum check). */
int
inode_read_raw(uint64_t ino, struct efs_inode *ip)
{
	struct efs_bh *bh;
	size_t off;
	int error;

	if (ino == 0 || ino > fs.fs_ninodes)
		return -EINVAL;
	if ((error = fsck_bread(ino_block(ino, &off), &bh)) < 0)
		return error;
	memcpy(ip, bh->bh_data + off, sizeof(*ip));
	fsck_brelse(bh);
	return 0;
}

/* Write inode ino (the library sets its checksum). */
int
inode_write(uint64_t ino, struct efs_inode *ip)
{
	int error;

	if ((error = efs_inode_write(fs.fs_vol, ino, ip)) < 0)
		fsck_repair_failed("writing an inode", error);
	return error;
}

/*
 * Zero inode ino's slot but for i_generation (a free inode, as the
 * format has it); fsck's view of it becomes free unless it was marked
 * damaged (kept so that pass 2 says why entries to it go).
 */
void
inode_clear(uint64_t ino)
{
	struct efs_bh *bh;
	struct efs_inode *ip;
	uint32_t gen;
	size_t off;

	/* Its bit (the library keeps the counts and checksum right). */
	if (efs_inode_used(fs.fs_vol, ino) == 1)
		(void)efs_inode_free(fs.fs_vol, ino,
		    fs.fs_ii[ino].fi_type == DT_DIR);
	if (fsck_bread(ino_block(ino, &off), &bh) < 0)
		return;
	ip = (struct efs_inode *)(bh->bh_data + off);
	gen = ip->i_generation;
	memset(ip, 0, sizeof(*ip));
	ip->i_generation = gen + 1;
	fsck_bdirty(bh);
	fsck_brelse(bh);
	if (fs.fs_ii[ino].fi_state != IS_BAD)
		fs.fs_ii[ino].fi_state = IS_FREE;
}

/*
 * Mark inode ino in use in its bitmap (fsck made it anew: the root),
 * with the checksum and counts its descriptor keeps.
 */
void
inode_bitmap_set(uint64_t ino, bool is_dir)
{
	uint32_t g = (ino - 1) / fs.fs_sb->sb_group_inodes;
	uint32_t i = (ino - 1) % fs.fs_sb->sb_group_inodes;
	struct efs_group *gd = &fs.fs_groups[g];
	struct efs_bh *bh;

	if (fsck_bread(gd->bg_inode_bitmap, &bh) < 0)
		return;
	if (!bit_test(bh->bh_data, i)) {
		bit_set(bh->bh_data, i);
		fsck_bdirty(bh);
		if (gd->bg_free_inodes > 0)
			gd->bg_free_inodes--;
		if (is_dir)
			gd->bg_dirs++;
	}
	gd->bg_inode_bitmap_crc = efs_crc32c(efs_block_seed(fs.fs_sb,
	    gd->bg_inode_bitmap), bh->bh_data, EFS_BLOCK_SIZE);
	fsck_brelse(bh);
	(void)efs_group_write(fs.fs_vol, g);
}

static uint32_t
inode_crc(uint64_t ino, const struct efs_inode *ip)
{
	struct efs_inode tmp = *ip;

	tmp.i_crc = 0;
	return efs_crc32c(fs.fs_sb->sb_csum_seed ^ (uint32_t)ino, &tmp,
	    sizeof(tmp));
}

/* Is the slot zero but for i_generation? */
static bool
inode_zero(const struct efs_inode *ip)
{
	struct efs_inode tmp = *ip;

	tmp.i_generation = 0;
	for (size_t i = 0; i < sizeof(tmp); i++)
		if (((const uint8_t *)&tmp)[i] != 0)
			return false;
	return true;
}

/* Why the blocks [pblk, pblk + len) cannot belong to a file, or NULL. */
static const char *
range_bad(uint64_t pblk, uint64_t len)
{
	uint64_t b;

	if (pblk == 0 || pblk >= fs.fs_nblocks ||
	    len > fs.fs_nblocks - pblk)
		return "outside the filesystem";
	for (b = pblk; b < pblk + len; b++)
		if (bit_test(fs.fs_meta, b))
			return "inside the filesystem's metadata";
	return NULL;
}

static void
claim(struct ext_walk *w, uint64_t pblk, uint64_t len)
{
	uint64_t b;

	for (b = pblk; b < pblk + len; b++) {
		if (bit_test(fs.fs_claim, b) && !w->ew_final) {
			if (!bit_test(fs.fs_dup, b)) {
				bit_set(fs.fs_dup, b);
				fs.fs_ndup++;
			}
			if (w->ew_ndup++ == 0)
				w->ew_first_dup = b;
		}
		bit_set(fs.fs_claim, b);
	}
}

/* Remove entry k of a node of n entries (each 16 bytes after hdr). */
static void
node_remove(struct efs_extent_header *hdr, unsigned k)
{
	uint8_t *ents = (uint8_t *)(hdr + 1);

	memmove(ents + 16 * k, ents + 16 * (k + 1),
	    16 * (hdr->eh_entries - k - 1));
	memset(ents + 16 * (hdr->eh_entries - 1), 0, 16);
	hdr->eh_entries--;
}

static int node_walk(struct ext_walk *, struct efs_extent_header *,
    int, uint64_t, uint64_t, uint64_t, bool *);

/*
 * Give extent *e a copy of its blocks of its own when any of them is
 * claimed by another inode too: new blocks (the bitmaps are the safe
 * union by now), the data copied.  Returns true when *e changed.
 */
static bool
extent_clone(struct ext_walk *w, struct efs_extent *e)
{
	struct efs_bh *src, *dst;
	uint64_t b, nb;
	uint32_t got, i;
	int error;

	for (b = e->ee_pblk; b < e->ee_pblk + e->ee_len; b++)
		if (bit_test(fs.fs_dup, b))
			break;
	if (b == e->ee_pblk + e->ee_len)
		return false;
	if ((error = efs_block_alloc(fs.fs_vol, 0, e->ee_len, &nb,
	    &got)) < 0) {
		fsck_repair_failed("allocating blocks for a copy", error);
		w->ew_clone_failed = true;
		return false;
	}
	if (got < e->ee_len) {
		(void)efs_block_free(fs.fs_vol, nb, got);
		printf("%s: inode %llu: no %u free blocks in a row for a copy "
		    "of its extent at logical %u\n", fs.fs_path,
		    (unsigned long long)w->ew_ino, e->ee_len, e->ee_lblk);
		w->ew_clone_failed = true;
		return false;
	}
	for (i = 0; i < e->ee_len; i++) {
		if ((error = fsck_bread(e->ee_pblk + i, &src)) < 0) {
			w->ew_clone_failed = true;
			return false;
		}
		if ((error = fs.fs_vol->vl_ops->vo_get(fs.fs_vol, nb + i,
		    &dst)) < 0) {
			fsck_brelse(src);
			w->ew_clone_failed = true;
			return false;
		}
		memcpy(dst->bh_data, src->bh_data, EFS_BLOCK_SIZE);
		fsck_bdirty(dst);
		fsck_brelse(dst);
		fsck_brelse(src);
		bit_set(fs.fs_claim, nb + i);
	}
	e->ee_pblk = nb;
	return true;
}

/*
 * Check the child node at blkno of an index entry; walk it.  Returns
 * its entries left (0: drop the index entry), or -1 when it is bad.
 */
static int
child_walk(struct ext_walk *w, uint64_t blkno, int depth, uint64_t lo,
    uint64_t hi, const char **why)
{
	struct efs_extent_header *hdr;
	struct efs_bh *bh;
	bool changed = false;
	uint32_t crc;
	int n;

	if ((*why = range_bad(blkno, 1)) != NULL)
		return -1;
	if (bit_test(fs.fs_claim, blkno) && !w->ew_final) {
		*why = "a block already claimed";
		return -1;
	}
	if (fsck_bread(blkno, &bh) < 0) {
		*why = "unreadable";
		return -1;
	}
	hdr = (struct efs_extent_header *)bh->bh_data;
	crc = fsck_block_crc(blkno, bh->bh_data, EFS_BLOCK_SIZE,
	    offsetof(struct efs_extent_header, eh_crc));
	*why = NULL;
	if (w->ew_final)
		*why = NULL;
	else if (crc != hdr->eh_crc)
		*why = "checksum mismatch";
	else if (hdr->eh_magic != EFS_EXTENT_MAGIC)
		*why = "bad magic";
	else if (hdr->eh_depth != depth)
		*why = "wrong depth";
	else if (hdr->eh_max != EFS_EXTENTS_PER_BLOCK ||
	    hdr->eh_entries > hdr->eh_max)
		*why = "bad entry counts";
	if (*why != NULL) {
		fsck_brelse(bh);
		return -1;
	}
	claim(w, blkno, 1);
	w->ew_blocks++;
	n = node_walk(w, hdr, depth, lo, hi, blkno, &changed);
	if (changed) {
		hdr->eh_crc = fsck_block_crc(blkno, bh->bh_data,
		    EFS_BLOCK_SIZE, offsetof(struct efs_extent_header,
		    eh_crc));
		fsck_bdirty(bh);
	}
	fsck_brelse(bh);
	if (n == 0) {
		/* An empty node: its block is not kept. */
		w->ew_blocks--;
		if (!w->ew_final)
			bit_clear(fs.fs_claim, blkno);
	}
	return n;
}

/*
 * Walk one node (the root in the inode, or a block at node_blkno) of
 * the given depth covering logical blocks [lo, hi): check each entry,
 * remove the bad ones (when allowed) and claim the blocks of the rest.
 * Returns the entries left; *changed when the node was edited.
 */
static int
node_walk(struct ext_walk *w, struct efs_extent_header *hdr, int depth,
    uint64_t lo, uint64_t hi, uint64_t node_blkno, bool *changed)
{
	struct efs_extent *e;
	struct efs_extent_idx *x;
	uint64_t prev_end = lo, next;
	const char *why;
	char where[64];
	unsigned k = 0;
	int n;

	if (node_blkno != 0)
		snprintf(where, sizeof(where), "node %llu",
		    (unsigned long long)node_blkno);
	else
		snprintf(where, sizeof(where), "root");
	while (k < hdr->eh_entries) {
		why = NULL;
		if (depth == 0) {
			e = (struct efs_extent *)(hdr + 1) + k;
			if (w->ew_clone) {
				if (extent_clone(w, e))
					*changed = true;
				k++;
				continue;
			}
			if (w->ew_final)
				why = NULL;
			else if (e->ee_len == 0 ||
			    e->ee_len > EFS_EXTENT_MAX_LEN)
				why = "bad length";
			else if (e->ee_lblk < prev_end)
				why = "out of order, or overlapping";
			else if ((uint64_t)e->ee_lblk + e->ee_len > hi)
				why = "past the range its index gives";
			else
				why = range_bad(e->ee_pblk, e->ee_len);
			if (why != NULL) {
				if (!fsck_problem(FIX_ASK, "inode %llu: extent "
				    "tree %s entry %u (logical %u, %u blocks "
				    "at %llu): %s: removing it",
				    (unsigned long long)w->ew_ino, where, k,
				    e->ee_lblk, e->ee_len,
				    (unsigned long long)e->ee_pblk, why)) {
					k++;
					continue;
				}
				node_remove(hdr, k);
				*changed = true;
				continue;
			}
			claim(w, e->ee_pblk, e->ee_len);
			w->ew_blocks += e->ee_len;
			prev_end = (uint64_t)e->ee_lblk + e->ee_len;
			if (prev_end > w->ew_end)
				w->ew_end = prev_end;
			k++;
			continue;
		}
		x = (struct efs_extent_idx *)(hdr + 1) + k;
		next = k + 1 < hdr->eh_entries ? x[1].ei_lblk : hi;
		if (next > hi)
			next = hi;
		if (!w->ew_final && (x->ei_lblk < prev_end ||
		    x->ei_lblk >= next)) {
			why = "out of order";
			n = -1;
		} else
			n = child_walk(w, x->ei_child, depth - 1, x->ei_lblk,
			    next, &why);
		if (n < 0 && !fsck_problem(FIX_ASK, "inode %llu: extent tree "
		    "%s index %u (logical %u, node %llu): %s: removing it "
		    "(a hole from there)", (unsigned long long)w->ew_ino,
		    where, k, x->ei_lblk, (unsigned long long)x->ei_child,
		    why)) {
			k++;
			continue;
		}
		if (n <= 0) {
			node_remove(hdr, k);
			*changed = true;
			continue;
		}
		prev_end = x->ei_lblk;
		k++;
	}
	return hdr->eh_entries;
}

/*
 * Walk and claim inode ino's extents, repairing its tree (entries that
 * are out of bounds, overlap, point outside the filesystem or into its
 * metadata, at damaged nodes) when allowed.  final: pass 5's quiet
 * re-claim of a tree already checked.  Returns true when *ip changed.
 */
static bool
extents_walk(uint64_t ino, struct efs_inode *ip, bool final,
    struct ext_walk *w)
{
	struct efs_extent_header *hdr = &ip->i_eh;
	bool changed = false;

	memset(w, 0, sizeof(*w));
	w->ew_ino = ino;
	w->ew_final = final;
	if (!final && (hdr->eh_magic != EFS_EXTENT_MAGIC ||
	    hdr->eh_depth > EFS_EXTENT_MAX_DEPTH ||
	    hdr->eh_max != EFS_EXTENTS_IN_INODE ||
	    hdr->eh_entries > EFS_EXTENTS_IN_INODE)) {
		if (!fsck_problem(FIX_ASK, "inode %llu: extent root: bad "
		    "header (magic %04x, %u of %u entries, depth %u): "
		    "emptying it",
		    (unsigned long long)ino, hdr->eh_magic, hdr->eh_entries,
		    hdr->eh_max, hdr->eh_depth))
			return false;
		memset(hdr, 0, sizeof(*hdr) + sizeof(ip->i_ext));
		hdr->eh_magic = EFS_EXTENT_MAGIC;
		hdr->eh_max = EFS_EXTENTS_IN_INODE;
		return true;
	}
	if (hdr->eh_magic != EFS_EXTENT_MAGIC)
		return false;
	node_walk(w, hdr, hdr->eh_depth, 0, 1ULL << 32, 0, &changed);
	if (hdr->eh_entries == 0 && hdr->eh_depth != 0) {
		hdr->eh_depth = 0;
		changed = true;
	}
	return changed || w->ew_changed;
}

/*
 * After the bitmaps are safe: every inode that claimed blocks another
 * had claimed first gets copies of them (the first keeps them).
 */
void
pass1_dups(void)
{
	struct efs_inode ip;
	struct ext_walk w;
	bool changed = false;
	uint64_t ino;

	if (fs.fs_ndup == 0)
		return;
	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		if (!(fs.fs_ii[ino].fi_flags & IF_DUP) ||
		    fs.fs_ii[ino].fi_state != IS_OK ||
		    inode_read_raw(ino, &ip) < 0)
			continue;
		memset(&w, 0, sizeof(w));
		w.ew_ino = ino;
		w.ew_final = true;
		w.ew_clone = true;
		changed = false;
		node_walk(&w, &ip.i_eh, ip.i_eh.eh_depth, 0, 1ULL << 32, 0,
		    &changed);
		if (w.ew_clone_failed)
			fs.fs_nleft++;
		if (changed)
			(void)inode_write(ino, &ip);
	}
}

/* Pass 5: re-claim inode ino's blocks into a fresh fs_claim. */
void
extents_check(uint64_t ino, struct efs_inode *ip, bool final)
{
	struct ext_walk w;

	(void)extents_walk(ino, ip, final, &w);
}

/*
 * Check one in-use inode (its slot in *ip, bitmap bit set, or a
 * candidate being accepted): checksum, type, flags, extents, i_blocks,
 * size; repairs written back.  Sets fs_ii[ino].
 */
void
inode_check(uint64_t ino, struct efs_inode *ip)
{
	struct fsck_ino *fi = &fs.fs_ii[ino];
	struct ext_walk w;
	uint32_t crc = inode_crc(ino, ip);
	uint64_t want;
	bool changed = false;
	int dt = (ip->i_mode >> 12) & 0xF;

	if (crc != ip->i_crc) {
		fi->fi_state = IS_BAD;
		if (fsck_problem(FIX_ASK, "inode %llu: checksum mismatch "
		    "(stored %08x, computed %08x): clearing it",
		    (unsigned long long)ino, ip->i_crc, crc))
			inode_clear(ino);
		return;
	}
	if (!type_valid(dt)) {
		fi->fi_state = IS_BAD;
		if (fsck_problem(FIX_ASK, "inode %llu: bad mode 0%o (no such "
		    "file type): clearing it", (unsigned long long)ino,
		    ip->i_mode))
			inode_clear(ino);
		return;
	}
	fi->fi_state = IS_OK;
	fi->fi_type = dt;
	if ((ip->i_flags & ~EFS_IFLAG_INLINE) != 0 &&
	    fsck_problem(FIX_ASK, "inode %llu: unknown flags 0x%x: clearing "
	    "them", (unsigned long long)ino, ip->i_flags)) {
		ip->i_flags &= EFS_IFLAG_INLINE;
		changed = true;
	}
	if ((ip->i_flags & EFS_IFLAG_INLINE) && dt != DT_LNK) {
		if (!fsck_problem(FIX_ASK, "inode %llu: a %s with the "
		    "inline-symlink flag: clearing the flag",
		    (unsigned long long)ino, type_name(dt)))
			goto out;
		ip->i_flags &= ~EFS_IFLAG_INLINE;
		changed = true;
	}
	if (dt == DT_LNK && (ip->i_flags & EFS_IFLAG_INLINE)) {
		if (ip->i_size == 0 || ip->i_size > EFS_INLINE_MAX ||
		    ip->i_blocks != 0) {
			fi->fi_state = IS_BAD;
			if (fsck_problem(FIX_ASK, "inode %llu: inline symlink "
			    "of %llu bytes, %llu blocks (expected 1..%u bytes, "
			    "no blocks): clearing it", (unsigned long long)ino,
			    (unsigned long long)ip->i_size,
			    (unsigned long long)ip->i_blocks, EFS_INLINE_MAX))
				inode_clear(ino);
			return;
		}
		goto out;
	}
	if (dt != DT_REG && dt != DT_DIR && dt != DT_LNK) {
		/* Devices, fifos, sockets: no data. */
		if ((ip->i_eh.eh_magic == EFS_EXTENT_MAGIC &&
		    ip->i_eh.eh_entries != 0) || ip->i_blocks != 0 ||
		    ip->i_size != 0) {
			if (fsck_problem(FIX_ASK, "inode %llu: a %s with %llu "
			    "bytes, %llu blocks and %u extents (expected "
			    "none): emptying it", (unsigned long long)ino,
			    type_name(dt), (unsigned long long)ip->i_size,
			    (unsigned long long)ip->i_blocks,
			    ip->i_eh.eh_entries)) {
				memset(&ip->i_eh, 0, sizeof(ip->i_eh) +
				    sizeof(ip->i_ext));
				ip->i_eh.eh_magic = EFS_EXTENT_MAGIC;
				ip->i_eh.eh_max = EFS_EXTENTS_IN_INODE;
				ip->i_size = 0;
				ip->i_blocks = 0;
				changed = true;
			}
		}
		goto out;
	}
	if (extents_walk(ino, ip, false, &w))
		changed = true;
	fi->fi_flags |= IF_WALKED;
	if (w.ew_ndup > 0 && fsck_problem(FIX_ASK, "inode %llu: %llu of its "
	    "blocks are claimed by another inode too (the first: block "
	    "%llu): giving it copies of its own", (unsigned long long)ino,
	    (unsigned long long)w.ew_ndup, (unsigned long long)w.ew_first_dup))
		fi->fi_flags |= IF_DUP;
	if (ip->i_blocks != w.ew_blocks && fsck_problem(FIX_PREEN,
	    "inode %llu: i_blocks %llu, but its extents hold %llu blocks",
	    (unsigned long long)ino, (unsigned long long)ip->i_blocks,
	    (unsigned long long)w.ew_blocks)) {
		ip->i_blocks = w.ew_blocks;
		changed = true;
	}
	want = (ip->i_size + EFS_BLOCK_SIZE - 1) / EFS_BLOCK_SIZE;
	if (dt == DT_LNK) {
		if (ip->i_size == 0 || ip->i_size >= EFS_BLOCK_SIZE ||
		    w.ew_end != 1 || w.ew_blocks != 1) {
			fi->fi_state = IS_BAD;
			if (fsck_problem(FIX_ASK, "inode %llu: symlink of "
			    "%llu bytes in %llu blocks (expected 1..%u bytes "
			    "in block 0): clearing it",
			    (unsigned long long)ino,
			    (unsigned long long)ip->i_size,
			    (unsigned long long)w.ew_blocks,
			    EFS_BLOCK_SIZE - 1))
				inode_clear(ino);
			return;
		}
	} else if (w.ew_end > want && fsck_problem(FIX_ASK, "inode %llu: "
	    "logical block %llu is mapped, past i_size %llu: setting the "
	    "size to %llu", (unsigned long long)ino,
	    (unsigned long long)w.ew_end - 1, (unsigned long long)ip->i_size,
	    (unsigned long long)w.ew_end * EFS_BLOCK_SIZE)) {
		ip->i_size = w.ew_end * EFS_BLOCK_SIZE;
		changed = true;
	}
out:
	if (changed)
		(void)inode_write(ino, ip);
}

/*
 * Copy group g's bitmap at blkno, as read, into data, and compare its
 * checksum with the one its descriptor keeps (stored).
 */
static void
bitmap_load(uint32_t g, const char *what, uint64_t blkno, uint8_t *data,
    uint32_t stored)
{
	struct efs_bh *bh;
	uint32_t crc;
	int error;

	if ((error = fsck_bread(blkno, &bh)) < 0)
		fsck_fatal("group %u: reading its %s bitmap: %s", g, what,
		    strerror(-error));
	memcpy(data, bh->bh_data, EFS_BLOCK_SIZE);
	fsck_brelse(bh);
	if (fs.fs_gbad[g])
		return;
	crc = efs_crc32c(efs_block_seed(fs.fs_sb, blkno), data,
	    EFS_BLOCK_SIZE);
	if (crc != stored)
		fsck_problem(FIX_PREEN, "group %u: %s bitmap (block %llu): "
		    "checksum %08x, the descriptor says %08x (rebuilt from "
		    "what is in use)", g, what, (unsigned long long)blkno,
		    crc, stored);
}

static uint32_t count_free(const uint8_t *, uint32_t);

/*
 * Group g's descriptor counts against its bitmaps as read, and its
 * directories as pass 1 found them.
 */
static void
pass1_counts(uint32_t g)
{
	const struct efs_group *go = &fs.fs_groups_orig[g];
	uint32_t i, gi = fs.fs_sb->sb_group_inodes, n, dirs = 0;
	uint64_t ino;
	bool bad = false;

	if (fs.fs_gbad[g])
		return;
	n = count_free(fs.fs_bbm_orig + (size_t)g * EFS_BLOCK_SIZE,
	    group_nblocks(g));
	if (go->bg_free_blocks != n)
		fsck_problem(FIX_PREEN, "group %u: free blocks count %u, but "
		    "its bitmap has %u free", g, go->bg_free_blocks, n);
	n = count_free(fs.fs_ibm_orig + (size_t)g * EFS_BLOCK_SIZE, gi);
	if (go->bg_free_inodes != n)
		fsck_problem(FIX_PREEN, "group %u: free inodes count %u, but "
		    "its bitmap has %u free", g, go->bg_free_inodes, n);
	for (i = 0; i < gi; i++) {
		ino = (uint64_t)g * gi + i + 1;
		if (fs.fs_ii[ino].fi_state == IS_OK &&
		    fs.fs_ii[ino].fi_type == DT_DIR)
			dirs++;
		if (fs.fs_ii[ino].fi_state == IS_BAD)
			bad = true;
	}
	/* A damaged inode's type is unknown: pass 5 sets the count. */
	if (go->bg_dirs != dirs && !bad)
		fsck_problem(FIX_PREEN, "group %u: directories count %u, but "
		    "it holds %u", g, go->bg_dirs, dirs);
}

/*
 * Pass 1: read every group's bitmaps (kept as read, for the reports
 * of pass 5) and inode table, and check every inode in use.
 */
void
pass1(void)
{
	const struct efs_super *sb = fs.fs_sb;
	uint32_t g, i, gi = sb->sb_group_inodes;
	struct efs_inode ino_buf;
	uint8_t *ibm;
	uint64_t ino;
	int error;

	fs.fs_claim = fsck_calloc((fs.fs_nblocks + 7) / 8, 1);
	fs.fs_dup = fsck_calloc((fs.fs_nblocks + 7) / 8, 1);
	memcpy(fs.fs_claim, fs.fs_meta, (fs.fs_nblocks + 7) / 8);
	fs.fs_ii = fsck_calloc(fs.fs_ninodes + 1, sizeof(*fs.fs_ii));
	fs.fs_bbm_orig = fsck_calloc(fs.fs_ngroups, EFS_BLOCK_SIZE);
	fs.fs_ibm_orig = fsck_calloc(fs.fs_ngroups, EFS_BLOCK_SIZE);

	for (g = 0; g < fs.fs_ngroups; g++) {
		bitmap_load(g, "block", fs.fs_groups[g].bg_block_bitmap,
		    fs.fs_bbm_orig + (size_t)g * EFS_BLOCK_SIZE,
		    fs.fs_groups_orig[g].bg_block_bitmap_crc);
		ibm = fs.fs_ibm_orig + (size_t)g * EFS_BLOCK_SIZE;
		bitmap_load(g, "inode", fs.fs_groups[g].bg_inode_bitmap, ibm,
		    fs.fs_groups_orig[g].bg_inode_bitmap_crc);
		for (i = 0; i < gi; i++) {
			ino = (uint64_t)g * gi + i + 1;
			if ((error = inode_read_raw(ino, &ino_buf)) < 0)
				fsck_fatal("inode %llu: %s",
				    (unsigned long long)ino, strerror(-error));
			if (bit_test(ibm, i)) {
				inode_check(ino, &ino_buf);
				continue;
			}
			if (inode_zero(&ino_buf))
				continue;
			if (inode_crc(ino, &ino_buf) == ino_buf.i_crc &&
			    type_valid((ino_buf.i_mode >> 12) & 0xF)) {
				fs.fs_ii[ino].fi_state = IS_CAND;
				fs.fs_ii[ino].fi_type = (ino_buf.i_mode >> 12) &
				    0xF;
				continue;
			}
			if (fsck_problem(FIX_PREEN, "inode %llu: free in the "
			    "bitmap but not zeroed: zeroing it",
			    (unsigned long long)ino))
				inode_clear(ino);
		}
		pass1_counts(g);
	}
}

/*
 * The orphan list, from sb_orphan_head: each must be an inode in use;
 * a bad link or a loop ends the list there.  They are marked IF_ORPHAN;
 * pass 4 frees those no directory names.
 */
void
pass1_orphans(void)
{
	struct efs_inode ip;
	uint64_t prev = 0, ino = fs.fs_sb->sb_orphan_head, steps = 0;
	const char *why;

	while (ino != 0) {
		why = NULL;
		if (ino > fs.fs_ninodes)
			why = "out of range";
		else if (fs.fs_ii[ino].fi_flags & IF_ORPHAN)
			why = "already on the list (a loop)";
		else if (fs.fs_ii[ino].fi_state != IS_OK)
			why = "not an inode in use";
		else if (inode_read_raw(ino, &ip) < 0)
			why = "unreadable";
		else if (++steps > fs.fs_ninodes)
			why = "too long";
		if (why != NULL) {
			if (fsck_problem(FIX_PREEN, "orphan list: inode %llu "
			    "(after %llu): %s: ending the list before it",
			    (unsigned long long)ino, (unsigned long long)prev,
			    why)) {
				if (prev == 0)
					fs.fs_sb->sb_orphan_head = 0;
				else if (inode_read_raw(prev, &ip) == 0) {
					ip.i_orphan_next = 0;
					(void)inode_write(prev, &ip);
				}
			}
			return;
		}
		fs.fs_ii[ino].fi_flags |= IF_ORPHAN;
		prev = ino;
		ino = ip.i_orphan_next;
	}
}

/* "block 5" or "blocks 5-9". */
const char *
fmt_run(char *buf, size_t size, const char *what, uint64_t first,
    uint64_t n)
{
	if (n == 1)
		snprintf(buf, size, "%s %llu", what, (unsigned long long)first);
	else
		snprintf(buf, size, "%ss %llu-%llu", what,
		    (unsigned long long)first,
		    (unsigned long long)(first + n - 1));
	return buf;
}

static uint32_t
count_free(const uint8_t *map, uint32_t n)
{
	uint32_t i, nfree = 0;

	for (i = 0; i < n; i++)
		if (!bit_test(map, i))
			nfree++;
	return nfree;
}

/* Blocks in group g: the last group may be short. */
uint32_t
group_nblocks(uint32_t g)
{
	uint64_t start = (uint64_t)g * fs.fs_sb->sb_group_blocks;
	uint64_t n = fs.fs_nblocks - start;

	return n < fs.fs_sb->sb_group_blocks ? (uint32_t)n :
	    fs.fs_sb->sb_group_blocks;
}

/*
 * Write group g's bitmaps (bbm, ibm: whole blocks) with their
 * checksums and free counts into its descriptor.
 */
void
group_store(uint32_t g, const uint8_t *bbm, const uint8_t *ibm)
{
	struct efs_group *gd = &fs.fs_groups[g];
	struct efs_bh *bh;
	int error;

	if ((error = fsck_bread(gd->bg_block_bitmap, &bh)) < 0)
		fsck_fatal("group %u: block bitmap: %s", g, strerror(-error));
	if (memcmp(bh->bh_data, bbm, EFS_BLOCK_SIZE) != 0) {
		memcpy(bh->bh_data, bbm, EFS_BLOCK_SIZE);
		fsck_bdirty(bh);
	}
	fsck_brelse(bh);
	if ((error = fsck_bread(gd->bg_inode_bitmap, &bh)) < 0)
		fsck_fatal("group %u: inode bitmap: %s", g, strerror(-error));
	if (memcmp(bh->bh_data, ibm, EFS_BLOCK_SIZE) != 0) {
		memcpy(bh->bh_data, ibm, EFS_BLOCK_SIZE);
		fsck_bdirty(bh);
	}
	fsck_brelse(bh);
	gd->bg_block_bitmap_crc = efs_crc32c(efs_block_seed(fs.fs_sb,
	    gd->bg_block_bitmap), bbm, EFS_BLOCK_SIZE);
	gd->bg_inode_bitmap_crc = efs_crc32c(efs_block_seed(fs.fs_sb,
	    gd->bg_inode_bitmap), ibm, EFS_BLOCK_SIZE);
	gd->bg_free_blocks = count_free(bbm, group_nblocks(g));
	gd->bg_free_inodes = count_free(ibm, fs.fs_sb->sb_group_inodes);
	if ((error = efs_group_write(fs.fs_vol, g)) < 0)
		fsck_fatal("group %u: writing its descriptor: %s", g,
		    strerror(-error));
}

/*
 * Before pass 2 repairs anything (the library then allocates blocks and
 * inodes): every block in use and every inode slot not free marked in
 * the bitmaps (their union with the bitmaps as read), so that nothing in
 * use is handed out again.  Blocks in use but free in the bitmap are
 * reported here; the other way round, in pass 5.
 */
void
pass1_safe_bitmaps(void)
{
	uint32_t g, i, n, gb = fs.fs_sb->sb_group_blocks;
	uint32_t gi = fs.fs_sb->sb_group_inodes;
	uint8_t bbm[EFS_BLOCK_SIZE], ibm[EFS_BLOCK_SIZE];
	uint64_t b0, run = 0, runlen = 0;
	char rbuf[64];

	struct efs_bh *bh;

	for (g = 0; g < fs.fs_ngroups; g++) {
		if (fsck_bread(fs.fs_groups[g].bg_block_bitmap, &bh) < 0)
			fsck_fatal("group %u: block bitmap unreadable", g);
		memcpy(bbm, bh->bh_data, EFS_BLOCK_SIZE);
		fsck_brelse(bh);
		if (fsck_bread(fs.fs_groups[g].bg_inode_bitmap, &bh) < 0)
			fsck_fatal("group %u: inode bitmap unreadable", g);
		memcpy(ibm, bh->bh_data, EFS_BLOCK_SIZE);
		fsck_brelse(bh);
		b0 = (uint64_t)g * gb;
		n = group_nblocks(g);
		for (i = 0; i <= n; i++) {
			if (i < n && bit_test(fs.fs_claim, b0 + i) &&
			    !bit_test(bbm, i)) {
				if (runlen++ == 0)
					run = b0 + i;
				bit_set(bbm, i);
				continue;
			}
			if (runlen == 0)
				continue;
			fsck_problem(FIX_PREEN, "group %u: %s in use but free "
			    "in the block bitmap", g, fmt_run(rbuf,
			    sizeof(rbuf), "block", run, runlen));
			runlen = 0;
		}
		/* Past the end of a short group: set. */
		for (i = n; i < EFS_MAX_GROUP_BLOCKS; i++)
			bit_set(bbm, i);
		for (i = 0; i < gi; i++)
			if (fs.fs_ii[(uint64_t)g * gi + i + 1].fi_state ==
			    IS_OK || fs.fs_ii[(uint64_t)g * gi + i +
			    1].fi_state == IS_CAND)
				bit_set(ibm, i);
		group_store(g, bbm, ibm);
	}
}
