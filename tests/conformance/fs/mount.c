/*
 * mount(2), umount2(2), statfs(2), fstatfs(2), sync(2), syncfs(2) with
 * tmpfs: the options size=, mode=, uid=, gid= (tmpfs(5)), ENOSPC past
 * size=, f_type TMPFS_MAGIC, EBUSY for a busy mount, MNT_DETACH leaving
 * open files usable, MS_REMOUNT|MS_RDONLY making writes EROFS, and the
 * error paths (ENOENT, ENOTDIR, ENODEV, EINVAL, EPERM, EFAULT, EBADF).
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>

#include "fs.h"

#define TMPFS_MAGIC_	0x01021994

static int
try_mount(void *arg)
{
	return FS_ERR(mount("x", arg, "tmpfs", 0, NULL));
}

static int
try_umount(void *arg)
{
	return FS_ERR(umount2(arg, 0));
}

int
main(int argc, char **argv)
{
	char chunk[4096], buf[16];
	struct statfs sf, sf2;
	struct stat st;
	long total;
	ssize_t n;
	int fd, fd2, err;

	(void)argc;
	conf_init(argv);
	fs_setup("mount", NULL);
	memset(chunk, 'c', sizeof(chunk));

	mkdir("m", 0755);
	is_success(mount("small", "m", "tmpfs", 0,
	    "size=64k,mode=0710,uid=1234,gid=5678"),
	    "mount(2) a tmpfs with size=64k,mode=0710,uid=1234,gid=5678");
	is_success(stat("m", &st), "stat(2) of the mount's root");
	is_long(st.st_mode, S_IFDIR | 0710, "tmpfs(5): mode= sets the root's "
	    "mode");
	ok(st.st_uid == 1234 && st.st_gid == 5678,
	    "tmpfs(5): uid= and gid= set the root's owner");
	is_success(statfs("m", &sf), "statfs(2) of the tmpfs");
	is_hex(sf.f_type, TMPFS_MAGIC_, "statfs(2): f_type is TMPFS_MAGIC");
	is_long(sf.f_bsize, 4096, "statfs(2): f_bsize is the page size");
	is_long(sf.f_blocks, 16, "statfs(2): size=64k is 16 blocks");
	is_long(sf.f_bfree, 16, "statfs(2): all free on a new tmpfs");
	is_long(sf.f_namelen, 255, "statfs(2): f_namelen is 255");
	fd = open("m/fill", O_WRONLY | O_CREAT, 0644);
	total = 0;
	err = 0;
	while (total < 200 * 1024) {
		n = write(fd, chunk, sizeof(chunk));
		if (n < 0) {
			err = errno;
			break;
		}
		total += n;
	}
	is_long(err, ENOSPC, "write(2) past size= is ENOSPC");
	is_long(total, 64 * 1024, "tmpfs(5): exactly size= bytes fit");
	is_success(fstatfs(fd, &sf2), "fstatfs(2) of the full tmpfs");
	is_long(sf2.f_bfree, 0, "statfs(2): no block free");
	is_success(fstat(fd, &st), "fstat(2) of the file that filled it");
	is_long(st.st_blocks, 64 * 1024 / 512, "stat(2): st_blocks counts "
	    "512-byte units of the pages it holds");

	/* EBUSY */
	is_errno(umount2("m", 0), EBUSY,
	    "umount2(2): a mount with an open file is EBUSY");
	close(fd);
	chdir("m");
	is_errno(umount2(fs_scratch_dir, 0), EBUSY,
	    "umount2(2): the scratch mount holding a working directory is "
	    "EBUSY");
	chdir(fs_scratch_dir);
	is_errno(rmdir("m"), EBUSY, "rmdir(2): a mount point is EBUSY");
	is_success(umount2("m", 0), "umount2(2) once nothing uses it");
	is_errno(stat("m/fill", &st), ENOENT,
	    "umount2(2): the files are gone from the tree");

	/* MNT_DETACH */
	is_success(mount("lazy", "m", "tmpfs", 0, NULL), "mount(2) again");
	fs_mkfile("m/kept", "kept data");
	fd = open("m/kept", O_RDWR);
	fd2 = open("m", O_RDONLY | O_DIRECTORY);
	is_success(umount2("m", MNT_DETACH), "umount2(2) MNT_DETACH while in "
	    "use");
	is_errno(stat("m/kept", &st), ENOENT,
	    "umount2(2): MNT_DETACH takes the mount out of the tree at once");
	memset(buf, 0, sizeof(buf));
	is_long(read(fd, buf, 9), 9, "read(2) of a file of the detached mount");
	is_str(buf, "kept data", "umount2(2): MNT_DETACH: the data is there");
	is_long(write(fd, "+", 1), 1, "write(2) to it still works");
	fd = (close(fd), openat(fd2, "kept", O_RDONLY));
	cmp_long(fd, ">=", 0,
	    "openat(2) from a directory of the detached mount works");
	close(fd);
	is_success(fstatfs(fd2, &sf), "fstatfs(2) of the detached mount");
	is_hex(sf.f_type, TMPFS_MAGIC_, "fstatfs(2): still a tmpfs");
	close(fd2);
	is_success(rmdir("m"), "rmdir(2) the former mount point");
	mkdir("m", 0755);

	/* Remount read-only. */
	is_success(mount("rofs", "m", "tmpfs", 0, NULL), "mount(2) once more");
	fs_mkfile("m/f", "f");
	mkdir("m/d", 0755);
	is_success(mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL),
	    "mount(2) MS_REMOUNT|MS_RDONLY");
	is_success(statfs("m", &sf), "statfs(2) of the read-only mount");
	ok((sf.f_flags & ST_RDONLY) != 0, "statfs(2): f_flags has ST_RDONLY");
	is_errno(open("m/new", O_WRONLY | O_CREAT, 0644), EROFS,
	    "open(2) O_CREAT on a read-only mount is EROFS");
	is_errno(open("m/f", O_WRONLY), EROFS,
	    "open(2) for writing on a read-only mount is EROFS");
	is_errno(mkdir("m/d2", 0755), EROFS, "mkdir(2): EROFS");
	is_errno(unlink("m/f"), EROFS, "unlink(2): EROFS");
	is_errno(rmdir("m/d"), EROFS, "rmdir(2): EROFS");
	is_errno(rename("m/f", "m/g"), EROFS, "rename(2): EROFS");
	is_errno(chmod("m/f", 0600), EROFS, "chmod(2): EROFS");
	is_errno(truncate("m/f", 0), EROFS, "truncate(2): EROFS");
	is_errno(utimensat(AT_FDCWD, "m/f", NULL, 0), EROFS, "utimensat(2): "
	    "EROFS");
	is_errno(symlink("x", "m/l"), EROFS, "symlink(2): EROFS");
	is_errno(access("m/f", W_OK), EROFS, "access(2) W_OK: EROFS");
	is_success(access("m/f", R_OK), "access(2) R_OK is fine");
	is_long(fs_readfile("m/f", buf, sizeof(buf)), 1,
	    "read(2) on a read-only mount works");
	is_success(mount(NULL, "m", NULL, MS_REMOUNT, NULL),
	    "mount(2) MS_REMOUNT back to read-write");
	is_success(unlink("m/f"), "unlink(2) works again");
	fd = open("m/busy", O_WRONLY | O_CREAT, 0644);
	is_errno(mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY,
	    "mount(2): remounting read-only with a file open for writing is "
	    "EBUSY");
	close(fd);
	is_success(umount("m"), "umount2(2)");

	/* Errors */
	is_errno(mount("x", "none", "tmpfs", 0, NULL), ENOENT,
	    "mount(2): a missing mount point is ENOENT");
	fs_mkfile("file", "");
	is_errno(mount("x", "file", "tmpfs", 0, NULL), ENOTDIR,
	    "mount(2): a directory filesystem on a file is ENOTDIR");
	is_errno(mount("x", "m", "nosuchfs", 0, NULL), ENODEV,
	    "mount(2): an unknown filesystem type is ENODEV");
	is_errno(mount("x", "m", "tmpfs", 0, "bogus=1"), EINVAL,
	    "mount(2): an unknown tmpfs option is EINVAL");
	is_errno(mount("x", (char *)1, "tmpfs", 0, NULL), EFAULT,
	    "mount(2): a bad target address is EFAULT");
	is_errno(umount2("m", 0), EINVAL,
	    "umount2(2): a directory that is no mount point is EINVAL");
	is_errno(umount2("none", 0), ENOENT,
	    "umount2(2): a missing path is ENOENT");
	is_errno(umount2("m", 0x100), EINVAL,
	    "umount2(2): an unknown flag is EINVAL");
	chmod(".", 0777);
	is_long(fs_as_nobody(try_mount, "m"), EPERM,
	    "mount(2): an ordinary user gets EPERM");
	is_long(fs_as_nobody(try_umount, fs_scratch_dir), EPERM,
	    "umount2(2): an ordinary user gets EPERM");
	is_errno(statfs("none", &sf), ENOENT, "statfs(2): a missing path is "
	    "ENOENT");
	is_syserr(conf_sys(SYS_statfs, "m", 1), EFAULT,
	    "statfs(2): a bad buffer is EFAULT");
	is_errno(fstatfs(999, &sf), EBADF, "fstatfs(2): a closed fd is EBADF");
	sync();
	fd = open(".", O_RDONLY);
	is_success(syncfs(fd),
	    "syncfs(2) of a tmpfs descriptor");
	is_errno(syncfs(999), EBADF, "syncfs(2): a closed fd is EBADF");
	fs_done();
	return done_testing();
}
