/*
 * The eclipsefs on-disk format, version 1: the one definition that the
 * kernel (sys/fs/eclipsefs/) and the tools (lib/libeclipsefs, sbin/mkfs,
 * fsck and dumpe) share.  Documentation/eclipsefs.md is the prose of it,
 * byte by byte; this header is the truth when the two disagree.
 *
 * Every number on disk is little-endian; the structures below are laid
 * out with explicit padding so that their C layout is their disk layout
 * on x86_64 (the static asserts at the end check the sizes).
 *
 * The filesystem is an array of 4096-byte blocks, numbered from 0 at its
 * start (the partition's, or an image's offset):
 *
 *	block 0		the superblock (struct efs_super at byte 0)
 *	block 1..	the group descriptor table (sb_gdt_blocks blocks)
 *	then		the journal (sb_journal_blocks blocks)
 *	then		group 0's bitmaps and inode table, then its data
 *	...		group g (g > 0) starts at block g * sb_group_blocks
 *			with its block bitmap, inode bitmap, inode table
 *	last block	the backup superblock (a copy of block 0)
 *
 * Group g covers blocks [g * sb_group_blocks, (g + 1) * sb_group_blocks)
 * (the last group may be shorter); its descriptor says where its bitmaps
 * and inode table are.  Every block the filesystem uses for itself (the
 * superblocks, the descriptor table, the journal, bitmaps, inode tables)
 * is marked used in its group's block bitmap, so the allocator never
 * needs to know about them.
 *
 * Inodes are numbered from 1; inode n lives in group (n - 1) /
 * sb_group_inodes at index (n - 1) % sb_group_inodes of its table.
 * Inode 0 means "none".  EFS_ROOT_INO is the root directory.
 *
 * Checksums: CRC32C (Castagnoli, reflected polynomial 0x82F63B78,
 * initial value ~0, final xor ~0: the iSCSI/ext4 one) of the structure
 * with its own crc field taken as zero, seeded by sb_csum_seed (the CRC32C
 * of the UUID) and, for blocks, the block number, so that a block
 * written to the wrong place does not verify:
 *	crc = crc32c(seed = efs_block_seed(sb, blkno), bytes, crc field = 0)
 * The superblock's own checksum is seeded with ~0 (it holds the UUID).
 * A structure whose checksum does not verify is corrupt: never trusted.
 */
#ifndef _EFS_FORMAT_H_
#define _EFS_FORMAT_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stdint.h>
#endif

#define EFS_BLOCK_SIZE		4096
#define EFS_BLOCK_SHIFT		12
#define EFS_SECTORS_PER_BLOCK	(EFS_BLOCK_SIZE / 512)

#define EFS_MAGIC		0x53465350494C4345ULL	/* "ECLIPSFS" */
#define EFS_VERSION		1
#define EFS_ROOT_INO		1
#define EFS_INODE_SIZE		256
#define EFS_INODES_PER_BLOCK	(EFS_BLOCK_SIZE / EFS_INODE_SIZE)
/* A group's bitmap is one block: at most this many blocks per group. */
#define EFS_MAX_GROUP_BLOCKS	(EFS_BLOCK_SIZE * 8)
#define EFS_MAX_GROUP_INODES	(EFS_BLOCK_SIZE * 8)
#define EFS_LABEL_LEN		32
#define EFS_NAME_MAX		255

/* sb_state */
#define EFS_STATE_CLEAN		0x1	/* unmounted cleanly */
#define EFS_STATE_ERROR		0x2	/* an error was found: run fsck */

/*
 * Feature flags.  A kernel or tool that meets an unknown incompat bit
 * refuses the filesystem; an unknown ro_compat bit allows only a
 * read-only mount; unknown compat bits are ignored.
 */
#define EFS_FEATURE_COMPAT_SUPPORTED		0
#define EFS_FEATURE_INCOMPAT_JOURNAL		0x1	/* sb_journal_* valid */
#define EFS_FEATURE_INCOMPAT_SUPPORTED		EFS_FEATURE_INCOMPAT_JOURNAL
#define EFS_FEATURE_RO_COMPAT_SUPPORTED		0

/*
 * The superblock: block 0 and, as a backup, the last block of the
 * filesystem (mkfs and fsck write both; the kernel updates the primary,
 * and the backup at a clean unmount).  512 bytes; the rest of the block
 * is zero.  The free counts are hints kept up to date at unmount and
 * sync: the group descriptors are the truth.
 */
