/*
 * writev(2) and readv(2) on standard output and input (the test runners
 * give every program a pipe or a console there): the bytes of all the
 * vectors, in order; the count limits; bad descriptors.
 */
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct iovec iov[3];
	static struct iovec many[1025];
	char a[] = "# writev: ", b[] = "three vectors", c[] = "\n";

	(void)argc;
	conf_init(argv);
	iov[0].iov_base = a;
	iov[0].iov_len = sizeof(a) - 1;
	iov[1].iov_base = b;
	iov[1].iov_len = sizeof(b) - 1;
	iov[2].iov_base = c;
	iov[2].iov_len = 1;
	is_long(writev(1, iov, 3), (long)(sizeof(a) - 1 + sizeof(b) - 1 + 1),
	    "writev(2): writes the bytes of every vector and returns their sum");
	is_long(writev(1, iov, 0), 0, "writev(2): no vector writes nothing");
	is_errno(writev(1, many, 1025), EINVAL, "writev(2): more than IOV_MAX "
	    "(1024) vectors is EINVAL");
	is_errno(writev(1, iov, -1), EINVAL, "writev(2): a negative count is "
	    "EINVAL");
	is_errno(writev(1, (struct iovec *)1, 1), EFAULT, "writev(2): a bad "
	    "vector pointer is EFAULT");
	is_errno(writev(999, iov, 1), EBADF, "writev(2): a descriptor that is "
	    "not open is EBADF");
	is_errno(readv(999, iov, 1), EBADF, "readv(2): a descriptor that is "
	    "not open is EBADF");
	is_errno(write(999, a, 1), EBADF, "write(2): a descriptor that is not "
	    "open is EBADF");
	is_errno(read(999, a, 1), EBADF, "read(2): a descriptor that is not "
	    "open is EBADF");
	is_long(write(1, a, 0), 0, "write(2): zero bytes writes nothing and "
	    "returns 0");
	return done_testing();
}
