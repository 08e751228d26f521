/*
 * Processes and threads.
 *
 * A thread is what the scheduler runs: a kernel stack, saved registers and
 * a state.  A process owns an address space, descriptors, credentials,
 * signal handlers and its threads (clone with CLONE_THREAD adds one; the
 * first has the process's pid as its thread id).  Kernel threads have no
 * process of their own (td_proc is proc0, whose address space is the
 * kernel's).
 *
 * Lock order: proc_lock, then sched_lock.
 *
 * Locks protecting members of these structs:
 *	I	immutable after creation
 *	s	sched_lock
 *	p	proc_lock (the process tree, PIDs, states, exit status)
 *	c	only the thread itself (curthread) touches it
 *	ps	written with proc_lock and sched_lock held, read under either
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/abi/signal.h>
#include <sys/abi/wait.h>
#include <sys/itimer.h>
#include <sys/lock.h>
#include <sys/poll.h>
#include <sys/types.h>

struct filedesc;
struct pidfd;
struct prof_cpu;
struct ptimer;
struct sem_undolist;
struct sctrace;
struct trapframe;
struct vnode;
struct vmspace;

enum thread_state {
	TDS_NEW = 0,
	TDS_RUNNABLE,		/* on the run queue, or running */
	TDS_SLEEPING,		/* on a sleep channel */
	TDS_DEAD,		/* exited; its stack is freed by the reaper */
};

#define KSTACK_SIZE	(16 * 1024)

/*
 * Pending signals (kern/kern_sig.c): the set, and the siginfo of each
 * queued instance, oldest first.  A standard signal is pending at most
 * once; a real-time one is queued as often as it is sent (up to
 * RLIMIT_SIGPENDING).  A bit may be set with no entry when there was no
 * memory for one: its siginfo then says SI_KERNEL.  Under proc_lock.
 */
struct ksiginfo {
	struct ksiginfo	*ksi_next;
	struct l_siginfo ksi_info;
};

struct sigqueue {
	uint64_t	 sq_set;	/* bit (sig - 1): pending */
	struct ksiginfo	*sq_head;	/* queued instances, oldest first */
};