struct efs_super {
	uint64_t	sb_magic;		/* EFS_MAGIC */
	uint32_t	sb_version;		/* EFS_VERSION */
	uint32_t	sb_block_size;		/* EFS_BLOCK_SIZE */
	uint32_t	sb_feature_compat;
	uint32_t	sb_feature_incompat;
	uint32_t	sb_feature_ro_compat;
	uint32_t	sb_state;		/* EFS_STATE_* */
	uint8_t		sb_uuid[16];
	char		sb_label[EFS_LABEL_LEN]; /* NUL-padded */
	uint64_t	sb_block_count;		/* blocks in the filesystem */
	uint64_t	sb_inode_count;		/* = groups * group_inodes */
	uint64_t	sb_free_blocks;		/* hint */
	uint64_t	sb_free_inodes;		/* hint */
	uint32_t	sb_group_blocks;	/* blocks per group */
	uint32_t	sb_group_inodes;	/* inodes per group, a multiple
						   of EFS_INODES_PER_BLOCK */
	uint32_t	sb_group_count;
	uint32_t	sb_inode_size;		/* EFS_INODE_SIZE */
	uint64_t	sb_gdt_start;		/* 1 */
	uint32_t	sb_gdt_blocks;
	uint32_t	sb_journal_blocks;	/* 0: no journal */
	uint64_t	sb_journal_start;	/* its first block */
	uint64_t	sb_root_ino;		/* EFS_ROOT_INO */
	uint32_t	sb_csum_seed;		/* crc32c(~0, sb_uuid, 16) */
	uint32_t	sb_hash_seed;		/* keys the directory hash */
	uint64_t	sb_mkfs_time;		/* ns since the epoch */
	uint64_t	sb_mount_time;		/* the last mount's */
	uint64_t	sb_write_time;		/* the last superblock write's */
	uint32_t	sb_mount_count;		/* mounts since mkfs */
	uint32_t	sb_errors;		/* EFS_ERRORS_* (mkfs -e) */
	uint64_t	sb_orphan_head;		/* the orphan list's first */
	uint8_t		sb_reserved[300];	/* zero */
	uint32_t	sb_crc;			/* seed ~0, over 512 bytes */
};

/* sb_errors: what the kernel does when it finds damage. */
#define EFS_ERRORS_REMOUNT_RO	1	/* the default */
#define EFS_ERRORS_CONTINUE	2

/*
 * A group descriptor: 64 bytes, EFS_BLOCK_SIZE / 64 per descriptor-table
 * block.  Its checksum is seeded by the table block's number and covers
 * the descriptor alone (so that one can be updated without the others).
 */
struct efs_group {
	uint64_t	bg_block_bitmap;	/* block number */
	uint64_t	bg_inode_bitmap;
	uint64_t	bg_inode_table;		/* first of its blocks */
	uint32_t	bg_free_blocks;
	uint32_t	bg_free_inodes;
	uint32_t	bg_dirs;		/* directories in the group */
	uint32_t	bg_flags;		/* 0 */
	uint32_t	bg_block_bitmap_crc;	/* of the bitmap block, seeded
						   by its block number */
	uint32_t	bg_inode_bitmap_crc;
	uint8_t		bg_reserved[12];
	uint32_t	bg_crc;
};
#define EFS_GROUPS_PER_BLOCK	(EFS_BLOCK_SIZE / sizeof(struct efs_group))

/*
 * Bitmaps are whole blocks with no header: bit i (byte i / 8, bit i % 8,
 * least significant first) set means block (or inode) i of the group is
 * in use.  Bits past the end of a short last group are set.  A bitmap
 * has no room for a checksum: its group descriptor holds it
 * (bg_block_bitmap_crc, bg_inode_bitmap_crc), updated with the free
 * counts at every allocation, in the same transaction.
 */

/*
 * Extents map a file's logical blocks to disk blocks.  The tree's root
 * is in the inode (i_extents); a node is a header and entries sorted by
 * logical block.  In a leaf (eh_depth 0) the entries are extents; in an
 * index node they point at child nodes (a whole block each, with the
 * header at byte 0 and the checksum in eh_crc) covering logical blocks
 * from ei_lblk up to the next entry's.  Logical blocks with no extent are
 * holes: they read as zeros and SEEK_HOLE reports them.
 */
#define EFS_EXTENT_MAGIC	0xEF5E
#define EFS_EXTENT_MAX_LEN	32768		/* blocks in one extent */
#define EFS_EXTENT_MAX_DEPTH	5

