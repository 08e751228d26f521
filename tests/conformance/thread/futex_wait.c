/*
 * futex(2) between processes sharing a MAP_SHARED page: FUTEX_WAIT and
 * FUTEX_WAKE (counts, FIFO order), the bitset forms, FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP's comparisons, and signals that cut a
 * wait short.  Children wait; the parent learns that they sleep from
 * FUTEX_CMP_REQUEUE of the word onto itself (futex_util.h), never from
 * the clock.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include "conf.h"
#include "futex_util.h"

struct shared {
	uint32_t	 a, b, u2, stop;
	volatile uint32_t handled;	/* the waiter's SIGUSR1 handler ran */
};

static struct shared *s;

static void
wait_wake(void)
{
	pid_t pid, got, pids[4];
	int i, status, inorder = 1;

	s->a = 0;
	pid = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
	is_long(fx_await(&s->a, 1), 0,
	    "futex(2): the child sleeps in FUTEX_WAIT (one waiter counted)");
	is_long(fx(&s->a, FX_WAKE, 1, NULL, NULL, 0), 1,
	    "futex(2): FUTEX_WAKE returns the number woken (1)");
	is_exit(conf_wait(pid), 0,
	    "futex(2): the woken FUTEX_WAIT returns 0");

	for (i = 0; i < 4; i++) {
		pids[i] = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
		if (fx_await(&s->a, i + 1) < 0)
			bail_out("waiter %d never slept", i);
	}
	for (i = 0; i < 4; i++) {
		if (fx(&s->a, FX_WAKE, 1, NULL, NULL, 0) != 1)
			inorder = 0;
		got = waitpid(-1, &status, 0);
		if (got != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			diag("wake %d: got pid %d (%s), expected %d", i,
			    (int)got, conf_status_str(status), (int)pids[i]);
			inorder = 0;
		}
	}
	ok(inorder, "futex(2): FUTEX_WAKE 1 wakes the waiters in the order "
	    "they came");

	for (i = 0; i < 3; i++)
		pids[i] = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
	is_long(fx_await(&s->a, 3), 0, "futex(2): three waiters sleep");
	is_long(fx(&s->a, FX_WAKE, 2, NULL, NULL, 0), 2,
	    "futex(2): FUTEX_WAKE 2 of 3 returns 2");
	is_long(fx_waiters(&s->a, 0), 1, "futex(2): ... and one still sleeps");
	is_long(fx(&s->a, FX_WAKE, 5, NULL, NULL, 0), 1,
	    "futex(2): FUTEX_WAKE 5 of 1 returns 1");
	for (i = 0; i < 3; i++)
		is_exit(conf_wait(pids[i]), 0,
		    "futex(2): woken waiter %d returned 0", i);
}

static void
bitsets(void)
{
	pid_t p1, p2, p3;

	s->a = 0;
	p1 = fx_child_wait(&s->a, FX_WAIT_BITSET, 0, NULL, 0x1);
	fx_await(&s->a, 1);
	p2 = fx_child_wait(&s->a, FX_WAIT_BITSET, 0, NULL, 0x2);
	fx_await(&s->a, 2);
	p3 = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
	is_long(fx_await(&s->a, 3), 0, "futex(2): three bitset waiters sleep");
	is_long(fx(&s->a, FX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x2), 2,
	    "futex(2): FUTEX_WAKE_BITSET 0x2 wakes the 0x2 waiter and the "
	    "FUTEX_WAIT one (bitset ~0)");
	is_exit(conf_wait(p2), 0, "futex(2): the 0x2 waiter was woken");
	is_exit(conf_wait(p3), 0, "futex(2): the FUTEX_WAIT waiter was woken");
	is_long(fx(&s->a, FX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x4), 0,
	    "futex(2): FUTEX_WAKE_BITSET 0x4 wakes no 0x1 waiter");
	is_long(fx(&s->a, FX_WAKE, 1, NULL, NULL, 0), 1,
	    "futex(2): FUTEX_WAKE wakes any bitset");
	is_exit(conf_wait(p1), 0, "futex(2): the 0x1 waiter was woken");
}

