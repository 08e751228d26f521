/*
 * fsck.eclipsefs, passes 2 and 3: the directory tree.
 *
 * Pass 2 walks the directories breadth first from the root.  Each is
 * read whole and checked before any of its entries is believed: the
 * header, every bucket the table names (checksum, owner, local depth),
 * the table's consistency with the local depths (a bucket of depth d
 * fills the 2^(D-d) aligned entries sharing its top d bits), and every
 * entry (length, name, its hash recomputed, in its bucket's hash range,
 * in hash order).  A directory that fails is rebuilt from the entries
 * that verify on their own (hash = efs_dir_hash(name)).  Then each entry:
 * an inode out of range, free or damaged loses the entry; a directory
 * named a second time (a hard link to a directory, or a loop) loses the
 * second name; the others count a link, and directories are queued.
 *
 * Pass 3 gives what was not reached a name in /lost+found: the topmost
 * directory of each unreachable subtree (following i_parent, bounded),
 * then files with links but no name; files with neither are freed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>

#include "fsck.h"

/* Entries read from one directory, packed. */
struct dent {
	uint64_t	 d_hash;
	uint64_t	 d_ino;
	uint8_t		 d_type;
	uint8_t		 d_len;
	uint8_t		 d_action;	/* DA_* */
	char		 d_name[EFS_NAME_MAX + 1];
};

#define DA_KEEP		0
#define DA_REMOVE	1
#define DA_RETYPE	2

struct dlist {
	struct dent	*dl_ents;
	size_t		 dl_n;
	size_t		 dl_cap;
};

static uint64_t	*queue;
static size_t	 qhead, qtail, qcap;

static void
enqueue(uint64_t ino)
{
	if (qtail == qcap) {
		qcap = qcap == 0 ? 256 : qcap * 2;
		if ((queue = realloc(queue, qcap * sizeof(*queue))) == NULL)
			fsck_fatal("out of memory");
	}
	queue[qtail++] = ino;
}

static void
dl_add(struct dlist *dl, uint64_t hash, uint64_t ino, int type,
    const char *name, size_t len)
{
	struct dent *d;

	if (dl->dl_n == dl->dl_cap) {
		dl->dl_cap = dl->dl_cap == 0 ? 64 : dl->dl_cap * 2;
		if ((dl->dl_ents = realloc(dl->dl_ents, dl->dl_cap *
		    sizeof(*d))) == NULL)
			fsck_fatal("out of memory");
	}
	d = &dl->dl_ents[dl->dl_n++];
	d->d_hash = hash;
	d->d_ino = ino;
	d->d_type = type;
	d->d_len = len;
	d->d_action = DA_KEEP;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
}

/* A directory's logical block, read; NULL with *why on failure. */
static struct efs_bh *
dir_block(struct efs_inode *dp, uint32_t lblk, uint64_t *pblkp)
{
	struct efs_bh *bh;
	uint64_t pblk;
	uint32_t len;

	if (efs_bmap(fs.fs_vol, dp, lblk, &pblk, &len) < 0 || pblk == 0)
		return NULL;
	if (fsck_bread(pblk, &bh) < 0)
		return NULL;
	if (pblkp != NULL)
		*pblkp = pblk;
	return bh;
}

/*
 * Table block tlblk (a logical block, 1..EFS_DIR_TABLE_BLOCKS) of
 * directory dp, its checksum verified; NULL with why when it is missing
 * or does not verify.
 */
static struct efs_bh *
table_block(struct efs_inode *dp, uint64_t tlblk, char *why, size_t wsz)
{
	struct efs_dir_table *dt;
	struct efs_bh *bh;
	uint64_t pblk;
	uint32_t crc;

	if ((bh = dir_block(dp, tlblk, &pblk)) == NULL) {
		snprintf(why, wsz, "table block %llu missing",
		    (unsigned long long)tlblk);
		return NULL;
	}
	dt = (struct efs_dir_table *)bh->bh_data;
	crc = fsck_block_crc(pblk, bh->bh_data, EFS_BLOCK_SIZE,
	    offsetof(struct efs_dir_table, dt_crc));
	if (crc != dt->dt_crc) {
		snprintf(why, wsz, "table block %llu (block %llu): checksum "
		    "%08x, computed %08x", (unsigned long long)tlblk,
		    (unsigned long long)pblk, dt->dt_crc, crc);
		fsck_brelse(bh);
		return NULL;
	}
	return bh;
}

