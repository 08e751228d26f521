/*
 * tmpfs: the operations on files (struct vnodeops; see tmpfs.h for the
 * data structures and their locking).
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_object.h>
#include <sys/vm_page.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_NODE(vp)	((struct tmpfs_node *)(vp)->v_data)
#define TMPFS_MNT(vp)	((struct tmpfs_mount *)(vp)->v_mount->mnt_data)
#define TMPFS_LINK_MAX	0xffffffffU	/* tmpfs has no link limit */
#define TMPFS_FILE_MAX	(1LL << 43)	/* 8 TiB, well below off_t */

/*
 * A new node of type va->va_type in mount mp (tm_lock held), with its
 * vnode (one reference, for the caller).  -ENOSPC past nr_inodes, -ENOMEM.
 */
int
tmpfs_node_alloc(struct mount *mp, const struct vattr *va,
    struct tmpfs_node **np)
{
	struct tmpfs_mount *tm = mp->mnt_data;
	struct vm_object *obj = NULL;
	struct tmpfs_node *n;
	struct vnode *vp;

	if (tm->tm_nnodes >= tm->tm_maxnodes)
		return -ENOSPC;
	if ((n = kmalloc(sizeof(*n), M_ZERO)) == NULL)
		return -ENOMEM;
	if (va->va_type == VREG &&
	    (obj = vm_object_create(0, VM_OBJECT_SHMEM)) == NULL) {
		kfree(n);
		return -ENOMEM;
	}
	if ((vp = vnode_alloc(mp, va->va_type, &tmpfs_vnops, n)) == NULL) {
		if (obj != NULL)
			vm_object_release(obj);
		kfree(n);
		return -ENOMEM;
	}
	vp->v_object = obj;
	vp->v_rdev = va->va_rdev;
	/* Linux's tmpfs files take seals, sealed with F_SEAL_SEAL. */
	if (va->va_type == VREG)
		vp->v_seals = VN_SEALABLE | F_SEAL_SEAL;
	n->tn_vnode = vp;
	n->tn_type = va->va_type;
	n->tn_ino = tm->tm_nextino++;
	n->tn_mode = va->va_mode & 07777;
	n->tn_uid = va->va_uid;
	n->tn_gid = va->va_gid;
	n->tn_rdev = va->va_rdev;
	n->tn_atime = n->tn_mtime = n->tn_ctime = n->tn_btime = vfs_now();
	n->tn_nextcookie = 2;
	n->tn_allnext = tm->tm_nodes;
	tm->tm_nodes = n;
	tm->tm_nnodes++;
	*np = n;
	return 0;
}

/* Free node n and its vnode (tm_lock held): no name, no reference. */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *n)
{
	struct tmpfs_node **pp;
	struct vnode *vp = n->tn_vnode;

	for (pp = &tm->tm_nodes; *pp != NULL; pp = &(*pp)->tn_allnext) {
		if (*pp == n) {
			*pp = n->tn_allnext;
			break;
		}
	}
	tm->tm_nnodes--;
	if (vp->v_object != NULL) {
		tm->tm_pages -= vm_object_resident(vp->v_object);
		vm_object_release(vp->v_object);
	}
	kfree(n->tn_link);
	vnode_free(vp);
	kfree(n);
}

/* The entry name/len of directory d, or NULL.  tm_lock held. */
static struct tmpfs_dirent *
tmpfs_dir_find(struct tmpfs_node *d, const char *name, size_t len,
    struct tmpfs_dirent ***prevp)
{
	struct tmpfs_dirent *de, **pp;

	for (pp = &d->tn_dirents; (de = *pp) != NULL; pp = &de->td_next) {
		if (de->td_namelen == len && memcmp(de->td_name, name, len) ==
		    0) {
			if (prevp != NULL)
				*prevp = pp;
			return de;
		}
	}
	return NULL;
}

/* Append an entry name -> n to directory d.  tm_lock held. */
static int
tmpfs_dir_add(struct tmpfs_node *d, const char *name, size_t len,
    struct tmpfs_node *n)
{
	struct tmpfs_dirent *de, **pp;

