/*
 * Callouts (sys/sys/callout.h): functions run by the timer interrupt at a
 * monotonic deadline.  alarm(2), setitimer(2)'s ITIMER_REAL and the POSIX
 * timers of clock-based clocks are built on them.
 *
 * The armed callouts wait on one list sorted by deadline, so the tick
 * only looks at the head.  Arming is O(n) in the number of armed
 * callouts, which is small here (a few per process).  callout_running
 * names the callout whose function runs now, so that callout_drain can
 * wait for it before its owner frees it.
 */
#include <sys/callout.h>
#include <sys/clock.h>
#include <sys/lock.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

static struct spinlock callout_lock = SPINLOCK_INIT("callout_lock");
static struct callout *callout_queue;		/* [t] soonest first */
static struct callout *volatile callout_running; /* [t] its fn runs now */

/* Take c off the queue if it is on it.  callout_lock held. */
static bool
callout_unlink(struct callout *c)
{
	struct callout **cp;

	KASSERT(spin_held(&callout_lock), "callout_lock");
	if (!c->c_pending)
		return false;
	for (cp = &callout_queue; *cp != NULL; cp = &(*cp)->c_next) {
		if (*cp == c) {
			*cp = c->c_next;
			break;
		}
	}
	c->c_next = NULL;
	c->c_pending = false;
	return true;
}

/*
 * Arm c for fn(arg) at deadline_ns, replacing any earlier arming.  Takes
 * callout_lock; any context.
 */
void
callout_reset(struct callout *c, uint64_t deadline_ns, callout_fn_t *fn,
    void *arg)
{
	struct callout **cp;

	spin_lock(&callout_lock);
	callout_unlink(c);
	c->c_time = deadline_ns;
	c->c_fn = fn;
	c->c_arg = arg;
	/* After the callouts due at the same time: first armed, first run. */
	for (cp = &callout_queue; *cp != NULL && (*cp)->c_time <= deadline_ns;
	    cp = &(*cp)->c_next)
		;
	c->c_next = *cp;
	*cp = c;
	c->c_pending = true;
	spin_unlock(&callout_lock);
}

/*
 * Disarm c.  True if this call took it off the queue; false if it was not
 * armed or its function has already been started.  Takes callout_lock.
 */
bool
callout_stop(struct callout *c)
{
	bool was;

	spin_lock(&callout_lock);
	was = callout_unlink(c);
	spin_unlock(&callout_lock);
	return was;
}

/*
 * Wait for c's function to return if a CPU runs it now.  With one CPU the
 * function runs inside the timer interrupt, which thread code cannot
 * overlap, so this only spins once there are several CPUs.  The caller
 * holds no lock that the function takes.
 */
void
callout_drain(struct callout *c)
{
	while (callout_running == c)
		cpu_pause();
}

/* Is c armed?  A peek without the lock; the answer may be stale. */
bool
callout_pending(const struct callout *c)
{
	return ((const volatile struct callout *)c)->c_pending;
}

/*
 * The timer interrupt: run every callout whose deadline has come, each
 * with callout_lock released (a function may re-arm its own callout or
 * arm others; one armed for the past runs in this same pass).
 */
void
callout_tick(void)
{
	struct callout *c;
	callout_fn_t *fn;
	void *arg;
	uint64_t now;

	if (callout_queue == NULL)
		return;		/* the common case: a peek, no lock */
	now = clock_monotonic_ns();
	for (;;) {
		spin_lock(&callout_lock);
		c = callout_queue;
		if (c == NULL || c->c_time > now) {
			spin_unlock(&callout_lock);
			break;
		}
		callout_queue = c->c_next;
		c->c_next = NULL;
		c->c_pending = false;
		fn = c->c_fn;
		arg = c->c_arg;
		callout_running = c;
		spin_unlock(&callout_lock);
		fn(arg);
		callout_running = NULL;
	}
}
