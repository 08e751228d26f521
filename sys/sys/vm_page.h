/*
 * One struct vm_page for every page of RAM (vm/vm_phys.c).
 *
 * vm_phys_init() finds the RAM in the loader's memory map, cuts it into
 * segments (runs of pages with no hole), and gives each segment an array of
 * vm_page structures carved out of free memory.  vm_phys_page() turns a
 * physical address into its vm_page, so any subsystem can keep per-page
 * state without a table of its own.
 *
 * The buddy allocator uses the page at the start of every block (the head):
 * a free head is on the free list of its order; an allocated head remembers
 * the order it was allocated with, so vm_phys_free() can check its caller.
 * The other pages of a block carry no allocator state.
 *
 * While a block is allocated its pages belong to whoever allocated it: the
 * owner fields ([o] below) are theirs to use, under their own lock.  The
 * kernel heap (kern/kern_malloc.c) marks its pages this way so that kfree()
 * can tell a pointer it handed out from a foreign one.
 */
#ifndef _SYS_VM_PAGE_H_
#define _SYS_VM_PAGE_H_

#include <sys/types.h>
#include <sys/bootinfo.h>

/*
 * Locks protecting members of this struct:
 *	I	immutable after vm_phys_init()
 *	f	vm_phys_lock; on an allocated head, pg_order is fixed until the
 *		block is freed, so its owner may read it without the lock
 *	o	the owner of the allocated block, under the owner's lock
 *		(kmalloc_lock for the kernel heap); zero when the block is
 *		handed out
 */
struct vm_page {
	struct vm_page	*pg_next;	/* [f] free list of pg_order */
	struct vm_page	*pg_prev;	/* [f] */
	paddr_t		 pg_pa;		/* [I] physical address */
	void		*pg_priv;	/* [o] owner's pointer */
	uint32_t	 pg_refs;	/* [o] references (user: atomic) */
	uint16_t	 pg_flags;	/* [f] VM_PAGE_* */
	uint8_t		 pg_order;	/* [f] block order, on a head page */
	uint8_t		 pg_owner;	/* [o] VM_PAGE_OWNER_* */
};

/* pg_flags */
#define VM_PAGE_FREE		0x0001	/* head of a free block */
#define VM_PAGE_ALLOC		0x0002	/* head of an allocated block */
#define VM_PAGE_RESERVED	0x0004	/* never handed out */

/* pg_owner: who uses an allocated page, and for what. */
#define VM_PAGE_OWNER_NONE	0
#define VM_PAGE_OWNER_KMEM_SLAB	1	/* kmalloc slab; pg_priv: its header */
#define VM_PAGE_OWNER_KMEM_LARGE 2	/* head of a large kmalloc block */
#define VM_PAGE_OWNER_USER	3	/* user memory; pg_refs: its holders */
#define VM_PAGE_OWNER_PTP	4	/* a user page-table page; pg_refs:
					   its entries in use (pmap.c) */

/*
 * Return the vm_page of the page that holds physical address pa, or NULL
 * when pa is not RAM that vm_phys manages.  Takes no lock: the segment
 * table does not change after vm_phys_init().
 */
struct vm_page	*vm_phys_page(paddr_t pa);

/*
 * User pages (vm/vm_page.c).  A user page is counted: pg_refs is the
 * number of holders, each page-table entry that maps it and each shared
 * object that keeps it being one.  pg_refs is changed with atomic
 * operations, since holders in different address spaces (copy-on-write
 * after fork) hold different locks.  The page goes back to vm_phys
 * exactly when the last reference is released.
 *
 * vm_page_alloc() returns a page with one reference (the caller's), its
 * contents zeroed when zero is true, or 0 when memory is exhausted.
 */
paddr_t	vm_page_alloc(bool zero);
void	vm_page_hold(paddr_t pa);
void	vm_page_release(paddr_t pa);
/* The current count: 1 means the caller's reference is the only one. */
uint32_t vm_page_refs(paddr_t pa);
/* User pages allocated and not yet released, for tests and statistics. */
uint64_t vm_page_user_count(void);

/*
 * Where the direct map starts.  It is DMAP_BASE in the kernel; it is a
 * variable so that the host unit tests can run vm_phys.c and kern_malloc.c
 * over an arena of their own.  Only vm_phys and kmalloc use these macros;
 * everything else uses PHYS_TO_DMAP() from <sys/param.h>.
 */
extern uintptr_t	vm_phys_dmap_base;
#define VM_PHYS_TO_DMAP(pa)	((void *)((uintptr_t)(pa) + vm_phys_dmap_base))
#define VM_DMAP_TO_PHYS(va)	((paddr_t)((uintptr_t)(va) - vm_phys_dmap_base))

/*
 * vm_phys_init() without bootinfo: build the allocator from the n entries
 * of map.  vm_phys_init() calls it with bootinfo's memory map; the host
 * unit tests call it with maps of their own.
 */
int	vm_phys_init_ranges(const struct bootmem *map, int n);

#ifdef UNIT_TEST
/* Forget everything, reservations included, so a test can start again. */
void	vm_phys_unit_reset(void);
#endif

#endif /* _SYS_VM_PAGE_H_ */
