/*
 * sethostname(2) as an unprivileged user is EPERM ("the caller did not
 * have the CAP_SYS_ADMIN capability"), and the name is unchanged.
 */
/* conformance: unprivileged */
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct utsname before, after;

	(void)argc;
	conf_init(argv);
	conf_drop_privileges();
	uname(&before);
	is_errno(sethostname("not-allowed", 11), EPERM, "sethostname(2): "
	    "an unprivileged user gets EPERM");
	uname(&after);
	is_str(after.nodename, before.nodename, "sethostname(2): the name "
	    "is unchanged");
	return done_testing();
}
