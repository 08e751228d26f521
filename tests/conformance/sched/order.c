/*
 * The order real-time threads run in, on one CPU (sched(7), "SCHED_FIFO:
 * First in-first out scheduling"): a runnable thread of higher priority
 * preempts the running one at once; when the parent blocks, its children
 * run highest priority first and SCHED_OTHER after every real-time one;
 * sched_yield(2) puts a SCHED_FIFO thread behind its equals.  Orders,
 * not times: every child appends its mark to a shared log and exits (or
 * yields), so nothing ever spins.  The program pins itself to CPU 0
 * first; children inherit that.  Needs root.
 */
#include <sched.h>
#include <unistd.h>

#include "conf.h"

struct log {
	int	n;
	int	marks[16];
};

static struct log *lg;

static void
mark(int m)
{
	int i = __atomic_fetch_add(&lg->n, 1, __ATOMIC_SEQ_CST);

	if (i < 16)
		lg->marks[i] = m;
}

static long
setsched(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return conf_sys(SYS_sched_setscheduler, pid, policy, &sp);
}

/* A child that marks m (and again m + 10 after a yield if asked). */
static pid_t
spawn(int m, int yield)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		mark(m);
		if (yield) {
			conf_sys(SYS_sched_yield);
			mark(m + 10);
		}
		_exit(0);
	}
	return pid;
}

static void
log_is(const int *want, int n, const char *what)
{
	int i, same = lg->n == n;

	for (i = 0; same && i < n; i++)
		same = lg->marks[i] == want[i];
	if (!same) {
		for (i = 0; i < lg->n && i < 16; i++)
			diag("mark %d: %d", i, lg->marks[i]);
	}
	ok(same, "%s", what);
}

static void
back_to_normal(void)
{
	if (setsched(0, SCHED_OTHER, 0) != 0)
		bail_out("cannot leave SCHED_FIFO");
}

int
main(int argc, char **argv)
{
	static const int prio_order[] = { 4, 2, 1, 3 };
	static const int yield_order[] = { 1, 2, 11, 12 };
	unsigned long cpu0 = 1;
	pid_t a, b, c, d;

	(void)argc;
	conf_init(argv);
	if (geteuid() != 0)
		bail_out("this program needs root (run it through the "
		    "conformance runner)");
	lg = conf_shared(sizeof(*lg));
	if (conf_sys(SYS_sched_setaffinity, 0, sizeof(cpu0), &cpu0) != 0)
		bail_out("cannot pin this program to CPU 0");

	is_sysok(setsched(0, SCHED_FIFO, 90), "sched_setscheduler(2): the "
	    "parent becomes SCHED_FIFO 90");
	a = spawn(1, 0);
	b = spawn(2, 0);
	c = spawn(3, 0);
	d = spawn(4, 0);
	is_long(lg->n, 0, "SCHED_FIFO: children of equal priority wait while "
	    "the parent runs");
	is_sysok(setsched(a, SCHED_FIFO, 10), "sched_setscheduler(2): child "
	    "1 to SCHED_FIFO 10");
	is_sysok(setsched(b, SCHED_FIFO, 20), "sched_setscheduler(2): child "
	    "2 to SCHED_FIFO 20");
	is_sysok(setsched(c, SCHED_OTHER, 0), "sched_setscheduler(2): child "
	    "3 to SCHED_OTHER");
	is_long(lg->n, 0, "SCHED_FIFO: lowered children do not run yet");
	is_sysok(setsched(d, SCHED_FIFO, 95), "sched_setscheduler(2): child "
	    "4 to SCHED_FIFO 95");
	is_long(lg->n, 1, "SCHED_FIFO: raising child 4 above the parent lets "
	    "it run before the call returns");
	conf_wait(a);
	conf_wait(b);
	conf_wait(c);
	conf_wait(d);
	log_is(prio_order, 4, "SCHED_FIFO: then, as the parent waits, 2 "
	    "(prio 20), 1 (prio 10), 3 (SCHED_OTHER)");

	lg->n = 0;
	is_sysok(setsched(0, SCHED_FIFO, 50), "sched_setscheduler(2): the "
	    "parent becomes SCHED_FIFO 50");
	a = spawn(1, 1);
	b = spawn(2, 1);
	conf_wait(a);
	conf_wait(b);
	back_to_normal();
	log_is(yield_order, 4, "sched_yield(2): two SCHED_FIFO 50 children "
	    "take turns: 1, 2, 1, 2");
	return done_testing();
}
