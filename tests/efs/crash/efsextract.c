/*
 * efsextract: copy every folder, regular file and symbolic link of an
 * eclipsefs image out into a host folder, for the power-loss tests
 * (tests/efs/crash/replay.py hashes what it finds there).
 *
 *	efsextract [-o offset] image outdir
 *
 * Prints one line per name: "d PATH", "f PATH SIZE" or "l PATH TARGET"
 * (PATH from the root, "/a/b").  Read-only, through libeclipsefs and
 * sbin/efsutil like dumpe.eclipsefs, so every block read is checked; the
 * walk refuses loops (a depth limit) and an image whose journal still
 * holds transactions (replay it first with fsck.eclipsefs -p or -y).
 * Exit status 0, 1 on damage or an error (a message says which), 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../sbin/efsutil/efsutil.h"

#define MAX_DEPTH	64
#define MAX_PATH	4096

static struct efsu_dev dev;
static struct efs_vol *vol;
static int status;

struct walk {
	char	*path;		/* host path, MAX_PATH bytes */
	char	*name;		/* image path, MAX_PATH bytes */
	int	 depth;
};

static void walk_dir(struct walk *w, uint64_t ino);

static void
fail(const char *what, int error)
{
	fprintf(stderr, "efsextract: %s: %s\n", what, strerror(-error));
	status = 1;
}

/* Write file ino's data, size bytes, to the host file at w->path. */
static void
copy_file(struct walk *w, struct efs_inode *ip)
{
	static uint8_t blk[EFS_BLOCK_SIZE];
	uint64_t left = ip->i_size, pblk;
	uint32_t lblk = 0, len;
	size_t n;
	int fd, error;

	if ((fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		fail(w->path, -errno);
		return;
	}
	while (left > 0) {
		if ((error = efs_bmap(vol, ip, lblk, &pblk, &len)) < 0) {
			fail(w->name, error);
			break;
		}
		if (pblk == 0)
			memset(blk, 0, sizeof(blk));
		else if ((error = efsu_read_blocks(&dev, pblk, blk, 1)) < 0) {
			fail(w->name, error);
			break;
		}
		n = left < EFS_BLOCK_SIZE ? (size_t)left : EFS_BLOCK_SIZE;
		if (write(fd, blk, n) != (ssize_t)n) {
			fail(w->path, -errno);
			break;
		}
		left -= n;
		lblk++;
	}
	close(fd);
}

static int
entry(void *arg, const char *name, size_t len, uint64_t ino, int type,
    uint64_t next)
{
	struct walk *w = arg;
	struct efs_inode in;
	size_t plen = strlen(w->path), nlen = strlen(w->name);
	char target[EFS_BLOCK_SIZE + 1];
	long tl;
	int error;

	(void)type, (void)next;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (plen + len + 2 > MAX_PATH || nlen + len + 2 > MAX_PATH) {
		fprintf(stderr, "efsextract: %s: path too long\n", w->name);
		status = 1;
		return 0;
	}
	snprintf(w->path + plen, MAX_PATH - plen, "/%.*s", (int)len, name);
	snprintf(w->name + nlen, MAX_PATH - nlen, "/%.*s", (int)len, name);
	if ((error = efs_inode_read(vol, ino, &in)) < 0) {
		fail(w->name, error);
	} else if (S_ISDIR(in.i_mode)) {
		printf("d %s\n", w->name);
		if (mkdir(w->path, 0755) < 0)
			fail(w->path, -errno);
		else
			walk_dir(w, ino);
	} else if (S_ISREG(in.i_mode)) {
		printf("f %s %llu\n", w->name,
		    (unsigned long long)in.i_size);
		copy_file(w, &in);
	} else if (S_ISLNK(in.i_mode)) {
		if ((tl = efs_symlink_get(vol, &in, target,
		    sizeof(target) - 1)) < 0) {
			fail(w->name, (int)tl);
		} else {
			target[tl] = '\0';
			printf("l %s %s\n", w->name, target);
			if (symlink(target, w->path) < 0)
				fail(w->path, -errno);
		}
	} else {
		printf("o %s %o\n", w->name, in.i_mode);
	}
	w->path[plen] = '\0';
	w->name[nlen] = '\0';
	return 0;
}

static void
walk_dir(struct walk *w, uint64_t ino)
{
	struct efs_inode dp;
	uint64_t pos = 0;
	int error;

	if (++w->depth > MAX_DEPTH) {
		fprintf(stderr, "efsextract: %s: deeper than %d: a loop?\n",
		    w->name, MAX_DEPTH);
		status = 1;
	} else if ((error = efs_inode_read(vol, ino, &dp)) < 0) {
		fail(w->name, error);
	} else if ((error = efs_dir_iterate(vol, ino, &dp, &pos, entry,
	    w)) < 0) {
		fail(w->name, error);
	}
	w->depth--;
}

/* 1 when the journal holds transactions not yet replayed. */
static int
journal_pending(void)
{
	static uint8_t blk[EFS_BLOCK_SIZE];
	struct efs_jsuper js;

	if (!(vol->vl_sb.sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL))
		return 0;
	if (efsu_read_blocks(&dev, vol->vl_sb.sb_journal_start, blk, 1) < 0)
		return 1;
	memcpy(&js, blk, sizeof(js));
	return js.js_magic != EFS_JSUPER_MAGIC || js.js_start != 0;
}

int
main(int argc, char **argv)
{
	static char path[MAX_PATH], name[MAX_PATH];
	struct walk w = { path, name, 0 };
	uint64_t offset = 0;
	int c;

	efsu_progname = "efsextract";
	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o' || efsu_parse_size(optarg, &offset) < 0) {
			fprintf(stderr, "usage: efsextract [-o offset] image "
			    "outdir\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: efsextract [-o offset] image outdir\n");
		return 2;
	}
	if (efsu_open(&dev, argv[optind], offset, 0, EFSU_RDONLY) < 0 ||
	    efsu_vol_open(&dev) < 0)
		return 1;
	vol = &dev.du_vol;
	if (journal_pending()) {
		fprintf(stderr, "efsextract: %s: the journal is not empty: "
		    "replay it first (fsck.eclipsefs -p)\n", argv[optind]);
		return 1;
	}
	snprintf(path, sizeof(path), "%s", argv[optind + 1]);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fail(path, -errno);
		return 1;
	}
	printf("d /\n");
	walk_dir(&w, EFS_ROOT_INO);
	if (dev.du_nerrors > 0)
		status = 1;
	efsu_close(&dev);
	return status;
}
