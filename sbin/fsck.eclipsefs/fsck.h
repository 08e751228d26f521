/*
 * fsck.eclipsefs: what its passes share.
 *
 * The passes, in order (fsck.c runs them):
 *	super.c		the superblock and its backup, the journal (replayed
 *			first), the group descriptors
 *	pass1.c		every inode slot: checksums, modes, extent trees
 *			(claiming each block once), the orphan list; then
 *			the bitmaps are made safe for the library to
 *			allocate from (their union with what is in use)
 *	pass2.c		directories from the root, breadth first: their
 *			blocks, hashes, table, entries, "..", names of free
 *			or damaged inodes, second names of directories; then
 *			what was not reached goes to /lost+found
 *	pass4.c		link counts, orphans freed, and the bitmaps and the
 *			group descriptors' counts rebuilt from what is in use
 *
 * With -n the device is opened read-only: efsutil keeps every block the
 * repairs dirty in memory and never writes it, so the later passes check
 * the filesystem as if the earlier problems had been repaired (and as if
 * the journal had been replayed), while nothing reaches the disk.
 *
 * Not thread-safe: one global struct fsck, one thread.
 */
#ifndef _FSCK_H_
#define _FSCK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../efsutil/efsutil.h"

/* fsck(8)'s exit codes. */
#define FSCK_OK			0
#define FSCK_CORRECTED		1
#define FSCK_UNCORRECTED	4
#define FSCK_OPERATIONAL	8
#define FSCK_USAGE		16

/* How a problem may be repaired: with -p too, with -y only, never. */
enum fsck_fix {
	FIX_NONE,
	FIX_PREEN,
	FIX_ASK,
};

/* What fsck knows of one inode (fs.ii[ino], ino 1..fs.ninodes). */
enum fsck_istate {
	IS_FREE = 0,		/* free (zeroed or cleared) */
	IS_OK,			/* in use and sound */
	IS_CAND,		/* sound but free in the bitmap: in use only
				   if a directory names it */
	IS_BAD,			/* damaged: to be cleared */
};

#define IF_REACHED	0x01	/* named by a reached directory */
#define IF_ORPHAN	0x02	/* on the orphan list */
#define IF_QUEUED	0x04	/* a directory, queued in pass 2 */
#define IF_DUP		0x08	/* holds a block another also claims */
#define IF_WALKED	0x10	/* its extents were claimed */
#define IF_LOST		0x20	/* unreachable and could not be connected */

struct fsck_ino {
	uint8_t		 fi_state;	/* enum fsck_istate */
	uint8_t		 fi_type;	/* DT_* from i_mode */
	uint8_t		 fi_flags;	/* IF_* */
	uint32_t	 fi_links;	/* names found */
	uint32_t	 fi_subdirs;	/* a directory's subdirectories found */
	uint64_t	 fi_parent;	/* a directory's, found (0: none yet) */
};

struct fsck {
	const char	*fs_path;
	int		 fs_mode;	/* 'n', 'y' or 'p' */
	bool		 fs_force;
	bool		 fs_verbose;
	struct efsu_dev	 fs_dev;
	struct efs_vol	*fs_vol;	/* &fs_dev.du_vol */
	struct efs_super *fs_sb;	/* &fs_vol->vl_sb */
	struct efs_super fs_sb_orig;	/* as read (free counts) */
	struct efs_group *fs_groups;	/* fs_vol->vl_groups */
	struct efs_group *fs_groups_orig; /* as read */
	uint8_t		*fs_gbad;	/* [g]: descriptor rebuilt */
	uint8_t		*fs_bbm_orig;	/* block bitmaps as read, 4096 each */
	uint8_t		*fs_ibm_orig;	/* inode bitmaps as read */
	uint32_t	 fs_ngroups;
	uint64_t	 fs_nblocks;	/* sb_block_count */
	uint64_t	 fs_ninodes;	/* sb_inode_count */
	bool		 fs_super_dirty; /* write the superblocks at the end */
	/* Blocks: the filesystem's own, and those claimed by inodes. */
	uint8_t		*fs_meta;	/* bit per block */
	uint8_t		*fs_claim;	/* bit per block: in use */
	uint8_t		*fs_dup;	/* bit per block: claimed twice */
	uint64_t	 fs_ndup;
	struct fsck_ino	*fs_ii;		/* [fs_ninodes + 1] */
	uint64_t	 fs_lostfound;	/* its inode, 0 until found/made */
	/* Counts for the exit code and the summary. */
	unsigned long	 fs_nfixed;
	unsigned long	 fs_nleft;
	const char	*fs_last_lib_error; /* the library's last vo_error */
	char		 fs_lib_msg[512];
};

extern struct fsck fs;

/* fsck.c */
/*
 * Report a problem (printf-style, one line, no newline); returns true
 * when the caller is to repair it (with -n: in memory only).
 */
bool	fsck_problem(enum fsck_fix fix, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* An informational line (not a problem). */
void	fsck_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A repair the library refused: report it and count it as left. */
void	fsck_repair_failed(const char *what, int error);
/* An operational error (cannot go on): message, then exit 8. */
void	fsck_fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
int	fsck_bread(uint64_t blkno, struct efs_bh **bhp);
void	fsck_brelse(struct efs_bh *bh);
void	fsck_bdirty(struct efs_bh *bh);
void	*fsck_calloc(size_t n, size_t size);

static inline bool
bit_test(const uint8_t *map, uint64_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static inline void
bit_set(uint8_t *map, uint64_t i)
{
	map[i >> 3] |= 1 << (i & 7);
}

static inline void
bit_clear(uint8_t *map, uint64_t i)
{
	map[i >> 3] &= ~(1 << (i & 7));
}

/* super.c */
int	super_check(void);
int	journal_check(void);
int	groups_check(void);
/* The checksum a block-structure of len bytes at blkno should have, its
 * own crc field (at crc_off) taken as zero. */
uint32_t fsck_block_crc(uint64_t blkno, const void *data, size_t len,
	    size_t crc_off);

/* pass1.c */
void	pass1(void);
void	pass1_orphans(void);
void	pass1_safe_bitmaps(void);
void	pass1_dups(void);
/* Check and claim the extents of inode ino (a sound inode); repairs the
 * tree when allowed; final: the last pass's quiet re-claim. */
void	extents_check(uint64_t ino, struct efs_inode *ip, bool final);
/* Zero inode ino in its table (keeping i_generation) and mark it free. */
void	inode_clear(uint64_t ino);
/* Check one inode in use (or a candidate being accepted); sets fs_ii. */
void	inode_check(uint64_t ino, struct efs_inode *ip);
uint32_t group_nblocks(uint32_t g);
void	group_store(uint32_t g, const uint8_t *bbm, const uint8_t *ibm);
/* "block 5" or "blocks 5-9" into buf. */
const char *fmt_run(char *buf, size_t size, const char *what,
	    uint64_t first, uint64_t n);
int	inode_read_raw(uint64_t ino, struct efs_inode *ip);
void	inode_bitmap_set(uint64_t ino, bool is_dir);
int	inode_write(uint64_t ino, struct efs_inode *ip);
const char *type_name(int dt);

/* pass2.c */
void	pass2(void);
void	pass3(void);

/* pass4.c */
void	pass4(void);
void	pass5(void);

#endif /* _FSCK_H_ */