static bool
name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return false;
	return true;
}

/*
 * Parse the entries of a bucket block (db_used bytes): each must be
 * sound, hash right, sorted.  prefix/depth: the top bits every hash must
 * have (depth 0: any).  strict: stop at the first fault and say why;
 * not strict (salvage): skip what does not verify.  Returns NULL or why.
 */
static const char *
bucket_parse(const uint8_t *data, uint64_t prefix, unsigned depth,
    bool strict, struct dlist *dl, unsigned *countp, char *why, size_t wsz)
{
	const struct efs_dir_bucket *bk = (const void *)data;
	const struct efs_dirent *de;
	uint32_t used = bk->db_used, off = sizeof(*bk);
	uint64_t hash, prev = 0;
	unsigned count = 0;

	if (used > EFS_BLOCK_SIZE - sizeof(*bk)) {
		if (strict) {
			snprintf(why, wsz, "db_used %u past the block", used);
			return why;
		}
		used = EFS_BLOCK_SIZE - sizeof(*bk);
	}
	while (off < sizeof(*bk) + used) {
		de = (const void *)(data + off);
		if (off + EFS_DIRENT_HDR > sizeof(*bk) + used ||
		    de->de_namelen == 0 || off + EFS_DIRENT_LEN(de->de_namelen)
		    > sizeof(*bk) + used) {
			snprintf(why, wsz, "entry at byte %u: bad length", off);
			return strict ? why : NULL;
		}
		off += EFS_DIRENT_LEN(de->de_namelen);
		if (!name_ok(de->de_name, de->de_namelen)) {
			snprintf(why, wsz, "entry at byte %u: bad name",
			    off - EFS_DIRENT_LEN(de->de_namelen));
			if (strict)
				return why;
			continue;
		}
		hash = efs_dir_hash(fs.fs_sb->sb_hash_seed, de->de_name,
		    de->de_namelen);
		if (hash != de->de_hash) {
			snprintf(why, wsz, "entry '%.*s': hash %016llx, the "
			    "name hashes to %016llx", de->de_namelen,
			    de->de_name, (unsigned long long)de->de_hash,
			    (unsigned long long)hash);
			if (strict)
				return why;
			continue;
		}
		if (strict && depth > 0 && (hash >> (63 - depth)) != prefix) {
			snprintf(why, wsz, "entry '%.*s': hash %016llx is "
			    "not this bucket's", de->de_namelen,
			    de->de_name, (unsigned long long)hash);
			return why;
		}
		if (strict && hash <= prev) {
			snprintf(why, wsz, "entry '%.*s': not in hash order",
			    de->de_namelen, de->de_name);
			return why;
		}
		prev = hash;
		count++;
		dl_add(dl, hash, de->de_ino, de->de_type, de->de_name,
		    de->de_namelen);
	}
	if (strict) {
		if (count != bk->db_count) {
			snprintf(why, wsz, "db_count %u, but %u entries",
			    bk->db_count, count);
			return why;
		}
		for (off = sizeof(*bk) + used; off < EFS_BLOCK_SIZE; off++)
			if (data[off] != 0) {
				snprintf(why, wsz, "bytes past db_used are not "
				    "zero");
				return why;
			}
	}
	*countp = count;
	return NULL;
}

/*
 * Read directory ino whole and check its structure; the entries into
 * dl.  Returns NULL when sound, else why (in whybuf).  *hdr_fix: the
 * header's counts are wrong but the rest is sound.
 */
