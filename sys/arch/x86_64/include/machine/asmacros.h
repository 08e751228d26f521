/*
 * Assembler macros shared by the kernel's entry and exit paths.
 *
 * PUSH_GPRS and POP_GPRS save and restore the fifteen general registers in
 * the order of struct trapframe (machine/frame.h): rax is pushed first, so
 * it sits highest, and r15 last, at tf_r15, the frame's lowest word.
 * Every way into the kernel (trap_stubs.S, syscall_entry.S) builds its
 * frame with PUSH_GPRS, and every way out (trap_common, cpu_user_return,
 * the sysret path) takes it apart with POP_GPRS.
 */
#ifndef _MACHINE_ASMACROS_H_
#define _MACHINE_ASMACROS_H_

/* Offsets of struct trapframe's fields (cpu_machdep.c pins them). */
#define TF_R11		(4 * 8)
#define TF_RBP		(8 * 8)
#define TF_RCX		(12 * 8)
#define TF_RIP		(17 * 8)
#define TF_CS		(18 * 8)
#define TF_RFLAGS	(19 * 8)
#define TF_RSP		(20 * 8)
#define TF_SS		(21 * 8)

#ifdef __ASSEMBLY__

.macro	PUSH_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro	POP_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
.endm

#endif /* __ASSEMBLY__ */

#endif /* _MACHINE_ASMACROS_H_ */