struct thread {
	int		 td_tid;	/* [I] */
	struct proc	*td_proc;	/* [I] */
	char		 td_name[32];	/* [c] */
	enum thread_state td_state;	/* [s] */
	const volatile void *td_wchan;	/* [s] the channel it sleeps on */
	const char	*td_wmesg;	/* [s] the channel's name */
	bool		 td_interrupted; /* [s] woken by a signal, not wakeup */
	bool		 td_timedout;	/* [s] woken by its deadline */
	uint64_t	 td_wakeup_ns;	/* [s] timed sleep deadline, 0 none */
	struct thread	*td_runq_next;	/* [s] run queue / sleep list */
	struct thread	*td_all_next;	/* [s] every thread */
	void		*td_kstack;	/* [I] KSTACK_SIZE bytes */
	uint64_t	 td_rsp;	/* [c] saved by cpu_switch */
	struct trapframe *td_frame;	/* [c] user registers on kernel stack */
	void		*td_onfault;	/* [c] copyin's recovery address */
	uint64_t	 td_fsbase;	/* [c] user FS base (TLS) */
	int		*td_clear_child_tid; /* [c] set_tid_address */
	uint64_t	 td_runtime_ns;	/* [s] CPU time used */
	uint64_t	 td_slice_end;	/* [s] tick that ends its time slice */
	uint64_t	 td_switched_ns; /* [s] when it last got the CPU */
	bool		 td_user;	/* [I] has user state (FPU, frame) */
	bool		 td_sleep_intr;	/* [s] a signal may end its sleep */
	/* Scheduling (kern/kern_sched.c; policies of sys/abi/sched.h). */
	int		 td_policy;	/* [ps] SCHED_OTHER, _FIFO, _RR, ... */
	int		 td_rtprio;	/* [ps] 1..99 for FIFO and RR, else 0 */
	int		 td_nice;	/* [ps] -20..19, weighs SCHED_OTHER */
	bool		 td_reset_on_fork; /* [ps] SCHED_RESET_ON_FORK */
	bool		 td_yield;	/* [s] sched_yield: after its peers */
	uint64_t	 td_vruntime;	/* [s] fair-share virtual run time */
	struct thread	*td_plist_next;	/* [p] next thread of td_proc */
	/* Signals (kern/kern_sig.c). */
	uint64_t	 td_sigmask;	/* [p] blocked: bit (sig - 1) */
	struct sigqueue	 td_sigq;	/* [p] sent to this thread alone */
	uint64_t	 td_sigwait;	/* [p] rt_sigtimedwait's set */
	uint64_t	 td_sigsaved;	/* [c] mask before rt_sigsuspend */
	bool		 td_has_saved;	/* [c] td_sigsaved is to be restored */
	int		 td_sysnr;	/* [c] system call running, or -1 */
	bool		 td_sysintr;	/* [c] its sleep was cut by a signal */
	struct l_sigaltstack td_altstack; /* [c] sigaltstack(2) */
	/*
	 * Futexes (kern/kern_futex.c): set_robust_list(2)'s head, a user
	 * address (its length is always that of struct robust_list_head).
	 * Written by the thread itself; get_robust_list(2) of another
	 * thread reads it under proc_lock.
	 */
	uintptr_t	 td_robust_head; /* [c] 0: none */
	/*
	 * System V semaphores' SEM_UNDO adjustments (kern/sysv_sem.c),
	 * shared by the threads CLONE_SYSVSEM made; NULL: none yet.
	 */
	struct sem_undolist *td_semundo; /* [sem_lock] */
	bool		 td_sctraced;	/* [c] its call's ENTER was traced */
	/* [c] the user's x87/SSE state while not on the CPU (fxsave). */
	uint8_t		 td_fpu[512] __aligned(16);
};

enum proc_state {
	PRS_ALIVE = 1,
	PRS_ZOMBIE,		/* exited, waiting for its parent */
};

#define PROC_NAME_MAX	16
#define PID_MAX		32768		/* kernel.pid_max's default */
#define PID_MAX_LIMIT	4194304		/* its largest (Linux, 64-bit) */
#define PID_RESERVED	300		/* pids skipped after a wrap */

