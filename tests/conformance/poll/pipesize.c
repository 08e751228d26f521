/*
 * fcntl(2) F_GETPIPE_SZ and F_SETPIPE_SZ: a new pipe holds 65536 bytes;
 * a size is rounded up to a power-of-two number of pages (at least one);
 * the data already in the pipe is kept; a size too small for it is EBUSY;
 * above /proc/sys/fs/pipe-max-size (1 MiB by default) is EPERM for an
 * ordinary user; a file that is not a pipe is EBADF; a pipe shrunk to
 * one page takes exactly 4096 bytes before EAGAIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static void
unprivileged(void *arg)
{
	int *fds = arg;

	conf_drop_privileges();
	if (fcntl(fds[1], F_SETPIPE_SZ, 2 * 1024 * 1024) != -1)
		_exit(1);
	_exit(errno == EPERM ? 0 : 2);
}

int
main(int argc, char **argv)
{
	static char buf[8192];
	int fds[2], status;
	long n, total = 0;

	(void)argc;
	conf_init(argv);
	/* EclipseOS's test root starts without /tmp. */
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp");
	if (pipe(fds) < 0)
		bail_out("pipe");
	is_long(fcntl(fds[0], F_GETPIPE_SZ), 65536,
	    "fcntl(2): F_GETPIPE_SZ of a new pipe is 65536");
	is_long(fcntl(fds[1], F_SETPIPE_SZ, 100000), 131072,
	    "fcntl(2): F_SETPIPE_SZ 100000 rounds up to 131072");
	is_long(fcntl(fds[0], F_GETPIPE_SZ), 131072,
	    "fcntl(2): both ends see the new size");
	if (write(fds[1], "hello", 5) != 5)
		bail_out("write");
	is_long(fcntl(fds[1], F_SETPIPE_SZ, 0), 4096,
	    "fcntl(2): F_SETPIPE_SZ 0 gives one page");
	memset(buf, 0, sizeof(buf));
	is_long(read(fds[0], buf, sizeof(buf)), 5,
	    "fcntl(2): the bytes in the pipe are kept across a resize");
	is_str(buf, "hello", "... unchanged");
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	while ((n = write(fds[1], buf, 512)) > 0)
		total += n;
	is_long(total, 4096, "fcntl(2): a one-page pipe holds 4096 bytes");
	fcntl(fds[1], F_SETPIPE_SZ, 65536);
	if (write(fds[1], buf, 4096) != 4096)
		bail_out("write");
	is_errno(fcntl(fds[1], F_SETPIPE_SZ, 4096), EBUSY,
	    "fcntl(2): a size smaller than the data is EBUSY");
	is_errno(fcntl(fds[1], F_SETPIPE_SZ, 0x80000001UL), EINVAL,
	    "fcntl(2): a size above 2^31 is EINVAL");
	is_errno(fcntl(999, F_GETPIPE_SZ), EBADF,
	    "fcntl(2): F_GETPIPE_SZ on a closed descriptor is EBADF");
	{
		char path[64];
		int f;

		snprintf(path, sizeof(path), "/tmp/pipesz.%d", (int)getpid());
		if ((f = open(path, O_CREAT | O_RDWR, 0600)) < 0)
			bail_out("open %s", path);
		unlink(path);
		is_errno(fcntl(f, F_GETPIPE_SZ), EBADF,
		    "fcntl(2): F_GETPIPE_SZ on a regular file is EBADF");
		close(f);
	}
	status = conf_in_child(unprivileged, fds);
	is_exit(status, 0, "fcntl(2): 2 MiB is EPERM for an ordinary user");
	close(fds[0]);
	close(fds[1]);
	return done_testing();
}
