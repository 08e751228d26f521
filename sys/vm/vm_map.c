/*
 * Address spaces: the map of a process's user memory (sys/vm_map.h).
 *
 * A vmspace is a sorted list of map entries, each a page-aligned range
 * with one protection and one kind (private, shared, stack), and the page
 * tables (struct pmap) that the CPU walks.  The entries say what may be
 * there; the page tables say what is there now.  Nothing is allocated
 * when memory is mapped: the first access faults, and vm_fault.c finds
 * the entry and puts a page in (demand paging).
 *
 * Everything that changes the map works in two phases, as STYLE.md asks:
 * first everything that can fail (argument checks, memory for the entries
 * a split will need, "spares"), then the change, which cannot fail.  So a
 * failed call leaves the map as it was.
 *
 * Linux is the reference for every rule here (mmap(2), munmap(2),
 * mprotect(2), mremap(2), brk(2)); where we differ, the comment says so.
 *
 * A mapping of a file holds a reference on its vnode.  The last reference
 * may free the file, which takes the filesystem's sleeping lock, so
 * entries that go under vm_lock are collected in the spares (sp_dead) and
 * released by vm_spare_free() once vm_lock is let go of.
 *
 * Lock order: vm_lock, then obj_lock, then kmalloc_lock and vm_phys_lock.
 * vm_lock is a spin lock: nothing here sleeps.  fork holds the parent's
 * vm_lock, then the child's (which nobody else can know yet but a
 * truncation, which only tries it).
 */
#include <sys/abi/mman.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_page.h>
#include <sys/vnode.h>

#include <machine/cpufunc.h>
#include <machine/pmap.h>

#include <vm/vm_mapvar.h>

#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC)
#define VM_MAP_KIND	(VM_MAP_PRIVATE | VM_MAP_SHARED)
#define VM_SPARE_MAX	8
#define VM_HEAD(vm)	(&(vm)->vm_head)
#define VM_NPAGES(len)	((len) >> PAGE_SHIFT)

/*
 * Entries allocated before the lock is taken, for the splits to come, and
 * the entries removed under it, whose references go after it.
 */
struct vm_spare {
	struct vm_map_entry	*sp_e[VM_SPARE_MAX];
	int			 sp_n;
	struct vm_map_entry	*sp_dead;	/* through e_next */
};

/*
 * The address space loaded on this CPU (one CPU for now; per-CPU data
 * when there are more), for faults the kernel takes in the copy routines.
 *	c	only this CPU, with interrupts off or in its own thread
 */
static struct vmspace *vm_active;	/* [c] */

static int
vm_spare_fill(struct vm_spare *sp, int n)
{
	KASSERT(n <= VM_SPARE_MAX, "vm_spare_fill: too many");
	sp->sp_dead = NULL;
	for (sp->sp_n = 0; sp->sp_n < n; sp->sp_n++) {
		sp->sp_e[sp->sp_n] = kmalloc(sizeof(struct vm_map_entry),
		    M_ZERO);
		if (sp->sp_e[sp->sp_n] == NULL) {
			while (sp->sp_n > 0)
				kfree(sp->sp_e[--sp->sp_n]);
			return -ENOMEM;
		}
	}
	return 0;
}

static struct vm_map_entry *
vm_spare_take(struct vm_spare *sp)
{
	KASSERT(sp->sp_n > 0, "vm_spare_take: no spare entry left");
	return sp->sp_e[--sp->sp_n];
}

/*
 * Does e write to its file (MAP_SHARED with PROT_WRITE allowed)?  Such a
 * mapping counts as a writer of the file's mount, like a file open for
 * writing, so the mount cannot be remounted read-only under it.
 */
static bool
vm_entry_writer(const struct vm_map_entry *e)
{
	return e->e_vnode != NULL && (e->e_flags & VM_MAP_SHARED) &&
	    (e->e_maxprot & VM_PROT_WRITE);
}

/* A copy of entry e (split, fork, mremap) takes its own file references. */
static void
vm_entry_vref(const struct vm_map_entry *e)
{
	vref(e->e_vnode);
	if (vm_entry_writer(e)) {
		vn_mapwriter_get(e->e_vnode);
		vfs_writer_dup(e->e_vnode->v_mount);
	}
}

/* Free an unlinked entry and its references to its object and file. */
static void
vm_entry_free(struct vm_map_entry *e)
{
	if (e->e_obj != NULL)
		vm_object_release(e->e_obj);
	if (e->e_vnode != NULL) {
		if (vm_entry_writer(e)) {
			vn_mapwriter_put(e->e_vnode);
			vfs_writer_put(e->e_vnode->v_mount);
		}
		vrele(e->e_vnode);
	}
	kfree(e);
}

/* After vm_lock: free the unused spares and the entries removed. */
static void
vm_spare_free(struct vm_spare *sp)
{
	struct vm_map_entry *e;

	while (sp->sp_n > 0)
		kfree(sp->sp_e[--sp->sp_n]);
	while ((e = sp->sp_dead) != NULL) {
		sp->sp_dead = e->e_next;
		vm_entry_free(e);
	}
}

/* Put e into vm's list after prev, and on its object's list of maps. */
static void
vm_entry_link(struct vmspace *vm, struct vm_map_entry *prev,
    struct vm_map_entry *e)
{
	e->e_vm = vm;
	e->e_prev = prev;
	e->e_next = prev->e_next;
	prev->e_next->e_prev = e;
	prev->e_next = e;
	vm->vm_nentries++;
	if (e->e_obj != NULL)
		vm_object_link(e->e_obj, e);
}

static void
vm_entry_unlink(struct vmspace *vm, struct vm_map_entry *e)
{
	if (e->e_obj != NULL)
		vm_object_unlink(e->e_obj, e);
	e->e_prev->e_next = e->e_next;
	e->e_next->e_prev = e->e_prev;
	vm->vm_nentries--;
}

/* An unlinked entry goes once vm_lock is let go of (vm_spare_free). */
static void
vm_entry_dispose(struct vm_map_entry *e, struct vm_spare *sp)
{
	e->e_next = sp->sp_dead;
	sp->sp_dead = e;
}

/*
 * Return the entry that contains va, or NULL.  *prevp (when not NULL) gets
 * the entry after which one starting at va would go: the last entry
 * that ends at or below va, or the list head.  vm_lock held.
 */
struct vm_map_entry *
vm_map_lookup(struct vmspace *vm, vaddr_t va, struct vm_map_entry **prevp)
{
	struct vm_map_entry *e, *prev = VM_HEAD(vm);

	KASSERT(spin_held(&vm->vm_lock), "vm_map_lookup: vm_lock");
	for (e = prev->e_next; e != VM_HEAD(vm) && e->e_start <= va;
	    e = e->e_next) {
		if (va < e->e_end) {
			if (prevp != NULL)
				*prevp = e->e_prev;
			return e;
		}
		prev = e;
	}
	if (prevp != NULL)
		*prevp = prev;
	return NULL;
}

/* The first entry that ends above va (the list head when none does). */
static struct vm_map_entry *
vm_map_first_from(struct vmspace *vm, vaddr_t va)
{
	struct vm_map_entry *prev, *e;

	if ((e = vm_map_lookup(vm, va, &prev)) != NULL)
		return e;
	return prev->e_next;
}

/*
 * Split e at va, which lies strictly inside it: e keeps [e_start, va) and
 * a spare entry takes [va, e_end), with its own reference to the object.
 */
static void
vm_entry_split(struct vmspace *vm, struct vm_map_entry *e, vaddr_t va,
    struct vm_spare *sp)
{
	struct vm_map_entry *n = vm_spare_take(sp);

	KASSERT(e->e_start < va && va < e->e_end, "vm_entry_split: outside");
	*n = *e;
	n->e_start = va;
	if (n->e_obj != NULL) {
		n->e_objoff += VM_NPAGES(va - e->e_start);
		vm_object_hold(n->e_obj);
	}
	if (n->e_vnode != NULL)
		vm_entry_vref(n);
	e->e_end = va;
	vm_entry_link(vm, e, n);
}

/* How many splits clipping [start, end) needs: 0, 1 or 2. */
static int
vm_map_splits(struct vmspace *vm, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e;
	int n = 0;

	if ((e = vm_map_lookup(vm, start, NULL)) != NULL && e->e_start < start)
		n++;
	if ((e = vm_map_lookup(vm, end, NULL)) != NULL && e->e_start < end)
		n++;
	return n;
}

/* Split the entries that straddle start or end. */
static void
vm_map_clip(struct vmspace *vm, vaddr_t start, vaddr_t end,
    struct vm_spare *sp)
{
	struct vm_map_entry *e;

	if ((e = vm_map_lookup(vm, start, NULL)) != NULL && e->e_start < start)
		vm_entry_split(vm, e, start, sp);
	if ((e = vm_map_lookup(vm, end, NULL)) != NULL && e->e_start < end)
		vm_entry_split(vm, e, end, sp);
}