static const char *
dir_read(uint64_t ino, struct efs_inode *dp, struct dlist *dl,
    char *why, size_t wsz, uint64_t *nbuckets)
{
	struct efs_dir_header dh;
	struct efs_dir_bucket *bk;
	struct efs_bh *bh, *tbh = NULL;
	uint64_t pblk, i, nent, span, j, tlblk = 0;
	uint32_t b, nb, crc, d, *tbl;
	const uint32_t per = EFS_DIR_TABLE_PER_BLOCK;
	uint8_t *seen = NULL;
	unsigned count;
	const char *r = NULL;

	*nbuckets = 0;
	if ((bh = dir_block(dp, 0, &pblk)) == NULL) {
		snprintf(why, wsz, "no header block (logical block 0)");
		return why;
	}
	memcpy(&dh, bh->bh_data, sizeof(dh));
	for (i = sizeof(dh); i < EFS_BLOCK_SIZE; i++)
		if (bh->bh_data[i] != 0)
			break;
	fsck_brelse(bh);
	crc = fsck_block_crc(pblk, &dh, sizeof(dh),
	    offsetof(struct efs_dir_header, dh_crc));
	if (i < EFS_BLOCK_SIZE)
		snprintf(why, wsz, "header block %llu: byte %llu, past the "
		    "header, is not zero", (unsigned long long)pblk,
		    (unsigned long long)i);
	else if (crc != dh.dh_crc)
		snprintf(why, wsz, "header (block %llu): checksum %08x, "
		    "computed %08x", (unsigned long long)pblk, dh.dh_crc, crc);
	else if (dh.dh_magic != EFS_DIR_MAGIC)
		snprintf(why, wsz, "header (block %llu): bad magic %08x",
		    (unsigned long long)pblk, dh.dh_magic);
	else if (dh.dh_self != ino)
		snprintf(why, wsz, "header (block %llu): dh_self %llu",
		    (unsigned long long)pblk, (unsigned long long)dh.dh_self);
	else if (dh.dh_depth > EFS_DIR_MAX_DEPTH)
		snprintf(why, wsz, "header: depth %u > %u", dh.dh_depth,
		    EFS_DIR_MAX_DEPTH);
	else if (dh.dh_next_bucket < EFS_DIR_FIRST_BUCKET ||
	    dh.dh_next_bucket - EFS_DIR_FIRST_BUCKET > dp->i_blocks)
		snprintf(why, wsz, "header: dh_next_bucket %u impossible",
		    dh.dh_next_bucket);
	else
		goto table;
	return why;
table:
	d = dh.dh_depth;
	nent = 1ULL << d;
	nb = dh.dh_next_bucket - EFS_DIR_FIRST_BUCKET;
	seen = fsck_calloc(nb, 1);
	for (i = 0; i < nent; i += span) {
		if (tbh == NULL || tlblk != 1 + i / per) {
			if (tbh != NULL)
				fsck_brelse(tbh);
			tlblk = 1 + i / per;
			if ((tbh = table_block(dp, tlblk, why, wsz)) == NULL) {
				r = why;
				goto out;
			}
		}
		tbl = ((struct efs_dir_table *)tbh->bh_data)->dt_bucket;
		b = tbl[i % per];
		if (b < EFS_DIR_FIRST_BUCKET || b >= dh.dh_next_bucket) {
			snprintf(why, wsz, "table entry %llu names block %u, "
			    "not a bucket", (unsigned long long)i, b);
			r = why;
			goto out;
		}
		if (seen[b - EFS_DIR_FIRST_BUCKET]) {
			snprintf(why, wsz, "table entry %llu: bucket %u again "
			    "(not next to its other entries)",
			    (unsigned long long)i, b);
			r = why;
			goto out;
		}
		seen[b - EFS_DIR_FIRST_BUCKET] = 1;
		(*nbuckets)++;
		if ((bh = dir_block(dp, b, &pblk)) == NULL) {
			snprintf(why, wsz, "bucket %u is a hole", b);
			r = why;
			goto out;
		}
		bk = (struct efs_dir_bucket *)bh->bh_data;
		crc = fsck_block_crc(pblk, bh->bh_data, EFS_BLOCK_SIZE,
		    offsetof(struct efs_dir_bucket, db_crc));
		if (crc != bk->db_crc)
			snprintf(why, wsz, "bucket %u (block %llu): checksum "
			    "%08x, computed %08x", b, (unsigned long long)pblk,
			    bk->db_crc, crc);
		else if (bk->db_magic != EFS_BUCKET_MAGIC)
			snprintf(why, wsz, "bucket %u (block %llu): bad magic",
			    b, (unsigned long long)pblk);
		else if (bk->db_self != ino)
			snprintf(why, wsz, "bucket %u (block %llu): db_self "
			    "%llu", b, (unsigned long long)pblk,
			    (unsigned long long)bk->db_self);
		else if (bk->db_depth > d)
			snprintf(why, wsz, "bucket %u: local depth %u > the "
			    "table's %u", b, bk->db_depth, d);
		else if (i % (1ULL << (d - bk->db_depth)) != 0)
			snprintf(why, wsz, "table entry %llu: bucket %u of "
			    "local depth %u is not aligned",
			    (unsigned long long)i, b, bk->db_depth);
		else
			why[0] = '\0';
		if (why[0] != '\0') {
			fsck_brelse(bh);
			r = why;
			goto out;
		}
		span = 1ULL << (d - bk->db_depth);
		r = bucket_parse(bh->bh_data, i >> (d - bk->db_depth),
		    bk->db_depth, true, dl, &count, why, wsz);
		fsck_brelse(bh);
		if (r != NULL) {
			char tmp[32];
			size_t tl;

			tl = (size_t)snprintf(tmp, sizeof(tmp), "bucket %u: ",
			    b);
			if (tl + strlen(why) < wsz) {
				memmove(why + tl, why, strlen(why) + 1);
				memcpy(why, tmp, tl);
			}
			goto out;
		}
		/* The 2^(D-d) entries of this bucket must all name it. */
		for (j = i + 1; j < i + span; j++) {
			if (tlblk != 1 + j / per) {
				fsck_brelse(tbh);
				tlblk = 1 + j / per;
				if ((tbh = table_block(dp, tlblk, why, wsz)) ==
				    NULL) {
					r = why;
					goto out;
				}
			}
			tbl = ((struct efs_dir_table *)tbh->bh_data)->dt_bucket;
			if (tbl[j % per] != b) {
				snprintf(why, wsz, "table entry %llu names %u, "
				    "but bucket %u (local depth %u) covers it",
				    (unsigned long long)j, tbl[j % per], b,
				    bk->db_depth);
				r = why;
				goto out;
			}
		}
	}
	/*
	 * The table's last block: its slots past the table's end are zero
	 * (the library never writes them; the checksum is after them).
	 */
	if (nent % per != 0) {
		if (tbh == NULL || tlblk != 1 + (nent - 1) / per) {
			snprintf(why, wsz, "table block %llu missing",
			    (unsigned long long)(1 + (nent - 1) / per));
			r = why;
			goto out;
		}
		for (i = 4 * (nent % per); i < 4 * per; i++)
			if (tbh->bh_data[i] != 0) {
				snprintf(why, wsz, "table block %llu: byte "
				    "%llu, past the %llu entries, is not zero",
				    (unsigned long long)tlblk,
				    (unsigned long long)i,
				    (unsigned long long)nent);
				r = why;
				goto out;
			}
	}
	if (dh.dh_entries != dl->dl_n) {
		snprintf(why, wsz, "header: dh_entries %llu, but %zu entries",
		    (unsigned long long)dh.dh_entries, dl->dl_n);
		r = why;
	} else if (dh.dh_buckets != *nbuckets) {
		snprintf(why, wsz, "header: dh_buckets %u, but %llu buckets",
		    dh.dh_buckets, (unsigned long long)*nbuckets);
		r = why;
	}
out:
	if (tbh != NULL)
		fsck_brelse(tbh);
	free(seen);
	return r;
}

