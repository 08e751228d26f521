/*
 * Waiting on several files: the pollheads of <sys/poll.h>, and poll(2),
 * ppoll(2), select(2) and pselect6(2) on top of them.
 *
 * One engine serves the four calls (poll_scan, poll_run): an array of
 * pollfds is scanned, each file's fo_poll saying what is ready; the first
 * scan also registers the caller on every object (one entry per pollhead,
 * POLL_MAXHEADS per descriptor), keeping a reference to each file until
 * the call ends.  While nothing is ready the thread sleeps on its
 * struct poll_waiter, which any registered object's pollwakeup wakes, and
 * scans again.  select's bitmaps are turned into pollfds with the events
 * of Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET (fs/select.c's
 * documented mapping), and back.
 *
 * Linux rules (poll(2), select(2)): a negative fd is skipped (revents 0);
 * a descriptor that is not open is POLLNVAL for poll and EBADF for select;
 * POLLERR and POLLHUP are reported whether asked or not; nfds above
 * RLIMIT_NOFILE is EINVAL for poll; ppoll and pselect6 install their
 * signal mask for the wait only, as rt_sigsuspend does, and keep it until
 * the handler ran when they end with EINTR; select, pselect6 and ppoll
 * write the time left back (poll takes milliseconds and writes nothing).
 */
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/abi/time.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define NS_PER_SEC	1000000000ULL
#define POLL_FOREVER	UINT64_MAX

/* Linux fs/select.c: which poll events make a descriptor "ready". */
#define SEL_IN	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define SEL_OUT	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define SEL_EX	(POLLPRI)

struct spinlock poll_lock = SPINLOCK_INIT("poll_lock");

/* Make ph an empty pollhead. */
void
pollhead_init(struct pollhead *ph)
{
	ph->ph_first = NULL;
}

/*
 * Put pt's next free entry on ph (nothing when pt is NULL).  Takes
 * poll_lock; an object's lock may be held.
 */
void
poll_wait(struct pollhead *ph, struct poll_table *pt)
{
	struct poll_entry *pe;

	if (pt == NULL)
		return;
	KASSERT(pt->pt_nent > 0, "poll_wait: more pollheads than entries");
	pe = pt->pt_ent++;
	pt->pt_nent--;
	pe->pe_wake = pt->pt_wake;
	pe->pe_arg = pt->pt_arg;
	spin_lock(&poll_lock);
	pe->pe_head = ph;
	pe->pe_next = ph->ph_first;
	pe->pe_prevp = &ph->ph_first;
	if (ph->ph_first != NULL)
		ph->ph_first->pe_prevp = &pe->pe_next;
	ph->ph_first = pe;
	spin_unlock(&poll_lock);
}

static void
poll_unlink(struct poll_entry *pe)
{
	KASSERT(spin_held(&poll_lock), "poll_unlink: poll_lock");
	if (pe->pe_head == NULL)
		return;
	*pe->pe_prevp = pe->pe_next;
	if (pe->pe_next != NULL)
		pe->pe_next->pe_prevp = pe->pe_prevp;
	pe->pe_head = NULL;
	pe->pe_next = NULL;
	pe->pe_prevp = NULL;
}

/* Take pe off its pollhead, if it is on one.  Takes poll_lock. */
void
poll_unregister(struct poll_entry *pe)
{
	spin_lock(&poll_lock);
	poll_unlink(pe);
	spin_unlock(&poll_lock);
}

/* Run every entry's pe_wake; poll_lock held. */
void
pollwakeup_locked(struct pollhead *ph, int key)
{
	struct poll_entry *pe, *next;

	KASSERT(spin_held(&poll_lock), "pollwakeup_locked: poll_lock");
	for (pe = ph->ph_first; pe != NULL; pe = next) {
		next = pe->pe_next;
		pe->pe_wake(pe, key);
	}
}

/*
 * Tell everyone registered on ph that its object changed (key: the
 * events that may be ready now, 0 for any).  Takes
 * poll_lock; may be called from an interrupt handler and with the
 * object's lock held.
 */
void
pollwakeup(struct pollhead *ph, int key)
{
	spin_lock(&poll_lock);
	if (ph->ph_first != NULL)
		pollwakeup_locked(ph, key);
	spin_unlock(&poll_lock);
}

