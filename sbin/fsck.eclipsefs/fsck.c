/*
 * fsck.eclipsefs: check an eclipsefs filesystem and repair what can be
 * repaired safely.
 *
 *	fsck.eclipsefs [-n|-y|-p] [-f] [-v] [-o offset] device|image
 *
 * -n checks only (the default), -y repairs every problem it can, -p
 * ("preen") repairs only what needs no judgement (counts, bitmaps, link
 * counts, orphans, the backup superblock, the journal's replay) and
 * stops with 4 at anything else.  -f checks a filesystem marked clean
 * too.  Exit codes are fsck(8)'s: 0 clean, 1 errors corrected, 4 errors
 * left, 8 operational error, 16 usage.
 *
 * Every problem is one line on stdout naming the inode, block or group,
 * what was expected and what was found, then what was done about it.
 * The passes are described in fsck.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsck.h"

struct fsck fs;

static void
usage(void)
{
	fprintf(stderr, "usage: fsck.eclipsefs [-n|-y|-p] [-f] [-v] "
	    "[-o offset] device|image\n");
	exit(FSCK_USAGE);
}

/*
 * Print one problem and decide about its repair: -y repairs what can be
 * repaired, -p only FIX_PREEN (anything else stops the run with 4), -n
 * repairs in memory only (efsutil never writes) so that the later
 * passes see a consistent picture.  Returns true to repair.
 */
bool
fsck_problem(enum fsck_fix fix, const char *fmt, ...)
{
	va_list ap;
	const char *what;
	bool repair;

	if (fs.fs_mode == 'p' && fix == FIX_ASK) {
		printf("%s: ", fs.fs_path);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n%s: UNEXPECTED INCONSISTENCY; run fsck.eclipsefs "
		    "without -p (-n to see, -y to repair)\n", fs.fs_path);
		fflush(stdout);
		/* Nothing more is written: the held-back blocks are lost. */
		efsu_discard(&fs.fs_dev);
		_exit(FSCK_UNCORRECTED);
	}
	if (fix == FIX_NONE) {
		what = "not repairable";
		repair = false;
		fs.fs_nleft++;
	} else if (fs.fs_mode == 'n') {
		what = "not repaired (-n)";
		repair = true;
		fs.fs_nleft++;
	} else {
		what = "repaired";
		repair = true;
		fs.fs_nfixed++;
	}
	printf("%s: ", fs.fs_path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", what);
	return repair;
}

/* A line of information (not counted). */
void
fsck_info(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", fs.fs_path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * A repair failed (the library refused: more damage than fsck saw):
 * say so, with the library's last message, and count the problem as
 * left rather than repaired.
 */
void
fsck_repair_failed(const char *what, int error)
{
	printf("%s: repair failed: %s: %s%s%s\n", fs.fs_path, what,
	    strerror(-error), fs.fs_lib_msg[0] != '\0' ? ": " : "",
	    fs.fs_lib_msg);
	if (fs.fs_mode != 'n' && fs.fs_nfixed > 0)
		fs.fs_nfixed--;
	fs.fs_nleft++;
}

/* An operational error: the message, then exit 8. */
void
fsck_fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fsck.eclipsefs: %s: ", fs.fs_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(FSCK_OPERATIONAL);
}

/*
 * Read block blkno through the volume's ops (so that -n sees its own
 * in-memory repairs); blocks past the filesystem's end are refused.
 */
int
fsck_bread(uint64_t blkno, struct efs_bh **bhp)
{
	uint64_t limit = fs.fs_nblocks != 0 ? fs.fs_nblocks :
	    fs.fs_dev.du_blocks;

	if (blkno >= limit)
		return -EINVAL;
	return fs.fs_vol->vl_ops->vo_read(fs.fs_vol, blkno, bhp);
}

void
fsck_brelse(struct efs_bh *bh)
{
	fs.fs_vol->vl_ops->vo_release(fs.fs_vol, bh);
}

void
fsck_bdirty(struct efs_bh *bh)
{
	fs.fs_vol->vl_ops->vo_dirty(fs.fs_vol, bh);
}

/* calloc or an operational error. */
void *
fsck_calloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		fsck_fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* The library's damage reports: kept for the repair-failed messages. */
static void
lib_error(struct efsu_dev *d, const char *msg)
{
	(void)d;
	snprintf(fs.fs_lib_msg, sizeof(fs.fs_lib_msg), "%s", msg);
	if (fs.fs_verbose)
		printf("%s: (library) %s\n", fs.fs_path, msg);
}

