/*
 * Permissions (path_resolution(7), inode(7)) for an ordinary user (uid and
 * gid 65534) on tmpfs: open(2) and access(2) denials (EACCES), search of a
 * directory, creation in an unwritable one, unlink(2) and rename(2) in a
 * sticky directory (EPERM), chmod(2) and chown(2) of another's file
 * (EPERM), link(2) of another's file (EPERM, protected_hardlinks),
 * utimensat(2)'s rules, set-group-ID directories, what chmod, chown and
 * write do to the set-user-ID and set-group-ID bits, umask(2), and that
 * root passes the read and write checks.
 */
#include <sys/stat.h>
#include <time.h>

#include "fs.h"

static int
try_open_read(void *arg)
{
	return FS_ERR(open(arg, O_RDONLY));
}

static int
try_open_write(void *arg)
{
	return FS_ERR(open(arg, O_WRONLY));
}

static int
try_stat(void *arg)
{
	struct stat st;

	return FS_ERR(stat(arg, &st));
}

static int
try_chdir(void *arg)
{
	return FS_ERR(chdir(arg));
}

static int
try_create(void *arg)
{
	return FS_ERR(open(arg, O_WRONLY | O_CREAT | O_EXCL, 0644));
}

static int
try_mkdir(void *arg)
{
	return FS_ERR(mkdir(arg, 0755));
}

static int
try_unlink(void *arg)
{
	return FS_ERR(unlink(arg));
}

static int
try_rename_out(void *arg)
{
	return FS_ERR(rename(arg, "sticky/renamed"));
}

static int
try_access_read(void *arg)
{
	return FS_ERR(access(arg, R_OK));
}

static int
try_chmod(void *arg)
{
	return FS_ERR(chmod(arg, 0777));
}

static int
try_chown_root(void *arg)
{
	return FS_ERR(chown(arg, 0, -1));
}

static int
try_chown_group(void *arg)
{
	return FS_ERR(chown(arg, -1, 0));
}

static int
try_chown_same(void *arg)
{
	return FS_ERR(chown(arg, FS_NOBODY, FS_NOBODY));
}

static int
try_link(void *arg)
{
	return FS_ERR(link(arg, "sticky/hardlink"));
}

static int
try_utime_null(void *arg)
{
	return FS_ERR(utimensat(AT_FDCWD, arg, NULL, 0));
}

static int
try_utime_now(void *arg)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	return FS_ERR(utimensat(AT_FDCWD, arg, ts, 0));
}

static int
try_utime_set(void *arg)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };

	return FS_ERR(utimensat(AT_FDCWD, arg, ts, 0));
}

static int
try_utime_omit(void *arg)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };

	return FS_ERR(utimensat(AT_FDCWD, arg, ts, 0));
}

static int
try_chmod_sgid(void *arg)
{
	return FS_ERR(chmod(arg, 02755));
}

static int
try_write(void *arg)
{
	int fd, err;

	if ((fd = open(arg, O_WRONLY)) < 0)
		return errno;
	err = write(fd, "x", 1) == 1 ? 0 : errno;
	close(fd);
	return err;
}

static int
try_readdir_open(void *arg)
{
	return FS_ERR(open(arg, O_RDONLY | O_DIRECTORY));
}

