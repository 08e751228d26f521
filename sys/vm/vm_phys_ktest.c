/*
 * In-kernel tests of the physical page allocator (vm/vm_phys.c), run at
 * the end of boot with ktest=all or ktest=vm_phys_orders,...  They check
 * what the host unit test cannot: the real memory map, the real
 * reservations, and the direct map.
 */
#include <sys/bootinfo.h>
#include <sys/ktest.h>
#include <sys/param.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

#define KT_NBLOCKS	256

struct kt_block {
	paddr_t		kb_pa;
	unsigned int	kb_order;
	uint64_t	kb_tag;
};

static struct kt_block kt_blocks[KT_NBLOCKS];
static uint64_t kt_seed = 0x6a09e667f3bcc908ULL;

/* Write a pattern over the whole block, derived from its tag. */
static void
kt_fill(const struct kt_block *b)
{
	uint64_t *w = PHYS_TO_DMAP(b->kb_pa);
	uint64_t k, n = (PAGE_SIZE << b->kb_order) / sizeof(*w);

	for (k = 0; k < n; k++)
		w[k] = b->kb_tag ^ (k * 0x9e3779b97f4a7c15ULL);
}

static bool
kt_intact(const struct kt_block *b)
{
	const uint64_t *w = PHYS_TO_DMAP(b->kb_pa);
	uint64_t k, n = (PAGE_SIZE << b->kb_order) / sizeof(*w);

	for (k = 0; k < n; k++)
		if (w[k] != (b->kb_tag ^ (k * 0x9e3779b97f4a7c15ULL)))
			return false;
	return true;
}

/* Whether the page at pa may be handed out, by bootinfo alone. */
static bool
kt_page_allowed(paddr_t pa)
{
	paddr_t end = pa + PAGE_SIZE;
	const struct bootmem *bm;
	bool avail = false;
	int i;

	if (pa < (1UL << 20))
		return false;
	if (pa < round_page(bootinfo.bi_kernel_end) &&
	    end > trunc_page(bootinfo.bi_kernel_start))
		return false;
	for (i = 0; i < bootinfo.bi_nmods; i++)
		if (pa < bootinfo.bi_mods[i].bmod_end &&
		    end > bootinfo.bi_mods[i].bmod_start)
			return false;
	for (i = 0; i < bootinfo.bi_nmem; i++) {
		bm = &bootinfo.bi_mem[i];
		if (bm->bm_type == BOOTMEM_AVAILABLE) {
			if (bm->bm_base <= pa && bm->bm_len >= PAGE_SIZE &&
			    end - bm->bm_base <= bm->bm_len)
				avail = true;
		} else if (pa < bm->bm_base + bm->bm_len && end > bm->bm_base) {
			return false;
		}
	}
	return avail;
}

/* Every order: aligned, RAM, counted, writable, and the count returns. */
KTEST(vm_phys_orders)
{
	uint64_t start = vm_phys_free_pages();
	struct kt_block b;
	struct vm_page *pg;
	unsigned int o;

	KT_ASSERT(start > 0 && start <= vm_phys_total_pages());
	for (o = 0; o <= VM_PHYS_MAXORDER; o++) {
		b.kb_order = o;
		b.kb_tag = ktest_rand(&kt_seed);
		b.kb_pa = vm_phys_alloc(o);
		KT_ASSERT(b.kb_pa != 0);
		KT_ASSERT((b.kb_pa & ((PAGE_SIZE << o) - 1)) == 0);
		KT_ASSERT(vm_phys_free_pages() == start - (1UL << o));
		pg = vm_phys_page(b.kb_pa);
		KT_ASSERT(pg != NULL && pg->pg_pa == b.kb_pa);
		KT_ASSERT((pg->pg_flags & VM_PAGE_ALLOC) && pg->pg_order == o);
		KT_ASSERT(kt_page_allowed(b.kb_pa));
		kt_fill(&b);
		KT_ASSERT(kt_intact(&b));
		vm_phys_free(b.kb_pa, o);
		KT_ASSERT(vm_phys_free_pages() == start);
	}
	KT_ASSERT(vm_phys_alloc(VM_PHYS_MAXORDER + 1) == 0);
	return 0;
}