struct proc {
	int		 p_pid;		/* [I] */
	struct proc	*p_parent;	/* [p] reparented to init on exit */
	struct proc	*p_children;	/* [p] first child */
	struct proc	*p_sibling;	/* [p] next child of p_parent */
	struct proc	*p_all_next;	/* [p] every process */
	enum proc_state	 p_state;	/* [p] */
	bool		 p_autoreap;	/* [p] a zombie its parent won't see */
	int		 p_xstat;	/* [p] wait status, Linux encoding */
	struct vmspace	*p_vmspace;	/* [c] NULL for proc0 */
	struct thread	*p_threads;	/* [p] live threads (td_plist_next) */
	int		 p_nthreads;	/* [p] how many */
	bool		 p_exiting;	/* [p] p_exiter ends the others */
	struct thread	*p_exiter;	/* [p] exit_group or execve's thread */
	char		 p_comm[PROC_NAME_MAX]; /* [c] exec's basename */
	uint32_t	 p_uid, p_euid, p_gid, p_egid;	/* [c] */
	uint32_t	 p_suid, p_sgid;	/* [c] saved set-user/group-ID */
	uint32_t	*p_groups;	/* [c] supplementary groups, kmalloc */
	int		 p_ngroups;	/* [c] */
	/* [p] resource limits, Linux's RLIMIT_* order: {cur, max} */
	uint64_t	 p_rlimit[16][2];
	uint32_t	 p_umask;	/* [c] */
	int		 p_nice;	/* [p] -20 (favoured) .. 19 */
	int		 p_pgid, p_sid;	/* [p] */
	bool		 p_execed;	/* [p] has called execve (setpgid) */
	/*
	 * [p] the real uid was set to a user then over RLIMIT_NPROC
	 * (Linux's PF_NPROC_EXCEEDED): the next execve checks again and
	 * is EAGAIN if it still is (proc_set_ruid, exec).
	 */
	bool		 p_nproc_exceeded;
	uint64_t	 p_start_ns;	/* [I] */
	uint64_t	 p_utime_ns, p_stime_ns;	/* [s] */
	uint64_t	 p_cutime_ns, p_cstime_ns;	/* [p] reaped children */
	struct thread	*p_vfork_parent; /* [p] woken at exec or exit */
	struct filedesc	*p_fd;		/* [c] descriptors (sys/file.h) */
	struct vnode	*p_cwd;		/* [p] working directory, referenced */
	struct vnode	*p_root;	/* [p] root directory (chroot) */
	struct vnode	*p_textvp;	/* [p] the executable, referenced */
	/* [p] exec's argument and environment strings (user addresses) */
	uint64_t	 p_arg_start, p_arg_end, p_env_start, p_env_end;
	struct proc	*p_lockf_wait;	/* owner of the lock it waits for
					   (kern_lockf.c, lockf_lock) */
	/* Signals (kern/kern_sig.c); index sig - 1. */
	int		 p_exitsig;	/* [p] sent to the parent at exit */
	bool		 p_stopped;	/* [p] stopped by a signal */
	int		 p_stopsig;	/* [p] the signal that stopped it */
	bool		 p_stop_report;	/* [p] stop not yet seen by wait */
	bool		 p_cont_report;	/* [p] continue not yet seen by wait */
	struct sigqueue	 p_sigq;	/* [p] sent to the process */
	int		 p_nqueued;	/* [p] ksiginfos on p's queues,
					   and one per POSIX timer (its
					   signal's, reserved as Linux
					   does): RLIMIT_SIGPENDING */
	struct l_sigaction p_sigacts[L_NSIG];	/* [p] */
	/* Timers (sys/sys/itimer.h); a zeroed proc has none armed. */
	struct itimer	 p_itimer[ITIMER_COUNT]; /* [p] alarm, setitimer */
	struct ptimer	*p_ptimers;	/* [p] timer_create's, by id */
	int		 p_ncputimers;	/* [p] of them on a CPU-time clock */
	/*
	 * prctl(2) (kern/kern_prctl.c).  Linux keeps the parent-death
	 * signal per thread; here it is the process's (its main thread's).
	 */
	int		 p_pdeathsig;	/* [p] sent when the parent exits */
	bool		 p_dumpable;	/* [p] PR_SET_DUMPABLE; exec sets it */
	bool		 p_no_new_privs; /* [p] once set, kept for ever */
	bool		 p_subreaper;	/* [p] adopts orphaned descendants */
	struct sctrace	*p_sctrace;	/* [p] kern_sctrace.c, or NULL */
	/* /proc/pid/oom_score_adj (procfs). */
	int		 p_oom_score_adj;	/* [p] -1000..1000 */
	int		 p_oom_score_adj_min;	/* [p] floor for non-root */
	/* signalfd's pollers: woken when a signal is queued (sys/poll.h). */
	struct pollhead	 p_sigpoll;	/* [P] */
	/*
	 * The pidfds that name this process (kern/kern_pidfd.c): woken when
	 * it ends, cut loose when it is freed.
	 */
	struct pidfd	*p_pidfds;	/* [p] */
};

/* Per-CPU data, at %gs:0 in the kernel. */
struct cpu {
	struct cpu	*ci_self;	/* [I] for %gs:0 loads */
	struct thread	*ci_curthread;	/* [c] */
	uint64_t	 ci_kstack_top;	/* [c] syscall entry loads rsp here */
	uint64_t	 ci_user_rsp;	/* [c] syscall entry scratch */
	struct thread	*ci_idle;	/* [I] */
	int		 ci_want_resched; /* [c] set by the tick */
	/* [c] the frame of the interrupt being handled (trap.c), or NULL */
	struct trapframe *ci_intr_frame;
	/* [I] once set: the profiler's samples (kern/kern_prof.c), or NULL */
	struct prof_cpu	*ci_prof;
};

