/*
 * madvise(2) on anonymous memory: MADV_DONTNEED zero-fills private pages
 * and keeps shared ones (madvise(2), MADV_DONTNEED), the advisory values
 * leave data alone, and the errors EINVAL and ENOMEM.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	unsigned char *p, *s;
	static const int advice[] = { MADV_NORMAL, MADV_RANDOM,
	    MADV_SEQUENTIAL, MADV_WILLNEED };
	static const char *const names[] = { "MADV_NORMAL", "MADV_RANDOM",
	    "MADV_SEQUENTIAL", "MADV_WILLNEED" };
	size_t i;

	(void)argc;
	conf_init(argv);
	p = mmap(NULL, 4 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = conf_shared(2 * CONF_PAGE);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	memset(p, 'p', 4 * CONF_PAGE);
	memset(s, 's', 2 * CONF_PAGE);

	for (i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		is_success(madvise(p, 4 * CONF_PAGE, advice[i]),
		    "madvise(2): %s succeeds", names[i]);
	}
	ok(p[0] == 'p' && p[4 * CONF_PAGE - 1] == 'p', "madvise(2): the "
	    "advisory values leave the data alone");

	is_success(madvise(p + CONF_PAGE, CONF_PAGE, MADV_DONTNEED),
	    "madvise(2): MADV_DONTNEED on a private page");
	ok(p[CONF_PAGE] == 0 && p[2 * CONF_PAGE - 1] == 0, "madvise(2): "
	    "after MADV_DONTNEED a private anonymous page reads as zeros");
	ok(p[0] == 'p' && p[2 * CONF_PAGE] == 'p', "madvise(2): "
	    "MADV_DONTNEED left the pages around it alone");
	p[CONF_PAGE] = 'n';
	ok(p[CONF_PAGE] == 'n', "madvise(2): the page is usable again");
	is_success(madvise(s, 2 * CONF_PAGE, MADV_DONTNEED),
	    "madvise(2): MADV_DONTNEED on a shared anonymous mapping");
	ok(s[0] == 's' && s[2 * CONF_PAGE - 1] == 's', "madvise(2): a "
	    "shared anonymous mapping keeps its contents after MADV_DONTNEED");

	is_errno(madvise(p, CONF_PAGE, 9999), EINVAL, "madvise(2): an "
	    "unknown advice is EINVAL");
	is_errno(madvise(p + 1, CONF_PAGE, MADV_NORMAL), EINVAL,
	    "madvise(2): an address that is not page-aligned is EINVAL");
	munmap(p + 3 * CONF_PAGE, CONF_PAGE);
	is_errno(madvise(p + 3 * CONF_PAGE, CONF_PAGE, MADV_NORMAL), ENOMEM,
	    "madvise(2): an unmapped range is ENOMEM");
	munmap(p, 3 * CONF_PAGE);
	return done_testing();
}
