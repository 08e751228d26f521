/*
 * The inside of an address space (sys/vm/vm_map.c, vm_fault.c,
 * vm_object.c): what sys/vm_map.h keeps opaque.  Only sys/vm/ and its
 * tests include this.
 *
 *	struct vmspace
 *	+-------------+
 *	| vm_lock     |     sorted, circular, doubly linked through vm_head
 *	| vm_pmap ----+--> PML4 (machine/pmap.h)
 *	| vm_head  <--+--> [0x400000-0x401000 r-x priv] <--> [heap rw- priv]
 *	| vm_brk...   |     <--> [0x7f..000 rw- shared, obj] <--> [stack rw-]
 *	+-------------+                          |
 *	                                         v
 *	                     struct vm_object: page index -> physical page
 *
 * A private entry keeps its pages only in the page tables: a page there is
 * the entry's page at that address, shared copy-on-write with other
 * address spaces when its reference count is above one.  A shared entry
 * finds its pages in its object, by offset; the page tables only cache
 * them.  A private mapping of a file has the file's object too: a page
 * not yet written is the object's (its count is above one, the object
 * holds one), mapped read-only; the first write copies it.
 */
#ifndef _VM_VM_MAPVAR_H_
#define _VM_VM_MAPVAR_H_

#include <sys/lock.h>
#include <sys/types.h>
#include <sys/vm_map.h>
#include <sys/vm_object.h>

#include <machine/pmap.h>

struct vnode;

/* Linux's vm.max_map_count default: more mappings than this is -ENOMEM. */
#define VM_MAP_MAXENTRIES	65530
/* Linux's stack_guard_gap: kept free below a stack that grows down. */
#define VM_STACK_GUARD		(256UL * PAGE_SIZE)
/* Slots in one leaf of a vm_object's page table. */
#define VM_OBJ_LEAF		512

/*
 * The pages of shared anonymous memory or of a file (a tmpfs file's page
 * cache, v_object): its pages by index, allocated on first touch.  The
 * pages live in a two-level table (a directory of leaves of 512 slots) so
 * that a large, sparsely used mapping costs little.  The object holds one
 * reference on each of its pages.  A slot is a page's physical address;
 * VM_OBJ_UNCHARGED in it marks a page that a fault allocated, which the
 * filesystem did not count (see vm_object.c).
 *
 * obj_maps lists every map entry, in any address space, that maps the
 * object, so that a truncation can take the pages past the new end out of
 * all of them (vm_object_resize).
 *
 * Lock order: vm_lock, then obj_lock.  (vm_object_resize holds obj_lock
 * and only tries vm_lock, see there.)
 *
 * Locks protecting members of this struct:
 *	I	immutable after vm_object_create()
 *	a	atomic operations
 *	o	obj_lock
 */
struct vm_object {
	struct spinlock	 obj_lock;
	uint32_t	 obj_refs;	/* [a] map entries and other users */
	uint64_t	 obj_npages;	/* [o] its size in pages */
	uint64_t	 obj_ndir;	/* [o] slots of obj_dir */
	paddr_t		**obj_dir;	/* [o] leaves, NULL until used */
	uint64_t	 obj_resident;	/* [o] pages allocated, charged */
	uint64_t	 obj_uncharged;	/* [o] pages allocated by faults */
	struct vm_map_entry *obj_maps;	/* [o] entries mapping it */
	uint64_t	 obj_gen;	/* [o] truncations so far */
	int		 obj_flags;	/* [I] VM_OBJECT_SHMEM */
	/* [I] told of each entry linked and unlinked (vm_object_watch) */
	const struct vm_object_watch *obj_watch;
	void		*obj_warg;	/* [I] its argument */
};

#define VM_OBJ_UNCHARGED	0x1UL	/* in a slot: a fault's page */

/*
 * One mapping: [e_start, e_end), page-aligned, with one protection and
 * one kind.  Entries never overlap and are kept sorted.  A shared entry,
 * and a private mapping of a file, has an object (e_obj); a file's entry
 * also holds a reference on the vnode (e_vnode) so that the file lives
 * while it is mapped.
 *
 * Locks protecting members of this struct:
 *	v	the vmspace's vm_lock
 *	o	e_obj's obj_lock (with vm_lock to write e_ogen)
 */
struct vm_map_entry {
	struct vm_map_entry *e_prev;	/* [v] */
	struct vm_map_entry *e_next;	/* [v] */
	struct vmspace	*e_vm;		/* [v] the address space it is in */
	vaddr_t		 e_start;	/* [v] */
	vaddr_t		 e_end;		/* [v] */
	int		 e_prot;	/* [v] VM_PROT_* */
	int		 e_maxprot;	/* [v] what mprotect may give */
	int		 e_flags;	/* [v] VM_MAP_PRIVATE/_SHARED, _STACK */
	struct vm_object *e_obj;	/* [v] shared or file: the pages */
	uint64_t	 e_objoff;	/* [v] page index of e_start in e_obj */
	struct vnode	*e_vnode;	/* [v] a file's vnode, referenced */
	struct vm_map_entry *e_onext;	/* [o] on e_obj's obj_maps */
	struct vm_map_entry *e_oprev;	/* [o] */
	uint64_t	 e_ogen;	/* [o] last truncation applied */
};

/*
 * An address space.  vm_head is a sentinel: the list of entries runs from
 * vm_head.e_next to vm_head.e_prev and back to vm_head.
 *
 * Locks protecting members of this struct:
 *	a	atomic operations
 *	v	vm_lock
 */
struct vmspace {
	struct spinlock	 vm_lock;
	uint32_t	 vm_refs;	/* [a] */
	struct pmap	 vm_pmap;	/* [v] */
	struct vm_map_entry vm_head;	/* [v] */
	int		 vm_nentries;	/* [v] */
	vaddr_t		 vm_brk_start;	/* [v] the break never goes below */
	vaddr_t		 vm_brk;	/* [v] the current break */
	/* [v] the owner's RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK (bytes) */
	uint64_t	 vm_lim_as;
	uint64_t	 vm_lim_data;
	uint64_t	 vm_lim_stack;
	uint64_t	 vm_lim_memlock;	/* [v] RLIMIT_MEMLOCK, ~0 for root */
	bool		 vm_lockfuture;	/* [v] mlockall(MCL_FUTURE) */
	/*
	 * [v] The peaks, in pages, as Linux's hiwater_vm and hiwater_rss:
	 * recorded just before the size or the resident set shrinks
	 * (vm_hiwater), so that the peak is the larger of this and the
	 * current value.
	 */
	uint64_t	 vm_peak_size;
	uint64_t	 vm_peak_rss;
};

/* vm_map.c */
struct vm_map_entry *vm_map_lookup(struct vmspace *vm, vaddr_t va,
	    struct vm_map_entry **prevp);
bool	vm_may_expand(struct vmspace *vm, vaddr_t xstart, vaddr_t xend,
	    size_t size, int prot, int flags);

void	vm_hiwater(struct vmspace *vm);

/* vm_fault.c */
int	vm_fault_locked(struct vmspace *vm, vaddr_t va, int access,
	    bool force, paddr_t *pap);

/* vm_object.c (and sys/vm_object.h for the rest of the kernel) */
int	vm_object_page(struct vm_object *obj, uint64_t idx, paddr_t *pap);
void	vm_object_link(struct vm_object *obj, struct vm_map_entry *e);
void	vm_object_unlink(struct vm_object *obj, struct vm_map_entry *e);

#endif /* _VM_VM_MAPVAR_H_ */
