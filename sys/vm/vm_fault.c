/*
 * Page faults: putting the right page under a user address when it is
 * first touched (sys/vm_map.h).
 *
 * mmap only writes a map entry; the page tables stay empty.  The first
 * access faults, arch/x86_64/trap.c calls vm_fault(), and we decide:
 *
 *	no entry at the address	the stack may grow down to it, else -EFAULT
 *	entry forbids the access	-EFAULT (the process gets SIGSEGV)
 *	no page yet		demand zero: a zeroed page (private), or the
 *				object's page at that offset (shared, or a
 *				private mapping of a file: read-only, or
 *				copied at once for a write)
 *	page past the end of	-ENXIO: the process gets SIGBUS
 *	  the object (file)
 *	write to a page shared	copy-on-write: copy it, map the copy
 *	  copy-on-write		writable; the other holders keep the original
 *	write to a page whose	its sharers are gone: make it writable in
 *	  count is 1		place, no copy
 *
 * Copy-on-write needs no flag of its own: a private page whose reference
 * count is above 1 is shared with another address space (fork made both
 * mappings read-only) or is still the file's page (its object holds a
 * reference), and one whose count is 1 is ours alone.
 *
 * vm_copyout() and vm_zero() use the same code to fill an address space
 * that is not loaded (exec builds the new image before switching to it):
 * they fault the page in "by force", ignoring the entry's protection, as
 * a debugger's write would, and write through the direct map.
 */
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_page.h>

#include <machine/pmap.h>

#include <vm/vm_mapvar.h>

/*
 * A fault at va below every entry that contains it: when the next entry
 * up is a stack and va is within vm_lim_stack (RLIMIT_STACK) of its top,
 * the stack grows down to va's page, as Linux does, unless that would
 * come within VM_STACK_GUARD of the mapping below (prev) or pass
 * RLIMIT_AS.  Returns the stack entry, or NULL.
 */
static struct vm_map_entry *
vm_fault_grow(struct vmspace *vm, vaddr_t va, struct vm_map_entry *prev)
{
	struct vm_map_entry *s = prev->e_next;

	if (s == &vm->vm_head || !(s->e_flags & VM_MAP_STACK))
		return NULL;
	if (s->e_end - va > vm->vm_lim_stack)
		return NULL;		/* RLIMIT_STACK */
	if (!vm_may_expand(vm, 0, 0, s->e_start - va, s->e_prot, s->e_flags))
		return NULL;		/* RLIMIT_AS */
	if (prev != &vm->vm_head && !(prev->e_flags & VM_MAP_STACK) &&
	    va - prev->e_end < VM_STACK_GUARD)
		return NULL;
	s->e_start = va;
	return s;
}

/*
 * Whether entry e allows access.  A forced access (the kernel filling an
 * image) may write to a private mapping that is read-only, never to a
 * read-only shared one (the file or memory of others).  On x86 every
 * mapping that is not PROT_NONE can be read (write and execute imply
 * read).
 */
static bool
vm_fault_allowed(const struct vm_map_entry *e, int access, bool force)
{
	if (force)
		return !(e->e_flags & VM_MAP_SHARED) ||
		    !(access & VM_PROT_WRITE) || (e->e_prot & VM_PROT_WRITE);
	if (access & VM_PROT_WRITE)
		return (e->e_prot & VM_PROT_WRITE) != 0;
	if (access & VM_PROT_EXEC)
		return (e->e_prot & VM_PROT_EXEC) != 0;
	return e->e_prot != VM_PROT_NONE;
}

/*
 * Copy-on-write: give va a private copy of the page pa it shares, mapped
 * with prot.  The old page loses the reference this mapping held.
 */
static int
vm_fault_copy(struct pmap *pm, vaddr_t va, paddr_t pa, int prot,
    paddr_t *pap)
{
	paddr_t npa;
	int error;

	if ((npa = vm_page_alloc(false)) == 0)
		return -ENOMEM;
	memcpy(VM_PHYS_TO_DMAP(npa), VM_PHYS_TO_DMAP(pa), PAGE_SIZE);
	if ((error = pmap_enter(pm, va, npa, prot)) < 0) {
		vm_page_release(npa);
		return error;
	}
	*pap = npa;
	return 0;
}

/*
 * The first page for va in e, mapped: a zeroed one (private anonymous),
 * the object's (shared), or for a private mapping of a file the file's
 * page read-only, or a copy of it at once when the access writes.  The
 * page in *pap.
 */
static int
vm_fault_new_page(struct pmap *pm, struct vm_map_entry *e, vaddr_t va,
    int access, paddr_t *pap)
{
	paddr_t pa;
	int error, prot = e->e_prot;

	if (e->e_obj == NULL) {
		if ((pa = vm_page_alloc(true)) == 0)
			return -ENOMEM;
	} else {
		error = vm_object_page(e->e_obj,
		    e->e_objoff + ((va - e->e_start) >> PAGE_SHIFT), &pa);
		if (error < 0)
			return error;
		if (!(e->e_flags & VM_MAP_SHARED)) {
			if (access & VM_PROT_WRITE) {
				error = vm_fault_copy(pm, va, pa, prot, pap);
				vm_page_release(pa);
				return error;
			}
			prot &= ~VM_PROT_WRITE;
		}
	}
	if ((error = pmap_enter(pm, va, pa, prot)) < 0) {
		vm_page_release(pa);
		return error;
	}
	*pap = pa;
	return 0;
}

