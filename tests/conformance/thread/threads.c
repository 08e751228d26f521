/*
 * Threads (clone with CLONE_THREAD, through musl's pthreads): four
 * threads counting under a mutex, join values, __thread variables, a
 * thread's exit() ending the process, a process-directed signal taken by
 * the one thread that does not block it, pthread_kill reaching the named
 * thread, and execve from a thread running the new program with the
 * process's pid.
 */
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

static volatile pid_t handled_in;
static volatile int ready2;

static void
on_usr(int sig)
{
	(void)sig;
	handled_in = gettid();
}

static void *
sleeper(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	if (arg != NULL) {
		sigaddset(&set, SIGUSR2);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	ready2 = 1;
	while (handled_in == 0)
		usleep(1000);
	return (void *)(long)gettid();
}

static void *
execer(void *arg)
{
	execl((char *)arg, (char *)arg, "--helper", "exec", (char *)NULL);
	return NULL;
}

static void
exec_from_thread(void *arg)
{
	pthread_t t;

	pthread_create(&t, NULL, execer, arg);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	char self[256];
	sigset_t set;
	pthread_t th;
	void *tidp;

	pthread_t t[4];
	void *ret;
	int i, ok_ret = 1;

	if (argc == 3)
		_exit(getpid() == gettid() ? 33 : 34);
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

	/* SIGUSR2 blocked here, unblocked in the thread: it takes it. */
	signal(SIGUSR2, on_usr);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	handled_in = 0;
	ready2 = 0;
	pthread_create(&th, NULL, sleeper, (void *)1);
	while (!ready2)
		usleep(1000);
	kill(getpid(), SIGUSR2);
	pthread_join(th, &tidp);
	is_long(handled_in, (long)tidp,
	    "a process signal runs in the thread that does not block it");

	/* tgkill to one thread. */
	signal(SIGUSR1, on_usr);
	handled_in = 0;
	ready2 = 0;
	pthread_create(&th, NULL, sleeper, NULL);
	while (!ready2)
		usleep(1000);
	pthread_kill(th, SIGUSR1);
	pthread_join(th, &tidp);
	is_long(handled_in, (long)tidp, "pthread_kill runs in that thread");

	conf_path(self, sizeof(self), "threads");
	is_exit(conf_in_child(exec_from_thread, self), 33,
	    "execve from a thread: the program runs as the process's pid");
	return done_testing();
}
