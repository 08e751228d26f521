/*
 * Shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS): the object
 * that holds its pages.
 *
 * A private page lives only in the page table of the address space that
 * owns it.  A shared page must be found by every process that maps the
 * memory, including one that first touches it long after fork, so it is
 * kept in an object: a table from page index to physical page.  Every
 * map entry that maps the memory (in any address space, after fork, split
 * or mremap) holds a reference to the object; the object holds one
 * reference to each of its pages; page-table entries hold their own.
 * When the last entry goes, the object releases its pages, and each page
 * returns to the allocator when the last mapping of it is gone too.
 *
 * Like Linux's shmem, an object has a size, set by mmap: an access beyond
 * it (after mremap grew the mapping) is an error (vm_fault: -ENXIO, the
 * process gets SIGBUS).  The same objects hold the pages of tmpfs files
 * (sys/fs/tmpfs): the object is the file's page cache, which read, write
 * and mmap all use, and its size follows the file's (vm_object_resize).
 *
 * Truncation.  When a file shrinks, the pages past its new end must not
 * stay reachable through any mapping.  Each object keeps the list of the
 * map entries that map it (obj_maps); vm_object_resize walks it and
 * removes the page-table entries past the end from every address space.
 * That walk holds obj_lock and needs each entry's vm_lock, which comes
 * first in the lock order, so it only tries vm_lock (spin_trylock) and,
 * when it is busy, lets go of obj_lock and starts over; obj_gen and each
 * entry's e_ogen say which entries the current truncation has done.
 *
 * Accounting.  Every page an object holds is counted in vm_object_npages
 * (/proc/meminfo's Cached), and a VM_OBJECT_SHMEM object's also in
 * vm_object_nshmem (Shmem): atomic counters, changed where a slot gets
 * or loses a page (under that object's obj_lock, or with the last
 * reference), read without a lock.  tmpfs counts the pages it allocates against its size=
 * limit (vm_object_lookup with alloc, obj_resident).  A page that a fault
 * allocates (a store through a mapping into a hole of the file) is marked
 * VM_OBJ_UNCHARGED in its slot and counted in obj_uncharged instead, so
 * that the filesystem's own count stays exact.  Such pages are not
 * counted against size= (Linux counts them; ours would need the fault to
 * take the filesystem's sleeping lock).
 */
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_page.h>

#include <machine/cpufunc.h>

#include <vm/vm_mapvar.h>

/* Pages held by all objects, and by VM_OBJECT_SHMEM ones.  [a] */
static uint64_t vm_object_npages, vm_object_nshmem;

/* n pages more (n < 0: fewer) in obj, in the counters above. */
static void
vm_object_count(const struct vm_object *obj, int64_t n)
{
	__atomic_add_fetch(&vm_object_npages, (uint64_t)n, __ATOMIC_RELAXED);
	if (obj->obj_flags & VM_OBJECT_SHMEM)
		__atomic_add_fetch(&vm_object_nshmem, (uint64_t)n,
		    __ATOMIC_RELAXED);
}

/*
 * Return a new object of npages pages, none allocated yet, with one
 * reference (the caller's); flags: VM_OBJECT_SHMEM or 0.  NULL when
 * memory is exhausted.
 */
struct vm_object *
vm_object_create(uint64_t npages, int flags)
{
	struct vm_object *obj;

	if ((obj = kmalloc(sizeof(*obj), M_ZERO)) == NULL)
		return NULL;
	spin_init(&obj->obj_lock, "obj_lock");
	obj->obj_refs = 1;
	obj->obj_gen = 1;
	obj->obj_npages = npages;
	obj->obj_flags = flags;
	obj->obj_ndir = (npages + VM_OBJ_LEAF - 1) / VM_OBJ_LEAF;
	obj->obj_dir = kmalloc(obj->obj_ndir * sizeof(*obj->obj_dir), M_ZERO);
	if (obj->obj_dir == NULL) {
		kfree(obj);
		return NULL;
	}
	return obj;
}

/*
 * Set obj's watcher w (called with arg as each entry maps or unmaps obj).
 * Only before obj is first mapped: the fields are then immutable.
 */
void
vm_object_set_watch(struct vm_object *obj, const struct vm_object_watch *w,
    void *arg)
{
	KASSERT(obj->obj_maps == NULL, "vm_object_set_watch: mapped");
	obj->obj_watch = w;
	obj->obj_warg = arg;
}