	if ((de = kmalloc(sizeof(*de) + len, 0)) == NULL)
		return -ENOMEM;
	de->td_next = NULL;
	de->td_node = n;
	de->td_cookie = d->tn_nextcookie++;
	de->td_namelen = len;
	memcpy(de->td_name, name, len);
	for (pp = &d->tn_dirents; *pp != NULL; pp = &(*pp)->td_next)
		continue;
	*pp = de;
	d->tn_size += 1;
	d->tn_mtime = d->tn_ctime = vfs_now();
	return 0;
}

/* Unlink entry *pp of d (tm_lock held); the caller fixes link counts. */
static void
tmpfs_dir_del(struct tmpfs_node *d, struct tmpfs_dirent **pp)
{
	struct tmpfs_dirent *de = *pp;

	*pp = de->td_next;
	kfree(de);
	d->tn_size -= 1;
	d->tn_mtime = d->tn_ctime = vfs_now();
}

static int
tmpfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	struct tmpfs_node *d = TMPFS_NODE(dvp), *n;
	struct tmpfs_dirent *de;

	mtx_lock(&tm->tm_lock);
	if (d->tn_nlink == 0) {
		/* A removed directory has no entries, not even "..". */
		mtx_unlock(&tm->tm_lock);
		return -ENOENT;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		n = d->tn_parent;
	} else if ((de = tmpfs_dir_find(d, name, len, NULL)) != NULL) {
		n = de->td_node;
	} else {
		mtx_unlock(&tm->tm_lock);
		return -ENOENT;
	}
	vref(n->tn_vnode);
	mtx_unlock(&tm->tm_lock);
	*vpp = n->tn_vnode;
	return 0;
}

/*
 * A new file: a node, its name in d, and for a directory its link from
 * ".." (the parent's count).  tm_lock held.
 */
static int
tmpfs_mknode(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	struct tmpfs_node *d = TMPFS_NODE(dvp), *n;
	int error;

	if (d->tn_nlink == 0)
		return -ENOENT;		/* creating in a removed directory */
	if (tmpfs_dir_find(d, name, len, NULL) != NULL)
		return -EEXIST;
	if (va->va_type == VDIR && d->tn_nlink >= TMPFS_LINK_MAX)
		return -EMLINK;
	if ((error = tmpfs_node_alloc(dvp->v_mount, va, &n)) < 0)
		return error;
	if (target != NULL) {
		n->tn_size = (off_t)strlen(target);
		if ((n->tn_link = kmalloc((size_t)n->tn_size + 1, 0)) ==
		    NULL) {
			error = -ENOMEM;
			goto fail;
		}
		memcpy(n->tn_link, target, (size_t)n->tn_size + 1);
	}
	if ((error = tmpfs_dir_add(d, name, len, n)) < 0)
		goto fail;
	n->tn_nlink = 1;
	if (va->va_type == VDIR) {
		n->tn_nlink = 2;	/* its name and its "." */
		n->tn_parent = d;
		d->tn_nlink++;		/* its ".." */
	}
	*vpp = n->tn_vnode;
	return 0;
fail:
	(void)vnode_lastref(n->tn_vnode);
	tmpfs_node_free(tm, n);
	return error;
}

static int
tmpfs_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	int error;

	mtx_lock(&tm->tm_lock);
	error = tmpfs_mknode(dvp, name, len, va, NULL, vpp);
	mtx_unlock(&tm->tm_lock);
	return error;
}

static int
tmpfs_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	int error;

	mtx_lock(&tm->tm_lock);
	error = tmpfs_mknode(dvp, name, len, va, target, vpp);
	mtx_unlock(&tm->tm_lock);
	return error;
}

