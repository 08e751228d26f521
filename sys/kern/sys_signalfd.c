/*
 * signalfd(2) and signalfd4(2): pending signals read as a file.
 *
 * signalfd(2): a read takes signals of the file's mask that are pending
 * for the reading thread (its own queue first, then its process's: the
 * same order as delivery), one struct signalfd_siginfo of 128 bytes each,
 * as many as fit; it waits while none is pending (EAGAIN with
 * O_NONBLOCK), and a buffer smaller than 128 bytes is EINVAL.  The mask
 * normally has its signals blocked, or they would be delivered first.
 * signalfd(fd, mask) with an existing signalfd changes its mask.  poll:
 * readable while a signal of the mask is pending for the poller.
 * SIGKILL and SIGSTOP are silently left out of the mask.
 *
 * The reader sleeps as rt_sigtimedwait does (td_sigwait holds the mask,
 * so sig_post wakes it); pollers register on their process's p_sigpoll,
 * which sig_post and sig_post_thread wake.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/signal.h>
#include <sys/abi/signalfd.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define SFD_CANTMASK	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/*
 * Locks protecting members of this struct:
 *	p	proc_lock
 */
struct signalfd {
	uint64_t	 sfd_mask;	/* [p] bit (sig - 1) */
};

/* A queued siginfo as signalfd's record (fields by si_code's layout). */
static void
signalfd_fill(struct l_signalfd_siginfo *ss, const struct l_siginfo *si)
{
	int sig = si->si_signo, code = si->si_code;

	memset(ss, 0, sizeof(*ss));
	ss->ssi_signo = sig;
	ss->ssi_errno = si->si_errno;
	ss->ssi_code = code;
	if (code > 0 && code != SI_KERNEL && (sig == SIGSEGV ||
	    sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	    sig == SIGTRAP)) {
		ss->ssi_addr = si->si_addr;
		ss->ssi_addr_lsb = si->si_addr_lsb;
		return;
	}
	if (code > 0 && code != SI_KERNEL && sig == SIGCHLD) {
		ss->ssi_pid = si->si_pid;
		ss->ssi_uid = si->si_uid;
		ss->ssi_status = si->si_status;
		ss->ssi_utime = si->si_utime;
		ss->ssi_stime = si->si_stime;
		return;
	}
	if (code == SI_KERNEL)
		return;
	ss->ssi_pid = si->si_pid;
	ss->ssi_uid = si->si_uid;
	if (code < 0 && code != SI_TKILL) {
		/* sigqueue and timers carry a value. */
		ss->ssi_int = (int)si->si_value;
		ss->ssi_ptr = si->si_value;
	}
}

/* read(2): one record per signal taken, at least one (waiting for it). */
static long
signalfd_read(struct file *fp, struct uio *uio)
{
	struct signalfd *sfd = fp->f_data;
	struct thread *td = curthread;
	struct l_signalfd_siginfo ss;
	struct l_siginfo si;
	long done = 0, n;
	int sig, error = 0;

	if (uio->uio_resid < sizeof(ss))
		return -EINVAL;
	while (uio->uio_resid >= sizeof(ss)) {
		spin_lock(&proc_lock);
		while ((sig = sig_dequeue(td, sfd->sfd_mask, &si)) == 0) {
			if (done > 0 || (file_getflags(fp) & O_NONBLOCK)) {
				error = -EAGAIN;
				break;
			}
			td->td_sigwait = sfd->sfd_mask;
			error = tsleep_sig(&td->td_sigwait, &proc_lock,
			    "sigfd", 0);
			td->td_sigwait = 0;
			if (error == -EINTR && ((td->td_proc->p_sigq.sq_set |
			    td->td_sigq.sq_set) & sfd->sfd_mask)) {
				/* The wake-up was for one of ours. */
				td->td_sysintr = false;
				error = 0;
			}
			if (error < 0)
				break;
		}
		spin_unlock(&proc_lock);
		if (sig == 0)
			break;
		signalfd_fill(&ss, &si);
		if ((n = uio_move(&ss, sizeof(ss), uio)) < 0) {
			/* Linux loses the signal too; say what was read. */
			error = (int)n;
			break;
		}
		done += n;
	}
	return done > 0 ? done : error;
}

static int
signalfd_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct signalfd *sfd = fp->f_data;
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	int mask = 0;

	(void)events;
	spin_lock(&proc_lock);
	poll_wait(&p->p_sigpoll, pt);
	if ((td->td_sigq.sq_set | p->p_sigq.sq_set) & sfd->sfd_mask)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&proc_lock);
	return mask;
}

static void
signalfd_close(struct file *fp)
{
	kfree(fp->f_data);
}

static const struct fileops signalfd_fileops = {
	.fo_name = "signalfd",
	.fo_read = signalfd_read,
	.fo_close = signalfd_close,
	.fo_stat = file_stat_anon,
	.fo_poll = signalfd_poll,
};

/*
 * signalfd4(2): fd -1 makes a new signalfd with flags SFD_CLOEXEC and
 * SFD_NONBLOCK; an existing signalfd gets the new mask (EINVAL for any
 * other file, EBADF for a descriptor that is not open).
 */
long
sys_signalfd4(int fd, const struct l_sigset __user *umask, size_t sizemask,
    int flags)
{
	struct signalfd *sfd;
	struct l_sigset m;
	struct file *fp;
	int error;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != L_SIGSET_SIZE)
		return -EINVAL;
	if (copyin(umask, &m, sizeof(m)) < 0)
		return -EFAULT;
	m.sig[0] &= ~SFD_CANTMASK;
	if (fd != -1) {
		if ((error = fd_getfile(fd, &fp)) < 0)
			return error;
		if (fp->f_ops != &signalfd_fileops) {
			file_rele(fp);
			return -EINVAL;
		}
		sfd = fp->f_data;
		spin_lock(&proc_lock);
		sfd->sfd_mask = m.sig[0];
		/* Pollers look again with the new mask. */
		pollwakeup(&curproc->p_sigpoll, 0);
		spin_unlock(&proc_lock);
		file_rele(fp);
		return fd;
	}
	if ((sfd = kmalloc(sizeof(*sfd), M_ZERO)) == NULL)
		return -ENOMEM;
	sfd->sfd_mask = m.sig[0];
	if ((fp = file_alloc(&signalfd_fileops, sfd, O_RDWR |
	    (flags & SFD_NONBLOCK))) == NULL) {
		kfree(sfd);
		return -ENOMEM;
	}
	fd = fd_install(fp, 0, (flags & SFD_CLOEXEC) != 0);
	file_rele(fp);
	return fd;
}

/* signalfd(2): signalfd4 without flags. */
long
sys_signalfd(int fd, const struct l_sigset __user *mask, size_t sizemask)
{
	return sys_signalfd4(fd, mask, sizemask, 0);
}
