/*
 * epoll(7): epoll_create, epoll_create1, epoll_ctl, epoll_wait,
 * epoll_pwait and epoll_pwait2.
 *
 * An epoll set is a file whose object (struct epoll) holds an item for
 * each (file, descriptor) added with EPOLL_CTL_ADD.  An item registers on
 * its file's pollheads once, when added; every pollwakeup of the file
 * then puts the item on the set's ready list (epoll_item_wake) and wakes
 * the set's waiters.  epoll_wait takes the ready items, asks each file
 * again what is ready (a wake-up only says "look") and reports the ones
 * with events.  A level-triggered item goes back on the list after it is
 * reported, so the next epoll_wait looks again; an edge-triggered one
 * (EPOLLET) waits for the next wake-up; an EPOLLONESHOT item is disabled
 * after one report until EPOLL_CTL_MOD arms it again.
 *
 * An item does not keep its file: when the file's last reference goes,
 * file_rele calls epoll_file_release, which takes the file out of every
 * set, as Linux does (closing one descriptor of a dup'ed file leaves the
 * item).  epoll_all lists every item for that.
 *
 * Errors follow epoll_ctl(2) and epoll_wait(2): EBADF, EPERM for a file
 * that cannot be polled (a regular file), EINVAL for a set added to
 * itself or a non-epoll epfd, ELOOP for a cycle of sets or nesting deeper
 * than 5, EEXIST, ENOENT, EINVAL for maxevents <= 0.
 *
 * Lock order: epoll_mtx (every change of any set's items), then the
 * sets' ep_mtx, outer set before inner (the cycle check keeps it a
 * tree), then the files' own locks, then poll_lock, then ep_lock.
 * epoll_item_wake runs under poll_lock and takes ep_lock only.
 */
#include <sys/abi/eventpoll.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/signal.h>
#include <sys/abi/stat.h>
#include <sys/abi/time.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define NS_PER_SEC	1000000000ULL
#define EP_FOREVER	UINT64_MAX
#define EP_MAX_NESTS	4		/* Linux: sets within sets */
#define EP_MAX_EVENTS	(0x7fffffff / (int)sizeof(struct l_epoll_event))
/* The bits that stay when an EPOLLONESHOT item is disabled. */
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | \
			    EPOLLEXCLUSIVE)
/* What EPOLLEXCLUSIVE may come with (epoll_ctl(2)). */
#define EP_EXCL_OK_BITS	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | \
			    EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

/*
 * Locks protecting members of these structs:
 *	I	immutable after creation
 *	G	epoll_mtx
 *	m	the set's ep_mtx (changes also hold epoll_mtx)
 *	e	the set's ep_lock
 *	P	poll_lock
 * epi_events is changed with ep_mtx and ep_lock both held.
 * Sleep channel: the struct epoll, for its ready list.
 */
struct epitem {
	struct epoll	*epi_ep;	/* [I] */
	struct file	*epi_fp;	/* [I] not referenced */
	int		 epi_fd;	/* [I] */
	uint32_t	 epi_events;	/* [m,e] asked for, plus ERR, HUP */
	uint64_t	 epi_data;	/* [m] */
	struct poll_entry epi_pe[POLL_MAXHEADS]; /* [P] */
	struct epitem	*epi_next;	/* [m] the set's items */
	struct epitem	*epi_gnext;	/* [G] epoll_all */
	struct epitem	*epi_rnext;	/* [e] the ready list */
	bool		 epi_ready;	/* [e] on the ready list */
};

struct epoll {
	struct mutex	 ep_mtx;
	struct spinlock	 ep_lock;
	struct epitem	*ep_items;	/* [m] */
	struct epitem	*ep_rhead;	/* [e] ready, oldest first */
	struct epitem	*ep_rtail;	/* [e] */
	struct pollhead	 ep_ph;		/* [P] pollers of the set itself */
};

static struct mutex epoll_mtx = MUTEX_INIT("epoll_mtx");
static struct epitem *epoll_all;	/* [G] */
static volatile int epoll_nitems;	/* [G] for the fast path */

static const struct fileops epoll_fileops;

/* Append epi to its set's ready list unless it is there; ep_lock held. */
static void
epoll_ready_add(struct epoll *ep, struct epitem *epi)
{
	KASSERT(spin_held(&ep->ep_lock), "epoll_ready_add: ep_lock");
	if (epi->epi_ready)
		return;
	epi->epi_ready = true;
	epi->epi_rnext = NULL;
	if (ep->ep_rtail != NULL)
		ep->ep_rtail->epi_rnext = epi;
	else
		ep->ep_rhead = epi;
	ep->ep_rtail = epi;
}

