/*
 * Linux signal numbers on x86_64 (uapi asm/signal.h; signal(7)): the
 * standard signals 1-31 and the real-time signals 32-64; the handler
 * structures of rt_sigaction(2) and sigaltstack(2); the signal frame a
 * handler runs on (uapi asm/sigcontext.h, asm/ucontext.h and the
 * kernel's struct rt_sigframe, arch/x86/include/asm/sigframe.h) and the
 * si_code values (uapi asm-generic/siginfo.h).  The siginfo structure
 * itself is in wait.h.  Includes nothing.
 */
#ifndef _SYS_ABI_SIGNAL_H_
#define _SYS_ABI_SIGNAL_H_

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGIOT		SIGABRT
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32	/* the kernel's; the C libraries keep 2-3 */
#define SIGRTMAX	64
#define L_NSIG		64	/* the kernel's _NSIG: signals 1..64 */

/* sa_handler's special values */
#define SIG_DFL		0	/* the default action */
#define SIG_IGN		1	/* ignore the signal */
#define SIG_ERR		(-1)	/* what signal(3) returns on error */

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001	/* no SIGCHLD when children stop */
#define SA_NOCLDWAIT	0x00000002	/* children do not become zombies */
#define SA_SIGINFO	0x00000004	/* handler(sig, siginfo, ucontext) */
#define SA_RESTORER	0x04000000	/* sa_restorer is the return path */
#define SA_ONSTACK	0x08000000	/* run on the sigaltstack */
#define SA_RESTART	0x10000000	/* restart interrupted calls */
#define SA_NODEFER	0x40000000	/* do not block sig in its handler */
#define SA_RESETHAND	0x80000000	/* back to SIG_DFL once delivered */

/* rt_sigprocmask's how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* sigaltstack's ss_flags */
#define SS_ONSTACK	1	/* (old_ss) running on the stack now */
#define SS_DISABLE	2	/* no alternate stack */
#define SS_AUTODISARM	0x80000000U	/* disarm while a handler runs on it */
#define MINSIGSTKSZ	2048
#define SIGSTKSZ	8192

/* si_code: who sent it (any signal) */
#define SI_USER		0	/* kill(2) */
#define SI_KERNEL	0x80	/* the kernel */
#define SI_QUEUE	(-1)	/* sigqueue(3), rt_sigqueueinfo(2) */
#define SI_TIMER	(-2)	/* a POSIX timer */
#define SI_MESGQ	(-3)	/* a message queue */
#define SI_ASYNCIO	(-4)	/* AIO completion */
#define SI_SIGIO	(-5)	/* queued SIGIO */
#define SI_TKILL	(-6)	/* tkill(2), tgkill(2) */

/* si_code for SIGIO (and a signal set by fcntl(2) F_SETSIG) */
#define POLL_IN		1	/* data to read */
#define POLL_OUT	2	/* room to write */
#define POLL_MSG	3	/* a message (a lease break) */
#define POLL_ERR	4	/* an error */
#define POLL_PRI	5	/* urgent data */
#define POLL_HUP	6	/* hung up */

/* sigev_notify (sigevent(7)): how a timer or a message queue notifies */
#define SIGEV_SIGNAL	0	/* send sigev_signo to the process */
#define SIGEV_NONE	1	/* nothing; the timer can be read */
#define SIGEV_THREAD	2	/* the C library's: a new thread (the kernel:
				   as SIGEV_SIGNAL) */
#define SIGEV_THREAD_ID	4	/* send sigev_signo to sigev_tid's thread */

/* si_code for SIGILL */
#define ILL_ILLOPC	1	/* illegal opcode */
#define ILL_ILLOPN	2	/* illegal operand */
#define ILL_ILLADR	3	/* illegal addressing mode */
#define ILL_ILLTRP	4	/* illegal trap */
#define ILL_PRVOPC	5	/* privileged opcode */
#define ILL_PRVREG	6	/* privileged register */
#define ILL_COPROC	7	/* coprocessor error */
#define ILL_BADSTK	8	/* internal stack error */

/* si_code for SIGFPE */
#define FPE_INTDIV	1	/* integer divide by zero */
#define FPE_INTOVF	2	/* integer overflow */
#define FPE_FLTDIV	3	/* floating-point divide by zero */
#define FPE_FLTOVF	4	/* floating-point overflow */
#define FPE_FLTUND	5	/* floating-point underflow */
#define FPE_FLTRES	6	/* floating-point inexact result */
#define FPE_FLTINV	7	/* floating-point invalid operation */
#define FPE_FLTSUB	8	/* subscript out of range */

/* si_code for SIGSEGV */
#define SEGV_MAPERR	1	/* address not mapped */
#define SEGV_ACCERR	2	/* no permission for the mapped object */

/* si_code for SIGBUS */
#define BUS_ADRALN	1	/* invalid address alignment */
#define BUS_ADRERR	2	/* nonexistent physical address */
#define BUS_OBJERR	3	/* object-specific hardware error */

/* si_code for SIGTRAP */
#define TRAP_BRKPT	1	/* breakpoint */
#define TRAP_TRACE	2	/* trace trap */

