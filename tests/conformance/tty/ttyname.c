/*
 * A terminal's file keeps the device node it was opened through, as every
 * Linux file keeps its inode: /proc/self/fd/N names the node and fstat
 * describes it, so ttyname(3) (readlink, then stat against fstat) finds
 * the terminal's name; fchmod changes the node's mode; fstatfs is devpts'
 * and a character device has nothing to fsync.  /proc/PID/stat's tty_nr
 * and tpgid are the session's controlling terminal and its foreground
 * group.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "proc/proc.h"
#include "ptyutil.h"

#define DEVPTS_MAGIC	0x1cd1		/* linux/magic.h DEVPTS_SUPER_MAGIC */

/* Fields 7 and 8 of /proc/self/stat (after the parenthesised name). */
static int
stat_tty(long *tty_nr, long *tpgid)
{
	char buf[1024], *p;

	if (slurp("/proc/self/stat", buf, sizeof(buf)) <= 0)
		return -1;
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* ") S ppid pgrp session tty_nr tpgid" */
	return sscanf(p + 1, " %*c %*d %*d %*d %ld %ld", tty_nr, tpgid) == 2 ?
	    0 : -1;
}

/*
 * A child in a session of its own opens the slave, which becomes its
 * controlling terminal: exit 0 when /proc/self/stat says so, else the
 * number of the check that failed.
 */
static int
ctty_child(const char *name)
{
	struct stat st;
	long tty_nr, tpgid;
	int fd;

	if (setsid() < 0)
		return 1;
	if (stat_tty(&tty_nr, &tpgid) < 0 || tty_nr != 0 || tpgid != -1)
		return 2;
	if ((fd = open(name, O_RDWR)) < 0 || fstat(fd, &st) < 0)
		return 3;
	if (stat_tty(&tty_nr, &tpgid) < 0)
		return 4;
	if (tty_nr != (long)((minor(st.st_rdev) & 0xff) |
	    (major(st.st_rdev) << 8) | ((minor(st.st_rdev) & ~0xffU) << 12)))
		return 5;
	if (tpgid != getpgrp())
		return 6;
	return 0;
}

int
main(int argc, char **argv)
{
	char name[64], link[64], path[64], *tn;
	struct stat st_fd, st_path;
	struct statfs sf;
	int mfd, sfd, status;
	ssize_t n;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	if (pty_pair(&mfd, &sfd, O_NOCTTY, name, sizeof(name)) < 0)
		bail_out("no pty pair: %s", strerror(errno));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", sfd);
	n = readlink(path, link, sizeof(link) - 1);
	ok(n > 0, "proc(5): /proc/self/fd/N of a pty slave is a link");
	link[n > 0 ? n : 0] = '\0';
	is_str(link, name, "proc(5): /proc/self/fd/N names the slave's node");

	is_success(fstat(sfd, &st_fd), "fstat(2) of the slave");
	is_success(stat(name, &st_path), "stat(2) of its node");
	ok(st_fd.st_dev == st_path.st_dev && st_fd.st_ino == st_path.st_ino,
	    "fstat(2): a terminal's file is its node (same st_dev, st_ino)");
	is_long(st_fd.st_rdev, st_path.st_rdev, "fstat(2): st_rdev of the "
	    "node");

	tn = ttyname(sfd);
	is_str(tn != NULL ? tn : "(null)", name, "ttyname(3) of the slave "
	    "is its path");

	is_success(fchmod(sfd, 0600), "fchmod(2) of a terminal's descriptor");
	stat(name, &st_path);
	is_long(st_path.st_mode & 07777, 0600, "fchmod(2): changes the "
	    "node's mode");

	is_errno(fsync(sfd), EINVAL, "fsync(2): a terminal has nothing to "
	    "sync (EINVAL)");

	is_success(fstatfs(sfd, &sf), "fstatfs(2) of the slave");
	is_hex(sf.f_type, DEVPTS_MAGIC, "fstatfs(2): the slave is on devpts");
	is_long(sf.f_blocks, 0, "statfs(2): devpts has no blocks (df skips "
	    "it)");

	if ((pid = fork()) == 0)
		_exit(ctty_child(name));
	waitpid(pid, &status, 0);
	is_exit(status, 0, "proc(5): tty_nr and tpgid of /proc/self/stat are "
	    "the controlling terminal and its foreground group (0 and -1 "
	    "before)");

	close(sfd);
	close(mfd);
	return done_testing();
}
