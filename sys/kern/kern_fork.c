/*
 * fork, vfork and clone: a new process that is a copy of the caller.
 *
 * The child gets a copy-on-write copy of the address space (or, for vfork
 * and CLONE_VM, the same one; with CLONE_VFORK the parent sleeps until the
 * child execs or exits), a copy of the caller's registers with rax = 0,
 * and starts in user mode right after the system call.  clone with
 * CLONE_THREAD makes a new thread of the caller's process instead, which
 * shares everything but its registers, stack, TLS and signal mask.  With
 * CLONE_SYSVSEM, thread or process, the new one shares the caller's
 * System V semaphore adjustments (SEM_UNDO, kern/sysv_sem.c); without
 * it, it starts with none.
 */
#include <sys/abi/sched.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/proc.h>
#include <sys/sem.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <sysproto.h>

#include <machine/cpu.h>



/* The flags this kernel does something with (the rest: -EINVAL). */
#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
	CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | \
	CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	CLONE_SYSVSEM | CLONE_DETACHED | CLONE_IO)
/* The namespaces only a privileged process may create (clone(2), EPERM). */
#define CLONE_NEW_PRIV	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
	CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET)
/* What a thread shares with its process here: all of it, always. */
#define CLONE_THREAD_NEEDS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)

/*
 * Check clone's flags as Linux does (clone(2), ERRORS), and refuse, with a
 * log line, the combinations this kernel cannot honour: a thread that does
 * not share descriptors or the file-system context, and a new process
 * that shares descriptors, handlers or the file-system context with its
 * parent.  There are no namespaces: asking for one is -EPERM for anyone
 * but root, as in Linux without CAP_SYS_ADMIN (a thread or a shared
 * file-system context is refused below first, as Linux refuses them with
 * a namespace), and -EINVAL for root.  Returns 0, -EPERM or -EINVAL.
 */
static int
fork_check_flags(unsigned long flags)
{
	struct proc *p = curproc;

	if ((flags & CLONE_NEW_PRIV) && !(flags & (CLONE_THREAD | CLONE_FS)) &&
	    p->p_euid != 0)
		return -EPERM;
	if (flags & ~CLONE_SUPPORTED) {
		klog("proc", "pid %d: clone flags %#lx not supported",
		    p->p_pid, flags & ~CLONE_SUPPORTED);
		return -EINVAL;
	}
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) &&
	    (flags & CLONE_THREAD_NEEDS) != CLONE_THREAD_NEEDS) {
		klog("proc", "pid %d: clone of a thread without CLONE_FS and "
		    "CLONE_FILES not supported", p->p_pid);
		return -EINVAL;
	}
	if (!(flags & CLONE_THREAD) &&
	    (flags & (CLONE_FS | CLONE_FILES | CLONE_SIGHAND))) {
		klog("proc", "pid %d: a process sharing %s with its parent "
		    "not supported", p->p_pid, (flags & CLONE_FILES) ?
		    "descriptors" : (flags & CLONE_SIGHAND) ? "handlers" :
		    "cwd and umask");
		return -EINVAL;
	}
	return 0;
}

/*
 * clone with CLONE_THREAD: a new thread of the current process, running
 * on stack newsp with TLS base tls.  Returns its thread id.
 */
static long
fork_thread(unsigned long flags, uint64_t newsp, int __user *parent_tid,
    int __user *child_tid, unsigned long tls)
{
	struct proc *p = curproc;
	struct sem_undolist *ul;
	struct thread *td;
	int tid, error;

	spin_lock(&proc_lock);
	tid = p->p_exiting ? -EAGAIN : tid_alloc();
	spin_unlock(&proc_lock);
	if (tid < 0)
		return tid;
	if ((error = sem_fork(flags, &ul)) < 0)
		return error;
	if ((td = thread_create_user(p, curthread->td_frame, newsp, tid)) ==
	    NULL) {
		sem_undo_release(ul);
		return -ENOMEM;
	}
	if (flags & CLONE_SETTLS)
		td->td_fsbase = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		td->td_clear_child_tid = child_tid;
	sig_thread_init(td);
	sched_fork(td);
	/* Linux writes both ids before the thread can run. */
	if ((flags & CLONE_PARENT_SETTID) && parent_tid != NULL)
		(void)copyout(&tid, parent_tid, sizeof(tid));
	if ((flags & CLONE_CHILD_SETTID) && child_tid != NULL)
		(void)copyout(&tid, child_tid, sizeof(tid));
	spin_lock(&proc_lock);
	if (p->p_exiting) {
		/* exit_group or execve began meanwhile: it never runs. */
		spin_unlock(&proc_lock);
		thread_destroy_unstarted(td);
		sem_undo_release(ul);
		return -EAGAIN;
	}
	td->td_semundo = ul;
	proc_thread_link(p, td);
	spin_unlock(&proc_lock);
	sched_add(td);
	return tid;
}

