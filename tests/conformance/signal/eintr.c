/*
 * Interrupted sleeps (signal(7), "Interruption of system calls"): a
 * handler cuts nanosleep short with EINTR and the time left (never
 * restarted); wait4 returns EINTR without SA_RESTART and is restarted
 * with it; pause and sigsuspend return EINTR after the handler, and
 * sigsuspend's mask lasts only while it waits.  A child sends the signal
 * after a delay.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

static volatile int hits;

static void
on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static void
handle(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* A child that sends SIGUSR1 to the parent after ms, then exits later. */
static pid_t
poke_later(long ms, long exit_after_ms)
{
	pid_t parent = getpid(), pid = conf_fork();

	if (pid == 0) {
		conf_sleep_ms(ms);
		kill(parent, SIGUSR1);
		conf_sleep_ms(exit_after_ms);
		_exit(3);
	}
	return pid;
}

static void
test_nanosleep(void)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	pid_t pid;
	int r;

	handle(SA_RESTART);
	hits = 0;
	pid = poke_later(200, 0);
	r = nanosleep(&req, &rem);
	is_errno(r, EINTR, "nanosleep(2): a handler (even SA_RESTART) makes "
	    "it EINTR");
	is_long(hits, 1, "the handler ran");
	ok(rem.tv_sec >= 3 && rem.tv_sec <= 5, "nanosleep(2): rem is the "
	    "time left (%ld s)", (long)rem.tv_sec);
	conf_wait(pid);
}

static void
test_wait(void)
{
	pid_t pid;
	int st;

	handle(0);
	hits = 0;
	pid = poke_later(200, 300);
	is_errno(wait4(pid, &st, 0, NULL), EINTR, "wait4(2): a handler "
	    "without SA_RESTART makes it EINTR");
	is_long(hits, 1, "the handler ran");
	conf_wait(pid);

	handle(SA_RESTART);
	hits = 0;
	pid = poke_later(200, 300);
	is_long(wait4(pid, &st, 0, NULL), pid, "wait4(2): with SA_RESTART it "
	    "is restarted and reaps the child");
	is_long(hits, 1, "the handler ran in between");
	is_exit(st, 3, "the status is the child's");
}

static void
test_pause_suspend(void)
{
	sigset_t block, wait_mask, now;
	pid_t pid;

	handle(SA_RESTART);
	hits = 0;
	pid = poke_later(100, 0);
	is_errno(pause(), EINTR, "pause(2): returns EINTR after the handler, "
	    "even with SA_RESTART");
	is_long(hits, 1, "the handler ran");
	conf_wait(pid);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	hits = 0;
	pid = poke_later(100, 0);
	conf_sleep_ms(300);
	is_long(hits, 0, "the blocked signal waits");
	sigemptyset(&wait_mask);
	sigaddset(&wait_mask, SIGUSR2);
	is_errno(sigsuspend(&wait_mask), EINTR, "sigsuspend(2): EINTR once "
	    "the pending signal's handler ran");
	is_long(hits, 1, "sigsuspend(2): its mask let the signal in");
	sigprocmask(SIG_BLOCK, NULL, &now);
	ok(sigismember(&now, SIGUSR1) == 1 && sigismember(&now, SIGUSR2) == 0,
	    "sigsuspend(2): the old mask is back afterwards");
	conf_wait(pid);
	sigprocmask(SIG_UNBLOCK, &block, NULL);

	is_long(conf_sys(SYS_rt_sigsuspend, &wait_mask, 4), -EINVAL,
	    "rt_sigsuspend(2): sigsetsize 4 is EINVAL");
	is_long(conf_sys(SYS_rt_sigsuspend, (void *)8, 8), -EFAULT,
	    "rt_sigsuspend(2): a bad mask is EFAULT");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_nanosleep();
	test_wait();
	test_pause_suspend();
	return done_testing();
}
