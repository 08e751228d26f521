/*
 * msync(2) on shared anonymous memory (there are no files yet): the valid
 * flag combinations succeed and keep the data; the errors EINVAL and
 * ENOMEM.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	unsigned char *s;

	(void)argc;
	conf_init(argv);
	s = conf_shared(4 * CONF_PAGE);
	memset(s, 'm', 4 * CONF_PAGE);
	is_success(msync(s, 4 * CONF_PAGE, MS_SYNC), "msync(2): MS_SYNC on "
	    "a shared mapping succeeds");
	is_success(msync(s, CONF_PAGE, MS_ASYNC), "msync(2): MS_ASYNC "
	    "succeeds");
	is_success(msync(s, CONF_PAGE, MS_SYNC | MS_INVALIDATE),
	    "msync(2): MS_SYNC|MS_INVALIDATE succeeds");
	ok(s[0] == 'm' && s[4 * CONF_PAGE - 1] == 'm', "msync(2): the data "
	    "is unchanged");
	is_success(msync(s, 100, MS_SYNC), "msync(2): a length that is not "
	    "a page multiple is rounded up");

	is_errno(msync(s, CONF_PAGE, MS_SYNC | MS_ASYNC), EINVAL,
	    "msync(2): MS_SYNC together with MS_ASYNC is EINVAL");
	is_errno(msync(s, CONF_PAGE, 0x100), EINVAL, "msync(2): an unknown "
	    "flag is EINVAL");
	is_errno(msync(s + 1, CONF_PAGE, MS_SYNC), EINVAL, "msync(2): an "
	    "address that is not page-aligned is EINVAL");
	munmap(s + 2 * CONF_PAGE, 2 * CONF_PAGE);
	is_errno(msync(s + 2 * CONF_PAGE, CONF_PAGE, MS_SYNC), ENOMEM,
	    "msync(2): an unmapped range is ENOMEM");
	is_errno(msync(s, 3 * CONF_PAGE, MS_SYNC), ENOMEM, "msync(2): a "
	    "range running into a hole is ENOMEM");
	return done_testing();
}
