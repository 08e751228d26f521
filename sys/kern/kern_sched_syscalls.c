/*
 * The scheduling system calls: sched_setscheduler(2),
 * sched_getscheduler(2), sched_setparam(2), sched_getparam(2),
 * sched_get_priority_max(2), sched_get_priority_min(2),
 * sched_rr_get_interval(2), sched_setaffinity(2) and
 * sched_getaffinity(2).  sched(7) describes the policies; kern_sched.c
 * carries them out.
 *
 * As on Linux, each call names a thread by its TID (0 is the caller), and
 * the policy, priority and SCHED_RESET_ON_FORK flag belong to that thread
 * (struct thread's td_policy, td_rtprio, td_reset_on_fork).  The checks
 * and their order follow Linux's, errno for errno: EINVAL for a bad
 * argument, EFAULT, ESRCH, then EINVAL for a bad policy or priority, then
 * EPERM (sched_check_perm).
 *
 * Affinity: this kernel runs on one CPU, CPU 0, so every thread's mask is
 * {0}.  The mask is an array of unsigned longs, SCHED_CPUMASK_SIZE bytes
 * (Linux's cpumask_size(): enough longs for the CPUs the kernel can
 * name; one long here).
 *
 * sched_setattr(2) and sched_getattr(2) (SCHED_DEADLINE) are not
 * implemented: they return ENOSYS through the syscall table.
 */
#include <sys/abi/resource.h>
#include <sys/abi/sched.h>
#include <sys/abi/time.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define SCHED_RT_PRIO_MAX	99	/* Linux's MAX_RT_PRIO - 1 */
#define SCHED_NCPU		1
#define SCHED_CPUMASK_SIZE	sizeof(unsigned long)
#define SCHED_NS_PER_S		1000000000ULL

static bool
sched_policy_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* The thread a TID names: 0 is the caller.  NULL if none.  proc_lock. */
static struct thread *
sched_find(pid_t pid)
{
	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (pid == 0)
		return curthread;
	return thread_find(pid);
}

/* May the caller act on p as its owner (Linux's check_same_owner)? */
static bool
sched_same_owner(const struct proc *self, const struct proc *p)
{
	return self->p_euid == p->p_euid || self->p_euid == p->p_uid;
}

/*
 * Linux's rules for a caller without privilege (root here, CAP_SYS_NICE
 * on Linux) giving td policy and prio (sched_setscheduler(2), "Privileges
 * and resource limits"): entering real time, or raising the real-time
 * priority, only within the target's RLIMIT_RTPRIO; leaving SCHED_IDLE
 * only when RLIMIT_NICE would allow the current nice value; only the
 * owner's threads; and SCHED_RESET_ON_FORK, once set, stays.  0 or
 * -EPERM.  proc_lock held.
 */
static int
sched_check_perm(const struct thread *td, int policy, int prio, bool reset)
{
	const struct proc *self = curproc, *p = td->td_proc;
	uint64_t rtlim = p->p_rlimit[RLIMIT_RTPRIO][0];

	KASSERT(spin_held(&proc_lock), "proc_lock");
	if (self->p_euid == 0)
		return 0;
	if (sched_policy_rt(policy)) {
		if (policy != td->td_policy && rtlim == 0)
			return -EPERM;
		if (prio > td->td_rtprio && (uint64_t)prio > rtlim)
			return -EPERM;
	}
	if (td->td_policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    (uint64_t)(20 - td->td_nice) > p->p_rlimit[RLIMIT_NICE][0])
		return -EPERM;
	if (!sched_same_owner(self, p))
		return -EPERM;
	if (td->td_reset_on_fork && !reset)
		return -EPERM;
	return 0;
}

/*
 * sched_setscheduler and sched_setparam: give thread pid the policy (-1:
 * keep its policy and flag, for sched_setparam) and the priority in
 * *param.  0, or -EINVAL, -EFAULT, -ESRCH, -EPERM.  Takes proc_lock.
 */
