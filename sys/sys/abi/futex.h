/*
 * Fast user-space locking (uapi linux/futex.h; futex(2),
 * set_robust_list(2), get_robust_list(2)).  Includes nothing.
 *
 * The futex operation is the low bits of futex(2)'s op argument, ORed
 * with FUTEX_PRIVATE_FLAG (the word is not shared with other processes)
 * and FUTEX_CLOCK_REALTIME (an absolute timeout is on CLOCK_REALTIME).
 */
#ifndef _SYS_ABI_FUTEX_H_
#define _SYS_ABI_FUTEX_H_

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2	/* removed in Linux 2.6.26 */
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13

#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET: every bit. */
#define FUTEX_BITSET_MATCH_ANY	0xffffffff

/*
 * FUTEX_WAKE_OP's val3: op << 28 | cmp << 24 | oparg << 12 | cmparg,
 * oparg and cmparg 12-bit signed; with FUTEX_OP_OPARG_SHIFT in op the
 * operand is 1 << oparg.
 */
#define FUTEX_OP_SET		0	/* *uaddr2 = oparg */
#define FUTEX_OP_ADD		1	/* *uaddr2 += oparg */
#define FUTEX_OP_OR		2	/* *uaddr2 |= oparg */
#define FUTEX_OP_ANDN		3	/* *uaddr2 &= ~oparg */
#define FUTEX_OP_XOR		4	/* *uaddr2 ^= oparg */
#define FUTEX_OP_OPARG_SHIFT	8	/* oparg is a shift count */

#define FUTEX_OP_CMP_EQ		0	/* old == cmparg */
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2	/* signed comparisons */
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5

/*
 * A robust futex word: the owner's thread id in the low bits; when the
 * owner dies the kernel sets FUTEX_OWNER_DIED and clears the id.
 */
#define FUTEX_WAITERS		0x80000000	/* someone sleeps on it */
#define FUTEX_OWNER_DIED	0x40000000
#define FUTEX_TID_MASK		0x3fffffff

/* The kernel walks at most this many entries of a robust list. */
#define ROBUST_LIST_LIMIT	2048

/* struct robust_list: one entry; bit 0 of next marks a PI futex. */
struct l_robust_list {
	struct l_robust_list *next;
};

/*
 * struct robust_list_head: the list a thread registers with
 * set_robust_list(2).  The futex word of an entry is at the entry's
 * address plus futex_offset; list_op_pending is an entry being added or
 * removed.
 */
struct l_robust_list_head {
	struct l_robust_list list;	/* circular: ends at &head->list */
	long	futex_offset;
	struct l_robust_list *list_op_pending;
};

_Static_assert(sizeof(struct l_robust_list_head) == 24, "robust_list_head");
_Static_assert(__builtin_offsetof(struct l_robust_list_head,
    list_op_pending) == 16, "list_op_pending");

#endif /* _SYS_ABI_FUTEX_H_ */