/* Take epi off the ready list if it is on it; ep_lock held. */
static void
epoll_ready_del(struct epoll *ep, struct epitem *epi)
{
	struct epitem **pp, *prev = NULL;

	KASSERT(spin_held(&ep->ep_lock), "epoll_ready_del: ep_lock");
	if (!epi->epi_ready)
		return;
	for (pp = &ep->ep_rhead; *pp != NULL; pp = &(*pp)->epi_rnext) {
		if (*pp == epi) {
			*pp = epi->epi_rnext;
			if (ep->ep_rtail == epi)
				ep->ep_rtail = prev;
			break;
		}
		prev = *pp;
	}
	epi->epi_ready = false;
}

/* A file of the set changed (poll_lock held): the item is to be looked at. */
static void
epoll_item_wake(struct poll_entry *pe, int key)
{
	struct epitem *epi = pe->pe_arg;
	struct epoll *ep = epi->epi_ep;

	spin_lock(&ep->ep_lock);
	/*
	 * A disabled EPOLLONESHOT item waits for EPOLL_CTL_MOD; a change
	 * of events it does not watch (room made by a read, for an
	 * EPOLLIN item) is no event.
	 */
	if ((epi->epi_events & ~EP_PRIVATE_BITS) &&
	    (key == 0 || (key & epi->epi_events))) {
		epoll_ready_add(ep, epi);
		wakeup(ep);
	}
	spin_unlock(&ep->ep_lock);
	pollwakeup_locked(&ep->ep_ph, POLLIN | POLLRDNORM);
}

/*
 * poll(2) on a set: readable when one of its ready items really has
 * events.  Takes the set's ep_mtx (and so the inner sets' ones).
 */
static int
epoll_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct epoll *ep = fp->f_data;
	struct epitem *epi;
	int mask = 0;

	(void)events;
	poll_wait(&ep->ep_ph, pt);
	mtx_lock(&ep->ep_mtx);
	spin_lock(&ep->ep_lock);
	epi = ep->ep_rhead;
	spin_unlock(&ep->ep_lock);
	while (epi != NULL) {
		if (poll_file(epi->epi_fp, epi->epi_events, NULL) &
		    epi->epi_events) {
			mask = POLLIN | POLLRDNORM;
			break;
		}
		spin_lock(&ep->ep_lock);
		epi = epi->epi_rnext;
		spin_unlock(&ep->ep_lock);
	}
	mtx_unlock(&ep->ep_mtx);
	return mask;
}

/* Unregister epi and unlink it from its set and epoll_all; both mutexes. */
static void
epoll_item_free(struct epoll *ep, struct epitem *epi)
{
	struct epitem **pp;
	int i;

	KASSERT(mtx_owned(&epoll_mtx) && mtx_owned(&ep->ep_mtx),
	    "epoll_item_free: locks");
	for (i = 0; i < POLL_MAXHEADS; i++)
		poll_unregister(&epi->epi_pe[i]);
	spin_lock(&ep->ep_lock);
	epoll_ready_del(ep, epi);
	spin_unlock(&ep->ep_lock);
	for (pp = &ep->ep_items; *pp != NULL; pp = &(*pp)->epi_next)
		if (*pp == epi) {
			*pp = epi->epi_next;
			break;
		}
	for (pp = &epoll_all; *pp != NULL; pp = &(*pp)->epi_gnext)
		if (*pp == epi) {
			*pp = epi->epi_gnext;
			break;
		}
	epoll_nitems--;
	kfree(epi);
}

/* The set's file went: every item goes. */
static void
epoll_close(struct file *fp)
{
	struct epoll *ep = fp->f_data;

	mtx_lock(&epoll_mtx);
	mtx_lock(&ep->ep_mtx);
	while (ep->ep_items != NULL)
		epoll_item_free(ep, ep->ep_items);
	mtx_unlock(&ep->ep_mtx);
	mtx_unlock(&epoll_mtx);
	pollhead_detach(&ep->ep_ph);
	kfree(ep);
}

/*
 * fp's last reference went: take it out of every set (Linux's
 * eventpoll_release).  Called by file_rele before fo_close, no lock held.
 */