static void
summary(void)
{
	uint64_t fb = 0, fi = 0;
	uint32_t g;

	for (g = 0; g < fs.fs_ngroups; g++) {
		fb += fs.fs_groups[g].bg_free_blocks;
		fi += fs.fs_groups[g].bg_free_inodes;
	}
	printf("%s: %llu/%llu inodes, %llu/%llu blocks used\n", fs.fs_path,
	    (unsigned long long)(fs.fs_ninodes - fi),
	    (unsigned long long)fs.fs_ninodes,
	    (unsigned long long)(fs.fs_nblocks - fb),
	    (unsigned long long)fs.fs_nblocks);
}

int
main(int argc, char **argv)
{
	uint64_t offset = 0;
	int ch, error;

	efsu_progname = "fsck.eclipsefs";
	fs.fs_mode = 0;
	while ((ch = getopt(argc, argv, "anpyfvo:")) != -1) {
		switch (ch) {
		case 'a':
		case 'p':
		case 'n':
		case 'y':
			if (fs.fs_mode != 0 && fs.fs_mode != (ch == 'a' ?
			    'p' : ch))
				usage();
			fs.fs_mode = ch == 'a' ? 'p' : ch;
			break;
		case 'f':
			fs.fs_force = true;
			break;
		case 'v':
			fs.fs_verbose = true;
			break;
		case 'o':
			if (efsu_parse_size(optarg, &offset) < 0 ||
			    offset % 512 != 0) {
				fprintf(stderr, "fsck.eclipsefs: bad offset "
				    "'%s'\n", optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if (fs.fs_mode == 0)
		fs.fs_mode = 'n';
	fs.fs_path = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (efsu_open(&fs.fs_dev, fs.fs_path, offset, 0,
	    fs.fs_mode == 'n' ? EFSU_RDONLY : EFSU_RDWR) < 0)
		exit(FSCK_OPERATIONAL);
	/*
	 * -n: the library may change blocks (the repairs, a replay), which
	 * a read-only efsutil device keeps in memory (never evicted, never
	 * written).
	 */
	if (fs.fs_mode == 'n')
		fs.fs_dev.du_vol.vl_rdonly = false;
	fs.fs_dev.du_quiet_errors = true;
	fs.fs_dev.du_error_hook = lib_error;
	fs.fs_vol = &fs.fs_dev.du_vol;
	fs.fs_sb = &fs.fs_vol->vl_sb;

	super_check();
	journal_check();
	groups_check();
	if (!fs.fs_force && fs.fs_nleft == 0 && fs.fs_nfixed == 0 &&
	    (fs.fs_sb->sb_state & (EFS_STATE_CLEAN | EFS_STATE_ERROR)) ==
	    EFS_STATE_CLEAN && fs.fs_sb->sb_orphan_head == 0) {
		printf("%s: clean (-f checks it anyway)\n", fs.fs_path);
		summary();
		efsu_close(&fs.fs_dev);
		exit(FSCK_OK);
	}
	if (fs.fs_sb->sb_state & EFS_STATE_ERROR)
		fsck_info("marked as having errors: checking");

	pass1();
	pass1_orphans();
	pass1_safe_bitmaps();
	pass1_dups();
	pass2();
	pass3();
	pass4();
	pass5();

	if (fs.fs_mode != 'n') {
		if (fs.fs_nleft == 0) {
			fs.fs_sb->sb_state = (fs.fs_sb->sb_state &
			    ~EFS_STATE_ERROR) | EFS_STATE_CLEAN;
		} else
			fs.fs_sb->sb_state |= EFS_STATE_ERROR;
		if (fs.fs_nfixed > 0 || fs.fs_super_dirty ||
		    memcmp(&fs.fs_sb_orig, fs.fs_sb, sizeof(*fs.fs_sb)) != 0) {
			if ((error = efs_super_write(fs.fs_vol, true)) < 0)
				fsck_fatal("writing the superblocks: %s",
				    strerror(-error));
		}
	}
	summary();
	if ((error = efsu_close(&fs.fs_dev)) < 0)
		fsck_fatal("writing back: %s", strerror(-error));
	if (fs.fs_nleft > 0) {
		printf("%s: %lu problem%s left%s\n", fs.fs_path, fs.fs_nleft,
		    fs.fs_nleft == 1 ? "" : "s",
		    fs.fs_mode == 'n' ? " (nothing written: -n)" : "");
		return FSCK_UNCORRECTED;
	}
	if (fs.fs_nfixed > 0) {
		printf("%s: %lu problem%s repaired\n", fs.fs_path,
		    fs.fs_nfixed, fs.fs_nfixed == 1 ? "" : "s");
		return FSCK_CORRECTED;
	}
	printf("%s: clean\n", fs.fs_path);
	return FSCK_OK;
}
