/*
 * userret(): the last kernel code on every way back to user mode - after a
 * system call, and after an interrupt or exception that came from user
 * mode.  It lets the scheduler switch when the tick asked for it, then
 * delivers the pending signals (kern_sig.c).
 */
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/frame.h>


/* Called with interrupts on, on the thread's own kernel stack. */
void
userret(struct trapframe *tf)
{
	struct thread *td = curthread;

	sched_preempt_check();
	if (td->td_proc != &proc0 && (sig_pending(td) || td->td_sysintr ||
	    td->td_has_saved))
		sig_deliver(tf);
}
