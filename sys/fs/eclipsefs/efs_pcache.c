/*
 * eclipsefs: the page cache of a mapped file (vop_mmap).
 *
 * A file's data lives in the buffer cache, which faults cannot use (they
 * run under vm_lock, a spin lock, and cannot read the disk).  So the
 * first mmap(2) of a file gives it a page cache: efs_mmap creates its
 * v_object and reads the whole file into it (holes stay holes: no page),
 * and from then on, for as long as the vnode lives, the object is the
 * file's data:
 *
 *	read	copies from the pages (vm_object_read);
 *	write	copies into the page, then the whole page into the block's
 *		buffer (efs_pc_wblock), so the disk is as current as
 *		without mmap;
 *	mapping	a shared mapping is the object itself, a private one is
 *		copy-on-write over it;
 *	flush	stores through shared mappings reach the blocks at fsync,
 *		fdatasync, msync(MS_SYNC) (vm_msync calls vop_fsync), sync,
 *		remount read-only and the last reference (efs_inactive):
 *		efs_pc_flush compares every resident page with its block
 *		and writes those that differ.  The VM does not track dirty
 *		pages, so this is the only way to find them: its cost is a
 *		read of each resident block (from the buffer cache when it
 *		is there) per flush.  A page in a hole is written only when
 *		it is not all zeros (a block is allocated for it then), so
 *		holes stay holes after a read fault.
 *	size	truncation and growth resize the object (efs_pc_resize);
 *		bytes past the end of the file in its last page read as
 *		zeros again and are never written to the disk.
 *
 * EFS_BLOCK_SIZE is PAGE_SIZE: page idx is logical block idx.  A file
 * needing more than a quarter of the free memory is refused (ENOMEM,
 * with a log line).  The mtime is not changed by stores through a
 * mapping (no write fault reaches the filesystem), and SEEK_HOLE looks
 * at the extent map, not at pages stored into holes since the last
 * flush.
 *
 * Locking: v_object is set once, under v_iolock and em_lock, and stays
 * until the vnode is freed (efs_inactive releases it).  Everything here
 * runs under em_lock, which orders it against write and truncation (each
 * changes the block map and the pages under it); read copies pages
 * under v_iolock only, as the VFS serializes it against truncation.
 */
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_object.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include "efs_vfs.h"

_Static_assert(EFS_BLOCK_SIZE == PAGE_SIZE, "a page per block");

#define EFS_SECTOR(b)	((uint64_t)(b) * EFS_SECTORS_PER_BLOCK)
/* Blocks a flush writes per journal operation. */
#define EFS_PC_OPBLOCKS	256

