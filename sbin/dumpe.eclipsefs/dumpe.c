/*
 * dumpe.eclipsefs: print an eclipsefs filesystem's structures, for
 * teaching (Documentation/tutorial's hexdump walk) and debugging.
 *
 *	dumpe.eclipsefs [-o offset] image [what]
 *
 *	super		the superblock (the default), checked
 *	groups		every group descriptor, one line each
 *	group G		one group descriptor, and its bitmaps' use
 *	inode N		an inode, field by field
 *	dir N		a directory: its header, its hash table, every
 *			bucket and every entry with its hash
 *	extents N	a file's extent tree, nodes and extents
 *	block B		a block, as a hexdump
 *	path /a/b	the inode at a path (then as "inode N")
 *	journal		the journal superblock and the log's transactions
 *
 * Everything is read-only and checked as read: a checksum that does not
 * verify is printed as "BAD" beside the value found, a count or block
 * number out of range stops that part of the dump with a message, so a
 * damaged image can be looked at.  "super" and "block" work on an image
 * whose superblock does not verify; the rest need a usable superblock
 * and group descriptors.  Exit status 0, 1 on damage or error, 2 usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../efsutil/efsutil.h"

static struct efsu_dev dev;
static struct efs_vol *vol;
static int status;		/* 1 when something was damaged */

static void
usage(void)
{
	fprintf(stderr, "usage: dumpe.eclipsefs [-o offset] image "
	    "[super|groups|group G|inode N|dir N|extents N|block B|\n"
	    "           path /a/b|journal]\n");
	exit(2);
}

static void __attribute__((format(printf, 1, 2)))
damage(const char *fmt, ...)
{
	va_list ap;

	printf("  !! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	status = 1;
}

static uint64_t
parse_num(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		efsu_die("%s: not a number: %s", what, s);
	return v;
}

static const char *
crc_verdict(uint32_t found, uint32_t want)
{
	if (found == want)
		return "ok";
	status = 1;
	return "BAD";
}

/* A block of the filesystem into buf (EFS_BLOCK_SIZE bytes). */
static int
read_block(uint64_t blkno, void *buf)
{
	if (blkno >= dev.du_blocks) {
		damage("block %llu is past the device's end (%llu blocks)",
		    (unsigned long long)blkno,
		    (unsigned long long)dev.du_blocks);
		return -EINVAL;
	}
	return efsu_read_blocks(&dev, blkno, buf, 1);
}

static void
print_time(const char *name, int64_t sec, uint32_t nsec)
{
	char buf[64];
	struct tm tm;
	time_t t = (time_t)sec;

	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) > 0)
		printf("  %-14s %lld.%09u (%s UTC)\n", name, (long long)sec,
		    nsec, buf);
	else
		printf("  %-14s %lld.%09u\n", name, (long long)sec, nsec);
}

static void
print_ns(const char *name, uint64_t ns)
{
	print_time(name, (int64_t)(ns / 1000000000ULL),
	    (uint32_t)(ns % 1000000000ULL));
}

/* A block as a hexdump: offset, 16 bytes in hex, the printable ones. */
static void
hexdump(const uint8_t *p, size_t len, uint64_t base)
{
	size_t off, i;
	bool starred = false;

	for (off = 0; off < len; off += 16) {
		if (off > 0 && off + 16 < len &&
		    memcmp(p + off, p + off - 16, 16) == 0) {
			if (!starred)
				printf("*\n");
			starred = true;
			continue;
		}
		starred = false;
		printf("%08llx ", (unsigned long long)(base + off));
		for (i = 0; i < 16; i++)
			printf("%s%02x", i == 8 ? "  " : " ", p[off + i]);
		printf("  |");
		for (i = 0; i < 16; i++)
			putchar(isprint(p[off + i]) ? p[off + i] : '.');
		printf("|\n");
	}
	printf("%08llx\n", (unsigned long long)(base + len));
}

static void
cmd_block(uint64_t blkno)
{
	uint8_t buf[EFS_BLOCK_SIZE];

	if (read_block(blkno, buf) < 0)
		return;
	printf("block %llu (byte %llu of the filesystem)\n",
	    (unsigned long long)blkno,
	    (unsigned long long)(blkno * EFS_BLOCK_SIZE));
	hexdump(buf, sizeof(buf), blkno * EFS_BLOCK_SIZE);
}

