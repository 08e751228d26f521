/*
 * Host tests of address spaces: the real sys/vm/vm_map.c, vm_fault.c,
 * vm_object.c and vm_page.c over the real page allocator and heap (an
 * arena stands for physical memory, as in test_kmalloc.c), with a page
 * table of our own in place of arch/x86_64/pmap.c.
 *
 * The main test is a random walk checked against a model: thousands of
 * mmap, munmap, mprotect, mremap, madvise, fork, write and fault calls on a
 * window of pages in two address spaces, each one's result compared with
 * what the model predicts, and after each step invariants that must
 * always hold: entries sorted, apart and never mergeable with their
 * neighbours; no page table grants more than its mapping allows; no
 * private page writable while it is shared copy-on-write; every page's
 * contents what the model says.  The fake page table can be told to fail,
 * to check that a failure (-ENOMEM) leaves things as documented.  At the
 * end, every page is back in the allocator.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kshim.h"
#include "unit.h"

#include <sys/abi/mman.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include <machine/pmap.h>

#include <vm/vm_mapvar.h>

/*
 * The VFS's vnode references: file mappings are not exercised here (the
 * conformance tests and ktests cover them), so any call is a failure.
 */
void
vref(struct vnode *vp)
{
	(void)vp;
	printf("not ok - vref called by an anonymous-memory test\n");
	exit(1);
}

void
vrele(struct vnode *vp)
{
	(void)vp;
	printf("not ok - vrele called by an anonymous-memory test\n");
	exit(1);
}

void
vfs_writer_dup(struct mount *mp)
{
	(void)mp;
	printf("not ok - vfs_writer_dup called by an anonymous-memory test\n");
	exit(1);
}

void
vfs_writer_put(struct mount *mp)
{
	(void)mp;
	printf("not ok - vfs_writer_put called by an anonymous-memory test\n");
	exit(1);
}

void
vn_mapwriter_get(struct vnode *vp)
{
	(void)vp;
	printf("not ok - vn_mapwriter_get called by an anonymous-memory "
	    "test\n");
	exit(1);
}

void
vn_mapwriter_put(struct vnode *vp)
{
	(void)vp;
	printf("not ok - vn_mapwriter_put called by an anonymous-memory "
	    "test\n");
	exit(1);
}

/*
 * vm_page_alloc asks the buffer cache for its clean buffers when memory
 * runs out; this test has no buffer cache, so there is nothing to drop.
 */
uint64_t
buf_drop_clean(void)
{
	return 0;
}

#define ARENA_SIZE	(64UL << 20)
#define P		PAGE_SIZE
#define WIN		0x20000000UL	/* the window's first page */
#define NWIN		96		/* pages in the window */
#define NSTEPS		6000

/*
 * The fake page table: a hash of (va -> pa, prot) per pmap, following
 * pmap.h's contract (mappings own a page reference).  pmap_enter fails
 * with -ENOMEM when fail_enter counts down to zero.
 */
#define FP_BUCKETS	1024

struct fpte {
	vaddr_t		 f_va;
	paddr_t		 f_pa;
	int		 f_prot;
	struct fpte	*f_next;
};

struct fpmap {
	struct fpte	*fp_b[FP_BUCKETS];
};

static int fail_enter;

#define FP(pm)		((struct fpmap *)(uintptr_t)(pm)->pm_pml4)
#define FP_HASH(va)	(((va) >> PAGE_SHIFT) % FP_BUCKETS)

static struct fpte **
fp_find(struct pmap *pm, vaddr_t va)
{
	struct fpte **pp = &FP(pm)->fp_b[FP_HASH(va)];

	while (*pp != NULL && (*pp)->f_va != va)
		pp = &(*pp)->f_next;
	return pp;
}

int
pmap_create(struct pmap *pm)
{
	struct fpmap *fp = calloc(1, sizeof(*fp));

	if (fp == NULL)
		return -ENOMEM;
	pm->pm_pml4 = (paddr_t)(uintptr_t)fp;
	pm->pm_resident = pm->pm_ptpages = 0;
	return 0;
}

