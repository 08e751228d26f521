/*
 * In-kernel tests of address spaces (vm/vm_map.c, vm_fault.c, vm_object.c,
 * arch/x86_64/pmap.c and copy.S), run at the end of boot with ktest=all
 * or ktest=vm_map_anon,...
 *
 * They build address spaces that are never loaded (but for vm_copy_user)
 * and look at them the way the CPU would: pmap_extract() gives the page
 * under an address, read through the direct map.  Every test ends by
 * checking that the free page count and the count of user pages are
 * where they started: a page leaked, or freed twice, shows there.
 */
#include <sys/abi/mman.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>
#include <machine/specialreg.h>

#include <vm/vm_mapvar.h>

#define P		PAGE_SIZE
#define RW		(VM_PROT_READ | VM_PROT_WRITE)
#define KT_BASE		0x10000000UL	/* where fixed test mappings go */
#define PSL_AC		0x40000		/* rflags: alignment check / SMAP */

/* Free pages and user pages before a test. */
struct kt_mem {
	uint64_t	km_free;
	uint64_t	km_user;
};

static void
kt_mem_save(struct kt_mem *m)
{
	m->km_free = vm_phys_free_pages();
	m->km_user = vm_page_user_count();
}

static bool
kt_mem_same(const struct kt_mem *m)
{
	if (vm_phys_free_pages() == m->km_free &&
	    vm_page_user_count() == m->km_user)
		return true;
	kprintf("ktest: free pages %lu -> %lu, user pages %lu -> %lu\n",
	    m->km_free, vm_phys_free_pages(), m->km_user,
	    vm_page_user_count());
	return false;
}

/* The physical page under va in vm, or 0; its access in *protp. */
static paddr_t
kt_pa(struct vmspace *vm, vaddr_t va, int *protp)
{
	paddr_t pa;
	bool have;

	spin_lock(&vm->vm_lock);
	have = pmap_extract(&vm->vm_pmap, va, &pa, protp);
	spin_unlock(&vm->vm_lock);
	return have ? pa : 0;
}

/* Read len bytes at va in vm as the CPU would find them; -1 if absent. */
static int
kt_peek(struct vmspace *vm, vaddr_t va, void *buf, size_t len)
{
	uint8_t *d = buf;
	size_t n;
	paddr_t pa;

	while (len > 0) {
		n = MIN(len, P - (va & PAGE_MASK));
		if ((pa = kt_pa(vm, va, NULL)) == 0)
			return -1;
		memcpy(d, PHYS_TO_DMAP(pa), n);
		d += n;
		va += n;
		len -= n;
	}
	return 0;
}

/* Whether the bytes at va in vm are the string s (NUL included). */
static bool
kt_is(struct vmspace *vm, vaddr_t va, const char *s)
{
	char buf[64];
	size_t n = strlen(s) + 1;

	return n <= sizeof(buf) && kt_peek(vm, va, buf, n) == 0 &&
	    memcmp(buf, s, n) == 0;
}

static int
kt_nentries(struct vmspace *vm)
{
	return vm->vm_nentries;
}

/* Map len bytes at exactly va. */
static int
kt_map(struct vmspace *vm, vaddr_t va, size_t len, int prot, int flags)
{
	vaddr_t a = va;

	return vm_map_anon(vm, &a, len, prot, flags | VM_MAP_FIXED_NOREPLACE);
}

