/*
 * Signals, as Linux delivers them (signal(7)).
 *
 * A signal is posted to a process (sig_post: kill, the kernel's signals)
 * or to one of its threads (sig_post_thread: tgkill, faults).  It is
 * discarded at once when its action is to ignore it and the target does
 * not block it; otherwise its siginfo is queued on the process's or the
 * thread's struct sigqueue (a standard signal that is already pending is
 * not queued twice; real-time signals queue, up to RLIMIT_SIGPENDING) and
 * a thread that does not block it is woken if it sleeps interruptibly
 * (tsleep_sig).  On every way back to user mode userret() calls
 * sig_deliver(), which takes the pending signals the thread does not
 * block - its own first, then the process's, lowest number first - and
 * runs their action: the
 * default (terminate, stop, ignore), or a handler, for which the machine-
 * dependent code (cpu_sig_sendframe) writes an rt_sigframe on the user
 * stack; the handler returns through its sa_restorer into rt_sigreturn,
 * which puts the registers and the mask back.
 *
 * A system call whose sleep a signal cut short returns -EINTR; when the
 * signal runs a handler with SA_RESTART and the call is not NORESTART in
 * syscalls.master, or when no handler runs at all, the call is restarted
 * instead: rip goes back over the 2-byte `syscall` instruction and rax gets
 * the number again, as Linux does.
 *
 * A stop signal's default action stops the process in sig_stop() until
 * SIGCONT or SIGKILL (sig_post_jobctl): every thread sleeps in
 * sig_deliver while p_stopped is set.  The parent learns of both through
 * SIGCHLD and wait(WUNTRACED/WCONTINUED).  A signal that terminates ends
 * the whole process (proc_exit_sig), whichever thread takes it.
 *
 * The queue limit is counted per receiving process (p_nqueued), where
 * Linux counts per user.
 *
 * A core-dump signal's default action writes a core file first
 * (proc_exit_core, kern_coredump.c).  Children of a parent that ignores
 * SIGCHLD or set SA_NOCLDWAIT are reaped without a report (kern_exit.c).
 *
 * Not yet: a restarted nanosleep resuming with the time left (Linux's
 * restart_syscall): it starts over with the full time.
 *
 * Everything here is protected by proc_lock ([p] fields of sys/sys/proc.h);
 * user memory is copied with no lock held.
 */
#include <sys/abi/signal.h>
#include <sys/abi/time.h>
#include <sys/abi/wait.h>
#include <sys/abi/resource.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/systm.h>

#include <machine/frame.h>

#include <sysproto.h>

#define SIG_CANTMASK	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define T_SYSCALL	0x100	/* tf_trapno of a system call frame */

enum sig_default {
	SDFL_TERM = 0,	/* terminate */
	SDFL_CORE,	/* terminate and dump core */
	SDFL_IGN,	/* ignore */
	SDFL_STOP,	/* stop (not yet) */
	SDFL_CONT,	/* continue */
};

/* signal(7), "Standard signals"; the real-time ones terminate. */
static enum sig_default
sig_default(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SDFL_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SDFL_IGN;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SDFL_STOP;
	case SIGCONT:
		return SDFL_CONT;
	default:
		return SDFL_TERM;
	}
}

/* Would sig be thrown away by p as things stand?  proc_lock held. */
static bool
sig_ignored(const struct proc *p, int sig)
{
	unsigned long h = p->p_sigacts[sig - 1].sa_handler;

	if (h == SIG_IGN)
		return true;
	return h == SIG_DFL && (sig_default(sig) == SDFL_IGN ||
	    sig_default(sig) == SDFL_CONT);
}

/*
 * Queue sig with info si (NULL: SI_KERNEL) on q, one of p's queues.  A
 * standard signal already pending is not queued again.  When no siginfo
 * can be queued (RLIMIT_SIGPENDING, no memory) the signal is still made
 * pending, without its details, except a real-time one sent with
 * rt_sigqueueinfo, tgkill or a timer: -EAGAIN, as Linux.  proc_lock held.
 */
static int
sigq_add(struct proc *p, struct sigqueue *q, int sig,
    const struct l_siginfo *si)
{
	struct ksiginfo *ksi = NULL, **pp;
	bool rt = sig >= SIGRTMIN;

	if (!rt && (q->sq_set & SIGBIT(sig)))
		return 0;
	if (!rt || (uint64_t)p->p_nqueued <
	    p->p_rlimit[RLIMIT_SIGPENDING][0])
		ksi = kmalloc(sizeof(*ksi), 0);
	if (ksi == NULL) {
		if (rt && si != NULL && si->si_code != SI_USER)
			return -EAGAIN;
		q->sq_set |= SIGBIT(sig);
		return 0;
	}
	if (si != NULL) {
		ksi->ksi_info = *si;
	} else {
		memset(&ksi->ksi_info, 0, sizeof(ksi->ksi_info));
		ksi->ksi_info.si_code = SI_KERNEL;
	}
	ksi->ksi_info.si_signo = sig;
	ksi->ksi_next = NULL;
	for (pp = &q->sq_head; *pp != NULL; pp = &(*pp)->ksi_next)
		continue;
	*pp = ksi;
	p->p_nqueued++;
	q->sq_set |= SIGBIT(sig);
	return 0;
}

