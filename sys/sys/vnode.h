/*
 * The virtual file system (sys/fs/vfs/): vnodes, mounts and path lookup.
 *
 *	struct proc              struct file (f_data, for vnode files)
 *	  p_cwd, p_root --+        |
 *	                  v        v
 *	              struct vnode ----v_ops----> struct vnodeops
 *	                v_mount |                 (tmpfs_vnops, ...)
 *	                        v
 *	              struct mount ---mnt_ops---> struct vfsops
 *	                mnt_root: the root vnode of the filesystem
 *	                mnt_covered: the directory it is mounted on, whose
 *	                v_mountedhere points back
 *	                mnt_lower: for a bind mount, the mount whose files
 *	                it shows
 *
 * A vnode is one file of one mounted filesystem, as the rest of the
 * kernel sees it: a type, a set of operations and the filesystem's own
 * data.  It lives while it has references (vref/vrele): open files, the
 * working and root directories of processes, a lookup in progress, a
 * mount on it.  When the last one goes the filesystem hears of it
 * (vop_inactive) and may free the file (tmpfs frees an unlinked one).
 *
 * Locking: the VFS holds references, the filesystems hold locks.  Every
 * vnode operation is called with references on the vnodes it gets and no
 * lock held, and each filesystem serializes its own metadata (tmpfs: one
 * sleep mutex per mount).  v_iolock serializes reads and writes of a
 * regular file's data and offset against truncation, so O_APPEND writes
 * are atomic.  The mount table and v_mountedhere: mount_lock.
 *
 * namei remembers what vop_lookup found in a name cache (vfs_cache.c):
 * (directory vnode, name) -> vnode, holding a reference on both, which
 * the VFS drops when it removes or renames the name away, and for a whole
 * mount when it unmounts it.  A filesystem that changes its names by
 * itself, not through the VFS calls, must purge them too (ncache_purge).
 *
 * A bind mount (mount(2) MS_BIND, vfs_bind.c) shows a directory or a file
 * of a mounted filesystem at a second place.  Its directories are vnodes
 * of its own, each standing for one of the filesystem's (v_mount is the
 * bind), so that ".." from its root leaves by the mount point and mounts
 * made through it stay in it; every other file found through it is the
 * filesystem's vnode itself, so that its locks, page cache, sockets and
 * writers are one.  A file bound onto a file: mnt_root is that file.
 * Such a file does not tell which mount it was reached through, so the
 * lookup does (namei's nd_mnt) and an open file remembers it (f_mount):
 * a read-only bind (MS_REMOUNT | MS_BIND | MS_RDONLY: mnt_mflags) is
 * checked by the mount of the place, never by the vnode's v_mount
 * (vfs_mount_rdonly), and a file open through a bind holds the bind
 * (vfs_mount_hold), so that umount2 of it is EBUSY as on Linux.
 *
 * Locks protecting members of these structs:
 *	I	immutable after creation
 *	r	vnode_lock (a spin lock; reference counts)
 *	m	mount_lock (a sleep mutex)
 *	f	the filesystem's own lock
 *	l	lease_lock (kern/kern_lease.c, a spin lock; before proc_lock)
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/abi/stat.h>
#include <sys/abi/time.h>
#include <sys/mutex.h>
#include <sys/types.h>

struct file;
struct lease;
struct lockf;
struct mount;
struct proc;
struct uio;
struct vm_object;
struct vnode;

#define NAME_MAX	255	/* a path component, without the NUL */
#define PATH_MAX	4096	/* a whole path, with the NUL */
#define SYMLOOP_MAX	40	/* symbolic links in one lookup (Linux) */

enum vtype { VNON = 0, VREG, VDIR, VLNK, VCHR, VBLK, VFIFO, VSOCK };

