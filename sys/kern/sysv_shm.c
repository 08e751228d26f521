/*
 * System V shared memory: shmget, shmat, shmdt and shmctl (svipc(7),
 * shmget(2), shmop(2), shmctl(2)), as Linux behaves.
 *
 * A segment is a key, an owner and permissions, and a memory object
 * (sys/vm_object.h) of its size in pages, zero-filled on first touch:
 * the same kind of object that MAP_SHARED|MAP_ANONYMOUS memory uses, so
 * every process that attaches the segment finds the same pages.  shmat
 * maps the object (vm_map_object); fork copies the mapping, which shares
 * the object as any shared mapping does; shmdt, munmap, exec and exit
 * unmap it.
 *
 * Attachments.  shm_nattch counts the map entries that map the segment,
 * in every address space, as Linux counts its VMAs: an entry that fork
 * or a split (mprotect of part of it) makes is one more.  The object is
 * watched (vm_object_set_watch): the VM calls shm_watch_map and
 * shm_watch_unmap each time an entry starts or stops mapping it, which
 * also keep shm_atime, shm_dtime and shm_lpid.  shmat counts its
 * attachment in progress too (Linux does the same), so that a segment
 * removed meanwhile stays until the mapping is made.
 *
 * Removal.  IPC_RMID frees a segment at once when nothing is attached;
 * otherwise it is marked SHM_DEST and its key becomes IPC_PRIVATE (no
 * shmget finds it any more; IPC_STAT and shmat by id still do, as on
 * Linux), and it goes with its last detach.
 *
 * Identifiers, keys and permissions are those every System V IPC kind
 * has (sys/ipc.h, kern/sysv_ipc.c): a segment lives in one of SHMMNI
 * slots, and the id of a removed one does not name the slot's next one
 * (EINVAL).
 *
 * Lock order: vm_lock, then obj_lock, then shm_lock (the watch functions
 * run under the first two).  shm_lock is a spin lock and a leaf: nothing
 * maps, unmaps, copies to or from the user, or sleeps under it, and the
 * last reference to an object is dropped only after it is let go of.
 */
#include <sys/abi/shm.h>
#include <sys/errno.h>
#include <sys/ipc.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/shm.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_object.h>

#include <fs/procfs/procfs.h>

#include <sysproto.h>

/*
 * One segment.  shm_perm comes first (sys/ipc.h).
 *
 * Locks protecting members of this struct:
 *	I	immutable after shm_create_locked()
 *	s	shm_lock
 */
struct shm_seg {
	struct ipc_kperm shm_perm;	/* [s] mode: also SHM_DEST */
	size_t		 shm_segsz;	/* [I] bytes */
	uint64_t	 shm_npages;	/* [I] pages */
	int64_t		 shm_atime;	/* [s] seconds */
	int64_t		 shm_dtime;	/* [s] */
	int64_t		 shm_ctime;	/* [s] */
	int		 shm_cpid;	/* [I] */
	int		 shm_lpid;	/* [s] */
	unsigned long	 shm_nattch;	/* [s] entries, and shmat under way */
	struct vm_object *shm_obj;	/* [I] the pages; one reference */
};

/*
 * The segments by slot, and what they use.
 *	s	shm_lock
 */
static struct spinlock shm_lock = SPINLOCK_INIT("shm_lock");
static struct ipc_kperm *shm_slots[SHMMNI];	/* [s] */
static struct ipc_ids shm_ids = IPC_IDS_INIT(shm_slots, SHMMNI); /* [s] */
static uint64_t shm_totpages;			/* [s] their pages */

static void shm_watch_map(void *arg);
static void shm_watch_unmap(void *arg);

static const struct vm_object_watch shm_watch = {
	.ow_map = shm_watch_map,
	.ow_unmap = shm_watch_unmap,
};

/*
 * Take seg out of its slot, so that no id or key finds it.  shm_lock
 * held.  The caller then drops seg's reference to its object and frees
 * it (shm_free) once no lock that the object's last release may need is
 * held.
 */
