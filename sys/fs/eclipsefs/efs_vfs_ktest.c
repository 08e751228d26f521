/*
 * ktests of eclipsefs's VFS side (efs_vfsops.c, efs_vnops.c, efs_rw.c)
 * on a memory disk: formatted by efs_mkfs through direct block
 * operations, mounted with efs_mount_dev (the ktests run before the
 * tree has a root, so there is no /dev path to give mount(2)), and used
 * through the vnode operations the VFS would call.  The disk (a "kte"
 * test disk, 16 MiB) is made once and kept; every test formats it again.
 *
 * A power cut is modelled by copying the disk's bytes (every write the
 * memory disk took is "durable") after an fsync, going on, and putting
 * the copy back: what a reboot after a cut at the fsync would find.
 */
#include <sys/abi/stat.h>
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "efs_ktest.h"
#include "efs_vfs.h"

#define KTE_BLOCKS	4096		/* 16 MiB */
#define KTE_SIZE	((size_t)KTE_BLOCKS * EFS_BLOCK_SIZE)
#define KTE_CHUNK	(2U << 20)	/* kmalloc's pieces of the disk */
#define KTE_NCHUNK	(KTE_SIZE / KTE_CHUNK)

struct kte_disk {
	struct disk	 kd_disk;
	struct spinlock	 kd_lock;
	uint8_t		*kd_mem[KTE_NCHUNK];
};

static struct kte_disk *kte;

/* The disk's byte at off (a run up to the end of its chunk). */
static uint8_t *
kte_at(size_t off)
{
	return kte->kd_mem[off / KTE_CHUNK] + off % KTE_CHUNK;
}

/* Copy the disk to or from an image of chunks. */
static void
kte_copy(uint8_t **img, bool save)
{
	size_t i;

	spin_lock(&kte->kd_lock);
	for (i = 0; i < KTE_NCHUNK; i++)
		memcpy(save ? img[i] : kte->kd_mem[i],
		    save ? kte->kd_mem[i] : img[i], KTE_CHUNK);
	spin_unlock(&kte->kd_lock);
}

static int
kte_strategy(struct disk *dp, struct bio *bp)
{
	struct kte_disk *kd = dp->d_softc;
	size_t off = (size_t)bp->bio_sector * DEV_BSIZE, done, n;
	uint8_t *p;

	bp->bio_error = 0;
	spin_lock(&kd->kd_lock);
	for (done = 0; done < bp->bio_len; done += n) {
		n = MIN(bp->bio_len - done, KTE_CHUNK - (off + done) %
		    KTE_CHUNK);
		p = kd->kd_mem[(off + done) / KTE_CHUNK] + (off + done) %
		    KTE_CHUNK;
		if (bp->bio_cmd == BIO_READ)
			memcpy((char *)bp->bio_data + done, p, n);
		else if (bp->bio_cmd == BIO_WRITE)
			memcpy(p, (char *)bp->bio_data + done, n);
	}
	spin_unlock(&kd->kd_lock);
	bio_done(bp);
	return 0;
}

static bool
kte_get(void)
{
	struct kte_disk *kd;
	size_t i;

	if (kte != NULL)
		return true;
	if ((kd = kmalloc(sizeof(*kd), M_ZERO)) == NULL)
		return false;
	for (i = 0; i < KTE_NCHUNK; i++)
		if ((kd->kd_mem[i] = kmalloc(KTE_CHUNK, M_ZERO)) == NULL)
			return false;
	spin_init(&kd->kd_lock, "ktefs");
	if (disk_ktest_attach(&kd->kd_disk, "kte", KTE_SIZE / DEV_BSIZE,
	    kte_strategy, kd) < 0)
		return false;
	kte = kd;
	return true;
}

/* The disk changed under the cache: drop its blocks. */
static void
kte_uncache(void)
{
	buf_invalidate_range(kte->kd_disk.d_dev, 0, KTE_SIZE / DEV_BSIZE);
}

