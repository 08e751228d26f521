/*
 * Micro-benchmarks of the system calls a shell uses most, for EclipseOS
 * and the host Linux alike (static musl).  Each benchmark calibrates its
 * batch size to take about 20 ms, runs several batches, and prints the
 * median time per operation:
 *
 *	bench: getpid 123.4 ns/op (batches 7 x 65536)
 *
 * and the CPU shares of spinners at different nice values:
 *
 *	bench: cpu share nice 19 1.3 %
 *
 * The issue-11 suite grows from this file.  When run as PID 1 (inside
 * EclipseOS) it powers the machine off at the end.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCHES		7
#define TARGET_NS	20000000ULL	/* one batch: about 20 ms */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void
op_getpid(void)
{
	/* The raw call: musl does not cache getpid, but be explicit. */
	syscall(SYS_getpid);
}

static void
op_fork_exit_wait(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		perror("bench: fork+exit+wait");
		exit(1);
	}
}

static volatile sig_atomic_t bench_sig_hits;

static void
on_usr1(int sig)
{
	(void)sig;
	bench_sig_hits++;
}

/* kill(self) -> handler -> rt_sigreturn: one signal round trip. */
static void
op_signal_round_trip(void)
{
	sig_atomic_t before = bench_sig_hits;

	if (kill(getpid(), SIGUSR1) != 0 || bench_sig_hits != before + 1) {
		perror("bench: signal round trip");
		exit(1);
	}
}

/*
 * The CPU share of three spinners at nice 0, 10 and 19, pinned to one CPU
 * (CPU 0) for SHARE_NS of wall time: each spins from the parent's go
 * flag to its stop flag and stores the CPU time (getrusage) it used in
 * between in a shared page.
 * Linux's weights (1024, 110, 15) predict 89.1%, 9.6% and 1.3%.
 */
#define SHARE_NS	3000000000ULL
#define SHARE_N		3

struct share {
	volatile int	go;
	volatile int	stop;
	volatile int	ready;
	uint64_t	cpu_ns[SHARE_N];
};

static uint64_t
rusage_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000000ULL + (uint64_t)(ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) * 1000ULL;
}

static void
bench_nice_share(void)
{
	static const int nices[SHARE_N] = { 0, 10, 19 };
	struct share *sh;
	unsigned long cpu0 = 1;
	uint64_t base, total = 0;
	pid_t pids[SHARE_N];
	int i, status;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED ||
	    syscall(SYS_sched_setaffinity, 0, sizeof(cpu0), &cpu0) != 0) {
		perror("bench: nice share setup");
		exit(1);
	}
	for (i = 0; i < SHARE_N; i++) {
		if ((pids[i] = fork()) < 0) {
			perror("bench: nice share fork");
			exit(1);
		}
		if (pids[i] == 0) {
			if (setpriority(PRIO_PROCESS, 0, nices[i]) != 0)
				_exit(1);
			__atomic_fetch_add(&sh->ready, 1, __ATOMIC_SEQ_CST);
			while (!sh->go)
				continue;
			base = rusage_ns();
			while (!sh->stop)
				continue;
			sh->cpu_ns[i] = rusage_ns() - base;
			_exit(0);
		}
	}
	while (sh->ready < SHARE_N)
		usleep(1000);
	sh->go = 1;
	usleep(SHARE_NS / 1000);
	sh->stop = 1;
	for (i = 0; i < SHARE_N; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || status != 0) {
			fprintf(stderr, "bench: nice share child failed\n");
			exit(1);
		}
		total += sh->cpu_ns[i];
	}
	for (i = 0; i < SHARE_N && total > 0; i++)
		printf("bench: cpu share nice %d %.1f %%\n", nices[i],
		    100.0 * (double)sh->cpu_ns[i] / (double)total);
	fflush(stdout);
	munmap(sh, sizeof(*sh));
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run op in batches; print the median ns per operation. */
static void
bench(const char *name, void (*op)(void))
{
	uint64_t n = 1, t0, dt, per[BATCHES];
	int b;

	/* Calibrate: double the batch until it takes TARGET_NS. */
	for (;;) {
		t0 = now_ns();
		for (uint64_t i = 0; i < n; i++)
			op();
		dt = now_ns() - t0;
		if (dt >= TARGET_NS || n >= (1ULL << 30))
			break;
		n *= 2;
	}
	for (b = 0; b < BATCHES; b++) {
		t0 = now_ns();
		for (uint64_t i = 0; i < n; i++)
			op();
		per[b] = (now_ns() - t0) * 1000 / n;	/* ps per op */
	}
	qsort(per, BATCHES, sizeof(per[0]), cmp_u64);
	printf("bench: %s %llu.%llu ns/op (batches %d x %llu)\n", name,
	    (unsigned long long)per[BATCHES / 2] / 1000,
	    (unsigned long long)(per[BATCHES / 2] % 1000) / 100, BATCHES,
	    (unsigned long long)n);
	fflush(stdout);
}

int
main(void)
{
	bench("getpid", op_getpid);
	bench("fork+exit+wait", op_fork_exit_wait);
	signal(SIGUSR1, on_usr1);
	bench("signal round trip", op_signal_round_trip);
	bench_nice_share();
	printf("bench: done\n");
	fflush(stdout);
	if (getpid() == 1)
		syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL);
	return 0;
}
