/*
 * Sleep mutexes (sys/sys/mutex.h).
 *
 * The mutex's spin lock guards the owner and the count of waiters; a
 * thread that finds an owner sleeps on the mutex's address with tsleep,
 * which drops the spin lock only once the thread is on the sleep list, so
 * the owner's wakeup cannot be missed.
 */
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>

/* Make m a free mutex named name. */
void
mtx_init(struct mutex *m, const char *name)
{
	spin_init(&m->mtx_spin, name);
	m->mtx_owner = NULL;
	m->mtx_waiters = 0;
	m->mtx_name = name;
}

/*
 * Take m; sleep while another thread holds it.  Taking a mutex the
 * caller already holds is a kernel bug (it would never wake up).
 */
void
mtx_lock(struct mutex *m)
{
	struct thread *td = curthread;

	spin_lock(&m->mtx_spin);
	if (m->mtx_owner == td)
		panic("mtx_lock: %s is already held by this thread",
		    m->mtx_name);
	while (m->mtx_owner != NULL) {
		m->mtx_waiters++;
		tsleep(m, &m->mtx_spin, m->mtx_name, 0);
		m->mtx_waiters--;
	}
	m->mtx_owner = td;
	spin_unlock(&m->mtx_spin);
}

/*
 * Take m if no thread holds it, without sleeping: true when taken.  For
 * a thread that must not wait for a lock whose owner may wait for it.
 */
bool
mtx_trylock(struct mutex *m)
{
	bool taken;

	spin_lock(&m->mtx_spin);
	taken = m->mtx_owner == NULL;
	if (taken)
		m->mtx_owner = curthread;
	spin_unlock(&m->mtx_spin);
	return taken;
}

/* Let go of m, waking the threads waiting for it. */
void
mtx_unlock(struct mutex *m)
{
	spin_lock(&m->mtx_spin);
	if (m->mtx_owner != curthread)
		panic("mtx_unlock: %s is not held by this thread", m->mtx_name);
	m->mtx_owner = NULL;
	if (m->mtx_waiters > 0)
		wakeup(m);
	spin_unlock(&m->mtx_spin);
}

/* Does the current thread hold m? */
bool
mtx_owned(const struct mutex *m)
{
	return m->mtx_owner == curthread;
}