void
pmap_destroy(struct pmap *pm)
{
	pmap_remove(pm, 0, VM_USER_MAX);
	free(FP(pm));
	pm->pm_pml4 = 0;
}

int
pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, int prot)
{
	struct fpte **pp, *f;

	if (fail_enter > 0 && --fail_enter == 0)
		return -ENOMEM;
	if ((va & PAGE_MASK) || (pa & PAGE_MASK) || va >= VM_USER_MAX)
		panic("pmap_enter: bad address %#lx -> %#lx", va, pa);
	(void)vm_page_refs(pa);		/* panics unless a user page */
	pp = fp_find(pm, va);
	if ((f = *pp) != NULL) {
		paddr_t old = f->f_pa;

		f->f_pa = pa;
		f->f_prot = prot;
		vm_page_release(old);
		return 0;
	}
	f = malloc(sizeof(*f));
	f->f_va = va;
	f->f_pa = pa;
	f->f_prot = prot;
	f->f_next = NULL;
	*pp = f;
	pm->pm_resident++;
	return 0;
}

void
pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	struct fpte **pp, *f;
	int i;

	for (i = 0; i < FP_BUCKETS; i++) {
		for (pp = &FP(pm)->fp_b[i]; (f = *pp) != NULL;) {
			if (f->f_va >= sva && f->f_va < eva) {
				*pp = f->f_next;
				vm_page_release(f->f_pa);
				free(f);
				pm->pm_resident--;
			} else {
				pp = &f->f_next;
			}
		}
	}
}

void
pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, int prot)
{
	struct fpte *f;
	int i;

	for (i = 0; i < FP_BUCKETS; i++)
		for (f = FP(pm)->fp_b[i]; f != NULL; f = f->f_next)
			if (f->f_va >= sva && f->f_va < eva)
				f->f_prot = prot;
}

/* What the hardware would grant: present means readable. */
static int
fp_hwprot(int prot)
{
	return prot == VM_PROT_NONE ? VM_PROT_NONE : prot | VM_PROT_READ;
}

bool
pmap_extract(struct pmap *pm, vaddr_t va, paddr_t *pap, int *protp)
{
	struct fpte *f = *fp_find(pm, trunc_page(va));

	if (f == NULL)
		return false;
	if (pap != NULL)
		*pap = f->f_pa | (va & PAGE_MASK);
	if (protp != NULL)
		*protp = fp_hwprot(f->f_prot);
	return true;
}

static int
fp_cmp(const void *a, const void *b)
{
	const struct fpte *x = *(struct fpte *const *)a;
	const struct fpte *y = *(struct fpte *const *)b;

	return x->f_va < y->f_va ? -1 : x->f_va > y->f_va;
}

int
pmap_foreach(struct pmap *pm, vaddr_t sva, vaddr_t eva,
    int (*fn)(void *arg, vaddr_t va, paddr_t pa, int prot), void *arg)
{
	struct fpte **v, *f;
	size_t n = 0, i;
	int error = 0;

	v = malloc((pm->pm_resident + 1) * sizeof(*v));
	for (i = 0; i < FP_BUCKETS; i++)
		for (f = FP(pm)->fp_b[i]; f != NULL; f = f->f_next)
			if (f->f_va >= sva && f->f_va < eva)
				v[n++] = f;
	qsort(v, n, sizeof(*v), fp_cmp);
	for (i = 0; i < n && error == 0; i++)
		error = fn(arg, v[i]->f_va, v[i]->f_pa,
		    fp_hwprot(v[i]->f_prot));
	free(v);
	return error;
}

void
pmap_activate(struct pmap *pm)
{
	(void)pm;
}

/*
 * The model.  A page's contents are a tag (0: zeros) in a cell: private
 * pages have cells of their own (fork copies them), shared pages the cell
 * of their object's slot, the same in every address space.
 */
struct cell {
	uint32_t	tag;
};

struct mobj {
	int		 npages;
	struct cell	**cells;
};

struct mpage {
	bool		 mapped;
	bool		 shared;
	int		 prot;
	struct cell	*cell;		/* private */
	struct mobj	*obj;		/* shared */
	int		 idx;
};

