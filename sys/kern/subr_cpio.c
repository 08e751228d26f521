/*
 * The cpio "newc" archive format, as the initramfs uses it: walking an
 * archive held in memory, and finding a file in it by path.
 *
 * An archive is a sequence of entries, each a 110-byte ASCII header, the
 * entry's name and its data, ended by an entry named "TRAILER!!!"
 * (cpio(5), "New ASCII Format"; Linux's
 * Documentation/driver-api/early-userspace/buffer-format.rst):
 *
 *	offset	size	field
 *	0	6	c_magic		"070701"
 *	6	8	c_ino		the fields below: 8 hex digits each
 *	14	8	c_mode		type and permission bits
 *	22	8	c_uid
 *	30	8	c_gid
 *	38	8	c_nlink
 *	46	8	c_mtime
 *	54	8	c_filesize	bytes of data
 *	62	8	c_devmajor	the device the file came from
 *	70	8	c_devminor
 *	78	8	c_rdevmajor	for device nodes
 *	86	8	c_rdevminor
 *	94	8	c_namesize	bytes of the name, with its NUL
 *	102	8	c_check		0 in this format; readers ignore it
 *	110	...	the name, NUL-terminated; header and name padded to 4
 *		...	the data, padded to a multiple of 4
 *
 * Everything here is pure (no allocation, no global state), so the host
 * unit tests build this file as it is.  Nothing is trusted: every field
 * is checked, and every length against the archive's end.
 */
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/systm.h>

#define CPIO_MAGIC	"070701"
#define CPIO_MAGIC_CRC	"070702"	/* the checksummed variant */
#define CPIO_HDRSIZE	110
#define CPIO_NFIELDS	13
#define CPIO_TRAILER	"TRAILER!!!"

/* The fields after c_magic, in order. */
enum {
	CF_INO, CF_MODE, CF_UID, CF_GID, CF_NLINK, CF_MTIME, CF_FILESIZE,
	CF_DEVMAJOR, CF_DEVMINOR, CF_RDEVMAJOR, CF_RDEVMINOR, CF_NAMESIZE,
	CF_CHECK
};

/* File types of c_mode: POSIX <cpio.h> (C_ISDIR, ...), Linux's S_IF*. */
#define CPIO_IFMT	0170000
#define CPIO_IFSOCK	0140000
#define CPIO_IFLNK	0120000
#define CPIO_IFREG	0100000
#define CPIO_IFBLK	0060000
#define CPIO_IFDIR	0040000
#define CPIO_IFCHR	0020000
#define CPIO_IFIFO	0010000

/* Linux's NAME_MAX and PATH_MAX (the latter counts the NUL). */
#define CPIO_NAME_MAX	255
#define CPIO_PATH_MAX	4096

static bool
cpio_type_known(uint32_t mode)
{
	switch (mode & CPIO_IFMT) {
	case CPIO_IFSOCK:
	case CPIO_IFLNK:
	case CPIO_IFREG:
	case CPIO_IFBLK:
	case CPIO_IFDIR:
	case CPIO_IFCHR:
	case CPIO_IFIFO:
		return true;
	}
	return false;
}

/* Eight hex digits (either case) at p; false if any is not one. */
static bool
cpio_hex8(const char *p, uint32_t *v)
{
	uint32_t x = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return false;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return true;
}

