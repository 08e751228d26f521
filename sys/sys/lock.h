/*
 * Spin locks.
 *
 * A spin lock also disables interrupts on this CPU while it is held, so an
 * interrupt handler may take a lock that thread code holds without
 * deadlocking.  The interrupt state is saved in the lock and restored by
 * spin_unlock().  Locks are named, so a KASSERT or a hang names the lock.
 *
 * EclipseOS runs on one CPU for now; the atomic exchange keeps the code
 * correct when the scheduler issue brings up the others.
 */
#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_

#include <sys/types.h>

struct spinlock {
	volatile uint32_t	 sl_locked;
	uint64_t		 sl_rflags;	/* saved by the holder */
	const char		*sl_name;
};

#define SPINLOCK_INIT(name)	{ 0, 0, (name) }

void	spin_init(struct spinlock *sl, const char *name);
void	spin_lock(struct spinlock *sl);
/* Take sl if it is free; true when taken (lock order exceptions). */
bool	spin_trylock(struct spinlock *sl);
void	spin_unlock(struct spinlock *sl);
bool	spin_held(const struct spinlock *sl);

#endif /* _SYS_LOCK_H_ */