/*
 * Unmap [start, end): split what straddles its ends, drop its pages (each
 * returns to the allocator when its last holder is gone), free its
 * entries.  Needs up to two spares.
 */
static void
vm_map_delete(struct vmspace *vm, vaddr_t start, vaddr_t end,
    struct vm_spare *sp)
{
	struct vm_map_entry *e, *next;

	vm_map_clip(vm, start, end, sp);
	vm_hiwater(vm);
	pmap_remove(&vm->vm_pmap, start, end);
	for (e = vm_map_first_from(vm, start);
	    e != VM_HEAD(vm) && e->e_start < end; e = next) {
		next = e->e_next;
		vm_entry_unlink(vm, e);
		vm_entry_dispose(e, sp);
	}
}

/* Whether a and b (a right before b) can be one entry. */
static bool
vm_entry_mergeable(struct vmspace *vm, const struct vm_map_entry *a,
    const struct vm_map_entry *b)
{
	if (a == VM_HEAD(vm) || b == VM_HEAD(vm))
		return false;
	if (a->e_end != b->e_start || a->e_prot != b->e_prot ||
	    a->e_maxprot != b->e_maxprot || a->e_flags != b->e_flags ||
	    a->e_obj != b->e_obj || a->e_vnode != b->e_vnode)
		return false;
	/* A watched object counts its entries (System V shm's nattch). */
	if (a->e_obj != NULL && a->e_obj->obj_watch != NULL)
		return false;
	return a->e_obj == NULL ||
	    a->e_objoff + VM_NPAGES(a->e_end - a->e_start) == b->e_objoff;
}

/*
 * Merge e with its neighbours where they are alike, so that a heap grown
 * by brk, or memory mprotect'ed back, stays one entry.  Several entries
 * after e may merge (mprotect over pieces that a split left).  Returns
 * the entry that now holds e's range.
 */
static struct vm_map_entry *
vm_entry_merge(struct vmspace *vm, struct vm_map_entry *e,
    struct vm_spare *sp)
{
	struct vm_map_entry *n;

	while (vm_entry_mergeable(vm, e->e_prev, e)) {
		n = e;
		e = e->e_prev;
		e->e_end = n->e_end;
		vm_entry_unlink(vm, n);
		vm_entry_dispose(n, sp);
	}
	while (vm_entry_mergeable(vm, e, e->e_next)) {
		n = e->e_next;
		e->e_end = n->e_end;
		vm_entry_unlink(vm, n);
		vm_entry_dispose(n, sp);
	}
	return e;
}

/*
 * Whether [start, end) is in user space and overlaps no entry; with guard,
 * also whether it stays VM_STACK_GUARD clear below a stack (Linux keeps
 * stack_guard_gap free there for new mappings).
 */
static bool
vm_map_is_free(struct vmspace *vm, vaddr_t start, vaddr_t end, bool guard)
{
	struct vm_map_entry *prev, *next;
	vaddr_t limit;

	if (start < VM_USER_MIN || end > VM_USER_MAX || start >= end)
		return false;
	if (vm_map_lookup(vm, start, &prev) != NULL)
		return false;
	if ((next = prev->e_next) == VM_HEAD(vm))
		return true;
	limit = next->e_start;
	if (guard && (next->e_flags & VM_MAP_STACK))
		limit = limit > VM_STACK_GUARD ? limit - VM_STACK_GUARD : 0;
	return end <= limit;
}

/*
 * Find the highest free range of size bytes within [lo, hi), looking at
 * the gaps between entries from the top down.  0 and the start in *addrp,
 * or -ENOMEM.
 */
static int
vm_map_find_down(struct vmspace *vm, size_t size, vaddr_t lo, vaddr_t hi,
    vaddr_t *addrp)
{
	struct vm_map_entry *above = VM_HEAD(vm), *e;
	vaddr_t gs, ge;

	for (e = VM_HEAD(vm)->e_prev;; e = e->e_prev) {
		gs = e == VM_HEAD(vm) ? VM_USER_MIN : e->e_end;
		if (above == VM_HEAD(vm)) {
			ge = VM_USER_MAX;
		} else {
			ge = above->e_start;
			if (above->e_flags & VM_MAP_STACK)
				ge = ge > VM_STACK_GUARD ? ge - VM_STACK_GUARD :
				    0;
		}
		gs = MAX(gs, lo);
		ge = MIN(ge, hi);
		if (ge > gs && ge - gs >= size) {
			*addrp = ge - size;
			return 0;
		}
		if (e == VM_HEAD(vm) || e->e_end <= lo)
			return -ENOMEM;
		above = e;
	}
}

/*
 * Find the lowest free range of size bytes within [lo, hi), from the
 * bottom up.  0 and the start in *addrp, or -ENOMEM.
 */
static int
vm_map_find_up(struct vmspace *vm, size_t size, vaddr_t lo, vaddr_t hi,
    vaddr_t *addrp)
{
	struct vm_map_entry *below = VM_HEAD(vm), *e;
	vaddr_t gs, ge;

	for (e = VM_HEAD(vm)->e_next;; e = e->e_next) {
		gs = below == VM_HEAD(vm) ? VM_USER_MIN : below->e_end;
		if (e == VM_HEAD(vm)) {
			ge = VM_USER_MAX;
		} else {
			ge = e->e_start;
			if (e->e_flags & VM_MAP_STACK)
				ge = ge > VM_STACK_GUARD ? ge - VM_STACK_GUARD :
				    0;
		}
		gs = MAX(gs, lo);
		ge = MIN(ge, hi);
		if (ge > gs && ge - gs >= size) {
			*addrp = gs;
			return 0;
		}
		if (e == VM_HEAD(vm) || e->e_start >= hi)
			return -ENOMEM;
		below = e;
	}
}

/*
 * Choose where a new mapping of size bytes goes: at the hint, rounded up
 * to a page, when that range is free (Linux), else the highest free range
 * below VM_MMAP_BASE; when there is none, the lowest one above it (Linux
 * falls back to a bottom-up search too).
 */
static int
vm_map_choose(struct vmspace *vm, vaddr_t hint, size_t size, vaddr_t *addrp)
{
	vaddr_t a;

	if (hint != 0 && hint <= VM_USER_MAX) {
		a = MAX(round_page(hint), VM_USER_MIN);
		if (a <= VM_USER_MAX - size &&
		    vm_map_is_free(vm, a, a + size, true)) {
			*addrp = a;
			return 0;
		}
	}
	if (vm_map_find_down(vm, size, VM_USER_MIN, VM_MMAP_BASE, addrp) == 0)
		return 0;
	return vm_map_find_up(vm, size, VM_MMAP_BASE, VM_USER_MAX, addrp);
}

/* What a new entry maps: its object and file, and their references. */
struct vm_backing {
	struct vm_object *b_obj;	/* NULL: private anonymous memory */
	uint64_t	 b_objoff;	/* page index in b_obj */
	struct vnode	*b_vnode;	/* a file, or NULL */
	int		 b_maxprot;	/* VM_PROT_* mprotect may give */
};

/*
 * Add an entry for [start, end), which is free, from a spare, taking over
 * the caller's references to b's object and vnode, and merge it with its
 * neighbours.
 */
static void
vm_map_insert(struct vmspace *vm, vaddr_t start, vaddr_t end, int prot,
    int flags, const struct vm_backing *b, struct vm_spare *sp)
{
	struct vm_map_entry *e = vm_spare_take(sp), *prev;

	e->e_start = start;
	e->e_end = end;
	e->e_prot = prot;
	e->e_maxprot = b->b_maxprot;
	e->e_flags = flags;
	e->e_obj = b->b_obj;
	e->e_objoff = b->b_objoff;
	e->e_vnode = b->b_vnode;
	e->e_ogen = 0;			/* no truncation applied yet */
	(void)vm_map_lookup(vm, start, &prev);
	vm_entry_link(vm, prev, e);
	(void)vm_entry_merge(vm, e, sp);
}

/*
 * Create an empty address space, holding one reference (the caller's):
 * no entries, page tables with only the kernel half.  Returns 0 and the
 * vmspace in *vmp, or -ENOMEM.
 */
