/*
 * mprotect(2) on anonymous memory: read-only and inaccessible pages fault,
 * executable pages run, contents survive protection changes, and the
 * errors EINVAL and ENOMEM.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

static void
touch(void *addr)
{
	*(volatile char *)addr = 1;
}

static void
peek(void *addr)
{
	(void)*(volatile char *)addr;
}

static void
call(void *addr)
{
	((void (*)(void))addr)();
}

int
main(int argc, char **argv)
{
	unsigned char *p;
	int st;

	(void)argc;
	conf_init(argv);
	p = mmap(NULL, 4 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	memset(p, 'x', 4 * CONF_PAGE);

	is_success(mprotect(p + CONF_PAGE, CONF_PAGE, PROT_READ),
	    "mprotect(2): PROT_READ on one page");
	st = conf_in_child(touch, p + CONF_PAGE);
	is_signal(st, SIGSEGV, "mprotect(2): writing a PROT_READ page is "
	    "SIGSEGV");
	is_exit(conf_in_child(peek, p + CONF_PAGE), 0, "mprotect(2): "
	    "reading a PROT_READ page works");
	is_exit(conf_in_child(touch, p + 2 * CONF_PAGE), 0, "mprotect(2): "
	    "the next page is still writable");
	ok(p[CONF_PAGE] == 'x', "mprotect(2): the protected page kept its "
	    "contents");

	is_success(mprotect(p + CONF_PAGE, CONF_PAGE, PROT_NONE),
	    "mprotect(2): PROT_NONE");
	is_signal(conf_in_child(peek, p + CONF_PAGE), SIGSEGV,
	    "mprotect(2): reading a PROT_NONE page is SIGSEGV");
	is_success(mprotect(p, 4 * CONF_PAGE, PROT_READ | PROT_WRITE),
	    "mprotect(2): back to PROT_READ|PROT_WRITE over the range");
	p[CONF_PAGE] = 'y';
	ok(p[CONF_PAGE] == 'y' && p[CONF_PAGE + 1] == 'x', "mprotect(2): "
	    "the page is writable again and kept its contents");

	p[0] = 0xc3;			/* ret */
	is_success(mprotect(p, CONF_PAGE, PROT_READ | PROT_EXEC),
	    "mprotect(2): PROT_READ|PROT_EXEC");
	is_exit(conf_in_child(call, p), 0, "mprotect(2): code in a "
	    "PROT_EXEC page runs");
	is_success(mprotect(p, CONF_PAGE, PROT_READ | PROT_WRITE),
	    "mprotect(2): PROT_EXEC removed again");
	is_signal(conf_in_child(call, p), SIGSEGV, "mprotect(2): jumping "
	    "into a page without PROT_EXEC is SIGSEGV (NX)");

	/* Raw: musl's mprotect() rounds the address down itself. */
	is_syserr(conf_sys(SYS_mprotect, p + 1, CONF_PAGE, PROT_READ), EINVAL,
	    "mprotect(2): an address that is not page-aligned is EINVAL");
	is_errno(mprotect(p, CONF_PAGE, 0x10), EINVAL, "mprotect(2): an "
	    "unknown protection bit is EINVAL");
	munmap(p + 3 * CONF_PAGE, CONF_PAGE);
	is_errno(mprotect(p + 3 * CONF_PAGE, CONF_PAGE, PROT_READ), ENOMEM,
	    "mprotect(2): an unmapped range is ENOMEM");
	is_errno(mprotect(p + 2 * CONF_PAGE, 2 * CONF_PAGE, PROT_READ),
	    ENOMEM, "mprotect(2): a range running into a hole is ENOMEM");
	munmap(p, 3 * CONF_PAGE);
	return done_testing();
}
