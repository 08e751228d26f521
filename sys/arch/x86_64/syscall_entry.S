/*
 * The system-call entry: the `syscall` instruction lands here (MSR_LSTAR).
 *
 * The CPU has put the user's RIP in rcx and RFLAGS in r11, masked RFLAGS
 * with MSR_FMASK (interrupts are off), and loaded the kernel's CS and SS;
 * it has not changed rsp.  We swap to the kernel's %gs (struct cpu), park
 * the user's rsp in ci_user_rsp, switch to this thread's kernel stack
 * (ci_kstack_top), and build a struct trapframe there exactly as an
 * interrupt from user mode would (the CPU's five words, then the vector
 * T_SYSCALL and error code 0, then the registers), so the rest of the
 * kernel sees one layout.  syscall_dispatch(tf) puts the result in
 * tf_rax.  The way back is sysretq when the frame still looks like a
 * plain system-call return (user code and stack selectors, a canonical
 * rip); anything else (exec, a new process, later signals) takes iretq.
 *
 * Linux convention: number in rax; arguments in rdi, rsi, rdx, r10, r8,
 * r9; result in rax; rcx and r11 are clobbered.
 */
#include <machine/asmacros.h>
#include <machine/segments.h>

#define CPU_KSTACK_TOP	16	/* offsetof(struct cpu, ci_kstack_top) */
#define CPU_USER_RSP	24	/* offsetof(struct cpu, ci_user_rsp) */
#define T_SYSCALL	0x100	/* tf_trapno of a system call */


	.text
	.globl	syscall_entry
	.type	syscall_entry, @function
syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_USER_RSP
	movq	%gs:CPU_KSTACK_TOP, %rsp
	pushq	$(GSEL_UDATA | SEL_UPL)		/* ss */
	pushq	%gs:CPU_USER_RSP		/* rsp */
	pushq	%r11				/* rflags */
	pushq	$(GSEL_UCODE | SEL_UPL)		/* cs */
	pushq	%rcx				/* rip */
	pushq	$0				/* error code */
	pushq	$T_SYSCALL			/* vector */
	PUSH_GPRS
	movq	%rsp, %rbx			/* the trap frame, callee-saved */
	xorl	%ebp, %ebp			/* backtraces stop here */
	sti
	movq	%rbx, %rdi
	call	syscall_dispatch
	movq	%rbx, %rdi
	call	userret				/* preemption, later signals */
	cli

	/* sysret only when it would restore exactly this frame. */
	cmpq	$(GSEL_UCODE | SEL_UPL), TF_CS(%rbx)
	jne	1f
	cmpq	$(GSEL_UDATA | SEL_UPL), TF_SS(%rbx)
	jne	1f
	movq	TF_RIP(%rbx), %rcx
	cmpq	TF_RCX(%rbx), %rcx		/* sysret puts rip in rcx */
	jne	1f
	movq	TF_RFLAGS(%rbx), %r11
	cmpq	TF_R11(%rbx), %r11		/* ... and rflags in r11 */
	jne	1f
	movq	$0x00007ffffffff000, %rax	/* rip must be canonical user */
	cmpq	%rax, %rcx
	jae	1f

	movq	%rbx, %rsp
	POP_GPRS
	movq	TF_RSP - TF_RIP + 16(%rsp), %rsp	/* the user's rsp */
	swapgs
	sysretq
1:
	movq	%rbx, %rdi
	jmp	cpu_user_return
	.size	syscall_entry, . - syscall_entry

	.section .note.GNU-stack, "", @progbits