static int
dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;

	return x->d_hash < y->d_hash ? -1 : x->d_hash > y->d_hash;
}

/*
 * What can be saved of a damaged directory: the entries of every block
 * that looks like one of its buckets whose hash verifies (the checksum
 * of the block aside), one per hash.
 */
static void
dir_salvage(uint64_t ino, struct efs_inode *dp, struct dlist *dl)
{
	struct efs_dir_bucket *bk;
	struct efs_bh *bh;
	uint64_t end = dp->i_size / EFS_BLOCK_SIZE, lblk, pblk;
	unsigned count;
	size_t i, n;
	char why[256];
	uint32_t len;

	dl->dl_n = 0;
	for (lblk = EFS_DIR_FIRST_BUCKET; lblk < end && lblk < (1ULL << 32);
	    lblk++) {
		if (efs_bmap(fs.fs_vol, dp, lblk, &pblk, &len) < 0)
			break;
		if (pblk == 0) {
			if (len == 0)
				break;
			lblk += len - 1;
			continue;
		}
		if (fsck_bread(pblk, &bh) < 0)
			continue;
		bk = (struct efs_dir_bucket *)bh->bh_data;
		if (bk->db_magic == EFS_BUCKET_MAGIC && bk->db_self == ino)
			(void)bucket_parse(bh->bh_data, 0, 0, false, dl,
			    &count, why, sizeof(why));
		fsck_brelse(bh);
	}
	if (dl->dl_n > 1)
		qsort(dl->dl_ents, dl->dl_n, sizeof(*dl->dl_ents), dent_cmp);
	for (i = n = 0; i < dl->dl_n; i++)
		if (n == 0 || dl->dl_ents[n - 1].d_hash !=
		    dl->dl_ents[i].d_hash)
			dl->dl_ents[n++] = dl->dl_ents[i];
	dl->dl_n = n;
}

