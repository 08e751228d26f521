/*
 * Reading the CPU time the scheduler accounts to a process
 * (kern/kern_resource.c), for getrusage(2), times(2) and the CPU-time
 * clocks of clock_gettime(2).
 */
#ifndef _SYS_RUSAGE_H_
#define _SYS_RUSAGE_H_

#include <sys/types.h>

struct proc;

/*
 * p's user and system time in ns, including the slice running now when p
 * is the caller's process.  Takes sched_lock (with interrupts off).
 */
void	rusage_cputime(struct proc *p, uint64_t *user_ns, uint64_t *sys_ns);

#endif /* _SYS_RUSAGE_H_ */