/* Block b of the disk, for efs_ktest_mkfs (a chunk holds whole blocks). */
static uint8_t *
kte_block(void *arg, uint64_t blkno)
{
	(void)arg;
	return kte_at(blkno * EFS_BLOCK_SIZE);
}

/* A fresh filesystem on the disk: 0 or -errno. */
static int
kte_mkfs(void)
{
	struct efs_ktest_fmt km = {
		.km_block = kte_block,
		.km_blocks = KTE_BLOCKS,
		.km_uuid0 = 0x90,
		.km_hash_seed = 0x5eed,
	};
	int error;
	size_t i;

	if (!kte_get())
		return -ENOMEM;
	for (i = 0; i < KTE_NCHUNK; i++)
		memset(kte->kd_mem[i], 0, KTE_CHUNK);
	error = efs_ktest_mkfs(&km);
	kte_uncache();
	return error;
}

static int
kt_mount(const char *opts, int flags, struct mount **mpp)
{
	struct mount *mp;
	int error;

	if ((mp = kmalloc(sizeof(*mp), M_ZERO)) == NULL)
		return -ENOMEM;
	mp->mnt_ops = &efs_vfsops;
	mp->mnt_flags = flags;
	strlcpy(mp->mnt_source, "kte", sizeof(mp->mnt_source));
	if ((error = efs_mount_dev(mp, kte->kd_disk.d_dev, opts)) < 0) {
		kfree(mp);
		return error;
	}
	*mpp = mp;
	return 0;
}

/* Unmount as the VFS frees a mount: the root's reference, then it. */
static void
kt_umount(struct mount *mp)
{
	mp->mnt_detached = true;
	mp->mnt_finishing = true;
	vrele(mp->mnt_root);
	efs_vfsops.vfs_unmount(mp);
	kfree(mp);
}

static int
kt_make(struct vnode *dvp, const char *name, enum vtype type,
    struct vnode **vpp)
{
	struct vattr va;

	memset(&va, 0, sizeof(va));
	va.va_type = type;
	va.va_mode = type == VDIR ? 0755 : 0644;
	return dvp->v_ops->vop_create(dvp, name, strlen(name), &va, vpp);
}

static int
kt_lookup(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	return dvp->v_ops->vop_lookup(dvp, name, strlen(name), vpp);
}

static long
kt_io(struct vnode *vp, void *buf, size_t len, off_t off, bool wr)
{
	struct l_iovec iov;
	struct uio uio;
	long n;

	uio_init_kernel(&uio, &iov, buf, len, off, wr);
	mtx_lock(&vp->v_iolock);
	n = wr ? vp->v_ops->vop_write(vp, &uio, 0) :
	    vp->v_ops->vop_read(vp, &uio);
	mtx_unlock(&vp->v_iolock);
	return n;
}

static int
kt_truncate(struct vnode *vp, off_t size)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_size = size;
	mtx_lock(&vp->v_iolock);
	error = vp->v_ops->vop_setattr(vp, &va, VA_SIZE);
	mtx_unlock(&vp->v_iolock);
	return error;
}

static int
kt_remove(struct vnode *dvp, const char *name, bool rmdir)
{
	struct vnode *vp;
	int error;

	if ((error = kt_lookup(dvp, name, &vp)) < 0)
		return error;
	error = dvp->v_ops->vop_remove(dvp, name, strlen(name), vp, rmdir);
	vrele(vp);
	return error;
}

static int
kt_rename(struct vnode *fdvp, const char *f, struct vnode *tdvp,
    const char *t, unsigned int flags)
{
	struct vnode *fvp;
	int error;

	if ((error = kt_lookup(fdvp, f, &fvp)) < 0)
		return error;
	error = fdvp->v_ops->vop_rename(fdvp, f, strlen(f), fvp, tdvp, t,
	    strlen(t), flags);
	vrele(fvp);
	return error;
}

static uint64_t
kt_ino(struct vnode *vp)
{
	struct vattr va;

	return vn_getattr(vp, &va) == 0 ? va.va_ino : 0;
}