/* Linux's device numbers (the new encoding of st_rdev, 12:20 bits). */
#define MKDEV(ma, mi)	((uint32_t)(((ma) << 20) | ((mi) & 0xfffff)))
#define MAJOR(d)	((uint32_t)(d) >> 20)
#define MINOR(d)	((uint32_t)(d) & 0xfffff)
/* ... and as stat and mknod's dev_t spell them (huge_encode_dev). */
#define DEV_ENCODE(d)	((uint64_t)((MINOR(d) & 0xff) | (MAJOR(d) << 8) | \
			    ((uint64_t)(MINOR(d) & ~0xffU) << 12)))
#define DEV_DECODE(u)	MKDEV((uint32_t)(((u) >> 8) & 0xfff), \
			    (uint32_t)(((u) & 0xff) | (((u) >> 12) & 0xfff00)))

/* A file's attributes, as getattr fills them and setattr takes them. */
struct vattr {
	enum vtype	 va_type;
	uint32_t	 va_mode;	/* permission bits, 07777 */
	uint32_t	 va_uid, va_gid;
	uint32_t	 va_nlink;
	uint64_t	 va_ino;
	off_t		 va_size;
	uint64_t	 va_blocks;	/* 512-byte units */
	uint32_t	 va_blksize;
	uint32_t	 va_rdev;	/* MKDEV, for VCHR and VBLK */
	struct l_timespec va_atime, va_mtime, va_ctime, va_btime;
};

/* What setattr changes (its mask). */
#define VA_MODE		0x01
#define VA_UID		0x02
#define VA_GID		0x04
#define VA_SIZE		0x08
#define VA_ATIME	0x10
#define VA_MTIME	0x20
#define VA_CTIME	0x40

/* getdents64's callback: 0 to go on, nonzero when the buffer is full. */
typedef int (*vfs_filldir_t)(void *arg, const char *name, size_t len,
    uint64_t ino, int dtype, off_t next);

/* ioflag of vop_write */
#define IO_APPEND	0x01	/* at the end of the file, whatever uio says */

/*
 * What a filesystem does with its files.  Names are len bytes, not
 * NUL-terminated, never "." (namei handles it) and never empty.  Each
 * returns 0 (or a count) or a negative errno, and a vnode it hands back
 * through vpp carries a reference for the caller.
 */