int
vmspace_create(struct vmspace **vmp)
{
	struct vmspace *vm;
	int error;

	if ((vm = kmalloc(sizeof(*vm), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((error = pmap_create(&vm->vm_pmap)) < 0) {
		kfree(vm);
		return error;
	}
	spin_init(&vm->vm_lock, "vm_lock");
	vm->vm_refs = 1;
	vm->vm_head.e_next = vm->vm_head.e_prev = VM_HEAD(vm);
	vm->vm_head.e_start = vm->vm_head.e_end = VM_USER_MAX;
	vm->vm_lim_as = vm->vm_lim_data = vm->vm_lim_memlock = ~0UL;
	vm->vm_lim_stack = VM_STACK_MAX;
	*vmp = vm;
	return 0;
}

/* Set vm's limits (see sys/vm_map.h).  Takes vm_lock. */
void
vm_set_limits(struct vmspace *vm, uint64_t as, uint64_t data, uint64_t stack)
{
	spin_lock(&vm->vm_lock);
	vm->vm_lim_as = as;
	vm->vm_lim_data = data;
	vm->vm_lim_stack = stack;
	spin_unlock(&vm->vm_lock);
}

/* Set vm's RLIMIT_MEMLOCK (see sys/vm_map.h).  Takes vm_lock. */
void
vm_set_memlock(struct vmspace *vm, uint64_t lim)
{
	spin_lock(&vm->vm_lock);
	vm->vm_lim_memlock = lim;
	spin_unlock(&vm->vm_lock);
}

/*
 * Bytes of vm in locked mappings (VM_MAP_LOCKED): Linux's locked_vm,
 * which counts a locked mapping whole, resident or not.  vm_lock held.
 */
static uint64_t
vm_locked_bytes(struct vmspace *vm)
{
	struct vm_map_entry *e;
	uint64_t locked = 0;

	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next)
		if (e->e_flags & VM_MAP_LOCKED)
			locked += e->e_end - e->e_start;
	return locked;
}

/*
 * May vm lock size more bytes (Linux's mlock_future_ok)?  The locked
 * mappings (VM_MAP_LOCKED) and size must stay within vm_lim_memlock.
 * vm_lock held.
 */
static bool
vm_may_lock(struct vmspace *vm, size_t size)
{
	uint64_t locked;

	KASSERT(spin_held(&vm->vm_lock), "vm_may_lock: vm_lock");
	if (vm->vm_lim_memlock == ~0UL)
		return true;
	locked = vm_locked_bytes(vm);
	return locked + size <= vm->vm_lim_memlock && locked + size >= locked;
}

/*
 * Is an entry of this protection and these flags data for RLIMIT_DATA?
 * Linux (4.7 and later) counts private writable mappings that are not
 * stacks.
 */
static bool
vm_is_data(int prot, int flags)
{
	return (flags & VM_MAP_KIND) == VM_MAP_PRIVATE &&
	    (prot & VM_PROT_WRITE) && !(flags & VM_MAP_STACK);
}

/*
 * May vm map size more bytes of this protection and these flags, after
 * [xstart, xend) (what a FIXED mapping replaces) is gone?  Checks the
 * total against vm_lim_as and, for data, the data against vm_lim_data,
 * as Linux's mmap, brk, mremap and stack growth do.  vm_lock held.
 */
bool
vm_may_expand(struct vmspace *vm, vaddr_t xstart, vaddr_t xend, size_t size,
    int prot, int flags)
{
	struct vm_map_entry *e;
	uint64_t total = 0, data = 0, n;
	vaddr_t lo, hi;

	KASSERT(spin_held(&vm->vm_lock), "vm_may_expand: vm_lock");
	if (vm->vm_lim_as == ~0UL && vm->vm_lim_data == ~0UL)
		return true;
	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next) {
		n = e->e_end - e->e_start;
		lo = MAX(e->e_start, xstart);
		hi = MIN(e->e_end, xend);
		if (lo < hi)
			n -= hi - lo;
		total += n;
		if (vm_is_data(e->e_prot, e->e_flags))
			data += n;
	}
	if (total + size > vm->vm_lim_as || total + size < total)
		return false;
	if (vm_is_data(prot, flags) && (data + size > vm->vm_lim_data ||
	    data + size < data))
		return false;
	return true;
}

/* Add a reference to vm (vfork and CLONE_VM share it).  No lock. */
void
vmspace_hold(struct vmspace *vm)
{
	uint32_t old;

	old = __atomic_fetch_add(&vm->vm_refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, "vmspace_hold: vmspace without references");
}

/*
 * Drop a reference to vm; the last one unmaps everything, frees the page
 * tables and the vmspace.  When vm is still loaded on this CPU the
 * kernel's tables are loaded instead.  Nobody else can reach a vmspace
 * whose last reference is ours but a truncation of a file it maps, which
 * finds its entries on the object's list: so they leave those lists
 * (under obj_lock) before the page tables go.  May sleep (the last
 * reference to a mapped file).
 */
void
vmspace_release(struct vmspace *vm)
{
	struct vm_map_entry *e, *next;

	if (__atomic_sub_fetch(&vm->vm_refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (vm_active == vm)
		vmspace_activate(NULL);
	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next)
		if (e->e_obj != NULL)
			vm_object_unlink(e->e_obj, e);
	pmap_destroy(&vm->vm_pmap);
	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = next) {
		next = e->e_next;
		vm_entry_free(e);
	}
	kfree(vm);
}

/*
 * Load vm's page tables on this CPU (NULL: the kernel's alone) and
 * remember it as the active address space; both happen with interrupts
 * off, so that a switch in between cannot make them disagree.  Called by
 * the scheduler, or by the thread whose process owns vm.
 */
void
vmspace_activate(struct vmspace *vm)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	vm_active = vm;
	pmap_activate(vm != NULL ? &vm->vm_pmap : NULL);
	write_rflags(rflags);
}

/*
 * Return the address space loaded on this CPU (NULL: the kernel's).  The
 * page-fault handler resolves the kernel's faults on user memory (inside
 * copyin and copyout) in it.
 */
struct vmspace *
vmspace_active(void)
{
	return vm_active;
}

