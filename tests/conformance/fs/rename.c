/*
 * rename(2), renameat(2), renameat2(2) on tmpfs: over an existing file,
 * over an empty and a non-empty directory, type mismatches, a directory
 * into its own subtree (EINVAL), "." and "..", RENAME_NOREPLACE and
 * RENAME_EXCHANGE, and what open descriptors and ".." see afterwards.
 */
#include <sys/stat.h>

#include "fs.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif

static long
rename2(const char *from, const char *to, unsigned int flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

int
main(int argc, char **argv)
{
	char buf[64];
	struct stat st, st2;
	ino_t ino;
	int fd;

	(void)argc;
	conf_init(argv);
	fs_setup("rename", NULL);

	fs_mkfile("a", "AAA");
	fs_mkfile("b", "BBB");
	stat("a", &st);
	ino = st.st_ino;
	fd = open("b", O_RDONLY);
	is_success(rename("a", "b"), "rename(2) over an existing file");
	is_errno(stat("a", &st), ENOENT, "rename(2): the old name is gone");
	is_success(stat("b", &st), "rename(2): the new name exists");
	is_long(st.st_ino, ino, "rename(2): the new name is the moved inode");
	fs_readfile("b", buf, sizeof(buf));
	is_str(buf, "AAA", "rename(2): the new name has the moved data");
	memset(buf, 0, sizeof(buf));
	is_long(read(fd, buf, 3), 3,
	    "rename(2): the replaced file is still readable while open");
	is_str(buf, "BBB", "rename(2): ... with its own data");
	is_success(fstat(fd, &st), "fstat(2) of the replaced file");
	is_long(st.st_nlink, 0, "rename(2): the replaced file has no link");
	close(fd);
	is_success(rename("b", "b"), "rename(2) of a name to itself succeeds");
	is_success(link("b", "b2"), "link(2)");
	is_success(rename("b", "b2"),
	    "rename(2) between two links of one file succeeds");
	is_success(stat("b", &st), "rename(2): ... and does nothing (both "
	    "stay)");
	unlink("b2");

	/* Directories. */
	mkdir("d", 0755);
	mkdir("e", 0755);
	mkdir("full", 0755);
	fs_mkfile("full/x", "x");
	is_success(rename("d", "e"), "rename(2) a directory over an empty one");
	is_errno(stat("d", &st), ENOENT, "rename(2): the old directory name "
	    "is gone");
	mkdir("d", 0755);
	is_errno(rename("d", "full"), ENOTEMPTY,
	    "rename(2) over a non-empty directory is ENOTEMPTY");
	is_errno(rename("d", "b"), ENOTDIR,
	    "rename(2) a directory over a file is ENOTDIR");
	is_errno(rename("b", "d"), EISDIR,
	    "rename(2) a file over a directory is EISDIR");
	mkdir("d/sub", 0755);
	is_errno(rename("d", "d/sub/x"), EINVAL,
	    "rename(2) a directory into its own subdirectory is EINVAL");
	is_errno(rename("d", "d/x"), EINVAL,
	    "rename(2) a directory into itself is EINVAL");
	is_errno(rename("d/sub", "d"), ENOTEMPTY,
	    "rename(2) a directory over its non-empty parent is ENOTEMPTY");
	is_errno(rename("d/.", "z"), EBUSY,
	    "rename(2): an old name ending in \".\" is EBUSY");
	is_errno(rename("b", "d/.."), EBUSY,
	    "rename(2): a new name \"..\" is EBUSY");
	is_errno(rename("none", "z"), ENOENT,
	    "rename(2): a missing old name is ENOENT");
	is_errno(rename("b", "none/z"), ENOENT,
	    "rename(2): a missing new directory is ENOENT");
	is_errno(rename("b", "z/"), ENOTDIR,
	    "rename(2): a file to a name with a trailing slash is ENOTDIR");
	is_success(rename("d/sub/", "sub2/"),
	    "rename(2): a directory with trailing slashes on both names");

	/* A moved directory's ".." and the link counts. */
	mkdir("p", 0755);
	mkdir("q", 0755);
	mkdir("p/c", 0755);
	is_success(rename("p/c", "q/c"), "rename(2) a directory to another "
	    "parent");
	is_success(stat("q/c/..", &st), "stat(2) of its \"..\"");
	is_success(stat("q", &st2), "stat(2) of the new parent");
	is_long(st.st_ino, st2.st_ino,
	    "rename(2): the moved directory's \"..\" is the new parent");
	is_long(st2.st_nlink, 3, "rename(2): the new parent gains a link");
	is_success(stat("p", &st), "stat(2) of the old parent");
	is_long(st.st_nlink, 2, "rename(2): the old parent loses one");

	/* renameat2 */
	fs_mkfile("x", "X");
	fs_mkfile("y", "Y");
	is_errno(rename2("x", "y", RENAME_NOREPLACE), EEXIST,
	    "renameat2(2): RENAME_NOREPLACE over an existing name is EEXIST");
	is_success(rename2("x", "x2", RENAME_NOREPLACE),
	    "renameat2(2): RENAME_NOREPLACE to a free name");
	is_success(rename2("x2", "y", RENAME_EXCHANGE),
	    "renameat2(2): RENAME_EXCHANGE of two files");
	fs_readfile("y", buf, sizeof(buf));
	is_str(buf, "X", "renameat2(2): RENAME_EXCHANGE: the contents "
	    "swapped (1)");
	fs_readfile("x2", buf, sizeof(buf));
	is_str(buf, "Y", "renameat2(2): RENAME_EXCHANGE: the contents "
	    "swapped (2)");
	is_success(rename2("y", "q", RENAME_EXCHANGE),
	    "renameat2(2): RENAME_EXCHANGE of a file and a directory");
	ok(stat("y", &st) == 0 && S_ISDIR(st.st_mode) &&
	    stat("q", &st2) == 0 && S_ISREG(st2.st_mode),
	    "renameat2(2): RENAME_EXCHANGE: the types swapped");
	is_success(stat("y/c/..", &st2), "stat(2) of the exchanged "
	    "directory's child's \"..\"");
	is_long(st2.st_ino, st.st_ino, "renameat2(2): its tree moved with it");
	is_errno(rename2("x2", "nope", RENAME_EXCHANGE), ENOENT,
	    "renameat2(2): RENAME_EXCHANGE with a missing name is ENOENT");
	is_errno(rename2("x2", "y", RENAME_EXCHANGE | RENAME_NOREPLACE),
	    EINVAL, "renameat2(2): EXCHANGE with NOREPLACE is EINVAL");
	is_errno(rename2("x2", "y", 0x100), EINVAL,
	    "renameat2(2): an unknown flag is EINVAL");
	is_errno(rename2("y", "y/c", RENAME_EXCHANGE), EINVAL,
	    "renameat2(2): exchanging a directory with its descendant is "
	    "EINVAL");
	fs_done();
	return done_testing();
}
