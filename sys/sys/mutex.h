/*
 * Sleep mutexes (kern/kern_mutex.c): a lock that may be held across a
 * sleep or a user copy, unlike a spin lock.  A thread that finds it taken
 * sleeps until the owner lets go.  Not recursive; not for interrupt
 * handlers.
 *
 * Locks protecting members of this struct:
 *	s	mtx_spin, the mutex's own spin lock
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/lock.h>
#include <sys/types.h>

struct thread;

struct mutex {
	struct spinlock	 mtx_spin;
	struct thread	*mtx_owner;	/* [s] NULL when free */
	int		 mtx_waiters;	/* [s] threads asleep on it */
	const char	*mtx_name;	/* [s] for the sleep's wmesg */
};

#define MUTEX_INIT(name)	{ SPINLOCK_INIT(name), NULL, 0, (name) }

void	mtx_init(struct mutex *m, const char *name);
/* Take m, sleeping (not interruptibly) while another thread has it. */
void	mtx_lock(struct mutex *m);
void	mtx_unlock(struct mutex *m);
/* Take m if it is free: true, or false at once (never sleeps). */
bool	mtx_trylock(struct mutex *m);
/* Does the current thread hold m?  For KASSERTs. */
bool	mtx_owned(const struct mutex *m);

#endif /* _SYS_MUTEX_H_ */
