/*
 * stat(2), fstat(2), lstat(2), fstatat(2) (AT_EMPTY_PATH), statx(2)
 * against stat, access(2)/faccessat(2), chmod(2)/fchmod(2),
 * chown(2)/fchown(2), and utimensat(2) with UTIME_NOW and UTIME_OMIT, on
 * tmpfs; the error paths EFAULT, EBADF, EINVAL, ENOENT.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "fs.h"

/* statx(2)'s buffer (linux/stat.h; this musl has no statx). */
struct xts {
	int64_t		tv_sec;
	uint32_t	tv_nsec;
	int32_t		pad;
};
struct xstatx {
	uint32_t	stx_mask, stx_blksize;
	uint64_t	stx_attributes;
	uint32_t	stx_nlink, stx_uid, stx_gid;
	uint16_t	stx_mode, pad1;
	uint64_t	stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct xts	stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t	stx_rdev_major, stx_rdev_minor;
	uint32_t	stx_dev_major, stx_dev_minor;
	uint64_t	spare[14];
};
#define STATX_BASIC_STATS	0x7ffU
#define STATX_BTIME		0x800U

static int
statx(int dirfd, const char *path, int flags, unsigned int mask,
    struct xstatx *sx)
{
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, sx);
}

int
main(int argc, char **argv)
{
	struct timespec ts[2], before;
	struct xstatx sx;
	struct stat st, st2;
	int fd;

	(void)argc;
	conf_init(argv);
	fs_setup("stat", NULL);
	umask(022);

	fs_mkfile("f", "12345");
	is_success(stat("f", &st), "stat(2)");
	ok(S_ISREG(st.st_mode) && st.st_size == 5 && st.st_nlink == 1,
	    "stat(2): a regular file of 5 bytes with one link");
	is_long(st.st_blksize, 4096, "stat(2): st_blksize is the page size");
	fd = open("f", O_RDONLY);
	is_success(fstat(fd, &st2), "fstat(2)");
	ok(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev,
	    "fstat(2): the same inode and device as stat(2)");
	is_success(fstatat(fd, "", &st2, AT_EMPTY_PATH),
	    "fstatat(2) with AT_EMPTY_PATH");
	is_long(st2.st_ino, st.st_ino, "fstatat(2): AT_EMPTY_PATH is the fd");
	is_errno(fstatat(fd, "", &st2, 0), ENOENT,
	    "fstatat(2): an empty path without AT_EMPTY_PATH is ENOENT");
	is_errno(fstatat(AT_FDCWD, "f", &st2, 0x4000000), EINVAL,
	    "fstatat(2): an unknown flag is EINVAL");
	close(fd);
	is_errno(fstat(fd, &st2), EBADF, "fstat(2): a closed fd is EBADF");
	is_syserr(conf_sys(SYS_stat, "f", 1), EFAULT,
	    "stat(2): a bad buffer is EFAULT");
	is_syserr(conf_sys(SYS_stat, 1, &st2), EFAULT,
	    "stat(2): a bad path is EFAULT");
	is_success(stat(".", &st2), "stat(2) of the tmpfs root");
	is_long(st2.st_dev, st.st_dev, "stat(2): same st_dev on one mount");

	/* statx */
	is_success(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME,
	    &sx),
	    "statx(2)");
	ok((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS,
	    "statx(2): stx_mask has every basic field");
	ok(sx.stx_ino == st.st_ino && sx.stx_size == (uint64_t)st.st_size &&
	    sx.stx_mode == st.st_mode && sx.stx_nlink == st.st_nlink &&
	    sx.stx_uid == st.st_uid && sx.stx_gid == st.st_gid &&
	    sx.stx_blocks == (uint64_t)st.st_blocks &&
	    sx.stx_blksize == (uint32_t)st.st_blksize,
	    "statx(2): the fields agree with stat(2)");
	ok(makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev,
	    "statx(2): stx_dev_major:minor is st_dev");
	ok(sx.stx_mtime.tv_sec == st.st_mtim.tv_sec &&
	    sx.stx_mtime.tv_nsec == (uint32_t)st.st_mtim.tv_nsec &&
	    sx.stx_ctime.tv_sec == st.st_ctim.tv_sec,
	    "statx(2): the times agree with stat(2)");
	is_errno(statx(AT_FDCWD, "f", 0, 0x80000000U, &sx), EINVAL,
	    "statx(2): the reserved mask bit is EINVAL");
	is_errno(statx(AT_FDCWD, "f", 0x6000, STATX_BASIC_STATS, &sx), EINVAL,
	    "statx(2): AT_STATX_FORCE_SYNC with DONT_SYNC is EINVAL");
	is_errno(statx(AT_FDCWD, "none", 0, STATX_BASIC_STATS, &sx), ENOENT,
	    "statx(2): a missing file is ENOENT");
	symlink("f", "l");
	is_success(statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
	    &sx), "statx(2) AT_SYMLINK_NOFOLLOW");
	ok(S_ISLNK(sx.stx_mode), "statx(2): AT_SYMLINK_NOFOLLOW: the link");

	/* access */
	is_success(access("f", R_OK | W_OK), "access(2) R_OK|W_OK as root");
	is_errno(access("f", X_OK), EACCES,
	    "access(2): X_OK of a file with no execute bit is EACCES, even "
	    "for root");
	is_errno(access("f", 8), EINVAL, "access(2): a bad mode is EINVAL");
	is_errno(access("none", F_OK), ENOENT, "access(2): ENOENT");
	is_errno(faccessat(AT_FDCWD, "f", R_OK, 0x1), EINVAL,
	    "faccessat(2): an unknown flag is EINVAL");

	/* chmod and chown */
	is_success(chmod("f", 04751), "chmod(2)");
	stat("f", &st);
	is_long(st.st_mode & 07777, 04751, "chmod(2): the new mode");
	fd = open("f", O_RDONLY);
	is_success(fchmod(fd, 0640), "fchmod(2) on a read-only descriptor");
	is_success(fchown(fd, 42, 43), "fchown(2) as root");
	fstat(fd, &st);
	ok((st.st_mode & 07777) == 0640 && st.st_uid == 42 && st.st_gid == 43,
	    "fchmod(2), fchown(2): the new mode and owner");
	is_success(chown("f", -1, 44), "chown(2) with uid -1 keeps the uid");
	stat("f", &st);
	ok(st.st_uid == 42 && st.st_gid == 44, "chown(2): only the group "
	    "changed");
	close(fd);
	is_errno(fchmod(fd, 0600), EBADF, "fchmod(2): a closed fd is EBADF");
	is_errno(chmod("none", 0600), ENOENT, "chmod(2): ENOENT");

	/* Times */
	ts[0].tv_sec = 100;
	ts[0].tv_nsec = 5;
	ts[1].tv_sec = 200;
	ts[1].tv_nsec = 7;
	is_success(utimensat(AT_FDCWD, "f", ts, 0), "utimensat(2) chosen "
	    "times");
	stat("f", &st);
	ok(st.st_atim.tv_sec == 100 && st.st_atim.tv_nsec == 5 &&
	    st.st_mtim.tv_sec == 200 && st.st_mtim.tv_nsec == 7,
	    "utimensat(2): both times set, to the nanosecond");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	clock_gettime(CLOCK_REALTIME, &before);
	is_success(utimensat(AT_FDCWD, "f", ts, 0),
	    "utimensat(2) UTIME_OMIT and UTIME_NOW");
	stat("f", &st);
	ok(st.st_atim.tv_sec == 100 && st.st_atim.tv_nsec == 5,
	    "utimensat(2): UTIME_OMIT leaves the access time");
	cmp_long(st.st_mtim.tv_sec, ">=", before.tv_sec - 1,
	    "utimensat(2): UTIME_NOW sets the modification time to now");
	cmp_long(st.st_ctim.tv_sec, ">=", before.tv_sec - 1,
	    "utimensat(2): the change time is now");
	ts[0].tv_nsec = 1000000000;
	is_errno(utimensat(AT_FDCWD, "f", ts, 0), EINVAL,
	    "utimensat(2): tv_nsec of 1e9 is EINVAL");
	is_syserr(conf_sys(SYS_utimensat, AT_FDCWD, "f", 1, 0), EFAULT,
	    "utimensat(2): a bad times pointer is EFAULT");
	is_errno(utimensat(AT_FDCWD, "f", NULL, 0x8000), EINVAL,
	    "utimensat(2): an unknown flag is EINVAL");
	ts[0].tv_sec = 300;
	ts[0].tv_nsec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	is_success(utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW),
	    "utimensat(2) AT_SYMLINK_NOFOLLOW on a link");
	lstat("l", &st2);
	stat("f", &st);
	ok(st2.st_atim.tv_sec == 300 && st.st_atim.tv_sec == 100,
	    "utimensat(2): AT_SYMLINK_NOFOLLOW sets the link's, not the "
	    "file's");
	fd = open("f", O_RDONLY);
	ts[0].tv_sec = 400;
	is_success(futimens(fd, ts), "futimens(3) (utimensat with a NULL "
	    "path)");
	fstat(fd, &st);
	is_long(st.st_atim.tv_sec, 400, "futimens(3): the access time set");
	close(fd);

	/* write changes the modification time, read the access time. */
	ts[0].tv_sec = ts[1].tv_sec = 1000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, "f", ts, 0);
	fd = open("f", O_RDWR);
	write(fd, "x", 1);
	fstat(fd, &st);
	cmp_long(st.st_mtim.tv_sec, ">=", before.tv_sec - 1,
	    "write(2) updates the modification time");
	cmp_long(st.st_ctim.tv_sec, ">=", before.tv_sec - 1,
	    "write(2) updates the change time");
	close(fd);
	fs_done();
	return done_testing();
}
