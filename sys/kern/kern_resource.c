/*
 * Scheduling priorities and resource usage: getpriority(2),
 * setpriority(2), getrusage(2), times(2) and sched_yield(2).
 *
 * The nice value lives in struct proc (p_nice, under proc_lock) with
 * Linux's rules for who may change it, and is handed on to the scheduler
 * (sched_setnice: the thread's td_nice), which weighs SCHED_OTHER
 * threads' share of the CPU by it (kern_sched.c).
 *
 * CPU times come from the scheduler's accounting (p_utime_ns and
 * p_stime_ns under sched_lock; p_cutime_ns and p_cstime_ns, the reaped
 * children's, under proc_lock); rusage_cputime() reads them for the
 * CPU-time clocks of kern_time_syscalls.c as well.
 */
#include <sys/abi/resource.h>
#include <sys/abi/times.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/rusage.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <machine/cpufunc.h>

#include <sysproto.h>

#define NS_PER_S		1000000000ULL
#define NS_PER_US		1000ULL
#define NS_PER_USER_TICK	(NS_PER_S / L_USER_HZ)
#define NICE_MIN		(-20)	/* Linux's MIN_NICE */
#define NICE_MAX		19	/* Linux's MAX_NICE */

/* What a priority request is about, for prio_foreach's callbacks. */
struct prio_req {
	int	pr_which;		/* PRIO_* */
	int	pr_who;			/* pid, pgid or uid; resolved */
	int	pr_nice;		/* setpriority: the new value */
	struct proc *pr_self;		/* the caller */
	long	pr_result;		/* the answer so far */
};

/* Does p belong to the set the request names?  proc_lock held. */
static bool
prio_match(const struct prio_req *pr, const struct proc *p)
{
	if (p->p_pid == 0)		/* proc0: the kernel */
		return false;
	switch (pr->pr_which) {
	case PRIO_PROCESS:
		return p->p_pid == pr->pr_who;
	case PRIO_PGRP:
		return p->p_pgid == pr->pr_who;
	default:
		return p->p_uid == (uint32_t)pr->pr_who;
	}
}

/* Linux's nice_to_rlimit(): nice -20..19 as 40..1, bigger is better. */
static int
prio_nice_to_rlimit(int nice)
{
	return NICE_MAX - nice + 1;
}

/* getpriority: the best (highest) 20 - nice of the set.  proc_lock held. */
static void
prio_get_one(struct proc *p, struct prio_req *pr)
{
	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (prio_match(pr, p) && prio_nice_to_rlimit(p->p_nice) > pr->pr_result)
		pr->pr_result = prio_nice_to_rlimit(p->p_nice);
}

/*
 * setpriority on one process, with Linux's checks (kernel/sys.c,
 * set_one_prio): the caller's effective uid must be the target's real or
 * effective uid, or root (-EPERM); only root may lower a nice value
 * (-EACCES) beyond what RLIMIT_NICE allows.  The last error wins,
 * as in Linux, and any success clears the initial -ESRCH.  proc_lock held.
 */
static void
prio_set_one(struct proc *p, struct prio_req *pr)
{
	struct thread *td;
	bool root = pr->pr_self->p_euid == 0;

	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (!prio_match(pr, p))
		return;
	if (!root && p->p_uid != pr->pr_self->p_euid &&
	    p->p_euid != pr->pr_self->p_euid) {
		pr->pr_result = -EPERM;
		return;
	}
	/* Linux's can_nice(): lowering needs RLIMIT_NICE room, or root. */
	if (pr->pr_nice < p->p_nice && !root &&
	    (uint64_t)prio_nice_to_rlimit(pr->pr_nice) >
	    p->p_rlimit[RLIMIT_NICE][0]) {
		pr->pr_result = -EACCES;
		return;
	}
	if (pr->pr_result == -ESRCH)
		pr->pr_result = 0;
	p->p_nice = pr->pr_nice;
	if (p->p_state == PRS_ALIVE)
		for (td = p->p_threads; td != NULL; td = td->td_plist_next)
			sched_setnice(td, p->p_nice);
}

/*
 * Call fn(p, pr) for every process: a walk of the process tree from
 * proc0, which every process descends from (orphans are reparented to
 * init, zombies stay with their parent until reaped), down through
 * p_children and across through p_sibling, climbing back up p_parent.
 * No recursion and no memory.  Takes proc_lock.
 */
static void
prio_foreach(void (*fn)(struct proc *p, struct prio_req *pr),
    struct prio_req *pr)
{
	struct proc *p = &proc0;

	spin_lock(&proc_lock);
	for (;;) {
		fn(p, pr);
		if (p->p_children != NULL) {
			p = p->p_children;
			continue;
		}
		while (p != &proc0 && p->p_sibling == NULL)
			p = p->p_parent;
		if (p == &proc0)
			break;
		p = p->p_sibling;
	}
	spin_unlock(&proc_lock);
}

/*
 * Fill in a request for which/who (who 0 is the caller's process, group
 * or real uid).  -EINVAL for an unknown which.
 */
