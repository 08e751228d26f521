/*
 * mkfs.eclipsefs: make an eclipsefs filesystem on a block device or in
 * an image file (at a byte offset into it: a partition of a disk image),
 * and optionally fill it from a directory tree.
 *
 *	mkfs.eclipsefs [-qr] [-L label] [-U uuid] [-N inodes]
 *	    [-J journal-blocks] [-o offset] [-s size]
 *	    [-d dir [-m manifest]...] device|image
 *
 * -s size makes (or grows) an image file of that many bytes after the
 * offset; without it the filesystem takes the whole device or file.
 * With -d, every file, folder and symbolic link under dir is copied in:
 * regular files with their data, in contiguous extents, with holes
 * where the source has them (SEEK_DATA/SEEK_HOLE), hard links kept (by
 * device and inode number), permission bits and times.  Anything else
 * (a fifo, a socket, a device node) in the tree is an error.
 *
 * An unprivileged staging tree holds neither root-owned files nor device
 * nodes, so owners come from manifests (-m, any number of them), one
 * line per path, '#' starting a comment:
 *
 *	path mode [uid gid]		   e.g. etc/shadow 0600
 *	path c|b major minor mode uid gid  e.g. dev/console c 5 1 0600 0 0
 *	path d mode uid gid		   e.g. proc d 0555 0 0
 *
 * The first form is distro/'s modes-file format (distro/mkinitramfs.py
 * reads the same files for the initramfs): it sets the permission bits,
 * and the owner (root when not given), of a path in the tree; a line
 * naming a path not in the tree, or a symbolic link, is an error.  The
 * second makes a device node, in a folder of the tree or of a "d" line.
 * The third makes a folder (a mount point the staging tree lacks), or
 * sets the mode and owner of one the tree has.  Files that no line
 * names belong to root (0:0), as in the initramfs.
 *
 * -r: the initramfs's rules exactly (reproducible images): modes
 * normalised (folders 0755, files 0755 when any execute bit is set,
 * else 0644, symbolic links 0777) before the manifests apply, and every
 * time $SOURCE_DATE_EPOCH (0 when unset) instead of the source's - the
 * superblock's times too - and, with -U, a directory-hash key derived
 * from the UUID: the same tree makes the same image.
 *
 * The UUID (unless -U) and the directory hash seed come from
 * getrandom(2).  Exit status 0, or 1 with a message.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../efsutil/efsutil.h"

#define MKFS_COPY_BLOCKS	256	/* data copied per pwrite: 1 MiB */
#define MKFS_MAX_DEPTH		256	/* folders inside folders */

/* A manifest line. */
struct mf_entry {
	char		*me_path;	/* normalised, no leading '/' */
	char		 me_type;	/* 'm' (modes), 'c', 'b' or 'd' */
	uint32_t	 me_mode;	/* permission bits */
	uint32_t	 me_uid;
	uint32_t	 me_gid;
	uint32_t	 me_major;
	uint32_t	 me_minor;
	bool		 me_used;	/* the tree had the path */
	const char	*me_where;	/* "file:line" for messages */
	struct mf_entry	*me_next;	/* hash chain */
};

/* A source inode already copied: hard links find it here. */
struct link_entry {
	dev_t		 le_dev;
	ino_t		 le_ino;
	uint64_t	 le_efs_ino;
	struct link_entry *le_next;
};

struct mkfs {
	struct efsu_dev	 m_dev;
	struct efs_vol	*m_vol;
	bool		 m_quiet;
	bool		 m_repro;	/* -r */
	int64_t		 m_epoch;	/* -r's times */
	struct timespec	 m_now;
	/* The manifests, by path. */
	struct mf_entry	**m_mf;
	size_t		 m_nmf_hash;
	struct mf_entry	**m_devs;	/* c, b and d lines, by path */
	size_t		 m_ndevs;
	/* Hard links. */
	struct link_entry **m_links;
	size_t		 m_nlinks_hash;
	/* Counts for the summary. */
	uint64_t	 m_files, m_dirs, m_symlinks, m_hardlinks, m_nodes;
	uint64_t	 m_data_blocks;
	uint8_t		*m_buf;		/* MKFS_COPY_BLOCKS */
};

static void
usage(void)
{
	fprintf(stderr, "usage: mkfs.eclipsefs [-qr] [-L label] [-U uuid] "
	    "[-N inodes] [-J journal-blocks]\n"
	    "           [-o offset] [-s size] [-d dir [-m manifest]...] "
	    "device|image\n");
	exit(1);
}

/* FNV-1a, for the tool's own hash tables. */
static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * A path as the manifests and the walk name it: no leading or trailing
 * '/', no "." components or doubled slashes ("." for the root).  ".."
 * is refused (NULL).
 */
static char *
norm_path(const char *in)
{
	char *out = efsu_xcalloc(strlen(in) + 2, 1), *o = out;
	const char *p = in, *c;
	size_t n;

	while ((c = efsu_path_next(&p, &n)) != NULL) {
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			free(out);
			return NULL;
		}
		if (o != out)
			*o++ = '/';
		memcpy(o, c, n);
		o += n;
	}
	if (o == out)
		*o++ = '.';
	*o = '\0';
	return out;
}

