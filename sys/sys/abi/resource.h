/*
 * Linux resource usage, limits and priorities (uapi linux/resource.h and
 * asm-generic/resource.h; getrusage(2), getrlimit(2), getpriority(2)).
 * Includes only its sibling time.h.
 */
#ifndef _SYS_ABI_RESOURCE_H_
#define _SYS_ABI_RESOURCE_H_

#include <sys/abi/time.h>

/* getrusage(2) "who" */
#define RUSAGE_SELF		0
#define RUSAGE_CHILDREN		(-1)
#define RUSAGE_BOTH		(-2)	/* wait4's internal use */
#define RUSAGE_THREAD		1

struct l_rusage {
	struct l_timeval ru_utime;	/* user CPU time */
	struct l_timeval ru_stime;	/* system CPU time */
	long	ru_maxrss;		/* largest resident set, KiB */
	long	ru_ixrss;		/* unused by Linux: 0 */
	long	ru_idrss;		/* unused by Linux: 0 */
	long	ru_isrss;		/* unused by Linux: 0 */
	long	ru_minflt;		/* faults served without I/O */
	long	ru_majflt;		/* faults that needed I/O */
	long	ru_nswap;		/* unused by Linux: 0 */
	long	ru_inblock;		/* blocks read */
	long	ru_oublock;		/* blocks written */
	long	ru_msgsnd;		/* unused by Linux: 0 */
	long	ru_msgrcv;		/* unused by Linux: 0 */
	long	ru_nsignals;		/* unused by Linux: 0 */
	long	ru_nvcsw;		/* voluntary context switches */
	long	ru_nivcsw;		/* involuntary context switches */
};

/* getrlimit(2), setrlimit(2), prlimit64(2): the same layout on x86_64. */
struct l_rlimit {
	unsigned long	rlim_cur;	/* soft limit */
	unsigned long	rlim_max;	/* hard limit */
};

#define RLIM_INFINITY		(~0UL)
#define RLIM64_INFINITY		(~0ULL)

#define RLIMIT_CPU		0	/* CPU seconds */
#define RLIMIT_FSIZE		1	/* largest file, bytes */
#define RLIMIT_DATA		2	/* data segment and heap, bytes */
#define RLIMIT_STACK		3	/* main stack, bytes */
#define RLIMIT_CORE		4	/* core file, bytes */
#define RLIMIT_RSS		5	/* resident set (ignored by Linux) */
#define RLIMIT_NPROC		6	/* processes of the real user */
#define RLIMIT_NOFILE		7	/* one more than the highest fd */
#define RLIMIT_MEMLOCK		8	/* locked memory, bytes */
#define RLIMIT_AS		9	/* address space, bytes */
#define RLIMIT_LOCKS		10	/* file locks */
#define RLIMIT_SIGPENDING	11	/* queued signals */
#define RLIMIT_MSGQUEUE		12	/* POSIX message queues, bytes */
#define RLIMIT_NICE		13	/* nice ceiling, as 20 - nice */
#define RLIMIT_RTPRIO		14	/* real-time priority ceiling */
#define RLIMIT_RTTIME		15	/* real-time CPU time, us */
#define RLIM_NLIMITS		16

/* getpriority(2), setpriority(2) */
#define PRIO_MIN		(-20)
#define PRIO_MAX		20
#define PRIO_PROCESS		0
#define PRIO_PGRP		1
#define PRIO_USER		2

_Static_assert(sizeof(struct l_rusage) == 144, "l_rusage");
_Static_assert(__builtin_offsetof(struct l_rusage, ru_stime) == 16,
    "ru_stime");
_Static_assert(__builtin_offsetof(struct l_rusage, ru_maxrss) == 32,
    "ru_maxrss");
_Static_assert(__builtin_offsetof(struct l_rusage, ru_nivcsw) == 136,
    "ru_nivcsw");
_Static_assert(sizeof(struct l_rlimit) == 16, "l_rlimit");

#endif /* _SYS_ABI_RESOURCE_H_ */
