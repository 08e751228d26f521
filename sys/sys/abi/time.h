/*
 * Linux time structures and clock ids (uapi linux/time.h and
 * linux/time_types.h; clock_gettime(2), gettimeofday(2), setitimer(2)).
 * On x86_64 every time field is a 64-bit long, so the "old" and the
 * "64-bit time" variants of each structure are one and the same.
 * Includes nothing.
 */
#ifndef _SYS_ABI_TIME_H_
#define _SYS_ABI_TIME_H_

/* struct timespec, struct __kernel_timespec */
struct l_timespec {
	long	tv_sec;
	long	tv_nsec;		/* 0 .. 999999999 */
};

/* struct timeval, struct __kernel_old_timeval */
struct l_timeval {
	long	tv_sec;
	long	tv_usec;		/* 0 .. 999999 */
};

/* gettimeofday(2)'s second argument; kept, reported, never applied. */
struct l_timezone {
	int	tz_minuteswest;		/* minutes west of Greenwich */
	int	tz_dsttime;		/* obsolete; 0 */
};

struct l_itimerval {
	struct l_timeval it_interval;	/* period, 0: one shot */
	struct l_timeval it_value;	/* until the next expiry */
};

struct l_itimerspec {
	struct l_timespec it_interval;
	struct l_timespec it_value;
};

/* Clock ids (clock_gettime(2)). */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_SGI_CYCLE			10	/* retired, never reused */
#define CLOCK_TAI			11
#define MAX_CLOCKS			16

/*
 * A negative clock id names another process's or thread's CPU-time
 * clock: ((~pid) << 3) | (per-thread ? 4 : 0) | kind, which is what the C
 * libraries' clock_getcpuclockid(3) and pthread_getcpuclockid(3) compute
 * (musl: -pid*8 - 8 + 2).  pid 0 means the caller.
 */
#define CPUCLOCK_PROF			0	/* user + system time */
#define CPUCLOCK_VIRT			1	/* user time */
#define CPUCLOCK_SCHED			2	/* scheduler run time */
#define CPUCLOCK_CLOCK_MASK		3
#define CPUCLOCK_PERTHREAD_MASK		4

/* clock_nanosleep(2), timer_settime(2): the time is absolute. */
#define TIMER_ABSTIME			0x01

/* setitimer(2) */
#define ITIMER_REAL			0
#define ITIMER_VIRTUAL			1
#define ITIMER_PROF			2

_Static_assert(sizeof(struct l_timespec) == 16, "l_timespec");
_Static_assert(__builtin_offsetof(struct l_timespec, tv_nsec) == 8,
    "tv_nsec");
_Static_assert(sizeof(struct l_timeval) == 16, "l_timeval");
_Static_assert(__builtin_offsetof(struct l_timeval, tv_usec) == 8,
    "tv_usec");
_Static_assert(sizeof(struct l_timezone) == 8, "l_timezone");
_Static_assert(sizeof(struct l_itimerval) == 32, "l_itimerval");
_Static_assert(__builtin_offsetof(struct l_itimerval, it_value) == 16,
    "it_value");
_Static_assert(sizeof(struct l_itimerspec) == 32, "l_itimerspec");

#endif /* _SYS_ABI_TIME_H_ */