static struct mf_entry *
mf_find(struct mkfs *m, const char *path)
{
	struct mf_entry *e;

	for (e = m->m_mf[str_hash(path) % m->m_nmf_hash]; e != NULL;
	    e = e->me_next)
		if (strcmp(e->me_path, path) == 0)
			return e;
	return NULL;
}

static int
parse_u32(const char *s, int base, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One manifest line, split into fields, into an entry. */
static void
mf_parse_line(struct mkfs *m, char **f, int nf, const char *where)
{
	struct mf_entry *e, *old;
	size_t h;

	e = efsu_xcalloc(1, sizeof(*e));
	e->me_where = efsu_xstrdup(where);
	if ((e->me_path = norm_path(f[0])) == NULL)
		efsu_die("%s: \"..\" in a path", where);
	if (nf == 2 || nf == 4) {
		e->me_type = 'm';
		if (parse_u32(f[1], 8, &e->me_mode) < 0)
			efsu_die("%s: mode in octal, uid and gid in decimal",
			    where);
		if (nf == 4 && (parse_u32(f[2], 10, &e->me_uid) < 0 ||
		    parse_u32(f[3], 10, &e->me_gid) < 0))
			efsu_die("%s: mode in octal, uid and gid in decimal",
			    where);
	} else if (nf == 7 && (strcmp(f[1], "c") == 0 ||
	    strcmp(f[1], "b") == 0)) {
		e->me_type = f[1][0];
		if (parse_u32(f[2], 10, &e->me_major) < 0 ||
		    parse_u32(f[3], 10, &e->me_minor) < 0 ||
		    parse_u32(f[4], 8, &e->me_mode) < 0 ||
		    parse_u32(f[5], 10, &e->me_uid) < 0 ||
		    parse_u32(f[6], 10, &e->me_gid) < 0)
			efsu_die("%s: expected \"path c|b major minor mode uid "
			    "gid\" (mode in octal, the rest in decimal)",
			    where);
		/* The format's i_rdev: Linux's (major << 20 | minor). */
		if (e->me_major >= (1U << 12) || e->me_minor >= (1U << 20))
			efsu_die("%s: device number %u:%u too large", where,
			    e->me_major, e->me_minor);
		if (strcmp(e->me_path, ".") == 0)
			efsu_die("%s: the root cannot be a device", where);
	} else if (nf == 5 && strcmp(f[1], "d") == 0) {
		e->me_type = 'd';
		if (parse_u32(f[2], 8, &e->me_mode) < 0 ||
		    parse_u32(f[3], 10, &e->me_uid) < 0 ||
		    parse_u32(f[4], 10, &e->me_gid) < 0)
			efsu_die("%s: expected \"path d mode uid gid\" (mode "
			    "in octal, the rest in decimal)", where);
		if (strcmp(e->me_path, ".") == 0)
			efsu_die("%s: the root is there: give its mode with "
			    "\". mode uid gid\"", where);
	} else {
		efsu_die("%s: expected \"path mode [uid gid]\", \"path c|b "
		    "major minor mode uid gid\" or \"path d mode uid gid\"",
		    where);
	}
	if (e->me_mode & ~07777U)
		efsu_die("%s: mode %s has more than the permission bits", where,
		    f[e->me_type == 'm' ? 1 : e->me_type == 'd' ? 2 : 4]);
	h = str_hash(e->me_path) % m->m_nmf_hash;
	if ((old = mf_find(m, e->me_path)) != NULL) {
		/* A later line wins, as in mkinitramfs; not a node. */
		if (old->me_type != 'm' || e->me_type != 'm')
			efsu_die("%s: %s is named again (first at %s)", where,
			    e->me_path, old->me_where);
		old->me_mode = e->me_mode;
		old->me_uid = e->me_uid;
		old->me_gid = e->me_gid;
		free(e->me_path);
		free(e);
		return;
	}
	e->me_next = m->m_mf[h];
	m->m_mf[h] = e;
	if (e->me_type != 'm') {
		m->m_devs = efsu_xreallocarray(m->m_devs, m->m_ndevs + 1,
		    sizeof(*m->m_devs));
		m->m_devs[m->m_ndevs++] = e;
	}
}

/* Read a manifest file into m's table. */
static void
mf_read(struct mkfs *m, const char *file)
{
	char line[4096], where[PATH_MAX + 32], *f[8], *p, *save;
	unsigned lineno = 0;
	FILE *fp;
	int nf;

	if ((fp = fopen(file, "r")) == NULL)
		efsu_die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		if (strchr(line, '\n') == NULL && !feof(fp))
			efsu_die("%s: line too long", where);
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		nf = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p != NULL;
		    p = strtok_r(NULL, " \t\r\n", &save)) {
			if (nf == 8)
				efsu_die("%s: too many fields", where);
			f[nf++] = p;
		}
		if (nf > 0)
			mf_parse_line(m, f, nf, where);
	}
	if (ferror(fp))
		efsu_die("%s: %s", file, strerror(errno));
	fclose(fp);
}