struct mspace {
	struct vmspace	*vm;
	struct mpage	 pg[NWIN];
};

static struct mspace sp[2];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t next_tag = 1;
static int nfail;

static uint64_t
rng(void)
{
	return ktest_rand(&rng_state);
}

static struct cell *
cell_new(uint32_t tag)
{
	struct cell *c = malloc(sizeof(*c));

	c->tag = tag;
	return c;
}

/* The cell holding page p's contents; NULL beyond its object's end. */
static struct cell *
mp_cell(struct mpage *p)
{
	if (!p->shared)
		return p->cell;
	if (p->idx >= p->obj->npages)
		return NULL;
	if (p->obj->cells[p->idx] == NULL)
		p->obj->cells[p->idx] = cell_new(0);
	return p->obj->cells[p->idx];
}

/* Whether adjacent pages a, b would be one map entry. */
static bool
mp_joined(const struct mpage *a, const struct mpage *b)
{
	if (!a->mapped || !b->mapped || a->prot != b->prot ||
	    a->shared != b->shared)
		return false;
	return !a->shared || (a->obj == b->obj && b->idx == a->idx + 1);
}

/* Whether pages [s, s + n) of m lie in one map entry. */
static bool
mp_one_entry(struct mspace *m, int s, int n)
{
	int i;

	if (!m->pg[s].mapped)
		return false;
	for (i = s + 1; i < s + n; i++)
		if (!mp_joined(&m->pg[i - 1], &m->pg[i]))
			return false;
	return true;
}

static bool
mp_any_mapped(struct mspace *m, int s, int n)
{
	int i;

	for (i = s; i < s + n; i++)
		if (m->pg[i].mapped)
			return true;
	return false;
}

static vaddr_t
va_of(int i)
{
	return WIN + (vaddr_t)i * P;
}

static bool
fail(const char *fmt, int step, long a, long b)
{
	nfail++;
	if (nfail <= 10) {
		printf("# step %d: ", step);
		printf(fmt, a, b);
		printf("\n");
	}
	return false;
}

/* The invariants of the map itself. */
static bool
check_entries(struct vmspace *vm, int step)
{
	struct vm_map_entry *e, *prev = NULL;
	int n = 0;

	for (e = vm->vm_head.e_next; e != &vm->vm_head; e = e->e_next) {
		n++;
		if (e->e_start >= e->e_end || (e->e_start & PAGE_MASK) ||
		    (e->e_end & PAGE_MASK))
			return fail("bad entry %#lx-%#lx", step, e->e_start,
			    e->e_end);
		if (prev != NULL && prev->e_end > e->e_start)
			return fail("entries overlap at %#lx, %#lx", step,
			    prev->e_end, e->e_start);
		if (prev != NULL && prev->e_end == e->e_start &&
		    prev->e_prot == e->e_prot &&
		    prev->e_flags == e->e_flags && prev->e_obj == e->e_obj &&
		    (e->e_obj == NULL || prev->e_objoff + ((prev->e_end -
		    prev->e_start) >> PAGE_SHIFT) == e->e_objoff))
			return fail("mergeable neighbours at %#lx (%ld)",
			    step, e->e_start, 0);
		if (e->e_prev != (prev != NULL ? prev : &vm->vm_head))
			return fail("broken back link at %#lx (%ld)", step,
			    e->e_start, 0);
		prev = e;
	}
	if (n != vm->vm_nentries)
		return fail("%ld entries, count says %ld", step, n,
		    vm->vm_nentries);
	return true;
}

