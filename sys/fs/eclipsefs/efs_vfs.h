/*
 * eclipsefs in the kernel, the VFS side: what efs_vfsops.c (mounting,
 * statfs, sync, damage), efs_vnops.c (names and attributes) and
 * efs_rw.c (file data) share.
 *
 * One struct efs_mount per mounted filesystem, one struct efs_node per
 * inode in use, each with its vnode, made together and freed together
 * with the last reference (efs_inactive).  em_nodes, a table from inode
 * number to node, makes sure an inode has one vnode: every lookup goes
 * through it under em_lock, and the last reference is dropped under the
 * same lock (vnode_lastref), so a lookup never finds a node being freed.
 *
 *	struct mount --mnt_data--> efs_mount --em_vol--> libeclipsefs
 *	                            | em_nodes[ino % N]   (efs_kern_ops:
 *	                            v                      buffer cache +
 *	                        efs_node --en_vnode--> vnode  journal)
 *	                          en_inode: the inode, as the library sees it
 *
 * en_inode is the inode itself for the library: every change goes to
 * the copy and is written back (efs_iupdate, which dirties the inode
 * table block into the running transaction) before the operation ends;
 * nobody reads an inode in use from the disk (efs_iget's callers go
 * through em_nodes first).
 *
 * An operation that changes anything runs, under em_lock, between
 * efs_wbegin() (refuses it on a read-only or damaged mount) and
 * efs_wend() (damage handling, then efs_journal_op_end).  A file
 * unlinked while open, or made by O_TMPFILE, stays on the orphan list
 * (sb_orphan_head, i_orphan_next) until efs_inactive frees it; a mount
 * frees those a power cut left there.
 *
 * Locks protecting members of these structs:
 *	I	immutable after mount (or node creation)
 *	e	em_lock of the mount
 *	L	efs_mounts_lock
 * Lock order: v_iolock (the VFS's), efs_mounts_lock, em_lock, then the
 * journal's and the buffer cache's.  mount_lock may be held around
 * em_lock (sync) but is never taken under it: damage makes a mount
 * read-only with an atomic or into mnt_flags.
 */
#ifndef _FS_ECLIPSEFS_EFS_VFS_H_
#define _FS_ECLIPSEFS_EFS_VFS_H_

#include <sys/mutex.h>
#include <sys/types.h>
#include <sys/vnode.h>

#include "efs_kern.h"

#define EFS_SUPER_MAGIC		0x45434653	/* statfs f_type: "ECFS" */
#define EFS_NODE_HASH		256
#define EFS_LINK_MAX		65000		/* i_nlink limit (EMLINK) */
/* Logical blocks are 32-bit: the last byte a file may hold + 1. */
#define EFS_MAXFILE		((off_t)0xffffffffULL << EFS_BLOCK_SHIFT)
/* A write or a truncation commits at least every this many bytes. */
#define EFS_CHUNK		(1024 * 1024)
#define EFS_TRUNC_STEP		32768		/* blocks freed per step */

struct efs_node {
	struct efs_node	*en_hnext;	/* [e] em_nodes chain */
	struct vnode	*en_vnode;	/* [I] */
	uint64_t	 en_ino;	/* [I] */
	struct efs_inode en_inode;	/* [e] the inode (see above) */
	bool		 en_linkable;	/* [e] O_TMPFILE: may get a name */
};

struct efs_mount {
	struct mutex	 em_lock;
	struct efs_vol	 em_vol;	/* [e] the library's volume */
	struct efs_kvol	 em_kv;		/* [I] its ops' argument */
	struct efs_stats em_stats;	/* [e] */
	struct efs_group *em_groups;	/* [e] em_vol.vl_groups */
	size_t		 em_ngroups;	/* [I] */
	struct efs_journal *em_journal;	/* [e] NULL: read-only */
	struct mount	*em_mp;		/* [I] */
	uint32_t	 em_dev;	/* [I] the block device */
	char		 em_name[16];	/* [I] its name, "vda2" */
	int		 em_errors;	/* [I] EFS_ERRORS_* */
	bool		 em_rdonly;	/* [e] refuse every change */
	bool		 em_damaged;	/* [e] damage was reported */
	bool		 em_damage_done; /* [e] ... and handled */
	struct efs_node	*em_nodes[EFS_NODE_HASH]; /* [e] by inode number */
	struct efs_mount *em_next;	/* [L] efs_mounts */
};

#define EFS_MNT(vp)	((struct efs_mount *)(vp)->v_mount->mnt_data)
#define EFS_NODE(vp)	((struct efs_node *)(vp)->v_data)

