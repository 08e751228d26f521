/*
 * ksym_lookup() (sys/kern/subr_ksyms.c) against a hand-made symbol table
 * in the layout of sys/sys/ksyms.h, including the shapes genksyms.sh
 * produces: a gap of padding between two functions, and an entry whose
 * end is the next one's start.
 */
#include <sys/types.h>
#include <sys/ksyms.h>
#include <machine/cpu.h>

#include "unit.h"

#define K	0xffffffff80100000UL

const uint64_t ksyms_count = 4;
const uint64_t ksyms_addrs[] = { K + 0x000, K + 0x040, K + 0x080, K + 0x100 };
const uint64_t ksyms_ends[] = { K + 0x030, K + 0x080, K + 0x0c0, K + 0x101 };
const uint32_t ksyms_names[] = { 0, 6, 11, 19 };
const char ksyms_strtab[] = "alpha\0beta\0gamma.0\0delta";

static void
check(uint64_t addr, const char *want, uint64_t want_off)
{
	const char *got;
	uint64_t off = 0xbad;

	got = ksym_lookup(addr, &off);
	if (want == NULL) {
		UNIT_CHECK(got == NULL && off == 0xbad,
		    "0x%lx is no function (got %s)", addr,
		    got != NULL ? got : "NULL");
		return;
	}
	UNIT_CHECK(got != NULL && strcmp(got, want) == 0 && off == want_off,
	    "0x%lx is %s+0x%lx (got %s+0x%lx)", addr, want, want_off,
	    got != NULL ? got : "NULL", off);
}

int
main(void)
{
	uint64_t off;

	check(0, NULL, 0);
	check(K - 1, NULL, 0);
	check(K, "alpha", 0);
	check(K + 0x2f, "alpha", 0x2f);
	check(K + 0x30, NULL, 0);		/* padding after alpha */
	check(K + 0x3f, NULL, 0);
	check(K + 0x40, "beta", 0);
	check(K + 0x7f, "beta", 0x3f);
	check(K + 0x80, "gamma.0", 0);		/* beta ends where it starts */
	check(K + 0xbf, "gamma.0", 0x3f);
	check(K + 0xc0, NULL, 0);
	check(K + 0x100, "delta", 0);
	check(K + 0x101, NULL, 0);		/* past the last function */
	check(~0UL, NULL, 0);

	UNIT_CHECK(ksym_lookup(K + 0x41, NULL) != NULL,
	    "a NULL offset pointer is allowed");
	off = 7;
	UNIT_CHECK(ksym_lookup(K + 0x41, &off) != NULL && off == 1,
	    "the offset is stored");
	return unit_done();
}
