/*
 * open(2), openat(2), creat(2), close(2) and their error paths, on a
 * fresh tmpfs: EEXIST, ENOENT, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG,
 * EFAULT, EBADF, EMFILE, EINVAL, and O_TRUNC, O_APPEND, O_DIRECTORY,
 * O_NOFOLLOW, O_PATH, umask.
 */
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "fs.h"

int
main(int argc, char **argv)
{
	char name[300], *path, buf[64];
	struct stat st;
	struct rlimit rl;
	int fd, fd2, dfd, i, n, fds[64];

	(void)argc;
	conf_init(argv);
	fs_setup("open", NULL);
	umask(022);

	fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0666);
	cmp_long(fd, ">=", 0, "open(2): O_CREAT|O_EXCL makes a new file");
	is_success(fstat(fd, &st), "fstat(2) of the new file");
	is_long(st.st_mode, S_IFREG | 0644,
	    "open(2): a new file's mode is mode & ~umask (0666 & ~022)");
	is_long(st.st_size, 0, "open(2): a new file is empty");
	is_long(st.st_uid, geteuid(), "open(2): owned by the euid");
	is_long(write(fd, "hello world", 11), 11, "write(2) to the new file");
	is_success(close(fd), "close(2)");
	is_errno(close(fd), EBADF, "close(2): a closed descriptor is EBADF");
	is_errno(open("f", O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST,
	    "open(2): O_CREAT|O_EXCL of an existing file is EEXIST");
	is_errno(open("nothere", O_RDONLY), ENOENT,
	    "open(2): a missing file without O_CREAT is ENOENT");
	is_errno(open("nodir/f", O_RDWR | O_CREAT, 0666), ENOENT,
	    "open(2): O_CREAT in a missing directory is ENOENT");
	is_errno(open("f/x", O_RDONLY), ENOTDIR,
	    "open(2): a regular file used as a directory is ENOTDIR");
	is_errno(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR,
	    "open(2): O_DIRECTORY on a regular file is ENOTDIR");
	is_errno(open("f/", O_RDONLY), ENOTDIR,
	    "path_resolution(7): a trailing slash on a regular file is "
	    "ENOTDIR");
	is_errno(open("", O_RDONLY), ENOENT,
	    "open(2): the empty path is ENOENT");
	is_errno(open(".", O_RDWR), EISDIR,
	    "open(2): a directory opened for writing is EISDIR");
	is_errno(open("newdir/", O_RDWR | O_CREAT, 0666), EISDIR,
	    "open(2): O_CREAT of a name ending in '/' is EISDIR");
	is_errno(open(".", O_RDONLY | O_CREAT, 0666), EISDIR,
	    "open(2): O_CREAT of an existing directory is EISDIR");
	is_errno(open((char *)1, O_RDONLY), EFAULT,
	    "open(2): a path at address 1 is EFAULT");
	is_errno(openat(999, "f", O_RDONLY), EBADF,
	    "openat(2): a relative path from a closed dirfd is EBADF");
	fd = open("f", O_RDONLY);
	is_errno(openat(fd, "x", O_RDONLY), ENOTDIR,
	    "openat(2): a dirfd that is a regular file is ENOTDIR");
	close(fd);

	/* ENAMETOOLONG: a component over NAME_MAX, a path of PATH_MAX. */
	memset(name, 'a', 256);
	name[256] = '\0';
	is_errno(open(name, O_RDWR | O_CREAT, 0666), ENAMETOOLONG,
	    "open(2): a component of 256 bytes is ENAMETOOLONG");
	name[255] = '\0';
	fd = open(name, O_RDWR | O_CREAT, 0666);
	cmp_long(fd, ">=", 0, "open(2): a component of 255 bytes is fine");
	close(fd);
	path = malloc(PATH_MAX + 1);
	for (i = 0; i < PATH_MAX; i += 2)
		memcpy(path + i, "./", 2);
	path[PATH_MAX - 1] = 'f';
	path[PATH_MAX] = '\0';
	is_errno(open(path, O_RDONLY), ENAMETOOLONG,
	    "open(2): a path of PATH_MAX bytes (no room for the NUL) is "
	    "ENAMETOOLONG");
	for (i = 0; i < PATH_MAX - 2; i += 2)
		memcpy(path + i, "./", 2);
	path[PATH_MAX - 2] = 'f';
	path[PATH_MAX - 1] = '\0';
	fd = open(path, O_RDONLY);
	cmp_long(fd, ">=", 0, "open(2): a path of PATH_MAX - 1 bytes is fine");
	close(fd);
	free(path);

	/* O_TRUNC, O_APPEND, creat. */
	fd = open("f", O_RDWR | O_APPEND);
	is_long(lseek(fd, 0, SEEK_SET), 0, "lseek(2) to 0 on an O_APPEND file");
	is_long(write(fd, "!", 1), 1, "write(2) with O_APPEND");
	is_long(lseek(fd, 0, SEEK_CUR), 12,
	    "open(2): O_APPEND writes at the end whatever the offset");
	close(fd);
	n = (int)fs_readfile("f", buf, sizeof(buf));
	is_str(buf, "hello world!", "the file holds what was written");
	fd = open("f", O_WRONLY | O_TRUNC);
	is_success(fstat(fd, &st), "fstat(2) after O_TRUNC");
	is_long(st.st_size, 0, "open(2): O_TRUNC empties the file");
	close(fd);
	fd = creat("c", 0600);
	cmp_long(fd, ">=", 0, "creat(2) makes a file");
	is_errno(read(fd, buf, 1), EBADF,
	    "creat(2): the file is open for writing only (read is EBADF)");
	close(fd);
	fd = open("f", O_RDONLY);
	is_errno(write(fd, "x", 1), EBADF,
	    "write(2) on a descriptor open read-only is EBADF");
	close(fd);

	/* O_NOFOLLOW and O_PATH. */
	is_success(symlink("f", "lnk"), "symlink(2)");
	is_errno(open("lnk", O_RDONLY | O_NOFOLLOW), ELOOP,
	    "open(2): O_NOFOLLOW on a symbolic link is ELOOP");
	fd = open("lnk", O_RDONLY | O_NOFOLLOW | O_PATH);
	cmp_long(fd, ">=", 0, "open(2): O_PATH|O_NOFOLLOW opens the link "
	    "itself");
	is_success(fstat(fd, &st), "fstat(2) of an O_PATH descriptor");
	ok(S_ISLNK(st.st_mode), "open(2): ... which fstat says is a link");
	is_errno(read(fd, buf, 1), EBADF,
	    "open(2): read of an O_PATH descriptor is EBADF");
	close(fd);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	cmp_long(dfd, ">=", 0, "open(2): O_DIRECTORY on a directory");
	fd = openat(dfd, "f", O_RDONLY);
	cmp_long(fd, ">=", 0, "openat(2) relative to a directory descriptor");
	close(fd);
	is_errno(read(dfd, buf, 1), EISDIR,
	    "read(2) of a directory is EISDIR");
	close(dfd);

	/* EMFILE: the descriptor limit. */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 16;
	is_success(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit(RLIMIT_NOFILE)");
	n = 0;
	while (n < 64 && (fds[n] = open("f", O_RDONLY)) >= 0)
		n++;
	is_long(errno, EMFILE, "open(2): past RLIMIT_NOFILE is EMFILE");
	cmp_long(n, "<=", 16, "open(2): at most RLIMIT_NOFILE descriptors");
	while (n > 0)
		close(fds[--n]);
	fd = open("f", O_RDONLY);
	cmp_long(fd, ">=", 0, "open(2) works again once descriptors are "
	    "closed");
	fd2 = open("f", O_RDONLY);
	is_long(fd2, fd + 1, "open(2) returns the lowest free descriptor");
	close(fd);
	close(fd2);

	is_errno(syscall(SYS_openat, AT_FDCWD, "t", O_RDWR | 020000000, 0600),
	    EINVAL, "open(2): O_TMPFILE without O_DIRECTORY bits is EINVAL");
	fs_done();
	return done_testing();
}
