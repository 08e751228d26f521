/*
 * mkdir(2), rmdir(2), link(2), linkat(2), unlink(2), unlinkat(2),
 * mknod(2) and their error paths on tmpfs (EEXIST, ENOENT, ENOTDIR,
 * EISDIR, ENOTEMPTY, EINVAL, EPERM, EXDEV across two tmpfs mounts), link
 * counts, and a file unlinked while open: still readable and writable
 * until closed, with st_nlink 0 (unlink(2)).
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fs.h"

int
main(int argc, char **argv)
{
	char buf[64];
	struct stat st, st2;
	int fd, fd2;

	(void)argc;
	conf_init(argv);
	fs_setup("link", NULL);
	umask(0);

	is_success(mkdir("d", 0755), "mkdir(2)");
	is_success(stat("d", &st), "stat(2) of the new directory");
	is_long(st.st_mode, S_IFDIR | 0755, "mkdir(2): a directory, mode 0755");
	is_long(st.st_nlink, 2, "mkdir(2): a new directory has 2 links");
	is_success(stat(".", &st2), "stat(2) of its parent");
	is_long(st2.st_nlink, 3, "mkdir(2): the parent gains a link (\"..\")");
	is_errno(mkdir("d", 0755), EEXIST, "mkdir(2): an existing name is "
	    "EEXIST");
	is_errno(mkdir("x/y", 0755), ENOENT,
	    "mkdir(2): a missing parent is ENOENT");
	is_errno(mkdir("", 0755), ENOENT, "mkdir(2): an empty path is ENOENT");
	is_success(mkdir("d2/", 0700), "mkdir(2): a trailing slash is allowed");
	is_errno(mkdir(".", 0755), EEXIST, "mkdir(2) of \".\" is EEXIST");
	is_errno(mkdir("/", 0755), EEXIST, "mkdir(2) of \"/\" is EEXIST");
	fs_mkfile("f", "data");
	is_errno(mkdir("f/x", 0755), ENOTDIR,
	    "mkdir(2): a file as a parent is ENOTDIR");
	is_errno(mkdir((char *)1, 0755), EFAULT, "mkdir(2): a bad address is "
	    "EFAULT");

	/* rmdir */
	fs_mkfile("d/inner", "x");
	is_errno(rmdir("d"), ENOTEMPTY,
	    "rmdir(2): a directory with entries is ENOTEMPTY");
	is_errno(rmdir("f"), ENOTDIR, "rmdir(2): a regular file is ENOTDIR");
	is_errno(rmdir("d/."), EINVAL, "rmdir(2): a last component \".\" is "
	    "EINVAL");
	is_errno(rmdir("d/.."), ENOTEMPTY,
	    "rmdir(2): a last component \"..\" is ENOTEMPTY");
	is_errno(rmdir("none"), ENOENT, "rmdir(2): a missing name is ENOENT");
	is_errno(unlink("d"), EISDIR, "unlink(2): a directory is EISDIR");
	is_errno(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR,
	    "unlinkat(2): AT_REMOVEDIR of a file is ENOTDIR");
	is_errno(unlinkat(AT_FDCWD, "f", 0x1000), EINVAL,
	    "unlinkat(2): an unknown flag is EINVAL");
	is_success(unlink("d/inner"), "unlink(2) the entry");
	is_success(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR),
	    "unlinkat(2): AT_REMOVEDIR removes the now empty directory");
	is_errno(stat("d", &st), ENOENT, "rmdir(2): the name is gone");
	is_success(stat(".", &st2), "stat(2) of the parent");
	is_long(st2.st_nlink, 3, "rmdir(2): the parent loses the link");
	is_success(rmdir("d2/"), "rmdir(2): with a trailing slash");
	is_errno(unlink("f/"), ENOTDIR,
	    "unlink(2): a file named with a trailing slash is ENOTDIR");
	is_errno(unlink("none"), ENOENT, "unlink(2): a missing name is ENOENT");

	/* link */
	is_success(link("f", "g"), "link(2)");
	is_success(stat("f", &st), "stat(2) of the original");
	is_success(stat("g", &st2), "stat(2) of the new link");
	is_long(st.st_nlink, 2, "link(2): st_nlink is 2");
	is_long(st2.st_ino, st.st_ino, "link(2): both names are the same "
	    "inode");
	is_errno(link("f", "g"), EEXIST, "link(2): an existing new name is "
	    "EEXIST");
	is_errno(link("none", "h"), ENOENT, "link(2): a missing old name is "
	    "ENOENT");
	is_success(mkdir("d", 0755), "mkdir(2) again");
	is_errno(link("d", "dl"), EPERM, "link(2): a directory is EPERM");
	is_errno(link("f", "none/h"), ENOENT,
	    "link(2): a missing new directory is ENOENT");
	is_errno(link("f", "h/"), ENOENT,
	    "link(2): a new name with a trailing slash is ENOENT");
	is_success(symlink("f", "sl"), "symlink(2)");
	is_success(link("sl", "hl"), "link(2) of a symbolic link");
	is_success(lstat("hl", &st2), "lstat(2) of the hard link");
	ok(S_ISLNK(st2.st_mode), "link(2): does not follow the symbolic link");
	is_success(linkat(AT_FDCWD, "sl", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW),
	    "linkat(2) with AT_SYMLINK_FOLLOW");
	is_success(lstat("hf", &st2), "lstat(2) of that link");
	is_long(st2.st_ino, st.st_ino,
	    "linkat(2): AT_SYMLINK_FOLLOW links the target");
	is_errno(linkat(AT_FDCWD, "f", AT_FDCWD, "x", 0x8000), EINVAL,
	    "linkat(2): an unknown flag is EINVAL");
	is_success(unlink("g"), "unlink(2) one name");
	is_success(stat("f", &st), "stat(2) the other");
	is_long(st.st_nlink, 3 - 1, "unlink(2): st_nlink goes down");

	/* EXDEV: two tmpfs mounts. */
	is_success(mkdir("m", 0755), "mkdir(2) a mount point");
	is_success(mount("other", "m", "tmpfs", 0, NULL), "mount(2) a tmpfs");
	is_errno(link("f", "m/f"), EXDEV,
	    "link(2): across two mounts is EXDEV");
	is_errno(rename("f", "m/f"), EXDEV,
	    "rename(2): across two mounts is EXDEV");
	is_errno(rmdir("m"), EBUSY, "rmdir(2): a mount point is EBUSY");
	is_success(umount("m"), "umount(2)");

	/* mknod */
	is_success(mknod("fifo", S_IFIFO | 0644, 0), "mknod(2) a FIFO");
	is_success(lstat("fifo", &st), "lstat(2) of it");
	ok(S_ISFIFO(st.st_mode), "mknod(2): the FIFO is a FIFO");
	is_success(mknod("reg", S_IFREG | 0600, 0), "mknod(2) a regular file");
	is_success(mknod("null", S_IFCHR | 0666, makedev(1, 3)),
	    "mknod(2) a character device (as root)");
	is_success(lstat("null", &st), "lstat(2) of the device");
	ok(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 3, "mknod(2): st_rdev is 1:3");
	is_errno(mknod("dd", S_IFDIR | 0755, 0), EPERM,
	    "mknod(2): S_IFDIR is EPERM");
	is_errno(mknod("reg", S_IFREG | 0600, 0), EEXIST,
	    "mknod(2): an existing name is EEXIST");
	is_errno(mknod("bad", 0170000 | 0600, 0), EINVAL,
	    "mknod(2): an unknown type is EINVAL");

	/* An unlinked file stays usable while open. */
	fs_mkfile("u", "before");
	fd = open("u", O_RDWR);
	fd2 = open("u", O_RDONLY);
	is_success(unlink("u"), "unlink(2) an open file");
	is_errno(stat("u", &st), ENOENT, "unlink(2): the name is gone");
	is_success(fstat(fd, &st), "fstat(2) of the open, unlinked file");
	is_long(st.st_nlink, 0, "unlink(2): the open file has st_nlink 0");
	is_long(read(fd, buf, 6), 6, "read(2) of the unlinked file");
	is_mem(buf, "before", 6, "unlink(2): the data is still there");
	is_long(write(fd, " after", 6), 6, "write(2) to the unlinked file");
	memset(buf, 0, sizeof(buf));
	is_long(read(fd2, buf, sizeof(buf)), 12,
	    "read(2) through a second descriptor");
	is_str(buf, "before after",
	    "unlink(2): the write shows through the other descriptor");
	close(fd);
	is_long(pread(fd2, buf, 6, 0), 6,
	    "pread(2) after the first descriptor closed");
	close(fd2);
	is_errno(open("u", O_RDONLY), ENOENT,
	    "unlink(2): the file is gone once closed");
	fs_done();
	return done_testing();
}