void
epoll_file_release(struct file *fp)
{
	struct epitem *epi;
	struct epoll *ep;

	if (epoll_nitems == 0)
		return;
	mtx_lock(&epoll_mtx);
again:
	for (epi = epoll_all; epi != NULL; epi = epi->epi_gnext) {
		if (epi->epi_fp != fp)
			continue;
		ep = epi->epi_ep;
		mtx_lock(&ep->ep_mtx);
		epoll_item_free(ep, epi);
		mtx_unlock(&ep->ep_mtx);
		goto again;
	}
	mtx_unlock(&epoll_mtx);
}

static const struct fileops epoll_fileops = {
	.fo_name = "epoll",
	.fo_close = epoll_close,
	.fo_stat = file_stat_anon,
	.fo_poll = epoll_poll,
};

/* epoll_create1(2): flags 0 or EPOLL_CLOEXEC. */
long
sys_epoll_create1(int flags)
{
	struct epoll *ep;
	struct file *fp;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	if ((ep = kmalloc(sizeof(*ep), M_ZERO)) == NULL)
		return -ENOMEM;
	mtx_init(&ep->ep_mtx, "ep_mtx");
	spin_init(&ep->ep_lock, "ep_lock");
	pollhead_init(&ep->ep_ph);
	if ((fp = file_alloc(&epoll_fileops, ep, O_RDWR)) == NULL) {
		kfree(ep);
		return -ENOMEM;
	}
	fd = fd_install(fp, 0, (flags & EPOLL_CLOEXEC) != 0);
	file_rele(fp);
	return fd;
}

/* epoll_create(2): size is only checked (> 0). */
long
sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return sys_epoll_create1(0);
}

/*
 * Would adding set tep to ep close a cycle, or nest deeper than
 * EP_MAX_NESTS?  epoll_mtx held (no set's items change meanwhile).
 */
static bool
epoll_loops(struct epoll *ep, struct epoll *tep, int depth)
{
	struct epitem *epi;

	if (tep == ep || depth > EP_MAX_NESTS)
		return true;
	for (epi = tep->ep_items; epi != NULL; epi = epi->epi_next)
		if (epi->epi_fp->f_ops == &epoll_fileops &&
		    epoll_loops(ep, epi->epi_fp->f_data, depth + 1))
			return true;
	return false;
}

/* The item of (fp, fd) in ep, or NULL; ep_mtx held. */
static struct epitem *
epoll_find(struct epoll *ep, struct file *fp, int fd)
{
	struct epitem *epi;

	for (epi = ep->ep_items; epi != NULL; epi = epi->epi_next)
		if (epi->epi_fp == fp && epi->epi_fd == fd)
			return epi;
	return NULL;
}

/* Look at epi's file now; ready: onto the ready list.  ep_mtx held. */
static void
epoll_item_check(struct epoll *ep, struct epitem *epi, struct poll_table *pt)
{
	int mask;

	mask = poll_file(epi->epi_fp, epi->epi_events, pt) &
	    epi->epi_events;
	if (mask == 0)
		return;
	spin_lock(&ep->ep_lock);
	epoll_ready_add(ep, epi);
	wakeup(ep);
	spin_unlock(&ep->ep_lock);
	pollwakeup(&ep->ep_ph, POLLIN | POLLRDNORM);
}

/* EPOLL_CTL_ADD; both mutexes held. */
static int
epoll_ctl_add(struct epoll *ep, struct file *tfp, int fd,
    const struct l_epoll_event *ev)
{
	struct poll_table pt;
	struct epitem *epi;

	if (epoll_find(ep, tfp, fd) != NULL)
		return -EEXIST;
	if (tfp->f_ops == &epoll_fileops &&
	    epoll_loops(ep, tfp->f_data, 1))
		return -ELOOP;
	if ((epi = kmalloc(sizeof(*epi), M_ZERO)) == NULL)
		return -ENOMEM;
	epi->epi_ep = ep;
	epi->epi_fp = tfp;
	epi->epi_fd = fd;
	epi->epi_events = ev->events | EPOLLERR | EPOLLHUP;
	epi->epi_data = ev->data;
	epi->epi_next = ep->ep_items;
	ep->ep_items = epi;
	epi->epi_gnext = epoll_all;
	epoll_all = epi;
	epoll_nitems++;
	pt.pt_ent = epi->epi_pe;
	pt.pt_nent = POLL_MAXHEADS;
	pt.pt_wake = epoll_item_wake;
	pt.pt_arg = epi;
	epoll_item_check(ep, epi, &pt);
	return 0;
}

