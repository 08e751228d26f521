/*
 * fork, vfork and clone: a new process that is a copy of the caller.
 *
 * The child gets a copy-on-write copy of the address space (or, for vfork
 * and CLONE_VM|CLONE_VFORK, the same one, with the parent asleep until the
 * child execs or exits), a copy of the caller's registers with rax = 0,
 * and starts in user mode right after the system call.
 */
#include <sys/abi/sched.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <sysproto.h>

#include <machine/cpu.h>



/* The flags this kernel does something with (the rest: -EINVAL). */
#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
	CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | \
	CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_DETACHED | CLONE_IO)

/*
 * The common part of fork, vfork and clone.  Returns the child's pid to
 * the parent; the child returns 0 from the same call.
 */
static long
fork1(unsigned long flags, uint64_t newsp, int __user *parent_tid,
    int __user *child_tid, unsigned long tls)
{
	struct proc *parent = curproc, *p;
	struct thread *td;
	struct vmspace *vm;
	int error, pid;

	if (flags & ~CLONE_SUPPORTED) {
		klog("proc", "pid %d: clone flags %#lx not supported",
		    parent->p_pid, flags & ~CLONE_SUPPORTED);
		return -EINVAL;
	}
	/* Linux: CLONE_SIGHAND needs CLONE_VM, CLONE_THREAD needs both. */
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		/* Threads (CLONE_VM without vfork) come with the next issue. */
		klog("proc", "pid %d: clone with CLONE_VM but no CLONE_VFORK "
		    "(threads) not supported", parent->p_pid);
		return -EINVAL;
	}

	if ((p = proc_alloc(parent, &error)) == NULL)
		return error;
	if ((error = fd_fork(p, parent)) < 0)
		goto fail_fd;
	if (flags & CLONE_VM) {
		vm = parent->p_vmspace;
		vmspace_hold(vm);
	} else if ((error = vmspace_fork(parent->p_vmspace, &vm)) < 0) {
		goto fail_fd;
	}
	p->p_vmspace = vm;
	if ((td = thread_create_user(p, curthread->td_frame, newsp)) == NULL) {
		error = -ENOMEM;
		goto fail_vm;
	}
	p->p_thread = td;
	sched_fork(td);
	pid = p->p_pid;
	p->p_exitsig = (int)(flags & CSIGNAL);
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
	spin_lock(&proc_lock);
	proc_free(p);
	spin_unlock(&proc_lock);
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
