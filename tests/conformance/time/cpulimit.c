/*
 * RLIMIT_CPU (getrlimit(2)): at the soft limit the process gets SIGXCPU,
 * and Linux moves the soft limit a second on for the next one; at the
 * hard limit SIGKILL.  With no handler, SIGXCPU's default action ends the
 * process.  Each case spins in a child that reports through a shared
 * page.
 */
/* conformance: timeout=120 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

struct shared {
	volatile int	nxcpu;
	volatile long	cur_after;	/* the soft limit in the handler */
};

static struct shared *sh;

static void
on_xcpu(int sig)
{
	struct rlimit rl;

	(void)sig;
	if (sh->nxcpu++ == 0 && getrlimit(RLIMIT_CPU, &rl) == 0)
		sh->cur_after = (long)rl.rlim_cur;
}

/* Burn CPU for up to 60 s of wall time; the limit ends it before. */
static void
spin(void)
{
	conf_spin_ms(60000);
}

static void
child_hard(void *arg)
{
	struct rlimit rl = { 1, 2 };
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_xcpu;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXCPU, &sa, NULL);
	if (setrlimit(RLIMIT_CPU, &rl) != 0)
		_exit(2);
	spin();
	_exit(3);
}

static void
child_soft(void *arg)
{
	struct rlimit rl = { 1, RLIM_INFINITY };

	(void)arg;
	if (setrlimit(RLIMIT_CPU, &rl) != 0)
		_exit(2);
	spin();
	_exit(3);
}

int
main(int argc, char **argv)
{
	int status;

	(void)argc;
	conf_init(argv);
	sh = conf_shared(sizeof(*sh));
	sh->cur_after = -1;

	status = conf_in_child(child_hard, NULL);
	is_signal(status, SIGKILL, "RLIMIT_CPU: the hard limit (2 s) kills "
	    "with SIGKILL");
	cmp_long(sh->nxcpu, ">=", 1, "RLIMIT_CPU: the soft limit (1 s) sent "
	    "SIGXCPU first");
	is_long(sh->cur_after, 2, "RLIMIT_CPU: SIGXCPU moved the soft limit "
	    "to 2 s");

	status = conf_in_child(child_soft, NULL);
	is_signal(status, SIGXCPU, "RLIMIT_CPU: SIGXCPU's default action "
	    "ends the process");
	return done_testing();
}