/* Placement, hints, FIXED and the argument checks of vm_map_anon. */
KTEST(vm_map_anon)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t a = 0, b = 0, c;
	/* Static: 16 KiB of buffers would overflow a 16 KiB kernel stack. */
	static uint8_t pat[8000], back[8000];
	size_t i;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(vm_map_anon(vm, &a, 3 * P + 1, RW, VM_MAP_PRIVATE) == 0);
	/* Top-down from VM_MMAP_BASE: the highest free range. */
	KT_ASSERT(a == VM_MMAP_BASE - 4 * P);
	KT_ASSERT(vm_resident_pages(vm) == 0);
	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 7 + 3);
	KT_ASSERT(vm_copyout(vm, a + 100, pat, sizeof(pat)) == 0);
	KT_ASSERT(vm_resident_pages(vm) == 2);
	KT_ASSERT(kt_peek(vm, a + 100, back, sizeof(back)) == 0);
	KT_ASSERT(memcmp(pat, back, sizeof(pat)) == 0);
	KT_ASSERT(kt_pa(vm, a + 3 * P, NULL) == 0);
	KT_ASSERT(vm_zero(vm, a + 200, 10) == 0);
	KT_ASSERT(kt_peek(vm, a + 195, back, 20) == 0);
	KT_ASSERT(back[4] == pat[99] && back[5] == 0 && back[14] == 0 &&
	    back[15] == pat[110]);
	/* Past the end of the mapping. */
	KT_ASSERT(vm_copyout(vm, a + 4 * P - 10, pat, 20) == -EFAULT);
	KT_ASSERT(vm_copyout(vm, VM_USER_MAX - 4, pat, 8) == -EFAULT);

	/* The next one goes right below; alike neighbours merge. */
	KT_ASSERT(vm_map_anon(vm, &b, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(b == a - P && kt_nentries(vm) == 1);
	/* A free hint is honoured, a taken one is not. */
	c = KT_BASE + 123;
	KT_ASSERT(vm_map_anon(vm, &c, P, VM_PROT_READ, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(c == KT_BASE + P);
	b = c;
	KT_ASSERT(vm_map_anon(vm, &b, P, VM_PROT_READ, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(b != c && b >= VM_USER_MIN && b < VM_MMAP_BASE);
	/* FIXED replaces: the old page is gone. */
	KT_ASSERT(vm_copyout(vm, c, "old", 4) == 0);
	KT_ASSERT(kt_is(vm, c, "old"));
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, VM_MAP_PRIVATE |
	    VM_MAP_FIXED) == 0 && c == KT_BASE + P);
	KT_ASSERT(kt_pa(vm, c, NULL) == 0);
	KT_ASSERT(vm_fault(vm, c, VM_PROT_READ) == 0);
	KT_ASSERT(kt_peek(vm, c, back, 4) == 0 && back[0] == 0);
	KT_ASSERT(kt_map(vm, c, P, RW, VM_MAP_PRIVATE) == -EEXIST);
	KT_ASSERT(kt_map(vm, c + 2 * P, P, RW, VM_MAP_PRIVATE) == 0);

	/* Argument checks, as Linux's mmap. */
	c = 0;
	KT_ASSERT(vm_map_anon(vm, &c, 0, RW, VM_MAP_PRIVATE) == -EINVAL);
	KT_ASSERT(vm_map_anon(vm, &c, P, 8, VM_MAP_PRIVATE) == -EINVAL);
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, VM_MAP_PRIVATE |
	    VM_MAP_SHARED) == -EINVAL);
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, 0) == -EINVAL);
	KT_ASSERT(vm_map_anon(vm, &c, ~0UL, RW, VM_MAP_PRIVATE) == -ENOMEM);
	c = KT_BASE + 1;
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, VM_MAP_PRIVATE |
	    VM_MAP_FIXED) == -EINVAL);
	c = 0x1000;
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, VM_MAP_PRIVATE |
	    VM_MAP_FIXED) == -EPERM);
	c = VM_USER_MAX - P;
	KT_ASSERT(vm_map_anon(vm, &c, 2 * P, RW, VM_MAP_PRIVATE |
	    VM_MAP_FIXED) == -ENOMEM);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* Demand zero, protections, PROT_NONE, and addresses with no mapping. */
