/*
 * The kernel's page tables (arch/x86_64/pmap.c).
 *
 * The 32-bit boot code maps the first 4 GiB twice (identity and at
 * DMAP_BASE) and the first 1 GiB at KERNBASE with 2 MiB pages, just enough
 * to reach C.  pmap_bootstrap() then builds the real kernel page tables:
 * the direct map of all RAM and of the first 4 GiB (where the APICs and
 * most device memory live), and the kernel image at KERNBASE with its text
 * read-only and its data no-execute.  The identity map is dropped.
 *
 * User address spaces (struct pmap, below) each have a PML4 of their own
 * whose upper half, entries 256-511, is a copy of the kernel's: the kernel
 * is mapped in every address space, and a system call or an interrupt
 * needs no CR3 switch.  Copying the PML4 entries is enough because the
 * kernel's upper-half PDPTs never change after boot (pmap_mapdev() only
 * fills PDPTs and PDs below entries that exist; see pmap.c).
 *
 * Locking: pmap_lock protects the kernel page tables after boot.  A user
 * pmap belongs to its vmspace: every pmap_* call on it is made with that
 * vmspace's vm_lock held (or before anyone else can see it).
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/types.h>

/* Page-table entry bits (Intel SDM vol. 3, 4.5). */
#define PG_V		0x001ULL	/* present */
#define PG_RW		0x002ULL	/* writable */
#define PG_U		0x004ULL	/* user */
#define PG_PWT		0x008ULL
#define PG_PCD		0x010ULL	/* cache disable */
#define PG_A		0x020ULL
#define PG_M		0x040ULL
#define PG_PS		0x080ULL	/* 2 MiB / 1 GiB page */
#define PG_G		0x100ULL	/* global */
#define PG_NX		(1ULL << 63)
#define PG_FRAME	0x000ffffffffff000ULL
/*
 * Software bit (the CPU ignores every other bit of an entry whose PG_V is
 * clear): a PROT_NONE page.  The entry keeps the page's frame but is not
 * present, so any access faults and the page survives until mprotect()
 * makes it accessible again.
 */
#define PG_PROTNONE	0x200ULL

void	pmap_bootstrap(void);
/*
 * Make sure [pa, pa+size) is in the direct map (device memory above what
 * the boot map covers) and return its virtual address.
 */
void	*pmap_mapdev(paddr_t pa, size_t size);
/* The physical address of the kernel's top-level page table. */
paddr_t	pmap_kernel_pml4(void);

/*
 * SMAP is on (CR4.SMAP): the kernel may touch a user page only with
 * EFLAGS.AC set (stac), as the copy routines do.  Set once at boot.
 */
extern bool	pmap_smap_enabled;

/*
 * A user address space's page tables.  Every user page mapped here holds
 * one reference on its struct vm_page (vm_page_hold, sys/vm_page.h): the
 * mapping owns it, and pmap_remove() or pmap_destroy() drop it.  Page-
 * table pages count their used entries in their vm_page's pg_refs and are
 * freed when the count drops to zero.
 *
 * Locks protecting members of this struct:
 *	I	immutable after pmap_create()
 *	v	the owning vmspace's vm_lock
 */
struct pmap {
	paddr_t		 pm_pml4;	/* [I] physical address of the PML4 */
	uint64_t	 pm_resident;	/* [v] user pages mapped (RSS) */
	uint64_t	 pm_ptpages;	/* [v] page-table pages with the PML4 */
};

/* A new, empty user pmap (the kernel half only); -ENOMEM. */
int	pmap_create(struct pmap *pm);
/* Drop every user page and free every page-table page of pm. */
void	pmap_destroy(struct pmap *pm);
/*
 * Map the page at pa at user address va with prot (VM_PROT_*, sys/vm_map.h;
 * VM_PROT_NONE keeps the page without access).  The mapping takes over one
 * reference on pa that the caller holds; a page mapped at va before is
 * released.  -ENOMEM when a page-table page cannot be allocated (the
 * caller keeps its reference then).
 */
int	pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, int prot);
/* Unmap [sva, eva), releasing the pages and any emptied table. */
void	pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva);
/* Set the access of every page mapped in [sva, eva) to prot. */
void	pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, int prot);
/*
 * Whether va has a page (accessible or PROT_NONE): its physical address
 * (with va's offset) in *pap and the access the entry grants in *protp
 * (either may be NULL).
 */
bool	pmap_extract(struct pmap *pm, vaddr_t va, paddr_t *pap, int *protp);
/*
 * Call fn(arg, va, pa, prot) for every page mapped in [sva, eva), in
 * address order, skipping empty tables; stop at and return the first
 * nonzero value fn returns.  fn must not change pm.
 */
int	pmap_foreach(struct pmap *pm, vaddr_t sva, vaddr_t eva,
	    int (*fn)(void *arg, vaddr_t va, paddr_t pa, int prot), void *arg);
/* Load pm on this CPU (NULL: the kernel's tables alone); no-op if loaded. */
void	pmap_activate(struct pmap *pm);

#endif /* _MACHINE_PMAP_H_ */