static void
shm_unlink_locked(struct shm_seg *seg)
{
	KASSERT(spin_held(&shm_lock), "shm_unlink_locked: shm_lock");
	ipc_id_free(&shm_ids, &seg->shm_perm);
	shm_totpages -= seg->shm_npages;
}

static void
shm_free(struct shm_seg *seg)
{
	vm_object_release(seg->shm_obj);
	kfree(seg);
}

/*
 * One attachment of seg (or shmat's hold on it) is gone: the last one of
 * a removed segment takes it out of its slot and frees it.  Called with
 * shm_lock held, which it lets go of.
 */
static void
shm_detach_unlock(struct shm_seg *seg)
{
	bool gone;

	KASSERT(seg->shm_nattch > 0, "shm_detach_unlock: not attached");
	gone = --seg->shm_nattch == 0 && (seg->shm_perm.ip_mode & SHM_DEST);
	if (gone)
		shm_unlink_locked(seg);
	spin_unlock(&shm_lock);
	if (gone)
		shm_free(seg);
}

/* An entry maps seg's object now (shmat, fork, a split). */
static void
shm_watch_map(void *arg)
{
	struct shm_seg *seg = arg;

	spin_lock(&shm_lock);
	seg->shm_nattch++;
	seg->shm_atime = ipc_now();
	seg->shm_lpid = ipc_curpid();
	spin_unlock(&shm_lock);
}

/*
 * An entry stopped mapping seg's object; the last one of a removed
 * segment frees it.  The entry still holds a reference to the object,
 * so seg's is not the last and may be dropped here, under obj_lock.
 */
static void
shm_watch_unmap(void *arg)
{
	struct shm_seg *seg = arg;

	spin_lock(&shm_lock);
	seg->shm_dtime = ipc_now();
	seg->shm_lpid = ipc_curpid();
	shm_detach_unlock(seg);
}

/*
 * Fill in seg (made by shm_alloc) as a segment of size bytes with key
 * and the permission bits of flg, owned by the caller, and put it into
 * the lowest free slot.  shm_lock held.  Returns the id, or -ENOSPC
 * (SHMMNI segments, or SHMALL pages, exist).
 */
static int
shm_create_locked(struct shm_seg *seg, int key, size_t size, int flg)
{
	int id;

	KASSERT(spin_held(&shm_lock), "shm_create_locked: shm_lock");
	if (shm_totpages + seg->shm_npages < shm_totpages ||
	    shm_totpages + seg->shm_npages > SHMALL)
		return -ENOSPC;
	ipc_perm_init(&seg->shm_perm, key, flg);
	if ((id = ipc_id_alloc(&shm_ids, &seg->shm_perm)) < 0)
		return id;
	seg->shm_segsz = size;
	seg->shm_ctime = ipc_now();
	seg->shm_cpid = curproc->p_pid;
	shm_totpages += seg->shm_npages;
	return id;
}

/* A new segment's memory, before shm_lock: 0 or -EINVAL, -ENOMEM. */
static int
shm_alloc(size_t size, struct shm_seg **segp)
{
	struct shm_seg *seg;

	/* shmget(2): EINVAL below SHMMIN or above SHMMAX. */
	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	if ((seg = kmalloc(sizeof(*seg), M_ZERO)) == NULL)
		return -ENOMEM;
	seg->shm_npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	seg->shm_obj = vm_object_create(seg->shm_npages, VM_OBJECT_SHMEM);
	if (seg->shm_obj == NULL) {
		kfree(seg);
		return -ENOMEM;
	}
	vm_object_set_watch(seg->shm_obj, &shm_watch, seg);
	*segp = seg;
	return 0;
}

