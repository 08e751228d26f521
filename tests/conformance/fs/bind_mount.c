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
 * within the filesystem; umount2 takes it away again.  Read-only binds
 * (MS_REMOUNT | MS_BIND | MS_RDONLY), files that keep a bind busy, and
 * link(2) between a bind and its source: see bind_readonly and
 * bind_busy_xdev.
 */
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>

#include "fs.h"

/*
 * The first line of the mount table file (/proc/self/mounts or
 * mountinfo) whose field key (from 0) is path, split at spaces into at
 * most max fields f (pointing into a static buffer, valid until the next
 * call).  Returns the number of fields, or -1 when no line has path.
 */
static int
mount_fields(const char *file, int key, const char *path, char **f,
    int max)
{
	static char text[65536];
	char *line, *save = NULL, *fsave;
	int n;

	if (fs_readfile(file, text, sizeof(text)) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n = 0;
		fsave = NULL;
		for (f[n] = strtok_r(line, " ", &fsave); f[n] != NULL &&
		    n < max - 1; f[n] = strtok_r(NULL, " ", &fsave))
			n++;
		if (n > key && strcmp(f[key], path) == 0)
			return n;
	}
	return -1;
}

/*
 * The mountinfo line (proc(5)) whose mount point is path: its root in
 * root, and the type and source after the "-" in type and source.
 * Returns 0, or -1 when no line has that mount point.
 */
static int
mountinfo_find(const char *path, char *root, char *type, char *source)
{
	char *f[32];
	int n, i;

	n = mount_fields("/proc/self/mountinfo", 4, path, f, 32);
	if (n < 8)
		return -1;
	for (i = 6; i < n - 2 && strcmp(f[i], "-") != 0; i++)
		continue;
	if (i >= n - 2)
		return -1;
	strcpy(root, f[3]);
	strcpy(type, f[i + 1]);
	strcpy(source, f[i + 2]);
	return 0;
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

/*
 * The options of path's line in /proc/self/mounts into opts (the fourth
 * field); -1 when no line has that mount point.
 */
static int
mounts_opts(const char *path, char *opts, size_t len)
{
	char *f[6];

	if (mount_fields("/proc/self/mounts", 1, path, f, 6) < 4)
		return -1;
	snprintf(opts, len, "%s", f[3]);
	return 0;
}

/* Is the option list opts read-only (its first option "ro")? */
static int
opts_ro(const char *opts)
{
	return strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' ||
	    opts[2] == '\0');
}

/* Open path with flags and close it again: 0, or -1 with errno. */
static int
open_close(const char *path, int flags)
{
	int fd;

	if ((fd = open(path, flags, 0644)) < 0)
		return -1;
	close(fd);
	return 0;
}

/*
 * Read-only binds: mount(2) MS_REMOUNT | MS_BIND | MS_RDONLY makes that
 * bind alone read-only - every call that writes through it is EROFS,
 * through a path or a descriptor opened through it - while the source
 * stays writable; it is EBUSY while a file is open for writing through
 * the bind; MS_REMOUNT | MS_BIND without MS_RDONLY makes it writable
 * again.  The same for a file's bind.
 */