static int
mf_dev_cmp(const void *a, const void *b)
{
	const struct mf_entry *x = *(struct mf_entry * const *)a;
	const struct mf_entry *y = *(struct mf_entry * const *)b;

	return strcmp(x->me_path, y->me_path);
}

static struct link_entry *
link_find(struct mkfs *m, dev_t dev, ino_t ino)
{
	struct link_entry *l;
	size_t h = (size_t)((uint64_t)ino * 0x9E3779B97F4A7C15ULL ^
	    (uint64_t)dev) % m->m_nlinks_hash;

	for (l = m->m_links[h]; l != NULL; l = l->le_next)
		if (l->le_dev == dev && l->le_ino == ino)
			return l;
	return NULL;
}

static void
link_add(struct mkfs *m, dev_t dev, ino_t ino, uint64_t efs_ino)
{
	struct link_entry *l = efsu_xcalloc(1, sizeof(*l));
	size_t h = (size_t)((uint64_t)ino * 0x9E3779B97F4A7C15ULL ^
	    (uint64_t)dev) % m->m_nlinks_hash;

	l->le_dev = dev;
	l->le_ino = ino;
	l->le_efs_ino = efs_ino;
	l->le_next = m->m_links[h];
	m->m_links[h] = l;
}

/* A library call failed: say what and where, and stop. */
static void __attribute__((noreturn))
lib_die(const char *what, const char *path, int error)
{
	if (error == -ENOSPC)
		efsu_die("%s: %s: the filesystem is full (of blocks, or of "
		    "inodes: see -s and -N)", path, what);
	efsu_die("%s: %s: %s", path, what, strerror(-error));
}

/*
 * The mode of a new inode for the source st at rel: the source's type
 * and bits (-r: normalised as the initramfs's), then the manifest's bits
 * and owner.  Owner root unless the manifest says otherwise.
 */
static void
inode_attrs(struct mkfs *m, const char *src, const char *rel,
    const struct stat *st, uint32_t *mode, uint32_t *uid, uint32_t *gid)
{
	struct mf_entry *e;
	uint32_t perm = st->st_mode & 07777;

	if (m->m_repro) {
		if (S_ISDIR(st->st_mode))
			perm = 0755;
		else if (S_ISLNK(st->st_mode))
			perm = 0777;
		else
			perm = (st->st_mode & 0111) ? 0755 : 0644;
	}
	*uid = *gid = 0;
	if ((e = mf_find(m, rel)) != NULL) {
		if (e->me_type == 'd' && !S_ISDIR(st->st_mode))
			efsu_die("%s: %s: the tree has it, and not as a folder",
			    e->me_where, src);
		if (e->me_type == 'c' || e->me_type == 'b')
			efsu_die("%s: %s: the tree has it, so it cannot be "
			    "made a device node", e->me_where, src);
		if (S_ISLNK(st->st_mode))
			efsu_die("%s: %s: a symbolic link has no mode of its "
			    "own", e->me_where, src);
		perm = e->me_mode;
		*uid = e->me_uid;
		*gid = e->me_gid;
		e->me_used = true;
	}
	*mode = (st->st_mode & S_IFMT) | perm;
}

/* Set an inode's times from the source (or -r's epoch). */
static void
inode_times(struct mkfs *m, struct efs_inode *ip, const struct stat *st)
{
	if (m->m_repro) {
		ip->i_atime_sec = ip->i_mtime_sec = ip->i_ctime_sec =
		    ip->i_btime_sec = m->m_epoch;
		ip->i_atime_nsec = ip->i_mtime_nsec = ip->i_ctime_nsec =
		    ip->i_btime_nsec = 0;
		return;
	}
	ip->i_atime_sec = st->st_atim.tv_sec;
	ip->i_atime_nsec = (uint32_t)st->st_atim.tv_nsec;
	ip->i_mtime_sec = st->st_mtim.tv_sec;
	ip->i_mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	/* Made now: its change and birth are now. */
	ip->i_ctime_sec = ip->i_btime_sec = m->m_now.tv_sec;
	ip->i_ctime_nsec = ip->i_btime_nsec = (uint32_t)m->m_now.tv_nsec;
}

/*
 * Copy logical blocks [lblk, end) of the open source fd into ino's
 * inode, allocating them as contiguous as the allocator can.
 */
static void
copy_range(struct mkfs *m, const char *src, int fd, uint64_t ino,
    struct efs_inode *ip, uint64_t lblk, uint64_t end)
{
	uint64_t pblk, off;
	uint32_t n, got;
	ssize_t r;
	size_t done;
	int error;

