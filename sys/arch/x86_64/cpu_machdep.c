/*
 * The machine-dependent half of threads and user mode: per-CPU data in
 * %gs, the system-call MSRs, the x87/SSE unit, a new thread's first stack
 * frame, and the register state a new program or a forked child starts
 * with.
 *
 * Every function here runs with interrupts off or on the current thread
 * alone; none takes a lock.
 */
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/asmacros.h>
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
_Static_assert(__builtin_offsetof(struct trapframe, tf_r11) == TF_R11, "r11");
_Static_assert(__builtin_offsetof(struct trapframe, tf_rbp) == TF_RBP, "rbp");
_Static_assert(__builtin_offsetof(struct trapframe, tf_rcx) == TF_RCX, "rcx");
_Static_assert(__builtin_offsetof(struct trapframe, tf_rip) == TF_RIP, "rip");
_Static_assert(__builtin_offsetof(struct trapframe, tf_cs) == TF_CS, "cs");
_Static_assert(__builtin_offsetof(struct trapframe, tf_rflags) == TF_RFLAGS,
    "rflags");
_Static_assert(__builtin_offsetof(struct trapframe, tf_rsp) == TF_RSP, "rsp");
_Static_assert(__builtin_offsetof(struct trapframe, tf_ss) == TF_SS, "ss");

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

/*
 * Signal frames.  Linux's x86_64 rt_sigframe (arch/x86/include/asm/
 * sigframe.h, built by arch/x86/kernel/signal_64.c), from the lowest
 * address, is what a handler finds on its stack:
 *
 *	frame + 0	the return address: sa_restorer, which calls
 *			rt_sigreturn (the handler's `ret` pops it)
 *	frame + 8	struct l_ucontext: the interrupted registers
 *			(uc_mcontext), the mask to restore, the altstack
 *	frame + 312	struct l_siginfo
 *	(above, 64-byte aligned) the 512-byte fxsave image, which
 *			uc_mcontext.sc_fpstate points at
 *
 * The frame starts 8 bytes below a 16-byte boundary, as after a call
 * (SysV ABI 3.2.2), below the 128-byte red zone of the interrupted code,
 * or at the top of the alternate stack for SA_ONSTACK.
 */
#define SIGFRAME_UC	8
#define SIGFRAME_INFO	(8 + sizeof(struct l_ucontext))
#define SIGFRAME_SIZE	(SIGFRAME_INFO + sizeof(struct l_siginfo))
#define REDZONE		128
#define USER_VA_END	0x0000800000000000UL
/* The RFLAGS bits rt_sigreturn may change (Linux's FIX_EFLAGS). */
#define PSL_SIG_FIX	(0x0001 | 0x0004 | 0x0010 | 0x0040 | 0x0080 | \
	PSL_T | PSL_D | 0x0800 | PSL_AC | 0x00010000)
#define PSL_RF		0x00010000

_Static_assert(SIGFRAME_INFO == 312, "rt_sigframe info");

/* Is sp on td's alternate signal stack?  (sigaltstack(2)) */
bool
cpu_sig_onaltstack(const struct thread *td, uint64_t sp)
{
	const struct l_sigaltstack *ss = &td->td_altstack;

	return ss->ss_size != 0 && sp > ss->ss_sp &&
	    sp - ss->ss_sp <= ss->ss_size;
}

/* Copy td's live x87/SSE registers out, then give it a clean state. */
static void
cpu_sig_fpu_take(struct thread *td, uint8_t *save)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	cpu_fpu_save(td);
	memcpy(save, td->td_fpu, sizeof(td->td_fpu));
	cpu_fpu_reset(td);
	cpu_fpu_restore(td);
	write_rflags(rflags);
}

/* Load fxsave image img as td's live x87/SSE registers. */
static void
cpu_sig_fpu_load(struct thread *td, const uint8_t *img)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	memcpy(td->td_fpu, img, sizeof(td->td_fpu));
	cpu_fpu_restore(td);
	write_rflags(rflags);
}

