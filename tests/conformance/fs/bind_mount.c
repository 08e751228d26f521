/*
 * Bind mounts, mount(2) MS_BIND: a directory bound onto a directory shows
 * the same files (same st_dev and st_ino, changes seen both ways), ".."
 * from the bind's root goes to the parent of the mount point, getcwd(3)
 * inside it names the mount point's path, the mounts below the source are
 * not bound (no MS_REC) and a mount made through the bind is not seen at
 * the source (a private mount, as in run.py's mount namespace on the
 * host); a file bound onto a file shows its data; a directory onto a file
 * or a file onto a directory is ENOTDIR, a missing source ENOENT, a NULL
 * or empty one EINVAL; rmdir,
 * unlink and rename of a mount point are EBUSY, and umount2 of a bind in
 * use is EBUSY; /proc/self/mounts and /proc/self/mountinfo list a bind
 * with its filesystem's source and type, and mountinfo with its root
 * within the filesystem; umount2 takes it away again.
 */
#include <limits.h>
#include <sys/statfs.h>

#include "fs.h"

/*
 * The mountinfo line (proc(5)) whose mount point is path: its root in
 * root, and the type and source after the "-" in type and source.
 * Returns 0, or -1 when no line has that mount point.
 */
static int
mountinfo_find(const char *path, char *root, char *type, char *source)
{
	static char text[65536];
	char *line, *save = NULL, *f[32], *fsave;
	int n, i;

	if (fs_readfile("/proc/self/mountinfo", text, sizeof(text)) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n = 0;
		fsave = NULL;
		for (f[n] = strtok_r(line, " ", &fsave); f[n] != NULL &&
		    n < 31; f[n] = strtok_r(NULL, " ", &fsave))
			n++;
		if (n < 8 || strcmp(f[4], path) != 0)
			continue;
		for (i = 6; i < n - 2 && strcmp(f[i], "-") != 0; i++)
			continue;
		if (i >= n - 2)
			return -1;
		strcpy(root, f[3]);
		strcpy(type, f[i + 1]);
		strcpy(source, f[i + 2]);
		return 0;
	}
	return -1;
}

/* Does /proc/self/mounts have the line "source path type ..."? */
static int
mounts_has(const char *source, const char *path, const char *type)
{
	static char text[65536];
	char want[PATH_MAX + 128];

	if (fs_readfile("/proc/self/mounts", text, sizeof(text)) < 0)
		return 0;
	snprintf(want, sizeof(want), "%s %s %s ", source, path, type);
	return strstr(text, want) != NULL;
}

