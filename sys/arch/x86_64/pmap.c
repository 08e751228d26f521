/*
 * The kernel's page tables.
 *
 * locore.S leaves us on temporary tables (the first 4 GiB identity-mapped
 * and at DMAP_BASE, the first 1 GiB at KERNBASE, all read-write-execute).
 * pmap_bootstrap() replaces them with the tables the kernel keeps:
 *
 *	PML4[256..]	the direct map: every byte of RAM, and at least the
 *			first 4 GiB (local APIC, IOAPIC, HPET, framebuffers),
 *			with 2 MiB pages, read-write, no-execute
 *	PML4[511]	the kernel image at KERNBASE with 4 KiB pages: text
 *			read-only and executable, read-only data no-execute,
 *			data and bss read-write no-execute
 *
 * and nothing at the bottom: a null or stray low pointer now faults.
 *
 * The page-table pages come from a small pool carved out of free memory
 * right after the kernel, before the page allocator exists; the pool is
 * reserved so vm_phys never hands it out.  Intel SDM vol. 3A, 4.5.
 *
 * pmap_bootstrap() also turns on the CPU's protections of the kernel
 * against user memory when it has them: SMEP (the kernel never executes a
 * user page) and SMAP (the kernel touches a user page only inside the copy
 * routines, between stac and clac).  CR0.WP, which makes read-only pages
 * read-only for the kernel too, is set by locore.S.
 *
 * The second half of this file is user address spaces (struct pmap in
 * machine/pmap.h): one PML4 each, whose lower half maps the process's
 * pages with 4 KiB entries and whose upper half is the kernel's.
 */
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>

typedef uint64_t pt_entry_t;

#define NPTEPG		512
#define PML4_SHIFT	39
#define PDPT_SHIFT	30
#define PD_SHIFT	21
#define PT_SHIFT	12
#define PTE_INDEX(va, shift)	(((va) >> (shift)) & (NPTEPG - 1))
#define ONE_GIB		(1UL << 30)
#define FOUR_GIB	(4UL << 30)
#define POOL_SPARE	32	/* pages kept for pmap_mapdev() */
#define NPML4_USER	256	/* PML4 entries 0-255: user space */
#define PMAP_INVLPG_MAX	8	/* more pages than this: reload CR3 */
#define PMAP_GATHER_MAX	32	/* pages freed per TLB flush */

/*
 * Locks protecting these:
 *	B	written during boot only (one CPU, interrupts off)
 *	p	pmap_lock
 */
static paddr_t	 kernel_pml4_pa;	/* [B] */
static paddr_t	 pool_next, pool_end;	/* [p] page-table page pool */
static uint64_t	 dmap_end;		/* [p] the direct map covers [0, this) */
static uint64_t	 pg_nx, pg_g;		/* [B] when the CPU has them */
static bool	 pmap_user_exists;	/* [p] a user PML4 copied the top */
static struct spinlock pmap_lock = SPINLOCK_INIT("pmap_lock");
bool		 pmap_smap_enabled;	/* [B] */

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern char boot_kstack_guard[];

static void	pmap_protect_kernel(void);

