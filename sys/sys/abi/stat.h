/*
 * Files as the system calls describe them: mode bits, struct stat and
 * statx, directory entries, statfs, and the flags of access, rename,
 * utimensat and mount (uapi linux/stat.h, asm/stat.h, asm-generic/
 * statfs.h, linux/fs.h, linux/mount.h, linux/magic.h).  Includes nothing.
 */
#ifndef _SYS_ABI_STAT_H_
#define _SYS_ABI_STAT_H_

#include <sys/types.h>

/* st_mode: the file type ... */
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
/* ... and the permission bits. */
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IXGRP		00010
#define S_IRWXO		00007
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IXOTH		00001


/* stat(2), fstat(2), newfstatat(2) on x86_64 (asm/stat.h). */
struct l_stat {
	uint64_t	st_dev;
	uint64_t	st_ino;
	uint64_t	st_nlink;
	uint32_t	st_mode;
	uint32_t	st_uid;
	uint32_t	st_gid;
	uint32_t	__pad0;
	uint64_t	st_rdev;
	int64_t		st_size;
	int64_t		st_blksize;
	int64_t		st_blocks;	/* of 512 bytes */
	uint64_t	st_atime_sec;
	uint64_t	st_atime_nsec;
	uint64_t	st_mtime_sec;
	uint64_t	st_mtime_nsec;
	uint64_t	st_ctime_sec;
	uint64_t	st_ctime_nsec;
	int64_t		__reserved[3];
};

/* statx(2) */
struct l_statx_timestamp {
	int64_t		tv_sec;
	uint32_t	tv_nsec;
	int32_t		__reserved;
};

struct l_statx {
	uint32_t	stx_mask;
	uint32_t	stx_blksize;
	uint64_t	stx_attributes;
	uint32_t	stx_nlink;
	uint32_t	stx_uid;
	uint32_t	stx_gid;
	uint16_t	stx_mode;
	uint16_t	__spare0[1];
	uint64_t	stx_ino;
	uint64_t	stx_size;
	uint64_t	stx_blocks;
	uint64_t	stx_attributes_mask;
	struct l_statx_timestamp stx_atime;
	struct l_statx_timestamp stx_btime;
	struct l_statx_timestamp stx_ctime;
	struct l_statx_timestamp stx_mtime;
	uint32_t	stx_rdev_major;
	uint32_t	stx_rdev_minor;
	uint32_t	stx_dev_major;
	uint32_t	stx_dev_minor;
	uint64_t	stx_mnt_id;
	uint32_t	stx_dio_mem_align;
	uint32_t	stx_dio_offset_align;
	uint64_t	__spare3[12];
};

#define STATX_TYPE		0x00000001U
#define STATX_MODE		0x00000002U
#define STATX_NLINK		0x00000004U
#define STATX_UID		0x00000008U
#define STATX_GID		0x00000010U
#define STATX_ATIME		0x00000020U
#define STATX_MTIME		0x00000040U
#define STATX_CTIME		0x00000080U
#define STATX_INO		0x00000100U
#define STATX_SIZE		0x00000200U
#define STATX_BLOCKS		0x00000400U
#define STATX_BASIC_STATS	0x000007ffU
#define STATX_BTIME		0x00000800U
#define STATX_MNT_ID		0x00001000U
#define STATX__RESERVED		0x80000000U
#define STATX_ATTR_MOUNT_ROOT	0x00002000

/* statx's flags beside AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
#define AT_STATX_SYNC_TYPE	0x6000
#define AT_STATX_SYNC_AS_STAT	0x0000
#define AT_STATX_FORCE_SYNC	0x2000
#define AT_STATX_DONT_SYNC	0x4000

/*
 * getdents64(2): records of this header and the NUL-terminated name,
 * each d_reclen bytes (8-aligned); d_off is the position after it.
 */
struct l_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};

/* d_type: the file type, S_IFMT >> 12. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

/* statfs(2), fstatfs(2) (asm-generic/statfs.h, 64-bit words). */
struct l_statfs {
	int64_t		f_type;
	int64_t		f_bsize;
	int64_t		f_blocks;
	int64_t		f_bfree;
	int64_t		f_bavail;
	int64_t		f_files;
	int64_t		f_ffree;
	int32_t		f_fsid[2];
	int64_t		f_namelen;
	int64_t		f_frsize;
	int64_t		f_flags;
	int64_t		f_spare[4];
};

#define TMPFS_MAGIC	0x01021994	/* linux/magic.h */
#define DEVPTS_SUPER_MAGIC 0x1cd1	/* linux/magic.h */
#define MQUEUE_MAGIC	0x19800202	/* statfs(2); not in uapi magic.h */

/* access(2), faccessat(2) */
#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

/* renameat2(2) (linux/fs.h) */
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)

/* utime(2) (linux/utime.h) */
struct l_utimbuf {
	int64_t		actime;
	int64_t		modtime;
};

/* utimensat(2): tv_nsec values (linux/stat.h has none; bits/stat.h). */
#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)

/* mount(2) flags (linux/mount.h) */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_SYNCHRONOUS	16
#define MS_REMOUNT	32
#define MS_MANDLOCK	64
#define MS_DIRSYNC	128
#define MS_NOSYMFOLLOW	256
#define MS_NOATIME	1024
#define MS_NODIRATIME	2048
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_SILENT	32768
#define MS_RELATIME	(1 << 21)
#define MS_STRICTATIME	(1 << 24)
#define MS_LAZYTIME	(1 << 25)
#define MS_MGC_VAL	0xC0ED0000
#define MS_MGC_MSK	0xffff0000

/* umount2(2) flags (linux/fs.h names only MNT_*; UMOUNT_NOFOLLOW: 8). */
#define MNT_FORCE	0x00000001
#define MNT_DETACH	0x00000002
#define MNT_EXPIRE	0x00000004
#define UMOUNT_NOFOLLOW	0x00000008

#endif /* _SYS_ABI_STAT_H_ */
