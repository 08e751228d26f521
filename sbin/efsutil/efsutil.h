/*
 * efsutil: the I/O layer the eclipsefs tools share (mkfs.eclipsefs,
 * dumpe.eclipsefs, fsck.eclipsefs), built for the host and for EclipseOS
 * from the same source.
 *
 * libeclipsefs does no I/O of its own: it asks its caller's struct
 * efs_ops for 4 KiB blocks.  Here those ops are pread(2)/pwrite(2) on an
 * image file or a block device, at a byte offset into it (an image's
 * partition), through a small write-back block cache: a block the
 * library dirties stays in memory until the cache needs the room or
 * efsu_flush() writes every dirty block, in block order, then fsync(2)s.
 *
 * Usage:
 *
 *	struct efsu_dev d;
 *
 *	efsu_open(&d, "disk.img", offset, 0, EFSU_RDWR);
 *	efsu_vol_open(&d);	the superblock and descriptors
 *	... libeclipsefs calls on &d.du_vol ...
 *	efsu_close(&d);		flush, fsync, close: 0 or -errno
 *
 * Opened EFSU_RDONLY, du_vol.vl_rdonly is set and nothing is ever
 * written: should a caller clear vl_rdonly (fsck -n replays the journal
 * "as if"), the blocks the library dirties stay in the cache, never
 * evicted, and efsu_flush() (the ops' vo_flush too) writes none of them.
 *
 * Damage the library finds is reported through vo_error: printed to
 * stderr with the tool's name (efsu_progname), counted in du_nerrors,
 * and passed to du_error_hook when one is set (fsck keeps its own list).
 *
 * Not thread-safe: one thread uses a struct efsu_dev at a time (the
 * tools are single-threaded), as libeclipsefs requires of its callers.
 */
#ifndef _EFSUTIL_H_
#define _EFSUTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../lib/libeclipsefs/libeclipsefs.h"

/* efsu_open's flags. */
#define EFSU_RDONLY	0x0		/* writes refused (-EROFS) */
#define EFSU_RDWR	0x1
#define EFSU_CREATE	0x2		/* create an image (with RDWR) */

/* Blocks the cache holds before it evicts (16 MiB). */
#define EFSU_CACHE_BLOCKS	4096

struct efsu_buf;

/*
 * An open device or image.  Every field is the tools' own (no locks: one
 * thread); du_vol is what the library gets, and du_vol.vl_arg points
 * back here.
 */
struct efsu_dev {
	int		 du_fd;
	const char	*du_path;
	uint64_t	 du_offset;	/* bytes from the file's start */
	uint64_t	 du_size;	/* bytes usable from du_offset */
	uint64_t	 du_blocks;	/* du_size / EFS_BLOCK_SIZE */
	bool		 du_rdonly;
	struct efs_vol	 du_vol;	/* vl_ops = efsu_ops */
	struct efs_group *du_groups;	/* efsu_vol_open's (malloc'd) */
	/* The cache: a hash on blkno and an LRU list of unused buffers. */
	struct efsu_buf	**du_hash;
	size_t		 du_nhash;
	struct efsu_buf	*du_lru_head;	/* the least recently used */
	struct efsu_buf	*du_lru_tail;
	size_t		 du_nbufs;	/* buffers allocated */
	size_t		 du_ndirty;
	size_t		 du_max_bufs;	/* EFSU_CACHE_BLOCKS */
	/* Statistics (dumpe and the tests print them). */
	uint64_t	 du_reads;	/* blocks read from the file */
	uint64_t	 du_writes;	/* blocks written to it */
	int		 du_io_error;	/* the first write error, or 0 */
	/* Damage reports. */
	unsigned long	 du_nerrors;
	bool		 du_quiet_errors; /* don't print them */
	void		(*du_error_hook)(struct efsu_dev *d,
			    const char *msg);
	void		*du_hook_arg;	/* the hook's own */
};

/* The tool's name for messages ("mkfs.eclipsefs"); set it in main(). */
extern const char *efsu_progname;

/* The block operations over a struct efsu_dev (vl_arg). */
extern const struct efs_ops efsu_ops;

/*
 * Open path (an image or a block device) at byte offset (a multiple of
 * 512), size bytes of it (0: to its end), with EFSU_* flags.  Fills d,
 * du_vol.vl_ops and vl_arg included; the volume is not read yet.
 * Returns 0 or -errno (a message is printed).
 */
int	efsu_open(struct efsu_dev *d, const char *path, uint64_t offset,
	    uint64_t size, int flags);

/*
 * Read and check the superblock and the group descriptors
 * (efs_vol_open) into d->du_vol, allocating d->du_groups.  Returns 0,
 * -EUCLEAN (with the reason printed), -EINVAL (unsupported), -EIO.
 */
int	efsu_vol_open(struct efsu_dev *d);

/*
 * Write every dirty block back (in block order), then fsync(2).  Returns
 * 0, or the first write error seen since the last flush (-EIO, -ENOSPC).
 */
int	efsu_flush(struct efsu_dev *d);

/*
 * Drop every cached block without writing it (fsck -n after a replay it
 * must not keep, tests).  Blocks still held are kept.
 */
void	efsu_discard(struct efsu_dev *d);

/*
 * Flush (when writable), close and free everything.  Returns 0 or the
 * flush's error; d is unusable afterwards.
 */
int	efsu_close(struct efsu_dev *d);

/*
 * Read or write n whole blocks from blkno, bypassing the cache but
 * keeping it coherent (a cached copy is updated by a write and preferred
 * by a read).  For file data: mkfs writes it, dumpe and fsck read it.
 * 0 or -errno (-EIO, -EROFS, -EINVAL past the end).
 */
int	efsu_read_blocks(struct efsu_dev *d, uint64_t blkno, void *buf,
	    size_t n);
int	efsu_write_blocks(struct efsu_dev *d, uint64_t blkno,
	    const void *buf, size_t n);

/*
 * Parse a size or offset: a decimal number with an optional suffix, k/K,
 * m/M, g/G, t/T (powers of 1024) or s (512-byte sectors).  0 or -EINVAL.
 */
int	efsu_parse_size(const char *s, uint64_t *out);

/*
 * The next component of the path at *pp: slashes before it skipped, its
 * start returned and its length in *lenp, *pp left just after it.  NULL
 * when none is left.
 */
const char *efsu_path_next(const char **pp, size_t *lenp);

/* Fill buf with n random bytes (getrandom(2)).  0 or -errno. */
int	efsu_random(void *buf, size_t n);

/*
 * The tools' common failures.  efsu_die: "progname: message" on stderr,
 * exit(1).  efsu_xcalloc, efsu_xreallocarray (n elements of size bytes,
 * p NULL or from these) and efsu_xstrdup: the memory, or efsu_die("out
 * of memory").  efsu_opt_size: option -opt's argument arg as
 * efsu_parse_size takes it, within [min, max], or efsu_die("-opt arg:
 * not what").  UUIDs are libeclipsefs's (efs_uuid_parse, _format).
 */
void	efsu_die(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	*efsu_xcalloc(size_t n, size_t size);
void	*efsu_xreallocarray(void *p, size_t n, size_t size);
char	*efsu_xstrdup(const char *s);
uint64_t efsu_opt_size(int opt, const char *arg, const char *what,
	    uint64_t min, uint64_t max);

#endif /* _EFSUTIL_H_ */