/* The interrupted registers of tf as a sigcontext. */
static void
cpu_sig_getcontext(const struct trapframe *tf, struct l_sigcontext *sc,
    const struct l_siginfo *si)
{
	sc->sc_r8 = tf->tf_r8;
	sc->sc_r9 = tf->tf_r9;
	sc->sc_r10 = tf->tf_r10;
	sc->sc_r11 = tf->tf_r11;
	sc->sc_r12 = tf->tf_r12;
	sc->sc_r13 = tf->tf_r13;
	sc->sc_r14 = tf->tf_r14;
	sc->sc_r15 = tf->tf_r15;
	sc->sc_rdi = tf->tf_rdi;
	sc->sc_rsi = tf->tf_rsi;
	sc->sc_rbp = tf->tf_rbp;
	sc->sc_rbx = tf->tf_rbx;
	sc->sc_rdx = tf->tf_rdx;
	sc->sc_rax = tf->tf_rax;
	sc->sc_rcx = tf->tf_rcx;
	sc->sc_rsp = tf->tf_rsp;
	sc->sc_rip = tf->tf_rip;
	sc->sc_eflags = tf->tf_rflags;
	sc->sc_cs = (unsigned short)tf->tf_cs;
	sc->sc_ss = (unsigned short)tf->tf_ss;
	if (tf->tf_trapno < 32) {
		sc->sc_trapno = tf->tf_trapno;
		sc->sc_err = tf->tf_err;
		if (tf->tf_trapno == 14)
			sc->sc_cr2 = si->si_addr;
	}
}

/*
 * Write the rt_sigframe for a handler of sig (action sa, mask to restore
 * afterwards mask) on td's user stack and set tf so that the return to
 * user mode enters the handler: rdi = sig, rsi = &info, rdx = &uc, rsp at
 * the return address.  Called by sig_deliver with no lock held.  Returns
 * 0, or -EFAULT when the action has no SA_RESTORER (x86_64 needs one) or
 * the frame cannot be written; the caller then kills the process.
 */
int
cpu_sig_sendframe(struct thread *td, struct trapframe *tf, int sig,
    const struct l_siginfo *si, const struct l_sigaction *sa, uint64_t mask)
{
	uint8_t fpu[512] __aligned(16);
	struct l_ucontext uc;
	uint64_t sp, fp, frame, restorer = sa->sa_restorer;
	bool onstack = cpu_sig_onaltstack(td, tf->tf_rsp);

	if (!(sa->sa_flags & SA_RESTORER))
		return -EFAULT;
	sp = tf->tf_rsp;
	if ((sa->sa_flags & SA_ONSTACK) && !onstack &&
	    td->td_altstack.ss_size != 0 &&
	    !(td->td_altstack.ss_flags & SS_DISABLE))
		sp = td->td_altstack.ss_sp + td->td_altstack.ss_size;
	else
		sp -= REDZONE;
	fp = (sp - sizeof(fpu)) & ~63UL;
	frame = ((fp - SIGFRAME_SIZE) & ~15UL) - 8;

	memset(&uc, 0, sizeof(uc));
	uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	uc.uc_stack = td->td_altstack;
	uc.uc_stack.ss_flags = onstack ? SS_ONSTACK : td->td_altstack.ss_flags;
	cpu_sig_getcontext(tf, &uc.uc_mcontext, si);
	uc.uc_mcontext.sc_oldmask = mask;
	uc.uc_mcontext.sc_fpstate = fp;
	uc.uc_sigmask.sig[0] = mask;
	memcpy(fpu, td->td_fpu, sizeof(fpu));	/* in case of a failure */
	cpu_sig_fpu_take(td, fpu);
	if (copyout(fpu, (void *)fp, sizeof(fpu)) < 0 ||
	    copyout(&restorer, (void *)frame, sizeof(restorer)) < 0 ||
	    copyout(&uc, (void *)(frame + SIGFRAME_UC), sizeof(uc)) < 0 ||
	    copyout(si, (void *)(frame + SIGFRAME_INFO), sizeof(*si)) < 0) {
		cpu_sig_fpu_load(td, fpu);
		return -EFAULT;
	}
	/* From here on we are committed; nothing below may fail. */
	if ((sa->sa_flags & SA_ONSTACK) && !onstack &&
	    (td->td_altstack.ss_flags & (int)SS_AUTODISARM)) {
		td->td_altstack.ss_sp = 0;
		td->td_altstack.ss_size = 0;
		td->td_altstack.ss_flags = SS_DISABLE;
	}
	tf->tf_rdi = (uint64_t)sig;
	tf->tf_rsi = frame + SIGFRAME_INFO;
	tf->tf_rdx = frame + SIGFRAME_UC;
	tf->tf_rax = 0;
	tf->tf_rsp = frame;
	tf->tf_rip = sa->sa_handler;
	tf->tf_rflags &= ~(uint64_t)(PSL_D | PSL_T | PSL_RF);
	tf->tf_cs = GSEL_UCODE | SEL_UPL;
	tf->tf_ss = GSEL_UDATA | SEL_UPL;
	return 0;
}