static void
requeue(void)
{
	pid_t pids[3];
	int i;

	s->a = 0;
	s->b = 0;
	for (i = 0; i < 3; i++)
		pids[i] = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
	if (fx_await(&s->a, 3) < 0)
		bail_out("the requeue waiters never slept");
	is_long(fx(&s->a, FX_REQUEUE, 1, (void *)1L, &s->b, 0), 2,
	    "futex(2): FUTEX_REQUEUE wake 1, move 1 returns 2");
	is_long(fx_waiters(&s->a, 0), 1, "futex(2): ... one left on uaddr");
	is_long(fx_waiters(&s->b, 0), 1, "futex(2): ... one moved to uaddr2");
	is_syserr(fx(&s->a, FX_CMP_REQUEUE, 0, (void *)1L, &s->b, 1), EAGAIN,
	    "futex(2): FUTEX_CMP_REQUEUE with a stale value is EAGAIN");
	is_long(fx_waiters(&s->a, 0), 1, "futex(2): ... and moves nobody");
	is_long(fx(&s->a, FX_CMP_REQUEUE, 0, (void *)5L, &s->b, 0), 1,
	    "futex(2): FUTEX_CMP_REQUEUE wake 0, move 5 moves the last one");
	is_long(fx_waiters(&s->b, 0), 2, "futex(2): ... two wait on uaddr2");
	is_long(fx(&s->b, FX_WAKE, INT_MAX, NULL, NULL, 0), 2,
	    "futex(2): FUTEX_WAKE on uaddr2 wakes both");
	for (i = 0; i < 3; i++)
		is_exit(conf_wait(pids[i]), 0,
		    "futex(2): requeued waiter %d returned 0", i);
}

/* Waits on s->u2 again and again until s->stop. */
static pid_t
u2_waiter(void)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST))
			fx(&s->u2, FX_WAIT, __atomic_load_n(&s->u2,
			    __ATOMIC_SEQ_CST), NULL, NULL, 0);
		_exit(0);
	}
	return pid;
}

static void
wake_op_cmp(void)
{
	static const struct {
		int	 cmp, cmparg;
		uint32_t old;
		int	 woken;
		const char *what;
	} c[] = {
		{ FX_CMP_EQ, 5, 5, 1, "EQ 5 == 5" },
		{ FX_CMP_EQ, 5, 6, 0, "EQ 6 == 5 fails" },
		{ FX_CMP_NE, 5, 6, 1, "NE 6 != 5" },
		{ FX_CMP_NE, 5, 5, 0, "NE 5 != 5 fails" },
		{ FX_CMP_LT, 5, 4, 1, "LT 4 < 5" },
		{ FX_CMP_LT, 5, 5, 0, "LT 5 < 5 fails" },
		{ FX_CMP_LT, 0, 0xffffffff, 1, "LT is signed: -1 < 0" },
		{ FX_CMP_LE, 5, 5, 1, "LE 5 <= 5" },
		{ FX_CMP_LE, 5, 6, 0, "LE 6 <= 5 fails" },
		{ FX_CMP_GT, 5, 6, 1, "GT 6 > 5" },
		{ FX_CMP_GT, 5, 5, 0, "GT 5 > 5 fails" },
		{ FX_CMP_GT, 0xfff, 0, 1, "GT: cmparg 0xfff is -1, 0 > -1" },
		{ FX_CMP_GE, 5, 5, 1, "GE 5 >= 5" },
		{ FX_CMP_GE, 5, 4, 0, "GE 4 >= 5 fails" },
	};
	unsigned int i;
	pid_t pid, w1;
	long r;

	s->stop = 0;
	s->u2 = 0;
	pid = u2_waiter();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (fx_await(&s->u2, 1) < 0)
			bail_out("the FUTEX_WAKE_OP waiter never slept");
		s->u2 = c[i].old;
		r = fx(&s->a, FX_WAKE_OP, 1, (void *)1L, &s->u2,
		    FX_OP(FX_OP_ADD, 1, c[i].cmp, c[i].cmparg));
		is_long(r, c[i].woken, "futex(2): FUTEX_WAKE_OP compares the "
		    "old value: %s", c[i].what);
		is_hex(s->u2, c[i].old + 1,
		    "futex(2): ... after adding 1 to the word");
	}
	/* One waiter on each word: both woken. */
	s->a = 0;
	w1 = fx_child_wait(&s->a, FX_WAIT, 0, NULL, 0);
	fx_await(&s->a, 1);
	fx_await(&s->u2, 1);
	s->u2 = 0;
	is_long(fx(&s->a, FX_WAKE_OP, 1, (void *)1L, &s->u2,
	    FX_OP(FX_OP_SET, 1, FX_CMP_EQ, 0)), 2,
	    "futex(2): FUTEX_WAKE_OP wakes on uaddr and on uaddr2 (2)");
	is_exit(conf_wait(w1), 0, "futex(2): the uaddr waiter was woken");
	__atomic_store_n(&s->stop, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&s->u2, 1, __ATOMIC_SEQ_CST);
	fx(&s->u2, FX_WAKE, INT_MAX, NULL, NULL, 0);
	is_exit(conf_wait(pid), 0, "futex(2): the uaddr2 waiter ended");
}