/* uc_flags */
#define UC_FP_XSTATE	0x1	/* the fpstate has an xsave extension */
#define UC_SIGCONTEXT_SS 0x2	/* sc_ss is saved */
#define UC_STRICT_RESTORE_SS 0x4 /* restore sc_ss exactly */

/* The kernel's sigset_t: one bit per signal, bit (sig - 1). */
struct l_sigset {
	unsigned long	sig[1];
};
#define L_SIGSET_SIZE	8	/* rt_sigprocmask's sigsetsize */

/* struct sigaction as rt_sigaction(2) passes it (uapi asm/signal.h). */
struct l_sigaction {
	unsigned long	sa_handler;	/* SIG_DFL, SIG_IGN or a function */
	unsigned long	sa_flags;	/* SA_* */
	unsigned long	sa_restorer;	/* where a handler returns to */
	struct l_sigset	sa_mask;	/* blocked while the handler runs */
};

/* stack_t (sigaltstack(2)) */
struct l_sigaltstack {
	unsigned long	ss_sp;
	int		ss_flags;
	int		__ss_pad;
	unsigned long	ss_size;
};

/*
 * struct sigcontext (64-bit), the registers as the interrupted code had
 * them; sc_fpstate points at the 512-byte fxsave image (struct
 * l_fpstate), or is 0.
 */
struct l_sigcontext {
	unsigned long	sc_r8, sc_r9, sc_r10, sc_r11;
	unsigned long	sc_r12, sc_r13, sc_r14, sc_r15;
	unsigned long	sc_rdi, sc_rsi, sc_rbp, sc_rbx;
	unsigned long	sc_rdx, sc_rax, sc_rcx, sc_rsp;
	unsigned long	sc_rip, sc_eflags;
	unsigned short	sc_cs, sc_gs, sc_fs, sc_ss;
	unsigned long	sc_err, sc_trapno, sc_oldmask, sc_cr2;
	unsigned long	sc_fpstate;
	unsigned long	sc_reserved1[8];
};

/* struct _fpstate (64-bit): the fxsave image, SDM vol. 1, 10.5.1. */
struct l_fpstate {
	unsigned short	cwd, swd, twd, fop;
	unsigned long	rip, rdp;
	unsigned int	mxcsr, mxcsr_mask;
	unsigned int	st_space[32];	/* 8 registers, 16 bytes each */
	unsigned int	xmm_space[64];	/* 16 registers, 16 bytes each */
	unsigned int	reserved2[12];
	unsigned int	sw_reserved[12];
};

/* struct ucontext as the kernel writes it (uapi asm/ucontext.h). */
struct l_ucontext {
	unsigned long	uc_flags;
	unsigned long	uc_link;
	struct l_sigaltstack uc_stack;
	struct l_sigcontext uc_mcontext;
	struct l_sigset	uc_sigmask;
};

/*
 * struct sigevent (uapi asm-generic/siginfo.h; sigevent(7)), 64 bytes:
 * the value the signal carries (si_value), the signal, how to notify,
 * then a union of which the kernel reads only the thread id.
 */
struct l_sigevent {
	unsigned long	sigev_value;	/* union sigval */
	int		sigev_signo;
	int		sigev_notify;	/* SIGEV_* */
	union {
		int	__sigev_pad[12];
		int	sigev_tid;	/* SIGEV_THREAD_ID */
	};
};

_Static_assert(sizeof(struct l_sigset) == L_SIGSET_SIZE, "l_sigset");
_Static_assert(sizeof(struct l_sigaction) == 32, "l_sigaction");
_Static_assert(__builtin_offsetof(struct l_sigaction, sa_mask) == 24,
    "sa_mask");
_Static_assert(sizeof(struct l_sigaltstack) == 24, "l_sigaltstack");
_Static_assert(__builtin_offsetof(struct l_sigaltstack, ss_size) == 16,
    "ss_size");
_Static_assert(sizeof(struct l_sigcontext) == 256, "l_sigcontext");
_Static_assert(__builtin_offsetof(struct l_sigcontext, sc_rip) == 128,
    "sc_rip");
_Static_assert(__builtin_offsetof(struct l_sigcontext, sc_cs) == 144,
    "sc_cs");
_Static_assert(__builtin_offsetof(struct l_sigcontext, sc_err) == 152,
    "sc_err");
_Static_assert(__builtin_offsetof(struct l_sigcontext, sc_fpstate) == 184,
    "sc_fpstate");
_Static_assert(sizeof(struct l_fpstate) == 512, "l_fpstate");
_Static_assert(__builtin_offsetof(struct l_fpstate, mxcsr) == 24, "mxcsr");
_Static_assert(__builtin_offsetof(struct l_fpstate, xmm_space) == 160,
    "xmm_space");
_Static_assert(sizeof(struct l_ucontext) == 304, "l_ucontext");
_Static_assert(sizeof(struct l_sigevent) == 64, "l_sigevent");
_Static_assert(__builtin_offsetof(struct l_sigevent, sigev_tid) == 16,
    "sigev_tid");
_Static_assert(__builtin_offsetof(struct l_ucontext, uc_mcontext) == 40,
    "uc_mcontext");
_Static_assert(__builtin_offsetof(struct l_ucontext, uc_sigmask) == 296,
    "uc_sigmask");

#endif /* _SYS_ABI_SIGNAL_H_ */