/*
 * Take the oldest pending instance of sig off q into *si; the bit stays
 * set while more instances wait.  proc_lock held.
 */
static void
sigq_take(struct proc *p, struct sigqueue *q, int sig, struct l_siginfo *si)
{
	struct ksiginfo *ksi, **pp;
	bool more = false;

	for (pp = &q->sq_head; (ksi = *pp) != NULL; pp = &ksi->ksi_next)
		if (ksi->ksi_info.si_signo == sig)
			break;
	if (ksi != NULL) {
		*pp = ksi->ksi_next;
		*si = ksi->ksi_info;
		kfree(ksi);
		p->p_nqueued--;
		for (ksi = *pp; ksi != NULL; ksi = ksi->ksi_next) {
			if (ksi->ksi_info.si_signo == sig) {
				more = true;
				break;
			}
		}
	} else {
		/* Made pending without a siginfo (sigq_add). */
		memset(si, 0, sizeof(*si));
		si->si_signo = sig;
		si->si_code = SI_KERNEL;
	}
	if (!more)
		q->sq_set &= ~SIGBIT(sig);
}

/*
 * The siginfo of a queued instance of sig that match(si, arg) accepts: on
 * td's queue when td is not NULL, else on p's; NULL when there is none.
 * The caller may change it in place (a timer counts its overruns there).
 * proc_lock held.
 */
struct l_siginfo *
sig_queued_info(struct proc *p, struct thread *td, int sig,
    bool (*match)(const struct l_siginfo *si, void *arg), void *arg)
{
	struct sigqueue *q = td != NULL ? &td->td_sigq : &p->p_sigq;
	struct ksiginfo *ksi;

	KASSERT(spin_held(&proc_lock), "sig_queued_info: proc_lock");
	if (!(q->sq_set & SIGBIT(sig)))
		return NULL;
	for (ksi = q->sq_head; ksi != NULL; ksi = ksi->ksi_next)
		if (ksi->ksi_info.si_signo == sig && match(&ksi->ksi_info, arg))
			return &ksi->ksi_info;
	return NULL;
}

/* Drop every pending instance of the signals in set from q.  proc_lock. */
static void
sigq_discard(struct proc *p, struct sigqueue *q, uint64_t set)
{
	struct ksiginfo *ksi, **pp;

	pp = &q->sq_head;
	while ((ksi = *pp) != NULL) {
		if (set & SIGBIT(ksi->ksi_info.si_signo)) {
			*pp = ksi->ksi_next;
			kfree(ksi);
			p->p_nqueued--;
		} else {
			pp = &ksi->ksi_next;
		}
	}
	q->sq_set &= ~set;
}

/* Free everything queued on q, one of p's queues.  proc_lock held. */
void
sigq_flush(struct proc *p, struct sigqueue *q)
{
	sigq_discard(p, q, ~0ULL);
}

/* Drop the signals in set from p's queue and all its threads'.  [p] */
static void
sig_discard(struct proc *p, uint64_t set)
{
	struct thread *td;

	sigq_discard(p, &p->p_sigq, set);
	for (td = p->p_threads; td != NULL; td = td->td_plist_next)
		sigq_discard(p, &td->td_sigq, set);
}

/* p's first thread if it still runs, else any; NULL when none.  [p] */
static struct thread *
sig_leader(const struct proc *p)
{
	struct thread *td;

	for (td = p->p_threads; td != NULL; td = td->td_plist_next)
		if (td->td_tid == p->p_pid)
			return td;
	return p->p_threads;
}

/* Does td take sig now (not blocked, or waited for)?  proc_lock held. */
static bool
sig_wanted(const struct thread *td, int sig)
{
	return !(td->td_sigmask & SIGBIT(sig)) ||
	    (td->td_sigwait & SIGBIT(sig));
}

/*
 * Send p's parent sig (SIGCHLD, or p's exit signal) saying what became of
 * p: code is CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED or
 * CLD_CONTINUED, status the exit code or the signal.  Stops and continues
 * are not reported to a parent whose SIGCHLD has SA_NOCLDSTOP.  proc_lock
 * held.
 */
void
sig_notify_parent(struct proc *p, int sig, int code, int status)
{
	struct proc *pp = p->p_parent;
	struct l_siginfo si;

	KASSERT(spin_held(&proc_lock), "sig_notify_parent: proc_lock");
	if (sig == 0 || pp == NULL || pp == &proc0)
		return;
	if ((code == CLD_STOPPED || code == CLD_CONTINUED) &&
	    (pp->p_sigacts[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP))
		return;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = p->p_pid;
	si.si_uid = p->p_uid;
	si.si_status = status;
	/* In clock ticks of USER_HZ, 100 per second. */
	si.si_utime = (long)(p->p_utime_ns / 10000000);
	si.si_stime = (long)(p->p_stime_ns / 10000000);
	sig_post(pp, sig, &si);
}

/*
 * The job-control side of posting sig to p (signal(7)): a stop signal
 * cancels a pending SIGCONT; SIGCONT cancels pending stop signals and
 * resumes a stopped p (whatever its action for SIGCONT); SIGKILL resumes
 * it too, to die.  proc_lock held.
 */
static void
sig_post_jobctl(struct proc *p, int sig)
{
	if (sig_default(sig) == SDFL_STOP) {
		sig_discard(p, SIGBIT(SIGCONT));
		return;
	}
	if (sig != SIGCONT && sig != SIGKILL)
		return;
	if (sig == SIGCONT)
		sig_discard(p, SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) |
		    SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU));
	if (!p->p_stopped)
		return;
	p->p_stopped = false;
	wakeup(&p->p_stopped);
	if (sig == SIGCONT) {
		p->p_stop_report = false;
		p->p_cont_report = true;
		sig_notify_parent(p, SIGCHLD, CLD_CONTINUED, SIGCONT);
		wakeup(p->p_parent);
	}
}

