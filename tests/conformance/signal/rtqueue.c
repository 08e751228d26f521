/*
 * Real-time signals queue (signal(7), "Real-time signals"): each
 * sigqueue(3) of a blocked real-time signal is a pending instance with its
 * own value, taken oldest first; a standard signal is pending once however
 * often it is sent; real-time signals come lowest number first; and
 * RLIMIT_SIGPENDING bounds the queue (EAGAIN).  rt_tgsigqueueinfo(2)
 * queues to one thread.
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

static int order[8];
static int norder;

static void
record(int sig)
{
	if (norder < 8)
		order[norder++] = sig;
}

/* A nobody child: with RLIMIT_SIGPENDING 2, the third sigqueue fails. */
static void
limited(void *arg)
{
	struct rlimit rl = { 2, 2 };
	union sigval v = { .sival_int = 0 };
	sigset_t set;

	(void)arg;
	conf_drop_privileges();
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (setrlimit(RLIMIT_SIGPENDING, &rl) != 0)
		_exit(10);
	if (sigqueue(getpid(), SIGRTMIN + 1, v) != 0 ||
	    sigqueue(getpid(), SIGRTMIN + 1, v) != 0)
		_exit(11);
	if (sigqueue(getpid(), SIGRTMIN + 1, v) != -1 || errno != EAGAIN)
		_exit(12);
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	union sigval v;
	siginfo_t si;
	sigset_t set;
	struct timespec zero = { 0, 0 };
	int i, vals_ok = 1, n;

	(void)argc;
	conf_init(argv);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 2);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < 5; i++) {
		v.sival_int = 100 + i;
		is_long(sigqueue(getpid(), SIGRTMIN, v), 0,
		    "sigqueue(SIGRTMIN) instance %d", i);
	}
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	is_long(sigtimedwait(&set, &si, &zero), SIGUSR1,
	    "the standard signal (lower number) comes first");
	for (i = 0; i < 5; i++) {
		memset(&si, 0, sizeof(si));
		if (sigtimedwait(&set, &si, &zero) != SIGRTMIN ||
		    si.si_value.sival_int != 100 + i || si.si_code != SI_QUEUE)
			vals_ok = 0;
	}
	ok(vals_ok, "five queued SIGRTMIN instances come back in order with "
	    "their values and SI_QUEUE");
	is_errno(sigtimedwait(&set, &si, &zero), EAGAIN,
	    "the standard signal sent twice was pending once");

	/* Each handler blocks the others: one runs at a time, in order. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = record;
	sa.sa_mask = set;
	sigaction(SIGRTMIN, &sa, NULL);
	sigaction(SIGRTMIN + 2, &sa, NULL);
	v.sival_int = 0;
	sigqueue(getpid(), SIGRTMIN + 2, v);
	sigqueue(getpid(), SIGRTMIN, v);
	sigqueue(getpid(), SIGRTMIN + 2, v);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	n = norder;
	is_long(n, 3, "three real-time handlers ran");
	ok(n == 3 && order[0] == SIGRTMIN && order[1] == SIGRTMIN + 2 &&
	    order[2] == SIGRTMIN + 2, "the lowest real-time signal first");

	is_exit(conf_in_child(limited, NULL), 0,
	    "RLIMIT_SIGPENDING 2: the third queued signal is EAGAIN");

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_signo = SIGRTMIN;
	is_syserr(conf_sys(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGRTMIN, &si),
	    EINVAL, "rt_tgsigqueueinfo: tid 0 is EINVAL");
	is_syserr(conf_sys(SYS_rt_tgsigqueueinfo, getpid(), getpid() + 100000,
	    SIGRTMIN, &si), ESRCH, "rt_tgsigqueueinfo: no such thread");
	sigprocmask(SIG_BLOCK, &set, NULL);
	si.si_value.sival_int = 42;
	is_sysok(conf_sys(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN,
	    &si), "rt_tgsigqueueinfo to the caller's own thread");
	memset(&si, 0, sizeof(si));
	is_long(sigtimedwait(&set, &si, &zero), SIGRTMIN, "... is pending");
	is_long(si.si_value.sival_int, 42, "... with its value");
	return done_testing();
}