static int
prio_req_init(struct prio_req *pr, int which, int who)
{
	struct proc *self = curproc;

	if (which < PRIO_PROCESS || which > PRIO_USER || self == NULL)
		return -EINVAL;
	pr->pr_which = which;
	pr->pr_self = self;
	pr->pr_who = who;
	if (who == 0) {
		if (which == PRIO_PROCESS)
			pr->pr_who = self->p_pid;
		else if (which == PRIO_PGRP)
			pr->pr_who = self->p_pgid;
		else
			pr->pr_who = (int)self->p_uid;
	}
	return 0;
}

/*
 * getpriority(2): 20 - nice (1..40) of the most favoured process that
 * which/who names (Linux returns it so, to keep clear of -errno; the C
 * library turns it back into a nice value).  -EINVAL, -ESRCH when no
 * process matches.  Takes proc_lock.
 */
long
sys_getpriority(int which, int who)
{
	struct prio_req pr;
	int error;

	if ((error = prio_req_init(&pr, which, who)) < 0)
		return error;
	pr.pr_result = -ESRCH;
	prio_foreach(prio_get_one, &pr);
	return pr.pr_result;
}

/*
 * setpriority(2): set the nice value of every process which/who names to
 * niceval, clamped to -20..19.  0, or -EINVAL, -ESRCH (no match), -EPERM,
 * -EACCES (see prio_set_one).  Takes proc_lock.
 */
long
sys_setpriority(int which, int who, int niceval)
{
	struct prio_req pr;
	int error;

	if ((error = prio_req_init(&pr, which, who)) < 0)
		return error;
	pr.pr_nice = MIN(MAX(niceval, NICE_MIN), NICE_MAX);
	pr.pr_result = -ESRCH;
	prio_foreach(prio_set_one, &pr);
	return pr.pr_result;
}

/*
 * The CPU times of p in ns: what sched_account() has added up, plus the
 * slice running now when p is the caller's process (attributed as
 * sched_account will).  Takes sched_lock with interrupts off, as
 * kern_sched.c requires.
 */
void
rusage_cputime(struct proc *p, uint64_t *user, uint64_t *sys)
{
	struct thread *td = curthread;
	uint64_t rflags, ran;

	rflags = read_rflags();
	intr_disable();
	spin_lock(&sched_lock);
	*user = p->p_utime_ns;
	*sys = p->p_stime_ns;
	if (td != NULL && td->td_proc == p) {
		ran = clock_monotonic_ns() - td->td_switched_ns;
		if (td->td_user)
			*user += ran;
		else
			*sys += ran;
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* The reaped children's CPU times in ns.  Takes proc_lock. */
static void
res_child_times(struct proc *p, uint64_t *user, uint64_t *sys)
{
	spin_lock(&proc_lock);
	*user = p->p_cutime_ns;
	*sys = p->p_cstime_ns;
	spin_unlock(&proc_lock);
}

static void
res_ns_to_timeval(uint64_t ns, struct l_timeval *tv)
{
	tv->tv_sec = (long)(ns / NS_PER_S);
	tv->tv_usec = (long)(ns % NS_PER_S / NS_PER_US);
}

/*
 * getrusage(2) for RUSAGE_SELF, RUSAGE_THREAD (the same: one thread per
 * process until the threads issue) and RUSAGE_CHILDREN (the children
 * reaped by wait).  Filled in: the CPU times and, for the caller, ru_maxrss
 * as the resident set now (the high-water mark is not tracked, so this is
 * a lower bound of it).  Fault and context-switch counts are not kept yet
 * and read 0.  -EINVAL for another who, -EFAULT.
 */
long
sys_getrusage(int who, struct l_rusage __user *ru)
{
	struct proc *p = curproc;
	struct l_rusage r;
	uint64_t user, sys;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	if (p == NULL)
		return -ESRCH;
	memset(&r, 0, sizeof(r));
	if (who == RUSAGE_CHILDREN) {
		res_child_times(p, &user, &sys);
	} else {
		rusage_cputime(p, &user, &sys);
		if (p->p_vmspace != NULL)
			r.ru_maxrss = (long)(vm_resident_pages(p->p_vmspace) *
			    (PAGE_SIZE / 1024));
	}
	res_ns_to_timeval(user, &r.ru_utime);
	res_ns_to_timeval(sys, &r.ru_stime);
	return copyout(&r, ru, sizeof(r));
}

/*
 * times(2): the CPU times of the caller and of its reaped children, in
 * clock ticks of L_USER_HZ, into *buf unless it is NULL; returns the
 * ticks since boot (Linux counts from an arbitrary point too).  -EFAULT.
 */
long
sys_times(struct l_tms __user *buf)
{
	struct proc *p = curproc;
	struct l_tms t;
	uint64_t user, sys;
	int error;

	if (buf != NULL) {
		if (p == NULL)
			return -ESRCH;
		rusage_cputime(p, &user, &sys);
		t.tms_utime = (long)(user / NS_PER_USER_TICK);
		t.tms_stime = (long)(sys / NS_PER_USER_TICK);
		res_child_times(p, &user, &sys);
		t.tms_cutime = (long)(user / NS_PER_USER_TICK);
		t.tms_cstime = (long)(sys / NS_PER_USER_TICK);
		if ((error = copyout(&t, buf, sizeof(t))) < 0)
			return error;
	}
	return (long)(clock_monotonic_ns() / NS_PER_USER_TICK);
}

/* sched_yield(2): let the other runnable threads run first.  Always 0. */
long
sys_sched_yield(void)
{
	sched_yield();
	return 0;
}
