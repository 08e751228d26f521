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
 */
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/systm.h>
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

/*
 * Locks protecting these:
 *	B	written during boot only (one CPU, interrupts off)
 *	p	pmap_lock
 */
static paddr_t	 kernel_pml4_pa;	/* [B] */
static paddr_t	 pool_next, pool_end;	/* [p] page-table page pool */
static uint64_t	 dmap_end;		/* [p] the direct map covers [0, this) */
static uint64_t	 pg_nx, pg_g;		/* [B] when the CPU has them */
static struct spinlock pmap_lock = SPINLOCK_INIT("pmap_lock");

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

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

		if (bm->bm_type == BOOTMEM_AVAILABLE &&
		    bm->bm_base + bm->bm_len > end)
			end = bm->bm_base + bm->bm_len;
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
	uint64_t kpages = (bootinfo.bi_kernel_end - KERNLOAD) / PAGE_SIZE;
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
	    (target + ONE_GIB - 1) / ONE_GIB + 2 + (kpages + NPTEPG - 1) /
	    NPTEPG + POOL_SPARE;
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