/* Are the two paths the same file (st_dev and st_ino)? */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int
main(int argc, char **argv)
{
	char path[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 16];
	char root[PATH_MAX], type[64], source[256], buf[16];
	struct statfs sfa, sfb;
	struct stat st;
	const char *dir;

	(void)argc;
	conf_init(argv);
	dir = fs_setup("bind_mount", NULL);
	umask(022);
	if (mkdir("a", 0755) != 0 || mkdir("a/b", 0755) != 0 ||
	    mkdir("a/b/src", 0755) != 0 || mkdir("a/b/src/sub", 0755) != 0 ||
	    mkdir("a/b/src/m", 0755) != 0 || mkdir("dst", 0755) != 0 ||
	    mkdir("dst2", 0755) != 0 || mkdir("x", 0755) != 0)
		bail_out("setup: %s", tap_errname(errno));
	fs_mkfile("a/b/src/f", "source file");
	fs_mkfile("f", "file f");
	fs_mkfile("g", "file g");

	/* Errors first: nothing is mounted by them. */
	is_errno(mount("nothere", "dst", NULL, MS_BIND, NULL), ENOENT,
	    "mount(2) MS_BIND: a source that does not exist is ENOENT");
	is_errno(mount(NULL, "dst", NULL, MS_BIND, NULL), EINVAL,
	    "mount(2) MS_BIND: a NULL source is EINVAL");
	is_errno(mount("", "dst", NULL, MS_BIND, NULL), EINVAL,
	    "mount(2) MS_BIND: an empty source is EINVAL");
	is_errno(mount("a/b/src", "g", NULL, MS_BIND, NULL), ENOTDIR,
	    "mount(2) MS_BIND: a directory onto a file is ENOTDIR");
	is_errno(mount("f", "dst", NULL, MS_BIND, NULL), ENOTDIR,
	    "mount(2) MS_BIND: a file onto a directory is ENOTDIR");

	/* A directory onto a directory. */
	is_success(mount("a/b/src", "dst", NULL, MS_BIND, NULL),
	    "mount(2) MS_BIND: a directory onto a directory");
	ok(same_file("dst/f", "a/b/src/f") && same_file("dst", "a/b/src"),
	    "MS_BIND: the bind shows the source's files (same st_dev and "
	    "st_ino)");
	ok(fs_readfile("dst/f", buf, sizeof(buf)) == 11 &&
	    strcmp(buf, "source file") == 0,
	    "MS_BIND: a file read through the bind has the source's data");
	fs_mkfile("dst/new", "made here");
	ok(same_file("dst/new", "a/b/src/new"),
	    "MS_BIND: a file made through the bind is in the source");
	is_success(unlink("a/b/src/new"), "unlink(2) at the source");
	is_errno(stat("dst/new", &st), ENOENT,
	    "MS_BIND: a file removed at the source is gone in the bind");
	ok(same_file("dst/..", ".") && !same_file("dst/..", "a/b"),
	    "MS_BIND: \"..\" from the bind's root is the mount point's "
	    "parent");
	ok(same_file("dst/sub/..", "dst"),
	    "MS_BIND: \"..\" below the bind's root stays in the bind");
	ok(statfs("dst", &sfa) == 0 && statfs("a/b/src", &sfb) == 0 &&
	    sfa.f_type == sfb.f_type,
	    "statfs(2) through the bind is the source's filesystem's");

	/* getcwd inside the bind, and umount2 of it while in use. */
	snprintf(want, sizeof(want), "%s/dst/sub", dir);
	ok(chdir("dst/sub") == 0 && getcwd(cwd, sizeof(cwd)) != NULL &&
	    strcmp(cwd, want) == 0,
	    "getcwd(3) inside the bind is the mount point's path");
	snprintf(path, sizeof(path), "%s/dst", dir);
	is_errno(umount2(path, 0), EBUSY,
	    "umount2(2): a bind that is a working directory is EBUSY");
	if (chdir(dir) != 0)
		bail_out("chdir %s: %s", dir, tap_errname(errno));

	/* A mount point cannot be removed or renamed. */
	is_errno(rmdir("dst"), EBUSY,
	    "rmdir(2): a directory that is a mount point (MS_BIND) is EBUSY");
	is_errno(rename("dst", "dst3"), EBUSY,
	    "rename(2): renaming a mount point (MS_BIND) is EBUSY");
	is_errno(rename("x", "dst"), EBUSY,
	    "rename(2): renaming onto a mount point (MS_BIND) is EBUSY");

	/* The mount tables. */
	snprintf(path, sizeof(path), "%s/dst", dir);
	ok(mounts_has("conf-fs", path, "tmpfs"),
	    "/proc/self/mounts: a bind shows its filesystem's source and "
	    "type");
	ok(mountinfo_find(path, root, type, source) == 0 &&
	    strcmp(root, "/a/b/src") == 0 && strcmp(type, "tmpfs") == 0 &&
	    strcmp(source, "conf-fs") == 0,
	    "/proc/self/mountinfo: a bind's root is its directory within the "
	    "filesystem (/a/b/src), with the type and source");

	/* Mounts below the source, and mounts made through the bind. */
	if (mount("inner", "a/b/src/m", "tmpfs", 0, NULL) != 0)
		bail_out("mount tmpfs on a/b/src/m: %s", tap_errname(errno));
	fs_mkfile("a/b/src/m/inner", "inner");
	is_success(mount("a/b/src", "dst2", NULL, MS_BIND, NULL),
	    "mount(2) MS_BIND of a directory with a mount below it");
	is_errno(stat("dst2/m/inner", &st), ENOENT,
	    "MS_BIND without MS_REC: the mounts below the source are not "
	    "bound");
	is_success(mount("through", "dst2/sub", "tmpfs", 0, NULL),
	    "mount(2) a tmpfs on a directory of the bind");
	fs_mkfile("dst2/sub/t", "t");
	ok(stat("a/b/src/sub/t", &st) == -1 && errno == ENOENT &&
	    stat("dst2/sub/t", &st) == 0,
	    "a mount made through a bind is not seen at the source");
	is_errno(umount2("dst2", 0), EBUSY,
	    "umount2(2): a bind with a mount on it is EBUSY");
	is_success(umount2("dst2/sub", 0), "umount2(2) the tmpfs in the bind");
	is_success(umount2("dst2", 0), "umount2(2) the second bind");
	is_success(umount2("a/b/src/m", 0), "umount2(2) the inner tmpfs");

	is_success(umount2("dst", 0), "umount2(2) a directory's bind");
	is_errno(stat("dst/f", &st), ENOENT,
	    "after umount2(2) the mount point's own (empty) directory shows");
	is_success(rmdir("dst"), "rmdir(2) of it is no longer EBUSY");

	/* A file onto a file. */
	is_success(mount("f", "g", NULL, MS_BIND, NULL),
	    "mount(2) MS_BIND: a file onto a file");
	ok(fs_readfile("g", buf, sizeof(buf)) == 6 &&
	    strcmp(buf, "file f") == 0 && same_file("f", "g"),
	    "MS_BIND: the target shows the bound file");
	is_errno(unlink("g"), EBUSY,
	    "unlink(2): a file that is a mount point (MS_BIND) is EBUSY");
	is_errno(rename("g", "h"), EBUSY,
	    "rename(2): renaming a file that is a mount point is EBUSY");
	snprintf(path, sizeof(path), "%s/g", dir);
	ok(mountinfo_find(path, root, type, source) == 0 &&
	    strcmp(root, "/f") == 0 && strcmp(type, "tmpfs") == 0,
	    "/proc/self/mountinfo: a file's bind has the file as its root");
	is_success(umount2("g", 0), "umount2(2) a file's bind");
	ok(fs_readfile("g", buf, sizeof(buf)) == 6 &&
	    strcmp(buf, "file g") == 0,
	    "after umount2(2) the file's own data shows again");
	is_success(unlink("g"), "unlink(2) of it is no longer EBUSY");

	fs_done();
	return done_testing();
}
