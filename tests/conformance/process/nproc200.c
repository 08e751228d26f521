/*
 * 200 processes alive at once: each child counts itself in a MAP_SHARED
 * page and waits there until the parent has seen all 200, then exits with
 * its index; the parent reaps every one (fork(2), wait4(2)).
 */
/* conformance: timeout=180 */
#include <unistd.h>

#include "conf.h"

#define NCHILD	200

struct state {
	volatile int	s_alive;	/* children that have started */
	volatile int	s_release;	/* set: children may exit */
};

int
main(int argc, char **argv)
{
	static pid_t pids[NCHILD];
	struct state *s;
	int i, n, st, reaped, wrong;
	pid_t got;

	(void)argc;
	conf_init(argv);
	s = conf_shared(sizeof(*s));
	for (n = 0; n < NCHILD; n++) {
		pids[n] = fork();
		if (pids[n] < 0)
			break;
		if (pids[n] == 0) {
			__atomic_add_fetch(&s->s_alive, 1, __ATOMIC_SEQ_CST);
			conf_wait_flag(&s->s_release, 1, 50, 120000);
			_exit(n % 128);
		}
	}
	if (!is_long(n, NCHILD, "fork(2): %d children can be created",
	    NCHILD))
		diag("fork %d failed: %s", n, tap_errname(errno));
	ok(conf_wait_flag(&s->s_alive, n, 10, 120000) == 0 &&
	    s->s_alive == NCHILD, "fork(2): all %d children run at the same "
	    "time", NCHILD);
	diag("%d children alive", s->s_alive);
	__atomic_store_n(&s->s_release, 1, __ATOMIC_SEQ_CST);

	reaped = wrong = 0;
	for (i = 0; i < n; i++) {
		got = wait4(pids[i], &st, 0, NULL);
		if (got != pids[i])
			continue;
		reaped++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != i % 128)
			wrong++;
	}
	is_long(reaped, NCHILD, "wait4(2): each of the %d children is reaped",
	    NCHILD);
	is_long(wrong, 0, "wait4(2): each child's status is its own");
	is_errno(wait4(-1, &st, WNOHANG, NULL), ECHILD, "wait4(2): no child "
	    "is left");
	return done_testing();
}