static uint64_t
efs_pc_npages(uint64_t size)
{
	return (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* Bytes of page idx that are inside a file of size bytes. */
static size_t
efs_pc_valid(uint64_t idx, uint64_t size)
{
	uint64_t start = idx << PAGE_SHIFT;

	if (size <= start)
		return 0;
	return (size_t)MIN(size - start, (uint64_t)PAGE_SIZE);
}

/* Read the data blocks of file n into obj, page by page.  em_lock held. */
static int
efs_pc_fill(struct efs_mount *em, struct efs_node *n, struct vm_object *obj)
{
	struct efs_inode *ip = &n->en_inode;
	uint64_t npages = efs_pc_npages(ip->i_size), idx;
	struct efs_run r = { 0, 0, 0, false };
	size_t valid;
	struct buf *bp;
	paddr_t pa;
	bool hit;
	int error;

	for (idx = 0; idx < npages; idx++) {
		if (!efs_run_has(&r, (uint32_t)idx) &&
		    (error = efs_run_map(em, ip, (uint32_t)idx, &r)) < 0)
			return error;
		if (r.r_pblk == 0)
			continue;
		if ((error = bread_hit(em->em_dev, EFS_SECTOR(r.r_pblk +
		    (idx - r.r_lblk)), EFS_BLOCK_SIZE, &bp, &hit)) < 0)
			return error;
		if (hit)
			em->em_stats.es_cache_hits++;
		else
			em->em_stats.es_blocks_read++;
		if ((error = vm_object_lookup(obj, idx, true, &pa)) < 0) {
			brelse(bp);
			return error;
		}
		valid = efs_pc_valid(idx, ip->i_size);
		memcpy(PHYS_TO_DMAP(pa), bp->b_data, valid);
		brelse(bp);
		vm_page_release(pa);
	}
	return 0;
}

/*
 * vop_mmap: give regular file vp its page cache, the whole file read
 * into a new v_object.  Takes v_iolock and em_lock.  0, -ENOMEM (the
 * file needs more than a quarter of the free memory, or no memory),
 * -EIO, -EUCLEAN.
 */
int
efs_mmap(struct vnode *vp)
{
	struct efs_mount *em = EFS_MNT(vp);
	struct efs_node *n = EFS_NODE(vp);
	struct vm_object *obj;
	uint64_t npages, nfree;
	int error = 0;

	mtx_lock(&vp->v_iolock);
	if (vp->v_object != NULL)
		goto out_io;
	mtx_lock(&em->em_lock);
	npages = efs_pc_npages(n->en_inode.i_size);
	nfree = vm_phys_free_pages();
	if (npages > nfree / 4) {
		efs_log(em, "inode %llu: mmap needs %llu pages of page cache, "
		    "more than a quarter of the %llu free",
		    (unsigned long long)n->en_ino,
		    (unsigned long long)npages, (unsigned long long)nfree);
		error = -ENOMEM;
		goto out;
	}
	if ((obj = vm_object_create(npages, 0)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	if ((error = efs_pc_fill(em, n, obj)) < 0) {
		if (error == -EUCLEAN)
			(void)efs_wend(em, error);
		vm_object_release(obj);
		goto out;
	}
	__atomic_store_n(&vp->v_object, obj, __ATOMIC_RELEASE);
out:
	mtx_unlock(&em->em_lock);
out_io:
	mtx_unlock(&vp->v_iolock);
	return error;
}

/*
 * Write page pa (page idx of a file of size bytes) whole into block
 * pblk's buffer: the bytes past the end of the file as zeros.  em_lock
 * held, inside a changing operation.
 */
static int
efs_pc_wpage(struct efs_mount *em, paddr_t pa, uint64_t idx, uint64_t pblk,
    uint64_t size)
{
	size_t valid = efs_pc_valid(idx, size);
	struct buf *bp;
	int error;

	if ((error = getblk(em->em_dev, EFS_SECTOR(pblk), EFS_BLOCK_SIZE,
	    &bp)) < 0)
		return error;
	memcpy(bp->b_data, PHYS_TO_DMAP(pa), valid);
	memset((char *)bp->b_data + valid, 0, EFS_BLOCK_SIZE - valid);
	bdwrite(bp);
	em->em_stats.es_blocks_written++;
	return 0;
}

/*
 * One block of a write to a file with a page cache: nb bytes of uio at
 * boff into page lblk of obj, then that page whole into the block at
 * pblk (fresh: just allocated, so written even if the copy failed).
 * ip->i_size is the size before this block; bytes past the new end are
 * written as zeros.  em_lock held, efs_wbegin done.  Returns the bytes
 * moved or -errno.
 */
long
efs_pc_wblock(struct efs_mount *em, struct vm_object *obj,
    struct efs_inode *ip, uint32_t lblk, uint64_t pblk, bool fresh,
    size_t boff, size_t nb, struct uio *uio)
{
	paddr_t pa;
	long moved;
	int error = 0;

	if ((error = vm_object_lookup(obj, lblk, true, &pa)) < 0)
		return error;
	moved = uio_move((char *)PHYS_TO_DMAP(pa) + boff, nb, uio);
	if (moved > 0 || fresh)
		error = efs_pc_wpage(em, pa, lblk, pblk,
		    MAX(ip->i_size, (uint64_t)uio->uio_offset));
	vm_page_release(pa);
	return error < 0 ? error : moved;
}

/*
 * A file with page cache obj changes size from osize to nsize (write,
 * truncation): the object follows, and the bytes past the smaller of
 * the two in its last page become zeros (stores through a mapping past
 * the end are not file data).  Growing may fail (-ENOMEM) before
 * anything changed.  em_lock held (and v_iolock, or a write's).
 */
int
efs_pc_resize(struct vm_object *obj, uint64_t osize, uint64_t nsize)
{
	uint64_t edge = MIN(osize, nsize);
	paddr_t pa;
	int error;

	if (nsize > osize && efs_pc_npages(nsize) > efs_pc_npages(osize) &&
	    (error = vm_object_resize(obj, efs_pc_npages(nsize))) < 0)
		return error;
	if ((edge & PAGE_MASK) != 0 && vm_object_lookup(obj,
	    edge >> PAGE_SHIFT, false, &pa) == 0 && pa != 0) {
		memset((char *)PHYS_TO_DMAP(pa) + (edge & PAGE_MASK), 0,
		    PAGE_SIZE - (edge & PAGE_MASK));
		vm_page_release(pa);
	}
	if (nsize < osize)
		(void)vm_object_resize(obj, efs_pc_npages(nsize));
	return 0;
}

static bool
efs_pc_zero(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/*
 * Does page pa (page idx, valid bytes) hold what block pblk holds (0:
 * a hole, which is zeros)?  em_lock held.  1 yes, 0 no, -errno.
 */
static int
efs_pc_same(struct efs_mount *em, paddr_t pa, uint64_t pblk, size_t valid)
{
	struct buf *bp;
	bool hit;
	int error, same;

	if (pblk == 0)
		return efs_pc_zero(PHYS_TO_DMAP(pa), valid);
	if ((error = bread_hit(em->em_dev, EFS_SECTOR(pblk), EFS_BLOCK_SIZE,
	    &bp, &hit)) < 0)
		return error;
	if (hit)
		em->em_stats.es_cache_hits++;
	else
		em->em_stats.es_blocks_read++;
	same = memcmp(bp->b_data, PHYS_TO_DMAP(pa), valid) == 0;
	brelse(bp);
	return same;
}

/*
 * Begin a flush's changing operation.  Not efs_wbegin: a remount to
 * read-only sets MS_RDONLY before it flushes, and pages stored while
 * the mount was writable must still reach the disk then.
 */
static int
efs_pc_begin(struct efs_mount *em)
{
	if (em->em_journal == NULL || em->em_rdonly)
		return -EROFS;
	return 0;
}

/* Page idx of file n (page pa) differs from the disk: write it. */
static int
efs_pc_wback(struct efs_mount *em, struct efs_node *n, struct efs_run *r,
    uint64_t idx, paddr_t pa)
{
	struct efs_inode *ip = &n->en_inode;
	uint64_t pblk;
	uint32_t got;
	int error;

	if (r->r_pblk == 0) {
		if ((error = efs_balloc(&em->em_vol, n->en_ino, ip,
		    (uint32_t)idx, 1, false, &pblk, &got)) < 0)
			return efs_err(em, error);
		r->r_len = 0;		/* the map changed */
	} else {
		pblk = r->r_pblk + (idx - r->r_lblk);
	}
	return efs_pc_wpage(em, pa, idx, pblk, ip->i_size);
}

/*
 * Write back every resident page of file n's page cache that differs
 * from its block (see the comment at the top).  em_lock held; the
 * writes run as journal operations of at most EFS_PC_OPBLOCKS blocks.
 * 0, or -errno (-EROFS: the mount went read-only with pages unwritten).
 */
int
efs_pc_flush(struct efs_mount *em, struct efs_node *n)
{
	struct vm_object *obj = vnode_object(n->en_vnode);
	struct efs_inode *ip = &n->en_inode;
	struct efs_run r = { 0, 0, 0, false };
	uint64_t idx, npages, nw = 0;
	bool begun = false;
	paddr_t pa;
	int error = 0, same = 1;

	if (obj == NULL)
		return 0;
	npages = efs_pc_npages(ip->i_size);
	for (idx = 0; idx < npages && error == 0; idx++) {
		if (vm_object_lookup(obj, idx, false, &pa) < 0 || pa == 0)
			continue;
		if (!efs_run_has(&r, (uint32_t)idx))
			error = efs_run_map(em, ip, (uint32_t)idx, &r);
		if (error == 0) {
			same = efs_pc_same(em, pa, r.r_pblk == 0 ? 0 :
			    r.r_pblk + (idx - r.r_lblk),
			    efs_pc_valid(idx, ip->i_size));
			if (same < 0)
				error = same;
		}
		if (error == 0 && !same && !begun &&
		    (error = efs_pc_begin(em)) == 0)
			begun = true;
		if (error == 0 && !same) {
			error = efs_pc_wback(em, n, &r, idx, pa);
			if (++nw % EFS_PC_OPBLOCKS == 0) {
				error = efs_wend(em, error == 0 ?
				    efs_iupdate(em, n) : error);
				begun = false;
			}
		}
		vm_page_release(pa);
	}
	if (begun)
		error = efs_wend(em, error == 0 ? efs_iupdate(em, n) : error);
	else if (error == -EUCLEAN)
		(void)efs_wend(em, error);
	if (error < 0)
		efs_log(em, "inode %llu: page cache not written back (%d)",
		    (unsigned long long)n->en_ino, error);
	return error;
}

/*
 * Write back the page caches of every file of em in use (sync, remount
 * read-only).  em_lock held.  0 or the first error.
 */
int
efs_pc_sync(struct efs_mount *em)
{
	struct efs_node *en;
	int error = 0, e;
	size_t i;

	for (i = 0; i < EFS_NODE_HASH; i++)
		for (en = em->em_nodes[i]; en != NULL; en = en->en_hnext) {
			if (vnode_object(en->en_vnode) == NULL)
				continue;
			if ((e = efs_pc_flush(em, en)) < 0 && error == 0)
				error = e;
		}
	return error;
}