static void
bind_readonly(const char *dir)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	char path[PATH_MAX], opts[256];
	struct statfs sf;
	int fd, wfd;

	if (mkdir("rsrc", 0755) != 0 || mkdir("rsrc/sub", 0755) != 0 ||
	    mkdir("ro", 0755) != 0)
		bail_out("setup: %s", tap_errname(errno));
	fs_mkfile("rsrc/f", "data");
	fs_mkfile("rf", "file rf");
	fs_mkfile("rg", "file rg");
	if (mount("rsrc", "ro", NULL, MS_BIND, NULL) != 0)
		bail_out("bind rsrc on ro: %s", tap_errname(errno));
	is_errno(mount(NULL, "ro/sub", NULL, MS_REMOUNT | MS_BIND |
	    MS_RDONLY, NULL), EINVAL,
	    "mount(2) MS_REMOUNT|MS_BIND: a directory that is no mount's "
	    "root is EINVAL");
	if ((wfd = open("ro/f", O_WRONLY)) < 0)
		bail_out("open ro/f: %s", tap_errname(errno));
	is_errno(mount(NULL, "ro", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
	    NULL), EBUSY,
	    "mount(2) MS_REMOUNT|MS_BIND|MS_RDONLY: a file open for writing "
	    "through the bind is EBUSY");
	close(wfd);
	if ((fd = open("ro/f", O_RDONLY)) < 0)
		bail_out("open ro/f: %s", tap_errname(errno));
	is_success(mount(NULL, "ro", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
	    NULL), "mount(2) MS_REMOUNT|MS_BIND|MS_RDONLY: a read-only bind");
	is_errno(open_close("ro/f", O_WRONLY), EROFS,
	    "read-only bind: open(2) O_WRONLY of a file is EROFS");
	is_errno(open_close("ro/f", O_RDWR | O_TRUNC), EROFS,
	    "read-only bind: open(2) O_RDWR|O_TRUNC is EROFS");
	is_errno(open_close("ro/new", O_WRONLY | O_CREAT), EROFS,
	    "read-only bind: open(2) O_CREAT of a new file is EROFS");
	is_errno(open_close("ro", O_TMPFILE | O_RDWR), EROFS,
	    "read-only bind: open(2) O_TMPFILE is EROFS");
	is_errno(mkdir("ro/d", 0755), EROFS,
	    "read-only bind: mkdir(2) is EROFS");
	is_errno(mknod("ro/p", S_IFIFO | 0644, 0), EROFS,
	    "read-only bind: mknod(2) of a FIFO is EROFS");
	is_errno(symlink("f", "ro/l"), EROFS,
	    "read-only bind: symlink(2) is EROFS");
	is_errno(unlink("ro/f"), EROFS,
	    "read-only bind: unlink(2) is EROFS");
	is_errno(rmdir("ro/sub"), EROFS,
	    "read-only bind: rmdir(2) is EROFS");
	is_errno(rename("ro/f", "ro/f2"), EROFS,
	    "read-only bind: rename(2) is EROFS");
	is_errno(link("ro/f", "ro/f2"), EROFS,
	    "read-only bind: link(2) is EROFS");
	is_errno(chmod("ro/f", 0600), EROFS,
	    "read-only bind: chmod(2) of a file is EROFS");
	is_errno(chmod("ro/sub", 0700), EROFS,
	    "read-only bind: chmod(2) of a directory is EROFS");
	is_errno(chown("ro/f", 0, 0), EROFS,
	    "read-only bind: chown(2) is EROFS");
	is_errno(truncate("ro/f", 0), EROFS,
	    "read-only bind: truncate(2) is EROFS");
	is_errno(utimensat(AT_FDCWD, "ro/f", NULL, 0), EROFS,
	    "read-only bind: utimensat(2) is EROFS");
	is_errno(utimes("ro/f", NULL), EROFS,
	    "read-only bind: utimes(2) is EROFS");
	is_errno(access("ro/f", W_OK), EROFS,
	    "read-only bind: access(2) W_OK is EROFS");
	is_errno(fchmod(fd, 0600), EROFS,
	    "read-only bind: fchmod(2) of a descriptor opened through it is "
	    "EROFS");
	is_errno(fchown(fd, 0, 0), EROFS,
	    "read-only bind: fchown(2) of such a descriptor is EROFS");
	is_errno(futimens(fd, ts), EROFS,
	    "read-only bind: futimens(3) of such a descriptor is EROFS");
	close(fd);
	ok(fs_readfile("ro/f", opts, sizeof(opts)) == 4 &&
	    strcmp(opts, "data") == 0,
	    "read-only bind: reading through it works");
	is_success(open_close("rsrc/f", O_WRONLY),
	    "read-only bind: the source stays writable (open O_WRONLY)");
	is_success(chmod("rsrc/f", 0640),
	    "read-only bind: chmod(2) at the source works");
	ok(statfs("ro", &sf) == 0 && (sf.f_flags & ST_RDONLY),
	    "statfs(2): f_flags of a read-only bind have ST_RDONLY");
	ok(statfs("rsrc", &sf) == 0 && !(sf.f_flags & ST_RDONLY),
	    "statfs(2): f_flags of its source do not");
	snprintf(path, sizeof(path), "%s/ro", dir);
	ok(mounts_opts(path, opts, sizeof(opts)) == 0 && opts_ro(opts),
	    "/proc/self/mounts: a read-only bind's options begin with ro");
	ok(mounts_opts(dir, opts, sizeof(opts)) == 0 && !opts_ro(opts),
	    "/proc/self/mounts: its filesystem's mount stays rw");
	is_success(mount(NULL, "ro", NULL, MS_REMOUNT | MS_BIND, NULL),
	    "mount(2) MS_REMOUNT|MS_BIND without MS_RDONLY: writable again");
	is_success(open_close("ro/f", O_WRONLY),
	    "writable again: open(2) O_WRONLY through the bind works");
	ok(mounts_opts(path, opts, sizeof(opts)) == 0 && !opts_ro(opts),
	    "/proc/self/mounts: the bind is rw again");
	is_success(umount2("ro", 0), "umount2(2) the read-only test's bind");

	/* A file's bind. */
	if (mount("rf", "rg", NULL, MS_BIND, NULL) != 0)
		bail_out("bind rf on rg: %s", tap_errname(errno));
	is_success(mount(NULL, "rg", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
	    NULL), "mount(2) MS_REMOUNT|MS_BIND|MS_RDONLY of a file's bind");
	is_errno(open_close("rg", O_WRONLY), EROFS,
	    "read-only file bind: open(2) O_WRONLY is EROFS");
	is_errno(truncate("rg", 0), EROFS,
	    "read-only file bind: truncate(2) is EROFS");
	is_success(open_close("rf", O_WRONLY),
	    "read-only file bind: the bound file stays writable at its "
	    "own name");
	is_success(umount2("rg", 0), "umount2(2) the read-only file's bind");
}

