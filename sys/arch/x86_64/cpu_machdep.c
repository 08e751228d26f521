/*
 * The machine-dependent half of threads and user mode: per-CPU data in
 * %gs, the system-call MSRs, the x87/SSE unit, a new thread's first stack
 * frame, and the register state a new program or a forked child starts
 * with.
 *
 * Every function here runs with interrupts off or on the current thread
 * alone; none takes a lock.
 */
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/segments.h>

/* switch.S and syscall_entry.S hard-code these offsets. */
_Static_assert(__builtin_offsetof(struct thread, td_rsp) == 112, "td_rsp");
_Static_assert(__builtin_offsetof(struct cpu, ci_curthread) == 8,
    "ci_curthread");
_Static_assert(__builtin_offsetof(struct cpu, ci_kstack_top) == 16,
    "ci_kstack_top");
_Static_assert(__builtin_offsetof(struct cpu, ci_user_rsp) == 24,
    "ci_user_rsp");
_Static_assert(sizeof(struct trapframe) % 16 == 0, "trapframe alignment");

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_TS		0x00000008
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400

/* RFLAGS bits the CPU clears on `syscall` (Linux's choice of mask). */
#define PSL_T		0x00000100	/* trace */
#define PSL_D		0x00000400	/* direction */
#define PSL_IOPL	0x00003000
#define PSL_NT		0x00004000
#define PSL_AC		0x00040000
#define PSL_USER_INIT	0x00000202	/* IF, and the always-one bit */

void	syscall_entry(void);
void	cpu_thread_trampoline(void);
void	cpu_fork_trampoline(void);
void	cpu_set_kstack(uint64_t rsp0);		/* machdep.c: TSS RSP0 */

/* A clean x87/SSE state (after fninit, MXCSR default), copied by exec. */
static uint8_t fpu_initial[512] __aligned(16);

/*
 * Turn on the x87 and SSE units for user programs (the kernel itself is
 * built without SSE, so it never touches them): CR0.MP set and EM/TS
 * clear, CR4.OSFXSR and OSXMMEXCPT set (SDM vol. 3A, 13.1.3), then record
 * the initial state.  Boot only.
 */
void
cpu_fpu_init(void)
{
	uint32_t mxcsr = 0x1f80;	/* all exceptions masked */

	__asm__ volatile("mov %0, %%cr0" : : "r"((rcr0() | CR0_MP) &
	    ~(uint64_t)(CR0_EM | CR0_TS)));
	lcr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit; ldmxcsr %0; fxsave64 %1"
	    : : "m"(mxcsr), "m"(fpu_initial) : "memory");
}

/* Save this CPU's x87/SSE registers into td's area. */
void
cpu_fpu_save(struct thread *td)
{
	__asm__ volatile("fxsave64 %0" : "=m"(td->td_fpu) : : "memory");
}

/* Load td's saved x87/SSE registers. */
void
cpu_fpu_restore(struct thread *td)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(td->td_fpu));
}

/* A fresh x87/SSE state for td (exec). */
void
cpu_fpu_reset(struct thread *td)
{
	memcpy(td->td_fpu, fpu_initial, sizeof(td->td_fpu));
}

/*
 * Point %gs at this CPU's struct cpu, and make `syscall` enter at
 * syscall_entry with the kernel's selectors (SDM vol. 3A, 5.8.8).  Boot
 * only.
 */
void
cpu_percpu_init(struct cpu *ci)
{
	ci->ci_self = ci;
	wrmsr(MSR_GSBASE, (uint64_t)ci);
	wrmsr(MSR_KGSBASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)STAR_SYSRET_SEL << 48) |
	    ((uint64_t)STAR_SYSCALL_SEL << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, PSL_T | PSL_D | PSL_I | PSL_IOPL | PSL_NT | PSL_AC);
}

/* The top of td's kernel stack. */
static uint64_t
cpu_kstack_top(const struct thread *td)
{
	return (uint64_t)td->td_kstack + KSTACK_SIZE;
}