/* Add a reference for one more map entry.  No lock. */
void
vm_object_hold(struct vm_object *obj)
{
	uint32_t old;

	old = __atomic_fetch_add(&obj->obj_refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vm_object_hold: object without references");
}

/*
 * Drop a reference; the last one releases every page of the object and
 * frees it.  No lock needed: nobody else can reach an object whose last
 * reference is ours.
 */
void
vm_object_release(struct vm_object *obj)
{
	uint64_t i, j;
	paddr_t *leaf;

	if (__atomic_sub_fetch(&obj->obj_refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	KASSERT(obj->obj_maps == NULL, "vm_object_release: still mapped");
	vm_object_count(obj, -(int64_t)(obj->obj_resident +
	    obj->obj_uncharged));
	for (i = 0; i < obj->obj_ndir; i++) {
		if ((leaf = obj->obj_dir[i]) == NULL)
			continue;
		for (j = 0; j < VM_OBJ_LEAF; j++)
			if (leaf[j] != 0)
				vm_page_release(trunc_page(leaf[j]));
		kfree(leaf);
	}
	kfree(obj->obj_dir);
	kfree(obj);
}

/*
 * The page at index idx of obj, allocated (zeroed) on first use, with one
 * more reference for the caller; charged says who allocates: the
 * filesystem (which counted it) or a fault.  obj_lock held.
 */
static int
vm_object_get(struct vm_object *obj, uint64_t idx, bool charged,
    paddr_t *pap)
{
	paddr_t **slot, pa;

	KASSERT(spin_held(&obj->obj_lock), "vm_object_get: obj_lock");
	if (idx >= obj->obj_npages)
		return -ENXIO;
	slot = &obj->obj_dir[idx / VM_OBJ_LEAF];
	if (*slot == NULL &&
	    (*slot = kmalloc(VM_OBJ_LEAF * sizeof(paddr_t), M_ZERO)) == NULL)
		return -ENOMEM;
	pa = trunc_page((*slot)[idx % VM_OBJ_LEAF]);
	if (pa == 0) {
		if ((pa = vm_page_alloc(true)) == 0)
			return -ENOMEM;
		vm_object_count(obj, 1);
		if (charged) {
			(*slot)[idx % VM_OBJ_LEAF] = pa;
			obj->obj_resident++;
		} else {
			(*slot)[idx % VM_OBJ_LEAF] = pa | VM_OBJ_UNCHARGED;
			obj->obj_uncharged++;
		}
	}
	vm_page_hold(pa);
	*pap = pa;
	return 0;
}

/*
 * The page at index idx of obj for a fault, allocated (zeroed) on first
 * use, with one more reference that the caller now holds (for the
 * page-table entry it is about to make).  Takes obj_lock.  Returns 0 and
 * the page in *pap, -ENXIO when idx is beyond the object's size (past
 * the end of a file: SIGBUS), -ENOMEM.
 */
int
vm_object_page(struct vm_object *obj, uint64_t idx, paddr_t *pap)
{
	int error;

	spin_lock(&obj->obj_lock);
	error = vm_object_get(obj, idx, false, pap);
	spin_unlock(&obj->obj_lock);
	return error;
}

/*
 * Put entry e, which maps obj, on obj's list of mappings (e holds a
 * reference to obj), and tell obj's watcher.  The caller holds e's
 * vm_lock; takes obj_lock.
 */
void
vm_object_link(struct vm_object *obj, struct vm_map_entry *e)
{
	spin_lock(&obj->obj_lock);
	e->e_oprev = NULL;
	e->e_onext = obj->obj_maps;
	if (obj->obj_maps != NULL)
		obj->obj_maps->e_oprev = e;
	obj->obj_maps = e;
	if (obj->obj_watch != NULL)
		obj->obj_watch->ow_map(obj->obj_warg);
	spin_unlock(&obj->obj_lock);
}

/*
 * Take e off obj's list of mappings and tell obj's watcher.  e's vm_lock
 * held; takes obj_lock.
 */
void
vm_object_unlink(struct vm_object *obj, struct vm_map_entry *e)
{
	spin_lock(&obj->obj_lock);
	if (e->e_oprev != NULL)
		e->e_oprev->e_onext = e->e_onext;
	else
		obj->obj_maps = e->e_onext;
	if (e->e_onext != NULL)
		e->e_onext->e_oprev = e->e_oprev;
	e->e_onext = e->e_oprev = NULL;
	if (obj->obj_watch != NULL)
		obj->obj_watch->ow_unmap(obj->obj_warg);
	spin_unlock(&obj->obj_lock);
}

/*
 * Remove the page-table entries of obj's pages at or past npages from
 * every mapping of obj (a truncation).  obj_lock held; it is let go of
 * and taken again while another CPU holds a vm_lock that is needed (see
 * the comment at the top), so the caller must not rely on anything else
 * it read under it.  Truncations of one object are serialized by the
 * caller (tmpfs: v_iolock).
 */
static void
vm_object_unmap_past(struct vm_object *obj, uint64_t npages)
{
	struct vm_map_entry *e;
	struct vmspace *vm;
	uint64_t gen = ++obj->obj_gen, n, first;

again:
	for (e = obj->obj_maps; e != NULL; e = e->e_onext) {
		if (e->e_ogen == gen)
			continue;
		vm = e->e_vm;
		if (!spin_trylock(&vm->vm_lock)) {
			spin_unlock(&obj->obj_lock);
			cpu_pause();
			spin_lock(&obj->obj_lock);
			goto again;
		}
		n = (e->e_end - e->e_start) >> PAGE_SHIFT;
		if (e->e_objoff + n > npages) {
			first = MAX(npages, e->e_objoff) - e->e_objoff;
			vm_hiwater(vm);
			pmap_remove(&vm->vm_pmap, e->e_start +
			    (first << PAGE_SHIFT), e->e_end);
		}
		e->e_ogen = gen;
		spin_unlock(&vm->vm_lock);
	}
}

/*
 * Change obj's size to npages (a file's page cache grows and shrinks with
 * the file).  Pages at or beyond the new size leave the object and every
 * mapping of them: a later access there faults with -ENXIO (SIGBUS), as
 * after a truncation on Linux.  The caller serializes resizes of obj
 * (tmpfs: v_iolock).  Takes obj_lock, and tries the vm_lock of each
 * address space that maps obj.  Returns 0 or -ENOMEM (growing).
 */
int
vm_object_resize(struct vm_object *obj, uint64_t npages)
{
	uint64_t ndir = (npages + VM_OBJ_LEAF - 1) / VM_OBJ_LEAF, i, j;
	paddr_t **dir = NULL, **olddir = NULL, *leaf;

	if (ndir > obj->obj_ndir &&
	    (dir = kmalloc(ndir * sizeof(*dir), M_ZERO)) == NULL)
		return -ENOMEM;
	spin_lock(&obj->obj_lock);
	if (dir != NULL) {
		memcpy(dir, obj->obj_dir, obj->obj_ndir * sizeof(*dir));
		olddir = obj->obj_dir;
		obj->obj_dir = dir;
		obj->obj_ndir = ndir;
	}
	if (npages < obj->obj_npages) {
		/* No new fault finds a page past the end from here on. */
		obj->obj_npages = npages;
		vm_object_unmap_past(obj, npages);
	}
	/* Shrinking: release the pages past the end, keep the directory. */
	for (i = npages / VM_OBJ_LEAF; i < obj->obj_ndir; i++) {
		if ((leaf = obj->obj_dir[i]) == NULL)
			continue;
		for (j = i == npages / VM_OBJ_LEAF ? npages % VM_OBJ_LEAF : 0;
		    j < VM_OBJ_LEAF; j++) {
			if (leaf[j] == 0)
				continue;
			if (leaf[j] & VM_OBJ_UNCHARGED)
				obj->obj_uncharged--;
			else
				obj->obj_resident--;
			vm_page_release(trunc_page(leaf[j]));
			vm_object_count(obj, -1);
			leaf[j] = 0;
		}
	}
	obj->obj_npages = npages;
	spin_unlock(&obj->obj_lock);
	kfree(olddir);
	return 0;
}

/*
 * The page at idx of obj with a reference for the caller, in *pap; when
 * it was never touched, a new zeroed page if alloc is true, else 0 in
 * *pap (a hole, which reads as zeros).  Returns 0, -EFAULT beyond the
 * object's size, or -ENOMEM.
 */
int
vm_object_lookup(struct vm_object *obj, uint64_t idx, bool alloc,
    paddr_t *pap)
{
	paddr_t *leaf;

	int error = 0;

	spin_lock(&obj->obj_lock);
	if (idx >= obj->obj_npages) {
		error = -EFAULT;
	} else if (alloc) {
		error = vm_object_get(obj, idx, true, pap);
	} else {
		leaf = obj->obj_dir[idx / VM_OBJ_LEAF];
		*pap = leaf != NULL ? trunc_page(leaf[idx % VM_OBJ_LEAF]) : 0;
		if (*pap != 0)
			vm_page_hold(*pap);
	}
	spin_unlock(&obj->obj_lock);
	return error;
}

/*
 * Pages obj holds that its filesystem allocated and counted (st_blocks,
 * statfs, tmpfs's size= accounting); pages that faults allocated are not
 * among them.  A lock-free read.
 */
uint64_t
vm_object_resident(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->obj_resident, __ATOMIC_RELAXED);
}

/*
 * How many pages obj holds, however allocated (System V shm's rss).  A
 * lock-free read: a moment's figure.
 */
uint64_t
vm_object_pages(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->obj_resident, __ATOMIC_RELAXED) +
	    __atomic_load_n(&obj->obj_uncharged, __ATOMIC_RELAXED);
}

/*
 * Pages held by every object together: the page caches of files (tmpfs
 * files, mapped eclipsefs files) and shared anonymous memory, charged or
 * not.  A lock-free read: a moment's figure.
 */
uint64_t
vm_object_total_pages(void)
{
	return __atomic_load_n(&vm_object_npages, __ATOMIC_RELAXED);
}

/*
 * Pages held by VM_OBJECT_SHMEM objects (tmpfs files and shared
 * anonymous memory), which nothing can drop while they live.  Lock-free.
 */
uint64_t
vm_object_shmem_pages(void)
{
	return __atomic_load_n(&vm_object_nshmem, __ATOMIC_RELAXED);
}
