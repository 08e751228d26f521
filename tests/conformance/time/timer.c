/*
 * timer_create(2), timer_settime(2), timer_gettime(2),
 * timer_getoverrun(2), timer_delete(2): each sigevent kind (SIGEV_SIGNAL,
 * SIGEV_NONE, SIGEV_THREAD_ID, the default one), si_code SI_TIMER with
 * si_timerid, si_overrun and si_value; periodic timers, TIMER_ABSTIME in
 * the past firing at once, overruns counted while the signal is blocked,
 * the CPU-time clocks, timers not inherited by fork(2), and the EINVAL,
 * EOPNOTSUPP and EFAULT answers.  Raw system calls throughout: the ids
 * are the kernel's, not the C library's timer_t.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

#define WAIT_S		20	/* a bound on each wait, not a measure */

/* struct sigevent as the kernel reads it (sigevent(7)). */
struct ksigevent {
	union sigval	value;
	int		signo;
	int		notify;
	int		tid;
	int		pad[11];
};

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID	4
#endif

static volatile int ncpu;

static void
on_usr2(int sig)
{
	(void)sig;
	ncpu++;
}

static int
tcreate(clockid_t clock, int notify, int signo, int value, int *id)
{
	struct ksigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.notify = notify;
	sev.signo = signo;
	sev.value.sival_int = value;
	sev.tid = (int)conf_sys(SYS_gettid);
	*id = -1;
	return (int)conf_sys(SYS_timer_create, clock, &sev, id);
}

static long
tset(int id, int flags, long vs, long vns, long is, long ins)
{
	struct itimerspec its;

	its.it_value.tv_sec = vs;
	its.it_value.tv_nsec = vns;
	its.it_interval.tv_sec = is;
	its.it_interval.tv_nsec = ins;
	return conf_sys(SYS_timer_settime, id, flags, &its, NULL);
}

static int
take(int sig, siginfo_t *si)
{
	struct timespec ts = { WAIT_S, 0 };
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&s, si, &ts);
}

static void
drain(int sig)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	while (sigtimedwait(&s, &si, &zero) == sig)
		;
}

static void
test_errors(void)
{
	struct ksigevent sev;
	struct itimerspec its;
	int id;

	is_long(tcreate(99, SIGEV_SIGNAL, SIGUSR1, 0, &id), -EINVAL,
	    "timer_create(2): clock 99 is EINVAL");
	is_long(tcreate(CLOCK_MONOTONIC_RAW, SIGEV_SIGNAL, SIGUSR1, 0, &id),
	    -EOPNOTSUPP, "timer_create(2): CLOCK_MONOTONIC_RAW has no timers "
	    "(EOPNOTSUPP)");
	is_long(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, 0, 0, &id), -EINVAL,
	    "timer_create(2): signal 0 is EINVAL");
	is_long(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, 65, 0, &id), -EINVAL,
	    "timer_create(2): signal 65 is EINVAL");
	is_long(tcreate(CLOCK_MONOTONIC, 99, SIGUSR1, 0, &id), -EINVAL,
	    "timer_create(2): sigev_notify 99 is EINVAL");
	memset(&sev, 0, sizeof(sev));
	sev.notify = SIGEV_THREAD_ID;
	sev.signo = SIGUSR1;
	sev.tid = 0x3ffffff0;
	is_long(conf_sys(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id),
	    -EINVAL, "timer_create(2): SIGEV_THREAD_ID naming no thread is "
	    "EINVAL");
	is_long(conf_sys(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &id),
	    -EFAULT, "timer_create(2): a bad sigevent is EFAULT");

	is_long(conf_sys(SYS_timer_gettime, 12345, &its), -EINVAL,
	    "timer_gettime(2): a bad id is EINVAL");
	is_long(tset(12345, 0, 1, 0, 0, 0), -EINVAL, "timer_settime(2): a "
	    "bad id is EINVAL");
	is_long(conf_sys(SYS_timer_getoverrun, 12345), -EINVAL,
	    "timer_getoverrun(2): a bad id is EINVAL");
	is_long(conf_sys(SYS_timer_delete, 12345), -EINVAL,
	    "timer_delete(2): a bad id is EINVAL");
	is_long(conf_sys(SYS_timer_delete, -1), -EINVAL,
	    "timer_delete(2): id -1 is EINVAL");

	is_long(tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, &id), 0,
	    "timer_create(2): SIGEV_NONE needs no signal");
	is_long(tset(id, 0, 1, 1000000000, 0, 0), -EINVAL,
	    "timer_settime(2): tv_nsec 1e9 is EINVAL");
	is_long(tset(id, 0, -1, 0, 0, 0), -EINVAL,
	    "timer_settime(2): a negative time is EINVAL");
	is_long(conf_sys(SYS_timer_settime, id, 0, NULL, NULL), -EINVAL,
	    "timer_settime(2): no new value is EINVAL");
	is_long(conf_sys(SYS_timer_gettime, id, (void *)8), -EFAULT,
	    "timer_gettime(2): a bad pointer is EFAULT");
	is_long(conf_sys(SYS_timer_delete, id), 0, "timer_delete(2): deletes");
	is_long(conf_sys(SYS_timer_gettime, id, &its), -EINVAL,
	    "timer_gettime(2): a deleted timer is EINVAL");
	is_long(conf_sys(SYS_timer_delete, id), -EINVAL,
	    "timer_delete(2): twice is EINVAL");
}

