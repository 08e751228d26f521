/*
 * The name cache: what vop_lookup found, so that path lookup need not ask
 * the filesystem again for the same name of the same directory.
 *
 * An entry maps (directory vnode, name) to the vnode the name was found
 * to be, and holds a reference on both: the directory cannot be freed
 * (and its address reused by another vnode) while a key names it, and
 * the hit hands out a new reference safely.  That reference must not keep
 * a file alive once it has lost its name, so every VFS call that takes a
 * name away purges it after the filesystem did (unlink, rmdir, rename,
 * the source and the target), and umount2 purges the whole mount before
 * it counts its users.  A tmpfs file thus goes with its last real user,
 * as before: vnode_lastref reaches zero only once the cache let go.
 * Only names that exist are cached (no negative entries: many callers
 * make names, and none would need to purge), never "." or ".." (namei
 * handles those), and names of at most NCACHE_NAMELEN bytes.
 *
 * A lookup that missed races with a purge: it may find a name with
 * vop_lookup just before another thread removes it and purges, then
 * enter it after the purge.  So every purge advances ncache_gen, and an
 * entry is made only if the generation is the one the miss saw.  An
 * entry is not made in a lazily unmounted filesystem either (whose last
 * user must be able to free it): umount2 sets mnt_detached before it
 * purges, under mount_lock, and ncache_enter reads it under
 * ncache_lock, after that purge or before it (which then removes it).
 *
 * There are at most NCACHE_MAX entries; a new one past that evicts the
 * least recently used.  The references an entry held are dropped after
 * ncache_lock, since the last one runs the filesystem's vop_inactive.
 *
 * ncache_lock, a spin lock, protects everything below; it is taken
 * before vnode_lock (vref) and never the other way round.
 *
 * Locks protecting members of these structs and the variables below:
 *	n	ncache_lock
 */
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "vfs_internal.h"

#define NCACHE_MAX	2048	/* entries at most */
#define NCACHE_HASH	512	/* buckets, a power of two */
#define NCACHE_NAMELEN	39	/* longer names are not cached */

struct ncentry {
	struct ncentry	*nc_hnext;	/* [n] in its bucket */
	struct ncentry	*nc_lnext;	/* [n] LRU list, most recent first */
	struct ncentry	*nc_lprev;	/* [n] */
	struct vnode	*nc_dvp;	/* [n] referenced */
	struct vnode	*nc_vp;		/* [n] referenced */
	uint32_t	 nc_hash;	/* [n] */
	uint8_t		 nc_len;	/* [n] */
	char		 nc_name[NCACHE_NAMELEN];	/* [n] */
};

static struct spinlock ncache_lock = SPINLOCK_INIT("ncache_lock");
static struct ncentry *ncache_hash[NCACHE_HASH];	/* [n] */
static struct ncentry ncache_lru = {			/* [n] list head */
	.nc_lnext = &ncache_lru,
	.nc_lprev = &ncache_lru,
};
static uint32_t ncache_count;				/* [n] */
static uint64_t ncache_gen;				/* [n] purges */

/* FNV-1a of the name, mixed with the directory's address. */
static uint32_t
ncache_hashof(const struct vnode *dvp, const char *name, size_t len)
{
	uint64_t h = 14695981039346656037ULL ^ ((uintptr_t)dvp >> 4);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 1099511628211ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static struct ncentry **
ncache_bucket(uint32_t hash)
{
	return &ncache_hash[hash & (NCACHE_HASH - 1)];
}

/* The entry for (dvp, name), or NULL.  ncache_lock held. */
static struct ncentry *
ncache_find(struct vnode *dvp, const char *name, size_t len, uint32_t hash)
{
	struct ncentry *nc;

	for (nc = *ncache_bucket(hash); nc != NULL; nc = nc->nc_hnext)
		if (nc->nc_hash == hash && nc->nc_dvp == dvp &&
		    nc->nc_len == len && memcmp(nc->nc_name, name, len) == 0)
			return nc;
	return NULL;
}

static void
ncache_lru_unlink(struct ncentry *nc)
{
	nc->nc_lprev->nc_lnext = nc->nc_lnext;
	nc->nc_lnext->nc_lprev = nc->nc_lprev;
}

static void
ncache_lru_front(struct ncentry *nc)
{
	nc->nc_lnext = ncache_lru.nc_lnext;
	nc->nc_lprev = &ncache_lru;
	ncache_lru.nc_lnext->nc_lprev = nc;
	ncache_lru.nc_lnext = nc;
}

/*
 * Take nc out of the cache onto the list *doomed (through nc_hnext), for
 * ncache_release after ncache_lock.  ncache_lock held.
 */
static void
ncache_unlink(struct ncentry *nc, struct ncentry **doomed)
{
	struct ncentry **pp;

	for (pp = ncache_bucket(nc->nc_hash); *pp != nc;
	    pp = &(*pp)->nc_hnext)
		continue;
	*pp = nc->nc_hnext;
	ncache_lru_unlink(nc);
	ncache_count--;
	nc->nc_hnext = *doomed;
	*doomed = nc;
}

/* Drop the references of unlinked entries and free them (no lock held). */
static void
ncache_release(struct ncentry *doomed)
{
	struct ncentry *nc;

	while ((nc = doomed) != NULL) {
		doomed = nc->nc_hnext;
		vrele(nc->nc_vp);
		vrele(nc->nc_dvp);
		kfree(nc);
	}
}

/*
 * Look name (len bytes) up in directory dvp in the cache.  Takes
 * ncache_lock.  Returns 0 with *vpp referenced on a hit; on a miss
 * -ENOENT, with in *genp the generation to pass to ncache_enter.
 */
int
ncache_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp, uint64_t *genp)
{
	struct ncentry *nc;
	uint32_t hash;

	if (len > NCACHE_NAMELEN) {
		*genp = 0;
		return -ENOENT;
	}
	hash = ncache_hashof(dvp, name, len);
	spin_lock(&ncache_lock);
	if ((nc = ncache_find(dvp, name, len, hash)) == NULL) {
		*genp = ncache_gen;
		spin_unlock(&ncache_lock);
		return -ENOENT;
	}
	vref(nc->nc_vp);
	*vpp = nc->nc_vp;
	ncache_lru_unlink(nc);
	ncache_lru_front(nc);
	spin_unlock(&ncache_lock);
	return 0;
}