/* Decide about one entry of directory dino; count what it names. */
static void
entry_check(uint64_t dino, struct dent *d)
{
	struct fsck_ino *fi;
	struct efs_inode ip;

	if (d->d_ino == 0 || d->d_ino > fs.fs_ninodes) {
		if (fsck_problem(FIX_ASK, "directory %llu: entry '%s' names "
		    "inode %llu, out of range (1..%llu): removing it",
		    (unsigned long long)dino, d->d_name,
		    (unsigned long long)d->d_ino,
		    (unsigned long long)fs.fs_ninodes))
			d->d_action = DA_REMOVE;
		return;
	}
	fi = &fs.fs_ii[d->d_ino];
	if (fi->fi_state == IS_CAND) {
		if (!fsck_problem(FIX_PREEN, "inode %llu (entry '%s' in "
		    "directory %llu) is in use but free in the inode bitmap",
		    (unsigned long long)d->d_ino, d->d_name,
		    (unsigned long long)dino))
			return;
		if (inode_read_raw(d->d_ino, &ip) == 0)
			inode_check(d->d_ino, &ip);
	}
	if (fi->fi_state == IS_FREE || fi->fi_state == IS_BAD) {
		if (fsck_problem(FIX_ASK, "directory %llu: entry '%s' names "
		    "%s inode %llu: removing it", (unsigned long long)dino,
		    d->d_name, fi->fi_state == IS_FREE ? "free" :
		    "damaged (cleared)", (unsigned long long)d->d_ino))
			d->d_action = DA_REMOVE;
		return;
	}
	if (d->d_type != fi->fi_type) {
		if (fsck_problem(FIX_ASK, "directory %llu: entry '%s' has "
		    "type %u, but inode %llu is a %s: correcting the type",
		    (unsigned long long)dino, d->d_name, d->d_type,
		    (unsigned long long)d->d_ino, type_name(fi->fi_type))) {
			d->d_action = DA_RETYPE;
			d->d_type = fi->fi_type;
		}
	}
	if (fi->fi_type == DT_DIR) {
		if (d->d_ino == EFS_ROOT_INO || fi->fi_parent != 0) {
			if (fsck_problem(FIX_ASK, "directory %llu: entry '%s' "
			    "names directory %llu, which already has a name "
			    "(in directory %llu): removing this one",
			    (unsigned long long)dino, d->d_name,
			    (unsigned long long)d->d_ino,
			    (unsigned long long)(d->d_ino == EFS_ROOT_INO ?
			    EFS_ROOT_INO : fi->fi_parent)))
				d->d_action = DA_REMOVE;
			return;
		}
		fi->fi_parent = dino;
		fs.fs_ii[dino].fi_subdirs++;
		enqueue(d->d_ino);
	}
	fi->fi_links++;
	fi->fi_flags |= IF_REACHED;
}