extern struct cpu cpu0;
extern struct proc proc0;
extern struct spinlock proc_lock;
extern struct spinlock sched_lock;

static inline struct thread *
curthread_get(void)
{
	struct thread *td;

	__asm__ volatile("movq %%gs:8, %0" : "=r"(td));
	return td;
}
#define curthread	(curthread_get())
#define curproc		(curthread->td_proc)

/* kern/kern_sched.c */
void	sched_init(void);		/* this CPU's idle thread; boot */
struct thread *thread_create_kernel(void (*fn)(void *), void *arg,
	    const char *name);		/* runnable kernel thread, or NULL */
void	sched_add(struct thread *td);	/* make runnable */
void	sched_yield(void);		/* give up the CPU */
void	sched_tick(void);		/* from the timer interrupt */
void	sched_preempt_check(void);	/* on return from interrupts */
/*
 * The 1, 5 and 15 minute load averages (threads running or runnable,
 * decayed every 5 seconds as Linux does), in fixed point with fshift
 * fraction bits (11: /proc/loadavg's FSHIFT; 16: sysinfo's).  Takes
 * sched_lock.
 */
void	sched_loadavg(unsigned long loads[3], int fshift);
/*
 * Sleep on chan until wakeup(chan) (or, with a timeout in ns, until it
 * passes: -ETIMEDOUT).  lock, if not NULL, is released while asleep and
 * taken again before returning.  Returns 0 when woken.
 */
int	tsleep(const volatile void *chan, struct spinlock *lock, const char *wmesg,
	    uint64_t timeout_ns);
void	wakeup(const volatile void *chan);
/*
 * tsleep that a signal can end: returns -EINTR (and marks the running
 * system call as interrupted, for restarts) when a signal the thread does
 * not block is pending before or while it sleeps.
 */
int	tsleep_sig(const volatile void *chan, struct spinlock *lock,
	    const char *wmesg, uint64_t timeout_ns);
/* Wake td if it sleeps interruptibly (sig_post).  sched_lock not held. */
void	sched_signal_wake(struct thread *td);
void	thread_exit(void) __noreturn;
void	thread_exit_unlock(struct spinlock *lock) __noreturn;
/*
 * A new thread td of the current one takes its policy, priority and nice
 * value, or the defaults when the parent asked for SCHED_RESET_ON_FORK
 * (fork and clone call it once td exists).  Takes proc_lock, sched_lock.
 */
void	sched_fork(struct thread *td);
/* td's nice value changed (setpriority, nice); takes sched_lock. */
void	sched_setnice(struct thread *td, int nice);
/*
 * Give td a policy (SCHED_*, already checked) and real-time priority;
 * switches at once if td now outranks the running thread.  Takes
 * sched_lock.
 */
void	sched_setpolicy(struct thread *td, int policy, int rtprio,
	    bool reset_on_fork);
/* The RR time slice, and td's slice for sched_rr_get_interval, in ns. */
#define SCHED_RR_SLICE_NS	100000000ULL	/* Linux's default: 100 ms */
uint64_t sched_timeslice_ns(const struct thread *td);

/* kern/kern_exit.c: end the current process as killed by sig. */
void	proc_exit_sig(int sig) __noreturn;
/* The same for a core-dump signal (with its info): the core is written. */
void	proc_exit_core(int sig, const struct l_siginfo *si) __noreturn;
/*
 * kern/kern_coredump.c: write the core file of the current process, the
 * only thread left, dying of sig; 0 when a whole core was written.
 */
int	coredump(int sig, const struct l_siginfo *si);
/*
 * kern/kern_exit.c: the current thread ends because another one ends the
 * process (exit_group, a fatal signal, execve).  No lock held.
 */
void	thread_die(void) __noreturn;
/*
 * kern/kern_exit.c: make td the only thread of p (execve): the others are
 * told to die and waited for.  proc_lock held; returns with it held.
 * Returns false (nothing done) when p is already ending.
 */