/*
 * The common part of fork, vfork and clone.  Returns the child's pid (or,
 * for CLONE_THREAD, the new thread's id) to the parent; the child returns
 * 0 from the same call.
 */
static long
fork1(unsigned long flags, uint64_t newsp, int __user *parent_tid,
    int __user *child_tid, unsigned long tls)
{
	struct proc *parent = curproc, *p;
	struct sem_undolist *ul;
	struct thread *td;
	struct vmspace *vm;
	int error, pid;

	if ((error = fork_check_flags(flags)) < 0)
		return error;
	if (flags & CLONE_THREAD)
		return fork_thread(flags, newsp, parent_tid, child_tid, tls);

	if ((error = sem_fork(flags, &ul)) < 0)
		return error;
	if ((p = proc_alloc(parent, &error)) == NULL)
		goto fail_sem;
	if ((error = fd_fork(p, parent)) < 0)
		goto fail_fd;
	if (flags & CLONE_VM) {
		vm = parent->p_vmspace;
		vmspace_hold(vm);
	} else if ((error = vmspace_fork(parent->p_vmspace, &vm)) < 0) {
		goto fail_fd;
	}
	p->p_vmspace = vm;
	if ((td = thread_create_user(p, curthread->td_frame, newsp,
	    p->p_pid)) == NULL) {
		error = -ENOMEM;
		goto fail_vm;
	}
	sched_fork(td);
	td->td_semundo = ul;	/* SEM_UNDO: shared, or none (fork) */
	pid = p->p_pid;
	p->p_exitsig = (int)(flags & CSIGNAL);
	spin_lock(&proc_lock);
	proc_thread_link(p, td);
	spin_unlock(&proc_lock);
	sig_fork(p, parent);
	prctl_fork(p, parent);
	if (flags & CLONE_SETTLS)
		td->td_fsbase = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		td->td_clear_child_tid = child_tid;
	/* From here on we are committed; nothing below may fail the call. */
	if ((flags & CLONE_PARENT_SETTID) && parent_tid != NULL)
		(void)copyout(&pid, parent_tid, sizeof(pid));
	if ((flags & CLONE_CHILD_SETTID) && child_tid != NULL)
		(void)vm_copyout(vm, (vaddr_t)child_tid, &pid, sizeof(pid));
	if (flags & CLONE_VFORK)
		p->p_vfork_parent = curthread;
	sched_add(td);
	if (flags & CLONE_VFORK) {
		/* Until the child execs or exits (proc_vfork_done). */
		spin_lock(&proc_lock);
		while (p->p_vfork_parent != NULL)
			tsleep(&p->p_vfork_parent, &proc_lock, "vfork", 0);
		spin_unlock(&proc_lock);
	}
	return pid;

fail_vm:
	p->p_vmspace = NULL;
	vmspace_release(vm);
fail_fd:
	fd_release(p);
	proc_release_dirs(p);
	spin_lock(&proc_lock);
	proc_free(p);
	spin_unlock(&proc_lock);
fail_sem:
	sem_undo_release(ul);
	return error;
}

/* fork(2) */
long
sys_fork(void)
{
	return fork1(SIGCHLD, 0, NULL, NULL, 0);
}

/* vfork(2) */
long
sys_vfork(void)
{
	return fork1(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
}

/* clone(2), x86_64 argument order: flags, stack, parent_tid, child_tid, tls. */
long
sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
    int __user *child_tid, unsigned long tls)
{
	return fork1(flags, newsp, parent_tid, child_tid, tls);
}
