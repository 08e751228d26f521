/*
 * eventfd(2) and eventfd2(2): a 64-bit counter as a file.
 *
 * eventfd(2): a write of 8 bytes adds their value to the counter, waiting
 * (or EAGAIN with O_NONBLOCK) while the sum would pass
 * 0xfffffffffffffffe; a value of 0xffffffffffffffff is EINVAL.  A read of
 * 8 bytes waits (or EAGAIN) while the counter is 0, then returns it and
 * resets it to 0, or, with EFD_SEMAPHORE, returns 1 and decrements it.
 * Buffers shorter than 8 bytes are EINVAL.  poll: readable while the
 * counter is above 0, writable while 1 can still be added.
 */
#include <sys/abi/eventfd.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define EFD_MAX		0xfffffffffffffffeULL

/*
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	e	efd_lock
 * Sleep channel: the eventfd itself, for any change of the counter.
 */
struct eventfd {
	struct spinlock	 efd_lock;
	uint64_t	 efd_count;	/* [e] */
	bool		 efd_semaphore;	/* [I] EFD_SEMAPHORE */
	struct pollhead	 efd_ph;	/* [P] */
};

/* The counter changed: key says which way (see pollwakeup). */
static void
eventfd_changed(struct eventfd *efd, int key)
{
	wakeup(efd);
	pollwakeup(&efd->efd_ph, key);
}

/* read(2): the counter (or 1), waiting while it is 0. */
static long
eventfd_read(struct file *fp, struct uio *uio)
{
	struct eventfd *efd = fp->f_data;
	uint64_t val;
	long n;
	int error;

	if (uio->uio_resid < sizeof(val))
		return -EINVAL;
	spin_lock(&efd->efd_lock);
	while (efd->efd_count == 0) {
		if (file_getflags(fp) & O_NONBLOCK) {
			spin_unlock(&efd->efd_lock);
			return -EAGAIN;
		}
		if ((error = tsleep_sig(efd, &efd->efd_lock, "efdrd", 0)) < 0) {
			spin_unlock(&efd->efd_lock);
			return error;
		}
	}
	val = efd->efd_semaphore ? 1 : efd->efd_count;
	efd->efd_count -= val;
	eventfd_changed(efd, POLLOUT | POLLWRNORM);
	spin_unlock(&efd->efd_lock);
	if ((n = uio_move(&val, sizeof(val), uio)) < 0) {
		/* Nothing reached the caller: the value goes back. */
		spin_lock(&efd->efd_lock);
		efd->efd_count += val;
		eventfd_changed(efd, POLLIN | POLLRDNORM);
		spin_unlock(&efd->efd_lock);
	}
	return n;
}

/* write(2): add the value, waiting while it does not fit. */
static long
eventfd_write(struct file *fp, struct uio *uio)
{
	struct eventfd *efd = fp->f_data;
	uint64_t val;
	long n;
	int error;

	if (uio->uio_resid < sizeof(val))
		return -EINVAL;
	if ((n = uio_move(&val, sizeof(val), uio)) < 0)
		return n;
	if (val == UINT64_MAX)
		return -EINVAL;
	spin_lock(&efd->efd_lock);
	while (EFD_MAX - efd->efd_count < val) {
		if (file_getflags(fp) & O_NONBLOCK) {
			spin_unlock(&efd->efd_lock);
			return -EAGAIN;
		}
		if ((error = tsleep_sig(efd, &efd->efd_lock, "efdwr", 0)) < 0) {
			spin_unlock(&efd->efd_lock);
			return error;
		}
	}
	efd->efd_count += val;
	if (val > 0)
		eventfd_changed(efd, POLLIN | POLLRDNORM);
	spin_unlock(&efd->efd_lock);
	return sizeof(val);
}

static int
eventfd_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct eventfd *efd = fp->f_data;
	int mask = 0;

	(void)events;
	spin_lock(&efd->efd_lock);
	poll_wait(&efd->efd_ph, pt);
	if (efd->efd_count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (efd->efd_count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&efd->efd_lock);
	return mask;
}

static void
eventfd_close(struct file *fp)
{
	kfree(fp->f_data);
}

static const struct fileops eventfd_fileops = {
	.fo_name = "eventfd",
	.fo_read = eventfd_read,
	.fo_write = eventfd_write,
	.fo_close = eventfd_close,
	.fo_stat = file_stat_anon,
	.fo_poll = eventfd_poll,
};

/* eventfd2(2): flags EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE. */
long
sys_eventfd2(unsigned int count, int flags)
{
	struct eventfd *efd;
	struct file *fp;
	int fd;

	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	if ((efd = kmalloc(sizeof(*efd), M_ZERO)) == NULL)
		return -ENOMEM;
	spin_init(&efd->efd_lock, "efd_lock");
	efd->efd_count = count;
	efd->efd_semaphore = (flags & EFD_SEMAPHORE) != 0;
	pollhead_init(&efd->efd_ph);
	if ((fp = file_alloc(&eventfd_fileops, efd, O_RDWR |
	    (flags & EFD_NONBLOCK))) == NULL) {
		kfree(efd);
		return -ENOMEM;
	}
	fd = fd_install(fp, 0, (flags & EFD_CLOEXEC) != 0);
	file_rele(fp);
	return fd;
}

/* eventfd(2): eventfd2 without flags. */
long
sys_eventfd(unsigned int count)
{
	return sys_eventfd2(count, 0);
}
