/*
 * What the futex cases of the thread family share: futex(2)'s constants
 * (uapi linux/futex.h, which musl does not ship), the raw call, and a way
 * to know that a child sleeps on a futex without waking it.
 */
#ifndef _FUTEX_UTIL_H_
#define _FUTEX_UTIL_H_

#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

#define FX_WAIT			0
#define FX_WAKE			1
#define FX_FD			2
#define FX_REQUEUE		3
#define FX_CMP_REQUEUE		4
#define FX_WAKE_OP		5
#define FX_WAIT_BITSET		9
#define FX_WAKE_BITSET		10
#define FX_PRIVATE		128
#define FX_CLOCK_REALTIME	256

#define FX_OP_SET		0
#define FX_OP_ADD		1
#define FX_OP_OR		2
#define FX_OP_ANDN		3
#define FX_OP_XOR		4
#define FX_OP_OPARG_SHIFT	8
#define FX_CMP_EQ		0
#define FX_CMP_NE		1
#define FX_CMP_LT		2
#define FX_CMP_LE		3
#define FX_CMP_GT		4
#define FX_CMP_GE		5
/* FUTEX_OP(op, oparg, cmp, cmparg): FUTEX_WAKE_OP's val3. */
#define FX_OP(op, oparg, cmp, cmparg)					\
	((((uint32_t)(op) & 0xf) << 28) | (((uint32_t)(cmp) & 0xf) << 24) | \
	 (((uint32_t)(oparg) & 0xfff) << 12) | ((uint32_t)(cmparg) & 0xfff))

#define FX_WAITERS		0x80000000u
#define FX_OWNER_DIED		0x40000000u
#define FX_TID_MASK		0x3fffffffu

/* futex(2), raw: the kernel's value (-errno on failure). */
static inline long
fx(volatile uint32_t *uaddr, int op, uint32_t val, const void *timeout,
    volatile uint32_t *uaddr2, uint32_t val3)
{
	return conf_sys(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

/*
 * How many waiters sleep on the word at u (op's PRIVATE flag says which
 * key): FUTEX_CMP_REQUEUE of u onto itself that wakes none and moves all
 * returns their number (futex(2): woken plus requeued).
 */
static inline long
fx_waiters(volatile uint32_t *u, int priv)
{
	return fx(u, FX_CMP_REQUEUE | priv, 0, (void *)(long)INT_MAX, u, *u);
}

/*
 * Yield until exactly n waiters sleep on u; 0, or -1 after 20 s (a broken
 * kernel, not a slow one: nothing else is asserted about time).
 */
static inline int
fx_await(volatile uint32_t *u, long n)
{
	int64_t end = conf_now_ns(CLOCK_MONOTONIC) + 20000 * CONF_MS;

	while (fx_waiters(u, 0) != n) {
		if (conf_now_ns(CLOCK_MONOTONIC) > end)
			return -1;
		sched_yield();
	}
	return 0;
}

/* An exit code for a futex result: 0, or the errno (all below 256). */
static inline int
fx_code(long r)
{
	return r == 0 ? 0 : r < 0 ? (int)-r : 200;
}

/* A child that waits on u for val (op, bitset, timeout) and exits. */
static inline pid_t
fx_child_wait(volatile uint32_t *u, int op, uint32_t val,
    const struct timespec *ts, uint32_t bitset)
{
	pid_t pid = conf_fork();

	if (pid == 0)
		_exit(fx_code(fx(u, op, val, ts, NULL, bitset)));
	return pid;
}

#endif /* _FUTEX_UTIL_H_ */