/* readdir: names counted, each name's first byte and length summed. */
struct kt_dir {
	unsigned	 kd_n;
	unsigned	 kd_dots;
	uint8_t		*kd_seen;	/* by the name's number, or NULL */
	unsigned	 kd_nseen;
	bool		 kd_dup;
};

static int
kt_fill(void *arg, const char *name, size_t len, uint64_t ino, int dtype,
    off_t next)
{
	struct kt_dir *d = arg;
	unsigned i = 0;
	size_t k;

	(void)ino, (void)dtype, (void)next;
	d->kd_n++;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' &&
	    name[1] == '.')) {
		d->kd_dots++;
		return 0;
	}
	if (d->kd_seen == NULL)
		return 0;
	for (k = 1; k < len; k++)
		i = i * 10 + (unsigned)(name[k] - '0');
	if (i < d->kd_nseen) {
		if (d->kd_seen[i])
			d->kd_dup = true;
		d->kd_seen[i] = 1;
	}
	return 0;
}

/* Read a directory whole, in several calls as getdents would. */
static int
kt_readdir(struct vnode *vp, struct kt_dir *d)
{
	off_t pos = 0;
	int error, i;

	for (i = 0; i < 100000; i++) {
		off_t before = pos;

		if ((error = vp->v_ops->vop_readdir(vp, &pos, kt_fill, d)) <
		    0)
			return error;
		if (pos == before)
			return 0;
	}
	return -ELOOP;
}

