/*
 * A test of the whole interrupt path but the hardware: the IDT gate of a
 * vector, its stub, the trap frame, trap(), intr_dispatch(), a handler,
 * and the way back through iretq.
 *
 * trap_ktest_call() fills every general register but RSP with a known
 * value, pushes an interrupt frame as the CPU would (SS, RSP, RFLAGS, CS,
 * then RIP by the call itself) and calls the stub that the IDT gate names.
 * The stub must come back through iretq with every register as it was.
 */
#include <sys/types.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/segments.h>

#define TRAP_KTEST_NREGS	15
#define TRAP_KTEST_PATTERN	0x5a5a000000000000UL

static uint64_t trap_ktest_stub __used;	/* the stub to call */
static uint64_t trap_ktest_rbp __used;	/* the caller's frame */
static uint64_t trap_ktest_out[TRAP_KTEST_NREGS] __used; /* after the call */
static volatile int trap_ktest_hits;

/*
 * void trap_ktest_call(uint64_t stub, uint64_t pattern): register n
 * of rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, ..., r15 gets pattern + n
 * before the call and lands in trap_ktest_out[n] after it.  Interrupts
 * must be off.  The callee-saved registers are restored from the stack.
 */
__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"	.globl	trap_ktest_call\n"
	"	.type	trap_ktest_call, @function\n"
	"trap_ktest_call:\n"
	"	pushq	%rbp\n"
	"	movq	%rsp, %rbp\n"
	"	pushq	%rbx\n"
	"	pushq	%r12\n"
	"	pushq	%r13\n"
	"	pushq	%r14\n"
	"	pushq	%r15\n"
	"	movq	%rdi, trap_ktest_stub(%rip)\n"
	"	movq	%rbp, trap_ktest_rbp(%rip)\n"
	/* The CPU aligns the stack, then pushes SS, RSP, RFLAGS, CS, RIP. */
	"	andq	$-16, %rsp\n"
	"	movq	%rsp, %rax\n"
	"	pushq	$0x10\n"
	"	pushq	%rax\n"
	"	pushfq\n"
	"	pushq	$0x08\n"
	"	movq	%rsi, %rax\n"
	"	leaq	1(%rsi), %rbx\n"
	"	leaq	2(%rsi), %rcx\n"
	"	leaq	3(%rsi), %rdx\n"
	"	leaq	5(%rsi), %rdi\n"
	"	leaq	6(%rsi), %rbp\n"
	"	leaq	7(%rsi), %r8\n"
	"	leaq	8(%rsi), %r9\n"
	"	leaq	9(%rsi), %r10\n"
	"	leaq	10(%rsi), %r11\n"
	"	leaq	11(%rsi), %r12\n"
	"	leaq	12(%rsi), %r13\n"
	"	leaq	13(%rsi), %r14\n"
	"	leaq	14(%rsi), %r15\n"
	"	leaq	4(%rsi), %rsi\n"
	"	call	*trap_ktest_stub(%rip)\n"
	"	movq	%rax, trap_ktest_out + 0(%rip)\n"
	"	movq	%rbx, trap_ktest_out + 8(%rip)\n"
	"	movq	%rcx, trap_ktest_out + 16(%rip)\n"
	"	movq	%rdx, trap_ktest_out + 24(%rip)\n"
	"	movq	%rsi, trap_ktest_out + 32(%rip)\n"
	"	movq	%rdi, trap_ktest_out + 40(%rip)\n"
	"	movq	%rbp, trap_ktest_out + 48(%rip)\n"
	"	movq	%r8, trap_ktest_out + 56(%rip)\n"
	"	movq	%r9, trap_ktest_out + 64(%rip)\n"
	"	movq	%r10, trap_ktest_out + 72(%rip)\n"
	"	movq	%r11, trap_ktest_out + 80(%rip)\n"
	"	movq	%r12, trap_ktest_out + 88(%rip)\n"
	"	movq	%r13, trap_ktest_out + 96(%rip)\n"
	"	movq	%r14, trap_ktest_out + 104(%rip)\n"
	"	movq	%r15, trap_ktest_out + 112(%rip)\n"
	"	movq	trap_ktest_rbp(%rip), %rbp\n"
	"	leaq	-40(%rbp), %rsp\n"
	"	popq	%r15\n"
	"	popq	%r14\n"
	"	popq	%r13\n"
	"	popq	%r12\n"
	"	popq	%rbx\n"
	"	popq	%rbp\n"
	"	ret\n"
	"	.size	trap_ktest_call, . - trap_ktest_call\n");

void	trap_ktest_call(uint64_t stub, uint64_t pattern);

static void
trap_ktest_handler(void *arg)
{
	(void)arg;
	trap_ktest_hits++;
}

/* The handler address that IDT gate vec names. */
static uint64_t
trap_ktest_gate(int vec, uint16_t *selp, uint8_t *typep)
{
	struct region_desc idtr;
	const struct gate64 *g;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	g = (const struct gate64 *)idtr.rd_base + vec;
	*selp = g->gd_sel;
	*typep = g->gd_type;
	return g->gd_off_lo | (uint64_t)g->gd_off_mid << 16 |
	    (uint64_t)g->gd_off_hi << 32;
}

KTEST(trap_roundtrip)
{
	uint64_t stub, rflags;
	uint16_t sel;
	uint8_t type;
	int vec, i, bad;

	vec = intr_alloc_vector(trap_ktest_handler, NULL, "ktest");
	KT_ASSERT(vec >= 32 && vec < NIDT);
	stub = trap_ktest_gate(vec, &sel, &type);
	KT_ASSERT(stub == trap_stub_table[vec]);
	KT_ASSERT(sel == GSEL_KCODE);
	KT_ASSERT(type == (GATE_P | GATE_INTR64));

	rflags = read_rflags();
	intr_disable();
	trap_ktest_hits = 0;
	trap_ktest_call(stub, TRAP_KTEST_PATTERN);
	write_rflags(rflags);

	KT_ASSERT(trap_ktest_hits == 1);
	bad = 0;
	for (i = 0; i < TRAP_KTEST_NREGS; i++) {
		if (trap_ktest_out[i] != TRAP_KTEST_PATTERN + i) {
			kprintf("ktest: register %d is 0x%lx after the trap\n",
			    i, trap_ktest_out[i]);
			bad++;
		}
	}
	KT_ASSERT(bad == 0);
	return 0;
}
