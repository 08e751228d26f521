/*
 * What the tests of file mappings (mmap_file*.c, msync_file.c) share: a
 * scratch directory with a fresh tmpfs on it, so that the host Linux
 * (whose /tmp may be any filesystem) and EclipseOS map files of the same
 * kind, and helpers to make a file of known bytes.  mf_done() lazily
 * unmounts the tmpfs and removes the directory.
 */
#ifndef _MAPFILE_H_
#define _MAPFILE_H_

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static char mf_dir[256];

/* Make /tmp/conf-mem-<name>-<pid> with a tmpfs on it, and go there. */
static inline void
mf_setup(const char *name)
{
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(mf_dir, sizeof(mf_dir), "/tmp/conf-mem-%s-%d", name,
	    (int)getpid());
	if (mkdir(mf_dir, 0755) != 0 && (errno != EEXIST ||
	    rmdir(mf_dir) != 0 || mkdir(mf_dir, 0755) != 0))
		tap_bail("mkdir %s: %s", mf_dir, tap_errname(errno));
	if (mount("conf-mem", mf_dir, "tmpfs", 0, NULL) != 0)
		tap_bail("mount tmpfs on %s: %s", mf_dir, tap_errname(errno));
	if (chdir(mf_dir) != 0)
		tap_bail("chdir %s: %s", mf_dir, tap_errname(errno));
}

/* Leave the scratch directory: unmount it (lazily) and remove it. */
static inline void
mf_done(void)
{
	if (chdir("/") != 0)
		tap_diag("chdir /: %s", tap_errname(errno));
	if (umount2(mf_dir, MNT_DETACH) != 0)
		tap_diag("umount2 %s: %s", mf_dir, tap_errname(errno));
	if (rmdir(mf_dir) != 0)
		tap_diag("rmdir %s: %s", mf_dir, tap_errname(errno));
}

/*
 * Make the file name of len bytes, byte i being 'a' + i % 26, and open
 * it with flags (O_RDWR, ...); bails out on error.
 */
static inline int
mf_make(const char *name, size_t len, int flags)
{
	char buf[512];
	size_t i, n;
	int fd;

	if ((fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0)
		tap_bail("create %s: %s", name, tap_errname(errno));
	for (i = 0; i < len; i += n) {
		n = len - i < sizeof(buf) ? len - i : sizeof(buf);
		for (size_t j = 0; j < n; j++)
			buf[j] = (char)('a' + (i + j) % 26);
		if (write(fd, buf, n) != (ssize_t)n)
			tap_bail("write %s: %s", name, tap_errname(errno));
	}
	close(fd);
	if ((fd = open(name, flags)) < 0)
		tap_bail("open %s: %s", name, tap_errname(errno));
	return fd;
}

/* The byte mf_make put at offset i. */
#define MF_BYTE(i)	((char)('a' + (i) % 26))

#endif /* _MAPFILE_H_ */