/*
 * The default action of a stop signal: the process stops until SIGCONT or
 * SIGKILL, and its parent hears of it (SIGCHLD with CLD_STOPPED, and
 * wait with WUNTRACED).  Called with no lock held.
 */
static void
sig_stop(struct proc *p, int sig)
{
	struct thread *td;

	spin_lock(&proc_lock);
	if ((p->p_sigq.sq_set & SIGBIT(SIGKILL)) || p->p_exiting) {
		spin_unlock(&proc_lock);
		return;
	}
	p->p_stopped = true;
	p->p_stopsig = sig;
	p->p_stop_report = true;
	p->p_cont_report = false;
	sig_notify_parent(p, SIGCHLD, CLD_STOPPED, sig);
	wakeup(p->p_parent);
	/* The other threads stop in sig_deliver (sig_pending says so). */
	for (td = p->p_threads; td != NULL; td = td->td_plist_next)
		if (td != curthread)
			sched_signal_wake(td);
	while (p->p_stopped && !p->p_exiting)
		tsleep(&p->p_stopped, &proc_lock, "stopped", 0);
	spin_unlock(&proc_lock);
}

/*
 * Is group pgid of session sid orphaned once gone (NULL: none) ends and
 * heir adopts its children?  proc_lock held.
 */
static bool
sig_pgrp_orphaned_heir(int pgid, int sid, const struct proc *gone,
    const struct proc *heir)
{
	struct proc *p;
	const struct proc *pp;

	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p == &proc0 || p == gone || p->p_pgid != pgid ||
		    p->p_state != PRS_ALIVE || p->p_exiting)
			continue;
		pp = p->p_parent == gone ? heir : p->p_parent;
		if (pp != NULL && pp != &proc0 && pp->p_pgid != pgid &&
		    pp->p_sid == sid)
			return false;
	}
	return true;
}

/*
 * POSIX XBD 3.265: is process group pgid of session sid orphaned, no
 * live member having a parent in another group of the same session?
 * Process gone (NULL: none), which is ending, counts neither as a member
 * nor as a parent.  proc_lock held.
 */
bool
sig_pgrp_orphaned(int pgid, int sid, const struct proc *gone)
{
	KASSERT(spin_held(&proc_lock), "sig_pgrp_orphaned: proc_lock");
	return sig_pgrp_orphaned_heir(pgid, sid, gone, NULL);
}

/* Is a live member of group pgid stopped?  proc_lock held. */
static bool
sig_pgrp_stopped(int pgid, const struct proc *gone)
{
	struct proc *p;

	for (p = proc_first(); p != NULL; p = proc_next(p))
		if (p != &proc0 && p != gone && p->p_pgid == pgid &&
		    p->p_state == PRS_ALIVE && p->p_stopped)
			return true;
	return false;
}

/*
 * Group pgid may be orphaned by gone's end (heir adopting its children):
 * if it then is and has a stopped member, each live member gets SIGHUP
 * then SIGCONT.
 */
static void
sig_orphan_check(int pgid, int sid, const struct proc *gone,
    const struct proc *heir)
{
	struct proc *p;

	if (!sig_pgrp_orphaned_heir(pgid, sid, gone, heir) ||
	    !sig_pgrp_stopped(pgid, gone))
		return;
	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p == &proc0 || p == gone || p->p_pgid != pgid ||
		    p->p_state != PRS_ALIVE || p->p_exiting)
			continue;
		(void)sig_post(p, SIGHUP, NULL);
		(void)sig_post(p, SIGCONT, NULL);
	}
}

/*
 * Process p ends (POSIX XSH _exit): a process group that its end
 * orphans - its own, when its parent is in another group of the
 * session, and each of its children's groups of the session but not of
 * p's group - gets SIGHUP then SIGCONT if one of its members is
 * stopped.  Called before p's children are given to heir, their new
 * parent (init or a subreaper).  proc_lock held.
 */
void
sig_exit_orphans(struct proc *p, const struct proc *heir)
{
	struct proc *c;

	KASSERT(spin_held(&proc_lock), "sig_exit_orphans: proc_lock");
	if (p->p_parent != NULL && p->p_parent != &proc0 &&
	    p->p_parent->p_pgid != p->p_pgid &&
	    p->p_parent->p_sid == p->p_sid)
		sig_orphan_check(p->p_pgid, p->p_sid, p, heir);
	for (c = p->p_children; c != NULL; c = c->p_sibling)
		if (c->p_pgid != p->p_pgid && c->p_sid == p->p_sid)
			sig_orphan_check(c->p_pgid, c->p_sid, p, heir);
}