/* Give directory ino a fresh structure holding the kept entries of dl. */
static void
dir_rebuild(uint64_t ino, struct efs_inode *dp, struct dlist *dl)
{
	struct dent *d;
	size_t i;
	int error;

	memset(&dp->i_eh, 0, sizeof(dp->i_eh) + sizeof(dp->i_ext));
	dp->i_eh.eh_magic = EFS_EXTENT_MAGIC;
	dp->i_eh.eh_max = EFS_EXTENTS_IN_INODE;
	dp->i_size = 0;
	dp->i_blocks = 0;
	if ((error = efs_dir_init(fs.fs_vol, ino, dp,
	    fs.fs_ii[ino].fi_parent)) < 0) {
		fsck_repair_failed("making the directory anew", error);
		return;
	}
	for (i = 0; i < dl->dl_n; i++) {
		d = &dl->dl_ents[i];
		if (d->d_action == DA_REMOVE)
			continue;
		if ((error = efs_dir_add(fs.fs_vol, ino, dp, d->d_name,
		    d->d_len, d->d_ino, d->d_type)) < 0) {
			fsck_repair_failed("adding an entry back", error);
			break;
		}
	}
	(void)inode_write(ino, dp);
}

/* Check directory ino (reached, its parent known). */
static void
dir_check(uint64_t ino)
{
	struct fsck_ino *fi = &fs.fs_ii[ino];
	struct dlist dl = { 0 };
	struct efs_inode dp;
	struct dent *d;
	uint64_t nbuckets, rmino;
	char why[512];
	const char *bad;
	size_t i;
	int error;

	if (inode_read_raw(ino, &dp) < 0)
		return;
	if (dp.i_parent != fi->fi_parent && fsck_problem(FIX_PREEN,
	    "directory %llu: i_parent (\"..\") %llu, but it is named in "
	    "directory %llu", (unsigned long long)ino,
	    (unsigned long long)dp.i_parent,
	    (unsigned long long)fi->fi_parent)) {
		dp.i_parent = fi->fi_parent;
		if (inode_write(ino, &dp) < 0)
			return;
	}
	bad = dir_read(ino, &dp, &dl, why, sizeof(why), &nbuckets);
	if (bad != NULL) {
		dir_salvage(ino, &dp, &dl);
		if (!fsck_problem(FIX_ASK, "directory %llu: %s: rebuilding it "
		    "from the %zu entries that verify",
		    (unsigned long long)ino, bad, dl.dl_n)) {
			free(dl.dl_ents);
			return;
		}
	}
	for (i = 0; i < dl.dl_n; i++)
		entry_check(ino, &dl.dl_ents[i]);
	if (bad != NULL) {
		dir_rebuild(ino, &dp, &dl);
		free(dl.dl_ents);
		return;
	}
	for (i = 0; i < dl.dl_n; i++) {
		d = &dl.dl_ents[i];
		if (d->d_action == DA_REMOVE)
			error = efs_dir_remove(fs.fs_vol, &dp, d->d_name,
			    d->d_len, &rmino);
		else if (d->d_action == DA_RETYPE)
			error = efs_dir_replace(fs.fs_vol, &dp, d->d_name,
			    d->d_len, d->d_ino, d->d_type);
		else
			continue;
		if (error < 0)
			fsck_repair_failed("editing the directory", error);
		else
			(void)inode_write(ino, &dp);
	}
	free(dl.dl_ents);
}

static void
walk_queue(void)
{
	while (qhead < qtail)
		dir_check(queue[qhead++]);
}

