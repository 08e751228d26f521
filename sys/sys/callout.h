/*
 * Callouts: run a function once the monotonic clock reaches a deadline
 * (kern/kern_timeout.c).
 *
 * The timer interrupt calls callout_tick() on every tick (HZ a second), so
 * a callout runs on the first tick at or after its deadline: up to one
 * tick late, never early.  The function runs in interrupt context, with
 * interrupts off and no lock held; it must not sleep, and may take spin
 * locks (proc_lock to post a signal) and re-arm its own callout.
 *
 * A struct callout that is all zeroes is valid and idle, so one embedded
 * in a kmalloc(M_ZERO) structure needs no initialisation.
 *
 * Lock order: callout_lock is taken last (after proc_lock and before
 * nothing); it is never held while a callout's function runs.
 *
 * Locks protecting members of this struct:
 *	t	callout_lock
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>

typedef void callout_fn_t(void *arg);

struct callout {
	struct callout	*c_next;	/* [t] the queue, soonest first */
	uint64_t	 c_time;	/* [t] deadline, monotonic ns */
	callout_fn_t	*c_fn;		/* [t] */
	void		*c_arg;		/* [t] */
	bool		 c_pending;	/* [t] on the queue */
};

/*
 * Arm c to call fn(arg) at monotonic time deadline_ns (a deadline in the
 * past runs on the next tick); if c was armed, its old deadline is
 * forgotten.  Any context; takes callout_lock.
 */
void	callout_reset(struct callout *c, uint64_t deadline_ns,
	    callout_fn_t *fn, void *arg);
/*
 * Disarm c.  Returns true if it was armed (its function will not run for
 * that arming), false if it was not armed, or had already been taken off
 * the queue to run.  Any context; takes callout_lock.
 */
bool	callout_stop(struct callout *c);
/*
 * Wait until c's function is not running on any CPU (call it after
 * callout_stop and before freeing c).  No lock may be held that the
 * function takes.
 */
void	callout_drain(struct callout *c);
/* Is c armed?  A lock-free peek. */
bool	callout_pending(const struct callout *c);
/* Run the callouts whose deadline has passed: the timer interrupt only. */
void	callout_tick(void);

#endif /* _SYS_CALLOUT_H_ */
