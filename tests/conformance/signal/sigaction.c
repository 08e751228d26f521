/*
 * rt_sigaction(2) and delivery: a handler runs with the siginfo kill(2)
 * and tkill(2) fill in (si_signo, si_code, si_pid, si_uid), the signal and
 * sa_mask are blocked while it runs (not the signal with SA_NODEFER),
 * SA_RESETHAND puts the default back, the old action reads back, the
 * ucontext holds the interrupted registers and the mask, the SSE registers
 * survive a handler that uses them, and the errors: EINVAL for bad
 * numbers, SIGKILL and SIGSTOP, and a bad sigsetsize; EFAULT.
 */
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "conf.h"

static volatile sig_atomic_t hits;
static volatile int got_sig, got_code, got_pid, got_uid, got_nested;
static volatile unsigned long got_mask;
static volatile unsigned long got_rip, got_uc_mask;
static volatile double fpu_sink;

static unsigned long
cur_mask(void)
{
	sigset_t s;
	unsigned long m = 0;
	int i;

	sigprocmask(SIG_BLOCK, NULL, &s);
	for (i = 1; i < 64; i++)
		if (sigismember(&s, i) == 1)
			m |= 1UL << (i - 1);
	return m;
}

static void
on_info(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	volatile double x = 3.0;

	hits++;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = (int)si->si_uid;
	got_mask = cur_mask();
	got_rip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	memcpy((void *)&got_uc_mask, &uc->uc_sigmask, sizeof(got_uc_mask));
	/* Use the SSE registers: the interrupted code must not notice. */
	fpu_sink = x * 7.5 + (double)sig;
}

static void
on_plain(int sig)
{
	hits++;
	got_sig = sig;
	got_mask = cur_mask();
}

static void
on_nested(int sig)
{
	hits++;
	if (hits == 1)
		raise(sig);	/* delivered at once with SA_NODEFER */
	got_nested = hits;
}

static void
test_errors(void)
{
	struct sigaction sa;
	char act[32];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	is_errno(sigaction(0, &sa, NULL), EINVAL, "sigaction(2): signal 0 is "
	    "EINVAL");
	is_errno(sigaction(65, &sa, NULL), EINVAL, "sigaction(2): signal 65 "
	    "is EINVAL");
	is_errno(sigaction(SIGKILL, &sa, NULL), EINVAL, "sigaction(2): "
	    "SIGKILL cannot be caught or ignored");
	is_errno(sigaction(SIGSTOP, &sa, NULL), EINVAL, "sigaction(2): "
	    "SIGSTOP cannot be caught or ignored");
	is_success(sigaction(SIGKILL, NULL, &sa), "sigaction(2): SIGKILL's "
	    "action can be read");
	memset(act, 0, sizeof(act));
	is_long(conf_sys(SYS_rt_sigaction, SIGUSR1, act, NULL, 4), -EINVAL,
	    "rt_sigaction(2): a sigsetsize other than 8 is EINVAL");
	is_long(conf_sys(SYS_rt_sigaction, SIGUSR1, (void *)16, NULL, 8),
	    -EFAULT, "rt_sigaction(2): a bad act pointer is EFAULT");
	is_long(conf_sys(SYS_rt_sigaction, SIGUSR1, NULL, (void *)16, 8),
	    -EFAULT, "rt_sigaction(2): a bad oldact pointer is EFAULT");
}

static void
test_siginfo(void)
{
	struct sigaction sa, old;
	volatile double keep = 1.25;
	double before = keep * 2.0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	is_success(sigaction(SIGUSR1, &sa, NULL), "sigaction(2): install an "
	    "SA_SIGINFO handler");
	is_success(sigaction(SIGUSR1, NULL, &old), "sigaction(2): read it "
	    "back");
	ok(old.sa_sigaction == on_info && (old.sa_flags & SA_SIGINFO),
	    "sigaction(2): the old action is the handler with SA_SIGINFO");
	ok(sigismember(&old.sa_mask, SIGUSR2) == 1, "sigaction(2): and its "
	    "sa_mask");

	hits = 0;
	is_success(kill(getpid(), SIGUSR1), "kill(2): SIGUSR1 to itself");
	is_long(hits, 1, "the handler ran once before kill returned");
	is_long(got_sig, SIGUSR1, "handler: first argument is the signal");
	is_long(got_code, SI_USER, "siginfo: si_code is SI_USER for kill");
	is_long(got_pid, getpid(), "siginfo: si_pid is the sender");
	is_long(got_uid, getuid(), "siginfo: si_uid is the sender's real uid");
	ok((got_mask & (1UL << (SIGUSR1 - 1))) != 0, "the signal is blocked "
	    "in its handler");
	ok((got_mask & (1UL << (SIGUSR2 - 1))) != 0, "sa_mask is blocked in "
	    "the handler");
	is_hex(cur_mask() & (3UL << 9), 0, "the mask is restored after the "
	    "handler (rt_sigreturn)");
	ok(got_rip != 0, "ucontext: uc_mcontext holds the interrupted rip");
	is_hex(got_uc_mask & (1UL << (SIGUSR1 - 1)), 0, "ucontext: "
	    "uc_sigmask is the mask to restore");
	ok(keep * 2.0 == before && fpu_sink == 3.0 * 7.5 + SIGUSR1,
	    "SSE state: the handler's and the interrupted code's values "
	    "are both right");

	hits = 0;
	is_long(syscall(SYS_tkill, getpid(), SIGUSR1), 0, "tkill(2): to "
	    "itself");
	is_long(got_code, SI_TKILL, "siginfo: si_code is SI_TKILL for tkill");
	is_long(syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1), 0,
	    "tgkill(2): to itself");
	is_long(hits, 2, "the handler ran for tkill and tgkill");
}

static void
test_flags(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_plain;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	raise(SIGUSR2);
	is_long(hits, 1, "SA_RESETHAND: the handler runs once");
	sigaction(SIGUSR2, NULL, &old);
	ok(old.sa_handler == SIG_DFL, "SA_RESETHAND: the action is SIG_DFL "
	    "afterwards");

	sa.sa_handler = on_nested;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	got_nested = 0;
	raise(SIGUSR2);
	is_long(hits, 2, "SA_NODEFER: the handler interrupts itself");
	is_long(got_nested, 2, "SA_NODEFER: the inner handler returned first");

	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	is_success(raise(SIGUSR2), "SIG_IGN: an ignored signal does nothing");
	signal(SIGUSR2, SIG_DFL);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_errors();
	test_siginfo();
	test_flags();
	return done_testing();
}
