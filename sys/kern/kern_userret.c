/*
 * userret(): the last kernel code on every way back to user mode - after a
 * system call, and after an interrupt or exception that came from user
 * mode.  Today it lets the scheduler switch when the tick asked for it;
 * the signals issue delivers pending signals here too.
 */
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/frame.h>

void	userret(struct trapframe *tf);

/* Called with interrupts on, on the thread's own kernel stack. */
void
userret(struct trapframe *tf __unused)
{
	sched_preempt_check();
}