/* Check page i of m against the model, faulting it in when readable. */
static bool
check_page(struct mspace *m, int i, int step, bool touch)
{
	struct mpage *p = &m->pg[i];
	struct cell *c;
	paddr_t pa;
	int prot, error;
	uint32_t got;

	if (!pmap_extract(&m->vm->vm_pmap, va_of(i), &pa, &prot)) {
		/* Private contents live only in the page table. */
		if (p->mapped && !p->shared && p->cell->tag != 0)
			return fail("page %ld has tag %ld but no page", step,
			    i, p->cell->tag);
		if (!touch)
			return true;
		error = vm_fault(m->vm, va_of(i), VM_PROT_READ);
		c = p->mapped ? mp_cell(p) : NULL;
		/* Past the end of a shared object: SIGBUS's -ENXIO. */
		if (error != ((!p->mapped || p->prot == VM_PROT_NONE) ?
		    -EFAULT : c == NULL ? -ENXIO : 0))
			return fail("page %ld: read fault gives %ld", step, i,
			    error);
		if (error != 0)
			return true;
		if (!pmap_extract(&m->vm->vm_pmap, va_of(i), &pa, &prot))
			return fail("page %ld: no page after a fault (%ld)",
			    step, i, 0);
	}
	if (!p->mapped)
		return fail("page %ld: unmapped but has a page (%ld)", step, i,
		    0);
	if ((prot & ~fp_hwprot(p->prot)) != 0)
		return fail("page %ld: rights %ld beyond the mapping's", step,
		    i, prot);
	if ((prot & VM_PROT_WRITE) && !p->shared && vm_page_refs(pa) != 1)
		return fail("page %ld: writable with %ld references", step, i,
		    vm_page_refs(pa));
	memcpy(&got, VM_PHYS_TO_DMAP(trunc_page(pa)), sizeof(got));
	if ((c = mp_cell(p)) == NULL || got != c->tag)
		return fail("page %ld: contents %ld differ", step, i, got);
	return true;
}

static bool
check_all(int step, bool touch)
{
	int s, i;

	for (s = 0; s < 2; s++) {
		if (sp[s].vm == NULL)
			continue;
		if (!check_entries(sp[s].vm, step))
			return false;
		for (i = 0; i < NWIN; i++)
			if (!check_page(&sp[s], i, step, touch))
				return false;
	}
	return true;
}

/* The random operations; each returns false when the result is wrong. */

static bool
op_map(struct mspace *m, int step)
{
	int s = rng() % NWIN, n = 1 + rng() % 12, prot = rng() % 8, i;
	bool shared = rng() % 3 == 0, noreplace = rng() % 4 == 0;
	int flags = (shared ? VM_MAP_SHARED : VM_MAP_PRIVATE) |
	    (noreplace ? VM_MAP_FIXED_NOREPLACE : VM_MAP_FIXED);
	vaddr_t a = va_of(s);
	struct mobj *o = NULL;
	int error, want;

	if (s + n > NWIN)
		n = NWIN - s;
	want = noreplace && mp_any_mapped(m, s, n) ? -EEXIST : 0;
	error = vm_map_anon(m->vm, &a, (size_t)n * P - (rng() % 100), prot,
	    flags);
	if (error != want)
		return fail("map: %ld, want %ld", step, error, want);
	if (error != 0)
		return true;
	if (shared) {
		o = calloc(1, sizeof(*o));
		o->npages = n;
		o->cells = calloc(n, sizeof(*o->cells));
	}
	for (i = 0; i < n; i++) {
		struct mpage *p = &m->pg[s + i];

		p->mapped = true;
		p->shared = shared;
		p->prot = prot;
		p->cell = shared ? NULL : cell_new(0);
		p->obj = o;
		p->idx = i;
	}
	return true;
}

static bool
op_unmap(struct mspace *m, int step)
{
	int s = rng() % NWIN, n = 1 + rng() % 16, i, error;

	if (s + n > NWIN)
		n = NWIN - s;
	if ((error = vm_unmap(m->vm, va_of(s), (size_t)n * P)) != 0)
		return fail("unmap: %ld (%ld)", step, error, 0);
	for (i = s; i < s + n; i++)
		m->pg[i].mapped = false;
	return true;
}

static bool
op_protect(struct mspace *m, int step)
{
	int s = rng() % NWIN, n = 1 + rng() % 16, prot = rng() % 8, i;
	int error, want = 0;

	if (s + n > NWIN)
		n = NWIN - s;
	for (i = s; i < s + n; i++)
		if (!m->pg[i].mapped)
			want = -ENOMEM;
	error = vm_protect(m->vm, va_of(s), (size_t)n * P, prot);
	if (error != want)
		return fail("protect: %ld, want %ld", step, error, want);
	if (error == 0)
		for (i = s; i < s + n; i++)
			m->pg[i].prot = prot;
	return true;
}

