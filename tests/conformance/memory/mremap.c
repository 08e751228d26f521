/*
 * mremap(2) of anonymous private memory: growing in place and by moving
 * (MREMAP_MAYMOVE, MREMAP_FIXED), shrinking, and the errors EINVAL, ENOMEM
 * and EFAULT.  Raw calls: musl checks some arguments itself.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static void
peek(void *addr)
{
	(void)*(volatile char *)addr;
}

static unsigned char *
map(size_t pages)
{
	void *p = mmap(NULL, pages * CONF_PAGE, RW, PRIV, -1, 0);

	if (p == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	return p;
}

int
main(int argc, char **argv)
{
	unsigned char *p, *q, *dst;
	long r;
	size_t i;
	int good;

	(void)argc;
	conf_init(argv);

	/* In place: 2 pages mapped, the second unmapped: room to grow. */
	p = map(2);
	munmap(p + CONF_PAGE, CONF_PAGE);
	p[0] = 'i';
	r = conf_sys(SYS_mremap, p, CONF_PAGE, 2 * CONF_PAGE, 0);
	is_hex(r, p, "mremap(2): growing into free space without "
	    "MREMAP_MAYMOVE keeps the address");
	ok(r == (long)p && p[0] == 'i' && p[CONF_PAGE] == 0,
	    "mremap(2): the old page kept its data, the new one is zero");
	munmap(p, 2 * CONF_PAGE);

	/* Blocked: the page after is mapped. */
	p = map(3);
	r = conf_sys(SYS_mremap, p, CONF_PAGE, 2 * CONF_PAGE, 0);
	is_syserr(r, ENOMEM, "mremap(2): growing into a mapped page without "
	    "MREMAP_MAYMOVE is ENOMEM");
	for (i = 0; i < 3 * CONF_PAGE; i++)
		p[i] = (unsigned char)(i * 7);
	r = conf_sys(SYS_mremap, p, 3 * CONF_PAGE, 64 * CONF_PAGE,
	    MREMAP_MAYMOVE);
	if (!is_sysok(r, "mremap(2): MREMAP_MAYMOVE grows 3 pages to 64"))
		bail_out("mremap failed");
	q = (unsigned char *)r;
	for (good = 1, i = 0; i < 3 * CONF_PAGE; i++)
		good &= q[i] == (unsigned char)(i * 7);
	ok(good, "mremap(2): the moved mapping kept its contents");
	for (good = 1, i = 3 * CONF_PAGE; i < 64 * CONF_PAGE; i++)
		good &= q[i] == 0;
	ok(good, "mremap(2): the added pages are zero");
	q[63 * CONF_PAGE] = 1;
	if (q != p)
		is_signal(conf_in_child(peek, p), SIGSEGV, "mremap(2): the "
		    "old address is unmapped after a move");
	else
		skip(1, "the mapping grew in place");

	r = conf_sys(SYS_mremap, q, 64 * CONF_PAGE, 2 * CONF_PAGE, 0);
	is_hex(r, q, "mremap(2): shrinking keeps the address");
	is_signal(conf_in_child(peek, q + 2 * CONF_PAGE), SIGSEGV,
	    "mremap(2): the pages cut off by shrinking are unmapped");

	dst = map(4);
	munmap(dst, 4 * CONF_PAGE);
	r = conf_sys(SYS_mremap, q, 2 * CONF_PAGE, 2 * CONF_PAGE,
	    MREMAP_MAYMOVE | MREMAP_FIXED, dst + CONF_PAGE);
	is_hex(r, dst + CONF_PAGE, "mremap(2): MREMAP_FIXED moves the "
	    "mapping to the address given");
	ok(r == (long)(dst + CONF_PAGE) && dst[CONF_PAGE] == 0 &&
	    dst[CONF_PAGE + 1] == 7, "mremap(2): MREMAP_FIXED kept the "
	    "contents");
	if (r > 0)
		munmap(dst + CONF_PAGE, 2 * CONF_PAGE);

	p = map(1);
	is_syserr(conf_sys(SYS_mremap, p, CONF_PAGE, 2 * CONF_PAGE, 0x100),
	    EINVAL, "mremap(2): an unknown flag is EINVAL");
	is_syserr(conf_sys(SYS_mremap, p + 1, CONF_PAGE, 2 * CONF_PAGE,
	    MREMAP_MAYMOVE), EINVAL, "mremap(2): an old address that is not "
	    "page-aligned is EINVAL");
	is_syserr(conf_sys(SYS_mremap, p, CONF_PAGE, 0, MREMAP_MAYMOVE),
	    EINVAL, "mremap(2): new size 0 is EINVAL");
	is_syserr(conf_sys(SYS_mremap, p, CONF_PAGE, CONF_PAGE, MREMAP_FIXED,
	    dst), EINVAL, "mremap(2): MREMAP_FIXED without MREMAP_MAYMOVE is "
	    "EINVAL");
	munmap(p, CONF_PAGE);
	is_syserr(conf_sys(SYS_mremap, p, CONF_PAGE, 2 * CONF_PAGE,
	    MREMAP_MAYMOVE), EFAULT, "mremap(2): an old address that is not "
	    "mapped is EFAULT");
	return done_testing();
}