struct efs_extent_header {
	uint16_t	eh_magic;		/* EFS_EXTENT_MAGIC */
	uint16_t	eh_entries;		/* valid entries */
	uint16_t	eh_max;			/* room for entries */
	uint16_t	eh_depth;		/* 0: a leaf */
	uint32_t	eh_pad;
	uint32_t	eh_crc;			/* a block node's; 0 in the
						   inode (the inode's covers it) */
};

struct efs_extent {				/* leaf entry */
	uint32_t	ee_lblk;		/* first logical block */
	uint32_t	ee_len;			/* 1..EFS_EXTENT_MAX_LEN */
	uint64_t	ee_pblk;		/* first disk block */
};

struct efs_extent_idx {				/* index entry */
	uint32_t	ei_lblk;		/* first logical block below */
	uint32_t	ei_pad;
	uint64_t	ei_child;		/* the node's block */
};

/* Entries of a node block, and of the root in the inode. */
#define EFS_EXTENTS_PER_BLOCK	((EFS_BLOCK_SIZE - \
    sizeof(struct efs_extent_header)) / sizeof(struct efs_extent))
#define EFS_EXTENTS_IN_INODE	5

/*
 * The inode: 256 bytes, checksum seeded by the inode number (not the
 * block: inodes move with nothing, but one read from the wrong slot must
 * not verify): crc32c(sb_csum_seed ^ ino, inode with i_crc = 0).
 * A free inode (bit clear) is all zeros but for i_generation.
 */
struct efs_inode {
	uint16_t	i_mode;			/* S_IFMT type and 07777 */
	uint16_t	i_pad0;
	uint32_t	i_flags;		/* EFS_IFLAG_* */
	uint32_t	i_uid;
	uint32_t	i_gid;
	uint32_t	i_nlink;		/* names (a directory: 2 + its
						   subdirectories) */
	uint32_t	i_generation;		/* bumped at each reuse */
	uint64_t	i_size;			/* bytes */
	uint64_t	i_blocks;		/* 4 KiB blocks it holds: data,
						   extent nodes */
	int64_t		i_atime_sec;
	int64_t		i_mtime_sec;
	int64_t		i_ctime_sec;
	int64_t		i_btime_sec;		/* creation */
	uint32_t	i_atime_nsec;
	uint32_t	i_mtime_nsec;
	uint32_t	i_ctime_nsec;
	uint32_t	i_btime_nsec;
	uint32_t	i_rdev;			/* devices: Linux's
						   (major << 20 | minor) */
	uint32_t	i_pad1;
	uint64_t	i_parent;		/* a directory's parent (".."),
						   the root's is itself */
	uint64_t	i_orphan_next;		/* the orphan list: unlinked
						   but open (see super) */
	union {
		/* Regular files, directories, long symlinks: */
		struct {
			struct efs_extent_header i_eh;
			struct efs_extent	 i_ext[EFS_EXTENTS_IN_INODE];
		};
		/* A symlink of at most EFS_INLINE_MAX bytes (i_size): */
		char	i_symlink[16 + 16 * EFS_EXTENTS_IN_INODE];
	};
	uint8_t		i_reserved[44];
	uint32_t	i_crc;
};
#define EFS_INLINE_MAX		(16 + 16 * EFS_EXTENTS_IN_INODE)

/* i_flags */
#define EFS_IFLAG_INLINE	0x1	/* a symlink kept in i_symlink */

