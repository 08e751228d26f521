/*
 * brk(2) through the raw system call, whose Linux convention differs from
 * the C library's: it returns the new break on success and the current
 * break on failure (brk(2), "C library/kernel differences"); musl's brk()
 * refuses to move it at all.  No malloc may run between the calls, since
 * musl's allocator uses the break too.
 */
#include <string.h>
#include <unistd.h>

#include "conf.h"

#define GROW	(64 * 1024)

static unsigned long probe_addr;

static void
touch(void *arg)
{
	(void)arg;
	*(volatile char *)probe_addr = 1;
}

int
main(int argc, char **argv)
{
	unsigned long cur, r, top, off;
	volatile unsigned char *p;
	int zero, st;

	(void)argc;
	conf_init(argv);
	cur = (unsigned long)conf_sys(SYS_brk, 0);
	ok(cur != 0 && cur < 0x800000000000UL, "brk(2): brk(0) returns the "
	    "current break, a user address");
	is_hex(conf_sys(SYS_brk, 0), cur, "brk(2): brk(0) again returns the "
	    "same break");

	r = (unsigned long)conf_sys(SYS_brk, cur + GROW);
	if (!is_hex(r, cur + GROW, "brk(2): raising the break by %d bytes "
	    "returns the new break", GROW))
		bail_out("cannot raise the break");
	p = (volatile unsigned char *)cur;
	for (zero = 1, off = 0; off < GROW; off++)
		zero &= p[off] == 0;
	ok(zero, "brk(2): the new memory reads as zeros (SUSv2 sbrk: \"the "
	    "newly-allocated space is set to 0\")");
	for (off = 0; off < GROW; off += 512)
		p[off] = (unsigned char)(off >> 9);
	for (zero = 1, off = 0; off < GROW; off += 512)
		zero &= p[off] == (unsigned char)(off >> 9);
	ok(zero, "brk(2): the new memory is writable and keeps what is "
	    "written");

	r = (unsigned long)conf_sys(SYS_brk, cur);
	is_hex(r, cur, "brk(2): lowering the break back returns it");
	top = (cur + CONF_PAGE - 1) & ~(CONF_PAGE - 1);
	probe_addr = top + 2 * CONF_PAGE;
	st = conf_in_child(touch, NULL);
	is_signal(st, SIGSEGV, "brk(2): memory above a lowered break is "
	    "gone (touching it is SIGSEGV)");
	r = (unsigned long)conf_sys(SYS_brk, cur + GROW);
	is_hex(r, cur + GROW, "brk(2): the break can be raised again");
	ok(p[top - cur + 2 * CONF_PAGE] == 0, "brk(2): pages freed by "
	    "lowering the break come back zero-filled");
	conf_sys(SYS_brk, cur);

	is_hex(conf_sys(SYS_brk, 1UL << 60), cur, "brk(2): an impossible "
	    "break fails, returning the current break");
	is_hex(conf_sys(SYS_brk, CONF_PAGE), cur, "brk(2): a break below "
	    "the program's data fails, returning the current break");
	is_hex(conf_sys(SYS_brk, 0), cur, "brk(2): failed calls left the "
	    "break where it was");
	return done_testing();
}