static void
print_super(const struct efs_super *sb, uint64_t blkno)
{
	char uuid[EFS_UUID_STRLEN], label[EFS_LABEL_LEN + 1];
	const char *why = NULL;
	bool rw_ok = true;
	int error;

	efs_uuid_format(sb->sb_uuid, uuid);
	memcpy(label, sb->sb_label, EFS_LABEL_LEN);
	label[EFS_LABEL_LEN] = '\0';
	printf("superblock at block %llu\n", (unsigned long long)blkno);
	printf("  magic          %#018llx%s\n",
	    (unsigned long long)sb->sb_magic,
	    sb->sb_magic == EFS_MAGIC ? " (ECLIPSFS)" : " (BAD)");
	printf("  version        %u\n", sb->sb_version);
	printf("  block size     %u\n", sb->sb_block_size);
	printf("  features       compat %#x incompat %#x%s ro_compat %#x\n",
	    sb->sb_feature_compat, sb->sb_feature_incompat,
	    (sb->sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL) ?
	    " (journal)" : "", sb->sb_feature_ro_compat);
	printf("  state          %#x%s%s\n", sb->sb_state,
	    (sb->sb_state & EFS_STATE_CLEAN) ? " clean" : " not-clean",
	    (sb->sb_state & EFS_STATE_ERROR) ? " errors" : "");
	printf("  uuid           %s\n", uuid);
	printf("  label          \"%s\"\n", label);
	printf("  blocks         %llu (free %llu)\n",
	    (unsigned long long)sb->sb_block_count,
	    (unsigned long long)sb->sb_free_blocks);
	printf("  inodes         %llu (free %llu)\n",
	    (unsigned long long)sb->sb_inode_count,
	    (unsigned long long)sb->sb_free_inodes);
	printf("  groups         %u of %u blocks, %u inodes each\n",
	    sb->sb_group_count, sb->sb_group_blocks, sb->sb_group_inodes);
	printf("  inode size     %u\n", sb->sb_inode_size);
	printf("  group table    blocks %llu..+%u\n",
	    (unsigned long long)sb->sb_gdt_start, sb->sb_gdt_blocks);
	printf("  journal        blocks %llu..+%u\n",
	    (unsigned long long)sb->sb_journal_start, sb->sb_journal_blocks);
	printf("  root inode     %llu\n", (unsigned long long)sb->sb_root_ino);
	printf("  csum seed      %#010x (crc32c of the uuid: %#010x)\n",
	    sb->sb_csum_seed, efs_crc32c(~0U, sb->sb_uuid, 16));
	printf("  hash seed      %#010x\n", sb->sb_hash_seed);
	print_ns("made", sb->sb_mkfs_time);
	print_ns("mounted", sb->sb_mount_time);
	print_ns("written", sb->sb_write_time);
	printf("  mount count    %u\n", sb->sb_mount_count);
	printf("  errors         %u (%s)\n", sb->sb_errors,
	    sb->sb_errors == EFS_ERRORS_REMOUNT_RO ? "remount-ro" :
	    sb->sb_errors == EFS_ERRORS_CONTINUE ? "continue" : "?");
	printf("  orphan head    %llu\n",
	    (unsigned long long)sb->sb_orphan_head);
	printf("  crc            %#010x (%s)\n", sb->sb_crc,
	    crc_verdict(sb->sb_crc, efs_csum(~0U, sb, sizeof(*sb),
	    offsetof(struct efs_super, sb_crc))));
	error = efs_super_check(sb, dev.du_blocks, &rw_ok, &why);
	if (error < 0)
		damage("efs_super_check: %s", why != NULL ? why :
		    strerror(-error));
	else
		printf("  check          ok%s\n", rw_ok ? "" :
		    " (read-only: unknown ro_compat features)");
}

static void
cmd_super(void)
{
	uint8_t buf[EFS_BLOCK_SIZE];
	struct efs_super sb, backup;

	if (read_block(0, buf) < 0)
		return;
	memcpy(&sb, buf, sizeof(sb));
	print_super(&sb, 0);
	if (sb.sb_magic != EFS_MAGIC || sb.sb_block_count == 0 ||
	    sb.sb_block_count > dev.du_blocks)
		return;
	if (read_block(sb.sb_block_count - 1, buf) < 0)
		return;
	memcpy(&backup, buf, sizeof(backup));
	if (memcmp(&backup, &sb, sizeof(sb)) == 0)
		printf("backup at block %llu: identical\n",
		    (unsigned long long)(sb.sb_block_count - 1));
	else
		printf("backup at block %llu: differs (the kernel updates it "
		    "at a clean unmount; \"block %llu\" shows it)\n",
		    (unsigned long long)(sb.sb_block_count - 1),
		    (unsigned long long)(sb.sb_block_count - 1));
}

static void
open_vol(void)
{
	if (efsu_vol_open(&dev) < 0)
		exit(1);
	vol = &dev.du_vol;
}

/* Count the set bits of a bitmap block's first n bits. */
static uint64_t
bits_set(const uint8_t *map, uint32_t n)
{
	uint64_t c = 0;
	uint32_t i;

	if (n > EFS_BLOCK_SIZE * 8)
		n = EFS_BLOCK_SIZE * 8;
	for (i = 0; i < n; i++)
		c += (map[i / 8] >> (i % 8)) & 1;
	return c;
}

static void
cmd_groups(void)
{
	const struct efs_super *sb = &vol->vl_sb;
	const struct efs_group *g;
	uint32_t i;

	printf("%6s %10s %10s %10s %8s %8s %6s\n", "group", "bbitmap",
	    "ibitmap", "itable", "fblocks", "finodes", "dirs");
	for (i = 0; i < sb->sb_group_count; i++) {
		g = &vol->vl_groups[i];
		printf("%6u %10llu %10llu %10llu %8u %8u %6u\n", i,
		    (unsigned long long)g->bg_block_bitmap,
		    (unsigned long long)g->bg_inode_bitmap,
		    (unsigned long long)g->bg_inode_table, g->bg_free_blocks,
		    g->bg_free_inodes, g->bg_dirs);
	}
}

/*
 * A group's bitmap at blkno: its checksum against the one the
 * descriptor keeps, and its first nbits' use against the descriptor's.
 */
static void
print_bitmap(const char *what, uint64_t blkno, uint32_t crc, uint64_t nbits,
    uint64_t used)
{
	uint8_t buf[EFS_BLOCK_SIZE];

	if (read_block(blkno, buf) < 0)
		return;
	printf("  %s bitmap crc %#010x (%s), %llu of %llu in use "
	    "(descriptor: %llu)\n", what, crc, crc_verdict(crc,
	    efs_crc32c(efs_block_seed(&vol->vl_sb, blkno), buf, sizeof(buf))),
	    (unsigned long long)bits_set(buf, (uint32_t)nbits),
	    (unsigned long long)nbits, (unsigned long long)used);
}

