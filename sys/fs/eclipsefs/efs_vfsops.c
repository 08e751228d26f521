/*
 * eclipsefs: mounting, unmounting, statfs, sync and what happens when
 * damage is found (struct vfsops; efs_vfs.h has the structures).
 *
 * mount(2)'s source is a block device node (/dev/vda2); its options:
 *	ro, rw		read-only (also MS_RDONLY) or read-write
 *	errors=remount-ro	damage makes the mount read-only (default,
 *			unless the superblock's sb_errors says continue)
 *	errors=continue	damage is logged and marked, the mount goes on
 *	errors=panic	refused: nothing on a disk may panic the kernel
 * A read-write mount replays the journal (efs_journal_start), frees the
 * files the orphan list holds, and marks the superblock not clean; a
 * clean unmount commits, checkpoints, and writes the superblock with
 * EFS_STATE_CLEAN to block 0 and the backup.  A read-only mount of a
 * filesystem whose journal holds transactions replays them first (as
 * Linux does) unless the device itself is read-only: then it is refused.
 */
#include <sys/abi/stat.h>
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/procfs/procfs.h>

#include "efs_vfs.h"

/* Every eclipsefs mount: one per device, and /proc/fs/eclipsefs. */
static struct mutex efs_mounts_lock = MUTEX_INIT("efs_mounts");
static struct efs_mount *efs_mounts;		/* [L] */

/*
 * Log a line about mount em, prefixed "eclipsefs <device>: ".  Any
 * context that may print.
 */
void
efs_log(struct efs_mount *em, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("eclipsefs %s: %s\n", em->em_name, buf);
}

/* kv_damaged: the journal's vo_error found damage (em_lock held). */
static void
efs_damaged(void *arg)
{
	struct efs_mount *em = arg;

	em->em_damaged = true;
}

/*
 * Handle the damage found during an operation, once: mark the
 * superblock EFS_STATE_ERROR and commit it, then, with
 * errors=remount-ro, refuse every further change (the mount becomes
 * MS_RDONLY).  em_lock held.
 */
static void
efs_damage(struct efs_mount *em)
{
	struct efs_vol *v = &em->em_vol;

	em->em_damage_done = true;
	efs_log(em, "damage found: run fsck.eclipsefs");
	if (em->em_journal != NULL && !em->em_rdonly) {
		v->vl_sb.sb_state |= EFS_STATE_ERROR;
		if (efs_super_write(v, false) < 0 ||
		    efs_journal_commit(em->em_journal) < 0)
			efs_log(em, "could not record the error state");
	}
	if (em->em_errors == EFS_ERRORS_CONTINUE) {
		efs_log(em, "errors=continue: going on");
		return;
	}
	if (!em->em_rdonly) {
		em->em_rdonly = true;
		v->vl_rdonly = true;
		__atomic_fetch_or(&em->em_mp->mnt_flags, MS_RDONLY,
		    __ATOMIC_RELEASE);
		efs_log(em, "remounted read-only (errors=remount-ro)");
	}
}

/*
 * Note error, which a library call returned: -EUCLEAN (corruption)
 * marks the mount damaged (the library has logged why).  Returns error.
 * em_lock held.
 */
int
efs_err(struct efs_mount *em, int error)
{
	if (error == -EUCLEAN)
		em->em_damaged = true;
	return error;
}

/*
 * May mount em change now?  0, or -EROFS on a read-only mount (by
 * mount, by remount or by damage).  em_lock held.
 */
int
efs_wbegin(struct efs_mount *em)
{
	KASSERT(mtx_owned(&em->em_lock), "efs_wbegin: em_lock");
	if (em->em_journal == NULL || em->em_rdonly ||
	    (__atomic_load_n(&em->em_mp->mnt_flags, __ATOMIC_ACQUIRE) &
	    MS_RDONLY))
		return -EROFS;
	return 0;
}

/*
 * The end of an operation that may have changed something and returns
 * error: damage is handled, then the journal hears that the operation
 * is complete (it may commit).  Returns error, or the journal's when
 * the operation succeeded but its commit failed.  em_lock held.
 */
