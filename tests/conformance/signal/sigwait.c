/*
 * rt_sigtimedwait(2), rt_sigqueueinfo(2) and sigaltstack(2): a blocked
 * signal is taken with its siginfo (si_value from sigqueue), a timeout is
 * EAGAIN, an invalid timeout EINVAL; sigqueue may not pretend to be the
 * kernel for another process (EPERM); a handler with SA_ONSTACK runs on
 * the alternate stack, which sigaltstack reports as SS_ONSTACK there.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

static char altstack[65536] __attribute__((aligned(16)));
static volatile uintptr_t handler_sp;
static volatile int handler_flags = -1;

static void
on_stack(int sig)
{
	stack_t ss;
	volatile char here;

	(void)sig;
	handler_sp = (uintptr_t)&here;
	if (sigaltstack(NULL, &ss) == 0)
		handler_flags = ss.ss_flags;
}

static void
test_sigwait(void)
{
	struct timespec zero = { 0, 0 }, bad = { 0, 1000000000 };
	struct timespec short_ts = { 0, 50000000 };
	union sigval v;
	siginfo_t si;
	sigset_t s;
	int64_t t0;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	is_errno(sigtimedwait(&s, &si, &zero), EAGAIN, "sigtimedwait(2): "
	    "nothing pending and a zero timeout is EAGAIN");
	t0 = conf_now_ns(CLOCK_MONOTONIC);
	is_errno(sigtimedwait(&s, &si, &short_ts), EAGAIN, "sigtimedwait(2): "
	    "a 50 ms timeout is EAGAIN");
	cmp_long((conf_now_ns(CLOCK_MONOTONIC) - t0) / CONF_MS, ">=", 45,
	    "sigtimedwait(2): it waited the timeout");
	is_errno(sigtimedwait(&s, &si, &bad), EINVAL, "sigtimedwait(2): "
	    "tv_nsec 1e9 is EINVAL");

	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	is_long(sigtimedwait(&s, &si, &zero), SIGUSR1, "sigtimedwait(2): "
	    "takes the pending signal");
	is_long(si.si_code, SI_USER, "siginfo: si_code SI_USER");
	is_long(si.si_pid, getpid(), "siginfo: si_pid");

	v.sival_int = 4242;
	is_success(sigqueue(getpid(), SIGRTMIN + 1, v), "sigqueue(3): to "
	    "itself, a real-time signal");
	memset(&si, 0, sizeof(si));
	is_long(sigwaitinfo(&s, &si), SIGRTMIN + 1, "sigwaitinfo(3): takes "
	    "it");
	is_long(si.si_code, SI_QUEUE, "siginfo: si_code SI_QUEUE");
	is_long(si.si_value.sival_int, 4242, "siginfo: si_value");
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	is_long(conf_sys(SYS_rt_sigqueueinfo, getppid(), SIGUSR1, &si),
	    -EPERM, "rt_sigqueueinfo(2): si_code >= 0 to another process is "
	    "EPERM");
	is_long(conf_sys(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8),
	    -EFAULT, "rt_sigqueueinfo(2): a bad info is EFAULT");
}

static void
test_altstack(void)
{
	struct sigaction sa;
	stack_t ss, old;

	is_success(sigaltstack(NULL, &old), "sigaltstack(2): read");
	is_long(old.ss_flags, SS_DISABLE, "sigaltstack(2): none at first "
	    "(SS_DISABLE)");
	ss.ss_sp = altstack;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	is_errno(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack(2): smaller "
	    "than MINSIGSTKSZ is ENOMEM");
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 12345;
	is_errno(sigaltstack(&ss, NULL), EINVAL, "sigaltstack(2): bad flags "
	    "are EINVAL");
	ss.ss_flags = 0;
	is_success(sigaltstack(&ss, NULL), "sigaltstack(2): set");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stack;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	ok(handler_sp > (uintptr_t)altstack &&
	    handler_sp < (uintptr_t)altstack + sizeof(altstack),
	    "SA_ONSTACK: the handler ran on the alternate stack");
	is_long(handler_flags, SS_ONSTACK, "sigaltstack(2): SS_ONSTACK "
	    "inside the handler");
	sigaltstack(NULL, &old);
	is_long(old.ss_flags, 0, "sigaltstack(2): enabled, not on it, "
	    "after the handler");
	ss.ss_flags = SS_DISABLE;
	is_success(sigaltstack(&ss, NULL), "sigaltstack(2): disable");
	handler_sp = 0;
	raise(SIGUSR2);
	ok(handler_sp != 0 && (handler_sp < (uintptr_t)altstack ||
	    handler_sp >= (uintptr_t)altstack + sizeof(altstack)),
	    "SA_ONSTACK with the stack disabled runs on the normal stack");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_sigwait();
	test_altstack();
	return done_testing();
}