static void
test_signal(void)
{
	struct itimerspec its;
	siginfo_t si;
	int id, id2, i, n;

	is_long(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 4711, &id), 0,
	    "timer_create(2): CLOCK_MONOTONIC, SIGEV_SIGNAL");
	cmp_long(id, ">=", 0, "timer_create(2): the id is not negative");
	is_long(conf_sys(SYS_timer_gettime, id, &its), 0,
	    "timer_gettime(2): a new timer");
	ok(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0,
	    "timer_gettime(2): a new timer is disarmed");
	is_long(tset(id, 0, 0, 20000000, 0, 0), 0, "timer_settime(2): in "
	    "20 ms");
	is_long(take(SIGUSR1, &si), SIGUSR1, "SIGEV_SIGNAL: the signal "
	    "comes");
	is_long(si.si_code, SI_TIMER, "SIGEV_SIGNAL: si_code SI_TIMER");
	is_long(si.si_value.sival_int, 4711, "SIGEV_SIGNAL: si_value is "
	    "sigev_value");
	is_long(si.si_timerid, id, "SIGEV_SIGNAL: si_timerid is the id");
	is_long(si.si_overrun, 0, "SIGEV_SIGNAL: si_overrun 0");
	conf_sys(SYS_timer_gettime, id, &its);
	ok(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0,
	    "timer_gettime(2): a one-shot timer is disarmed after it fired");

	is_long(tset(id, 0, 0, 10000000, 0, 10000000), 0,
	    "timer_settime(2): every 10 ms");
	for (i = 0, n = 0; i < 5; i++)
		if (take(SIGUSR1, &si) == SIGUSR1 && si.si_code == SI_TIMER)
			n++;
	is_long(n, 5, "timer_settime(2): a periodic timer fires again and "
	    "again (5 taken)");
	conf_sys(SYS_timer_gettime, id, &its);
	ok(its.it_interval.tv_sec == 0 && its.it_interval.tv_nsec == 10000000,
	    "timer_gettime(2): reads the interval");
	tset(id, 0, 0, 0, 0, 0);
	drain(SIGUSR1);

	/* Two timers: different ids. */
	is_long(tcreate(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 1, &id2), 0,
	    "timer_create(2): CLOCK_REALTIME");
	ok(id2 != id, "timer_create(2): a second timer has its own id");
	is_long(tset(id2, 0, 0, 1000000, 0, 0), 0, "timer_settime(2): "
	    "CLOCK_REALTIME in 1 ms");
	is_long(take(SIGUSR1, &si), SIGUSR1, "CLOCK_REALTIME: fires");
	is_long(si.si_timerid, id2, "CLOCK_REALTIME: si_timerid");
	conf_sys(SYS_timer_delete, id2);
	conf_sys(SYS_timer_delete, id);
}