int
main(int argc, char **argv)
{
	struct stat st;
	int fd;

	(void)argc;
	conf_init(argv);
	fs_setup("perm", NULL);
	umask(0);

	fs_mkfile("secret", "s");
	chmod("secret", 0600);
	is_long(fs_as_nobody(try_open_read, "secret"), EACCES,
	    "open(2): reading a 0600 file of another user is EACCES");
	is_long(fs_as_nobody(try_open_write, "secret"), EACCES,
	    "open(2): writing a 0600 file of another user is EACCES");
	is_long(fs_as_nobody(try_access_read, "secret"), EACCES,
	    "access(2): R_OK of that file is EACCES");
	chmod("secret", 0604);
	is_long(fs_as_nobody(try_open_read, "secret"), 0,
	    "open(2): the \"other\" read bit lets it read");
	chmod("secret", 0000);
	fd = open("secret", O_RDWR);
	cmp_long(fd, ">=", 0, "open(2): root reads and writes a mode 0000 "
	    "file");
	close(fd);

	mkdir("priv", 0700);
	fs_mkfile("priv/f", "f");
	chmod("priv/f", 0666);
	is_long(fs_as_nobody(try_stat, "priv/f"), EACCES,
	    "path_resolution(7): a directory without search permission is "
	    "EACCES");
	is_long(fs_as_nobody(try_open_read, "priv/f"), EACCES,
	    "open(2): ... even for a file anyone may read");
	is_long(fs_as_nobody(try_chdir, "priv"), EACCES,
	    "chdir(2) into it is EACCES");
	chmod("priv", 0711);
	is_long(fs_as_nobody(try_open_read, "priv/f"), 0,
	    "path_resolution(7): search (x) alone is enough to go through");
	is_long(fs_as_nobody(try_readdir_open, "priv"), EACCES,
	    "open(2): a directory without read permission cannot be listed");
	is_long(fs_as_nobody(try_create, "priv/new"), EACCES,
	    "open(2): O_CREAT in a directory without write permission is "
	    "EACCES");
	is_long(fs_as_nobody(try_mkdir, "priv/newdir"), EACCES,
	    "mkdir(2) in a directory without write permission is EACCES");
	is_long(fs_as_nobody(try_unlink, "priv/f"), EACCES,
	    "unlink(2) in a directory without write permission is EACCES");

	/* Sticky directories. */
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	fs_mkfile("sticky/roots", "r");
	chmod("sticky/roots", 0666);
	is_long(fs_as_nobody(try_unlink, "sticky/roots"), EPERM,
	    "unlink(2): another's file in a sticky directory is EPERM");
	is_long(fs_as_nobody(try_rename_out, "sticky/roots"), EPERM,
	    "rename(2): another's file in a sticky directory is EPERM");
	is_long(fs_as_nobody(try_create, "sticky/mine"), 0,
	    "open(2): anyone may create in a 01777 directory");
	is_long(fs_as_nobody(try_unlink, "sticky/mine"), 0,
	    "unlink(2): the owner may remove its file from a sticky directory");
	is_success(stat("sticky/roots", &st), "the other's file is still "
	    "there");

	/* chmod and chown of another's file, link of it. */
	is_long(fs_as_nobody(try_chmod, "sticky/roots"), EPERM,
	    "chmod(2): another's file is EPERM");
	is_long(fs_as_nobody(try_chown_root, "sticky/roots"), EPERM,
	    "chown(2): another's file is EPERM");
	chmod("sticky/roots", 0600);
	is_long(fs_as_nobody(try_link, "sticky/roots"), EPERM,
	    "link(2): another's file it cannot read and write is EPERM "
	    "(protected_hardlinks)");
	fs_mkfile("sticky/nobodys", "n");
	chown("sticky/nobodys", FS_NOBODY, FS_NOBODY);
	is_long(fs_as_nobody(try_chown_root, "sticky/nobodys"), EPERM,
	    "chown(2): giving one's file to root is EPERM");
	is_long(fs_as_nobody(try_chown_group, "sticky/nobodys"), EPERM,
	    "chown(2): to a group one is not in is EPERM");
	is_long(fs_as_nobody(try_chown_same, "sticky/nobodys"), 0,
	    "chown(2): to one's own ids is allowed");
	is_long(fs_as_nobody(try_link, "sticky/nobodys"), 0,
	    "link(2): one's own file may be linked");

	/* utimensat rules. */
	fs_mkfile("pub", "p");
	chmod("pub", 0666);
	is_long(fs_as_nobody(try_utime_null, "pub"), 0,
	    "utimensat(2): times NULL needs only write permission");
	is_long(fs_as_nobody(try_utime_now, "pub"), 0,
	    "utimensat(2): both UTIME_NOW needs only write permission");
	is_long(fs_as_nobody(try_utime_set, "pub"), EPERM,
	    "utimensat(2): chosen times on another's file are EPERM");
	is_long(fs_as_nobody(try_utime_omit, "pub"), 0,
	    "utimensat(2): both UTIME_OMIT succeeds without checks");
	chmod("pub", 0644);
	is_long(fs_as_nobody(try_utime_null, "pub"), EACCES,
	    "utimensat(2): times NULL without write permission is EACCES");
	is_long(fs_as_nobody(try_utime_set, "sticky/nobodys"), 0,
	    "utimensat(2): the owner may set chosen times");
	is_success(stat("sticky/nobodys", &st), "stat(2) after that");
	ok(st.st_atime == 1000 && st.st_mtime == 2000,
	    "utimensat(2): the chosen times were set");

	/* Set-group-ID directories. */
	mkdir("sg", 0775);
	chown("sg", 0, 1234);
	chmod("sg", 02775);
	fs_mkfile("sg/f", "");
	mkdir("sg/sub", 0755);
	is_success(stat("sg/f", &st), "stat(2) of a file in a set-group-ID "
	    "dir");
	is_long(st.st_gid, 1234, "inode(7): a new file in a set-group-ID "
	    "directory takes the directory's group");
	is_success(stat("sg/sub", &st), "stat(2) of a subdirectory");
	is_long(st.st_gid, 1234, "inode(7): so does a new subdirectory");
	ok((st.st_mode & S_ISGID) != 0,
	    "inode(7): which is set-group-ID itself");

	/* What happens to the set-ID bits. */
	fs_mkfile("sticky/sgid", "");
	chown("sticky/sgid", FS_NOBODY, 0);
	is_long(fs_as_nobody(try_chmod_sgid, "sticky/sgid"), 0,
	    "chmod(2): the owner may chmod 02755");
	is_success(stat("sticky/sgid", &st), "stat(2) after that");
	is_long(st.st_mode & 07777, 0755, "chmod(2): set-group-ID is dropped "
	    "for a group the caller is not in");
	fs_mkfile("sticky/suid", "");
	chown("sticky/suid", FS_NOBODY, FS_NOBODY);
	chmod("sticky/suid", 06755);
	is_long(fs_as_nobody(try_write, "sticky/suid"), 0,
	    "write(2) to one's set-user-ID file");
	is_success(stat("sticky/suid", &st), "stat(2) after the write");
	is_long(st.st_mode & 07777, 0755, "write(2) by an ordinary user clears "
	    "set-user-ID and (group-executable) set-group-ID");
	chmod("sticky/suid", 06755);
	is_success(chown("sticky/suid", 0, 0), "chown(2) by root");
	is_success(stat("sticky/suid", &st), "stat(2) after chown");
	is_long(st.st_mode & 07777, 0755, "chown(2) clears set-user-ID and "
	    "set-group-ID of an executable");

	/* umask */
	umask(027);
	fs_mkfile("um", "");
	mkdir("umd", 0777);
	stat("um", &st);
	is_long(st.st_mode & 0777, 0640, "umask(2): open(2)'s 0644 less 027");
	stat("umd", &st);
	is_long(st.st_mode & 0777, 0750, "umask(2): mkdir(2)'s 0777 less 027");
	umask(0);
	fs_done();
	return done_testing();
}