static int
tmpfs_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	struct tmpfs_node *d = TMPFS_NODE(dvp), *n = TMPFS_NODE(vp);
	int error;

	mtx_lock(&tm->tm_lock);
	if (d->tn_nlink == 0 || (n->tn_nlink == 0 && !n->tn_linkable))
		error = -ENOENT;	/* Linux: no links to removed files */
	else if (tmpfs_dir_find(d, name, len, NULL) != NULL)
		error = -EEXIST;
	else if (n->tn_nlink >= TMPFS_LINK_MAX)
		error = -EMLINK;
	else if (n->tn_nlink > 0 && tm->tm_nnodes >= tm->tm_maxnodes)
		error = -ENOSPC;	/* Linux's tmpfs: a link takes a slot */
	else if ((error = tmpfs_dir_add(d, name, len, n)) == 0) {
		if (n->tn_nlink > 0)
			tm->tm_nnodes++;
		n->tn_nlink++;
		n->tn_linkable = false;	/* an O_TMPFILE file: only once */
		n->tn_ctime = vfs_now();
	}
	mtx_unlock(&tm->tm_lock);
	return error;
}

/*
 * O_TMPFILE: a regular file of va with no name in directory dvp, freed by
 * tmpfs_inactive with its last reference unless tmpfs_link (linkable)
 * names it first.  A removed directory will do, as on Linux (no name is
 * made in it).
 */
static int
tmpfs_tmpfile(struct vnode *dvp, const struct vattr *va, bool linkable,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	struct tmpfs_node *n;
	int error;

	if (va->va_type != VREG)
		return -EINVAL;
	mtx_lock(&tm->tm_lock);
	if ((error = tmpfs_node_alloc(dvp->v_mount, va, &n)) == 0) {
		n->tn_nlink = 0;
		n->tn_linkable = linkable;
		*vpp = n->tn_vnode;
	}
	mtx_unlock(&tm->tm_lock);
	return error;
}

/* Is directory n empty?  tm_lock held. */
static bool
tmpfs_dir_empty(const struct tmpfs_node *n)
{
	return n->tn_dirents == NULL;
}

/*
 * n lost name: link counts of n and (a directory's) parent d, and the
 * inode slot of a hard link that is not the file's last name.  [t]
 */
static void
tmpfs_unlinked(struct tmpfs_mount *tm, struct tmpfs_node *d,
    struct tmpfs_node *n)
{
	if (n->tn_type == VDIR) {
		n->tn_nlink = 0;	/* its name and its "." */
		d->tn_nlink--;		/* its ".." */
	} else {
		if (n->tn_nlink > 1)
			tm->tm_nnodes--;
		n->tn_nlink--;
	}
	n->tn_ctime = vfs_now();
}

static int
tmpfs_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool rmdir)
{
	struct tmpfs_mount *tm = TMPFS_MNT(dvp);
	struct tmpfs_node *d = TMPFS_NODE(dvp), *n = TMPFS_NODE(vp);
	struct tmpfs_dirent *de, **pp;
	int error = 0;

	mtx_lock(&tm->tm_lock);
	de = tmpfs_dir_find(d, name, len, &pp);
	if (de == NULL || de->td_node != n)
		error = -ENOENT;
	else if (rmdir && n->tn_type != VDIR)
		error = -ENOTDIR;
	else if (!rmdir && n->tn_type == VDIR)
		error = -EISDIR;
	else if (rmdir && !tmpfs_dir_empty(n))
		error = -ENOTEMPTY;
	if (error == 0) {
		tmpfs_dir_del(d, pp);
		tmpfs_unlinked(tm, d, n);
	}
	mtx_unlock(&tm->tm_lock);
	return error;
}

/* Is a (a directory) d itself or below it?  tm_lock held. */
static bool
tmpfs_is_below(struct tmpfs_node *a, struct tmpfs_node *d)
{
	for (;;) {
		if (a == d)
			return true;
		if (a->tn_parent == a || a->tn_parent == NULL)
			return false;
		a = a->tn_parent;
	}
}

/* Move a directory n from parent fd to td: "..", and the counts.  [t] */
static void
tmpfs_reparent(struct tmpfs_node *n, struct tmpfs_node *fd,
    struct tmpfs_node *td)
{
	if (n->tn_type != VDIR || fd == td)
		return;
	n->tn_parent = td;
	fd->tn_nlink--;
	td->tn_nlink++;
}

