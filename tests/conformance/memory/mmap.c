/*
 * mmap(2) and munmap(2) of anonymous private memory: zero fill, alignment,
 * MAP_FIXED, holes, and the errors EINVAL, EBADF, ENOMEM.  Raw calls where
 * musl checks the arguments itself.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

#define RW		(PROT_READ | PROT_WRITE)
#define PRIV		(MAP_PRIVATE | MAP_ANONYMOUS)

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

static int
all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	unsigned char *p, *q;
	long r;
	int i, good;

	(void)argc;
	conf_init(argv);
	p = mmap(NULL, 8 * CONF_PAGE, RW, PRIV, -1, 0);
	if (!ok(p != MAP_FAILED, "mmap(2): MAP_PRIVATE|MAP_ANONYMOUS of 8 "
	    "pages succeeds"))
		bail_out("mmap: %s", tap_errname(errno));
	is_long((unsigned long)p % CONF_PAGE, 0, "mmap(2): the address is "
	    "page-aligned");
	ok(all_zero(p, 8 * CONF_PAGE), "mmap(2): MAP_ANONYMOUS memory is "
	    "initialized to zero");
	for (i = 0; i < 8; i++)
		memset(p + i * CONF_PAGE, 'a' + i, CONF_PAGE);
	for (good = 1, i = 0; i < 8; i++)
		good &= p[i * CONF_PAGE + 17] == 'a' + i;
	ok(good, "mmap(2): PROT_READ|PROT_WRITE memory keeps what is "
	    "written");

	q = mmap(p + 2 * CONF_PAGE, CONF_PAGE, RW, PRIV | MAP_FIXED, -1, 0);
	is_hex(q, p + 2 * CONF_PAGE, "mmap(2): MAP_FIXED maps at exactly "
	    "the address given");
	ok(all_zero(p + 2 * CONF_PAGE, CONF_PAGE) &&
	    p[CONF_PAGE] == 'b' && p[3 * CONF_PAGE] == 'd', "mmap(2): "
	    "MAP_FIXED replaces the old page (zero) and no other");

	is_success(munmap(p + 4 * CONF_PAGE, CONF_PAGE), "munmap(2): one "
	    "page in the middle of a mapping");
	is_signal(conf_in_child(touch, p + 4 * CONF_PAGE), SIGSEGV,
	    "munmap(2): touching the unmapped page is SIGSEGV");
	is_exit(conf_in_child(touch, p + 5 * CONF_PAGE), 0,
	    "munmap(2): the page after the hole is still mapped");
	ok(p[3 * CONF_PAGE] == 'd' && p[5 * CONF_PAGE] == 'f',
	    "munmap(2): its neighbours kept their contents");
	is_success(munmap(p + 4 * CONF_PAGE, CONF_PAGE), "munmap(2): a "
	    "range holding no mapping is not an error");
	is_success(munmap(p, 8 * CONF_PAGE), "munmap(2): a range spanning "
	    "mappings and holes");
	is_signal(conf_in_child(peek, p), SIGSEGV, "munmap(2): reading "
	    "unmapped memory is SIGSEGV");

	p = mmap(NULL, CONF_PAGE, PROT_NONE, PRIV, -1, 0);
	ok(p != MAP_FAILED, "mmap(2): PROT_NONE memory can be mapped");
	is_signal(conf_in_child(peek, p), SIGSEGV, "mmap(2): reading "
	    "PROT_NONE memory is SIGSEGV");
	munmap(p, CONF_PAGE);

	is_syserr(conf_sys(SYS_mmap, 0, 0, RW, PRIV, -1, 0), EINVAL,
	    "mmap(2): length 0 is EINVAL");
	is_syserr(conf_sys(SYS_mmap, 0, CONF_PAGE, RW, MAP_ANONYMOUS, -1, 0),
	    EINVAL, "mmap(2): neither MAP_PRIVATE nor MAP_SHARED is EINVAL");
	is_syserr(conf_sys(SYS_mmap, 0, CONF_PAGE, RW, PRIV, -1, 100),
	    EINVAL, "mmap(2): an offset that is not page-aligned is EINVAL");
	is_syserr(conf_sys(SYS_mmap, 0x10000123, CONF_PAGE, RW,
	    PRIV | MAP_FIXED, -1, 0), EINVAL, "mmap(2): MAP_FIXED at an "
	    "address that is not page-aligned is EINVAL");
	is_syserr(conf_sys(SYS_mmap, 0, CONF_PAGE, RW, MAP_PRIVATE, -1, 0),
	    EBADF, "mmap(2): a file mapping with fd -1 is EBADF");
	r = conf_sys(SYS_mmap, 0, 1UL << 60, RW, PRIV, -1, 0);
	is_syserr(r, ENOMEM, "mmap(2): a length larger than the address "
	    "space is ENOMEM");

	is_syserr(conf_sys(SYS_munmap, 0x10000123, CONF_PAGE), EINVAL,
	    "munmap(2): an address that is not page-aligned is EINVAL");
	is_syserr(conf_sys(SYS_munmap, 0x10000000, 0), EINVAL,
	    "munmap(2): length 0 is EINVAL");
	is_syserr(conf_sys(SYS_munmap, 0xffffffffff600000UL, CONF_PAGE),
	    EINVAL, "munmap(2): a range in kernel space is EINVAL");
	return done_testing();
}