/*
 * ph's object is going: wake every entry, then unlink them all (their
 * owners see a pe_head of NULL and have nothing left to remove).  Takes
 * poll_lock.
 */
void
pollhead_detach(struct pollhead *ph)
{
	spin_lock(&poll_lock);
	if (ph->ph_first != NULL)
		pollwakeup_locked(ph, 0);
	while (ph->ph_first != NULL)
		poll_unlink(ph->ph_first);
	spin_unlock(&poll_lock);
}

/*
 * The ready events of fp (Linux's vfs_poll): fo_poll's answer, or
 * POLL_DEFAULT for a file without one, masked with events plus POLLERR
 * and POLLHUP.  With pt the caller is also registered.
 */
int
poll_file(struct file *fp, int events, struct poll_table *pt)
{
	int mask;

	if (fp->f_ops->fo_poll != NULL)
		mask = fp->f_ops->fo_poll(fp, events, pt);
	else
		mask = POLL_DEFAULT;
	return mask & (events | POLLERR | POLLHUP);
}

/*
 * One poll or select call's state: the thread sleeps on pw, which
 * pw_fired says was woken since the last scan.
 */
struct poll_waiter {
	bool		 pw_fired;	/* [P] */
};

static void
poll_waiter_wake(struct poll_entry *pe, int key)
{
	struct poll_waiter *pw = pe->pe_arg;

	(void)key;
	pw->pw_fired = true;
	wakeup(pw);
}

struct poll_call {
	struct l_pollfd	*pc_fds;
	unsigned int	 pc_nfds;
	struct poll_entry *pc_ent;	/* POLL_MAXHEADS per fd */
	struct file	**pc_files;	/* held while registered */
	bool		 pc_select;	/* not open: EBADF, not POLLNVAL */
	struct poll_waiter pc_waiter;
};

/*
 * Scan every descriptor once, registering when reg; returns how many have
 * events (revents set), or -EBADF for select's closed descriptor.
 */
static int
poll_scan(struct poll_call *pc, bool reg)
{
	struct poll_table pt;
	struct l_pollfd *pfd;
	struct file *fp;
	unsigned int i;
	int n = 0, mask;

	for (i = 0; i < pc->pc_nfds; i++) {
		pfd = &pc->pc_fds[i];
		pfd->revents = 0;
		if (pfd->fd < 0)
			continue;
		if (fd_getfile(pfd->fd, &fp) < 0) {
			if (pc->pc_select)
				return -EBADF;
			pfd->revents = POLLNVAL;
			n++;
			continue;
		}
		pt.pt_ent = &pc->pc_ent[i * POLL_MAXHEADS];
		pt.pt_nent = POLL_MAXHEADS;
		pt.pt_wake = poll_waiter_wake;
		pt.pt_arg = &pc->pc_waiter;
		mask = poll_file(fp, (unsigned short)pfd->events,
		    reg ? &pt : NULL);
		if (reg && pt.pt_nent < POLL_MAXHEADS) {
			/* Registered: the file stays until the end. */
			file_hold(fp);
			pc->pc_files[i] = fp;
		}
		file_rele(fp);
		if (mask != 0) {
			pfd->revents = (short)mask;
			n++;
		}
	}
	return n;
}

/*
 * Scan until something is ready, timeout_ns passes (POLL_FOREVER: never)
 * or a signal comes.  Returns the count of ready descriptors, 0 on a
 * timeout, -EINTR or -EBADF; *left gets the time that was left.
 */