KTEST(efs_vfs_files)
{
	struct vnode *root, *a, *d, *f, *s, *l, *o, *x;
	struct mount *mp;
	struct l_statfs sf;
	struct vattr va;
	char *buf, lt[300], rl[400];
	uint64_t free0, ino;
	long n;
	int i;

	KT_ASSERT(kte_mkfs() == 0);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	free0 = (uint64_t)sf.f_bfree;
	KT_ASSERT(sf.f_blocks > 0 && free0 > 0 && sf.f_ffree > 0);
	buf = kmalloc(4 * EFS_BLOCK_SIZE, M_ZERO);
	KT_ASSERT(buf != NULL);
	for (i = 0; i < 3 * EFS_BLOCK_SIZE; i++)
		buf[i] = (char)(i * 7 + 1);

	/* Data, a hole, read back, SEEK_DATA/SEEK_HOLE, truncation. */
	KT_ASSERT(kt_make(root, "a", VREG, &a) == 0);
	KT_ASSERT(kt_make(root, "a", VREG, &x) == -EEXIST);
	KT_ASSERT(kt_io(a, buf, 10000, 0, true) == 10000);
	KT_ASSERT(kt_io(a, buf, 4096, 5 << 20, true) == 4096);
	KT_ASSERT(vn_getattr(a, &va) == 0);
	KT_ASSERT(va.va_size == (5 << 20) + 4096);
	KT_ASSERT(va.va_blocks >= 4 * 8 && va.va_blocks <= 6 * 8);
	memset(buf + 8192, 0x55, 4096);
	KT_ASSERT(kt_io(a, buf + 8192, 4096, 3 << 20, false) == 4096);
	for (i = 0; i < 4096; i++)
		KT_ASSERT(buf[8192 + i] == 0);
	KT_ASSERT(kt_io(a, buf + 8192, 4096, 8192, false) == 4096);
	for (i = 0; i < 10000 - 8192; i++)
		KT_ASSERT(buf[8192 + i] == (char)((8192 + i) * 7 + 1));
	for (; i < 4096; i++)
		KT_ASSERT(buf[8192 + i] == 0);
	KT_ASSERT(a->v_ops->vop_seekhole(a, 0, false) == 12288);
	KT_ASSERT(a->v_ops->vop_seekhole(a, 12288, true) == 5 << 20);
	KT_ASSERT(a->v_ops->vop_seekhole(a, (5 << 20) + 10, true) ==
	    (5 << 20) + 10);
	KT_ASSERT(a->v_ops->vop_seekhole(a, (5 << 20) + 10, false) ==
	    (5 << 20) + 4096);
	KT_ASSERT(a->v_ops->vop_seekhole(a, 6 << 20, true) == -ENXIO);
	KT_ASSERT(kt_truncate(a, 5000) == 0);
	KT_ASSERT(kt_truncate(a, 8192) == 0);
	KT_ASSERT(kt_io(a, buf + 8192, 8192, 0, false) == 8192);
	for (i = 0; i < 5000; i++)
		KT_ASSERT(buf[8192 + i] == (char)(i * 7 + 1));
	for (; i < 8192; i++)
		KT_ASSERT(buf[8192 + i] == 0);
	KT_ASSERT(vn_getattr(a, &va) == 0 && va.va_blocks == 2 * 8);

	/* Directories, devices, links, symbolic links, rename. */
	KT_ASSERT(kt_make(root, "d", VDIR, &d) == 0);
	KT_ASSERT(kt_make(d, "sub", VDIR, &x) == 0);
	vrele(x);
	KT_ASSERT(vn_getattr(d, &va) == 0 && va.va_nlink == 3);
	KT_ASSERT(kt_make(d, "f", VFIFO, &f) == 0);
	KT_ASSERT(f->v_type == VFIFO);
	vrele(f);
	memset(&va, 0, sizeof(va));
	va.va_type = VCHR;
	va.va_mode = 0600;
	va.va_rdev = MKDEV(1, 3);
	KT_ASSERT(root->v_ops->vop_create(root, "null", 4, &va, &x) == 0);
	KT_ASSERT(x->v_rdev == MKDEV(1, 3));
	vrele(x);
	KT_ASSERT(root->v_ops->vop_symlink(root, "s", 1, &va, "a", &s) == 0);
	memset(lt, 'x', sizeof(lt) - 1);
	lt[sizeof(lt) - 1] = '\0';
	KT_ASSERT(root->v_ops->vop_symlink(root, "l", 1, &va, lt, &l) == 0);
	KT_ASSERT(s->v_ops->vop_readlink(s, rl, sizeof(rl)) == 1 &&
	    rl[0] == 'a');
	KT_ASSERT(l->v_ops->vop_readlink(l, rl, sizeof(rl)) ==
	    (long)sizeof(lt) - 1 && memcmp(rl, lt, sizeof(lt) - 1) == 0);
	vrele(l);
	KT_ASSERT(d->v_ops->vop_link(d, "a2", 2, a) == 0);
	KT_ASSERT(vn_getattr(a, &va) == 0 && va.va_nlink == 2);
	KT_ASSERT(kt_rename(d, "a2", root, "b", 0) == 0);
	KT_ASSERT(kt_lookup(root, "b", &x) == 0 && x == a);
	vrele(x);
	KT_ASSERT(kt_rename(root, "b", root, "s", RENAME_NOREPLACE) ==
	    -EEXIST);
	KT_ASSERT(kt_rename(root, "b", root, "s", RENAME_EXCHANGE) == 0);
	KT_ASSERT(kt_lookup(root, "s", &x) == 0 && x == a);
	vrele(x);
	KT_ASSERT(kt_lookup(root, "b", &x) == 0 && x == s);
	vrele(x);
	vrele(s);
	KT_ASSERT(kt_rename(root, "d", d, "sub2", 0) == -EINVAL);
	KT_ASSERT(kt_rename(root, "d", root, "b", 0) == -ENOTDIR);
	KT_ASSERT(kt_lookup(d, "sub", &x) == 0);
	KT_ASSERT(kt_rename(d, "sub", root, "sub", 0) == 0);
	KT_ASSERT(kt_lookup(x, "..", &f) == 0 && f == root);
	vrele(f);
	vrele(x);
	KT_ASSERT(vn_getattr(d, &va) == 0 && va.va_nlink == 2);
	KT_ASSERT(kt_remove(root, "d", false) == -EISDIR);
	KT_ASSERT(kt_make(d, "g", VREG, &x) == 0);
	vrele(x);
	KT_ASSERT(kt_remove(root, "d", true) == -ENOTEMPTY);
	KT_ASSERT(kt_remove(d, "g", false) == 0);
	KT_ASSERT(kt_remove(d, "f", false) == 0);
	KT_ASSERT(kt_remove(root, "d", true) == 0);
	KT_ASSERT(kt_make(d, "h", VREG, &x) == -ENOENT);
	vrele(d);

	/* Unlinked while open: on the orphan list until the last vrele. */
	KT_ASSERT(kt_make(root, "o", VREG, &o) == 0);
	KT_ASSERT(kt_io(o, buf, 8192, 0, true) == 8192);
	ino = kt_ino(o);
	KT_ASSERT(kt_remove(root, "o", false) == 0);
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == ino);
	KT_ASSERT(kt_io(o, buf + 8192, 8192, 0, false) == 8192);
	KT_ASSERT(memcmp(buf, buf + 8192, 8192) == 0);
	vrele(o);
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == 0);
	mtx_lock(&EFS_MNT(root)->em_lock);
	KT_ASSERT(efs_inode_used(&EFS_MNT(root)->em_vol, ino) == 0);
	mtx_unlock(&EFS_MNT(root)->em_lock);

	/* readdir: ".", "..", a, b, s, l, null, sub. */
	{
		struct kt_dir dd;

		memset(&dd, 0, sizeof(dd));
		KT_ASSERT(kt_readdir(root, &dd) == 0);
		KT_ASSERT(dd.kd_n == 8 && dd.kd_dots == 2);
	}
	/* O_TMPFILE: an orphan until linked, once. */
	memset(&va, 0, sizeof(va));
	va.va_type = VREG;
	va.va_mode = 0600;
	KT_ASSERT(root->v_ops->vop_tmpfile(root, &va, true, &o) == 0);
	ino = kt_ino(o);
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == ino);
	KT_ASSERT(kt_io(o, buf, 100, 0, true) == 100);
	KT_ASSERT(root->v_ops->vop_link(root, "t", 1, o) == 0);
	KT_ASSERT(root->v_ops->vop_link(root, "t2", 2, o) == 0);
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == 0);
	KT_ASSERT(vn_getattr(o, &va) == 0 && va.va_nlink == 2);
	vrele(o);
	KT_ASSERT(kt_remove(root, "t", false) == 0);
	KT_ASSERT(kt_remove(root, "t2", false) == 0);
	KT_ASSERT(root->v_ops->vop_tmpfile(root, &va, false, &o) == 0);
	KT_ASSERT(root->v_ops->vop_link(root, "t", 1, o) == -ENOENT);
	vrele(o);
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == 0);

	KT_ASSERT(root->v_ops->vop_fsync(root) == 0);
	vrele(a);
	kt_umount(mp);

	/* Clean on the disk, and everything there after a new mount. */
	KT_ASSERT(((struct efs_super *)kte_at(0))->sb_state &
	    EFS_STATE_CLEAN);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_lookup(root, "s", &a) == 0 && a->v_type == VREG);
	KT_ASSERT(kt_io(a, buf + 8192, 5000, 0, false) == 5000);
	for (i = 0; i < 5000; i++)
		KT_ASSERT(buf[8192 + i] == (char)(i * 7 + 1));
	KT_ASSERT(vn_getattr(a, &va) == 0 && va.va_size == 8192 &&
	    va.va_nlink == 2);
	n = kt_lookup(root, "b", &s);
	KT_ASSERT(n == 0 && s->v_type == VLNK);
	KT_ASSERT(s->v_ops->vop_readlink(s, rl, sizeof(rl)) == 1);
	vrele(s);
	KT_ASSERT(kt_remove(root, "s", false) == 0);
	vrele(a);
	KT_ASSERT(kt_remove(root, "b", false) == 0);
	KT_ASSERT(kt_remove(root, "l", false) == 0);
	KT_ASSERT(kt_remove(root, "null", false) == 0);
	KT_ASSERT(kt_remove(root, "sub", true) == 0);
	KT_ASSERT(kt_remove(root, "a", false) == 0);
	KT_ASSERT(kt_lookup(root, "a", &x) == -ENOENT);
	/* Everything freed: the free count is back at once... */
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	KT_ASSERT((uint64_t)sf.f_bfree == free0);
	kt_umount(mp);
	/* ... and on the disk. */
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	KT_ASSERT((uint64_t)sf.f_bfree == free0);
	kt_umount(mp);
	kfree(buf);
	return 0;
}