static bool
op_write(struct mspace *m, int step)
{
	int i = rng() % NWIN, error, want;
	struct mpage *p = &m->pg[i];
	uint32_t tag = next_tag++;
	bool inject = rng() % 8 == 0;

	if (!p->mapped || (p->shared && !(p->prot & VM_PROT_WRITE)))
		want = -EFAULT;
	else if (mp_cell(p) == NULL)
		want = -ENXIO;		/* past the end of a shared object */
	else
		want = 0;
	fail_enter = inject ? 1 : 0;
	error = vm_copyout(m->vm, va_of(i), &tag, sizeof(tag));
	if (inject && want == 0 && error == -ENOMEM) {
		/* A page was needed and the page table failed: no change. */
		fail_enter = 0;
		return true;
	}
	fail_enter = 0;
	if (error != want)
		return fail("write page %ld: %ld", step, i, error);
	if (error == 0)
		mp_cell(p)->tag = tag;
	return true;
}

static bool
op_fault(struct mspace *m, int step)
{
	int i = rng() % NWIN, error, want;
	struct mpage *p = &m->pg[i];

	if (!p->mapped || !(p->prot & VM_PROT_WRITE))
		want = -EFAULT;
	else if (mp_cell(p) == NULL)
		want = -ENXIO;		/* past the end of a shared object */
	else
		want = 0;
	if ((error = vm_fault(m->vm, va_of(i), VM_PROT_WRITE)) != want)
		return fail("write fault page %ld: %ld", step, i, error);
	return true;
}

/* madvise(MADV_DONTNEED) and the msync check over a random range. */
static bool
op_discard(struct mspace *m, int step)
{
	int s = rng() % NWIN, n = 1 + rng() % 16, i, error, want = 0;

	if (s + n > NWIN)
		n = NWIN - s;
	for (i = s; i < s + n; i++)
		if (!m->pg[i].mapped)
			want = -ENOMEM;
	if ((error = vm_check_mapped(m->vm, va_of(s), (size_t)n * P)) != want)
		return fail("check_mapped: %ld, want %ld", step, error, want);
	if ((error = vm_discard(m->vm, va_of(s), (size_t)n * P)) != want)
		return fail("discard: %ld, want %ld", step, error, want);
	for (i = s; i < s + n; i++)
		if (m->pg[i].mapped && !m->pg[i].shared)
			m->pg[i].cell = cell_new(0);
	return true;
}

static void
model_release(struct mspace *m)
{
	vmspace_release(m->vm);
	m->vm = NULL;
	memset(m->pg, 0, sizeof(m->pg));
}

static bool
op_fork(int step)
{
	struct mspace *a = &sp[rng() % 2], *b = a == &sp[0] ? &sp[1] : &sp[0];
	bool inject = rng() % 4 == 0;
	struct vmspace *vm;
	int error, i;

	if (a->vm == NULL)
		return true;
	fail_enter = inject ? 1 + rng() % 4 : 0;
	error = vmspace_fork(a->vm, &vm);
	if (fail_enter != 0 || !inject) {
		fail_enter = 0;
		if (error != 0)
			return fail("fork: %ld (%ld)", step, error, 0);
	} else if (error != 0) {
		if (error != -ENOMEM)
			return fail("fork with a failure: %ld (%ld)", step,
			    error, 0);
		return true;
	}
	if (b->vm != NULL)
		model_release(b);
	b->vm = vm;
	for (i = 0; i < NWIN; i++) {
		b->pg[i] = a->pg[i];
		if (a->pg[i].mapped && !a->pg[i].shared)
			b->pg[i].cell = cell_new(a->pg[i].cell->tag);
	}
	return true;
}

