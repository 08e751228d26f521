/*
 * msync(2) on file mappings: the flags succeed on a shared mapping of a
 * file (and a private one), the data is the file's either way; the
 * errors: EINVAL for bad flags or an unaligned address, ENOMEM for a
 * range that is not all mapped.
 */
#include "mapfile.h"

#define P	CONF_PAGE

int
main(int argc, char **argv)
{
	char *m, *pm, c = 0;
	int fd;

	(void)argc;
	conf_init(argv);
	mf_setup("msync_file");
	fd = mf_make("synced", 4 * P, O_RDWR);
	m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pm = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED || pm == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	m[10] = 'Y';
	is_success(msync(m, 4 * P, MS_SYNC), "msync(2): MS_SYNC on a shared "
	    "file mapping succeeds");
	ok(pread(fd, &c, 1, 10) == 1 && c == 'Y', "msync(2): the file has "
	    "the stored byte");
	is_success(msync(m, P, MS_ASYNC), "msync(2): MS_ASYNC succeeds");
	is_success(msync(m, P, MS_INVALIDATE), "msync(2): MS_INVALIDATE "
	    "succeeds");
	is_success(msync(m + P, 10, MS_SYNC | MS_INVALIDATE), "msync(2): "
	    "MS_SYNC|MS_INVALIDATE with a length rounded up succeeds");
	is_success(msync(m, 0, MS_SYNC), "msync(2): length 0 succeeds");
	pm[0] = 'Q';
	is_success(msync(pm, P, MS_SYNC), "msync(2): MS_SYNC on a private "
	    "file mapping succeeds");
	ok(m[0] == MF_BYTE(0) && m[10] == 'Y', "msync(2): the private store "
	    "stays private");

	is_errno(msync(m, P, MS_SYNC | MS_ASYNC), EINVAL, "msync(2): MS_SYNC "
	    "with MS_ASYNC is EINVAL");
	is_errno(msync(m, P, 8), EINVAL, "msync(2): an unknown flag is "
	    "EINVAL");
	is_errno(msync(m + 1, P, MS_SYNC), EINVAL, "msync(2): an unaligned "
	    "address is EINVAL");
	munmap(m + 2 * P, P);
	is_errno(msync(m + 2 * P, P, MS_SYNC), ENOMEM, "msync(2): an unmapped "
	    "page is ENOMEM");
	is_errno(msync(m, 4 * P, MS_SYNC), ENOMEM, "msync(2): a range with a "
	    "hole is ENOMEM");
	is_errno(msync(m, 4 * P, MS_ASYNC), ENOMEM, "msync(2): also with "
	    "MS_ASYNC");
	munmap(m, 4 * P);
	munmap(pm, P);
	close(fd);
	mf_done();
	return done_testing();
}