struct vnodeops {
	/* Find name in directory dvp; ".." is the parent (dvp for a root). */
	int	(*vop_lookup)(struct vnode *dvp, const char *name, size_t len,
		    struct vnode **vpp);
	/* A new file of va->va_type with va's mode, owner and rdev. */
	int	(*vop_create)(struct vnode *dvp, const char *name, size_t len,
		    const struct vattr *va, struct vnode **vpp);
	int	(*vop_symlink)(struct vnode *dvp, const char *name, size_t len,
		    const struct vattr *va, const char *target,
		    struct vnode **vpp);
	/*
	 * A new name for vp (same filesystem; not a directory); -ENOENT
	 * when vp has no name left, but for a linkable O_TMPFILE file.
	 */
	int	(*vop_link)(struct vnode *dvp, const char *name, size_t len,
		    struct vnode *vp);
	/*
	 * Remove name, which namei found to be vp: a directory only with
	 * rmdir (else -EISDIR), an empty one (else -ENOTEMPTY); rmdir of a
	 * non-directory is -ENOTDIR.  -ENOENT when name is no longer vp.
	 */
	int	(*vop_remove)(struct vnode *dvp, const char *name, size_t len,
		    struct vnode *vp, bool rmdir);
	/*
	 * Move fname (vnode fvp) of fdvp to tname of tdvp, both in this
	 * filesystem, with renameat2's flags; the checks of rename(2) that
	 * need the tree (a directory into itself: -EINVAL, a non-empty
	 * target directory: -ENOTEMPTY, type mismatches) are the
	 * filesystem's, under its lock.
	 */
	int	(*vop_rename)(struct vnode *fdvp, const char *fname,
		    size_t flen, struct vnode *fvp, struct vnode *tdvp,
		    const char *tname, size_t tlen, unsigned int flags);
	/* Entries from *pos on ("." and ".." first); *pos advances. */
	int	(*vop_readdir)(struct vnode *vp, off_t *pos,
		    vfs_filldir_t fill, void *arg);
	/* Data of a regular file at uio->uio_offset (v_iolock held). */
	long	(*vop_read)(struct vnode *vp, struct uio *uio);
	long	(*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	int	(*vop_getattr)(struct vnode *vp, struct vattr *va);
	/* Change what mask says (VA_SIZE: v_iolock held). */
	int	(*vop_setattr)(struct vnode *vp, const struct vattr *va,
		    int mask);
	/* The target of a symbolic link into buf; returns its length. */
	long	(*vop_readlink)(struct vnode *vp, char *buf, size_t len);
	/* Write the file's data and metadata to stable storage. */
	int	(*vop_fsync)(struct vnode *vp);
	/* The last reference is gone (vnode_lock not held). */
	void	(*vop_inactive)(struct vnode *vp);
	/*
	 * open(2)'s O_TMPFILE: a new regular file of va in directory dvp
	 * with no name (link count 0), freed with its last reference
	 * unless vop_link gives it one first - which it may only when
	 * linkable (no O_EXCL), and only once.  NULL: -EOPNOTSUPP.
	 */
	int	(*vop_tmpfile)(struct vnode *dvp, const struct vattr *va,
		    bool linkable, struct vnode **vpp);
	/*
	 * Optional: open regular file vp as the filesystem's own kind of
	 * file (mqueue: a message queue's), after open(2)'s permission
	 * checks, in place of O_TRUNC and a vnode file; the caller's
	 * reference on vp goes.  NULL: a vnode file.  For a FIFO, in
	 * place of fifo(7)'s pipe in v_fifo (procfs: the pipe that
	 * /proc/PID/fd/N leads to).
	 */
	int	(*vop_open)(struct vnode *vp, int flags, struct file **fpp);
	/*
	 * Optional, for a symbolic link: a "magic" link (procfs's cwd, exe,
	 * fd/N) that names a vnode, not a path.  namei follows it to that
	 * vnode itself (0, *vpp referenced) instead of looking its text up;
	 * -EINVAL: an ordinary link after all (readlink's text is used).
	 */
	int	(*vop_getlink)(struct vnode *vp, struct vnode **vpp);
	/*
	 * Optional, for a regular file (v_iolock held): lseek(2)'s
	 * SEEK_DATA (data true) or SEEK_HOLE from offset - the first byte
	 * at or after it in data, or in a hole (the end of the file counts
	 * as one); -ENXIO at or past the end.  NULL: the VFS answers from
	 * v_object's pages (or data throughout without one).
	 */
	off_t	(*vop_seekhole)(struct vnode *vp, off_t offset, bool data);
	/*
	 * Optional, for a regular file with no v_object yet: mmap(2) is
	 * about to map it.  The filesystem gives the file a page cache -
	 * sets v_object, under v_iolock, to an object holding the file's
	 * data - which read, write and every mapping share from then on
	 * (eclipsefs).  Called with no lock held; 0 (also when v_object
	 * was set meanwhile) or -errno (-ENOMEM: too large to cache).
	 * NULL: a file without v_object cannot be mapped (ENODEV).
	 */
	int	(*vop_mmap)(struct vnode *vp);
};

struct vnode {
	enum vtype	 v_type;	/* [I] */
	uint32_t	 v_refs;	/* [r] */
	struct mount	*v_mount;	/* [I] */
	const struct vnodeops *v_ops;	/* [I] */
	void		*v_data;	/* [I] the filesystem's node */
	uint32_t	 v_rdev;	/* [I] VCHR/VBLK device */
	struct mount	*v_mountedhere;	/* [m] a mount that covers it;
					   stored atomically, peeked at
					   without the lock (namei) */
	struct mutex	 v_iolock;	/* data, offsets and truncation */
	/*
	 * A regular file's pages: set at creation (tmpfs) or once by the
	 * filesystem under v_iolock (vop_mmap), never cleared while the
	 * vnode lives.  Read under v_iolock, or without it with an
	 * acquire load (vnode_object()) by those that only map it.
	 */
	struct vm_object *v_object;
	void		*v_fifo;	/* [r] a FIFO's pipe while open */
	struct lockf	*v_locks;	/* advisory locks (kern/kern_lockf.c) */
	/*
	 * A VSOCK node's Unix socket while one is bound to it, else NULL
	 * (kern/uipc_usrreq.c; guarded by unp_lock, <sys/socket.h>).  The
	 * socket holds a reference on the vnode until it closes.
	 */
	void		*v_socket;
	/*
	 * Writers against running programs (Linux's i_writecount): > 0,
	 * how many open files and shared writable mappings may write the
	 * file; < 0, how many processes run it (execve's text).  One
	 * excludes the other: ETXTBSY (vn_write_get, vn_text_get).
	 * Changed only atomically, in any context.
	 */
	int32_t		 v_writecount;
	/*
	 * File seals (fcntl(2) F_ADD_SEALS): VN_SEALABLE on the files that
	 * take them (memfd_create(2)'s), then F_SEAL_* bits, which are
	 * only ever added.  Written under v_iolock; write(2) and truncate
	 * read them under it, mmap(2) atomically.
	 */
	uint32_t	 v_seals;
	/* Shared writable mappings of the file (atomic; F_SEAL_WRITE). */
	uint32_t	 v_mapwriters;
	/*
	 * Open files that only read it (O_RDONLY, not O_PATH), as
	 * v_writecount counts the writers: a write lease needs the holder's
	 * to be the only open.  Changed only atomically (vn_open_file,
	 * vn_close).
	 */
	int32_t		 v_readcount;
	/*
	 * The file's leases (fcntl(2) F_SETLEASE), one per open file
	 * description that holds one; openers that break a lease sleep on
	 * &v_leases until it is released or its break time passes.
	 */
	struct lease	*v_leases;	/* [l] */
};

#define VN_SEALABLE	0x80000000u	/* v_seals: the file takes seals */

/*
 * A mounted filesystem.  Its vnodes count references into mnt_vrefs; an
 * unmount is refused (EBUSY) while any but the mount's own reference on
 * its root remain, unless it is lazy (MNT_DETACH): then the mount leaves
 * the tree at once and is freed when its last reference goes.  Files
 * open for writing count in mnt_writers (vfs_writer_get/put): a remount
 * read-only is refused (EBUSY) while there are any.
 */
struct mount {
	struct mount	*mnt_next;	/* [m] the mount table */
	const struct vfsops *mnt_ops;	/* [I] */
	struct vnode	*mnt_root;	/* [I] one reference held */
	struct vnode	*mnt_covered;	/* [m] NULL for / and once detached */
	void		*mnt_data;	/* [I] the filesystem's */
	int		 mnt_flags;	/* [m] MS_RDONLY, MS_NOSUID, ... */
	/*
	 * MS_RDONLY of this mount alone, not of its filesystem (Linux's
	 * MNT_READONLY): mount(2) MS_REMOUNT | MS_BIND sets and clears it.
	 */
	int		 mnt_mflags;	/* [m] */
	int		 mnt_id;	/* [I] */
	uint32_t	 mnt_dev;	/* [I] st_dev of its files (MKDEV) */
	uint32_t	 mnt_vrefs;	/* [r] references on its vnodes */
	uint32_t	 mnt_writers;	/* [a] writable opens and shared
					   writable file mappings; atomic,
					   checked under mount_lock; a
					   bind's count in its mnt_lower's
					   too */
	bool		 mnt_detached;	/* [m] lazily unmounted */
	bool		 mnt_finishing;	/* [r] its last user is freeing it */
	struct mount	*mnt_reapnext;	/* vfs_mount.c's reap list */
	/*
	 * A bind mount's: the mount of the filesystem it shows (never a
	 * bind itself), whose read-only flag counts for the bind too and
	 * which counts its writers as well; NULL for any other mount.
	 */
	struct mount	*mnt_lower;	/* [I] */
	char		 mnt_source[64]; /* [I] what mount(2) was given */
};

/* The mount of mp's filesystem itself: mp, or for a bind its mnt_lower. */
static inline struct mount *
vfs_fsmount(struct mount *mp)
{
	return mp->mnt_lower != NULL ? mp->mnt_lower : mp;
}

/*
 * Are files reached through mp read-only: mp alone (a read-only bind) or
 * its filesystem?  A racy peek at the flags, as every EROFS check is:
 * writers that must exclude a remount take vfs_writer_get.
 */
static inline bool
vfs_mount_rdonly(struct mount *mp)
{
	return ((__atomic_load_n(&mp->mnt_mflags, __ATOMIC_RELAXED) |
	    __atomic_load_n(&vfs_fsmount(mp)->mnt_flags, __ATOMIC_RELAXED)) &
	    MS_RDONLY) != 0;
}

/* A kind of filesystem: mount(2)'s type argument names it. */
struct vfsops {
	const char	*vfs_name;
	/*
	 * Set up mp (mnt_root with one reference, mnt_data) from source
	 * and the option string data (NULL: none).
	 */
	int	(*vfs_mount)(struct mount *mp, const char *source,
		    const char *data);
	/* Free everything: no vnode of mp has a reference any more. */
	void	(*vfs_unmount)(struct mount *mp);
	int	(*vfs_statfs)(struct mount *mp, struct l_statfs *sf);
	int	(*vfs_sync)(struct mount *mp);
	/* Its names change by themselves (procfs): never name-cached. */
	bool	 vfs_nocache;
	/*
	 * Optional: mount(2)'s MS_REMOUNT is about to change mp's flags
	 * to flags (MS_RDONLY, MS_NOSUID, ...).  The filesystem gets ready
	 * or refuses: going read-only, it writes everything back and
	 * marks itself clean (the mount is already MS_RDONLY for new
	 * writers while this runs); going read-write, it starts what
	 * writing needs (a journal).  0 or -errno (nothing changes).  No
	 * VFS lock held.  NULL: only the VFS flags change.
	 */
	int	(*vfs_remount)(struct mount *mp, int flags);
};

/* fs/vfs/vfs_vnode.c */
/* A new vnode of mp with one reference; NULL when out of memory. */
struct vnode *vnode_alloc(struct mount *mp, enum vtype type,
	    const struct vnodeops *ops, void *data);
/*
 * Vnode operations a filesystem of generated files (procfs, sysfs,
 * mqueue) can name instead of writing its own: they refuse the change
 * with -EPERM (Linux's answer for a name those trees do not allow), or,
 * for fsync, succeed with nothing to write.
 */
int	vop_eperm_create(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, struct vnode **vpp);
int	vop_eperm_symlink(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, const char *target, struct vnode **vpp);
int	vop_eperm_link(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
int	vop_eperm_remove(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp, bool rmdir);
int	vop_eperm_rename(struct vnode *fdvp, const char *fname, size_t flen,
	    struct vnode *fvp, struct vnode *tdvp, const char *tname,
	    size_t tlen, unsigned int flags);
int	vop_fsync_nothing(struct vnode *vp);

/* vp's page cache (v_object), an acquire load: NULL when it has none. */
static inline struct vm_object *
vnode_object(struct vnode *vp)
{
	return __atomic_load_n(&vp->v_object, __ATOMIC_ACQUIRE);
}

/* Free a vnode whose filesystem is done with it (from vop_inactive). */
void	vnode_free(struct vnode *vp);
void	vref(struct vnode *vp);
void	vrele(struct vnode *vp);
int	vn_write_get(struct vnode *vp);
void	vn_write_dup(struct vnode *vp);
void	vn_write_put(struct vnode *vp);
int	vn_text_get(struct vnode *vp);
void	vn_text_dup(struct vnode *vp);
void	vn_text_put(struct vnode *vp);
void	vn_mapwriter_get(struct vnode *vp);
void	vn_mapwriter_put(struct vnode *vp);
long	vfs_fcntl_seals(int fd, struct file *fp, unsigned int cmd,
	    unsigned long arg);
/*
 * Drop a reference; true when it was vp's last.  A filesystem's
 * vop_inactive calls it under its own lock (see vfs_vnode.c).
 */
bool	vnode_lastref(struct vnode *vp);
/*
 * Keep mp as a user would (counted with the references on its vnodes, so
 * umount2 without MNT_DETACH is EBUSY and a detached mount stays until
 * vfs_mount_drop): for what is reached through a bind but is not one of
 * its vnodes.  The caller already holds something that keeps mp.  Take
 * vnode_lock; any context.
 */
void	vfs_mount_hold(struct mount *mp);
void	vfs_mount_drop(struct mount *mp);
/* Permission check for the current process (mode: R_OK|W_OK|X_OK). */
int	vn_access(struct vnode *vp, int mode);
/* Is gid p's effective (or, real: real) group or a supplementary one? */
bool	vn_groupmember(const struct proc *p, uint32_t gid, bool real);
/* The same by the real ids when real is true (access(2)). */
int	vn_access_ids(struct vnode *vp, int mode, bool real);
/*
 * The mode-bits part of a permission check, for a file or anything
 * checked as one (a POSIX message queue): may p, by its effective ids
 * (or, real: real ones), have access want (R_OK|W_OK|X_OK) to an object
 * of mode, owner uid and group gid?  The owner's bits, else the group's,
 * else the others' decide; root is the caller's business.  No lock.
 * Returns 0 or -EACCES.
 */
int	vn_mode_access(const struct proc *p, uint32_t mode, uint32_t uid,
	    uint32_t gid, int want, bool real);
/* Is the current process allowed to change vp's attributes (owner)? */
int	vn_owner_ok(struct vnode *vp);
int	vn_getattr(struct vnode *vp, struct vattr *va);
/* The S_IF* file type bits of a vnode type, and DT_* of one. */
uint32_t vtype_to_mode(enum vtype type);
int	vtype_to_dt(enum vtype type);
/* Now, in the clock of file times. */
struct l_timespec vfs_now(void);

/* fs/vfs/vfs_mount.c */
/* The root of the whole tree, referenced. */
struct vnode *vfs_root(void);
/* Register a kind of filesystem (at boot). */
void	vfs_register(const struct vfsops *ops);
/* Mount the root filesystem of type fstype; at boot. */
int	vfs_mountroot(const char *fstype);
/*
 * At boot, before init: mount fstype from source as the new root; the
 * old root moves onto its directory /oldname (vfs_mount.c).
 */
int	vfs_switch_root(const char *fstype, const char *source, int flags,
	    const char *data, const char *oldname);
/* kern/kern_root.c: root= of the command line; 0 when the root moved. */
int	root_mount(void);
/* The root vnode of the mount on vp, if any, referenced (else NULL). */
struct vnode *vfs_mounted_root(struct vnode *vp);
/* A mount's root: the vnode it covers (for ".."), referenced, or NULL. */
struct vnode *vfs_covered(struct vnode *vp);
/* A mount as /proc/mounts and mountinfo list it (vfs_mount_list). */
struct vfs_mountinfo {
	struct vnode	*mi_covered;	/* referenced; NULL: the root */
	const char	*mi_type;
	int		 mi_flags;	/* the mount's: MS_RDONLY when it
					   or its filesystem is read-only */
	int		 mi_sbflags;	/* its filesystem's MS_RDONLY */
	int		 mi_id;
	int		 mi_parent;	/* the id of the mount it is on */
	uint32_t	 mi_dev;	/* MKDEV */
	char		*mi_root;	/* kmalloc'd (the caller frees it):
					   its root within the filesystem */
	char		 mi_source[64];
};
int	vfs_mount_list(struct vfs_mountinfo *infos, int max);
const char *vfs_type_name(int i);
/* Mount fstype from source on the directory at kernel path (at boot). */
int	vfs_mount_kernel(const char *fstype, const char *source,
	    const char *path, int flags, const char *data);
/* The same, first making the folder with mode if needed; logs failures. */
int	vfs_boot_mount(const char *fstype, const char *source,
	    const char *path, uint32_t mode, int flags, const char *data);

/*
 * Write access to a mount, held by every file open for writing (and
 * meant for every shared writable mapping of a file): vfs_writer_get
 * takes one, or fails with -EROFS when mp is read-only; vfs_writer_put
 * gives it back.  Take mount_lock; may sleep.
 */
int	vfs_writer_get(struct mount *mp);
void	vfs_writer_put(struct mount *mp);
/* A copy of a writer already held (VM entries split or forked). */
void	vfs_writer_dup(struct mount *mp);

/* fs/vfs/vfs_lookup.c: path lookup. */
struct nameidata {
	/* In: */
	int		 nd_dirfd;	/* AT_FDCWD or a directory's fd */
	const char	*nd_path;	/* a kernel copy of the path */
	int		 nd_flags;	/* ND_* */
	/* Out, on success: */
	struct vnode	*nd_vp;		/* the file, referenced; ND_PARENT:
					   NULL when it does not exist */
	struct vnode	*nd_dvp;	/* ND_PARENT: its directory, referenced */
	char		 nd_last[NAME_MAX + 1];	/* ND_PARENT: the last name */
	size_t		 nd_lastlen;
	bool		 nd_slash;	/* the path ended in '/' */
	int		 nd_lastdots;	/* ND_PARENT's -EINVAL: 1 for a last
					   name ".", 2 for ".." */
	/*
	 * The mount nd_vp (or, when there is none, nd_dvp) was reached
	 * through: its own v_mount, but for a non-directory found through a
	 * bind, the bind's.  The read-only checks and link(2)'s EXDEV go by
	 * it.  When it is not the vnode's v_mount it is held (nd_mnthold),
	 * until nd_release, or nd_release_mnt for a caller that keeps
	 * nd_vp.
	 */
	struct mount	*nd_mnt;
	struct mount	*nd_mnthold;
};

#define ND_FOLLOW	0x01	/* follow a symbolic link at the end */
#define ND_PARENT	0x02	/* also return the parent and the last name */
#define ND_EMPTY	0x04	/* "" names nd_dirfd itself (AT_EMPTY_PATH) */
/* openat2(2)'s resolve flags (vfs_fdcalls.c): */
#define ND_NOXDEV	0x08	/* crossing a mount point is -EXDEV */
#define ND_NOSYMLINKS	0x10	/* a link to follow is -ELOOP */
#define ND_BENEATH	0x20	/* leaving the start directory is -EXDEV */
#define ND_INROOT	0x40	/* the start directory acts as "/" */
/* mount, umount2, unlink, rmdir, rename: the last name's own vnode, not
   the root of what is mounted on it. */
#define ND_NOCROSS	0x80

/*
 * Resolve nd->nd_path for the current process.  Returns 0 with nd_vp
 * (and, with ND_PARENT, nd_dvp) referenced, or -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG, -EACCES, -EBADF; with ND_PARENT a missing last name is
 * not an error (nd_vp NULL), and the last name "." or ".." is -EINVAL
 * (the caller decides: EEXIST, EBUSY, ENOTEMPTY...) - see namei().
 * ND_NOXDEV and ND_BENEATH add -EXDEV.
 */
int	namei(struct nameidata *nd);
/* Release what a successful namei returned. */
void	nd_release(struct nameidata *nd);
/* Release only nd_mnthold, for a caller that keeps nd_vp (and nd_dvp). */
void	nd_release_mnt(struct nameidata *nd);
/* Copy a user path in: kmalloc'd PATH_MAX buffer in *pathp. */
int	namei_copyin(const char __user *upath, char **pathp);

/* fs/vfs/vfs_kern.c: the kernel's own use of the tree (boot, exec). */
int	vfs_init(void);
/* /tmp and a tmpfs on /dev/shm, at boot after /dev. */
void	vfs_boot_dirs(void);
/* Make a file of va at kernel path; the vnode in *vpp if not NULL. */
int	vfs_kern_make(const char *path, const struct vattr *va,
	    const char *target, struct vnode **vpp);
int	vfs_kern_lookup(const char *path, struct vnode **vpp);
int	vfs_kern_link(const char *from, const char *to);
/* Set mode, owner (and nothing else) of the file at path from va. */
int	vfs_kern_setattr(const char *path, const struct vattr *va);
int	vfs_kern_write(struct vnode *vp, const void *buf, size_t len);
int	vfs_kern_readall(struct vnode *vp, size_t max, void **bufp,
	    size_t *lenp);
/* Read up to len bytes at offset off of vp into buf: bytes read, -errno. */
long	vfs_kern_read(struct vnode *vp, off_t off, void *buf, size_t len);

/* fs/vfs/vfs_cache.c: forget what name of dvp names (see above). */
void	ncache_purge(struct vnode *dvp, const char *name, size_t len);
/* A cached name of vp: its directory, referenced, and the name. */
int	ncache_revlookup(struct vnode *vp, struct vnode **dvpp, char *name);

/* fs/vfs/vfs_vnops.c: open vnodes as files. */
/*
 * Open vp (referenced; the reference moves to the file) with flags.  A
 * file opened for writing holds a vfs_writer_get of vp's mount, which the
 * caller took and which moves to the file too (given back on close).
 */
int	vn_open_file(struct vnode *vp, int flags, struct file **fpp);
/*
 * The same for vp reached through mount mp (a bind's, for a file that is
 * not its vnode: the file holds mp in f_mount), whose vfs_writer_get the
 * caller took for a file open for writing.
 */
int	vn_open_file_mnt(struct vnode *vp, struct mount *mp, int flags,
	    struct file **fpp);
/*
 * The vnode of descriptor fd, referenced, and the mount it was opened
 * through, held (vfs_mount_hold): give both back with vrele and
 * vfs_mount_drop.  -EBADF, -ENOTDIR as fd_getvnode.
 */
int	fd_getplace(int fd, struct vnode **vpp, struct mount **mpp);
/* The vnode of an open file, referenced, or -EBADF/-ENOTDIR etc. */
int	fd_getvnode(int fd, struct vnode **vpp);
/* For mmap: fd's open flags, and its vnode if it can be mapped. */
int	vn_mmap_getvnode(int fd, struct vnode **vpp, int *flagsp);
/* The vnode of an open vnode file (O_PATH too), referenced; else -EINVAL. */
int	file_vnode(struct file *fp, struct vnode **vpp);
/* fs/vfs/vfs_syscalls.c: paths of vnodes, built down from *pos of buf. */
int	vn_path_prepend(char *buf, size_t *pos, const char *name, size_t len);
int	vn_dirpath(struct vnode *vp, struct vnode *root, char *buf,
	    size_t *pos);
/* Fill a stat buffer from vp. */
int	vn_stat(struct vnode *vp, struct l_stat *st);

/*
 * kern/kern_cdev.c: character devices by number.  A driver registers one
 * device, a range of minors or a whole major; d_open gets the full
 * number (MINOR(dev) tells which of its devices is opened).
 */
struct cdevsw {
	const char	*d_name;
	/* Open the device; *fpp gets a new file.  flags: open(2)'s. */
	int		(*d_open)(uint32_t dev, int flags, struct file **fpp);
};
/* One device (MKDEV); boot only.  -EEXIST, -ENOSPC. */
int	cdev_register(uint32_t dev, const struct cdevsw *sw);
/* count minors from dev; boot only.  -EINVAL, -EEXIST, -ENOSPC. */
int	cdev_register_range(uint32_t dev, uint32_t count,
	    const struct cdevsw *sw);
/* Every minor of major; boot only.  -EEXIST, -ENOSPC. */
int	cdev_register_major(uint32_t major, const struct cdevsw *sw);
const struct cdevsw *cdev_lookup(uint32_t dev);
/*
 * The i-th registration: its first number in *devp, its minors in
 * *countp (may be NULL); NULL past the last.
 */
const struct cdevsw *cdev_nth(int i, uint32_t *devp, uint32_t *countp);

#endif /* _SYS_VNODE_H_ */