/* mremap in place (grow or shrink), or MREMAP_FIXED within the window. */
static bool
op_remap(struct mspace *m, int step)
{
	int s = rng() % NWIN, on = 1 + rng() % 8, nn = 1 + rng() % 8;
	int d = rng() % NWIN, i, error, want;
	bool fixed = rng() % 2, inject = fixed && rng() % 6 == 0;
	struct mpage save[NWIN];
	vaddr_t r;

	if (s + on > NWIN || s + nn > NWIN || d + nn > NWIN)
		return true;
	if (fixed && d < s + on && s < d + nn)
		return true;		/* overlapping: covered by ktests */
	if (!fixed && nn <= on) {
		error = vm_remap(m->vm, va_of(s), (size_t)on * P,
		    (size_t)nn * P, 0, 0, &r);
		if (error != 0 || r != va_of(s))
			return fail("shrink: %ld (%ld)", step, error, 0);
		for (i = s + nn; i < s + on; i++)
			m->pg[i].mapped = false;
		return true;
	}
	if (!mp_one_entry(m, s, on))
		want = -EFAULT;
	else if (fixed)
		want = 0;
	else if ((s + on < NWIN && mp_joined(&m->pg[s + on - 1],
	    &m->pg[s + on])) || mp_any_mapped(m, s + on, nn - on))
		want = -ENOMEM;
	else
		want = 0;
	fail_enter = inject ? 1 + rng() % 3 : 0;
	error = vm_remap(m->vm, va_of(s), (size_t)on * P, (size_t)nn * P,
	    fixed ? MREMAP_MAYMOVE | MREMAP_FIXED : 0, va_of(d), &r);
	if (inject && fail_enter == 0 && want == 0) {
		/* Failed moving the pages: the destination is gone. */
		if (error != -ENOMEM)
			return fail("remap with a failure: %ld (%ld)", step,
			    error, 0);
		for (i = d; i < d + nn; i++)
			m->pg[i].mapped = false;
		for (i = s + nn; i < s + on; i++)
			m->pg[i].mapped = false;
		return true;
	}
	fail_enter = 0;
	if (error != want || (error == 0 && r != va_of(fixed ? d : s)))
		return fail("remap: %ld, want %ld", step, error, want);
	if (error != 0)
		return true;
	if (!fixed) {
		for (i = s + on; i < s + nn; i++) {
			m->pg[i] = m->pg[s + on - 1];
			m->pg[i].idx += i - (s + on - 1);
			if (!m->pg[i].shared)
				m->pg[i].cell = cell_new(0);
		}
		return true;
	}
	memcpy(save, m->pg, sizeof(save));
	for (i = s; i < s + on; i++)
		m->pg[i].mapped = false;
	for (i = 0; i < nn; i++) {
		if (i < on) {
			m->pg[d + i] = save[s + i];
			continue;
		}
		m->pg[d + i] = save[s + on - 1];
		m->pg[d + i].idx += i - (on - 1);
		if (!m->pg[d + i].shared)
			m->pg[d + i].cell = cell_new(0);
	}
	return true;
}

static void
check_random_walk(void)
{
	uint64_t free0 = vm_phys_free_pages();
	int step, ops[8] = { 0 };
	bool ok = true;

	UNIT_CHECK(vmspace_create(&sp[0].vm) == 0, "vmspace_create");
	for (step = 0; step < NSTEPS && ok; step++) {
		struct mspace *m = &sp[rng() % 2];
		int op = rng() % 8;

		if (m->vm == NULL)
			m = &sp[0];
		ops[op]++;
		switch (op) {
		case 0:
		case 1:
			ok = op_map(m, step);
			break;
		case 2:
			ok = op_unmap(m, step);
			break;
		case 3:
			ok = op_protect(m, step);
			break;
		case 4:
			ok = op_write(m, step) && op_write(m, step);
			break;
		case 5:
			ok = rng() % 3 == 0 ? op_discard(m, step) :
			    op_fault(m, step);
			break;
		case 6:
			ok = rng() % 3 == 0 ? op_fork(step) : op_remap(m, step);
			break;
		case 7:
			ok = op_remap(m, step);
			break;
		}
		if (ok && kshim_locks_held() != 0)
			ok = fail("%ld locks still held (%ld)", step,
			    kshim_locks_held(), 0);
		if (ok)
			ok = check_all(step, step % 16 == 0);
	}
	UNIT_CHECK(ok, "random walk: %d steps (map %d, unmap %d, protect %d, "
	    "write %d, fault/discard %d, fork/remap %d, remap %d) agree with "
	    "the model", step, ops[0] + ops[1], ops[2], ops[3], ops[4], ops[5],
	    ops[6], ops[7]);
	if (sp[1].vm != NULL)
		model_release(&sp[1]);
	model_release(&sp[0]);
	UNIT_CHECK(vm_page_user_count() == 0 && vm_phys_free_pages() == free0,
	    "random walk: every page is back (user pages %lu, free %lu of "
	    "%lu)", vm_page_user_count(), vm_phys_free_pages(), free0);
}