/*
 * Remember that name (len bytes) of directory dvp is vp, which vop_lookup
 * just found (the caller holds references on both), unless something was
 * purged since ncache_lookup gave out gen, dvp's mount is lazily
 * unmounted, or the name is too long.  Takes ncache_lock; out of memory,
 * nothing is remembered.
 */
void
ncache_enter(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, uint64_t gen)
{
	struct ncentry *nc, *doomed = NULL;
	uint32_t hash;

	if (len > NCACHE_NAMELEN)
		return;
	if ((nc = kmalloc(sizeof(*nc), 0)) == NULL)
		return;
	hash = ncache_hashof(dvp, name, len);
	spin_lock(&ncache_lock);
	if (gen != ncache_gen || dvp->v_mount->mnt_detached ||
	    ncache_find(dvp, name, len, hash) != NULL) {
		spin_unlock(&ncache_lock);
		kfree(nc);
		return;
	}
	if (ncache_count >= NCACHE_MAX)
		ncache_unlink(ncache_lru.nc_lprev, &doomed);
	nc->nc_dvp = dvp;
	nc->nc_vp = vp;
	vref(dvp);
	vref(vp);
	nc->nc_hash = hash;
	nc->nc_len = (uint8_t)len;
	memcpy(nc->nc_name, name, len);
	nc->nc_hnext = *ncache_bucket(hash);
	*ncache_bucket(hash) = nc;
	ncache_lru_front(nc);
	ncache_count++;
	spin_unlock(&ncache_lock);
	ncache_release(doomed);
}

/*
 * Forget name (len bytes) of directory dvp, which the caller just
 * removed or renamed away (or made name something else): its references
 * go, and no lookup that raced with the change may enter it again.
 * Takes ncache_lock; the caller holds no filesystem lock (dropping the
 * cache's reference may run vop_inactive).
 */
void
ncache_purge(struct vnode *dvp, const char *name, size_t len)
{
	struct ncentry *nc, *doomed = NULL;
	uint32_t hash;

	hash = ncache_hashof(dvp, name, len);
	spin_lock(&ncache_lock);
	ncache_gen++;
	if (len <= NCACHE_NAMELEN &&
	    (nc = ncache_find(dvp, name, len, hash)) != NULL)
		ncache_unlink(nc, &doomed);
	spin_unlock(&ncache_lock);
	ncache_release(doomed);
}

/*
 * Forget every name of mount mp (umount2: before it counts the mount's
 * users, and after a lazy unmount took it out of the tree).  Takes
 * ncache_lock; no filesystem lock or mount_lock held.
 */
void
ncache_purge_mount(struct mount *mp)
{
	struct ncentry *nc, *next, *doomed = NULL;

	spin_lock(&ncache_lock);
	ncache_gen++;
	for (nc = ncache_lru.nc_lnext; nc != &ncache_lru; nc = next) {
		next = nc->nc_lnext;
		if (nc->nc_dvp->v_mount == mp)
			ncache_unlink(nc, &doomed);
	}
	spin_unlock(&ncache_lock);
	ncache_release(doomed);
}

/*
 * A name of vp that the cache remembers: its directory (referenced) in
 * *dvpp and the name in name (NAME_MAX + 1 bytes, NUL-terminated).  For
 * procfs, which names open files (fd/N, exe, maps) by path although
 * vnodes do not know their parents.  Returns 0, or -ENOENT when no entry
 * names vp (evicted, a long name, or never looked up).  Takes
 * ncache_lock.
 */
int
ncache_revlookup(struct vnode *vp, struct vnode **dvpp, char *name)
{
	struct ncentry *nc;

	spin_lock(&ncache_lock);
	for (nc = ncache_lru.nc_lnext; nc != &ncache_lru; nc = nc->nc_lnext) {
		if (nc->nc_vp != vp)
			continue;
		vref(nc->nc_dvp);
		*dvpp = nc->nc_dvp;
		memcpy(name, nc->nc_name, nc->nc_len);
		name[nc->nc_len] = '\0';
		spin_unlock(&ncache_lock);
		return 0;
	}
	spin_unlock(&ncache_lock);
	return -ENOENT;
}
