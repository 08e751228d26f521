/*
 * /etc/fstab, as on Linux (fstab(5)): one filesystem a line,
 *
 *	SOURCE  MOUNTPOINT  TYPE  OPTIONS  [DUMP  [PASS]]
 *
 * blanks between fields, '#' lines ignored, \040 for a space in a field.
 * OPTIONS is a comma-separated list: the flags below become mount(2)'s
 * MS_* flags, "noauto" skips the line, "defaults" means nothing, and the
 * rest are passed to the filesystem as its data ("mode=1777,size=8m").
 * At boot, in order, each line is mounted (its mount point made when
 * missing), unless something of that type is already mounted there (the
 * kernel mounts /proc, /dev, /dev/pts, /dev/shm and /dev/mqueue itself).
 * At shutdown, what init mounted is unmounted in reverse order.
 *
 * The root is the kernel's (root= on its command line, Documentation/
 * distro.md): a line for "/" is never mounted.  When "/" is of the line's
 * type, it is remounted if the line asks for another of ro and rw; when
 * it is not (the initramfs, after a root that did not mount, or the
 * rescue boot), the line is skipped with a message.  At shutdown, once
 * everything else is unmounted, a root that fstab names is remounted
 * read-only (its filesystem writes everything back and marks itself
 * clean), after init closes its own log file there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

#define FSTAB_MAX	64

static struct {
	const char	*name;
	unsigned long	 set, clear;
} mount_flags[] = {
	{ "ro", MS_RDONLY, 0 },		{ "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },	{ "async", 0, MS_SYNCHRONOUS },
	{ "noatime", MS_NOATIME, 0 },	{ "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0 },	{ "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "remount", MS_REMOUNT, 0 },	{ "bind", MS_BIND, 0 },
	{ "defaults", 0, 0 },		{ "auto", 0, 0 },
	{ "nofail", 0, 0 },
};

static char *mounted[FSTAB_MAX];	/* what init mounted, in order */
static int nmounted;
static bool root_in_fstab;		/* a line names "/", of its type */

/* Undo fstab's octal escapes (\040 is a space) in place. */
static void
fstab_unescape(char *s)
{
	char *d = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 4;
		} else
			*d++ = *s++;
	}
	*d = '\0';
}

/*
 * Split OPTIONS into flags and the data string; false for "noauto".
 */
static bool
fstab_options(char *opts, unsigned long *flagsp, char *data, size_t size)
{
	char *o, *save = NULL;
	size_t i, len = 0;

	*flagsp = 0;
	data[0] = '\0';
	for (o = strtok_r(opts, ",", &save); o != NULL;
	    o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "noauto") == 0)
			return false;
		for (i = 0; i < sizeof(mount_flags) / sizeof(mount_flags[0]);
		    i++)
			if (strcmp(o, mount_flags[i].name) == 0)
				break;
		if (i < sizeof(mount_flags) / sizeof(mount_flags[0])) {
			*flagsp |= mount_flags[i].set;
			*flagsp &= ~mount_flags[i].clear;
			continue;
		}
		len += snprintf(data + len, len < size ? size - len : 0,
		    "%s%s", len > 0 ? "," : "", o);
	}
	return true;
}

/*
 * What is mounted on dir (the last mount there, /proc/self/mounts): its
 * type into type (size bytes) and whether it is read-only; false when
 * nothing is.
 */
static bool
fstab_mounted_on(const char *dir, char *type, size_t size, bool *rdonly)
{
	char line[1024], src[256], mnt[512], fst[64], opts[512];
	bool found = false;
	FILE *f;

	if ((f = fopen("/proc/self/mounts", "re")) == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%255s %511s %63s %511s", src, mnt, fst,
		    opts) != 4)
			continue;
		fstab_unescape(mnt);
		if (strcmp(mnt, dir) != 0)
			continue;
		found = true;
		snprintf(type, size, "%s", fst);
		*rdonly = strncmp(opts, "ro", 2) == 0 &&
		    (opts[2] == ',' || opts[2] == '\0');
	}
	fclose(f);
	return found;
}

/* Is a filesystem of type already mounted on dir (/proc/self/mounts)? */
static bool
fstab_mounted(const char *dir, const char *type)
{
	char fst[64];
	bool rdonly;

	return fstab_mounted_on(dir, fst, sizeof(fst), &rdonly) &&
	    strcmp(fst, type) == 0;
}

/*
 * fstab's line for the root: the kernel mounted it; remount it when the
 * line wants the other of ro and rw.
 */