/*
 * Directories are files of blocks, mapped by the inode's extents like
 * any file, and hashed with extendible hashing so that a lookup reads
 * three blocks however large the directory grows:
 *
 *	logical block 0			the header (struct efs_dir_header)
 *	logical blocks 1..EFS_DIR_TABLE_BLOCKS
 *					the table: 2^dh_depth uint32_t bucket
 *					numbers (logical blocks of the file),
 *					EFS_DIR_TABLE_PER_BLOCK (1023) to a
 *					block (struct efs_dir_table): entry i
 *					is dt_bucket[i % 1023] of logical
 *					block 1 + i / 1023; blocks the table
 *					does not reach yet are holes
 *	logical blocks EFS_DIR_FIRST_BUCKET..
 *					buckets (struct efs_dir_bucket)
 *
 * Every block of the three kinds carries a checksum seeded by its disk
 * block (efs_block_seed): the header's dh_crc over its 64 bytes (the
 * rest of the block is zero), a table block's dt_crc, its last 4 bytes,
 * over the whole block, a bucket's db_crc over the whole block.  In a
 * table block, the entries past the 2^dh_depth of a table shorter than
 * one block are zero.
 *
 * Each name has a 63-bit hash, efs_dir_hash(sb_hash_seed, name) (the
 * function is in lib/libeclipsefs/hash.c; Documentation/eclipsefs.md
 * gives it).  Table entry (hash >> (63 - dh_depth)) names the bucket
 * that holds the name; a bucket of local depth d serves the 2^(dh_depth -
 * d) consecutive table entries that share the top d bits.  A full bucket
 * splits in two on the next bit (doubling the table first when its depth
 * is already dh_depth); buckets never merge.  Two names of one directory
 * with the same hash cannot both exist: the second is refused (-EEXIST
 * would lie, so -ENOSPC; with a 63-bit keyed hash it does not happen).
 *
 * "." and ".." are not stored: readdir makes them (".." from i_parent).
 * readdir's position is 0 for ".", 1 for "..", then the hash of the next
 * name to return, names coming in hash order (each bucket's entries are
 * kept sorted by hash): a position survives splits and other entries'
 * creation and removal; EFS_DIR_POS_EOF ends it.
 */
#define EFS_DIR_MAGIC		0x44534645	/* "EFSD" */
#define EFS_BUCKET_MAGIC	0x42534645	/* "EFSB" */
#define EFS_DIR_MAX_DEPTH	20
#define EFS_DIR_TABLE_PER_BLOCK	((EFS_BLOCK_SIZE - 4) / 4)	/* 1023 */
#define EFS_DIR_TABLE_BLOCKS	(((1U << EFS_DIR_MAX_DEPTH) + \
    EFS_DIR_TABLE_PER_BLOCK - 1) / EFS_DIR_TABLE_PER_BLOCK)	/* 1026 */
#define EFS_DIR_FIRST_BUCKET	(1 + EFS_DIR_TABLE_BLOCKS)	/* 1027 */
#define EFS_DIR_HASH_MIN	2		/* hashes are 2..2^63-1 */
#define EFS_DIR_POS_EOF		(1ULL << 63)

struct efs_dir_header {				/* logical block 0 */
	uint32_t	dh_magic;		/* EFS_DIR_MAGIC */
	uint32_t	dh_depth;		/* global depth */
	uint64_t	dh_entries;		/* names in the directory */
	uint32_t	dh_buckets;		/* buckets allocated */
	uint32_t	dh_next_bucket;		/* logical block of the next */
	uint64_t	dh_self;		/* the directory's inode */
	uint8_t		dh_reserved[28];
	uint32_t	dh_crc;			/* over these 64 bytes */
};

struct efs_dir_table {				/* a table block */
	uint32_t	dt_bucket[EFS_DIR_TABLE_PER_BLOCK];
	uint32_t	dt_crc;			/* over the whole block */
};

struct efs_dir_bucket {				/* at byte 0 of a bucket */
	uint32_t	db_magic;		/* EFS_BUCKET_MAGIC */
	uint16_t	db_depth;		/* local depth */
	uint16_t	db_count;		/* entries */
	uint32_t	db_used;		/* bytes of entries after the
						   header */
	uint32_t	db_crc;			/* over the whole block */
	uint64_t	db_self;		/* the directory's inode */
};

/*
 * An entry: 8-byte aligned, de_reclen = 8-rounded 18 + namelen; entries
 * follow each other from the end of the bucket header, sorted by hash;
 * db_used bytes in all, the rest of the block zero.
 */
struct efs_dirent {
	uint64_t	de_hash;
	uint64_t	de_ino;
	uint8_t		de_type;		/* DT_* of the file */
	uint8_t		de_namelen;
	char		de_name[];		/* not NUL-terminated */
} __attribute__((packed));
#define EFS_DIRENT_HDR		18
#define EFS_DIRENT_LEN(n)	((EFS_DIRENT_HDR + (n) + 7) & ~7U)

