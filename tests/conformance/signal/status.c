/*
 * Default actions and wait statuses: a child killed by each kind of signal
 * (terminate, core dump, SIGKILL, a real-time signal, a fault) reports
 * that signal; a core-dump signal sets the core flag only when a core was
 * written, so with RLIMIT_CORE 0 it is clear; signals whose default is to
 * ignore them do nothing; SIGCHLD reaches the parent with si_pid,
 * si_status and si_code (CLD_EXITED, CLD_KILLED).
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

static volatile int chld_hits, chld_pid, chld_status, chld_code;

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_hits++;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
	chld_code = si->si_code;
}

static void
self_kill(void *arg)
{
	kill(getpid(), (int)(long)arg);
	_exit(77);		/* not reached for a fatal signal */
}

static void
null_write(void *arg)
{
	(void)arg;
	*(volatile int *)0 = 1;
}

static const struct {
	int	sig;
	const char *name;
} fatal[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGSTKFLT, "SIGSTKFLT" }, { SIGXCPU, "SIGXCPU" },
	{ SIGXFSZ, "SIGXFSZ" }, { SIGVTALRM, "SIGVTALRM" },
	{ SIGPROF, "SIGPROF" }, { SIGIO, "SIGIO" }, { SIGPWR, "SIGPWR" },
	{ SIGSYS, "SIGSYS" }, { 34, "signal 34 (real-time)" },
	{ 64, "signal 64 (real-time)" },
};

int
main(int argc, char **argv)
{
	struct rlimit rl = { 0, 0 };
	struct sigaction sa;
	unsigned int i;
	pid_t pid;
	int st;

	(void)argc;
	conf_init(argv);
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		bail_out("setrlimit: %s", tap_errname(errno));
	/* Whatever the runner ignored or blocked: the defaults, unblocked. */
	for (i = 1; i <= 64; i++)
		if (i != SIGKILL && i != SIGSTOP && (i < 32 || i > 33))
			signal((int)i, SIG_DFL);
	sigemptyset(&sa.sa_mask);
	sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		st = conf_in_child(self_kill, (void *)(long)fatal[i].sig);
		is_signal(st, fatal[i].sig, "kill(self, %s): the child dies by "
		    "it", fatal[i].name);
		if (fatal[i].sig == SIGQUIT || fatal[i].sig == SIGSEGV)
			ok(!WCOREDUMP(st), "%s with RLIMIT_CORE 0: no core "
			    "flag", fatal[i].name);
	}
	is_exit(conf_in_child(self_kill, (void *)(long)SIGCHLD), 77,
	    "SIGCHLD's default action is to ignore it");
	is_exit(conf_in_child(self_kill, (void *)(long)SIGURG), 77,
	    "SIGURG's default action is to ignore it");
	is_exit(conf_in_child(self_kill, (void *)(long)SIGWINCH), 77,
	    "SIGWINCH's default action is to ignore it");
	is_exit(conf_in_child(self_kill, (void *)(long)SIGCONT), 77,
	    "SIGCONT to a running process does not end it");
	is_signal(conf_in_child(null_write, NULL), SIGSEGV, "a fault with "
	    "no handler kills with SIGSEGV");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	chld_hits = 0;
	pid = conf_fork();
	if (pid == 0)
		_exit(42);
	st = conf_wait(pid);
	is_exit(st, 42, "the child exits 42");
	is_long(chld_hits, 1, "SIGCHLD: the parent's handler ran once");
	is_long(chld_pid, pid, "SIGCHLD: si_pid is the child");
	is_long(chld_code, CLD_EXITED, "SIGCHLD: si_code is CLD_EXITED");
	is_long(chld_status, 42, "SIGCHLD: si_status is the exit code");

	chld_hits = 0;
	pid = conf_fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(1);
	}
	st = conf_wait(pid);
	is_signal(st, SIGTERM, "the child dies by SIGTERM");
	is_long(chld_hits, 1, "SIGCHLD: the handler ran for the killed child");
	is_long(chld_code, CLD_KILLED, "SIGCHLD: si_code is CLD_KILLED");
	is_long(chld_status, SIGTERM, "SIGCHLD: si_status is the signal");
	return done_testing();
}
