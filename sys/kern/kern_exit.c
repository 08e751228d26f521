/*
 * The end of a process: exit, the death of a process by a fault, and
 * wait4/waitid, which reap zombies.
 *
 * A process that exits gives up its address space at once, hands its
 * children to init (PID 1), and stays a zombie - its pid and exit status
 * - until its parent waits for it.  The parent sleeps on its own struct
 * proc; an exiting child wakes it.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/wait.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/futex.h>
#include <sys/proc.h>
#include <sys/sctrace.h>
#include <sys/sem.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vm_map.h>
#include <sys/vnode.h>

#include <sysproto.h>

#include <machine/cpu.h>
#include <machine/frame.h>



/* Wake a vfork parent waiting for p to exec or exit. */
void
proc_vfork_done(struct proc *p)
{
	struct thread *parent;

	spin_lock(&proc_lock);
	parent = p->p_vfork_parent;
	p->p_vfork_parent = NULL;
	spin_unlock(&proc_lock);
	if (parent != NULL)
		wakeup(&p->p_vfork_parent);
}

/*
 * Tell p's parent that p ended with wait status xstat: its exit signal
 * (SIGCHLD unless clone said otherwise, none when 0).  proc_lock held.
 */
static void
proc_notify_parent(struct proc *p, int xstat)
{
	if ((xstat & 0x7f) == 0)
		sig_notify_parent(p, p->p_exitsig, CLD_EXITED,
		    (xstat >> 8) & 0xff);
	else
		sig_notify_parent(p, p->p_exitsig, (xstat & 0x80) ?
		    CLD_DUMPED : CLD_KILLED, xstat & 0x7f);
}

/*
 * What every thread does as it ends, while its address space is still
 * there: the robust futexes it holds are marked FUTEX_OWNER_DIED, and the
 * thread id word that set_tid_address or CLONE_CHILD_CLEARTID named is
 * cleared with one futex waiter woken on it (how pthread_join learns of
 * the end).  No lock held.
 */
static void
thread_exit_user(struct thread *td)
{
	int zero = 0;

	futex_robust_exit(td);
	sem_exit(td);
	if (td->td_clear_child_tid != NULL) {
		if (copyout(&zero, td->td_clear_child_tid, sizeof(zero)) == 0)
			(void)futex_wake_user((uintptr_t)td->td_clear_child_tid,
			    1);
		td->td_clear_child_tid = NULL;
	}
}

/*
 * Drop p's working and root directories and its executable (exit, or a
 * failed fork).
 */
void
proc_release_dirs(struct proc *p)
{
	struct vnode *cwd, *root, *text;

	spin_lock(&proc_lock);
	cwd = p->p_cwd;
	root = p->p_root;
	text = p->p_textvp;
	p->p_cwd = p->p_root = p->p_textvp = NULL;
	spin_unlock(&proc_lock);
	if (cwd != NULL)
		vrele(cwd);
	if (root != NULL)
		vrele(root);
	if (text != NULL) {
		vn_text_put(text);
		vrele(text);
	}
}

/*
 * The last thread of the current process is gone or going: end the
 * process with wait status xstat (Linux encoding).  Never returns.  When
 * init (PID 1) ends, there is nothing left to run: the machine is powered
 * off, with a log line.
 */