static int
tmpfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    unsigned int flags)
{
	struct tmpfs_mount *tm = TMPFS_MNT(fdvp);
	struct tmpfs_node *fd = TMPFS_NODE(fdvp), *td = TMPFS_NODE(tdvp);
	struct tmpfs_node *fn = TMPFS_NODE(fvp), *tn;
	struct tmpfs_dirent *fde, *tde, **fpp, **tpp;
	int error = 0;

	mtx_lock(&tm->tm_lock);
	fde = tmpfs_dir_find(fd, fname, flen, &fpp);
	if (fde == NULL || fde->td_node != fn || td->tn_nlink == 0) {
		error = -ENOENT;
		goto out;
	}
	tde = tmpfs_dir_find(td, tname, tlen, &tpp);
	tn = tde != NULL ? tde->td_node : NULL;
	if ((flags & RENAME_NOREPLACE) && tn != NULL) {
		error = -EEXIST;
		goto out;
	}
	if ((flags & RENAME_EXCHANGE) && tn == NULL) {
		error = -ENOENT;
		goto out;
	}
	if (tn == fn)
		goto out;	/* two names of one file: nothing to do */
	/* A directory cannot move into itself or below itself. */
	if ((fn->tn_type == VDIR && tmpfs_is_below(td, fn)) ||
	    ((flags & RENAME_EXCHANGE) && tn->tn_type == VDIR &&
	    tmpfs_is_below(fd, tn))) {
		error = -EINVAL;
		goto out;
	}
	if (flags & RENAME_EXCHANGE) {
		fde->td_node = tn;
		tde->td_node = fn;
		tmpfs_reparent(fn, fd, td);
		tmpfs_reparent(tn, td, fd);
		fn->tn_ctime = tn->tn_ctime = vfs_now();
		fd->tn_mtime = fd->tn_ctime = td->tn_mtime = td->tn_ctime =
		    fn->tn_ctime;
		goto out;
	}
	if (tn != NULL) {
		if (fn->tn_type == VDIR && tn->tn_type != VDIR) {
			error = -ENOTDIR;
			goto out;
		}
		if (fn->tn_type != VDIR && tn->tn_type == VDIR) {
			error = -EISDIR;
			goto out;
		}
		if (tn->tn_type == VDIR && !tmpfs_dir_empty(tn)) {
			error = -ENOTEMPTY;
			goto out;
		}
		/* The target's name now names fn. */
		tde->td_node = fn;
		tmpfs_unlinked(tm, td, tn);
	} else if ((error = tmpfs_dir_add(td, tname, tlen, fn)) < 0) {
		goto out;
	}
	/* tmpfs_dir_add may have moved fd's list: find fname again. */
	fde = tmpfs_dir_find(fd, fname, flen, &fpp);
	tmpfs_dir_del(fd, fpp);
	tmpfs_reparent(fn, fd, td);
	fn->tn_ctime = vfs_now();
	td->tn_mtime = td->tn_ctime = fn->tn_ctime;
out:
	mtx_unlock(&tm->tm_lock);
	return error;
}

static int
tmpfs_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill, void *arg)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *d = TMPFS_NODE(vp);
	struct tmpfs_dirent *de;

	mtx_lock(&tm->tm_lock);
	if (d->tn_nlink == 0)
		goto out;	/* removed: not even "." and ".." */
	if (*pos == 0) {
		if (fill(arg, ".", 1, d->tn_ino, DT_DIR, 1) != 0)
			goto out;
		*pos = 1;
	}
	if (*pos == 1) {
		if (fill(arg, "..", 2, d->tn_parent->tn_ino, DT_DIR, 2) != 0)
			goto out;
		*pos = 2;
	}
	for (de = d->tn_dirents; de != NULL; de = de->td_next) {
		if (de->td_cookie < *pos)
			continue;
		if (fill(arg, de->td_name, de->td_namelen,
		    de->td_node->tn_ino, vtype_to_dt(de->td_node->tn_type),
		    de->td_cookie + 1) != 0)
			break;
		*pos = de->td_cookie + 1;
	}
