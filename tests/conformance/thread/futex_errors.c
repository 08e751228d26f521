/*
 * futex(2) in one process: the answers that need no second waiter (the
 * word differs, timeouts, bad arguments, unknown operations) and what
 * FUTEX_WAKE_OP does to the second word.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "conf.h"
#include "futex_util.h"

/* FUTEX_WAKE_OP on a word holding start with no waiters: the new value. */
static uint32_t
wake_op(uint32_t start, uint32_t val3, long *ret)
{
	static uint32_t w1, w2;

	w2 = start;
	*ret = fx(&w1, FX_WAKE_OP | FX_PRIVATE, 1, (void *)1L, &w2, val3);
	return w2;
}

static void
errors(void)
{
	static uint32_t w = 5;
	struct timespec zero = { 0, 0 }, badns = { 0, 1000000000 };
	struct timespec negns = { 0, -1 }, negsec = { -1, 0 };
	char *odd = (char *)&w + 1;

	is_syserr(fx(&w, FX_WAIT, 1, NULL, NULL, 0), EAGAIN,
	    "futex(2): FUTEX_WAIT on a word that differs is EAGAIN");
	is_syserr(fx(&w, FX_WAIT | FX_PRIVATE, 4, NULL, NULL, 0), EAGAIN,
	    "futex(2): FUTEX_WAIT_PRIVATE on a word that differs is EAGAIN");
	is_syserr(fx(&w, FX_WAIT, 5, &zero, NULL, 0), ETIMEDOUT,
	    "futex(2): FUTEX_WAIT with a zero timeout is ETIMEDOUT");
	is_syserr(fx(&w, FX_WAIT, 5, &badns, NULL, 0), EINVAL,
	    "futex(2): a timeout of 1e9 ns is EINVAL");
	is_syserr(fx(&w, FX_WAIT, 5, &negns, NULL, 0), EINVAL,
	    "futex(2): a negative tv_nsec is EINVAL");
	is_syserr(fx(&w, FX_WAIT_BITSET, 5, &negsec, NULL, ~0u), EINVAL,
	    "futex(2): a negative tv_sec is EINVAL");
	is_syserr(fx(&w, FX_WAIT, 1, &badns, NULL, 0), EINVAL,
	    "futex(2): the timeout is checked before the word");
	is_syserr(fx(&w, FX_WAIT, 5, (void *)1, NULL, 0), EFAULT,
	    "futex(2): a timeout at address 1 is EFAULT");
	is_syserr(fx(NULL, FX_WAIT, 0, &zero, NULL, 0), EFAULT,
	    "futex(2): FUTEX_WAIT on NULL is EFAULT");
	is_syserr(fx(CONF_KERNEL_ADDR, FX_WAIT | FX_PRIVATE, 0, &zero, NULL,
	    0), EFAULT, "futex(2): FUTEX_WAIT on a kernel address is EFAULT");
	is_syserr(fx((uint32_t *)odd, FX_WAIT, 5, &zero, NULL, 0), EINVAL,
	    "futex(2): FUTEX_WAIT on a misaligned word is EINVAL");
	is_syserr(fx((uint32_t *)odd, FX_WAKE | FX_PRIVATE, 1, NULL, NULL, 0),
	    EINVAL, "futex(2): FUTEX_WAKE on a misaligned word is EINVAL");
	is_long(fx(&w, FX_WAKE, 1, NULL, NULL, 0), 0,
	    "futex(2): FUTEX_WAKE with no waiters returns 0");
	is_long(fx(NULL, FX_WAKE | FX_PRIVATE, 1, NULL, NULL, 0), 0,
	    "futex(2): FUTEX_WAKE_PRIVATE never reads the word (NULL: 0)");
	is_syserr(fx(NULL, FX_WAKE, 1, NULL, NULL, 0), EFAULT,
	    "futex(2): a shared FUTEX_WAKE on NULL is EFAULT");
	is_syserr(fx(&w, FX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL,
	    "futex(2): FUTEX_WAIT_BITSET with bitset 0 is EINVAL");
	is_syserr(fx(&w, FX_WAIT_BITSET, 1, NULL, NULL, 0), EINVAL,
	    "futex(2): bitset 0 is EINVAL even when the word differs");
	is_syserr(fx(&w, FX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL,
	    "futex(2): FUTEX_WAKE_BITSET with bitset 0 is EINVAL");
	is_syserr(fx(&w, 99, 1, NULL, NULL, 0), ENOSYS,
	    "futex(2): an unknown operation is ENOSYS");
	is_syserr(fx(&w, FX_FD, 1, NULL, NULL, 0), ENOSYS,
	    "futex(2): FUTEX_FD (removed in 2.6.26) is ENOSYS");
	is_syserr(fx(&w, FX_WAIT | FX_CLOCK_REALTIME, 1, NULL, NULL, 0),
	    ENOSYS, "futex(2): FUTEX_CLOCK_REALTIME with FUTEX_WAIT is ENOSYS");
	is_syserr(fx(&w, FX_WAKE | FX_PRIVATE | FX_CLOCK_REALTIME, 1, NULL,
	    NULL, 0), ENOSYS,
	    "futex(2): FUTEX_CLOCK_REALTIME with FUTEX_WAKE is ENOSYS");
	is_syserr(fx(&w, FX_WAIT_BITSET, 5, &zero, NULL, ~0u), ETIMEDOUT,
	    "futex(2): FUTEX_WAIT_BITSET's timeout is absolute (0 is past)");
	is_syserr(fx(&w, FX_WAIT_BITSET | FX_CLOCK_REALTIME, 5, &zero, NULL,
	    ~0u), ETIMEDOUT,
	    "futex(2): FUTEX_CLOCK_REALTIME: an absolute time in 1970 is past");
}

static void
timeouts(void)
{
	static uint32_t w;
	struct timespec rel = { 0, 30 * CONF_MS }, abs;
	int64_t t0, t1;

	t0 = conf_now_ns(CLOCK_MONOTONIC);
	is_syserr(fx(&w, FX_WAIT | FX_PRIVATE, 0, &rel, NULL, 0), ETIMEDOUT,
	    "futex(2): FUTEX_WAIT for 30 ms nobody wakes is ETIMEDOUT");
	t1 = conf_now_ns(CLOCK_MONOTONIC);
	cmp_long(t1 - t0, ">=", 30 * CONF_MS,
	    "futex(2): ... after at least 30 ms (CLOCK_MONOTONIC)");

	t0 = conf_now_ns(CLOCK_MONOTONIC);
	abs.tv_sec = (t0 + 30 * CONF_MS) / 1000000000;
	abs.tv_nsec = (t0 + 30 * CONF_MS) % 1000000000;
	is_syserr(fx(&w, FX_WAIT_BITSET | FX_PRIVATE, 0, &abs, NULL, ~0u),
	    ETIMEDOUT, "futex(2): FUTEX_WAIT_BITSET until now + 30 ms on "
	    "CLOCK_MONOTONIC is ETIMEDOUT");
	cmp_long(conf_now_ns(CLOCK_MONOTONIC), ">=", t0 + 30 * CONF_MS,
	    "futex(2): ... not before that time");

	t0 = conf_now_ns(CLOCK_REALTIME);
	abs.tv_sec = (t0 + 30 * CONF_MS) / 1000000000;
	abs.tv_nsec = (t0 + 30 * CONF_MS) % 1000000000;
	is_syserr(fx(&w, FX_WAIT_BITSET | FX_CLOCK_REALTIME, 0, &abs, NULL,
	    ~0u), ETIMEDOUT, "futex(2): FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME "
	    "until now + 30 ms is ETIMEDOUT");
	cmp_long(conf_now_ns(CLOCK_REALTIME), ">=", t0 + 30 * CONF_MS,
	    "futex(2): ... not before that time (CLOCK_REALTIME)");
}

static void
requeue_errors(void)
{
	static uint32_t a = 7, b;

	is_syserr(fx(&a, FX_REQUEUE, 1, (void *)-1L, &b, 0), EINVAL,
	    "futex(2): FUTEX_REQUEUE of a negative count is EINVAL");
	is_syserr(fx(&a, FX_REQUEUE, (uint32_t)-1, (void *)1L, &b, 0), EINVAL,
	    "futex(2): FUTEX_REQUEUE waking a negative count is EINVAL");
	is_syserr(fx(&a, FX_CMP_REQUEUE, 1, (void *)1L, &b, 6), EAGAIN,
	    "futex(2): FUTEX_CMP_REQUEUE when the word differs is EAGAIN");
	is_long(fx(&a, FX_CMP_REQUEUE, 1, (void *)1L, &b, 7), 0,
	    "futex(2): FUTEX_CMP_REQUEUE with no waiters returns 0");
	is_syserr(fx(&a, FX_CMP_REQUEUE, 1, (void *)1L, NULL, 7), EFAULT,
	    "futex(2): FUTEX_CMP_REQUEUE to NULL is EFAULT");
	is_syserr(fx(&a, FX_CMP_REQUEUE, 1, (void *)1L,
	    (uint32_t *)((char *)&b + 2), 7), EINVAL,
	    "futex(2): FUTEX_CMP_REQUEUE to a misaligned word is EINVAL");
}

static void
wake_ops(void)
{
	static uint32_t w1, w2 = 3;
	uint32_t *ro;
	long r;

	is_hex(wake_op(9, FX_OP(FX_OP_SET, 5, FX_CMP_EQ, 0), &r), 5,
	    "futex(2): FUTEX_OP_SET stores oparg");
	is_long(r, 0, "futex(2): FUTEX_WAKE_OP with no waiters returns 0");
	is_hex(wake_op(9, FX_OP(FX_OP_ADD, 5, FX_CMP_EQ, 0), &r), 14,
	    "futex(2): FUTEX_OP_ADD adds oparg");
	is_hex(wake_op(9, FX_OP(FX_OP_ADD, 0xfff, FX_CMP_EQ, 0), &r), 8,
	    "futex(2): oparg is a signed 12-bit number (0xfff: -1)");
	is_hex(wake_op(9, FX_OP(FX_OP_OR, 6, FX_CMP_EQ, 0), &r), 15,
	    "futex(2): FUTEX_OP_OR");
	is_hex(wake_op(15, FX_OP(FX_OP_ANDN, 6, FX_CMP_EQ, 0), &r), 9,
	    "futex(2): FUTEX_OP_ANDN clears oparg's bits");
	is_hex(wake_op(15, FX_OP(FX_OP_XOR, 0x30, FX_CMP_EQ, 0), &r), 0x3f,
	    "futex(2): FUTEX_OP_XOR");
	is_hex(wake_op(1, FX_OP(FX_OP_SET | FX_OP_OPARG_SHIFT, 31, FX_CMP_EQ,
	    0), &r), 0x80000000u,
	    "futex(2): FUTEX_OP_OPARG_SHIFT: the operand is 1 << oparg");
	is_hex(wake_op(1, FX_OP(FX_OP_OR | FX_OP_OPARG_SHIFT, 4, FX_CMP_EQ,
	    0), &r), 0x11, "futex(2): FUTEX_OP_OR with FUTEX_OP_OPARG_SHIFT");
	is_hex(wake_op(7, FX_OP(5, 1, FX_CMP_EQ, 0), &r), 7,
	    "futex(2): FUTEX_WAKE_OP with an unknown operation leaves the "
	    "word");
	is_long(r, -ENOSYS, "futex(2): ... and is ENOSYS");
	is_hex(wake_op(7, FX_OP(FX_OP_ADD, 1, 9, 0), &r), 8,
	    "futex(2): an unknown comparison comes after the operation");
	is_long(r, -ENOSYS, "futex(2): ... and is ENOSYS");

	is_syserr(fx(&w1, FX_WAKE_OP, 1, (void *)1L, NULL,
	    FX_OP(FX_OP_ADD, 1, FX_CMP_EQ, 0)), EFAULT,
	    "futex(2): FUTEX_WAKE_OP on NULL is EFAULT");
	is_syserr(fx(&w1, FX_WAKE_OP, 1, (void *)1L,
	    (uint32_t *)((char *)&w2 + 1), FX_OP(FX_OP_ADD, 1, FX_CMP_EQ, 0)),
	    EINVAL, "futex(2): FUTEX_WAKE_OP on a misaligned word is EINVAL");
	ro = mmap(NULL, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	    0);
	if (ro == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	is_syserr(fx(&w1, FX_WAKE_OP | FX_PRIVATE, 1, (void *)1L, ro,
	    FX_OP(FX_OP_ADD, 1, FX_CMP_EQ, 0)), EFAULT,
	    "futex(2): FUTEX_WAKE_OP on a read-only page is EFAULT");
	is_hex(*ro, 0, "futex(2): ... which it left as it was");
	is_syserr(fx(ro, FX_WAIT, 0, NULL, NULL, 0), EFAULT,
	    "futex(2): a shared-key FUTEX_WAIT in a read-only private mapping "
	    "is EFAULT");
	{
		struct timespec zero = { 0, 0 };

		is_syserr(fx(ro, FX_WAIT | FX_PRIVATE, 0, &zero, NULL, 0),
		    ETIMEDOUT, "futex(2): FUTEX_WAIT_PRIVATE there reads the "
		    "word (ETIMEDOUT)");
	}
	munmap(ro, CONF_PAGE);
	is_syserr(fx(ro, FX_WAKE, 1, NULL, NULL, 0), EFAULT,
	    "futex(2): a shared-key FUTEX_WAKE on an unmapped word is EFAULT");
	is_long(fx(ro, FX_WAKE | FX_PRIVATE, 1, NULL, NULL, 0), 0,
	    "futex(2): FUTEX_WAKE_PRIVATE there returns 0");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	errors();
	timeouts();
	requeue_errors();
	wake_ops();
	return done_testing();
}
