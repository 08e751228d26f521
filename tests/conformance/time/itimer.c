/*
 * getitimer(2) and setitimer(2): EINVAL for a bad which or timeval, the
 * old value returned, a stopped timer reads zero, a running one its rest
 * and its interval, a NULL new value disarms (Linux); ITIMER_REAL firing
 * once and periodically (counted with sigtimedwait), ITIMER_VIRTUAL and
 * ITIMER_PROF firing while the process spins in user mode.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "conf.h"

#define WAIT_S		20	/* a bound on each wait, not a measure */

static volatile int nvtalrm, nprof;

static void
on_vtalrm(int sig)
{
	(void)sig;
	nvtalrm++;
}

static void
on_prof(int sig)
{
	(void)sig;
	nprof++;
}

static void
set_tv(struct itimerval *itv, long vs, long vus, long is, long ius)
{
	itv->it_value.tv_sec = vs;
	itv->it_value.tv_usec = vus;
	itv->it_interval.tv_sec = is;
	itv->it_interval.tv_usec = ius;
}

static void
test_errors(void)
{
	struct itimerval itv;

	is_syserr(conf_sys(SYS_getitimer, 3, &itv), EINVAL, "getitimer(2): "
	    "which 3 is EINVAL");
	is_syserr(conf_sys(SYS_getitimer, -1, &itv), EINVAL, "getitimer(2): "
	    "which -1 is EINVAL");
	set_tv(&itv, 1, 0, 0, 0);
	is_syserr(conf_sys(SYS_setitimer, 3, &itv, NULL), EINVAL,
	    "setitimer(2): which 3 is EINVAL");
	set_tv(&itv, 1, 1000000, 0, 0);
	is_syserr(conf_sys(SYS_setitimer, ITIMER_REAL, &itv, NULL), EINVAL,
	    "setitimer(2): tv_usec 1000000 is EINVAL");
	set_tv(&itv, 1, -1, 0, 0);
	is_syserr(conf_sys(SYS_setitimer, ITIMER_REAL, &itv, NULL), EINVAL,
	    "setitimer(2): tv_usec -1 is EINVAL");
	set_tv(&itv, 1, 0, 0, 1000000);
	is_syserr(conf_sys(SYS_setitimer, ITIMER_VIRTUAL, &itv, NULL), EINVAL,
	    "setitimer(2): an interval's tv_usec 1000000 is EINVAL");
	is_syserr(conf_sys(SYS_getitimer, ITIMER_REAL, (void *)8), EFAULT,
	    "getitimer(2): a bad pointer is EFAULT");
	is_syserr(conf_sys(SYS_setitimer, ITIMER_REAL, (void *)8, NULL),
	    EFAULT, "setitimer(2): a bad new value is EFAULT");
}

static void
test_values(void)
{
	struct itimerval itv, old;
	int which;

	for (which = ITIMER_REAL; which <= ITIMER_PROF; which++) {
		memset(&itv, 0xff, sizeof(itv));
		is_success(getitimer(which, &itv), "getitimer(2): which %d",
		    which);
		ok(itv.it_value.tv_sec == 0 && itv.it_value.tv_usec == 0 &&
		    itv.it_interval.tv_sec == 0 &&
		    itv.it_interval.tv_usec == 0,
		    "getitimer(2): which %d is stopped at first (all zero)",
		    which);
	}
	for (which = ITIMER_REAL; which <= ITIMER_PROF; which++) {
		set_tv(&itv, 100, 0, 7, 250000);
		is_success(setitimer(which, &itv, NULL), "setitimer(2): arm "
		    "which %d for 100 s, every 7.25 s", which);
		getitimer(which, &old);
		ok(old.it_value.tv_sec <= 100 && (old.it_value.tv_sec > 90 ||
		    (old.it_value.tv_sec == 100 && old.it_value.tv_usec == 0)),
		    "getitimer(2): which %d running reads its rest (%ld s)",
		    which, (long)old.it_value.tv_sec);
		ok(old.it_interval.tv_sec == 7 &&
		    old.it_interval.tv_usec == 250000,
		    "getitimer(2): which %d reads its interval", which);
		set_tv(&itv, 50, 0, 0, 0);
		memset(&old, 0, sizeof(old));
		is_success(setitimer(which, &itv, &old), "setitimer(2): "
		    "re-arm which %d", which);
		ok(old.it_value.tv_sec > 90 && old.it_interval.tv_sec == 7 &&
		    old.it_interval.tv_usec == 250000,
		    "setitimer(2): which %d returns the old value", which);
		is_sysok(conf_sys(SYS_setitimer, which, NULL, &old),
		    "setitimer(2): a NULL new value is accepted (Linux)");
		ok(old.it_value.tv_sec > 40 && old.it_value.tv_sec <= 50,
		    "setitimer(2): ... and returns the old value");
		getitimer(which, &itv);
		ok(itv.it_value.tv_sec == 0 && itv.it_value.tv_usec == 0,
		    "setitimer(2): ... and stops which %d", which);
	}
}

