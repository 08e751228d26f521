/*
 * kernel.pty.max and kernel.pty.nr (/proc/sys/kernel/pty): nr counts the
 * pairs in use; a new pair is refused with ENOSPC when the count with it
 * would reach max (so at most max - 1 exist, as Linux's devpts has it);
 * max takes any int from 0 (-1: EINVAL) and nr is read-only.  More than
 * 16 pairs open at once.  Restores max.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "conf.h"

#define NPTY	40

static long
get(const char *name)
{
	char path[64], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/kernel/pty/%s", name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return strtol(buf, NULL, 10);
}

static int
put(const char *name, long v)
{
	char path[64], buf[32];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/sys/kernel/pty/%s", name);
	snprintf(buf, sizeof(buf), "%ld\n", v);
	if ((fd = open(path, O_WRONLY)) < 0)
		return -errno;
	r = write(fd, buf, strlen(buf)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int
main(int argc, char **argv)
{
	int fds[NPTY], i, n, fd, opened = 0, nr0, maxn;
	long max;

	(void)argc;
	conf_init(argv);
	max = get("max");
	is_long(max, 4096, "pty/max is Linux's default, 4096");
	nr0 = (int)get("nr");
	ok(nr0 >= 0, "pty/nr reads %d", nr0);
	for (i = 0; i < NPTY; i++)
		if ((fds[i] = posix_openpt(O_RDWR | O_NOCTTY)) >= 0)
			opened++;
	is_long(opened, NPTY, "%d pairs open at once", NPTY);
	n = (int)get("nr");
	ok(n >= nr0 + NPTY, "pty/nr counts them (%d -> %d)", nr0, n);
	for (i = 0; i < NPTY; i++) {
		unsigned int ptn = 0;

		if (ioctl(fds[i], TIOCGPTN, &ptn) == 0 && ptn >= 16)
			break;
	}
	ok(i < NPTY, "a pair numbered 16 or more exists");
	maxn = (int)get("nr");
	is_long(put("max", maxn + 1), 0, "root sets pty/max to the pairs in "
	    "use + 1 (%d)", maxn + 1);
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	is_long(fd < 0 ? errno : 0, ENOSPC, "opening /dev/ptmx: ENOSPC (the "
	    "count would reach max)");
	if (fd >= 0)
		close(fd);
	close(fds[0]);
	fds[0] = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	ok(fds[0] >= 0, "a pair closed, another opens");
	is_long(put("max", -1), -EINVAL, "pty/max -1: EINVAL");
	is_long(put("max", 1048577), 0, "pty/max 1048577: no upper bound");
	is_long(put("max", max), 0, "pty/max restored");
	is_long(put("nr", 5), -EACCES, "pty/nr is read-only (EACCES)");
	for (i = 0; i < NPTY; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return done_testing();
}