/*
 * Queue sig with info si (NULL: sent by the kernel, SI_KERNEL) for process
 * p, and wake a thread that takes it: the first thread if it does not
 * block it, else another that does not.  proc_lock held.  A zombie takes
 * no signals.  Returns 0 or -EAGAIN (sigq_add).
 */
int
sig_post(struct proc *p, int sig, const struct l_siginfo *si)
{
	struct thread *td, *lead;
	int error;

	KASSERT(spin_held(&proc_lock), "sig_post: proc_lock");
	KASSERT(sig >= 1 && sig <= L_NSIG, "sig_post: bad signal");
	if (p->p_state != PRS_ALIVE || (lead = sig_leader(p)) == NULL)
		return 0;
	sig_post_jobctl(p, sig);
	if (sig_ignored(p, sig) && !(lead->td_sigmask & SIGBIT(sig)))
		return 0;
	if ((error = sigq_add(p, &p->p_sigq, sig, si)) < 0)
		return error;
	pollwakeup(&p->p_sigpoll, POLLIN | POLLRDNORM);
	if (sig_wanted(lead, sig)) {
		sched_signal_wake(lead);
		return 0;
	}
	for (td = p->p_threads; td != NULL; td = td->td_plist_next) {
		if (sig_wanted(td, sig)) {
			sched_signal_wake(td);
			break;
		}
	}
	return 0;
}

/*
 * Queue sig for thread td alone (tgkill, faults, timers with
 * SIGEV_THREAD_ID) and wake it if it takes it.  proc_lock held.  Returns
 * 0 or -EAGAIN (sigq_add).
 */
int
sig_post_thread(struct thread *td, int sig, const struct l_siginfo *si)
{
	struct proc *p = td->td_proc;
	int error;

	KASSERT(spin_held(&proc_lock), "sig_post_thread: proc_lock");
	KASSERT(sig >= 1 && sig <= L_NSIG, "sig_post_thread: bad signal");
	if (p->p_state != PRS_ALIVE)
		return 0;
	sig_post_jobctl(p, sig);
	if (sig_ignored(p, sig) && !(td->td_sigmask & SIGBIT(sig)))
		return 0;
	if ((error = sigq_add(p, &td->td_sigq, sig, si)) < 0)
		return error;
	pollwakeup(&p->p_sigpoll, POLLIN | POLLRDNORM);
	if (sig_wanted(td, sig))
		sched_signal_wake(td);
	return 0;
}

/* sig_post, taking proc_lock. */
int
sig_send(struct proc *p, int sig, const struct l_siginfo *si)
{
	int error;

	spin_lock(&proc_lock);
	error = sig_post(p, sig, si);
	spin_unlock(&proc_lock);
	return error;
}

/*
 * The current thread faulted: post sig (code, addr) so that it is taken
 * before the thread returns to user mode.  As Linux's force_sig does, a
 * blocked or ignored fault signal is unblocked and reset to its default
 * action first, so the process dies instead of looping on the fault.
 */
void
sig_fault(int sig, int code, uint64_t addr)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct l_siginfo si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_addr = addr;
	spin_lock(&proc_lock);
	if ((td->td_sigmask & SIGBIT(sig)) ||
	    p->p_sigacts[sig - 1].sa_handler == SIG_IGN) {
		td->td_sigmask &= ~SIGBIT(sig);
		p->p_sigacts[sig - 1].sa_handler = SIG_DFL;
	}
	/* A second fault before the first was taken replaces its info. */
	sigq_discard(p, &td->td_sigq, SIGBIT(sig));
	sig_post_thread(td, sig, &si);
	spin_unlock(&proc_lock);
}

/*
 * Must td leave its sleep for sig_deliver: a signal pending that it does
 * not block or that it waits for in rt_sigtimedwait, its process stopped,
 * or another thread ending the process?  A lock-free peek: sig_post sets
 * the bit before it takes sched_lock to wake the thread, and the sleeper
 * looks under sched_lock, so no wake-up is lost.
 */
bool
sig_pending(const struct thread *td)
{
	const volatile struct proc *p = td->td_proc;
	uint64_t pend = p->p_sigq.sq_set | td->td_sigq.sq_set;

	if (p->p_stopped || (p->p_exiting && p->p_exiter != td))
		return true;
	return (pend & (~td->td_sigmask | td->td_sigwait)) != 0;
}

/* Children inherit the handlers and the mask (fork(2)).  No lock needed. */
void
sig_fork(struct proc *child, const struct proc *parent)
{
	memcpy(child->p_sigacts, parent->p_sigacts, sizeof(child->p_sigacts));
	child->p_threads->td_sigmask = curthread->td_sigmask;
	child->p_threads->td_altstack = curthread->td_altstack;
}

/*
 * A new thread of the current process starts with the caller's mask, no
 * pending signal and no alternate stack (clone(2)).  No lock needed: td
 * has not run and is not linked yet.
 */
