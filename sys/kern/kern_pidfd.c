/*
 * Process file descriptors: pidfd_open(2), pidfd_send_signal(2), and the
 * pidfd that waitid(P_PIDFD) waits on (kern/kern_exit.c).
 *
 * A pidfd is an anonymous file that names one process for as long as the
 * file is open, whatever happens to the process's pid: a signal sent
 * through it can never reach a later process that reused the number.
 * The file's struct pidfd points at its struct proc and sits on the
 * process's list p_pidfds.  When the process ends (becomes a zombie),
 * every pidfd on the list is woken: it now polls readable.  When the
 * zombie is freed (reaped), the list is cut loose: each pidfd's pd_proc
 * becomes NULL, and the pidfd names a process that is gone (ESRCH for a
 * signal, ECHILD for waitid, still readable).  Closing the file takes it
 * off its process's list, if the process still exists.
 *
 *	struct proc                   struct pidfd       struct pidfd
 *	+-------------+  p_pidfds     +-----------+      +-----------+
 *	| p_pidfds  --+-------------> | pd_next --+----> | pd_next=0 |
 *	+-------------+ <-------------+ pd_proc   |  <---+ pd_proc   |
 *	                              | pd_ph     |      | pd_ph     |
 *	                              +-----------+      +-----------+
 *	                                 ^ f_data            ^ f_data
 *	                              struct file         struct file
 *
 * A pidfd is always close-on-exec.  PIDFD_NONBLOCK makes it O_NONBLOCK:
 * waitid(P_PIDFD) on it is EAGAIN instead of sleeping while the process
 * runs.  Linux's PIDFD_THREAD (a pidfd of one thread) is not supported.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/pidfd.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	p	proc_lock
 *	P	poll_lock
 */
struct pidfd {
	struct proc	*pd_proc;	/* [p] NULL once it was freed */
	struct pidfd	*pd_next;	/* [p] on pd_proc's p_pidfds */
	struct pollhead	 pd_ph;		/* [P] pollers, woken at its end */
};

/* Has pd's process ended (a zombie, or already freed)?  proc_lock held. */
static bool
pidfd_ended(const struct pidfd *pd)
{
	return pd->pd_proc == NULL || pd->pd_proc->p_state == PRS_ZOMBIE;
}

/* poll(2) and epoll: readable once the process has ended. */
static int
pidfd_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct pidfd *pd = fp->f_data;
	int mask = 0;

	(void)events;
	spin_lock(&proc_lock);
	poll_wait(&pd->pd_ph, pt);
	if (pidfd_ended(pd))
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&proc_lock);
	return mask;
}

/* The last reference went: off the process's list, then freed. */
static void
pidfd_close(struct file *fp)
{
	struct pidfd *pd = fp->f_data, **pp;

	spin_lock(&proc_lock);
	if (pd->pd_proc != NULL) {
		for (pp = &pd->pd_proc->p_pidfds; *pp != NULL;
		    pp = &(*pp)->pd_next) {
			if (*pp == pd) {
				*pp = pd->pd_next;
				break;
			}
		}
		pd->pd_proc = NULL;
	}
	spin_unlock(&proc_lock);
	kfree(pd);
}

static const struct fileops pidfd_fileops = {
	.fo_name = "pidfd",
	.fo_close = pidfd_close,
	.fo_stat = file_stat_anon,
	.fo_poll = pidfd_poll,
};

/*
 * p became a zombie: its pidfds' pollers look again (and find them
 * readable).  proc_lock held.
 */
void
pidfd_proc_exit(struct proc *p)
{
	struct pidfd *pd;

	KASSERT(spin_held(&proc_lock), "pidfd_proc_exit: proc_lock");
	for (pd = p->p_pidfds; pd != NULL; pd = pd->pd_next)
		pollwakeup(&pd->pd_ph, POLLIN | POLLRDNORM);
}

/*
 * p is being freed: its pidfds name no process from now on.  proc_lock
 * held.
 */
void
pidfd_proc_free(struct proc *p)
{
	struct pidfd *pd, *next;

	KASSERT(spin_held(&proc_lock), "pidfd_proc_free: proc_lock");
	for (pd = p->p_pidfds; pd != NULL; pd = next) {
		next = pd->pd_next;
		pd->pd_proc = NULL;
		pd->pd_next = NULL;
	}
	p->p_pidfds = NULL;
}

/*
 * fd's pidfd, held in *fpp (file_rele it).  Returns 0, or -EBADF when fd
 * is not open or not a pidfd.  No lock held.
 */
