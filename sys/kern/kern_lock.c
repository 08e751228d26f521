/*
 * Spin locks (sys/sys/lock.h).
 *
 * Taking a lock disables interrupts on this CPU first and remembers whether
 * they were on; releasing it restores that state.  So a lock taken by
 * thread code can never be wanted by an interrupt handler on the same CPU
 * while it is held, which would deadlock.
 */
#include <sys/lock.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

/* Initialise a lock at run time; SPINLOCK_INIT does it statically. */
void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_rflags = 0;
	sl->sl_name = name;
}

/*
 * Take the lock, spinning while another CPU holds it.  Taking a lock this
 * CPU already holds is a bug (there is one CPU today, so it would spin
 * forever): with interrupts off that can only be recursion, so panic.
 */
void
spin_lock(struct spinlock *sl)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	if (__unlikely(sl->sl_locked))
		panic("spin_lock: %s already held (recursion)", sl->sl_name);
	while (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		cpu_pause();
	sl->sl_rflags = rflags;
}

/*
 * Take the lock only if it is free, without spinning: true when it is now
 * held (release it with spin_unlock), false when someone holds it.  For a
 * caller that holds a lock that comes after sl in the lock order
 * (vm_object_resize holds obj_lock and tries vm_lock).
 */
bool
spin_trylock(struct spinlock *sl)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	if (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0) {
		if (rflags & PSL_I)
			intr_enable();
		return false;
	}
	sl->sl_rflags = rflags;
	return true;
}

/* Release the lock and restore the interrupt state saved by spin_lock. */
void
spin_unlock(struct spinlock *sl)
{
	uint64_t rflags = sl->sl_rflags;

	KASSERT(sl->sl_locked, sl->sl_name);
	__atomic_store_n(&sl->sl_locked, 0, __ATOMIC_RELEASE);
	if (rflags & PSL_I)
		intr_enable();
}

/* Whether the lock is held (by anyone); for KASSERTs. */
bool
spin_held(const struct spinlock *sl)
{
	return sl->sl_locked != 0;
}