/* Mixed orders held at once: no overlap, contents survive, count returns. */
KTEST(vm_phys_patterns)
{
	uint64_t start = vm_phys_free_pages(), used = 0;
	int i, round;

	for (i = 0; i < KT_NBLOCKS; i++) {
		kt_blocks[i].kb_order = ktest_rand(&kt_seed) % 4;
		kt_blocks[i].kb_tag = ktest_rand(&kt_seed);
		kt_blocks[i].kb_pa = vm_phys_alloc(kt_blocks[i].kb_order);
		KT_ASSERT(kt_blocks[i].kb_pa != 0);
		used += 1UL << kt_blocks[i].kb_order;
		kt_fill(&kt_blocks[i]);
	}
	KT_ASSERT(vm_phys_free_pages() == start - used);
	for (round = 0; round < 4; round++) {
		/* Every block still holds its own pattern: none overlap. */
		for (i = 0; i < KT_NBLOCKS; i++)
			KT_ASSERT(kt_intact(&kt_blocks[i]));
		/* Free every other one (by round) and allocate again. */
		for (i = round % 2; i < KT_NBLOCKS; i += 2) {
			vm_phys_free(kt_blocks[i].kb_pa, kt_blocks[i].kb_order);
			used -= 1UL << kt_blocks[i].kb_order;
		}
		for (i = round % 2; i < KT_NBLOCKS; i += 2) {
			kt_blocks[i].kb_order = ktest_rand(&kt_seed) % 5;
			kt_blocks[i].kb_tag = ktest_rand(&kt_seed);
			kt_blocks[i].kb_pa =
			    vm_phys_alloc(kt_blocks[i].kb_order);
			KT_ASSERT(kt_blocks[i].kb_pa != 0);
			used += 1UL << kt_blocks[i].kb_order;
			kt_fill(&kt_blocks[i]);
		}
		KT_ASSERT(vm_phys_free_pages() == start - used);
	}
	for (i = 0; i < KT_NBLOCKS; i++) {
		KT_ASSERT(kt_intact(&kt_blocks[i]));
		vm_phys_free(kt_blocks[i].kb_pa, kt_blocks[i].kb_order);
	}
	KT_ASSERT(vm_phys_free_pages() == start);
	return 0;
}

/*
 * Take every free page, one at a time: each must be a page bootinfo calls
 * available and nobody reserved.  The pages are chained through their
 * first word.  Then give them all back: the buddies must merge again, so a
 * top-order block can be had.
 */
KTEST(vm_phys_exhaust)
{
	uint64_t start = vm_phys_free_pages(), n = 0, bad = 0;
	paddr_t pa, chain = 0;
	struct vm_page *pg;

	while ((pa = vm_phys_alloc(0)) != 0) {
		if (!kt_page_allowed(pa))
			bad++;
		*(paddr_t *)PHYS_TO_DMAP(pa) = chain;
		chain = pa;
		n++;
	}
	KT_ASSERT(vm_phys_free_pages() == 0);
	while (chain != 0) {
		pa = chain;
		chain = *(paddr_t *)PHYS_TO_DMAP(pa);
		pg = vm_phys_page(pa);
		if (pg == NULL || pg->pg_flags != VM_PAGE_ALLOC)
			bad++;
		vm_phys_free(pa, 0);
	}
	if (bad != 0)
		kprintf("ktest: %lu of %lu pages should not have been handed "
		    "out\n", bad, n);
	KT_ASSERT(bad == 0);
	KT_ASSERT(n == start);
	KT_ASSERT(vm_phys_free_pages() == start);
	pa = vm_phys_alloc(VM_PHYS_MAXORDER);
	KT_ASSERT(pa != 0);
	vm_phys_free(pa, VM_PHYS_MAXORDER);
	return 0;
}
