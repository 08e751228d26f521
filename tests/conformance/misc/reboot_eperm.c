/*
 * reboot(2) as an unprivileged user is EPERM (it needs CAP_SYS_BOOT), even
 * with the right magic numbers and LINUX_REBOOT_CMD_POWER_OFF.  The
 * program refuses to run as root (conf_drop_privileges bails out if it
 * cannot drop), and on the host it also runs in a PID namespace.
 */
/* conformance: unprivileged */
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	conf_drop_privileges();
	if (geteuid() == 0 || getuid() == 0)
		bail_out("still root");
	is_syserr(conf_sys(SYS_reboot, CONF_REBOOT_MAGIC1, CONF_REBOOT_MAGIC2,
	    CONF_REBOOT_POWER_OFF, 0), EPERM, "reboot(2): power-off by an "
	    "unprivileged user is EPERM");
	return done_testing();
}