static void
cmd_group(uint64_t gno)
{
	const struct efs_super *sb = &vol->vl_sb;
	const struct efs_group *g;
	uint64_t start, n, table;
	uint32_t per = EFS_GROUPS_PER_BLOCK;

	if (gno >= sb->sb_group_count)
		efsu_die("group %llu: there are %u", (unsigned long long)gno,
		    sb->sb_group_count);
	g = &vol->vl_groups[gno];
	start = gno * sb->sb_group_blocks;
	n = sb->sb_block_count - start < sb->sb_group_blocks ?
	    sb->sb_block_count - start : sb->sb_group_blocks;
	table = sb->sb_gdt_start + gno / per;
	printf("group %llu: blocks %llu..%llu, descriptor %u of table "
	    "block %llu (byte %llu)\n", (unsigned long long)gno,
	    (unsigned long long)start, (unsigned long long)(start + n - 1),
	    (unsigned)(gno % per), (unsigned long long)table,
	    (unsigned long long)(table * EFS_BLOCK_SIZE +
	    (gno % per) * sizeof(*g)));
	printf("  block bitmap   %llu\n",
	    (unsigned long long)g->bg_block_bitmap);
	printf("  inode bitmap   %llu\n",
	    (unsigned long long)g->bg_inode_bitmap);
	printf("  inode table    %llu (%u blocks)\n",
	    (unsigned long long)g->bg_inode_table,
	    sb->sb_group_inodes / EFS_INODES_PER_BLOCK);
	printf("  free blocks    %u\n", g->bg_free_blocks);
	printf("  free inodes    %u\n", g->bg_free_inodes);
	printf("  directories    %u\n", g->bg_dirs);
	printf("  flags          %#x\n", g->bg_flags);
	printf("  crc            %#010x (%s)\n", g->bg_crc,
	    crc_verdict(g->bg_crc, efs_csum(efs_block_seed(sb, table), g,
	    sizeof(*g), offsetof(struct efs_group, bg_crc))));
	print_bitmap("block", g->bg_block_bitmap, g->bg_block_bitmap_crc, n,
	    n - g->bg_free_blocks);
	print_bitmap("inode", g->bg_inode_bitmap, g->bg_inode_bitmap_crc,
	    sb->sb_group_inodes,
	    (uint32_t)(sb->sb_group_inodes - g->bg_free_inodes));
}

static const char *
type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "regular file";
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symbolic link";
	case S_IFCHR:	return "character device";
	case S_IFBLK:	return "block device";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	case 0:		return "free";
	default:	return "unknown type";
	}
}

/* Where inode ino is: its table block and byte in it.  -EINVAL. */
static int
inode_where(uint64_t ino, uint64_t *blkno, uint32_t *off)
{
	const struct efs_super *sb = &vol->vl_sb;
	uint64_t g, idx;

	if (ino == 0 || ino > sb->sb_inode_count) {
		damage("inode %llu is outside 1..%llu",
		    (unsigned long long)ino,
		    (unsigned long long)sb->sb_inode_count);
		return -EINVAL;
	}
	g = (ino - 1) / sb->sb_group_inodes;
	idx = (ino - 1) % sb->sb_group_inodes;
	*blkno = vol->vl_groups[g].bg_inode_table + idx / EFS_INODES_PER_BLOCK;
	*off = (uint32_t)(idx % EFS_INODES_PER_BLOCK) * EFS_INODE_SIZE;
	return 0;
}

/* Read inode ino raw (whatever its checksum says) and say where it is. */
static int
inode_raw(uint64_t ino, struct efs_inode *ip, bool verbose)
{
	uint8_t buf[EFS_BLOCK_SIZE];
	uint64_t blkno;
	uint32_t off, want;
	int used;

	if (inode_where(ino, &blkno, &off) < 0 || read_block(blkno, buf) < 0)
		return -EINVAL;
	memcpy(ip, buf + off, sizeof(*ip));
	want = efs_csum(vol->vl_sb.sb_csum_seed ^ (uint32_t)ino, ip,
	    sizeof(*ip), offsetof(struct efs_inode, i_crc));
	used = efs_inode_used(vol, ino);
	if (used == 0 && ip->i_crc == 0) {
		/* A free inode: zeros but for i_generation, no checksum. */
		if (verbose)
			printf("inode %llu at block %llu byte %u (disk byte "
			    "%llu), free in the bitmap\n",
			    (unsigned long long)ino, (unsigned long long)blkno,
			    off, (unsigned long long)(blkno * EFS_BLOCK_SIZE +
			    off));
		return 0;
	}
	if (verbose)
		printf("inode %llu at block %llu byte %u (disk byte %llu), "
		    "%s in the bitmap, crc %#010x (%s)\n",
		    (unsigned long long)ino, (unsigned long long)blkno, off,
		    (unsigned long long)(blkno * EFS_BLOCK_SIZE + off),
		    used > 0 ? "used" : used == 0 ? "free" : "unreadable",
		    ip->i_crc, crc_verdict(ip->i_crc, want));
	else if (ip->i_crc != want)
		damage("inode %llu: checksum %#010x, expected %#010x",
		    (unsigned long long)ino, ip->i_crc, want);
	return 0;
}

