/*
 * /dev (devtmpfs): the nodes every system has, with Linux's device
 * numbers (Documentation/admin-guide/devices.txt) and the modes Debian's
 * udev gives them; /dev itself is a 0755 tmpfs directory; the console
 * opens and fstat(2) says it is 5:1; a new devtmpfs mount holds the
 * nodes too.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include "dev.h"

#define TMPFS_MAGIC	0x01021994

static const struct {
	const char	*path;
	unsigned int	 ma, mi, mode;
} nodes[] = {
	{ "null",	1, 3, 0666 },
	{ "zero",	1, 5, 0666 },
	{ "full",	1, 7, 0666 },
	{ "random",	1, 8, 0666 },
	{ "urandom",	1, 9, 0666 },
	{ "tty",	5, 0, 0666 },
	{ "console",	5, 1, 0600 },
};

/* Nodes whose mode differs between udev and a bare devtmpfs. */
static const struct {
	const char	*path;
	unsigned int	 ma, mi;
} optional[] = {
	{ "tty0",	4, 0 },
	{ "ttyS0",	4, 64 },
};

static void
stat_cases(const char *dir)
{
	char path[256];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, nodes[i].path);
		if (stat(path, &st) != 0) {
			ok(0, "stat(2): %s exists (%s)", path,
			    tap_errname(errno));
			continue;
		}
		dev_is_chr(&st, nodes[i].ma, nodes[i].mi, path);
		is_long(st.st_mode & 07777, nodes[i].mode, "stat(2): %s has "
		    "mode %#o", path, nodes[i].mode);
		is_long(st.st_uid, 0, "stat(2): %s is root's", path);
	}
}

int
main(int argc, char **argv)
{
	char dir[64];
	struct statfs sf;
	struct stat st;
	size_t i;
	int fd;

	(void)argc;
	conf_init(argv);
	if (stat("/dev", &st) != 0)
		tap_bail("stat /dev: %s", tap_errname(errno));
	ok(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0755,
	    "stat(2): /dev is a directory, mode 0755 (got %#o)",
	    (unsigned int)st.st_mode);
	is_success(statfs("/dev", &sf), "statfs(2): /dev");
	is_hex(sf.f_type, TMPFS_MAGIC, "statfs(2): devtmpfs is a tmpfs");
	stat_cases("/dev");
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		snprintf(dir, sizeof(dir), "/dev/%s", optional[i].path);
		if (stat(dir, &st) != 0) {
			skip(1, "no %s here", dir);
			continue;
		}
		dev_is_chr(&st, optional[i].ma, optional[i].mi, dir);
	}

	fd = dev_open("/dev/console", O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fstat(fd, &st) != 0)
		tap_bail("fstat /dev/console: %s", tap_errname(errno));
	dev_is_chr(&st, 5, 1, "console(4): fstat of an open /dev/console");
	is_errno(lseek(fd, 0, SEEK_SET), ESPIPE, "console(4): a terminal "
	    "has no position: lseek is ESPIPE");
	close(fd);

	/* A second devtmpfs mount shows the same devices. */
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(dir, sizeof(dir), "/tmp/conf-dev-nodes-%d", (int)getpid());
	if (mkdir(dir, 0755) != 0)
		tap_bail("mkdir %s: %s", dir, tap_errname(errno));
	if (mount("devtmpfs", dir, "devtmpfs", 0, NULL) != 0) {
		ok(0, "mount(2): devtmpfs on %s (%s)", dir,
		    tap_errname(errno));
	} else {
		stat_cases(dir);
		is_success(umount2(dir, 0), "umount2(2): the devtmpfs");
	}
	if (rmdir(dir) != 0)
		tap_diag("rmdir %s: %s", dir, tap_errname(errno));
	return done_testing();
}
