/*
 * pthreads (musl, static) on clone(CLONE_THREAD...) and futex(2): a mutex
 * and a condition variable under contention, pthread_join's values,
 * detached threads, 50 threads, thread ids, and __thread variables.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

#define NTHR	4
#define ROUNDS	2000

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter, turn, detached_done;
static __thread long tls_value = 7;
static pid_t tids[50], pids[50];

/* Each thread adds ROUNDS times under the mutex. */
static void *
adder(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

/* Threads take turns in order id, id + NTHR, ... through the condvar. */
static void *
taker(void *arg)
{
	long id = (long)arg, taken = 0;

	pthread_mutex_lock(&mtx);
	for (;;) {
		while (turn < NTHR * 100 && turn % NTHR != id)
			pthread_cond_wait(&cv, &mtx);
		if (turn >= NTHR * 100)
			break;
		turn++;
		taken++;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mtx);
	return (void *)taken;
}

static void *
returner(void *arg)
{
	if ((long)arg == 1)
		pthread_exit((void *)(intptr_t)0x5eed);
	return (void *)((long)arg * 3);
}

static void *
detached(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mtx);
	detached_done++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mtx);
	return NULL;
}

static void *
ider(void *arg)
{
	long i = (long)arg;

	tids[i] = (pid_t)syscall(SYS_gettid);
	pids[i] = getpid();
	tls_value = 1000 + i;
	return (void *)tls_value;
}

int
main(int argc, char **argv)
{
	pthread_t t[50];
	pthread_attr_t attr;
	void *ret;
	long i, sum = 0, distinct = 1, same_pid = 1, tls_ok = 1;
	int j;

	(void)argc;
	conf_init(argv);
	for (i = 0; i < NTHR; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (i = 0; i < NTHR; i++)
		pthread_join(t[i], NULL);
	is_long(counter, NTHR * ROUNDS, "pthread_mutex_lock(3): four threads "
	    "adding under one mutex lose no update");

	for (i = 0; i < NTHR; i++)
		pthread_create(&t[i], NULL, taker, (void *)i);
	for (i = 0; i < NTHR; i++) {
		pthread_join(t[i], &ret);
		sum += (long)ret;
		if ((long)ret != 100)
			diag("thread %ld took %ld turns", i, (long)ret);
	}
	is_long(turn, NTHR * 100, "pthread_cond_wait(3): four threads take "
	    "400 turns in order through a condition variable");
	is_long(sum, NTHR * 100, "pthread_cond_wait(3): ... 100 each, as "
	    "joined");

	pthread_create(&t[0], NULL, returner, (void *)5);
	pthread_create(&t[1], NULL, returner, (void *)1);
	is_long(pthread_join(t[0], &ret), 0, "pthread_join(3): returns 0");
	is_long((long)ret, 15, "pthread_join(3): gives the value the thread "
	    "returned");
	pthread_join(t[1], &ret);
	is_hex((long)ret, 0x5eed, "pthread_exit(3): its value reaches "
	    "pthread_join");

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], &attr, detached, NULL);
	pthread_mutex_lock(&mtx);
	while (detached_done < 3)
		pthread_cond_wait(&cv, &mtx);
	pthread_mutex_unlock(&mtx);
	is_long(detached_done, 3, "pthread_attr_setdetachstate(3): three "
	    "detached threads ran");

	for (i = 0; i < 50; i++)
		if (pthread_create(&t[i], NULL, ider, (void *)i) != 0)
			bail_out("pthread_create %ld failed", i);
	for (i = 0; i < 50; i++) {
		pthread_join(t[i], &ret);
		if ((long)ret != 1000 + i)
			tls_ok = 0;
	}
	ok(1, "pthread_create(3): 50 threads created and joined");
	for (i = 0; i < 50; i++) {
		if (pids[i] != getpid())
			same_pid = 0;
		if (tids[i] == getpid())
			distinct = 0;
		for (j = 0; j < i; j++)
			if (tids[j] == tids[i])
				distinct = 0;
	}
	ok(distinct, "gettid(2): each thread's id differs from the pid and "
	    "from the others'");
	ok(same_pid, "getpid(2): every thread sees the process's pid");
	is_long(syscall(SYS_gettid), getpid(),
	    "gettid(2): the main thread's id is the pid");
	ok(tls_ok, "__thread: each thread had its own copy");
	is_long(tls_value, 7, "__thread: the main thread's copy is untouched");
	return done_testing();
}