out:
	d->tn_atime = vfs_now();
	mtx_unlock(&tm->tm_lock);
	return 0;
}

static long
tmpfs_read(struct vnode *vp, struct uio *uio)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *n = TMPFS_NODE(vp);
	off_t size;
	long done;

	if (uio->uio_offset < 0)
		return -EINVAL;
	mtx_lock(&tm->tm_lock);
	size = n->tn_size;
	mtx_unlock(&tm->tm_lock);
	if ((done = vm_object_read(vp->v_object, size, uio)) < 0)
		return done;
	mtx_lock(&tm->tm_lock);
	n->tn_atime = vfs_now();
	mtx_unlock(&tm->tm_lock);
	return done;
}

/*
 * Set a regular file's size (v_iolock held): the page cache follows and
 * the mount's page count with it.  tm_lock held.
 */
static int
tmpfs_resize(struct tmpfs_mount *tm, struct tmpfs_node *n, off_t size)
{
	struct vnode *vp = n->tn_vnode;
	uint64_t before = vm_object_resident(vp->v_object);
	int error;

	if (size > TMPFS_FILE_MAX)
		return -EFBIG;
	error = vm_object_resize(vp->v_object,
	    ((uint64_t)size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (error < 0)
		return error;
	if (size < n->tn_size && (size & PAGE_MASK) != 0) {
		/* The tail of the last page must read as zeros again. */
		paddr_t pa;

		if (vm_object_lookup(vp->v_object, (uint64_t)size >>
		    PAGE_SHIFT, false, &pa) == 0 && pa != 0) {
			memset((char *)PHYS_TO_DMAP(pa) + (size & PAGE_MASK),
			    0, PAGE_SIZE - (size & PAGE_MASK));
			vm_page_release(pa);
		}
	}
	tm->tm_pages -= before - vm_object_resident(vp->v_object);
	n->tn_size = size;
	return 0;
}

static long
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *n = TMPFS_NODE(vp);
	size_t done = 0, chunk, off;
	uint64_t idx;
	paddr_t pa;
	off_t end;
	long moved, error = 0;

	(void)ioflag;		/* the VFS put uio_offset at the end */
	if (uio->uio_offset < 0)
		return -EINVAL;
	if (__builtin_add_overflow(uio->uio_offset, (off_t)uio->uio_resid,
	    &end) || end > TMPFS_FILE_MAX)
		return -EFBIG;
	mtx_lock(&tm->tm_lock);
	if (end > n->tn_size) {
		/* Grow the page cache first; the size follows the data. */
		error = vm_object_resize(vp->v_object,
		    ((uint64_t)end + PAGE_SIZE - 1) >> PAGE_SHIFT);
	}
	mtx_unlock(&tm->tm_lock);
	if (error < 0)
		return error;
	while (uio->uio_resid > 0) {
		idx = (uint64_t)uio->uio_offset >> PAGE_SHIFT;
		off = (size_t)(uio->uio_offset & PAGE_MASK);
		chunk = MIN(PAGE_SIZE - off, uio->uio_resid);
		/* A page not there yet counts against size=. */
		mtx_lock(&tm->tm_lock);
		error = vm_object_lookup(vp->v_object, idx, false, &pa);
		if (error == 0 && pa == 0) {
			if (tm->tm_pages >= tm->tm_maxpages)
				error = -ENOSPC;
			else
				tm->tm_pages++;
		} else if (error == 0) {
			vm_page_release(pa);
		}
		mtx_unlock(&tm->tm_lock);
		if (error < 0)
			break;
		moved = vm_object_uiomove(vp->v_object, idx, off, chunk, uio,
		    true);
		/* (uio_move advanced uio_offset.) */
		if (moved < 0) {
			error = moved;
			break;
		}
		done += (size_t)moved;
		if ((size_t)moved < chunk)
			break;
	}
	mtx_lock(&tm->tm_lock);
	if (uio->uio_offset > n->tn_size)
		n->tn_size = uio->uio_offset;
	/* A short write leaves no page past the end. */
	(void)vm_object_resize(vp->v_object,
	    ((uint64_t)n->tn_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (done > 0)
		n->tn_mtime = n->tn_ctime = vfs_now();
	mtx_unlock(&tm->tm_lock);
	if (done == 0 && error < 0)
		return error;
	return (long)done;
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *n = TMPFS_NODE(vp);

	mtx_lock(&tm->tm_lock);
	va->va_type = n->tn_type;
	va->va_mode = n->tn_mode;
	va->va_uid = n->tn_uid;
	va->va_gid = n->tn_gid;
	va->va_nlink = n->tn_nlink;
	va->va_ino = n->tn_ino;
	va->va_size = n->tn_type == VDIR ? (off_t)((n->tn_size + 2) * 20) :
	    n->tn_size;
	va->va_blocks = vp->v_object != NULL ?
	    vm_object_resident(vp->v_object) * (PAGE_SIZE / 512) : 0;
	va->va_blksize = PAGE_SIZE;
	va->va_rdev = n->tn_rdev;
	va->va_atime = n->tn_atime;
	va->va_mtime = n->tn_mtime;
	va->va_ctime = n->tn_ctime;
	va->va_btime = n->tn_btime;
	mtx_unlock(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *n = TMPFS_NODE(vp);
	int error = 0;

	mtx_lock(&tm->tm_lock);
	if (mask & VA_SIZE) {
		if (n->tn_type != VREG)
			error = n->tn_type == VDIR ? -EISDIR : -EINVAL;
		else if ((error = tmpfs_resize(tm, n, va->va_size)) == 0)
			n->tn_mtime = vfs_now();
	}
	if (error == 0) {
		if (mask & VA_MODE)
			n->tn_mode = va->va_mode & 07777;
		if (mask & VA_UID)
			n->tn_uid = va->va_uid;
		if (mask & VA_GID)
			n->tn_gid = va->va_gid;
		if (mask & VA_ATIME)
			n->tn_atime = va->va_atime;
		if (mask & VA_MTIME)
			n->tn_mtime = va->va_mtime;
		n->tn_ctime = (mask & VA_CTIME) ? va->va_ctime : vfs_now();
	}
	mtx_unlock(&tm->tm_lock);
	return error;
}

static long
tmpfs_readlink(struct vnode *vp, char *buf, size_t len)
{
	struct tmpfs_node *n = TMPFS_NODE(vp);
	size_t l;

	if (n->tn_type != VLNK)
		return -EINVAL;
	l = MIN((size_t)n->tn_size, len);
	memcpy(buf, n->tn_link, l);
	return (long)l;
}

/* Memory is as stable as tmpfs gets: nothing to write. */
static int
tmpfs_fsync(struct vnode *vp)
{
	(void)vp;
	return 0;
}

/* The last reference: a file with no name goes now (see vfs_vnode.c). */
static void
tmpfs_inactive(struct vnode *vp)
{
	struct tmpfs_mount *tm = TMPFS_MNT(vp);
	struct tmpfs_node *n = TMPFS_NODE(vp);

	mtx_lock(&tm->tm_lock);
	if (vnode_lastref(vp) && n->tn_nlink == 0)
		tmpfs_node_free(tm, n);
	mtx_unlock(&tm->tm_lock);
}

const struct vnodeops tmpfs_vnops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_create,
	.vop_symlink = tmpfs_symlink,
	.vop_link = tmpfs_link,
	.vop_remove = tmpfs_remove,
	.vop_rename = tmpfs_rename,
	.vop_readdir = tmpfs_readdir,
	.vop_read = tmpfs_read,
	.vop_write = tmpfs_write,
	.vop_getattr = tmpfs_getattr,
	.vop_setattr = tmpfs_setattr,
	.vop_readlink = tmpfs_readlink,
	.vop_fsync = tmpfs_fsync,
	.vop_inactive = tmpfs_inactive,
	.vop_tmpfile = tmpfs_tmpfile,
};
