/*
 * sethostname(2) as root: the name is what uname(2) then reports in
 * nodename, up to 64 bytes; EINVAL for a longer or negative length,
 * EFAULT for a bad pointer.  On the host this runs in a UTS namespace of
 * its own, so the host's name is never touched; the old name is put back.
 */
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	char name64[65];
	struct utsname u, saved;

	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	if (uname(&saved) != 0)
		bail_out("uname: %s", tap_errname(errno));

	is_success(sethostname("eclipse-conf", 12), "sethostname(2): root "
	    "may set the host name");
	uname(&u);
	is_str(u.nodename, "eclipse-conf", "sethostname(2): uname(2) then "
	    "reports it as nodename");
	memset(name64, 'h', 64);
	name64[64] = '\0';
	is_success(sethostname(name64, 64), "sethostname(2): a 64-byte name "
	    "(the maximum) is accepted");
	uname(&u);
	is_str(u.nodename, name64, "sethostname(2): all 64 bytes are kept");
	is_success(sethostname("abcdef", 3), "sethostname(2): len shorter "
	    "than the string");
	uname(&u);
	is_str(u.nodename, "abc", "sethostname(2): only len bytes are "
	    "taken");

	is_syserr(conf_sys(SYS_sethostname, name64, 65), EINVAL,
	    "sethostname(2): a 65-byte name is EINVAL");
	is_syserr(conf_sys(SYS_sethostname, name64, -1), EINVAL,
	    "sethostname(2): a negative length is EINVAL");
	is_syserr(conf_sys(SYS_sethostname, 8, 5), EFAULT,
	    "sethostname(2): a bad pointer is EFAULT");
	uname(&u);
	is_str(u.nodename, "abc", "sethostname(2): failed calls left the "
	    "name alone");

	if (sethostname(saved.nodename, strlen(saved.nodename)) != 0)
		diag("could not restore the host name: %s",
		    tap_errname(errno));
	return done_testing();
}
