/*
 * futex(2) keys: a word in MAP_SHARED memory used without
 * FUTEX_PRIVATE_FLAG is the same futex in every process that maps the
 * page, at whatever address; with the flag, or in private (copy-on-write)
 * memory, each process has its own.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "conf.h"
#include "futex_util.h"

static uint32_t private_word;	/* copy-on-write after fork */

/*
 * Wake (op) at u again and again until child pid ends; returns how many
 * waiters those wakes found in all, and the child's status in *status.
 */
static long
wake_until_exit(volatile uint32_t *u, int op, pid_t pid, int *status)
{
	long found = 0, r;

	for (;;) {
		r = fx(u, op, 1, NULL, NULL, 0);
		if (r > 0)
			found += r;
		if (waitpid(pid, status, WNOHANG) == pid)
			return found;
		sched_yield();
	}
}

int
main(int argc, char **argv)
{
	struct timespec ts = { 0, 300 * CONF_MS };
	uint32_t *s, *elsewhere;
	pid_t pid;
	int status;

	(void)argc;
	conf_init(argv);
	s = conf_shared(2 * CONF_PAGE);

	/* The child moves its view of the shared pages, then waits there. */
	pid = conf_fork();
	if (pid == 0) {
		elsewhere = mmap(NULL, 2 * CONF_PAGE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (elsewhere == MAP_FAILED)
			_exit(97);
		elsewhere = mremap(s, 2 * CONF_PAGE, 2 * CONF_PAGE,
		    MREMAP_MAYMOVE | MREMAP_FIXED, elsewhere);
		if (elsewhere == MAP_FAILED || elsewhere == s)
			_exit(98);
		_exit(fx_code(fx(&elsewhere[1024 + 3], FX_WAIT, 0, NULL, NULL,
		    0)));
	}
	is_long(fx_await(&s[1024 + 3], 1), 0, "futex(2): a child waiting on "
	    "the same shared word at another address is counted here");
	is_long(fx(&s[1024 + 3], FX_WAKE, 1, NULL, NULL, 0), 1,
	    "futex(2): FUTEX_WAKE at our address wakes it");
	is_exit(conf_wait(pid), 0, "futex(2): ... and its FUTEX_WAIT returns 0");
	is_long(fx(&s[1024 + 2], FX_WAKE, 1, NULL, NULL, 0), 0,
	    "futex(2): the word next to it has no waiter");

	/* FUTEX_PRIVATE_FLAG: the same shared page, but per process. */
	s[5] = 0;
	pid = conf_fork();
	if (pid == 0)
		_exit(fx_code(fx(&s[5], FX_WAIT | FX_PRIVATE, 0, &ts, NULL,
		    0)));
	is_long(wake_until_exit(&s[5], FX_WAKE | FX_PRIVATE, pid, &status), 0,
	    "futex(2): FUTEX_WAKE_PRIVATE never finds another process's "
	    "FUTEX_WAIT_PRIVATE on a shared page");
	is_exit(status, ETIMEDOUT, "futex(2): ... whose wait times out");

	pid = conf_fork();
	if (pid == 0)
		_exit(fx_code(fx(&s[6], FX_WAIT | FX_PRIVATE, 0, &ts, NULL,
		    0)));
	is_long(wake_until_exit(&s[6], FX_WAKE, pid, &status), 0,
	    "futex(2): a shared-key FUTEX_WAKE never finds a "
	    "FUTEX_WAIT_PRIVATE of another process");
	is_exit(status, ETIMEDOUT, "futex(2): ... whose wait times out");

	/* Private memory: keyed by address space even without the flag. */
	pid = conf_fork();
	if (pid == 0)
		_exit(fx_code(fx(&private_word, FX_WAIT, 0, &ts, NULL, 0)));
	is_long(wake_until_exit(&private_word, FX_WAKE, pid, &status), 0,
	    "futex(2): a word in private memory is not shared after fork, "
	    "even without FUTEX_PRIVATE_FLAG");
	is_exit(status, ETIMEDOUT, "futex(2): ... the child's wait times out");
	return done_testing();
}
