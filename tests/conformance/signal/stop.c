/*
 * Stop and continue (signal(7), wait(2)): SIGSTOP, SIGTSTP, SIGTTIN and
 * SIGTTOU stop a child, which waitpid(WUNTRACED) reports once as stopped
 * by that signal; SIGCONT resumes it, which waitpid(WCONTINUED) reports;
 * waitid(WSTOPPED/WCONTINUED) fills si_code and si_status; the parent
 * gets SIGCHLD with CLD_STOPPED and CLD_CONTINUED unless SA_NOCLDSTOP; a
 * stopped child can be killed; a stopped child does not run.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

static volatile int chld_code, chld_status, chld_hits;
static volatile int *counter;

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_hits++;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

/* A child that counts in shared memory until it is killed. */
static pid_t
counting_child(void)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		for (;;) {
			(*counter)++;
			conf_sleep_ms(5);
		}
	}
	return pid;
}

static void
test_stop_kinds(void)
{
	static const int sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	unsigned int i;
	pid_t pid;
	int st;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid = counting_child();
		kill(pid, sigs[i]);
		is_long(waitpid(pid, &st, WUNTRACED), pid, "waitpid(2): "
		    "WUNTRACED reports the child stopped by signal %d",
		    sigs[i]);
		ok(WIFSTOPPED(st) && WSTOPSIG(st) == sigs[i], "the status "
		    "says stopped by %d (%#x)", sigs[i], st);
		kill(pid, SIGKILL);
		is_signal(conf_wait(pid), SIGKILL, "a stopped child can be "
		    "killed with SIGKILL");
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	siginfo_t si;
	pid_t pid;
	int st, before;

	(void)argc;
	conf_init(argv);
	counter = conf_shared(sizeof(*counter));
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);

	pid = counting_child();
	conf_sleep_ms(50);
	chld_hits = 0;
	is_success(kill(pid, SIGSTOP), "kill(2): SIGSTOP to a child");
	is_long(waitpid(pid, &st, WUNTRACED), pid, "waitpid(2): WUNTRACED "
	    "reports the stop");
	ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "WIFSTOPPED, WSTOPSIG "
	    "is SIGSTOP");
	conf_sleep_ms(20);
	is_long(chld_hits, 1, "SIGCHLD came for the stop");
	is_long(chld_code, CLD_STOPPED, "SIGCHLD: si_code CLD_STOPPED");
	is_long(chld_status, SIGSTOP, "SIGCHLD: si_status SIGSTOP");
	is_long(waitpid(pid, &st, WUNTRACED | WNOHANG), 0, "waitpid(2): the "
	    "stop is reported only once");
	before = *counter;
	conf_sleep_ms(100);
	is_long(*counter, before, "a stopped child does not run");

	memset(&si, 0, sizeof(si));
	kill(pid, SIGCONT);
	is_long(waitpid(pid, &st, WCONTINUED), pid, "waitpid(2): WCONTINUED "
	    "reports the continue");
	ok(WIFCONTINUED(st), "WIFCONTINUED (%#x)", st);
	conf_sleep_ms(20);
	is_long(chld_code, CLD_CONTINUED, "SIGCHLD: si_code CLD_CONTINUED");
	conf_sleep_ms(100);
	ok(*counter > before, "the continued child runs again");

	kill(pid, SIGTSTP);
	memset(&si, 0, sizeof(si));
	is_success(waitid(P_PID, pid, &si, WSTOPPED), "waitid(2): WSTOPPED");
	is_long(si.si_code, CLD_STOPPED, "waitid(2): si_code CLD_STOPPED");
	is_long(si.si_status, SIGTSTP, "waitid(2): si_status SIGTSTP");
	is_long(si.si_pid, pid, "waitid(2): si_pid");
	kill(pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	is_success(waitid(P_PID, pid, &si, WCONTINUED), "waitid(2): "
	    "WCONTINUED");
	is_long(si.si_code, CLD_CONTINUED, "waitid(2): si_code "
	    "CLD_CONTINUED");
	is_long(si.si_status, SIGCONT, "waitid(2): si_status SIGCONT");

	sa.sa_flags |= SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	chld_hits = 0;
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, &st, WCONTINUED);
	conf_sleep_ms(20);
	is_long(chld_hits, 0, "SA_NOCLDSTOP: no SIGCHLD for stop or "
	    "continue");
	kill(pid, SIGKILL);
	is_signal(conf_wait(pid), SIGKILL, "the child is killed at the end");
	signal(SIGCHLD, SIG_DFL);

	test_stop_kinds();
	return done_testing();
}
