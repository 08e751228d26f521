/*
 * The entry stubs of the 256 interrupt and exception vectors, and the
 * common path that turns what the CPU pushed into a struct trapframe
 * (machine/frame.h) and calls trap(tf).
 *
 * On an interrupt or exception in 64-bit mode the CPU aligns the stack to
 * 16 bytes, then pushes SS, RSP, RFLAGS, CS, RIP and, for some exceptions,
 * an error code (Intel SDM vol. 3A, 6.14.2 "64-Bit Mode Stack Frame" and
 * table 6-1 "Protected-Mode Exceptions and Interrupts").  The vectors with
 * an error code are 8 (#DF), 10-14 (#TS, #NP, #SS, #GP, #PF), 17 (#AC),
 * 21 (#CP), 29 (#VC) and 30 (#SX); for every other vector the stub pushes
 * a zero in its place, so the frame always has the same shape.
 */

#include <machine/asmacros.h>
#include <machine/segments.h>

/* Byte offsets in struct trapframe (machine/frame.h). */

/* Does the CPU push an error code for vector v? */
#define HAS_ERR(v)	((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			 (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.altmacro

/* One stub: the error-code slot, the vector, then the common path. */
.macro	TRAP_STUB vec
	.p2align 4
	.type	trap_stub_\vec, @function
trap_stub_\vec:
	.if	HAS_ERR(\vec) == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
	.size	trap_stub_\vec, . - trap_stub_\vec
.endm

.macro	TRAP_STUB_ADDR vec
	.quad	trap_stub_\vec
.endm

	.text
	.set	vec, 0
	.rept	NIDT
	TRAP_STUB %vec
	.set	vec, vec + 1
	.endr

/*
 * The common path.  Push the general registers so that the stack holds a
 * struct trapframe, lowest address first (r15 is pushed last).  Then
 * build one call frame from the interrupted RBP and RIP, so that a
 * backtrace taken inside trap() runs through the interrupted function
 * and on into its callers.  trap() gets the frame in %rdi and a 16-byte
 * aligned stack; %rbx (saved in the frame already, callee-saved in the
 * C ABI) remembers where the frame is.
 */
	.p2align 4
	.globl	trap_common
	.type	trap_common, @function
trap_common:
	/*
	 * From user mode (the low bits of the pushed CS, 24 bytes up, are
	 * 3): swap in the kernel's GS base (struct cpu) before anything
	 * uses it.
	 */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:	PUSH_GPRS
	cld				/* the C ABI wants DF clear */

	movq	%rsp, %rbx		/* the trapframe */
	pushq	TF_RIP(%rbx)		/* a frame for the backtrace: RIP */
	pushq	TF_RBP(%rbx)		/* ... and saved frame pointer */
	movq	%rsp, %rbp
	andq	$-16, %rsp
	movq	%rbx, %rdi
	call	trap
	movq	%rbx, %rsp

	POP_GPRS
	addq	$16, %rsp		/* the vector and the error code */
	/* Back to user mode: the user's GS base again. */
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:	iretq
	.size	trap_common, . - trap_common

/* The stubs' addresses, for the IDT (machdep.c). */
	.section .rodata
	.p2align 3
	.globl	trap_stub_table
	.type	trap_stub_table, @object
trap_stub_table:
	.set	vec, 0
	.rept	NIDT
	TRAP_STUB_ADDR %vec
	.set	vec, vec + 1
	.endr
	.size	trap_stub_table, . - trap_stub_table

	.section .note.GNU-stack, "", @progbits
