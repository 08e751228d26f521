/*
 * path_resolution(7), trailing slashes on the last name of the calls that
 * make, remove or rename a name: the last name is never followed when it
 * is a symbolic link (a name that exists, even a dangling link, is EEXIST
 * to mkdir, mknod, link and symlink; unlink, rmdir and rename see the link
 * itself, not a directory: ENOTDIR), while open(2) with O_CREAT of a name
 * ending in '/' is EISDIR.  The values are Linux's.
 */
#include <sys/stat.h>

#include "fs.h"

int
main(int argc, char **argv)
{
	struct stat st;
	int fd;

	(void)argc;
	conf_init(argv);
	fs_setup("slash", NULL);
	mkdir("dir", 0755);
	fs_mkfile("f", "x");
	symlink("dir", "dl");
	symlink("nowhere", "dang");
	symlink("f", "fl");

	is_errno(mkdir("dang/", 0755), EEXIST,
	    "mkdir(2) \"dangling-link/\" is EEXIST (the link is not followed)");
	is_errno(stat("nowhere", &st), ENOENT,
	    "mkdir(2): ... and makes nothing where the link points");
	is_errno(mkdir("f/", 0755), EEXIST, "mkdir(2) \"file/\" is EEXIST");
	is_errno(mkdir("dl/", 0755), EEXIST, "mkdir(2) \"dir-link/\" is "
	    "EEXIST");
	is_errno(mkdir("fl/", 0755), EEXIST, "mkdir(2) \"file-link/\" is "
	    "EEXIST");
	is_errno(unlink("dl/"), ENOTDIR, "unlink(2) \"dir-link/\" is ENOTDIR");
	is_errno(unlink("fl/"), ENOTDIR, "unlink(2) \"file-link/\" is ENOTDIR");
	is_errno(unlink("dang/"), ENOTDIR,
	    "unlink(2) \"dangling-link/\" is ENOTDIR");
	is_errno(unlink("f/"), ENOTDIR, "unlink(2) \"file/\" is ENOTDIR");
	is_errno(rmdir("dl/"), ENOTDIR, "rmdir(2) \"dir-link/\" is ENOTDIR");
	is_errno(rmdir("fl/"), ENOTDIR, "rmdir(2) \"file-link/\" is ENOTDIR");
	is_errno(rmdir("f/"), ENOTDIR, "rmdir(2) \"file/\" is ENOTDIR");
	is_errno(link("f", "dang/"), EEXIST,
	    "link(2) to \"dangling-link/\" is EEXIST");
	is_errno(link("f", "dl/"), EEXIST, "link(2) to \"dir-link/\" is "
	    "EEXIST");
	is_errno(link("f", "f/"), EEXIST, "link(2) to \"file/\" is EEXIST");
	is_errno(link("f/", "x"), ENOTDIR, "link(2) from \"file/\" is ENOTDIR");
	is_errno(symlink("x", "dang/"), EEXIST,
	    "symlink(2) at \"dangling-link/\" is EEXIST");
	is_errno(symlink("x", "f/"), EEXIST, "symlink(2) at \"file/\" is "
	    "EEXIST");
	is_errno(rename("f/", "x"), ENOTDIR, "rename(2) from \"file/\" is "
	    "ENOTDIR");
	is_errno(rename("fl/", "x"), ENOTDIR,
	    "rename(2) from \"file-link/\" is ENOTDIR");
	is_errno(rename("dl/", "x"), ENOTDIR,
	    "rename(2) from \"dir-link/\" is ENOTDIR (the link is no "
	    "directory)");
	is_errno(rename("f", "dang/"), ENOTDIR,
	    "rename(2) a file to \"dangling-link/\" is ENOTDIR");
	is_errno(mknod("f/", S_IFIFO | 0600, 0), EEXIST,
	    "mknod(2) at \"file/\" is EEXIST");
	is_errno(mknod("dang/", S_IFIFO | 0600, 0), EEXIST,
	    "mknod(2) at \"dangling-link/\" is EEXIST");
	is_errno(open("dang/", O_CREAT | O_RDWR, 0644), EISDIR,
	    "open(2) O_CREAT of \"dangling-link/\" is EISDIR");
	is_errno(open("f/", O_CREAT | O_RDWR, 0644), EISDIR,
	    "open(2) O_CREAT of \"file/\" is EISDIR");
	is_errno(open("dang", O_CREAT | O_RDWR | O_EXCL, 0644), EEXIST,
	    "open(2) O_CREAT|O_EXCL of a dangling link is EEXIST");
	is_errno(open("dl/", O_CREAT | O_RDONLY, 0644), EISDIR,
	    "open(2) O_CREAT of \"dir-link/\" is EISDIR");
	is_errno(open("fl/", O_RDONLY), ENOTDIR,
	    "open(2) of \"file-link/\" is ENOTDIR");
	fd = open("dl/", O_RDONLY);
	cmp_long(fd, ">=", 0, "open(2) of \"dir-link/\" opens the directory");
	close(fd);
	is_success(rename("dir/", "dir2/"),
	    "rename(2) of \"dir/\" to \"dir2/\" (directories) works");
	is_success(unlink("dl"), "unlink(2) of the link without a slash works");
	is_errno(stat("nowhere", &st), ENOENT, "nothing was made at the "
	    "dangling link's target");
	fs_done();
	return done_testing();
}
