/*
 * Thread switching and the way back to user mode.
 *
 * cpu_switch(old, new) saves the callee-saved registers (System V ABI:
 * rbx, rbp, r12-r15) on old's kernel stack, stores old's stack pointer in
 * old->td_rsp, loads new->td_rsp and pops new's registers; the `ret` then
 * continues new wherever it last called cpu_switch - or, for a thread that
 * never ran, in the trampoline cpu_thread_init() put there.
 *
 * td_rsp's offset in struct thread is pinned by a _Static_assert in
 * cpu_machdep.c (TD_RSP below).
 */
#include <machine/asmacros.h>
#include <machine/segments.h>

#define TD_RSP		112	/* offsetof(struct thread, td_rsp) */

	.text
	.globl	cpu_switch
	.type	cpu_switch, @function
cpu_switch:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TD_RSP(%rdi)
	movq	TD_RSP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size	cpu_switch, . - cpu_switch

/*
 * A new kernel thread starts here: r12 = function, r13 = argument (set
 * up by cpu_thread_init).  sched_thread_start() finishes the switch (drops
 * sched_lock, enables interrupts), then fn(arg) runs; if it returns, the
 * thread exits.
 */
	.globl	cpu_thread_trampoline
	.type	cpu_thread_trampoline, @function
cpu_thread_trampoline:
	call	sched_thread_start
	movq	%r13, %rdi
	call	*%r12
	call	thread_exit
	ud2
	.size	cpu_thread_trampoline, . - cpu_thread_trampoline

/*
 * A forked child starts here: r12 = its trap frame at the top of its
 * kernel stack.  After sched_thread_start it leaves for user mode exactly
 * as its parent would have after the system call, with rax = 0.
 */
	.globl	cpu_fork_trampoline
	.type	cpu_fork_trampoline, @function
cpu_fork_trampoline:
	call	sched_thread_start
	movq	%r12, %rdi
	jmp	cpu_user_return
	.size	cpu_fork_trampoline, . - cpu_fork_trampoline

/*
 * cpu_user_return(tf): leave the kernel for user mode with the registers in
 * the trap frame tf (struct trapframe, machine/frame.h), by iretq.  Used by
 * new processes, exec and the slow system-call return.  Interrupts stay off
 * from here to iretq, which restores the user's RFLAGS.
 */
	.globl	cpu_user_return
	.type	cpu_user_return, @function
cpu_user_return:
	cli
	movq	%rdi, %rsp
	POP_GPRS
	addq	$16, %rsp		/* vector and error code */
	swapgs				/* the user's %gs base */
	iretq
	.size	cpu_user_return, . - cpu_user_return

	.section .note.GNU-stack, "", @progbits