int
efs_wend(struct efs_mount *em, int error)
{
	int jerr;

	KASSERT(mtx_owned(&em->em_lock), "efs_wend: em_lock");
	(void)efs_err(em, error);
	if (em->em_damaged && !em->em_damage_done)
		efs_damage(em);
	if (em->em_journal != NULL) {
		jerr = efs_journal_op_end(em->em_journal);
		if (jerr < 0) {
			efs_log(em, "journal: error %d at the end of an "
			    "operation", jerr);
			if (error >= 0)
				error = jerr;
		}
	}
	return error;
}

/*
 * After an operation that failed with -ENOSPC, its efs_wend done: make
 * the blocks freed since the journal's last checkpoint allocatable
 * (efs_journal_reclaim: commit, checkpoint).  Returns 1 when some were
 * quarantined, so the operation is worth one more try; 0 when none were
 * or the mount may not change; -errno when the journal failed (handled
 * as at any operation's end).  em_lock held.
 */
int
efs_reclaim(struct efs_mount *em)
{
	int error;

	KASSERT(mtx_owned(&em->em_lock), "efs_reclaim: em_lock");
	if (efs_wbegin(em) < 0)
		return 0;
	if ((error = efs_journal_reclaim(em->em_journal)) < 0 &&
	    error != -EROFS) {
		efs_log(em, "journal: reclaiming freed blocks failed (%d)",
		    error);
		(void)efs_wend(em, error);
	}
	return error;
}

/* One option of the comma-separated string into *rdonly, *errors. */
static int
efs_option(const char *opt, size_t len, bool *rdonly, int *errors)
{
#define OPT(s)	(len == sizeof(s) - 1 && memcmp(opt, s, len) == 0)
	if (OPT("ro"))
		*rdonly = true;
	else if (OPT("rw"))
		*rdonly = false;
	else if (OPT("errors=remount-ro"))
		*errors = EFS_ERRORS_REMOUNT_RO;
	else if (OPT("errors=continue"))
		*errors = EFS_ERRORS_CONTINUE;
	else if (OPT("defaults") || OPT("relatime") || OPT("noatime") ||
	    OPT("atime"))
		return 0;
	else if (OPT("errors=panic")) {
		kprintf("eclipsefs: errors=panic refused: damage on a disk "
		    "never panics the kernel (use remount-ro or continue)\n");
		return -EINVAL;
	} else {
		kprintf("eclipsefs: unknown mount option \"%.*s\"\n",
		    (int)len, opt);
		return -EINVAL;
	}
	return 0;
#undef OPT
}