/*
 * rt_sigreturn: read back the ucontext the handler returned over (at the
 * user's rsp, the return address having been popped) into tf and td's
 * x87/SSE state; *mask and *rax get the mask and rax to restore.  Only
 * the flags user code may change are taken, and the segments are always
 * the user's.  Returns 0, or -EFAULT for an unreadable frame or a
 * non-canonical rip.
 */
int
cpu_sig_return(struct thread *td, struct trapframe *tf, uint64_t *mask,
    long *rax)
{
	uint8_t fpu[512] __aligned(16);
	struct l_ucontext uc;
	const struct l_sigcontext *sc = &uc.uc_mcontext;
	struct l_sigaltstack *ss = &uc.uc_stack;
	uint32_t mxcsr_mask;
	int mode;

	if (copyin((void *)tf->tf_rsp, &uc, sizeof(uc)) < 0)
		return -EFAULT;
	if (sc->sc_rip >= USER_VA_END)
		return -EFAULT;
	if (sc->sc_fpstate != 0) {
		if (copyin((void *)sc->sc_fpstate, fpu, sizeof(fpu)) < 0)
			return -EFAULT;
	} else {
		memcpy(fpu, fpu_initial, sizeof(fpu));
	}
	/* Reserved MXCSR bits would make fxrstor fault (SDM 10.5.1.2). */
	memcpy(&mxcsr_mask, fpu_initial + 28, sizeof(mxcsr_mask));
	if (mxcsr_mask == 0)
		mxcsr_mask = 0xffbf;
	((struct l_fpstate *)fpu)->mxcsr &= mxcsr_mask;
	/* From here on we are committed; nothing below may fail. */
	cpu_sig_fpu_load(td, fpu);
	tf->tf_r8 = sc->sc_r8;
	tf->tf_r9 = sc->sc_r9;
	tf->tf_r10 = sc->sc_r10;
	tf->tf_r11 = sc->sc_r11;
	tf->tf_r12 = sc->sc_r12;
	tf->tf_r13 = sc->sc_r13;
	tf->tf_r14 = sc->sc_r14;
	tf->tf_r15 = sc->sc_r15;
	tf->tf_rdi = sc->sc_rdi;
	tf->tf_rsi = sc->sc_rsi;
	tf->tf_rbp = sc->sc_rbp;
	tf->tf_rbx = sc->sc_rbx;
	tf->tf_rdx = sc->sc_rdx;
	tf->tf_rcx = sc->sc_rcx;
	tf->tf_rsp = sc->sc_rsp;
	tf->tf_rip = sc->sc_rip;
	tf->tf_rflags = (tf->tf_rflags & ~(uint64_t)PSL_SIG_FIX) |
	    (sc->sc_eflags & PSL_SIG_FIX);
	tf->tf_cs = GSEL_UCODE | SEL_UPL;
	tf->tf_ss = GSEL_UDATA | SEL_UPL;
	/* The alternate stack as it was (re-armed after SS_AUTODISARM). */
	mode = ss->ss_flags & ~(int)SS_AUTODISARM;
	if (!cpu_sig_onaltstack(td, tf->tf_rsp) && (mode == 0 ||
	    mode == SS_DISABLE || mode == SS_ONSTACK)) {
		if (mode == SS_DISABLE) {
			td->td_altstack.ss_sp = 0;
			td->td_altstack.ss_size = 0;
			td->td_altstack.ss_flags = SS_DISABLE;
		} else if (ss->ss_size >= MINSIGSTKSZ) {
			td->td_altstack.ss_sp = ss->ss_sp;
			td->td_altstack.ss_size = ss->ss_size;
			td->td_altstack.ss_flags = ss->ss_flags &
			    (int)SS_AUTODISARM;
		}
	}
	*mask = uc.uc_sigmask.sig[0];
	*rax = (long)sc->sc_rax;
	return 0;
}
