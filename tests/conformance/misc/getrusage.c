/*
 * getrusage(2) RUSAGE_SELF and RUSAGE_CHILDREN, and the rusage wait4(2)
 * returns: CPU time grows while computing (300 ms of spinning must count
 * at least 30 ms), children count once waited for; EINVAL, EFAULT.
 */
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

static long long
cpu_ms(const struct rusage *ru)
{
	return (long long)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
	    (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

int
main(int argc, char **argv)
{
	struct rusage r0, r1, rc, rw;
	pid_t pid;
	int st;

	(void)argc;
	conf_init(argv);
	is_success(getrusage(RUSAGE_SELF, &r0), "getrusage(2): RUSAGE_SELF "
	    "succeeds");
	ok(r0.ru_utime.tv_usec >= 0 && r0.ru_utime.tv_usec < 1000000 &&
	    r0.ru_stime.tv_usec >= 0 && r0.ru_stime.tv_usec < 1000000,
	    "getrusage(2): tv_usec fields are in [0, 1e6)");
	conf_spin_ms(300);
	getrusage(RUSAGE_SELF, &r1);
	cmp_long(cpu_ms(&r1) - cpu_ms(&r0), ">=", 30, "getrusage(2): "
	    "RUSAGE_SELF user+system time grows while computing");
	is_success(getrusage(RUSAGE_CHILDREN, &rc), "getrusage(2): "
	    "RUSAGE_CHILDREN succeeds");
	is_long(cpu_ms(&rc), 0, "getrusage(2): RUSAGE_CHILDREN is 0 before "
	    "any child was waited for");

	pid = conf_fork();
	if (pid == 0) {
		conf_spin_ms(300);
		_exit(0);
	}
	memset(&rw, 0, sizeof(rw));
	if (wait4(pid, &st, 0, &rw) != pid)
		bail_out("wait4: %s", tap_errname(errno));
	cmp_long(cpu_ms(&rw), ">=", 30, "wait4(2): the rusage returned "
	    "holds the child's CPU time");
	getrusage(RUSAGE_CHILDREN, &rc);
	cmp_long(cpu_ms(&rc), ">=", 30, "getrusage(2): RUSAGE_CHILDREN "
	    "counts the waited-for child");

	is_errno(getrusage(5, &r0), EINVAL, "getrusage(2): an unknown who "
	    "is EINVAL");
	is_syserr(conf_sys(SYS_getrusage, RUSAGE_SELF, CONF_KERNEL_ADDR),
	    EFAULT, "getrusage(2): a bad buffer is EFAULT");
	return done_testing();
}
