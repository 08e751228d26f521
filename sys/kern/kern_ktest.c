/*
 * The in-kernel test runner (sys/ktest.h) and the deliberate faults that
 * let the test harness check that a fault is caught and reported.
 *
 * Tests are collected at link time: each KTEST() puts a pointer to its
 * struct ktest in the set_ktests section, which kernel.ld brackets with
 * __start_set_ktests and __stop_set_ktests.  The runner prints one TAP-like
 * line per test and a summary that tests/system/harness.py reads.
 */
#include <sys/types.h>
#include <sys/ktest.h>
#include <sys/systm.h>

extern const struct ktest *const __start_set_ktests[];
extern const struct ktest *const __stop_set_ktests[];

#define KTEST_NAMEMAX	64

struct ktest_tally {
	int	kt_num;		/* tests run so far, numbering the lines */
	int	kt_passed;
	int	kt_failed;
};

/*
 * Run one test and print its line.  Kept out of line, so that a backtrace
 * from inside a test always shows the same caller (kern_ktest_selftest.c
 * checks it).
 */
static __attribute__((noinline)) void
ktest_run_one(const struct ktest *kt, struct ktest_tally *t)
{
	int rv;

	rv = kt->kt_fn();
	t->kt_num++;
	if (rv == 0) {
		t->kt_passed++;
		kprintf("ktest: ok %d - %s\n", t->kt_num, kt->kt_name);
	} else {
		t->kt_failed++;
		kprintf("ktest: not ok %d - %s\n", t->kt_num, kt->kt_name);
	}
}

static const struct ktest *
ktest_find(const char *name, size_t len)
{
	const struct ktest *const *ktp;

	for (ktp = __start_set_ktests; ktp < __stop_set_ktests; ktp++)
		if (strlen((*ktp)->kt_name) == len &&
		    strncmp((*ktp)->kt_name, name, len) == 0)
			return *ktp;
	return NULL;
}

static void
ktest_run_list(const char *list, struct ktest_tally *t)
{
	const struct ktest *kt;
	char name[KTEST_NAMEMAX];
	const char *p, *end;
	size_t len;

	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		for (end = p; *end != '\0' && *end != ','; end++)
			continue;
		len = end - p;
		if (len == 0)
			continue;
		if ((kt = ktest_find(p, len)) != NULL) {
			ktest_run_one(kt, t);
			continue;
		}
		strlcpy(name, p, MIN(len + 1, sizeof(name)));
		kprintf("ktest: no test named %s\n", name);
		t->kt_num++;
		t->kt_failed++;
		kprintf("ktest: not ok %d - %s\n", t->kt_num, name);
	}
}

/*
 * Run the tests that which names: "all" (also a bare "ktest" on the
 * command line, which gives "" here), or a comma-separated list of names,
 * in that order.  A name with no test counts as a failure.  Prints one
 * line per test and "ktest: done: P passed, F failed".  Returns the number
 * of failures.  Takes no lock; the tests take what they need.
 */
int
ktest_run(const char *which)
{
	const struct ktest *const *ktp;
	struct ktest_tally t = { 0, 0, 0 };

	if (which == NULL || which[0] == '\0' || strcmp(which, "all") == 0) {
		for (ktp = __start_set_ktests; ktp < __stop_set_ktests; ktp++)
			ktest_run_one(*ktp, &t);
	} else {
		ktest_run_list(which, &t);
	}
	kprintf("ktest: done: %d passed, %d failed\n", t.kt_passed,
	    t.kt_failed);
	return t.kt_failed;
}

/* An address below the kernel that pmap_bootstrap() leaves unmapped. */
#define KTEST_FAULT_UNMAPPED	0xdeadb000UL
/* Bit 63 set, bits 62-47 clear: not canonical (SDM vol. 1, 3.3.7.1). */
#define KTEST_FAULT_NONCANON	0x8000000000000000UL

/*
 * Fault on purpose, so the harness can check the trap path end to end:
 * "pagefault" writes to an unmapped address, "gpf" reads a non-canonical
 * one, "divide" divides by zero, "ud" executes ud2.  Each should end in
 * trap_dump() and panic(); if the fault does not happen, or the kind is
 * unknown, this says so and returns.  Takes no lock.
 */
void
ktest_fault(const char *kind)
{
	volatile uint32_t *volatile unmapped =
	    (volatile uint32_t *)KTEST_FAULT_UNMAPPED;
	volatile uint64_t *volatile noncanon =
	    (volatile uint64_t *)KTEST_FAULT_NONCANON;
	volatile int dividend = 1, divisor = 0, quotient;

	if (strcmp(kind, "pagefault") == 0) {
		kprintf("ktest: fault: writing to %p\n", (void *)unmapped);
		*unmapped = 0x600d;
	} else if (strcmp(kind, "gpf") == 0) {
		kprintf("ktest: fault: reading %p\n", (void *)noncanon);
		(void)*noncanon;
	} else if (strcmp(kind, "divide") == 0) {
		kprintf("ktest: fault: dividing by zero\n");
		quotient = dividend / divisor;
		(void)quotient;
	} else if (strcmp(kind, "ud") == 0) {
		kprintf("ktest: fault: executing ud2\n");
		__asm__ volatile("ud2");
	} else {
		kprintf("ktest: unknown fault kind %s\n", kind);
		return;
	}
	kprintf("ktest: fault %s did not fault\n", kind);
}
