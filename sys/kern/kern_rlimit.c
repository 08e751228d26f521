/*
 * Resource limits: getrlimit, setrlimit and prlimit64 (getrlimit(2)), the
 * defaults a process starts with, and the limit on processes per user
 * that fork checks.
 *
 * The limits live in struct proc (p_rlimit, under proc_lock: another
 * process may read or set them through prlimit64) and are inherited
 * across fork and kept across exec.
 */
#include <sys/abi/resource.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <sysproto.h>

#define NR_OPEN		1048576		/* /proc/sys/fs/nr_open */
#define RLIM_INF	RLIM_INFINITY

/* Linux's defaults for the first process (include/asm-generic/resource.h). */
static const uint64_t rlimit_defaults[RLIM_NLIMITS][2] = {
	[RLIMIT_CPU] = { RLIM_INF, RLIM_INF },
	[RLIMIT_FSIZE] = { RLIM_INF, RLIM_INF },
	[RLIMIT_DATA] = { RLIM_INF, RLIM_INF },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INF },
	[RLIMIT_CORE] = { 0, RLIM_INF },
	[RLIMIT_RSS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_NPROC] = { 1024, 1024 },	/* = the kernel's PROC_MAX */
	[RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_LOCKS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_SIGPENDING] = { 1024, 1024 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INF, RLIM_INF },
};

/* Give p the limits of its parent, or Linux's defaults (proc0's child). */
void
rlimit_fork(struct proc *p, const struct proc *parent)
{
	if (parent == &proc0)
		memcpy(p->p_rlimit, rlimit_defaults, sizeof(p->p_rlimit));
	else
		memcpy(p->p_rlimit, parent->p_rlimit, sizeof(p->p_rlimit));
}

/*
 * May a process of real uid uid, effective uid euid, with limit lim on
 * processes, create one more?  nuser is how many processes uid has now.
 * Root is not limited (Linux: CAP_SYS_RESOURCE or CAP_SYS_ADMIN).
 */
bool
rlimit_nproc_ok(uint32_t euid, uint64_t lim, int nuser)
{
	return euid == 0 || (uint64_t)nuser < lim;
}

/*
 * prlimit64(2): read and/or set one limit of process pid (0: the caller).
 * Another process's limits need the same real, effective and saved uid
 * and gid as the caller, or root.  Raising a hard limit needs root.
 */
long
sys_prlimit64(pid_t pid, unsigned int resource,
    const struct l_rlimit __user *new_limit, struct l_rlimit __user *old_limit)
{
	struct proc *self = curproc, *p;
	struct l_rlimit nl, ol;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit != NULL) {
		if (copyin(new_limit, &nl, sizeof(nl)) < 0)
			return -EFAULT;
		if (nl.rlim_cur > nl.rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && nl.rlim_max > NR_OPEN)
			return -EPERM;
	}
	spin_lock(&proc_lock);
	p = pid == 0 ? self : proc_find(pid);
	if (p == NULL || p->p_state != PRS_ALIVE) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	if (p != self && self->p_euid != 0 &&
	    (p->p_uid != self->p_uid || p->p_euid != self->p_uid ||
	    p->p_suid != self->p_uid || p->p_gid != self->p_gid ||
	    p->p_egid != self->p_gid || p->p_sgid != self->p_gid)) {
		spin_unlock(&proc_lock);
		return -EPERM;
	}
	ol.rlim_cur = p->p_rlimit[resource][0];
	ol.rlim_max = p->p_rlimit[resource][1];
	if (new_limit != NULL) {
		if (nl.rlim_max > ol.rlim_max && self->p_euid != 0) {
			spin_unlock(&proc_lock);
			return -EPERM;
		}
		p->p_rlimit[resource][0] = nl.rlim_cur;
		p->p_rlimit[resource][1] = nl.rlim_max;
	}
	spin_unlock(&proc_lock);
	if (new_limit != NULL && p == self)
		vm_rlimit_sync(self);	/* the address space enforces some */
	if (old_limit != NULL && copyout(&ol, old_limit, sizeof(ol)) < 0)
		return -EFAULT;
	return 0;
}

/* getrlimit(2) */
long
sys_getrlimit(unsigned int resource, struct l_rlimit __user *rlim)
{
	return sys_prlimit64(0, resource, NULL, rlim);
}

/* setrlimit(2) */
long
sys_setrlimit(unsigned int resource, const struct l_rlimit __user *rlim)
{
	return sys_prlimit64(0, resource, rlim, NULL);
}