/* A new, empty root directory (the old one was damaged). */
static void
root_make(void)
{
	struct efs_inode ip;
	struct timespec ts;
	int error;

	clock_gettime(CLOCK_REALTIME, &ts);
	inode_clear(EFS_ROOT_INO);
	inode_bitmap_set(EFS_ROOT_INO, true);
	efs_inode_init(&ip, S_IFDIR | 0755, 0, 0, ts.tv_sec, ts.tv_nsec);
	if ((error = efs_dir_init(fs.fs_vol, EFS_ROOT_INO, &ip,
	    EFS_ROOT_INO)) < 0) {
		fsck_repair_failed("making a root directory", error);
		return;
	}
	ip.i_nlink = 2;
	ip.i_parent = EFS_ROOT_INO;
	if (inode_write(EFS_ROOT_INO, &ip) < 0)
		return;
	fs.fs_ii[EFS_ROOT_INO].fi_state = IS_OK;
	fs.fs_ii[EFS_ROOT_INO].fi_type = DT_DIR;
}

/*
 * Pass 2: from the root, every reachable directory.  A root that is not
 * a sound directory is made anew (everything then goes to /lost+found).
 */
void
pass2(void)
{
	struct fsck_ino *root = &fs.fs_ii[EFS_ROOT_INO];

	if (root->fi_state != IS_OK || root->fi_type != DT_DIR) {
		if (!fsck_problem(FIX_ASK, "root directory (inode 1): %s: "
		    "making a new one", root->fi_state != IS_OK ?
		    "damaged or free" : "not a directory"))
			return;
		root_make();
		if (root->fi_state != IS_OK)
			return;
	}
	root->fi_parent = EFS_ROOT_INO;
	root->fi_flags |= IF_REACHED;
	enqueue(EFS_ROOT_INO);
	walk_queue();
}

