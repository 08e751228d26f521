/*
 * Path lookup (path_resolution(7)): from a path to a vnode.
 *
 * namei() walks the path one name at a time from the process's root
 * directory (a path starting with '/'), its working directory, or the
 * directory of a descriptor (the *at calls).  At each step the current
 * directory must be a directory (ENOTDIR) that the process may search
 * (EACCES); "." stays, ".." goes up - but never above the process's
 * root, and from the root of a mounted filesystem to the directory it
 * covers first; a name found goes down, into the root of whatever is
 * mounted on it (but for the last name with ND_NOCROSS: mount(2),
 * umount2(2), and unlink, rmdir and rename, which refuse a mount point
 * with EBUSY).  A bind's directories are vnodes of its own (vfs_bind.c);
 * what the walk must remember is the bind a non-directory was found
 * through - in a bind's directory, or as a file's bind - since that file
 * is its filesystem's vnode: nd_mnt, held for the caller.
 * A symbolic link met in the middle of the path is followed by splicing
 * its target in front of the rest of the path; at
 * the end only when the caller asks (ND_FOLLOW) or a '/' follows it.
 * More than SYMLOOP_MAX links in one lookup is ELOOP.
 *
 * Each step holds a reference on the directory it is in and takes one on
 * what it finds; no lock is held between steps.  A name is looked up in
 * the name cache (vfs_cache.c) first, and what the filesystem finds goes
 * into it.
 */
#include <sys/abi/fcntl.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "vfs_internal.h"

#define NAMEI_SMALL	256	/* paths copied in through the stack */

/*
 * Copy the user's path into a new kernel buffer just big enough for it
 * (*pathp; kfree it).  Most paths are short: they are read into a small
 * buffer on the stack first, so that the heap is asked for their length
 * only, not a whole PATH_MAX page each time.  Returns 0, -EFAULT, or
 * -ENAMETOOLONG (PATH_MAX bytes with the NUL).
 */