void
sig_thread_init(struct thread *td)
{
	td->td_sigmask = curthread->td_sigmask;
	td->td_altstack.ss_sp = 0;
	td->td_altstack.ss_size = 0;
	td->td_altstack.ss_flags = SS_DISABLE;
}

/*
 * execve(2): caught signals go back to their default action; ignored ones
 * stay ignored; the mask and the pending signals stay.  Also drops the
 * alternate stack of td, the process's thread.
 */
void
sig_exec(struct proc *p, struct thread *td)
{
	struct l_sigaction *sa;
	int i;

	spin_lock(&proc_lock);
	for (i = 0; i < L_NSIG; i++) {
		sa = &p->p_sigacts[i];
		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		sa->sa_flags = 0;
		sa->sa_restorer = 0;
		sa->sa_mask.sig[0] = 0;
	}
	spin_unlock(&proc_lock);
	td->td_altstack.ss_sp = 0;
	td->td_altstack.ss_size = 0;
	td->td_altstack.ss_flags = SS_DISABLE;
}

/* Set the current thread's mask (never blocking SIGKILL and SIGSTOP). */
void
sig_setmask(uint64_t mask)
{
	spin_lock(&proc_lock);
	curthread->td_sigmask = mask & ~SIG_CANTMASK;
	spin_unlock(&proc_lock);
}

/*
 * Restart the interrupted system call of tf: back over `syscall` (2
 * bytes) with its number in rax again.
 */
static void
sig_restart_syscall(struct thread *td, struct trapframe *tf)
{
	tf->tf_rip -= 2;
	tf->tf_rax = (uint64_t)td->td_sysnr;
}

/*
 * A handler is about to run for a signal that cut a system call short:
 * restart the call when the handler has SA_RESTART and Linux would
 * restart this call (signal(7), "Interruption of system calls"), else
 * the call returns -EINTR.
 */
static void
sig_handler_restart(struct thread *td, struct trapframe *tf,
    const struct l_sigaction *sa)
{
	const struct sysent *se;

	if (!td->td_sysintr)
		return;
	td->td_sysintr = false;
	if (tf->tf_trapno != T_SYSCALL || td->td_sysnr < 0 ||
	    (unsigned int)td->td_sysnr >= syscall_table_size)
		return;
	se = &syscall_table[td->td_sysnr];
	if ((sa->sa_flags & SA_RESTART) && !(se->sy_flags & SYF_NORESTART))
		sig_restart_syscall(td, tf);
}

/* Run the handler of sig; proc_lock held on entry, released on return. */
static void
sig_handle(struct trapframe *tf, int sig, const struct l_siginfo *si,
    const struct l_sigaction *sa)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	uint64_t frame_mask, mask;

	frame_mask = td->td_has_saved ? td->td_sigsaved : td->td_sigmask;
	td->td_has_saved = false;
	mask = td->td_sigmask | sa->sa_mask.sig[0];
	if (!(sa->sa_flags & SA_NODEFER))
		mask |= SIGBIT(sig);
	td->td_sigmask = mask & ~SIG_CANTMASK;
	if (sa->sa_flags & SA_RESETHAND) {
		p->p_sigacts[sig - 1].sa_handler = SIG_DFL;
		p->p_sigacts[sig - 1].sa_flags &= ~SA_SIGINFO;
	}
	spin_unlock(&proc_lock);
	sig_handler_restart(td, tf, sa);
	if (cpu_sig_sendframe(td, tf, sig, si, sa, frame_mask) < 0) {
		/* No room or no restorer: Linux's force_sigsegv. */
		klog("signal", "pid %d (%s): cannot deliver signal %d: bad "
		    "stack or no SA_RESTORER; killed", p->p_pid, p->p_comm,
		    sig);
		proc_exit_sig(SIGSEGV);
	}
}

/*
 * Deliver the pending signals the current thread does not block, on its
 * way to user mode with registers tf.  May not return (a signal that
 * terminates).  Called with no lock held.
 */