static void __noreturn
proc_exit_last(int xstat)
{
	struct proc *p = curproc, *child, *init, *next;
	const struct l_sigaction *sa;
	struct thread *td = curthread;
	struct vmspace *vm = p->p_vmspace;

	KASSERT(p != &proc0, "proc_exit: the kernel cannot exit");
	KASSERT(p->p_nthreads == 1, "proc_exit_last: other threads");
	if (p->p_pid == 1) {
		klog("proc", "init (pid 1, %s) exited with status %#x; "
		    "powering off", p->p_comm, xstat);
		cpu_poweroff();
		cpu_halt_forever();
	}
	sctrace_exit(p, xstat);
	tty_proc_exit(p);	/* a session leader's terminal hangs up */

	itimer_exit(p);		/* alarm, itimers and POSIX timers */

	/* The descriptors close: pipe ends see their peer go. */
	fd_release(p);
	/* No lookup can run in p any more: its directories go. */
	proc_release_dirs(p);

	/* The address space goes now; a shared one (vfork) lives on. */
	vmspace_activate(NULL);
	spin_lock(&proc_lock);		/* procfs reads it under proc_lock */
	p->p_vmspace = NULL;
	spin_unlock(&proc_lock);
	if (vm != NULL)
		vmspace_release(vm);
	proc_vfork_done(p);

	spin_lock(&proc_lock);
	/* With no init (a kernel-started test program), proc0 adopts. */
	if ((init = proc_find(1)) == NULL)
		init = &proc0;
	init = prctl_reaper(p, init);
	sig_exit_orphans(p, init);	/* groups its end orphans (_exit) */
	for (child = p->p_children; child != NULL; child = next) {
		next = child->p_sibling;
		prctl_orphan(child);
		child->p_autoreap = false;	/* init waits for its own */
		child->p_parent = init;
		child->p_sibling = init->p_children;
		init->p_children = child;
		/*
		 * A child that already ended tells its new parent, as Linux
		 * does (its reaper, init, may be waiting for SIGCHLD).
		 */
		if (child->p_state == PRS_ZOMBIE)
			proc_notify_parent(child, child->p_xstat);
	}
	p->p_children = NULL;
	wakeup(init);		/* it may have zombies to reap now */
	p->p_xstat = xstat;
	p->p_state = PRS_ZOMBIE;
	pidfd_proc_exit(p);	/* its pidfds poll readable now */
	/*
	 * A parent that ignores SIGCHLD or set SA_NOCLDWAIT never sees this
	 * child in wait (sigaction(2)): it is freed by the parent's next
	 * wait, which reports ECHILD once no other child is left, or when
	 * the parent ends.
	 */
	sa = &p->p_parent->p_sigacts[SIGCHLD - 1];
	p->p_autoreap = p->p_parent != &proc0 && (sa->sa_handler == SIG_IGN ||
	    (sa->sa_flags & SA_NOCLDWAIT));
	proc_thread_unlink(p, td);
	sigq_flush(p, &td->td_sigq);
	sigq_flush(p, &p->p_sigq);
	proc_notify_parent(p, xstat);
	wakeup(p->p_parent);
	/* No switch may happen before this thread is gone: see there. */
	thread_exit_unlock(&proc_lock);
}

/*
 * Make td the only thread of p: every other thread is woken (its
 * sig_pending() is true while p_exiting says so) and dies on its way back
 * to user mode (thread_die); td waits for the last of them.  A stopped
 * process is continued first, to die.  proc_lock held; returns with it
 * held, p_exiting still set (the caller clears it if p lives on).
 * Returns false, doing nothing, when another thread already ends p.
 */
bool
proc_single_thread(struct proc *p, struct thread *td)
{
	struct thread *t;

	KASSERT(spin_held(&proc_lock), "proc_single_thread: proc_lock");
	if (p->p_exiting)
		return false;
	p->p_exiting = true;
	p->p_exiter = td;
	if (p->p_stopped) {
		p->p_stopped = false;
		wakeup(&p->p_stopped);
	}
	for (t = p->p_threads; t != NULL; t = t->td_plist_next)
		if (t != td)
			sched_signal_wake(t);
	while (p->p_nthreads > 1)
		tsleep(&p->p_nthreads, &proc_lock, "1thread", 0);
	return true;
}

/*
 * End the current process with wait status xstat: exit_group(2) and the
 * fatal signals.  The other threads die first.  If another thread is
 * already ending the process, this one just dies.
 */
static void __noreturn
proc_exit(int xstat)
{
	struct proc *p = curproc;
	struct thread *td = curthread;

	spin_lock(&proc_lock);
	if (!proc_single_thread(p, td)) {
		spin_unlock(&proc_lock);
		thread_die();
	}
	spin_unlock(&proc_lock);
	thread_exit_user(td);
	proc_exit_last(xstat);
}

/*
 * The current thread ends with status: exit(2) of one thread.  The last
 * thread to go ends the process with that status.
 */
static void __noreturn
thread_exit_status(int status)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;

	thread_exit_user(td);
	spin_lock(&proc_lock);
	if (p->p_nthreads == 1) {
		/* The last one (a group exit would have waited for us). */
		spin_unlock(&proc_lock);
		proc_exit_last(W_EXITCODE(status, 0));
	}
	proc_thread_unlink(p, td);
	sigq_flush(p, &td->td_sigq);
	if (p->p_exiting)
		wakeup(&p->p_nthreads);
	thread_exit_unlock(&proc_lock);
}

