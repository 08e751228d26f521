/*
 * copyin, copyout, copyinstr (sys/systm.h) and casuword32 (sys/futex.h):
 * the only way the kernel touches user memory.
 *
 * Each one first checks that the user range lies below VM_USER_MAX and
 * does not wrap around (-EFAULT at once otherwise: a user pointer into
 * the kernel must never be followed).  Then it stores a recovery address
 * in curthread->td_onfault and copies.  A page fault during the copy goes
 * to trap_pagefault() (trap.c), which first tries to resolve it as for a
 * user access (demand zero, copy-on-write, stack growth); when that
 * fails, it resumes the copy routine at td_onfault, copy_fault below,
 * which returns -EFAULT.  Nothing is pushed on the stack between the entry
 * and the copy, so the recovery code returns straight to our caller.  A
 * fault elsewhere (an interrupt handler that interrupted a copy) is not
 * the copy's: trap_pagefault() checks that rip lies in copy_range.
 *
 * With SMAP on, the kernel may touch user pages only while EFLAGS.AC is
 * set (Intel SDM vol. 3A, 4.6.1): stac before the copy, clac after it and
 * on the recovery path.  Without SMAP stac raises #UD, so both test
 * pmap_smap_enabled (set once at boot) first.
 *
 * The struct offsets below are pinned by _Static_asserts in trap.c, and
 * USER_MAX by one that compares it with VM_USER_MAX.
 */
#include <sys/abi/errno.h>

#define CPU_CURTHREAD	8	/* offsetof(struct cpu, ci_curthread) */
#define TD_ONFAULT	128	/* offsetof(struct thread, td_onfault) */
#define USER_MAX	0x00007ffffffff000	/* VM_USER_MAX */

/* EFLAGS.AC on / off, when SMAP is on. */
.macro	SMAP_STAC
	cmpb	$0, pmap_smap_enabled(%rip)
	je	.Lnostac\@
	stac
.Lnostac\@:
.endm

.macro	SMAP_CLAC
	cmpb	$0, pmap_smap_enabled(%rip)
	je	.Lnoclac\@
	clac
.Lnoclac\@:
.endm

/* Set curthread->td_onfault to copy_fault; curthread stays in %r8. */
.macro	SET_ONFAULT
	movq	%gs:CPU_CURTHREAD, %r8
	leaq	copy_fault(%rip), %r11
	movq	%r11, TD_ONFAULT(%r8)
.endm

	.text

.Lcopy_begin:

/*
 * int copyin(const void *uaddr (rdi), void *kaddr (rsi), size_t len (rdx))
 */
	.globl	copyin
	.type	copyin, @function
copyin:
	movq	%rdi, %rax
	addq	%rdx, %rax			/* the end of the user range */
	jc	copy_efault
	movabsq	$USER_MAX, %rcx
	cmpq	%rcx, %rax
	ja	copy_efault
	SET_ONFAULT
	xchgq	%rdi, %rsi			/* movsb: from rsi to rdi */
	movq	%rdx, %rcx
	shrq	$3, %rcx
	SMAP_STAC
	rep movsq				/* 8 bytes a step, then the rest */
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	SMAP_CLAC
	movq	$0, TD_ONFAULT(%r8)
	xorl	%eax, %eax
	ret
	.size	copyin, . - copyin

/*
 * int copyout(const void *kaddr (rdi), void *uaddr (rsi), size_t len (rdx))
 */
	.globl	copyout
	.type	copyout, @function
copyout:
	movq	%rsi, %rax
	addq	%rdx, %rax
	jc	copy_efault
	movabsq	$USER_MAX, %rcx
	cmpq	%rcx, %rax
	ja	copy_efault
	SET_ONFAULT
	xchgq	%rdi, %rsi
	movq	%rdx, %rcx
	shrq	$3, %rcx
	SMAP_STAC
	rep movsq				/* 8 bytes a step, then the rest */
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	SMAP_CLAC
	movq	$0, TD_ONFAULT(%r8)
	xorl	%eax, %eax
	ret
	.size	copyout, . - copyout

