/*
 * chroot(2), chdir(2), fchdir(2), getcwd(2): ".." at the new root stays
 * there (path_resolution(7)), absolute paths start at it, a working
 * directory left outside is reported by the raw getcwd as
 * "(unreachable)" and its path, and only root may chroot (EPERM); the
 * error paths of chdir and fchdir.
 */
#include <limits.h>
#include <sys/stat.h>

#include "fs.h"

struct report {
	long	cwd_ret;
	char	cwd[PATH_MAX];
	int	escape_same;	/* stat("/../..") is the jail's root */
	int	dotdot_same;	/* chdir("../../..") stays at the root */
	int	abs_err;	/* errno of stat of a path outside */
	long	cwd2_ret;
	char	cwd2[PATH_MAX];
	int	inside;		/* /inner is the jail's file */
};

static struct report *rep;
static ino_t jail_ino;

static void
jailed(void *arg)
{
	struct stat st;

	(void)arg;
	if (chroot("jail") != 0)
		_exit(1);
	/* The working directory is still the scratch directory, outside. */
	rep->cwd_ret = conf_sys(SYS_getcwd, rep->cwd, sizeof(rep->cwd));
	rep->escape_same = stat("/../..", &st) == 0 && st.st_ino == jail_ino;
	rep->abs_err = stat("/jail", &st) == 0 ? 0 : errno;
	rep->inside = stat("/inner", &st) == 0 && S_ISREG(st.st_mode);
	if (chdir("/") != 0)
		_exit(2);
	if (chdir("../../..") != 0)
		_exit(3);
	rep->dotdot_same = stat(".", &st) == 0 && st.st_ino == jail_ino;
	rep->cwd2_ret = conf_sys(SYS_getcwd, rep->cwd2, sizeof(rep->cwd2));
	_exit(0);
}

static int
try_chroot(void *arg)
{
	return FS_ERR(chroot(arg));
}

int
main(int argc, char **argv)
{
	char buf[PATH_MAX], want[PATH_MAX + 16];
	struct stat st;
	int fd, status;

	(void)argc;
	conf_init(argv);
	fs_setup("chroot", NULL);
	rep = conf_shared(sizeof(*rep));
	mkdir("jail", 0755);
	fs_mkfile("jail/inner", "i");
	stat("jail", &st);
	jail_ino = st.st_ino;

	ok(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, fs_scratch_dir) == 0,
	    "getcwd(3): the scratch directory");
	is_syserr(conf_sys(SYS_getcwd, buf, 2), ERANGE,
	    "getcwd(2): a buffer too small is ERANGE");
	is_syserr(conf_sys(SYS_getcwd, (char *)1, sizeof(buf)), EFAULT,
	    "getcwd(2): a bad buffer is EFAULT");
	is_long(conf_sys(SYS_getcwd, buf, sizeof(buf)),
	    (long)strlen(fs_scratch_dir) + 1,
	    "getcwd(2): returns the length with the NUL");

	status = conf_in_child(jailed, NULL);
	is_exit(status, 0, "chroot(2) and chdir(2) in a child");
	snprintf(want, sizeof(want), "(unreachable)%s", fs_scratch_dir);
	is_long(rep->cwd_ret, (long)strlen(want) + 1,
	    "getcwd(2): a cwd outside the root: its length");
	is_str(rep->cwd, want,
	    "getcwd(2): a cwd outside the root is \"(unreachable)\" + its "
	    "path");
	ok(rep->escape_same, "path_resolution(7): \"/../..\" is the new root");
	is_long(rep->abs_err, ENOENT,
	    "chroot(2): absolute paths start at the new root");
	ok(rep->inside, "chroot(2): a file of the jail is at /inner");
	ok(rep->dotdot_same,
	    "path_resolution(7): chdir(\"../../..\") from the new root stays");
	is_str(rep->cwd2, "/", "getcwd(2): at the new root it is \"/\"");

	is_long(fs_as_nobody(try_chroot, "jail"), EPERM,
	    "chroot(2): an ordinary user gets EPERM");
	is_errno(chroot("none"), ENOENT, "chroot(2): a missing path is ENOENT");
	is_errno(chroot("jail/inner"), ENOTDIR,
	    "chroot(2): a regular file is ENOTDIR");

	/* chdir and fchdir */
	is_errno(chdir("none"), ENOENT, "chdir(2): a missing path is ENOENT");
	is_errno(chdir("jail/inner"), ENOTDIR,
	    "chdir(2): a regular file is ENOTDIR");
	is_success(chdir("jail"), "chdir(2) into a directory");
	ok(getcwd(buf, sizeof(buf)) != NULL &&
	    strcmp(buf + strlen(fs_scratch_dir), "/jail") == 0,
	    "getcwd(3) follows chdir(2)");
	is_success(chdir(".."), "chdir(2) \"..\"");
	fd = open("jail", O_RDONLY | O_DIRECTORY);
	is_success(fchdir(fd), "fchdir(2)");
	ok(stat("inner", &st) == 0, "fchdir(2): relative paths start there");
	close(fd);
	is_errno(fchdir(fd), EBADF, "fchdir(2): a closed descriptor is EBADF");
	fd = open("inner", O_RDONLY);
	is_errno(fchdir(fd), ENOTDIR, "fchdir(2): a regular file is ENOTDIR");
	close(fd);
	chdir(fs_scratch_dir);

	/* A removed working directory. */
	mkdir("doomed", 0755);
	chdir("doomed");
	rmdir("../doomed");
	is_syserr(conf_sys(SYS_getcwd, buf, sizeof(buf)), ENOENT,
	    "getcwd(2): a removed working directory is ENOENT");
	is_errno(open("x", O_RDWR | O_CREAT, 0644), ENOENT,
	    "open(2): creating in a removed working directory is ENOENT");
	chdir(fs_scratch_dir);
	fs_done();
	return done_testing();
}