/*
 * Make td the thread whose kernel stack user-mode entries use, and load
 * its FS base (TLS).  Called by the scheduler just before switching to td,
 * with interrupts off.
 */
void
cpu_switch_prepare(struct cpu *ci, struct thread *td)
{
	if (td->td_kstack == NULL)
		return;		/* the boot thread never enters user mode */
	ci->ci_kstack_top = cpu_kstack_top(td);
	cpu_set_kstack(ci->ci_kstack_top);
	if (td->td_user)
		wrmsr(MSR_FSBASE, td->td_fsbase);
}

/* Push the six callee-saved registers cpu_switch pops, and a return. */
static void
cpu_push_switchframe(struct thread *td, uint64_t sp, void (*ret)(void),
    uint64_t r12, uint64_t r13)
{
	uint64_t *p = (uint64_t *)sp;

	*--p = (uint64_t)ret;
	*--p = 0;		/* rbx */
	*--p = 0;		/* rbp: ends the backtrace */
	*--p = r12;
	*--p = r13;
	*--p = 0;		/* r14 */
	*--p = 0;		/* r15 */
	td->td_rsp = (uint64_t)p;
}

/* A new kernel thread will run fn(arg) when first switched to. */
void
cpu_thread_init(struct thread *td, void (*fn)(void *), void *arg)
{
	/* 8 below a 16-byte boundary, as after a call. */
	cpu_push_switchframe(td, cpu_kstack_top(td) - 8,
	    cpu_thread_trampoline, (uint64_t)fn, (uint64_t)arg);
}

/* The user trap frame at the top of td's kernel stack. */
struct trapframe *
cpu_user_frame(struct thread *td)
{
	return (struct trapframe *)(cpu_kstack_top(td) -
	    sizeof(struct trapframe));
}

/*
 * A forked child: a copy of the parent's user registers with rax = 0 (the
 * child's return value) and, when newsp is not 0, that stack pointer
 * (clone); its first switch goes straight back to user mode.
 */
void
cpu_fork_init(struct thread *td, const struct trapframe *parent,
    uint64_t newsp)
{
	struct trapframe *tf = cpu_user_frame(td);

	*tf = *parent;
	tf->tf_rax = 0;
	if (newsp != 0)
		tf->tf_rsp = newsp;
	td->td_frame = tf;
	cpu_push_switchframe(td, (uint64_t)tf - 8, cpu_fork_trampoline,
	    (uint64_t)tf, 0);
}

/*
 * Set the user registers for a program starting at entry with stack sp:
 * everything else zero, interrupts on (SysV ABI 3.4.1: rdx 0 means no
 * function for atexit; rsp points at argc).
 */
void
cpu_exec_setregs(struct thread *td, uint64_t entry, uint64_t sp)
{
	struct trapframe *tf = td->td_frame;

	memset(tf, 0, sizeof(*tf));
	tf->tf_rip = entry;
	tf->tf_rsp = sp;
	tf->tf_rflags = PSL_USER_INIT;
	tf->tf_cs = GSEL_UCODE | SEL_UPL;
	tf->tf_ss = GSEL_UDATA | SEL_UPL;
	td->td_fsbase = 0;
	cpu_fpu_reset(td);
	if (td == curthread) {
		/* execve: the live registers are the program's from now. */
		wrmsr(MSR_FSBASE, 0);
		cpu_fpu_restore(td);
	}
}

/* Whether the trap frame is a user-mode one. */
bool
cpu_frame_is_user(const struct trapframe *tf)
{
	return (tf->tf_cs & 3) == SEL_UPL;
}

/* Set the user's FS base (arch_prctl ARCH_SET_FS) for td, now running. */
void
cpu_set_fsbase(struct thread *td, uint64_t base)
{
	td->td_fsbase = base;
	wrmsr(MSR_FSBASE, base);
}