/* /lost+found: found in the root, or made; 0 when impossible. */
static uint64_t
lostfound(void)
{
	struct efs_inode root, ip;
	struct timespec ts;
	uint64_t ino;
	int type, error;

	static bool failed;

	if (fs.fs_lostfound != 0 || failed)
		return fs.fs_lostfound;
	failed = true;		/* until it is there */
	if (inode_read_raw(EFS_ROOT_INO, &root) < 0)
		return 0;
	if (efs_dir_lookup(fs.fs_vol, &root, "lost+found", 10, &ino,
	    &type) == 0 && ino <= fs.fs_ninodes &&
	    fs.fs_ii[ino].fi_state == IS_OK &&
	    fs.fs_ii[ino].fi_type == DT_DIR) {
		failed = false;
		return fs.fs_lostfound = ino;
	}
	fsck_info("making /lost+found");
	if ((error = efs_inode_alloc(fs.fs_vol, EFS_ROOT_INO, true,
	    &ino)) < 0) {
		fsck_repair_failed("allocating /lost+found", error);
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	efs_inode_init(&ip, S_IFDIR | 0700, 0, 0, ts.tv_sec, ts.tv_nsec);
	if ((error = efs_dir_init(fs.fs_vol, ino, &ip, EFS_ROOT_INO)) < 0) {
		fsck_repair_failed("making /lost+found", error);
		return 0;
	}
	ip.i_nlink = 2;
	ip.i_parent = EFS_ROOT_INO;
	if (inode_write(ino, &ip) < 0)
		return 0;
	if ((error = efs_dir_add(fs.fs_vol, EFS_ROOT_INO, &root,
	    "lost+found", 10, ino, DT_DIR)) < 0) {
		fsck_repair_failed("naming /lost+found", error);
		return 0;
	}
	root.i_nlink++;
	if (inode_write(EFS_ROOT_INO, &root) < 0)
		return 0;
	fs.fs_ii[ino].fi_state = IS_OK;
	fs.fs_ii[ino].fi_type = DT_DIR;
	fs.fs_ii[ino].fi_parent = EFS_ROOT_INO;
	fs.fs_ii[ino].fi_links = 1;
	fs.fs_ii[ino].fi_flags |= IF_REACHED | IF_WALKED;
	fs.fs_ii[EFS_ROOT_INO].fi_subdirs++;
	failed = false;
	return fs.fs_lostfound = ino;
}

/* Name inode ino "#ino" in /lost+found. */
static bool
connect(uint64_t ino)
{
	struct efs_inode lf, ip;
	struct fsck_ino *fi = &fs.fs_ii[ino];
	uint64_t lfino;
	char name[32];
	int error;

	if ((lfino = lostfound()) == 0 || inode_read_raw(lfino, &lf) < 0)
		return false;
	snprintf(name, sizeof(name), "#%llu", (unsigned long long)ino);
	if ((error = efs_dir_add(fs.fs_vol, lfino, &lf, name, strlen(name),
	    ino, fi->fi_type)) < 0) {
		fsck_repair_failed("adding to /lost+found", error);
		return false;
	}
	if (fi->fi_type == DT_DIR)
		lf.i_nlink++;
	(void)inode_write(lfino, &lf);
	fi->fi_links++;
	fi->fi_flags |= IF_REACHED;
	if (fi->fi_type == DT_DIR) {
		fi->fi_parent = lfino;
		fs.fs_ii[lfino].fi_subdirs++;
		if (inode_read_raw(ino, &ip) == 0 && ip.i_parent != lfino) {
			ip.i_parent = lfino;
			(void)inode_write(ino, &ip);
		}
		enqueue(ino);
		walk_queue();
	}
	return true;
}

/*
 * Pass 3: directories the walk did not reach (the topmost of each
 * unreachable subtree, or one of a loop) and then files in use with no
 * name go to /lost+found; files with no name and no link are freed.
 * Orphans are pass 4's.
 */
void
pass3(void)
{
	struct fsck_ino *fi;
	struct efs_inode ip;
	uint64_t ino, p, q, steps;

	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		fi = &fs.fs_ii[ino];
		if (fi->fi_state != IS_OK || fi->fi_type != DT_DIR ||
		    (fi->fi_flags & (IF_REACHED | IF_ORPHAN | IF_LOST)))
			continue;
		/* Up i_parent while it names an unreached directory. */
		for (p = ino, steps = 0; steps < 4096; steps++) {
			if (inode_read_raw(p, &ip) < 0)
				break;
			q = ip.i_parent;
			if (q == 0 || q > fs.fs_ninodes || q == ino ||
			    fs.fs_ii[q].fi_state != IS_OK ||
			    fs.fs_ii[q].fi_type != DT_DIR ||
			    (fs.fs_ii[q].fi_flags & (IF_REACHED | IF_ORPHAN |
			    IF_LOST)))
				break;
			p = q;
		}
		if (!fsck_problem(FIX_ASK, "directory %llu is not reachable "
		    "from the root: naming it /lost+found/#%llu",
		    (unsigned long long)p, (unsigned long long)p) ||
		    !connect(p)) {
			fs.fs_ii[p].fi_flags |= IF_LOST;
			continue;
		}
		if (p != ino)
			ino--;		/* again, now that p's tree is in */
	}
	for (ino = 1; ino <= fs.fs_ninodes; ino++) {
		fi = &fs.fs_ii[ino];
		if (fi->fi_state != IS_OK ||
		    (fi->fi_flags & (IF_REACHED | IF_ORPHAN)))
			continue;
		if (inode_read_raw(ino, &ip) < 0)
			continue;
		if (ip.i_nlink == 0) {
			if (fsck_problem(FIX_PREEN, "inode %llu (a %s): no "
			    "name, no link, not an orphan: freeing it",
			    (unsigned long long)ino, type_name(fi->fi_type)))
				inode_clear(ino);
			continue;
		}
		if (!fsck_problem(FIX_ASK, "inode %llu (a %s of %llu bytes, "
		    "link count %u) has no name: naming it /lost+found/#%llu",
		    (unsigned long long)ino, type_name(fi->fi_type),
		    (unsigned long long)ip.i_size, ip.i_nlink,
		    (unsigned long long)ino) || !connect(ino))
			fi->fi_flags |= IF_LOST;
	}
}
