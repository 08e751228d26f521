/*
 * A very small test harness for host builds of the kernel's own pure files.
 *
 * A unit test is tests/unit/test_<name>.c, linked with the kernel sources
 * listed one per line in tests/unit/test_<name>.srcs and with shim.c, and
 * compiled for the host with -DUNIT_TEST.  It prints TAP:
 *
 *	ok 1 - kvformat %d
 *	not ok 2 - kvformat %x: got "ff", want "FF"
 *	1..2
 *
 * and exits non-zero when a check failed.  UNIT_EXPECT_PANIC runs a
 * statement that must call the kernel's panic() (the shim turns panic into
 * a longjmp back to the test).
 */
#ifndef _TESTS_UNIT_H_
#define _TESTS_UNIT_H_

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int unit_count, unit_failed;
extern jmp_buf *unit_panic_jmp;
extern char unit_panic_msg[512];

void	unit_ok(int pass, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	unit_done(void);

/* Check a condition; the name is printed either way. */
#define UNIT_CHECK(cond, ...)	unit_ok(!!(cond), __VA_ARGS__)

/* Compare two strings and print both when they differ. */
#define UNIT_STREQ(got, want, name)					\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		int eq_ = strcmp(g_, w_) == 0;				\
		unit_ok(eq_, "%s%s%s%s%s", (name),			\
		    eq_ ? "" : ": got \"", eq_ ? "" : g_,		\
		    eq_ ? "" : "\", want \"", eq_ ? "" : w_);		\
	} while (0)

/* Run stmt; pass when it panics (the message is in unit_panic_msg). */
#define UNIT_EXPECT_PANIC(stmt, name)					\
	do {								\
		jmp_buf jb_;						\
		volatile int panicked_ = 0;				\
		unit_panic_jmp = &jb_;					\
		if (setjmp(jb_) == 0) {					\
			stmt;						\
		} else {						\
			panicked_ = 1;					\
		}							\
		unit_panic_jmp = NULL;					\
		unit_ok(panicked_, "%s (panic: %s)", (name),		\
		    panicked_ ? unit_panic_msg : "none");		\
	} while (0)

#endif /* _TESTS_UNIT_H_ */