static void
cmd_inode(uint64_t ino)
{
	struct efs_inode in;
	char target[EFS_INLINE_MAX + 1];
	int i;

	if (inode_raw(ino, &in, true) < 0)
		return;
	printf("  mode           %06o (%s, permissions %04o)\n", in.i_mode,
	    type_name(in.i_mode), in.i_mode & 07777);
	printf("  flags          %#x%s\n", in.i_flags,
	    (in.i_flags & EFS_IFLAG_INLINE) ? " (inline)" : "");
	printf("  owner          %u:%u\n", in.i_uid, in.i_gid);
	printf("  links          %u\n", in.i_nlink);
	printf("  generation     %u\n", in.i_generation);
	printf("  size           %llu\n", (unsigned long long)in.i_size);
	printf("  blocks         %llu\n", (unsigned long long)in.i_blocks);
	print_time("accessed", in.i_atime_sec, in.i_atime_nsec);
	print_time("modified", in.i_mtime_sec, in.i_mtime_nsec);
	print_time("changed", in.i_ctime_sec, in.i_ctime_nsec);
	print_time("born", in.i_btime_sec, in.i_btime_nsec);
	if (S_ISCHR(in.i_mode) || S_ISBLK(in.i_mode))
		printf("  device         %u:%u\n", in.i_rdev >> 20,
		    in.i_rdev & 0xfffff);
	if (S_ISDIR(in.i_mode))
		printf("  parent         %llu\n",
		    (unsigned long long)in.i_parent);
	if (in.i_orphan_next != 0)
		printf("  next orphan    %llu\n",
		    (unsigned long long)in.i_orphan_next);
	if (S_ISLNK(in.i_mode) && (in.i_flags & EFS_IFLAG_INLINE)) {
		if (in.i_size > EFS_INLINE_MAX) {
			damage("inline symlink of %llu bytes (at most %d)",
			    (unsigned long long)in.i_size, EFS_INLINE_MAX);
			return;
		}
		memcpy(target, in.i_symlink, in.i_size);
		target[in.i_size] = '\0';
		printf("  target         \"%s\" (inline)\n", target);
		return;
	}
	if (!S_ISREG(in.i_mode) && !S_ISDIR(in.i_mode) && !S_ISLNK(in.i_mode))
		return;
	printf("  extent root    magic %#06x entries %u max %u depth %u\n",
	    in.i_eh.eh_magic, in.i_eh.eh_entries, in.i_eh.eh_max,
	    in.i_eh.eh_depth);
	for (i = 0; i < in.i_eh.eh_entries && i < EFS_EXTENTS_IN_INODE; i++) {
		if (in.i_eh.eh_depth == 0)
			printf("    [%d] logical %u..+%u -> block %llu\n", i,
			    in.i_ext[i].ee_lblk, in.i_ext[i].ee_len,
			    (unsigned long long)in.i_ext[i].ee_pblk);
		else {
			struct efs_extent_idx ix;

			memcpy(&ix, &in.i_ext[i], sizeof(ix));
			printf("    [%d] logical %u.. -> node block %llu\n", i,
			    ix.ei_lblk, (unsigned long long)ix.ei_child);
		}
	}
	if (S_ISLNK(in.i_mode)) {
		char *buf = efsu_xcalloc(EFS_BLOCK_SIZE + 1, 1);
		long n;

		if ((n = efs_symlink_get(vol, &in, buf, EFS_BLOCK_SIZE)) < 0)
			damage("reading its target: %s", strerror((int)-n));
		else
			printf("  target         \"%.*s\" (in a block)\n",
			    (int)n, buf);
		free(buf);
	}
}

/* The extent tree: a visitor for each extent found, in order. */
struct ext_walk {
	bool		 ew_print;
	uint64_t	 ew_next;	/* logical block expected next */
	uint64_t	 ew_blocks;	/* data blocks seen */
	uint64_t	 ew_nodes;
	/* For directories: logical -> physical lookups. */
	uint32_t	 ew_find;
	uint64_t	 ew_found;
};

static int walk_node(struct ext_walk *, const struct efs_extent_header *,
    const void *, int, int, uint64_t, uint64_t);

/* Check one extent, print it, and answer a lookup; -EUCLEAN: stop. */
static int
walk_extent(struct ext_walk *w, const struct efs_extent *e, int indent)
{
	const struct efs_super *sb = &vol->vl_sb;

	if (w->ew_print)
		printf("%*sextent logical %u..%u (%u blocks) -> blocks "
		    "%llu..%llu\n", indent, "", e->ee_lblk,
		    e->ee_lblk + e->ee_len - 1, e->ee_len,
		    (unsigned long long)e->ee_pblk,
		    (unsigned long long)(e->ee_pblk + e->ee_len - 1));
	if (e->ee_len == 0 || e->ee_len > EFS_EXTENT_MAX_LEN)
		damage("extent of %u blocks (1..%d)", e->ee_len,
		    EFS_EXTENT_MAX_LEN);
	if (e->ee_pblk == 0 || e->ee_pblk >= sb->sb_block_count ||
	    e->ee_len > sb->sb_block_count - e->ee_pblk)
		damage("extent blocks %llu..+%u outside the filesystem",
		    (unsigned long long)e->ee_pblk, e->ee_len);
	if (e->ee_lblk < w->ew_next) {
		/* Also what a node shared by two index entries gives. */
		damage("extent at logical %u overlaps or is out of order "
		    "(expected >= %llu): stopping", e->ee_lblk,
		    (unsigned long long)w->ew_next);
		return -EUCLEAN;
	}
	w->ew_next = (uint64_t)e->ee_lblk + e->ee_len;
	w->ew_blocks += e->ee_len;
	if (w->ew_find >= e->ee_lblk && w->ew_find - e->ee_lblk < e->ee_len)
		w->ew_found = e->ee_pblk + (w->ew_find - e->ee_lblk);
	return 0;
}

/*
 * Walk the entries of a node (the inode's root or a block) with header
 * eh and entries at ents (room for cap of them).
 */