/*
 * The journal: a ring of sb_journal_blocks blocks from sb_journal_start
 * (physical block journaling: whole copies of metadata blocks).  Its
 * first block is the journal superblock; the log is the rest.
 *
 * A transaction in the log: one or more descriptor blocks, each followed
 * by the copies of the blocks it lists (jd_count of them, in order, each
 * wrapping at the end of the ring), then a commit block.  The commit
 * block's jc_crc covers every descriptor and copy of the transaction, so
 * a transaction cut short by a power cut does not verify and is not
 * replayed.  A block whose copy starts with the descriptor or commit
 * magic is stored with its first 4 bytes zeroed and EFS_JTAG_ESCAPED.
 *
 * Replay (mount, fsck): from js_start, expecting sequence js_sequence,
 * read each transaction whole; if it is complete and its commit checksum
 * verifies, write its copies to their homes; stop at the first that is
 * not.  Then flush, and write the journal superblock with js_start and
 * js_sequence past the last replayed (js_start = 0 in a clean journal
 * means "empty": start at the log's first block, block 1 of the ring).
 *
 * Revocation: a block freed in a transaction and reused as file data
 * must not be overwritten by an older copy at replay.  The kernel
 * guarantees it by checkpointing (writing every logged block home and
 * emptying the journal) before it reuses a freed block; the format needs
 * no revoke records.
 */
#define EFS_JSUPER_MAGIC	0x4A534645	/* "EFSJ" */
#define EFS_JDESC_MAGIC		0x44534A45	/* "EJSD" */
#define EFS_JCOMMIT_MAGIC	0x43534A45	/* "EJSC" */

struct efs_jsuper {				/* journal block 0 */
	uint32_t	js_magic;
	uint32_t	js_blocks;		/* = sb_journal_blocks */
	uint64_t	js_sequence;		/* the first to replay */
	uint32_t	js_start;		/* ring block of it; 0: empty */
	uint8_t		js_reserved[40];
	uint32_t	js_crc;			/* over these 64 bytes */
};

struct efs_jtag {
	uint64_t	jt_blkno;		/* the copy's home */
	uint32_t	jt_flags;		/* EFS_JTAG_* */
	uint32_t	jt_pad;
};
#define EFS_JTAG_ESCAPED	0x1	/* restore the magic on replay:
					   jt_pad holds the 4 bytes zeroed */

struct efs_jdesc {
	uint32_t	jd_magic;		/* EFS_JDESC_MAGIC */
	uint32_t	jd_count;		/* tags that follow */
	uint64_t	jd_sequence;
	struct efs_jtag	jd_tags[];
};
#define EFS_JTAGS_PER_DESC	((EFS_BLOCK_SIZE - \
    sizeof(struct efs_jdesc)) / sizeof(struct efs_jtag))

struct efs_jcommit {
	uint32_t	jc_magic;		/* EFS_JCOMMIT_MAGIC */
	uint32_t	jc_blocks;		/* descriptors + copies */
	uint64_t	jc_sequence;
	uint64_t	jc_time;		/* ns since the epoch */
	uint32_t	jc_crc;			/* crc32c(sb_csum_seed, every
						   descriptor and copy, as in
						   the log, in order) */
	uint32_t	jc_crc_self;		/* over these 28 bytes */
};

/*
 * The orphan list: files unlinked while still open, freed at the last
 * close - or at the next mount (or by fsck) if the power goes first.
 * sb_orphan_head names the first, each orphan's i_orphan_next the next,
 * 0 ends it; every change to it is journaled with the inode's.
 */

_Static_assert(sizeof(struct efs_super) == 512, "efs_super");
_Static_assert(sizeof(struct efs_group) == 64, "efs_group");
_Static_assert(sizeof(struct efs_extent_header) == 16, "extent header");
_Static_assert(sizeof(struct efs_extent) == 16, "extent");
_Static_assert(sizeof(struct efs_extent_idx) == 16, "extent idx");
_Static_assert(sizeof(struct efs_inode) == EFS_INODE_SIZE, "efs_inode");
_Static_assert(sizeof(struct efs_dir_header) == 64, "dir header");
_Static_assert(sizeof(struct efs_dir_table) == EFS_BLOCK_SIZE, "dir table");
_Static_assert(EFS_DIR_TABLE_BLOCKS * EFS_DIR_TABLE_PER_BLOCK >=
    (1U << EFS_DIR_MAX_DEPTH), "dir table region");
_Static_assert(sizeof(struct efs_dir_bucket) == 24, "dir bucket");
_Static_assert(sizeof(struct efs_jsuper) == 64, "jsuper");
_Static_assert(sizeof(struct efs_jtag) == 16, "jtag");
_Static_assert(sizeof(struct efs_jdesc) == 16, "jdesc");
_Static_assert(sizeof(struct efs_jcommit) == 32, "jcommit");

#endif /* _EFS_FORMAT_H_ */
