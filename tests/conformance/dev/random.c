/*
 * random(4): /dev/random and /dev/urandom give random bytes from the
 * kernel's generator without blocking once it is seeded, writing mixes
 * bytes in (and returns the count), and fstat(2) says 1:8 and 1:9.
 */
#include <string.h>

#include "dev.h"

static void
random_cases(const char *path, unsigned int minor_nr)
{
	static unsigned char big[1 << 20];
	unsigned char a[256], b[256], zeros[32];
	struct stat st;
	long r;
	int fd = dev_open(path, O_RDWR);

	memset(zeros, 0, sizeof(zeros));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	is_long(read(fd, a, sizeof(a)), sizeof(a), "random(4): %s: a "
	    "256-byte read is filled", path);
	is_long(read(fd, b, sizeof(b)), sizeof(b), "random(4): %s: and a "
	    "second one", path);
	ok(memcmp(a, zeros, sizeof(zeros)) != 0 && memcmp(a + 224, zeros,
	    sizeof(zeros)) != 0, "random(4): %s: the bytes are not zeros",
	    path);
	ok(memcmp(a, b, sizeof(a)) != 0, "random(4): %s: two reads differ",
	    path);
	r = read(fd, big, sizeof(big));
	ok(r > 0 && r <= (long)sizeof(big), "random(4): %s: a 1 MiB read "
	    "returns between 1 byte and 1 MiB (got %ld)", path, r);
	is_long(write(fd, "some entropy", 12), 12, "random(4): %s: a write "
	    "returns its count", path);
	is_long(lseek(fd, 4096, SEEK_SET), 0, "random(4): %s: lseek "
	    "returns 0", path);
	if (fstat(fd, &st) != 0)
		tap_bail("fstat %s: %s", path, tap_errname(errno));
	dev_is_chr(&st, 1, minor_nr, "random(4): fstat");
	is_errno(read(fd, (void *)1, 16), EFAULT, "random(4): %s: a read "
	    "into a bad address is EFAULT", path);
	close(fd);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	random_cases("/dev/random", 8);
	random_cases("/dev/urandom", 9);
	return done_testing();
}