static int
walk_node(struct ext_walk *w, const struct efs_extent_header *eh,
    const void *ents, int cap, int level, uint64_t blkno, uint64_t ino)
{
	const struct efs_extent *ext = ents;
	const struct efs_extent_idx *idx = ents;
	uint8_t *buf;
	const struct efs_extent_header *ch;
	uint32_t want;
	int i, error = 0;

	if (eh->eh_magic != EFS_EXTENT_MAGIC || eh->eh_entries > eh->eh_max ||
	    eh->eh_max > cap || eh->eh_depth > EFS_EXTENT_MAX_DEPTH) {
		damage("inode %llu: extent node %s%llu: magic %#x entries %u "
		    "max %u (room %d) depth %u", (unsigned long long)ino,
		    blkno ? "at block " : "in the inode", blkno ?
		    (unsigned long long)blkno : 0ULL, eh->eh_magic,
		    eh->eh_entries, eh->eh_max, cap, eh->eh_depth);
		return -EUCLEAN;
	}
	if (level > EFS_EXTENT_MAX_DEPTH) {
		damage("inode %llu: extent tree deeper than %d",
		    (unsigned long long)ino, EFS_EXTENT_MAX_DEPTH);
		return -EUCLEAN;
	}
	for (i = 0; i < eh->eh_entries; i++) {
		if (eh->eh_depth == 0) {
			if ((error = walk_extent(w, &ext[i],
			    2 * level + 2)) < 0)
				return error;
			continue;
		}
		if (w->ew_print)
			printf("%*sindex logical %u.. -> node block %llu\n",
			    2 * level + 2, "", idx[i].ei_lblk,
			    (unsigned long long)idx[i].ei_child);
		if (i > 0 && idx[i].ei_lblk <= idx[i - 1].ei_lblk)
			damage("inode %llu: index entries out of order (%u "
			    "after %u)", (unsigned long long)ino,
			    idx[i].ei_lblk, idx[i - 1].ei_lblk);
		/* Nodes shared by several entries could multiply. */
		if (w->ew_nodes >= vol->vl_sb.sb_block_count ||
		    w->ew_nodes >= (1U << 20)) {
			damage("inode %llu: more extent nodes than blocks: "
			    "entries share nodes", (unsigned long long)ino);
			return -EUCLEAN;
		}
		if (idx[i].ei_child == 0 ||
		    idx[i].ei_child >= vol->vl_sb.sb_block_count) {
			damage("inode %llu: node block %llu outside the "
			    "filesystem", (unsigned long long)ino,
			    (unsigned long long)idx[i].ei_child);
			return -EUCLEAN;
		}
		buf = efsu_xcalloc(1, EFS_BLOCK_SIZE);
		if ((error = read_block(idx[i].ei_child, buf)) < 0) {
			free(buf);
			return error;
		}
		ch = (const struct efs_extent_header *)buf;
		want = efs_csum(efs_block_seed(&vol->vl_sb, idx[i].ei_child),
		    buf, EFS_BLOCK_SIZE, offsetof(struct efs_extent_header,
		    eh_crc));
		w->ew_nodes++;
		if (w->ew_print)
			printf("%*snode at block %llu: magic %#06x entries %u "
			    "max %u depth %u crc %#010x (%s)\n",
			    2 * level + 4, "",
			    (unsigned long long)idx[i].ei_child, ch->eh_magic,
			    ch->eh_entries, ch->eh_max, ch->eh_depth,
			    ch->eh_crc, crc_verdict(ch->eh_crc, want));
		else if (ch->eh_crc != want)
			damage("inode %llu: extent node %llu: bad checksum",
			    (unsigned long long)ino,
			    (unsigned long long)idx[i].ei_child);
		if (ch->eh_depth + 1 != eh->eh_depth) {
			damage("inode %llu: node %llu has depth %u under "
			    "depth %u", (unsigned long long)ino,
			    (unsigned long long)idx[i].ei_child, ch->eh_depth,
			    eh->eh_depth);
			free(buf);
			return -EUCLEAN;
		}
		error = walk_node(w, ch, buf + sizeof(*ch),
		    (int)EFS_EXTENTS_PER_BLOCK, level + 1, idx[i].ei_child,
		    ino);
		free(buf);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
walk_inode(struct ext_walk *w, uint64_t ino, const struct efs_inode *in)
{
	return walk_node(w, &in->i_eh, in->i_ext, EFS_EXTENTS_IN_INODE, 0, 0,
	    ino);
}

static void
cmd_extents(uint64_t ino)
{
	struct efs_inode in;
	struct ext_walk w;

	if (inode_raw(ino, &in, false) < 0)
		return;
	if (!S_ISREG(in.i_mode) && !S_ISDIR(in.i_mode) &&
	    !(S_ISLNK(in.i_mode) && !(in.i_flags & EFS_IFLAG_INLINE))) {
		printf("inode %llu (%s) has no extents\n",
		    (unsigned long long)ino, type_name(in.i_mode));
		return;
	}
	memset(&w, 0, sizeof(w));
	w.ew_print = true;
	w.ew_find = UINT32_MAX;
	printf("inode %llu: %s of %llu bytes (%llu logical blocks), %llu "
	    "blocks held; root in the inode: entries %u max %u depth %u\n",
	    (unsigned long long)ino, type_name(in.i_mode),
	    (unsigned long long)in.i_size,
	    (unsigned long long)((in.i_size + EFS_BLOCK_SIZE - 1) /
	    EFS_BLOCK_SIZE), (unsigned long long)in.i_blocks,
	    in.i_eh.eh_entries, in.i_eh.eh_max, in.i_eh.eh_depth);
	(void)walk_inode(&w, ino, &in);
	printf("%llu data blocks in extents, %llu node blocks\n",
	    (unsigned long long)w.ew_blocks, (unsigned long long)w.ew_nodes);
	if (w.ew_blocks + w.ew_nodes != in.i_blocks)
		damage("i_blocks is %llu, the tree holds %llu",
		    (unsigned long long)in.i_blocks,
		    (unsigned long long)(w.ew_blocks + w.ew_nodes));
}

/* The disk block of a directory's logical block (0: a hole). */
static uint64_t
dir_bmap(uint64_t ino, const struct efs_inode *in, uint32_t lblk)
{
	struct ext_walk w;

	memset(&w, 0, sizeof(w));
	w.ew_find = lblk;
	if (walk_inode(&w, ino, in) < 0)
		return 0;
	return w.ew_found;
}

static const char *
dt_name(int t)
{
	static const char *names[16] = {
		[1] = "fifo", [2] = "chr", [4] = "dir", [6] = "blk",
		[8] = "reg", [10] = "lnk", [12] = "sock",
	};

	return t >= 0 && t < 16 && names[t] != NULL ? names[t] : "?";
}

/* One bucket: its header and its entries, checked. */
static void
dump_bucket(uint64_t ino, uint32_t lblk, uint64_t pblk, uint32_t gdepth,
    uint32_t first, uint32_t nslots)
{
	const struct efs_super *sb = &vol->vl_sb;
	uint8_t buf[EFS_BLOCK_SIZE];
	struct efs_dir_bucket *b = (struct efs_dir_bucket *)buf;
	struct efs_dirent *de;
	char name[EFS_NAME_MAX + 1];
	uint64_t h, prev = 0, want;
	uint32_t off, end, i;
	unsigned shift;

	printf("bucket at logical %u, block %llu: table entries %u..%u\n",
	    lblk, (unsigned long long)pblk, first, first + nslots - 1);
	if (read_block(pblk, buf) < 0)
		return;
	printf("  magic %#010x%s depth %u count %u used %u self %llu "
	    "crc %#010x (%s)\n", b->db_magic,
	    b->db_magic == EFS_BUCKET_MAGIC ? " (EFSB)" : " (BAD)",
	    b->db_depth, b->db_count, b->db_used,
	    (unsigned long long)b->db_self, b->db_crc,
	    crc_verdict(b->db_crc, efs_csum(efs_block_seed(sb, pblk), buf,
	    sizeof(buf), offsetof(struct efs_dir_bucket, db_crc))));
	if (b->db_magic != EFS_BUCKET_MAGIC ||
	    b->db_used > EFS_BLOCK_SIZE - sizeof(*b) ||
	    b->db_depth > gdepth) {
		damage("bucket header impossible: not reading its entries");
		return;
	}
	if (b->db_self != ino)
		damage("bucket belongs to inode %llu",
		    (unsigned long long)b->db_self);
	if (nslots != 1U << (gdepth - b->db_depth))
		damage("local depth %u serves %u table entries, not %u",
		    b->db_depth, 1U << (gdepth - b->db_depth), nslots);
	off = sizeof(*b);
	end = off + b->db_used;
	shift = 63 - b->db_depth;
	for (i = 0; i < b->db_count; i++) {
		if (off + EFS_DIRENT_HDR > end) {
			damage("entry %u runs past db_used", i);
			return;
		}
		de = (struct efs_dirent *)(buf + off);
		if (off + EFS_DIRENT_LEN(de->de_namelen) > end ||
		    de->de_namelen == 0) {
			damage("entry %u at byte %u: name length %u does not "
			    "fit", i, off, de->de_namelen);
			return;
		}
		memcpy(name, de->de_name, de->de_namelen);
		name[de->de_namelen] = '\0';
		want = efs_dir_hash(sb->sb_hash_seed, name, de->de_namelen);
		h = de->de_hash;
		printf("  %016llx %8llu %-4s %s", (unsigned long long)h,
		    (unsigned long long)de->de_ino, dt_name(de->de_type), name);
		if (h != want)
			printf("  !! hash should be %016llx",
			    (unsigned long long)want);
		if (b->db_depth > 0 && gdepth > 0 &&
		    (h >> shift) != (uint64_t)first >> (gdepth - b->db_depth))
			printf("  !! in the wrong bucket");
		if (h <= prev && i > 0)
			printf("  !! out of hash order");
		putchar('\n');
		if (h != want || h <= prev)
			status = 1;
		prev = h;
		off += EFS_DIRENT_LEN(de->de_namelen);
	}
	if (off != end)
		damage("entries end at byte %u, db_used says %u", off, end);
}

static void
cmd_dir(uint64_t ino)
{
	const struct efs_super *sb = &vol->vl_sb;
	struct efs_inode in;
	struct efs_dir_header dh;
	uint8_t buf[EFS_BLOCK_SIZE];
	struct efs_dir_table *dt = (struct efs_dir_table *)buf;
	uint32_t *table, n, i, j, per = EFS_DIR_TABLE_PER_BLOCK, tb, m;
	uint32_t nbuckets = 0, nbad = 0;
	uint64_t pblk;

	if (inode_raw(ino, &in, false) < 0)
		return;
	if (!S_ISDIR(in.i_mode))
		efsu_die("inode %llu is a %s, not a directory",
		    (unsigned long long)ino, type_name(in.i_mode));
	if ((pblk = dir_bmap(ino, &in, 0)) == 0) {
		damage("directory %llu has no header block",
		    (unsigned long long)ino);
		return;
	}
	if (read_block(pblk, buf) < 0)
		return;
	memcpy(&dh, buf, sizeof(dh));
	printf("directory %llu: header at block %llu\n",
	    (unsigned long long)ino, (unsigned long long)pblk);
	printf("  magic %#010x%s depth %u entries %llu buckets %u next %u "
	    "self %llu crc %#010x (%s)\n", dh.dh_magic,
	    dh.dh_magic == EFS_DIR_MAGIC ? " (EFSD)" : " (BAD)", dh.dh_depth,
	    (unsigned long long)dh.dh_entries, dh.dh_buckets,
	    dh.dh_next_bucket, (unsigned long long)dh.dh_self, dh.dh_crc,
	    crc_verdict(dh.dh_crc, efs_csum(efs_block_seed(sb, pblk), &dh,
	    sizeof(dh), offsetof(struct efs_dir_header, dh_crc))));
	printf("  parent (\"..\") %llu\n", (unsigned long long)in.i_parent);
	if (dh.dh_magic != EFS_DIR_MAGIC || dh.dh_depth > EFS_DIR_MAX_DEPTH) {
		damage("directory header impossible: stopping");
		return;
	}
	n = 1U << dh.dh_depth;
	table = efsu_xcalloc(n, sizeof(*table));
	printf("  table: %u entries, %u to a block\n", n, per);
	for (tb = 0; tb * per < n; tb++) {
		if ((pblk = dir_bmap(ino, &in, 1 + tb)) == 0) {
			damage("table block %u is a hole", 1 + tb);
			free(table);
			return;
		}
		if (read_block(pblk, buf) < 0) {
			free(table);
			return;
		}
		m = n - tb * per < per ? n - tb * per : per;
		printf("  table at logical %u, block %llu: entries %u..%u "
		    "crc %#010x (%s)\n", 1 + tb,
		    (unsigned long long)pblk, tb * per, tb * per + m - 1,
		    dt->dt_crc, crc_verdict(dt->dt_crc,
		    efs_csum(efs_block_seed(sb, pblk), buf, sizeof(buf),
		    offsetof(struct efs_dir_table, dt_crc))));
		for (i = m; i < per; i++)
			if (dt->dt_bucket[i] != 0) {
				damage("table at logical %u: slot %u, past "
				    "the table's end, is not zero", 1 + tb, i);
				break;
			}
		memcpy(table + tb * per, dt->dt_bucket, m * 4);
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && table[j] == table[i]; j++)
			;
		if (nbad > 16 || nbuckets > dh.dh_buckets) {
			damage("the table names more buckets than the %u "
			    "there are, or too many bad ones: stopping",
			    dh.dh_buckets);
			break;
		}
		nbuckets++;
		if (table[i] < EFS_DIR_FIRST_BUCKET ||
		    table[i] >= dh.dh_next_bucket) {
			damage("table entry %u: bucket %u outside %u..%u", i,
			    table[i], EFS_DIR_FIRST_BUCKET,
			    dh.dh_next_bucket - 1);
			nbad++;
			continue;
		}
		if ((pblk = dir_bmap(ino, &in, table[i])) == 0) {
			damage("table entry %u: bucket %u is a hole", i,
			    table[i]);
			nbad++;
			continue;
		}
		dump_bucket(ino, table[i], pblk, dh.dh_depth, i, j - i);
	}
	free(table);
}

/* The inode of an absolute path, looked up from the root. */
static uint64_t
lookup_path(const char *path)
{
	struct efs_inode in;
	uint64_t ino = vol->vl_sb.sb_root_ino;
	const char *p = path, *c;
	int error, type, hops = 0;
	size_t n;

	while ((c = efsu_path_next(&p, &n)) != NULL) {
		if ((error = efs_inode_read(vol, ino, &in)) < 0)
			efsu_die("%s: inode %llu: %s", path,
			    (unsigned long long)ino, strerror(-error));
		if (!S_ISDIR(in.i_mode))
			efsu_die("%s: inode %llu on the way is not a directory",
			    path, (unsigned long long)ino);
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			ino = in.i_parent;
		} else if (!(n == 1 && c[0] == '.')) {
			error = efs_dir_lookup(vol, &in, c, n, &ino, &type);
			if (error < 0)
				efsu_die("%s: %.*s: %s", path, (int)n, c,
				    strerror(-error));
		}
		if (++hops > 4096)
			efsu_die("%s: too many components", path);
	}
	return ino;
}