KTEST(efs_vfs_bigdir)
{
	struct vnode *root, *d, *x;
	struct mount *mp;
	struct kt_dir dd;
	char name[16];
	unsigned i, n = 900;	/* the disk has 1024 inodes */

	KT_ASSERT(kte_mkfs() == 0);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_make(root, "big", VDIR, &d) == 0);
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "n%u", i);
		KT_ASSERT(kt_make(d, name, i % 50 ? VREG : VDIR, &x) == 0);
		vrele(x);
	}
	memset(&dd, 0, sizeof(dd));
	dd.kd_seen = kmalloc(n, M_ZERO);
	dd.kd_nseen = n;
	KT_ASSERT(dd.kd_seen != NULL);
	KT_ASSERT(kt_readdir(d, &dd) == 0);
	KT_ASSERT(!dd.kd_dup && dd.kd_n == n + 2);
	for (i = 0; i < n; i++)
		KT_ASSERT(dd.kd_seen[i] == 1);
	kfree(dd.kd_seen);
	for (i = 0; i < n; i += 97) {
		ksnprintf(name, sizeof(name), "n%u", i);
		KT_ASSERT(kt_lookup(d, name, &x) == 0);
		vrele(x);
	}
	KT_ASSERT(kt_remove(root, "big", true) == -ENOTEMPTY);
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "n%u", i);
		KT_ASSERT(kt_remove(d, name, i % 50 == 0) == 0);
	}
	vrele(d);
	KT_ASSERT(kt_remove(root, "big", true) == 0);
	kt_umount(mp);
	return 0;
}

