/*
 * Children nobody waits for (sigaction(2), wait(2) NOTES): when SIGCHLD is
 * ignored, or its action has SA_NOCLDWAIT, children that end do not
 * become zombies: wait blocks until they have all ended and then fails
 * with ECHILD.  With the default action they are reported as usual.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

/* Fork n children that exit at once; return the last pid. */
static pid_t
children(int n)
{
	pid_t pid = 0;
	int i;

	for (i = 0; i < n; i++)
		if ((pid = conf_fork()) == 0)
			_exit(7);
	return pid;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int st;
	pid_t pid;

	(void)argc;
	conf_init(argv);

	signal(SIGCHLD, SIG_IGN);
	children(3);
	is_errno(wait(&st), ECHILD,
	    "SIGCHLD ignored: wait waits for the children, then ECHILD");
	is_errno(waitpid(-1, &st, WNOHANG), ECHILD,
	    "... and no zombie is left to report");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	children(2);
	is_errno(wait(&st), ECHILD, "SA_NOCLDWAIT: wait ends with ECHILD");

	signal(SIGCHLD, SIG_DFL);
	pid = children(1);
	is_long(wait(&st), pid, "SIG_DFL: the child is reported");
	is_exit(st, 7, "... with its status");
	return done_testing();
}