/* A zeroed page from the pool, or 0 when it is empty. */
static paddr_t
pmap_pool_page(void)
{
	paddr_t pa;

	if (pool_next >= pool_end)
		return 0;
	pa = pool_next;
	pool_next += PAGE_SIZE;
	memset(PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
	return pa;
}

/*
 * The table below entry *pte (allocating it when absent), as a pointer
 * through the direct map; NULL when the pool is empty.
 */
static pt_entry_t *
pmap_next_table(pt_entry_t *pte)
{
	if ((*pte & PG_V) == 0) {
		paddr_t pa = pmap_pool_page();

		if (pa == 0)
			return NULL;
		*pte = pa | PG_V | PG_RW;
	}
	KASSERT((*pte & PG_PS) == 0, "pmap: large page in the way");
	return PHYS_TO_DMAP(*pte & PG_FRAME);
}

/* Map one 2 MiB page of the direct map; -ENOMEM when out of pool pages. */
static int
pmap_dmap_large(paddr_t pa, uint64_t flags)
{
	vaddr_t va = (vaddr_t)PHYS_TO_DMAP(pa);
	pt_entry_t *pml4 = PHYS_TO_DMAP(kernel_pml4_pa), *pdpt, *pd;

	if ((pdpt = pmap_next_table(&pml4[PTE_INDEX(va, PML4_SHIFT)])) == NULL)
		return -ENOMEM;
	if ((pd = pmap_next_table(&pdpt[PTE_INDEX(va, PDPT_SHIFT)])) == NULL)
		return -ENOMEM;
	pd[PTE_INDEX(va, PD_SHIFT)] = pa | flags | PG_V | PG_RW | PG_PS |
	    pg_nx | pg_g;
	return 0;
}

/* Map one 4 KiB page of the kernel image at KERNBASE + pa. */
static int
pmap_kernel_page(paddr_t pa, uint64_t flags)
{
	vaddr_t va = KERNBASE + pa;
	pt_entry_t *pml4 = PHYS_TO_DMAP(kernel_pml4_pa), *pdpt, *pd, *pt;

	if ((pdpt = pmap_next_table(&pml4[PTE_INDEX(va, PML4_SHIFT)])) == NULL)
		return -ENOMEM;
	if ((pd = pmap_next_table(&pdpt[PTE_INDEX(va, PDPT_SHIFT)])) == NULL)
		return -ENOMEM;
	if ((pt = pmap_next_table(&pd[PTE_INDEX(va, PD_SHIFT)])) == NULL)
		return -ENOMEM;
	pt[PTE_INDEX(va, PT_SHIFT)] = pa | flags | PG_V | pg_g;
	return 0;
}

/* How far the direct map must reach: all available RAM, and 4 GiB. */
static uint64_t
pmap_dmap_target(void)
{
	uint64_t end = FOUR_GIB;
	int i;

	for (i = 0; i < bootinfo.bi_nmem; i++) {
		const struct bootmem *bm = &bootinfo.bi_mem[i];
		uint64_t e = bm->bm_base + bm->bm_len;

		if (bm->bm_type != BOOTMEM_AVAILABLE)
			continue;
		/* A range that wraps, or lies past what we can map: clip. */
		if (e < bm->bm_base || e > DMAP_MAXSIZE)
			e = DMAP_MAXSIZE;
		if (e > end)
			end = e;
	}
	return roundup2(end, LARGE_PAGE_SIZE);
}

/* Whether [start, end) overlaps the kernel image or a module. */
static bool
pmap_pool_conflicts(paddr_t start, paddr_t end)
{
	int i;

	if (start < bootinfo.bi_kernel_end && end > bootinfo.bi_kernel_start)
		return true;
	for (i = 0; i < bootinfo.bi_nmods; i++)
		if (start < bootinfo.bi_mods[i].bmod_end &&
		    end > bootinfo.bi_mods[i].bmod_start)
			return true;
	return false;
}

/*
 * Find npages of available RAM below 4 GiB (the boot map reaches only
 * that far) that hold neither the kernel nor a module.
 */
static paddr_t
pmap_pool_find(uint64_t npages)
{
	uint64_t size = npages * PAGE_SIZE;
	int i;

	for (i = 0; i < bootinfo.bi_nmem; i++) {
		const struct bootmem *bm = &bootinfo.bi_mem[i];
		paddr_t start, end;

		if (bm->bm_type != BOOTMEM_AVAILABLE)
			continue;
		start = round_page(MAX(bm->bm_base, 1UL << 20));
		end = MIN(trunc_page(bm->bm_base + bm->bm_len), FOUR_GIB);
		/* Step past the kernel and modules, a page at a time. */
		while (start + size <= end) {
			if (!pmap_pool_conflicts(start, start + size))
				return start;
			start += PAGE_SIZE;
		}
	}
	return 0;
}

/*
 * Build and load the kernel's page tables (see the top of this file).
 * Runs once, early in kmain(), after cpu_init() has read the CPU features.
 * Panics when there is no memory for the tables: nothing can run then.
 */
void
pmap_bootstrap(void)
{
	uint64_t target = pmap_dmap_target();
	/* Page tables for the image: one per 2 MiB it touches. */
	uint64_t kpts = ((bootinfo.bi_kernel_end - 1) >> 21) - (KERNLOAD >> 21)
	    + 1;
	uint64_t npages, pa;
	paddr_t pool;

	if (rdmsr(MSR_EFER) & EFER_NXE)
		pg_nx = PG_NX;
	if (cpu_features.cf_pge) {
		lcr4(rcr4() | CR4_PGE);
		pg_g = PG_G;
	}

	/* PML4, PDPTs, PDs for the direct map; PDPT, PD, PTs for the image. */
	npages = 1 + (target + (512 * ONE_GIB) - 1) / (512 * ONE_GIB) +
	    (target + ONE_GIB - 1) / ONE_GIB + 2 + kpts + POOL_SPARE;
	if ((pool = pmap_pool_find(npages)) == 0)
		panic("pmap: no room below 4 GiB for %lu page-table pages",
		    npages);
	pool_next = pool;
	pool_end = pool + npages * PAGE_SIZE;
	vm_phys_reserve(pool, pool_end, "kernel page tables");
	kernel_pml4_pa = pmap_pool_page();

	for (pa = 0; pa < target; pa += LARGE_PAGE_SIZE)
		if (pmap_dmap_large(pa, 0) < 0)
			panic("pmap: page-table pool too small");
	dmap_end = target;

	for (pa = KERNLOAD; pa < bootinfo.bi_kernel_end; pa += PAGE_SIZE) {
		vaddr_t va = KERNBASE + pa;
		uint64_t flags;

		if (va == (vaddr_t)boot_kstack_guard)
			continue;			/* unmapped: see locore */
		if (va >= (vaddr_t)_text && va < (vaddr_t)_etext)
			flags = 0;			/* r-x */
		else if (va >= (vaddr_t)_rodata && va < (vaddr_t)_erodata)
			flags = pg_nx;			/* r-- */
		else
			flags = PG_RW | pg_nx;		/* rw- */
		if (pmap_kernel_page(pa, flags) < 0)
			panic("pmap: page-table pool too small");
	}

	lcr3(kernel_pml4_pa);
	klog("pmap", "direct map of %lu MiB, kernel %lu KiB (text r-x, "
	    "rodata r--, data rw-)%s, %lu page-table pages",
	    dmap_end >> 20, (bootinfo.bi_kernel_end - KERNLOAD) >> 10,
	    pg_nx ? "" : " [no NX on this CPU]",
	    (pool_next - pool) / PAGE_SIZE);
	pmap_protect_kernel();
}

/*
 * Turn on SMEP and SMAP when the CPU has them (SDM vol. 3A, 4.6 "Access
 * Rights": supervisor-mode execution and access prevention), and check
 * that CR0.WP is on, as locore.S left it.
 */
static void
pmap_protect_kernel(void)
{
	uint64_t cr4 = rcr4();

	KASSERT((rcr0() & CR0_WP) != 0, "pmap: CR0.WP is off");
	if (cpu_features.cf_smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.cf_smap)
		cr4 |= CR4_SMAP;
	lcr4(cr4);
	pmap_smap_enabled = cpu_features.cf_smap;
	klog("pmap", "kernel protections: WP%s%s", cpu_features.cf_smep ?
	    " SMEP" : " [no SMEP on this CPU]", cpu_features.cf_smap ?
	    " SMAP" : " [no SMAP on this CPU]");
}

/*
 * Make sure physical [pa, pa + size) is in the direct map, mapping 2 MiB
 * pages (uncached: this is for device memory) beyond what boot mapped, and
 * return its address there.  Returns NULL, with a log line, when the range
 * is beyond the direct map's reach or no page-table page is left.
 * Takes pmap_lock.
 */
void *
pmap_mapdev(paddr_t pa, size_t size)
{
	paddr_t start = rounddown2(pa, LARGE_PAGE_SIZE);
	paddr_t end = roundup2(pa + size, LARGE_PAGE_SIZE);
	paddr_t p;

	if (size == 0 || end < pa || end > DMAP_MAXSIZE) {
		klog("pmap", "cannot map device memory at %#lx (+%#zx)", pa,
		    size);
		return NULL;
	}
	spin_lock(&pmap_lock);
	for (p = start; p < end; p += LARGE_PAGE_SIZE) {
		vaddr_t va = (vaddr_t)PHYS_TO_DMAP(p);
		pt_entry_t *pml4 = PHYS_TO_DMAP(kernel_pml4_pa);
		pt_entry_t e = pml4[PTE_INDEX(va, PML4_SHIFT)];

		/* Already mapped (below dmap_end, or by an earlier call)? */
		if (p < dmap_end)
			continue;
		if (e & PG_V) {
			pt_entry_t *pdpt = PHYS_TO_DMAP(e & PG_FRAME);
			pt_entry_t f = pdpt[PTE_INDEX(va, PDPT_SHIFT)];

			if ((f & PG_V) && (((pt_entry_t *)PHYS_TO_DMAP(f &
			    PG_FRAME))[PTE_INDEX(va, PD_SHIFT)] & PG_V))
				continue;
		} else if (pmap_user_exists) {
			/*
			 * A new top-level entry would be missing from the
			 * user PML4s, which copied the kernel's half once.
			 */
			spin_unlock(&pmap_lock);
			klog("pmap", "cannot map device memory at %#lx: it "
			    "needs a new PML4 entry after user address spaces "
			    "exist", pa);
			return NULL;
		}
		if (pmap_dmap_large(p, PG_PCD | PG_PWT) < 0) {
			spin_unlock(&pmap_lock);
			klog("pmap", "out of page-table pages mapping %#lx",
			    pa);
			return NULL;
		}
		invlpg(va);
	}
	spin_unlock(&pmap_lock);
	return PHYS_TO_DMAP(pa);
}

/* The physical address of the kernel's PML4 (for new address spaces). */
paddr_t
pmap_kernel_pml4(void)
{
	return kernel_pml4_pa;
}

/*
 * User address spaces.
 *
 *	PML4 (one page, 512 entries)
 *	  0 .. 255   user: PDPT -> PD -> PT -> the process's 4 KiB pages
 *	256 .. 511   copied from the kernel's PML4 by pmap_create(): the
 *		     direct map and the kernel image, the same PDPTs in
 *		     every address space
 *
 * The tables of the lower half are allocated as pages are entered and
 * freed as they empty: the vm_page of a page-table page counts its used
 * entries (pg_refs, VM_PAGE_OWNER_PTP).  The PML4 has no count; it goes
 * with the pmap.  Entries of the upper levels are user-accessible and
 * writable, so that the leaf entry alone decides (SDM vol. 3A, 4.6: the
 * access rights of all levels combine).
 *
 * When a pmap is loaded on the CPU, every change that takes a right away
 * must reach the TLB before the freed page or table can be reused: the
 * pmap_gather below collects what a removal frees, flushes the TLB once
 * (invlpg for a few pages, a CR3 reload for more or when a table went,
 * which also empties the paging-structure caches, SDM 4.10.4), and only
 * then frees.  A pmap not loaded has nothing in the TLB (user entries are
 * not global, and loading CR3 flushes the others).
 */

/* The tables on the way to va's page-table entry. */
struct pmap_path {
	pt_entry_t	*pp_e[3];	/* the PML4, PDPT and PD entries */
	pt_entry_t	*pp_pt;		/* the page table */
};

/* What a removal will free once the TLB is flushed. */
struct pmap_gather {
	struct pmap	*g_pm;
	bool		 g_active;	/* pm is loaded: flush the TLB */
	bool		 g_reload;	/* a table went: reload CR3 */
	int		 g_nva, g_npage, g_nptp;
	vaddr_t		 g_va[PMAP_GATHER_MAX];	  /* to invalidate */
	paddr_t		 g_page[PMAP_GATHER_MAX]; /* to release */
	paddr_t		 g_ptp[PMAP_GATHER_MAX];  /* tables to free */
};

static bool
pmap_is_active(const struct pmap *pm)
{
	return (rcr3() & PG_FRAME) == pm->pm_pml4;
}

/* The vm_page of a page-table page of a user pmap. */
static struct vm_page *
pmap_ptp_page(paddr_t pa)
{
	struct vm_page *pg = vm_phys_page(pa);

	KASSERT(pg != NULL && pg->pg_owner == VM_PAGE_OWNER_PTP,
	    "pmap: not a page-table page");
	return pg;
}

/* A zeroed page-table page for pm, or 0 when memory is exhausted. */
static paddr_t
pmap_ptp_alloc(struct pmap *pm)
{
	struct vm_page *pg;
	paddr_t pa;

	if ((pa = vm_phys_alloc(0)) == 0)
		return 0;
	memset(PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
	pg = vm_phys_page(pa);
	pg->pg_owner = VM_PAGE_OWNER_PTP;
	pg->pg_refs = 0;
	pm->pm_ptpages++;
	return pa;
}

static void
pmap_ptp_free(struct pmap *pm, paddr_t pa)
{
	struct vm_page *pg = pmap_ptp_page(pa);

	pg->pg_owner = VM_PAGE_OWNER_NONE;
	pg->pg_refs = 0;
	pm->pm_ptpages--;
	vm_phys_free(pa, 0);
}

/* The leaf bits for prot (VM_PROT_*); PROT_NONE keeps the page absent. */
static pt_entry_t
pmap_prot_bits(int prot)
{
	pt_entry_t bits;

	if ((prot & (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC)) == 0)
		return PG_PROTNONE;
	bits = PG_V | PG_U;
	if (prot & VM_PROT_WRITE)
		bits |= PG_RW;
	if ((prot & VM_PROT_EXEC) == 0)
		bits |= pg_nx;
	return bits;
}

/* The access a leaf entry grants, as VM_PROT_* bits. */
static int
pmap_pte_prot(pt_entry_t pte)
{
	int prot;

	if ((pte & PG_V) == 0)
		return VM_PROT_NONE;
	prot = VM_PROT_READ;
	if (pte & PG_RW)
		prot |= VM_PROT_WRITE;
	if ((pte & pg_nx) == 0)
		prot |= VM_PROT_EXEC;
	return prot;
}

/*
 * Find the page table that covers va.  With alloc, missing tables are
 * allocated (-ENOMEM when that fails; tables allocated on the way stay,
 * empty, until pmap_destroy).  Without, a missing table is -ENOENT and
 * *skip gets the first address past the range it would have covered.
 */
static int
pmap_walk(struct pmap *pm, vaddr_t va, bool alloc, struct pmap_path *pp,
    vaddr_t *skip)
{
	static const int shift[3] = { PML4_SHIFT, PDPT_SHIFT, PD_SHIFT };
	paddr_t table_pa = pm->pm_pml4, pa;
	pt_entry_t *table = PHYS_TO_DMAP(table_pa), *e;
	int l;

	for (l = 0; l < 3; l++) {
		e = &table[PTE_INDEX(va, shift[l])];
		pp->pp_e[l] = e;
		if ((*e & PG_V) == 0) {
			if (!alloc) {
				*skip = (va | ((1UL << shift[l]) - 1)) + 1;
				return -ENOENT;
			}
			if ((pa = pmap_ptp_alloc(pm)) == 0)
				return -ENOMEM;
			*e = pa | PG_V | PG_RW | PG_U;
			if (l > 0)
				pmap_ptp_page(table_pa)->pg_refs++;
		}
		table_pa = *e & PG_FRAME;
		table = PHYS_TO_DMAP(table_pa);
	}
	pp->pp_pt = table;
	return 0;
}

static void
pmap_gather_init(struct pmap_gather *g, struct pmap *pm)
{
	g->g_pm = pm;
	g->g_active = pmap_is_active(pm);
	g->g_reload = false;
	g->g_nva = g->g_npage = g->g_nptp = 0;
}

/* Flush the TLB for what g collected, then free it. */
static void
pmap_gather_flush(struct pmap_gather *g)
{
	int i;

	if (g->g_active) {
		if (g->g_reload || g->g_nva > PMAP_INVLPG_MAX)
			lcr3(g->g_pm->pm_pml4);
		else
			for (i = 0; i < g->g_nva; i++)
				invlpg(g->g_va[i]);
	}
	for (i = 0; i < g->g_npage; i++)
		vm_page_release(g->g_page[i]);
	for (i = 0; i < g->g_nptp; i++)
		pmap_ptp_free(g->g_pm, g->g_ptp[i]);
	g->g_reload = false;
	g->g_nva = g->g_npage = g->g_nptp = 0;
}

/* va's old entry was present: its translation must leave the TLB. */
static void
pmap_gather_va(struct pmap_gather *g, vaddr_t va)
{
	if (!g->g_active)
		return;
	if (g->g_nva == PMAP_GATHER_MAX)
		pmap_gather_flush(g);
	g->g_va[g->g_nva++] = va;
}

/* A page whose mapping went: release it after the flush. */
static void
pmap_gather_page(struct pmap_gather *g, paddr_t pa)
{
	if (g->g_npage == PMAP_GATHER_MAX)
		pmap_gather_flush(g);
	g->g_page[g->g_npage++] = pa;
}

/*
 * A leaf entry on path pp went from used to empty: count it off its page
 * table, and free each table that this empties, up to the PDPT.  Returns
 * true when the page table itself went.
 */
static bool
pmap_unref(struct pmap_gather *g, struct pmap_path *pp)
{
	struct vm_page *pg;
	paddr_t tpa;
	int l;

	for (l = 2; l >= 0; l--) {
		tpa = *pp->pp_e[l] & PG_FRAME;
		pg = pmap_ptp_page(tpa);
		KASSERT(pg->pg_refs > 0, "pmap: table count underflow");
		if (--pg->pg_refs > 0)
			return l < 2;
		*pp->pp_e[l] = 0;
		if (g->g_nptp == PMAP_GATHER_MAX)
			pmap_gather_flush(g);
		g->g_ptp[g->g_nptp++] = tpa;
		g->g_reload = true;
	}
	return true;
}

/*
 * Make pm a new user pmap: a zeroed PML4 whose upper half is the kernel's.
 * Takes pmap_lock.  Returns 0 or -ENOMEM.
 */
int
pmap_create(struct pmap *pm)
{
	pt_entry_t *kpml4 = PHYS_TO_DMAP(kernel_pml4_pa), *pml4;
	paddr_t pa;

	pm->pm_resident = 0;
	pm->pm_ptpages = 0;
	if ((pa = pmap_ptp_alloc(pm)) == 0)
		return -ENOMEM;
	pml4 = PHYS_TO_DMAP(pa);
	spin_lock(&pmap_lock);
	/* From now on pmap_mapdev() may not add top-level entries. */
	pmap_user_exists = true;
	memcpy(&pml4[NPML4_USER], &kpml4[NPML4_USER],
	    (NPTEPG - NPML4_USER) * sizeof(pt_entry_t));
	spin_unlock(&pmap_lock);
	pm->pm_pml4 = pa;
	return 0;
}

/*
 * Tear pm down: release every user page still mapped, free every table of
 * the lower half and the PML4.  When pm is loaded, the kernel's tables are
 * loaded first.  The caller holds the only reference to the vmspace.
 */
void
pmap_destroy(struct pmap *pm)
{
	pt_entry_t *pml4 = PHYS_TO_DMAP(pm->pm_pml4), *pdpt, *pd, *pt;
	int i, j, k, l;

	if (pmap_is_active(pm))
		lcr3(kernel_pml4_pa);
	for (i = 0; i < NPML4_USER; i++) {
		if ((pml4[i] & PG_V) == 0)
			continue;
		pdpt = PHYS_TO_DMAP(pml4[i] & PG_FRAME);
		for (j = 0; j < NPTEPG; j++) {
			if ((pdpt[j] & PG_V) == 0)
				continue;
			pd = PHYS_TO_DMAP(pdpt[j] & PG_FRAME);
			for (k = 0; k < NPTEPG; k++) {
				if ((pd[k] & PG_V) == 0)
					continue;
				pt = PHYS_TO_DMAP(pd[k] & PG_FRAME);
				for (l = 0; l < NPTEPG; l++) {
					if (pt[l] == 0)
						continue;
					vm_page_release(pt[l] & PG_FRAME);
					pm->pm_resident--;
				}
				pmap_ptp_free(pm, pd[k] & PG_FRAME);
			}
			pmap_ptp_free(pm, pdpt[j] & PG_FRAME);
		}
		pmap_ptp_free(pm, pml4[i] & PG_FRAME);
	}
	pmap_ptp_free(pm, pm->pm_pml4);
	KASSERT(pm->pm_resident == 0 && pm->pm_ptpages == 0,
	    "pmap_destroy: counts do not add up");
	pm->pm_pml4 = 0;
}

/*
 * Map the user page pa at va with prot, allocating page tables on the way.
 * The caller holds pm's vmspace lock and hands over one reference on pa;
 * the page that va mapped before, if any, is released.  Returns 0, or
 * -ENOMEM (the caller keeps its reference).
 */
int
pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, int prot)
{
	struct pmap_path pp;
	pt_entry_t *pte, old;
	int error;

	KASSERT(va < VM_USER_MAX && (va & PAGE_MASK) == 0 &&
	    (pa & PAGE_MASK) == 0, "pmap_enter: bad address");
	if ((error = pmap_walk(pm, va, true, &pp, NULL)) < 0)
		return error;
	pte = &pp.pp_pt[PTE_INDEX(va, PT_SHIFT)];
	old = *pte;
	*pte = pa | pmap_prot_bits(prot);
	if (old == 0) {
		pmap_ptp_page(*pp.pp_e[2] & PG_FRAME)->pg_refs++;
		pm->pm_resident++;
		return 0;
	}
	if ((old & PG_V) && pmap_is_active(pm))
		invlpg(va);
	vm_page_release(old & PG_FRAME);
	return 0;
}

/*
 * Unmap every page in [sva, eva) (page-aligned user addresses) and release
 * it; free the page tables this empties.  The caller holds pm's vmspace
 * lock.
 */
void
pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	struct pmap_gather g;
	struct pmap_path pp;
	vaddr_t va = sva, end, skip;
	pt_entry_t *pte, old;

	KASSERT(sva <= eva && eva <= VM_USER_MAX, "pmap_remove: bad range");
	pmap_gather_init(&g, pm);
	while (va < eva) {
		if (pmap_walk(pm, va, false, &pp, &skip) < 0) {
			va = skip;
			continue;
		}
		end = MIN(eva, (va | (LARGE_PAGE_SIZE - 1)) + 1);
		for (; va < end; va += PAGE_SIZE) {
			pte = &pp.pp_pt[PTE_INDEX(va, PT_SHIFT)];
			if ((old = *pte) == 0)
				continue;
			/* Clear first: the flush must follow the change. */
			*pte = 0;
			pm->pm_resident--;
			if (old & PG_V)
				pmap_gather_va(&g, va);
			pmap_gather_page(&g, old & PG_FRAME);
			if (pmap_unref(&g, &pp)) {
				/* The table went; the rest of it was empty. */
				va = end;
				break;
			}
		}
	}
	pmap_gather_flush(&g);
}