static int
poll_run(struct poll_call *pc, uint64_t timeout_ns, uint64_t *left)
{
	uint64_t deadline = 0, now;
	bool reg = timeout_ns != 0, timedout = false;
	int n, error;

	if (timeout_ns != POLL_FOREVER && timeout_ns != 0)
		deadline = clock_monotonic_ns() + timeout_ns;
	for (;;) {
		spin_lock(&poll_lock);
		pc->pc_waiter.pw_fired = false;
		spin_unlock(&poll_lock);
		n = poll_scan(pc, reg);
		reg = false;
		if (n != 0 || timedout || timeout_ns == 0)
			break;
		now = timeout_ns == POLL_FOREVER ? 0 : clock_monotonic_ns();
		if (timeout_ns != POLL_FOREVER && now >= deadline)
			break;
		error = 0;
		spin_lock(&poll_lock);
		if (!pc->pc_waiter.pw_fired)
			error = tsleep_sig(&pc->pc_waiter, &poll_lock, "poll",
			    timeout_ns == POLL_FOREVER ? 0 : deadline - now);
		spin_unlock(&poll_lock);
		if (error == -EINTR) {
			n = -EINTR;
			break;
		}
		if (error == -ETIMEDOUT)
			timedout = true;
	}
	if (left != NULL) {
		now = clock_monotonic_ns();
		*left = timeout_ns == POLL_FOREVER || timeout_ns == 0 ||
		    now >= deadline ? 0 : deadline - now;
		if (n == 0)
			*left = 0;
	}
	return n;
}

/* Allocate pc's arrays for nfds descriptors: 0 or -ENOMEM. */
static int
poll_call_init(struct poll_call *pc, unsigned int nfds, bool sel)
{
	memset(pc, 0, sizeof(*pc));
	pc->pc_nfds = nfds;
	pc->pc_select = sel;
	if (nfds == 0)
		return 0;
	pc->pc_fds = kmalloc(nfds * sizeof(*pc->pc_fds), M_ZERO);
	pc->pc_ent = kmalloc(nfds * POLL_MAXHEADS * sizeof(*pc->pc_ent),
	    M_ZERO);
	pc->pc_files = kmalloc(nfds * sizeof(*pc->pc_files), M_ZERO);
	if (pc->pc_fds == NULL || pc->pc_ent == NULL || pc->pc_files == NULL)
		return -ENOMEM;
	return 0;
}

/* Unregister everything and let the files go. */
static void
poll_call_fini(struct poll_call *pc)
{
	unsigned int i;

	if (pc->pc_ent != NULL)
		for (i = 0; i < pc->pc_nfds * POLL_MAXHEADS; i++)
			poll_unregister(&pc->pc_ent[i]);
	if (pc->pc_files != NULL)
		for (i = 0; i < pc->pc_nfds; i++)
			if (pc->pc_files[i] != NULL)
				file_rele(pc->pc_files[i]);
	kfree(pc->pc_fds);
	kfree(pc->pc_ent);
	kfree(pc->pc_files);
}

/*
 * The signal mask of ppoll, pselect6 and epoll_pwait: install *uset (if
 * not NULL) for the wait, saving the old one as rt_sigsuspend does
 * (td_sigsaved); *installed says whether it did.  Takes proc_lock.
 * Returns 0, -EINVAL (size) or -EFAULT.
 */