	while (lblk < end) {
		n = (uint32_t)(end - lblk < MKFS_COPY_BLOCKS ?
		    end - lblk : MKFS_COPY_BLOCKS);
		if ((error = efs_balloc(m->m_vol, ino, ip, (uint32_t)lblk, n,
		    false, &pblk, &got)) < 0)
			lib_die("allocating its data blocks", src, error);
		if (got == 0 || got > n)
			efsu_die("%s: the allocator gave %u blocks for %u", src,
			    got, n);
		/* Read got blocks; past the source's end, zeros. */
		memset(m->m_buf, 0, (size_t)got * EFS_BLOCK_SIZE);
		off = lblk * EFS_BLOCK_SIZE;
		for (done = 0; done < (size_t)got * EFS_BLOCK_SIZE;
		    done += (size_t)r) {
			r = pread(fd, m->m_buf + done,
			    (size_t)got * EFS_BLOCK_SIZE - done,
			    (off_t)(off + done));
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r < 0)
				efsu_die("%s: %s", src, strerror(errno));
			if (r == 0)
				break;
		}
		if ((error = efsu_write_blocks(&m->m_dev, pblk, m->m_buf,
		    got)) < 0)
			efsu_die("%s: writing its data: %s", src,
			    strerror(-error));
		m->m_data_blocks += got;
		lblk += got;
	}
}

/*
 * Copy a regular file's data: only its data regions (SEEK_DATA /
 * SEEK_HOLE), so that holes stay holes.
 */
static void
copy_data(struct mkfs *m, const char *src, int dfd, const char *name,
    uint64_t ino, struct efs_inode *ip, const struct stat *st)
{
	uint64_t size = (uint64_t)st->st_size, nblk, next = 0, first, last;
	off_t data, hole;
	int fd;

	nblk = (size + EFS_BLOCK_SIZE - 1) / EFS_BLOCK_SIZE;
	if (nblk > UINT32_MAX)
		efsu_die("%s: too large for eclipsefs (%llu bytes)", src,
		    (unsigned long long)size);
	if (size == 0)
		return;
	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		efsu_die("%s: %s", src, strerror(errno));
	data = 0;
	for (;;) {
		data = lseek(fd, data, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;			/* no data past here */
		if (data < 0 && errno == EINVAL && next == 0) {
			/* No SEEK_DATA here: every block is data. */
			copy_range(m, src, fd, ino, ip, 0, nblk);
			break;
		}
		if (data < 0)
			efsu_die("%s: SEEK_DATA: %s", src, strerror(errno));
		if ((uint64_t)data >= size)
			break;
		if ((hole = lseek(fd, data, SEEK_HOLE)) < 0)
			efsu_die("%s: SEEK_HOLE: %s", src, strerror(errno));
		if ((uint64_t)hole > size)
			hole = (off_t)size;
		first = (uint64_t)data / EFS_BLOCK_SIZE;
		last = ((uint64_t)hole + EFS_BLOCK_SIZE - 1) / EFS_BLOCK_SIZE;
		if (first < next)
			first = next;
		if (first < last)
			copy_range(m, src, fd, ino, ip, first, last);
		if (last > next)
			next = last;
		if ((uint64_t)hole >= size)
			break;
		data = hole;
	}
	close(fd);
}

/* Add name -> ino to the directory dino (its inode in *dp). */
static void
dir_add(struct mkfs *m, const char *src, uint64_t dino,
    struct efs_inode *dp, const char *name, uint64_t ino, int type)
{
	int error;

	if (strlen(name) > EFS_NAME_MAX)
		efsu_die("%s: name longer than %d bytes", src, EFS_NAME_MAX);
	if ((error = efs_dir_add(m->m_vol, dino, dp, name, strlen(name), ino,
	    type)) < 0)
		lib_die("adding it to its folder", src, error);
}

static void
inode_write(struct mkfs *m, const char *src, uint64_t ino,
    const struct efs_inode *ip)
{
	int error;

	if ((error = efs_inode_write(m->m_vol, ino, ip)) < 0)
		lib_die("writing its inode", src, error);
}

/* A new inode of mode for src in folder dino; its number. */
static uint64_t
inode_new(struct mkfs *m, const char *src, uint64_t dino, uint32_t mode,
    uint32_t uid, uint32_t gid, struct efs_inode *ip)
{
	uint64_t ino;
	int error;

	if ((error = efs_inode_alloc(m->m_vol, dino, S_ISDIR(mode),
	    &ino)) < 0)
		lib_die("allocating its inode", src, error);
	efs_inode_init(ip, mode, uid, gid, m->m_now.tv_sec,
	    (uint32_t)m->m_now.tv_nsec);
	ip->i_nlink = S_ISDIR(mode) ? 2 : 1;
	return ino;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* The names in the open folder dfd, sorted (their count in *np). */
static char **
read_names(const char *src, int dfd, size_t *np)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dir;
	int fd;

	if ((fd = dup(dfd)) < 0 || (dir = fdopendir(fd)) == NULL)
		efsu_die("%s: %s", src, strerror(errno));
	/* The dup shares the offset: a count_tree pass left it at the end. */
	rewinddir(dir);
	errno = 0;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = efsu_xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = efsu_xstrdup(de->d_name);
		errno = 0;
	}
	if (errno != 0)
		efsu_die("%s: %s", src, strerror(errno));
	closedir(dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	*np = n;
	return names;
}

static void copy_tree(struct mkfs *, int, const char *, const char *,
    uint64_t, struct efs_inode *, int);

/*
 * Copy one entry (name in the open folder dfd, rel its path in the new
 * filesystem) into the folder dino whose inode is *dp.
 */
static void
copy_entry(struct mkfs *m, int dfd, const char *src, const char *rel,
    const char *name, uint64_t dino, struct efs_inode *dp, int depth)
{
	struct efs_inode in;
	struct link_entry *l;
	struct stat st;
	uint32_t mode, uid, gid;
	uint64_t ino;
	char target[PATH_MAX];
	ssize_t len;
	int error, cfd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		efsu_die("%s: %s", src, strerror(errno));
	if (!S_ISDIR(st.st_mode) && st.st_nlink > 1 &&
	    (l = link_find(m, st.st_dev, st.st_ino)) != NULL) {
		/* Another name of a file already copied. */
		if ((error = efs_inode_read(m->m_vol, l->le_efs_ino,
		    &in)) < 0)
			lib_die("reading its inode", src, error);
		inode_attrs(m, src, rel, &st, &mode, &uid, &gid);
		if (mf_find(m, rel) != NULL) {
			in.i_mode = (uint16_t)mode;
			in.i_uid = uid;
			in.i_gid = gid;
		}
		in.i_nlink++;
		inode_write(m, src, l->le_efs_ino, &in);
		dir_add(m, src, dino, dp, name, l->le_efs_ino,
		    S_ISLNK(st.st_mode) ? DT_LNK : DT_REG);
		m->m_hardlinks++;
		return;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
	    !S_ISLNK(st.st_mode))
		efsu_die("%s: not a regular file, folder or symbolic link "
		    "(device nodes come from a manifest)", src);
	inode_attrs(m, src, rel, &st, &mode, &uid, &gid);
	ino = inode_new(m, src, dino, mode, uid, gid, &in);
	if (S_ISDIR(st.st_mode)) {
		if (depth >= MKFS_MAX_DEPTH)
			efsu_die("%s: folders nested deeper than %d", src,
			    MKFS_MAX_DEPTH);
		if ((error = efs_dir_init(m->m_vol, ino, &in, dino)) < 0)
			lib_die("making it a folder", src, error);
		dir_add(m, src, dino, dp, name, ino, DT_DIR);
		dp->i_nlink++;
		if ((cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | O_NOFOLLOW)) < 0)
			efsu_die("%s: %s", src, strerror(errno));
		copy_tree(m, cfd, src, rel, ino, &in, depth + 1);
		close(cfd);
		inode_times(m, &in, &st);
		inode_write(m, src, ino, &in);
		m->m_dirs++;
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if ((len = readlinkat(dfd, name, target, sizeof(target))) < 0)
			efsu_die("%s: %s", src, strerror(errno));
		if ((size_t)len >= sizeof(target))
			efsu_die("%s: symbolic link target too long", src);
		if ((error = efs_symlink_set(m->m_vol, ino, &in, target,
		    (size_t)len)) < 0)
			lib_die("storing its target", src, error);
		m->m_symlinks++;
	} else {
		copy_data(m, src, dfd, name, ino, &in, &st);
		in.i_size = (uint64_t)st.st_size;
		m->m_files++;
	}
	inode_times(m, &in, &st);
	inode_write(m, src, ino, &in);
	dir_add(m, src, dino, dp, name, ino,
	    S_ISLNK(st.st_mode) ? DT_LNK : DT_REG);
	if (st.st_nlink > 1)
		link_add(m, st.st_dev, st.st_ino, ino);
}