/* fork: map the page pa at va in the child's pmap too (copy-on-write). */
static int
vm_fork_page(void *arg, vaddr_t va, paddr_t pa, int prot)
{
	struct pmap *dst = arg;

	vm_page_hold(pa);
	if (pmap_enter(dst, va, pa, prot) < 0) {
		vm_page_release(pa);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Copy src for fork.  Shared entries share their object (a file's too).
 * Private pages become copy-on-write: each is mapped read-only in both
 * address spaces with one more reference, and the first write in either
 * copies it (see vm_fault.c); a private mapping of a file also keeps its
 * object for the pages not yet written.  Takes src's vm_lock, then the
 * child's.  Returns 0 and the new vmspace in *vmp, or -ENOMEM (src is
 * then unchanged but for pages that became read-only, which the next
 * write makes writable again).
 */
int
vmspace_fork(struct vmspace *src, struct vmspace **vmp)
{
	struct vmspace *dst;
	struct vm_map_entry *e, *n;
	int error;

	if ((error = vmspace_create(&dst)) < 0)
		return error;
	spin_lock(&src->vm_lock);
	spin_lock(&dst->vm_lock);
	for (e = src->vm_head.e_next; e != VM_HEAD(src); e = e->e_next) {
		if ((n = kmalloc(sizeof(*n), 0)) == NULL) {
			error = -ENOMEM;
			break;
		}
		/* e_ogen too: a truncation not yet applied to e applies. */
		*n = *e;
		/* Memory locks are not inherited (mlock(2)). */
		n->e_flags &= ~VM_MAP_LOCKED;
		if (n->e_obj != NULL)
			vm_object_hold(n->e_obj);
		if (n->e_vnode != NULL)
			vm_entry_vref(n);
		vm_entry_link(dst, dst->vm_head.e_prev, n);
		/* Shared: the child finds the pages in the object. */
		if (e->e_flags & VM_MAP_SHARED)
			continue;
		pmap_protect(&src->vm_pmap, e->e_start, e->e_end,
		    e->e_prot & ~VM_PROT_WRITE);
		error = pmap_foreach(&src->vm_pmap, e->e_start, e->e_end,
		    vm_fork_page, &dst->vm_pmap);
		if (error != 0)
			break;
	}
	dst->vm_brk_start = src->vm_brk_start;
	dst->vm_brk = src->vm_brk;
	dst->vm_lim_as = src->vm_lim_as;
	dst->vm_lim_data = src->vm_lim_data;
	dst->vm_lim_stack = src->vm_lim_stack;
	dst->vm_lim_memlock = src->vm_lim_memlock;
	spin_unlock(&dst->vm_lock);
	spin_unlock(&src->vm_lock);
	if (error != 0) {
		vmspace_release(dst);
		return error;
	}
	*vmp = dst;
	return 0;
}

/*
 * Check a new mapping's protection, flags and size (mmap(2)): flags is
 * VM_MAP_PRIVATE or VM_MAP_SHARED, with VM_MAP_STACK (private only),
 * VM_MAP_LOCKED and VM_MAP_FIXED or VM_MAP_FIXED_NOREPLACE; a FIXED
 * address must be page-aligned and in user space.  The size in pages in
 * *sizep.
 */
static int
vm_map_check(vaddr_t addr, size_t len, int prot, int flags, size_t *sizep)
{
	int kind = flags & VM_MAP_KIND;
	size_t size;

	if ((prot & ~VM_PROT_ALL) != 0 || (flags & ~(VM_MAP_KIND |
	    VM_MAP_STACK | VM_MAP_LOCKED | VM_MAP_FIXED |
	    VM_MAP_FIXED_NOREPLACE)) != 0)
		return -EINVAL;
	if ((kind != VM_MAP_PRIVATE && kind != VM_MAP_SHARED) ||
	    ((flags & VM_MAP_STACK) && kind == VM_MAP_SHARED) || len == 0)
		return -EINVAL;
	size = round_page(len);
	if (size < len || size > VM_USER_MAX - VM_USER_MIN)
		return -ENOMEM;
	if (flags & (VM_MAP_FIXED | VM_MAP_FIXED_NOREPLACE)) {
		if (addr & PAGE_MASK)
			return -EINVAL;
		if (addr < VM_USER_MIN)
			return -EPERM;
		if (addr > VM_USER_MAX - size)
			return -ENOMEM;
	}
	*sizep = size;
	return 0;
}

/*
 * Map size bytes (checked by vm_map_check) backed by b, at *addr (FIXED)
 * or where vm_map_choose finds room; the entry takes over b's references
 * when this succeeds.  Takes vm_lock.
 */
static int
vm_map_enter(struct vmspace *vm, vaddr_t *addr, size_t size, int prot,
    int flags, const struct vm_backing *b)
{
	bool fixed = (flags & (VM_MAP_FIXED | VM_MAP_FIXED_NOREPLACE)) != 0;
	struct vm_spare sp;
	vaddr_t a = *addr;
	int error;

	if ((error = vm_spare_fill(&sp, 3)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (vm->vm_lockfuture)
		flags |= VM_MAP_LOCKED;		/* mlockall(MCL_FUTURE) */
	/* RLIMIT_MEMLOCK first, as Linux's do_mmap (mlock_future_ok). */
	if ((flags & VM_MAP_LOCKED) && !vm_may_lock(vm, size)) {
		error = -EAGAIN;
		goto unlock;
	}
	if (!fixed) {
		if ((error = vm_map_choose(vm, *addr, size, &a)) < 0)
			goto unlock;
	} else if (flags & VM_MAP_FIXED_NOREPLACE) {
		/* Linux: NOREPLACE wins when both are given. */
		if (!vm_map_is_free(vm, a, a + size, false)) {
			error = -EEXIST;
			goto unlock;
		}
	}
	if (vm->vm_nentries + vm_map_splits(vm, a, a + size) + 1 >
	    VM_MAP_MAXENTRIES) {
		error = -ENOMEM;
		goto unlock;
	}
	/* RLIMIT_AS and RLIMIT_DATA; FIXED counts what it replaces out. */
	if (!vm_may_expand(vm, a, (flags & VM_MAP_FIXED) ? a + size : a, size,
	    prot, flags)) {
		error = -ENOMEM;
		goto unlock;
	}
	/* From here on we are committed; nothing below may fail. */
	if (flags & VM_MAP_FIXED)
		vm_map_delete(vm, a, a + size, &sp);
	vm_map_insert(vm, a, a + size, prot, flags & (VM_MAP_KIND |
	    VM_MAP_STACK | VM_MAP_LOCKED), b, &sp);
	*addr = a;
unlock:
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/*
 * Map len bytes of anonymous memory (mmap(2) with MAP_ANONYMOUS): flags is
 * VM_MAP_PRIVATE or VM_MAP_SHARED, with VM_MAP_STACK (private only) and
 * VM_MAP_FIXED or VM_MAP_FIXED_NOREPLACE.  Without a FIXED flag *addr is a
 * hint; the chosen address goes back in *addr.  Takes vm_lock.  Returns
 * 0, -EINVAL (bad prot or flags, len 0, FIXED address not page-aligned),
 * -EPERM (FIXED below VM_USER_MIN, Linux's mmap_min_addr), -EEXIST
 * (FIXED_NOREPLACE over a mapping), -ENOMEM (no room, too many mappings,
 * no memory).
 */
int
vm_map_anon(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
    int flags)
{
	struct vm_backing b = { NULL, 0, NULL, VM_PROT_ALL };
	size_t size;
	int error;

	if ((error = vm_map_check(*addr, len, prot, flags, &size)) < 0)
		return error;
	if ((flags & VM_MAP_KIND) == VM_MAP_SHARED &&
	    (b.b_obj = vm_object_create(VM_NPAGES(size),
	    VM_OBJECT_SHMEM)) == NULL)
		return -ENOMEM;
	error = vm_map_enter(vm, addr, size, prot, flags, &b);
	if (error < 0 && b.b_obj != NULL)
		vm_object_release(b.b_obj);
	return error;
}

/*
 * Map len bytes of the regular file vp from byte offset off (mmap(2) of
 * a descriptor): shared, the mapping is the file's page cache (v_object)
 * itself; private, it is copy-on-write over it.  A file without one may
 * get it now from its filesystem (vop_mmap, which sleeps: no lock may be
 * held).  The mapping may reach past the end of the file: an access to
 * a page wholly past it faults with -ENXIO (SIGBUS), and the file may
 * grow under it.  maxprot bounds prot now and mprotect later.  Takes
 * vm_lock.  On success the mapping keeps the caller's reference on vp.
 * Returns 0 and the address in *addr, or the errors of vm_map_anon,
 * -EACCES (prot beyond maxprot), -EINVAL (off not page-aligned, a
 * stack), -ENODEV (vp has no pages to map), -EOVERFLOW (the range of
 * the file overflows an offset), or vop_mmap's (-ENOMEM).
 */
int
vm_map_file(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
    int maxprot, int flags, struct vnode *vp, uint64_t off)
{
	struct vm_backing b = { NULL, off >> PAGE_SHIFT, vp, maxprot };
	size_t size;
	int error;

	if ((error = vm_map_check(*addr, len, prot, flags, &size)) < 0)
		return error;
	if ((off & PAGE_MASK) || (flags & VM_MAP_STACK) ||
	    (maxprot & ~VM_PROT_ALL))
		return -EINVAL;
	if (off > INT64_MAX || size > INT64_MAX - off)
		return -EOVERFLOW;
	if (prot & ~maxprot)
		return -EACCES;
	if (vp->v_type != VREG)
		return -ENODEV;
	/* A filesystem may give the file its page cache now. */
	if (vnode_object(vp) == NULL && vp->v_ops->vop_mmap != NULL &&
	    (error = vp->v_ops->vop_mmap(vp)) < 0)
		return error;
	if ((b.b_obj = vnode_object(vp)) == NULL)
		return -ENODEV;
	vm_object_hold(b.b_obj);
	/*
	 * A shared writable mapping is a writer of the mount (the
	 * descriptor it came from, open for writing, holds one now).
	 */
	if ((flags & VM_MAP_SHARED) && (maxprot & VM_PROT_WRITE)) {
		vn_mapwriter_get(vp);
		vfs_writer_dup(vp->v_mount);
	}
	if ((error = vm_map_enter(vm, addr, size, prot, flags, &b)) < 0) {
		if ((flags & VM_MAP_SHARED) && (maxprot & VM_PROT_WRITE)) {
			vn_mapwriter_put(vp);
			vfs_writer_put(vp->v_mount);
		}
		vm_object_release(b.b_obj);
	}
	return error;
}

/*
 * Map len bytes of obj from its first page, shared, at *addr (with
 * VM_MAP_FIXED or VM_MAP_FIXED_NOREPLACE) or where there is room (*addr
 * a hint): System V shared memory's shmat(2).  maxprot bounds prot now
 * and mprotect later.  Takes vm_lock.  On success the mapping keeps the
 * caller's reference on obj.  Returns 0 and the address in *addr, or the
 * errors of vm_map_anon and -EACCES (prot beyond maxprot).
 */
int
vm_map_object(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
    int maxprot, int flags, struct vm_object *obj)
{
	struct vm_backing b = { obj, 0, NULL, maxprot };
	size_t size;
	int error;

	if ((flags & VM_MAP_KIND) != VM_MAP_SHARED ||
	    (maxprot & ~VM_PROT_ALL))
		return -EINVAL;
	if ((error = vm_map_check(*addr, len, prot, flags, &size)) < 0)
		return error;
	if (prot & ~maxprot)
		return -EACCES;
	return vm_map_enter(vm, addr, size, prot, flags, &b);
}

/*
 * Unmap the attachment at addr of an object watched by w (shmdt(2)):
 * the entry that starts at addr must map such an object from its first
 * page; it goes, and so does every later entry up to the object's size
 * that maps the same object at the offset it had at addr (the pieces
 * that mprotect or munmap left).  Takes vm_lock.  Returns 0 or -EINVAL
 * (no such entry at addr).
 */
int
vm_unmap_watched(struct vmspace *vm, vaddr_t addr,
    const struct vm_object_watch *w)
{
	struct vm_map_entry *e, *next;
	struct vm_object *obj;
	struct vm_spare sp = { .sp_n = 0, .sp_dead = NULL };
	vaddr_t end;

	spin_lock(&vm->vm_lock);
	e = vm_map_lookup(vm, addr, NULL);
	if (e == NULL || e->e_start != addr || e->e_obj == NULL ||
	    e->e_obj->obj_watch != w || e->e_objoff != 0) {
		spin_unlock(&vm->vm_lock);
		return -EINVAL;
	}
	obj = e->e_obj;
	spin_lock(&obj->obj_lock);
	end = addr + (obj->obj_npages << PAGE_SHIFT);
	spin_unlock(&obj->obj_lock);
	vm_hiwater(vm);
	for (; e != VM_HEAD(vm) && e->e_start < end; e = next) {
		next = e->e_next;
		if (e->e_obj != obj || e->e_end > end ||
		    e->e_objoff != VM_NPAGES(e->e_start - addr))
			continue;
		pmap_remove(&vm->vm_pmap, e->e_start, e->e_end);
		vm_entry_unlink(vm, e);
		vm_entry_dispose(e, &sp);
	}
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return 0;
}

/*
 * Unmap [addr, addr + len) (munmap(2)): whatever is mapped there goes,
 * entries on the edges are split; unmapping nothing is not an error.
 * Takes vm_lock.  Returns 0, -EINVAL (addr not page-aligned, len 0, range
 * beyond user space), -ENOMEM (a split would make too many mappings, or
 * no memory for it).
 */
int
vm_unmap(struct vmspace *vm, vaddr_t addr, size_t len)
{
	struct vm_spare sp;
	vaddr_t end;
	int error = 0;

	if ((addr & PAGE_MASK) || addr > VM_USER_MAX ||
	    len > VM_USER_MAX - addr || len == 0)
		return -EINVAL;
	end = addr + round_page(len);
	if ((error = vm_spare_fill(&sp, 2)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (vm->vm_nentries + vm_map_splits(vm, addr, end) >
	    VM_MAP_MAXENTRIES)
		error = -ENOMEM;
	else
		vm_map_delete(vm, addr, end, &sp);
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/* Whether [start, end) is covered by entries with no hole.  vm_lock. */
static bool
vm_map_covered(struct vmspace *vm, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e = vm_map_lookup(vm, start, NULL);
	vaddr_t va = start;

	for (; e != NULL && e != VM_HEAD(vm) && e->e_start <= va;
	    e = e->e_next) {
		va = e->e_end;
		if (va >= end)
			return true;
	}
	return false;
}

/* Whether every entry of [start, end) (covered) allows prot.  vm_lock. */
static bool
vm_map_allows(struct vmspace *vm, vaddr_t start, vaddr_t end, int prot)
{
	struct vm_map_entry *e;

	for (e = vm_map_lookup(vm, start, NULL);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		if (prot & ~e->e_maxprot)
			return false;
	return true;
}

/*
 * Change the protection of [addr, addr + len) to prot (mprotect(2)),
 * splitting entries at the edges and merging alike neighbours after.
 * Private pages lose write access in the page tables whatever prot says:
 * the next write faults, and vm_fault() gives it back unless the page is
 * still shared copy-on-write.  Takes vm_lock.  Returns 0 (also for len
 * 0), -EINVAL (addr not page-aligned, unknown prot bits), -ENOMEM (part of
 * the range is not mapped, or too many mappings), -EACCES (prot beyond
 * what a mapping allows: write to a shared mapping of a file not open for
 * writing).  Linux changes the part before a hole, or before a mapping
 * that refuses, and then fails; we check first and change nothing.
 */
int
vm_protect(struct vmspace *vm, vaddr_t addr, size_t len, int prot)
{
	struct vm_map_entry *e;
	struct vm_spare sp;
	vaddr_t end;
	int error = 0;

	if (addr & PAGE_MASK)
		return -EINVAL;
	if (len == 0)
		return 0;
	end = addr + round_page(len);
	if (end <= addr)
		return -ENOMEM;
	if (prot & ~VM_PROT_ALL)
		return -EINVAL;
	if (end > VM_USER_MAX)
		return -ENOMEM;
	if ((error = vm_spare_fill(&sp, 2)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (!vm_map_covered(vm, addr, end) || vm->vm_nentries +
	    vm_map_splits(vm, addr, end) > VM_MAP_MAXENTRIES) {
		error = -ENOMEM;
		goto out;
	}
	if (!vm_map_allows(vm, addr, end, prot)) {
		error = -EACCES;
		goto out;
	}
	/* From here on we are committed; nothing below may fail. */
	vm_map_clip(vm, addr, end, &sp);
	for (e = vm_map_lookup(vm, addr, NULL);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next) {
		e->e_prot = prot;
		pmap_protect(&vm->vm_pmap, e->e_start, e->e_end,
		    (e->e_flags & VM_MAP_SHARED) ? prot :
		    prot & ~VM_PROT_WRITE);
	}
	for (e = vm_map_lookup(vm, addr, NULL);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		e = vm_entry_merge(vm, e, &sp);
out:
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/*
 * The page-aligned end of [addr, addr + len) for madvise and msync:
 * -EINVAL for an unaligned addr, -ENOMEM when the range wraps or leaves
 * user space.
 */
static int
vm_range_end(vaddr_t addr, size_t len, vaddr_t *endp)
{
	if (addr & PAGE_MASK)
		return -EINVAL;
	*endp = addr + round_page(len);
	if (*endp < addr || round_page(len) < len || *endp > VM_USER_MAX)
		return -ENOMEM;
	return 0;
}

/*
 * Drop the pages of [addr, addr + len) (madvise MADV_DONTNEED): the
 * mappings stay; the next access to a private page finds a zeroed one,
 * to a shared page the object's.  Takes vm_lock.  Returns 0 (also for len
 * 0), -EINVAL (addr not page-aligned), -ENOMEM when part of the range is
 * not mapped (the mapped parts are dropped all the same, as on Linux).
 */
int
vm_discard(struct vmspace *vm, vaddr_t addr, size_t len)
{
	vaddr_t end;
	int error;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	vm_hiwater(vm);
	pmap_remove(&vm->vm_pmap, addr, end);
	if (!vm_map_covered(vm, addr, end))
		error = -ENOMEM;
	spin_unlock(&vm->vm_lock);
	return error;
}

/*
 * Check that all of [addr, addr + len) is mapped (msync(2), madvise(2)).
 * Takes vm_lock.  Returns 0 (also for len 0), -EINVAL (addr not page-
 * aligned) or -ENOMEM.
 */
int
vm_check_mapped(struct vmspace *vm, vaddr_t addr, size_t len)
{
	vaddr_t end;
	int error;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (!vm_map_covered(vm, addr, end))
		error = -ENOMEM;
	spin_unlock(&vm->vm_lock);
	return error;
}

/*
 * msync(2) on [addr, addr + len), checked as Linux checks it.  With sync
 * (MS_SYNC), each file mapped shared in the range is written back through
 * its filesystem's vop_fsync, one file at a time with vm_lock let go of;
 * MS_ASYNC and MS_INVALIDATE need nothing more, as the mappings are the
 * page cache itself.  There is no dirty-page tracking: tmpfs has nothing
 * to write, and eclipsefs's vop_fsync writes back every resident page
 * of the file that differs from its block.  Takes vm_lock.
 * Returns 0 (also for len 0), -EINVAL (addr not page-aligned), -ENOMEM
 * (part of the range not mapped: the mapped parts are synced all the
 * same, as on Linux), or the first error of a vop_fsync.
 */
int
vm_msync(struct vmspace *vm, vaddr_t addr, size_t len, bool sync)
{
	struct vm_map_entry *e;
	struct vnode *vp;
	vaddr_t end, va;
	int error, ferr, hole;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	hole = vm_map_covered(vm, addr, end) ? 0 : -ENOMEM;
	spin_unlock(&vm->vm_lock);
	for (va = addr; sync && va < end;) {
		/* The next shared file mapping at or above va. */
		vp = NULL;
		spin_lock(&vm->vm_lock);
		for (e = vm_map_first_from(vm, va);
		    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next) {
			if (e->e_vnode != NULL &&
			    (e->e_flags & VM_MAP_SHARED)) {
				vp = e->e_vnode;
				vref(vp);
				va = e->e_end;
				break;
			}
		}
		spin_unlock(&vm->vm_lock);
		if (vp == NULL)
			break;
		ferr = vp->v_ops->vop_fsync(vp);
		vrele(vp);
		if (ferr < 0 && error == 0)
			error = ferr;
	}
	return error < 0 ? error : hole;
}

/* See sys/vm_map.h.  Takes vm_lock. */
int
vm_check_unlocked(struct vmspace *vm, vaddr_t addr, size_t len)
{
	struct vm_map_entry *e;
	vaddr_t end;
	int error;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	for (e = vm_map_first_from(vm, addr);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		if (e->e_flags & VM_MAP_LOCKED) {
			error = -EBUSY;
			break;
		}
	spin_unlock(&vm->vm_lock);
	return error;
}

/*
 * MADV_REMOVE (see sys/vm_map.h), in the order of Linux's
 * madvise_remove: locked, not backed by a file or shared object, not
 * shared and writable (e_maxprot: a read-only mapping of a file open for
 * writing may become writable).  Takes vm_lock.
 */
int
vm_madv_remove(struct vmspace *vm, vaddr_t addr, size_t len)
{
	struct vm_map_entry *e;
	vaddr_t end;
	int error;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (!vm_map_covered(vm, addr, end)) {
		error = -ENOMEM;
		goto out;
	}
	for (e = vm_map_first_from(vm, addr);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next) {
		if (e->e_flags & VM_MAP_LOCKED)
			error = -EINVAL;
		else if (e->e_vnode == NULL && !(e->e_flags & VM_MAP_SHARED))
			error = -EINVAL;
		else if (!(e->e_flags & VM_MAP_SHARED) ||
		    !(e->e_maxprot & VM_PROT_WRITE))
			error = -EACCES;
		if (error < 0)
			goto out;
	}
	error = -EINVAL;
	klog("vm", "madvise MADV_REMOVE (freeing a file's pages) not "
	    "supported");
out:
	spin_unlock(&vm->vm_lock);
	return error;
}

/*
 * MADV_POPULATE_READ and _WRITE (see sys/vm_map.h): the range and the
 * mappings' protection are checked under vm_lock, then each page is
 * faulted in as an access would (vm_fault takes vm_lock itself).
 */
int
vm_populate(struct vmspace *vm, vaddr_t addr, size_t len, int access)
{
	struct vm_map_entry *e;
	vaddr_t end, va;
	int error;

	if ((error = vm_range_end(addr, len, &end)) < 0 || len == 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (!vm_map_covered(vm, addr, end))
		error = -ENOMEM;
	for (e = vm_map_first_from(vm, addr); error == 0 &&
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		if ((e->e_prot & access) != access)
			error = -EINVAL;
	spin_unlock(&vm->vm_lock);
	for (va = addr; error == 0 && va < end; va += PAGE_SIZE) {
		error = vm_fault(vm, va, access);
		if (error == -ENXIO)
			error = -EFAULT;	/* it would be SIGBUS */
	}
	return error;
}

/* Bytes of [start, end) in mappings not locked yet.  vm_lock held. */
static uint64_t
vm_unlocked_bytes(struct vmspace *vm, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e;
	uint64_t n = 0;

	for (e = vm_map_first_from(vm, start);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		if (!(e->e_flags & VM_MAP_LOCKED))
			n += MIN(e->e_end, end) - MAX(e->e_start, start);
	return n;
}

/*
 * Set or clear VM_MAP_LOCKED on the mappings of [start, end), split at
 * its ends.  vm_lock held, the range covered, spares enough for the
 * splits; nothing fails.
 */
static void
vm_mlock_range(struct vmspace *vm, vaddr_t start, vaddr_t end, bool lock,
    struct vm_spare *sp)
{
	struct vm_map_entry *e;

	vm_map_clip(vm, start, end, sp);
	for (e = vm_map_lookup(vm, start, NULL);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next) {
		if (lock)
			e->e_flags |= VM_MAP_LOCKED;
		else
			e->e_flags &= ~VM_MAP_LOCKED;
	}
	for (e = vm_map_lookup(vm, start, NULL);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next)
		e = vm_entry_merge(vm, e, sp);
}

/*
 * mlock(2), mlock2(2) (lock) and munlock(2) of [start, end), which the
 * caller page-aligned: mark the mappings locked or not.  A locked
 * mapping's pages stay in memory (EclipseOS never pages out; what
 * locking adds is the RLIMIT_MEMLOCK accounting, and the caller faults
 * the pages in: vm_mlock_populate).  Only what was not locked already
 * counts against vm_lim_memlock (Linux's count_mm_mlocked_page_nr).
 * Returns 0, or -ENOMEM: a hole in the range, past RLIMIT_MEMLOCK, or
 * too many mappings; nothing changes then.  Takes vm_lock.
 */
int
vm_mlock(struct vmspace *vm, vaddr_t start, vaddr_t end, bool lock)
{
	struct vm_spare sp;
	int error = 0;

	if (start == end)
		return 0;
	if ((error = vm_spare_fill(&sp, 2)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (!vm_map_covered(vm, start, end) || vm->vm_nentries +
	    vm_map_splits(vm, start, end) > VM_MAP_MAXENTRIES)
		error = -ENOMEM;
	else if (lock && !vm_may_lock(vm, vm_unlocked_bytes(vm, start, end)))
		error = -ENOMEM;
	else
		vm_mlock_range(vm, start, end, lock, &sp);
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/*
 * mlockall(2) (lock: MCL_CURRENT; future: MCL_FUTURE as well) and
 * munlockall(2) (!lock): every mapping now, and with future every
 * mapping made later (vm_map_enter).  Returns 0 or -ENOMEM (past
 * RLIMIT_MEMLOCK: nothing changes).  Takes vm_lock.
 */
int
vm_mlockall(struct vmspace *vm, bool lock, bool future)
{
	struct vm_map_entry *e;
	struct vm_spare sp;
	int error = 0;

	if ((error = vm_spare_fill(&sp, 2)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (lock && !vm_may_lock(vm, vm_unlocked_bytes(vm, 0, VM_USER_MAX))) {
		error = -ENOMEM;
		goto out;
	}
	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next) {
		if (lock)
			e->e_flags |= VM_MAP_LOCKED;
		else
			e->e_flags &= ~VM_MAP_LOCKED;
	}
	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next)
		e = vm_entry_merge(vm, e, &sp);
	vm->vm_lockfuture = lock && future;
out:
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/* mlockall(MCL_FUTURE) alone: lock what is mapped from now on. */
int
vm_mlock_future(struct vmspace *vm, bool future)
{
	spin_lock(&vm->vm_lock);
	vm->vm_lockfuture = future;
	spin_unlock(&vm->vm_lock);
	return 0;
}

/*
 * Fault in the pages of the locked, readable mappings of [start, end),
 * as mlock(2) does when it returns (not with MLOCK_ONFAULT): a read
 * fault each, so a private writable page stays shared until written.
 * Pages a file does not reach are left alone.  Takes vm_lock in
 * vm_fault, page by page.
 */
void
vm_mlock_populate(struct vmspace *vm, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e;
	vaddr_t va = start, stop;
	bool fault;

	while (va < end) {
		spin_lock(&vm->vm_lock);
		e = vm_map_first_from(vm, va);
		if (e == VM_HEAD(vm) || e->e_start >= end) {
			spin_unlock(&vm->vm_lock);
			return;
		}
		va = MAX(va, e->e_start);
		stop = MIN(e->e_end, end);
		fault = (e->e_flags & VM_MAP_LOCKED) &&
		    (e->e_prot & VM_PROT_READ);
		spin_unlock(&vm->vm_lock);
		for (; fault && va < stop; va += PAGE_SIZE)
			(void)vm_fault(vm, va, VM_PROT_READ);
		va = stop;
	}
}

/* mremap: map page pa, found at va, at va + delta as well. */
struct vm_move {
	struct pmap	*mv_pm;
	vaddr_t		 mv_delta;
};

static int
vm_move_page(void *arg, vaddr_t va, paddr_t pa, int prot)
{
	struct vm_move *mv = arg;

	vm_page_hold(pa);
	if (pmap_enter(mv->mv_pm, va + mv->mv_delta, pa, prot) < 0) {
		vm_page_release(pa);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Move [old, old + oldsz), which lies in entry e, to [to, to + newsz)
 * (free, and not overlapping): first the pages (the only step that can
 * fail, and which is undone when it does), then the entries.  With
 * dontunmap the old range stays mapped, empty (MREMAP_DONTUNMAP).  With
 * oldsz 0 (shared memory only) the new range is a second mapping of the
 * same pages.  Needs three spares.
 */
static int
vm_map_move(struct vmspace *vm, struct vm_map_entry *e, vaddr_t old,
    size_t oldsz, vaddr_t to, size_t newsz, bool dontunmap,
    struct vm_spare *sp)
{
	struct vm_move mv = { &vm->vm_pmap, to - old };
	struct vm_backing b = { e->e_obj, e->e_obj != NULL ? e->e_objoff +
	    VM_NPAGES(old - e->e_start) : 0, e->e_vnode, e->e_maxprot };
	int prot = e->e_prot, flags = e->e_flags, error;

	error = pmap_foreach(&vm->vm_pmap, old, old + oldsz, vm_move_page,
	    &mv);
	if (error != 0) {
		pmap_remove(&vm->vm_pmap, to, to + oldsz);
		return error;
	}
	/* From here on we are committed; nothing below may fail. */
	if (b.b_obj != NULL)
		vm_object_hold(b.b_obj);
	if (b.b_vnode != NULL) {
		vref(b.b_vnode);
		if ((flags & VM_MAP_SHARED) &&
		    (b.b_maxprot & VM_PROT_WRITE)) {
			vn_mapwriter_get(b.b_vnode);
			vfs_writer_dup(b.b_vnode->v_mount);
		}
	}
	if (dontunmap)
		pmap_remove(&vm->vm_pmap, old, old + oldsz);
	else if (oldsz > 0)
		vm_map_delete(vm, old, old + oldsz, sp);
	vm_map_insert(vm, to, to + newsz, prot, flags, &b, sp);
	return 0;
}

/*
 * The entry that holds all of [old, old + oldsz) for mremap: -EFAULT when
 * there is none (Linux), -EINVAL for a private one with oldsz 0.  A file's
 * mapping moves with its object and offset.
 */
static int
vm_remap_source(struct vmspace *vm, vaddr_t old, size_t oldsz,
    struct vm_map_entry **ep)
{
	struct vm_map_entry *e;

	if ((e = vm_map_lookup(vm, old, NULL)) == NULL ||
	    oldsz > e->e_end - old)
		return -EFAULT;
	if (oldsz == 0 && !(e->e_flags & VM_MAP_SHARED))
		return -EINVAL;
	*ep = e;
	return 0;
}

/* Check mremap's arguments as Linux does; the sizes are rounded. */
static int
vm_remap_check(vaddr_t old, size_t oldlen, size_t newlen, int flags,
    vaddr_t newaddr, size_t *oldszp, size_t *newszp)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || oldlen != newlen))
		return -EINVAL;
	if (old & PAGE_MASK)
		return -EINVAL;
	*oldszp = round_page(oldlen);
	*newszp = round_page(newlen);
	if (*newszp == 0 || *newszp < newlen || *oldszp < oldlen)
		return -EINVAL;
	if (!(flags & MREMAP_FIXED))
		return 0;
	if ((newaddr & PAGE_MASK) || *newszp > VM_USER_MAX ||
	    newaddr > VM_USER_MAX - *newszp)
		return -EINVAL;
	if (newaddr < old + *oldszp && old < newaddr + *newszp)
		return -EINVAL;
	if (newaddr < VM_USER_MIN)
		return -EPERM;
	return 0;
}

/*
 * RLIMIT_AS and RLIMIT_DATA for mremap: what grows (newsz over oldsz, or
 * all of newsz when DONTUNMAP keeps the old range), without what a FIXED
 * destination replaces.  vm_lock held.
 */
static bool
vm_remap_may_expand(struct vmspace *vm, const struct vm_map_entry *e,
    size_t oldsz, size_t newsz, int flags, vaddr_t newaddr)
{
	size_t grow;

	if (flags & MREMAP_DONTUNMAP)
		grow = newsz;
	else
		grow = newsz > oldsz ? newsz - oldsz : 0;
	if (grow == 0)
		return true;
	if (flags & MREMAP_FIXED)
		return vm_may_expand(vm, newaddr, newaddr + newsz, grow,
		    e->e_prot, e->e_flags);
	return vm_may_expand(vm, 0, 0, grow, e->e_prot, e->e_flags);
}

/*
 * mremap(2): resize the mapping at [old, old + oldlen) to newlen bytes,
 * in place when it can, else (MREMAP_MAYMOVE) somewhere free, or at
 * newaddr (MREMAP_FIXED, replacing what is there).  Shrinking unmaps the
 * tail.  Takes vm_lock.  Returns 0 and the mapping's address in *result,
 * -EINVAL (bad flags or alignment, newlen 0, FIXED range overlapping the
 * old one), -EFAULT (the old range is not one mapping), -ENOMEM (no room
 * in place without MAYMOVE, nowhere to move, no memory).  Unlike Linux,
 * FIXED unmaps the destination only once the old range is known good.
 */
int
vm_remap(struct vmspace *vm, vaddr_t old, size_t oldlen, size_t newlen,
    int flags, vaddr_t newaddr, vaddr_t *result)
{
	struct vm_map_entry *e;
	struct vm_spare sp;
	size_t oldsz, newsz;
	vaddr_t to;
	int error;

	error = vm_remap_check(old, oldlen, newlen, flags, newaddr, &oldsz,
	    &newsz);
	if (error < 0)
		return error;
	if ((error = vm_spare_fill(&sp, 7)) < 0)
		return error;
	spin_lock(&vm->vm_lock);
	if (vm->vm_nentries + 5 > VM_MAP_MAXENTRIES) {
		error = -ENOMEM;
		goto out;
	}
	if (!(flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && oldsz >= newsz) {
		/* Shrinking (Linux does not look for a mapping here). */
		if (oldsz > newsz)
			vm_map_delete(vm, old + newsz, old + oldsz, &sp);
		*result = old;
		goto out;
	}
	if ((error = vm_remap_source(vm, old, oldsz, &e)) < 0)
		goto out;
	/* A locked mapping may grow within RLIMIT_MEMLOCK (Linux: EAGAIN). */
	if ((e->e_flags & VM_MAP_LOCKED) && newsz > oldsz &&
	    !vm_may_lock(vm, newsz - oldsz)) {
		error = -EAGAIN;
		goto out;
	}
	if (!vm_remap_may_expand(vm, e, oldsz, newsz, flags, newaddr)) {
		error = -ENOMEM;
		goto out;
	}
	if (flags & MREMAP_FIXED) {
		vm_map_delete(vm, newaddr, newaddr + newsz, &sp);
		if (oldsz > newsz) {
			vm_map_delete(vm, old + newsz, old + oldsz, &sp);
			oldsz = newsz;
		}
		e = vm_map_lookup(vm, old, NULL);
		error = vm_map_move(vm, e, old, oldsz, newaddr, newsz,
		    (flags & MREMAP_DONTUNMAP) != 0, &sp);
		if (error == 0)
			*result = newaddr;
		goto out;
	}
	/* Grow in place when the mapping ends there and the room is free. */
	if (oldsz > 0 && old + oldsz == e->e_end && !(flags &
	    MREMAP_DONTUNMAP) && (oldsz == newsz ||
	    vm_map_is_free(vm, e->e_end, old + newsz, false))) {
		e->e_end = old + newsz;
		(void)vm_entry_merge(vm, e, &sp);
		*result = old;
		goto out;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		error = -ENOMEM;
		goto out;
	}
	if ((error = vm_map_choose(vm, 0, newsz, &to)) < 0)
		goto out;
	error = vm_map_move(vm, e, old, oldsz, to, newsz,
	    (flags & MREMAP_DONTUNMAP) != 0, &sp);
	if (error == 0)
		*result = to;
out:
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return error;
}

/*
 * Set where the program break starts: start rounded up to a page (exec
 * passes the end of the program's last segment).  Takes vm_lock.
 */
void
vm_brk_init(struct vmspace *vm, vaddr_t start)
{
	spin_lock(&vm->vm_lock);
	vm->vm_brk_start = vm->vm_brk = round_page(start);
	spin_unlock(&vm->vm_lock);
}

/*
 * brk(2): move the program break to brk and return the new break; when it
 * cannot move (below the start, over another mapping, no memory) return
 * the current one, as Linux does; brk 0 asks for it.  The heap is private
 * read-write memory between the start and the break, rounded up to a
 * page; growing maps more, shrinking unmaps.  Takes vm_lock.
 */
vaddr_t
vm_brk(struct vmspace *vm, vaddr_t brk)
{
	static const struct vm_backing anon = { NULL, 0, NULL, VM_PROT_ALL };
	vaddr_t oldend, newend, cur;
	struct vm_spare sp;

	if (vm_spare_fill(&sp, 3) < 0)
		sp.sp_n = 0;
	spin_lock(&vm->vm_lock);
	cur = vm->vm_brk;
	if (brk < vm->vm_brk_start || brk > VM_USER_MAX || sp.sp_n == 0)
		goto out;
	oldend = round_page(vm->vm_brk);
	newend = round_page(brk);
	if (newend < oldend) {
		vm_map_delete(vm, newend, oldend, &sp);
	} else if (newend > oldend) {
		if (!vm_map_is_free(vm, oldend, newend, true) ||
		    vm->vm_nentries + 1 > VM_MAP_MAXENTRIES ||
		    !vm_may_expand(vm, 0, 0, newend - oldend,
		    VM_PROT_READ | VM_PROT_WRITE, VM_MAP_PRIVATE))
			goto out;
		vm_map_insert(vm, oldend, newend, VM_PROT_READ | VM_PROT_WRITE,
		    VM_MAP_PRIVATE, &anon, &sp);
	}
	vm->vm_brk = cur = brk;
out:
	spin_unlock(&vm->vm_lock);
	vm_spare_free(&sp);
	return cur;
}

/* The pages vm maps (its size, Linux's total_vm); vm_lock held. */
static uint64_t
vm_size_pages(struct vmspace *vm)
{
	struct vm_map_entry *e;
	uint64_t n = 0;

	for (e = vm->vm_head.e_next; e != VM_HEAD(vm); e = e->e_next)
		n += (e->e_end - e->e_start) >> PAGE_SHIFT;
	return n;
}

/*
 * Record the size and the resident set of vm as peaks if they are: call
 * just before either may shrink (unmapping, dropping pages), as Linux's
 * update_hiwater_vm and update_hiwater_rss.  vm_lock held.
 */
void
vm_hiwater(struct vmspace *vm)
{
	uint64_t n;

	KASSERT(spin_held(&vm->vm_lock), "vm_hiwater: vm_lock");
	if ((n = vm_size_pages(vm)) > vm->vm_peak_size)
		vm->vm_peak_size = n;
	if (vm->vm_pmap.pm_resident > vm->vm_peak_rss)
		vm->vm_peak_rss = vm->vm_pmap.pm_resident;
}

/*
 * vm's size and resident set, now and at their peaks, and the size of
 * its locked mappings (pages), for /proc/pid/status's VmSize, VmPeak,
 * VmRSS, VmHWM and VmLck.  Takes vm_lock.
 */
void
vm_mem_stat(struct vmspace *vm, struct vm_memstat *ms)
{
	spin_lock(&vm->vm_lock);
	ms->ms_locked = vm_locked_bytes(vm) >> PAGE_SHIFT;
	ms->ms_size = vm_size_pages(vm);
	ms->ms_rss = vm->vm_pmap.pm_resident;
	ms->ms_peak = MAX(ms->ms_size, vm->vm_peak_size);
	ms->ms_hwm = MAX(ms->ms_rss, vm->vm_peak_rss);
	spin_unlock(&vm->vm_lock);
}

/* What vm_smaps_page needs: the entry, and the sums. */
struct vm_smaps_walk {
	struct vm_map_entry	*sw_e;
	struct vm_smaps		*sw_sm;
};

/*
 * One page of a smaps walk (pmap_foreach): which kind it is.  A page is
 * anonymous when it is not the page of the entry's object at that index
 * (private memory, or a private copy of a file's page); its map count is
 * its references less the object's one if it is the object's.  vm_lock
 * held, and an object's obj_lock is taken (vm_lock, then obj_lock).
 */
static int
vm_smaps_page(void *arg, vaddr_t va, paddr_t pa, int prot)
{
	struct vm_smaps_walk *sw = arg;
	struct vm_map_entry *e = sw->sw_e;
	struct vm_smaps *sm = sw->sw_sm;
	struct vm_page *pg;
	paddr_t opa = 0;
	uint32_t refs;
	uint64_t pss;
	bool anon = true, dirty;

	pa &= ~(paddr_t)PAGE_MASK;
	if (e->e_obj != NULL && vm_object_lookup(e->e_obj, e->e_objoff +
	    ((va - e->e_start) >> PAGE_SHIFT), false, &opa) == 0 &&
	    opa != 0) {
		anon = opa != pa;
		vm_page_release(opa);
	}
	if ((pg = vm_phys_page(pa)) == NULL)
		return 0;
	refs = __atomic_load_n(&pg->pg_refs, __ATOMIC_RELAXED);
	if (!anon && refs > 1)
		refs--;			/* the object's own reference */
	if (refs == 0)
		refs = 1;
	/*
	 * No dirty bit is kept: anonymous memory is dirty (it exists
	 * nowhere else), an object's page is dirty when mapped writable.
	 */
	dirty = anon || (prot & VM_PROT_WRITE);
	sm->sm_rss += PAGE_SIZE;
	pss = ((uint64_t)PAGE_SIZE << VM_PSS_SHIFT) / refs;
	sm->sm_pss += pss;
	if (anon) {
		sm->sm_anon += PAGE_SIZE;
		sm->sm_pss_anon += pss;
	}
	if (dirty)
		sm->sm_pss_dirty += pss;
	if (e->e_flags & VM_MAP_LOCKED)
		sm->sm_pss_locked += pss;
	if (refs > 1) {
		if (dirty)
			sm->sm_shared_dirty += PAGE_SIZE;
		else
			sm->sm_shared_clean += PAGE_SIZE;
	} else if (dirty) {
		sm->sm_private_dirty += PAGE_SIZE;
	} else {
		sm->sm_private_clean += PAGE_SIZE;
	}
	return 0;
}

/*
 * Add the resident pages vm maps in [start, end) to *sm (the caller
 * zeroes it), by kind, for /proc/pid/smaps: see struct vm_smaps.  Takes
 * vm_lock.
 */
void
vm_map_smaps(struct vmspace *vm, vaddr_t start, vaddr_t end,
    struct vm_smaps *sm)
{
	struct vm_smaps_walk sw;
	struct vm_map_entry *e;

	sw.sw_sm = sm;
	spin_lock(&vm->vm_lock);
	for (e = vm_map_first_from(vm, start);
	    e != VM_HEAD(vm) && e->e_start < end; e = e->e_next) {
		sw.sw_e = e;
		(void)pmap_foreach(&vm->vm_pmap, MAX(start, e->e_start),
		    MIN(end, e->e_end), vm_smaps_page, &sw);
	}
	spin_unlock(&vm->vm_lock);
}

/* Return the pages mapped in vm (its resident set).  Takes vm_lock. */
uint64_t
vm_resident_pages(struct vmspace *vm)
{
	uint64_t n;

	spin_lock(&vm->vm_lock);
	n = vm->vm_pmap.pm_resident;
	spin_unlock(&vm->vm_lock);
	return n;
}

/*
 * The mappings of vm for a core dump: up to max of them into segs, in
 * address order.  Returns how many there are (which may be more than
 * max: call again with room for all).
 */
int
vm_core_segments(struct vmspace *vm, struct vm_coreseg *segs, int max)
{
	struct vm_map_entry *e;
	int n = 0;

	spin_lock(&vm->vm_lock);
	for (e = vm->vm_head.e_next; e != &vm->vm_head; e = e->e_next) {
		if (n < max) {
			segs[n].cs_start = e->e_start;
			segs[n].cs_end = e->e_end;
			segs[n].cs_prot = e->e_prot;
		}
		n++;
	}
	spin_unlock(&vm->vm_lock);
	return n;
}

/*
 * Copy the page at va (page-aligned) of vm into buf for a core dump,
 * without faulting anything in: returns 1 when the page exists (mapped,
 * or in a shared mapping's object), 0 when it was never touched (the
 * dump leaves a hole, which reads as zeros), as Linux's dump skips
 * untouched memory.
 */
int
vm_core_read_page(struct vmspace *vm, vaddr_t va, void *buf)
{
	struct vm_map_entry *e, *prev;
	paddr_t pa = 0;
	int found = 0;

	spin_lock(&vm->vm_lock);
	if ((e = vm_map_lookup(vm, va, &prev)) == NULL ||
	    !(e->e_prot & VM_PROT_READ)) {
		spin_unlock(&vm->vm_lock);
		return 0;
	}
	if (pmap_extract(&vm->vm_pmap, va, &pa, NULL)) {
		memcpy(buf, PHYS_TO_DMAP(pa & ~PAGE_MASK), PAGE_SIZE);
		found = 1;
	} else if (e->e_obj != NULL && vm_object_lookup(e->e_obj,
	    e->e_objoff + ((va - e->e_start) >> PAGE_SHIFT), false, &pa) ==
	    0 && pa != 0) {
		memcpy(buf, PHYS_TO_DMAP(pa), PAGE_SIZE);
		vm_page_release(pa);
		found = 1;
	}
	spin_unlock(&vm->vm_lock);
	return found;
}

/*
 * The mappings of vm for procfs: up to max of them into infos, in
 * address order, with a reference on each file's vnode (the caller
 * vreles them).  Returns how many there are.  Takes vm_lock.
 */
int
vm_map_info(struct vmspace *vm, struct vm_mapinfo *infos, int max)
{
	struct vm_map_entry *e;
	int n = 0;

	spin_lock(&vm->vm_lock);
	for (e = vm->vm_head.e_next; e != &vm->vm_head; e = e->e_next) {
		if (n < max) {
			infos[n].mi_start = e->e_start;
			infos[n].mi_end = e->e_end;
			infos[n].mi_prot = e->e_prot;
			infos[n].mi_flags = e->e_flags;
			infos[n].mi_offset = e->e_objoff << PAGE_SHIFT;
			infos[n].mi_vnode = e->e_vnode;
			if (e->e_vnode != NULL)
				vref(e->e_vnode);
		}
		n++;
	}
	spin_unlock(&vm->vm_lock);
	return n;
}