bool	proc_single_thread(struct proc *p, struct thread *td);

/* kern/kern_sig.c */
#define SIGBIT(sig)	(1ULL << ((sig) - 1))
/*
 * Queue sig with info si (NULL: SI_KERNEL) for process p, to be taken by
 * any of its threads that does not block it; proc_lock held.  Returns 0,
 * or -EAGAIN when a real-time signal cannot be queued (RLIMIT_SIGPENDING,
 * or no memory).
 */
int	sig_post(struct proc *p, int sig, const struct l_siginfo *si);
/* The same for one thread only (tgkill, faults, SIGEV_THREAD_ID). */
int	sig_post_thread(struct thread *td, int sig, const struct l_siginfo *si);
/*
 * kill(2) of the one process p: -EPERM when the caller may not signal it,
 * else sig (0: only the check) is posted with si (NULL: SI_USER from the
 * caller, as kill(2) sends).  proc_lock held.
 */
int	sig_kill_proc(struct proc *p, int sig, const struct l_siginfo *si);
/* sig_post, taking proc_lock. */
int	sig_send(struct proc *p, int sig, const struct l_siginfo *si);
/*
 * POSIX XBD 3.265: is group pgid of session sid orphaned (gone, when not
 * NULL, counted neither as member nor as parent)?  proc_lock held.
 */
bool	sig_pgrp_orphaned(int pgid, int sid, const struct proc *gone);
/*
 * p ends, heir adopting its children: each process group its end orphans
 * that has a stopped member gets SIGHUP and SIGCONT (POSIX _exit).
 * proc_lock held.
 */
void	sig_exit_orphans(struct proc *p, const struct proc *heir);
/*
 * A fault of the current thread: sig with code and the faulting address,
 * delivered before it returns to user mode even if blocked or ignored.
 */
void	sig_fault(int sig, int code, uint64_t addr);
/*
 * Send p's parent SIGCHLD (or sig for an exit) with code CLD_* and
 * status; stops and continues only without SA_NOCLDSTOP.  proc_lock held.
 */
void	sig_notify_parent(struct proc *p, int sig, int code, int status);
/* A signal is pending and not blocked for td (lock-free peek). */
bool	sig_pending(const struct thread *td);
/* Deliver pending signals on the way to user mode (userret). */
void	sig_deliver(struct trapframe *tf);
void	sig_fork(struct proc *child, const struct proc *parent);
/* A new thread td of the current process (clone with CLONE_THREAD). */
void	sig_thread_init(struct thread *td);
/*
 * A queued siginfo of sig for p (or, td not NULL, for td alone) that
 * match accepts, or NULL; proc_lock held.
 */
struct l_siginfo *sig_queued_info(struct proc *p, struct thread *td, int sig,
	    bool (*match)(const struct l_siginfo *si, void *arg), void *arg);
/* Free the siginfos queued on q; proc_lock held. */
void	sigq_flush(struct proc *p, struct sigqueue *q);
void	sig_exec(struct proc *p, struct thread *td);
/* Set the current thread's signal mask; takes proc_lock. */
void	sig_setmask(uint64_t mask);
/*
 * Take the lowest signal of set pending for td (its own queue first, then
 * its process's) into *si; proc_lock held.  Returns the signal, or 0 when
 * none is pending (signalfd's read).
 */
int	sig_dequeue(struct thread *td, uint64_t set, struct l_siginfo *si);

/*
 * arch/x86_64/cpu_machdep.c: write the rt_sigframe for a handler of sig
 * on td's user stack and point tf at the handler (0, or -EFAULT when the
 * frame cannot be written); read it back for rt_sigreturn (0 with the
 * mask and rax to restore, or -EFAULT); is sp on td's alternate stack?
 */
int	cpu_sig_sendframe(struct thread *td, struct trapframe *tf, int sig,
	    const struct l_siginfo *si, const struct l_sigaction *sa,
	    uint64_t mask);
