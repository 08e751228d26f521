/*
 * rt_sigprocmask(2) and rt_sigpending(2): a blocked signal stays pending
 * and is delivered once unblocked; SIGKILL and SIGSTOP cannot be blocked;
 * setting SIG_IGN discards a pending signal; the errors EINVAL and EFAULT.
 * Also: fork keeps the mask and the handlers, exec keeps the mask and
 * ignored signals and resets caught ones.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static volatile int hits;

static void
on_usr1(int sig)
{
	(void)sig;
	hits++;
}

/* The program exec'ed by the exec test: reports in its exit status. */
static int
exec_child(void)
{
	struct sigaction sa;
	sigset_t s;
	int r = 0;

	sigprocmask(SIG_BLOCK, NULL, &s);
	if (sigismember(&s, SIGUSR2) == 1)
		r |= 1;			/* the mask survived */
	sigaction(SIGUSR1, NULL, &sa);
	if (sa.sa_handler == SIG_DFL)
		r |= 2;			/* the caught one was reset */
	sigaction(SIGHUP, NULL, &sa);
	if (sa.sa_handler == SIG_IGN)
		r |= 4;			/* the ignored one stayed */
	return r;
}

static void
fork_child(void *arg)
{
	struct sigaction sa;
	sigset_t s;

	(void)arg;
	sigprocmask(SIG_BLOCK, NULL, &s);
	sigaction(SIGUSR1, NULL, &sa);
	if (sigismember(&s, SIGUSR2) != 1 || sa.sa_handler != on_usr1)
		_exit(1);
	hits = 0;
	raise(SIGUSR1);
	_exit(hits == 1 ? 0 : 2);
}

int
main(int argc, char **argv)
{
	sigset_t s, old, pend;
	char path[256];
	unsigned long bad = 0;
	pid_t pid;
	int st;

	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child();
	conf_init(argv);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	is_success(sigprocmask(SIG_BLOCK, &s, &old), "sigprocmask(2): block "
	    "SIGUSR1");
	ok(sigismember(&old, SIGUSR1) == 0, "sigprocmask(2): the old mask "
	    "did not have it");
	hits = 0;
	raise(SIGUSR1);
	is_long(hits, 0, "a blocked signal is not delivered");
	is_success(sigpending(&pend), "sigpending(2)");
	ok(sigismember(&pend, SIGUSR1) == 1, "sigpending(2): shows the "
	    "blocked signal");
	raise(SIGUSR1);
	is_success(sigprocmask(SIG_UNBLOCK, &s, NULL), "sigprocmask(2): "
	    "unblock it");
	is_long(hits, 1, "the pending signal is delivered once on unblock "
	    "(standard signals do not queue)");
	sigpending(&pend);
	ok(sigismember(&pend, SIGUSR1) == 0, "sigpending(2): nothing left");

	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	sigpending(&pend);
	ok(sigismember(&pend, SIGUSR1) == 0, "setting SIG_IGN discards a "
	    "pending signal");
	signal(SIGUSR1, on_usr1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	sigemptyset(&s);
	sigaddset(&s, SIGKILL);
	sigaddset(&s, SIGSTOP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sigprocmask(SIG_BLOCK, NULL, &old);
	ok(sigismember(&old, SIGKILL) == 0 && sigismember(&old, SIGSTOP) == 0,
	    "SIGKILL and SIGSTOP cannot be blocked");

	is_long(conf_sys(SYS_rt_sigprocmask, 7, &bad, NULL, 8), -EINVAL,
	    "rt_sigprocmask(2): a bad how is EINVAL");
	is_long(conf_sys(SYS_rt_sigprocmask, SIG_BLOCK, &bad, NULL, 16),
	    -EINVAL, "rt_sigprocmask(2): sigsetsize 16 is EINVAL");
	is_long(conf_sys(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8),
	    -EFAULT, "rt_sigprocmask(2): a bad set is EFAULT");
	is_long(conf_sys(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void *)8, 8),
	    -EFAULT, "rt_sigprocmask(2): a bad oldset is EFAULT");
	is_long(conf_sys(SYS_rt_sigpending, &bad, 16), -EINVAL,
	    "rt_sigpending(2): sigsetsize 16 is EINVAL");
	is_long(conf_sys(SYS_rt_sigpending, (void *)8, 8), -EFAULT,
	    "rt_sigpending(2): a bad set is EFAULT");

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	is_exit(conf_in_child(fork_child, NULL), 0, "fork(2): the child "
	    "keeps the mask and the handlers");

	signal(SIGHUP, SIG_IGN);
	conf_path(path, sizeof(path), "mask");
	pid = conf_fork();
	if (pid == 0) {
		execl(path, path, "--exec-child", (char *)NULL);
		_exit(100);
	}
	st = conf_wait(pid);
	is_exit(st, 7, "execve(2): keeps the mask and ignored signals, "
	    "resets the caught ones to SIG_DFL");
	return done_testing();
}
