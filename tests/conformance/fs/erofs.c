/*
 * Which error wins when several apply, for the calls that make, remove
 * or rename names on a read-only tmpfs: EROFS comes before EACCES (an
 * ordinary user in a directory it may not write), before ENOENT (a
 * missing name) and before EISDIR/ENOTDIR; EEXIST and a trailing slash's
 * ENOENT come before EROFS; EXDEV before EROFS in rename(2).  Then, on a
 * writable mount, unlink(2) of a directory the caller may not remove is
 * EACCES, not EISDIR (mkdir(2), unlink(2), rmdir(2), rename(2), link(2),
 * symlink(2), open(2)).
 */
#include "fs.h"

struct call {
	int	 which;
	const char *a, *b;
};

enum { MKDIR, UNLINK, RMDIR, RENAME, LINK, SYMLINK, CREATE };

static int
do_call(void *arg)
{
	struct call *c = arg;
	int r = -1;

	switch (c->which) {
	case MKDIR:	r = mkdir(c->a, 0755); break;
	case UNLINK:	r = unlink(c->a); break;
	case RMDIR:	r = rmdir(c->a); break;
	case RENAME:	r = rename(c->a, c->b); break;
	case LINK:	r = link(c->a, c->b); break;
	case SYMLINK:	r = symlink(c->b, c->a); break;
	case CREATE:	r = open(c->a, O_WRONLY | O_CREAT, 0644); break;
	}
	if (r >= 0 && c->which == CREATE)
		close(r);
	return FS_ERR(r);
}

/* The errno of the call as the user nobody. */
static int
as_nobody(int which, const char *a, const char *b)
{
	struct call c = { which, a, b };

	return fs_as_nobody(do_call, &c);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	fs_setup("erofs", NULL);
	umask(022);
	chmod(".", 0755);

	is_success(mkdir("ro", 0755), "mkdir(2) a mount point");
	is_success(mount("ro", "ro", "tmpfs", 0, "mode=0755"),
	    "mount(2) a tmpfs");
	is_success(mkdir("ro/d", 0755), "mkdir(2) a directory in it");
	fs_mkfile("ro/d/f", "f");
	is_success(mkdir("ro/d/sub", 0755), "mkdir(2) a subdirectory");
	is_success(mkdir("rw", 0755), "mkdir(2) another directory");
	is_success(mount(NULL, "ro", NULL, MS_REMOUNT | MS_RDONLY, NULL),
	    "mount(2) MS_REMOUNT|MS_RDONLY");

	/* EROFS before EACCES (ro/d is root's, 0755) */
	is_long(as_nobody(MKDIR, "ro/d/x", NULL), EROFS,
	    "mkdir(2): EROFS before EACCES");
	is_long(as_nobody(CREATE, "ro/d/x", NULL), EROFS,
	    "open(2) O_CREAT: EROFS before EACCES");
	is_long(as_nobody(SYMLINK, "ro/d/x", "t"), EROFS,
	    "symlink(2): EROFS before EACCES");
	is_long(as_nobody(LINK, "ro/d/f", "ro/d/x"), EROFS,
	    "link(2): EROFS before EACCES");
	is_long(as_nobody(UNLINK, "ro/d/f", NULL), EROFS,
	    "unlink(2): EROFS before EACCES");
	is_long(as_nobody(RMDIR, "ro/d/sub", NULL), EROFS,
	    "rmdir(2): EROFS before EACCES");
	is_long(as_nobody(RENAME, "ro/d/f", "ro/d/g"), EROFS,
	    "rename(2): EROFS before EACCES");

	/* EROFS before ENOENT, EISDIR and ENOTDIR */
	is_errno(unlink("ro/d/none"), EROFS,
	    "unlink(2) of a missing name: EROFS before ENOENT");
	is_errno(rmdir("ro/d/none"), EROFS,
	    "rmdir(2) of a missing name: EROFS before ENOENT");
	is_errno(rename("ro/d/none", "ro/d/g"), EROFS,
	    "rename(2) of a missing name: EROFS before ENOENT");
	is_errno(unlink("ro/d/sub"), EROFS,
	    "unlink(2) of a directory: EROFS before EISDIR");
	is_errno(rmdir("ro/d/f"), EROFS,
	    "rmdir(2) of a file: EROFS before ENOTDIR");

	/* ... but after EEXIST, a trailing slash's ENOENT, and EXDEV */
	is_errno(mkdir("ro/d/f", 0755), EEXIST,
	    "mkdir(2) of an existing name: EEXIST before EROFS");
	is_errno(open("ro/d/f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
	    "open(2) O_CREAT|O_EXCL of an existing name: EEXIST before EROFS");
	is_errno(link("ro/d/f", "ro/d/sub"), EEXIST,
	    "link(2) to an existing name: EEXIST before EROFS");
	is_errno(symlink("t", "ro/d/x/"), ENOENT,
	    "symlink(2) to \"name/\": ENOENT before EROFS");
	is_errno(rename("ro/d/f", "rw/f"), EXDEV,
	    "rename(2) across mounts: EXDEV before EROFS");
	is_success(umount("ro"), "umount2(2)");

	/* On a writable mount: EACCES before EISDIR and ENOTDIR */
	is_success(mkdir("rw/sub", 0755), "mkdir(2) in a directory of root's");
	fs_mkfile("rw/f", "f");
	is_long(as_nobody(UNLINK, "rw/sub", NULL), EACCES,
	    "unlink(2) of a directory: EACCES before EISDIR");
	is_long(as_nobody(RMDIR, "rw/f", NULL), EACCES,
	    "rmdir(2) of a file: EACCES before ENOTDIR");
	is_long(as_nobody(RENAME, "rw/f", "rw/sub"), EACCES,
	    "rename(2) of a file over a directory: EACCES before EISDIR");
	is_errno(rename("rw/f", "rw/sub"), EISDIR,
	    "rename(2) of a file over a directory is EISDIR");
	is_errno(rename("rw/sub", "rw/f"), ENOTDIR,
	    "rename(2) of a directory over a file is ENOTDIR");

	fs_done();
	return done_testing();
}