static int
efs_options(const char *data, bool *rdonly, int *errors)
{
	const char *p = data, *end;
	int error;

	while (p != NULL && *p != '\0') {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if (end > p && (error = efs_option(p, (size_t)(end - p),
		    rdonly, errors)) < 0)
			return error;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* The device number of block device node source (a path). */
static int
efs_source_dev(const char *source, uint32_t *devp)
{
	struct vnode *vp;
	int error;

	if ((error = vfs_kern_lookup(source, &vp)) < 0) {
		kprintf("eclipsefs: %s: cannot find the device (%d)\n",
		    source, error);
		return error;
	}
	if (vp->v_type != VBLK) {
		kprintf("eclipsefs: %s: not a block device\n", source);
		vrele(vp);
		return -ENOTBLK;
	}
	*devp = vp->v_rdev;
	vrele(vp);
	return 0;
}

/* Claim dev for em in efs_mounts: -EBUSY when it is mounted already. */
static int
efs_mounts_add(struct efs_mount *em)
{
	struct efs_mount *o;

	mtx_lock(&efs_mounts_lock);
	for (o = efs_mounts; o != NULL; o = o->em_next) {
		if (o->em_dev == em->em_dev) {
			mtx_unlock(&efs_mounts_lock);
			efs_log(em, "already mounted");
			return -EBUSY;
		}
	}
	em->em_next = efs_mounts;
	efs_mounts = em;
	mtx_unlock(&efs_mounts_lock);
	return 0;
}

static void
efs_mounts_del(struct efs_mount *em)
{
	struct efs_mount **pp;

	mtx_lock(&efs_mounts_lock);
	for (pp = &efs_mounts; *pp != NULL; pp = &(*pp)->em_next) {
		if (*pp == em) {
			*pp = em->em_next;
			break;
		}
	}
	mtx_unlock(&efs_mounts_lock);
}

/*
 * /proc/fs/eclipsefs/<device>/stats (fs/procfs/procfs.h): the instances
 * are the mounts, by device number.  Take efs_mounts_lock (and em_lock
 * under it: the lock order).
 */
static int
efs_pfs_next(int after, char *buf, size_t len)
{
	struct efs_mount *em, *best = NULL;
	int id = -ENOENT;

	mtx_lock(&efs_mounts_lock);
	for (em = efs_mounts; em != NULL; em = em->em_next)
		if ((int)em->em_dev > after && (best == NULL ||
		    em->em_dev < best->em_dev))
			best = em;
	if (best != NULL) {
		strlcpy(buf, best->em_name, len);
		id = (int)best->em_dev;
	}
	mtx_unlock(&efs_mounts_lock);
	return id;
}

static int
efs_pfs_find(const char *name, size_t len)
{
	struct efs_mount *em;
	int id = -ENOENT;

	mtx_lock(&efs_mounts_lock);
	for (em = efs_mounts; em != NULL; em = em->em_next)
		if (strlen(em->em_name) == len &&
		    memcmp(em->em_name, name, len) == 0)
			id = (int)em->em_dev;
	mtx_unlock(&efs_mounts_lock);
	return id;
}

static int
efs_pfs_stats(struct pfsbuf *sb, int id, int tid)
{
	struct efs_mount *em;
	struct efs_stats st;
	bool found = false;

	(void)tid;
	mtx_lock(&efs_mounts_lock);
	for (em = efs_mounts; em != NULL; em = em->em_next) {
		if ((int)em->em_dev == id) {
			mtx_lock(&em->em_lock);
			st = em->em_stats;
			mtx_unlock(&em->em_lock);
			found = true;
			break;
		}
	}
	mtx_unlock(&efs_mounts_lock);
	if (!found)
		return -ENOENT;
	pfs_printf(sb, "blocks_read %llu\n",
	    (unsigned long long)st.es_blocks_read);
	pfs_printf(sb, "blocks_written %llu\n",
	    (unsigned long long)st.es_blocks_written);
	pfs_printf(sb, "cache_hits %llu\n",
	    (unsigned long long)st.es_cache_hits);
	pfs_printf(sb, "commits %llu\n", (unsigned long long)st.es_commits);
	pfs_printf(sb, "commit_blocks %llu\n",
	    (unsigned long long)st.es_commit_blocks);
	pfs_printf(sb, "checkpoints %llu\n",
	    (unsigned long long)st.es_checkpoints);
	pfs_printf(sb, "replayed %llu\n", (unsigned long long)st.es_replayed);
	pfs_printf(sb, "errors %llu\n", (unsigned long long)st.es_errors);
	return 0;
}

static const struct pfsgen efs_pfs_files[] = {
	{ "stats", 0444, efs_pfs_stats, NULL },
	{ NULL, 0, NULL, NULL },
};

const struct pfs_fstype efs_pfs_fstype = {
	.pt_name = "eclipsefs",
	.pt_next = efs_pfs_next,
	.pt_find = efs_pfs_find,
	.pt_files = efs_pfs_files,
};

/*
 * Read block 0 and check it (before the library's efs_vol_open, which
 * needs the group count to be allocated first).  Every refusal is
 * logged with its reason.  *ngroupsp, *rw_okp.  em_lock held.
 */
static int
efs_check_super(struct efs_mount *em, uint64_t dev_blocks,
    size_t *ngroupsp, bool *rw_okp)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_super sb;
	struct efs_bh *bh;
	const char *why = "?";
	int error;

	if ((error = v->vl_ops->vo_read(v, 0, &bh)) < 0) {
		efs_log(em, "cannot read the superblock (%d)", error);
		return error;
	}
	memcpy(&sb, bh->bh_data, sizeof(sb));
	v->vl_ops->vo_release(v, bh);
	*rw_okp = true;
	if ((error = efs_super_check(&sb, dev_blocks, rw_okp, &why)) <
	    0) {
		efs_log(em, "refused: %s", why);
		return error == -EUCLEAN || error == -EINVAL ? error :
		    -EINVAL;
	}
	*ngroupsp = efs_vol_ngroups(&sb);
	if (*ngroupsp == 0 || *ngroupsp > dev_blocks) {
		efs_log(em, "refused: %zu groups", *ngroupsp);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * Is the journal empty (js_start 0)?  1, 0, or -errno.  A journal whose
 * superblock does not verify counts as not empty: efs_journal_start
 * will refuse it with its reason.
 */
static int
efs_journal_empty(struct efs_mount *em)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_jsuper js;
	struct efs_bh *bh;
	int error;

	if (!(v->vl_sb.sb_feature_incompat & EFS_FEATURE_INCOMPAT_JOURNAL) ||
	    v->vl_sb.sb_journal_blocks == 0)
		return 1;
	if ((error = v->vl_ops->vo_read(v, v->vl_sb.sb_journal_start,
	    &bh)) < 0)
		return error;
	memcpy(&js, bh->bh_data, sizeof(js));
	v->vl_ops->vo_release(v, bh);
	return js.js_magic == EFS_JSUPER_MAGIC && js.js_start == 0;
}

/*
 * Free the files a power cut left on the orphan list (unlinked while
 * open), but those still open here (a remount read-write: their last
 * reference frees them).  At most sb_inode_count of them: a longer list
 * is a loop.  em_lock held, the journal running.
 */
static int
efs_orphans(struct efs_mount *em)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_inode ino;
	struct efs_node *en;
	uint64_t n = 0, freed = 0, cur, next;
	int error;

	for (cur = v->vl_sb.sb_orphan_head; cur != 0; cur = next) {
		if (++n > v->vl_sb.sb_inode_count || cur >
		    v->vl_sb.sb_inode_count) {
			efs_log(em, "orphan list: bad inode %llu or a loop",
			    (unsigned long long)cur);
			return efs_err(em, -EUCLEAN);
		}
		if ((en = efs_node_lookup(em, cur)) != NULL) {
			next = en->en_inode.i_orphan_next;
			continue;
		}
		if ((error = efs_inode_read(v, cur, &ino)) < 0) {
			efs_log(em, "orphan %llu: cannot read (%d)",
			    (unsigned long long)cur, error);
			return efs_err(em, error);
		}
		next = ino.i_orphan_next;
		if (ino.i_nlink != 0) {
			/* Named again after all: just off the list. */
			efs_log(em, "orphan %llu has %u links: kept",
			    (unsigned long long)cur, ino.i_nlink);
			error = efs_orphan_del(em, cur, &ino);
			if (error == 0)
				error = efs_err(em, efs_inode_write(v, cur,
				    &ino));
		} else {
			error = efs_ifree(em, cur, &ino);
			freed++;
		}
		if ((error = efs_wend(em, error)) < 0)
			return error;
	}
	if (freed > 0)
		efs_log(em, "freed %llu orphan inode(s)",
		    (unsigned long long)freed);
	return 0;
}

/*
 * Start writing (a read-write mount, or a remount read-write): the
 * journal replayed and started, the superblock and groups read again
 * (the replay may have rewritten them).  em_lock held, em_vol open.
 */
static int
efs_start_rw(struct efs_mount *em, uint64_t dev_blocks)
{
	struct efs_vol *v = &em->em_vol;
	struct efs_journal *j;
	int error;

	v->vl_rdonly = false;
	if ((error = efs_journal_start(v, &j)) < 0) {
		v->vl_rdonly = true;
		efs_log(em, "refused: the journal does not replay (%d)",
		    error);
		return error;
	}
	if ((error = efs_vol_open(v, dev_blocks, em->em_groups,
	    em->em_ngroups)) < 0 || efs_vol_ngroups(&v->vl_sb) !=
	    em->em_ngroups) {
		efs_log(em, "refused: damaged after the journal's replay (%d)",
		    error);
		(void)efs_journal_stop(j);
		v->vl_rdonly = true;
		return error < 0 ? error : -EUCLEAN;
	}
	if (em->em_stats.es_replayed > 0)
		efs_log(em, "journal: %llu transaction(s) replayed",
		    (unsigned long long)em->em_stats.es_replayed);
	em->em_journal = j;
	return 0;
}

/*
 * Stop writing (unmount, remount read-only): the superblock marked clean
 * (unless damage was found) with its backup, the journal committed,
 * checkpointed and stopped, the disk flushed.  em_lock held.
 */
static int
efs_stop_rw(struct efs_mount *em)
{
	struct efs_vol *v = &em->em_vol;
	int error = 0, e;

	if (em->em_journal == NULL)
		return 0;
	if (!em->em_damage_done) {
		v->vl_sb.sb_state |= EFS_STATE_CLEAN;
		if ((error = efs_super_write(v, true)) < 0)
			efs_log(em, "superblock not written (%d)", error);
	}
	if ((e = efs_journal_stop(em->em_journal)) < 0) {
		efs_log(em, "journal: stop failed (%d)", e);
		error = error < 0 ? error : e;
	}
	em->em_journal = NULL;
	if ((e = buf_flush_dev(em->em_dev)) < 0) {
		efs_log(em, "flush failed (%d)", e);
		error = error < 0 ? error : e;
	}
	em->em_rdonly = true;
	v->vl_rdonly = true;
	return error;
}

/*
 * Open the volume (em_vol set up): check the superblock, read the
 * group descriptors, replay and start the journal (or only replay it for
 * a read-only mount with a journal to replay).  em_lock held.
 */
static int
efs_mount_vol(struct efs_mount *em, uint64_t dev_blocks, bool rdonly,
    bool dev_rdonly)
{
	struct efs_vol *v = &em->em_vol;
	bool rw_ok;
	size_t ngroups;
	int error, empty;

	if ((error = efs_check_super(em, dev_blocks, &ngroups,
	    &rw_ok)) < 0)
		return error;
	if (!rw_ok && !rdonly) {
		efs_log(em, "unknown read-only-compatible features: only a "
		    "read-only mount is possible");
		return -EROFS;
	}
	if ((em->em_groups = kmalloc(ngroups * sizeof(struct efs_group),
	    M_ZERO)) == NULL)
		return -ENOMEM;
	em->em_ngroups = ngroups;
	if ((error = efs_vol_open(v, dev_blocks, em->em_groups, ngroups)) <
	    0) {
		efs_log(em, "refused: the superblock or a group descriptor "
		    "is damaged (%d)", error);
		return error;
	}
	v->vl_rdonly = true;
	if ((empty = efs_journal_empty(em)) < 0) {
		efs_log(em, "cannot read the journal (%d)", empty);
		return empty;
	}
	if (rdonly && !empty && dev_rdonly) {
		efs_log(em, "refused: the journal needs a replay and the "
		    "device is read-only");
		return -EROFS;
	}
	if (!rdonly || !empty) {
		if ((error = efs_start_rw(em, dev_blocks)) < 0)
			return error;
		if (rdonly) {
			/* Replayed for a read-only mount: stop at once. */
			v->vl_rdonly = true;
			error = efs_journal_stop(em->em_journal);
			em->em_journal = NULL;
			if (error < 0)
				return error;
		}
	}
	return 0;
}

/* Mark the superblock in use (not clean), counted.  em_lock held. */
static int
efs_mount_stamp(struct efs_mount *em)
{
	struct efs_vol *v = &em->em_vol;
	struct l_timespec now = vfs_now();

	if (v->vl_sb.sb_state & EFS_STATE_ERROR)
		efs_log(em, "warning: the filesystem has errors: run "
		    "fsck.eclipsefs");
	if (em->em_journal == NULL)
		return 0;
	if (!(v->vl_sb.sb_state & EFS_STATE_CLEAN))
		efs_log(em, "was not unmounted cleanly");
	v->vl_sb.sb_state &= ~(uint32_t)EFS_STATE_CLEAN;
	v->vl_sb.sb_mount_time = (uint64_t)now.tv_sec * 1000000000ULL +
	    (uint64_t)now.tv_nsec;
	v->vl_sb.sb_mount_count++;
	return efs_wend(em, efs_super_write(v, false));
}

static void
efs_mount_undo(struct efs_mount *em)
{
	if (em->em_journal != NULL)
		(void)efs_journal_stop(em->em_journal);
	kfree(em->em_groups);
}

/*
 * Mount the eclipsefs on block device dev (MKDEV) as mp, with the option
 * string data (see the top of this file; MS_RDONLY in mp->mnt_flags
 * counts as "ro").  mount(2) comes here once it has the device's number;
 * the ktests call it directly (they run before the tree has a root).
 * Returns 0 with mp's mnt_root (referenced), mnt_data and mnt_dev set,
 * or a negative errno, logged.
 */
int
efs_mount_dev(struct mount *mp, uint32_t dev, const char *data)
{
	struct efs_mount *em;
	struct blkdev_info bi;
	struct blkdev *bd;
	struct vnode *root = NULL;
	bool rdonly = (mp->mnt_flags & MS_RDONLY) != 0;
	int errors = 0, error;

	if ((error = efs_options(data, &rdonly, &errors)) < 0)
		return error;
	if ((bd = blkdev_lookup(dev)) == NULL) {
		kprintf("eclipsefs: no block device %u:%u\n", MAJOR(dev),
		    MINOR(dev));
		return -ENXIO;
	}
	blkdev_info(bd, &bi);
	if ((em = kmalloc(sizeof(*em), M_ZERO)) == NULL)
		return -ENOMEM;
	mtx_init(&em->em_lock, "efs_mount");
	strlcpy(em->em_name, bi.bi_name, sizeof(em->em_name));
	em->em_dev = dev;
	em->em_mp = mp;
	if (bi.bi_secsize == 0 || bi.bi_secsize > EFS_BLOCK_SIZE ||
	    EFS_BLOCK_SIZE % bi.bi_secsize != 0) {
		efs_log(em, "refused: sector size %u", bi.bi_secsize);
		kfree(em);
		return -EINVAL;
	}
	if (bi.bi_rdonly && !rdonly) {
		efs_log(em, "the device is read-only: mount it with -o ro");
		kfree(em);
		return -EROFS;
	}
	if ((error = efs_mounts_add(em)) < 0) {
		kfree(em);
		return error;
	}
	em->em_kv.kv_dev = dev;
	em->em_kv.kv_stats = &em->em_stats;
	em->em_kv.kv_lock = &em->em_lock;
	em->em_kv.kv_damaged = efs_damaged;
	em->em_kv.kv_damaged_arg = em;
	em->em_vol.vl_ops = &efs_kern_ops;
	em->em_vol.vl_arg = &em->em_kv;
	mp->mnt_data = em;

	mtx_lock(&em->em_lock);
	error = efs_mount_vol(em, bi.bi_nsectors / EFS_SECTORS_PER_BLOCK,
	    rdonly, bi.bi_rdonly);
	if (error < 0)
		goto fail;
	em->em_errors = errors != 0 ? errors :
	    em->em_vol.vl_sb.sb_errors == EFS_ERRORS_CONTINUE ?
	    EFS_ERRORS_CONTINUE : EFS_ERRORS_REMOUNT_RO;
	em->em_rdonly = rdonly;
	em->em_vol.vl_rdonly = rdonly;
	if (!rdonly && (error = efs_orphans(em)) < 0)
		goto fail;
	if ((error = efs_vget(em, em->em_vol.vl_sb.sb_root_ino, &root)) <
	    0) {
		efs_log(em, "refused: cannot read the root directory (%d)",
		    error);
		goto fail;
	}
	if (root->v_type != VDIR) {
		efs_log(em, "refused: the root is not a directory");
		error = -EUCLEAN;
		goto fail;
	}
	if ((error = efs_mount_stamp(em)) < 0)
		goto fail;
	mtx_unlock(&em->em_lock);
	mp->mnt_root = root;
	mp->mnt_dev = dev;
	efs_log(em, "mounted %s, %llu blocks, %u groups", rdonly ?
	    "read-only" : "read-write",
	    (unsigned long long)em->em_vol.vl_sb.sb_block_count,
	    em->em_vol.vl_sb.sb_group_count);
	return 0;
fail:
	mtx_unlock(&em->em_lock);
	if (root != NULL)
		vrele(root);
	mtx_lock(&em->em_lock);
	efs_mount_undo(em);
	mtx_unlock(&em->em_lock);
	efs_mounts_del(em);
	mp->mnt_data = NULL;
	kfree(em);
	return error;
}

static int
efs_mount(struct mount *mp, const char *source, const char *data)
{
	uint32_t dev;
	int error;

	if ((error = efs_source_dev(source, &dev)) < 0)
		return error;
	return efs_mount_dev(mp, dev, data);
}

/*
 * A clean unmount: nothing uses the mount any more (every node went
 * with its last reference).  Commit, write the superblock clean (with
 * its backup), checkpoint and stop the journal.
 */
static void
efs_unmount(struct mount *mp)
{
	struct efs_mount *em = mp->mnt_data;
	int error, i;

	mtx_lock(&em->em_lock);
	for (i = 0; i < EFS_NODE_HASH; i++)
		KASSERT(em->em_nodes[i] == NULL, "efs_unmount: node in use");
	if ((error = efs_stop_rw(em)) < 0)
		efs_log(em, "unmount: not clean (%d)", error);
	efs_log(em, "unmounted");
	kfree(em->em_groups);
	mtx_unlock(&em->em_lock);
	efs_mounts_del(em);
	kfree(em);
}

static int
efs_statfs(struct mount *mp, struct l_statfs *sf)
{
	struct efs_mount *em = mp->mnt_data;
	struct efs_super *sb = &em->em_vol.vl_sb;
	uint64_t fb = 0, fi = 0;
	size_t g;

	mtx_lock(&em->em_lock);
	/*
	 * The groups' counts are right at once: a free clears its bits in
	 * its own transaction.  Blocks freed since the journal's last
	 * checkpoint count as free though the allocator still skips them
	 * (quarantined, efs_journal.c); a write that finds only those gets
	 * them after one commit and checkpoint (efs_reclaim).
	 */
	for (g = 0; g < em->em_ngroups; g++) {
		fb += em->em_groups[g].bg_free_blocks;
		fi += em->em_groups[g].bg_free_inodes;
	}
	sf->f_type = EFS_SUPER_MAGIC;
	sf->f_bsize = EFS_BLOCK_SIZE;
	sf->f_frsize = EFS_BLOCK_SIZE;
	sf->f_blocks = (int64_t)sb->sb_block_count;
	sf->f_bfree = sf->f_bavail = (int64_t)fb;
	sf->f_files = (int64_t)sb->sb_inode_count;
	sf->f_ffree = (int64_t)fi;
	sf->f_namelen = EFS_NAME_MAX;
	memcpy(&sf->f_fsid[0], &sb->sb_uuid[0], 4);
	memcpy(&sf->f_fsid[1], &sb->sb_uuid[4], 4);
	mtx_unlock(&em->em_lock);
	return 0;
}

/*
 * mount -o remount: going read-only stops the journal and leaves the
 * filesystem clean, as an unmount does (the VFS already refuses new
 * writers); going read-write starts it again, unless damage was found
 * (fsck first) or the device is read-only.
 */
static int
efs_remount(struct mount *mp, int flags)
{
	struct efs_mount *em = mp->mnt_data;
	struct blkdev_info bi;
	struct blkdev *bd;
	int error = 0;

	mtx_lock(&em->em_lock);
	if ((flags & MS_RDONLY) && em->em_journal != NULL) {
		/* Stores through mappings made while it was writable. */
		if ((error = efs_pc_sync(em)) == 0 &&
		    (error = efs_stop_rw(em)) == 0)
			efs_log(em, "remounted read-only");
	} else if (!(flags & MS_RDONLY) && em->em_journal == NULL) {
		if (em->em_damage_done) {
			efs_log(em, "damaged: run fsck.eclipsefs before "
			    "mounting it read-write");
			error = -EROFS;
			goto out;
		}
		if ((bd = blkdev_lookup(em->em_dev)) == NULL) {
			error = -ENXIO;
			goto out;
		}
		blkdev_info(bd, &bi);
		if (bi.bi_rdonly) {
			efs_log(em, "the device is read-only");
			error = -EROFS;
			goto out;
		}
		if ((error = efs_start_rw(em, bi.bi_nsectors /
		    EFS_SECTORS_PER_BLOCK)) < 0)
			goto out;
		em->em_rdonly = false;
		if ((error = efs_orphans(em)) < 0 ||
		    (error = efs_mount_stamp(em)) < 0) {
			(void)efs_stop_rw(em);
			goto out;
		}
		efs_log(em, "remounted read-write");
	}
out:
	mtx_unlock(&em->em_lock);
	return error;
}

/*
 * sync(2), syncfs(2): write back the page caches of mapped files, commit
 * the running transaction, flush the disk.
 */
static int
efs_sync(struct mount *mp)
{
	struct efs_mount *em = mp->mnt_data;
	int error, perr;

	mtx_lock(&em->em_lock);
	perr = efs_pc_sync(em);
	if (em->em_journal != NULL)
		error = efs_journal_commit(em->em_journal);
	else
		error = buf_flush_dev(em->em_dev);
	mtx_unlock(&em->em_lock);
	return perr < 0 ? perr : error;
}

const struct vfsops efs_vfsops = {
	.vfs_name = "eclipsefs",
	.vfs_mount = efs_mount,
	.vfs_unmount = efs_unmount,
	.vfs_statfs = efs_statfs,
	.vfs_sync = efs_sync,
	.vfs_remount = efs_remount,
};
