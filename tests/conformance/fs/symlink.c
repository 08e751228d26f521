/*
 * symlink(2), symlinkat(2), readlink(2), readlinkat(2), lstat(2) against
 * stat(2) and path_resolution(7)'s rules for links: relative targets
 * (from the link's directory), absolute ones, chains, loops and the limit
 * of 40 links (ELOOP), trailing slashes, O_NOFOLLOW, and readlink's
 * truncation without a NUL.
 */
#include <limits.h>
#include <sys/stat.h>

#include "fs.h"

int
main(int argc, char **argv)
{
	char buf[PATH_MAX], name[32], target[32], *big;
	struct stat st, st2;
	int fd, i;

	(void)argc;
	conf_init(argv);
	fs_setup("symlink", NULL);

	mkdir("dir", 0755);
	fs_mkfile("dir/file", "content");
	is_success(symlink("file", "dir/rel"), "symlink(2) a relative target");
	is_long(fs_readfile("dir/rel", buf, sizeof(buf)), 7,
	    "path_resolution(7): a relative target is taken from the link's "
	    "directory");
	snprintf(buf, sizeof(buf), "%s/dir/file", fs_scratch_dir);
	is_success(symlink(buf, "abs"), "symlink(2) an absolute target");
	is_long(fs_readfile("abs", buf, sizeof(buf)), 7,
	    "path_resolution(7): an absolute target from the root");
	is_success(symlink("dir", "dl"), "symlink(2) to a directory");
	is_long(fs_readfile("dl/rel", buf, sizeof(buf)), 7,
	    "path_resolution(7): links in the middle of a path are followed");
	is_success(symlink("dl/rel", "chain1"), "symlink(2) to a link");
	is_success(symlink("chain1", "chain2"), "symlink(2) a longer chain");
	is_long(fs_readfile("chain2", buf, sizeof(buf)), 7,
	    "path_resolution(7): a chain of links is followed to the end");
	is_success(symlink("nowhere", "dangling"), "symlink(2) to nothing");
	is_errno(stat("dangling", &st), ENOENT,
	    "stat(2) of a dangling link is ENOENT");
	is_success(lstat("dangling", &st), "lstat(2) of a dangling link");
	ok(S_ISLNK(st.st_mode), "lstat(2): the link itself (S_IFLNK)");
	is_long(st.st_size, 7, "lstat(2): a link's size is its target's "
	    "length");
	is_success(stat("dir/rel", &st), "stat(2) through a link");
	is_success(lstat("dir/file", &st2), "lstat(2) of the target");
	ok(S_ISREG(st.st_mode) && st.st_ino == st2.st_ino,
	    "stat(2) follows the link to the file");
	is_errno(symlink("x", "dangling"), EEXIST,
	    "symlink(2): an existing name is EEXIST");
	is_errno(symlink("", "empty"), ENOENT,
	    "symlink(2): an empty target is ENOENT");
	fd = open("dir", O_RDONLY | O_DIRECTORY);
	is_success(symlinkat("file", fd, "rel2"), "symlinkat(2) from a dirfd");
	is_long(readlinkat(fd, "rel2", buf, sizeof(buf)), 4,
	    "readlinkat(2) from a dirfd");
	close(fd);

	/* Creating through a dangling link makes its target. */
	fd = open("dangling", O_WRONLY | O_CREAT, 0644);
	cmp_long(fd, ">=", 0,
	    "open(2): O_CREAT through a dangling link creates the target");
	close(fd);
	is_success(stat("nowhere", &st), "open(2): ... named \"nowhere\"");
	is_errno(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
	    "open(2): O_CREAT|O_EXCL on a link is EEXIST");

	/* readlink */
	memset(buf, 'Z', sizeof(buf));
	is_long(readlink("dir/rel", buf, sizeof(buf)), 4,
	    "readlink(2) returns the target's length");
	is_mem(buf, "fileZ", 5, "readlink(2) writes no NUL");
	memset(buf, 'Z', sizeof(buf));
	is_long(readlink("dir/rel", buf, 2), 2,
	    "readlink(2) truncates to the buffer size");
	is_mem(buf, "fiZ", 3, "readlink(2): the truncated bytes, no NUL");
	is_syserr(conf_sys(SYS_readlink, "dir/rel", buf, 0), EINVAL,
	    "readlink(2): a size of 0 is EINVAL (raw: musl hides it)");
	is_errno(readlink("dir/file", buf, sizeof(buf)), EINVAL,
	    "readlink(2) of a file that is not a link is EINVAL");
	is_errno(readlink("none", buf, sizeof(buf)), ENOENT,
	    "readlink(2): a missing name is ENOENT");
	is_errno(readlink("dir/rel", (char *)1, 10), EFAULT,
	    "readlink(2): a bad buffer is EFAULT");
	is_long(readlink("dl/", buf, sizeof(buf)), -1,
	    "readlink(2) with a trailing slash follows the link (fails)");
	is_long(errno, EINVAL, "readlink(2): ... on the directory: EINVAL");
	big = malloc(PATH_MAX);
	memset(big, 'x', PATH_MAX - 1);
	big[PATH_MAX - 1] = '\0';
	for (i = 200; i < PATH_MAX - 1; i += 201)
		big[i] = '/';
	is_success(symlink(big, "long"),
	    "symlink(2): a target of PATH_MAX - 1 bytes");
	is_long(readlink("long", buf, sizeof(buf)), PATH_MAX - 1,
	    "readlink(2) of the long target");
	is_mem(buf, big, PATH_MAX - 1, "readlink(2): the long target intact");
	free(big);

	/* Trailing slashes. */
	is_success(stat("dl/", &st), "stat(2) \"link/\" follows a link to a "
	    "directory");
	ok(S_ISDIR(st.st_mode), "path_resolution(7): \"link/\" is the "
	    "directory");
	is_success(lstat("dl/", &st), "lstat(2) \"link/\"");
	ok(S_ISDIR(st.st_mode),
	    "lstat(2): a trailing slash follows the link (the directory)");
	is_errno(lstat("chain1/", &st), ENOTDIR,
	    "lstat(2) \"link/\" to a regular file is ENOTDIR");
	is_errno(unlink("dl/"), ENOTDIR,
	    "unlink(2) \"link/\" does not follow the link: ENOTDIR");
	is_errno(rmdir("dl"), ENOTDIR,
	    "rmdir(2) of a link to a directory is ENOTDIR");
	is_success(unlink("dl"), "unlink(2) of a link removes the link");
	is_success(stat("dir", &st), "unlink(2): ... not the directory");

	/* Loops and the limit of 40. */
	is_success(symlink("loop2", "loop1"), "symlink(2) one half of a loop");
	is_success(symlink("loop1", "loop2"), "symlink(2) the other half");
	is_errno(stat("loop1", &st), ELOOP, "stat(2) of a loop is ELOOP");
	is_errno(open("loop1", O_RDONLY), ELOOP, "open(2) of a loop is ELOOP");
	is_success(lstat("loop1", &st), "lstat(2) of a loop is fine");
	is_success(symlink("self", "self"), "symlink(2) a link to itself");
	is_errno(open("self/x", O_RDONLY), ELOOP,
	    "open(2) through a link to itself is ELOOP");
	/* c0 -> dir/file, c1 -> c0, ..., c40 -> c39. */
	is_success(symlink("dir/file", "c0"), "symlink(2) the start of a "
	    "chain");
	for (i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		if (symlink(target, name) != 0)
			break;
	}
	is_long(i, 41, "symlink(2) a chain of 41 links");
	is_success(stat("c39", &st),
	    "path_resolution(7): a chain of 40 links resolves");
	is_errno(stat("c40", &st), ELOOP,
	    "path_resolution(7): 41 links in one lookup are ELOOP");
	is_errno(open("c0", O_RDONLY | O_NOFOLLOW), ELOOP,
	    "open(2): O_NOFOLLOW on a link is ELOOP");
	is_errno(open("dl2/file", O_RDONLY | O_NOFOLLOW), ENOENT,
	    "open(2): O_NOFOLLOW: a missing name is still ENOENT");
	is_success(symlink("dir", "dl2"), "symlink(2) to a directory again");
	fd = open("dl2/file", O_RDONLY | O_NOFOLLOW);
	cmp_long(fd, ">=", 0,
	    "open(2): O_NOFOLLOW follows links before the last name");
	close(fd);
	is_success(lchown("c0", 0, 0), "lchown(2) of a link");
	is_success(fstatat(AT_FDCWD, "c0", &st, AT_SYMLINK_NOFOLLOW),
	    "fstatat(2) AT_SYMLINK_NOFOLLOW");
	ok(S_ISLNK(st.st_mode) && (st.st_mode & 0777) == 0777,
	    "symlink(2): a link's mode is 0777");
	fs_done();
	return done_testing();
}
