/*
 * Path lookup after the tree changed under names looked up before
 * (path_resolution(7); what a name cache must never get wrong): renames
 * of a file, of a directory in the middle of a path, over an existing
 * target and RENAME_EXCHANGE; unlink, rmdir and a new file under an old
 * name; hard links; a mount on a directory looked up before and its
 * unmount; search permission checked on every lookup; and no file kept
 * alive by having been looked up (a tmpfs with nr_inodes=8 makes and
 * removes many, and unmounts without EBUSY).
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "fs.h"

#define RENAME_EXCHANGE_	2

static int
try_stat(void *arg)
{
	struct stat st;

	return FS_ERR(stat(arg, &st));
}

/* stat(2) path and return its inode number, or 0 on error. */
static ino_t
ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

int
main(int argc, char **argv)
{
	char path[64], buf[16];
	struct stat st;
	ino_t a, b;
	int i, made, fd;

	(void)argc;
	conf_init(argv);
	fs_setup("lookup", NULL);
	umask(022);

	/* Renames */
	is_success(mkdir("a", 0755), "mkdir(2) a");
	is_success(mkdir("a/b", 0755), "mkdir(2) a/b");
	is_success(mkdir("a/b/c", 0755), "mkdir(2) a/b/c");
	fs_mkfile("a/b/c/f", "deep");
	a = ino_of("a/b/c/f");
	ok(a != 0, "stat(2) of a deep path");
	is_success(rename("a/b", "a/x"), "rename(2) a directory in the middle");
	is_errno(stat("a/b/c/f", &st), ENOENT,
	    "stat(2): the old path is gone after the rename");
	is_long(ino_of("a/x/c/f"), a, "stat(2): the new path is the same file");
	is_success(rename("a/x/c/f", "a/x/c/g"), "rename(2) the file");
	is_errno(stat("a/x/c/f", &st), ENOENT, "stat(2): its old name is gone");
	is_long(ino_of("a/x/c/g"), a, "stat(2): its new name is the file");

	fs_mkfile("s", "source");
	fs_mkfile("t", "target");
	a = ino_of("s");
	b = ino_of("t");
	is_success(rename("s", "t"), "rename(2) over an existing name");
	is_long(ino_of("t"), a, "stat(2): the target name is the source file "
	    "now");
	is_errno(stat("s", &st), ENOENT, "stat(2): the source name is gone");
	fs_mkfile("u", "other");
	b = ino_of("u");
	is_success(syscall(SYS_renameat2, AT_FDCWD, "t", AT_FDCWD, "u",
	    RENAME_EXCHANGE_), "renameat2(2) RENAME_EXCHANGE");
	is_long(ino_of("t"), b, "stat(2): the names exchanged their files (1)");
	is_long(ino_of("u"), a, "stat(2): the names exchanged their files (2)");
	is_long(fs_readfile("u", buf, sizeof(buf)), 6,
	    "read(2) through an exchanged name");
	is_str(buf, "source", "read(2): the data of the file it names now");

	/* Removal and a new file of the same name */
	a = ino_of("u");
	is_success(unlink("u"), "unlink(2)");
	is_errno(stat("u", &st), ENOENT, "stat(2) after unlink(2) is ENOENT");
	fs_mkfile("u", "new");
	ok(ino_of("u") != 0 && ino_of("u") != a, "stat(2): a new file under "
	    "the old name is another file");
	is_success(mkdir("dir", 0755), "mkdir(2)");
	fs_mkfile("dir/in", "x");
	ok(ino_of("dir/in") != 0, "stat(2) inside it");
	is_success(unlink("dir/in"), "unlink(2) its entry");
	is_success(rmdir("dir"), "rmdir(2)");
	is_errno(stat("dir", &st), ENOENT, "stat(2) after rmdir(2) is ENOENT");
	is_errno(stat("dir/in", &st), ENOENT,
	    "stat(2) below a removed directory is ENOENT");
	fs_mkfile("dir", "now a file");
	is_success(stat("dir", &st), "stat(2) of a file made under the name");
	ok(S_ISREG(st.st_mode), "stat(2): the name is a regular file now");
	is_errno(stat("dir/in", &st), ENOTDIR,
	    "stat(2) through it is ENOTDIR");

	/* Hard links */
	fs_mkfile("h1", "linked");
	is_success(link("h1", "h2"), "link(2)");
	a = ino_of("h1");
	is_long(ino_of("h2"), a, "stat(2): both names are one file");
	is_success(unlink("h1"), "unlink(2) one name");
	is_errno(stat("h1", &st), ENOENT, "stat(2): that name is gone");
	is_success(stat("h2", &st), "stat(2): the other still works");
	is_long(st.st_nlink, 1, "stat(2): st_nlink is 1");

	/* A mount on a directory looked up before, and its unmount */
	is_success(mkdir("mp", 0755), "mkdir(2) a mount point");
	fs_mkfile("mp/under", "under");
	ok(ino_of("mp/under") != 0, "stat(2) of a file in it");
	is_success(mount("top", "mp", "tmpfs", 0, NULL), "mount(2) on it");
	is_errno(stat("mp/under", &st), ENOENT,
	    "stat(2): the mount hides the directory's files");
	fs_mkfile("mp/over", "over");
	ok(ino_of("mp/over") != 0, "stat(2) of a file of the mount");
	is_success(umount("mp"), "umount2(2): names looked up inside do not "
	    "keep it busy");
	is_errno(stat("mp/over", &st), ENOENT,
	    "stat(2): the mount's files are gone with it");
	ok(ino_of("mp/under") != 0, "stat(2): the directory's own files are "
	    "back");

	/* Search permission is checked on every lookup */
	is_success(mkdir("priv", 0700), "mkdir(2) a private directory");
	fs_mkfile("priv/secret", "s");
	ok(ino_of("priv/secret") != 0, "stat(2) of a file in it as root");
	chmod(".", 0755);
	is_long(fs_as_nobody(try_stat, "priv/secret"), EACCES,
	    "stat(2) by another user through it is still EACCES");
	chmod("priv", 0711);
	is_long(fs_as_nobody(try_stat, "priv/secret"), 0,
	    "stat(2) works once it may search it");

	/* Nothing stays alive because it was looked up */
	is_success(mount("small", "mp", "tmpfs", 0, "nr_inodes=8"),
	    "mount(2) a tmpfs with nr_inodes=8");
	made = 0;
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "mp/f%d", i);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0)
			break;
		close(fd);
		if (ino_of(path) == 0 || ino_of(path) == 0 || unlink(path) != 0)
			break;
		made++;
	}
	is_long(made, 40, "open(2), stat(2) and unlink(2) of 40 files in "
	    "turn: each frees its inode");
	made = 0;
	for (i = 0; i < 20; i++) {
		if (mkdir("mp/d", 0755) != 0)
			break;
		fs_mkfile("mp/d/f", "x");
		if (ino_of("mp/d/f") == 0 || rename("mp/d/f", "mp/d/g") != 0 ||
		    ino_of("mp/d/g") == 0 || unlink("mp/d/g") != 0 ||
		    rmdir("mp/d") != 0)
			break;
		made++;
	}
	is_long(made, 20, "mkdir(2), rename(2), unlink(2) and rmdir(2) in "
	    "turn: each frees its inodes");
	is_success(umount("mp"), "umount2(2) the small tmpfs");

	fs_done();
	return done_testing();
}
