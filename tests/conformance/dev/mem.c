/*
 * null(4), zero(4) and full(4): reads give end of file or zeros, writes
 * vanish or fail with ENOSPC, every seek lands on 0, and fstat(2) says
 * which character device the file is (mem.c of Linux's drivers/char).
 */
#include <string.h>
#include <sys/uio.h>

#include "dev.h"

static void
null_cases(void)
{
	char buf[64];
	struct stat st;
	int fd = dev_open("/dev/null", O_RDWR);

	is_long(read(fd, buf, sizeof(buf)), 0, "null(4): a read is end of "
	    "file");
	is_long(write(fd, "hello", 5), 5, "null(4): a write succeeds with "
	    "its whole count");
	is_long(write(fd, (void *)1, 100), 100, "null(4): a write never "
	    "reads its buffer (a bad address still succeeds)");
	is_long(lseek(fd, 1000, SEEK_SET), 0, "null(4): lseek to 1000 "
	    "returns 0");
	is_long(lseek(fd, 0, SEEK_END), 0, "null(4): lseek SEEK_END "
	    "returns 0");
	is_long(pread(fd, buf, sizeof(buf), 4096), 0, "null(4): pread is "
	    "end of file");
	is_long(pwrite(fd, "x", 1, 4096), 1, "null(4): pwrite succeeds");
	if (fstat(fd, &st) != 0)
		tap_bail("fstat /dev/null: %s", tap_errname(errno));
	dev_is_chr(&st, 1, 3, "null(4): fstat");
	close(fd);
}

static void
zero_cases(void)
{
	static char big[256 * 1024], zeros[256 * 1024];
	char a[100], b[3000];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct stat st;
	int fd = dev_open("/dev/zero", O_RDWR);

	memset(big, 0x5a, sizeof(big));
	is_long(read(fd, big, sizeof(big)), sizeof(big), "zero(4): a 256 KiB "
	    "read is filled completely");
	is_mem(big, zeros, sizeof(big), "zero(4): with zeros");
	memset(a, 1, sizeof(a));
	memset(b, 1, sizeof(b));
	is_long(readv(fd, iov, 2), sizeof(a) + sizeof(b), "zero(4): readv "
	    "fills both vectors");
	ok(memcmp(a, zeros, sizeof(a)) == 0 && memcmp(b, zeros,
	    sizeof(b)) == 0, "zero(4): both with zeros");
	is_long(lseek(fd, 0, SEEK_CUR), 0, "zero(4): reading does not move "
	    "the offset (SEEK_CUR is 0)");
	is_long(lseek(fd, 12345, SEEK_SET), 0, "zero(4): lseek returns 0");
	memset(a, 1, sizeof(a));
	is_long(pread(fd, a, sizeof(a), 999), sizeof(a), "zero(4): pread "
	    "reads");
	is_mem(a, zeros, sizeof(a), "zero(4): pread gives zeros");
	is_long(write(fd, "hello", 5), 5, "zero(4): a write succeeds");
	is_errno(read(fd, (void *)1, 10), EFAULT, "zero(4): a read into a "
	    "bad address is EFAULT");
	if (fstat(fd, &st) != 0)
		tap_bail("fstat /dev/zero: %s", tap_errname(errno));
	dev_is_chr(&st, 1, 5, "zero(4): fstat");
	close(fd);
}

static void
full_cases(void)
{
	char a[512], zeros[512];
	struct stat st;
	int fd = dev_open("/dev/full", O_RDWR);

	memset(zeros, 0, sizeof(zeros));
	memset(a, 7, sizeof(a));
	is_errno(write(fd, "x", 1), ENOSPC, "full(4): a write is ENOSPC");
	is_long(read(fd, a, sizeof(a)), sizeof(a), "full(4): a read is "
	    "filled");
	is_mem(a, zeros, sizeof(a), "full(4): with zeros");
	is_long(lseek(fd, 77, SEEK_SET), 0, "full(4): lseek returns 0");
	if (fstat(fd, &st) != 0)
		tap_bail("fstat /dev/full: %s", tap_errname(errno));
	dev_is_chr(&st, 1, 7, "full(4): fstat");
	close(fd);
}

int
main(int argc, char **argv)
{
	int fd;

	(void)argc;
	conf_init(argv);
	null_cases();
	zero_cases();
	full_cases();
	fd = dev_open("/dev/null", O_RDONLY);
	is_errno(write(fd, "x", 1), EBADF, "open(2): a write to /dev/null "
	    "opened read-only is EBADF");
	close(fd);
	return done_testing();
}
