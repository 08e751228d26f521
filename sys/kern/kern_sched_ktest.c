/*
 * In-kernel tests of the scheduler: kernel threads run, sleep and wake,
 * timed sleeps time out, and preemption lets a spinning thread share the
 * CPU.
 */
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/proc.h>

#include <machine/cpufunc.h>

static volatile int sched_kt_count;
static volatile int sched_kt_done;

static void
sched_kt_pinger(void *arg)
{
	int i, n = (int)(uintptr_t)arg;

	for (i = 0; i < n; i++) {
		sched_kt_count++;
		wakeup(&sched_kt_count);
		sched_yield();
	}
	sched_kt_done++;
	wakeup(&sched_kt_done);
}

/* Two threads take turns; the test sleeps until both are done. */
KTEST(sched_threads_run)
{
	struct thread *a, *b;

	sched_kt_count = 0;
	sched_kt_done = 0;
	a = thread_create_kernel(sched_kt_pinger, (void *)50, "kt-ping");
	b = thread_create_kernel(sched_kt_pinger, (void *)50, "kt-pong");
	KT_ASSERT(a != NULL && b != NULL);
	sched_add(a);
	sched_add(b);
	while (sched_kt_done < 2)
		KT_ASSERT(tsleep(&sched_kt_done, NULL, "ktest", 5000000000UL) ==
		    0 || sched_kt_done == 2);
	KT_ASSERT(sched_kt_count == 100);
	return 0;
}

/* A sleep with a deadline and nobody to wake it times out. */
KTEST(sched_tsleep_timeout)
{
	uint64_t t0 = clock_monotonic_ns();
	int error = tsleep(&t0, NULL, "ktest", 30000000UL);	/* 30 ms */

	KT_ASSERT(error == -ETIMEDOUT);
	KT_ASSERT(clock_monotonic_ns() - t0 >= 30000000UL);
	return 0;
}

static volatile int sched_kt_spin_stop;
static volatile uint64_t sched_kt_spins;

static void
sched_kt_spinner(void *arg __unused)
{
	while (!sched_kt_spin_stop)
		sched_kt_spins++;
	sched_kt_done++;
	wakeup(&sched_kt_done);
}

/*
 * A thread that never yields still lets this one run: the tick preempts
 * it.  (It also proves the spinner ran while we slept.)
 */
KTEST(sched_preemption)
{
	struct thread *td;
	uint64_t t0;

	sched_kt_spin_stop = 0;
	sched_kt_spins = 0;
	sched_kt_done = 0;
	td = thread_create_kernel(sched_kt_spinner, NULL, "kt-spin");
	KT_ASSERT(td != NULL);
	sched_add(td);
	/* Busy for 50 ms without yielding: only preemption lets it run. */
	t0 = clock_monotonic_ns();
	while (clock_monotonic_ns() - t0 < 50000000UL)
		cpu_pause();
	KT_ASSERT(sched_kt_spins > 0);
	sched_kt_spin_stop = 1;
	while (sched_kt_done < 1)
		tsleep(&sched_kt_done, NULL, "ktest", 10000000UL);
	return 0;
}