/* The journal's ring block i, as a filesystem block. */
static uint64_t
jblock(uint32_t i)
{
	return vol->vl_sb.sb_journal_start + i;
}

/* The ring index after i (the log wraps to block 1: 0 is the super). */
static uint32_t
jnext(uint32_t i)
{
	return i + 1 >= vol->vl_sb.sb_journal_blocks ? 1 : i + 1;
}

static void
cmd_journal(void)
{
	const struct efs_super *sb = &vol->vl_sb;
	uint8_t buf[EFS_BLOCK_SIZE];
	struct efs_jsuper js;
	struct efs_jdesc *jd = (struct efs_jdesc *)buf;
	struct efs_jcommit *jc = (struct efs_jcommit *)buf;
	uint64_t seq, ntx = 0;
	uint32_t pos, q, nblk = sb->sb_journal_blocks, crc, i, count, walked;
	uint32_t magic;

	if (nblk == 0) {
		printf("no journal\n");
		return;
	}
	if (read_block(jblock(0), buf) < 0)
		return;
	memcpy(&js, buf, sizeof(js));
	printf("journal: blocks %llu..+%u, superblock:\n",
	    (unsigned long long)sb->sb_journal_start, nblk);
	printf("  magic %#010x%s blocks %u sequence %llu start %u "
	    "crc %#010x (%s)\n", js.js_magic,
	    js.js_magic == EFS_JSUPER_MAGIC ? " (EFSJ)" : " (BAD)",
	    js.js_blocks, (unsigned long long)js.js_sequence, js.js_start,
	    js.js_crc, crc_verdict(js.js_crc, efs_jsuper_crc(sb, &js)));
	if (js.js_magic != EFS_JSUPER_MAGIC || js.js_blocks != nblk ||
	    js.js_start >= nblk) {
		damage("journal superblock impossible");
		return;
	}
	if (js.js_start == 0) {
		printf("empty: nothing to replay\n");
		return;
	}
	pos = js.js_start;
	seq = js.js_sequence;
	walked = 0;
	for (;;) {
		/* One transaction: descriptors and copies, then a commit. */
		uint32_t start = pos, blocks = 0;

		crc = sb->sb_csum_seed;
		for (;;) {
			if (walked++ > nblk)
				goto wrapped;
			if (read_block(jblock(pos), buf) < 0)
				return;
			memcpy(&magic, buf, 4);
			if (magic != EFS_JDESC_MAGIC)
				break;
			if (jd->jd_sequence != seq) {
				magic = 0;
				break;
			}
			count = jd->jd_count;
			if (count > EFS_JTAGS_PER_DESC) {
				damage("ring block %u: descriptor with %u tags",
				    pos, count);
				return;
			}
			if (blocks == 0)
				printf("transaction %llu from ring block %u:\n",
				    (unsigned long long)seq, start);
			printf("  descriptor at ring block %u: %u blocks\n",
			    pos, count);
			crc = efs_jlog_crc(crc, buf);
			blocks++;
			for (i = 0, q = pos; i < count; i++) {
				q = jnext(q);
				printf("    ring block %u -> block %llu%s\n", q,
				    (unsigned long long)jd->jd_tags[i].jt_blkno,
				    (jd->jd_tags[i].jt_flags &
				    EFS_JTAG_ESCAPED) ? " (escaped)" : "");
			}
			/* The copies, each into the commit's checksum. */
			{
				struct efs_jtag tags[EFS_JTAGS_PER_DESC];
				uint8_t copy[EFS_BLOCK_SIZE];

				memcpy(tags, jd->jd_tags, count *
				    sizeof(tags[0]));
				for (i = 0; i < count; i++) {
					pos = jnext(pos);
					if (read_block(jblock(pos), copy) < 0)
						return;
					crc = efs_jlog_crc(crc, copy);
					blocks++;
					walked++;
				}
			}
			pos = jnext(pos);
		}
		if (magic != EFS_JCOMMIT_MAGIC || blocks == 0 ||
		    jc->jc_sequence != seq) {
			if (blocks > 0)
				printf("  no commit block at ring block %u: "
				    "an unfinished transaction, not "
				    "replayed\n", pos);
			break;
		}
		printf("  commit at ring block %u: blocks %u sequence %llu "
		    "crc %#010x (%s) self %#010x (%s)\n", pos, jc->jc_blocks,
		    (unsigned long long)jc->jc_sequence, jc->jc_crc,
		    crc_verdict(jc->jc_crc, crc), jc->jc_crc_self,
		    crc_verdict(jc->jc_crc_self, efs_jcommit_crc(sb,
		    jblock(pos), jc)));
		print_ns("  committed", jc->jc_time);
		if (jc->jc_crc != crc || jc->jc_blocks != blocks ||
		    jc->jc_crc_self != efs_jcommit_crc(sb, jblock(pos), jc)) {
			printf("  torn or corrupt: not replayed, replay stops "
			    "here\n");
			break;
		}
		ntx++;
		seq++;
		pos = jnext(pos);
	}
	printf("%llu complete transaction%s to replay\n",
	    (unsigned long long)ntx, ntx == 1 ? "" : "s");
	return;
wrapped:
	damage("the log goes round the whole ring without ending");
}

