/*
 * What the device tests (tests/conformance/dev/) share: opening a node of
 * /dev (bailing out when it cannot be opened) and checking what fstat(2)
 * or stat(2) says it is.  On the host the runner's mount namespace shows
 * the host's /dev, the reference.
 */
#ifndef _DEV_H_
#define _DEV_H_

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conf.h"

/* open(path, flags), bailing out on failure. */
static inline int
dev_open(const char *path, int flags)
{
	int fd;

	if ((fd = open(path, flags)) < 0)
		tap_bail("open %s: %s", path, tap_errname(errno));
	return fd;
}

/* st is a character device ma:mi: one case. */
static inline void
dev_is_chr(const struct stat *st, unsigned int ma, unsigned int mi,
    const char *what)
{
	ok(S_ISCHR(st->st_mode) && major(st->st_rdev) == ma &&
	    minor(st->st_rdev) == mi, "%s: a character device %u:%u (got "
	    "mode %#o, %u:%u)", what, ma, mi, (unsigned int)st->st_mode,
	    major(st->st_rdev), minor(st->st_rdev));
}

#endif /* _DEV_H_ */
