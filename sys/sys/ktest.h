/*
 * In-kernel self-tests.
 *
 * A ktest is a function that returns 0 when it passes; KT_ASSERT prints the
 * failing expression and returns -1.  Tests are collected at link time (the
 * set_ktests section) and run at the end of boot when the kernel command
 * line says ktest=all or ktest=name1,name2.  kern/kern_ktest.c prints one
 * line per test and a summary the test harness reads:
 *
 *	ktest: ok 3 - kmalloc_sizes
 *	ktest: not ok 4 - timer_ticks
 *	ktest: done: 7 passed, 1 failed
 *
 * and then powers the machine off.
 */
#ifndef _SYS_KTEST_H_
#define _SYS_KTEST_H_

#include <sys/systm.h>

struct ktest {
	const char	*kt_name;
	int		(*kt_fn)(void);
};

#define KTEST(name)							\
	static int ktest_fn_##name(void);				\
	static const struct ktest ktest_##name = {			\
		#name, ktest_fn_##name };				\
	static const struct ktest *const __ktest_ptr_##name		\
	    __section("set_ktests") __used = &ktest_##name;		\
	static int ktest_fn_##name(void)

#define KT_ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			kprintf("ktest: assertion failed: %s (%s:%d)\n", \
			    #cond, __FILE__, __LINE__);			\
			return -1;					\
		}							\
	} while (0)

/*
 * The next number of a xorshift64 generator (Marsaglia, "Xorshift RNGs",
 * 2003) whose state is *seed, which must not start at 0: cheap numbers
 * for a test's random choices, the same on every run.  The host unit
 * tests use it too.
 */
static inline uint64_t
ktest_rand(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

/* Run the tests named on the command line; returns the failure count. */
int	ktest_run(const char *which);
/* fault=KIND on the command line: fault on purpose (harness self-test). */
void	ktest_fault(const char *kind);

#endif /* _SYS_KTEST_H_ */