KTEST(vm_map_fault)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t a = KT_BASE;
	int prot;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, a, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, a + P, P, VM_PROT_READ, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, a + 2 * P, P, VM_PROT_NONE, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, a + 3 * P, P, VM_PROT_READ | VM_PROT_EXEC,
	    VM_MAP_PRIVATE) == 0);

	KT_ASSERT(vm_fault(vm, a + 10, VM_PROT_WRITE) == 0);
	KT_ASSERT(kt_pa(vm, a, &prot) != 0 && (prot & VM_PROT_WRITE));
	KT_ASSERT(kt_is(vm, a, ""));
	KT_ASSERT(vm_fault(vm, a + P, VM_PROT_WRITE) == -EFAULT);
	KT_ASSERT(vm_fault(vm, a + P, VM_PROT_EXEC) == -EFAULT);
	KT_ASSERT(vm_fault(vm, a + P, VM_PROT_READ) == 0);
	KT_ASSERT(kt_pa(vm, a + P, &prot) != 0 && !(prot & VM_PROT_WRITE));
	KT_ASSERT(vm_fault(vm, a + 2 * P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, a + 3 * P, VM_PROT_EXEC) == 0);
	KT_ASSERT(kt_pa(vm, a + 3 * P, &prot) != 0 && (prot & VM_PROT_EXEC));
	/* The read-write page is not executable when the CPU has NX. */
	KT_ASSERT(kt_pa(vm, a, &prot) != 0);
	KT_ASSERT(!cpu_features.cf_nx || !(prot & VM_PROT_EXEC));
	KT_ASSERT(vm_fault(vm, a + 4 * P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, 0, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, VM_USER_MAX, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, KERNBASE, VM_PROT_READ) == -EFAULT);

	/* PROT_NONE keeps the page; taking it back finds the data. */
	KT_ASSERT(vm_copyout(vm, a, "kept", 5) == 0);
	KT_ASSERT(vm_protect(vm, a, P, VM_PROT_NONE) == 0);
	KT_ASSERT(kt_pa(vm, a, &prot) != 0 && prot == VM_PROT_NONE);
	KT_ASSERT(vm_fault(vm, a, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_resident_pages(vm) == 3);
	KT_ASSERT(vm_protect(vm, a, P, VM_PROT_READ) == 0);
	KT_ASSERT(vm_fault(vm, a, VM_PROT_READ) == 0);
	KT_ASSERT(kt_pa(vm, a, &prot) != 0 && prot != VM_PROT_NONE);
	KT_ASSERT(kt_is(vm, a, "kept"));
	KT_ASSERT(vm_fault(vm, a, VM_PROT_WRITE) == -EFAULT);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* fork: private pages copy-on-write, shared pages shared, refcounts. */
KTEST(vm_map_cow)
{
	struct kt_mem m;
	struct vmspace *vm, *child;
	vaddr_t a = KT_BASE, s = KT_BASE + 16 * P;
	paddr_t ppa, cpa, spa;
	int prot;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, a, 2 * P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, s, P, RW, VM_MAP_SHARED) == 0);
	KT_ASSERT(vm_copyout(vm, a, "parent", 7) == 0);
	KT_ASSERT(vm_copyout(vm, s, "shared", 7) == 0);
	ppa = kt_pa(vm, a, NULL);
	spa = kt_pa(vm, s, NULL);
	KT_ASSERT(ppa != 0 && vm_page_refs(ppa) == 1);
	/* The object's reference and the mapping's. */
	KT_ASSERT(spa != 0 && vm_page_refs(spa) == 2);

	KT_ASSERT(vmspace_fork(vm, &child) == 0);
	KT_ASSERT(kt_nentries(child) == 2);
	/* The same page, read-only in both, two references. */
	KT_ASSERT(kt_pa(child, a, &prot) == ppa && !(prot & VM_PROT_WRITE));
	KT_ASSERT(kt_pa(vm, a, &prot) == ppa && !(prot & VM_PROT_WRITE));
	KT_ASSERT(vm_page_refs(ppa) == 2);
	KT_ASSERT(kt_is(child, a, "parent"));

	/* The child writes: it gets a copy; the parent keeps the page. */
	KT_ASSERT(vm_fault(child, a, VM_PROT_WRITE) == 0);
	cpa = kt_pa(child, a, &prot);
	KT_ASSERT(cpa != 0 && cpa != ppa && (prot & VM_PROT_WRITE));
	KT_ASSERT(vm_page_refs(ppa) == 1 && vm_page_refs(cpa) == 1);
	KT_ASSERT(kt_is(child, a, "parent"));
	KT_ASSERT(vm_copyout(child, a, "child", 6) == 0);
	KT_ASSERT(kt_is(child, a, "child") && kt_is(vm, a, "parent"));
	/* The parent writes: alone again, so no copy, just write access. */
	KT_ASSERT(vm_fault(vm, a, VM_PROT_WRITE) == 0);
	KT_ASSERT(kt_pa(vm, a, &prot) == ppa && (prot & VM_PROT_WRITE));

	/* Shared: one page for both, whoever touches it first. */
	KT_ASSERT(vm_copyout(child, s, "from child", 11) == 0);
	KT_ASSERT(kt_pa(child, s, NULL) == spa && vm_page_refs(spa) == 3);
	KT_ASSERT(kt_is(vm, s, "from child"));

	/* A page nobody touched before fork is demand-zero in each. */
	KT_ASSERT(vm_fault(child, a + P, VM_PROT_READ) == 0);
	KT_ASSERT(kt_pa(vm, a + P, NULL) == 0);

	/* A second reference keeps the child alive. */
	vmspace_hold(child);
	vmspace_release(child);
	KT_ASSERT(kt_is(child, a, "child"));
	vmspace_release(child);
	KT_ASSERT(vm_page_refs(spa) == 2);
	KT_ASSERT(kt_is(vm, a, "parent") && kt_is(vm, s, "from child"));
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* munmap and mprotect split entries; mprotect merges them back. */
KTEST(vm_map_split)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t a = KT_BASE;
	uint8_t b;
	int i;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, a, 8 * P, RW, VM_MAP_PRIVATE) == 0);
	for (i = 0; i < 8; i++) {
		b = (uint8_t)(0xa0 + i);
		KT_ASSERT(vm_copyout(vm, a + i * P + 7, &b, 1) == 0);
	}
	KT_ASSERT(kt_nentries(vm) == 1 && vm_resident_pages(vm) == 8);

	KT_ASSERT(vm_unmap(vm, a + 2 * P, 2 * P) == 0);
	KT_ASSERT(kt_nentries(vm) == 2 && vm_resident_pages(vm) == 6);
	KT_ASSERT(vm_fault(vm, a + 2 * P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, a + 3 * P + 5, VM_PROT_READ) == -EFAULT);
	for (i = 0; i < 8; i++) {
		if (i == 2 || i == 3)
			continue;
		KT_ASSERT(kt_peek(vm, a + i * P + 7, &b, 1) == 0 &&
		    b == 0xa0 + i);
	}

	KT_ASSERT(vm_protect(vm, a + 5 * P, P, VM_PROT_READ) == 0);
	KT_ASSERT(kt_nentries(vm) == 4);
	KT_ASSERT(vm_fault(vm, a + 5 * P, VM_PROT_WRITE) == -EFAULT);
	KT_ASSERT(vm_fault(vm, a + 4 * P, VM_PROT_WRITE) == 0);
	KT_ASSERT(vm_fault(vm, a + 6 * P, VM_PROT_WRITE) == 0);
	KT_ASSERT(kt_peek(vm, a + 5 * P + 7, &b, 1) == 0 && b == 0xa5);
	KT_ASSERT(vm_protect(vm, a + 5 * P, P, RW) == 0);
	KT_ASSERT(kt_nentries(vm) == 2);
	KT_ASSERT(vm_fault(vm, a + 5 * P, VM_PROT_WRITE) == 0);

	/* A hole in the range: -ENOMEM, and nothing changes. */
	KT_ASSERT(vm_protect(vm, a + P, 3 * P, VM_PROT_READ) == -ENOMEM);
	KT_ASSERT(kt_nentries(vm) == 2);
	KT_ASSERT(vm_fault(vm, a + P, VM_PROT_WRITE) == 0);
	KT_ASSERT(vm_protect(vm, a + 1, P, VM_PROT_READ) == -EINVAL);
	KT_ASSERT(vm_protect(vm, a, P, 0x10) == -EINVAL);
	KT_ASSERT(vm_protect(vm, a + 2 * P, 0, VM_PROT_READ) == 0);
	KT_ASSERT(vm_unmap(vm, a + 1, P) == -EINVAL);
	KT_ASSERT(vm_unmap(vm, a, 0) == -EINVAL);
	KT_ASSERT(vm_unmap(vm, VM_USER_MAX - P, 2 * P) == -EINVAL);
	KT_ASSERT(vm_unmap(vm, a + 100 * P, P) == 0);

	/* MADV_DONTNEED: the pages go, the mapping stays, zeros come back. */
	KT_ASSERT(vm_check_mapped(vm, a, 2 * P) == 0);
	KT_ASSERT(vm_check_mapped(vm, a, 3 * P) == -ENOMEM);
	KT_ASSERT(vm_check_mapped(vm, a + 1, P) == -EINVAL);
	KT_ASSERT(vm_discard(vm, a, P) == 0);
	KT_ASSERT(vm_resident_pages(vm) == 5 && kt_pa(vm, a, NULL) == 0);
	KT_ASSERT(vm_fault(vm, a + 7, VM_PROT_READ) == 0);
	KT_ASSERT(kt_peek(vm, a + 7, &b, 1) == 0 && b == 0);
	KT_ASSERT(vm_discard(vm, a + P, 4 * P) == -ENOMEM);
	KT_ASSERT(kt_pa(vm, a + P, NULL) == 0 && kt_pa(vm, a + 4 * P, NULL) ==
	    0 && kt_pa(vm, a + 5 * P, NULL) != 0);

	/* Unmapping across the hole takes both pieces. */
	KT_ASSERT(vm_unmap(vm, a, 8 * P) == 0);
	KT_ASSERT(kt_nentries(vm) == 0 && vm_resident_pages(vm) == 0);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* mremap: in place, moving, FIXED, shrinking, shared and DONTUNMAP. */
