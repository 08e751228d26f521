/*
 * The permission rules of sched_setscheduler(2) and sched_setaffinity(2)
 * for an unprivileged caller (sched(7), "Privileges and resource
 * limits"; sched_setscheduler(2), EPERM): with RLIMIT_RTPRIO 0 it may not
 * enter a real-time policy; with RLIMIT_RTPRIO 10 it may, up to priority
 * 10 and not above; it may not change another user's process (but may
 * read its policy, priority and mask), may not clear
 * SCHED_RESET_ON_FORK, and may not leave SCHED_IDLE while RLIMIT_NICE is
 * 0.  Each child drops root (conf_drop_privileges) after setting its
 * limits, records every result in a shared page, and never spins.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000
#endif

#define NRES	32

static long *res;

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

static void
limit(int resource, rlim_t value)
{
	struct rlimit rl = { value, value };

	if (setrlimit(resource, &rl) != 0)
		_exit(2);
}

/* RLIMIT_RTPRIO 0: no real time; other users' processes are off limits. */
static void
child_norights(void *arg)
{
	pid_t root = *(pid_t *)arg;
	struct sched_param sp;
	unsigned long one = 1, m[16];
	int i = 0;

	limit(RLIMIT_RTPRIO, 0);
	limit(RLIMIT_NICE, 0);
	conf_drop_privileges();
	res[i++] = setsched(0, SCHED_FIFO, 1);
	res[i++] = setsched(0, SCHED_RR, 1);
	res[i++] = setsched(root, SCHED_OTHER, 0);
	res[i++] = setparam(root, 0);
	res[i++] = conf_sys(SYS_sched_setaffinity, root, sizeof(one), &one);
	res[i++] = conf_sys(SYS_sched_getscheduler, root);
	res[i++] = conf_sys(SYS_sched_getparam, root, &sp);
	res[i++] = conf_sys(SYS_sched_getaffinity, root, sizeof(m), m) > 0;
	res[i++] = setsched(0, SCHED_BATCH, 0);
	res[i++] = setsched(0, SCHED_OTHER, 0);
	res[i++] = setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0);
	res[i++] = setsched(0, SCHED_OTHER, 0);
	res[i++] = setsched(0, SCHED_IDLE | SCHED_RESET_ON_FORK, 0);
	res[i++] = setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0);
	res[i++] = conf_sys(SYS_sched_getscheduler, 0);
	res[i++] = conf_sys(SYS_sched_setaffinity, 0, sizeof(one), &one);
}

/* RLIMIT_RTPRIO 10: real time up to priority 10. */
static void
child_rtprio10(void *arg)
{
	int i = 0;

	(void)arg;
	limit(RLIMIT_RTPRIO, 10);
	conf_drop_privileges();
	res[i++] = setsched(0, SCHED_FIFO, 5);
	res[i++] = setparam(0, 10);
	res[i++] = setparam(0, 11);
	res[i++] = setsched(0, SCHED_RR, 10);
	res[i++] = conf_sys(SYS_sched_getscheduler, 0);
	res[i++] = setparam(0, 1);
	res[i++] = setsched(0, SCHED_OTHER, 0);
	res[i++] = conf_sys(SYS_sched_getscheduler, 0);
}

/* May a child set RLIMIT_RTPRIO to 10?  Not in a root without it. */
static bool
can_raise_rtprio(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_RTPRIO, &rl) != 0)
		bail_out("getrlimit(RLIMIT_RTPRIO) failed");
	if (rl.rlim_max >= 10)
		return true;
	rl.rlim_max = 10;
	if (setrlimit(RLIMIT_RTPRIO, &rl) == 0)
		return true;
	diag("setrlimit(RLIMIT_RTPRIO, 10): %s", strerror(errno));
	return false;
}

int
main(int argc, char **argv)
{
	pid_t self;
	int i = 0;

	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	res = conf_shared(NRES * sizeof(long));
	self = getpid();

	is_exit(conf_in_child(child_norights, &self), 0, "the unprivileged "
	    "child ran");
	is_syserr(res[i++], EPERM, "sched_setscheduler(2): SCHED_FIFO with "
	    "RLIMIT_RTPRIO 0 is EPERM");
	is_syserr(res[i++], EPERM, "sched_setscheduler(2): SCHED_RR with "
	    "RLIMIT_RTPRIO 0 is EPERM");
	is_syserr(res[i++], EPERM, "sched_setscheduler(2): another user's "
	    "process is EPERM");
	is_syserr(res[i++], EPERM, "sched_setparam(2): another user's "
	    "process is EPERM");
	is_syserr(res[i++], EPERM, "sched_setaffinity(2): another user's "
	    "process is EPERM");
	is_long(res[i++], SCHED_OTHER, "sched_getscheduler(2): another "
	    "user's process may be read");
	is_long(res[i++], 0, "sched_getparam(2): another user's process may "
	    "be read");
	is_long(res[i++], 1, "sched_getaffinity(2): another user's process "
	    "may be read");
	is_long(res[i++], 0, "sched_setscheduler(2): SCHED_BATCH needs no "
	    "privilege");
	is_long(res[i++], 0, "sched_setscheduler(2): nor going back to "
	    "SCHED_OTHER");
	is_long(res[i++], 0, "sched_setscheduler(2): nor setting "
	    "SCHED_RESET_ON_FORK");
	is_syserr(res[i++], EPERM, "sched_setscheduler(2): clearing "
	    "SCHED_RESET_ON_FORK is EPERM");
	is_long(res[i++], 0, "sched_setscheduler(2): SCHED_IDLE needs no "
	    "privilege");
	is_syserr(res[i++], EPERM, "sched_setscheduler(2): leaving SCHED_IDLE "
	    "with RLIMIT_NICE 0 is EPERM");
	is_long(res[i++], SCHED_IDLE | SCHED_RESET_ON_FORK,
	    "sched_getscheduler(2): still SCHED_IDLE with the flag");
	is_long(res[i++], 0, "sched_setaffinity(2): its own mask needs no "
	    "privilege");

	i = 0;
	if (!can_raise_rtprio()) {
		skip(9, "RLIMIT_RTPRIO's hard limit is below 10 and this root "
		    "may not raise it (no CAP_SYS_RESOURCE)");
		return done_testing();
	}
	is_exit(conf_in_child(child_rtprio10, NULL), 0, "the child with "
	    "RLIMIT_RTPRIO 10 ran");
	is_long(res[i++], 0, "sched_setscheduler(2): SCHED_FIFO 5 within "
	    "RLIMIT_RTPRIO 10");
	is_long(res[i++], 0, "sched_setparam(2): raising to 10, the limit");
	is_syserr(res[i++], EPERM, "sched_setparam(2): raising to 11, above "
	    "the limit, is EPERM");
	is_long(res[i++], 0, "sched_setscheduler(2): SCHED_RR 10 within the "
	    "limit");
	is_long(res[i++], SCHED_RR, "sched_getscheduler(2): SCHED_RR");
	is_long(res[i++], 0, "sched_setparam(2): lowering needs no room");
	is_long(res[i++], 0, "sched_setscheduler(2): leaving real time needs "
	    "no privilege");
	is_long(res[i++], SCHED_OTHER, "sched_getscheduler(2): SCHED_OTHER "
	    "again");
	return done_testing();
}
