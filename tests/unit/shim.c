/*
 * The host side of the kernel's interfaces for unit tests: kprintf prints
 * to stdout (prefixed "# " so TAP readers ignore it), and panic either
 * longjmps back into UNIT_EXPECT_PANIC or fails the test program.  The
 * kernel's own formatter, kvformat(), is used when the test links
 * subr_prf.c; otherwise the host's vprintf is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

int unit_count, unit_failed;
jmp_buf *unit_panic_jmp;
char unit_panic_msg[512];

void
unit_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	unit_count++;
	if (!pass)
		unit_failed++;
	printf("%sok %d - ", pass ? "" : "not ", unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed != 0;
}

#ifndef UNIT_HAVE_KPRINTF
int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	printf("# ");
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
#endif

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(unit_panic_msg, sizeof(unit_panic_msg), fmt, ap);
	va_end(ap);
	if (unit_panic_jmp != NULL)
		longjmp(*unit_panic_jmp, 1);
	printf("not ok - unexpected panic: %s\n", unit_panic_msg);
	exit(1);
}