static void
test_real(void)
{
	struct timespec ts = { WAIT_S, 0 }, zero = { 0, 0 };
	struct itimerval itv;
	siginfo_t si;
	sigset_t s;
	int i, n;

	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);

	set_tv(&itv, 0, 20000, 0, 0);
	setitimer(ITIMER_REAL, &itv, NULL);
	memset(&si, 0, sizeof(si));
	is_long(sigtimedwait(&s, &si, &ts), SIGALRM, "ITIMER_REAL: a "
	    "one-shot timer sends SIGALRM");
	is_long(si.si_code, SI_KERNEL, "ITIMER_REAL: si_code SI_KERNEL");
	getitimer(ITIMER_REAL, &itv);
	ok(itv.it_value.tv_sec == 0 && itv.it_value.tv_usec == 0,
	    "ITIMER_REAL: stopped after its one expiry");
	is_errno(sigtimedwait(&s, &si, &zero), EAGAIN, "ITIMER_REAL: a "
	    "one-shot timer fires once");

	set_tv(&itv, 0, 20000, 0, 20000);
	setitimer(ITIMER_REAL, &itv, NULL);
	for (i = 0, n = 0; i < 5; i++)
		if (sigtimedwait(&s, &si, &ts) == SIGALRM)
			n++;
	is_long(n, 5, "ITIMER_REAL: a periodic timer sends SIGALRM again "
	    "and again (5 taken)");
	getitimer(ITIMER_REAL, &itv);
	ok(itv.it_value.tv_sec != 0 || itv.it_value.tv_usec != 0,
	    "ITIMER_REAL: a periodic timer is still running");
	set_tv(&itv, 0, 0, 0, 0);
	setitimer(ITIMER_REAL, &itv, NULL);
	while (sigtimedwait(&s, &si, &zero) == SIGALRM)
		;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

/* Spin in user mode until *count reaches n or WAIT_S seconds pass. */
static void
spin_until(volatile int *count, int n)
{
	int64_t end = conf_now_ns(CLOCK_MONOTONIC) + WAIT_S * 1000 * CONF_MS;

	while (*count < n && conf_now_ns(CLOCK_MONOTONIC) < end)
		conf_spin_ms(1);
}

static void
test_cpu(void)
{
	struct itimerval itv;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_vtalrm;
	sigaction(SIGVTALRM, &sa, NULL);
	sa.sa_handler = on_prof;
	sigaction(SIGPROF, &sa, NULL);

	set_tv(&itv, 0, 10000, 0, 10000);
	setitimer(ITIMER_VIRTUAL, &itv, NULL);
	spin_until(&nvtalrm, 3);
	set_tv(&itv, 0, 0, 0, 0);
	setitimer(ITIMER_VIRTUAL, &itv, NULL);
	cmp_long(nvtalrm, ">=", 3, "ITIMER_VIRTUAL: SIGVTALRM again and "
	    "again while the process spins");

	set_tv(&itv, 0, 10000, 0, 10000);
	setitimer(ITIMER_PROF, &itv, NULL);
	spin_until(&nprof, 3);
	set_tv(&itv, 0, 0, 0, 0);
	setitimer(ITIMER_PROF, &itv, NULL);
	cmp_long(nprof, ">=", 3, "ITIMER_PROF: SIGPROF again and again "
	    "while the process spins");

	/* A one-shot CPU timer: exactly one signal. */
	nvtalrm = 0;
	set_tv(&itv, 0, 30000, 0, 0);
	setitimer(ITIMER_VIRTUAL, &itv, NULL);
	spin_until(&nvtalrm, 1);
	conf_spin_ms(100);
	is_long(nvtalrm, 1, "ITIMER_VIRTUAL: a one-shot timer fires once");
	getitimer(ITIMER_VIRTUAL, &itv);
	ok(itv.it_value.tv_sec == 0 && itv.it_value.tv_usec == 0,
	    "ITIMER_VIRTUAL: stopped after its one expiry");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_errors();
	test_values();
	test_real();
	test_cpu();
	return done_testing();
}
