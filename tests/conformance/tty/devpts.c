/*
 * devpts (pts(4), mount(8)'s devpts options): /dev/pts/N appears when a
 * master is opened, owned by the opener with mode 0620, so that an
 * ordinary user's grantpt (musl's does nothing) leaves it usable; it
 * vanishes when the pair is freed; a devpts with ptmxmode/mode/gid
 * options mounts.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "ptyutil.h"

/* Was the node's group the opener's, or the tty group (udev's gid=5)? */
static int
group_ok(gid_t gid)
{
	struct group *gr;

	if (gid == getegid())
		return 1;
	return (gr = getgrnam("tty")) != NULL && gr->gr_gid == gid;
}

/*
 * The owner reads and writes, others nothing: 0620 (EclipseOS, udev's
 * mode=0620) or 0600 (Linux's default mode= when nothing chmods it).
 */
static int
mode_ok(mode_t mode)
{
	return (mode & 07777) == 0620 || (mode & 07777) == 0600;
}

/* As nobody: a pair whose slave the user owns and can open. */
static void
nobody_pty(void *arg)
{
	struct stat st;
	char name[64];
	int m, s;

	(void)arg;
	conf_drop_privileges();
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		_exit(10);
	if (grantpt(m) < 0 || unlockpt(m) < 0 ||
	    ptsname_r(m, name, sizeof(name)) != 0)
		_exit(11);
	if (stat(name, &st) < 0)
		_exit(12);
	if (st.st_uid != geteuid())
		_exit(13);
	if (!mode_ok(st.st_mode))
		_exit(14);
	if (!group_ok(st.st_gid))
		_exit(15);
	if ((s = open(name, O_RDWR | O_NOCTTY)) < 0)
		_exit(16);
	if (write(s, "x", 1) != 1)
		_exit(17);
	_exit(0);
}

int
main(int argc, char **argv)
{
	char name[64], dir[] = "/tmp/devptsXXXXXX";
	struct stat st;
	int m, s, status;

	(void)argc;
	conf_init(argv);

	is_success(stat("/dev/pts", &st), "stat(2) /dev/pts");
	ok(S_ISDIR(st.st_mode), "/dev/pts is a directory");
	if (pty_pair(&m, &s, O_NOCTTY, name, sizeof(name)) < 0)
		bail_out("no pseudo-terminals: %s", strerror(errno));
	is_success(stat(name, &st), "stat(2) of the live slave's node");
	ok(S_ISCHR(st.st_mode), "the node is a character device");
	ok(mode_ok(st.st_mode), "pts(4): mode 0620 (0600 by mode= on Linux)");
	is_long(st.st_uid, geteuid(), "the node belongs to the opener");
	ok(group_ok(st.st_gid), "its group is the opener's or tty");
	close(s);
	close(m);
	is_errno(stat(name, &st), ENOENT,
	    "pts(4): the node vanishes when the pair is freed");

	status = conf_in_child(nobody_pty, NULL);
	is_exit(status, 0, "an ordinary user owns and opens its slave");

	ok(mkdtemp(dir) != NULL, "mkdtemp(3)");
	is_success(mount("devpts", dir, "devpts", 0,
	    "newinstance,ptmxmode=0666,mode=0620,gid=0"),
	    "mount(2) devpts with ptmxmode, mode and gid");
	is_success(stat(dir, &st), "stat(2) of the devpts root");
	ok(S_ISDIR(st.st_mode), "a devpts root is a directory");
	is_success(umount(dir), "umount(2) devpts");
	is_errno(mount("devpts", dir, "devpts", 0, "mode=99999"), EINVAL,
	    "mount(2) devpts: a bad mode is EINVAL");
	rmdir(dir);
	return done_testing();
}
