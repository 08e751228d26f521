/*
 * times(2): the return value is elapsed real time in clock ticks
 * (sysconf(_SC_CLK_TCK)), tms_utime+tms_stime grow while the process
 * computes, and tms_cutime+tms_cstime count a waited-for child.  Spinning
 * 300 ms must count at least 10% of it.
 */
#include <sys/times.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct tms t0, t1, t2;
	long r0, r1, tck;
	int64_t a, b;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	tck = sysconf(_SC_CLK_TCK);	/* USER_HZ: 100 on Linux x86_64 */
	if (tck <= 0)
		bail_out("sysconf(_SC_CLK_TCK) is %ld", tck);
	a = conf_now_ns(CLOCK_MONOTONIC);
	r0 = conf_sys(SYS_times, &t0);
	conf_spin_ms(300);
	r1 = conf_sys(SYS_times, &t1);
	b = conf_now_ns(CLOCK_MONOTONIC);
	is_sysok(r0, "times(2): succeeds");
	/* [r0, r1] holds the 300 ms spin and lies within [a, b]. */
	cmp_long(r1 - r0, ">=", 300 * tck / 1000 - 2, "times(2): the return "
	    "value advances with real time (300 ms in clock ticks)");
	cmp_long(r1 - r0, "<=", (b - a) / CONF_MS * tck / 1000 + 2,
	    "times(2): and not faster than real time");
	cmp_long((t1.tms_utime + t1.tms_stime) - (t0.tms_utime +
	    t0.tms_stime), ">=", 3 * tck / 100, "times(2): tms_utime + "
	    "tms_stime grow by at least 30 ms over 300 ms of computing");
	is_long(t1.tms_cutime + t1.tms_cstime, 0, "times(2): no child "
	    "waited for yet: tms_cutime + tms_cstime are 0");

	pid = conf_fork();
	if (pid == 0) {
		conf_spin_ms(300);
		_exit(0);
	}
	conf_wait(pid);
	conf_sys(SYS_times, &t2);
	cmp_long(t2.tms_cutime + t2.tms_cstime, ">=", 3 * tck / 100,
	    "times(2): a waited-for child's 300 ms of computing count in "
	    "tms_cutime + tms_cstime");
	is_sysok(conf_sys(SYS_times, NULL), "times(2): a NULL buffer is "
	    "allowed (Linux)");
	is_syserr(conf_sys(SYS_times, CONF_KERNEL_ADDR), EFAULT, "times(2): "
	    "a bad buffer is EFAULT");
	return done_testing();
}
