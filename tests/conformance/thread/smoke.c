/* Integrator's smoke test of threads (temporary). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int mine;

static void *
worker(void *arg)
{
	int i;

	mine = (int)(long)arg;
	for (i = 0; i < 10000; i++) {
		pthread_mutex_lock(&m);
		counter++;
		pthread_mutex_unlock(&m);
	}
	return (void *)(long)(mine * 10 + (gettid() != getpid()));
}

static void *
exiter(void *arg)
{
	(void)arg;
	exit(7);
}

static void
group_exit(void *arg)
{
	pthread_t t;

	(void)arg;
	pthread_create(&t, NULL, exiter, NULL);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	pthread_t t[4];
	void *ret;
	int i, ok_ret = 1;

	(void)argc;
	conf_init(argv);
	for (i = 0; i < 4; i++)
		is_long(pthread_create(&t[i], NULL, worker, (void *)(long)(i + 1)),
		    0, "pthread_create %d", i);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		if ((long)ret != (i + 1) * 10 + 1)
			ok_ret = 0;
	}
	ok(ok_ret, "join values");
	is_long(counter, 40000, "counter");
	is_exit(conf_in_child(group_exit, NULL), 7, "exit from a thread ends the process");
	return done_testing();
}
