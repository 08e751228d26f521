/*
 * Robust mutexes (pthread_mutexattr_setrobust(3)): when the owner of a
 * robust mutex dies holding it - a thread that returns, or a whole process
 * sharing the mutex through MAP_SHARED memory - the kernel's walk of the
 * owner's robust list (set_robust_list(2)) marks it, and the next locker
 * gets EOWNERDEAD; pthread_mutex_consistent then makes it usable again,
 * while unlocking without it leaves it ENOTRECOVERABLE.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

static pthread_mutex_t *m;

static void *
lock_and_leave(void *arg)
{
	(void)arg;
	pthread_mutex_lock(m);
	return NULL;		/* ends holding it */
}

static void
init_robust(pthread_mutex_t *mx, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	pthread_mutex_init(mx, &a);
	pthread_mutexattr_destroy(&a);
}

int
main(int argc, char **argv)
{
	pthread_mutex_t local;
	pthread_t t;
	pid_t pid;

	(void)argc;
	conf_init(argv);

	/* A thread of this process dies holding it. */
	m = &local;
	init_robust(m, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&t, NULL, lock_and_leave, NULL);
	pthread_join(t, NULL);
	is_long(pthread_mutex_lock(m), EOWNERDEAD,
	    "a thread ended holding a robust mutex: the next lock gets "
	    "EOWNERDEAD");
	is_long(pthread_mutex_consistent(m), 0, "pthread_mutex_consistent");
	is_long(pthread_mutex_unlock(m), 0, "unlock");
	is_long(pthread_mutex_lock(m), 0, "then it locks normally");
	pthread_mutex_unlock(m);

	/* The same, left inconsistent: ENOTRECOVERABLE. */
	pthread_create(&t, NULL, lock_and_leave, NULL);
	pthread_join(t, NULL);
	is_long(pthread_mutex_lock(m), EOWNERDEAD, "EOWNERDEAD again");
	is_long(pthread_mutex_unlock(m), 0, "unlock without making it "
	    "consistent");
	is_long(pthread_mutex_lock(m), ENOTRECOVERABLE,
	    "then every lock is ENOTRECOVERABLE");

	/* A process sharing it through MAP_SHARED memory dies holding it. */
	m = conf_shared(sizeof(*m));
	init_robust(m, PTHREAD_PROCESS_SHARED);
	if ((pid = conf_fork()) == 0) {
		pthread_mutex_lock(m);
		_exit(0);
	}
	is_exit(conf_wait(pid), 0, "the child locked it and exited");
	is_long(pthread_mutex_lock(m), EOWNERDEAD,
	    "a process-shared robust mutex whose owner process died: "
	    "EOWNERDEAD");
	is_long(pthread_mutex_consistent(m), 0, "pthread_mutex_consistent");
	is_long(pthread_mutex_unlock(m), 0, "unlock");
	return done_testing();
}
