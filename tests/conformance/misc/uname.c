/*
 * uname(2): six NUL-terminated fields of at most 64 characters, the
 * machine is "x86_64", the C library agrees with the system call, and a
 * bad pointer is EFAULT.
 */
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

static int
terminated(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL;
}

int
main(int argc, char **argv)
{
	struct utsname u, l;
	int good;

	(void)argc;
	conf_init(argv);
	memset(&u, 'X', sizeof(u));
	is_sysok(conf_sys(SYS_uname, &u), "uname(2): succeeds");
	good = terminated(u.sysname, sizeof(u.sysname)) &&
	    terminated(u.nodename, sizeof(u.nodename)) &&
	    terminated(u.release, sizeof(u.release)) &&
	    terminated(u.version, sizeof(u.version)) &&
	    terminated(u.machine, sizeof(u.machine)) &&
	    terminated(u.domainname, sizeof(u.domainname));
	ok(good, "uname(2): all six fields are NUL-terminated within 65 "
	    "bytes");
	ok(good && u.sysname[0] != '\0' && u.release[0] != '\0' &&
	    u.version[0] != '\0', "uname(2): sysname, release and version "
	    "are not empty");
	diag("%s %s %s %s", good ? u.sysname : "?", good ? u.release : "?",
	    good ? u.version : "?", good ? u.machine : "?");
	is_str(good ? u.machine : "", "x86_64", "uname(2): machine is "
	    "\"x86_64\"");
	uname(&l);
	ok(memcmp(&u, &l, sizeof(u)) == 0, "uname(3): the C library returns "
	    "what the system call does");
	is_syserr(conf_sys(SYS_uname, NULL), EFAULT, "uname(2): a NULL "
	    "buffer is EFAULT");
	return done_testing();
}