/* Placement: top-down below VM_MMAP_BASE, hints, the stack guard gap. */
static void
check_placement(void)
{
	struct vmspace *vm;
	vaddr_t a = 0, b = 0, c, s = VM_STACK_TOP - P;
	int error;

	UNIT_CHECK(vmspace_create(&vm) == 0, "placement: vmspace_create");
	error = vm_map_anon(vm, &a, 5 * P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && a == VM_MMAP_BASE - 5 * P, "placement: the "
	    "first mapping ends at VM_MMAP_BASE (%#lx)", a);
	error = vm_map_anon(vm, &b, P, VM_PROT_WRITE, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && b == a - P && vm->vm_nentries == 2,
	    "placement: the next goes right below (%#lx); different rights, "
	    "two entries", b);
	c = a + P;
	error = vm_map_anon(vm, &c, P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && c == b - P, "placement: a taken hint is "
	    "ignored (%#lx)", c);
	c = VM_MMAP_BASE + 7;
	error = vm_map_anon(vm, &c, P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && c == VM_MMAP_BASE + P, "placement: a free "
	    "hint is rounded up and used (%#lx)", c);
	error = vm_map_anon(vm, &s, P, VM_PROT_READ, VM_MAP_PRIVATE |
	    VM_MAP_STACK | VM_MAP_FIXED);
	UNIT_CHECK(error == 0, "placement: a stack");
	c = s - P;
	error = vm_map_anon(vm, &c, P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && c != s - P, "placement: a hint inside the "
	    "stack's guard gap is ignored (%#lx)", c);
	c = s - VM_STACK_GUARD - P;
	error = vm_map_anon(vm, &c, P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && c == s - VM_STACK_GUARD - P, "placement: "
	    "right below the gap is fine (%#lx)", c);
	c = VM_USER_MIN;
	error = vm_map_anon(vm, &c, b - P - VM_USER_MIN, VM_PROT_NONE,
	    VM_MAP_PRIVATE | VM_MAP_FIXED);
	UNIT_CHECK(error == 0, "placement: fill what is left below "
	    "VM_MMAP_BASE");
	c = 0;
	error = vm_map_anon(vm, &c, 2 * P, VM_PROT_READ, VM_MAP_PRIVATE);
	UNIT_CHECK(error == 0 && c == VM_MMAP_BASE + 2 * P, "placement: no "
	    "room below VM_MMAP_BASE: the lowest room above it (%#lx)", c);
	c = 0;
	error = vm_map_anon(vm, &c, VM_USER_MAX / 2, VM_PROT_READ,
	    VM_MAP_PRIVATE);
	UNIT_CHECK(error == -ENOMEM, "placement: no room at all: -ENOMEM "
	    "(%d)", error);
	error = vm_map_anon(vm, &c, 1UL << 46, VM_PROT_NONE, VM_MAP_SHARED);
	UNIT_CHECK(error == -ENOMEM, "placement: a shared object too large "
	    "for the heap: -ENOMEM (%d)", error);
	vmspace_release(vm);
}

int
main(void)
{
	int error;

	if (kshim_vm_phys_boot(ARENA_SIZE, &error) == NULL)
		return 1;
	UNIT_CHECK(kmalloc_init() == 0, "kmalloc_init returns 0");
	if (error != 0)
		return unit_done();
	check_placement();
	check_random_walk();
	return unit_done();
}