/*
 * int copyinstr(const char *uaddr (rdi), char *kaddr (rsi), size_t len
 *     (rdx), size_t *done (rcx))
 *
 * Copy bytes up to and including the first NUL, at most len of them.
 * The limit is min(len, bytes of user space from uaddr): stopping at len
 * is -ENAMETOOLONG, stopping at the end of user space is -EFAULT.  *done
 * gets the bytes copied, NUL included, on success and on -ENAMETOOLONG.
 */
	.globl	copyinstr
	.type	copyinstr, @function
copyinstr:
	movq	%rcx, %r9			/* done */
	movabsq	$USER_MAX, %rax
	cmpq	%rax, %rdi
	jae	copy_efault
	subq	%rdi, %rax			/* user bytes from uaddr */
	movq	%rdx, %r10			/* the limit */
	cmpq	%rax, %rdx
	cmova	%rax, %r10
	SET_ONFAULT
	SMAP_STAC
	xorl	%ecx, %ecx			/* bytes copied */
.Lstr_loop:
	cmpq	%r10, %rcx
	jae	.Lstr_limit
	movb	(%rdi,%rcx), %al
	movb	%al, (%rsi,%rcx)
	incq	%rcx
	testb	%al, %al
	jnz	.Lstr_loop
	SMAP_CLAC
	movq	$0, TD_ONFAULT(%r8)
	xorl	%eax, %eax
	jmp	.Lstr_done
.Lstr_limit:
	SMAP_CLAC
	movq	$0, TD_ONFAULT(%r8)
	movl	$-ENAMETOOLONG, %eax
	cmpq	%rdx, %r10			/* stopped by len? */
	jae	.Lstr_done
	movl	$-EFAULT, %eax			/* by the end of user space */
.Lstr_done:
	testq	%r9, %r9
	jz	1f
	movq	%rcx, (%r9)
1:	ret
	.size	copyinstr, . - copyinstr

/*
 * int casuword32(uint32_t *uaddr (rdi), uint32_t old (esi), uint32_t new
 *     (edx), uint32_t *actual (rcx))
 *
 * The atomic compare-and-exchange futexes need on a user word
 * (sys/futex.h): lock cmpxchg stores new when the word equals old, and
 * leaves the value it found in eax either way (SDM vol. 2A, CMPXCHG).
 * It always writes, so a read-only page faults and the result is -EFAULT;
 * a copy-on-write page is copied first, as for copyout.
 */
	.globl	casuword32
	.type	casuword32, @function
casuword32:
	movq	%rdi, %rax
	addq	$4, %rax
	jc	copy_efault
	movabsq	$USER_MAX, %r9
	cmpq	%r9, %rax
	ja	copy_efault
	SET_ONFAULT
	movl	%esi, %eax
	SMAP_STAC
	lock cmpxchgl %edx, (%rdi)
	SMAP_CLAC
	movq	$0, TD_ONFAULT(%r8)
	movl	%eax, (%rcx)
	xorl	%eax, %eax
	ret
	.size	casuword32, . - casuword32

/*
 * Where trap_pagefault() resumes a copy whose fault it could not resolve:
 * the stack is as the copy routine found it, so return -EFAULT from it.
 */
	.type	copy_fault, @function
copy_fault:
	SMAP_CLAC
	movq	%gs:CPU_CURTHREAD, %r8
	movq	$0, TD_ONFAULT(%r8)
copy_efault:
	movl	$-EFAULT, %eax
	ret
	.size	copy_fault, . - copy_fault

.Lcopy_end:

/*
 * Where the routines above start and end: trap_pagefault() honours
 * td_onfault only for a fault in between.  (Data, not labels in the text,
 * so that backtraces name the functions.)
 */
	.section .rodata
	.p2align 3
	.globl	copy_range
	.type	copy_range, @object
copy_range:
	.quad	.Lcopy_begin, .Lcopy_end
	.size	copy_range, . - copy_range

	.section .note.GNU-stack, "", @progbits
