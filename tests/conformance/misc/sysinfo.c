/*
 * sysinfo(2): uptime agrees with CLOCK_BOOTTIME, memory figures are
 * consistent (in units of mem_unit bytes), at least one process exists.
 */
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct sysinfo si;
	struct timespec boot;
	unsigned long long total;

	(void)argc;
	conf_init(argv);
	is_sysok(conf_sys(SYS_sysinfo, &si), "sysinfo(2): succeeds");
	conf_sys(SYS_clock_gettime, CLOCK_BOOTTIME, &boot);
	cmp_long(si.uptime, ">=", (long)boot.tv_sec - 1, "sysinfo(2): uptime "
	    "is the seconds of CLOCK_BOOTTIME (not less)");
	cmp_long(si.uptime, "<=", (long)boot.tv_sec + 1, "sysinfo(2): uptime "
	    "is the seconds of CLOCK_BOOTTIME (not more)");
	ok(si.mem_unit >= 1, "sysinfo(2): mem_unit is at least 1");
	total = (unsigned long long)si.totalram * si.mem_unit;
	cmp_long((long long)(total >> 20), ">=", 16, "sysinfo(2): totalram "
	    "is at least 16 MiB");
	ok(si.freeram <= si.totalram, "sysinfo(2): freeram <= totalram");
	ok(si.freeram > 0, "sysinfo(2): some RAM is free");
	ok(si.freeswap <= si.totalswap, "sysinfo(2): freeswap <= totalswap");
	cmp_long(si.procs, ">=", 1, "sysinfo(2): procs counts at least this "
	    "process");
	return done_testing();
}