void
sig_deliver(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct l_sigaction sa;
	struct l_siginfo si;
	struct sigqueue *q;
	uint64_t pend;
	int sig;

	for (;;) {
		spin_lock(&proc_lock);
		if (p->p_exiting && p->p_exiter != td) {
			spin_unlock(&proc_lock);
			thread_die();
		}
		if (p->p_stopped) {
			/* Another thread stopped the process. */
			while (p->p_stopped && !p->p_exiting)
				tsleep(&p->p_stopped, &proc_lock, "stopped",
				    0);
			spin_unlock(&proc_lock);
			continue;
		}
		if ((pend = td->td_sigq.sq_set & ~td->td_sigmask) != 0) {
			q = &td->td_sigq;
		} else if ((pend = p->p_sigq.sq_set & ~td->td_sigmask) != 0) {
			q = &p->p_sigq;
		} else {
			spin_unlock(&proc_lock);
			break;
		}
		sig = __builtin_ctzll(pend) + 1;
		sigq_take(p, q, sig, &si);
		sa = p->p_sigacts[sig - 1];
		if (sa.sa_handler == SIG_IGN) {
			spin_unlock(&proc_lock);
			continue;
		}
		if (sa.sa_handler != SIG_DFL) {
			sig_handle(tf, sig, &si, &sa);
			continue;
		}
		/*
		 * POSIX XSH 2.4.3: SIGTSTP, SIGTTIN and SIGTTOU whose action
		 * is to stop are discarded in an orphaned process group (a
		 * stop there could never be undone by the shell).
		 */
		if (sig != SIGSTOP && sig_default(sig) == SDFL_STOP &&
		    sig_pgrp_orphaned(p->p_pgid, p->p_sid, NULL)) {
			spin_unlock(&proc_lock);
			continue;
		}
		spin_unlock(&proc_lock);
		switch (sig_default(sig)) {
		case SDFL_IGN:
		case SDFL_CONT:
			continue;
		case SDFL_STOP:
			sig_stop(p, sig);
			continue;
		case SDFL_TERM:
			proc_exit_sig(sig);
		case SDFL_CORE:
			proc_exit_core(sig, &si);
		}
	}
	/* No handler ran: an interrupted call starts again (Linux). */
	if (td->td_sysintr) {
		td->td_sysintr = false;
		if (tf->tf_trapno == T_SYSCALL && td->td_sysnr >= 0)
			sig_restart_syscall(td, tf);
	}
	if (td->td_has_saved) {
		td->td_has_saved = false;
		sig_setmask(td->td_sigsaved);
	}
}

/* Would the current process be allowed to signal p (kill(2))? */
static bool
sig_may_kill(const struct proc *p)
{
	const struct proc *cur = curproc;

	if (cur->p_euid == 0)
		return true;
	return cur->p_euid == p->p_uid || cur->p_euid == p->p_suid ||
	    cur->p_uid == p->p_uid || cur->p_uid == p->p_suid;
}

/* Send sig (0: only check) to p; proc_lock held. */
static int
sig_kill_one(struct proc *p, int sig, const struct l_siginfo *si)
{
	if (!sig_may_kill(p))
		return -EPERM;
	if (sig != 0)
		sig_post(p, sig, si);
	return 0;
}

/* *si as kill(2) sends it: SI_USER, from the calling process. */
static void
sig_user_info(struct l_siginfo *si, int sig)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_USER;
	si->si_pid = curproc->p_pid;
	si->si_uid = curproc->p_uid;
}

/*
 * kill(2) of one process (pidfd_send_signal): see sig_kill_one; si NULL
 * sends what kill(2) sends.
 */
int
sig_kill_proc(struct proc *p, int sig, const struct l_siginfo *si)
{
	struct l_siginfo user;

	if (si == NULL) {
		sig_user_info(&user, sig);
		si = &user;
	}
	return sig_kill_one(p, sig, si);
}

/*
 * Send sig to every process matching: group > 0 that process group, or
 * every process but init and the caller when group is -1.  Returns 0 when
 * one got it, -EPERM when there were some but none was allowed, -ESRCH
 * when there were none.  proc_lock held.
 */
static int
sig_kill_many(int group, int sig, const struct l_siginfo *si)
{
	struct proc *p;
	int error = -ESRCH, found = 0;

	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p == &proc0)
			continue;
		if (group == -1 && (p->p_pid == 1 || p == curproc))
			continue;
		if (group != -1 && p->p_pgid != group)
			continue;
		if (sig_kill_one(p, sig, si) == 0)
			found = 1;
		else
			error = -EPERM;
	}
	return found ? 0 : error;
}

/* kill(2) */
long
sys_kill(pid_t pid, int sig)
{
	struct l_siginfo si;
	struct proc *p;
	long error;

	if (sig < 0 || sig > L_NSIG)
		return -EINVAL;
	sig_user_info(&si, sig);
	spin_lock(&proc_lock);
	if (pid > 0) {
		if ((p = proc_find(pid)) == NULL)
			error = -ESRCH;
		else
			error = sig_kill_one(p, sig, &si);
	} else if (pid == -1) {
		error = sig_kill_many(-1, sig, &si);
	} else if (pid == -0x7fffffff - 1) {
		error = -ESRCH;		/* INT_MIN: no such group */
	} else {
		error = sig_kill_many(pid == 0 ? curproc->p_pgid : -pid, sig,
		    &si);
	}
	spin_unlock(&proc_lock);
	return error;
}

/* tkill and tgkill: signal thread tid; tgid -1 matches any process. */
static long
sig_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct l_siginfo si;
	struct thread *td;
	long error;

	if (tid <= 0 || sig < 0 || sig > L_NSIG)
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_TKILL;
	si.si_pid = curproc->p_pid;
	si.si_uid = curproc->p_uid;
	spin_lock(&proc_lock);
	td = thread_find(tid);
	if (td == NULL || (tgid != -1 && td->td_proc->p_pid != tgid))
		error = -ESRCH;
	else if (!sig_may_kill(td->td_proc))
		error = -EPERM;
	else if (sig != 0)
		error = sig_post_thread(td, sig, &si);
	else
		error = 0;
	spin_unlock(&proc_lock);
	return error;
}

/* tkill(2) */
long
sys_tkill(pid_t tid, int sig)
{
	return sig_tkill(-1, tid, sig);
}

