/*
 * What the tests of openat2, sendfile, copy_file_range and memfd_create
 * share: a scratch directory with a fresh tmpfs mounted on it (so the host
 * Linux and EclipseOS are compared on the same filesystem), made the
 * working directory and removed at the end, and small file helpers.  The
 * new calls go through conf_sys, the kernel's own result (-errno).
 */
#ifndef _FDCALLS_H_
#define _FDCALLS_H_

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static char fdc_dir[128];

/* Make /tmp/conf-fd-<name>-<pid> with a tmpfs on it and go there. */
static inline void
fdc_setup(const char *name)
{
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(fdc_dir, sizeof(fdc_dir), "/tmp/conf-fd-%s-%d", name,
	    (int)getpid());
	if (mkdir(fdc_dir, 0755) != 0)
		tap_bail("mkdir %s: %s", fdc_dir, tap_errname(errno));
	if (mount("conf-fd", fdc_dir, "tmpfs", 0, NULL) != 0)
		tap_bail("mount tmpfs on %s: %s", fdc_dir,
		    tap_errname(errno));
	if (chdir(fdc_dir) != 0)
		tap_bail("chdir %s: %s", fdc_dir, tap_errname(errno));
	umask(0);
}

/* Leave and remove the scratch directory (a lazy unmount first). */
static inline void
fdc_done(void)
{
	if (chdir("/") != 0)
		tap_diag("chdir /: %s", tap_errname(errno));
	if (umount2(fdc_dir, MNT_DETACH) != 0)
		tap_diag("umount2 %s: %s", fdc_dir, tap_errname(errno));
	if (rmdir(fdc_dir) != 0)
		tap_diag("rmdir %s: %s", fdc_dir, tap_errname(errno));
}

/* A new file path holding len bytes of buf (mode 0644); bails out. */
static inline void
fdc_mkfile(const char *path, const void *buf, size_t len)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		tap_bail("create %s: %s", path, tap_errname(errno));
	if (len > 0 && write(fd, buf, len) != (ssize_t)len)
		tap_bail("write %s: %s", path, tap_errname(errno));
	close(fd);
}

/* open(2) that bails out on failure. */
static inline int
fdc_open(const char *path, int flags)
{
	int fd;

	if ((fd = open(path, flags, 0644)) < 0)
		tap_bail("open %s: %s", path, tap_errname(errno));
	return fd;
}

/* The file offset of fd (lseek SEEK_CUR). */
static inline long
fdc_tell(int fd)
{
	return (long)lseek(fd, 0, SEEK_CUR);
}

/* Byte i of the test pattern. */
static inline unsigned char
fdc_pat(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static inline void
fdc_fill(unsigned char *buf, size_t len, size_t from)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = fdc_pat(from + i);
}

#endif /* _FDCALLS_H_ */