int
namei_copyin(const char __user *upath, char **pathp)
{
	char small[NAMEI_SMALL], *path;
	size_t len;
	int error;

	error = copyinstr(upath, small, sizeof(small), &len);
	if (error == 0) {
		if ((path = kmalloc(len, 0)) == NULL)
			return -ENOMEM;
		memcpy(path, small, len);
		*pathp = path;
		return 0;
	}
	if (error != -ENAMETOOLONG)
		return error;
	if ((path = kmalloc(PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	if ((error = copyinstr(upath, path, PATH_MAX, NULL)) < 0) {
		kfree(path);
		return error;
	}
	*pathp = path;
	return 0;
}

/* The process's root or working directory, referenced. */
static struct vnode *
namei_procdir(bool root)
{
	struct proc *p = curproc;
	struct vnode *vp;

	spin_lock(&proc_lock);
	vp = root ? p->p_root : p->p_cwd;
	vref(vp);
	spin_unlock(&proc_lock);
	return vp;
}

/*
 * The directory a relative path starts from: the working directory for
 * AT_FDCWD, else dirfd's vnode.  Referenced.  -EBADF; -ENOTDIR is left to
 * the walk (an empty path with ND_EMPTY may name any file).
 */
static int
namei_startdir(int dirfd, struct vnode **vpp)
{
	if (dirfd == AT_FDCWD) {
		*vpp = namei_procdir(false);
		return 0;
	}
	return fd_getvnode(dirfd, vpp);
}

/*
 * Set *viap, the bind a non-directory was reached through (held, or
 * NULL), to mp, dropping what it held.
 */
static void
namei_via(struct mount **viap, struct mount *mp)
{
	if (*viap != NULL)
		vfs_mount_drop(*viap);
	*viap = mp;
}

/*
 * Go into whatever is mounted on *vpp (repeatedly: mounts stack), moving
 * the reference.  A file's bind gives the filesystem's file: *viap says
 * which bind it was reached through (held).
 */
static void
namei_cross_down(struct vnode **vpp, struct mount **viap)
{
	struct vnode *root;
	struct mount *fbind;

	while ((root = vfs_mounted_root_via(*vpp, &fbind)) != NULL) {
		vrele(*vpp);
		*vpp = root;
		namei_via(viap, fbind);
	}
}

/*
 * ".." from dir (referenced; the reference moves to the result): the
 * process's root stays itself; the root of a mount goes first to the
 * directory it covers.
 */
static int
namei_dotdot(struct vnode *root, struct vnode **dirp)
{
	struct vnode *dir = *dirp, *up;
	struct mount *via = NULL;
	int error;

	for (;;) {
		if (dir == root)
			return 0;
		if ((up = vfs_covered(dir)) == NULL)
			break;
		vrele(dir);
		dir = up;
		*dirp = dir;
	}
	if ((error = dir->v_ops->vop_lookup(dir, "..", 2, &up)) < 0)
		return error;
	vrele(dir);
	namei_cross_down(&up, &via);
	namei_via(&via, NULL);		/* a directory: none */
	*dirp = up;
	return 0;
}

/*
 * Splice the target of symbolic link vp in front of rest, in buf (PATH_MAX
 * bytes; rest may point into it).  Returns 0, -ENAMETOOLONG, or an error
 * of vop_readlink.
 */
static int
namei_splice(struct vnode *vp, const char *rest, char *buf, char *scratch)
{
	long n;
	size_t restlen = strlen(rest);

	n = vp->v_ops->vop_readlink(vp, scratch, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;		/* an empty link names nothing */
	if ((size_t)n + 1 + restlen + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(buf + n + 1, rest, restlen + 1);
	memcpy(buf, scratch, (size_t)n);
	buf[n] = restlen > 0 ? '/' : '\0';
	return 0;
}

/*
 * openat2(2)'s scoped lookups (ND_BENEATH, ND_INROOT) take the start
 * directory as their root; every other the process's.  Referenced.
 */
static int
namei_root(const struct nameidata *nd, struct vnode **rootp)
{
	if (nd->nd_flags & (ND_BENEATH | ND_INROOT))
		return namei_startdir(nd->nd_dirfd, rootp);
	*rootp = namei_procdir(true);
	return 0;
}

/*
 * May the walk leave dir for ".." (root: the lookup's root)?  ND_BENEATH
 * may not climb out of its root, ND_NOXDEV not out of a mount: -EXDEV.
 */
static int
namei_dotdot_ok(const struct nameidata *nd, struct vnode *root,
    struct vnode *dir)
{
	struct vnode *up;

	if (dir == root)
		return (nd->nd_flags & ND_BENEATH) ? -EXDEV : 0;
	if ((nd->nd_flags & ND_NOXDEV) && (up = vfs_covered(dir)) != NULL) {
		vrele(up);
		return -EXDEV;
	}
	return 0;
}

/* ND_NOXDEV: is something mounted on vp, which the walk would enter? */
static int
namei_noxdev(struct vnode *vp)
{
	struct vnode *root;

	if ((root = vfs_mounted_root(vp)) == NULL)
		return 0;
	vrele(root);
	return -EXDEV;
}

/*
 * Name name/len of directory dir: from the name cache, else from the
 * filesystem (remembered then).  *vpp referenced.
 */
static int
namei_lookup(struct vnode *dir, const char *name, size_t len,
    struct vnode **vpp)
{
	uint64_t gen;
	int error;

	/* A filesystem whose names come and go by themselves (procfs). */
	if (dir->v_mount->mnt_ops->vfs_nocache)
		return dir->v_ops->vop_lookup(dir, name, len, vpp);
	if (ncache_lookup(dir, name, len, vpp, &gen) == 0)
		return 0;
	if ((error = dir->v_ops->vop_lookup(dir, name, len, vpp)) == 0)
		ncache_enter(dir, name, len, *vpp, gen);
	return error;
}

/* Is the component name/len "." or ".."? */
static int
namei_dots(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 2;
	return 0;
}

/*
 * Resolve nd->nd_path (see sys/sys/vnode.h).  With ND_PARENT, the last
 * name is not looked up by the walk itself but returned in nd_last with
 * its directory in nd_dvp, and what it names (if anything) in nd_vp,
 * following a final symbolic link only with ND_FOLLOW; a last name of
 * "." or ".." there is -EINVAL for the caller to translate, and "/" alone
 * is -EBUSY.
 */
int
namei(struct nameidata *nd)
{
	struct vnode *root, *dir, *vp = NULL;
	struct mount *via = NULL;	/* held: see namei_via */
	char *buf = NULL, *scratch = NULL;
	const char *p, *name, *path = nd->nd_path;
	size_t len;
	int links = 0, dots, error;
	bool last, slash, follow;

	nd->nd_vp = nd->nd_dvp = NULL;
	nd->nd_mnt = nd->nd_mnthold = NULL;
	nd->nd_slash = false;
	nd->nd_lastlen = 0;
	nd->nd_lastdots = 0;
	if (nd->nd_path[0] == '\0') {
		if (!(nd->nd_flags & ND_EMPTY))
			return -ENOENT;
		if (nd->nd_dirfd == AT_FDCWD)
			vp = namei_procdir(false);
		else if ((error = fd_getplace(nd->nd_dirfd, &vp, &via)) < 0)
			return error;
		if (nd->nd_flags & ND_PARENT) {
			vrele(vp);
			namei_via(&via, NULL);
			return -ENOENT;
		}
		nd->nd_vp = vp;
		nd->nd_mnt = vp->v_mount;
		/* The mount the descriptor was opened through. */
		if (via != NULL && via != vp->v_mount)
			nd->nd_mnt = nd->nd_mnthold = via;
		else
			namei_via(&via, NULL);
		return 0;
	}
	/*
	 * The walk reads the caller's path; the buffers that splice a
	 * symbolic link's target in come only when a link is met, which
	 * most lookups never do.
	 */
	if ((error = namei_root(nd, &root)) < 0)
		return error;
	if (path[0] == '/' && (nd->nd_flags & ND_BENEATH)) {
		error = -EXDEV;
		goto out_root;
	} else if (path[0] == '/') {
		dir = root;
		vref(dir);
	} else if ((error = namei_startdir(nd->nd_dirfd, &dir)) < 0) {
		goto out_root;
	}

	p = path;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {
			/* "/", or a walk that ended on a directory. */
			if (nd->nd_flags & ND_PARENT) {
				error = -EBUSY;
				goto out_dir;
			}
			if (dir->v_type != VDIR) {
				error = -ENOTDIR;
				goto out_dir;
			}
			nd->nd_vp = dir;
			nd->nd_mnt = dir->v_mount;
			error = 0;
			goto out_root;
		}
		name = p;
		while (*p != '\0' && *p != '/')
			p++;
		len = (size_t)(p - name);
		slash = *p == '/';
		while (*p == '/')
			p++;
		last = *p == '\0';
		if (len > NAME_MAX) {
			error = -ENAMETOOLONG;
			goto out_dir;
		}
		if (dir->v_type != VDIR) {
			error = -ENOTDIR;
			goto out_dir;
		}
		if ((error = vn_access(dir, X_OK)) < 0)
			goto out_dir;
		dots = namei_dots(name, len);
		if (last && (nd->nd_flags & ND_PARENT)) {
			nd->nd_slash = slash;
			if (dots != 0) {
				nd->nd_lastdots = dots;
				error = -EINVAL;
				goto out_dir;
			}
			memcpy(nd->nd_last, name, len);
			nd->nd_last[len] = '\0';
			nd->nd_lastlen = len;
		}
		if (dots == 1)
			continue;
		if (dots == 2) {
			if ((error = namei_dotdot_ok(nd, root, dir)) < 0 ||
			    (error = namei_dotdot(root, &dir)) < 0)
				goto out_dir;
			continue;
		}
		error = namei_lookup(dir, name, len, &vp);
		if (error == -ENOENT && last && (nd->nd_flags & ND_PARENT)) {
			nd->nd_dvp = dir;
			nd->nd_vp = NULL;
			nd->nd_mnt = dir->v_mount;
			error = 0;
			goto out_root;
		}
		if (error < 0)
			goto out_dir;
		/* A bind's directory gives its filesystem's other files. */
		if (vp->v_type != VDIR && vp->v_mount != dir->v_mount &&
		    dir->v_mount->mnt_lower == vp->v_mount) {
			vfs_mount_hold(dir->v_mount);
			namei_via(&via, dir->v_mount);
		}
		if ((nd->nd_flags & ND_NOXDEV) &&
		    (error = namei_noxdev(vp)) < 0)
			goto out_vp;
		/* ND_NOCROSS: the mount point itself, for its caller. */
		if (!last || !(nd->nd_flags & ND_NOCROSS))
			namei_cross_down(&vp, &via);
		/*
		 * A trailing slash follows a final link, except for the
		 * calls that make, remove or rename the name itself
		 * (ND_PARENT): they see the link (path_resolution(7)).
		 */
		follow = !last || (nd->nd_flags & ND_FOLLOW) ||
		    (slash && !(nd->nd_flags & ND_PARENT));
		/*
		 * A magic link (procfs's fd/N, cwd, exe) names a vnode: the
		 * walk goes on from it, not from its text (vop_getlink).
		 */
		if (vp->v_type == VLNK && follow &&
		    vp->v_ops->vop_getlink != NULL) {
			struct vnode *target;

			if ((nd->nd_flags & ND_NOSYMLINKS) ||
			    ++links > SYMLOOP_MAX) {
				error = -ELOOP;
				goto out_vp;
			}
			error = vp->v_ops->vop_getlink(vp, &target);
			if (error == 0) {
				vrele(vp);
				vp = target;
				namei_via(&via, NULL);
			} else if (error != -EINVAL) {
				goto out_vp;
			}
		}
		if (vp->v_type == VLNK && follow) {
			if (nd->nd_flags & ND_NOSYMLINKS) {
				error = -ELOOP;
				goto out_vp;
			}
			if (++links > SYMLOOP_MAX) {
				error = -ELOOP;
				goto out_vp;
			}
			/* Restart from the link's target, then the rest. */
			if (slash && last)
				p--;	/* keep one '/': the rest is "/" */
			if (scratch == NULL &&
			    ((buf = kmalloc(PATH_MAX, 0)) == NULL ||
			    (scratch = kmalloc(PATH_MAX, 0)) == NULL)) {
				error = -ENOMEM;
				goto out_vp;
			}
			error = namei_splice(vp, p, buf, scratch);
			vrele(vp);
			vp = NULL;
			namei_via(&via, NULL);
			if (error < 0)
				goto out_dir;
			p = buf;
			if (buf[0] == '/' && ((nd->nd_flags & ND_BENEATH) ||
			    ((nd->nd_flags & ND_NOXDEV) &&
			    dir->v_mount != root->v_mount))) {
				error = -EXDEV;
				goto out_dir;
			}
			if (buf[0] == '/') {
				vrele(dir);
				dir = root;
				vref(dir);
			}
			continue;
		}
		if (last) {
			/* ND_PARENT: the caller judges "file/" (nd_slash). */
			if (slash && vp->v_type != VDIR &&
			    !(nd->nd_flags & ND_PARENT)) {
				error = -ENOTDIR;
				goto out_vp;
			}
			nd->nd_slash = slash;
			nd->nd_vp = vp;
			nd->nd_mnt = via != NULL ? via : vp->v_mount;
			nd->nd_mnthold = via;
			via = NULL;
			if (nd->nd_flags & ND_PARENT)
				nd->nd_dvp = dir;
			else
				vrele(dir);
			error = 0;
			goto out_root;
		}
		vrele(dir);
		dir = vp;
		vp = NULL;
		namei_via(&via, NULL);
	}

out_vp:
	vrele(vp);
out_dir:
	vrele(dir);
out_root:
	namei_via(&via, NULL);
	vrele(root);
	kfree(scratch);
	kfree(buf);
	return error;
}

/* Release the references a successful namei() returned. */
void
nd_release(struct nameidata *nd)
{
	if (nd->nd_vp != NULL)
		vrele(nd->nd_vp);
	if (nd->nd_dvp != NULL)
		vrele(nd->nd_dvp);
	nd->nd_vp = nd->nd_dvp = NULL;
	nd_release_mnt(nd);
}

/*
 * Release the hold a successful namei took on the bind it found nd_vp
 * through, if any (nd_mnt is not to be used after it), for a caller that
 * takes nd_vp for itself.
 */
void
nd_release_mnt(struct nameidata *nd)
{
	if (nd->nd_mnthold != NULL)
		vfs_mount_drop(nd->nd_mnthold);
	nd->nd_mnthold = NULL;
}