/*
 * Give every page mapped in [sva, eva) the access prot (VM_PROT_NONE
 * keeps the pages but takes all access away).  The caller holds pm's
 * vmspace lock; for private memory it leaves VM_PROT_WRITE out where a
 * page is still shared copy-on-write.
 */
void
pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, int prot)
{
	struct pmap_gather g;
	struct pmap_path pp;
	vaddr_t va = sva, end, skip;
	pt_entry_t *pte, old, new, bits = pmap_prot_bits(prot);

	KASSERT(sva <= eva && eva <= VM_USER_MAX, "pmap_protect: bad range");
	pmap_gather_init(&g, pm);
	while (va < eva) {
		if (pmap_walk(pm, va, false, &pp, &skip) < 0) {
			va = skip;
			continue;
		}
		end = MIN(eva, (va | (LARGE_PAGE_SIZE - 1)) + 1);
		for (; va < end; va += PAGE_SIZE) {
			pte = &pp.pp_pt[PTE_INDEX(va, PT_SHIFT)];
			if (*pte == 0)
				continue;
			old = *pte;
			new = (old & PG_FRAME) | bits;
			if (new == old)
				continue;
			*pte = new;
			/* Stale rights (even fewer of them) must go. */
			if (old & PG_V)
				pmap_gather_va(&g, va);
		}
	}
	pmap_gather_flush(&g);
}

