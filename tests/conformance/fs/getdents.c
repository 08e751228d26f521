/*
 * getdents64(2) on tmpfs: ".", ".." and every entry exactly once, d_type,
 * d_off and rewinding with lseek(2); every entry that is not removed is
 * still listed exactly once while other entries are removed between two
 * calls (readdir(3), POSIX: removed entries may or may not be listed);
 * a removed directory (ENOENT, as Linux); EINVAL (a buffer too small),
 * EBADF, ENOTDIR, EFAULT.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "fs.h"

#define NFILES	150

struct l_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static int seen[NFILES];
static int seen_dot, seen_dotdot, seen_sub, seen_other;

/* Counts the entries of one getdents64 result; returns how many. */
static int
tally(const char *buf, long n)
{
	const struct l_dirent64 *d;
	long off;
	int count = 0, i;

	for (off = 0; off < n; off += d->d_reclen) {
		d = (const void *)(buf + off);
		count++;
		if (strcmp(d->d_name, ".") == 0)
			seen_dot++;
		else if (strcmp(d->d_name, "..") == 0)
			seen_dotdot++;
		else if (strcmp(d->d_name, "sub") == 0)
			seen_sub += d->d_type == DT_DIR ? 1 : 100;
		else if (sscanf(d->d_name, "file%d", &i) == 1 && i >= 0 &&
		    i < NFILES)
			seen[i] += d->d_type == DT_REG ? 1 : 100;
		else
			seen_other++;
	}
	return count;
}

int
main(int argc, char **argv)
{
	char buf[4096], name[32];
	long n;
	int fd, i, twice, missing, calls, fd2;
	struct stat st;

	(void)argc;
	conf_init(argv);
	fs_setup("getdents", NULL);
	mkdir("d", 0755);
	for (i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "d/file%d", i);
		fs_mkfile(name, "");
	}
	mkdir("d/sub", 0755);

	fd = open("d", O_RDONLY | O_DIRECTORY);
	calls = 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		tally(buf, n);
		calls++;
	}
	is_long(n, 0, "getdents64(2) returns 0 at the end of the directory");
	cmp_long(calls, ">", 1, "getdents64(2): a 4096-byte buffer takes "
	    "several calls for %d entries", NFILES + 3);
	ok(seen_dot == 1 && seen_dotdot == 1,
	    "getdents64(2): \".\" and \"..\" are listed once each");
	is_long(seen_sub, 1, "getdents64(2): the subdirectory, with DT_DIR");
	twice = missing = 0;
	for (i = 0; i < NFILES; i++) {
		twice += seen[i] > 1;
		missing += seen[i] == 0;
	}
	ok(twice == 0 && missing == 0, "getdents64(2): every file exactly "
	    "once, with DT_REG (%d missing, %d twice or "
	    "wrong)", missing, twice);
	is_long(seen_other, 0, "getdents64(2): nothing else");
	is_long(lseek(fd, 0, SEEK_SET), 0, "lseek(2) of a directory to 0");
	memset(seen, 0, sizeof(seen));
	seen_dot = seen_dotdot = seen_sub = 0;
	n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	cmp_long(tally(buf, n), ">", 2,
	    "getdents64(2): after rewinding the listing starts again");

	/* Remove entries between calls: the others still come once each. */
	is_long(lseek(fd, 0, SEEK_SET), 0, "lseek(2) to 0 again");
	memset(seen, 0, sizeof(seen));
	seen_dot = seen_dotdot = seen_sub = 0;
	n = syscall(SYS_getdents64, fd, buf, 1024);
	tally(buf, n);
	for (i = 0; i < NFILES; i += 3) {
		snprintf(name, sizeof(name), "d/file%d", i);
		unlink(name);
	}
	calls = 0;
	while ((n = syscall(SYS_getdents64, fd, buf, 1024)) > 0) {
		tally(buf, n);
		if (++calls == 2) {
			/* And once more, from the middle. */
			for (i = 1; i < NFILES; i += 3) {
				snprintf(name, sizeof(name), "d/file%d", i);
				unlink(name);
			}
		}
	}
	is_long(n, 0, "getdents64(2) reaches the end while entries go");
	twice = missing = 0;
	for (i = 0; i < NFILES; i++) {
		twice += seen[i] > 1;
		missing += i % 3 == 2 && seen[i] == 0;
	}
	is_long(twice, 0, "getdents64(2): no entry is listed twice while "
	    "others are removed");
	is_long(missing, 0, "getdents64(2): every entry that was not removed "
	    "is listed");
	close(fd);

	/* Errors */
	fd = open("d", O_RDONLY | O_DIRECTORY);
	is_errno(syscall(SYS_getdents64, fd, buf, 10), EINVAL,
	    "getdents64(2): a buffer too small for one entry is EINVAL");
	is_errno(syscall(SYS_getdents64, fd, (void *)1, 4096), EFAULT,
	    "getdents64(2): a bad buffer is EFAULT");
	close(fd);
	is_errno(syscall(SYS_getdents64, fd, buf, sizeof(buf)), EBADF,
	    "getdents64(2): a closed descriptor is EBADF");
	fd = open("d/file2", O_RDONLY);
	is_errno(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR,
	    "getdents64(2): a regular file is ENOTDIR");
	close(fd);

	/* A removed directory lists nothing, not even "." and "..". */
	mkdir("gone", 0755);
	fd = open("gone", O_RDONLY | O_DIRECTORY);
	is_success(rmdir("gone"), "rmdir(2) of an open directory");
	is_errno(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOENT,
	    "getdents64(2) of a removed directory is ENOENT (Linux)");
	is_success(fstat(fd, &st), "fstat(2) of the removed directory");
	is_long(st.st_nlink, 0, "rmdir(2): the open directory has st_nlink 0");
	fd2 = openat(fd, "new", O_RDWR | O_CREAT, 0644);
	is_long(fd2 < 0 ? errno : 0, ENOENT,
	    "openat(2): creating in a removed directory is ENOENT");
	close(fd);
	fs_done();
	return done_testing();
}
