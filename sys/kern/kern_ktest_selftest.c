/*
 * Tests of the debugging machinery itself: the symbol table that
 * backtraces print, and the frame-pointer walk.
 */
#include <sys/types.h>
#include <sys/ksyms.h>
#include <sys/ktest.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/db_machdep.h>

/* Does the function containing the return address pc start with prefix? */
static bool
selftest_pc_in(uint64_t pc, const char *prefix)
{
	const char *name;
	uint64_t off;

	name = ksym_lookup(pc - 1, &off);
	return name != NULL && strncmp(name, prefix, strlen(prefix)) == 0;
}

/*
 * The table holds the functions at the addresses this link gave them: a
 * function found by its address, at offset 0, proves that no function
 * moved between the two links (sys/sys.mk).
 */
KTEST(ksym_lookup)
{
	const char *name;
	uint64_t off;

	KT_ASSERT(ksyms_count > 0);
	name = ksym_lookup((uint64_t)ktest_run, &off);
	KT_ASSERT(name != NULL && strcmp(name, "ktest_run") == 0);
	KT_ASSERT(off == 0);
	name = ksym_lookup((uint64_t)panic + 5, &off);
	KT_ASSERT(name != NULL && strcmp(name, "panic") == 0);
	KT_ASSERT(off == 5);
	name = ksym_lookup((uint64_t)ksym_lookup, &off);
	KT_ASSERT(name != NULL && strcmp(name, "ksym_lookup") == 0);
	/* Sorted, and each entry ends after it starts. */
	for (off = 0; off < ksyms_count; off++) {
		KT_ASSERT(ksyms_ends[off] > ksyms_addrs[off]);
		if (off > 0)
			KT_ASSERT(ksyms_addrs[off] > ksyms_addrs[off - 1]);
	}
	/* Not functions: the image's base, data, the direct map, zero. */
	KT_ASSERT(ksym_lookup(KERNBASE, &off) == NULL);
	KT_ASSERT(ksym_lookup((uint64_t)&ksyms_count, &off) == NULL);
	KT_ASSERT(ksym_lookup(DMAP_BASE, &off) == NULL);
	KT_ASSERT(ksym_lookup(0, NULL) == NULL);
	return 0;
}

/* Collect the stack from here; kept out of line and not a tail call. */
static __attribute__((noinline)) int
selftest_collect(uint64_t *pcs, int max)
{
	int n;

	n = db_stack_pcs(read_rbp(), pcs, max);
	__asm__ volatile("" : : : "memory");
	return n;
}

/*
 * A walk from inside a test must name the test's own function first,
 * then the runner, and stop before DB_MAXFRAMES at the boot stack's zero
 * frame pointer.
 */
KTEST(db_backtrace)
{
	uint64_t pcs[DB_MAXFRAMES];
	int i, n, found;

	n = selftest_collect(pcs, DB_MAXFRAMES);
	KT_ASSERT(n >= 3 && n < DB_MAXFRAMES);
	KT_ASSERT(selftest_pc_in(pcs[0], "ktest_fn_db_backtrace"));
	found = 0;
	for (i = 1; i < n && i < 4; i++)
		if (selftest_pc_in(pcs[i], "ktest_run"))
			found = 1;
	KT_ASSERT(found);
	/* A bad frame pointer ends the walk without a fault. */
	KT_ASSERT(db_stack_pcs(0, pcs, DB_MAXFRAMES) == 0);
	KT_ASSERT(db_stack_pcs(KERNBASE + 4, pcs, DB_MAXFRAMES) == 0);
	KT_ASSERT(db_stack_pcs(0xdeadb000, pcs, DB_MAXFRAMES) == 0);
	KT_ASSERT(db_stack_pcs(DMAP_BASE + DMAP_MAXSIZE - 8, pcs,
	    DB_MAXFRAMES) == 0);
	/* In the direct map's range, but far beyond any RAM: not mapped. */
	KT_ASSERT(db_stack_pcs(DMAP_BASE + DMAP_MAXSIZE / 2, pcs,
	    DB_MAXFRAMES) == 0);
	return 0;
}