/*
 * A file opened through a bind keeps it busy: umount2 is EBUSY until it
 * is closed, also for a file's bind (MNT_DETACH takes it away at once,
 * and the file stays readable).  link(2) and rename(2) between a bind
 * and its source are EXDEV: the check is by the mounts, not the
 * filesystem.
 */
static void
bind_busy_xdev(void)
{
	char buf[16];
	int fd;

	if (mkdir("bsrc", 0755) != 0 || mkdir("bdst", 0755) != 0)
		bail_out("setup: %s", tap_errname(errno));
	fs_mkfile("bsrc/f", "busy");
	fs_mkfile("bf", "file bf");
	fs_mkfile("bg", "file bg");
	if (mount("bsrc", "bdst", NULL, MS_BIND, NULL) != 0)
		bail_out("bind bsrc on bdst: %s", tap_errname(errno));
	is_errno(link("bdst/f", "bsrc/f2"), EXDEV,
	    "link(2) from a bind to its source is EXDEV");
	is_errno(link("bsrc/f", "bdst/f2"), EXDEV,
	    "link(2) from the source into its bind is EXDEV");
	is_errno(rename("bdst/f", "bsrc/f2"), EXDEV,
	    "rename(2) from a bind to its source is EXDEV");
	is_success(link("bdst/f", "bdst/f3"),
	    "link(2) within the bind works");
	if ((fd = open("bdst/f", O_RDONLY)) < 0)
		bail_out("open bdst/f: %s", tap_errname(errno));
	is_errno(umount2("bdst", 0), EBUSY,
	    "umount2(2): a bind with a file open through it is EBUSY");
	close(fd);
	is_success(umount2("bdst", 0),
	    "umount2(2) of the bind once the file is closed");

	if (mount("bf", "bg", NULL, MS_BIND, NULL) != 0)
		bail_out("bind bf on bg: %s", tap_errname(errno));
	if ((fd = open("bg", O_RDONLY)) < 0)
		bail_out("open bg: %s", tap_errname(errno));
	is_errno(umount2("bg", 0), EBUSY,
	    "umount2(2): a file's bind open through it is EBUSY");
	is_success(umount2("bg", MNT_DETACH),
	    "umount2(2) MNT_DETACH of a file's bind in use");
	ok(read(fd, buf, sizeof(buf)) == 7 && memcmp(buf, "file bf", 7) == 0,
	    "after MNT_DETACH the file opened through the bind stays "
	    "readable");
	close(fd);
	ok(fs_readfile("bg", buf, sizeof(buf)) == 7 &&
	    strcmp(buf, "file bg") == 0,
	    "after MNT_DETACH the file's own data shows at its name");
}

