/*
 * A fork bomb contained by RLIMIT_NPROC: fork(2) fails with EAGAIN once
 * the user has RLIMIT_NPROC processes (setrlimit(2), fork(2) ERRORS), and
 * the system stays usable: once the children exit, fork works again.  The
 * limit applies to unprivileged users only, so the program drops to
 * nobody.  Children wait on a MAP_SHARED flag, then exit.
 */
/* conformance: unprivileged nproc=64 timeout=120 */
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

#define LIMIT	40		/* our own RLIMIT_NPROC */
#define CAP	20000		/* a kernel that never says EAGAIN */

struct state {
	volatile int	s_release;
};

int
main(int argc, char **argv)
{
	struct rlimit rl = { LIMIT, LIMIT };
	struct state *s;
	int n, err, st, reaped;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	conf_drop_privileges();
	s = conf_shared(sizeof(*s));
	is_success(setrlimit(RLIMIT_NPROC, &rl), "setrlimit(2): an "
	    "unprivileged process may lower RLIMIT_NPROC to %d", LIMIT);

	err = 0;
	for (n = 0; n < CAP; n++) {
		pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			conf_wait_flag(&s->s_release, 1, 50, 120000);
			_exit(0);
		}
	}
	__atomic_store_n(&s->s_release, 1, __ATOMIC_SEQ_CST);
	diag("%d forks succeeded before fork failed", n);
	ok(n < CAP, "fork(2): a fork bomb is stopped before %d processes",
	    CAP);
	ok(n < LIMIT, "fork(2): the bomb stops below RLIMIT_NPROC (%d) "
	    "processes", LIMIT);
	if (!ok(err == EAGAIN, "fork(2): the fork over RLIMIT_NPROC fails "
	    "with EAGAIN"))
		diag("got errno %s", tap_errname(err));

	reaped = 0;
	while (wait4(-1, &st, 0, NULL) > 0)
		reaped++;
	is_long(reaped, n, "wait4(2): every child of the bomb is reaped");

	pid = fork();
	if (pid == 0)
		_exit(0);
	if (ok(pid > 0, "fork(2): after the bomb's children exit, fork "
	    "works again"))
		is_exit(conf_wait(pid), 0, "fork(2): and the new child runs");
	else
		skip(1, "fork failed: %s", tap_errname(errno));
	return done_testing();
}