/*
 * Look va up in pm: whether it has a page, the physical address va maps
 * to in *pap and the access granted in *protp.  The caller holds pm's
 * vmspace lock.
 */
bool
pmap_extract(struct pmap *pm, vaddr_t va, paddr_t *pap, int *protp)
{
	struct pmap_path pp;
	vaddr_t skip;
	pt_entry_t pte;

	if (va >= VM_USER_MAX || pmap_walk(pm, va, false, &pp, &skip) < 0)
		return false;
	pte = pp.pp_pt[PTE_INDEX(va, PT_SHIFT)];
	if (pte == 0)
		return false;
	if (pap != NULL)
		*pap = (pte & PG_FRAME) | (va & PAGE_MASK);
	if (protp != NULL)
		*protp = pmap_pte_prot(pte);
	return true;
}

/*
 * Call fn for every page mapped in [sva, eva), in address order; return
 * the first nonzero value it returns, or 0.  The caller holds pm's
 * vmspace lock.
 */
int
pmap_foreach(struct pmap *pm, vaddr_t sva, vaddr_t eva,
    int (*fn)(void *arg, vaddr_t va, paddr_t pa, int prot), void *arg)
{
	struct pmap_path pp;
	vaddr_t va = sva, end, skip;
	pt_entry_t pte;
	int error;

	KASSERT(sva <= eva && eva <= VM_USER_MAX, "pmap_foreach: bad range");
	while (va < eva) {
		if (pmap_walk(pm, va, false, &pp, &skip) < 0) {
			va = skip;
			continue;
		}
		end = MIN(eva, (va | (LARGE_PAGE_SIZE - 1)) + 1);
		for (; va < end; va += PAGE_SIZE) {
			pte = pp.pp_pt[PTE_INDEX(va, PT_SHIFT)];
			if (pte == 0)
				continue;
			error = fn(arg, va, pte & PG_FRAME, pmap_pte_prot(pte));
			if (error != 0)
				return error;
		}
	}
	return 0;
}

/*
 * Load pm's tables on this CPU, or the kernel's alone when pm is NULL;
 * nothing happens when they are loaded already (a CR3 load flushes the
 * TLB).  Called with interrupts off or the caller's vmspace held.
 */
void
pmap_activate(struct pmap *pm)
{
	paddr_t pa = pm != NULL ? pm->pm_pml4 : kernel_pml4_pa;

	if ((rcr3() & PG_FRAME) != pa)
		lcr3(pa);
}