/*
 * The current thread dies because another ends the process (exit_group,
 * a fatal signal, execve); see proc_single_thread.  No lock held.
 */
void
thread_die(void)
{
	thread_exit_status(0);
}

/* exit(2): end the calling thread (the process, if it is the last). */
long
sys_exit(int status)
{
	thread_exit_status(status);
}

/* exit_group(2): end every thread of the process. */
long
sys_exit_group(int status)
{
	proc_exit(W_EXITCODE(status, 0));
}

/*
 * The current process is killed by signal sig (its default action, or a
 * signal it could not take), without a core dump.
 */
void
proc_exit_sig(int sig)
{
	proc_exit(sig & 0x7f);
}

/*
 * The current process is killed by sig, whose default action dumps core
 * (signal(7)): once it is the only thread, it writes its core file
 * (kern_coredump.c), and the wait status carries the core flag (0x80)
 * only when one was written, as on Linux.
 */
void
proc_exit_core(int sig, const struct l_siginfo *si)
{
	struct proc *p = curproc;
	struct thread *td = curthread;
	int xstat = sig & 0x7f;

	spin_lock(&proc_lock);
	if (!proc_single_thread(p, td)) {
		spin_unlock(&proc_lock);
		thread_die();
	}
	spin_unlock(&proc_lock);
	if (coredump(sig, si) == 0)
		xstat |= 0x80;
	thread_exit_user(td);
	proc_exit_last(xstat);
}

/* Does child c match wait4's pid argument for parent p? */
static bool
wait_matches(const struct proc *c, int pid, const struct proc *p)
{
	if (pid > 0)
		return c->p_pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->p_pgid == p->p_pgid;
	return c->p_pgid == -pid;
}

/*
 * A stopped (WSTOPPED) or continued (WCONTINUED) child c that options ask
 * for: its wait status in *xstat, the report consumed unless WNOWAIT.
 * proc_lock held.
 */
static bool
wait_jobctl(struct proc *c, int options, int *xstat)
{
	if ((options & WSTOPPED) && c->p_stopped && c->p_stop_report) {
		*xstat = W_STOPCODE(c->p_stopsig);
		if (!(options & WNOWAIT))
			c->p_stop_report = false;
		return true;
	}
	if ((options & WCONTINUED) && c->p_cont_report) {
		*xstat = 0xffff;	/* WIFCONTINUED */
		if (!(options & WNOWAIT))
			c->p_cont_report = false;
		return true;
	}
	return false;
}

/*
 * Wait for a child matching pid to become a zombie (with WEXITED in
 * options), or to stop or continue (WSTOPPED, WCONTINUED).  Returns its
 * pid (a zombie is reaped unless WNOWAIT) with its wait status in *xstat
 * and its pid in *cpid, 0 with WNOHANG when none is ready, -ECHILD when
 * there is no such child, -EINTR when a signal came while sleeping.
 */
static int
wait_common(int pid, int options, int *xstat, int *cpid, uint64_t *utime,
    uint64_t *stime)
{
	struct proc *p = curproc, *c, *next;
	bool any, intr = false;

	spin_lock(&proc_lock);
	for (;;) {
		/* Children that nobody waits for are never reported. */
		for (c = p->p_children; c != NULL; c = next) {
			next = c->p_sibling;
			if (c->p_state == PRS_ZOMBIE && c->p_autoreap)
				proc_free(c);
		}
		any = false;
		for (c = p->p_children; c != NULL; c = c->p_sibling) {
			if (!wait_matches(c, pid, p))
				continue;
			any = true;
			if (c->p_state != PRS_ZOMBIE &&
			    wait_jobctl(c, options, xstat)) {
				*cpid = c->p_pid;
				*utime = *stime = 0;
				spin_unlock(&proc_lock);
				return *cpid;
			}
			if (c->p_state != PRS_ZOMBIE || !(options & WEXITED))
				continue;
			*xstat = c->p_xstat;
			*cpid = c->p_pid;
			*utime = c->p_utime_ns + c->p_cutime_ns;
			*stime = c->p_stime_ns + c->p_cstime_ns;
			if (!(options & WNOWAIT)) {
				p->p_cutime_ns += *utime;
				p->p_cstime_ns += *stime;
				proc_free(c);
			}
			spin_unlock(&proc_lock);
			return *cpid;
		}
		if (!any) {
			spin_unlock(&proc_lock);
			return -ECHILD;
		}
		if (options & WNOHANG) {
			spin_unlock(&proc_lock);
			return 0;
		}
		/*
		 * A signal ends the wait only after one more look at the
		 * children, as in Linux: the SIGCHLD of a child that just
		 * ended (and was reaped above, or is ready) comes with it.
		 */
		if (intr) {
			spin_unlock(&proc_lock);
			return -EINTR;
		}
		if (tsleep_sig(p, &proc_lock, "wait", 0) == -EINTR)
			intr = true;
	}
}