/*
 * Copy the contents of the open folder dfd (src on the host, rel in the
 * new filesystem) into the folder dino, whose inode *dp the caller
 * writes back.
 */
static void
copy_tree(struct mkfs *m, int dfd, const char *src, const char *rel,
    uint64_t dino, struct efs_inode *dp, int depth)
{
	char **names, *csrc, *crel;
	size_t i, n;

	names = read_names(src, dfd, &n);
	for (i = 0; i < n; i++) {
		if (asprintf(&csrc, "%s/%s", src, names[i]) < 0 ||
		    asprintf(&crel, "%s%s%s", strcmp(rel, ".") == 0 ? "" :
		    rel, strcmp(rel, ".") == 0 ? "" : "/", names[i]) < 0)
			efsu_die("out of memory");
		copy_entry(m, dfd, csrc, crel, names[i], dino, dp, depth);
		free(csrc);
		free(crel);
		free(names[i]);
	}
	free(names);
}

/* Find the folder at rel (normalised) from the root: its inode number. */
static uint64_t
lookup_dir(struct mkfs *m, const char *rel, const char *where)
{
	struct efs_inode in;
	uint64_t ino = EFS_ROOT_INO;
	const char *p = rel, *c;
	int error, type;
	size_t n;

	if (strcmp(rel, ".") == 0)
		return ino;
	while ((c = efsu_path_next(&p, &n)) != NULL) {
		if ((error = efs_inode_read(m->m_vol, ino, &in)) < 0)
			lib_die("reading a folder", where, error);
		if (!S_ISDIR(in.i_mode))
			efsu_die("%s: %s is not a folder", where, rel);
		if ((error = efs_dir_lookup(m->m_vol, &in, c, n, &ino,
		    &type)) == -ENOENT)
			efsu_die("%s: no folder %s in the tree", where, rel);
		if (error < 0)
			lib_die("looking up its folder", where, error);
	}
	if ((error = efs_inode_read(m->m_vol, ino, &in)) < 0)
		lib_die("reading a folder", where, error);
	if (!S_ISDIR(in.i_mode))
		efsu_die("%s: %s is not a folder", where, rel);
	return ino;
}