#define CPIO_BAD(off, fmt, ...)						\
	(klog("cpio", "malformed archive at offset %zu: " fmt, (off),	\
	    ##__VA_ARGS__), -EINVAL)

/*
 * Read and check the entry header at off.  Fills *ce and sets *next to
 * the offset of the following entry; *trailer tells the end.
 */
static int
cpio_entry_at(const char *a, size_t size, size_t off, struct cpio_entry *ce,
    size_t *next, bool *trailer)
{
	uint32_t f[CPIO_NFIELDS];
	size_t name, data;
	int i;

	if (size - off < CPIO_HDRSIZE)
		return CPIO_BAD(off, "%zu bytes left, a header is %d (no %s)",
		    size - off, CPIO_HDRSIZE, CPIO_TRAILER);
	if (memcmp(a + off, CPIO_MAGIC, 6) != 0) {
		if (memcmp(a + off, CPIO_MAGIC_CRC, 6) == 0)
			return CPIO_BAD(off, "the checksummed format (070702) "
			    "is not supported; write newc (070701)");
		return CPIO_BAD(off, "no magic 070701");
	}
	for (i = 0; i < CPIO_NFIELDS; i++)
		if (!cpio_hex8(a + off + 6 + 8 * i, &f[i]))
			return CPIO_BAD(off, "field %d is not 8 hex digits", i);

	/* The name: at least its NUL, inside the archive, no NUL before. */
	name = off + CPIO_HDRSIZE;
	if (f[CF_NAMESIZE] < 1)
		return CPIO_BAD(off, "name size 0");
	if (f[CF_NAMESIZE] > size - name)
		return CPIO_BAD(off, "name size %u beyond the end",
		    f[CF_NAMESIZE]);
	if (a[name + f[CF_NAMESIZE] - 1] != '\0' ||
	    strnlen(a + name, f[CF_NAMESIZE]) != f[CF_NAMESIZE] - 1)
		return CPIO_BAD(off, "name is not one NUL-terminated string");

	ce->ce_name = a + name;
	ce->ce_namelen = f[CF_NAMESIZE] - 1;
	*trailer = ce->ce_namelen == sizeof(CPIO_TRAILER) - 1 &&
	    memcmp(ce->ce_name, CPIO_TRAILER, ce->ce_namelen) == 0;
	if (*trailer) {
		*next = size;
		return 0;
	}

	/* The data: after the name, 4-aligned, inside the archive. */
	data = roundup2(name + f[CF_NAMESIZE], (size_t)4);
	if (data > size || f[CF_FILESIZE] > size - data)
		return CPIO_BAD(off, "%u bytes of data beyond the end",
		    f[CF_FILESIZE]);
	if (!cpio_type_known(f[CF_MODE]))
		return CPIO_BAD(off, "mode %#o has no file type", f[CF_MODE]);
	if ((f[CF_MODE] & CPIO_IFMT) != CPIO_IFREG &&
	    (f[CF_MODE] & CPIO_IFMT) != CPIO_IFLNK && f[CF_FILESIZE] != 0)
		return CPIO_BAD(off, "a %s entry with %u bytes of data",
		    (f[CF_MODE] & CPIO_IFMT) == CPIO_IFDIR ? "directory" :
		    "special-file", f[CF_FILESIZE]);
	if ((f[CF_MODE] & CPIO_IFMT) == CPIO_IFLNK && f[CF_FILESIZE] == 0)
		return CPIO_BAD(off, "a symbolic link with no target");

	ce->ce_mode = f[CF_MODE];
	ce->ce_ino = f[CF_INO];
	ce->ce_nlink = f[CF_NLINK];
	ce->ce_dev = (uint64_t)f[CF_DEVMAJOR] << 32 | f[CF_DEVMINOR];
	ce->ce_rdev = (uint64_t)f[CF_RDEVMAJOR] << 32 | f[CF_RDEVMINOR];
	ce->ce_uid = f[CF_UID];
	ce->ce_gid = f[CF_GID];
	ce->ce_data = a + data;
	ce->ce_size = f[CF_FILESIZE];
	*next = roundup2(data + f[CF_FILESIZE], (size_t)4);
	return 0;
}

/*
 * Call fn for every entry of the newc archive, in order, until the
 * "TRAILER!!!" entry (bytes after it, such as the zero padding cpio(1)
 * adds, are ignored).  Returns 0, fn's value when it is not 0 (the walk
 * stops there), or -EINVAL (and a log line) when the archive is
 * malformed: checked entry by entry, so fn may have seen the entries
 * before the bad one.  Pure; no locks.
 */
int
cpio_walk(const void *archive, size_t size,
    int (*fn)(const struct cpio_entry *ce, void *arg), void *arg)
{
	struct cpio_entry ce;
	size_t off, next;
	bool trailer;
	int error;

	for (off = 0;; off = next) {
		if (off > size)
			return CPIO_BAD(off, "past the end (no %s)",
			    CPIO_TRAILER);
		error = cpio_entry_at(archive, size, off, &ce, &next,
		    &trailer);
		if (error < 0)
			return error;
		if (trailer)
			return 0;
		if ((error = fn(&ce, arg)) != 0)
			return error;
	}
}

/*
 * Path components.  Archive names are relative ("bin/sh", or "./bin/sh"
 * from find(1)); empty and "." components are skipped on both sides.
 * cpio_comp sets *c and *len to the next component of [*p, end) and
 * advances *p; false at the end.
 */
static bool
cpio_comp(const char **p, const char *end, const char **c, size_t *len)
{
	for (;;) {
		while (*p < end && **p == '/')
			(*p)++;
		if (*p == end)
			return false;
		*c = *p;
		while (*p < end && **p != '/')
			(*p)++;
		*len = *p - *c;
		if (*len != 1 || **c != '.')
			return true;
	}
}

#define CPIO_NOMATCH	0
#define CPIO_EXACT	1	/* the name is the prefix */
#define CPIO_BELOW	2	/* the name is inside the directory prefix */

/*
 * Compare an archive name with a resolved prefix ("a/b", no empty or dot
 * components; "" for the root).  A name with a ".." component never
 * matches: archives have no business naming one.
 */
static int
cpio_name_match(const char *name, size_t namelen, const char *prefix,
    size_t plen)
{
	const char *np = name, *nend = name + namelen, *pp = prefix;
	const char *pend = prefix + plen, *nc, *pc, *rest;
	size_t nlen, pclen;

	for (;;) {
		if (!cpio_comp(&pp, pend, &pc, &pclen)) {
			/* The prefix is used up: is anything left? */
			rest = np;
			while (cpio_comp(&rest, nend, &nc, &nlen))
				if (nlen == 2 && nc[0] == '.' && nc[1] == '.')
					return CPIO_NOMATCH;
			return cpio_comp(&np, nend, &nc, &nlen) ?
			    CPIO_BELOW : CPIO_EXACT;
		}
		if (!cpio_comp(&np, nend, &nc, &nlen))
			return CPIO_NOMATCH;
		if (nlen != pclen || memcmp(nc, pc, nlen) != 0)
			return CPIO_NOMATCH;
	}
}

/* What cpio_find_cb learns about one resolved prefix. */
struct cpio_find {
	const char		*cf_prefix;
	size_t			 cf_plen;
	bool			 cf_exact;	/* an entry has that name */
	bool			 cf_below;	/* entries are inside it */
	struct cpio_entry	 cf_entry;	/* the last exact one */
};

static int
cpio_find_cb(const struct cpio_entry *ce, void *arg)
{
	struct cpio_find *cf = arg;

	switch (cpio_name_match(ce->ce_name, ce->ce_namelen, cf->cf_prefix,
	    cf->cf_plen)) {
	case CPIO_EXACT:
		/* A later entry replaces an earlier one, as on extraction. */
		cf->cf_exact = true;
		cf->cf_entry = *ce;
		break;
	case CPIO_BELOW:
		cf->cf_below = true;
		break;
	}
	return 0;
}

/*
 * The file type of the resolved prefix: an entry's type, CPIO_IFDIR for
 * a directory implied by the names inside it (and for the root), or 0
 * when nothing has that name.  A negative errno for a malformed archive.
 */
static int
cpio_kind(const void *archive, size_t size, const char *prefix, size_t plen,
    struct cpio_entry *ce)
{
	struct cpio_find cf;
	int error;

	if (plen == 0)
		return CPIO_IFDIR;
	memset(&cf, 0, sizeof(cf));
	cf.cf_prefix = prefix;
	cf.cf_plen = plen;
	if ((error = cpio_walk(archive, size, cpio_find_cb, &cf)) < 0)
		return error;
	if (cf.cf_exact) {
		*ce = cf.cf_entry;
		return (int)(ce->ce_mode & CPIO_IFMT);
	}
	return cf.cf_below ? CPIO_IFDIR : 0;
}

/* Finds the data of a hard link whose bytes came with another name. */
struct cpio_link {
	const struct cpio_entry	*cl_want;
	struct cpio_entry	 cl_found;
	bool			 cl_ok;
};

static int
cpio_link_cb(const struct cpio_entry *ce, void *arg)
{
	struct cpio_link *cl = arg;

	if ((ce->ce_mode & CPIO_IFMT) == CPIO_IFREG && ce->ce_size > 0 &&
	    ce->ce_ino == cl->cl_want->ce_ino &&
	    ce->ce_dev == cl->cl_want->ce_dev) {
		cl->cl_found = *ce;
		cl->cl_ok = true;
	}
	return 0;
}

/*
 * Check that the resolved prefix (a path's first components) is a
 * directory one can look inside: 0, -ENOENT (absent, or a symbolic link,
 * which is not followed), -ENOTDIR, or -EINVAL.
 */
static int
cpio_check_dir(const void *archive, size_t size, const char *prefix,
    size_t plen, const char *path)
{
	struct cpio_entry ce;
	int kind;

	kind = cpio_kind(archive, size, prefix, plen, &ce);
	if (kind < 0)
		return kind;
	if (kind == CPIO_IFDIR)
		return 0;
	if (kind == 0)
		return -ENOENT;
	if (kind == CPIO_IFLNK) {
		klog("initramfs", "%s: /%.*s is a symbolic link; links are "
		    "not followed", path, (int)plen, prefix);
		return -ENOENT;
	}
	return -ENOTDIR;
}

/*
 * Resolve path in the archive, component by component as namei does:
 * each directory on the way must exist (an entry, or implied by the names
 * inside it), "." stays, ".." goes up (never above the root), and the last
 * component must be a regular file; a trailing "/" asks for a directory.
 * Relative paths start at the root: before the VFS, every process's
 * working directory is "/".  Pure; no locks.  See exec.h.
 */
int
cpio_lookup(const void *archive, size_t size, const char *path,
    char *scratch, size_t scratch_size, struct cpio_entry *ce)
{
	const char *p, *c, *end;
	size_t plen = 0, clen, pathlen;
	struct cpio_link cl;
	int kind, error;

	pathlen = strnlen(path, CPIO_PATH_MAX);
	if (pathlen == 0)
		return -ENOENT;
	if (pathlen >= CPIO_PATH_MAX || scratch_size < pathlen + 1)
		return -ENAMETOOLONG;
	end = path + pathlen;
	for (p = path; p < end;) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		for (c = p; p < end && *p != '/'; p++)
			;
		clen = p - c;
		if (clen > CPIO_NAME_MAX)
			return -ENAMETOOLONG;
		/* We are about to look inside scratch: is it a directory? */
		error = cpio_check_dir(archive, size, scratch, plen, path);
		if (error < 0)
			return error;
		if (clen == 1 && c[0] == '.')
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			while (plen > 0 && scratch[plen - 1] != '/')
				plen--;
			if (plen > 0)
				plen--;		/* the '/' before it */
			continue;
		}
		if (plen > 0)
			scratch[plen++] = '/';
		memcpy(scratch + plen, c, clen);
		plen += clen;
	}

	kind = cpio_kind(archive, size, scratch, plen, ce);
	if (kind < 0)
		return kind;
	switch (kind) {
	case 0:
		return -ENOENT;
	case CPIO_IFDIR:
		return -EISDIR;
	case CPIO_IFLNK:
		klog("initramfs", "%s: a symbolic link; links are not "
		    "followed", path);
		return -ENOENT;
	}
	/* "file/" names a directory: POSIX path resolution (XBD 4.13). */
	if (end[-1] == '/')
		return -ENOTDIR;
	if (kind != CPIO_IFREG)
		return -EACCES;

	/*
	 * newc stores a hard-linked file's bytes once, with one of its names
	 * (cpio(1) writes them with the last); the others have size 0.
	 */
	if (ce->ce_size == 0 && ce->ce_nlink > 1) {
		memset(&cl, 0, sizeof(cl));
		cl.cl_want = ce;
		if ((error = cpio_walk(archive, size, cpio_link_cb, &cl)) < 0)
			return error;
		if (cl.cl_ok) {
			ce->ce_data = cl.cl_found.ce_data;
			ce->ce_size = cl.cl_found.ce_size;
		}
	}
	return 0;
}
