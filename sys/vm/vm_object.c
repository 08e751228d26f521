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
 * it (after mremap grew the mapping) is an error (Linux: SIGBUS).  The
 * same objects hold the pages of tmpfs files (sys/fs/tmpfs), whose size
 * follows the file's (vm_object_resize).
 */
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_page.h>

#include <vm/vm_mapvar.h>

/*
 * Return a new object of npages pages, none allocated yet, with one
 * reference (the caller's); NULL when memory is exhausted.
 */
struct vm_object *
vm_object_create(uint64_t npages)
{
	struct vm_object *obj;

	if ((obj = kmalloc(sizeof(*obj), M_ZERO)) == NULL)
		return NULL;
	spin_init(&obj->obj_lock, "obj_lock");
	obj->obj_refs = 1;
	obj->obj_npages = npages;
	obj->obj_ndir = (npages + VM_OBJ_LEAF - 1) / VM_OBJ_LEAF;
	obj->obj_dir = kmalloc(obj->obj_ndir * sizeof(*obj->obj_dir), M_ZERO);
	if (obj->obj_dir == NULL) {
		kfree(obj);
		return NULL;
	}
	return obj;
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
	for (i = 0; i < obj->obj_ndir; i++) {
		if ((leaf = obj->obj_dir[i]) == NULL)
			continue;
		for (j = 0; j < VM_OBJ_LEAF; j++)
			if (leaf[j] != 0)
				vm_page_release(leaf[j]);
		kfree(leaf);
	}
	kfree(obj->obj_dir);
	kfree(obj);
}

/*
 * The page at index idx of obj, allocated (zeroed) on first use, with one
 * more reference that the caller now holds (for the page-table entry it
 * is about to make).  Takes obj_lock.  Returns 0 and the page in *pap,
 * -EFAULT when idx is beyond the object's size, -ENOMEM.
 */
int
vm_object_page(struct vm_object *obj, uint64_t idx, paddr_t *pap)
{
	paddr_t **slot, pa;
	int error = 0;

	spin_lock(&obj->obj_lock);
	if (idx >= obj->obj_npages) {
		spin_unlock(&obj->obj_lock);
		return -EFAULT;
	}
	slot = &obj->obj_dir[idx / VM_OBJ_LEAF];
	if (*slot == NULL &&
	    (*slot = kmalloc(VM_OBJ_LEAF * sizeof(paddr_t), M_ZERO)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	pa = (*slot)[idx % VM_OBJ_LEAF];
	if (pa == 0) {
		if ((pa = vm_page_alloc(true)) == 0) {
			error = -ENOMEM;
			goto out;
		}
		(*slot)[idx % VM_OBJ_LEAF] = pa;
		obj->obj_resident++;
	}
	vm_page_hold(pa);
	*pap = pa;
out:
	spin_unlock(&obj->obj_lock);
	return error;
}

/*
 * Change obj's size to npages (a file's page cache grows and shrinks with
 * the file).  Pages at or beyond the new size leave the object; a page
 * still mapped somewhere lives on until that mapping goes (its page-table
 * entry holds a reference).  Returns 0 or -ENOMEM (growing).
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
	/* Shrinking: release the pages past the end, keep the directory. */
	for (i = npages / VM_OBJ_LEAF; i < obj->obj_ndir; i++) {
		if ((leaf = obj->obj_dir[i]) == NULL)
			continue;
		for (j = i == npages / VM_OBJ_LEAF ? npages % VM_OBJ_LEAF : 0;
		    j < VM_OBJ_LEAF; j++) {
			if (leaf[j] != 0) {
				vm_page_release(leaf[j]);
				leaf[j] = 0;
				obj->obj_resident--;
			}
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

	if (alloc)
		return vm_object_page(obj, idx, pap);
	spin_lock(&obj->obj_lock);
	if (idx >= obj->obj_npages) {
		spin_unlock(&obj->obj_lock);
		return -EFAULT;
	}
	leaf = obj->obj_dir[idx / VM_OBJ_LEAF];
	*pap = leaf != NULL ? leaf[idx % VM_OBJ_LEAF] : 0;
	if (*pap != 0)
		vm_page_hold(*pap);
	spin_unlock(&obj->obj_lock);
	return 0;
}

/* Pages obj holds (st_blocks, statfs).  A lock-free read. */
uint64_t
vm_object_resident(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->obj_resident, __ATOMIC_RELAXED);
}
