/*
 * reboot(2) with wrong magic numbers or an unknown command is EINVAL.
 * That needs the privilege (CAP_SYS_BOOT is checked first), so this runs
 * as root; on the host it runs in a PID namespace, where even a real
 * command would only end the namespace.  Nothing here can reboot.
 */
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	is_syserr(conf_sys(SYS_reboot, 0x12345678, CONF_REBOOT_MAGIC2,
	    CONF_REBOOT_POWER_OFF, 0), EINVAL, "reboot(2): a wrong magic "
	    "(magic1) is EINVAL");
	is_syserr(conf_sys(SYS_reboot, CONF_REBOOT_MAGIC1, 0x12345678,
	    CONF_REBOOT_POWER_OFF, 0), EINVAL, "reboot(2): a wrong magic2 is "
	    "EINVAL");
	is_syserr(conf_sys(SYS_reboot, CONF_REBOOT_MAGIC1, CONF_REBOOT_MAGIC2,
	    0x12345678, 0), EINVAL, "reboot(2): an unknown command is "
	    "EINVAL");
	return done_testing();
}
