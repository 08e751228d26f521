/*
 * Scheduling across fork(2) (sched(7), "Privileges and resource limits"
 * and "Resetting scheduling policy for child processes"): a child
 * inherits its parent's policy, real-time priority and nice value; with
 * SCHED_RESET_ON_FORK a real-time parent's child is SCHED_OTHER with nice
 * 0, a child of a parent with a negative nice value gets 0 (a positive
 * one is kept), and the child does not inherit the flag, while the parent
 * keeps it.  Children report through a shared page.  Needs root.
 */
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000
#endif

struct report {
	long	policy;
	long	prio;
	long	nice;
};

static struct report *rep;

static long
setsched(int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return conf_sys(SYS_sched_setscheduler, 0, policy, &sp);
}

static void
child_report(void *arg)
{
	struct sched_param sp = { .sched_priority = -1 };

	(void)arg;
	rep->policy = conf_sys(SYS_sched_getscheduler, 0);
	rep->prio = conf_sys(SYS_sched_getparam, 0, &sp) == 0 ?
	    sp.sched_priority : -1;
	rep->nice = 20 - conf_sys(SYS_getpriority, PRIO_PROCESS, 0);
}

/* Run child_report in a child; 0 when it exited normally. */
static int
ask_child(void)
{
	rep->policy = rep->prio = rep->nice = -100;
	return conf_in_child(child_report, NULL) == 0 ? 0 : -1;
}

static void
set_nice(int nice)
{
	if (setpriority(PRIO_PROCESS, 0, nice) != 0)
		bail_out("setpriority(%d) failed", nice);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	rep = conf_shared(sizeof(*rep));

	set_nice(3);
	is_sysok(setsched(SCHED_RR, 30), "sched_setscheduler(2): SCHED_RR 30");
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->policy, SCHED_RR, "fork(2): the child inherits SCHED_RR");
	is_long(rep->prio, 30, "fork(2): and priority 30");
	is_long(rep->nice, 3, "fork(2): and nice 3");

	is_sysok(setsched(SCHED_FIFO | SCHED_RESET_ON_FORK, 40),
	    "sched_setscheduler(2): SCHED_FIFO 40 | SCHED_RESET_ON_FORK");
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->policy, SCHED_OTHER, "SCHED_RESET_ON_FORK: a real-time "
	    "parent's child is SCHED_OTHER, without the flag");
	is_long(rep->prio, 0, "SCHED_RESET_ON_FORK: with priority 0");
	is_long(rep->nice, 0, "SCHED_RESET_ON_FORK: and nice 0 (the parent "
	    "has 3)");
	is_long(conf_sys(SYS_sched_getscheduler, 0),
	    SCHED_FIFO | SCHED_RESET_ON_FORK, "SCHED_RESET_ON_FORK: the parent "
	    "keeps its policy and the flag");

	is_sysok(setsched(SCHED_OTHER | SCHED_RESET_ON_FORK, 0),
	    "sched_setscheduler(2): SCHED_OTHER | SCHED_RESET_ON_FORK");
	set_nice(-5);
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->policy, SCHED_OTHER, "SCHED_RESET_ON_FORK: SCHED_OTHER "
	    "stays");
	is_long(rep->nice, 0, "SCHED_RESET_ON_FORK: a negative nice value "
	    "(-5) becomes 0");
	set_nice(7);
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->nice, 7, "SCHED_RESET_ON_FORK: a positive nice value "
	    "(7) is kept");

	is_sysok(setsched(SCHED_OTHER, 0), "sched_setscheduler(2): "
	    "SCHED_OTHER without the flag (root)");
	set_nice(-4);
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->nice, -4, "fork(2): without the flag a negative nice "
	    "value is inherited");
	is_sysok(setsched(SCHED_BATCH, 0), "sched_setscheduler(2): "
	    "SCHED_BATCH");
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->policy, SCHED_BATCH, "fork(2): the child inherits "
	    "SCHED_BATCH");
	is_sysok(setsched(SCHED_IDLE, 0), "sched_setscheduler(2): "
	    "SCHED_IDLE");
	is_long(ask_child(), 0, "fork(2): the child ran");
	is_long(rep->policy, SCHED_IDLE, "fork(2): the child inherits "
	    "SCHED_IDLE");
	is_sysok(setsched(SCHED_OTHER, 0), "sched_setscheduler(2): back to "
	    "SCHED_OTHER");
	set_nice(0);
	return done_testing();
}
