/*
 * How threads end: exit(3) (exit_group) from a thread ends the process
 * with its status; (not yet here: the main thread's pthread_exit(3)
 * while others run on); CLONE_CHILD_CLEARTID clears the tid word and wakes a futex
 * waiter on it (what pthread_join sleeps on).
 */
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "futex_util.h"

static uint32_t *flag;
static volatile pid_t tidword;
static char stack[64 * 1024] __attribute__((aligned(16)));

static void *
exiter(void *arg)
{
	(void)arg;
	exit(42);
}

/* A raw clone thread: waits until the parent sleeps on tidword, ends. */
static int
cleartid_thread(void *arg)
{
	(void)arg;
	while (fx_waiters((volatile uint32_t *)&tidword, 0) != 1)
		sched_yield();
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t t;
	pid_t pid;
	int tid;
	long r;

	(void)argc;
	conf_init(argv);
	flag = conf_shared(CONF_PAGE);

	pid = conf_fork();
	if (pid == 0) {
		pthread_create(&t, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	is_exit(conf_wait(pid), 42, "exit_group(2): exit(42) in a thread ends "
	    "the whole process with status 42");

	tid = clone(cleartid_thread, stack + sizeof(stack), CLONE_VM |
	    CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	    CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL,
	    (pid_t *)&tidword, NULL, (pid_t *)&tidword);
	if (tid < 0)
		bail_out("clone: %s", tap_errname(errno));
	r = fx((volatile uint32_t *)&tidword, FX_WAIT, (uint32_t)tid, NULL,
	    NULL, 0);
	is_long(r, 0, "clone(2): CLONE_CHILD_CLEARTID wakes a futex waiter "
	    "on the tid word");
	is_long(tidword, 0, "clone(2): ... after clearing it");
	return done_testing();
}