static void
fstab_root(const char *type, unsigned long flags)
{
	char fst[64];
	bool rdonly;

	if (!fstab_mounted_on("/", fst, sizeof(fst), &rdonly)) {
		log_msg(NULL, "/: not in /proc/self/mounts; fstab's root line "
		    "skipped");
		return;
	}
	if (strcmp(fst, type) != 0) {
		log_msg(NULL, "/ is %s, not %s: the root on disk is not "
		    "mounted (rescue system); fstab's root line skipped", fst,
		    type);
		return;
	}
	root_in_fstab = true;
	if (rdonly == ((flags & MS_RDONLY) != 0))
		return;
	if (mount("", "/", NULL, MS_REMOUNT | (flags & (MS_RDONLY |
	    MS_NOSUID | MS_NODEV | MS_NOEXEC)), NULL) < 0) {
		log_msg(NULL, "cannot remount / %s: %s",
		    (flags & MS_RDONLY) ? "read-only" : "read-write",
		    strerror(errno));
		return;
	}
	log_msg(NULL, "remounted / (%s) %s", type,
	    (flags & MS_RDONLY) ? "read-only" : "read-write");
}

/* mkdir -p dir. */
static void
fstab_mkdirs(const char *dir)
{
	char buf[512];
	char *p;

	if (strlen(dir) >= sizeof(buf))
		return;
	strcpy(buf, dir);
	for (p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '\0') {
			(void)mkdir(buf, 0755);
			return;
		}
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
}

/* Mount one fstab line (fields already split); lineno for messages. */
static void
fstab_mount(char *src, char *dir, char *type, char *opts, int lineno)
{
	char data[512];
	unsigned long flags;

	fstab_unescape(src);
	fstab_unescape(dir);
	if (!fstab_options(opts, &flags, data, sizeof(data)))
		return;
	if (strcmp(dir, "/") == 0) {
		fstab_root(type, flags);
		return;
	}
	if (fstab_mounted(dir, type)) {
		log_msg(NULL, "%s: %s already mounted", dir, type);
		return;
	}
	fstab_mkdirs(dir);
	if (mount(src, dir, type, flags, data[0] != '\0' ? data : NULL) < 0) {
		log_msg(NULL, "%s:%d: cannot mount %s (%s) on %s: %s",
		    init_conf.ic_fstab, lineno, src, type, dir,
		    strerror(errno));
		return;
	}
	log_msg(NULL, "mounted %s (%s) on %s", src, type, dir);
	if (nmounted < FSTAB_MAX && (flags & MS_REMOUNT) == 0 &&
	    (mounted[nmounted] = strdup(dir)) != NULL)
		nmounted++;
}

/*
 * Mount what /etc/fstab lists, in order.  A missing fstab is no error; a
 * bad line or a failed mount is logged and boot goes on.
 */
void
mount_fstab(void)
{
	char line[1024], defaults[] = "defaults", *f[6], *save;
	int lineno = 0, n;
	FILE *fp;

	if ((fp = fopen(init_conf.ic_fstab, "re")) == NULL) {
		if (errno != ENOENT)
			log_msg(NULL, "cannot read %s: %s", init_conf.ic_fstab,
			    strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		save = NULL;
		for (n = 0; n < 6; n++)
			if ((f[n] = strtok_r(n == 0 ? line : NULL, " \t\r\n",
			    &save)) == NULL)
				break;
		if (n == 0 || f[0][0] == '#')
			continue;
		if (n < 3) {
			log_msg(NULL, "%s:%d: needs at least SOURCE, "
			    "MOUNTPOINT and TYPE; line skipped",
			    init_conf.ic_fstab, lineno);
			continue;
		}
		if (strcmp(f[2], "swap") == 0)
			continue;
		fstab_mount(f[0], f[1], f[2], n > 3 ? f[3] : defaults,
		    lineno);
	}
	fclose(fp);
}

/*
 * Unmount what mount_fstab() mounted, last first; a busy filesystem is
 * detached (lazily unmounted) instead.
 */
void
mount_unmount_all(void)
{
	while (nmounted > 0) {
		char *dir = mounted[--nmounted];

		if (umount2(dir, 0) < 0 && umount2(dir, MNT_DETACH) < 0)
			log_msg(NULL, "cannot unmount %s: %s", dir,
			    strerror(errno));
		else
			log_msg(NULL, "unmounted %s", dir);
		free(dir);
	}
}

/*
 * At shutdown, after mount_unmount_all: when fstab names the root (and
 * the root is of the line's type: not the rescue system's tmpfs), close
 * init's log file (the last file open for writing there), sync and
 * remount the root read-only, so that a disk root is left clean.  A
 * failure is logged (on the console) and shutdown goes on.
 */
void
mount_root_readonly(void)
{
	if (!root_in_fstab)
		return;
	log_msg(NULL, "remounting / read-only");
	log_close();
	sync();
	if (mount("", "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0)
		log_msg(NULL, "cannot remount / read-only: %s",
		    strerror(errno));
	else
		log_msg(NULL, "/ is read-only");
}
