/*
 * /proc/[pid]/{cwd,root,exe} and fd/N are links only the process's own
 * user (every id matching) or root may read or follow (proc(5): the
 * ptrace access mode check): an ordinary user gets EACCES for init's,
 * and reads its own.  An fd/N link's mode says how the descriptor was
 * opened: r-x for reading, -wx for writing, rwx for both.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static void
as_nobody(void *arg)
{
	char buf[PATH_MAX];

	(void)arg;
	conf_drop_privileges();
	if (readlink("/proc/1/cwd", buf, sizeof(buf)) != -1 || errno != EACCES)
		_exit(1);
	if (readlink("/proc/1/exe", buf, sizeof(buf)) != -1 || errno != EACCES)
		_exit(2);
	if (readlink("/proc/1/fd/0", buf, sizeof(buf)) != -1 ||
	    (errno != EACCES && errno != ENOENT))
		_exit(3);
	if (open("/proc/1/root/", O_RDONLY | O_DIRECTORY) != -1 ||
	    errno != EACCES)
		_exit(4);
	if (readlink("/proc/self/cwd", buf, sizeof(buf)) <= 0)
		_exit(5);
	_exit(0);
}

/* The permission bits of /proc/self/fd/fd (lstat: the link's own). */
static int
fd_link_mode(int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return -1;
	return (int)(st.st_mode & 07777);
}

int
main(int argc, char **argv)
{
	char buf[PATH_MAX];
	int p[2], fd;

	(void)argc;
	conf_init(argv);
	if (pipe(p) < 0 || (fd = open("/dev/null", O_RDWR)) < 0)
		bail_out("pipe or open /dev/null: %s", strerror(errno));
	is_long(fd_link_mode(p[0]), 0500, "proc(5): fd/N of a read-only "
	    "descriptor is lr-x------");
	is_long(fd_link_mode(p[1]), 0300, "proc(5): fd/N of a write-only "
	    "descriptor is l-wx------");
	is_long(fd_link_mode(fd), 0700, "proc(5): fd/N of a read-write "
	    "descriptor is lrwx------");
	close(p[0]);
	close(p[1]);
	close(fd);
	ok(readlink("/proc/1/cwd", buf, sizeof(buf)) > 0,
	    "root reads init's cwd link");
	is_exit(conf_in_child(as_nobody, NULL), 0, "an ordinary user gets "
	    "EACCES for init's cwd, exe, fd/0 and root, and reads its own");
	return done_testing();
}
