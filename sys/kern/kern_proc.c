/*
 * Processes: the process table, PIDs, the parent/child tree, and the
 * system calls that only read it.
 *
 * proc_lock (a spin lock) protects allproc, every p_parent/p_children/
 * p_sibling link, p_state and p_xstat, and the PID allocator.  Lock order:
 * proc_lock, then sched_lock.
 */
#include <sys/abi/prctl.h>
#include <sys/abi/resource.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <machine/cpu.h>

#include <sysproto.h>

/* A fork bomb stops here with EAGAIN and the system stays usable. */
#define PROC_MAX	1024

struct spinlock proc_lock = SPINLOCK_INIT("proc_lock");

static struct proc *allproc = &proc0;	/* [p] */
static int nprocs = 1;			/* [p] including proc0 */
static int nthreads;			/* [p] threads beyond each first */
static int next_pid = 1;		/* [p] */
static int proc_pid_max = PID_MAX;	/* [p] kernel.pid_max */

/* The process with this pid, or NULL.  proc_lock held. */
struct proc *
proc_find(int pid)
{
	struct proc *p;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	for (p = allproc; p != NULL; p = p->p_all_next)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* The live user thread whose id is tid, or NULL.  proc_lock held. */
struct thread *
thread_find(int tid)
{
	struct proc *p;
	struct thread *td;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	for (p = allproc; p != NULL; p = p->p_all_next) {
		if (p->p_state != PRS_ALIVE)
			continue;
		for (td = p->p_threads; td != NULL; td = td->td_plist_next)
			if (td->td_tid == tid)
				return td;
	}
	return NULL;
}

/* Is id taken by a process (alive or zombie) or a thread?  proc_lock. */
static bool
id_in_use(int id)
{
	return proc_find(id) != NULL || thread_find(id) != NULL;
}

/* Link td into p's list of threads.  proc_lock held. */
void
proc_thread_link(struct proc *p, struct thread *td)
{
	KASSERT(spin_held(&proc_lock), "proc_lock");
	td->td_plist_next = p->p_threads;
	p->p_threads = td;
	if (p->p_nthreads++ > 0)
		nthreads++;
}

/* Take td out of p's list of threads.  proc_lock held. */
void
proc_thread_unlink(struct proc *p, struct thread *td)
{
	struct thread **pp;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	for (pp = &p->p_threads; *pp != NULL; pp = &(*pp)->td_plist_next) {
		if (*pp == td) {
			*pp = td->td_plist_next;
			if (--p->p_nthreads > 0)
				nthreads--;
			return;
		}
	}
	panic("proc_thread_unlink: thread %d is not in pid %d", td->td_tid,
	    p->p_pid);
}

/*
 * How many live processes and threads real uid uid has (RLIMIT_NPROC,
 * which on Linux counts threads).  A process counts at least once, even
 * before its first thread is linked.  proc_lock held.
 */
static int
proc_count_user(uint32_t uid)
{
	struct proc *p;
	int n = 0;

	for (p = allproc; p != NULL; p = p->p_all_next)
		if (p != &proc0 && p->p_uid == uid && p->p_state == PRS_ALIVE)
			n += p->p_nthreads > 1 ? p->p_nthreads : 1;
	return n;
}

/*
 * Set p's real uid to uid (the set*uid calls).  Changing user notes
 * whether uid already has more processes than p's RLIMIT_NPROC allows
 * (not counting p; root never does), for execve to refuse (Linux's
 * set_user and PF_NPROC_EXCEEDED: setuid itself never fails for it).
 * Takes proc_lock.
 */
void
proc_set_ruid(struct proc *p, uint32_t uid)
{
	spin_lock(&proc_lock);
	if (uid != p->p_uid) {
		p->p_nproc_exceeded = uid != 0 && (uint64_t)proc_count_user(uid) >
		    p->p_rlimit[RLIMIT_NPROC][0];
		p->p_uid = uid;
	}
	spin_unlock(&proc_lock);
}

/*
 * execve(2): p changed user to one over RLIMIT_NPROC and still is (p
 * counted now): true, for -EAGAIN.  The note is cleared either way.
 * Takes proc_lock.
 */
bool
proc_nproc_over(struct proc *p)
{
	bool over = false;

	spin_lock(&proc_lock);
	if (p->p_nproc_exceeded)
		over = (uint64_t)proc_count_user(p->p_uid) >
		    p->p_rlimit[RLIMIT_NPROC][0];
	p->p_nproc_exceeded = false;
	spin_unlock(&proc_lock);
	return over;
}

/*
 * A free pid below proc_pid_max, cycling upwards as Linux does: once
 * past PID_RESERVED, a wrap starts again there, not at 1 (Linux's
 * RESERVED_PIDS keeps the daemons' low pids from being reused at
 * once).  proc_lock held.
 */
static int
proc_alloc_pid(void)
{
	int tries, lo = next_pid > PID_RESERVED ? PID_RESERVED : 2;

	for (tries = 0; tries < proc_pid_max; tries++) {
		int pid = next_pid;

		if (pid >= proc_pid_max) {
			pid = lo;
			next_pid = lo;
		}
		next_pid = pid + 1;
		if (!id_in_use(pid))
			return pid;
	}
	return -EAGAIN;
}

/* kernel.pid_max (sys/sys/proc.h).  Takes proc_lock. */
int
proc_pid_max_get(void)
{
	int v;

	spin_lock(&proc_lock);
	v = proc_pid_max;
	spin_unlock(&proc_lock);
	return v;
}

/*
 * Set kernel.pid_max (the caller checked for root): Linux's bounds,
 * PID_RESERVED + 1 to PID_MAX_LIMIT, else -EINVAL.  Live pids above it
 * stay; new ones are below it.  Takes proc_lock.
 */
int
proc_pid_max_set(int max)
{
	if (max < PID_RESERVED + 1 || max > PID_MAX_LIMIT)
		return -EINVAL;
	spin_lock(&proc_lock);
	proc_pid_max = max;
	spin_unlock(&proc_lock);
	return 0;
}

/*
 * A thread id for a new thread of the current process: ids come from the
 * pid space, as on Linux.  The thread counts against the same limits as a
 * process (PROC_MAX, RLIMIT_NPROC).  Returns the id or -EAGAIN.
 * proc_lock held.
 */
int
tid_alloc(void)
{
	struct proc *p = curproc;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (nprocs + nthreads >= PROC_MAX || !rlimit_nproc_ok(p->p_euid,
	    p->p_rlimit[RLIMIT_NPROC][0], proc_count_user(p->p_uid)))
		return -EAGAIN;
	return proc_alloc_pid();
}

/*
 * A new process, child of parent, with parent's credentials and name.
 * Returns it linked into the tree (state PRS_ALIVE, no thread, no address
 * space yet) or NULL with *errp = -EAGAIN (too many processes) or -ENOMEM.
 */
struct proc *
proc_alloc(struct proc *parent, int *errp)
{
	struct proc *p;
	int pid;

	if ((p = kmalloc(sizeof(*p), M_ZERO)) == NULL) {
		*errp = -ENOMEM;
		return NULL;
	}
	if (prot_fork(p, parent) < 0) {
		kfree(p);
		*errp = -ENOMEM;
		return NULL;
	}
	rlimit_fork(p, parent);
	spin_lock(&proc_lock);
	if (nprocs + nthreads >= PROC_MAX || !rlimit_nproc_ok(parent->p_euid,
	    parent->p_rlimit[RLIMIT_NPROC][0], proc_count_user(parent->p_uid)) ||
	    (pid = proc_alloc_pid()) < 0) {
		spin_unlock(&proc_lock);
		prot_free(p);
		kfree(p);
		*errp = -EAGAIN;
		return NULL;
	}
	p->p_pid = pid;
	p->p_state = PRS_ALIVE;
	p->p_parent = parent;
	p->p_sibling = parent->p_children;
	parent->p_children = p;
	p->p_all_next = allproc;
	allproc = p;
	nprocs++;
	memcpy(p->p_comm, parent->p_comm, sizeof(p->p_comm));
	p->p_umask = parent != &proc0 ? parent->p_umask : 022;
	/* The working and root directories (vref nests in proc_lock). */
	if ((p->p_cwd = parent->p_cwd) != NULL)
		vref(p->p_cwd);
	if ((p->p_root = parent->p_root) != NULL)
		vref(p->p_root);
	/* The program and its strings, for procfs (exe, cmdline). */
	if ((p->p_textvp = parent->p_textvp) != NULL) {
		vref(p->p_textvp);
		vn_text_dup(p->p_textvp);
	}
	p->p_arg_start = parent->p_arg_start;
	p->p_arg_end = parent->p_arg_end;
	p->p_env_start = parent->p_env_start;
	p->p_env_end = parent->p_env_end;
	p->p_nice = parent->p_nice;
	p->p_oom_score_adj = parent->p_oom_score_adj;
	p->p_oom_score_adj_min = parent->p_oom_score_adj_min;
	p->p_pgid = parent != &proc0 ? parent->p_pgid : pid;
	p->p_sid = parent != &proc0 ? parent->p_sid : pid;
	p->p_start_ns = clock_monotonic_ns();
	spin_unlock(&proc_lock);
	return p;
}

/*
 * Take p (a zombie, or a process that never ran) out of the tree and free
 * it.  proc_lock held.
 */
void
proc_free(struct proc *p)
{
	struct proc **pp;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	for (pp = &p->p_parent->p_children; *pp != NULL;
	    pp = &(*pp)->p_sibling) {
		if (*pp == p) {
			*pp = p->p_sibling;
			break;
		}
	}
	for (pp = &allproc; *pp != NULL; pp = &(*pp)->p_all_next) {
		if (*pp == p) {
			*pp = p->p_all_next;
			break;
		}
	}
	nprocs--;
	prot_free(p);
	pollhead_detach(&p->p_sigpoll);	/* signalfds in epoll sets */
	pidfd_proc_free(p);	/* its pidfds name no process now */
	kfree(p);
}

/* The first process of the list, for proc_next() walks.  proc_lock held. */
struct proc *
proc_first(void)
{
	KASSERT(spin_held(&proc_lock), "proc_lock");
	return allproc;
}

/* The process after p in the list, or NULL.  proc_lock held. */
struct proc *
proc_next(struct proc *p)
{
	return p->p_all_next;
}

/* How many processes exist (for sysinfo). */
int
proc_count(void)
{
	return nprocs;
}

/* getpid(2) */
long
sys_getpid(void)
{
	return curproc->p_pid;
}

/* getppid(2): the parent's pid; 0 for a process whose parent is proc0. */
long
sys_getppid(void)
{
	int ppid;

	spin_lock(&proc_lock);
	ppid = curproc->p_parent != NULL ? curproc->p_parent->p_pid : 0;
	spin_unlock(&proc_lock);
	return ppid;
}

/* gettid(2): the caller's thread id (the pid for the first thread). */
long
sys_gettid(void)
{
	return curthread->td_tid;
}

/* getuid(2) and friends: the credentials the process was started with. */
long
sys_getuid(void)
{
	return curproc->p_uid;
}

long
sys_geteuid(void)
{
	return curproc->p_euid;
}

long
sys_getgid(void)
{
	return curproc->p_gid;
}

long
sys_getegid(void)
{
	return curproc->p_egid;
}

/*
 * set_tid_address(2): remember where to clear the thread id at exit (and,
 * with futexes, wake a waiter); returns the caller's tid.
 */
long
sys_set_tid_address(int __user *tidptr)
{
	curthread->td_clear_child_tid = tidptr;
	return curthread->td_tid;
}


/* arch_prctl(2): the FS base (TLS); GS is not supported for user code. */
long
sys_arch_prctl(int code, unsigned long addr)
{
	uint64_t base;

	switch (code) {
	case ARCH_SET_FS:
		/* Linux refuses a base outside the user half. */
		if (addr >= 0x00007ffffffff000UL)
			return -EPERM;
		cpu_set_fsbase(curthread, addr);
		return 0;
	case ARCH_GET_FS:
		base = curthread->td_fsbase;
		return copyout(&base, (void __user *)addr, sizeof(base));
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		klog("proc", "pid %d: arch_prctl GS not supported",
		    curproc->p_pid);
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Is there a process in group pgid of session sid?  proc_lock held. */
static bool
proc_pgrp_in_session(int pgid, int sid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_all_next)
		if (p != &proc0 && p->p_pgid == pgid && p->p_sid == sid)
			return true;
	return false;
}

/* Does any process have group pgid?  proc_lock held. */
static bool
proc_pgrp_exists(int pgid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_all_next)
		if (p != &proc0 && p->p_pgid == pgid)
			return true;
	return false;
}

/*
 * setpgid(2): put process pid (0: the caller) into group pgid (0: a group
 * of its own).  The target is the caller or a child that has not called
 * execve (EACCES) in the caller's session (EPERM), not a session leader
 * (EPERM); a group other than its own pid must already exist in that
 * session (EPERM).
 */
long
sys_setpgid(pid_t pid, pid_t pgid)
{
	struct proc *self = curproc, *p;
	long error = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	p = pid == 0 ? self : proc_find(pid);
	if (p == NULL || p->p_state != PRS_ALIVE ||
	    (p != self && p->p_parent != self)) {
		error = -ESRCH;
		goto out;
	}
	if (pgid == 0)
		pgid = p->p_pid;
	if (p != self && p->p_execed) {
		error = -EACCES;
		goto out;
	}
	if (p->p_sid == p->p_pid || p->p_sid != self->p_sid) {
		error = -EPERM;
		goto out;
	}
	if (pgid != p->p_pid && !proc_pgrp_in_session(pgid, self->p_sid)) {
		error = -EPERM;
		goto out;
	}
	p->p_pgid = pgid;
out:
	spin_unlock(&proc_lock);
	return error;
}

/* getpgid(2): the group of process pid (0: the caller); ESRCH. */
long
sys_getpgid(pid_t pid)
{
	struct proc *p;
	long pgid;

	spin_lock(&proc_lock);
	p = pid == 0 ? curproc : proc_find(pid);
	pgid = p != NULL && p != &proc0 ? p->p_pgid : -ESRCH;
	spin_unlock(&proc_lock);
	return pgid;
}

/* getpgrp(2): the caller's process group. */
long
sys_getpgrp(void)
{
	return sys_getpgid(0);
}

/*
 * setsid(2): a new session and group led by the caller, unless it already
 * leads a process group (EPERM).  The controlling terminal comes with the
 * terminals issue; a new session has none.
 */
long
sys_setsid(void)
{
	struct proc *p = curproc;
	long error;

	spin_lock(&proc_lock);
	if (p->p_pgid == p->p_pid || proc_pgrp_exists(p->p_pid)) {
		error = -EPERM;
	} else {
		p->p_sid = p->p_pgid = p->p_pid;
		error = p->p_pid;
	}
	spin_unlock(&proc_lock);
	return error;
}

/* getsid(2): the session of process pid (0: the caller); ESRCH. */
long
sys_getsid(pid_t pid)
{
	struct proc *p;
	long sid;

	spin_lock(&proc_lock);
	p = pid == 0 ? curproc : proc_find(pid);
	sid = p != NULL && p != &proc0 ? p->p_sid : -ESRCH;
	spin_unlock(&proc_lock);
	return sid;
}