KTEST(vm_map_remap)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t a = KT_BASE, r, y, z = KT_BASE + 64 * P, s = 0, t;
	uint8_t b;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, a, 2 * P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(vm_copyout(vm, a, "zero", 5) == 0);
	KT_ASSERT(vm_copyout(vm, a + P, "one", 4) == 0);

	KT_ASSERT(vm_remap(vm, a, 2 * P, 4 * P, 0, 0, &r) == 0 && r == a);
	KT_ASSERT(kt_nentries(vm) == 1 && kt_is(vm, a + P, "one"));
	KT_ASSERT(vm_fault(vm, a + 3 * P, VM_PROT_WRITE) == 0);

	/* Something in the way: ENOMEM unless it may move. */
	KT_ASSERT(kt_map(vm, a + 5 * P, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(vm_remap(vm, a, 4 * P, 8 * P, 0, 0, &r) == -ENOMEM);
	KT_ASSERT(vm_remap(vm, a, 4 * P, 8 * P, MREMAP_MAYMOVE, 0, &y) == 0);
	KT_ASSERT(y != a && kt_is(vm, y, "zero") && kt_is(vm, y + P, "one"));
	KT_ASSERT(vm_fault(vm, a, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, y + 7 * P, VM_PROT_READ) == 0);
	KT_ASSERT(vm_resident_pages(vm) == 4);

	/* Shrinking unmaps the tail. */
	KT_ASSERT(vm_remap(vm, y, 8 * P, P, 0, 0, &r) == 0 && r == y);
	KT_ASSERT(vm_fault(vm, y + P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_resident_pages(vm) == 1);

	/* FIXED: to z, replacing what is there. */
	KT_ASSERT(kt_map(vm, z, P, VM_PROT_READ, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(vm_remap(vm, y, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, z,
	    &r) == 0 && r == z);
	KT_ASSERT(kt_is(vm, z, "zero"));
	KT_ASSERT(vm_fault(vm, z, VM_PROT_WRITE) == 0);
	KT_ASSERT(vm_fault(vm, y, VM_PROT_READ) == -EFAULT);

	/* Argument checks. */
	KT_ASSERT(vm_remap(vm, z, P, P, MREMAP_FIXED, a, &r) == -EINVAL);
	KT_ASSERT(vm_remap(vm, z, P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
	    z - P, &r) == -EINVAL);
	KT_ASSERT(vm_remap(vm, z + 1, P, P, 0, 0, &r) == -EINVAL);
	KT_ASSERT(vm_remap(vm, z, P, 0, 0, 0, &r) == -EINVAL);
	KT_ASSERT(vm_remap(vm, z, P, P, 8, 0, &r) == -EINVAL);
	KT_ASSERT(vm_remap(vm, a, P, 2 * P, MREMAP_MAYMOVE, 0, &r) ==
	    -EFAULT);
	KT_ASSERT(vm_remap(vm, z, 2 * P, 3 * P, MREMAP_MAYMOVE, 0, &r) ==
	    -EFAULT);
	KT_ASSERT(vm_remap(vm, z, 0, P, MREMAP_MAYMOVE, 0, &r) == -EINVAL);

	/* Shared memory with old size 0: a second mapping of it. */
	KT_ASSERT(vm_map_anon(vm, &s, P, RW, VM_MAP_SHARED) == 0);
	KT_ASSERT(vm_remap(vm, s, 0, P, MREMAP_MAYMOVE, 0, &t) == 0);
	KT_ASSERT(t != s);
	KT_ASSERT(vm_copyout(vm, t, "twice", 6) == 0);
	KT_ASSERT(kt_pa(vm, s, NULL) == 0);
	KT_ASSERT(vm_fault(vm, s, VM_PROT_READ) == 0);
	KT_ASSERT(kt_is(vm, s, "twice"));
	KT_ASSERT(kt_pa(vm, s, NULL) == kt_pa(vm, t, NULL));

	/* DONTUNMAP: the pages move, the old range stays, empty. */
	KT_ASSERT(vm_remap(vm, z, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0,
	    &r) == 0 && r != z);
	KT_ASSERT(kt_is(vm, r, "zero") && kt_pa(vm, z, NULL) == 0);
	KT_ASSERT(vm_fault(vm, z, VM_PROT_READ) == 0);
	KT_ASSERT(kt_peek(vm, z, &b, 1) == 0 && b == 0);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* brk: grows and shrinks the heap, never below its start. */
KTEST(vm_map_brk)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t start = 0x601000;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	vm_brk_init(vm, 0x600123);
	KT_ASSERT(vm_brk(vm, 0) == start);
	KT_ASSERT(vm_fault(vm, start, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_brk(vm, start + 10000) == start + 10000);
	KT_ASSERT(vm_fault(vm, start + 9000, VM_PROT_WRITE) == 0);
	KT_ASSERT(vm_fault(vm, start + 3 * P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_copyout(vm, start, "heap", 5) == 0);
	KT_ASSERT(vm_brk(vm, start + 20 * P) == start + 20 * P);
	KT_ASSERT(kt_nentries(vm) == 1);
	KT_ASSERT(vm_brk(vm, start + 100) == start + 100);
	KT_ASSERT(vm_fault(vm, start + P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(kt_is(vm, start, "heap"));
	KT_ASSERT(vm_resident_pages(vm) == 1);
	/* Below the start, or over another mapping: the break stays. */
	KT_ASSERT(vm_brk(vm, start - P) == start + 100);
	KT_ASSERT(kt_map(vm, start + 16 * P, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(vm_brk(vm, start + 20 * P) == start + 100);
	KT_ASSERT(vm_brk(vm, start + 15 * P) == start + 15 * P);
	KT_ASSERT(vm_brk(vm, start) == start);
	KT_ASSERT(vm_fault(vm, start, VM_PROT_READ) == -EFAULT);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/* A stack mapping grows down on faults, within VM_STACK_MAX. */
KTEST(vm_map_stack)
{
	struct kt_mem m;
	struct vmspace *vm;
	vaddr_t top = VM_STACK_TOP, x = top - (4UL << 20), c;
	struct vm_map_entry *e;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, top - 4 * P, 4 * P, RW, VM_MAP_PRIVATE |
	    VM_MAP_STACK) == 0);
	KT_ASSERT(vm_fault(vm, top - 4 * P - 100, VM_PROT_WRITE) == 0);
	KT_ASSERT(kt_nentries(vm) == 1);
	e = vm->vm_head.e_next;
	KT_ASSERT(e->e_start == top - 5 * P && e->e_end == top);
	KT_ASSERT(vm_fault(vm, top - VM_STACK_MAX, VM_PROT_WRITE) == 0);
	KT_ASSERT(vm_fault(vm, top - VM_STACK_MAX - 1, VM_PROT_WRITE) ==
	    -EFAULT);
	KT_ASSERT(vm_resident_pages(vm) == 2);

	/* The guard gap: no growth to within 1 MiB of the mapping below. */
	vmspace_release(vm);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, top - P, P, RW, VM_MAP_PRIVATE |
	    VM_MAP_STACK) == 0);
	KT_ASSERT(kt_map(vm, x, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(vm_fault(vm, x + 2 * P, VM_PROT_READ) == -EFAULT);
	KT_ASSERT(vm_fault(vm, x + P + VM_STACK_GUARD, VM_PROT_READ) == 0);
	/* A new mapping keeps the gap below the stack free too. */
	c = x + P + VM_STACK_GUARD - P;
	KT_ASSERT(vm_map_anon(vm, &c, P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(c != x + P + VM_STACK_GUARD - P);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/*
 * copyin, copyout and copyinstr on a loaded address space: demand paging
 * inside the copy, -EFAULT for what is not mapped or not writable, and
 * the range checks.  Needs curthread for td_onfault: before the
 * scheduler has set up %gs, the test lends the CPU a thread of its own.
 * Interrupts stay off so that no switch reloads CR3 meanwhile.
 */
static struct cpu kt_cpu;
static struct thread kt_thread;

static int
kt_copy_cases(struct vmspace *vm, vaddr_t a)
{
	char k[64];
	size_t done;
	struct vmspace *child;

	KT_ASSERT(copyout("hello", (void *)(a + P - 2), 6) == 0);
	KT_ASSERT(kt_is(vm, a + P - 2, "hello"));
	memset(k, 'x', sizeof(k));
	KT_ASSERT(copyin((void *)(a + P - 2), k, 6) == 0);
	KT_ASSERT(memcmp(k, "hello", 6) == 0);
	KT_ASSERT(copyinstr((void *)(a + P - 2), k, sizeof(k), &done) == 0);
	KT_ASSERT(done == 6 && strcmp(k, "hello") == 0);
	KT_ASSERT(copyinstr((void *)(a + P - 2), k, 3, &done) ==
	    -ENAMETOOLONG && done == 3);
	KT_ASSERT(copyin((void *)a, k, 0) == 0);
	KT_ASSERT(curthread->td_onfault == NULL);

	/* Read-only: reading faults a zero page in, writing fails. */
	KT_ASSERT(copyout(k, (void *)(a + 2 * P), 1) == -EFAULT);
	KT_ASSERT(copyin((void *)(a + 2 * P), k, 4) == 0 && k[0] == 0);
	KT_ASSERT(copyout(k, (void *)(a + 2 * P), 1) == -EFAULT);
	KT_ASSERT(curthread->td_onfault == NULL);
	/* Not mapped, partly mapped, kernel, past the end, wrapping. */
	KT_ASSERT(copyin((void *)(a + 3 * P), k, 1) == -EFAULT);
	KT_ASSERT(copyin((void *)(a + 3 * P - 1), k, 2) == -EFAULT);
	KT_ASSERT(copyinstr((void *)(a + 3 * P), k, 8, NULL) == -EFAULT);
	KT_ASSERT(copyin((void *)KERNBASE, k, 8) == -EFAULT);
	KT_ASSERT(copyout(k, (void *)DMAP_BASE, 8) == -EFAULT);
	KT_ASSERT(copyin((void *)(VM_USER_MAX - 4), k, 8) == -EFAULT);
	KT_ASSERT(copyin((void *)-8UL, k, 16) == -EFAULT);
	/* A string running into the end of user space. */
	KT_ASSERT(vm_copyout(vm, VM_USER_MAX - 5, "aaaaa", 5) == 0);
	KT_ASSERT(copyinstr((void *)(VM_USER_MAX - 5), k, sizeof(k), NULL) ==
	    -EFAULT);
	KT_ASSERT(curthread->td_onfault == NULL);
	KT_ASSERT(!pmap_smap_enabled || (read_rflags() & PSL_AC) == 0);

	/* copyout to a copy-on-write page copies it; the child keeps its. */
	KT_ASSERT(vmspace_fork(vm, &child) == 0);
	KT_ASSERT(copyout("PARENT", (void *)(a + P - 2), 7) == 0);
	KT_ASSERT(kt_is(vm, a + P - 2, "PARENT"));
	KT_ASSERT(kt_is(child, a + P - 2, "hello"));
	vmspace_release(child);
	return 0;
}

KTEST(vm_copy_user)
{
	struct kt_mem m;
	struct vmspace *vm, *old;
	vaddr_t a = KT_BASE;
	uint64_t rflags;
	bool borrowed;
	int error;

	kt_mem_save(&m);
	KT_ASSERT(!cpu_features.cf_smep || (rcr4() & CR4_SMEP));
	KT_ASSERT(cpu_features.cf_smap == pmap_smap_enabled);
	KT_ASSERT(!cpu_features.cf_smap || (rcr4() & CR4_SMAP));
	KT_ASSERT(rcr0() & CR0_WP);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, a, 2 * P, RW, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, a + 2 * P, P, VM_PROT_READ, VM_MAP_PRIVATE) == 0);
	KT_ASSERT(kt_map(vm, VM_USER_MAX - P, P, RW, VM_MAP_PRIVATE) == 0);

	rflags = read_rflags();
	intr_disable();
	borrowed = rdmsr(MSR_GSBASE) == 0;
	if (borrowed) {
		kt_cpu.ci_self = &kt_cpu;
		kt_cpu.ci_curthread = &kt_thread;
		wrmsr(MSR_GSBASE, (uint64_t)&kt_cpu);
	}
	old = vmspace_active();
	vmspace_activate(vm);
	error = kt_copy_cases(vm, a);
	vmspace_activate(old);
	if (borrowed)
		wrmsr(MSR_GSBASE, 0);
	write_rflags(rflags);
	if (error != 0)
		return error;
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}

/*
 * Truncating an object takes its pages past the new end out of every
 * mapping, in every address space (a file shrunk under mmap): a later
 * access is -ENXIO (SIGBUS); growing it back gives zeroed pages.
 */
KTEST(vm_object_truncate)
{
	struct vm_map_entry *e;
	struct vm_object *obj;
	struct vmspace *vm, *child;
	struct kt_mem m;
	vaddr_t s = KT_BASE;
	int i;

	kt_mem_save(&m);
	KT_ASSERT(vmspace_create(&vm) == 0);
	KT_ASSERT(kt_map(vm, s, 4 * P, RW, VM_MAP_SHARED) == 0);
	for (i = 0; i < 4; i++)
		KT_ASSERT(vm_copyout(vm, s + i * P, "page", 5) == 0);
	KT_ASSERT(vmspace_fork(vm, &child) == 0);
	KT_ASSERT(vm_fault(child, s + 3 * P, VM_PROT_READ) == 0);
	KT_ASSERT(kt_is(child, s + 3 * P, "page"));
	spin_lock(&vm->vm_lock);
	e = vm_map_lookup(vm, s, NULL);
	obj = e != NULL ? e->e_obj : NULL;
	spin_unlock(&vm->vm_lock);
	KT_ASSERT(obj != NULL && obj->obj_maps != NULL &&
	    obj->obj_maps->e_onext != NULL);

	KT_ASSERT(vm_object_resize(obj, 1) == 0);
	KT_ASSERT(kt_pa(vm, s + P, NULL) == 0 && kt_pa(vm, s + 3 * P,
	    NULL) == 0 && kt_pa(child, s + 3 * P, NULL) == 0);
	KT_ASSERT(vm_fault(vm, s + 2 * P, VM_PROT_READ) == -ENXIO);
	KT_ASSERT(vm_fault(child, s + 3 * P, VM_PROT_WRITE) == -ENXIO);
	KT_ASSERT(kt_is(vm, s, "page"));

	KT_ASSERT(vm_object_resize(obj, 4) == 0);
	KT_ASSERT(vm_fault(child, s + 3 * P, VM_PROT_READ) == 0);
	KT_ASSERT(kt_is(child, s + 3 * P, ""));
	vmspace_release(child);
	KT_ASSERT(vm_unmap(vm, s, 4 * P) == 0);
	vmspace_release(vm);
	KT_ASSERT(kt_mem_same(&m));
	return 0;
}
