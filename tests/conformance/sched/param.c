/*
 * sched_setscheduler(2), sched_getscheduler(2), sched_setparam(2),
 * sched_getparam(2), sched_get_priority_max(2), sched_get_priority_min(2)
 * and sched_rr_get_interval(2) on the calling thread: every policy's round
 * trip, the priority ranges, SCHED_RESET_ON_FORK in getscheduler's
 * answer, and the error paths in Linux's order (EINVAL for a NULL param
 * or a negative pid before EFAULT, before ESRCH, before a bad policy or
 * priority).  Raw calls: musl's sched_setscheduler wrappers return ENOSYS
 * without asking the kernel.  Needs root (real-time policies); the
 * program never spins while real time.
 */
#include <sched.h>
#include <unistd.h>

#include "conf.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000
#endif

static long
setsched(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return conf_sys(SYS_sched_setscheduler, pid, policy, &sp);
}

static long
setparam(pid_t pid, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return conf_sys(SYS_sched_setparam, pid, &sp);
}

static long
getprio(pid_t pid)
{
	struct sched_param sp = { .sched_priority = -1 };
	long r = conf_sys(SYS_sched_getparam, pid, &sp);

	return r < 0 ? r : sp.sched_priority;
}

static long
interval_ns(pid_t pid)
{
	struct timespec ts = { -1, -1 };
	long r = conf_sys(SYS_sched_rr_get_interval, pid, &ts);

	return r < 0 ? r : ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void
ranges(void)
{
	is_long(conf_sys(SYS_sched_get_priority_max, SCHED_FIFO), 99,
	    "sched_get_priority_max(2): SCHED_FIFO is 99");
	is_long(conf_sys(SYS_sched_get_priority_max, SCHED_RR), 99,
	    "sched_get_priority_max(2): SCHED_RR is 99");
	is_long(conf_sys(SYS_sched_get_priority_min, SCHED_FIFO), 1,
	    "sched_get_priority_min(2): SCHED_FIFO is 1");
	is_long(conf_sys(SYS_sched_get_priority_min, SCHED_RR), 1,
	    "sched_get_priority_min(2): SCHED_RR is 1");
	is_long(conf_sys(SYS_sched_get_priority_max, SCHED_OTHER), 0,
	    "sched_get_priority_max(2): SCHED_OTHER is 0");
	is_long(conf_sys(SYS_sched_get_priority_min, SCHED_OTHER), 0,
	    "sched_get_priority_min(2): SCHED_OTHER is 0");
	is_long(conf_sys(SYS_sched_get_priority_max, SCHED_BATCH), 0,
	    "sched_get_priority_max(2): SCHED_BATCH is 0");
	is_long(conf_sys(SYS_sched_get_priority_max, SCHED_IDLE), 0,
	    "sched_get_priority_max(2): SCHED_IDLE is 0");
	is_syserr(conf_sys(SYS_sched_get_priority_max, 4), EINVAL,
	    "sched_get_priority_max(2): policy 4 (none) is EINVAL");
	is_syserr(conf_sys(SYS_sched_get_priority_min, -1), EINVAL,
	    "sched_get_priority_min(2): policy -1 is EINVAL");
	is_syserr(conf_sys(SYS_sched_get_priority_max,
	    SCHED_FIFO | SCHED_RESET_ON_FORK), EINVAL,
	    "sched_get_priority_max(2): the RESET_ON_FORK flag is no policy");
}

static void
round_trips(void)
{
	pid_t self = getpid();

	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_OTHER,
	    "sched_getscheduler(2): a test starts as SCHED_OTHER");
	is_long(getprio(0), 0, "sched_getparam(2): with priority 0");
	is_sysok(setsched(0, SCHED_FIFO, 10), "sched_setscheduler(2): root "
	    "may become SCHED_FIFO 10");
	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_FIFO,
	    "sched_getscheduler(2): reports SCHED_FIFO");
	is_long(getprio(self), 10, "sched_getparam(2): priority 10, "
	    "by pid too");
	is_long(interval_ns(0), 0, "sched_rr_get_interval(2): 0 for "
	    "SCHED_FIFO (no time slice)");
	is_sysok(setparam(0, 20), "sched_setparam(2): a new priority");
	is_long(conf_sys(SYS_sched_getscheduler, self), SCHED_FIFO,
	    "sched_setparam(2): keeps the policy");
	is_long(getprio(0), 20, "sched_setparam(2): priority 20");
	is_syserr(setparam(0, 0), EINVAL, "sched_setparam(2): priority 0 "
	    "for SCHED_FIFO is EINVAL");
	is_sysok(setsched(0, SCHED_RR, 99), "sched_setscheduler(2): "
	    "SCHED_RR 99");
	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_RR,
	    "sched_getscheduler(2): reports SCHED_RR");
	is_long(getprio(0), 99, "sched_getparam(2): priority 99");
	cmp_long(interval_ns(0), ">", 0, "sched_rr_get_interval(2): SCHED_RR "
	    "has a time slice");
	is_sysok(setsched(0, SCHED_OTHER, 0), "sched_setscheduler(2): back "
	    "to SCHED_OTHER");
	is_long(getprio(0), 0, "sched_getparam(2): priority 0 again");
	cmp_long(interval_ns(0), ">=", 0, "sched_rr_get_interval(2): "
	    "SCHED_OTHER succeeds too");
	is_sysok(setsched(0, SCHED_BATCH, 0), "sched_setscheduler(2): "
	    "SCHED_BATCH");
	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_BATCH,
	    "sched_getscheduler(2): reports SCHED_BATCH");
	is_sysok(setsched(0, SCHED_IDLE, 0), "sched_setscheduler(2): "
	    "SCHED_IDLE");
	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_IDLE,
	    "sched_getscheduler(2): reports SCHED_IDLE");
	is_sysok(setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0),
	    "sched_setscheduler(2): SCHED_OTHER | SCHED_RESET_ON_FORK");
	is_long(conf_sys(SYS_sched_getscheduler, 0),
	    SCHED_OTHER | SCHED_RESET_ON_FORK, "sched_getscheduler(2): "
	    "reports the flag");
	is_sysok(setparam(0, 0), "sched_setparam(2): priority 0 again");
	is_long(conf_sys(SYS_sched_getscheduler, 0),
	    SCHED_OTHER | SCHED_RESET_ON_FORK, "sched_setparam(2): keeps the "
	    "flag");
	is_sysok(setsched(0, SCHED_OTHER, 0), "sched_setscheduler(2): root "
	    "may clear the flag");
	is_long(conf_sys(SYS_sched_getscheduler, 0), SCHED_OTHER,
	    "sched_getscheduler(2): without the flag");
}