KTEST(efs_vfs_refuse)
{
	struct efs_super *sb;
	struct vnode *x;
	struct mount *mp;
	uint64_t magic;

	KT_ASSERT(kte_mkfs() == 0);
	sb = (struct efs_super *)kte_at(0);
	KT_ASSERT(kt_mount("errors=panic", 0, &mp) == -EINVAL);
	KT_ASSERT(kt_mount("bogus", 0, &mp) == -EINVAL);
	/* Bad magic, bad checksum: refused. */
	magic = sb->sb_magic;
	sb->sb_magic = 0x1234;
	kte_uncache();
	KT_ASSERT(kt_mount(NULL, 0, &mp) < 0);
	sb->sb_magic = magic;
	sb->sb_block_count++;
	kte_uncache();
	KT_ASSERT(kt_mount(NULL, 0, &mp) < 0);
	sb->sb_block_count--;
	/* An unknown incompat feature: refused, even read-only. */
	sb->sb_feature_incompat |= 0x80;
	efs_super_csum(sb);
	kte_uncache();
	KT_ASSERT(kt_mount("ro", 0, &mp) < 0);
	sb->sb_feature_incompat &= ~0x80U;
	efs_super_csum(sb);
	kte_uncache();
	/* Read-only: no changes. */
	KT_ASSERT(kt_mount("ro", 0, &mp) == 0);
	KT_ASSERT(kt_make(mp->mnt_root, "x", VREG, &x) == -EROFS);
	kt_umount(mp);
	KT_ASSERT(kt_mount(NULL, MS_RDONLY, &mp) == 0);
	KT_ASSERT(kt_make(mp->mnt_root, "x", VREG, &x) == -EROFS);
	kt_umount(mp);
	return 0;
}

/*
 * Damage: an inode that fails its checksum gives -EUCLEAN, the mount
 * goes read-only (errors=remount-ro) and the superblock says ERROR.
 */