int
main(int argc, char **argv)
{
	const char *image, *what = "super", *arg = NULL;
	uint64_t offset = 0;
	int c;

	efsu_progname = "dumpe.eclipsefs";
	while ((c = getopt(argc, argv, "o:")) != -1) {
		switch (c) {
		case 'o':
			offset = efsu_opt_size(c, optarg, "an offset", 0,
			    UINT64_MAX);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 1 || argc - optind > 3)
		usage();
	image = argv[optind];
	if (argc - optind >= 2)
		what = argv[optind + 1];
	if (argc - optind == 3)
		arg = argv[optind + 2];
	if ((strcmp(what, "super") == 0 || strcmp(what, "groups") == 0 ||
	    strcmp(what, "journal") == 0) != (arg == NULL))
		usage();
	if (efsu_open(&dev, image, offset, 0, EFSU_RDONLY) < 0)
		exit(1);
	if (strcmp(what, "super") == 0) {
		cmd_super();
	} else if (strcmp(what, "block") == 0) {
		cmd_block(parse_num(arg, "block"));
	} else {
		open_vol();
		if (strcmp(what, "groups") == 0)
			cmd_groups();
		else if (strcmp(what, "group") == 0)
			cmd_group(parse_num(arg, "group"));
		else if (strcmp(what, "inode") == 0)
			cmd_inode(parse_num(arg, "inode"));
		else if (strcmp(what, "dir") == 0)
			cmd_dir(parse_num(arg, "inode"));
		else if (strcmp(what, "extents") == 0)
			cmd_extents(parse_num(arg, "inode"));
		else if (strcmp(what, "path") == 0)
			cmd_inode(lookup_path(arg));
		else if (strcmp(what, "journal") == 0)
			cmd_journal();
		else
			usage();
	}
	efsu_close(&dev);
	return status;
}
