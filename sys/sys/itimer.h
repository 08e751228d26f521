/*
 * Process timers: alarm(2) and setitimer(2)'s interval timers
 * (kern/kern_itimer.c), the POSIX timers of timer_create(2)
 * (kern/kern_ptimer.c), and the CPU-time accounting of the timer tick
 * that drives ITIMER_VIRTUAL, ITIMER_PROF, the CPU-clock POSIX timers and
 * RLIMIT_CPU.
 *
 * ITIMER_REAL and the POSIX timers of clock-based clocks wait on a callout
 * (sys/sys/callout.h).  The CPU-time ones are sampled: each tick charges
 * one tick to the process whose thread it interrupted (Linux's
 * tick-based accounting), so they expire on the first tick at which their
 * process has used the time, while running.
 *
 * Everything here lives in struct proc under proc_lock; the callouts
 * and the tick take proc_lock from interrupt context, which the spin
 * lock's disabling of interrupts makes safe.
 *
 * Locks protecting members of this struct:
 *	p	proc_lock
 */
#ifndef _SYS_ITIMER_H_
#define _SYS_ITIMER_H_

#include <sys/callout.h>
#include <sys/types.h>

struct proc;
struct thread;

#define ITIMER_COUNT	3	/* ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF */

struct itimer {
	/*
	 * ITIMER_REAL: the monotonic deadline (0: disarmed);
	 * ITIMER_VIRTUAL and ITIMER_PROF: the CPU ns left (0: disarmed).
	 */
	uint64_t	 it_value;	/* [p] */
	uint64_t	 it_interval;	/* [p] reload, ns; 0: one shot */
	struct callout	 it_callout;	/* ITIMER_REAL's */
};

/*
 * The timer tick (interrupt context, interrupts off): charge one tick of
 * CPU time to the process of the interrupted thread td, in user mode or
 * not, and fire what that makes expire.  Takes proc_lock.
 */
void	itimer_tick(struct thread *td, bool user);
/*
 * The process p ends (kern_exit.c, before it becomes a zombie): every
 * timer is disarmed and freed, waiting for a callout that runs now.
 * Takes proc_lock.
 */
void	itimer_exit(struct proc *p);

/* kern_ptimer.c: execve(2) deletes p's POSIX timers.  Takes proc_lock. */
void	ptimer_exec(struct proc *p);
/* kern_ptimer.c: delete every POSIX timer of p.  Takes proc_lock. */
void	ptimer_exit(struct proc *p);
/*
 * kern_ptimer.c: the tick's part for the CPU-clock POSIX timers of p
 * (td: the thread that ran).  proc_lock held.
 */
void	ptimer_cputick(struct proc *p, struct thread *td);

#endif /* _SYS_ITIMER_H_ */
