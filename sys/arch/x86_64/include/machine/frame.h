/*
 * The trap frame: what the trap stubs (arch/x86_64/trap_stubs.S) push for
 * every exception and interrupt, lowest address first.  The CPU pushes the
 * last six words (the error code is a zero pushed by the stub when the CPU
 * does not push one); the stub pushes the vector and the general registers.
 */
#ifndef _MACHINE_FRAME_H_
#define _MACHINE_FRAME_H_

#include <sys/types.h>

struct trapframe {
	uint64_t	tf_r15;
	uint64_t	tf_r14;
	uint64_t	tf_r13;
	uint64_t	tf_r12;
	uint64_t	tf_r11;
	uint64_t	tf_r10;
	uint64_t	tf_r9;
	uint64_t	tf_r8;
	uint64_t	tf_rbp;
	uint64_t	tf_rdi;
	uint64_t	tf_rsi;
	uint64_t	tf_rdx;
	uint64_t	tf_rcx;
	uint64_t	tf_rbx;
	uint64_t	tf_rax;
	uint64_t	tf_trapno;	/* vector, pushed by the stub */
	uint64_t	tf_err;		/* error code, or 0 */
	uint64_t	tf_rip;		/* pushed by the CPU from here on */
	uint64_t	tf_cs;
	uint64_t	tf_rflags;
	uint64_t	tf_rsp;
	uint64_t	tf_ss;
};

_Static_assert(sizeof(struct trapframe) == 22 * 8, "trapframe size");

#endif /* _MACHINE_FRAME_H_ */