/* EPOLL_CTL_MOD: new events and data, armed again.  ep_mtx held. */
static int
epoll_ctl_mod(struct epoll *ep, struct epitem *epi,
    const struct l_epoll_event *ev)
{
	if (epi->epi_events & EPOLLEXCLUSIVE)
		return -EINVAL;
	spin_lock(&ep->ep_lock);
	epi->epi_events = ev->events | EPOLLERR | EPOLLHUP;
	spin_unlock(&ep->ep_lock);
	epi->epi_data = ev->data;
	epoll_item_check(ep, epi, NULL);
	return 0;
}

/*
 * The argument checks of epoll_ctl(2) that need both files: 0 or a
 * negative errno.
 */
static int
epoll_ctl_check(struct file *epfp, struct file *tfp, int op,
    const struct l_epoll_event *ev)
{
	if (tfp->f_ops->fo_poll == NULL)
		return -EPERM;
	if (epfp->f_ops != &epoll_fileops || epfp == tfp)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (tfp->f_ops == &epoll_fileops ||
		    (ev->events & ~EP_EXCL_OK_BITS))
			return -EINVAL;
	}
	return 0;
}

/* epoll_ctl(2): add, change or remove fd's item in the set epfd. */
long
sys_epoll_ctl(int epfd, int op, int fd, struct l_epoll_event __user *event)
{
	struct l_epoll_event ev = { 0, 0 };
	struct file *epfp, *tfp;
	struct epitem *epi;
	struct epoll *ep;
	int error;

	if (op != EPOLL_CTL_DEL && copyin(event, &ev, sizeof(ev)) < 0)
		return -EFAULT;
	if ((error = fd_getfile(epfd, &epfp)) < 0)
		return error;
	if ((error = fd_getfile(fd, &tfp)) < 0)
		goto out_ep;
	if ((error = epoll_ctl_check(epfp, tfp, op, &ev)) < 0)
		goto out;
	ep = epfp->f_data;
	mtx_lock(&epoll_mtx);
	mtx_lock(&ep->ep_mtx);
	epi = epoll_find(ep, tfp, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		error = epoll_ctl_add(ep, tfp, fd, &ev);
		break;
	case EPOLL_CTL_MOD:
		error = epi == NULL ? -ENOENT : epoll_ctl_mod(ep, epi, &ev);
		break;
	case EPOLL_CTL_DEL:
		if (epi == NULL)
			error = -ENOENT;
		else
			epoll_item_free(ep, epi);
		break;
	default:
		error = -EINVAL;
		break;
	}
	mtx_unlock(&ep->ep_mtx);
	mtx_unlock(&epoll_mtx);
out:
	file_rele(tfp);
out_ep:
	file_rele(epfp);
	return error;
}

/* Put epi back on the ready list (it was taken off by epoll_collect). */
static void
epoll_requeue(struct epoll *ep, struct epitem *epi)
{
	spin_lock(&ep->ep_lock);
	epoll_ready_add(ep, epi);
	spin_unlock(&ep->ep_lock);
}

/*
 * Report up to maxevents ready items to uev.  ep_mtx held.  Returns the
 * count (0: none was really ready) or -EFAULT.  The items taken keep
 * epi_ready set until each is looked at, so that epoll_item_wake leaves
 * their links alone meanwhile.
 */
static int
epoll_collect(struct epoll *ep, struct l_epoll_event __user *uev,
    int maxevents)
{
	struct epitem *list, *epi;
	struct l_epoll_event ev;
	bool full = false;
	int n = 0, mask;

	spin_lock(&ep->ep_lock);
	list = ep->ep_rhead;
	ep->ep_rhead = ep->ep_rtail = NULL;
	spin_unlock(&ep->ep_lock);
	while ((epi = list) != NULL) {
		list = epi->epi_rnext;
		spin_lock(&ep->ep_lock);
		epi->epi_ready = false;
		spin_unlock(&ep->ep_lock);
		if (full || n == maxevents) {
			/* No room: it stays ready for the next call. */
			epoll_requeue(ep, epi);
			continue;
		}
		mask = poll_file(epi->epi_fp, epi->epi_events, NULL) &
		    epi->epi_events;
		if (mask == 0)
			continue;
		ev.events = mask;
		ev.data = epi->epi_data;
		if (copyout(&ev, &uev[n], sizeof(ev)) < 0) {
			epoll_requeue(ep, epi);
			full = true;
			if (n == 0)
				n = -EFAULT;
			continue;
		}
		n++;
		if (epi->epi_events & EPOLLONESHOT) {
			spin_lock(&ep->ep_lock);
			epi->epi_events &= EP_PRIVATE_BITS;
			spin_unlock(&ep->ep_lock);
		} else if (!(epi->epi_events & EPOLLET)) {
			/* Level triggered: looked at again next time. */
			epoll_requeue(ep, epi);
		}
	}
	return n;
}