int
poll_sigmask_set(const struct l_sigset __user *uset, size_t size,
    bool *installed)
{
	struct thread *td = curthread;
	struct l_sigset s;

	*installed = false;
	if (uset == NULL)
		return 0;
	if (size != L_SIGSET_SIZE)
		return -EINVAL;
	if (copyin(uset, &s, sizeof(s)) < 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	td->td_sigsaved = td->td_sigmask;
	td->td_has_saved = true;
	td->td_sigmask = s.sig[0] &
	    ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	spin_unlock(&proc_lock);
	*installed = true;
	return 0;
}

/*
 * The wait is over: the old mask comes back now, unless the call ends
 * with EINTR (result), when it comes back after the handler ran
 * (sig_deliver).  Takes proc_lock.
 */
void
poll_sigmask_done(bool installed, long result)
{
	struct thread *td = curthread;

	if (!installed || result == -EINTR)
		return;
	td->td_has_saved = false;
	sig_setmask(td->td_sigsaved);
}

/* A user timespec as ns (POLL_FOREVER for NULL): 0, -EFAULT or -EINVAL. */
static int
poll_get_timespec(const struct l_timespec __user *uts, uint64_t *ns)
{
	struct l_timespec ts;

	*ns = POLL_FOREVER;
	if (uts == NULL)
		return 0;
	if (copyin(uts, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NS_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= POLL_FOREVER / NS_PER_SEC / 2)
		return 0;	/* centuries: forever */
	*ns = (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/*
 * The poll family's body: nfds pollfds at ufds, timeout_ns.  Returns the
 * ready count, 0, or a negative errno; *left as poll_run.
 */
static long
poll_common(struct l_pollfd __user *ufds, unsigned int nfds,
    uint64_t timeout_ns, uint64_t *left)
{
	struct poll_call pc;
	unsigned int i;
	long n;

	if (nfds > curproc->p_rlimit[RLIMIT_NOFILE][0])
		return -EINVAL;
	if ((n = poll_call_init(&pc, nfds, false)) < 0)
		goto out;
	if (nfds > 0 && copyin(ufds, pc.pc_fds, nfds * sizeof(*pc.pc_fds)) <
	    0) {
		n = -EFAULT;
		goto out;
	}
	n = poll_run(&pc, timeout_ns, left);
	if (n < 0)
		goto out;
	for (i = 0; i < nfds; i++) {
		/* Only revents goes back (Linux writes just that field). */
		if (copyout(&pc.pc_fds[i].revents, (char __user *)&ufds[i] +
		    __builtin_offsetof(struct l_pollfd, revents),
		    sizeof(short)) < 0) {
			n = -EFAULT;
			break;
		}
	}
out:
	poll_call_fini(&pc);
	return n;
}

/* poll(2): timeout_ms negative waits forever, 0 does not wait. */
long
sys_poll(struct l_pollfd __user *fds, unsigned int nfds, int timeout_ms)
{
	uint64_t ns = timeout_ms < 0 ? POLL_FOREVER :
	    (uint64_t)timeout_ms * 1000000ULL;

	return poll_common(fds, nfds, ns, NULL);
}

/* Write the time left back to a timespec (Linux ignores a fault). */
static void
poll_put_timespec(struct l_timespec __user *uts, uint64_t left)
{
	struct l_timespec ts;

	ts.tv_sec = left / NS_PER_SEC;
	ts.tv_nsec = left % NS_PER_SEC;
	(void)copyout(&ts, uts, sizeof(ts));
}

/* ppoll(2): a timespec (NULL: forever) and a signal mask for the wait. */
long
sys_ppoll(struct l_pollfd __user *fds, unsigned int nfds,
    struct l_timespec __user *timeout, const struct l_sigset __user *sigmask,
    size_t sigsetsize)
{
	uint64_t ns, left = 0;
	bool installed;
	long n;

	if ((n = poll_get_timespec(timeout, &ns)) < 0)
		return n;
	if ((n = poll_sigmask_set(sigmask, sigsetsize, &installed)) < 0)
		return n;
	n = poll_common(fds, nfds, ns, &left);
	poll_sigmask_done(installed, n);
	if (timeout != NULL && ns != POLL_FOREVER)
		poll_put_timespec(timeout, left);
	return n;
}

#define SEL_ISSET(set, fd)	((set)[(fd) / 64] >> ((fd) % 64) & 1)

static const int sel_ev[3] = { SEL_IN, SEL_OUT, SEL_EX };

/* The poll events select asks for fd, from the sets it is in. */
static short
select_events(unsigned long *set[3], int fd)
{
	short events = 0;
	int s;

	for (s = 0; s < 3; s++)
		if (set[s] != NULL && SEL_ISSET(set[s], fd))
			events |= sel_ev[s];
	return events;
}

/*
 * select's body: nfds descriptors in three optional bitmaps.  Returns the
 * count of bits set in the results, 0, or a negative errno.
 */
static long
select_common(int nfds, struct l_fd_set __user *ur, struct l_fd_set __user *uw,
    struct l_fd_set __user *ue, uint64_t timeout_ns, uint64_t *left)
{
	struct l_fd_set __user *uset[3] = { ur, uw, ue };
	unsigned long *set[3] = { NULL, NULL, NULL };
	struct poll_call pc;
	size_t words, bytes;
	unsigned int i, k, cnt = 0;
	long n;
	short events;
	int fd, s;

	if (nfds < 0)
		return -EINVAL;
	/* Linux trims nfds to the table's size. */
	if ((uint64_t)nfds > curproc->p_rlimit[RLIMIT_NOFILE][0])
		nfds = (int)MIN(curproc->p_rlimit[RLIMIT_NOFILE][0],
		    (uint64_t)INT32_MAX);
	words = ((size_t)nfds + 63) / 64;
	bytes = words * sizeof(unsigned long);
	memset(&pc, 0, sizeof(pc));
	n = 0;
	for (s = 0; s < 3; s++) {
		if (uset[s] == NULL || words == 0)
			continue;
		if ((set[s] = kmalloc(bytes, M_ZERO)) == NULL) {
			n = -ENOMEM;
			goto out;
		}
		if (copyin(uset[s], set[s], bytes) < 0) {
			n = -EFAULT;
			goto out;
		}
		if (nfds % 64)
			set[s][words - 1] &= (1UL << (nfds % 64)) - 1;
	}
	for (fd = 0; fd < nfds; fd++)
		if (select_events(set, fd) != 0)
			cnt++;
	if ((n = poll_call_init(&pc, cnt, true)) < 0)
		goto out;
	for (fd = 0, i = 0; fd < nfds; fd++) {
		if ((events = select_events(set, fd)) == 0)
			continue;
		pc.pc_fds[i].fd = fd;
		pc.pc_fds[i].events = events;
		i++;
	}
	if ((n = poll_run(&pc, timeout_ns, left)) < 0)
		goto out;
	/* A bit stays set when the events of its set came. */
	n = 0;
	for (k = 0; k < cnt; k++) {
		fd = pc.pc_fds[k].fd;
		for (s = 0; s < 3; s++) {
			if (set[s] == NULL || !SEL_ISSET(set[s], fd))
				continue;
			if ((unsigned short)pc.pc_fds[k].revents & sel_ev[s])
				n++;
			else
				set[s][fd / 64] &= ~(1UL << (fd % 64));
		}
	}
	for (s = 0; s < 3; s++) {
		if (set[s] != NULL && copyout(set[s], uset[s], bytes) < 0) {
			n = -EFAULT;
			goto out;
		}
	}
out:
	poll_call_fini(&pc);
	for (s = 0; s < 3; s++)
		kfree(set[s]);
	return n;
}

/*
 * select(2): a timeval (NULL: forever), written back with the time left
 * (Linux does; a timeval it cannot write is left alone).
 */
long
sys_select(int nfds, struct l_fd_set __user *readfds,
    struct l_fd_set __user *writefds, struct l_fd_set __user *exceptfds,
    struct l_timeval __user *timeout)
{
	struct l_timeval tv;
	uint64_t ns = POLL_FOREVER, left = 0;
	long n;

	if (timeout != NULL) {
		if (copyin(timeout, &tv, sizeof(tv)) < 0)
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux carries whole seconds out of tv_usec. */
		if ((uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / 1000000 <
		    POLL_FOREVER / NS_PER_SEC / 2)
			ns = (uint64_t)tv.tv_sec * NS_PER_SEC +
			    (uint64_t)tv.tv_usec * 1000;
	}
	n = select_common(nfds, readfds, writefds, exceptfds, ns, &left);
	if (timeout != NULL && ns != POLL_FOREVER) {
		tv.tv_sec = left / NS_PER_SEC;
		tv.tv_usec = left % NS_PER_SEC / 1000;
		(void)copyout(&tv, timeout, sizeof(tv));
	}
	return n;
}

/*
 * pselect6(2): a timespec, and as the sixth argument a pointer to
 * { const sigset_t *ss; size_t ss_len; } (NULL, or ss NULL: no mask).
 */
long
sys_pselect6(int nfds, struct l_fd_set __user *readfds,
    struct l_fd_set __user *writefds, struct l_fd_set __user *exceptfds,
    struct l_timespec __user *timeout, void __user *sigmask)
{
	struct {
		const struct l_sigset __user *ss;
		size_t		 ss_len;
	} sm = { NULL, 0 };
	uint64_t ns, left = 0;
	bool installed;
	long n;

	if ((n = poll_get_timespec(timeout, &ns)) < 0)
		return n;
	if (sigmask != NULL && copyin(sigmask, &sm, sizeof(sm)) < 0)
		return -EFAULT;
	if ((n = poll_sigmask_set(sm.ss, sm.ss_len, &installed)) < 0)
		return n;
	n = select_common(nfds, readfds, writefds, exceptfds, ns, &left);
	poll_sigmask_done(installed, n);
	if (timeout != NULL && ns != POLL_FOREVER)
		poll_put_timespec(timeout, left);
	return n;
}