/*
 * shmget(2): the id of the segment with key, made when key is
 * IPC_PRIVATE or (with IPC_CREAT) unused: size bytes, zero-filled, with
 * the permission bits of shmflg.  Errors as Linux gives them: EINVAL
 * (size out of [SHMMIN, SHMMAX] for a new segment, or larger than an
 * existing one; SHM_HUGETLB, which is not supported), ENOENT (no segment
 * and no IPC_CREAT), EEXIST (IPC_CREAT|IPC_EXCL and one exists), EACCES
 * (the existing one's permissions deny shmflg's), ENOSPC, ENOMEM.
 * Takes shm_lock.
 */
long
sys_shmget(key_t key, size_t size, int shmflg)
{
	struct shm_seg *seg, *nseg = NULL;
	long error = -EINVAL;

	if (shmflg & SHM_HUGETLB) {
		klog("shm", "pid %d: shmget SHM_HUGETLB: EclipseOS has no huge "
		    "pages", curproc->p_pid);
		return -EINVAL;
	}
	if (key == IPC_PRIVATE || (shmflg & IPC_CREAT)) {
		/*
		 * Made before the lock (it allocates); unused when the key
		 * exists.  Its size is checked only if it is needed.
		 */
		error = shm_alloc(size, &nseg);
		if (error < 0 && key == IPC_PRIVATE)
			return error;
	}
	spin_lock(&shm_lock);
	seg = key == IPC_PRIVATE ? NULL :
	    (struct shm_seg *)ipc_key_lookup(&shm_ids, key);
	if (seg == NULL) {
		if (key != IPC_PRIVATE && !(shmflg & IPC_CREAT))
			error = -ENOENT;
		else if (nseg != NULL &&
		    (error = shm_create_locked(nseg, key, size, shmflg)) >= 0)
			nseg = NULL;
		/* else shm_alloc's error */
	} else if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		error = -EEXIST;
	else if ((error = ipc_access(&seg->shm_perm, shmflg & IPC_PERMS)) < 0)
		;
	else if (seg->shm_segsz < size)
		error = -EINVAL;
	else
		error = seg->shm_perm.ip_id;
	spin_unlock(&shm_lock);
	if (nseg != NULL)
		shm_free(nseg);
	return error;
}

/*
 * Work out shmat's address and protections: *addrp rounded (SHM_RND) and
 * checked, the VM flags, the protection and what mprotect may give, the
 * access bits to check.  0 or -EINVAL.
 */
static int
shm_at_args(vaddr_t *addrp, int shmflg, int *flagsp, int *protp,
    int *maxprotp, unsigned int *accp)
{
	vaddr_t addr = *addrp;

	*flagsp = VM_MAP_SHARED;
	if (addr != 0) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(vaddr_t)(SHMLBA - 1);
			if (addr == 0 && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		/* Without SHM_REMAP an overlap is EINVAL (shmop(2)). */
		*flagsp |= (shmflg & SHM_REMAP) ? VM_MAP_FIXED :
		    VM_MAP_FIXED_NOREPLACE;
	} else if (shmflg & SHM_REMAP)
		return -EINVAL;
	if (shmflg & SHM_RDONLY) {
		*protp = VM_PROT_READ;
		*maxprotp = VM_PROT_READ | VM_PROT_EXEC;
		*accp = 0444;
	} else {
		*protp = VM_PROT_READ | VM_PROT_WRITE;
		*maxprotp = VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC;
		*accp = 0666;
	}
	if (shmflg & SHM_EXEC) {
		*protp |= VM_PROT_EXEC;
		*accp |= 0111;
	}
	*addrp = addr;
	return 0;
}

/*
 * shmat(2): attach segment shmid at shmaddr (NULL: where there is room;
 * rounded down to SHMLBA with SHM_RND) read-write, or read-only with
 * SHM_RDONLY, executable too with SHM_EXEC; SHM_REMAP replaces what is
 * mapped there.  Returns the address, or -EINVAL (no such id, a bad or
 * taken address, SHM_REMAP without one), -EACCES (permissions), -ENOMEM.
 * Takes shm_lock, then vm_lock (not both at once).
 */