/*
 * The epoll_wait family's body: wait up to timeout_ns (EP_FOREVER: no
 * limit) for events of the set epfd.  Returns the count, 0 on a timeout,
 * or a negative errno.
 */
static long
epoll_wait_common(int epfd, struct l_epoll_event __user *uev, int maxevents,
    uint64_t timeout_ns)
{
	uint64_t deadline = 0, now = 0;
	struct file *fp;
	struct epoll *ep;
	long n;
	int error;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if ((error = fd_getfile(epfd, &fp)) < 0)
		return error;
	if (fp->f_ops != &epoll_fileops) {
		file_rele(fp);
		return -EINVAL;
	}
	ep = fp->f_data;
	if (timeout_ns != EP_FOREVER)
		deadline = clock_monotonic_ns() + timeout_ns;
	for (;;) {
		mtx_lock(&ep->ep_mtx);
		n = epoll_collect(ep, uev, maxevents);
		mtx_unlock(&ep->ep_mtx);
		if (n != 0)
			break;
		if (timeout_ns != EP_FOREVER &&
		    (now = clock_monotonic_ns()) >= deadline)
			break;
		error = 0;
		spin_lock(&ep->ep_lock);
		if (ep->ep_rhead == NULL)
			error = tsleep_sig(ep, &ep->ep_lock, "epoll",
			    timeout_ns == EP_FOREVER ? 0 : deadline - now);
		spin_unlock(&ep->ep_lock);
		if (error == -EINTR) {
			n = -EINTR;
			break;
		}
	}
	file_rele(fp);
	return n;
}

/* epoll_wait(2): timeout_ms negative waits forever. */
long
sys_epoll_wait(int epfd, struct l_epoll_event __user *events, int maxevents,
    int timeout_ms)
{
	return epoll_wait_common(epfd, events, maxevents, timeout_ms < 0 ?
	    EP_FOREVER : (uint64_t)timeout_ms * 1000000ULL);
}

/*
 * The signal mask of epoll_pwait and epoll_pwait2, installed for the wait
 * as ppoll does (see sys_poll.c).
 */
static long
epoll_pwait_common(int epfd, struct l_epoll_event __user *events,
    int maxevents, uint64_t ns, const struct l_sigset __user *sigmask,
    size_t sigsetsize)
{
	bool installed;
	long n;

	if ((n = poll_sigmask_set(sigmask, sigsetsize, &installed)) < 0)
		return n;
	n = epoll_wait_common(epfd, events, maxevents, ns);
	poll_sigmask_done(installed, n);
	return n;
}

/* epoll_pwait(2): epoll_wait with a signal mask for the wait. */
long
sys_epoll_pwait(int epfd, struct l_epoll_event __user *events, int maxevents,
    int timeout_ms, const struct l_sigset __user *sigmask, size_t sigsetsize)
{
	return epoll_pwait_common(epfd, events, maxevents, timeout_ms < 0 ?
	    EP_FOREVER : (uint64_t)timeout_ms * 1000000ULL, sigmask,
	    sigsetsize);
}

/* epoll_pwait2(2): the timeout is a timespec (NULL: forever). */
long
sys_epoll_pwait2(int epfd, struct l_epoll_event __user *events,
    int maxevents, const struct l_timespec __user *timeout,
    const struct l_sigset __user *sigmask, size_t sigsetsize)
{
	struct l_timespec ts;
	uint64_t ns = EP_FOREVER;

	if (timeout != NULL) {
		if (copyin(timeout, &ts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= (long)NS_PER_SEC)
			return -EINVAL;
		if ((uint64_t)ts.tv_sec < EP_FOREVER / NS_PER_SEC / 2)
			ns = (uint64_t)ts.tv_sec * NS_PER_SEC +
			    (uint64_t)ts.tv_nsec;
	}
	return epoll_pwait_common(epfd, events, maxevents, ns, sigmask,
	    sigsetsize);
}
