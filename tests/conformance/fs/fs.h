/*
 * What the file system tests (tests/conformance/fs/) share: each works in
 * a scratch directory of its own with a fresh tmpfs mounted on it, so that
 * the host Linux (whose /tmp may be any filesystem) and EclipseOS (whose
 * root is a tmpfs) are compared on the same filesystem, and nothing is
 * left behind: fs_done() lazily unmounts it and removes the directory.
 *
 * Cases that need an ordinary user run in a child that calls
 * conf_drop_privileges() (uid and gid 65534) and reports through its exit
 * status: fs_as_nobody().
 */
#ifndef _FS_H_
#define _FS_H_

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

#define FS_NOBODY	65534

static char fs_scratch_dir[256];

/*
 * Make /tmp/conf-fs-<name>-<pid>, mount a tmpfs there with the options
 * data (NULL: none) and make it the working directory.  Bails out on
 * error.  Returns the directory's path.
 */
static inline const char *
fs_setup(const char *name, const char *data)
{
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(fs_scratch_dir, sizeof(fs_scratch_dir),
	    "/tmp/conf-fs-%s-%d", name, (int)getpid());
	/* An empty one left by a crashed run (PIDs repeat in namespaces). */
	if (mkdir(fs_scratch_dir, 0755) != 0 && (errno != EEXIST ||
	    rmdir(fs_scratch_dir) != 0 || mkdir(fs_scratch_dir, 0755) != 0))
		tap_bail("mkdir %s: %s", fs_scratch_dir, tap_errname(errno));
	if (mount("conf-fs", fs_scratch_dir, "tmpfs", 0, data) != 0)
		tap_bail("mount tmpfs on %s: %s", fs_scratch_dir,
		    tap_errname(errno));
	if (chdir(fs_scratch_dir) != 0)
		tap_bail("chdir %s: %s", fs_scratch_dir, tap_errname(errno));
	return fs_scratch_dir;
}

/* Leave the scratch directory: unmount it (lazily) and remove it. */
static inline void
fs_done(void)
{
	if (chdir("/") != 0)
		tap_diag("chdir /: %s", tap_errname(errno));
	if (umount2(fs_scratch_dir, MNT_DETACH) != 0)
		tap_diag("umount2 %s: %s", fs_scratch_dir, tap_errname(errno));
	if (rmdir(fs_scratch_dir) != 0)
		tap_diag("rmdir %s: %s", fs_scratch_dir, tap_errname(errno));
}

/* Write the string s into a new file path (mode 0644); bails out. */
static inline void
fs_mkfile(const char *path, const char *s)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		tap_bail("create %s: %s", path, tap_errname(errno));
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		tap_bail("write %s: %s", path, tap_errname(errno));
	close(fd);
}

/* Read up to len - 1 bytes of path into buf, NUL-terminated; -1 on error. */
static inline ssize_t
fs_readfile(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * Runs fn(arg) in a child as the user nobody; fn returns the errno its
 * call left (or 0).  Returns that, or -1 if the child did not exit.
 */
struct fs_nobody_call {
	int	(*fn)(void *);
	void	*arg;
};

static inline void
fs_nobody_trampoline(void *arg)
{
	struct fs_nobody_call *c = arg;

	conf_drop_privileges();
	_exit(c->fn(c->arg));
}

static inline int
fs_as_nobody(int (*fn)(void *), void *arg)
{
	struct fs_nobody_call c = { fn, arg };
	int status;

	status = conf_in_child(fs_nobody_trampoline, &c);
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The errno of a call that returned r: 0 on success. */
#define FS_ERR(r)	((r) == -1 ? errno : 0)

#endif /* _FS_H_ */
