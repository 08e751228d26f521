/*
 * Host driver of exercise 2 (Documentation/tutorial/console.md): formats
 * integers with the kernel's own kvformat() (sys/kern/subr_prf.c, built
 * for the host as tests/unit/test_subr_prf.c builds it) and prints each
 * format and its result, separated by a tab, one per line.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <sys/cons.h>
#include <sys/kmsg.h>
#include <sys/systm.h>

/* What subr_prf.c needs of the console: here, nothing is printed. */
bool
cons_kernel_quiet(void)
{
	return true;
}

void
cons_output_lock(void)
{
}

void
cons_output_unlock(void)
{
}

void
cons_putc_locked(int c)
{
	(void)c;
}

void
kmsg_putc(int c)
{
	(void)c;
}

/* Not __printflike: the host compiler need not know %b. */
static void
show(const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("%s\t%s\n", fmt, buf);
}

int
main(void)
{
	show("%b|", 5U);
	show("%b|", 0U);
	show("%#b|", 5U);
	show("%#b|", 0U);
	show("%08b|", 5U);
	show("%-6b|", 5U);
	show("%#10b|", 5U);
	show("%.4b|", 1U);
	show("%hhb|", 0x1ffU);
	show("%lb|", ~0UL);
	show("%x %b %d|", 255U, 6U, -1);
	return 0;
}
