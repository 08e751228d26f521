/*
 * User pages: pages of physical memory that hold user data, each with a
 * reference count (sys/vm_page.h).
 *
 * After fork, one page may be mapped copy-on-write by two address spaces,
 * and a page of shared anonymous memory is kept by its object and mapped
 * by every process that touches it.  Whoever keeps a pointer to the page
 * (a page-table entry, an object's slot) holds one reference; the page
 * goes back to the allocator when the last one is released, never before
 * and never twice.
 *
 * The count lives in the page's struct vm_page (pg_refs, an owner field
 * that the allocator leaves to us while the page is allocated).  Holders
 * in different address spaces hold different locks, so the count is only
 * changed with atomic operations.  A page whose count is 1 has one holder,
 * and only that holder can add another: that is what lets the fault
 * handler write to a copy-on-write page in place when its sharers are gone.
 */
#include <sys/buf.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

/*
 * Locks protecting these:
 *	a	atomic operations
 */
static uint64_t vm_page_nuser;		/* [a] user pages allocated */

/* The vm_page of a user page; a pointer that is not one is a kernel bug. */
static struct vm_page *
vm_page_user(paddr_t pa, const char *who)
{
	struct vm_page *pg = vm_phys_page(pa);

	if (pg == NULL || pg->pg_owner != VM_PAGE_OWNER_USER)
		panic("%s: %#lx is not a user page", who, pa);
	return pg;
}

/*
 * Allocate one user page with one reference (the caller's), zeroed when
 * zero is true.  When no memory is free, the buffer cache's clean buffers
 * are dropped (buf_drop_clean: buf_lock, then kmalloc_lock) and the
 * allocation tried once more; that is what makes them count in
 * /proc/meminfo's MemAvailable.  Callers may hold vm_lock and obj_lock,
 * never buf_lock or kmalloc_lock.  Takes vm_phys_lock.  Returns its
 * physical address, or 0 when no memory is free.
 */
paddr_t
vm_page_alloc(bool zero)
{
	struct vm_page *pg;
	paddr_t pa;

	if ((pa = vm_phys_alloc(0)) == 0 &&
	    (buf_drop_clean() == 0 || (pa = vm_phys_alloc(0)) == 0))
		return 0;
	pg = vm_phys_page(pa);
	KASSERT(pg != NULL, "vm_page_alloc: no vm_page");
	if (zero)
		memset(VM_PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
	pg->pg_owner = VM_PAGE_OWNER_USER;
	__atomic_store_n(&pg->pg_refs, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&vm_page_nuser, 1, __ATOMIC_RELAXED);
	return pa;
}

/*
 * Add a reference to the user page at pa, which the caller already holds
 * a reference to (through a mapping or an object).  No lock.
 */
void
vm_page_hold(paddr_t pa)
{
	struct vm_page *pg = vm_page_user(pa, "vm_page_hold");
	uint32_t old;

	old = __atomic_fetch_add(&pg->pg_refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vm_page_hold: page without references");
}

/*
 * Drop one reference to the user page at pa; the last one frees the page
 * (taking vm_phys_lock).  Panics when the page has no reference left: a
 * double release would otherwise free a page someone still maps.
 */
void
vm_page_release(paddr_t pa)
{
	struct vm_page *pg = vm_page_user(pa, "vm_page_release");
	uint32_t old;

	old = __atomic_fetch_sub(&pg->pg_refs, 1, __ATOMIC_ACQ_REL);
	if (old == 0)
		panic("vm_page_release: %#lx released more often than held",
		    pa);
	if (old > 1)
		return;
	pg->pg_owner = VM_PAGE_OWNER_NONE;
	__atomic_sub_fetch(&vm_page_nuser, 1, __ATOMIC_RELAXED);
	vm_phys_free(pa & ~PAGE_MASK, 0);
}

/*
 * Return the number of references to the user page at pa.  No lock: the
 * answer may be stale unless the caller is the only one who can add one
 * (it holds the only mapping, under its address space's lock).
 */
uint32_t
vm_page_refs(paddr_t pa)
{
	return __atomic_load_n(&vm_page_user(pa, "vm_page_refs")->pg_refs,
	    __ATOMIC_ACQUIRE);
}

/* Return the number of user pages allocated and not yet freed.  No lock. */
uint64_t
vm_page_user_count(void)
{
	return __atomic_load_n(&vm_page_nuser, __ATOMIC_RELAXED);
}