static void
test_kinds(void)
{
	struct itimerspec its, old;
	struct timespec now;
	siginfo_t si;
	sigset_t pend;
	int id;

	/* The default sigevent: SIGALRM carrying the id. */
	is_long(conf_sys(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id), 0,
	    "timer_create(2): no sigevent");
	tset(id, 0, 0, 1000000, 0, 0);
	is_long(take(SIGALRM, &si), SIGALRM, "no sigevent: SIGALRM comes");
	is_long(si.si_value.sival_int, id, "no sigevent: si_value is the "
	    "timer's id");
	is_long(si.si_code, SI_TIMER, "no sigevent: si_code SI_TIMER");
	conf_sys(SYS_timer_delete, id);

	/* SIGEV_NONE: runs and reads, sends nothing. */
	tcreate(CLOCK_MONOTONIC, SIGEV_NONE, SIGUSR1, 0, &id);
	is_long(tset(id, 0, 100, 0, 3, 500), 0, "SIGEV_NONE: armed for "
	    "100 s");
	conf_sys(SYS_timer_gettime, id, &its);
	ok(its.it_value.tv_sec >= 90 && its.it_value.tv_sec <= 100,
	    "SIGEV_NONE: timer_gettime reads the rest (%ld s)",
	    (long)its.it_value.tv_sec);
	ok(its.it_interval.tv_sec == 3 && its.it_interval.tv_nsec == 500,
	    "SIGEV_NONE: ... and the interval");
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 0;
	memset(&old, 0, sizeof(old));
	is_long(conf_sys(SYS_timer_settime, id, 0, &its, &old), 0,
	    "timer_settime(2): disarm, reading the old setting");
	ok(old.it_value.tv_sec >= 90 && old.it_interval.tv_sec == 3,
	    "timer_settime(2): the old setting");
	tset(id, 0, 0, 1000000, 0, 0);
	conf_sleep_ms(50);
	conf_sys(SYS_timer_gettime, id, &its);
	ok(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0,
	    "SIGEV_NONE: expired and disarmed");
	sigpending(&pend);
	ok(!sigismember(&pend, SIGUSR1), "SIGEV_NONE: no signal was sent");
	conf_sys(SYS_timer_delete, id);

	/* SIGEV_THREAD_ID: to this thread. */
	is_long(tcreate(CLOCK_MONOTONIC, SIGEV_THREAD_ID, SIGUSR2, 9, &id), 0,
	    "timer_create(2): SIGEV_THREAD_ID naming this thread");
	tset(id, 0, 0, 1000000, 0, 0);
	is_long(take(SIGUSR2, &si), SIGUSR2, "SIGEV_THREAD_ID: the signal "
	    "comes");
	is_long(si.si_value.sival_int, 9, "SIGEV_THREAD_ID: si_value");
	is_long(si.si_code, SI_TIMER, "SIGEV_THREAD_ID: si_code SI_TIMER");
	conf_sys(SYS_timer_delete, id);

	/* TIMER_ABSTIME in the past fires at once. */
	tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 5, &id);
	is_long(tset(id, TIMER_ABSTIME, 0, 1, 0, 0), 0, "timer_settime(2): "
	    "TIMER_ABSTIME at monotonic 1 ns (past)");
	is_long(take(SIGUSR1, &si), SIGUSR1, "TIMER_ABSTIME: a time in the "
	    "past fires");
	conf_sys(SYS_timer_delete, id);
	tcreate(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 6, &id);
	clock_gettime(CLOCK_REALTIME, &now);
	is_long(tset(id, TIMER_ABSTIME, now.tv_sec - 10, 0, 0, 0), 0,
	    "timer_settime(2): TIMER_ABSTIME 10 s ago on CLOCK_REALTIME");
	is_long(take(SIGUSR1, &si), SIGUSR1, "TIMER_ABSTIME: CLOCK_REALTIME "
	    "in the past fires");
	is_long(si.si_value.sival_int, 6, "TIMER_ABSTIME: its si_value");
	conf_sys(SYS_timer_delete, id);
}

static void
test_overrun(void)
{
	siginfo_t si;
	int id, over;

	tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0, &id);
	is_long(conf_sys(SYS_timer_getoverrun, id), 0, "timer_getoverrun(2): "
	    "0 before any expiry");
	tset(id, 0, 0, 10000000, 0, 10000000);
	conf_sleep_ms(300);	/* SIGUSR1 blocked: 30 periods */
	is_long(take(SIGUSR1, &si), SIGUSR1, "overrun: the one pending "
	    "signal is taken");
	over = (int)conf_sys(SYS_timer_getoverrun, id);
	tset(id, 0, 0, 0, 0, 0);
	cmp_long(si.si_overrun, ">=", 1, "overrun: si_overrun counts the "
	    "expiries while the signal was pending");
	is_long(over, si.si_overrun, "timer_getoverrun(2): the count of the "
	    "signal taken");
	drain(SIGUSR1);
	conf_sys(SYS_timer_delete, id);
}

static void
test_cpu(clockid_t clock, const char *name)
{
	struct sigaction sa;
	int64_t end;
	int id;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	ncpu = 0;
	is_long(tcreate(clock, SIGEV_SIGNAL, SIGUSR2, 0, &id), 0,
	    "timer_create(2): %s", name);
	is_long(tset(id, 0, 0, 20000000, 0, 20000000), 0,
	    "timer_settime(2): %s every 20 ms", name);
	end = conf_now_ns(CLOCK_MONOTONIC) + WAIT_S * 1000 * CONF_MS;
	while (ncpu < 3 && conf_now_ns(CLOCK_MONOTONIC) < end)
		conf_spin_ms(1);
	conf_sys(SYS_timer_delete, id);
	cmp_long(ncpu, ">=", 3, "%s: fires again and again while this "
	    "thread spins", name);
	signal(SIGUSR2, SIG_DFL);
}

static void
child_fork(void *arg)
{
	struct itimerspec its;

	_exit(conf_sys(SYS_timer_gettime, *(int *)arg, &its) == -EINVAL ? 0 :
	    1);
}

int
main(int argc, char **argv)
{
	sigset_t s;
	int id;

	(void)argc;
	conf_init(argv);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);

	test_errors();
	test_signal();
	test_kinds();
	test_overrun();

	tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, &id);
	is_exit(conf_in_child(child_fork, &id), 0, "fork(2): the child does "
	    "not inherit the timers");
	conf_sys(SYS_timer_delete, id);

	sigprocmask(SIG_UNBLOCK, &s, NULL);
	test_cpu(CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID");
	test_cpu(CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID");
	return done_testing();
}
