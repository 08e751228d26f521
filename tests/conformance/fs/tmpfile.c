/*
 * open(2) with O_TMPFILE on tmpfs: an unnamed regular file in the given
 * directory, with st_nlink 0, which linkat(2) with AT_EMPTY_PATH can
 * give a name, once, unless O_EXCL was given; gone when closed (a tmpfs
 * with nr_inodes=4 makes many); the errors EINVAL (no write access, no
 * O_DIRECTORY bit, O_CREAT), ENOTDIR, ENOENT, EACCES and EROFS.
 */
#include <dirent.h>
#include <sys/syscall.h>

#include "fs.h"

#define TMPFILE_BIT	020000000	/* __O_TMPFILE */

static int
try_tmpfile(void *arg)
{
	int fd = open(arg, O_TMPFILE | O_RDWR, 0600);

	if (fd >= 0)
		close(fd);
	return FS_ERR(fd);
}

/* How many entries other than "." and ".." directory path has. */
static int
count_entries(const char *path)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	struct stat st, st2;
	char buf[16];
	int fd, fd2, i, made;

	(void)argc;
	conf_init(argv);
	fs_setup("tmpfile", NULL);
	umask(022);

	is_success(mkdir("d", 0755), "mkdir(2) a directory for the files");
	fd = open("d", O_TMPFILE | O_RDWR, 0666);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE|O_RDWR of a directory");
	is_success(fstat(fd, &st), "fstat(2) of the O_TMPFILE file");
	ok(S_ISREG(st.st_mode), "open(2) O_TMPFILE: a regular file");
	is_long(st.st_mode & 07777, 0644, "open(2) O_TMPFILE: the mode less "
	    "the umask");
	is_long(st.st_nlink, 0, "open(2) O_TMPFILE: st_nlink is 0");
	is_long(st.st_uid, getuid(), "open(2) O_TMPFILE: owned by the caller");
	is_long(count_entries("d"), 0, "open(2) O_TMPFILE: the directory "
	    "lists no new name");
	is_long(fcntl(fd, F_GETFL) & (O_TMPFILE | O_ACCMODE),
	    O_TMPFILE | O_RDWR, "fcntl(2) F_GETFL shows O_TMPFILE|O_RDWR");
	is_long(write(fd, "hello", 5), 5, "write(2) to the O_TMPFILE file");
	memset(buf, 0, sizeof(buf));
	is_long(pread(fd, buf, sizeof(buf), 0), 5, "pread(2) it back");
	is_str(buf, "hello", "pread(2): the bytes written");
	is_success(linkat(fd, "", AT_FDCWD, "d/named", AT_EMPTY_PATH),
	    "linkat(2) AT_EMPTY_PATH gives the O_TMPFILE file a name");
	is_success(stat("d/named", &st2), "stat(2) of the new name");
	is_long(st2.st_ino, st.st_ino, "linkat(2): the name is the same file");
	is_long(st2.st_nlink, 1, "linkat(2): st_nlink is 1 now");
	is_long(fs_readfile("d/named", buf, sizeof(buf)), 5,
	    "read(2) through the new name");
	is_str(buf, "hello", "read(2): the data written before the link");
	is_errno(linkat(fd, "", AT_FDCWD, "d/named", AT_EMPTY_PATH), EEXIST,
	    "linkat(2) to an existing name is EEXIST");
	is_success(linkat(fd, "", AT_FDCWD, "d/second", AT_EMPTY_PATH),
	    "linkat(2) AT_EMPTY_PATH of the file, which has a name now");
	is_success(unlink("d/second"), "unlink(2) that second name");
	is_success(unlink("d/named"), "unlink(2) the name again");
	is_errno(linkat(fd, "", AT_FDCWD, "d/again", AT_EMPTY_PATH), ENOENT,
	    "linkat(2): a file that had its name removed cannot be linked "
	    "again (ENOENT)");
	close(fd);

	fd = open("d", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE|O_WRONLY|O_EXCL");
	is_errno(linkat(fd, "", AT_FDCWD, "d/excl", AT_EMPTY_PATH), ENOENT,
	    "linkat(2) of an O_TMPFILE|O_EXCL file is ENOENT");
	close(fd);

	fd = open(".", O_TMPFILE | O_RDWR, 0);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE with mode 0");
	is_long(write(fd, "x", 1), 1, "open(2) O_TMPFILE: the creator may "
	    "write a file of mode 0");
	fd2 = open("d", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	cmp_long(fd2, ">=", 0, "open(2) O_TMPFILE|O_CLOEXEC");
	is_long(fcntl(fd2, F_GETFD), FD_CLOEXEC, "open(2) O_TMPFILE: "
	    "O_CLOEXEC sets FD_CLOEXEC");
	close(fd2);
	close(fd);

	/* A removed working directory still takes O_TMPFILE files. */
	is_success(mkdir("gone", 0755), "mkdir(2) a directory to remove");
	is_success(chdir("gone"), "chdir(2) into it");
	is_success(rmdir("../gone"), "rmdir(2) it");
	fd = open(".", O_TMPFILE | O_RDWR, 0600);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE in a removed directory");
	is_errno(linkat(fd, "", AT_FDCWD, "name", AT_EMPTY_PATH), ENOENT,
	    "linkat(2) into the removed directory is ENOENT");
	close(fd);
	if (chdir(fs_scratch_dir) != 0)
		tap_bail("chdir back: %s", tap_errname(errno));

	/* Each file goes when closed: nr_inodes=4 allows many in turn. */
	is_success(mkdir("small", 0755), "mkdir(2) a mount point");
	is_success(mount("small", "small", "tmpfs", 0, "nr_inodes=4"),
	    "mount(2) a tmpfs with nr_inodes=4");
	made = 0;
	for (i = 0; i < 20; i++) {
		if ((fd = open("small", O_TMPFILE | O_RDWR, 0600)) < 0)
			break;
		made++;
		close(fd);
	}
	is_long(made, 20, "open(2) O_TMPFILE: a closed file frees its inode");
	fd = open("small", O_TMPFILE | O_RDWR, 0600);
	is_success(linkat(fd, "", AT_FDCWD, "small/kept", AT_EMPTY_PATH),
	    "linkat(2) one into the small tmpfs");
	close(fd);
	is_success(stat("small/kept", &st), "the linked file outlives its "
	    "descriptor");
	is_errno(linkat(AT_FDCWD, "small/kept", AT_FDCWD, "d/kept", 0),
	    EXDEV, "link(2) across mounts is EXDEV");
	is_success(umount("small"), "umount2(2) the small tmpfs");

	/* Errors */
	is_errno(open("d", O_TMPFILE | O_RDONLY, 0600), EINVAL,
	    "open(2) O_TMPFILE|O_RDONLY is EINVAL");
	is_errno(syscall(SYS_openat, AT_FDCWD, "d", O_RDWR | TMPFILE_BIT,
	    0600), EINVAL, "open(2) O_TMPFILE without O_DIRECTORY is EINVAL");
	is_errno(open("d", O_TMPFILE | O_RDWR | O_CREAT, 0600), EINVAL,
	    "open(2) O_TMPFILE|O_CREAT is EINVAL");
	fs_mkfile("file", "");
	is_errno(open("file", O_TMPFILE | O_RDWR, 0600), ENOTDIR,
	    "open(2) O_TMPFILE of a regular file is ENOTDIR");
	is_errno(open("none", O_TMPFILE | O_RDWR, 0600), ENOENT,
	    "open(2) O_TMPFILE of a missing directory is ENOENT");
	is_errno(open("none/x", O_TMPFILE | O_RDWR, 0600), ENOENT,
	    "open(2) O_TMPFILE below a missing directory is ENOENT");
	is_success(symlink("d", "ld"), "symlink(2) to the directory");
	fd = open("ld", O_TMPFILE | O_RDWR, 0600);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE follows a final symbolic "
	    "link");
	close(fd);
	is_errno(open("ld", O_TMPFILE | O_RDWR | O_NOFOLLOW, 0600), ENOTDIR,
	    "open(2) O_TMPFILE|O_NOFOLLOW of a symbolic link is ENOTDIR");
	chmod(".", 0755);
	is_long(fs_as_nobody(try_tmpfile, "d"), EACCES, "open(2) O_TMPFILE in "
	    "a directory the caller may not write is EACCES");
	is_success(mkdir("pub", 0777), "mkdir(2) a directory for everyone");
	chmod("pub", 0777);
	is_long(fs_as_nobody(try_tmpfile, "pub"), 0, "open(2) O_TMPFILE in a "
	    "directory the caller may write works");
	is_success(mount("ro", "d", "tmpfs", MS_RDONLY, NULL),
	    "mount(2) a read-only tmpfs");
	is_errno(open("d", O_TMPFILE | O_RDWR, 0600), EROFS,
	    "open(2) O_TMPFILE on a read-only mount is EROFS");
	is_success(umount("d"), "umount2(2) it");

	fs_done();
	return done_testing();
}