int	cpu_sig_return(struct thread *td, struct trapframe *tf,
	    uint64_t *mask, long *rax);
bool	cpu_sig_onaltstack(const struct thread *td, uint64_t sp);

/* kern/kern_proc.c */
struct proc *proc_find(int pid);	/* proc_lock held */
/* The live user thread with id tid, or NULL; proc_lock held. */
struct thread *thread_find(int tid);
/* A new thread id (from the pid space), or -EAGAIN; proc_lock held. */
int	tid_alloc(void);
/*
 * kernel.pid_max: pids are allocated below it.  Set by root to
 * PID_RESERVED + 1 .. PID_MAX_LIMIT (else -EINVAL).  Take proc_lock.
 */
int	proc_pid_max_get(void);
int	proc_pid_max_set(int max);
/* Link td into p's threads, or unlink it; proc_lock held. */
void	proc_thread_link(struct proc *p, struct thread *td);
void	proc_thread_unlink(struct proc *p, struct thread *td);
struct proc *proc_first(void);		/* every process: proc_lock held */
struct proc *proc_next(struct proc *p);
int	proc_count(void);		/* processes that exist, for sysinfo */
void	proc_set_ruid(struct proc *p, uint32_t uid);
bool	proc_nproc_over(struct proc *p);
/* A new child of parent, or NULL with *errp = -EAGAIN or -ENOMEM. */
struct proc *proc_alloc(struct proc *parent, int *errp);
void	proc_free(struct proc *p);	/* a zombie or unstarted; proc_lock */

/*
 * kern/kern_pidfd.c: p became a zombie (its pidfds poll readable) or is
 * freed (they name no process any more).  proc_lock held.
 */
void	pidfd_proc_exit(struct proc *p);
void	pidfd_proc_free(struct proc *p);
/*
 * The process pidfd fd names, for waitid(P_PIDFD): its pid in *pidp (0
 * when it was reaped) and the file's status flags in *flagsp.  Returns 0,
 * or -EBADF when fd is not an open pidfd.  No lock held.
 */
int	pidfd_getpid(int fd, int *pidp, int *flagsp);

/*
 * kern/kern_sched.c: a user thread of p, with id tid, starting with a copy
 * of parent's frame (rax 0, and rsp newsp when not 0).
 */
struct thread *thread_create_user(struct proc *p,
	    const struct trapframe *parent, uint64_t newsp, int tid);
void	thread_destroy_unstarted(struct thread *td);

/* kern/kern_exit.c: drop p's working and root directories. */
void	proc_release_dirs(struct proc *p);

/* kern/kern_exit.c: wake a vfork parent (p execs or exits). */
void	proc_vfork_done(struct proc *p);

/*
 * kern/kern_prctl.c: the hooks of fork (child's prctl state and tracing),
 * exec (dumpable again, the tracer's record) and exit (the reaper of the
 * orphans, with proc_lock; their parent-death signal, with proc_lock).
 */
void	prctl_fork(struct proc *child, struct proc *parent);
void	prctl_exec(struct proc *p);
struct proc *prctl_reaper(struct proc *p, struct proc *init);
void	prctl_orphan(struct proc *child);

/* kern/kern_exec.c: start PID 1 running path with argv and envp. */
int	exec_start_init(const char *path, const char *const *argv,
	    const char *const *envp);

/* kern/kern_userret.c: the last kernel code before user mode. */
void	userret(struct trapframe *tf);

/* kern/kern_prot.c and kern_rlimit.c: what fork copies. */
int	prot_fork(struct proc *child, const struct proc *parent);
void	prot_free(struct proc *p);
void	rlimit_fork(struct proc *p, const struct proc *parent);
bool	rlimit_nproc_ok(uint32_t euid, uint64_t lim, int nuser);

/* Wait-status encoding (Linux, see wait(2)). */
#define W_EXITCODE(ret, sig)	(((ret) & 0xff) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | 0x7f)

#endif /* _SYS_PROC_H_ */