static void
errors(pid_t gone)
{
	struct sched_param sp = { .sched_priority = 0 };
	struct timespec ts;

	is_syserr(conf_sys(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL),
	    EINVAL, "sched_setscheduler(2): a NULL param is EINVAL");
	is_syserr(conf_sys(SYS_sched_setscheduler, -1, SCHED_OTHER, &sp),
	    EINVAL, "sched_setscheduler(2): a negative pid is EINVAL");
	is_syserr(conf_sys(SYS_sched_setscheduler, 0, -1, &sp), EINVAL,
	    "sched_setscheduler(2): a negative policy is EINVAL");
	is_syserr(conf_sys(SYS_sched_setscheduler, 0, SCHED_OTHER,
	    (void *)1), EFAULT, "sched_setscheduler(2): a bad param is "
	    "EFAULT");
	is_syserr(conf_sys(SYS_sched_setscheduler, gone, SCHED_OTHER,
	    (void *)1), EFAULT, "sched_setscheduler(2): EFAULT comes before "
	    "ESRCH");
	is_syserr(setsched(gone, SCHED_OTHER, 0), ESRCH,
	    "sched_setscheduler(2): a pid that is gone is ESRCH");
	is_syserr(setsched(gone, 4, 0), ESRCH, "sched_setscheduler(2): "
	    "ESRCH comes before a bad policy");
	is_syserr(setsched(0, 4, 0), EINVAL, "sched_setscheduler(2): policy "
	    "4 is EINVAL");
	is_syserr(setsched(0, 42, 0), EINVAL, "sched_setscheduler(2): policy "
	    "42 is EINVAL");
	is_syserr(setsched(0, SCHED_FIFO, 0), EINVAL, "sched_setscheduler(2):"
	    " SCHED_FIFO with priority 0 is EINVAL");
	is_syserr(setsched(0, SCHED_RR, 100), EINVAL, "sched_setscheduler(2):"
	    " priority 100 is EINVAL");
	is_syserr(setsched(0, SCHED_FIFO, -1), EINVAL, "sched_setscheduler(2):"
	    " priority -1 is EINVAL");
	is_syserr(setsched(0, SCHED_OTHER, 1), EINVAL, "sched_setscheduler(2):"
	    " SCHED_OTHER with priority 1 is EINVAL");
	is_syserr(setsched(0, SCHED_DEADLINE, 0), EINVAL,
	    "sched_setscheduler(2): SCHED_DEADLINE without its parameters is "
	    "EINVAL");
	is_syserr(conf_sys(SYS_sched_setparam, 0, NULL), EINVAL,
	    "sched_setparam(2): a NULL param is EINVAL");
	is_syserr(setparam(-1, 0), EINVAL, "sched_setparam(2): a negative "
	    "pid is EINVAL");
	is_syserr(conf_sys(SYS_sched_setparam, 0, (void *)1), EFAULT,
	    "sched_setparam(2): a bad param is EFAULT");
	is_syserr(setparam(gone, 0), ESRCH, "sched_setparam(2): a pid that "
	    "is gone is ESRCH");
	is_syserr(setparam(0, 5), EINVAL, "sched_setparam(2): priority 5 "
	    "for SCHED_OTHER is EINVAL");
	is_syserr(conf_sys(SYS_sched_getscheduler, -1), EINVAL,
	    "sched_getscheduler(2): a negative pid is EINVAL");
	is_syserr(conf_sys(SYS_sched_getscheduler, gone), ESRCH,
	    "sched_getscheduler(2): a pid that is gone is ESRCH");
	is_syserr(conf_sys(SYS_sched_getparam, 0, NULL), EINVAL,
	    "sched_getparam(2): a NULL param is EINVAL");
	is_syserr(getprio(-1), EINVAL, "sched_getparam(2): a negative pid is "
	    "EINVAL");
	is_syserr(getprio(gone), ESRCH, "sched_getparam(2): a pid that is "
	    "gone is ESRCH");
	is_syserr(conf_sys(SYS_sched_getparam, 0, (void *)1), EFAULT,
	    "sched_getparam(2): a bad param is EFAULT");
	is_syserr(conf_sys(SYS_sched_rr_get_interval, -1, &ts), EINVAL,
	    "sched_rr_get_interval(2): a negative pid is EINVAL");
	is_syserr(conf_sys(SYS_sched_rr_get_interval, gone, &ts), ESRCH,
	    "sched_rr_get_interval(2): a pid that is gone is ESRCH");
	is_syserr(conf_sys(SYS_sched_rr_get_interval, 0, NULL), EFAULT,
	    "sched_rr_get_interval(2): a NULL interval is EFAULT");
}

int
main(int argc, char **argv)
{
	pid_t gone;

	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	gone = conf_fork();
	if (gone == 0)
		_exit(0);
	conf_wait(gone);
	ranges();
	round_trips();
	errors(gone);
	return done_testing();
}