static int
wait_copyout_rusage(struct l_rusage __user *ru, uint64_t utime,
    uint64_t stime)
{
	struct l_rusage r;

	if (ru == NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	r.ru_utime.tv_sec = utime / 1000000000;
	r.ru_utime.tv_usec = (utime / 1000) % 1000000;
	r.ru_stime.tv_sec = stime / 1000000000;
	r.ru_stime.tv_usec = (stime / 1000) % 1000000;
	return copyout(&r, ru, sizeof(r));
}

/* wait4(2) */
long
sys_wait4(pid_t pid, int __user *status, int options,
    struct l_rusage __user *rusage)
{
	uint64_t utime = 0, stime = 0;
	int xstat = 0, cpid = 0, error;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
	    __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -0x7fffffff - 1)	/* INT_MIN: Linux says ESRCH */
		return -ESRCH;
	error = wait_common(pid, (options & ~WNOWAIT) | WEXITED, &xstat, &cpid,
	    &utime, &stime);
	if (error <= 0)
		return error;
	if (status != NULL && copyout(&xstat, status, sizeof(xstat)) < 0)
		return -EFAULT;
	if (wait_copyout_rusage(rusage, utime, stime) < 0)
		return -EFAULT;
	return cpid;
}

/*
 * waitid(2).  P_PIDFD waits for the process a pidfd names
 * (kern/kern_pidfd.c); when the pidfd is O_NONBLOCK (PIDFD_NONBLOCK)
 * and the child has nothing to report, it is EAGAIN, not a wait.
 */
long
sys_waitid(int idtype, pid_t id, struct l_siginfo __user *infop, int options,
    struct l_rusage __user *rusage)
{
	struct l_siginfo si;
	uint64_t utime = 0, stime = 0;
	int xstat = 0, cpid = 0, fflags = 0, pid, wopts, error;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT |
	    __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0)
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		pid = -1;
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		pid = id;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		pid = id == 0 ? 0 : -id;
		break;
	case P_PIDFD:
		if (id < 0)
			return -EINVAL;
		if ((error = pidfd_getpid(id, &pid, &fflags)) < 0)
			return error;
		if (pid == 0)
			return -ECHILD;		/* reaped: no such child */
		break;
	default:
		return -EINVAL;
	}
	/* A non-blocking pidfd makes the wait WNOHANG, but says EAGAIN. */
	wopts = (fflags & O_NONBLOCK) ? options | WNOHANG : options;
	error = wait_common(pid, wopts, &xstat, &cpid, &utime, &stime);
	if (error < 0)
		return error;
	if (error == 0 && !(options & WNOHANG))
		return -EAGAIN;
	if (error == 0)
		goto empty;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGCHLD;
	si.si_pid = cpid;
	si.si_uid = curproc->p_uid;
	if (xstat == 0xffff) {
		si.si_code = CLD_CONTINUED;
		si.si_status = SIGCONT;
	} else if ((xstat & 0xff) == 0x7f) {
		si.si_code = CLD_STOPPED;
		si.si_status = (xstat >> 8) & 0xff;
	} else if ((xstat & 0x7f) == 0) {
		si.si_code = CLD_EXITED;
		si.si_status = (xstat >> 8) & 0xff;
	} else {
		si.si_code = (xstat & 0x80) ? CLD_DUMPED : CLD_KILLED;
		si.si_status = xstat & 0x7f;
	}
	if (infop != NULL && copyout(&si, infop, sizeof(si)) < 0)
		return -EFAULT;
	if (wait_copyout_rusage(rusage, utime, stime) < 0)
		return -EFAULT;
	return 0;
empty:
	/* WNOHANG and nothing ready: Linux zeroes si_pid (and si_signo). */
	if (infop != NULL) {
		memset(&si, 0, sizeof(si));
		if (copyout(&si, infop, sizeof(si)) < 0)
			return -EFAULT;
	}
	return 0;
}