/*
 * Make the page at va ready for access (VM_PROT_READ, _WRITE or _EXEC):
 * grow the stack, allocate, copy on write, or fix the page-table rights,
 * as the comment at the top says.  With force, the entry's protection is
 * not checked (see vm_fault_allowed), and a write leaves the page table
 * as the entry says: the caller writes through the direct map.  The
 * page's physical address goes to *pap (when not NULL).  vm_lock held.
 * Returns 0, -EFAULT (no mapping, access not allowed), -ENXIO (past the
 * end of the object), -ENOMEM.
 */
int
vm_fault_locked(struct vmspace *vm, vaddr_t va, int access, bool force,
    paddr_t *pap)
{
	struct pmap *pm = &vm->vm_pmap;
	struct vm_map_entry *e, *prev;
	paddr_t pa;
	int error, want;

	KASSERT(spin_held(&vm->vm_lock), "vm_fault: vm_lock");
	va = trunc_page(va);
	if (va < VM_USER_MIN || va >= VM_USER_MAX)
		return -EFAULT;
	if ((e = vm_map_lookup(vm, va, &prev)) == NULL &&
	    (e = vm_fault_grow(vm, va, prev)) == NULL)
		return -EFAULT;
	if (!vm_fault_allowed(e, access, force))
		return -EFAULT;

	if (!pmap_extract(pm, va, &pa, NULL)) {
		/* Demand zero, or the object's page. */
		if ((error = vm_fault_new_page(pm, e, va, access, &pa)) < 0)
			return error;
		goto done;
	}
	pa = trunc_page(pa);
	want = e->e_prot;
	if (!(e->e_flags & VM_MAP_SHARED) && vm_page_refs(pa) > 1) {
		/* Still shared copy-on-write with another address space. */
		if (access & VM_PROT_WRITE) {
			if ((error = vm_fault_copy(pm, va, pa, want, &pa)) < 0)
				return error;
			goto done;
		}
		want &= ~VM_PROT_WRITE;
	}
	/*
	 * The page is there: give the entry's rights back (a write to a
	 * page that is ours alone again, a PROT_NONE page made accessible).
	 */
	pmap_protect(pm, va, va + PAGE_SIZE, want);
done:
	if (pap != NULL)
		*pap = pa;
	return 0;
}

/*
 * Resolve a fault at addr for access (VM_PROT_READ, _WRITE or _EXEC) in
 * vm.  Takes vm_lock.  Returns 0 when the access may be retried, -EFAULT
 * when it is not allowed, -ENXIO past the end of a file or object
 * (SIGBUS), -ENOMEM when no page could be had.
 */
int
vm_fault(struct vmspace *vm, vaddr_t addr, int access)
{
	int error;

	spin_lock(&vm->vm_lock);
	error = vm_fault_locked(vm, addr, access, false, NULL);
	spin_unlock(&vm->vm_lock);
	return error;
}

/*
 * Write len bytes at uaddr in vm: from kaddr, or zeros when kaddr is
 * NULL.  Each page is faulted in by force and written through the direct
 * map; vm_lock is taken for one page at a time.
 */
static int
vm_write(struct vmspace *vm, vaddr_t uaddr, const void *kaddr, size_t len)
{
	const uint8_t *src = kaddr;
	size_t off, n;
	paddr_t pa;
	int error;

	if (len == 0)
		return 0;
	if (uaddr >= VM_USER_MAX || len > VM_USER_MAX - uaddr)
		return -EFAULT;
	while (len > 0) {
		off = uaddr & PAGE_MASK;
		n = MIN(len, PAGE_SIZE - off);
		spin_lock(&vm->vm_lock);
		error = vm_fault_locked(vm, uaddr, VM_PROT_WRITE, true, &pa);
		if (error == 0 && src != NULL)
			memcpy(VM_PHYS_TO_DMAP(pa + off), src, n);
		else if (error == 0)
			memset(VM_PHYS_TO_DMAP(pa + off), 0, n);
		spin_unlock(&vm->vm_lock);
		if (error < 0)
			return error;
		uaddr += n;
		len -= n;
		if (src != NULL)
			src += n;
	}
	return 0;
}

/*
 * Copy len bytes from kernel memory at kaddr to uaddr in vm, which need
 * not be loaded (exec fills a new image this way).  The range must be
 * mapped; its protection is not checked, except that a read-only shared
 * mapping is never written.  Takes vm_lock.  Returns 0, -EFAULT, -ENOMEM.
 */
int
vm_copyout(struct vmspace *vm, vaddr_t uaddr, const void *kaddr,
    size_t len)
{
	return vm_write(vm, uaddr, kaddr, len);
}

/* Like vm_copyout(), writing zeros (the part of a segment past its file). */
int
vm_zero(struct vmspace *vm, vaddr_t uaddr, size_t len)
{
	return vm_write(vm, uaddr, NULL, len);
}