long
sys_shmat(int shmid, void __user *shmaddr, int shmflg)
{
	struct ipc_kperm *perm;
	struct shm_seg *seg = NULL;
	vaddr_t addr = (vaddr_t)shmaddr;
	unsigned int acc;
	int flags, prot, maxprot, error;

	if (shmid < 0)
		return -EINVAL;
	if ((error = shm_at_args(&addr, shmflg, &flags, &prot, &maxprot,
	    &acc)) < 0)
		return error;
	spin_lock(&shm_lock);
	if ((error = ipc_get(&shm_ids, shmid, acc, &perm)) == 0) {
		seg = (struct shm_seg *)perm;
		seg->shm_nattch++;	/* keeps seg while we map it */
	}
	spin_unlock(&shm_lock);
	if (error < 0)
		return error;

	vm_object_hold(seg->shm_obj);
	error = vm_map_object(curproc->p_vmspace, &addr, seg->shm_segsz, prot,
	    maxprot, flags, seg->shm_obj);
	if (error < 0)
		vm_object_release(seg->shm_obj);
	if (error == -EEXIST)
		error = -EINVAL;

	spin_lock(&shm_lock);
	shm_detach_unlock(seg);
	return error < 0 ? error : (long)addr;
}

/*
 * shmdt(2): detach the segment attached at shmaddr (and the pieces of
 * that attachment that follow it).  Returns 0, or -EINVAL (shmaddr not
 * page-aligned, or no attachment starts there).  Takes vm_lock.
 */
long
sys_shmdt(const void __user *shmaddr)
{
	vaddr_t addr = (vaddr_t)shmaddr;

	if (addr & PAGE_MASK)
		return -EINVAL;
	return vm_unmap_watched(curproc->p_vmspace, addr, &shm_watch);
}

/* The segment as IPC_STAT and SHM_STAT give it (ds zeroed).  shm_lock. */
static void
shm_stat_locked(const struct ipc_kperm *perm, void *dsp)
{
	const struct shm_seg *seg = (const struct shm_seg *)perm;
	struct l_shmid64_ds *ds = dsp;

	ipc_perm_stat(perm, &ds->shm_perm);
	ds->shm_segsz = seg->shm_segsz;
	ds->shm_atime = seg->shm_atime;
	ds->shm_dtime = seg->shm_dtime;
	ds->shm_ctime = seg->shm_ctime;
	ds->shm_cpid = seg->shm_cpid;
	ds->shm_lpid = seg->shm_lpid;
	ds->shm_nattch = seg->shm_nattch;
}

static const struct ipc_kind shm_kind = {
	.ik_lock = &shm_lock,
	.ik_ids = &shm_ids,
	.ik_stat_any = SHM_STAT_ANY,
	.ik_dssize = sizeof(struct l_shmid64_ds),
	.ik_stat = shm_stat_locked,
};

/* IPC_INFO and SHM_INFO: the limits, or the usage; the highest slot. */
static long
shm_ctl_info(int cmd, void __user *buf)
{
	struct l_shminfo64 si;
	struct l_shm_info su;
	const struct shm_seg *seg;
	uint64_t rss = 0;
	int i = 0, maxidx;

	memset(&si, 0, sizeof(si));
	memset(&su, 0, sizeof(su));
	si.shmmax = SHMMAX;
	si.shmmin = SHMMIN;
	si.shmmni = SHMMNI;
	si.shmseg = SHMMNI;		/* Linux's SHMSEG */
	si.shmall = SHMALL;
	spin_lock(&shm_lock);
	while ((seg = (struct shm_seg *)ipc_next(&shm_ids, &i)) != NULL)
		rss += vm_object_pages(seg->shm_obj);
	su.used_ids = shm_ids.ii_used;
	su.shm_tot = shm_totpages;
	su.shm_rss = rss;
	maxidx = ipc_maxidx(&shm_ids);
	spin_unlock(&shm_lock);
	if (cmd == IPC_INFO ? copyout(&si, buf, sizeof(si)) < 0 :
	    copyout(&su, buf, sizeof(su)) < 0)
		return -EFAULT;
	return maxidx;
}