static void
on_usr1(int sig)
{
	(void)sig;
	s->handled++;
}

/*
 * Wait until the waiter's handler has run: until then it may still be
 * counted as waiting from before the signal, and a FUTEX_WAKE sent in
 * between would find no one.  At most 20 s (a stuck kernel, not a slow
 * one: nothing is asserted about time).
 */
static void
await_handled(void)
{
	int64_t end = conf_now_ns(CLOCK_MONOTONIC) + 20000 * CONF_MS;

	while (s->handled == 0 && conf_now_ns(CLOCK_MONOTONIC) < end)
		sched_yield();
}

/* A child that waits on s->a with a SIGUSR1 handler (flags, timeout). */
static pid_t
sig_waiter(int flags, const struct timespec *ts)
{
	struct sigaction sa;
	pid_t pid;
	long r;

	s->handled = 0;
	pid = conf_fork();
	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = flags;
		sigaction(SIGUSR1, &sa, NULL);
		r = fx(&s->a, FX_WAIT, 0, ts, NULL, 0);
		_exit(s->handled != 1 ? 99 : fx_code(r));
	}
	return pid;
}

static void
signals(void)
{
	struct timespec long_ts = { 600, 0 };
	pid_t pid;

	s->a = 0;
	pid = sig_waiter(0, NULL);
	fx_await(&s->a, 1);
	kill(pid, SIGUSR1);
	is_exit(conf_wait(pid), EINTR, "futex(2): a handler without "
	    "SA_RESTART ends FUTEX_WAIT with EINTR");

	pid = sig_waiter(SA_RESTART, NULL);
	fx_await(&s->a, 1);
	kill(pid, SIGUSR1);
	await_handled();
	is_long(fx_await(&s->a, 1), 0, "futex(2): with SA_RESTART the "
	    "untimed FUTEX_WAIT is restarted (sleeps again)");
	is_long(fx(&s->a, FX_WAKE, 1, NULL, NULL, 0), 1,
	    "futex(2): ... and a FUTEX_WAKE finds it");
	is_exit(conf_wait(pid), 0, "futex(2): ... which returns 0");

	pid = sig_waiter(SA_RESTART, &long_ts);
	fx_await(&s->a, 1);
	kill(pid, SIGUSR1);
	is_exit(conf_wait(pid), EINTR, "futex(2): a FUTEX_WAIT with a "
	    "timeout is EINTR after a handler, even with SA_RESTART");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	s = conf_shared(CONF_PAGE);
	wait_wake();
	bitsets();
	requeue();
	wake_op_cmp();
	signals();
	return done_testing();
}