static int same_file(const char *a, const char *b);

/* How many lines of /proc/self/mountinfo have mount point path? */
static int
mountinfo_count(const char *path)
{
	static char text[65536];
	char want[PATH_MAX + 8], *p;
	int n = 0;

	if (fs_readfile("/proc/self/mountinfo", text, sizeof(text)) < 0)
		return -1;
	snprintf(want, sizeof(want), " %s ", path);
	for (p = text; (p = strstr(p, want)) != NULL; p++)
		n++;
	return n;
}

/*
 * MS_BIND | MS_REC: the mounts below the source are bound too, at the
 * same places under the target, mounts on mounts and stacked mounts as
 * well; the bind is busy while they are there, and each goes with its
 * own umount2, the source's own mounts staying.
 */
static void
bind_rec(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (mkdir("qsrc", 0755) != 0 || mkdir("qsrc/m", 0755) != 0 ||
	    mkdir("qsrc/s", 0755) != 0 || mkdir("qdst", 0755) != 0)
		bail_out("setup: %s", tap_errname(errno));
	fs_mkfile("qsrc/f", "f");
	if (mount("m", "qsrc/m", "tmpfs", 0, NULL) != 0 ||
	    mkdir("qsrc/m/deep", 0755) != 0 ||
	    mount("deep", "qsrc/m/deep", "tmpfs", 0, NULL) != 0 ||
	    mount("s1", "qsrc/s", "tmpfs", 0, NULL) != 0 ||
	    mount("s2", "qsrc/s", "tmpfs", 0, NULL) != 0)
		bail_out("mounts below qsrc: %s", tap_errname(errno));
	fs_mkfile("qsrc/m/inner", "inner");
	fs_mkfile("qsrc/m/deep/d", "d");
	fs_mkfile("qsrc/s/top", "top");

	is_success(mount("qsrc", "qdst", NULL, MS_BIND | MS_REC, NULL),
	    "mount(2) MS_BIND|MS_REC: a recursive bind");
	ok(same_file("qdst/f", "qsrc/f"),
	    "MS_REC: the source's own files show");
	ok(same_file("qdst/m/inner", "qsrc/m/inner"),
	    "MS_REC: a mount below the source is bound too");
	ok(same_file("qdst/m/deep/d", "qsrc/m/deep/d"),
	    "MS_REC: a mount on a mount below the source is bound too");
	ok(same_file("qdst/s/top", "qsrc/s/top"),
	    "MS_REC: of mounts stacked below the source the top one shows");
	snprintf(path, sizeof(path), "%s/qdst/m/deep", dir);
	ok(mountinfo_count(path) == 1,
	    "/proc/self/mountinfo: the copy of a mount on a mount is listed");
	snprintf(path, sizeof(path), "%s/qdst/s", dir);
	ok(mountinfo_count(path) == 2,
	    "/proc/self/mountinfo: both stacked mounts are copied");
	is_errno(umount2("qdst", 0), EBUSY,
	    "umount2(2): a recursive bind with its mounts in it is EBUSY");
	is_success(umount2("qdst/s", 0), "umount2(2) a copied mount (top)");
	is_success(umount2("qdst/s", 0),
	    "umount2(2) a copied mount (the one below it)");
	is_success(umount2("qdst/m/deep", 0),
	    "umount2(2) the copy of the mount on a mount");
	is_success(umount2("qdst/m", 0), "umount2(2) a copied mount");
	is_success(umount2("qdst", 0), "umount2(2) the recursive bind");
	ok(stat("qsrc/m/deep/d", &st) == 0 && stat("qsrc/s/top", &st) == 0,
	    "the source's own mounts stay");
	if (umount2("qsrc/s", 0) != 0 || umount2("qsrc/s", 0) != 0 ||
	    umount2("qsrc/m/deep", 0) != 0 || umount2("qsrc/m", 0) != 0)
		bail_out("umount below qsrc: %s", tap_errname(errno));
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

	bind_readonly(dir);
	bind_busy_xdev();
	bind_rec(dir);

	fs_done();
	return done_testing();
}