/*
 * IPC_SET (uid, gid and the permission bits from buf) and IPC_RMID: the
 * owner's or creator's, or root's.  0, -EINVAL, -EPERM, -EFAULT.
 */
static long
shm_ctl_down(int shmid, int cmd, struct l_shmid64_ds __user *buf)
{
	struct l_shmid64_ds ds;
	struct ipc_kperm *perm;
	struct shm_seg *seg, *dead = NULL;
	long error;

	if (cmd == IPC_SET && copyin(buf, &ds, sizeof(ds)) < 0)
		return -EFAULT;
	spin_lock(&shm_lock);
	if ((error = ipc_get_owner(&shm_ids, shmid, &perm)) < 0)
		goto out;
	seg = (struct shm_seg *)perm;
	if (cmd == IPC_SET) {
		if ((error = ipc_perm_set(perm, &ds.shm_perm)) == 0)
			seg->shm_ctime = ipc_now();
	} else if (seg->shm_nattch > 0) {
		seg->shm_perm.ip_mode |= SHM_DEST;
		seg->shm_perm.ip_key = IPC_PRIVATE;
	} else {
		shm_unlink_locked(seg);
		dead = seg;
	}
out:
	spin_unlock(&shm_lock);
	if (dead != NULL)
		shm_free(dead);
	return error;
}

/*
 * shmctl(2): IPC_STAT, SHM_STAT, SHM_STAT_ANY, IPC_INFO, SHM_INFO,
 * IPC_SET, IPC_RMID.  SHM_LOCK and SHM_UNLOCK are not supported (-EINVAL,
 * logged); nor is any other command (-EINVAL).  Takes shm_lock.
 */
long
sys_shmctl(int shmid, int cmd, struct l_shmid64_ds __user *buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return ipc_ctl_stat(&shm_kind, shmid, cmd, buf);
	case IPC_INFO:
	case SHM_INFO:
		return shm_ctl_info(cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		return shm_ctl_down(shmid, cmd, buf);
	case SHM_LOCK:
	case SHM_UNLOCK:
		klog("shm", "pid %d: shmctl SHM_LOCK/SHM_UNLOCK is not "
		    "supported", curproc->p_pid);
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/*
 * /proc/sysvipc/shm: a header, then a line per segment in slot order, in
 * Linux's columns (key, id, mode in octal with SHM_DEST, size, creator
 * and last pids, attachments, owner and creator ids, the three times,
 * bytes resident and swapped).  Takes shm_lock.  Returns 0, or -ENOMEM
 * when the buffer could not grow.
 */
int
shm_pfs_print(struct pfsbuf *sb, int pid, int tid)
{
	const struct shm_seg *seg;
	int i = 0;

	(void)pid, (void)tid;
	pfs_printf(sb, "       key      shmid perms                  size  cpid"
	    "  lpid nattch   uid   gid  cuid  cgid      atime      dtime"
	    "      ctime                   rss                  swap\n");
	spin_lock(&shm_lock);
	while ((seg = (struct shm_seg *)ipc_next(&shm_ids, &i)) != NULL) {
		pfs_printf(sb, "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u "
		    "%5u %10lld %10lld %10lld %21llu %21d\n",
		    seg->shm_perm.ip_key, seg->shm_perm.ip_id,
		    seg->shm_perm.ip_mode,
		    (unsigned long)seg->shm_segsz, seg->shm_cpid, seg->shm_lpid,
		    seg->shm_nattch, seg->shm_perm.ip_uid, seg->shm_perm.ip_gid,
		    seg->shm_perm.ip_cuid, seg->shm_perm.ip_cgid,
		    (long long)seg->shm_atime, (long long)seg->shm_dtime,
		    (long long)seg->shm_ctime, (unsigned long long)
		    (vm_object_pages(seg->shm_obj) << PAGE_SHIFT), 0);
	}
	spin_unlock(&shm_lock);
	return sb->sb_error;
}
