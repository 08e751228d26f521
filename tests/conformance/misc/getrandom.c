/*
 * getrandom(2): requests of up to 256 bytes are filled completely, two
 * results differ, GRND_NONBLOCK works once the pool is ready, a zero
 * length returns 0, EINVAL for unknown flags.
 */
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	static unsigned char big[1 << 20];
	unsigned char a[256], b[32], c[32], zero[32];
	long r;

	(void)argc;
	conf_init(argv);
	memset(a, 0, sizeof(a));
	memset(zero, 0, sizeof(zero));
	is_long(conf_sys(SYS_getrandom, a, 256, 0), 256, "getrandom(2): a "
	    "256-byte request is filled completely");
	ok(memcmp(a, zero, sizeof(zero)) != 0 &&
	    memcmp(a + 224, zero, sizeof(zero)) != 0, "getrandom(2): the "
	    "bytes are not zeros");
	is_long(conf_sys(SYS_getrandom, b, 32, 0), 32, "getrandom(2): 32 "
	    "bytes");
	is_long(conf_sys(SYS_getrandom, c, 32, GRND_NONBLOCK), 32,
	    "getrandom(2): GRND_NONBLOCK fills 32 bytes once the pool is "
	    "initialized");
	ok(memcmp(b, c, sizeof(b)) != 0, "getrandom(2): two results "
	    "differ");
	is_long(conf_sys(SYS_getrandom, b, 0, 0), 0, "getrandom(2): a zero "
	    "length returns 0");
	r = conf_sys(SYS_getrandom, big, sizeof(big), 0);
	ok(r > 0 && r <= (long)sizeof(big), "getrandom(2): a 1 MiB request "
	    "returns between 1 byte and 1 MiB");
	is_syserr(conf_sys(SYS_getrandom, b, 32, 0x100), EINVAL,
	    "getrandom(2): an unknown flag is EINVAL");
	return done_testing();
}