static int
pidfd_getfile(int fd, struct file **fpp)
{
	return fd_getfile_ops(fd, &pidfd_fileops, -EBADF, fpp);
}

/*
 * The process pidfd fd names, for waitid(P_PIDFD): its pid in *pidp (0
 * when it was reaped) and the file's status flags in *flagsp.  Returns 0,
 * or -EBADF when fd is not an open pidfd.  No lock held.
 */
int
pidfd_getpid(int fd, int *pidp, int *flagsp)
{
	struct pidfd *pd;
	struct file *fp;
	int error;

	if ((error = pidfd_getfile(fd, &fp)) < 0)
		return error;
	pd = fp->f_data;
	spin_lock(&proc_lock);
	*pidp = pd->pd_proc != NULL ? pd->pd_proc->p_pid : 0;
	spin_unlock(&proc_lock);
	*flagsp = file_getflags(fp);
	file_rele(fp);
	return 0;
}

/*
 * pidfd_open(2): a pidfd naming process pid, close-on-exec, O_NONBLOCK
 * with PIDFD_NONBLOCK.  A zombie may be named; a pid that is a thread
 * but not a process is ESRCH here (Linux: EINVAL or ENOENT).
 */
long
sys_pidfd_open(pid_t pid, unsigned int flags)
{
	struct pidfd *pd;
	struct proc *p;
	struct file *fp;
	int fd;

	if (flags & ~PIDFD_NONBLOCK) {
		if (flags & PIDFD_THREAD)
			klog("pidfd", "pidfd_open: PIDFD_THREAD is not "
			    "supported");
		return -EINVAL;
	}
	if (pid <= 0)
		return -EINVAL;
	if ((pd = kmalloc(sizeof(*pd), M_ZERO)) == NULL)
		return -ENOMEM;
	pollhead_init(&pd->pd_ph);
	if ((fp = file_alloc(&pidfd_fileops, pd, O_RDWR |
	    (flags & PIDFD_NONBLOCK))) == NULL) {
		kfree(pd);
		return -ENOMEM;
	}
	/* The file owns pd now: file_rele frees it through pidfd_close. */
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL) {
		spin_unlock(&proc_lock);
		file_rele(fp);
		return -ESRCH;
	}
	pd->pd_proc = p;
	pd->pd_next = p->p_pidfds;
	p->p_pidfds = pd;
	spin_unlock(&proc_lock);
	fd = fd_install(fp, 0, true);
	file_rele(fp);
	return fd;
}

/*
 * pidfd_send_signal(2): kill(2) through a pidfd.  info, when not NULL, is
 * the siginfo to send, as rt_sigqueueinfo's (its si_signo must be sig; a
 * process may only make up an si_code of the kernel's, >= 0 or SI_TKILL,
 * for itself).  flags 0 or PIDFD_SIGNAL_THREAD_GROUP (the same: the
 * whole process); Linux's other two flags are not supported.
 */
long
sys_pidfd_send_signal(int pidfd, int sig, struct l_siginfo __user *info,
    unsigned int flags)
{
	struct l_siginfo si;
	struct pidfd *pd;
	struct file *fp;
	long error;

	if (flags & ~PIDFD_SIGNAL_THREAD_GROUP) {
		if ((flags & ~(PIDFD_SIGNAL_THREAD |
		    PIDFD_SIGNAL_PROCESS_GROUP |
		    PIDFD_SIGNAL_THREAD_GROUP)) == 0)
			klog("pidfd", "pidfd_send_signal: flags %#x are not "
			    "supported", flags);
		return -EINVAL;
	}
	if ((error = pidfd_getfile(pidfd, &fp)) < 0)
		return error;
	pd = fp->f_data;
	if (info != NULL) {
		error = -EFAULT;
		if (copyin(info, &si, sizeof(si)) < 0)
			goto out;
		error = -EINVAL;
		if (si.si_signo != sig)
			goto out;
	}
	spin_lock(&proc_lock);
	if (pd->pd_proc == NULL)
		error = -ESRCH;
	else if (sig < 0 || sig > L_NSIG)
		error = -EINVAL;
	else if (info != NULL && pd->pd_proc != curproc &&
	    (si.si_code >= 0 || si.si_code == SI_TKILL))
		error = -EPERM;
	else
		error = sig_kill_proc(pd->pd_proc, sig,
		    info != NULL ? &si : NULL);
	spin_unlock(&proc_lock);
out:
	file_rele(fp);
	return error;
}