/* tgkill(2) */
long
sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return sig_tkill(tgid, tid, sig);
}

/*
 * rt_sigqueueinfo(2) and rt_tgsigqueueinfo(2): kill or tgkill with the
 * caller's siginfo (tid 0: the process pid).  Only the kernel may claim
 * to be kill(2) or tkill, except towards the caller itself (Linux).
 */
static long
sig_queueinfo(pid_t pid, pid_t tid, int sig, struct l_siginfo __user *info)
{
	struct l_siginfo si;
	struct thread *td = NULL;
	struct proc *p = NULL;
	long error;

	if (copyin(info, &si, sizeof(si)) < 0)
		return -EFAULT;
	if (sig < 0 || sig > L_NSIG)
		return -EINVAL;
	if (pid != curproc->p_pid && (si.si_code >= 0 ||
	    si.si_code == SI_TKILL))
		return -EPERM;
	si.si_signo = sig;
	spin_lock(&proc_lock);
	if (tid != 0) {
		if ((td = thread_find(tid)) != NULL &&
		    td->td_proc->p_pid == pid)
			p = td->td_proc;
	} else if (pid > 0) {
		p = proc_find(pid);
	}
	if (p == NULL)
		error = -ESRCH;
	else if (!sig_may_kill(p))
		error = -EPERM;
	else if (sig == 0)
		error = 0;
	else if (td != NULL)
		error = sig_post_thread(td, sig, &si);
	else
		error = sig_post(p, sig, &si);
	spin_unlock(&proc_lock);
	return error;
}

/* rt_sigqueueinfo(2) */
long
sys_rt_sigqueueinfo(pid_t pid, int sig, struct l_siginfo __user *info)
{
	return sig_queueinfo(pid, 0, sig, info);
}

/* rt_tgsigqueueinfo(2) */
long
sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig,
    struct l_siginfo __user *info)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return sig_queueinfo(tgid, tid, sig, info);
}

/* rt_sigaction(2) */
long
sys_rt_sigaction(int sig, const struct l_sigaction __user *act,
    struct l_sigaction __user *oact, size_t sigsetsize)
{
	struct proc *p = curproc;
	struct l_sigaction nsa, osa;