/* Make the manifests' device nodes, each in its folder. */
static void
make_nodes(struct mkfs *m)
{
	struct efs_inode dir, in;
	struct mf_entry *e;
	uint64_t dino, ino, found;
	char *slash, *parent;
	const char *name;
	size_t i;
	int error, type;
	bool blk;

	if (m->m_ndevs == 0)
		return;
	qsort(m->m_devs, m->m_ndevs, sizeof(*m->m_devs), mf_dev_cmp);
	for (i = 0; i < m->m_ndevs; i++) {
		e = m->m_devs[i];
		if (e->me_used)
			continue;	/* "d" for a folder of the tree */
		parent = efsu_xstrdup(e->me_path);
		if ((slash = strrchr(parent, '/')) != NULL) {
			*slash = '\0';
			name = slash + 1;
		} else {
			name = parent;
		}
		dino = lookup_dir(m, slash != NULL ? parent : ".", e->me_where);
		if ((error = efs_inode_read(m->m_vol, dino, &dir)) < 0)
			lib_die("reading its folder", e->me_where, error);
		if (efs_dir_lookup(m->m_vol, &dir, name, strlen(name), &found,
		    &type) == 0)
			efsu_die("%s: %s is in the tree already", e->me_where,
			    e->me_path);
		blk = e->me_type == 'b';
		ino = inode_new(m, e->me_where, dino, (e->me_type == 'd' ?
		    S_IFDIR : blk ? S_IFBLK : S_IFCHR) | e->me_mode, e->me_uid,
		    e->me_gid, &in);
		if (e->me_type == 'd' && (error = efs_dir_init(m->m_vol, ino,
		    &in, dino)) < 0)
			lib_die("making it a folder", e->me_where, error);
		if (e->me_type != 'd')
			in.i_rdev = e->me_major << 20 | e->me_minor;
		if (m->m_repro)
			inode_times(m, &in, NULL);
		inode_write(m, e->me_where, ino, &in);
		dir_add(m, e->me_where, dino, &dir, name, ino,
		    e->me_type == 'd' ? DT_DIR : blk ? DT_BLK : DT_CHR);
		if (e->me_type == 'd')
			dir.i_nlink++;
		inode_write(m, e->me_where, dino, &dir);
		e->me_used = true;
		if (e->me_type == 'd')
			m->m_dirs++;
		else
			m->m_nodes++;
		free(parent);
	}
}

/* Every manifest line must have named something: list those that did not. */
static void
check_unused(struct mkfs *m)
{
	struct mf_entry *e;
	size_t i;
	int bad = 0;

	for (i = 0; i < m->m_nmf_hash; i++) {
		for (e = m->m_mf[i]; e != NULL; e = e->me_next) {
			if (e->me_used)
				continue;
			fprintf(stderr, "mkfs.eclipsefs: %s: %s is not in the "
			    "tree\n", e->me_where, e->me_path);
			bad++;
		}
	}
	if (bad)
		efsu_die("modes given for %d path%s not in the tree", bad,
		    bad == 1 ? "" : "s");
}