KTEST(efs_vfs_damage)
{
	struct efs_mount *em;
	struct vnode *root, *x;
	struct mount *mp;
	uint64_t ino, blk;
	uint32_t g, idx;

	KT_ASSERT(kte_mkfs() == 0);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_make(root, "victim", VREG, &x) == 0);
	ino = kt_ino(x);
	vrele(x);
	em = EFS_MNT(root);
	g = (uint32_t)((ino - 1) / em->em_vol.vl_sb.sb_group_inodes);
	idx = (uint32_t)((ino - 1) % em->em_vol.vl_sb.sb_group_inodes);
	blk = em->em_groups[g].bg_inode_table + idx / EFS_INODES_PER_BLOCK;
	kt_umount(mp);
	/* Flip a byte of the inode's mode on the disk. */
	*kte_at(blk * EFS_BLOCK_SIZE + (idx % EFS_INODES_PER_BLOCK) *
	    EFS_INODE_SIZE) ^= 0x40;
	kte_uncache();
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_lookup(root, "victim", &x) == -EUCLEAN);
	KT_ASSERT(mp->mnt_flags & MS_RDONLY);
	KT_ASSERT(kt_make(root, "y", VREG, &x) == -EROFS);
	KT_ASSERT(EFS_MNT(root)->em_stats.es_errors > 0);
	kt_umount(mp);
	KT_ASSERT(((struct efs_super *)kte_at(0))->sb_state &
	    EFS_STATE_ERROR);
	/* errors=continue: logged, marked, but the mount stays writable. */
	KT_ASSERT(kt_mount("errors=continue", 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_lookup(root, "victim", &x) == -EUCLEAN);
	KT_ASSERT(!(mp->mnt_flags & MS_RDONLY));
	KT_ASSERT(kt_make(root, "y", VREG, &x) == 0);
	vrele(x);
	kt_umount(mp);
	return 0;
}

/*
 * A power cut while an unlinked file is open: the next mount replays the
 * journal and frees the orphan.
 */
KTEST(efs_vfs_orphan_cut)
{
	struct vnode *root, *o, *k;
	struct mount *mp;
	uint8_t *snap[KTE_NCHUNK];
	char data[100];
	uint64_t ino;
	size_t i;

	KT_ASSERT(kte_mkfs() == 0);
	for (i = 0; i < KTE_NCHUNK; i++)
		KT_ASSERT((snap[i] = kmalloc(KTE_CHUNK, 0)) != NULL);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(kt_make(root, "keep", VREG, &k) == 0);
	memset(data, 'k', sizeof(data));
	KT_ASSERT(kt_io(k, data, sizeof(data), 0, true) == sizeof(data));
	KT_ASSERT(kt_make(root, "o", VREG, &o) == 0);
	KT_ASSERT(kt_io(o, data, sizeof(data), 0, true) == sizeof(data));
	ino = kt_ino(o);
	KT_ASSERT(kt_remove(root, "o", false) == 0);
	KT_ASSERT(k->v_ops->vop_fsync(k) == 0);
	/* The cut: what the disk holds now. */
	kte_copy(snap, true);
	vrele(o);
	vrele(k);
	kt_umount(mp);
	kte_copy(snap, false);
	for (i = 0; i < KTE_NCHUNK; i++)
		kfree(snap[i]);
	kte_uncache();
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	KT_ASSERT(EFS_MNT(root)->em_vol.vl_sb.sb_orphan_head == 0);
	mtx_lock(&EFS_MNT(root)->em_lock);
	KT_ASSERT(efs_inode_used(&EFS_MNT(root)->em_vol, ino) == 0);
	mtx_unlock(&EFS_MNT(root)->em_lock);
	KT_ASSERT(kt_lookup(root, "keep", &k) == 0);
	memset(data, 0, sizeof(data));
	KT_ASSERT(kt_io(k, data, sizeof(data), 0, false) == sizeof(data));
	KT_ASSERT(data[0] == 'k' && data[99] == 'k');
	vrele(k);
	kt_umount(mp);
	return 0;
}

/*
 * A small file of 64 KiB named name in root, written and fsync'd; its
 * first disk block in *blkp.
 */