	if (sigsetsize != L_SIGSET_SIZE)
		return -EINVAL;
	if (sig < 1 || sig > L_NSIG)
		return -EINVAL;
	if (act != NULL && copyin(act, &nsa, sizeof(nsa)) < 0)
		return -EFAULT;
	if (act != NULL && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	spin_lock(&proc_lock);
	osa = p->p_sigacts[sig - 1];
	if (act != NULL) {
		nsa.sa_mask.sig[0] &= ~SIG_CANTMASK;
		p->p_sigacts[sig - 1] = nsa;
		/* POSIX: setting "ignore" discards a pending instance. */
		if (sig_ignored(p, sig))
			sig_discard(p, SIGBIT(sig));
	}
	spin_unlock(&proc_lock);
	if (oact != NULL && copyout(&osa, oact, sizeof(osa)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigprocmask(2) */
long
sys_rt_sigprocmask(int how, const struct l_sigset __user *set,
    struct l_sigset __user *oset, size_t sigsetsize)
{
	struct thread *td = curthread;
	struct l_sigset nset, old;

	if (sigsetsize != L_SIGSET_SIZE)
		return -EINVAL;
	if (set != NULL && copyin(set, &nset, sizeof(nset)) < 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	old.sig[0] = td->td_sigmask;
	if (set != NULL) {
		switch (how) {
		case SIG_BLOCK:
			td->td_sigmask |= nset.sig[0];
			break;
		case SIG_UNBLOCK:
			td->td_sigmask &= ~nset.sig[0];
			break;
		case SIG_SETMASK:
			td->td_sigmask = nset.sig[0];
			break;
		default:
			spin_unlock(&proc_lock);
			return -EINVAL;
		}
		td->td_sigmask &= ~SIG_CANTMASK;
	}
	spin_unlock(&proc_lock);
	if (oset != NULL && copyout(&old, oset, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigpending(2): the pending signals that are blocked. */
long
sys_rt_sigpending(struct l_sigset __user *set, size_t sigsetsize)
{
	struct l_sigset s;

	if (sigsetsize > L_SIGSET_SIZE)
		return -EINVAL;
	spin_lock(&proc_lock);
	s.sig[0] = (curproc->p_sigq.sq_set | curthread->td_sigq.sq_set) &
	    curthread->td_sigmask;
	spin_unlock(&proc_lock);
	if (copyout(&s, set, sigsetsize) < 0)
		return -EFAULT;
	return 0;
}

/* pause(2): sleep until a signal runs a handler or ends the process. */
long
sys_pause(void)
{
	struct thread *td = curthread;

	while (tsleep_sig(&td->td_sigwait, NULL, "pause", 0) != -EINTR)
		continue;
	return -EINTR;
}

/*
 * rt_sigsuspend(2): wait with mask as the signal mask; the old mask comes
 * back once the handler has run (sig_handle saves it in the frame).
 */
long
sys_rt_sigsuspend(const struct l_sigset __user *mask, size_t sigsetsize)
{
	struct thread *td = curthread;
	struct l_sigset m;

	if (sigsetsize != L_SIGSET_SIZE)
		return -EINVAL;
	if (copyin(mask, &m, sizeof(m)) < 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	td->td_sigsaved = td->td_sigmask;
	td->td_has_saved = true;
	td->td_sigmask = m.sig[0] & ~SIG_CANTMASK;
	spin_unlock(&proc_lock);
	while (tsleep_sig(&td->td_sigwait, NULL, "sigsusp", 0) != -EINTR)
		continue;
	return -EINTR;
}

/*
 * Take the lowest signal of set pending for td, its own queue first, into
 * *si (signalfd's read, rt_sigtimedwait).  proc_lock held.  Returns the
 * signal or 0.
 */
int
sig_dequeue(struct thread *td, uint64_t set, struct l_siginfo *si)
{
	struct proc *p = td->td_proc;
	struct sigqueue *q;
	uint64_t pend;
	int sig;

	KASSERT(spin_held(&proc_lock), "sig_dequeue: proc_lock");
	if ((pend = td->td_sigq.sq_set & set) != 0)
		q = &td->td_sigq;
	else if ((pend = p->p_sigq.sq_set & set) != 0)
		q = &p->p_sigq;
	else
		return 0;
	sig = __builtin_ctzll(pend) + 1;
	sigq_take(p, q, sig, si);
	return sig;
}

/*
 * rt_sigtimedwait(2): take one of the signals in set as soon as it is
 * pending; -EAGAIN when timeout passes first, -EINTR when another signal
 * runs a handler.
 */
long
sys_rt_sigtimedwait(const struct l_sigset __user *set,
    struct l_siginfo __user *info, const struct l_timespec __user *timeout,
    size_t sigsetsize)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct l_timespec ts;
	struct l_siginfo si;
	struct l_sigset s;
	uint64_t ns = 0;
	int sig, error;

	if (sigsetsize != L_SIGSET_SIZE)
		return -EINVAL;
	if (copyin(set, &s, sizeof(s)) < 0)
		return -EFAULT;
	if (timeout != NULL) {
		if (copyin(timeout, &ts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= 1000000000)
			return -EINVAL;
		ns = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	}
	s.sig[0] &= ~SIG_CANTMASK;
	spin_lock(&proc_lock);
	for (;;) {
		if ((sig = sig_dequeue(td, s.sig[0], &si)) != 0) {
			td->td_sigwait = 0;
			spin_unlock(&proc_lock);
			if (info != NULL && copyout(&si, info, sizeof(si)) < 0)
				return -EFAULT;
			return sig;
		}
		if (timeout != NULL && ns == 0) {
			error = -EAGAIN;
			break;
		}
		td->td_sigwait = s.sig[0];
		error = tsleep_sig(&td->td_sigwait, &proc_lock, "sigwait",
		    ns);
		td->td_sigwait = 0;
		if (error == -ETIMEDOUT) {
			error = -EAGAIN;
			break;
		}
		if (error == -EINTR && !((p->p_sigq.sq_set |
		    td->td_sigq.sq_set) & s.sig[0]))
			break;
		td->td_sysintr = false;
	}
	spin_unlock(&proc_lock);
	return error;
}

/*
 * sigaltstack(2): the alternate stack handlers with SA_ONSTACK run on.
 * It cannot be changed while a handler runs on it (-EPERM).
 */
long
sys_sigaltstack(const struct l_sigaltstack __user *ss,
    struct l_sigaltstack __user *old_ss)
{
	struct thread *td = curthread;
	struct l_sigaltstack nss, oss;
	bool on = cpu_sig_onaltstack(td, td->td_frame->tf_rsp);
	int mode;

	oss = td->td_altstack;
	if (on)
		oss.ss_flags = SS_ONSTACK;
	else if (oss.ss_size == 0)
		oss.ss_flags = SS_DISABLE;
	if (ss != NULL) {
		if (copyin(ss, &nss, sizeof(nss)) < 0)
			return -EFAULT;
		if (on)
			return -EPERM;
		mode = nss.ss_flags & ~(int)SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			nss.ss_sp = 0;
			nss.ss_size = 0;
		} else if (nss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		nss.ss_flags = mode == SS_DISABLE ? SS_DISABLE :
		    (nss.ss_flags & (int)SS_AUTODISARM);
		td->td_altstack = nss;
	}
	if (old_ss != NULL && copyout(&oss, old_ss, sizeof(oss)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigreturn(2): back from a handler to the code it interrupted. */
long
sys_rt_sigreturn(void)
{
	struct thread *td = curthread;
	uint64_t mask;
	long rax;

	if (cpu_sig_return(td, td->td_frame, &mask, &rax) < 0) {
		klog("signal", "pid %d (%s): rt_sigreturn with a bad frame; "
		    "killed", td->td_proc->p_pid, td->td_proc->p_comm);
		proc_exit_sig(SIGSEGV);
	}
	sig_setmask(mask);
	td->td_sysnr = -1;	/* rax is the old value, not a call to redo */
	return rax;
}
