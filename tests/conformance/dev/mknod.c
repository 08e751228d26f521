/*
 * mknod(2) in /dev (devtmpfs is a tmpfs): root makes a character device
 * node that opens the device of its number, whatever its name, and
 * removes it again; an existing name is EEXIST; an ordinary user may not
 * make a device node (EPERM); a node of a number no driver has opens
 * with ENXIO.  The names are unique (the pid) and removed at the end.
 */
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "dev.h"

static char node[64], node2[64], subdir[64], tmpdir[64], tmpnode[80];

/*
 * As nobody: mknod of a character device in a directory anyone may
 * write is EPERM, and of a FIFO in /dev (root's, 0755) EACCES; exit 0 if
 * so.
 */
static void
nobody_mknod(void *arg)
{
	(void)arg;
	conf_drop_privileges();
	if (mknod(tmpnode, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		unlink(tmpnode);
		_exit(1);
	}
	if (errno != EPERM)
		_exit(2);
	if (mknod(node2, S_IFIFO | 0600, 0) == 0) {
		unlink(node2);
		_exit(3);
	}
	_exit(errno == EACCES ? 0 : 4);
}

int
main(int argc, char **argv)
{
	char buf[16];
	struct stat st;
	int fd, status;

	(void)argc;
	conf_init(argv);
	snprintf(node, sizeof(node), "/dev/conf-dev-%d", (int)getpid());
	snprintf(node2, sizeof(node2), "/dev/conf-dev-%d-b", (int)getpid());
	snprintf(subdir, sizeof(subdir), "/dev/conf-dev-%d-d", (int)getpid());

	is_success(mknod(node, S_IFCHR | 0640, makedev(1, 5)), "mknod(2): "
	    "root makes a character device node in /dev");
	if (stat(node, &st) != 0)
		tap_bail("stat %s: %s", node, tap_errname(errno));
	dev_is_chr(&st, 1, 5, "mknod(2): the new node");
	is_long(st.st_mode & 07777, 0640 & ~022, "mknod(2): its mode is "
	    "what was asked, less the umask (022)");
	fd = dev_open(node, O_RDONLY);
	memset(buf, 9, sizeof(buf));
	is_long(read(fd, buf, sizeof(buf)), sizeof(buf), "mknod(2): the node "
	    "opens the device of its number (zero): a read is filled");
	ok(buf[0] == 0 && buf[15] == 0, "mknod(2): with zeros");
	close(fd);
	is_errno(mknod(node, S_IFCHR | 0600, makedev(1, 3)), EEXIST,
	    "mknod(2): an existing name is EEXIST");
	is_errno(mknod("/dev/null", S_IFCHR | 0666, makedev(1, 3)), EEXIST,
	    "mknod(2): /dev/null exists: EEXIST");
	is_success(unlink(node), "unlink(2): root removes the node");
	is_errno(stat(node, &st), ENOENT, "unlink(2): it is gone");

	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/conf-dev-%d", (int)getpid());
	snprintf(tmpnode, sizeof(tmpnode), "%s/null", tmpdir);
	if (mkdir(tmpdir, 0777) != 0 || chmod(tmpdir, 0777) != 0)
		tap_bail("mkdir %s: %s", tmpdir, tap_errname(errno));
	status = conf_in_child(nobody_mknod, NULL);
	is_exit(status, 0, "mknod(2): an ordinary user may not make a "
	    "device node (EPERM), nor anything in /dev (EACCES)");
	if (rmdir(tmpdir) != 0)
		tap_diag("rmdir %s: %s", tmpdir, tap_errname(errno));

	/* Major 0 minor 250: unnamed, never a character device's. */
	is_success(mknod(node2, S_IFCHR | 0600, makedev(0, 250)),
	    "mknod(2): a node of a number no driver has");
	is_errno(open(node2, O_RDONLY), ENXIO, "open(2): that node is ENXIO");
	is_success(unlink(node2), "unlink(2): and it goes");

	is_success(mkdir(subdir, 0755), "mkdir(2): a directory in /dev");
	is_success(rmdir(subdir), "rmdir(2): and its removal");
	return done_testing();
}
