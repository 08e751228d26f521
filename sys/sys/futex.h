/*
 * Futexes (kern/kern_futex.c): the wait queues behind futex(2), and the
 * robust-list cleanup a dying thread runs.
 *
 * A futex is a 32-bit word of user memory that threads sleep on until
 * another thread wakes them at the same word.  Waiters sit in a hash
 * table of queues under one spin lock, futex_lock; a futex is known by
 * its key, (address space, user address) for private memory and
 * (shared object, byte offset) for MAP_SHARED memory used without
 * FUTEX_PRIVATE_FLAG, so processes that map the same page at different
 * addresses meet.
 *
 * Lock order: futex_lock, then vm_lock (a fault while reading the word),
 * then sched_lock (tsleep, wakeup).  futex_lock is never taken with
 * vm_lock held.
 */
#ifndef _SYS_FUTEX_H_
#define _SYS_FUTEX_H_

#include <sys/systm.h>
#include <sys/types.h>

struct thread;

/*
 * Run the robust list of td, the current thread, which is dying: each
 * futex word on it (and its list_op_pending) that td owns gets
 * FUTEX_OWNER_DIED with the owner cleared, and one waiter is woken when
 * FUTEX_WAITERS was set.  At most ROBUST_LIST_LIMIT entries; stops at a
 * bad pointer.  Called with no lock held, before td's address space goes.
 */
void	futex_robust_exit(struct thread *td);

/*
 * Wake up to nwake waiters on the word at uaddr in the current process,
 * as FUTEX_WAKE without FUTEX_PRIVATE_FLAG does (CLONE_CHILD_CLEARTID at
 * thread exit).  No lock held.  Returns how many were woken, or -EINVAL
 * (misaligned) or -EFAULT (not mapped).
 */
int	futex_wake_user(uintptr_t uaddr, int nwake);

/*
 * arch/x86_64/copy.S: atomically compare the user word at uaddr with old
 * and store new there if they are equal (lock cmpxchg); *actual gets the
 * value found.  Faults are resolved as for copyout (a write).  Returns 0,
 * or -EFAULT for an address outside user space or a fault that cannot be
 * resolved.  uaddr must be 4-byte aligned.
 */
int	casuword32(uint32_t __user *uaddr, uint32_t old, uint32_t new,
	    uint32_t *actual);

#endif /* _SYS_FUTEX_H_ */