static int
kt_small(struct vnode *root, const char *name, char *buf, uint64_t *blkp)
{
	struct efs_mount *em = EFS_MNT(root);
	struct vnode *vp;
	uint32_t len;
	int error;

	if ((error = kt_make(root, name, VREG, &vp)) < 0)
		return error;
	if (kt_io(vp, buf, 65536, 0, true) != 65536 ||
	    vp->v_ops->vop_fsync(vp) < 0)
		error = -EIO;
	mtx_lock(&em->em_lock);
	if (error == 0)
		error = efs_bmap(&em->em_vol, &EFS_NODE(vp)->en_inode, 0, blkp,
		    &len);
	mtx_unlock(&em->em_lock);
	vrele(vp);
	return error;
}

/* Is block b quarantined (freed since the last checkpoint)? */
static bool
kt_quarantined(struct efs_mount *em, uint64_t b)
{
	bool q;

	mtx_lock(&em->em_lock);
	q = em->em_vol.vl_ops->vo_quarantined(&em->em_vol, b) != 0;
	mtx_unlock(&em->em_lock);
	return q;
}

/*
 * A full filesystem: a file removed gives its blocks back at once
 * (statfs), quarantined until the journal's next checkpoint, and a
 * write or a mkdir that finds only them free is not refused: the
 * journal commits and checkpoints (efs_reclaim) and it goes on.
 */
KTEST(efs_vfs_enospc)
{
	struct vnode *root, *big, *d;
	struct efs_mount *em;
	struct mount *mp;
	struct l_statfs sf;
	uint64_t ba, bb, ck;
	off_t off = 0;
	char *buf;
	long n;

	KT_ASSERT(kte_mkfs() == 0);
	KT_ASSERT((buf = kmalloc(65536, 0)) != NULL);
	memset(buf, 0x6b, 65536);
	KT_ASSERT(kt_mount(NULL, 0, &mp) == 0);
	root = mp->mnt_root;
	em = EFS_MNT(root);
	KT_ASSERT(kt_small(root, "a", buf, &ba) == 0);
	KT_ASSERT(kt_small(root, "b", buf, &bb) == 0);
	/* Fill it. */
	KT_ASSERT(kt_make(root, "big", VREG, &big) == 0);
	while ((n = kt_io(big, buf, 65536, off, true)) == 65536)
		off += n;
	KT_ASSERT(n == -ENOSPC || (n >= 0 && n < 65536));
	if (n > 0)
		off += n;
	KT_ASSERT(big->v_ops->vop_fsync(big) == 0);
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	KT_ASSERT(sf.f_bfree == 0);
	kprintf("ktest: efs_vfs_enospc: full after %lld bytes\n",
	    (long long)off);
	/* a's 16 blocks: free at once, quarantined; a mkdir gets them. */
	KT_ASSERT(kt_remove(root, "a", false) == 0);
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	KT_ASSERT(sf.f_bfree == 16);
	KT_ASSERT(kt_quarantined(em, ba));
	ck = em->em_stats.es_checkpoints;
	KT_ASSERT(kt_make(root, "d", VDIR, &d) == 0);
	KT_ASSERT(em->em_stats.es_checkpoints > ck);
	KT_ASSERT(!kt_quarantined(em, ba));
	vrele(d);
	/* b's: a write gets them (all 16 but the directory's). */
	KT_ASSERT(kt_remove(root, "b", false) == 0);
	KT_ASSERT(kt_quarantined(em, bb));
	KT_ASSERT(efs_vfsops.vfs_statfs(mp, &sf) == 0);
	ck = em->em_stats.es_checkpoints;
	n = kt_io(big, buf, (size_t)sf.f_bfree * EFS_BLOCK_SIZE, off, true);
	KT_ASSERT(n == (long)sf.f_bfree * EFS_BLOCK_SIZE);
	KT_ASSERT(em->em_stats.es_checkpoints > ck);
	vrele(big);
	KT_ASSERT(kt_remove(root, "big", false) == 0);
	KT_ASSERT(kt_remove(root, "d", true) == 0);
	kt_umount(mp);
	kfree(buf);
	return 0;
}