/* efs_vfsops.c */
extern const struct vfsops efs_vfsops;
/* Mount block device dev as mp with options data (mount(2), ktests). */
int	efs_mount_dev(struct mount *mp, uint32_t dev, const char *data);
/* Log a line about mount em: "eclipsefs vda2: ...". */
void	efs_log(struct efs_mount *em, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* May em change now?  0 or -EROFS.  em_lock held. */
int	efs_wbegin(struct efs_mount *em);
/* The end of a changing operation that returns error.  em_lock held. */
int	efs_wend(struct efs_mount *em, int error);
/* Note a library error: -EUCLEAN marks em damaged.  Returns error. */
int	efs_err(struct efs_mount *em, int error);
/*
 * After an operation failed with -ENOSPC (efs_wend done): commit and
 * checkpoint so that the blocks freed since are allocatable; 1 when some
 * were (retry the operation once), else 0 or -errno.  em_lock held.
 */
int	efs_reclaim(struct efs_mount *em);

/* efs_vnops.c */
extern const struct vnodeops efs_vnops;
/*
 * The vnode of inode ino, referenced: the node in use, or a new one
 * read from the disk.  em_lock held.  0, -EUCLEAN (a damaged or free
 * inode), -EIO, -ENOMEM.
 */
int	efs_vget(struct efs_mount *em, uint64_t ino, struct vnode **vpp);
/* The node of inode ino if it is in use, else NULL.  em_lock held. */
struct efs_node *efs_node_lookup(struct efs_mount *em, uint64_t ino);
/* Write node en's inode back (into the transaction).  em_lock held. */
int	efs_iupdate(struct efs_mount *em, struct efs_node *en);
/*
 * Free the blocks and the inode of a file with no name left (nlink 0),
 * and take it off the orphan list.  ip is its inode (a node's or a
 * copy).  em_lock held; commits between steps.
 */
int	efs_ifree(struct efs_mount *em, uint64_t ino, struct efs_inode *ip);
/* Take ino off the orphan list; -ENOENT when it is not on it. */
int	efs_orphan_del(struct efs_mount *em, uint64_t ino,
	    struct efs_inode *ip);

/* A run of a file's blocks mapped consecutively (or a hole: pblk 0). */
struct efs_run {
	uint32_t	 r_lblk;
	uint32_t	 r_len;		/* 0: no run yet */
	uint64_t	 r_pblk;
	bool		 r_fresh;	/* allocated by this write */
};

static inline bool
efs_run_has(const struct efs_run *r, uint32_t lblk)
{
	return r->r_len != 0 && lblk >= r->r_lblk &&
	    lblk - r->r_lblk < r->r_len;
}

/* efs_rw.c */
/*
 * Map file block lblk of inode *ip into *r (checked against the
 * device's size: -EUCLEAN past it).  em_lock held.
 */
int	efs_run_map(struct efs_mount *em, struct efs_inode *ip, uint32_t lblk,
	    struct efs_run *r);
long	efs_read(struct vnode *vp, struct uio *uio);
long	efs_write(struct vnode *vp, struct uio *uio, int ioflag);
/*
 * Set a regular file's size to size: blocks past it freed in steps
 * (committing between them), the tail of its last block zeroed.
 * em_lock held.  0 or -errno.
 */
int	efs_truncate(struct efs_mount *em, struct efs_node *en, off_t size);
/*
 * Free every block of inode ino (*ip, written back after each step) at
 * or past lblk, in steps of EFS_TRUNC_STEP blocks from the end with a
 * journal op_end between them; i_size follows each step down.
 */
int	efs_trunc_blocks(struct efs_mount *em, uint64_t ino,
	    struct efs_inode *ip, uint32_t lblk);
/* SEEK_DATA / SEEK_HOLE from offset (vop_seekhole). */
off_t	efs_seekhole(struct vnode *vp, off_t offset, bool data);

/* efs_pcache.c: the page cache of a mapped file (see there). */
struct vm_object;
/* vop_mmap: give vp its v_object.  Takes v_iolock, em_lock. */
int	efs_mmap(struct vnode *vp);
/*
 * One block of a write through page cache obj: uio into the page, the
 * page into block pblk.  em_lock held, efs_wbegin done.  Bytes moved.
 */
long	efs_pc_wblock(struct efs_mount *em, struct vm_object *obj,
	    struct efs_inode *ip, uint32_t lblk, uint64_t pblk, bool fresh,
	    size_t boff, size_t nb, struct uio *uio);
/* The file's size goes from osize to nsize: obj follows.  em_lock. */
int	efs_pc_resize(struct vm_object *obj, uint64_t osize, uint64_t nsize);
/* Write back node n's pages that differ from the disk.  em_lock held. */
int	efs_pc_flush(struct efs_mount *em, struct efs_node *n);
/* efs_pc_flush every node of em that has a page cache.  em_lock held. */
int	efs_pc_sync(struct efs_mount *em);

#endif /* _FS_ECLIPSEFS_EFS_VFS_H_ */