static long
sched_set(pid_t pid, int policy, const struct l_sched_param __user *param)
{
	struct l_sched_param lp;
	struct thread *td;
	bool reset;
	int error;

	if (param == NULL || pid < 0)
		return -EINVAL;
	if ((error = copyin(param, &lp, sizeof(lp))) < 0)
		return error;
	spin_lock(&proc_lock);
	if ((td = sched_find(pid)) == NULL) {
		error = -ESRCH;
		goto out;
	}
	if (policy == -1) {
		policy = td->td_policy;
		reset = td->td_reset_on_fork;
	} else {
		reset = (policy & SCHED_RESET_ON_FORK) != 0;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	error = -EINVAL;
	if (policy == SCHED_DEADLINE) {
		klog("sched", "pid %d: SCHED_DEADLINE is not supported",
		    curproc->p_pid);
		goto out;
	}
	if (policy != SCHED_OTHER && policy != SCHED_BATCH &&
	    policy != SCHED_IDLE && !sched_policy_rt(policy))
		goto out;
	/* 1..99 for real time, 0 for the rest (negative is too big). */
	if ((unsigned int)lp.sched_priority > SCHED_RT_PRIO_MAX ||
	    sched_policy_rt(policy) != (lp.sched_priority != 0))
		goto out;
	if ((error = sched_check_perm(td, policy, lp.sched_priority,
	    reset)) < 0)
		goto out;
	sched_setpolicy(td, policy, lp.sched_priority, reset);
out:
	spin_unlock(&proc_lock);
	return error;
}

/*
 * sched_setscheduler(2): policy (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE,
 * SCHED_FIFO or SCHED_RR, optionally ORed with SCHED_RESET_ON_FORK) and
 * priority for thread pid.  0 or -errno (sched_set).
 */
long
sys_sched_setscheduler(pid_t pid, int policy,
    const struct l_sched_param __user *param)
{
	if (policy < 0)
		return -EINVAL;
	return sched_set(pid, policy, param);
}

/* sched_setparam(2): a new priority within thread pid's policy. */
long
sys_sched_setparam(pid_t pid, const struct l_sched_param __user *param)
{
	return sched_set(pid, -1, param);
}

/*
 * sched_getscheduler(2): thread pid's policy, with SCHED_RESET_ON_FORK
 * ORed in when set.  -EINVAL for a negative pid, -ESRCH.  Takes
 * proc_lock.
 */
long
sys_sched_getscheduler(pid_t pid)
{
	struct thread *td;
	long ret;

	if (pid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	if ((td = sched_find(pid)) == NULL)
		ret = -ESRCH;
	else
		ret = td->td_policy |
		    (td->td_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
	spin_unlock(&proc_lock);
	return ret;
}

/*
 * sched_getparam(2): thread pid's real-time priority (0 outside real
 * time) into *param.  0, or -EINVAL (NULL, negative pid), -ESRCH,
 * -EFAULT.  Takes proc_lock.
 */
long
sys_sched_getparam(pid_t pid, struct l_sched_param __user *param)
{
	struct l_sched_param lp;
	struct thread *td;

	if (param == NULL || pid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	if ((td = sched_find(pid)) == NULL) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	lp.sched_priority = td->td_rtprio;
	spin_unlock(&proc_lock);
	return copyout(&lp, param, sizeof(lp));
}

/* sched_get_priority_max(2): 99 for FIFO and RR, 0 for the others. */
long
sys_sched_get_priority_max(int policy)
{
	if (sched_policy_rt(policy))
		return SCHED_RT_PRIO_MAX;
	if (policy == SCHED_OTHER || policy == SCHED_BATCH ||
	    policy == SCHED_IDLE || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

/* sched_get_priority_min(2): 1 for FIFO and RR, 0 for the others. */
long
sys_sched_get_priority_min(int policy)
{
	if (sched_policy_rt(policy))
		return 1;
	if (policy == SCHED_OTHER || policy == SCHED_BATCH ||
	    policy == SCHED_IDLE || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

/*
 * sched_rr_get_interval(2): thread pid's time slice into *interval
 * (sched_timeslice_ns: RR's quantum, 0 for FIFO).  0, or -EINVAL for a
 * negative pid, -ESRCH, -EFAULT.  Takes proc_lock.
 */
long
sys_sched_rr_get_interval(pid_t pid, struct l_timespec __user *interval)
{
	struct l_timespec ts;
	struct thread *td;
	uint64_t ns;

	if (pid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	if ((td = sched_find(pid)) == NULL) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	ns = sched_timeslice_ns(td);
	spin_unlock(&proc_lock);
	ts.tv_sec = (long)(ns / SCHED_NS_PER_S);
	ts.tv_nsec = (long)(ns % SCHED_NS_PER_S);
	return copyout(&ts, interval, sizeof(ts));
}

/*
 * sched_setaffinity(2): the CPUs thread pid may run on, from len bytes at
 * mask (fewer than SCHED_CPUMASK_SIZE: the rest is zero; more: ignored).
 * The only CPU is 0, so a mask must contain it, and the thread's mask
 * stays {0}.  0, or -EFAULT, -ESRCH, -EPERM (another user's thread),
 * -EINVAL (no usable CPU in the mask).  Takes proc_lock.
 */
long
sys_sched_setaffinity(pid_t pid, unsigned int len,
    const unsigned long __user *mask)
{
	unsigned long m = 0;
	struct thread *td;
	int error;

	if ((error = copyin(mask, &m, MIN(len, SCHED_CPUMASK_SIZE))) < 0)
		return error;
	spin_lock(&proc_lock);
	if ((td = sched_find(pid)) == NULL)
		error = -ESRCH;
	else if (curproc->p_euid != 0 &&
	    !sched_same_owner(curproc, td->td_proc))
		error = -EPERM;
	else if ((m & 1) == 0)
		error = -EINVAL;
	spin_unlock(&proc_lock);
	return error;
}

/*
 * sched_getaffinity(2): thread pid's CPU mask ({0}) into len bytes at
 * mask.  Returns the bytes written, min(len, SCHED_CPUMASK_SIZE), as
 * Linux does; -EINVAL when len has fewer bits than there are CPUs or is
 * not a multiple of sizeof(unsigned long), -ESRCH, -EFAULT.  Takes
 * proc_lock.
 */
long
sys_sched_getaffinity(pid_t pid, unsigned int len, unsigned long __user *mask)
{
	unsigned long m = 1;	/* CPU 0 */
	size_t n = MIN(len, SCHED_CPUMASK_SIZE);
	struct thread *td;
	int error;

	if ((uint64_t)len * 8 < SCHED_NCPU ||
	    (len & (sizeof(unsigned long) - 1)) != 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	td = sched_find(pid);
	spin_unlock(&proc_lock);
	if (td == NULL)
		return -ESRCH;
	if ((error = copyout(&m, mask, n)) < 0)
		return error;
	return (long)n;
}