/* Count what a tree holds: inodes (names but hard links) and blocks. */
static void
count_tree(const char *src, int dfd, uint64_t *inodes, uint64_t *blocks,
    int depth)
{
	struct stat st;
	char **names, *csrc;
	size_t i, n;
	int cfd;

	if (depth > MKFS_MAX_DEPTH)
		efsu_die("%s: folders nested deeper than %d", src,
		    MKFS_MAX_DEPTH);
	names = read_names(src, dfd, &n);
	for (i = 0; i < n; i++) {
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			efsu_die("%s/%s: %s", src, names[i], strerror(errno));
		(*inodes)++;
		*blocks += ((uint64_t)st.st_blocks * 512 + EFS_BLOCK_SIZE -
		    1) / EFS_BLOCK_SIZE;
		if (S_ISDIR(st.st_mode)) {
			/* Header, a table block, a bucket per 100 names. */
			*blocks += 3;
			if (asprintf(&csrc, "%s/%s", src, names[i]) < 0)
				efsu_die("out of memory");
			if ((cfd = openat(dfd, names[i], O_RDONLY |
			    O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) < 0)
				efsu_die("%s: %s", csrc, strerror(errno));
			count_tree(csrc, cfd, inodes, blocks, depth + 1);
			close(cfd);
			free(csrc);
		}
		free(names[i]);
	}
	*blocks += n / 100;
	free(names);
}

/* Fill the root from the tree at dir. */
static void
populate(struct mkfs *m, const char *dir, int dfd, const struct stat *rst)
{
	struct efs_inode root;
	int error;

	if ((error = efs_inode_read(m->m_vol, EFS_ROOT_INO, &root)) < 0)
		lib_die("reading the root", dir, error);
	copy_tree(m, dfd, dir, ".", EFS_ROOT_INO, &root, 0);
	if (rst != NULL)
		inode_times(m, &root, rst);
	inode_write(m, dir, EFS_ROOT_INO, &root);
	make_nodes(m);
	check_unused(m);
}

/* The layout for the device, with enough inodes for want of them. */
static void
layout(struct mkfs *m, struct efs_super *sb, uint64_t want_inodes,
    uint32_t journal)
{
	uint64_t nblocks = m->m_dev.du_blocks;
	uint64_t ipg;
	int error;

	if ((error = efs_layout(sb, nblocks, 0, journal)) < 0)
		efsu_die("%s: %llu blocks of %d bytes are too few for a "
		    "filesystem%s", m->m_dev.du_path,
		    (unsigned long long)nblocks, EFS_BLOCK_SIZE,
		    journal ? " with that journal" : "");
	if (want_inodes == 0 || sb->sb_group_count == 0)
		return;
	ipg = (want_inodes + sb->sb_group_count - 1) / sb->sb_group_count;
	ipg = (ipg + EFS_INODES_PER_BLOCK - 1) / EFS_INODES_PER_BLOCK *
	    EFS_INODES_PER_BLOCK;
	if (ipg > EFS_MAX_GROUP_INODES)
		efsu_die("%llu inodes is more than %u groups can hold",
		    (unsigned long long)want_inodes, sb->sb_group_count);
	if ((error = efs_layout(sb, nblocks, (uint32_t)ipg, journal)) < 0)
		efsu_die("%s: %llu inodes do not fit in %llu blocks",
		    m->m_dev.du_path, (unsigned long long)want_inodes,
		    (unsigned long long)nblocks);
}

int
main(int argc, char **argv)
{
	struct mkfs mk, *m = &mk;
	struct efs_super *sb;
	struct stat rst;
	const char *label = NULL, *dir = NULL, *sde;
	const char **manifests = NULL;
	uint64_t offset = 0, size = 0, inodes = 0, journal = 0;
	uint64_t tree_inodes = 0, tree_blocks = 0;
	uint32_t ngroups, root_mode = 0755, root_uid = 0, root_gid = 0;
	uint8_t uuid[16];
	char uuidstr[EFS_UUID_STRLEN];
	struct mf_entry *e;
	size_t nmanifests = 0, i;
	bool have_uuid = false;
	int c, error, dfd = -1;

	efsu_progname = "mkfs.eclipsefs";
	memset(m, 0, sizeof(*m));
	while ((c = getopt(argc, argv, "L:U:N:J:o:s:d:m:qr")) != -1) {
		switch (c) {
		case 'L':
			if (strlen(optarg) > EFS_LABEL_LEN)
				efsu_die("label longer than %d bytes",
				    EFS_LABEL_LEN);
			label = optarg;
			break;
		case 'U':
			if (efs_uuid_parse(optarg, uuid, false) < 0)
				efsu_die("-U %s: not a UUID", optarg);
			have_uuid = true;
			break;
		case 'N':
			inodes = efsu_opt_size(c, optarg, "a number of inodes",
			    1, UINT64_MAX);
			break;
		case 'J':
			journal = efsu_opt_size(c, optarg, "a number of blocks",
			    0, UINT32_MAX);
			break;
		case 'o':
			offset = efsu_opt_size(c, optarg, "an offset", 0,
			    UINT64_MAX);
			break;
		case 's':
			size = efsu_opt_size(c, optarg, "a size", 1,
			    UINT64_MAX);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'm':
			manifests = efsu_xreallocarray(manifests,
			    nmanifests + 1, sizeof(*manifests));
			manifests[nmanifests++] = optarg;
			break;
		case 'q':
			m->m_quiet = true;
			break;
		case 'r':
			m->m_repro = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	clock_gettime(CLOCK_REALTIME, &m->m_now);
	if (m->m_repro && (sde = getenv("SOURCE_DATE_EPOCH")) != NULL &&
	    *sde != '\0')
		m->m_epoch = strtoll(sde, NULL, 10);
	if (m->m_repro) {
		/* The filesystem's own times too, not only its files'. */
		m->m_now.tv_sec = m->m_epoch;
		m->m_now.tv_nsec = 0;
	}

	/* Everything the tree and manifests say is checked first. */
	m->m_nmf_hash = 1021;
	m->m_mf = efsu_xcalloc(m->m_nmf_hash, sizeof(*m->m_mf));
	m->m_nlinks_hash = 4093;
	m->m_links = efsu_xcalloc(m->m_nlinks_hash, sizeof(*m->m_links));
	m->m_buf = efsu_xcalloc(MKFS_COPY_BLOCKS, EFS_BLOCK_SIZE);
	for (i = 0; i < nmanifests; i++)
		mf_read(m, manifests[i]);
	if ((e = mf_find(m, ".")) != NULL) {
		root_mode = e->me_mode;
		root_uid = e->me_uid;
		root_gid = e->me_gid;
		e->me_used = true;
	}
	if (dir != NULL) {
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
		    fstat(dfd, &rst) < 0)
			efsu_die("%s: %s", dir, strerror(errno));
		count_tree(dir, dfd, &tree_inodes, &tree_blocks, 0);
		tree_inodes += m->m_ndevs + 1;
		if (e == NULL && !m->m_repro)
			root_mode = rst.st_mode & 07777;
	}

	if (efsu_open(&m->m_dev, argv[optind], offset, size,
	    EFSU_RDWR | (size != 0 ? EFSU_CREATE : 0)) < 0)
		exit(1);
	m->m_vol = &m->m_dev.du_vol;
	sb = &m->m_vol->vl_sb;
	/* Room for the tree's inodes and a margin for what comes later. */
	if (inodes == 0 && tree_inodes > 0) {
		layout(m, sb, 0, (uint32_t)journal);
		if (sb->sb_inode_count < tree_inodes + tree_inodes / 8 + 64)
			inodes = tree_inodes + tree_inodes / 8 + 64;
	}
	if (inodes != 0 && inodes < tree_inodes)
		efsu_die("-N %llu: the tree has %llu files",
		    (unsigned long long)inodes,
		    (unsigned long long)tree_inodes);
	layout(m, sb, inodes, (uint32_t)journal);
	if (!have_uuid && (error = efsu_random(uuid, sizeof(uuid))) < 0)
		efsu_die("getrandom: %s", strerror(-error));
	if (!have_uuid) {
		/* RFC 4122 version 4 (random). */
		uuid[6] = (uuid[6] & 0x0f) | 0x40;
		uuid[8] = (uuid[8] & 0x3f) | 0x80;
	}
	memcpy(sb->sb_uuid, uuid, sizeof(uuid));
	memset(sb->sb_label, 0, sizeof(sb->sb_label));
	if (label != NULL)
		memcpy(sb->sb_label, label, strlen(label));
	sb->sb_csum_seed = efs_crc32c(~0U, sb->sb_uuid, sizeof(sb->sb_uuid));
	if (m->m_repro && have_uuid) {
		/* Reproducible: the hash key follows from the given UUID. */
		sb->sb_hash_seed = efs_crc32c(0, sb->sb_uuid,
		    sizeof(sb->sb_uuid));
	} else if ((error = efsu_random(&sb->sb_hash_seed,
	    sizeof(sb->sb_hash_seed))) < 0)
		efsu_die("getrandom: %s", strerror(-error));
	sb->sb_mkfs_time = (uint64_t)m->m_now.tv_sec * 1000000000ULL +
	    (uint64_t)m->m_now.tv_nsec;
	if (sb->sb_errors == 0)
		sb->sb_errors = EFS_ERRORS_REMOUNT_RO;
	ngroups = efs_vol_ngroups(sb);
	m->m_dev.du_groups = efsu_xcalloc(ngroups, sizeof(struct efs_group));
	m->m_vol->vl_groups = m->m_dev.du_groups;
	if ((error = efs_mkfs(m->m_vol, m->m_dev.du_groups, S_IFDIR |
	    root_mode, root_uid, root_gid, m->m_now.tv_sec,
	    (uint32_t)m->m_now.tv_nsec)) < 0)
		lib_die("formatting", m->m_dev.du_path, error);

	if (dir != NULL || m->m_ndevs > 0) {
		if (dir == NULL) {
			make_nodes(m);
			check_unused(m);
		} else {
			populate(m, dir, dfd, &rst);
		}
	}
	if (dfd >= 0)
		close(dfd);
	if ((error = efs_super_write(m->m_vol, true)) < 0)
		lib_die("writing the superblock", m->m_dev.du_path, error);
	if (m->m_dev.du_nerrors > 0)
		efsu_die("%s: the library reported damage while formatting",
		    m->m_dev.du_path);
	if ((error = efsu_close(&m->m_dev)) < 0)
		efsu_die("%s: %s", argv[optind], strerror(-error));

	if (!m->m_quiet) {
		efs_uuid_format(uuid, uuidstr);
		printf("eclipsefs on %s: %llu blocks of %d bytes, %u groups, "
		    "%llu inodes, journal %u blocks\n", argv[optind],
		    (unsigned long long)sb->sb_block_count, EFS_BLOCK_SIZE,
		    sb->sb_group_count,
		    (unsigned long long)sb->sb_inode_count,
		    sb->sb_journal_blocks);
		printf("UUID %s, label \"%s\"\n", uuidstr,
		    label != NULL ? label : "");
		if (dir != NULL || m->m_nodes > 0)
			printf("copied %llu files (%llu data blocks), %llu "
			    "folders, %llu symbolic links, %llu hard links, "
			    "%llu device nodes\n",
			    (unsigned long long)m->m_files,
			    (unsigned long long)m->m_data_blocks,
			    (unsigned long long)m->m_dirs,
			    (unsigned long long)m->m_symlinks,
			    (unsigned long long)m->m_hardlinks,
			    (unsigned long long)m->m_nodes);
	}
	return 0;
}
