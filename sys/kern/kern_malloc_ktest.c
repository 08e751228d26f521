/*
 * In-kernel tests of the kernel heap (kern/kern_malloc.c), run at the end
 * of boot with ktest=all or ktest=kmalloc_sizes,...  The panics of the
 * debug checks (double free, overrun) are tested on the host, in
 * tests/unit/test_kmalloc.c, since a panic ends the kernel.
 */
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

#define KT_NLIVE	2000

struct kt_live {
	uint8_t		*kl_p;
	size_t		 kl_size;
	uint8_t		 kl_tag;
};

static struct kt_live kt_live[KT_NLIVE];
static uint64_t kt_seed = 0xbb67ae8584caa73bULL;

static void
kt_fill(struct kt_live *l)
{
	size_t i;

	for (i = 0; i < l->kl_size; i++)
		l->kl_p[i] = (uint8_t)(l->kl_tag + i * 13);
}

static bool
kt_intact(const struct kt_live *l)
{
	size_t i;

	for (i = 0; i < l->kl_size; i++)
		if (l->kl_p[i] != (uint8_t)(l->kl_tag + i * 13))
			return false;
	return true;
}

/* Whether p is a 16-byte aligned pointer into a page kmalloc owns. */
static bool
kt_heap_pointer(const void *p)
{
	struct vm_page *pg = vm_phys_page(DMAP_TO_PHYS(p));

	return ((uintptr_t)p & 15) == 0 && pg != NULL &&
	    pg->pg_owner != VM_PAGE_OWNER_NONE;
}

/*
 * Sizes on both sides of every class edge and of the page sizes, all held
 * at once: aligned, in the heap's pages, contents kept; then the free page
 * count returns to its start.
 */
KTEST(kmalloc_sizes)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 63,
	    64, 65, 96, 127, 128, 129, 200, 255, 256, 257, 480, 511, 512,
	    513, 992, 1023, 1024, 1025, 2016, 2017, 2047, 2048, 2049, 4064,
	    4065, 4096, 8192, 12345, 65536 };
	uint64_t start = vm_phys_free_pages();
	unsigned int i, n = 0;

	for (i = 0; i < nitems(sizes); i++) {
		kt_live[n].kl_size = sizes[i];
		kt_live[n].kl_tag = ktest_rand(&kt_seed);
		kt_live[n].kl_p = kmalloc(sizes[i], 0);
		KT_ASSERT(kt_live[n].kl_p != NULL);
		KT_ASSERT(kt_heap_pointer(kt_live[n].kl_p));
		kt_fill(&kt_live[n]);
		n++;
	}
	for (i = 0; i < n; i++)
		KT_ASSERT(kt_intact(&kt_live[i]));
	for (i = 0; i < n; i++)
		kfree(kt_live[i].kl_p);
	KT_ASSERT(vm_phys_free_pages() == start);
	return 0;
}

/* M_ZERO gives zeroes even where a freed block held other bytes. */
KTEST(kmalloc_zero)
{
	static const size_t sizes[] = { 8, 100, 1000, 2000, 6000, 100000 };
	unsigned int i;
	uint8_t *p, *keep;
	size_t k;

	for (i = 0; i < nitems(sizes); i++) {
		keep = kmalloc(sizes[i], 0);	/* the slab stays */
		p = kmalloc(sizes[i], 0);
		KT_ASSERT(keep != NULL && p != NULL);
		memset(p, 0xff, sizes[i]);
		kfree(p);
		p = kmalloc(sizes[i], M_ZERO);
		KT_ASSERT(p != NULL);
		for (k = 0; k < sizes[i]; k++)
			KT_ASSERT(p[k] == 0);
		kfree(p);
		kfree(keep);
	}
	return 0;
}

/* Large blocks, up to a top-order block; beyond that, NULL. */
KTEST(kmalloc_large)
{
	uint64_t start = vm_phys_free_pages();
	size_t top = (PAGE_SIZE << VM_PHYS_MAXORDER) - 64;
	struct vm_page *pg;
	uint8_t *p;

	p = kmalloc(top, 0);
	KT_ASSERT(p != NULL && kt_heap_pointer(p));
	pg = vm_phys_page(DMAP_TO_PHYS(p));
	KT_ASSERT(pg->pg_owner == VM_PAGE_OWNER_KMEM_LARGE);
	KT_ASSERT(pg->pg_order == VM_PHYS_MAXORDER);
	KT_ASSERT(vm_phys_free_pages() == start - (1UL << VM_PHYS_MAXORDER));
	memset(p, 0x3c, top);
	KT_ASSERT(p[0] == 0x3c && p[top - 1] == 0x3c);
	kfree(p);
	KT_ASSERT(vm_phys_free_pages() == start);
	KT_ASSERT(kmalloc((PAGE_SIZE << VM_PHYS_MAXORDER) + 1, 0) == NULL);
	return 0;
}

/* Thousands of random sizes, freed in random order; the count returns. */
KTEST(kmalloc_many)
{
	uint64_t start = vm_phys_free_pages();
	unsigned int i, n = 0, round;

	for (round = 0; round < 8000; round++) {
		if (n > 0 &&
		    (ktest_rand(&kt_seed) % 2 == 0 || n == KT_NLIVE)) {
			i = ktest_rand(&kt_seed) % n;
			KT_ASSERT(kt_intact(&kt_live[i]));
			kfree(kt_live[i].kl_p);
			kt_live[i] = kt_live[--n];
			continue;
		}
		kt_live[n].kl_size = ktest_rand(&kt_seed) % 32 == 0 ?
		    ktest_rand(&kt_seed) % 20000 : ktest_rand(&kt_seed) % 2100;
		kt_live[n].kl_tag = ktest_rand(&kt_seed);
		kt_live[n].kl_p = kmalloc(kt_live[n].kl_size, 0);
		KT_ASSERT(kt_live[n].kl_p != NULL);
		kt_fill(&kt_live[n]);
		n++;
	}
	while (n > 0) {
		n--;
		KT_ASSERT(kt_intact(&kt_live[n]));
		kfree(kt_live[n].kl_p);
	}
	KT_ASSERT(vm_phys_free_pages() == start);
	return 0;
}
